// SPDX-License-Identifier: MIT
// Lines with real pixel widths: every segment (a_p0, a_p1) of a line strip is one
// instance of a quad, expanded in pixel space to a capsule of half-width u_half_width
// (+1 px for anti-aliasing). Round joins and caps come from the capsule distance in the
// fragment shader. A vertex whose x is the separator (1e30) ends a path: segments
// touching it are dropped by moving them outside the clip volume.
#version 330 core
layout(location = 0) in vec2 a_corner;  // (-1|1, -1|1): which end, which side
layout(location = 1) in vec2 a_p0;      // display units relative to the layer origin
layout(location = 2) in vec2 a_p1;
uniform vec2 u_shift;          // layer origin - view centre, display units
uniform float u_px_per_unit;   // pixels per display unit
uniform vec2 u_viewport;       // canvas size in pixels
uniform float u_half_width;    // pixels
out vec2 v_local;              // (along, across) in pixels from a_p0
out float v_len;               // segment length in pixels
void main() {
    if (a_p0.x > 1e29 || a_p1.x > 1e29) {
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
        v_local = vec2(0.0);
        v_len = 0.0;
        return;
    }
    vec2 s0 = (a_p0 + u_shift) * u_px_per_unit;
    vec2 s1 = (a_p1 + u_shift) * u_px_per_unit;
    vec2 d = s1 - s0;
    float len = length(d);
    vec2 dir = len > 1e-4 ? d / len : vec2(1.0, 0.0);
    vec2 nrm = vec2(-dir.y, dir.x);
    float r = u_half_width + 1.0;
    float along = a_corner.x < 0.0 ? -r : len + r;
    float across = a_corner.y * r;
    vec2 p = s0 + dir * along + nrm * across;
    v_local = vec2(along, across);
    v_len = len;
    gl_Position = vec4(p * 2.0 / u_viewport, 0.0, 1.0);
}
