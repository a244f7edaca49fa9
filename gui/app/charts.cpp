// SPDX-License-Identifier: MIT
// Charts of result tables drawn with ImGui draw lists. What goes where (axes, ticks,
// lanes, cells) comes from map/result_view, which is tested without a display; this file
// only paints it.
#include "app/charts.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "map/forms.hpp"
#include "map/result_view.hpp"

namespace mp::gui {

namespace {

constexpr ImU32 kInk = IM_COL32(60, 60, 60, 255);
constexpr ImU32 kGrid = IM_COL32(225, 225, 225, 255);
constexpr ImU32 kFrame = IM_COL32(120, 120, 120, 255);
constexpr ImU32 kPaper = IM_COL32(255, 255, 255, 255);

ImU32 u32(const std::array<float, 4>& c, float alpha = 1) {
    return ImGui::ColorConvertFloat4ToU32(ImVec4(c[0], c[1], c[2], alpha));
}

std::string with_unit(const plugin::Table::Column& c) { return c.unit.empty() ? c.name : c.name + " [" + c.unit + "]"; }

// Text shortened with "..." to fit max_w pixels (whole UTF-8 characters dropped).
std::string fit_text(std::string s, float max_w) {
    if (ImGui::CalcTextSize(s.c_str()).x <= max_w) return s;
    while (!s.empty() && ImGui::CalcTextSize((s + "...").c_str()).x > max_w) {
        while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
        if (!s.empty()) s.pop_back();
    }
    return s.empty() ? s : s + "...";
}

// A legend of swatches below a chart, flowing over as many lines as it needs.
void draw_legend(const std::vector<std::pair<std::string, ImU32>>& items) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float avail = ImGui::GetContentRegionAvail().x;
    float x_used = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string name = fit_text(items[i].first, avail - 20);
        const float w = 16 + ImGui::CalcTextSize(name.c_str()).x + 12;
        if (i > 0 && x_used + w < avail) ImGui::SameLine(0, 12);
        else x_used = 0;
        x_used += w;
        const ImVec2 q = ImGui::GetCursorScreenPos();
        dl->AddRectFilled(ImVec2(q.x, q.y + 4), ImVec2(q.x + 12, q.y + 14), items[i].second);
        ImGui::Dummy(ImVec2(16, 0));
        ImGui::SameLine(0, 0);
        ImGui::TextUnformatted(name.c_str());
    }
}

// A y axis: grid lines, ticks and labels on the left (right = false) or right edge.
void draw_y_axis(ImDrawList* dl, ImVec2 a, ImVec2 b, std::array<double, 2> range, int target, bool right, bool grid) {
    const auto py = [&](double y) {
        return b.y - static_cast<float>((y - range[0]) / (range[1] - range[0])) * (b.y - a.y);
    };
    for (double v : map::nice_ticks(range[0], range[1], target)) {
        const float y = py(v);
        if (grid) dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), kGrid);
        const std::string s = map::tick_label(v);
        const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
        if (right) {
            dl->AddLine(ImVec2(b.x, y), ImVec2(b.x + 4, y), kInk);
            dl->AddText(ImVec2(b.x + 6, y - ts.y / 2), kInk, s.c_str());
        } else {
            dl->AddLine(ImVec2(a.x - 4, y), ImVec2(a.x, y), kInk);
            dl->AddText(ImVec2(a.x - 6 - ts.x, y - ts.y / 2), kInk, s.c_str());
        }
    }
}

// The widest tick label of an axis, so the plot leaves room for it.
float y_label_width(std::array<double, 2> range, int target) {
    float w = 0;
    for (double v : map::nice_ticks(range[0], range[1], target))
        w = std::max(w, ImGui::CalcTextSize(map::tick_label(v).c_str()).x);
    return w;
}

