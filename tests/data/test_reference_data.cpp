// SPDX-License-Identifier: MIT
// The embedded default data checked against real third-party reference data in
// ../shared/data (skipped when absent). Nothing from those files enters the repository.
#include <algorithm>
#include <catch2/catch.hpp>

#include "mp/data/default_data.hpp"
#include "mp/geo/geodesic.hpp"
#include "mp/io/ogr_io.hpp"
#include "network_checks.hpp"
#include "test_support.hpp"

using namespace mp;

namespace {
const data::Workspace& ws() {
    static const data::Workspace w = data::load_workspace(true, {});
    return w;
}

const layer::Layer& first_layer(const std::string& file) {
    static std::map<std::string, std::vector<layer::Layer>> cache;
    auto it = cache.find(file);
    if (it == cache.end()) it = cache.emplace(file, io::read_source(test::shared_data(file))).first;
    return it->second.front();
}

double nearest_point_m(const geo::LonLat& p, const layer::Layer& l, const std::string& key = {},
                       const std::string& value = {}) {
    double best = INFINITY;
    for (const auto& f : l.features) {
        if (!key.empty() && f.attributes.text(key) != value) continue;
        best = std::min(best, geo::distance_m(p, geo::representative_point(f.geometry)));
    }
    return best;
}
}  // namespace

