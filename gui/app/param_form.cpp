// SPDX-License-Identifier: MIT
// Plugin forms built from the ABI parameter types. The type alone chooses the widget
// (mp_plugin.h: a description is "shown as help only, never interpreted"); the form
// state is text per value, turned into the host's JSON by map::host_params, and checked
// by map::form_problems, so that what the form flags is what the host would refuse.
#include "app/param_form.hpp"

#include <imgui.h>
#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cfloat>
#include <filesystem>
#include <map>
#include <utility>

namespace mp::gui {

namespace {

using plugin::ParamDef;
using plugin::ParamType;

// Problems: a light red field with a red border, and the message in red below it.
const ImVec4 kBadFill{1.0f, 0.86f, 0.86f, 1.0f};
const ImVec4 kBadBorder{0.80f, 0.10f, 0.10f, 1.0f};
const ImVec4 kBadText{0.75f, 0.10f, 0.10f, 1.0f};

std::string display_label(const ParamDef& d) { return d.label.empty() ? d.key : d.label; }

std::string header_label(const ParamDef& d) {
    std::string t = display_label(d);
    if (!d.unit.empty()) t += " [" + d.unit + "]";
    if (d.required) t += " *";
    return t;
}

// The help shown when hovering a label or a header: the description (as help only),
// then what the type says (range, default, where enum choices come from).
std::string help_text(const ParamDef& d) {
    std::string t = d.description;
    auto line = [&](const std::string& s) { t += (t.empty() ? "" : "\n") + s; };
    auto num = [](double v) {
        char b[32];
        std::snprintf(b, sizeof b, "%g", v);
        return std::string(b);
    };
    if (d.type != ParamType::List && (d.min || d.max))
        line("range " + (d.min ? num(*d.min) : std::string("-")) + " .. " + (d.max ? num(*d.max) : std::string("-")) +
             (d.unit.empty() ? "" : " " + d.unit));
    if (d.type == ParamType::List && (d.min || d.max))
        line("items " + (d.min ? num(*d.min) : std::string("0")) + " .. " + (d.max ? num(*d.max) : std::string("any")));
    if (d.default_value && !d.default_value->empty()) line("default " + *d.default_value);
    if (!d.choices_from.empty()) line("choices from the host table " + d.choices_from);
    if (!d.file_types.empty()) line("files " + d.file_types);
    return t;
}

std::string item_path(const std::string& key, std::size_t i) { return key + "[" + std::to_string(i) + "]"; }

float button_width(const char* a, const char* b = nullptr) {
    const float w = std::max(ImGui::CalcTextSize(a).x, b ? ImGui::CalcTextSize(b).x : 0.0f);
    return w + 2 * ImGui::GetStyle().FramePadding.x;
}

const char* kPickIdle = "pick";
const char* kPickWaiting = "click map";

bool is_record_list(const ParamDef& d) { return d.type == ParamType::List && d.item_type == ParamType::Record; }

// A completion entry: the English name, the Dutch or French name the query matched when
// the English one does not hold it, the kind and the id the entry puts.
std::string completion_label(const sites::Site& s, const std::string& query) {
    const std::string q = sites::normalise_name(query);
    std::string label = s.name_en;
    if (sites::normalise_name(s.name_en).find(q) == std::string::npos)
        for (const std::string* n : {&s.name_nl, &s.name_fr})
            if (sites::normalise_name(*n).find(q) != std::string::npos) {
                label += " - " + *n;
                break;
            }
    return label + " [" + std::string(sites::kind_name(s.kind)) + "]  " + s.id;
}

}  // namespace

struct ParamForms::Frame {
    const plugin::PluginInfo& plugin;
    nlohmann::json& values;
    const Env& env;
    std::map<std::string, std::string> problems;  // path -> message
    bool in_window = false;
    std::string problem(const std::string& path) const {
        const auto it = problems.find(path);
        return it == problems.end() ? "" : it->second;
    }
};

void ParamForms::begin_frame() {
    m_widgets.clear();
    m_plugins = nlohmann::json::object();
}

void ParamForms::record(Frame& f, const std::string& path, const char* kind, const std::string& label,
                        const std::string& problem) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    m_widgets.push_back({f.plugin.id, path, kind, label, problem, {a.x, a.y, b.x - a.x, b.y - a.y}, f.in_window});
}

void ParamForms::set_run_enabled(const std::string& plugin_id, bool enabled) {
    m_plugins[plugin_id]["run_enabled"] = enabled;
}

