// SPDX-License-Identifier: MIT
#include "mp/io/raster_io.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include "mp/io/ogr_io.hpp"

namespace mp::io {

std::string raster_problem(const std::string& source) {
    ensure_gdal();
    if (source.empty()) return "no raster source given";
    CPLErrorReset();
    GDALDatasetUniquePtr ds(GDALDataset::Open(source.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!ds) {
        const char* msg = CPLGetLastErrorMsg();
        return std::string("not a raster GDAL can open") + (msg && *msg ? std::string(": ") + msg : std::string());
    }
    if (ds->GetRasterCount() < 1) return "the source has no raster bands";
    const OGRSpatialReference* srs = ds->GetSpatialRef();
    if (!srs || srs->IsEmpty())
        return "the raster has no CRS (add one with gdal_edit.py -a_srs EPSG:31370, or a .prj/.aux.xml beside it)";
    return {};
}

}  // namespace mp::io
