/* SPDX-License-Identifier: MIT */
/* terrain-profile: a planner's plugin in plain C on the ABI 1.1 host services alone.
 * It asks the host for the road route between two places for a vehicle (distance,
 * travel time, geometry), reads the terrain under the route from any GDAL raster
 * through the raster service (the host warps it onto the points asked for), and
 * returns the route with its climb and highest point, and the height profile as a
 * chart. A route the vehicle cannot take is "infeasible" (the host names the binding
 * restriction); bad input (an unknown place, a file that is not a raster) is "rejected". */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mp/mp_plugin.h"

#define MAX_SAMPLES 400

static const MpParamDef kParams[] = {
    /* key, label, description, type, unit, has_min, min, has_max, max, default, required, choices, item_type,
       then the ABI 1.1 fields: choices_from, direction, file_types, fields, field_count */
    {"from", "From", "Start: a site or lon,lat", MP_PARAM_PLACE, NULL, 0, 0, 0, 0, "port-antwerp", 1, NULL,
     MP_PARAM_STRING, NULL, MP_FILE_IN, NULL, NULL, 0},
    {"to", "To", "Destination: a site or lon,lat", MP_PARAM_PLACE, NULL, 0, 0, 0, 0, "leopoldsburg-rail-terminal", 1,
     NULL, MP_PARAM_STRING, NULL, MP_FILE_IN, NULL, NULL, 0},
    {"dem", "Terrain model", "Any GDAL raster of heights in metres", MP_PARAM_RASTER, NULL, 0, 0, 0, 0, NULL, 1, NULL,
     MP_PARAM_STRING, NULL, MP_FILE_IN, "*.tif;*.vrt;*.asc;*.hgt", NULL, 0},
    {"vehicle", "Vehicle", "A vehicle preset of the host", MP_PARAM_ENUM, NULL, 0, 0, 0, 0, NULL, 0, NULL,
     MP_PARAM_STRING, "vehicle-presets", MP_FILE_IN, NULL, NULL, 0},
    {"samples", "Samples", "Points along the route", MP_PARAM_INTEGER, NULL, 1, 2, 1, MAX_SAMPLES, "100", 0, NULL,
     MP_PARAM_STRING, NULL, MP_FILE_IN, NULL, NULL, 0},
};

/* Passes a failed service call on: the host's message, and a status the host reports as
 * rejected (bad input), infeasible (no answer) or failed. */
static MpStatus pass_on(const MpHostApi* host, MpRunContext* ctx, MpStatus s, const char* what) {
    char text[1200];
    snprintf(text, sizeof text, "%s: %s", what, host->last_error(ctx));
    host->message(ctx, MP_ERROR_LEVEL, text);
    return s == MP_INVALID_ARGUMENT || s == MP_NOT_FOUND ? MP_INVALID_ARGUMENT : s;
}

/* The point at distance d (m) along the line, from the geodesic lengths of its segments. */
static void point_at(const MpGeometry* line, const double* cum, double d, double* lon, double* lat) {
    size_t i = 1;
    double t;
    while (i + 1 < line->n_points && cum[i] < d) ++i;
    t = cum[i] > cum[i - 1] ? (d - cum[i - 1]) / (cum[i] - cum[i - 1]) : 0;
    if (t < 0) t = 0;
    if (t > 1) t = 1;
    *lon = line->xy[2 * (i - 1)] + t * (line->xy[2 * i] - line->xy[2 * (i - 1)]);
    *lat = line->xy[2 * (i - 1) + 1] + t * (line->xy[2 * i + 1] - line->xy[2 * (i - 1) + 1]);
}

