// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mp/layer/layer.hpp"

namespace mp::plugin {

/// Display hints for a result layer or feature (plugins never draw).
struct Style {
    std::string color = "#d62728";  ///< "#rrggbb" or "#rrggbbaa"
    double width_px = 3;
    std::string label_field;
};

struct ResultLayer {
    layer::Layer layer;
    Style style;
    std::vector<std::optional<Style>> feature_styles;  ///< parallel to layer.features
};

/// A grid result (e.g. a coverage count): row-major from the top-left cell.
struct Raster {
    std::string name;
    std::size_t width = 0;
    std::size_t height = 0;
    std::array<double, 6> geotransform{};  ///< GDAL convention
    std::string crs;                       ///< PROJ user input
    std::vector<double> values;
    double nodata = -9999;
    std::string unit;
};

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
    std::string chart_hint;  ///< "line", "bar" or "" (a plain table)
    std::vector<Column> columns;
    std::size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }
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

/// Serialisation used between the plugin-host process and the host.
nlohmann::json to_json(const RunResult& r);
/// Throws mp::PluginError when the JSON is not a run result.
RunResult run_result_from_json(const nlohmann::json& j);

/// Writes the results next to out_path, each file atomically: the layers to out_path
/// (format from its extension; a GeoJSON gets all layers merged with a "layer"
/// property), each table to <stem>.<table>.csv, each raster to <stem>.<raster>.tif
/// (GeoTIFF). Returns the paths written.
std::vector<std::string> write_results(const RunResult& r, const std::string& out_path);

/// Writes one raster as a GeoTIFF atomically. Throws mp::Error.
void write_geotiff(const Raster& r, const std::string& path);

/// All result layers merged into one layer (each feature gets a "layer" attribute).
layer::Layer merged_layers(const RunResult& r, const std::string& name = "results");

}  // namespace mp::plugin
