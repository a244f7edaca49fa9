// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace mp {

/// Whether text is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at
/// most U+10FFFF).
bool valid_utf8(std::string_view text) noexcept;

/// The text with each ill-formed UTF-8 sequence (a bad lead byte and the continuation
/// bytes after it) replaced by one U+FFFD; well-formed text is returned unchanged.
std::string sanitize_utf8(std::string_view text);

}  // namespace mp
