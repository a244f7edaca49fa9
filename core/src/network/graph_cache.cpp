// SPDX-License-Identifier: MIT
// The graph cache file (.mpgraph), version 2. A cache file is untrusted input like any
// other (the hardening issue found a valid-looking file whose indices were out of range
// corrupt the heap), so the reader checks the header against this build, every section
// against the file's size, and then every index of the graph (validate_graph) before a
// router ever sees it. After osrm-backend's fingerprint (include/util/fingerprint.hpp):
// a magic, a format version, an endianness mark and a hash of the record layouts.
//
// Layout (little endian, as written by this build; a big-endian file is refused):
//   "MPGRAPH\0"  u32 version  u32 0x01020304  u64 layout hash  u32 builder version
//   u8 kind  u8 has_source  u16 0  u32 section count
//   source identity: u32 path length, path bytes, u64 size, i64 mtime_ns, u64 head hash,
//                    u64 tail hash
//   section table: per section u32 id, u32 element size, u64 count, u64 byte offset
//   section data, each at an offset aligned to 8
//   "MPGRAPH\0" at the very end (a truncated file is refused)
// Unknown section ids are skipped, so later versions can add sections (the routing
// issue's hierarchy) that older readers ignore.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "mp/core/error.hpp"
#include "mp/io/ogr_io.hpp"
#include "mp/network/graph.hpp"

