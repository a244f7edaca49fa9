// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mp/layer/layer.hpp"

namespace mp::data {

/// A named table of the host's reference data, offered to plugins through the C ABI
/// (host_table_*) and as the choices of enum parameters (MpParamDef.choices_from).
/// Rows are keyed by their "id" column.
struct HostTable {
    std::string name;                  ///< e.g. "vehicle-presets"
    std::string file;                  ///< the embedded file it comes from, e.g. "vehicles.json"
    std::string noun;                  ///< what a row is, for messages: "vehicle preset"
    std::vector<std::string> columns;  ///< in order of first appearance; "id" first
    std::vector<std::vector<layer::Value>> rows;
    /// Index of a column, or -1.
    int column(std::string_view name) const;
    /// Index of the row whose id is `id`, or -1.
    int find(std::string_view id) const;
    /// The ids of all rows, in order.
    std::vector<std::string> ids() const;
};

/// The host tables, read once from the embedded data: "vehicle-presets"
/// (data/vehicles.json) and "air-defence-systems" (data/air_defence_systems.json).
const std::vector<HostTable>& host_tables();
/// A host table by name, or nullptr.
const HostTable* host_table(std::string_view name);
/// "vehicle-presets, air-defence-systems": for messages.
std::string host_table_names();

/// Parses a table from JSON {"<rows_key>": [{"id": ..., ...}, ...]}. Throws mp::InputError
/// naming `where` when it is malformed (no array, a row without an id, a duplicate id,
/// a nested value).
HostTable parse_host_table(std::string_view json, const std::string& name, const std::string& rows_key,
                           const std::string& where);

}  // namespace mp::data
