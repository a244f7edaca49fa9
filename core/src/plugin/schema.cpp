// SPDX-License-Identifier: MIT
#include "mp/plugin/schema.hpp"

#include "c_enum.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <cstring>
#include <sstream>

#include <filesystem>
#include <unistd.h>

#include "mp/core/error.hpp"
#include "mp/data/default_data.hpp"
#include "mp/data/host_tables.hpp"
#include "mp/io/ogr_io.hpp"
#include "mp/io/raster_io.hpp"

namespace mp::plugin {

std::string_view param_type_name(ParamType t) {
    switch (t) {
        case ParamType::Number: return "number";
        case ParamType::Integer: return "integer";
        case ParamType::Bool: return "bool";
        case ParamType::Enum: return "enum";
        case ParamType::String: return "string";
        case ParamType::Site: return "site";
        case ParamType::Layer: return "layer";
        case ParamType::Coordinate: return "coordinate";
        case ParamType::Polygon: return "polygon";
        case ParamType::List: return "list";
        case ParamType::Place: return "place";
        case ParamType::Raster: return "raster";
        case ParamType::File: return "file";
        case ParamType::Record: return "record";
    }
    return "string";
}

namespace {

std::string str(const char* s) { return s ? s : ""; }

std::string where_key(const std::string& key) { return "parameter '" + key + "'"; }

std::optional<double> parse_double(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    double v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::string number_text(double v) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

double check_range(const ParamDef& d, double v) {
    if (d.min && v < *d.min)
        throw UsageError("value " + number_text(v) + (d.unit.empty() ? "" : " " + d.unit) + " is below the minimum " +
                             number_text(*d.min),
                         where_key(d.key));
    if (d.max && v > *d.max)
        throw UsageError("value " + number_text(v) + (d.unit.empty() ? "" : " " + d.unit) + " is above the maximum " +
                             number_text(*d.max),
                         where_key(d.key));
    return v;
}

nlohmann::json coordinate_from(const ParamDef& d, const nlohmann::json& raw, const data::Workspace* ws) {
    double lon = 0, lat = 0;
    if (raw.is_array() && raw.size() == 2 && raw[0].is_number() && raw[1].is_number()) {
        lon = raw[0].get<double>(), lat = raw[1].get<double>();
    } else if (raw.is_string()) {
        const std::string s = raw.get<std::string>();
        const auto comma = s.find(',');
        auto x = comma == std::string::npos ? std::nullopt : parse_double(std::string_view(s).substr(0, comma));
        auto y = comma == std::string::npos ? std::nullopt : parse_double(std::string_view(s).substr(comma + 1));
        if (x && y) {
            lon = *x, lat = *y;
        } else if (ws) {
            // A site name is a fine coordinate too: its anchor point.
            auto site = ws->catalogue.find(s);
            if (!site) throw UsageError("expected lon,lat in degrees or a site; " + site.reason(), where_key(d.key));
            const auto a = (*site)->anchor();
            lon = geo::lon(a), lat = geo::lat(a);
        } else {
            throw UsageError("expected lon,lat in degrees, got '" + s + "'", where_key(d.key));
        }
    } else {
        throw UsageError("expected lon,lat", where_key(d.key));
    }
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90)
        throw UsageError("coordinate out of range (lon in [-180,180], lat in [-90,90]; lon first)", where_key(d.key));
    return nlohmann::json::array({lon, lat});
}

nlohmann::json polygon_from(const ParamDef& d, const nlohmann::json& raw) {
    nlohmann::json ring = nlohmann::json::array();
    auto add = [&](double x, double y) {
        if (!std::isfinite(x) || !std::isfinite(y) || x < -180 || x > 180 || y < -90 || y > 90)
            throw UsageError("polygon vertex out of range", where_key(d.key));
        ring.push_back({x, y});
    };
    if (raw.is_array()) {
        for (const auto& p : raw) {
            if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number())
                throw UsageError("polygon must be [[lon,lat], ...]", where_key(d.key));
            add(p[0].get<double>(), p[1].get<double>());
        }
    } else if (raw.is_string()) {
        const std::string s = raw.get<std::string>();
        if (s.find(';') != std::string::npos || (!s.empty() && std::isdigit(static_cast<unsigned char>(s[0])))) {
            // "lon,lat; lon,lat; ..."
            std::stringstream ss(s);
            for (std::string item; std::getline(ss, item, ';');) {
                const auto comma = item.find(',');
                auto x =
                    comma == std::string::npos ? std::nullopt : parse_double(std::string_view(item).substr(0, comma));
                auto y =
                    comma == std::string::npos ? std::nullopt : parse_double(std::string_view(item).substr(comma + 1));
                if (!x || !y) throw UsageError("polygon vertex '" + item + "' is not lon,lat", where_key(d.key));
                add(*x, *y);
            }
        } else {
            // A file: the first polygon of any GDAL source.
            const auto layers = io::read_source(s);
            for (const auto& l : layers)
                for (const auto& f : l.features) {
                    const geo::Polygon* p = std::get_if<geo::Polygon>(&f.geometry);
                    if (auto* mp = std::get_if<geo::MultiPolygon>(&f.geometry); mp && !mp->empty()) p = &mp->front();
                    if (!p) continue;
                    for (const auto& v : p->outer()) add(geo::lon(v), geo::lat(v));
                    goto done;
                }
            throw UsageError("no polygon in '" + s + "'", where_key(d.key));
        done:;
        }
    } else {
        throw UsageError("expected a polygon", where_key(d.key));
    }
    if (ring.size() >= 1 && ring.front() != ring.back()) ring.push_back(ring.front());
    if (ring.size() < 4) throw UsageError("a polygon needs at least 3 distinct vertices", where_key(d.key));
    return ring;
}

nlohmann::json scalar_from(const ParamDef& d, ParamType type, const nlohmann::json& raw, const data::Workspace* ws);

// A place: a site (id or NL/FR/EN name) or lon,lat. Stored resolved, so the plugin and
// an isolated run see the same point: {"label", "lon", "lat", "site"}. Without a
// workspace (checking a schema default) a site name stays text.
nlohmann::json place_from(const ParamDef& d, const nlohmann::json& raw, const data::Workspace* ws) {
    if (raw.is_object() && raw.contains("lon") && raw.contains("lat") && raw["lon"].is_number() &&
        raw["lat"].is_number()) {
        if (raw.contains("site") && raw["site"].is_string()) return place_from(d, raw["site"], ws);
        return place_from(d, nlohmann::json::array({raw["lon"], raw["lat"]}), ws);
    }
    std::string text;
    if (raw.is_array() && raw.size() == 2 && raw[0].is_number() && raw[1].is_number()) {
        text = number_text(raw[0].get<double>()) + "," + number_text(raw[1].get<double>());
    } else if (raw.is_string()) {
        text = raw.get<std::string>();
        text.erase(0, text.find_first_not_of(" \t"));
        text.erase(text.find_last_not_of(" \t") + 1);
    } else {
        throw UsageError("expected a site or lon,lat", where_key(d.key));
    }
    if (text.empty()) throw UsageError("expected a site or lon,lat, got nothing", where_key(d.key));
    const auto comma = text.find(',');
    auto x = comma == std::string::npos ? std::nullopt : parse_double(std::string_view(text).substr(0, comma));
    auto y = comma == std::string::npos ? std::nullopt : parse_double(std::string_view(text).substr(comma + 1));
    if (x && y) {
        if (*x < -180 || *x > 180 || *y < -90 || *y > 90)
            throw UsageError("coordinate " + text + " out of range (lon in [-180,180], lat in [-90,90]; lon first)",
                             where_key(d.key));
        return {{"label", number_text(*x) + "," + number_text(*y)}, {"lon", *x}, {"lat", *y}, {"site", nullptr}};
    }
    if (!ws) return text;
    auto site = ws->catalogue.find(text);
    if (!site) throw InputError("expected a site or lon,lat: " + site.reason(), where_key(d.key));
    const auto a = (*site)->anchor();
    return {{"label", (*site)->id}, {"lon", geo::lon(a)}, {"lat", geo::lat(a)}, {"site", (*site)->id}};
}

void check_file(const ParamDef& d, const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const std::string where = where_key(d.key) + " = " + path;
    if (!d.file_out) {
        if (!fs::exists(path, ec)) throw InputError("no such file", where);
        if (fs::is_directory(path, ec)) throw InputError("is a folder, not a file", where);
        if (::access(path.c_str(), R_OK) != 0) throw InputError("cannot be read (permissions)", where);
        return;
    }
    const fs::path parent = fs::path(path).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec))
        throw InputError("the folder to write it in does not exist", where);
    if (fs::is_directory(path, ec)) throw InputError("is a folder, not a file", where);
}

