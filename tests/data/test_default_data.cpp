// SPDX-License-Identifier: MIT
// The embedded default data: complete, well-formed, connected and self-consistent.
#include <catch2/catch.hpp>
#include <set>

#include "mp/data/default_data.hpp"
#include "mp/geo/geodesic.hpp"
#include "network_checks.hpp"
#include "test_support.hpp"

using namespace mp;

namespace {
const data::Workspace& ws() {
    static const data::Workspace w = data::load_workspace(true, {});
    return w;
}

const geo::Polygon& belgium() {
    const auto& l = ws().layers.get("belgium");
    const auto* f = l.find("belgium");
    REQUIRE(f);
    return std::get<geo::Polygon>(f->geometry);
}

double distance_to_border_m(const geo::LonLat& p) {
    geo::LineString ring(belgium().outer().begin(), belgium().outer().end());
    return geo::distance_to_line_m(p, ring);
}
}  // namespace

TEST_CASE("Default data loads: boundary, provinces, sites, roads and rail", "[default-data]") {
    const auto& layers = ws().layers;
    for (const char* name : {"belgium", "sites", "roads", "rail"}) {
        INFO(name);
        REQUIRE(layers.find(name));
        CHECK(layers.get(name).source_crs == "EPSG:4326");
        CHECK_FALSE(layers.get(name).features.empty());
    }
    std::size_t provinces = 0;
    for (const auto& f : layers.get("belgium").features) provinces += f.attributes.text("kind") == "province";
    CHECK(provinces == 11);  // 10 provinces and the Brussels-Capital Region
    // Belgium is 30,689 km2 (Statbel); a coarse outline must be within 5 %.
    CHECK(geo::area_m2(belgium()) / 1e6 == Approx(30'689).epsilon(0.05));
}

TEST_CASE("Every required site is in the catalogue", "[default-data][sites]") {
    const auto& cat = ws().catalogue;
    for (const char* id : {"port-antwerp", "port-zeebrugge", "port-ostend", "port-ghent", "melsbroek-air-base",
                           "beauvechain-air-base", "florennes-air-base", "kleine-brogel-air-base", "koksijde-air-base",
                           "chievres-air-base", "liege-airport", "leopoldsburg-rail-terminal",
                           "leopoldsburg-training-area", "elsenborn-training-area", "marche-en-famenne-training-area",
                           "lagland-training-area", "houthulst-training-area", "brasschaat-training-area"}) {
        INFO(id);
        CHECK(cat.by_id(id));
    }
    CHECK(cat.of_kind(sites::SiteKind::RailTerminal).size() >= 5);
    std::set<std::string> countries;
    for (const auto* s : cat.of_kind(sites::SiteKind::BorderCrossing)) countries.insert(s->attributes.text("country"));
    CHECK(countries == std::set<std::string>{"DE", "FR", "LU", "NL"});
    for (const auto* s : cat.of_kind(sites::SiteKind::TrainingArea)) {
        INFO(s->id);
        CHECK(geo::area_m2(s->geometry) > 1e6);  // training areas are outlines of at least 1 km2
    }
}

TEST_CASE("Every site has names, a source and capacities of its kind", "[default-data][sites]") {
    const std::string sources = test::read_text(std::string(MP_SOURCE_DIR) + "/data/SOURCES.md");
    const std::map<sites::SiteKind, std::vector<std::string>> required = {
        {sites::SiteKind::Port, {"berths", "roro_ramps", "max_draught_m", "vehicles_per_day"}},
        {sites::SiteKind::Airbase,
         {"runway_length_m", "mog_wide_body", "mog_narrow_body", "pax_per_day", "cargo_t_per_day"}},
        {sites::SiteKind::RailTerminal, {"loading_ramps", "max_train_length_m", "trains_per_day"}},
        {sites::SiteKind::TrainingArea, {"area_km2", "vehicle_parking", "beds", "fuel_storage_m3"}},
        {sites::SiteKind::BorderCrossing, {"country", "mode"}},
    };
    for (const auto& s : ws().catalogue.sites()) {
        INFO(s.id);
        CHECK_FALSE(s.name_en.empty());
        CHECK_FALSE(s.name_nl.empty());
        CHECK_FALSE(s.name_fr.empty());
        CHECK_FALSE(s.source.empty());
        CHECK(sources.find(s.source) != std::string::npos);
        auto it = required.find(s.kind);
        if (it != required.end())
            for (const auto& key : it->second) {
                INFO(key);
                CHECK(s.attributes.has(key));
            }
        for (const auto& e : s.estimates) {
            INFO("estimate " << e);
            CHECK(s.attributes.has(e));
        }
    }
}

TEST_CASE("Sites lie in Belgium and border crossings on the border", "[default-data][sites]") {
    for (const auto& s : ws().catalogue.sites()) {
        INFO(s.id);
        const auto a = s.anchor();
        if (s.kind == sites::SiteKind::BorderCrossing) {
            CHECK(distance_to_border_m(a) < 3'000);
        } else {
            CHECK(geo::bg::within(a, belgium()));
        }
    }
}

TEST_CASE("Road and rail networks are connected and reach the sites", "[default-data][network]") {
    const auto& roads = ws().layers.get("roads");
    const auto& rail = ws().layers.get("rail");
    CHECK(test::line_components(roads) == 1);
    CHECK(test::line_components(rail) == 1);
    for (const auto& s : ws().catalogue.sites()) {
        INFO(s.id);
        const bool rail_only = s.kind == sites::SiteKind::BorderCrossing && s.attributes.text("mode") == "rail";
        if (!rail_only) CHECK(test::distance_to_layer_m(s.anchor(), roads) < 2'500);
        if (s.kind == sites::SiteKind::RailTerminal || rail_only)
            CHECK(test::distance_to_layer_m(s.anchor(), rail) < 1'500);
    }
    std::set<std::string> ids;
    for (const auto& f : roads.features) ids.insert(f.id);
    CHECK(ids.size() == roads.features.size());
    for (const auto& f : roads.features) {
        INFO(f.id);
        CHECK(f.attributes.number("maxspeed_kmh").value_or(0) > 0);
        CHECK_FALSE(f.attributes.text("class").empty());
    }
}

TEST_CASE("Embedded vehicle presets are well-formed", "[default-data]") {
    const auto text = data::embedded_file("vehicles.json");
    CHECK(text.find("tank-transporter") != std::string::npos);
}
