// SPDX-License-Identifier: MIT
#include "mp/plugin/registry.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "host_api.hpp"
#include "mp/core/error.hpp"
#include "mp/core/utf8.hpp"
#include "mp/data/host_tables.hpp"
#include "mp/io/ogr_io.hpp"
#include "mp/plugin/transport.hpp"

namespace fs = std::filesystem;

namespace mp::plugin {

std::string_view origin_name(Origin o) {
    switch (o) {
        case Origin::BuiltIn: return "built-in";
        case Origin::User: return "user";
        case Origin::CommandLine: return "plugin-dir";
        case Origin::Environment: return "ENABLEMENT_PLUGIN_PATH";
    }
    return "?";
}

std::string refusal_message(const PluginInfo& info) {
    return (info.id.empty() ? std::string("plugin") : "plugin '" + info.id + "'") + " was refused: " + info.refusal;
}

std::string executable_dir() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string(".") : exe.parent_path().string();
}

std::vector<PluginFolder> default_folders(const std::vector<std::string>& extra_dirs) {
    std::vector<PluginFolder> out;
    const fs::path exe_dir = executable_dir();
    out.push_back({(exe_dir / ".." / "plugins").lexically_normal().string(), Origin::BuiltIn});
    out.push_back({(exe_dir / ".." / "lib" / "enablement" / "plugins").lexically_normal().string(), Origin::BuiltIn});
    // XDG base directories must be absolute; a relative XDG_DATA_HOME is ignored (XDG Base
    // Directory Specification 0.8), else plugins would load from the working directory.
    std::string data_home;
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x == '/') data_home = x;
    else if (const char* h = std::getenv("HOME"); h && *h == '/') data_home = std::string(h) + "/.local/share";
    if (!data_home.empty()) out.push_back({data_home + "/enablement/plugins", Origin::User});
    for (const auto& d : extra_dirs) out.push_back({d, Origin::CommandLine});
    if (const char* env = std::getenv("ENABLEMENT_PLUGIN_PATH")) {
        std::stringstream ss(env);
        for (std::string d; std::getline(ss, d, ':');)
            if (!d.empty()) out.push_back({d, Origin::Environment});
    }
    return out;
}

struct Registry::Loaded {
    std::string id;
    std::string file;
    Origin origin;
    void* handle = nullptr;
    const MpPluginV1* plugin = nullptr;
    std::vector<ParamDef> params;
    std::vector<ParamDef> retired;
};

Registry::Registry(RegistryOptions options) : m_options(std::move(options)) {}

Registry::~Registry() {
    // Loaded libraries are deliberately never dlclose'd: a plugin abandoned after it
    // ignored cancellation may still be running on a detached thread.
    for (auto& l : m_loaded)
        if (l->plugin && l->plugin->shutdown) l->plugin->shutdown();
}

std::string format_seconds(double s) {
    // "2 s", "0.35 s", "1.5 s": at most two decimals, no trailing zeros; below 0.1 s two
    // significant digits ("0.042 s"), so a quick run does not read "0 s".
    char buf[64];
    if (s > 1e-4 && s < 0.1) {
        std::snprintf(buf, sizeof buf, "%.2g s", s);
        return buf;
    }
    std::snprintf(buf, sizeof buf, "%.2f", s);
    std::string t = buf;
    if (t.find('.') != std::string::npos) {
        while (t.back() == '0') t.pop_back();
        if (t.back() == '.') t.pop_back();
    }
    return t + " s";
}

void Registry::discover(const std::vector<PluginFolder>& folders) {
    for (const auto& folder : folders) {
        std::error_code ec;
        if (!fs::is_directory(folder.path, ec)) {
            // The built-in and user folders are optional; a folder the user named is not.
            if (folder.origin == Origin::CommandLine || folder.origin == Origin::Environment) {
                const char* what =
                    fs::exists(folder.path, ec) ? "plugin folder is not a folder" : "plugin folder does not exist";
                const char* where =
                    folder.origin == Origin::CommandLine ? "--plugin-dir " : "ENABLEMENT_PLUGIN_PATH entry ";
                m_warnings.push_back(std::string(what) + " (" + where + folder.path + ")");
            }
            continue;
        }
        struct stat st {};
        if (::stat(folder.path.c_str(), &st) == 0 && (st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))
            m_warnings.push_back("plugin folder is writable by every user: anyone can add a plugin to it (" +
                                 folder.path + "; chmod o-w)");
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(folder.path, ec))
            if (e.path().extension() == ".so") files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            // Built-in plugins are ours and load here; any other plugin's code first runs
            // in a plugin host, where a crash or a hang while loading harms nothing.
            if (folder.origin == Origin::BuiltIn) load_file(f.string(), folder.origin);
            else probe_file(f.string(), folder.origin);
        }
    }
}

