// SPDX-License-Identifier: MIT
// Scenario files: the planner's work (layers, styles, view, plugin parameters) as JSON,
// written atomically; plus the autosave.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/app.hpp"
#include "mp/core/error.hpp"
#include "mp/data/default_data.hpp"
#include "mp/io/ogr_io.hpp"

namespace mp::gui {

namespace {
constexpr int kScenarioVersion = 1;
constexpr auto kAutosaveEvery = std::chrono::seconds(10);

nlohmann::json colour(const std::array<float, 4>& c) { return nlohmann::json::array({c[0], c[1], c[2], c[3]}); }
void read_colour(const nlohmann::json& j, std::array<float, 4>& c) {
    if (j.is_array() && j.size() == 4)
        for (std::size_t i = 0; i < 4; ++i) c[i] = j[i].get<float>();
}
}  // namespace

std::string App::autosave_path() {
    const char* state = std::getenv("XDG_STATE_HOME");
    const char* home = std::getenv("HOME");
    std::filesystem::path base = state && *state ? std::filesystem::path(state)
                                 : home && *home  ? std::filesystem::path(home) / ".local" / "state"
                                                  : std::filesystem::temp_directory_path();
    return (base / "enablement" / "autosave.scenario.json").string();
}

std::string App::scenario_json() const {
    nlohmann::json j;
    j["format"] = "enablement-scenario";
    j["version"] = kScenarioVersion;
    j["default_data"] = m_default_data;
    j["sources"] = m_sources;
    j["display_crs"] = m_display_crs;
    double lon = m_view.center_x, lat = m_view.center_y;
    try {
        if (m_to_display) m_to_display->inverse(lon, lat);
    } catch (const std::exception&) {
    }
    j["view"] = {{"center_lon", lon}, {"center_lat", lat}, {"units_per_pixel", m_view.units_per_pixel}};
    auto layers = nlohmann::json::array();
    for (const auto& l : m_layers) {
        layers.push_back({{"name", l.name},
                          {"source", l.source},
                          {"visible", l.visible},
                          {"labels", l.labels},
                          {"label_field", l.label_field},
                          {"stroke", colour(l.style.stroke)},
                          {"fill", colour(l.style.fill)},
                          {"width_px", l.style.width_px},
                          {"opacity", l.style.opacity},
                          {"fill_opacity", l.style.fill_opacity},
                          {"symbol_size_px", l.style.symbol_size_px}});
    }
    j["layers"] = layers;
    j["plugins"] = m_plugin_params;
    return j.dump(2);
}

void App::apply_scenario(const std::string& text, const std::string& where) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const std::exception& e) {
        throw InputError(std::string("not a scenario (JSON): ") + e.what(), where);
    }
    if (j.value("format", "") != "enablement-scenario") throw InputError("not an enablement scenario file", where);
    if (j.value("version", 0) > kScenarioVersion)
        throw InputError("scenario version " + std::to_string(j.value("version", 0)) + " is newer than this program", where);
    // Reload the data the scenario names, then apply styles and order by layer name.
    for (auto& l : m_layers) m_renderer->remove(l.gpu);
    m_layers.clear();
    m_sources.clear();
    select_feature(-1, -1);
    m_default_data = j.value("default_data", true) && !m_opts.no_default_data;
    const std::string crs = j.value("display_crs", std::string(geo::kWebMercator));
    if (crs != m_display_crs) set_display_crs(crs);
    if (m_default_data) {
        try {
            for (auto& l : data::load_default_layers()) add_layer(std::move(l), false);
        } catch (const std::exception& e) {
            error(std::string("default data: ") + e.what());
        }
    }
    for (const auto& src : j.value("sources", std::vector<std::string>{})) add_source(src);
    for (const auto& src : m_opts.data)
        if (std::find(m_sources.begin(), m_sources.end(), src) == m_sources.end()) add_source(src);
    std::vector<MapLayer> ordered;
    for (const auto& jl : j.value("layers", nlohmann::json::array())) {
        const std::string name = jl.value("name", "");
        auto it = std::find_if(m_layers.begin(), m_layers.end(), [&](const MapLayer& l) { return l.name == name; });
        if (it == m_layers.end()) {
            warn("scenario layer '" + name + "' is not in the loaded data (" + jl.value("source", "") + ")");
            continue;
        }
        it->visible = jl.value("visible", true);
        it->labels = jl.value("labels", it->labels);
        it->label_field = jl.value("label_field", it->label_field);
        read_colour(jl.value("stroke", nlohmann::json()), it->style.stroke);
        read_colour(jl.value("fill", nlohmann::json()), it->style.fill);
        it->style.width_px = jl.value("width_px", it->style.width_px);
        it->style.opacity = jl.value("opacity", it->style.opacity);
        it->style.fill_opacity = jl.value("fill_opacity", it->style.fill_opacity);
        it->style.symbol_size_px = jl.value("symbol_size_px", it->style.symbol_size_px);
        ordered.push_back(std::move(*it));
        m_layers.erase(it);
    }
    for (auto& rest : m_layers) ordered.push_back(std::move(rest));  // new data goes on top
    m_layers = std::move(ordered);
    rebuild_catalogue();
    if (j.contains("plugins") && j["plugins"].is_object()) m_plugin_params = j["plugins"];
    if (j.contains("view")) {
        const auto& v = j["view"];
        double x = v.value("center_lon", 4.45), y = v.value("center_lat", 50.5);
        m_to_display->forward(x, y);
        m_view.center_x = x;
        m_view.center_y = y;
        m_view.units_per_pixel = std::clamp(v.value("units_per_pixel", 500.0), map::kMinUnitsPerPixel, map::kMaxUnitsPerPixel);
        m_view_initialised = true;
    }
}

void App::save_scenario(const std::string& path) {
    try {
        io::write_file_atomic(path, scenario_json());
        info("saved scenario " + path);
    } catch (const std::exception& e) {
        error(std::string("saving the scenario: ") + e.what());
    }
}

void App::open_scenario(const std::string& path) {
    try {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw InputError("cannot open", path);
        std::stringstream ss;
        ss << in.rdbuf();
        apply_scenario(ss.str(), path);
        m_scenario_path = path == autosave_path() ? m_opts.scenario : path;
        info("opened scenario " + path);
    } catch (const std::exception& e) {
        error(std::string("opening the scenario: ") + e.what());
        if (m_layers.empty()) load_initial_data();
    }
}

void App::autosave_tick() {
    const auto now = std::chrono::steady_clock::now();
    if (now - m_last_autosave < kAutosaveEvery) return;
    m_last_autosave = now;
    std::string json = scenario_json();
    if (json == m_last_saved_json) return;
    try {
        std::filesystem::create_directories(std::filesystem::path(autosave_path()).parent_path());
        io::write_file_atomic(autosave_path(), json);
        m_last_saved_json = std::move(json);
    } catch (const std::exception& e) {
        error(std::string("autosave: ") + e.what());
        m_last_autosave = now + std::chrono::minutes(5);  // do not repeat the error every frame
    }
}

}  // namespace mp::gui
