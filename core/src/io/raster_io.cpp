// SPDX-License-Identifier: MIT
// Rasters through GDAL: opening a source, warping a band onto a grid a caller asks for,
// and polygonising a grid. GDAL does the resampling and the polygon tracing; this file
// only checks inputs, wires datasets together and turns failures into messages.
#include "mp/io/raster_io.hpp"

#include <cpl_string.h>
#include <gdal_alg.h>
#include <gdal_priv.h>
#include <gdalwarper.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <unordered_map>

#include "mp/core/error.hpp"
#include "mp/io/ogr_io.hpp"

namespace mp::io {

namespace {

std::string num(double v) {
    char b[48];
    std::snprintf(b, sizeof b, "%.10g", v);
    return b;
}

std::string last_gdal_error() {
    const char* m = CPLGetLastErrorMsg();
    return m && *m ? std::string(m) : std::string("no details from GDAL");
}

// A CRS from user input, without network or file access (the text may come from a
// plugin or a command line).
bool parse_crs(const std::string& text, OGRSpatialReference& srs) {
    if (text.empty()) return false;
    if (srs.SetFromUserInput(text.c_str(), OGRSpatialReference::SET_FROM_USER_INPUT_LIMITATIONS_get()) != OGRERR_NONE)
        return false;
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return true;
}

int CPL_STDCALL progress_callback(double complete, const char*, void* arg) {
    auto* p = static_cast<Progress*>(arg);
    p->report(complete, "GDAL");
    return p->cancelled() ? FALSE : TRUE;
}

struct TransformerDeleter {
    void operator()(void* t) const { GDALDestroyTransformer(t); }
};
using TransformerPtr = std::unique_ptr<void, TransformerDeleter>;

// A MEM dataset of one band over memory the caller owns (GDAL's MEM driver with
// DATAPOINTER: no copy, GDAL reads or writes the caller's cells directly).
GDALDatasetUniquePtr mem_over(void* cells, GDALDataType type, const GridSpec& grid, const OGRSpatialReference& srs) {
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    if (!mem) throw Error("GDAL MEM driver is not available");
    GDALDatasetUniquePtr ds(
        mem->Create("", static_cast<int>(grid.width), static_cast<int>(grid.height), 0, GDT_Byte, nullptr));
    if (!ds) throw Error("cannot create an in-memory raster: " + last_gdal_error());
    char ptr[64] = {};
    CPLPrintPointer(ptr, cells, sizeof ptr - 1);
    char** opts = CSLSetNameValue(nullptr, "DATAPOINTER", ptr);
    const CPLErr e = ds->AddBand(type, opts);
    CSLDestroy(opts);
    if (e != CE_None) throw Error("cannot create an in-memory raster band: " + last_gdal_error());
    auto gt = grid.geotransform();
    ds->SetGeoTransform(gt.data());
    ds->SetSpatialRef(&srs);
    return ds;
}

GDALResampleAlg gdal_resampling(Resampling r) {
    switch (r) {
        case Resampling::Nearest: return GRA_NearestNeighbour;
        case Resampling::Bilinear: return GRA_Bilinear;
        case Resampling::Max: return GRA_Max;
        case Resampling::Average: return GRA_Average;
        case Resampling::Cubic: return GRA_Cubic;
    }
    return GRA_NearestNeighbour;
}

}  // namespace

namespace {

// Opens a raster source: the dataset, or nullptr and why it cannot be used.
GDALDatasetUniquePtr open_raster(const std::string& source, std::string& why) {
    ensure_gdal();
    if (source.empty()) {
        why = "no raster source given";
        return nullptr;
    }
    CPLErrorReset();
    GDALDatasetUniquePtr ds(
        GDALDataset::Open(source.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR));
    if (!ds) {
        const char* msg = CPLGetLastErrorMsg();
        why = std::string("not a raster GDAL can open") + (msg && *msg ? std::string(": ") + msg : std::string());
        return nullptr;
    }
    const OGRSpatialReference* srs = ds->GetSpatialRef();
    double gt[6];
    if (ds->GetRasterCount() < 1) why = "the source has no raster bands";
    else if (!srs || srs->IsEmpty())
        why = "the raster has no CRS (add one with gdal_edit.py -a_srs EPSG:31370, or a .prj/.aux.xml beside it)";
    else if (ds->GetGeoTransform(gt) != CE_None)
        why = "the raster has no geotransform (it is not georeferenced by corner and cell size)";
    else return ds;
    return nullptr;
}

}  // namespace

std::string raster_problem(const std::string& source) {
    std::string why;
    open_raster(source, why);
    return why;
}

bool crs_known(const std::string& crs) {
    ensure_gdal();
    OGRSpatialReference srs;
    return parse_crs(crs, srs);
}

// ---- GridSpec ----

std::array<double, 6> GridSpec::geotransform() const { return {origin_x, cell_size_x, 0, origin_y, 0, -cell_size_y}; }

std::string GridSpec::problem(std::size_t max_cells) const {
    if (width == 0 || height == 0)
        return "grid of " + std::to_string(width) + " x " + std::to_string(height) + " cells";
    constexpr std::size_t kMaxSide = static_cast<std::size_t>(std::numeric_limits<int>::max());
    if (width > kMaxSide || height > kMaxSide || width > max_cells / height)
        return "grid of " + std::to_string(width) + " x " + std::to_string(height) + " cells is larger than " +
               std::to_string(max_cells) + " cells";
    if (!std::isfinite(origin_x) || !std::isfinite(origin_y)) return "grid origin is not finite";
    if (!std::isfinite(cell_size_x) || !std::isfinite(cell_size_y) || cell_size_x <= 0 || cell_size_y <= 0)
        return "grid cell size " + num(cell_size_x) + " x " + num(cell_size_y) + " is not finite and > 0";
    if (!std::isfinite(origin_x + static_cast<double>(width) * cell_size_x) ||
        !std::isfinite(origin_y - static_cast<double>(height) * cell_size_y))
        return "grid extent is not finite";
    ensure_gdal();
    OGRSpatialReference srs;
    if (!parse_crs(crs, srs)) return "unknown grid CRS '" + crs + "'";
    return {};
}

std::string GridSpec::describe() const {
    return std::to_string(width) + " x " + std::to_string(height) + " cells of " + num(cell_size_x) + " x " +
           num(cell_size_y) + " from (" + num(origin_x) + ", " + num(origin_y) + ") to (" +
           num(origin_x + static_cast<double>(width) * cell_size_x) + ", " +
           num(origin_y - static_cast<double>(height) * cell_size_y) + ") in " + crs;
}

// ---- RasterDataset ----

struct RasterDataset::Impl {
    std::string source;
    std::string where;
    GDALDatasetUniquePtr ds;
};

RasterDataset::RasterDataset(const std::string& source, std::string where) : m_impl(std::make_unique<Impl>()) {
    m_impl->source = source;
    m_impl->where = where.empty() ? "raster '" + redact_secrets(source) + "'" : std::move(where);
    std::string why;
    m_impl->ds = open_raster(source, why);
    if (!m_impl->ds) throw InputError(why, m_impl->where);
}

RasterDataset::~RasterDataset() = default;
RasterDataset::RasterDataset(RasterDataset&&) noexcept = default;
RasterDataset& RasterDataset::operator=(RasterDataset&&) noexcept = default;

const std::string& RasterDataset::source() const noexcept { return m_impl->source; }
const std::string& RasterDataset::where() const noexcept { return m_impl->where; }
std::size_t RasterDataset::width() const { return static_cast<std::size_t>(m_impl->ds->GetRasterXSize()); }
std::size_t RasterDataset::height() const { return static_cast<std::size_t>(m_impl->ds->GetRasterYSize()); }
std::size_t RasterDataset::band_count() const { return static_cast<std::size_t>(m_impl->ds->GetRasterCount()); }

std::array<double, 6> RasterDataset::geotransform() const {
    std::array<double, 6> gt{};
    m_impl->ds->GetGeoTransform(gt.data());
    return gt;
}

std::string RasterDataset::crs_wkt() const {
    const OGRSpatialReference* srs = m_impl->ds->GetSpatialRef();
    char* wkt = nullptr;
    const char* const opts[] = {"FORMAT=WKT2_2019", nullptr};
    if (!srs || srs->exportToWkt(&wkt, opts) != OGRERR_NONE) {
        CPLFree(wkt);
        return {};
    }
    std::string out = wkt ? wkt : "";
    CPLFree(wkt);
    return out;
}

std::string RasterDataset::crs_name() const {
    const OGRSpatialReference* srs = m_impl->ds->GetSpatialRef();
    const char* n = srs ? srs->GetName() : nullptr;
    return n ? n : "";
}

bool RasterDataset::crs_is_projected() const {
    const OGRSpatialReference* srs = m_impl->ds->GetSpatialRef();
    return srs && srs->IsProjected();
}

double RasterDataset::linear_unit_m() const {
    const OGRSpatialReference* srs = m_impl->ds->GetSpatialRef();
    return srs && srs->IsProjected() ? srs->GetLinearUnits() : 0.0;
}

std::optional<double> RasterDataset::nodata(std::size_t band) const {
    if (band < 1 || band > band_count()) return std::nullopt;
    GDALRasterBand* b = m_impl->ds->GetRasterBand(static_cast<int>(band));
    int has = 0;
    double v = 0;
    if (b->GetRasterDataType() == GDT_UInt64) v = static_cast<double>(b->GetNoDataValueAsUInt64(&has));
    else if (b->GetRasterDataType() == GDT_Int64) v = static_cast<double>(b->GetNoDataValueAsInt64(&has));
    else v = b->GetNoDataValue(&has);
    return has ? std::optional<double>(v) : std::nullopt;
}

void RasterDataset::read_onto_grid(std::size_t band, const GridSpec& grid, Resampling resampling, double nodata,
                                   double* out, Progress& progress) {
    const std::string& where = m_impl->where;
    if (band < 1 || band > band_count())
        throw InputError("band " + std::to_string(band) + " does not exist: the raster has " +
                             std::to_string(band_count()) + (band_count() == 1 ? " band" : " bands"),
                         where);
    if (const std::string why = grid.problem(kMaxGridCells); !why.empty()) throw InputError(why, where);
    if (!out) throw InputError("no buffer to read into", where);
    OGRSpatialReference dst_srs;
    parse_crs(grid.crs, dst_srs);
    CPLErrorReset();
    GDALDatasetUniquePtr dst = mem_over(out, GDT_Float64, grid, dst_srs);
    GDALDataset* src = m_impl->ds.get();

    TransformerPtr exact(
        GDALCreateGenImgProjTransformer2(GDALDataset::ToHandle(src), GDALDataset::ToHandle(dst.get()), nullptr));
    if (!exact)
        throw InputError("no transformation from the raster's CRS (" + crs_name() + ") to the grid's CRS '" + grid.crs +
                             "': " + last_gdal_error(),
                         where);

    // Does the grid overlap the raster at all? Sample a lattice over the grid (corners
    // included) in the raster's cell coordinates and compare bounding boxes: a grid whose
    // box misses the raster gets an error instead of a silent sheet of nodata.
    {
        constexpr int kSteps = 32;
        std::vector<double> x, y, z;
        for (int j = 0; j <= kSteps; ++j)
            for (int i = 0; i <= kSteps; ++i) {
                x.push_back(static_cast<double>(grid.width) * i / kSteps);
                y.push_back(static_cast<double>(grid.height) * j / kSteps);
                z.push_back(0);
            }
        std::vector<int> ok(x.size(), 0);
        GDALGenImgProjTransform(exact.get(), TRUE, static_cast<int>(x.size()), x.data(), y.data(), z.data(), ok.data());
        double u0 = HUGE_VAL, u1 = -HUGE_VAL, v0 = HUGE_VAL, v1 = -HUGE_VAL;
        for (std::size_t k = 0; k < x.size(); ++k) {
            if (!ok[k] || !std::isfinite(x[k]) || !std::isfinite(y[k])) continue;
            u0 = std::min(u0, x[k]), u1 = std::max(u1, x[k]), v0 = std::min(v0, y[k]), v1 = std::max(v1, y[k]);
        }
        const double w = static_cast<double>(width()), h = static_cast<double>(height());
        if (!(u1 > 0 && u0 < w && v1 > 0 && v0 < h)) {
            const auto gt = geotransform();
            const double xs[] = {gt[0], gt[0] + gt[1] * w + gt[2] * h};
            const double ys[] = {gt[3], gt[3] + gt[4] * w + gt[5] * h};
            throw InputError("window " + grid.describe() + " is outside the raster (its extent: x " +
                                 num(std::min(xs[0], xs[1])) + " to " + num(std::max(xs[0], xs[1])) + ", y " +
                                 num(std::min(ys[0], ys[1])) + " to " + num(std::max(ys[0], ys[1])) + " in " +
                                 crs_name() + ")",
                             where);
        }
    }

    // GDAL's warper, as gdalwarp runs it, but with an approximation error of 0.01 source
    // cell instead of gdalwarp's 0.125: a plane resampled bilinearly then stays within
    // 1e-6 of its value at the true cell centre.
    TransformerPtr approx(GDALCreateApproxTransformer(GDALGenImgProjTransform, exact.get(), 0.01));
    if (!approx) throw Error("cannot create the warp transformer: " + last_gdal_error(), where);
    GDALWarpOptions* wo = GDALCreateWarpOptions();
    wo->hSrcDS = GDALDataset::ToHandle(src);
    wo->hDstDS = GDALDataset::ToHandle(dst.get());
    wo->eResampleAlg = gdal_resampling(resampling);
    wo->eWorkingDataType = GDT_Float64;
    wo->nBandCount = 1;
    wo->panSrcBands = static_cast<int*>(CPLMalloc(sizeof(int)));
    wo->panSrcBands[0] = static_cast<int>(band);
    wo->panDstBands = static_cast<int*>(CPLMalloc(sizeof(int)));
    wo->panDstBands[0] = 1;
    if (const auto nd = this->nodata(band)) {
        wo->padfSrcNoDataReal = static_cast<double*>(CPLMalloc(sizeof(double)));
        wo->padfSrcNoDataReal[0] = *nd;
    }
    wo->padfDstNoDataReal = static_cast<double*>(CPLMalloc(sizeof(double)));
    wo->padfDstNoDataReal[0] = nodata;
    wo->papszWarpOptions = CSLSetNameValue(wo->papszWarpOptions, "INIT_DEST", "NO_DATA");
    wo->pfnTransformer = GDALApproxTransform;
    wo->pTransformerArg = approx.get();
    wo->pfnProgress = progress_callback;
    wo->pProgressArg = &progress;
    CPLErr e = CE_Failure;
    {
        GDALWarpOperation op;
        e = op.Initialize(wo);
        if (e == CE_None) e = op.ChunkAndWarpImage(0, 0, static_cast<int>(grid.width), static_cast<int>(grid.height));
    }
    GDALDestroyWarpOptions(wo);
    if (progress.cancelled()) throw Cancelled();
    if (e != CE_None) throw Error("GDAL could not warp the raster onto the grid: " + last_gdal_error(), where);
    dst.reset();
    const std::size_t n = grid.width * grid.height;
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(out[i])) out[i] = nodata;
}

