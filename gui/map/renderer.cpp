// SPDX-License-Identifier: MIT
#include "map/renderer.hpp"

#include <algorithm>
#include <cassert>

namespace mp::gui::map {

namespace {
#include "mp_shaders.inc"

// Visible chunk ranges, merged when adjacent in the buffer (a separator between two
// chunks draws nothing), so a fully visible layer is one draw call.
void visible_ranges(const PreparedLayer& p, const std::vector<Range>& ranges, const Extent& view, bool strips,
                    std::vector<Range>& out) {
    out.clear();
    const std::uint32_t gap = strips ? 2 : 0;  // two separators between chunks' paths
    for (std::size_t c = 0; c < ranges.size() && c < p.chunks.size(); ++c) {
        const Range& r = ranges[c];
        if (r.count == 0 || !p.chunks[c].intersects(view)) continue;
        if (!out.empty() && out.back().first + out.back().count + gap >= r.first)
            out.back().count = r.first + r.count - out.back().first;
        else out.push_back(r);
    }
}

}  // namespace

MapRenderer::MapRenderer()
    : m_line_prog(make_program("map_line", kShader_map_line_vert, kShader_map_line_frag)),
      m_fill_prog(make_program("map_fill", kShader_map_fill_vert, kShader_map_fill_frag)),
      m_symbol_prog(make_program("map_symbol", kShader_map_symbol_vert, kShader_map_symbol_frag)),
      m_raster_prog(make_program("map_raster", kShader_map_raster_vert, kShader_map_raster_frag)),
      m_vao(make_vertex_array()) {
    const float corners[] = {-1, -1, 1, -1, -1, 1, 1, 1};
    m_corners = make_buffer(corners, sizeof corners);
}

MapRenderer::~MapRenderer() = default;

MapRenderer::LayerId MapRenderer::upload(std::shared_ptr<const PreparedLayer> layer) {
    assert(layer);
    GpuLayer g;
    for (const auto& lv : layer->levels) {
        GpuLevel gl;
        if (lv.line_xy.size() > 2) {
            // Every point twice: the left and right vertex of the strip.
            std::vector<float> twice;
            twice.reserve(lv.line_xy.size() * 2);
            for (std::size_t i = 0; i < lv.line_xy.size(); i += 2)
                twice.insert(twice.end(), {lv.line_xy[i], lv.line_xy[i + 1], lv.line_xy[i], lv.line_xy[i + 1]});
            gl.lines = make_buffer(twice.data(), twice.size() * sizeof(float));
            g.bytes += twice.size() * sizeof(float);
        }
        if (!lv.fill_xy.empty()) gl.fills = make_buffer(lv.fill_xy.data(), lv.fill_xy.size() * sizeof(float));
        g.bytes += lv.fill_xy.size() * sizeof(float);
        g.levels.push_back(std::move(gl));
    }
    if (!layer->symbols.empty()) g.symbols = make_buffer(layer->symbols.data(), layer->symbols.size() * sizeof(float));
    g.bytes += layer->symbols.size() * sizeof(float);
    g.data = std::move(layer);
    const LayerId id = m_next++;
    m_layers.emplace(id, std::move(g));
    return id;
}

void MapRenderer::remove(LayerId id) {
    m_layers.erase(id);
    m_rasters.erase(id);
}

MapRenderer::LayerId MapRenderer::upload_raster(const PreparedRaster& r) {
    GpuRaster g;
    g.origin_x = r.origin_x, g.origin_y = r.origin_y, g.extent = r.extent;
    if (r.width > 0 && r.height > 0 && !r.mesh.empty()) {
        GLuint tex = 0;
        glGenTextures(1, &tex);
        glBindTexture(GL_TEXTURE_2D, tex);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
        // A discrete view (classes, a mask) arrives as colours, a continuous one as ramp
        // positions the shader colours.
        g.direct = !r.rgba.empty();
        if (g.direct)
            glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, r.width, r.height, 0, GL_RGBA, GL_UNSIGNED_BYTE, r.rgba.data());
        else glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, r.width, r.height, 0, GL_RED, GL_FLOAT, r.values.data());
        // Nearest: cells stay cells, and "no data" never blends into its neighbours.
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glBindTexture(GL_TEXTURE_2D, 0);
        g.values = Texture(tex);
        g.mesh = make_buffer(r.mesh.data(), r.mesh.size() * sizeof(float));
        g.vertices = static_cast<GLsizei>(r.mesh.size() / 4);
    }
    const LayerId id = m_next++;
    m_rasters.emplace(id, std::move(g));
    return id;
}

