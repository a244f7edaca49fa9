// SPDX-License-Identifier: MIT
// protection-coverage: air and drone defence coverage of critical nodes and routes over
// terrain, per altitude band, sensor by sensor.
//
// Each system (a sensor or an effector of the host table "air-defence-systems", placed
// by the planner) gets one sweep over its range window on a metric working grid: the
// lowest height above ground at which it sees a target in every cell, with earth
// curvature and refraction (viewshed.hpp). The terrain is any GDAL raster given as `dem`
// (read through the host's raster service); without one, a smooth ellipsoidal earth
// (the radar horizon). The windows are combined per band (coverage.hpp): how many and
// exactly which systems see each cell, whether it is detected and engageable. Assets
// (points, or areas where the site has one) and routes (any line layer; exact line of
// sight along it) are assessed per band, with their gaps.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "coverage.hpp"
#include "mp/plugin.hpp"
#include "placement.hpp"
#include "viewshed.hpp"

namespace {

using mp::sdk::Failure;
using mp::sdk::Geometry;
using mp::sdk::Grid;
using mp::sdk::InputFailure;
using mp::sdk::path;
using mp::sdk::RasterResult;
using mp::sdk::Run;

// The system classes: data/air_defence_systems.json through the host (SOURCES.md,
// S-AD-GENERIC): generic public class figures, not any fielded system's performance.
constexpr const char* kSystemsTable = "air-defence-systems";
constexpr const char* kWorkCrs = "EPSG:3812";    // ETRS89 / Belgian Lambert 2008 (GRS80)
constexpr double kGrs80 = 6378137;               // its ellipsoid's semi-major axis
constexpr std::size_t kMaxCells = 16'000'000;    // working grid cap (about 1 GB of state)
constexpr double kDefaultFlatResolutionM = 100;  // without a DEM: the smooth earth's grid
constexpr double kMaxRouteStepM = 25;            // route sampling step (exact line of sight)

const MpParamDef kSystemFields[] = {
    mp::sdk::host_enum_param("type", "Type", kSystemsTable, nullptr, 1,
                             "Sensor (radar, eoir, rf) or effector (cuas, vshorad, shorad, medium)"),
    mp::sdk::place_param("at", "At", nullptr, 1, "A site (id or name) or lon,lat"),
    mp::sdk::number_param("mast_m", "Mast", "m", nullptr, 0, 500,
                          "Height of the antenna or optic above ground (default: the type's)"),
    mp::sdk::number_param("range_km", "Range", "km", nullptr, 0.1, 1000, "Maximum ground range (default: the type's)"),
    mp::sdk::number_param("azimuth_deg", "Azimuth", "deg", nullptr, 0, 360,
                          "Centre of the azimuth sector, clockwise from north (default 0)"),
    mp::sdk::number_param("sector_deg", "Sector", "deg", nullptr, 0, 360,
                          "Width of the azimuth sector, more than 0 and up to 360 (default: the type's, all round)"),
};
constexpr std::size_t kSystemFieldCount = sizeof(kSystemFields) / sizeof(kSystemFields[0]);

MpParamDef integer_field(const char* key, const char* label, const char* def, double min, double max,
                         const char* description) {
    MpParamDef p = mp::sdk::number_param(key, label, nullptr, def, min, max, description);
    p.type = MP_PARAM_INTEGER;
    return p;
}

const MpParamDef kPlaceFields[] = {
    mp::sdk::host_enum_param("type", "Type", kSystemsTable, nullptr, 1, "The type of the systems to place"),
    integer_field("count", "Count", "1", 1, 20, "How many of this type"),
    mp::sdk::number_param("mast_m", "Mast", "m", nullptr, 0, 500, "Default: the type's"),
    mp::sdk::number_param("range_km", "Range", "km", nullptr, 0.1, 1000, "Default: the type's"),
};
const MpParamDef kWeightFields[] = {
    mp::sdk::place_param("asset", "Asset", nullptr, 1, "A defended asset (site)"),
    mp::sdk::number_param("weight", "Priority", nullptr, "1", 0, 1000, "Its priority weight"),
};

MpParamDef g_params[15];
const MpParamDef* params() {
    static bool done = false;
    if (done) return g_params;
    using mp::sdk::number_param;
    using mp::sdk::param;
    g_params[0] = mp::sdk::record_list_param(
        "systems", "Air-defence systems", kSystemFields, kSystemFieldCount, 1,
        "One record per system: {\"type\": \"shorad\", \"at\": \"port-antwerp\", \"mast_m\": 10, \"range_km\": 12, "
        "\"azimuth_deg\": 90, \"sector_deg\": 120}; all but type and at optional");
    g_params[0].has_min = 1, g_params[0].min = 1;
    g_params[1] = mp::sdk::raster_param("dem", "Terrain (DEM)", 0,
                                        "Any GDAL raster of ground heights in metres (GeoTIFF, VRT mosaic, SRTM hgt; "
                                        "any CRS); without one, a smooth earth with curvature and refraction");
    g_params[2] =
        param("bands_m", "Altitude bands", MP_PARAM_LIST, "10,30,50,100,150", 0, "Target heights above ground, m");
    g_params[2].item_type = MP_PARAM_NUMBER;
    g_params[2].has_min = 1, g_params[2].min = 1, g_params[2].has_max = 1, g_params[2].max = 16;
    g_params[3] = number_param("k_factor", "Refraction factor k", nullptr, nullptr, 0.5, 10,
                               "Effective earth radius factor for every system (default: each type's, 4/3 radio, "
                               "7/6 optical)");
    g_params[4] = param(
        "assets", "Defended assets", MP_PARAM_LIST, nullptr, 0,
        "Sites or lon,lat to defend, separated by ';' (default: every port, airbase, rail terminal and training area)");
    g_params[4].item_type = MP_PARAM_PLACE;
    g_params[5] = param("route_layer", "Routes to assess", MP_PARAM_LAYER, nullptr, 0,
                        "A line layer: roads, rail, a transit-routes result, a convoy movements layer");
    g_params[6] = number_param("resolution_m", "Grid resolution", "m", nullptr, 1, 5000,
                               "Cell size of the working grid (default: the DEM's own cells; 100 m without a DEM)");
    g_params[10] = mp::sdk::record_list_param(
        "place", "Systems to place", kPlaceFields, 4, 0,
        "Optimise where to put new systems: [{\"type\": \"shorad\", \"count\": 2}]; they maximise the "
        "priority-weighted coverage of the assets in place_band_m");
    g_params[11] =
        param("candidates", "Candidate places", MP_PARAM_LIST, nullptr, 0,
              "Sites or lon,lat where a new system may go, separated by ';' (default: a grid over the assets)");
    g_params[11].item_type = MP_PARAM_PLACE;
    g_params[12] = number_param(
        "candidate_spacing_km", "Candidate grid spacing", "km", "2", 0.2, 50,
        "Spacing of the candidate grid over the assets (and one spacing around them) when no candidates are given");
    g_params[13] = number_param("place_band_m", "Placement band", "m", "30", 1, 20000,
                                "The height above ground whose coverage the placement maximises");
    g_params[14] = mp::sdk::record_list_param("weights", "Asset priorities", kWeightFields, 2, 0,
                                              "[{\"asset\": \"port-antwerp\", \"weight\": 3}]; other assets weigh 1");
    // Version 1's parameters, refused with what replaced them.
    g_params[7] = mp::sdk::retired_param("resolution_km", "use resolution_m, in metres (e.g. -p resolution_m=250)");
    g_params[8] = mp::sdk::retired_param(
        "custom_range_km",
        "give range_km in each systems record, e.g. {\"type\": \"cuas\", \"at\": \"port-antwerp\", "
        "\"range_km\": 4.5}");
    g_params[9] = mp::sdk::retired_param(
        "grid_extent", "the working grid is the box of the systems' ranges; give resolution_m for its cell size");
    done = true;
    return g_params;
}
constexpr std::size_t kParamCount = 15;

std::string fmt(double v, int decimals = 1) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string band_label(double h) { return fmt(h, h == std::floor(h) ? 0 : 1) + "m"; }

// ---- systems

struct Placed {
    pcov::System sys;
    double lon = 0, lat = 0;
    std::string at;     // site id or lon,lat
    std::string basis;  // where the figures come from
};

std::string type_list(const Run& r) {
    std::string s;
    for (std::size_t i = 0; i < r.table_rows(kSystemsTable); ++i)
        s += (s.empty() ? "" : ", ") + r.table_text(kSystemsTable, i, "id");
    return s;
}

double table_number(const Run& r, std::size_t row, const char* column, double fallback) {
    return r.table_number(kSystemsTable, row, column).value_or(fallback);
}

// The library's figures of a type, for the placement of new systems.
pcov::System type_system(const Run& r, const std::string& type, double k_override) {
    const std::size_t row = r.table_find(kSystemsTable, type);
    pcov::System s;
    s.type = type;
    s.sensor = r.table_text(kSystemsTable, row, "role") == "sensor";
    s.needs_los = s.sensor || r.table_text(kSystemsTable, row, "needs_los") != "false";
    s.mast_m = table_number(r, row, "mast_m", 10);
    s.range_m = table_number(r, row, "range_km", 0) * 1000;
    s.sector_deg = table_number(r, row, "sector_deg", 360);
    s.min_range_m = table_number(r, row, "min_range_km", 0) * 1000;
    s.min_alt_m = table_number(r, row, "min_alt_m", 0);
    s.max_alt_m = table_number(r, row, "max_alt_m", 1e9);
    s.max_elevation_deg = table_number(r, row, "max_elevation_deg", 90);
    s.k = k_override > 0 ? k_override : table_number(r, row, "k", 4.0 / 3.0);
    return s;
}

std::vector<Placed> read_systems(Run& r, double k_override) {
    std::vector<Placed> out;
    const std::size_t n = r.count("systems");
    for (std::size_t i = 0; i < n; ++i) {
        const std::string where = path("systems", i);
        const std::string type = r.text(path("systems", i, "type"));
        const std::size_t row = r.table_find(kSystemsTable, type);
        if (row == mp::sdk::kNone)
            throw InputFailure(where + ".type: unknown system type '" + type + "' (types: " + type_list(r) + ")");
        const mp::sdk::Place at = r.place(path("systems", i, "at"));
        Placed p;
        p.lon = at.lon, p.lat = at.lat, p.at = at.label();
        pcov::System& s = p.sys;
        s = type_system(r, type, k_override);  // the type's figures, then the record's own
        s.name = "S" + std::to_string(i + 1) + " " + type + "@" + p.at;
        auto given = [&](const char* name, double& value, double scale = 1) {
            const std::string key = path("systems", i, name);
            if (r.has(key)) value = r.number(key) * scale;
        };
        given("mast_m", s.mast_m);
        given("range_km", s.range_m, 1000);
        given("azimuth_deg", s.azimuth_deg);
        given("sector_deg", s.sector_deg);
        if (!(s.range_m > 0))
            throw InputFailure(where + ".range_km: type '" + type + "' has no default range: give range_km");
        if (!(s.sector_deg > 0) || s.sector_deg > 360)
            throw InputFailure(where + ".sector_deg: " + fmt(s.sector_deg) +
                               " is not a sector (more than 0 and up to 360 degrees)");
        if (s.min_range_m >= s.range_m)
            throw InputFailure(where + ".range_km: " + fmt(s.range_m / 1000) +
                               " km is inside the type's minimum range " + fmt(s.min_range_m / 1000) + " km");
        p.basis = r.has(path("systems", i, "range_km")) ? "range given by the planner"
                                                        : r.table_text(kSystemsTable, row, "basis");
        out.push_back(std::move(p));
    }
    if (out.empty())
        throw InputFailure(
            "systems: none given; e.g. -p systems='[{\"type\":\"shorad\",\"at\":\"port-antwerp\"}]' "
            "(types: " +
            type_list(r) + ")");
    return out;
}

std::vector<double> read_bands(const Run& r) {
    std::vector<double> bands;
    const auto items = r.has("bands_m") ? r.list("bands_m") : std::vector<std::string>{"10", "30", "50", "100", "150"};
    for (std::size_t i = 0; i < items.size(); ++i) {
        char* end = nullptr;
        const double h = std::strtod(items[i].c_str(), &end);
        if (!end || *end != '\0' || !std::isfinite(h) || h <= 0 || h > 20000)
            throw InputFailure("bands_m[" + std::to_string(i) + "]: '" + items[i] +
                               "' is not a height above ground in metres (more than 0, up to 20000)");
        bands.push_back(h);
    }
    std::sort(bands.begin(), bands.end());
    bands.erase(std::unique(bands.begin(), bands.end()), bands.end());
    return bands;
}

// ---- the working grid

struct Work {
    pcov::Dem dem;
    Grid grid;           // the same grid for the host (CRS, origin, cells)
    std::string source;  // the DEM's source, or "" for the smooth earth
    std::size_t filled = 0;
};

// Cells without data take the value of a neighbour that has one, spreading outwards
// (water and holes in a DTM): the count is reported; a grid with no data is an error.
std::size_t fill_holes(std::vector<float>& z, int w, int h) {
    std::vector<std::size_t> frontier;
    std::size_t missing = 0;
    for (std::size_t i = 0; i < z.size(); ++i) missing += std::isnan(z[i]) ? 1 : 0;
    if (missing == 0 || missing == z.size()) return missing;
    for (std::size_t i = 0; i < z.size(); ++i)
        if (!std::isnan(z[i])) frontier.push_back(i);
    while (!frontier.empty()) {
        std::vector<std::size_t> next;
        for (const std::size_t i : frontier) {
            const int c = static_cast<int>(i % static_cast<std::size_t>(w)),
                      r = static_cast<int>(i / static_cast<std::size_t>(w));
            const int dc[4] = {1, -1, 0, 0}, dr[4] = {0, 0, 1, -1};
            for (int k = 0; k < 4; ++k) {
                const int cc = c + dc[k], rr = r + dr[k];
                if (cc < 0 || rr < 0 || cc >= w || rr >= h) continue;
                const std::size_t j = static_cast<std::size_t>(rr) * static_cast<std::size_t>(w) + cc;
                if (std::isnan(z[j])) z[j] = z[i], next.push_back(j);
            }
        }
        frontier.swap(next);
    }
    return missing;
}

// Positions of lon/lat points in a CRS (in place, lon,lat pairs in, x,y out).
std::vector<double> to_crs(const Run& r, const std::string& crs, std::vector<double> lonlat) {
    r.crs_transform("EPSG:4326", crs, lonlat);
    return lonlat;
}

// A place the grid must reach: a position and a radius around it.
struct Reach {
    double lon, lat, radius_m;
};

Work working_grid(Run& r, std::vector<Placed>& systems, const std::vector<Reach>& more) {
    Work w;
    std::optional<mp::sdk::Raster> raster;
    mp::sdk::RasterInfo info;
    if (r.has("dem")) {
        raster.emplace(r.open_raster("dem"));
        info = raster->info();
        w.source = info.source.empty() ? r.text("dem") : info.source;
    }
    const bool north_up = raster && info.geotransform[2] == 0 && info.geotransform[4] == 0;
    const bool metric = raster && info.projected && std::abs(info.linear_unit_m - 1) < 1e-9;
    const bool square = raster && std::abs(info.geotransform[1] + info.geotransform[5]) < 1e-9 * info.geotransform[1];
    const std::optional<double> asked = r.has("resolution_m") ? std::optional(r.number("resolution_m")) : std::nullopt;
    const bool own_grid =
        raster && north_up && metric && square && (!asked || std::abs(*asked - info.geotransform[1]) < 1e-6);

    Grid& g = w.grid;
    if (own_grid) {
        g.crs = info.crs_wkt;
        g.cell_size_x = g.cell_size_y = info.geotransform[1];
    } else {
        g.crs = kWorkCrs;
        double res = asked.value_or(kDefaultFlatResolutionM);
        if (raster && !asked) {
            // The DEM's own cell size in metres, roughly (a geographic DEM: at its centre).
            res = info.projected ? info.geotransform[1] * info.linear_unit_m
                                 : info.geotransform[1] * 111320 *
                                       std::cos((info.geotransform[3] + info.geotransform[5] * info.height / 2) *
                                                3.14159265358979 / 180);
            res = std::max(1.0, res);
        }
        g.cell_size_x = g.cell_size_y = res;
    }
    // Systems in the grid's CRS, and the box of their ranges.
    std::vector<double> ll;
    for (const auto& p : systems) ll.push_back(p.lon), ll.push_back(p.lat);
    for (const auto& m : more) ll.push_back(m.lon), ll.push_back(m.lat);
    const std::vector<double> xy = to_crs(r, g.crs, ll);
    double x0 = std::numeric_limits<double>::infinity(), y0 = -x0, x1 = -x0, y1 = x0;
    auto grow = [&](double x, double y, double radius) {
        x0 = std::min(x0, x - radius), x1 = std::max(x1, x + radius);
        y1 = std::min(y1, y - radius), y0 = std::max(y0, y + radius);
    };
    for (std::size_t i = 0; i < systems.size(); ++i) {
        auto& s = systems[i].sys;
        s.x = xy[2 * i], s.y = xy[2 * i + 1];
        grow(s.x, s.y, s.range_m);
    }
    for (std::size_t i = 0; i < more.size(); ++i)
        grow(xy[2 * (systems.size() + i)], xy[2 * (systems.size() + i) + 1], more[i].radius_m);
    const double cell = g.cell_size_x;
    if (own_grid) {
        // Snap to the DEM's own cells and keep inside it.
        const double ox = info.geotransform[0], oy = info.geotransform[3];
        const double c0 = std::max(0.0, std::floor((x0 - ox) / cell)), r0 = std::max(0.0, std::floor((oy - y0) / cell));
        const double c1 = std::min(static_cast<double>(info.width), std::ceil((x1 - ox) / cell));
        const double r1 = std::min(static_cast<double>(info.height), std::ceil((oy - y1) / cell));
        if (c1 <= c0 || r1 <= r0) throw InputFailure("dem: '" + w.source + "' does not cover any system");
        g.origin_x = ox + c0 * cell, g.origin_y = oy - r0 * cell;
        g.width = static_cast<std::size_t>(c1 - c0), g.height = static_cast<std::size_t>(r1 - r0);
    } else {
        g.origin_x = std::floor(x0 / cell) * cell, g.origin_y = std::ceil(y0 / cell) * cell;
        g.width = static_cast<std::size_t>(std::ceil((x1 - g.origin_x) / cell));
        g.height = static_cast<std::size_t>(std::ceil((g.origin_y - y1) / cell));
    }
    if (g.width == 0 || g.height == 0 || g.width > kMaxCells / g.height) {
        const double need = cell * std::sqrt(static_cast<double>(g.width) * static_cast<double>(g.height) / kMaxCells);
        throw InputFailure("resolution_m: the working grid would be " + std::to_string(g.width) + " x " +
                           std::to_string(g.height) + " cells of " + fmt(cell) + " m (at most " +
                           std::to_string(kMaxCells) + " cells): give resolution_m of at least " +
                           fmt(std::ceil(need), 0) + " m, or place the systems closer together");
    }
    pcov::Dem& d = w.dem;
    d.width = static_cast<int>(g.width), d.height = static_cast<int>(g.height);
    d.cell = cell, d.x0 = g.origin_x, d.y0 = g.origin_y, d.semi_major_m = kGrs80;
    d.z.assign(g.cells(), 0.0f);
    if (raster) {
        r.progress(0.05, "reading the DEM");
        const auto v = raster->read(g, own_grid ? MP_RESAMPLE_NEAREST : MP_RESAMPLE_BILINEAR);
        for (std::size_t i = 0; i < v.size(); ++i) d.z[i] = static_cast<float>(v[i]);
        w.filled = fill_holes(d.z, d.width, d.height);
        if (w.filled == d.z.size())
            throw InputFailure("dem: '" + w.source + "' has no data around the systems (" + std::to_string(g.width) +
                               " x " + std::to_string(g.height) + " cells read)");
    }
    // Every system must stand on the terrain.
    for (std::size_t i = 0; i < systems.size(); ++i) {
        const auto& s = systems[i].sys;
        if (!d.contains(s.x, s.y))
            throw InputFailure(path("systems", i) + ".at: " + systems[i].at + " is outside the DEM '" + w.source + "'");
    }
    return w;
}

// ---- per-system windows, cached between runs in this process: moving, adding or
// removing one system recomputes only that one.

std::uint64_t fnv(const void* data, std::size_t n, std::uint64_t h = 1469598103934665603ull) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

class WindowCache {
public:
    static WindowCache& instance() {
        static WindowCache c;
        return c;
    }
    std::shared_ptr<const pcov::HeightWindow> find(const std::string& key) {
        std::lock_guard lock(m_mutex);
        auto it = m_map.find(key);
        if (it == m_map.end()) return nullptr;
        m_lru.splice(m_lru.begin(), m_lru, it->second.second);
        return it->second.first;
    }
    void put(const std::string& key, std::shared_ptr<const pcov::HeightWindow> w) {
        std::lock_guard lock(m_mutex);
        if (m_map.count(key)) return;
        m_bytes += w->memory_bytes();
        m_lru.push_front(key);
        m_map.emplace(key, std::make_pair(std::move(w), m_lru.begin()));
        while (m_bytes > kMaxBytes && m_lru.size() > 1) {
            auto victim = m_map.find(m_lru.back());
            m_bytes -= victim->second.first->memory_bytes();
            m_map.erase(victim);
            m_lru.pop_back();
        }
    }

private:
    static constexpr std::size_t kMaxBytes = std::size_t{1} << 30;
    std::mutex m_mutex;
    std::list<std::string> m_lru;
    std::unordered_map<std::string,
                       std::pair<std::shared_ptr<const pcov::HeightWindow>, std::list<std::string>::iterator>>
        m_map;
    std::size_t m_bytes = 0;
};

// The rectangle of DEM cells a site's sweep covers (as lowest_visible clips it).
struct CellRect {
    int col0, row0, cols, rows;
};
CellRect window_rect(const pcov::Dem& d, const pcov::System& s) {
    const int ox = d.column_of(s.x), oy = d.row_of(s.y);
    const int reach = static_cast<int>(std::ceil(s.range_m / d.cell));
    const int c0 = std::max(0, ox - reach), r0 = std::max(0, oy - reach);
    return {c0, r0, std::min(d.width, ox + reach + 1) - c0, std::min(d.height, oy + reach + 1) - r0};
}

// What a window depends on: the heights inside it, where it lies (absolute coordinates,
// so a grid that grew or moved by whole cells still finds it) and the site's figures.
std::string window_key(const pcov::Dem& d, const pcov::System& s, const CellRect& w) {
    std::uint64_t h = 1469598103934665603ull;
    for (int r = w.row0; r < w.row0 + w.rows; ++r)
        h = fnv(&d.z[static_cast<std::size_t>(r) * static_cast<std::size_t>(d.width) + w.col0],
                static_cast<std::size_t>(w.cols) * sizeof(float), h);
    char buf[320];
    std::snprintf(buf, sizeof buf, "%016llx %.6f %.6f %.6f %d %d %.1f|%.6f %.6f %.6f %.6f %.9f",
                  static_cast<unsigned long long>(h), d.x0 + w.col0 * d.cell, d.y0 - w.row0 * d.cell, d.cell, w.cols,
                  w.rows, d.semi_major_m, s.x, s.y, s.mast_m, s.range_m, s.k);
    return buf;
}

struct Windows {
    std::vector<pcov::HeightWindow> windows;
    std::size_t computed = 0, reused = 0;
};

Windows system_windows(Run& r, const pcov::Dem& d, const std::vector<Placed>& systems) {
    Windows out;
    out.windows.resize(systems.size());
    std::vector<pcov::Site> todo;
    std::vector<std::size_t> slot;
    std::vector<std::string> keys(systems.size());
    for (std::size_t i = 0; i < systems.size(); ++i) {
        const auto& s = systems[i].sys;
        if (!s.needs_los) continue;
        const CellRect rect = window_rect(d, s);
        keys[i] = window_key(d, s, rect);
        if (auto hit = WindowCache::instance().find(keys[i])) {
            out.windows[i] = *hit;
            out.windows[i].col0 = rect.col0, out.windows[i].row0 = rect.row0;  // on this grid
            ++out.reused;
        } else {
            todo.push_back(s.site());
            slot.push_back(i);
        }
    }
    if (!todo.empty()) {
        r.progress(0.1, "line of sight of " + std::to_string(todo.size()) + " systems");
        std::atomic<bool> cancel{false};
        // The sweeps run on threads; cancellation is polled here between batches.
        for (std::size_t start = 0; start < todo.size(); start += 8) {
            r.check_cancelled();
            const std::size_t end = std::min(todo.size(), start + 8);
            std::vector<pcov::Site> batch(todo.begin() + static_cast<std::ptrdiff_t>(start),
                                          todo.begin() + static_cast<std::ptrdiff_t>(end));
            auto done = pcov::lowest_visible_all(d, batch, 0, &cancel);
            for (std::size_t k = 0; k < done.size(); ++k) {
                const std::size_t i = slot[start + k];
                WindowCache::instance().put(keys[i], std::make_shared<const pcov::HeightWindow>(done[k]));
                out.windows[i] = std::move(done[k]);
            }
            r.progress(0.1 + 0.5 * static_cast<double>(end) / static_cast<double>(todo.size()),
                       "line of sight of " + std::to_string(end) + " of " + std::to_string(todo.size()) + " systems");
        }
        out.computed = todo.size();
    }
    return out;
}

// ---- assets

struct Asset {
    std::string id, name, kind;
    double lon = 0, lat = 0;
    std::vector<double> ring_xy;  // an area's outline in the grid CRS (closed), or empty
};

std::vector<Asset> read_assets(Run& r) {
    std::vector<Asset> out;
    auto add_site = [&](std::size_t s) {
        Asset a;
        a.id = r.site_text(s, "id");
        for (const auto& o : out)
            if (o.id == a.id) return;
        a.name = r.site_text(s, "name_en");
        a.kind = r.site_text(s, "kind");
        std::tie(a.lon, a.lat) = r.site_location(s);
        if (MP_HOST_HAS(r.host(), site_geometry)) {
            MpGeometry g{};
            if (r.host()->site_geometry(r.context(), s, &g) == MP_OK &&
                (g.type == MP_GEOM_POLYGON || g.type == MP_GEOM_MULTIPOLYGON) && g.n_rings > 0)
                a.ring_xy.assign(g.xy, g.xy + 2 * g.ring_ends[0]);  // the (first) exterior ring, lon/lat for now
        }
        out.push_back(std::move(a));
    };
    if (r.has("assets")) {
        for (std::size_t i = 0; i < r.count("assets"); ++i) {
            const mp::sdk::Place p = r.place(path("assets", i));
            if (!p.site.empty()) {
                add_site(r.site(p.site));
            } else {
                Asset a;
                a.id = a.name = p.label();
                a.kind = "point";
                a.lon = p.lon, a.lat = p.lat;
                out.push_back(std::move(a));
            }
        }
    } else {
        for (std::size_t s = 0; s < r.site_count(); ++s) {
            const auto kind = r.site_text(s, "kind");
            if (kind == "port" || kind == "airbase" || kind == "rail_terminal" || kind == "training_area") add_site(s);
        }
    }
    return out;
}

bool inside_ring(const std::vector<double>& ring, double x, double y) {
    bool in = false;
    const std::size_t n = ring.size() / 2;
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
        const double xi = ring[2 * i], yi = ring[2 * i + 1], xj = ring[2 * j], yj = ring[2 * j + 1];
        if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) in = !in;
    }
    return in;
}

