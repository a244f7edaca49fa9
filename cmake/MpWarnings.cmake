# SPDX-License-Identifier: MIT
# mp_set_warnings(TARGET): the project's warning set, errors when MP_WERROR is on,
# and the sanitizers named in MP_SANITIZE.
function(mp_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  # GCC 12 reports false -Wrestrict/-Wstringop-overflow in libstdc++'s std::string at -O2
  # (GCC bugs 105329, 105651); silence them so real warnings stand out.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict -Wno-stringop-overflow)
  endif()
  if(MP_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(MP_SANITIZE)
    string(REPLACE ";" "," _san "${MP_SANITIZE}")
    target_compile_options(${target} PRIVATE -fsanitize=${_san} -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=${_san})
    # A sanitizer finding fails the run (UBSan would otherwise print and go on).
    target_compile_options(${target} PRIVATE -fno-sanitize-recover=all)
  endif()
  if(MP_FUZZ)
    # Coverage feedback for libFuzzer in every library the fuzz targets call.
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endfunction()
