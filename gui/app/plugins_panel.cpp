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
#include "app/charts.hpp"
#include "map/forms.hpp"
#include "mp/core/error.hpp"
#include "mp/data/default_data.hpp"
#include "mp/io/ogr_io.hpp"

namespace mp::gui {

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

ParamForms::Env App::form_env() {
    ParamForms::Env env;
    env.catalogue = &m_catalogue;
    for (const auto& l : m_layers) env.layers.push_back(l.name);
    env.warn = [this](std::string text) { warn(std::move(text)); };
    return env;
}

bool App::pick_for_plugin(double display_x, double display_y) {
    const PickTarget target = m_forms.pick();
    if (!target.active() || !m_registry) return false;
    m_forms.cancel_pick();
    const auto* pinfo = m_registry->find(target.plugin_id);
    if (!pinfo) return false;
    auto it =
        std::find_if(pinfo->params.begin(), pinfo->params.end(), [&](const auto& d) { return d.key == target.key; });
    if (it == pinfo->params.end()) return false;
    // The type of the value the click fills: a record field's, a list item's, or the
    // parameter's own.
    plugin::ParamType type = map::value_type(*it);
    if (!target.field.empty())
        for (const auto& f : it->fields)
            if (f.key == target.field) type = f.type;
    const map::PickKind kind = map::pick_kind(type);
    if (kind == map::PickKind::None) return false;
    // The nearest site within reach of the click (half a symbol plus a margin).
    std::string site_id;
    if (kind != map::PickKind::Location) {
        double best = std::pow((0.5 * 28 + 24) * m_view.units_per_pixel, 2);
        for (const auto& s : m_catalogue.sites()) {
            double x = geo::lon(s.anchor()), y = geo::lat(s.anchor());
            try {
                m_to_display->forward(x, y);
            } catch (const std::exception&) {
                continue;
            }
            const double d2 = (x - display_x) * (x - display_x) + (y - display_y) * (y - display_y);
            if (d2 < best) best = d2, site_id = s.id;
        }
    }
    double lon = display_x, lat = display_y;
    m_to_display->inverse(lon, lat);
    const std::string value = map::pick_text(kind, site_id, lon, lat);
    const std::string what = target.field.empty() ? it->key : it->key + " " + target.field;
    if (value.empty()) {
        warn("click on or near a site symbol to pick '" + what + "'");
        return true;
    }
    auto& slot = m_plugin_params[target.plugin_id][target.key];
    if (!map::put_form_text(*it, slot, target.index, target.field, value)) {
        warn("the value picked for '" + what + "' no longer exists");
        return true;
    }
    info("picked " + what + " = " + value);
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
    // Result layers are run input as layers (e.g. routes to assess) but never as sites.
    auto ws = std::make_shared<data::Workspace>(session::workspace(m_session.state()));
    // The host gets what the CLI would send from a --params file: lists as arrays,
    // records as objects, numbers as numbers (map::host_params).
    const nlohmann::json raw = map::host_params(m_registry->find(plugin_id)->params, m_plugin_params[plugin_id]);
    plugin::RunOptions opts;
    if (m_headless) opts.timeout_s = 600;  // a headless run must end
    m_last_run_error.clear();
    m_job = std::make_unique<PluginJob>();
    m_job->plugin_id = plugin_id;
    m_job->params = raw;
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
        m_last_run_error = job->plugin_id + ": " + job->error;
        error(job->plugin_id + ": " + job->error);
        m_run_failed = true;
        return;
    }
    add_run_result(job->plugin_id, std::move(job->params), std::move(job->result));
}

void App::add_run_result(const std::string& plugin_id, nlohmann::json params, plugin::RunResult r) {
    for (const auto& m : r.messages) {
        const std::string text = plugin_id + ": " + m.text;
        m.level >= 2 ? error(text) : m.level == 1 ? warn(text) : info(text);
    }
    if (r.status != plugin::RunStatus::Ok) {
        m_last_run_error = plugin_id + " " + std::string(plugin::run_status_name(r.status)) + ": " + r.error;
        error(plugin_id + " " + std::string(plugin::run_status_name(r.status)) + ": " + r.error);
        m_run_failed = true;
        return;
    }
    std::size_t features = 0;
    for (const auto& l : r.layers) features += l.layer.features.size();
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s finished in %.2f s: %zu layers (%zu features), %zu tables, %zu rasters",
                  plugin_id.c_str(), r.seconds, r.layers.size(), features, r.tables.size(), r.rasters.size());
    info(buf);
    // The session makes its map layers (one per feature style, in the plugin's colours);
    // the mirror uploads them and its rasters.
    m_session.add_run(plugin_id, std::move(params), std::move(r));
}

