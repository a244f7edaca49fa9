// SPDX-License-Identifier: MIT
// scenario run, scenario info: a saved session re-run headless, and what a scenario holds.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli_common.hpp"
#include "mp/core/error.hpp"
#include "mp/plugin/result.hpp"
#include "mp/session/scenario.hpp"

namespace fs = std::filesystem;

namespace mp::cli {

namespace {

// How bad an exit code is, for "the worst code wins" over several runs: a cancel stops
// everything, an I/O failure loses results, a plugin that broke is worse than a scenario
// whose input it rejected, and "no feasible answer" is still an answer.
int severity(int code) {
    switch (code) {
        case kOk: return 0;
        case kInfeasible: return 1;
        case kInput: return 2;
        case kPlugin: return 3;
        case kRuntime: return 4;
        case kCancelled: return 5;
        default: return 4;
    }
}

int worse(int a, int b) { return severity(b) > severity(a) ? b : a; }

// "plan.scenario.json" -> "plan.runs" (beside it); "plan.json" -> "plan.runs".
fs::path default_runs_dir(const std::string& scenario) {
    std::string name = fs::path(scenario).filename().string();
    for (const char* ext : {".json", ".scenario"})
        if (name.size() > std::strlen(ext) && name.compare(name.size() - std::strlen(ext), std::string::npos, ext) == 0)
            name.resize(name.size() - std::strlen(ext));
    return fs::path(scenario).parent_path() / (name + ".runs");
}

// A plugin id as part of a file name: letters, digits, '.', '_' and '-' only.
std::string file_safe(const std::string& id) {
    std::string out;
    for (unsigned char c : id) out += std::isalnum(c) || c == '.' || c == '_' || c == '-' ? static_cast<char>(c) : '_';
    return out.empty() || out[0] == '.' ? "_" + out : out;
}

// Removes the files an earlier `scenario run` wrote for this run (<stem>.geojson and the
// tables and rasters beside it), so that a run that fails now leaves no stale result.
void remove_stale(const fs::path& dir, const std::string& stem) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (e.is_regular_file(ec) && name.rfind(stem + ".", 0) == 0) fs::remove(e.path(), ec);
    }
}

void print_notices(const std::vector<session::Notice>& notices) {
    for (const auto& n : notices) {
        const char* level = n.level == session::Notice::Level::Error     ? "error"
                            : n.level == session::Notice::Level::Warning ? "warning"
                                                                         : "info";
        std::cerr << level << ": " << redact_secrets(n.text) << "\n";
    }
}

std::string plural(std::size_t n, const char* what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); }

struct RunOptionsCli {
    std::string out;
    bool in_process = false, isolated = false;
    double timeout_s = 0;
};

