// SPDX-License-Identifier: MIT
// The map renderer's pure parts: view transform, simplification, triangulation, label
// placement and picking (no display needed).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>

#include "map/forms.hpp"
#include "map/labels.hpp"
#include "map/prepare.hpp"
#include "map/view.hpp"
#include "mp/core/error.hpp"
#include "mp/data/default_data.hpp"
#include "mp/geo/crs.hpp"
#include "mp/plugin.hpp"
#include "test_support.hpp"

using namespace mp::gui::map;

TEST_CASE("view transform maps display units to canvas pixels and back", "[gui][view]") {
    ViewTransform v;
    v.center_x = 500000;
    v.center_y = 6600000;
    v.units_per_pixel = 100;
    v.width_px = 800;
    v.height_px = 600;
    auto c = v.to_pixel(500000, 6600000);
    CHECK(c[0] == Approx(400));
    CHECK(c[1] == Approx(300));
    auto ne = v.to_pixel(500000 + 100 * 10, 6600000 + 100 * 20);  // east is right, north is up
    CHECK(ne[0] == Approx(410));
    CHECK(ne[1] == Approx(280));
    auto back = v.to_display(ne[0], ne[1]);
    CHECK(back[0] == Approx(501000));
    CHECK(back[1] == Approx(6602000));
}

TEST_CASE("zoom keeps the point under the cursor fixed", "[gui][view]") {
    ViewTransform v;
    v.center_x = 0;
    v.center_y = 0;
    v.units_per_pixel = 50;
    v.width_px = 640;
    v.height_px = 480;
    const auto before = v.to_display(100, 70);
    v.zoom_about(100, 70, 2.0);
    CHECK(v.units_per_pixel == Approx(25));
    const auto after = v.to_display(100, 70);
    CHECK(after[0] == Approx(before[0]));
    CHECK(after[1] == Approx(before[1]));
    v.pan_pixels(10, 0);  // dragging right moves the content right: the centre goes west
    CHECK(v.center_x < 0);
}

TEST_CASE("fit shows the whole extent", "[gui][view]") {
    ViewTransform v;
    v.width_px = 400;
    v.height_px = 200;
    Extent e;
    e.add(0, 0);
    e.add(10000, 1000);
    v.fit(e, 0);
    auto a = v.to_pixel(0, 0), b = v.to_pixel(10000, 1000);
    CHECK(a[0] >= -1e-6);
    CHECK(b[0] <= 400 + 1e-6);
    CHECK(b[1] >= -1e-6);
    CHECK(a[1] <= 200 + 1e-6);
}

TEST_CASE("Douglas-Peucker drops only points within the tolerance", "[gui][lod]") {
    std::vector<XY> path{{0, 0}, {1, 0.1}, {2, -0.1}, {3, 5}, {4, 0}};
    auto s = simplify(path, 0.5);
    REQUIRE(s.size() == 4);
    CHECK(s.front().x == 0);
    CHECK(s.back().x == 4);
    CHECK(simplify(path, 0).size() == path.size());
    CHECK(simplify(path, 100).size() == 2);
}

TEST_CASE("triangulation covers a polygon with a hole exactly", "[gui][fill]") {
    std::vector<std::vector<XY>> rings{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}},
                                       {{2, 2}, {2, 4}, {4, 4}, {4, 2}, {2, 2}}};
    auto tris = triangulate(rings);
    REQUIRE(tris.size() % 3 == 0);
    double area = 0;
    for (std::size_t i = 0; i < tris.size(); i += 3) {
        const auto& a = tris[i];
        const auto& b = tris[i + 1];
        const auto& c = tris[i + 2];
        area += std::abs((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y)) / 2;
    }
    CHECK(area == Approx(100 - 4));
}

