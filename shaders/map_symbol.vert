// SPDX-License-Identifier: MIT
// Point symbols: one screen-aligned quad of u_size_px per instance, the same size at
// every zoom; the fragment shader draws the symbol procedurally.
#version 330 core
layout(location = 0) in vec2 a_corner;  // (-1|1, -1|1)
layout(location = 1) in vec2 a_pos;     // display units relative to the layer origin
layout(location = 2) in float a_symbol; // symbol code (map/prepare.hpp Symbol)
uniform vec2 u_shift;
uniform float u_px_per_unit;
uniform vec2 u_viewport;
uniform float u_size_px;
out vec2 v_q;            // [-1, 1]^2 across the symbol, y up
flat out int v_symbol;
void main() {
    vec2 c = floor((a_pos + u_shift) * u_px_per_unit + 0.5 * u_viewport) - 0.5 * u_viewport;
    vec2 p = c + a_corner * (0.5 * u_size_px + 1.0);
    v_q = a_corner * (1.0 + 2.0 / u_size_px);
    v_symbol = int(a_symbol + 0.5);
    gl_Position = vec4(p * 2.0 / u_viewport, 0.0, 1.0);
}
