// SPDX-License-Identifier: MIT
#include "host_api.hpp"

#include <cmath>
#include <cstring>

namespace mp::plugin::detail {

namespace {

using Ctx = MpRunContext;
constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// Shared lock that also reports whether the run was abandoned.
struct Access {
    std::shared_lock<std::shared_mutex> lock;
    bool ok;
    explicit Access(const Ctx* c) : lock(const_cast<Ctx*>(c)->guard), ok(!c->abandoned) {}
};

const char* keep(const Ctx* c, std::string s) {
    auto* ctx = const_cast<Ctx*>(c);
    std::lock_guard lock(ctx->storage_mu);
    ctx->strings.push_back(std::move(s));
    return ctx->strings.back().c_str();
}

const nlohmann::json* param(const Ctx* c, const char* key) {
    if (!c || !key || !c->params || !c->params->contains(key)) return nullptr;
    return &(*c->params)[key];
}

void fill_geometry(const Ctx* c, const geo::Geometry& g, MpGeometry* out) {
    auto* ctx = const_cast<Ctx*>(c);
    std::vector<double> xy;
    std::vector<uint32_t> rings, polys;
    auto add_pt = [&](const geo::LonLat& p) { xy.insert(xy.end(), {geo::lon(p), geo::lat(p)}); };
    auto add_line = [&](const auto& l) {
        for (const auto& p : l) add_pt(p);
        rings.push_back(static_cast<uint32_t>(xy.size() / 2));
    };
    auto add_poly = [&](const geo::Polygon& p) {
        add_line(p.outer());
        for (const auto& h : p.inners()) add_line(h);
        polys.push_back(static_cast<uint32_t>(rings.size()));
    };
    MpGeomType type = MP_GEOM_NONE;
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, geo::LonLat>) add_pt(v), type = MP_GEOM_POINT;
            else if constexpr (std::is_same_v<T, geo::LineString>) add_line(v), type = MP_GEOM_LINESTRING;
            else if constexpr (std::is_same_v<T, geo::Polygon>) add_poly(v), type = MP_GEOM_POLYGON;
            else if constexpr (std::is_same_v<T, geo::MultiPoint>) {
                for (const auto& p : v) add_pt(p);
                type = MP_GEOM_MULTIPOINT;
            } else if constexpr (std::is_same_v<T, geo::MultiLineString>) {
                for (const auto& l : v) add_line(l);
                type = MP_GEOM_MULTILINESTRING;
            } else if constexpr (std::is_same_v<T, geo::MultiPolygon>) {
                for (const auto& p : v) add_poly(p);
                type = MP_GEOM_MULTIPOLYGON;
            }
        },
        g);
    std::lock_guard lock(ctx->storage_mu);
    ctx->doubles.push_back(std::move(xy));
    ctx->indices.push_back(std::move(rings));
    const auto& r = ctx->indices.back();
    ctx->indices.push_back(std::move(polys));
    const auto& p = ctx->indices.back();
    const auto& x = ctx->doubles.back();
    *out = MpGeometry{type, x.data(), x.size() / 2, r.data(), r.size(), p.data(), p.size()};
}

