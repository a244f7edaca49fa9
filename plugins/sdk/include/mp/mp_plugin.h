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
 * latitude in degrees (EPSG:4326, lon first) unless a CRS is named. Whoever allocates
 * frees: strings, arrays and handles the host returns stay valid until the run ends; the
 * host copies everything a plugin passes in. No C++ exceptions may cross this boundary
 * (the C++ helper plugin.hpp catches them and reports an error status).
 *
 * Versions and struct sizes (the rules that let a 1.0 plugin run under a 1.1 host):
 *  - Appending fields to a struct or functions to MpHostApi bumps the minor version; any
 *    other change bumps the major version. Fields are only ever appended at the end.
 *  - MpPluginV1.struct_size is sizeof(MpPluginV1) as the plugin was built. The host
 *    reads a field appended after 1.0 only when struct_size covers it (MP_HAS_FIELD).
 *  - The parameter table is an array, so its stride matters: a 1.1 plugin sets
 *    MpPluginV1.param_def_size = sizeof(MpParamDef), and the host steps through
 *    `params` (and every record's `fields`) by that many bytes, reading only the fields
 *    that fit in it. A 1.0 plugin has no param_def_size; its entries are
 *    MP_PARAM_DEF_SIZE_1_0 bytes, and the fields appended in 1.1 read as zero.
 *  - The host never hands a plugin an array of structs: it fills one struct at a time
 *    that the plugin allocates and sizes (`struct_size` first), writing only the fields
 *    that fit. A plugin must set struct_size of every struct it passes in.
 *  - MpHostApi.struct_size is the host's sizeof(MpHostApi): before calling a function
 *    appended after 1.0, check MP_HOST_HAS(host, function). A 1.0 host lacks them all.
 *
 * Errors: every function appended in 1.1 checks its arguments and returns a status; the
 * message of the last call that did not return MP_OK is host->last_error(ctx) (per run).
 * MP_INVALID_ARGUMENT means the input was wrong (a bad file, an unknown place, a
 * malformed vehicle) and names the parameter and value; MP_INFEASIBLE means the question
 * was right but has no answer (no route for this vehicle: the binding restriction is
 * named). A plugin that passes these on from its run is reported as "rejected" (CLI
 * exit code 3) and "infeasible" (exit code 5).
 */
#ifndef MP_PLUGIN_H
#define MP_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MP_PLUGIN_ABI_MAJOR 1
#define MP_PLUGIN_ABI_MINOR 1

#if defined(_WIN32)
#define MP_PLUGIN_EXPORT __declspec(dllexport)
#else
#define MP_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/** Whether a struct of `size` bytes holds the member `field` of `type` (for appended fields). */
#define MP_HAS_FIELD(type, size, field) ((size_t)(size) >= offsetof(type, field) + sizeof(((type*)0)->field))
/** Whether the host offers the MpHostApi function `fn` (appended in a later minor version). */
#define MP_HOST_HAS(host, fn) ((host) != NULL && MP_HAS_FIELD(MpHostApi, (host)->struct_size, fn) && (host)->fn != NULL)

/** Status of a call. */
typedef enum MpStatus {
    MP_OK = 0,
    MP_ERROR = 1,            /**< failed; a message says why */
    MP_CANCELLED = 2,        /**< stopped because the host asked */
    MP_INVALID_ARGUMENT = 3, /**< a parameter, handle or input file was wrong */
    MP_NOT_FOUND = 4,        /**< no such parameter, layer, feature or attribute */
    /* appended in ABI 1.1 */
    MP_INFEASIBLE = 5, /**< a valid question without a feasible answer (no route for this vehicle) */
    MP_UNSUPPORTED = 6 /**< the host does not offer this (a service its struct_size lacks, an unknown kind) */
} MpStatus;

/** Types of plugin parameters; the CLI and the GUI build inputs from them. */
typedef enum MpParamType {
    MP_PARAM_NUMBER = 0,  /**< double, with unit and optional range */
    MP_PARAM_INTEGER = 1, /**< 64-bit integer, optional range */
    MP_PARAM_BOOL = 2,
    MP_PARAM_ENUM = 3, /**< one of choices (or of the host's choices_from) */
    MP_PARAM_STRING = 4,
    MP_PARAM_SITE = 5,       /**< a site of the catalogue; the value is its id */
    MP_PARAM_LAYER = 6,      /**< a loaded layer; the value is its name */
    MP_PARAM_COORDINATE = 7, /**< lon,lat in WGS84 degrees */
    MP_PARAM_POLYGON = 8,    /**< a ring of lon,lat points */
    MP_PARAM_LIST = 9,       /**< a list of item_type values (not of lists or polygons) */
    /* appended in ABI 1.1 */
    MP_PARAM_PLACE = 10,  /**< a site (id or NL/FR/EN name) or lon,lat; read with param_place */
    MP_PARAM_RASTER = 11, /**< any GDAL raster source (a path, a VRT mosaic, /vsizip/...); read with raster_open */
    MP_PARAM_FILE = 12,   /**< a file path the plugin reads (MP_FILE_IN: must exist) or writes (MP_FILE_OUT) */
    MP_PARAM_RECORD = 13  /**< an object with typed `fields`; mostly as the item_type of a list */
} MpParamType;

/** Direction of an MP_PARAM_FILE parameter (ABI 1.1). */
typedef enum MpFileDirection {
    MP_FILE_IN = 0, /**< the plugin reads it: the host checks that it is a readable regular file */
    MP_FILE_OUT = 1 /**< the plugin writes it: the host checks that its folder exists */
} MpFileDirection;

/**
 * One parameter of a plugin's schema (or one field of a record). Strings may be NULL
 * where optional. The host reads an array of these with the plugin's param_def_size as
 * stride; fields past it read as zero (a 1.0 table has entries of MP_PARAM_DEF_SIZE_1_0
 * bytes).
 */
typedef struct MpParamDef {
    const char* key;         /**< identifier, e.g. "max_hours" ([A-Za-z0-9_-], no '.' or '[') */
    const char* label;       /**< short human label */
    const char* description; /**< one sentence; optional; shown as help only, never interpreted */
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
    /* ---- appended in ABI 1.1 (read only when param_def_size covers them) ---- */
    /** MP_PARAM_ENUM (also as list items): the values come from a host table (its `id`
     *  column), e.g. "vehicle-presets" or "air-defence-systems"; `choices` may then be NULL. */
    const char* choices_from;
    /** MP_PARAM_FILE: whether the plugin reads or writes the file. */
    MpFileDirection direction;
    /** MP_PARAM_FILE, MP_PARAM_RASTER: file name patterns for a file dialog, e.g. "*.json"; optional. */
    const char* file_types;
    /** MP_PARAM_RECORD, or a list whose item_type is MP_PARAM_RECORD: the record's fields,
     *  field_count entries with the same stride as the parameter table. A field may be of
     *  any type but list, polygon and record. */
    const struct MpParamDef* fields;
    size_t field_count;
    /* ---- appended in ABI 1.1, revision 2 (read only when param_def_size covers it) ---- */
    /** Non-NULL: a parameter the plugin no longer takes, kept so that a script still
     *  passing it is told what replaced it. The host refuses any value for it with
     *  "parameter 'KEY' was replaced: TEXT" (TEXT names the new form, e.g. "use
     *  resolution_m, in metres"), and forms and parameter listings leave it out. Only the
     *  key is read besides. */
    const char* replaced_by;
} MpParamDef;

/** Size of an MpParamDef entry as a 1.0 plugin was built (everything before choices_from). */
#define MP_PARAM_DEF_SIZE_1_0 offsetof(MpParamDef, choices_from)
/** Size of an MpParamDef entry of ABI 1.1 before replaced_by was appended. */
#define MP_PARAM_DEF_SIZE_1_1_R1 offsetof(MpParamDef, replaced_by)

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

/* ====================================================================================
 * Types of the host services appended in ABI 1.1. Every struct the plugin passes in or
 * has filled starts with struct_size, which the plugin sets to sizeof(the struct).
 * ==================================================================================== */

typedef struct MpRaster MpRaster;   /**< opaque: an open raster source (GDAL dataset) */
typedef struct MpNetwork MpNetwork; /**< opaque: a road or rail network of the session */
typedef struct MpRoute MpRoute;     /**< opaque: the answer of a route request */

/** Metadata of an open raster. Strings are host-owned. */
typedef struct MpRasterInfo {
    uint32_t struct_size;
    size_t width;           /**< cells */
    size_t height;          /**< cells */
    size_t band_count;      /**< bands */
    double geotransform[6]; /**< GDAL convention: x0, dx, rx, y0, ry, dy (top-left corner) */
    const char* crs_wkt;    /**< the CRS as WKT2 (never empty: a raster without CRS is refused) */
    const char* crs_name;   /**< e.g. "Belge 1972 / Belgian Lambert 72" */
    int crs_is_projected;   /**< non-zero for a projected CRS */
    double linear_unit_m;   /**< metres per CRS unit (projected CRS), 0 for geographic */
    int has_nodata;         /**< band 1 */
    double nodata;          /**< band 1 */
    const char* source;     /**< the source as given */
} MpRasterInfo;

/** How raster_read resamples onto the plugin's grid. */
typedef enum MpResampling {
    MP_RESAMPLE_NEAREST = 0,
    MP_RESAMPLE_BILINEAR = 1,
    MP_RESAMPLE_MAX = 2, /**< the maximum of the source cells under each target cell (conservative for terrain masks) */
    MP_RESAMPLE_AVERAGE = 3,
    MP_RESAMPLE_CUBIC = 4
} MpResampling;

/** Most cells a grid of raster_read may have (width * height). */
#define MP_GRID_MAX_CELLS 100000000u

/** A grid a plugin asks for: north-up cells of a CRS. */
typedef struct MpGridSpec {
    uint32_t struct_size;
    const char* crs;    /**< any CRS PROJ understands ("EPSG:31370", WKT, PROJ string) */
    double origin_x;    /**< x of the top-left corner of the top-left cell, in CRS units */
    double origin_y;    /**< y of that corner */
    double cell_size_x; /**< cell width, CRS units, > 0 */
    double cell_size_y; /**< cell height, CRS units, > 0 (rows go down: y = origin_y - row * cell_size_y) */
    size_t width;       /**< cells */
    size_t height;      /**< cells */
} MpGridSpec;

/** Pixel types of typed raster results. */
typedef enum MpDataType {
    MP_DATA_BYTE = 1,
    MP_DATA_UINT16 = 2,
    MP_DATA_UINT32 = 3,
    MP_DATA_FLOAT32 = 4,
    MP_DATA_FLOAT64 = 5,
    MP_DATA_UINT64 = 6 /**< e.g. a 64-system bit mask; written as a UInt64 GeoTIFF band */
} MpDataType;

/** What a raster result means, so the GUI can show it without guessing from names. */
typedef enum MpRasterRole {
    MP_RASTER_PLAIN = 0,        /**< one or more unrelated bands */
    MP_RASTER_BANDS_HEIGHT = 1, /**< one band per height above ground (band_values in metres): a band selector */
    MP_RASTER_BITMASK = 2,      /**< bit i of a cell set when item i applies (band_names name the bits) */
    MP_RASTER_CATEGORIES = 3    /**< integer classes; band_names may name the classes */
} MpRasterRole;

/** A typed raster result of one or more bands. The host copies everything. */
typedef struct MpRasterResult {
    uint32_t struct_size;
    const char* name;
    size_t width, height, bands;
    double geotransform[6]; /**< GDAL convention */
    const char* crs;        /**< any CRS PROJ understands */
    MpDataType type;
    const void* data; /**< bands * height * width values of `type`, band after band, rows from the top */
    int has_nodata;
    double nodata;
    const char* unit; /**< e.g. "m"; optional */
    MpRasterRole role;
    /** optional. MP_RASTER_PLAIN, MP_RASTER_BANDS_HEIGHT: `bands` names (a NULL entry: unnamed).
     *  MP_RASTER_BITMASK: the names of bits 0, 1, ... (bit i is bit i % bits-per-cell of band
     *  i / bits-per-cell); MP_RASTER_CATEGORIES: the names of classes 0, 1, ... (at most
     *  65536). These two end at their first NULL entry or after the last bit. */
    const char* const* band_names;
    const double* band_values; /**< MP_RASTER_BANDS_HEIGHT: the height of each band in metres; optional */
} MpRasterResult;

/** A chart the GUI draws from a result table (columns named by their table names). */
typedef struct MpChart {
    uint32_t struct_size;
    const char* kind;     /**< "line", "bar", "gantt" or "heatmap" */
    const char* title;    /**< optional */
    const char* x;        /**< line/bar: the x or category column; NULL: the row number */
    const char* const* y; /**< line/bar: the value columns; NULL: every other numeric column */
    size_t n_y;
    const char* y_unit_right; /**< line/bar: series whose unit is this one go on a second axis; optional */
    const char* start;        /**< gantt: start column (seconds or ISO 8601 UTC) */
    const char* end;          /**< gantt: end column */
    const char* label;        /**< gantt: the bar's label column (one row per bar); heatmap: cell text; optional */
    const char* group;        /**< gantt: bars of a group share a lane colour; optional */
    const char* row;          /**< heatmap: row label column */
    const char* column;       /**< heatmap: column label column */
    const char* value;        /**< heatmap: numeric value column */
} MpChart;

/** Vehicle of a route request. 0 means "not given" (the preset's figure, or no limit). */
typedef struct MpVehicleProfile {
    uint32_t struct_size;
    const char* preset; /**< id in the host table "vehicle-presets", or NULL */
    double mlc;         /**< NATO military load class */
    int tracked;        /**< -1: as the preset (else wheeled), 0: wheeled, 1: tracked */
    double gross_weight_t;
    double axle_load_t;
    double height_m;
    double width_m;
    double length_m;
    double max_speed_kmh;
    int highest_crossing; /**< 0 or 1 normal, 2 caution, 3 risk (NATO bridge crossing modes) */
} MpVehicleProfile;

typedef enum MpNetworkKind { MP_NETWORK_ROAD = 0, MP_NETWORK_RAIL = 1 } MpNetworkKind;
typedef enum MpMetric { MP_METRIC_FASTEST = 0, MP_METRIC_SHORTEST = 1 } MpMetric;
typedef enum MpTravelMode { MP_TRAVEL_ROAD = 0, MP_TRAVEL_RAIL = 1, MP_TRAVEL_MULTIMODAL = 2 } MpTravelMode;

/** Size and source of a network. */
typedef struct MpNetworkInfo {
    uint32_t struct_size;
    MpNetworkKind kind;
    size_t nodes, edges, forbidden_turns;
    double length_km;
    const char* source; /**< the layer name or file it was built from */
} MpNetworkInfo;

/** Convoy march parameters (a march table is computed when vehicles > 0). */
typedef struct MpMarchParams {
    uint32_t struct_size;
    int vehicles;            /**< vehicles in the column */
    double interval_m;       /**< gap between vehicles */
    double density_per_km;   /**< when > 0, replaces interval_m */
    double march_speed_kmh;  /**< ordered march speed (> 0) */
    double halt_every_h;     /**< driving time between halts (0: no halts) */
    double halt_min;         /**< length of each halt */
    const char* start;       /**< ISO 8601 UTC start time */
    double vehicle_length_m; /**< 0: the vehicle's length, else 10 m */
} MpMarchParams;

/** A route question: everything transit-routes asks. Places are site ids or names, or "lon,lat". */
typedef struct MpRouteRequest {
    uint32_t struct_size;
    MpNetwork* road; /**< may be NULL for rail mode */
    MpNetwork* rail; /**< may be NULL for road mode */
    const char* from;
    const char* to;
    const char* const* vias; /**< in order; n_vias entries */
    size_t n_vias;
    MpTravelMode mode;
    MpMetric metric;
    const MpVehicleProfile* vehicle; /**< NULL: unrestricted */
    const MpGeometry* avoid;         /**< polygons or multipolygons not to enter; n_avoid entries */
    size_t n_avoid;
    size_t alternatives;        /**< routes with limited overlap (road mode; 0 or 1: one) */
    double max_overlap;         /**< share of length an alternative may share (0: 0.5) */
    double transfer_h;          /**< loading or unloading at a terminal without its own figure (< 0: 4 h) */
    double max_snap_m;          /**< how far a place may be from the network (0: 25 km) */
    const MpMarchParams* march; /**< NULL: no march table */
    /** How messages name the inputs: the plugin's parameter keys for from, to and vias
     *  ("parameter 'from'"); NULL: "from", "to", "via". */
    const char* from_param;
    const char* to_param;
    const char* via_param;
} MpRouteRequest;

/** The places of a route answer. */
typedef struct MpRouteInfo {
    uint32_t struct_size;
    size_t movements; /**< alternatives, best first */
    size_t vias;
    const char* from_label;
    const char* to_label;
    double from_lon, from_lat, to_lon, to_lat;
    const char* profile; /**< vehicle id, "custom" or "unrestricted" */
    MpTravelMode mode;
    MpMetric metric;
} MpRouteInfo;

/** One movement (one alternative) of a route answer. */
typedef struct MpMovementInfo {
    uint32_t struct_size;
    double distance_m;
    double duration_s; /**< driving and rail time plus transfers */
    double transfer_s;
    size_t legs;
    size_t transfers;       /**< rail terminals used (multimodal) */
    size_t march_rows;      /**< rows of its march table (0: none) */
    double column_length_m; /**< march table: the column's length */
    double pass_time_s;     /**< march table: time for the column to pass a point */
    double march_total_s;   /**< march table: start to the tail clearing the destination */
    int halts;
} MpMovementInfo;

/** One leg of a movement: one network between two stops. */
typedef struct MpLegInfo {
    uint32_t struct_size;
    MpNetworkKind network;
    const char* from_label;
    const char* to_label;
    double from_lon, from_lat, to_lon, to_lat;
    double distance_m;
    double duration_s;
    MpGeometry line;     /**< the path as a LineString */
    size_t crossings;    /**< bridges and restricted structures used */
    size_t road_changes; /**< critical points: the roads followed */
    size_t binding;      /**< the tightest limit met per quantity */
    size_t settled;      /**< search states settled (a measure of work) */
} MpLegInfo;

/** A bridge or restricted structure a leg uses, and how. */
typedef struct MpCrossingInfo {
    uint32_t struct_size;
    const char* label; /**< "bridge on N4 'Viaduct X'" */
    int mode;          /**< 1 normal, 2 caution, 3 risk */
    double posted_mlc; /**< the class that applies to the vehicle (0: not posted) */
    double vehicle_mlc;
    double route_km; /**< where along the leg it begins */
    double length_m;
    double lon, lat;
} MpCrossingInfo;

/** Where a leg joins a road or line for a stretch worth naming in a march table. */
typedef struct MpRoadChangeInfo {
    uint32_t struct_size;
    double route_km;
    const char* ref; /**< "E313", "L36", or the name when there is no ref */
    const char* name;
    double lon, lat;
} MpRoadChangeInfo;

/** The tightest limit met on a leg for one quantity. */
typedef struct MpBindingInfo {
    uint32_t struct_size;
    const char* quantity; /**< "mlc", "maxheight_m", "maxweight_t", ... */
    double limit;
    double vehicle;    /**< the vehicle's figure (0: none given) */
    const char* label; /**< where: "bridge on N4 ... at route km 12.3" */
} MpBindingInfo;

/** One line of a march table. */
typedef struct MpMarchRow {
    uint32_t struct_size;
    int leg;
    const char* checkpoint;
    double km;             /**< along the whole movement */
    double head_arrival_s; /**< seconds after the start */
    double tail_clear_s;
    const char* head_arrival; /**< ISO 8601 UTC */
    const char* tail_clear;
} MpMarchRow;

/**
 * What the host offers a running plugin. Every function takes the run context (or a
 * handle made in it). Functions returning const char* return host-owned strings valid
 * until the run ends. Functions after `table_text_column` were appended in ABI 1.1:
 * check MP_HOST_HAS(host, fn) before calling one.
 */
typedef struct MpHostApi {
    uint32_t struct_size; /**< sizeof(MpHostApi) of the host; check before using appended fields */
    uint16_t abi_major;
    uint16_t abi_minor;

    /* --- parameters (validated against the schema before run) --- */
    /* Keys may be paths into lists and records (ABI 1.1 hosts): "systems[2].range_km",
     * "systems[0]". An optional record field that was not given is not set. */
    int (*param_is_set)(const MpRunContext* ctx, const char* key);
    MpStatus (*param_number)(const MpRunContext* ctx, const char* key, double* out);
    MpStatus (*param_integer)(const MpRunContext* ctx, const char* key, int64_t* out);
    MpStatus (*param_bool)(const MpRunContext* ctx, const char* key, int* out);
    /** string, enum, site id, layer name, file or raster path; a place as its site id or "lon,lat" */
    MpStatus (*param_string)(const MpRunContext* ctx, const char* key, const char** out);
    /** a coordinate, or a place's point */
    MpStatus (*param_coordinate)(const MpRunContext* ctx, const char* key, double* lon, double* lat);
    /** polygon ring as lon,lat pairs (closed) */
    MpStatus (*param_polygon)(const MpRunContext* ctx, const char* key, const double** xy, size_t* n_points);
    /** list: number of items, and each item as text (numbers in shortest form, records as JSON) */
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

    /* ================= appended in ABI 1.1 ================= */

    /** The message of the last call on this run that did not return MP_OK ("" when none). */
    const char* (*last_error)(const MpRunContext* ctx);

    /* --- parameters --- */
    /** MP_PARAM_PLACE (also a site or coordinate parameter, and record fields): the point,
     *  and the site's id, or "" for a plain lon,lat (site_id may be NULL). */
    MpStatus (*param_place)(const MpRunContext* ctx, const char* key, double* lon, double* lat, const char** site_id);
    /** the validated value of a parameter (or path) as JSON text */
    MpStatus (*param_json)(const MpRunContext* ctx, const char* key, const char** json);

    /* --- host tables: named tables the host holds, e.g. "vehicle-presets" (data/vehicles.json)
     *     and "air-defence-systems"; rows have an "id" column --- */
    size_t (*host_table_rows)(const MpRunContext* ctx, const char* table);
    /** index of the row with this id, or (size_t)-1 */
    size_t (*host_table_find)(const MpRunContext* ctx, const char* table, const char* id);
    MpStatus (*host_table_text)(const MpRunContext* ctx, const char* table, size_t row, const char* column,
                                const char** out);
    MpStatus (*host_table_number)(const MpRunContext* ctx, const char* table, size_t row, const char* column,
                                  double* out);

    /* --- geodesy on the WGS84 ellipsoid (Karney's algorithms, GeographicLib) --- */
    /** distance (m) and forward azimuths at both ends (degrees clockwise from north); outputs may be NULL */
    MpStatus (*geod_inverse)(MpRunContext* ctx, double lon1, double lat1, double lon2, double lat2, double* distance_m,
                             double* azi1_deg, double* azi2_deg);
    /** the point distance_m from (lon1, lat1) along azimuth azi1_deg; azi2_deg (may be NULL) the azimuth there */
    MpStatus (*geod_direct)(MpRunContext* ctx, double lon1, double lat1, double azi1_deg, double distance_m,
                            double* lon2, double* lat2, double* azi2_deg);
    /** a geodesic circle as a Polygon of `vertices` points (>= 8) plus the closing one */
    MpStatus (*geod_circle)(MpRunContext* ctx, double lon, double lat, double radius_m, size_t vertices,
                            MpGeometry* out);
    /** everything within distance_m (> 0) of a geometry, as a (Multi)Polygon; exact for points
     *  (geodesic circles), for lines and areas within 0.1 % up to 200 km across */
    MpStatus (*geod_buffer)(MpRunContext* ctx, const MpGeometry* geometry, double distance_m, MpGeometry* out);
    /** geodesic length of lines (perimeter of areas), m; area of polygons, m^2 (outputs may be NULL) */
    MpStatus (*geod_measure)(MpRunContext* ctx, const MpGeometry* geometry, double* length_m, double* area_m2);

    /* --- CRS (PROJ) --- */
    /** transforms n points in place; x (or longitude) first whatever the CRS's axis order */
    MpStatus (*crs_transform)(MpRunContext* ctx, const char* from_crs, const char* to_crs, double* xy, size_t n_points);

    /* --- rasters (GDAL in the host) --- */
    /** opens a raster: `key` is a parameter whose value is the source (a raster parameter), or
     *  when no parameter of that name has a value, a GDAL raster source itself. MP_INVALID_ARGUMENT
     *  for a source that is not a raster, has no CRS or no geotransform, naming the parameter and
     *  value; MP_NOT_FOUND for a parameter key without a value. Each handle has its own GDAL
     *  dataset; calls on one handle are serialised. */
    MpStatus (*raster_open)(MpRunContext* ctx, const char* key, MpRaster** out);
    MpStatus (*raster_info)(const MpRaster* raster, MpRasterInfo* out);
    /** band (1-based) resampled (warped) onto the grid: grid->width * grid->height doubles,
     *  rows from the top; cells the raster does not cover (or its nodata) get `nodata`.
     *  MP_INVALID_ARGUMENT when the grid does not overlap the raster at all, for a band out of
     *  range, or a grid of more than 100 million cells; MP_CANCELLED when the run is cancelled.
     *  Nearest on the raster's own grid returns its cells unchanged. */
    MpStatus (*raster_read)(MpRaster* raster, size_t band, const MpGridSpec* grid, MpResampling resampling,
                            double nodata, double* values);
    /** closes the dataset now (the handle itself stays valid, reading "closed", until the run
     *  ends; every handle is closed then anyway) */
    void (*raster_close)(MpRaster* raster);

    /* --- vector sources --- */
    /** reads a GDAL vector source (a file parameter's key, or a path) as extra layers of this
     *  run, numbered from layer_count() on; *first and *count say which */
    MpStatus (*layer_load)(MpRunContext* ctx, const char* key, size_t* first, size_t* count);

    /* --- networks (the session's road and rail networks, or network files) --- */
    /** source: NULL or "" for the session's default layer of the kind ("roads", "rail"), a
     *  loaded layer's name, or a file (OSM .osm/.osm.pbf with turn restrictions, .mpgraph,
     *  any GDAL line source) built once and then read from the graph cache. Networks are
     *  shared by the runs of a process. */
    MpStatus (*network_open)(MpRunContext* ctx, MpNetworkKind kind, const char* source, MpNetwork** out);
    MpStatus (*network_info)(const MpNetwork* network, MpNetworkInfo* out);
    /** the nearest point of a segment the vehicle may use, within max_m (0: 5 km); MP_INFEASIBLE when none */
    MpStatus (*network_snap)(MpNetwork* network, const MpVehicleProfile* vehicle, double lon, double lat, double max_m,
                             double* snap_lon, double* snap_lat, double* distance_m);
    /** answers a route request; MP_INFEASIBLE (with *out still set, and last_error naming the
     *  binding restriction) when no route exists for the vehicle */
    MpStatus (*network_route)(MpRunContext* ctx, const MpRouteRequest* request, MpRoute** out);
    /** travel times (s) and distances (m; may be NULL) from each of n_from points to each of
     *  n_to points (lon,lat pairs), row-major n_from x n_to; unreachable pairs are INFINITY */
    MpStatus (*network_matrix)(MpNetwork* network, const MpVehicleProfile* vehicle, MpMetric metric,
                               const double* from_xy, size_t n_from, const double* to_xy, size_t n_to,
                               double* duration_s, double* distance_m);
    /** the area (MultiPolygon) and roads (MultiLineString, may be NULL) reachable from a place
     *  within limit_s seconds; *nodes (may be NULL) the network nodes reached */
    MpStatus (*network_reach)(MpNetwork* network, const MpVehicleProfile* vehicle, const char* from, double limit_s,
                              MpGeometry* area, MpGeometry* roads, size_t* nodes);
    MpStatus (*route_info)(const MpRoute* route, MpRouteInfo* out);
    MpStatus (*route_via)(const MpRoute* route, size_t via, const char** label, double* lon, double* lat);
    MpStatus (*route_movement)(const MpRoute* route, size_t movement, MpMovementInfo* out);
    MpStatus (*route_transfer)(const MpRoute* route, size_t movement, size_t transfer, const char** site_id,
                               double* lon, double* lat);
    MpStatus (*route_leg)(const MpRoute* route, size_t movement, size_t leg, MpLegInfo* out);
    MpStatus (*route_crossing)(const MpRoute* route, size_t movement, size_t leg, size_t index, MpCrossingInfo* out);
    MpStatus (*route_road_change)(const MpRoute* route, size_t movement, size_t leg, size_t index,
                                  MpRoadChangeInfo* out);
    MpStatus (*route_binding)(const MpRoute* route, size_t movement, size_t leg, size_t index, MpBindingInfo* out);
    MpStatus (*route_march_row)(const MpRoute* route, size_t movement, size_t row, MpMarchRow* out);

    /* --- typed results --- */
    /** a raster of one or more bands of any MpDataType (at most 100 million cells in all);
     *  MP_INVALID_ARGUMENT (and the run fails, naming the raster) for inconsistent sizes, names
     *  or heights, a nodata the type cannot hold, an unknown CRS; MP_UNSUPPORTED for an unknown
     *  type or role */
    MpStatus (*result_raster_typed)(MpRunContext* ctx, const MpRasterResult* raster);
    /** how the GUI draws a table as a chart; call it after adding the columns it names.
     *  MP_INVALID_ARGUMENT (and the run fails with the reason) when a named column is missing,
     *  or not numeric where numbers are needed; MP_UNSUPPORTED for an unknown kind */
    MpStatus (*table_chart)(MpResultTable* table, const MpChart* chart);
    /** a layer's role: "movements" (features with times: start_field and end_field hold ISO 8601
     *  UTC or seconds) or "" (plain). Features added before the call must hold both times
     *  (MP_INVALID_ARGUMENT and the run fails otherwise); MP_UNSUPPORTED for an unknown role */
    MpStatus (*layer_role)(MpResultLayer* layer, const char* role, const char* start_field, const char* end_field);
    /** polygonises a grid the plugin holds (GDALPolygonize in the host): one polygon per connected
     *  area of equal value (8-connected when eight is non-zero), transformed to lon,lat, with the
     *  value in attribute `field` (an integer when every value is one); cells equal to nodata
     *  (when has_nodata) and non-finite cells are left out. Values are compared exactly. At most
     *  25 million cells (MP_INVALID_ARGUMENT beyond). */
    MpStatus (*polygonize)(MpRunContext* ctx, const MpGridSpec* grid, const double* values, int has_nodata,
                           double nodata, int eight, MpResultLayer* layer, const char* field);
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
    /* ---- appended in ABI 1.1 ---- */
    /** sizeof(MpParamDef) as the plugin was built: the stride of `params` and of every
     *  record's `fields`. */
    size_t param_def_size;
} MpPluginV1;

/** Size of MpPluginV1 as a 1.0 plugin was built (everything before param_def_size). */
#define MP_PLUGIN_V1_SIZE_1_0 offsetof(MpPluginV1, param_def_size)

/** The one entry point a plugin exports. */
typedef const MpPluginV1* (*MpPluginEntryFn)(void);
#define MP_PLUGIN_ENTRY_SYMBOL "mp_plugin_entry"

#ifdef __cplusplus
}
#endif

#endif /* MP_PLUGIN_H */
