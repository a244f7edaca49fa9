// SPDX-License-Identifier: MIT
#include "host_api.hpp"

#include <cmath>
#include <cstring>

#include "host_services.hpp"
#include "mp/core/utf8.hpp"

namespace mp::plugin::detail {

namespace {

using Ctx = MpRunContext;
constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// A string the plugin hands over, made valid UTF-8 at the boundary: results are written
// as RFC 7946 GeoJSON and crossed as JSON, where ill-formed text is an error. Each string
// that needed repair is counted, and the run gets one warning.
std::string clean_text(Ctx* c, const char* s) {
    if (!s) return {};
    const std::string_view v(s);
    if (valid_utf8(v)) return std::string(v);
    {
        std::lock_guard lock(c->results_mu);
        if (c->invalid_utf8++ == 0)
            c->result.messages.push_back(
                {1, "plugin '" + c->plugin_id + "' returned text that is not valid UTF-8 (first: '" +
                        sanitize_utf8(v.substr(0, 60)) + "'); ill-formed bytes were replaced by U+FFFD"});
    }
    return sanitize_utf8(v);
}

// A parameter path: key, then [index] and .field steps ("systems[2].at").
const nlohmann::json* resolve_path(const nlohmann::json& params, std::string_view path) {
    std::size_t i = path.find_first_of("[.");
    const std::string head(path.substr(0, i));
    if (head.empty() || !params.is_object()) return nullptr;
    auto it = params.find(head);
    if (it == params.end()) return nullptr;
    const nlohmann::json* v = &*it;
    while (i < path.size()) {
        if (path[i] == '[') {
            const std::size_t close = path.find(']', i);
            if (close == std::string_view::npos || close == i + 1) return nullptr;
            std::size_t index = 0;
            for (std::size_t k = i + 1; k < close; ++k) {
                if (path[k] < '0' || path[k] > '9' || index > 100'000'000) return nullptr;
                index = index * 10 + static_cast<std::size_t>(path[k] - '0');
            }
            if (!v->is_array() || index >= v->size()) return nullptr;
            v = &(*v)[index];
            i = close + 1;
        } else if (path[i] == '.') {
            const std::size_t next = path.find_first_of("[.", i + 1);
            const std::string field(
                path.substr(i + 1, next == std::string_view::npos ? std::string_view::npos : next - i - 1));
            if (field.empty() || !v->is_object()) return nullptr;
            auto f = v->find(field);
            if (f == v->end()) return nullptr;
            v = &*f;
            i = next == std::string_view::npos ? path.size() : next;
        } else {
            return nullptr;
        }
    }
    return v->is_null() ? nullptr : v;
}

// A place value as validated (schema.cpp): {"label", "lon", "lat", "site"}.
bool is_place(const nlohmann::json& v) { return v.is_object() && v.contains("lon") && v.contains("lat"); }

}  // namespace

MpStatus fail(const MpRunContext* c, MpStatus status, std::string message) {
    if (!c) return status;
    auto* ctx = const_cast<Ctx*>(c);
    std::lock_guard lock(ctx->storage_mu);
    ctx->last_error = std::move(message);
    return status;
}

const char* keep_string(const Ctx* c, std::string s) {
    auto* ctx = const_cast<Ctx*>(c);
    std::lock_guard lock(ctx->storage_mu);
    ctx->strings.push_back(std::move(s));
    return ctx->strings.back().c_str();
}

const nlohmann::json* param_value(const Ctx* c, const char* key) {
    if (!c || !key || !c->params) return nullptr;
    return resolve_path(*c->params, key);
}

const layer::Layer* layer_at(const Ctx* c, std::size_t l) {
    const auto& ls = c->ws->layers.layers();
    if (l < ls.size()) return &ls[l];
    auto* ctx = const_cast<Ctx*>(c);
    std::lock_guard lock(ctx->storage_mu);
    l -= ls.size();
    return l < ctx->extra_layers.size() ? &ctx->extra_layers[l] : nullptr;
}

std::size_t layer_total(const Ctx* c) {
    auto* ctx = const_cast<Ctx*>(c);
    std::lock_guard lock(ctx->storage_mu);
    return c->ws->layers.size() + ctx->extra_layers.size();
}

bool struct_ok(const Ctx* c, const void* s, std::size_t needed, const char* what) {
    if (!s) {
        fail(c, MP_INVALID_ARGUMENT, std::string(what) + " is NULL");
        return false;
    }
    std::uint32_t size = 0;
    std::memcpy(&size, s, sizeof size);
    if (size < needed) {
        fail(c, MP_INVALID_ARGUMENT,
             std::string(what) + ".struct_size is " + std::to_string(size) + "; at least " + std::to_string(needed) +
                 " bytes expected (set it to sizeof(" + what + "))");
        return false;
    }
    return true;
}

const char* last_error(const Ctx* c) {
    if (!c) return "";
    auto* ctx = const_cast<Ctx*>(c);
    std::lock_guard lock(ctx->storage_mu);
    ctx->strings.push_back(ctx->last_error);
    return ctx->strings.back().c_str();
}

MpStatus param_place(const Ctx* c, const char* key, double* lon, double* lat, const char** site_id) {
    Access a(c);
    if (!a.ok) return MP_ERROR;
    const auto* p = param_value(c, key);
    if (!p) return fail(c, MP_NOT_FOUND, std::string("no value for parameter '") + (key ? key : "") + "'");
    if (!lon || !lat) return fail(c, MP_INVALID_ARGUMENT, "param_place: lon and lat must not be NULL");
    if (is_place(*p)) {
        *lon = (*p)["lon"].get<double>(), *lat = (*p)["lat"].get<double>();
        if (site_id) {
            const auto& s = (*p)["site"];
            *site_id = s.is_string() ? keep_string(c, s.get<std::string>()) : "";
        }
        return MP_OK;
    }
    if (p->is_array() && p->size() == 2 && (*p)[0].is_number() && (*p)[1].is_number()) {
        *lon = (*p)[0].get<double>(), *lat = (*p)[1].get<double>();
        if (site_id) *site_id = "";
        return MP_OK;
    }
    if (p->is_string()) {  // a site parameter (its id)
        auto site = c->ws->catalogue.find(p->get<std::string>());
        if (!site) return fail(c, MP_INVALID_ARGUMENT, site.reason() + " (parameter '" + key + "')");
        const auto pt = (*site)->anchor();
        *lon = geo::lon(pt), *lat = geo::lat(pt);
        if (site_id) *site_id = (*site)->id.c_str();
        return MP_OK;
    }
    return fail(c, MP_INVALID_ARGUMENT, std::string("parameter '") + key + "' is not a place");
}

MpStatus param_json(const Ctx* c, const char* key, const char** json) {
    const auto* p = param_value(c, key);
    if (!p) return fail(c, MP_NOT_FOUND, std::string("no value for parameter '") + (key ? key : "") + "'");
    if (!json) return fail(c, MP_INVALID_ARGUMENT, "param_json: out must not be NULL");
    *json = keep_string(c, p->dump());
    return MP_OK;
}

namespace {
const nlohmann::json* param(const Ctx* c, const char* key) { return param_value(c, key); }
}  // namespace

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

std::string convert_geometry(const MpGeometry* g, geo::Geometry& out) {
    if (!g) return "geometry is NULL";
    const int type = raw_enum(g->type);  // any int a plugin put there
    if (type == MP_GEOM_NONE) {
        out = std::monostate{};
        return {};
    }
    if (type < MP_GEOM_POINT || type > MP_GEOM_MULTIPOLYGON) return "unknown geometry type " + std::to_string(type);
    if (g->n_points == 0 || !g->xy) return "geometry has no points";
    for (std::size_t i = 0; i < 2 * g->n_points; ++i)
        if (!std::isfinite(g->xy[i])) return "coordinate " + std::to_string(i / 2) + " is NaN or infinite";
    for (std::size_t i = 0; i < g->n_points; ++i)
        if (std::abs(g->xy[2 * i]) > 180 || std::abs(g->xy[2 * i + 1]) > 90)
            return "coordinate " + std::to_string(i) + " is outside lon/lat range (lon first, degrees)";
    auto pt = [&](std::size_t i) { return geo::LonLat(g->xy[2 * i], g->xy[2 * i + 1]); };
    // Ring/part boundaries.
    std::vector<std::pair<std::size_t, std::size_t>> parts;
    if (type != MP_GEOM_POINT && type != MP_GEOM_MULTIPOINT) {
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
    switch (type) {
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
            if (type == MP_GEOM_POLYGON) {
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
            if (type == MP_GEOM_POLYGON) out = m.front();
            else out = m;
            geo::normalise(out);
            break;
        }
        default: return "unknown geometry type";
    }
    return {};
}

namespace {

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
    rl.layer.features.back().attributes.set(valid_utf8(key) ? std::string(key) : sanitize_utf8(key), std::move(v));
    return MP_OK;
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

MpHostApi make_api() {
    MpHostApi api{};
    api.struct_size = sizeof(MpHostApi);
    api.abi_major = MP_PLUGIN_ABI_MAJOR;
    api.abi_minor = MP_PLUGIN_ABI_MINOR;
    // parameters
    api.param_is_set = [](const Ctx* c, const char* key) -> int { return param(c, key) != nullptr; };
    api.param_number = [](const Ctx* c, const char* key, double* out) {
        const auto* p = param(c, key);
        if (!p) return MP_NOT_FOUND;
        if (!p->is_number() || !out) return MP_INVALID_ARGUMENT;
        *out = p->get<double>();
        return MP_OK;
    };
    api.param_integer = [](const Ctx* c, const char* key, int64_t* out) {
        const auto* p = param(c, key);
        if (!p) return MP_NOT_FOUND;
        if (!p->is_number_integer() || !out) return MP_INVALID_ARGUMENT;
        *out = p->get<int64_t>();
        return MP_OK;
    };
    api.param_bool = [](const Ctx* c, const char* key, int* out) {
        const auto* p = param(c, key);
        if (!p) return MP_NOT_FOUND;
        if (!p->is_boolean() || !out) return MP_INVALID_ARGUMENT;
        *out = p->get<bool>() ? 1 : 0;
        return MP_OK;
    };
    api.param_string = [](const Ctx* c, const char* key, const char** out) {
        const auto* p = param(c, key);
        if (!p) return MP_NOT_FOUND;
        if (!out) return MP_INVALID_ARGUMENT;
        if (is_place(*p)) {  // a place reads as its site id or "lon,lat"
            *out = (*p)["label"].get_ref<const std::string&>().c_str();
            return MP_OK;
        }
        if (!p->is_string()) return MP_INVALID_ARGUMENT;
        *out = p->get_ref<const std::string&>().c_str();
        return MP_OK;
    };
    api.param_coordinate = [](const Ctx* c, const char* key, double* lon, double* lat) {
        const auto* p = param(c, key);
        if (!p) return MP_NOT_FOUND;
        if (!lon || !lat) return MP_INVALID_ARGUMENT;
        if (is_place(*p)) {
            *lon = (*p)["lon"].get<double>(), *lat = (*p)["lat"].get<double>();
            return MP_OK;
        }
        if (!p->is_array() || p->size() != 2 || !(*p)[0].is_number() || !(*p)[1].is_number())
            return MP_INVALID_ARGUMENT;
        *lon = (*p)[0].get<double>(), *lat = (*p)[1].get<double>();
        return MP_OK;
    };
    api.param_polygon = [](const Ctx* c, const char* key, const double** xy, size_t* n) {
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
    };
    api.param_list_size = [](const Ctx* c, const char* key, size_t* n) {
        const auto* p = param(c, key);
        if (!p) return MP_NOT_FOUND;
        if (!p->is_array() || !n) return MP_INVALID_ARGUMENT;
        *n = p->size();
        return MP_OK;
    };
    api.param_list_item = [](const Ctx* c, const char* key, size_t i, const char** out) {
        const auto* p = param(c, key);
        if (!p) return MP_NOT_FOUND;
        if (!p->is_array() || i >= p->size() || !out) return MP_INVALID_ARGUMENT;
        const auto& item = (*p)[i];
        if (item.is_string()) *out = item.get_ref<const std::string&>().c_str();
        else if (is_place(item)) *out = item["label"].get_ref<const std::string&>().c_str();
        else *out = keep_string(c, item.dump());  // records as JSON text
        return MP_OK;
    };
    // layers
    api.layer_count = [](const Ctx* c) -> size_t {
        Access a(c);
        return a.ok ? layer_total(c) : 0;
    };
    api.layer_name = [](const Ctx* c, size_t l) -> const char* {
        Access a(c);
        const auto* layer = a.ok ? layer_at(c, l) : nullptr;
        return layer ? layer->name.c_str() : "";
    };
    api.layer_find = [](const Ctx* c, const char* name) -> size_t {
        Access a(c);
        if (!a.ok || !name) return kNone;
        const std::size_t n = layer_total(c);
        for (std::size_t i = 0; i < n; ++i)
            if (layer_at(c, i)->name == name) return i;
        return kNone;
    };
    api.feature_count = [](const Ctx* c, size_t l) -> size_t {
        Access a(c);
        const auto* layer = a.ok ? layer_at(c, l) : nullptr;
        return layer ? layer->features.size() : 0;
    };
    api.feature_id = [](const Ctx* c, size_t l, size_t f) -> const char* {
        Access a(c);
        const auto* feat = a.ok ? feature_at(c, l, f) : nullptr;
        return feat ? feat->id.c_str() : "";
    };
    api.feature_geometry = [](const Ctx* c, size_t l, size_t f, MpGeometry* out) {
        Access a(c);
        if (!a.ok) return MP_ERROR;
        const auto* feat = feature_at(c, l, f);
        if (!feat || !out) return MP_NOT_FOUND;
        fill_geometry(c, feat->geometry, out);
        return MP_OK;
    };
    api.feature_text = [](const Ctx* c, size_t l, size_t f, const char* key, const char** out) {
        Access a(c);
        if (!a.ok) return MP_ERROR;
        const auto* feat = feature_at(c, l, f);
        if (!feat || !key || !out) return MP_NOT_FOUND;
        const auto* v = feat->attributes.find(key);
        *out = v ? keep_string(c, mp::layer::to_string(*v)) : "";
        return v ? MP_OK : MP_NOT_FOUND;
    };
    api.feature_number = [](const Ctx* c, size_t l, size_t f, const char* key, double* out) {
        Access a(c);
        if (!a.ok) return MP_ERROR;
        const auto* feat = feature_at(c, l, f);
        if (!feat || !key || !out) return MP_NOT_FOUND;
        auto n = feat->attributes.number(key);
        if (!n) return MP_NOT_FOUND;
        *out = *n;
        return MP_OK;
    };
    // sites
    api.site_count = [](const Ctx* c) -> size_t {
        Access a(c);
        return a.ok ? c->ws->catalogue.sites().size() : 0;
    };
    api.site_find = [](const Ctx* c, const char* q) -> size_t {
        Access a(c);
        if (!a.ok || !q) return kNone;
        auto r = c->ws->catalogue.find(q);
        if (!r) return kNone;
        return static_cast<size_t>(*r - c->ws->catalogue.sites().data());
    };
    api.site_text = [](const Ctx* c, size_t s, const char* field, const char** out) {
        Access a(c);
        if (!a.ok) return MP_ERROR;
        const auto* site = site_at(c, s);
        if (!site || !field || !out) return MP_NOT_FOUND;
        const std::string f = field;
        if (f == "id") *out = site->id.c_str();
        else if (f == "kind") *out = keep_string(c, std::string(mp::sites::kind_name(site->kind)));
        else if (f == "name_en") *out = site->name_en.c_str();
        else if (f == "name_nl") *out = site->name_nl.c_str();
        else if (f == "name_fr") *out = site->name_fr.c_str();
        else if (f == "source") *out = site->source.c_str();
        else if (const auto* v = site->attributes.find(f)) *out = keep_string(c, mp::layer::to_string(*v));
        else {
            *out = "";
            return MP_NOT_FOUND;
        }
        return MP_OK;
    };
    api.site_number = [](const Ctx* c, size_t s, const char* key, double* out) {
        Access a(c);
        if (!a.ok) return MP_ERROR;
        const auto* site = site_at(c, s);
        if (!site || !key || !out) return MP_NOT_FOUND;
        auto n = site->attributes.number(key);
        if (!n) return MP_NOT_FOUND;
        *out = *n;
        return MP_OK;
    };
    api.site_location = [](const Ctx* c, size_t s, double* lon, double* lat) {
        Access a(c);
        if (!a.ok) return MP_ERROR;
        const auto* site = site_at(c, s);
        if (!site || !lon || !lat) return MP_NOT_FOUND;
        const auto p = site->anchor();
        *lon = geo::lon(p), *lat = geo::lat(p);
        return MP_OK;
    };
    api.site_geometry = [](const Ctx* c, size_t s, MpGeometry* out) {
        Access a(c);
        if (!a.ok) return MP_ERROR;
        const auto* site = site_at(c, s);
        if (!site || !out) return MP_NOT_FOUND;
        fill_geometry(c, site->geometry, out);
        return MP_OK;
    };
    // progress, cancellation, messages
    api.progress = [](Ctx* c, double fraction, const char* stage) {
        Access a(c);
        if (a.ok && c->progress) c->progress->report(std::clamp(fraction, 0.0, 1.0), stage ? stage : "");
    };
    api.cancelled = [](const Ctx* c) -> int {
        Access a(c);
        return !a.ok || c->cancel_requested.load() || (c->progress && c->progress->cancelled());
    };
    api.message = [](Ctx* c, MpLevel level, const char* text) {
        Access a(c);
        if (!a.ok) return;
        std::string t = clean_text(c, text);
        std::lock_guard lock(c->results_mu);
        c->result.messages.push_back({std::clamp(raw_enum(level), 0, 2), std::move(t)});
    };
    // results
    api.result_layer = [](Ctx* c, const char* name, const char* color, double width,
                          const char* label) -> MpResultLayer* {
        Access a(c);
        if (!a.ok || !name || !*name) return nullptr;
        if (!valid_color(color)) {
            add_invalid(c, std::string("result layer '") + name + "': colour '" + color + "' is not #rrggbb[aa]");
            return nullptr;
        }
        std::string clean_name = clean_text(c, name);
        std::lock_guard lock(c->results_mu);
        mp::plugin::ResultLayer rl;
        rl.layer.name = std::move(clean_name);
        rl.layer.source_crs = "EPSG:4326";
        if (color) rl.style.color = color;
        if (std::isfinite(width) && width > 0) rl.style.width_px = width;
        if (label) rl.style.label_field = sanitize_utf8(label);
        c->result.layers.push_back(std::move(rl));
        std::lock_guard slock(c->storage_mu);
        c->layer_handles.push_back({c, c->result.layers.size() - 1});
        return &c->layer_handles.back();
    };
    api.layer_add_feature = [](MpResultLayer* h, const char* id, const MpGeometry* g) {
        if (!h) return MP_INVALID_ARGUMENT;
        Access a(h->ctx);
        if (!a.ok) return MP_ERROR;
        mp::layer::Feature f;
        f.id = clean_text(h->ctx, id);
        const std::string why = convert_geometry(g, f.geometry);
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
    };
    api.feature_set_number = [](MpResultLayer* h, const char* key, double v) {
        if (!std::isfinite(v)) return set_attr(h, key, std::monostate{});
        return set_attr(h, key, v);
    };
    api.feature_set_integer = [](MpResultLayer* h, const char* key, int64_t v) {
        return set_attr(h, key, static_cast<std::int64_t>(v));
    };
    api.feature_set_bool = [](MpResultLayer* h, const char* key, int v) { return set_attr(h, key, v != 0); };
    api.feature_set_text = [](MpResultLayer* h, const char* key, const char* v) {
        if (!h) return MP_INVALID_ARGUMENT;
        return set_attr(h, key, clean_text(h->ctx, v));
    };
    api.feature_set_style = [](MpResultLayer* h, const char* color, double width) {
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
    };
    api.result_raster = [](Ctx* c, const char* name, size_t w, size_t h, const double gt[6], const char* crs,
                           const double* values, double nodata, const char* unit) {
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
        r.name = sanitize_utf8(n), r.width = w, r.height = h, r.crs = sanitize_utf8(crs), r.nodata = nodata;
        r.unit = sanitize_utf8(unit ? unit : "");
        std::copy(gt, gt + 6, r.geotransform.begin());
        r.values.assign(values, values + w * h);
        std::lock_guard lock(c->results_mu);
        c->result.rasters.push_back(std::move(r));
        return MP_OK;
    };
    api.result_table = [](Ctx* c, const char* name, const char* chart) -> MpResultTable* {
        Access a(c);
        if (!a.ok || !name || !*name) return nullptr;
        std::lock_guard lock(c->results_mu);
        mp::plugin::Table t;
        t.name = sanitize_utf8(name);
        t.chart_hint = chart ? chart : "";
        c->result.tables.push_back(std::move(t));
        std::lock_guard slock(c->storage_mu);
        c->table_handles.push_back({c, c->result.tables.size() - 1});
        return &c->table_handles.back();
    };
    api.table_number_column = [](MpResultTable* t, const char* name, const char* unit, const double* values, size_t n) {
        if (!t || !name || (n > 0 && !values)) return MP_INVALID_ARGUMENT;
        mp::plugin::Table::Column col;
        col.name = clean_text(t->ctx, name);
        col.unit = clean_text(t->ctx, unit);
        col.numeric = true;
        col.numbers.assign(values, values + n);
        return add_column(t, std::move(col));
    };
    api.table_text_column = [](MpResultTable* t, const char* name, const char* const* values, size_t n) {
        if (!t || !name || (n > 0 && !values)) return MP_INVALID_ARGUMENT;
        mp::plugin::Table::Column col;
        col.name = clean_text(t->ctx, name);
        col.numeric = false;
        for (size_t i = 0; i < n; ++i) col.texts.push_back(clean_text(t->ctx, values[i]));
        return add_column(t, std::move(col));
    };
    // ---- ABI 1.1 ----
    api.last_error = last_error;
    api.param_place = param_place;
    api.param_json = param_json;
    api.host_table_rows = host_table_rows;
    api.host_table_find = host_table_find;
    api.host_table_text = host_table_text;
    api.host_table_number = host_table_number;
    api.geod_inverse = geod_inverse;
    api.geod_direct = geod_direct;
    api.geod_circle = geod_circle;
    api.geod_buffer = geod_buffer;
    api.geod_measure = geod_measure;
    api.crs_transform = crs_transform;
    api.raster_open = raster_open;
    api.raster_info = raster_info;
    api.raster_read = raster_read;
    api.raster_close = raster_close;
    api.layer_load = layer_load;
    api.network_open = network_open;
    api.network_info = network_info;
    api.network_snap = network_snap;
    api.network_route = network_route;
    api.network_matrix = network_matrix;
    api.network_reach = network_reach;
    api.route_info = route_info;
    api.route_via = route_via;
    api.route_movement = route_movement;
    api.route_transfer = route_transfer;
    api.route_leg = route_leg;
    api.route_crossing = route_crossing;
    api.route_road_change = route_road_change;
    api.route_binding = route_binding;
    api.route_march_row = route_march_row;
    api.result_raster_typed = result_raster_typed;
    api.table_chart = table_chart;
    api.layer_role = layer_role;
    api.polygonize = polygonize;
    return api;
}

const MpHostApi kApi = make_api();

}  // namespace

const MpHostApi& host_api() { return kApi; }

}  // namespace mp::plugin::detail