TEST_CASE("placed labels never overlap each other or symbols", "[gui][labels]") {
    std::vector<LabelRequest> req;
    for (int i = 0; i < 60; ++i) req.push_back({100.0 + (i % 8) * 30, 100.0 + (i / 8) * 20, 60, 14, 10, i % 3});
    auto placed = place_labels(req, 600, 400);
    REQUIRE(placed.size() == req.size());
    int n = 0;
    for (std::size_t i = 0; i < placed.size(); ++i) {
        if (!placed[i].placed) continue;
        ++n;
        const auto& a = placed[i];
        CHECK(a.x >= 0);
        CHECK(a.y >= 0);
        CHECK(a.x + req[i].width <= 600);
        for (std::size_t j = i + 1; j < placed.size(); ++j) {
            if (!placed[j].placed) continue;
            const auto& b = placed[j];
            const bool overlap = a.x < b.x + req[j].width && b.x < a.x + req[i].width && a.y < b.y + req[j].height &&
                                 b.y < a.y + req[i].height;
            CHECK_FALSE(overlap);
        }
    }
    CHECK(n > 5);
    // A lone label is always placed (right of its symbol).
    auto one = place_labels({{50, 50, 40, 12, 10, 0}}, 200, 200);
    CHECK(one[0].placed);
    CHECK(one[0].x > 50);
}

TEST_CASE("prepared layers keep coarser levels smaller and pick features", "[gui][lod]") {
    mp::layer::Layer l;
    l.name = "wiggle";
    mp::layer::Feature f;
    f.id = "w";
    mp::geo::LineString line;
    for (int i = 0; i <= 2000; ++i) line.push_back(mp::geo::lonlat(3.0 + i * 0.001, 50.5 + 0.01 * std::sin(i * 0.3)));
    f.geometry = line;
    l.features.push_back(f);
    mp::layer::Feature site;
    site.id = "p";
    site.geometry = mp::geo::lonlat(4.4, 51.2);
    site.attributes.set("kind", std::string("port"));
    l.features.push_back(site);
    mp::geo::Transformer t(mp::geo::kWgs84, mp::geo::kWebMercator);
    auto p = prepare_layer(l, t);
    REQUIRE(p.levels.size() >= 2);
    CHECK(p.levels.front().line_vertices() > p.levels.back().line_vertices());
    CHECK(&p.level_for(0.1) == &p.levels.front());
    CHECK(&p.level_for(1e5) == &p.levels.back());
    REQUIRE(p.symbols.size() == 3);
    CHECK(p.symbols[2] == static_cast<float>(Symbol::Port));
    double x = 4.4, y = 51.2;
    t.forward(x, y);
    CHECK(pick_feature(p, {x + 10, y}, 50) == 1);
    CHECK(pick_feature(p, {x + 5000, y + 5000}, 50) == -1);
}

TEST_CASE("labels keep clear of obstacles such as the scale bar", "[gui][labels]") {
    // A label that would go right of its symbol moves when an obstacle is there.
    auto free = place_labels({{100, 50, 40, 12, 10, 0}}, 300, 200);
    REQUIRE(free[0].placed);
    CHECK(free[0].x > 100);
    auto blocked = place_labels({{100, 50, 40, 12, 10, 0}}, 300, 200, {{105, 0, 300, 200}});
    REQUIRE(blocked[0].placed);
    CHECK(blocked[0].x + 40 <= 105);
    // Thousands of requests are placed quickly and still never overlap.
    std::vector<LabelRequest> req;
    for (int i = 0; i < 3000; ++i) req.push_back({(i * 37) % 1000 + 0.5, (i * 91) % 700 + 0.5, 50, 12, 1, i % 2});
    auto placed = place_labels(req, 1000, 700);
    std::vector<std::size_t> on;
    for (std::size_t i = 0; i < placed.size(); ++i)
        if (placed[i].placed) on.push_back(i);
    CHECK(on.size() > 50);
    for (std::size_t a = 0; a < on.size(); ++a)
        for (std::size_t b = a + 1; b < on.size(); ++b) {
            const auto &p = placed[on[a]], &q = placed[on[b]];
            const bool overlap = p.x < q.x + 50 && q.x < p.x + 50 && p.y < q.y + 12 && q.y < p.y + 12;
            if (overlap) FAIL("labels " << on[a] << " and " << on[b] << " overlap");
        }
}