// Checks a geometry a plugin returns and converts it; "" or the reason it is invalid.
std::string convert(const MpGeometry* g, geo::Geometry& out) {
    if (!g) return "geometry is NULL";
    if (g->type == MP_GEOM_NONE) {
        out = std::monostate{};
        return {};
    }
    if (g->type < MP_GEOM_POINT || g->type > MP_GEOM_MULTIPOLYGON) return "unknown geometry type";
    if (g->n_points == 0 || !g->xy) return "geometry has no points";
    for (std::size_t i = 0; i < 2 * g->n_points; ++i)
        if (!std::isfinite(g->xy[i])) return "coordinate " + std::to_string(i / 2) + " is NaN or infinite";
    for (std::size_t i = 0; i < g->n_points; ++i)
        if (std::abs(g->xy[2 * i]) > 180 || std::abs(g->xy[2 * i + 1]) > 90)
            return "coordinate " + std::to_string(i) + " is outside lon/lat range (lon first, degrees)";
    auto pt = [&](std::size_t i) { return geo::LonLat(g->xy[2 * i], g->xy[2 * i + 1]); };
    // Ring/part boundaries.
    std::vector<std::pair<std::size_t, std::size_t>> parts;
    if (g->type != MP_GEOM_POINT && g->type != MP_GEOM_MULTIPOINT) {
        if (g->n_rings == 0 || !g->ring_ends) return "line or polygon without parts (ring_ends empty)";
        std::size_t start = 0;
        for (std::size_t r = 0; r < g->n_rings; ++r) {
            const std::size_t end = g->ring_ends[r];
            if (end <= start || end > g->n_points) return "ring_ends are not increasing within n_points";
            parts.emplace_back(start, end);
            start = end;
        }
        if (start != g->n_points) return "ring_ends do not cover all points";
    }
    auto make_line = [&](std::pair<std::size_t, std::size_t> p) {
        geo::LineString l;
        for (std::size_t i = p.first; i < p.second; ++i) l.push_back(pt(i));
        return l;
    };
    auto make_ring = [&](std::pair<std::size_t, std::size_t> p, std::string& why) {
        geo::Ring r;
        for (std::size_t i = p.first; i < p.second; ++i) r.push_back(pt(i));
        if (!geo::bg::equals(r.front(), r.back())) why = "unclosed polygon ring (first point != last point)";
        else if (r.size() < 4) why = "polygon ring with fewer than 4 points";
        return r;
    };
    std::string why;
    switch (g->type) {
        case MP_GEOM_POINT:
            if (g->n_points != 1) return "a point has exactly one coordinate";
            out = pt(0);
            break;
        case MP_GEOM_MULTIPOINT: {
            geo::MultiPoint m;
            for (std::size_t i = 0; i < g->n_points; ++i) m.push_back(pt(i));
            out = m;
            break;
        }
        case MP_GEOM_LINESTRING:
            if (parts.size() != 1) return "a LineString has exactly one part";
            if (parts[0].second - parts[0].first < 2) return "a LineString needs at least 2 points";
            out = make_line(parts[0]);
            break;
        case MP_GEOM_MULTILINESTRING: {
            geo::MultiLineString m;
            for (auto p : parts) {
                if (p.second - p.first < 2) return "a line part needs at least 2 points";
                m.push_back(make_line(p));
            }
            out = m;
            break;
        }
        case MP_GEOM_POLYGON:
        case MP_GEOM_MULTIPOLYGON: {
            std::vector<std::size_t> poly_ends;
            if (g->type == MP_GEOM_POLYGON) {
                poly_ends.push_back(parts.size());
            } else {
                if (g->n_polys == 0 || !g->poly_ends) return "MultiPolygon without poly_ends";
                poly_ends.assign(g->poly_ends, g->poly_ends + g->n_polys);
            }
            geo::MultiPolygon m;
            std::size_t start = 0;
            for (std::size_t end : poly_ends) {
                if (end <= start || end > parts.size()) return "poly_ends are not increasing within n_rings";
                geo::Polygon poly;
                poly.outer() = make_ring(parts[start], why);
                for (std::size_t r = start + 1; r < end; ++r) poly.inners().push_back(make_ring(parts[r], why));
                if (!why.empty()) return why;
                m.push_back(std::move(poly));
                start = end;
            }
            if (g->type == MP_GEOM_POLYGON) out = m.front();
            else out = m;
            geo::normalise(out);
            break;
        }
        default: return "unknown geometry type";
    }
    return {};
}

void add_invalid(Ctx* c, std::string what) {
    std::lock_guard lock(c->results_mu);
    c->invalid.push_back(std::move(what));
}

MpStatus set_attr(MpResultLayer* h, const char* key, mp::layer::Value v) {
    if (!h || !key) return MP_INVALID_ARGUMENT;
    Access a(h->ctx);
    if (!a.ok) return MP_ERROR;
    std::lock_guard lock(h->ctx->results_mu);
    auto& rl = h->ctx->result.layers[h->index];
    if (rl.layer.features.empty()) return MP_INVALID_ARGUMENT;
    rl.layer.features.back().attributes.set(key, std::move(v));
    return MP_OK;
}

