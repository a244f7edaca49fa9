// SPDX-License-Identifier: MIT
// The session model (undo/redo, layer order and styles, runs) and the scenario file
// format (docs/scenario.md): round trips, the version 1 migration on a real file written
// by the old GUI, and bad files.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "mp/core/error.hpp"
#include "mp/io/ogr_io.hpp"
#include "mp/session/scenario.hpp"
#include "mp/session/session.hpp"
#include "test_support.hpp"

using namespace mp;
using mp::test::TempDir;

namespace {

const std::string kFixture =
    std::string(MP_SOURCE_DIR) + "/tests/fixtures/scenario-v1/zeebrugge-leopoldsburg.scenario.json";

layer::Layer line_layer(const std::string& name, double lat = 50.5) {
    layer::Layer l;
    l.name = name;
    l.source_crs = "EPSG:4326";
    layer::Feature f;
    f.id = name + "-1";
    f.geometry = geo::LineString{{4.0, lat}, {5.0, lat + 0.1}};
    f.attributes.set("name", name);
    l.features.push_back(std::move(f));
    l.infer_fields();
    return l;
}

layer::Layer point_layer(const std::string& name) {
    layer::Layer l;
    l.name = name;
    l.source_crs = "EPSG:4326";
    layer::Feature f;
    f.id = "p1";
    f.geometry = geo::LonLat(4.4, 51.2);
    f.attributes.set("name_en", std::string("Antwerp"));
    l.features.push_back(std::move(f));
    l.infer_fields();
    return l;
}

layer::Layer area_layer(const std::string& name) {
    layer::Layer l;
    l.name = name;
    l.source_crs = "EPSG:4326";
    layer::Feature f;
    f.id = "a1";
    geo::Polygon p;
    p.outer() = {{3, 50}, {6, 50}, {6, 51}, {3, 51}, {3, 50}};
    f.geometry = p;
    l.features.push_back(std::move(f));
    return l;
}

// What transit-routes returns, in small: a route in the plugin's red and a leg in orange
// (a feature style of its own), a table and a 2 x 2 raster.
plugin::RunResult route_result() {
    plugin::RunResult r;
    plugin::ResultLayer rl;
    rl.layer = line_layer("routes", 50.8);
    layer::Feature leg;
    leg.id = "leg-1";
    leg.geometry = geo::LineString{{4.2, 50.9}, {4.3, 50.95}};
    leg.attributes.set("kind", std::string("leg"));
    rl.layer.features.push_back(leg);
    rl.style = {"#d62728", 4, "name"};
    rl.feature_styles = {std::nullopt, plugin::Style{"#ff7f0e", 2.5, "kind"}};
    r.layers.push_back(rl);
    plugin::Table t;
    t.name = "march";
    t.columns.push_back({"km", "km", true, {0, 10}, {}});
    r.tables.push_back(t);
    plugin::Raster ra;
    ra.name = "grid";
    ra.width = ra.height = 2;
    ra.geotransform = {4.0, 0.5, 0, 51.5, 0, -0.5};
    ra.crs = "EPSG:4326";
    ra.values = {1, 2, 3, 4};
    r.rasters.push_back(ra);
    r.seconds = 0.25;
    return r;
}

session::State base_state() {
    session::State s;
    session::add_data_layers(s, "test.gpkg", {line_layer("roads"), point_layer("sites"), area_layer("belgium")});
    return s;
}

std::vector<std::string> names(const session::State& s) {
    std::vector<std::string> out;
    for (const auto& l : s.layers) out.push_back(l.name);
    return out;
}

int mode_of(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return static_cast<int>(st.st_mode & 0777);
}

}  // namespace

