// SPDX-License-Identifier: MIT
// bench-plugins: the overhead of an isolated plugin run (enablement-plugin-host child
// process: start, reload the workspace, run, serialise results) against an in-process
// run of the same plugin on the same parameters.
// Usage: bench-plugins [PLUGIN_DIR] [RUNS]; default: the test echo plugin.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "mp/data/default_data.hpp"
#include "mp/plugin/registry.hpp"

namespace {
double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}
}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
        std::printf(
            "usage: bench-plugins [PLUGIN_DIR] [RUNS]\n"
            "Runs the echo test plugin from PLUGIN_DIR (default: %s) RUNS times (default 15, at\n"
            "least 3) in process and isolated, and prints the median times and their ratio.\n",
            MP_TEST_PLUGIN_DIR "/good");
        return 0;
    }
    const std::string dir = argc > 1 ? argv[1] : MP_TEST_PLUGIN_DIR "/good";
    const int runs = argc > 2 ? std::max(3, std::atoi(argv[2])) : 15;
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
    std::printf("workspace load (default data, in this process): %.1f ms\n", load_ms);
    std::printf("in-process run:  median %.2f ms over %d runs\n", a, runs);
    std::printf("isolated run:    median %.2f ms over %d runs (fork+exec, workspace reload, JSON results)\n", b, runs);
    std::printf("RESULT isolated_ms=%.1f in_process_ms=%.2f overhead_ms=%.1f ratio=%.0f\n", b, a, b - a,
                b / std::max(a, 1e-3));
    return 0;
}
