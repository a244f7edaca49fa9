// SPDX-License-Identifier: MIT
// Lines with real pixel widths and miter joins, as one triangle strip per draw: every
// point of a line is stored twice (left and right side, by gl_VertexID parity) and read
// with its neighbours (a_prev, a_curr, a_next: one buffer, three offsets), then pushed
// out in pixel space along the miter of its two segments. Non-instanced on purpose:
// software rasterisers (llvmpipe) run instances one at a time.
// Paths are separated by two separator points (x = 1e30): the first collapses onto the
// end of the previous path, the second onto the start of the next, so the triangles
// joining two paths in the strip have no area.
#version 330 core
layout(location = 0) in vec2 a_prev;  // display units relative to the layer origin
layout(location = 1) in vec2 a_curr;
layout(location = 2) in vec2 a_next;
uniform vec2 u_shift;          // layer origin - view centre, display units
uniform float u_px_per_unit;   // pixels per display unit
uniform vec2 u_viewport;       // canvas size in pixels
uniform float u_half_width;    // pixels
out float v_across;            // signed distance from the centre line, pixels

const float kMiterLimit = 2.5;  // longest miter, in half-widths (then it is clipped)

vec2 to_px(vec2 p) { return (p + u_shift) * u_px_per_unit; }
vec2 perp(vec2 d) { return vec2(-d.y, d.x); }

void main() {
    bool prev_sep = a_prev.x > 1e29, curr_sep = a_curr.x > 1e29, next_sep = a_next.x > 1e29;
    if (curr_sep) {
        vec2 c = prev_sep ? (next_sep ? vec2(0.0) : to_px(a_next)) : to_px(a_prev);
        v_across = 0.0;
        gl_Position = vec4(c * 2.0 / u_viewport, 0.0, 1.0);
        return;
    }
    vec2 c = to_px(a_curr);
    float side = (gl_VertexID & 1) == 0 ? 1.0 : -1.0;
    float r = u_half_width + 1.0;  // +1 px for anti-aliasing
    vec2 d0 = prev_sep ? vec2(0.0) : c - to_px(a_prev);
    vec2 d1 = next_sep ? vec2(0.0) : to_px(a_next) - c;
    float l0 = length(d0), l1 = length(d1);
    d0 = l0 > 1e-6 ? d0 / l0 : (l1 > 1e-6 ? d1 / l1 : vec2(1.0, 0.0));
    d1 = l1 > 1e-6 ? d1 / l1 : d0;
    vec2 n0 = perp(d0);
    vec2 t = d0 + d1;
    vec2 miter = dot(t, t) > 1e-8 ? perp(normalize(t)) : n0;
    float cos_half = max(dot(miter, n0), 1.0 / kMiterLimit);
    vec2 p = c + miter * side * (r / cos_half);
    v_across = side * r;
    gl_Position = vec4(p * 2.0 / u_viewport, 0.0, 1.0);
}
