// SPDX-License-Identifier: MIT
// plugin.hpp: a header-only C++17 helper over mp_plugin.h for writing plugins.
// It keeps the C ABI at the boundary: exceptions are caught and become MP_ERROR with
// the message reported to the host; no C++ type crosses into the host.
#pragma once

#include <cstdint>
#include <exception>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
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

/// A result layer being built. add() a feature, then set() its attributes.
class ResultLayer {
public:
    ResultLayer(const MpHostApi* host, MpResultLayer* layer) : m_host(host), m_layer(layer) {}
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

private:
    ResultLayer& check(MpStatus s, const std::string& what) {
        if (s != MP_OK) throw Failure("host refused " + what + " (status " + std::to_string(static_cast<int>(s)) + ")");
        return *this;
    }
    const MpHostApi* m_host;
    MpResultLayer* m_layer;
};

/// A result table being built, column by column.
class ResultTable {
public:
    ResultTable(const MpHostApi* host, MpResultTable* t) : m_host(host), m_table(t) {}
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

private:
    const MpHostApi* m_host;
    MpResultTable* m_table;
};

inline constexpr std::size_t kNone = static_cast<std::size_t>(-1);

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
        return ResultLayer(m_host, l);
    }
    ResultTable table(const std::string& name, const std::string& chart_hint = {}) {
        MpResultTable* t = m_host->result_table(m_ctx, name.c_str(), chart_hint.empty() ? nullptr : chart_hint.c_str());
        if (!t) throw Failure("host refused result table " + name);
        return ResultTable(m_host, t);
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
                                          nullptr};                                   \
        return &plugin;                                                               \
    }
