// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mp/core/error.hpp"
#include "mp/layer/layer.hpp"

namespace mp::sites {

/// The kinds of infrastructure site the planner knows.
enum class SiteKind { Port, Airbase, RailTerminal, TrainingArea, BorderCrossing, StagingArea };

std::string_view kind_name(SiteKind k);  ///< "port", "airbase", "rail_terminal", ...
/// Parses a kind name (also accepts plurals and '-' for '_'); nullopt when unknown.
std::optional<SiteKind> parse_kind(std::string_view s);
const std::vector<SiteKind>& all_kinds();

/// One infrastructure site: id, names, kind, geometry and kind-specific capacities.
/// The capacity keys per kind are documented in docs/data-model.md.
struct Site {
    std::string id;  ///< stable slug, e.g. "leopoldsburg-rail-terminal"
    SiteKind kind = SiteKind::Port;
    std::string name_en;                 ///< English name (always set)
    std::string name_nl;                 ///< Dutch name (may equal name_en)
    std::string name_fr;                 ///< French name (may equal name_en)
    geo::Geometry geometry;              ///< Point, or Polygon for areas; WGS84 lon/lat
    layer::Attributes attributes;        ///< all attributes, including the capacities
    std::string source;                  ///< key into data/SOURCES.md
    std::vector<std::string> estimates;  ///< attribute keys that are planning estimates

    /// The location used for routing and distances (the point, or a polygon's centroid).
    geo::LonLat anchor() const;
    bool is_estimate(std::string_view key) const;
};

/// Case-, accent- and punctuation-insensitive form of a name for look-up:
/// "Chièvres" -> "chievres", "Bourg-Léopold" -> "bourg leopold".
std::string normalise_name(std::string_view s);

/// The site catalogue: every site from one or more layers, looked up by id or name.
class Catalogue {
public:
    /// Adds every feature of the layer whose "kind" attribute names a site kind.
    /// Throws mp::InputError when a site lacks an id, has a duplicate id, or has no
    /// geometry (naming the layer and feature).
    void add_layer(const layer::Layer& l);
    void add(Site s);

    const std::vector<Site>& sites() const noexcept { return m_sites; }
    std::vector<const Site*> of_kind(SiteKind k) const;
    /// Exact id look-up.
    const Site* by_id(std::string_view id) const;
    /// Look-up by id, then by any of the names (NL/FR/EN), insensitive to case, accents
    /// and punctuation; a unique prefix of a name also matches. Fails with a reason that
    /// lists the closest candidates when nothing or more than one site matches.
    Result<const Site*> find(std::string_view query) const;

private:
    std::vector<Site> m_sites;
    std::unordered_map<std::string, std::size_t> m_by_id;  // id -> index into m_sites
};

}  // namespace mp::sites
