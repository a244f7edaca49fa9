// SPDX-License-Identifier: MIT
// Train make-up at a rail terminal (RailSettings in deployment.hpp): how many wagons a
// train takes, and which items of a terminal's queue leave on the trains of the day.
// Plain C++, no SDK: tested on its own.
//
// Rules: a train is limited by its length (locomotive and wagons over buffers) and by
// its trailing load (the wagons' tare and their loads; the locomotive is not trailing).
// One wagon carries one tracked or wheeled item up to its payload; an item longer than a
// wagon takes ceil(length / wagon length) wagons coupled, its mass spread over them, so
// it may weigh up to that many payloads. Two containers share a wagon when their masses
// fit the payload and their lengths fit the wagon (two 20 ft on a 40 ft wagon; two
// 40 ft containers do not pair). Pax travel in coaches and are not wagon items.
//
// Loading is first in, first out: items are never reordered (a unit's vehicles load in
// order), so the first item that does not fit closes the train even when a lighter one
// behind it would have fitted.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "deployment.hpp"

namespace hns {

/// The wagons a train of `s` takes when every wagon carries `load_per_wagon_t`: the
/// least of floor((max_train_length_m - locomotive_length_m) / wagon.length_m) and
/// floor(max_train_mass_t / (wagon.tare_t + load_per_wagon_t)). 600 m / 1 600 t, a 20 m
/// locomotive, 20 m wagons of 25 t tare with 73 t each: min(29, 16) = 16. Ratios within
/// 1e-9 of a whole number count as that number (580 / 20 is 29, not 28.999...). Throws
/// std::invalid_argument on settings that cannot make a train (a non-positive or
/// non-finite length, mass or wagon length, a negative tare or load, a locomotive
/// longer than the train).
int wagons_per_train(const RailSettings& s, double load_per_wagon_t);

/// One item waiting at a terminal: a tracked or wheeled vehicle or a container.
struct RailItem {
    std::string serial;  ///< the serial it belongs to (named in errors)
    ItemClass cls = ItemClass::Wheeled;
    double mass_t = 0;
    double length_m = 0;  ///< 0: not given (one wagon; containers pair on mass alone)
};

/// One train made up.
struct Train {
    std::vector<std::size_t> items;  ///< indices into the queue, in queue order
    int wagons = 0;
    double length_m = 0;  ///< including the locomotive
    double mass_t = 0;    ///< trailing: wagons' tare and loads
};

/// The trains leaving with the head of `queue`: whole trains filled in queue order until
/// the next item does not fit (length, mass), then the next train; at most `max_trains`
/// trains (the train paths left) and `wagons_free` wagons in all (the fleet at the
/// terminal). Stops at the first item that finds no room on a new train or no free
/// wagon. `*taken` (when not null) is the number of queue items loaded: items
/// [0, *taken) leave, the rest wait.
///
/// The whole queue is checked first (an item that can never leave would block the queue
/// for good): a pax item, a negative or non-finite mass or length, an item heavier than
/// the payload of its wagons, or one needing more wagons or trailing load than a whole
/// train allows, throws std::invalid_argument naming its queue index, serial, mass and
/// the payload. Bad settings, a negative wagons_free, throw as wagons_per_train does.
std::vector<Train> make_up_trains(const RailSettings& s, const std::vector<RailItem>& queue, std::size_t max_trains,
                                  int wagons_free, std::size_t* taken);

}  // namespace hns
