// SPDX-License-Identifier: MIT
#include "mp/plugin/result.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <unistd.h>

#include <atomic>
#include <bit>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <regex>

#include "mp/core/error.hpp"
#include "mp/core/utf8.hpp"
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

std::string_view pixel_type_name(PixelType t) {
    switch (t) {
        case PixelType::Byte: return "Byte";
        case PixelType::UInt16: return "UInt16";
        case PixelType::UInt32: return "UInt32";
        case PixelType::UInt64: return "UInt64";
        case PixelType::Float32: return "Float32";
        case PixelType::Float64: return "Float64";
    }
    return "Float64";
}

std::optional<PixelType> pixel_type_from_name(std::string_view name) {
    for (auto t : {PixelType::Byte, PixelType::UInt16, PixelType::UInt32, PixelType::UInt64, PixelType::Float32,
                   PixelType::Float64})
        if (pixel_type_name(t) == name) return t;
    return std::nullopt;
}

std::size_t pixel_size(PixelType t) {
    switch (t) {
        case PixelType::Byte: return 1;
        case PixelType::UInt16: return 2;
        case PixelType::UInt32: return 4;
        case PixelType::UInt64: return 8;
        case PixelType::Float32: return 4;
        case PixelType::Float64: return 8;
    }
    return 8;
}

std::string_view raster_role_name(RasterRole r) {
    switch (r) {
        case RasterRole::Plain: return "plain";
        case RasterRole::BandsPerHeight: return "bands-per-height";
        case RasterRole::Bitmask: return "bitmask";
        case RasterRole::Categories: return "categories";
    }
    return "plain";
}

std::optional<RasterRole> raster_role_from_name(std::string_view name) {
    for (auto r : {RasterRole::Plain, RasterRole::BandsPerHeight, RasterRole::Bitmask, RasterRole::Categories})
        if (raster_role_name(r) == name) return r;
    return std::nullopt;
}

