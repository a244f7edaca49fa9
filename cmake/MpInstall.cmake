# SPDX-License-Identifier: MIT
# Installs the SDK as a CMake package: an out-of-tree plugin does
#   find_package(EnablementSDK REQUIRED)
#   enablement_add_plugin(my_plugin my_plugin.cpp)   # links Enablement::plugin_sdk
# and may link Enablement::core for the geodata toolkit (layers, CRS, geodesy, GDAL I/O).
include(CMakePackageConfigHelpers)
install(TARGETS mp_plugin_sdk EXPORT EnablementSDKTargets)
set_target_properties(mp_core PROPERTIES EXPORT_NAME core)
install(TARGETS mp_core EXPORT EnablementSDKTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/core/include/mp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT EnablementSDKTargets NAMESPACE Enablement:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/EnablementSDK)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/EnablementSDKConfig.cmake.in
  ${PROJECT_BINARY_DIR}/EnablementSDKConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/EnablementSDK)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/EnablementSDKConfigVersion.cmake COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/EnablementSDKConfig.cmake ${PROJECT_BINARY_DIR}/EnablementSDKConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/EnablementSDK)
