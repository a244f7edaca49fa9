// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>

#include "map/result_view.hpp"
#include "mp/plugin/result.hpp"

namespace mp::gui {

/// A table's chart worked out once (per run, not per frame): the chart to draw with its
/// defaults resolved, why the table cannot carry it ("" when it can), and the gantt
/// layout or heatmap grid.
struct ChartView {
    plugin::Chart chart;
    std::string problem;
    std::optional<map::GanttLayout> gantt;
    std::optional<map::HeatmapGrid> heatmap;
    /// Gantt lanes or heatmap rows (0 for line and bar).
    std::size_t rows() const { return gantt ? gantt->lanes : heatmap ? heatmap->rows.size() : 0; }
};

/// The chart view of a table, or nullopt when it asks for no chart (Table::chart_spec).
std::optional<ChartView> chart_view(const plugin::Table& t);

/// Draws a result table's chart at the ImGui cursor with the window's draw list (ImGui
/// 1.86 has no plots and Debian 12 no ImPlot): line and bar charts with a second y axis
/// for the series of unit chart.y_unit_right, gantt charts on a time axis, heatmaps with
/// a colour scale. `width` is the chart's width in pixels, `plot_height` the height of its
/// plot (gantt lanes and heatmap rows share it, within one and two text lines each).
/// Precondition: v.problem is "" and v was made from t.
void draw_chart(const plugin::Table& t, const ChartView& v, float width, float plot_height = 170);

}  // namespace mp::gui
