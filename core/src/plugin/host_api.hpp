// SPDX-License-Identifier: MIT
// Internal: the host side of the C ABI (one MpRunContext per run).
#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "mp/core/progress.hpp"
#include "mp/data/default_data.hpp"
#include "mp/mp_plugin.h"
#include "mp/plugin/result.hpp"
#include "mp/plugin/schema.hpp"

struct MpResultLayer {
    MpRunContext* ctx = nullptr;
    std::size_t index = 0;  ///< into result.layers
};

struct MpResultTable {
    MpRunContext* ctx = nullptr;
    std::size_t index = 0;  ///< into result.tables
};

/// One plugin run as the host sees it. Every host function locks `guard` shared and
/// returns an error once `abandoned` is set (a plugin that ignored cancellation keeps
/// running on a detached thread but can no longer touch the workspace or progress).
struct MpRunContext {
    const mp::data::Workspace* ws = nullptr;
    const mp::plugin::ParamValues* params = nullptr;
    mp::Progress* progress = nullptr;
    std::string plugin_id;

    std::shared_mutex guard;
    bool abandoned = false;
    std::atomic<bool> cancel_requested{false};

    std::mutex results_mu;
    mp::plugin::RunResult result;
    std::vector<std::string> invalid;  ///< validation errors of returned results
    std::size_t invalid_utf8 = 0;      ///< strings the plugin passed that were not UTF-8 (repaired)

    // Storage behind the pointers handed to the plugin (stable: deques never move).
    std::deque<std::string> strings;
    std::deque<std::vector<double>> doubles;
    std::deque<std::vector<uint32_t>> indices;
    std::deque<MpResultLayer> layer_handles;
    std::deque<MpResultTable> table_handles;
    std::mutex storage_mu;

    // ABI 1.1: the last error message (per run), layers a run loaded itself (numbered after
    // the workspace's), and the handles it opened (rasters, networks, routes), which live
    // until the run ends. All three are guarded by storage_mu.
    std::string last_error;
    std::deque<mp::layer::Layer> extra_layers;
    std::deque<std::shared_ptr<void>> handles;
};

namespace mp::plugin::detail {

/// The function table handed to plugins.
const MpHostApi& host_api();

}  // namespace mp::plugin::detail
