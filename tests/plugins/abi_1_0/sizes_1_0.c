/* SPDX-License-Identifier: MIT */
/* The sizes of the ABI 1.0 structs, compiled against the 1.0 header, for the test that
 * the 1.1 header's MP_PARAM_DEF_SIZE_1_0 and MP_PLUGIN_V1_SIZE_1_0 match them. */
#include "mp_plugin_1_0.h"

size_t mp_abi_1_0_param_def_size(void);
size_t mp_abi_1_0_plugin_size(void);
size_t mp_abi_1_0_host_api_size(void);
size_t mp_abi_1_0_param_def_size(void) { return sizeof(MpParamDef); }
size_t mp_abi_1_0_plugin_size(void) { return sizeof(MpPluginV1); }
size_t mp_abi_1_0_host_api_size(void) { return sizeof(MpHostApi); }
