// SPDX-License-Identifier: MIT
// Scenario files (docs/scenario.md): reading (any version up to ours, with the migration
// of version 1), writing (atomic, mode 0600, no secrets) and the results file beside.
// Every file we read is untrusted: each field is type- and range-checked and an error
// names the file and the JSON path at fault; nothing here may crash on a bad file.
#include "mp/session/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "mp/core/error.hpp"
#include "mp/io/ogr_io.hpp"

namespace fs = std::filesystem;

namespace mp::session {

namespace {

// A scenario is a few kilobytes; the cap only keeps a wrong file (a raster, a log) from
// being read into memory whole. Results carry geometries and rasters: larger.
constexpr std::uintmax_t kMaxScenarioBytes = 64ull << 20;
constexpr std::uintmax_t kMaxResultsBytes = 2048ull << 20;
// Deeper nesting than any scenario has; nlohmann::json copies and compares recursively,
// so a hostile "[[[[..." must stop at the parser.
constexpr int kMaxDepth = 64;
// Raster cells a restored result may hold (16 bytes a cell in memory on the way).
constexpr std::size_t kMaxRasterCells = std::size_t{1} << 28;

// Typed access to untrusted JSON: every failure names the file and the JSON path.
class Reader {
public:
    explicit Reader(std::string where) : m_where(std::move(where)) {}

    [[noreturn]] void fail(const std::string& path, const std::string& what) const {
        throw InputError((path.empty() ? "" : path + ": ") + what, m_where);
    }
    const nlohmann::json* member(const nlohmann::json& obj, const char* key) const {
        auto it = obj.find(key);
        return it == obj.end() || it->is_null() ? nullptr : &*it;
    }
    std::string text(const nlohmann::json& v, const std::string& path) const {
        if (!v.is_string()) fail(path, "expected text, got " + describe(v));
        return v.get<std::string>();
    }
    bool boolean(const nlohmann::json& v, const std::string& path) const {
        if (!v.is_boolean()) fail(path, "expected true or false, got " + describe(v));
        return v.get<bool>();
    }
    double number(const nlohmann::json& v, const std::string& path, double lo, double hi) const {
        if (!v.is_number()) fail(path, "expected a number, got " + describe(v));
        const double d = v.get<double>();
        if (!std::isfinite(d) || d < lo || d > hi) {
            std::ostringstream os;
            os << "expected a number in [" << lo << ", " << hi << "], got " << v.dump();
            fail(path, os.str());
        }
        return d;
    }
    const nlohmann::json& object(const nlohmann::json& v, const std::string& path) const {
        if (!v.is_object()) fail(path, "expected an object {...}, got " + describe(v));
        return v;
    }
    const nlohmann::json& array(const nlohmann::json& v, const std::string& path) const {
        if (!v.is_array()) fail(path, "expected an array [...], got " + describe(v));
        return v;
    }
    std::vector<std::string> texts(const nlohmann::json& v, const std::string& path) const {
        std::vector<std::string> out;
        std::size_t i = 0;
        for (const auto& e : array(v, path)) out.push_back(text(e, path + "[" + std::to_string(i++) + "]"));
        return out;
    }
    Rgba colour(const nlohmann::json& v, const std::string& path) const {
        if (!v.is_array() || (v.size() != 3 && v.size() != 4))
            fail(path, "expected a colour [r, g, b] or [r, g, b, a] with components in [0, 1], got " + describe(v));
        Rgba c{0, 0, 0, 1};
        for (std::size_t i = 0; i < v.size(); ++i)
            c[i] = static_cast<float>(number(v[i], path + "[" + std::to_string(i) + "]", 0, 1));
        return c;
    }
    const std::string& where() const noexcept { return m_where; }