// A record: an object whose keys are the record's fields, each validated by its own
// definition (path "key.field" in messages); defaults fill absent fields.
nlohmann::json record_from(const ParamDef& d, const nlohmann::json& raw_in, const data::Workspace* ws) {
    nlohmann::json raw = raw_in;
    if (raw.is_string()) {
        try {
            raw = nlohmann::json::parse(raw.get<std::string>());
        } catch (const nlohmann::json::exception&) {
            throw UsageError("expected a JSON object {\"field\": value, ...}, got '" + raw.get<std::string>() + "'",
                             where_key(d.key));
        }
    }
    if (!raw.is_object()) throw UsageError("expected a JSON object {\"field\": value, ...}", where_key(d.key));
    for (const auto& [k, v] : raw.items()) {
        (void)v;
        if (std::none_of(d.fields.begin(), d.fields.end(), [&k = k](const ParamDef& f) { return f.key == k; })) {
            std::string known;
            for (const auto& f : d.fields) known += (known.empty() ? "" : ", ") + f.key;
            throw UsageError("unknown field '" + k + "' (fields: " + known + ")", where_key(d.key));
        }
    }
    nlohmann::json out = nlohmann::json::object();
    for (const auto& f : d.fields) {
        ParamDef fd = f;
        fd.key = d.key + "." + f.key;
        if (raw.contains(f.key) && !raw[f.key].is_null()) out[f.key] = scalar_from(fd, f.type, raw[f.key], ws);
        else if (f.default_value) out[f.key] = scalar_from(fd, f.type, *f.default_value, ws);
        else if (f.required)
            throw UsageError("missing required " + std::string(param_type_name(f.type)) + " field", where_key(fd.key));
    }
    return out;
}

