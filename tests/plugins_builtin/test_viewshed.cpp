// SPDX-License-Identifier: MIT
// The terrain engine of protection-coverage (plugins/protection_coverage/viewshed.*):
// lowest visible target height above ground, checked against closed forms (the radar
// horizon over a smooth earth, a ridge, a cone, a valley) and against GDAL's own
// viewshed (GDALViewshedGenerate, GVOT_MIN_TARGET_HEIGHT_FROM_GROUND, curvature
// coefficient 1/k) on synthetic relief and on the real Ghent DTM.
#include <catch2/catch.hpp>
#include <cpl_conv.h>
#include <gdal.h>
#include <gdal_alg.h>
#include <ogr_srs_api.h>

#include <cmath>
#include <random>
#include <vector>

#include "test_support.hpp"
#include "placement.hpp"
#include "viewshed.hpp"

using namespace pcov;

namespace {

constexpr double kGrs80 = 6378137;
constexpr double kNoCurvature = 1e15;  // an earth so large that it is flat

// A square DEM of n x n cells of `cell` metres centred on (0, 0), heights from f(x, y).
template <class F>
Dem make_dem(int n, double cell, F f, double semi_major = kGrs80) {
    Dem d;
    d.width = d.height = n;
    d.cell = cell;
    d.x0 = -n * cell / 2;
    d.y0 = n * cell / 2;
    d.semi_major_m = semi_major;
    d.z.resize(static_cast<std::size_t>(n) * n);
    for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c)
            d.z[static_cast<std::size_t>(r) * n + c] = static_cast<float>(f(d.centre_x(c), d.centre_y(r)));
    return d;
}

// A site at the centre of the cell holding (x, y).
Site site_at(const Dem& d, double x, double y, double mast, double range, double k = 4.0 / 3.0) {
    Site s;
    s.x = d.centre_x(d.column_of(x));
    s.y = d.centre_y(d.row_of(y));
    s.mast_m = mast;
    s.range_m = range;
    s.k = k;
    return s;
}

// Synthetic relief of the Ardennes kind: a 250 m plateau with hills and valleys of
// 100-150 m, 1-3 km wide, at fixed pseudo-random places.
double relief(double x, double y) {
    static const auto bumps = [] {
        std::mt19937 rng(7);
        std::uniform_real_distribution<double> pos(-12000, 12000), amp(100, 150), width(1000, 3000);
        std::vector<std::array<double, 4>> b;
        for (int i = 0; i < 40; ++i) b.push_back({pos(rng), pos(rng), (i % 3 == 0 ? -1 : 1) * amp(rng), width(rng)});
        return b;
    }();
    double z = 250;
    for (const auto& [bx, by, a, w] : bumps)
        z += a * std::exp(-((x - bx) * (x - bx) + (y - by) * (y - by)) / (2 * w * w));
    return z;
}

// GDAL's lowest visible target height above ground for the same DEM and site, on the
// DEM's own grid (NaN outside GDAL's output window).
std::vector<double> gdal_lowest_visible(const Dem& d, const Site& s, int epsg) {
    GDALAllRegister();
    GDALDriverH mem = GDALGetDriverByName("MEM");
    GDALDatasetH ds = GDALCreate(mem, "", d.width, d.height, 1, GDT_Float32, nullptr);
    double gt[6] = {d.x0, d.cell, 0, d.y0, 0, -d.cell};
    GDALSetGeoTransform(ds, gt);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
    OSRImportFromEPSG(srs, epsg);
    GDALSetSpatialRef(ds, srs);
    GDALRasterBandH band = GDALGetRasterBand(ds, 1);
    REQUIRE(GDALRasterIO(band, GF_Write, 0, 0, d.width, d.height, const_cast<float*>(d.z.data()), d.width, d.height,
                         GDT_Float32, 0, 0) == CE_None);
    GDALDatasetH out =
        GDALViewshedGenerate(band, "MEM", "", nullptr, s.x, s.y, s.mast_m, 0, 255, 0, 255, -1, 1.0 / s.k, GVM_Edge,
                             s.range_m, nullptr, nullptr, GVOT_MIN_TARGET_HEIGHT_FROM_GROUND, nullptr);
    REQUIRE(out != nullptr);
    double ogt[6];
    GDALGetGeoTransform(out, ogt);
    const int ox = static_cast<int>(std::lround((ogt[0] - d.x0) / d.cell));
    const int oy = static_cast<int>(std::lround((d.y0 - ogt[3]) / d.cell));
    const int w = GDALGetRasterXSize(out), h = GDALGetRasterYSize(out);
    std::vector<double> win(static_cast<std::size_t>(w) * h);
    REQUIRE(GDALRasterIO(GDALGetRasterBand(out, 1), GF_Read, 0, 0, w, h, win.data(), w, h, GDT_Float64, 0, 0) ==
            CE_None);
    std::vector<double> all(d.z.size(), std::nan(""));
    for (int r = 0; r < h; ++r)
        for (int c = 0; c < w; ++c)
            all[static_cast<std::size_t>(r + oy) * d.width + (c + ox)] = win[static_cast<std::size_t>(r) * w + c];
    GDALClose(out);
    GDALClose(ds);
    OSRDestroySpatialReference(srs);
    return all;
}

