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
    float width_px = 1.5f;        ///< line width in pixels
    float opacity = 1.0f;         ///< of the whole layer
    float fill_opacity = 0.35f;   ///< of polygon fills, times opacity
    float symbol_size_px = 28.0f; ///< point symbols
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
    void set_view_uniforms(GLuint program, const PreparedLayer& p) const;

    Program m_line_prog;
    Program m_fill_prog;
    Program m_symbol_prog;
    VertexArray m_vao;
    Buffer m_corners;
    std::unordered_map<LayerId, GpuLayer> m_layers;
    LayerId m_next = 1;
    ViewTransform m_view;
    FrameStats m_stats;
    std::vector<Range> m_visible;  // scratch: merged visible ranges
    bool m_lod = true;
};

}  // namespace mp::gui::map
