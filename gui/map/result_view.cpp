// SPDX-License-Identifier: MIT
#include "map/result_view.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <map>
#include <regex>
#include <set>

#include "map/forms.hpp"

namespace mp::gui::map {

namespace {

std::string format_g(double v, const char* fmt = "%g") {
    char buf[64];
    std::snprintf(buf, sizeof buf, fmt, v);
    return buf;
}

std::uint8_t to_byte(float c) { return static_cast<std::uint8_t>(std::lround(std::clamp(c, 0.0f, 1.0f) * 255.0f)); }

// Whether cell `index` of band `band` is the raster's nodata (compared as an integer for
// integer types, so UInt64 cells above 2^53 do not collide with it).
bool is_nodata(const plugin::Raster& r, std::size_t band, std::size_t index) {
    if (!r.has_nodata) return false;
    if (plugin::is_integer(r.type)) return r.bits(band, index) == static_cast<std::uint64_t>(r.nodata);
    return r.value(band, index) == r.nodata;
}

// Days from 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant,
// "chrono-Compatible Low-Level Date Algorithms", howardhinnant.github.io/date_algorithms.html).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
    std::int64_t y;
    unsigned m, d;
};

Civil civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

unsigned days_in_month(std::int64_t y, unsigned m) {
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : kDays[m - 1];
}

// A time value of a table cell or an attribute: numbers are seconds, text ISO 8601
// (or a number written as text); `iso` is set when it was ISO text.
std::optional<double> time_of_text(const std::string& s, bool& iso) {
    if (s.empty()) return std::nullopt;
    if (auto t = parse_iso8601_s(s)) {
        iso = true;
        return t;
    }
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end && *end == '\0' && std::isfinite(v)) return v;
    return std::nullopt;
}

std::optional<double> time_of_cell(const plugin::Table::Column& col, std::size_t row, bool& iso) {
    if (col.numeric) {
        if (row >= col.numbers.size() || !std::isfinite(col.numbers[row])) return std::nullopt;
        return col.numbers[row];
    }
    return row < col.texts.size() ? time_of_text(col.texts[row], iso) : std::nullopt;
}

std::optional<double> time_of_value(const layer::Value* v, bool& iso) {
    if (!v) return std::nullopt;
    if (const auto* s = std::get_if<std::string>(v)) return time_of_text(*s, iso);
    if (std::holds_alternative<bool>(*v)) return std::nullopt;
    const auto n = layer::to_number(*v);
    if (n && std::isfinite(*n)) return n;
    return std::nullopt;
}

void widen(TimeScale& s, double t) {
    if (s.empty) s.t0 = s.t1 = t, s.empty = false;
    else s.t0 = std::min(s.t0, t), s.t1 = std::max(s.t1, t);
}

}  // namespace

// ---------------------------------------------------------------- rasters

std::size_t bits_per_cell(const plugin::Raster& r) { return 8 * plugin::pixel_size(r.type); }

bool legacy_raster(const plugin::Raster& r) {
    return r.type == plugin::PixelType::Float64 && r.bands == 1 && r.role == plugin::RasterRole::Plain &&
           r.band_names.empty();
}

Rgba class_colour(std::uint64_t value) { return series_colour(static_cast<std::size_t>(value % 16)); }

Rgba mask_colour(const RasterChoice& c) {
    if (c.mask == MaskMode::Item) return class_colour(c.item);
    return {0.839f, 0.153f, 0.157f, 1};  // any bit: the palette's red, clear on the base map
}