TEST_CASE("session: new layers go to their natural place with unique names and default styles", "[session]") {
    session::State s = base_state();
    CHECK(names(s) == std::vector<std::string>{"belgium", "roads", "sites"});
    CHECK(s.sources == std::vector<std::string>{"test.gpkg"});
    const auto* roads = s.find_layer("roads");
    REQUIRE(roads);
    CHECK(roads->geometry == session::GeometryClass::Line);
    CHECK(roads->style.stroke == session::Rgba{0.86f, 0.38f, 0.12f, 1});  // the house orange for roads
    CHECK_FALSE(roads->labels);                                           // lines are not labelled by default
    CHECK(s.find_layer("sites")->labels);                                 // points are, by their name
    CHECK(s.find_layer("sites")->label_field == "name_en");
    CHECK(s.find_layer("belgium")->style.fill_opacity == 1.0f);
    // A second "roads" gets a suffix and goes with the lines, under the points.
    s.removed_layers = {"roads_2"};
    const auto added = session::add_data_layers(s, "more.geojson", {line_layer("roads")});
    CHECK(added == std::vector<std::string>{"roads_2"});
    CHECK(names(s) == std::vector<std::string>{"belgium", "roads", "roads_2", "sites"});
    CHECK(s.removed_layers.empty());  // added again: no longer removed
    CHECK(s.find_layer("roads_2")->data->name == "roads_2");
}

TEST_CASE("session: a run's layers come on top, one per feature style, and are never sites", "[session]") {
    session::State s = base_state();
    const auto id = session::add_run(s, "transit-routes", {{"from", "port-zeebrugge"}},
                                     std::make_shared<const plugin::RunResult>(route_result()));
    CHECK(id == 1);
    CHECK(names(s) == std::vector<std::string>{"belgium", "roads", "sites", "routes", "routes #ff7f0e"});
    REQUIRE(s.runs.size() == 1);
    CHECK(s.runs[0].layers == std::vector<std::string>{"routes", "routes #ff7f0e"});
    const auto* route = s.find_layer("routes");
    CHECK(route->result());
    CHECK(route->style.width_px == 4);
    CHECK(route->labels);
    // Red and orange are both within 20 % of the orange roads: drawn magenta.
    const session::Rgba magenta{0.78f, 0.0f, 0.67f, 1.0f};
    CHECK(route->style.stroke == magenta);
    const auto* leg = s.find_layer("routes #ff7f0e");
    CHECK(leg->style.stroke == magenta);
    CHECK_FALSE(leg->labels);  // "leg" along every leg says nothing
    // With the roads hidden the plugin's own colours stay.
    session::State hidden = base_state();
    hidden.layers[1].visible = false;
    session::add_run(hidden, "transit-routes", {}, std::make_shared<const plugin::RunResult>(route_result()));
    CHECK(hidden.find_layer("routes")->style.stroke[0] == Approx(0xd6 / 255.0));
    CHECK(hidden.find_layer("routes #ff7f0e")->style.stroke[1] == Approx(0x7f / 255.0));
    // The workspace of the next run has every layer, but only the data's sites.
    const auto ws = session::workspace(s);
    CHECK(ws.layers.size() == 5);
    CHECK(ws.layers.find("routes #ff7f0e"));
    CHECK(ws.catalogue.sites().empty());  // no kind attributes in these test layers
}