nlohmann::json ParamForms::dump() const {
    nlohmann::json widgets = nlohmann::json::array();
    for (const auto& w : m_widgets)
        widgets.push_back({{"plugin", w.plugin_id},
                           {"path", w.path},
                           {"widget", w.kind},
                           {"label", w.label},
                           {"problem", w.problem},
                           {"rect", w.rect},
                           {"in_window", w.in_window}});
    nlohmann::json pick = nullptr;
    if (m_pick.active())
        pick = {{"plugin", m_pick.plugin_id}, {"key", m_pick.key}, {"index", m_pick.index}, {"field", m_pick.field}};
    return {{"widgets", widgets}, {"plugins", m_plugins}, {"pick", pick}};
}

std::vector<map::FormProblem> ParamForms::draw(const plugin::PluginInfo& p, nlohmann::json& values, const Env& env) {
    if (!values.is_object()) values = nlohmann::json::object();
    for (const auto& d : p.params) {
        if (!values.contains(d.key)) values[d.key] = d.default_value.value_or("");
        nlohmann::json norm = map::form_value(d, values[d.key]);
        const auto& before = values[d.key];
        if (is_record_list(d) && norm.empty() && before.is_string() &&
            before.get<std::string>().find_first_not_of(" \t") != std::string::npos && env.warn)
            env.warn(p.id + ": '" + d.key + "' = '" + before.get<std::string>() +
                     "' is not a JSON array of records; cleared");
        values[d.key] = std::move(norm);
    }
    const map::FormContext ctx{env.catalogue, &env.layers};
    Frame f{p, values, env, {}, false};
    for (auto& pr : map::form_problems(p.params, values, ctx)) f.problems.emplace(pr.path, pr.message);
    if (m_pick.active() && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) m_pick = {};
    for (const auto& d : p.params) draw_parameter(f, d);
    auto problems = map::form_problems(p.params, values, ctx);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& pr : problems) list.push_back({{"path", pr.path}, {"message", pr.message}});
    m_plugins[p.id]["problems"] = list;
    m_plugins[p.id]["values"] = map::host_params(p.params, values);
    return problems;
}

void ParamForms::draw_parameter(Frame& f, const ParamDef& d) {
    ImGui::PushID(d.key.c_str());
    nlohmann::json& v = f.values[d.key];
    const std::string label = header_label(d);
    const std::string help = help_text(d);
    if (d.type == ParamType::Bool) {
        // A checkbox carries its label; unset shows the default.
        std::string text = v.get<std::string>();
        const std::string shown = text.empty() ? d.default_value.value_or("false") : text;
        bool b = shown == "true" || shown == "1" || shown == "yes" || shown == "on";
        if (ImGui::Checkbox((label + "##v").c_str(), &b)) v = b ? "true" : "false";
        record(f, d.key, "checkbox", label, f.problem(d.key));
        if (ImGui::IsItemHovered() && !help.empty()) ImGui::SetTooltip("%s", help.c_str());
        ImGui::PopID();
        return;
    }
    // The label sits above its input (wrapped), so units are never cut off.
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(label.c_str());
    ImGui::PopTextWrapPos();
    if (ImGui::IsItemHovered() && !help.empty()) ImGui::SetTooltip("%s", help.c_str());
    if (is_record_list(d)) {
        draw_record_table(f, d, v);
    } else if (d.type == ParamType::List) {
        draw_list(f, d, v);
    } else if (d.type == ParamType::Record) {
        // One record: its fields one under the other, indented.
        ImGui::Indent();
        for (const auto& fd : d.fields) {
            ImGui::TextUnformatted(header_label(fd).c_str());
            std::string text = v.value(fd.key, std::string());
            if (value_widget(f, fd, fd.type, text, {f.plugin.id, d.key, -1, fd.key}, d.key + "." + fd.key,
                             ImGui::GetContentRegionAvail().x, false))
                v[fd.key] = text;
        }
        ImGui::Unindent();
    } else {
        std::string text = v.get<std::string>();
        if (value_widget(f, d, d.type, text, {f.plugin.id, d.key, -1, ""}, d.key, ImGui::GetContentRegionAvail().x,
                         false))
            v = text;
    }
    ImGui::PopID();
}

