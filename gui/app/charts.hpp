// SPDX-License-Identifier: MIT
#pragma once

#include "mp/plugin/result.hpp"

namespace mp::gui {

/// Draws a result table's chart at the ImGui cursor with the window's draw list (ImGui
/// 1.86 has no plots and Debian 12 no ImPlot): line and bar charts with a second y axis
/// for the series of unit chart.y_unit_right, gantt charts on a time axis, heatmaps with
/// a colour scale. `width` is the chart's width in pixels, `plot_height` the height of its
/// plot (gantt lanes and heatmap rows share it, within one and two text lines each).
/// Precondition: t.chart_problem(c) is "".
void draw_chart(const plugin::Table& t, const plugin::Chart& c, float width, float plot_height = 170);

}  // namespace mp::gui
