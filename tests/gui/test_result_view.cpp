// SPDX-License-Identifier: MIT
// How the GUI shows typed results (gui/map/result_view): raster selectors, colours and
// legends by role, chart axes and ticks, gantt times and lanes, heatmap grids and
// movements at a time, on closed-form cases (no display needed).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <type_traits>

#include "map/prepare.hpp"
#include "map/result_view.hpp"
#include "mp/geo/crs.hpp"

using namespace mp::gui::map;
namespace plugin = mp::plugin;

namespace {

// A raster of `bands` bands of 2 x 2 cells of type T (host byte order).
template <typename T>
plugin::Raster raster(plugin::PixelType type, std::size_t bands, const std::vector<T>& cells) {
    plugin::Raster r;
    r.name = "r";
    r.width = 2, r.height = 2, r.bands = bands;
    r.geotransform = {4.0, 0.1, 0, 51.0, 0, -0.1};
    r.crs = "EPSG:4326";
    r.type = type;
    r.has_nodata = false;
    if constexpr (std::is_same_v<T, double>) {
        r.values = cells;
    } else {
        r.data.resize(cells.size() * sizeof(T));
        std::memcpy(r.data.data(), cells.data(), r.data.size());
    }
    REQUIRE(r.problem() == "");
    return r;
}

std::vector<std::string> labels(const std::vector<RasterChoice>& cs) {
    std::vector<std::string> out;
    for (const auto& c : cs) out.push_back(c.label);
    return out;
}

std::array<int, 4> rgba_at(const RasterImage& img, std::size_t i) {
    return {img.rgba[4 * i], img.rgba[4 * i + 1], img.rgba[4 * i + 2], img.rgba[4 * i + 3]};
}

std::array<int, 4> bytes(const Rgba& c) {
    return {static_cast<int>(std::lround(c[0] * 255)), static_cast<int>(std::lround(c[1] * 255)),
            static_cast<int>(std::lround(c[2] * 255)), 255};
}

plugin::Table::Column numbers(std::string name, std::vector<double> v, std::string unit = {}) {
    plugin::Table::Column c;
    c.name = std::move(name), c.unit = std::move(unit), c.numeric = true, c.numbers = std::move(v);
    return c;
}

plugin::Table::Column texts(std::string name, std::vector<std::string> v) {
    plugin::Table::Column c;
    c.name = std::move(name), c.numeric = false, c.texts = std::move(v);
    return c;
}

}  // namespace

TEST_CASE("raster selectors list bands by name, heights above ground, and mask bits by item name",
          "[gui][results][raster]") {
    auto plain = raster<std::uint16_t>(plugin::PixelType::UInt16, 2, {1, 2, 3, 4, 5, 6, 7, 8});
    plain.band_names = {"day", ""};
    CHECK(labels(raster_choices(plain)) == std::vector<std::string>{"day", "band 2"});

    auto heights = raster<float>(plugin::PixelType::Float32, 3, std::vector<float>(12, 1.0f));
    heights.role = plugin::RasterRole::BandsPerHeight;
    heights.band_heights_m = {2, 30, 100.5};
    heights.band_names = {"2 m", "", "top"};
    const auto hc = raster_choices(heights);
    CHECK(labels(hc) ==
          std::vector<std::string>{"2 m above ground", "30 m above ground", "100.5 m above ground (top)"});
    CHECK(hc[2].band == 2);

    auto mask = raster<std::uint8_t>(plugin::PixelType::Byte, 2, std::vector<std::uint8_t>(8, 0));
    mask.role = plugin::RasterRole::Bitmask;
    mask.item_names = {"sys-a", "", "sys-c"};
    const auto mc = raster_choices(mask);
    CHECK(labels(mc) == std::vector<std::string>{"any", "count of set bits", "sys-a", "bit 1", "sys-c"});
    CHECK(mc[0].mask == MaskMode::Any);
    CHECK(mc[1].mask == MaskMode::Count);
    CHECK((mc[4].mask == MaskMode::Item && mc[4].item == 2 && mc[4].band == 0));
    // Without names, every bit of every band: bit 9 lives in band 1 (bit i % 8 of band i / 8).
    mask.item_names.clear();
    const auto all = raster_choices(mask);
    REQUIRE(all.size() == 2 + 16);
    CHECK((all[2 + 9].item == 9 && all[2 + 9].band == 1 && all[2 + 9].label == "bit 9"));
}