// The units of some columns, joined ("t, km/h"), for an axis title.
std::string units_of(const plugin::Table& t, const std::vector<std::string>& cols) {
    std::vector<std::string> units;
    for (const auto& n : cols)
        if (const auto* c = t.find(n);
            c && !c->unit.empty() && std::find(units.begin(), units.end(), c->unit) == units.end())
            units.push_back(c->unit);
    std::string out;
    for (const auto& u : units) out += (out.empty() ? "" : ", ") + u;
    return out;
}

void draw_line_bar(const plugin::Table& t, const plugin::Chart& c, float width, float height) {
    const map::AxisSplit axes = map::split_axes(t, c);
    const bool bars = c.kind == "bar";
    const bool two = !axes.left.empty() && !axes.right.empty();
    // A little headroom above the largest value (and below the smallest unless 0 is the base).
    auto padded = [&](std::array<double, 2> r) {
        const double pad = 0.04 * (r[1] - r[0]);
        return std::array<double, 2>{bars && r[0] == 0 ? 0.0 : r[0] - pad, r[1] + pad};
    };
    const auto left_range = padded(map::value_range(t, axes.left.empty() ? axes.right : axes.left, bars));
    const auto right_range = padded(map::value_range(t, axes.right, bars));
    const std::size_t n = t.rows();
    // x: a numeric column, a text column (categories), or the row number.
    const plugin::Table::Column* xcol = c.x.empty() ? nullptr : t.find(c.x);
    const bool categories = bars || (xcol && !xcol->numeric);
    double xmin = 0, xmax = n > 1 ? static_cast<double>(n - 1) : 1;
    if (xcol && xcol->numeric && !categories) {
        bool any = false;
        for (double v : xcol->numbers)
            if (std::isfinite(v)) xmin = any ? std::min(xmin, v) : v, xmax = any ? std::max(xmax, v) : v, any = true;
        if (xmax <= xmin) xmax = xmin + 1;
    }
    const float lh = ImGui::GetTextLineHeight();
    const ImVec2 o = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float top = lh + 4, bottom = 2 * lh + 8;
    // About one y tick per 35 px; the margins fit the labels of those ticks.
    const int ytarget = std::max(2, static_cast<int>((height - top - bottom) / 35));
    const float left = 10 + y_label_width(left_range, ytarget);
    const float right = two ? 12 + y_label_width(right_range, ytarget) : 10;
    const ImVec2 a(o.x + left, o.y + top), b(o.x + width - right, o.y + height - bottom);
    dl->AddRectFilled(a, b, kPaper);
    // Axis titles: the units of each side's series, above the axis.
    const std::string lu = units_of(t, axes.left.empty() ? axes.right : axes.left);
    if (!lu.empty()) dl->AddText(ImVec2(o.x + 2, o.y), kInk, fit_text(lu, (width - 8) / 2).c_str());
    if (two) {
        const std::string ru = fit_text(units_of(t, axes.right) + " (right)", (width - 8) / 2);
        dl->AddText(ImVec2(o.x + width - 2 - ImGui::CalcTextSize(ru.c_str()).x, o.y), kInk, ru.c_str());
    }
    draw_y_axis(dl, a, b, left_range, ytarget, false, true);
    if (two) draw_y_axis(dl, a, b, right_range, ytarget, true, false);
    // x positions: categories in the middle of equal slots, numbers scaled.
    const float slot = (b.x - a.x) / static_cast<float>(std::max<std::size_t>(n, 1));
    auto px = [&](std::size_t i) {
        if (categories) return a.x + slot * (static_cast<float>(i) + 0.5f);
        const double x = xcol ? xcol->numbers[i] : static_cast<double>(i);
        return a.x + static_cast<float>((x - xmin) / (xmax - xmin)) * (b.x - a.x);
    };
    if (categories) {
        // Every k-th category label, so that labels never overlap.
        float widest = 1;
        for (std::size_t i = 0; i < n; ++i)
            widest =
                std::max(widest, ImGui::CalcTextSize(xcol ? xcol->cell(i).c_str() : std::to_string(i + 1).c_str()).x);
        const std::size_t every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil((widest + 8) / slot)));
        for (std::size_t i = 0; i < n; i += every) {
            const std::string s = xcol ? xcol->cell(i) : std::to_string(i + 1);
            const float x = px(i), w = ImGui::CalcTextSize(s.c_str()).x;
            dl->AddLine(ImVec2(x, b.y), ImVec2(x, b.y + 4), kInk);
            dl->AddText(ImVec2(std::clamp(x - w / 2, o.x, o.x + width - w), b.y + 4), kInk, s.c_str());
        }
    } else {
        for (double v : map::nice_ticks(xmin, xmax, std::max(2, static_cast<int>((b.x - a.x) / 60)))) {
            const float x = a.x + static_cast<float>((v - xmin) / (xmax - xmin)) * (b.x - a.x);
            const std::string s = map::tick_label(v);
            const float w = ImGui::CalcTextSize(s.c_str()).x;
            dl->AddLine(ImVec2(x, b.y), ImVec2(x, b.y + 4), kInk);
            dl->AddText(ImVec2(std::clamp(x - w / 2, o.x, o.x + width - w), b.y + 4), kInk, s.c_str());
        }
    }
    {
        const std::string xl = xcol ? with_unit(*xcol) : "row";
        const float w = ImGui::CalcTextSize(xl.c_str()).x;
        dl->AddText(ImVec2((a.x + b.x) / 2 - w / 2, b.y + 4 + lh), kInk, xl.c_str());
    }
    dl->AddRect(a, b, kFrame);
    // Series in chart.y order, coloured by that order; each on its own axis.
    const std::size_t ns = c.y.size();
    dl->PushClipRect(a, b, true);
    for (std::size_t s = 0; s < ns; ++s) {
        const auto* col = t.find(c.y[s]);
        if (!col || !col->numeric) continue;
        const bool on_right = two && std::find(axes.right.begin(), axes.right.end(), c.y[s]) != axes.right.end();
        // With every series on one side, that side is drawn as the left axis.
        const auto& range = on_right ? right_range : left_range;
        auto py = [&](double y) {
            return b.y - static_cast<float>((y - range[0]) / (range[1] - range[0])) * (b.y - a.y);
        };
        const ImU32 colour = u32(map::series_colour(s));
        const auto& ys = col->numbers;
        if (bars) {
            const float bw = std::max(1.0f, slot * 0.8f / static_cast<float>(ns));
            const float base = py(std::clamp(0.0, range[0], range[1]));
            for (std::size_t i = 0; i < ys.size(); ++i) {
                if (!std::isfinite(ys[i])) continue;
                const float x0 = px(i) - bw * static_cast<float>(ns) / 2 + bw * static_cast<float>(s);
                dl->AddRectFilled(ImVec2(x0, std::min(py(ys[i]), base)), ImVec2(x0 + bw, std::max(py(ys[i]), base)),
                                  colour);
            }
        } else {
            std::vector<ImVec2> pts;
            for (std::size_t i = 0; i < ys.size(); ++i)
                if (std::isfinite(ys[i]) && (!xcol || categories || std::isfinite(xcol->numbers[i])))
                    pts.emplace_back(px(i), py(ys[i]));
            if (pts.size() >= 2) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), colour, 0, 2.0f);
            if (pts.size() <= 40)
                for (const auto& p : pts) dl->AddCircleFilled(p, 2.5f, colour);
        }
    }
    dl->PopClipRect();
    ImGui::Dummy(ImVec2(width, height));
    std::vector<std::pair<std::string, ImU32>> legend;
    for (std::size_t s = 0; s < ns; ++s)
        if (const auto* col = t.find(c.y[s])) {
            const bool on_right = two && std::find(axes.right.begin(), axes.right.end(), c.y[s]) != axes.right.end();
            legend.emplace_back(with_unit(*col) + (on_right ? " (right)" : ""), u32(map::series_colour(s)));
        }
    draw_legend(legend);
}