// The cells of the grid whose centres lie inside a ring (grid CRS), scanning only the
// ring's box.
std::vector<std::size_t> cells_inside(const Grid& grid, const std::vector<double>& ring) {
    std::vector<std::size_t> out;
    if (ring.size() < 8) return out;
    double x0 = ring[0], x1 = ring[0], y0 = ring[1], y1 = ring[1];
    for (std::size_t i = 0; i < ring.size(); i += 2)
        x0 = std::min(x0, ring[i]), x1 = std::max(x1, ring[i]), y0 = std::min(y0, ring[i + 1]),
        y1 = std::max(y1, ring[i + 1]);
    const auto clamp_index = [](double v, std::size_t n) {
        return static_cast<std::size_t>(std::clamp(v, 0.0, static_cast<double>(n)));
    };
    const std::size_t c0 = clamp_index(std::floor((x0 - grid.origin_x) / grid.cell_size_x), grid.width);
    const std::size_t c1 = clamp_index(std::ceil((x1 - grid.origin_x) / grid.cell_size_x), grid.width);
    const std::size_t r0 = clamp_index(std::floor((grid.origin_y - y1) / grid.cell_size_y), grid.height);
    const std::size_t r1 = clamp_index(std::ceil((grid.origin_y - y0) / grid.cell_size_y), grid.height);
    for (std::size_t row = r0; row < r1; ++row)
        for (std::size_t col = c0; col < c1; ++col)
            if (inside_ring(ring, grid.x(col), grid.y(row))) out.push_back(row * grid.width + col);
    return out;
}

