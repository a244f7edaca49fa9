// SPDX-License-Identifier: MIT
// enablement-gui headless under xvfb-run: the picture it writes is checked pixel by
// pixel. Skips (exit 77) when xvfb-run is missing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <nlohmann/json.hpp>
#include <string>

#include "map/view.hpp"
#include "mp/data/default_data.hpp"
#include "mp/geo/crs.hpp"
#include "mp/io/ogr_io.hpp"
#include "png_support.hpp"
#include "test_support.hpp"

namespace {

void require_xvfb() {
    if (std::system("command -v xvfb-run >/dev/null 2>&1") != 0) {
        std::cout << "SKIPPED: xvfb-run is not installed (apt-get install xvfb xauth)\n";
        std::exit(77);
    }
}

/// Skips (exit 77) when the built-in transit-routes plugin has not been built.
void require_transit_routes_plugin() {
    const std::string plugin = std::string(MP_BINARY_DIR) + "/plugins/transit_routes.so";
    if (!std::filesystem::exists(plugin)) {
        std::cout << "SKIPPED: the transit-routes plugin is not built (" << plugin << ")\n";
        std::exit(77);
    }
}

/// Skips (exit 77) when the built-in protection-coverage plugin has not been built.
void require_protection_coverage_plugin() {
    const std::string plugin = std::string(MP_BINARY_DIR) + "/plugins/protection_coverage.so";
    if (!std::filesystem::exists(plugin)) {
        std::cout << "SKIPPED: the protection-coverage plugin is not built (" << plugin << ")\n";
        std::exit(77);
    }
}

/// Runs enablement-gui headless; returns its exit status.
int run_gui(const mp::test::TempDir& tmp, const std::string& args) {
    const std::string cmd = std::string("xvfb-run -a -s \"-screen 0 1280x800x24\" ") + MP_GUI_PATH +
                            " --frames 3 --size 1024x768 " + args + " >" + tmp.file("gui.log") + " 2>&1";
    const int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

using mp::test::Image;
using mp::test::load_png;
using mp::test::near;

// The symbol frame fill of shaders/map_symbol.frag (APP-6 friendly crystal blue).
constexpr std::array<int, 3> kSymbolFill{128, 224, 255};

struct Dump {
    nlohmann::json j;
    mp::gui::map::ViewTransform view;
    double canvas_x = 0, canvas_y = 0;
};

Dump load_dump(const std::string& path) {
    Dump d;
    d.j = nlohmann::json::parse(mp::test::read_text(path));
    const auto& v = d.j["view"];
    d.view.center_x = v["center_x"];
    d.view.center_y = v["center_y"];
    d.view.units_per_pixel = v["units_per_pixel"];
    d.view.width_px = v["width_px"];
    d.view.height_px = v["height_px"];
    d.canvas_x = d.j["canvas"]["x"];
    d.canvas_y = d.j["canvas"]["y"];
    return d;
}

// Checks that every point site inside the canvas has symbol pixels around the pixel its
// coordinates project to. Returns the number checked.
int check_sites(const Image& img, const Dump& d) {
    auto ws = mp::data::load_workspace(true, {});
    mp::geo::Transformer t(mp::geo::kWgs84, d.j["display_crs"].get<std::string>());
    int checked = 0, found = 0;
    for (const auto& s : ws.catalogue.sites()) {
        if (!std::holds_alternative<mp::geo::LonLat>(s.geometry)) continue;
        double x = mp::geo::lon(s.anchor()), y = mp::geo::lat(s.anchor());
        t.forward(x, y);
        const auto p = d.view.to_pixel(x, y);
        if (p[0] < 16 || p[1] < 16 || p[0] > d.view.width_px - 16 || p[1] > d.view.height_px - 16) continue;
        const int px = static_cast<int>(std::floor(d.canvas_x + p[0])),
                  py = static_cast<int>(std::floor(d.canvas_y + p[1]));
        ++checked;
        bool hit = false;
        for (int dy = -5; dy <= 5 && !hit; ++dy)
            for (int dx = -5; dx <= 5 && !hit; ++dx) hit = near(img.at(px + dx, py + dy), kSymbolFill, 24);
        if (hit) ++found;
        else UNSCOPED_INFO("no symbol at pixel " << px << "," << py << " for site " << s.id);
    }
    CHECK(found == checked);
    return checked;
}

}  // namespace

TEST_CASE("smoke: enablement-gui writes a non-blank screenshot headless", "[gui][smoke]") {
    require_xvfb();
    mp::test::TempDir tmp;
    const std::string png = tmp.file("shot.png");
    REQUIRE(run_gui(tmp, "--no-restore --screenshot " + png) == 0);
    const Image img = load_png(png);
    CHECK(img.w == 1024);
    CHECK(img.h == 768);
    // Not blank: many distinct colours across the picture.
    std::set<int> colours;
    for (int y = 0; y < img.h; y += 7)
        for (int x = 0; x < img.w; x += 7) {
            auto c = img.at(x, y);
            colours.insert((c[0] << 16) | (c[1] << 8) | c[2]);
        }
    CHECK(colours.size() > 50);
}

TEST_CASE("site symbols are drawn where their coordinates project (Web Mercator)", "[gui][render]") {
    require_xvfb();
    mp::test::TempDir tmp;
    REQUIRE(run_gui(tmp, "--no-restore --screenshot " + tmp.file("s.png") + " --dump-view " + tmp.file("v.json")) == 0);
    const Image img = load_png(tmp.file("s.png"));
    const Dump d = load_dump(tmp.file("v.json"));
    CHECK(d.j["display_crs"] == "EPSG:3857");
    CHECK(check_sites(img, d) >= 20);
    // And the canvas shows no symbol fill where there is no site: the sea corner.
    CHECK_FALSE(near(img.at(static_cast<int>(d.canvas_x) + 40, static_cast<int>(d.canvas_y) + 40), kSymbolFill, 24));
}

TEST_CASE("site symbols are drawn where their coordinates project (Lambert 2008)", "[gui][render]") {
    require_xvfb();
    mp::test::TempDir tmp;
    REQUIRE(run_gui(tmp, "--no-restore --crs EPSG:3812 --screenshot " + tmp.file("s.png") + " --dump-view " +
                             tmp.file("v.json")) == 0);
    const Image img = load_png(tmp.file("s.png"));
    const Dump d = load_dump(tmp.file("v.json"));
    CHECK(d.j["display_crs"] == "EPSG:3812");
    CHECK(check_sites(img, d) >= 20);
}

TEST_CASE("a scenario restores the view and layer styles and bad sources are reported, not fatal", "[gui][scenario]") {
    require_xvfb();
    mp::test::TempDir tmp;
    const std::string scenario = tmp.file("s.scenario.json");
    mp::test::write_text(scenario, R"({"format": "enablement-scenario", "version": 1, "default_data": true,
        "sources": ["/nonexistent/missing.geojson"], "display_crs": "EPSG:3857",
        "view": {"center_lon": 4.40, "center_lat": 51.22, "units_per_pixel": 40},
        "layers": [{"name": "roads", "visible": false, "stroke": [0, 0, 1, 1], "width_px": 4}]})");
    REQUIRE(run_gui(tmp, "--scenario " + scenario + " --screenshot " + tmp.file("s.png") + " --dump-view " +
                             tmp.file("v.json")) == 0);
    const Dump d = load_dump(tmp.file("v.json"));
    CHECK(d.view.units_per_pixel == Approx(40));
    double x = 4.40, y = 51.22;
    mp::geo::Transformer(mp::geo::kWgs84, mp::geo::kWebMercator).forward(x, y);
    CHECK(d.view.center_x == Approx(x).margin(1));
    CHECK(d.view.center_y == Approx(y).margin(1));
    bool roads_hidden = false;
    for (const auto& l : d.j["layers"])
        if (l["name"] == "roads") roads_hidden = !l["visible"].get<bool>() && l["width_px"].get<double>() == 4;
    CHECK(roads_hidden);
    CHECK(mp::test::read_text(tmp.file("gui.log")).find("missing.geojson") != std::string::npos);
}

