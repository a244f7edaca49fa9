// SPDX-License-Identifier: MIT
#include "mp/layer/layer.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "mp/core/error.hpp"

namespace mp::layer {

std::string_view field_type_name(FieldType t) {
    switch (t) {
        case FieldType::Boolean: return "boolean";
        case FieldType::Integer: return "integer";
        case FieldType::Real: return "real";
        case FieldType::String: return "string";
    }
    return "string";
}

std::string to_string(const Value& v) {
    struct V {
        std::string operator()(std::monostate) const { return {}; }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const {
            char buf[64];
            auto r = std::to_chars(buf, buf + sizeof buf, d);
            return std::string(buf, r.ptr);
        }
        std::string operator()(const std::string& s) const { return s; }
    };
    return std::visit(V{}, v);
}

std::optional<double> to_number(const Value& v) {
    if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    if (auto* d = std::get_if<double>(&v)) return *d;
    if (auto* s = std::get_if<std::string>(&v)) {
        double d = 0;
        const char* b = s->data();
        const char* e = b + s->size();
        auto r = std::from_chars(b, e, d);
        if (r.ec == std::errc() && r.ptr == e && !s->empty()) return d;
    }
    return std::nullopt;
}

std::optional<bool> to_bool(const Value& v) {
    if (auto* b = std::get_if<bool>(&v)) return *b;
    if (auto* i = std::get_if<std::int64_t>(&v)) {
        if (*i == 0 || *i == 1) return *i == 1;
    }
    if (auto* s = std::get_if<std::string>(&v)) {
        std::string t = *s;
        std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
        if (t == "true" || t == "yes" || t == "1") return true;
        if (t == "false" || t == "no" || t == "0") return false;
    }
    return std::nullopt;
}

void Attributes::set(std::string key, Value v) {
    for (auto& [k, val] : m_items) {
        if (k == key) {
            val = std::move(v);
            return;
        }
    }
    m_items.emplace_back(std::move(key), std::move(v));
}

const Value* Attributes::find(std::string_view key) const {
    for (const auto& [k, v] : m_items)
        if (k == key) return &v;
    return nullptr;
}

std::string Attributes::text(std::string_view key, std::string_view fallback) const {
    const Value* v = find(key);
    if (!v || std::holds_alternative<std::monostate>(*v)) return std::string(fallback);
    return to_string(*v);
}

std::optional<double> Attributes::number(std::string_view key) const {
    const Value* v = find(key);
    return v ? to_number(*v) : std::nullopt;
}

std::optional<bool> Attributes::boolean(std::string_view key) const {
    const Value* v = find(key);
    return v ? to_bool(*v) : std::nullopt;
}

std::vector<std::string> Layer::geometry_types() const {
    std::vector<std::string> out;
    for (const auto& f : features) {
        if (std::holds_alternative<std::monostate>(f.geometry)) continue;
        auto type = geo::geometry_type_name(f.geometry);
        if (std::find(out.begin(), out.end(), type) == out.end()) out.push_back(std::move(type));
    }
    return out;
}

bool Layer::extent(geo::Box& out) const {
    bool any = false;
    for (const auto& f : features) {
        geo::Box b;
        if (!geo::envelope(f.geometry, b)) continue;
        if (!any) {
            out = b;
            any = true;
        } else {
            geo::bg::expand(out, b);
        }
    }
    return any;
}

void Layer::infer_fields() {
    std::vector<Field> out;
    auto rank = [](const Value& v) -> int {
        if (std::holds_alternative<bool>(v)) return 0;
        if (std::holds_alternative<std::int64_t>(v)) return 1;
        if (std::holds_alternative<double>(v)) return 2;
        if (std::holds_alternative<std::string>(v)) return 3;
        return -1;
    };
    std::vector<int> ranks;
    for (const auto& f : features) {
        for (const auto& [k, v] : f.attributes.items()) {
            auto it = std::find_if(out.begin(), out.end(), [&k = k](const Field& fd) { return fd.name == k; });
            std::size_t idx = it - out.begin();
            if (it == out.end()) {
                out.push_back({k, FieldType::String});
                ranks.push_back(-1);
            }
            int r = rank(v);
            int& cur = ranks[idx];
            if (r < 0) continue;
            if (cur < 0) cur = r;
            else if (cur != r) cur = (std::max(cur, r) == 2 && std::min(cur, r) == 1) ? 2 : 3;
        }
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        switch (ranks[i]) {
            case 0: out[i].type = FieldType::Boolean; break;
            case 1: out[i].type = FieldType::Integer; break;
            case 2: out[i].type = FieldType::Real; break;
            default: out[i].type = FieldType::String; break;
        }
    }
    fields = std::move(out);
}

const Feature* Layer::find(std::string_view id) const {
    for (const auto& f : features)
        if (f.id == id) return &f;
    return nullptr;
}

std::string LayerSet::add(Layer layer) {
    // Linear in the number of layers: a hash index of names and, per base name, the next
    // suffix to try (10,000 sources that all name their layer "roads" stay fast).
    std::string base = layer.name.empty() ? std::string("layer") : layer.name;
    std::string name = base;
    if (find(name)) {
        int& next = m_next_suffix.try_emplace(base, 2).first->second;
        do name = base + "_" + std::to_string(next++);
        while (find(name));
    }
    layer.name = name;
    m_layers.push_back(std::move(layer));
    m_index[name] = m_layers.size() - 1;
    return name;
}

const Layer* LayerSet::indexed(std::string_view name) const {
    auto it = m_index.find(std::string(name));
    if (it != m_index.end() && it->second < m_layers.size() && m_layers[it->second].name == name)
        return &m_layers[it->second];
    return nullptr;
}

const Layer* LayerSet::find(std::string_view name) const {
    if (const Layer* l = indexed(name)) return l;
    // Not indexed, or the index is stale: rebuild it once and look again.
    if (m_index.size() != m_layers.size() || !m_index.empty()) {
        m_index.clear();
        for (std::size_t i = 0; i < m_layers.size(); ++i) m_index.emplace(m_layers[i].name, i);
        return indexed(name);
    }
    return nullptr;
}

const Layer& LayerSet::get(std::string_view name) const {
    if (const Layer* l = find(name)) return *l;
    std::string avail;
    for (const auto& l : m_layers) avail += (avail.empty() ? "" : ", ") + l.name;
    throw InputError("unknown layer '" + std::string(name) + "'", "available: " + (avail.empty() ? "none" : avail));
}

}  // namespace mp::layer
