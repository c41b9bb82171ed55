"""Country shapes for maps, read from the file shipped in resources/geo (Natural Earth,
public domain): nothing is fetched at run time.

Shapes are rings of (longitude, latitude) in degrees. Maps here are plate carrée with the
longitude squeezed by the cosine of the view's middle latitude: right for the small
locator maps of a packet, honest enough for a world overview.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass

from desk.core.paths import resources_dir

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Box:
    west: float
    south: float
    east: float
    north: float

    def overlaps(self, other: Box) -> bool:
        return not (
            other.east < self.west
            or other.west > self.east
            or other.north < self.south
            or other.south > self.north
        )

    def shifted(self, degrees: float) -> Box:
        return Box(self.west + degrees, self.south, self.east + degrees, self.north)


@dataclass(frozen=True)
class Country:
    code: str | None  # ISO 3166-1 alpha-2; None where Natural Earth draws a place without one
    name: str
    rings: tuple[Ring, ...]
    boxes: tuple[Box, ...]  # one per ring

    @property
    def box(self) -> Box:
        return Box(
            min(b.west for b in self.boxes),
            min(b.south for b in self.boxes),
            max(b.east for b in self.boxes),
            max(b.north for b in self.boxes),
        )


def _box(ring: Ring) -> Box:
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    return Box(min(lons), min(lats), max(lons), max(lats))


@functools.cache
def countries() -> tuple[Country, ...]:
    path = resources_dir() / "geo" / "countries-50m.json"
    found = []
    for entry in json.loads(path.read_text(encoding="utf-8"))["countries"]:
        rings = tuple(
            _continuous([(flat[i] / 100, flat[i + 1] / 100) for i in range(0, len(flat), 2)])
            for flat in entry["rings"]
        )
        found.append(Country(entry["code"], entry["name"], rings, tuple(map(_box, rings))))
    return tuple(found)


def _continuous(ring: Ring) -> Ring:
    """A ring that steps across the antimeridian (Chukotka, Fiji) goes on past 180°
    instead of jumping back to -180°, which would draw a line across the world."""
    if all(abs(b[0] - a[0]) < 180 for a, b in itertools.pairwise(ring)):
        return ring
    return [(lon + 360 if lon < 0 else lon, lat) for lon, lat in ring]


def country(code: str | None) -> Country | None:
    if not code:
        return None
    return next((c for c in countries() if c.code == code.upper()), None)


def contains(ring: Ring, lon: float, lat: float) -> bool:
    """Whether the point is inside the ring (even-odd rule)."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        (x1, y1), (x2, y2) = ring[i], ring[j]
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
        j = i
    return inside


def home_ring_box(place: Country, lon: float, lat: float) -> Box | None:
    """The box of the country's part holding the point (Honshu, not Okinawa too)."""
    for ring, box in zip(place.rings, place.boxes, strict=True):
        if (
            box.west <= lon <= box.east
            and box.south <= lat <= box.north
            and contains(ring, lon, lat)
        ):
            return box
    return None


def view_around(
    lat: float, lon: float, code: str | None, aspect: float, *, least: float = 10.0
) -> Box:
    """A view centered on the point, wide enough to show the country's part around it
    and its neighbors (at least `least` degrees of latitude), shaped `aspect` (width over
    height) on paper."""
    place = country(code)
    span_lat = least
    if place is not None:
        part = home_ring_box(place, lon, lat) or place.box
        span_lat = max(least, (part.north - part.south) * 1.8, (part.east - part.west) * 0.9)
    # A vast country (Russia, Brazil) is shown by its region: the inset places it.
    span_lat = min(span_lat, 28.0)
    squeeze = max(math.cos(math.radians(min(abs(lat), 75))), 0.2)
    span_lon = span_lat * aspect / squeeze
    south = max(-89.0, lat - span_lat / 2)
    north = min(89.0, south + span_lat)
    south = north - span_lat
    return Box(lon - span_lon / 2, south, lon + span_lon / 2, north)


def rings_in(view: Box) -> Iterator[tuple[Country, Ring]]:
    """Every ring that shows in the view, shifted by 360° where the view crosses the
    antimeridian (a view around Fiji draws both sides of the 180th meridian)."""
    for place in countries():
        for ring, box in zip(place.rings, place.boxes, strict=True):
            for shift in (0.0, -360.0, 360.0):
                if view.overlaps(box.shifted(shift)):
                    yield place, ring if not shift else [(x + shift, y) for x, y in ring]
