// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "mp/plugin/schema.hpp"
#include "mp/sites/catalogue.hpp"

namespace mp::gui::map {

/// What a click on the map puts into a parameter, a list item or a record field. It
/// follows the value's type alone (pick_kind); descriptions are never read.
enum class PickKind {
    None,
    Site,            ///< MP_PARAM_SITE: the id of the site under the click
    Location,        ///< MP_PARAM_COORDINATE: lon,lat of the click
    SiteOrLocation,  ///< MP_PARAM_PLACE: the id of a site under the click, else lon,lat
};

/// The pick a value of this type offers (Site, Coordinate and Place; None for others).
PickKind pick_kind(plugin::ParamType type);

/// The type of the single values a form edits for d: a list's item type, else d.type.
plugin::ParamType value_type(const plugin::ParamDef& d);

/// The text a pick puts: the site id when the kind takes sites and site_id is not empty,
/// else "lon,lat" in degrees (6 decimals, about 0.1 m); "" for PickKind::Site without a
/// site (nothing to put).
std::string pick_text(PickKind kind, const std::string& site_id, double lon, double lat);

/// Whether text is "lon,lat" (two decimal numbers separated by one comma).
bool is_lonlat_text(const std::string& text);

/// Items of a list given as one text (a --param value or a version-1 scenario): split
/// on ';'; when items are neither coordinates nor places, a piece that is not itself
/// "lon,lat" is split on ',' as well ("a, b" gives two items, "port-antwerp; 4.35,50.85"
/// a site and a coordinate). Blank items are dropped. Returns a JSON array of strings.
nlohmann::json list_items_from_text(const std::string& text, plugin::ParamType item_type);

/// The form state of one parameter in the shape the widgets edit, from whatever the
/// form holds (a saved scenario, a --param text, a CLI-style --params value):
///  - a scalar: its text (numbers, bools, [lon, lat] and place objects as text);
///  - a list of scalars: an array of item texts (a text is split by list_items_from_text);
///  - a record: an object of field texts (absent fields: empty);
///  - a list of records: an array of such objects (a text is parsed as JSON; a text that
///    is not a JSON array or object of records gives an empty array).
nlohmann::json form_value(const plugin::ParamDef& d, const nlohmann::json& stored);

/// The JSON the plugin host gets for a form value, as the CLI would send it from a
/// --params file (see plugin::validate_params): numbers and integers as JSON numbers
/// when their text parses (else the text, so that the host names the problem), bools as
/// booleans, other scalars as text, lists as arrays, records as objects without their
/// empty fields. nullopt when the value is unset (empty text, empty list): the host then
/// applies the default.
std::optional<nlohmann::json> host_value(const plugin::ParamDef& d, const nlohmann::json& form);

/// Puts text into a form value (normalised first, see form_value): the value itself
/// (index -1 and no field), a list's item (index >= 0), the end of a list (index -1:
/// appends), a record's field (no index), or a field of a row of a list of records
/// (index and field). Returns false, changing nothing, when the index or field does not
/// exist or does not apply to d's type.
bool put_form_text(const plugin::ParamDef& d, nlohmann::json& stored, long index, const std::string& field,
                   const std::string& text);

/// The parameters for the plugin host from a plugin's form values (key -> form state):
/// host_value of every parameter that is set; keys the schema does not know are passed
/// as they are, so that the host names them.
nlohmann::json host_params(const std::vector<plugin::ParamDef>& schema, const nlohmann::json& values);

/// What a form check may look up: the site catalogue and the names of loaded layers.
/// Either may be null (not checked).
struct FormContext {
    const sites::Catalogue* catalogue = nullptr;
    const std::vector<std::string>* layers = nullptr;
};

/// The problem with one value of type `type` as defined by d (a parameter, a record
/// field, or a list whose items are checked one by one): a short message for the form
/// ("required", "not a number", "below the minimum 0.1 km", "no such site"), or "" when
/// it is fine or empty and optional. Ranges of a list apply to its length, not its items
/// (pass is_item). Follows plugin::validate_params; files and sites are checked here
/// only as far as a glance can (a missing input file, a site not in the catalogue).
std::string value_problem(const plugin::ParamDef& d, plugin::ParamType type, const std::string& text,
                          const FormContext& ctx, bool is_item = false);

/// One problem found in a form: the value's path ("at", "others[1]", "systems[0].type")
/// and a short message.
struct FormProblem {
    std::string path;
    std::string message;
};

/// Every problem of a plugin's form values (a JSON object key -> form state; missing
/// keys are empty): required values missing, values that do not parse or are out of
/// range, list lengths out of range, required record fields missing. Run is offered
/// only when this is empty.
std::vector<FormProblem> form_problems(const std::vector<plugin::ParamDef>& schema, const nlohmann::json& values,
                                       const FormContext& ctx);

/// Sites whose id or NL/FR/EN name matches query (accent-, case- and
/// punctuation-insensitive, see sites::normalise_name), best first: an exact id or
/// name, then prefixes of an id or a name, then names containing the query; at most max.
std::vector<const sites::Site*> site_matches(const sites::Catalogue& catalogue, std::string_view query,
                                             std::size_t max);

/// "English / Dutch / French [kind]" with repeated names left out.
std::string site_label(const sites::Site& s);

/// File name patterns of a file_types string ("*.tif;*.vrt", also ',' or blank separated).
std::vector<std::string> file_patterns(const std::string& file_types);

/// Whether a file name matches any pattern (shell globs, case-insensitive); true when
/// there are no patterns.
bool matches_patterns(const std::string& name, const std::vector<std::string>& patterns);

/// A folder's entries for the file browser: sub-folders first, then the files that
/// match the patterns (all files when show_all), each group sorted by name
/// case-insensitively; hidden entries (".x") are left out. error says why the folder
/// could not be read (the entries are then empty).
struct FolderListing {
    struct Entry {
        std::string name;
        bool folder = false;
    };
    std::vector<Entry> entries;
    std::string error;
};
FolderListing list_folder(const std::string& folder, const std::vector<std::string>& patterns, bool show_all);

/// Relative colour distance in [0, 1] (Euclidean RGB / sqrt 3).
float colour_distance(const std::array<float, 4>& a, const std::array<float, 4>& b);

/// A perceptually distinct categorical palette (Kelly / Tableau 20 based) for charts.
std::array<float, 4> series_colour(std::size_t index);

/// Ground metres per display unit at latitude lat_deg for a display CRS: Web Mercator
/// stretches by 1/cos(lat) (Snyder 1987, "Map Projections: A Working Manual", eq. 7-4),
/// Lambert 2008 is conformal with scale ~1 over Belgium.
double ground_m_per_unit(const std::string& display_crs, double lat_deg);

}  // namespace mp::gui::map

namespace mp::gui::map {

/// The colour of normalised raster value t in [0, 1]; the same stops as
/// shaders/map_raster.frag (for the legend).
std::array<float, 4> raster_ramp(double t);

}  // namespace mp::gui::map
