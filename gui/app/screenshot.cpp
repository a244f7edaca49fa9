// SPDX-License-Identifier: MIT
// Headless output: the framebuffer as PNG (written atomically) and the view transform
// as JSON, so tests can check where things were drawn.
#include <GL/glew.h>
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cmath>
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

bool App::write_screenshot(const std::string& path, bool map_only) {
    int fw = 0, fh = 0;
    glfwGetFramebufferSize(m_window, &fw, &fh);
    // The whole window, or only the map canvas (in framebuffer pixels, y up).
    int x0 = 0, y0 = 0, w = fw, h = fh;
    if (map_only) {
        const ImGuiIO& io = ImGui::GetIO();
        const float sx = io.DisplaySize.x > 0 ? fw / io.DisplaySize.x : 1.0f;
        const float sy = io.DisplaySize.y > 0 ? fh / io.DisplaySize.y : 1.0f;
        x0 = std::clamp(static_cast<int>(std::lround(m_canvas[0] * sx)), 0, fw - 1);
        w = std::clamp(static_cast<int>(std::lround(m_canvas[2] * sx)), 1, fw - x0);
        h = std::clamp(static_cast<int>(std::lround(m_canvas[3] * sy)), 1, fh);
        y0 = std::clamp(fh - static_cast<int>(std::lround((m_canvas[1] + m_canvas[3]) * sy)), 0, fh - h);
    }
    std::vector<unsigned char> rgb(static_cast<std::size_t>(w) * h * 3);
    glFinish();
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(x0, y0, w, h, GL_RGB, GL_UNSIGNED_BYTE, rgb.data());
    // GL rows run bottom-up; PNG rows top-down.
    std::vector<unsigned char> flipped(rgb.size());
    const std::size_t row = static_cast<std::size_t>(w) * 3;
    for (int y = 0; y < h; ++y)
        std::copy_n(rgb.data() + static_cast<std::size_t>(h - 1 - y) * row, row,
                    flipped.data() + static_cast<std::size_t>(y) * row);
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
        if (m.level == Message::Level::Error)
            std::fprintf(stderr, "note: the map shows an error: %s\n", io::redact_secrets(m.text).c_str());
    std::printf("wrote %s (%dx%d)\n", path.c_str(), w, h);
    return true;
}

namespace {

nlohmann::json without_passwords(const nlohmann::json& v) {
    if (v.is_string()) return io::redact_secrets(v.get<std::string>());
    if (!v.is_structured()) return v;
    nlohmann::json out = v;
    for (auto& e : out) e = without_passwords(e);
    return out;
}

}  // namespace

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
    for (const auto& l : m_layers) {
        nlohmann::json lj{{"name", l.name},
                          {"visible", l.visible},
                          {"stroke", {l.style.stroke[0], l.style.stroke[1], l.style.stroke[2]}},
                          {"width_px", l.style.width_px},
                          {"symbol_size_px", l.style.symbol_size_px},
                          {"result", l.result},
                          {"features", l.data->features.size()}};
        // A movements layer: the features drawn at the slider's time.
        if (l.times) lj["drawn_features"] = l.filtered_index.size();
        layers.push_back(std::move(lj));
    }
    j["layers"] = layers;
    // What the Results panel and the map legends show of each run's typed results.
    auto results = nlohmann::json::array();
    for (const auto& rec : m_runs) {
        nlohmann::json rj{{"plugin", rec.plugin_id}};
        rj["rasters"] = nlohmann::json::array();
        for (const auto& o : rec.rasters) {
            nlohmann::json oj{{"choices", nlohmann::json::array()}, {"drawn", o.gpu != 0}};
            for (const auto& c : o.choices) oj["choices"].push_back(c.label);
            if (o.choice < o.choices.size()) oj["choice"] = o.choices[o.choice].label;
            oj["legend"] = {{"title", o.legend.title}, {"ramp", o.legend.ramp}, {"low", o.legend.low},
                            {"high", o.legend.high},   {"note", o.legend.note}, {"entries", nlohmann::json::array()}};
            for (const auto& e : o.legend.entries) oj["legend"]["entries"].push_back(e.label);
            rj["rasters"].push_back(std::move(oj));
        }
        rj["movements"] = nlohmann::json::array();
        for (const auto& mc : rec.movements)
            rj["movements"].push_back({{"layer", mc.layer},
                                       {"time", mc.scale.empty ? "" : map::format_time(mc.t, mc.scale.absolute)},
                                       {"t0", mc.scale.t0},
                                       {"t1", mc.scale.t1},
                                       {"playing", mc.playing},
                                       {"play_rect", mc.play_rect},
                                       {"map_layers", mc.map_layers}});
        rj["tables"] = nlohmann::json::array();
        for (std::size_t t = 0; rec.result && t < rec.result->tables.size() && t < rec.charts.size(); ++t) {
            const auto& chart = rec.charts[t];
            rj["tables"].push_back({{"name", rec.result->tables[t].name},
                                    {"chart", chart ? chart->chart.kind : ""},
                                    {"problem", chart ? chart->problem : ""},
                                    {"rows", chart ? chart->rows() : 0}});
        }
        results.push_back(std::move(rj));
    }
    j["results"] = results;
    j["chart_window"] = m_chart_window.has_value();
    // Where the mouse is over the map and what the readout tooltip says there.
    if (m_cursor_lonlat) j["cursor"] = {{"lon", (*m_cursor_lonlat)[0]}, {"lat", (*m_cursor_lonlat)[1]}};
    j["cursor_readout"] = m_cursor_readout;
    j["legend_boxes"] = m_legend_boxes;  // x0, y0, x1, y1 in window pixels, in raster order
    j["sites"] = m_catalogue.sites().size();
    // Whole-frame times (ImGui + map + swap) after a warm-up of 3 frames.
    if (m_frame_times_ms.size() > 3) {
        std::vector<double> t(m_frame_times_ms.begin() + 3, m_frame_times_ms.end());
        std::sort(t.begin(), t.end());
        j["frame_ms_median"] = t[t.size() / 2];
        j["frame_ms_p90"] = t[std::min(t.size() - 1, t.size() * 9 / 10)];
        j["frames_timed"] = t.size();
    }
    j["map_ms_last"] = m_map_ms;
    j["runs"] = m_runs.size();
    // Form values may hold a connection string: the dump is a file, so no password.
    j["forms"] = without_passwords(m_forms.dump());
    try {
        io::write_file_atomic(path, j.dump(2));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
    }
}

}  // namespace mp::gui
