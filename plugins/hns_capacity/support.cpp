// SPDX-License-Identifier: MIT
#include "support.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "calendar.hpp"

namespace hns {

namespace {

constexpr Time kDay = 86400;
constexpr double kEps = 1e-9;

// A midnight as its date, any other time in full.
std::string when(Time t) { return t == detail::day_of(t) * kDay ? iso_date(t) : format_iso8601(t); }

// 100, 58.3, 1166.7: whole numbers without a fraction, others to a tenth.
std::string number(double v) {
    char buf[64];
    if (std::fabs(v - std::round(v)) < 1e-6) std::snprintf(buf, sizeof buf, "%.0f", v);
    else std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += sep;
        out += p;
    }
    return out;
}

const SerialSchedule* schedule_of(const Schedule& sc, std::size_t index, const std::string& id) {
    if (index < sc.serials.size() && sc.serials[index].id == id) return &sc.serials[index];
    for (const auto& s : sc.serials)
        if (s.id == id) return &s;
    return nullptr;
}

bool is_area(const std::string& kind) { return kind == "staging_area" || kind == "training_area"; }

std::string kind_of(const Catalogue& c, const std::string& site) {
    const auto f = c.find(site);
    return f == c.end() ? std::string() : f->second.kind;
}

// A change in what a site holds: elements and pax, from time t on.
struct Change {
    Time t = 0;
    int elements = 0, pax = 0;
};

// The figure of `key` at `site` in force over [a, b): the lowest of Rsom's periods
// overlapping it, else the catalogue's; nullopt when there is none (or it is unbounded).
std::optional<double> figure(const Rsom& r, const Deployment& d, const Catalogue& c, const std::string& site,
                             const std::string& key, Time a, Time b) {
    for (const auto& cap : r.capacities) {
        if (cap.site != site || cap.key != key) continue;
        const double step = r.step_h * 3600.0;
        if (!(step > 0) || cap.per_period.empty()) break;
        const auto n = static_cast<long long>(cap.per_period.size());
        const long long p0 = std::max(0LL, static_cast<long long>(std::floor(static_cast<double>(a - d.start) / step)));
        const long long p1 =
            std::min(n, static_cast<long long>(std::ceil(static_cast<double>(b - d.start) / step - kEps)));
        if (p0 >= p1) break;
        double low = std::numeric_limits<double>::infinity();
        for (long long p = p0; p < p1; ++p) low = std::min(low, cap.per_period[static_cast<std::size_t>(p)]);
        if (std::isinf(low)) return std::nullopt;
        return low;
    }
    const auto f = c.find(site);
    if (f == c.end()) return std::nullopt;
    const auto v = f->second.numbers.find(key);
    if (v == f->second.numbers.end()) return std::nullopt;
    return v->second;
}

}  // namespace

std::string iso_date(Time t) {
    const detail::Civil c = detail::civil_from_days(detail::day_of(t));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", static_cast<long long>(c.year), c.month, c.day);
    return buf;
}

std::vector<ClearanceRow> clearances(const Deployment& d, const Rsom& r, const Schedule& sc) {
    std::vector<ClearanceRow> rows;
    const WorkingCalendar& cal = d.working_calendar;
    for (const Itinerary& it : r.itineraries) {
        if (it.border.empty() || it.serial >= d.serials.size()) continue;
        const Serial& s = d.serials[it.serial];
        ClearanceRow row;
        row.border = it.border;
        row.serial = s.id;
        row.rdd = s.rdd;
        for (const auto& b : d.borders)
            if (b.site == it.border) row.lead_working_days = b.clearance_lead_working_days;
        row.earliest_crossing = earliest_crossing(cal, d.start, row.lead_working_days);
        if (const SerialSchedule* ss = schedule_of(sc, it.serial, s.id)) row.planned_crossing = ss->crossed;
        const Time target = row.planned_crossing != 0 ? row.planned_crossing : s.rdd;
        row.filing_deadline = filing_deadline(cal, target, row.lead_working_days);
        row.file_by = row.filing_deadline;
        for (int k = 0; k < 3660 && !is_working_day(cal, row.file_by); ++k) row.file_by -= kDay;
        row.in_time = row.earliest_crossing <= s.rdd;

        std::vector<std::string> notes;
        const int lead = row.lead_working_days;
        if (!row.in_time && lead == 0) notes.push_back("RDD " + when(s.rdd) + " before the start " + when(d.start));
        else if (!row.in_time)
            notes.push_back("clearance needs " + std::to_string(lead) + (lead == 1 ? " working day" : " working days") +
                            ": earliest crossing " + when(row.earliest_crossing) + " after RDD " + when(s.rdd));
        if (row.planned_crossing == 0) notes.push_back("not across by the horizon: filing deadline for the RDD");
        else if (row.planned_crossing > s.rdd && row.in_time)
            notes.push_back("planned crossing " + when(row.planned_crossing) + " after RDD " + when(s.rdd));
        if (row.filing_deadline < detail::day_of(d.start) * kDay)
            notes.push_back("filing deadline " + iso_date(row.filing_deadline) + " before the start " + when(d.start));
        row.note = join(notes, "; ");
        rows.push_back(std::move(row));
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const ClearanceRow& a, const ClearanceRow& b) { return a.border < b.border; });
    return rows;
}