const PluginInfo& Registry::load_file(const std::string& path, Origin origin) {
    PluginInfo info;
    info.file = path;
    info.origin = origin;
    auto refuse = [&](std::string why, void* handle) -> const PluginInfo& {
        // Never unloaded once opened: the library's constructors ran and registered
        // destructors, and unloading it under them crashed at exit (a refused duplicate
        // of a plugin that linked libosmium).
        if (handle) m_kept_handles.push_back(handle);
        info.loaded = false;
        info.refusal = std::move(why);
        m_infos.push_back(std::move(info));
        return m_infos.back();
    };
    if (!fs::is_regular_file(path)) return refuse("not a file", nullptr);
    if (struct stat st{}; ::stat(path.c_str(), &st) == 0 && (st.st_mode & S_IWOTH))
        return refuse("the file is writable by every user, so anyone could replace its code (chmod o-w " + path + ")",
                      nullptr);
    dlerror();
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* e = dlerror();
        return refuse(std::string("not a loadable shared library: ") + (e ? e : "unknown error"), nullptr);
    }
    auto entry = reinterpret_cast<MpPluginEntryFn>(dlsym(handle, MP_PLUGIN_ENTRY_SYMBOL));
    if (!entry) return refuse("no entry point '" MP_PLUGIN_ENTRY_SYMBOL "' (not an enablement plugin)", handle);
    const MpPluginV1* p = entry();
    if (!p) return refuse(MP_PLUGIN_ENTRY_SYMBOL "() returned NULL", handle);
    info.abi = std::to_string(p->abi_major) + "." + std::to_string(p->abi_minor);
    if (p->id) info.id = p->id;  // the fields up to id are the same in every ABI version
    // Refusal reasons leave out the id and file: they are fields of their own, and every
    // display (CLI table, GUI panel, refusal_message) shows them beside the reason.
    if (p->abi_major != MP_PLUGIN_ABI_MAJOR || p->abi_minor > MP_PLUGIN_ABI_MINOR)
        return refuse("built for ABI " + info.abi + "; host supports " + std::to_string(MP_PLUGIN_ABI_MAJOR) + "." +
                          std::to_string(MP_PLUGIN_ABI_MINOR),
                      handle);
    // A 1.0 descriptor ends before param_def_size; read the fields appended since only
    // when the plugin's struct_size covers them (mp_plugin.h, "Versions and struct sizes").
    if (p->struct_size < MP_PLUGIN_V1_SIZE_1_0)
        return refuse("truncated descriptor: struct_size " + std::to_string(p->struct_size) +
                          " bytes, a 1.0 "
                          "descriptor has " +
                          std::to_string(MP_PLUGIN_V1_SIZE_1_0),
                      handle);
    std::size_t param_stride = MP_PARAM_DEF_SIZE_1_0;
    if (MP_HAS_FIELD(MpPluginV1, p->struct_size, param_def_size)) param_stride = p->param_def_size;
    if (!p->id || !*p->id) return refuse("plugin has no id", handle);
    if (!p->run) return refuse("no run function", handle);
    info.id = p->id;
    info.name = p->name ? p->name : p->id;
    info.version = p->version ? p->version : "";
    info.description = p->description ? p->description : "";
    for (const auto& l : m_loaded)
        if (l->id == info.id)
            return refuse("duplicate plugin id '" + info.id + "': already loaded from " + l->file, handle);
    try {
        info.params = schema_from_c(p->params, p->param_count, param_stride);
        split_retired(info.params, info.retired);
    } catch (const PluginError& e) {
        return refuse(std::string("bad parameter schema: ") + e.what(), handle);
    }
    if (p->init && p->init() != MP_OK) return refuse("init failed", handle);
    info.loaded = true;
    auto loaded = std::make_unique<Loaded>();
    loaded->id = info.id;
    loaded->file = path;
    loaded->origin = origin;
    loaded->handle = handle;
    loaded->plugin = p;
    loaded->params = info.params;
    loaded->retired = info.retired;
    m_loaded.push_back(std::move(loaded));
    m_infos.push_back(std::move(info));
    return m_infos.back();
}

const PluginInfo* Registry::find(const std::string& id) const {
    for (const auto& i : m_infos)
        if (i.loaded && i.id == id) return &i;
    return nullptr;
}

