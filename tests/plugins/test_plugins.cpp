// SPDX-License-Identifier: MIT
// The plugin host against real shared libraries: good, broken, crashing, hanging.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "mp/core/error.hpp"
#include "mp/data/default_data.hpp"
#include "mp/plugin/registry.hpp"
#include "test_support.hpp"

using namespace mp;
using plugin::RunStatus;

namespace {
const std::string kGood = std::string(MP_TEST_PLUGIN_DIR) + "/good";
const std::string kBad = std::string(MP_TEST_PLUGIN_DIR) + "/bad";

const data::Workspace& ws() {
    static const data::Workspace w = data::load_workspace(true, {});
    return w;
}

plugin::Registry& registry() {
    static plugin::Registry r;
    static bool loaded = false;
    if (!loaded) {
        r.discover({{kGood, plugin::Origin::CommandLine}, {kBad, plugin::Origin::CommandLine}});
        loaded = true;
    }
    return r;
}

plugin::RunOptions opts(plugin::RunOptions::Mode mode) {
    plugin::RunOptions o;
    o.mode = mode;
    o.host_executable = MP_PLUGIN_HOST_PATH;
    o.cancel_grace_s = 0.5;
    return o;
}

const plugin::PluginInfo* info_for_file(const std::string& name) {
    for (const auto& p : registry().plugins())
        if (p.file.find("/" + name) != std::string::npos) return &p;
    return nullptr;
}

nlohmann::json echo_params() { return {{"site", "Haven van Zeebrugge"}, {"point", "5.25,51.12"}, {"count", "4"}}; }
}  // namespace

TEST_CASE("Bad plugin files are refused with a clear reason and the rest load", "[plugins]") {
    auto& reg = registry();
    const auto* text = info_for_file("not_a_library.so");
    REQUIRE(text);
    CHECK_FALSE(text->loaded);
    CHECK(text->refusal.find("not a loadable shared library") != std::string::npos);

    const auto* no_entry = info_for_file("no_entry.so");
    REQUIRE(no_entry);
    CHECK_FALSE(no_entry->loaded);
    CHECK(no_entry->refusal.find("no entry point 'mp_plugin_entry'") != std::string::npos);

    const auto* abi = info_for_file("future_abi.so");
    REQUIRE(abi);
    CHECK_FALSE(abi->loaded);
    CHECK(abi->id == "future-abi");
    CHECK(abi->abi == "2.0");
    // The reason leaves the id and file to their own fields (shown beside it).
    CHECK(abi->refusal == "built for ABI 2.0; host supports 1.1");
    CHECK(plugin::refusal_message(*abi) == "plugin 'future-abi' was refused: built for ABI 2.0; host supports 1.1");

    const auto* dup = info_for_file("zz_duplicate.so");
    REQUIRE(dup);
    CHECK_FALSE(dup->loaded);
    CHECK(dup->refusal.find("duplicate plugin id 'throws'") != std::string::npos);
    CHECK(dup->refusal.find("throws.so") != std::string::npos);

    for (const char* id :
         {"echo", "throws", "nan-geometry", "unclosed-ring", "ragged-table", "ignores-cancel", "segfault", "hang"}) {
        INFO(id);
        CHECK(reg.find(id));
    }
    // Refused plugins cannot be run, and say why.
    try {
        reg.run("future-abi", {}, ws(), null_progress());
        FAIL("a refused plugin ran");
    } catch (const PluginError& e) {
        const std::string what = e.what();
        CHECK(what.find("plugin 'future-abi' was refused: built for ABI 2.0") != std::string::npos);
        CHECK(what.find("future_abi.so") != std::string::npos);  // the where
    }
    // No folder was missing.
    CHECK(reg.warnings().empty());
}

