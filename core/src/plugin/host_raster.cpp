// SPDX-License-Identifier: MIT
// Host services: rasters (GDAL warp onto the plugin's grid, through mp::io::RasterDataset),
// vector sources (mp::io::read_source), typed results (rasters of several bands and
// types, charts, layer roles) and polygonize (GDALPolygonize through
// mp::io::polygonize_grid). Each function checks its arguments, records why it refused
// (host->last_error) and returns a status; results a plugin got wrong also go to
// ctx->invalid, so that the run fails with the reason instead of showing a broken result.
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <mutex>
#include <optional>

#include "host_services.hpp"
#include "mp/core/error.hpp"
#include "mp/core/utf8.hpp"
#include "mp/io/ogr_io.hpp"
#include "mp/io/raster_io.hpp"

/// A raster the plugin opened. GDAL datasets are not thread-safe: each handle owns its
/// own dataset and a mutex, so a plugin may use different handles from different
/// threads, and one handle from several (calls on it are serialised).
struct MpRaster {
    static constexpr std::uint32_t kMagic = 0x5352504d;  // "MPRS": refuses a pointer of another kind
    std::uint32_t magic = kMagic;
    MpRunContext* ctx = nullptr;
    std::mutex mu;
    std::optional<mp::io::RasterDataset> ds;  ///< empty once closed
    // Behind the strings of `info`, stable for the life of the run.
    std::string source, crs_wkt, crs_name;
    MpRasterInfo info{};
};

namespace mp::plugin::detail {

namespace {

using Ctx = MpRunContext;

// Sizes of the 1.1 structs the plugin passes in: every field up to the last one of 1.1
// (a later minor version may append more; those read as zero from a 1.1 plugin).
constexpr std::size_t kGridSpecSize = offsetof(MpGridSpec, height) + sizeof(size_t);
constexpr std::size_t kRasterInfoSize = offsetof(MpRasterInfo, source) + sizeof(const char*);
constexpr std::size_t kRasterResultSize = offsetof(MpRasterResult, band_values) + sizeof(const double*);
constexpr std::size_t kChartSize = offsetof(MpChart, value) + sizeof(const char*);
static_assert(io::kMaxGridCells == MP_GRID_MAX_CELLS, "the ABI's grid limit is the core's");
// Class names a categories raster may carry (the array ends at its first NULL).
constexpr std::size_t kMaxCategoryNames = 65536;

/// Cancellation of the run, for core functions that poll a Progress: cancelled once the
/// host asked the run to stop. It reports nowhere (the plugin owns the run's progress bar).
class RunProgress : public Progress {
public:
    explicit RunProgress(const Ctx* c) : m_ctx(c) { poll(); }
    void report(double, std::string_view) override { poll(); }

private:
    void poll() {
        if (m_ctx->cancel_requested.load() || (m_ctx->progress && m_ctx->progress->cancelled())) cancel();
    }
    const Ctx* m_ctx;
};

bool valid(const MpRaster* r) { return r && r->magic == MpRaster::kMagic && r->ctx; }

std::string text(const char* s) { return s ? sanitize_utf8(s) : std::string(); }

// A bad result: recorded so that the run fails with the reason, and as last_error.
MpStatus invalid(Ctx* c, const std::string& why) {
    {
        std::lock_guard lock(c->results_mu);
        c->invalid.push_back(why);
    }
    return fail(c, MP_INVALID_ARGUMENT, why);
}

// A key that names a parameter (its value is the source) or is the source itself.
struct Source {
    std::string value;
    std::string where;  ///< "parameter 'dem' = dem.tif", or "raster 'dem.tif'"
    bool from_param = false;
};

std::optional<Source> source_of(const Ctx* c, const char* key, const char* noun) {
    Source s;
    if (const auto* p = param_value(c, key)) {
        if (!p->is_string()) return std::nullopt;
        s.value = p->get<std::string>();
        s.where = std::string("parameter '") + key + "' = " + io::redact_secrets(s.value);
        s.from_param = true;
    } else {
        s.value = key;
        s.where = std::string(noun) + " '" + io::redact_secrets(s.value) + "'";
    }
    return s;
}

// A key such as "dem": no parameter of that name has a value, and it is no path either.
bool looks_like_key(const std::string& s) {
    if (s.empty()) return false;
    for (char ch : s)
        if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '-') return false;
    std::error_code ec;
    return !std::filesystem::exists(s, ec);
}

std::optional<io::GridSpec> grid_of(const Ctx* c, const MpGridSpec* grid, const char* fn) {
    if (!struct_ok(c, grid, kGridSpecSize, "MpGridSpec")) return std::nullopt;
    const MpGridSpec g = read_sized(grid);
    if (!g.crs || !*g.crs) {
        fail(c, MP_INVALID_ARGUMENT, std::string(fn) + ": MpGridSpec.crs is NULL or empty");
        return std::nullopt;
    }
    io::GridSpec s;
    s.crs = text(g.crs);
    s.origin_x = g.origin_x, s.origin_y = g.origin_y;
    s.cell_size_x = g.cell_size_x, s.cell_size_y = g.cell_size_y;
    s.width = g.width, s.height = g.height;
    return s;
}

std::optional<io::Resampling> resampling_of(int r) {
    switch (r) {
        case MP_RESAMPLE_NEAREST: return io::Resampling::Nearest;
        case MP_RESAMPLE_BILINEAR: return io::Resampling::Bilinear;
        case MP_RESAMPLE_MAX: return io::Resampling::Max;
        case MP_RESAMPLE_AVERAGE: return io::Resampling::Average;
        case MP_RESAMPLE_CUBIC: return io::Resampling::Cubic;
        default: return std::nullopt;
    }
}

std::optional<PixelType> pixel_type_of(int t) {
    switch (t) {
        case MP_DATA_BYTE: return PixelType::Byte;
        case MP_DATA_UINT16: return PixelType::UInt16;
        case MP_DATA_UINT32: return PixelType::UInt32;
        case MP_DATA_UINT64: return PixelType::UInt64;
        case MP_DATA_FLOAT32: return PixelType::Float32;
        case MP_DATA_FLOAT64: return PixelType::Float64;
        default: return std::nullopt;
    }
}

std::optional<RasterRole> raster_role_of(int r) {
    switch (r) {
        case MP_RASTER_PLAIN: return RasterRole::Plain;
        case MP_RASTER_BANDS_HEIGHT: return RasterRole::BandsPerHeight;
        case MP_RASTER_BITMASK: return RasterRole::Bitmask;
        case MP_RASTER_CATEGORIES: return RasterRole::Categories;
        default: return std::nullopt;
    }
}

}  // namespace