TEST_CASE("session: every edit undoes and redoes exactly", "[session][undo]") {
    session::Session ses;
    ses.reset(base_state());
    CHECK_FALSE(ses.modified());
    CHECK_FALSE(ses.can_undo());
    std::vector<session::State> states{ses.state()};
    auto style = ses.state().find_layer("roads")->style;
    style.width_px = 7;
    CHECK(ses.set_layer_style("roads", style));
    states.push_back(ses.state());
    CHECK(ses.set_layer_visible("sites", false));
    states.push_back(ses.state());
    ses.end_merge();
    CHECK(ses.set_layer_labels("roads", true, "name"));
    states.push_back(ses.state());
    CHECK(ses.move_layer(1, 2));
    states.push_back(ses.state());
    CHECK(ses.remove_layer("belgium"));
    states.push_back(ses.state());
    CHECK(ses.add_source("x.geojson", {line_layer("rivers")}) == std::vector<std::string>{"rivers"});
    states.push_back(ses.state());
    const auto run = ses.add_run("transit-routes", {{"to", "leopoldsburg-rail-terminal"}}, route_result());
    states.push_back(ses.state());
    CHECK(ses.set_plugin_params({{"transit-routes", {{"from", "port-antwerp"}}}}));
    states.push_back(ses.state());
    CHECK(ses.remove_run(run));
    states.push_back(ses.state());
    CHECK(ses.modified());
    CHECK(ses.undo_label() == "Remove run transit-routes");

    auto same = [](const session::State& a, const session::State& b) {
        REQUIRE(names(a) == names(b));
        for (std::size_t i = 0; i < a.layers.size(); ++i) {
            CHECK(a.layers[i].style == b.layers[i].style);
            CHECK(a.layers[i].visible == b.layers[i].visible);
            CHECK(a.layers[i].labels == b.layers[i].labels);
            CHECK(a.layers[i].data == b.layers[i].data);  // the same shared data, not a copy
        }
        CHECK(a.removed_layers == b.removed_layers);
        CHECK(a.sources == b.sources);
        CHECK(a.runs.size() == b.runs.size());
        CHECK(a.plugin_params == b.plugin_params);
    };
    for (std::size_t i = states.size() - 1; i > 0; --i) {
        INFO("undo to state " << i - 1);
        REQUIRE(ses.undo());
        same(ses.state(), states[i - 1]);
    }
    CHECK_FALSE(ses.undo());
    CHECK_FALSE(ses.modified());  // back at the saved state
    CHECK(ses.state().find_layer("belgium"));
    for (std::size_t i = 1; i < states.size(); ++i) {
        INFO("redo to state " << i);
        REQUIRE(ses.redo());
        same(ses.state(), states[i]);
    }
    CHECK_FALSE(ses.redo());
    // A new edit after an undo drops the redo steps.
    REQUIRE(ses.undo());
    CHECK(ses.can_redo());
    CHECK(ses.set_layer_visible("roads", false));
    CHECK_FALSE(ses.can_redo());
    // Edits that change nothing record nothing; unknown layers are bad input.
    const auto depth = ses.undo_depth();
    CHECK_FALSE(ses.set_layer_visible("roads", false));
    CHECK(ses.undo_depth() == depth);
    CHECK_THROWS_AS(ses.set_layer_visible("atlantis", true), InputError);
    CHECK_THROWS_AS(ses.move_layer(0, 99), InputError);
    CHECK_THROWS_AS(ses.set_plugin_params(nlohmann::json::array()), InputError);
}

TEST_CASE("session: a dragged slider is one undo step, two drags are two", "[session][undo]") {
    session::Session ses;
    ses.reset(base_state());
    auto style = ses.state().find_layer("roads")->style;
    for (int i = 1; i <= 30; ++i) {
        style.width_px = 2 + 0.1f * static_cast<float>(i);
        ses.set_layer_style("roads", style);
    }
    CHECK(ses.undo_depth() == 1);
    ses.end_merge();  // the mouse was released
    style.width_px = 9;
    ses.set_layer_style("roads", style);
    CHECK(ses.undo_depth() == 2);
    REQUIRE(ses.undo());
    CHECK(ses.state().find_layer("roads")->style.width_px == Approx(5.0));
    REQUIRE(ses.undo());
    CHECK(ses.state().find_layer("roads")->style.width_px == 2.0f);
    // Another layer's style never merges with this one's.
    ses.set_layer_style("sites", style);
    ses.set_layer_style("roads", style);
    CHECK(ses.undo_depth() == 2);
}

TEST_CASE("session: the history is bounded and drops its oldest steps", "[session][undo]") {
    session::Session ses(3);
    ses.reset(base_state());
    for (const char* name : {"roads", "sites", "belgium", "roads", "sites"}) {
        ses.set_layer_visible(name, !ses.state().find_layer(name)->visible);
        ses.end_merge();
    }
    CHECK(ses.history_limit() == 3);
    CHECK(ses.undo_depth() == 3);
    int undone = 0;
    while (ses.undo()) ++undone;
    CHECK(undone == 3);
    // Back three steps of five: roads and sites hidden, belgium visible.
    CHECK_FALSE(ses.state().find_layer("roads")->visible);
    CHECK_FALSE(ses.state().find_layer("sites")->visible);
    CHECK(ses.state().find_layer("belgium")->visible);
    CHECK(ses.modified());  // the saved state fell out of the history
}

