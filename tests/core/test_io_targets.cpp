// SPDX-License-Identifier: MIT
// Where writes go (hardening issue, item 2 and 12): temp-then-rename for regular files
// only; FIFOs, terminals and character devices written through, never replaced; folders
// and block devices refused; an existing GeoPackage keeps its other layers.
#include <fcntl.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>

#include "mp/core/error.hpp"
#include "mp/io/ogr_io.hpp"
#include "test_support.hpp"

using namespace mp;
using mp::test::TempDir;
namespace fs = std::filesystem;

namespace {

layer::Layer points(const std::string& name, int n) {
    layer::Layer l;
    l.name = name;
    l.source_crs = "EPSG:4326";
    for (int i = 0; i < n; ++i) {
        layer::Feature f;
        f.id = name + std::to_string(i);
        f.geometry = geo::lonlat(4 + 0.01 * i, 51);
        f.attributes.set("n", std::int64_t{i});
        l.features.push_back(std::move(f));
    }
    return l;
}

std::vector<std::string> gpkg_layers(const std::string& path) {
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    std::vector<std::string> out;
    for (int i = 0; i < ds->GetLayerCount(); ++i)
        out.push_back(std::string(ds->GetLayer(i)->GetName()) + ":" +
                      std::to_string(ds->GetLayer(i)->GetFeatureCount()));
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("A FIFO is written through and stays a FIFO", "[io][targets]") {
    TempDir dir;
    const std::string fifo = dir.file("pipe");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::string got;
    std::thread reader([&] { got = test::read_text(fifo); });
    io::write_file_atomic(fifo, "through the pipe\n");
    reader.join();
    CHECK(got == "through the pipe\n");
    struct stat st {};
    REQUIRE(::stat(fifo.c_str(), &st) == 0);
    CHECK(S_ISFIFO(st.st_mode));
    // Layers too: GDAL writes in memory, the bytes go through.
    std::thread reader2([&] { got = test::read_text(fifo); });
    io::write_layer(points("p", 2), fifo, io::Format::GeoJson);
    reader2.join();
    CHECK(got.find("\"FeatureCollection\"") != std::string::npos);
    REQUIRE(::stat(fifo.c_str(), &st) == 0);
    CHECK(S_ISFIFO(st.st_mode));
}

TEST_CASE("A character device is written through: /dev/null stays, /dev/full is an error", "[io][targets]") {
    io::write_file_atomic("/dev/null", "discarded");
    struct stat st {};
    REQUIRE(::stat("/dev/null", &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
    if (::access("/dev/full", W_OK) == 0) {
        try {
            io::write_file_atomic("/dev/full", std::string(100000, 'x'));
            FAIL("a write to /dev/full succeeded");
        } catch (const Error& e) {
            CHECK(std::string(e.what()).find("No space left on device") != std::string::npos);
            CHECK(e.where() == "/dev/full");
        }
        REQUIRE(::stat("/dev/full", &st) == 0);
        CHECK(S_ISCHR(st.st_mode));
    }
}

TEST_CASE("A folder is refused, a name without extension is a file, a link keeps pointing", "[io][targets]") {
    TempDir dir;
    CHECK_THROWS_AS(io::write_file_atomic(dir.path().string(), "x"), InputError);
    const std::string noext = dir.file("noext");
    io::write_layer(points("p", 3), noext, io::Format::Csv);
    CHECK(fs::is_regular_file(noext));  // GDAL's CSV driver would have made a folder
    CHECK(test::read_text(noext).rfind("WKT,", 0) == 0);
    // Through a symbolic link: the file it names is replaced, the link stays.
    const std::string real = dir.file("real.txt"), link = dir.file("link.txt");
    test::write_text(real, "old");
    fs::create_symlink(real, link);
    io::write_file_atomic(link, "new");
    CHECK(fs::is_symlink(link));
    CHECK(test::read_text(real) == "new");
    // Permissions: an existing file keeps its own, a private one is 0600.
    fs::permissions(real, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
    io::write_file_atomic(real, "again");
    CHECK((fs::status(real).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
    const std::string secret = dir.file("secret.json");
    io::write_file_atomic(secret, "{}", 0600);
    CHECK((fs::status(secret).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
    // Nothing temporary is left beside the outputs.
    for (const auto& e : fs::directory_iterator(dir.path())) CHECK(e.path().filename().string().rfind(".", 0) != 0);
}

TEST_CASE("Writing a layer into an existing GeoPackage replaces that layer and keeps the others", "[io][gpkg]") {
    TempDir dir;
    const std::string gpkg = dir.file("plan.gpkg");
    const auto a = points("a", 2), b = points("b", 3);
    io::write_layers({&a, &b}, gpkg, io::Format::GeoPackage);
    CHECK(gpkg_layers(gpkg) == std::vector<std::string>{"a:2", "b:3"});
    const auto b2 = points("b", 5), c = points("c", 1);
    io::write_layer(b2, gpkg, io::Format::GeoPackage);
    io::write_layer(c, gpkg, io::Format::GeoPackage);
    CHECK(gpkg_layers(gpkg) == std::vector<std::string>{"a:2", "b:5", "c:1"});
    // A file that is not a GeoPackage is not overwritten by a GeoPackage export.
    const std::string text = dir.file("notes.gpkg");
    test::write_text(text, "not a database");
    CHECK_THROWS_AS(io::write_layer(c, text, io::Format::GeoPackage), InputError);
    CHECK(test::read_text(text) == "not a database");
}

TEST_CASE("An error GDAL reports while reading fails the read, naming the source", "[io][errors]") {
    TempDir dir;
    const std::string bad_crs = dir.file("badcrs.geojson");
    test::write_text(bad_crs, R"({"type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::999999"}},
        "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [4.4, 51.2]}}]})");
    try {
        io::read_source(bad_crs);
        FAIL("an unresolvable crs was taken as WGS84");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("crs not found") != std::string::npos);
        CHECK(e.where() == bad_crs);
    }
}

TEST_CASE("A truncated OSM extract fails the read instead of loading part of it", "[io][errors][data]") {
    const std::string pbf = test::shared_data("antwerp_2014.osm.pbf");
    TempDir dir;
    const std::string cut = dir.file("cut.osm.pbf");
    test::write_text(cut, test::read_text(pbf).substr(0, 200000));
    try {
        io::read_source(cut);
        FAIL("a truncated extract loaded");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("read failed after") != std::string::npos);
        CHECK(std::string(e.what()).find("truncated") != std::string::npos);
        CHECK(e.where() == cut);
    }
}

TEST_CASE("A SIGTERM in the middle of an atomic write leaves no temporary file behind", "[io][targets][signals]") {
    TempDir dir;
    const std::string target = dir.file("big.geojson");
    // A child writes 256 MB (with fsync): long enough to be killed while the hidden
    // temporary file exists. It installs the handlers the CLI and the GUI install.
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        io::remove_temps_on_signals();
        try {
            io::write_file_atomic(target, std::string(256u << 20, 'x'));
        } catch (...) {
        }
        ::_exit(0);
    }
    const auto temps = [&] {
        std::vector<std::string> out;
        for (const auto& e : fs::directory_iterator(dir.path()))
            if (e.path().filename().string().find(".tmp") != std::string::npos)
                out.push_back(e.path().filename().string());
        return out;
    };
    bool seen = false;
    for (int i = 0; i < 20000 && !seen; ++i) {
        seen = !temps().empty();
        if (!seen) std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    ::kill(child, SIGTERM);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    INFO("the temporary file was " << (seen ? "" : "never ") << "seen before the signal");
    REQUIRE(seen);
    // Killed by the signal, as without the handler: the exit status still tells.
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGTERM);
    CHECK(temps().empty());
    CHECK_FALSE(fs::exists(target));
}
