// SPDX-License-Identifier: MIT
// bench-routing: our exact ALT routing against Boost.Graph's dijkstra_shortest_paths
// (stopped when the target is examined) on the same graphs and the same per-query costs.
// Not part of ctest. Usage: bench-routing [--sides 1000,2000] [--queries 1000]
//   [--landmarks 16] [--threads 2] [--data DIR] [--no-osm]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/property_map/function_property_map.hpp>

#include "mp/network/build.hpp"
#include "mp/network/router.hpp"

using namespace mp::network;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

long rss_kb(const char* key) {
    std::ifstream is("/proc/self/status");
    std::string line;
    while (std::getline(is, line))
        if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + std::strlen(key));
    return 0;
}

struct TargetReached {};

struct StopAtTarget : boost::default_dijkstra_visitor {
    std::uint32_t target;
    explicit StopAtTarget(std::uint32_t t) : target(t) {}
    template <typename G>
    void examine_vertex(std::uint32_t v, const G&) const {
        if (v == target) throw TargetReached{};
    }
};

using BoostGraph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                      boost::no_property, std::uint32_t, std::uint32_t>;

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

struct Stats {
    double ours_median_ms = 0, ours_p99_ms = 0, boost_median_ms = 0, boost_p99_ms = 0;
    bool identical = true;
    std::size_t reachable = 0;
};

/// The per-edge cost a query uses, exactly as the router computes it (vehicle filter
/// included), for Boost's weight map.
std::vector<std::uint32_t> query_weights(const Graph& g, const QueryOptions& q) {
    std::vector<std::uint32_t> w(g.edges());
    std::vector<std::uint8_t> ok(g.restrictions.size(), 1);
    if (q.vehicle)
        for (std::size_t r = 0; r < ok.size(); ++r)
            ok[r] = crossing_mode(g.restrictions[r], *q.vehicle, q.highest_crossing, q.rules) == CrossingMode::Normal;
    for (std::size_t e = 0; e < w.size(); ++e) {
        const std::uint32_t r = g.edge_restriction[e];
        if (r != kNone && !ok[r]) {
            w[e] = kInfCost;
            continue;
        }
        const double cap = q.vehicle ? q.vehicle->max_speed_kmh : 0;
        w[e] = cap > 0 && g.speed_kmh[e] > cap ? travel_time_ds(g.length_dm[e], cap) : g.time_ds[e];
    }
    return w;
}

Stats run_queries(const Graph& g, Router& router, const BoostGraph& bgraph, std::size_t count, std::uint64_t seed,
                  const QueryOptions& q) {
    Stats st;
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::uint32_t> node(0, static_cast<std::uint32_t>(g.nodes() - 1));
    const std::vector<std::uint32_t> weights = query_weights(g, q);
    std::vector<std::uint32_t> dist(g.nodes());
    std::vector<double> ours, theirs;
    auto wmap = boost::make_function_property_map<boost::graph_traits<BoostGraph>::edge_descriptor>(
        [&](const boost::graph_traits<BoostGraph>::edge_descriptor& e) {
            return weights[boost::get(boost::edge_index, bgraph, e)];
        });
    for (std::size_t i = 0; i < count; ++i) {
        const auto s = node(rng), t = node(rng);
        auto t0 = Clock::now();
        const std::uint32_t a = router.node_cost(s, t, q);
        ours.push_back(seconds_since(t0) * 1e3);
        t0 = Clock::now();
        try {
            boost::dijkstra_shortest_paths(bgraph, s,
                                           boost::weight_map(wmap)
                                               .distance_map(boost::make_iterator_property_map(
                                                   dist.begin(), boost::get(boost::vertex_index, bgraph)))
                                               .distance_inf(kInfCost)
                                               .distance_zero(0u)
                                               // Boost's default combine is std::plus, which wraps around at
                                               // distance_inf: blocked edges would look cheap.
                                               .distance_combine(boost::closed_plus<std::uint32_t>(kInfCost))
                                               .visitor(StopAtTarget(t)));
        } catch (const TargetReached&) {
        }
        theirs.push_back(seconds_since(t0) * 1e3);
        const std::uint32_t b = dist[t];
        if (a != b) {
            if (st.identical) {
                QueryOptions ref = q;
                ref.use_landmarks = false;
                std::printf("  MISMATCH %u -> %u: ours %u (Dijkstra %u), boost %u\n", s, t, a,
                            router.node_cost(s, t, ref), b);
            }
            st.identical = false;
        }
        st.reachable += a != kInfCost;
    }
    st.ours_median_ms = percentile(ours, 0.5);
    st.ours_p99_ms = percentile(ours, 0.99);
    st.boost_median_ms = percentile(theirs, 0.5);
    st.boost_p99_ms = percentile(theirs, 0.99);
    return st;
}