// ---- rasters ----

MpStatus raster_open(Ctx* c, const char* key, MpRaster** out) {
    Access a(c);
    if (!a.ok) return MP_ERROR;
    if (!out) return fail(c, MP_INVALID_ARGUMENT, "raster_open: out must not be NULL");
    *out = nullptr;
    if (!key || !*key) return fail(c, MP_INVALID_ARGUMENT, "raster_open: no parameter key or raster source given");
    const auto src = source_of(c, key, "raster");
    if (!src) return fail(c, MP_INVALID_ARGUMENT, std::string("parameter '") + key + "' is not a raster source");
    auto h = std::make_shared<MpRaster>();
    h->ctx = c;
    try {
        h->ds.emplace(src->value, src->where);
    } catch (const InputError& e) {
        if (!src->from_param && looks_like_key(src->value))
            return fail(c, MP_NOT_FOUND,
                        "no value for raster parameter '" + src->value + "', and no raster source of that name");
        return fail(c, MP_INVALID_ARGUMENT, e.what());
    } catch (const std::exception& e) {
        return fail(c, MP_ERROR, std::string(e.what()) + " (" + src->where + ")");
    }
    const io::RasterDataset& ds = *h->ds;
    h->source = src->value;
    h->crs_wkt = ds.crs_wkt();
    h->crs_name = ds.crs_name();
    MpRasterInfo& i = h->info;
    i.struct_size = sizeof(MpRasterInfo);
    i.width = ds.width(), i.height = ds.height(), i.band_count = ds.band_count();
    const auto gt = ds.geotransform();
    std::copy(gt.begin(), gt.end(), i.geotransform);
    i.crs_wkt = h->crs_wkt.c_str();
    i.crs_name = h->crs_name.c_str();
    i.crs_is_projected = ds.crs_is_projected() ? 1 : 0;
    i.linear_unit_m = ds.linear_unit_m();
    const auto nd = ds.nodata(1);
    i.has_nodata = nd ? 1 : 0;
    i.nodata = nd.value_or(0);
    i.source = h->source.c_str();
    {
        std::lock_guard lock(c->storage_mu);
        c->handles.push_back(h);
    }
    *out = h.get();
    return MP_OK;
}

