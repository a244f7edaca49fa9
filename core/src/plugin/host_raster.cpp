// SPDX-License-Identifier: MIT
// Host services: rasters (GDAL warp onto the plugin's grid), vector sources, typed
// results and polygonize. TODO(#9): being implemented; every function refuses for now.
#include "host_services.hpp"

namespace mp::plugin::detail {

MpStatus raster_open(MpRunContext* ctx, const char*, MpRaster**) {
    return fail(ctx, MP_UNSUPPORTED, "raster_open: not available yet");
}
MpStatus raster_info(const MpRaster*, MpRasterInfo*) { return MP_UNSUPPORTED; }
MpStatus raster_read(MpRaster*, size_t, const MpGridSpec*, MpResampling, double, double*) { return MP_UNSUPPORTED; }
void raster_close(MpRaster*) {}
MpStatus layer_load(MpRunContext* ctx, const char*, size_t*, size_t*) {
    return fail(ctx, MP_UNSUPPORTED, "layer_load: not available yet");
}
MpStatus result_raster_typed(MpRunContext* ctx, const MpRasterResult*) {
    return fail(ctx, MP_UNSUPPORTED, "result_raster_typed: not available yet");
}
MpStatus table_chart(MpResultTable*, const MpChart*) { return MP_UNSUPPORTED; }
MpStatus layer_role(MpResultLayer*, const char*, const char*, const char*) { return MP_UNSUPPORTED; }
MpStatus polygonize(MpRunContext* ctx, const MpGridSpec*, const double*, int, double, int, MpResultLayer*,
                    const char*) {
    return fail(ctx, MP_UNSUPPORTED, "polygonize: not available yet");
}

}  // namespace mp::plugin::detail
