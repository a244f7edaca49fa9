// SPDX-License-Identifier: MIT
// plugins, run: list plugins and run one with validated parameters.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <set>

#include "cli_common.hpp"
#include "mp/core/error.hpp"
#include "mp/core/utf8.hpp"
#include "mp/io/ogr_io.hpp"
#include "mp/plugin/result.hpp"

namespace mp::cli {

namespace {

// Progress on stderr: a bar when stderr is a terminal, nothing otherwise (logs stay clean).
class TerminalProgress : public Progress {
public:
    explicit TerminalProgress(bool tty) : m_tty(tty) {}
    ~TerminalProgress() override { finish(); }
    void report(double fraction, std::string_view stage) override {
        if (!m_tty) return;
        std::lock_guard lock(m_mu);
        const int width = 30;
        const int filled = static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * width));
        std::string s(stage.substr(0, 40));
        std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, ' ') << "] " << std::setw(3)
                  << static_cast<int>(fraction * 100) << "% " << s << std::string(40 - s.size(), ' ') << std::flush;
        m_drawn = true;
    }
    void finish() {
        std::lock_guard lock(m_mu);
        if (m_drawn) std::cerr << "\r" << std::string(80, ' ') << "\r" << std::flush;
        m_drawn = false;
    }

private:
    bool m_tty;
    bool m_drawn = false;
    std::mutex m_mu;
};

Progress* g_active_progress = nullptr;
// The handler before the run's (main's, which removes temporary files in flight).
void (*g_previous_sigint)(int) = nullptr;

extern "C" void on_sigint(int sig) {
    // First Ctrl-C asks the plugin to stop; a second one ends the program at once.
    if (g_active_progress && !g_active_progress->cancelled()) {
        g_active_progress->cancel();
    } else if (g_previous_sigint) {
        g_previous_sigint(sig);  // removes temporary files, then dies of SIGINT
    } else {
        signal(SIGINT, SIG_DFL);
        raise(SIGINT);
    }
}

void print_plain_table(const plugin::Table& t, std::ostream& os) {
    std::vector<std::string> header;
    for (const auto& c : t.columns) header.push_back(c.unit.empty() ? c.name : c.name + " [" + c.unit + "]");
    std::vector<std::vector<std::string>> rows;
    for (std::size_t r = 0; r < t.rows(); ++r) {
        std::vector<std::string> row;
        for (const auto& c : t.columns) row.push_back(c.cell(r));
        rows.push_back(std::move(row));
    }
    print_table(header, rows, os);
}

int cmd_plugins(Context& ctx, const std::string& format) {
    auto& reg = ctx.registry();
    if (format == "json") {
        nlohmann::json arr = nlohmann::json::array();
        for (const auto& p : reg.plugins()) {
            nlohmann::json j{{"id", p.id},           {"name", p.name},
                             {"version", p.version}, {"description", p.description},
                             {"file", p.file},       {"origin", plugin::origin_name(p.origin)},
                             {"abi", p.abi},         {"status", p.loaded ? "loaded" : "refused"}};
            if (!p.loaded) j["reason"] = p.refusal;
            if (p.loaded) j["params"] = plugin::schema_to_json(p.params);
            if (p.loaded && !p.retired.empty()) j["retired"] = plugin::schema_to_json(p.retired);
            arr.push_back(std::move(j));
        }
        std::cout << arr.dump(2) << "\n";
        return kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : reg.plugins())
        rows.push_back({p.id.empty() ? "-" : p.id, p.version.empty() ? "-" : p.version,
                        std::string(plugin::origin_name(p.origin)), p.loaded ? "loaded" : "refused: " + p.refusal,
                        p.file});
    print_table({"ID", "VERSION", "FROM", "STATUS", "FILE"}, rows);
    std::cout << reg.loaded_count() << " loaded, " << reg.plugins().size() - reg.loaded_count() << " refused\n";
    return kOk;
}

}  // namespace

void add_plugin_dir_option(CLI::App& cmd, Context& ctx) {
    // One value per occurrence: a repeatable option must not swallow the positionals after it.
    cmd.add_option("--plugin-dir", ctx.plugin_dirs, "Also load plugins from this folder (repeatable)")
        ->allow_extra_args(false);
}

