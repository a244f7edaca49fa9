// SPDX-License-Identifier: MIT
#include "mp/network/planner.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <regex>

#include "mp/geo/geodesic.hpp"

namespace mp::network {

std::string_view travel_mode_name(TravelMode m) {
    switch (m) {
        case TravelMode::Road: return "road";
        case TravelMode::Rail: return "rail";
        case TravelMode::Multimodal: return "multimodal";
    }
    return "road";
}

std::optional<TravelMode> parse_travel_mode(std::string_view s) {
    if (s == "road") return TravelMode::Road;
    if (s == "rail") return TravelMode::Rail;
    if (s == "multimodal") return TravelMode::Multimodal;
    return std::nullopt;
}

Planner::Planner(const Graph* road, const Graph* rail, const sites::Catalogue* catalogue) : m_catalogue(catalogue) {
    if (road) m_own_road = std::make_unique<Router>(*road);
    if (rail) m_own_rail = std::make_unique<Router>(*rail);
    m_road = m_own_road.get();
    m_rail = m_own_rail.get();
}

Planner::Planner(Router* road, Router* rail, const sites::Catalogue* catalogue)
    : m_catalogue(catalogue), m_road(road), m_rail(rail) {}

Planner::~Planner() = default;

void Planner::prepare(Progress& progress) {
    if (m_road) m_road->prepare(Metric::Fastest, 12, 2, progress);
    if (m_rail) m_rail->prepare(Metric::Fastest, 8, 2, progress);
}

std::pair<std::string, geo::LonLat> Planner::locate(const std::string& text, const std::string& where) const {
    // Also the shortest form the host writes place labels in ("1e-05,51.2").
    static const std::regex coord(
        R"(^\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*,\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*$)");
    std::smatch m;
    if (std::regex_match(text, m, coord)) {
        const double lon = std::stod(m[1]), lat = std::stod(m[2]);
        if (lon < -180 || lon > 180 || lat < -90 || lat > 90)
            throw InputError("coordinates out of range (lon,lat expected): " + text, where);
        return {text, geo::lonlat(lon, lat)};
    }
    if (!m_catalogue) throw InputError("no site catalogue to look up '" + text + "'", where);
    auto site = m_catalogue->find(text);
    if (!site) throw InputError(site.reason(), where);
    return {(*site)->id, (*site)->anchor()};
}

Result<Path> Planner::leg(Router& r, const geo::LonLat& a, const geo::LonLat& b, const QueryOptions& q, double max_snap,
                          const End& from, const End& to) {
    const Snap sa = r.snap(a, q, max_snap);
    const Snap sb = r.snap(b, q, max_snap);
    const std::string net(network_kind_name(r.graph().kind));
    for (const auto& [snap, end] : {std::pair{&sa, &from}, std::pair{&sb, &to}})
        if (snap->segment == kNone)
            throw InputError(
                "no usable " + net + " line within " + std::to_string(int(max_snap / 1000)) + " km of " + end->what,
                end->where);
    return r.route(sa, sb, q);
}

namespace {

double transfer_hours(const sites::Site& s, double fallback) {
    for (const char* k : {"transfer_time_h", "loading_time_h"})
        if (auto v = s.attributes.number(k); v && *v > 0) return *v;
    return fallback;
}

}  // namespace

Result<Plan> Planner::plan(const PlanRequest& req) {
    if (m_road && req.options.vehicle && m_road->prepared(Metric::Fastest)) {
        QueryOptions vq = req.options;
        vq.metric = Metric::Fastest;
        m_road->customise(vq);
    }
    Plan plan;
    plan.mode = req.mode;
    plan.metric = req.options.metric;
    plan.profile = req.options.vehicle ? req.options.vehicle->id : "unrestricted";
    const auto from_loc = locate(req.from, req.from_where);
    const auto to_loc = locate(req.to, req.to_where);
    const std::string& fl = from_loc.first;
    const geo::LonLat& fp = from_loc.second;
    const std::string& tl = to_loc.first;
    const geo::LonLat& tp = to_loc.second;
    plan.from_label = fl;
    plan.from = fp;
    plan.to_label = tl;
    plan.to = tp;
    for (const auto& v : req.vias) plan.vias.push_back(locate(v, req.via_where));

    std::vector<std::pair<std::string, geo::LonLat>> stops{{fl, fp}};
    for (const auto& v : plan.vias) stops.push_back(v);
    stops.push_back({tl, tp});

    auto finish = [&](Movement& mv) {
        for (const auto& l : mv.legs) {
            mv.distance_m += l.path.distance_m;
            mv.duration_s += l.path.duration_s;
        }
        mv.duration_s += mv.transfer_s;
        if (req.march.vehicles > 0) mv.march = march_table(mv, req.march, req.options.vehicle, req.options.rules);
    };

    if (req.mode == TravelMode::Road || req.mode == TravelMode::Rail) {
        const bool rail = req.mode == TravelMode::Rail;
        Router* r = rail ? m_rail : m_road;
        if (!r) throw InputError(std::string("no ") + (rail ? "rail" : "road") + " network loaded", req.mode_where);
        QueryOptions q = req.options;
        if (rail) q.vehicle.reset();  // rail lines carry no road vehicle limits
        if (stops.size() == 2 && req.alternatives > 1 && !rail) {
            const Snap sa = r->snap(fp, q, req.max_snap_m), sb = r->snap(tp, q, req.max_snap_m);
            if (sa.segment == kNone || sb.segment == kNone)
                throw InputError("no usable road within " + std::to_string(int(req.max_snap_m / 1000)) + " km",
                                 sa.segment == kNone ? req.from_where : req.to_where);
            auto alts = r->alternatives(sa, sb, q, req.alternatives, req.max_overlap);
            if (!alts) return Result<Plan>::failure(alts.reason());
            for (auto& p : alts.value()) {
                Movement mv;
                mv.legs.push_back({r->graph().kind, fl, tl, fp, tp, std::move(p)});
                finish(mv);
                plan.movements.push_back(std::move(mv));
            }
            return plan;
        }
        Movement mv;
        for (std::size_t i = 0; i + 1 < stops.size(); ++i) {
            const End from = i == 0 ? End{req.from_where, "the origin"} : End{req.via_where, "the via point"};
            const End to =
                i + 2 == stops.size() ? End{req.to_where, "the destination"} : End{req.via_where, "the via point"};
            auto p = leg(*r, stops[i].second, stops[i + 1].second, q, req.max_snap_m, from, to);
            if (!p)
                return Result<Plan>::failure("leg " + std::to_string(i + 1) + " (" + stops[i].first + " to " +
                                             stops[i + 1].first + "): " + p.reason());
            mv.legs.push_back({r->graph().kind, stops[i].first, stops[i + 1].first, stops[i].second,
                               stops[i + 1].second, std::move(p.value())});
        }
        finish(mv);
        plan.movements.push_back(std::move(mv));
        return plan;
    }

    // Multimodal: road to a rail terminal, rail, road from a terminal. Every pair of
    // terminals is tried; the fastest total (with transfer times) wins.
    if (!m_road || !m_rail)
        throw InputError("multimodal planning needs both a road and a rail network", req.mode_where);
    if (!m_catalogue) throw InputError("multimodal planning needs the site catalogue (rail terminals)", req.mode_where);
    if (!plan.vias.empty()) throw InputError("via points are not supported in multimodal mode", req.via_where);
    const auto terminals = m_catalogue->of_kind(sites::SiteKind::RailTerminal);
    if (terminals.empty()) throw InputError("no rail terminals (sites of kind rail_terminal) loaded", req.mode_where);
    QueryOptions road_q = req.options;
    QueryOptions rail_q = req.options;
    rail_q.vehicle.reset();
    rail_q.avoid.clear();
    rail_q.metric = Metric::Fastest;
    road_q.metric = Metric::Fastest;
    const Snap so = m_road->snap(fp, road_q, req.max_snap_m), sd = m_road->snap(tp, road_q, req.max_snap_m);
    if (so.segment == kNone) throw InputError("no usable road near the origin", req.from_where);
    if (sd.segment == kNone) throw InputError("no usable road near the destination", req.to_where);
    struct Term {
        const sites::Site* site;
        Snap road, rail;
        std::optional<Path> in, out;
    };
    std::vector<Term> ts;
    for (const auto* t : terminals) {
        Term x{t, m_road->snap(t->anchor(), road_q, 10'000), m_rail->snap(t->anchor(), rail_q, 10'000), {}, {}};
        if (x.road.segment == kNone || x.rail.segment == kNone) continue;
        if (auto p = m_road->route(so, x.road, road_q)) x.in = std::move(p.value());
        if (auto p = m_road->route(x.road, sd, road_q)) x.out = std::move(p.value());
        ts.push_back(std::move(x));
    }
    double best = INFINITY;
    std::optional<Movement> best_mv;
    for (auto& a : ts) {
        if (!a.in) continue;
        for (auto& b : ts) {
            if (&a == &b || !b.out) continue;
            const double ta = transfer_hours(*a.site, req.default_transfer_h) * 3600;
            const double tb = transfer_hours(*b.site, req.default_transfer_h) * 3600;
            const double lower = a.in->duration_s + ta + tb + b.out->duration_s;
            if (lower >= best) continue;
            auto rail = m_rail->route(a.rail, b.rail, rail_q);
            if (!rail) continue;
            const double total = lower + rail->duration_s;
            if (total >= best) continue;
            best = total;
            Movement mv;
            mv.legs.push_back({NetworkKind::Road, fl, a.site->id, fp, a.site->anchor(), *a.in});
            mv.legs.push_back(
                {NetworkKind::Rail, a.site->id, b.site->id, a.site->anchor(), b.site->anchor(), rail.value()});
            mv.legs.push_back({NetworkKind::Road, b.site->id, tl, b.site->anchor(), tp, *b.out});
            mv.transfer_s = ta + tb;
            mv.transfers = {{a.site->id, a.site->anchor()}, {b.site->id, b.site->anchor()}};
            best_mv = std::move(mv);
        }
    }
    if (!best_mv) {
        std::size_t reach_in = 0, reach_out = 0;
        for (const auto& t : ts) reach_in += t.in.has_value(), reach_out += t.out.has_value();
        return Result<Plan>::failure("no multimodal route: " + std::to_string(reach_in) + " of " +
                                     std::to_string(ts.size()) + " rail terminals reachable by road from the origin, " +
                                     std::to_string(reach_out) +
                                     " can reach the destination by road, and no rail link joins two of them");
    }
    finish(*best_mv);
    plan.movements.push_back(std::move(*best_mv));
    return plan;
}

Result<Isochrone> Planner::reach(const std::string& from, double hours, const QueryOptions& q, double cell_m) {
    if (!m_road) throw InputError("no road network loaded", "--mode");
    if (!(hours > 0)) throw InputError("reach time must be positive", "--hours");
    const auto loc = locate(from, "--from");
    const Snap s = m_road->snap(loc.second, q, 25'000);
    if (s.segment == kNone) throw InputError("no usable road within 25 km", "--from");
    return m_road->isochrone(s, hours * 3600, q, cell_m);
}

// ---------------------------------------------------------------------------------------
// March table

namespace {

std::string iso(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace

std::time_t parse_utc_time(const std::string& text, const std::string& where) {
    const auto bad = [&](const std::string& why) {
        return InputError("start time '" + text + "' " + why + " (ISO 8601 UTC: YYYY-MM-DDTHH:MM[:SS]Z)", where);
    };
    // Digits where the pattern has them, separators where it has those.
    const auto digits = [&](std::size_t at, std::size_t n) {
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (i >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) throw bad("is not a time");
            v = v * 10 + (text[i] - '0');
        }
        return v;
    };
    const auto sep = [&](std::size_t at, const char* allowed) {
        if (at >= text.size() || !std::strchr(allowed, text[at])) throw bad("is not a time");
    };
    const int y = digits(0, 4);
    sep(4, "-");
    const int mo = digits(5, 2);
    sep(7, "-");
    const int d = digits(8, 2);
    sep(10, "Tt");
    const int h = digits(11, 2);
    sep(13, ":");
    const int mi = digits(14, 2);
    std::size_t at = 16;
    int sec = 0;
    if (at < text.size() && text[at] == ':') sec = digits(at + 1, 2), at += 3;
    if (!(at == text.size() || (at + 1 == text.size() && (text[at] == 'Z' || text[at] == 'z'))))
        throw bad("has trailing text '" + text.substr(at) + "'");
    // timegm would normalise 2026-02-30T25:61 to 2026-03-03T02:01: check every field.
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 9999) throw bad("has year " + std::to_string(y) + " (1900..9999)");
    if (mo < 1 || mo > 12) throw bad("has month " + std::to_string(mo) + " (1..12)");
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    const int days = kDays[mo - 1] + (mo == 2 && leap ? 1 : 0);
    if (d < 1 || d > days)
        throw bad("has day " + std::to_string(d) + " (month " + std::to_string(mo) + " of " + std::to_string(y) +
                  " has " + std::to_string(days) + ")");
    if (h < 0 || h > 23) throw bad("has hour " + std::to_string(h) + " (0..23)");
    if (mi < 0 || mi > 59) throw bad("has minute " + std::to_string(mi) + " (0..59)");
    if (sec < 0 || sec > 59) throw bad("has second " + std::to_string(sec) + " (0..59)");
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    return timegm(&tm);
}

MarchTable march_table(const Movement& m, const MarchParams& p, const std::optional<Vehicle>& vehicle,
                       const CrossingRules& rules) {
    MarchTable t;
    if (p.vehicles <= 0) return t;
    if (!(p.march_speed_kmh > 0)) throw InputError("march speed must be positive", p.speed_where);
    const double veh_len = p.vehicle_length_m > 0             ? p.vehicle_length_m
                           : vehicle && vehicle->length_m > 0 ? vehicle->length_m
                                                              : 10.0;
    // Density (vehicles per km) fixes the distance head-to-head; the gap is what remains.
    const double gap = p.density_per_km > 0 ? std::max(0.0, 1000.0 / p.density_per_km - veh_len) : p.interval_m;
    t.column_length_m = p.vehicles * veh_len + (p.vehicles - 1) * gap;
    const double v_ms = p.march_speed_kmh / 3.6;
    t.pass_time_s = t.column_length_m / v_ms;
    const std::time_t start = parse_utc_time(p.start_time, p.start_where);
    double clock = 0, driving_since_halt = 0, km0 = 0;
    double tail_behind = 0;  // how much later the tail clears than a closed-up column's
    // Extra time a crossing under controls takes the column, against passing the span at
    // march speed in its open order (STANAG 2021 controls as in docs/routing.md).
    auto crossing_delay = [&](const Crossing& c) {
        const double span = std::max(c.length_m, 1.0);
        const double normal = (t.column_length_m + span) / v_ms;
        double controlled = normal;
        if (c.mode == CrossingMode::Caution) {
            const double spacing = std::max(gap, rules.caution_spacing_m);
            const double column = p.vehicles * veh_len + (p.vehicles - 1) * spacing;
            controlled = (column + span) / (rules.caution_speed_kmh / 3.6);
        } else if (c.mode == CrossingMode::Risk) {
            controlled = p.vehicles * (span + veh_len) / (rules.risk_speed_kmh / 3.6);
        }
        return std::max(0.0, controlled - normal);
    };
    auto row = [&](int leg, const std::string& name, double km) {
        MarchRow r;
        r.leg = leg;
        r.checkpoint = name;
        r.km = km;
        r.head_arrival_s = clock;
        r.tail_clear_s = clock + t.pass_time_s + tail_behind;
        r.head_arrival = iso(start + static_cast<std::time_t>(std::lround(r.head_arrival_s)));
        r.tail_clear = iso(start + static_cast<std::time_t>(std::lround(r.tail_clear_s)));
        t.rows.push_back(r);
    };
    const double halt_after = p.halt_every_h * 3600;
    for (std::size_t li = 0; li < m.legs.size(); ++li) {
        const Leg& l = m.legs[li];
        const int leg_no = static_cast<int>(li + 1);
        row(leg_no, "start " + l.from_label, km0);
        if (l.network == NetworkKind::Rail) {
            // The column entrains at the start terminal: loading and unloading take the
            // transfer time; the train runs at the line's speed.
            const double transfer = m.legs.size() > 1 ? m.transfer_s / 2 : 0;
            clock += transfer + l.path.duration_s + transfer;
            km0 += l.path.distance_m / 1000;
            row(leg_no, "arrive " + l.to_label + " (unloaded)", km0);
            driving_since_halt = 0;
            continue;
        }
        std::size_t next_crossing = 0, next_change = 0;
        double prev_m = 0, prev_s = 0;
        for (std::size_t i = 0; i < l.path.cum_m.size(); ++i) {
            const double dm = l.path.cum_m[i] - prev_m;
            const double ds = std::max(l.path.cum_s[i] - prev_s, dm / v_ms);
            while (next_change < l.path.road_changes.size() &&
                   l.path.road_changes[next_change].route_km * 1000 <= prev_m + 1e-6) {
                const auto& c = l.path.road_changes[next_change++];
                row(leg_no, "onto " + c.ref + (c.name.empty() ? "" : " (" + c.name + ")"), km0 + prev_m / 1000);
            }
            while (next_crossing < l.path.crossings.size() &&
                   l.path.crossings[next_crossing].route_km * 1000 <= prev_m + 1e-6) {
                const auto& c = l.path.crossings[next_crossing++];
                std::string label = c.label + " (" + std::string(crossing_mode_name(c.mode));
                if (const double d = crossing_delay(c); d > 0) {
                    tail_behind += d;
                    char buf[96];
                    if (c.mode == CrossingMode::Risk)
                        std::snprintf(buf, sizeof buf, ": one vehicle at a time at %.0f km/h, tail +%.0f min",
                                      rules.risk_speed_kmh, d / 60);
                    else
                        std::snprintf(buf, sizeof buf, ": %.0f km/h, %.0f m apart, tail +%.0f min",
                                      rules.caution_speed_kmh, rules.caution_spacing_m, d / 60);
                    label += buf;
                }
                row(leg_no, label + ")", km0 + prev_m / 1000);
            }
            double left = ds;
            while (halt_after > 0 && driving_since_halt + left >= halt_after) {
                const double part = halt_after - driving_since_halt;
                clock += part;
                left -= part;
                const double frac = ds > 0 ? (ds - left) / ds : 1;
                clock += p.halt_min * 60;
                tail_behind = std::max(0.0, tail_behind - p.halt_min * 60);  // the column closes up
                ++t.halts;
                driving_since_halt = 0;
                row(leg_no, "halt " + std::to_string(static_cast<int>(p.halt_min)) + " min",
                    km0 + (prev_m + frac * dm) / 1000);
                t.rows.back().head_arrival_s -= p.halt_min * 60;  // arrival at the halt point
                t.rows.back().head_arrival =
                    iso(start + static_cast<std::time_t>(std::lround(t.rows.back().head_arrival_s)));
            }
            clock += left;
            driving_since_halt += left;
            prev_m = l.path.cum_m[i];
            prev_s = l.path.cum_s[i];
        }
        km0 += l.path.distance_m / 1000;
        row(leg_no, "arrive " + l.to_label, km0);
    }
    t.total_s = clock + t.pass_time_s + tail_behind;
    return t;
}

}  // namespace mp::network
