// SPDX-License-Identifier: MIT
// The panels around the map: Layers, Inspector, Messages, status bar, menu.
#define GLFW_INCLUDE_NONE  // GL comes from GLEW (map/gl_util.hpp)
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cassert>
#include <cstdio>

#include "app/app.hpp"
#include "map/forms.hpp"
#include "map/prepare.hpp"
#include "mp/core/error.hpp"
#include "mp/io/ogr_io.hpp"

namespace mp::gui {

namespace {

ImU32 to_u32(const std::array<float, 4>& c) { return ImGui::ColorConvertFloat4ToU32(ImVec4(c[0], c[1], c[2], c[3])); }

}  // namespace

void App::add_source(const std::string& source) {
    try {
        auto layers = io::read_source(source);
        if (layers.empty()) {
            warn(io::redact_secrets(source) + ": no vector layer");
            return;
        }
        std::vector<std::size_t> counts;
        for (const auto& l : layers) {
            counts.push_back(l.features.size());
            for (const auto& w : l.warnings) warn(w);
        }
        const auto names = m_session.add_source(source, std::move(layers));
        for (std::size_t i = 0; i < names.size(); ++i)
            info("loaded " + names[i] + " (" + std::to_string(counts[i]) + " features) from " +
                 io::redact_secrets(source));
    } catch (const std::exception& e) {
        error(e.what());
    }
}

void App::undo() {
    const std::string what = m_session.undo_label();
    if (m_session.undo()) info("undid: " + what);
}

void App::redo() {
    const std::string what = m_session.redo_label();
    if (m_session.redo()) info("redid: " + what);
}

void App::rebuild_catalogue() {
    m_catalogue = sites::Catalogue();
    for (const auto& l : m_layers) {
        // Result layers carry a "kind" too (route legs, utilisation points): they are not sites.
        if (l.result) continue;
        try {
            m_catalogue.add_layer(*l.data);
        } catch (const std::exception& e) {
            warn(std::string("site catalogue: ") + e.what());
        }
    }
}

void App::draw_menu_bar() {
    // Ctrl+Z undoes, Ctrl+Shift+Z or Ctrl+Y redoes; a text field being typed into keeps
    // them for its own text. ImGui 1.86 indexes keys by GLFW key code.
    const ImGuiIO& io = ImGui::GetIO();
    if (io.KeyCtrl && !io.WantTextInput) {
        if (ImGui::IsKeyPressed(GLFW_KEY_Z, false)) io.KeyShift ? redo() : undo();
        else if (ImGui::IsKeyPressed(GLFW_KEY_Y, false)) redo();
    }
    if (!ImGui::BeginMainMenuBar()) return;
    if (ImGui::BeginMenu("Edit")) {
        const std::string u = m_session.can_undo() ? "Undo " + m_session.undo_label() : "Undo";
        const std::string r = m_session.can_redo() ? "Redo " + m_session.redo_label() : "Redo";
        if (ImGui::MenuItem(u.c_str(), "Ctrl+Z", false, m_session.can_undo())) undo();
        if (ImGui::MenuItem(r.c_str(), "Ctrl+Shift+Z", false, m_session.can_redo())) redo();
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        if (ImGui::MenuItem("Fit Belgium", "Home")) fit_default_view();
        if (ImGui::MenuItem("Fit selection", nullptr, false, m_sel_gpu != 0)) {
            if (const auto* p = m_renderer->prepared(m_sel_gpu)) {
                map::Extent e = p->extent;
                const double pad = 2000;
                e.min_x -= pad, e.min_y -= pad, e.max_x += pad, e.max_y += pad;
                m_view.fit(e, 40);
            }
        }
        ImGui::Separator();
        for (const char* crs : {geo::kWebMercator, geo::kLambert2008}) {
            const std::string label =
                std::string(crs) +
                (std::string(crs) == geo::kWebMercator ? "  Web Mercator" : "  Belgian Lambert 2008");
            if (ImGui::MenuItem(label.c_str(), nullptr, m_display_crs == crs)) {
                try {
                    set_display_crs(crs);
                    fit_default_view();
                } catch (const std::exception& e) {
                    error(e.what());
                }
            }
        }
        ImGui::Separator();
        ImGui::MenuItem("Messages", nullptr, &m_show_messages);
        ImGui::EndMenu();
    }
    ImGui::EndMainMenuBar();
}

void App::draw_layers_panel() {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("Drawn bottom to top; display CRS %s", m_display_crs.c_str());
    ImGui::PopTextWrapPos();
    // Widgets edit copies; a change goes to the session as an edit (undoable), and the
    // mirror shows it from the next frame on.
    int move_from = -1, move_to = -1, remove = -1;
    for (std::size_t i = 0; i < m_layers.size(); ++i) {
        MapLayer& l = m_layers[i];
        const session::LayerState* sl = m_session.state().find_layer(l.name);
        if (!sl) continue;  // gone since the mirror was built (shown again next frame)
        ImGui::PushID(static_cast<int>(i));
        bool visible = sl->visible;
        if (ImGui::Checkbox("##vis", &visible)) m_session.set_layer_visible(l.name, visible);
        ImGui::SameLine();
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + 4), ImVec2(p.x + 12, p.y + 16),
                                                  to_u32(sl->style.stroke));
        ImGui::Dummy(ImVec2(14, 0));
        ImGui::SameLine();
        // Tree labels cannot wrap: name and count here, the geometry in the tooltip.
        const bool open = ImGui::TreeNodeEx("##node", ImGuiTreeNodeFlags_SpanAvailWidth, "%s  (%zu)", l.name.c_str(),
                                            l.data->features.size());
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s: %zu features, %s%s", l.name.c_str(), l.data->features.size(), l.geometry.c_str(),
                              l.result ? " (plugin result)" : "");
        if (open) {
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextDisabled("%s", io::redact_secrets(l.source).c_str());
            ImGui::PopTextWrapPos();
            session::LayerStyle style = sl->style;
            // Labels above the sliders: the panel is narrow at 1280 px.
            const auto slider = [](const char* label, float* v, float lo, float hi, const char* fmt) {
                ImGui::TextUnformatted(label);
                ImGui::SetNextItemWidth(-1);
                ImGui::SliderFloat((std::string("##") + label).c_str(), v, lo, hi, fmt);
            };
            ImGui::ColorEdit3("Colour", style.stroke.data(), ImGuiColorEditFlags_NoInputs);
            if (l.geometry == "polygon" || l.geometry == "mixed") {
                ImGui::SameLine();
                ImGui::ColorEdit3("Fill", style.fill.data(), ImGuiColorEditFlags_NoInputs);
                slider("Fill opacity", &style.fill_opacity, 0, 1, "%.2f");
            }
            slider("Width px", &style.width_px, 0, 12, "%.1f");
            slider("Opacity", &style.opacity, 0, 1, "%.2f");
            if (l.geometry == "point" || l.geometry == "mixed")
                slider("Symbol px", &style.symbol_size_px, 8, 48, "%.0f");
            if (style != sl->style) m_session.set_layer_style(l.name, style);
            bool labels = sl->labels;
            std::string field = sl->label_field;
            const bool toggled = ImGui::Checkbox("Labels", &labels);
            ImGui::SameLine();
            ImGui::SetNextItemWidth(-1);
            if (ImGui::InputTextWithHint("##field", "label field", &field) || toggled)
                m_session.set_layer_labels(l.name, labels, field);
            if (ImGui::SmallButton("Up") && i + 1 < m_layers.size())
                move_from = static_cast<int>(i), move_to = static_cast<int>(i) + 1;
            ImGui::SameLine();
            if (ImGui::SmallButton("Down") && i > 0) move_from = static_cast<int>(i), move_to = static_cast<int>(i) - 1;
            ImGui::SameLine();
            if (ImGui::SmallButton("Fit")) {
                if (const auto* pl = m_renderer->prepared(l.gpu)) m_view.fit(pl->extent, 24);
            }
            ImGui::SameLine();
            if (ImGui::SmallButton("Remove")) remove = static_cast<int>(i);
            // Export this layer (GeoJSON, GeoPackage or CSV by extension; written atomically).
            ImGui::SetNextItemWidth(-60);
            ImGui::InputTextWithHint("##export", (l.name + ".geojson").c_str(), &l.export_path);
            ImGui::SameLine();
            if (ImGui::Button("Export", ImVec2(-1, 0))) {
                const std::string path = l.export_path.empty() ? l.name + ".geojson" : l.export_path;
                try {
                    io::write_layer(*l.data, path, io::format_from_path(path));
                    info("wrote " + l.name + " to " + path);
                } catch (const std::exception& e) {
                    error("exporting " + l.name + ": " + e.what());
                }
            }
            ImGui::TreePop();
        }
        ImGui::PopID();
    }
    try {
        // The mirror's order is the session's (synced at the start of the frame); look the
        // layer up by name all the same.
        const auto& layers = m_session.state().layers;
        if (move_from >= 0) {
            const std::string& name = m_layers[static_cast<std::size_t>(move_from)].name;
            auto it = std::find_if(layers.begin(), layers.end(), [&](const auto& o) { return o.name == name; });
            const auto from = static_cast<std::size_t>(it - layers.begin());
            const std::size_t to = move_to > move_from ? from + 1 : from - 1;
            if (it != layers.end() && to < layers.size()) m_session.move_layer(from, to);
        }
        if (remove >= 0) m_session.remove_layer(m_layers[static_cast<std::size_t>(remove)].name);
    } catch (const std::exception& e) {
        error(e.what());
    }
    ImGui::Separator();
    ImGui::TextWrapped("Add a layer from any GDAL source");
    ImGui::SetNextItemWidth(-50);
    const bool enter = ImGui::InputTextWithHint("##src", "path or PG:... connection", &m_add_source,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    if ((ImGui::Button("Add") || enter) && !m_add_source.empty()) {
        const std::size_t before = m_session.state().layers.size();
        add_source(m_add_source);
        if (m_session.state().layers.size() > before) m_add_source.clear();
    }
    ImGui::Separator();
    ImGui::TextUnformatted("Scenario");
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##scenario", "file.scenario.json", &m_scenario_path);
    if (ImGui::Button("Save") && !m_scenario_path.empty()) save_scenario(m_scenario_path);
    ImGui::SameLine();
    if (ImGui::Button("Open") && !m_scenario_path.empty()) open_scenario(m_scenario_path);
}