namespace mp::network {

namespace {

constexpr char kMagic[8] = {'M', 'P', 'G', 'R', 'A', 'P', 'H', '\0'};
constexpr std::uint32_t kEndian = 0x01020304u;
// Bumped whenever the builders (layers, OSM) change what they put into a graph, so a
// cache of an older builder is rebuilt rather than trusted.
constexpr std::uint32_t kBuilderVersion = 3;
constexpr std::size_t kHashBlock = 64 * 1024;
// Bounds on costs: a day of travel is 864,000 ds; an edge of more than 100 days or
// 100,000 km is corrupt, and keeps sums of costs far from overflow.
constexpr std::uint32_t kMaxTimeDs = 86'400'000u;
constexpr std::uint32_t kMaxLengthDm = 1'000'000'000u;

enum Section : std::uint32_t {
    kNodeLon = 1,
    kNodeLat,
    kFirstOut,
    kHead,
    kTimeDs,
    kLengthDm,
    kSpeedKmh,
    kEdgeRestriction,
    kEdgeSegment,
    kFirstIn,
    kInEdge,
    kSegments,
    kShape,
    kRestrictions,
    kForbiddenTurns,
    kEdgeTurnFlag,
    kStringOffsets,
    kStringBytes,
    kSource,
    kLastRequired = kSource
};

std::uint64_t fnv1a(const void* data, std::size_t n, std::uint64_t h = 0xcbf29ce484222325ull) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

// A hash of the record types' layout: a cache written by a build whose Segment,
// Restriction or ForbiddenTurn differ is refused (their bytes are copied as they are).
std::uint64_t layout_hash() {
    std::ostringstream os;
    os << "Segment " << sizeof(Segment) << ' ' << offsetof(Segment, from) << ' ' << offsetof(Segment, to) << ' '
       << offsetof(Segment, shape_first) << ' ' << offsetof(Segment, shape_count) << ' '
       << offsetof(Segment, restriction) << ' ' << offsetof(Segment, name) << ' ' << offsetof(Segment, ref) << ' '
       << offsetof(Segment, source_id) << ' ' << offsetof(Segment, length_m) << ' ' << offsetof(Segment, road_class)
       << "; Restriction " << sizeof(Restriction) << ' ' << offsetof(Restriction, mlc_wheeled) << ' '
       << offsetof(Restriction, maxlength_m) << ' ' << offsetof(Restriction, bridge) << ' '
       << offsetof(Restriction, tunnel) << ' ' << offsetof(Restriction, structure_name) << ' '
       << offsetof(Restriction, ref) << ' ' << offsetof(Restriction, km) << "; ForbiddenTurn " << sizeof(ForbiddenTurn)
       << "; double " << sizeof(double);
    const std::string d = os.str();
    return fnv1a(d.data(), d.size());
}

struct PlainLonLat {
    double lon, lat;
};

// ---- writing ----

struct Out {
    std::string bytes;
    template <typename T>
    void put(const T& v) {
        static_assert(std::is_trivially_copyable_v<T>);
        bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
    }
    void put_text(const std::string& s) {
        put(static_cast<std::uint32_t>(s.size()));
        bytes += s;
    }
};

struct SectionData {
    std::uint32_t id;
    std::uint32_t elem_size;
    std::uint64_t count;
    const void* data;
};

template <typename T>
SectionData section(std::uint32_t id, const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    return {id, static_cast<std::uint32_t>(sizeof(T)), v.size(), v.data()};
}

// ---- reading ----

class In {
public:
    In(std::string_view b, const std::string& where) : m_b(b), m_where(where) {}
    template <typename T>
    T get(const char* what) {
        if (m_b.size() - m_pos < sizeof(T)) fail(std::string("truncated header (") + what + ")");
        T v;
        std::memcpy(&v, m_b.data() + m_pos, sizeof v);
        m_pos += sizeof v;
        return v;
    }
    std::string text(const char* what, std::size_t max) {
        const auto n = get<std::uint32_t>(what);
        if (n > max || m_b.size() - m_pos < n) fail(std::string("bad length of ") + what);
        std::string s(m_b.substr(m_pos, n));
        m_pos += n;
        return s;
    }
    [[noreturn]] void fail(const std::string& why) const { throw InputError("graph cache: " + why, m_where); }

private:
    std::string_view m_b;
    std::size_t m_pos = 0;
    const std::string& m_where;
};

struct TableEntry {
    std::uint32_t id, elem_size;
    std::uint64_t count, offset;
};

template <typename T>
void read_section(std::string_view bytes, const TableEntry* e, std::vector<T>& out, const In& in, const char* name) {
    if (!e) in.fail(std::string("section '") + name + "' is missing");
    if (e->elem_size != sizeof(T))
        in.fail(std::string("section '") + name + "' has " + std::to_string(e->elem_size) + "-byte elements, " +
                std::to_string(sizeof(T)) + " expected");
    out.resize(static_cast<std::size_t>(e->count));
    if (e->count > 0) std::memcpy(out.data(), bytes.data() + e->offset, static_cast<std::size_t>(e->count) * sizeof(T));
}

bool lonlat_ok(double lon, double lat) {
    return std::isfinite(lon) && std::isfinite(lat) && std::abs(lon) <= 180 && std::abs(lat) <= 90;
}

template <typename T>
bool index_ok(T v, std::size_t n) {
    return v == kNone || static_cast<std::size_t>(v) < n;
}

}  // namespace

std::string SourceIdentity::describe() const {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%llu bytes, modified %lld ns, content %016llx/%016llx",
                  static_cast<unsigned long long>(size), static_cast<long long>(mtime_ns),
                  static_cast<unsigned long long>(head_hash), static_cast<unsigned long long>(tail_hash));
    return buf;
}

SourceIdentity source_identity(const std::string& path) {
    SourceIdentity id;
    std::error_code ec;
    id.path = std::filesystem::absolute(path, ec).lexically_normal().string();
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw InputError("cannot read the network file", path);
    id.size = static_cast<std::uint64_t>(st.st_size);
    id.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError("cannot read the network file", path);
    std::string block(kHashBlock, '\0');
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    id.head_hash = fnv1a(block.data(), static_cast<std::size_t>(in.gcount()));
    in.clear();
    const std::uint64_t tail_start = id.size > kHashBlock ? id.size - kHashBlock : 0;
    in.seekg(static_cast<std::streamoff>(tail_start));
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    id.tail_hash = fnv1a(block.data(), static_cast<std::size_t>(in.gcount()));
    return id;
}