void MapRenderer::draw_raster(LayerId id, float opacity) {
    auto it = m_rasters.find(id);
    if (it == m_rasters.end() || it->second.vertices == 0 || !it->second.extent.intersects(m_view.visible())) return;
    const GpuRaster& g = it->second;
    set_view_uniforms(m_raster_prog.get(), g.origin_x, g.origin_y);
    glUniform1f(glGetUniformLocation(m_raster_prog.get(), "u_opacity"), opacity);
    glUniform1i(glGetUniformLocation(m_raster_prog.get(), "u_values"), 0);
    glUniform1i(glGetUniformLocation(m_raster_prog.get(), "u_direct"), g.direct ? 1 : 0);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, g.values.get());
    glBindBuffer(GL_ARRAY_BUFFER, g.mesh.get());
    glEnableVertexAttribArray(0);
    glEnableVertexAttribArray(1);
    glVertexAttribDivisor(0, 0);
    glVertexAttribDivisor(1, 0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float), nullptr);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float),
                          reinterpret_cast<const void*>(2 * sizeof(float)));
    glDrawArrays(GL_TRIANGLES, 0, g.vertices);
    ++m_stats.draw_calls;
    glDisableVertexAttribArray(1);
    glBindTexture(GL_TEXTURE_2D, 0);
}

const PreparedLayer* MapRenderer::prepared(LayerId id) const {
    auto it = m_layers.find(id);
    return it == m_layers.end() ? nullptr : it->second.data.get();
}

std::size_t MapRenderer::gpu_bytes() const noexcept {
    std::size_t n = 0;
    for (const auto& [id, g] : m_layers) n += g.bytes;
    return n;
}

void MapRenderer::begin(const ViewTransform& view, int fb_x, int fb_y_bottom, const std::array<float, 4>* clear) {
    m_view = view;
    m_stats = {};
    glViewport(fb_x, fb_y_bottom, view.width_px, view.height_px);
    glEnable(GL_SCISSOR_TEST);
    glScissor(fb_x, fb_y_bottom, view.width_px, view.height_px);
    if (clear) {
        glClearColor((*clear)[0], (*clear)[1], (*clear)[2], (*clear)[3]);
        glClear(GL_COLOR_BUFFER_BIT | GL_STENCIL_BUFFER_BIT);
    }
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glEnable(GL_BLEND);
    glBlendEquation(GL_FUNC_ADD);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glBindVertexArray(m_vao.get());
}

void MapRenderer::end() {
    glDisable(GL_STENCIL_TEST);
    glDisable(GL_SCISSOR_TEST);
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    glUseProgram(0);
}

void MapRenderer::set_view_uniforms(GLuint program, double origin_x, double origin_y) const {
    glUseProgram(program);
    glUniform2f(glGetUniformLocation(program, "u_shift"), static_cast<float>(origin_x - m_view.center_x),
                static_cast<float>(origin_y - m_view.center_y));
    glUniform1f(glGetUniformLocation(program, "u_px_per_unit"), static_cast<float>(1.0 / m_view.units_per_pixel));
    glUniform2f(glGetUniformLocation(program, "u_viewport"), static_cast<float>(m_view.width_px),
                static_cast<float>(m_view.height_px));
}