void App::upload_rasters(RunRecord& rec) {
    for (auto& o : rec.rasters)
        if (o.gpu) m_renderer->remove(o.gpu);
    rec.rasters.resize(rec.result ? rec.result->rasters.size() : 0);
    for (std::size_t i = 0; i < rec.rasters.size(); ++i) {
        RasterOverlay& o = rec.rasters[i];
        o.gpu = 0;
        const auto& r = rec.result->rasters[i];
        if (const std::string why = r.problem(); !why.empty()) {
            warn(rec.plugin_id + ": " + why + " (not drawn)");
            continue;
        }
        // The selector comes from the raster's role; --raster-view starts it at an entry.
        if (o.choices.empty()) {
            o.choices = map::raster_choices(r);
            for (std::size_t k = 0; k < o.choices.size(); ++k)
                if (!m_opts.raster_view.empty() && o.choices[k].label == m_opts.raster_view) o.choice = k;
        }
        upload_raster(rec, i);
    }
}

void App::upload_raster(RunRecord& rec, std::size_t index) {
    RasterOverlay& o = rec.rasters[index];
    const auto& r = rec.result->rasters[index];
    if (o.gpu) m_renderer->remove(o.gpu);
    o.gpu = 0;
    if (o.choice >= o.choices.size()) return;
    try {
        const geo::Transformer t(r.crs.empty() ? std::string(geo::kWgs84) : r.crs, m_display_crs);
        const map::RasterImage img = map::raster_image(r, o.choices[o.choice]);
        o.legend = map::raster_legend(r, o.choices[o.choice], img);
        o.min_value = img.min_value, o.max_value = img.max_value;
        o.gpu = m_renderer->upload_raster(map::prepare_raster(img, r.geotransform, t));
    } catch (const std::exception& e) {
        warn(rec.plugin_id + ": raster " + r.name + " not drawn: " + e.what());
    }
}