TEST_CASE("A plugin's schema is validated and typed before it runs", "[plugins][params]") {
    const auto* echo = registry().find("echo");
    REQUIRE(echo);
    REQUIRE(echo->params.size() == 10);
    CHECK(echo->params[0].unit == "km/h");
    CHECK(echo->params[3].choices == std::vector<std::string>{"fast", "thorough"});
    auto check_usage = [](nlohmann::json raw, const std::string& key_text) {
        try {
            registry().run("echo", raw, ws(), null_progress(), opts(plugin::RunOptions::Mode::InProcess));
            FAIL("no error for " << raw.dump());
        } catch (const UsageError& e) {
            INFO(e.what());
            CHECK(std::string(e.what()).find(key_text) != std::string::npos);
        }
    };
    check_usage({{"site", "port-zeebrugge"}, {"sped", "40"}}, "unknown parameter 'sped'");
    check_usage({{"site", "port-zeebrugge"}, {"speed", "fast"}}, "parameter 'speed'");
    check_usage({{"site", "port-zeebrugge"}, {"speed", "300"}}, "above the maximum 120");
    check_usage({{"site", "port-zeebrugge"}, {"count", "2.5"}}, "expected an integer");
    check_usage({{"site", "port-zeebrugge"}, {"mode", "sloppy"}}, "not one of: fast, thorough");
    check_usage({{"site", "atlantis"}}, "unknown site 'atlantis'");
    check_usage({}, "parameter 'site'");
    check_usage({{"site", "port-zeebrugge"}, {"point", "200,51"}}, "out of range");
    check_usage({{"site", "port-zeebrugge"}, {"layer", "nope"}}, "no loaded layer named 'nope'");
    check_usage({{"site", "port-zeebrugge"}, {"area", "4,51;5,51"}}, "at least 3");
    check_usage({{"site", "port-zeebrugge"}, {"labels", "maybe"}}, "true or false");
}

TEST_CASE("A good plugin returns layers with styles, tables, rasters and messages", "[plugins]") {
    auto params = echo_params();
    params["area"] = "4.0,51.0; 4.1,51.0; 4.1,51.1";
    params["sites"] = "Port de Zeebrugge, port-antwerp";
    params["layer"] = "roads";
    auto r = registry().run("echo", params, ws(), null_progress(), opts(plugin::RunOptions::Mode::InProcess));
    INFO(r.error);
    REQUIRE(r.status == RunStatus::Ok);
    CHECK_FALSE(r.isolated);
    REQUIRE(r.layers.size() == 1);
    const auto& l = r.layers[0];
    CHECK(l.style.color == "#1f77b4");
    CHECK(l.style.width_px == 4);
    REQUIRE(l.layer.features.size() == 3);
    CHECK(l.layer.features[0].attributes.text("name").find("Zeebrugge") != std::string::npos);
    CHECK(l.layer.features[0].attributes.number("speed") == 50);  // the default
    CHECK(l.feature_styles[1]->color == "#ff7f0e");
    const auto& line = std::get<geo::LineString>(l.layer.features[1].geometry);
    CHECK(geo::lon(line.back()) == Approx(5.25));
    CHECK(std::get<geo::Polygon>(l.layer.features[2].geometry).outer().size() == 4);  // closed by the host
    REQUIRE(r.tables.size() == 1);
    CHECK(r.tables[0].rows() == 4);
    CHECK(r.tables[0].columns[1].numbers[3] == 150);
    CHECK(r.tables[0].to_csv().rfind("hour [h],distance [km]\n0,0\n", 0) == 0);
    REQUIRE(r.rasters.size() == 1);
    CHECK(r.rasters[0].values == std::vector<double>{1, 2, 3, 4});
    bool saw_list = false, saw_layer = false;
    for (const auto& m : r.messages) {
        saw_list |= m.text == "list has 2 sites";
        saw_layer |= m.text.rfind("layer roads has ", 0) == 0;
    }
    CHECK(saw_list);
    CHECK(saw_layer);

    test::TempDir dir;
    const auto files = plugin::write_results(r, dir.file("echo.geojson"));
    REQUIRE(files.size() == 3);
    CHECK(files[1].find("echo.series.csv") != std::string::npos);
    CHECK(files[2].find("echo.grid.tif") != std::string::npos);
    CHECK(std::filesystem::file_size(files[2]) > 0);
}

