// SPDX-License-Identifier: MIT
#include "rail.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace hns {

namespace {

// Tolerance on lengths (m) and masses (t): a train of exactly the limit fits although
// sums of decimals round either way.
constexpr double kEps = 1e-9;

std::string num(double v) {
    std::ostringstream o;
    o << v;
    return o.str();
}

void check_settings(const RailSettings& s) {
    const auto positive = [](double v, const char* what) {
        if (!std::isfinite(v) || v <= 0)
            throw std::invalid_argument(std::string("rail settings: ") + what + " = " + num(v) +
                                        " (must be a positive number)");
    };
    positive(s.max_train_length_m, "max_train_length_m");
    positive(s.max_train_mass_t, "max_train_mass_t");
    positive(s.wagon.length_m, "wagon.length_m");
    positive(s.wagon.payload_t, "wagon.payload_t");
    if (!std::isfinite(s.locomotive_length_m) || s.locomotive_length_m < 0)
        throw std::invalid_argument("rail settings: locomotive_length_m = " + num(s.locomotive_length_m) +
                                    " (must be 0 or more)");
    if (!std::isfinite(s.wagon.tare_t) || s.wagon.tare_t < 0)
        throw std::invalid_argument("rail settings: wagon.tare_t = " + num(s.wagon.tare_t) + " (must be 0 or more)");
    if (s.locomotive_length_m > s.max_train_length_m)
        throw std::invalid_argument("rail settings: locomotive_length_m " + num(s.locomotive_length_m) +
                                    " m is longer than max_train_length_m " + num(s.max_train_length_m) + " m");
}

// floor(x) with ratios a hair below a whole number taken as that number, clamped to int.
int whole(double x) {
    const double f = std::floor(x + kEps * std::max(1.0, std::fabs(x)));
    if (!(f < static_cast<double>(std::numeric_limits<int>::max()))) return std::numeric_limits<int>::max();
    return f < 0 ? 0 : static_cast<int>(f);
}

// The wagons the train's length allows.
int length_wagons(const RailSettings& s) {
    return whole((s.max_train_length_m - s.locomotive_length_m) / s.wagon.length_m);
}

// What one queue item needs: its own wagons, and whether it may share a wagon with a
// neighbouring container.
struct Need {
    int wagons = 1;
    bool pairs = false;  // a container short enough to share a wagon
};

// Not hns::to_string(): that lives in deployment.cpp, which these rules do not link.
const char* class_name(ItemClass c) {
    switch (c) {
        case ItemClass::Tracked: return "tracked";
        case ItemClass::Wheeled: return "wheeled";
        case ItemClass::Container: return "container";
        case ItemClass::Pax: return "pax";
    }
    return "unknown class";
}

std::string item_name(const std::vector<RailItem>& q, std::size_t i) {
    return "queue[" + std::to_string(i) + "] (serial '" + q[i].serial + "', " + class_name(q[i].cls) + ")";
}

Need check_item(const RailSettings& s, const std::vector<RailItem>& q, std::size_t i, int train_wagons) {
    const RailItem& it = q[i];
    if (it.cls == ItemClass::Pax)
        throw std::invalid_argument(item_name(q, i) + ": pax travel in coaches, not on wagons");
    if (!std::isfinite(it.mass_t) || it.mass_t < 0)
        throw std::invalid_argument(item_name(q, i) + ": mass " + num(it.mass_t) + " t (must be 0 or more)");
    if (!std::isfinite(it.length_m) || it.length_m < 0)
        throw std::invalid_argument(item_name(q, i) + ": length " + num(it.length_m) + " m (must be 0 or more)");
    Need n;
    const double ratio = it.length_m / s.wagon.length_m;
    // ceil with the same tolerance as whole(): a 20.000000001 m item is a 20 m item.
    const double c = std::max(1.0, std::ceil(ratio - kEps * std::max(1.0, ratio)));
    if (c > train_wagons)
        throw std::invalid_argument(item_name(q, i) + ": " + num(it.length_m) + " m long needs " + num(c) +
                                    " wagons of " + num(s.wagon.length_m) + " m, more than the " +
                                    std::to_string(train_wagons) + " a whole train takes");
    n.wagons = static_cast<int>(c);
    const double payload = n.wagons * s.wagon.payload_t;
    if (it.mass_t > payload + kEps)
        throw std::invalid_argument(item_name(q, i) + ": " + num(it.mass_t) + " t is heavier than the payload of " +
                                    num(payload) + " t" +
                                    (n.wagons > 1 ? " (" + std::to_string(n.wagons) + " wagons)" : std::string()));
    const double trailing = n.wagons * s.wagon.tare_t + it.mass_t;
    if (trailing > s.max_train_mass_t + kEps)
        throw std::invalid_argument(item_name(q, i) + ": " + num(it.mass_t) + " t on " + std::to_string(n.wagons) +
                                    " wagons is a trailing load of " + num(trailing) + " t, more than a train's " +
                                    num(s.max_train_mass_t) + " t");
    n.pairs = it.cls == ItemClass::Container && n.wagons == 1 && 2 * it.length_m <= s.wagon.length_m + kEps;
    return n;
}

}  // namespace