nlohmann::json scalar_from(const ParamDef& d, ParamType type, const nlohmann::json& raw, const data::Workspace* ws) {
    const std::string text = raw.is_string() ? raw.get<std::string>() : raw.dump();
    switch (type) {
        case ParamType::Number: {
            auto v = raw.is_number() ? std::optional<double>(raw.get<double>()) : parse_double(text);
            if (!v)
                throw UsageError("expected a number" + (d.unit.empty() ? "" : " in " + d.unit) + ", got '" + text + "'",
                                 where_key(d.key));
            return check_range(d, *v);
        }
        case ParamType::Integer: {
            auto v = raw.is_number() ? std::optional<double>(raw.get<double>()) : parse_double(text);
            if (!v || std::floor(*v) != *v)
                throw UsageError("expected an integer, got '" + text + "'", where_key(d.key));
            check_range(d, *v);
            return static_cast<std::int64_t>(*v);
        }
        case ParamType::Bool: {
            if (raw.is_boolean()) return raw.get<bool>();
            std::string t = text;
            std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
            if (t == "true" || t == "yes" || t == "1" || t == "on") return true;
            if (t == "false" || t == "no" || t == "0" || t == "off") return false;
            throw UsageError("expected true or false, got '" + text + "'", where_key(d.key));
        }
        case ParamType::Enum: {
            if (std::find(d.choices.begin(), d.choices.end(), text) == d.choices.end()) {
                std::string list;
                for (const auto& c : d.choices) list += (list.empty() ? "" : ", ") + c;
                // A value the host's data does not hold is bad input (exit 3), like an unknown site.
                if (const auto* t = d.choices_from.empty() ? nullptr : data::host_table(d.choices_from))
                    throw InputError("unknown " + t->noun + " '" + text + "' (known: " + list + ")", where_key(d.key));
                throw UsageError("'" + text + "' is not one of: " + list, where_key(d.key));
            }
            return text;
        }
        case ParamType::String: return text;
        case ParamType::Site: {
            if (!ws) return text;
            auto site = ws->catalogue.find(text);
            if (!site) throw UsageError(site.reason(), where_key(d.key));
            return (*site)->id;
        }
        case ParamType::Layer: {
            if (ws && !ws->layers.find(text)) {
                std::string avail;
                for (const auto& l : ws->layers.layers()) avail += (avail.empty() ? "" : ", ") + l.name;
                throw UsageError("no loaded layer named '" + text + "' (loaded: " + avail + ")", where_key(d.key));
            }
            return text;
        }
        case ParamType::Coordinate: return coordinate_from(d, raw, ws);
        case ParamType::Polygon: return polygon_from(d, raw);
        case ParamType::Place: return place_from(d, raw, ws);
        case ParamType::Raster: {
            if (text.empty()) throw UsageError("expected a raster source (a path or GDAL source)", where_key(d.key));
            if (ws)
                if (const std::string why = io::raster_problem(text); !why.empty())
                    throw InputError(why, where_key(d.key) + " = " + text);
            return text;
        }
        case ParamType::File: {
            if (text.empty()) throw UsageError("expected a file path", where_key(d.key));
            if (ws) check_file(d, text);
            return text;
        }
        case ParamType::Record: return record_from(d, raw, ws);
        case ParamType::List: break;
    }
    throw UsageError("lists of lists are not supported", where_key(d.key));
}

