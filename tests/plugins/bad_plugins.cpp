// SPDX-License-Identifier: MIT
// Misbehaving test plugins, one per BAD_KIND, each built into its own module.
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <thread>

#include "mp/plugin.hpp"

#define KIND_THROWS 1
#define KIND_NAN 2
#define KIND_UNCLOSED 3
#define KIND_TABLE 4
#define KIND_IGNORE_CANCEL 5
#define KIND_SEGFAULT 6
#define KIND_HANG 7
#define KIND_ABI2 8
#define KIND_DUPLICATE 9
#define KIND_ABORT 10

namespace {
volatile int* g_null = nullptr;

void run(mp::sdk::Run& r) {
#if BAD_KIND == KIND_THROWS
    (void)r;
    throw std::runtime_error("deliberate failure: no data for this theatre");
#elif BAD_KIND == KIND_NAN
    r.result_layer("bad").add("nan", mp::sdk::Geometry::point(NAN, 51.0));
#elif BAD_KIND == KIND_UNCLOSED
    mp::sdk::Geometry g = mp::sdk::Geometry::polygon({{4, 51}, {5, 51}, {5, 52}});
    g.xy.resize(g.xy.size() - 2);  // drop the closing vertex
    g.ring_ends = {3};
    r.result_layer("bad").add("open-ring", g);
#elif BAD_KIND == KIND_TABLE
    r.table("ragged").numbers("a", {1, 2, 3}).numbers("b", {1, 2});
#elif BAD_KIND == KIND_IGNORE_CANCEL
    (void)r;
    for (;;) std::this_thread::sleep_for(std::chrono::milliseconds(10));
#elif BAD_KIND == KIND_SEGFAULT
    (void)r;
    *g_null = 42;
#elif BAD_KIND == KIND_HANG
    (void)r;
    volatile unsigned long spins = 0;
    for (;;) spins = spins + 1;
#elif BAD_KIND == KIND_ABORT
    (void)r;
    std::abort();
#else
    r.info("fine");
#endif
}
}  // namespace

#if BAD_KIND == KIND_ABI2
extern "C" MP_PLUGIN_EXPORT const MpPluginV1* mp_plugin_entry(void) {
    static const MpPluginV1 p = {sizeof(MpPluginV1), 2,       0, "future-abi", "Future", "9.0",
                                 "built for ABI 2",  nullptr, 0, nullptr,      nullptr,  nullptr};
    return &p;
}
#else
MP_SDK_PLUGIN(MP_TEST_PLUGIN_ID, "Bad test plugin", "0.1", "Misbehaves on purpose", nullptr, 0, run)
#endif
