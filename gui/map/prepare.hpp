// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <array>
#include <cstdint>
#include <vector>

#include "map/result_view.hpp"
#include "map/view.hpp"
#include "mp/geo/crs.hpp"
#include "mp/layer/layer.hpp"

namespace mp::gui::map {

/// Point symbol codes; the numbers are shared with shaders/map_symbol.frag.
enum class Symbol : int {
    Dot = 0,
    Port = 1,
    Airbase = 2,
    RailTerminal = 3,
    TrainingArea = 4,
    BorderCrossing = 5,
    StagingArea = 6
};

/// The symbol of a feature: by its "kind" attribute (a site kind), else Dot.
Symbol symbol_for(const layer::Feature& f);

/// A display-CRS position (metres for EPSG:3857 / EPSG:3812).
struct XY {
    double x = 0, y = 0;
};

/// One feature's geometry in the display CRS at full detail, kept for picking and fitting.
struct ProjectedFeature {
    std::vector<std::vector<XY>> lines;                  ///< lines (not polygon rings)
    std::vector<std::vector<std::vector<XY>>> polygons;  ///< rings per polygon, exterior first
    std::vector<XY> points;                              ///< points and multipoints
    Extent extent;
};

/// A contiguous run of vertices in a level's buffer.
struct Range {
    std::uint32_t first = 0;
    std::uint32_t count = 0;
};

/// Sentinel point between two paths of a line buffer: a line buffer starts with one,
/// and every path is followed by two (shaders/map_line.vert collapses them).
inline constexpr float kSeparator = 1e30f;

/// One level of detail: geometry simplified to `tolerance` display units, as float
/// pairs relative to the layer's origin, grouped by chunk for viewport culling.
struct LodLevel {
    double tolerance = 0;            ///< Douglas-Peucker tolerance; 0 = full detail
    std::vector<float> line_xy;      ///< line strips (lines and polygon outlines) with separators
    std::vector<Range> line_ranges;  ///< per chunk, in points: first path start to last path end
    std::vector<float> fill_xy;      ///< triangles of the polygon fills
    std::vector<Range> fill_ranges;  ///< per chunk, in vertices
    std::size_t line_vertices() const noexcept { return line_xy.size() / 2; }
};

/// A layer projected to the display CRS and prepared for the GPU once: levels of
/// detail, spatial chunks, triangulated fills and symbol instances.
struct PreparedLayer {
    double origin_x = 0, origin_y = 0;  ///< display-CRS origin of the float coordinates
    Extent extent;                      ///< of all projected geometry
    std::vector<Extent> chunks;         ///< culling boxes, index-aligned with the ranges
    std::vector<LodLevel> levels;       ///< increasing tolerance; levels[0] is full detail
    /// x, y (relative to origin), symbol code triples. Above 1000 symbols, in an order whose
    /// every prefix is spread evenly over the layer (draw a prefix to thin a dense layer).
    std::vector<float> symbols;
    std::vector<std::uint32_t> symbol_feature;  ///< feature index of each symbol
    std::vector<ProjectedFeature> features;     ///< index-aligned with the layer's features
    std::size_t input_vertices = 0;             ///< vertices of the source geometry
    std::size_t failed_points = 0;              ///< coordinates PROJ could not transform (dropped)

    /// The coarsest level whose tolerance stays within one pixel.
    const LodLevel& level_for(double units_per_pixel) const noexcept;
};

/// A grid prepared for the GPU: normalised values (t in [0, 1], -1 transparent) and a
/// mesh of the grid reprojected to the display CRS.
struct PreparedRaster {
    int width = 0, height = 0;
    std::vector<float> values;  ///< row-major from the top-left cell (empty when rgba is set)
    /// Colours per cell (4 bytes, alpha 0 transparent) of a discrete raster view; when
    /// set, the shader draws them as they are instead of the ramp.
    std::vector<std::uint8_t> rgba;
    std::vector<float> mesh;  ///< triangles: x, y (relative to origin), u, v per vertex
    double origin_x = 0, origin_y = 0;
    Extent extent;
    double min_value = 0, max_value = 0;  ///< of the cells drawn (the legend's range)
};

/// Prepares a grid given by its GDAL geotransform in a CRS that raster_to_display maps to
/// the display CRS. Cells equal to nodata, not finite, or <= 0 (e.g. "covered by no
/// system") are transparent; the rest are scaled from min to max. Corners PROJ cannot
/// transform are dropped with their triangles.
PreparedRaster prepare_raster(std::size_t width, std::size_t height, const std::array<double, 6>& geotransform,
                              const std::vector<double>& cells, double nodata,
                              const geo::Transformer& raster_to_display);

/// Prepares one view of a typed raster (map::raster_image) on its geotransform.
PreparedRaster prepare_raster(const RasterImage& image, const std::array<double, 6>& geotransform,
                              const geo::Transformer& raster_to_display);

/// Projects a layer with to_display (EPSG:4326 -> display CRS, bulk) and prepares it.
PreparedLayer prepare_layer(const layer::Layer& l, const geo::Transformer& to_display);

/// Douglas-Peucker simplification of a path (or of a closed ring, first == last) to
/// tolerance display units; keeps the end points. tolerance <= 0 returns the input.
std::vector<XY> simplify(const std::vector<XY>& path, double tolerance);

/// Triangulates a polygon (exterior ring and holes, any orientation, odd winding) with
/// the GLU tessellator; returns the triangles' vertices (3 per triangle).
std::vector<XY> triangulate(const std::vector<std::vector<XY>>& rings);

/// Index of the feature under display point p within tolerance display units (points
/// and lines by distance, polygons by containment), preferring points, then lines;
/// -1 when none.
long pick_feature(const PreparedLayer& p, XY at, double tolerance);

}  // namespace mp::gui::map
