// SPDX-License-Identifier: MIT
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "mp/data/default_data.hpp"

namespace mp::cli {

/// Exit codes of the CLI (docs in README.md): 0 success.
enum ExitCode : int { kOk = 0, kRuntime = 1, kUsage = 2, kInput = 3, kPlugin = 4 };

/// State shared by every subcommand: the data options and the lazily loaded workspace.
struct Context {
    std::vector<std::string> data_sources;
    bool no_default_data = false;
    /// Set by a subcommand's callback; main() runs it after parsing.
    std::function<int()> action;

    /// Loads the default data and every --data source once.
    data::Workspace& workspace();

private:
    std::unique_ptr<data::Workspace> m_ws;
};

/// Adds --data and --no-default-data to a subcommand.
void add_data_options(CLI::App& cmd, Context& ctx);

/// Registers layers, sites, info, export and summary.
void register_data_commands(CLI::App& app, Context& ctx);

/// Prints rows as an aligned text table with a header.
void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

/// Writes text to a file atomically, or to stdout when path is "-" or empty.
void write_output(const std::string& path, const std::string& text);

}  // namespace mp::cli
