// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mp/layer/layer.hpp"

namespace mp::plugin {

/// Display hints for a result layer or feature (plugins never draw).
struct Style {
    std::string color = "#d62728";  ///< "#rrggbb" or "#rrggbbaa"
    double width_px = 3;
    std::string label_field;
};

/// A result layer: features in WGS84 lon/lat with display hints and an optional role.
struct ResultLayer {
    layer::Layer layer;
    Style style;
    std::vector<std::optional<Style>> feature_styles;  ///< parallel to layer.features
    /// What the layer means to the GUI: "" (plain features) or "movements" (features with
    /// times: start_field and end_field hold each feature's start and end, ISO 8601 UTC
    /// or seconds).
    std::string role;
    std::string start_field;
    std::string end_field;
};

/// Pixel types of raster results (MpDataType).
enum class PixelType { Byte, UInt16, UInt32, UInt64, Float32, Float64 };
/// The GDAL name of a pixel type: "Byte", "UInt16", "UInt32", "UInt64", "Float32", "Float64".
std::string_view pixel_type_name(PixelType t);
/// The pixel type of a name as pixel_type_name gives it; nullopt for any other.
std::optional<PixelType> pixel_type_from_name(std::string_view name);
/// Bytes per cell of a pixel type.
std::size_t pixel_size(PixelType t);
/// Whether a pixel type holds integers.
inline bool is_integer(PixelType t) { return t != PixelType::Float32 && t != PixelType::Float64; }

/// What a raster result means, so the GUI can show it without guessing from names
/// (MpRasterRole).
enum class RasterRole {
    Plain,           ///< one or more unrelated bands
    BandsPerHeight,  ///< one band per height above ground (band_heights_m): a band selector
    Bitmask,         ///< bit i of a cell is set when item i applies (item_names name the bits)
    Categories       ///< integer classes (item_names name class values 0, 1, ...)
};
/// "plain", "bands-per-height", "bitmask", "categories".
std::string_view raster_role_name(RasterRole r);
/// The role of a name as raster_role_name gives it; nullopt for any other.
std::optional<RasterRole> raster_role_from_name(std::string_view name);

/// A grid result of one or more bands (e.g. a coverage count, a visibility mask per
/// height): band after band, each row-major from the top-left cell. Float64 cells live
/// in `values` (the 1.0 single-band path), cells of every other type in `data`.
struct Raster {
    std::string name;
    std::size_t width = 0;
    std::size_t height = 0;
    std::size_t bands = 1;
    std::array<double, 6> geotransform{};  ///< GDAL convention
    std::string crs;                       ///< PROJ user input
    PixelType type = PixelType::Float64;
    /// Float64 cells: bands * height * width values (empty for other types).
    std::vector<double> values;
    /// Cells of the other types: bands * height * width values of `type` in the host's
    /// byte order, pixel_size(type) bytes each (empty for Float64).
    std::vector<std::uint8_t> data;
    bool has_nodata = true;
    double nodata = -9999;
    std::string unit;
    RasterRole role = RasterRole::Plain;
    std::vector<std::string> band_names;  ///< empty, or one per band ("" for an unnamed band)
    std::vector<double> band_heights_m;   ///< BandsPerHeight: each band's height above ground, m
    std::vector<std::string> item_names;  ///< Bitmask: name of bit i; Categories: name of class i

