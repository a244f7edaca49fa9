// SPDX-License-Identifier: MIT
// Plugins and Results panels: a form per plugin built from its parameter schema, runs on
// a worker thread (progress, Cancel), result layers on the map, tables and charts,
// exports. The planning itself happens in the plugins and mp::core.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/app.hpp"
#include "mp/core/error.hpp"
#include "mp/data/default_data.hpp"
#include "mp/io/ogr_io.hpp"

namespace mp::gui {

namespace {

// "#rrggbb" or "#rrggbbaa" to RGBA; fallback when malformed.
std::array<float, 4> parse_colour(const std::string& hex, std::array<float, 4> fallback) {
    if (hex.size() != 7 && hex.size() != 9) return fallback;
    if (hex[0] != '#') return fallback;
    std::array<float, 4> c{0, 0, 0, 1};
    for (std::size_t i = 0; i < (hex.size() - 1) / 2; ++i) {
        unsigned v = 0;
        if (std::sscanf(hex.c_str() + 1 + 2 * i, "%2x", &v) != 1) return fallback;
        c[i] = static_cast<float>(v) / 255.0f;
    }
    return c;
}

bool wants_location(const plugin::ParamDef& d) {
    return d.type == plugin::ParamType::Site || d.type == plugin::ParamType::Coordinate ||
           (d.type == plugin::ParamType::String && d.description.find("lon,lat") != std::string::npos) ||
           (d.type == plugin::ParamType::List && d.description.find("lon,lat") != std::string::npos);
}

}  // namespace

int App::plugin_count() const { return m_registry ? static_cast<int>(m_registry->loaded_count()) : 0; }

void App::init_plugins() {
    try {
        m_registry = std::make_unique<plugin::Registry>();
        m_registry->discover(plugin::default_folders(m_opts.plugin_dirs));
        for (const auto& p : m_registry->plugins())
            if (!p.loaded) warn("plugin refused: " + (p.id.empty() ? p.file : p.id) + ": " + p.refusal);
    } catch (const std::exception& e) {
        error(std::string("plugins: ") + e.what());
    }
}

void App::draw_param_widget(const std::string& plugin_id, const plugin::ParamDef& d) {
    nlohmann::json& values = m_plugin_params[plugin_id];
    if (!values.contains(d.key)) values[d.key] = d.default_value.value_or("");
    std::string v = values[d.key].is_string() ? values[d.key].get<std::string>() : values[d.key].dump();
    std::string label = d.label.empty() ? d.key : d.label;
    if (!d.unit.empty()) label += " [" + d.unit + "]";
    if (d.required) label += " *";
    label += "##" + d.key;
    bool changed = false;
    ImGui::PushID(d.key.c_str());
    const float w = ImGui::GetContentRegionAvail().x * 0.55f;
    switch (d.type) {
    case plugin::ParamType::Bool: {
        bool b = v == "true" || v == "1" || v == "yes";
        if (ImGui::Checkbox(label.c_str(), &b)) v = b ? "true" : "false", changed = true;
        break;
    }
    case plugin::ParamType::Enum: {
        ImGui::SetNextItemWidth(w);
        if (ImGui::BeginCombo(label.c_str(), v.c_str())) {
            for (const auto& c : d.choices)
                if (ImGui::Selectable(c.c_str(), c == v)) v = c, changed = true;
            ImGui::EndCombo();
        }
        break;
    }
    case plugin::ParamType::Layer: {
        ImGui::SetNextItemWidth(w);
        if (ImGui::BeginCombo(label.c_str(), v.c_str())) {
            for (const auto& l : m_layers)
                if (ImGui::Selectable(l.name.c_str(), l.name == v)) v = l.name, changed = true;
            ImGui::EndCombo();
        }
        break;
    }
    case plugin::ParamType::Site: {
        ImGui::SetNextItemWidth(w);
        if (ImGui::BeginCombo(label.c_str(), v.c_str(), ImGuiComboFlags_HeightLarge)) {
            for (const auto& s : m_catalogue.sites())
                if (ImGui::Selectable((s.name_en + "##" + s.id).c_str(), s.id == v)) v = s.id, changed = true;
            ImGui::EndCombo();
        }
        break;
    }
    case plugin::ParamType::Number:
    case plugin::ParamType::Integer: {
        // Text keeps "unset" distinct from 0; the host validates the range.
        ImGui::SetNextItemWidth(w);
        changed = ImGui::InputText(label.c_str(), &v, ImGuiInputTextFlags_CharsScientific);
        break;
    }
    default:
        ImGui::SetNextItemWidth(w);
        changed = ImGui::InputText(label.c_str(), &v);
        break;
    }
    if (wants_location(d)) {
        ImGui::SameLine();
        const bool picking = m_pick_plugin == plugin_id && m_pick_key == d.key;
        if (ImGui::SmallButton(picking ? "click map" : "pick")) {
            m_pick_plugin = picking ? "" : plugin_id;
            m_pick_key = picking ? "" : d.key;
        }
    }
    if (ImGui::IsItemHovered() && !d.description.empty()) ImGui::SetTooltip("%s", d.description.c_str());
    if (changed) values[d.key] = v;
    ImGui::PopID();
}

bool App::pick_for_plugin(double display_x, double display_y) {
    if (m_pick_plugin.empty() || !m_registry) return false;
    const auto* info = m_registry->find(m_pick_plugin);
    if (!info) return false;
    auto it = std::find_if(info->params.begin(), info->params.end(), [&](const auto& d) { return d.key == m_pick_key; });
    if (it == info->params.end()) return false;
    // A site symbol under the click gives the site's id; anywhere else gives lon,lat.
    std::string value;
    if (it->type != plugin::ParamType::Coordinate) {
        const double tol = 0.5 * 28 * m_view.units_per_pixel;
        for (const auto& l : m_layers) {
            const auto* p = m_renderer->prepared(l.gpu);
            if (!l.visible || !p || p->symbols.empty()) continue;
            const long f = map::pick_feature(*p, {display_x, display_y}, tol);
            if (f < 0) continue;
            const auto& feat = l.data->features[static_cast<std::size_t>(f)];
            const std::string id = feat.attributes.text("id", feat.id);
            if (m_catalogue.by_id(id)) value = id;
            if (!value.empty()) break;
        }
    }
    if (value.empty() && it->type == plugin::ParamType::Site) {
        warn("click a site symbol to pick '" + it->key + "'");
        return true;
    }
    if (value.empty()) {
        double lon = display_x, lat = display_y;
        m_to_display->inverse(lon, lat);
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.6f,%.6f", lon, lat);
        value = buf;
    }
    auto& slot = m_plugin_params[m_pick_plugin][m_pick_key];
    if (it->type == plugin::ParamType::List && slot.is_string() && !slot.get<std::string>().empty())
        slot = slot.get<std::string>() + ";" + value;
    else
        slot = value;
    m_pick_plugin.clear();
    m_pick_key.clear();
    return true;
}

void App::start_run(const std::string& plugin_id) {
    if (m_job || !m_registry) return;
    if (!m_registry->find(plugin_id)) {
        error("no loaded plugin '" + plugin_id + "' (see the Plugins panel)");
        m_run_failed = true;
        return;
    }
    // The worker gets its own snapshot of the layers: the UI may change them meanwhile.
    auto ws = std::make_shared<data::Workspace>();
    for (const auto& l : m_layers) ws->layers.add(*l.data);
    for (const auto& l : ws->layers.layers()) {
        try {
            ws->catalogue.add_layer(l);
        } catch (const std::exception&) {
            // Already reported when the layer was loaded.
        }
    }
    nlohmann::json raw = nlohmann::json::object();
    for (auto& [k, v] : m_plugin_params[plugin_id].items())
        if (!(v.is_string() && v.get<std::string>().empty())) raw[k] = v;
    plugin::RunOptions opts;
    opts.data_sources = m_sources;
    opts.no_default_data = !m_default_data;
    if (m_headless) opts.timeout_s = 600;  // a headless run must end
    m_job = std::make_unique<PluginJob>();
    m_job->plugin_id = plugin_id;
    m_job->started = std::chrono::steady_clock::now();
    PluginJob* job = m_job.get();
    plugin::Registry* reg = m_registry.get();
    job->thread = std::thread([job, reg, ws, raw, opts, plugin_id] {
        try {
            job->result = reg->run(plugin_id, raw, *ws, job->progress, opts);
        } catch (const std::exception& e) {
            job->error = e.what();
        } catch (...) {
            job->error = "unknown error";
        }
        job->done.store(true, std::memory_order_release);
    });
    info("running " + plugin_id + " ...");
}

void App::poll_run() {
    if (!m_job || !m_job->done.load(std::memory_order_acquire)) return;
    m_job->thread.join();
    std::unique_ptr<PluginJob> job = std::move(m_job);
    if (!job->error.empty()) {
        error(job->plugin_id + ": " + job->error);
        m_run_failed = true;
        return;
    }
    add_run_result(job->plugin_id, std::move(job->result));
}

void App::add_run_result(const std::string& plugin_id, plugin::RunResult r) {
    for (const auto& m : r.messages) {
        const std::string text = plugin_id + ": " + m.text;
        m.level >= 2 ? error(text) : m.level == 1 ? warn(text) : info(text);
    }
    if (r.status != plugin::RunStatus::Ok) {
        error(plugin_id + " " + std::string(plugin::run_status_name(r.status)) + ": " + r.error);
        m_run_failed = true;
        return;
    }
    RunRecord rec;
    rec.plugin_id = plugin_id;
    // One map layer per distinct feature style, so legs and alternatives keep their colours.
    for (const auto& rl : r.layers) {
        std::vector<std::pair<plugin::Style, layer::Layer>> groups;
        for (std::size_t i = 0; i < rl.layer.features.size(); ++i) {
            const plugin::Style st = i < rl.feature_styles.size() && rl.feature_styles[i] ? *rl.feature_styles[i] : rl.style;
            auto g = std::find_if(groups.begin(), groups.end(),
                                  [&](const auto& x) { return x.first.color == st.color && x.first.width_px == st.width_px; });
            if (g == groups.end()) {
                layer::Layer l;
                l.name = groups.empty() ? rl.layer.name : rl.layer.name + " " + st.color;
                l.source = "result:" + plugin_id;
                l.source_crs = geo::kWgs84;
                l.fields = rl.layer.fields;
                groups.push_back({st, std::move(l)});
                g = groups.end() - 1;
            }
            g->second.features.push_back(rl.layer.features[i]);
        }
        for (auto& [st, l] : groups) {
            const std::size_t before = m_layers.size();
            add_layer(std::move(l), false, true);
            if (m_layers.size() == before) continue;
            MapLayer& ml = m_layers.back();
            ml.style.stroke = parse_colour(st.color, ml.style.stroke);
            ml.style.fill = ml.style.stroke;
            ml.style.width_px = static_cast<float>(st.width_px);
            ml.casing = ml.geometry == "line" || ml.geometry == "mixed";
            if (!st.label_field.empty()) ml.label_field = st.label_field, ml.labels = true;
            rec.layer_names.push_back(ml.name);
        }
    }
    std::size_t features = 0;
    for (const auto& l : r.layers) features += l.layer.features.size();
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s finished in %.2f s: %zu layers (%zu features), %zu tables, %zu rasters", plugin_id.c_str(),
                  r.seconds, r.layers.size(), features, r.tables.size(), r.rasters.size());
    info(buf);
    rec.result = std::move(r);
    m_runs.push_back(std::move(rec));
    rebuild_catalogue();
}