TEST_CASE("session: form defaults fill in without an undo step and survive undo", "[session][undo]") {
    session::Session ses;
    ses.reset(base_state());
    ses.fill_plugin_params({{"echo", {{"count", "3"}, {"speed", "50"}}}});
    CHECK_FALSE(ses.can_undo());
    CHECK_FALSE(ses.modified());
    auto params = ses.state().plugin_params;
    params["echo"]["count"] = "5";
    CHECK(ses.set_plugin_params(params));
    CHECK(ses.undo_label() == "Parameters of echo");
    ses.fill_plugin_params({{"echo", {{"count", "9"}, {"mode", "fast"}}}});
    CHECK(ses.state().plugin_params["echo"]["count"] == "5");  // never changes a value
    REQUIRE(ses.undo());
    CHECK(ses.state().plugin_params["echo"]["count"] == "3");
    CHECK(ses.state().plugin_params["echo"]["mode"] == "fast");  // the default stays
    CHECK_FALSE(ses.modified());
}

TEST_CASE("session: the view is no edit and is kept across undo", "[session][undo]") {
    session::Session ses;
    ses.reset(base_state());
    ses.set_layer_visible("roads", false);
    session::View v;
    v.placed = true;
    v.center_lon = 5.1;
    ses.set_view(v);
    CHECK(ses.undo_depth() == 1);
    REQUIRE(ses.undo());
    CHECK(ses.state().view.center_lon == 5.1);
    CHECK_FALSE(ses.modified());
}

TEST_CASE("scenario: a saved session loads back with its order, styles, runs and removed layers",
          "[session][scenario]") {
    TempDir dir;
    const std::string path = dir.file("plan.scenario.json");
    session::Session ses;
    session::State s;
    s.default_data = true;
    session::add_data_layers(s, "", data::load_default_layers());
    ses.reset(std::move(s));
    auto style = ses.state().find_layer("roads")->style;
    style.stroke = {0, 0, 1, 1};
    style.width_px = 3.5f;
    ses.set_layer_style("roads", style);
    ses.set_layer_visible("rail", false);
    ses.remove_layer("belgium");
    ses.move_layer(0, 1);  // rail (drawn first by default) over roads
    ses.add_run("transit-routes", {{"from", "port-zeebrugge"}, {"vehicles", 12}}, route_result());
    ses.remove_layer("routes #ff7f0e");
    session::View v{"EPSG:3812", true, 4.3, 51.0, 180};
    ses.set_view(v);
    ses.set_plugin_params({{"transit-routes", {{"from", "port-zeebrugge"}}}});
    session::write_scenario(path, session::to_scenario(ses.state()));

    CHECK(mode_of(path) == 0600);
    CHECK(mode_of(dir.file("plan.scenario.results.json")) == 0600);
    const auto j = nlohmann::json::parse(mp::test::read_text(path));
    CHECK(j["format"] == "enablement-scenario");
    CHECK(j["version"] == session::kScenarioVersion);
    CHECK(j["results_file"] == "plan.scenario.results.json");
    CHECK(j["runs"][0]["params"]["vehicles"] == 12);

    const auto sc = session::read_scenario(path);
    CHECK(sc.version_read == 2);
    REQUIRE(sc.runs.size() == 1);
    REQUIRE(sc.runs[0].result);
    CHECK(sc.runs[0].result->tables.size() == 1);
    CHECK(sc.runs[0].result->rasters[0].values == std::vector<double>{1, 2, 3, 4});
    const auto loaded = session::load(sc);
    const auto& t = loaded.state;
    CHECK(names(t) == names(ses.state()));
    CHECK(names(t) == std::vector<std::string>{"roads", "rail", "sites", "routes"});
    CHECK(t.find_layer("roads")->style == style);
    CHECK_FALSE(t.find_layer("rail")->visible);
    CHECK(t.removed_layers == std::vector<std::string>{"belgium"});
    REQUIRE(t.runs.size() == 1);
    CHECK(t.runs[0].id == 1);
    CHECK(t.runs[0].params["vehicles"] == 12);
    CHECK(t.runs[0].layers == std::vector<std::string>{"routes", "routes #ff7f0e"});
    CHECK(t.next_run_id == 2);
    CHECK(t.view == v);
    CHECK(t.plugin_params == ses.state().plugin_params);
    for (const auto& n : loaded.notices) CHECK(n.level != session::Notice::Level::Error);
    // Saved again, the file is the same: nothing is lost or reordered on a round trip.
    const std::string again = dir.file("again.scenario.json");
    session::write_scenario(again, session::to_scenario(t));
    auto a = nlohmann::json::parse(mp::test::read_text(path));
    auto b = nlohmann::json::parse(mp::test::read_text(again));
    a.erase("results_file");
    b.erase("results_file");
    CHECK(a == b);
}

