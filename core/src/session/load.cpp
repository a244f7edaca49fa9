// SPDX-License-Identifier: MIT
// A scenario back into a session: its data loaded, its runs restored, its layer order
// and styles applied. This is what the GUI did in its own apply_scenario before the
// session moved to the core; the order of the steps decides the layer names (a second
// "routes" becomes "routes_2"), so it replays the session as it was built: data first,
// then each run, dropping a run's removed layers before the next run adds its own.
#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "mp/core/error.hpp"
#include "mp/io/ogr_io.hpp"
#include "mp/session/scenario.hpp"

namespace mp::session {

namespace {

void apply_saved_style(LayerState& l, const SavedLayer& saved) {
    if (saved.stroke) l.style.stroke = *saved.stroke;
    if (saved.fill) l.style.fill = *saved.fill;
    if (saved.width_px) l.style.width_px = *saved.width_px;
    if (saved.opacity) l.style.opacity = *saved.opacity;
    if (saved.fill_opacity) l.style.fill_opacity = *saved.fill_opacity;
    if (saved.symbol_size_px) l.style.symbol_size_px = *saved.symbol_size_px;
    if (saved.visible) l.visible = *saved.visible;
    if (saved.labels) l.labels = *saved.labels;
    if (saved.label_field) l.label_field = *saved.label_field;
}

// Restores one run: its result layers with the names the scenario recorded (when they
// are free), then drops those no longer on the map.
void restore_run(State& s, const SavedRun& saved) {
    if (!saved.result) {
        // Kept with its parameters, so that it can be run again and is saved again.
        Run run;
        run.id = saved.id;
        run.plugin_id = saved.plugin_id;
        run.params = saved.params;
        run.params_from_form = saved.params_from_form;
        for (const auto& out : saved.layers) run.layers.push_back(out.name);
        s.runs.push_back(std::move(run));
        return;
    }
    s.next_run_id = saved.id;
    add_run(s, saved.plugin_id, saved.params, saved.result);
    Run& run = s.runs.back();
    run.params_from_form = saved.params_from_form;
    for (std::size_t i = 0; i < run.layers.size() && i < saved.layers.size(); ++i) {
        const std::string& want = saved.layers[i].name;
        if (want.empty() || want == run.layers[i] || s.find_layer(want)) continue;
        auto it = std::find_if(s.layers.begin(), s.layers.end(),
                               [&](const LayerState& l) { return l.name == run.layers[i]; });
        if (it == s.layers.end()) continue;
        auto data = std::make_shared<layer::Layer>(*it->data);
        data->name = want;
        it->data = std::move(data);
        it->name = want;
        run.layers[i] = want;
    }
    for (std::size_t i = 0; i < run.layers.size() && i < saved.layers.size(); ++i)
        if (!saved.layers[i].present)
            std::erase_if(s.layers, [&](const LayerState& l) { return l.name == run.layers[i]; });
}

std::string trim(std::string s) {
    s.erase(0, s.find_first_not_of(" \t"));
    s.erase(s.find_last_not_of(" \t") + 1);
    return s;
}

bool is_number(const std::string& s) {
    if (s.empty()) return false;
    char* end = nullptr;
    std::strtod(s.c_str(), &end);
    return end && *end == '\0';
}

bool is_lonlat_text(const std::string& text) {
    const auto comma = text.find(',');
    if (comma == std::string::npos || text.find(',', comma + 1) != std::string::npos) return false;
    return is_number(trim(text.substr(0, comma))) && is_number(trim(text.substr(comma + 1)));
}

}  // namespace

Loaded load(const Scenario& sc, const LoadOptions& opts) {
    Loaded out;
    State& s = out.state;
    auto notice = [&](Notice::Level level, std::string text) { out.notices.push_back({level, std::move(text)}); };
    for (const auto& n : sc.notes) out.notices.push_back(n);
    s.default_data = sc.default_data && !opts.no_default_data;
    s.view = sc.view;
    s.plugin_params = sc.plugin_params;
    if (s.default_data) {
        try {
            add_data_layers(s, "", data::load_default_layers());
        } catch (const std::exception& e) {
            notice(Notice::Level::Error, std::string("default data: ") + e.what());
        }
    }
    std::vector<std::string> sources = sc.sources;
    for (const auto& src : opts.extra_sources)
        if (std::find(sources.begin(), sources.end(), src) == sources.end()) sources.push_back(src);
    for (const auto& src : sources) {
        try {
            auto layers = io::read_source(src);
            if (layers.empty()) notice(Notice::Level::Warning, io::redact_secrets(src) + ": no vector layer");
            std::vector<std::size_t> counts;
            for (const auto& l : layers) {
                counts.push_back(l.features.size());
                for (const auto& w : l.warnings) notice(Notice::Level::Warning, w);
            }
            const auto names = add_data_layers(s, src, std::move(layers));
            for (std::size_t i = 0; i < names.size(); ++i)
                notice(Notice::Level::Info, "loaded " + names[i] + " (" + std::to_string(counts[i]) +
                                                " features) from " + io::redact_secrets(src));
        } catch (const std::exception& e) {
            notice(Notice::Level::Error, e.what());
        }
        // Kept even when it failed (a database that is down today): the scenario must
        // not lose it by being saved again.
        if (std::find(s.sources.begin(), s.sources.end(), src) == s.sources.end()) s.sources.push_back(src);
    }
    std::uint64_t last_id = 0;
    if (opts.with_runs) {
        for (const auto& run : sc.runs) {
            restore_run(s, run);
            last_id = std::max(last_id, run.id);
        }
    }
    s.next_run_id = last_id + 1;

    // The scenario's order and styles, by layer name.
    std::vector<LayerState> ordered;
    for (const auto& saved : sc.layers) {
        auto it =
            std::find_if(s.layers.begin(), s.layers.end(), [&](const LayerState& l) { return l.name == saved.name; });
        if (it == s.layers.end()) {
            const bool result = saved.source.rfind("result:", 0) == 0;
            // A result layer the planner removed is simply gone; without runs, all are.
            if (!result)
                notice(Notice::Level::Warning, "scenario layer '" + saved.name + "' is not in the loaded data (" +
                                                   io::redact_secrets(saved.source) + ")");
            continue;
        }
        apply_saved_style(*it, saved);
        ordered.push_back(std::move(*it));
        s.layers.erase(it);
    }
    // Layers the scenario does not list (new data) go to their natural place: areas
    // under lines under points, results over data.
    for (auto& rest : s.layers) {
        const int rank = draw_rank(rest.geometry);
        auto pos =
            rest.result() ? ordered.end() : std::find_if(ordered.begin(), ordered.end(), [&](const LayerState& o) {
                return o.result() || draw_rank(o.geometry) > rank;
            });
        ordered.insert(pos, std::move(rest));
    }
    s.layers = std::move(ordered);
    // Layers the planner removed stay removed.
    s.removed_layers = sc.removed_layers;
    for (const auto& name : s.removed_layers)
        std::erase_if(s.layers, [&](const LayerState& l) { return l.name == name && !l.result(); });
    return out;
}

nlohmann::json params_from_form(const std::vector<plugin::ParamDef>& defs, const nlohmann::json& form) {
    nlohmann::json out = nlohmann::json::object();
    if (!form.is_object()) return out;
    for (const auto& [key, value] : form.items()) {
        if (value.is_string() && value.get<std::string>().empty()) continue;  // unset
        auto def =
            std::find_if(defs.begin(), defs.end(), [&key = key](const plugin::ParamDef& d) { return d.key == key; });
        if (def == defs.end() || def->type != plugin::ParamType::List || !value.is_string()) {
            out[key] = value;
            continue;
        }
        // The form's list text: items separated by ';', and by ',' too unless an item is
        // a lon,lat pair (or the items are coordinates).
        nlohmann::json items = nlohmann::json::array();
        std::stringstream ss(value.get<std::string>());
        for (std::string piece; std::getline(ss, piece, ';');) {
            piece = trim(piece);
            if (piece.empty()) continue;
            if (def->item_type == plugin::ParamType::Coordinate || is_lonlat_text(piece) ||
                piece.find(',') == std::string::npos) {
                items.push_back(piece);
                continue;
            }
            std::stringstream parts(piece);
            for (std::string item; std::getline(parts, item, ',');)
                if (!(item = trim(item)).empty()) items.push_back(item);
        }
        out[key] = std::move(items);
    }
    return out;
}

}  // namespace mp::session