int cmd_scenario_run(Context& ctx, const std::string& file, const RunOptionsCli& o) {
    const session::Scenario sc = session::read_scenario(file, false);
    print_notices(sc.notes);
    if (sc.runs.empty()) {
        std::cerr << "scenario " << file << " records no plugin runs: nothing to run\n";
        return kOk;
    }
    session::LoadOptions lo;
    lo.with_runs = false;
    session::Loaded loaded = session::load(sc, lo);
    print_notices(loaded.notices);
    // A batch re-run must not give other answers silently: data that did not load (a
    // missing file, a database down) stops it before any run.
    if (std::any_of(loaded.notices.begin(), loaded.notices.end(),
                    [](const session::Notice& n) { return n.level == session::Notice::Level::Error; }))
        throw InputError("the scenario's data did not load (see above); nothing was run", file);
    session::State state = std::move(loaded.state);

    const fs::path dir = o.out.empty() ? default_runs_dir(file) : fs::path(o.out);
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) throw UsageError("not a folder", "--out " + dir.string());
    fs::create_directories(dir, ec);
    if (ec) throw Error("cannot create the output folder: " + ec.message(), dir.string());

    auto& reg = ctx.registry();
    int worst = kOk;
    std::size_t ok = 0;
    for (std::size_t i = 0; i < sc.runs.size(); ++i) {
        const auto& run = sc.runs[i];
        const std::string n = std::to_string(i + 1);
        const std::string stem = n + "-" + file_safe(run.plugin_id);
        const fs::path out = dir / (stem + ".geojson");
        nlohmann::json params = run.params;
        if (run.params_from_form)
            if (const auto* info = reg.find(run.plugin_id)) params = session::params_from_form(info->params, params);
        plugin::RunOptions opts;
        opts.mode = o.in_process ? plugin::RunOptions::Mode::InProcess
                    : o.isolated ? plugin::RunOptions::Mode::Isolated
                                 : plugin::RunOptions::Mode::Auto;
        opts.timeout_s = o.timeout_s;
        std::cerr << "run " << n << "/" << sc.runs.size() << ": " << run.plugin_id << " "
                  << redact_secrets(params.dump()) << "\n";
        int code = kOk;
        std::string why;
        plugin::RunResult r;
        try {
            r = run_with_progress(reg, run.plugin_id, params, session::workspace(state), opts);
            code = report_run(r, run.plugin_id);
            if (code != kOk) why = r.error;
        } catch (const UsageError& e) {
            // Bad parameters: in a scenario file that is bad input, not a mistyped option.
            code = kInput;
            why = e.what();
            std::cerr << "error: " << redact_secrets(why) << " (run " << n << " of " << file << ")\n";
        } catch (const PluginError& e) {
            code = kPlugin;
            why = e.what();
            std::cerr << "error: " << redact_secrets(why) << " (run " << n << " of " << file << ")\n";
        }
        remove_stale(dir, stem);
        if (code == kOk) {
            try {
                for (const auto& p : plugin::write_results(r, out.string())) std::cerr << "wrote " << p << "\n";
            } catch (const std::exception& e) {
                code = kRuntime;
                why = e.what();
                std::cerr << "error: " << redact_secrets(why) << "\n";
            }
        }
        if (code == kOk) {
            ++ok;
            std::size_t features = 0;
            for (const auto& l : r.layers) features += l.layer.features.size();
            std::cout << n << " " << run.plugin_id << ": ok, " << plural(r.layers.size(), "layer") << " ("
                      << plural(features, "feature") << "), " << plural(r.tables.size(), "table") << ", "
                      << plural(r.rasters.size(), "raster") << " in " << plugin::format_seconds(r.seconds)
                      << (r.isolated ? " (isolated)" : "") << " -> " << out.string() << "\n";
            // Later runs see this one's layers, as they did in the session (those the
            // planner had removed stay away).
            const auto id =
                session::add_run(state, run.plugin_id, params, std::make_shared<const plugin::RunResult>(std::move(r)));
            const auto& made = state.find_run(id)->layers;
            for (std::size_t k = 0; k < made.size() && k < run.layers.size(); ++k)
                if (!run.layers[k].present)
                    std::erase_if(state.layers, [&](const session::LayerState& l) { return l.name == made[k]; });
        } else {
            std::string line = redact_secrets(why);
            std::replace(line.begin(), line.end(), '\n', ' ');
            std::cout << n << " " << run.plugin_id << ": failed (exit " << code << "): " << line << "\n";
        }
        std::cout << std::flush;
        worst = worse(worst, code);
        if (code == kCancelled) break;
    }
    std::cerr << "scenario " << file << ": " << ok << " of " << plural(sc.runs.size(), "run") << " ok, results in "
              << dir.string() << "\n";
    return worst;
}

std::string hex(const session::Rgba& c) {
    char buf[16];
    auto b = [](float v) { return static_cast<unsigned>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255)); };
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", b(c[0]), b(c[1]), b(c[2]));
    return buf;
}

