/* SPDX-License-Identifier: MIT */
/*
 * mp_plugin.h: the C ABI between the enablement planner (host) and its plugins.
 *
 * A plugin is a shared library exporting one symbol with C linkage:
 *
 *     const MpPluginV1* mp_plugin_entry(void);
 *
 * The host accepts a plugin only when its abi_major equals MP_PLUGIN_ABI_MAJOR and its
 * abi_minor is not higher than the host's. Only C types cross this boundary: UTF-8
 * strings, doubles, integers and arrays of them. Coordinates are WGS84 longitude,
 * latitude in degrees (EPSG:4326, lon first). Whoever allocates frees: strings the
 * host returns stay valid until the run ends; the host copies everything a plugin
 * passes in. No C++ exceptions may cross this boundary (the C++ helper plugin.hpp
 * catches them and reports an error status).
 *
 * Appending fields to a struct bumps the minor version; any other change bumps the
 * major version. See docs/plugins.md.
 */
#ifndef MP_PLUGIN_H
#define MP_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MP_PLUGIN_ABI_MAJOR 1
#define MP_PLUGIN_ABI_MINOR 0

#if defined(_WIN32)
#define MP_PLUGIN_EXPORT __declspec(dllexport)
#else
#define MP_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/** Status of a call. */
typedef enum MpStatus {
    MP_OK = 0,
    MP_ERROR = 1,            /**< failed; a message says why */
    MP_CANCELLED = 2,        /**< stopped because the host asked */
    MP_INVALID_ARGUMENT = 3, /**< a parameter or handle was wrong */
    MP_NOT_FOUND = 4         /**< no such parameter, layer, feature or attribute */
} MpStatus;

/** Types of plugin parameters; the CLI and the GUI build inputs from them. */
typedef enum MpParamType {
    MP_PARAM_NUMBER = 0,  /**< double, with unit and optional range */
    MP_PARAM_INTEGER = 1, /**< 64-bit integer, optional range */
    MP_PARAM_BOOL = 2,
    MP_PARAM_ENUM = 3, /**< one of choices */
    MP_PARAM_STRING = 4,
    MP_PARAM_SITE = 5,       /**< a site of the catalogue; the value is its id */
    MP_PARAM_LAYER = 6,      /**< a loaded layer; the value is its name */
    MP_PARAM_COORDINATE = 7, /**< lon,lat in WGS84 degrees */
    MP_PARAM_POLYGON = 8,    /**< a ring of lon,lat points */
    MP_PARAM_LIST = 9        /**< a list of item_type values (not of lists or polygons) */
} MpParamType;

/** One parameter of a plugin's schema. Strings may be NULL where optional. */
typedef struct MpParamDef {
    const char* key;         /**< identifier, e.g. "max_hours" */
    const char* label;       /**< short human label */
    const char* description; /**< one sentence; optional */
    MpParamType type;
    const char* unit; /**< for numbers, e.g. "km/h", "t", "m"; optional */
    int has_min;      /**< non-zero when min applies (numbers, integers, list length) */
    double min;
    int has_max;
    double max;
    const char* default_value;  /**< textual default as the CLI takes it ("10", "true", "4.4,51.2"); NULL = none */
    int required;               /**< non-zero: the run fails validation without a value */
    const char* const* choices; /**< MP_PARAM_ENUM: NULL-terminated list of allowed values */
    MpParamType item_type;      /**< MP_PARAM_LIST: type of the items */
} MpParamDef;

/** Geometry types of features the host hands out and plugins return. */
typedef enum MpGeomType {
    MP_GEOM_NONE = 0,
    MP_GEOM_POINT = 1,
    MP_GEOM_LINESTRING = 2,
    MP_GEOM_POLYGON = 3,
    MP_GEOM_MULTIPOINT = 4,
    MP_GEOM_MULTILINESTRING = 5,
    MP_GEOM_MULTIPOLYGON = 6
} MpGeomType;