TEST_CASE("a UInt64 bit mask is drawn as a mask of one bit, of any bit, or as the count of bits set",
          "[gui][results][raster]") {
    const std::uint64_t top = std::uint64_t{1} << 63;
    auto r = raster<std::uint64_t>(plugin::PixelType::UInt64, 1, {0, top, top | 0b101, 7});
    r.role = plugin::RasterRole::Bitmask;
    r.has_nodata = true, r.nodata = 7;  // cell 3 is no data although bits 0-2 are set
    const auto choices = raster_choices(r);
    REQUIRE(choices.size() == 2 + 64);

    const RasterChoice bit63 = choices[2 + 63];
    const RasterImage one = raster_image(r, bit63);
    REQUIRE(one.discrete);
    CHECK(rgba_at(one, 0)[3] == 0);
    CHECK(rgba_at(one, 1) == bytes(mask_colour(bit63)));
    CHECK(rgba_at(one, 2) == bytes(mask_colour(bit63)));
    CHECK(rgba_at(one, 3)[3] == 0);
    CHECK(one.drawn == 2);
    const RasterImage bit2 = raster_image(r, choices[2 + 2]);
    CHECK(bit2.drawn == 1);  // cell 2 only: cell 3 has bit 2 but is no data
    CHECK(rgba_at(bit2, 2)[3] == 255);

    const RasterImage any = raster_image(r, choices[0]);
    CHECK(any.drawn == 2);
    CHECK((rgba_at(any, 0)[3] == 0 && rgba_at(any, 3)[3] == 0));

    const RasterImage count = raster_image(r, choices[1]);
    REQUIRE_FALSE(count.discrete);
    CHECK(count.min_value == 1);
    CHECK(count.max_value == 3);
    CHECK(count.values == std::vector<float>{-1.0f, 0.0f, 1.0f, -1.0f});
    const RasterLegend lg = raster_legend(r, choices[1], count);
    CHECK(lg.ramp);
    CHECK(lg.title == "r: count of set bits");
    CHECK((lg.low == "1" && lg.high == "3"));
    const RasterLegend lb = raster_legend(r, bit63, one);
    REQUIRE(lb.entries.size() == 1);
    CHECK(lb.entries[0].label == "bit 63 set");
    CHECK(lb.note == "2 cells");
}

TEST_CASE("categories get one colour per class, no data is transparent, the legend names each class",
          "[gui][results][raster]") {
    auto r = raster<std::uint8_t>(plugin::PixelType::Byte, 1, {0, 1, 3, 255});
    r.role = plugin::RasterRole::Categories;
    r.item_names = {"none", "low"};
    r.has_nodata = true, r.nodata = 255;
    r.unit = "class";
    const auto c = raster_choices(r).at(0);
    const RasterImage img = raster_image(r, c);
    REQUIRE(img.discrete);
    CHECK(rgba_at(img, 0) == bytes(class_colour(0)));
    CHECK(rgba_at(img, 1) == bytes(class_colour(1)));
    CHECK(rgba_at(img, 2) == bytes(class_colour(3)));
    CHECK(rgba_at(img, 3)[3] == 0);
    CHECK(img.classes == std::vector<std::uint64_t>{0, 1, 3});
    CHECK(class_colour(0) != class_colour(1));
    const RasterLegend lg = raster_legend(r, c, img);
    CHECK_FALSE(lg.ramp);
    CHECK(lg.title == "r [class]");
    REQUIRE(lg.entries.size() == 3);
    CHECK(lg.entries[0].label == "none");
    CHECK(lg.entries[1].label == "low");
    CHECK(lg.entries[2].label == "class 3");  // present but unnamed
    CHECK(lg.entries[2].colour == class_colour(3));
    const RasterLegend capped = raster_legend(r, c, img, 2);
    CHECK(capped.entries.size() == 2);
    CHECK(capped.more == 1);
}

