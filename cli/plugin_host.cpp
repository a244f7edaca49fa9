// SPDX-License-Identifier: MIT
// enablement-plugin-host: runs one plugin in its own process for crash isolation.
// Protocol (mp/plugin/transport.hpp): the request arrives on stdin as one CBOR document
// {"protocol", "plugin", "params" (validated), "workspace" (the session's layers and
// sites)}; progress and the result go out as frames on the control descriptor given by
// --control-fd; the plugin's own stdout and stderr are the parent's to capture. SIGTERM
// asks the plugin to cancel. With --probe FILE it only loads the plugin and sends back
// what it is (id, version, schema, or why it is refused): the planner probes third-party
// plugins this way. Exit codes: 0 a result was sent, 2 usage, 3 a bad request.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <iterator>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "mp/core/error.hpp"
#include "mp/data/default_data.hpp"
#include "mp/plugin/registry.hpp"
#include "mp/plugin/transport.hpp"

namespace {

int g_control = -1;
std::mutex g_control_mu;

bool send(mp::plugin::FrameKind kind, const nlohmann::json& j) {
    const std::string frame = mp::plugin::encode_frame(kind, nlohmann::json::to_cbor(j));
    std::lock_guard lock(g_control_mu);
    return mp::plugin::write_all(g_control, frame.data(), frame.size());
}

class FrameProgress : public mp::Progress {
public:
    void report(double fraction, std::string_view stage) override {
        send(mp::plugin::FrameKind::Progress, {{"f", fraction}, {"s", std::string(stage)}});
    }
};

FrameProgress* g_progress = nullptr;
extern "C" void on_term(int) {
    if (g_progress) g_progress->cancel();  // an atomic store: async-signal-safe
}

}  // namespace

int main(int argc, char** argv) {
    int control = -1;
    std::string probe;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::string(argv[i]) == "--control-fd") control = std::atoi(argv[i + 1]);
        if (std::string(argv[i]) == "--probe") probe = argv[i + 1];
    }
    if (control < 0 || ::fcntl(control, F_GETFD) < 0) {
        std::cerr << "error: enablement-plugin-host is started by the planner (usage: --control-fd FD)\n";
        return 2;
    }
    // Move the control channel out of the plugin's way: a high descriptor, closed on exec,
    // so that neither a plugin writing to fd 3 nor a program it starts can reach it.
    g_control = ::fcntl(control, F_DUPFD_CLOEXEC, 100);
    ::close(control);
    if (g_control < 0) {
        std::cerr << "error: cannot set up the control channel\n";
        return 3;
    }
    if (!probe.empty()) {
        // Load the plugin here, where its constructors and init() cannot harm the planner,
        // and describe it.
        try {
            return send(mp::plugin::FrameKind::Result, mp::plugin::Registry::probe_here(probe)) ? 0 : 3;
        } catch (const std::exception& e) {
            std::cerr << "error: " << e.what() << "\n";
            return 3;
        }
    }
    try {
        // Catch SIGTERM first: a cancel that arrives while the request loads is honoured.
        FrameProgress progress;
        g_progress = &progress;
        struct sigaction sa {};
        sa.sa_handler = on_term;
        sigaction(SIGTERM, &sa, nullptr);
        const std::string bytes{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
        nlohmann::json req;
        try {
            req = nlohmann::json::from_cbor(bytes);
        } catch (const nlohmann::json::exception& e) {
            throw mp::PluginError(std::string("malformed request: ") + e.what(), "stdin");
        }
        if (req.value("protocol", 0) != mp::plugin::kIsolationProtocol)
            throw mp::PluginError("request of protocol " + std::to_string(req.value("protocol", 0)) +
                                  "; this host speaks " + std::to_string(mp::plugin::kIsolationProtocol));
        const mp::data::Workspace ws = mp::plugin::workspace_from_json(req.at("workspace"));
        mp::plugin::RunOptions opts;
        opts.cancel_grace_s = 1e9;  // the parent decides when to give up and kills us
        auto r = mp::plugin::Registry::run_in_process(req.at("plugin").get<std::string>(), req.at("params"), ws,
                                                      progress, opts);
        if (!send(mp::plugin::FrameKind::Result, mp::plugin::to_json(r))) return 3;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 3;
    }
}
