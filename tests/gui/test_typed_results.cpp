// SPDX-License-Identifier: MIT
// The GUI shows typed results (ABI 1.1) of the typed-results test plugin: raster roles
// with their selectors and legends, gantt and heatmap charts, and a movements layer at a
// chosen time. enablement-gui headless under xvfb-run; the picture is checked pixel by
// pixel where the plugin's closed-form results say what must be there. Skips (exit 77)
// when xvfb-run is missing.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <nlohmann/json.hpp>
#include <string>

#include "map/forms.hpp"
#include "map/view.hpp"
#include "mp/geo/crs.hpp"
#include "png_support.hpp"
#include "test_support.hpp"

namespace {

const std::string kGood = std::string(MP_TEST_PLUGIN_DIR) + "/good";

void require_xvfb() {
    if (std::system("command -v xvfb-run >/dev/null 2>&1") != 0) {
        std::cout << "SKIPPED: xvfb-run is not installed (apt-get install xvfb xauth)\n";
        std::exit(77);
    }
}

/// Runs enablement-gui headless at 1600 x 1000 with the typed-results plugin; returns its
/// exit status. The screenshot is tmp/name.png and the view dump tmp/name.json.
int run_typed(const mp::test::TempDir& tmp, const std::string& name, const std::string& args) {
    const std::string cmd = std::string("xvfb-run -a -s \"-screen 0 1600x1000x24\" ") + MP_GUI_PATH +
                            " --frames 4 --size 1600x1000 --no-restore --no-default-data --plugin-dir " + kGood + " " +
                            args + " --screenshot " + tmp.file(name + ".png") + " --dump-view " +
                            tmp.file(name + ".json") + " >" + tmp.file(name + ".log") + " 2>&1";
    const int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

using mp::test::Image;
using mp::test::load_png;
using mp::test::near;

std::array<int, 3> rgb(const std::array<float, 4>& c) {
    return {static_cast<int>(std::lround(c[0] * 255)), static_cast<int>(std::lround(c[1] * 255)),
            static_cast<int>(std::lround(c[2] * 255))};
}

struct Dump {
    nlohmann::json j;
    mp::gui::map::ViewTransform view;
    double canvas_x = 0, canvas_y = 0;
    /// The window pixel of a WGS84 position.
    std::array<int, 2> pixel(double lon, double lat) const {
        const mp::geo::Transformer t(mp::geo::kWgs84, j["display_crs"].get<std::string>());
        t.forward(lon, lat);
        const auto p = view.to_pixel(lon, lat);
        return {static_cast<int>(std::floor(canvas_x + p[0])), static_cast<int>(std::floor(canvas_y + p[1]))};
    }
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

std::vector<std::string> strings(const nlohmann::json& a) {
    std::vector<std::string> out;
    for (const auto& s : a) out.push_back(s.get<std::string>());
    return out;
}

// Pixels of the image within tol of a colour.
int count_of(const Image& img, const std::array<int, 3>& c, int tol) {
    int n = 0;
    for (int y = 0; y < img.h; ++y)
        for (int x = 0; x < img.w; ++x) n += near(img.at(x, y), c, tol);
    return n;
}

// Raster overlays are drawn at opacity 0.55 over the map.
std::array<int, 3> over(const std::array<int, 3>& top, const std::array<int, 3>& below) {
    std::array<int, 3> out{};
    for (int k = 0; k < 3; ++k) out[k] = static_cast<int>(std::lround(0.55 * top[k] + 0.45 * below[k]));
    return out;
}

}  // namespace

TEST_CASE("raster roles get their selector, legend and unit in the GUI", "[gui][results][raster]") {
    require_xvfb();
    mp::test::TempDir tmp;
    REQUIRE(run_typed(tmp, "r", "--run typed-results -p show=rasters") == 0);
    const Dump d = load_dump(tmp.file("r.json"));
    const auto& rasters = d.j["results"].at(0)["rasters"];
    REQUIRE(rasters.size() == 4);
    // Bands per height: the selector lists the heights; the legend names the one shown and the unit.
    CHECK(strings(rasters[0]["choices"]) ==
          std::vector<std::string>{"10 m above ground", "30 m above ground", "100 m above ground"});
    CHECK(rasters[0]["legend"]["title"] == "visibility: 10 m above ground [%]");
    CHECK(rasters[0]["legend"]["ramp"] == true);
    // A UInt64 bit mask: any, count, then the bits by item name (bit 63 included).
    const auto mask = strings(rasters[1]["choices"]);
    REQUIRE(mask.size() == 2 + 64);
    CHECK(std::vector<std::string>(mask.begin(), mask.begin() + 6) ==
          std::vector<std::string>{"any", "count of set bits", "SHORAD Antwerp", "SHORAD Ghent", "C-UAS Brussels",
                                   "HIMAD Liege"});
    CHECK(mask.back() == "reserve");
    CHECK(strings(rasters[1]["legend"]["entries"]) == std::vector<std::string>{"any bit set"});
    // Categories: one swatch per class name.
    CHECK(strings(rasters[2]["legend"]["entries"]) == std::vector<std::string>{"open", "forest", "urban", "water"});
    CHECK(rasters[2]["legend"]["ramp"] == false);
    // Plain bands: a band combo with the band names.
    CHECK(strings(rasters[3]["choices"]) == std::vector<std::string>{"day", "night"});
    CHECK(rasters[3]["legend"]["title"] == "trucks: day [trucks]");
    CHECK(rasters[3]["legend"]["low"] == "0");
    CHECK(rasters[3]["legend"]["high"] == "831");  // 10 * 79 + 41
}

TEST_CASE("a bit mask shows the cells of the bit chosen by item name, and no data stays transparent",
          "[gui][results][raster]") {
    require_xvfb();
    mp::test::TempDir tmp;
    // Liege is covered by its own system only; Brussels' C-UAS does not reach it.
    REQUIRE(run_typed(tmp, "liege", "--run typed-results -p show=bitmask --raster-view \"HIMAD Liege\"") == 0);
    REQUIRE(run_typed(tmp, "brussels", "--run typed-results -p show=bitmask --raster-view \"C-UAS Brussels\"") == 0);
    const Dump d = load_dump(tmp.file("liege.json"));
    CHECK(d.j["results"][0]["rasters"][0]["choice"] == "HIMAD Liege");
    CHECK(strings(d.j["results"][0]["rasters"][0]["legend"]["entries"]) == std::vector<std::string>{"HIMAD Liege set"});
    const Image liege = load_png(tmp.file("liege.png"));
    const Image brussels = load_png(tmp.file("brussels.png"));
    // Item 3's colour over the map where item 3 is set; the map alone where it is not.
    const auto colour3 = rgb(mp::gui::map::series_colour(3));
    const auto colour2 = rgb(mp::gui::map::series_colour(2));
    const auto at_liege = d.pixel(5.57, 50.63);
    const auto at_brussels = d.pixel(4.35, 50.85);
    CHECK(near(liege.at(at_liege[0], at_liege[1]), over(colour3, brussels.at(at_liege[0], at_liege[1])), 10));
    CHECK(
        near(brussels.at(at_brussels[0], at_brussels[1]), over(colour2, liege.at(at_brussels[0], at_brussels[1])), 10));

    // Categories: the no-data corner (north-west) shows the map unchanged.
    REQUIRE(run_typed(tmp, "classes", "--run typed-results -p show=categories") == 0);
    const Image classes = load_png(tmp.file("classes.png"));
    const auto corner = d.pixel(2.75, 51.45);
    CHECK(near(classes.at(corner[0], corner[1]), brussels.at(corner[0], corner[1]), 3));
    // Class 1 ("forest") in the cell just south of it: row 6, column 0 (2.5-2.55 E, 51.2-51.25 N).
    const auto open = d.pixel(2.525, 51.225);
    CHECK(near(classes.at(open[0], open[1]), over(rgb(mp::gui::map::series_colour(1)), brussels.at(open[0], open[1])),
               10));
}

TEST_CASE("a gantt chart colours its lanes by group, a heatmap its cells along the ramp", "[gui][results][chart]") {
    require_xvfb();
    mp::test::TempDir tmp;
    REQUIRE(run_typed(tmp, "g", "--run typed-results -p show=gantt --chart-window 0") == 0);
    const Dump d = load_dump(tmp.file("g.json"));
    CHECK(d.j["chart_window"] == true);
    CHECK(d.j["results"][0]["tables"][0]["chart"] == "gantt");
    CHECK(d.j["results"][0]["tables"][0]["problem"] == "");
    const Image g = load_png(tmp.file("g.png"));
    // Five groups (port, rail, 1 BN, 2 BN, brigade): five lane colours, each a bar of at
    // least 6 h on an axis of 48 h in a window of ~1000 px (twice: panel and window).
    for (std::size_t k = 0; k < 5; ++k) {
        INFO("group " << k);
        CHECK(count_of(g, rgb(mp::gui::map::series_colour(k)), 2) > 400);
    }
    CHECK(count_of(g, rgb(mp::gui::map::series_colour(5)), 2) < 50);

    REQUIRE(run_typed(tmp, "h", "--run typed-results -p show=heatmap --chart-window 0") == 0);
    const Image h = load_png(tmp.file("h.png"));
    // The smallest value (Antwerp D+1, 30 %) is the ramp's first stop, the largest (Ghent D+6,
    // 104 %) its last.
    CHECK(count_of(h, rgb(mp::gui::map::raster_ramp(0)), 2) > 400);
    CHECK(count_of(h, rgb(mp::gui::map::raster_ramp(1)), 2) > 400);
}

TEST_CASE("a table whose chart the table cannot carry is shown plain, with the problem as a note",
          "[gui][results][chart]") {
    require_xvfb();
    mp::test::TempDir tmp;
    const std::string scenario = tmp.file("s.scenario.json");
    REQUIRE(run_typed(tmp, "a", "--run typed-results -p show=heatmap --save-scenario " + scenario) == 0);
    // A results file edited by hand (or written by an older tool) names a column the table lacks.
    const std::string results = tmp.file("s.scenario.results.json");
    REQUIRE(std::filesystem::exists(results));
    const std::string text = mp::test::read_text(results);
    const std::regex value(R"("value"\s*:\s*"use")");
    REQUIRE(std::regex_search(text, value));
    std::ofstream(results) << std::regex_replace(text, value, R"("value": "missing")");
    REQUIRE(run_typed(tmp, "b", "--scenario " + scenario) == 0);
    const Dump d = load_dump(tmp.file("b.json"));
    const std::string problem = d.j["results"].at(0)["tables"].at(0)["problem"];
    CHECK(problem.find("value column 'missing' is not in the table") != std::string::npos);
}

TEST_CASE("a movements layer draws only the features active at the slider's time", "[gui][results][movements]") {
    require_xvfb();
    mp::test::TempDir tmp;
    REQUIRE(run_typed(tmp, "m7", "--run typed-results -p show=movements --movement-time 2026-03-03T07:00:00Z") == 0);
    REQUIRE(run_typed(tmp, "m13", "--run typed-results -p show=movements --movement-time 2026-03-03T13:00:00Z") == 0);
    const Dump d7 = load_dump(tmp.file("m7.json"));
    const Dump d13 = load_dump(tmp.file("m13.json"));
    const auto& mv = d7.j["results"].at(0)["movements"].at(0);
    CHECK(mv["layer"] == "convoys");
    CHECK(mv["time"] == "2026-03-03T07:00:00Z");
    CHECK(mv["t0"] == 1772510400.0);  // 2026-03-03T04:00:00Z, the first departure
    CHECK(mv["t1"] == 1772553600.0);  // 16:00, the last arrival
    auto drawn = [](const Dump& d) {
        int n = -1;
        for (const auto& l : d.j["layers"])
            if (l["name"] == "convoys") n = l["drawn_features"];
        return n;
    };
    CHECK(drawn(d7) == 2);   // C1 (04-10) and C2 (06-09)
    CHECK(drawn(d13) == 2);  // C3 (08:30-14) and C4 (12-16)
    // C2 (Antwerp - Hasselt) shows at 07:00 in the layer's orange and is gone at 13:00
    // (a quarter along it: its label sits at the middle).
    const Image i7 = load_png(tmp.file("m7.png"));
    const Image i13 = load_png(tmp.file("m13.png"));
    const auto c2 = d7.pixel(4.40 + 0.25 * (5.23 - 4.40), 51.22 + 0.25 * (51.08 - 51.22));
    const std::array<int, 3> orange{255, 127, 14};
    CHECK(near(i7.at(c2[0], c2[1]), orange, 12));
    CHECK_FALSE(near(i13.at(c2[0], c2[1]), orange, 60));
    // C3 (Namur - Liege) the other way round.
    const auto c3 = d7.pixel(4.87 + 0.75 * (5.57 - 4.87), 50.47 + 0.75 * (50.63 - 50.47));
    CHECK(near(i13.at(c3[0], c3[1]), orange, 12));
    CHECK_FALSE(near(i7.at(c3[0], c3[1]), orange, 60));
}