struct Agreement {
    std::size_t cells = 0, same = 0;
    double percent() const { return cells ? 100.0 * same / cells : 0; }
};

// Per band, the share of in-range cells where ours and GDAL's agree on visibility.
std::vector<Agreement> agreement(const Dem& d, const Site& s, const HeightWindow& ours, const std::vector<double>& gdal,
                                 const std::vector<double>& bands) {
    std::vector<Agreement> a(bands.size());
    for (int r = 0; r < d.height; ++r)
        for (int c = 0; c < d.width; ++c) {
            const double dx = d.centre_x(c) - s.x, dy = d.centre_y(r) - s.y;
            if (dx * dx + dy * dy > s.range_m * s.range_m) continue;
            const double g = gdal[static_cast<std::size_t>(r) * d.width + c];
            const double o = ours.at(c, r);
            if (std::isnan(g)) continue;
            for (std::size_t b = 0; b < bands.size(); ++b) {
                ++a[b].cells;
                if ((o <= bands[b]) == (g <= bands[b])) ++a[b].same;
            }
        }
    return a;
}

// Along the ray east of the site: the distance of the farthest cell whose lowest
// visible height is at most `target` before the first one that is not.
double visible_radius_east(const Dem& d, const Site& s, const HeightWindow& w, double target) {
    const int r = d.row_of(s.y);
    double last = 0;
    for (int c = d.column_of(s.x); c < d.width; ++c) {
        if (!(w.at(c, r) <= target)) break;
        last = d.centre_x(c) - s.x;
    }
    return last;
}

}  // namespace

TEST_CASE(
    "flat earth with curvature: the radar horizon of a 10 m mast at k = 4/3 is 13.04 km, 26.08 km for a 10 m target",
    "[viewshed]") {
    const Dem d = make_dem(2200, 25, [](double, double) { return 0.0; });
    const Site s = site_at(d, 0, 0, 10, 27000);
    const HeightWindow w = lowest_visible(d, s);
    const double a = kGrs80 * 4.0 / 3.0;
    const double d1 = horizon_m(10, 0, 4.0 / 3.0, kGrs80);
    CHECK(d1 == Approx(13042).margin(2));
    CHECK(horizon_m(10, 10, 4.0 / 3.0, kGrs80) == Approx(26084).margin(3));
    CHECK(std::abs(visible_radius_east(d, s, w, 0) - d1) <= 25);
    CHECK(std::abs(visible_radius_east(d, s, w, 10) - 2 * d1) <= 25);
    // Beyond the horizon the lowest visible height is (D - d1)^2 / (2 k a), in every
    // direction (the sweep's interpolation must not bend the horizon off its circle).
    for (double az = 0; az < 360; az += 15) {
        const double D = 20000;
        const double x = D * std::sin(az * M_PI / 180), y = D * std::cos(az * M_PI / 180);
        const double want = (D - d1) * (D - d1) / (2 * a);
        CHECK(w.at(d.column_of(x), d.row_of(y)) == Approx(want).margin(0.15));
        CHECK(lowest_visible_exact(d, s, d.centre_x(d.column_of(x)), d.centre_y(d.row_of(y))) ==
              Approx(want).margin(0.15));
    }
}

