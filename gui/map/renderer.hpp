// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "map/gl_util.hpp"
#include "map/prepare.hpp"
#include "map/view.hpp"

namespace mp::gui::map {

/// How a layer is drawn. Colours are straight RGBA in [0, 1].
struct LayerStyle {
    std::array<float, 4> stroke{0.2f, 0.2f, 0.2f, 1.0f};
    std::array<float, 4> fill{0.8f, 0.8f, 0.8f, 1.0f};
    float width_px = 1.5f;         ///< line width in pixels
    float opacity = 1.0f;          ///< of the whole layer
    float fill_opacity = 0.35f;    ///< of polygon fills, times opacity
    float symbol_size_px = 28.0f;  ///< point symbols
    float symbol_tint = 0.0f;      ///< 0: APP-6 frame colour; 1: frame filled with the stroke colour
    bool ring = false;             ///< points as rings of the stroke colour (selection highlight)
    std::size_t max_symbols = static_cast<std::size_t>(-1);  ///< draw only this prefix of the symbols (thinning)
};

/// Counters of the last frame.
struct FrameStats {
    std::size_t line_segments = 0;
    std::size_t fill_vertices = 0;
    std::size_t symbols = 0;
    std::size_t draw_calls = 0;
};

/// Draws prepared layers from GPU buffers with the shaders of shaders/. Needs a current
/// OpenGL 3.3 core context (init_gl_loader() done); one renderer per context. Holds no
/// ImGui or GLFW: the benchmark reuses it.
class MapRenderer {
public:
    using LayerId = std::uint64_t;

    /// Compiles the shaders; throws mp::Error when they do not compile.
    MapRenderer();
    ~MapRenderer();
    MapRenderer(const MapRenderer&) = delete;
    MapRenderer& operator=(const MapRenderer&) = delete;
    MapRenderer(MapRenderer&&) = delete;
    MapRenderer& operator=(MapRenderer&&) = delete;

    /// Uploads a prepared layer's levels to the GPU (once) and returns its handle.
    LayerId upload(std::shared_ptr<const PreparedLayer> layer);
    void remove(LayerId id);
    /// Uploads a prepared raster (a value texture and its mesh); same id space as layers.
    LayerId upload_raster(const PreparedRaster& raster);
    /// Draws a raster colour-mapped by shaders/map_raster.frag (or in its own colours when
    /// it was prepared with rgba) at the given opacity.
    void draw_raster(LayerId id, float opacity);
    /// The prepared data of a layer, or nullptr.
    const PreparedLayer* prepared(LayerId id) const;

    /// Starts a frame on the canvas at framebuffer pixel (x, y_bottom) of the view's
    /// size: sets viewport, scissor and blending, optionally clears to `clear`.
    void begin(const ViewTransform& view, int fb_x, int fb_y_bottom, const std::array<float, 4>* clear);
    /// Draws one layer (fills, outlines and lines, then symbols) culled and at the
    /// level of detail of the view.
    void draw(LayerId id, const LayerStyle& style);
    /// Restores the GL state ImGui expects.
    void end();

    const FrameStats& stats() const noexcept { return m_stats; }
    /// Level of detail on (default) or off (always full detail: for benchmarks).
    void set_lod_enabled(bool on) noexcept { m_lod = on; }
    /// Total bytes of GPU buffers.
    std::size_t gpu_bytes() const noexcept;

private:
    struct GpuLevel {
        Buffer lines;
        Buffer fills;
    };
    struct GpuLayer {
        std::shared_ptr<const PreparedLayer> data;
        std::vector<GpuLevel> levels;
        Buffer symbols;
        std::size_t bytes = 0;
    };
    struct GpuRaster {
        Texture values;
        Buffer mesh;
        GLsizei vertices = 0;
        bool direct = false;  // the texture holds colours (RGBA8), not ramp positions
        double origin_x = 0, origin_y = 0;
        Extent extent;
    };
    void set_view_uniforms(GLuint program, double origin_x, double origin_y) const;
    void set_view_uniforms(GLuint program, const PreparedLayer& p) const {
        set_view_uniforms(program, p.origin_x, p.origin_y);
    }

    Program m_line_prog;
    Program m_fill_prog;
    Program m_symbol_prog;
    Program m_raster_prog;
    std::unordered_map<LayerId, GpuRaster> m_rasters;
    VertexArray m_vao;
    Buffer m_corners;
    std::unordered_map<LayerId, GpuLayer> m_layers;
    LayerId m_next = 1;
    ViewTransform m_view;
    FrameStats m_stats;
    std::vector<Range> m_visible;  // scratch: merged visible ranges
    std::vector<GLint> m_firsts;   // scratch: glMultiDrawArrays starts and counts
    std::vector<GLsizei> m_counts;
    bool m_lod = true;
};

}  // namespace mp::gui::map