std::vector<LifeSupportRow> life_support(const Deployment& d, const Rsom& r, const Catalogue& c, const Schedule& sc) {
    const Time start = d.start, end = d.end();
    std::map<std::string, std::vector<Change>> changes;
    auto add = [&](const std::string& site, Time t, int elements, int pax) {
        if (site.empty() || t >= end || (elements == 0 && pax == 0)) return;
        changes[site].push_back({std::max(t, start), elements, pax});
    };

    std::map<std::string, std::vector<const Movement*>> moves;
    for (const auto& m : sc.movements) moves[m.serial].push_back(&m);

    for (const Itinerary& it : r.itineraries) {
        if (it.serial >= d.serials.size()) continue;
        const Serial& s = d.serials[it.serial];
        const SerialSchedule* ss = schedule_of(sc, it.serial, s.id);
        if (!ss) continue;
        const int total_e = s.vehicles() + s.containers(), total_p = s.pax();
        const std::string& x = ss->staging;
        const bool dest_area = s.destination != x && is_area(kind_of(c, s.destination));
        int in_e = 0, in_p = 0;
        bool all_in = false;
        for (const Movement* m : moves[s.id]) {
            if (!x.empty() && !all_in && m->to == x) {  // a drive to staging
                add(x, m->arrive, m->elements, m->pax);
                in_e += m->elements;
                in_p += m->pax;
                all_in = in_e >= total_e && in_p >= total_p;
                if (m->from == it.entry && m->from != x && ss->discharged > 0 && m->depart > ss->discharged) {
                    add(it.entry, ss->discharged, m->elements, m->pax);  // waited at the entry for room
                    add(it.entry, m->depart, -m->elements, -m->pax);
                }
                continue;
            }
            if (!x.empty() && m->from == x && m->to != x) add(x, m->depart, -m->elements, -m->pax);
            if (dest_area && m->to == s.destination) add(s.destination, m->arrive, m->elements, m->pax);
        }
        if (x.empty() && ss->discharged > 0)  // never got a staging area: waits at the entry
            add(it.entry, ss->discharged, total_e, it.pax_lift == it.lift ? total_p : 0);
    }

    const LifeSupport& ls = d.life_support;
    std::vector<LifeSupportRow> rows;
    if (end <= start) return rows;
    for (auto& [site, ch] : changes) {
        std::stable_sort(ch.begin(), ch.end(), [](const Change& a, const Change& b) { return a.t < b.t; });
        const std::string kind = kind_of(c, site);
        int e = 0, p = 0;
        std::size_t k = 0;
        for (Time day = detail::day_of(start) * kDay; day < end; day += kDay) {
            const Time a = std::max(day, start), b = std::min(day + kDay, end);
            while (k < ch.size() && ch[k].t <= a) e += ch[k].elements, p += ch[k].pax, ++k;
            int peak_e = e, peak_p = p;
            double e_s = 0, p_s = 0;  // element- and person-seconds
            Time t = a;
            while (k < ch.size() && ch[k].t < b) {
                const Time u = ch[k].t;
                e_s += static_cast<double>(e) * static_cast<double>(u - t);
                p_s += static_cast<double>(p) * static_cast<double>(u - t);
                while (k < ch.size() && ch[k].t == u) e += ch[k].elements, p += ch[k].pax, ++k;
                peak_e = std::max(peak_e, e);
                peak_p = std::max(peak_p, p);
                t = u;
            }
            e_s += static_cast<double>(e) * static_cast<double>(b - t);
            p_s += static_cast<double>(p) * static_cast<double>(b - t);
            if (peak_e <= 0 && peak_p <= 0) continue;

            LifeSupportRow row;
            row.site = site;
            row.kind = kind;
            row.day = day;
            row.date = iso_date(day);
            row.persons = std::max(0, peak_p);
            row.vehicles = std::max(0, peak_e);
            row.person_days = p_s / kDay;
            row.vehicle_days = e_s / kDay;
            row.beds_needed = row.persons * ls.beds_per_person;
            row.meals = row.person_days * ls.meals_per_person_day;
            row.water_l = row.person_days * ls.water_l_per_person_day;
            row.fuel_l = row.vehicle_days * ls.fuel_l_per_vehicle_day;
            row.beds = figure(r, d, c, site, "beds", a, b);
            row.vehicle_parking = figure(r, d, c, site, "vehicle_parking", a, b);
            const auto f = c.find(site);
            if (f != c.end()) {
                const auto v = f->second.numbers.find("fuel_storage_m3");
                if (v != f->second.numbers.end()) row.fuel_capacity_l = v->second * 1000.0;
            }
            std::vector<std::string> none, short_of;
            if (!row.beds) none.push_back("beds");
            else if (row.beds_needed > *row.beds + kEps)
                short_of.push_back("beds: " + number(row.beds_needed) + " needed, " + number(*row.beds) + " available");
            if (!row.vehicle_parking) none.push_back("vehicle_parking");
            else if (row.vehicles > *row.vehicle_parking + kEps)
                short_of.push_back("vehicle_parking: " + number(row.vehicles) + " needed, " +
                                   number(*row.vehicle_parking) + " available");
            none.push_back("meals");
            none.push_back("water");
            if (!row.fuel_capacity_l) none.push_back("fuel");
            else if (row.fuel_l > *row.fuel_capacity_l + kEps)
                short_of.push_back("fuel: " + number(row.fuel_l) + " l needed, " + number(*row.fuel_capacity_l) +
                                   " l storage");
            row.no_figure = join(none, ", ");
            row.shortfall = join(short_of, "; ");
            rows.push_back(std::move(row));
        }
    }
    return rows;
}

