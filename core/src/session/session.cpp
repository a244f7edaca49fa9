// SPDX-License-Identifier: MIT
// The planner's session: layers with their styles, runs, form values and view, and the
// undo history of its edits. The history keeps whole snapshots (the memento pattern)
// rather than inverse commands: a State shares its layer data and run results through
// shared_ptr<const ...>, so a snapshot is a few dozen strings, and an undo can never
// drift from the state it restores.
#include "mp/session/session.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <utility>

#include "mp/core/error.hpp"
#include "mp/geo/crs.hpp"

namespace mp::session {

namespace {

// Colours for layers without a house style, distinct on the light sea background.
constexpr std::array<Rgba, 6> kPalette{{{0.12f, 0.47f, 0.71f, 1},
                                        {0.2f, 0.63f, 0.17f, 1},
                                        {0.58f, 0.4f, 0.74f, 1},
                                        {0.55f, 0.34f, 0.29f, 1},
                                        {0.89f, 0.47f, 0.76f, 1},
                                        {0.09f, 0.75f, 0.81f, 1}}};

// Highlight for result lines whose colour is lost on the base map: strong magenta
// (contrasts with the orange roads, dark rail, blue rivers and the beige land).
constexpr Rgba kRouteHighlight{0.78f, 0.0f, 0.67f, 1.0f};

// Dense networks (an OSM extract) read better with thin lines.
constexpr std::size_t kDenseLineFeatures = 5000;

LayerStyle default_style(const std::string& name, GeometryClass geometry, std::size_t index) {
    LayerStyle s;
    const auto has = [&](const char* k) { return name.find(k) != std::string::npos; };
    if (geometry == GeometryClass::Polygon || has("belgium") || has("province") || has("boundary")) {
        s.stroke = {0.35f, 0.33f, 0.3f, 1};
        s.fill = {0.97f, 0.95f, 0.88f, 1};
        s.fill_opacity = 1.0f;  // opaque: no blending, and bench-render measures this style
        s.width_px = 1.2f;
    } else if (has("road") || has("weg")) {
        s.stroke = {0.86f, 0.38f, 0.12f, 1};
        s.width_px = 2.0f;
    } else if (has("rail")) {
        s.stroke = {0.25f, 0.25f, 0.32f, 1};
        s.width_px = 2.0f;
    } else if (has("river")) {
        s.stroke = {0.35f, 0.6f, 0.85f, 1};
        s.width_px = 1.5f;
    } else {
        s.stroke = kPalette[index % kPalette.size()];
        s.fill = s.stroke;
        s.width_px = 1.5f;
    }
    s.symbol_size_px = 28.0f;
    return s;
}

std::string default_label_field(const layer::Layer& l) {
    for (const char* k : {"name_en", "name", "NAME", "name_nl", "naam", "straatnaam", "description", "id"})
        for (const auto& f : l.fields)
            if (f.name == k) return k;
    if (!l.features.empty())
        for (const char* k : {"name_en", "name", "NAME", "name_nl"})
            if (l.features.front().attributes.has(k)) return k;
    return {};
}

// Whether the map draws symbols for the layer: points, and areas of a site kind (their
// representative point), as gui/map/prepare.cpp does. Such layers are labelled by default.
bool has_symbols(const layer::Layer& l) {
    for (const auto& f : l.features) {
        if (std::holds_alternative<geo::LonLat>(f.geometry) || std::holds_alternative<geo::MultiPoint>(f.geometry))
            return true;
        const bool area =
            std::holds_alternative<geo::Polygon>(f.geometry) || std::holds_alternative<geo::MultiPolygon>(f.geometry);
        if (area && sites::parse_kind(f.attributes.text("kind"))) return true;
    }
    return false;
}

std::string unique_name(const State& s, const std::string& wanted) {
    const std::string base = wanted.empty() ? "layer" : wanted;
    std::string name = base;
    for (int k = 2; s.find_layer(name); ++k) name = base + "_" + std::to_string(k);
    return name;
}

bool is_casing(const LayerState& l) {
    return l.result() && (l.geometry == GeometryClass::Line || l.geometry == GeometryClass::Mixed);
}

// A new layer in its natural place: areas under lines under points, below the result
// lines drawn over a casing (results come on top).
void insert_natural(State& s, LayerState l, bool on_top) {
    const int rank = draw_rank(l.geometry);
    auto pos = on_top ? s.layers.end() : std::find_if(s.layers.begin(), s.layers.end(), [&](const LayerState& o) {
        return draw_rank(o.geometry) > rank && !is_casing(o);
    });
    s.layers.insert(pos, std::move(l));
}

LayerState new_layer(const State& s, layer::Layer data, std::string source) {
    LayerState m;
    m.geometry = geometry_class(data);
    m.name = unique_name(s, data.name);
    data.name = m.name;
    m.source = std::move(source);
    m.style = default_style(m.name, m.geometry, s.layers.size());
    if (data.features.size() > kDenseLineFeatures && m.geometry == GeometryClass::Line) m.style.width_px = 1.0f;
    m.label_field = default_label_field(data);
    m.labels = has_symbols(data) && !m.label_field.empty();
    m.data = std::make_shared<const layer::Layer>(std::move(data));
    return m;
}

// "#rrggbb" or "#rrggbbaa" to RGBA; fallback when malformed.
Rgba parse_colour(const std::string& hex, Rgba fallback) {
    if ((hex.size() != 7 && hex.size() != 9) || hex[0] != '#') return fallback;
    Rgba c{0, 0, 0, 1};
    for (std::size_t i = 0; i < (hex.size() - 1) / 2; ++i) {
        unsigned v = 0;
        if (std::sscanf(hex.c_str() + 1 + 2 * i, "%2x", &v) != 1) return fallback;
        c[i] = static_cast<float>(v) / 255.0f;
    }
    return c;
}

// Euclidean RGB distance scaled to [0, 1].
float colour_distance(const Rgba& a, const Rgba& b) {
    const float dr = a[0] - b[0], dg = a[1] - b[1], db = a[2] - b[2];
    return std::sqrt(dr * dr + dg * dg + db * db) / std::sqrt(3.0f);
}

}  // namespace

std::string_view geometry_name(GeometryClass g) {
    switch (g) {
        case GeometryClass::Polygon: return "polygon";
        case GeometryClass::Line: return "line";
        case GeometryClass::Point: return "point";
        case GeometryClass::Mixed: return "mixed";
        case GeometryClass::None: break;
    }
    return "none";
}

int draw_rank(GeometryClass g) {
    switch (g) {
        case GeometryClass::Polygon: return 0;
        case GeometryClass::Line: return 1;
        case GeometryClass::Mixed: return 2;
        default: return 3;
    }
}

GeometryClass geometry_class(const layer::Layer& l) {
    bool poly = false, line = false, point = false;
    for (const auto& t : l.geometry_types()) {
        if (t.find("Polygon") != std::string::npos) poly = true;
        else if (t.find("LineString") != std::string::npos) line = true;
        else if (t.find("Point") != std::string::npos) point = true;
    }
    if (poly + line + point > 1) return GeometryClass::Mixed;
    return poly    ? GeometryClass::Polygon
           : line  ? GeometryClass::Line
           : point ? GeometryClass::Point
                   : GeometryClass::None;
}

const LayerState* State::find_layer(std::string_view name) const {
    auto it = std::find_if(layers.begin(), layers.end(), [&](const LayerState& l) { return l.name == name; });
    return it == layers.end() ? nullptr : &*it;
}

const Run* State::find_run(std::uint64_t id) const {
    auto it = std::find_if(runs.begin(), runs.end(), [&](const Run& r) { return r.id == id; });
    return it == runs.end() ? nullptr : &*it;
}

data::Workspace workspace(const State& s) {
    data::Workspace ws;
    for (const auto& l : s.layers) {
        ws.layers.add(*l.data);
        if (l.result()) continue;
        try {
            ws.catalogue.add_layer(*l.data);
        } catch (const std::exception&) {
            // Reported when the layer was loaded; the run still gets the layer itself.
        }
    }
    return ws;
}

std::vector<std::string> add_data_layers(State& s, const std::string& source, std::vector<layer::Layer> layers) {
    std::vector<std::string> names;
    for (auto& l : layers) {
        std::string from = l.source.empty() ? source : l.source;
        LayerState m = new_layer(s, std::move(l), std::move(from));
        std::erase(s.removed_layers, m.name);
        names.push_back(m.name);
        insert_natural(s, std::move(m), false);
    }
    if (!source.empty() && source.rfind("embedded:", 0) != 0 &&
        std::find(s.sources.begin(), s.sources.end(), source) == s.sources.end())
        s.sources.push_back(source);
    return names;
}

std::uint64_t add_run(State& s, std::string plugin_id, nlohmann::json params,
                      std::shared_ptr<const plugin::RunResult> result) {
    assert(result && result->status == plugin::RunStatus::Ok);
    Run run;
    run.id = s.next_run_id++;
    run.plugin_id = std::move(plugin_id);
    run.params = std::move(params);
    run.result = result;
    // One map layer per distinct feature style (colour and width).
    for (const auto& rl : result->layers) {
        std::vector<std::pair<plugin::Style, layer::Layer>> groups;
        for (std::size_t i = 0; i < rl.layer.features.size(); ++i) {
            const plugin::Style st =
                i < rl.feature_styles.size() && rl.feature_styles[i] ? *rl.feature_styles[i] : rl.style;
            auto g = std::find_if(groups.begin(), groups.end(), [&](const auto& x) {
                return x.first.color == st.color && x.first.width_px == st.width_px;
            });
            if (g == groups.end()) {
                layer::Layer l;
                l.name = groups.empty() ? rl.layer.name : rl.layer.name + " " + st.color;
                l.source = "result:" + run.plugin_id;
                l.source_crs = geo::kWgs84;
                l.fields = rl.layer.fields;
                groups.push_back({st, std::move(l)});
                g = groups.end() - 1;
            }
            g->second.features.push_back(rl.layer.features[i]);
        }
        for (auto& [st, l] : groups) {
            LayerState ml = new_layer(s, std::move(l), "result:" + run.plugin_id);
            ml.run = run.id;
            ml.style.stroke = parse_colour(st.color, ml.style.stroke);
            // Result lines must stand out from the base map: a colour too close to a
            // visible data layer's (orange road legs on orange roads) becomes magenta.
            if (ml.geometry == GeometryClass::Line || ml.geometry == GeometryClass::Mixed)
                for (const auto& base : s.layers)
                    if (!base.result() && base.visible && base.geometry == GeometryClass::Line &&
                        colour_distance(base.style.stroke, ml.style.stroke) < 0.2f) {
                        ml.style.stroke = kRouteHighlight;
                        break;
                    }
            ml.style.fill = ml.style.stroke;
            ml.style.fill_opacity = 0.25f;  // areas (coverage rings, reach): translucent fill, solid outline
            ml.style.width_px = static_cast<float>(st.width_px);
            // A "kind" label says "leg" or "transfer"; the feature's name says where.
            std::string field = st.label_field;
            if (field == "kind" && std::any_of(ml.data->features.begin(), ml.data->features.end(),
                                               [](const layer::Feature& f) { return f.attributes.has("name"); }))
                field = "name";
            else if (field == "kind" && ml.geometry == GeometryClass::Line) field.clear();  // "leg" says nothing
            ml.labels = !field.empty();
            if (!field.empty()) ml.label_field = field;
            run.layers.push_back(ml.name);
            insert_natural(s, std::move(ml), true);
        }
    }
    const std::uint64_t id = run.id;
    s.runs.push_back(std::move(run));
    return id;
}

Session::Session(std::size_t history_limit) : m_limit(std::max<std::size_t>(1, history_limit)) {}

void Session::reset(State s) {
    m_state = std::move(s);
    m_undo.clear();
    m_redo.clear();
    m_merge_key.clear();
    m_state_id = m_next_state_id++;
    m_saved_id = m_state_id;
    ++m_revision;
}

void Session::commit(std::string label, State next, const std::string& merge_key) {
    const bool merge = !merge_key.empty() && merge_key == m_merge_key && !m_undo.empty();
    if (!merge) {
        m_undo.push_back({std::move(label), std::move(m_state), m_state_id});
        while (m_undo.size() > m_limit) m_undo.pop_front();
    }
    m_redo.clear();
    m_state = std::move(next);
    m_state_id = m_next_state_id++;
    m_merge_key = merge_key;
    ++m_revision;
}

LayerState& Session::layer_in(State& s, const std::string& name) const {
    auto it = std::find_if(s.layers.begin(), s.layers.end(), [&](const LayerState& l) { return l.name == name; });
    if (it == s.layers.end()) throw InputError("no layer '" + name + "' in the session");
    return *it;
}

bool Session::set_layer_style(const std::string& name, const LayerStyle& style) {
    State next = m_state;
    LayerState& l = layer_in(next, name);
    if (l.style == style) return false;
    l.style = style;
    commit("Style of " + name, std::move(next), "style/" + name);
    return true;
}

bool Session::set_layer_visible(const std::string& name, bool visible) {
    State next = m_state;
    LayerState& l = layer_in(next, name);
    if (l.visible == visible) return false;
    l.visible = visible;
    commit((visible ? "Show " : "Hide ") + name, std::move(next));
    return true;
}

bool Session::set_layer_labels(const std::string& name, bool labels, const std::string& field) {
    State next = m_state;
    LayerState& l = layer_in(next, name);
    if (l.labels == labels && l.label_field == field) return false;
    const bool typed = l.labels == labels;  // only the field changed: typing merges
    l.labels = labels;
    l.label_field = field;
    commit("Labels of " + name, std::move(next), typed ? "label-field/" + name : std::string());
    return true;
}

bool Session::move_layer(std::size_t from, std::size_t to) {
    if (from >= m_state.layers.size() || to >= m_state.layers.size())
        throw InputError("no layer at position " + std::to_string(std::max(from, to) + 1) + " (the session has " +
                         std::to_string(m_state.layers.size()) + ")");
    if (from == to) return false;
    State next = m_state;
    LayerState moved = std::move(next.layers[from]);
    next.layers.erase(next.layers.begin() + static_cast<std::ptrdiff_t>(from));
    next.layers.insert(next.layers.begin() + static_cast<std::ptrdiff_t>(to), std::move(moved));
    std::string label = std::string(to > from ? "Move up " : "Move down ") + next.layers[to].name;
    commit(std::move(label), std::move(next));
    return true;
}

bool Session::remove_layer(const std::string& name) {
    State next = m_state;
    LayerState& l = layer_in(next, name);
    // Data layers come back with their source on restore: remember to drop them. Result
    // layers go with their run instead (the run lists them; absent means removed).
    if (!l.result() &&
        std::find(next.removed_layers.begin(), next.removed_layers.end(), name) == next.removed_layers.end())
        next.removed_layers.push_back(name);
    std::erase_if(next.layers, [&](const LayerState& o) { return o.name == name; });
    commit("Remove layer " + name, std::move(next));
    return true;
}

std::vector<std::string> Session::add_source(const std::string& source, std::vector<layer::Layer> layers) {
    if (layers.empty()) return {};
    State next = m_state;
    auto names = add_data_layers(next, source, std::move(layers));
    commit("Add " + (names.size() == 1 ? "layer " + names.front() : std::to_string(names.size()) + " layers"),
           std::move(next));
    return names;
}

std::uint64_t Session::add_run(const std::string& plugin_id, nlohmann::json params, plugin::RunResult result) {
    State next = m_state;
    const std::uint64_t id = session::add_run(next, plugin_id, std::move(params),
                                              std::make_shared<const plugin::RunResult>(std::move(result)));
    commit("Run " + plugin_id, std::move(next));
    return id;
}

bool Session::remove_run(std::uint64_t id) {
    const Run* run = m_state.find_run(id);
    if (!run) throw InputError("no run " + std::to_string(id) + " in the session");
    State next = m_state;
    const std::string label = "Remove run " + run->plugin_id;
    std::erase_if(next.layers, [&](const LayerState& l) { return l.run == id; });
    std::erase_if(next.runs, [&](const Run& r) { return r.id == id; });
    commit(label, std::move(next));
    return true;
}

bool Session::set_plugin_params(nlohmann::json params) {
    if (!params.is_object()) throw InputError("plugin form values must be an object (plugin id -> {key: value})");
    for (const auto& [id, values] : params.items())
        if (!values.is_object()) throw InputError("form values of plugin '" + id + "' must be an object {key: value}");
    if (params == m_state.plugin_params) return false;
    State next = m_state;
    // Name the plugin whose form changed (the first that differs), for the Edit menu.
    std::string which;
    for (const auto& [id, values] : params.items())
        if (!m_state.plugin_params.contains(id) || m_state.plugin_params[id] != values) {
            which = id;
            break;
        }
    if (which.empty())
        for (const auto& [id, values] : m_state.plugin_params.items())
            if (!params.contains(id)) {
                which = id;
                break;
            }
    next.plugin_params = std::move(params);
    commit("Parameters of " + which, std::move(next), "params/" + which);
    return true;
}

void Session::fill_plugin_params(const nlohmann::json& params) {
    if (!params.is_object()) return;
    bool changed = false;
    auto fill = [&](State& s, bool count) {
        for (const auto& [id, values] : params.items()) {
            if (!values.is_object()) continue;
            nlohmann::json& slot = s.plugin_params[id];
            if (!slot.is_object()) slot = nlohmann::json::object();
            for (const auto& [k, v] : values.items())
                if (!slot.contains(k)) {
                    slot[k] = v;
                    changed = changed || count;
                }
        }
    };
    fill(m_state, true);
    for (auto& step : m_undo) fill(step.state, false);
    for (auto& step : m_redo) fill(step.state, false);
    if (changed) ++m_revision;
}

void Session::set_view(const View& view) {
    if (m_state.view == view) return;
    m_state.view = view;
    ++m_revision;
}

std::string Session::undo_label() const { return m_undo.empty() ? std::string() : m_undo.back().label; }
std::string Session::redo_label() const { return m_redo.empty() ? std::string() : m_redo.back().label; }

bool Session::undo() {
    if (m_undo.empty()) return false;
    Step step = std::move(m_undo.back());
    m_undo.pop_back();
    // The view is not part of the history: it stays where the planner is looking.
    step.state.view = m_state.view;
    m_redo.push_back({step.label, std::move(m_state), m_state_id});
    m_state = std::move(step.state);
    m_state_id = step.state_id;
    m_merge_key.clear();
    ++m_revision;
    return true;
}

bool Session::redo() {
    if (m_redo.empty()) return false;
    Step step = std::move(m_redo.back());
    m_redo.pop_back();
    step.state.view = m_state.view;
    m_undo.push_back({step.label, std::move(m_state), m_state_id});
    m_state = std::move(step.state);
    m_state_id = step.state_id;
    m_merge_key.clear();
    ++m_revision;
    return true;
}

}  // namespace mp::session
