// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mp/plugin/schema.hpp"

namespace mp::gui::map {

/// What a click on the map puts into a plugin parameter.
enum class PickKind {
    None,
    Site,            ///< the id of the nearest site
    Location,        ///< lon,lat of the click
    SiteOrLocation,  ///< a site id under the click, else lon,lat
    SystemAt,        ///< "<type>@<site id>" or "<type>@lon/lat" (protection-coverage systems)
};

/// The pick a parameter offers, from its type and, for text and text lists, its
/// description (mentions of sites, "lon,lat" or "TYPE@").
PickKind pick_kind(const plugin::ParamDef& d);

/// The types named in a "TYPE@..." description: the words directly followed by " ("
/// after "TYPE is" (e.g. "TYPE is cuas (3 km), vshorad (6 km)" -> cuas, vshorad).
std::vector<std::string> system_types(const std::string& description);

/// A list parameter's text field as a JSON array of items for the plugin host. Items are
/// separated by ';'; when items are not coordinates, a piece that is not itself a
/// "lon,lat" pair is split on ',' as well (so "a, b" still gives two items while
/// "port-antwerp; 4.35,50.85" gives a site and a coordinate). Blank items are dropped.
nlohmann::json list_items_from_text(const std::string& text, bool coordinate_items);

/// Whether text is "lon,lat" (two decimal numbers separated by a comma).
bool is_lonlat_text(const std::string& text);

/// Relative colour distance in [0, 1] (Euclidean RGB / sqrt 3).
float colour_distance(const std::array<float, 4>& a, const std::array<float, 4>& b);

/// A perceptually distinct categorical palette (Kelly / Tableau 20 based) for charts.
std::array<float, 4> series_colour(std::size_t index);

/// Ground metres per display unit at latitude lat_deg for a display CRS: Web Mercator
/// stretches by 1/cos(lat) (Snyder 1987, "Map Projections: A Working Manual", eq. 7-4),
/// Lambert 2008 is conformal with scale ~1 over Belgium.
double ground_m_per_unit(const std::string& display_crs, double lat_deg);

}  // namespace mp::gui::map

namespace mp::gui::map {

/// The colour of normalised raster value t in [0, 1]; the same stops as
/// shaders/map_raster.frag (for the legend).
std::array<float, 4> raster_ramp(double t);

}  // namespace mp::gui::map