std::size_t Registry::loaded_count() const { return m_loaded.size(); }

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// The in-process run the host is waiting for (see in_process_run_plugin()).
std::mutex g_running_mu;
std::string g_running_id;

struct RunningMark {
    explicit RunningMark(const std::string& id) {
        std::lock_guard lock(g_running_mu);
        g_running_id = id;
    }
    ~RunningMark() {
        std::lock_guard lock(g_running_mu);
        g_running_id.clear();
    }
    RunningMark(const RunningMark&) = delete;
    RunningMark& operator=(const RunningMark&) = delete;
};

// Runs plugin->run on a worker thread so that the host can give up on a plugin that
// ignores cancellation or overruns its time limit.
RunResult run_on_thread(const MpPluginV1* plugin, const std::string& id, const ParamValues& params,
                        const data::Workspace& ws, Progress& progress, const RunOptions& opts) {
    struct Shared {
        std::mutex mu;
        std::condition_variable cv;
        bool done = false;
        MpStatus status = MP_ERROR;
        MpRunContext ctx;
    };
    auto shared = std::make_shared<Shared>();
    shared->ctx.ws = &ws;
    shared->ctx.params = &params;
    shared->ctx.progress = &progress;
    shared->ctx.plugin_id = id;
    const auto t0 = Clock::now();
    std::optional<RunningMark> running(std::in_place, id);
    std::thread worker([shared, plugin] {
        MpStatus s = MP_ERROR;
        try {
            s = plugin->run(&detail::host_api(), &shared->ctx);
        } catch (...) {
            // A C++ exception crossing the C ABI is a plugin bug; we still survive it.
            std::lock_guard lock(shared->ctx.results_mu);
            shared->ctx.result.messages.push_back({2, "plugin let an exception escape its run function"});
        }
        std::lock_guard lock(shared->mu);
        shared->status = s;
        shared->done = true;
        shared->cv.notify_all();
    });
    RunStatus abandon_status = RunStatus::Ok;
    std::string abandon_reason;
    {
        std::unique_lock lock(shared->mu);
        std::optional<Clock::time_point> deadline;
        while (!shared->done) {
            shared->cv.wait_for(lock, std::chrono::milliseconds(20));
            if (shared->done) break;
            if (!deadline && progress.cancelled()) {
                shared->ctx.cancel_requested = true;
                deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                              std::chrono::duration<double>(opts.cancel_grace_s));
                abandon_status = RunStatus::IgnoredCancel;
                abandon_reason = "plugin '" + id + "' ignored cancellation for " + format_seconds(opts.cancel_grace_s) +
                                 "; abandoned (it may still use CPU until the program exits)";
            }
            if (!deadline && opts.timeout_s > 0 && seconds_since(t0) > opts.timeout_s) {
                shared->ctx.cancel_requested = true;
                deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                              std::chrono::duration<double>(opts.cancel_grace_s));
                abandon_status = RunStatus::TimedOut;
                abandon_reason = "plugin '" + id + "' timed out after " + format_seconds(opts.timeout_s);
            }
            if (deadline && Clock::now() > *deadline) break;
        }
    }
    running.reset();  // an abandoned plugin runs on, but the host no longer waits for it
    RunResult r;
    bool finished = false;
    {
        std::lock_guard lock(shared->mu);
        finished = shared->done;
    }
    if (finished) {
        worker.join();
    } else {
        std::unique_lock guard(shared->ctx.guard);  // waits for any host call in flight
        shared->ctx.abandoned = true;
        guard.unlock();
        worker.detach();
    }
    {
        std::lock_guard lock(shared->ctx.results_mu);
        r = shared->ctx.result;
        if (!finished) {
            r.status = abandon_status;
            r.error = abandon_reason;
        } else if (!shared->ctx.invalid.empty()) {
            r.status = RunStatus::Error;
            r.error =
                "plugin '" + id + "' returned invalid results: " + shared->ctx.invalid.front() +
                (shared->ctx.invalid.size() > 1 ? " (and " + std::to_string(shared->ctx.invalid.size() - 1) + " more)"
                                                : "");
        } else {
            switch (shared->status) {
                case MP_OK: r.status = RunStatus::Ok; break;
                case MP_CANCELLED: r.status = RunStatus::Cancelled, r.error = "cancelled"; break;
                default: {
                    r.status = shared->status == MP_INVALID_ARGUMENT ? RunStatus::Rejected
                               : shared->status == MP_INFEASIBLE     ? RunStatus::Infeasible
                                                                     : RunStatus::Error;
                    std::string last;
                    for (const auto& m : r.messages)
                        if (m.level == 2) last = m.text;
                    r.error = "plugin '" + id + "' " +
                              (r.status == RunStatus::Rejected     ? "rejected its input"
                               : r.status == RunStatus::Infeasible ? "found no feasible answer"
                                                                   : "failed") +
                              (last.empty() ? "" : ": " + last);
                }
            }
            // The host asked it to stop because the time was up: a plugin that honours
            // that (returns "cancelled", or fails on the way out) timed out, it was not
            // cancelled by the user.
            if (abandon_status == RunStatus::TimedOut &&
                (r.status == RunStatus::Ok || r.status == RunStatus::Cancelled || r.status == RunStatus::Error))
                r.status = RunStatus::TimedOut, r.error = abandon_reason;
            if (r.status == RunStatus::Ok && progress.cancelled())
                r.status = RunStatus::Cancelled, r.error = "cancelled";
        }
    }
    r.seconds = seconds_since(t0);
    r.isolated = false;
    return r;
}

