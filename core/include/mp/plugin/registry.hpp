// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mp/core/progress.hpp"
#include "mp/plugin/result.hpp"
#include "mp/plugin/schema.hpp"

namespace mp::data {
struct Workspace;
}

namespace mp::plugin {

/// Where a plugin folder comes from, in search order.
enum class Origin { BuiltIn, User, CommandLine, Environment };
std::string_view origin_name(Origin o);

struct PluginFolder {
    std::string path;
    Origin origin;
};

/// A plugin file found in a folder: loaded, or refused with the reason.
struct PluginInfo {
    std::string id;
    std::string name;
    std::string version;
    std::string description;
    std::string file;
    Origin origin = Origin::BuiltIn;
    std::string abi;      ///< "1.0" as the plugin reports it ("" when unknown)
    bool loaded = false;  ///< accepted (in this process, or probed in a plugin host)
    /// Checked out of process (third-party plugins): its code has not run in this
    /// process, and will only if a run asks for --in-process.
    bool probed = false;
    /// Why it was refused, when !loaded, e.g. "built for ABI 2.0; host supports 1.0".
    /// Leaves out the id and file, which are shown beside it (see refusal_message).
    std::string refusal;
    std::vector<ParamDef> params;
    /// Keys the plugin no longer takes (MpParamDef.replaced_by): a value for one is
    /// refused with what replaced it. Not in params, so forms and listings never show them.
    std::vector<ParamDef> retired;
};

/// One line for a refused plugin: "plugin 'x' was refused: <refusal>" (the file is the
/// where; PluginError(refusal_message(i), i.file) says both).
std::string refusal_message(const PluginInfo& info);

/// A duration for messages: "2 s", "0.35 s", "1.5 s" (at most two decimals), "0.042 s"
/// below 0.1 s (two significant digits).
std::string format_seconds(double s);

/// How to run a plugin.
struct RunOptions {
    enum class Mode { Auto, InProcess, Isolated };
    /// Auto: in-process for built-in plugins, isolated for all others.
    Mode mode = Mode::Auto;
    /// Wall-clock limit in seconds (0: none). An isolated plugin past it is killed.
    double timeout_s = 0;
    /// After a cancel, how long a plugin may take to stop before it is abandoned
    /// (in-process) or killed (isolated).
    double cancel_grace_s = 3;
    /// The plugin-host executable; empty: enablement-plugin-host beside this program.
    std::string host_executable;
};

/// The folder of the running executable (via /proc/self/exe).
std::string executable_dir();

/// The plugin folders in search order: the built-in folder next to the executables
/// (../plugins and ../lib/enablement/plugins), the user folder
/// ($XDG_DATA_HOME/enablement/plugins), each extra_dirs entry, then every entry of
/// ENABLEMENT_PLUGIN_PATH (':'-separated). Never the working directory.
std::vector<PluginFolder> default_folders(const std::vector<std::string>& extra_dirs);

/// How a Registry finds and checks plugins.
struct RegistryOptions {
    /// The plugin-host executable for probes; empty: enablement-plugin-host beside this program.
    std::string host_executable;
    /// A third-party plugin that takes longer than this to load (dlopen, entry, init) is refused.
    double probe_timeout_s = 10;
    /// Keep probe answers in the cache folder, keyed by the file's identity.
    bool probe_cache = true;
};

/// What discover() did for third-party plugins (for tests and `plugins --verbose`).
struct ProbeStats {
    std::size_t spawned = 0;  ///< plugin-host processes started
    std::size_t cached = 0;   ///< answers taken from the probe cache
};

/// Where probe answers are kept: $ENABLEMENT_CACHE_DIR/plugin-probes, else
/// $XDG_CACHE_HOME/enablement/plugin-probes (absolute paths only), else
/// ~/.cache/enablement/plugin-probes; empty when none can be found.
std::string probe_cache_dir();

/// Loads plugins and runs them. A bad plugin is refused with a reason and never stops
/// the others from loading. Built-in plugins are loaded into this process; every other
/// plugin is first probed in a plugin-host process (its constructors, entry point and
/// init run there), so one that crashes or hangs while loading is refused without
/// taking this process down. Probe answers are cached by file identity.
class Registry {
public:
    explicit Registry(RegistryOptions options = {});
    ~Registry();
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    /// Loads every *.so of each folder. Missing built-in and user folders are skipped
    /// silently; a missing --plugin-dir or ENABLEMENT_PLUGIN_PATH folder is skipped with
    /// a warning (see warnings()).
    void discover(const std::vector<PluginFolder>& folders);
    /// Problems found by discover() that refused no plugin, e.g. "plugin folder does not
    /// exist (--plugin-dir /x)", in the order found.
    const std::vector<std::string>& warnings() const noexcept { return m_warnings; }
    /// Loads one file into this process; the returned info says whether it was accepted.
    const PluginInfo& load_file(const std::string& path, Origin origin);
    /// Checks one file in a plugin-host process (or from the probe cache) without
    /// loading it here; the returned info says whether it was accepted.
    const PluginInfo& probe_file(const std::string& path, Origin origin);
    const ProbeStats& probe_stats() const noexcept { return m_probe_stats; }

    const std::vector<PluginInfo>& plugins() const noexcept { return m_infos; }
    /// A loaded plugin by id, or nullptr.
    const PluginInfo* find(const std::string& id) const;
    std::size_t loaded_count() const;

    /// Validates raw parameters (see validate_params) and runs the plugin. Throws
    /// mp::PluginError for an unknown or refused plugin and mp::UsageError for bad
    /// parameters; every outcome of the run itself (error, cancel, crash, timeout) is
    /// in the returned RunResult.
    RunResult run(const std::string& id, const nlohmann::json& raw_params, const data::Workspace& ws,
                  Progress& progress, const RunOptions& opts = {});

    /// Loads a plugin file in this process and describes it as JSON (what a probe sends
    /// back): what the plugin host does for probe_file().
    static nlohmann::json probe_here(const std::string& file);

    /// Runs a plugin file in this process on validated parameters: what the isolated
    /// plugin host does in its own process.
    static RunResult run_in_process(const std::string& file, const ParamValues& params, const data::Workspace& ws,
                                    Progress& progress, const RunOptions& opts);

private:
    struct Loaded;
    /// Loads a probed plugin into this process for an in-process run; throws PluginError.
    void load_in_process(Loaded& l);
    RegistryOptions m_options;
    ProbeStats m_probe_stats;
    std::vector<void*> m_kept_handles;  // refused libraries whose code ran: never unloaded
    std::vector<PluginInfo> m_infos;
    std::vector<std::string> m_warnings;
    std::vector<std::unique_ptr<Loaded>> m_loaded;  // parallel to accepted infos
};

/// The id of the plugin whose in-process run this process is waiting for right now, or
/// "" when none is. A plugin that calls exit() during its run ends the program from the
/// worker thread; an atexit handler uses this to tell that from the program's own exit
/// (the CLI then reports it and exits with its plugin-failure code, not 0).
std::string in_process_run_plugin();

}  // namespace mp::plugin
