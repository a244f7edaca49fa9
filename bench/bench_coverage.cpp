// SPDX-License-Identifier: MIT
// bench-coverage (issue "Protection coverage 2"): the coverage terrain engine against
// GDAL's viewshed (GDALViewshedGenerate, GVOT_MIN_TARGET_HEIGHT_FROM_GROUND, the same
// curvature as 1/k), in one run on the same DEM:
//   single    one sensor, 20 km range at the DEM's cell size: ours vs GDAL in process
//   100       100 sensors x 12 km, 5 bands: ours on every thread, what the plugin runs
//             (every window, then combine(): per band the counts, classes and the set
//             of sensors of every cell, the lowest visible height) vs 100 sequential
//             GDAL viewsheds
//   move_one  moving one sensor as the plugin does it: its window again (the others
//             come from the cache) and combine() again
//   memory    bytes our 100-sensor state holds (windows, combined grids, DEM) and the
//             peak RSS
//   agreement % of in-range cells whose visibility at 30 m equals GDAL's (all 100)
// Usage: bench-coverage [--dem FILE] [--sensors N]
//   without --dem: a synthetic 48 x 48 km relief at 25 m (hills and valleys of 100-150 m)
//   made here; with --dem: a window of up to 48 x 48 km at the centre of FILE (a
//   projected metric CRS, north-up).
#include <cpl_conv.h>
#include <gdal.h>
#include <gdal_alg.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "coverage.hpp"
#include "viewshed.hpp"

using namespace pcov;

namespace {

double now_ms() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double peak_rss_mb() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    return 0;
}

struct Input {
    Dem dem;
    std::string wkt;  // the DEM's CRS for GDAL
    std::string what;
};

Input synthetic() {
    Input in;
    Dem& d = in.dem;
    d.width = d.height = 1920;  // 48 km at 25 m
    d.cell = 25;
    d.x0 = 600000;  // somewhere in EPSG:3812's Belgium
    d.y0 = 600000;
    d.semi_major_m = 6378137;
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> pos(0, 48000), amp(100, 150), width(800, 3000);
    std::vector<std::array<double, 4>> bumps;
    for (int i = 0; i < 160; ++i) bumps.push_back({pos(rng), pos(rng), (i % 3 == 0 ? -1 : 1) * amp(rng), width(rng)});
    d.z.resize(static_cast<std::size_t>(d.width) * d.height);
    for (int r = 0; r < d.height; ++r)
        for (int c = 0; c < d.width; ++c) {
            const double x = (c + 0.5) * d.cell, y = (r + 0.5) * d.cell;
            double z = 300;
            for (const auto& [bx, by, a, w] : bumps) {
                const double q = ((x - bx) * (x - bx) + (y - by) * (y - by)) / (2 * w * w);
                if (q < 20) z += a * std::exp(-q);
            }
            d.z[static_cast<std::size_t>(r) * d.width + c] = static_cast<float>(z);
        }
    OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
    OSRImportFromEPSG(srs, 3812);
    char* wkt = nullptr;
    OSRExportToWkt(srs, &wkt);
    in.wkt = wkt;
    CPLFree(wkt);
    OSRDestroySpatialReference(srs);
    in.what = "synthetic 48 x 48 km relief at 25 m";
    return in;
}

bool from_file(const std::string& path, Input& in) {
    GDALDatasetH ds = GDALOpen(path.c_str(), GA_ReadOnly);
    if (!ds) return std::fprintf(stderr, "bench-coverage: cannot open %s\n", path.c_str()), false;
    double gt[6];
    OGRSpatialReferenceH srs = GDALGetSpatialRef(ds);
    if (GDALGetGeoTransform(ds, gt) != CE_None || !srs || !OSRIsProjected(srs) || gt[2] != 0 || gt[4] != 0 ||
        std::abs(gt[1] + gt[5]) > 1e-9) {
        std::fprintf(stderr, "bench-coverage: %s is not a north-up square-cell DEM in a projected CRS\n", path.c_str());
        GDALClose(ds);
        return false;
    }
    const int W = GDALGetRasterXSize(ds), H = GDALGetRasterYSize(ds);
    const int n = std::min({W, H, static_cast<int>(48000 / gt[1])});
    Dem& d = in.dem;
    d.width = d.height = n;
    d.cell = gt[1];
    const int c0 = (W - n) / 2, r0 = (H - n) / 2;
    d.x0 = gt[0] + c0 * gt[1];
    d.y0 = gt[3] + r0 * gt[5];
    d.semi_major_m = OSRGetSemiMajor(srs, nullptr);
    d.z.resize(static_cast<std::size_t>(n) * n);
    GDALRasterBandH band = GDALGetRasterBand(ds, 1);
    int has_nodata = 0;
    const double nodata = GDALGetRasterNoDataValue(band, &has_nodata);
    if (GDALRasterIO(band, GF_Read, c0, r0, n, n, d.z.data(), n, n, GDT_Float32, 0, 0) != CE_None)
        return GDALClose(ds), false;
    float low = 1e9f;
    for (float v : d.z)
        if (!(has_nodata && v == static_cast<float>(nodata))) low = std::min(low, v);
    for (float& v : d.z)
        if (has_nodata && v == static_cast<float>(nodata)) v = low;
    char* wkt = nullptr;
    OSRExportToWkt(srs, &wkt);
    in.wkt = wkt;
    CPLFree(wkt);
    in.what = path + " (" + std::to_string(n) + " x " + std::to_string(n) + " cells)";
    GDALClose(ds);
    return true;
}