MpStatus raster_info(const MpRaster* r, MpRasterInfo* out) {
    if (!valid(r)) return MP_INVALID_ARGUMENT;
    Access a(r->ctx);
    if (!a.ok) return MP_ERROR;
    if (!struct_ok(r->ctx, out, kRasterInfoSize, "MpRasterInfo")) return MP_INVALID_ARGUMENT;
    fill_sized(out, r->info);
    return MP_OK;
}

MpStatus raster_read(MpRaster* r, size_t band, const MpGridSpec* grid, MpResampling resampling, double nodata,
                     double* values) {
    if (!valid(r)) return MP_INVALID_ARGUMENT;
    Ctx* c = r->ctx;
    Access a(c);
    if (!a.ok) return MP_ERROR;
    const auto g = grid_of(c, grid, "raster_read");
    if (!g) return MP_INVALID_ARGUMENT;
    const auto rs = resampling_of(raw_enum(resampling));
    if (!rs)
        return fail(c, MP_UNSUPPORTED,
                    "raster_read: unknown resampling " + std::to_string(raw_enum(resampling)) +
                        " (nearest, bilinear, max, average, cubic: 0 to 4)");
    if (!values) return fail(c, MP_INVALID_ARGUMENT, "raster_read: values must not be NULL");
    std::lock_guard lock(r->mu);
    if (!r->ds) return fail(c, MP_INVALID_ARGUMENT, "raster_read: the raster '" + r->source + "' was closed");
    RunProgress progress(c);
    try {
        r->ds->read_onto_grid(band, *g, *rs, nodata, values, progress);
    } catch (const Cancelled&) {
        return fail(c, MP_CANCELLED, "raster_read: cancelled");
    } catch (const InputError& e) {
        return fail(c, MP_INVALID_ARGUMENT, e.what());
    } catch (const std::exception& e) {
        return fail(c, MP_ERROR, e.what());
    }
    return MP_OK;
}

void raster_close(MpRaster* r) {
    if (!valid(r)) return;
    // The handle itself stays until the run ends (a stale pointer reads "closed"); the
    // dataset and its file go now.
    std::lock_guard lock(r->mu);
    r->ds.reset();
}

// ---- vector sources ----

MpStatus layer_load(Ctx* c, const char* key, size_t* first, size_t* count) {
    Access a(c);
    if (!a.ok) return MP_ERROR;
    if (!key || !*key) return fail(c, MP_INVALID_ARGUMENT, "layer_load: no parameter key or file given");
    const auto src = source_of(c, key, "file");
    if (!src) return fail(c, MP_INVALID_ARGUMENT, std::string("parameter '") + key + "' is not a file");
    std::vector<layer::Layer> layers;
    RunProgress progress(c);
    try {
        layers = io::read_source(src->value, {}, progress);
    } catch (const Cancelled&) {
        return fail(c, MP_CANCELLED, "layer_load: cancelled");
    } catch (const std::exception& e) {
        if (!src->from_param && looks_like_key(src->value))
            return fail(c, MP_NOT_FOUND, "no value for file parameter '" + src->value + "', and no file of that name");
        return fail(c, MP_INVALID_ARGUMENT, src->where + ": " + e.what());
    }
    std::lock_guard lock(c->storage_mu);
    const std::size_t start = c->ws->layers.size() + c->extra_layers.size();
    for (auto& l : layers) c->extra_layers.push_back(std::move(l));
    if (first) *first = start;
    if (count) *count = layers.size();
    return MP_OK;
}

// ---- typed results ----

