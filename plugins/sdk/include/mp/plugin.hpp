// SPDX-License-Identifier: MIT
// plugin.hpp: a header-only C++17 helper over mp_plugin.h for writing plugins.
// It keeps the C ABI at the boundary: exceptions are caught and become MP_ERROR with
// the message reported to the host; no C++ type crosses into the host.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "mp/mp_plugin.h"

namespace mp::sdk {

/// Thrown by the helper when the host reports an error for a call; caught by
/// MP_SDK_PLUGIN's trampoline and reported as the run's error.
class Failure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Thrown for input the plugin cannot work with (an unknown site, a point far from any
/// network): the run returns MP_INVALID_ARGUMENT, and the host reports the run as
/// rejected (CLI exit code 3, bad input) rather than failed (4).
class InputFailure : public Failure {
public:
    using Failure::Failure;
};

/// Thrown for a valid question that has no feasible answer (no route for this vehicle,
/// a deployment that can never close): the run returns MP_INFEASIBLE, reported as
/// "infeasible" (CLI exit code 5).
class InfeasibleFailure : public Failure {
public:
    using Failure::Failure;
};

/// Thrown when the host lacks a service the plugin needs (an older host: its MpHostApi
/// struct_size does not cover the function).
class UnsupportedFailure : public Failure {
public:
    using Failure::Failure;
};

/// Thrown when the run notices cancellation (Run::check_cancelled()).
class CancelledRun : public std::exception {
public:
    const char* what() const noexcept override { return "cancelled"; }
};

/// A geometry owned by the plugin, convertible to the ABI's flat MpGeometry view.
struct Geometry {
    MpGeomType type = MP_GEOM_NONE;
    std::vector<double> xy;           // lon,lat pairs
    std::vector<uint32_t> ring_ends;  // see MpGeometry
    std::vector<uint32_t> poly_ends;

    static Geometry point(double lon, double lat) { return {MP_GEOM_POINT, {lon, lat}, {}, {}}; }
    /// A line from lon,lat pairs.
    static Geometry line(const std::vector<std::pair<double, double>>& pts) {
        Geometry g{MP_GEOM_LINESTRING, {}, {}, {}};
        for (auto [x, y] : pts) g.xy.insert(g.xy.end(), {x, y});
        g.ring_ends.push_back(static_cast<uint32_t>(pts.size()));
        return g;
    }
    /// Several lines as one MultiLineString.
    static Geometry multi_line(const std::vector<std::vector<std::pair<double, double>>>& lines) {
        Geometry g{MP_GEOM_MULTILINESTRING, {}, {}, {}};
        for (const auto& l : lines) {
            for (auto [x, y] : l) g.xy.insert(g.xy.end(), {x, y});
            g.ring_ends.push_back(static_cast<uint32_t>(g.xy.size() / 2));
        }
        return g;
    }
    /// A polygon from its exterior ring (closed automatically) and optional holes.
    static Geometry polygon(std::vector<std::pair<double, double>> outer,
                            std::vector<std::vector<std::pair<double, double>>> holes = {}) {
        Geometry g{MP_GEOM_POLYGON, {}, {}, {}};
        auto add_ring = [&g](std::vector<std::pair<double, double>> r) {
            if (!r.empty() && r.front() != r.back()) r.push_back(r.front());
            for (auto [x, y] : r) g.xy.insert(g.xy.end(), {x, y});
            g.ring_ends.push_back(static_cast<uint32_t>(g.xy.size() / 2));
        };
        add_ring(std::move(outer));
        for (auto& h : holes) add_ring(std::move(h));
        g.poly_ends.push_back(static_cast<uint32_t>(g.ring_ends.size()));
        return g;
    }
    /// Copies a host geometry view.
    static Geometry from(const MpGeometry& v) {
        Geometry g;
        g.type = v.type;
        g.xy.assign(v.xy, v.xy + 2 * v.n_points);
        g.ring_ends.assign(v.ring_ends, v.ring_ends + v.n_rings);
        g.poly_ends.assign(v.poly_ends, v.poly_ends + v.n_polys);
        return g;
    }
    MpGeometry view() const {
        return MpGeometry{
            type, xy.data(), xy.size() / 2, ring_ends.data(), ring_ends.size(), poly_ends.data(), poly_ends.size()};
    }
    std::size_t size() const { return xy.size() / 2; }
    double lon(std::size_t i) const { return xy[2 * i]; }
    double lat(std::size_t i) const { return xy[2 * i + 1]; }
};

/// The host's message for the last call on this run that failed ("" on a 1.0 host).
inline std::string host_last_error(const MpHostApi* host, const MpRunContext* ctx) {
    if (!ctx || !MP_HOST_HAS(host, last_error)) return {};
    const char* e = host->last_error(ctx);
    return e ? e : "";
}

/// Throws for a failed service call: InputFailure for MP_INVALID_ARGUMENT and
/// MP_NOT_FOUND (bad input: CLI exit 3), InfeasibleFailure for MP_INFEASIBLE (exit 5),
/// CancelledRun, UnsupportedFailure, and Failure otherwise; the message is the host's
/// last error, or `what` when it has none.
inline void check_status(const MpHostApi* host, const MpRunContext* ctx, MpStatus s, const std::string& what) {
    if (s == MP_OK) return;
    std::string msg = host_last_error(host, ctx);
    if (msg.empty()) msg = what + " failed (status " + std::to_string(static_cast<int>(s)) + ")";
    switch (s) {
        case MP_INVALID_ARGUMENT:
        case MP_NOT_FOUND: throw InputFailure(msg);
        case MP_INFEASIBLE: throw InfeasibleFailure(msg);
        case MP_CANCELLED: throw CancelledRun();
        case MP_UNSUPPORTED: throw UnsupportedFailure(msg);
        default: throw Failure(msg);
    }
}

/// Throws UnsupportedFailure naming the service when the host lacks it (an older host).
inline void require_service(const MpHostApi* host, bool available, const char* service) {
    if (!available)
        throw UnsupportedFailure(std::string("the host does not offer '") + service + "' (host ABI " +
                                 std::to_string(host->abi_major) + "." + std::to_string(host->abi_minor) +
                                 "; this plugin needs 1.1 or later)");
}

/// A north-up grid of cells in a CRS (MpGridSpec): what a raster is read onto, the frame
/// of a grid to polygonise or to return as a raster result. Cell (col, row) covers x from
/// origin_x + col * cell_size_x and y down from origin_y - row * cell_size_y.
struct Grid {
    std::string crs;         ///< any CRS PROJ understands ("EPSG:31370", WKT, PROJ string)
    double origin_x = 0;     ///< x of the top-left corner of the top-left cell, CRS units
    double origin_y = 0;     ///< y of that corner
    double cell_size_x = 0;  ///< > 0, CRS units
    double cell_size_y = 0;  ///< > 0, CRS units (rows go down)
    std::size_t width = 0;   ///< cells
    std::size_t height = 0;  ///< cells

    std::size_t cells() const { return width * height; }
    /// x of the centre of column `col`, CRS units.
    double x(std::size_t col) const { return origin_x + (static_cast<double>(col) + 0.5) * cell_size_x; }
    /// y of the centre of row `row`, CRS units.
    double y(std::size_t row) const { return origin_y - (static_cast<double>(row) + 0.5) * cell_size_y; }
    /// The GDAL geotransform of the grid.
    void geotransform(double (&gt)[6]) const {
        gt[0] = origin_x, gt[1] = cell_size_x, gt[2] = 0, gt[3] = origin_y, gt[4] = 0, gt[5] = -cell_size_y;
    }
    /// The view the host reads (valid while this grid lives).
    MpGridSpec view() const {
        MpGridSpec g{};
        g.struct_size = sizeof(MpGridSpec);
        g.crs = crs.c_str();
        g.origin_x = origin_x, g.origin_y = origin_y, g.cell_size_x = cell_size_x, g.cell_size_y = cell_size_y;
        g.width = width, g.height = height;
        return g;
    }
};

/// Metadata of an open raster (MpRasterInfo, copied).
struct RasterInfo {
    std::size_t width = 0, height = 0, bands = 0;  ///< cells, bands
    double geotransform[6] = {0, 1, 0, 0, 0, -1};  ///< GDAL convention
    std::string crs_wkt;                           ///< WKT2
    std::string crs_name;                          ///< e.g. "BD72 / Belgian Lambert 72"
    bool projected = false;
    double linear_unit_m = 0;      ///< metres per CRS unit (projected), 0 for geographic
    std::optional<double> nodata;  ///< of band 1
    std::string source;
    /// A window of the raster's own grid (north-up rasters): w x h cells from column col0
    /// and row row0 (w or h 0: to the raster's edge). Reading it with nearest returns
    /// the raster's cells unchanged.
    Grid grid(std::size_t col0 = 0, std::size_t row0 = 0, std::size_t w = 0, std::size_t h = 0) const {
        Grid g;
        g.crs = crs_wkt;
        g.cell_size_x = geotransform[1];
        g.cell_size_y = -geotransform[5];
        g.origin_x = geotransform[0] + static_cast<double>(col0) * geotransform[1];
        g.origin_y = geotransform[3] + static_cast<double>(row0) * geotransform[5];
        g.width = w ? w : (col0 < width ? width - col0 : 0);
        g.height = h ? h : (row0 < height ? height - row0 : 0);
        return g;
    }
};

/// An open raster of the host (raster_open). Move-only; closes its dataset when
/// destroyed (the host also closes every raster when the run ends).
class Raster {
public:
    Raster(const MpHostApi* host, MpRunContext* ctx, MpRaster* raster) : m_host(host), m_ctx(ctx), m_raster(raster) {}
    ~Raster() { close(); }
    Raster(Raster&& o) noexcept : m_host(o.m_host), m_ctx(o.m_ctx), m_raster(o.m_raster) { o.m_raster = nullptr; }
    Raster& operator=(Raster&& o) noexcept {
        if (this != &o) {
            close();
            m_host = o.m_host, m_ctx = o.m_ctx, m_raster = o.m_raster;
            o.m_raster = nullptr;
        }
        return *this;
    }
    Raster(const Raster&) = delete;
    Raster& operator=(const Raster&) = delete;

    RasterInfo info() const {
        MpRasterInfo i{};
        i.struct_size = sizeof(MpRasterInfo);
        check_status(m_host, m_ctx, m_host->raster_info(m_raster, &i), "raster_info");
        RasterInfo r;
        r.width = i.width, r.height = i.height, r.bands = i.band_count;
        for (int k = 0; k < 6; ++k) r.geotransform[k] = i.geotransform[k];
        r.crs_wkt = i.crs_wkt ? i.crs_wkt : "";
        r.crs_name = i.crs_name ? i.crs_name : "";
        r.projected = i.crs_is_projected != 0;
        r.linear_unit_m = i.linear_unit_m;
        if (i.has_nodata) r.nodata = i.nodata;
        r.source = i.source ? i.source : "";
        return r;
    }
    /// Band `band` (1-based) resampled onto `grid`: grid.cells() values, rows from the
    /// top; cells the raster does not cover, and its nodata, read as `nodata`. Throws
    /// InputFailure when the grid misses the raster or is too large.
    std::vector<double> read(const Grid& grid, MpResampling resampling = MP_RESAMPLE_BILINEAR,
                             double nodata = std::numeric_limits<double>::quiet_NaN(), std::size_t band = 1) const {
        if (grid.width != 0 && grid.height > MP_GRID_MAX_CELLS / grid.width)
            throw InputFailure("grid of " + std::to_string(grid.width) + " x " + std::to_string(grid.height) +
                               " cells is larger than " + std::to_string(MP_GRID_MAX_CELLS) + " cells");
        std::vector<double> out(grid.cells());
        const MpGridSpec g = grid.view();
        check_status(m_host, m_ctx, m_host->raster_read(m_raster, band, &g, resampling, nodata, out.data()),
                     "raster_read");
        return out;
    }
    /// Closes the dataset (the object is empty afterwards).
    void close() {
        if (m_raster && m_host) m_host->raster_close(m_raster);
        m_raster = nullptr;
    }
    MpRaster* handle() const { return m_raster; }

private:
    const MpHostApi* m_host;
    MpRunContext* m_ctx;
    MpRaster* m_raster;
};

/// The MpDataType of a C++ cell type: uint8_t, uint16_t, uint32_t, uint64_t, float, double.
template <typename T>
constexpr MpDataType data_type_of() {
    if constexpr (std::is_same_v<T, std::uint8_t>) return MP_DATA_BYTE;
    else if constexpr (std::is_same_v<T, std::uint16_t>) return MP_DATA_UINT16;
    else if constexpr (std::is_same_v<T, std::uint32_t>) return MP_DATA_UINT32;
    else if constexpr (std::is_same_v<T, std::uint64_t>) return MP_DATA_UINT64;
    else if constexpr (std::is_same_v<T, float>) return MP_DATA_FLOAT32;
    else {
        static_assert(std::is_same_v<T, double>, "cells are uint8_t, uint16_t, uint32_t, uint64_t, float or double");
        return MP_DATA_FLOAT64;
    }
}

/// Bytes per cell of an MpDataType (0 for an unknown one).
inline std::size_t data_type_size(MpDataType t) {
    switch (t) {
        case MP_DATA_BYTE: return 1;
        case MP_DATA_UINT16: return 2;
        case MP_DATA_UINT32:
        case MP_DATA_FLOAT32: return 4;
        case MP_DATA_UINT64:
        case MP_DATA_FLOAT64: return 8;
    }
    return 0;
}

/// A typed raster result being built (MpRasterResult): `bands` bands of cells of type T
/// on a grid, with an optional role. Fill it with band() or cells(), then Run::raster().
class RasterResult {
public:
    /// Cells of C++ type T (see data_type_of), all zero at first.
    template <typename T>
    static RasterResult of(const std::string& name, const Grid& grid, std::size_t bands = 1) {
        return RasterResult(name, grid, bands, data_type_of<T>());
    }
    RasterResult(std::string name, const Grid& grid, std::size_t bands, MpDataType type)
        : m_name(std::move(name)),
          m_crs(grid.crs),
          m_width(grid.width),
          m_height(grid.height),
          m_bands(bands),
          m_type(type) {
        grid.geotransform(m_gt);
        m_data.assign(m_bands * grid.cells() * data_type_size(type), 0);
    }
    /// Copies one band (0-based) of width * height cells of type T.
    template <typename T>
    RasterResult& band(std::size_t b, const std::vector<T>& cells) {
        if (cells.size() != m_width * m_height)
            throw Failure("raster " + m_name + ": band of " + std::to_string(cells.size()) + " cells for " +
                          std::to_string(m_width) + " x " + std::to_string(m_height));
        std::memcpy(this->cells<T>(b), cells.data(), cells.size() * sizeof(T));
        return *this;
    }
    /// The cells of band b (0-based) to write directly; T must be the raster's type.
    template <typename T>
    T* cells(std::size_t b) {
        if (data_type_of<T>() != m_type) throw Failure("raster " + m_name + ": cells of another type");
        if (b >= m_bands) throw Failure("raster " + m_name + ": band " + std::to_string(b) + " out of range");
        return reinterpret_cast<T*>(m_data.data()) + b * m_width * m_height;
    }
    RasterResult& nodata(double v) {
        m_has_nodata = true, m_nodata = v;
        return *this;
    }
    RasterResult& unit(std::string u) {
        m_unit = std::move(u);
        return *this;
    }
    /// One name per band (plain and bands-per-height rasters).
    RasterResult& band_names(std::vector<std::string> names) {
        m_names = std::move(names);
        return *this;
    }
    /// One band per height above ground (m): the GUI offers a band selector.
    RasterResult& heights(std::vector<double> band_heights_m) {
        m_role = MP_RASTER_BANDS_HEIGHT, m_heights = std::move(band_heights_m);
        return *this;
    }
    /// Bit i of a cell set when item i applies; bit_names name the bits.
    RasterResult& bitmask(std::vector<std::string> bit_names) {
        m_role = MP_RASTER_BITMASK, m_names = std::move(bit_names);
        return *this;
    }
    /// Integer classes; class_names name classes 0, 1, ...
    RasterResult& categories(std::vector<std::string> class_names) {
        m_role = MP_RASTER_CATEGORIES, m_names = std::move(class_names);
        return *this;
    }
    /// The view the host reads (valid while this object lives and is not changed).
    MpRasterResult view() const {
        m_name_ptrs.clear();
        for (const auto& n : m_names) m_name_ptrs.push_back(n.c_str());
        m_name_ptrs.push_back(nullptr);  // bit and class names end at the first NULL
        MpRasterResult r{};
        r.struct_size = sizeof(MpRasterResult);
        r.name = m_name.c_str();
        r.width = m_width, r.height = m_height, r.bands = m_bands;
        for (int k = 0; k < 6; ++k) r.geotransform[k] = m_gt[k];
        r.crs = m_crs.c_str();
        r.type = m_type;
        r.data = m_data.data();
        r.has_nodata = m_has_nodata ? 1 : 0;
        r.nodata = m_nodata;
        r.unit = m_unit.empty() ? nullptr : m_unit.c_str();
        r.role = m_role;
        r.band_names = m_names.empty() ? nullptr : m_name_ptrs.data();
        r.band_values = m_heights.empty() ? nullptr : m_heights.data();
        return r;
    }
    const std::string& name() const { return m_name; }

private:
    std::string m_name, m_crs, m_unit;
    std::size_t m_width, m_height, m_bands;
    double m_gt[6] = {};
    MpDataType m_type;
    std::vector<unsigned char> m_data;
    bool m_has_nodata = false;
    double m_nodata = 0;
    MpRasterRole m_role = MP_RASTER_PLAIN;
    std::vector<std::string> m_names;
    std::vector<double> m_heights;
    mutable std::vector<const char*> m_name_ptrs;
};

/// A chart of a result table (MpChart); columns by their table names ("" = not given).
struct Chart {
    std::string kind;  ///< "line", "bar", "gantt" or "heatmap"
    std::string title;
    std::string x;                   ///< line/bar: x or category column ("": the row number)
    std::vector<std::string> y;      ///< line/bar: value columns (empty: every other numeric column)
    std::string y_unit_right;        ///< line/bar: series of this unit on a second axis
    std::string start, end;          ///< gantt: start and end columns (seconds or ISO 8601 UTC)
    std::string label, group;        ///< gantt: bar label and lane group; heatmap: label = cell text
    std::string row, column, value;  ///< heatmap: row and column labels, numeric value

    static Chart line(std::string x, std::vector<std::string> y = {}) {
        Chart c;
        c.kind = "line", c.x = std::move(x), c.y = std::move(y);
        return c;
    }
    static Chart bar(std::string x, std::vector<std::string> y = {}) {
        Chart c = line(std::move(x), std::move(y));
        c.kind = "bar";
        return c;
    }
    static Chart gantt(std::string start, std::string end, std::string label = {}, std::string group = {}) {
        Chart c;
        c.kind = "gantt", c.start = std::move(start), c.end = std::move(end), c.label = std::move(label),
        c.group = std::move(group);
        return c;
    }
    static Chart heatmap(std::string row, std::string column, std::string value, std::string label = {}) {
        Chart c;
        c.kind = "heatmap", c.row = std::move(row), c.column = std::move(column), c.value = std::move(value),
        c.label = std::move(label);
        return c;
    }
};

/// A result layer being built. add() a feature, then set() its attributes.
class ResultLayer {
public:
    ResultLayer(const MpHostApi* host, MpResultLayer* layer, MpRunContext* ctx = nullptr)
        : m_host(host), m_layer(layer), m_ctx(ctx) {}
    ResultLayer& add(const std::string& id, const Geometry& g) {
        const MpGeometry v = g.view();
        check(m_host->layer_add_feature(m_layer, id.c_str(), &v), "add feature " + id);
        return *this;
    }
    ResultLayer& set(const std::string& key, double v) {
        return check(m_host->feature_set_number(m_layer, key.c_str(), v), key);
    }
    ResultLayer& set(const std::string& key, int v) { return set(key, static_cast<int64_t>(v)); }
    ResultLayer& set(const std::string& key, int64_t v) {
        return check(m_host->feature_set_integer(m_layer, key.c_str(), v), key);
    }
    ResultLayer& set(const std::string& key, std::size_t v) { return set(key, static_cast<int64_t>(v)); }
    ResultLayer& set(const std::string& key, bool v) {
        return check(m_host->feature_set_bool(m_layer, key.c_str(), v ? 1 : 0), key);
    }
    ResultLayer& set(const std::string& key, const std::string& v) {
        return check(m_host->feature_set_text(m_layer, key.c_str(), v.c_str()), key);
    }
    ResultLayer& set(const std::string& key, const char* v) { return set(key, std::string(v)); }
    ResultLayer& style(const std::string& color, double width_px) {
        return check(m_host->feature_set_style(m_layer, color.c_str(), width_px), "style");
    }
    /// The layer's role (ABI 1.1 hosts): "movements" with the fields holding each
    /// feature's start and end (seconds or ISO 8601 UTC); call it after adding the features.
    ResultLayer& role(const std::string& role, const std::string& start_field = {}, const std::string& end_field = {}) {
        require_service(m_host, MP_HOST_HAS(m_host, layer_role), "layer_role");
        check_status(m_host, m_ctx,
                     m_host->layer_role(m_layer, role.c_str(), start_field.empty() ? nullptr : start_field.c_str(),
                                        end_field.empty() ? nullptr : end_field.c_str()),
                     "layer role " + role);
        return *this;
    }
    MpResultLayer* handle() const { return m_layer; }

private:
    ResultLayer& check(MpStatus s, const std::string& what) {
        if (s != MP_OK) throw Failure("host refused " + what + " (status " + std::to_string(static_cast<int>(s)) + ")");
        return *this;
    }
    const MpHostApi* m_host;
    MpResultLayer* m_layer;
    MpRunContext* m_ctx;
};

/// A result table being built, column by column.
class ResultTable {
public:
    ResultTable(const MpHostApi* host, MpResultTable* t, MpRunContext* ctx = nullptr)
        : m_host(host), m_table(t), m_ctx(ctx) {}
    ResultTable& numbers(const std::string& name, const std::vector<double>& v, const std::string& unit = {}) {
        if (m_host->table_number_column(m_table, name.c_str(), unit.empty() ? nullptr : unit.c_str(), v.data(),
                                        v.size()) != MP_OK)
            throw Failure("host refused table column " + name);
        return *this;
    }
    ResultTable& texts(const std::string& name, const std::vector<std::string>& v) {
        std::vector<const char*> p;
        p.reserve(v.size());
        for (const auto& s : v) p.push_back(s.c_str());
        if (m_host->table_text_column(m_table, name.c_str(), p.data(), p.size()) != MP_OK)
            throw Failure("host refused table column " + name);
        return *this;
    }
    /// How the GUI draws the table (ABI 1.1 hosts); call it after adding the columns it
    /// names. Throws InputFailure for a column that is missing or not numeric.
    ResultTable& chart(const Chart& c) {
        require_service(m_host, MP_HOST_HAS(m_host, table_chart), "table_chart");
        auto opt = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
        std::vector<const char*> y;
        for (const auto& s : c.y) y.push_back(s.c_str());
        MpChart m{};
        m.struct_size = sizeof(MpChart);
        m.kind = c.kind.c_str();
        m.title = opt(c.title), m.x = opt(c.x), m.y = y.empty() ? nullptr : y.data(), m.n_y = y.size();
        m.y_unit_right = opt(c.y_unit_right);
        m.start = opt(c.start), m.end = opt(c.end), m.label = opt(c.label), m.group = opt(c.group);
        m.row = opt(c.row), m.column = opt(c.column), m.value = opt(c.value);
        check_status(m_host, m_ctx, m_host->table_chart(m_table, &m), "chart " + c.kind);
        return *this;
    }

private:
    const MpHostApi* m_host;
    MpResultTable* m_table;
    MpRunContext* m_ctx;
};

inline constexpr std::size_t kNone = static_cast<std::size_t>(-1);

/// A path into a list of records for the host's parameter functions: path("systems", 2,
/// "at") is "systems[2].at"; path("systems", 2) is "systems[2]".
inline std::string path(const std::string& key, std::size_t index, const std::string& field = {}) {
    return key + "[" + std::to_string(index) + "]" + (field.empty() ? "" : "." + field);
}

/// A resolved place parameter: its point and the site's id ("" for a plain lon,lat).
struct Place {
    double lon = 0, lat = 0;
    std::string site;
    /// The site's id, or "lon,lat" in degrees to 6 decimals (0.1 m) without trailing
    /// zeros: "4.4,51.22".
    std::string label() const {
        if (!site.empty()) return site;
        auto degrees = [](double v) {
            char buf[40];
            std::snprintf(buf, sizeof buf, "%.6f", v);
            std::string t = buf;
            if (t.find('.') != std::string::npos) {
                t.erase(t.find_last_not_of('0') + 1);
                if (t.back() == '.') t.pop_back();
            }
            return t == "-0" ? std::string("0") : t;
        };
        return degrees(lon) + "," + degrees(lat);
    }
};

/// A vehicle for the network services (MpVehicleProfile). A figure of 0 is "not given":
/// the preset's figure, or no limit.
struct VehicleProfile {
    std::string preset;  ///< id in the host table "vehicle-presets", or "" (a custom vehicle)
    double mlc = 0;      ///< NATO military load class
    int tracked = -1;    ///< -1: as the preset (else wheeled), 0: wheeled, 1: tracked
    double gross_weight_t = 0, axle_load_t = 0;
    double height_m = 0, width_m = 0, length_m = 0;
    double max_speed_kmh = 0;
    int highest_crossing = 0;  ///< 0 or 1 normal, 2 caution, 3 risk (NATO bridge crossing modes)

    /// The C view (valid while this object lives).
    MpVehicleProfile view() const {
        MpVehicleProfile p{};
        p.struct_size = sizeof(MpVehicleProfile);
        p.preset = preset.empty() ? nullptr : preset.c_str();
        p.mlc = mlc, p.tracked = tracked, p.gross_weight_t = gross_weight_t, p.axle_load_t = axle_load_t;
        p.height_m = height_m, p.width_m = width_m, p.length_m = length_m, p.max_speed_kmh = max_speed_kmh;
        p.highest_crossing = highest_crossing;
        return p;
    }
};

/// A road or rail network of the host (a handle valid until the run ends).
struct Network {
    MpNetwork* handle = nullptr;
    explicit operator bool() const { return handle != nullptr; }
};

/// Size and source of a network.
struct NetworkInfo {
    MpNetworkKind kind = MP_NETWORK_ROAD;
    std::size_t nodes = 0, edges = 0, forbidden_turns = 0;
    double length_km = 0;
    std::string source;  ///< the layer name or file it was built from
};

/// Convoy march parameters: a march table per movement when vehicles > 0.
struct MarchParams {
    int vehicles = 0;
    double interval_m = 100;                     ///< gap between vehicles
    double density_per_km = 0;                   ///< when > 0, replaces interval_m
    double march_speed_kmh = 50;                 ///< ordered march speed
    double halt_every_h = 2;                     ///< driving time between halts (0: no halts)
    double halt_min = 10;                        ///< length of each halt
    std::string start = "2026-01-01T06:00:00Z";  ///< ISO 8601 UTC
    double vehicle_length_m = 0;                 ///< 0: the vehicle's length, else 10 m
};

/// A route question (MpRouteRequest). Places are site ids or names, or "lon,lat".
struct RouteRequest {
    Network road, rail;  ///< either may be empty when the mode does not need it
    std::string from, to;
    std::vector<std::string> vias;
    MpTravelMode mode = MP_TRAVEL_ROAD;
    MpMetric metric = MP_METRIC_FASTEST;
    std::optional<VehicleProfile> vehicle;  ///< none: unrestricted
    std::vector<Geometry> avoid;            ///< polygons or multipolygons not to enter
    std::size_t alternatives = 1;           ///< road mode: routes with limited overlap
    double max_overlap = 0.5;               ///< share of length an alternative may share
    double transfer_h = 4;                  ///< loading or unloading at a terminal without its own figure
    double max_snap_m = 0;                  ///< how far a place may be from the network (0: 25 km)
    std::optional<MarchParams> march;
    /// The plugin's parameter keys, so that errors name them ("parameter 'from'").
    std::string from_param = "from", to_param = "to", via_param = "via";
};

/// A route answer copied out of the host (owning: valid after the run's handles are gone).
struct Route {
    struct Via {
        std::string label;
        double lon = 0, lat = 0;
    };
    struct Crossing {
        std::string label;  ///< "bridge on N4 'Viaduct X'"
        int mode = 1;       ///< 1 normal, 2 caution, 3 risk
        double posted_mlc = 0, vehicle_mlc = 0;
        double route_km = 0;  ///< where along the leg it begins
        double length_m = 0;
        double lon = 0, lat = 0;
    };
    struct RoadChange {
        double route_km = 0;
        std::string ref, name;
        double lon = 0, lat = 0;
    };
    struct Binding {
        std::string quantity;  ///< "mlc", "maxheight_m", ...
        double limit = 0, vehicle = 0;
        std::string label;  ///< where
    };
    struct Leg {
        MpNetworkKind network = MP_NETWORK_ROAD;
        std::string from_label, to_label;
        double from_lon = 0, from_lat = 0, to_lon = 0, to_lat = 0;
        double distance_m = 0, duration_s = 0;
        Geometry line;  ///< LineString
        std::vector<Crossing> crossings;
        std::vector<RoadChange> road_changes;
        std::vector<Binding> binding;
        std::size_t settled = 0;
    };
    struct Transfer {
        std::string site;
        double lon = 0, lat = 0;
    };
    struct MarchRow {
        int leg = 0;
        std::string checkpoint;
        double km = 0, head_arrival_s = 0, tail_clear_s = 0;
        std::string head_arrival, tail_clear;  ///< ISO 8601 UTC
    };
    struct Movement {
        double distance_m = 0, duration_s = 0, transfer_s = 0;
        std::vector<Leg> legs;
        std::vector<Transfer> transfers;
        std::vector<MarchRow> march;  ///< empty: no march table
        double column_length_m = 0, pass_time_s = 0, march_total_s = 0;
        int halts = 0;
    };
    std::string from_label, to_label;
    double from_lon = 0, from_lat = 0, to_lon = 0, to_lat = 0;
    std::string profile;  ///< vehicle id, "custom" or "unrestricted"
    MpTravelMode mode = MP_TRAVEL_ROAD;
    MpMetric metric = MP_METRIC_FASTEST;
    std::vector<Via> vias;
    std::vector<Movement> movements;  ///< best first; empty when no route exists
};

/// Travel times (s) and distances (m) between points, row-major; INFINITY when unreachable.
struct Matrix {
    std::size_t rows = 0, cols = 0;
    std::vector<double> duration_s, distance_m;
    double duration(std::size_t from, std::size_t to) const { return duration_s[from * cols + to]; }
    double distance(std::size_t from, std::size_t to) const { return distance_m[from * cols + to]; }
};

/// What a vehicle reaches within a time.
struct Reach {
    Geometry area;   ///< MultiPolygon
    Geometry roads;  ///< MultiLineString of the reachable roads
    std::size_t nodes = 0;
};

/// A point snapped onto a network.
struct Snapped {
    double lon = 0, lat = 0, distance_m = 0;
};

/// One run: typed access to parameters, layers, sites, progress and results.
class Run {
public:
    Run(const MpHostApi* host, MpRunContext* ctx) : m_host(host), m_ctx(ctx) {}

    // Parameters (validated by the host against the schema before the run).
    bool has(const char* key) const { return m_host->param_is_set(m_ctx, key) != 0; }
    double number(const char* key) const {
        double v = 0;
        need(m_host->param_number(m_ctx, key, &v), key);
        return v;
    }
    int64_t integer(const char* key) const {
        int64_t v = 0;
        need(m_host->param_integer(m_ctx, key, &v), key);
        return v;
    }
    bool flag(const char* key) const {
        int v = 0;
        need(m_host->param_bool(m_ctx, key, &v), key);
        return v != 0;
    }
    std::string text(const char* key) const {
        const char* v = nullptr;
        need(m_host->param_string(m_ctx, key, &v), key);
        return v ? v : "";
    }
    std::pair<double, double> coordinate(const char* key) const {
        double x = 0, y = 0;
        need(m_host->param_coordinate(m_ctx, key, &x, &y), key);
        return {x, y};
    }
    std::vector<std::pair<double, double>> polygon(const char* key) const {
        const double* xy = nullptr;
        std::size_t n = 0;
        need(m_host->param_polygon(m_ctx, key, &xy, &n), key);
        std::vector<std::pair<double, double>> out;
        for (std::size_t i = 0; i < n; ++i) out.emplace_back(xy[2 * i], xy[2 * i + 1]);
        return out;
    }
    std::vector<std::string> list(const char* key) const {
        std::size_t n = 0;
        need(m_host->param_list_size(m_ctx, key, &n), key);
        std::vector<std::string> out;
        for (std::size_t i = 0; i < n; ++i) {
            const char* v = nullptr;
            need(m_host->param_list_item(m_ctx, key, i, &v), key);
            out.emplace_back(v ? v : "");
        }
        return out;
    }

    /// A place parameter (or a path to a place field, path("systems", i, "at")). Needs an
    /// ABI 1.1 host.
    Place place(const std::string& key) const {
        require(MP_HOST_HAS(m_host, param_place), "param_place");
        Place p;
        const char* site = nullptr;
        status(m_host->param_place(m_ctx, key.c_str(), &p.lon, &p.lat, &site), "parameter '" + key + "'");
        p.site = site ? site : "";
        return p;
    }
    /// Typed access by path (ABI 1.1 hosts): has("systems[1].mast_m"), number(path(...)).
    bool has(const std::string& key) const { return has(key.c_str()); }
    double number(const std::string& key) const { return number(key.c_str()); }
    int64_t integer(const std::string& key) const { return integer(key.c_str()); }
    bool flag(const std::string& key) const { return flag(key.c_str()); }
    std::string text(const std::string& key) const { return text(key.c_str()); }
    /// Number of items of a list parameter (0 when not set).
    std::size_t count(const std::string& key) const {
        std::size_t n = 0;
        if (!has(key.c_str())) return 0;
        need(m_host->param_list_size(m_ctx, key.c_str(), &n), key.c_str());
        return n;
    }
    /// The validated value as JSON text (ABI 1.1 hosts).
    std::string json(const std::string& key) const {
        require(MP_HOST_HAS(m_host, param_json), "param_json");
        const char* j = nullptr;
        status(m_host->param_json(m_ctx, key.c_str(), &j), "parameter '" + key + "'");
        return j ? j : "";
    }

    // Host tables ("vehicle-presets", "air-defence-systems"; ABI 1.1 hosts).
    std::size_t table_rows(const std::string& table) const {
        require(MP_HOST_HAS(m_host, host_table_rows), "host_table_rows");
        return m_host->host_table_rows(m_ctx, table.c_str());
    }
    /// Row of an id, or kNone.
    std::size_t table_find(const std::string& table, const std::string& id) const {
        require(MP_HOST_HAS(m_host, host_table_find), "host_table_find");
        return m_host->host_table_find(m_ctx, table.c_str(), id.c_str());
    }
    std::string table_text(const std::string& table, std::size_t row, const std::string& column) const {
        require(MP_HOST_HAS(m_host, host_table_text), "host_table_text");
        const char* v = nullptr;
        return m_host->host_table_text(m_ctx, table.c_str(), row, column.c_str(), &v) == MP_OK && v ? v : "";
    }
    std::optional<double> table_number(const std::string& table, std::size_t row, const std::string& column) const {
        require(MP_HOST_HAS(m_host, host_table_number), "host_table_number");
        double v = 0;
        if (m_host->host_table_number(m_ctx, table.c_str(), row, column.c_str(), &v) == MP_OK) return v;
        return std::nullopt;
    }

    // Geodesy on WGS84 (ABI 1.1 hosts).
    struct Inverse {
        double distance_m = 0, azi1_deg = 0, azi2_deg = 0;
    };
    Inverse geod_inverse(double lon1, double lat1, double lon2, double lat2) const {
        require(MP_HOST_HAS(m_host, geod_inverse), "geod_inverse");
        Inverse r;
        status(m_host->geod_inverse(m_ctx, lon1, lat1, lon2, lat2, &r.distance_m, &r.azi1_deg, &r.azi2_deg),
               "geod_inverse");
        return r;
    }
    double distance_m(double lon1, double lat1, double lon2, double lat2) const {
        return geod_inverse(lon1, lat1, lon2, lat2).distance_m;
    }
    std::pair<double, double> geod_direct(double lon, double lat, double azi_deg, double distance_m) const {
        require(MP_HOST_HAS(m_host, geod_direct), "geod_direct");
        double x = 0, y = 0;
        status(m_host->geod_direct(m_ctx, lon, lat, azi_deg, distance_m, &x, &y, nullptr), "geod_direct");
        return {x, y};
    }
    /// A geodesic circle (closed ring, counter-clockwise) as a polygon.
    Geometry geod_circle(double lon, double lat, double radius_m, std::size_t vertices = 72) const {
        require(MP_HOST_HAS(m_host, geod_circle), "geod_circle");
        MpGeometry g{};
        status(m_host->geod_circle(m_ctx, lon, lat, radius_m, vertices, &g), "geod_circle");
        return Geometry::from(g);
    }
    Geometry geod_buffer(const Geometry& in, double distance_m) const {
        require(MP_HOST_HAS(m_host, geod_buffer), "geod_buffer");
        MpGeometry g{};
        const MpGeometry v = in.view();
        status(m_host->geod_buffer(m_ctx, &v, distance_m, &g), "geod_buffer");
        return Geometry::from(g);
    }
    /// Geodesic length (m) and area (m^2) of a geometry.
    std::pair<double, double> geod_measure(const Geometry& in) const {
        require(MP_HOST_HAS(m_host, geod_measure), "geod_measure");
        double len = 0, area = 0;
        const MpGeometry v = in.view();
        status(m_host->geod_measure(m_ctx, &v, &len, &area), "geod_measure");
        return {len, area};
    }
    /// Transforms lon,lat / x,y pairs in place between two CRSs (x first).
    void crs_transform(const std::string& from, const std::string& to, std::vector<double>& xy) const {
        require(MP_HOST_HAS(m_host, crs_transform), "crs_transform");
        status(m_host->crs_transform(m_ctx, from.c_str(), to.c_str(), xy.data(), xy.size() / 2), "crs_transform");
    }

    // ---- rasters, vector sources and typed results (ABI 1.1 hosts) ----
    /// Opens a raster: `key` is a raster parameter, or a GDAL raster source when no
    /// parameter of that name has a value. Throws InputFailure naming the parameter and
    /// value for a source that is not a raster or has no CRS.
    Raster open_raster(const std::string& key) const {
        require(MP_HOST_HAS(m_host, raster_open), "raster_open");
        MpRaster* r = nullptr;
        status(m_host->raster_open(m_ctx, key.c_str(), &r), "raster '" + key + "'");
        return Raster(m_host, m_ctx, r);
    }
    /// Reads a GDAL vector source (a file parameter's key, or a path) as extra layers of
    /// this run: {first layer index, number of layers}.
    std::pair<std::size_t, std::size_t> load_layers(const std::string& key) const {
        require(MP_HOST_HAS(m_host, layer_load), "layer_load");
        std::size_t first = 0, count = 0;
        status(m_host->layer_load(m_ctx, key.c_str(), &first, &count), "layer_load '" + key + "'");
        return {first, count};
    }
    /// Returns a typed raster (several bands, any MpDataType, a role).
    void raster(const RasterResult& r) {
        require(MP_HOST_HAS(m_host, result_raster_typed), "result_raster_typed");
        const MpRasterResult v = r.view();
        status(m_host->result_raster_typed(m_ctx, &v), "raster " + r.name());
    }
    /// Polygonises `values` (grid.cells(), rows from the top) into `layer`: one polygon
    /// per connected area of equal value (8-connected when `eight`), the value in
    /// attribute `field`; cells equal to `nodata` (when given) are left out.
    void polygonize(const Grid& grid, const std::vector<double>& values, ResultLayer& layer, const std::string& field,
                    std::optional<double> nodata = std::nullopt, bool eight = false) {
        require(MP_HOST_HAS(m_host, polygonize), "polygonize");
        if (values.size() != grid.cells())
            throw Failure("polygonize: " + std::to_string(values.size()) + " values for a grid of " +
                          std::to_string(grid.cells()) + " cells");
        const MpGridSpec g = grid.view();
        status(m_host->polygonize(m_ctx, &g, values.data(), nodata ? 1 : 0, nodata.value_or(0), eight ? 1 : 0,
                                  layer.handle(), field.c_str()),
               "polygonize");
    }

    // ---- networks and routes (ABI 1.1 hosts) ----
    /// A road or rail network: source "" for the session's default layer ("roads",
    /// "rail"), a loaded layer's name, or a network file. Throws InputFailure naming the
    /// source when there is no such layer or file.
    Network network(MpNetworkKind kind, const std::string& source = {}) const {
        require(MP_HOST_HAS(m_host, network_open), "network_open");
        Network n;
        status(m_host->network_open(m_ctx, kind, source.empty() ? nullptr : source.c_str(), &n.handle), "network_open");
        return n;
    }
    NetworkInfo network_info(const Network& n) const {
        require(MP_HOST_HAS(m_host, network_info), "network_info");
        MpNetworkInfo i{};
        i.struct_size = sizeof i;
        status(m_host->network_info(n.handle, &i), "network_info");
        NetworkInfo out;
        out.kind = i.kind, out.nodes = i.nodes, out.edges = i.edges, out.forbidden_turns = i.forbidden_turns;
        out.length_km = i.length_km, out.source = text_of(i.source);
        return out;
    }
    /// The nearest point of a line the vehicle may use within max_m (0: 5 km), or none.
    std::optional<Snapped> snap(const Network& n, double lon, double lat,
                                const std::optional<VehicleProfile>& vehicle = std::nullopt, double max_m = 0) const {
        require(MP_HOST_HAS(m_host, network_snap), "network_snap");
        const MpVehicleProfile v = vehicle ? vehicle->view() : MpVehicleProfile{};
        Snapped s;
        const MpStatus st =
            m_host->network_snap(n.handle, vehicle ? &v : nullptr, lon, lat, max_m, &s.lon, &s.lat, &s.distance_m);
        if (st == MP_INFEASIBLE) return std::nullopt;
        status(st, "network_snap");
        return s;
    }
    /// Answers a route request. Throws InfeasibleFailure (the binding restriction named)
    /// when no route exists for the vehicle, InputFailure for bad input.
    Route route(const RouteRequest& request) const {
        std::string reason;
        auto r = try_route(request, reason);
        if (!r) throw InfeasibleFailure(reason);
        return *r;
    }
    /// As route(), but a question without a feasible answer returns none and its reason.
    std::optional<Route> try_route(const RouteRequest& request, std::string& reason) const {
        require(MP_HOST_HAS(m_host, network_route), "network_route");
        std::vector<const char*> vias;
        for (const auto& v : request.vias) vias.push_back(v.c_str());
        std::vector<MpGeometry> avoid;
        for (const auto& g : request.avoid) avoid.push_back(g.view());
        const MpVehicleProfile vehicle = request.vehicle ? request.vehicle->view() : MpVehicleProfile{};
        MpMarchParams march{};
        if (request.march) {
            const MarchParams& m = *request.march;
            march.struct_size = sizeof march;
            march.vehicles = m.vehicles, march.interval_m = m.interval_m, march.density_per_km = m.density_per_km;
            march.march_speed_kmh = m.march_speed_kmh, march.halt_every_h = m.halt_every_h;
            march.halt_min = m.halt_min, march.start = m.start.c_str(), march.vehicle_length_m = m.vehicle_length_m;
        }
        MpRouteRequest q{};
        q.struct_size = sizeof q;
        q.road = request.road.handle, q.rail = request.rail.handle;
        q.from = request.from.c_str(), q.to = request.to.c_str();
        q.vias = vias.data(), q.n_vias = vias.size();
        q.mode = request.mode, q.metric = request.metric;
        q.vehicle = request.vehicle ? &vehicle : nullptr;
        q.avoid = avoid.data(), q.n_avoid = avoid.size();
        q.alternatives = request.alternatives, q.max_overlap = request.max_overlap;
        q.transfer_h = request.transfer_h, q.max_snap_m = request.max_snap_m;
        q.march = request.march ? &march : nullptr;
        q.from_param = request.from_param.c_str(), q.to_param = request.to_param.c_str();
        q.via_param = request.via_param.c_str();
        MpRoute* r = nullptr;
        const MpStatus st = m_host->network_route(m_ctx, &q, &r);
        if (st == MP_INFEASIBLE) {
            reason = last_error();
            return std::nullopt;
        }
        status(st, "network_route");
        return read_route(r);
    }
    /// Travel times and distances from every `from` point to every `to` point (lon,lat).
    Matrix matrix(const Network& n, const std::vector<std::pair<double, double>>& from,
                  const std::vector<std::pair<double, double>>& to,
                  const std::optional<VehicleProfile>& vehicle = std::nullopt,
                  MpMetric metric = MP_METRIC_FASTEST) const {
        require(MP_HOST_HAS(m_host, network_matrix), "network_matrix");
        auto flat = [](const std::vector<std::pair<double, double>>& pts) {
            std::vector<double> xy;
            for (auto [x, y] : pts) xy.insert(xy.end(), {x, y});
            return xy;
        };
        const std::vector<double> a = flat(from), b = flat(to);
        const MpVehicleProfile v = vehicle ? vehicle->view() : MpVehicleProfile{};
        Matrix m;
        m.rows = from.size(), m.cols = to.size();
        m.duration_s.resize(m.rows * m.cols);
        m.distance_m.resize(m.rows * m.cols);
        status(m_host->network_matrix(n.handle, vehicle ? &v : nullptr, metric, a.data(), m.rows, b.data(), m.cols,
                                      m.duration_s.data(), m.distance_m.data()),
               "network_matrix");
        return m;
    }
    /// The area and roads reachable from a place (site id or name, or "lon,lat") within limit_s.
    Reach reach(const Network& n, const std::string& from, double limit_s,
                const std::optional<VehicleProfile>& vehicle = std::nullopt) const {
        require(MP_HOST_HAS(m_host, network_reach), "network_reach");
        const MpVehicleProfile v = vehicle ? vehicle->view() : MpVehicleProfile{};
        MpGeometry area{}, roads{};
        Reach r;
        status(m_host->network_reach(n.handle, vehicle ? &v : nullptr, from.c_str(), limit_s, &area, &roads, &r.nodes),
               "network_reach");
        r.area = Geometry::from(area);
        r.roads = Geometry::from(roads);
        return r;
    }

    /// The host's message for the last call that failed ("" on a 1.0 host).
    std::string last_error() const { return host_last_error(m_host, m_ctx); }
    /// Throws UnsupportedFailure naming the service when `available` is false.
    void require(bool available, const char* service) const { require_service(m_host, available, service); }
    /// Throws for a failed service call: InputFailure for MP_INVALID_ARGUMENT (bad input:
    /// CLI exit 3), InfeasibleFailure for MP_INFEASIBLE (exit 5), CancelledRun, and
    /// Failure otherwise; the message is the host's last error, or `what`.
    void status(MpStatus s, const std::string& what) const { check_status(m_host, m_ctx, s, what); }

    // Layers.
    std::size_t layer_count() const { return m_host->layer_count(m_ctx); }
    std::string layer_name(std::size_t l) const { return m_host->layer_name(m_ctx, l); }
    std::size_t layer(const std::string& name) const { return m_host->layer_find(m_ctx, name.c_str()); }
    std::size_t feature_count(std::size_t l) const { return m_host->feature_count(m_ctx, l); }
    std::string feature_id(std::size_t l, std::size_t f) const { return m_host->feature_id(m_ctx, l, f); }
    MpGeometry geometry(std::size_t l, std::size_t f) const {
        MpGeometry g{};
        m_host->feature_geometry(m_ctx, l, f, &g);
        return g;
    }
    std::string attr(std::size_t l, std::size_t f, const char* key) const {
        const char* v = nullptr;
        return m_host->feature_text(m_ctx, l, f, key, &v) == MP_OK && v ? v : "";
    }
    std::optional<double> attr_number(std::size_t l, std::size_t f, const char* key) const {
        double v = 0;
        if (m_host->feature_number(m_ctx, l, f, key, &v) == MP_OK) return v;
        return std::nullopt;
    }

    // Sites.
    std::size_t site_count() const { return m_host->site_count(m_ctx); }
    std::size_t site(const std::string& id_or_name) const { return m_host->site_find(m_ctx, id_or_name.c_str()); }
    std::string site_text(std::size_t s, const char* field) const {
        const char* v = nullptr;
        return m_host->site_text(m_ctx, s, field, &v) == MP_OK && v ? v : "";
    }
    std::optional<double> site_number(std::size_t s, const char* key) const {
        double v = 0;
        if (m_host->site_number(m_ctx, s, key, &v) == MP_OK) return v;
        return std::nullopt;
    }
    std::pair<double, double> site_location(std::size_t s) const {
        double x = 0, y = 0;
        need(m_host->site_location(m_ctx, s, &x, &y), "site location");
        return {x, y};
    }

    // Progress, cancellation, messages.
    void progress(double fraction, const std::string& stage) { m_host->progress(m_ctx, fraction, stage.c_str()); }
    bool cancelled() const { return m_host->cancelled(m_ctx) != 0; }
    /// Throws CancelledRun when cancelled; the trampoline turns it into MP_CANCELLED.
    void check_cancelled() const {
        if (cancelled()) throw CancelledRun();
    }
    void info(const std::string& t) { m_host->message(m_ctx, MP_INFO, t.c_str()); }
    void warning(const std::string& t) { m_host->message(m_ctx, MP_WARNING, t.c_str()); }
    void error(const std::string& t) { m_host->message(m_ctx, MP_ERROR_LEVEL, t.c_str()); }

    // Results.
    ResultLayer result_layer(const std::string& name, const std::string& color = "#d62728", double width_px = 3,
                             const std::string& label_field = {}) {
        MpResultLayer* l = m_host->result_layer(m_ctx, name.c_str(), color.c_str(), width_px,
                                                label_field.empty() ? nullptr : label_field.c_str());
        if (!l) throw Failure("host refused result layer " + name);
        return ResultLayer(m_host, l, m_ctx);
    }
    ResultTable table(const std::string& name, const std::string& chart_hint = {}) {
        MpResultTable* t = m_host->result_table(m_ctx, name.c_str(), chart_hint.empty() ? nullptr : chart_hint.c_str());
        if (!t) throw Failure("host refused result table " + name);
        return ResultTable(m_host, t, m_ctx);
    }
    void raster(const std::string& name, std::size_t width, std::size_t height, const double (&gt)[6],
                const std::string& crs, const std::vector<double>& values, double nodata,
                const std::string& unit = {}) {
        if (m_host->result_raster(m_ctx, name.c_str(), width, height, gt, crs.c_str(), values.data(), nodata,
                                  unit.empty() ? nullptr : unit.c_str()) != MP_OK)
            throw Failure("host refused raster " + name);
    }

    const MpHostApi* host() const { return m_host; }
    MpRunContext* context() const { return m_ctx; }

private:
    static std::string text_of(const char* s) { return s ? s : ""; }
    /// Copies a route answer out of the host's accessors.
    Route read_route(const MpRoute* r) const {
        Route out;
        MpRouteInfo info{};
        info.struct_size = sizeof info;
        status(m_host->route_info(r, &info), "route_info");
        out.from_label = text_of(info.from_label), out.to_label = text_of(info.to_label);
        out.from_lon = info.from_lon, out.from_lat = info.from_lat, out.to_lon = info.to_lon, out.to_lat = info.to_lat;
        out.profile = text_of(info.profile), out.mode = info.mode, out.metric = info.metric;
        for (std::size_t i = 0; i < info.vias; ++i) {
            Route::Via v;
            const char* label = nullptr;
            status(m_host->route_via(r, i, &label, &v.lon, &v.lat), "route_via");
            v.label = text_of(label);
            out.vias.push_back(std::move(v));
        }
        out.movements.resize(info.movements);
        for (std::size_t m = 0; m < info.movements; ++m) {
            Route::Movement& mv = out.movements[m];
            MpMovementInfo mi{};
            mi.struct_size = sizeof mi;
            status(m_host->route_movement(r, m, &mi), "route_movement");
            mv.distance_m = mi.distance_m, mv.duration_s = mi.duration_s, mv.transfer_s = mi.transfer_s;
            mv.column_length_m = mi.column_length_m, mv.pass_time_s = mi.pass_time_s;
            mv.march_total_s = mi.march_total_s, mv.halts = mi.halts;
            mv.legs.resize(mi.legs);
            for (std::size_t l = 0; l < mi.legs; ++l) read_leg(r, m, l, mv.legs[l]);
            for (std::size_t t = 0; t < mi.transfers; ++t) {
                Route::Transfer tr;
                const char* site = nullptr;
                status(m_host->route_transfer(r, m, t, &site, &tr.lon, &tr.lat), "route_transfer");
                tr.site = text_of(site);
                mv.transfers.push_back(std::move(tr));
            }
            mv.march.resize(mi.march_rows);
            for (std::size_t i = 0; i < mi.march_rows; ++i) {
                MpMarchRow row{};
                row.struct_size = sizeof row;
                status(m_host->route_march_row(r, m, i, &row), "route_march_row");
                Route::MarchRow& x = mv.march[i];
                x.leg = row.leg, x.checkpoint = text_of(row.checkpoint), x.km = row.km;
                x.head_arrival_s = row.head_arrival_s, x.tail_clear_s = row.tail_clear_s;
                x.head_arrival = text_of(row.head_arrival), x.tail_clear = text_of(row.tail_clear);
            }
        }
        return out;
    }
    void read_leg(const MpRoute* r, std::size_t m, std::size_t l, Route::Leg& leg) const {
        MpLegInfo li{};
        li.struct_size = sizeof li;
        status(m_host->route_leg(r, m, l, &li), "route_leg");
        leg.network = li.network, leg.from_label = text_of(li.from_label), leg.to_label = text_of(li.to_label);
        leg.from_lon = li.from_lon, leg.from_lat = li.from_lat, leg.to_lon = li.to_lon, leg.to_lat = li.to_lat;
        leg.distance_m = li.distance_m, leg.duration_s = li.duration_s, leg.settled = li.settled;
        leg.line = Geometry::from(li.line);
        leg.crossings.resize(li.crossings);
        for (std::size_t i = 0; i < li.crossings; ++i) {
            MpCrossingInfo c{};
            c.struct_size = sizeof c;
            status(m_host->route_crossing(r, m, l, i, &c), "route_crossing");
            Route::Crossing& x = leg.crossings[i];
            x.label = text_of(c.label), x.mode = c.mode, x.posted_mlc = c.posted_mlc, x.vehicle_mlc = c.vehicle_mlc;
            x.route_km = c.route_km, x.length_m = c.length_m, x.lon = c.lon, x.lat = c.lat;
        }
        leg.road_changes.resize(li.road_changes);
        for (std::size_t i = 0; i < li.road_changes; ++i) {
            MpRoadChangeInfo c{};
            c.struct_size = sizeof c;
            status(m_host->route_road_change(r, m, l, i, &c), "route_road_change");
            Route::RoadChange& x = leg.road_changes[i];
            x.route_km = c.route_km, x.ref = text_of(c.ref), x.name = text_of(c.name), x.lon = c.lon, x.lat = c.lat;
        }
        leg.binding.resize(li.binding);
        for (std::size_t i = 0; i < li.binding; ++i) {
            MpBindingInfo b{};
            b.struct_size = sizeof b;
            status(m_host->route_binding(r, m, l, i, &b), "route_binding");
            Route::Binding& x = leg.binding[i];
            x.quantity = text_of(b.quantity), x.limit = b.limit, x.vehicle = b.vehicle, x.label = text_of(b.label);
        }
    }
    void need(MpStatus s, const char* key) const {
        if (s != MP_OK) throw Failure(std::string("parameter '") + key + "' is missing or of another type");
    }
    const MpHostApi* m_host;
    MpRunContext* m_ctx;
};

/// Calls fn(run) and converts every exception into a status and an error message.
template <typename Fn>
MpStatus invoke(const MpHostApi* host, MpRunContext* ctx, Fn&& fn) noexcept {
    if (!host || host->abi_major != MP_PLUGIN_ABI_MAJOR) return MP_INVALID_ARGUMENT;
    Run run(host, ctx);
    try {
        fn(run);
        return run.cancelled() ? MP_CANCELLED : MP_OK;
    } catch (const CancelledRun&) {
        return MP_CANCELLED;
    } catch (const InputFailure& e) {
        host->message(ctx, MP_ERROR_LEVEL, e.what());
        return MP_INVALID_ARGUMENT;
    } catch (const InfeasibleFailure& e) {
        host->message(ctx, MP_ERROR_LEVEL, e.what());
        return MP_INFEASIBLE;
    } catch (const std::exception& e) {
        host->message(ctx, MP_ERROR_LEVEL, e.what());
        return MP_ERROR;
    } catch (...) {
        host->message(ctx, MP_ERROR_LEVEL, "unknown exception in plugin");
        return MP_ERROR;
    }
}

/// Helpers to declare schema entries tersely.
inline MpParamDef number_param(const char* key, const char* label, const char* unit, const char* def, double min,
                               double max, const char* description = nullptr) {
    MpParamDef p{};
    p.key = key, p.label = label, p.description = description, p.type = MP_PARAM_NUMBER, p.unit = unit;
    p.has_min = 1, p.min = min, p.has_max = 1, p.max = max, p.default_value = def;
    return p;
}
inline MpParamDef param(const char* key, const char* label, MpParamType type, const char* def = nullptr,
                        int required = 0, const char* description = nullptr) {
    MpParamDef p{};
    p.key = key, p.label = label, p.description = description, p.type = type, p.default_value = def,
    p.required = required;
    return p;
}

/// A place parameter: a site (id or name) or lon,lat; the GUI offers a site search and a map pick.
inline MpParamDef place_param(const char* key, const char* label, const char* def = nullptr, int required = 0,
                              const char* description = nullptr) {
    return param(key, label, MP_PARAM_PLACE, def, required, description);
}
/// An enum whose choices are the ids of a host table ("vehicle-presets", "air-defence-systems").
inline MpParamDef host_enum_param(const char* key, const char* label, const char* table, const char* def = nullptr,
                                  int required = 0, const char* description = nullptr) {
    MpParamDef p = param(key, label, MP_PARAM_ENUM, def, required, description);
    p.choices_from = table;
    return p;
}
/// A file the plugin reads (MP_FILE_IN) or writes (MP_FILE_OUT).
inline MpParamDef file_param(const char* key, const char* label, MpFileDirection direction,
                             const char* file_types = nullptr, int required = 0, const char* description = nullptr) {
    MpParamDef p = param(key, label, MP_PARAM_FILE, nullptr, required, description);
    p.direction = direction;
    p.file_types = file_types;
    return p;
}
/// A GDAL raster source (a path, a VRT, /vsizip/...).
inline MpParamDef raster_param(const char* key, const char* label, int required = 0,
                               const char* description = nullptr) {
    MpParamDef p = param(key, label, MP_PARAM_RASTER, nullptr, required, description);
    p.file_types = "*.tif;*.tiff;*.vrt;*.hgt;*.asc;*.img";
    return p;
}
/// A retired parameter: scripts that still pass `key` are told `replaced_by` (e.g. "use
/// resolution_m, in metres"); forms and listings never show it (ABI 1.1 revision 2).
inline MpParamDef retired_param(const char* key, const char* replaced_by) {
    MpParamDef p = param(key, key, MP_PARAM_STRING);
    p.replaced_by = replaced_by;
    return p;
}
/// A list of records with the given fields (an array that outlives the plugin's schema).
inline MpParamDef record_list_param(const char* key, const char* label, const MpParamDef* fields,
                                    std::size_t field_count, int required = 0, const char* description = nullptr) {
    MpParamDef p = param(key, label, MP_PARAM_LIST, nullptr, required, description);
    p.item_type = MP_PARAM_RECORD;
    p.fields = fields;
    p.field_count = field_count;
    return p;
}

}  // namespace mp::sdk

/// Defines the plugin's entry point. PARAMS is a static array of MpParamDef (or nullptr
/// with count 0); RUN_FN is a callable taking mp::sdk::Run&.
#define MP_SDK_PLUGIN(ID, NAME, VERSION, DESCRIPTION, PARAMS, PARAM_COUNT, RUN_FN)    \
    static MpStatus mp_sdk_run_trampoline(const MpHostApi* host, MpRunContext* ctx) { \
        return ::mp::sdk::invoke(host, ctx, RUN_FN);                                  \
    }                                                                                 \
    extern "C" MP_PLUGIN_EXPORT const MpPluginV1* mp_plugin_entry(void) {             \
        static const MpPluginV1 plugin = {sizeof(MpPluginV1),                         \
                                          MP_PLUGIN_ABI_MAJOR,                        \
                                          MP_PLUGIN_ABI_MINOR,                        \
                                          ID,                                         \
                                          NAME,                                       \
                                          VERSION,                                    \
                                          DESCRIPTION,                                \
                                          PARAMS,                                     \
                                          PARAM_COUNT,                                \
                                          nullptr,                                    \
                                          mp_sdk_run_trampoline,                      \
                                          nullptr,                                    \
                                          sizeof(MpParamDef)};                        \
        return &plugin;                                                               \
    }