bool ParamForms::pick_button(Frame& f, ParamType type, const PickTarget& target, const std::string& path) {
    const map::PickKind kind = map::pick_kind(type);
    if (kind == map::PickKind::None) return false;
    const bool waiting = m_pick == target;
    ImGui::PushStyleColor(ImGuiCol_Button,
                          waiting ? ImVec4(1.0f, 0.85f, 0.3f, 1) : ImGui::GetStyleColorVec4(ImGuiCol_Button));
    const bool append = target.index < 0 && target.field.empty() &&
                        std::any_of(f.plugin.params.begin(), f.plugin.params.end(), [&](const ParamDef& d) {
                            return d.key == target.key && d.type == ParamType::List;
                        });
    const char* idle = append ? "pick on map" : kPickIdle;
    if (ImGui::Button((std::string(waiting ? kPickWaiting : idle) + "##pick").c_str(),
                      ImVec2(button_width(idle, kPickWaiting), 0)))
        m_pick = waiting ? PickTarget{} : target;
    ImGui::PopStyleColor();
    record(f, path, "pick", idle, "");
    if (ImGui::IsItemHovered()) {
        const char* what = kind == map::PickKind::Site       ? "Click a site on the map: %s its id"
                           : kind == map::PickKind::Location ? "Click the map: %s the point's lon,lat"
                                                             : "Click the map: %s a site's id, or the point's lon,lat";
        ImGui::SetTooltip(what, append ? "appends" : "puts");
    }
    return false;
}

bool ParamForms::site_search(Frame& f, const ParamDef& d, std::string& text, const std::string& path, float width,
                             const std::string& hint) {
    const std::string owner = f.plugin.id + "\n" + path + (f.in_window ? "\nw" : "");
    const std::string before = text;
    ImGui::SetNextItemWidth(width);
    const bool enter = ImGui::InputTextWithHint("##v", hint.c_str(), &text, ImGuiInputTextFlags_EnterReturnsTrue);
    const bool active = ImGui::IsItemActive();
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    if (active) m_complete_owner = owner;
    bool changed = text != before;
    if (!f.env.catalogue) return changed;
    const auto matches = map::site_matches(*f.env.catalogue, text, 8);
    const bool exact = f.env.catalogue->by_id(text) != nullptr;
    if (enter && !exact && !map::is_lonlat_text(text) && !matches.empty()) {
        // Enter takes the best match, as the site search of the Inspector does.
        text = matches.front()->id;
        changed = true;
        m_complete_owner.clear();
    }
    if (m_complete_owner != owner) return changed;
    bool hovered = false;
    if (!matches.empty() && !exact) {
        ImGui::SetNextWindowPos(ImVec2(a.x, b.y));
        const ImGuiViewport* vp = ImGui::GetMainViewport();
        const float room = std::max(b.x - a.x, vp->WorkPos.x + vp->WorkSize.x - a.x - 4);
        ImGui::SetNextWindowSizeConstraints(ImVec2(std::min(std::max(b.x - a.x, 240.0f), room), 0),
                                            ImVec2(room, FLT_MAX));
        const ImGuiWindowFlags flags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove |
                                       ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoSavedSettings |
                                       ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing |
                                       ImGuiWindowFlags_NoNav;
        if (ImGui::Begin("##site_completion", nullptr, flags)) {
            ImGui::BringWindowToDisplayFront(ImGui::GetCurrentWindow());
            for (const auto* s : matches)
                if (ImGui::Selectable((completion_label(*s, text) + "##" + s->id).c_str())) {
                    text = s->id;
                    changed = true;
                    m_complete_owner.clear();
                }
            hovered = ImGui::IsWindowHovered(ImGuiHoveredFlags_RootAndChildWindows);
        }
        ImGui::End();
    }
    // Open while typing, and while the pointer is on the list (a click on an entry
    // takes the focus from the field before the entry's release registers).
    if (!active && !hovered) m_complete_owner.clear();
    (void)d;
    return changed;
}