std::string name_options(std::string text, const std::vector<std::pair<std::string, std::string>>& names) {
    for (const auto& [key, option] : names) {
        const std::string head = "parameter '" + key;
        for (std::size_t at = text.find(head); at != std::string::npos; at = text.find(head, at)) {
            std::size_t end = at + head.size();
            std::string replacement = option;
            if (end < text.size() && text[end] == '[') {  // a list item: "parameter 'via[1]'"
                const std::size_t close = text.find(']', end);
                if (close == std::string::npos) break;
                const std::string index = text.substr(end + 1, close - end - 1);
                if (index.empty() || index.find_first_not_of("0123456789") != std::string::npos || index.size() > 6) {
                    at = end;
                    continue;
                }
                replacement += " " + std::to_string(std::stoul(index) + 1);
                end = close + 1;
            }
            if (end >= text.size() || text[end] != '\'') {  // another key with this prefix
                at = end;
                continue;
            }
            text.replace(at, end + 1 - at, replacement);
            at += replacement.size();
        }
    }
    return text;
}

namespace {

// What an in-process plugin prints on stdout while it runs: captured through a pipe and
// handed back as messages, so stdout carries only results (`run ... --out -` stays a
// clean FeatureCollection). An isolated run captures its plugin's output itself.
class StdoutCapture {
public:
    StdoutCapture() {
        std::cout.flush();
        std::fflush(stdout);
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) return;
        m_saved = ::fcntl(1, F_DUPFD_CLOEXEC, 3);
        if (m_saved < 0 || ::dup2(fds[1], 1) < 0) {
            ::close(fds[0]), ::close(fds[1]);
            if (m_saved >= 0) ::close(m_saved), m_saved = -1;
            return;
        }
        ::close(fds[1]);
        m_reader = std::thread([this, fd = fds[0]] {
            char buf[4096];
            for (;;) {
                const ssize_t n = ::read(fd, buf, sizeof buf);
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) break;
                if (m_text.size() < (1u << 20)) m_text.append(buf, static_cast<std::size_t>(n));
            }
            ::close(fd);
        });
    }
    StdoutCapture(const StdoutCapture&) = delete;
    StdoutCapture& operator=(const StdoutCapture&) = delete;
    ~StdoutCapture() { stop(); }
    /// Restores stdout and returns what was printed, as lines.
    std::vector<std::string> stop() {
        std::vector<std::string> lines;
        if (m_saved < 0) return lines;
        std::cout.flush();
        std::fflush(stdout);
        ::dup2(m_saved, 1);  // the pipe's last writer closes: the reader sees its end
        ::close(m_saved);
        m_saved = -1;
        if (m_reader.joinable()) m_reader.join();
        std::size_t start = 0;
        while (start < m_text.size()) {
            std::size_t nl = m_text.find('\n', start);
            if (nl == std::string::npos) nl = m_text.size();
            lines.push_back(sanitize_utf8(std::string_view(m_text).substr(start, nl - start)));
            start = nl + 1;
        }
        return lines;
    }

private:
    int m_saved = -1;
    std::thread m_reader;
    std::string m_text;
};

}  // namespace

namespace {

// A plugin that calls exit() inside an in-process run would end the CLI with the
// plugin's status (exit(0): success, and no output). exit() runs the atexit handlers
// first, in the plugin's thread: this one, registered just before each run so that it
// runs before the handlers of everything set up earlier, turns that into a plugin
// failure. (_exit() or quick_exit() in a plugin cannot be caught; isolated runs contain
// every way out.)
extern "C" void exit_during_plugin_run() {
    const std::string id = plugin::in_process_run_plugin();
    if (id.empty()) return;
    std::fprintf(stderr,
                 "error: plugin '%s' called exit() during its run; its results are lost (in-process run; run it "
                 "--isolated to contain it)\n",
                 id.c_str());
    std::fflush(stderr);
    ::_exit(kPlugin);
}

void guard_exit_during_run() {
    static int registered = 0;
    // Each run registers again (so it stays late in the order), within atexit's limits.
    if (registered < 32 && std::atexit(exit_during_plugin_run) == 0) ++registered;
}

}  // namespace

