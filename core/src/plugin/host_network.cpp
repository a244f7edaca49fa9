// SPDX-License-Identifier: MIT
// Host services: the session's road and rail networks and routes over them. The engine
// is mp::network (Planner, Router); networks come from the process-wide cache of
// mp::network::service, so every run of a process (and every plugin) shares one graph and
// one prepared router per network. A route answer keeps the core's Plan and hands it out
// field by field into structs the plugin sizes (fill_sized).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <mutex>

#include "host_services.hpp"
#include "mp/core/error.hpp"
#include "mp/core/utf8.hpp"
#include "mp/network/planner.hpp"
#include "mp/network/service.hpp"

/// A network handle: the run that opened it and the shared network.
struct MpNetwork {
    MpRunContext* ctx = nullptr;
    std::shared_ptr<mp::network::SharedNetwork> net;
};

/// A route answer: the core's plan, and each leg's line as the flat arrays MpLegInfo.line
/// points at (made once, so reading a leg twice copies nothing).
struct MpRoute {
    struct Line {
        std::vector<double> xy;
        std::uint32_t end = 0;
    };
    MpRunContext* ctx = nullptr;
    mp::network::Plan plan;
    std::vector<std::vector<Line>> lines;  ///< [movement][leg]
};

namespace mp::plugin::detail {

namespace {

using Ctx = MpRunContext;
using network::CrossingMode;
using network::NetworkKind;
using network::Vehicle;

/// The run's progress for a core job: reports go to the run's Progress, and a cancel of
/// the run (by the user, or by the host after a timeout) cancels the job.
class RunProgress : public Progress {
public:
    explicit RunProgress(const Ctx* c) : m_ctx(c) { poll(); }
    void report(double fraction, std::string_view stage) override {
        if (m_ctx->progress) m_ctx->progress->report(std::clamp(fraction, 0.0, 1.0), stage);
        poll();
    }

private:
    void poll() {
        if (m_ctx->cancel_requested.load() || (m_ctx->progress && m_ctx->progress->cancelled())) cancel();
    }
    const Ctx* m_ctx;
};

void add_message(const Ctx* c, int level, std::string text) {
    auto* ctx = const_cast<Ctx*>(c);
    std::lock_guard lock(ctx->results_mu);
    ctx->result.messages.push_back({level, std::move(text)});
}

/// Keeps a handle alive until the run ends.
template <typename T>
T* keep_handle(const Ctx* c, std::shared_ptr<T> h) {
    auto* ctx = const_cast<Ctx*>(c);
    T* raw = h.get();
    std::lock_guard lock(ctx->storage_mu);
    ctx->handles.push_back(std::move(h));
    return raw;
}

std::string number_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

/// A string the plugin passed, quoted for a message (repaired when it is not UTF-8).
std::string quoted(const char* s) { return "'" + sanitize_utf8(s ? s : "") + "'"; }

const std::vector<Vehicle>& presets() {
    static const std::vector<Vehicle> p = network::default_vehicle_presets();
    return p;
}

/// The vehicle of a profile into q (vehicle and highest crossing mode); "" or why the
/// profile is malformed, naming the field and its value.
std::string read_vehicle(const MpVehicleProfile* in, network::QueryOptions& q) {
    if (!in) return {};
    if (in->struct_size < offsetof(MpVehicleProfile, mlc))
        return "vehicle profile: struct_size is " + std::to_string(in->struct_size) +
               " (set it to sizeof(MpVehicleProfile))";
    const MpVehicleProfile p = read_sized(in);
    Vehicle v{"custom", "custom vehicle", 0, false, 0, 0, 0, 0, 0, 0, ""};
    if (p.preset && *p.preset) {
        const auto& all = presets();
        const auto it = std::find_if(all.begin(), all.end(), [&](const Vehicle& x) { return x.id == p.preset; });
        if (it == all.end()) {
            std::string known;
            for (const auto& x : all) known += (known.empty() ? "" : ", ") + x.id;
            return "unknown vehicle preset " + quoted(p.preset) + " (known: " + known + ") (vehicle.preset)";
        }
        v = *it;
    }
    const std::pair<const char*, std::pair<double, double Vehicle::*>> figures[] = {
        {"mlc", {p.mlc, &Vehicle::mlc}},
        {"gross_weight_t", {p.gross_weight_t, &Vehicle::gross_weight_t}},
        {"axle_load_t", {p.axle_load_t, &Vehicle::axle_load_t}},
        {"height_m", {p.height_m, &Vehicle::height_m}},
        {"width_m", {p.width_m, &Vehicle::width_m}},
        {"length_m", {p.length_m, &Vehicle::length_m}},
        {"max_speed_kmh", {p.max_speed_kmh, &Vehicle::max_speed_kmh}}};
    for (const auto& [name, fv] : figures) {
        const auto [value, field] = fv;
        if (!std::isfinite(value) || value < 0)
            return "malformed vehicle: " + std::string(name) + " is " + number_text(value) +
                   ", a figure must be a number >= 0 (0: not given) (vehicle." + name + ")";
        if (value > 0) v.*field = value;
    }
    if (p.tracked < -1 || p.tracked > 1)
        return "malformed vehicle: tracked is " + std::to_string(p.tracked) +
               " (-1: as the preset, 0: wheeled, 1: tracked) (vehicle.tracked)";
    if (p.tracked >= 0) v.tracked = p.tracked == 1;
    if (p.highest_crossing < 0 || p.highest_crossing > 3)
        return "malformed vehicle: highest_crossing is " + std::to_string(p.highest_crossing) +
               " (0 or 1 normal, 2 caution, 3 risk) (vehicle.highest_crossing)";
    q.highest_crossing = p.highest_crossing <= 1 ? CrossingMode::Normal : static_cast<CrossingMode>(p.highest_crossing);
    q.vehicle = std::move(v);
    return {};
}

bool valid_lonlat(double lon, double lat) {
    return std::isfinite(lon) && std::isfinite(lat) && std::abs(lon) <= 180 && std::abs(lat) <= 90;
}

std::string point_text(double lon, double lat) { return number_text(lon) + "," + number_text(lat); }

/// A network handle the plugin passed: "" or why it cannot be used.
std::string check_network(const MpNetwork* n, const char* what, std::optional<NetworkKind> kind = std::nullopt) {
    if (!n || !n->net) return std::string(what) + " is NULL (open it with network_open)";
    if (kind && n->net->graph().kind != *kind)
        return std::string(what) + " is a " + std::string(network_kind_name(n->net->graph().kind)) + " network; a " +
               std::string(network_kind_name(*kind)) + " network is needed";
    return {};
}

/// Runs a core call and turns what it throws into a status and last_error.
template <typename Fn>
MpStatus guarded(const Ctx* c, const char* service, Fn&& fn) {
    try {
        return fn();
    } catch (const Cancelled&) {
        return fail(c, MP_CANCELLED, std::string(service) + ": cancelled");
    } catch (const InputError& e) {
        return fail(c, MP_INVALID_ARGUMENT, e.what());
    } catch (const UsageError& e) {
        return fail(c, MP_INVALID_ARGUMENT, e.what());
    } catch (const std::exception& e) {
        return fail(c, MP_ERROR, std::string(service) + " failed: " + e.what());
    }
}

/// Exclusive use of one or two networks' routers for a query, with their landmarks when
/// due (std::lock: two runs locking road and rail in either order cannot deadlock).
class Use {
public:
    Use(network::SharedNetwork* a, network::SharedNetwork* b) {
        if (a && b) {
            m_a = std::unique_lock(a->mutex(), std::defer_lock);
            m_b = std::unique_lock(b->mutex(), std::defer_lock);
            std::lock(m_a, m_b);
        } else if (a || b) {
            m_a = std::unique_lock((a ? a : b)->mutex());
        }
    }

private:
    std::unique_lock<std::mutex> m_a, m_b;
};

MpRoute::Line flat_line(const geo::LineString& l) {
    MpRoute::Line out;
    out.xy.reserve(2 * l.size());
    for (const auto& p : l) out.xy.insert(out.xy.end(), {geo::lon(p), geo::lat(p)});
    out.end = static_cast<std::uint32_t>(l.size());
    return out;
}

/// The answer kept until the run ends. Only what the accessors hand out is kept: each
/// line once (as the flat arrays), without the search's edge lists and cumulative
/// figures, which the march tables have already used. A plugin asking many questions in
/// one run (a travel-time study) keeps less memory, and later answers reuse warm memory
/// instead of fresh pages.
MpRoute* make_route(const Ctx* c, network::Plan plan) {
    auto r = std::make_shared<MpRoute>();
    r->ctx = const_cast<Ctx*>(c);
    r->plan = std::move(plan);
    r->lines.resize(r->plan.movements.size());
    for (std::size_t m = 0; m < r->plan.movements.size(); ++m)
        for (auto& leg : r->plan.movements[m].legs) {
            r->lines[m].push_back(flat_line(leg.path.line));
            geo::LineString().swap(leg.path.line);
            std::vector<std::uint32_t>().swap(leg.path.edges);
            std::vector<double>().swap(leg.path.cum_m);
            std::vector<double>().swap(leg.path.cum_s);
        }
    return keep_handle(c, std::move(r));
}

const network::Movement* movement_at(const MpRoute* r, std::size_t m, const char* service) {
    if (m < r->plan.movements.size()) return &r->plan.movements[m];
    fail(r->ctx, MP_NOT_FOUND,
         std::string(service) + ": movement " + std::to_string(m) + " of " + std::to_string(r->plan.movements.size()));
    return nullptr;
}

const network::Leg* leg_at(const MpRoute* r, std::size_t m, std::size_t l, const char* service) {
    const auto* mv = movement_at(r, m, service);
    if (!mv) return nullptr;
    if (l < mv->legs.size()) return &mv->legs[l];
    fail(r->ctx, MP_NOT_FOUND,
         std::string(service) + ": leg " + std::to_string(l) + " of " + std::to_string(mv->legs.size()) +
             " (movement " + std::to_string(m) + ")");
    return nullptr;
}

MpStatus index_fail(const MpRoute* r, const char* service, const char* what, std::size_t i, std::size_t n) {
    return fail(r->ctx, MP_NOT_FOUND,
                std::string(service) + ": " + what + " " + std::to_string(i) + " of " + std::to_string(n));
}

/// Names of a leg-item accessor for its messages.
struct ItemNames {
    const char* service;  ///< "route_crossing"
    const char* info;     ///< "MpCrossingInfo"
    const char* item;     ///< "crossing"
};

/// One item of a leg's list (its crossings, road changes or binding limits) into the
/// plugin's struct: the accessors differ only in the list and in how an item reads.
template <typename Info, typename Item, typename Make>
MpStatus leg_item(const MpRoute* route, std::size_t movement, std::size_t leg, std::size_t index, Info* out,
                  const ItemNames& names, std::vector<Item> network::Path::*list, Make make) {
    if (!route) return MP_INVALID_ARGUMENT;
    Access a(route->ctx);
    if (!a.ok) return MP_ERROR;
    if (!struct_ok(route->ctx, out, sizeof(std::uint32_t), names.info)) return MP_INVALID_ARGUMENT;
    const auto* l = leg_at(route, movement, leg, names.service);
    if (!l) return MP_NOT_FOUND;
    const auto& all = l->path.*list;
    if (index >= all.size()) return index_fail(route, names.service, names.item, index, all.size());
    fill_sized(out, make(all[index]));
    return MP_OK;
}

/// "parameter 'from'": how route errors name an input the plugin passed.
std::string param_where(const char* key, const char* fallback) {
    return "parameter '" + sanitize_utf8(key && *key ? key : fallback) + "'";
}

}  // namespace

// ---- networks ----

MpStatus network_open(MpRunContext* ctx, MpNetworkKind kind, const char* source, MpNetwork** out) {
    if (!ctx) return MP_INVALID_ARGUMENT;
    Access a(ctx);
    if (!a.ok) return MP_ERROR;
    if (!out) return fail(ctx, MP_INVALID_ARGUMENT, "network_open: out is NULL");
    *out = nullptr;
    const int k = raw_enum(kind);
    if (k != MP_NETWORK_ROAD && k != MP_NETWORK_RAIL)
        return fail(ctx, MP_INVALID_ARGUMENT, "network_open: kind is " + std::to_string(k) + " (road 0, rail 1)");
    const NetworkKind nk = k == MP_NETWORK_RAIL ? NetworkKind::Rail : NetworkKind::Road;
    const std::string name(network_kind_name(nk));
    const std::string src = source && *source ? sanitize_utf8(source) : (nk == NetworkKind::Rail ? "rail" : "roads");
    return guarded(ctx, "network_open", [&] {
        RunProgress progress(ctx);
        std::shared_ptr<network::SharedNetwork> net;
        const std::size_t n = layer_total(ctx);
        for (std::size_t i = 0; i < n && !net; ++i)
            if (const auto* l = layer_at(ctx, i); l && l->name == src)
                net = network::shared_network_from_layer(*l, nk, progress);
        if (!net) {
            std::error_code ec;
            if (!std::filesystem::exists(src, ec)) {
                std::string layers;
                for (std::size_t i = 0; i < n; ++i) layers += (layers.empty() ? "" : ", ") + layer_at(ctx, i)->name;
                return fail(ctx, MP_NOT_FOUND,
                            "no " + name + " network " + quoted(src.c_str()) + ": not a loaded layer (layers: " +
                                (layers.empty() ? "none" : layers) + ") and no such file (network_open source)");
            }
            if (!std::filesystem::is_regular_file(src, ec))
                return fail(
                    ctx, MP_INVALID_ARGUMENT,
                    name + " network file " + quoted(src.c_str()) + " is not a regular file (network_open source)");
            std::vector<network::BuildMessage> messages;
            try {
                net = network::shared_network_from_file(src, nk, progress, &messages);
            } catch (...) {
                for (auto& m : messages) add_message(ctx, m.warning ? 1 : 0, std::move(m.text));
                throw;
            }
            for (auto& m : messages) add_message(ctx, m.warning ? 1 : 0, std::move(m.text));
        }
        net->count_use();
        auto h = std::make_shared<MpNetwork>();
        h->ctx = ctx;
        h->net = std::move(net);
        *out = keep_handle(ctx, std::move(h));
        return MP_OK;
    });
}

MpStatus network_info(const MpNetwork* network, MpNetworkInfo* out) {
    if (!network || !network->net) return MP_INVALID_ARGUMENT;
    Access a(network->ctx);
    if (!a.ok) return MP_ERROR;
    if (!struct_ok(network->ctx, out, sizeof(std::uint32_t), "MpNetworkInfo")) return MP_INVALID_ARGUMENT;
    const auto& g = network->net->graph();
    MpNetworkInfo info{};
    info.kind = g.kind == NetworkKind::Rail ? MP_NETWORK_RAIL : MP_NETWORK_ROAD;
    info.nodes = g.nodes();
    info.edges = g.edges();
    info.forbidden_turns = g.forbidden_turns.size();
    info.length_km = network->net->length_km();
    info.source = network->net->source().c_str();
    fill_sized(out, info);
    return MP_OK;
}

MpStatus network_snap(MpNetwork* network, const MpVehicleProfile* vehicle, double lon, double lat, double max_m,
                      double* snap_lon, double* snap_lat, double* distance_m) {
    if (!network || !network->net) return MP_INVALID_ARGUMENT;
    Ctx* ctx = network->ctx;
    Access a(ctx);
    if (!a.ok) return MP_ERROR;
    if (!snap_lon || !snap_lat) return fail(ctx, MP_INVALID_ARGUMENT, "network_snap: snap_lon and snap_lat are NULL");
    if (!valid_lonlat(lon, lat))
        return fail(ctx, MP_INVALID_ARGUMENT,
                    "network_snap: point " + point_text(lon, lat) + " is not lon,lat in degrees (lon, lat)");
    if (!std::isfinite(max_m) || max_m < 0)
        return fail(ctx, MP_INVALID_ARGUMENT, "network_snap: max_m is " + number_text(max_m) + " (max_m)");
    network::QueryOptions q;
    if (auto why = read_vehicle(vehicle, q); !why.empty()) return fail(ctx, MP_INVALID_ARGUMENT, why);
    const double limit = max_m > 0 ? max_m : 5000;
    return guarded(ctx, "network_snap", [&] {
        Use use(network->net.get(), nullptr);
        const network::Snap s = network->net->router().snap(geo::lonlat(lon, lat), q, limit);
        if (s.segment == network::kNone)
            return fail(ctx, MP_INFEASIBLE,
                        "no " + std::string(network_kind_name(network->net->graph().kind)) + " line " +
                            (q.vehicle ? "vehicle '" + q.vehicle->id + "' may use " : std::string()) + "within " +
                            number_text(limit) + " m of " + point_text(lon, lat));
        *snap_lon = geo::lon(s.point);
        *snap_lat = geo::lat(s.point);
        if (distance_m) *distance_m = s.distance_m;
        return MP_OK;
    });
}

MpStatus network_route(MpRunContext* ctx, const MpRouteRequest* request, MpRoute** out) {
    if (!ctx) return MP_INVALID_ARGUMENT;
    Access a(ctx);
    if (!a.ok) return MP_ERROR;
    if (!out) return fail(ctx, MP_INVALID_ARGUMENT, "network_route: out is NULL");
    *out = nullptr;
    if (!struct_ok(ctx, request, offsetof(MpRouteRequest, march) + sizeof(request->march), "MpRouteRequest"))
        return MP_INVALID_ARGUMENT;
    const MpRouteRequest rq = read_sized(request);
    auto bad = [&](const std::string& why) { return fail(ctx, MP_INVALID_ARGUMENT, "route request: " + why); };

    network::PlanRequest req;
    req.from_where = param_where(rq.from_param, "from");
    req.to_where = param_where(rq.to_param, "to");
    req.via_where = param_where(rq.via_param, "via");
    req.mode_where = "parameter 'mode'";
    if (!rq.from || !*rq.from) return fail(ctx, MP_INVALID_ARGUMENT, "no origin given (" + req.from_where + ")");
    if (!rq.to || !*rq.to) return fail(ctx, MP_INVALID_ARGUMENT, "no destination given (" + req.to_where + ")");
    req.from = sanitize_utf8(rq.from);
    req.to = sanitize_utf8(rq.to);
    if (rq.n_vias > 0 && !rq.vias) return bad("vias is NULL with n_vias " + std::to_string(rq.n_vias));
    for (std::size_t i = 0; i < rq.n_vias; ++i) {
        if (!rq.vias[i] || !*rq.vias[i])
            return fail(ctx, MP_INVALID_ARGUMENT,
                        "via point " + std::to_string(i + 1) + " is empty (" + req.via_where + ")");
        req.vias.push_back(sanitize_utf8(rq.vias[i]));
    }
    switch (const int mode = raw_enum(rq.mode)) {
        case MP_TRAVEL_ROAD: req.mode = network::TravelMode::Road; break;
        case MP_TRAVEL_RAIL: req.mode = network::TravelMode::Rail; break;
        case MP_TRAVEL_MULTIMODAL: req.mode = network::TravelMode::Multimodal; break;
        default: return bad("mode is " + std::to_string(mode) + " (road 0, rail 1, multimodal 2)");
    }
    const int metric = raw_enum(rq.metric);
    if (metric != MP_METRIC_FASTEST && metric != MP_METRIC_SHORTEST)
        return bad("metric is " + std::to_string(metric) + " (fastest 0, shortest 1)");
    req.options.metric = metric == MP_METRIC_SHORTEST ? network::Metric::Shortest : network::Metric::Fastest;
    if (rq.road)
        if (auto why = check_network(rq.road, "road", NetworkKind::Road); !why.empty()) return bad(why);
    if (rq.rail)
        if (auto why = check_network(rq.rail, "rail", NetworkKind::Rail); !why.empty()) return bad(why);
    if (auto why = read_vehicle(rq.vehicle, req.options); !why.empty()) return fail(ctx, MP_INVALID_ARGUMENT, why);
    if (rq.n_avoid > 0 && !rq.avoid) return bad("avoid is NULL with n_avoid " + std::to_string(rq.n_avoid));
    for (std::size_t i = 0; i < rq.n_avoid; ++i) {
        geo::Geometry g;
        const std::string why = convert_geometry(&rq.avoid[i], g);
        if (!why.empty()) return bad("avoid[" + std::to_string(i) + "]: " + why);
        if (auto* p = std::get_if<geo::Polygon>(&g)) req.options.avoid.push_back(*p);
        else if (auto* mp = std::get_if<geo::MultiPolygon>(&g))
            req.options.avoid.insert(req.options.avoid.end(), mp->begin(), mp->end());
        else return bad("avoid[" + std::to_string(i) + "] is not a polygon or multipolygon");
    }
    req.alternatives = std::max<std::size_t>(1, rq.alternatives);
    if (req.alternatives > 20) return bad("alternatives is " + std::to_string(rq.alternatives) + " (at most 20)");
    if (!(rq.max_overlap >= 0 && rq.max_overlap <= 1))
        return bad("max_overlap is " + number_text(rq.max_overlap) + " (a share in (0, 1]; 0: 0.5)");
    req.max_overlap = rq.max_overlap > 0 ? rq.max_overlap : 0.5;
    if (std::isnan(rq.transfer_h) || rq.transfer_h > 1000)
        return bad("transfer_h is " + number_text(rq.transfer_h) + " (hours; < 0: 4)");
    req.default_transfer_h = rq.transfer_h < 0 ? 4 : rq.transfer_h;
    if (!(rq.max_snap_m >= 0) || !std::isfinite(rq.max_snap_m))
        return bad("max_snap_m is " + number_text(rq.max_snap_m) + " (metres; 0: 25 km)");
    req.max_snap_m = rq.max_snap_m > 0 ? rq.max_snap_m : 25'000;
    if (rq.march) {
        if (rq.march->struct_size < offsetof(MpMarchParams, vehicle_length_m))
            return bad("march.struct_size is " + std::to_string(rq.march->struct_size) +
                       " (set it to sizeof(MpMarchParams))");
        const MpMarchParams m = read_sized(rq.march);
        const std::pair<const char*, double> figures[] = {{"interval_m", m.interval_m},
                                                          {"density_per_km", m.density_per_km},
                                                          {"march_speed_kmh", m.march_speed_kmh},
                                                          {"halt_every_h", m.halt_every_h},
                                                          {"halt_min", m.halt_min},
                                                          {"vehicle_length_m", m.vehicle_length_m}};
        for (const auto& [name, value] : figures)
            if (!std::isfinite(value) || value < 0)
                return bad("march." + std::string(name) + " is " + number_text(value) + " (a number >= 0)");
        if (m.vehicles < 0) return bad("march.vehicles is " + std::to_string(m.vehicles) + " (>= 0)");
        req.march.vehicles = m.vehicles;
        req.march.interval_m = m.interval_m;
        req.march.density_per_km = m.density_per_km;
        req.march.march_speed_kmh = m.march_speed_kmh;
        req.march.halt_every_h = m.halt_every_h;
        req.march.halt_min = m.halt_min;
        if (m.start && *m.start) req.march.start_time = sanitize_utf8(m.start);
        req.march.vehicle_length_m = m.vehicle_length_m;
        req.march.start_where = "march.start";
        req.march.speed_where = "march.march_speed_kmh";
    }

    network::SharedNetwork* road = rq.road ? rq.road->net.get() : nullptr;
    network::SharedNetwork* rail = rq.rail ? rq.rail->net.get() : nullptr;
    return guarded(ctx, "network_route", [&] {
        Use use(road, rail);
        RunProgress progress(ctx);
        if (road) road->prepare_if_due(progress);
        if (rail) rail->prepare_if_due(progress);
        network::Planner planner(road ? &road->router() : nullptr, rail ? &rail->router() : nullptr,
                                 &ctx->ws->catalogue);
        auto plan = planner.plan(req);
        if (plan) {
            *out = make_route(ctx, std::move(plan.value()));
            return MP_OK;
        }
        // No route for this question: an answer with the places and no movement, and the
        // planner's reason (which names the binding restriction) as the error.
        network::Plan empty;
        std::tie(empty.from_label, empty.from) = planner.locate(req.from, req.from_where);
        std::tie(empty.to_label, empty.to) = planner.locate(req.to, req.to_where);
        for (const auto& v : req.vias) empty.vias.push_back(planner.locate(v, req.via_where));
        empty.mode = req.mode;
        empty.metric = req.options.metric;
        empty.profile = req.options.vehicle ? req.options.vehicle->id : "unrestricted";
        *out = make_route(ctx, std::move(empty));
        return fail(ctx, MP_INFEASIBLE, plan.reason());
    });
}

MpStatus network_matrix(MpNetwork* network, const MpVehicleProfile* vehicle, MpMetric metric, const double* from_xy,
                        size_t n_from, const double* to_xy, size_t n_to, double* duration_s, double* distance_m) {
    if (!network || !network->net) return MP_INVALID_ARGUMENT;
    Ctx* ctx = network->ctx;
    Access a(ctx);
    if (!a.ok) return MP_ERROR;
    auto bad = [&](const std::string& why) { return fail(ctx, MP_INVALID_ARGUMENT, "network_matrix: " + why); };
    if (n_from == 0 || n_to == 0)
        return bad("no points (n_from " + std::to_string(n_from) + ", n_to " + std::to_string(n_to) + ")");
    if (!from_xy || !to_xy || !duration_s) return bad("from_xy, to_xy and duration_s must not be NULL");
    if (n_from > 100'000 || n_to > 100'000 || n_from * n_to > 10'000'000)
        return bad(std::to_string(n_from) + " x " + std::to_string(n_to) + " pairs (at most 10 million)");
    const int metric_value = raw_enum(metric);
    if (metric_value != MP_METRIC_FASTEST && metric_value != MP_METRIC_SHORTEST)
        return bad("metric is " + std::to_string(metric_value) + " (fastest 0, shortest 1)");
    for (const auto& [xy, n, name] : {std::tuple{from_xy, n_from, "from_xy"}, std::tuple{to_xy, n_to, "to_xy"}})
        for (std::size_t i = 0; i < n; ++i)
            if (!valid_lonlat(xy[2 * i], xy[2 * i + 1]))
                return bad(std::string(name) + " point " + std::to_string(i) + " is " +
                           point_text(xy[2 * i], xy[2 * i + 1]) + ", not lon,lat in degrees");
    network::QueryOptions q;
    q.metric = metric_value == MP_METRIC_SHORTEST ? network::Metric::Shortest : network::Metric::Fastest;
    if (auto why = read_vehicle(vehicle, q); !why.empty()) return fail(ctx, MP_INVALID_ARGUMENT, why);
    return guarded(ctx, "network_matrix", [&] {
        Use use(network->net.get(), nullptr);
        RunProgress progress(ctx);
        network->net->prepare_if_due(progress);
        network::Router& r = network->net->router();
        if (q.vehicle && r.prepared(network::Metric::Fastest)) {
            network::QueryOptions vq = q;  // as Planner::plan: the vehicle's own landmarks
            vq.metric = network::Metric::Fastest;
            r.customise(vq);
        }
        // Each point is snapped once, as a route's ends are (Planner: within 25 km).
        auto snap_all = [&](const double* xy, std::size_t n) {
            std::vector<network::Snap> s;
            s.reserve(n);
            for (std::size_t i = 0; i < n; ++i) s.push_back(r.snap(geo::lonlat(xy[2 * i], xy[2 * i + 1]), q, 25'000));
            return s;
        };
        const auto from = snap_all(from_xy, n_from), to = snap_all(to_xy, n_to);
        // TODO(#13): one search per origin (a one-to-many Dijkstra/ALT settling every
        // target) instead of one exact point-to-point query per pair.
        for (std::size_t i = 0; i < n_from; ++i) {
            progress.report(static_cast<double>(i) / n_from, "travel-time matrix");
            if (progress.cancelled()) throw Cancelled();
            for (std::size_t j = 0; j < n_to; ++j) {
                double d = INFINITY, t = INFINITY;
                if (from[i].segment != network::kNone && to[j].segment != network::kNone)
                    if (auto p = r.route(from[i], to[j], q)) d = p->distance_m, t = p->duration_s;
                duration_s[i * n_to + j] = t;
                if (distance_m) distance_m[i * n_to + j] = d;
            }
        }
        return MP_OK;
    });
}

MpStatus network_reach(MpNetwork* network, const MpVehicleProfile* vehicle, const char* from, double limit_s,
                       MpGeometry* area, MpGeometry* roads, size_t* nodes) {
    if (!network || !network->net) return MP_INVALID_ARGUMENT;
    Ctx* ctx = network->ctx;
    Access a(ctx);
    if (!a.ok) return MP_ERROR;
    const std::string where = "parameter 'from'";
    if (!area) return fail(ctx, MP_INVALID_ARGUMENT, "network_reach: area is NULL");
    if (!from || !*from) return fail(ctx, MP_INVALID_ARGUMENT, "network_reach: no origin given (" + where + ")");
    if (!std::isfinite(limit_s) || limit_s <= 0 || limit_s > 7 * 86400.0)
        return fail(ctx, MP_INVALID_ARGUMENT,
                    "network_reach: limit_s is " + number_text(limit_s) + " (seconds, > 0, at most a week)");
    network::QueryOptions q;
    if (auto why = read_vehicle(vehicle, q); !why.empty()) return fail(ctx, MP_INVALID_ARGUMENT, why);
    return guarded(ctx, "network_reach", [&] {
        const network::Planner places(static_cast<network::Router*>(nullptr), nullptr, &ctx->ws->catalogue);
        // (not a structured binding: ADL would find boost::geometry::get for the pair)
        const auto located = places.locate(sanitize_utf8(from), where);
        const std::string& label = located.first;
        const geo::LonLat& p = located.second;
        Use use(network->net.get(), nullptr);
        network::Router& r = network->net->router();
        // As Planner::reach: the origin within 25 km of a usable line, 1 km cells.
        const network::Snap s = r.snap(p, q, 25'000);
        if (s.segment == network::kNone)
            throw InputError("no usable " + std::string(network_kind_name(r.graph().kind)) +
                                 " line within 25 km of the reach origin " + label,
                             where);
        const network::Isochrone iso = r.isochrone(s, limit_s, q, 1000);
        fill_geometry(ctx, iso.area, area);
        if (roads) fill_geometry(ctx, iso.reachable, roads);
        if (nodes) *nodes = iso.nodes;
        return MP_OK;
    });
}

// ---- route answers ----

MpStatus route_info(const MpRoute* route, MpRouteInfo* out) {
    if (!route) return MP_INVALID_ARGUMENT;
    Access a(route->ctx);
    if (!a.ok) return MP_ERROR;
    if (!struct_ok(route->ctx, out, sizeof(std::uint32_t), "MpRouteInfo")) return MP_INVALID_ARGUMENT;
    const auto& p = route->plan;
    MpRouteInfo info{};
    info.movements = p.movements.size();
    info.vias = p.vias.size();
    info.from_label = p.from_label.c_str();
    info.to_label = p.to_label.c_str();
    info.from_lon = geo::lon(p.from), info.from_lat = geo::lat(p.from);
    info.to_lon = geo::lon(p.to), info.to_lat = geo::lat(p.to);
    info.profile = p.profile.c_str();
    info.mode = p.mode == network::TravelMode::Rail         ? MP_TRAVEL_RAIL
                : p.mode == network::TravelMode::Multimodal ? MP_TRAVEL_MULTIMODAL
                                                            : MP_TRAVEL_ROAD;
    info.metric = p.metric == network::Metric::Shortest ? MP_METRIC_SHORTEST : MP_METRIC_FASTEST;
    fill_sized(out, info);
    return MP_OK;
}

MpStatus route_via(const MpRoute* route, size_t via, const char** label, double* lon, double* lat) {
    if (!route) return MP_INVALID_ARGUMENT;
    Access a(route->ctx);
    if (!a.ok) return MP_ERROR;
    const auto& vias = route->plan.vias;
    if (via >= vias.size()) return index_fail(route, "route_via", "via", via, vias.size());
    if (label) *label = vias[via].first.c_str();
    if (lon) *lon = geo::lon(vias[via].second);
    if (lat) *lat = geo::lat(vias[via].second);
    return MP_OK;
}

MpStatus route_movement(const MpRoute* route, size_t movement, MpMovementInfo* out) {
    if (!route) return MP_INVALID_ARGUMENT;
    Access a(route->ctx);
    if (!a.ok) return MP_ERROR;
    if (!struct_ok(route->ctx, out, sizeof(std::uint32_t), "MpMovementInfo")) return MP_INVALID_ARGUMENT;
    const auto* m = movement_at(route, movement, "route_movement");
    if (!m) return MP_NOT_FOUND;
    MpMovementInfo info{};
    info.distance_m = m->distance_m;
    info.duration_s = m->duration_s;
    info.transfer_s = m->transfer_s;
    info.legs = m->legs.size();
    info.transfers = m->transfers.size();
    if (m->march) {
        info.march_rows = m->march->rows.size();
        info.column_length_m = m->march->column_length_m;
        info.pass_time_s = m->march->pass_time_s;
        info.march_total_s = m->march->total_s;
        info.halts = m->march->halts;
    }
    fill_sized(out, info);
    return MP_OK;
}

MpStatus route_transfer(const MpRoute* route, size_t movement, size_t transfer, const char** site_id, double* lon,
                        double* lat) {
    if (!route) return MP_INVALID_ARGUMENT;
    Access a(route->ctx);
    if (!a.ok) return MP_ERROR;
    const auto* m = movement_at(route, movement, "route_transfer");
    if (!m) return MP_NOT_FOUND;
    if (transfer >= m->transfers.size())
        return index_fail(route, "route_transfer", "transfer", transfer, m->transfers.size());
    const auto& t = m->transfers[transfer];
    if (site_id) *site_id = t.first.c_str();
    if (lon) *lon = geo::lon(t.second);
    if (lat) *lat = geo::lat(t.second);
    return MP_OK;
}

MpStatus route_leg(const MpRoute* route, size_t movement, size_t leg, MpLegInfo* out) {
    if (!route) return MP_INVALID_ARGUMENT;
    Access a(route->ctx);
    if (!a.ok) return MP_ERROR;
    if (!struct_ok(route->ctx, out, sizeof(std::uint32_t), "MpLegInfo")) return MP_INVALID_ARGUMENT;
    const auto* l = leg_at(route, movement, leg, "route_leg");
    if (!l) return MP_NOT_FOUND;
    const auto& line = route->lines[movement][leg];
    MpLegInfo info{};
    info.network = l->network == NetworkKind::Rail ? MP_NETWORK_RAIL : MP_NETWORK_ROAD;
    info.from_label = l->from_label.c_str();
    info.to_label = l->to_label.c_str();
    info.from_lon = geo::lon(l->from), info.from_lat = geo::lat(l->from);
    info.to_lon = geo::lon(l->to), info.to_lat = geo::lat(l->to);
    info.distance_m = l->path.distance_m;
    info.duration_s = l->path.duration_s;
    info.line = MpGeometry{MP_GEOM_LINESTRING, line.xy.data(), line.xy.size() / 2, &line.end, 1, nullptr, 0};
    info.crossings = l->path.crossings.size();
    info.road_changes = l->path.road_changes.size();
    info.binding = l->path.binding.size();
    info.settled = l->path.settled;
    fill_sized(out, info);
    return MP_OK;
}

MpStatus route_crossing(const MpRoute* route, size_t movement, size_t leg, size_t index, MpCrossingInfo* out) {
    return leg_item(route, movement, leg, index, out, {"route_crossing", "MpCrossingInfo", "crossing"},
                    &network::Path::crossings, [](const network::Crossing& c) {
                        MpCrossingInfo info{};
                        info.label = c.label.c_str();
                        info.mode = static_cast<int>(c.mode);
                        info.posted_mlc = c.posted_mlc;
                        info.vehicle_mlc = c.vehicle_mlc;
                        info.route_km = c.route_km;
                        info.length_m = c.length_m;
                        info.lon = geo::lon(c.where), info.lat = geo::lat(c.where);
                        return info;
                    });
}

MpStatus route_road_change(const MpRoute* route, size_t movement, size_t leg, size_t index, MpRoadChangeInfo* out) {
    return leg_item(route, movement, leg, index, out, {"route_road_change", "MpRoadChangeInfo", "road change"},
                    &network::Path::road_changes, [](const network::RoadChange& c) {
                        MpRoadChangeInfo info{};
                        info.route_km = c.route_km;
                        info.ref = c.ref.c_str();
                        info.name = c.name.c_str();
                        info.lon = geo::lon(c.where), info.lat = geo::lat(c.where);
                        return info;
                    });
}

MpStatus route_binding(const MpRoute* route, size_t movement, size_t leg, size_t index, MpBindingInfo* out) {
    return leg_item(route, movement, leg, index, out, {"route_binding", "MpBindingInfo", "binding limit"},
                    &network::Path::binding, [](const network::BindingLimit& b) {
                        MpBindingInfo info{};
                        info.quantity = b.quantity.c_str();
                        info.limit = b.limit;
                        info.vehicle = b.vehicle;
                        info.label = b.label.c_str();
                        return info;
                    });
}

MpStatus route_march_row(const MpRoute* route, size_t movement, size_t row, MpMarchRow* out) {
    if (!route) return MP_INVALID_ARGUMENT;
    Access a(route->ctx);
    if (!a.ok) return MP_ERROR;
    if (!struct_ok(route->ctx, out, sizeof(std::uint32_t), "MpMarchRow")) return MP_INVALID_ARGUMENT;
    const auto* m = movement_at(route, movement, "route_march_row");
    if (!m) return MP_NOT_FOUND;
    const std::size_t n = m->march ? m->march->rows.size() : 0;
    if (row >= n) return index_fail(route, "route_march_row", "march table row", row, n);
    const auto& r = m->march->rows[row];
    MpMarchRow info{};
    info.leg = r.leg;
    info.checkpoint = r.checkpoint.c_str();
    info.km = r.km;
    info.head_arrival_s = r.head_arrival_s;
    info.tail_clear_s = r.tail_clear_s;
    info.head_arrival = r.head_arrival.c_str();
    info.tail_clear = r.tail_clear.c_str();
    fill_sized(out, info);
    return MP_OK;
}

}  // namespace mp::plugin::detail