    static std::string describe(const nlohmann::json& v) {
        switch (v.type()) {
            case nlohmann::json::value_t::null: return "null";
            case nlohmann::json::value_t::object: return "an object";
            case nlohmann::json::value_t::array: return "an array";
            case nlohmann::json::value_t::string: {
                const std::string s = v.get<std::string>();
                return "text \"" + (s.size() > 40 ? s.substr(0, 40) + "..." : s) + "\"";
            }
            case nlohmann::json::value_t::boolean: return v.get<bool>() ? "true" : "false";
            default: return v.dump();
        }
    }

private:
    std::string m_where;
};

// Nesting depth of JSON text (brackets outside strings), checked before parsing.
void check_depth(std::string_view text, const std::string& where) {
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxDepth)
                throw InputError("JSON nested deeper than " + std::to_string(kMaxDepth) + " levels", where);
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
}

nlohmann::json parse_json(std::string_view text, const std::string& where, const char* what) {
    check_depth(text, where);
    try {
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::exception& e) {
        // nlohmann's message: "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
        std::string m = e.what();
        if (const auto p = m.find("] "); p != std::string::npos) m = m.substr(p + 2);
        throw InputError(std::string("not ") + what + " (malformed JSON: " + m + ")", where);
    }
}

std::string read_file(const std::string& path, std::uintmax_t max_bytes) {
    std::error_code ec;
    const auto st = fs::status(path, ec);
    if (ec || !fs::exists(st)) throw InputError("file does not exist", path);
    if (!fs::is_regular_file(st)) throw InputError("not a regular file", path);
    const auto size = fs::file_size(path, ec);
    if (!ec && size > max_bytes)
        throw InputError("file is too large (" + std::to_string(size >> 20) + " MiB; at most " +
                             std::to_string(max_bytes >> 20) + " MiB)",
                         path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError("cannot open", path);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw InputError("cannot read", path);
    return ss.str();
}

// Checks a restored result the way the host checks a plugin's (host_api.cpp): the GUI
// draws it and the CLI writes it, so a hostile results file must not reach them with
// rasters whose cells do not match their size or geometries outside WGS84.
std::string result_problem(const plugin::RunResult& r) {
    if (r.status != plugin::RunStatus::Ok)
        return "the run did not finish (" + std::string(run_status_name(r.status)) + ")";
    for (const auto& rl : r.layers) {
        if (rl.feature_styles.size() > rl.layer.features.size()) return "layer '" + rl.layer.name + "': extra styles";
        for (const auto& f : rl.layer.features) {
            if (!geo::coordinates_valid(f.geometry))
                return "layer '" + rl.layer.name + "', feature '" + f.id + "': coordinates outside WGS84 lon/lat";
            auto ring_ok = [](const geo::Ring& ring) {
                return ring.size() >= 4 && geo::bg::equals(ring.front(), ring.back());
            };
            auto poly_ok = [&](const geo::Polygon& p) {
                return ring_ok(p.outer()) && std::all_of(p.inners().begin(), p.inners().end(), ring_ok);
            };
            bool ok = true;
            if (const auto* p = std::get_if<geo::Polygon>(&f.geometry)) ok = poly_ok(*p);
            if (const auto* mp = std::get_if<geo::MultiPolygon>(&f.geometry))
                ok = std::all_of(mp->begin(), mp->end(), poly_ok);
            if (!ok) return "layer '" + rl.layer.name + "', feature '" + f.id + "': unclosed polygon ring";
        }
    }
    for (const auto& ra : r.rasters) {
        if (ra.width == 0 || ra.height == 0 || ra.width > kMaxRasterCells / ra.height ||
            ra.values.size() != ra.width * ra.height)
            return "raster '" + ra.name + "': " + std::to_string(ra.values.size()) + " values for " +
                   std::to_string(ra.width) + " x " + std::to_string(ra.height) + " cells";
        if (!std::all_of(ra.geotransform.begin(), ra.geotransform.end(), [](double v) { return std::isfinite(v); }) ||
            ra.geotransform[1] == 0 || ra.geotransform[5] == 0)
            return "raster '" + ra.name + "': bad geotransform";
    }
    for (const auto& t : r.tables)
        for (const auto& c : t.columns)
            if (c.size() != t.rows()) return "table '" + t.name + "': columns of different lengths";
    return {};
}

// Connection-string passwords out of every string of a JSON value (parameters may name
// a PG: source too).
nlohmann::json without_secrets(const nlohmann::json& v) {
    if (v.is_string()) return io::strip_secrets(v.get<std::string>());
    if (v.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& e : v) out.push_back(without_secrets(e));
        return out;
    }
    if (v.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& [k, e] : v.items()) out[k] = without_secrets(e);
        return out;
    }
    return v;
}