void App::draw_plugins_panel() {
    if (!m_registry) {
        ImGui::TextDisabled("no plugin host");
        return;
    }
    if (m_job) {
        const double f = m_job->progress.fraction();
        const std::string stage = m_job->progress.stage();
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_job->started).count();
        ImGui::Text("%s: %s (%.1f s)", m_job->plugin_id.c_str(), stage.c_str(), s);
        ImGui::ProgressBar(static_cast<float>(std::clamp(f, 0.0, 1.0)), ImVec2(-70, 0));
        ImGui::SameLine();
        if (ImGui::Button(m_job->progress.cancelled() ? "..." : "Cancel")) m_job->progress.cancel();
        ImGui::Separator();
    }
    if (m_registry->plugins().empty()) ImGui::TextDisabled("No plugins found (build/plugins, $ENABLEMENT_PLUGIN_PATH).");
    for (const auto& p : m_registry->plugins()) {
        if (!p.loaded) {
            ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.7f, 0.1f, 0.1f, 1));
            ImGui::TextWrapped("refused %s: %s", p.file.c_str(), p.refusal.c_str());
            ImGui::PopStyleColor();
            continue;
        }
        ImGui::PushID(p.id.c_str());
        if (ImGui::CollapsingHeader((p.name + "  " + p.version + "##h").c_str())) {
            if (!p.description.empty()) ImGui::TextWrapped("%s", p.description.c_str());
            for (const auto& d : p.params) draw_param_widget(p.id, d);
            ImGui::BeginDisabled(m_job != nullptr);
            if (ImGui::Button("Run")) start_run(p.id);
            ImGui::EndDisabled();
            ImGui::SameLine();
            if (ImGui::SmallButton("Reset")) m_plugin_params.erase(p.id);
        }
        ImGui::PopID();
    }
}

