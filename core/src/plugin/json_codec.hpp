// SPDX-License-Identifier: MIT
// Internal: our compact JSON form of geometries and attribute values, shared by run
// results (result.cpp) and the workspace sent to isolated runs (transport.cpp).
#pragma once

#include <nlohmann/json.hpp>

#include "mp/layer/layer.hpp"

namespace mp::plugin::detail {

/// {"t": type index of geo::Geometry, "c": coordinates as nested [lon, lat] arrays}.
nlohmann::json geometry_json(const geo::Geometry& g);
/// The inverse; throws nlohmann::json exceptions on malformed input (callers turn them
/// into mp errors naming where).
geo::Geometry geometry_from_json(const nlohmann::json& j);
/// A value as JSON (null, bool, integer, number, string).
nlohmann::json value_json(const layer::Value& v);
layer::Value value_from_json(const nlohmann::json& j);

}  // namespace mp::plugin::detail
