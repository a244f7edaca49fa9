// SPDX-License-Identifier: MIT
// libFuzzer target: a deployment file of hns-capacity 2 (docs/hns-deployment.md) is
// untrusted input. read_deployment, against the real site catalogue, must return a
// deployment or throw hns::DeploymentError; anything else (another exception, a crash,
// a sanitizer report) is a bug. What it returns must hold together: every serial on a
// lift, every time printable and read back to the same second.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "deployment.hpp"

namespace {

const hns::SiteKinds& catalogue() {
    static const hns::SiteKinds kinds = [] {
        hns::SiteKinds k;
        std::ifstream in(MP_SOURCE_DIR "/data/sites.geojson");
        const auto j = nlohmann::json::parse(in);
        for (const auto& f : j.at("features"))
            k[f.at("properties").at("id").get<std::string>()] = f.at("properties").at("kind").get<std::string>();
        return k;
    }();
    return kinds;
}

void round_trip(hns::Time t) {
    if (hns::parse_iso8601(hns::format_iso8601(t)) != t) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    hns::Deployment d;
    try {
        d = hns::read_deployment(std::string(reinterpret_cast<const char*>(data), size), catalogue());
    } catch (const hns::DeploymentError&) {
        return 0;
    }
    round_trip(d.start);
    for (const auto& s : d.serials) {
        round_trip(s.rdd);
        bool carried = false;
        for (const auto& l : d.lift)
            for (const auto& id : l.serials) carried |= id == s.id;
        if (!carried) std::abort();
    }
    for (const auto& l : d.lift) {
        round_trip(l.eta);
        if (l.eta < d.start || l.eta >= d.end()) std::abort();
    }
    return 0;
}