TEST_CASE("continuous bands scale from their minimum to maximum, only no data is transparent",
          "[gui][results][raster]") {
    auto r = raster<float>(plugin::PixelType::Float32, 2, {-5, -1, 0, 5, 10, 20, 30, 40});
    r.has_nodata = true, r.nodata = -1;
    r.unit = "m";
    const auto choices = raster_choices(r);
    const RasterImage b0 = raster_image(r, choices[0]);
    CHECK(b0.values == std::vector<float>{0.0f, -1.0f, 0.5f, 1.0f});  // negatives and 0 are drawn
    CHECK((b0.min_value == -5 && b0.max_value == 5));
    const RasterImage b1 = raster_image(r, choices[1]);
    CHECK((b1.min_value == 10 && b1.max_value == 40));
    const RasterLegend lg = raster_legend(r, choices[1], b1);
    CHECK(lg.title == "r: band 2 [m]");
    CHECK((lg.low == "10" && lg.high == "40" && lg.note.empty()));

    // The ABI 1.0 form (one Float64 band, plain) keeps the 1.0 rule: cells <= 0 are "none".
    auto legacy = raster<double>(plugin::PixelType::Float64, 1, {0, 2, 4, -9999});
    legacy.has_nodata = true, legacy.nodata = -9999;
    REQUIRE(legacy_raster(legacy));
    const RasterImage li = raster_image(legacy, raster_choices(legacy)[0]);
    CHECK(li.values == std::vector<float>{-1.0f, 0.0f, 1.0f, -1.0f});
    CHECK(raster_legend(legacy, raster_choices(legacy)[0], li).note == "(0: none)");
    CHECK(raster_legend(legacy, raster_choices(legacy)[0], li).title == "r");
}

TEST_CASE("axis ticks are 1-2-5 steps inside the range", "[gui][results][chart]") {
    CHECK(nice_ticks(0, 10, 5) == std::vector<double>{0, 2, 4, 6, 8, 10});
    CHECK(nice_ticks(-3, 7, 5) == std::vector<double>{-2, 0, 2, 4, 6});
    const auto t = nice_ticks(0.13, 0.87, 4);
    REQUIRE(t.size() == 4);
    CHECK(t[0] == Approx(0.2));
    CHECK(t[3] == Approx(0.8));
    CHECK(nice_ticks(3, 3) == std::vector<double>{3});
    CHECK(nice_ticks(0, 1000, 2) == std::vector<double>{0, 500, 1000});
    CHECK(tick_label(-0.0) == "0");
    CHECK(tick_label(2500000) == "2.5e+06");
    CHECK(tick_label(0.25) == "0.25");
}

TEST_CASE("series whose unit is y_unit_right go on the second axis", "[gui][results][chart]") {
    plugin::Table t;
    t.columns = {numbers("hour", {0, 1, 2}, "h"), numbers("load", {1, 2, 3}, "t"),
                 numbers("speed", {50, 60, 70}, "km/h"), numbers("fuel", {-1, 2, 9}, "t")};
    plugin::Chart c;
    c.kind = "line", c.x = "hour", c.y = {"load", "speed", "fuel"}, c.y_unit_right = "km/h";
    const AxisSplit s = split_axes(t, c);
    CHECK(s.left == std::vector<std::string>{"load", "fuel"});
    CHECK(s.right == std::vector<std::string>{"speed"});
    c.y_unit_right.clear();
    CHECK(split_axes(t, c).right.empty());
    CHECK(value_range(t, s.left, false) == std::array<double, 2>{-1, 9});
    CHECK(value_range(t, s.right, true) == std::array<double, 2>{0, 70});
    CHECK(value_range(t, {}, false) == std::array<double, 2>{0, 1});
}

