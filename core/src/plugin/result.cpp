// SPDX-License-Identifier: MIT
#include "mp/plugin/result.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cmath>
#include <filesystem>

#include "mp/core/error.hpp"
#include "mp/io/ogr_io.hpp"
#include "json_codec.hpp"

namespace fs = std::filesystem;

namespace mp::plugin {

std::string_view run_status_name(RunStatus s) {
    switch (s) {
        case RunStatus::Ok: return "ok";
        case RunStatus::Error: return "error";
        case RunStatus::Cancelled: return "cancelled";
        case RunStatus::Crashed: return "crashed";
        case RunStatus::TimedOut: return "timed-out";
        case RunStatus::IgnoredCancel: return "ignored-cancel";
        case RunStatus::Rejected: return "rejected";
        case RunStatus::Infeasible: return "infeasible";
    }
    return "error";
}

std::string Table::Column::cell(std::size_t row) const {
    if (!numeric) return row < texts.size() ? texts[row] : "";
    if (row >= numbers.size() || !std::isfinite(numbers[row])) return "";
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, numbers[row]);
    return std::string(buf, r.ptr);
}

namespace {
std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}
}  // namespace

std::string Table::to_csv() const {
    std::string out;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        const auto& col = columns[c];
        out += (c ? "," : "") + csv_field(col.unit.empty() ? col.name : col.name + " [" + col.unit + "]");
    }
    out += "\n";
    for (std::size_t r = 0; r < rows(); ++r) {
        for (std::size_t c = 0; c < columns.size(); ++c) out += (c ? "," : "") + csv_field(columns[c].cell(r));
        out += "\n";
    }
    return out;
}

namespace {

using detail::geometry_from_json;
using detail::geometry_json;
using detail::value_from_json;
using detail::value_json;

nlohmann::json style_json(const Style& s) {
    return {{"color", s.color}, {"width_px", s.width_px}, {"label_field", s.label_field}};
}
Style style_from_json(const nlohmann::json& j) {
    Style s;
    s.color = j.value("color", s.color);
    s.width_px = j.value("width_px", s.width_px);
    s.label_field = j.value("label_field", std::string());
    return s;
}

}  // namespace

nlohmann::json to_json(const RunResult& r) {
    nlohmann::json j{
        {"status", run_status_name(r.status)}, {"error", r.error}, {"seconds", r.seconds}, {"isolated", r.isolated}};
    j["layers"] = nlohmann::json::array();
    for (const auto& rl : r.layers) {
        nlohmann::json feats = nlohmann::json::array();
        for (std::size_t i = 0; i < rl.layer.features.size(); ++i) {
            const auto& f = rl.layer.features[i];
            nlohmann::json attrs = nlohmann::json::array();
            for (const auto& [k, v] : f.attributes.items()) attrs.push_back({k, value_json(v)});
            nlohmann::json fj{{"id", f.id}, {"g", geometry_json(f.geometry)}, {"a", attrs}};
            if (i < rl.feature_styles.size() && rl.feature_styles[i]) fj["style"] = style_json(*rl.feature_styles[i]);
            feats.push_back(std::move(fj));
        }
        j["layers"].push_back({{"name", rl.layer.name}, {"style", style_json(rl.style)}, {"features", feats}});
    }
    j["rasters"] = nlohmann::json::array();
    for (const auto& ra : r.rasters)
        j["rasters"].push_back({{"name", ra.name},
                                {"width", ra.width},
                                {"height", ra.height},
                                {"gt", ra.geotransform},
                                {"crs", ra.crs},
                                {"values", ra.values},
                                {"nodata", ra.nodata},
                                {"unit", ra.unit}});
    j["tables"] = nlohmann::json::array();
    for (const auto& t : r.tables) {
        nlohmann::json cols = nlohmann::json::array();
        for (const auto& c : t.columns) {
            nlohmann::json cj{{"name", c.name}, {"unit", c.unit}, {"numeric", c.numeric}};
            if (c.numeric) {
                nlohmann::json nums = nlohmann::json::array();
                for (double v : c.numbers)
                    nums.push_back(std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr));
                cj["values"] = nums;
            } else {
                cj["values"] = c.texts;
            }
            cols.push_back(std::move(cj));
        }
        j["tables"].push_back({{"name", t.name}, {"chart", t.chart_hint}, {"columns", cols}});
    }
    j["messages"] = nlohmann::json::array();
    for (const auto& m : r.messages) j["messages"].push_back({{"level", m.level}, {"text", m.text}});
    return j;
}