TEST_CASE("Failing plugins are reported while the host goes on", "[plugins][errors]") {
    auto& reg = registry();
    const auto in_proc = opts(plugin::RunOptions::Mode::InProcess);
    auto r = reg.run("throws", {}, ws(), null_progress(), in_proc);
    CHECK(r.status == RunStatus::Error);
    CHECK(r.error.find("deliberate failure: no data for this theatre") != std::string::npos);

    r = reg.run("nan-geometry", {}, ws(), null_progress(), in_proc);
    CHECK(r.status == RunStatus::Error);
    CHECK(r.error.find("invalid geometry in result layer 'bad', feature 'nan'") != std::string::npos);
    CHECK(r.error.find("NaN") != std::string::npos);

    r = reg.run("unclosed-ring", {}, ws(), null_progress(), in_proc);
    CHECK(r.status == RunStatus::Error);
    CHECK(r.error.find("unclosed polygon ring") != std::string::npos);

    r = reg.run("ragged-table", {}, ws(), null_progress(), in_proc);
    CHECK(r.status == RunStatus::Error);
    CHECK(r.error.find("malformed table 'ragged'") != std::string::npos);

    // And a good plugin still works afterwards.
    CHECK(reg.run("echo", echo_params(), ws(), null_progress(), in_proc).status == RunStatus::Ok);
}

TEST_CASE("A plugin that ignores cancellation is abandoned and the host returns", "[plugins][cancel]") {
    Progress progress;
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
        progress.cancel();
    });
    const auto t0 = std::chrono::steady_clock::now();
    auto r = registry().run("ignores-cancel", {}, ws(), progress, opts(plugin::RunOptions::Mode::InProcess));
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    canceller.join();
    CHECK(r.status == RunStatus::IgnoredCancel);
    CHECK(r.error.find("ignored cancellation") != std::string::npos);
    CHECK(s < 3.0);
}

TEST_CASE("Isolated runs survive a segfault, an abort and an endless loop", "[plugins][isolation]") {
    auto& reg = registry();
    const auto iso = opts(plugin::RunOptions::Mode::Isolated);
    auto r = reg.run("segfault", {}, ws(), null_progress(), iso);
    CHECK(r.isolated);
    CHECK(r.status == RunStatus::Crashed);
    CHECK(r.error.find("plugin 'segfault' crashed: SIGSEGV") != std::string::npos);

    r = reg.run("aborts", {}, ws(), null_progress(), iso);
    CHECK(r.status == RunStatus::Crashed);
    CHECK(r.error.find("SIGABRT") != std::string::npos);

    auto timed = iso;
    timed.timeout_s = 1.0;
    const auto t0 = std::chrono::steady_clock::now();
    r = reg.run("hang", {}, ws(), null_progress(), timed);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(r.status == RunStatus::TimedOut);
    CHECK(r.error.find("timed out after 1") != std::string::npos);
    CHECK(s < 5.0);

    // Cancel of an isolated plugin that ignores it: killed after the grace period.
    // (1 s gives the child time to load the data and start the plugin, even under load.)
    Progress progress;
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(1000));
        progress.cancel();
    });
    r = reg.run("ignores-cancel", {}, ws(), progress, iso);
    canceller.join();
    CHECK(r.status == RunStatus::IgnoredCancel);

    // The same good plugin gives the same results isolated as in process.
    auto a = reg.run("echo", echo_params(), ws(), null_progress(), opts(plugin::RunOptions::Mode::InProcess));
    auto b = reg.run("echo", echo_params(), ws(), null_progress(), iso);
    INFO(b.error);
    REQUIRE(b.status == RunStatus::Ok);
    CHECK(b.isolated);
    CHECK(plugin::to_json(a)["layers"] == plugin::to_json(b)["layers"]);
    CHECK(plugin::to_json(a)["tables"] == plugin::to_json(b)["tables"]);
    CHECK(plugin::to_json(a)["rasters"] == plugin::to_json(b)["rasters"]);
}