TEST_CASE("a 12 km disc over flat ground is fully visible at 10 m and nothing beyond the range is", "[viewshed]") {
    const Dem d = make_dem(1100, 25, [](double, double) { return 12.0; });
    const Site s = site_at(d, 0, 0, 10, 12000);
    const HeightWindow w = lowest_visible(d, s);
    std::size_t in = 0, seen = 0, beyond_marked = 0, beyond = 0;
    for (int r = 0; r < d.height; ++r)
        for (int c = 0; c < d.width; ++c) {
            const double dx = d.centre_x(c) - s.x, dy = d.centre_y(r) - s.y;
            if (dx * dx + dy * dy <= 12000.0 * 12000.0) {
                ++in;
                if (w.at(c, r) <= 10) ++seen;
            } else {
                ++beyond;
                if (w.at(c, r) == kNotSeen) ++beyond_marked;
            }
        }
    CHECK(in > 700000);
    CHECK(seen == in);
    CHECK(beyond_marked == beyond);
}

TEST_CASE("behind a straight ridge the shadow is the closed-form sight line over its crest", "[viewshed]") {
    // A tent-shaped ridge running north-south, crest 150 m high 3 km east of the sensor,
    // flanks 1 km wide; flat ground at 0 elsewhere; no curvature (checked above).
    const double crest_x = 3012.5, half = 1000, H = 150, mast = 10;  // crest on a cell centre
    auto ridge = [&](double x, double) { return std::max(0.0, H * (1 - std::abs(x - crest_x) / half)); };
    const Dem d = make_dem(800, 25, ridge, kNoCurvature);
    const Site s = site_at(d, 0, 0, mast, 9500);
    const HeightWindow w = lowest_visible(d, s);
    std::size_t cells = 0, close = 0, same30 = 0;
    for (int r = 0; r < d.height; ++r)
        for (int c = 0; c < d.width; ++c) {
            const double x = d.centre_x(c) - s.x, y = d.centre_y(r) - s.y;
            const double D = std::hypot(x, y);
            if (D > 9000 || x < crest_x + half + 50) continue;
            // The ray crosses the crest at D * crest_x / x; the sight line grazes it.
            const double d_crest = D * (crest_x - s.x) / x;
            const double want = std::max(0.0, mast + (H - mast) * D / d_crest);
            const double got = w.at(c, r);
            ++cells;
            if (std::abs(got - want) <= 0.5 + 0.01 * want) ++close;
            if ((got <= 30) == (want <= 30)) ++same30;
            // Exact line of sight is exact here (the ridge is linear between cell centres).
            if (r % 37 == 0 && c % 11 == 0)
                CHECK(lowest_visible_exact(d, s, d.centre_x(c), d.centre_y(r)) ==
                      Approx(want).margin(0.05 + 1e-4 * want));
        }
    REQUIRE(cells > 50000);
    CHECK(100.0 * close / cells >= 99.0);
    CHECK(100.0 * same30 / cells >= 99.5);
}

TEST_CASE("a sensor in a valley sees its flanks and nothing of the plateau beyond the crests", "[viewshed]") {
    // A V-shaped valley along y: the ground rises 0.1 per metre to a plateau at 100 m,
    // 1 km either side of the floor, near which the sensor stands on a 5 m mast.
    const double mast = 5, crest = 1000, plateau = 100;
    auto valley = [&](double x, double) { return std::min(plateau, 0.1 * std::abs(x)); };
    const Dem d = make_dem(400, 25, valley, kNoCurvature);
    const Site s = site_at(d, 0, 0, mast, 4500);
    const double z_sensor = valley(s.x, s.y) + mast;
    const HeightWindow w = lowest_visible(d, s);
    std::size_t flank = 0, flank_seen = 0, far = 0, far_close = 0;
    for (int r = 0; r < d.height; ++r)
        for (int c = 0; c < d.width; ++c) {
            const double x = d.centre_x(c), y = d.centre_y(r);
            const double D = std::hypot(x - s.x, y - s.y);
            if (D > 4500 || D < 50) continue;
            const double h = w.at(c, r);
            if (std::abs(x) < crest - 25) {
                ++flank;
                if (h <= 0.01) ++flank_seen;
            } else if (std::abs(x) > crest + 50) {
                // The sight line grazes the crest where the ray crosses it:
                // (H - z_sensor) (D / d_crest - 1), D / d_crest = |x - xs| / |crest - xs|.
                const double to_crest = x > 0 ? crest - s.x : crest + s.x;
                const double want = (plateau - z_sensor) * (std::abs(x - s.x) / to_crest - 1);
                ++far;
                if (std::abs(h - want) <= 0.5 + 0.02 * want) ++far_close;
            }
        }
    REQUIRE(flank > 10000);
    CHECK(flank_seen == flank);
    CHECK(100.0 * far_close / far >= 99.0);
}