bool ParamForms::browse_button(Frame& f, const ParamDef& d, ParamType type, std::string& text, const PickTarget& target,
                               const std::string& path) {
    namespace fs = std::filesystem;
    const std::string owner = f.plugin.id + "\n" + path + (f.in_window ? "\nw" : "");
    bool changed = false;
    const bool clicked = ImGui::Button("...##browse", ImVec2(button_width("..."), 0));
    record(f, path, "browse", "...", "");
    if (clicked) {
        Browser b;
        b.target = target;
        b.owner = owner;
        b.raster = type == ParamType::Raster;
        b.file_out = type == ParamType::File && d.file_out;
        b.patterns = map::file_patterns(d.file_types);
        std::error_code ec;
        const fs::path current(text);
        if (!text.empty() && fs::is_directory(current, ec)) {
            b.folder = current.string();
        } else if (!text.empty() && current.has_parent_path() && fs::is_directory(current.parent_path(), ec)) {
            b.folder = current.parent_path().string();
            b.name = current.filename().string();
        } else {
            b.folder = fs::current_path(ec).string();
            if (!text.empty() && !current.has_parent_path()) b.name = text;
        }
        b.folder = fs::absolute(b.folder, ec).lexically_normal().string();
        m_browser = std::move(b);
        ImGui::OpenPopup("Choose a file");
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", type == ParamType::Raster ? "Browse for a raster (a GDAL source may also be typed)"
                                : d.file_out              ? "Browse for the file to write (a new name is fine)"
                                                          : "Browse for the file to read");
    if (m_browser.owner == owner) {
        const ImGuiViewport* vp = ImGui::GetMainViewport();
        ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                                ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
        if (ImGui::BeginPopupModal("Choose a file", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
            changed = draw_browser(text);
            ImGui::EndPopup();
        } else {
            m_browser = {};
        }
    }
    return changed;
}

bool ParamForms::draw_browser(std::string& text) {
    namespace fs = std::filesystem;
    Browser& b = m_browser;
    // Fields with a border: the light style's frames barely show on the popup's white.
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1.0f);
    ImGui::TextUnformatted(b.raster     ? "A raster to read (a file, or type any GDAL source below)"
                           : b.file_out ? "The file the plugin writes"
                                        : "The file the plugin reads");
    ImGui::SetNextItemWidth(420);
    if (ImGui::InputText("##folder", &b.folder, ImGuiInputTextFlags_EnterReturnsTrue)) b.stale = true;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The folder shown; type a path and press Enter");
    ImGui::SameLine();
    if (ImGui::Button("Up")) {
        b.folder = fs::path(b.folder).parent_path().string();
        b.stale = true;
    }
    if (b.stale) {
        b.listing = map::list_folder(b.folder, b.patterns, b.show_all);
        b.stale = false;
    }
    std::string enter_folder;
    bool accept = false;
    ImGui::BeginChild("entries", ImVec2(480, 240), true);
    for (const auto& e : b.listing.entries) {
        const std::string label = (e.folder ? "[folder] " + e.name + "/" : e.name) + "##" + e.name;
        if (ImGui::Selectable(label.c_str(), !e.folder && e.name == b.name, ImGuiSelectableFlags_AllowDoubleClick)) {
            if (e.folder) {
                enter_folder = e.name;
            } else {
                b.name = e.name;
                accept = ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left);
            }
        }
    }
    if (b.listing.entries.empty() && b.listing.error.empty()) ImGui::TextDisabled("(no matching files)");
    ImGui::EndChild();
    if (!enter_folder.empty()) {
        b.folder = (fs::path(b.folder) / enter_folder).string();
        b.stale = true;
    }
    if (!b.patterns.empty()) {
        if (ImGui::Checkbox("all files", &b.show_all)) b.stale = true;
        ImGui::SameLine();
        std::string shown;
        for (const auto& p : b.patterns) shown += (shown.empty() ? "" : " ") + p;
        ImGui::TextDisabled("(else %s)", shown.c_str());
    }
    ImGui::SetNextItemWidth(420);
    ImGui::InputTextWithHint("##name", b.file_out ? "file name (new or existing)" : "file name", &b.name);
    // A name that is a path or a GDAL source stands alone; else it is in the folder.
    const bool standalone =
        !b.name.empty() && (b.name[0] == '/' || (b.raster && b.name.find(':') != std::string::npos));
    const std::string chosen = b.name.empty() ? "" : standalone ? b.name : (fs::path(b.folder) / b.name).string();
    std::string problem;
    std::error_code ec;
    if (chosen.empty()) problem = b.file_out ? "type a file name" : "choose a file";
    else if (b.raster && (chosen.rfind("/vsi", 0) == 0 || chosen.find(':') != std::string::npos)) problem.clear();
    else if (b.file_out && !fs::is_directory(fs::path(chosen).parent_path(), ec)) problem = "no such folder";
    else if (fs::is_directory(chosen, ec)) problem = "a folder, not a file";
    else if (!b.file_out && !fs::exists(chosen, ec)) problem = "no such file";
    if (!problem.empty()) ImGui::TextColored(kBadText, "%s", problem.c_str());
    else if (b.file_out && fs::exists(chosen, ec)) ImGui::TextDisabled("exists: the plugin will replace it");
    if (!b.listing.error.empty()) ImGui::TextColored(kBadText, "%s", b.listing.error.c_str());
    bool chosen_now = false;
    ImGui::BeginDisabled(!problem.empty());
    if (ImGui::Button("OK", ImVec2(90, 0)) || (accept && problem.empty())) {
        text = chosen;
        chosen_now = true;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Cancel", ImVec2(90, 0))) ImGui::CloseCurrentPopup();
    ImGui::PopStyleVar();
    return chosen_now;
}