TEST_CASE("ISO 8601 times parse to UTC epoch seconds and format back", "[gui][results][time]") {
    CHECK(parse_iso8601_s("1970-01-01T00:00:00Z") == 0.0);
    CHECK(parse_iso8601_s("2026-01-01") == 1767225600.0);
    CHECK(parse_iso8601_s("2026-01-01T06:00") == 1767225600.0 + 6 * 3600);
    CHECK(parse_iso8601_s("2026-01-01T06:00:00+02:00") == 1767225600.0 + 4 * 3600);
    CHECK(parse_iso8601_s("2026-01-01T06:00:00-0130") == 1767225600.0 + 7.5 * 3600);
    CHECK(parse_iso8601_s("2024-02-29T12:00:00.5Z") == 1709208000.5);
    CHECK_FALSE(parse_iso8601_s("2026-02-29"));
    CHECK_FALSE(parse_iso8601_s("2026-04-31"));
    CHECK_FALSE(parse_iso8601_s("2026-13-01"));
    CHECK_FALSE(parse_iso8601_s("2026-01-01T24:00"));
    CHECK_FALSE(parse_iso8601_s("3600"));
    CHECK(format_iso8601_utc(1767225600.0 + 6 * 3600 + 59.9) == "2026-01-01T06:00:59Z");
    CHECK(format_iso8601_utc(-1) == "1969-12-31T23:59:59Z");
    CHECK(format_time(5400, false) == "+1:30:00 (5400 s)");
    CHECK(format_time(1709208000, true) == "2024-02-29T12:00:00Z");
}

TEST_CASE("time ticks fall on whole hours, show the date where the day changes", "[gui][results][time]") {
    const double day = 1767225600.0;  // 2026-01-01T00:00:00Z
    const auto a = time_ticks(day + 6 * 3600, day + 12 * 3600, true, 6);
    REQUIRE(a.size() == 7);
    CHECK(a[0].label == "01-01 06:00");
    CHECK(a[1].label == "07:00");
    CHECK(a[6].label == "12:00");
    const auto b = time_ticks(day + 21.5 * 3600, day + 26 * 3600, true, 5);
    std::vector<std::string> bl;
    for (const auto& t : b) bl.push_back(t.label);
    CHECK(bl == std::vector<std::string>{"01-01 22:00", "23:00", "01-02 00:00", "01:00", "02:00"});
    const auto d = time_ticks(day, day + 5 * 86400, true, 3);
    REQUIRE(d.size() == 3);
    CHECK((d[0].label == "01-01" && d[1].label == "01-03" && d[2].label == "01-05"));
    const auto e = time_ticks(0, 5400, false, 3);
    std::vector<std::string> el;
    for (const auto& t : e) el.push_back(t.label);
    CHECK(el == std::vector<std::string>{"+0:00", "+0:30", "+1:00", "+1:30"});
    CHECK(time_ticks(0, 2 * 86400, false, 2)[1].label == "+1d 00:00");
    CHECK(time_ticks(0, 30, false, 3)[1].label == "+0:00:10");
}