nlohmann::json value_from(const ParamDef& d, const nlohmann::json& raw, const data::Workspace* ws) {
    if (d.type != ParamType::List) return scalar_from(d, d.type, raw, ws);
    nlohmann::json items = nlohmann::json::array();
    std::vector<nlohmann::json> raw_items;
    nlohmann::json parsed;
    if (raw.is_string() && d.item_type == ParamType::Record) {
        // Records come as JSON text on the command line: -p systems='[{"type": ...}]'.
        try {
            parsed = nlohmann::json::parse(raw.get<std::string>());
        } catch (const nlohmann::json::exception&) {
            throw UsageError(
                "expected a JSON array of objects [{\"field\": value, ...}], got '" + raw.get<std::string>() + "'",
                where_key(d.key));
        }
        if (parsed.is_object()) parsed = nlohmann::json::array({parsed});
        if (!parsed.is_array())
            throw UsageError("expected a JSON array of objects [{\"field\": value, ...}]", where_key(d.key));
    }
    if (raw.is_array() || parsed.is_array()) {
        const auto& arr = raw.is_array() ? raw : parsed;
        raw_items.assign(arr.begin(), arr.end());
    } else {
        // Text lists are ';'-separated when items are coordinates or places, else ','-separated.
        const char sep = d.item_type == ParamType::Coordinate || d.item_type == ParamType::Place ? ';' : ',';
        std::stringstream ss(raw.is_string() ? raw.get<std::string>() : raw.dump());
        for (std::string item; std::getline(ss, item, sep);) {
            item.erase(0, item.find_first_not_of(' '));
            item.erase(item.find_last_not_of(' ') + 1);
            if (!item.empty()) raw_items.emplace_back(item);
        }
    }
    ParamDef item_def = d;
    item_def.min.reset(), item_def.max.reset();
    for (std::size_t i = 0; i < raw_items.size(); ++i) {
        const auto& r = raw_items[i];
        if (d.item_type == ParamType::Record || d.item_type == ParamType::Place)
            item_def.key = d.key + "[" + std::to_string(i) + "]";
        nlohmann::json v = scalar_from(item_def, d.item_type, r, ws);
        if (d.item_type == ParamType::Record || d.item_type == ParamType::Place) items.push_back(std::move(v));
        else if (v.is_array())
            items.push_back(std::to_string(v[0].get<double>()) + "," + std::to_string(v[1].get<double>()));
        else if (v.is_string()) items.push_back(v.get<std::string>());
        else if (v.is_number_float()) items.push_back(number_text(v.get<double>()));
        else items.push_back(v.dump());
    }
    const double n = static_cast<double>(items.size());
    if ((d.min && n < *d.min) || (d.max && n > *d.max))
        throw UsageError("list has " + std::to_string(items.size()) + " items; allowed " +
                             (d.min ? number_text(*d.min) : "0") + " to " + (d.max ? number_text(*d.max) : "any"),
                         where_key(d.key));
    return items;
}

}  // namespace