/**
 * A geometry as flat arrays, the same for every type:
 *  - xy holds n_points lon,lat pairs (2 * n_points doubles);
 *  - ring_ends[i] is the point index one past the end of part/ring i (n_rings entries):
 *    the lines of a (Multi)LineString, the rings of a (Multi)Polygon (exterior first);
 *  - poly_ends[j] is the ring index one past the end of polygon j (MultiPolygon; for a
 *    Polygon n_polys = 1); unused (0) for other types.
 * Points and MultiPoints use only xy. Polygon rings must be closed (first == last).
 */
typedef struct MpGeometry {
    MpGeomType type;
    const double* xy;
    size_t n_points;
    const uint32_t* ring_ends;
    size_t n_rings;
    const uint32_t* poly_ends;
    size_t n_polys;
} MpGeometry;

/** Message levels. */
typedef enum MpLevel { MP_INFO = 0, MP_WARNING = 1, MP_ERROR_LEVEL = 2 } MpLevel;

/** Attribute kinds of result features and table columns. */
typedef enum MpValueType {
    MP_VALUE_NULL = 0,
    MP_VALUE_BOOL = 1,
    MP_VALUE_INT = 2,
    MP_VALUE_NUMBER = 3,
    MP_VALUE_STRING = 4
} MpValueType;

typedef struct MpRunContext MpRunContext;   /**< opaque: one run */
typedef struct MpResultLayer MpResultLayer; /**< opaque: a result layer being built */
typedef struct MpResultTable MpResultTable; /**< opaque: a result table being built */

/**
 * What the host offers a running plugin. Every function takes the run context.
 * Functions returning const char* return host-owned strings valid until the run ends.
 */
