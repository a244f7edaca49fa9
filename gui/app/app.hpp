// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/charts.hpp"
#include "app/param_form.hpp"
#include "map/renderer.hpp"
#include "map/result_view.hpp"
#include "map/view.hpp"
#include "mp/core/progress.hpp"
#include "mp/geo/crs.hpp"
#include "mp/plugin/registry.hpp"
#include "mp/layer/layer.hpp"
#include "mp/session/scenario.hpp"
#include "mp/session/session.hpp"
#include "mp/sites/catalogue.hpp"

struct GLFWwindow;
struct ImDrawList;

namespace mp::gui {

/// Command-line options of enablement-gui.
struct Options {
    std::vector<std::string> data;  ///< extra GDAL sources
    bool no_default_data = false;
    std::string scenario;    ///< scenario file to open (and save to)
    std::string screenshot;  ///< headless: write this PNG after `frames` frames and quit
    int frames = 3;
    int width = 1280, height = 800;
    std::string dump_view;  ///< headless: write the view transform as JSON
    std::string display_crs = "EPSG:3857";
    bool no_restore = false;               ///< do not restore the autosave
    std::vector<std::string> plugin_dirs;  ///< extra plugin folders
    std::string run_plugin;                ///< headless: run this plugin first, screenshot its result
    std::string form_plugin;               ///< open this plugin's form at start (without running it)
    std::vector<std::string> params;       ///< key=value for run_plugin (or form_plugin)
    std::string save_scenario;             ///< headless: save the scenario (and results) here before quitting
    std::string export_map;                ///< headless: also write the map canvas only (as Export PNG does)
    int undo = 0;                          ///< headless: undo this many edits once --run finished
    int redo = 0;                          ///< headless: then redo this many
    std::string movement_time;             ///< start movement time sliders here (ISO 8601 UTC or seconds)
    std::string raster_view;               ///< start raster selectors at the entry of this label
    int chart_window = -1;                 ///< headless: open the chart of this table of the last run in a window
    std::optional<std::array<double, 2>> cursor;  ///< headless: hold the mouse over this lon, lat (WGS84)
};

/// Progress of a plugin run on the worker thread, read by the UI thread.
class JobProgress : public Progress {
public:
    void report(double fraction, std::string_view stage) override {
        m_fraction.store(fraction, std::memory_order_relaxed);
        std::lock_guard lock(m_mutex);
        m_stage = std::string(stage);
    }
    double fraction() const noexcept { return m_fraction.load(std::memory_order_relaxed); }
    std::string stage() const {
        std::lock_guard lock(m_mutex);
        return m_stage;
    }

private:
    std::atomic<double> m_fraction{0};
    mutable std::mutex m_mutex;
    std::string m_stage;
};

/// A plugin run in progress: its thread writes result (or error) and then sets done.
struct PluginJob {
    std::string plugin_id;
    nlohmann::json params;  ///< as given to the host (recorded with the run)
    JobProgress progress;
    std::thread thread;
    std::atomic<bool> done{false};
    plugin::RunResult result;
    std::string error;
    std::chrono::steady_clock::time_point started;
};

/// A result raster drawn over the map (colour-mapped, semi-transparent).
struct RasterOverlay {
    map::MapRenderer::LayerId gpu = 0;
    bool visible = true;
    float opacity = 0.55f;
    double min_value = 0, max_value = 0;     ///< range of the cells drawn (continuous views)
    std::vector<map::RasterChoice> choices;  ///< the selector (bands, heights, bits) by the raster's role
    std::size_t choice = 0;                  ///< the entry drawn
    map::RasterLegend legend;                ///< of the entry drawn
};

/// A time slider over a result layer with role "movements": only features active at t
/// are drawn.
struct MovementControl {
    std::string layer;                    ///< the result layer's name
    std::string start_field, end_field;   ///< attributes holding each feature's times
    std::vector<std::string> map_layers;  ///< the map layers made from it
    map::TimeScale scale;                 ///< span of all its features' times
    double t = 0;                         ///< the time shown (scale units: s, epoch s when absolute)
    bool playing = false;
    std::array<float, 4> play_rect{};  ///< the Play/Pause button in window pixels (for --dump-view)
};

/// The GUI's mirror of one run of the session (mp::session::Run): its GPU rasters and
/// the Results panel's fields.
struct RunRecord {
    std::uint64_t id = 0;  ///< the session run's id
    std::string plugin_id;
    std::shared_ptr<const plugin::RunResult> result;  ///< null: not available (re-run it)
    std::vector<std::string> layer_names;             ///< map layers made from its result layers
    std::vector<RasterOverlay> rasters;               ///< parallel to result->rasters
    std::vector<MovementControl> movements;           ///< one per result layer with role "movements"
    std::vector<std::optional<ChartView>> charts;     ///< parallel to result->tables
    std::string export_path;
};

/// The GUI's mirror of one layer of the session (mp::session::LayerState): the session's
/// data and style, plus its GPU handle and what each frame derives.
struct MapLayer {
    std::string name;
    std::string source;  ///< GDAL source, "embedded:..." or "result:..."
    std::shared_ptr<const layer::Layer> data;
    map::LayerStyle style;
    bool visible = true;
    bool labels = false;
    std::string label_field;
    map::MapRenderer::LayerId gpu = 0;
    std::string geometry;  ///< "polygon", "line", "point" or "mixed" (for the panel)
    bool casing = false;   ///< drawn over a white casing (highlighted results)
    bool result = false;   ///< made from a plugin result: never a site, never run input sites
    /// A movements layer: its features' times; only those active at filtered_t are drawn
    /// (filtered_gpu, whose feature i is data feature filtered_index[i]).
    std::shared_ptr<const map::MovementTimes> times;
    map::MapRenderer::LayerId filtered_gpu = 0;
    double filtered_t = 0;
    bool filtered = false;  ///< filtered_gpu is up to date for filtered_t
    std::vector<std::size_t> filtered_index;
    // Per frame (draw_map_overlays): a dense point layer is drawn smaller and unlabelled.
    bool dense = false;
    float draw_symbol_px = 28.0f;
    std::size_t max_symbols = static_cast<std::size_t>(-1);
    std::string export_path;  ///< Layers panel: where to export it as GeoJSON
};

/// A message for the Messages panel.
struct Message {
    enum class Level { Info, Warning, Error } level = Level::Info;
    std::string text;
};

/// The application: window, panels, map canvas. The planner's session (layers, styles,
/// runs, form values, view, undo) is mp::session::Session; this class mirrors it on the
/// GPU, draws it and forwards the user's edits to it. All planning work happens in
/// mp::core and the plugins.
class App {
public:
    explicit App(Options opts);
    ~App();
    App(const App&) = delete;
    App& operator=(const App&) = delete;
    App(App&&) = delete;
    App& operator=(App&&) = delete;

