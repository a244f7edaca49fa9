// SPDX-License-Identifier: MIT
#include "json_codec.hpp"

namespace mp::plugin::detail {

nlohmann::json geometry_json(const geo::Geometry& g) {
    // Our own compact form: {"t": type index, "c": coordinates as nested arrays}.
    nlohmann::json c;
    auto pt = [](const geo::LonLat& p) { return nlohmann::json::array({geo::lon(p), geo::lat(p)}); };
    auto line = [&](const auto& l) {
        nlohmann::json a = nlohmann::json::array();
        for (const auto& p : l) a.push_back(pt(p));
        return a;
    };
    auto poly = [&](const geo::Polygon& p) {
        nlohmann::json a = nlohmann::json::array({line(p.outer())});
        for (const auto& h : p.inners()) a.push_back(line(h));
        return a;
    };
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, geo::LonLat>) c = pt(v);
            else if constexpr (std::is_same_v<T, geo::LineString> || std::is_same_v<T, geo::MultiPoint>) c = line(v);
            else if constexpr (std::is_same_v<T, geo::Polygon>) c = poly(v);
            else if constexpr (std::is_same_v<T, geo::MultiLineString>) {
                c = nlohmann::json::array();
                for (const auto& l : v) c.push_back(line(l));
            } else if constexpr (std::is_same_v<T, geo::MultiPolygon>) {
                c = nlohmann::json::array();
                for (const auto& p : v) c.push_back(poly(p));
            }
        },
        g);
    return {{"t", g.index()}, {"c", c}};
}

geo::Geometry geometry_from_json(const nlohmann::json& j) {
    const auto t = j.at("t").get<std::size_t>();
    const auto& c = j.at("c");
    auto pt = [](const nlohmann::json& p) { return geo::LonLat(p.at(0).get<double>(), p.at(1).get<double>()); };
    auto line = [&](const nlohmann::json& a) {
        geo::LineString l;
        for (const auto& p : a) l.push_back(pt(p));
        return l;
    };
    auto poly = [&](const nlohmann::json& a) {
        geo::Polygon p;
        for (std::size_t i = 0; i < a.size(); ++i) {
            geo::LineString r = line(a[i]);
            if (i == 0) p.outer().assign(r.begin(), r.end());
            else p.inners().emplace_back(r.begin(), r.end());
        }
        return p;
    };
    if (!c.is_array() && t != 0) throw nlohmann::json::type_error::create(302, "coordinates are not an array", &c);
    switch (t) {
        case 1: return pt(c);
        case 2: return line(c);
        case 3: return poly(c);
        case 4: {
            geo::MultiPoint m;
            for (const auto& p : c) m.push_back(pt(p));
            return m;
        }
        case 5: {
            geo::MultiLineString m;
            for (const auto& l : c) m.push_back(line(l));
            return m;
        }
        case 6: {
            geo::MultiPolygon m;
            for (const auto& p : c) m.push_back(poly(p));
            return m;
        }
        default: return std::monostate{};
    }
}

nlohmann::json value_json(const layer::Value& v) {
    return std::visit(
        [](const auto& x) -> nlohmann::json {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>) return nullptr;
            else return x;
        },
        v);
}

layer::Value value_from_json(const nlohmann::json& j) {
    if (j.is_boolean()) return j.get<bool>();
    if (j.is_number_integer()) return j.get<std::int64_t>();
    if (j.is_number()) return j.get<double>();
    if (j.is_string()) return j.get<std::string>();
    return std::monostate{};
}

}  // namespace mp::plugin::detail
