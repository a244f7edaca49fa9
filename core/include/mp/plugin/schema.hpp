// SPDX-License-Identifier: MIT
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mp/mp_plugin.h"

namespace mp::data {
struct Workspace;
}

namespace mp::plugin {

/// The types of plugin parameters (mirrors MpParamType).
enum class ParamType { Number, Integer, Bool, Enum, String, Site, Layer, Coordinate, Polygon, List };

std::string_view param_type_name(ParamType t);

/// One parameter of a plugin's schema, copied from the plugin's MpParamDef.
struct ParamDef {
    std::string key;
    std::string label;
    std::string description;
    ParamType type = ParamType::String;
    std::string unit;
    std::optional<double> min;
    std::optional<double> max;
    std::optional<std::string> default_value;
    bool required = false;
    std::vector<std::string> choices;         ///< Enum
    ParamType item_type = ParamType::String;  ///< List
};

/// Copies and checks a plugin's C schema; throws mp::PluginError naming the parameter
/// when it is malformed (no key, duplicate key, enum without choices, bad default).
std::vector<ParamDef> schema_from_c(const MpParamDef* defs, std::size_t count);

/// Validated parameter values, a JSON object: numbers as doubles, integers as integers,
/// bools, strings (enum, string, site id, layer name), coordinates as [lon, lat],
/// polygons as a closed ring [[lon, lat], ...], lists as arrays of strings.
using ParamValues = nlohmann::json;

/// Validates raw values against the schema: raw is a JSON object whose values are text
/// (as typed on the command line, e.g. "4.4,51.2") or JSON values (from a --params
/// file). Defaults fill what is missing. Sites must exist in ws's catalogue and are
/// stored by id; layers must be loaded. Throws mp::UsageError naming the key: unknown
/// key, wrong type, out of range, missing required value.
ParamValues validate_params(const std::vector<ParamDef>& schema, const nlohmann::json& raw, const data::Workspace* ws);

/// The schema as JSON (for `enablement plugins --format json` and the GUI).
nlohmann::json schema_to_json(const std::vector<ParamDef>& schema);

/// Parses "key=value" into (key, value); throws mp::UsageError when there is no '='.
std::pair<std::string, std::string> split_key_value(const std::string& kv);

}  // namespace mp::plugin
