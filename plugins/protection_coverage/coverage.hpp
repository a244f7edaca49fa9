// SPDX-License-Identifier: MIT
// The coverage model of protection-coverage on top of the terrain engine: each system's
// envelope (range, minimum range, altitudes, azimuth sector, top elevation angle) and
// line of sight, combined per altitude band into counts, the exact set of systems that
// see each cell, detection and engagement. Plain C++, no SDK: tested on its own.
//
// Rules: a cell is *detected* at height h when a sensor sees a target there (inside its
// envelope, with line of sight). It is *engageable* when also an effector can engage it:
// an effector that needs its own line of sight (needs_los) engages what it sees inside
// its envelope (it cues itself); one that does not (a missile system firing on its
// radar's track) engages inside its envelope where the cell is detected. A target in
// the system's own cell is taken half a cell away (a cell-level model: not overhead,
// where the top elevation angle would hide it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "viewshed.hpp"

namespace pcov {

/// One air-defence system on the working grid.
struct System {
    std::string name;  ///< "S1 shorad@port-antwerp"
    std::string type;  ///< library id
    bool sensor = false;
    bool needs_los = true;
    double x = 0, y = 0;  ///< grid CRS
    double mast_m = 10;
    double min_range_m = 0, range_m = 10000;
    double min_alt_m = 0, max_alt_m = 1e9;
    double azimuth_deg = 0, sector_deg = 360;
    double max_elevation_deg = 90;
    double k = 4.0 / 3.0;

    Site site() const { return Site{x, y, mast_m, range_m, k}; }
    /// Whether (dx, dy) from the system (metres) is inside its ground envelope: between
    /// the minimum and maximum range, inside the azimuth sector.
    bool in_footprint(double dx, double dy) const;
    /// Whether a target h metres above ground at horizontal distance d, whose sight line
    /// rises by rise_m from the sensor to it, is inside the envelope's altitudes and
    /// below its top elevation angle.
    bool in_altitudes(double h, double d, double rise_m) const;
};

/// What the systems cover, per band, over the whole DEM grid (row-major cells).
struct CoverageGrids {
    std::vector<double> bands_m;
    std::size_t words = 0;  ///< 64-bit words of the per-cell system set (seen_by())
    /// Per band: number of systems that see the cell (saturating at 255).
    std::vector<std::vector<std::uint8_t>> count;
    /// Per band: 0 not detected, 1 detected, 2 detected and engageable (also 2 where an
    /// effector engages on its own sight without a sensor).
    std::vector<std::vector<std::uint8_t>> cls;
    /// The lowest height above ground at which any system sees the cell (inside its
    /// footprint, whatever its altitude limits), rounded up as the windows hold it (to
    /// 0.1 m up to 3000 m); +inf where none does.
    std::vector<float> lowest;
    /// Whether the cell is inside some system's footprint.
    std::vector<std::uint8_t> in_range;
};

/// Combines every system's window (windows[i] for systems[i]; a system that does not
/// need line of sight may have an empty window) into the grids.
CoverageGrids combine(const Dem& dem, const std::vector<System>& systems, const std::vector<HeightWindow>& windows,
                      const std::vector<double>& bands_m);

/// Adds to `out` the set of systems that see each cell in band bands_m[band], as
/// `words` planes of cells (bit i % 64 of plane i / 64 is system i: cell c's word w is
/// out[w * cells + c]; the planes of a bitmask raster), by the same rules as combine().
/// One band at a time, written where the caller keeps it: the sets of every band of
/// many systems would not fit in memory together (100 systems, 5 bands, 48 x 48 km at
/// 25 m: 295 MB).
void seen_by(const Dem& dem, const std::vector<System>& systems, const std::vector<HeightWindow>& windows,
             const std::vector<double>& bands_m, std::size_t band, std::uint64_t* out);

/// What one point sees, by exact line of sight: per band whether it is detected and
/// engageable, which systems see it, and the lowest height above ground any system sees
/// there (+inf: none in range). A point off the DEM is seen by none.
struct PointCoverage {
    std::vector<std::uint8_t> cls;                  ///< per band: 0, 1 or 2 as CoverageGrids::cls
    std::vector<std::vector<std::size_t>> seen_by;  ///< per band: the systems that see it
    double lowest_m = 0;
};
PointCoverage point_coverage(const Dem& dem, const std::vector<System>& systems, double x, double y,
                             const std::vector<double>& bands_m);

}  // namespace pcov