std::vector<RasterChoice> raster_choices(const plugin::Raster& r) {
    std::vector<RasterChoice> out;
    auto band_name = [&](std::size_t b) {
        return b < r.band_names.size() && !r.band_names[b].empty() ? r.band_names[b] : "band " + std::to_string(b + 1);
    };
    switch (r.role) {
        case plugin::RasterRole::Plain:
        case plugin::RasterRole::Categories:
            for (std::size_t b = 0; b < r.bands; ++b) out.push_back({band_name(b), b, MaskMode::Any, 0});
            break;
        case plugin::RasterRole::BandsPerHeight:
            for (std::size_t b = 0; b < r.bands; ++b) {
                std::string label = format_g(r.band_heights_m[b], "%.6g") + " m above ground";
                const std::string name = b < r.band_names.size() ? r.band_names[b] : "";
                if (!name.empty() && label.find(name) == std::string::npos) label += " (" + name + ")";
                out.push_back({label, b, MaskMode::Any, 0});
            }
            break;
        case plugin::RasterRole::Bitmask: {
            out.push_back({"any", 0, MaskMode::Any, 0});
            out.push_back({"count of set bits", 0, MaskMode::Count, 0});
            const std::size_t bpc = bits_per_cell(r);
            const std::size_t n = r.item_names.empty() ? r.bands * bpc : r.item_names.size();
            for (std::size_t i = 0; i < n; ++i) {
                const std::string name =
                    i < r.item_names.size() && !r.item_names[i].empty() ? r.item_names[i] : "bit " + std::to_string(i);
                out.push_back({name, i / bpc, MaskMode::Item, i});
            }
            break;
        }
    }
    return out;
}

RasterImage raster_image(const plugin::Raster& r, const RasterChoice& c) {
    RasterImage img;
    img.width = r.width, img.height = r.height;
    const std::size_t n = r.cells();
    const bool legacy = legacy_raster(r);
    // Continuous values: the band, or the number of set bits over every band.
    auto continuous = [&](auto&& value_at) {
        std::vector<double> v(n, NAN);
        bool any = false;
        for (std::size_t i = 0; i < n; ++i) {
            const std::optional<double> x = value_at(i);
            if (!x || !std::isfinite(*x)) continue;
            v[i] = *x;
            img.min_value = any ? std::min(img.min_value, *x) : *x;
            img.max_value = any ? std::max(img.max_value, *x) : *x;
            any = true;
        }
        img.values.assign(n, -1.0f);
        for (std::size_t i = 0; i < n; ++i) {
            if (std::isnan(v[i])) continue;
            ++img.drawn;
            img.values[i] = img.max_value > img.min_value
                                ? static_cast<float>((v[i] - img.min_value) / (img.max_value - img.min_value))
                                : 1.0f;
        }
    };
    auto paint = [&](std::size_t i, const Rgba& col) {
        img.rgba[4 * i] = to_byte(col[0]), img.rgba[4 * i + 1] = to_byte(col[1]);
        img.rgba[4 * i + 2] = to_byte(col[2]), img.rgba[4 * i + 3] = 255;
        ++img.drawn;
    };
    if (r.role == plugin::RasterRole::Categories) {
        img.discrete = true;
        img.rgba.assign(4 * n, 0);
        std::set<std::uint64_t> present;
        for (std::size_t i = 0; i < n; ++i) {
            if (is_nodata(r, c.band, i)) continue;
            const std::uint64_t k = r.bits(c.band, i);
            if (present.size() < 256) present.insert(k);
            paint(i, class_colour(k));
        }
        img.classes.assign(present.begin(), present.end());
        return img;
    }
    if (r.role == plugin::RasterRole::Bitmask) {
        const std::size_t bpc = bits_per_cell(r);
        auto nodata_anywhere = [&](std::size_t i) {
            for (std::size_t b = 0; b < r.bands; ++b)
                if (is_nodata(r, b, i)) return true;
            return false;
        };
        if (c.mask == MaskMode::Count) {
            continuous([&](std::size_t i) -> std::optional<double> {
                if (nodata_anywhere(i)) return std::nullopt;
                int bits = 0;
                for (std::size_t b = 0; b < r.bands; ++b) bits += std::popcount(r.bits(b, i));
                if (bits == 0) return std::nullopt;  // a mask: no bit set, nothing drawn
                return static_cast<double>(bits);
            });
            return img;
        }
        img.discrete = true;
        img.rgba.assign(4 * n, 0);
        const Rgba col = mask_colour(c);
        for (std::size_t i = 0; i < n; ++i) {
            bool set = false;
            if (c.mask == MaskMode::Item) {
                set = !is_nodata(r, c.band, i) && ((r.bits(c.band, i) >> (c.item % bpc)) & 1u);
            } else if (!nodata_anywhere(i)) {
                for (std::size_t b = 0; b < r.bands && !set; ++b) set = r.bits(b, i) != 0;
            }
            if (set) paint(i, col);
        }
        return img;
    }
    continuous([&](std::size_t i) -> std::optional<double> {
        if (is_nodata(r, c.band, i)) return std::nullopt;
        const double v = r.value(c.band, i);
        if (legacy && v <= 0) return std::nullopt;  // the 1.0 form: 0 is "covered by no system"
        return v;
    });
    return img;
}

