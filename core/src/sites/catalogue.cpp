// SPDX-License-Identifier: MIT
#include "mp/sites/catalogue.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace mp::sites {

namespace {
struct KindName {
    SiteKind kind;
    std::string_view name;
};
constexpr KindName kKinds[] = {
    {SiteKind::Port, "port"},
    {SiteKind::Airbase, "airbase"},
    {SiteKind::RailTerminal, "rail_terminal"},
    {SiteKind::TrainingArea, "training_area"},
    {SiteKind::BorderCrossing, "border_crossing"},
    {SiteKind::StagingArea, "staging_area"},
};

// Latin-1 supplement (U+00C0..U+00FF) folded to ASCII, for accent-insensitive look-up.
constexpr const char* kLatin1Fold[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e",  "e",  "e", "e", "i", "i", "i", "i", "d",  "n", "o",  "o", "o", "o",
    "o", "x", "o", "u", "u", "u", "u",  "y", "th", "ss", "a", "a", "a", "a", "a", "a", "ae", "c", "e",  "e", "e", "e",
    "i", "i", "i", "i", "d", "n", "o",  "o", "o",  "o",  "o", "",  "o", "u", "u", "u", "u",  "y", "th", "y"};

// Levenshtein distance for "did you mean" suggestions.
std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}
}  // namespace

std::string_view kind_name(SiteKind k) {
    for (const auto& kn : kKinds)
        if (kn.kind == k) return kn.name;
    return "unknown";
}

std::optional<SiteKind> parse_kind(std::string_view s) {
    std::string t(s);
    std::replace(t.begin(), t.end(), '-', '_');
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
    if (t == "airfield" || t == "airbases" || t == "airport") t = "airbase";
    for (const auto& kn : kKinds)
        if (t == kn.name || t == std::string(kn.name) + "s") return kn.kind;
    return std::nullopt;
}

const std::vector<SiteKind>& all_kinds() {
    static const std::vector<SiteKind> v = [] {
        std::vector<SiteKind> out;
        for (const auto& kn : kKinds) out.push_back(kn.kind);
        return out;
    }();
    return v;
}

geo::LonLat Site::anchor() const { return geo::representative_point(geometry); }

bool Site::is_estimate(std::string_view key) const {
    return std::find(estimates.begin(), estimates.end(), key) != estimates.end();
}

std::string normalise_name(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    auto push_space = [&] {
        if (!out.empty() && out.back() != ' ') out.push_back(' ');
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            if (std::isalnum(c)) out.push_back(static_cast<char>(std::tolower(c)));
            else if (c == '\'') continue;  // "Hauts-de-l'Eau" ~ "hauts de leau"
            else push_space();
        } else if ((c == 0xC3) && i + 1 < s.size()) {
            const auto d = static_cast<unsigned char>(s[i + 1]);
            // 0xC3 0x80..0xBF encodes U+00C0..U+00FF.
            if (d >= 0x80 && d <= 0xBF) out += kLatin1Fold[d - 0x80];
            ++i;
        } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80) {
            // typographic apostrophes and dashes (U+2010..U+2019)
            const auto e = static_cast<unsigned char>(s[i + 2]);
            if (e != 0x98 && e != 0x99) push_space();
            i += 2;
        } else {
            out.push_back(static_cast<char>(c));  // other scripts: keep bytes as they are
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

void Catalogue::add_layer(const layer::Layer& l) {
    for (const auto& f : l.features) {
        const std::string kind_text = f.attributes.text("kind");
        const auto kind = parse_kind(kind_text);
        if (!kind) continue;
        Site s;
        s.id = f.attributes.text("id", f.id);
        if (s.id.empty()) throw InputError("site without id", "layer '" + l.name + "'");
        if (std::holds_alternative<std::monostate>(f.geometry))
            throw InputError("site without geometry", "layer '" + l.name + "', site " + s.id);
        s.kind = *kind;
        s.name_en = f.attributes.text("name_en", f.attributes.text("name", s.id));
        s.name_nl = f.attributes.text("name_nl", s.name_en);
        s.name_fr = f.attributes.text("name_fr", s.name_en);
        s.geometry = f.geometry;
        s.attributes = f.attributes;
        s.source = f.attributes.text("source");
        std::stringstream ss(f.attributes.text("estimates"));
        for (std::string item; std::getline(ss, item, ',');) {
            item.erase(0, item.find_first_not_of(' '));
            item.erase(item.find_last_not_of(' ') + 1);
            if (!item.empty()) s.estimates.push_back(item);
        }
        if (by_id(s.id)) throw InputError("duplicate site id '" + s.id + "'", "layer '" + l.name + "'");
        m_by_id.emplace(s.id, m_sites.size());
        m_sites.push_back(std::move(s));
    }
}

void Catalogue::add(Site s) {
    if (by_id(s.id)) throw InputError("duplicate site id '" + s.id + "'");
    m_by_id.emplace(s.id, m_sites.size());
    m_sites.push_back(std::move(s));
}

std::vector<const Site*> Catalogue::of_kind(SiteKind k) const {
    std::vector<const Site*> out;
    for (const auto& s : m_sites)
        if (s.kind == k) out.push_back(&s);
    return out;
}

const Site* Catalogue::by_id(std::string_view id) const {
    const auto it = m_by_id.find(std::string(id));
    return it == m_by_id.end() ? nullptr : &m_sites[it->second];
}

Result<const Site*> Catalogue::find(std::string_view query) const {
    if (const Site* s = by_id(query)) return s;
    const std::string q = normalise_name(query);
    if (q.empty()) return Result<const Site*>::failure("empty site name");
    std::vector<const Site*> exact, prefix, contains;
    for (const auto& s : m_sites) {
        bool is_exact = false, is_prefix = false, is_contained = false;
        for (const auto* n : {&s.id, &s.name_en, &s.name_nl, &s.name_fr}) {
            const std::string nn = normalise_name(*n);
            if (nn == q) is_exact = true;
            else if (nn.rfind(q, 0) == 0) is_prefix = true;
            else if (nn.find(q) != std::string::npos) is_contained = true;
        }
        if (is_exact) exact.push_back(&s);
        else if (is_prefix) prefix.push_back(&s);
        else if (is_contained) contains.push_back(&s);
    }
    for (const auto* group : {&exact, &prefix, &contains}) {
        if (group->size() == 1) return group->front();
        if (group->size() > 1) {
            std::string list;
            for (std::size_t i = 0; i < group->size() && i < 8; ++i) list += (i ? ", " : "") + (*group)[i]->id;
            return Result<const Site*>::failure("site '" + std::string(query) + "' is ambiguous: " + list);
        }
    }
    // Nothing matched: suggest the closest ids and names.
    std::vector<std::pair<std::size_t, const Site*>> scored;
    for (const auto& s : m_sites) {
        std::size_t best = edit_distance(q, normalise_name(s.id));
        for (const auto* n : {&s.name_en, &s.name_nl, &s.name_fr})
            best = std::min(best, edit_distance(q, normalise_name(*n)));
        scored.emplace_back(best, &s);
    }
    std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string hint;
    for (std::size_t i = 0; i < scored.size() && i < 3; ++i) hint += (i ? ", " : "") + scored[i].second->id;
    return Result<const Site*>::failure("unknown site '" + std::string(query) + "'" +
                                        (hint.empty() ? std::string() : "; did you mean: " + hint + "?"));
}

}  // namespace mp::sites
