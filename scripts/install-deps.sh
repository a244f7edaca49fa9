#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs every Debian 12 package the planner needs to build, test and run.
# Idempotent and non-interactive; skips apt when everything is already present.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libgdal-dev gdal-bin libproj-dev proj-bin
  libboost-dev libboost-graph-dev
  catch2 nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev
  libgeographiclib-dev libosmium2-dev libprotozero-dev libbz2-dev zlib1g-dev libexpat1-dev
  libimgui-dev libglfw3-dev libglew-dev libgl-dev libgl1-mesa-dri libstb-dev
  xvfb xauth xdotool clang-format
  clang libclang-rt-14-dev libglpk-dev glpk-utils coinor-libclp-dev
  libglu1-mesa-dev fonts-dejavu-core
  postgresql-15 postgresql-15-postgis-3
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
