// SPDX-License-Identifier: MIT
// Colour-maps a normalised raster value t in [0, 1] (t < 0: no data or zero, drawn
// transparent), or, with u_direct, draws the texture's own colours (alpha 0:
// transparent; classes and masks, coloured by map::raster_image). The ramp's stops are
// those of map::raster_ramp (gui/map/forms.cpp), a yellow-green-blue-purple sequence
// after ColorBrewer YlGnBu (Brewer, colorbrewer2.org).
#version 330 core
in vec2 v_uv;
uniform sampler2D u_values;
uniform float u_opacity;
uniform int u_direct;
out vec4 frag_colour;
vec3 ramp(float t) {
    const vec3 c0 = vec3(1.000, 0.929, 0.627);
    const vec3 c1 = vec3(0.498, 0.804, 0.733);
    const vec3 c2 = vec3(0.114, 0.569, 0.753);
    const vec3 c3 = vec3(0.145, 0.204, 0.580);
    const vec3 c4 = vec3(0.329, 0.000, 0.475);
    float s = clamp(t, 0.0, 1.0) * 4.0;
    if (s < 1.0) return mix(c0, c1, s);
    if (s < 2.0) return mix(c1, c2, s - 1.0);
    if (s < 3.0) return mix(c2, c3, s - 2.0);
    return mix(c3, c4, s - 3.0);
}
void main() {
    vec4 cell = texture(u_values, v_uv);
    if (u_direct == 1) {
        if (cell.a < 0.5) discard;
        frag_colour = vec4(cell.rgb, u_opacity);
        return;
    }
    float t = cell.r;
    if (t < 0.0) discard;
    frag_colour = vec4(ramp(t), u_opacity);
}