TEST_CASE("a gantt chart gets one lane per row, a colour per group, and skips rows without times",
          "[gui][results][chart]") {
    plugin::Table t;
    t.columns = {texts("task", {"load", "move", "bad", "unload", "backwards"}),
                 texts("from", {"2026-01-01T06:00:00Z", "2026-01-01T07:00:00Z", "", "2026-01-01T09:00:00Z",
                                "2026-01-01T10:00:00Z"}),
                 numbers("until",
                         {1767225600.0 + 7 * 3600, 1767225600.0 + 9 * 3600, 0, 1767225600.0 + 9.5 * 3600,
                          1767225600.0 + 9 * 3600},
                         "s"),
                 texts("unit", {"1 BN", "2 BN", "1 BN", "1 BN", "2 BN"})};
    plugin::Chart c;
    c.kind = "gantt", c.start = "from", c.end = "until", c.label = "task", c.group = "unit";
    REQUIRE(t.chart_problem(c) == "");
    const GanttLayout g = gantt_layout(t, c);
    CHECK(g.scale.absolute);
    CHECK(g.skipped == 2);  // an empty start, an end before its start
    REQUIRE(g.bars.size() == 3);
    CHECK(g.lanes == 3);
    CHECK((g.bars[0].label == "load" && g.bars[0].lane == 0 && g.bars[0].group == 0));
    CHECK((g.bars[1].label == "move" && g.bars[1].lane == 1 && g.bars[1].group == 1));
    CHECK((g.bars[2].label == "unload" && g.bars[2].lane == 2 && g.bars[2].group == 0 && g.bars[2].row == 3));
    CHECK(g.groups == std::vector<std::string>{"1 BN", "2 BN"});
    CHECK(g.bars[1].end - g.bars[1].start == 2 * 3600);
    CHECK(g.scale.t0 == 1767225600.0 + 6 * 3600);
    CHECK(g.scale.t1 == 1767225600.0 + 9.5 * 3600);

    // Seconds only: elapsed time, no group column: one group.
    plugin::Table s;
    s.columns = {numbers("a", {0, 600}, "s"), numbers("b", {300, 1200}, "s")};
    plugin::Chart cs;
    cs.kind = "gantt", cs.start = "a", cs.end = "b";
    const GanttLayout gs = gantt_layout(s, cs);
    CHECK_FALSE(gs.scale.absolute);
    CHECK(gs.groups == std::vector<std::string>{""});
    CHECK((gs.scale.t0 == 0 && gs.scale.t1 == 1200));
}

TEST_CASE("a heatmap grid has a cell per row and column label, text from the label column", "[gui][results][chart]") {
    plugin::Table t;
    t.columns = {texts("site", {"A", "A", "B", "B", "A"}), numbers("day", {1, 2, 1, 3, 1}),
                 numbers("load", {0.5, 1, 2, NAN, 0.25}, "t"), texts("note", {"x", "y", "z", "w", "v"})};
    plugin::Chart c;
    c.kind = "heatmap", c.row = "site", c.column = "day", c.value = "load";
    REQUIRE(t.chart_problem(c) == "");
    HeatmapGrid h = heatmap_grid(t, c);
    CHECK(h.rows == std::vector<std::string>{"A", "B"});
    CHECK(h.columns == std::vector<std::string>{"1", "2", "3"});
    REQUIRE(h.values.size() == 6);
    CHECK(h.values[0] == 0.25);  // the last row naming (A, 1)
    CHECK(h.values[1] == 1);
    CHECK(std::isnan(h.values[2]));  // (A, 3): no row
    CHECK(h.values[3] == 2);
    CHECK(std::isnan(h.values[5]));  // (B, 3): NaN value
    CHECK(h.texts[0] == "0.25");
    CHECK(h.texts[2] == "");
    CHECK((h.min_value == 0.25 && h.max_value == 2));
    CHECK(h.normalised(2) == 1);
    CHECK(h.normalised(0.25) == 0);
    CHECK(h.normalised(1.125) == Approx(0.5));
    c.label = "note";
    h = heatmap_grid(t, c);
    CHECK(h.texts[0] == "v");
    CHECK(h.texts[3] == "z");
}

