// SPDX-License-Identifier: MIT
#include "map/forms.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numbers>
#include <sstream>

namespace mp::gui::map {

namespace {

using plugin::ParamDef;
using plugin::ParamType;

std::string trim(std::string s) {
    s.erase(0, s.find_first_not_of(" \t"));
    s.erase(s.find_last_not_of(" \t") + 1);
    return s;
}

// As plugin::validate_params reads numbers: the whole (trimmed) text, finite.
std::optional<double> parse_number(const std::string& text) {
    const std::string s = trim(text);
    double v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::string number_text(double v) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

std::optional<bool> parse_bool(const std::string& text) {
    std::string t = trim(text);
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
    if (t == "true" || t == "yes" || t == "1" || t == "on") return true;
    if (t == "false" || t == "no" || t == "0" || t == "off") return false;
    return std::nullopt;
}

std::optional<std::array<double, 2>> parse_lonlat(const std::string& text) {
    const auto comma = text.find(',');
    if (comma == std::string::npos || text.find(',', comma + 1) != std::string::npos) return std::nullopt;
    const auto x = parse_number(text.substr(0, comma)), y = parse_number(text.substr(comma + 1));
    if (!x || !y) return std::nullopt;
    return std::array<double, 2>{*x, *y};
}

bool is_record_list(const ParamDef& d) { return d.type == ParamType::List && d.item_type == ParamType::Record; }

// Any JSON the form may hold for a single value, as the text its widget edits.
std::string text_of(const nlohmann::json& v) {
    if (v.is_null()) return "";
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
    if (v.is_number()) return number_text(v.get<double>());
    if (v.is_array() && v.size() == 2 && v[0].is_number() && v[1].is_number())
        return number_text(v[0].get<double>()) + "," + number_text(v[1].get<double>());
    if (v.is_array()) {
        // A polygon ring [[lon, lat], ...] as "lon,lat; lon,lat; ...".
        std::string out;
        for (const auto& p : v) out += (out.empty() ? "" : "; ") + text_of(p);
        return out;
    }
    if (v.is_object()) {
        // A validated place {"label", "lon", "lat", "site"}.
        if (v.contains("site") && v["site"].is_string()) return v["site"].get<std::string>();
        if (v.contains("label") && v["label"].is_string()) return v["label"].get<std::string>();
    }
    return v.dump();
}

// A record's fields as texts, every field present (empty when absent); unknown keys
// are left out (the table shows the schema's fields only).
nlohmann::json record_texts(const ParamDef& d, const nlohmann::json& raw) {
    nlohmann::json row = nlohmann::json::object();
    for (const auto& f : d.fields) row[f.key] = raw.is_object() && raw.contains(f.key) ? text_of(raw[f.key]) : "";
    return row;
}

// A record as JSON text or a JSON value; nullopt when it is not an object.
std::optional<nlohmann::json> parse_json_text(const nlohmann::json& stored) {
    if (!stored.is_string()) return stored;
    const std::string t = trim(stored.get<std::string>());
    if (t.empty()) return std::nullopt;
    try {
        return nlohmann::json::parse(t);
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

// One single value for the host: typed where the CLI's JSON would be typed.
nlohmann::json host_scalar(ParamType type, const std::string& raw_text) {
    const std::string text = type == ParamType::String ? raw_text : trim(raw_text);
    switch (type) {
        case ParamType::Number:
            if (const auto v = parse_number(text)) return *v;
            return text;
        case ParamType::Integer:
            if (const auto v = parse_number(text); v && std::floor(*v) == *v && std::abs(*v) < 9.0e15)
                return static_cast<std::int64_t>(*v);
            return text;
        case ParamType::Bool:
            if (const auto v = parse_bool(text)) return *v;
            return text;
        default: return text;
    }
}

bool blank(const std::string& s) { return s.find_first_not_of(" \t") == std::string::npos; }

std::string range_text(const ParamDef& d, double v) { return number_text(v) + (d.unit.empty() ? "" : " " + d.unit); }

std::string site_problem(const std::string& text, const FormContext& ctx) {
    if (!ctx.catalogue || ctx.catalogue->by_id(text)) return "";
    return ctx.catalogue->find(text) ? "" : "no such site (type to search)";
}

std::string lonlat_problem(const std::array<double, 2>& p) {
    if (p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90) return "lon,lat out of range (lon first)";
    return "";
}

std::string file_problem(const ParamDef& d, const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (d.file_out) {
        const fs::path parent = fs::path(path).parent_path();
        if (!parent.empty() && !fs::is_directory(parent, ec)) return "no such folder";
        if (fs::is_directory(path, ec)) return "a folder, not a file";
        return "";
    }
    if (!fs::exists(path, ec)) return "no such file";
    if (fs::is_directory(path, ec)) return "a folder, not a file";
    return "";
}

}  // namespace

PickKind pick_kind(ParamType type) {
    switch (type) {
        case ParamType::Site: return PickKind::Site;
        case ParamType::Coordinate: return PickKind::Location;
        case ParamType::Place: return PickKind::SiteOrLocation;
        default: return PickKind::None;
    }
}

ParamType value_type(const ParamDef& d) { return d.type == ParamType::List ? d.item_type : d.type; }

std::string pick_text(PickKind kind, const std::string& site_id, double lon, double lat) {
    if (kind == PickKind::None) return "";
    if (kind != PickKind::Location && !site_id.empty()) return site_id;
    if (kind == PickKind::Site) return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f,%.6f", lon, lat);
    return buf;
}

bool is_lonlat_text(const std::string& text) { return parse_lonlat(text).has_value(); }

nlohmann::json list_items_from_text(const std::string& text, ParamType item_type) {
    const bool pairs = item_type == ParamType::Coordinate || item_type == ParamType::Place;
    nlohmann::json items = nlohmann::json::array();
    std::stringstream ss(text);
    for (std::string piece; std::getline(ss, piece, ';');) {
        piece = trim(piece);
        if (piece.empty()) continue;
        if (pairs || is_lonlat_text(piece) || piece.find(',') == std::string::npos) {
            items.push_back(piece);
            continue;
        }
        std::stringstream parts(piece);
        for (std::string item; std::getline(parts, item, ',');)
            if (!(item = trim(item)).empty()) items.push_back(item);
    }
    return items;
}

nlohmann::json form_value(const ParamDef& d, const nlohmann::json& stored) {
    if (is_record_list(d)) {
        nlohmann::json rows = nlohmann::json::array();
        auto parsed = parse_json_text(stored);
        if (!parsed) return rows;
        if (parsed->is_object()) parsed = nlohmann::json::array({*parsed});
        if (!parsed->is_array()) return rows;
        for (const auto& r : *parsed)
            if (r.is_object()) rows.push_back(record_texts(d, r));
        return rows;
    }
    if (d.type == ParamType::Record) {
        const auto parsed = parse_json_text(stored);
        return record_texts(d, parsed ? *parsed : nlohmann::json());
    }
    if (d.type == ParamType::List) {
        if (stored.is_string()) return list_items_from_text(stored.get<std::string>(), d.item_type);
        nlohmann::json items = nlohmann::json::array();
        if (stored.is_array() && !(stored.size() == 2 && stored[0].is_number() && stored[1].is_number()))
            for (const auto& v : stored) items.push_back(text_of(v));
        else if (!stored.is_null()) items.push_back(text_of(stored));
        return items;
    }
    return text_of(stored);
}

std::optional<nlohmann::json> host_value(const ParamDef& d, const nlohmann::json& form) {
    const nlohmann::json v = form_value(d, form);
    auto record = [](const std::vector<ParamDef>& fields, const nlohmann::json& row) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& f : fields) {
            const std::string t = row.value(f.key, std::string());
            if (!blank(t)) out[f.key] = host_scalar(f.type, t);
        }
        return out;
    };
    if (is_record_list(d)) {
        if (v.empty()) return std::nullopt;
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& row : v) rows.push_back(record(d.fields, row));
        return rows;
    }
    if (d.type == ParamType::Record) {
        nlohmann::json out = record(d.fields, v);
        if (out.empty()) return std::nullopt;
        return out;
    }
    if (d.type == ParamType::List) {
        nlohmann::json items = nlohmann::json::array();
        for (const auto& item : v)
            if (!blank(item.get<std::string>())) items.push_back(host_scalar(d.item_type, item.get<std::string>()));
        if (items.empty()) return std::nullopt;
        return items;
    }
    const std::string t = v.get<std::string>();
    if (t.empty() || (d.type != ParamType::String && blank(t))) return std::nullopt;
    return host_scalar(d.type, t);
}

nlohmann::json host_params(const std::vector<ParamDef>& schema, const nlohmann::json& values) {
    nlohmann::json raw = nlohmann::json::object();
    if (!values.is_object()) return raw;
    for (const auto& [k, v] : values.items()) {
        const auto d = std::find_if(schema.begin(), schema.end(), [&k = k](const ParamDef& x) { return x.key == k; });
        if (d == schema.end()) {
            if (!v.is_null() && !(v.is_string() && v.get<std::string>().empty())) raw[k] = v;
        } else if (auto hv = host_value(*d, v)) {
            raw[k] = std::move(*hv);
        }
    }
    return raw;
}

bool put_form_text(const ParamDef& d, nlohmann::json& stored, long index, const std::string& field,
                   const std::string& text) {
    nlohmann::json v = form_value(d, stored);
    const bool known_field =
        std::any_of(d.fields.begin(), d.fields.end(), [&](const ParamDef& f) { return f.key == field; });
    if (is_record_list(d)) {
        if (index < 0 || static_cast<std::size_t>(index) >= v.size() || !known_field) return false;
        v[static_cast<std::size_t>(index)][field] = text;
    } else if (d.type == ParamType::Record) {
        if (index >= 0 || !known_field) return false;
        v[field] = text;
    } else if (!field.empty()) {
        return false;
    } else if (d.type == ParamType::List) {
        if (index < 0) v.push_back(text);
        else if (static_cast<std::size_t>(index) < v.size()) v[static_cast<std::size_t>(index)] = text;
        else return false;
    } else {
        if (index >= 0) return false;
        v = text;
    }
    stored = std::move(v);
    return true;
}

std::string value_problem(const ParamDef& d, ParamType type, const std::string& raw_text, const FormContext& ctx,
                          bool is_item) {
    const std::string text = trim(raw_text);
    if (text.empty()) return !is_item && d.required && !d.default_value ? "required" : "";
    switch (type) {
        case ParamType::Number:
        case ParamType::Integer: {
            const auto v = parse_number(text);
            if (!v) return type == ParamType::Integer ? "not a whole number" : "not a number";
            if (type == ParamType::Integer && std::floor(*v) != *v) return "not a whole number";
            if (!is_item && d.min && *v < *d.min) return "below the minimum " + range_text(d, *d.min);
            if (!is_item && d.max && *v > *d.max) return "above the maximum " + range_text(d, *d.max);
            return "";
        }
        case ParamType::Bool: return parse_bool(text) ? "" : "not true or false";
        case ParamType::Enum:
            return std::find(d.choices.begin(), d.choices.end(), text) == d.choices.end() ? "not one of the choices"
                                                                                          : "";
        case ParamType::Site: return site_problem(text, ctx);
        case ParamType::Place:
        case ParamType::Coordinate: {
            if (const auto p = parse_lonlat(text)) return lonlat_problem(*p);
            // A site (id or name) is a fine coordinate too: its anchor.
            if (site_problem(text, ctx).empty()) return "";
            return type == ParamType::Place ? "no such site, nor lon,lat" : "not lon,lat (nor a site)";
        }
        case ParamType::Layer:
            if (ctx.layers && std::find(ctx.layers->begin(), ctx.layers->end(), text) == ctx.layers->end())
                return "no loaded layer of that name";
            return "";
        case ParamType::File: return file_problem(d, text);
        case ParamType::Raster: {
            // GDAL sources other than plain paths (/vsizip/..., connection strings) are
            // left to the host, which opens them.
            if (text.rfind("/vsi", 0) == 0 || text.find(':') != std::string::npos) return "";
            std::error_code ec;
            if (!std::filesystem::exists(text, ec)) return "no such file";
            if (std::filesystem::is_directory(text, ec)) return "a folder, not a raster";
            return "";
        }
        case ParamType::Polygon: {
            if (text.find(';') == std::string::npos && !std::isdigit(static_cast<unsigned char>(text[0]))) {
                std::error_code ec;
                return std::filesystem::exists(text, ec) ? "" : "no such file";
            }
            std::size_t n = 0;
            std::stringstream ss(text);
            for (std::string item; std::getline(ss, item, ';');) {
                const auto p = parse_lonlat(item);
                if (!p) return "vertex '" + trim(item) + "' is not lon,lat";
                if (const std::string why = lonlat_problem(*p); !why.empty()) return why;
                ++n;
            }
            return n < 3 ? "a polygon needs 3 vertices" : "";
        }
        default: return "";
    }
}

std::vector<FormProblem> form_problems(const std::vector<ParamDef>& schema, const nlohmann::json& values,
                                       const FormContext& ctx) {
    std::vector<FormProblem> out;
    auto add = [&](std::string path, std::string message) {
        if (!message.empty()) out.push_back({std::move(path), std::move(message)});
    };
    auto check_record = [&](const ParamDef& d, const nlohmann::json& row, const std::string& prefix) {
        for (const auto& f : d.fields)
            add(prefix + "." + f.key, value_problem(f, f.type, row.value(f.key, std::string()), ctx));
    };
    for (const auto& d : schema) {
        const nlohmann::json stored = values.is_object() && values.contains(d.key) ? values[d.key] : nlohmann::json();
        const nlohmann::json v = form_value(d, stored);
        const bool missing = !host_value(d, stored).has_value();
        if (missing) {
            if (d.required && !d.default_value)
                add(d.key, d.type == ParamType::List ? "required: add at least one" : "required");
            continue;
        }
        if (d.type == ParamType::Record) {
            check_record(d, v, d.key);
        } else if (d.type == ParamType::List) {
            std::size_t n = 0;
            for (std::size_t i = 0; i < v.size(); ++i) {
                const std::string path = d.key + "[" + std::to_string(i) + "]";
                if (is_record_list(d)) {
                    check_record(d, v[i], path);
                    ++n;
                } else if (!blank(v[i].get<std::string>())) {
                    add(path, value_problem(d, d.item_type, v[i].get<std::string>(), ctx, true));
                    ++n;
                }
            }
            const double count = static_cast<double>(n);
            if (d.min && count < *d.min) add(d.key, "at least " + number_text(*d.min) + " items");
            if (d.max && count > *d.max) add(d.key, "at most " + number_text(*d.max) + " items");
        } else {
            add(d.key, value_problem(d, d.type, v.get<std::string>(), ctx));
        }
    }
    return out;
}

std::vector<const sites::Site*> site_matches(const sites::Catalogue& catalogue, std::string_view query,
                                             std::size_t max) {
    const std::string q = sites::normalise_name(query);
    std::vector<std::pair<int, const sites::Site*>> ranked;
    if (q.empty() || max == 0) return {};
    for (const auto& s : catalogue.sites()) {
        int best = 3;
        for (const std::string* name : {&s.id, &s.name_en, &s.name_nl, &s.name_fr}) {
            if (name->empty()) continue;
            const std::string n = sites::normalise_name(*name);
            if (n == q || *name == query) best = 0;
            else if (n.rfind(q, 0) == 0 || n.find(" " + q) != std::string::npos) best = std::min(best, 1);
            else if (n.find(q) != std::string::npos) best = std::min(best, 2);
        }
        if (best < 3) ranked.emplace_back(best, &s);
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<const sites::Site*> out;
    for (std::size_t i = 0; i < ranked.size() && i < max; ++i) out.push_back(ranked[i].second);
    return out;
}

std::string site_label(const sites::Site& s) {
    std::string label = s.name_en;
    if (!s.name_nl.empty() && s.name_nl != s.name_en) label += " / " + s.name_nl;
    if (!s.name_fr.empty() && s.name_fr != s.name_en && s.name_fr != s.name_nl) label += " / " + s.name_fr;
    return label + " [" + std::string(sites::kind_name(s.kind)) + "]";
}

std::vector<std::string> file_patterns(const std::string& file_types) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : file_types + ";") {
        if (c == ';' || c == ',' || c == ' ' || c == '\t') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    return out;
}

bool matches_patterns(const std::string& name, const std::vector<std::string>& patterns) {
    if (patterns.empty()) return true;
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& p) { return ::fnmatch(p.c_str(), name.c_str(), FNM_CASEFOLD) == 0; });
}