plugin::RunResult run_with_progress(plugin::Registry& reg, const std::string& plugin_id, const nlohmann::json& params,
                                    const data::Workspace& ws, const plugin::RunOptions& opts) {
    guard_exit_during_run();
    StdoutCapture capture;
    TerminalProgress progress(::isatty(2) != 0);
    g_active_progress = &progress;
    struct sigaction sa {};
    sa.sa_handler = on_sigint;
    struct sigaction old {};
    sigaction(SIGINT, &sa, &old);
    g_previous_sigint = !(old.sa_flags & SA_SIGINFO) && old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN &&
                                old.sa_handler != on_sigint
                            ? old.sa_handler
                            : nullptr;
    plugin::RunResult r;
    try {
        r = reg.run(plugin_id, params, ws, progress, opts);
    } catch (...) {
        sigaction(SIGINT, &old, nullptr);
        g_active_progress = nullptr;
        throw;
    }
    sigaction(SIGINT, &old, nullptr);
    g_active_progress = nullptr;
    progress.finish();
    std::vector<plugin::Message> printed;
    for (auto& line : capture.stop()) printed.push_back({0, "plugin stdout: " + line});
    r.messages.insert(r.messages.begin(), printed.begin(), printed.end());
    return r;
}

int report_run(const plugin::RunResult& r, const std::string& plugin_id) {
    // A failed run's error already quotes the plugin's last error message: print it once,
    // in the final error line.
    const plugin::Message* quoted = nullptr;
    if (r.status != plugin::RunStatus::Ok)
        for (const auto& m : r.messages)
            if (m.level == 2 && r.error.find(m.text) != std::string::npos) quoted = &m;
    static const char* kLevel[] = {"info", "warning", "error"};
    for (const auto& m : r.messages)
        if (&m != quoted) std::cerr << kLevel[std::clamp(m.level, 0, 2)] << ": " << redact_secrets(m.text) << "\n";
    if (r.status == plugin::RunStatus::Ok) return kOk;
    const std::string mode = r.isolated ? "isolated run" : "in-process run";
    const bool names_plugin = r.error.find("'" + plugin_id + "'") != std::string::npos;
    // A plugin may quote a parameter or a source in its messages: never a password.
    std::cerr << "error: " << redact_secrets(r.error) << " (" << mode << (names_plugin ? "" : " of '" + plugin_id + "'")
              << ")\n";
    if (r.status == plugin::RunStatus::Cancelled) return kCancelled;
    if (r.status == plugin::RunStatus::Infeasible) return kInfeasible;
    return r.status == plugin::RunStatus::Rejected ? kInput : kPlugin;
}

int run_plugin(Context& ctx, PluginRunRequest req) {
    auto& reg = ctx.registry();
    auto& ws = ctx.workspace();
    const bool to_stdout = req.out.empty() || req.out == "-";
    if (!to_stdout) io::format_from_path(req.out);  // bad extension: usage error before running
    plugin::RunResult r;
    try {
        r = run_with_progress(reg, req.plugin_id, req.raw_params, ws, req.options);
    } catch (const mp::Error& e) {
        // An alias such as `route` names its own options in errors (--from, --via 2).
        if (req.option_names.empty()) throw;
        const std::string what = name_options(e.problem(), req.option_names);
        const std::string where = name_options(e.where(), req.option_names);
        if (dynamic_cast<const mp::UsageError*>(&e)) throw mp::UsageError(what, where);
        if (dynamic_cast<const mp::InputError*>(&e)) throw mp::InputError(what, where);
        if (dynamic_cast<const mp::PluginError*>(&e)) throw mp::PluginError(what, where);
        throw;
    }
    if (!req.option_names.empty()) {
        for (auto& m : r.messages) m.text = name_options(m.text, req.option_names);
        r.error = name_options(r.error, req.option_names);
    }
    if (const int code = report_run(r, req.plugin_id); code != kOk) return code;
    if (!to_stdout) {
        for (const auto& p : plugin::write_results(r, req.out)) std::cerr << "wrote " << p << "\n";
    } else {
        // stdout carries only the result layers, as one RFC 7946 FeatureCollection (each
        // feature with a "layer" property, as in a --out FILE.geojson), so that it can be
        // piped; tables go to stderr as text, and rasters need a file.
        std::cout << io::to_geojson(plugin::merged_layers(r)) << std::flush;
        for (const auto& t : r.tables) {
            std::cerr << t.name << ":\n";
            print_plain_table(t, std::cerr);
            std::cerr << "\n";
        }
        for (const auto& ra : r.rasters)
            std::cerr << "note: raster '" << ra.name << "' (" << ra.width << " x " << ra.height
                      << ") not written; use --out FILE to write it as a GeoTIFF beside FILE\n";
    }
    std::size_t features = 0;
    for (const auto& l : r.layers) features += l.layer.features.size();
    std::cerr << "plugin '" << req.plugin_id << "': " << r.layers.size() << " layers (" << features << " features), "
              << r.tables.size() << " tables, " << r.rasters.size() << " rasters in "
              << plugin::format_seconds(r.seconds) << (r.isolated ? " (isolated)" : "") << "\n";
    return kOk;
}

