// SPDX-License-Identifier: MIT
// Helpers for the built-in plugin tests: the built-in plugin folder of this build, a
// workspace from a literal GeoJSON fixture, and look-ups in a run's results.
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>
#include <sys/wait.h>

#include "mp/core/progress.hpp"
#include "mp/data/default_data.hpp"
#include "mp/plugin/registry.hpp"
#include "test_support.hpp"

namespace mp::test {

/// The registry over this build's built-in plugin folder, loaded once.
inline plugin::Registry& builtin_registry() {
    static plugin::Registry r;
    static bool loaded = false;
    if (!loaded) {
        r.discover({{MP_BUILTIN_PLUGIN_DIR, plugin::Origin::BuiltIn}});
        loaded = true;
    }
    return r;
}

/// A workspace made of one literal GeoJSON FeatureCollection (written to a temp file),
/// with or without the embedded default data.
inline data::Workspace fixture_workspace(const std::string& name, const std::string& geojson,
                                         bool with_defaults = false) {
    TempDir dir;
    const std::string path = dir.file(name + ".geojson");
    write_text(path, geojson);
    return data::load_workspace(with_defaults, {path});
}

inline plugin::RunResult run_plugin(const std::string& id, const nlohmann::json& params, const data::Workspace& ws,
                                    Progress& progress = null_progress()) {
    plugin::RunOptions o;
    o.mode = plugin::RunOptions::Mode::InProcess;
    return builtin_registry().run(id, params, ws, progress, o);
}

/// The first message containing text, or "" (so a failed CHECK prints the messages).
inline std::string message_with(const plugin::RunResult& r, const std::string& text) {
    for (const auto& m : r.messages)
        if (m.text.find(text) != std::string::npos) return m.text;
    return "";
}

inline std::string all_messages(const plugin::RunResult& r) {
    std::string s;
    for (const auto& m : r.messages) s += "[" + std::to_string(m.level) + "] " + m.text + "\n";
    return s + (r.error.empty() ? "" : "error: " + r.error + "\n");
}

inline const plugin::Table& table(const plugin::RunResult& r, const std::string& name) {
    for (const auto& t : r.tables)
        if (t.name == name) return t;
    FAIL("no table " << name);
    throw 0;
}

inline const plugin::Table::Column& column(const plugin::Table& t, const std::string& name) {
    for (const auto& c : t.columns)
        if (c.name == name) return c;
    FAIL("no column " << name << " in table " << t.name);
    throw 0;
}

inline const plugin::ResultLayer& result_layer(const plugin::RunResult& r, const std::string& name) {
    for (const auto& l : r.layers)
        if (l.layer.name == name) return l;
    FAIL("no result layer " << name);
    throw 0;
}

/// Row index of the first row whose text column col equals value, or -1.
inline long row_where(const plugin::Table& t, const std::string& col, const std::string& value) {
    const auto& c = column(t, col);
    for (std::size_t i = 0; i < c.texts.size(); ++i)
        if (c.texts[i] == value) return static_cast<long>(i);
    return -1;
}

}  // namespace mp::test

namespace mp::test {

/// Runs the CLI of this build with args (a shell fragment); returns its exit code and
/// captures stderr + stdout in output.
inline int run_cli(const std::string& args, std::string& output) {
    TempDir dir;
    const std::string log = dir.file("cli.log");
    const std::string cmd = std::string(MP_BINARY_DIR) + "/bin/enablement " + args + " > " + log + " 2>&1";
    const int status = std::system(cmd.c_str());
    output = read_text(log);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace mp::test
