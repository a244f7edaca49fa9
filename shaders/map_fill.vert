// SPDX-License-Identifier: MIT
// Polygon fills: triangles triangulated once on the CPU, placed by the view transform.
#version 330 core
layout(location = 0) in vec2 a_pos;  // display units relative to the layer origin
uniform vec2 u_shift;
uniform float u_px_per_unit;
uniform vec2 u_viewport;
void main() {
    vec2 p = (a_pos + u_shift) * u_px_per_unit;
    gl_Position = vec4(p * 2.0 / u_viewport, 0.0, 1.0);
}
