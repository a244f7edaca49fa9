// SPDX-License-Identifier: MIT
// Coverage across the line, anti-aliased over one pixel.
#version 330 core
in float v_across;
uniform float u_half_width;
uniform vec4 u_colour;  // straight alpha; alpha = layer opacity
out vec4 frag_colour;
void main() {
    float a = clamp(u_half_width - abs(v_across) + 0.5, 0.0, 1.0);
    if (a <= 0.0) discard;
    frag_colour = vec4(u_colour.rgb, u_colour.a * a);
}
