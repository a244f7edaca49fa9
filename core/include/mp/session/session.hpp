// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "mp/data/default_data.hpp"
#include "mp/layer/layer.hpp"
#include "mp/plugin/result.hpp"

namespace mp::session {

/// A straight RGBA colour, each component in [0, 1].
using Rgba = std::array<float, 4>;

/// How a layer is drawn: what the planner can change in the Layers panel. Colours are
/// straight RGBA in [0, 1]; sizes in screen pixels.
struct LayerStyle {
    Rgba stroke{0.2f, 0.2f, 0.2f, 1.0f};
    Rgba fill{0.8f, 0.8f, 0.8f, 1.0f};
    float width_px = 1.5f;         ///< line width
    float opacity = 1.0f;          ///< of the whole layer, in [0, 1]
    float fill_opacity = 0.35f;    ///< of polygon fills (times opacity), in [0, 1]
    float symbol_size_px = 28.0f;  ///< point symbols
    bool operator==(const LayerStyle&) const = default;
};

/// What kind of geometry a layer holds, which decides its draw order class and which
/// style controls apply.
enum class GeometryClass { None, Polygon, Line, Point, Mixed };

/// "none", "polygon", "line", "point" or "mixed".
std::string_view geometry_name(GeometryClass g);

/// Draw order class: areas (0) under lines (1) under mixed (2) under points and
/// geometry-less layers (3).
int draw_rank(GeometryClass g);

/// The geometry class of a layer from its features' geometry types.
GeometryClass geometry_class(const layer::Layer& l);

/// One layer on the map: its data, where it came from, and how it is drawn.
struct LayerState {
    std::string name;    ///< unique within the session
    std::string source;  ///< GDAL source, "embedded:<file>" or "result:<plugin id>"
    /// The features (WGS84 lon/lat). Shared and immutable: undo snapshots and the GUI's
    /// GPU copies point at the same data. Never null in a State.
    std::shared_ptr<const layer::Layer> data;
    GeometryClass geometry = GeometryClass::None;
    LayerStyle style;
    bool visible = true;
    bool labels = false;      ///< draw labels from label_field
    std::string label_field;  ///< attribute the labels show ("" for none)
    std::uint64_t run = 0;    ///< id of the plugin run it shows, 0 for data layers
    /// True for a layer made from a plugin result: never a site, never run input sites.
    bool result() const noexcept { return run != 0; }
};

/// One plugin run of the session.
struct Run {
    std::uint64_t id = 0;   ///< unique within the session, > 0
    std::string plugin_id;  ///< the plugin's id (see plugin::Registry)
    /// The parameters as the planner gave them: what plugin::Registry::run took (a JSON
    /// object, key -> text or JSON value), so a re-run is the same run.
    nlohmann::json params = nlohmann::json::object();
    /// True when params are the plugin's form values saved by a version 1 scenario, not
    /// what the run was given (see session::params_from_form).
    bool params_from_form = false;
    /// What it produced (status Ok). Null when its result is not available (the results
    /// file beside a scenario was missing or bad): the run can still be re-run.
    std::shared_ptr<const plugin::RunResult> result;
    /// The names of the map layers made from its result layers, in order; some of them
    /// may have been removed from the map since (see State::layers).
    std::vector<std::string> layers;
};

/// The map view: display CRS, centre and scale.
struct View {
    std::string display_crs = "EPSG:3857";  ///< PROJ user input: EPSG:3857 or EPSG:3812
    /// False: no view was set; the GUI fits its default extent (mainland Belgium).
    bool placed = false;
    double center_lon = 4.45;      ///< degrees, WGS84
    double center_lat = 50.5;      ///< degrees, WGS84
    double units_per_pixel = 500;  ///< display CRS units (metres) per screen pixel
    bool operator==(const View&) const = default;
};

/// Everything a planner's session is, apart from what a viewer derives from it (GPU
/// buffers, selection, open panels). A value type: copies share the immutable layer data
/// and run results, so a copy costs little.
struct State {
    bool default_data = true;          ///< the embedded default data is loaded
    std::vector<std::string> sources;  ///< extra GDAL sources loaded, in order (as given)
    std::vector<LayerState> layers;    ///< draw order: the first is drawn first (bottom)
    /// Data layers the planner removed: they stay removed when their source is loaded
    /// again. (A removed result layer simply leaves `layers`; its run remembers it.)
    std::vector<std::string> removed_layers;
    std::vector<Run> runs;  ///< in the order they were made
    /// Form values per plugin: plugin id -> {key: value} (text as typed, or JSON), kept
    /// between runs and saved with the scenario.
    nlohmann::json plugin_params = nlohmann::json::object();
    View view;
    std::uint64_t next_run_id = 1;

