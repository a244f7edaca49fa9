# SPDX-License-Identifier: MIT
# Installs the SDK as a CMake package. A plugin that needs only the C ABI does
#   find_package(EnablementSDK REQUIRED)
#   enablement_add_plugin(my_plugin my_plugin.cpp)        # links Enablement::plugin_sdk
# and one that uses the geodata toolkit (layers, CRS, geodesy, GDAL I/O) does
#   find_package(EnablementSDK REQUIRED COMPONENTS core)
#   enablement_add_plugin(my_plugin CORE my_plugin.cpp)   # links Enablement::core
# Two export sets, so that the header-only SDK needs none of the core's dependencies.
include(CMakePackageConfigHelpers)
install(TARGETS mp_plugin_sdk EXPORT EnablementSDKTargets)
set_target_properties(mp_core PROPERTIES EXPORT_NAME core)
install(TARGETS mp_core EXPORT EnablementSDKCoreTargets LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/core/include/mp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT EnablementSDKTargets NAMESPACE Enablement:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/EnablementSDK)
install(EXPORT EnablementSDKCoreTargets NAMESPACE Enablement:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/EnablementSDK)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/EnablementSDKConfig.cmake.in
  ${PROJECT_BINARY_DIR}/EnablementSDKConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/EnablementSDK)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/EnablementSDKConfigVersion.cmake COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/EnablementSDKConfig.cmake ${PROJECT_BINARY_DIR}/EnablementSDKConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/EnablementSDK)