void save_cache(const Graph& g, const std::string& path, const SourceIdentity& source) {
    std::vector<PlainLonLat> shape(g.shape.size());
    for (std::size_t i = 0; i < shape.size(); ++i) shape[i] = {geo::lon(g.shape[i]), geo::lat(g.shape[i])};
    std::vector<std::uint64_t> string_offsets{0};
    std::string string_bytes;
    for (const auto& s : g.strings) {
        string_bytes += s;
        string_offsets.push_back(string_bytes.size());
    }
    const std::vector<char> source_text(g.source.begin(), g.source.end());
    const std::vector<char> strings(string_bytes.begin(), string_bytes.end());
    const std::vector<SectionData> sections = {
        section(kNodeLon, g.node_lon),
        section(kNodeLat, g.node_lat),
        section(kFirstOut, g.first_out),
        section(kHead, g.head),
        section(kTimeDs, g.time_ds),
        section(kLengthDm, g.length_dm),
        section(kSpeedKmh, g.speed_kmh),
        section(kEdgeRestriction, g.edge_restriction),
        section(kEdgeSegment, g.edge_segment),
        section(kFirstIn, g.first_in),
        section(kInEdge, g.in_edge),
        section(kSegments, g.segments),
        section(kShape, shape),
        section(kRestrictions, g.restrictions),
        section(kForbiddenTurns, g.forbidden_turns),
        section(kEdgeTurnFlag, g.edge_turn_flag),
        section(kStringOffsets, string_offsets),
        section(kStringBytes, strings),
        section(kSource, source_text),
    };
    Out o;
    o.bytes.append(kMagic, sizeof kMagic);
    o.put(kGraphCacheVersion);
    o.put(kEndian);
    o.put(layout_hash());
    o.put(kBuilderVersion);
    o.put(static_cast<std::uint8_t>(g.kind));
    o.put(static_cast<std::uint8_t>(source.path.empty() ? 0 : 1));
    o.put(std::uint16_t{0});
    o.put(static_cast<std::uint32_t>(sections.size()));
    o.put_text(source.path);
    o.put(source.size);
    o.put(source.mtime_ns);
    o.put(source.head_hash);
    o.put(source.tail_hash);
    // The table, then the data at the offsets it names.
    std::uint64_t offset = o.bytes.size() + sections.size() * (2 * sizeof(std::uint32_t) + 2 * sizeof(std::uint64_t));
    auto align = [](std::uint64_t v) { return (v + 7) & ~std::uint64_t{7}; };
    offset = align(offset);
    for (const auto& sd : sections) {
        o.put(sd.id);
        o.put(sd.elem_size);
        o.put(sd.count);
        o.put(offset);
        offset = align(offset + sd.count * sd.elem_size);
    }
    for (const auto& sd : sections) {
        o.bytes.resize(align(o.bytes.size()), '\0');
        o.bytes.append(static_cast<const char*>(sd.data), static_cast<std::size_t>(sd.count * sd.elem_size));
    }
    o.bytes.resize(align(o.bytes.size()), '\0');
    o.bytes.append(kMagic, sizeof kMagic);
    io::write_file_atomic(path, o.bytes);
}

