// SPDX-License-Identifier: MIT
// A shared library that is not a plugin: it exports no mp_plugin_entry.
extern "C" __attribute__((visibility("default"))) int some_other_function(void) { return 7; }