const mp::layer::Layer* layer_at(const Ctx* c, std::size_t l) {
    const auto& ls = c->ws->layers.layers();
    return l < ls.size() ? &ls[l] : nullptr;
}

const mp::layer::Feature* feature_at(const Ctx* c, std::size_t l, std::size_t f) {
    const auto* layer = layer_at(c, l);
    return layer && f < layer->features.size() ? &layer->features[f] : nullptr;
}

const mp::sites::Site* site_at(const Ctx* c, std::size_t s) {
    const auto& ss = c->ws->catalogue.sites();
    return s < ss.size() ? &ss[s] : nullptr;
}

MpStatus add_column(MpResultTable* t, mp::plugin::Table::Column col) {
    if (!t) return MP_INVALID_ARGUMENT;
    Access a(t->ctx);
    if (!a.ok) return MP_ERROR;
    std::lock_guard lock(t->ctx->results_mu);
    auto& table = t->ctx->result.tables[t->index];
    if (!table.columns.empty() && col.size() != table.rows()) {
        t->ctx->invalid.push_back("malformed table '" + table.name + "': column '" + col.name + "' has " +
                                  std::to_string(col.size()) + " rows, the table has " + std::to_string(table.rows()));
        return MP_INVALID_ARGUMENT;
    }
    for (const auto& c : table.columns)
        if (c.name == col.name) {
            t->ctx->invalid.push_back("malformed table '" + table.name + "': duplicate column '" + col.name + "'");
            return MP_INVALID_ARGUMENT;
        }
    table.columns.push_back(std::move(col));
    return MP_OK;
}

bool valid_color(const char* c) {
    if (!c) return true;
    const std::size_t n = std::strlen(c);
    if ((n != 7 && n != 9) || c[0] != '#') return false;
    for (std::size_t i = 1; i < n; ++i)
        if (!std::isxdigit(static_cast<unsigned char>(c[i]))) return false;
    return true;
}