TEST_CASE("behind a cone the shadow along the axis is the sight line over its apex", "[viewshed]") {
    // A cone 120 m high, 1.5 km in radius, its apex on a cell centre 4 km east of the
    // sensor's cell centre (12.5, -12.5) on the same row.
    const double cx = 4012.5, cy = -12.5, radius = 1500, H = 120, mast = 8;
    auto cone = [&](double x, double y) { return std::max(0.0, H * (1 - std::hypot(x - cx, y - cy) / radius)); };
    const Dem d = make_dem(900, 25, cone, kNoCurvature);
    const Site s = site_at(d, 0, 0, mast, 11000);
    const HeightWindow w = lowest_visible(d, s);
    const int r = d.row_of(s.y);
    int checked = 0;
    for (int c = d.column_of(cx + radius + 100); c < d.width && d.centre_x(c) - s.x < 10500; ++c) {
        const double D = d.centre_x(c) - s.x;
        const double want = mast + (H - mast) * D / (cx - s.x);
        CHECK(w.at(c, r) == Approx(want).margin(0.5 + 0.01 * want));
        CHECK(lowest_visible_exact(d, s, d.centre_x(c), d.centre_y(r)) == Approx(want).margin(0.05));
        ++checked;
    }
    CHECK(checked > 150);
    // The cone's near flank faces the sensor: all of it is seen at ground level.
    for (int c = d.column_of(cx - radius + 50); d.centre_x(c) < cx - 50; ++c) CHECK(w.at(c, r) <= 0.01);
}

TEST_CASE("agrees with GDAL's viewshed on synthetic relief in at least 99.5 % of in-range cells per band",
          "[viewshed][gdal]") {
    const Dem d = make_dem(1000, 25, relief);
    const std::vector<double> bands{10, 30, 50, 100, 150};
    for (const auto& [x, y, mast, k] :
         {std::tuple{0.0, 0.0, 10.0, 4.0 / 3.0}, std::tuple{-3000.0, 4000.0, 20.0, 7.0 / 6.0},
          std::tuple{5200.0, -1800.0, 4.0, 4.0 / 3.0}}) {
        const Site s = site_at(d, x, y, mast, 9000, k);
        const HeightWindow ours = lowest_visible(d, s);
        const auto theirs = gdal_lowest_visible(d, s, 3812);
        const auto a = agreement(d, s, ours, theirs, bands);
        for (std::size_t b = 0; b < bands.size(); ++b) {
            INFO("site " << x << "," << y << " band " << bands[b] << " m: " << a[b].percent() << " % of "
                         << a[b].cells);
            CHECK(a[b].cells > 200000);
            CHECK(a[b].percent() >= 99.5);
        }
    }
}