std::vector<LifeSupportSummary> life_support_summary(const std::vector<LifeSupportRow>& rows) {
    std::vector<LifeSupportSummary> out;
    std::map<std::string, std::size_t> index;
    struct Items {
        bool beds = false, parking = false, fuel = false;
        bool no_beds = false, no_parking = false, no_fuel = false;
    };
    std::vector<Items> items;
    for (const auto& row : rows) {
        auto f = index.find(row.site);
        if (f == index.end()) {
            f = index.emplace(row.site, out.size()).first;
            LifeSupportSummary s;
            s.site = row.site;
            s.kind = row.kind;
            out.push_back(s);
            items.emplace_back();
        }
        LifeSupportSummary& s = out[f->second];
        Items& it = items[f->second];
        ++s.days;
        s.peak_persons = std::max(s.peak_persons, row.persons);
        s.peak_vehicles = std::max(s.peak_vehicles, row.vehicles);
        s.peak_beds_needed = std::max(s.peak_beds_needed, row.beds_needed);
        if (row.beds) s.beds = s.beds ? std::min(*s.beds, *row.beds) : *row.beds;
        s.meals += row.meals;
        s.water_l += row.water_l;
        s.fuel_l += row.fuel_l;
        it.no_beds |= !row.beds;
        it.no_parking |= !row.vehicle_parking;
        it.no_fuel |= !row.fuel_capacity_l;
        it.beds |= row.beds && row.beds_needed > *row.beds + kEps;
        it.parking |= row.vehicle_parking && row.vehicles > *row.vehicle_parking + kEps;
        it.fuel |= row.fuel_capacity_l && row.fuel_l > *row.fuel_capacity_l + kEps;
        if (!row.shortfall.empty()) {
            if (s.days_short == 0) s.first_short = row.day;
            ++s.days_short;
        }
    }
    for (std::size_t k = 0; k < out.size(); ++k) {
        const Items& it = items[k];
        std::vector<std::string> short_of, none;
        if (it.beds) short_of.push_back("beds");
        if (it.parking) short_of.push_back("vehicle_parking");
        if (it.fuel) short_of.push_back("fuel");
        if (it.no_beds) none.push_back("beds");
        if (it.no_parking) none.push_back("vehicle_parking");
        none.push_back("meals");
        none.push_back("water");
        if (it.no_fuel) none.push_back("fuel");
        out[k].short_items = join(short_of, ", ");
        out[k].no_figure = join(none, ", ");
    }
    return out;
}

}  // namespace hns