const MpHostApi kApi = {
    sizeof(MpHostApi),
    MP_PLUGIN_ABI_MAJOR,
    MP_PLUGIN_ABI_MINOR,
    // parameters
    [](const Ctx* c, const char* key) -> int { return param(c, key) != nullptr; },
    [](const Ctx* c, const char* key, double* out) {
        const auto* p = param(c, key);
        if (!p) return MP_NOT_FOUND;
        if (!p->is_number() || !out) return MP_INVALID_ARGUMENT;
        *out = p->get<double>();
        return MP_OK;
    },
    [](const Ctx* c, const char* key, int64_t* out) {
        const auto* p = param(c, key);
        if (!p) return MP_NOT_FOUND;
        if (!p->is_number_integer() || !out) return MP_INVALID_ARGUMENT;
        *out = p->get<int64_t>();
        return MP_OK;
    },
    [](const Ctx* c, const char* key, int* out) {
        const auto* p = param(c, key);
        if (!p) return MP_NOT_FOUND;
        if (!p->is_boolean() || !out) return MP_INVALID_ARGUMENT;
        *out = p->get<bool>() ? 1 : 0;
        return MP_OK;
    },
    [](const Ctx* c, const char* key, const char** out) {
        const auto* p = param(c, key);
        if (!p) return MP_NOT_FOUND;
        if (!p->is_string() || !out) return MP_INVALID_ARGUMENT;
        *out = p->get_ref<const std::string&>().c_str();
        return MP_OK;
    },
    [](const Ctx* c, const char* key, double* lon, double* lat) {
        const auto* p = param(c, key);
        if (!p) return MP_NOT_FOUND;
        if (!p->is_array() || p->size() != 2 || !lon || !lat) return MP_INVALID_ARGUMENT;
        *lon = (*p)[0].get<double>(), *lat = (*p)[1].get<double>();
        return MP_OK;
    },
    [](const Ctx* c, const char* key, const double** xy, size_t* n) {
        const auto* p = param(c, key);
        if (!p) return MP_NOT_FOUND;
        if (!p->is_array() || !xy || !n) return MP_INVALID_ARGUMENT;
        std::vector<double> v;
        for (const auto& q : *p) v.insert(v.end(), {q[0].get<double>(), q[1].get<double>()});
        auto* ctx = const_cast<Ctx*>(c);
        std::lock_guard lock(ctx->storage_mu);
        ctx->doubles.push_back(std::move(v));
        *xy = ctx->doubles.back().data();
        *n = ctx->doubles.back().size() / 2;
        return MP_OK;
    },
    [](const Ctx* c, const char* key, size_t* n) {
        const auto* p = param(c, key);
        if (!p) return MP_NOT_FOUND;
        if (!p->is_array() || !n) return MP_INVALID_ARGUMENT;
        *n = p->size();
        return MP_OK;
    },
    [](const Ctx* c, const char* key, size_t i, const char** out) {
        const auto* p = param(c, key);
        if (!p) return MP_NOT_FOUND;
        if (!p->is_array() || i >= p->size() || !(*p)[i].is_string() || !out) return MP_INVALID_ARGUMENT;
        *out = (*p)[i].get_ref<const std::string&>().c_str();
        return MP_OK;
    },
    // layers
    [](const Ctx* c) -> size_t {
        Access a(c);
        return a.ok ? c->ws->layers.size() : 0;
    },
    [](const Ctx* c, size_t l) -> const char* {
        Access a(c);
        const auto* layer = a.ok ? layer_at(c, l) : nullptr;
        return layer ? layer->name.c_str() : "";
    },
    [](const Ctx* c, const char* name) -> size_t {
        Access a(c);
        if (!a.ok || !name) return kNone;
        const auto& ls = c->ws->layers.layers();
        for (std::size_t i = 0; i < ls.size(); ++i)
            if (ls[i].name == name) return i;
        return kNone;
    },
    [](const Ctx* c, size_t l) -> size_t {
        Access a(c);
        const auto* layer = a.ok ? layer_at(c, l) : nullptr;
        return layer ? layer->features.size() : 0;
    },
    [](const Ctx* c, size_t l, size_t f) -> const char* {
        Access a(c);
        const auto* feat = a.ok ? feature_at(c, l, f) : nullptr;
        return feat ? feat->id.c_str() : "";
    },
    [](const Ctx* c, size_t l, size_t f, MpGeometry* out) {
        Access a(c);
        if (!a.ok) return MP_ERROR;
        const auto* feat = feature_at(c, l, f);
        if (!feat || !out) return MP_NOT_FOUND;
        fill_geometry(c, feat->geometry, out);
        return MP_OK;
    },
    [](const Ctx* c, size_t l, size_t f, const char* key, const char** out) {
        Access a(c);
        if (!a.ok) return MP_ERROR;
        const auto* feat = feature_at(c, l, f);
        if (!feat || !key || !out) return MP_NOT_FOUND;
        const auto* v = feat->attributes.find(key);
        *out = v ? keep(c, mp::layer::to_string(*v)) : "";
        return v ? MP_OK : MP_NOT_FOUND;
    },
    [](const Ctx* c, size_t l, size_t f, const char* key, double* out) {
        Access a(c);
        if (!a.ok) return MP_ERROR;
        const auto* feat = feature_at(c, l, f);
        if (!feat || !key || !out) return MP_NOT_FOUND;
        auto n = feat->attributes.number(key);
        if (!n) return MP_NOT_FOUND;
        *out = *n;
        return MP_OK;
    },
    // sites
    [](const Ctx* c) -> size_t {
        Access a(c);
        return a.ok ? c->ws->catalogue.sites().size() : 0;
    },
    [](const Ctx* c, const char* q) -> size_t {
        Access a(c);
        if (!a.ok || !q) return kNone;
        auto r = c->ws->catalogue.find(q);
        if (!r) return kNone;
        return static_cast<size_t>(*r - c->ws->catalogue.sites().data());
    },
    [](const Ctx* c, size_t s, const char* field, const char** out) {
        Access a(c);
        if (!a.ok) return MP_ERROR;
        const auto* site = site_at(c, s);
        if (!site || !field || !out) return MP_NOT_FOUND;
        const std::string f = field;
        if (f == "id") *out = site->id.c_str();
        else if (f == "kind") *out = keep(c, std::string(mp::sites::kind_name(site->kind)));
        else if (f == "name_en") *out = site->name_en.c_str();
        else if (f == "name_nl") *out = site->name_nl.c_str();
        else if (f == "name_fr") *out = site->name_fr.c_str();
        else if (f == "source") *out = site->source.c_str();
        else if (const auto* v = site->attributes.find(f)) *out = keep(c, mp::layer::to_string(*v));
        else {
            *out = "";
            return MP_NOT_FOUND;
        }
        return MP_OK;
    },
    [](const Ctx* c, size_t s, const char* key, double* out) {
        Access a(c);
        if (!a.ok) return MP_ERROR;
        const auto* site = site_at(c, s);
        if (!site || !key || !out) return MP_NOT_FOUND;
        auto n = site->attributes.number(key);
        if (!n) return MP_NOT_FOUND;
        *out = *n;
        return MP_OK;
    },
    [](const Ctx* c, size_t s, double* lon, double* lat) {
        Access a(c);
        if (!a.ok) return MP_ERROR;
        const auto* site = site_at(c, s);
        if (!site || !lon || !lat) return MP_NOT_FOUND;
        const auto p = site->anchor();
        *lon = geo::lon(p), *lat = geo::lat(p);
        return MP_OK;
    },
    [](const Ctx* c, size_t s, MpGeometry* out) {
        Access a(c);
        if (!a.ok) return MP_ERROR;
        const auto* site = site_at(c, s);
        if (!site || !out) return MP_NOT_FOUND;
        fill_geometry(c, site->geometry, out);
        return MP_OK;
    },
    // progress, cancellation, messages
    [](Ctx* c, double fraction, const char* stage) {
        Access a(c);
        if (a.ok && c->progress) c->progress->report(std::clamp(fraction, 0.0, 1.0), stage ? stage : "");
    },
    [](const Ctx* c) -> int {
        Access a(c);
        return !a.ok || c->cancel_requested.load() || (c->progress && c->progress->cancelled());
    },
    [](Ctx* c, MpLevel level, const char* text) {
        Access a(c);
        if (!a.ok) return;
        std::lock_guard lock(c->results_mu);
        c->result.messages.push_back({static_cast<int>(level), text ? text : ""});
    },
    // results
    [](Ctx* c, const char* name, const char* color, double width, const char* label) -> MpResultLayer* {
        Access a(c);
        if (!a.ok || !name || !*name) return nullptr;
        if (!valid_color(color)) {
            add_invalid(c, std::string("result layer '") + name + "': colour '" + color + "' is not #rrggbb[aa]");
            return nullptr;
        }
        std::lock_guard lock(c->results_mu);
        mp::plugin::ResultLayer rl;
        rl.layer.name = name;
        rl.layer.source_crs = "EPSG:4326";
        if (color) rl.style.color = color;
        if (std::isfinite(width) && width > 0) rl.style.width_px = width;
        if (label) rl.style.label_field = label;
        c->result.layers.push_back(std::move(rl));
        std::lock_guard slock(c->storage_mu);
        c->layer_handles.push_back({c, c->result.layers.size() - 1});
        return &c->layer_handles.back();
    },
    [](MpResultLayer* h, const char* id, const MpGeometry* g) {
        if (!h) return MP_INVALID_ARGUMENT;
        Access a(h->ctx);
        if (!a.ok) return MP_ERROR;
        mp::layer::Feature f;
        f.id = id ? id : "";
        const std::string why = convert(g, f.geometry);
        std::lock_guard lock(h->ctx->results_mu);
        auto& rl = h->ctx->result.layers[h->index];
        if (f.id.empty()) f.id = std::to_string(rl.layer.features.size());
        if (!why.empty()) {
            h->ctx->invalid.push_back("invalid geometry in result layer '" + rl.layer.name + "', feature '" + f.id +
                                      "': " + why);
            return MP_INVALID_ARGUMENT;
        }
        rl.layer.features.push_back(std::move(f));
        rl.feature_styles.emplace_back();
        return MP_OK;
    },
    [](MpResultLayer* h, const char* key, double v) {
        if (!std::isfinite(v)) return set_attr(h, key, std::monostate{});
        return set_attr(h, key, v);
    },
    [](MpResultLayer* h, const char* key, int64_t v) { return set_attr(h, key, static_cast<std::int64_t>(v)); },
    [](MpResultLayer* h, const char* key, int v) { return set_attr(h, key, v != 0); },
    [](MpResultLayer* h, const char* key, const char* v) { return set_attr(h, key, std::string(v ? v : "")); },
    [](MpResultLayer* h, const char* color, double width) {
        if (!h || !valid_color(color)) return MP_INVALID_ARGUMENT;
        Access a(h->ctx);
        if (!a.ok) return MP_ERROR;
        std::lock_guard lock(h->ctx->results_mu);
        auto& rl = h->ctx->result.layers[h->index];
        if (rl.feature_styles.empty()) return MP_INVALID_ARGUMENT;
        mp::plugin::Style s = rl.style;
        if (color) s.color = color;
        if (std::isfinite(width) && width > 0) s.width_px = width;
        rl.feature_styles.back() = s;
        return MP_OK;
    },
    [](Ctx* c, const char* name, size_t w, size_t h, const double gt[6], const char* crs, const double* values,
       double nodata, const char* unit) {
        Access a(c);
        if (!a.ok) return MP_ERROR;
        const std::string n = name ? name : "";
        auto bad = [&](const std::string& why) {
            add_invalid(c, "invalid raster '" + n + "': " + why);
            return MP_INVALID_ARGUMENT;
        };
        if (n.empty()) return bad("no name");
        if (w == 0 || h == 0 || w * h > 100'000'000)
            return bad("size " + std::to_string(w) + " x " + std::to_string(h));
        if (!gt || !values || !crs) return bad("missing geotransform, CRS or values");
        for (int i = 0; i < 6; ++i)
            if (!std::isfinite(gt[i])) return bad("geotransform is not finite");
        if (gt[1] == 0 || gt[5] == 0) return bad("zero cell size");
        mp::plugin::Raster r;
        r.name = n, r.width = w, r.height = h, r.crs = crs, r.nodata = nodata, r.unit = unit ? unit : "";
        std::copy(gt, gt + 6, r.geotransform.begin());
        r.values.assign(values, values + w * h);
        std::lock_guard lock(c->results_mu);
        c->result.rasters.push_back(std::move(r));
        return MP_OK;
    },
    [](Ctx* c, const char* name, const char* chart) -> MpResultTable* {
        Access a(c);
        if (!a.ok || !name || !*name) return nullptr;
        std::lock_guard lock(c->results_mu);
        mp::plugin::Table t;
        t.name = name;
        t.chart_hint = chart ? chart : "";
        c->result.tables.push_back(std::move(t));
        std::lock_guard slock(c->storage_mu);
        c->table_handles.push_back({c, c->result.tables.size() - 1});
        return &c->table_handles.back();
    },
    [](MpResultTable* t, const char* name, const char* unit, const double* values, size_t n) {
        if (!t || !name || (n > 0 && !values)) return MP_INVALID_ARGUMENT;
        mp::plugin::Table::Column col;
        col.name = name;
        col.unit = unit ? unit : "";
        col.numeric = true;
        col.numbers.assign(values, values + n);
        return add_column(t, std::move(col));
    },
    [](MpResultTable* t, const char* name, const char* const* values, size_t n) {
        if (!t || !name || (n > 0 && !values)) return MP_INVALID_ARGUMENT;
        mp::plugin::Table::Column col;
        col.name = name;
        col.numeric = false;
        for (size_t i = 0; i < n; ++i) col.texts.emplace_back(values[i] ? values[i] : "");
        return add_column(t, std::move(col));
    },
};

}  // namespace

const MpHostApi& host_api() { return kApi; }

}  // namespace mp::plugin::detail
