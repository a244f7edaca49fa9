# SPDX-License-Identifier: MIT
# mp_set_warnings(TARGET): the project's warning set, errors when MP_WERROR is on,
# and the sanitizers named in MP_SANITIZE.
function(mp_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  if(MP_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(MP_SANITIZE)
    string(REPLACE ";" "," _san "${MP_SANITIZE}")
    target_compile_options(${target} PRIVATE -fsanitize=${_san} -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=${_san})
  endif()
endfunction()
