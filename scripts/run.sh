#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job on the embedded default data: installs, builds, then starts the map view
# when a display is available, else prints the CLI summary of all default layers. A
# display that is set but unusable (a stale DISPLAY, no OpenGL 3.3) also falls back to
# the summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x build/bin/enablement-gui ]; then
  log=$(mktemp "${TMPDIR:-/tmp}/enablement-gui.XXXXXX")
  trap 'rm -f "$log"' EXIT
  rc=0
  build/bin/enablement-gui "$@" 2> >(tee "$log" >&2) || rc=$?
  wait  # for tee
  if [ "$rc" -eq 0 ]; then exit 0; fi
  if ! grep -qE "no display|cannot create an OpenGL|glfw error" "$log"; then exit "$rc"; fi
  echo "(the map view could not open a window: showing the CLI summary instead)" >&2
  exec build/bin/enablement summary "$@"
fi
[ -x build/bin/enablement-gui ] && echo "(no display: showing the CLI summary instead of the map view)" >&2
exec build/bin/enablement summary "$@"
