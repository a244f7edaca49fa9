#!/usr/bin/env python3
"""Validator for the embedded default data (uses only json and math).

Checks: unique ids, required keys, closed counter-clockwise polygons, connectivity of
roads and rail (endpoints keyed on coordinates rounded to 1e-7 degrees), and that every
site lies near the road network (rail terminals and rail border crossings near rail).
Usage: python3 data/validate.py   (from the repository root or data/)
"""
import json, math, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
R = 6371008.8
problems = []


def load(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return json.load(f)


def ring_area(ring):
    a = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        a += math.radians(x2 - x1) * (2 + math.sin(math.radians(y1)) + math.sin(math.radians(y2)))
    return a * R * R / 2.0


def seg_dist_m(p, a, b):
    kx = 111320.0 * math.cos(math.radians(p[1])); ky = 110540.0
    ax, ay = (a[0] - p[0]) * kx, (a[1] - p[1]) * ky
    bx, by = (b[0] - p[0]) * kx, (b[1] - p[1]) * ky
    dx, dy = bx - ax, by - ay
    L = dx * dx + dy * dy
    t = 0.0 if L == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / L))
    return math.hypot(ax + t * dx, ay + t * dy)


def dist_to_lines(p, lines):
    return min(seg_dist_m(p, l[i], l[i + 1]) for l in lines for i in range(len(l) - 1))


def check_polygon(fid, g):
    for k, ring in enumerate(g["coordinates"]):
        if ring[0] != ring[-1]:
            problems.append(f"{fid}: ring {k} not closed")
        a = ring_area(ring)
        if k == 0 and a <= 0:
            problems.append(f"{fid}: exterior ring is not counter-clockwise")
        if k > 0 and a >= 0:
            problems.append(f"{fid}: hole {k} is not clockwise")


def components(feats):
    parent = {}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    key = lambda c: (round(c[0] * 1e7), round(c[1] * 1e7))
    for f in feats:
        c = f["geometry"]["coordinates"]
        a, b = key(c[0]), key(c[-1])
        parent.setdefault(a, a); parent.setdefault(b, b)
        parent[find(a)] = find(b)
    return len({find(x) for x in parent})


def anchor(g):
    if g["type"] == "Point":
        return g["coordinates"]
    r = g["coordinates"][0][:-1]
    return [sum(x for x, _ in r) / len(r), sum(y for _, y in r) / len(r)]


REQ = {
    "port": ["berths", "roro_ramps", "max_draught_m", "quay_length_m", "vehicles_per_day", "rail_connected"],
    "airbase": ["runway_length_m", "runway_width_m", "runway_heading", "mog_wide_body", "mog_narrow_body",
                "pax_per_day", "cargo_t_per_day", "military", "icao"],
    "rail_terminal": ["loading_ramps", "max_train_length_m", "trains_per_day", "side_ramp", "end_ramp", "electrified", "line_number"],
    "training_area": ["area_km2", "vehicle_parking", "beds", "fuel_storage_m3", "rail_connected"],
    "staging_area": ["area_km2", "vehicle_parking", "beds", "fuel_storage_m3", "rail_connected"],
    "border_crossing": ["country", "mode"],
}
COMMON = ["id", "kind", "name_en", "name_nl", "name_fr", "source", "estimates"]


def main():
    sources = open(os.path.join(HERE, "SOURCES.md"), encoding="utf-8").read() if os.path.exists(os.path.join(HERE, "SOURCES.md")) else ""
    counts = {}
    ids = set()
    for name in ["belgium.geojson", "sites.geojson", "roads.geojson", "rail.geojson"]:
        fc = load(name)
        counts[name] = len(fc["features"])
        for f in fc["features"]:
            fid = f["properties"].get("id")
            if not fid or fid in ids:
                problems.append(f"{name}: missing or duplicate id {fid}")
            ids.add(fid)
            g = f["geometry"]
            if g["type"] == "Polygon":
                check_polygon(fid, g)
            src = f["properties"].get("source", "")
            if not src or (sources and src not in sources):
                problems.append(f"{fid}: source '{src}' missing from SOURCES.md")
            for e in filter(None, f["properties"].get("estimates", "").split(",")):
                if e not in f["properties"]:
                    problems.append(f"{fid}: estimate '{e}' is not an attribute")
    roads = load("roads.geojson")["features"]
    rail = load("rail.geojson")["features"]
    rc, lc = components(roads), components(rail)
    print("features:", counts)
    print("road components:", rc, " rail components:", lc)
    if rc != 1: problems.append(f"roads have {rc} components")
    if lc != 1: problems.append(f"rail has {lc} components")
    road_lines = [f["geometry"]["coordinates"] for f in roads]
    rail_lines = [f["geometry"]["coordinates"] for f in rail]
    road_ends = {tuple(c) for l in road_lines for c in (l[0], l[-1])}
    rail_ends = {tuple(c) for l in rail_lines for c in (l[0], l[-1])}
    for f in load("sites.geojson")["features"]:
        p = f["properties"]
        for k in COMMON + REQ.get(p["kind"], []):
            if k not in p:
                problems.append(f"{p.get('id')}: missing key {k}")
        a = anchor(f["geometry"])
        rail_only = p["kind"] == "border_crossing" and p.get("mode") == "rail"
        if not rail_only:
            d = dist_to_lines(a, road_lines)
            if d > 2000: problems.append(f"{p['id']}: {d:.0f} m from the road network")
        if p["kind"] == "rail_terminal" or rail_only:
            d = dist_to_lines(a, rail_lines)
            if d > 1000: problems.append(f"{p['id']}: {d:.0f} m from the rail network")
        if p["kind"] == "border_crossing":
            ends = rail_ends if rail_only else road_ends
            if tuple(f["geometry"]["coordinates"]) not in ends:
                problems.append(f"{p['id']}: not on a {'rail' if rail_only else 'road'} line endpoint")
    for msg in problems:
        print("PROBLEM:", msg)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
