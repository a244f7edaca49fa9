// SPDX-License-Identifier: MIT
// Site symbols in the spirit of APP-6 / MIL-STD-2525 installations: a friendly frame
// (crystal-blue rectangle, black outline) with the installation bar on top and a black
// icon for the kind. Everything is a signed distance field in symbol units (q in
// [-1, 1]), converted to pixels for one-pixel anti-aliasing, so symbols stay crisp at
// any size. Distance functions after Inigo Quilez, "2D distance functions"
// (https://iquilezles.org/articles/distfunctions2d/).
#version 330 core
in vec2 v_q;
flat in int v_symbol;
uniform float u_size_px;
uniform vec4 u_colour;    // the plain dot (symbol 0), the tinted frame and the ring
uniform float u_opacity;
uniform float u_tint;     // 0: APP-6 crystal-blue frame; 1: frame filled with u_colour (result layers)
uniform float u_ring;     // 1: a ring in u_colour with a dark edge instead of the symbol (selection)
out vec4 frag_colour;

float sd_box(vec2 p, vec2 b) {
    vec2 d = abs(p) - b;
    return length(max(d, 0.0)) + min(max(d.x, d.y), 0.0);
}
float sd_segment(vec2 p, vec2 a, vec2 b) {
    vec2 pa = p - a, ba = b - a;
    float h = clamp(dot(pa, ba) / dot(ba, ba), 0.0, 1.0);
    return length(pa - ba * h);
}
float sd_triangle(vec2 p, vec2 p0, vec2 p1, vec2 p2) {
    vec2 e0 = p1 - p0, e1 = p2 - p1, e2 = p0 - p2;
    vec2 v0 = p - p0, v1 = p - p1, v2 = p - p2;
    vec2 pq0 = v0 - e0 * clamp(dot(v0, e0) / dot(e0, e0), 0.0, 1.0);
    vec2 pq1 = v1 - e1 * clamp(dot(v1, e1) / dot(e1, e1), 0.0, 1.0);
    vec2 pq2 = v2 - e2 * clamp(dot(v2, e2) / dot(e2, e2), 0.0, 1.0);
    float s = sign(e0.x * e2.y - e0.y * e2.x);
    vec2 d = min(min(vec2(dot(pq0, pq0), s * (v0.x * e0.y - v0.y * e0.x)),
                     vec2(dot(pq1, pq1), s * (v1.x * e1.y - v1.y * e1.x))),
                 vec2(dot(pq2, pq2), s * (v2.x * e2.y - v2.y * e2.x)));
    return -sqrt(d.x) * sign(d.y);
}

const float kStroke = 0.045;  // half stroke width of icon lines, symbol units

float icon(vec2 p, int s) {
    float d = 1e9;
    if (s == 1) {  // port: anchor
        d = abs(length(p - vec2(0.0, 0.36)) - 0.09) - kStroke;
        d = min(d, sd_segment(p, vec2(0.0, 0.27), vec2(0.0, -0.44)) - kStroke);
        d = min(d, sd_segment(p, vec2(-0.2, 0.14), vec2(0.2, 0.14)) - kStroke);
        vec2 c = vec2(0.0, -0.08);
        float arc = p.y < c.y ? abs(length(p - c) - 0.36) : min(length(p - c - vec2(-0.36, 0.0)), length(p - c - vec2(0.36, 0.0)));
        d = min(d, arc - kStroke);
    } else if (s == 2) {  // airbase: aircraft
        d = sd_segment(p, vec2(0.0, -0.42), vec2(0.0, 0.42)) - 0.06;
        d = min(d, sd_triangle(p, vec2(-0.62, -0.05), vec2(0.62, -0.05), vec2(0.0, 0.24)));
        d = min(d, sd_segment(p, vec2(-0.22, -0.38), vec2(0.22, -0.38)) - kStroke);
    } else if (s == 3) {  // rail terminal: track with sleepers
        d = sd_segment(p, vec2(-0.7, 0.13), vec2(0.7, 0.13)) - kStroke;
        d = min(d, sd_segment(p, vec2(-0.7, -0.13), vec2(0.7, -0.13)) - kStroke);
        for (int i = 0; i < 4; ++i) {
            float x = -0.48 + 0.32 * float(i);
            d = min(d, sd_segment(p, vec2(x, -0.3), vec2(x, 0.3)) - kStroke);
        }
    } else if (s == 4) {  // training area: target
        d = abs(length(p) - 0.36) - kStroke;
        d = min(d, length(p) - 0.12);
        d = min(d, sd_segment(p, vec2(-0.55, 0.0), vec2(-0.24, 0.0)) - kStroke);
        d = min(d, sd_segment(p, vec2(0.24, 0.0), vec2(0.55, 0.0)) - kStroke);
    } else if (s == 5) {  // border crossing: barrier
        d = sd_segment(p, vec2(-0.5, -0.44), vec2(-0.5, 0.3)) - 0.06;
        d = min(d, sd_box(p - vec2(0.08, 0.18), vec2(0.58, 0.07)));
        d = max(d, -sd_box(p - vec2(0.3, 0.18), vec2(0.08, 0.03)));
        d = min(d, sd_segment(p, vec2(0.2, -0.44), vec2(0.2, -0.05)) - 0.03);
    } else if (s == 6) {  // staging area: flag
        d = sd_segment(p, vec2(-0.3, -0.44), vec2(-0.3, 0.44)) - kStroke;
        d = min(d, sd_triangle(p, vec2(-0.3, 0.44), vec2(-0.3, 0.04), vec2(0.42, 0.24)));
    }
    return d;
}

void main() {
    float px = 0.5 * u_size_px;  // pixels per symbol unit
    vec4 col = vec4(0.0);
    if (u_ring > 0.5) {
        float d = (abs(length(v_q) - 0.78) - 0.1) * px;   // ~0.2 symbol units wide
        float edge = abs(abs(length(v_q) - 0.78) * px - 0.1 * px) - 0.75;
        col = vec4(u_colour.rgb, clamp(0.5 - d, 0.0, 1.0));
        col.rgb = mix(col.rgb, vec3(0.05), clamp(0.5 - edge, 0.0, 1.0));
    } else if (v_symbol == 0) {
        float d = (length(v_q) - 0.45) * px;
        float outline = abs(d + 1.0) - 1.0;
        col = vec4(u_colour.rgb, clamp(0.5 - d, 0.0, 1.0));
        col.rgb = mix(col.rgb, vec3(0.1), clamp(0.5 - outline, 0.0, 1.0));
    } else {
        vec2 half_frame = vec2(0.92, 0.62);
        vec2 p = v_q + vec2(0.0, 0.12);   // frame a little below centre, bar above
        float frame = sd_box(p, half_frame) * px;
        float bar = sd_box(p - vec2(0.0, half_frame.y + 0.1), vec2(0.26, 0.1)) * px;
        float outline = abs(frame) - 1.0;
        vec3 fill = mix(vec3(0.502, 0.878, 1.0), u_colour.rgb, u_tint);   // APP-6 friendly, crystal blue
        col = vec4(fill, clamp(0.5 - frame, 0.0, 1.0));
        float ink = clamp(0.5 - min(min(outline, bar), icon(p, v_symbol) * px), 0.0, 1.0);
        col = vec4(mix(col.rgb, vec3(0.0), ink), max(col.a, ink));
    }
    if (col.a <= 0.0) discard;
    frag_colour = vec4(col.rgb, col.a * u_opacity);
}