Graph load_cache_bytes(std::string_view bytes, const std::string& where, const SourceIdentity* expected) {
    In in(bytes, where);
    char magic[8];
    for (char& c : magic) c = in.get<char>("magic");
    if (std::memcmp(magic, kMagic, sizeof kMagic) != 0) in.fail("not a graph cache (bad magic)");
    const auto version = in.get<std::uint32_t>("version");
    if (version != kGraphCacheVersion)
        in.fail("format version " + std::to_string(version) + "; this program reads version " +
                std::to_string(kGraphCacheVersion) + " (the graph is built again)");
    if (in.get<std::uint32_t>("endianness") != kEndian) in.fail("written on a machine of other byte order");
    if (in.get<std::uint64_t>("layout hash") != layout_hash()) in.fail("written by a build with other record layouts");
    if (const auto b = in.get<std::uint32_t>("builder version"); b != kBuilderVersion)
        in.fail("written by graph builder " + std::to_string(b) + "; this is builder " +
                std::to_string(kBuilderVersion));
    const auto kind = in.get<std::uint8_t>("kind");
    if (kind > 1) in.fail("unknown network kind " + std::to_string(kind));
    const auto has_source = in.get<std::uint8_t>("source flag");
    in.get<std::uint16_t>("padding");
    const auto n_sections = in.get<std::uint32_t>("section count");
    if (n_sections > 1000) in.fail("implausible section count " + std::to_string(n_sections));
    SourceIdentity stored;
    stored.path = in.text("source path", 1 << 16);
    stored.size = in.get<std::uint64_t>("source size");
    stored.mtime_ns = in.get<std::int64_t>("source time");
    stored.head_hash = in.get<std::uint64_t>("source hash");
    stored.tail_hash = in.get<std::uint64_t>("source hash");
    if (expected) {
        if (!has_source) in.fail("holds no source identity");
        if (!(stored == *expected))
            in.fail("made from another source (" + stored.path + ", " + stored.describe() + "; the file is now " +
                    expected->describe() + ")");
    }
    if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data() + bytes.size() - sizeof kMagic, kMagic, 8) != 0)
        in.fail("truncated (no end marker)");
    const std::uint64_t data_end = bytes.size() - sizeof kMagic;
    std::vector<TableEntry> table(n_sections);
    for (auto& e : table) {
        e.id = in.get<std::uint32_t>("section id");
        e.elem_size = in.get<std::uint32_t>("section element size");
        e.count = in.get<std::uint64_t>("section count");
        e.offset = in.get<std::uint64_t>("section offset");
        if (e.elem_size == 0 || e.elem_size > 4096) in.fail("section " + std::to_string(e.id) + ": bad element size");
        // Overflow-safe: count * elem_size <= data_end - offset.
        if (e.offset > data_end || e.count > (data_end - e.offset) / e.elem_size)
            in.fail("section " + std::to_string(e.id) + " lies outside the file");
    }
    auto find = [&](std::uint32_t id) -> const TableEntry* {
        for (const auto& e : table)
            if (e.id == id) return &e;
        return nullptr;
    };
    Graph g;
    g.kind = kind == 1 ? NetworkKind::Rail : NetworkKind::Road;
    read_section(bytes, find(kNodeLon), g.node_lon, in, "node_lon");
    read_section(bytes, find(kNodeLat), g.node_lat, in, "node_lat");
    read_section(bytes, find(kFirstOut), g.first_out, in, "first_out");
    read_section(bytes, find(kHead), g.head, in, "head");
    read_section(bytes, find(kTimeDs), g.time_ds, in, "time_ds");
    read_section(bytes, find(kLengthDm), g.length_dm, in, "length_dm");
    read_section(bytes, find(kSpeedKmh), g.speed_kmh, in, "speed_kmh");
    read_section(bytes, find(kEdgeRestriction), g.edge_restriction, in, "edge_restriction");
    read_section(bytes, find(kEdgeSegment), g.edge_segment, in, "edge_segment");
    read_section(bytes, find(kFirstIn), g.first_in, in, "first_in");
    read_section(bytes, find(kInEdge), g.in_edge, in, "in_edge");
    read_section(bytes, find(kSegments), g.segments, in, "segments");
    std::vector<PlainLonLat> shape;
    read_section(bytes, find(kShape), shape, in, "shape");
    g.shape.reserve(shape.size());
    for (const auto& p : shape) g.shape.push_back(geo::lonlat(p.lon, p.lat));
    // Restriction holds bools: a byte other than 0 or 1 must never be read as one.
    if (const auto* e = find(kRestrictions); e && e->elem_size == sizeof(Restriction))
        for (std::uint64_t i = 0; i < e->count; ++i) {
            const char* r = bytes.data() + e->offset + i * sizeof(Restriction);
            for (std::size_t off : {offsetof(Restriction, bridge), offsetof(Restriction, tunnel)})
                if (static_cast<unsigned char>(r[off]) > 1)
                    in.fail("restriction " + std::to_string(i) + " has a flag that is neither 0 nor 1");
        }
    read_section(bytes, find(kRestrictions), g.restrictions, in, "restrictions");
    read_section(bytes, find(kForbiddenTurns), g.forbidden_turns, in, "forbidden_turns");
    read_section(bytes, find(kEdgeTurnFlag), g.edge_turn_flag, in, "edge_turn_flag");
    std::vector<std::uint64_t> offsets;
    std::vector<char> text, source;
    read_section(bytes, find(kStringOffsets), offsets, in, "string_offsets");
    read_section(bytes, find(kStringBytes), text, in, "string_bytes");
    read_section(bytes, find(kSource), source, in, "source");
    if (offsets.empty() || offsets.front() != 0 || offsets.back() != text.size())
        in.fail("string table offsets do not cover the string bytes");
    g.strings.reserve(offsets.size() - 1);
    for (std::size_t i = 0; i + 1 < offsets.size(); ++i) {
        if (offsets[i + 1] < offsets[i] || offsets[i + 1] > text.size())
            in.fail("string table offsets are not increasing within the string bytes");
        g.strings.emplace_back(text.data() + offsets[i], static_cast<std::size_t>(offsets[i + 1] - offsets[i]));
    }
    g.source.assign(source.begin(), source.end());
    if (const std::string why = validate_graph(g); !why.empty()) in.fail("inconsistent graph: " + why);
    return g;
}

