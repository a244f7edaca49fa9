// SPDX-License-Identifier: MIT
// Raster overlays (e.g. a coverage count grid): a mesh whose vertices are the grid's
// corners reprojected to the display CRS, so the grid bends with the projection.
#version 330 core
layout(location = 0) in vec2 a_pos;  // display units relative to the raster origin
layout(location = 1) in vec2 a_uv;   // [0, 1]^2 over the grid, v down
uniform vec2 u_shift;
uniform float u_px_per_unit;
uniform vec2 u_viewport;
out vec2 v_uv;
void main() {
    vec2 p = (a_pos + u_shift) * u_px_per_unit;
    v_uv = a_uv;
    gl_Position = vec4(p * 2.0 / u_viewport, 0.0, 1.0);
}