    /// Runs until the window closes (or, headless, until the screenshot is written).
    /// Returns the process exit code.
    int run();

private:
    // app.cpp
    void init_window();
    void frame();
    void draw_map_canvas();
    void draw_map_overlays(const std::array<float, 2>& origin);
    void handle_map_input(const std::array<float, 2>& origin, bool hovered);
    void render_map(int fb_width, int fb_height);
    void fit_default_view();
    void fit_extent_lonlat(double min_lon, double min_lat, double max_lon, double max_lat);
    void set_display_crs(const std::string& crs);
    /// Writes the back buffer as PNG: the whole window, or (map_only) the map canvas.
    bool write_screenshot(const std::string& path, bool map_only = false);
    void write_view_dump(const std::string& path) const;
    void select_feature(int layer, long feature);
    // cursor_readout.cpp
    /// The readout lines of the shown result rasters under the cursor (m_cursor_readout).
    void update_cursor_readout();
    /// The readout as a tooltip beside the mouse, when there is one.
    void draw_cursor_tooltip() const;
    /// Headless --cursor: the mouse is moved over that point before each frame.
    void place_headless_cursor();
    void rebuild_selection_highlight();

    // panels.cpp
    void draw_menu_bar();
    void draw_layers_panel();
    void draw_inspector_panel();
    void draw_messages();
    void draw_status_bar();
    void draw_search();
    void add_source(const std::string& source);
    void rebuild_catalogue();
    /// Undo (redo) the last session edit, with a message saying what.
    void undo();
    void redo();
    int plugin_count() const;

    // plugins_panel.cpp
    void init_plugins();
    void draw_plugins_panel();
    void draw_results_panel();
    ParamForms::Env form_env();
    void start_run(const std::string& plugin_id);
    void poll_run();
    void add_run_result(const std::string& plugin_id, nlohmann::json params, plugin::RunResult r);
    bool pick_for_plugin(double display_x, double display_y);
    /// (Re)uploads a run's rasters for the current display CRS.
    void upload_rasters(RunRecord& rec);
    void draw_raster_legend(ImDrawList* dl, float left, float right, float bottom, float top);
    /// The boxes (x0, y0, x1, y1) of the visible rasters' legends, in run and raster order.
    std::vector<std::array<float, 4>> raster_legend_boxes(float left, float right, float bottom, float top) const;
    /// Width and total height of the raster legends drawn (labels keep clear of them).
    std::array<float, 2> raster_legends_size(float canvas_w, float canvas_h) const;
    void upload_raster(RunRecord& rec, std::size_t index);
    void draw_table(RunRecord& rec, std::size_t index);
    void draw_raster_entry(RunRecord& rec, std::size_t index);
    void draw_movement_control(MovementControl& mc);
    void draw_chart_window();
    /// Finds the movements layers of a new run and sets up their time sliders.
    void init_movements(RunRecord& rec);
    /// Advances playing sliders and redraws the movements layers whose time changed.
    void update_movements();
    /// The GPU layer drawn for a map layer (its filtered copy for a movements layer) and
    /// the data index of that copy's feature i.
    map::MapRenderer::LayerId drawn_gpu(const MapLayer& l) const { return l.times ? l.filtered_gpu : l.gpu; }
    static std::size_t data_index(const MapLayer& l, std::size_t i) {
        return l.times && i < l.filtered_index.size() ? l.filtered_index[i] : i;
    }