TEST_CASE("A missing --plugin-dir or ENABLEMENT_PLUGIN_PATH folder is a warning, a missing built-in folder is not",
          "[plugins]") {
    test::TempDir dir;
    test::write_text(dir.file("plain"), "a file, not a folder");
    plugin::Registry reg;
    reg.discover({{"/nonexistent/built-in", plugin::Origin::BuiltIn},
                  {"/nonexistent/user", plugin::Origin::User},
                  {"/nonexistent/cli", plugin::Origin::CommandLine},
                  {dir.file("plain"), plugin::Origin::CommandLine},
                  {"/nonexistent/env", plugin::Origin::Environment},
                  {kGood, plugin::Origin::CommandLine}});
    REQUIRE(reg.warnings().size() == 3);
    CHECK(reg.warnings()[0] == "plugin folder does not exist (--plugin-dir /nonexistent/cli)");
    CHECK(reg.warnings()[1] == "plugin folder is not a folder (--plugin-dir " + dir.file("plain") + ")");
    CHECK(reg.warnings()[2] == "plugin folder does not exist (ENABLEMENT_PLUGIN_PATH entry /nonexistent/env)");
    CHECK(reg.find("echo"));  // the folders that exist still load
}

TEST_CASE("Durations in messages read as seconds", "[plugins]") {
    CHECK(plugin::format_seconds(2) == "2 s");
    CHECK(plugin::format_seconds(0.35) == "0.35 s");
    CHECK(plugin::format_seconds(1.5) == "1.5 s");
    CHECK(plugin::format_seconds(0.042) == "0.042 s");
    CHECK(plugin::format_seconds(0) == "0 s");
    CHECK(plugin::format_seconds(120) == "120 s");
}

TEST_CASE("Plugin folders: built-in, user, --plugin-dir, then ENABLEMENT_PLUGIN_PATH, never the working directory",
          "[plugins]") {
    ::setenv("XDG_DATA_HOME", "/tmp/mp-xdg", 1);
    ::setenv("ENABLEMENT_PLUGIN_PATH", "/opt/a:/opt/b", 1);
    const auto folders = plugin::default_folders({"/cli/dir"});
    ::unsetenv("ENABLEMENT_PLUGIN_PATH");
    REQUIRE(folders.size() == 6);
    CHECK(folders[0].origin == plugin::Origin::BuiltIn);
    CHECK(folders[2].path == "/tmp/mp-xdg/enablement/plugins");
    CHECK(folders[3].path == "/cli/dir");
    CHECK(folders[4].path == "/opt/a");
    CHECK(folders[5].path == "/opt/b");
    for (const auto& f : folders) CHECK(f.path != ".");
}

TEST_CASE("Third-party plugins run isolated by default: a crash, an exit() and a hang in Auto mode are contained",
          "[plugins][isolation][guarantees]") {
    auto& reg = registry();
    // Plugins from --plugin-dir (and the user folder, ENABLEMENT_PLUGIN_PATH) are not
    // built in, so Auto runs them in the plugin host: the test process survives each.
    auto o = opts(plugin::RunOptions::Mode::Auto);
    for (const char* id : {"segfault", "aborts", "exits"}) {
        INFO(id);
        const auto r = reg.run(id, {}, ws(), null_progress(), o);
        CHECK(r.isolated);
        CHECK(r.status != RunStatus::Ok);
    }
    o.timeout_s = 0.5;
    const auto h = reg.run("hang", {}, ws(), null_progress(), o);
    CHECK(h.isolated);
    CHECK(h.status == RunStatus::TimedOut);
    // The host goes on: a good plugin still runs, isolated by default too.
    const auto e = reg.run("echo", echo_params(), ws(), null_progress(), opts(plugin::RunOptions::Mode::Auto));
    CHECK(e.status == RunStatus::Ok);
    CHECK(e.isolated);
}

TEST_CASE("An in-process run that times out is TimedOut even when the plugin stops when asked", "[plugins]") {
    auto o = opts(plugin::RunOptions::Mode::InProcess);
    o.timeout_s = 0.3;
    const auto r = registry().run("slow", {}, ws(), null_progress(), o);
    CHECK_FALSE(r.isolated);
    CHECK(r.status == RunStatus::TimedOut);
    CHECK(r.error.find("timed out after 0.3") != std::string::npos);
    CHECK(plugin::in_process_run_plugin().empty());  // the host no longer waits for it
}