bool ParamForms::value_widget(Frame& f, const ParamDef& d, ParamType type, std::string& text, const PickTarget& target,
                              const std::string& path, float width, bool in_table) {
    const std::string problem = f.problem(path);
    const bool bad = !problem.empty();
    // A list's default is the whole list's: its items have no hint.
    const std::string hint = type == d.type && d.default_value ? *d.default_value : "";
    ImGui::PushID(path.c_str());
    if (bad) {
        ImGui::PushStyleColor(ImGuiCol_FrameBg, kBadFill);
        ImGui::PushStyleColor(ImGuiCol_Border, kBadBorder);
        ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1.0f);
    }
    const ImGuiStyle& st = ImGui::GetStyle();
    const float pick_w =
        map::pick_kind(type) == map::PickKind::None ? 0.0f : button_width(kPickIdle, kPickWaiting) + st.ItemSpacing.x;
    const float browse_w =
        type == ParamType::File || type == ParamType::Raster ? button_width("...") + st.ItemSpacing.x : 0.0f;
    const float input_w = std::max(40.0f, width - pick_w - browse_w);
    bool changed = false;
    const char* kind = "text";
    ImVec2 ra, rb;
    bool hovered = false;
    bool active_input = false;
    bool styled = bad;
    // After the value's own input: its rectangle, and the problem style ends (the pick
    // and browse buttons beside it keep theirs).
    auto mark = [&] {
        ra = ImGui::GetItemRectMin();
        rb = ImGui::GetItemRectMax();
        hovered = ImGui::IsItemHovered();
        active_input = ImGui::IsItemActive();
        if (std::exchange(styled, false)) {
            ImGui::PopStyleVar();
            ImGui::PopStyleColor(2);
        }
    };
    auto combo = [&](const std::vector<std::string>& choices, const char* k) {
        kind = k;
        ImGui::SetNextItemWidth(input_w);
        const std::string preview = !text.empty() ? text : !hint.empty() ? hint + " (default)" : "(not set)";
        if (ImGui::BeginCombo("##v", preview.c_str(),
                              choices.size() > 8 ? ImGuiComboFlags_HeightLarge : ImGuiComboFlags_None)) {
            // An optional value may be left unset (the plugin's default applies).
            if (!d.required || d.default_value)
                if (ImGui::Selectable(hint.empty() ? "(none)" : "(default)", text.empty()))
                    text.clear(), changed = true;
            for (const auto& c : choices)
                if (ImGui::Selectable(c.c_str(), c == text)) text = c, changed = true;
            ImGui::EndCombo();
        }
        mark();
    };
    switch (type) {
        case ParamType::Bool: {
            kind = "checkbox";
            const std::string shown = text.empty() ? hint : text;
            bool b = shown == "true" || shown == "1" || shown == "yes" || shown == "on";
            if (ImGui::Checkbox("##v", &b)) text = b ? "true" : "false", changed = true;
            mark();
            break;
        }
        case ParamType::Enum: combo(d.choices, "combo"); break;
        case ParamType::Layer: combo(f.env.layers, "layer"); break;
        case ParamType::Number:
        case ParamType::Integer: {
            kind = type == ParamType::Number ? "number" : "integer";
            ImGui::SetNextItemWidth(input_w);
            changed = ImGui::InputTextWithHint("##v", hint.c_str(), &text, ImGuiInputTextFlags_CharsScientific);
            mark();
            break;
        }
        case ParamType::Site:
        case ParamType::Place: {
            kind = type == ParamType::Site ? "site" : "place";
            changed = site_search(f, d, text, path, input_w,
                                  !hint.empty()             ? hint
                                  : type == ParamType::Site ? "search a site (NL / FR / EN)"
                                                            : "search a site, or lon,lat");
            mark();
            ImGui::SameLine();
            pick_button(f, type, target, path);
            break;
        }
        case ParamType::Coordinate: {
            kind = "coordinate";
            ImGui::SetNextItemWidth(input_w);
            changed = ImGui::InputTextWithHint("##v", hint.empty() ? "lon,lat" : hint.c_str(), &text);
            mark();
            ImGui::SameLine();
            pick_button(f, type, target, path);
            break;
        }
        case ParamType::File:
        case ParamType::Raster: {
            kind = type == ParamType::File ? (d.file_out ? "file-out" : "file-in") : "raster";
            ImGui::SetNextItemWidth(input_w);
            changed = ImGui::InputTextWithHint("##v",
                                               type == ParamType::Raster ? "path or GDAL source"
                                               : d.file_out              ? "file to write"
                                                                         : "file to read",
                                               &text);
            mark();
            ImGui::SameLine();
            changed = browse_button(f, d, type, text, target, path) || changed;
            break;
        }
        case ParamType::Polygon: {
            kind = "polygon";
            ImGui::SetNextItemWidth(input_w);
            changed = ImGui::InputTextWithHint("##v", "lon,lat; lon,lat; ... or a file", &text);
            mark();
            break;
        }
        default: {
            ImGui::SetNextItemWidth(input_w);
            changed = ImGui::InputTextWithHint("##v", hint.c_str(), &text);
            mark();
            break;
        }
    }
    if (styled) {
        ImGui::PopStyleVar();
        ImGui::PopStyleColor(2);
    }
    m_widgets.push_back(
        {f.plugin.id, path, kind, display_label(d), problem, {ra.x, ra.y, rb.x - ra.x, rb.y - ra.y}, f.in_window});
    // What a site field resolved to (ids are terse).
    std::string resolved;
    if ((type == ParamType::Site || type == ParamType::Place) && f.env.catalogue && !text.empty() &&
        !map::is_lonlat_text(text))
        if (const auto s = f.env.catalogue->find(text))
            resolved = (*s)->name_en + " [" + std::string(sites::kind_name((*s)->kind)) + "]";
    if (hovered && !active_input) {
        const std::string tip = bad ? problem : !resolved.empty() ? resolved : in_table ? help_text(d) : "";
        if (!tip.empty()) ImGui::SetTooltip("%s", tip.c_str());
    }
    if (!in_table) {
        ImGui::PushTextWrapPos(0.0f);
        if (bad) ImGui::TextColored(kBadText, "%s", problem.c_str());
        else if (!resolved.empty()) ImGui::TextDisabled("%s", resolved.c_str());
        ImGui::PopTextWrapPos();
    }
    ImGui::PopID();
    return changed;
}

