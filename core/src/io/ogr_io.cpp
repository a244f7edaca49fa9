// SPDX-License-Identifier: MIT
#include "mp/io/ogr_io.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <fcntl.h>
#include <signal.h>
#include <ogrsf_frmts.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>

#include "mp/core/error.hpp"
#include "mp/core/utf8.hpp"

namespace fs = std::filesystem;

namespace mp::io {

namespace {

// GDAL reports problems through CPLError; we keep the last message per thread so that
// a failure can be explained in our own exception instead of on stderr.
thread_local std::string t_last_gdal_message;
// Errors (CE_Failure and worse) GDAL reported on this thread since the last reset: a
// reader that reports an error and then carries on (a truncated .osm.pbf, a GeoJSON
// "crs" PROJ cannot resolve) must fail the read, not hand back part of the data.
thread_local int t_gdal_failures = 0;
thread_local std::string t_first_failure;

void CPL_STDCALL quiet_handler(CPLErr level, CPLErrorNum, const char* msg) {
    if (level >= CE_Warning && msg) t_last_gdal_message = msg;
    if (level >= CE_Failure && t_gdal_failures++ == 0) t_first_failure = msg ? msg : "unknown GDAL error";
}

void reset_failures() {
    t_gdal_failures = 0;
    t_first_failure.clear();
}

// A GDAL message on one line (libpq's span several) and without passwords.
std::string one_line(const std::string& m);

std::string take_gdal_message() {
    std::string m = t_last_gdal_message;
    t_last_gdal_message.clear();
    if (m.empty()) {
        const char* c = CPLGetLastErrorMsg();
        if (c && *c) m = c;
    }
    return one_line(m);
}

std::string one_line(const std::string& m) {
    std::string out;
    for (char c : m) {
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
        if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
        out += c;
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '.')) out.pop_back();
    return redact_secrets(out);
}

struct OgrGeomDeleter {
    void operator()(OGRGeometry* g) const { OGRGeometryFactory::destroyGeometry(g); }
};
using OgrGeomPtr = std::unique_ptr<OGRGeometry, OgrGeomDeleter>;

struct CtDeleter {
    void operator()(OGRCoordinateTransformation* ct) const { OGRCoordinateTransformation::DestroyCT(ct); }
};

bool is_connection_string(const std::string& s) {
    // "PG:...", "MySQL:...", "/vsicurl/...": not plain files; a drive letter never occurs here.
    if (s.rfind("/vsi", 0) == 0) return true;
    const auto colon = s.find(':');
    if (colon == std::string::npos || colon < 2) return false;
    return std::all_of(s.begin(), s.begin() + colon, [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

geo::LonLat to_point(const OGRPoint& p) { return geo::LonLat(p.getX(), p.getY()); }

geo::LineString to_line(const OGRSimpleCurve& c) {
    geo::LineString out;
    out.reserve(c.getNumPoints());
    for (int i = 0; i < c.getNumPoints(); ++i) out.emplace_back(c.getX(i), c.getY(i));
    return out;
}

geo::Polygon to_polygon(const OGRPolygon& p) {
    geo::Polygon out;
    if (const OGRLinearRing* ext = p.getExteriorRing()) {
        for (int i = 0; i < ext->getNumPoints(); ++i) out.outer().emplace_back(ext->getX(i), ext->getY(i));
    }
    for (int r = 0; r < p.getNumInteriorRings(); ++r) {
        const OGRLinearRing* ring = p.getInteriorRing(r);
        out.inners().emplace_back();
        for (int i = 0; i < ring->getNumPoints(); ++i) out.inners().back().emplace_back(ring->getX(i), ring->getY(i));
    }
    return out;
}

// Converts an OGR geometry (already in WGS84 lon/lat) to ours. Curves are linearised;
// a GeometryCollection becomes the Multi* of its parts when they share a dimension.
geo::Geometry from_ogr(const OGRGeometry* g) {
    if (!g || g->IsEmpty()) return std::monostate{};
    OgrGeomPtr linear;
    if (g->hasCurveGeometry()) {
        linear.reset(g->getLinearGeometry());
        g = linear.get();
    }
    switch (wkbFlatten(g->getGeometryType())) {
        case wkbPoint: return to_point(*g->toPoint());
        case wkbLineString: return to_line(*g->toLineString());
        case wkbPolygon: return to_polygon(*g->toPolygon());
        case wkbMultiPoint: {
            geo::MultiPoint mp;
            for (const auto* p : *g->toMultiPoint()) mp.push_back(to_point(*p));
            return mp;
        }
        case wkbMultiLineString: {
            geo::MultiLineString ml;
            for (const auto* l : *g->toMultiLineString()) ml.push_back(to_line(*l));
            return ml;
        }
        case wkbMultiPolygon: {
            geo::MultiPolygon mp;
            for (const auto* p : *g->toMultiPolygon()) mp.push_back(to_polygon(*p));
            return mp;
        }
        case wkbGeometryCollection: {
            geo::MultiPoint pts;
            geo::MultiLineString lines;
            geo::MultiPolygon polys;
            for (const auto* part : *g->toGeometryCollection()) {
                geo::Geometry sub = from_ogr(part);
                if (auto* p = std::get_if<geo::LonLat>(&sub)) pts.push_back(*p);
                else if (auto* l = std::get_if<geo::LineString>(&sub)) lines.push_back(*l);
                else if (auto* ml = std::get_if<geo::MultiLineString>(&sub))
                    lines.insert(lines.end(), ml->begin(), ml->end());
                else if (auto* pg = std::get_if<geo::Polygon>(&sub)) polys.push_back(*pg);
                else if (auto* mpg = std::get_if<geo::MultiPolygon>(&sub))
                    polys.insert(polys.end(), mpg->begin(), mpg->end());
            }
            if (!polys.empty()) return polys;
            if (!lines.empty()) return lines;
            if (!pts.empty()) return pts;
            return std::monostate{};
        }
        default: return std::monostate{};
    }
}

std::string crs_label(const OGRSpatialReference& srs) {
    const char* auth = srs.GetAuthorityName(nullptr);
    const char* code = srs.GetAuthorityCode(nullptr);
    if (auth && code) return std::string(auth) + ":" + code;
    char* wkt = nullptr;
    const char* opts[] = {"FORMAT=WKT2_2019", nullptr};
    srs.exportToWkt(&wkt, opts);
    std::string out = wkt ? wkt : "";
    CPLFree(wkt);
    return out;
}

layer::FieldType field_type_of(const OGRFieldDefn& fd) {
    switch (fd.GetType()) {
        case OFTInteger: return fd.GetSubType() == OFSTBoolean ? layer::FieldType::Boolean : layer::FieldType::Integer;
        case OFTInteger64: return layer::FieldType::Integer;
        case OFTReal: return layer::FieldType::Real;
        default: return layer::FieldType::String;
    }
}

layer::Value field_value(OGRFeature& f, int i, layer::FieldType t) {
    if (!f.IsFieldSetAndNotNull(i)) return std::monostate{};
    switch (t) {
        case layer::FieldType::Boolean: return f.GetFieldAsInteger(i) != 0;
        case layer::FieldType::Integer: return static_cast<std::int64_t>(f.GetFieldAsInteger64(i));
        case layer::FieldType::Real: return f.GetFieldAsDouble(i);
        case layer::FieldType::String: return std::string(f.GetFieldAsString(i));
    }
    return std::monostate{};
}

// Reads the layers of a dataset. OSM sources must be read interleaved (all layers in one
// pass of GDALDataset::GetNextFeature), others layer by layer.
struct LayerReader {
    const std::string& source;
    const ReadOptions& opts;
    Progress& progress;
    OGRSpatialReference wgs84;

    struct State {
        layer::Layer out;
        std::unique_ptr<OGRCoordinateTransformation, CtDeleter> ct;
        std::vector<layer::FieldType> types;
        int id_index = -1;
        bool wanted = true;
        // Values of each field whose invalid UTF-8 was replaced, by field index.
        std::vector<std::size_t> bad_utf8;
        std::vector<std::string> bad_names;  // field names that were not UTF-8 (as read)
    };

    LayerReader(const std::string& s, const ReadOptions& o, Progress& p) : source(s), opts(o), progress(p) {
        wgs84.importFromEPSG(4326);
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    }

    std::string where(const OGRLayer& l) const {
        return redact_secrets(source) + ": layer '" + sanitize_utf8(const_cast<OGRLayer&>(l).GetName()) + "'";
    }

    State prepare(OGRLayer& l) {
        State st;
        st.out.name = l.GetName();
        st.out.source = source;
        st.wanted =
            opts.layers.empty() || std::find(opts.layers.begin(), opts.layers.end(), st.out.name) != opts.layers.end();
        if (!valid_utf8(st.out.name)) {
            st.out.warnings.push_back(redact_secrets(source) + ": layer name is not valid UTF-8; invalid bytes " +
                                      "replaced by U+FFFD ('" + sanitize_utf8(st.out.name) + "')");
            st.out.name = sanitize_utf8(st.out.name);
        }
        OGRFeatureDefn* defn = l.GetLayerDefn();
        for (int i = 0; i < defn->GetFieldCount(); ++i) {
            const OGRFieldDefn* fd = defn->GetFieldDefn(i);
            st.types.push_back(field_type_of(*fd));
            std::string name = fd->GetNameRef();
            if (!valid_utf8(name)) st.bad_names.push_back(name = sanitize_utf8(name));
            st.out.fields.push_back({name, st.types.back()});
            if (opts.id_field == fd->GetNameRef()) st.id_index = i;
        }
        st.bad_utf8.assign(st.types.size(), 0);
        const bool has_geometry = defn->GetGeomFieldCount() > 0;
        const OGRSpatialReference* srs = l.GetSpatialRef();
        OGRSpatialReference assumed;
        if (!srs && has_geometry) {
            if (opts.assume_crs.empty())
                throw InputError(
                    "layer has no CRS; declare it in the source (a .prj beside a shapefile, the SRS of a "
                    "GeoPackage layer) or assign one with ogr2ogr -a_srs EPSG:31370 out.gpkg in.shp",
                    where(l));
            if (assumed.SetFromUserInput(opts.assume_crs.c_str()) != OGRERR_NONE)
                throw InputError("unknown CRS '" + opts.assume_crs + "'", where(l));
            srs = &assumed;
        }
        if (srs) {
            st.out.source_crs = crs_label(*srs);
            OGRSpatialReference src(*srs);
            src.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            if (!src.IsSame(&wgs84)) {
                st.ct.reset(OGRCreateCoordinateTransformation(&src, &wgs84));
                if (!st.ct)
                    throw InputError("no transformation from the layer's CRS to WGS84: " + take_gdal_message(),
                                     where(l));
            }
        } else {
            st.out.source_crs = "";  // attribute-only layer
        }
        return st;
    }

    void add_feature(State& st, OGRFeature& f, const OGRLayer& l) {
        layer::Feature feat;
        for (std::size_t i = 0; i < st.types.size(); ++i) {
            layer::Value v = field_value(f, static_cast<int>(i), st.types[i]);
            // A DBF in latin-1 without a .cpg, a GeoJSON written by a tool that ignored
            // the encoding: what we write must still be UTF-8 (RFC 7946, RFC 8259).
            if (auto* text = std::get_if<std::string>(&v); text && !valid_utf8(*text)) {
                *text = sanitize_utf8(*text);
                ++st.bad_utf8[i];
            }
            feat.attributes.set(st.out.fields[i].name, std::move(v));
        }
        if (st.id_index >= 0 && f.IsFieldSetAndNotNull(st.id_index))
            feat.id = sanitize_utf8(f.GetFieldAsString(st.id_index));
        else if (f.GetFID() != OGRNullFID) feat.id = std::to_string(f.GetFID());
        else feat.id = std::to_string(st.out.features.size());
        if (OGRGeometry* g = f.GetGeometryRef()) {
            if (st.ct && g->transform(st.ct.get()) != OGRERR_NONE)
                throw InputError("geometry cannot be transformed to WGS84", where(l) + ", feature " + feat.id);
            feat.geometry = from_ogr(g);
            if (!geo::coordinates_valid(feat.geometry))
                throw InputError("invalid coordinates (NaN, infinite or out of lon/lat range)",
                                 where(l) + ", feature " + feat.id);
        }
        st.out.features.push_back(std::move(feat));
    }

    // The warnings of a layer read to its end: fields whose UTF-8 was repaired, and
    // coordinates that look like Belgium with longitude and latitude swapped.
    void finish(State& st, const OGRLayer& l) const {
        for (const auto& name : st.bad_names)
            st.out.warnings.push_back(where(l) + ": field name '" + name +
                                      "' is not valid UTF-8; invalid bytes replaced by U+FFFD");
        for (std::size_t i = 0; i < st.bad_utf8.size(); ++i)
            if (st.bad_utf8[i] > 0)
                st.out.warnings.push_back(
                    where(l) + ", field '" + st.out.fields[i].name + "': " + std::to_string(st.bad_utf8[i]) +
                    (st.bad_utf8[i] == 1 ? " value is" : " values are") +
                    " not valid UTF-8; invalid bytes replaced by U+FFFD (is the file in another encoding? a .cpg "
                    "file beside a shapefile declares it, e.g. ISO-8859-1)");
        if (looks_swapped(st.out))
            st.out.warnings.push_back(where(l) +
                                      ": every coordinate lies at x 49.4..51.6, y 2.4..6.5: Belgium with longitude "
                                      "and latitude swapped? Coordinates are [lon, lat] (RFC 7946; EPSG:4326 in "
                                      "GIS order): swap them in the source");
    }

    // Belgium (lon 2.5..6.4, lat 49.5..51.5) with the axes swapped lies in the Indian
    // Ocean off Somalia (lon ~50, lat ~4): no data of a Belgian planner does.
    static bool looks_swapped(const layer::Layer& l) {
        geo::Box b;
        if (l.features.empty() || !l.extent(b)) return false;
        return geo::lon(b.min_corner()) >= 49.4 && geo::lon(b.max_corner()) <= 51.6 &&
               geo::lat(b.min_corner()) >= 2.4 && geo::lat(b.max_corner()) <= 6.5;
    }
};

// GDAL's GeoJSON reader turns a NaN coordinate into an empty geometry without a word;
// a planner must hear about it. Scans the text for non-finite number tokens in arrays
// and throws with the line number.
void reject_non_finite_json(const std::string& source) {
    VSILFILE* fp = VSIFOpenL(source.c_str(), "rb");
    if (!fp) return;
    std::string text;
    char buf[1 << 16];
    std::size_t n = 0;
    while ((n = VSIFReadL(buf, 1, sizeof buf, fp)) > 0) text.append(buf, n);
    VSIFCloseL(fp);
    static const std::regex bad(R"([\[,]\s*[-+]?(NaN|nan|Infinity|inf)\b)");
    std::smatch m;
    if (std::regex_search(text, m, bad)) {
        const auto pos = static_cast<std::size_t>(m.position(0));
        const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n');
        throw InputError("non-finite coordinate '" + m.str(1) + "' (NaN or infinity)",
                         source + ": line " + std::to_string(line));
    }
}

}  // namespace

namespace {

// Where a password sits in a connection string. libpq's keyword/value form
// (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING) separates
// pairs by whitespace, allows spaces around '=' and quotes values in '...' with \' and
// \\ escaped; its URI form puts "password=" in the query (pairs separated by '&') or the
// password in the user info ("user:secret@host"); GDAL's MySQL driver separates pairs by
// ','. key is where "password" starts, value where its value starts, end one past it.
struct SecretSpan {
    std::size_t key, value, end;
};

bool is_keyword_boundary(char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == ':' || c == '?' || c == '&' || c == ',' || c == ';' ||
           c == '"' || c == '\'' || c == '{' || c == '(' || c == '[';
}

// Whether "password" at pos starts a keyword: after a separator, or as libpq's
// environment variable PGPASSWORD (a message or a shell line may quote "PGPASSWORD=x").
bool starts_password_keyword(const std::string& lower, std::size_t pos) {
    if (pos == 0 || is_keyword_boundary(lower[pos - 1])) return true;
    return pos >= 2 && lower.compare(pos - 2, 2, "pg") == 0 && (pos == 2 || is_keyword_boundary(lower[pos - 3]));
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// A URI query key percent-decoded and lower-cased: libpq decodes keys too, so
// "?pass%77ord=x" is a password as much as "?password=x" is.
std::string decoded_key(const std::string& s, std::size_t begin, std::size_t end) {
    std::string out;
    for (std::size_t i = begin; i < end; ++i) {
        if (s[i] == '%' && i + 2 < end && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// Passwords in the query of each URI ("scheme://...?a=b&password=x#f"), by their
// percent-decoded keys.
void uri_query_spans(const std::string& s, std::vector<SecretSpan>& out) {
    for (std::size_t scheme = s.find("://"); scheme != std::string::npos; scheme = s.find("://", scheme + 3)) {
        const std::size_t uri_end = std::min(s.size(), s.find_first_of(" \t\r\n\"'", scheme));
        std::size_t q = s.find('?', scheme);
        if (q == std::string::npos || q >= uri_end) continue;
        const std::size_t query_end = std::min(uri_end, s.find('#', q));
        for (std::size_t key = q + 1; key < query_end;) {
            const std::size_t amp = std::min(query_end, s.find('&', key));
            const std::size_t eq = s.find('=', key);
            if (eq != std::string::npos && eq < amp && decoded_key(s, key, eq) == "password")
                out.push_back({key, eq + 1, amp});
            key = amp + 1;
        }
    }
}

std::vector<SecretSpan> password_spans(const std::string& s) {
    std::string lower(s);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    const bool uri = lower.find("://") != std::string::npos;
    const bool mysql = lower.rfind("mysql:", 0) == 0;
    std::vector<SecretSpan> out;
    for (std::size_t pos = 0; (pos = lower.find("password", pos)) != std::string::npos; pos += 8) {
        if (!starts_password_keyword(lower, pos)) continue;
        std::size_t i = pos + 8;
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        if (i >= s.size() || s[i] != '=') continue;
        ++i;
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        const std::size_t value = i;
        std::size_t end = value;
        if (end < s.size() && s[end] == '\'') {
            for (++end; end < s.size() && s[end] != '\''; ++end)
                if (s[end] == '\\') ++end;
            end = std::min(s.size(), end + 1);
        } else if (s.compare(value, 3, "***") == 0) {
            end = value + 3;  // already masked: keep what follows it, e.g. the ')' of "(where)"
        } else {
            while (end < s.size() && !std::isspace(static_cast<unsigned char>(s[end])) && s[end] != '"' &&
                   !(uri && (s[end] == '&' || s[end] == '#')) && !(mysql && s[end] == ','))
                ++end;
        }
        if (pos >= 2 && lower.compare(pos - 2, 2, "pg") == 0) pos -= 2;  // the whole PGPASSWORD goes
        out.push_back({pos, value, end});
        pos = end > pos + 8 ? end - 8 : pos;
    }
    if (uri) uri_query_spans(s, out);
    // One span per secret, in order: the two scans may find the same query parameter.
    std::sort(out.begin(), out.end(), [](const SecretSpan& a, const SecretSpan& b) { return a.key < b.key; });
    std::vector<SecretSpan> merged;
    for (const auto& sp : out) {
        if (!merged.empty() && sp.key < merged.back().end) {
            merged.back().end = std::max(merged.back().end, sp.end);
            continue;
        }
        merged.push_back(sp);
    }
    return merged;
}

// The password of a URL's user info ("scheme://user:secret@host"): [begin, end) of
// ":secret", or nullopt.
std::optional<std::pair<std::size_t, std::size_t>> userinfo_password(const std::string& s, std::size_t from) {
    const std::size_t scheme = s.find("://", from);
    if (scheme == std::string::npos) return std::nullopt;
    const std::size_t at = s.find('@', scheme + 3), colon = s.find(':', scheme + 3),
                      stop = s.find_first_of(" /?#", scheme + 3);
    if (at == std::string::npos || colon == std::string::npos || colon > at || (stop != std::string::npos && stop < at))
        return userinfo_password(s, scheme + 3);
    return std::pair{colon, at};
}

}  // namespace

std::string redact_secrets(std::string s) {
    const auto spans = password_spans(s);
    for (auto it = spans.rbegin(); it != spans.rend(); ++it) s.replace(it->value, it->end - it->value, "***");
    for (std::size_t from = 0; const auto p = userinfo_password(s, from);) {
        s.replace(p->first + 1, p->second - p->first - 1, "***");
        from = p->first + 5;
    }
    return s;
}

std::string strip_secrets(std::string s) {
    const auto spans = password_spans(s);
    for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
        std::size_t begin = it->key, end = it->end;
        // Take one separator with it, so that no empty pair is left behind.
        if (begin > 0 && (s[begin - 1] == '&' || s[begin - 1] == ',' || s[begin - 1] == ';')) {
            --begin;
        } else if (end < s.size() && (s[end] == '&' || s[end] == ',' || s[end] == ';')) {
            ++end;
        } else {
            while (begin > 0 && std::isspace(static_cast<unsigned char>(s[begin - 1]))) --begin;
            if (begin == 0 || s[begin - 1] == ':' || s[begin - 1] == '"' || s[begin - 1] == '?')
                while (end < s.size() && std::isspace(static_cast<unsigned char>(s[end]))) ++end;
            if (begin > 0 && s[begin - 1] == '?' && end == s.size()) --begin;
        }
        s.erase(begin, end - begin);
    }
    for (std::size_t from = 0; const auto p = userinfo_password(s, from);) {
        s.erase(p->first, p->second - p->first);
        from = p->first;
    }
    return s;
}

namespace {

// What to do when the server wants a password the source does not hold: a scenario
// stores none (strip_secrets), so the password must come from where libpq looks by
// itself.
std::string password_hint(const std::string& why, const std::string& source) {
    if (why.find("no password supplied") == std::string::npos &&
        why.find("password authentication failed") == std::string::npos)
        return {};
    if (strip_secrets(source) != source) return "; check the password";
    return "; the source holds no password (scenario files never store one): put it in ~/.pgpass (or the file "
           "PGPASSFILE names), set PGPASSWORD, or use a service name (PG:service=...) whose password is in "
           "~/.pgpass";
}

}  // namespace

void ensure_gdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        CPLSetErrorHandler(quiet_handler);
        // GeoJSON files of any size (the default refuses objects over 200 MB).
        CPLSetConfigOption("OGR_GEOJSON_MAX_OBJ_SIZE", "0");
    });
}

std::vector<layer::Layer> read_source(const std::string& source, const ReadOptions& opts, Progress& progress) {
    ensure_gdal();
    if (source.empty()) throw InputError("empty data source name");
    if (!is_connection_string(source) && !fs::exists(source))
        throw InputError("file does not exist", redact_secrets(source));
    t_last_gdal_message.clear();
    reset_failures();
    GDALDatasetUniquePtr ds(GDALDataset::Open(source.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) {
        std::string why = take_gdal_message();
        throw InputError("cannot open as a vector data source" + (why.empty() ? std::string() : ": " + why) +
                             password_hint(why, source),
                         redact_secrets(source));
    }
    if (t_gdal_failures > 0)
        throw InputError("GDAL reported an error while opening it: " + one_line(t_first_failure),
                         redact_secrets(source));
    LayerReader reader(source, opts, progress);
    std::vector<layer::Layer> out;
    const std::string driver = ds->GetDriver() ? ds->GetDriver()->GetDescription() : "";
    if (driver == "GeoJSON" && !is_connection_string(source)) reject_non_finite_json(source);
    const int n_layers = ds->GetLayerCount();
    if (driver == "OSM") {
        std::vector<LayerReader::State> states;
        for (int i = 0; i < n_layers; ++i) states.push_back(reader.prepare(*ds->GetLayer(i)));
        std::size_t count = 0;
        for (;;) {
            OGRLayer* l = nullptr;
            OGRFeatureUniquePtr f(ds->GetNextFeature(&l, nullptr, nullptr, nullptr));
            if (!f) break;
            int idx = 0;
            for (; idx < n_layers; ++idx)
                if (ds->GetLayer(idx) == l) break;
            if (idx < n_layers && states[idx].wanted) reader.add_feature(states[idx], *f, *l);
            if (++count % 4096 == 0) {
                if (progress.cancelled()) throw Cancelled();
                progress.report(0.5, "reading OSM features");
            }
        }
        if (t_gdal_failures > 0)
            throw InputError("read failed after " + std::to_string(count) +
                                 " features (the file may be truncated or damaged): " + one_line(t_first_failure),
                             redact_secrets(source));
        for (int i = 0; i < n_layers; ++i)
            if (states[i].wanted) {
                reader.finish(states[i], *ds->GetLayer(i));
                out.push_back(std::move(states[i].out));
            }
    } else {
        for (int i = 0; i < n_layers; ++i) {
            OGRLayer* l = ds->GetLayer(i);
            LayerReader::State st = reader.prepare(*l);
            if (!st.wanted) continue;
            const GIntBig total = l->GetFeatureCount(FALSE);
            l->ResetReading();
            std::size_t count = 0;
            t_last_gdal_message.clear();
            for (;;) {
                OGRFeatureUniquePtr f(l->GetNextFeature());
                if (!f) break;
                reader.add_feature(st, *f, *l);
                if (++count % 4096 == 0) {
                    if (progress.cancelled()) throw Cancelled();
                    if (total > 0)
                        progress.report((i + static_cast<double>(count) / total) / n_layers, "reading " + st.out.name);
                }
            }
            if (t_gdal_failures > 0)
                throw InputError("read failed after " + std::to_string(count) +
                                     " features (the file may be truncated or damaged): " + one_line(t_first_failure),
                                 reader.where(*l));
            reader.finish(st, *l);
            out.push_back(std::move(st.out));
        }
    }
    for (const auto& name : opts.layers) {
        if (std::none_of(out.begin(), out.end(), [&](const layer::Layer& l) { return l.name == name; }))
            throw InputError("no layer named '" + name + "'", redact_secrets(source));
    }
    progress.report(1.0, "read " + redact_secrets(source));
    return out;
}

Format parse_format(const std::string& name) {
    std::string n = name;
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    if (n == "geojson" || n == "json") return Format::GeoJson;
    if (n == "gpkg" || n == "geopackage") return Format::GeoPackage;
    if (n == "csv") return Format::Csv;
    throw UsageError("unknown output format '" + name + "' (use geojson, gpkg or csv)");
}

Format format_from_path(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    if (!ext.empty()) ext.erase(0, 1);
    try {
        return parse_format(ext);
    } catch (const UsageError&) {
        throw UsageError("cannot tell the output format from the file name; use .geojson, .gpkg or .csv", path);
    }
}

namespace {

OgrGeomPtr to_ogr(const geo::Geometry& g) {
    auto ring = [](const geo::Ring& r) {
        auto* lr = new OGRLinearRing();
        for (const auto& p : r) lr->addPoint(geo::lon(p), geo::lat(p));
        return lr;
    };
    auto poly = [&](const geo::Polygon& p) {
        auto* out = new OGRPolygon();
        out->addRingDirectly(ring(p.outer()));
        for (const auto& h : p.inners()) out->addRingDirectly(ring(h));
        return out;
    };
    auto line = [](const geo::LineString& l) {
        auto* out = new OGRLineString();
        for (const auto& p : l) out->addPoint(geo::lon(p), geo::lat(p));
        return out;
    };
    return std::visit(
        [&](const auto& v) -> OgrGeomPtr {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, geo::LonLat>) {
                return OgrGeomPtr(new OGRPoint(geo::lon(v), geo::lat(v)));
            } else if constexpr (std::is_same_v<T, geo::LineString>) {
                return OgrGeomPtr(line(v));
            } else if constexpr (std::is_same_v<T, geo::Polygon>) {
                return OgrGeomPtr(poly(v));
            } else if constexpr (std::is_same_v<T, geo::MultiPoint>) {
                auto* m = new OGRMultiPoint();
                for (const auto& p : v) m->addGeometryDirectly(new OGRPoint(geo::lon(p), geo::lat(p)));
                return OgrGeomPtr(m);
            } else if constexpr (std::is_same_v<T, geo::MultiLineString>) {
                auto* m = new OGRMultiLineString();
                for (const auto& l : v) m->addGeometryDirectly(line(l));
                return OgrGeomPtr(m);
            } else if constexpr (std::is_same_v<T, geo::MultiPolygon>) {
                auto* m = new OGRMultiPolygon();
                for (const auto& p : v) m->addGeometryDirectly(poly(p));
                return OgrGeomPtr(m);
            } else {
                return OgrGeomPtr();
            }
        },
        g);
}

OGRwkbGeometryType ogr_type(const std::string& name) {
    if (name == "Point") return wkbPoint;
    if (name == "LineString") return wkbLineString;
    if (name == "Polygon") return wkbPolygon;
    if (name == "MultiPoint") return wkbMultiPoint;
    if (name == "MultiLineString") return wkbMultiLineString;
    if (name == "MultiPolygon") return wkbMultiPolygon;
    return wkbUnknown;
}

void fill_dataset(GDALDatasetUniquePtr ds, const std::vector<const layer::Layer*>& layers, Format format,
                  const std::string& where);

// Writes the layers to a new GDAL dataset at a path (normally /vsimem/).
void write_dataset(const std::vector<const layer::Layer*>& layers, const std::string& path, Format format,
                   const std::string& where) {
    ensure_gdal();
    const char* driver_name = format == Format::GeoJson ? "GeoJSON" : format == Format::GeoPackage ? "GPKG" : "CSV";
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver_name);
    if (!drv) throw Error(std::string("GDAL driver ") + driver_name + " is not available", where);
    if (format != Format::GeoPackage && layers.size() != 1)
        throw UsageError(std::string(driver_name) + " holds exactly one layer; got " + std::to_string(layers.size()),
                         where);
    t_last_gdal_message.clear();
    GDALDatasetUniquePtr ds(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) throw Error("cannot create output: " + take_gdal_message(), where);
    fill_dataset(std::move(ds), layers, format, where);
}

// Adds the layers to an existing GeoPackage at a GDAL path.
void append_dataset(const std::vector<const layer::Layer*>& layers, const std::string& path, const std::string& where) {
    t_last_gdal_message.clear();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    if (!ds) throw Error("cannot update the GeoPackage: " + take_gdal_message(), where);
    fill_dataset(std::move(ds), layers, Format::GeoPackage, where);
}

void fill_dataset(GDALDatasetUniquePtr ds, const std::vector<const layer::Layer*>& layers, Format format,
                  const std::string& where) {
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    for (const layer::Layer* lp : layers) {
        layer::Layer inferred;
        const std::vector<layer::Field>* fields = &lp->fields;
        if (fields->empty() && !lp->features.empty()) {
            inferred.features = lp->features;
            inferred.infer_fields();
            fields = &inferred.fields;
        }
        const auto types = lp->geometry_types();
        const OGRwkbGeometryType gtype = types.size() == 1 ? ogr_type(types.front()) : wkbUnknown;
        CPLStringList lco;
        if (format == Format::GeoJson) {
            lco.SetNameValue("RFC7946", "YES");
            lco.SetNameValue("COORDINATE_PRECISION", "7");
            lco.SetNameValue("WRITE_NAME", "NO");
        } else if (format == Format::Csv) {
            lco.SetNameValue("GEOMETRY", "AS_WKT");
        }
        OGRLayer* ol = ds->CreateLayer(lp->name.c_str(), &wgs84, gtype, lco.List());
        if (!ol) throw Error("cannot create layer '" + lp->name + "': " + take_gdal_message(), where);
        bool has_id_field = false;
        for (const auto& fd : *fields) {
            if (fd.name == "id") has_id_field = true;
            OGRFieldType t = OFTString;
            OGRFieldSubType st = OFSTNone;
            switch (fd.type) {
                case layer::FieldType::Boolean: t = OFTInteger, st = OFSTBoolean; break;
                case layer::FieldType::Integer: t = OFTInteger64; break;
                case layer::FieldType::Real: t = OFTReal; break;
                case layer::FieldType::String: t = OFTString; break;
            }
            OGRFieldDefn def(fd.name.c_str(), t);
            def.SetSubType(st);
            if (ol->CreateField(&def) != OGRERR_NONE)
                throw Error("cannot create field '" + fd.name + "': " + take_gdal_message(), where);
        }
        if (!has_id_field) {
            OGRFieldDefn def("id", OFTString);
            ol->CreateField(&def);
        }
        OGRFeatureDefn* defn = ol->GetLayerDefn();
        // Not every driver has transactions (GeoJSON, CSV): failing to start one is fine.
        const bool in_transaction = ol->StartTransaction() == OGRERR_NONE;
        for (const auto& f : lp->features) {
            if (!geo::coordinates_valid(f.geometry))
                throw InputError("invalid coordinates (NaN or out of range)",
                                 "layer '" + lp->name + "', feature " + f.id);
            OGRFeatureUniquePtr of(OGRFeature::CreateFeature(defn));
            for (const auto& [k, v] : f.attributes.items()) {
                const int i = defn->GetFieldIndex(k.c_str());
                if (i < 0) continue;
                std::visit(
                    [&](const auto& x) {
                        using T = std::decay_t<decltype(x)>;
                        if constexpr (std::is_same_v<T, std::monostate>) of->SetFieldNull(i);
                        else if constexpr (std::is_same_v<T, bool>) of->SetField(i, x ? 1 : 0);
                        else if constexpr (std::is_same_v<T, std::int64_t>) of->SetField(i, static_cast<GIntBig>(x));
                        else if constexpr (std::is_same_v<T, double>) of->SetField(i, x);
                        else of->SetField(i, x.c_str());
                    },
                    v);
            }
            if (!has_id_field) of->SetField("id", f.id.c_str());
            if (auto g = to_ogr(f.geometry)) of->SetGeometryDirectly(g.release());
            if (ol->CreateFeature(of.get()) != OGRERR_NONE)
                throw Error("cannot write feature " + f.id + ": " + take_gdal_message(), where);
        }
        if (in_transaction && ol->CommitTransaction() != OGRERR_NONE)
            throw Error("cannot commit layer '" + lp->name + "': " + take_gdal_message(), where);
    }
    ds.reset();  // flush and close
    if (CPLGetLastErrorType() == CE_Failure) throw Error("write failed: " + take_gdal_message(), where);
}

}  // namespace

std::string temp_path_beside(const std::string& path) {
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(dir)) throw InputError("output folder does not exist", dir.string());
    static std::atomic<int> counter{0};
    return (dir / ("." + target.stem().string() + ".tmp" + std::to_string(::getpid()) + "-" +
                   std::to_string(counter++) + target.extension().string()))
        .string();
}

namespace {

// The bytes of a /vsimem/ file (removed afterwards).
std::string take_vsimem(const std::string& path) {
    vsi_l_offset size = 0;
    GByte* buf = VSIGetMemFileBuffer(path.c_str(), &size, TRUE);
    if (!buf) return {};
    std::string out(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(size));
    CPLFree(buf);
    return out;
}

std::string vsimem_name(const char* ext) {
    static std::atomic<int> counter{0};
    return "/vsimem/mp-out-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ext;
}

}  // namespace

void write_layers(const std::vector<const layer::Layer*>& layers, const std::string& path, Format format) {
    ensure_gdal();
    // GDAL writes into memory under the right extension, and write_file_atomic puts the
    // bytes where they belong: so a name without extension never makes GDAL's CSV driver
    // create a folder, a FIFO or /dev/stdout is written through instead of replaced, and
    // a failure leaves the target as it was.
    const std::string mem = vsimem_name(format == Format::GeoJson      ? ".geojson"
                                        : format == Format::GeoPackage ? ".gpkg"
                                                                       : ".csv");
    struct Cleanup {
        std::string p;
        ~Cleanup() { VSIUnlink(p.c_str()); }
    } cleanup{mem};
    struct stat st {};
    const bool existing_gpkg = format == Format::GeoPackage && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
    if (existing_gpkg) {
        // A GeoPackage holds many layers: writing one into an existing file replaces that
        // layer and keeps the others (export over its own multi-layer input loses nothing).
        std::ifstream in(path, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!in && !in.eof()) throw Error("cannot read the existing GeoPackage", path);
        VSILFILE* fp = VSIFOpenL(mem.c_str(), "wb");
        if (!fp || VSIFWriteL(bytes.data(), 1, bytes.size(), fp) != bytes.size()) {
            if (fp) VSIFCloseL(fp);
            throw Error("cannot stage the existing GeoPackage in memory", path);
        }
        VSIFCloseL(fp);
        t_last_gdal_message.clear();
        GDALDatasetUniquePtr ds(GDALDataset::Open(mem.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
        if (!ds)
            throw InputError("the existing file is not a GeoPackage GDAL can update: " + take_gdal_message(), path);
        for (const auto* l : layers)
            for (int k = ds->GetLayerCount() - 1; k >= 0; --k)
                if (EQUAL(ds->GetLayer(k)->GetName(), l->name.c_str()) && ds->DeleteLayer(k) != OGRERR_NONE)
                    throw Error("cannot replace layer '" + l->name + "': " + take_gdal_message(), path);
        ds.reset();
        append_dataset(layers, mem, path);
    } else {
        write_dataset(layers, mem, format, path);
    }
    write_file_atomic(path, take_vsimem(mem));
}

std::string to_geojson(const layer::Layer& l) {
    static std::atomic<int> counter{0};
    const std::string path = "/vsimem/mp-geojson-" + std::to_string(counter++) + ".geojson";
    write_dataset({&l}, path, Format::GeoJson, "GeoJSON of layer '" + l.name + "'");
    vsi_l_offset size = 0;
    GByte* buf = VSIGetMemFileBuffer(path.c_str(), &size, TRUE);
    std::string out(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(size));
    CPLFree(buf);
    return out;
}

namespace {

void write_through(int fd, const std::string& bytes, const std::string& path) {
    const char* p = bytes.data();
    std::size_t n = bytes.size();
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            const int e = errno;
            ::close(fd);
            throw Error(std::string("cannot write: ") + std::strerror(e), path);
        }
        p += w, n -= static_cast<std::size_t>(w);
    }
    if (::close(fd) != 0 && errno != EINTR) throw Error(std::string("cannot write: ") + std::strerror(errno), path);
}

}  // namespace

namespace {

// The temporary files in flight, readable from a signal handler: fixed storage, and a
// slot is only read once its state says its path is complete.
constexpr int kTempSlots = 16;
struct TempSlot {
    std::atomic<int> state{0};  // 0 free, 1 being filled, 2 holds a path
    char path[4096];
};
TempSlot g_temp_slots[kTempSlots];

extern "C" void remove_temps_and_die(int sig) {
    for (auto& slot : g_temp_slots)
        if (slot.state.load() == 2) ::unlink(slot.path);  // async-signal-safe
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}

}  // namespace

TempFileGuard::TempFileGuard(const std::string& path) {
    if (path.size() >= sizeof(TempSlot::path)) return;
    for (int i = 0; i < kTempSlots; ++i) {
        int expected = 0;
        if (!g_temp_slots[i].state.compare_exchange_strong(expected, 1)) continue;
        std::memcpy(g_temp_slots[i].path, path.c_str(), path.size() + 1);
        g_temp_slots[i].state.store(2);
        m_slot = i;
        return;
    }
}

TempFileGuard::~TempFileGuard() {
    if (m_slot >= 0) g_temp_slots[m_slot].state.store(0);
}

void remove_temps_on_signals() {
    for (int sig : {SIGTERM, SIGHUP, SIGINT}) {
        struct sigaction sa {};
        sa.sa_handler = remove_temps_and_die;
        sigemptyset(&sa.sa_mask);
        sigaction(sig, &sa, nullptr);
    }
}

void write_file_atomic(const std::string& path, const std::string& bytes, unsigned mode) {
    if (path.empty()) throw UsageError("no output file name given");
    struct stat st {};
    const bool exists = ::stat(path.c_str(), &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) throw InputError("is a folder, not a file", path);
    if (exists && S_ISBLK(st.st_mode)) throw InputError("is a block device; refusing to write to it", path);
    // Temp-then-rename is for regular files only: a terminal, a pipe, a FIFO, a socket or
    // a character device (/dev/stdout, /dev/null, /dev/full) is written through, never
    // replaced by a renamed file.
    if (exists && !S_ISREG(st.st_mode)) {
        const int fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) throw Error(std::string("cannot open for writing: ") + std::strerror(errno), path);
        write_through(fd, bytes, path);
        return;
    }
    // A symbolic link keeps pointing where it did: the file it names is replaced.
    fs::path target(path);
    if (struct stat lst{}; ::lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {
        std::error_code ec;
        target = fs::weakly_canonical(target, ec);
        if (ec) throw Error("cannot resolve the link: " + ec.message(), path);
    }
    const std::string tmp = temp_path_beside(target.string());
    const mode_t perms = mode ? static_cast<mode_t>(mode) : exists ? (st.st_mode & 07777) : 0666;
    const TempFileGuard guard(tmp);  // registered before it exists: a signal never misses it
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, perms);
    if (fd < 0) throw Error(std::string("cannot create a temporary file: ") + std::strerror(errno), tmp);
    try {
        if (mode || exists) ::fchmod(fd, perms);  // exactly these permissions, whatever the umask
        const char* p = bytes.data();
        std::size_t n = bytes.size();
        while (n > 0) {
            const ssize_t w = ::write(fd, p, n);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) throw Error(std::string("cannot write: ") + std::strerror(errno), path);
            p += w, n -= static_cast<std::size_t>(w);
        }
        // On disk before it takes the name: a crash leaves the old file or the new, whole.
        if (::fsync(fd) != 0) throw Error(std::string("cannot write: ") + std::strerror(errno), path);
        if (::close(fd) != 0) throw Error(std::string("cannot write: ") + std::strerror(errno), path);
    } catch (...) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    if (::rename(tmp.c_str(), target.c_str()) != 0) {
        const int e = errno;
        ::unlink(tmp.c_str());
        throw Error(std::string("cannot replace file: ") + std::strerror(e), path);
    }
}

}  // namespace mp::io