TEST_CASE("Airbases lie within 2.5 km of the real aerodrome (OpenFlights/OurAirports)", "[data][sites]") {
    const auto& airports = first_layer("openflights_airports_be.geojson");
    for (const auto* s : ws().catalogue.of_kind(sites::SiteKind::Airbase)) {
        std::string icao = s->attributes.text("icao");
        if (icao == "EBMB") icao = "EBBR";  // Melsbroek shares Brussels Airport's runways (data README)
        INFO(s->id << " " << icao);
        REQUIRE_FALSE(icao.empty());
        CHECK(nearest_point_m(s->anchor(), airports, "icao", icao) < 2'500);
    }
}

TEST_CASE("Ports lie within 10 km of Natural Earth's port points", "[data][sites]") {
    const auto& ports = first_layer("ne10m_ports_be.geojson");
    for (const auto* s : ws().catalogue.of_kind(sites::SiteKind::Port)) {
        INFO(s->id);
        CHECK(nearest_point_m(s->anchor(), ports) < 10'000);
    }
}

TEST_CASE("Rail terminals lie near a real NMBS/SNCB station (iRail)", "[data][sites]") {
    const auto& stations = first_layer("irail_stations.geojson");
    std::vector<double> d;
    for (const auto* s : ws().catalogue.of_kind(sites::SiteKind::RailTerminal)) {
        INFO(s->id);
        d.push_back(nearest_point_m(s->anchor(), stations));
        // Freight yards such as Montzen (line 24) have no passenger station of their own:
        // the nearest one (Welkenraedt) is 5.5 km away. Nothing may be further than 6 km.
        CHECK(d.back() < 6'000);
    }
    std::sort(d.begin(), d.end());
    REQUIRE_FALSE(d.empty());
    CHECK(d[d.size() / 2] < 2'000);  // and most terminals sit at a station
}

TEST_CASE("Sites lie inside Natural Earth's Belgium and crossings near its border", "[data][sites]") {
    const auto& be = first_layer("be_boundary_ne50m.geojson");
    const auto& feature = be.features.at(0);
    geo::MultiPolygon mp;
    if (auto* p = std::get_if<geo::Polygon>(&feature.geometry)) mp.push_back(*p);
    if (auto* m = std::get_if<geo::MultiPolygon>(&feature.geometry)) mp = *m;
    REQUIRE_FALSE(mp.empty());
    for (const auto& s : ws().catalogue.sites()) {
        INFO(s.id);
        const auto a = s.anchor();
        double to_border = INFINITY;
        for (const auto& poly : mp)
            to_border = std::min(to_border,
                                 geo::distance_to_line_m(a, geo::LineString(poly.outer().begin(), poly.outer().end())));
        if (s.kind == sites::SiteKind::BorderCrossing)
            CHECK(to_border < 5'000);  // the 1:50m border cuts corners by up to ~4 km (Aachen)
        else CHECK((geo::bg::within(a, mp) || to_border < 1'000));
    }
}

namespace {
// Share of the authored motorway vertices inside box (shrunk by a margin in degrees)
// that lie within 1 km of one of the reference lines; counts samples too.
double share_near(const layer::Layer& reference, const geo::Box& box, double margin_lon, double margin_lat,
                  std::size_t& samples) {
    std::size_t near = 0;
    samples = 0;
    for (const auto& f : ws().layers.get("roads").features) {
        if (f.attributes.text("class") != "motorway") continue;
        for (const auto& p : std::get<geo::LineString>(f.geometry)) {
            if (geo::lon(p) < geo::lon(box.min_corner()) + margin_lon ||
                geo::lon(p) > geo::lon(box.max_corner()) - margin_lon ||
                geo::lat(p) < geo::lat(box.min_corner()) + margin_lat ||
                geo::lat(p) > geo::lat(box.max_corner()) - margin_lat)
                continue;
            ++samples;
            near += test::distance_to_layer_m(p, reference) < 1'000;
        }
    }
    return samples ? static_cast<double>(near) / samples : 0.0;
}

bool is_motorway_like(const std::string& hw) {
    return hw == "motorway" || hw == "trunk" || hw == "motorway_link" || hw == "trunk_link";
}
}  // namespace

TEST_CASE("Authored motorways follow the real OSM motorways around Ghent", "[data][network]") {
    const auto& osm = first_layer("ghent_roads_osm.gpkg");
    layer::Layer motorways;
    for (const auto& f : osm.features)
        if (is_motorway_like(f.attributes.text("highway"))) motorways.features.push_back(f);
    REQUIRE(motorways.features.size() > 100);
    geo::Box box;
    osm.extent(box);
    std::size_t samples = 0;
    const double share = share_near(motorways, box, 0.015, 0.01, samples);
    INFO(share * 100 << " % of " << samples << " authored motorway vertices within 1 km of an OSM motorway");
    REQUIRE(samples >= 5);
    CHECK(share >= 0.9);
}

TEST_CASE("Authored motorways follow the real OSM motorways around Antwerp", "[data][network]") {
    layer::Layer motorways;
    geo::Box box;
    bool have_box = false;
    for (const auto& l : io::read_source(test::shared_data("antwerp_2014.osm.pbf"))) {
        if (l.name != "lines") continue;
        have_box = l.extent(box);
        for (const auto& f : l.features)
            if (is_motorway_like(f.attributes.text("highway"))) motorways.features.push_back(f);
    }
    REQUIRE(have_box);
    REQUIRE(motorways.features.size() > 50);
    std::size_t samples = 0;
    const double share = share_near(motorways, box, 0.01, 0.008, samples);
    INFO(share * 100 << " % of " << samples << " authored motorway vertices within 1 km of an OSM motorway");
    REQUIRE(samples >= 3);
    CHECK(share >= 0.85);
}

TEST_CASE("Provinces match the real province polygons (name-suggestion-index)", "[data][boundaries]") {
    const auto& real = first_layer("be_provinces_nsi.geojson");
    std::size_t checked = 0;
    for (const auto& f : ws().layers.get("belgium").features) {
        if (f.attributes.text("kind") != "province") continue;
        const std::string iso = f.attributes.text("iso_3166_2");
        INFO(f.id << " " << iso);
        const layer::Feature* match = nullptr;
        for (const auto& r : real.features)
            if (r.attributes.text("iso_3166_2") == iso) match = &r;
        REQUIRE(match);
        // Our province's representative point lies in the real province.
        const auto pt = geo::representative_point(f.geometry);
        bool inside = false;
        if (auto* p = std::get_if<geo::Polygon>(&match->geometry)) inside = geo::bg::within(pt, *p);
        if (auto* m = std::get_if<geo::MultiPolygon>(&match->geometry)) inside = geo::bg::within(pt, *m);
        CHECK(inside);
        // And its area is within 25 % of the real one. The reference West Flanders
        // polygon includes the territorial sea (5,242 km2 against 3,197 km2 of land).
        if (iso == "BE-VWV") CHECK(geo::area_m2(f.geometry) < geo::area_m2(match->geometry));
        else CHECK(geo::area_m2(f.geometry) == Approx(geo::area_m2(match->geometry)).epsilon(0.25));
        ++checked;
    }
    CHECK(checked == 11);
}
