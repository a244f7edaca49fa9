// SPDX-License-Identifier: MIT
// ABI 1.1 against real shared libraries: a plugin built with the 1.0 header loads and
// runs unchanged (in process and isolated), the 1.1 parameter types validate and read
// by path, and a plugin asking an older host for a 1.1 service is told so.
#include <catch2/catch.hpp>

#include <cstddef>

#include "mp/core/error.hpp"
#include "mp/data/default_data.hpp"
#include "mp/plugin.hpp"
#include "mp/plugin/registry.hpp"
#include "test_support.hpp"

extern "C" {
size_t mp_abi_1_0_param_def_size(void);
size_t mp_abi_1_0_plugin_size(void);
size_t mp_abi_1_0_host_api_size(void);
}

using namespace mp;
using plugin::ParamType;
using plugin::RunStatus;

namespace {

const data::Workspace& ws() {
    static const data::Workspace w = data::load_workspace(true, {});
    return w;
}

plugin::RunOptions opts(plugin::RunOptions::Mode mode) {
    plugin::RunOptions o;
    o.mode = mode;
    o.host_executable = MP_PLUGIN_HOST_PATH;
    return o;
}

plugin::Registry& registry() {
    static plugin::Registry r;
    static bool loaded = false;
    if (!loaded) {
        r.discover({{std::string(MP_TEST_PLUGIN_DIR) + "/legacy", plugin::Origin::CommandLine},
                    {std::string(MP_TEST_PLUGIN_DIR) + "/good", plugin::Origin::CommandLine},
                    {std::string(MP_TEST_PLUGIN_DIR) + "/bad", plugin::Origin::CommandLine}});
        loaded = true;
    }
    return r;
}

const plugin::PluginInfo* by_file(const std::string& name) {
    for (const auto& p : registry().plugins())
        if (p.file.size() >= name.size() && p.file.compare(p.file.size() - name.size(), name.size(), name) == 0)
            return &p;
    return nullptr;
}

std::string all_messages(const plugin::RunResult& r) {
    std::string s;
    for (const auto& m : r.messages) s += m.text + "\n";
    return s;
}

}  // namespace

TEST_CASE("The 1.1 header keeps the 1.0 layout: appended fields start where 1.0 structs end", "[plugins][abi]") {
    // Sizes as a C compiler laid out the 1.0 header (tests/plugins/abi_1_0/).
    CHECK(mp_abi_1_0_param_def_size() == MP_PARAM_DEF_SIZE_1_0);
    CHECK(mp_abi_1_0_plugin_size() == MP_PLUGIN_V1_SIZE_1_0);
    CHECK(mp_abi_1_0_host_api_size() == offsetof(MpHostApi, last_error));
    CHECK(sizeof(MpParamDef) > MP_PARAM_DEF_SIZE_1_0);  // so a 1.0 table must be read at its own stride
    CHECK(sizeof(MpPluginV1) > MP_PLUGIN_V1_SIZE_1_0);
    CHECK(MP_PLUGIN_ABI_MAJOR == 1);
    CHECK(MP_PLUGIN_ABI_MINOR == 1);
}

TEST_CASE("A plugin built against the 1.0 header loads with its parameter form read at the 1.0 stride",
          "[plugins][abi]") {
    const auto* p = registry().find("legacy-1-0");
    REQUIRE(p);
    CHECK(p->abi == "1.0");
    REQUIRE(p->params.size() == 7);
    // Each entry where the 1.0 plugin put it: read at the 1.1 stride, the second entry
    // would start inside the first and these would be garbage.
    CHECK(p->params[0].key == "site");
    CHECK(p->params[0].type == ParamType::Site);
    CHECK(p->params[0].required);
    CHECK(p->params[1].key == "radius_km");
    CHECK(p->params[1].unit == "km");
    CHECK(p->params[1].min == 0.5);
    CHECK(p->params[1].max == 200);
    CHECK(p->params[1].default_value == "10");
    CHECK(p->params[2].choices == std::vector<std::string>{"point", "line"});
    CHECK(p->params[3].type == ParamType::Integer);
    CHECK(p->params[4].type == ParamType::Coordinate);
    CHECK(p->params[5].type == ParamType::List);
    CHECK(p->params[5].item_type == ParamType::Site);
    CHECK(p->params[5].max == 10);
    CHECK(p->params[6].default_value == "legacy");
    // The 1.1 fields a 1.0 table cannot have read as empty.
    for (const auto& d : p->params) {
        CHECK(d.choices_from.empty());
        CHECK(d.fields.empty());
        CHECK_FALSE(d.file_out);
    }
    // The form the CLI and the GUI build from it.
    const auto j = plugin::schema_to_json(p->params);
    CHECK(j[1]["unit"] == "km");
    CHECK(j[2]["choices"][1] == "line");
    CHECK(j[5]["item_type"] == "site");
}

