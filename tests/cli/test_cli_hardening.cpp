// SPDX-License-Identifier: MIT
// Issue #10 item 14 (and the data-source part of item 11): the CLI's smaller holes, each
// run as a user runs it.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "mp/core/utf8.hpp"
#include "cli_support.hpp"
#include "test_support.hpp"

namespace {
using Run = mp::test::CliRun;

Run run(const std::string& args) { return mp::test::run_enablement(args); }

const std::string kGood = " --plugin-dir " + std::string(MP_TEST_PLUGIN_DIR) + "/good";
const std::string kBad = " --plugin-dir " + std::string(MP_TEST_PLUGIN_DIR) + "/bad";

// One point site in a GeoJSON FeatureCollection; props is the JSON text of its
// properties (raw bytes allowed: the file is written byte for byte).
std::string site_geojson(const std::string& props, double x = 4.40, double y = 51.22) {
    return R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":)" + props +
           R"(,"geometry":{"type":"Point","coordinates":[)" + std::to_string(x) + "," + std::to_string(y) + "]}}]}";
}
}  // namespace

TEST_CASE("cli: an in-process run that times out is reported as timed out (exit 4), not as cancelled (130)",
          "[cli][plugins][hardening]") {
    // The plugin honours the cancel request the timeout sends: before the fix its
    // "cancelled" answer became the outcome, exit 130 as for Ctrl-C.
    const auto r = run("run slow" + kBad + " --in-process --timeout 0.5 --no-default-data");
    INFO(r.err);
    CHECK(r.code == 4);
    CHECK(r.err.find("timed out after 0.5") != std::string::npos);
    CHECK(r.err.find("cancelled") == std::string::npos);
}

TEST_CASE("cli: an in-process plugin that calls exit(0) during its run is a plugin failure, not a silent success",
          "[cli][plugins][hardening]") {
    const auto r = run("run exits" + kBad + " --in-process --no-default-data");
    INFO(r.err);
    CHECK(r.code == 4);
    CHECK(r.err.find("plugin 'exits' called exit() during its run") != std::string::npos);
    // Isolated (its default as a third-party plugin), the host contains it as before.
    const auto iso = run("run exits" + kBad + " --no-default-data");
    CHECK(iso.code == 4);
}

TEST_CASE("cli: route --start must be a real UTC time: no 30 February, no 25:61 (exit 2, names the value)",
          "[cli][route][hardening]") {
    for (const char* bad :
         {"2026-02-30T25:61Z", "2026-02-29T06:00Z", "2026-13-01T06:00Z", "2026-01-01T24:00Z", "2026-01-01T06:60Z",
          "2026-01-01T06:00:61Z", "2026-1-1T6:00Z", "tomorrow", "2026-01-01T06:00Zjunk"}) {
        INFO(bad);
        const auto r = run(std::string("route --from port-antwerp --to port-zeebrugge --vehicles 3 --start ") + bad);
        CHECK(r.code == 2);
        CHECK(r.err.find(std::string("'") + bad + "'") != std::string::npos);
        CHECK(r.err.find("--start") != std::string::npos);
    }
    // A leap day in a leap year is a real day.
    const auto ok = run("route --from port-antwerp --to port-zeebrugge --vehicles 3 --start 2028-02-29T23:59:30Z");
    INFO(ok.err);
    CHECK(ok.code == 0);
    CHECK(ok.out.find("2028-0") != std::string::npos);
}

TEST_CASE("cli: route --vehicles is 1..10000 and --alternatives 1..10, integers only (exit 2)",
          "[cli][route][hardening]") {
    for (const char* v : {"-10", "0", "1e9", "10001", "2.5", "lots", "nan"}) {
        INFO("--vehicles " << v);
        const auto r = run(std::string("route --from port-antwerp --to port-zeebrugge --vehicles ") + v);
        CHECK(r.code == 2);
        CHECK(r.err.find("--vehicles") != std::string::npos);
    }
    for (const char* v : {"-1", "0", "11", "1e9", "1.5"}) {
        INFO("--alternatives " << v);
        const auto r = run(std::string("route --from port-antwerp --to port-zeebrugge --alternatives ") + v);
        CHECK(r.code == 2);
        CHECK(r.err.find("--alternatives") != std::string::npos);
    }
}

TEST_CASE("cli: a parameter given twice with -p is refused, naming the key (exit 2)", "[cli][plugins][hardening]") {
    const auto r = run("run echo" + kGood + " -p site=port-antwerp -p count=2 -p count=3");
    CHECK(r.code == 2);
    CHECK(r.err.find("parameter 'count' given twice") != std::string::npos);
    // Once each is fine, and -p still overrides a --params file.
    mp::test::TempDir dir;
    mp::test::write_text(dir.file("p.json"), R"({"site": "port-antwerp", "count": 2})");
    const auto ok =
        run("run echo" + kGood + " --params " + dir.file("p.json") + " -p count=3 --out " + dir.file("o.geojson"));
    INFO(ok.err);
    CHECK(ok.code == 0);
}