// ---- routes

struct RoutePiece {
    std::string id, name;
    std::vector<std::pair<double, double>> lonlat;  // one line
    std::string serial, depart, arrive;             // a movements layer's
};

// The lines of the route layer, each route once: a transit-routes result holds a route
// line and its legs (kind "route" / "leg"); the legs are used, not both.
std::vector<RoutePiece> read_routes(Run& r, const std::string& layer_name, std::size_t& skipped) {
    std::vector<RoutePiece> out;
    const auto l = r.layer(layer_name);
    if (l == mp::sdk::kNone) throw InputFailure("route_layer: no loaded layer named '" + layer_name + "'");
    const std::size_t nf = r.feature_count(l);
    bool has_legs = false;
    for (std::size_t f = 0; f < nf; ++f) has_legs = has_legs || r.attr(l, f, "kind") == "leg";
    skipped = 0;
    for (std::size_t f = 0; f < nf; ++f) {
        const MpGeometry g = r.geometry(l, f);
        if (g.type != MP_GEOM_LINESTRING && g.type != MP_GEOM_MULTILINESTRING) {
            skipped += r.attr(l, f, "kind").empty() ? 1 : 0;  // a result's origin/destination points are expected
            continue;
        }
        if (has_legs && r.attr(l, f, "kind") == "route") continue;
        std::size_t begin = 0;
        for (std::size_t part = 0; part < g.n_rings; ++part) {
            RoutePiece p;
            p.id = r.feature_id(l, f) + (g.n_rings > 1 ? "/" + std::to_string(part + 1) : "");
            p.name = r.attr(l, f, "name");
            if (p.name.empty()) p.name = r.attr(l, f, "ref");
            p.serial = r.attr(l, f, "serial");
            p.depart = r.attr(l, f, "depart");
            p.arrive = r.attr(l, f, "arrive");
            for (std::size_t i = begin; i < g.ring_ends[part]; ++i) p.lonlat.emplace_back(g.xy[2 * i], g.xy[2 * i + 1]);
            begin = g.ring_ends[part];
            if (p.lonlat.size() >= 2) out.push_back(std::move(p));
        }
    }
    return out;
}