namespace {

template <typename T>
T load(const std::uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

}  // namespace

double Raster::value(std::size_t band, std::size_t index) const {
    const std::size_t i = band * cells() + index;
    assert(band < bands && index < cells());
    if (type == PixelType::Float64) return values[i];
    const std::uint8_t* p = data.data() + i * pixel_size(type);
    switch (type) {
        case PixelType::Byte: return *p;
        case PixelType::UInt16: return load<std::uint16_t>(p);
        case PixelType::UInt32: return load<std::uint32_t>(p);
        case PixelType::UInt64: return static_cast<double>(load<std::uint64_t>(p));
        case PixelType::Float32: return load<float>(p);
        case PixelType::Float64: break;
    }
    return values[i];
}

std::uint64_t Raster::bits(std::size_t band, std::size_t index) const {
    assert(is_integer(type) && band < bands && index < cells());
    const std::uint8_t* p = data.data() + (band * cells() + index) * pixel_size(type);
    switch (type) {
        case PixelType::Byte: return *p;
        case PixelType::UInt16: return load<std::uint16_t>(p);
        case PixelType::UInt32: return load<std::uint32_t>(p);
        case PixelType::UInt64: return load<std::uint64_t>(p);
        default: return 0;
    }
}

std::vector<double> Raster::band_values(std::size_t band) const {
    std::vector<double> out;
    if (band >= bands || !problem().empty()) return out;
    if (type == PixelType::Float64) {
        const auto first = values.begin() + static_cast<std::ptrdiff_t>(band * cells());
        return std::vector<double>(first, first + static_cast<std::ptrdiff_t>(cells()));
    }
    out.resize(cells());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = value(band, i);
    return out;
}

std::string Raster::problem() const {
    const std::string where = "raster '" + name + "': ";
    if (width == 0 || height == 0 || bands == 0)
        return where + std::to_string(width) + " x " + std::to_string(height) + " cells, " + std::to_string(bands) +
               " bands";
    const std::size_t limit = std::numeric_limits<std::size_t>::max() / 8;
    if (height > limit / width || bands > limit / (width * height)) return where + "too many cells";
    const std::size_t n = bands * cells();
    if (type == PixelType::Float64) {
        if (values.size() != n || !data.empty())
            return where + std::to_string(values.size()) + " Float64 values for " + std::to_string(bands) + " x " +
                   std::to_string(width) + " x " + std::to_string(height) + " cells";
    } else if (data.size() != n * pixel_size(type) || !values.empty()) {
        return where + std::to_string(data.size()) + " bytes of " + std::string(pixel_type_name(type)) + " for " +
               std::to_string(bands) + " x " + std::to_string(width) + " x " + std::to_string(height) + " cells";
    }
    for (double v : geotransform)
        if (!std::isfinite(v)) return where + "geotransform is not finite";
    if (geotransform[1] == 0 || geotransform[5] == 0) return where + "zero cell size in the geotransform";
    if (!band_names.empty() && band_names.size() != bands)
        return where + std::to_string(band_names.size()) + " band names for " + std::to_string(bands) + " bands";
    if (role == RasterRole::BandsPerHeight) {
        if (band_heights_m.size() != bands)
            return where + std::to_string(band_heights_m.size()) + " band heights for " + std::to_string(bands) +
                   " bands (bands per height need one height per band)";
        for (double h : band_heights_m)
            if (!std::isfinite(h)) return where + "a band height is not finite";
    }
    if ((role == RasterRole::Bitmask || role == RasterRole::Categories) && !is_integer(type))
        return where + "a " + std::string(raster_role_name(role)) + " raster needs an integer pixel type, not " +
               std::string(pixel_type_name(type));
    if (role == RasterRole::Bitmask && item_names.size() > bands * 8 * pixel_size(type))
        return where + std::to_string(item_names.size()) + " bit names for " +
               std::to_string(bands * 8 * pixel_size(type)) + " bits";
    if (has_nodata && is_integer(type)) {
        // 2^(8 * size): the first value past the type's range (exact in a double).
        const double end = std::ldexp(1.0, static_cast<int>(8 * pixel_size(type)));
        if (!std::isfinite(nodata) || nodata < 0 || nodata >= end || nodata != std::floor(nodata))
            return where + "nodata " + std::to_string(nodata) + " is not a " + std::string(pixel_type_name(type)) +
                   " value";
    }
    return {};
}

bool known_chart_kind(std::string_view kind) {
    return kind == "line" || kind == "bar" || kind == "gantt" || kind == "heatmap";
}

const Table::Column* Table::find(std::string_view column) const {
    for (const auto& c : columns)
        if (c.name == column) return &c;
    return nullptr;
}

std::optional<Chart> Table::chart_spec() const {
    if (chart) {
        Chart c = *chart;
        if ((c.kind == "line" || c.kind == "bar") && c.y.empty())
            for (const auto& col : columns)
                if (col.numeric && col.name != c.x) c.y.push_back(col.name);
        return c;
    }
    if (chart_hint != "line" && chart_hint != "bar") return std::nullopt;
    std::vector<const Column*> num;
    for (const auto& col : columns)
        if (col.numeric && !col.numbers.empty()) num.push_back(&col);
    if (num.empty()) return std::nullopt;
    Chart c;
    c.kind = chart_hint;
    std::size_t first = 0;
    if (num.size() >= 2) c.x = num[0]->name, first = 1;
    for (std::size_t i = first; i < num.size(); ++i) c.y.push_back(num[i]->name);
    return c;
}

bool is_iso8601_time(std::string_view text) {
    static const std::regex re(R"(\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?)");
    return std::regex_match(text.begin(), text.end(), re);
}

std::string Table::chart_problem(const Chart& c) const {
    if (!known_chart_kind(c.kind)) return "unknown chart kind '" + c.kind + "' (known: line, bar, gantt, heatmap)";
    std::string names;
    for (const auto& col : columns) names += (names.empty() ? "" : ", ") + col.name;
    // role: what the column is for; need: whether the kind requires it; numeric: whether
    // it must hold numbers.
    auto check = [&](const char* role, const std::string& col, bool need, bool numeric) -> std::string {
        if (col.empty()) return need ? "a " + c.kind + " chart needs a " + role + " column" : std::string();
        const Column* k = find(col);
        if (!k) return std::string(role) + " column '" + col + "' is not in the table (columns: " + names + ")";
        if (numeric && !k->numeric) return std::string(role) + " column '" + col + "' is not numeric";
        return {};
    };
    std::string why;
    if (c.kind == "line" || c.kind == "bar") {
        if (!(why = check("x", c.x, false, false)).empty()) return why;
        for (const auto& y : c.y)
            if (!(why = check("y", y, true, true)).empty()) return why;
        if (c.y.empty()) {
            bool any = false;
            for (const auto& col : columns) any = any || (col.numeric && col.name != c.x);
            if (!any) return "a " + c.kind + " chart needs a numeric column besides x (columns: " + names + ")";
        }
    } else if (c.kind == "gantt") {
        for (const auto& [role, col] :
             {std::pair<const char*, const std::string*>{"start", &c.start}, {"end", &c.end}}) {
            if (!(why = check(role, *col, true, false)).empty()) return why;
            const Column* k = find(*col);
            if (!k->numeric)
                for (std::size_t r = 0; r < k->texts.size(); ++r)
                    if (!k->texts[r].empty() && !is_iso8601_time(k->texts[r]))
                        return std::string(role) + " column '" + *col + "' row " + std::to_string(r + 1) + ": '" +
                               k->texts[r] + "' is neither seconds nor an ISO 8601 time";
        }
        if (!(why = check("label", c.label, false, false)).empty()) return why;
        if (!(why = check("group", c.group, false, false)).empty()) return why;
    } else {
        if (!(why = check("row", c.row, true, false)).empty()) return why;
        if (!(why = check("column", c.column, true, false)).empty()) return why;
        if (!(why = check("value", c.value, true, true)).empty()) return why;
        if (!(why = check("label", c.label, false, false)).empty()) return why;
    }
    return {};
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

// Cells as base64 of their little-endian bytes (GDAL's CPLBase64Encode), so that a
// 64-bit mask and NaN cross JSON exactly, and a large grid crosses compactly: 10.7
// characters per double instead of up to 24 as JSON numbers, and no number parsing.
std::vector<std::uint8_t> little_endian(std::vector<std::uint8_t> bytes, std::size_t size) {
    if constexpr (std::endian::native == std::endian::big)
        for (std::size_t i = 0; i + size <= bytes.size(); i += size)
            std::reverse(bytes.begin() + i, bytes.begin() + i + size);
    return bytes;
}

std::string base64(const std::vector<std::uint8_t>& bytes) {
    if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw Error("raster of " + std::to_string(bytes.size()) + " bytes is too large to serialise");
    char* b = CPLBase64Encode(static_cast<int>(bytes.size()), bytes.data());
    std::string out = b ? b : "";
    CPLFree(b);
    return out;
}

std::vector<std::uint8_t> from_base64(std::string text) {
    const int n = CPLBase64DecodeInPlace(reinterpret_cast<GByte*>(text.data()));
    return std::vector<std::uint8_t>(text.begin(), text.begin() + std::max(n, 0));
}

// NaN and infinities as null (JSON has no such numbers), and back.
nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }
double number_from(const nlohmann::json& j) { return j.is_number() ? j.get<double>() : NAN; }

nlohmann::json raster_json(const Raster& ra) {
    nlohmann::json j{{"name", ra.name},
                     {"width", ra.width},
                     {"height", ra.height},
                     {"gt", ra.geotransform},
                     {"crs", ra.crs},
                     {"nodata", number_or_null(ra.nodata)},
                     {"unit", ra.unit},
                     {"bands", ra.bands},
                     {"type", pixel_type_name(ra.type)},
                     {"has_nodata", ra.has_nodata},
                     {"role", raster_role_name(ra.role)}};
    if (ra.type == PixelType::Float64) {
        std::vector<std::uint8_t> bytes(ra.values.size() * sizeof(double));
        std::memcpy(bytes.data(), ra.values.data(), bytes.size());
        j["data"] = base64(little_endian(std::move(bytes), sizeof(double)));
    } else {
        j["data"] = base64(little_endian(ra.data, pixel_size(ra.type)));
    }
    if (!ra.band_names.empty()) j["band_names"] = ra.band_names;
    if (!ra.band_heights_m.empty()) j["band_heights_m"] = ra.band_heights_m;
    if (!ra.item_names.empty()) j["item_names"] = ra.item_names;
    return j;
}

Raster raster_from_json(const nlohmann::json& rj) {
    Raster ra;
    ra.name = rj.at("name").get<std::string>();
    ra.width = rj.at("width").get<std::size_t>();
    ra.height = rj.at("height").get<std::size_t>();
    ra.geotransform = rj.at("gt").get<std::array<double, 6>>();
    ra.crs = rj.at("crs").get<std::string>();
    ra.nodata = number_from(rj.at("nodata"));
    ra.unit = rj.value("unit", std::string());
    ra.bands = rj.value("bands", std::size_t{1});
    const std::string type = rj.value("type", std::string("Float64"));
    const auto t = pixel_type_from_name(type);
    if (!t) throw PluginError("raster '" + ra.name + "' has an unknown pixel type '" + type + "'");
    ra.type = *t;
    ra.has_nodata = rj.value("has_nodata", true);
    const std::string role = rj.value("role", std::string("plain"));
    const auto ro = raster_role_from_name(role);
    if (!ro) throw PluginError("raster '" + ra.name + "' has an unknown role '" + role + "'");
    ra.role = *ro;
    if (ra.type == PixelType::Float64 && !rj.contains("data")) {
        for (const auto& v : rj.at("values")) ra.values.push_back(number_from(v));  // as written before ABI 1.1
    } else {
        ra.data = little_endian(from_base64(rj.at("data").get<std::string>()), pixel_size(ra.type));
        if (ra.type == PixelType::Float64) {
            if (ra.data.size() % sizeof(double) != 0)
                throw PluginError("malformed result: raster '" + ra.name + "' has " + std::to_string(ra.data.size()) +
                                  " bytes of Float64 cells");
            ra.values.resize(ra.data.size() / sizeof(double));
            std::memcpy(ra.values.data(), ra.data.data(), ra.data.size());
            ra.data.clear();
        }
    }
    ra.band_names = rj.value("band_names", std::vector<std::string>());
    ra.band_heights_m = rj.value("band_heights_m", std::vector<double>());
    ra.item_names = rj.value("item_names", std::vector<std::string>());
    if (const std::string why = ra.problem(); !why.empty()) throw PluginError("malformed result: " + why);
    return ra;
}

nlohmann::json chart_json(const Chart& c) {
    return {{"kind", c.kind},
            {"title", c.title},
            {"x", c.x},
            {"y", c.y},
            {"y_unit_right", c.y_unit_right},
            {"start", c.start},
            {"end", c.end},
            {"label", c.label},
            {"group", c.group},
            {"row", c.row},
            {"column", c.column},
            {"value", c.value}};
}

Chart chart_from_json(const nlohmann::json& j) {
    Chart c;
    c.kind = j.at("kind").get<std::string>();
    auto text = [&](const char* k) { return j.value(k, std::string()); };
    c.title = text("title"), c.x = text("x"), c.y_unit_right = text("y_unit_right");
    c.y = j.value("y", std::vector<std::string>());
    c.start = text("start"), c.end = text("end"), c.label = text("label"), c.group = text("group");
    c.row = text("row"), c.column = text("column"), c.value = text("value");
    return c;
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
        nlohmann::json lj{{"name", rl.layer.name}, {"style", style_json(rl.style)}, {"features", feats}};
        if (!rl.role.empty()) {
            lj["role"] = rl.role;
            lj["start_field"] = rl.start_field;
            lj["end_field"] = rl.end_field;
        }
        j["layers"].push_back(std::move(lj));
    }
    j["rasters"] = nlohmann::json::array();
    for (const auto& ra : r.rasters) j["rasters"].push_back(raster_json(ra));
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
        nlohmann::json tj{{"name", t.name}, {"chart", t.chart_hint}, {"columns", cols}};
        if (t.chart) tj["chart_spec"] = chart_json(*t.chart);
        j["tables"].push_back(std::move(tj));
    }
    j["messages"] = nlohmann::json::array();
    for (const auto& m : r.messages) j["messages"].push_back({{"level", m.level}, {"text", m.text}});
    return j;
}