TEST_CASE("a route from transit-routes is drawn in its colour", "[gui][render][plugins]") {
    require_xvfb();
    require_transit_routes_plugin();
    mp::test::TempDir tmp;
    const std::string params = " -p from=port-zeebrugge -p to=elsenborn-training-area";
    // The route's geometry, from the CLI (same core, same plugin).
    const std::string cli = std::string(MP_CLI_PATH) + " run transit-routes" + params + " --out " +
                            tmp.file("route.geojson") + " >" + tmp.file("cli.log") + " 2>&1";
    REQUIRE(std::system(cli.c_str()) == 0);
    REQUIRE(run_gui(tmp, "--no-restore --run transit-routes" + params + " --screenshot " + tmp.file("s.png") +
                             " --dump-view " + tmp.file("v.json")) == 0);
    const Image img = load_png(tmp.file("s.png"));
    const Dump d = load_dump(tmp.file("v.json"));
    // The route's colours as the map shows them (style hints of the plugin).
    std::vector<std::array<int, 3>> colours;
    for (const auto& l : d.j["layers"])
        if (l["name"].get<std::string>().rfind("routes", 0) == 0) {
            const auto& c = l["stroke"];
            colours.push_back({static_cast<int>(std::lround(c[0].get<double>() * 255)),
                               static_cast<int>(std::lround(c[1].get<double>() * 255)),
                               static_cast<int>(std::lround(c[2].get<double>() * 255))});
        }
    REQUIRE_FALSE(colours.empty());
    auto layers = mp::io::read_source(tmp.file("route.geojson"));
    REQUIRE_FALSE(layers.empty());
    mp::geo::Transformer t(mp::geo::kWgs84, d.j["display_crs"].get<std::string>());
    int checked = 0, hit = 0;
    for (const auto& f : layers.front().features) {
        const auto* line = std::get_if<mp::geo::LineString>(&f.geometry);
        if (!line || f.attributes.text("kind") != "route") continue;
        for (std::size_t i = 0; i < line->size(); i += std::max<std::size_t>(1, line->size() / 40)) {
            double x = mp::geo::lon((*line)[i]), y = mp::geo::lat((*line)[i]);
            t.forward(x, y);
            const auto p = d.view.to_pixel(x, y);
            if (p[0] < 40 || p[1] < 100 || p[0] > d.view.width_px - 40 || p[1] > d.view.height_px - 40) continue;
            const int px = static_cast<int>(d.canvas_x + p[0]), py = static_cast<int>(d.canvas_y + p[1]);
            ++checked;
            bool found = false;
            for (int dy = -3; dy <= 3 && !found; ++dy)
                for (int dx = -3; dx <= 3 && !found; ++dx)
                    for (const auto& c : colours) found = found || near(img.at(px + dx, py + dy), c, 12);
            hit += found;
        }
    }
    CHECK(checked >= 10);
    // Labels and symbols may cover a few vertices; the line itself must be there.
    CHECK(hit >= checked * 8 / 10);
}

TEST_CASE("a scenario keeps removed layers removed and puts unlisted layers in their natural place",
          "[gui][scenario]") {
    require_xvfb();
    mp::test::TempDir tmp;
    const std::string scenario = tmp.file("s.scenario.json");
    // belgium was removed; rail is not listed (new data): it must go under the sites,
    // not on top.
    mp::test::write_text(scenario, R"({"format": "enablement-scenario", "version": 1, "default_data": true,
        "removed_layers": ["belgium"],
        "layers": [{"name": "roads"}, {"name": "sites"}]})");
    REQUIRE(run_gui(tmp, "--scenario " + scenario + " --screenshot " + tmp.file("s.png") + " --dump-view " +
                             tmp.file("v.json")) == 0);
    const Dump d = load_dump(tmp.file("v.json"));
    std::vector<std::string> names;
    for (const auto& l : d.j["layers"]) names.push_back(l["name"]);
    CHECK(std::find(names.begin(), names.end(), "belgium") == names.end());
    REQUIRE(names.size() == 3);
    CHECK(names == std::vector<std::string>{"roads", "rail", "sites"});
}