int cmd_scenario_info(const std::string& file) {
    const session::Scenario sc = session::read_scenario(file);
    std::cout << "scenario " << file << ": format version " << sc.version_read
              << (sc.version_read < session::kScenarioVersion
                      ? " (migrated to " + std::to_string(session::kScenarioVersion) + " when saved)"
                      : std::string())
              << "\n";
    std::cout << "default data: " << (sc.default_data ? "yes" : "no") << "\n";
    for (const auto& s : sc.sources) std::cout << "source: " << redact_secrets(s) << "\n";
    std::cout << "view: " << sc.view.display_crs;
    if (sc.view.placed) {
        std::ostringstream os;
        os << ", centre " << sc.view.center_lon << ", " << sc.view.center_lat << " (lon, lat), "
           << sc.view.units_per_pixel << " units/pixel";
        std::cout << os.str();
    }
    std::cout << "\n\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& l : sc.layers) {
        std::ostringstream style;
        if (l.stroke) style << hex(*l.stroke);
        if (l.width_px) style << (style.tellp() > 0 ? " " : "") << *l.width_px << " px";
        if (l.opacity && *l.opacity < 1) style << " opacity " << *l.opacity;
        rows.push_back({l.name, l.visible && !*l.visible ? "hidden" : "shown",
                        l.labels && *l.labels ? "labels: " + l.label_field.value_or("") : "", style.str(),
                        redact_secrets(l.source)});
    }
    for (const auto& name : sc.removed_layers) rows.push_back({name, "removed", "", "", ""});
    if (!rows.empty()) print_table({"LAYER", "ON MAP", "LABELS", "STYLE", "SOURCE"}, rows);
    std::cout << plural(sc.layers.size(), "layer") << ", " << sc.removed_layers.size() << " removed\n\n";
    rows.clear();
    for (const auto& r : sc.runs) {
        std::size_t present = 0;
        for (const auto& l : r.layers) present += l.present;
        const std::string result =
            !r.result ? "no result saved"
                      : plural(r.result->layers.size(), "layer") + ", " + plural(r.result->tables.size(), "table") +
                            ", " + plural(r.result->rasters.size(), "raster") + " (" + std::to_string(present) + "/" +
                            std::to_string(r.layers.size()) + " map layers shown)";
        std::string params = redact_secrets(r.params.dump());
        if (params.size() > 80) params = params.substr(0, 77) + "...";
        rows.push_back({std::to_string(r.id), r.plugin_id, result, (r.params_from_form ? "form: " : "") + params});
    }
    if (!rows.empty()) print_table({"RUN", "PLUGIN", "RESULT", "PARAMETERS"}, rows);
    std::cout << plural(sc.runs.size(), "plugin run") << "\n";
    std::vector<std::string> forms;
    for (const auto& [id, values] : sc.plugin_params.items())
        forms.push_back(id + " (" + std::to_string(values.size()) + ")");
    if (!forms.empty()) {
        std::cout << "form values:";
        for (const auto& f : forms) std::cout << " " << f;
        std::cout << "\n";
    }
    print_notices(sc.notes);
    return kOk;
}

}  // namespace

void register_scenario_commands(CLI::App& app, Context& ctx) {
    auto* scenario = app.add_subcommand("scenario", "Saved planner sessions (scenario files, docs/scenario.md)");
    scenario->require_subcommand(1);

    auto* run = scenario->add_subcommand(
        "run", "Run a scenario's plugin runs again headless and write each run's results into a folder");
    add_plugin_dir_option(*run, ctx);
    static std::string run_file;
    static RunOptionsCli o;
    run->add_option("FILE", run_file, "Scenario file (.scenario.json)")->required();
    run->add_option("--out,-o", o.out,
                    "Folder for the results: <n>-<plugin>.geojson, tables and rasters beside "
                    "(default: <scenario>.runs beside the scenario)");
    auto* ip = run->add_flag("--in-process", o.in_process, "Run the plugins inside this process");
    auto* iso = run->add_flag("--isolated", o.isolated, "Run the plugins in a separate plugin-host process");
    ip->excludes(iso);
    run->add_option("--timeout", o.timeout_s, "Give each run up after this many seconds (0: no limit)")
        ->check(CLI::Range(0.0, 1e9));
    run->callback([&ctx] { ctx.action = [&ctx] { return cmd_scenario_run(ctx, run_file, o); }; });

    auto* info = scenario->add_subcommand("info", "What a scenario file holds: data, layers, runs, view");
    static std::string info_file;
    info->add_option("FILE", info_file, "Scenario file (.scenario.json)")->required();
    info->callback([&ctx] { ctx.action = [] { return cmd_scenario_info(info_file); }; });
}

}  // namespace mp::cli
