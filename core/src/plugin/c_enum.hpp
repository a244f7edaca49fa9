// SPDX-License-Identifier: MIT
#pragma once

#include <cstring>

namespace mp::plugin::detail {

/// The integer a plugin put in a C enum (a parameter or a struct field). A plugin may
/// pass any int there; loading it as the C++ enum type would be undefined behaviour for
/// values outside the enumerators (UBSan: "not a valid value for type"), so the bytes
/// are copied and compared as an int.
template <class E>
int raw_enum(const E& e) {
    static_assert(sizeof(E) == sizeof(int), "C enums of the ABI are int-sized");
    int v;
    std::memcpy(&v, &e, sizeof v);
    return v;
}

}  // namespace mp::plugin::detail