RasterLegend raster_legend(const plugin::Raster& r, const RasterChoice& c, const RasterImage& img,
                           std::size_t max_entries) {
    RasterLegend lg;
    lg.title = r.name;
    if (raster_choices(r).size() > 1) lg.title += ": " + c.label;
    if (!r.unit.empty()) lg.title += " [" + r.unit + "]";
    lg.ramp = !img.discrete;
    if (lg.ramp) {
        // Four significant digits: a legend is read at a glance.
        lg.low = format_g(img.min_value, "%.4g"), lg.high = format_g(img.max_value, "%.4g");
        if (img.drawn == 0) lg.note = "(no cells)";
        else if (legacy_raster(r)) lg.note = "(0: none)";
        else if (r.role == plugin::RasterRole::Bitmask) lg.note = "(bits set; 0: none)";
        return lg;
    }
    if (r.role == plugin::RasterRole::Categories) {
        std::set<std::uint64_t> classes(img.classes.begin(), img.classes.end());
        for (std::size_t i = 0; i < r.item_names.size(); ++i) classes.insert(i);
        for (const std::uint64_t k : classes) {
            if (lg.entries.size() >= max_entries) {
                ++lg.more;
                continue;
            }
            const std::string name =
                k < r.item_names.size() && !r.item_names[k].empty() ? r.item_names[k] : "class " + std::to_string(k);
            lg.entries.push_back({name, class_colour(k)});
        }
        return lg;
    }
    lg.entries.push_back({c.mask == MaskMode::Item ? c.label + " set" : "any bit set", mask_colour(c)});
    lg.note = std::to_string(img.drawn) + (img.drawn == 1 ? " cell" : " cells");
    return lg;
}

std::optional<std::size_t> raster_cell_at(const plugin::Raster& r, double x, double y) {
    const auto& g = r.geotransform;
    // x = g0 + col * g1 + row * g2, y = g3 + col * g4 + row * g5: solve for (col, row).
    const double det = g[1] * g[5] - g[2] * g[4];
    if (!std::isfinite(x) || !std::isfinite(y) || !std::isfinite(det) || det == 0) return std::nullopt;
    const double dx = x - g[0], dy = y - g[3];
    const double col = (g[5] * dx - g[2] * dy) / det, row = (g[1] * dy - g[4] * dx) / det;
    if (!(col >= 0 && row >= 0 && col < static_cast<double>(r.width) && row < static_cast<double>(r.height)))
        return std::nullopt;
    const auto c = static_cast<std::size_t>(col), w = static_cast<std::size_t>(row);
    return w * r.width + c;
}

std::vector<std::string> set_bit_names(const plugin::Raster& r, std::size_t index) {
    std::vector<std::string> out;
    for (std::size_t b = 0; b < r.bands; ++b)
        if (is_nodata(r, b, index)) return {};
    const std::size_t bpc = bits_per_cell(r);
    for (std::size_t b = 0; b < r.bands; ++b) {
        for (std::uint64_t m = r.bits(b, index); m != 0; m &= m - 1) {
            const std::size_t i = b * bpc + static_cast<std::size_t>(std::countr_zero(m));
            out.push_back(i < r.item_names.size() && !r.item_names[i].empty() ? r.item_names[i]
                                                                              : "bit " + std::to_string(i));
        }
    }
    return out;
}