void ParamForms::draw_list(Frame& f, const ParamDef& d, nlohmann::json& items) {
    long remove = -1, up = -1, down = -1;
    ImGui::BeginGroup();
    for (std::size_t i = 0; i < items.size(); ++i) {
        ImGui::PushID(static_cast<int>(i));
        // Controls first, so the item's own messages can go under it.
        ImGui::BeginDisabled(i == 0);
        if (ImGui::ArrowButton("up", ImGuiDir_Up)) up = static_cast<long>(i);
        ImGui::EndDisabled();
        ImGui::SameLine();
        ImGui::BeginDisabled(i + 1 == items.size());
        if (ImGui::ArrowButton("down", ImGuiDir_Down)) down = static_cast<long>(i);
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (ImGui::Button("x")) remove = static_cast<long>(i);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Remove this item");
        ImGui::SameLine();
        std::string text = items[i].get<std::string>();
        if (value_widget(f, d, d.item_type, text, {f.plugin.id, d.key, static_cast<long>(i), ""}, item_path(d.key, i),
                         ImGui::GetContentRegionAvail().x, false))
            items[i] = text;
        ImGui::PopID();
    }
    if (ImGui::Button("+ add")) items.push_back("");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Add an item at the end");
    if (map::pick_kind(d.item_type) != map::PickKind::None) {
        ImGui::SameLine();
        pick_button(f, d.item_type, {f.plugin.id, d.key, -1, ""}, d.key);
    }
    ImGui::EndGroup();
    record(f, d.key, "list", header_label(d), f.problem(d.key));
    if (const std::string p = f.problem(d.key); !p.empty()) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(kBadText, "%s", p.c_str());
        ImGui::PopTextWrapPos();
    }
    if (remove >= 0) items.erase(static_cast<std::size_t>(remove));
    if (up > 0) std::swap(items[static_cast<std::size_t>(up)], items[static_cast<std::size_t>(up - 1)]);
    if (down >= 0 && static_cast<std::size_t>(down + 1) < items.size())
        std::swap(items[static_cast<std::size_t>(down)], items[static_cast<std::size_t>(down + 1)]);
    // A pick waiting on a moved or removed item would land elsewhere: drop it.
    if ((remove >= 0 || up >= 0 || down >= 0) && m_pick.plugin_id == f.plugin.id && m_pick.key == d.key &&
        m_pick.index >= 0)
        m_pick = {};
}