SavedLayer read_layer(const Reader& rd, const nlohmann::json& jl, const std::string& path) {
    rd.object(jl, path);
    SavedLayer l;
    const auto* name = rd.member(jl, "name");
    if (!name) rd.fail(path, "a layer needs a \"name\"");
    l.name = rd.text(*name, path + ".name");
    if (l.name.empty()) rd.fail(path + ".name", "empty layer name");
    if (const auto* v = rd.member(jl, "source")) l.source = rd.text(*v, path + ".source");
    if (const auto* v = rd.member(jl, "stroke")) l.stroke = rd.colour(*v, path + ".stroke");
    if (const auto* v = rd.member(jl, "fill")) l.fill = rd.colour(*v, path + ".fill");
    if (const auto* v = rd.member(jl, "width_px"))
        l.width_px = static_cast<float>(rd.number(*v, path + ".width_px", 0, 100));
    if (const auto* v = rd.member(jl, "opacity"))
        l.opacity = static_cast<float>(rd.number(*v, path + ".opacity", 0, 1));
    if (const auto* v = rd.member(jl, "fill_opacity"))
        l.fill_opacity = static_cast<float>(rd.number(*v, path + ".fill_opacity", 0, 1));
    if (const auto* v = rd.member(jl, "symbol_size_px"))
        l.symbol_size_px = static_cast<float>(rd.number(*v, path + ".symbol_size_px", 0, 256));
    if (const auto* v = rd.member(jl, "visible")) l.visible = rd.boolean(*v, path + ".visible");
    if (const auto* v = rd.member(jl, "labels")) l.labels = rd.boolean(*v, path + ".labels");
    if (const auto* v = rd.member(jl, "label_field")) l.label_field = rd.text(*v, path + ".label_field");
    return l;
}

View read_view(const Reader& rd, const nlohmann::json& v, const std::string& path, View view) {
    rd.object(v, path);
    view.placed = true;
    if (const auto* x = rd.member(v, "center_lon")) view.center_lon = rd.number(*x, path + ".center_lon", -180, 180);
    if (const auto* x = rd.member(v, "center_lat")) view.center_lat = rd.number(*x, path + ".center_lat", -90, 90);
    if (const auto* x = rd.member(v, "units_per_pixel"))
        view.units_per_pixel = rd.number(*x, path + ".units_per_pixel", 1e-6, 1e9);
    if (const auto* x = rd.member(v, "display_crs")) view.display_crs = rd.text(*x, path + ".display_crs");
    return view;
}

nlohmann::json read_forms(const Reader& rd, const nlohmann::json& v, const std::string& path) {
    rd.object(v, path);
    for (const auto& [id, values] : v.items()) rd.object(values, path + "." + id);
    return v;
}

