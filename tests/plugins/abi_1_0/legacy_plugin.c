/* SPDX-License-Identifier: MIT */
/* A plugin exactly as a planner wrote it against ABI 1.0: plain C99, the 1.0 header
 * (mp_plugin_1_0.h, a copy of mp_plugin.h as released with ABI 1.0) and nothing else.
 * A 1.1 host must load it, read its 1.0 parameter table (entries of the 1.0 size) and
 * run it unchanged, in process and isolated. */
#include <stdio.h>
#include <string.h>

#include "mp_plugin_1_0.h"

static const char* const kShapes[] = {"point", "line", NULL};

static const MpParamDef kParams[] = {
    {"site", "Site", "Site to mark", MP_PARAM_SITE, NULL, 0, 0, 0, 0, NULL, 1, NULL, MP_PARAM_STRING},
    {"radius_km", "Radius", "Radius of interest", MP_PARAM_NUMBER, "km", 1, 0.5, 1, 200, "10", 0, NULL,
     MP_PARAM_STRING},
    {"shape", "Shape", "What to draw", MP_PARAM_ENUM, NULL, 0, 0, 0, 0, "line", 0, kShapes, MP_PARAM_STRING},
    {"count", "Count", "Rows of the table", MP_PARAM_INTEGER, NULL, 1, 1, 1, 50, "3", 0, NULL, MP_PARAM_STRING},
    {"to", "To", "Other end of the line", MP_PARAM_COORDINATE, NULL, 0, 0, 0, 0, "4.40,51.22", 0, NULL,
     MP_PARAM_STRING},
    {"others", "Other sites", "More sites", MP_PARAM_LIST, NULL, 0, 0, 1, 10, NULL, 0, NULL, MP_PARAM_SITE},
    {"title", "Title", "A label", MP_PARAM_STRING, NULL, 0, 0, 0, 0, "legacy", 0, NULL, MP_PARAM_STRING},
};

static MpStatus run(const MpHostApi* host, MpRunContext* ctx) {
    const char* site_id = NULL;
    const char* shape = NULL;
    const char* title = NULL;
    double radius = 0, lon = 0, lat = 0, to_lon = 0, to_lat = 0;
    int64_t count = 0;
    size_t site, others = 0;
    char text[256];
    if (host->struct_size < sizeof(MpHostApi) || host->abi_major != MP_PLUGIN_ABI_MAJOR) return MP_ERROR;
    if (host->param_string(ctx, "site", &site_id) != MP_OK || host->param_number(ctx, "radius_km", &radius) != MP_OK ||
        host->param_string(ctx, "shape", &shape) != MP_OK || host->param_integer(ctx, "count", &count) != MP_OK ||
        host->param_coordinate(ctx, "to", &to_lon, &to_lat) != MP_OK ||
        host->param_string(ctx, "title", &title) != MP_OK) {
        host->message(ctx, MP_ERROR_LEVEL, "a parameter is missing");
        return MP_ERROR;
    }
    if (host->param_is_set(ctx, "others")) host->param_list_size(ctx, "others", &others);
    site = host->site_find(ctx, site_id);
    if (site == (size_t)-1 || host->site_location(ctx, site, &lon, &lat) != MP_OK) return MP_INVALID_ARGUMENT;
    host->progress(ctx, 0.5, "drawing");
    {
        MpResultLayer* layer = host->result_layer(ctx, "legacy", "#9467bd", 3.0, "name");
        double xy[4];
        uint32_t ends[1];
        MpGeometry g;
        const char* name = NULL;
        memset(&g, 0, sizeof g);
        xy[0] = lon, xy[1] = lat, xy[2] = to_lon, xy[3] = to_lat;
        ends[0] = 2;
        g.xy = xy;
        if (strcmp(shape, "line") == 0) {
            g.type = MP_GEOM_LINESTRING, g.n_points = 2, g.ring_ends = ends, g.n_rings = 1;
        } else {
            g.type = MP_GEOM_POINT, g.n_points = 1;
        }
        if (!layer || host->layer_add_feature(layer, "mark", &g) != MP_OK) return MP_ERROR;
        host->site_text(ctx, site, "name_en", &name);
        host->feature_set_text(layer, "name", name ? name : "");
        host->feature_set_text(layer, "title", title);
        host->feature_set_number(layer, "radius_km", radius);
        host->feature_set_integer(layer, "others", (int64_t)others);
    }
    {
        MpResultTable* table = host->result_table(ctx, "steps", "line");
        double x[50], y[50];
        int64_t i;
        for (i = 0; i < count; ++i) x[i] = (double)i, y[i] = radius * (double)i;
        host->table_number_column(table, "step", NULL, x, (size_t)count);
        host->table_number_column(table, "distance", "km", y, (size_t)count);
    }
    snprintf(text, sizeof text, "legacy 1.0 plugin: %s, %g km, %s, %d rows, %d other sites", site_id, radius, shape,
             (int)count, (int)others);
    host->message(ctx, MP_INFO, text);
    host->progress(ctx, 1.0, "done");
    return MP_OK;
}

MP_PLUGIN_EXPORT const MpPluginV1* mp_plugin_entry(void) {
    static const MpPluginV1 plugin = {sizeof(MpPluginV1),
                                      MP_PLUGIN_ABI_MAJOR,
                                      MP_PLUGIN_ABI_MINOR,
                                      "legacy-1-0",
                                      "Legacy ABI 1.0 plugin",
                                      "1.0.0",
                                      "Built against the ABI 1.0 header, in C",
                                      kParams,
                                      sizeof kParams / sizeof kParams[0],
                                      NULL,
                                      run,
                                      NULL};
    return &plugin;
}
