// SPDX-License-Identifier: MIT
// bench-hns (issue "Host-nation support 2"): the optimal plan's LP at planning size, in
// one run: 30 days hourly; 6 entry points (4 ports, 2 airbases), 7 staging and training
// areas, 8 rail terminals, 4 border crossings; serials of 4 classes (tracked, wheeled,
// containers, personnel) on ships and flights. Sites and their capacities are the real
// catalogue (data/sites.geojson); link times come from great-circle distances (road
// 1.3 x at 60 km/h, rail 1.2 x at 50 km/h: the bench times the solver, not the
// network).
//   solve_s      our solve (CLP dual simplex), cold
//   resolve_s    a warm re-solve after one calendar edit (a port's discharge closed 24 h)
//   glpk_s       glpsol (GLPK's simplex) on the same exported MPS model, objective_match
//   speedup_vs_glpk = glpk_s / solve_s
//   pooled_* / unpooled_*  the plan with serials alike on a lift pooled (the default, the
//                model above) and without pooling: commodities, rows, columns, cold
//                solve; pool_objective_match: the same optimum (1e-6 relative)
// --alike: the serials of a ship alike but for their RDD (the first's items without
// personnel, destination, staging, dwell, priority, way on), so that they pool (a serial
// whose personnel marry up with its vehicles is never pooled). --no-glpk: glpsol is not
// run (at the default size it takes tens of minutes): glpk_s=-1, objective_match=skipped.
// Usage: bench-hns [--serials N] [--days D] [--alike] [--no-glpk]
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "plan.hpp"
#include "rsom.hpp"

using namespace hns;

namespace {

double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

struct Place {
    double lon = 0, lat = 0;
};

double km_between(const Place& a, const Place& b) {
    constexpr double kDeg = 3.14159265358979323846 / 180;
    const double dlat = (b.lat - a.lat) * kDeg, dlon = (b.lon - a.lon) * kDeg;
    const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                     std::cos(a.lat * kDeg) * std::cos(b.lat * kDeg) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2 * 6371.0 * std::asin(std::sqrt(h));
}

}  // namespace