void draw_gantt(const plugin::Chart& c, const map::GanttLayout& g, float width, float height) {
    if (g.bars.empty()) {
        ImGui::TextDisabled("no row has a start and an end time");
        return;
    }
    constexpr std::size_t kMaxLanes = 60;
    const std::size_t lanes = std::min(g.lanes, kMaxLanes);
    const float lh = ImGui::GetTextLineHeight();
    // Lanes share the height asked for, between one and two text lines each.
    const float lane_h = std::clamp(height / static_cast<float>(std::max<std::size_t>(lanes, 1)), lh + 5, 2 * lh);
    // Lane labels on the left, at most 40 % of the width.
    float label_w = 0;
    for (std::size_t i = 0; i < lanes; ++i) {
        const auto& bar = g.bars[i];
        label_w = std::max(
            label_w,
            ImGui::CalcTextSize(bar.label.empty() ? ("row " + std::to_string(bar.row + 1)).c_str() : bar.label.c_str())
                .x);
    }
    label_w = std::min(label_w + 8, width * 0.4f);
    const ImVec2 o = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float plot_h = lane_h * static_cast<float>(lanes);
    const ImVec2 a(o.x + label_w, o.y + 2), b(o.x + width - 8, o.y + 2 + plot_h);
    const double t0 = g.scale.t0, t1 = g.scale.t1 > g.scale.t0 ? g.scale.t1 : g.scale.t0 + 1;
    auto px = [&](double tt) { return a.x + static_cast<float>((tt - t0) / (t1 - t0)) * (b.x - a.x); };
    dl->AddRectFilled(a, b, kPaper);
    // Time axis: readable ticks (about one per 90 px), grid lines through the lanes.
    const auto ticks = map::time_ticks(t0, t1, g.scale.absolute, std::max(2, static_cast<int>((b.x - a.x) / 90)));
    float last_right = -1e9f;
    for (const auto& tk : ticks) {
        const float x = px(tk.t);
        dl->AddLine(ImVec2(x, a.y), ImVec2(x, b.y), kGrid);
        dl->AddLine(ImVec2(x, b.y), ImVec2(x, b.y + 4), kInk);
        const float w = ImGui::CalcTextSize(tk.label.c_str()).x;
        const float lx = std::clamp(x - w / 2, a.x - label_w, o.x + width - w);
        if (lx < last_right + 6) continue;  // never overlap the previous label
        dl->AddText(ImVec2(lx, b.y + 4), kInk, tk.label.c_str());
        last_right = lx + w;
    }
    const std::string axis = g.scale.absolute ? "UTC, from " + map::format_iso8601_utc(t0) : "elapsed time";
    dl->AddText(ImVec2(a.x, b.y + 4 + lh), IM_COL32(110, 110, 110, 255), fit_text(axis, b.x - a.x).c_str());
    int hovered = -1;
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    for (std::size_t i = 0; i < lanes; ++i) {
        const auto& bar = g.bars[i];
        const float y0 = a.y + lane_h * static_cast<float>(i), y1 = y0 + lane_h;
        if (i % 2 == 1) dl->AddRectFilled(ImVec2(o.x, y0), ImVec2(b.x, y1), IM_COL32(0, 0, 0, 10));
        const std::string name =
            fit_text(bar.label.empty() ? "row " + std::to_string(bar.row + 1) : bar.label, label_w - 6);
        dl->AddText(ImVec2(o.x + 2, y0 + (lane_h - lh) / 2), kInk, name.c_str());
        const float x0 = px(bar.start), x1 = std::max(px(bar.end), x0 + 2);
        dl->AddRectFilled(ImVec2(x0, y0 + 3), ImVec2(x1, y1 - 2), u32(map::series_colour(bar.group)), 2);
        if (mouse.x >= o.x && mouse.x <= b.x && mouse.y >= y0 && mouse.y < y1) hovered = static_cast<int>(i);
    }
    dl->AddRect(a, b, kFrame);
    ImGui::Dummy(ImVec2(width, plot_h + 2 * lh + 10));
    if (hovered >= 0 && ImGui::IsWindowHovered()) {
        const auto& bar = g.bars[static_cast<std::size_t>(hovered)];
        ImGui::SetTooltip("%s\n%s\nto %s", bar.label.c_str(), map::format_time(bar.start, g.scale.absolute).c_str(),
                          map::format_time(bar.end, g.scale.absolute).c_str());
    }
    if (g.lanes > lanes) ImGui::TextDisabled("... %zu more rows (see the table)", g.lanes - lanes);
    if (g.skipped) ImGui::TextDisabled("%zu rows without a valid start and end not drawn", g.skipped);
    if (!c.group.empty()) {
        std::vector<std::pair<std::string, ImU32>> legend;
        for (std::size_t k = 0; k < g.groups.size(); ++k)
            legend.emplace_back(g.groups[k].empty() ? "(none)" : g.groups[k], u32(map::series_colour(k)));
        draw_legend(legend);
    }
}