// ---- isolated runs: the plugin in a child process ---------------------------------

std::string signal_text(int sig) {
    const char* d = strsignal(sig);
    std::string name = sig == SIGSEGV   ? "SIGSEGV"
                       : sig == SIGABRT ? "SIGABRT"
                       : sig == SIGBUS  ? "SIGBUS"
                       : sig == SIGFPE  ? "SIGFPE"
                       : sig == SIGKILL ? "SIGKILL"
                       : sig == SIGILL  ? "SIGILL"
                                        : "signal " + std::to_string(sig);
    return name + (d ? std::string(" (") + d + ")" : "");
}

// Lines a plugin printed on stdout or stderr, as run messages (capped: a chatty plugin
// must not flood the results).
struct OutputLines {
    int level;
    const char* stream;
    std::string pending;
    std::size_t lines = 0, dropped = 0;
    std::vector<std::string> tail;  // the last lines, for a crash report
    void feed(const char* data, std::size_t n, std::vector<Message>& out) {
        pending.append(data, n);
        std::size_t nl;
        while ((nl = pending.find('\n')) != std::string::npos) {
            line(pending.substr(0, nl), out);
            pending.erase(0, nl + 1);
        }
        if (pending.size() > 4096) line(std::exchange(pending, {}), out);
    }
    void finish(std::vector<Message>& out) {
        if (!pending.empty()) line(std::exchange(pending, {}), out);
        if (dropped > 0)
            out.push_back(
                {level, "plugin " + std::string(stream) + ": " + std::to_string(dropped) + " more lines not shown"});
    }
    void line(std::string l, std::vector<Message>& out) {
        if (!l.empty() && l.back() == '\r') l.pop_back();
        l = sanitize_utf8(l);
        tail.push_back(l);
        if (tail.size() > 20) tail.erase(tail.begin());
        if (++lines > 200) {
            ++dropped;
            return;
        }
        out.push_back({level, "plugin " + std::string(stream) + ": " + l});
    }
};

// One call of enablement-plugin-host: its arguments and the request on its stdin.
struct HostCall {
    std::string exe;
    std::vector<std::string> args;  // after the program name
    std::vector<std::uint8_t> request;
    double timeout_s = 0;  // 0: none
    double cancel_grace_s = 3;
    Progress* progress = nullptr;  // progress frames go here; its cancel() is honoured
    std::string id;                // for messages
};

// What came of it.
struct HostOutcome {
    bool reaped = false, killed = false;
    int status = 0;  // waitpid status
    RunStatus kill_status = RunStatus::Ok;
    std::string kill_reason;
    std::optional<nlohmann::json> result;
    std::string protocol_error;
    std::vector<Message> output;  // what the plugin printed
    std::vector<std::string> stderr_tail;
    std::string tail() const {
        std::string t;
        for (const auto& l : stderr_tail) t += (t.empty() ? "" : " | ") + l;
        return t;
    }
};