void ParamForms::draw_record_table(Frame& f, const ParamDef& d, nlohmann::json& rows) {
    const ImGuiStyle& st = ImGui::GetStyle();
    const float fh = ImGui::GetFrameHeight();
    const std::string window_key = f.plugin.id + "\n" + d.key;
    // Column widths from the field types: what their widgets need, at least the header.
    auto column_width = [&](const ParamDef& fd) {
        const float header = ImGui::CalcTextSize(header_label(fd).c_str()).x;
        const float pick = map::pick_kind(fd.type) == map::PickKind::None
                               ? 0.0f
                               : button_width(kPickIdle, kPickWaiting) + st.ItemSpacing.x;
        float w = 110;
        switch (fd.type) {
            case ParamType::Enum: {
                w = 0;
                for (const auto& c : fd.choices) w = std::max(w, ImGui::CalcTextSize(c.c_str()).x);
                if (fd.default_value)
                    w = std::max(w, ImGui::CalcTextSize((*fd.default_value + " (default)").c_str()).x);
                w += fh + 2 * st.FramePadding.x;
                break;
            }
            case ParamType::Layer: {
                w = 80;
                for (const auto& c : f.env.layers) w = std::max(w, ImGui::CalcTextSize(c.c_str()).x);
                w += fh + 2 * st.FramePadding.x;
                break;
            }
            case ParamType::Number:
            case ParamType::Integer: w = 64; break;
            case ParamType::Bool: w = fh; break;
            case ParamType::Site:
            case ParamType::Place:
            case ParamType::Coordinate: w = 150 + pick; break;
            case ParamType::File:
            case ParamType::Raster: w = 160 + button_width("...") + st.ItemSpacing.x; break;
            default: break;
        }
        return std::max(w, header);
    };
    if (!f.in_window) {
        // Beside the parameter's label.
        ImGui::SameLine();
        const bool open = m_table_windows.count(window_key) != 0;
        const bool clicked = ImGui::SmallButton(open ? "close window" : "edit in a window");
        record(f, d.key, "window-toggle", open ? "close window" : "edit in a window", "");
        if (clicked) {
            if (open) m_table_windows.erase(window_key);
            else m_table_windows.insert(window_key);
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("The same table in its own, larger window");
    }
    const int ncol = static_cast<int>(d.fields.size()) + 2;
    const float controls = 2 * fh + button_width("x") + 2 * st.ItemSpacing.x;
    const float row_h = fh + 2 * st.CellPadding.y;
    float total_w = ImGui::CalcTextSize("00").x + controls;
    for (const auto& fd : d.fields) total_w += column_width(fd);
    total_w += static_cast<float>(ncol) * (2 * st.CellPadding.x + 1);
    const bool scrolls = total_w > ImGui::GetContentRegionAvail().x;
    const float height = row_h * static_cast<float>(rows.size() + 1) + (scrolls ? st.ScrollbarSize : 0.0f) + 4;
    long remove = -1, up = -1, down = -1;
    const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit |
                                  ImGuiTableFlags_ScrollX | ImGuiTableFlags_NoSavedSettings;
    if (ImGui::BeginTable("records", ncol, flags, ImVec2(0, height))) {
        ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("00").x);
        for (const auto& fd : d.fields)
            ImGui::TableSetupColumn(header_label(fd).c_str(), ImGuiTableColumnFlags_WidthFixed, column_width(fd));
        ImGui::TableSetupColumn("##rows", ImGuiTableColumnFlags_WidthFixed, controls);
        ImGui::TableSetupScrollFreeze(1, 1);
        ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
        for (int c = 0; c < ncol; ++c) {
            ImGui::TableSetColumnIndex(c);
            ImGui::TableHeader(ImGui::TableGetColumnName(c));
            if (c >= 1 && c <= static_cast<int>(d.fields.size()) && ImGui::IsItemHovered()) {
                const std::string help = help_text(d.fields[static_cast<std::size_t>(c - 1)]);
                if (!help.empty()) ImGui::SetTooltip("%s", help.c_str());
            }
        }
        for (std::size_t r = 0; r < rows.size(); ++r) {
            ImGui::TableNextRow();
            ImGui::PushID(static_cast<int>(r));
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::Text("%zu", r + 1);
            for (const auto& fd : d.fields) {
                ImGui::TableNextColumn();
                std::string text = rows[r].value(fd.key, std::string());
                const std::string path = item_path(d.key, r) + "." + fd.key;
                if (value_widget(f, fd, fd.type, text, {f.plugin.id, d.key, static_cast<long>(r), fd.key}, path,
                                 ImGui::GetContentRegionAvail().x, true))
                    rows[r][fd.key] = text;
            }
            ImGui::TableNextColumn();
            ImGui::BeginDisabled(r == 0);
            if (ImGui::ArrowButton("up", ImGuiDir_Up)) up = static_cast<long>(r);
            ImGui::EndDisabled();
            ImGui::SameLine();
            ImGui::BeginDisabled(r + 1 == rows.size());
            if (ImGui::ArrowButton("down", ImGuiDir_Down)) down = static_cast<long>(r);
            ImGui::EndDisabled();
            ImGui::SameLine();
            if (ImGui::Button("x")) remove = static_cast<long>(r);
            record(f, item_path(d.key, r), "remove-row", "x", "");
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Remove row %zu", r + 1);
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    record(f, d.key, "record-table", header_label(d), f.problem(d.key));
    const bool add = ImGui::Button("+ add row");
    record(f, d.key, "add-row", "+ add row", "");
    if (add) {
        // Empty cells show their field's default greyed (the host fills it in).
        nlohmann::json row = nlohmann::json::object();
        for (const auto& fd : d.fields) row[fd.key] = "";
        rows.push_back(std::move(row));
    }
    // The table's problems by row, under it (cells are highlighted, with a tooltip).
    ImGui::PushTextWrapPos(0.0f);
    if (const std::string p = f.problem(d.key); !p.empty()) ImGui::TextColored(kBadText, "%s", p.c_str());
    int shown = 0, more = 0;
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (const auto& fd : d.fields) {
            const std::string p = f.problem(item_path(d.key, r) + "." + fd.key);
            if (p.empty()) continue;
            if (shown++ < 4)
                ImGui::TextColored(kBadText, "row %zu, %s: %s", r + 1, display_label(fd).c_str(), p.c_str());
            else ++more;
        }
    if (more > 0) ImGui::TextColored(kBadText, "and %d more", more);
    ImGui::PopTextWrapPos();
    if (remove >= 0) rows.erase(static_cast<std::size_t>(remove));
    if (up > 0) std::swap(rows[static_cast<std::size_t>(up)], rows[static_cast<std::size_t>(up - 1)]);
    if (down >= 0 && static_cast<std::size_t>(down + 1) < rows.size())
        std::swap(rows[static_cast<std::size_t>(down)], rows[static_cast<std::size_t>(down + 1)]);
    if ((remove >= 0 || up >= 0 || down >= 0) && m_pick.plugin_id == f.plugin.id && m_pick.key == d.key) m_pick = {};
}

void ParamForms::draw_windows(const plugin::Registry& registry, nlohmann::json& values, const Env& env) {
    for (auto it = m_table_windows.begin(); it != m_table_windows.end();) {
        const auto nl = it->find('\n');
        const std::string plugin_id = it->substr(0, nl), key = it->substr(nl + 1);
        const plugin::PluginInfo* p = registry.find(plugin_id);
        const ParamDef* d = nullptr;
        if (p)
            for (const auto& x : p->params)
                if (x.key == key && is_record_list(x)) d = &x;
        if (!d) {
            it = m_table_windows.erase(it);
            continue;
        }
        nlohmann::json& plugin_values = values[plugin_id];
        if (!plugin_values.is_object()) plugin_values = nlohmann::json::object();
        plugin_values[key] = map::form_value(*d, plugin_values.contains(key) ? plugin_values[key] : nlohmann::json());
        const ImGuiViewport* vp = ImGui::GetMainViewport();
        ImGui::SetNextWindowSize(ImVec2(std::min(900.0f, vp->WorkSize.x * 0.8f), 320), ImGuiCond_FirstUseEver);
        ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                                ImGuiCond_FirstUseEver, ImVec2(0.5f, 0.5f));
        bool open = true;
        const std::string title = header_label(*d) + " - " + p->name + "###records\n" + *it;
        if (ImGui::Begin(title.c_str(), &open, ImGuiWindowFlags_NoSavedSettings)) {
            const map::FormContext ctx{env.catalogue, &env.layers};
            Frame f{*p, plugin_values, env, {}, true};
            const ImVec2 wp = ImGui::GetWindowPos(), ws = ImGui::GetWindowSize();
            m_widgets.push_back(
                {p->id, key, "window", ImGui::GetCurrentWindow()->Name, "", {wp.x, wp.y, ws.x, ws.y}, true});
            for (auto& pr : map::form_problems(p->params, plugin_values, ctx)) f.problems.emplace(pr.path, pr.message);
            ImGui::PushID(it->c_str());
            draw_record_table(f, *d, plugin_values[key]);
            ImGui::PopID();
        }
        ImGui::End();
        it = open ? std::next(it) : m_table_windows.erase(it);
    }
}

}  // namespace mp::gui