TEST_CASE("features below the tolerance vanish from coarse levels", "[gui][lod]") {
    mp::layer::Layer l;
    // 2000 ways of ~10 m each plus one long line.
    for (int i = 0; i < 2000; ++i) {
        mp::layer::Feature f;
        const double lon = 4.0 + (i % 50) * 0.01, lat = 50.5 + (i / 50) * 0.01;
        f.geometry = mp::geo::LineString{mp::geo::lonlat(lon, lat), mp::geo::lonlat(lon + 0.0001, lat)};
        l.features.push_back(f);
    }
    mp::layer::Feature long_line;
    long_line.geometry = mp::geo::LineString{mp::geo::lonlat(3.0, 50.0), mp::geo::lonlat(6.0, 51.0)};
    l.features.push_back(long_line);
    mp::geo::Transformer t(mp::geo::kWgs84, mp::geo::kWebMercator);
    const auto p = prepare_layer(l, t);
    CHECK(p.levels.front().line_vertices() > 4000);
    // At 100 m per pixel, only the long line is left (2 points plus separators).
    CHECK(p.level_for(100).line_vertices() < 10);
}

namespace {

using mp::plugin::ParamDef;
using mp::plugin::ParamType;
using nlohmann::json;

// The parameter table of tests/plugins/records_plugin.cpp, through the same SDK helpers
// and the host's schema reader (so host-provided choices are resolved).
std::vector<ParamDef> records_schema() {
    static const MpParamDef fields[] = {
        mp::sdk::host_enum_param("type", "Type", "air-defence-systems", nullptr, 1),
        mp::sdk::place_param("at", "At", nullptr, 1),
        mp::sdk::number_param("mast_m", "Mast", "m", "10", 0, 100),
        mp::sdk::number_param("range_km", "Range", "km", nullptr, 0.1, 1000),
    };
    static const MpParamDef params[] = {
        mp::sdk::place_param("at", "Defended point", nullptr, 1),
        mp::sdk::record_list_param("systems", "Systems", fields, 4, 0),
        mp::sdk::host_enum_param("vehicle", "Vehicle", "vehicle-presets"),
        mp::sdk::file_param("notes", "Notes", MP_FILE_IN, "*.txt"),
        mp::sdk::file_param("report", "Report", MP_FILE_OUT, "*.csv"),
        mp::sdk::raster_param("dem", "Terrain"),
    };
    return mp::plugin::schema_from_c(params, 6);
}

// The parameter table of tests/plugins/abi_1_0/legacy_plugin.c (ABI 1.0 types only).
std::vector<ParamDef> legacy_schema() {
    static const char* const shapes[] = {"point", "line", nullptr};
    static const MpParamDef params[] = {
        mp::sdk::param("site", "Site", MP_PARAM_SITE, nullptr, 1, "Site to mark"),
        mp::sdk::number_param("radius_km", "Radius", "km", "10", 1, 200, "Radius of interest"),
        [] {
            MpParamDef p = mp::sdk::param("shape", "Shape", MP_PARAM_ENUM, "line", 0, "What to draw");
            p.choices = shapes;
            return p;
        }(),
        [] {
            MpParamDef p = mp::sdk::param("count", "Count", MP_PARAM_INTEGER, "3", 0, "Rows of the table");
            p.has_min = p.has_max = 1, p.min = 1, p.max = 50;
            return p;
        }(),
        mp::sdk::param("to", "To", MP_PARAM_COORDINATE, "4.40,51.22", 0, "Other end of the line"),
        [] {
            MpParamDef p = mp::sdk::param("others", "Other sites", MP_PARAM_LIST, nullptr, 0, "More sites");
            p.item_type = MP_PARAM_SITE;
            p.has_min = p.has_max = 1, p.min = 1, p.max = 10;
            return p;
        }(),
        mp::sdk::param("title", "Title", MP_PARAM_STRING, "legacy", 0, "A label"),
    };
    return mp::plugin::schema_from_c(params, 7);
}

const ParamDef& param(const std::vector<ParamDef>& schema, const std::string& key) {
    for (const auto& d : schema)
        if (d.key == key) return d;
    FAIL("no parameter " << key);
    throw;
}

const mp::data::Workspace& workspace() {
    static const mp::data::Workspace ws = mp::data::load_workspace(true, {});
    return ws;
}

// Whether the host accepts what the form sends.
std::string host_refusal(const std::vector<ParamDef>& schema, const json& form) {
    try {
        mp::plugin::validate_params(schema, host_params(schema, form), &workspace());
        return "";
    } catch (const mp::Error& e) {
        return e.what();
    }
}

}  // namespace

