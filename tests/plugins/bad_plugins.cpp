// SPDX-License-Identifier: MIT
// Misbehaving test plugins, one per BAD_KIND, each built into its own module.
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <cstdlib>
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
#define KIND_TRUNCATED 11
#define KIND_TINY_STRIDE 12
#define KIND_UNKNOWN_CHOICES 13
#define KIND_FORGES 14
#define KIND_FORKS 15
#define KIND_EXITS 16
#define KIND_BAD_UTF8 17
#define KIND_INIT_CRASH 18
#define KIND_INIT_HANG 19
#define KIND_CTOR_CRASH 20
#define KIND_SLOW 21

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
#elif BAD_KIND == KIND_FORGES
    // Prints a forged result where the old protocol read results (stdout), and tries the
    // descriptor the control channel is first handed on; then returns its real result.
    const char* forged = "{\"status\":\"ok\",\"layers\":[],\"tables\":[],\"rasters\":[],\"messages\":[]}";
    std::printf("%s\n", forged);
    std::fflush(stdout);
    std::fprintf(stderr, "diagnostic on stderr\n");
    (void)!::write(3, forged, 20);
    r.result_layer("real").add("p", mp::sdk::Geometry::point(4.4, 51.2));
    r.info("real result");
#elif BAD_KIND == KIND_FORKS
    // Leaves a child behind that holds stdout and stderr open for a long time.
    if (::fork() == 0) {
        ::sleep(60);
        ::_exit(0);
    }
    r.info("parent returns");
#elif BAD_KIND == KIND_EXITS
    (void)r;
    std::exit(0);
#elif BAD_KIND == KIND_SLOW
    // Slow but well-behaved: works for a minute, and stops as soon as it is asked to.
    for (int i = 0; i < 6000; ++i) {
        r.check_cancelled();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
#elif BAD_KIND == KIND_BAD_UTF8
    r.result_layer("bad\xff name").add("f\xc3", mp::sdk::Geometry::point(4.4, 51.2)).set("note", "caf\xe9 au lait");
    r.info("ok \xed\xa0\x80 surrogate");
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
#elif BAD_KIND == KIND_TRUNCATED || BAD_KIND == KIND_TINY_STRIDE
// A descriptor shorter than ABI 1.0's, and one whose parameter entries claim 8 bytes.
const MpParamDef kOne[] = {mp::sdk::param("x", "X", MP_PARAM_NUMBER)};
MpStatus run_c(const MpHostApi*, MpRunContext*) { return MP_OK; }
extern "C" MP_PLUGIN_EXPORT const MpPluginV1* mp_plugin_entry(void) {
    static MpPluginV1 p = [] {
        MpPluginV1 d{};
        d.struct_size = BAD_KIND == KIND_TRUNCATED ? 24 : sizeof(MpPluginV1);
        d.abi_major = MP_PLUGIN_ABI_MAJOR, d.abi_minor = MP_PLUGIN_ABI_MINOR;
        d.id = MP_TEST_PLUGIN_ID, d.name = "Bad descriptor", d.version = "0.1";
        d.params = kOne, d.param_count = 1, d.run = run_c;
        d.param_def_size = 8;
        return d;
    }();
    return &p;
}
#elif BAD_KIND == KIND_INIT_CRASH || BAD_KIND == KIND_INIT_HANG || BAD_KIND == KIND_CTOR_CRASH
// Plugins that never get as far as a run: init() crashes or hangs, or a static
// constructor crashes while the library is opened.
#if BAD_KIND == KIND_CTOR_CRASH
__attribute__((constructor)) void crash_on_load() { std::raise(SIGSEGV); }
#endif
MpStatus bad_init() {
#if BAD_KIND == KIND_INIT_CRASH
    std::raise(SIGSEGV);
#elif BAD_KIND == KIND_INIT_HANG
    for (;;) std::this_thread::sleep_for(std::chrono::milliseconds(10));
#endif
    return MP_OK;
}
MpStatus run_c(const MpHostApi*, MpRunContext*) { return MP_OK; }
extern "C" MP_PLUGIN_EXPORT const MpPluginV1* mp_plugin_entry(void) {
    static MpPluginV1 p = [] {
        MpPluginV1 d{};
        d.struct_size = sizeof(MpPluginV1);
        d.abi_major = MP_PLUGIN_ABI_MAJOR, d.abi_minor = MP_PLUGIN_ABI_MINOR;
        d.id = MP_TEST_PLUGIN_ID, d.name = "Bad loader", d.version = "0.1";
        d.init = bad_init, d.run = run_c, d.param_def_size = sizeof(MpParamDef);
        return d;
    }();
    return &p;
}
#elif BAD_KIND == KIND_UNKNOWN_CHOICES
const MpParamDef kParams[] = {mp::sdk::host_enum_param("ship", "Ship", "ship-classes")};
MP_SDK_PLUGIN(MP_TEST_PLUGIN_ID, "Bad test plugin", "0.1", "Misbehaves on purpose", kParams, 1, run)
#else
MP_SDK_PLUGIN(MP_TEST_PLUGIN_ID, "Bad test plugin", "0.1", "Misbehaves on purpose", nullptr, 0, run)
#endif
