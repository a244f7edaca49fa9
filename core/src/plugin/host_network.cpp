// SPDX-License-Identifier: MIT
// Host services: the session's road and rail networks and routes over them
// (mp::network). TODO(#9): being implemented; every function refuses for now.
#include "host_services.hpp"

namespace mp::plugin::detail {

MpStatus network_open(MpRunContext* ctx, MpNetworkKind, const char*, MpNetwork**) {
    return fail(ctx, MP_UNSUPPORTED, "network_open: not available yet");
}
MpStatus network_info(const MpNetwork*, MpNetworkInfo*) { return MP_UNSUPPORTED; }
MpStatus network_snap(MpNetwork*, const MpVehicleProfile*, double, double, double, double*, double*, double*) {
    return MP_UNSUPPORTED;
}
MpStatus network_route(MpRunContext* ctx, const MpRouteRequest*, MpRoute**) {
    return fail(ctx, MP_UNSUPPORTED, "network_route: not available yet");
}
MpStatus network_matrix(MpNetwork*, const MpVehicleProfile*, MpMetric, const double*, size_t, const double*, size_t,
                        double*, double*) {
    return MP_UNSUPPORTED;
}
MpStatus network_reach(MpNetwork*, const MpVehicleProfile*, const char*, double, MpGeometry*, MpGeometry*, size_t*) {
    return MP_UNSUPPORTED;
}
MpStatus route_info(const MpRoute*, MpRouteInfo*) { return MP_UNSUPPORTED; }
MpStatus route_via(const MpRoute*, size_t, const char**, double*, double*) { return MP_UNSUPPORTED; }
MpStatus route_movement(const MpRoute*, size_t, MpMovementInfo*) { return MP_UNSUPPORTED; }
MpStatus route_transfer(const MpRoute*, size_t, size_t, const char**, double*, double*) { return MP_UNSUPPORTED; }
MpStatus route_leg(const MpRoute*, size_t, size_t, MpLegInfo*) { return MP_UNSUPPORTED; }
MpStatus route_crossing(const MpRoute*, size_t, size_t, size_t, MpCrossingInfo*) { return MP_UNSUPPORTED; }
MpStatus route_road_change(const MpRoute*, size_t, size_t, size_t, MpRoadChangeInfo*) { return MP_UNSUPPORTED; }
MpStatus route_binding(const MpRoute*, size_t, size_t, size_t, MpBindingInfo*) { return MP_UNSUPPORTED; }
MpStatus route_march_row(const MpRoute*, size_t, size_t, MpMarchRow*) { return MP_UNSUPPORTED; }

}  // namespace mp::plugin::detail