Graph load_cache(const std::string& path, const SourceIdentity* expected) {
    std::ifstream is(path, std::ios::binary);
    if (!is) throw InputError("cannot open graph cache", path);
    std::ostringstream ss;
    ss << is.rdbuf();
    if (!is && !is.eof()) throw InputError("cannot read graph cache", path);
    return load_cache_bytes(ss.str(), path, expected);
}

std::optional<SourceIdentity> cached_source(const std::string& path) {
    try {
        std::ifstream is(path, std::ios::binary);
        std::string head(4096, '\0');
        is.read(head.data(), static_cast<std::streamsize>(head.size()));
        head.resize(static_cast<std::size_t>(is.gcount()));
        In in(head, path);
        for (int i = 0; i < 8; ++i) in.get<char>("magic");
        for (const char* f : {"version", "endianness"}) in.get<std::uint32_t>(f);
        in.get<std::uint64_t>("layout");
        in.get<std::uint32_t>("builder");
        in.get<std::uint8_t>("kind");
        if (!in.get<std::uint8_t>("source flag")) return std::nullopt;
        in.get<std::uint16_t>("padding");
        in.get<std::uint32_t>("sections");
        SourceIdentity s;
        s.path = in.text("source path", 1 << 16);
        s.size = in.get<std::uint64_t>("size");
        s.mtime_ns = in.get<std::int64_t>("mtime");
        s.head_hash = in.get<std::uint64_t>("hash");
        s.tail_hash = in.get<std::uint64_t>("hash");
        return s;
    } catch (const Error&) {
        return std::nullopt;
    }
}

