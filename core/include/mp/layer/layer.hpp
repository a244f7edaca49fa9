// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "mp/geo/geometry.hpp"

namespace mp::layer {

/// A typed attribute value. monostate is a null.
using Value = std::variant<std::monostate, bool, std::int64_t, double, std::string>;

/// Attribute types of a layer's fields.
enum class FieldType { Boolean, Integer, Real, String };

std::string_view field_type_name(FieldType t);

/// Value as text ("" for null, "true"/"false", numbers in shortest round-trip form).
std::string to_string(const Value& v);
/// Numeric view of a value; nullopt for null, strings that are not numbers, and bools.
std::optional<double> to_number(const Value& v);
/// Boolean view: bools, integers (0/1) and "true"/"false"/"yes"/"no" strings.
std::optional<bool> to_bool(const Value& v);

/// The attributes of one feature, in insertion order (the order of the source's fields).
class Attributes {
public:
    /// Sets or replaces key.
    void set(std::string key, Value v);
    /// The value, or nullptr when the key is absent.
    const Value* find(std::string_view key) const;
    bool has(std::string_view key) const { return find(key) != nullptr; }
    /// Text of key, or fallback when absent or null.
    std::string text(std::string_view key, std::string_view fallback = {}) const;
    std::optional<double> number(std::string_view key) const;
    std::optional<bool> boolean(std::string_view key) const;
    const std::vector<std::pair<std::string, Value>>& items() const noexcept { return m_items; }
    std::size_t size() const noexcept { return m_items.size(); }

private:
    std::vector<std::pair<std::string, Value>> m_items;
};

/// One feature: a stable id, a geometry in WGS84 lon/lat and typed attributes.
struct Feature {
    std::string id;
    geo::Geometry geometry;
    Attributes attributes;
};

/// A field of a layer's schema.
struct Field {
    std::string name;
    FieldType type = FieldType::String;
};

/// A named layer of features. Geometries are always held in WGS84 lon/lat;
/// source_crs records the CRS the data was read in (or "EPSG:4326" for our own).
struct Layer {
    std::string name;
    std::string source;      ///< the GDAL source it came from ("" for computed layers)
    std::string source_crs;  ///< PROJ/OGR user input, e.g. "EPSG:31370", or WKT
    std::vector<Field> fields;
    std::vector<Feature> features;
    /// What reading it found and repaired or suspects, for the user to see (each names
    /// the source, the layer and the field): invalid UTF-8 replaced, lon/lat swapped.
    std::vector<std::string> warnings;

    /// The distinct geometry type names present, e.g. {"Point", "Polygon"}.
    std::vector<std::string> geometry_types() const;
    /// The lon/lat extent of all features; false when the layer has no geometry.
    bool extent(geo::Box& out) const;
    /// Derives fields from the features' attributes (widest type per key, first-seen
    /// order): used for layers built in code before writing them.
    void infer_fields();
    /// Feature by id, or nullptr.
    const Feature* find(std::string_view id) const;
};

/// An ordered set of layers with unique names.
class LayerSet {
public:
    /// Adds a layer; a layer with the same name gets a numeric suffix ("roads_2").
    /// Returns the name it was stored under.
    std::string add(Layer layer);
    const Layer* find(std::string_view name) const;
    /// Throws mp::InputError naming the layer and listing the available ones.
    const Layer& get(std::string_view name) const;
    const std::vector<Layer>& layers() const noexcept { return m_layers; }
    std::vector<Layer>& layers() noexcept { return m_layers; }
    bool empty() const noexcept { return m_layers.empty(); }
    std::size_t size() const noexcept { return m_layers.size(); }

private:
    /// Index of a layer by name; rebuilt when stale (the layers are also reachable
    /// through the mutable layers(), which may rename or remove them).
    const Layer* indexed(std::string_view name) const;
    std::vector<Layer> m_layers;
    mutable std::unordered_map<std::string, std::size_t> m_index;
    std::unordered_map<std::string, int> m_next_suffix;  // per base name: the next "_N" to try
};

}  // namespace mp::layer