static MpStatus run(const MpHostApi* host, MpRunContext* ctx) {
    const char *from = NULL, *to = NULL, *vehicle = NULL;
    int64_t samples = 100;
    MpNetwork* road = NULL;
    MpRoute* route = NULL;
    MpRaster* dem = NULL;
    MpRasterInfo info;
    MpRouteRequest req;
    MpVehicleProfile profile;
    MpMovementInfo mv;
    MpLegInfo leg;
    MpStatus s;
    static double cum[100000], km[MAX_SAMPLES], height[MAX_SAMPLES];
    double climb = 0, highest = -INFINITY, step;
    int64_t k, valid = 0;
    size_t i;
    char text[512];

    if (!MP_HOST_HAS(host, network_route) || !MP_HOST_HAS(host, raster_read)) {
        host->message(ctx, MP_ERROR_LEVEL, "terrain-profile needs a host with ABI 1.1 services");
        return MP_ERROR;
    }
    host->param_string(ctx, "from", &from);
    host->param_string(ctx, "to", &to);
    if (host->param_is_set(ctx, "vehicle")) host->param_string(ctx, "vehicle", &vehicle);
    host->param_integer(ctx, "samples", &samples);

    /* 1. The road route for the vehicle, from the host's network service. */
    host->progress(ctx, 0.1, "routing");
    s = host->network_open(ctx, MP_NETWORK_ROAD, NULL, &road);
    if (s != MP_OK) return pass_on(host, ctx, s, "road network");
    memset(&profile, 0, sizeof profile);
    profile.struct_size = sizeof profile;
    profile.preset = vehicle;
    profile.tracked = -1;
    memset(&req, 0, sizeof req);
    req.struct_size = sizeof req;
    req.road = road;
    req.from = from;
    req.to = to;
    req.mode = MP_TRAVEL_ROAD;
    req.metric = MP_METRIC_FASTEST;
    req.vehicle = vehicle ? &profile : NULL;
    req.from_param = "from";
    req.to_param = "to";
    s = host->network_route(ctx, &req, &route);
    if (s != MP_OK) return pass_on(host, ctx, s, "route");
    memset(&mv, 0, sizeof mv);
    mv.struct_size = sizeof mv;
    memset(&leg, 0, sizeof leg);
    leg.struct_size = sizeof leg;
    if ((s = host->route_movement(route, 0, &mv)) != MP_OK || (s = host->route_leg(route, 0, 0, &leg)) != MP_OK)
        return pass_on(host, ctx, s, "route answer");
    if (leg.line.n_points < 2 || leg.line.n_points > sizeof cum / sizeof cum[0]) {
        host->message(ctx, MP_ERROR_LEVEL, "the route line has too few or too many points");
        return MP_ERROR;
    }
    cum[0] = 0;
    for (i = 1; i < leg.line.n_points; ++i) {
        double d = 0;
        host->geod_inverse(ctx, leg.line.xy[2 * i - 2], leg.line.xy[2 * i - 1], leg.line.xy[2 * i],
                           leg.line.xy[2 * i + 1], &d, NULL, NULL);
        cum[i] = cum[i - 1] + d;
    }

    /* 2. The terrain under it: the host opens any GDAL raster and warps it onto the grid
     *    asked for, here one cell of 1e-6 degrees centred on each sample point. */
    host->progress(ctx, 0.5, "reading the terrain");
    s = host->raster_open(ctx, "dem", &dem);
    if (s != MP_OK) return pass_on(host, ctx, s, "terrain model");
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    host->raster_info(dem, &info);
    step = cum[leg.line.n_points - 1] / (double)(samples - 1);
    for (k = 0; k < samples; ++k) {
        MpGridSpec grid;
        double lon, lat, z = NAN;
        point_at(&leg.line, cum, step * (double)k, &lon, &lat);
        memset(&grid, 0, sizeof grid);
        grid.struct_size = sizeof grid;
        grid.crs = "EPSG:4326";
        grid.origin_x = lon - 0.5e-6, grid.origin_y = lat + 0.5e-6;
        grid.cell_size_x = grid.cell_size_y = 1e-6;
        grid.width = grid.height = 1;
        s = host->raster_read(dem, 1, &grid, MP_RESAMPLE_BILINEAR, NAN, &z);
        if (s == MP_CANCELLED || host->cancelled(ctx)) return MP_CANCELLED;
        km[k] = step * (double)k / 1000.0;
        height[k] = s == MP_OK ? z : NAN; /* outside the model: no height */
        if (isfinite(height[k])) {
            if (valid > 0 && isfinite(height[k - 1]) && height[k] > height[k - 1]) climb += height[k] - height[k - 1];
            if (height[k] > highest) highest = height[k];
            ++valid;
        }
    }
    if (valid == 0) {
        snprintf(text, sizeof text, "the terrain model %s does not cover the route from %s to %s", info.source, from,
                 to);
        host->message(ctx, MP_ERROR_LEVEL, text);
        return MP_INVALID_ARGUMENT;
    }

    /* 3. Results: the route with its figures, and the profile as a line chart. */
    {
        MpResultLayer* layer = host->result_layer(ctx, "terrain_profile", "#8c564b", 4, "label");
        char label[128];
        host->layer_add_feature(layer, "route", &leg.line);
        host->feature_set_text(layer, "from", from);
        host->feature_set_text(layer, "to", to);
        host->feature_set_text(layer, "vehicle", vehicle ? vehicle : "unrestricted");
        host->feature_set_number(layer, "distance_km", mv.distance_m / 1000);
        host->feature_set_number(layer, "duration_h", mv.duration_s / 3600);
        host->feature_set_number(layer, "start_height_m", height[0]);
        host->feature_set_number(layer, "end_height_m", height[samples - 1]);
        host->feature_set_number(layer, "climb_m", climb);
        host->feature_set_number(layer, "highest_m", highest);
        snprintf(label, sizeof label, "%.0f km, %.1f h, climb %.0f m", mv.distance_m / 1000, mv.duration_s / 3600,
                 climb);
        host->feature_set_text(layer, "label", label);
    }
    {
        MpResultTable* table = host->result_table(ctx, "profile", NULL);
        MpChart chart;
        const char* y[1] = {"height"};
        host->table_number_column(table, "km", "km", km, (size_t)samples);
        host->table_number_column(table, "height", "m", height, (size_t)samples);
        memset(&chart, 0, sizeof chart);
        chart.struct_size = sizeof chart;
        chart.kind = "line";
        chart.title = "Height along the route";
        chart.x = "km";
        chart.y = y;
        chart.n_y = 1;
        host->table_chart(table, &chart);
    }
    snprintf(text, sizeof text, "%s to %s: %.1f km, %.2f h by road; climb %.0f m, highest %.0f m (%s, %s)", from, to,
             mv.distance_m / 1000, mv.duration_s / 3600, climb, highest, info.crs_name, info.source);
    host->message(ctx, MP_INFO, text);
    host->progress(ctx, 1.0, "done");
    return MP_OK;
}

MP_PLUGIN_EXPORT const MpPluginV1* mp_plugin_entry(void) {
    static const MpPluginV1 plugin = {sizeof(MpPluginV1),
                                      MP_PLUGIN_ABI_MAJOR,
                                      MP_PLUGIN_ABI_MINOR,
                                      "terrain-profile",
                                      "Terrain profile of a road route",
                                      "1.0.0",
                                      "Road route for a vehicle with the climb and height profile from a DEM (plain C)",
                                      kParams,
                                      sizeof kParams / sizeof kParams[0],
                                      NULL,
                                      run,
                                      NULL,
                                      sizeof(MpParamDef)};
    return &plugin;
}
