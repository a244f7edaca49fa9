// SPDX-License-Identifier: MIT
// Example plugin: for each training area, the nearest rail terminal by straight line
// and by road (shortest path over a road layer), as lines and a table.
#include <cmath>
#include <limits>
#include <map>
#include <queue>
#include <vector>

#include "mp/geo/geodesic.hpp"
#include "mp/plugin.hpp"

namespace {

const MpParamDef* params() {
    static MpParamDef p[] = {
        mp::sdk::param("roads", "Road layer", MP_PARAM_LAYER, "roads", 0, "Line layer used for road distances"),
        mp::sdk::number_param("max_snap_km", "Max snap distance", "km", "5", 0.1, 50,
                              "Sites farther than this from the road network get no road distance"),
    };
    return p;
}

using Key = std::pair<long long, long long>;

struct RoadGraph {
    std::vector<std::pair<double, double>> nodes;
    std::vector<std::vector<std::pair<std::size_t, double>>> adj;  // neighbour, metres
    std::map<Key, std::size_t> index;

    std::size_t node(double lon, double lat) {
        const Key k{std::llround(lon * 1e7), std::llround(lat * 1e7)};
        auto [it, fresh] = index.emplace(k, nodes.size());
        if (fresh) {
            nodes.emplace_back(lon, lat);
            adj.emplace_back();
        }
        return it->second;
    }

    std::size_t nearest(double lon, double lat, double& dist_m) const {
        std::size_t best = mp::sdk::kNone;
        dist_m = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            const double d = mp::geo::distance_m({lon, lat}, {nodes[i].first, nodes[i].second});
            if (d < dist_m) dist_m = d, best = i;
        }
        return best;
    }

    std::vector<double> dijkstra(std::size_t from) const {
        std::vector<double> dist(nodes.size(), std::numeric_limits<double>::infinity());
        using Item = std::pair<double, std::size_t>;
        std::priority_queue<Item, std::vector<Item>, std::greater<>> q;
        dist[from] = 0;
        q.push({0, from});
        while (!q.empty()) {
            auto [d, u] = q.top();
            q.pop();
            if (d > dist[u]) continue;
            for (auto [v, w] : adj[u])
                if (d + w < dist[v]) dist[v] = d + w, q.push({dist[v], v});
        }
        return dist;
    }
};

void run(mp::sdk::Run& r) {
    const std::size_t roads = r.layer(r.text("roads"));
    if (roads == mp::sdk::kNone) throw std::runtime_error("road layer '" + r.text("roads") + "' is not loaded");
    RoadGraph g;
    const std::size_t n = r.feature_count(roads);
    for (std::size_t f = 0; f < n; ++f) {
        const MpGeometry geom = r.geometry(roads, f);
        if (geom.type != MP_GEOM_LINESTRING && geom.type != MP_GEOM_MULTILINESTRING) continue;
        std::size_t start = 0;
        for (std::size_t part = 0; part < geom.n_rings; ++part) {
            const std::size_t end = geom.ring_ends[part];
            double len = 0;
            for (std::size_t i = start + 1; i < end; ++i)
                len +=
                    mp::geo::distance_m({geom.xy[2 * i - 2], geom.xy[2 * i - 1]}, {geom.xy[2 * i], geom.xy[2 * i + 1]});
            const auto a = g.node(geom.xy[2 * start], geom.xy[2 * start + 1]);
            const auto b = g.node(geom.xy[2 * (end - 1)], geom.xy[2 * (end - 1) + 1]);
            g.adj[a].push_back({b, len});
            g.adj[b].push_back({a, len});
            start = end;
        }
        if (f % 256 == 0) {
            r.check_cancelled();
            r.progress(0.5 * f / n, "building road graph");
        }
    }
    std::vector<std::size_t> areas, terminals;
    for (std::size_t s = 0; s < r.site_count(); ++s) {
        const std::string kind = r.site_text(s, "kind");
        if (kind == "training_area") areas.push_back(s);
        if (kind == "rail_terminal") terminals.push_back(s);
    }
    if (terminals.empty()) throw std::runtime_error("no rail terminals in the site catalogue");
    const double max_snap_m = r.number("max_snap_km") * 1000;
    std::vector<std::size_t> terminal_node(terminals.size());
    for (std::size_t t = 0; t < terminals.size(); ++t) {
        const auto [lon, lat] = r.site_location(terminals[t]);
        double d = 0;
        terminal_node[t] = g.nearest(lon, lat, d);
        if (d > max_snap_m) terminal_node[t] = mp::sdk::kNone;
    }
    auto lines = r.result_layer("nearest_rail_terminal", "#9467bd", 3, "terminal");
    std::vector<std::string> col_area, col_straight_terminal, col_road_terminal;
    std::vector<double> col_straight_km, col_road_km;
    for (std::size_t i = 0; i < areas.size(); ++i) {
        r.check_cancelled();
        r.progress(0.5 + 0.5 * i / areas.size(), "training areas");
        const std::size_t a = areas[i];
        const auto [alon, alat] = r.site_location(a);
        std::size_t best_t = 0;
        double best_m = std::numeric_limits<double>::infinity();
        for (std::size_t t = 0; t < terminals.size(); ++t) {
            const auto [tlon, tlat] = r.site_location(terminals[t]);
            const double d = mp::geo::distance_m({alon, alat}, {tlon, tlat});
            if (d < best_m) best_m = d, best_t = t;
        }
        double snap = 0;
        const std::size_t an = g.nearest(alon, alat, snap);
        std::size_t road_t = mp::sdk::kNone;
        double road_m = std::numeric_limits<double>::infinity();
        if (an != mp::sdk::kNone && snap <= max_snap_m) {
            const auto dist = g.dijkstra(an);
            for (std::size_t t = 0; t < terminals.size(); ++t)
                if (terminal_node[t] != mp::sdk::kNone && dist[terminal_node[t]] < road_m)
                    road_m = dist[terminal_node[t]], road_t = t;
        }
        const auto [tlon, tlat] = r.site_location(terminals[best_t]);
        lines.add(r.site_text(a, "id"), mp::sdk::Geometry::line({{alon, alat}, {tlon, tlat}}))
            .set("training_area", r.site_text(a, "name_en"))
            .set("terminal", r.site_text(terminals[best_t], "name_en"))
            .set("straight_km", best_m / 1000)
            .set("road_km", std::isfinite(road_m) ? road_m / 1000 : NAN)
            .set("road_terminal", road_t == mp::sdk::kNone ? std::string() : r.site_text(terminals[road_t], "id"));
        col_area.push_back(r.site_text(a, "id"));
        col_straight_terminal.push_back(r.site_text(terminals[best_t], "id"));
        col_straight_km.push_back(best_m / 1000);
        col_road_terminal.push_back(road_t == mp::sdk::kNone ? "" : r.site_text(terminals[road_t], "id"));
        col_road_km.push_back(std::isfinite(road_m) ? road_m / 1000 : NAN);
    }
    r.table("nearest")
        .texts("training_area", col_area)
        .texts("nearest_terminal", col_straight_terminal)
        .numbers("straight_km", col_straight_km, "km")
        .texts("nearest_by_road", col_road_terminal)
        .numbers("road_km", col_road_km, "km");
    r.info(std::to_string(areas.size()) + " training areas, " + std::to_string(terminals.size()) + " rail terminals, " +
           std::to_string(g.nodes.size()) + " road nodes");
}

}  // namespace

MP_SDK_PLUGIN("nearest-rail-terminal", "Nearest rail terminal", "1.0.0",
              "For each training area, the nearest rail terminal by straight line and by road.", params(), 2, run)
