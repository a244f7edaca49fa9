// SPDX-License-Identifier: MIT
// enablement: the headless CLI of the enablement and mobility planner.
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "cli_common.hpp"
#include "mp/core/error.hpp"

namespace mp::cli {

namespace {
std::string printable_warning(const std::string& w) { return terminal_safe(redact_secrets(w)); }
}  // namespace

data::Workspace& Context::workspace() {
    if (!m_ws) {
        m_ws = std::make_unique<data::Workspace>(data::load_workspace(!no_default_data, data_sources));
        // What reading repaired or suspects (invalid UTF-8, lon/lat swapped): on stderr,
        // so stdout stays the data.
        for (const auto& l : m_ws->layers.layers())
            for (const auto& w : l.warnings) std::cerr << "warning: " << printable_warning(w) << "\n";
    }
    return *m_ws;
}

plugin::Registry& Context::registry() {
    if (!m_registry) {
        m_registry = std::make_unique<plugin::Registry>();
        m_registry->discover(plugin::default_folders(plugin_dirs));
        for (const auto& w : m_registry->warnings()) std::cerr << "warning: " << w << "\n";
    }
    return *m_registry;
}

void add_data_options(CLI::App& cmd, Context& ctx) {
    // One value per occurrence: a repeatable option must not swallow the positionals after it.
    cmd.add_option("--data", ctx.data_sources,
                   "Add a GDAL vector source (file or connection string such as PG:...); repeatable")
        ->allow_extra_args(false);
    cmd.add_flag("--no-default-data", ctx.no_default_data, "Leave the embedded default data out");
}

/// Registers `route`, the alias of `run transit-routes` (cli/route_command.cpp).
void register_route_command(CLI::App& app, Context& ctx);

namespace {

// An error for the terminal: on one line, with any password in an echoed connection
// string replaced (GDAL and libpq messages span lines and quote the source).
std::string printable(const char* what) {
    std::string s = redact_secrets(what);
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\n' && s[i] != '\r') {
            out += s[i];
            continue;
        }
        while (i + 1 < s.size() && std::isspace(static_cast<unsigned char>(s[i + 1]))) ++i;
        if (!out.empty() && out.back() != ' ' && i + 1 < s.size()) out += ' ';
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

}  // namespace

}  // namespace mp::cli

int main(int argc, char** argv) {
    using namespace mp::cli;
    // A SIGTERM (or Ctrl-C outside a plugin run) while a file is written leaves no
    // temporary file behind.
    mp::io::remove_temps_on_signals();
    CLI::App app{"enablement: enablement and mobility planner for Belgium (host-nation support, transit, protection)",
                 "enablement"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "enablement 0.1.0");
    Context ctx;
    register_data_commands(app, ctx);
    register_plugin_commands(app, ctx);
    register_route_command(app, ctx);
    register_scenario_commands(app, ctx);

    // CLI11 reports a mistyped command as "A subcommand is required"; name it instead.
    if (argc > 1 && argv[1][0] != '-') {
        std::string known;
        bool found = false;
        for (const auto* sub : app.get_subcommands({})) {
            found |= sub->check_name(argv[1]);
            known += (known.empty() ? "" : ", ") + sub->get_name();
        }
        if (!found) {
            std::cerr << "error: unknown command '" << argv[1] << "' (commands: " << known
                      << "; run 'enablement --help')\n";
            return kUsage;
        }
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "error: " << printable(e.what()) << " (run 'enablement --help')\n";
        return kUsage;
    }
    try {
        const int code = ctx.action ? ctx.action() : kOk;
        // What went to stdout must have arrived: a full disk or a closed pipe is a
        // failure, not a silent success (`sites --format geojson > /dev/full`).
        std::cout.flush();
        if (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout)) {
            std::cerr << "error: cannot write to standard output: " << std::strerror(errno ? errno : EIO) << "\n";
            return kRuntime;
        }
        return code;
    } catch (const mp::UsageError& e) {
        std::cerr << "error: " << printable(e.what()) << "\n";
        return kUsage;
    } catch (const mp::InputError& e) {
        std::cerr << "error: " << printable(e.what()) << "\n";
        return kInput;
    } catch (const mp::PluginError& e) {
        std::cerr << "error: " << printable(e.what()) << "\n";
        return kPlugin;
    } catch (const std::exception& e) {
        std::cerr << "error: " << printable(e.what()) << "\n";
        return kRuntime;
    }
}