namespace {

// Whether any string (key or value) in j is ill-formed UTF-8.
bool has_bad_utf8(const nlohmann::json& j) {
    if (j.is_string()) return !valid_utf8(j.get_ref<const std::string&>());
    if (j.is_object()) {
        for (const auto& [k, v] : j.items())
            if (!valid_utf8(k) || has_bad_utf8(v)) return true;
    } else if (j.is_array()) {
        for (const auto& v : j)
            if (has_bad_utf8(v)) return true;
    }
    return false;
}

// The same JSON with every string repaired (ill-formed sequences become U+FFFD).
nlohmann::json repaired_utf8(const nlohmann::json& j) {
    if (j.is_string()) return sanitize_utf8(j.get_ref<const std::string&>());
    if (j.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& [k, v] : j.items()) out[sanitize_utf8(k)] = repaired_utf8(v);
        return out;
    }
    if (j.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& v : j) out.push_back(repaired_utf8(v));
        return out;
    }
    return j;
}

RunResult result_from_valid_json(const nlohmann::json& j);

}  // namespace

RunResult run_result_from_json(const nlohmann::json& j) {
    // The bytes come from another process or a file: text that is not UTF-8 (CBOR strings
    // may hold any bytes) is repaired here, at the boundary, so that nothing downstream
    // (GeoJSON, scenario files) meets it (hardening item 11; found by fuzz_result).
    if (has_bad_utf8(j)) return result_from_valid_json(repaired_utf8(j));
    return result_from_valid_json(j);
}