TEST_CASE("picks follow the value's type alone, never its description", "[gui][forms]") {
    CHECK(pick_kind(ParamType::Site) == PickKind::Site);
    CHECK(pick_kind(ParamType::Coordinate) == PickKind::Location);
    CHECK(pick_kind(ParamType::Place) == PickKind::SiteOrLocation);
    for (auto t : {ParamType::String, ParamType::Number, ParamType::Enum, ParamType::Layer, ParamType::File,
                   ParamType::Raster, ParamType::Record, ParamType::List})
        CHECK(pick_kind(t) == PickKind::None);
    // A text parameter whose description speaks of sites and lon,lat is still text.
    ParamDef from;
    from.key = "from";
    from.description = "Origin: a site id or name, or lon,lat; TYPE@SITE items";
    from.type = ParamType::String;
    CHECK(pick_kind(value_type(from)) == PickKind::None);
    ParamDef via = from;
    via.type = ParamType::List;
    via.item_type = ParamType::Place;
    CHECK(value_type(via) == ParamType::Place);
    CHECK(pick_kind(value_type(via)) == PickKind::SiteOrLocation);
    // What a click puts: a place takes the site under the click, else the point.
    CHECK(pick_text(PickKind::SiteOrLocation, "port-antwerp", 4.4, 51.2) == "port-antwerp");
    CHECK(pick_text(PickKind::SiteOrLocation, "", 4.4, 51.25) == "4.400000,51.250000");
    CHECK(pick_text(PickKind::Location, "port-antwerp", 4.4, 51.25) == "4.400000,51.250000");
    CHECK(pick_text(PickKind::Site, "", 4.4, 51.25).empty());
    CHECK(pick_text(PickKind::Site, "port-ostend", 4.4, 51.25) == "port-ostend");
}

TEST_CASE("list text from --param or a version-1 scenario splits on semicolons", "[gui][forms]") {
    CHECK(list_items_from_text("port-antwerp; 4.35,50.85", ParamType::String) ==
          json::array({"port-antwerp", "4.35,50.85"}));
    CHECK(list_items_from_text("a, b,c", ParamType::Site) == json::array({"a", "b", "c"}));
    CHECK(list_items_from_text("4.1,50.1;4.2,50.2 ; ", ParamType::Coordinate) == json::array({"4.1,50.1", "4.2,50.2"}));
    CHECK(list_items_from_text("Port d'Anvers, quai; 4.1,50.1", ParamType::Place) ==
          json::array({"Port d'Anvers, quai", "4.1,50.1"}));
    CHECK(list_items_from_text("", ParamType::String).empty());
    CHECK(is_lonlat_text("4.35, 50.85"));
    CHECK_FALSE(is_lonlat_text("port-antwerp"));
    CHECK_FALSE(is_lonlat_text("1,2,3"));
}

