// SPDX-License-Identifier: MIT
// bench-plugins: (1) the cost of a host service call: the same route queries through the
// C ABI (network_route, then the answer read through the route accessors into the SDK's
// owning Route, as a plugin does) and through the core Planner called directly, on the
// embedded networks, interleaved in one run; (2) the overhead of an isolated plugin run
// (enablement-plugin-host child process: start, reload the workspace, run, serialise
// results) against an in-process run of the same plugin on the same parameters.
// Usage: bench-plugins [PLUGIN_DIR] [RUNS] [PAIRS]; default: the test echo plugin, 15
// runs, 200 site pairs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "host_api.hpp"
#include "mp/data/default_data.hpp"
#include "mp/network/build.hpp"
#include "mp/network/planner.hpp"
#include "mp/plugin.hpp"
#include "mp/plugin/registry.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

struct ServiceFigures {
    std::size_t queries = 0;
    double abi_ms = 0, core_ms = 0;  // medians over queries (each the median of its rounds)
    double overhead_pct = 0;         // median over queries of abi / core - 1
};

/// Route queries between random sites, unrestricted and for a tank transporter, through
/// the ABI and directly; each query alternates which goes first, `rounds` times.
ServiceFigures service_overhead(const mp::data::Workspace& ws, std::size_t pairs, int rounds) {
    using namespace mp;
    // The ABI side: a run context as the registry makes one, the host's function table,
    // the SDK's wrappers (what a plugin's code does).
    plugin::ParamValues params = nlohmann::json::object();
    MpRunContext ctx;
    ctx.ws = &ws;
    ctx.params = &params;
    ctx.progress = &null_progress();
    ctx.plugin_id = "bench";
    sdk::Run run(&plugin::detail::host_api(), &ctx);
    const sdk::Network road = run.network(MP_NETWORK_ROAD), rail = run.network(MP_NETWORK_RAIL);
    // The core side: its own graphs of the same layers, prepared alike.
    const network::Graph road_g = network::build_from_layer(ws.layers.get("roads"), network::NetworkKind::Road);
    const network::Graph rail_g = network::build_from_layer(ws.layers.get("rail"), network::NetworkKind::Rail);
    network::Planner planner(&road_g, &rail_g, &ws.catalogue);
    planner.prepare();
    std::optional<network::Vehicle> tank;
    for (const auto& v : network::default_vehicle_presets())
        if (v.id == "tank-transporter-mbt") tank = v;

    struct Query {
        sdk::RouteRequest abi;
        network::PlanRequest core;
        std::vector<double> abi_ms, core_ms;
    };
    std::vector<Query> qs;
    const auto& sites = ws.catalogue.sites();
    std::mt19937_64 rng(9);
    std::uniform_int_distribution<std::size_t> pick(0, sites.size() - 1);
    for (const bool restricted : {false, true})
        for (std::size_t i = 0; i < pairs; ++i) {
            Query q;
            const std::string a = sites[pick(rng)].id, b = sites[pick(rng)].id;
            q.abi.road = road, q.abi.rail = rail, q.abi.from = a, q.abi.to = b;
            q.core.from = a, q.core.to = b;
            if (restricted) {
                q.abi.vehicle = sdk::VehicleProfile{};
                q.abi.vehicle->preset = "tank-transporter-mbt";
                q.core.options.vehicle = tank;
            }
            if (a != b && planner.plan(q.core)) qs.push_back(std::move(q));  // routable pairs only
        }
    std::string why;
    for (auto& q : qs) run.try_route(q.abi, why);  // warm-up: the vehicle's landmarks, caches
    volatile double sink = 0;
    for (int r = 0; r < rounds; ++r)
        for (std::size_t i = 0; i < qs.size(); ++i) {
            Query& q = qs[i];
            auto abi = [&] {
                const auto t0 = Clock::now();
                const auto route = run.try_route(q.abi, why);
                q.abi_ms.push_back(ms_since(t0));
                sink = sink + (route ? route->movements.front().distance_m : 0);
            };
            auto direct = [&] {
                const auto t0 = Clock::now();
                const auto plan = planner.plan(q.core);
                q.core_ms.push_back(ms_since(t0));
                sink = sink + (plan ? plan->movements.front().distance_m : 0);
            };
            if ((i + r) % 2) abi(), direct();
            else direct(), abi();
        }
    ServiceFigures f;
    f.queries = qs.size();
    std::vector<double> a, c, ratio;
    for (const auto& q : qs) {
        a.push_back(median(q.abi_ms));
        c.push_back(median(q.core_ms));
        ratio.push_back(a.back() / c.back() - 1);
    }
    f.abi_ms = median(a), f.core_ms = median(c), f.overhead_pct = 100 * median(ratio);
    return f;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
        std::printf(
            "usage: bench-plugins [PLUGIN_DIR] [RUNS] [PAIRS]\n"
            "Routes PAIRS random site pairs (default 200; unrestricted and for a tank\n"
            "transporter) through the network service of the C ABI and through the core\n"
            "planner, interleaved, and prints the median times and the service overhead. Then\n"
            "runs the echo test plugin from PLUGIN_DIR (default: %s) RUNS times (default\n"
            "15, at least 3) in process and isolated, and prints the median times and their ratio.\n",
            MP_TEST_PLUGIN_DIR "/good");
        return 0;
    }
    const std::string dir = argc > 1 ? argv[1] : MP_TEST_PLUGIN_DIR "/good";
    const int runs = argc > 2 ? std::max(3, std::atoi(argv[2])) : 15;
    const std::size_t pairs = argc > 3 ? static_cast<std::size_t>(std::max(10, std::atoi(argv[3]))) : 200;
    const auto t_ws = std::chrono::steady_clock::now();
    const auto ws = mp::data::load_workspace(true, {});
    const double load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_ws).count();
    mp::plugin::Registry reg;
    reg.discover({{dir, mp::plugin::Origin::CommandLine}});
    if (!reg.find("echo")) {
        std::fprintf(stderr, "error: echo plugin not found in %s\n", dir.c_str());
        return 3;
    }
    const nlohmann::json params{{"site", "port-antwerp"}, {"count", "50"}};
    std::vector<double> in_ms, iso_ms;
    for (int i = 0; i < runs; ++i) {
        for (auto mode : {mp::plugin::RunOptions::Mode::InProcess, mp::plugin::RunOptions::Mode::Isolated}) {
            mp::plugin::RunOptions o;
            o.mode = mode;
            const auto t0 = std::chrono::steady_clock::now();
            auto r = reg.run("echo", params, ws, mp::null_progress(), o);
            const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            if (r.status != mp::plugin::RunStatus::Ok) {
                std::fprintf(stderr, "error: run failed: %s\n", r.error.c_str());
                return 4;
            }
            (mode == mp::plugin::RunOptions::Mode::InProcess ? in_ms : iso_ms).push_back(ms);
        }
    }
    const double a = median(in_ms), b = median(iso_ms);
    const ServiceFigures sf = service_overhead(ws, pairs, 5);
    std::printf(
        "route service: %zu routable queries (of %zu random site pairs, unrestricted and tank transporter), "
        "5 rounds, interleaved\n",
        sf.queries, 2 * pairs);
    std::printf("  through the ABI (network_route + accessors into sdk::Route): median %.3f ms\n", sf.abi_ms);
    std::printf("  core Planner::plan called directly:                          median %.3f ms\n", sf.core_ms);
    std::printf("  service overhead (median over queries of abi/core - 1):      %.2f %%\n", sf.overhead_pct);
    std::printf("workspace load (default data, in this process): %.1f ms\n", load_ms);
    std::printf("in-process run:  median %.2f ms over %d runs\n", a, runs);
    std::printf(
        "isolated run:    median %.2f ms over %d runs (fork+exec, the workspace to the child and the results back as "
        "CBOR)\n",
        b, runs);
    std::printf(
        "RESULT service_overhead_pct=%.2f route_abi_ms=%.3f route_core_ms=%.3f route_queries=%zu isolated_ms=%.1f "
        "in_process_ms=%.2f overhead_ms=%.1f ratio=%.0f\n",
        sf.overhead_pct, sf.abi_ms, sf.core_ms, sf.queries, b, a, b - a, b / std::max(a, 1e-3));
    return 0;
}
