// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mp/core/progress.hpp"
#include "mp/layer/layer.hpp"
#include "mp/network/graph.hpp"
#include "mp/network/router.hpp"

namespace mp::network {

/// A line for the log of the run that built a network: what was built or read, or (as a
/// warning) why the graph cache could not be used.
struct BuildMessage {
    bool warning = false;
    std::string text;
};

/// Where graphs built from files are cached on disk: $ENABLEMENT_CACHE_DIR, else
/// $XDG_CACHE_HOME/enablement/graphs, else ~/.cache/enablement/graphs; empty when none of
/// these variables is set (then nothing is cached on disk).
std::filesystem::path graph_cache_dir();

/// A network from a file: an OSM extract (.osm, .osm.pbf, .osm.bz2, with its turn
/// restrictions), a graph cache (.mpgraph, read as it is) or any GDAL line source. A built
/// graph is saved to graph_cache_dir() under a key of the file's absolute path, size,
/// modification time and the network kind, and read from there next time (an edited file
/// is built again). An unreadable or unwritable cache only costs a rebuild (a warning in
/// `messages`). Throws mp::InputError naming the file when it does not exist, is not a
/// regular file or cannot be read, and mp::Cancelled when progress is cancelled.
Graph network_from_file(const std::string& path, NetworkKind kind, Progress& progress = null_progress(),
                        std::vector<BuildMessage>* messages = nullptr);

/// Landmarks cost about 2 x 12 full Dijkstra runs: nothing on the embedded networks,
/// seconds on an extract of a million nodes, where one query alone is a fraction of a
/// second. A network of fewer nodes gets them on its first query; a larger one from its
/// second use on (the map view, batch runs in one process), so a one-off CLI query runs
/// without them.
constexpr std::size_t kPrepareAtOnceNodes = 200'000;

/// A road or rail network shared by every run of a process: the graph (immutable) and
/// one router over it with its landmarks. Router is not thread-safe, so a query locks
/// mutex() for as long as it uses router().
class SharedNetwork {
public:
    /// Takes the graph; source names what it was built from (a layer name or a path).
    SharedNetwork(Graph graph, std::string source);
    SharedNetwork(const SharedNetwork&) = delete;
    SharedNetwork& operator=(const SharedNetwork&) = delete;

    const Graph& graph() const { return m_graph; }
    /// The layer name or file the network was built from.
    const std::string& source() const { return m_source; }
    /// Total length of its lines, km.
    double length_km() const { return m_length_km; }
    /// Held while router() is used (with std::scoped_lock when a query spans two networks).
    std::mutex& mutex() { return m_mutex; }
    /// The shared router; only while mutex() is held.
    Router& router() { return m_router; }
    /// Counts a use (a run opening the network); it makes a large network's landmarks due.
    void count_use() { m_uses.fetch_add(1, std::memory_order_relaxed); }
    /// Computes the landmarks (12 on roads, 8 on rail, fastest metric) when they are due
    /// (see kPrepareAtOnceNodes) and not yet there; mutex() must be held. Throws
    /// mp::Cancelled when progress is cancelled (the network stays unprepared).
    void prepare_if_due(Progress& progress = null_progress());
    /// Whether the landmarks are there; mutex() must be held.
    bool prepared() const { return m_prepared; }

private:
    const Graph m_graph;
    const std::string m_source;
    const double m_length_km;
    std::mutex m_mutex;
    Router m_router;
    std::atomic<int> m_uses{0};
    bool m_prepared = false;
};

/// The network built from a layer, from the process-wide cache: built on first use and
/// shared while the layer is the same (keyed by its name, feature count, first and last
/// feature ids and the kind). The cache keeps the last few networks; a network stays
/// alive while anyone holds it. Throws mp::InputError naming the layer when it has no
/// usable line, mp::Cancelled when progress is cancelled.
std::shared_ptr<SharedNetwork> shared_network_from_layer(const layer::Layer& l, NetworkKind kind,
                                                         Progress& progress = null_progress());

/// The network built from a file (network_from_file), from the same cache, keyed by the
/// file's absolute path, size, modification time and the kind. Messages of a build or a
/// cache read go to `messages`; a network found in memory adds none. Throws as
/// network_from_file.
std::shared_ptr<SharedNetwork> shared_network_from_file(const std::string& path, NetworkKind kind,
                                                        Progress& progress = null_progress(),
                                                        std::vector<BuildMessage>* messages = nullptr);

}  // namespace mp::network
