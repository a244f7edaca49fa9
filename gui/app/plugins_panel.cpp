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
        const auto& r = rec.result->rasters[i];
        RasterOverlay& o = rec.rasters[i];
        o.gpu = 0;
        try {
            const geo::Transformer t(r.crs.empty() ? std::string(geo::kWgs84) : r.crs, m_display_crs);
            // Band 1 as doubles, whatever the pixel type (ABI 1.1 rasters may have several).
            const auto prepared = map::prepare_raster(r.width, r.height, r.geotransform, r.band_values(0),
                                                      r.has_nodata ? r.nodata : NAN, t);
            o.min_value = prepared.min_value, o.max_value = prepared.max_value;
            o.gpu = m_renderer->upload_raster(prepared);
        } catch (const std::exception& e) {
            warn(rec.plugin_id + ": raster " + r.name + " not drawn: " + e.what());
        }
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

void App::draw_table(const plugin::Table& t, int index) {
    ImGui::PushID(index);
    ImGui::TextUnformatted(t.name.c_str());
    const int ncol = static_cast<int>(std::min<std::size_t>(t.columns.size(), 64));
    if (ncol > 0 &&
        ImGui::BeginTable(
            "t", ncol,
            ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY |
                ImGuiTableFlags_SizingFixedFit,
            // Rows plus header plus the horizontal scrollbar, so the last row stays visible.
            ImVec2(0, std::min(220.0f, ImGui::GetFrameHeight() + ImGui::GetStyle().ScrollbarSize + 4 +
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
        const ImVec2 size(ImGui::GetContentRegionAvail().x, 170);
        const ImVec2 o = ImGui::GetCursorScreenPos();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const float left = 50, bottom = 34, top = 6, right = 8;
        const ImVec2 a(o.x + left, o.y + top), b(o.x + size.x - right, o.y + size.y - bottom);
        dl->AddRectFilled(a, b, IM_COL32(255, 255, 255, 255));
        auto px = [&](std::size_t i) {
            const double x = xcol ? xcol->numbers[i] : static_cast<double>(i);
            return a.x + static_cast<float>((x - xmin) / (xmax - xmin)) * (b.x - a.x);
        };
        auto py = [&](double y) { return b.y - static_cast<float>((y - ymin) / (ymax - ymin)) * (b.y - a.y); };
        // Ticks at 1-2-5 steps (about 4 per axis), grid lines, labels outside the frame.
        auto nice_step = [](double span) {
            const double raw = span / 4;
            const double p10 = std::pow(10.0, std::floor(std::log10(raw)));
            for (double m : {1.0, 2.0, 5.0, 10.0})
                if (m * p10 >= raw) return m * p10;
            return 10 * p10;
        };
        char buf[48];
        const ImU32 ink = IM_COL32(60, 60, 60, 255);
        if (ymax > ymin) {
            const double step = nice_step(ymax - ymin);
            for (double v = std::ceil(ymin / step) * step; v <= ymax + step * 1e-9; v += step) {
                const float y = py(v);
                dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), IM_COL32(225, 225, 225, 255));
                dl->AddLine(ImVec2(a.x - 4, y), ImVec2(a.x, y), ink);
                std::snprintf(buf, sizeof buf, "%.4g", v);
                const ImVec2 ts = ImGui::CalcTextSize(buf);
                dl->AddText(ImVec2(a.x - 6 - ts.x, y - ts.y / 2), ink, buf);
            }
        }
        {
            const double step = nice_step(xmax - xmin);
            for (double v = std::ceil(xmin / step) * step; v <= xmax + step * 1e-9; v += step) {
                const float x = a.x + static_cast<float>((v - xmin) / (xmax - xmin)) * (b.x - a.x);
                dl->AddLine(ImVec2(x, b.y), ImVec2(x, b.y + 4), ink);
                std::snprintf(buf, sizeof buf, "%.4g", v);
                const ImVec2 ts = ImGui::CalcTextSize(buf);
                dl->AddText(ImVec2(x - ts.x / 2, b.y + 4), ink, buf);
            }
            const std::string xl = xcol ? xcol->name + (xcol->unit.empty() ? "" : " [" + xcol->unit + "]") : "row";
            const ImVec2 ts = ImGui::CalcTextSize(xl.c_str());
            dl->AddText(ImVec2((a.x + b.x) / 2 - ts.x / 2, b.y + 4 + ts.y), ink, xl.c_str());
        }
        dl->AddRect(a, b, IM_COL32(120, 120, 120, 255));
        auto series_u32 = [](std::size_t k) {
            const auto c = map::series_colour(k);
            return ImGui::ColorConvertFloat4ToU32(ImVec4(c[0], c[1], c[2], 1));
        };
        const std::size_t nseries = num.size() - first_series;
        dl->PushClipRect(a, b, true);
        for (std::size_t s = first_series; s < num.size(); ++s) {
            const ImU32 col = series_u32(s - first_series);
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
        }
        dl->PopClipRect();
        ImGui::Dummy(size);
        // Legend below the plot, flowing over as many lines as the panel needs.
        const float avail = ImGui::GetContentRegionAvail().x;
        float x_used = 0;
        for (std::size_t s = first_series; s < num.size(); ++s) {
            const std::string name = num[s]->name + (num[s]->unit.empty() ? "" : " [" + num[s]->unit + "]");
            const float wdt = 16 + ImGui::CalcTextSize(name.c_str()).x + 12;
            if (s > first_series && x_used + wdt < avail) ImGui::SameLine(0, 12);
            else x_used = 0;
            x_used += wdt;
            const ImVec2 q = ImGui::GetCursorScreenPos();
            dl->AddRectFilled(ImVec2(q.x, q.y + 4), ImVec2(q.x + 12, q.y + 14), series_u32(s - first_series));
            ImGui::Dummy(ImVec2(16, 0));
            ImGui::SameLine(0, 0);
            ImGui::TextUnformatted(name.c_str());
        }
    }
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
            for (std::size_t t = 0; rec.result && t < rec.result->tables.size(); ++t)
                draw_table(rec.result->tables[t], static_cast<int>(t));
            for (std::size_t k = 0; rec.result && k < rec.result->rasters.size() && k < rec.rasters.size(); ++k) {
                const auto& r = rec.result->rasters[k];
                RasterOverlay& o = rec.rasters[k];
                ImGui::PushID(static_cast<int>(k) + 1000);
                ImGui::Checkbox("##rv", &o.visible);
                ImGui::SameLine();
                ImGui::TextWrapped("raster %s: %zux%zu cells, %g..%g %s", r.name.c_str(), r.width, r.height,
                                   o.min_value, o.max_value, r.unit.c_str());
                ImGui::SetNextItemWidth(-1);
                ImGui::SliderFloat("##ro", &o.opacity, 0.05f, 1.0f, "opacity %.2f");
                ImGui::PopID();
            }
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

}  // namespace mp::gui