TEST_CASE("cli: sites and info print names with terminal escape sequences escaped", "[cli][hardening]") {
    mp::test::TempDir dir;
    // OSC 0 (set the window title), CSI (red), a carriage return, the one-byte CSI U+009B.
    const std::string name = "Evil\\u001b]0;pwned\\u0007 \\u001b[31mRed\\r Over\\u009b2J";
    mp::test::write_text(dir.file("evil.geojson"),
                         site_geojson(R"({"id":"evil-port","kind":"port","name_en":")" + name + R"("})"));
    const std::string data = " --no-default-data --data " + dir.file("evil.geojson");
    for (const std::string& cmd : {"sites" + data, "info evil-port" + data, "layers" + data}) {
        INFO(cmd);
        const auto r = run(cmd);
        REQUIRE(r.code == 0);
        CHECK(r.out.find('\x1b') == std::string::npos);
        CHECK(r.out.find('\x07') == std::string::npos);
        CHECK(r.out.find('\r') == std::string::npos);
        CHECK(r.out.find("\xc2\x9b") == std::string::npos);
        if (cmd.rfind("layers", 0) != 0) {
            CHECK(r.out.find("Evil\\x1b]0;pwned\\x07 \\x1b[31mRed\\x0d Over\\u009b2J") != std::string::npos);
        }
    }
    // GeoJSON output is data, not terminal text: it keeps the name exactly.
    const auto g = run("sites --format geojson" + data);
    REQUIRE(g.code == 0);
    CHECK(nlohmann::json::parse(g.out)["features"][0]["properties"]["name_en"] ==
          "Evil\x1b]0;pwned\x07 \x1b[31mRed\r Over\xc2\x9b"
          "2J");
}

TEST_CASE("cli: a GeoJSON in Belgium with longitude and latitude swapped loads with a warning naming the layer",
          "[cli][hardening]") {
    mp::test::TempDir dir;
    const std::string swapped = dir.file("swapped.geojson");
    mp::test::write_text(
        swapped,
        R"({"type":"FeatureCollection","features":[)"
        R"({"type":"Feature","properties":{"n":1},"geometry":{"type":"Point","coordinates":[50.85,4.35]}},)"
        R"({"type":"Feature","properties":{"n":2},"geometry":{"type":"LineString","coordinates":[[51.2,4.4],[50.6,5.6]]}}]})");
    const auto r = run("layers --no-default-data --data " + swapped);
    REQUIRE(r.code == 0);
    CHECK(r.err.find("warning: " + swapped + ": layer 'swapped'") != std::string::npos);
    CHECK(r.err.find("longitude and latitude swapped") != std::string::npos);
    // The same points the right way round: no warning.
    const std::string right = dir.file("right.geojson");
    mp::test::write_text(right, site_geojson(R"({"n":1})", 4.35, 50.85));
    const auto ok = run("layers --no-default-data --data " + right);
    REQUIRE(ok.code == 0);
    CHECK(ok.err.find("swapped") == std::string::npos);
}

TEST_CASE(
    "cli: invalid UTF-8 in a data source's values and field names is replaced, with a warning naming "
    "file and field",
    "[cli][hardening][utf8]") {
    mp::test::TempDir dir;
    const std::string file = dir.file("latin1.geojson");
    // "Li\xe8ge" is latin-1; so is the field name "r\xe9gion".
    mp::test::write_text(file, site_geojson("{\"id\":\"liege-port\",\"kind\":\"port\",\"name_en\":\"Li\xe8ge\","
                                            "\"r\xe9gion\":\"Wallonie\",\"ok\":\"caf\xc3\xa9\"}"));
    const auto out = dir.file("out.geojson");
    const auto r = run("export latin1 --out " + out + " --no-default-data --data " + file);
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.err.find("warning: " + file + ": layer 'latin1', field 'name_en': 1 value is not valid UTF-8") !=
          std::string::npos);
    CHECK(r.err.find("field name 'r\xef\xbf\xbdgion' is not valid UTF-8") != std::string::npos);
    CHECK(r.err.find("field 'ok'") == std::string::npos);  // valid UTF-8 is left alone
    const std::string text = mp::test::read_text(out);
    CHECK(mp::valid_utf8(text));
    const auto j = nlohmann::json::parse(text);
    CHECK(j["features"][0]["properties"]["name_en"] == "Li\xef\xbf\xbdge");
    CHECK(j["features"][0]["properties"]["ok"] == "caf\xc3\xa9");
    // sites --format geojson writes valid UTF-8 too.
    const auto s = run("sites --format geojson --no-default-data --data " + file);
    REQUIRE(s.code == 0);
    CHECK(mp::valid_utf8(s.out));
}

TEST_CASE("cli: a shapefile whose DBF is latin-1 without a .cpg loads as valid UTF-8, with a warning naming the field",
          "[cli][hardening][utf8]") {
    mp::test::TempDir dir;
    mp::test::write_text(dir.file("in.geojson"), site_geojson("{\"name\":\"Li\xc3\xa8ge\",\"r\xc3\xa9gion\":\"x\"}"));
    // GDAL writes the DBF in latin-1; without its .cpg (and with the DBF's language
    // driver byte 0, as many tools leave it) a reader gets the raw latin-1 bytes.
    const std::string cmd = "ogr2ogr -f 'ESRI Shapefile' -lco ENCODING=ISO-8859-1 " + dir.file("places.shp") + " " +
                            dir.file("in.geojson") + " 2>/dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
    std::filesystem::remove(dir.file("places.cpg"));
    {
        std::string dbf = mp::test::read_text(dir.file("places.dbf"));
        REQUIRE(dbf.size() > 32);
        dbf[29] = '\0';
        REQUIRE(dbf.find("Li\xe8ge") != std::string::npos);
        mp::test::write_text(dir.file("places.dbf"), dbf);
    }
    const auto out = dir.file("out.geojson");
    const auto r = run("export places --out " + out + " --no-default-data --data " + dir.file("places.shp"));
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.err.find(dir.file("places.shp") + ": layer 'places', field 'name': 1 value is not valid UTF-8") !=
          std::string::npos);
    CHECK(r.err.find("field name 'r\xef\xbf\xbdgion'") != std::string::npos);
    const std::string text = mp::test::read_text(out);
    CHECK(mp::valid_utf8(text));
    CHECK(nlohmann::json::parse(text)["features"][0]["properties"]["name"] == "Li\xef\xbf\xbdge");
}