RunResult run_result_from_json(const nlohmann::json& j) {
    try {
        RunResult r;
        const std::string status = j.at("status").get<std::string>();
        for (auto s : {RunStatus::Ok, RunStatus::Error, RunStatus::Cancelled, RunStatus::Crashed, RunStatus::TimedOut,
                       RunStatus::IgnoredCancel, RunStatus::Rejected, RunStatus::Infeasible})
            if (run_status_name(s) == status) r.status = s;
        r.error = j.value("error", std::string());
        r.seconds = j.value("seconds", 0.0);
        r.isolated = j.value("isolated", false);
        for (const auto& lj : j.at("layers")) {
            ResultLayer rl;
            rl.layer.name = lj.at("name").get<std::string>();
            rl.layer.source_crs = "EPSG:4326";
            rl.style = style_from_json(lj.at("style"));
            for (const auto& fj : lj.at("features")) {
                layer::Feature f;
                f.id = fj.at("id").get<std::string>();
                f.geometry = geometry_from_json(fj.at("g"));
                for (const auto& kv : fj.at("a"))
                    f.attributes.set(kv.at(0).get<std::string>(), value_from_json(kv.at(1)));
                rl.layer.features.push_back(std::move(f));
                rl.feature_styles.push_back(fj.contains("style") ? std::optional<Style>(style_from_json(fj["style"]))
                                                                 : std::nullopt);
            }
            rl.layer.infer_fields();
            r.layers.push_back(std::move(rl));
        }
        for (const auto& rj : j.at("rasters")) {
            Raster ra;
            ra.name = rj.at("name").get<std::string>();
            ra.width = rj.at("width").get<std::size_t>();
            ra.height = rj.at("height").get<std::size_t>();
            ra.geotransform = rj.at("gt").get<std::array<double, 6>>();
            ra.crs = rj.at("crs").get<std::string>();
            ra.values = rj.at("values").get<std::vector<double>>();
            ra.nodata = rj.at("nodata").get<double>();
            ra.unit = rj.value("unit", std::string());
            r.rasters.push_back(std::move(ra));
        }
        for (const auto& tj : j.at("tables")) {
            Table t;
            t.name = tj.at("name").get<std::string>();
            t.chart_hint = tj.value("chart", std::string());
            for (const auto& cj : tj.at("columns")) {
                Table::Column c;
                c.name = cj.at("name").get<std::string>();
                c.unit = cj.value("unit", std::string());
                c.numeric = cj.at("numeric").get<bool>();
                if (c.numeric)
                    for (const auto& v : cj.at("values")) c.numbers.push_back(v.is_number() ? v.get<double>() : NAN);
                else c.texts = cj.at("values").get<std::vector<std::string>>();
                t.columns.push_back(std::move(c));
            }
            r.tables.push_back(std::move(t));
        }
        for (const auto& mj : j.at("messages"))
            r.messages.push_back({mj.at("level").get<int>(), mj.at("text").get<std::string>()});
        return r;
    } catch (const nlohmann::json::exception& e) {
        throw PluginError(std::string("malformed result from the plugin host: ") + e.what());
    }
}

layer::Layer merged_layers(const RunResult& r, const std::string& name) {
    layer::Layer out;
    out.name = name;
    out.source_crs = "EPSG:4326";
    for (const auto& rl : r.layers)
        for (const auto& f : rl.layer.features) {
            layer::Feature copy = f;
            copy.attributes.set("layer", rl.layer.name);
            out.features.push_back(std::move(copy));
        }
    out.infer_fields();
    return out;
}

void write_geotiff(const Raster& r, const std::string& path) {
    io::ensure_gdal();
    if (r.width == 0 || r.height == 0 || r.values.size() != r.width * r.height)
        throw Error("raster '" + r.name + "' has " + std::to_string(r.values.size()) + " values for " +
                    std::to_string(r.width) + " x " + std::to_string(r.height) + " cells");
    const fs::path target(path);
    const fs::path tmp = io::temp_path_beside(path);
    try {
        GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GTiff");
        if (!drv) throw Error("GDAL GTiff driver is not available");
        char** opts = nullptr;
        opts = CSLSetNameValue(opts, "COMPRESS", "DEFLATE");
        GDALDatasetUniquePtr ds(
            drv->Create(tmp.c_str(), static_cast<int>(r.width), static_cast<int>(r.height), 1, GDT_Float64, opts));
        CSLDestroy(opts);
        if (!ds) throw Error("cannot create GeoTIFF", path);
        double gt[6];
        std::copy(r.geotransform.begin(), r.geotransform.end(), gt);
        ds->SetGeoTransform(gt);
        OGRSpatialReference srs;
        if (srs.SetFromUserInput(r.crs.c_str()) == OGRERR_NONE) ds->SetSpatialRef(&srs);
        GDALRasterBand* band = ds->GetRasterBand(1);
        band->SetNoDataValue(r.nodata);
        if (band->RasterIO(GF_Write, 0, 0, static_cast<int>(r.width), static_cast<int>(r.height),
                           const_cast<double*>(r.values.data()), static_cast<int>(r.width), static_cast<int>(r.height),
                           GDT_Float64, 0, 0) != CE_None)
            throw Error("cannot write raster cells", path);
        ds.reset();
        fs::rename(tmp, target);
    } catch (...) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw;
    }
}

std::vector<std::string> write_results(const RunResult& r, const std::string& out_path) {
    std::vector<std::string> written;
    const fs::path out(out_path);
    const io::Format fmt = io::format_from_path(out_path);
    if (!r.layers.empty()) {
        if (fmt == io::Format::GeoPackage) {
            std::vector<const layer::Layer*> ls;
            for (const auto& rl : r.layers) ls.push_back(&rl.layer);
            io::write_layers(ls, out_path, fmt);
        } else {
            io::write_layer(merged_layers(r), out_path, fmt);
        }
        written.push_back(out_path);
    }
    const fs::path base = out.parent_path() / out.stem();
    auto safe = [](std::string s) {
        for (char& c : s)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
        return s;
    };
    for (const auto& t : r.tables) {
        const std::string p = base.string() + "." + safe(t.name) + ".csv";
        io::write_file_atomic(p, t.to_csv());
        written.push_back(p);
    }
    for (const auto& ra : r.rasters) {
        const std::string p = base.string() + "." + safe(ra.name) + ".tif";
        write_geotiff(ra, p);
        written.push_back(p);
    }
    return written;
}

}  // namespace mp::plugin