void App::draw_plugins_panel() {
    if (!m_registry) {
        ImGui::TextDisabled("no plugin host");
        return;
    }
    // The form scrolls; progress, Cancel and the last run's error stay pinned below it.
    const float footer_h = (m_job ? ImGui::GetFrameHeightWithSpacing() * 2 + 6 : 0.0f) +
                           (!m_last_run_error.empty() ? ImGui::GetTextLineHeightWithSpacing() * 3 + 6 : 0.0f);
    ImGui::BeginChild("plugin_forms", ImVec2(0, -footer_h), false);
    m_forms.begin_frame();
    const ParamForms::Env env = form_env();
    if (m_registry->plugins().empty())
        ImGui::TextDisabled("No plugins found (build/plugins, $ENABLEMENT_PLUGIN_PATH).");
    for (const auto& p : m_registry->plugins()) {
        if (!p.loaded) {
            ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.7f, 0.1f, 0.1f, 1));
            ImGui::TextWrapped("refused %s: %s", p.file.c_str(), p.refusal.c_str());
            ImGui::PopStyleColor();
            continue;
        }
        ImGui::PushID(p.id.c_str());
        // Headers cannot wrap: shorten a long name to the panel, the tooltip has it all.
        std::string head = p.name;
        const float room =
            ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() - 4 * ImGui::GetStyle().FramePadding.x;
        while (head.size() > 4 && ImGui::CalcTextSize((head + "...").c_str()).x > room) {
            // Drop one whole UTF-8 character: continuation bytes, then its lead byte.
            while (!head.empty() && (static_cast<unsigned char>(head.back()) & 0xC0) == 0x80) head.pop_back();
            if (!head.empty()) head.pop_back();
        }
        if (head != p.name) head += "...";
        // The plugin given with --run shows its form (with the parameters it ran with).
        if (p.id == m_opts.run_plugin || p.id == m_opts.form_plugin) ImGui::SetNextItemOpen(true, ImGuiCond_Once);
        if (ImGui::CollapsingHeader((head + "##h").c_str())) {
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("%s %s (%s)", p.name.c_str(), p.version.c_str(), p.id.c_str());
            ImGui::TextDisabled("%s %s", p.id.c_str(), p.version.c_str());
            if (!p.description.empty()) ImGui::TextWrapped("%s", p.description.c_str());
            const auto problems = m_forms.draw(p, m_plugin_params[p.id], env);
            // Run waits for the highlighted fields (what the host would refuse).
            ImGui::BeginDisabled(m_job != nullptr || !problems.empty());
            if (ImGui::Button("Run")) start_run(p.id);
            ImGui::EndDisabled();
            m_forms.set_run_enabled(p.id, m_job == nullptr && problems.empty());
            if (!problems.empty()) {
                if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
                    std::string tip = "Fill or fix first:";
                    for (const auto& pr : problems) tip += "\n" + pr.path + ": " + pr.message;
                    ImGui::SetTooltip("%s", tip.c_str());
                }
                ImGui::SameLine();
                ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "%zu to fix", problems.size());
            }
            ImGui::SameLine();
            if (ImGui::SmallButton("Reset")) m_plugin_params.erase(p.id);
            if (m_job && m_job->plugin_id == p.id) {
                ImGui::SameLine();
                if (ImGui::SmallButton(m_job->progress.cancelled() ? "cancelling..." : "Cancel##inline"))
                    m_job->progress.cancel();
            }
        }
        ImGui::PopID();
    }
    ImGui::EndChild();
    m_forms.draw_windows(*m_registry, m_plugin_params, env);
    if (m_job) {
        ImGui::Separator();
        const double f = m_job->progress.fraction();
        const std::string stage = m_job->progress.stage();
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_job->started).count();
        ImGui::Text("%s: %s (%.1f s)", m_job->plugin_id.c_str(), stage.c_str(), secs);
        ImGui::ProgressBar(static_cast<float>(std::clamp(f, 0.0, 1.0)), ImVec2(-80, 0));
        ImGui::SameLine();
        if (ImGui::Button(m_job->progress.cancelled() ? "..." : "Cancel", ImVec2(-1, 0))) m_job->progress.cancel();
    }
    if (!m_last_run_error.empty()) {
        ImGui::Separator();
        ImGui::BeginChild("run_error", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 3), false);
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.1f, 0.1f, 1));
        ImGui::TextWrapped("%s", m_last_run_error.c_str());
        ImGui::PopStyleColor();
        ImGui::EndChild();
    }
}

void App::draw_table(RunRecord& rec, std::size_t index) {
    const plugin::Table& t = rec.result->tables[index];
    ImGui::PushID(static_cast<int>(index));
    ImGui::TextUnformatted(t.name.c_str());
    // The chart the plugin asked for (or its 1.0 hint); one the table cannot carry is a
    // note, and the table is shown plain.
    const std::optional<ChartView>& chart = rec.charts[index];
    const std::string problem = chart ? chart->problem : "";
    if (chart && problem.empty()) {
        ImGui::SameLine();
        if (ImGui::SmallButton("Enlarge")) m_chart_window = std::pair{rec.id, index};
    }
    const int ncol = static_cast<int>(std::min<std::size_t>(t.columns.size(), 64));
    if (ncol > 0 &&
        ImGui::BeginTable("t", ncol,
                          ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollX |
                              ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit,
                          // Rows plus header plus the horizontal scrollbar, so the last row stays visible.
                          ImVec2(0, std::min(chart && problem.empty() ? 120.0f : 220.0f,
                                             ImGui::GetFrameHeight() + ImGui::GetStyle().ScrollbarSize + 4 +
                                                 (ImGui::GetTextLineHeight() + 2 * ImGui::GetStyle().CellPadding.y) *
                                                     static_cast<float>(t.rows() + 1))))) {
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
    if (!problem.empty()) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(ImVec4(0.6f, 0.45f, 0.0f, 1), "chart not drawn: %s", problem.c_str());
        ImGui::PopTextWrapPos();
    } else if (chart) {
        draw_chart(t, *chart, ImGui::GetContentRegionAvail().x);
    }
    ImGui::PopID();
}