// ---- polygonize ----

std::vector<ValuePolygon> polygonize_grid(const GridSpec& grid, const double* values, std::optional<double> nodata,
                                          bool eight_connected, Progress& progress) {
    if (const std::string why = grid.problem(kMaxPolygonizeCells); !why.empty()) throw InputError(why);
    if (!values) throw InputError("no cells to polygonise");
    OGRSpatialReference srs;
    parse_crs(grid.crs, srs);
    // GDALPolygonize compares 32-bit integers exactly, GDALFPolygonize floats within a
    // tolerance. Number the distinct values instead and polygonise the numbers, so that
    // "equal" means exactly equal and each polygon carries its exact double value.
    const std::size_t n = grid.width * grid.height;
    std::vector<std::int32_t> classes(n, 0);
    std::vector<GByte> mask(n, 0);
    std::vector<double> class_value;
    std::unordered_map<double, std::int32_t> ids;
    for (std::size_t i = 0; i < n; ++i) {
        const double v = values[i];
        if (!std::isfinite(v) || (nodata && v == *nodata)) continue;
        auto [it, inserted] = ids.try_emplace(v, static_cast<std::int32_t>(class_value.size()));
        if (inserted) class_value.push_back(v);
        classes[i] = it->second;
        mask[i] = 255;
    }
    std::vector<ValuePolygon> out;
    if (class_value.empty()) return out;

    CPLErrorReset();
    GDALDatasetUniquePtr cls_ds = mem_over(classes.data(), GDT_Int32, grid, srs);
    GDALDatasetUniquePtr mask_ds = mem_over(mask.data(), GDT_Byte, grid, srs);
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("Memory");
    if (!mem) throw Error("GDAL Memory driver is not available");
    GDALDatasetUniquePtr vec(mem->Create("", 0, 0, 0, GDT_Unknown, nullptr));
    OGRLayer* layer = vec ? vec->CreateLayer("cells", &srs, wkbPolygon, nullptr) : nullptr;
    if (!layer) throw Error("cannot create an in-memory vector layer: " + last_gdal_error());
    OGRFieldDefn field("class", OFTInteger);
    layer->CreateField(&field);
    char** opts = eight_connected ? CSLSetNameValue(nullptr, "8CONNECTED", "8") : nullptr;
    const CPLErr e = GDALPolygonize(cls_ds->GetRasterBand(1), mask_ds->GetRasterBand(1), OGRLayer::ToHandle(layer), 0,
                                    opts, progress_callback, &progress);
    CSLDestroy(opts);
    if (progress.cancelled()) throw Cancelled();
    if (e != CE_None) throw Error("GDAL could not polygonise the grid: " + last_gdal_error());

    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&srs, &wgs84));
    if (!ct) throw InputError("no transformation from the grid's CRS '" + grid.crs + "' to lon/lat");
    const double max_segment = 64 * std::max(grid.cell_size_x, grid.cell_size_y);
    layer->ResetReading();
    for (auto& f : *layer) {
        OGRGeometry* g = f->GetGeometryRef();
        if (!g || wkbFlatten(g->getGeometryType()) != wkbPolygon) continue;
        const int cls = f->GetFieldAsInteger(0);
        if (cls < 0 || static_cast<std::size_t>(cls) >= class_value.size()) continue;
        g->segmentize(max_segment);
        if (g->transform(ct.get()) != OGRERR_NONE)
            throw InputError("cells of the grid cannot be transformed to lon/lat", grid.describe());
        const auto* poly = g->toPolygon();
        auto ring = [](const OGRLinearRing* r) {
            geo::Ring out_ring;
            for (int i = 0; i < r->getNumPoints(); ++i) out_ring.push_back(geo::lonlat(r->getX(i), r->getY(i)));
            return out_ring;
        };
        geo::Polygon p;
        p.outer() = ring(poly->getExteriorRing());
        for (int i = 0; i < poly->getNumInteriorRings(); ++i) p.inners().push_back(ring(poly->getInteriorRing(i)));
        geo::Geometry gg = std::move(p);
        if (!geo::coordinates_valid(gg))
            throw InputError("cells of the grid fall outside lon/lat range once transformed", grid.describe());
        geo::normalise(gg);
        out.push_back({std::get<geo::Polygon>(std::move(gg)), class_value[static_cast<std::size_t>(cls)]});
    }
    return out;
}

}  // namespace mp::io