namespace {

RunResult result_from_valid_json(const nlohmann::json& j) {
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
            rl.role = lj.value("role", std::string());
            rl.start_field = lj.value("start_field", std::string());
            rl.end_field = lj.value("end_field", std::string());
            r.layers.push_back(std::move(rl));
        }
        for (const auto& rj : j.at("rasters")) r.rasters.push_back(raster_from_json(rj));
        for (const auto& tj : j.at("tables")) {
            Table t;
            t.name = tj.at("name").get<std::string>();
            t.chart_hint = tj.value("chart", std::string());
            if (tj.contains("chart_spec")) t.chart = chart_from_json(tj.at("chart_spec"));
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

}  // namespace

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

namespace {

GDALDataType gdal_type(PixelType t) {
    switch (t) {
        case PixelType::Byte: return GDT_Byte;
        case PixelType::UInt16: return GDT_UInt16;
        case PixelType::UInt32: return GDT_UInt32;
        case PixelType::UInt64: return GDT_UInt64;
        case PixelType::Float32: return GDT_Float32;
        case PixelType::Float64: return GDT_Float64;
    }
    return GDT_Float64;
}

std::string shortest(double v) {
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

}  // namespace

void write_geotiff(const Raster& r, const std::string& path) {
    io::ensure_gdal();
    if (const std::string why = r.problem(); !why.empty()) throw Error(why, path);
    if (r.width > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
        r.height > static_cast<std::size_t>(std::numeric_limits<int>::max()) || r.bands > 65535)
        throw Error("raster '" + r.name + "' is too large for a GeoTIFF", path);
    const fs::path target(path);
    const fs::path tmp = io::temp_path_beside(path);
    const io::TempFileGuard guard(tmp.string()), aux_guard(tmp.string() + ".aux.xml");
    try {
        GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GTiff");
        if (!drv) throw Error("GDAL GTiff driver is not available");
        char** opts = nullptr;
        opts = CSLSetNameValue(opts, "COMPRESS", "DEFLATE");
        if (r.bands > 1) opts = CSLSetNameValue(opts, "INTERLEAVE", "BAND");
        // Very large rasters need BigTIFF; GDAL decides from the uncompressed size.
        opts = CSLSetNameValue(opts, "BIGTIFF", "IF_SAFER");
        const int w = static_cast<int>(r.width), h = static_cast<int>(r.height);
        GDALDatasetUniquePtr ds(drv->Create(tmp.c_str(), w, h, static_cast<int>(r.bands), gdal_type(r.type), opts));
        CSLDestroy(opts);
        if (!ds) throw Error("cannot create GeoTIFF", path);
        double gt[6];
        std::copy(r.geotransform.begin(), r.geotransform.end(), gt);
        ds->SetGeoTransform(gt);
        OGRSpatialReference srs;
        if (srs.SetFromUserInput(r.crs.c_str(), OGRSpatialReference::SET_FROM_USER_INPUT_LIMITATIONS_get()) ==
            OGRERR_NONE)
            ds->SetSpatialRef(&srs);
        // Everything below lands in the GeoTIFF itself (the GDAL_METADATA and
        // GDAL_NODATA tags), never in a .aux.xml beside the temporary file.
        if (r.role != RasterRole::Plain) ds->SetMetadataItem("ROLE", std::string(raster_role_name(r.role)).c_str());
        const char* item_key = r.role == RasterRole::Bitmask ? "BIT_" : "CLASS_";
        for (std::size_t i = 0; i < r.item_names.size(); ++i)
            if (!r.item_names[i].empty())
                ds->SetMetadataItem((item_key + std::to_string(i)).c_str(), r.item_names[i].c_str());
        const std::size_t band_bytes = r.cells() * pixel_size(r.type);
        for (std::size_t b = 0; b < r.bands; ++b) {
            GDALRasterBand* band = ds->GetRasterBand(static_cast<int>(b + 1));
            if (r.has_nodata) {
                if (r.type == PixelType::UInt64) band->SetNoDataValueAsUInt64(static_cast<std::uint64_t>(r.nodata));
                else band->SetNoDataValue(r.nodata);
            }
            if (!r.unit.empty()) band->SetUnitType(r.unit.c_str());
            if (b < r.band_names.size() && !r.band_names[b].empty()) band->SetDescription(r.band_names[b].c_str());
            if (r.role == RasterRole::BandsPerHeight)
                band->SetMetadataItem("HEIGHT_M", shortest(r.band_heights_m[b]).c_str());
            void* cells = r.type == PixelType::Float64
                              ? static_cast<void*>(const_cast<double*>(r.values.data() + b * r.cells()))
                              : static_cast<void*>(const_cast<std::uint8_t*>(r.data.data() + b * band_bytes));
            if (band->RasterIO(GF_Write, 0, 0, w, h, cells, w, h, gdal_type(r.type), 0, 0) != CE_None)
                throw Error("cannot write raster cells", path);
        }
        // GDAL 3.6 reports a failed flush (a full disk) only through its error state.
        CPLErrorReset();
        ds->FlushCache(true);
        ds.reset();
        if (CPLGetLastErrorType() >= CE_Failure)
            throw Error("cannot finish the GeoTIFF: " + std::string(CPLGetLastErrorMsg()), path);
        fs::rename(tmp, target);
    } catch (...) {
        std::error_code ec;
        fs::remove(tmp, ec);
        fs::remove(tmp.string() + ".aux.xml", ec);
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
