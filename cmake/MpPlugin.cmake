# SPDX-License-Identifier: MIT
# mp_add_plugin(NAME SOURCES...): a plugin as a MODULE library with no "lib" prefix and
# hidden visibility (only mp_plugin_entry is exported), written to build/plugins/ (the
# built-in folder the host searches) and installed to lib/enablement/plugins.
# Built-in plugins link the public SDK; those that need the geodata toolkit also link
# mp::core, exactly as a planner's plugin can through the installed SDK package.
function(mp_add_plugin name)
  cmake_parse_arguments(P "" "" "SOURCES;LIBS" ${ARGN})
  add_library(${name} MODULE ${P_SOURCES})
  target_link_libraries(${name} PRIVATE mp::plugin_sdk ${P_LIBS})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/plugins)
  mp_set_warnings(${name})
  install(TARGETS ${name} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/enablement/plugins)
endfunction()