HostOutcome call_host(const HostCall& call) {
    if (access(call.exe.c_str(), X_OK) != 0) throw PluginError("plugin host executable not found", call.exe);
    // The request goes through a memory file: the child reads it at its own pace, and a
    // child that dies early cannot block (or SIGPIPE) the host.
    const int req_fd = ::memfd_create("enablement-request", MFD_CLOEXEC);
    if (req_fd < 0) throw Error(std::string("cannot create the request for the plugin host: ") + std::strerror(errno));
    if (!write_all(req_fd, reinterpret_cast<const char*>(call.request.data()), call.request.size()) ||
        ::lseek(req_fd, 0, SEEK_SET) != 0) {
        ::close(req_fd);
        throw Error("cannot write the request for the plugin host");
    }
    int ctl[2], out_pipe[2], err_pipe[2];
    if (::pipe2(ctl, O_CLOEXEC) || ::pipe2(out_pipe, O_CLOEXEC) || ::pipe2(err_pipe, O_CLOEXEC)) {
        ::close(req_fd);
        throw Error("cannot create pipes for the plugin host");
    }
    std::vector<std::string> argv_s{call.exe};
    argv_s.insert(argv_s.end(), call.args.begin(), call.args.end());
    argv_s.insert(argv_s.end(), {"--control-fd", "3"});
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    const auto t0 = Clock::now();
    const pid_t pid = fork();
    if (pid < 0) throw Error("cannot start the plugin host (fork failed)");
    if (pid == 0) {
        // Only async-signal-safe calls until exec (the host may have threads).
        setpgid(0, 0);  // its own group: Ctrl-C goes to the host, and a kill reaches the plugin's children
        dup2(req_fd, 0);
        dup2(out_pipe[1], 1);
        dup2(err_pipe[1], 2);
        dup2(ctl[1], 3);
        ::syscall(SYS_close_range, 4u, ~0u, 0u);  // nothing else of the host leaks into the plugin
        execv(argv[0], argv.data());
        _exit(127);
    }
    setpgid(pid, pid);  // also here: no race with a kill of the group before the child ran
    ::close(req_fd);
    ::close(ctl[1]);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);

    HostOutcome o;
    OutputLines out_lines{0, "stdout", {}, 0, 0, {}}, err_lines{1, "stderr", {}, 0, 0, {}};
    FrameReader frames;
    bool fds_open[3] = {true, true, true};
    const int fds[3] = {ctl[0], out_pipe[0], err_pipe[0]};
    std::optional<Clock::time_point> kill_at, reaped_at;
    auto kill_group = [&] {
        ::kill(-pid, SIGKILL);  // the plugin host and everything the plugin started in its group
        ::kill(pid, SIGKILL);
    };
    for (;;) {
        pollfd pfds[3];
        for (int k = 0; k < 3; ++k) pfds[k] = {fds_open[k] ? fds[k] : -1, POLLIN, 0};
        ::poll(pfds, 3, o.reaped ? 5 : 50);
        char buf[65536];
        for (int k = 0; k < 3; ++k) {
            if (!fds_open[k] || !(pfds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            const ssize_t n = ::read(fds[k], buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                fds_open[k] = false;
                continue;
            }
            const auto len = static_cast<std::size_t>(n);
            if (k == 1) out_lines.feed(buf, len, o.output);
            else if (k == 2) err_lines.feed(buf, len, o.output);
            else {
                frames.feed(buf, len);
                FrameKind kind{};
                std::vector<std::uint8_t> payload;
                while (frames.next(kind, payload)) {
                    try {
                        nlohmann::json j = nlohmann::json::from_cbor(payload);
                        if (kind == FrameKind::Progress) {
                            if (call.progress)
                                call.progress->report(std::clamp(j.at("f").get<double>(), 0.0, 1.0),
                                                      sanitize_utf8(j.at("s").get<std::string>()));
                        } else if (!o.result) {
                            o.result = std::move(j);
                        }
                    } catch (const std::exception& e) {
                        o.protocol_error = std::string("unreadable control frame from the plugin host: ") + e.what();
                    }
                }
                if (!frames.error().empty()) o.protocol_error = frames.error(), fds_open[0] = false;
            }
        }
        if (!o.reaped) {
            const pid_t w = ::waitpid(pid, &o.status, WNOHANG);
            if (w == pid) o.reaped = true, reaped_at = Clock::now();
        }
        // Done when the child is gone and its channels are drained; a grandchild that
        // holds the pipes open does not keep us waiting past a short drain.
        if (o.reaped && ((!fds_open[0] && !fds_open[1] && !fds_open[2]) ||
                         Clock::now() - *reaped_at > std::chrono::milliseconds(200)))
            break;
        if (!kill_at && call.progress && call.progress->cancelled()) {
            ::kill(pid, SIGTERM);  // the plugin host turns it into a cancellation request
            kill_at = Clock::now() +
                      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(call.cancel_grace_s));
            o.kill_status = RunStatus::IgnoredCancel;
            o.kill_reason =
                "plugin '" + call.id + "' ignored cancellation for " + format_seconds(call.cancel_grace_s) + "; killed";
        }
        if (!kill_at && call.timeout_s > 0 && seconds_since(t0) > call.timeout_s) {
            kill_group();
            o.killed = true;
            kill_at = Clock::now();
            o.kill_status = RunStatus::TimedOut;
            o.kill_reason = "plugin '" + call.id + "' timed out after " + format_seconds(call.timeout_s) + "; killed";
        }
        if (kill_at && !o.killed && Clock::now() > *kill_at) {
            kill_group();
            o.killed = true;
        }
        // Bounded: a child that survives SIGKILL for 5 s (stuck in the kernel) is given up.
        if (o.killed && !o.reaped && Clock::now() - *kill_at > std::chrono::seconds(5)) break;
    }
    ::kill(-pid, SIGKILL);  // whatever the plugin left running in its group
    for (int k = 0; k < 3; ++k) ::close(fds[k]);
    out_lines.finish(o.output);
    err_lines.finish(o.output);
    o.stderr_tail = err_lines.tail;
    return o;
}