// Seconds since the epoch of an ISO 8601 UTC time "YYYY-MM-DDTHH:MM[:SS]Z"; nullopt
// when the text is not one.
std::optional<double> parse_time(const std::string& t) {
    int y, mo, d, h = 0, mi = 0;
    double s = 0;
    if (std::sscanf(t.c_str(), "%d-%d-%dT%d:%d:%lf", &y, &mo, &d, &h, &mi, &s) < 5) return std::nullopt;
    // Days from civil (Howard Hinnant's algorithm).
    y -= mo <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const double days = era * 146097.0 + doe - 719468;
    return days * 86400 + h * 3600 + mi * 60 + s;
}

std::string format_time(double t) {
    const long long secs = static_cast<long long>(std::llround(t));
    long long z = secs / 86400 + 719468;
    const long long rem = secs % 86400;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const long long doe = z - era * 146097;
    const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400;
    const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long long mp = (5 * doy + 2) / 153;
    const long long d = doy - (153 * mp + 2) / 5 + 1;
    const long long m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", y, m, d, rem / 3600, rem / 60 % 60,
                  rem % 60);
    return buf;
}

struct Gap {
    std::string route, name;
    double band = 0, from_km = 0, to_km = 0;
    double height_needed_m = -1;    // over the samples inside some system's footprint; -1: none is
    bool beyond_range = false;      // some of it lies outside every system's footprint
    bool on_covered_route = false;  // its route is covered somewhere in this band
    std::string lost_by;
    std::vector<std::pair<double, double>> line;
    std::string serial, enters, leaves;
};