// The DEM as a GDAL MEM dataset (GDAL's viewshed reads a band).
GDALDatasetH mem_dataset(const Input& in) {
    const Dem& d = in.dem;
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("MEM"), "", d.width, d.height, 1, GDT_Float32, nullptr);
    double gt[6] = {d.x0, d.cell, 0, d.y0, 0, -d.cell};
    GDALSetGeoTransform(ds, gt);
    GDALSetProjection(ds, in.wkt.c_str());
    if (GDALRasterIO(GDALGetRasterBand(ds, 1), GF_Write, 0, 0, d.width, d.height, const_cast<float*>(d.z.data()),
                     d.width, d.height, GDT_Float32, 0, 0) != CE_None)
        return nullptr;
    return ds;
}

// One GDAL viewshed; when `agree` is given, counts in-range cells whose visibility at
// `band` equals ours.
double gdal_viewshed(GDALRasterBandH band, const Dem& d, const Site& s, const HeightWindow* ours = nullptr,
                     double band_m = 30, std::size_t* cells = nullptr, std::size_t* same = nullptr) {
    const double t0 = now_ms();
    GDALDatasetH out =
        GDALViewshedGenerate(band, "MEM", "", nullptr, s.x, s.y, s.mast_m, 0, 255, 0, 255, -1, 1.0 / s.k, GVM_Edge,
                             s.range_m, nullptr, nullptr, GVOT_MIN_TARGET_HEIGHT_FROM_GROUND, nullptr);
    const double ms = now_ms() - t0;
    if (!out) return -1;
    if (ours) {
        double gt[6];
        GDALGetGeoTransform(out, gt);
        const int c0 = static_cast<int>(std::lround((gt[0] - d.x0) / d.cell));
        const int r0 = static_cast<int>(std::lround((d.y0 - gt[3]) / d.cell));
        const int w = GDALGetRasterXSize(out), h = GDALGetRasterYSize(out);
        std::vector<double> v(static_cast<std::size_t>(w) * h);
        if (GDALRasterIO(GDALGetRasterBand(out, 1), GF_Read, 0, 0, w, h, v.data(), w, h, GDT_Float64, 0, 0) == CE_None)
            for (int r = 0; r < h; ++r)
                for (int c = 0; c < w; ++c) {
                    const double dx = d.centre_x(c0 + c) - s.x, dy = d.centre_y(r0 + r) - s.y;
                    if (dx * dx + dy * dy > s.range_m * s.range_m) continue;
                    ++*cells;
                    const double g = v[static_cast<std::size_t>(r) * w + c];
                    if ((g <= band_m) == (ours->at(c0 + c, r0 + r) <= band_m)) ++*same;
                }
    }
    GDALClose(out);
    return ms;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    std::string dem_path;
    int sensors = 100;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--dem") && i + 1 < argc) dem_path = argv[++i];
        else if (!std::strcmp(argv[i], "--sensors") && i + 1 < argc) sensors = std::max(1, std::atoi(argv[++i]));
        else return std::fprintf(stderr, "usage: bench-coverage [--dem FILE] [--sensors N]\n"), 2;
    }
    GDALAllRegister();
    CPLSetErrorHandler(CPLQuietErrorHandler);
    Input in;
    if (dem_path.empty()) in = synthetic();
    else if (!from_file(dem_path, in)) return 3;
    const Dem& d = in.dem;
    std::printf("DEM: %s, cell %.1f m\n", in.what.c_str(), d.cell);
    GDALDatasetH ds = mem_dataset(in);
    if (!ds) return std::fprintf(stderr, "bench-coverage: cannot make the GDAL dataset\n"), 1;
    GDALRasterBandH band = GDALGetRasterBand(ds, 1);
    const double cx = d.x0 + d.width * d.cell / 2, cy = d.y0 - d.height * d.cell / 2;

    // One sensor, 20 km.
    Site one;
    one.x = cx, one.y = cy, one.mast_m = 10, one.range_m = std::min(20000.0, d.width * d.cell / 2 - d.cell);
    std::vector<double> ours_ms, gdal_ms;
    HeightWindow w1;
    for (int rep = 0; rep < 5; ++rep) {
        const double t0 = now_ms();
        w1 = lowest_visible(d, one);
        ours_ms.push_back(now_ms() - t0);
        gdal_ms.push_back(gdal_viewshed(band, d, one));
    }
    const double single_ours = median(ours_ms), single_gdal = median(gdal_ms);
    std::printf("single: ours %.1f ms, GDAL %.1f ms (median of 5, %d x %d cells)\n", single_ours, single_gdal, w1.cols,
                w1.rows);

    // Many sensors, 12 km, 5 bands.
    const std::vector<double> bands{10, 30, 50, 100, 150};
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> ux(d.x0 + 12000, d.x0 + d.width * d.cell - 12000);
    std::uniform_real_distribution<double> uy(d.y0 - d.height * d.cell + 12000, d.y0 - 12000);
    // Surveillance radars as the systems library has them (data/air_defence_systems.json:
    // 200 m minimum range, 70 degrees top elevation), on 10 m masts, 12 km.
    std::vector<Site> sites(static_cast<std::size_t>(sensors));
    std::vector<System> systems;
    for (auto& s : sites) {
        s.x = ux(rng), s.y = uy(rng), s.mast_m = 10, s.range_m = 12000;
        System sys;
        sys.name = "radar " + std::to_string(systems.size() + 1);
        sys.type = "radar";
        sys.sensor = true;
        sys.x = s.x, sys.y = s.y, sys.mast_m = s.mast_m, sys.range_m = s.range_m, sys.k = s.k;
        sys.min_range_m = 200, sys.max_alt_m = 10000, sys.max_elevation_deg = 70;
        systems.push_back(sys);
    }
    const double t0 = now_ms();
    std::vector<HeightWindow> windows = lowest_visible_all(d, sites);
    const double t_windows = now_ms() - t0;
    CoverageGrids grids = combine(d, systems, windows, bands);
    const double t_combine = now_ms() - t0 - t_windows;
    // The sets of sensors that see each cell, band after band, as the plugin writes them.
    // Into one raster's planes, cleared before each band (the plugin's raster result).
    std::vector<std::uint64_t> sets(d.z.size() * ((systems.size() + 63) / 64));
    const std::size_t set_bytes = sets.capacity() * sizeof(std::uint64_t);
    std::size_t any_seen = 0;
    double t_sets = 0;
    for (std::size_t b = 0; b < bands.size(); ++b) {
        const double s0 = now_ms();
        std::fill(sets.begin(), sets.end(), 0);
        seen_by(d, systems, windows, bands, b, sets.data());
        t_sets += now_ms() - s0;
        any_seen += static_cast<std::size_t>(std::count_if(sets.begin(), sets.end(), [](auto v) { return v != 0; }));
    }
    const double many_ours = t_windows + t_combine + t_sets;
    std::printf("%d sensors: windows %.0f ms, combine %.0f ms, sets of sensors %.0f ms (%zu non-empty words)\n",
                sensors, t_windows, t_combine, t_sets, any_seen);
    auto grid_bytes = [](const CoverageGrids& g) {
        std::size_t n = g.lowest.capacity() * sizeof(float) + g.in_range.capacity();
        for (const auto& v : g.count) n += v.capacity();
        for (const auto& v : g.cls) n += v.capacity();
        return n;
    };
    // What is held at once: the DEM, the windows, the combined grids and one band's sets.
    std::size_t held = d.z.capacity() * sizeof(float) + grid_bytes(grids) + set_bytes;
    for (const auto& w : windows) held += w.memory_bytes();
    const double rss = peak_rss_mb();

    // Moving one sensor: its window again, the others as they are (the plugin's window
    // cache), combine() again.
    std::vector<double> move_ms;
    for (int rep = 0; rep < 5; ++rep) {
        const auto k = static_cast<std::size_t>(rep);
        Site moved = sites[k];
        moved.x += 500;
        const double m0 = now_ms();
        windows[k] = lowest_visible(d, moved);
        systems[k].x = moved.x;
        grids = combine(d, systems, windows, bands);
        move_ms.push_back(now_ms() - m0);
        sites[k] = moved;
    }

    std::size_t cells = 0, same = 0;
    double many_gdal = 0;
    for (std::size_t i = 0; i < sites.size(); ++i)
        many_gdal += gdal_viewshed(band, d, sites[i], &windows[i], 30, &cells, &same);
    std::printf("%d sensors: ours %.0f ms (%u threads, windows + combine of %zu bands), GDAL %.0f ms sequential\n",
                sensors, many_ours, std::max(1u, std::thread::hardware_concurrency()), bands.size(), many_gdal);
    const double agreement = cells ? 100.0 * static_cast<double>(same) / static_cast<double>(cells) : 0;
    std::printf("agreement at 30 m: %.3f %% of %zu in-range cells\n", agreement, cells);
    GDALClose(ds);
    std::printf(
        "RESULT speedup_single=%.2f speedup_100=%.2f move_one_ms=%.1f memory_mb=%.0f rss_mb=%.0f agreement=%.3f "
        "single_ms=%.1f gdal_single_ms=%.1f sensors=%d\n",
        single_gdal / single_ours, many_gdal / many_ours, median(move_ms), static_cast<double>(held) / 1048576.0, rss,
        agreement, single_ours, single_gdal, sensors);
    return 0;
}
