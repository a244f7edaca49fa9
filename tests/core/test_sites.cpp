// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include "mp/core/error.hpp"
#include "mp/sites/catalogue.hpp"

using namespace mp;

namespace {
layer::Feature site(const char* id, const char* kind, const char* en, const char* nl, const char* fr, double x,
                    double y) {
    layer::Feature f;
    f.id = id;
    f.geometry = geo::LonLat(x, y);
    f.attributes.set("id", std::string(id));
    f.attributes.set("kind", std::string(kind));
    f.attributes.set("name_en", std::string(en));
    f.attributes.set("name_nl", std::string(nl));
    f.attributes.set("name_fr", std::string(fr));
    return f;
}

sites::Catalogue fixture() {
    layer::Layer l;
    l.name = "fixture";
    l.features.push_back(
        site("port-antwerp", "port", "Port of Antwerp", "Haven van Antwerpen", "Port d'Anvers", 4.30, 51.28));
    l.features.push_back(site("chievres-air-base", "airbase", "Chièvres Air Base", "Vliegbasis Chièvres",
                              "Base aérienne de Chièvres", 3.83, 50.58));
    l.features.push_back(site("leopoldsburg-rail-terminal", "rail_terminal", "Leopoldsburg rail terminal",
                              "Spoorterminal Leopoldsburg", "Terminal ferroviaire de Bourg-Léopold", 5.25, 51.12));
    l.features.push_back(
        site("liege-airport", "airbase", "Liège Airport", "Luchthaven Luik", "Aéroport de Liège", 5.44, 50.64));
    auto road = site("e40", "motorway", "E40", "E40", "E40", 4.0, 51.0);  // not a site kind: ignored
    l.features.push_back(road);
    sites::Catalogue c;
    c.add_layer(l);
    return c;
}
}  // namespace

TEST_CASE("Names normalise without case, accents and punctuation", "[sites]") {
    CHECK(sites::normalise_name("Chièvres") == "chievres");
    CHECK(sites::normalise_name("Bourg-Léopold") == "bourg leopold");
    CHECK(sites::normalise_name("  LIÈGE – Bierset ") == "liege bierset");
    CHECK(sites::normalise_name("Port d'Anvers") == "port danvers");
    CHECK(sites::normalise_name("Sankt-Vith’s") == "sankt viths");
}

TEST_CASE("Catalogue finds sites by id and by NL/FR/EN names", "[sites]") {
    const auto c = fixture();
    CHECK(c.sites().size() == 4);
    CHECK(c.find("port-antwerp").value()->id == "port-antwerp");
    CHECK(c.find("Haven van Antwerpen").value()->id == "port-antwerp");
    CHECK(c.find("port d'anvers").value()->id == "port-antwerp");
    CHECK(c.find("CHIEVRES").value()->id == "chievres-air-base");
    CHECK(c.find("Bourg-Leopold").value()->id == "leopoldsburg-rail-terminal");
    CHECK(c.find("luik").value()->id == "liege-airport");
    CHECK(c.find("Aéroport de Liège").value()->id == "liege-airport");
    CHECK(c.of_kind(sites::SiteKind::Airbase).size() == 2);
}

TEST_CASE("Unknown and ambiguous sites fail with a reason", "[sites][errors]") {
    const auto c = fixture();
    auto r = c.find("Zeebruge");
    REQUIRE_FALSE(r.ok());
    CHECK(r.reason().find("unknown site 'Zeebruge'") != std::string::npos);
    CHECK(r.reason().find("did you mean") != std::string::npos);
    auto amb = c.find("air");  // inside "Chièvres Air Base" and "Liège Airport"
    REQUIRE_FALSE(amb.ok());
    CHECK(amb.reason().find("ambiguous") != std::string::npos);
}

TEST_CASE("Duplicate site ids are rejected with the layer named", "[sites][errors]") {
    layer::Layer l;
    l.name = "dups";
    l.features.push_back(site("x", "port", "X", "X", "X", 4, 51));
    l.features.push_back(site("x", "port", "Y", "Y", "Y", 4, 51));
    sites::Catalogue c;
    try {
        c.add_layer(l);
        FAIL("no error");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("duplicate site id 'x'") != std::string::npos);
        CHECK(e.where().find("dups") != std::string::npos);
    }
}

TEST_CASE("Site kinds parse from names and plurals", "[sites]") {
    CHECK(sites::parse_kind("rail-terminal") == sites::SiteKind::RailTerminal);
    CHECK(sites::parse_kind("ports") == sites::SiteKind::Port);
    CHECK(sites::parse_kind("airfield") == sites::SiteKind::Airbase);
    CHECK_FALSE(sites::parse_kind("castle"));
}