struct RouteRow {
    std::string id, name;
    double band = 0, length_km = 0, covered_km = 0;
};

// ---- placement of new systems

struct PlaceType {
    pcov::System proto;
    std::size_t count = 1;
};

struct Candidate {
    double lon = 0, lat = 0;
    std::string label;
};

std::vector<PlaceType> read_place(Run& r, double k_override) {
    std::vector<PlaceType> out;
    for (std::size_t i = 0; i < r.count("place"); ++i) {
        PlaceType t;
        const std::string type = r.text(path("place", i, "type"));
        t.proto = type_system(r, type, k_override);
        t.count = static_cast<std::size_t>(r.integer(path("place", i, "count")));
        if (r.has(path("place", i, "mast_m"))) t.proto.mast_m = r.number(path("place", i, "mast_m"));
        if (r.has(path("place", i, "range_km"))) t.proto.range_m = r.number(path("place", i, "range_km")) * 1000;
        if (!(t.proto.range_m > 0))
            throw InputFailure(path("place", i) + ".range_km: type '" + type + "' has no default range");
        out.push_back(t);
    }
    return out;
}

constexpr std::size_t kMaxCandidates = 400;
constexpr std::size_t kExactCandidates = 50;  // the integer program runs up to this many candidates

std::vector<Candidate> read_candidates(Run& r, const std::vector<struct Asset>& assets);

struct Target {
    double x = 0, y = 0;
    std::size_t cell = 0;
    double weight = 0;
    std::size_t asset = 0;
};

void place_systems(Run& r, const Work& work, const std::vector<pcov::System>& existing, const pcov::CoverageGrids& cov,
                   const std::vector<double>& bands, const std::vector<struct Asset>& assets,
                   const std::vector<PlaceType>& types, const std::vector<Candidate>& candidates, double band);