std::optional<CellReadout> raster_readout(const plugin::Raster& r, const RasterChoice& c, double x, double y) {
    const std::optional<std::size_t> cell = raster_cell_at(r, x, y);
    if (!cell) return std::nullopt;
    CellReadout out;
    out.label = r.name;
    if (r.role == plugin::RasterRole::Bitmask) {
        for (std::size_t b = 0; b < r.bands; ++b)
            if (is_nodata(r, b, *cell)) return std::nullopt;
        out.items = set_bit_names(r, *cell);
        out.value = out.items.empty() ? "none set" : std::to_string(out.items.size()) + " set";
        return out;
    }
    if (c.band >= r.bands || is_nodata(r, c.band, *cell)) return std::nullopt;
    const double v = r.value(c.band, *cell);
    if (!std::isfinite(v)) return std::nullopt;
    if (r.bands > 1)
        out.label += r.role == plugin::RasterRole::BandsPerHeight ? " at " + c.label : " (" + c.label + ")";
    // A class value named by item_names reads as its name (categories always do).
    const bool integral = plugin::is_integer(r.type) || v == std::floor(v);
    const bool named = integral && v >= 0 && v < static_cast<double>(r.item_names.size()) &&
                       !r.item_names[static_cast<std::size_t>(v)].empty();
    const std::string number = format_g(v, "%.6g");
    if (named) out.value = r.item_names[static_cast<std::size_t>(v)] + " (" + number + ")";
    else if (r.role == plugin::RasterRole::Categories) out.value = "class " + number;
    else out.value = r.unit.empty() ? number : number + " " + r.unit;
    return out;
}

std::string readout_line(const CellReadout& c, std::size_t max_items) {
    std::string s = c.label + ": ";
    if (c.items.empty()) return s + c.value;
    for (std::size_t i = 0; i < c.items.size() && i < max_items; ++i) s += (i ? ", " : "") + c.items[i];
    if (c.items.size() > max_items) s += " ... and " + std::to_string(c.items.size() - max_items) + " more";
    return s;
}

// ---------------------------------------------------------------- charts

std::vector<double> nice_ticks(double lo, double hi, int target) {
    if (!std::isfinite(lo) || !std::isfinite(hi)) return {};
    if (hi < lo) std::swap(lo, hi);
    if (hi == lo) return {lo};
    const double raw = (hi - lo) / std::max(1, target);
    const double p10 = std::pow(10.0, std::floor(std::log10(raw)));
    double step = 10 * p10;
    for (double m : {1.0, 2.0, 5.0})
        if (m * p10 >= raw * (1 - 1e-9)) {
            step = m * p10;
            break;
        }
    std::vector<double> out;
    for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9 && out.size() < 100; v += step)
        out.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
    return out;
}

std::string tick_label(double v) {
    if (v == 0) return "0";
    return format_g(v, "%.6g");
}

AxisSplit split_axes(const plugin::Table& t, const plugin::Chart& c) {
    AxisSplit s;
    for (const auto& y : c.y) {
        const auto* col = t.find(y);
        const bool right = !c.y_unit_right.empty() && col && col->unit == c.y_unit_right;
        (right ? s.right : s.left).push_back(y);
    }
    return s;
}

std::array<double, 2> value_range(const plugin::Table& t, const std::vector<std::string>& columns, bool include_zero) {
    double lo = 0, hi = 0;
    bool any = include_zero;
    for (const auto& name : columns) {
        const auto* col = t.find(name);
        if (!col || !col->numeric) continue;
        for (double v : col->numbers) {
            if (!std::isfinite(v)) continue;
            lo = any ? std::min(lo, v) : v, hi = any ? std::max(hi, v) : v;
            any = true;
        }
    }
    if (!any) return {0, 1};
    if (hi <= lo) return {lo - 0.5, hi + 0.5};
    return {lo, hi};
}

std::optional<double> parse_iso8601_s(std::string_view text) {
    static const std::regex re(
        R"((\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|([+-])(\d{2})(?::?(\d{2}))?)?)?)");
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_match(text.begin(), text.end(), m, re)) return std::nullopt;
    auto num = [&](int i) { return m[i].matched ? std::stoi(m[i].str()) : 0; };
    const int y = num(1), mo = num(2), d = num(3), h = num(4), mi = num(5), s = num(6);
    if (mo < 1 || mo > 12 || d < 1 || d > static_cast<int>(days_in_month(y, static_cast<unsigned>(mo))) || h > 23 ||
        mi > 59 || s > 60)
        return std::nullopt;
    double t = static_cast<double>(days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d))) * 86400.0 +
               h * 3600.0 + mi * 60.0 + s;
    if (m[7].matched) t += std::stod("0" + m[7].str());
    if (m[9].matched) {
        const int oh = num(10), om = num(11);
        if (oh > 23 || om > 59) return std::nullopt;
        t -= (m[9].str() == "-" ? -1.0 : 1.0) * (oh * 3600.0 + om * 60.0);
    }
    return t;
}

