// SPDX-License-Identifier: MIT
// PNG screenshots in the GUI tests: load one (stb_image) and compare its pixels.
#pragma once

#include <stb_image.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <memory>
#include <string>

namespace mp::test {

struct Image {
    int w = 0, h = 0;
    std::unique_ptr<unsigned char, void (*)(void*)> px{nullptr, stbi_image_free};
    std::array<int, 3> at(int x, int y) const {
        const unsigned char* p = px.get() + (static_cast<std::size_t>(y) * w + x) * 3;
        return {p[0], p[1], p[2]};
    }
};

inline Image load_png(const std::string& path) {
    Image img;
    int n = 0;
    img.px.reset(stbi_load(path.c_str(), &img.w, &img.h, &n, 3));
    REQUIRE(img.px);
    return img;
}

/// Whether two colours differ by at most tol in every channel.
inline bool near(const std::array<int, 3>& c, const std::array<int, 3>& ref, int tol) {
    return std::abs(c[0] - ref[0]) <= tol && std::abs(c[1] - ref[1]) <= tol && std::abs(c[2] - ref[2]) <= tol;
}

}  // namespace mp::test