// The results file of a scenario: fills each run's result (by id in version 2, by order
// in version 1, where the file also holds the runs themselves). Problems become notes.
void attach_results(Scenario& sc, const std::string& file) {
    try {
        const std::string text = read_file(file, kMaxResultsBytes);
        const nlohmann::json j = parse_json(text, file, "a results file");
        const Reader rd(file);
        rd.object(j, "");
        if (!j.contains("format") || !j["format"].is_string() || j["format"].get<std::string>() != kResultsFormat)
            rd.fail("", "not an enablement results file (\"format\" is not \"" + std::string(kResultsFormat) + "\")");
        const int version = j.contains("version") && j["version"].is_number_integer() ? j["version"].get<int>() : 0;
        const int wanted = sc.version_read == 1 ? 1 : kScenarioVersion;
        if (version != wanted)
            rd.fail("version", "results file is version " + std::to_string(version) + "; its scenario (version " +
                                   std::to_string(sc.version_read) + ") needs version " + std::to_string(wanted));
        const auto* runs = rd.member(j, "runs");
        if (!runs) rd.fail("", "no \"runs\"");
        rd.array(*runs, "runs");
        std::size_t restored = 0;
        for (std::size_t i = 0; i < runs->size(); ++i) {
            const std::string path = "runs[" + std::to_string(i) + "]";
            const auto& jr = rd.object((*runs)[i], path);
            const auto* jres = rd.member(jr, "result");
            if (!jres) rd.fail(path, "no \"result\"");
            plugin::RunResult result;
            try {
                result = plugin::run_result_from_json(*jres);
            } catch (const std::exception& e) {
                rd.fail(path + ".result", std::string("malformed run result (") + e.what() + ")");
            }
            if (const std::string why = result_problem(result); !why.empty()) rd.fail(path + ".result", why);
            auto shared = std::make_shared<const plugin::RunResult>(std::move(result));
            if (version == 1) {
                // Version 1 kept the runs here only: plugin, result, and which of its map
                // layers were still on the map, in the order they were made.
                SavedRun run;
                run.id = sc.runs.size() + 1;
                const auto* plugin = rd.member(jr, "plugin");
                if (!plugin) rd.fail(path, "no \"plugin\"");
                run.plugin_id = rd.text(*plugin, path + ".plugin");
                if (const auto* present = rd.member(jr, "present")) {
                    std::size_t k = 0;
                    for (const auto& p : rd.array(*present, path + ".present"))
                        run.layers.push_back({"", rd.boolean(p, path + ".present[" + std::to_string(k++) + "]")});
                }
                run.result = std::move(shared);
                sc.runs.push_back(std::move(run));
                ++restored;
                continue;
            }
            const auto* id = rd.member(jr, "id");
            if (!id || !id->is_number_unsigned()) rd.fail(path + ".id", "expected the run's id (a positive integer)");
            auto it = std::find_if(sc.runs.begin(), sc.runs.end(),
                                   [&](const SavedRun& r) { return r.id == id->get<std::uint64_t>(); });
            if (it == sc.runs.end()) continue;  // a run removed since: its result is stale
            it->result = std::move(shared);
            ++restored;
        }
        if (version == 1) {
            // What version 1 did not record: the parameters each run was given. The form
            // values saved with the scenario are the best record there is.
            for (auto& run : sc.runs) {
                if (sc.plugin_params.contains(run.plugin_id)) run.params = sc.plugin_params[run.plugin_id];
                run.params_from_form = true;
            }
        }
        for (const auto& run : sc.runs)
            if (!run.result)
                sc.notes.push_back({Notice::Level::Warning, "run " + std::to_string(run.id) + " (" + run.plugin_id +
                                                                "): no result in " + file +
                                                                "; run it again (enablement scenario run)"});
        if (restored)
            sc.notes.push_back(
                {Notice::Level::Info, "restored " + std::to_string(restored) + " plugin run(s) from " + file});
    } catch (const std::exception& e) {
        sc.notes.push_back({Notice::Level::Warning, std::string("plugin results not restored: ") + e.what()});
    }
}

}  // namespace

std::string results_path_for(const std::string& scenario_path) {
    const std::string ext = ".json";
    if (scenario_path.size() > ext.size() &&
        scenario_path.compare(scenario_path.size() - ext.size(), ext.size(), ext) == 0)
        return scenario_path.substr(0, scenario_path.size() - ext.size()) + ".results.json";
    return scenario_path + ".results.json";
}