    /// Cells per band.
    std::size_t cells() const { return width * height; }
    /// Cell `index` (row * width + column) of band `band` (0-based) as a double (UInt64
    /// values above 2^53 round to the nearest double). Precondition: problem() is "".
    double value(std::size_t band, std::size_t index) const;
    /// The same cell as an unsigned integer (a bit mask). Precondition: is_integer(type).
    std::uint64_t bits(std::size_t band, std::size_t index) const;
    /// One band (0-based) as doubles, e.g. to draw it.
    std::vector<double> band_values(std::size_t band) const;
    /// "" when cells, names and heights fit the sizes, type and role; else why.
    std::string problem() const;
};

/// How the GUI draws a result table as a chart (MpChart); columns are named by their
/// table names.
struct Chart {
    std::string kind;            ///< "line", "bar", "gantt" or "heatmap"
    std::string title;           ///< optional
    std::string x;               ///< line/bar: the x or category column; "": the row number
    std::vector<std::string> y;  ///< line/bar: the value columns; empty: every other numeric column
    std::string y_unit_right;    ///< line/bar: series of this unit go on a second axis; optional
    std::string start;           ///< gantt: start column (seconds, or ISO 8601 UTC text)
    std::string end;             ///< gantt: end column
    std::string label;           ///< gantt: a bar's label; heatmap: cell text; optional
    std::string group;           ///< gantt: bars of a group share a lane colour; optional
    std::string row;             ///< heatmap: row label column
    std::string column;          ///< heatmap: column label column
    std::string value;           ///< heatmap: numeric value column
};

/// Whether text is an ISO 8601 date or date-time ("2026-01-01", "2026-01-01T06:00:00Z",
/// with an optional fraction and offset), as chart and movement times may be.
bool is_iso8601_time(std::string_view text);

/// Whether a chart kind is one the GUI draws ("line", "bar", "gantt", "heatmap").
bool known_chart_kind(std::string_view kind);

/// A table result: named columns of equal length (e.g. a time series or a march table).
struct Table {
    struct Column {
        std::string name;
        std::string unit;
        bool numeric = true;
        std::vector<double> numbers;
        std::vector<std::string> texts;
        std::size_t size() const { return numeric ? numbers.size() : texts.size(); }
        /// The cell as text (numbers in shortest round-trip form, NaN as "").
        std::string cell(std::size_t row) const;
    };
    std::string name;
    std::string chart_hint;      ///< the 1.0 hint: "line", "bar" or "" (a plain table)
    std::optional<Chart> chart;  ///< the chart a 1.1 plugin asked for (table_chart)
    std::vector<Column> columns;
    std::size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }
    /// The column of that name, or nullptr.
    const Column* find(std::string_view column) const;
    /// The chart to draw, with its defaults resolved: `chart` with y filled in (every
    /// numeric column but x) when it names none; else a 1.0 "line" or "bar" hint as a
    /// chart of that kind (x the first numeric column when there are two or more, the
    /// series the other numeric columns, as the 1.0 GUI drew it); else nullopt.
    std::optional<Chart> chart_spec() const;
    /// "" when `c` is a chart of a known kind whose columns this table has, numeric where
    /// numbers are needed (line/bar series, heatmap values; gantt start/end numeric or ISO
    /// 8601 text); else why.
    std::string chart_problem(const Chart& c) const;
    /// RFC 4180 CSV with a header row (units in brackets).
    std::string to_csv() const;
};

struct Message {
    int level = 0;  ///< 0 info, 1 warning, 2 error (MpLevel)
    std::string text;
};

/// How a run ended. Rejected: the plugin refused its input (an unknown site, a point off
/// every network: MP_INVALID_ARGUMENT from its run), as opposed to failing at its work.
/// Infeasible: the question was valid but has no answer (no route for the vehicle, a
/// deployment that can never close: MP_INFEASIBLE).
enum class RunStatus { Ok, Error, Cancelled, Crashed, TimedOut, IgnoredCancel, Rejected, Infeasible };
std::string_view run_status_name(RunStatus s);

/// Everything a plugin run produced, and how it ended.
struct RunResult {
    RunStatus status = RunStatus::Ok;
    std::string error;  ///< why, when status is not Ok
    std::vector<ResultLayer> layers;
    std::vector<Raster> rasters;
    std::vector<Table> tables;
    std::vector<Message> messages;
    double seconds = 0;
    bool isolated = false;
};

/// Serialisation used between the plugin-host process and the host, and in scenario
/// files. Raster cells are "data", base64 of their little-endian bytes (the "values"
/// array of numbers that older JSON holds still reads, null as NaN). Keys added in ABI
/// 1.1 (raster bands, type, role and names; table "chart_spec"; layer "role") are
/// optional on reading, so older JSON reads as before.
nlohmann::json to_json(const RunResult& r);
/// Throws mp::PluginError when the JSON is not a run result, or when its rasters'
/// cells do not fit their sizes (Raster::problem).
RunResult run_result_from_json(const nlohmann::json& j);

/// Writes the results next to out_path, each file atomically: the layers to out_path
/// (format from its extension; a GeoJSON gets all layers merged with a "layer"
/// property), each table to <stem>.<table>.csv, each raster to <stem>.<raster>.tif
/// (GeoTIFF, see write_geotiff). Returns the paths written.
std::vector<std::string> write_results(const RunResult& r, const std::string& out_path);

/// Writes one raster as a GeoTIFF atomically (temp file, then rename): every band in its
/// pixel type (UInt64 included), DEFLATE-compressed, band descriptions from band_names,
/// the unit as each band's unit type, and metadata a GIS shows: ROLE (dataset) unless
/// plain, HEIGHT_M (band) for bands per height, BIT_<i> and CLASS_<i> (dataset) for bit
/// and class names. Throws mp::Error when the raster is inconsistent or GDAL fails.
void write_geotiff(const Raster& r, const std::string& path);

/// All result layers merged into one layer (each feature gets a "layer" attribute).
layer::Layer merged_layers(const RunResult& r, const std::string& name = "results");

}  // namespace mp::plugin