int main(int argc, char** argv) {
    int n_serials = 60, days = 30;
    bool alike = false, glpk = true;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--serials") && i + 1 < argc) n_serials = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--days") && i + 1 < argc) days = std::max(2, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--alike")) alike = true;
        else if (!std::strcmp(argv[i], "--no-glpk")) glpk = false;
        else return std::fprintf(stderr, "usage: bench-hns [--serials N] [--days D] [--alike] [--no-glpk]\n"), 2;
    }
    // The catalogue.
    std::ifstream in(MP_SOURCE_DIR "/data/sites.geojson");
    if (!in) return std::fprintf(stderr, "bench-hns: cannot read data/sites.geojson\n"), 3;
    const nlohmann::json sites = nlohmann::json::parse(in);
    Catalogue cat;
    std::map<std::string, Place> where;
    for (const auto& f : sites.at("features")) {
        const auto& p = f.at("properties");
        CatalogueSite s;
        s.id = p.at("id").get<std::string>(), s.kind = p.at("kind").get<std::string>(), s.name = s.id;
        for (const auto& [k, v] : p.items())
            if (v.is_number()) s.numbers[k] = v.get<double>();
        const auto& c = f.at("geometry").at("coordinates");
        where[s.id] = f.at("geometry").at("type") == "Point"
                          ? Place{c[0].get<double>(), c[1].get<double>()}
                          : Place{c[0][0][0].get<double>(), c[0][0][1].get<double>()};
        cat[s.id] = s;
    }
    const std::vector<std::string> ports{"port-antwerp", "port-zeebrugge", "port-ostend", "port-ghent"};
    const std::vector<std::string> airbases{"melsbroek-air-base", "liege-airport"};
    const std::vector<std::string> staging{"leopoldsburg-staging-area", "marche-en-famenne-staging-area",
                                           "peutie-staging-area",       "zeebrugge-port-staging-area",
                                           "antwerp-port-staging-area", "elsenborn-training-area",
                                           "lagland-training-area"};
    const std::vector<std::string> borders{"border-de-e40-lichtenbusch", "border-de-rail-montzen",
                                           "border-nl-e34-arendonk", "border-lu-e25-sterpenich"};
    for (auto it = cat.begin(); it != cat.end();) {  // only the sites of the bench
        const std::string& id = it->first;
        const bool keep = std::count(ports.begin(), ports.end(), id) ||
                          std::count(airbases.begin(), airbases.end(), id) ||
                          std::count(staging.begin(), staging.end(), id) ||
                          std::count(borders.begin(), borders.end(), id) || it->second.kind == "rail_terminal";
        it = keep ? std::next(it) : cat.erase(it);
    }
    std::size_t links_asked = 0;
    const LinkFn links = [&](const std::string& from, const std::string& to, Onward mode, const Serial&) {
        ++links_asked;
        const double km = km_between(where.at(from), where.at(to));
        return mode == Onward::Rail ? Link{true, km * 1.2 / 50, km * 1.2, {}} : Link{true, km * 1.3 / 60, km * 1.3, {}};
    };

    // The deployment: serials of every class on ships (cargo) and flights (personnel).
    Deployment d;
    d.start = 1803859200;  // 2027-03-01T00:00:00Z
    d.horizon_days = days;
    std::mt19937 rng(12);
    std::uniform_int_distribution<int> veh(20, 120), pax(100, 500), prio(1, 3), rdd_day(6, days - 4);
    for (int i = 0; i < n_serials; ++i) {
        Serial s;
        s.id = "S" + std::to_string(i + 1);
        s.nation = i % 3 == 0 ? "US" : i % 3 == 1 ? "DE" : "NL";
        s.priority = prio(rng);
        s.rdd = d.start + static_cast<Time>(rdd_day(rng)) * 86400;
        s.destination = borders[static_cast<std::size_t>(i) % borders.size()];
        s.onward = i % 4 == 1 ? Onward::Rail : Onward::Any;
        s.dwell_h = 24 + 12 * (i % 3);
        s.staging = staging[static_cast<std::size_t>(i) % staging.size()];
        const int v = veh(rng);
        s.items.push_back({ItemClass::Tracked, v / 3, 60, 8, 3.6, 3, 70});
        s.items.push_back({ItemClass::Wheeled, v - v / 3, 12, 7, 2.5, 3, 16});
        s.items.push_back({ItemClass::Container, v / 4 + 1, 20, 12, 2.4, 2.6, 0});
        s.items.push_back({ItemClass::Pax, pax(rng), 0, 0, 0, 0, 0});
        if (alike && i % 6 != 0) {  // as the first of its ship (the lifts below take six each)
            const Serial& first = d.serials[static_cast<std::size_t>(i - i % 6)];
            s.priority = first.priority, s.destination = first.destination, s.onward = first.onward;
            s.dwell_h = first.dwell_h, s.staging = first.staging, s.items = first.items;
        }
        if (alike)
            s.items.erase(
                std::remove_if(s.items.begin(), s.items.end(), [](const Item& it) { return it.cls == ItemClass::Pax; }),
                s.items.end());
        d.serials.push_back(s);
    }
    for (int i = 0, ship = 0; i < n_serials; i += 6, ++ship) {
        Lift l;
        l.id = "ship-" + std::to_string(ship + 1), l.mode = LiftMode::Sea;
        l.at = ports[static_cast<std::size_t>(ship) % ports.size()];
        l.eta = d.start + static_cast<Time>(ship) * 86400 / 2 + 6 * 3600;
        Lift f = l;
        f.id = "flight-" + std::to_string(ship + 1), f.mode = LiftMode::Air;
        f.at = airbases[static_cast<std::size_t>(ship) % airbases.size()];
        f.eta = l.eta + 12 * 3600;
        for (int j = i; j < std::min(n_serials, i + 6); ++j)
            l.serials.push_back(d.serials[static_cast<std::size_t>(j)].id);
        f.serials = l.serials;
        d.lift.push_back(l), d.lift.push_back(f);
    }
    for (const auto& b : borders) d.borders.push_back({b, 24, 5});

    double t0 = now_s();
    const Rsom rsom = resolve(d, cat, links);
    const Plan plan = build_plan(rsom);
    FlowLp lp(plan.model);
    const double build_s = now_s() - t0;
    std::printf("model: %d serials, %d periods, %zu nodes, %zu arcs, %zu resources, %zu commodities, %zu links asked\n",
                n_serials, rsom.periods, plan.model.nodes.size(), plan.model.arcs.size(), plan.model.resources.size(),
                plan.model.commodities.size(), links_asked);
    std::printf("LP: %d rows, %d columns, built in %.2f s\n", lp.rows(), lp.columns(), build_s);

    t0 = now_s();
    const FlowSolution s = lp.solve();
    const double solve_s = now_s() - t0;
    std::printf("CLP: %s, objective %.6f, lateness %.1f unit-h, %.2f s\n", s.status.c_str(), s.objective, s.lateness,
                solve_s);

    // The same plan without pooling, cold.
    PlanOptions apart;
    apart.pool = false;
    const Plan own = build_plan(rsom, apart);
    FlowLp lp_own(own.model);
    t0 = now_s();
    const FlowSolution s_own = lp_own.solve();
    const double unpooled_solve_s = now_s() - t0;
    const bool pool_match =
        s_own.optimal && std::abs(s_own.objective - s.objective) <= 1e-6 * std::max(1.0, std::abs(s.objective));
    std::printf("unpooled: %zu commodities, %d rows, %d columns; CLP: %s, objective %.6f, %.2f s\n",
                own.model.commodities.size(), lp_own.rows(), lp_own.columns(), s_own.status.c_str(), s_own.objective,
                unpooled_solve_s);

    // A calendar edit: the first port's discharge closed for 24 h from its first ship's ETA.
    int res = -1;
    for (std::size_t r = 0; r < plan.model.resources.size(); ++r)
        if (plan.model.resources[r].site == ports[0] && plan.model.resources[r].key == "vehicles_per_day")
            res = static_cast<int>(r);
    double resolve_s = -1, objective_edit = 0;
    if (res >= 0) {
        Time eta = d.start;
        for (const auto& l : d.lift)
            if (l.at == ports[0]) {
                eta = l.eta;
                break;
            }
        const int from = rsom.period_of(eta);
        for (int p = from; p < from + static_cast<int>(24 / rsom.step_h); ++p) lp.set_capacity(res, p, 0);
        t0 = now_s();
        const FlowSolution e = lp.solve();
        resolve_s = now_s() - t0;
        objective_edit = e.objective;
        std::printf("warm re-solve after the calendar edit: %s, objective %.6f, %.2f s\n", e.status.c_str(),
                    e.objective, resolve_s);
    }

    // GLPK's glpsol on the same (edited) model, from MPS.
    const std::string mps = "/tmp/bench-hns-" + std::to_string(::getpid()) + ".mps";
    const std::string out = mps + ".out";
    lp.write_mps(mps);
    t0 = now_s();
    const std::string log = mps + ".log";
    const std::string cmd = "glpsol --freemps '" + mps + "' --min -o '" + out + "' > '" + log + "' 2>&1";
    const int rc = glpk ? std::system(cmd.c_str()) : -1;
    const double glpk_wall_s = now_s() - t0;
    // glpsol's own "Time used" is its solve without reading the file; the wall time is
    // printed too.
    double glpk_s = glpk ? glpk_wall_s : -1;
    {
        std::ifstream g(log);
        std::string line;
        while (std::getline(g, line))
            if (line.find("Time used:") != std::string::npos) glpk_s = std::atof(line.c_str() + line.find(':') + 1);
    }
    double glpk_obj = std::nan("");
    {
        std::ifstream o(out);
        std::string line;
        while (std::getline(o, line))
            if (line.rfind("Objective:", 0) == 0) {
                const auto eq = line.find('=');
                if (eq != std::string::npos) glpk_obj = std::atof(line.c_str() + eq + 1);
            }
    }
    if (!std::getenv("KEEP_MPS")) std::remove(mps.c_str());
    else std::printf("kept %s\n", mps.c_str());
    std::remove(out.c_str());
    std::remove(log.c_str());
    const double reference = res >= 0 ? objective_edit : s.objective;
    const bool match = rc == 0 && std::abs(glpk_obj - reference) <= 1e-6 * std::max(1.0, std::abs(reference));
    if (glpk)
        std::printf("glpsol: exit %d, objective %.6f, %.2f s solving (%.2f s with reading the file)\n", rc, glpk_obj,
                    glpk_s, glpk_wall_s);
    else std::printf("glpsol: not run (--no-glpk)\n");
    std::printf(
        "RESULT solve_s=%.3f resolve_s=%.3f glpk_s=%.3f objective_match=%s speedup_vs_glpk=%.2f rows=%d "
        "columns=%d serials=%d periods=%d pooled_commodities=%zu unpooled_commodities=%zu pooled_rows=%d "
        "unpooled_rows=%d pooled_columns=%d unpooled_columns=%d pooled_solve_s=%.3f unpooled_solve_s=%.3f "
        "pool_objective_match=%s\n",
        solve_s, resolve_s, glpk_s,
        !glpk   ? "skipped"
        : match ? "yes"
                : "no",
        glpk ? glpk_s / solve_s : -1.0, lp.rows(), lp.columns(), n_serials, rsom.periods, plan.model.commodities.size(),
        own.model.commodities.size(), lp.rows(), lp_own.rows(), lp.columns(), lp_own.columns(), solve_s,
        unpooled_solve_s, pool_match ? "yes" : "no");
    return (match || !glpk) && pool_match ? 0 : 1;
}