    // scenario.cpp
    /// A new session: the default data (unless --no-default-data) and the --data sources.
    void load_initial_data();
    /// Makes a loaded session the current one: display CRS, view, GPU mirror, messages.
    void apply_loaded(session::Loaded loaded);
    void save_scenario(const std::string& path);
    void open_scenario(const std::string& path);
    void autosave_tick();
    static std::string autosave_path();
    /// Rebuilds the GPU mirror (m_layers, m_runs) and the form values from the session
    /// when it changed since the last call; keeps the GPU copies of unchanged layers.
    void sync_from_session();
    /// Hands the form values edited this frame to the session (defaults filled in by a
    /// form are no undo step).
    void push_forms_to_session();
    /// Records the current view and display CRS in the session (before saving).
    void sync_view_to_session();
    /// Frees the GPU copies of every layer and raster (before another session replaces it).
    void clear_mirror();
    void update_window_title();

public:
    void info(std::string text);
    void warn(std::string text);
    void error(std::string text);

private:
    Options m_opts;
    GLFWwindow* m_window = nullptr;
    std::unique_ptr<map::MapRenderer> m_renderer;
    std::vector<MapLayer> m_layers;  // draw order: first is drawn first (bottom)
    sites::Catalogue m_catalogue;
    std::string m_display_crs;
    std::unique_ptr<geo::Transformer> m_to_display;    // EPSG:4326 -> display
    std::unique_ptr<geo::Transformer> m_to_lambert72;  // EPSG:4326 -> EPSG:31370
    map::ViewTransform m_view;
    bool m_view_initialised = false;
    std::array<float, 4> m_canvas{0, 0, 1, 1};  // x, y, w, h in ImGui (window) coordinates
    bool m_dragging = false;
    std::array<float, 2> m_press_pos{0, 0};

    // Selection and inspector.
    int m_sel_layer = -1;
    long m_sel_feature = -1;
    map::MapRenderer::LayerId m_sel_gpu = 0;
    std::string m_search;
    std::string m_add_source;
    std::string m_scenario_path;  // the Layers panel's scenario field (Save/Open)

    // The session and its mirror.
    session::Session m_session;
    session::ScenarioWriter m_writer;
    std::uint64_t m_synced_revision = 0;
    std::string m_window_title;

    // Messages, status.
    std::deque<Message> m_messages;
    bool m_show_messages = true;
    double m_frame_ms = 0, m_map_ms = 0;
    std::vector<double> m_frame_times_ms;  // headless: every frame's time (for --dump-view)
    std::optional<std::array<double, 2>> m_cursor_lonlat;
    std::string m_cursor_mgrs, m_cursor_lambert;
    std::vector<std::array<float, 4>> m_legend_boxes;  ///< the raster legends drawn last frame (window pixels)
    std::vector<std::string> m_cursor_readout;         ///< "raster: value" of each shown raster under the cursor
    /// WGS84 -> a raster's CRS, by CRS (the readout's cell lookup).
    std::map<std::string, std::unique_ptr<geo::Transformer>> m_readout_transformers;
    int m_frame_count = 0;

    // Autosave.
    std::chrono::steady_clock::time_point m_last_autosave{};
    bool m_headless = false;
    bool m_history_replayed = false;  // headless: --undo/--redo done
    // Plugins.
    std::unique_ptr<plugin::Registry> m_registry;
    std::unique_ptr<PluginJob> m_job;
    std::vector<RunRecord> m_runs;  // mirror of the session's runs, in order
    ParamForms m_forms;             // plugin forms: UI state (pick waiting for a click, file browser, ...)
    std::string m_export_png;
    std::optional<std::pair<std::uint64_t, std::size_t>> m_chart_window;  ///< run id, table index shown enlarged
    bool m_chart_window_opened = false;                                   ///< --chart-window done
    std::string m_pending_png;                                            // written after the next frame is drawn
    bool m_run_failed = false;     ///< a plugin run failed (headless exit code 4)
    std::string m_last_run_error;  ///< shown beside the Run button until the next run
    /// The forms' working copy of the session's form values (plugin id -> key -> form
    /// state, map::form_value): the forms edit it, push_forms_to_session() hands changes
    /// to the session.
    nlohmann::json m_plugin_params = nlohmann::json::object();
};

/// Formats a WGS84 position as MGRS at 1 m precision ("31U ES 12345 67890"); "" outside
/// MGRS coverage.
std::string format_mgrs(double lon, double lat);

}  // namespace mp::gui