void run(Run& r) {
    r.progress(0.0, "reading systems");
    const double k_override = r.has("k_factor") ? r.number("k_factor") : 0;  // 0: each type's own
    std::vector<Placed> placed = read_systems(r, k_override);
    std::vector<double> bands = read_bands(r);
    std::vector<Asset> assets = read_assets(r);
    // New systems to place: their band is one of the bands, their candidates inside the grid.
    const std::vector<PlaceType> place_types = read_place(r, k_override);
    std::vector<Candidate> candidates;
    std::vector<Reach> reach;
    const double place_band = r.number("place_band_m");
    if (!place_types.empty()) {
        candidates = read_candidates(r, assets);
        double longest = 0;
        for (const auto& t : place_types) longest = std::max(longest, t.proto.range_m);
        for (const auto& c : candidates) reach.push_back({c.lon, c.lat, longest});
        if (std::find(bands.begin(), bands.end(), place_band) == bands.end()) {
            bands.push_back(place_band);
            std::sort(bands.begin(), bands.end());
        }
    }
    Work work = working_grid(r, placed, reach);
    const pcov::Dem& dem = work.dem;
    if (work.filled)
        r.warning("dem: " + std::to_string(work.filled) + " of " + std::to_string(dem.z.size()) +
                  " cells without data (water, holes) were filled from their neighbours");
    std::vector<pcov::System> systems;
    for (const auto& p : placed) systems.push_back(p.sys);
    const bool any_effector = std::any_of(systems.begin(), systems.end(), [](const auto& s) { return !s.sensor; });

    const Windows win = system_windows(r, dem, placed);
    r.progress(
        0.6, "combining " + std::to_string(systems.size()) + " systems in " + std::to_string(bands.size()) + " bands");
    const pcov::CoverageGrids cov = pcov::combine(dem, systems, win.windows, bands);
    const Grid& grid = work.grid;
    const std::size_t cells = grid.cells();

    // ---- rasters
    {
        auto lowest = RasterResult::of<float>("lowest_visible_m", grid);
        float* v = lowest.cells<float>(0);
        for (std::size_t i = 0; i < cells; ++i) v[i] = std::isfinite(cov.lowest[i]) ? cov.lowest[i] : -1.0f;
        r.raster(lowest.nodata(-1).unit("m"));
    }
    std::vector<std::string> band_names;
    for (const double h : bands) band_names.push_back(fmt(h, 0) + " m above ground");
    for (std::size_t b = 0; b < bands.size(); ++b) {
        auto count = RasterResult::of<std::uint8_t>("count_" + band_label(bands[b]), grid);
        std::uint8_t* v = count.cells<std::uint8_t>(0);
        for (std::size_t i = 0; i < cells; ++i)
            v[i] = cov.in_range[i] ? std::min<std::uint8_t>(cov.count[b][i], 254) : 255;
        r.raster(count.nodata(255).unit("systems"));
    }
    {
        auto cls = RasterResult::of<std::uint8_t>("coverage_class", grid, bands.size());
        for (std::size_t b = 0; b < bands.size(); ++b) {
            std::uint8_t* v = cls.cells<std::uint8_t>(b);
            for (std::size_t i = 0; i < cells; ++i) v[i] = cov.in_range[i] ? cov.cls[b][i] : 255;
        }
        r.raster(cls.nodata(255).heights(bands).band_names(band_names));
    }
    std::vector<std::string> system_names;
    for (const auto& s : systems) system_names.push_back(s.name);
    for (std::size_t b = 0; b < bands.size(); ++b) {
        auto seen = RasterResult::of<std::uint64_t>("seen_by_" + band_label(bands[b]), grid, cov.words);
        pcov::seen_by(dem, systems, win.windows, bands, b, seen.cells<std::uint64_t>(0));  // the planes follow
        r.raster(seen.bitmask(system_names));
    }

    // ---- covered and gap areas per band
    for (std::size_t b = 0; b < bands.size(); ++b) {
        r.check_cancelled();
        r.progress(0.65 + 0.1 * static_cast<double>(b) / static_cast<double>(bands.size()),
                   "areas at " + band_label(bands[b]));
        std::vector<double> v(cells);
        for (std::size_t i = 0; i < cells; ++i) v[i] = cov.in_range[i] ? cov.cls[b][i] : -1;
        auto layer = r.result_layer("areas_" + band_label(bands[b]), "#2ca02c80", 1, "class");
        r.polygonize(grid, v, layer, "class", -1.0);
    }

    // ---- systems
    auto positions = r.result_layer("ad_systems", "#1f77b4", 6, "system");
    auto rings = r.result_layer("range_rings", "#1f77b4", 2, "label");
    for (const auto& p : placed) {
        const auto& s = p.sys;
        positions.add(s.name, Geometry::point(p.lon, p.lat))
            .set("system", s.name)
            .set("type", s.type)
            .set("role", s.sensor ? "sensor" : "effector")
            .set("at", p.at)
            .set("mast_m", s.mast_m)
            .set("range_km", s.range_m / 1000)
            .set("azimuth_deg", s.azimuth_deg)
            .set("sector_deg", s.sector_deg)
            .set("k", s.k)
            .set("range_basis", p.basis);
        rings.add(s.name, r.geod_circle(p.lon, p.lat, s.range_m, 72))
            .set("system", s.name)
            .set("label", s.name + " " + fmt(s.range_m / 1000) + " km");
    }

    // ---- assets
    r.progress(0.75, "assets");
    std::vector<std::string> a_site, a_name, a_kind, a_shape;
    std::vector<double> a_band, a_det, a_eng, a_min;
    auto asset_layer = r.result_layer("defended_assets", "#2ca02c", 8, "label");
    const std::size_t ref_band = std::min<std::size_t>(1, bands.size() - 1);  // 30 m by default
    for (auto& a : assets) {
        r.check_cancelled();
        std::vector<double> det(bands.size(), 0), eng(bands.size(), 0), minimum(bands.size(), 0);
        bool area = false;
        if (a.ring_xy.size() >= 8) {
            const std::vector<double> ring = to_crs(r, grid.crs, a.ring_xy);
            const std::vector<std::size_t> inside = cells_inside(grid, ring);
            if (!inside.empty()) {
                area = true;
                for (std::size_t b = 0; b < bands.size(); ++b) {
                    std::size_t nd = 0, ne = 0;
                    int low = 255;
                    for (const std::size_t i : inside) {
                        nd += cov.cls[b][i] >= 1, ne += cov.cls[b][i] == 2;
                        low = std::min<int>(low, cov.count[b][i]);
                    }
                    det[b] = 100.0 * nd / inside.size(), eng[b] = 100.0 * ne / inside.size(), minimum[b] = low;
                }
            }
        }
        if (!area) {
            const std::vector<double> xy = to_crs(r, grid.crs, {a.lon, a.lat});
            const pcov::PointCoverage pc = pcov::point_coverage(dem, systems, xy[0], xy[1], bands);
            for (std::size_t b = 0; b < bands.size(); ++b) {
                det[b] = pc.cls[b] >= 1 ? 100 : 0, eng[b] = pc.cls[b] == 2 ? 100 : 0;
                minimum[b] = static_cast<double>(pc.seen_by[b].size());
            }
        }
        auto& f = asset_layer.add(a.id, Geometry::point(a.lon, a.lat));
        f.set("site", a.id).set("name", a.name).set("kind", a.kind).set("shape", area ? "area" : "point");
        for (std::size_t b = 0; b < bands.size(); ++b) {
            f.set("detected_" + band_label(bands[b]) + "_pct", det[b]);
            f.set("engageable_" + band_label(bands[b]) + "_pct", eng[b]);
            a_site.push_back(a.id), a_name.push_back(a.name), a_kind.push_back(a.kind);
            a_shape.push_back(area ? "area" : "point");
            a_band.push_back(bands[b]), a_det.push_back(det[b]), a_eng.push_back(eng[b]), a_min.push_back(minimum[b]);
        }
        const double key = any_effector ? eng[ref_band] : det[ref_band];
        f.set("label", a.id + " " + fmt(key, 0) + " % at " + band_label(bands[ref_band]))
            .style(key >= 99.5 ? "#2ca02c"
                   : key > 0   ? "#ff7f0e"
                               : "#d62728",
                   8);
    }
    r.table("asset_coverage")
        .texts("site", a_site)
        .texts("name", a_name)
        .texts("kind", a_kind)
        .texts("shape", a_shape)
        .numbers("band", a_band, "m")
        .numbers("detected", a_det, "%")
        .numbers("engageable", a_eng, "%")
        .numbers("min_systems", a_min);

    // ---- routes: exact line of sight every few metres
    std::string route_layer;
    if (r.has("route_layer")) route_layer = r.text("route_layer");
    else if (r.layer("roads") != mp::sdk::kNone) route_layer = "roads";
    std::vector<RouteRow> route_rows;
    std::vector<Gap> gaps;
    const char* criterion = any_effector ? "engageable" : "detected";
    if (!route_layer.empty()) {
        std::size_t skipped = 0;
        const std::vector<RoutePiece> pieces = read_routes(r, route_layer, skipped);
        if (skipped)
            r.warning("route_layer '" + route_layer + "': " + std::to_string(skipped) + " features are not lines");
        const double step = std::min(kMaxRouteStepM, dem.cell);
        for (std::size_t pi = 0; pi < pieces.size(); ++pi) {
            r.check_cancelled();
            r.progress(0.8 + 0.15 * static_cast<double>(pi) / static_cast<double>(pieces.size()), "routes");
            const RoutePiece& p = pieces[pi];
            // Sample points: every `step` metres along each segment (geodesic lengths),
            // each standing for the stretch around it.
            std::vector<double> ll, km;
            double along = 0;
            for (std::size_t i = 0; i + 1 < p.lonlat.size(); ++i) {
                const auto [x0, y0] = p.lonlat[i];
                const auto [x1, y1] = p.lonlat[i + 1];
                const double seg = r.distance_m(x0, y0, x1, y1);
                const auto n = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(seg / step)));
                for (std::size_t k = 0; k < n; ++k) {
                    const double t = (static_cast<double>(k) + 0.5) / static_cast<double>(n);
                    ll.push_back(x0 + (x1 - x0) * t), ll.push_back(y0 + (y1 - y0) * t);
                    km.push_back((along + seg * t) / 1000);
                }
                along += seg;
            }
            const double length_km = along / 1000;
            if (km.empty()) continue;
            const std::vector<double> xy = to_crs(r, grid.crs, ll);
            std::vector<pcov::PointCoverage> pcs(km.size());
            for (std::size_t i = 0; i < km.size(); ++i)
                pcs[i] = pcov::point_coverage(dem, systems, xy[2 * i], xy[2 * i + 1], bands);
            const auto depart = parse_time(p.depart), arrive = parse_time(p.arrive);
            for (std::size_t b = 0; b < bands.size(); ++b) {
                RouteRow row{p.id, p.name, bands[b], length_km, 0};
                const std::uint8_t need = any_effector ? 2 : 1;
                auto covered = [&](std::size_t i) { return pcs[i].cls[b] >= need; };
                for (std::size_t i = 0; i < km.size(); ++i) {
                    const double lo = i == 0 ? 0 : (km[i - 1] + km[i]) / 2;
                    const double hi = i + 1 == km.size() ? length_km : (km[i] + km[i + 1]) / 2;
                    if (covered(i)) row.covered_km += hi - lo;
                }
                route_rows.push_back(row);
                for (std::size_t i = 0; i < km.size();) {
                    if (covered(i)) {
                        ++i;
                        continue;
                    }
                    std::size_t j = i;
                    Gap g;
                    g.route = p.id, g.name = p.name, g.band = bands[b];
                    g.from_km = i == 0 ? 0 : (km[i - 1] + km[i]) / 2;
                    while (j < km.size() && !covered(j)) {
                        if (std::isfinite(pcs[j].lowest_m))
                            g.height_needed_m = std::max(g.height_needed_m, pcs[j].lowest_m);
                        else g.beyond_range = true;
                        g.line.emplace_back(ll[2 * j], ll[2 * j + 1]);
                        ++j;
                    }
                    g.to_km = j == km.size() ? length_km : (km[j - 1] + km[j]) / 2;
                    if (i > 0 && !pcs[i - 1].seen_by[b].empty())
                        g.lost_by = systems[pcs[i - 1].seen_by[b].front()].name;
                    if (g.line.size() == 1) g.line.push_back(g.line.front());
                    if (depart && arrive && length_km > 0) {
                        g.serial = p.serial;
                        g.enters = format_time(*depart + (*arrive - *depart) * g.from_km / length_km);
                        g.leaves = format_time(*depart + (*arrive - *depart) * g.to_km / length_km);
                    }
                    g.on_covered_route = row.covered_km > 0;
                    gaps.push_back(std::move(g));
                    i = j;
                }
            }
        }
        std::vector<std::string> t_id, t_name;
        std::vector<double> t_band, t_len, t_cov, t_pct;
        for (const auto& row : route_rows) {
            t_id.push_back(row.id), t_name.push_back(row.name), t_band.push_back(row.band);
            t_len.push_back(row.length_km), t_cov.push_back(row.covered_km);
            t_pct.push_back(row.length_km > 0 ? 100 * row.covered_km / row.length_km : 0);
        }
        r.table("route_coverage")
            .texts("route", t_id)
            .texts("name", t_name)
            .numbers("band", t_band, "m")
            .numbers("length", t_len, "km")
            .numbers("covered", t_cov, "km")
            .numbers("covered_pct", t_pct, "%");
        std::vector<std::string> g_route, g_name, g_lost, g_serial, g_enters, g_leaves, g_beyond;
        std::vector<double> g_band, g_from, g_to, g_len, g_need;
        // Dark red: the session turns a line colour near a base layer's (#d62728 is near the
        // orange roads the gaps lie on) into its magenta highlight.
        auto gap_layer = r.result_layer("route_gaps", "#c00018", 4, "label");
        for (std::size_t i = 0; i < gaps.size(); ++i) {
            const Gap& g = gaps[i];
            g_route.push_back(g.route), g_name.push_back(g.name), g_lost.push_back(g.lost_by);
            g_serial.push_back(g.serial), g_enters.push_back(g.enters), g_leaves.push_back(g.leaves);
            g_band.push_back(g.band), g_from.push_back(g.from_km), g_to.push_back(g.to_km);
            g_len.push_back(g.to_km - g.from_km);
            g_need.push_back(g.height_needed_m >= 0 ? g.height_needed_m : std::numeric_limits<double>::quiet_NaN());
            g_beyond.push_back(g.beyond_range ? "yes" : "no");
            // On the map only the gaps of routes covered somewhere in the band: a route wholly
            // out of every range is a row of the table, not a red line across the country.
            if (!g.on_covered_route) continue;
            auto& f = gap_layer.add(g.route + ":" + band_label(g.band) + ":gap" + std::to_string(i + 1),
                                    Geometry::line(g.line));
            f.set("route", g.route)
                .set("band_m", g.band)
                .set("from_km", g.from_km)
                .set("to_km", g.to_km)
                .set("length_km", g.to_km - g.from_km)
                .set("lost_by", g.lost_by)
                .set("label", g.route + " " + band_label(g.band) + " km " + fmt(g.from_km) + "-" + fmt(g.to_km));
            f.set("height_needed_m", g.height_needed_m).set("beyond_range", g.beyond_range);
            if (!g.serial.empty()) f.set("serial", g.serial).set("enters", g.enters).set("leaves", g.leaves);
        }
        r.table("route_gaps")
            .texts("route", g_route)
            .texts("name", g_name)
            .numbers("band", g_band, "m")
            .numbers("from", g_from, "km")
            .numbers("to", g_to, "km")
            .numbers("length", g_len, "km")
            .numbers("height_needed", g_need, "m")
            .texts("beyond_range", g_beyond)
            .texts("lost_by", g_lost)
            .texts("serial", g_serial)
            .texts("enters", g_enters)
            .texts("leaves", g_leaves);
    } else {
        r.info("no route layer given and none named 'roads' loaded: routes not assessed");
    }

    if (!place_types.empty()) place_systems(r, work, systems, cov, bands, assets, place_types, candidates, place_band);

    // ---- messages
    const std::string terrain =
        work.source.empty() ? "smooth earth (no DEM), curvature and refraction" : "terrain from '" + work.source + "'";
    r.info(std::to_string(systems.size()) + " systems on a " + std::to_string(grid.width) + " x " +
           std::to_string(grid.height) + " grid of " + fmt(dem.cell) + " m (" + terrain +
           "); line of sight computed for " + std::to_string(win.computed) + ", reused for " +
           std::to_string(win.reused));
    for (std::size_t b = 0; b < bands.size(); ++b) {
        std::size_t in = 0, det = 0, eng = 0;
        for (std::size_t i = 0; i < cells; ++i)
            if (cov.in_range[i]) ++in, det += cov.cls[b][i] >= 1, eng += cov.cls[b][i] == 2;
        double rk = 0, rc = 0;
        for (const auto& row : route_rows)
            if (row.band == bands[b]) rk += row.length_km, rc += row.covered_km;
        r.info("at " + band_label(bands[b]) + ": " + fmt(in ? 100.0 * det / in : 0) +
               " % of the area in range detected, " + fmt(in ? 100.0 * eng / in : 0) + " % engageable" +
               (route_layer.empty() ? std::string() : "; routes " + fmt(rc) + " of " + fmt(rk) + " km " + criterion));
    }
    r.info(
        "system figures are generic planning figures from open sources (data/SOURCES.md S-AD-GENERIC), not "
        "classified performance data");
    r.progress(1.0, "done");
}

