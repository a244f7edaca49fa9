// SPDX-License-Identifier: MIT
#include "mp/plugin/schema.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "mp/core/error.hpp"
#include "mp/data/default_data.hpp"
#include "mp/io/ogr_io.hpp"

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
        case ParamType::List: break;
    }
    throw UsageError("lists of lists are not supported", where_key(d.key));
}

nlohmann::json value_from(const ParamDef& d, const nlohmann::json& raw, const data::Workspace* ws) {
    if (d.type != ParamType::List) return scalar_from(d, d.type, raw, ws);
    nlohmann::json items = nlohmann::json::array();
    std::vector<nlohmann::json> raw_items;
    if (raw.is_array()) {
        raw_items.assign(raw.begin(), raw.end());
    } else {
        // Text lists are ';'-separated when items are coordinates, else ','-separated.
        const char sep = d.item_type == ParamType::Coordinate ? ';' : ',';
        std::stringstream ss(raw.is_string() ? raw.get<std::string>() : raw.dump());
        for (std::string item; std::getline(ss, item, sep);) {
            item.erase(0, item.find_first_not_of(' '));
            item.erase(item.find_last_not_of(' ') + 1);
            if (!item.empty()) raw_items.emplace_back(item);
        }
    }
    ParamDef item_def = d;
    item_def.min.reset(), item_def.max.reset();
    for (const auto& r : raw_items) {
        nlohmann::json v = scalar_from(item_def, d.item_type, r, ws);
        if (v.is_array())
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

std::vector<ParamDef> schema_from_c(const MpParamDef* defs, std::size_t count) {
    std::vector<ParamDef> out;
    if (count > 0 && !defs) throw PluginError("parameter table is missing but param_count is " + std::to_string(count));
    for (std::size_t i = 0; i < count; ++i) {
        const MpParamDef& c = defs[i];
        ParamDef d;
        d.key = str(c.key);
        if (d.key.empty()) throw PluginError("parameter #" + std::to_string(i) + " has no key");
        if (std::any_of(out.begin(), out.end(), [&](const ParamDef& o) { return o.key == d.key; }))
            throw PluginError("duplicate parameter key '" + d.key + "'");
        if (c.type < MP_PARAM_NUMBER || c.type > MP_PARAM_LIST)
            throw PluginError("parameter '" + d.key + "' has unknown type " + std::to_string(static_cast<int>(c.type)));
        d.label = c.label ? c.label : d.key;
        d.description = str(c.description);
        d.type = static_cast<ParamType>(c.type);
        d.unit = str(c.unit);
        if (c.has_min) d.min = c.min;
        if (c.has_max) d.max = c.max;
        if (c.default_value) d.default_value = c.default_value;
        d.required = c.required != 0;
        if (d.type == ParamType::Enum) {
            for (const char* const* p = c.choices; p && *p; ++p) d.choices.emplace_back(*p);
            if (d.choices.empty()) throw PluginError("enum parameter '" + d.key + "' has no choices");
        }
        if (d.type == ParamType::List) {
            d.item_type = static_cast<ParamType>(c.item_type);
            if (d.item_type == ParamType::List || d.item_type == ParamType::Polygon)
                throw PluginError("list parameter '" + d.key + "' has items of type " +
                                  std::string(param_type_name(d.item_type)));
        }
        if (d.default_value && d.type != ParamType::Site && d.type != ParamType::Layer) {
            try {
                value_from(d, *d.default_value, nullptr);
            } catch (const UsageError& e) {
                throw PluginError("default of parameter '" + d.key + "' is invalid: " + e.problem());
            }
        }
        out.push_back(std::move(d));
    }
    return out;
}

ParamValues validate_params(const std::vector<ParamDef>& schema, const nlohmann::json& raw, const data::Workspace* ws) {
    if (!raw.is_null() && !raw.is_object()) throw UsageError("parameters must be a JSON object of key: value");
    ParamValues out = nlohmann::json::object();
    if (raw.is_object()) {
        for (const auto& [key, value] : raw.items()) {
            if (std::none_of(schema.begin(), schema.end(), [&](const ParamDef& d) { return d.key == key; })) {
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
        arr.push_back(std::move(j));
    }
    return arr;
}

std::pair<std::string, std::string> split_key_value(const std::string& kv) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) throw UsageError("expected key=value, got '" + kv + "'", "--param");
    return {kv.substr(0, eq), kv.substr(eq + 1)};
}

}  // namespace mp::plugin