TEST_CASE("form values go to the host as the CLI's JSON would", "[gui][forms]") {
    const auto schema = records_schema();
    const auto& systems = param(schema, "systems");
    REQUIRE(systems.item_type == ParamType::Record);
    REQUIRE(param(schema, "vehicle").choices.size() >= 3);  // resolved from the host table
    // A record list given as -p systems='[...]' becomes rows of field texts.
    const json rows = form_value(systems, R"([{"type": "shorad", "at": "4.35,50.85", "mast_m": 12}])");
    CHECK(rows == json::array({{{"type", "shorad"}, {"at", "4.35,50.85"}, {"mast_m", "12"}, {"range_km", ""}}}));
    CHECK(form_value(systems, "not json").empty());
    CHECK(form_value(systems, R"({"type": "cuas", "at": "port-antwerp"})").size() == 1);
    // A validated place (as a results file holds it) shows as its site or label.
    CHECK(form_value(param(schema, "at"),
                     json{{"label", "port-antwerp"}, {"lon", 4.3}, {"lat", 51.3}, {"site", "port-antwerp"}}) ==
          "port-antwerp");

    json form = json::object();
    form["at"] = "port-antwerp";
    form["systems"] = rows;
    form["vehicle"] = "";
    form["notes"] = "";
    const json sent = host_params(schema, form);
    // Empty fields are left to the host's defaults; numbers are numbers.
    CHECK(sent == json{{"at", "port-antwerp"},
                       {"systems", json::array({{{"type", "shorad"}, {"at", "4.35,50.85"}, {"mast_m", 12.0}}})}});
    // Validated, the form's JSON and the CLI's text give the same parameters.
    const json cli = {{"at", "port-antwerp"}, {"systems", R"([{"type": "shorad", "at": "4.35,50.85", "mast_m": 12}])"}};
    const auto a = mp::plugin::validate_params(schema, sent, &workspace());
    const auto b = mp::plugin::validate_params(schema, cli, &workspace());
    CHECK(a == b);
    CHECK(a["systems"][0]["mast_m"] == 12.0);
    CHECK(a["systems"][0]["at"]["site"].is_null());
    // Scalars of a 1.0 schema: integers as integers, lists as arrays of item texts.
    const auto legacy = legacy_schema();
    json lf = {{"site", "port-antwerp"},
               {"count", "4"},
               {"radius_km", "2.5"},
               {"others", "port-ostend; port-ghent"},
               {"shape", ""}};
    const json ls = host_params(legacy, lf);
    CHECK(ls["count"] == 4);
    CHECK(ls["count"].is_number_integer());
    CHECK(ls["radius_km"] == 2.5);
    CHECK(ls["others"] == json::array({"port-ostend", "port-ghent"}));
    CHECK_FALSE(ls.contains("shape"));
    CHECK(host_refusal(legacy, lf).empty());
    // Keys the plugin does not know still go, so that the host names them.
    lf["colour"] = "red";
    CHECK(host_params(legacy, lf)["colour"] == "red");
    CHECK(host_refusal(legacy, lf).find("colour") != std::string::npos);
}

