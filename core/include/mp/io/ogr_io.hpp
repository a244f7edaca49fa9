// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "mp/core/progress.hpp"
#include "mp/layer/layer.hpp"

namespace mp::io {

/// Options for reading an OGR source.
struct ReadOptions {
    /// Layer names to read; empty means all layers of the source.
    std::vector<std::string> layers;
    /// CRS to assume for layers that declare none (e.g. a shapefile without .prj).
    /// Empty: such a layer is an error, because guessing would misplace it silently.
    std::string assume_crs;
    /// Attribute to take feature ids from when present (else the OGR FID).
    std::string id_field = "id";
};

/// Reads every vector layer of a GDAL/OGR source: a path (GeoJSON, GeoPackage,
/// Shapefile, FlatGeobuf, KML, CSV, OSM .osm/.pbf, ...) or a connection string
/// ("PG:dbname=..."), transforming geometries from the layer's CRS to WGS84 lon/lat.
/// Throws mp::InputError naming the source, layer and feature at fault: unreadable or
/// missing source, layer without CRS, NaN or out-of-range coordinates.
std::vector<layer::Layer> read_source(const std::string& source, const ReadOptions& opts = {},
                                      Progress& progress = null_progress());

/// Output formats of write_layer().
enum class Format { GeoJson, GeoPackage, Csv };

/// Guesses the format from a file name's extension (.geojson/.json, .gpkg, .csv);
/// throws mp::UsageError for any other.
Format format_from_path(const std::string& path);
/// Parses "geojson", "gpkg", "csv"; throws mp::UsageError otherwise.
Format parse_format(const std::string& name);

/// Writes layers to path by GDAL (in memory first), then as write_file_atomic does:
/// atomically for a regular file, through for a FIFO or /dev/stdout. GeoJSON follows
/// RFC 7946 (WGS84, counter-clockwise exteriors, 7 decimals); a GeoJSON or CSV file
/// holds exactly one layer. Writing into an existing GeoPackage replaces the layers of
/// the same name and keeps its other layers. Throws mp::Error on failure.
void write_layers(const std::vector<const layer::Layer*>& layers, const std::string& path, Format format);
inline void write_layer(const layer::Layer& l, const std::string& path, Format format) {
    write_layers({&l}, path, format);
}

/// The RFC 7946 GeoJSON text of one layer (as write_layer would write it).
std::string to_geojson(const layer::Layer& l);

/// A fresh hidden temporary path in path's folder, keeping its extension (GDAL picks
/// drivers by extension): "dir/.name.tmp<pid>-<n>.ext". Throws mp::InputError when the
/// folder does not exist. Rename it over path once written.
std::string temp_path_beside(const std::string& path);

/// A source name as messages may show it: a password in a connection string
/// ("PG:... password=secret", "password = 'two words'", quoted or not) or in a URL
/// ("user:secret@host") becomes "***".
std::string redact_secrets(std::string source);

/// A source (or any text) as a file may store it: the same passwords as redact_secrets
/// finds are left out altogether, keyword and all ("PG:dbname=x password=y host=z" ->
/// "PG:dbname=x host=z", "postgresql://user:pw@host/db" -> "postgresql://user@host/db"),
/// so that opening it again takes the password from ~/.pgpass, a service file or
/// PGPASSWORD instead of a placeholder.
std::string strip_secrets(std::string source);

/// Writes bytes to path. A regular file (or a new one) is written atomically: a
/// temporary file beside it, flushed to disk, then renamed over it (through a symbolic
/// link to the file it names), so a failure leaves the old file untouched; it keeps the
/// existing file's permissions, or gets `mode` when non-zero (e.g. 0600 for files that
/// must stay private). A terminal, pipe, FIFO, socket or character device (/dev/stdout,
/// /dev/null) is written through, never replaced. A folder or a block device is refused
/// (mp::InputError). Every write is checked: a full disk is mp::Error naming the path.
void write_file_atomic(const std::string& path, const std::string& bytes, unsigned mode = 0);

/// Registers a temporary file while it is being written (write_file_atomic and the
/// GeoTIFF writer hold one), so that a signal handler of remove_temps_on_signals() can
/// delete it: a SIGTERM in the middle of an export leaves no hidden ".x.tmp123-4" behind.
/// At most 16 are tracked at once; more are simply not removed by a signal.
class TempFileGuard {
public:
    explicit TempFileGuard(const std::string& path);
    ~TempFileGuard();
    TempFileGuard(const TempFileGuard&) = delete;
    TempFileGuard& operator=(const TempFileGuard&) = delete;

private:
    int m_slot = -1;
};

/// Installs handlers for SIGTERM, SIGHUP and SIGINT that remove the temporary files in
/// flight (TempFileGuard), then end the process by the same signal with its default
/// action (the exit status still says "killed by SIGTERM"). Call once, early in main.
void remove_temps_on_signals();

/// Makes sure GDAL's drivers are registered and its errors are routed to us (idempotent).
void ensure_gdal();

}  // namespace mp::io