void App::draw_table(const plugin::Table& t, int index) {
    ImGui::PushID(index);
    ImGui::TextUnformatted(t.name.c_str());
    const int ncol = static_cast<int>(std::min<std::size_t>(t.columns.size(), 64));
    if (ncol > 0 && ImGui::BeginTable("t", ncol,
                                      ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollX |
                                          ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit,
                                      ImVec2(0, std::min(200.0f, 24.0f + 20.0f * static_cast<float>(t.rows()))))) {
        for (int c = 0; c < ncol; ++c) {
            const auto& col = t.columns[static_cast<std::size_t>(c)];
            ImGui::TableSetupColumn((col.unit.empty() ? col.name : col.name + " [" + col.unit + "]").c_str());
        }
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableHeadersRow();
        for (std::size_t r = 0; r < t.rows(); ++r) {
            ImGui::TableNextRow();
            for (int c = 0; c < ncol; ++c) {
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(t.columns[static_cast<std::size_t>(c)].cell(r).c_str());
            }
        }
        ImGui::EndTable();
    }
    // Charts: the first numeric column is x when there are two or more; every other
    // numeric column is a series. Drawn with the draw list (ImGui 1.86 has no plots).
    std::vector<const plugin::Table::Column*> num;
    for (const auto& c : t.columns)
        if (c.numeric && !c.numbers.empty()) num.push_back(&c);
    if ((t.chart_hint == "line" || t.chart_hint == "bar") && !num.empty()) {
        const plugin::Table::Column* xcol = num.size() >= 2 ? num[0] : nullptr;
        const std::size_t first_series = xcol ? 1 : 0;
        const std::size_t n = t.rows();
        double xmin = 0, xmax = static_cast<double>(n > 1 ? n - 1 : 1), ymin = 0, ymax = 1e-9;
        if (xcol) {
            xmin = *std::min_element(xcol->numbers.begin(), xcol->numbers.end());
            xmax = *std::max_element(xcol->numbers.begin(), xcol->numbers.end());
            if (xmax <= xmin) xmax = xmin + 1;
        }
        for (std::size_t s = first_series; s < num.size(); ++s)
            for (double v : num[s]->numbers)
                if (std::isfinite(v)) ymin = std::min(ymin, v), ymax = std::max(ymax, v);
        const ImVec2 size(ImGui::GetContentRegionAvail().x, 150);
        const ImVec2 o = ImGui::GetCursorScreenPos();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const float left = 44, bottom = 18;
        const ImVec2 a(o.x + left, o.y + 4), b(o.x + size.x - 4, o.y + size.y - bottom);
        dl->AddRectFilled(a, b, IM_COL32(255, 255, 255, 255));
        dl->AddRect(a, b, IM_COL32(120, 120, 120, 255));
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.3g", ymax);
        dl->AddText(ImVec2(o.x, a.y), IM_COL32(60, 60, 60, 255), buf);
        std::snprintf(buf, sizeof buf, "%.3g", ymin);
        dl->AddText(ImVec2(o.x, b.y - 14), IM_COL32(60, 60, 60, 255), buf);
        if (xcol) {
            std::snprintf(buf, sizeof buf, "%s %.3g .. %.3g", xcol->name.c_str(), xmin, xmax);
            dl->AddText(ImVec2(a.x, b.y + 2), IM_COL32(60, 60, 60, 255), buf);
        }
        auto px = [&](std::size_t i) {
            const double x = xcol ? xcol->numbers[i] : static_cast<double>(i);
            return a.x + static_cast<float>((x - xmin) / (xmax - xmin)) * (b.x - a.x);
        };
        auto py = [&](double y) { return b.y - static_cast<float>((y - ymin) / (ymax - ymin)) * (b.y - a.y); };
        static const ImU32 kSeries[] = {IM_COL32(31, 119, 180, 255), IM_COL32(255, 127, 14, 255), IM_COL32(44, 160, 44, 255),
                                        IM_COL32(214, 39, 40, 255)};
        const std::size_t nseries = num.size() - first_series;
        for (std::size_t s = first_series; s < num.size(); ++s) {
            const ImU32 col = kSeries[(s - first_series) % 4];
            const auto& ys = num[s]->numbers;
            if (t.chart_hint == "bar") {
                const float bw = std::max(1.0f, (b.x - a.x) / static_cast<float>(std::max<std::size_t>(n, 1)) * 0.8f /
                                                    static_cast<float>(nseries));
                for (std::size_t i = 0; i < ys.size(); ++i) {
                    if (!std::isfinite(ys[i])) continue;
                    const float x0 = (xcol ? px(i) - bw * nseries / 2 : a.x + (b.x - a.x) * (i + 0.1f) / n) +
                                     bw * static_cast<float>(s - first_series);
                    dl->AddRectFilled(ImVec2(x0, py(ys[i])), ImVec2(x0 + bw, py(std::max(0.0, ymin))), col);
                }
            } else {
                std::vector<ImVec2> pts;
                for (std::size_t i = 0; i < ys.size(); ++i)
                    if (std::isfinite(ys[i])) pts.emplace_back(px(i), py(ys[i]));
                if (pts.size() >= 2) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, 0, 2.0f);
            }
            dl->AddText(ImVec2(a.x + 6, a.y + 2 + 14 * static_cast<float>(s - first_series)), col, num[s]->name.c_str());
        }
        ImGui::Dummy(size);
    }
    ImGui::PopID();
}

