// SPDX-License-Identifier: MIT
// enablement route: a thin alias for `enablement run transit-routes` with named options.
#include <map>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "mp/core/error.hpp"
#include "mp/network/planner.hpp"

namespace mp::cli {

void register_route_command(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "route", "Convoy routes by road, rail or multimodal with vehicle limits (alias of 'run transit-routes')");
    add_data_options(*cmd, ctx);
    add_plugin_dir_option(*cmd, ctx);
    // Option name -> plugin parameter key; values go to the plugin as text, so the
    // plugin schema validates them exactly as for `run --param`.
    static const std::vector<std::pair<std::string, std::string>> kOptions = {{"--from", "from"},
                                                                              {"--to", "to"},
                                                                              {"--mode", "mode"},
                                                                              {"--metric", "metric"},
                                                                              {"--vehicle", "vehicle"},
                                                                              {"--mlc", "mlc"},
                                                                              {"--weight", "weight"},
                                                                              {"--axle-load", "axle_load"},
                                                                              {"--height", "height"},
                                                                              {"--width", "width"},
                                                                              {"--length", "length"},
                                                                              {"--max-speed", "max_speed"},
                                                                              {"--crossing", "crossing"},
                                                                              {"--avoid", "avoid"},
                                                                              {"--alternatives", "alternatives"},
                                                                              {"--max-overlap", "max_overlap"},
                                                                              {"--transfer-h", "transfer_h"},
                                                                              {"--vehicles", "vehicles"},
                                                                              {"--interval", "interval"},
                                                                              {"--density", "density"},
                                                                              {"--march-speed", "march_speed"},
                                                                              {"--halt-every", "halt_every"},
                                                                              {"--halt-min", "halt_min"},
                                                                              {"--start", "start"},
                                                                              {"--reach-hours", "reach_hours"},
                                                                              {"--roads-layer", "roads_layer"},
                                                                              {"--rail-layer", "rail_layer"},
                                                                              {"--road-network", "road_network"},
                                                                              {"--rail-network", "rail_network"}};
    static const std::map<std::string, std::string> kHelp = {
        {"--from", "Origin: site id or name, or lon,lat"},
        {"--to", "Destination: site id or name, or lon,lat"},
        {"--mode", "road (default), rail or multimodal"},
        {"--metric", "fastest (default) or shortest"},
        {"--vehicle", "Vehicle preset id (data/vehicles.json)"},
        {"--mlc", "Vehicle military load class (overrides the preset)"},
        {"--weight", "Gross weight, t"},
        {"--axle-load", "Axle load, t"},
        {"--height", "Height, m"},
        {"--width", "Width, m"},
        {"--length", "Length, m"},
        {"--max-speed", "Vehicle maximum speed, km/h"},
        {"--crossing", "Most relaxed bridge crossing allowed: normal (default), caution or risk"},
        {"--avoid", "GDAL file of polygons to avoid"},
        {"--alternatives", "Number of routes with limited overlap, 1..10 (road mode)"},
        {"--max-overlap", "Share of length an alternative may share with earlier routes (default 0.5)"},
        {"--transfer-h", "Loading/unloading time per rail terminal, h (default 4)"},
        {"--vehicles", "Convoy size for the march table, 1..10000 (none: no march table)"},
        {"--interval", "Gap between vehicles, m (default 100)"},
        {"--density", "Vehicles per km (replaces --interval)"},
        {"--march-speed", "March speed, km/h (default 50)"},
        {"--halt-every", "Hours of driving between halts (default 2)"},
        {"--halt-min", "Minutes per halt (default 10)"},
        {"--start", "Start time, ISO 8601 UTC"},
        {"--reach-hours", "Also compute the area reachable from --from within this many hours"},
        {"--roads-layer", "Road line layer (default roads)"},
        {"--rail-layer", "Rail line layer (default rail)"},
        {"--road-network",
         "Road network file instead of the road layer: OSM .osm/.pbf (turn restrictions), .mpgraph or "
         "a GDAL line source; cached after the first build"},
        {"--rail-network", "Rail network file instead of the rail layer (as --road-network)"}};
    static std::map<std::string, std::string> values;
    static std::vector<std::string> vias;
    static std::string out;
    static bool tracked = false;
    for (const auto& [opt, key] : kOptions) cmd->add_option(opt, values[key], kHelp.at(opt));
    cmd->add_option("--via", vias, "Via point (site or lon,lat); repeatable, in order")->allow_extra_args(false);
    cmd->add_flag("--tracked", tracked, "The vehicle is tracked (use the tracked bridge class)");
    cmd->add_option("--out,-o", out, "Write the routes (.geojson, .gpkg or .csv); tables beside it as CSV");
    cmd->callback([&ctx] {
        ctx.action = [&ctx] {
            PluginRunRequest req;
            req.plugin_id = "transit-routes";
            // The plugin would refuse a bad time as bad input; on the command line it is a
            // usage error, found before any data is loaded.
            if (const auto& start = values["start"]; !start.empty()) {
                try {
                    network::parse_utc_time(start, "--start");
                } catch (const InputError& e) {
                    throw UsageError(e.problem(), e.where());
                }
            }
            for (const auto& [key, value] : values)
                if (!value.empty()) req.raw_params[key] = value;
            if (!vias.empty()) req.raw_params["via"] = vias;
            if (tracked) req.raw_params["tracked"] = "true";
            req.out = out;
            // Errors name this command's options, not the plugin's parameter keys.
            for (const auto& [opt, key] : kOptions) req.option_names.emplace_back(key, opt);
            req.option_names.emplace_back("via", "--via");
            req.option_names.emplace_back("tracked", "--tracked");
            return run_plugin(ctx, std::move(req));
        };
    });
}

}  // namespace mp::cli
