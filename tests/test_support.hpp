// SPDX-License-Identifier: MIT
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace mp::test {

/// Path of a file in ../shared/data; when the folder or file is absent, the test case
/// exits 77, which ctest reports as skipped (SKIP_RETURN_CODE), with the reason.
inline std::string shared_data(const std::string& name) {
    const std::filesystem::path p = std::filesystem::path(MP_SHARED_DATA_DIR) / name;
    if (!std::filesystem::exists(p)) {
        std::cout << "SKIPPED: reference data " << p << " is absent (../shared/data not beside the repo)\n";
        std::exit(77);
    }
    return p.string();
}

/// A fresh temporary folder for one test, removed at destruction.
class TempDir {
public:
    TempDir() {
        char tmpl[] = "/tmp/mp-test-XXXXXX";
        m_path = ::mkdtemp(tmpl);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return (m_path / name).string(); }
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

inline void write_text(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

inline std::string read_text(const std::string& path) {
    std::ifstream is(path, std::ios::binary);
    std::stringstream ss;
    ss << is.rdbuf();
    return ss.str();
}

}  // namespace mp::test
