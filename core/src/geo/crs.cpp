// SPDX-License-Identifier: MIT
#include "mp/geo/crs.hpp"

#include <proj.h>

#include <cmath>
#include <limits>

#include "mp/core/error.hpp"

namespace mp::geo {

struct Transformer::Impl {
    PJ_CONTEXT* ctx = nullptr;
    PJ* pj = nullptr;
    ~Impl() {
        if (pj) proj_destroy(pj);
        if (ctx) proj_context_destroy(ctx);
    }
};

namespace {
std::string proj_error(PJ_CONTEXT* ctx) {
    const int code = proj_context_errno(ctx);
    const char* msg = proj_context_errno_string(ctx, code);
    return msg ? msg : "unknown PROJ error";
}
}  // namespace

Transformer::Transformer(const std::string& source_crs, const std::string& target_crs)
    : m_impl(std::make_unique<Impl>()), m_source(source_crs), m_target(target_crs) {
    m_impl->ctx = proj_context_create();
    proj_log_level(m_impl->ctx, PJ_LOG_NONE);
    PJ* raw = proj_create_crs_to_crs(m_impl->ctx, source_crs.c_str(), target_crs.c_str(), nullptr);
    if (!raw)
        throw InputError("cannot transform between CRSs: " + proj_error(m_impl->ctx),
                         "'" + source_crs + "' -> '" + target_crs + "'");
    // Normalised axis order: lon/lat and easting/northing, whatever the authority says.
    m_impl->pj = proj_normalize_for_visualization(m_impl->ctx, raw);
    proj_destroy(raw);
    if (!m_impl->pj)
        throw InputError("cannot normalise axis order: " + proj_error(m_impl->ctx),
                         "'" + source_crs + "' -> '" + target_crs + "'");
}

Transformer::~Transformer() = default;
Transformer::Transformer(Transformer&&) noexcept = default;
Transformer& Transformer::operator=(Transformer&&) noexcept = default;

namespace {
void trans(PJ* pj, PJ_DIRECTION dir, double& x, double& y, const std::string& what) {
    PJ_COORD c = proj_coord(x, y, 0, HUGE_VAL);
    PJ_COORD r = proj_trans(pj, dir, c);
    if (!std::isfinite(r.xy.x) || !std::isfinite(r.xy.y) || r.xy.x == HUGE_VAL)
        throw Error("coordinate cannot be transformed",
                    what + " at (" + std::to_string(x) + ", " + std::to_string(y) + ")");
    x = r.xy.x;
    y = r.xy.y;
}
}  // namespace

void Transformer::forward(double& x, double& y) const { trans(m_impl->pj, PJ_FWD, x, y, m_source + " -> " + m_target); }

void Transformer::inverse(double& x, double& y) const { trans(m_impl->pj, PJ_INV, x, y, m_target + " -> " + m_source); }

void Transformer::forward_many(std::vector<double>& x, std::vector<double>& y) const {
    const std::size_t n = std::min(x.size(), y.size());
    proj_trans_generic(m_impl->pj, PJ_FWD, x.data(), sizeof(double), n, y.data(), sizeof(double), n, nullptr, 0, 0,
                       nullptr, 0, 0);
    for (std::size_t i = 0; i < n; ++i) {
        if (x[i] == HUGE_VAL || y[i] == HUGE_VAL) x[i] = y[i] = std::numeric_limits<double>::infinity();
    }
}

ProjectedXY project(const LonLat& p, const std::string& target_crs) {
    Transformer t(kWgs84, target_crs);
    double x = lon(p), y = lat(p);
    t.forward(x, y);
    return {x, y};
}

LonLat unproject(const ProjectedXY& p, const std::string& source_crs) {
    Transformer t(source_crs, kWgs84);
    double x = p.x(), y = p.y();
    t.forward(x, y);
    return {x, y};
}

std::string describe_crs(const std::string& crs) {
    PJ_CONTEXT* ctx = proj_context_create();
    proj_log_level(ctx, PJ_LOG_NONE);
    std::string out = crs;
    if (PJ* pj = proj_create(ctx, crs.c_str())) {
        const char* auth = proj_get_id_auth_name(pj, 0);
        const char* code = proj_get_id_code(pj, 0);
        const char* name = proj_get_name(pj);
        if (auth && code) out = std::string(auth) + ":" + code + (name ? std::string(" ") + name : "");
        else if (name) out = name;
        proj_destroy(pj);
    }
    proj_context_destroy(ctx);
    return out;
}

}  // namespace mp::geo
