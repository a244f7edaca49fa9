// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mp/core/progress.hpp"
#include "mp/geo/geometry.hpp"

namespace mp::io {

/// Why a GDAL raster source cannot be used ("" when it can): it does not exist, GDAL
/// cannot open it as a raster, it has no bands, no geotransform or no CRS. `source` is
/// any GDAL raster source: a path, a VRT mosaic, /vsizip/..., an SRTM .hgt tile.
std::string raster_problem(const std::string& source);

/// Whether GDAL understands a CRS given as user input ("EPSG:3812", WKT, a PROJ string),
/// without network or file access.
bool crs_known(const std::string& crs);

/// Most cells a grid may have for read_onto_grid (800 MB of doubles; MP_GRID_MAX_CELLS).
inline constexpr std::size_t kMaxGridCells = 100'000'000;
/// Most cells polygonize_grid accepts (it needs about 13 bytes per cell besides the values).
inline constexpr std::size_t kMaxPolygonizeCells = 25'000'000;

/// A north-up grid of cells in a CRS: what a plugin asks a raster to be read onto, and
/// the frame of a grid it polygonises. Cell (column c, row r) covers x in
/// [origin_x + c * cell_size_x, origin_x + (c + 1) * cell_size_x] and y in
/// [origin_y - (r + 1) * cell_size_y, origin_y - r * cell_size_y], in CRS units.
struct GridSpec {
    std::string crs;  ///< any CRS PROJ understands ("EPSG:31370", WKT, PROJ string)
    double origin_x = 0;
    double origin_y = 0;
    double cell_size_x = 0;  ///< > 0
    double cell_size_y = 0;  ///< > 0 (rows go down)
    std::size_t width = 0;   ///< cells
    std::size_t height = 0;  ///< cells

    /// The GDAL geotransform of the grid (x0, dx, 0, y0, 0, -dy).
    std::array<double, 6> geotransform() const;
    /// "" when the grid is usable, else why: a size of 0 or more than max_cells cells,
    /// a non-finite origin, a cell size that is not finite and > 0, an unknown CRS.
    std::string problem(std::size_t max_cells) const;
    /// A short description for messages: "20 x 10 cells of 25 x 25 from (87000, 220000)
    /// to (87500, 219750) in EPSG:31370".
    std::string describe() const;
};

/// How read_onto_grid resamples (the GDAL warp kernels of the same names). Max and
/// Average take every source cell under a target cell, so a peak survives Max onto a
/// coarser grid.
enum class Resampling { Nearest, Bilinear, Max, Average, Cubic };

/// An open GDAL raster source, read-only. One GDAL dataset per object: GDAL datasets are
/// not thread-safe, so use each object from one thread at a time (lock around it).
class RasterDataset {
public:
    /// Opens `source` (any GDAL raster source). `where` names it in messages, e.g.
    /// "parameter 'dem' = dem.tif"; empty: "raster '<source>'". Throws mp::InputError
    /// (with the raster_problem() reason and `where`) when it cannot be used.
    explicit RasterDataset(const std::string& source, std::string where = {});
    ~RasterDataset();
    RasterDataset(RasterDataset&&) noexcept;
    RasterDataset& operator=(RasterDataset&&) noexcept;
    RasterDataset(const RasterDataset&) = delete;
    RasterDataset& operator=(const RasterDataset&) = delete;

    const std::string& source() const noexcept;
    /// How messages name the source ("parameter 'dem' = dem.tif" or "raster 'dem.tif'").
    const std::string& where() const noexcept;
    std::size_t width() const;
    std::size_t height() const;
    std::size_t band_count() const;
    /// GDAL convention: x0, dx, rx, y0, ry, dy (top-left corner), in CRS units.
    std::array<double, 6> geotransform() const;
    /// The CRS as WKT2 (2019).
    std::string crs_wkt() const;
    /// The CRS's name, e.g. "BD72 / Belgian Lambert 72".
    std::string crs_name() const;
    bool crs_is_projected() const;
    /// Metres per CRS unit of a projected CRS; 0 for a geographic one.
    double linear_unit_m() const;
    /// The nodata value of a band (1-based), if it has one.
    std::optional<double> nodata(std::size_t band) const;

    /// Reads band `band` (1-based) resampled onto `grid` (GDAL warp, the transformation
    /// PROJ chooses between the two CRSs; approximated within 0.01 source cell): writes
    /// grid.width * grid.height doubles to `out`, rows from the top. Cells the raster does
    /// not cover, nodata cells and non-finite results get `nodata`. Nearest on the
    /// raster's own grid returns its cells unchanged.
    /// Throws mp::InputError naming where(): a band out of range, a bad grid (see
    /// GridSpec::problem, at most kMaxGridCells), no transformation between the CRSs, or
    /// a grid that does not overlap the raster at all ("window ... is outside the
    /// raster"); mp::Cancelled when `progress` is cancelled; mp::Error when GDAL fails.
    void read_onto_grid(std::size_t band, const GridSpec& grid, Resampling resampling, double nodata, double* out,
                        Progress& progress = null_progress());

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// One connected area of equal value found by polygonize_grid.
struct ValuePolygon {
    geo::Polygon polygon;  ///< WGS84 lon/lat; exterior counter-clockwise, holes clockwise
    double value = 0;      ///< the cells' value
};

/// Polygonises a grid of values (GDALPolygonize): one polygon per connected area of
/// cells of exactly equal value, 4-connected (sides) or 8-connected (sides and corners);
/// cells equal to `nodata` (when given) and non-finite cells are left out. `values` holds
/// grid.width * grid.height doubles, rows from the top. The polygons follow the cell
/// edges in the grid's CRS and are transformed to lon/lat with a vertex at least every
/// 64 cells along an edge, so they keep their shape in any CRS.
/// Throws mp::InputError for a bad grid (at most kMaxPolygonizeCells cells) or cells
/// that cannot be transformed to lon/lat; mp::Cancelled when cancelled; mp::Error when
/// GDAL fails.
std::vector<ValuePolygon> polygonize_grid(const GridSpec& grid, const double* values, std::optional<double> nodata,
                                          bool eight_connected, Progress& progress = null_progress());

}  // namespace mp::io