TEST_CASE("agrees with GDAL's viewshed on the real Ghent 25 m DTM", "[viewshed][gdal][data]") {
    const std::string path = mp::test::shared_data("dem_ghent_dhmv2_dtm25m_epsg31370.tif");
    GDALAllRegister();
    GDALDatasetH src = GDALOpen(path.c_str(), GA_ReadOnly);
    REQUIRE(src != nullptr);
    double gt[6];
    GDALGetGeoTransform(src, gt);
    const int W = GDALGetRasterXSize(src), Hh = GDALGetRasterYSize(src);
    GDALRasterBandH band = GDALGetRasterBand(src, 1);
    int has_nodata = 0;
    const double nodata = GDALGetRasterNoDataValue(band, &has_nodata);
    // A window of up to 1000 x 1000 cells at the centre of the DTM.
    const int n = std::min({1000, W, Hh});
    const int c0 = (W - n) / 2, r0 = (Hh - n) / 2;
    Dem d;
    d.width = d.height = n;
    d.cell = gt[1];
    d.x0 = gt[0] + c0 * gt[1];
    d.y0 = gt[3] + r0 * gt[5];
    d.semi_major_m = 6378388;  // EPSG:31370 is on the International 1924 ellipsoid
    d.z.resize(static_cast<std::size_t>(n) * n);
    REQUIRE(GDALRasterIO(band, GF_Read, c0, r0, n, n, d.z.data(), n, n, GDT_Float32, 0, 0) == CE_None);
    GDALClose(src);
    // Water and other holes: the lowest valid height (flat Flanders), as the plugin fills them.
    float low = 1e9f;
    for (float v : d.z)
        if (!(has_nodata && v == static_cast<float>(nodata)) && std::isfinite(v)) low = std::min(low, v);
    for (float& v : d.z)
        if ((has_nodata && v == static_cast<float>(nodata)) || !std::isfinite(v)) v = low;
    const std::vector<double> bands{10, 30, 50, 100, 150};
    const double cx = d.x0 + n * d.cell / 2, cy = d.y0 - n * d.cell / 2;
    for (const auto& [dx, dy] : {std::pair{0.0, 0.0}, std::pair{-4000.0, 3000.0}}) {
        const Site s = site_at(d, cx + dx, cy + dy, 10, 9000);
        const HeightWindow ours = lowest_visible(d, s);
        const auto theirs = gdal_lowest_visible(d, s, 31370);
        const auto a = agreement(d, s, ours, theirs, bands);
        for (std::size_t b = 0; b < bands.size(); ++b) {
            INFO("band " << bands[b] << " m: " << a[b].percent() << " % of " << a[b].cells);
            CHECK(a[b].percent() >= 99.5);
        }
    }
}

TEST_CASE(
    "placement: on synthetic relief with 30 candidates and 3 systems, greedy reaches 98 % of the exhaustive optimum "
    "and the integer program finds it",
    "[viewshed][placement]") {
    const Dem d = make_dem(640, 25, relief);  // 16 x 16 km of hills and valleys
    const double band = 30;
    // Four defended areas of 1.2 km square, weights 1 to 4, sampled every 100 m.
    struct Area {
        double x, y, w;
    };
    const std::vector<Area> areas{{-5000, -4000, 1}, {4500, -3000, 2}, {-2500, 5000, 3}, {5000, 4500, 4}};
    std::vector<std::pair<double, double>> targets;
    PlacementProblem p;
    for (const auto& a : areas)
        for (int i = 0; i < 12; ++i)
            for (int j = 0; j < 12; ++j) {
                targets.emplace_back(a.x - 600 + 50 + 100 * i, a.y - 600 + 50 + 100 * j);
                p.weight.push_back(a.w / 144.0);
            }
    p.already.assign(targets.size(), 0);
    // 30 candidates on a 6 x 5 lattice; one type: a 5 km sensor on a 6 m mast.
    for (int i = 0; i < 6; ++i)
        for (int j = 0; j < 5; ++j) {
            const Site s = site_at(d, -6000 + 2400.0 * i, -5500 + 2600.0 * j, 6, 5000);
            const HeightWindow w = lowest_visible(d, s);
            std::vector<std::uint32_t> covers;
            for (std::size_t t = 0; t < targets.size(); ++t)
                if (w.at(d.column_of(targets[t].first), d.row_of(targets[t].second)) <= band)
                    covers.push_back(static_cast<std::uint32_t>(t));
            p.covers.push_back(covers);
            p.option_type.push_back(0);
            p.option_candidate.push_back(p.covers.size() - 1);
        }
    p.count_per_type = {3};
    // The exhaustive optimum over all C(30, 3) = 4060 choices.
    double best = 0;
    for (std::size_t a = 0; a < 30; ++a)
        for (std::size_t b = a + 1; b < 30; ++b)
            for (std::size_t c = b + 1; c < 30; ++c) best = std::max(best, placement_value(p, {a, b, c}));
    REQUIRE(best > 0);
    const Placement greedy = place_greedy(p);
    CHECK(greedy.options.size() == 3);
    CHECK(greedy.value >= 0.98 * best);
    const Placement exact = place_exact(p, greedy, 30);
    CHECK(exact.optimal);
    CHECK(exact.value == Approx(best).epsilon(1e-9));
    CHECK(exact.gap_pct() == Approx(0).margin(1e-6));
    INFO("optimum " << best << ", greedy " << greedy.value);
}
