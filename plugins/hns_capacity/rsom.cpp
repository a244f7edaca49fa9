// SPDX-License-Identifier: MIT
#include "rsom.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "calendar.hpp"

namespace hns {

namespace {

constexpr double kUnbounded = std::numeric_limits<double>::infinity();

// The capacities a site of each kind brings, with their unit and whether they are held
// at once (stock) or a rate. Rates are given per day in the catalogue and become units
// per period.
struct KeyDef {
    const char* key;
    const char* unit;
    bool stock;
    bool per_day;
};
const std::vector<KeyDef>& keys_of(const std::string& kind) {
    static const std::map<std::string, std::vector<KeyDef>> defs{
        {"port",
         {{"berths", "ships", true, false},
          {"roro_ramps", "ramps", true, false},
          {"vehicles_per_day", "vehicles", false, true}}},
        {"airbase",
         {{"mog_wide_body", "aircraft", true, false},
          {"mog_narrow_body", "aircraft", true, false},
          {"cargo_t_per_day", "t", false, true},
          {"pax_per_day", "pax", false, true}}},
        {"rail_terminal",
         {{"loading_ramps", "trains", true, false},
          {"trains_per_day", "trains", false, true},
          {"paths_per_day", "trains", false, true}}},
        {"staging_area", {{"beds", "pax", true, false}, {"vehicle_parking", "vehicles", true, false}}},
        {"training_area", {{"beds", "pax", true, false}, {"vehicle_parking", "vehicles", true, false}}},
        {"border_crossing", {{"slots_per_day", "slots", false, true}}},
    };
    static const std::vector<KeyDef> none;
    const auto it = defs.find(kind);
    return it == defs.end() ? none : it->second;
}

Itinerary::Way way(Onward mode, const std::string& staging, const std::string& terminal, const Link& to_terminal,
                   const Link& to_destination) {
    Itinerary::Way w;
    w.mode = mode, w.staging = staging, w.terminal = terminal;
    w.to_terminal = to_terminal, w.to_destination = to_destination;
    return w;
}

Link here() {
    Link l;
    l.feasible = true;
    return l;
}

bool is_staging(const std::string& kind) { return kind == "staging_area" || kind == "training_area"; }

const CatalogueSite& site_of(const Catalogue& c, const std::string& id, const std::string& serial) {
    const auto it = c.find(id);
    if (it == c.end()) throw ResolveError(serial, "site '" + id + "' is not in the site catalogue");
    return it->second;
}

}  // namespace

int Rsom::capacity(const std::string& site, const std::string& key) const {
    for (std::size_t i = 0; i < capacities.size(); ++i)
        if (capacities[i].site == site && capacities[i].key == key) return static_cast<int>(i);
    return -1;
}

int Rsom::period_of(Time t) const {
    const double h = static_cast<double>(t - deployment->start) / 3600.0;
    return static_cast<int>(std::floor(h / step_h + 1e-9));  // time_of(p) lands in p whatever the step
}

Time Rsom::time_of(int period) const {
    return deployment->start + static_cast<Time>(std::llround(period * step_h * 3600.0));
}

Rsom resolve(const Deployment& dep, const Catalogue& catalogue, const LinkFn& links) {
    Rsom r;
    r.deployment = &dep;
    r.step_h = dep.step_h;
    r.periods = static_cast<int>(std::ceil(dep.horizon_days * 24.0 / dep.step_h));

    // ---- itineraries
    std::vector<std::string> staging_areas, terminals;
    for (const auto& [id, s] : catalogue) {
        if (is_staging(s.kind)) staging_areas.push_back(id);
        if (s.kind == "rail_terminal") terminals.push_back(id);
    }
    std::set<std::string> used_sites;
    for (std::size_t si = 0; si < dep.serials.size(); ++si) {
        const Serial& s = dep.serials[si];
        Itinerary it;
        it.serial = si;
        // Its lifts: one, or a surface lift for the cargo and an air lift for the people.
        std::vector<std::size_t> surface, air;
        for (std::size_t li = 0; li < dep.lift.size(); ++li)
            for (const auto& id : dep.lift[li].serials)
                if (id == s.id) (dep.lift[li].mode == LiftMode::Air ? air : surface).push_back(li);
        if (surface.empty() && air.empty()) throw ResolveError(s.id, "no lift carries it");
        if (surface.size() > 1 || air.size() > 1)
            throw ResolveError(s.id, "carried by more than one surface lift or more than one air lift");
        it.lift = surface.empty() ? air[0] : surface[0];
        it.pax_lift = air.empty() ? it.lift : air[0];
        it.entry = dep.lift[it.lift].at;
        it.arrival = r.period_of(dep.lift[it.lift].eta);
        it.pax_entry = dep.lift[it.pax_lift].at;
        it.pax_arrival = r.period_of(dep.lift[it.pax_lift].eta);
        for (const auto* site : {&it.entry, &it.pax_entry}) {
            site_of(catalogue, *site, s.id);
            used_sites.insert(*site);
        }

        // Staging: its own, or every staging or training area its vehicles can reach.
        std::string first_refusal;
        const std::vector<std::string> candidates = s.staging.empty() ? staging_areas : std::vector{s.staging};
        for (const auto& st : candidates) {
            site_of(catalogue, st, s.id);
            auto road = [&](const std::string& from) { return st == from ? here() : links(from, st, Onward::Road, s); };
            const Link l = road(it.entry);
            const Link lp = it.pax_entry == it.entry ? l : road(it.pax_entry);
            if (!l.feasible || !lp.feasible) {
                if (first_refusal.empty()) first_refusal = st + ": " + (l.feasible ? lp.reason : l.reason);
                continue;
            }
            it.staging.push_back({st, l, lp});
            used_sites.insert(st);
        }
        if (it.staging.empty())
            throw ResolveError(s.id, "no staging area can be reached by road from " + it.entry +
                                         (first_refusal.empty() ? "" : " (" + first_refusal + ")"));

        // Onward: by road from each staging area, and by rail from the terminal nearest
        // to it by road.
        const CatalogueSite& dest = site_of(catalogue, s.destination, s.id);
        std::string refusal;
        for (const auto& stage : it.staging) {
            if (stage.site == s.destination) {  // the destination is the staging area itself
                it.onward.push_back(way(Onward::Road, stage.site, "", here(), here()));
                continue;
            }
            if (s.onward != Onward::Rail) {
                Link l = links(stage.site, s.destination, Onward::Road, s);
                if (l.feasible) it.onward.push_back(way(Onward::Road, stage.site, "", here(), l));
                else if (refusal.empty()) refusal = "road from " + stage.site + ": " + l.reason;
            }
            if (s.onward != Onward::Road) {
                const std::string* best = nullptr;
                Link best_road;
                for (const auto& t : terminals) {
                    Link l = t == stage.site ? here() : links(stage.site, t, Onward::Road, s);
                    if (l.feasible && (!best || l.hours < best_road.hours)) best = &t, best_road = l;
                }
                if (!best) {
                    if (refusal.empty()) refusal = "no rail terminal reachable by road from " + stage.site;
                    continue;
                }
                Link rail = links(*best, s.destination, Onward::Rail, s);
                if (rail.feasible) {
                    it.onward.push_back(way(Onward::Rail, stage.site, *best, best_road, rail));
                    used_sites.insert(*best);
                } else if (refusal.empty()) {
                    refusal = "rail from " + *best + ": " + rail.reason;
                }
            }
        }
        if (it.onward.empty())
            throw ResolveError(s.id, "no way on to " + s.destination + (refusal.empty() ? "" : " (" + refusal + ")"));

        // Border: a destination that is a crossing, cleared from the earliest date a
        // request filed at start allows.
        if (dest.kind == "border_crossing") {
            it.border = s.destination;
            used_sites.insert(it.border);
            int lead = 0;
            for (const auto& b : dep.borders)
                if (b.site == it.border) lead = b.clearance_lead_working_days;
            it.cleared = std::max(0, r.period_of(earliest_crossing(dep.working_calendar, dep.start, lead)));
        }
        r.itineraries.push_back(std::move(it));
    }

    // ---- capacities of every site a serial can meet
    for (const auto& id : used_sites) {
        const CatalogueSite& site = catalogue.at(id);
        for (const KeyDef& k : keys_of(site.kind)) {
            double base = kUnbounded;
            bool estimate = false;
            if (const auto n = site.numbers.find(k.key); n != site.numbers.end()) {
                base = n->second;
                estimate = std::find(site.estimates.begin(), site.estimates.end(), k.key) != site.estimates.end();
            }
            if (std::string(k.key) == "paths_per_day") base = dep.rail_at(id).paths_per_day, estimate = false;
            if (std::string(k.key) == "slots_per_day")
                for (const auto& b : dep.borders)
                    if (b.site == id) base = b.slots_per_day, estimate = false;
            for (const auto& o : dep.capacity)
                if (o.site == id && o.key == k.key) base = o.value, estimate = false;
            bool any_exception = false;
            for (const auto& e : dep.calendar) any_exception |= e.site == id && e.key == k.key;
            if (std::isinf(base) && !any_exception) continue;  // unbounded all along
            Capacity c;
            c.site = id, c.key = k.key, c.stock = k.stock, c.estimate = estimate;
            c.unit = k.stock ? k.unit : std::string(k.unit) + "/h";
            const double scale = k.per_day ? r.step_h / 24.0 : 1.0;
            c.per_period.assign(static_cast<std::size_t>(r.periods), base * scale);
            c.reason.assign(static_cast<std::size_t>(r.periods), "");
            // A calendar exception over part of a period: a rate takes the share of the
            // period it covers; a stock takes the exception's value (the safe side).
            for (const auto& e : dep.calendar) {
                if (e.site != id || e.key != k.key) continue;
                for (int p = std::max(0, r.period_of(e.from)); p < r.periods && r.time_of(p) < e.to; ++p) {
                    const Time a = std::max(e.from, r.time_of(p)), b = std::min(e.to, r.time_of(p + 1));
                    const double f = static_cast<double>(b - a) / (r.step_h * 3600.0);
                    if (f <= 0) continue;
                    double& v = c.per_period[static_cast<std::size_t>(p)];
                    // A stock over the whole period takes the exception's value (more
                    // beds for a week, or a berth closed); over part of it the lower.
                    if (k.stock) v = f >= 1 ? e.value : std::min(v, e.value);
                    else if (std::isinf(v) && f < 1) continue;  // unbounded for the rest of the period
                    else v = (std::isinf(v) ? 0.0 : v * (1 - f)) + e.value * scale * f;
                    c.reason[static_cast<std::size_t>(p)] = e.reason;
                }
            }
            r.capacities.push_back(std::move(c));
        }
    }
    return r;
}

}  // namespace hns
