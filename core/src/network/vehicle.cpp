// SPDX-License-Identifier: MIT
#include "mp/network/vehicle.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "mp/core/error.hpp"
#include "mp/data/default_data.hpp"

namespace mp::network {

std::vector<Vehicle> parse_vehicle_presets(std::string_view text, const std::string& where) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const std::exception& e) {
        throw InputError(std::string("malformed vehicle presets: ") + e.what(), where);
    }
    if (!j.is_object() || !j.contains("presets") || !j["presets"].is_array())
        throw InputError("vehicle presets need a \"presets\" array", where);
    std::vector<Vehicle> out;
    for (const auto& p : j["presets"]) {
        Vehicle v;
        auto num = [&](const char* k) { return p.contains(k) && p[k].is_number() ? p[k].get<double>() : 0.0; };
        auto txt = [&](const char* k) {
            return p.contains(k) && p[k].is_string() ? p[k].get<std::string>() : std::string{};
        };
        v.id = txt("id");
        if (v.id.empty()) throw InputError("vehicle preset without id", where);
        v.name = txt("name");
        v.mlc = num("mlc");
        v.tracked = p.contains("tracked") && p["tracked"].is_boolean() && p["tracked"].get<bool>();
        v.gross_weight_t = num("gross_weight_t");
        v.axle_load_t = num("axle_load_t");
        v.height_m = num("height_m");
        v.width_m = num("width_m");
        v.length_m = num("length_m");
        v.max_speed_kmh = num("max_speed_kmh");
        v.source = txt("source");
        out.push_back(std::move(v));
    }
    return out;
}

std::vector<Vehicle> default_vehicle_presets() {
    for (const auto& f : data::embedded_files())
        if (f.name == "vehicles.json") return parse_vehicle_presets(f.bytes, "embedded vehicles.json");
    return {};
}

std::string_view crossing_mode_name(CrossingMode m) {
    switch (m) {
        case CrossingMode::Normal: return "normal";
        case CrossingMode::Caution: return "caution";
        case CrossingMode::Risk: return "risk";
    }
    return "normal";
}

std::optional<CrossingMode> parse_crossing_mode(std::string_view s) {
    if (s == "normal") return CrossingMode::Normal;
    if (s == "caution") return CrossingMode::Caution;
    if (s == "risk") return CrossingMode::Risk;
    return std::nullopt;
}

double posted_mlc(const Restriction& r, const Vehicle& v) {
    const double own = v.tracked ? r.mlc_tracked : r.mlc_wheeled;
    const double other = v.tracked ? r.mlc_wheeled : r.mlc_tracked;
    return own > 0 ? own : other;
}

std::optional<CrossingMode> crossing_mode(const Restriction& r, const Vehicle& v, CrossingMode highest,
                                          const CrossingRules& rules) {
    // Legal limits are absolute.
    if (r.maxweight_t > 0 && v.gross_weight_t > r.maxweight_t) return std::nullopt;
    if (r.maxaxleload_t > 0 && v.axle_load_t > r.maxaxleload_t) return std::nullopt;
    if (r.maxheight_m > 0 && v.height_m > r.maxheight_m) return std::nullopt;
    if (r.maxwidth_m > 0 && v.width_m > r.maxwidth_m) return std::nullopt;
    if (r.maxlength_m > 0 && v.length_m > r.maxlength_m) return std::nullopt;
    const double bridge = posted_mlc(r, v);
    if (bridge <= 0 || v.mlc <= 0 || v.mlc <= bridge) return CrossingMode::Normal;
    if (highest >= CrossingMode::Caution && v.mlc <= bridge * rules.caution_factor) return CrossingMode::Caution;
    if (highest >= CrossingMode::Risk && v.mlc <= bridge * rules.risk_factor) return CrossingMode::Risk;
    return std::nullopt;
}

std::string violation(const Restriction& r, const Vehicle& v, CrossingMode highest, const CrossingRules& rules) {
    char buf[160];
    if (r.maxweight_t > 0 && v.gross_weight_t > r.maxweight_t) {
        std::snprintf(buf, sizeof buf, "weight limit %.1f t < %.1f t", r.maxweight_t, v.gross_weight_t);
        return buf;
    }
    if (r.maxaxleload_t > 0 && v.axle_load_t > r.maxaxleload_t) {
        std::snprintf(buf, sizeof buf, "axle load limit %.1f t < %.1f t", r.maxaxleload_t, v.axle_load_t);
        return buf;
    }
    if (r.maxheight_m > 0 && v.height_m > r.maxheight_m) {
        std::snprintf(buf, sizeof buf, "height %.2f m < %.2f m", r.maxheight_m, v.height_m);
        return buf;
    }
    if (r.maxwidth_m > 0 && v.width_m > r.maxwidth_m) {
        std::snprintf(buf, sizeof buf, "width %.2f m < %.2f m", r.maxwidth_m, v.width_m);
        return buf;
    }
    if (r.maxlength_m > 0 && v.length_m > r.maxlength_m) {
        std::snprintf(buf, sizeof buf, "length %.1f m < %.1f m", r.maxlength_m, v.length_m);
        return buf;
    }
    if (!crossing_mode(r, v, highest, rules)) {
        std::snprintf(buf, sizeof buf, "MLC %g < %g (%s%s)", posted_mlc(r, v), v.mlc, v.tracked ? "tracked" : "wheeled",
                      highest == CrossingMode::Normal    ? ", normal crossing"
                      : highest == CrossingMode::Caution ? ", even as caution crossing"
                                                         : ", even as risk crossing");
        return buf;
    }
    return {};
}

}  // namespace mp::network