    /// The layer called name, or nullptr.
    const LayerState* find_layer(std::string_view name) const;
    /// The run with this id, or nullptr.
    const Run* find_run(std::uint64_t id) const;
};

/// The workspace a plugin run gets from a session: every layer on the map, in draw order
/// (result layers too, e.g. routes to assess), and the site catalogue of the data layers
/// only (result layers are never sites). Throws nothing for a layer the catalogue cannot
/// read (it was reported when the layer was loaded).
data::Workspace workspace(const State& s);

/// Adds data layers read from source in their natural place (areas under lines under
/// points, below the result layers), each with a default style and a name unique in the
/// session ("roads_2" for a second "roads"). A name added again leaves removed_layers.
/// source "" or "embedded:..." is not recorded in State::sources. Returns the names
/// given, in order.
std::vector<std::string> add_data_layers(State& s, const std::string& source, std::vector<layer::Layer> layers);

/// Adds a finished run and its map layers (on top of the map, one layer per distinct
/// feature style so legs and alternatives keep their colours, in the plugin's colours; a
/// line colour too close to a visible data line layer's is drawn magenta instead).
/// Precondition: result.status is Ok. Returns the run's id.
std::uint64_t add_run(State& s, std::string plugin_id, nlohmann::json params,
                      std::shared_ptr<const plugin::RunResult> result);

/// The planner's session with a bounded undo/redo history of its edits.
///
/// Each edit is one undo step with a label for the Edit menu ("Remove layer roads").
/// Consecutive edits of the same thing (a slider dragged over many frames, a text field
/// typed into) merge into one step until end_merge() is called. The history keeps whole
/// State snapshots; they share layer data and run results, so a step costs a few
/// strings. At most history_limit steps are kept (the oldest go first).
///
/// Not thread-safe: one owner (the GUI's UI thread, or a CLI command).
class Session {
public:
    static constexpr std::size_t kDefaultHistory = 200;

    /// history_limit >= 1: the number of undo steps kept.
    explicit Session(std::size_t history_limit = kDefaultHistory);

    const State& state() const noexcept { return m_state; }
    /// Grows by one or more with every change of state() (edit, undo, redo, reset,
    /// fill): a viewer re-reads the state when it differs from the one it last drew.
    std::uint64_t revision() const noexcept { return m_revision; }

    /// Replaces the whole state (a scenario opened, a new session): clears the
    /// history; the new state counts as saved (not modified).
    void reset(State s);

    /// The scenario file this session is saved to ("" when none).
    const std::string& path() const noexcept { return m_path; }
    void set_path(std::string path) { m_path = std::move(path); }
    /// True when the state differs from the one last marked saved (undoing back to the
    /// saved state makes it false again). View changes do not count.
    bool modified() const noexcept { return m_state_id != m_saved_id; }
    /// The current state is what the scenario file holds.
    void mark_saved() noexcept { m_saved_id = m_state_id; }
    /// The current state is not what any file holds (e.g. restored from the autosave).
    void mark_modified() noexcept { m_saved_id = 0; }

    // Edits. Each returns false, and records nothing, when it would change nothing.
    // Those naming a layer or run throw mp::InputError when it does not exist.

    /// Sets a layer's style (merges with the previous edit of the same layer's style).
    bool set_layer_style(const std::string& name, const LayerStyle& style);
    /// Shows or hides a layer.
    bool set_layer_visible(const std::string& name, bool visible);
    /// Labels on or off and the field they show (merges while the field is typed).
    bool set_layer_labels(const std::string& name, bool labels, const std::string& field);
    /// Moves the layer at index from to index to (both < layers.size()).
    bool move_layer(std::size_t from, std::size_t to);
    /// Removes a layer from the map. A data layer is remembered in removed_layers.
    bool remove_layer(const std::string& name);
    /// Adds the layers read from a source (see add_data_layers); one step for all of
    /// them. Returns their names (empty when layers is empty: nothing recorded).
    std::vector<std::string> add_source(const std::string& source, std::vector<layer::Layer> layers);
    /// Adds a finished run (see session::add_run). Precondition: status Ok.
    std::uint64_t add_run(const std::string& plugin_id, nlohmann::json params, plugin::RunResult result);
    /// Removes a run and its layers from the map.
    bool remove_run(std::uint64_t id);
    /// Replaces every plugin's form values (an object: plugin id -> object); merges with
    /// the previous form edit. Throws mp::InputError when params is not of that shape.
    bool set_plugin_params(nlohmann::json params);
    /// Adds the form values absent from the state (a form filling in its defaults)
    /// without an undo step and without marking the session modified; existing values
    /// are never changed. They are added to every undo snapshot too, so undoing never
    /// takes them away again.
    void fill_plugin_params(const nlohmann::json& params);
    /// Sets the view: no undo step, not a modification (panning is not an edit).
    void set_view(const View& view);

    // History.

    bool can_undo() const noexcept { return !m_undo.empty(); }
    bool can_redo() const noexcept { return !m_redo.empty(); }
    /// The label of the step undo() would take back ("" when none).
    std::string undo_label() const;
    /// The label of the step redo() would do again ("" when none).
    std::string redo_label() const;
    /// Takes the last step back; false when there is none.
    bool undo();
    /// Does the last undone step again; false when there is none. Any new edit clears
    /// the redo steps.
    bool redo();
    /// Ends the current merge: the next edit is a step of its own (the GUI calls it when
    /// no widget is being dragged or typed into).
    void end_merge() noexcept { m_merge_key.clear(); }
    std::size_t undo_depth() const noexcept { return m_undo.size(); }
    std::size_t redo_depth() const noexcept { return m_redo.size(); }
    std::size_t history_limit() const noexcept { return m_limit; }

private:
    struct Step {
        std::string label;
        State state;
        std::uint64_t state_id = 0;
    };
    /// Records next as one step named label (merged when merge_key matches the open one).
    void commit(std::string label, State next, const std::string& merge_key = {});
    LayerState& layer_in(State& s, const std::string& name) const;

    State m_state;
    std::uint64_t m_revision = 1;
    std::uint64_t m_state_id = 1;  // identifies a distinct state (for modified())
    std::uint64_t m_next_state_id = 2;
    std::uint64_t m_saved_id = 1;
    std::string m_path;
    std::deque<Step> m_undo, m_redo;
    std::string m_merge_key;  // the open merge ("" when none)
    std::size_t m_limit;
};

}  // namespace mp::session