typedef struct MpHostApi {
    uint32_t struct_size; /**< sizeof(MpHostApi) of the host; check before using appended fields */
    uint16_t abi_major;
    uint16_t abi_minor;

    /* --- parameters (validated against the schema before run) --- */
    int (*param_is_set)(const MpRunContext* ctx, const char* key);
    MpStatus (*param_number)(const MpRunContext* ctx, const char* key, double* out);
    MpStatus (*param_integer)(const MpRunContext* ctx, const char* key, int64_t* out);
    MpStatus (*param_bool)(const MpRunContext* ctx, const char* key, int* out);
    /** string, enum, site id, layer name */
    MpStatus (*param_string)(const MpRunContext* ctx, const char* key, const char** out);
    MpStatus (*param_coordinate)(const MpRunContext* ctx, const char* key, double* lon, double* lat);
    /** polygon ring as lon,lat pairs (closed) */
    MpStatus (*param_polygon)(const MpRunContext* ctx, const char* key, const double** xy, size_t* n_points);
    /** list: number of items, and each item as text (numbers in shortest form) */
    MpStatus (*param_list_size)(const MpRunContext* ctx, const char* key, size_t* n);
    MpStatus (*param_list_item)(const MpRunContext* ctx, const char* key, size_t index, const char** out);

    /* --- loaded layers (read-only) --- */
    size_t (*layer_count)(const MpRunContext* ctx);
    const char* (*layer_name)(const MpRunContext* ctx, size_t layer);
    /** index of a layer by name, or (size_t)-1 */
    size_t (*layer_find)(const MpRunContext* ctx, const char* name);
    size_t (*feature_count)(const MpRunContext* ctx, size_t layer);
    const char* (*feature_id)(const MpRunContext* ctx, size_t layer, size_t feature);
    /** the feature's geometry; arrays valid until the run ends */
    MpStatus (*feature_geometry)(const MpRunContext* ctx, size_t layer, size_t feature, MpGeometry* out);
    /** attribute as text ("" and MP_NOT_FOUND when absent, "" when null) */
    MpStatus (*feature_text)(const MpRunContext* ctx, size_t layer, size_t feature, const char* key, const char** out);
    /** attribute as number (MP_NOT_FOUND when absent, null or not numeric) */
    MpStatus (*feature_number)(const MpRunContext* ctx, size_t layer, size_t feature, const char* key, double* out);

    /* --- site catalogue (read-only) --- */
    size_t (*site_count)(const MpRunContext* ctx);
    /** index of a site by id or name (NL/FR/EN), or (size_t)-1 */
    size_t (*site_find)(const MpRunContext* ctx, const char* id_or_name);
    /** field: "id", "kind", "name_en", "name_nl", "name_fr", "source" or any attribute key */
    MpStatus (*site_text)(const MpRunContext* ctx, size_t site, const char* field, const char** out);
    MpStatus (*site_number)(const MpRunContext* ctx, size_t site, const char* key, double* out);
    /** the site's anchor point (point, or an area's centroid) */
    MpStatus (*site_location)(const MpRunContext* ctx, size_t site, double* lon, double* lat);
    MpStatus (*site_geometry)(const MpRunContext* ctx, size_t site, MpGeometry* out);

    /* --- progress, cancellation and messages --- */
    void (*progress)(MpRunContext* ctx, double fraction, const char* stage);
    /** non-zero once the user cancelled: stop soon and return MP_CANCELLED */
    int (*cancelled)(const MpRunContext* ctx);
    void (*message)(MpRunContext* ctx, MpLevel level, const char* text);

    /* --- results --- */
    /** a new result layer; style hints: colour "#rrggbb" or "#rrggbbaa", width in pixels, label attribute (may be NULL)
     */
    MpResultLayer* (*result_layer)(MpRunContext* ctx, const char* name, const char* color, double width_px,
                                   const char* label_field);
    /** adds a feature; its attributes follow with feature_set_* (they apply to the last feature added) */
    MpStatus (*layer_add_feature)(MpResultLayer* layer, const char* id, const MpGeometry* geometry);
    MpStatus (*feature_set_number)(MpResultLayer* layer, const char* key, double value);
    MpStatus (*feature_set_integer)(MpResultLayer* layer, const char* key, int64_t value);
    MpStatus (*feature_set_bool)(MpResultLayer* layer, const char* key, int value);
    MpStatus (*feature_set_text)(MpResultLayer* layer, const char* key, const char* value);
    /** a per-feature style hint overriding the layer's ("#rrggbb", width px) */
    MpStatus (*feature_set_style)(MpResultLayer* layer, const char* color, double width_px);

    /** a raster result: width x height cells, row-major from the top-left, GDAL geotransform, CRS as PROJ input */
    MpStatus (*result_raster)(MpRunContext* ctx, const char* name, size_t width, size_t height,
                              const double geotransform[6], const char* crs, const double* values, double nodata,
                              const char* unit);
    /** a result table; columns are added whole and must all have the same length */
    MpResultTable* (*result_table)(MpRunContext* ctx, const char* name, const char* chart_hint);
    MpStatus (*table_number_column)(MpResultTable* table, const char* name, const char* unit, const double* values,
                                    size_t n);
    MpStatus (*table_text_column)(MpResultTable* table, const char* name, const char* const* values, size_t n);
} MpHostApi;

/** What a plugin exports. */
typedef struct MpPluginV1 {
    uint32_t struct_size; /**< sizeof(MpPluginV1) as the plugin was built */
    uint16_t abi_major;   /**< MP_PLUGIN_ABI_MAJOR the plugin was built with */
    uint16_t abi_minor;
    const char* id;          /**< stable, unique, e.g. "transit-routes" */
    const char* name;        /**< human name */
    const char* version;     /**< the plugin's own version, e.g. "1.2.0" */
    const char* description; /**< one or two sentences */
    const MpParamDef* params;
    size_t param_count;
    /** optional: called once after loading; non-MP_OK rejects the plugin */
    MpStatus (*init)(void);
    /** runs the plugin; reports errors with host->message before returning MP_ERROR */
    MpStatus (*run)(const MpHostApi* host, MpRunContext* ctx);
    /** optional: called once before unloading */
    void (*shutdown)(void);
} MpPluginV1;

/** The one entry point a plugin exports. */
typedef const MpPluginV1* (*MpPluginEntryFn)(void);
#define MP_PLUGIN_ENTRY_SYMBOL "mp_plugin_entry"

#ifdef __cplusplus
}
#endif

#endif /* MP_PLUGIN_H */