TEST_CASE("movements are active from their start to their end time", "[gui][results][movements]") {
    mp::layer::Layer l;
    auto add = [&](const char* id, mp::layer::Value start, mp::layer::Value end) {
        mp::layer::Feature f;
        f.id = id;
        f.geometry = mp::geo::lonlat(4, 51);
        f.attributes.set("depart", std::move(start));
        f.attributes.set("arrive", std::move(end));
        l.features.push_back(std::move(f));
    };
    const double day = 1767225600.0;
    add("a", std::string("2026-01-01T06:00:00Z"), std::string("2026-01-01T07:30:00Z"));
    add("b", day + 7 * 3600, std::int64_t{static_cast<std::int64_t>(day) + 9 * 3600});  // epoch seconds
    add("c", std::string("soon"), std::string("2026-01-01T08:00:00Z"));                 // not a time
    add("d", std::string("2026-01-01T08:00:00+01:00"), std::string("2026-01-01T08:00:00Z"));
    const MovementTimes m = movement_times(l, "depart", "arrive");
    CHECK(m.scale.absolute);
    CHECK(m.invalid == 1);
    CHECK(m.scale.t0 == day + 6 * 3600);
    CHECK(m.scale.t1 == day + 9 * 3600);
    CHECK(active_at(m, day + 5 * 3600).empty());
    CHECK(active_at(m, day + 6 * 3600) == std::vector<std::size_t>{0});
    CHECK(active_at(m, day + 7.25 * 3600) == std::vector<std::size_t>{0, 1, 3});
    CHECK(active_at(m, day + 8.5 * 3600) == std::vector<std::size_t>{1});
    CHECK(active_at(m, day + 9 * 3600) == std::vector<std::size_t>{1});
    CHECK(active_at(m, day + 9.01 * 3600).empty());
    CHECK(movement_times(l, "depart", "missing").invalid == 4);
}

TEST_CASE("a result layer becomes one map layer per distinct feature style", "[gui][results]") {
    plugin::ResultLayer rl;
    rl.style.color = "#ff0000";
    for (int i = 0; i < 4; ++i) rl.layer.features.emplace_back();
    CHECK(style_groups(rl) == 1);
    plugin::Style blue;
    blue.color = "#0000ff";
    rl.feature_styles = {std::nullopt, blue, blue, std::nullopt};
    CHECK(style_groups(rl) == 2);
    rl.layer.features.clear();
    rl.feature_styles.clear();
    CHECK(style_groups(rl) == 0);
}

TEST_CASE("a discrete raster view reaches the GPU as colours on the same mesh as a continuous one",
          "[gui][results][raster]") {
    auto r = raster<std::uint8_t>(plugin::PixelType::Byte, 1, {0, 1, 2, 255});
    r.role = plugin::RasterRole::Categories;
    r.has_nodata = true, r.nodata = 255;
    const mp::geo::Transformer t(mp::geo::kWgs84, mp::geo::kWebMercator);
    const RasterImage img = raster_image(r, raster_choices(r)[0]);
    const PreparedRaster p = prepare_raster(img, r.geotransform, t);
    REQUIRE((p.width == 2 && p.height == 2));
    CHECK(p.values.empty());
    CHECK(p.rgba == img.rgba);
    CHECK(p.mesh.size() == 2 * 2 * 6 * 4);  // 2 x 2 quads, two triangles of (x, y, u, v) each
    // The mesh spans the grid: 4.0-4.2 E, 50.8-51.0 N.
    double x0 = 4.0, y0 = 50.8, x1 = 4.2, y1 = 51.0;
    t.forward(x0, y0);
    t.forward(x1, y1);
    CHECK(p.extent.min_x == Approx(x0));
    CHECK(p.extent.max_y == Approx(y1));
    // A continuous view of the same grid: ramp positions, no colours.
    auto c = raster<float>(plugin::PixelType::Float32, 1, {1, 2, 3, 4});
    const PreparedRaster q = prepare_raster(raster_image(c, raster_choices(c)[0]), c.geotransform, t);
    CHECK(q.rgba.empty());
    CHECK(q.values == std::vector<float>{0.0f, 1.0f / 3, 2.0f / 3, 1.0f});
    // An image whose cells do not fit its size prepares nothing.
    RasterImage bad = img;
    bad.rgba.pop_back();
    CHECK(prepare_raster(bad, r.geotransform, t).mesh.empty());
}

