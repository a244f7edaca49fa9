// SPDX-License-Identifier: MIT
// protection-coverage: air and drone defence coverage of critical nodes and routes.
// Each air-defence system covers a geodesic disc of its range around its position
// (WGS84, Karney geodesics through the host's geodesy service; the system classes and
// their generic ranges come from the host table "air-defence-systems"). The plugin counts covering
// systems per grid cell (a GeoTIFF raster), per defended asset and along each route of
// a line layer, and reports the gaps. Terrain masking, radar horizon, altitude bands
// and engagement capacity are not modelled: coverage here is a planning first cut.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <numbers>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "mp/plugin.hpp"

namespace {

using mp::sdk::Failure;
using mp::sdk::Geometry;
using mp::sdk::InputFailure;
using mp::sdk::Run;

// Generic planning ranges by system class come from the host table
// "air-defence-systems" (data/air_defence_systems.json): rounded figures from open
// sources, not classified or system-specific performance data; see data/SOURCES.md.
constexpr const char* kSystemsTable = "air-defence-systems";

const char* const kExtents[] = {"assets", "belgium", nullptr};

MpParamDef g_params[6];
const MpParamDef* params() {
    static bool done = false;
    if (done) return g_params;
    using mp::sdk::number_param;
    using mp::sdk::param;
    g_params[0] = param("assets", "Defended assets", MP_PARAM_LIST, nullptr, 0,
                        "Sites to defend (default: every port, airbase and rail terminal)");
    g_params[0].item_type = MP_PARAM_SITE;
    g_params[1] = param("systems", "Air-defence systems", MP_PARAM_LIST, nullptr, 1,
                        "Items TYPE@SITE or TYPE@LON/LAT, optionally :RANGE_KM; TYPE is cuas (3 km), vshorad (6 km), "
                        "shorad (12 km), medium (40 km) or custom (custom_range_km), e.g. vshorad@port-antwerp");
    g_params[1].item_type = MP_PARAM_STRING;
    g_params[1].has_min = 1, g_params[1].min = 1;
    g_params[2] = number_param("custom_range_km", "Custom system range", "km", "10", 0.1, 500,
                               "Range of systems of type 'custom'");
    g_params[3] = param("route_layer", "Routes to assess", MP_PARAM_LAYER, nullptr, 0,
                        "A line layer, e.g. roads, rail or a result layer (default: roads when loaded)");
    g_params[4] =
        number_param("resolution_km", "Grid resolution", "km", "1", 0.05, 50, "Cell size of the coverage raster");
    g_params[5] = param("grid_extent", "Grid extent", MP_PARAM_ENUM, "assets", 0,
                        "assets: the box around assets and systems plus the longest range; belgium: the whole country");
    g_params[5].choices = kExtents;
    done = true;
    return g_params;
}
constexpr std::size_t kParamCount = 6;

constexpr double kKmPerDegLat = 111.32;  // mean; only used for boxes and prefilters, never for answers
constexpr std::size_t kMaxCells = 4'000'000;
constexpr double kRouteStepM = 50;  // sampling step along routes: error <= 50 m per ring crossing

struct System {
    std::string name;  // "S1 vshorad@port-antwerp"
    std::string type;
    std::string basis;
    double lon = 0, lat = 0;
    double range_m = 0;
};

std::string trim(std::string s) {
    s.erase(0, s.find_first_not_of(" \t"));
    s.erase(s.find_last_not_of(" \t") + 1);
    return s;
}

std::optional<double> to_double(const std::string& s) {
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (*end != '\0' || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::string fmt(double v, int decimals = 1) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string preset_list(const Run& r) {
    std::string s;
    for (std::size_t i = 0; i < r.table_rows(kSystemsTable); ++i)
        s += (s.empty() ? "" : ", ") + r.table_text(kSystemsTable, i, "id");
    return s;
}

System parse_system(Run& r, const std::string& item, std::size_t n, double custom_range_km) {
    const auto at = item.find('@');
    if (at == std::string::npos)
        throw InputFailure("system '" + item + "': expected TYPE@SITE or TYPE@LON/LAT (types: " + preset_list(r) + ")");
    System s;
    s.type = trim(item.substr(0, at));
    std::transform(s.type.begin(), s.type.end(), s.type.begin(), [](unsigned char c) { return std::tolower(c); });
    const std::size_t preset = r.table_find(kSystemsTable, s.type);
    if (preset == mp::sdk::kNone)
        throw InputFailure("system '" + item + "': unknown type '" + s.type + "' (types: " + preset_list(r) + ")");
    std::string where = trim(item.substr(at + 1));
    double range_km =
        s.type == "custom" ? custom_range_km : r.table_number(kSystemsTable, preset, "range_km").value_or(0);
    s.basis = r.table_text(kSystemsTable, preset, "basis");
    if (const auto colon = where.rfind(':'); colon != std::string::npos) {
        const auto v = to_double(trim(where.substr(colon + 1)));
        if (!v || *v <= 0 || *v > 1000)
            throw InputFailure("system '" + item + "': range '" + where.substr(colon + 1) +
                               "' is not a range in km (0-1000)");
        range_km = *v;
        s.basis = "range given by the planner";
        where = trim(where.substr(0, colon));
    }
    // Coordinates: "lon/lat" or "lon lat".
    const auto sep = where.find_first_of("/ ");
    std::optional<double> lon, lat;
    if (sep != std::string::npos)
        lon = to_double(trim(where.substr(0, sep))), lat = to_double(trim(where.substr(sep + 1)));
    if (lon && lat) {
        if (*lon < -180 || *lon > 180 || *lat < -90 || *lat > 90)
            throw InputFailure("system '" + item + "': coordinate out of range (lon/lat in degrees)");
        s.lon = *lon, s.lat = *lat;
    } else {
        const auto site = r.site(where);
        if (site == mp::sdk::kNone) throw InputFailure("system '" + item + "': unknown site '" + where + "'");
        std::tie(s.lon, s.lat) = r.site_location(site);
        where = r.site_text(site, "id");
    }
    s.range_m = range_km * 1000;
    s.name = "S" + std::to_string(n + 1) + " " + s.type + "@" + where;
    return s;
}

// Systems whose disc may contain points near (lon, lat): a cheap equirectangular
// prefilter before the exact geodesic test.
bool maybe_within(const System& s, double lon, double lat) {
    const double dy = (lat - s.lat) * kKmPerDegLat * 1000;
    // The cosine of the higher latitude underestimates east-west distances, so the
    // filter never drops a point that is within range (2 % covers the ellipsoid).
    const double cos_lat = std::cos(std::max(std::abs(lat), std::abs(s.lat)) * std::numbers::pi / 180);
    const double dx = (lon - s.lon) * kKmPerDegLat * 1000 * cos_lat;
    const double r = s.range_m * 1.02 + 200;
    return dx * dx + dy * dy <= r * r;
}

int covering(const Run& r, const std::vector<System>& systems, double lon, double lat) {
    int n = 0;
    for (const auto& s : systems)
        if (maybe_within(s, lon, lat) && r.distance_m(s.lon, s.lat, lon, lat) <= s.range_m) ++n;
    return n;
}

// A geodesic circle of 72 vertices, counter-clockwise (RFC 7946), from the host.
Geometry ring(const Run& r, const System& s) { return r.geod_circle(s.lon, s.lat, s.range_m, 72); }

struct Asset {
    std::string id, name, kind;
    double lon = 0, lat = 0;
    int count = 0;
    double nearest_km = std::numeric_limits<double>::infinity();
};

void run(Run& r) {
    r.progress(0.0, "reading systems and assets");
    const double custom_km = r.number("custom_range_km");
    std::vector<System> systems;
    const auto items = r.has("systems") ? r.list("systems") : std::vector<std::string>{};
    for (const auto& it : items) systems.push_back(parse_system(r, it, systems.size(), custom_km));
    if (systems.empty())
        throw InputFailure(
            "no air-defence systems given: set 'systems', e.g. vshorad@port-antwerp, medium@4.48/50.90 (types: " +
            preset_list(r) + ")");

    std::vector<Asset> assets;
    auto add_asset = [&](std::size_t s) {
        Asset a;
        a.id = r.site_text(s, "id");
        for (const auto& o : assets)
            if (o.id == a.id) return;
        a.name = r.site_text(s, "name_en");
        a.kind = r.site_text(s, "kind");
        std::tie(a.lon, a.lat) = r.site_location(s);
        assets.push_back(std::move(a));
    };
    if (r.has("assets")) {
        for (const auto& ref : r.list("assets")) {
            const auto s = r.site(ref);
            if (s == mp::sdk::kNone) throw InputFailure("assets: unknown site '" + ref + "'");
            add_asset(s);
        }
    } else {
        for (std::size_t s = 0; s < r.site_count(); ++s) {
            const auto kind = r.site_text(s, "kind");
            if (kind == "port" || kind == "airbase" || kind == "rail_terminal") add_asset(s);
        }
    }
    if (assets.empty()) r.warning("no defended assets: the catalogue has no ports, airbases or rail terminals");

    // --- assets
    for (auto& a : assets) {
        r.check_cancelled();
        for (const auto& s : systems) {
            const double d = r.distance_m(s.lon, s.lat, a.lon, a.lat);
            a.nearest_km = std::min(a.nearest_km, d / 1000);
            if (d <= s.range_m) ++a.count;
        }
    }

    // --- grid
    const double res_km = r.number("resolution_km");
    double west, south, east, north;
    if (r.text("grid_extent") == "belgium") {
        west = 2.50, south = 49.45, east = 6.45, north = 51.55;  // Belgium's extent, rounded outwards
    } else {
        west = south = std::numeric_limits<double>::infinity();
        east = north = -west;
        double max_range_km = 0;
        auto grow = [&](double lon, double lat) {
            west = std::min(west, lon), east = std::max(east, lon), south = std::min(south, lat),
            north = std::max(north, lat);
        };
        for (const auto& s : systems) grow(s.lon, s.lat), max_range_km = std::max(max_range_km, s.range_m / 1000);
        for (const auto& a : assets) grow(a.lon, a.lat);
        const double mid = (south + north) / 2;
        const double pad_lat = (max_range_km + res_km) / kKmPerDegLat;
        const double pad_lon = pad_lat / std::max(0.05, std::cos(mid * std::numbers::pi / 180));
        west -= pad_lon, east += pad_lon, south -= pad_lat, north += pad_lat;
    }
    const double mid_lat = (south + north) / 2;
    const double dlat = res_km / kKmPerDegLat;
    const double dlon = dlat / std::max(0.05, std::cos(mid_lat * std::numbers::pi / 180));
    const auto width = static_cast<std::size_t>(std::ceil((east - west) / dlon));
    const auto height = static_cast<std::size_t>(std::ceil((north - south) / dlat));
    if (width == 0 || height == 0 || width * height > kMaxCells)
        throw InputFailure("the coverage grid would have " + std::to_string(width) + " x " + std::to_string(height) +
                           " cells (at most " + std::to_string(kMaxCells) + "): choose a coarser resolution_km than " +
                           fmt(res_km, 2));
    std::vector<double> grid(width * height, 0.0);
    for (std::size_t k = 0; k < systems.size(); ++k) {
        const auto& s = systems[k];
        r.progress(0.1 + 0.5 * static_cast<double>(k) / systems.size(), "coverage of " + s.name);
        // Rows and columns of the system's bounding box (padded by a cell).
        const double rlat = s.range_m / 1000 / kKmPerDegLat * 1.01 + dlat;
        const double rlon =
            rlat / std::max(0.05, std::cos(std::min(89.0, std::abs(s.lat) + rlat) * std::numbers::pi / 180));
        const auto row0 = static_cast<long>(std::floor((north - (s.lat + rlat)) / dlat));
        const auto row1 = static_cast<long>(std::ceil((north - (s.lat - rlat)) / dlat));
        const auto col0 = static_cast<long>(std::floor((s.lon - rlon - west) / dlon));
        const auto col1 = static_cast<long>(std::ceil((s.lon + rlon - west) / dlon));
        for (long row = std::max(0L, row0); row < std::min<long>(static_cast<long>(height), row1 + 1); ++row) {
            r.check_cancelled();
            const double lat = north - (static_cast<double>(row) + 0.5) * dlat;
            for (long col = std::max(0L, col0); col < std::min<long>(static_cast<long>(width), col1 + 1); ++col) {
                const double lon = west + (static_cast<double>(col) + 0.5) * dlon;
                if (r.distance_m(s.lon, s.lat, lon, lat) <= s.range_m)
                    grid[static_cast<std::size_t>(row) * width + static_cast<std::size_t>(col)] += 1;
            }
        }
    }
    const double gt[6] = {west, dlon, 0.0, north, 0.0, -dlat};
    r.raster("coverage_count", width, height, gt, "EPSG:4326", grid, -1, "systems");

    // --- routes
    std::string route_layer;
    if (r.has("route_layer")) route_layer = r.text("route_layer");
    else if (r.layer("roads") != mp::sdk::kNone) route_layer = "roads";
    struct RouteRow {
        std::string id, name;
        double length_km = 0, uncovered_km = 0;
    };
    std::vector<RouteRow> routes;
    std::vector<std::vector<std::pair<double, double>>> gap_lines;
    std::vector<std::string> gap_owner;
    if (!route_layer.empty()) {
        const auto l = r.layer(route_layer);
        if (l == mp::sdk::kNone) throw InputFailure("route_layer: no loaded layer named '" + route_layer + "'");
        const std::size_t nf = r.feature_count(l);
        std::size_t skipped = 0;
        for (std::size_t f = 0; f < nf; ++f) {
            r.check_cancelled();
            r.progress(0.6 + 0.35 * static_cast<double>(f) / std::max<std::size_t>(1, nf), "routes");
            const MpGeometry g = r.geometry(l, f);
            if (g.type != MP_GEOM_LINESTRING && g.type != MP_GEOM_MULTILINESTRING) {
                ++skipped;
                continue;
            }
            RouteRow row;
            row.id = r.feature_id(l, f);
            row.name = r.attr(l, f, "name");
            if (row.name.empty()) row.name = r.attr(l, f, "ref");
            std::size_t begin = 0;
            for (std::size_t part = 0; part < g.n_rings; ++part) {
                const std::size_t end = g.ring_ends[part];
                std::vector<std::pair<double, double>> open;  // the current uncovered stretch
                auto close_gap = [&] {
                    if (open.size() >= 2) gap_lines.push_back(open), gap_owner.push_back(row.id);
                    open.clear();
                };
                for (std::size_t i = begin; i + 1 < end; ++i) {
                    const double x0 = g.xy[2 * i], y0 = g.xy[2 * i + 1], x1 = g.xy[2 * i + 2], y1 = g.xy[2 * i + 3];
                    const double seg_m = r.distance_m(x0, y0, x1, y1);
                    const auto pieces =
                        std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(seg_m / kRouteStepM)));
                    const double piece_km = seg_m / 1000 / static_cast<double>(pieces);
                    for (std::size_t k = 0; k < pieces; ++k) {
                        // Linear interpolation in lon/lat: fine for the short pieces used here.
                        const double t0 = static_cast<double>(k) / pieces, t1 = static_cast<double>(k + 1) / pieces;
                        const double tm = (t0 + t1) / 2;
                        row.length_km += piece_km;
                        if (covering(r, systems, x0 + (x1 - x0) * tm, y0 + (y1 - y0) * tm) > 0) {
                            close_gap();
                            continue;
                        }
                        row.uncovered_km += piece_km;
                        if (open.empty()) open.emplace_back(x0 + (x1 - x0) * t0, y0 + (y1 - y0) * t0);
                        open.emplace_back(x0 + (x1 - x0) * t1, y0 + (y1 - y0) * t1);
                    }
                }
                close_gap();
                begin = end;
            }
            routes.push_back(std::move(row));
        }
        if (skipped)
            r.warning("route layer '" + route_layer + "': " + std::to_string(skipped) +
                      " features are not lines and were skipped");
    } else {
        r.info("no route layer given and none named 'roads' loaded: routes not assessed");
    }

    // --- result layers
    r.progress(0.95, "writing results");
    auto rings = r.result_layer("range_rings", "#1f77b4", 2, "label");
    for (const auto& s : systems)
        rings.add(s.name, ring(r, s))
            .set("system", s.name)
            .set("type", s.type)
            .set("range_km", s.range_m / 1000)
            .set("range_basis", s.basis)
            .set("label", s.name + " " + fmt(s.range_m / 1000) + " km");
    auto positions = r.result_layer("ad_systems", "#1f77b4", 6, "system");
    for (const auto& s : systems)
        positions.add(s.name, Geometry::point(s.lon, s.lat))
            .set("system", s.name)
            .set("type", s.type)
            .set("range_km", s.range_m / 1000);
    auto asset_layer = r.result_layer("defended_assets", "#2ca02c", 8, "label");
    std::size_t covered_assets = 0;
    for (const auto& a : assets) {
        const bool covered = a.count > 0;
        covered_assets += covered ? 1 : 0;
        asset_layer.add(a.id, Geometry::point(a.lon, a.lat))
            .set("site", a.id)
            .set("name", a.name)
            .set("kind", a.kind)
            .set("covering_systems", a.count)
            .set("covered", covered)
            .set("nearest_system_km", a.nearest_km)
            .set("label", a.id + (covered ? " (" + std::to_string(a.count) + ")" : " GAP"))
            .style(covered ? "#2ca02c" : "#d62728", 8);
    }
    if (!gap_lines.empty()) {
        auto gaps = r.result_layer("route_gaps", "#d62728", 4, "route");
        for (std::size_t i = 0; i < gap_lines.size(); ++i)
            gaps.add(gap_owner[i] + ":gap" + std::to_string(i + 1), Geometry::line(gap_lines[i]))
                .set("route", gap_owner[i])
                .set("length_km", r.geod_measure(Geometry::line(gap_lines[i])).first / 1000);
    }

    // --- gaps table: uncovered assets, then every route with its uncovered length
    std::vector<std::string> t_type, t_id, t_name;
    std::vector<double> t_len, t_unc, t_pct, t_count;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::string gap_ids;
    for (const auto& a : assets) {
        if (a.count > 0) continue;
        gap_ids += (gap_ids.empty() ? "" : ", ") + a.id;
        t_type.push_back("asset"), t_id.push_back(a.id), t_name.push_back(a.name);
        t_len.push_back(nan), t_unc.push_back(nan), t_pct.push_back(0), t_count.push_back(0);
    }
    double total_km = 0, uncovered_km = 0;
    for (const auto& rt : routes) {
        total_km += rt.length_km, uncovered_km += rt.uncovered_km;
        t_type.push_back("route"), t_id.push_back(rt.id), t_name.push_back(rt.name);
        t_len.push_back(rt.length_km), t_unc.push_back(rt.uncovered_km);
        t_pct.push_back(rt.length_km > 0 ? 100 * (1 - rt.uncovered_km / rt.length_km) : 0), t_count.push_back(nan);
    }
    r.table("gaps")
        .texts("type", t_type)
        .texts("id", t_id)
        .texts("name", t_name)
        .numbers("length", t_len, "km")
        .numbers("uncovered", t_unc, "km")
        .numbers("covered", t_pct, "%")
        .numbers("covering_systems", t_count);

    // --- messages
    if (!assets.empty())
        r.info("assets covered: " + std::to_string(covered_assets) + " of " + std::to_string(assets.size()) + " (" +
               fmt(100.0 * covered_assets / assets.size()) + " %)" + (gap_ids.empty() ? "" : "; gaps: " + gap_ids));
    if (!route_layer.empty())
        r.info("route layer '" + route_layer + "': " + fmt(total_km - uncovered_km) + " of " + fmt(total_km) +
               " km covered (" + fmt(total_km > 0 ? 100 * (1 - uncovered_km / total_km) : 0) + " %), " +
               fmt(uncovered_km) + " km uncovered");
    r.info(
        "system ranges are generic planning figures from open sources, not classified performance data; "
        "terrain masking and altitude are not modelled");
    r.progress(1.0, "done");
}

}  // namespace

MP_SDK_PLUGIN("protection-coverage", "Air and drone defence coverage", "1.0.0",
              "Coverage of defended assets and routes by air-defence and counter-drone systems with generic planning "
              "ranges: coverage-count raster, range rings, covered/uncovered assets and uncovered route length.",
              params(), kParamCount, run)
