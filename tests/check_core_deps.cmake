# SPDX-License-Identifier: MIT
# Fails when a core source includes ImGui, GLFW or OpenGL headers, or core/CMakeLists.txt
# links any of them.
file(GLOB_RECURSE files ${SOURCE_DIR}/core/*.hpp ${SOURCE_DIR}/core/*.cpp ${SOURCE_DIR}/core/*.h ${SOURCE_DIR}/core/CMakeLists.txt)
set(bad "")
foreach(f IN LISTS files)
  file(STRINGS ${f} lines REGEX "(#include *[<\"](imgui|GLFW|GL/|glad|epoxy))|((glfw|imgui|OpenGL::)[A-Za-z0-9_]*)")
  if(lines)
    list(APPEND bad "${f}: ${lines}")
  endif()
endforeach()
list(LENGTH files n)
if(bad)
  message(FATAL_ERROR "core depends on the GUI stack:\n${bad}")
endif()
message(STATUS "checked ${n} core files: no GUI dependency")
