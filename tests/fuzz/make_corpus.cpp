// SPDX-License-Identifier: MIT
// Writes the seed corpus of every fuzz target from the current code, so a change of a
// format (the graph cache version, the result JSON) regenerates its seeds:
//   fuzz-make-corpus OUT_DIR SOURCE_DIR
// OUT_DIR/<target>/ gets a few valid inputs of each kind (scripts/fuzz.sh calls this).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "mp/core/error.hpp"
#include "mp/network/graph.hpp"
#include "mp/plugin/result.hpp"
#include "mp/plugin/transport.hpp"
#include "mp/session/scenario.hpp"

namespace fs = std::filesystem;
using namespace mp;

namespace {

void write(const fs::path& file, const std::string& bytes) {
    std::ofstream out(file, std::ios::binary);
    out << bytes;
    if (!out) throw Error("cannot write the seed", file.string());
}

std::string slurp(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A graph with every section a cache holds: restrictions with strings, shapes, one-ways
// and forbidden turns.
network::Graph seed_graph(std::uint32_t n, std::uint64_t seed) {
    using namespace network;
    GraphBuilder b(NetworkKind::Road, "seed");
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    for (std::uint32_t i = 0; i < n; ++i) b.add_node(4.0 + 0.2 * u(rng), 50.8 + 0.1 * u(rng));
    std::vector<std::uint32_t> segs;
    for (std::uint32_t i = 0; i + 1 < n; ++i) {
        GraphBuilder::LineAttrs la;
        la.road_class = static_cast<RoadClass>(i % 6);
        la.speed_kmh = 30 + 10 * (i % 8);
        la.oneway = i % 5 == 0 ? 1 : 0;
        la.ref = b.intern("N" + std::to_string(i % 3));
        if (i % 4 == 0) {
            Restriction r;
            r.bridge = true;
            r.mlc_wheeled = 40;
            r.mlc_tracked = 50;
            r.maxheight_m = 4.2f;
            r.structure_name = b.intern("bridge " + std::to_string(i));
            la.restriction = b.add_restriction(r);
        }
        const std::vector<geo::LonLat> mid{geo::lonlat(4.1, 50.85)};
        segs.push_back(b.add_segment(i, i + 1, i % 3 == 0 ? mid : std::vector<geo::LonLat>{}, la));
    }
    if (segs.size() >= 2) b.forbid_turn(segs[0], 1, segs[1]);
    return b.build();
}

void graph_seeds(const fs::path& dir) {
    const fs::path tmp = dir / "tmp.mpgraph";
    int k = 0;
    for (const std::uint32_t n : {2u, 6u, 24u}) {
        network::SourceIdentity id;
        id.path = "/data/roads.geojson";
        id.size = 1000 + n;
        id.mtime_ns = 42;
        network::save_cache(seed_graph(n, n), tmp.string(), n == 6 ? id : network::SourceIdentity{});
        fs::rename(tmp, dir / ("graph-" + std::to_string(k++) + ".mpgraph"));
    }
}

void geojson_seeds(const fs::path& dir) {
    const char* seeds[] = {
        R"({"type":"FeatureCollection","features":[{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[4.4,50.8]},"properties":{"name":"Melsbroek","kind":"airbase","n":3,"r":1.5,"b":true,"z":null}}]})",
        R"({"type":"FeatureCollection","name":"roads","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[3.2,51.3],[4.4,51.2],[5.3,51.1]]},"properties":{"ref":"E34","maxspeed":"120"}}]})",
        R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::31370"}},"features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[150000,170000],[160000,170000],[160000,180000],[150000,170000]]]},"properties":{}}]})",
        R"({"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[4,50],[5,50],[5,51],[4,50]],[[4.2,50.2],[4.3,50.2],[4.3,50.3],[4.2,50.2]]]]},"properties":{"ué":"Liège"}})",
        R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"id":7}},{"type":"Feature","geometry":{"type":"MultiLineString","coordinates":[[[4,50],[4.1,50.1]]]},"properties":{"id":"x"}},{"type":"Feature","geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[4,50]}]},"properties":{}}]})",
    };
    int k = 0;
    for (const char* s : seeds) write(dir / ("seed-" + std::to_string(k++) + ".geojson"), s);
}

