// SPDX-License-Identifier: MIT
// A test plugin of ABI 1.1 parameter types: a place, a list of records (air-defence
// placements with a host-provided type, a place and optional numbers), an enum of host
// choices, a file and a raster. It echoes what it reads through the host's services.
#include <cstdio>
#include <string>

#include "mp/plugin.hpp"

namespace {

const MpParamDef kSystemFields[] = {
    mp::sdk::host_enum_param("type", "Type", "air-defence-systems", nullptr, 1),
    mp::sdk::place_param("at", "At", nullptr, 1),
    mp::sdk::number_param("mast_m", "Mast", "m", "10", 0, 100),
    mp::sdk::number_param("range_km", "Range", "km", nullptr, 0.1, 1000),
};

const MpParamDef kParams[] = {
    mp::sdk::place_param("at", "Defended point", nullptr, 1),
    mp::sdk::record_list_param("systems", "Systems", kSystemFields, 4, 0),
    mp::sdk::host_enum_param("vehicle", "Vehicle", "vehicle-presets"),
    mp::sdk::file_param("notes", "Notes", MP_FILE_IN, "*.txt"),
    mp::sdk::file_param("report", "Report", MP_FILE_OUT, "*.csv"),
    mp::sdk::raster_param("dem", "Terrain"),
};

std::string fmt(double v) {
    char b[64];
    std::snprintf(b, sizeof b, "%.3f", v);
    return b;
}

void run(mp::sdk::Run& r) {
    const mp::sdk::Place at = r.place("at");
    r.info("at " + at.label());
    auto out = r.result_layer("systems", "#2ca02c", 3, "type");
    const std::string table = "air-defence-systems";
    for (std::size_t i = 0; i < r.count("systems"); ++i) {
        const std::string type = r.text(mp::sdk::path("systems", i, "type"));
        const mp::sdk::Place p = r.place(mp::sdk::path("systems", i, "at"));
        const std::size_t row = r.table_find(table, type);
        const double range_km = r.has(mp::sdk::path("systems", i, "range_km"))
                                    ? r.number(mp::sdk::path("systems", i, "range_km"))
                                    : r.table_number(table, row, "range_km").value_or(0);
        const double d = r.distance_m(at.lon, at.lat, p.lon, p.lat);
        out.add("S" + std::to_string(i + 1), mp::sdk::Geometry::point(p.lon, p.lat))
            .set("type", type)
            .set("site", p.site)
            .set("mast_m", r.number(mp::sdk::path("systems", i, "mast_m")))
            .set("range_km", range_km)
            .set("distance_m", d);
        r.info("S" + std::to_string(i + 1) + " " + type + " at " + p.label() + " mast " +
               fmt(r.number(mp::sdk::path("systems", i, "mast_m"))) + " m, range " + fmt(range_km) + " km, " +
               fmt(d / 1000) + " km from the defended point");
    }
    if (r.has("vehicle")) {
        const std::string v = r.text("vehicle");
        const auto row = r.table_find("vehicle-presets", v);
        r.info("vehicle " + v + " mlc " + fmt(r.table_number("vehicle-presets", row, "mlc").value_or(-1)));
    }
    if (r.has("notes")) r.info("notes file " + r.text("notes"));
    if (r.has("systems")) r.info("systems as JSON: " + r.json("systems"));
}

}  // namespace

MP_SDK_PLUGIN(MP_TEST_PLUGIN_ID, "Record parameters", "1.1.0", "ABI 1.1 parameter types", kParams,
              sizeof(kParams) / sizeof(kParams[0]), run)
