// SPDX-License-Identifier: MIT
// What the status bar and the map tooltip say about the point under the cursor: its
// MGRS grid reference, and the cells of the shown result rasters there.
#include <GeographicLib/MGRS.hpp>
#include <GeographicLib/UTMUPS.hpp>
#include <imgui.h>

#include <string>

#include "app/app.hpp"

namespace mp::gui {

std::string format_mgrs(double lon, double lat) {
    try {
        int zone = 0;
        bool north = true;
        double x = 0, y = 0;
        GeographicLib::UTMUPS::Forward(lat, lon, zone, north, x, y);
        std::string mgrs;
        GeographicLib::MGRS::Forward(zone, north, x, y, lat, 5, mgrs);  // 5 digits: 1 m
        // "31UES1234567890" -> "31U ES 12345 67890"
        const std::size_t digits = mgrs.size() >= 10 ? 10 : 0;
        if (digits == 0) return mgrs;
        const std::size_t head = mgrs.size() - digits;  // zone + band + square
        return mgrs.substr(0, head - 2) + " " + mgrs.substr(head - 2, 2) + " " + mgrs.substr(head, 5) + " " +
               mgrs.substr(head + 5);
    } catch (const std::exception&) {
        return {};
    }
}

void App::update_cursor_readout() {
    m_cursor_readout.clear();
    if (!m_cursor_lonlat) return;
    for (const auto& rec : m_runs) {
        if (!rec.result) continue;
        for (std::size_t k = 0; k < rec.rasters.size() && k < rec.result->rasters.size(); ++k) {
            const RasterOverlay& o = rec.rasters[k];
            if (!o.visible || o.gpu == 0 || o.choice >= o.choices.size()) continue;  // not drawn: not read
            const plugin::Raster& r = rec.result->rasters[k];
            const std::string crs = r.crs.empty() ? std::string(geo::kWgs84) : r.crs;
            auto& t = m_readout_transformers[crs];
            double x = (*m_cursor_lonlat)[0], y = (*m_cursor_lonlat)[1];
            try {
                if (!t) t = std::make_unique<geo::Transformer>(std::string(geo::kWgs84), crs);
                t->forward(x, y);
            } catch (const std::exception&) {
                continue;  // the cursor is outside the raster CRS's domain: nothing to read there
            }
            if (const auto cell = map::raster_readout(r, o.choices[o.choice], x, y))
                m_cursor_readout.push_back(map::readout_line(*cell));
        }
    }
}

void App::draw_cursor_tooltip() const {
    if (m_cursor_readout.empty() || !m_cursor_lonlat) return;  // the lon, lat is set only over the map
    ImGui::BeginTooltip();
    // Long lists of names wrap at about 60 characters, not at the window's edge.
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32.0f);
    for (const auto& line : m_cursor_readout) ImGui::TextUnformatted(line.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

void App::place_headless_cursor() {
    if (!m_headless || !m_opts.cursor || !m_view_initialised) return;
    double x = (*m_opts.cursor)[0], y = (*m_opts.cursor)[1];
    try {
        m_to_display->forward(x, y);
    } catch (const std::exception&) {
        return;
    }
    const auto px = m_view.to_pixel(x, y);
    // After the backend's NewFrame, which reads the (absent) real mouse: this ImGui has no
    // input queue, MousePos is read by ImGui::NewFrame.
    ImGui::GetIO().MousePos = ImVec2(static_cast<float>(px[0] + m_canvas[0]), static_cast<float>(px[1] + m_canvas[1]));
}

}  // namespace mp::gui