std::vector<Candidate> read_candidates(Run& r, const std::vector<Asset>& assets) {
    std::vector<Candidate> out;
    if (r.has("candidates")) {
        for (std::size_t i = 0; i < r.count("candidates"); ++i) {
            const mp::sdk::Place p = r.place(path("candidates", i));
            out.push_back({p.lon, p.lat, p.label()});
        }
    } else {
        // A square grid over the assets' box, in the working CRS.
        if (assets.empty()) throw InputFailure("place: no assets to place systems for");
        std::vector<double> ll;
        for (const auto& a : assets) ll.push_back(a.lon), ll.push_back(a.lat);
        const std::vector<double> xy = to_crs(r, kWorkCrs, ll);
        double x0 = xy[0], x1 = xy[0], y0 = xy[1], y1 = xy[1];
        for (std::size_t i = 0; i < assets.size(); ++i)
            x0 = std::min(x0, xy[2 * i]), x1 = std::max(x1, xy[2 * i]), y0 = std::min(y0, xy[2 * i + 1]),
            y1 = std::max(y1, xy[2 * i + 1]);
        // One spacing beyond the assets on every side, so that a system may stand off them.
        const double step = r.number("candidate_spacing_km") * 1000;
        x0 -= step, y0 -= step, x1 += step, y1 += step;
        const double nx = std::floor((x1 - x0) / step) + 1, ny = std::floor((y1 - y0) / step) + 1;
        if (nx * ny > static_cast<double>(kMaxCandidates))
            throw InputFailure("candidate_spacing_km: a grid of " + fmt(nx, 0) + " x " + fmt(ny, 0) +
                               " candidates over the assets (at most " + std::to_string(kMaxCandidates) +
                               "): give a wider spacing or the candidates");
        std::vector<double> grid_xy;
        for (double i = 0; i < nx; ++i)
            for (double j = 0; j < ny; ++j) grid_xy.push_back(x0 + i * step), grid_xy.push_back(y0 + j * step);
        r.crs_transform(kWorkCrs, "EPSG:4326", grid_xy);
        for (std::size_t k = 0; k < grid_xy.size() / 2; ++k)
            out.push_back(
                {grid_xy[2 * k], grid_xy[2 * k + 1], fmt(grid_xy[2 * k], 5) + "," + fmt(grid_xy[2 * k + 1], 5)});
    }
    if (out.empty()) throw InputFailure("candidates: none given");
    if (out.size() > kMaxCandidates)
        throw InputFailure("candidates: " + std::to_string(out.size()) + " given, at most " +
                           std::to_string(kMaxCandidates));
    return out;
}