struct GraphResult {
    std::string name;
    std::size_t nodes = 0, edges = 0;
    double build_s = 0, prep_s = 0, custom_s = 0, mem_mb = 0;
    Stats free, restricted;
};

GraphResult bench_graph(const std::string& name, const Graph& g, double build_s, std::size_t queries,
                        std::uint32_t landmarks, unsigned threads) {
    GraphResult r;
    r.name = name;
    r.nodes = g.nodes();
    r.edges = g.edges();
    r.build_s = build_s;
    Router router(g);
    auto t0 = Clock::now();
    router.prepare(Metric::Fastest, landmarks, threads);
    r.prep_s = seconds_since(t0);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
    pairs.reserve(g.edges());
    for (std::uint32_t v = 0; v < g.nodes(); ++v)
        for (std::uint32_t e = g.first_out[v]; e < g.first_out[v + 1]; ++e) pairs.emplace_back(v, g.head[e]);
    // Same edge order as ours, so Boost's edge_index is our edge id.
    const BoostGraph bgraph(boost::edges_are_sorted, pairs.begin(), pairs.end(), g.nodes());
    std::printf("%-28s nodes %9zu edges %9zu  build %6.1f s  landmarks(%u) %6.1f s\n", name.c_str(), r.nodes, r.edges,
                build_s, landmarks, r.prep_s);
    QueryOptions free;
    r.free = run_queries(g, router, bgraph, queries, 42, free);
    QueryOptions heavy;
    Vehicle v;
    v.id = "bench-heavy";
    v.mlc = 60;
    v.height_m = 4.2;
    v.gross_weight_t = 40;
    v.max_speed_kmh = 80;
    heavy.vehicle = v;
    t0 = Clock::now();
    router.customise(heavy, threads);
    r.custom_s = seconds_since(t0);
    r.restricted = run_queries(g, router, bgraph, queries, 43, heavy);
    r.mem_mb = static_cast<double>(g.memory_bytes() + router.memory_bytes()) / (1024.0 * 1024.0);
    std::printf(
        "  vehicle customisation (MLC %.0f, %.1f m, %.0f t, %.0f km/h) %.1f s; graph + landmark memory %.1f MB\n",
        v.mlc, v.height_m, v.gross_weight_t, v.max_speed_kmh, r.custom_s, r.mem_mb);
    for (const auto* s : {&r.free, &r.restricted})
        std::printf(
            "  %-10s ours median %8.3f ms p99 %8.3f ms | boost median %8.3f ms p99 %8.3f ms | speedup %6.1fx | "
            "identical %s (%zu reachable)\n",
            s == &r.free ? "free" : "restricted", s->ours_median_ms, s->ours_p99_ms, s->boost_median_ms,
            s->boost_p99_ms, s->boost_median_ms / std::max(s->ours_median_ms, 1e-6), s->identical ? "yes" : "no",
            s->reachable);
    std::fflush(stdout);
    return r;
}