TEST_CASE("plugin results are saved beside the scenario, restored, and never count as sites",
          "[gui][scenario][plugins]") {
    require_xvfb();
    require_transit_routes_plugin();
    mp::test::TempDir tmp;
    const auto sites = mp::data::load_workspace(true, {}).catalogue.sites().size();
    const std::string scenario = tmp.file("s.scenario.json");
    // via mixes a site and a coordinate: the GUI passes list items as a JSON array.
    const std::string params =
        " -p from=port-zeebrugge -p to=elsenborn-training-area -p \"via=port-antwerp; 4.35,50.85\"";
    REQUIRE(run_gui(tmp, "--no-restore --run transit-routes" + params + " --save-scenario " + scenario +
                             " --screenshot " + tmp.file("a.png") + " --dump-view " + tmp.file("a.json")) == 0);
    const Dump a = load_dump(tmp.file("a.json"));
    CHECK(a.j["runs"] == 1);
    CHECK(a.j["sites"] == sites);
    REQUIRE(std::filesystem::exists(tmp.file("s.scenario.results.json")));
    // Restored in a new session, then run again: still one site per catalogue site.
    REQUIRE(run_gui(tmp, "--scenario " + scenario + " --run transit-routes" + params + " --screenshot " +
                             tmp.file("b.png") + " --dump-view " + tmp.file("b.json")) == 0);
    const Dump b = load_dump(tmp.file("b.json"));
    CHECK(b.j["runs"] == 2);
    CHECK(b.j["sites"] == sites);
    int result_layers = 0;
    for (const auto& l : b.j["layers"]) result_layers += l["result"].get<bool>();
    int first_run_layers = 0;
    for (const auto& l : a.j["layers"]) first_run_layers += l["result"].get<bool>();
    CHECK(first_run_layers >= 1);
    CHECK(result_layers == 2 * first_run_layers);
    CHECK(mp::test::read_text(tmp.file("gui.log")).find("duplicate") == std::string::npos);
}

TEST_CASE("the map export holds the map canvas only", "[gui][export]") {
    require_xvfb();
    mp::test::TempDir tmp;
    REQUIRE(run_gui(tmp, "--no-restore --screenshot " + tmp.file("s.png") + " --export-map " + tmp.file("m.png") +
                             " --dump-view " + tmp.file("v.json")) == 0);
    const Image full = load_png(tmp.file("s.png"));
    const Image map = load_png(tmp.file("m.png"));
    const Dump d = load_dump(tmp.file("v.json"));
    CHECK(map.w == static_cast<int>(std::lround(d.j["canvas"]["width"].get<double>())));
    CHECK(map.h == static_cast<int>(std::lround(d.j["canvas"]["height"].get<double>())));
    CHECK(map.w < full.w);
    // Its top-left pixel is the map's (the sea), not a panel's.
    const auto c = map.at(2, 2);
    CHECK(near(c, full.at(static_cast<int>(d.canvas_x) + 2, static_cast<int>(d.canvas_y) + 2), 2));
    CHECK(near(c, {219, 232, 242}, 6));
}