TEST_CASE("the form flags exactly what the host refuses", "[gui][forms]") {
    const auto records = records_schema();
    const auto legacy = legacy_schema();
    std::vector<std::string> layers{"roads", "rail", "sites"};
    const FormContext ctx{&workspace().catalogue, &layers};
    mp::test::TempDir tmp;
    mp::test::write_text(tmp.file("notes.txt"), "x");
    auto row = [](std::string type, std::string at, std::string mast = "", std::string range = "") {
        return json{{"type", type}, {"at", at}, {"mast_m", mast}, {"range_km", range}};
    };
    struct Case {
        const std::vector<ParamDef>* schema;
        json form;
        std::vector<std::string> paths;  // the problems' paths, in schema order
    };
    const std::vector<Case> cases{
        {&records, json::object(), {"at"}},
        {&records, {{"at", "port-antwerp"}}, {}},
        {&records, {{"at", "Haven van Antwerpen"}}, {}},
        {&records, {{"at", "4.4,51.2"}}, {}},
        {&records, {{"at", "51.2,400"}}, {"at"}},
        {&records, {{"at", "nowhere-at-all"}}, {"at"}},
        {&records, {{"at", "port-antwerp"}, {"systems", json::array({row("shorad", "port-ostend")})}}, {}},
        {&records, {{"at", "port-antwerp"}, {"systems", json::array({row("", "port-ostend")})}}, {"systems[0].type"}},
        {&records,
         {{"at", "port-antwerp"}, {"systems", json::array({row("cuas", "4.3,51.1", "abc"), row("bogus", "")})}},
         {"systems[0].mast_m", "systems[1].type", "systems[1].at"}},
        {&records,
         {{"at", "port-antwerp"}, {"systems", json::array({row("cuas", "port-ghent", "100", "0.01")})}},
         {"systems[0].range_km"}},
        {&records, {{"at", "port-antwerp"}, {"vehicle", "no-such-preset"}}, {"vehicle"}},
        {&records, {{"at", "port-antwerp"}, {"notes", tmp.file("notes.txt")}}, {}},
        {&records, {{"at", "port-antwerp"}, {"notes", tmp.file("absent.txt")}}, {"notes"}},
        {&records, {{"at", "port-antwerp"}, {"report", tmp.file("out.csv")}}, {}},
        {&records, {{"at", "port-antwerp"}, {"report", tmp.file("no/such/dir/out.csv")}}, {"report"}},
        {&records, {{"at", "port-antwerp"}, {"dem", tmp.file("absent.tif")}}, {"dem"}},
        {&legacy, json::object(), {"site"}},
        {&legacy, {{"site", "port-antwerp"}}, {}},
        {&legacy, {{"site", "port-antwerp"}, {"radius_km", "500"}, {"count", "2.5"}}, {"radius_km", "count"}},
        {&legacy, {{"site", "port-antwerp"}, {"radius_km", "0.5"}}, {"radius_km"}},
        {&legacy, {{"site", "port-antwerp"}, {"shape", "circle"}}, {"shape"}},
        {&legacy,
         {{"site", "port-antwerp"}, {"others", json::array({"port-ostend", "", "nowhere-at-all"})}},
         {"others[2]"}},
        {&legacy,
         {{"site", "port-antwerp"},
          {"others",
           json::array({"port-ostend", "port-ostend", "port-ostend", "port-ostend", "port-ostend", "port-ostend",
                        "port-ostend", "port-ostend", "port-ostend", "port-ostend", "port-ostend"})}},
         {"others"}},
        {&legacy, {{"site", "port-antwerp"}, {"to", "4.4"}}, {"to"}},
    };
    for (const auto& c : cases) {
        INFO("form " << c.form.dump());
        std::vector<std::string> paths;
        for (const auto& p : form_problems(*c.schema, c.form, ctx)) {
            CHECK_FALSE(p.message.empty());
            paths.push_back(p.path);
        }
        CHECK(paths == c.paths);
        // Flagged if and only if the host would refuse it.
        CHECK(host_refusal(*c.schema, c.form).empty() == paths.empty());
    }
    // The messages are short and say what is wrong.
    const auto p =
        form_problems(records, {{"at", ""}, {"systems", json::array({row("cuas", "port-ghent", "100", "0.01")})}}, ctx);
    REQUIRE(p.size() == 2);
    CHECK(p[0].message == "required");
    CHECK(p[1].message == "below the minimum 0.1 km");
}