void MapRenderer::draw(LayerId id, const LayerStyle& style) {
    auto it = m_layers.find(id);
    if (it == m_layers.end()) return;
    const GpuLayer& g = it->second;
    const PreparedLayer& p = *g.data;
    const Extent visible = m_view.visible();
    const LodLevel& lv = m_lod ? p.level_for(m_view.units_per_pixel) : p.levels.front();
    const GpuLevel& glv = g.levels[static_cast<std::size_t>(&lv - p.levels.data())];

    // Fills.
    if (glv.fills.get() && style.fill_opacity > 0) {
        set_view_uniforms(m_fill_prog.get(), p);
        glUniform4f(glGetUniformLocation(m_fill_prog.get(), "u_colour"), style.fill[0], style.fill[1], style.fill[2],
                    style.fill_opacity * style.opacity);
        glBindBuffer(GL_ARRAY_BUFFER, glv.fills.get());
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
        glVertexAttribDivisor(0, 0);
        glDisableVertexAttribArray(1);
        glDisableVertexAttribArray(2);
        // Opaque fills need no blending (a read-modify-write per pixel on llvmpipe).
        const bool opaque = style.fill_opacity * style.opacity >= 0.999f;
        if (opaque) glDisable(GL_BLEND);
        visible_ranges(p, lv.fill_ranges, visible, false, m_visible);
        m_firsts.clear();
        m_counts.clear();
        for (const Range& r : m_visible) {
            m_firsts.push_back(static_cast<GLint>(r.first));
            m_counts.push_back(static_cast<GLsizei>(r.count));
            m_stats.fill_vertices += r.count;
        }
        // One call for every visible run: a draw call costs far more than its triangles
        // on a software rasteriser's CPU side.
        if (!m_firsts.empty()) {
            glMultiDrawArrays(GL_TRIANGLES, m_firsts.data(), m_counts.data(), static_cast<GLsizei>(m_firsts.size()));
            ++m_stats.draw_calls;
        }
        if (opaque) glEnable(GL_BLEND);
    }

    // Lines and outlines: one capsule instance per segment.
    if (glv.lines.get() && style.width_px > 0) {
        // A translucent layer must not darken where its capsules overlap (joins): the
        // stencil lets each pixel be drawn once per layer.
        const bool translucent = style.opacity < 0.999f;
        if (translucent) {
            glEnable(GL_STENCIL_TEST);
            glClear(GL_STENCIL_BUFFER_BIT);
            glStencilFunc(GL_EQUAL, 0, 0xFF);
            glStencilOp(GL_KEEP, GL_KEEP, GL_INCR);
        }
        set_view_uniforms(m_line_prog.get(), p);
        const float hw = std::max(0.5f, style.width_px * 0.5f);
        glUniform1f(glGetUniformLocation(m_line_prog.get(), "u_half_width"), hw);
        glUniform4f(glGetUniformLocation(m_line_prog.get(), "u_colour"), style.stroke[0], style.stroke[1],
                    style.stroke[2], style.stroke[3] * style.opacity);
        // prev, curr, next: the same buffer at offsets of one point (two vertices).
        glBindBuffer(GL_ARRAY_BUFFER, glv.lines.get());
        for (GLuint a = 0; a < 3; ++a) {
            glEnableVertexAttribArray(a);
            glVertexAttribDivisor(a, 0);
            glVertexAttribPointer(a, 2, GL_FLOAT, GL_FALSE, 2 * sizeof(float),
                                  reinterpret_cast<const void*>(static_cast<std::uintptr_t>(a) * 4 * sizeof(float)));
        }
        visible_ranges(p, lv.line_ranges, visible, true, m_visible);
        m_firsts.clear();
        m_counts.clear();
        for (const Range& r : m_visible) {
            if (r.count < 2) continue;
            // Vertex v reads prev = point v/2, curr = v/2 + 1: start one point early.
            m_firsts.push_back(static_cast<GLint>(2 * (r.first - 1)));
            m_counts.push_back(static_cast<GLsizei>(2 * r.count));
            m_stats.line_segments += r.count - 1;
        }
        if (!m_firsts.empty()) {
            glMultiDrawArrays(GL_TRIANGLE_STRIP, m_firsts.data(), m_counts.data(),
                              static_cast<GLsizei>(m_firsts.size()));
            ++m_stats.draw_calls;
        }
        glDisableVertexAttribArray(1);
        glDisableVertexAttribArray(2);
        if (translucent) glDisable(GL_STENCIL_TEST);
    }

    // Symbols: every point, always (the GPU clips the invisible ones).
    if (g.symbols.get()) {
        set_view_uniforms(m_symbol_prog.get(), p);
        glUniform1f(glGetUniformLocation(m_symbol_prog.get(), "u_size_px"), style.symbol_size_px);
        glUniform4f(glGetUniformLocation(m_symbol_prog.get(), "u_colour"), style.stroke[0], style.stroke[1],
                    style.stroke[2], 1.0f);
        glUniform1f(glGetUniformLocation(m_symbol_prog.get(), "u_opacity"), style.opacity);
        glUniform1f(glGetUniformLocation(m_symbol_prog.get(), "u_tint"), style.symbol_tint);
        glUniform1f(glGetUniformLocation(m_symbol_prog.get(), "u_ring"), style.ring ? 1.0f : 0.0f);
        glBindBuffer(GL_ARRAY_BUFFER, m_corners.get());
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
        glBindBuffer(GL_ARRAY_BUFFER, g.symbols.get());
        glEnableVertexAttribArray(1);
        glEnableVertexAttribArray(2);
        glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 3 * sizeof(float), nullptr);
        glVertexAttribPointer(2, 1, GL_FLOAT, GL_FALSE, 3 * sizeof(float),
                              reinterpret_cast<const void*>(2 * sizeof(float)));
        glVertexAttribDivisor(1, 1);
        glVertexAttribDivisor(2, 1);
        const auto n = static_cast<GLsizei>(std::min(p.symbols.size() / 3, style.max_symbols));
        glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, n);
        m_stats.symbols += static_cast<std::size_t>(n);
        ++m_stats.draw_calls;
        glVertexAttribDivisor(1, 0);
        glVertexAttribDivisor(2, 0);
        glDisableVertexAttribArray(1);
        glDisableVertexAttribArray(2);
    }
}

}  // namespace mp::gui::map