namespace {

// parse_scenario, also handing back the results file the scenario names (when it does).
Scenario parse_impl(std::string_view text, const std::string& where, std::optional<nlohmann::json>* results_file) {
    const nlohmann::json j = parse_json(text, where, "a scenario file");
    const Reader rd(where);
    if (!j.is_object()) rd.fail("", "not a scenario file (expected a JSON object, got " + Reader::describe(j) + ")");
    const auto* format = rd.member(j, "format");
    if (!format || !format->is_string() || format->get<std::string>() != kScenarioFormat)
        rd.fail("", "not an enablement scenario file (\"format\" is " +
                        (format ? Reader::describe(*format) : std::string("missing")) + ", expected \"" +
                        std::string(kScenarioFormat) + "\")");
    const auto* jversion = rd.member(j, "version");
    if (!jversion || !jversion->is_number_integer() || jversion->get<std::int64_t>() < 1)
        rd.fail("version", "expected the format version (a positive integer), got " +
                               (jversion ? Reader::describe(*jversion) : std::string("none")));
    if (jversion->get<std::int64_t>() > kScenarioVersion)
        rd.fail("", "scenario file is version " + std::to_string(jversion->get<std::int64_t>()) +
                        "; this program reads versions 1 to " + std::to_string(kScenarioVersion) +
                        " (a newer enablement wrote it: open it with that one or update)");
    Scenario sc;
    sc.version_read = static_cast<int>(jversion->get<std::int64_t>());
    if (const auto* v = rd.member(j, "default_data")) sc.default_data = rd.boolean(*v, "default_data");
    if (const auto* v = rd.member(j, "sources")) sc.sources = rd.texts(*v, "sources");
    if (const auto* v = rd.member(j, "removed_layers")) sc.removed_layers = rd.texts(*v, "removed_layers");
    if (const auto* v = rd.member(j, "layers")) {
        rd.array(*v, "layers");
        for (std::size_t i = 0; i < v->size(); ++i)
            sc.layers.push_back(read_layer(rd, (*v)[i], "layers[" + std::to_string(i) + "]"));
    }
    if (sc.version_read == 1) {
        // Version 1: the display CRS beside the view, the form values under "plugins",
        // and the runs in the results file only (attach_results).
        if (const auto* v = rd.member(j, "display_crs")) sc.view.display_crs = rd.text(*v, "display_crs");
        if (const auto* v = rd.member(j, "view")) sc.view = read_view(rd, *v, "view", sc.view);
        if (const auto* v = rd.member(j, "plugins")) sc.plugin_params = read_forms(rd, *v, "plugins");
        sc.notes.push_back({Notice::Level::Info, "migrated from scenario version 1 (" + where +
                                                     "); it is saved as version " + std::to_string(kScenarioVersion)});
        if (results_file && j.contains("results_file")) *results_file = j["results_file"];
        return sc;
    }
    if (const auto* v = rd.member(j, "view")) sc.view = read_view(rd, *v, "view", sc.view);
    if (const auto* v = rd.member(j, "forms")) sc.plugin_params = read_forms(rd, *v, "forms");
    if (const auto* v = rd.member(j, "runs")) {
        rd.array(*v, "runs");
        std::set<std::uint64_t> ids;
        for (std::size_t i = 0; i < v->size(); ++i) {
            const std::string path = "runs[" + std::to_string(i) + "]";
            const auto& jr = rd.object((*v)[i], path);
            SavedRun run;
            const auto* id = rd.member(jr, "id");
            if (!id || !id->is_number_unsigned() || id->get<std::uint64_t>() == 0)
                rd.fail(path + ".id", "expected the run's id (a positive integer)");
            run.id = id->get<std::uint64_t>();
            if (!ids.insert(run.id).second)
                rd.fail(path + ".id", "run id " + std::to_string(run.id) + " is used twice");
            const auto* plugin = rd.member(jr, "plugin");
            if (!plugin) rd.fail(path, "a run needs a \"plugin\"");
            run.plugin_id = rd.text(*plugin, path + ".plugin");
            if (run.plugin_id.empty()) rd.fail(path + ".plugin", "empty plugin id");
            if (const auto* p = rd.member(jr, "params")) run.params = rd.object(*p, path + ".params");
            if (const auto* p = rd.member(jr, "params_from_form"))
                run.params_from_form = rd.boolean(*p, path + ".params_from_form");
            if (const auto* ls = rd.member(jr, "layers")) {
                rd.array(*ls, path + ".layers");
                for (std::size_t k = 0; k < ls->size(); ++k) {
                    const std::string lp = path + ".layers[" + std::to_string(k) + "]";
                    const auto& jl = rd.object((*ls)[k], lp);
                    SavedRun::Output out;
                    const auto* name = rd.member(jl, "name");
                    if (!name) rd.fail(lp, "a run's layer needs a \"name\"");
                    out.name = rd.text(*name, lp + ".name");
                    if (const auto* pr = rd.member(jl, "present")) out.present = rd.boolean(*pr, lp + ".present");
                    run.layers.push_back(std::move(out));
                }
            }
            sc.runs.push_back(std::move(run));
        }
    }
    if (results_file && j.contains("results_file")) *results_file = j["results_file"];
    return sc;
}

}  // namespace

