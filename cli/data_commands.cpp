// SPDX-License-Identifier: MIT
// layers, sites, info, export, summary: look at and export the loaded data.
#include <GeographicLib/MGRS.hpp>
#include <GeographicLib/UTMUPS.hpp>
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_common.hpp"
#include "mp/core/error.hpp"
#include "mp/geo/crs.hpp"
#include "mp/geo/geodesic.hpp"
#include "mp/core/utf8.hpp"
#include "mp/io/ogr_io.hpp"

namespace mp::cli {

namespace {

std::string fixed(double v, int decimals) {
    std::ostringstream os;
    os << std::fixed << std::setprecision(decimals) << v;
    return os.str();
}

std::string extent_text(const layer::Layer& l) {
    geo::Box b;
    if (!l.extent(b)) return "-";
    return fixed(geo::lon(b.min_corner()), 4) + "," + fixed(geo::lat(b.min_corner()), 4) + " - " +
           fixed(geo::lon(b.max_corner()), 4) + "," + fixed(geo::lat(b.max_corner()), 4);
}

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

std::string mgrs_of(const geo::LonLat& p) {
    try {
        int zone = 0;
        bool north = true;
        double x = 0, y = 0;
        GeographicLib::UTMUPS::Forward(geo::lat(p), geo::lon(p), zone, north, x, y);
        std::string m;
        GeographicLib::MGRS::Forward(zone, north, x, y, geo::lat(p), 5, m);
        return m;
    } catch (const std::exception&) {
        return "-";
    }
}

/// The site catalogue as a layer (for GeoJSON/CSV output).
layer::Layer sites_layer(const std::vector<const sites::Site*>& sites) {
    layer::Layer l;
    l.name = "sites";
    l.source_crs = geo::kWgs84;
    for (const auto* s : sites) {
        layer::Feature f;
        f.id = s->id;
        f.geometry = s->geometry;
        f.attributes = s->attributes;
        f.attributes.set("id", s->id);
        f.attributes.set("kind", std::string(sites::kind_name(s->kind)));
        f.attributes.set("name_en", s->name_en);
        f.attributes.set("name_nl", s->name_nl);
        f.attributes.set("name_fr", s->name_fr);
        l.features.push_back(std::move(f));
    }
    l.infer_fields();
    return l;
}

std::vector<const sites::Site*> select_sites(Context& ctx, const std::string& kind) {
    auto& cat = ctx.workspace().catalogue;
    std::vector<const sites::Site*> out;
    if (kind.empty()) {
        for (const auto& s : cat.sites()) out.push_back(&s);
        return out;
    }
    auto k = sites::parse_kind(kind);
    if (!k) {
        std::vector<std::string> names;
        for (auto kk : sites::all_kinds()) names.emplace_back(sites::kind_name(kk));
        throw UsageError("unknown site kind '" + kind + "'", "--kind; use one of " + join(names, ", "));
    }
    return cat.of_kind(*k);
}

std::string csv_escape(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

int cmd_layers(Context& ctx, const std::string& format) {
    const auto& ws = ctx.workspace();
    if (format == "json") {
        nlohmann::json arr = nlohmann::json::array();
        for (const auto& l : ws.layers.layers()) {
            nlohmann::json j{{"name", l.name},
                             {"source", redact_secrets(l.source)},
                             {"crs", l.source_crs},
                             {"features", l.features.size()},
                             {"geometry_types", l.geometry_types()}};
            geo::Box b;
            if (l.extent(b))
                j["extent"] = {geo::lon(b.min_corner()), geo::lat(b.min_corner()), geo::lon(b.max_corner()),
                               geo::lat(b.max_corner())};
            nlohmann::json fields = nlohmann::json::array();
            for (const auto& f : l.fields)
                fields.push_back({{"name", f.name}, {"type", layer::field_type_name(f.type)}});
            j["fields"] = fields;
            arr.push_back(j);
        }
        std::cout << arr.dump(2) << "\n";
        return kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& l : ws.layers.layers())
        rows.push_back({l.name, std::to_string(l.features.size()), join(l.geometry_types(), "+"),
                        l.source_crs.size() > 24 ? l.source_crs.substr(0, 21) + "..." : l.source_crs, extent_text(l),
                        redact_secrets(l.source)});
    print_table({"LAYER", "FEATURES", "GEOMETRY", "CRS", "EXTENT (lon,lat)", "SOURCE"}, rows);
    return kOk;
}

int cmd_sites(Context& ctx, const std::string& kind, const std::string& format) {
    const auto sites = select_sites(ctx, kind);
    if (format == "geojson") {
        std::cout << io::to_geojson(sites_layer(sites));
        return kOk;
    }
    if (format == "csv") {
        std::cout << "id,kind,name_en,name_nl,name_fr,lon,lat,source\n";
        for (const auto* s : sites) {
            const auto a = s->anchor();
            std::cout << csv_escape(s->id) << ',' << sites::kind_name(s->kind) << ',' << csv_escape(s->name_en) << ','
                      << csv_escape(s->name_nl) << ',' << csv_escape(s->name_fr) << ',' << fixed(geo::lon(a), 6) << ','
                      << fixed(geo::lat(a), 6) << ',' << csv_escape(s->source) << "\n";
        }
        return kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto* s : sites) {
        const auto a = s->anchor();
        std::string names = s->name_en;
        if (s->name_nl != s->name_en) names += " / " + s->name_nl;
        if (s->name_fr != s->name_en && s->name_fr != s->name_nl) names += " / " + s->name_fr;
        rows.push_back(
            {s->id, std::string(sites::kind_name(s->kind)), names, fixed(geo::lon(a), 4), fixed(geo::lat(a), 4)});
    }
    print_table({"ID", "KIND", "NAME (en / nl / fr)", "LON", "LAT"}, rows);
    std::cout << rows.size() << " sites\n";
    return kOk;
}

int cmd_info(Context& ctx, const std::string& query) {
    auto found = ctx.workspace().catalogue.find(query);
    if (!found) throw InputError(found.reason(), "SITE argument");
    const sites::Site& s = **found;
    const auto a = s.anchor();
    std::vector<std::pair<std::string, std::string>> rows;
    rows.emplace_back("kind", std::string(sites::kind_name(s.kind)));
    rows.emplace_back("name (nl)", s.name_nl);
    rows.emplace_back("name (fr)", s.name_fr);
    rows.emplace_back("location", fixed(geo::lat(a), 6) + " N, " + fixed(geo::lon(a), 6) + " E (WGS84)");
    rows.emplace_back("MGRS", mgrs_of(a));
    const auto l72 = geo::project(a, geo::kLambert72);
    rows.emplace_back("Lambert 72", fixed(l72.x(), 1) + " E, " + fixed(l72.y(), 1) + " N (EPSG:31370)");
    const double area = geo::area_m2(s.geometry);
    if (area > 0) rows.emplace_back("area", fixed(area / 1e6, 2) + " km2 (geodesic, from the outline)");
    static const std::vector<std::string> skip = {"id", "kind", "name_en", "name_nl", "name_fr", "estimates", "source"};
    for (const auto& [k, v] : s.attributes.items()) {
        if (std::find(skip.begin(), skip.end(), k) != skip.end() || std::holds_alternative<std::monostate>(v)) continue;
        rows.emplace_back(k, layer::to_string(v) + (s.is_estimate(k) ? "   (planning estimate)" : ""));
    }
    rows.emplace_back("source", (s.source.empty() ? "-" : s.source) + " (see data/SOURCES.md)");
    // The key column fits the longest key, plus two spaces (16 columns at least).
    std::size_t width = 14;
    for (const auto& r : rows) width = std::max(width, r.first.size());
    std::cout << terminal_safe(s.name_en) << "  [" << terminal_safe(s.id) << "]\n";
    for (auto& [k, v] : rows) k = terminal_safe(k), v = terminal_safe(v);
    for (const auto& r : rows) width = std::max(width, r.first.size());
    for (const auto& [k, v] : rows) std::cout << "  " << k << std::string(width + 2 - k.size(), ' ') << v << "\n";
    return kOk;
}

int cmd_export(Context& ctx, const std::string& name, const std::string& out, const std::string& format) {
    auto& ws = ctx.workspace();
    const io::Format fmt = format.empty() ? io::format_from_path(out) : io::parse_format(format);
    const layer::Layer& l = ws.layers.get(name);
    io::write_layer(l, out, fmt);
    std::cerr << "wrote " << l.features.size() << " features of layer '" << l.name << "' to " << out << "\n";
    return kOk;
}

int cmd_summary(Context& ctx) {
    auto& ws = ctx.workspace();
    std::cout << "Enablement planner: data loaded\n\n";
    cmd_layers(ctx, "table");
    std::cout << "\nSites by kind:\n";
    for (auto k : sites::all_kinds()) {
        const auto list = ws.catalogue.of_kind(k);
        std::vector<std::string> ids;
        for (const auto* s : list) ids.push_back(s->name_en);
        std::string kn(sites::kind_name(k));
        kn.resize(16, ' ');
        std::cout << "  " << kn << std::setw(3) << list.size() << "  " << join(ids, ", ") << "\n";
    }
    std::cout << "\nNetworks:\n";
    for (const char* net : {"roads", "rail"}) {
        const layer::Layer* l = ws.layers.find(net);
        if (!l) continue;
        double km = 0;
        std::map<std::string, double> by_class;
        for (const auto& f : l->features) {
            const double len = geo::length_m(f.geometry) / 1000;
            km += len;
            by_class[f.attributes.text(std::string(net) == "roads" ? "class" : "line_number", "?")] += len;
        }
        std::cout << "  " << net << ": " << l->features.size() << " segments, " << fixed(km, 0) << " km";
        if (std::string(net) == "roads") {
            std::cout << " (";
            bool first = true;
            for (const auto& [c, v] : by_class)
                std::cout << (first ? "" : ", ") << c << " " << fixed(v, 0) << " km", first = false;
            std::cout << ")";
        } else {
            std::cout << " on " << by_class.size() << " lines";
        }
        std::cout << "\n";
    }
    return kOk;
}

}  // namespace

std::string terminal_safe(std::string_view text) {
    const std::string utf8 = sanitize_utf8(text);
    std::string out;
    out.reserve(utf8.size());
    char buf[8];
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c < 0x20 || c == 0x7f) {
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else if (c == 0xc2 && i + 1 < utf8.size() && static_cast<unsigned char>(utf8[i + 1]) < 0xa0) {
            // U+0080..U+009F (C1 controls; U+009B is a one-character CSI).
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(utf8[i + 1]));
            out += buf;
            ++i;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                 std::ostream& os) {
    // Widths in code points so accented names align.
    auto width = [](const std::string& s) {
        std::size_t n = 0;
        for (unsigned char c : s) n += (c & 0xC0) != 0x80;
        return n;
    };
    std::vector<std::size_t> w;
    auto line = [&](const std::vector<std::string>& r) {
        std::string out;
        for (std::size_t i = 0; i < r.size(); ++i) {
            out += r[i];
            if (i + 1 < r.size()) out += std::string(w[i] - width(r[i]) + 2, ' ');
        }
        os << out << "\n";
    };
    // Cells come from data: escaped before they are measured and printed.
    const auto safe = [](const std::vector<std::string>& r) {
        std::vector<std::string> out;
        for (const auto& c : r) out.push_back(terminal_safe(c));
        return out;
    };
    const std::vector<std::string> safe_header = safe(header);
    std::vector<std::vector<std::string>> safe_rows;
    for (const auto& r : rows) safe_rows.push_back(safe(r));
    w.assign(safe_header.size(), 0);
    for (std::size_t i = 0; i < safe_header.size(); ++i) w[i] = width(safe_header[i]);
    for (const auto& r : safe_rows)
        for (std::size_t i = 0; i < r.size() && i < w.size(); ++i) w[i] = std::max(w[i], width(r[i]));
    line(safe_header);
    for (const auto& r : safe_rows) line(r);
}

void write_output(const std::string& path, const std::string& text) {
    if (path.empty() || path == "-") {
        std::cout << text;
        return;
    }
    io::write_file_atomic(path, text);
}

void register_data_commands(CLI::App& app, Context& ctx) {
    auto* summary = app.add_subcommand("summary", "Load all layers and print a summary (the default main job)");
    add_data_options(*summary, ctx);
    summary->callback([&ctx] { ctx.action = [&ctx] { return cmd_summary(ctx); }; });

    auto* layers = app.add_subcommand("layers", "List the loaded layers: features, geometry, CRS, extent");
    add_data_options(*layers, ctx);
    static std::string layers_format = "table";
    layers->add_option("--format", layers_format, "Output format")->check(CLI::IsMember({"table", "json"}));
    layers->callback([&ctx] { ctx.action = [&ctx] { return cmd_layers(ctx, layers_format); }; });

    auto* sites = app.add_subcommand("sites", "List the site catalogue (ports, airbases, rail terminals, ...)");
    add_data_options(*sites, ctx);
    static std::string sites_kind, sites_format = "table";
    sites->add_option("--kind", sites_kind,
                      "Only sites of this kind: port, airbase, rail_terminal, training_area, border_crossing, "
                      "staging_area");
    sites->add_option("--format", sites_format, "table, csv, or geojson (RFC 7946 on stdout)")
        ->check(CLI::IsMember({"table", "csv", "geojson"}));
    sites->callback([&ctx] { ctx.action = [&ctx] { return cmd_sites(ctx, sites_kind, sites_format); }; });

    auto* info = app.add_subcommand("info", "Show one site with all its attributes");
    add_data_options(*info, ctx);
    static std::string info_site;
    info->add_option("SITE", info_site, "Site id or name (NL/FR/EN, case- and accent-insensitive)")->required();
    info->callback([&ctx] { ctx.action = [&ctx] { return cmd_info(ctx, info_site); }; });

    auto* exp = app.add_subcommand("export", "Write a loaded layer to a file (atomically)");
    add_data_options(*exp, ctx);
    static std::string exp_layer, exp_out, exp_format;
    exp->add_option("LAYER", exp_layer, "Layer name (see 'enablement layers')")->required();
    exp->add_option("--out,-o", exp_out, "Output file")->required();
    exp->add_option("--format", exp_format, "geojson, gpkg or csv (default: from the file extension)")
        ->check(CLI::IsMember({"geojson", "gpkg", "csv"}));
    exp->callback([&ctx] { ctx.action = [&ctx] { return cmd_export(ctx, exp_layer, exp_out, exp_format); }; });
}

}  // namespace mp::cli