void register_plugin_commands(CLI::App& app, Context& ctx) {
    auto* plugins = app.add_subcommand("plugins", "List plugins: id, version, file, loaded or refused and why");
    add_plugin_dir_option(*plugins, ctx);
    static std::string plugins_format = "table";
    plugins->add_option("--format", plugins_format, "table or json (json includes parameter schemas)")
        ->check(CLI::IsMember({"table", "json"}));
    plugins->callback([&ctx] { ctx.action = [&ctx] { return cmd_plugins(ctx, plugins_format); }; });

    auto* run = app.add_subcommand("run", "Run a plugin with validated parameters and write its results");
    add_data_options(*run, ctx);
    add_plugin_dir_option(*run, ctx);
    static std::string run_id, run_params_file, run_out;
    static std::vector<std::string> run_params;
    static bool in_process = false, isolated = false;
    static double timeout_s = 0;
    run->add_option("PLUGIN", run_id, "Plugin id (see 'enablement plugins')")->required();
    run->add_option("--param,-p", run_params, "A parameter as key=value (repeatable)")->allow_extra_args(false);
    run->add_option("--params", run_params_file, "A JSON file of parameters {\"key\": value}");
    run->add_option("--out,-o", run_out,
                    "Write result layers here (.geojson, .gpkg or .csv); tables and rasters beside it. "
                    "'-' or none: the layers as GeoJSON on stdout, tables as text on stderr");
    auto* ip = run->add_flag("--in-process", in_process, "Run inside this process (default for built-in plugins)");
    auto* iso =
        run->add_flag("--isolated", isolated, "Run in a separate plugin-host process (default for other plugins)");
    ip->excludes(iso);
    run->add_option("--timeout", timeout_s, "Give up after this many seconds (0: no limit)")
        ->check(CLI::Validator(
            [](std::string& v) -> std::string {
                double d = 0;
                if (!CLI::detail::lexical_cast(v, d) || !std::isfinite(d))
                    return "expected a number of seconds, got '" + v + "'";
                if (d < 0) return "must be 0 (no limit) or more seconds, got " + v;
                return {};
            },
            "SECONDS"));
    run->callback([&ctx] {
        ctx.action = [&ctx] {
            PluginRunRequest req;
            req.plugin_id = run_id;
            if (!run_params_file.empty()) {
                std::ifstream is(run_params_file);
                if (!is) throw InputError("cannot read parameter file", run_params_file);
                try {
                    req.raw_params = nlohmann::json::parse(is);
                } catch (const nlohmann::json::exception& e) {
                    throw InputError(std::string("malformed JSON: ") + e.what(), run_params_file);
                }
                if (!req.raw_params.is_object())
                    throw InputError("expected a JSON object of parameters", run_params_file);
            }
            // -p overrides a --params file, but the same key twice on the command line is a
            // mistake: which one was meant is not ours to guess.
            std::set<std::string> given;
            for (const auto& kv : run_params) {
                auto [k, v] = plugin::split_key_value(kv);
                if (!given.insert(k).second)
                    throw UsageError("parameter '" + k + "' given twice; give each parameter once", "--param " + kv);
                req.raw_params[k] = v;
            }
            req.out = run_out;
            req.options.mode = in_process ? plugin::RunOptions::Mode::InProcess
                               : isolated ? plugin::RunOptions::Mode::Isolated
                                          : plugin::RunOptions::Mode::Auto;
            req.options.timeout_s = timeout_s;
            return run_plugin(ctx, std::move(req));
        };
    });
}

}  // namespace mp::cli