void App::draw_search() {
    ImGui::SetNextItemWidth(-1);
    const bool enter = ImGui::InputTextWithHint("##search", "search a site (NL / FR / EN)", &m_search,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
    if (m_search.empty()) return;
    auto go_to = [&](const sites::Site& s) {
        for (std::size_t li = 0; li < m_layers.size(); ++li)
            for (std::size_t fi = 0; fi < m_layers[li].data->features.size(); ++fi)
                if (m_layers[li].data->features[fi].id == s.id ||
                    m_layers[li].data->features[fi].attributes.text("id") == s.id) {
                    select_feature(static_cast<int>(li), static_cast<long>(fi));
                    double x = geo::lon(s.anchor()), y = geo::lat(s.anchor());
                    try {
                        m_to_display->forward(x, y);
                        m_view.center_x = x;
                        m_view.center_y = y;
                        m_view.units_per_pixel = std::min(m_view.units_per_pixel, 60.0);
                    } catch (const std::exception& e) {
                        error(e.what());
                    }
                    return;
                }
    };
    if (enter) {
        auto r = m_catalogue.find(m_search);
        if (r) go_to(**r);
        else warn(r.reason());
    }
    const std::string q = sites::normalise_name(m_search);
    int shown = 0;
    for (const auto& s : m_catalogue.sites()) {
        const bool hit = sites::normalise_name(s.name_en).find(q) != std::string::npos ||
                         sites::normalise_name(s.name_nl).find(q) != std::string::npos ||
                         sites::normalise_name(s.name_fr).find(q) != std::string::npos ||
                         s.id.find(q) != std::string::npos;
        if (!hit) continue;
        std::string label = s.name_en;
        if (!s.name_nl.empty() && s.name_nl != s.name_en) label += " / " + s.name_nl;
        if (!s.name_fr.empty() && s.name_fr != s.name_en && s.name_fr != s.name_nl) label += " / " + s.name_fr;
        label += "  [" + std::string(sites::kind_name(s.kind)) + "]##" + s.id;
        if (ImGui::Selectable(label.c_str())) go_to(s);
        if (++shown >= 12) break;
    }
    if (shown == 0) ImGui::TextDisabled("no site matches");
}

void App::draw_inspector_panel() {
    draw_search();
    ImGui::Separator();
    if (m_sel_layer < 0 || m_sel_layer >= static_cast<int>(m_layers.size())) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextDisabled("Click a feature on the map to see its attributes.");
        ImGui::PopTextWrapPos();
        return;
    }
    const auto& l = *m_layers[static_cast<std::size_t>(m_sel_layer)].data;
    if (m_sel_feature < 0 || m_sel_feature >= static_cast<long>(l.features.size())) return;
    const auto& f = l.features[static_cast<std::size_t>(m_sel_feature)];
    ImGui::Text("%s / %s", l.name.c_str(), f.id.c_str());
    ImGui::TextDisabled("%s", geo::geometry_type_name(f.geometry).c_str());
    if (ImGui::BeginTable(
            "attrs", 2,
            ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable)) {
        ImGui::TableSetupColumn("attribute");
        ImGui::TableSetupColumn("value");
        ImGui::TableHeadersRow();
        for (const auto& [k, v] : f.attributes.items()) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(k.c_str());
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", layer::to_string(v).c_str());
        }
        ImGui::EndTable();
    }
}