void draw_heatmap(const plugin::Table& t, const plugin::Chart& c, const map::HeatmapGrid& h, float width,
                  float height) {
    if (h.rows.empty() || h.columns.empty()) {
        ImGui::TextDisabled("no cells");
        return;
    }
    const float lh = ImGui::GetTextLineHeight();
    constexpr std::size_t kMaxRows = 60;
    const std::size_t rows = std::min(h.rows.size(), kMaxRows);
    float row_w = 0;
    for (std::size_t i = 0; i < rows; ++i) row_w = std::max(row_w, ImGui::CalcTextSize(h.rows[i].c_str()).x);
    row_w = std::min(row_w + 8, width * 0.35f);
    const ImVec2 o = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float cell_w = (width - row_w - 4) / static_cast<float>(h.columns.size());
    const float cell_h = std::clamp(height / static_cast<float>(std::max<std::size_t>(rows, 1)), lh + 6, 2 * lh);
    const ImVec2 a(o.x + row_w, o.y + lh + 4);
    // Column labels above the grid: every k-th when they would overlap.
    float widest = 1;
    for (const auto& col : h.columns) widest = std::max(widest, ImGui::CalcTextSize(col.c_str()).x);
    const std::size_t every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil((widest + 6) / cell_w)));
    for (std::size_t j = 0; j < h.columns.size(); j += every) {
        const float cx = a.x + cell_w * (static_cast<float>(j) + 0.5f);
        const float w = ImGui::CalcTextSize(h.columns[j].c_str()).x;
        dl->AddText(ImVec2(std::clamp(cx - w / 2, a.x, o.x + width - w), o.y), kInk, h.columns[j].c_str());
    }
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    int hovered = -1;
    for (std::size_t i = 0; i < rows; ++i) {
        const float y0 = a.y + cell_h * static_cast<float>(i);
        dl->AddText(ImVec2(o.x + 2, y0 + 3), kInk, fit_text(h.rows[i], row_w - 6).c_str());
        for (std::size_t j = 0; j < h.columns.size(); ++j) {
            const std::size_t k = i * h.columns.size() + j;
            const ImVec2 p0(a.x + cell_w * static_cast<float>(j), y0), p1(p0.x + cell_w, y0 + cell_h);
            const double v = h.values[k];
            if (std::isfinite(v)) {
                const auto col = map::raster_ramp(h.normalised(v));
                dl->AddRectFilled(p0, p1, u32(col));
                // Dark text on light cells, white on dark ones (relative luminance).
                const float lum = 0.2126f * col[0] + 0.7152f * col[1] + 0.0722f * col[2];
                const std::string& s = h.texts[k];
                const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
                if (!s.empty() && ts.x <= cell_w - 4)
                    dl->AddText(ImVec2(p0.x + (cell_w - ts.x) / 2, p0.y + (cell_h - ts.y) / 2),
                                lum > 0.55f ? IM_COL32(20, 20, 20, 255) : IM_COL32(255, 255, 255, 255), s.c_str());
            } else {
                dl->AddRectFilled(p0, p1, IM_COL32(235, 235, 235, 255));
            }
            dl->AddRect(p0, p1, IM_COL32(255, 255, 255, 255));
            if (mouse.x >= p0.x && mouse.x < p1.x && mouse.y >= p0.y && mouse.y < p1.y) hovered = static_cast<int>(k);
        }
    }
    const float grid_h = cell_h * static_cast<float>(rows);
    // Colour scale under the grid: the ramp from the smallest to the largest value.
    const float sy = a.y + grid_h + 6;
    const float sx0 = a.x, sx1 = o.x + width - 8;
    constexpr int kSteps = 32;
    for (int s = 0; s < kSteps; ++s) {
        const float x0 = sx0 + (sx1 - sx0) * static_cast<float>(s) / kSteps;
        const float x1 = sx0 + (sx1 - sx0) * static_cast<float>(s + 1) / kSteps;
        dl->AddRectFilledMultiColor(ImVec2(x0, sy), ImVec2(x1, sy + 10),
                                    u32(map::raster_ramp(static_cast<double>(s) / kSteps)),
                                    u32(map::raster_ramp(static_cast<double>(s + 1) / kSteps)),
                                    u32(map::raster_ramp(static_cast<double>(s + 1) / kSteps)),
                                    u32(map::raster_ramp(static_cast<double>(s) / kSteps)));
    }
    dl->AddRect(ImVec2(sx0, sy), ImVec2(sx1, sy + 10), kFrame);
    const std::string lo = map::tick_label(h.min_value), hi = map::tick_label(h.max_value);
    dl->AddText(ImVec2(sx0, sy + 12), kInk, lo.c_str());
    dl->AddText(ImVec2(sx1 - ImGui::CalcTextSize(hi.c_str()).x, sy + 12), kInk, hi.c_str());
    const auto* vc = t.find(c.value);
    const std::string vl = fit_text(vc ? with_unit(*vc) : c.value, row_w - 6);
    dl->AddText(ImVec2(o.x + 2, sy - 2), kInk, vl.c_str());
    ImGui::Dummy(ImVec2(width, lh + 4 + grid_h + 6 + 12 + lh + 2));
    if (h.rows.size() > rows) ImGui::TextDisabled("... %zu more rows (see the table)", h.rows.size() - rows);
    if (hovered >= 0 && ImGui::IsWindowHovered()) {
        const auto k = static_cast<std::size_t>(hovered);
        const std::size_t i = k / h.columns.size(), j = k % h.columns.size();
        ImGui::SetTooltip("%s / %s: %s%s%s", h.rows[i].c_str(), h.columns[j].c_str(),
                          std::isfinite(h.values[k]) ? map::tick_label(h.values[k]).c_str() : "no value",
                          c.label.empty() ? "" : "\n", c.label.empty() ? "" : h.texts[k].c_str());
    }
}

}  // namespace

std::optional<ChartView> chart_view(const plugin::Table& t) {
    std::optional<plugin::Chart> c = t.chart_spec();
    if (!c) return std::nullopt;
    ChartView v;
    v.problem = t.chart_problem(*c);
    if (v.problem.empty() && c->kind == "gantt") v.gantt = map::gantt_layout(t, *c);
    if (v.problem.empty() && c->kind == "heatmap") v.heatmap = map::heatmap_grid(t, *c);
    v.chart = std::move(*c);
    return v;
}

void draw_chart(const plugin::Table& t, const ChartView& v, float width, float plot_height) {
    width = std::max(width, 120.0f);
    const plugin::Chart& c = v.chart;
    if (!c.title.empty()) ImGui::TextDisabled("%s", c.title.c_str());
    if (c.kind == "line" || c.kind == "bar") draw_line_bar(t, c, width, plot_height);
    else if (v.gantt) draw_gantt(c, *v.gantt, width, plot_height);
    else if (v.heatmap) draw_heatmap(t, c, *v.heatmap, width, plot_height);
}

}  // namespace mp::gui