std::string format_iso8601_utc(double epoch_s) {
    const auto s = static_cast<std::int64_t>(std::floor(epoch_s));
    std::int64_t days = s / 86400, rem = s % 86400;
    if (rem < 0) rem += 86400, --days;
    const Civil c = civil_from_days(days);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(c.y), c.m, c.d,
                  static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60));
    return buf;
}

namespace {

// "+H:MM" (with ":SS" when seconds), "+Dd HH:MM" past a day; negative with "-".
std::string elapsed_label(double t, bool seconds) {
    const auto total = static_cast<std::int64_t>(std::llround(std::abs(t)));
    const std::int64_t d = total / 86400, h = total / 3600 % 24, m = total / 60 % 60, s = total % 60;
    char buf[64];
    const char sign = t < 0 ? '-' : '+';
    if (d > 0)
        std::snprintf(buf, sizeof buf, "%c%lldd %02lld:%02lld", sign, static_cast<long long>(d),
                      static_cast<long long>(h), static_cast<long long>(m));
    else std::snprintf(buf, sizeof buf, "%c%lld:%02lld", sign, static_cast<long long>(h), static_cast<long long>(m));
    std::string out = buf;
    if (seconds) {
        std::snprintf(buf, sizeof buf, ":%02lld", static_cast<long long>(s));
        out += buf;
    }
    return out;
}

}  // namespace

std::vector<TimeTick> time_ticks(double t0, double t1, bool absolute, int target) {
    if (!std::isfinite(t0) || !std::isfinite(t1)) return {};
    if (t1 < t0) std::swap(t0, t1);
    auto label = [&](double t, double step, const std::string& prev_day) {
        if (!absolute) return elapsed_label(t, step < 60);
        const std::string iso = format_iso8601_utc(t);  // YYYY-MM-DDTHH:MM:SSZ
        const std::string day = iso.substr(5, 5), hm = iso.substr(11, 5);
        if (step >= 86400) return day;
        std::string out = day != prev_day ? day + " " + hm : hm;
        if (step < 60) out += iso.substr(16, 3);
        return out;
    };
    if (t1 == t0) return {{t0, label(t0, 1, "")}};
    static constexpr double kSteps[] = {1,   2,    5,    10,   15,    30,    60,    120,   300,    600,
                                        900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800};
    const double raw = (t1 - t0) / std::max(1, target);
    double step = 0;
    for (double s : kSteps)
        if (s >= raw) {
            step = s;
            break;
        }
    if (step == 0) step = 604800 * std::ceil(raw / 604800);
    std::vector<TimeTick> out;
    std::string prev_day;
    for (double t = std::ceil(t0 / step) * step; t <= t1 && out.size() < 200; t += step) {
        out.push_back({t, label(t, step, prev_day)});
        if (absolute) prev_day = format_iso8601_utc(t).substr(5, 5);
    }
    return out;
}

std::string format_time(double t, bool absolute) {
    if (absolute) return format_iso8601_utc(t);
    return elapsed_label(t, true) + " (" + format_g(t, "%.0f") + " s)";
}

GanttLayout gantt_layout(const plugin::Table& t, const plugin::Chart& c) {
    GanttLayout g;
    const auto* start = t.find(c.start);
    const auto* end = t.find(c.end);
    const auto* label = c.label.empty() ? nullptr : t.find(c.label);
    const auto* group = c.group.empty() ? nullptr : t.find(c.group);
    if (!start || !end) return g;
    std::map<std::string, std::size_t> group_index;
    for (std::size_t row = 0; row < t.rows(); ++row) {
        bool iso = false;
        const auto s = time_of_cell(*start, row, iso);
        const auto e = time_of_cell(*end, row, iso);
        g.scale.absolute = g.scale.absolute || iso;
        if (!s || !e || *e < *s) {
            ++g.skipped;
            continue;
        }
        GanttBar b;
        b.row = row;
        b.lane = g.bars.size();
        b.start = *s, b.end = *e;
        b.label = label ? label->cell(row) : "";
        const std::string key = group ? group->cell(row) : "";
        auto [it, added] = group_index.emplace(key, g.groups.size());
        if (added) g.groups.push_back(key);
        b.group = it->second;
        widen(g.scale, *s);
        widen(g.scale, *e);
        g.bars.push_back(std::move(b));
    }
    g.lanes = g.bars.size();
    return g;
}

