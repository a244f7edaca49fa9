// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mp/plugin/schema.hpp"
#include "mp/session/session.hpp"

namespace mp::session {

/// The scenario file format this program writes (docs/scenario.md). Version 1 files
/// (enablement-gui before the session moved to the core) are migrated when read.
constexpr int kScenarioVersion = 2;
/// The "format" discriminator of a scenario file.
constexpr std::string_view kScenarioFormat = "enablement-scenario";
/// The "format" discriminator of the results file beside a scenario.
constexpr std::string_view kResultsFormat = "enablement-results";

/// A message for the planner from reading or loading a scenario.
struct Notice {
    enum class Level { Info, Warning, Error };
    Level level = Level::Info;
    std::string text;
};

/// One layer as a scenario file lists it: its name and whatever style it records. A
/// field the file leaves out keeps the layer's default when the scenario is loaded.
struct SavedLayer {
    std::string name;
    std::string source;
    std::optional<Rgba> stroke, fill;
    std::optional<float> width_px, opacity, fill_opacity, symbol_size_px;
    std::optional<bool> visible, labels;
    std::optional<std::string> label_field;
};

/// One plugin run as a scenario file records it.
struct SavedRun {
    std::uint64_t id = 0;  ///< unique within the file, > 0
    std::string plugin_id;
    nlohmann::json params = nlohmann::json::object();  ///< as plugin::Registry::run takes them
    /// True when params are the plugin's form values rather than what the run was given
    /// (version 1 files did not record a run's parameters): see params_from_form().
    bool params_from_form = false;
    /// The result read from the results file; null when it is not available there.
    std::shared_ptr<const plugin::RunResult> result;
    /// The run's map layers: name ("" in migrated version 1 files, which kept only the
    /// order) and whether it is still on the map.
    struct Output {
        std::string name;
        bool present = true;
    };
    std::vector<Output> layers;
};

/// The content of a scenario file in the current version, whatever version it was read
/// from: what load() turns back into a State.
struct Scenario {
    int version_read = kScenarioVersion;  ///< the file's "version" (1: it was migrated)
    bool default_data = true;
    std::vector<std::string> sources;
    std::vector<SavedLayer> layers;  ///< draw order, bottom first
    std::vector<std::string> removed_layers;
    std::vector<SavedRun> runs;
    nlohmann::json plugin_params = nlohmann::json::object();  ///< plugin id -> {key: value}
    View view;
    /// What reading it noticed without failing: the migration from version 1 (Info), a
    /// missing or bad results file (Warning: its runs lose their results only).
    std::vector<Notice> notes;
};

/// Parses the JSON text of a scenario file; where names it in errors (a path). Migrates
/// version 1. Runs get no results (see read_scenario). Throws mp::InputError naming
/// where and what is wrong: not JSON, not a scenario, a version newer than
/// kScenarioVersion ("... is version 3; this program reads versions 1 to 2"), a field of
/// the wrong type or out of range (with its JSON path, e.g. "layers[2].stroke").
Scenario parse_scenario(std::string_view text, const std::string& where);

/// Reads a scenario file and, when it names one, the results file beside it. A missing
/// or malformed results file is a note, not an error: the runs keep their parameters.
/// with_results false leaves the results file of a version 2 scenario unread (a re-run
/// needs only the parameters); a version 1 file keeps its runs there, so it is read.
/// Throws mp::InputError as parse_scenario, and when the file cannot be read.
Scenario read_scenario(const std::string& path, bool with_results = true);

/// The results file that goes with a scenario: "x.scenario.json" ->
/// "x.scenario.results.json" ("x" -> "x.results.json").
std::string results_path_for(const std::string& scenario_path);

/// A state as a scenario (what save writes).
Scenario to_scenario(const State& s);

/// The scenario file's JSON text (version kScenarioVersion), naming results_file (a
/// file name beside it) when any run has a result. Connection-string passwords are left
/// out of every source and parameter (io::strip_secrets).
std::string scenario_json(const Scenario& sc, const std::string& results_file);

/// The results file's JSON text: every run's result, by run id.
std::string results_json(const Scenario& sc);

/// Writes a scenario (and its results file beside it, or removes a stale one when no
/// run has a result) atomically with mode 0600. Throws mp::Error.
void write_scenario(const std::string& path, const Scenario& sc);

/// Writes a session's scenario again and again (Save, the autosave) without rewriting
/// what did not change: the results file is written only when the runs changed since
/// this writer last wrote it there, and (unless forced) the scenario file only when its
/// text changed.
class ScenarioWriter {
public:
    /// Writes s to path as write_scenario would. Returns false when nothing needed
    /// writing. Throws mp::Error (then the next call writes again).
    bool write(const std::string& path, const State& s, bool force = true);

private:
    struct Written {
        std::string scenario_text;
        std::vector<std::shared_ptr<const plugin::RunResult>> results;  // kept alive: identity is the key
        std::vector<std::uint64_t> run_ids;
    };
    std::map<std::string, Written> m_written;
};

/// How to load a scenario's data.
struct LoadOptions {
    /// Leave the embedded default data out even when the scenario wants it.
    bool no_default_data = false;
    /// Sources to load besides the scenario's (--data), unless it names them already.
    std::vector<std::string> extra_sources;
    /// Restore the runs with their results and layers. False: the state gets only the
    /// data layers (the runs are left out), as `enablement scenario run` wants before it
    /// runs them again.
    bool with_runs = true;
};

/// A loaded scenario: the state and what the planner should be told.
struct Loaded {
    State state;
    std::vector<Notice> notices;
};

/// Loads the data a scenario names as the GUI does: the default data (unless left out),
/// each source (a source that fails to load is an Error notice, not an exception: the
/// rest still loads), the runs with their result layers, then the scenario's layer order
/// and styles by name (layers it does not list go to their natural place), and drops
/// the removed layers and the result layers no longer on the map.
Loaded load(const Scenario& sc, const LoadOptions& opts = {});

/// The parameters a version 1 run most likely had, from the plugin's form values:
/// empty text left out (unset), and text lists split into items at ';' (and at ',' for
/// items that are not lon,lat pairs), as that GUI did before it ran a plugin. defs is
/// the plugin's parameter schema (plugin::PluginInfo::params).
nlohmann::json params_from_form(const std::vector<plugin::ParamDef>& defs, const nlohmann::json& form);

}  // namespace mp::session
