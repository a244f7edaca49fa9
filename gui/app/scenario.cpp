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

// Plugin runs are kept beside the scenario: "x.scenario.json" -> "x.scenario.results.json".
std::string results_path_for(const std::string& scenario_path) {
    const std::string ext = ".json";
    if (scenario_path.size() > ext.size() &&
        scenario_path.compare(scenario_path.size() - ext.size(), ext.size(), ext) == 0)
        return scenario_path.substr(0, scenario_path.size() - ext.size()) + ".results.json";
    return scenario_path + ".results.json";
}

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
                                 : home && *home ? std::filesystem::path(home) / ".local" / "state"
                                                 : std::filesystem::temp_directory_path();
    return (base / "enablement" / "autosave.scenario.json").string();
}

std::string App::scenario_json(const std::string& target_path) const {
    nlohmann::json j;
    j["format"] = "enablement-scenario";
    j["version"] = kScenarioVersion;
    j["default_data"] = m_default_data;
    j["sources"] = m_sources;
    j["removed_layers"] = m_removed_layers;
    // Run results live in a file beside this one (written by save_results_beside).
    if (!m_runs.empty()) j["results_file"] = std::filesystem::path(results_path_for(target_path)).filename().string();
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
        throw InputError("scenario version " + std::to_string(j.value("version", 0)) + " is newer than this program",
                         where);
    // Reload the data the scenario names, then apply styles and order by layer name.
    select_feature(-1, -1);
    for (auto& l : m_layers) m_renderer->remove(l.gpu);
    for (auto& rec : m_runs)
        for (auto& o : rec.rasters)
            if (o.gpu) m_renderer->remove(o.gpu);
    m_layers.clear();
    m_sources.clear();
    m_runs.clear();
    ++m_runs_generation;
    m_restoring = true;
    struct Done {
        bool& flag;
        ~Done() { flag = false; }
    } done{m_restoring};
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
    // Results of earlier runs, beside the scenario (a missing or bad file loses only them).
    if (j.contains("results_file") && j["results_file"].is_string()) {
        std::filesystem::path rf = j["results_file"].get<std::string>();
        if (rf.is_relative()) rf = std::filesystem::path(where).parent_path() / rf;
        restore_results(rf.string());
    }
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
    // Layers the scenario does not list (new data) go to their natural place: areas
    // under lines under points, results over data.
    for (auto& rest : m_layers) {
        const int rank = draw_rank(rest.geometry);
        auto pos = rest.result ? ordered.end() : std::find_if(ordered.begin(), ordered.end(), [&](const MapLayer& o) {
            return o.result || draw_rank(o.geometry) > rank;
        });
        ordered.insert(pos, std::move(rest));
    }
    m_layers = std::move(ordered);
    // Layers the planner removed stay removed.
    m_removed_layers = j.value("removed_layers", std::vector<std::string>{});
    for (const auto& name : m_removed_layers) {
        auto it = std::find_if(m_layers.begin(), m_layers.end(),
                               [&](const MapLayer& l) { return l.name == name && !l.result; });
        if (it != m_layers.end()) remove_layer(static_cast<std::size_t>(it - m_layers.begin()));
    }
    rebuild_catalogue();
    if (j.contains("plugins") && j["plugins"].is_object()) m_plugin_params = j["plugins"];
    if (j.contains("view")) {
        const auto& v = j["view"];
        double x = v.value("center_lon", 4.45), y = v.value("center_lat", 50.5);
        m_to_display->forward(x, y);
        m_view.center_x = x;
        m_view.center_y = y;
        m_view.units_per_pixel =
            std::clamp(v.value("units_per_pixel", 500.0), map::kMinUnitsPerPixel, map::kMaxUnitsPerPixel);
        m_view_initialised = true;
    }
}

void App::save_results_beside(const std::string& scenario_path) {
    const std::string path = results_path_for(scenario_path);
    auto it = m_results_written.find(path);
    if (it != m_results_written.end() && it->second == m_runs_generation) return;
    if (m_runs.empty()) {
        std::error_code ec;
        std::filesystem::remove(path, ec);
    } else {
        nlohmann::json j{{"format", "enablement-results"}, {"version", 1}};
        auto runs = nlohmann::json::array();
        for (const auto& rec : m_runs) {
            // Which of the run's map layers are still on the map (the planner may remove some).
            auto present = nlohmann::json::array();
            for (const auto& name : rec.layer_names)
                present.push_back(
                    std::any_of(m_layers.begin(), m_layers.end(), [&](const MapLayer& l) { return l.name == name; }));
            runs.push_back({{"plugin", rec.plugin_id}, {"present", present}, {"result", plugin::to_json(rec.result)}});
        }
        j["runs"] = std::move(runs);
        io::write_file_atomic(path, j.dump());
    }
    m_results_written[path] = m_runs_generation;
}

void App::restore_results(const std::string& file) {
    try {
        std::ifstream in(file, std::ios::binary);
        if (!in) throw InputError("cannot open", file);
        std::stringstream ss;
        ss << in.rdbuf();
        const auto j = nlohmann::json::parse(ss.str());
        if (j.value("format", "") != "enablement-results") throw InputError("not an enablement results file", file);
        std::size_t n = 0;
        for (const auto& run : j.at("runs")) {
            const std::string plugin_id = run.at("plugin").get<std::string>();
            const std::size_t before = m_runs.size();
            add_run_result(plugin_id, plugin::run_result_from_json(run.at("result")), true);
            if (m_runs.size() == before) continue;
            ++n;
            // Drop the layers the planner had removed (groups come back in the same order).
            const auto& present = run.value("present", nlohmann::json::array());
            auto& names = m_runs.back().layer_names;
            for (std::size_t i = 0; i < names.size() && i < present.size(); ++i) {
                if (!present[i].is_boolean() || present[i].get<bool>()) continue;
                auto it = std::find_if(m_layers.begin(), m_layers.end(),
                                       [&](const MapLayer& l) { return l.name == names[i]; });
                if (it != m_layers.end()) remove_layer(static_cast<std::size_t>(it - m_layers.begin()));
            }
        }
        info("restored " + std::to_string(n) + " plugin run(s) from " + file);
    } catch (const std::exception& e) {
        warn(std::string("plugin results not restored: ") + e.what() + " (" + file + ")");
    }
}

void App::save_scenario(const std::string& path) {
    try {
        save_results_beside(path);
        io::write_file_atomic(path, scenario_json(path));
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
    std::string json = scenario_json(autosave_path());
    const auto written = m_results_written.find(results_path_for(autosave_path()));
    const bool runs_changed = written == m_results_written.end() || written->second != m_runs_generation;
    if (json == m_last_saved_json && !runs_changed) return;
    try {
        std::filesystem::create_directories(std::filesystem::path(autosave_path()).parent_path());
        save_results_beside(autosave_path());
        io::write_file_atomic(autosave_path(), json);
        m_last_saved_json = std::move(json);
    } catch (const std::exception& e) {
        error(std::string("autosave: ") + e.what());
        m_last_autosave = now + std::chrono::minutes(5);  // do not repeat the error every frame
    }
}

}  // namespace mp::gui