TEST_CASE("scenario: a version 1 file written by the old GUI migrates", "[session][scenario][migration]") {
    const auto sc = session::read_scenario(kFixture);
    CHECK(sc.version_read == 1);
    CHECK(sc.default_data);
    CHECK(sc.removed_layers == std::vector<std::string>{"belgium"});
    CHECK(sc.view.display_crs == "EPSG:3812");
    CHECK(sc.view.placed);
    CHECK(sc.view.units_per_pixel == 180);
    CHECK(sc.view.center_lat == Approx(51.0));
    REQUIRE(sc.runs.size() == 1);
    const auto& run = sc.runs[0];
    CHECK(run.id == 1);
    CHECK(run.plugin_id == "transit-routes");
    CHECK(run.params_from_form);
    CHECK(run.params["from"] == "port-zeebrugge");
    CHECK(run.params["to"] == "leopoldsburg-rail-terminal");
    CHECK(run.params["vehicles"] == "12");
    REQUIRE(run.result);
    CHECK(run.result->layers.size() == 1);
    REQUIRE(run.layers.size() == 2);
    CHECK(run.layers[0].present);
    bool migrated = false;
    for (const auto& n : sc.notes) migrated |= n.text.find("migrated from scenario version 1") != std::string::npos;
    CHECK(migrated);

    const auto loaded = session::load(sc);
    const auto& s = loaded.state;
    CHECK(names(s) == std::vector<std::string>{"roads", "rail", "sites", "routes", "routes #ff7f0e"});
    const auto* roads = s.find_layer("roads");
    CHECK(roads->style.stroke[2] == Approx(0.9));
    CHECK(roads->style.width_px == 3.5f);
    CHECK(roads->style.opacity == Approx(0.8));
    CHECK_FALSE(s.find_layer("rail")->visible);
    CHECK_FALSE(s.find_layer("sites")->labels);
    CHECK(s.find_layer("routes")->result());
    CHECK(s.runs.size() == 1);
    CHECK(s.plugin_params["transit-routes"]["vehicles"] == "12");
    // Saved now, it is a version 2 file whose run records its parameters.
    TempDir dir;
    session::write_scenario(dir.file("m.scenario.json"), session::to_scenario(s));
    const auto j = nlohmann::json::parse(mp::test::read_text(dir.file("m.scenario.json")));
    CHECK(j["version"] == 2);
    CHECK(j["runs"][0]["plugin"] == "transit-routes");
    CHECK(j["runs"][0]["params_from_form"] == true);
    CHECK(j["runs"][0]["layers"][1]["name"] == "routes #ff7f0e");
    CHECK(j["forms"]["transit-routes"]["to"] == "leopoldsburg-rail-terminal");
}

TEST_CASE("scenario: a v1 form's text lists become the items the old GUI passed", "[session][migration]") {
    plugin::ParamDef via;
    via.key = "via";
    via.type = plugin::ParamType::List;
    plugin::ParamDef sites = via;
    sites.key = "sites";
    sites.item_type = plugin::ParamType::Site;
    const auto p = session::params_from_form(
        {via, sites}, {{"via", "port-antwerp; 4.35,50.85"}, {"sites", "a, b; c"}, {"avoid", ""}, {"n", "3"}});
    CHECK(p["via"] == nlohmann::json::array({"port-antwerp", "4.35,50.85"}));
    CHECK(p["sites"] == nlohmann::json::array({"a", "b", "c"}));
    CHECK_FALSE(p.contains("avoid"));
    CHECK(p["n"] == "3");
}

