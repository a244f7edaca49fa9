// SPDX-License-Identifier: MIT
// The protocol between the host and enablement-plugin-host (isolated runs), designed
// once for what an isolated run needs and what a hostile plugin may do:
//  - the request (plugin file, validated parameters, options and the session's whole
//    workspace: every layer with its features, and the site catalogue as the session
//    built it) arrives on the child's stdin as one CBOR document, from a memory file
//    (memfd), so the parent never blocks on a child that died early;
//  - progress and the result travel on a dedicated control descriptor as frames
//    ([u32 little-endian length][u8 kind][CBOR payload]), never on the plugin's stdout;
//  - the plugin's stdout and stderr are captured as lines and become run messages
//    (a plugin's printf can neither break the run nor forge a result);
//  - every string crossing is checked UTF-8 (the host API repairs plugin text at entry).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mp/data/default_data.hpp"

namespace mp::plugin {

/// Version of the isolated-run protocol; the child refuses another.
inline constexpr int kIsolationProtocol = 2;

/// The workspace as an isolated run receives it: layers (name, source, CRS, fields,
/// features) in order, and the catalogue's sites (which may be fewer than the layers
/// hold: result layers are never sites).
nlohmann::json workspace_to_json(const data::Workspace& ws);
/// The inverse. Throws mp::PluginError naming what is malformed.
data::Workspace workspace_from_json(const nlohmann::json& j);

/// Kinds of control frames.
enum class FrameKind : std::uint8_t { Progress = 'P', Result = 'R' };

/// Largest frame accepted (a result of 100 M raster cells fits).
inline constexpr std::uint32_t kMaxFrameBytes = 1'500'000'000u;

/// Writes all n bytes to a descriptor (a pipe or memfd), retrying partial writes and
/// EINTR; false on any other failure.
bool write_all(int fd, const char* data, std::size_t n);

/// One frame: header and payload.
std::string encode_frame(FrameKind kind, const std::vector<std::uint8_t>& payload);

/// Incremental frame decoder for the control channel: feed() bytes as they arrive,
/// next() yields complete frames. A frame of an unknown kind or over kMaxFrameBytes
/// sets error() and stops decoding.
class FrameReader {
public:
    void feed(const char* data, std::size_t n);
    /// The next complete frame, if any.
    bool next(FrameKind& kind, std::vector<std::uint8_t>& payload);
    const std::string& error() const noexcept { return m_error; }

private:
    std::string m_buffer;
    std::size_t m_pos = 0;
    std::string m_error;
};

}  // namespace mp::plugin
