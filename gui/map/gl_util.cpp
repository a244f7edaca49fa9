// SPDX-License-Identifier: MIT
#include "map/gl_util.hpp"

#include <string>

#include "mp/core/error.hpp"

namespace mp::gui::map {

void delete_buffer(GLuint id) { glDeleteBuffers(1, &id); }
void delete_vertex_array(GLuint id) { glDeleteVertexArrays(1, &id); }
void delete_program(GLuint id) { glDeleteProgram(id); }
void delete_texture(GLuint id) { glDeleteTextures(1, &id); }

Texture make_buffer_texture_rg32f(const Buffer& buffer) {
    GLuint id = 0;
    glGenTextures(1, &id);
    glBindTexture(GL_TEXTURE_BUFFER, id);
    glTexBuffer(GL_TEXTURE_BUFFER, GL_RG32F, buffer.get());
    glBindTexture(GL_TEXTURE_BUFFER, 0);
    return Texture(id);
}

Buffer make_buffer(const void* data, std::size_t bytes) {
    GLuint id = 0;
    glGenBuffers(1, &id);
    glBindBuffer(GL_ARRAY_BUFFER, id);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(bytes), data, GL_STATIC_DRAW);
    return Buffer(id);
}

VertexArray make_vertex_array() {
    GLuint id = 0;
    glGenVertexArrays(1, &id);
    return VertexArray(id);
}

namespace {

GLuint compile(const char* name, GLenum type, const char* src) {
    GLuint s = glCreateShader(type);
    glShaderSource(s, 1, &src, nullptr);
    glCompileShader(s);
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[4096] = {};
        glGetShaderInfoLog(s, sizeof log, nullptr, log);
        glDeleteShader(s);
        throw Error(std::string("shader does not compile: ") + log,
                    std::string("shaders/") + name + (type == GL_VERTEX_SHADER ? ".vert" : ".frag"));
    }
    return s;
}

}  // namespace

Program make_program(const char* name, const char* vertex_src, const char* fragment_src) {
    GLuint vs = compile(name, GL_VERTEX_SHADER, vertex_src);
    GLuint fs = 0;
    try {
        fs = compile(name, GL_FRAGMENT_SHADER, fragment_src);
    } catch (...) {
        glDeleteShader(vs);
        throw;
    }
    Program p(glCreateProgram());
    glAttachShader(p.get(), vs);
    glAttachShader(p.get(), fs);
    glLinkProgram(p.get());
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(p.get(), GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[4096] = {};
        glGetProgramInfoLog(p.get(), sizeof log, nullptr, log);
        throw Error(std::string("shader program does not link: ") + log, std::string("shaders/") + name);
    }
    return p;
}

void init_gl_loader() {
    static bool done = false;
    if (done) return;
    glewExperimental = GL_TRUE;  // core profiles need it with GLEW < 2.2
    const GLenum err = glewInit();
    // GLEW 2.2 on GLX reports "no GLX display" under EGL; any entry point we need being
    // present is what matters.
    if (err != GLEW_OK && !glGenVertexArrays)
        throw Error(std::string("cannot load OpenGL: ") + reinterpret_cast<const char*>(glewGetErrorString(err)));
    glGetError();  // glewInit may leave GL_INVALID_ENUM on core profiles
    if (!GLEW_VERSION_3_3)
        throw Error("OpenGL 3.3 is required", reinterpret_cast<const char*>(glGetString(GL_VERSION)));
    done = true;
}

}  // namespace mp::gui::map
