// SPDX-License-Identifier: MIT
// Headless output: the framebuffer as PNG (written atomically) and the view transform
// as JSON, so tests can check where things were drawn.
#include <GL/glew.h>
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <stb_image_write.h>

#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/app.hpp"
#include "mp/io/ogr_io.hpp"

namespace mp::gui {

namespace {
void append_bytes(void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}
}  // namespace

bool App::write_screenshot(const std::string& path) {
    int w = 0, h = 0;
    glfwGetFramebufferSize(m_window, &w, &h);
    std::vector<unsigned char> rgb(static_cast<std::size_t>(w) * h * 3);
    glFinish();
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, rgb.data());
    // GL rows run bottom-up; PNG rows top-down.
    std::vector<unsigned char> flipped(rgb.size());
    const std::size_t row = static_cast<std::size_t>(w) * 3;
    for (int y = 0; y < h; ++y)
        std::copy_n(rgb.data() + static_cast<std::size_t>(h - 1 - y) * row, row, flipped.data() + static_cast<std::size_t>(y) * row);
    std::string png;
    if (!stbi_write_png_to_func(append_bytes, &png, w, h, 3, flipped.data(), static_cast<int>(row))) {
        std::fprintf(stderr, "error: cannot encode PNG (%s)\n", path.c_str());
        return false;
    }
    try {
        io::write_file_atomic(path, png);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return false;
    }
    for (const auto& m : m_messages)
        if (m.level == Message::Level::Error) std::fprintf(stderr, "note: the map shows an error: %s\n", m.text.c_str());
    std::printf("wrote %s (%dx%d)\n", path.c_str(), w, h);
    return true;
}

void App::write_view_dump(const std::string& path) const {
    int fw = 0, fh = 0;
    glfwGetFramebufferSize(m_window, &fw, &fh);
    const ImGuiIO& io = ImGui::GetIO();
    nlohmann::json j;
    j["display_crs"] = m_display_crs;
    j["framebuffer"] = {fw, fh};
    j["window"] = {io.DisplaySize.x, io.DisplaySize.y};
    // The canvas in window coordinates; its view maps display-CRS units to pixels of the
    // canvas (ViewTransform::to_pixel); add the canvas origin for window pixels.
    j["canvas"] = {{"x", m_canvas[0]}, {"y", m_canvas[1]}, {"width", m_canvas[2]}, {"height", m_canvas[3]}};
    j["view"] = {{"center_x", m_view.center_x},
                 {"center_y", m_view.center_y},
                 {"units_per_pixel", m_view.units_per_pixel},
                 {"width_px", m_view.width_px},
                 {"height_px", m_view.height_px}};
    auto layers = nlohmann::json::array();
    for (const auto& l : m_layers)
        layers.push_back({{"name", l.name}, {"visible", l.visible}, {"stroke", {l.style.stroke[0], l.style.stroke[1], l.style.stroke[2]}},
                          {"width_px", l.style.width_px}, {"symbol_size_px", l.style.symbol_size_px}});
    j["layers"] = layers;
    try {
        io::write_file_atomic(path, j.dump(2));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
    }
}

}  // namespace mp::gui