MpStatus result_raster_typed(Ctx* c, const MpRasterResult* raster) {
    Access a(c);
    if (!a.ok) return MP_ERROR;
    if (!struct_ok(c, raster, kRasterResultSize, "MpRasterResult")) return MP_INVALID_ARGUMENT;
    const MpRasterResult in = read_sized(raster);
    Raster r;
    r.name = text(in.name);
    auto bad = [&](const std::string& why) { return invalid(c, "invalid raster '" + r.name + "': " + why); };
    if (r.name.empty()) return bad("no name");
    const auto type = pixel_type_of(raw_enum(in.type));
    if (!type)
        return fail(c, MP_UNSUPPORTED,
                    "raster '" + r.name + "': unknown pixel type " + std::to_string(raw_enum(in.type)));
    const auto role = raster_role_of(raw_enum(in.role));
    if (!role)
        return fail(c, MP_UNSUPPORTED,
                    "raster '" + r.name + "': unknown raster role " + std::to_string(raw_enum(in.role)));
    if (in.width == 0 || in.height == 0 || in.bands == 0 || in.width > io::kMaxGridCells / in.height ||
        in.bands > io::kMaxGridCells / (in.width * in.height))
        return bad(std::to_string(in.bands) + " bands of " + std::to_string(in.width) + " x " +
                   std::to_string(in.height) + " cells (at most " + std::to_string(io::kMaxGridCells) +
                   " cells in all)");
    if (!in.data) return bad("no cells (data is NULL)");
    if (!in.crs || !*in.crs) return bad("no CRS");
    r.width = in.width, r.height = in.height, r.bands = in.bands;
    std::copy(in.geotransform, in.geotransform + 6, r.geotransform.begin());
    r.crs = text(in.crs);
    r.type = *type;
    r.role = *role;
    const std::size_t n = r.bands * r.cells();
    if (r.type == PixelType::Float64) {
        r.values.resize(n);
        std::memcpy(r.values.data(), in.data, n * sizeof(double));
    } else {
        const auto* p = static_cast<const std::uint8_t*>(in.data);
        r.data.assign(p, p + n * pixel_size(r.type));
    }
    r.has_nodata = in.has_nodata != 0;
    r.nodata = r.has_nodata ? in.nodata : 0;
    r.unit = text(in.unit);
    if (in.band_names) {
        if (r.role == RasterRole::Bitmask || r.role == RasterRole::Categories) {
            const std::size_t most =
                r.role == RasterRole::Bitmask ? r.bands * 8 * pixel_size(r.type) : kMaxCategoryNames;
            for (std::size_t i = 0; i < most && in.band_names[i]; ++i) r.item_names.push_back(text(in.band_names[i]));
        } else {
            for (std::size_t b = 0; b < r.bands; ++b) r.band_names.push_back(text(in.band_names[b]));
        }
    }
    if (r.role == RasterRole::BandsPerHeight) {
        if (!in.band_values) return bad("a bands-per-height raster needs band_values (one height per band, m)");
        r.band_heights_m.assign(in.band_values, in.band_values + r.bands);
    }
    if (r.has_nodata && !std::isfinite(r.nodata) && is_integer(r.type))
        return bad("nodata must be a value of the pixel type");
    if (const std::string why = r.problem(); !why.empty()) return bad(why);
    if (!io::crs_known(r.crs)) return bad("unknown CRS '" + r.crs + "'");
    std::lock_guard lock(c->results_mu);
    c->result.rasters.push_back(std::move(r));
    return MP_OK;
}

MpStatus table_chart(MpResultTable* table, const MpChart* chart) {
    if (!table || !table->ctx) return MP_INVALID_ARGUMENT;
    Ctx* c = table->ctx;
    Access a(c);
    if (!a.ok) return MP_ERROR;
    if (!struct_ok(c, chart, kChartSize, "MpChart")) return MP_INVALID_ARGUMENT;
    const MpChart in = read_sized(chart);
    Chart spec;
    spec.kind = text(in.kind);
    spec.title = text(in.title);
    spec.x = text(in.x);
    spec.y_unit_right = text(in.y_unit_right);
    spec.start = text(in.start), spec.end = text(in.end), spec.label = text(in.label), spec.group = text(in.group);
    spec.row = text(in.row), spec.column = text(in.column), spec.value = text(in.value);
    std::string table_name, why;
    {
        std::lock_guard lock(c->results_mu);
        const Table& t = c->result.tables[table->index];
        table_name = t.name;
    }
    if (in.n_y > 0 && !in.y) why = "y is NULL with n_y = " + std::to_string(in.n_y);
    for (std::size_t i = 0; why.empty() && i < in.n_y; ++i) {
        if (!in.y[i]) why = "y[" + std::to_string(i) + "] is NULL";
        else spec.y.push_back(text(in.y[i]));
    }
    if (!why.empty()) return invalid(c, "malformed chart of table '" + table_name + "': " + why);
    if (!known_chart_kind(spec.kind))
        return fail(
            c, MP_UNSUPPORTED,
            "table '" + table_name + "': unknown chart kind '" + spec.kind + "' (known: line, bar, gantt, heatmap)");
    {
        std::lock_guard lock(c->results_mu);
        Table& t = c->result.tables[table->index];
        why = t.chart_problem(spec);
        if (why.empty()) {
            // The 1.0 hint follows, so that a reader of chart_hint alone draws line and
            // bar charts as before and no other kind as one of them.
            t.chart_hint = spec.kind == "line" || spec.kind == "bar" ? spec.kind : "";
            t.chart = std::move(spec);
        }
    }
    if (!why.empty()) return invalid(c, "malformed chart of table '" + table_name + "': " + why);
    return MP_OK;
}

