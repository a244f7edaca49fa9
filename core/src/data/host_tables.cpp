// SPDX-License-Identifier: MIT
#include "mp/data/host_tables.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "mp/core/error.hpp"
#include "mp/data/default_data.hpp"

namespace mp::data {

int HostTable::column(std::string_view n) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == n) return static_cast<int>(i);
    return -1;
}

int HostTable::find(std::string_view id) const {
    for (std::size_t r = 0; r < rows.size(); ++r)
        if (const auto* s = std::get_if<std::string>(&rows[r][0]); s && *s == id) return static_cast<int>(r);
    return -1;
}

std::vector<std::string> HostTable::ids() const {
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(layer::to_string(r[0]));
    return out;
}

HostTable parse_host_table(std::string_view json, const std::string& name, const std::string& rows_key,
                           const std::string& where) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(json);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(std::string("malformed JSON: ") + e.what(), where);
    }
    if (!j.is_object() || !j.contains(rows_key) || !j[rows_key].is_array())
        throw InputError("expected an object with an array '" + rows_key + "'", where);
    HostTable t;
    t.name = name;
    t.file = where;
    t.columns.push_back("id");
    for (std::size_t i = 0; i < j[rows_key].size(); ++i) {
        const auto& row = j[rows_key][i];
        const std::string at = where + ", " + rows_key + "[" + std::to_string(i) + "]";
        if (!row.is_object() || !row.contains("id") || !row["id"].is_string() || row["id"].get<std::string>().empty())
            throw InputError("a row needs a non-empty string 'id'", at);
        if (t.find(row["id"].get<std::string>()) >= 0)
            throw InputError("duplicate id '" + row["id"].get<std::string>() + "'", at);
        std::vector<layer::Value> values(t.columns.size());
        for (const auto& [key, v] : row.items()) {
            int c = t.column(key);
            if (c < 0) {
                t.columns.push_back(key);
                for (auto& r : t.rows) r.emplace_back();
                values.emplace_back();
                c = static_cast<int>(t.columns.size()) - 1;
            }
            auto& cell = values[static_cast<std::size_t>(c)];
            if (v.is_string()) cell = v.get<std::string>();
            else if (v.is_boolean()) cell = v.get<bool>();
            else if (v.is_number_integer()) cell = v.get<std::int64_t>();
            else if (v.is_number()) cell = v.get<double>();
            else if (!v.is_null()) throw InputError("value of '" + key + "' must be a string, number or bool", at);
        }
        t.rows.push_back(std::move(values));
    }
    return t;
}

const std::vector<HostTable>& host_tables() {
    static const std::vector<HostTable> tables = [] {
        struct Spec {
            const char* name;
            const char* file;
            const char* rows_key;
            const char* noun;
        };
        constexpr Spec kSpecs[] = {
            {"vehicle-presets", "vehicles.json", "presets", "vehicle preset"},
            {"air-defence-systems", "air_defence_systems.json", "systems", "air-defence system"}};
        std::vector<HostTable> out;
        for (const auto& s : kSpecs) {
            for (const auto& f : embedded_files())
                if (f.name == s.file) {
                    out.push_back(parse_host_table(f.bytes, s.name, s.rows_key, std::string("embedded ") + s.file));
                    out.back().noun = s.noun;
                }
        }
        return out;
    }();
    return tables;
}

const HostTable* host_table(std::string_view name) {
    for (const auto& t : host_tables())
        if (t.name == name) return &t;
    return nullptr;
}

std::string host_table_names() {
    std::string s;
    for (const auto& t : host_tables()) s += (s.empty() ? "" : ", ") + t.name;
    return s;
}

}  // namespace mp::data