namespace {

const std::string kGoodPlugins = std::string(MP_TEST_PLUGIN_DIR) + "/good";
const std::string kLegacyPlugins = std::string(MP_TEST_PLUGIN_DIR) + "/legacy";

/// Runs enablement-gui headless in a window of the given size; returns its exit status.
int run_gui_sized(const mp::test::TempDir& tmp, const std::string& size, const std::string& args) {
    const std::string cmd = std::string("xvfb-run -a -s \"-screen 0 1600x1000x24\" ") + MP_GUI_PATH +
                            " --frames 4 --size " + size + " " + args + " >" + tmp.file("gui.log") + " 2>&1";
    const int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/// The widgets one plugin's form drew (from --dump-view), by path, panel only.
std::map<std::string, nlohmann::json> form_widgets(const Dump& d, const std::string& plugin, bool in_window = false) {
    std::map<std::string, nlohmann::json> out;
    for (const auto& w : d.j["forms"]["widgets"])
        if (w["plugin"] == plugin && w["in_window"] == in_window) {
            const std::string kind = w["widget"];
            // Buttons beside a value share its path: keep them apart.
            const bool button = kind == "pick" || kind == "browse" || kind == "window-toggle" || kind == "add-row" ||
                                kind == "remove-row" || kind == "window";
            out[button ? w["path"].get<std::string>() + "#" + kind : w["path"].get<std::string>()] = w;
        }
    return out;
}

std::vector<std::string> problem_paths(const Dump& d, const std::string& plugin) {
    std::vector<std::string> out;
    for (const auto& p : d.j["forms"]["plugins"][plugin]["problems"]) out.push_back(p["path"]);
    return out;
}

// The right-hand panels start where the map canvas ends.
float panel_left(const Dump& d) { return static_cast<float>(d.canvas_x + d.j["canvas"]["width"].get<double>()); }

// Every widget of the form sits inside the panel (nothing cut off at its right edge).
void check_inside_panel(const Dump& d, const std::map<std::string, nlohmann::json>& widgets) {
    const float left = panel_left(d), right = d.j["window"][0].get<float>();
    for (const auto& [path, w] : widgets) {
        if (w["widget"] == "window") continue;
        const auto r = w["rect"];
        INFO(path << " at x " << r[0] << " width " << r[2]);
        CHECK(r[0].get<float>() >= left);
        // A record table scrolls sideways: its cells may lie beyond the panel, the table not.
        if (path.find('[') == std::string::npos) CHECK(r[0].get<float>() + r[2].get<float>() <= right + 0.5f);
    }
}

// The share of pixels of a widget's rectangle within tol of a colour.
double share_of(const Image& img, const nlohmann::json& rect, const std::array<int, 3>& colour, int tol) {
    const int x0 = static_cast<int>(rect[0].get<float>()), y0 = static_cast<int>(rect[1].get<float>());
    const int w = static_cast<int>(rect[2].get<float>()), h = static_cast<int>(rect[3].get<float>());
    int n = 0, hit = 0;
    for (int y = y0 + 2; y < y0 + h - 2; ++y)
        for (int x = x0 + 2; x < x0 + w - 2; ++x) {
            ++n;
            hit += near(img.at(x, y), colour, tol);
        }
    return n ? static_cast<double>(hit) / n : 0.0;
}

// The fill of a field with a problem (gui/app/param_form.cpp kBadFill).
constexpr std::array<int, 3> kProblemFill{255, 219, 219};

}  // namespace

TEST_CASE("the records plugin's form is built from its ABI 1.1 parameter types", "[gui][forms]") {
    require_xvfb();
    mp::test::TempDir tmp;
    REQUIRE(run_gui_sized(tmp, "1600x1000",
                          "--no-restore --plugin-dir " + kGoodPlugins + " --form records --screenshot " +
                              tmp.file("f.png") + " --dump-view " + tmp.file("v.json")) == 0);
    const Dump d = load_dump(tmp.file("v.json"));
    const auto w = form_widgets(d, "records");
    // One widget per parameter, chosen by its type.
    const std::map<std::string, std::string> kinds{{"at", "place"},        {"systems", "record-table"},
                                                   {"vehicle", "combo"},   {"notes", "file-in"},
                                                   {"report", "file-out"}, {"dem", "raster"}};
    for (const auto& [path, kind] : kinds) {
        INFO(path);
        REQUIRE(w.count(path));
        CHECK(w.at(path)["widget"] == kind);
    }
    CHECK(w.count("at#pick"));
    CHECK(w.count("notes#browse"));
    CHECK(w.count("dem#browse"));
    CHECK(w.count("systems#add-row"));
    // The required place is empty: flagged inline, and Run waits for it.
    CHECK(w.at("at")["problem"] == "required");
    CHECK(problem_paths(d, "records") == std::vector<std::string>{"at"});
    CHECK(d.j["forms"]["plugins"]["records"]["run_enabled"] == false);
    CHECK(w.at("at")["label"] == "Defended point");
    check_inside_panel(d, w);
    const Image img = load_png(tmp.file("f.png"));
    CHECK(share_of(img, w.at("at")["rect"], kProblemFill, 6) > 0.5);
    // A field without a problem is not highlighted.
    CHECK(share_of(img, w.at("notes")["rect"], kProblemFill, 6) < 0.05);
}

TEST_CASE("a record list from --param fills the table, typed cells flag what the host refuses", "[gui][forms]") {
    require_xvfb();
    mp::test::TempDir tmp;
    const std::string systems =
        R"('systems=[{"type": "shorad", "at": "port-ostend"}, {"type": "cuas", "at": "4.35,50.85", "range_km": 0.01}]')";
    REQUIRE(run_gui_sized(tmp, "1600x1000",
                          "--no-restore --plugin-dir " + kGoodPlugins + " --form records -p at=port-antwerp -p " +
                              systems + " --screenshot " + tmp.file("f.png") + " --dump-view " + tmp.file("v.json")) ==
            0);
    const Dump d = load_dump(tmp.file("v.json"));
    const auto w = form_widgets(d, "records");
    for (const char* p : {"systems[0].type", "systems[1].type"}) CHECK(w.at(p)["widget"] == "combo");
    for (const char* p : {"systems[0].at", "systems[1].at"}) CHECK(w.at(p)["widget"] == "place");
    for (const char* p : {"systems[0].mast_m", "systems[1].range_km"}) CHECK(w.at(p)["widget"] == "number");
    CHECK(w.count("systems[0].at#pick"));
    CHECK(w.count("systems[1]#remove-row"));
    CHECK(w.at("systems[1].range_km")["problem"] == "below the minimum 0.1 km");
    CHECK(problem_paths(d, "records") == std::vector<std::string>{"systems[1].range_km"});
    CHECK(d.j["forms"]["plugins"]["records"]["run_enabled"] == false);
    // What Run would send: the CLI's JSON, records as objects, numbers as numbers.
    const auto& values = d.j["forms"]["plugins"]["records"]["values"];
    CHECK(values["at"] == "port-antwerp");
    CHECK(values["systems"] == nlohmann::json::parse(R"([{"type": "shorad", "at": "port-ostend"},
                                    {"type": "cuas", "at": "4.35,50.85", "range_km": 0.01}])"));
    // The table's first cells are in the panel, under the table's header.
    CHECK(w.at("systems[0].type")["rect"][0].get<float>() >= panel_left(d));
    CHECK(w.at("systems[1].type")["rect"][1].get<float>() > w.at("systems[0].type")["rect"][1].get<float>());
}

TEST_CASE("the records plugin runs from the GUI with its record list", "[gui][forms][plugins]") {
    require_xvfb();
    mp::test::TempDir tmp;
    const std::string systems =
        R"('systems=[{"type": "shorad", "at": "port-ostend"}, {"type": "cuas", "at": "4.35,50.85", "range_km": 4}]')";
    REQUIRE(run_gui_sized(tmp, "1280x800",
                          "--no-restore --plugin-dir " + kGoodPlugins + " --run records -p at=port-antwerp -p " +
                              systems + " --screenshot " + tmp.file("r.png") + " --dump-view " + tmp.file("v.json")) ==
            0);
    const Dump d = load_dump(tmp.file("v.json"));
    CHECK(d.j["runs"] == 1);
    int features = 0;
    for (const auto& l : d.j["layers"])
        if (l["result"].get<bool>()) features += l["features"].get<int>();
    CHECK(features == 2);
    CHECK(d.j["forms"]["plugins"]["records"]["run_enabled"] == true);
}

TEST_CASE("an ABI 1.0 plugin's form shows its 1.0 parameter types, and it runs", "[gui][forms][plugins]") {
    require_xvfb();
    mp::test::TempDir tmp;
    REQUIRE(run_gui_sized(tmp, "1600x1000",
                          "--no-restore --plugin-dir " + kLegacyPlugins + " --form legacy-1-0 --screenshot " +
                              tmp.file("f.png") + " --dump-view " + tmp.file("v.json")) == 0);
    const Dump d = load_dump(tmp.file("v.json"));
    const auto w = form_widgets(d, "legacy-1-0");
    const std::map<std::string, std::string> kinds{{"site", "site"},     {"radius_km", "number"}, {"shape", "combo"},
                                                   {"count", "integer"}, {"to", "coordinate"},    {"others", "list"},
                                                   {"title", "text"}};
    for (const auto& [path, kind] : kinds) {
        INFO(path);
        REQUIRE(w.count(path));
        CHECK(w.at(path)["widget"] == kind);
    }
    CHECK(w.count("site#pick"));
    CHECK(w.count("to#pick"));
    CHECK(w.count("others#pick"));  // a site list: a click appends
    CHECK(w.at("site")["problem"] == "required");
    CHECK(problem_paths(d, "legacy-1-0") == std::vector<std::string>{"site"});
    CHECK(d.j["forms"]["plugins"]["legacy-1-0"]["run_enabled"] == false);
    // Defaults fill the form; what Run would send is the CLI's JSON.
    const auto& values = d.j["forms"]["plugins"]["legacy-1-0"]["values"];
    CHECK(values["radius_km"] == 10.0);
    CHECK(values["count"] == 3);
    CHECK(values["to"] == "4.40,51.22");
    CHECK(values["shape"] == "line");
    check_inside_panel(d, w);
    const Image img = load_png(tmp.file("f.png"));
    CHECK(share_of(img, w.at("site")["rect"], kProblemFill, 6) > 0.5);

    // Filled in, it runs under the 1.1 host as it did under 1.0.
    REQUIRE(run_gui_sized(tmp, "1280x800",
                          "--no-restore --plugin-dir " + kLegacyPlugins +
                              " --run legacy-1-0 -p site=port-antwerp -p \"others=port-ostend; port-ghent\"" +
                              " --screenshot " + tmp.file("r.png") + " --dump-view " + tmp.file("r.json")) == 0);
    const Dump r = load_dump(tmp.file("r.json"));
    CHECK(r.j["runs"] == 1);
    bool drawn = false;
    for (const auto& l : r.j["layers"]) drawn = drawn || (l["name"] == "legacy" && l["features"] == 1);
    CHECK(drawn);
    CHECK(r.j["forms"]["plugins"]["legacy-1-0"]["values"]["others"] ==
          nlohmann::json::array({"port-ostend", "port-ghent"}));
}

namespace {

/// enablement-gui in a real window under Xvfb, driven by xdotool; reads its live
/// --dump-view (rewritten every 0.25 s). Ends the GUI when destroyed.
class LiveGui {
public:
    LiveGui(const mp::test::TempDir& tmp, const std::string& args) : m_tmp(tmp) {
        const std::string cmd = "XDG_STATE_HOME=" + tmp.file("state") + " xvfb-run -a -f " + tmp.file("auth") +
                                " -s \"-screen 0 1600x1000x24\" sh -c 'echo $DISPLAY >" + tmp.file("display") +
                                "; echo $$ >" + tmp.file("pid") + "; exec " + MP_GUI_PATH +
                                " --size 1600x1000 --dump-view " + tmp.file("live.json") + " " + args + "' >" +
                                tmp.file("gui.log") + " 2>&1 &";
        REQUIRE(std::system(cmd.c_str()) == 0);
        REQUIRE(wait_for([&] { return std::filesystem::exists(tmp.file("live.json")); }, 60));
        m_env = "DISPLAY=" + trim(mp::test::read_text(tmp.file("display"))) + " XAUTHORITY=" + tmp.file("auth") + " ";
    }
    ~LiveGui() {
        const std::string pid = trim(mp::test::read_text(m_tmp.file("pid")));
        if (!pid.empty()) std::system(("kill " + pid + " 2>/dev/null").c_str());
    }
    LiveGui(const LiveGui&) = delete;
    LiveGui& operator=(const LiveGui&) = delete;