TEST_CASE("scenario: a newer version and malformed files are refused with the file and the fault",
          "[session][scenario][errors]") {
    TempDir dir;
    auto error_of = [&](const std::string& text) -> std::string {
        const std::string path = dir.file("bad.scenario.json");
        mp::test::write_text(path, text);
        try {
            session::read_scenario(path);
        } catch (const InputError& e) {
            CHECK(e.where() == path);
            return e.problem();
        }
        FAIL("accepted: " << text);
        return {};
    };
    CHECK(error_of(R"({"format": "enablement-scenario", "version": 3})") ==
          "scenario file is version 3; this program reads versions 1 to 2 (a newer enablement wrote it: open it "
          "with that one or update)");
    CHECK(error_of("{\"format\": \"enablement-scenario\", ").find("not a scenario file (malformed JSON: parse error") ==
          0);
    CHECK(error_of("[1, 2]").find("not a scenario file (expected a JSON object") == 0);
    CHECK(error_of(R"({"format": "enablement-results", "version": 1})").find("not an enablement scenario file") == 0);
    CHECK(error_of(R"({"format": "enablement-scenario", "version": "2"})").find("version: expected") == 0);
    CHECK(error_of(
              R"({"format": "enablement-scenario", "version": 2, "layers": [{"name": "roads", "stroke": "red"}]})") ==
          "layers[0].stroke: expected a colour [r, g, b] or [r, g, b, a] with components in [0, 1], got text \"red\"");
    CHECK(error_of(R"({"format": "enablement-scenario", "version": 2, "view": {"center_lat": 123}})") ==
          "view.center_lat: expected a number in [-90, 90], got 123");
    CHECK(error_of(R"({"format": "enablement-scenario", "version": 2, "sources": ["a", 7]})") ==
          "sources[1]: expected text, got 7");
    CHECK(error_of(R"({"format": "enablement-scenario", "version": 2, "runs": [{"id": 1, "plugin": "x"},
        {"id": 1, "plugin": "y"}]})") == "runs[1].id: run id 1 is used twice");
    CHECK(error_of(R"({"format": "enablement-scenario", "version": 2, "forms": {"echo": 3}})") ==
          "forms.echo: expected an object {...}, got 3");
    CHECK(error_of(R"({"format": "enablement-scenario", "version": 2, "sources": )" + std::string(10000, '[')) ==
          "JSON nested deeper than 64 levels");
    CHECK_THROWS_WITH(session::read_scenario(dir.file("missing.json")), Catch::Contains("file does not exist"));
    CHECK_THROWS_WITH(session::read_scenario(dir.path().string()), Catch::Contains("not a regular file"));
}

TEST_CASE("scenario: a bad results file loses the results only, and says so", "[session][scenario][errors]") {
    TempDir dir;
    const std::string path = dir.file("r.scenario.json");
    session::State s = base_state();
    session::add_run(s, "echo", {{"count", 3}}, std::make_shared<const plugin::RunResult>(route_result()));
    session::write_scenario(path, session::to_scenario(s));
    // A raster that claims more cells than it has (a hostile file must not reach the map).
    auto j = nlohmann::json::parse(mp::test::read_text(dir.file("r.scenario.results.json")));
    j["runs"][0]["result"]["rasters"][0]["width"] = 1000000;
    mp::test::write_text(dir.file("r.scenario.results.json"), j.dump());
    const auto sc = session::read_scenario(path);
    REQUIRE(sc.runs.size() == 1);
    CHECK_FALSE(sc.runs[0].result);
    CHECK(sc.runs[0].params["count"] == 3);
    std::string notes;
    for (const auto& n : sc.notes) notes += n.text + "\n";
    INFO(notes);
    CHECK(notes.find("plugin results not restored: runs[0].result") != std::string::npos);
    CHECK(notes.find("raster 'grid'") != std::string::npos);
    CHECK(notes.find("r.scenario.results.json") != std::string::npos);
    // Loaded, the run is kept (to be run again) but has no layers on the map.
    session::LoadOptions opts;
    opts.no_default_data = true;
    const auto loaded = session::load(sc, opts);
    REQUIRE(loaded.state.runs.size() == 1);
    CHECK_FALSE(loaded.state.runs[0].result);
    // A results_file that points elsewhere is not followed.
    auto sj = nlohmann::json::parse(mp::test::read_text(path));
    sj["results_file"] = "../../etc/passwd";
    mp::test::write_text(path, sj.dump());
    const auto sc2 = session::read_scenario(path);
    CHECK_FALSE(sc2.runs[0].result);
    CHECK(sc2.notes.back().text.find("must be a file name beside the scenario") != std::string::npos);
}