TEST_CASE("A 1.0 plugin runs unchanged under the 1.1 host, in process and isolated, with equal results",
          "[plugins][abi]") {
    const nlohmann::json params{{"site", "Haven van Antwerpen"}, {"count", "4"}, {"others", "port-zeebrugge"}};
    auto a = registry().run("legacy-1-0", params, ws(), null_progress(), opts(plugin::RunOptions::Mode::InProcess));
    INFO(a.error);
    REQUIRE(a.status == RunStatus::Ok);
    REQUIRE(a.layers.size() == 1);
    const auto& f = a.layers[0].layer.features.at(0);
    CHECK(f.attributes.text("title") == "legacy");
    CHECK(f.attributes.number("radius_km") == 10);
    CHECK(f.attributes.number("others") == 1);
    CHECK(f.attributes.text("name").find("Antwerp") != std::string::npos);
    const auto& line = std::get<geo::LineString>(f.geometry);
    CHECK(geo::lon(line.back()) == Approx(4.40));
    REQUIRE(a.tables.size() == 1);
    CHECK(a.tables[0].rows() == 4);
    CHECK(a.tables[0].columns[1].numbers[3] == 30);
    CHECK(all_messages(a).find("legacy 1.0 plugin: port-antwerp, 10 km, line, 4 rows, 1 other sites") !=
          std::string::npos);

    auto b = registry().run("legacy-1-0", params, ws(), null_progress(), opts(plugin::RunOptions::Mode::Isolated));
    INFO(b.error);
    REQUIRE(b.status == RunStatus::Ok);
    CHECK(b.isolated);
    CHECK(plugin::to_json(a)["layers"] == plugin::to_json(b)["layers"]);
    CHECK(plugin::to_json(a)["tables"] == plugin::to_json(b)["tables"]);
    // Validation of a 1.0 schema is what it was.
    CHECK_THROWS_AS(registry().run("legacy-1-0", {{"site", "port-antwerp"}, {"radius_km", "500"}}, ws(),
                                   null_progress(), opts(plugin::RunOptions::Mode::InProcess)),
                    UsageError);
}

TEST_CASE("Descriptors and tables the host cannot read are refused with the reason", "[plugins][abi]") {
    const auto* t = by_file("/truncated.so");
    REQUIRE(t);
    CHECK_FALSE(t->loaded);
    CHECK(t->refusal.find("truncated descriptor: struct_size 24 bytes") != std::string::npos);
    const auto* s = by_file("/tiny_stride.so");
    REQUIRE(s);
    CHECK_FALSE(s->loaded);
    CHECK(s->refusal.find("parameter entries of 8 bytes") != std::string::npos);
    const auto* u = by_file("/unknown_choices.so");
    REQUIRE(u);
    CHECK_FALSE(u->loaded);
    CHECK(u->refusal.find("asks for host choices 'ship-classes'") != std::string::npos);
    CHECK(u->refusal.find("vehicle-presets") != std::string::npos);
}