TEST_CASE("playing a time slider crosses the span in the play time and stops at its end", "[gui][results][movements]") {
    TimeScale s;
    s.t0 = 1000, s.t1 = 3000, s.empty = false;
    bool playing = true;
    double t = play_step(s, 1000, 5, playing);  // 2000 s of span in 20 s: 100 per second
    CHECK(t == 1500);
    CHECK(playing);
    t = play_step(s, t, 14.9, playing);
    CHECK(t == Approx(2990));
    CHECK(playing);
    t = play_step(s, t, 1, playing);
    CHECK(t == 3000);
    CHECK_FALSE(playing);
    CHECK(play_step(s, 1200, 5, playing) == 1200);  // paused: unchanged
    playing = true;
    CHECK(play_step(s, 500, 0, playing) == 1000);  // a time outside the span starts at its edge
}

// ---------------------------------------------------------------- cursor readout

TEST_CASE("raster_cell_at inverts the geotransform: cells, edges and outside") {
    const auto r = raster<double>(plugin::PixelType::Float64, 1, {1, 2, 3, 4});  // x 4.0..4.2, y 51.0..50.8
    CHECK(raster_cell_at(r, 4.05, 50.95) == std::optional<std::size_t>(0));
    CHECK(raster_cell_at(r, 4.15, 50.95) == std::optional<std::size_t>(1));
    CHECK(raster_cell_at(r, 4.05, 50.85) == std::optional<std::size_t>(2));
    CHECK(raster_cell_at(r, 4.0, 51.0) == std::optional<std::size_t>(0));  // the top-left corner is inside
    CHECK_FALSE(raster_cell_at(r, 4.2, 50.9));                             // the right edge is outside
    CHECK_FALSE(raster_cell_at(r, 3.99, 50.9));
    CHECK_FALSE(raster_cell_at(r, 4.1, 51.01));
    CHECK_FALSE(raster_cell_at(r, NAN, 50.9));
    // A rotated grid: column axis along +y, row axis along +x (x = 10 + row, y = 20 + col).
    auto rot = r;
    rot.geotransform = {10, 0, 1, 20, 1, 0};
    CHECK(raster_cell_at(rot, 10.5, 21.5) == std::optional<std::size_t>(1));  // col 1, row 0
    CHECK(raster_cell_at(rot, 11.5, 20.5) == std::optional<std::size_t>(2));  // col 0, row 1
    auto flat = r;
    flat.geotransform = {0, 1, 1, 0, 1, 1};  // singular
    CHECK_FALSE(raster_cell_at(flat, 0.5, 0.5));
}

TEST_CASE("set_bit_names names exactly the bits set over every band of a mask") {
    // 2 bands of UInt64: cell 0 has bit 3 in band 0 and bit 1 in band 1 (item 65).
    std::vector<std::uint64_t> cells(8, 0);
    cells[0] = 1ull << 3;
    cells[4 + 0] = 1ull << 1;
    cells[1] = 1ull << 63;
    auto r = raster<std::uint64_t>(plugin::PixelType::UInt64, 2, cells);
    r.role = plugin::RasterRole::Bitmask;
    for (int i = 0; i < 70; ++i) r.item_names.push_back("S" + std::to_string(i));
    REQUIRE(r.problem() == "");
    CHECK(set_bit_names(r, 0) == std::vector<std::string>{"S3", "S65"});
    CHECK(set_bit_names(r, 1) == std::vector<std::string>{"S63"});
    CHECK(set_bit_names(r, 2).empty());
    r.item_names.resize(64);  // item 65 unnamed
    CHECK(set_bit_names(r, 0) == std::vector<std::string>{"S3", "bit 65"});
}

