// SPDX-License-Identifier: MIT
// libFuzzer target: a GeoJSON data source read by the project's reader (io::read_source
// over GDAL, from /vsimem/ so no file is written). It must load or fail with mp::Error
// (InputError naming the source); every loaded coordinate must be finite lon/lat
// (hardening item 8).
#include <gdal.h>
#include <cpl_vsi.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "mp/core/error.hpp"
#include "mp/io/ogr_io.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    GDALAllRegister();
    CPLSetErrorHandler(CPLQuietErrorHandler);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = "/vsimem/fuzz.geojson";
    VSILFILE* f = VSIFileFromMemBuffer(path.c_str(), const_cast<GByte*>(data), size, FALSE);
    if (!f) return 0;
    VSIFCloseL(f);
    try {
        const auto layers = mp::io::read_source(path);
        for (const auto& l : layers)
            for (const auto& feat : l.features)
                if (!mp::geo::coordinates_valid(feat.geometry)) std::abort();
    } catch (const mp::Error&) {
    }
    VSIUnlink(path.c_str());
    return 0;
}