RunResult run_isolated(const std::string& id, const std::string& file, const ParamValues& params,
                       const data::Workspace& ws, Progress& progress, const RunOptions& opts) {
    HostCall call;
    call.exe = opts.host_executable.empty() ? executable_dir() + "/enablement-plugin-host" : opts.host_executable;
    call.request = nlohmann::json::to_cbor(nlohmann::json{
        {"protocol", kIsolationProtocol}, {"plugin", file}, {"params", params}, {"workspace", workspace_to_json(ws)}});
    call.timeout_s = opts.timeout_s;
    call.cancel_grace_s = opts.cancel_grace_s;
    call.progress = &progress;
    call.id = id;
    const auto t0 = Clock::now();
    HostOutcome o = call_host(call);
    RunResult r;
    if (o.killed) {
        r.status = o.kill_status;
        r.error = o.kill_reason;
    } else if (!o.reaped) {
        r.status = RunStatus::Error;
        r.error = "plugin host for '" + id + "' did not exit";
    } else if (WIFSIGNALED(o.status) && WTERMSIG(o.status) == SIGTERM && o.kill_status == RunStatus::IgnoredCancel) {
        r.status = RunStatus::Cancelled;  // our own polite SIGTERM ended it
        r.error = "cancelled";
    } else if (WIFSIGNALED(o.status)) {
        r.status = RunStatus::Crashed;
        r.error = "plugin '" + id + "' crashed: " + signal_text(WTERMSIG(o.status));
    } else if (WIFEXITED(o.status) && WEXITSTATUS(o.status) != 0) {
        r.status = RunStatus::Error;
        const std::string tail = o.tail();
        r.error = "plugin host for '" + id + "' exited with code " + std::to_string(WEXITSTATUS(o.status)) +
                  (tail.empty() ? "" : ": " + tail);
    } else if (!o.protocol_error.empty()) {
        r.status = RunStatus::Error;
        r.error = o.protocol_error;
    } else if (!o.result) {
        r.status = RunStatus::Error;
        r.error = "plugin host for '" + id + "' exited without a result (did the plugin call exit()?)";
    } else {
        try {
            r = run_result_from_json(*o.result);
        } catch (const std::exception& e) {
            r.status = RunStatus::Error;
            r.error = std::string("unreadable result from the plugin host: ") + e.what();
        }
    }
    // What the plugin printed comes first, as it happened before the result.
    r.messages.insert(r.messages.begin(), o.output.begin(), o.output.end());
    r.isolated = true;
    r.seconds = seconds_since(t0);
    return r;
}

}  // namespace

