// SPDX-License-Identifier: MIT
// libFuzzer target: what an isolated plugin host sends back (hardening items 10 and 11):
// control-channel frames (FrameReader), each a CBOR run result, progress report or
// garbage. Decoding must never crash; a run result that decodes must be consistent
// (every raster's cells fit its sizes) and serialise again. Input starting with '{' is
// read as the JSON text a results file holds.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mp/core/error.hpp"
#include "mp/plugin/result.hpp"
#include "mp/plugin/transport.hpp"

namespace {

void decode(const nlohmann::json& j) {
    mp::plugin::RunResult r;
    try {
        r = mp::plugin::run_result_from_json(j);
    } catch (const mp::Error&) {
        return;
    } catch (const nlohmann::json::exception&) {
        std::abort();  // the decoder must turn malformed JSON into mp::PluginError
    }
    for (const auto& raster : r.rasters)
        if (!raster.problem().empty()) std::abort();
    (void)mp::plugin::to_json(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 0 && data[0] == '{') {
        const auto j = nlohmann::json::parse(data, data + size, nullptr, false);
        if (!j.is_discarded()) decode(j);
        return 0;
    }
    mp::plugin::FrameReader frames;
    // Feed in two pieces, as a pipe may deliver them.
    const std::size_t half = size / 2;
    frames.feed(reinterpret_cast<const char*>(data), half);
    frames.feed(reinterpret_cast<const char*>(data) + half, size - half);
    mp::plugin::FrameKind kind{};
    std::vector<std::uint8_t> payload;
    while (frames.next(kind, payload)) {
        // As the host reads a frame (registry.cpp): nlohmann's CBOR reader throws on some
        // inputs even when asked not to (an "excessive array size" header), so catch.
        nlohmann::json j;
        try {
            j = nlohmann::json::from_cbor(payload);
        } catch (const nlohmann::json::exception&) {
            continue;
        }
        if (kind == mp::plugin::FrameKind::Result) decode(j);
    }
    return 0;
}
