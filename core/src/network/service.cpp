// SPDX-License-Identifier: MIT
// Networks shared by the runs of a process: built once from a layer or a file (through
// the on-disk graph cache), each with one prepared router behind a mutex. This is what
// the host's network services (core/src/plugin/host_network.cpp) stand on.
#include "mp/network/service.hpp"

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <list>

#include "mp/core/error.hpp"
#include "mp/network/build.hpp"

namespace mp::network {

namespace fs = std::filesystem;

fs::path graph_cache_dir() {
    if (const char* d = std::getenv("ENABLEMENT_CACHE_DIR"); d && *d) return d;
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "enablement" / "graphs";
    if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache" / "enablement" / "graphs";
    return {};
}

Graph network_from_file(const std::string& path, NetworkKind kind, Progress& progress,
                        std::vector<BuildMessage>* messages) {
    auto say = [&](bool warning, std::string text) {
        if (messages) messages->push_back({warning, std::move(text)});
    };
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw InputError("network file does not exist or is not a file", path);
    const std::string ext = fs::path(path).extension().string();
    if (ext == ".mpgraph") return build_from_source(path, kind, {}, {}, progress);
    // The key names the file's content as far as the file system can tell: an edited
    // extract gets a new entry. "v1" is the key scheme (transit-routes 1.0 used the same).
    const fs::path abs = fs::absolute(path, ec);
    const auto size = fs::file_size(path, ec);
    const auto mtime = fs::last_write_time(path, ec).time_since_epoch().count();
    const std::string key = abs.string() + "|" + std::to_string(size) + "|" + std::to_string(mtime) + "|" +
                            std::string(network_kind_name(kind)) + "|v2";
    // The entry also stores the source's identity (size, time and a hash of its first and
    // last 64 KiB) and is used only when it still matches: never a graph of another file.
    const SourceIdentity identity = source_identity(path);
    char name[32];
    std::snprintf(name, sizeof name, "%016zx.mpgraph", std::hash<std::string>{}(key));
    const fs::path dir = graph_cache_dir();
    const fs::path cached = dir.empty() ? fs::path() : dir / name;
    if (!cached.empty() && fs::exists(cached, ec)) {
        try {
            Graph g = load_cache(cached.string(), &identity);
            say(false, "network " + path + ": loaded from the graph cache " + cached.string() + " (" +
                           std::to_string(g.nodes()) + " nodes, " + std::to_string(g.edges()) + " edges)");
            return g;
        } catch (const std::exception& e) {
            say(true, "graph cache " + cached.string() + " unreadable (" + e.what() + "): building again");
        }
    }
    Graph g = build_from_source(path, kind, {}, {}, progress);
    if (progress.cancelled()) throw Cancelled();
    say(false, "network " + path + ": built " + std::to_string(g.nodes()) + " nodes, " + std::to_string(g.edges()) +
                   " edges, " + std::to_string(g.forbidden_turns.size()) + " forbidden turns");
    if (!cached.empty()) {
        try {
            fs::create_directories(dir);
            save_cache(g, cached.string(), identity);
        } catch (const std::exception& e) {
            say(true, std::string("graph not cached: ") + e.what());
        }
    }
    return g;
}

namespace {

double total_length_km(const Graph& g) {
    double m = 0;
    for (const auto& s : g.segments) m += s.length_m;
    return m / 1000;
}

// The process-wide cache: the most recently used networks first. A handful is enough
// (a session routes on its road and rail networks, now and then on a file); evicting
// one only drops the cache's reference, so a run still holding it keeps it.
constexpr std::size_t kCacheEntries = 4;

struct Cache {
    std::mutex mu;  // held while an entry is built, so two runs never build the same one
    std::list<std::pair<std::string, std::shared_ptr<SharedNetwork>>> entries;
};

Cache& cache() {
    static Cache c;
    return c;
}

template <typename Build>
std::shared_ptr<SharedNetwork> cached(const std::string& key, Build&& build) {
    Cache& c = cache();
    std::lock_guard lock(c.mu);
    for (auto it = c.entries.begin(); it != c.entries.end(); ++it)
        if (it->first == key) {
            c.entries.splice(c.entries.begin(), c.entries, it);
            return it->second;
        }
    std::shared_ptr<SharedNetwork> net = build();
    c.entries.emplace_front(key, net);
    if (c.entries.size() > kCacheEntries) c.entries.pop_back();
    return net;
}

}  // namespace

SharedNetwork::SharedNetwork(Graph graph, std::string source)
    : m_graph(std::move(graph)),
      m_source(std::move(source)),
      m_length_km(total_length_km(m_graph)),
      m_router(m_graph) {}

void SharedNetwork::prepare_if_due(Progress& progress) {
    if (m_prepared) return;
    if (m_graph.nodes() >= kPrepareAtOnceNodes && m_uses.load(std::memory_order_relaxed) < 2) return;
    // Planner::prepare's counts: 12 landmarks on roads, 8 on the sparser rail network.
    m_router.prepare(Metric::Fastest, m_graph.kind == NetworkKind::Rail ? 8 : 12, 2, progress);
    if (progress.cancelled()) throw Cancelled();
    m_prepared = true;
}

std::shared_ptr<SharedNetwork> shared_network_from_layer(const layer::Layer& l, NetworkKind kind, Progress& progress) {
    const std::size_t n = l.features.size();
    const std::string key = "layer:" + l.name + "#" + std::to_string(n) + "#" +
                            (n ? l.features.front().id + l.features.back().id : "") + "|" +
                            std::string(network_kind_name(kind));
    return cached(key,
                  [&] { return std::make_shared<SharedNetwork>(build_from_layer(l, kind, {}, progress), l.name); });
}

std::shared_ptr<SharedNetwork> shared_network_from_file(const std::string& path, NetworkKind kind, Progress& progress,
                                                        std::vector<BuildMessage>* messages) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw InputError("network file does not exist or is not a file", path);
    const fs::path abs = fs::absolute(path, ec);
    const std::string key = "file:" + abs.string() + "|" + std::to_string(fs::file_size(path, ec)) + "|" +
                            std::to_string(fs::last_write_time(path, ec).time_since_epoch().count()) + "|" +
                            std::string(network_kind_name(kind));
    return cached(
        key, [&] { return std::make_shared<SharedNetwork>(network_from_file(path, kind, progress, messages), path); });
}

}  // namespace mp::network
