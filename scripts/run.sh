#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job on the embedded default data: installs, builds, then starts the map view
# when a display is available, else prints the CLI summary of all default layers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x build/bin/enablement-gui ]; then
  exec build/bin/enablement-gui "$@"
fi
[ -x build/bin/enablement-gui ] && echo "(no display: showing the CLI summary instead of the map view)" >&2
exec build/bin/enablement summary "$@"