std::string validate_graph(const Graph& g) {
    const std::size_t n = g.node_lon.size(), m = g.head.size(), S = g.segments.size(), R = g.restrictions.size(),
                      T = g.strings.size(), P = g.shape.size();
    if (n >= kNone || m >= kNone || S >= 0x7fffffffu) return "too many nodes, edges or segments";
    if (g.node_lat.size() != n)
        return "node_lat has " + std::to_string(g.node_lat.size()) + " entries for " + std::to_string(n) + " nodes";
    for (std::size_t v = 0; v < n; ++v)
        if (!lonlat_ok(g.node_lon[v], g.node_lat[v])) return "node " + std::to_string(v) + " is not a lon/lat";
    auto check_offsets = [&](const std::vector<std::uint32_t>& first, std::size_t total, const char* name) {
        if (first.size() != n + 1) return std::string(name) + " has the wrong size";
        if (first.front() != 0 || first.back() != total) return std::string(name) + " does not cover its array";
        for (std::size_t v = 0; v < n; ++v)
            if (first[v + 1] < first[v]) return std::string(name) + " decreases at node " + std::to_string(v);
        return std::string();
    };
    if (auto why = check_offsets(g.first_out, m, "first_out"); !why.empty()) return why;
    if (auto why = check_offsets(g.first_in, g.in_edge.size(), "first_in"); !why.empty()) return why;
    if (g.in_edge.size() != m) return "in_edge does not hold every edge once";
    for (const auto* a : {&g.time_ds, &g.length_dm, &g.edge_restriction, &g.edge_segment})
        if (a->size() != m) return "an edge array has the wrong size";
    if (g.speed_kmh.size() != m) return "speed_kmh has the wrong size";
    if (g.edge_turn_flag.size() != m && !g.edge_turn_flag.empty()) return "edge_turn_flag has the wrong size";
    for (std::size_t s = 0; s < S; ++s) {
        const Segment& sg = g.segments[s];
        if (sg.from >= n || sg.to >= n) return "segment " + std::to_string(s) + " has a node out of range";
        if (sg.shape_first > P || sg.shape_count > P - sg.shape_first)
            return "segment " + std::to_string(s) + " has its shape out of range";
        if (!index_ok(sg.restriction, R)) return "segment " + std::to_string(s) + " has a restriction out of range";
        if (!index_ok(sg.name, T) || !index_ok(sg.ref, T) || !index_ok(sg.source_id, T))
            return "segment " + std::to_string(s) + " has a string out of range";
        if (!std::isfinite(sg.length_m) || sg.length_m < 0) return "segment " + std::to_string(s) + " has a bad length";
        if (static_cast<std::uint8_t>(sg.road_class) > static_cast<std::uint8_t>(RoadClass::Rail))
            return "segment " + std::to_string(s) + " has an unknown road class";
    }
    for (std::size_t i = 0; i < P; ++i)
        if (!lonlat_ok(geo::lon(g.shape[i]), geo::lat(g.shape[i])))
            return "shape vertex " + std::to_string(i) + " is not a lon/lat";
    for (std::size_t r = 0; r < R; ++r) {
        const Restriction& x = g.restrictions[r];
        if (!index_ok(x.structure_name, T) || !index_ok(x.ref, T))
            return "restriction " + std::to_string(r) + " has a string out of range";
        for (float f : {x.mlc_wheeled, x.mlc_tracked, x.maxweight_t, x.maxaxleload_t, x.maxheight_m, x.maxwidth_m,
                        x.maxlength_m, x.km})
            if (!std::isfinite(f)) return "restriction " + std::to_string(r) + " has a limit that is not finite";
    }
    for (std::size_t v = 0; v < n; ++v) {
        for (std::uint32_t e = g.first_out[v]; e < g.first_out[v + 1]; ++e) {
            if (g.head[e] >= n) return "edge " + std::to_string(e) + " leads to a node out of range";
            if (!index_ok(g.edge_restriction[e], R))
                return "edge " + std::to_string(e) + " has a restriction out of range";
            const std::uint32_t s = g.edge_segment[e] & 0x7fffffffu;
            if (s >= S) return "edge " + std::to_string(e) + " has a segment out of range";
            const bool rev = (g.edge_segment[e] & 0x80000000u) != 0;
            const Segment& sg = g.segments[s];
            if ((rev ? sg.to : sg.from) != v || (rev ? sg.from : sg.to) != g.head[e])
                return "edge " + std::to_string(e) + " does not run along its segment";
            if (g.time_ds[e] > kMaxTimeDs || g.length_dm[e] > kMaxLengthDm)
                return "edge " + std::to_string(e) + " has an implausible cost";
        }
        for (std::uint32_t k = g.first_in[v]; k < g.first_in[v + 1]; ++k)
            if (g.in_edge[k] >= m || g.head[g.in_edge[k]] != v)
                return "in_edge " + std::to_string(k) + " does not enter node " + std::to_string(v);
    }
    for (std::size_t i = 0; i < g.forbidden_turns.size(); ++i) {
        const auto& t = g.forbidden_turns[i];
        if (t.from_edge >= m || t.to_edge >= m)
            return "forbidden turn " + std::to_string(i) + " names an edge out of range";
        if (i > 0 && !(g.forbidden_turns[i - 1] < t)) return "forbidden turns are not sorted";
        if (!g.edge_turn_flag.empty() && !g.edge_turn_flag[t.from_edge])
            return "forbidden turn " + std::to_string(i) + " is not flagged on its edge";
    }
    return {};
}

}  // namespace mp::network