int wagons_per_train(const RailSettings& s, double load_per_wagon_t) {
    check_settings(s);
    if (!std::isfinite(load_per_wagon_t) || load_per_wagon_t < 0)
        throw std::invalid_argument("wagons_per_train: load per wagon " + num(load_per_wagon_t) +
                                    " t (must be 0 or more)");
    const int by_length = length_wagons(s);
    const double loaded = s.wagon.tare_t + load_per_wagon_t;
    if (loaded <= 0) return by_length;  // weightless wagons: the length alone binds
    return std::min(by_length, whole(s.max_train_mass_t / loaded));
}

std::vector<Train> make_up_trains(const RailSettings& s, const std::vector<RailItem>& queue, std::size_t max_trains,
                                  int wagons_free, std::size_t* taken) {
    check_settings(s);
    if (wagons_free < 0)
        throw std::invalid_argument("make_up_trains: wagons_free = " + std::to_string(wagons_free) +
                                    " (must be 0 or more)");
    const int train_wagons = length_wagons(s);
    if (train_wagons == 0)
        throw std::invalid_argument("rail settings: a train of " + num(s.max_train_length_m) + " m with a " +
                                    num(s.locomotive_length_m) + " m locomotive has no room for a " +
                                    num(s.wagon.length_m) + " m wagon");
    std::vector<Need> need(queue.size());
    for (std::size_t i = 0; i < queue.size(); ++i) need[i] = check_item(s, queue, i, train_wagons);

    std::vector<Train> trains;
    std::size_t i = 0;
    int free = wagons_free;
    // The container on the last wagon of the current train, when it still has room for a
    // second one (only the item right before may leave it open: FIFO).
    double open_container_t = -1, open_container_m = 0;
    while (i < queue.size()) {
        const RailItem& it = queue[i];
        const bool share = need[i].pairs && open_container_t >= 0 && !trains.empty() &&
                           open_container_t + it.mass_t <= s.wagon.payload_t + kEps &&
                           open_container_m + it.length_m <= s.wagon.length_m + kEps;
        const int wagons = share ? 0 : need[i].wagons;
        const bool fits = !trains.empty() && trains.back().wagons + wagons <= train_wagons &&
                          trains.back().mass_t + wagons * s.wagon.tare_t + it.mass_t <= s.max_train_mass_t + kEps;
        if (!fits) {
            // The item opens a new train, on wagons of its own.
            if (trains.size() >= max_trains || need[i].wagons > free) break;
            trains.emplace_back();
            trains.back().length_m = s.locomotive_length_m;
            open_container_t = -1;
            continue;  // check_item guarantees it fits an empty train
        }
        if (wagons > free) break;  // the fleet is out: nothing behind it may go first
        Train& t = trains.back();
        t.items.push_back(i);
        t.wagons += wagons;
        t.length_m += wagons * s.wagon.length_m;
        t.mass_t += wagons * s.wagon.tare_t + it.mass_t;
        free -= wagons;
        if (share || !need[i].pairs) {
            open_container_t = -1;  // the wagon is full (two containers, or a vehicle)
        } else {
            open_container_t = it.mass_t;
            open_container_m = it.length_m;
        }
        ++i;
    }
    if (taken) *taken = i;
    return trains;
}

}  // namespace hns