TEST_CASE("scenario: mangled files are refused with InputError, never a crash", "[session][scenario][errors]") {
    session::State s = base_state();
    session::add_run(s, "echo", {{"count", 3}, {"sites", {"a", "b"}}},
                     std::make_shared<const plugin::RunResult>(route_result()));
    s.view.placed = true;
    const std::string good = session::scenario_json(session::to_scenario(s), "x.results.json");
    REQUIRE_NOTHROW(session::parse_scenario(good, "good"));
    // Every value of the file replaced by one of each other JSON type.
    const auto doc = nlohmann::json::parse(good);
    const std::vector<nlohmann::json> others{
        nullptr, true, -1, 1e300, "x", nlohmann::json::array(), nlohmann::json::object()};
    std::size_t tried = 0;
    const auto flat = doc.flatten();
    for (const auto& [pointer, value] : flat.items())
        for (const auto& other : others) {
            auto f = doc;
            f[nlohmann::json::json_pointer(pointer)] = other;
            const std::string text = f.dump();
            ++tried;
            try {
                session::parse_scenario(text, "mangled");
            } catch (const InputError& e) {
                CHECK(e.where() == "mangled");
            }
        }
    CHECK(tried > 100);
    // And random bytes flipped, cut or inserted.
    std::mt19937 rng(9);
    for (int i = 0; i < 3000; ++i) {
        std::string text = good;
        const std::size_t at = rng() % text.size();
        switch (i % 3) {
            case 0: text[at] = static_cast<char>(rng() % 256); break;
            case 1: text.resize(at); break;
            default: text.insert(at, 1, "[]{}\",:0e-\\"[rng() % 11]); break;
        }
        try {
            session::parse_scenario(text, "random");
        } catch (const InputError&) {
        }
    }
}

TEST_CASE("scenario: no password is ever written, the rest of the source is kept", "[session][scenario][secrets]") {
    CHECK(io::strip_secrets("PG:dbname=gis host=db password=s3cret user=me") == "PG:dbname=gis host=db user=me");
    CHECK(io::strip_secrets("PG:password = 'two words' dbname=gis") == "PG:dbname=gis");
    CHECK(io::strip_secrets("PG:\"dbname='gis' password='it\\'s' port=5432\"") == "PG:\"dbname='gis' port=5432\"");
    CHECK(io::strip_secrets("postgresql://me:s3cret@db.example/gis") == "postgresql://me@db.example/gis");
    CHECK(io::strip_secrets("postgresql://db/gis?user=me&password=s3cret&sslmode=require") ==
          "postgresql://db/gis?user=me&sslmode=require");
    CHECK(io::strip_secrets("MySQL:gis,user=me,password=s3cret,port=3306") == "MySQL:gis,user=me,port=3306");
    CHECK(io::strip_secrets("roads.gpkg") == "roads.gpkg");
    CHECK(io::redact_secrets("PG:dbname=gis password = s3cret") == "PG:dbname=gis password = ***");
    CHECK(io::redact_secrets("postgresql://me:s3cret@db/gis") == "postgresql://me:***@db/gis");

    TempDir dir;
    session::State s = base_state();
    s.sources.push_back("PG:dbname=gis host=db password=s3cret");
    s.sources.push_back("postgresql://me:hunter2@db/gis");
    s.layers.front().source = "PG:dbname=gis password = 'pass word'";
    s.plugin_params = {{"echo", {{"title", "PG:dbname=x password=p4ss"}}}};
    session::add_run(s, "echo", {{"layer_source", "PG:password=r0ute dbname=x"}},
                     std::make_shared<const plugin::RunResult>(route_result()));
    const std::string path = dir.file("s.scenario.json");
    session::write_scenario(path, session::to_scenario(s));
    const std::string text = mp::test::read_text(path) + mp::test::read_text(dir.file("s.scenario.results.json"));
    for (const char* secret : {"s3cret", "hunter2", "pass word", "p4ss", "r0ute", "password"}) {
        INFO(secret);
        CHECK(text.find(secret) == std::string::npos);
    }
    CHECK(text.find("PG:dbname=gis host=db") != std::string::npos);
    CHECK(text.find("postgresql://me@db/gis") != std::string::npos);
}