void App::draw_messages() {
    {
        if (ImGui::SmallButton("Clear")) m_messages.clear();
        while (m_messages.size() > 200) m_messages.pop_front();
        ImGui::BeginChild("msgs", ImVec2(0, 0), true);
        for (const auto& m : m_messages) {
            const ImVec4 c = m.level == Message::Level::Error     ? ImVec4(0.75f, 0.1f, 0.1f, 1)
                             : m.level == Message::Level::Warning ? ImVec4(0.6f, 0.45f, 0.0f, 1)
                                                                  : ImVec4(0.2f, 0.2f, 0.2f, 1);
            ImGui::PushStyleColor(ImGuiCol_Text, c);
            ImGui::TextWrapped("%s", m.text.c_str());
            ImGui::PopStyleColor();
        }
        if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY()) ImGui::SetScrollHereY(1.0f);
        ImGui::EndChild();
    }
}

void App::draw_status_bar() {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x, vp->WorkPos.y + vp->WorkSize.y - 24));
    ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x, 24));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, 3));
    ImGui::Begin("##status", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
    std::size_t visible = 0;
    for (const auto& l : m_layers) visible += l.visible;
    const auto& st = m_renderer->stats();
    // Ground scale at the view centre: display units times the CRS's scale factor there
    // (Web Mercator: cos(lat)), over the 0.28 mm standard pixel (OGC SLD / WMTS).
    double centre_lat = 50.5;
    try {
        double x = m_view.center_x, y = m_view.center_y;
        m_to_display->inverse(x, y);
        centre_lat = y;
    } catch (const std::exception&) {
    }
    const double ground_per_px = m_view.units_per_pixel * map::ground_m_per_unit(m_display_crs, centre_lat);
    ImGui::Text(
        "layers %zu (%zu shown) | sites %zu | plugins %d | frame %.1f ms (map %.2f ms, %zu segments, %zu calls) | "
        "1:%.0f",
        m_layers.size(), visible, m_catalogue.sites().size(), plugin_count(), m_frame_ms, m_map_ms, st.line_segments,
        st.draw_calls, ground_per_px / 0.00028);
    if (m_cursor_lonlat) {
        ImGui::SameLine();
        ImGui::Text("| %.5f, %.5f | MGRS %s | L72 %s", (*m_cursor_lonlat)[1], (*m_cursor_lonlat)[0],
                    m_cursor_mgrs.c_str(), m_cursor_lambert.c_str());
    }
    ImGui::End();
    ImGui::PopStyleVar();
}

}  // namespace mp::gui