namespace {

nlohmann::json info_json(const PluginInfo& i) {
    return {{"id", i.id},
            {"name", i.name},
            {"version", i.version},
            {"description", i.description},
            {"abi", i.abi},
            {"loaded", i.loaded},
            {"refusal", i.refusal},
            {"params", schema_to_json(i.params)},
            {"retired", schema_to_json(i.retired)}};
}

void info_from_json(const nlohmann::json& j, PluginInfo& i) {
    i.id = j.at("id").get<std::string>();
    i.name = j.at("name").get<std::string>();
    i.version = j.at("version").get<std::string>();
    i.description = j.at("description").get<std::string>();
    i.abi = j.at("abi").get<std::string>();
    i.loaded = j.at("loaded").get<bool>();
    i.refusal = j.at("refusal").get<std::string>();
    i.params = schema_from_json(j.at("params"));
    if (j.contains("retired")) i.retired = schema_from_json(j.at("retired"));
}

// What makes a probe answer valid: the file as it is now, and this host (its ABI and the
// host tables enum choices come from).
nlohmann::json file_identity(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return nullptr;
    std::error_code ec;
    const auto canonical = fs::canonical(path, ec);
    std::string tables;
    for (const auto& t : data::host_tables())
        for (const auto& id : t.ids()) tables += t.name + ":" + id + ";";
    char host[64];
    std::snprintf(host, sizeof host, "abi %d.%d tables %016zx", MP_PLUGIN_ABI_MAJOR, MP_PLUGIN_ABI_MINOR,
                  std::hash<std::string>{}(tables));
    return {{"path", ec ? path : canonical.string()},
            {"size", static_cast<std::int64_t>(st.st_size)},
            {"mtime_ns", static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec},
            {"ino", static_cast<std::uint64_t>(st.st_ino)},
            {"dev", static_cast<std::uint64_t>(st.st_dev)},
            {"host", host}};
}

std::string probe_cache_file(const nlohmann::json& identity) {
    const std::string dir = probe_cache_dir();
    if (dir.empty()) return {};
    char name[40];
    std::snprintf(name, sizeof name, "%016zx.json", std::hash<std::string>{}(identity.at("path").get<std::string>()));
    return dir + "/" + name;
}

}  // namespace

std::string probe_cache_dir() {
    // XDG base directories must be absolute; a relative one is ignored (XDG Base
    // Directory Specification 0.8), so the working directory never becomes a cache.
    auto absolute = [](const char* v) { return v && *v == '/'; };
    if (const char* d = std::getenv("ENABLEMENT_CACHE_DIR"); absolute(d)) return std::string(d) + "/plugin-probes";
    if (const char* x = std::getenv("XDG_CACHE_HOME"); absolute(x)) return std::string(x) + "/enablement/plugin-probes";
    if (const char* h = std::getenv("HOME"); absolute(h)) return std::string(h) + "/.cache/enablement/plugin-probes";
    return {};
}

nlohmann::json Registry::probe_here(const std::string& file) {
    static Registry local;  // kept: the library stays loaded for the life of the process
    return info_json(local.load_file(file, Origin::CommandLine));
}

const PluginInfo& Registry::probe_file(const std::string& path, Origin origin) {
    PluginInfo info;
    info.file = path;
    info.origin = origin;
    info.probed = true;
    auto finish = [&]() -> const PluginInfo& {
        if (info.loaded)
            for (const auto& l : m_loaded)
                if (l->id == info.id) {
                    info.loaded = false;
                    info.refusal = "duplicate plugin id '" + info.id + "': already loaded from " + l->file;
                }
        if (info.loaded) {
            auto loaded = std::make_unique<Loaded>();
            loaded->id = info.id;
            loaded->file = path;
            loaded->origin = origin;
            loaded->params = info.params;
            loaded->retired = info.retired;
            m_loaded.push_back(std::move(loaded));
        }
        m_infos.push_back(std::move(info));
        return m_infos.back();
    };
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
        info.refusal = "not a file";
        return finish();
    }
    if (struct stat st{}; ::stat(path.c_str(), &st) == 0 && (st.st_mode & S_IWOTH)) {
        info.refusal = "the file is writable by every user, so anyone could replace its code (chmod o-w " + path + ")";
        return finish();
    }
    const nlohmann::json identity = file_identity(path);
    const std::string cache = m_options.probe_cache && !identity.is_null() ? probe_cache_file(identity) : "";
    if (!cache.empty()) {
        // The cache is untrusted input like any file: it is used only when it parses,
        // names this very file and host, and holds a well-formed answer.
        std::ifstream in(cache, std::ios::binary);
        if (in) {
            try {
                const auto j = nlohmann::json::parse(in);
                if (j.at("format") == "enablement-plugin-probe" && j.at("version") == 1 &&
                    j.at("identity") == identity) {
                    info_from_json(j.at("info"), info);
                    ++m_probe_stats.cached;
                    return finish();
                }
            } catch (const std::exception&) {
                // Stale or damaged: probe again.
            }
        }
    }
    HostCall call;
    call.exe =
        m_options.host_executable.empty() ? executable_dir() + "/enablement-plugin-host" : m_options.host_executable;
    call.args = {"--probe", path};
    call.timeout_s = m_options.probe_timeout_s;
    call.id = fs::path(path).filename().string();
    ++m_probe_stats.spawned;
    HostOutcome o;
    try {
        o = call_host(call);
    } catch (const Error& e) {
        info.refusal = std::string("could not be probed: ") + e.what();
        return finish();
    }
    bool definitive = true;  // an answer about the file itself, worth caching
    if (o.killed) {
        info.refusal = "did not finish loading within " + format_seconds(m_options.probe_timeout_s) +
                       " (its constructors or init() hang); not loaded";
    } else if (o.reaped && WIFSIGNALED(o.status)) {
        info.refusal = "crashed while loading: " + signal_text(WTERMSIG(o.status)) + "; not loaded";
    } else if (o.result) {
        try {
            info_from_json(*o.result, info);
        } catch (const std::exception& e) {
            info.loaded = false;
            info.refusal = std::string("unreadable probe answer: ") + e.what();
        }
    } else {
        const std::string tail = o.tail();
        info.refusal = "could not be probed" + (tail.empty() ? std::string() : ": " + tail);
        definitive = o.reaped && WIFEXITED(o.status) && WEXITSTATUS(o.status) != 127;
    }
    info.file = path, info.origin = origin, info.probed = true;
    if (!cache.empty() && definitive) {
        try {
            fs::create_directories(fs::path(cache).parent_path());
            io::write_file_atomic(cache, nlohmann::json{{"format", "enablement-plugin-probe"},
                                                        {"version", 1},
                                                        {"identity", identity},
                                                        {"info", info_json(info)}}
                                             .dump());
        } catch (const std::exception&) {
            // A probe that cannot be cached is only probed again next time.
        }
    }
    return finish();
}