void App::draw_results_panel() {
    ImGui::SetNextItemWidth(-90);
    ImGui::InputTextWithHint("##png", "map.png", &m_export_png);
    ImGui::SameLine();
    if (ImGui::Button("Export PNG") && !m_export_png.empty()) m_pending_png = m_export_png;
    if (m_runs.empty()) {
        ImGui::TextDisabled("Results of plugin runs appear here.");
        return;
    }
    int remove = -1;
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        RunRecord& rec = m_runs[i];
        ImGui::PushID(static_cast<int>(i));
        const std::string title = std::to_string(i + 1) + ". " + rec.plugin_id + "##run";
        if (ImGui::CollapsingHeader(title.c_str(), i + 1 == m_runs.size() ? ImGuiTreeNodeFlags_DefaultOpen : 0)) {
            for (const auto& name : rec.layer_names) {
                auto it = std::find_if(m_layers.begin(), m_layers.end(), [&](const MapLayer& l) { return l.name == name; });
                if (it == m_layers.end()) continue;
                ImGui::PushID(name.c_str());
                ImGui::Checkbox("##v", &it->visible);
                ImGui::SameLine();
                ImGui::ColorEdit3("##c", it->style.stroke.data(), ImGuiColorEditFlags_NoInputs);
                ImGui::SameLine();
                ImGui::Text("%s (%zu)", name.c_str(), it->data->features.size());
                ImGui::SameLine();
                if (ImGui::SmallButton("Fit"))
                    if (const auto* p = m_renderer->prepared(it->gpu)) m_view.fit(p->extent, 30);
                ImGui::PopID();
            }
            ImGui::SetNextItemWidth(-110);
            ImGui::InputTextWithHint("##exp", "route.geojson", &rec.export_path);
            ImGui::SameLine();
            if (ImGui::Button("Export GeoJSON") && !rec.export_path.empty()) {
                try {
                    io::write_layer(plugin::merged_layers(rec.result, rec.plugin_id), rec.export_path, io::Format::GeoJson);
                    info("wrote " + rec.export_path);
                } catch (const std::exception& e) {
                    error(e.what());
                }
            }
            for (std::size_t t = 0; t < rec.result.tables.size(); ++t) draw_table(rec.result.tables[t], static_cast<int>(t));
            for (const auto& r : rec.result.rasters)
                ImGui::TextDisabled("raster %s: %zux%zu %s (export with the CLI)", r.name.c_str(), r.width, r.height, r.unit.c_str());
            if (ImGui::SmallButton("Remove from map")) remove = static_cast<int>(i);
        }
        ImGui::PopID();
    }
    if (remove >= 0) {
        for (const auto& name : m_runs[static_cast<std::size_t>(remove)].layer_names) {
            auto it = std::find_if(m_layers.begin(), m_layers.end(), [&](const MapLayer& l) { return l.name == name; });
            if (it == m_layers.end()) continue;
            m_renderer->remove(it->gpu);
            m_layers.erase(it);
        }
        select_feature(-1, -1);
        m_runs.erase(m_runs.begin() + remove);
    }
}

}  // namespace mp::gui
