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

/// The types of plugin parameters (mirrors MpParamType; Place and later are ABI 1.1).
enum class ParamType {
    Number,
    Integer,
    Bool,
    Enum,
    String,
    Site,
    Layer,
    Coordinate,
    Polygon,
    List,
    Place,
    Raster,
    File,
    Record
};

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
    std::vector<std::string> choices;         ///< Enum (resolved from choices_from when given)
    ParamType item_type = ParamType::String;  ///< List
    std::string choices_from;                 ///< Enum: the host table the choices come from ("" when the plugin's)
    bool file_out = false;                    ///< File: the plugin writes it (else reads it)
    std::string file_types;                   ///< File, Raster: name patterns for a file dialog ("*.json")
    std::vector<ParamDef> fields;             ///< Record, or a list of records: the fields
    /// A retired parameter: what replaced it ("" for a live one). A value for it is refused
    /// with this text; forms and listings leave it out.
    std::string replaced_by;
    bool retired() const { return !replaced_by.empty(); }
    /// The record fields apply (a Record, or a List of Records).
    bool has_fields() const { return type == ParamType::Record || item_type == ParamType::Record; }
};

/// Copies and checks a plugin's C schema; throws mp::PluginError naming the parameter
/// when it is malformed (no key, duplicate key, enum without choices, unknown host
/// choices, a record without fields, bad default). `stride` is the size of one entry as
/// the plugin was built (MpPluginV1.param_def_size; MP_PARAM_DEF_SIZE_1_0 for a 1.0
/// plugin): entries are read at that stride and the fields past it read as zero.
std::vector<ParamDef> schema_from_c(const MpParamDef* defs, std::size_t count, std::size_t stride = sizeof(MpParamDef));

/// Moves the retired entries (replaced_by) of a schema out into `retired`.
void split_retired(std::vector<ParamDef>& schema, std::vector<ParamDef>& retired);
/// Throws mp::UsageError "parameter 'KEY' was replaced: TEXT" when raw (a JSON object of
/// values) has a value for a retired key.
void refuse_retired(const std::vector<ParamDef>& retired, const nlohmann::json& raw);

/// Validated parameter values, a JSON object: numbers as doubles, integers as integers,
/// bools, strings (enum, string, site id, layer name, file and raster paths),
/// coordinates as [lon, lat], polygons as a closed ring [[lon, lat], ...], places as
/// {"label": site id or "lon,lat", "lon", "lat", "site": id or null}, records as objects
/// of their fields (optional fields without a value absent), lists as arrays of items
/// (items of scalar types as text, places and records as above).
using ParamValues = nlohmann::json;

/// Validates raw values against the schema: raw is a JSON object whose values are text
/// (as typed on the command line, e.g. "4.4,51.2", or JSON text for records and lists
/// of records) or JSON values (from a --params file). Defaults fill what is missing.
/// Sites must exist in ws's catalogue and are stored by id; layers must be loaded.
/// Throws mp::UsageError naming the key: unknown key, wrong type, out of range, missing
/// required value; and mp::InputError naming the key and value for input that does not
/// exist or cannot be read: an unknown place, a file that is not there, a raster source
/// that is not a raster or has no CRS. `schema` holds the live parameters: retired ones
/// are split off (split_retired) and refused first (refuse_retired), as Registry::run does.
ParamValues validate_params(const std::vector<ParamDef>& schema, const nlohmann::json& raw, const data::Workspace* ws);

/// The schema as JSON (for `enablement plugins --format json` and the GUI).
nlohmann::json schema_to_json(const std::vector<ParamDef>& schema);

/// The inverse of schema_to_json (a schema a plugin-host probe sent back). Throws
/// mp::PluginError naming the entry that is malformed.
std::vector<ParamDef> schema_from_json(const nlohmann::json& j);

/// Parses "key=value" into (key, value); throws mp::UsageError when there is no '='.
std::pair<std::string, std::string> split_key_value(const std::string& kv);

}  // namespace mp::plugin
