// SPDX-License-Identifier: MIT
#include "mp/plugin/transport.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "json_codec.hpp"
#include "mp/core/error.hpp"

namespace mp::plugin {

using detail::geometry_from_json;
using detail::geometry_json;
using detail::value_from_json;
using detail::value_json;

namespace {

nlohmann::json attributes_json(const layer::Attributes& a) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [k, v] : a.items()) out.push_back({k, value_json(v)});
    return out;
}

layer::Attributes attributes_from(const nlohmann::json& j) {
    layer::Attributes a;
    for (const auto& kv : j) a.set(kv.at(0).get<std::string>(), value_from_json(kv.at(1)));
    return a;
}

}  // namespace

nlohmann::json workspace_to_json(const data::Workspace& ws) {
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : ws.layers.layers()) {
        nlohmann::json fields = nlohmann::json::array();
        for (const auto& f : l.fields) fields.push_back({f.name, static_cast<int>(f.type)});
        nlohmann::json feats = nlohmann::json::array();
        for (const auto& f : l.features)
            feats.push_back({{"id", f.id}, {"g", geometry_json(f.geometry)}, {"a", attributes_json(f.attributes)}});
        layers.push_back({{"name", l.name},
                          {"source", l.source},
                          {"crs", l.source_crs},
                          {"fields", std::move(fields)},
                          {"features", std::move(feats)}});
    }
    nlohmann::json sites = nlohmann::json::array();
    for (const auto& s : ws.catalogue.sites())
        sites.push_back({{"id", s.id},
                         {"kind", sites::kind_name(s.kind)},
                         {"en", s.name_en},
                         {"nl", s.name_nl},
                         {"fr", s.name_fr},
                         {"g", geometry_json(s.geometry)},
                         {"a", attributes_json(s.attributes)},
                         {"source", s.source},
                         {"estimates", s.estimates}});
    return {{"layers", std::move(layers)}, {"sites", std::move(sites)}};
}

data::Workspace workspace_from_json(const nlohmann::json& j) {
    data::Workspace ws;
    std::string where = "workspace";
    try {
        for (const auto& lj : j.at("layers")) {
            layer::Layer l;
            l.name = lj.at("name").get<std::string>();
            where = "workspace layer '" + l.name + "'";
            l.source = lj.at("source").get<std::string>();
            l.source_crs = lj.at("crs").get<std::string>();
            for (const auto& f : lj.at("fields")) {
                const int t = f.at(1).get<int>();
                if (t < 0 || t > static_cast<int>(layer::FieldType::String)) throw PluginError("bad field type", where);
                l.fields.push_back({f.at(0).get<std::string>(), static_cast<layer::FieldType>(t)});
            }
            for (const auto& fj : lj.at("features")) {
                layer::Feature f;
                f.id = fj.at("id").get<std::string>();
                f.geometry = geometry_from_json(fj.at("g"));
                f.attributes = attributes_from(fj.at("a"));
                l.features.push_back(std::move(f));
            }
            ws.layers.add(std::move(l));
        }
        where = "workspace sites";
        for (const auto& sj : j.at("sites")) {
            sites::Site s;
            s.id = sj.at("id").get<std::string>();
            const auto kind = sites::parse_kind(sj.at("kind").get<std::string>());
            if (!kind) throw PluginError("unknown site kind", "site '" + s.id + "'");
            s.kind = *kind;
            s.name_en = sj.at("en").get<std::string>();
            s.name_nl = sj.at("nl").get<std::string>();
            s.name_fr = sj.at("fr").get<std::string>();
            s.geometry = geometry_from_json(sj.at("g"));
            s.attributes = attributes_from(sj.at("a"));
            s.source = sj.at("source").get<std::string>();
            s.estimates = sj.at("estimates").get<std::vector<std::string>>();
            ws.catalogue.add(std::move(s));
        }
    } catch (const nlohmann::json::exception& e) {
        throw PluginError(std::string("malformed workspace from the host: ") + e.what(), where);
    }
    return ws;
}

bool write_all(int fd, const char* data, std::size_t n) {
    while (n > 0) {
        const ssize_t w = ::write(fd, data, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        data += w, n -= static_cast<std::size_t>(w);
    }
    return true;
}

std::string encode_frame(FrameKind kind, const std::vector<std::uint8_t>& payload) {
    if (payload.size() > kMaxFrameBytes)
        throw PluginError("result of " + std::to_string(payload.size()) + " bytes is too large to send (limit " +
                          std::to_string(kMaxFrameBytes) + ")");
    const auto n = static_cast<std::uint32_t>(payload.size());
    std::string out(5 + payload.size(), '\0');
    for (int i = 0; i < 4; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
    out[4] = static_cast<char>(kind);
    if (!payload.empty()) std::memcpy(out.data() + 5, payload.data(), payload.size());
    return out;
}

void FrameReader::feed(const char* data, std::size_t n) {
    if (!m_error.empty()) return;
    if (m_pos > 0 && (m_pos == m_buffer.size() || m_pos > (1u << 20))) m_buffer.erase(0, m_pos), m_pos = 0;
    m_buffer.append(data, n);
}

bool FrameReader::next(FrameKind& kind, std::vector<std::uint8_t>& payload) {
    if (!m_error.empty() || m_buffer.size() - m_pos < 5) return false;
    std::uint32_t n = 0;
    for (int i = 0; i < 4; ++i)
        n |= static_cast<std::uint32_t>(static_cast<unsigned char>(m_buffer[m_pos + i])) << (8 * i);
    const auto k = static_cast<std::uint8_t>(m_buffer[m_pos + 4]);
    if (k != static_cast<std::uint8_t>(FrameKind::Progress) && k != static_cast<std::uint8_t>(FrameKind::Result)) {
        m_error = "unknown control frame kind " + std::to_string(k);
        return false;
    }
    if (n > kMaxFrameBytes) {
        m_error = "control frame of " + std::to_string(n) + " bytes exceeds the limit";
        return false;
    }
    if (m_buffer.size() - m_pos - 5 < n) return false;
    kind = static_cast<FrameKind>(k);
    const auto* p = reinterpret_cast<const std::uint8_t*>(m_buffer.data() + m_pos + 5);
    payload.assign(p, p + n);
    m_pos += 5 + n;
    if (m_pos == m_buffer.size()) m_buffer.clear(), m_pos = 0;
    return true;
}

}  // namespace mp::plugin