std::vector<std::uint32_t> parse_list(const std::string& s) {
    std::vector<std::uint32_t> out;
    std::size_t pos = 0;
    while (pos < s.size()) {
        const auto comma = s.find(',', pos);
        out.push_back(static_cast<std::uint32_t>(std::stoul(s.substr(pos, comma - pos))));
        if (comma == std::string::npos) break;
        pos = comma + 1;
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    std::vector<std::uint32_t> sides{1000, 2000};
    std::size_t queries = 1000;
    std::uint32_t landmarks = 16;
    unsigned threads = 2;
    std::string data_dir = MP_SHARED_DATA_DIR;
    bool osm = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "error: %s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--sides") sides = parse_list(next());
        else if (a == "--queries") queries = std::stoul(next());
        else if (a == "--landmarks") landmarks = static_cast<std::uint32_t>(std::stoul(next()));
        else if (a == "--threads") threads = static_cast<unsigned>(std::stoul(next()));
        else if (a == "--data") data_dir = next();
        else if (a == "--no-osm") osm = false;
        else {
            std::printf(
                "usage: bench-routing [--sides 1000,2000] [--queries 1000] [--landmarks 16] [--threads 2] [--data DIR] "
                "[--no-osm]\n");
            return a == "--help" || a == "-h" ? 0 : 2;
        }
    }
    std::vector<GraphResult> results;
    for (const auto side : sides) {
        SyntheticOptions o;
        o.rows = o.cols = side;
        o.seed = side;
        auto t0 = Clock::now();
        const Graph g = make_synthetic_network(o);
        const double build_s = seconds_since(t0);
        results.push_back(bench_graph("synthetic " + std::to_string(side) + "x" + std::to_string(side), g, build_s,
                                      queries, landmarks, threads));
    }
    if (osm) {
        for (const char* f : {"antwerp_2014.osm.pbf", "ghent_roads_osm.gpkg"}) {
            const std::string path = data_dir + "/" + f;
            if (!std::ifstream(path)) continue;
            auto t0 = Clock::now();
            Graph g = build_from_source(path, NetworkKind::Road);
            const double build_s = seconds_since(t0);
            if (!g.forbidden_turns.empty()) {
                // Boost's node-based Dijkstra cannot honour turn restrictions: compare
                // both on the graph without them (the router then searches nodes too).
                std::printf("%s: %zu forbidden turns left out for the comparison\n", f, g.forbidden_turns.size());
                g.forbidden_turns.clear();
                g.edge_turn_flag.clear();
            }
            results.push_back(bench_graph(f, g, build_s, queries, landmarks, threads));
        }
    }
    if (results.empty()) return 1;
    // The headline: the graph closest to a million nodes.
    const GraphResult* head = &results[0];
    for (const auto& r : results)
        if (std::labs(static_cast<long>(r.nodes) - 1'000'000) < std::labs(static_cast<long>(head->nodes) - 1'000'000))
            head = &r;
    bool identical = true;
    for (const auto& r : results) identical = identical && r.free.identical && r.restricted.identical;
    const double speedup = head->free.boost_median_ms / std::max(head->free.ours_median_ms, 1e-6);
    const double speedup_r = head->restricted.boost_median_ms / std::max(head->restricted.ours_median_ms, 1e-6);
    std::printf("peak RSS %.1f MB\n", rss_kb("VmHWM:") / 1024.0);
    std::printf(
        "RESULT speedup_median=%.1f identical_costs=%s nodes=%zu edges=%zu speedup_median_restricted=%.1f "
        "ours_median_ms=%.3f ours_p99_ms=%.3f boost_median_ms=%.3f boost_p99_ms=%.3f preprocessing_s=%.1f "
        "customisation_s=%.1f memory_mb=%.0f queries=%zu landmarks=%u graphs=%zu\n",
        speedup, identical ? "yes" : "no", head->nodes, head->edges, speedup_r, head->free.ours_median_ms,
        head->free.ours_p99_ms, head->free.boost_median_ms, head->free.boost_p99_ms, head->prep_s, head->custom_s,
        head->mem_mb, queries, landmarks, results.size());
    return identical ? 0 : 1;
}
