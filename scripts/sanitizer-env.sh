# SPDX-License-Identifier: MIT
# Sourced by scripts/sanitize.sh and scripts/fuzz.sh: how sanitizer reports behave.
# Every report is fatal (exit code 86, so a test that expects a plugin's own exit code
# cannot mistake a finding for it). Signals stay the kernel's (handle_segv=0 and the
# like): the test plugins that segfault on purpose must kill their plugin host by
# SIGSEGV, as in production, for the crash-containment tests to see it (ASan still
# reports the invalid accesses it catches before any signal); leaks in system libraries we do not own (GDAL's and
# PROJ's process-lifetime caches, Mesa, X11, fontconfig) are suppressed by name in
# tests/sanitizer/lsan.supp, nothing of ours is.
_mp_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ASAN_OPTIONS="exitcode=86:handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:abort_on_error=0:detect_leaks=1:strict_string_checks=1:check_initialization_order=1:detect_stack_use_after_return=0:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=86"
export LSAN_OPTIONS="suppressions=${_mp_root}/tests/sanitizer/lsan.supp:print_suppressions=0"
