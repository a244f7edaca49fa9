// SPDX-License-Identifier: MIT
// enablement-gui: the planner's map view (Dear ImGui + GLFW + our own OpenGL shaders).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "app/app.hpp"
#include "mp/io/ogr_io.hpp"

int main(int argc, char** argv) {
    mp::gui::Options o;
    CLI::App cli{"enablement-gui: the map view of the enablement and mobility planner", "enablement-gui"};
    cli.add_option("--data", o.data, "Add a GDAL vector source (file or connection string); repeatable");
    cli.add_flag("--no-default-data", o.no_default_data, "Leave the embedded default data out");
    cli.add_option("--scenario", o.scenario, "Scenario file to open (and to save to)");
    cli.add_option("--screenshot", o.screenshot, "Headless: render --frames frames, write this PNG and quit");
    cli.add_option("--frames", o.frames, "Frames to render before the screenshot")->check(CLI::Range(1, 10000));
    std::string size;
    cli.add_option("--size", size, "Window size WxH, e.g. 1280x800");
    cli.add_option("--dump-view", o.dump_view,
                   "Write the view transform (display CRS -> pixels), layers and forms as JSON (headless: at the end; "
                   "interactive: every 0.25 s)");
    cli.add_option("--crs", o.display_crs, "Display CRS: EPSG:3857 (Web Mercator) or EPSG:3812 (Belgian Lambert 2008)");
    cli.add_option("--save-scenario", o.save_scenario,
                   "Headless: save the scenario (and plugin results beside it) here before quitting");
    cli.add_option("--export-map", o.export_map,
                   "Headless: also write the map canvas alone (as Export PNG does) to this PNG");
    cli.add_option("--undo", o.undo, "Headless: once --run finished, undo this many session edits")
        ->check(CLI::Range(0, 10000));
    cli.add_option("--redo", o.redo, "Headless: after --undo, redo this many")->check(CLI::Range(0, 10000));
    cli.add_option("--movement-time", o.movement_time,
                   "Start the time sliders of movements layers at this time (ISO 8601 UTC or seconds)");
    cli.add_option("--raster-view", o.raster_view,
                   "Start raster selectors at the entry of this label (a band name, \"30 m above ground\", a bit name, "
                   "\"any\", \"count of set bits\")");
    cli.add_option("--chart-window", o.chart_window, "Open the chart of this table (0-based) of the last run enlarged")
        ->check(CLI::Range(0, 10000));
    std::string cursor;
    cli.add_option("--cursor", cursor,
                   "Headless: hold the mouse over this point (LON,LAT in WGS84), e.g. to show the raster readout "
                   "tooltip in the screenshot and in --dump-view");
    cli.add_flag("--no-restore", o.no_restore, "Do not restore the autosaved session");
    cli.add_option("--plugin-dir", o.plugin_dirs, "Also load plugins from this folder (repeatable)");
    cli.add_option("--run", o.run_plugin, "Run this plugin at start (headless: screenshot its result)");
    cli.add_option("--form", o.form_plugin, "Open this plugin's form at start, filled with the --param values");
    cli.add_option("--param,-p", o.params, "A parameter of --run or --form as key=value (repeatable)");
    try {
        cli.parse(argc, argv);
        if (!size.empty()) {
            int w = 0, h = 0;
            char x = 0;
            if (std::sscanf(size.c_str(), "%d%c%d", &w, &x, &h) != 3 || (x != 'x' && x != 'X') || w < 64 || h < 64 ||
                w > 16384 || h > 16384)
                throw CLI::ValidationError("--size", "expected WxH, e.g. 1024x768 (64..16384)");
            o.width = w;
            o.height = h;
        }
        if (!cursor.empty()) {
            double lon = 0, lat = 0;
            char comma = 0, extra = 0;
            if (std::sscanf(cursor.c_str(), "%lf%c%lf%c", &lon, &comma, &lat, &extra) != 3 || comma != ',' ||
                !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90))
                throw CLI::ValidationError("--cursor", "expected LON,LAT in degrees, e.g. 4.40,51.22; got " + cursor);
            o.cursor = std::array<double, 2>{lon, lat};
        }
    } catch (const CLI::ParseError& e) {
        return cli.exit(e);
    }
    // Killed while writing a screenshot or the autosave: no temporary file is left.
    mp::io::remove_temps_on_signals();
    try {
        mp::gui::App app(o);
        return app.run();
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
}
