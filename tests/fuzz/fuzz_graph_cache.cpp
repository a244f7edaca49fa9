// SPDX-License-Identifier: MIT
// libFuzzer target: a graph cache file (.mpgraph) is untrusted input (hardening issue,
// item 1). load_cache_bytes must either refuse the bytes with mp::InputError or return
// a graph that validate_graph accepts and the router can search without reading out of
// bounds; anything else (a crash, an ASan report, another exception) is a finding.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mp/core/error.hpp"
#include "mp/network/graph.hpp"
#include "mp/network/router.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mp::network;
    Graph g;
    try {
        g = load_cache_bytes(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.mpgraph");
    } catch (const mp::InputError&) {
        return 0;  // refused with a message: the wanted outcome for damaged bytes
    }
    // Whatever loads must be a graph the router may trust.
    if (!validate_graph(g).empty()) std::abort();
    if (g.nodes() < 2 || g.segments.empty()) return 0;
    Router router(g);
    QueryOptions q;
    q.use_landmarks = false;
    const auto last = static_cast<std::uint32_t>(g.nodes() - 1);
    (void)router.node_cost(0, last, q);
    const Snap from = router.snap(g.node(0), q, 1e6);
    const Snap to = router.snap(g.node(last), q, 1e6);
    if (from.segment != kNone && to.segment != kNone) {
        auto path = router.route(from, to, q);
        (void)path;
    }
    return 0;
}
