// SPDX-License-Identifier: MIT
#pragma once

#include <random>
#include <string>
#include <vector>

#include "mp/data/default_data.hpp"
#include "mp/io/ogr_io.hpp"
#include "mp/network/build.hpp"
#include "mp/network/router.hpp"
#include "test_support.hpp"

namespace mp::test {

/// A GraphBuilder-made random graph: scattered nodes joined to random near neighbours,
/// some one-way, some restricted (not planar, not a grid).
inline network::Graph random_graph(std::uint32_t n, std::uint64_t seed) {
    using namespace network;
    GraphBuilder b(NetworkKind::Road, "random");
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    for (std::uint32_t i = 0; i < n; ++i) b.add_node(4.0 + 0.5 * u(rng), 50.5 + 0.3 * u(rng));
    for (std::uint32_t i = 0; i < n * 3; ++i) {
        const auto a = static_cast<std::uint32_t>(u(rng) * n) % n;
        const auto c = static_cast<std::uint32_t>((a + 1 + static_cast<std::uint32_t>(u(rng) * 20)) % n);
        GraphBuilder::LineAttrs la;
        la.road_class = static_cast<RoadClass>(static_cast<int>(u(rng) * 6));
        la.speed_kmh = 20 + 100 * u(rng);
        la.oneway = u(rng) < 0.2 ? 1 : 0;
        if (u(rng) < 0.1) {
            Restriction r;
            r.bridge = true;
            r.mlc_wheeled = static_cast<float>(20 + 80 * u(rng));
            r.mlc_tracked = r.mlc_wheeled;
            if (u(rng) < 0.3) r.maxheight_m = static_cast<float>(3 + 2 * u(rng));
            la.restriction = b.add_restriction(r);
        }
        b.add_segment(a, c, {}, la, 100 + 5000 * u(rng));
    }
    return b.build();
}

/// A heavy test vehicle.
inline network::Vehicle heavy_vehicle(double mlc = 60, double height = 4.0) {
    network::Vehicle v;
    v.id = "test-heavy";
    v.mlc = mlc;
    v.height_m = height;
    v.gross_weight_t = 50;
    v.max_speed_kmh = 70;
    return v;
}

/// Reads a literal GeoJSON text into its first layer.
inline layer::Layer geojson_layer(const std::string& text) {
    TempDir dir;
    const std::string file = dir.file("fixture.geojson");
    write_text(file, text);
    auto layers = io::read_source(file);
    return layers.at(0);
}

}  // namespace mp::test