TEST_CASE("picks and edits land on the value, item or record cell they target", "[gui][forms]") {
    const auto schema = records_schema();
    const auto& systems = param(schema, "systems");
    json v = json::array({{{"type", "cuas"}}, {{"type", "shorad"}}});
    CHECK(put_form_text(systems, v, 1, "at", "port-ostend"));
    CHECK(v[1]["at"] == "port-ostend");
    CHECK(v[1]["type"] == "shorad");
    CHECK(v[0]["at"] == "");
    CHECK_FALSE(put_form_text(systems, v, 2, "at", "x"));
    CHECK_FALSE(put_form_text(systems, v, 0, "colour", "x"));
    CHECK_FALSE(put_form_text(systems, v, -1, "", "x"));
    const auto legacy = legacy_schema();
    json others = "port-ostend";
    CHECK(put_form_text(param(legacy, "others"), others, -1, "", "port-ghent"));
    CHECK(others == json::array({"port-ostend", "port-ghent"}));
    CHECK(put_form_text(param(legacy, "others"), others, 0, "", "port-antwerp"));
    CHECK(others == json::array({"port-antwerp", "port-ghent"}));
    json to = "";
    CHECK(put_form_text(param(legacy, "to"), to, -1, "", "4.5,51"));
    CHECK(to == "4.5,51");
    CHECK_FALSE(put_form_text(param(legacy, "to"), to, 0, "", "4.5,51"));
}

TEST_CASE("site search completes over ids and Dutch, French and English names", "[gui][forms]") {
    const auto& cat = workspace().catalogue;
    auto first = [&](const char* q) {
        const auto m = site_matches(cat, q, 8);
        return m.empty() ? std::string() : m.front()->id;
    };
    CHECK(first("port-antwerp") == "port-antwerp");
    CHECK(first("Haven van Antwerpen") == "port-antwerp");
    CHECK(first("port d'anvers") == "port-antwerp");
    CHECK(first("chievres") == "chievres-air-base");  // accent-insensitive
    // "Bourg-Léopold" is French for Leopoldsburg: every Leopoldsburg site comes up.
    std::vector<std::string> ids;
    for (const auto* s : site_matches(cat, "bourg-leo", 8)) ids.push_back(s->id);
    CHECK(std::count_if(ids.begin(), ids.end(), [](const std::string& id) { return id.find("leopoldsburg") == 0; }) >=
          3);
    CHECK(site_matches(cat, "port", 3).size() == 3);
    CHECK(site_matches(cat, "", 8).empty());
    CHECK(site_matches(cat, "zzzz-no-such", 8).empty());
    const auto* antwerp = cat.by_id("port-antwerp");
    REQUIRE(antwerp);
    CHECK(site_label(*antwerp).find("Haven van Antwerpen") != std::string::npos);
    CHECK(site_label(*antwerp).find("[port]") != std::string::npos);
}

TEST_CASE("the file browser lists folders first and filters by the parameter's file types", "[gui][forms]") {
    mp::test::TempDir tmp;
    std::filesystem::create_directory(tmp.path() / "tiles");
    std::filesystem::create_directory(tmp.path() / ".cache");
    for (const char* f : {"b.txt", "a.TIF", "dem.vrt", ".hidden.tif"}) mp::test::write_text(tmp.file(f), "x");
    const auto patterns = file_patterns("*.tif;*.vrt, *.hgt");
    CHECK(patterns == std::vector<std::string>{"*.tif", "*.vrt", "*.hgt"});
    CHECK(matches_patterns("DEM.TIF", patterns));
    CHECK_FALSE(matches_patterns("dem.tif.aux.xml", patterns));
    CHECK(matches_patterns("anything", {}));
    auto names = [](const FolderListing& l) {
        std::vector<std::string> out;
        for (const auto& e : l.entries) out.push_back((e.folder ? "/" : "") + e.name);
        return out;
    };
    const auto l = list_folder(tmp.path().string(), patterns, false);
    CHECK(l.error.empty());
    CHECK(names(l) == std::vector<std::string>{"/tiles", "a.TIF", "dem.vrt"});
    CHECK(names(list_folder(tmp.path().string(), patterns, true)) ==
          std::vector<std::string>{"/tiles", "a.TIF", "b.txt", "dem.vrt"});
    const auto missing = list_folder(tmp.file("absent"), patterns, false);
    CHECK(missing.entries.empty());
    CHECK(missing.error.find("absent") != std::string::npos);
}