    nlohmann::json dump() const {
        try {
            return nlohmann::json::parse(mp::test::read_text(m_tmp.file("live.json")));
        } catch (const nlohmann::json::exception&) {
            return {};
        }
    }
    /// Waits until pred holds, polling every 0.1 s; false after timeout_s.
    template <class Pred>
    static bool wait_for(Pred pred, double timeout_s = 20) {
        for (int i = 0; i < static_cast<int>(timeout_s * 10); ++i) {
            if (pred()) return true;
            std::system("sleep 0.1");
        }
        return pred();
    }
    /// The rectangle of a widget of the records form (waits for it to be drawn).
    std::array<float, 4> rect(const std::string& path, const std::string& kind, bool in_window) const {
        std::array<float, 4> r{-1, -1, 0, 0};
        wait_for([&] {
            const auto j = dump();
            if (!j.contains("forms")) return false;
            for (const auto& w : j["forms"]["widgets"])
                if (w["path"] == path && w["widget"] == kind && w["in_window"] == in_window) {
                    for (int i = 0; i < 4; ++i) r[static_cast<std::size_t>(i)] = w["rect"][i];
                    return true;
                }
            return false;
        });
        INFO("widget " << path << " (" << kind << ")");
        REQUIRE(r[0] >= 0);
        return r;
    }
    void click_at(float x, float y) const {
        xdo("mousemove " + std::to_string(static_cast<int>(x)) + " " + std::to_string(static_cast<int>(y)));
        std::system("sleep 0.3");
        xdo("mousedown 1");
        std::system("sleep 0.15");
        xdo("mouseup 1");
        std::system("sleep 0.3");
    }
    void click(const std::string& path, const std::string& kind, bool in_window) const {
        const auto r = rect(path, kind, in_window);
        click_at(r[0] + r[2] / 2, r[1] + r[3] / 2);
    }
    /// Clicks a toggle-like widget until pred holds (a click may be lost while the
    /// first frames are slow): at most 3 clicks, 5 s each.
    template <class Pred>
    bool click_until(const std::string& path, const std::string& kind, bool in_window, Pred pred) const {
        for (int i = 0; i < 3; ++i) {
            click(path, kind, in_window);
            if (wait_for(pred, 5)) return true;
        }
        return false;
    }
    void type(const std::string& text) const { xdo("type --delay 60 '" + text + "'"); }
    /// Presses a key for 0.3 s: ImGui 1.86 reads key states once a frame, so a press
    /// and release between two frames would be missed.
    void key(const std::string& k) const {
        xdo("keydown " + k);
        std::system("sleep 0.3");
        xdo("keyup " + k);
    }
    /// The values Run would send, as the last dump holds them.
    nlohmann::json values() const {
        auto j = dump();  // not const: a missing key reads as null
        return j["forms"]["plugins"]["records"]["values"];
    }

private:
    static std::string trim(std::string s) {
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
        return s;
    }
    void xdo(const std::string& args) const {
        REQUIRE(std::system((m_env + "xdotool " + args + " >/dev/null 2>&1").c_str()) == 0);
    }
    const mp::test::TempDir& m_tmp;
    std::string m_env;
};

}  // namespace

TEST_CASE("a record table edited with mouse and keyboard in the real window (xdotool)", "[gui][forms][interaction]") {
    require_xvfb();
    if (std::system("command -v xdotool >/dev/null 2>&1") != 0) {
        std::cout << "SKIPPED: xdotool is not installed (apt-get install xdotool)\n";
        std::exit(77);
    }
    mp::test::TempDir tmp;
    const std::string scenario = tmp.file("s.scenario.json");
    mp::test::write_text(scenario, R"({"format": "enablement-scenario", "version": 1, "default_data": true,
        "plugins": {"records": {"at": "port-antwerp", "systems": [{"type": "shorad", "at": "port-antwerp"},
                                                                  {"type": "vshorad", "at": "port-zeebrugge"}]}}})");
    LiveGui gui(tmp, "--plugin-dir " + kGoodPlugins + " --form records --scenario " + scenario);
    auto systems = [&] {
        auto s = gui.values()["systems"];
        return s.is_array() ? s : nlohmann::json::array();
    };
    // The table in its own window (once the first, slow frames are drawn).
    gui.rect("systems", "window-toggle", false);
    std::system("sleep 1");
    auto window_open = [&] {
        auto j = gui.dump();
        for (const auto& w : j["forms"]["widgets"])
            if (w["widget"] == "window") return true;
        return false;
    };
    REQUIRE(gui.click_until("systems", "window-toggle", false, window_open));
    // Type a range into the first row.
    gui.click("systems[0].range_km", "number", true);
    gui.type("25");
    gui.key("Return");
    CHECK(LiveGui::wait_for([&] { return !systems().empty() && systems()[0].value("range_km", 0.0) == 25.0; }));
    // Remove the second row, add an empty one, and find its place by its French name.
    gui.click("systems[1]", "remove-row", true);
    CHECK(LiveGui::wait_for([&] { return systems().size() == 1; }));
    gui.click("systems", "add-row", true);
    gui.click("systems[1].at", "place", true);
    gui.type("Bourg-Leo");
    gui.key("Return");
    CHECK(LiveGui::wait_for([&] {
        const auto s = systems();
        return s.size() == 2 && s[1].value("at", "") == "leopoldsburg-rail-terminal";
    }));
    // Pick the first row's place on the map: a site the table's window does not cover.
    REQUIRE(gui.click_until("systems[0].at", "pick", true, [&] {
        auto pick = gui.dump()["forms"]["pick"];
        return pick.is_object() && pick.value("index", -1) == 0;
    }));
    const auto win = gui.rect("systems", "window", true);
    const Dump d = [&] {
        mp::test::write_text(tmp.file("now.json"), gui.dump().dump());
        return load_dump(tmp.file("now.json"));
    }();
    mp::geo::Transformer t(mp::geo::kWgs84, d.j["display_crs"].get<std::string>());
    std::string picked;
    const auto ws = mp::data::load_workspace(true, {});
    for (const char* id : {"port-zeebrugge", "port-ostend", "elsenborn-training-area", "lagland-training-area"}) {
        const auto* s = ws.catalogue.by_id(id);
        REQUIRE(s);
        double x = mp::geo::lon(s->anchor()), y = mp::geo::lat(s->anchor());
        t.forward(x, y);
        const auto p = d.view.to_pixel(x, y);
        const float px = static_cast<float>(d.canvas_x + p[0]), py = static_cast<float>(d.canvas_y + p[1]);
        const bool in_canvas = p[0] > 20 && p[1] > 20 && p[0] < d.view.width_px - 20 && p[1] < d.view.height_px - 20;
        const bool under_window =
            px > win[0] - 20 && px < win[0] + win[2] + 20 && py > win[1] - 20 && py < win[1] + win[3] + 20;
        if (!in_canvas || under_window) continue;
        gui.click_at(px, py);
        picked = id;
        break;
    }
    REQUIRE_FALSE(picked.empty());
    CHECK(LiveGui::wait_for([&] { return !systems().empty() && systems()[0].value("at", "") == picked; }));
    // What Run would send, and why it waits: the new row has no type yet.
    auto j = gui.dump();
    CHECK(j["forms"]["plugins"]["records"]["values"]["systems"] ==
          nlohmann::json::array(
              {{{"type", "shorad"}, {"at", picked}, {"range_km", 25.0}}, {{"at", "leopoldsburg-rail-terminal"}}}));
    REQUIRE(j["forms"]["plugins"]["records"]["problems"].size() == 1);
    CHECK(j["forms"]["plugins"]["records"]["problems"][0]["path"] == "systems[1].type");
    CHECK(j["forms"]["plugins"]["records"]["run_enabled"] == false);
}

