// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace mp::io {

/// Why a GDAL raster source cannot be used ("" when it can): it does not exist, GDAL
/// cannot open it as a raster, it has no bands, or it has no CRS. `source` is any GDAL
/// raster source: a path, a VRT mosaic, /vsizip/..., an SRTM .hgt tile.
std::string raster_problem(const std::string& source);

}  // namespace mp::io
