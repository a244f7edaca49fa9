// SPDX-License-Identifier: MIT
// Coverage of a capsule: distance from the fragment to the segment, anti-aliased over
// one pixel.
#version 330 core
in vec2 v_local;
in float v_len;
uniform float u_half_width;
uniform vec4 u_colour;  // straight alpha; alpha = layer opacity
out vec4 frag_colour;
void main() {
    float t = clamp(v_local.x, 0.0, v_len);
    float d = length(vec2(v_local.x - t, v_local.y));
    float a = clamp(u_half_width - d + 0.5, 0.0, 1.0);
    if (a <= 0.0) discard;
    frag_colour = vec4(u_colour.rgb, u_colour.a * a);
}