void App::draw_chart_window() {
    // --chart-window: once the last run has a result, its table's chart opens enlarged.
    if (m_opts.chart_window >= 0 && !m_chart_window_opened && !m_runs.empty() && m_runs.back().result) {
        m_chart_window_opened = true;
        m_chart_window = std::pair{m_runs.back().id, static_cast<std::size_t>(m_opts.chart_window)};
    }
    if (!m_chart_window) return;
    const auto [run_id, index] = *m_chart_window;
    auto it = std::find_if(m_runs.begin(), m_runs.end(), [&](const RunRecord& r) { return r.id == run_id; });
    if (it == m_runs.end() || !it->result || index >= it->charts.size() || !it->charts[index] ||
        !it->charts[index]->problem.empty()) {
        m_chart_window.reset();
        return;
    }
    const plugin::Table& t = it->result->tables[index];
    const ChartView& chart = *it->charts[index];
    // Over the top half of the map canvas, so the map stays in view below it; a gantt or
    // heatmap no taller than its lanes or rows at two text lines each.
    const float lh = ImGui::GetTextLineHeight();
    float h = std::max(240.0f, m_canvas[3] * 0.46f);
    if (chart.rows() > 0)
        h = std::min(h, 2 * lh * static_cast<float>(std::min<std::size_t>(chart.rows(), 60)) + 9 * lh);
    const float w = std::max(320.0f, m_canvas[2] * 0.92f);
    ImGui::SetNextWindowPos(ImVec2(m_canvas[0] + (m_canvas[2] - w) / 2, m_canvas[1] + 8), ImGuiCond_Appearing);
    ImGui::SetNextWindowSize(ImVec2(w, h), ImGuiCond_Appearing);
    bool open = true;
    const std::string title = it->plugin_id + ": " + t.name + "###chart";
    if (ImGui::Begin(title.c_str(), &open, ImGuiWindowFlags_NoCollapse)) {
        const float avail = ImGui::GetContentRegionAvail().x;
        const float plot_h =
            std::max(160.0f, ImGui::GetContentRegionAvail().y - 3 * ImGui::GetTextLineHeightWithSpacing());
        draw_chart(t, chart, avail, plot_h);
    }
    ImGui::End();
    if (!open) m_chart_window.reset();
}

void App::draw_raster_entry(RunRecord& rec, std::size_t k) {
    const auto& r = rec.result->rasters[k];
    RasterOverlay& o = rec.rasters[k];
    ImGui::PushID(static_cast<int>(k) + 1000);
    ImGui::Checkbox("##rv", &o.visible);
    ImGui::SameLine();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::Text("raster %s: %zux%zu cells, %zu band%s %s%s%s", r.name.c_str(), r.width, r.height, r.bands,
                r.bands == 1 ? "," : "s,", std::string(plugin::pixel_type_name(r.type)).c_str(),
                r.role == plugin::RasterRole::Plain ? "" : ", ",
                r.role == plugin::RasterRole::Plain ? "" : std::string(plugin::raster_role_name(r.role)).c_str());
    ImGui::PopTextWrapPos();
    // The selector: bands by name, heights above ground, or a mask's bits by item name.
    if (o.choices.size() > 1) {
        const char* what = r.role == plugin::RasterRole::BandsPerHeight ? "height"
                           : r.role == plugin::RasterRole::Bitmask      ? "show"
                                                                        : "band";
        ImGui::TextUnformatted(what);
        ImGui::SameLine();
        ImGui::SetNextItemWidth(-1);
        if (ImGui::BeginCombo("##band", o.choices[std::min(o.choice, o.choices.size() - 1)].label.c_str())) {
            for (std::size_t c = 0; c < o.choices.size(); ++c) {
                ImGui::PushID(static_cast<int>(c));
                if (ImGui::Selectable(o.choices[c].label.c_str(), c == o.choice) && c != o.choice) {
                    o.choice = c;
                    upload_raster(rec, k);
                }
                ImGui::PopID();
            }
            ImGui::EndCombo();
        }
    }
    ImGui::SetNextItemWidth(-1);
    ImGui::SliderFloat("##ro", &o.opacity, 0.05f, 1.0f, "opacity %.2f");
    ImGui::PopID();
}