FolderListing list_folder(const std::string& folder, const std::vector<std::string>& patterns, bool show_all) {
    namespace fs = std::filesystem;
    FolderListing out;
    std::error_code ec;
    fs::directory_iterator it(folder.empty() ? "." : folder, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
        out.error = "cannot read " + folder + ": " + ec.message();
        return out;
    }
    std::vector<FolderListing::Entry> folders, files;
    for (const fs::directory_iterator end; it != end; it.increment(ec)) {
        if (ec) {
            out.error = "cannot read " + folder + ": " + ec.message();
            break;
        }
        const std::string name = it->path().filename().string();
        if (name.empty() || name[0] == '.') continue;
        std::error_code e2;
        if (it->is_directory(e2)) folders.push_back({name, true});
        else if (it->is_regular_file(e2) && (show_all || matches_patterns(name, patterns)))
            files.push_back({name, false});
    }
    auto by_name = [](const FolderListing::Entry& a, const FolderListing::Entry& b) {
        return std::lexicographical_compare(
            a.name.begin(), a.name.end(), b.name.begin(), b.name.end(),
            [](unsigned char x, unsigned char y) { return std::tolower(x) < std::tolower(y); });
    };
    std::sort(folders.begin(), folders.end(), by_name);
    std::sort(files.begin(), files.end(), by_name);
    out.entries = std::move(folders);
    out.entries.insert(out.entries.end(), files.begin(), files.end());
    return out;
}