TEST_CASE("ground scale includes the Web Mercator latitude factor", "[gui][scale]") {
    CHECK(ground_m_per_unit("EPSG:3857", 0) == Approx(1));
    CHECK(ground_m_per_unit("EPSG:3857", 60) == Approx(0.5));
    CHECK(ground_m_per_unit("EPSG:3857", 50.5) == Approx(std::cos(50.5 * M_PI / 180)));
    CHECK(ground_m_per_unit("EPSG:3812", 50.5) == Approx(1));
}

TEST_CASE("rasters become a normalised value grid on a reprojected mesh", "[gui][raster]") {
    // 4 x 2 cells of 0.5 degrees from (3, 51) down to (5, 50); 0 and nodata transparent.
    const std::array<double, 6> gt{3.0, 0.5, 0, 51.0, 0, -0.5};
    const std::vector<double> cells{0, 1, 2, 3, -1, 1, 1, 4};
    mp::geo::Transformer t(mp::geo::kWgs84, mp::geo::kWebMercator);
    const auto r = prepare_raster(4, 2, gt, cells, -1, t);
    REQUIRE(r.width == 4);
    REQUIRE(r.height == 2);
    CHECK(r.min_value == 1);
    CHECK(r.max_value == 4);
    CHECK(r.values[0] < 0);
    CHECK(r.values[4] < 0);
    CHECK(r.values[1] == Approx(0));
    CHECK(r.values[7] == Approx(1));
    CHECK(r.mesh.size() % 24 == 0);  // two triangles of (x, y, u, v) per quad
    double x0 = 3, y0 = 50, x1 = 5, y1 = 51;
    t.forward(x0, y0);
    t.forward(x1, y1);
    CHECK(r.extent.min_x == Approx(x0));
    CHECK(r.extent.max_y == Approx(y1));
    const auto c = raster_ramp(0);
    CHECK(c[3] == 1);
}

TEST_CASE("many symbols come in an evenly spread prefix order", "[gui][lod]") {
    mp::layer::Layer l;
    for (int i = 0; i < 70; ++i)
        for (int j = 0; j < 70; ++j) {
            mp::layer::Feature f;
            f.geometry = mp::geo::lonlat(4.0 + i * 0.001, 51.0 + j * 0.001);
            l.features.push_back(f);
        }
    mp::geo::Transformer t(mp::geo::kWgs84, mp::geo::kWebMercator);
    const auto p = prepare_layer(l, t);
    REQUIRE(p.symbols.size() == 3 * 4900);
    REQUIRE(p.symbol_feature.size() == 4900);
    // 1 + 4 + 16 symbols: one in every cell of a 4 x 4 grid over the layer.
    std::array<int, 16> cells{};
    for (std::size_t s = 0; s < 21; ++s) {
        const double x = p.symbols[3 * s] + p.origin_x - p.extent.min_x,
                     y = p.symbols[3 * s + 1] + p.origin_y - p.extent.min_y;
        const int cx = std::min(3, static_cast<int>(x / (p.extent.max_x - p.extent.min_x) * 4));
        const int cy = std::min(3, static_cast<int>(y / (p.extent.max_y - p.extent.min_y) * 4));
        ++cells[static_cast<std::size_t>(cy * 4 + cx)];
    }
    for (int c : cells) CHECK(c >= 1);
    // Every symbol is still there once, with its feature.
    std::vector<char> seen(4900, 0);
    for (auto f : p.symbol_feature) seen[f]++;
    CHECK(std::count(seen.begin(), seen.end(), 1) == 4900);
}