void scenario_seeds(const fs::path& dir, const fs::path& source_dir) {
    const fs::path v1 = source_dir / "tests/fixtures/scenario-v1/zeebrugge-leopoldsburg.scenario.json";
    write(dir / "v1.scenario.json", slurp(v1));
    session::Scenario sc = session::parse_scenario(slurp(v1), v1.string());
    write(dir / "v2.scenario.json", session::scenario_json(sc, "v2.scenario.results.json"));
    session::Scenario small;
    small.default_data = false;
    small.sources = {"extra.geojson", "PG:dbname=enablement service=planner"};
    session::SavedLayer l;
    l.name = "sites";
    l.stroke = session::Rgba{255, 0, 0, 255};
    l.width_px = 2;
    l.visible = true;
    small.layers.push_back(l);
    small.removed_layers = {"rail"};
    session::SavedRun run;
    run.id = 1;
    run.plugin_id = "transit-routes";
    run.params = {{"from", "zeebrugge"}, {"to", "leopoldsburg"}, {"vehicles", 12}};
    run.layers.push_back({"route", true});
    small.runs.push_back(run);
    small.plugin_params = {{"transit-routes", {{"vehicle", "leopard2"}}}};
    write(dir / "small.scenario.json", session::scenario_json(small, ""));
}

plugin::RunResult seed_result() {
    plugin::RunResult r;
    plugin::ResultLayer rl;
    rl.layer.name = "route";
    layer::Feature f;
    f.id = "1";
    f.geometry = geo::LineString{geo::lonlat(3.2, 51.3), geo::lonlat(5.2, 51.1)};
    f.attributes.set("start", std::string("2026-12-02T06:00:00Z"));
    f.attributes.set("end", std::string("2026-12-02T09:30:00Z"));
    f.attributes.set("km", 151.2);
    rl.layer.features.push_back(f);
    rl.role = "movements";
    rl.start_field = "start";
    rl.end_field = "end";
    rl.feature_styles.push_back(plugin::Style{"#1f77b4", 4, "km"});
    r.layers.push_back(rl);

    plugin::Raster multi;
    multi.name = "visible";
    multi.width = 3;
    multi.height = 2;
    multi.bands = 2;
    multi.geotransform = {4.0, 0.01, 0, 51.0, 0, -0.01};
    multi.crs = "EPSG:4326";
    multi.type = plugin::PixelType::UInt16;
    multi.data.assign(3 * 2 * 2 * 2, 1);
    multi.role = plugin::RasterRole::BandsPerHeight;
    multi.band_heights_m = {30, 100};
    multi.band_names = {"30 m", "100 m"};
    r.rasters.push_back(multi);
    plugin::Raster plain;
    plain.name = "count";
    plain.width = 2;
    plain.height = 2;
    plain.values = {0, 1, 2, -9999};
    plain.unit = "systems";
    r.rasters.push_back(plain);

    plugin::Table t;
    t.name = "march";
    t.chart = plugin::Chart{};
    t.chart->kind = "gantt";
    t.chart->start = "start_s";
    t.chart->end = "end_s";
    t.chart->label = "serial";
    t.columns.push_back({"serial", "", false, {}, {"A1", "A2"}});
    t.columns.push_back({"start_s", "s", true, {0, 3600}, {}});
    t.columns.push_back({"end_s", "s", true, {7200, 9000}, {}});
    r.tables.push_back(t);
    r.messages.push_back({1, "bridge on N4 posted MLC 40"});
    return r;
}

void result_seeds(const fs::path& dir) {
    const plugin::RunResult r = seed_result();
    const nlohmann::json j = plugin::to_json(r);
    write(dir / "result.json", j.dump());
    const auto cbor = nlohmann::json::to_cbor(j);
    const auto progress = nlohmann::json::to_cbor(nlohmann::json{{"f", 0.5}, {"s", "routing"}});
    write(dir / "frames.bin", plugin::encode_frame(plugin::FrameKind::Progress, progress) +
                                  plugin::encode_frame(plugin::FrameKind::Result, cbor));
    plugin::RunResult empty;
    empty.status = plugin::RunStatus::Infeasible;
    empty.error = "no route for the vehicle";
    write(dir / "infeasible.bin",
          plugin::encode_frame(plugin::FrameKind::Result, nlohmann::json::to_cbor(plugin::to_json(empty))));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: fuzz-make-corpus OUT_DIR SOURCE_DIR\n";
        return 2;
    }
    try {
        const fs::path out = argv[1];
        for (const char* t : {"graph_cache", "geojson", "scenario", "result", "deployment"})
            fs::create_directories(out / t);
        graph_seeds(out / "graph_cache");
        geojson_seeds(out / "geojson");
        scenario_seeds(out / "scenario", argv[2]);
        result_seeds(out / "result");
        // The worked deployment examples as they are.
        for (const auto& e : fs::directory_iterator(fs::path(argv[2]) / "examples/deployments"))
            if (e.path().extension() == ".json") write(out / "deployment" / e.path().filename(), slurp(e.path()));
    } catch (const std::exception& e) {
        std::cerr << "fuzz-make-corpus: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
