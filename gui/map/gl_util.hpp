// SPDX-License-Identifier: MIT
#pragma once

#include <GL/glew.h>

#include <string>
#include <utility>

namespace mp::gui::map {

/// An OpenGL object name with its deleter: move-only RAII (rule of 5).
template <void (*Delete)(GLuint)>
class GlName {
public:
    GlName() = default;
    explicit GlName(GLuint id) : m_id(id) {}
    ~GlName() { reset(); }
    GlName(GlName&& o) noexcept : m_id(std::exchange(o.m_id, 0)) {}
    GlName& operator=(GlName&& o) noexcept {
        if (this != &o) {
            reset();
            m_id = std::exchange(o.m_id, 0);
        }
        return *this;
    }
    GlName(const GlName&) = delete;
    GlName& operator=(const GlName&) = delete;
    GLuint get() const noexcept { return m_id; }
    void reset() noexcept {
        if (m_id) Delete(m_id);
        m_id = 0;
    }

private:
    GLuint m_id = 0;
};

void delete_buffer(GLuint id);
void delete_vertex_array(GLuint id);
void delete_program(GLuint id);
void delete_texture(GLuint id);

using Buffer = GlName<&delete_buffer>;
using VertexArray = GlName<&delete_vertex_array>;
using Program = GlName<&delete_program>;
using Texture = GlName<&delete_texture>;

/// A buffer holding `bytes` of data (GL_STATIC_DRAW).
Buffer make_buffer(const void* data, std::size_t bytes);
VertexArray make_vertex_array();
/// A buffer texture (GL_RG32F) viewing buffer: float pairs fetched by index in shaders.
Texture make_buffer_texture_rg32f(const Buffer& buffer);
/// Compiles and links a vertex + fragment shader; throws mp::Error with the GLSL log
/// and the shader name on failure.
Program make_program(const char* name, const char* vertex_src, const char* fragment_src);

/// Initialises GLEW for the current context (idempotent); throws mp::Error when the
/// context lacks OpenGL 3.3.
void init_gl_loader();

}  // namespace mp::gui::map