TEST_CASE("Record lists, places, host choices and files validate and read by path", "[plugins][abi][params]") {
    const auto* p = registry().find("records");
    REQUIRE(p);
    CHECK(p->abi == "1.1");
    REQUIRE(p->params.size() == 6);
    const auto& systems = p->params[1];
    CHECK(systems.type == ParamType::List);
    CHECK(systems.item_type == ParamType::Record);
    REQUIRE(systems.fields.size() == 4);
    CHECK(systems.fields[0].choices_from == "air-defence-systems");
    CHECK(systems.fields[0].choices.front() == "radar");  // from data/air_defence_systems.json
    CHECK(systems.fields[1].type == ParamType::Place);
    CHECK(p->params[2].choices.size() >= 5);  // vehicle presets from data/vehicles.json
    const auto schema = plugin::schema_to_json(p->params);
    CHECK(schema[1]["fields"][0]["choices_from"] == "air-defence-systems");
    CHECK(schema[3]["direction"] == "in");
    CHECK(schema[4]["direction"] == "out");

    test::TempDir dir;
    test::write_text(dir.file("notes.txt"), "hello");
    // As the CLI passes them: text, records as JSON text.
    const nlohmann::json raw{{"at", "Haven van Zeebrugge"},
                             {"systems", R"([{"type": "shorad", "at": "port-antwerp", "mast_m": 12},
                        {"type": "cuas", "at": "3.2,51.3", "range_km": 4.5}])"},
                             {"vehicle", "wheeled-truck"},
                             {"notes", dir.file("notes.txt")}};
    auto r = registry().run("records", raw, ws(), null_progress(), opts(plugin::RunOptions::Mode::InProcess));
    INFO(r.error << all_messages(r));
    REQUIRE(r.status == RunStatus::Ok);
    const std::string m = all_messages(r);
    CHECK(m.find("at port-zeebrugge") != std::string::npos);
    CHECK(m.find("S1 shorad at port-antwerp mast 12.000 m, range 12.000 km") != std::string::npos);
    CHECK(m.find("S2 cuas at 3.2,51.3 mast 10.000 m, range 4.500 km") != std::string::npos);
    CHECK(m.find("vehicle wheeled-truck mlc 32.000") != std::string::npos);
    const auto& feats = r.layers.at(0).layer.features;
    REQUIRE(feats.size() == 2);
    CHECK(feats[0].attributes.text("site") == "port-antwerp");
    CHECK(feats[1].attributes.text("site").empty());
    // Geodesy through the host: Zeebrugge port to 3.2,51.3 (WGS84, GeographicLib).
    CHECK(feats[1].attributes.number("distance_m").value() > 1000);
    // The same through an isolated run.
    auto b = registry().run("records", raw, ws(), null_progress(), opts(plugin::RunOptions::Mode::Isolated));
    INFO(b.error);
    REQUIRE(b.status == RunStatus::Ok);
    CHECK(plugin::to_json(r)["layers"] == plugin::to_json(b)["layers"]);

    auto usage = [&](nlohmann::json bad, const std::string& text) {
        try {
            registry().run("records", bad, ws(), null_progress(), opts(plugin::RunOptions::Mode::InProcess));
            FAIL("accepted " << bad.dump());
        } catch (const Error& e) {
            INFO(e.what());
            CHECK(std::string(e.what()).find(text) != std::string::npos);
        }
    };
    usage({{"at", "port-antwerp"}, {"systems", R"([{"type": "laser", "at": "port-antwerp"}])"}},
          "unknown air-defence system 'laser' (known: radar, eoir, rf, cuas, vshorad");
    usage({{"at", "port-antwerp"}, {"systems", R"([{"type": "cuas"}])"}}, "parameter 'systems[0].at'");
    usage({{"at", "port-antwerp"}, {"systems", R"([{"type": "cuas", "at": "x", "height": 3}])"}},
          "unknown field 'height' (fields: type, at, mast_m, range_km)");
    usage({{"at", "port-antwerp"}, {"systems", R"([{"type": "cuas", "at": "port-antwerp", "mast_m": 500}])"}},
          "above the maximum 100");
    usage({{"at", "port-antwerp"}, {"systems", "cuas@port-antwerp"}}, "expected a JSON array of objects");
    usage({{"at", "port-antwerp"}, {"vehicle", "hovercraft"}}, "unknown vehicle preset 'hovercraft' (known: ");
    // Input that does not exist is bad input (CLI exit 3), naming the parameter and value.
    try {
        registry().run("records", {{"at", "atlantis"}}, ws(), null_progress());
        FAIL("unknown place accepted");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("unknown site 'atlantis'") != std::string::npos);
        CHECK(e.where() == "parameter 'at'");
    }
    try {
        registry().run("records", {{"at", "port-antwerp"}, {"notes", dir.file("missing.txt")}}, ws(), null_progress());
        FAIL("missing file accepted");
    } catch (const InputError& e) {
        CHECK(e.problem() == "no such file");
        CHECK(e.where() == "parameter 'notes' = " + dir.file("missing.txt"));
    }
    try {
        registry().run("records", {{"at", "port-antwerp"}, {"report", "/nonexistent/dir/out.csv"}}, ws(),
                       null_progress());
        FAIL("output into a missing folder accepted");
    } catch (const InputError& e) {
        CHECK(e.problem() == "the folder to write it in does not exist");
    }
    try {
        registry().run("records", {{"at", "port-antwerp"}, {"dem", dir.file("notes.txt")}}, ws(), null_progress());
        FAIL("a text file accepted as a raster");
    } catch (const InputError& e) {
        CHECK(e.problem().find("not a raster GDAL can open") != std::string::npos);
        CHECK(e.where() == "parameter 'dem' = " + dir.file("notes.txt"));
    }
    // A raster without a CRS (an ASCII grid without .prj).
    test::write_text(dir.file("nocrs.asc"), "ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2\n3 4\n");
    try {
        registry().run("records", {{"at", "port-antwerp"}, {"dem", dir.file("nocrs.asc")}}, ws(), null_progress());
        FAIL("a raster without CRS accepted");
    } catch (const InputError& e) {
        CHECK(e.problem().find("the raster has no CRS") != std::string::npos);
        CHECK(e.where().find("parameter 'dem'") == 0);
    }
}

TEST_CASE("A plugin asking a 1.0 host for a 1.1 service is told which and why", "[plugins][abi]") {
    // A host table of the 1.0 size: the functions appended in 1.1 are not there.
    MpHostApi old{};
    old.struct_size = static_cast<std::uint32_t>(offsetof(MpHostApi, last_error));
    old.abi_major = 1, old.abi_minor = 0;
    CHECK_FALSE(MP_HOST_HAS(&old, param_place));
    CHECK_FALSE(MP_HOST_HAS(&old, network_route));
    const sdk::Run run(&old, nullptr);
    CHECK_THROWS_WITH(run.place("at"), Catch::Contains("the host does not offer 'param_place' (host ABI 1.0"));
    CHECK_THROWS_AS(run.geod_inverse(4, 51, 5, 51), sdk::UnsupportedFailure);
    CHECK(run.last_error().empty());
}
