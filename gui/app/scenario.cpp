// SPDX-License-Identifier: MIT
// The GUI side of the session: opening, saving and autosaving scenarios through
// mp::session, and the GPU mirror of the session's layers and runs.
#define GLFW_INCLUDE_NONE  // GL comes from GLEW (map/gl_util.hpp)
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <unordered_map>

#include "app/app.hpp"
#include "map/prepare.hpp"
#include "mp/core/error.hpp"
#include "mp/io/ogr_io.hpp"

namespace mp::gui {

namespace {
constexpr auto kAutosaveEvery = std::chrono::seconds(10);

map::LayerStyle to_map_style(const session::LayerStyle& s, bool result) {
    map::LayerStyle m;
    m.stroke = s.stroke;
    m.fill = s.fill;
    m.width_px = s.width_px;
    m.opacity = s.opacity;
    m.fill_opacity = s.fill_opacity;
    m.symbol_size_px = s.symbol_size_px;
    m.symbol_tint = result ? 0.85f : 0.0f;  // utilisation colours show on result site symbols
    return m;
}

// Whether b only adds keys to a (plugin id -> {key: value}), changing none.
bool only_additions(const nlohmann::json& a, const nlohmann::json& b) {
    if (!a.is_object() || !b.is_object()) return false;
    for (const auto& [id, values] : a.items()) {
        auto it = b.find(id);
        if (it == b.end() || !values.is_object() || !it->is_object()) return false;
        for (const auto& [k, v] : values.items()) {
            auto kv = it->find(k);
            if (kv == it->end() || *kv != v) return false;
        }
    }
    return true;
}
}  // namespace

std::string App::autosave_path() {
    const char* state = std::getenv("XDG_STATE_HOME");
    const char* home = std::getenv("HOME");
    std::filesystem::path base = state && *state ? std::filesystem::path(state)
                                 : home && *home ? std::filesystem::path(home) / ".local" / "state"
                                                 : std::filesystem::temp_directory_path();
    return (base / "enablement" / "autosave.scenario.json").string();
}

void App::clear_mirror() {
    select_feature(-1, -1);
    for (auto& l : m_layers) {
        if (l.gpu) m_renderer->remove(l.gpu);
        if (l.filtered_gpu) m_renderer->remove(l.filtered_gpu);
    }
    for (auto& rec : m_runs)
        for (auto& o : rec.rasters)
            if (o.gpu) m_renderer->remove(o.gpu);
    m_layers.clear();
    m_runs.clear();
    m_synced_revision = 0;
}

void App::sync_from_session() {
    if (m_session.revision() == m_synced_revision) return;
    m_synced_revision = m_session.revision();
    const session::State& st = m_session.state();

    // Layers: reuse the GPU copy of every layer whose data is unchanged (a style edit,
    // an undo), upload the new ones, free the rest.
    const layer::Layer* selected = m_sel_layer >= 0 && m_sel_layer < static_cast<int>(m_layers.size())
                                       ? m_layers[m_sel_layer].data.get()
                                       : nullptr;
    std::unordered_map<const layer::Layer*, std::size_t> old_index;
    for (std::size_t i = 0; i < m_layers.size(); ++i) old_index.emplace(m_layers[i].data.get(), i);
    std::vector<char> reused(m_layers.size(), 0);
    std::vector<MapLayer> next;
    next.reserve(st.layers.size());
    bool data_changed = false;
    for (const auto& sl : st.layers) {
        MapLayer m;
        auto it = old_index.find(sl.data.get());
        if (it != old_index.end() && !reused[it->second]) {
            reused[it->second] = 1;
            m = std::move(m_layers[it->second]);
        } else {
            data_changed = data_changed || !sl.result();
            auto prepared = std::make_shared<map::PreparedLayer>(map::prepare_layer(*sl.data, *m_to_display));
            if (prepared->failed_points)
                warn(sl.name + ": " + std::to_string(prepared->failed_points) + " coordinates outside " +
                     m_display_crs);
            m.gpu = m_renderer->upload(std::move(prepared));
        }
        m.name = sl.name;
        m.source = sl.source;
        m.data = sl.data;
        m.style = to_map_style(sl.style, sl.result());
        m.visible = sl.visible;
        m.labels = sl.labels;
        m.label_field = sl.label_field;
        m.geometry = std::string(session::geometry_name(sl.geometry));
        m.result = sl.result();
        m.casing = m.result && (m.geometry == "line" || m.geometry == "mixed");
        next.push_back(std::move(m));
    }
    for (std::size_t i = 0; i < m_layers.size(); ++i)
        if (!reused[i]) {
            data_changed = data_changed || !m_layers[i].result;
            if (m_layers[i].gpu) m_renderer->remove(m_layers[i].gpu);
            if (m_layers[i].filtered_gpu) m_renderer->remove(m_layers[i].filtered_gpu);
        }
    m_layers = std::move(next);
    // The selection follows its layer, or goes with it.
    int sel = -1;
    for (std::size_t i = 0; selected && i < m_layers.size(); ++i)
        if (m_layers[i].data.get() == selected) sel = static_cast<int>(i);
    if (sel != m_sel_layer) {
        if (sel < 0) select_feature(-1, -1);
        else m_sel_layer = sel;
    }

    // Runs: their rasters stay on the GPU while the run is in the session.
    std::vector<RunRecord> runs;
    for (const auto& r : st.runs) {
        auto it = std::find_if(m_runs.begin(), m_runs.end(), [&](const RunRecord& o) { return o.id == r.id; });
        RunRecord rec;
        const bool fresh = it == m_runs.end();
        if (!fresh) {
            rec = std::move(*it);
            m_runs.erase(it);
        } else {
            rec.id = r.id;
            rec.result = r.result;
        }
        rec.plugin_id = r.plugin_id;
        rec.layer_names = r.layers;
        if (fresh && rec.result) {
            upload_rasters(rec);
            init_movements(rec);
            for (const auto& t : rec.result->tables) rec.charts.push_back(chart_view(t));
        }
        runs.push_back(std::move(rec));
    }
    for (auto& gone : m_runs)
        for (auto& o : gone.rasters)
            if (o.gpu) m_renderer->remove(o.gpu);
    m_runs = std::move(runs);

    if (data_changed) rebuild_catalogue();
    m_plugin_params = st.plugin_params;
}

void App::push_forms_to_session() {
    const nlohmann::json& current = m_session.state().plugin_params;
    if (m_plugin_params == current) return;
    try {
        if (only_additions(current, m_plugin_params)) m_session.fill_plugin_params(m_plugin_params);
        else m_session.set_plugin_params(m_plugin_params);
    } catch (const std::exception& e) {
        error(std::string("plugin form: ") + e.what());
        m_plugin_params = current;
    }
}

void App::sync_view_to_session() {
    session::View v = m_session.state().view;
    v.display_crs = m_display_crs;
    if (m_view_initialised && m_to_display) {
        double lon = m_view.center_x, lat = m_view.center_y;
        try {
            m_to_display->inverse(lon, lat);
            v.placed = true;
            v.center_lon = std::clamp(lon, -180.0, 180.0);
            v.center_lat = std::clamp(lat, -90.0, 90.0);
            v.units_per_pixel = m_view.units_per_pixel;
        } catch (const std::exception&) {
            // Outside the CRS's domain: keep the last view that was.
        }
    }
    m_session.set_view(v);
}

void App::update_window_title() {
    if (!m_window) return;
    const std::string& path = m_session.path();
    std::string title =
        "enablement: " + (path.empty() ? std::string("map view") : std::filesystem::path(path).filename().string());
    if (m_session.modified()) title += " *";
    if (title == m_window_title) return;
    m_window_title = title;
    glfwSetWindowTitle(m_window, title.c_str());
}

void App::apply_loaded(session::Loaded loaded) {
    clear_mirror();
    const session::View view = loaded.state.view;
    if (view.display_crs != m_display_crs) {
        try {
            set_display_crs(view.display_crs);
        } catch (const std::exception& e) {
            error("display CRS " + view.display_crs + ": " + e.what() + "; keeping " + m_display_crs);
        }
    }
    loaded.state.view.display_crs = m_display_crs;
    m_session.reset(std::move(loaded.state));
    for (const auto& n : loaded.notices) {
        if (n.level == session::Notice::Level::Error) error(n.text);
        else if (n.level == session::Notice::Level::Warning) warn(n.text);
        else info(n.text);
    }
    if (view.placed) {
        double x = view.center_lon, y = view.center_lat;
        try {
            m_to_display->forward(x, y);
            m_view.center_x = x;
            m_view.center_y = y;
            m_view.units_per_pixel = std::clamp(view.units_per_pixel, map::kMinUnitsPerPixel, map::kMaxUnitsPerPixel);
            m_view_initialised = true;
        } catch (const std::exception& e) {
            warn(std::string("scenario view: ") + e.what());
        }
    }
    sync_from_session();
}

void App::load_initial_data() {
    session::Scenario sc;
    sc.default_data = !m_opts.no_default_data;
    sc.view.display_crs = m_display_crs;
    session::LoadOptions opts;
    opts.extra_sources = m_opts.data;
    apply_loaded(session::load(sc, opts));
    m_session.set_path(m_opts.scenario);
}

void App::save_scenario(const std::string& path) {
    try {
        sync_view_to_session();
        m_writer.write(path, m_session.state(), true);
        if (m_session.path().empty() || m_session.path() == path) {
            m_session.set_path(path);
            m_session.mark_saved();
        }
        info("saved scenario " + path);
    } catch (const std::exception& e) {
        error(std::string("saving the scenario: ") + e.what());
    }
}

void App::open_scenario(const std::string& path) {
    session::Loaded loaded;
    try {
        const session::Scenario sc = session::read_scenario(path);
        session::LoadOptions opts;
        opts.no_default_data = m_opts.no_default_data;
        opts.extra_sources = m_opts.data;
        loaded = session::load(sc, opts);
    } catch (const std::exception& e) {
        error(std::string("opening the scenario: ") + e.what());
        if (m_layers.empty()) load_initial_data();
        return;
    }
    apply_loaded(std::move(loaded));
    const bool autosave = path == autosave_path();
    m_session.set_path(autosave ? m_opts.scenario : path);
    m_scenario_path = m_session.path();
    // The autosave may hold what the scenario file does not.
    if (autosave) m_session.mark_modified();
    info("opened scenario " + path);
}

void App::autosave_tick() {
    const auto now = std::chrono::steady_clock::now();
    if (now - m_last_autosave < kAutosaveEvery) return;
    m_last_autosave = now;
    try {
        sync_view_to_session();
        std::filesystem::create_directories(std::filesystem::path(autosave_path()).parent_path());
        m_writer.write(autosave_path(), m_session.state(), false);
    } catch (const std::exception& e) {
        error(std::string("autosave: ") + e.what());
        m_last_autosave = now + std::chrono::minutes(5);  // do not repeat the error every frame
    }
}

}  // namespace mp::gui
