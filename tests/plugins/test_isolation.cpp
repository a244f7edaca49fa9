// SPDX-License-Identifier: MIT
// The isolated-run protocol (mp/plugin/transport.hpp): the child sees the session's
// layers, not a reload of the data sources; results travel on their own channel, so what
// a plugin prints can neither break nor forge them; a plugin that leaves children behind
// or exits early cannot hang the host; text that is not UTF-8 is repaired at the boundary.
#include <catch2/catch.hpp>

#include <chrono>

#include "mp/core/error.hpp"
#include "mp/core/utf8.hpp"
#include "mp/data/default_data.hpp"
#include "mp/plugin/registry.hpp"
#include "mp/plugin/transport.hpp"
#include "test_support.hpp"

using namespace mp;
using plugin::RunStatus;

namespace {

plugin::Registry& registry() {
    static plugin::Registry r;
    static bool loaded = false;
    if (!loaded) {
        r.discover({{std::string(MP_TEST_PLUGIN_DIR) + "/good", plugin::Origin::CommandLine},
                    {std::string(MP_TEST_PLUGIN_DIR) + "/bad", plugin::Origin::CommandLine}});
        loaded = true;
    }
    return r;
}

plugin::RunOptions isolated(double timeout_s = 0) {
    plugin::RunOptions o;
    o.mode = plugin::RunOptions::Mode::Isolated;
    o.host_executable = MP_PLUGIN_HOST_PATH;
    o.timeout_s = timeout_s;
    return o;
}

bool has_message(const plugin::RunResult& r, const std::string& text) {
    for (const auto& m : r.messages)
        if (m.text.find(text) != std::string::npos) return true;
    return false;
}

double seconds(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("An isolated run sees the session's layers, including one that exists only in memory",
          "[plugins][isolation]") {
    data::Workspace ws = data::load_workspace(true, {});
    layer::Layer mine;
    mine.name = "drawn-by-hand";
    for (int i = 0; i < 3; ++i) mine.features.push_back({"p" + std::to_string(i), geo::lonlat(4 + i * 0.1, 51), {}});
    ws.layers.add(mine);
    // A site layer the catalogue leaves out (as the GUI leaves out result layers).
    const nlohmann::json params{{"site", "port-antwerp"}, {"layer", "drawn-by-hand"}};
    auto r = registry().run("echo", params, ws, null_progress(), isolated());
    INFO(r.error);
    REQUIRE(r.status == RunStatus::Ok);
    CHECK(r.isolated);
    CHECK(has_message(r, "layer drawn-by-hand has 3 features"));
    CHECK(has_message(r, "saw " + std::to_string(ws.layers.size()) + " layers and " +
                             std::to_string(ws.catalogue.sites().size()) + " sites"));

    // The workspace survives the trip exactly: layers, features, attributes and sites.
    const data::Workspace back =
        plugin::workspace_from_json(nlohmann::json::from_cbor(nlohmann::json::to_cbor(plugin::workspace_to_json(ws))));
    REQUIRE(back.layers.size() == ws.layers.size());
    CHECK(back.catalogue.sites().size() == ws.catalogue.sites().size());
    const auto& roads = back.layers.get("roads");
    CHECK(roads.features.size() == ws.layers.get("roads").features.size());
    CHECK(roads.features[7].attributes.text("ref") == ws.layers.get("roads").features[7].attributes.text("ref"));
    const auto* terminal = back.catalogue.by_id("leopoldsburg-rail-terminal");
    REQUIRE(terminal);
    CHECK(terminal->attributes.number("max_train_length_m") == 600);
    CHECK(terminal->is_estimate("trains_per_day"));
    CHECK(terminal->name_fr == "Quais militaires de Bourg-Léopold");
    CHECK_THROWS_AS(plugin::workspace_from_json({{"layers", {{{"name", 3}}}}}), PluginError);
}

TEST_CASE("What a plugin prints becomes messages and cannot forge its result", "[plugins][isolation]") {
    auto r = registry().run("forges", {}, data::load_workspace(true, {}), null_progress(), isolated(30));
    INFO(r.error);
    REQUIRE(r.status == RunStatus::Ok);
    REQUIRE(r.layers.size() == 1);
    CHECK(r.layers[0].layer.name == "real");
    CHECK(has_message(r, "real result"));
    CHECK(has_message(r, "plugin stdout: {\"status\":\"ok\""));
    CHECK(has_message(r, "plugin stderr: diagnostic on stderr"));
}

TEST_CASE("A plugin that leaves a child holding its pipes, or exits early, does not hang the host",
          "[plugins][isolation]") {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = registry().run("forks", {}, data::load_workspace(true, {}), null_progress(), isolated(20));
    INFO(r.error);
    CHECK(r.status == RunStatus::Ok);
    CHECK(has_message(r, "parent returns"));
    CHECK(seconds(t0) < 10);  // the child sleeps 60 s with the pipes open

    auto e = registry().run("exits", {}, data::load_workspace(true, {}), null_progress(), isolated(20));
    CHECK(e.status == RunStatus::Error);
    CHECK(e.error.find("exited without a result") != std::string::npos);

    // The control frames refuse garbage rather than allocating what a length claims.
    plugin::FrameReader fr;
    const char huge[] = {'\xff', '\xff', '\xff', '\x7f', 'R'};
    fr.feed(huge, sizeof huge);
    plugin::FrameKind kind{};
    std::vector<std::uint8_t> payload;
    CHECK_FALSE(fr.next(kind, payload));
    CHECK(fr.error().find("exceeds the limit") != std::string::npos);
    plugin::FrameReader bad_kind;
    const char junk[] = {'\x01', '\x00', '\x00', '\x00', 'Z', 'x'};
    bad_kind.feed(junk, sizeof junk);
    CHECK_FALSE(bad_kind.next(kind, payload));
    CHECK(bad_kind.error().find("unknown control frame kind") != std::string::npos);
}

TEST_CASE("Text that is not UTF-8 is repaired at the boundary, in process and isolated", "[plugins][utf8]") {
    CHECK(valid_utf8("Liège Bourg-Léopold"));
    CHECK_FALSE(valid_utf8("caf\xe9"));
    CHECK_FALSE(valid_utf8("\xed\xa0\x80"));      // a UTF-16 surrogate
    CHECK_FALSE(valid_utf8("\xc0\xaf"));          // overlong '/'
    CHECK_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    CHECK(sanitize_utf8("caf\xe9 au lait") == "caf\xef\xbf\xbd au lait");
    CHECK(sanitize_utf8("ok") == "ok");
    const auto ws = data::load_workspace(true, {});
    for (auto mode : {plugin::RunOptions::Mode::InProcess, plugin::RunOptions::Mode::Isolated}) {
        auto o = isolated(30);
        o.mode = mode;
        auto r = registry().run("bad-utf8", {}, ws, null_progress(), o);
        INFO(r.error);
        REQUIRE(r.status == RunStatus::Ok);
        REQUIRE(r.layers.size() == 1);
        CHECK(valid_utf8(r.layers[0].layer.name));
        CHECK(r.layers[0].layer.features[0].attributes.text("note") == "caf\xef\xbf\xbd au lait");
        CHECK(has_message(r, "not valid UTF-8"));
        // And the results serialise as JSON text (RFC 7946 output, saved runs).
        CHECK_NOTHROW(plugin::to_json(r).dump());
    }
}

TEST_CASE("Third-party plugins that crash or hang while loading are refused, and the host goes on",
          "[plugins][probe]") {
    test::TempDir cache;
    ::setenv("ENABLEMENT_CACHE_DIR", cache.path().c_str(), 1);
    plugin::RegistryOptions o;
    o.host_executable = MP_PLUGIN_HOST_PATH;
    o.probe_timeout_s = 1.5;
    plugin::Registry reg(o);
    const auto t0 = std::chrono::steady_clock::now();
    reg.discover({{std::string(MP_TEST_PLUGIN_DIR) + "/bad-load", plugin::Origin::CommandLine},
                  {std::string(MP_TEST_PLUGIN_DIR) + "/good", plugin::Origin::CommandLine}});
    CHECK(seconds(t0) < 10);
    auto refusal = [&](const std::string& file) {
        for (const auto& p : reg.plugins())
            if (p.file.find(file) != std::string::npos) return p.loaded ? std::string("loaded") : p.refusal;
        return std::string("absent");
    };
    CHECK(refusal("/ctor_crash.so") == "crashed while loading: SIGSEGV (Segmentation fault); not loaded");
    CHECK(refusal("/init_crash.so") == "crashed while loading: SIGSEGV (Segmentation fault); not loaded");
    CHECK(refusal("/init_hang.so").find("did not finish loading within 1.5 s") != std::string::npos);
    REQUIRE(reg.find("echo"));
    CHECK(reg.find("echo")->probed);
    CHECK(reg.probe_stats().spawned >= 5);
    // The good ones run, isolated (their default) and in process (loaded on demand).
    const auto ws = data::load_workspace(true, {});
    const nlohmann::json params{{"site", "port-antwerp"}};
    CHECK(reg.run("echo", params, ws, null_progress(), isolated()).status == RunStatus::Ok);
    auto in = isolated();
    in.mode = plugin::RunOptions::Mode::InProcess;
    CHECK(reg.run("echo", params, ws, null_progress(), in).status == RunStatus::Ok);

    // A second registry takes every answer from the probe cache, refusals included.
    plugin::Registry again(o);
    const auto t1 = std::chrono::steady_clock::now();
    again.discover({{std::string(MP_TEST_PLUGIN_DIR) + "/bad-load", plugin::Origin::CommandLine},
                    {std::string(MP_TEST_PLUGIN_DIR) + "/good", plugin::Origin::CommandLine}});
    CHECK(again.probe_stats().spawned == 0);
    CHECK(again.probe_stats().cached == reg.probe_stats().spawned);
    CHECK(seconds(t1) < 1.0);
    CHECK(again.find("records"));
    CHECK(again.find("records")->params.at(1).fields.size() == 4);  // the schema survives the cache
    // A damaged cache entry is not trusted: the file is probed again.
    for (const auto& e : std::filesystem::directory_iterator(plugin::probe_cache_dir()))
        test::write_text(e.path().string(),
                         "{\"format\": \"enablement-plugin-probe\", \"version\": 1, \"identity\": 3}");
    plugin::Registry third(o);
    third.discover({{std::string(MP_TEST_PLUGIN_DIR) + "/good", plugin::Origin::CommandLine}});
    CHECK(third.probe_stats().cached == 0);
    CHECK(third.find("echo"));
    ::unsetenv("ENABLEMENT_CACHE_DIR");
}

TEST_CASE("A world-writable plugin file is refused, a world-writable folder is a warning", "[plugins][probe]") {
    test::TempDir dir;
    const std::string so = dir.file("echo.so");
    std::filesystem::copy_file(std::string(MP_TEST_PLUGIN_DIR) + "/good/echo.so", so);
    std::filesystem::permissions(dir.path(), std::filesystem::perms::others_write, std::filesystem::perm_options::add);
    std::filesystem::permissions(so, std::filesystem::perms::others_write, std::filesystem::perm_options::add);
    plugin::RegistryOptions o;
    o.host_executable = MP_PLUGIN_HOST_PATH;
    o.probe_cache = false;
    plugin::Registry reg(o);
    reg.discover({{dir.path().string(), plugin::Origin::CommandLine}});
    REQUIRE(reg.plugins().size() == 1);
    CHECK_FALSE(reg.plugins()[0].loaded);
    CHECK(reg.plugins()[0].refusal.find("writable by every user") != std::string::npos);
    REQUIRE(reg.warnings().size() == 1);
    CHECK(reg.warnings()[0].find("plugin folder is writable by every user") != std::string::npos);
    // A relative XDG_DATA_HOME is not a user plugin folder (it would be the working directory).
    ::setenv("XDG_DATA_HOME", "relative/share", 1);
    for (const auto& f : plugin::default_folders({})) CHECK(f.path.find("relative/share") == std::string::npos);
    ::unsetenv("XDG_DATA_HOME");
}

TEST_CASE("a result frame with text that is not UTF-8 is repaired at the boundary (found by fuzz_result)",
          "[isolation][utf8]") {
    // CBOR strings may hold any bytes: a forged or broken plugin host can send them.
    nlohmann::json j = plugin::to_json(plugin::RunResult{});
    nlohmann::json layer = {{"name", "bad\xa5name"},
                            {"style", {{"color", "#d62728"}, {"width_px", 3}}},
                            {"features", nlohmann::json::array()}};
    j["layers"] = nlohmann::json::array({layer});
    j["messages"] = nlohmann::json::array({{{"level", 0}, {"text", "caf\xe9"}}});
    const auto bytes = nlohmann::json::to_cbor(j);
    const plugin::RunResult r = plugin::run_result_from_json(nlohmann::json::from_cbor(bytes));
    REQUIRE(r.layers.size() == 1);
    CHECK(r.layers[0].layer.name == "bad\xef\xbf\xbdname");
    CHECK(r.messages.at(0).text == "caf\xef\xbf\xbd");
    // What was read serialises as strict JSON again (it threw type_error 316 before).
    CHECK_NOTHROW(plugin::to_json(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::strict));
}