MpStatus layer_role(MpResultLayer* layer, const char* role, const char* start_field, const char* end_field) {
    if (!layer || !layer->ctx) return MP_INVALID_ARGUMENT;
    Ctx* c = layer->ctx;
    Access a(c);
    if (!a.ok) return MP_ERROR;
    const std::string r = text(role), start = text(start_field), end = text(end_field);
    std::string name, why;
    {
        std::lock_guard lock(c->results_mu);
        ResultLayer& rl = c->result.layers[layer->index];
        name = rl.layer.name;
        if (r.empty()) {
            rl.role.clear(), rl.start_field.clear(), rl.end_field.clear();
            return MP_OK;
        }
        if (r != "movements") {
            why = "unknown";
        } else if (start.empty() || end.empty()) {
            why = "a movements layer needs a start and an end field";
        } else {
            // Features added so far must carry their times (later ones are the plugin's
            // business, as with any attribute).
            for (const auto& f : rl.layer.features) {
                for (const auto& key : {start, end}) {
                    const auto* v = f.attributes.find(key);
                    const auto* s = v ? std::get_if<std::string>(v) : nullptr;
                    const bool ok = v && (layer::to_number(*v) || (s && is_iso8601_time(*s)));
                    if (!ok) {
                        why =
                            "feature '" + f.id + "' has no time in field '" + key + "' (seconds or ISO 8601 UTC text)";
                        break;
                    }
                }
                if (!why.empty()) break;
            }
            if (why.empty()) rl.role = r, rl.start_field = start, rl.end_field = end;
        }
    }
    if (why == "unknown")
        return fail(c, MP_UNSUPPORTED,
                    "result layer '" + name + "': unknown layer role '" + r + "' (known: movements)");
    if (!why.empty()) return invalid(c, "result layer '" + name + "': " + why);
    return MP_OK;
}

MpStatus polygonize(Ctx* c, const MpGridSpec* grid, const double* values, int has_nodata, double nodata, int eight,
                    MpResultLayer* layer, const char* field) {
    Access a(c);
    if (!a.ok) return MP_ERROR;
    const auto g = grid_of(c, grid, "polygonize");
    if (!g) return MP_INVALID_ARGUMENT;
    if (!values) return fail(c, MP_INVALID_ARGUMENT, "polygonize: values must not be NULL");
    if (!layer || layer->ctx != c) return fail(c, MP_INVALID_ARGUMENT, "polygonize: not a result layer of this run");
    const std::string key = text(field);
    if (key.empty()) return fail(c, MP_INVALID_ARGUMENT, "polygonize: no attribute name for the values");
    std::vector<io::ValuePolygon> polys;
    RunProgress progress(c);
    try {
        polys = io::polygonize_grid(*g, values, has_nodata ? std::optional<double>(nodata) : std::nullopt, eight != 0,
                                    progress);
    } catch (const Cancelled&) {
        return fail(c, MP_CANCELLED, "polygonize: cancelled");
    } catch (const InputError& e) {
        return fail(c, MP_INVALID_ARGUMENT, std::string("polygonize: ") + e.what());
    } catch (const std::exception& e) {
        return fail(c, MP_ERROR, std::string("polygonize: ") + e.what());
    }
    // Integer values (classes, counts) become integer attributes, so that they read as
    // integers in GeoJSON and attribute tables; a grid of any other value keeps doubles.
    bool integral = true;
    for (const auto& p : polys)
        integral = integral && p.value == std::floor(p.value) && std::abs(p.value) < 9007199254740992.0;
    std::lock_guard lock(c->results_mu);
    ResultLayer& rl = c->result.layers[layer->index];
    for (auto& p : polys) {
        layer::Feature f;
        f.id = std::to_string(rl.layer.features.size());
        f.geometry = std::move(p.polygon);
        if (integral) f.attributes.set(key, static_cast<std::int64_t>(p.value));
        else f.attributes.set(key, p.value);
        rl.layer.features.push_back(std::move(f));
        rl.feature_styles.emplace_back();
    }
    return MP_OK;
}

}  // namespace mp::plugin::detail
