// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "map/forms.hpp"
#include "mp/plugin/registry.hpp"
#include "mp/sites/catalogue.hpp"

namespace mp::gui {

/// Where the next click on the map goes: a parameter, an item of a list, the end of a
/// list (append), or a field of a record row.
struct PickTarget {
    std::string plugin_id;  ///< "" when no pick is waiting
    std::string key;        ///< the parameter
    long index = -1;        ///< list item or record row; -1: the parameter itself (a list: append)
    std::string field;      ///< record field, "" for none
    bool active() const { return !plugin_id.empty(); }
    bool operator==(const PickTarget&) const = default;
};

/// The plugin forms of the Plugins panel (Dear ImGui): one widget per parameter chosen
/// by its ABI type alone (never its description), inline problems, site search with
/// completion, map picks, a file browser, editable lists and record tables. The form
/// values themselves stay with the caller (plugin id -> {key: form state}, see
/// map::form_value); this class keeps only UI state (the pick waiting for a click, the
/// open completion list, the file browser, record tables opened in their own window)
/// and what the last frame drew (for --dump-view).
class ParamForms {
public:
    /// What the widgets offer: the catalogue for site search and checks, the names of
    /// the loaded layers, and where warnings go.
    struct Env {
        const sites::Catalogue* catalogue = nullptr;
        std::vector<std::string> layers;
        std::function<void(std::string)> warn;
    };

    /// Forgets what the previous frame drew (call once per frame, before the forms).
    void begin_frame();

    /// Draws the parameters of plugin p editing values (its {key: form state} object,
    /// filled with defaults for missing keys and normalised to the widgets' shape).
    /// Returns the form's problems after this frame's edits: Run is offered only when
    /// there are none.
    std::vector<map::FormProblem> draw(const plugin::PluginInfo& p, nlohmann::json& values, const Env& env);

    /// Draws the record tables the planner opened in their own window (call after the
    /// panels, every frame). values is App::m_plugin_params (plugin id -> form values).
    void draw_windows(const plugin::Registry& registry, nlohmann::json& values, const Env& env);

    /// Records whether Run was offered for a plugin drawn this frame (for dump()).
    void set_run_enabled(const std::string& plugin_id, bool enabled);

    /// The pick waiting for a click on the map (inactive when none).
    const PickTarget& pick() const { return m_pick; }
    void cancel_pick() { m_pick = {}; }

    /// What the last frame drew, as JSON for --dump-view: "widgets" (plugin, path,
    /// widget kind, label, problem, rect [x, y, w, h] in window pixels) and "plugins"
    /// (id -> run_enabled, problems, host parameters).
    nlohmann::json dump() const;

private:
    struct Widget {
        std::string plugin_id, path, kind, label, problem;
        std::array<float, 4> rect{};
        bool in_window = false;
    };
    struct Browser {
        PickTarget target;  ///< the value the chosen path goes to
        std::string owner;  ///< the widget's id path (its popup lives in its ID stack)
        bool file_out = false;
        bool raster = false;
        std::vector<std::string> patterns;
        std::string folder, name, error;
        bool show_all = false;
        bool stale = true;
        map::FolderListing listing;
    };
    struct Frame;  // per-draw context (param_form.cpp)

    bool value_widget(Frame& f, const plugin::ParamDef& d, plugin::ParamType type, std::string& text,
                      const PickTarget& target, const std::string& path, float width, bool in_table);
    bool site_search(Frame& f, const plugin::ParamDef& d, std::string& text, const std::string& path, float width,
                     const std::string& hint);
    bool pick_button(Frame& f, plugin::ParamType type, const PickTarget& target, const std::string& path);
    bool browse_button(Frame& f, const plugin::ParamDef& d, plugin::ParamType type, std::string& text,
                       const PickTarget& target, const std::string& path);
    bool draw_browser(std::string& text);
    void draw_parameter(Frame& f, const plugin::ParamDef& d);
    void draw_list(Frame& f, const plugin::ParamDef& d, nlohmann::json& items);
    void draw_record_table(Frame& f, const plugin::ParamDef& d, nlohmann::json& rows);
    void record(Frame& f, const std::string& path, const char* kind, const std::string& label,
                const std::string& problem);

    PickTarget m_pick;
    std::string m_complete_owner;  ///< the site search whose completion list is open
    Browser m_browser;
    std::set<std::string> m_table_windows;  ///< "plugin\nkey" of record tables in their own window
    std::vector<Widget> m_widgets;
    nlohmann::json m_plugins = nlohmann::json::object();
};

}  // namespace mp::gui
