// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mp/geo/geometry.hpp"

namespace mp::geo {

/// Well-known CRS codes of the product.
inline constexpr const char* kWgs84 = "EPSG:4326";
inline constexpr const char* kLambert72 = "EPSG:31370";
inline constexpr const char* kLambert2008 = "EPSG:3812";
inline constexpr const char* kWebMercator = "EPSG:3857";

/// A coordinate transformation by PROJ between two CRSs given as any PROJ user input
/// ("EPSG:31370", WKT, PROJJSON, proj-string). Axis order is normalised for
/// visualisation: x = longitude or easting, y = latitude or northing, always.
/// Not thread-safe: give each thread its own Transformer (each owns a PROJ context).
class Transformer {
public:
    /// Throws mp::InputError when either CRS is unknown or no transformation exists.
    Transformer(const std::string& source_crs, const std::string& target_crs);
    ~Transformer();
    Transformer(Transformer&&) noexcept;
    Transformer& operator=(Transformer&&) noexcept;
    Transformer(const Transformer&) = delete;
    Transformer& operator=(const Transformer&) = delete;

    /// Transforms (x, y) in place; throws mp::Error when PROJ cannot (out of domain).
    void forward(double& x, double& y) const;
    void inverse(double& x, double& y) const;
    /// Transforms many points in place (x and y arrays of equal length); failed points
    /// become infinite.
    void forward_many(std::vector<double>& x, std::vector<double>& y) const;

    const std::string& source() const noexcept { return m_source; }
    const std::string& target() const noexcept { return m_target; }

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::string m_source;
    std::string m_target;
};

/// Convenience: WGS84 lon/lat to (x, y) in target_crs.
ProjectedXY project(const LonLat& p, const std::string& target_crs);
/// Convenience: (x, y) in source_crs to WGS84 lon/lat.
LonLat unproject(const ProjectedXY& p, const std::string& source_crs);

/// A short human name of a CRS ("EPSG:31370 Belge 1972 / Belgian Lambert 72") for any
/// PROJ user input; the input itself when PROJ cannot identify it.
std::string describe_crs(const std::string& crs);

}  // namespace mp::geo
