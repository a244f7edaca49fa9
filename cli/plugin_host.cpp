// SPDX-License-Identifier: MIT
// enablement-plugin-host: runs one plugin in its own process for crash isolation.
// Protocol: a JSON request on stdin {"plugin": file, "params": {...validated...},
// "data": [sources], "no_default_data": bool}; progress as "@progress F STAGE" lines on
// stderr; the run result as JSON on stdout. SIGTERM asks the plugin to cancel.
#include <signal.h>

#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "mp/core/error.hpp"
#include "mp/data/default_data.hpp"
#include "mp/plugin/registry.hpp"

namespace {

class PipeProgress : public mp::Progress {
public:
    void report(double fraction, std::string_view stage) override {
        std::cerr << "@progress " << fraction << " " << stage << "\n" << std::flush;
    }
};

PipeProgress* g_progress = nullptr;
extern "C" void on_term(int) {
    if (g_progress) g_progress->cancel();  // an atomic store: async-signal-safe
}

}  // namespace

int main() {
    try {
        // Catch SIGTERM first: a cancel that arrives while the data loads is honoured.
        PipeProgress progress;
        g_progress = &progress;
        struct sigaction sa {};
        sa.sa_handler = on_term;
        sigaction(SIGTERM, &sa, nullptr);
        const std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
        const auto req = nlohmann::json::parse(text);
        const auto ws = mp::data::load_workspace(!req.value("no_default_data", false),
                                                 req.value("data", std::vector<std::string>{}));
        mp::plugin::RunOptions opts;
        opts.cancel_grace_s = 1e9;  // the parent decides when to give up and kills us
        auto r = mp::plugin::Registry::run_in_process(req.at("plugin").get<std::string>(), req.at("params"), ws,
                                                      progress, opts);
        std::cout << mp::plugin::to_json(r).dump() << std::flush;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 3;
    }
}