void App::draw_movement_control(MovementControl& mc) {
    ImGui::PushID(mc.layer.c_str());
    ImGui::TextUnformatted(("movements: " + mc.layer).c_str());
    if (mc.scale.empty) {
        ImGui::TextDisabled("no feature has a start and an end time");
        ImGui::PopID();
        return;
    }
    if (ImGui::Button(mc.playing ? "Pause" : "Play")) {
        // Play from the start again once at the end.
        if (!mc.playing && mc.t >= mc.scale.t1) mc.t = mc.scale.t0;
        mc.playing = !mc.playing;
    }
    const ImVec2 pmin = ImGui::GetItemRectMin(), psize = ImGui::GetItemRectSize();
    mc.play_rect = {pmin.x, pmin.y, psize.x, psize.y};
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1);
    double t = mc.t;
    if (ImGui::SliderScalar("##t", ImGuiDataType_Double, &t, &mc.scale.t0, &mc.scale.t1, "")) {
        mc.t = t;
        mc.playing = false;
    }
    std::size_t active = 0, total = 0;
    for (const auto& name : mc.map_layers)
        for (const auto& l : m_layers)
            if (l.name == name && l.times) active += l.filtered_index.size(), total += l.data->features.size();
    ImGui::Text("%s", map::format_time(mc.t, mc.scale.absolute).c_str());
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%zu of %zu moving; from %s to %s", active, total,
                        map::format_time(mc.scale.t0, mc.scale.absolute).c_str(),
                        map::format_time(mc.scale.t1, mc.scale.absolute).c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopID();
}

void App::draw_results_panel() {
    const float bw = ImGui::CalcTextSize("Export PNG").x + 2 * ImGui::GetStyle().FramePadding.x;
    ImGui::SetNextItemWidth(std::max(60.0f, ImGui::GetContentRegionAvail().x - bw - ImGui::GetStyle().ItemSpacing.x));
    ImGui::InputTextWithHint("##png", "map.png", &m_export_png);
    ImGui::SameLine();
    if (ImGui::Button("Export PNG", ImVec2(-1, 0)) && !m_export_png.empty()) m_pending_png = m_export_png;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Writes the map canvas (without the panels) as PNG");
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
            if (!rec.result) {
                ImGui::PushTextWrapPos(0.0f);
                ImGui::TextDisabled(
                    "Its result was not saved with the scenario (results file missing or bad): run "
                    "it again, or 'enablement scenario run' the scenario.");
                ImGui::PopTextWrapPos();
            }
            for (const auto& name : rec.layer_names) {
                auto it =
                    std::find_if(m_layers.begin(), m_layers.end(), [&](const MapLayer& l) { return l.name == name; });
                const session::LayerState* sl = m_session.state().find_layer(name);
                if (it == m_layers.end() || !sl) continue;
                ImGui::PushID(name.c_str());
                bool visible = sl->visible;
                if (ImGui::Checkbox("##v", &visible)) m_session.set_layer_visible(name, visible);
                ImGui::SameLine();
                session::LayerStyle style = sl->style;
                if (ImGui::ColorEdit3("##c", style.stroke.data(), ImGuiColorEditFlags_NoInputs))
                    m_session.set_layer_style(name, style);
                ImGui::SameLine();
                if (ImGui::SmallButton("Fit"))
                    if (const auto* p = m_renderer->prepared(it->gpu)) m_view.fit(p->extent, 30);
                ImGui::SameLine();
                ImGui::TextWrapped("%s (%zu)", name.c_str(), it->data->features.size());
                ImGui::PopID();
            }
            const float ebw = ImGui::CalcTextSize("Export GeoJSON").x + 2 * ImGui::GetStyle().FramePadding.x;
            ImGui::SetNextItemWidth(
                std::max(60.0f, ImGui::GetContentRegionAvail().x - ebw - ImGui::GetStyle().ItemSpacing.x));
            ImGui::InputTextWithHint("##exp", "route.geojson", &rec.export_path);
            ImGui::SameLine();
            if (ImGui::Button("Export GeoJSON", ImVec2(-1, 0)) && !rec.export_path.empty() && rec.result) {
                try {
                    io::write_layer(plugin::merged_layers(*rec.result, rec.plugin_id), rec.export_path,
                                    io::Format::GeoJson);
                    info("wrote " + rec.export_path);
                } catch (const std::exception& e) {
                    error(e.what());
                }
            }
            for (auto& mc : rec.movements) draw_movement_control(mc);
            for (std::size_t k = 0; rec.result && k < rec.result->rasters.size() && k < rec.rasters.size(); ++k)
                draw_raster_entry(rec, k);
            for (std::size_t t = 0; rec.result && t < rec.result->tables.size() && t < rec.charts.size(); ++t)
                draw_table(rec, t);
            if (ImGui::SmallButton("Remove from map")) remove = static_cast<int>(i);
        }
        ImGui::PopID();
    }
    if (remove >= 0) {
        try {
            m_session.remove_run(m_runs[static_cast<std::size_t>(remove)].id);
        } catch (const std::exception& e) {
            error(e.what());
        }
    }
}

