// SPDX-License-Identifier: MIT
// Internal: the host functions of the C ABI, grouped by the file that implements them.
// host_api.cpp assembles them into the MpHostApi table; each group lives in its own file:
//   host_api.cpp      parameters, layers, sites, progress, messages, 1.0 results, last_error
//   host_geodesy.cpp  geodesy (GeographicLib), CRS transforms (PROJ), host tables
//   host_raster.cpp   rasters (GDAL warp), vector sources, typed results, polygonize
//   host_network.cpp  networks and routes (mp::network)
#pragma once

#include <cstring>
#include <string>

#include "c_enum.hpp"
#include "host_api.hpp"
#include "mp/geo/geometry.hpp"

namespace mp::plugin::detail {

// ---- shared helpers (host_api.cpp) ----

/// Shared lock on a run that also says whether the run was abandoned (its plugin ignored
/// cancellation): every host function takes one and refuses to work when !ok.
struct Access {
    std::shared_lock<std::shared_mutex> lock;
    bool ok;
    explicit Access(const MpRunContext* c) : lock(const_cast<MpRunContext*>(c)->guard), ok(!c->abandoned) {}
};

/// Records `message` as the run's last error (host->last_error) and returns `status`.
MpStatus fail(const MpRunContext* ctx, MpStatus status, std::string message);
/// Hands a core geometry to the plugin as flat arrays owned by the run.
void fill_geometry(const MpRunContext* ctx, const geo::Geometry& g, MpGeometry* out);
/// Checks and converts a geometry a plugin passes in; "" or the reason it is invalid.
std::string convert_geometry(const MpGeometry* g, geo::Geometry& out);
/// Keeps a string alive until the run ends and returns its characters.
const char* keep_string(const MpRunContext* ctx, std::string s);
/// The validated value of a parameter or a path into it ("systems[2].at"), or nullptr.
const nlohmann::json* param_value(const MpRunContext* ctx, const char* key);
/// Layer by index: the workspace's, then the run's own (layer_load); nullptr when out of range.
const layer::Layer* layer_at(const MpRunContext* ctx, std::size_t index);
/// Number of layers the run sees (workspace plus its own).
std::size_t layer_total(const MpRunContext* ctx);
/// Whether a struct the plugin passed (struct_size first) holds at least `needed` bytes;
/// on false, records why and the caller returns MP_INVALID_ARGUMENT.
bool struct_ok(const MpRunContext* ctx, const void* s, std::size_t needed, const char* what);

/// Copies `src` (the host's full struct) into the plugin's struct `dst`, as many bytes as
/// dst->struct_size says (never more than the host's size), keeping dst->struct_size.
template <typename T>
void fill_sized(T* dst, const T& src) {
    const std::uint32_t size = dst->struct_size;
    const std::size_t n = size < sizeof(T) ? size : sizeof(T);
    if (n > sizeof(std::uint32_t))
        std::memcpy(reinterpret_cast<unsigned char*>(dst) + sizeof(std::uint32_t),
                    reinterpret_cast<const unsigned char*>(&src) + sizeof(std::uint32_t), n - sizeof(std::uint32_t));
}

/// Reads a struct the plugin passed into a zero-initialised host-size copy (fields past
/// the plugin's struct_size stay zero, so an older plugin's request reads as defaults).
template <typename T>
T read_sized(const T* src) {
    T out{};
    if (!src) return out;
    const std::uint32_t size = src->struct_size;
    const std::size_t n = size < sizeof(T) ? size : sizeof(T);
    auto* d = reinterpret_cast<unsigned char*>(&out);
    const auto* s = reinterpret_cast<const unsigned char*>(src);
    for (std::size_t i = 0; i < n; ++i) d[i] = s[i];
    out.struct_size = static_cast<std::uint32_t>(sizeof(T));
    return out;
}

// ---- parameters 1.1 (host_api.cpp) ----
const char* last_error(const MpRunContext* ctx);
MpStatus param_place(const MpRunContext* ctx, const char* key, double* lon, double* lat, const char** site_id);
MpStatus param_json(const MpRunContext* ctx, const char* key, const char** json);

// ---- host tables, geodesy, CRS (host_geodesy.cpp) ----
size_t host_table_rows(const MpRunContext* ctx, const char* table);
size_t host_table_find(const MpRunContext* ctx, const char* table, const char* id);
MpStatus host_table_text(const MpRunContext* ctx, const char* table, size_t row, const char* column, const char** out);
MpStatus host_table_number(const MpRunContext* ctx, const char* table, size_t row, const char* column, double* out);
MpStatus geod_inverse(MpRunContext* ctx, double lon1, double lat1, double lon2, double lat2, double* distance_m,
                      double* azi1_deg, double* azi2_deg);
MpStatus geod_direct(MpRunContext* ctx, double lon1, double lat1, double azi1_deg, double distance_m, double* lon2,
                     double* lat2, double* azi2_deg);
MpStatus geod_circle(MpRunContext* ctx, double lon, double lat, double radius_m, size_t vertices, MpGeometry* out);
MpStatus geod_buffer(MpRunContext* ctx, const MpGeometry* geometry, double distance_m, MpGeometry* out);
MpStatus geod_measure(MpRunContext* ctx, const MpGeometry* geometry, double* length_m, double* area_m2);
MpStatus crs_transform(MpRunContext* ctx, const char* from_crs, const char* to_crs, double* xy, size_t n_points);

// ---- rasters, vector sources, typed results (host_raster.cpp) ----
MpStatus raster_open(MpRunContext* ctx, const char* key, MpRaster** out);
MpStatus raster_info(const MpRaster* raster, MpRasterInfo* out);
MpStatus raster_read(MpRaster* raster, size_t band, const MpGridSpec* grid, MpResampling resampling, double nodata,
                     double* values);
void raster_close(MpRaster* raster);
MpStatus layer_load(MpRunContext* ctx, const char* key, size_t* first, size_t* count);
MpStatus result_raster_typed(MpRunContext* ctx, const MpRasterResult* raster);
MpStatus table_chart(MpResultTable* table, const MpChart* chart);
MpStatus layer_role(MpResultLayer* layer, const char* role, const char* start_field, const char* end_field);
MpStatus polygonize(MpRunContext* ctx, const MpGridSpec* grid, const double* values, int has_nodata, double nodata,
                    int eight, MpResultLayer* layer, const char* field);

// ---- networks and routes (host_network.cpp) ----
MpStatus network_open(MpRunContext* ctx, MpNetworkKind kind, const char* source, MpNetwork** out);
MpStatus network_info(const MpNetwork* network, MpNetworkInfo* out);
MpStatus network_snap(MpNetwork* network, const MpVehicleProfile* vehicle, double lon, double lat, double max_m,
                      double* snap_lon, double* snap_lat, double* distance_m);
MpStatus network_route(MpRunContext* ctx, const MpRouteRequest* request, MpRoute** out);
MpStatus network_matrix(MpNetwork* network, const MpVehicleProfile* vehicle, MpMetric metric, const double* from_xy,
                        size_t n_from, const double* to_xy, size_t n_to, double* duration_s, double* distance_m);
MpStatus network_reach(MpNetwork* network, const MpVehicleProfile* vehicle, const char* from, double limit_s,
                       MpGeometry* area, MpGeometry* roads, size_t* nodes);
MpStatus route_info(const MpRoute* route, MpRouteInfo* out);
MpStatus route_via(const MpRoute* route, size_t via, const char** label, double* lon, double* lat);
MpStatus route_movement(const MpRoute* route, size_t movement, MpMovementInfo* out);
MpStatus route_transfer(const MpRoute* route, size_t movement, size_t transfer, const char** site_id, double* lon,
                        double* lat);
MpStatus route_leg(const MpRoute* route, size_t movement, size_t leg, MpLegInfo* out);
MpStatus route_crossing(const MpRoute* route, size_t movement, size_t leg, size_t index, MpCrossingInfo* out);
MpStatus route_road_change(const MpRoute* route, size_t movement, size_t leg, size_t index, MpRoadChangeInfo* out);
MpStatus route_binding(const MpRoute* route, size_t movement, size_t leg, size_t index, MpBindingInfo* out);
MpStatus route_march_row(const MpRoute* route, size_t movement, size_t row, MpMarchRow* out);

}  // namespace mp::plugin::detail