TEST_CASE("secrets: every libpq form of a password is masked and stripped", "[session][scenario][secrets]") {
    // libpq's environment variable, as a message or a shell line may quote it.
    CHECK(io::redact_secrets("set PGPASSWORD=s3cret first") == "set PGPASSWORD=*** first");
    CHECK(io::strip_secrets("PGPASSWORD=s3cret psql") == "psql");
    CHECK(io::redact_secrets("pgpassword = s3cret") == "pgpassword = ***");
    // libpq percent-decodes URI query keys: "pass%77ord" is "password".
    CHECK(io::redact_secrets("postgres:///gis?user=me&pass%77ord=s3cret") == "postgres:///gis?user=me&pass%77ord=***");
    CHECK(io::strip_secrets("PG:postgres:///gis?pass%77ord=s3cret&user=me") == "PG:postgres:///gis?user=me");
    // A socket folder as a percent-encoded host, GDAL's PG: prefix, a password with '='.
    CHECK(io::strip_secrets("PG:postgresql://me:s3cret@%2Ftmp%2Fsock/gis") == "PG:postgresql://me@%2Ftmp%2Fsock/gis");
    CHECK(io::redact_secrets("PG:postgresql:///gis?host=%2Ftmp&password=a=b&user=me") ==
          "PG:postgresql:///gis?host=%2Ftmp&password=***&user=me");
    CHECK(io::strip_secrets("PG:postgresql:///gis?host=%2Ftmp&password=a=b&user=me") ==
          "PG:postgresql:///gis?host=%2Ftmp&user=me");
    // Quoted with an escaped quote and spaces, in a GDAL message that quotes the source.
    CHECK(io::redact_secrets("'PG:dbname=x password='a b\\'c' user=u' not recognized") ==
          "'PG:dbname=x password=*** user=u' not recognized");
    // Masking twice (a message that quotes an already masked source) changes nothing.
    CHECK(io::redact_secrets("failed (PG:dbname=x password=***)") == "failed (PG:dbname=x password=***)");
    // Not a password: a word in a sentence, a field named like one.
    CHECK(io::redact_secrets("the password was wrong") == "the password was wrong");
    CHECK(io::redact_secrets("mypassword=x") == "mypassword=x");
}

TEST_CASE("scenario: writes are atomic, refuse what is not a regular file, and skip what did not change",
          "[session][scenario]") {
    TempDir dir;
    std::filesystem::create_directory(dir.file("taken.scenario.json"));
    session::State s = base_state();
    CHECK_THROWS_WITH(session::write_scenario(dir.file("taken.scenario.json"), session::to_scenario(s)),
                      Catch::Contains("is a folder"));
    CHECK(std::filesystem::is_directory(dir.file("taken.scenario.json")));

    const std::string path = dir.file("w.scenario.json");
    session::add_run(s, "echo", {}, std::make_shared<const plugin::RunResult>(route_result()));
    session::ScenarioWriter writer;
    CHECK(writer.write(path, s, false));
    auto inode = [](const std::string& p) {
        struct stat st {};
        REQUIRE(::stat(p.c_str(), &st) == 0);
        return st.st_ino;
    };
    const auto results_inode = inode(dir.file("w.scenario.results.json"));
    CHECK_FALSE(writer.write(path, s, false));  // nothing changed: nothing written
    s.layers.front().visible = false;           // a style change: the scenario only
    CHECK(writer.write(path, s, false));
    CHECK(inode(dir.file("w.scenario.results.json")) == results_inode);
    s.runs.clear();  // no runs left: the stale results file goes
    CHECK(writer.write(path, s, false));
    CHECK_FALSE(std::filesystem::exists(dir.file("w.scenario.results.json")));
    // No temporary file is left behind.
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) files += e.is_regular_file();
    CHECK(files == 1);
}
