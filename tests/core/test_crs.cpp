// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include "mp/core/error.hpp"
#include "mp/geo/crs.hpp"

using namespace mp::geo;
using Catch::Matchers::WithinAbs;

namespace {
struct Reference {
    const char* name;
    double lon, lat;
    double l72_x, l72_y;  // EPSG:31370, from PROJ 9.1 cs2cs (best operation BD72 -> WGS 84 (3))
    double l08_x, l08_y;  // EPSG:3812, from PROJ 9.1 cs2cs
};
// Reference values printed by `cs2cs -f %.4f EPSG:4326 EPSG:31370` and `... EPSG:3812`.
constexpr Reference kRefs[] = {
    {"Brussels Grand-Place", 4.3517, 50.8503, 148799.1702, 171100.1548, 648798.7360, 671100.4141},
    {"Leopoldsburg", 5.2589, 51.1185, 212325.1405, 201310.2219, 712320.5941, 701317.8033},
    {"Zeebrugge", 3.2030, 51.3305, 68748.7773, 225159.1593, 568742.5415, 725149.4505},
    {"Elsenborn", 6.1569, 50.4856, 276887.2209, 132061.3822, 776890.3945, 632077.2228},
};
}  // namespace

TEST_CASE("WGS84 to Belgian Lambert 72 and 2008 agree with PROJ's reference values to the centimetre", "[crs]") {
    Transformer to72(kWgs84, kLambert72);
    Transformer to08(kWgs84, kLambert2008);
    for (const auto& r : kRefs) {
        INFO(r.name);
        double x = r.lon, y = r.lat;
        to72.forward(x, y);
        CHECK_THAT(x, WithinAbs(r.l72_x, 0.01));
        CHECK_THAT(y, WithinAbs(r.l72_y, 0.01));
        x = r.lon, y = r.lat;
        to08.forward(x, y);
        CHECK_THAT(x, WithinAbs(r.l08_x, 0.01));
        CHECK_THAT(y, WithinAbs(r.l08_y, 0.01));
    }
}

TEST_CASE("Lambert 2008 natural origin maps to its defined false easting and northing", "[crs]") {
    // EPSG:3812 is defined with its origin at 50d47'52.134"N 4d21'33.177"E (ETRS89) ->
    // E 649328, N 665262: an independent check of the whole axis-order pipeline.
    Transformer t("EPSG:4258", kLambert2008);
    double x = 4.0 + 21.0 / 60 + 33.177 / 3600, y = 50.0 + 47.0 / 60 + 52.134 / 3600;
    t.forward(x, y);
    CHECK_THAT(x, WithinAbs(649328.0, 0.01));
    CHECK_THAT(y, WithinAbs(665262.0, 0.01));
}

TEST_CASE("Round trips through 31370, 3812 and 3857 return to the start within a millimetre", "[crs]") {
    for (const char* crs : {kLambert72, kLambert2008, kWebMercator}) {
        INFO(crs);
        for (const auto& r : kRefs) {
            const auto p = project(LonLat(r.lon, r.lat), crs);
            const auto back = unproject(p, crs);
            CHECK_THAT(lon(back), WithinAbs(r.lon, 1e-8));
            CHECK_THAT(lat(back), WithinAbs(r.lat, 1e-8));
        }
    }
}

TEST_CASE("Web Mercator easting of 4.3517 E is R * lon in radians", "[crs]") {
    const auto p = project(LonLat(4.3517, 50.8503), kWebMercator);
    CHECK_THAT(p.x(), WithinAbs(6378137.0 * 4.3517 * 3.14159265358979323846 / 180, 0.001));
}

TEST_CASE("Transformer accepts WKT and rejects unknown CRSs with the CRS named", "[crs]") {
    Transformer t(kWgs84, kLambert72);
    REQUIRE_THROWS_AS(Transformer(kWgs84, "EPSG:999999"), mp::InputError);
    try {
        Transformer bad(kWgs84, "EPSG:999999");
    } catch (const mp::InputError& e) {
        CHECK(std::string(e.what()).find("EPSG:999999") != std::string::npos);
    }
    CHECK(describe_crs(kLambert72).find("31370") != std::string::npos);
}