Scenario parse_scenario(std::string_view text, const std::string& where) { return parse_impl(text, where, nullptr); }

Scenario read_scenario(const std::string& path, bool with_results) {
    std::optional<nlohmann::json> results_file;
    Scenario sc = parse_impl(read_file(path, kMaxScenarioBytes), path, &results_file);
    if (!with_results && sc.version_read > 1) return sc;
    if (results_file && !results_file->is_null()) {
        const auto& rf = *results_file;
        const std::string name = rf.is_string() ? rf.get<std::string>() : std::string();
        // A file name beside the scenario only: a scenario must not make us read files
        // elsewhere, and it moves together with its results.
        if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
            sc.notes.push_back({Notice::Level::Warning,
                                "plugin results not restored: \"results_file\" must be a file name beside the "
                                "scenario, got " +
                                    Reader::describe(rf) + " (" + path + ")"});
        else attach_results(sc, (fs::path(path).parent_path() / name).string());
    } else if (sc.version_read > 1 && !sc.runs.empty()) {
        sc.notes.push_back({Notice::Level::Warning, "the scenario names no results file: its " +
                                                        std::to_string(sc.runs.size()) + " run(s) have no results (" +
                                                        path + ")"});
    }
    return sc;
}

Scenario to_scenario(const State& s) {
    Scenario sc;
    sc.default_data = s.default_data;
    sc.sources = s.sources;
    sc.removed_layers = s.removed_layers;
    sc.plugin_params = s.plugin_params;
    sc.view = s.view;
    for (const auto& l : s.layers) {
        SavedLayer o;
        o.name = l.name;
        o.source = l.source;
        o.stroke = l.style.stroke;
        o.fill = l.style.fill;
        o.width_px = l.style.width_px;
        o.opacity = l.style.opacity;
        o.fill_opacity = l.style.fill_opacity;
        o.symbol_size_px = l.style.symbol_size_px;
        o.visible = l.visible;
        o.labels = l.labels;
        o.label_field = l.label_field;
        sc.layers.push_back(std::move(o));
    }
    for (const auto& r : s.runs) {
        SavedRun o;
        o.id = r.id;
        o.plugin_id = r.plugin_id;
        o.params = r.params;
        o.params_from_form = r.params_from_form;
        o.result = r.result;
        for (const auto& name : r.layers) o.layers.push_back({name, s.find_layer(name) != nullptr});
        sc.runs.push_back(std::move(o));
    }
    return sc;
}

