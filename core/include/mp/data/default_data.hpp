// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mp/layer/layer.hpp"
#include "mp/sites/catalogue.hpp"

namespace mp::data {

/// One file of the embedded default data (compiled into the core library from data/).
struct EmbeddedFile {
    std::string_view name;   ///< file name, e.g. "sites.geojson"
    std::string_view bytes;  ///< its content
};

/// All embedded files.
const std::vector<EmbeddedFile>& embedded_files();
/// One embedded file by name; throws mp::InputError when absent.
std::string_view embedded_file(std::string_view name);

/// Reads the embedded default layers (belgium, sites, roads, rail) via GDAL from
/// memory (/vsimem/), in a fixed order.
std::vector<layer::Layer> load_default_layers();

/// The layers a session works with: the default layers (unless left out) followed by
/// every extra source, and the site catalogue built from all of them.
struct Workspace {
    layer::LayerSet layers;
    sites::Catalogue catalogue;
};

/// Loads a workspace. Throws mp::InputError naming the source at fault.
Workspace load_workspace(bool with_default_data, const std::vector<std::string>& extra_sources);

}  // namespace mp::data