void place_systems(Run& r, const Work& work, const std::vector<pcov::System>& existing, const pcov::CoverageGrids& cov,
                   const std::vector<double>& bands, const std::vector<Asset>& assets,
                   const std::vector<PlaceType>& types, const std::vector<Candidate>& candidates, double band) {
    r.progress(0.96, "placing " + std::to_string(types.size()) + " system types");
    const pcov::Dem& dem = work.dem;
    const Grid& grid = work.grid;
    const std::size_t bi = static_cast<std::size_t>(std::find(bands.begin(), bands.end(), band) - bands.begin());
    // Priorities by asset (1 unless given).
    std::vector<double> weight(assets.size(), 1.0);
    for (std::size_t i = 0; i < r.count("weights"); ++i) {
        const mp::sdk::Place p = r.place(path("weights", i, "asset"));
        bool found = false;
        for (std::size_t a = 0; a < assets.size(); ++a)
            if (assets[a].id == p.label()) weight[a] = r.number(path("weights", i, "weight")), found = true;
        if (!found) throw InputFailure(path("weights", i) + ".asset: '" + p.label() + "' is not one of the assets");
    }
    // Target points: each point asset, or up to 400 cells of an area; each asset's points
    // share its weight.
    std::vector<Target> targets;
    for (std::size_t a = 0; a < assets.size(); ++a) {
        std::vector<Target> pts;
        if (assets[a].ring_xy.size() >= 8) {
            const std::vector<double> ring = to_crs(r, grid.crs, assets[a].ring_xy);
            for (const std::size_t cell : cells_inside(grid, ring))
                pts.push_back({grid.x(cell % grid.width), grid.y(cell / grid.width), cell, 0, a});
            if (pts.size() > 400) {
                std::vector<Target> thin;
                const double stride = static_cast<double>(pts.size()) / 400;
                for (double k = 0; k < static_cast<double>(pts.size()) && thin.size() < 400; k += stride)
                    thin.push_back(pts[static_cast<std::size_t>(k)]);
                pts.swap(thin);
            }
        }
        if (pts.empty()) {
            const std::vector<double> xy = to_crs(r, grid.crs, {assets[a].lon, assets[a].lat});
            if (!dem.contains(xy[0], xy[1])) continue;
            pts.push_back({xy[0], xy[1],
                           static_cast<std::size_t>(dem.row_of(xy[1])) * grid.width +
                               static_cast<std::size_t>(dem.column_of(xy[0])),
                           0, a});
        }
        for (auto& t : pts) t.weight = weight[a] / static_cast<double>(pts.size());
        targets.insert(targets.end(), pts.begin(), pts.end());
    }
    const bool effectors = std::any_of(existing.begin(), existing.end(), [](const auto& s) { return !s.sensor; }) ||
                           std::any_of(types.begin(), types.end(), [](const auto& t) { return !t.proto.sensor; });
    pcov::PlacementProblem p;
    for (const auto& t : targets) {
        p.weight.push_back(t.weight);
        p.already.push_back(cov.cls[bi][t.cell] >= (effectors ? 2 : 1) ? 1 : 0);
    }
    // Options: every candidate with every type; one sweep each (cached like the systems').
    std::vector<double> ll;
    for (const auto& c : candidates) ll.push_back(c.lon), ll.push_back(c.lat);
    const std::vector<double> xy = to_crs(r, grid.crs, ll);
    std::vector<pcov::System> option_system;
    std::vector<Placed> to_sweep;
    for (std::size_t c = 0; c < candidates.size(); ++c) {
        if (!dem.contains(xy[2 * c], xy[2 * c + 1])) continue;
        for (std::size_t t = 0; t < types.size(); ++t) {
            pcov::System s = types[t].proto;
            s.x = xy[2 * c], s.y = xy[2 * c + 1];
            s.name = types[t].proto.type + "@" + candidates[c].label;
            option_system.push_back(s);
            Placed pl;
            pl.sys = s;
            to_sweep.push_back(pl);
            p.option_type.push_back(t);
            p.option_candidate.push_back(c);
        }
    }
    if (option_system.empty()) throw InputFailure("candidates: none lies on the working grid");
    const Windows win = system_windows(r, dem, to_sweep);
    for (std::size_t o = 0; o < option_system.size(); ++o) {
        r.check_cancelled();
        const pcov::System& s = option_system[o];
        const double z_sensor = dem.at(dem.column_of(s.x), dem.row_of(s.y)) + s.mast_m;
        std::vector<std::uint32_t> covers;
        for (std::size_t j = 0; j < targets.size(); ++j) {
            const Target& t = targets[j];
            const double dx = t.x - s.x, dy = t.y - s.y;
            if (!s.in_footprint(dx, dy)) continue;
            const double d = std::max(std::hypot(dx, dy), dem.cell / 2);  // as combine() takes its own cell
            const double rise =
                dem.elevation(t.x, t.y) + band - pcov::curvature_drop(d, s.k, dem.semi_major_m) - z_sensor;
            if (!s.in_altitudes(band, d, rise)) continue;
            const bool ok = s.needs_los ? win.windows[o].seen(dem.column_of(t.x), dem.row_of(t.y), band)
                                        : cov.cls[bi][t.cell] >= 1;  // fires on an existing sensor's track
            if (ok) covers.push_back(static_cast<std::uint32_t>(j));
        }
        p.covers.push_back(std::move(covers));
    }
    for (const auto& t : types) p.count_per_type.push_back(t.count);
    pcov::Placement best = pcov::place_greedy(p);
    const double greedy_value = best.value;
    if (candidates.size() <= kExactCandidates) {
        r.progress(0.98, "integer program over " + std::to_string(candidates.size()) + " candidates");
        best = pcov::place_exact(p, best, 20);
    }
    double total = 0;
    for (const double w : p.weight) total += w;
    const double before = pcov::placement_value(p, {});
    // Layer and table, in the order of marginal gain.
    auto layer = r.result_layer("placement", "#9467bd", 9, "label");
    std::vector<std::string> t_type, t_at;
    std::vector<double> t_rank, t_lon, t_lat, t_gain;
    std::vector<std::size_t> chosen;
    double value = before;
    for (const std::size_t o : best.options) {
        chosen.push_back(o);
        const double v = pcov::placement_value(p, chosen);
        const Candidate& c = candidates[p.option_candidate[o]];
        const std::string type = types[p.option_type[o]].proto.type;
        t_rank.push_back(static_cast<double>(chosen.size())), t_type.push_back(type), t_at.push_back(c.label);
        t_lon.push_back(c.lon), t_lat.push_back(c.lat), t_gain.push_back(total > 0 ? 100 * (v - value) / total : 0);
        layer.add("P" + std::to_string(chosen.size()), Geometry::point(c.lon, c.lat))
            .set("type", type)
            .set("at", c.label)
            .set("gain_pct", total > 0 ? 100 * (v - value) / total : 0)
            .set("label", "P" + std::to_string(chosen.size()) + " " + type);
        value = v;
    }
    r.table("placement")
        .numbers("rank", t_rank)
        .texts("type", t_type)
        .texts("at", t_at)
        .numbers("lon", t_lon, "deg")
        .numbers("lat", t_lat, "deg")
        .numbers("gain", t_gain, "%");
    auto pct = [&](double v) { return fmt(total > 0 ? 100 * v / total : 0); };
    r.info("placement at " + band_label(band) + ": " + std::to_string(best.options.size()) + " systems over " +
           std::to_string(candidates.size()) + " candidates raise the weighted coverage of the assets from " +
           pct(before) + " % to " + pct(best.value) + " % (greedy+swap " + pct(greedy_value) + " %" +
           (best.method == "greedy+swap"
                ? "; more than " + std::to_string(kExactCandidates) + " candidates: no integer program)"
                : "; integer program " +
                      std::string(best.optimal ? "proves it optimal)" : "gap " + fmt(best.gap_pct(), 2) + " %)")));
}

}  // namespace

MP_SDK_PLUGIN("protection-coverage", "Air and drone defence coverage", "2.0.0",
              "Coverage of defended assets and routes by air-defence sensors and effectors over terrain, per altitude "
              "band: lowest visible height, counts and the exact set of systems per cell, detected and engageable "
              "areas, asset and route gaps.",
              params(), kParamCount, run)