double HeatmapGrid::normalised(double v) const {
    if (!std::isfinite(v)) return 0;
    return max_value > min_value ? std::clamp((v - min_value) / (max_value - min_value), 0.0, 1.0) : 0.5;
}

HeatmapGrid heatmap_grid(const plugin::Table& t, const plugin::Chart& c) {
    HeatmapGrid h;
    const auto* rc = t.find(c.row);
    const auto* cc = t.find(c.column);
    const auto* vc = t.find(c.value);
    const auto* lc = c.label.empty() ? nullptr : t.find(c.label);
    if (!rc || !cc || !vc || !vc->numeric) return h;
    std::map<std::string, std::size_t> ri, ci;
    std::vector<std::array<std::size_t, 2>> at(t.rows());
    for (std::size_t r = 0; r < t.rows(); ++r) {
        auto [a, ra] = ri.emplace(rc->cell(r), h.rows.size());
        if (ra) h.rows.push_back(rc->cell(r));
        auto [b, cb] = ci.emplace(cc->cell(r), h.columns.size());
        if (cb) h.columns.push_back(cc->cell(r));
        at[r] = {a->second, b->second};
    }
    h.values.assign(h.rows.size() * h.columns.size(), NAN);
    h.texts.assign(h.values.size(), "");
    bool any = false;
    for (std::size_t r = 0; r < t.rows(); ++r) {
        const std::size_t k = at[r][0] * h.columns.size() + at[r][1];
        const double v = r < vc->numbers.size() ? vc->numbers[r] : NAN;
        h.values[k] = v;
        h.texts[k] = lc ? lc->cell(r) : (std::isfinite(v) ? tick_label(v) : "");
        if (!std::isfinite(v)) continue;
        h.min_value = any ? std::min(h.min_value, v) : v;
        h.max_value = any ? std::max(h.max_value, v) : v;
        any = true;
    }
    return h;
}

// ---------------------------------------------------------------- movements

MovementTimes movement_times(const layer::Layer& l, const std::string& start_field, const std::string& end_field) {
    MovementTimes m;
    m.start.assign(l.features.size(), NAN);
    m.end.assign(l.features.size(), NAN);
    for (std::size_t i = 0; i < l.features.size(); ++i) {
        bool iso = false;
        const auto s = time_of_value(l.features[i].attributes.find(start_field), iso);
        const auto e = time_of_value(l.features[i].attributes.find(end_field), iso);
        m.scale.absolute = m.scale.absolute || iso;
        if (!s || !e || *e < *s) {
            ++m.invalid;
            continue;
        }
        m.start[i] = *s, m.end[i] = *e;
        widen(m.scale, *s);
        widen(m.scale, *e);
    }
    return m;
}

std::vector<std::size_t> active_at(const MovementTimes& m, double t) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < m.start.size(); ++i)
        if (m.start[i] <= t && t <= m.end[i]) out.push_back(i);  // NaN compares false: never active
    return out;
}

double play_step(const TimeScale& s, double t, double dt_s, bool& playing, double play_s) {
    if (!playing || s.empty) return t;
    t = std::clamp(t, s.t0, s.t1) + (s.t1 - s.t0) / std::max(play_s, 1e-3) * std::max(dt_s, 0.0);
    if (t >= s.t1) t = s.t1, playing = false;
    return t;
}

std::size_t style_groups(const plugin::ResultLayer& l) {
    std::vector<std::pair<std::string, double>> seen;
    for (std::size_t i = 0; i < l.layer.features.size(); ++i) {
        const plugin::Style& st = i < l.feature_styles.size() && l.feature_styles[i] ? *l.feature_styles[i] : l.style;
        if (std::find(seen.begin(), seen.end(), std::pair{st.color, st.width_px}) == seen.end())
            seen.emplace_back(st.color, st.width_px);
    }
    return seen.size();
}

}  // namespace mp::gui::map