namespace {

// One entry of a C parameter table read at the plugin's stride: the bytes the plugin
// built, and zero for fields it did not know (a 1.0 entry ends before choices_from).
MpParamDef read_entry(const MpParamDef* defs, std::size_t i, std::size_t stride) {
    MpParamDef c{};
    const auto* base = reinterpret_cast<const unsigned char*>(defs) + i * stride;
    std::memcpy(&c, base, std::min(stride, sizeof(MpParamDef)));
    return c;
}

constexpr int kMaxRecordDepth = 1;  // records hold scalar fields only

std::vector<ParamDef> schema_entries(const MpParamDef* defs, std::size_t count, std::size_t stride,
                                     const std::string& prefix, int depth) {
    std::vector<ParamDef> out;
    if (count > 0 && !defs)
        throw PluginError((prefix.empty() ? std::string("parameter table") : "fields of '" + prefix + "'") +
                          " is missing but the count is " + std::to_string(count));
    if (count > 10'000) throw PluginError("parameter table of " + std::to_string(count) + " entries");
    for (std::size_t i = 0; i < count; ++i) {
        const MpParamDef c = read_entry(defs, i, stride);
        ParamDef d;
        d.key = str(c.key);
        const std::string name = prefix.empty() ? d.key : prefix + "." + d.key;
        if (d.key.empty())
            throw PluginError((prefix.empty() ? "parameter #" : "field #") + std::to_string(i) +
                              (prefix.empty() ? "" : " of '" + prefix + "'") + " has no key");
        if (d.key.find_first_of(".[]") != std::string::npos)
            throw PluginError("parameter key '" + name + "' contains '.', '[' or ']' (they separate paths)");
        if (std::any_of(out.begin(), out.end(), [&](const ParamDef& o) { return o.key == d.key; }))
            throw PluginError("duplicate parameter key '" + name + "'");
        if (c.replaced_by) {
            // A retired key: nothing but the key and the text naming its replacement.
            if (!prefix.empty()) throw PluginError("record field '" + name + "' cannot be retired (replaced_by)");
            d.replaced_by = str(c.replaced_by);
            if (d.replaced_by.empty()) throw PluginError("parameter '" + name + "' has an empty replaced_by");
            d.label = d.key;
            out.push_back(std::move(d));
            continue;
        }
        const int type = detail::raw_enum(c.type), item_type = detail::raw_enum(c.item_type);
        if (type < MP_PARAM_NUMBER || type > MP_PARAM_RECORD)
            throw PluginError("parameter '" + name + "' has unknown type " + std::to_string(type));
        d.label = c.label ? c.label : d.key;
        d.description = str(c.description);
        d.type = static_cast<ParamType>(type);
        d.unit = str(c.unit);
        if (c.has_min) d.min = c.min;
        if (c.has_max) d.max = c.max;
        if (c.default_value) d.default_value = c.default_value;
        d.required = c.required != 0;
        d.choices_from = str(c.choices_from);
        d.file_out = detail::raw_enum(c.direction) == MP_FILE_OUT;
        d.file_types = str(c.file_types);
        if (d.type == ParamType::List) {
            if (item_type < MP_PARAM_NUMBER || item_type > MP_PARAM_RECORD)
                throw PluginError("list parameter '" + name + "' has items of unknown type " +
                                  std::to_string(item_type));
            d.item_type = static_cast<ParamType>(item_type);
            if (d.item_type == ParamType::List || d.item_type == ParamType::Polygon)
                throw PluginError("list parameter '" + name + "' has items of type " +
                                  std::string(param_type_name(d.item_type)));
        }
        const bool is_enum = d.type == ParamType::Enum || (d.type == ParamType::List && d.item_type == ParamType::Enum);
        if (is_enum) {
            if (!d.choices_from.empty()) {
                const auto* t = data::host_table(d.choices_from);
                if (!t)
                    throw PluginError("enum parameter '" + name + "' asks for host choices '" + d.choices_from +
                                      "'; the host offers: " + data::host_table_names());
                d.choices = t->ids();
            } else {
                for (const char* const* p = c.choices; p && *p; ++p) d.choices.emplace_back(*p);
            }
            if (d.choices.empty()) throw PluginError("enum parameter '" + name + "' has no choices");
        }
        if (d.has_fields()) {
            if (depth >= kMaxRecordDepth) throw PluginError("record field '" + name + "' is itself a record");
            d.fields = schema_entries(c.fields, c.field_count, stride, name, depth + 1);
            if (d.fields.empty()) throw PluginError("record parameter '" + name + "' has no fields");
            for (const auto& f : d.fields)
                if (f.type == ParamType::List || f.type == ParamType::Polygon || f.type == ParamType::Record)
                    throw PluginError("field '" + name + "." + f.key + "' is of type " +
                                      std::string(param_type_name(f.type)) + "; record fields are scalars");
        }
        const bool needs_ws = d.type == ParamType::Site || d.type == ParamType::Layer;
        if (d.default_value && !needs_ws) {
            try {
                value_from(d, *d.default_value, nullptr);
            } catch (const Error& e) {
                throw PluginError("default of parameter '" + name + "' is invalid: " + e.problem());
            }
        }
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace

std::vector<ParamDef> schema_from_c(const MpParamDef* defs, std::size_t count, std::size_t stride) {
    if (stride < MP_PARAM_DEF_SIZE_1_0 || stride > 65536)
        throw PluginError("parameter entries of " + std::to_string(stride) + " bytes (param_def_size); at least " +
                          std::to_string(MP_PARAM_DEF_SIZE_1_0) + " expected");
    return schema_entries(defs, count, stride, "", 0);
}

void split_retired(std::vector<ParamDef>& schema, std::vector<ParamDef>& retired) {
    for (auto it = schema.begin(); it != schema.end();) {
        if (it->retired()) retired.push_back(std::move(*it)), it = schema.erase(it);
        else ++it;
    }
}

void refuse_retired(const std::vector<ParamDef>& retired, const nlohmann::json& raw) {
    if (!raw.is_object()) return;
    for (const auto& d : retired)
        if (raw.contains(d.key)) throw UsageError("parameter '" + d.key + "' was replaced: " + d.replaced_by);
}

ParamValues validate_params(const std::vector<ParamDef>& schema, const nlohmann::json& raw, const data::Workspace* ws) {
    if (!raw.is_null() && !raw.is_object()) throw UsageError("parameters must be a JSON object of key: value");
    ParamValues out = nlohmann::json::object();
    if (raw.is_object()) {
        for (const auto& [key, value] : raw.items()) {
            if (std::none_of(schema.begin(), schema.end(), [&key = key](const ParamDef& d) { return d.key == key; })) {
                std::string known;
                for (const auto& d : schema) known += (known.empty() ? "" : ", ") + d.key;
                throw UsageError("unknown parameter '" + key + "'", "known: " + (known.empty() ? "none" : known));
            }
        }
    }
    for (const auto& d : schema) {
        if (raw.is_object() && raw.contains(d.key) && !raw[d.key].is_null()) {
            out[d.key] = value_from(d, raw[d.key], ws);
        } else if (d.default_value) {
            out[d.key] = value_from(d, *d.default_value, ws);
        } else if (d.required) {
            throw UsageError("missing required " + std::string(param_type_name(d.type)) + " value", where_key(d.key));
        }
    }
    return out;
}

nlohmann::json schema_to_json(const std::vector<ParamDef>& schema) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& d : schema) {
        nlohmann::json j{
            {"key", d.key}, {"label", d.label}, {"type", param_type_name(d.type)}, {"required", d.required}};
        if (!d.description.empty()) j["description"] = d.description;
        if (!d.unit.empty()) j["unit"] = d.unit;
        if (d.min) j["min"] = *d.min;
        if (d.max) j["max"] = *d.max;
        if (d.default_value) j["default"] = *d.default_value;
        if (!d.choices.empty()) j["choices"] = d.choices;
        if (d.type == ParamType::List) j["item_type"] = param_type_name(d.item_type);
        if (!d.choices_from.empty()) j["choices_from"] = d.choices_from;
        if (d.type == ParamType::File) j["direction"] = d.file_out ? "out" : "in";
        if (!d.file_types.empty()) j["file_types"] = d.file_types;
        if (d.has_fields()) j["fields"] = schema_to_json(d.fields);
        if (d.retired()) j["replaced_by"] = d.replaced_by;
        arr.push_back(std::move(j));
    }
    return arr;
}

std::vector<ParamDef> schema_from_json(const nlohmann::json& j) {
    auto type_of = [](const std::string& name, const std::string& where) {
        for (int t = 0; t <= static_cast<int>(ParamType::Record); ++t)
            if (param_type_name(static_cast<ParamType>(t)) == name) return static_cast<ParamType>(t);
        throw PluginError("unknown parameter type '" + name + "'", where);
    };
    std::vector<ParamDef> out;
    if (!j.is_array()) throw PluginError("a schema is an array of parameters");
    for (std::size_t i = 0; i < j.size(); ++i) {
        const auto& e = j[i];
        const std::string where = "schema entry " + std::to_string(i);
        try {
            ParamDef d;
            d.key = e.at("key").get<std::string>();
            d.label = e.at("label").get<std::string>();
            d.type = type_of(e.at("type").get<std::string>(), where);
            d.required = e.at("required").get<bool>();
            d.description = e.value("description", std::string());
            d.unit = e.value("unit", std::string());
            if (e.contains("min")) d.min = e["min"].get<double>();
            if (e.contains("max")) d.max = e["max"].get<double>();
            if (e.contains("default")) d.default_value = e["default"].get<std::string>();
            if (e.contains("choices")) d.choices = e["choices"].get<std::vector<std::string>>();
            if (e.contains("item_type")) d.item_type = type_of(e["item_type"].get<std::string>(), where);
            d.choices_from = e.value("choices_from", std::string());
            d.file_out = e.value("direction", std::string("in")) == "out";
            d.file_types = e.value("file_types", std::string());
            if (e.contains("fields")) d.fields = schema_from_json(e["fields"]);
            d.replaced_by = e.value("replaced_by", std::string());
            out.push_back(std::move(d));
        } catch (const nlohmann::json::exception& x) {
            throw PluginError(std::string("malformed schema: ") + x.what(), where);
        }
    }
    return out;
}

std::pair<std::string, std::string> split_key_value(const std::string& kv) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) throw UsageError("expected key=value, got '" + kv + "'", "--param");
    return {kv.substr(0, eq), kv.substr(eq + 1)};
}

}  // namespace mp::plugin
