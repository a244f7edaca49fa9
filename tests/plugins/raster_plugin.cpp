// SPDX-License-Identifier: MIT
// A test plugin of the ABI 1.1 raster, vector-source and typed-result services, through
// the SDK alone: it reads a raster onto a grid its parameters describe and returns the
// cells, polygonises cells it is given, returns typed rasters, charts and layer roles,
// and loads a vector file. The tests compare what comes back with GDAL and analytic values.
#include <atomic>
#include <cstdio>
#include <string>
#include <thread>

#include "mp/plugin.hpp"

namespace {

const char* const kModes[] = {"info",  "read",  "read-huge", "threads", "polygonize",
                              "typed", "chart", "role",      "layer",   nullptr};
const char* const kResampling[] = {"nearest", "bilinear", "max", "average", "cubic", nullptr};

MpParamDef choice(const char* key, const char* const* choices, const char* def) {
    MpParamDef p = mp::sdk::param(key, key, MP_PARAM_ENUM, def);
    p.choices = choices;
    return p;
}

MpParamDef list_of(const char* key, MpParamType item) {
    MpParamDef p = mp::sdk::param(key, key, MP_PARAM_LIST);
    p.item_type = item;
    return p;
}

const MpParamDef kParams[] = {
    choice("mode", kModes, "read"),
    mp::sdk::raster_param("dem", "Raster parameter"),
    mp::sdk::param("source", "Raster source as text (opened through its key)", MP_PARAM_STRING),
    mp::sdk::param("literal", "Open the source text itself, not the key", MP_PARAM_BOOL, "false"),
    // The grid; without crs, the raster's own grid from column col0 and row0.
    mp::sdk::param("crs", "Grid CRS", MP_PARAM_STRING),
    mp::sdk::param("x0", "Grid origin x", MP_PARAM_NUMBER),
    mp::sdk::param("y0", "Grid origin y", MP_PARAM_NUMBER),
    mp::sdk::param("cell_x", "Cell width", MP_PARAM_NUMBER),
    mp::sdk::param("cell_y", "Cell height", MP_PARAM_NUMBER),
    mp::sdk::param("col0", "First column of the raster's own grid", MP_PARAM_INTEGER, "0"),
    mp::sdk::param("row0", "First row of the raster's own grid", MP_PARAM_INTEGER, "0"),
    mp::sdk::param("width", "Grid width (0: to the raster's edge)", MP_PARAM_INTEGER, "0"),
    mp::sdk::param("height", "Grid height (0: to the raster's edge)", MP_PARAM_INTEGER, "0"),
    choice("resampling", kResampling, "nearest"),
    mp::sdk::param("band", "Band", MP_PARAM_INTEGER, "1"),
    mp::sdk::param("nodata", "Nodata of the read cells", MP_PARAM_NUMBER, "-32768"),
    // polygonize
    list_of("cells", MP_PARAM_NUMBER),
    mp::sdk::param("eight", "8-connected", MP_PARAM_BOOL, "false"),
    mp::sdk::param("skip", "Nodata of the polygonised cells", MP_PARAM_NUMBER),
    // chart
    mp::sdk::param("kind", "Chart kind", MP_PARAM_STRING, "line"),
    mp::sdk::param("x", "Chart x", MP_PARAM_STRING),
    list_of("y", MP_PARAM_STRING),
    mp::sdk::param("start", "Gantt start / role start field", MP_PARAM_STRING),
    mp::sdk::param("end", "Gantt end / role end field", MP_PARAM_STRING),
    mp::sdk::param("row", "Heatmap row", MP_PARAM_STRING),
    mp::sdk::param("column", "Heatmap column", MP_PARAM_STRING),
    mp::sdk::param("value", "Heatmap value", MP_PARAM_STRING),
    // layer
    mp::sdk::file_param("vector", "Vector file", MP_FILE_IN),
};

std::string str(double v) {
    char b[64];
    std::snprintf(b, sizeof b, "%.17g", v);
    return b;
}

std::string opt(const mp::sdk::Run& r, const char* key) { return r.has(key) ? r.text(key) : std::string(); }

mp::sdk::Raster open(const mp::sdk::Run& r) {
    if (r.has("dem")) return r.open_raster("dem");
    return r.flag("literal") ? r.open_raster(r.text("source")) : r.open_raster("source");
}

mp::sdk::Grid grid_of(const mp::sdk::Run& r, const mp::sdk::RasterInfo& info) {
    const auto w = static_cast<std::size_t>(r.integer("width")), h = static_cast<std::size_t>(r.integer("height"));
    if (!r.has("crs"))
        return info.grid(static_cast<std::size_t>(r.integer("col0")), static_cast<std::size_t>(r.integer("row0")), w,
                         h);
    mp::sdk::Grid g;
    g.crs = r.text("crs");
    g.origin_x = r.number("x0"), g.origin_y = r.number("y0");
    g.cell_size_x = r.number("cell_x"), g.cell_size_y = r.number("cell_y");
    g.width = w, g.height = h;
    return g;
}

MpResampling resampling(const mp::sdk::Run& r) {
    const std::string s = r.text("resampling");
    return s == "bilinear"  ? MP_RESAMPLE_BILINEAR
           : s == "max"     ? MP_RESAMPLE_MAX
           : s == "average" ? MP_RESAMPLE_AVERAGE
           : s == "cubic"   ? MP_RESAMPLE_CUBIC
                            : MP_RESAMPLE_NEAREST;
}

void info(mp::sdk::Run& r) {
    const auto ras = open(r);
    const auto i = ras.info();
    auto t = r.table("info");
    t.texts("key",
            {"width", "height", "bands", "gt", "crs_name", "crs_wkt", "projected", "unit_m", "nodata", "source"});
    std::string gt;
    for (double v : i.geotransform) gt += (gt.empty() ? "" : ",") + str(v);
    t.texts("value",
            {std::to_string(i.width), std::to_string(i.height), std::to_string(i.bands), gt, i.crs_name, i.crs_wkt,
             i.projected ? "1" : "0", str(i.linear_unit_m), i.nodata ? str(*i.nodata) : "none", i.source});
}

void read(mp::sdk::Run& r) {
    const auto ras = open(r);
    const mp::sdk::Grid g = grid_of(r, ras.info());
    const double nodata = r.number("nodata");
    const auto values = ras.read(g, resampling(r), nodata, static_cast<std::size_t>(r.integer("band")));
    double gt[6];
    g.geotransform(gt);
    r.raster("read", g.width, g.height, gt, g.crs, values, nodata);
}

// A grid over the host's limit, read through the C ABI into a one-cell buffer: the host
// must refuse it before writing anything.
void read_huge(mp::sdk::Run& r) {
    auto ras = open(r);
    const mp::sdk::Grid g = grid_of(r, ras.info());
    const MpGridSpec spec = g.view();
    double cell = 0;
    r.status(r.host()->raster_read(ras.handle(), 1, &spec, MP_RESAMPLE_NEAREST, 0, &cell), "raster_read");
}

// Two handles on one source, read from four threads at once (two per handle): every read
// must equal the one made on the run's thread.
void threads(mp::sdk::Run& r) {
    const auto a = open(r);
    const auto b = open(r);
    const mp::sdk::Grid g = grid_of(r, a.info());
    const auto expected = a.read(g, resampling(r), -1);
    std::atomic<int> mismatches{0}, failures{0};
    std::vector<std::thread> pool;
    for (int k = 0; k < 4; ++k)
        pool.emplace_back([&, k] {
            try {
                for (int rep = 0; rep < 5; ++rep)
                    if ((k % 2 ? b : a).read(g, resampling(r), -1) != expected) ++mismatches;
            } catch (...) {
                ++failures;
            }
        });
    for (auto& t : pool) t.join();
    r.info("threads: " + std::to_string(mismatches.load()) + " mismatches, " + std::to_string(failures.load()) +
           " failures in 20 reads of " + std::to_string(expected.size()) + " cells");
}

void polygonize(mp::sdk::Run& r) {
    mp::sdk::Grid g;
    g.crs = r.text("crs");
    g.origin_x = r.number("x0"), g.origin_y = r.number("y0");
    g.cell_size_x = r.number("cell_x"), g.cell_size_y = r.number("cell_y");
    g.width = static_cast<std::size_t>(r.integer("width")), g.height = static_cast<std::size_t>(r.integer("height"));
    std::vector<double> cells;
    for (const auto& s : r.list("cells")) cells.push_back(std::stod(s));
    auto layer = r.result_layer("areas", "#1f77b4", 1);
    r.polygonize(g, cells, layer, "value", r.has("skip") ? std::optional<double>(r.number("skip")) : std::nullopt,
                 r.flag("eight"));
}

// Typed rasters of every pixel type and role on one 3 x 2 grid, with cells the test
// recomputes: band b, cell i.
void typed(mp::sdk::Run& r) {
    const mp::sdk::Grid g{"EPSG:31370", 100000, 200000, 10, 10, 3, 2};
    std::vector<std::uint64_t> mask(6);
    for (std::size_t i = 0; i < 6; ++i) mask[i] = (std::uint64_t{1} << 63) | (std::uint64_t{1} << (i * 7)) | i;
    r.raster(mp::sdk::RasterResult::of<std::uint64_t>("mask", g).band(0, mask).bitmask({"sys-0", "sys-1", "sys-2"}));

    auto heights = mp::sdk::RasterResult::of<float>("heights", g, 3);
    for (std::size_t b = 0; b < 3; ++b)
        for (std::size_t i = 0; i < 6; ++i) heights.cells<float>(b)[i] = static_cast<float>(b * 100 + i) + 0.25f;
    heights.cells<float>(2)[5] = -1;
    r.raster(heights.heights({2, 10, 25}).band_names({"2 m", "10 m", "25 m"}).nodata(-1).unit("m"));

    r.raster(mp::sdk::RasterResult::of<std::uint8_t>("classes", g)
                 .band(0, std::vector<std::uint8_t>{0, 1, 2, 2, 1, 255})
                 .categories({"none", "low", "high"})
                 .nodata(255));
    r.raster(mp::sdk::RasterResult::of<std::uint16_t>("counts16", g, 2)
                 .band(0, std::vector<std::uint16_t>{1, 2, 3, 4, 5, 65535})
                 .band(1, std::vector<std::uint16_t>{10, 20, 30, 40, 50, 60})
                 .band_names({"day", "night"}));
    r.raster(mp::sdk::RasterResult::of<std::uint32_t>("counts32", g)
                 .band(0, std::vector<std::uint32_t>{0, 1, 4000000000u, 7, 8, 9})
                 .nodata(0));
    r.raster(mp::sdk::RasterResult::of<double>("f64", g, 2)
                 .band(0, std::vector<double>{0.1, 0.2, 0.3, 1e300, -0.5, NAN})
                 .band(1, std::vector<double>{1, 2, 3, 4, 5, 6}));
}

void chart(mp::sdk::Run& r) {
    auto t = r.table("t");
    t.numbers("hour", {0, 1, 2}, "h");
    t.numbers("load", {1.5, 2.5, 3.5}, "t");
    t.texts("name", {"a", "b", "c"});
    t.texts("from", {"2026-01-01T06:00:00Z", "2026-01-01T07:00:00Z", "2026-01-01T08:30:00Z"});
    t.numbers("until", {25200, 28800, 36000}, "s");
    mp::sdk::Chart c;
    c.kind = r.text("kind");
    c.x = opt(r, "x");
    if (r.has("y")) c.y = r.list("y");
    c.start = opt(r, "start"), c.end = opt(r, "end");
    c.row = opt(r, "row"), c.column = opt(r, "column"), c.value = opt(r, "value");
    c.title = "test chart";
    t.chart(c);
}

void role(mp::sdk::Run& r) {
    auto l = r.result_layer("moves", "#ff7f0e", 2);
    l.add("m1", mp::sdk::Geometry::line({{4.0, 51.0}, {4.1, 51.1}}))
        .set("depart", "2026-01-01T06:00:00Z")
        .set("arrive", "2026-01-01T07:30:00Z");
    l.add("m2", mp::sdk::Geometry::line({{4.1, 51.1}, {4.2, 51.0}})).set("depart", 3600.0).set("arrive", 7200.0);
    l.role("movements", r.text("start"), r.text("end"));
}

void layer(mp::sdk::Run& r) {
    const auto [first, count] = r.load_layers("vector");
    auto out = r.result_layer("copy");
    for (std::size_t l = first; l < first + count; ++l) {
        const std::string name = r.layer_name(l);
        r.info("layer " + std::to_string(l) + " " + name + " " + std::to_string(r.feature_count(l)) + " features" +
               (r.layer(name) == l ? ", found by name" : ""));
        for (std::size_t f = 0; f < r.feature_count(l); ++f)
            out.add(r.feature_id(l, f), mp::sdk::Geometry::from(r.geometry(l, f))).set("name", r.attr(l, f, "name"));
    }
}

void run(mp::sdk::Run& r) {
    const std::string mode = r.text("mode");
    if (mode == "info") info(r);
    else if (mode == "read") read(r);
    else if (mode == "read-huge") read_huge(r);
    else if (mode == "threads") threads(r);
    else if (mode == "polygonize") polygonize(r);
    else if (mode == "typed") typed(r);
    else if (mode == "chart") chart(r);
    else if (mode == "role") role(r);
    else if (mode == "layer") layer(r);
}

}  // namespace

MP_SDK_PLUGIN(MP_TEST_PLUGIN_ID, "Raster services probe", "1.1.0", "ABI 1.1 raster and typed-result services", kParams,
              sizeof(kParams) / sizeof(kParams[0]), run)
