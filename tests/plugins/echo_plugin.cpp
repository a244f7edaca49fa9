// SPDX-License-Identifier: MIT
// A well-behaved test plugin: every parameter type, every result kind.
#include <chrono>
#include <thread>

#include "mp/plugin.hpp"

namespace {
const char* const kModes[] = {"fast", "thorough", nullptr};

MpParamDef make_params_storage[10];
const MpParamDef* params() {
    static bool done = false;
    if (!done) {
        make_params_storage[0] = mp::sdk::number_param("speed", "Speed", "km/h", "50", 1, 120, "March speed");
        make_params_storage[1] = mp::sdk::param("count", "Count", MP_PARAM_INTEGER, "3");
        make_params_storage[1].has_min = 1, make_params_storage[1].min = 1, make_params_storage[1].has_max = 1,
        make_params_storage[1].max = 100;
        make_params_storage[2] = mp::sdk::param("labels", "Labels", MP_PARAM_BOOL, "true");
        make_params_storage[3] = mp::sdk::param("mode", "Mode", MP_PARAM_ENUM, "fast");
        make_params_storage[3].choices = kModes;
        make_params_storage[4] = mp::sdk::param("title", "Title", MP_PARAM_STRING, "echo");
        make_params_storage[5] = mp::sdk::param("site", "Site", MP_PARAM_SITE, nullptr, 1);
        make_params_storage[6] = mp::sdk::param("layer", "Layer", MP_PARAM_LAYER, nullptr);
        make_params_storage[7] = mp::sdk::param("point", "Point", MP_PARAM_COORDINATE, "4.40,51.22");
        make_params_storage[8] = mp::sdk::param("area", "Area", MP_PARAM_POLYGON, nullptr);
        make_params_storage[9] = mp::sdk::param("sites", "More sites", MP_PARAM_LIST, nullptr);
        make_params_storage[9].item_type = MP_PARAM_SITE;
        done = true;
    }
    return make_params_storage;
}

void run(mp::sdk::Run& r) {
    r.progress(0.1, "reading");
    const auto site = r.site(r.text("site"));
    const auto [slon, slat] = r.site_location(site);
    const auto [plon, plat] = r.coordinate("point");
    auto out = r.result_layer("echo", "#1f77b4", 4, "name");
    out.add("site", mp::sdk::Geometry::point(slon, slat))
        .set("name", r.site_text(site, "name_en"))
        .set("speed", r.number("speed"));
    out.add("line", mp::sdk::Geometry::line({{slon, slat}, {plon, plat}}))
        .set("count", r.integer("count"))
        .style("#ff7f0e", 6);
    if (r.has("area")) out.add("area", mp::sdk::Geometry::polygon(r.polygon("area"))).set("mode", r.text("mode"));
    std::vector<double> xs, ys;
    for (int i = 0; i < r.integer("count"); ++i) xs.push_back(i), ys.push_back(i * r.number("speed"));
    r.table("series", "line").numbers("hour", xs, "h").numbers("distance", ys, "km");
    const double gt[6] = {4.0, 0.5, 0.0, 51.5, 0.0, -0.5};
    r.raster("grid", 2, 2, gt, "EPSG:4326", {1, 2, 3, 4}, -1, "count");
    std::size_t layers_seen = r.layer_count();
    r.info("saw " + std::to_string(layers_seen) + " layers and " + std::to_string(r.site_count()) + " sites");
    if (r.has("sites")) r.info("list has " + std::to_string(r.list("sites").size()) + " sites");
    if (r.has("layer"))
        r.info("layer " + r.text("layer") + " has " + std::to_string(r.feature_count(r.layer(r.text("layer")))) +
               " features");
    r.progress(1.0, "done");
}
}  // namespace

MP_SDK_PLUGIN(MP_TEST_PLUGIN_ID, "Echo test plugin", "1.0.0", "Echoes its parameters as results", params(), 10, run)