void Registry::load_in_process(Loaded& l) {
    if (l.plugin) return;
    // A probed plugin runs in this process only when asked (--in-process): load it now.
    Registry here;
    const PluginInfo& info = here.load_file(l.file, l.origin);
    if (!info.loaded) throw PluginError(refusal_message(info), l.file);
    if (info.id != l.id)
        throw PluginError("plugin file now has id '" + info.id + "', probed as '" + l.id + "'", l.file);
    // Keep the library: move its handle into this registry.
    l.handle = here.m_loaded.front()->handle;
    l.plugin = here.m_loaded.front()->plugin;
    here.m_loaded.clear();
}

RunResult Registry::run(const std::string& id, const nlohmann::json& raw_params, const data::Workspace& ws,
                        Progress& progress, const RunOptions& opts) {
    Loaded* lp = nullptr;
    for (const auto& l : m_loaded)
        if (l->id == id) lp = l.get();
    if (!lp) {
        for (const auto& i : m_infos)
            if (i.id == id && !i.loaded) throw PluginError(refusal_message(i), i.file);
        std::string known;
        for (const auto& l : m_loaded) known += (known.empty() ? "" : ", ") + l->id;
        throw PluginError("unknown plugin '" + id + "'", "loaded: " + (known.empty() ? "none" : known));
    }
    refuse_retired(lp->retired, raw_params);
    const ParamValues params = validate_params(lp->params, raw_params, &ws);
    const bool isolated = opts.mode == RunOptions::Mode::Isolated ||
                          (opts.mode == RunOptions::Mode::Auto && lp->origin != Origin::BuiltIn);
    if (isolated) return run_isolated(id, lp->file, params, ws, progress, opts);
    load_in_process(*lp);
    return run_on_thread(lp->plugin, id, params, ws, progress, opts);
}

RunResult Registry::run_in_process(const std::string& file, const ParamValues& params, const data::Workspace& ws,
                                   Progress& progress, const RunOptions& opts) {
    static Registry local;  // kept: its plugins may be running on abandoned threads
    const PluginInfo* info = nullptr;
    for (const auto& i : local.plugins())
        if (i.file == file && i.loaded) info = &i;
    if (!info) {
        const PluginInfo& li = local.load_file(file, Origin::CommandLine);
        if (!li.loaded) throw PluginError(refusal_message(li), file);
        info = &li;
    }
    const Loaded* lp = nullptr;
    for (const auto& l : local.m_loaded)
        if (l->file == file) lp = l.get();
    return run_on_thread(lp->plugin, info->id, params, ws, progress, opts);
}

std::string in_process_run_plugin() {
    // try_lock: an exit() from the worker must never wait for a lock the waiting thread
    // could hold (it holds it only to set or clear the id, so a miss is harmless).
    std::unique_lock lock(g_running_mu, std::try_to_lock);
    return lock.owns_lock() ? g_running_id : std::string();
}

}  // namespace mp::plugin