float colour_distance(const std::array<float, 4>& a, const std::array<float, 4>& b) {
    const float dr = a[0] - b[0], dg = a[1] - b[1], db = a[2] - b[2];
    return std::sqrt(dr * dr + dg * dg + db * db) / std::sqrt(3.0f);
}

std::array<float, 4> series_colour(std::size_t index) {
    // Tableau 10 followed by darker variants: 16 colours that stay apart on white.
    static constexpr std::array<std::array<float, 4>, 16> kColours{{
        {0.122f, 0.467f, 0.706f, 1},
        {1.000f, 0.498f, 0.055f, 1},
        {0.173f, 0.627f, 0.173f, 1},
        {0.839f, 0.153f, 0.157f, 1},
        {0.580f, 0.404f, 0.741f, 1},
        {0.549f, 0.337f, 0.294f, 1},
        {0.890f, 0.467f, 0.761f, 1},
        {0.498f, 0.498f, 0.498f, 1},
        {0.737f, 0.741f, 0.133f, 1},
        {0.090f, 0.745f, 0.812f, 1},
        {0.000f, 0.000f, 0.502f, 1},
        {0.502f, 0.000f, 0.000f, 1},
        {0.000f, 0.392f, 0.000f, 1},
        {0.000f, 0.000f, 0.000f, 1},
        {0.722f, 0.525f, 0.043f, 1},
        {0.416f, 0.353f, 0.804f, 1},
    }};
    return kColours[index % kColours.size()];
}

double ground_m_per_unit(const std::string& display_crs, double lat_deg) {
    if (display_crs == "EPSG:3857") return std::cos(lat_deg * std::numbers::pi / 180.0);
    return 1.0;
}

}  // namespace mp::gui::map

namespace mp::gui::map {

std::array<float, 4> raster_ramp(double t) {
    static constexpr std::array<std::array<float, 3>, 5> kStops{{{1.000f, 0.929f, 0.627f},
                                                                 {0.498f, 0.804f, 0.733f},
                                                                 {0.114f, 0.569f, 0.753f},
                                                                 {0.145f, 0.204f, 0.580f},
                                                                 {0.329f, 0.000f, 0.475f}}};
    const double s = std::clamp(t, 0.0, 1.0) * 4.0;
    const std::size_t i = std::min<std::size_t>(3, static_cast<std::size_t>(s));
    const float f = static_cast<float>(s - static_cast<double>(i));
    std::array<float, 4> c{0, 0, 0, 1};
    for (std::size_t k = 0; k < 3; ++k) c[k] = kStops[i][k] + (kStops[i + 1][k] - kStops[i][k]) * f;
    return c;
}

}  // namespace mp::gui::map