std::string scenario_json(const Scenario& sc, const std::string& results_file) {
    nlohmann::ordered_json j;
    j["format"] = kScenarioFormat;
    j["version"] = kScenarioVersion;
    j["default_data"] = sc.default_data;
    auto sources = nlohmann::ordered_json::array();
    for (const auto& s : sc.sources) sources.push_back(io::strip_secrets(s));
    j["sources"] = std::move(sources);
    j["view"] = {{"display_crs", sc.view.display_crs}};
    if (sc.view.placed) {
        j["view"]["center_lon"] = sc.view.center_lon;
        j["view"]["center_lat"] = sc.view.center_lat;
        j["view"]["units_per_pixel"] = sc.view.units_per_pixel;
    }
    // Colours and sizes as the planner set them (floats), not their double expansions.
    auto num = [](float v) { return std::round(static_cast<double>(v) * 1e6) / 1e6; };
    auto colour = [&](const Rgba& c) {
        return nlohmann::ordered_json::array({num(c[0]), num(c[1]), num(c[2]), num(c[3])});
    };
    auto layers = nlohmann::ordered_json::array();
    for (const auto& l : sc.layers) {
        nlohmann::ordered_json o;
        o["name"] = l.name;
        o["source"] = io::strip_secrets(l.source);
        if (l.visible) o["visible"] = *l.visible;
        if (l.stroke) o["stroke"] = colour(*l.stroke);
        if (l.fill) o["fill"] = colour(*l.fill);
        if (l.width_px) o["width_px"] = num(*l.width_px);
        if (l.opacity) o["opacity"] = num(*l.opacity);
        if (l.fill_opacity) o["fill_opacity"] = num(*l.fill_opacity);
        if (l.symbol_size_px) o["symbol_size_px"] = num(*l.symbol_size_px);
        if (l.labels) o["labels"] = *l.labels;
        if (l.label_field) o["label_field"] = *l.label_field;
        layers.push_back(std::move(o));
    }
    j["layers"] = std::move(layers);
    j["removed_layers"] = sc.removed_layers;
    auto runs = nlohmann::ordered_json::array();
    bool any_result = false;
    for (const auto& r : sc.runs) {
        nlohmann::ordered_json o;
        o["id"] = r.id;
        o["plugin"] = r.plugin_id;
        o["params"] = without_secrets(r.params);
        if (r.params_from_form) o["params_from_form"] = true;
        auto outs = nlohmann::ordered_json::array();
        for (const auto& out : r.layers) outs.push_back({{"name", out.name}, {"present", out.present}});
        o["layers"] = std::move(outs);
        runs.push_back(std::move(o));
        any_result = any_result || r.result;
    }
    j["runs"] = std::move(runs);
    j["forms"] = without_secrets(sc.plugin_params);
    if (any_result) j["results_file"] = results_file;
    return j.dump(2) + "\n";
}

std::string results_json(const Scenario& sc) {
    nlohmann::json j{{"format", kResultsFormat}, {"version", kScenarioVersion}};
    auto runs = nlohmann::json::array();
    for (const auto& r : sc.runs) {
        if (!r.result) continue;
        nlohmann::json result = plugin::to_json(*r.result);
        // Messages may quote a source; a results file stores no password either.
        if (result.contains("messages") && result["messages"].is_array())
            for (auto& m : result["messages"])
                if (m.contains("text") && m["text"].is_string())
                    m["text"] = io::strip_secrets(m["text"].get<std::string>());
        runs.push_back({{"id", r.id}, {"plugin", r.plugin_id}, {"result", std::move(result)}});
    }
    j["runs"] = std::move(runs);
    return j.dump();
}

void write_scenario(const std::string& path, const Scenario& sc) {
    const std::string results = results_path_for(path);
    const bool any_result = std::any_of(sc.runs.begin(), sc.runs.end(), [](const SavedRun& r) { return !!r.result; });
    // Results first: a scenario never names a results file that is not there yet.
    if (any_result) {
        io::write_file_atomic(results, results_json(sc), 0600);
    } else {
        std::error_code ec;
        if (fs::is_regular_file(results, ec)) fs::remove(results, ec);
    }
    io::write_file_atomic(path, scenario_json(sc, fs::path(results).filename().string()), 0600);
}

bool ScenarioWriter::write(const std::string& path, const State& s, bool force) {
    const Scenario sc = to_scenario(s);
    const std::string results = results_path_for(path);
    const std::string text = scenario_json(sc, fs::path(results).filename().string());
    Written now;
    now.scenario_text = text;
    for (const auto& r : s.runs)
        if (r.result) now.results.push_back(r.result), now.run_ids.push_back(r.id);
    auto it = m_written.find(path);
    const bool runs_same =
        it != m_written.end() && it->second.results == now.results && it->second.run_ids == now.run_ids;
    if (!force && runs_same && it->second.scenario_text == text) return false;
    // Forget what was written until it is written again: a failure repeats the write.
    m_written.erase(path);
    if (!runs_same || force) {
        if (!now.results.empty()) {
            io::write_file_atomic(results, results_json(sc), 0600);
        } else {
            std::error_code ec;
            if (fs::is_regular_file(results, ec)) fs::remove(results, ec);
        }
    }
    io::write_file_atomic(path, text, 0600);
    m_written[path] = std::move(now);
    return true;
}

}  // namespace mp::session
