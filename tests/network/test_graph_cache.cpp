// SPDX-License-Identifier: MIT
// The graph cache is untrusted input (hardening issue, items 1 and 9): every class of
// out-of-range index, every truncation and random damage is refused with InputError
// naming the file, never read out of bounds; an entry made from another source is not
// used.
#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>
#include <random>

#include "mp/core/error.hpp"
#include "mp/network/build.hpp"
#include "mp/network/router.hpp"
#include "mp/network/service.hpp"
#include "network_fixtures.hpp"

using namespace mp;
using namespace mp::network;

namespace {

// A small graph with everything a cache holds: restrictions with strings, shapes,
// forbidden turns (from a tiny OSM extract).
Graph osm_graph(const test::TempDir& dir, const std::string& name = "junction.osm", double shift = 0) {
    char buf[4096];
    std::snprintf(buf, sizeof buf, R"(<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
  <node id="1" lat="50.990" lon="%.3f" version="1"/>
  <node id="2" lat="51.000" lon="%.3f" version="1"/>
  <node id="3" lat="51.000" lon="%.3f" version="1"/>
  <node id="4" lat="51.010" lon="%.3f" version="1"/>
  <node id="5" lat="51.010" lon="%.3f" version="1"/>
  <node id="6" lat="51.005" lon="%.3f" version="1"/>
  <way id="1" version="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/><tag k="ref" v="N1"/></way>
  <way id="2" version="1"><nd ref="2"/><nd ref="3"/><tag k="highway" v="primary"/><tag k="name" v="Kaai"/></way>
  <way id="3" version="1"><nd ref="2"/><nd ref="4"/><tag k="highway" v="secondary"/></way>
  <way id="4" version="1"><nd ref="4"/><nd ref="6"/><nd ref="5"/><tag k="highway" v="secondary"/><tag k="bridge" v="yes"/><tag k="mlc" v="40"/><tag k="name" v="Brug"/></way>
  <way id="5" version="1"><nd ref="5"/><nd ref="3"/><tag k="highway" v="secondary"/><tag k="maxheight" v="4.2 m"/><tag k="oneway" v="yes"/></way>
  <relation id="1" version="1">
    <member type="way" ref="1" role="from"/><member type="node" ref="2" role="via"/><member type="way" ref="2" role="to"/>
    <tag k="type" v="restriction"/><tag k="restriction" v="no_right_turn"/>
  </relation>
</osm>
)",
                  4.000 + shift, 4.000 + shift, 4.010 + shift, 4.000 + shift, 4.010 + shift, 4.006 + shift);
    const std::string path = dir.file(name);
    test::write_text(path, buf);
    return build_from_osm(path, NetworkKind::Road);
}

std::string refusal(const Graph& g, const test::TempDir& dir) {
    const std::string path = dir.file("bad.mpgraph");
    save_cache(g, path);
    try {
        load_cache(path);
    } catch (const InputError& e) {
        CHECK(e.where() == path);
        return e.problem();
    }
    return "accepted";
}

}  // namespace

TEST_CASE("graph cache: a graph round-trips exactly and routes the same", "[network][cache]") {
    test::TempDir dir;
    const Graph g = osm_graph(dir);
    REQUIRE(validate_graph(g).empty());
    REQUIRE_FALSE(g.forbidden_turns.empty());
    REQUIRE_FALSE(g.shape.empty());
    const std::string path = dir.file("g.mpgraph");
    save_cache(g, path);
    const Graph h = load_cache(path);
    CHECK(h.kind == g.kind);
    CHECK(h.source == g.source);
    CHECK(h.node_lon == g.node_lon);
    CHECK(h.first_out == g.first_out);
    CHECK(h.head == g.head);
    CHECK(h.time_ds == g.time_ds);
    CHECK(h.in_edge == g.in_edge);
    CHECK(h.strings == g.strings);
    CHECK(h.forbidden_turns == g.forbidden_turns);
    CHECK(h.edge_turn_flag == g.edge_turn_flag);
    REQUIRE(h.restrictions.size() == g.restrictions.size());
    CHECK(h.restrictions[0].mlc_wheeled == g.restrictions[0].mlc_wheeled);
    CHECK(h.restrictions[0].bridge == g.restrictions[0].bridge);
    Router rg(g), rh(h);
    for (std::uint32_t s = 0; s < g.nodes(); ++s)
        for (std::uint32_t t = 0; t < g.nodes(); ++t) CHECK(rg.node_cost(s, t, {}) == rh.node_cost(s, t, {}));
    // And a large synthetic one.
    SyntheticOptions o;
    o.rows = o.cols = 40;
    const Graph big = make_synthetic_network(o);
    save_cache(big, path);
    CHECK(load_cache(path).head == big.head);
}

