// SPDX-License-Identifier: MIT
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "mp/data/default_data.hpp"
#include "mp/io/ogr_io.hpp"
#include "mp/plugin/registry.hpp"

namespace mp::cli {

/// Exit codes of the CLI (docs in README.md): 0 success.
/// 5: no feasible answer (no route for the vehicle, a deployment that can never close).
/// 130: cancelled with Ctrl-C.
enum ExitCode : int { kOk = 0, kRuntime = 1, kUsage = 2, kInput = 3, kPlugin = 4, kInfeasible = 5, kCancelled = 130 };

/// State shared by every subcommand: the data options and the lazily loaded workspace.
struct Context {
    std::vector<std::string> data_sources;
    bool no_default_data = false;
    /// Set by a subcommand's callback; main() runs it after parsing.
    std::function<int()> action;

    /// Loads the default data and every --data source once.
    data::Workspace& workspace();

    /// --plugin-dir folders, searched after the built-in and user folders.
    std::vector<std::string> plugin_dirs;
    /// Discovers plugins once (built-in, user, --plugin-dir, ENABLEMENT_PLUGIN_PATH).
    plugin::Registry& registry();

private:
    std::unique_ptr<data::Workspace> m_ws;
    std::unique_ptr<plugin::Registry> m_registry;
};

/// How `run` (and its aliases such as `route`) should run and report a plugin.
struct PluginRunRequest {
    std::string plugin_id;
    nlohmann::json raw_params = nlohmann::json::object();  ///< key -> text or JSON value
    std::string out;  ///< result file ("" or "-": layers as GeoJSON on stdout, tables on stderr)
    plugin::RunOptions options;
    /// Parameter key -> the command's own option ("from" -> "--from"): errors and messages
    /// that name "parameter 'from'" (or "parameter 'via[1]'") name the option instead.
    std::vector<std::pair<std::string, std::string>> option_names;
};

/// `text` with every "parameter 'KEY'" (and "parameter 'KEY[i]'", item i + 1) of a key in
/// `names` replaced by its option ("--from", "--via 2").
std::string name_options(std::string text, const std::vector<std::pair<std::string, std::string>>& names);

/// Validates, runs (progress bar on a terminal, Ctrl-C cancels), prints messages and
/// tables, writes results atomically. Returns the exit code: 0 ok, 4 plugin failure,
/// 130 cancelled; throws mp::UsageError for bad parameters.
int run_plugin(Context& ctx, PluginRunRequest req);

/// Runs a plugin as Registry::run does, with a progress bar on stderr when it is a
/// terminal; the first Ctrl-C cancels the run. Throws as Registry::run.
plugin::RunResult run_with_progress(plugin::Registry& reg, const std::string& plugin_id, const nlohmann::json& params,
                                    const data::Workspace& ws, const plugin::RunOptions& opts);

/// Prints a finished run's messages to stderr and, when it failed, one error line naming
/// the plugin. Returns the exit code of its outcome: 0 ok, 3 rejected input, 4 failed,
/// 5 infeasible, 130 cancelled.
int report_run(const plugin::RunResult& r, const std::string& plugin_id);

/// Registers `scenario run` and `scenario info` (cli/scenario_command.cpp).
void register_scenario_commands(CLI::App& app, Context& ctx);

/// Adds --plugin-dir to a subcommand.
void add_plugin_dir_option(CLI::App& cmd, Context& ctx);

/// Registers plugins and run.
void register_plugin_commands(CLI::App& app, Context& ctx);

/// Adds --data and --no-default-data to a subcommand.
void add_data_options(CLI::App& cmd, Context& ctx);

/// Registers layers, sites, info, export and summary.
void register_data_commands(CLI::App& app, Context& ctx);

/// Prints rows as an aligned text table with a header (to stdout unless told).
void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                 std::ostream& os = std::cout);

/// Text from data (names, attributes) as a terminal may show it: ill-formed UTF-8
/// replaced by U+FFFD, and every control character (C0, DEL, C1: the start of a
/// terminal escape sequence, a carriage return that overwrites the line) written as a
/// visible escape such as "\x1b" or "\u009b", so a name cannot move the cursor, recolour
/// or retitle the terminal.
std::string terminal_safe(std::string_view text);

/// The text with any password in it replaced by "***" (the core's mp::io::redact_secrets).
using io::redact_secrets;

/// Writes text to a file atomically, or to stdout when path is "-" or empty.
void write_output(const std::string& path, const std::string& text);

}  // namespace mp::cli
