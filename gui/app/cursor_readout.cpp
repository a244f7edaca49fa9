// SPDX-License-Identifier: MIT
#include <GeographicLib/MGRS.hpp>
#include <GeographicLib/UTMUPS.hpp>

#include <string>

#include "app/app.hpp"

namespace mp::gui {

std::string format_mgrs(double lon, double lat) {
    try {
        int zone = 0;
        bool north = true;
        double x = 0, y = 0;
        GeographicLib::UTMUPS::Forward(lat, lon, zone, north, x, y);
        std::string mgrs;
        GeographicLib::MGRS::Forward(zone, north, x, y, lat, 5, mgrs);  // 5 digits: 1 m
        // "31UES1234567890" -> "31U ES 12345 67890"
        const std::size_t digits = mgrs.size() >= 10 ? 10 : 0;
        if (digits == 0) return mgrs;
        const std::size_t head = mgrs.size() - digits;  // zone + band + square
        return mgrs.substr(0, head - 2) + " " + mgrs.substr(head - 2, 2) + " " + mgrs.substr(head, 5) + " " +
               mgrs.substr(head + 5);
    } catch (const std::exception&) {
        return {};
    }
}

}  // namespace mp::gui
