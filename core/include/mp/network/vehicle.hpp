// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mp/network/graph.hpp"

namespace mp::network {

/// A vehicle or the limiting vehicle of a convoy. 0 means "not given" for every figure.
struct Vehicle {
    std::string id;  ///< preset id, e.g. "mbt-on-het"
    std::string name;
    double mlc = 0;        ///< NATO military load class of the vehicle (STANAG 2021)
    bool tracked = false;  ///< tracked vehicles use the bridge's tracked class
    double gross_weight_t = 0, axle_load_t = 0;
    double height_m = 0, width_m = 0, length_m = 0;
    double max_speed_kmh = 0;
    std::string source;
};

/// Reads {"presets":[{id,name,mlc,tracked,gross_weight_t,...}]}. Throws mp::InputError
/// naming where (file name given) on malformed JSON.
std::vector<Vehicle> parse_vehicle_presets(std::string_view json, const std::string& where = "vehicles.json");
/// The presets embedded from data/vehicles.json (empty when the file is absent).
std::vector<Vehicle> default_vehicle_presets();

/// How a vehicle crosses a bridge (STANAG 2021 / AEP-3.12.1.5 terms; see docs/routing.md).
enum class CrossingMode : std::uint8_t { Normal = 1, Caution = 2, Risk = 3 };
std::string_view crossing_mode_name(CrossingMode m);  ///< "normal", "caution", "risk"
std::optional<CrossingMode> parse_crossing_mode(std::string_view s);

/// Crossing controls and how far each mode lets the vehicle class exceed the posted
/// class. The factors are planning defaults, not figures from the standard's text; an
/// engineer reconnaissance decides in the field (docs/routing.md explains them).
struct CrossingRules {
    double caution_factor = 1.25;   ///< caution: vehicle MLC up to factor x posted class
    double risk_factor = 1.5;       ///< risk: vehicle MLC up to factor x posted class
    double normal_speed_kmh = 40;   ///< 25 mph
    double caution_speed_kmh = 13;  ///< 8 mph
    double risk_speed_kmh = 5;      ///< 3 mph
    double normal_spacing_m = 30;   ///< 100 ft
    double caution_spacing_m = 50;
};

/// The MLC of a restriction that applies to the vehicle (tracked or wheeled; falls back
/// to the other when only one is posted); 0 when none.
double posted_mlc(const Restriction& r, const Vehicle& v);

/// The least crossing mode under which the vehicle may use a stretch with restriction r,
/// given the highest mode allowed; nullopt when it may not (also when a legal weight,
/// axle, height, width or length limit is exceeded: those are never relaxed).
std::optional<CrossingMode> crossing_mode(const Restriction& r, const Vehicle& v, CrossingMode highest,
                                          const CrossingRules& rules);

/// Why the vehicle may not use the stretch: "MLC 50 < 70 (tracked)", "height 4.0 m < 4.2 m";
/// empty when it may.
std::string violation(const Restriction& r, const Vehicle& v, CrossingMode highest, const CrossingRules& rules);

}  // namespace mp::network
