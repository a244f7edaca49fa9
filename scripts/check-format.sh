#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks that every C/C++ source follows .clang-format (clang-format 14, Debian 12).
# Prints the files that differ and exits 1; exits 77 (skipped) without clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."
cf=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$cf" ]; then
  echo "SKIPPED: clang-format is not installed"
  exit 77
fi
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h' '*.c' 2>/dev/null || find core cli gui plugins tests bench examples -name '*.[ch]pp' -o -name '*.[ch]')
bad=()
for f in "${files[@]}"; do
  "$cf" --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  echo "not formatted (run: clang-format -i FILE): ${bad[*]}"
  exit 1
fi
echo "clang-format: ${#files[@]} files formatted"
