// SPDX-License-Identifier: MIT
#include "map/forms.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <numbers>
#include <sstream>

namespace mp::gui::map {

namespace {
std::string trim(std::string s) {
    s.erase(0, s.find_first_not_of(" \t"));
    s.erase(s.find_last_not_of(" \t") + 1);
    return s;
}
std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}
bool is_number(const std::string& s) {
    if (s.empty()) return false;
    char* end = nullptr;
    std::strtod(s.c_str(), &end);
    return end && *end == '\0';
}
}  // namespace

bool is_lonlat_text(const std::string& text) {
    const auto comma = text.find(',');
    if (comma == std::string::npos || text.find(',', comma + 1) != std::string::npos) return false;
    return is_number(trim(text.substr(0, comma))) && is_number(trim(text.substr(comma + 1)));
}

PickKind pick_kind(const plugin::ParamDef& d) {
    const std::string desc = lower(d.description);
    const bool lonlat = desc.find("lon,lat") != std::string::npos || desc.find("lon/lat") != std::string::npos;
    // Lower-case "site" only: "SITE:KEY=VALUE" items are not plain site ids.
    const bool sites = d.description.find("site") != std::string::npos;
    switch (d.type) {
        case plugin::ParamType::Site: return PickKind::Site;
        case plugin::ParamType::Coordinate: return PickKind::Location;
        case plugin::ParamType::String: return lonlat ? PickKind::SiteOrLocation : PickKind::None;
        case plugin::ParamType::List:
            switch (d.item_type) {
                case plugin::ParamType::Site: return PickKind::Site;
                case plugin::ParamType::Coordinate: return PickKind::Location;
                case plugin::ParamType::String:
                    if (d.description.find("TYPE@") != std::string::npos)
                        return system_types(d.description).empty() ? PickKind::None : PickKind::SystemAt;
                    if (lonlat) return PickKind::SiteOrLocation;
                    return sites ? PickKind::Site : PickKind::None;
                default: return PickKind::None;
            }
        default: return PickKind::None;
    }
}

std::vector<std::string> system_types(const std::string& description) {
    std::vector<std::string> out;
    const auto at = description.find("TYPE is");
    if (at == std::string::npos) return out;
    const std::string rest =
        description.substr(at + 7, description.find(';', at) == std::string::npos ? std::string::npos
                                                                                  : description.find(';', at) - at - 7);
    for (std::size_t i = 0; i < rest.size();) {
        if (!std::islower(static_cast<unsigned char>(rest[i]))) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < rest.size() &&
               (std::isalnum(static_cast<unsigned char>(rest[j])) || rest[j] == '_' || rest[j] == '-'))
            ++j;
        if (rest.compare(j, 2, " (") == 0) out.push_back(rest.substr(i, j - i));
        i = j;
    }
    return out;
}

nlohmann::json list_items_from_text(const std::string& text, bool coordinate_items) {
    nlohmann::json items = nlohmann::json::array();
    std::stringstream ss(text);
    for (std::string piece; std::getline(ss, piece, ';');) {
        piece = trim(piece);
        if (piece.empty()) continue;
        if (coordinate_items || is_lonlat_text(piece) || piece.find(',') == std::string::npos) {
            items.push_back(piece);
            continue;
        }
        std::stringstream parts(piece);
        for (std::string item; std::getline(parts, item, ',');)
            if (!(item = trim(item)).empty()) items.push_back(item);
    }
    return items;
}

float colour_distance(const std::array<float, 4>& a, const std::array<float, 4>& b) {
    const float dr = a[0] - b[0], dg = a[1] - b[1], db = a[2] - b[2];
    return std::sqrt(dr * dr + dg * dg + db * db) / std::sqrt(3.0f);
}

std::array<float, 4> series_colour(std::size_t index) {
    // Tableau 10 followed by darker variants: 16 colours that stay apart on white.
    static constexpr std::array<std::array<float, 4>, 16> kColours{{
        {0.122f, 0.467f, 0.706f, 1},
        {1.000f, 0.498f, 0.055f, 1},
        {0.173f, 0.627f, 0.173f, 1},
        {0.839f, 0.153f, 0.157f, 1},
        {0.580f, 0.404f, 0.741f, 1},
        {0.549f, 0.337f, 0.294f, 1},
        {0.890f, 0.467f, 0.761f, 1},
        {0.498f, 0.498f, 0.498f, 1},
        {0.737f, 0.741f, 0.133f, 1},
        {0.090f, 0.745f, 0.812f, 1},
        {0.000f, 0.000f, 0.502f, 1},
        {0.502f, 0.000f, 0.000f, 1},
        {0.000f, 0.392f, 0.000f, 1},
        {0.000f, 0.000f, 0.000f, 1},
        {0.722f, 0.525f, 0.043f, 1},
        {0.416f, 0.353f, 0.804f, 1},
    }};
    return kColours[index % kColours.size()];
}

double ground_m_per_unit(const std::string& display_crs, double lat_deg) {
    if (display_crs == "EPSG:3857") return std::cos(lat_deg * std::numbers::pi / 180.0);
    return 1.0;
}

}  // namespace mp::gui::map

namespace mp::gui::map {

std::array<float, 4> raster_ramp(double t) {
    static constexpr std::array<std::array<float, 3>, 5> kStops{{{1.000f, 0.929f, 0.627f},
                                                                 {0.498f, 0.804f, 0.733f},
                                                                 {0.114f, 0.569f, 0.753f},
                                                                 {0.145f, 0.204f, 0.580f},
                                                                 {0.329f, 0.000f, 0.475f}}};
    const double s = std::clamp(t, 0.0, 1.0) * 4.0;
    const std::size_t i = std::min<std::size_t>(3, static_cast<std::size_t>(s));
    const float f = static_cast<float>(s - static_cast<double>(i));
    std::array<float, 4> c{0, 0, 0, 1};
    for (std::size_t k = 0; k < 3; ++k) c[k] = kStops[i][k] + (kStops[i + 1][k] - kStops[i][k]) * f;
    return c;
}

}  // namespace mp::gui::map