TEST_CASE("raster_readout of a bit mask lists its items at a point, nothing outside the grid or at nodata") {
    std::vector<std::uint64_t> cells(8, 0);
    cells[0] = 1ull << 3;
    cells[4] = 1ull << 1;
    cells[3] = 7;  // nodata in band 0 at cell 3
    auto r = raster<std::uint64_t>(plugin::PixelType::UInt64, 2, cells);
    r.name = "seen_by_30m";
    r.role = plugin::RasterRole::Bitmask;
    r.has_nodata = true, r.nodata = 7;
    for (int i = 0; i < 66; ++i) r.item_names.push_back("S" + std::to_string(i));
    REQUIRE(r.problem() == "");
    const auto choices = raster_choices(r);
    const auto at = raster_readout(r, choices[5], 4.05, 50.95);  // whatever bit is shown
    REQUIRE(at);
    CHECK(at->items == std::vector<std::string>{"S3", "S65"});
    CHECK(readout_line(*at) == "seen_by_30m: S3, S65");
    const auto none = raster_readout(r, choices[0], 4.15, 50.95);
    REQUIRE(none);
    CHECK(readout_line(*none) == "seen_by_30m: none set");
    CHECK_FALSE(raster_readout(r, choices[0], 4.15, 50.85));  // nodata
    CHECK_FALSE(raster_readout(r, choices[0], 4.25, 50.95));  // outside the grid
    CellReadout many{"m", "10 set", {"a", "b", "c", "d"}};
    CHECK(readout_line(many, 2) == "m: a, b ... and 2 more");
}

TEST_CASE("raster_readout gives the value with its unit, the height shown, and class names") {
    auto r = raster<double>(plugin::PixelType::Float64, 1, {12.5, -1, NAN, 0});
    r.name = "lowest_visible_m", r.unit = "m";
    r.has_nodata = true, r.nodata = -1;
    const auto c = raster_choices(r)[0];
    REQUIRE(raster_readout(r, c, 4.05, 50.95));
    CHECK(readout_line(*raster_readout(r, c, 4.05, 50.95)) == "lowest_visible_m: 12.5 m");
    CHECK_FALSE(raster_readout(r, c, 4.15, 50.95));  // nodata
    CHECK_FALSE(raster_readout(r, c, 4.05, 50.85));  // not finite
    CHECK(readout_line(*raster_readout(r, c, 4.15, 50.85)) == "lowest_visible_m: 0 m");

    // Bands per height: the value at the height shown.
    auto h = raster<std::uint8_t>(plugin::PixelType::Byte, 2, {0, 1, 2, 255, 2, 2, 2, 255});
    h.name = "coverage_class", h.role = plugin::RasterRole::BandsPerHeight;
    h.band_heights_m = {10, 30};
    h.has_nodata = true, h.nodata = 255;
    REQUIRE(h.problem() == "");
    const auto hc = raster_choices(h);
    CHECK(readout_line(*raster_readout(h, hc[0], 4.05, 50.95)) == "coverage_class at 10 m above ground: 0");
    CHECK(readout_line(*raster_readout(h, hc[1], 4.05, 50.95)) == "coverage_class at 30 m above ground: 2");
    CHECK_FALSE(raster_readout(h, hc[1], 4.15, 50.85));
    h.item_names = {"not detected", "detected", "engageable"};
    CHECK(readout_line(*raster_readout(h, hc[0], 4.15, 50.95)) == "coverage_class at 10 m above ground: detected (1)");

    // Categories: the class name, "class N" when unnamed.
    auto k = raster<std::uint8_t>(plugin::PixelType::Byte, 1, {0, 1, 5, 1});
    k.name = "land", k.role = plugin::RasterRole::Categories;
    k.item_names = {"water", "forest"};
    REQUIRE(k.problem() == "");
    const auto kc = raster_choices(k)[0];
    CHECK(readout_line(*raster_readout(k, kc, 4.15, 50.95)) == "land: forest (1)");
    CHECK(readout_line(*raster_readout(k, kc, 4.05, 50.85)) == "land: class 5");
}