TEST_CASE("graph cache: every class of index out of range is refused by name", "[network][cache]") {
    test::TempDir dir;
    const Graph good = osm_graph(dir);
    struct Case {
        const char* what;
        std::function<void(Graph&)> damage;
    };
    const std::vector<Case> cases = {
        {"leads to a node out of range", [](Graph& g) { g.head[0] = static_cast<std::uint32_t>(g.nodes()) + 7; }},
        {"first_out decreases", [](Graph& g) { std::swap(g.first_out[1], g.first_out[2]); }},
        {"first_out does not cover", [](Graph& g) { g.first_out.back() += 1; }},
        {"segment out of range", [](Graph& g) { g.edge_segment[0] = 0x7ffffff0u; }},
        {"does not run along its segment", [](Graph& g) { g.edge_segment[0] ^= 0x80000000u; }},
        {"has a restriction out of range",
         [](Graph& g) {
             for (auto& r : g.edge_restriction)
                 if (r != kNone) r = 1000;
         }},
        {"segment 0 has its shape out of range",
         [](Graph& g) {
             g.segments[0].shape_first = 0xfffffff0u;
             g.segments[0].shape_count = 0x20u;  // the sum wraps: an overflow-unsafe check would pass
         }},
        {"has a node out of range", [](Graph& g) { g.segments[1].to = 99999; }},
        {"has a string out of range", [](Graph& g) { g.segments[0].ref = 123456; }},
        {"restriction 0 has a string out of range", [](Graph& g) { g.restrictions[0].structure_name = 77777; }},
        {"names an edge out of range", [](Graph& g) { g.forbidden_turns[0].to_edge = 5000; }},
        {"is not a lon/lat", [](Graph& g) { g.node_lat[2] = std::nan(""); }},
        {"shape vertex 0 is not a lon/lat", [](Graph& g) { g.shape[0] = geo::lonlat(400, 51); }},
        {"does not enter node", [](Graph& g) { std::swap(g.in_edge.front(), g.in_edge.back()); }},
        {"implausible cost", [](Graph& g) { g.time_ds[0] = 0xffffffffu; }},
        {"an edge array has the wrong size", [](Graph& g) { g.length_dm.pop_back(); }},
        {"is not finite", [](Graph& g) { g.restrictions[0].mlc_wheeled = INFINITY; }},
        {"unknown road class", [](Graph& g) { g.segments[0].road_class = static_cast<RoadClass>(42); }},
        {"neither 0 nor 1",
         [](Graph& g) { reinterpret_cast<unsigned char*>(&g.restrictions[0])[offsetof(Restriction, bridge)] = 7; }},
    };
    for (const auto& c : cases) {
        Graph g = good;
        c.damage(g);
        const std::string why = refusal(g, dir);
        INFO(c.what << ": " << why);
        CHECK(why.find(c.what) != std::string::npos);
        CHECK(why.rfind("graph cache: ", 0) == 0);
    }
}

TEST_CASE("graph cache: truncations and random damage are refused, never read out of bounds", "[network][cache]") {
    test::TempDir dir;
    const std::string path = dir.file("g.mpgraph");
    save_cache(osm_graph(dir), path);
    const std::string bytes = test::read_text(path);
    // Every prefix.
    for (std::size_t n = 0; n < bytes.size(); ++n)
        CHECK_THROWS_AS(load_cache_bytes(std::string_view(bytes).substr(0, n), "cut"), InputError);
    // Random damage: what loads must be a consistent graph; the rest is refused.
    std::mt19937 rng(20261202);
    std::size_t refused = 0, loaded = 0;
    for (int round = 0; round < 3000; ++round) {
        std::string b = bytes;
        const int flips = 1 + static_cast<int>(rng() % 4);
        for (int k = 0; k < flips; ++k) b[rng() % b.size()] = static_cast<char>(rng() & 0xff);
        try {
            const Graph g = load_cache_bytes(b, "damaged");
            CHECK(validate_graph(g).empty());
            Router r(g);
            if (g.nodes() > 1) r.node_cost(0, static_cast<std::uint32_t>(g.nodes() - 1), {});
            ++loaded;
        } catch (const InputError&) {
            ++refused;
        }
    }
    CHECK(refused > 1000);  // most damage is noticed
    CHECK(refused + loaded == 3000);
    // A cache of another format version or another build's layout is refused as such.
    std::string other = bytes;
    other[8] = 1;  // version 1
    CHECK_THROWS_WITH(load_cache_bytes(other, "old"),
                      Catch::Contains("format version 1; this program reads version 2"));
}

TEST_CASE("graph cache: an entry made from another source is not used", "[network][cache]") {
    test::TempDir dir;
    ::setenv("ENABLEMENT_CACHE_DIR", dir.file("cache").c_str(), 1);
    const std::string a = dir.file("a.osm"), b = dir.file("b.osm");
    const Graph ga = osm_graph(dir, "a.osm", 0.0), gb = osm_graph(dir, "b.osm", 0.5);
    std::vector<BuildMessage> msgs;
    network_from_file(a, NetworkKind::Road, null_progress(), &msgs);
    network_from_file(b, NetworkKind::Road, null_progress(), &msgs);
    std::vector<std::filesystem::path> entries;
    for (const auto& e : std::filesystem::directory_iterator(dir.file("cache"))) entries.push_back(e.path());
    REQUIRE(entries.size() == 2);
    // Put a's entry under b's name (and b's under a's): as if the key had collided.
    const auto ida = cached_source(entries[0].string()), idb = cached_source(entries[1].string());
    REQUIRE(ida);
    REQUIRE(idb);
    std::filesystem::rename(entries[0], dir.file("swap"));
    std::filesystem::rename(entries[1], entries[0]);
    std::filesystem::rename(dir.file("swap"), entries[1]);
    msgs.clear();
    const Graph again = network_from_file(b, NetworkKind::Road, null_progress(), &msgs);
    CHECK(again.node_lon == gb.node_lon);  // b's graph, built again: never a's
    bool warned = false;
    for (const auto& m : msgs) warned |= m.warning && m.text.find("made from another source") != std::string::npos;
    CHECK(warned);
    // The identity follows the content: same size, other bytes, other hash.
    test::write_text(a, test::read_text(a).replace(test::read_text(a).find("Kaai"), 4, "Dijk"));
    CHECK_FALSE(source_identity(a) == *ida);
    ::unsetenv("ENABLEMENT_CACHE_DIR");
    (void)ga;
}
