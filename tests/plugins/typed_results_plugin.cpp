// SPDX-License-Identifier: MIT
// A test plugin that returns one typed result of each kind over Belgium, through the C
// ABI alone (the header-only SDK helper): rasters of every role (bands per height, a
// UInt64 bit mask, categories, plain bands), tables with line, bar, gantt and heatmap
// charts, and a movements layer. `show` picks one kind (or all), so each GUI screenshot
// shows one thing. Every value is closed-form, so tests can predict what is drawn.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "mp/plugin.hpp"

namespace {

// "demo": the bands-per-height raster, the movements and the gantt chart (the picture in
// docs/plugins.md).
const char* const kShow[] = {"all",   "heights", "bitmask",   "categories", "plain", "line", "bar",
                             "gantt", "heatmap", "movements", "rasters",    "demo",  nullptr};

MpParamDef show_param() {
    MpParamDef p = mp::sdk::param("show", "Show", MP_PARAM_ENUM, "all");
    p.choices = kShow;
    return p;
}

const MpParamDef kParams[] = {show_param()};

// Belgium on a 0.05 degree grid (EPSG:4326), 80 x 42 cells from 2.5 E, 51.55 N.
const mp::sdk::Grid kGrid{"EPSG:4326", 2.5, 51.55, 0.05, 0.05, 80, 42};

struct Site {
    const char* name;
    double lon, lat, range_deg;
};
// Item i of the bit mask is "within range of system i".
const Site kSystems[] = {{"SHORAD Antwerp", 4.40, 51.22, 0.35},
                         {"SHORAD Ghent", 3.72, 51.05, 0.30},
                         {"C-UAS Brussels", 4.35, 50.85, 0.20},
                         {"HIMAD Liege", 5.57, 50.63, 0.60}};

double dist_deg(double lon0, double lat0, double lon1, double lat1) {
    const double dx = (lon1 - lon0) * std::cos(lat0 * M_PI / 180);
    return std::hypot(dx, lat1 - lat0);
}

void heights(mp::sdk::Run& r) {
    // Share of sky visible (%) around Brussels: the disc grows with height; -1 is no data.
    auto ras = mp::sdk::RasterResult::of<float>("visibility", kGrid, 3);
    const double heights_m[] = {10, 30, 100};
    for (std::size_t b = 0; b < 3; ++b)
        for (std::size_t row = 0; row < kGrid.height; ++row)
            for (std::size_t col = 0; col < kGrid.width; ++col) {
                const double d = dist_deg(4.35, 50.85, kGrid.x(col), kGrid.y(row));
                const double radius = 0.25 + 0.45 * static_cast<double>(b);
                ras.cells<float>(b)[row * kGrid.width + col] =
                    d > radius ? -1.0f : static_cast<float>(100 * (1 - d / radius));
            }
    r.raster(ras.heights({heights_m[0], heights_m[1], heights_m[2]}).nodata(-1).unit("%"));
}

void bitmask(mp::sdk::Run& r) {
    std::vector<std::uint64_t> mask(kGrid.cells(), 0);
    for (std::size_t row = 0; row < kGrid.height; ++row)
        for (std::size_t col = 0; col < kGrid.width; ++col)
            for (std::size_t i = 0; i < 4; ++i)
                if (dist_deg(kSystems[i].lon, kSystems[i].lat, kGrid.x(col), kGrid.y(row)) <= kSystems[i].range_deg)
                    mask[row * kGrid.width + col] |= std::uint64_t{1} << i;
    // Bit 63 marks cells covered by the reserve (the top bit of a UInt64 must survive).
    for (std::size_t col = 0; col < 10; ++col) mask[30 * kGrid.width + 40 + col] |= std::uint64_t{1} << 63;
    std::vector<std::string> names;
    for (const auto& s : kSystems) names.push_back(s.name);
    names.resize(63, "");
    names.push_back("reserve");
    r.raster(mp::sdk::RasterResult::of<std::uint64_t>("coverage", kGrid).band(0, mask).bitmask(names));
}

void categories(mp::sdk::Run& r) {
    // Stripes of land cover classes by latitude, with a no-data corner (255).
    std::vector<std::uint8_t> cls(kGrid.cells());
    for (std::size_t row = 0; row < kGrid.height; ++row)
        for (std::size_t col = 0; col < kGrid.width; ++col)
            cls[row * kGrid.width + col] =
                row < 6 && col < 12 ? 255 : static_cast<std::uint8_t>((row / 6 + col / 18) % 4);
    r.raster(mp::sdk::RasterResult::of<std::uint8_t>("land cover", kGrid)
                 .band(0, cls)
                 .categories({"open", "forest", "urban", "water"})
                 .nodata(255));
}

void plain(mp::sdk::Run& r) {
    // Trucks per cell by day and by night: gradients west-east and east-west.
    std::vector<std::uint16_t> day(kGrid.cells()), night(kGrid.cells());
    for (std::size_t row = 0; row < kGrid.height; ++row)
        for (std::size_t col = 0; col < kGrid.width; ++col) {
            day[row * kGrid.width + col] = static_cast<std::uint16_t>(10 * col + row);
            night[row * kGrid.width + col] = static_cast<std::uint16_t>(5 * (kGrid.width - col));
        }
    r.raster(mp::sdk::RasterResult::of<std::uint16_t>("trucks", kGrid, 2)
                 .band(0, day)
                 .band(1, night)
                 .band_names({"day", "night"})
                 .unit("trucks"));
}

void line(mp::sdk::Run& r) {
    auto t = r.table("march profile");
    std::vector<double> hour, dist, speed, fuel;
    for (int h = 0; h <= 12; ++h) {
        hour.push_back(h);
        speed.push_back(h == 6 ? 0 : 40 + 10 * std::sin(h));
        dist.push_back(h == 0 ? 0 : dist.back() + speed.back());
        fuel.push_back(12 - 0.8 * h);
    }
    t.numbers("hour", hour, "h").numbers("distance", dist, "km").numbers("fuel", fuel, "t");
    t.numbers("speed", speed, "km/h");
    mp::sdk::Chart c = mp::sdk::Chart::line("hour", {"distance", "fuel", "speed"});
    c.y_unit_right = "km/h";
    c.title = "March profile (speed on the right axis)";
    t.chart(c);
}

void bar(mp::sdk::Run& r) {
    auto t = r.table("daily throughput");
    t.texts("day", {"D+1", "D+2", "D+3", "D+4", "D+5"});
    t.numbers("rail", {1200, 1800, 2400, 2100, 900}, "t");
    t.numbers("road", {800, 950, 700, 1300, 1500}, "t");
    t.numbers("trains", {5, 6, 9, 7, 4}, "trains");
    mp::sdk::Chart c = mp::sdk::Chart::bar("day", {"rail", "road", "trains"});
    c.y_unit_right = "trains";
    t.chart(c);
}

void gantt(mp::sdk::Run& r) {
    auto t = r.table("deployment schedule");
    t.texts("task", {"unload ship", "stage at Zeebrugge", "rail to Leopoldsburg", "road march A", "road march B",
                     "assembly", "handover"});
    t.texts("start", {"2026-03-02T06:00:00Z", "2026-03-02T14:00:00Z", "2026-03-02T20:00:00Z", "2026-03-03T04:00:00Z",
                      "2026-03-03T08:30:00Z", "2026-03-03T15:00:00Z", "2026-03-04T00:00:00Z"});
    t.texts("end", {"2026-03-02T18:00:00Z", "2026-03-03T02:00:00Z", "2026-03-03T09:00:00Z", "2026-03-03T12:00:00Z",
                    "2026-03-03T16:00:00Z", "2026-03-03T23:00:00Z", "2026-03-04T06:00:00Z"});
    t.texts("unit", {"port", "port", "rail", "1 BN", "2 BN", "brigade", "brigade"});
    mp::sdk::Chart c = mp::sdk::Chart::gantt("start", "end", "task", "unit");
    c.title = "Deployment schedule";
    t.chart(c);
}

void heatmap(mp::sdk::Run& r) {
    auto t = r.table("port utilisation");
    std::vector<std::string> port, day;
    std::vector<double> use;
    const char* ports[] = {"Antwerp", "Zeebrugge", "Ghent", "Ostend"};
    for (int p = 0; p < 4; ++p)
        for (int d = 1; d <= 6; ++d) {
            port.push_back(ports[p]);
            day.push_back("D+" + std::to_string(d));
            use.push_back(std::round(100 * (0.2 + 0.12 * p + 0.1 * d) * (p == 3 ? 0.5 : 1)));
        }
    t.texts("port", port).texts("day", day).numbers("use", use, "%");
    t.chart(mp::sdk::Chart::heatmap("port", "day", "use"));
}

void movements(mp::sdk::Run& r) {
    auto l = r.result_layer("convoys", "#ff7f0e", 4, "name");
    struct Move {
        const char* id;
        std::vector<std::pair<double, double>> path;
        const char* depart;
        const char* arrive;
    };
    const Move moves[] = {
        {"C1", {{3.20, 51.33}, {3.72, 51.05}, {4.35, 50.85}}, "2026-03-03T04:00:00Z", "2026-03-03T10:00:00Z"},
        {"C2", {{4.40, 51.22}, {5.23, 51.08}}, "2026-03-03T06:00:00Z", "2026-03-03T09:00:00Z"},
        {"C3", {{4.35, 50.85}, {4.87, 50.47}, {5.57, 50.63}}, "2026-03-03T08:30:00Z", "2026-03-03T14:00:00Z"},
        {"C4", {{2.92, 51.23}, {3.72, 51.05}}, "2026-03-03T12:00:00Z", "2026-03-03T16:00:00Z"},
    };
    for (const auto& m : moves)
        l.add(m.id, mp::sdk::Geometry::line(m.path)).set("name", m.id).set("depart", m.depart).set("arrive", m.arrive);
    l.role("movements", "depart", "arrive");
}

void run(mp::sdk::Run& r) {
    const std::string show = r.text("show");
    const bool all = show == "all", rasters = all || show == "rasters", demo = show == "demo";
    if (rasters || demo || show == "heights") heights(r);
    if (rasters || show == "bitmask") bitmask(r);
    if (rasters || show == "categories") categories(r);
    if (rasters || show == "plain") plain(r);
    if (all || demo || show == "movements") movements(r);
    if (all || show == "line") line(r);
    if (all || show == "bar") bar(r);
    if (all || demo || show == "gantt") gantt(r);
    if (all || show == "heatmap") heatmap(r);
}

}  // namespace

MP_SDK_PLUGIN(MP_TEST_PLUGIN_ID, "Typed results", "1.1.0",
              "One typed result of each kind (raster roles, chart kinds, a movements layer) for the GUI", kParams,
              sizeof(kParams) / sizeof(kParams[0]), run)