TEST_CASE("a version 1 scenario written by the old GUI opens migrated and is saved as version 2",
          "[gui][scenario][migration]") {
    require_xvfb();
    mp::test::TempDir tmp;
    const std::string fixture =
        std::string(MP_SOURCE_DIR) + "/tests/fixtures/scenario-v1/zeebrugge-leopoldsburg.scenario.json";
    const std::string saved = tmp.file("saved.scenario.json");
    REQUIRE(run_gui(tmp, "--scenario " + fixture + " --save-scenario " + saved + " --screenshot " + tmp.file("s.png") +
                             " --dump-view " + tmp.file("v.json")) == 0);
    const Dump d = load_dump(tmp.file("v.json"));
    CHECK(d.j["display_crs"] == "EPSG:3812");
    CHECK(d.view.units_per_pixel == Approx(180));
    CHECK(d.j["runs"] == 1);
    std::vector<std::string> names;
    for (const auto& l : d.j["layers"]) {
        names.push_back(l["name"]);
        if (l["name"] == "roads") {
            CHECK(l["stroke"][2].get<double>() == Approx(0.9));
            CHECK(l["width_px"].get<double>() == Approx(3.5));
        }
        if (l["name"] == "rail") CHECK_FALSE(l["visible"].get<bool>());
    }
    CHECK(names == std::vector<std::string>{"roads", "rail", "sites", "routes", "routes #ff7f0e"});
    CHECK(mp::test::read_text(tmp.file("gui.log")).find("migrated from scenario version 1") != std::string::npos);
    const auto j = nlohmann::json::parse(mp::test::read_text(saved));
    CHECK(j["version"] == 2);
    CHECK(j["removed_layers"] == nlohmann::json::array({"belgium"}));
    REQUIRE(j["runs"].size() == 1);
    CHECK(j["runs"][0]["params"]["vehicles"] == "12");
    CHECK((std::filesystem::status(saved).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    CHECK(std::filesystem::exists(tmp.file("saved.scenario.results.json")));
}

TEST_CASE("undo takes a plugin run off the map and redo puts it back", "[gui][undo][plugins]") {
    require_xvfb();
    require_transit_routes_plugin();
    mp::test::TempDir tmp;
    const std::string run =
        " --no-restore --run transit-routes -p from=port-zeebrugge -p to=leopoldsburg-rail-terminal";
    auto result_layers = [](const Dump& d) {
        int n = 0;
        for (const auto& l : d.j["layers"]) n += l["result"].get<bool>();
        return n;
    };
    REQUIRE(run_gui(tmp, run + " --screenshot " + tmp.file("a.png") + " --dump-view " + tmp.file("a.json")) == 0);
    const Dump ran = load_dump(tmp.file("a.json"));
    REQUIRE(result_layers(ran) >= 1);
    REQUIRE(run_gui(tmp, run + " --undo 1 --save-scenario " + tmp.file("u.scenario.json") + " --screenshot " +
                             tmp.file("u.png") + " --dump-view " + tmp.file("u.json")) == 0);
    const Dump undone = load_dump(tmp.file("u.json"));
    CHECK(undone.j["runs"] == 0);
    CHECK(result_layers(undone) == 0);
    CHECK(undone.j["layers"].size() == ran.j["layers"].size() - result_layers(ran));
    CHECK(mp::test::read_text(tmp.file("gui.log")).find("undid: Run transit-routes") != std::string::npos);
    CHECK(nlohmann::json::parse(mp::test::read_text(tmp.file("u.scenario.json")))["runs"].empty());
    CHECK_FALSE(std::filesystem::exists(tmp.file("u.scenario.results.json")));
    REQUIRE(run_gui(tmp, run + " --undo 1 --redo 1 --screenshot " + tmp.file("r.png") + " --dump-view " +
                             tmp.file("r.json")) == 0);
    const Dump redone = load_dump(tmp.file("r.json"));
    CHECK(redone.j["runs"] == 1);
    CHECK(redone.j["layers"] == ran.j["layers"]);
}

TEST_CASE("Play advances a movements layer's time in the real window and Pause stops it (xdotool)",
          "[gui][results][movements][interaction]") {
    require_xvfb();
    if (std::system("command -v xdotool >/dev/null 2>&1") != 0) {
        std::cout << "SKIPPED: xdotool is not installed (apt-get install xdotool)\n";
        std::exit(77);
    }
    mp::test::TempDir tmp;
    LiveGui gui(
        tmp, "--no-restore --no-default-data --plugin-dir " + kGoodPlugins + " --run typed-results -p show=movements");
    // The movements slider of the run, once it is drawn.
    auto movement = [&] {
        auto j = gui.dump();
        if (!j.contains("results") || j["results"].empty() || j["results"][0]["movements"].empty())
            return nlohmann::json();
        return j["results"][0]["movements"][0];
    };
    REQUIRE(LiveGui::wait_for([&] { return !movement().is_null() && movement()["play_rect"][2] > 0; }, 60));
    const nlohmann::json start = movement();
    CHECK(start["time"] == "2026-03-03T04:00:00Z");  // the first departure
    CHECK(start["playing"] == false);
    const auto r = start["play_rect"];
    const float x = r[0].get<float>() + r[2].get<float>() / 2, y = r[1].get<float>() + r[3].get<float>() / 2;
    // Play: the time moves on (12 h in 20 s: about 36 min a second).
    bool playing = false;
    for (int i = 0; i < 3 && !playing; ++i) {
        gui.click_at(x, y);
        playing = LiveGui::wait_for([&] { return movement()["playing"] == true; }, 5);
    }
    REQUIRE(playing);
    REQUIRE(LiveGui::wait_for([&] { return movement()["time"] != start["time"]; }, 10));
    // Pause: the time stays where it is.
    bool paused = false;
    for (int i = 0; i < 3 && !paused; ++i) {
        gui.click_at(x, y);
        paused = LiveGui::wait_for([&] { return movement()["playing"] == false; }, 5);
    }
    REQUIRE(paused);
    std::system("sleep 0.5");
    const std::string held = movement()["time"];
    std::system("sleep 1");
    CHECK(movement()["time"] == held);
    CHECK(held != "2026-03-03T04:00:00Z");
}

namespace {

// The readout line of the dump that starts with `prefix`, or "".
std::string readout_starting(const Dump& d, const std::string& prefix) {
    for (const auto& l : d.j["cursor_readout"]) {
        const std::string s = l.get<std::string>();
        if (s.rfind(prefix, 0) == 0) return s;
    }
    return {};
}

const std::string kTwoSystems =
    R"( -p 'systems=[{"type":"shorad","at":"port-antwerp"},{"type":"radar","at":"4.40,51.22","mast_m":15}]')"
    " -p resolution_m=250";

}  // namespace

TEST_CASE("the cursor readout over protection coverage names exactly the systems that see the cell",
          "[gui][plugins][coverage]") {
    require_xvfb();
    require_protection_coverage_plugin();
    mp::test::TempDir tmp;
    // 2.2 km north of the radar (20 km) and 5.5 km from the SHORAD at the port (12 km):
    // both see it at 30 m over the smooth earth. Heights start at 30 m (--raster-view).
    REQUIRE(run_gui(tmp, "--no-restore --run protection-coverage" + kTwoSystems +
                             " --raster-view '30 m above ground' --cursor 4.40,51.24 --screenshot " +
                             tmp.file("both.png") + " --dump-view " + tmp.file("both.json")) == 0);
    const Dump both = load_dump(tmp.file("both.json"));
    INFO(both.j["cursor_readout"].dump(1));
    REQUIRE(both.j.contains("cursor"));
    CHECK(std::abs(both.j["cursor"]["lon"].get<double>() - 4.40) < 0.01);
    CHECK(std::abs(both.j["cursor"]["lat"].get<double>() - 51.24) < 0.01);
    CHECK(readout_starting(both, "seen_by_30m: ") == "seen_by_30m: S1 shorad@port-antwerp, S2 radar@4.4,51.22");
    CHECK(readout_starting(both, "count_30m: ") == "count_30m: 2 systems");
    // The height chosen in the selector; both see it and the SHORAD engages it (class 2).
    CHECK(readout_starting(both, "coverage_class at ") == "coverage_class at 30 m above ground: 2");
    CHECK(readout_starting(both, "lowest_visible_m: ").size() > std::string("lowest_visible_m: ").size());
    // coverage_class has its height selector; route gaps keep their red (not the
    // magenta the session gives a line colour too close to the orange roads below it).
    bool selector = false, gaps = false;
    for (const auto& run : both.j["results"])
        for (const auto& r : run["rasters"])
            if (r["legend"]["title"].get<std::string>().rfind("coverage_class", 0) == 0)
                selector = r["choices"].size() == 5 && r["choice"] == "30 m above ground";
    for (const auto& l : both.j["layers"])
        if (l["name"] == "route_gaps") {
            const auto& c = l["stroke"];
            gaps = c[0].get<double>() > 0.7 && c[1].get<double>() < 0.1 && c[2].get<double>() < 0.2;
        }
    CHECK(selector);
    CHECK(gaps);
    // Twelve raster legends: all on the canvas, below the north arrow, none over another
    // (they ran off the canvas top in one column before).
    const auto& boxes = both.j["legend_boxes"];
    CHECK(boxes.size() == 12);
    const double cx = both.canvas_x, cy = both.canvas_y;
    const double cw = both.j["canvas"]["width"], ch = both.j["canvas"]["height"];
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        const auto& b = boxes[i];
        INFO("legend " << i << ": " << b.dump());
        CHECK(b[0].get<double>() >= cx);
        CHECK(b[1].get<double>() >= cy + 80);
        CHECK(b[2].get<double>() <= cx + cw);
        CHECK(b[3].get<double>() <= cy + ch);
        for (std::size_t k = 0; k < i; ++k) {
            const auto& o = boxes[k];
            const bool apart = b[2].get<double>() <= o[0].get<double>() || o[2].get<double>() <= b[0].get<double>() ||
                               b[3].get<double>() <= o[1].get<double>() || o[3].get<double>() <= b[1].get<double>();
            CHECK(apart);
        }
    }

    // 18 km south of the radar, 25 km from the SHORAD: the radar alone.
    REQUIRE(run_gui(tmp, "--no-restore --run protection-coverage" + kTwoSystems + " --cursor 4.40,51.06 --screenshot " +
                             tmp.file("radar.png") + " --dump-view " + tmp.file("radar.json")) == 0);
    const Dump radar = load_dump(tmp.file("radar.json"));
    INFO(radar.j["cursor_readout"].dump(1));
    CHECK(readout_starting(radar, "seen_by_30m: ") == "seen_by_30m: S2 radar@4.4,51.22");
    CHECK(readout_starting(radar, "count_30m: ") == "count_30m: 1 systems");
    CHECK(readout_starting(radar, "coverage_class at ") == "coverage_class at 10 m above ground: 1");
}