void App::init_movements(RunRecord& rec) {
    rec.movements.clear();
    if (!rec.result) return;
    // The run's map layers are its result layers' style groups, in order (session::add_run).
    std::size_t next = 0;
    for (const auto& rl : rec.result->layers) {
        const std::size_t groups = map::style_groups(rl);
        if (rl.role == "movements") {
            MovementControl mc;
            mc.layer = rl.layer.name;
            mc.start_field = rl.start_field, mc.end_field = rl.end_field;
            for (std::size_t g = 0; g < groups && next + g < rec.layer_names.size(); ++g)
                mc.map_layers.push_back(rec.layer_names[next + g]);
            mc.scale = map::movement_times(rl.layer, rl.start_field, rl.end_field).scale;
            mc.t = mc.scale.t0;
            // --movement-time: ISO 8601 UTC or seconds, within the layer's span.
            if (!m_opts.movement_time.empty() && !mc.scale.empty) {
                std::optional<double> t = map::parse_iso8601_s(m_opts.movement_time);
                if (!t) {
                    char* end = nullptr;
                    const double v = std::strtod(m_opts.movement_time.c_str(), &end);
                    if (end && *end == '\0') t = v;
                }
                if (t) mc.t = std::clamp(*t, mc.scale.t0, mc.scale.t1);
                else warn("--movement-time: not a time: " + m_opts.movement_time);
            }
            rec.movements.push_back(std::move(mc));
        }
        next += groups;
    }
}

void App::update_movements() {
    const float dt = ImGui::GetIO().DeltaTime;
    for (auto& rec : m_runs)
        for (auto& mc : rec.movements) {
            if (mc.scale.empty) continue;
            mc.t = map::play_step(mc.scale, mc.t, dt, mc.playing);  // the whole span in 20 s
            for (auto& l : m_layers) {
                if (std::find(mc.map_layers.begin(), mc.map_layers.end(), l.name) == mc.map_layers.end()) continue;
                if (!l.times)
                    l.times = std::make_shared<map::MovementTimes>(
                        map::movement_times(*l.data, mc.start_field, mc.end_field));
                if (l.filtered && l.filtered_t == mc.t) continue;
                // Only the features active at t: a copy of the layer with those, drawn instead.
                l.filtered_index = map::active_at(*l.times, mc.t);
                layer::Layer active;
                active.name = l.data->name;
                active.fields = l.data->fields;
                for (std::size_t f : l.filtered_index) active.features.push_back(l.data->features[f]);
                if (l.filtered_gpu) m_renderer->remove(l.filtered_gpu);
                l.filtered_gpu =
                    m_renderer->upload(std::make_shared<map::PreparedLayer>(map::prepare_layer(active, *m_to_display)));
                l.filtered_t = mc.t;
                l.filtered = true;
            }
        }
}

}  // namespace mp::gui
