// SPDX-License-Identifier: MIT
// How the GUI shows typed plugin results (ABI 1.1), as plain functions without GL or
// ImGui so they are tested without a display: raster band/bit/class selection and
// colours, chart axes and ticks, gantt times and lanes, heatmap grids, and movements
// active at a time. Every choice comes from the result's declared role, kind, units and
// fields, never from names or descriptions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mp/layer/layer.hpp"
#include "mp/plugin/result.hpp"

namespace mp::gui::map {

using Rgba = std::array<float, 4>;

// ---------------------------------------------------------------- rasters

/// What a raster overlay shows of a bit mask.
enum class MaskMode {
    Item,  ///< cells where one item's bit is set
    Any,   ///< cells where any bit is set
    Count  ///< the number of bits set, colour-mapped
};

/// One entry of a raster's selector: which band (or bit) the map shows.
struct RasterChoice {
    std::string label;     ///< what the selector lists ("band 2", "30 m above ground", "sys-1")
    std::size_t band = 0;  ///< Plain, BandsPerHeight, Categories: the band drawn (0-based)
    MaskMode mask = MaskMode::Any;
    std::size_t item = 0;  ///< Bitmask with MaskMode::Item: the item (bit) index
};

/// The selector entries of a raster by its role. Plain and Categories: one per band
/// (its band name, else "band N"); BandsPerHeight: one per band, "H m above ground" (with
/// the band's name after it when it has one other than that); Bitmask: "any", "count of
/// set bits", then one per bit (its item name, else "bit N"), for every bit the bands hold
/// when the mask has no names. Precondition: r.problem() is "".
std::vector<RasterChoice> raster_choices(const plugin::Raster& r);

/// Bits per cell of a raster's pixel type (8 * pixel size).
std::size_t bits_per_cell(const plugin::Raster& r);

/// Whether a raster is in the ABI 1.0 form (one Float64 band, plain, no band names):
/// drawn as the 1.0 GUI drew it, cells <= 0 ("covered by no system") transparent.
bool legacy_raster(const plugin::Raster& r);

/// The colour of class `value` of a categories raster (and of mask items): a categorical
/// palette that repeats after 16.
Rgba class_colour(std::uint64_t value);

/// The colour of a bit-mask overlay (MaskMode::Item of item i, or Any).
Rgba mask_colour(const RasterChoice& c);

/// One band (or bit view) of a raster ready for the GPU. Continuous views (plain, bands
/// per height, count of set bits) give `values` (t in [0, 1] along the ramp, -1
/// transparent) and the range of the cells drawn; discrete views (categories, a mask
/// item, any) give `rgba` (4 bytes per cell, alpha 0 transparent). Nodata and non-finite
/// cells are always transparent.
struct RasterImage {
    std::size_t width = 0, height = 0;
    bool discrete = false;
    std::vector<float> values;
    std::vector<std::uint8_t> rgba;
    double min_value = 0, max_value = 0;  ///< continuous: of the cells drawn
    std::size_t drawn = 0;                ///< cells that are not transparent
    /// Categories: the class values present (ascending, at most 256 kept).
    std::vector<std::uint64_t> classes;
};

/// The image of one selector entry. Continuous: cells that are nodata or not finite are
/// transparent, as are cells <= 0 of a legacy_raster and cells with no bit set (count).
/// Precondition: r.problem() is "", c came from raster_choices(r).
RasterImage raster_image(const plugin::Raster& r, const RasterChoice& c);

/// A swatch of a discrete legend.
struct LegendEntry {
    std::string label;
    Rgba colour{};
};

/// What the map legend of a raster overlay shows: a title with the unit, then a ramp
/// with its range (continuous) or swatches (discrete).
struct RasterLegend {
    std::string title;  ///< raster name, the choice for multi-band rasters, "[unit]"
    bool ramp = true;
    std::string low, high;  ///< ramp ends ("3", "250.5")
    std::string note;       ///< e.g. "(0: none)", "set: sys-1", "12 cells"
    std::vector<LegendEntry> entries;
    std::size_t more = 0;  ///< classes left off the swatches (shown as "... N more")
};

/// The legend of an image. Categories list every named class and every class present
/// (named "class N" when unnamed), up to max_entries swatches.
RasterLegend raster_legend(const plugin::Raster& r, const RasterChoice& c, const RasterImage& img,
                           std::size_t max_entries = 10);

/// The cell (row * width + column) of the raster under a point (x, y) in the raster's
/// own CRS, by inverting its geotransform (rotated ones too); nullopt outside the grid,
/// for a non-finite point or a degenerate geotransform.
std::optional<std::size_t> raster_cell_at(const plugin::Raster& r, double x, double y);

/// The items whose bits are set in cell `index` of a bit mask, over every band (item i
/// is bit i % bits_per_cell of band i / bits_per_cell), by item name ("bit N" when
/// unnamed), in bit order. Empty when no bit is set or any band is nodata there.
/// Precondition: r.problem() is "", r's type is an integer type, index < r.cells().
std::vector<std::string> set_bit_names(const plugin::Raster& r, std::size_t index);

/// What the cursor readout says of one raster at a cell: "label: value".
struct CellReadout {
    std::string label;               ///< the raster's name, with the band or height shown when it has several
    std::string value;               ///< "12.5 m", "class name (2)", "2 set" (a bit mask)
    std::vector<std::string> items;  ///< bit mask: the names of the items set (set_bit_names)
};

/// The readout of the cell under (x, y) (in the raster's CRS) for the entry `c` shown:
/// plain and bands per height give the value of the band shown (with the unit; a class
/// name when item_names names that value), categories the class name, a bit mask the
/// items set over all its bands (whatever entry is shown). nullopt outside the grid and
/// where the cell is nodata or not finite. Precondition: r.problem() is "", c came from
/// raster_choices(r).
std::optional<CellReadout> raster_readout(const plugin::Raster& r, const RasterChoice& c, double x, double y);

/// The readout as one line: "label: value" and, for a mask, ": name, name, ..." with at
/// most max_items names ("... and N more" after them).
std::string readout_line(const CellReadout& c, std::size_t max_items = 8);

// ---------------------------------------------------------------- charts

/// Tick values for an axis from lo to hi: steps of 1, 2 or 5 times a power of ten giving
/// at most about `target` ticks, every tick inside [lo, hi]. lo == hi gives one tick.
std::vector<double> nice_ticks(double lo, double hi, int target = 5);

/// A tick label: shortest "%g" form of the value, with -0 as 0.
std::string tick_label(double v);

/// Which axis each series of a line or bar chart goes on: a series whose column unit
/// equals chart.y_unit_right (non-empty) goes right, every other left.
struct AxisSplit {
    std::vector<std::string> left, right;  ///< column names, in chart.y order
};
AxisSplit split_axes(const plugin::Table& t, const plugin::Chart& c);

/// The range [lo, hi] of the finite values of the named columns, widened to include 0
/// for bars; {0, 1} when there is none; hi > lo always.
std::array<double, 2> value_range(const plugin::Table& t, const std::vector<std::string>& columns, bool include_zero);

/// Seconds since 1970-01-01T00:00:00Z of an ISO 8601 date or date-time (as
/// plugin::is_iso8601_time accepts: a date alone is midnight UTC; no offset means UTC);
/// nullopt for anything else or an invalid date (month 13, 31 April).
std::optional<double> parse_iso8601_s(std::string_view text);

/// "2026-01-01T06:00:00Z" of seconds since the epoch (whole seconds, rounded down).
std::string format_iso8601_utc(double epoch_s);

/// Times of a gantt chart or movements layer: numbers are seconds, ISO 8601 text is
/// seconds since the epoch. `absolute` when any time was ISO text: then every time is on
/// the UTC calendar (numbers read as epoch seconds) and shown as UTC; otherwise times are
/// seconds from an unspecified zero and shown as elapsed time.
struct TimeScale {
    bool absolute = false;
    double t0 = 0, t1 = 0;  ///< the span of the valid times (t1 >= t0)
    bool empty = true;
};

/// A time axis tick: where and what it says.
struct TimeTick {
    double t = 0;
    std::string label;
};

/// Ticks for a time axis from t0 to t1: steps of 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15,
/// 30 min, 1, 2, 3, 6, 12 h, 1, 2, 7 days giving at most about `target` ticks, on whole
/// multiples of the step (UTC midnight for days). Labels: absolute "HH:MM" (with the
/// date "MM-DD HH:MM" on the first tick and where the day changes; "MM-DD" for day
/// steps; ":SS" added for second steps); elapsed "+H:MM" ("+Dd HH:MM" past a day).
std::vector<TimeTick> time_ticks(double t0, double t1, bool absolute, int target = 6);

/// A time of a TimeScale as text: ISO 8601 UTC when absolute, else "+H:MM:SS" (with the
/// seconds, e.g. "+1:30:00 (5400 s)").
std::string format_time(double t, bool absolute);

/// One bar of a gantt chart (one per table row with valid times).
struct GanttBar {
    std::size_t row = 0;   ///< table row
    std::size_t lane = 0;  ///< vertical position, 0 at the top
    double start = 0, end = 0;
    std::size_t group = 0;  ///< index into GanttLayout::groups (colour)
    std::string label;
};

/// A gantt chart laid out: one lane per row with valid times, in table order; bars of a
/// group share a colour; rows whose start or end is empty, not a time, or end < start
/// are skipped (counted).
struct GanttLayout {
    TimeScale scale;
    std::vector<GanttBar> bars;
    std::vector<std::string> groups;  ///< distinct group values in order of appearance ("" without a group column)
    std::size_t skipped = 0;
    std::size_t lanes = 0;
};
/// Precondition: t.chart_problem(c) is "".
GanttLayout gantt_layout(const plugin::Table& t, const plugin::Chart& c);

/// A heatmap laid out: rows and columns by distinct label in order of appearance; a cell
/// holds the value of the last table row naming it (NaN where none does), its text the
/// label column's cell when the chart names one, else the value.
struct HeatmapGrid {
    std::vector<std::string> rows, columns;
    std::vector<double> values;           ///< rows.size() * columns.size(), row-major
    std::vector<std::string> texts;       ///< parallel to values
    double min_value = 0, max_value = 0;  ///< of the finite values (max > min unless all equal)
    /// t in [0, 1] along the ramp of a value (0.5 when all values are equal).
    double normalised(double v) const;
};
/// Precondition: t.chart_problem(c) is "".
HeatmapGrid heatmap_grid(const plugin::Table& t, const plugin::Chart& c);

// ---------------------------------------------------------------- movements

/// The times of a movements layer's features (result layer role "movements").
struct MovementTimes {
    TimeScale scale;
    std::vector<double> start, end;  ///< per feature; NaN when not a time
    std::size_t invalid = 0;         ///< features without a valid start and end
};

/// Reads start_field and end_field of every feature (numbers as seconds, ISO 8601 text).
MovementTimes movement_times(const layer::Layer& l, const std::string& start_field, const std::string& end_field);

/// Indices of the features active at t: start <= t <= end. A feature without valid times
/// is never active.
std::vector<std::size_t> active_at(const MovementTimes& m, double t);

/// One step of playing a time slider: t advanced by dt_s of real time at a pace that
/// plays the whole span in play_s seconds, stopping at the end (playing becomes false).
double play_step(const TimeScale& s, double t, double dt_s, bool& playing, double play_s = 20);

/// Map layers a result layer becomes: one per distinct feature style (colour and width),
/// as session::add_run groups them, so the GUI can find a result layer's map layers.
std::size_t style_groups(const plugin::ResultLayer& l);

}  // namespace mp::gui::map
