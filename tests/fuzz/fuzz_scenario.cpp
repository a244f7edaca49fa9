// SPDX-License-Identifier: MIT
// libFuzzer target: a scenario file (docs/scenario.md) is untrusted input. parse_scenario
// must return a scenario or throw mp::InputError naming the file; what it returns must
// serialise again (scenario_json) and parse back.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mp/core/error.hpp"
#include "mp/session/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mp::session;
    Scenario sc;
    try {
        sc = parse_scenario(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.scenario.json");
    } catch (const mp::InputError&) {
        return 0;
    }
    // A scenario that was read is one this program can write and read back.
    const std::string again = scenario_json(sc, "");
    try {
        (void)parse_scenario(again, "rewritten.scenario.json");
    } catch (const mp::InputError&) {
        std::abort();
    }
    return 0;
}
