"""Public holidays, festivals and national days that fall on a visit's days, on both sides.

Our side is the United States (federal holidays) and our city's state; their side is the
visit's country (or its partnership's) and, where the partnership records one, their
region. A meeting planned on a day their offices are closed, an arrival in the middle of
Golden Week or a lunch in Ramadan is worth knowing before the invitation goes out.

Public holidays come from the `holidays` package, read through a table built from it
(`resources/reference/public_holidays.zip`, one member per country): importing the
package loads every one of its 250 countries' modules, about 0.4 s, where reading one
country from the table takes a few milliseconds. Years outside the table ask the package
itself. What the package has no notion of (periods such as Golden Week or Ramadan,
festivals for a country the package lacks them in, national days) is written by hand in
`resources/reference/holidays_extra.json`.

`python -m desk.core.features.holidays --rebuild` writes the table again from the
installed package; `tests/core/test_holidays.py` fails when the two disagree.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import importlib
import json
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desk.core.domain.dates import long_date, month_day, stored_date, weekday_month_day
from desk.core.features.sides import HOME_COUNTRY, OURS, THEIRS
from desk.core.paths import resource_path
from desk.core.reference.countries import country_name
from desk.core.store.db import Database

TABLE = ("reference", "public_holidays.zip")
EXTRA = ("reference", "holidays_extra.json")
TABLE_YEARS = (2020, 2035)  # what --rebuild writes

HOLIDAY, PERIOD, FESTIVAL, NATIONAL_DAY = "holiday", "period", "festival", "national_day"

# The package's categories that are read, by the letter the table stores. A public
# holiday is a day off; the others are kept because they change a day all the same.
CATEGORIES = {"p": "public", "h": "half_day", "o": "optional"}
_DAY_OFF = {"p": True, "h": False, "o": False}
_CATEGORY_NOTES = {"p": "", "h": "half day", "o": "optional holiday"}

# The package's mark on a moon-dated day; shown as "date approximate" instead.
_ESTIMATED = " (estimated)"

# A festival from the hand-written table is added only where the package has nothing of
# its name this many days either side (moon-dated days drift a day between sources).
_NEAR_DAYS = 3


@dataclass(frozen=True)
class Holiday:
    first: dt.date
    last: dt.date
    name: str
    country: str
    region: str = ""  # the package's subdivision code, for a regional holiday
    day_off: bool = True
    kind: str = HOLIDAY
    approximate: bool = False
    national_day: bool = False
    note: str = ""


@dataclass(frozen=True)
class Where:
    """One side of a visit: a country and, where known, a region the package knows."""

    side: str
    country: str
    region: str = ""  # subdivision code ("OR"), empty when unknown or not known to the package
    region_name: str = ""  # as the record writes it ("Oregon")

    @property
    def place(self) -> str:
        """'Oregon and U.S. federal' for ours; 'Baden-Württemberg, Germany' for theirs."""
        if self.country == HOME_COUNTRY and self.side == OURS:
            return f"{self.region_name} and U.S. federal" if self.region else "U.S. federal"
        return self.holiday_place(regional=bool(self.region))

    def holiday_place(self, *, regional: bool) -> str:
        """Whose holiday one of this side's is: 'Oregon', 'U.S. federal', 'Japan'."""
        if self.country == HOME_COUNTRY and self.side == OURS:
            return self.region_name if regional else "U.S. federal"
        country = country_name(self.country)
        return f"{self.region_name}, {country}" if regional else country

    def as_json(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "region": self.region or None,
            "region_name": self.region_name or None,
            "place": self.place,
        }


@dataclass(frozen=True)
class Clash:
    holiday: Holiday
    where: Where  # the side it belongs to
    days: tuple[dt.date, ...]  # the visit's days it falls on
    items: int = 0  # itinerary items planned on those days

    @property
    def side(self) -> str:
        return self.where.side

    @property
    def place(self) -> str:
        """Whose it is: 'Japan', 'Oregon', 'U.S. federal' (named when shown: country
        names load with the locale data)."""
        return self.where.holiday_place(regional=bool(self.holiday.region))

    @property
    def name(self) -> str:
        return self.holiday.name

    @property
    def day_off(self) -> bool:
        return self.holiday.day_off

    def status(self) -> str:
        """'day off', 'half day', 'not a day off'; with what else a reader must know."""
        h = self.holiday
        if h.kind == PERIOD:
            words = [f"period: {h.note}" if h.note else "period, not a day off"]
        else:
            words = ["day off" if h.day_off else (h.note if h.note else "not a day off")]
        if h.national_day:
            words.append("national day")
        if h.approximate:
            words.append("date approximate")
        if self.items:
            words.append(f"{self.items} itinerary item{'' if self.items == 1 else 's'}")
        return "; ".join(words)

    def when(self, *, year: bool = True) -> str:
        """'Monday, May 4, 2026'; a span as 'Wednesday, April 29 – Tuesday, May 5, 2026'."""
        first, last = self.holiday.first, self.holiday.last
        if first == last:
            return long_date(first) if year else weekday_month_day(first)
        if not year and first.year == last.year:
            return f"{month_day(first)} – {month_day(last)}"
        start = weekday_month_day(first) if first.year == last.year else long_date(first)
        return f"{start} – {long_date(last)}"

    def as_json(self) -> dict[str, Any]:
        h = self.holiday
        return {
            "first": h.first.isoformat(),
            "last": h.last.isoformat(),
            "days": [d.isoformat() for d in self.days],
            "side": self.side,
            "name": h.name,
            "country": h.country,
            "region": h.region or None,
            "place": self.place,
            "kind": h.kind,
            "day_off": h.day_off,
            "national_day": h.national_day,
            "approximate": h.approximate,
            "note": h.note or None,
            "itinerary_items": self.items,
        }


@dataclass
class DateCheck:
    """What `desk check-dates` says of one visit."""

    visit: dict[str, Any]
    days: list[dt.date]
    ours: Where
    theirs: Where | None
    clashes: list[Clash] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def message(self) -> str | None:
        if not self.days:
            return f"{self.visit.get('title') or 'This visit'} has no dates yet: nothing to check."
        if not self.clashes:
            return "No public holidays, festivals or national days fall on the visit's days."
        return None

    def as_json(self) -> dict[str, Any]:
        v = self.visit
        return {
            "visit": {
                "id": v.get("id"),
                "title": v.get("title"),
                "direction": v.get("direction"),
                "start_date": v.get("start_date"),
                "end_date": v.get("end_date"),
            },
            "days": [d.isoformat() for d in self.days],
            "ours": self.ours.as_json(),
            "theirs": self.theirs.as_json() if self.theirs else None,
            "clashes": [c.as_json() for c in self.clashes],
            "notes": self.notes,
            "message": self.message,
        }


# -- the table built from the package ---------------------------------------------------


def _member(name: str) -> Any:
    """One member of the table, read as JSON; None where the table or the member is
    missing. The file is opened for each read and closed again (a reader holds nothing
    in the installation's folder)."""
    path = resource_path(*TABLE)
    if not path.is_file():
        return None
    with zipfile.ZipFile(path) as archive:
        try:
            return json.loads(archive.read(name))
        except KeyError:
            return None


@functools.cache
def table_about() -> dict[str, Any]:
    """What the table was built from: the package's version and the years it holds."""
    about: dict[str, Any] = _member("ABOUT.json") or {}
    return about


def _table_years() -> tuple[int, int] | None:
    about = table_about()
    return (int(about["first_year"]), int(about["last_year"])) if about else None


@functools.cache
def _country_table(country: str) -> dict[str, Any] | None:
    data: dict[str, Any] | None = _member(f"{country}.json")
    return data


def _package() -> Any:
    """The `holidays` package, or None where it is not installed (only years outside the
    table need it)."""
    try:
        return importlib.import_module("holidays")
    except ImportError:
        return None


@functools.cache
def _package_countries() -> frozenset[str]:
    package = _package()
    if package is None:
        return frozenset()
    return frozenset(package.list_supported_countries(include_aliases=False))


def package_days(
    country: str, subdivision: str | None, years: Iterable[int]
) -> list[tuple[str, str, str]]:
    """(ISO day, name, category letter) for each holiday the package gives, in English,
    with days shared by two holidays split into one entry each."""
    package = _package()
    if package is None or country not in _package_countries():
        return []
    entity = getattr(package, country).get_entity()
    languages = entity.supported_languages or ()
    # Left unset, the package picks the language from the environment's locale.
    language = "en_US" if "en_US" in languages else entity.default_language
    found: list[tuple[str, str, str]] = []
    for letter, category in CATEGORIES.items():
        if category not in entity.supported_categories:
            continue
        days = package.country_holidays(
            country,
            subdiv=subdivision,
            years=list(years),
            categories=(category,),
            language=language,
        )
        for day, names in sorted(days.items()):
            for name in names.split("; "):
                found.append((day.isoformat(), _us_dates(name), letter))
    return sorted(found)


_SUBSTITUTED = re.compile(r"Day off \(substituted from (\d\d)/(\d\d)/(\d{4})\)")
_PADDED_DATE = re.compile(r"\b(\d\d)/(\d\d)/(\d{4})\b")


def _us_dates(name: str) -> str:
    """A date inside a holiday's name as desk writes one: the package's 'Day off
    (substituted from 09/20/2026)', a weekday made up on a weekend, becomes 'Day off (for
    work on Sunday, September 20, 2026)'."""

    def worked(match: re.Match[str]) -> str:
        day = dt.date(int(match[3]), int(match[1]), int(match[2]))
        return f"Day off (for work on {long_date(day)})"

    name = _SUBSTITUTED.sub(worked, name)
    return _PADDED_DATE.sub(lambda m: f"{int(m[1])}/{int(m[2])}/{m[3]}", name)


def _subdivision_names(country: str) -> dict[str, list[str]]:
    package = _package()
    if package is None or country not in _package_countries():
        return {}
    entity = getattr(package, country).get_entity()
    names: dict[str, list[str]] = {code: [] for code in entity.subdivisions}
    for alias, code in (getattr(entity, "subdivisions_aliases", None) or {}).items():
        if code in names:
            names[code].append(alias)
    # The names offices write for a region ("Comunitat Valenciana" for VC), kept in the
    # table so that finding a region does not read the whole division list.
    from desk.core.reference.places import divisions

    for found in divisions():
        code = found.code.split("-", 1)[-1]
        if found.country == country and code in names:
            for name in (found.name, *found.other):
                if name not in names[code] and name != code:
                    names[code].append(name)
    return names


def build_table(path: Path, first: int = TABLE_YEARS[0], last: int = TABLE_YEARS[1]) -> int:
    """Write the table from the installed package: for each country its holidays, and for
    each subdivision what it adds to them and takes away. Returns the countries written."""
    package = _package()
    if package is None:
        raise RuntimeError("the holidays package is not installed")
    years = range(first, last + 1)
    codes = sorted(_package_countries())
    stamp = (2020, 1, 1, 0, 0, 0)  # the same bytes from the same package
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:

        def put(name: str, value: Any) -> None:
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
            archive.writestr(info, text.encode("utf-8"))

        put(
            "ABOUT.json",
            {
                "source": "the holidays package (MIT license), https://pypi.org/project/holidays/",
                "version": package.__version__,
                "first_year": first,
                "last_year": last,
                "categories": CATEGORIES,
                "rebuild": "python -m desk.core.features.holidays --rebuild",
            },
        )
        for code in codes:
            national = package_days(code, None, years)
            whole = set(national)
            subdivisions = _subdivision_names(code)
            regions: dict[str, dict[str, list[tuple[str, str, str]]]] = {}
            for sub in subdivisions:
                own = set(package_days(code, sub, years))
                if own != whole:
                    regions[sub] = {"add": sorted(own - whole), "drop": sorted(whole - own)}
            put(
                f"{code}.json",
                {"days": national, "subdivisions": subdivisions, "regions": regions},
            )
    return len(codes)


def _from_table(country: str, subdivision: str, year: int) -> list[tuple[str, str, str]] | None:
    span = _table_years()
    data = _country_table(country)
    if span is None or data is None or not span[0] <= year <= span[1]:
        return None
    prefix = f"{year}-"

    def of_year(entries: list[list[str]]) -> set[tuple[str, str, str]]:
        return {(e[0], e[1], e[2]) for e in entries if e[0].startswith(prefix)}

    days = of_year(data["days"])
    region = data["regions"].get(subdivision) if subdivision else None
    if region:
        days = (days - of_year(region["drop"])) | of_year(region["add"])
    return sorted(days)


@functools.cache
def _year(country: str, subdivision: str, year: int) -> tuple[tuple[str, str, str], ...]:
    found = _from_table(country, subdivision, year)
    if found is None:
        found = package_days(country, subdivision or None, [year])
    return tuple(found)


@functools.cache
def _national_codes(country: str, year: int) -> frozenset[tuple[str, str, str]]:
    return frozenset(_year(country, "", year))


def subdivisions(country: str) -> dict[str, list[str]]:
    """The package's subdivisions of a country, each with the names it goes by (the
    package's and those of `places.divisions`), from the table."""
    data = _country_table(country)
    if data is not None:
        return dict(data["subdivisions"])
    return _subdivision_names(country)


def subdivision(country: str | None, region: str | None) -> str | None:
    """The package's code for a region written in a record ('Oregon' -> 'OR',
    'Comunitat Valenciana' -> 'VC'), or None where it keeps no holidays of its own."""
    if not country or not region or not region.strip():
        return None
    known = subdivisions(country.upper())
    wanted = _fold(region)
    for code, names in known.items():
        if wanted == _fold(code) or any(wanted == _fold(name) for name in names):
            return code
    return None


def _fold(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c)).strip()


# -- what the package does not hold -----------------------------------------------------


@functools.cache
def extra() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resource_path(*EXTRA).read_text("utf-8"))
    return data


def _countries(entry: Mapping[str, Any]) -> frozenset[str]:
    named = entry["countries"]
    codes = extra()["groups"][named] if isinstance(named, str) else named
    return frozenset(codes) - frozenset(entry.get("except_countries", ()))


def _periods(country: str, first: dt.date, last: dt.date) -> list[Holiday]:
    found = []
    for entry in extra()["periods"]:
        if country not in _countries(entry):
            continue
        spans: list[tuple[dt.date, dt.date]] = []
        if "every_year" in entry:
            start, end = entry["every_year"]
            for year in range(first.year - 1, last.year + 1):
                spans.append(
                    (
                        dt.date.fromisoformat(f"{year}-{start}"),
                        dt.date.fromisoformat(f"{year}-{end}"),
                    )
                )
        if "around" in entry:
            before, after = entry["around"]
            own = {d[:4]: d for d in entry.get("except", {}).get(country, ())}
            for anchor in entry["dates"]:
                day = dt.date.fromisoformat(own.get(anchor[:4], anchor))
                spans.append((day + dt.timedelta(before), day + dt.timedelta(after)))
        for start_text, end_text in entry.get("spans", ()):
            spans.append((dt.date.fromisoformat(start_text), dt.date.fromisoformat(end_text)))
        for start, end in spans:
            if start <= last and end >= first:
                found.append(
                    Holiday(
                        start,
                        end,
                        entry["name"],
                        country,
                        day_off=False,
                        kind=PERIOD,
                        approximate=bool(entry.get("approximate")),
                        note=entry.get("note", ""),
                    )
                )
    return found


def _festivals(country: str, first: dt.date, last: dt.date) -> list[Holiday]:
    """Festivals from the hand-written table, for a country where the package names
    nothing like them within a few days."""
    found = []
    for entry in extra()["festivals"]:
        if country not in _countries(entry):
            continue
        before, after = entry.get("days", (0, 0))
        words = [w.casefold() for w in entry["known_as"]]
        for anchor in entry["dates"]:
            day = dt.date.fromisoformat(anchor)
            start, end = day + dt.timedelta(before), day + dt.timedelta(after)
            if not (start <= last and end >= first):
                continue
            near = _named_near(country, day)
            if any(word in name for name in near for word in words):
                continue
            found.append(
                Holiday(
                    start,
                    end,
                    entry["name"],
                    country,
                    day_off=True,
                    kind=FESTIVAL,
                    approximate=bool(entry.get("approximate")),
                )
            )
    return found


def _named_near(country: str, day: dt.date) -> list[str]:
    low, high = day - dt.timedelta(_NEAR_DAYS), day + dt.timedelta(_NEAR_DAYS)
    names = []
    for year in {low.year, high.year}:
        for iso, name, _letter in _national_codes(country, year):
            if low.isoformat() <= iso <= high.isoformat():
                names.append(name.casefold())
    return names


def national_days(country: str, year: int) -> list[tuple[dt.date, str]]:
    found = []
    for on, name in extra()["national_days"].get(country, ()):
        try:
            found.append((dt.date.fromisoformat(f"{year}-{on}"), name))
        except ValueError:  # a February 29 in a common year
            continue
    return found


# -- one side's days ---------------------------------------------------------------------


def holidays_between(
    country: str,
    region: str | None,
    first: dt.date,
    last: dt.date,
    *,
    with_national: bool = False,
    national_day: bool = True,
) -> list[Holiday]:
    """Every holiday, festival, period and national day of a country (and a region, by
    the package's code) that touches the days from `first` to `last`, in order.

    The package gives a region's own list, which may leave out a national holiday the
    region does not keep (Oregon does not keep Columbus Day). `with_national` adds those
    back: on our side a federal holiday still closes federal offices, banks and the
    post office. `national_day` marks the country's national day (or lists it on its own
    where it is no holiday), which matters for the partner's side."""
    country = country.upper()
    sub = region or ""
    low, high = first.isoformat(), last.isoformat()
    per_day: dict[tuple[str, str], tuple[str, bool]] = {}  # (day, name) -> (letter, regional)
    for year in range(first.year, last.year + 1):
        whole = _national_codes(country, year)
        kept = {(iso, letter) for iso, _name, letter in whole}
        own = set(_year(country, sub, year))
        for entry in sorted(own | whole if with_national else own):
            iso, name, letter = entry
            if not low <= iso <= high:
                continue
            # A region's name for a national holiday ("Presidents Day" for Washington's
            # Birthday) is the same day off, not another one.
            renamed = entry not in whole and (iso, letter) in kept
            if renamed and with_national:
                continue
            per_day.setdefault((iso, name), (letter, entry not in whole and not renamed))
    marked = _national_day_marks(country, first, last, per_day) if national_day else {}
    found = _merged(country, sub, per_day, marked)
    found += _festivals(country, first, last)
    found += _periods(country, first, last)
    for day, name in _unmarked_national_days(country, first, last, marked):
        found.append(
            Holiday(day, day, name, country, day_off=False, kind=NATIONAL_DAY, national_day=True)
        )
    return sorted(found, key=lambda h: (h.first, h.last, h.kind != HOLIDAY, h.name))


def _national_day_marks(
    country: str,
    first: dt.date,
    last: dt.date,
    per_day: Mapping[tuple[str, str], tuple[str, bool]],
) -> dict[str, str | None]:
    """Day -> the package's holiday that is the national day (None where the package has
    nothing that day, so the national day is listed on its own)."""
    marks: dict[str, str | None] = {}
    for year in range(first.year, last.year + 1):
        for day, name in national_days(country, year):
            if not first <= day <= last:
                continue
            iso = day.isoformat()
            that_day = [n for (d, n) in per_day if d == iso]
            wanted = name.casefold()
            match = next(
                (n for n in that_day if wanted in n.casefold() or n.casefold() in wanted), None
            )
            if match is None and len(that_day) == 1:
                match = that_day[0]
            marks[iso] = match
    return marks


def _unmarked_national_days(
    country: str, first: dt.date, last: dt.date, marks: Mapping[str, str | None]
) -> list[tuple[dt.date, str]]:
    out = []
    for year in range(first.year, last.year + 1):
        for day, name in national_days(country, year):
            if day.isoformat() in marks and marks[day.isoformat()] is None:
                out.append((day, name))
    return out


def _merged(
    country: str,
    sub: str,
    per_day: Mapping[tuple[str, str], tuple[str, bool]],
    marked: Mapping[str, str | None],
) -> list[Holiday]:
    """One holiday for a run of days under one name: the package's three days of Chuseok
    are one Chuseok."""
    runs: list[dict[str, Any]] = []
    latest: dict[tuple[str, str, bool], dict[str, Any]] = {}
    for (iso, name), (letter, regional) in sorted(per_day.items()):
        day = dt.date.fromisoformat(iso)
        key = (name, letter, regional)
        run = latest.get(key)
        if run is None or run["last"] != day - dt.timedelta(1):
            run = {"first": day, "last": day, "key": key, "national": False}
            runs.append(run)
            latest[key] = run
        run["last"] = day
        run["national"] = run["national"] or marked.get(iso) == name
    out = []
    for run in runs:
        name, letter, regional = run["key"]
        estimated = _ESTIMATED in name
        out.append(
            Holiday(
                run["first"],
                run["last"],
                name.replace(_ESTIMATED, ""),
                country,
                sub if regional else "",
                _DAY_OFF[letter],
                approximate=estimated,
                national_day=run["national"],
                note=_CATEGORY_NOTES[letter],
            )
        )
    return out


# -- a visit -------------------------------------------------------------------------------


def visit_days(
    visit: Mapping[str, Any], itinerary: Iterable[Mapping[str, Any]] = ()
) -> list[dt.date]:
    """The visit's days, first to last, and each itinerary item's own day (an item planned
    outside them counts too: that is when somebody has to be there)."""
    start = stored_date(visit.get("start_date"))
    end = stored_date(visit.get("end_date"))
    days: set[dt.date] = set()
    if start and end and end >= start:
        days.update(start + dt.timedelta(n) for n in range((end - start).days + 1))
    else:
        days.update(d for d in (start, end) if d)
    for item in itinerary:
        day = stored_date(str(item.get("starts_at") or "")[:10] or None)
        if day:
            days.add(day)
    return sorted(days)


def our_side(city: Mapping[str, Any] | None) -> Where:
    state = str((city or {}).get("state") or "").strip()
    code = subdivision(HOME_COUNTRY, state)
    return Where(OURS, HOME_COUNTRY, code or "", state if code else "")


def their_side(
    visit: Mapping[str, Any],
    partnership: Mapping[str, Any] | None = None,
    region: str | None = None,
) -> Where | None:
    """The partner's country (the visit's, else its partnership's) and region: the one
    given, else the partnership's, else the partner itself when it is a region."""
    partner = partnership or {}
    country = str(visit.get("country") or partner.get("country") or "").upper()
    if not country:
        return None
    same_country = str(partner.get("country") or country).upper() == country
    candidates = [region]
    if same_country:
        candidates.append(partner.get("region"))
        if partner.get("partner_level") == "region":
            candidates.append(partner.get("partner_name"))
    for name in candidates:
        code = subdivision(country, name)
        if code:
            return Where(THEIRS, country, code, str(name).strip())
    return Where(THEIRS, country)


def during(
    visit: Mapping[str, Any],
    city: Mapping[str, Any] | None,
    partnership: Mapping[str, Any] | None = None,
    itinerary: Sequence[Mapping[str, Any]] = (),
    *,
    region: str | None = None,
) -> list[Clash]:
    """Each holiday, festival, period and national day on either side that falls on the
    visit's days, in date order; ours first on a day both sides keep."""
    days = visit_days(visit, itinerary)
    sides = [our_side(city), their_side(visit, partnership, region)]
    return _clashes(days, [s for s in sides if s is not None], itinerary)


def _clashes(
    days: list[dt.date], sides: Sequence[Where], itinerary: Sequence[Mapping[str, Any]]
) -> list[Clash]:
    if not days:
        return []
    per_day: dict[dt.date, int] = {}
    for item in itinerary:
        day = stored_date(str(item.get("starts_at") or "")[:10] or None)
        if day:
            per_day[day] = per_day.get(day, 0) + 1
    out = []
    for where in sides:
        found = holidays_between(
            where.country,
            where.region,
            days[0],
            days[-1],
            with_national=where.side == OURS,
            national_day=where.side == THEIRS,
        )
        for holiday in found:
            low = bisect.bisect_left(days, holiday.first)
            high = bisect.bisect_right(days, holiday.last)
            touched = tuple(days[low:high])
            if not touched:
                continue
            items = sum(per_day.get(d, 0) for d in touched)
            out.append(Clash(holiday, where, touched, items))
    return sorted(out, key=lambda c: (c.days[0], c.side != OURS, c.holiday.kind != HOLIDAY))


def check(db: Database, visit_id: int) -> DateCheck:
    """The visit's days and every clash on them, read from the database."""
    visit = _row(db, "SELECT * FROM visits WHERE id = ?", visit_id) or {"id": visit_id}
    city = _row(db, "SELECT * FROM city_profile ORDER BY id LIMIT 1")
    partnership = None
    if visit.get("partnership_id"):
        partnership = _row(db, "SELECT * FROM partnerships WHERE id = ?", visit["partnership_id"])
    itinerary = [
        {"starts_at": row[0]}
        for row in db.execute(
            "SELECT starts_at FROM itinerary_items WHERE visit_id = ? ORDER BY starts_at",
            (visit_id,),
        )
    ]
    days = visit_days(visit, itinerary)
    ours, theirs = our_side(city), their_side(visit, partnership)
    found = _clashes(days, [s for s in (ours, theirs) if s is not None], itinerary)
    result = DateCheck(visit, days, ours, theirs, found)
    if theirs is None:
        result.notes.append("The visit records no country: only our holidays are checked.")
    state = str((city or {}).get("state") or "").strip()
    if days and not ours.region:
        why = f"names a state desk does not know ({state!r})" if state else "names no state"
        result.notes.append(
            f"The city profile {why}: only U.S. federal holidays are checked on our side."
        )
    span = _table_years()
    if days and (span is None or not _within(days, span)) and _package() is None:
        result.notes.append(
            "Public holidays are known from "
            + (f"{span[0]} to {span[1]}" if span else "no year")
            + "; days outside those years show only festivals, periods and national days."
        )
    return result


def _within(days: list[dt.date], span: tuple[int, int]) -> bool:
    return span[0] <= days[0].year and days[-1].year <= span[1]


def _row(db: Database, sql: str, *params: Any) -> dict[str, Any] | None:
    cursor = db.execute(sql, params)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


# -- in words ------------------------------------------------------------------------------


def _with_year(clashes: Sequence[Clash]) -> bool:
    """Whether days need their year: only when the clashes cross a New Year."""
    years = {d.year for c in clashes for d in (c.holiday.first, c.holiday.last)}
    return len(years) > 1


def clash_text(clash: Clash, *, year: bool = False) -> str:
    """'Showa Day (Japan), Wednesday, April 29: day off'."""
    return f"{clash.name} ({clash.place}), {clash.when(year=year)}: {clash.status()}"


def summary_line(clashes: Sequence[Clash], limit: int = 8) -> str | None:
    """The packet's line at a glance, 'Holidays during the visit: ...', or None."""
    if not clashes:
        return None
    year = _with_year(clashes)
    shown = [clash_text(c, year=year) for c in clashes[:limit]]
    more = len(clashes) - len(shown)
    tail = f"; and {more} more" if more else ""
    return "Holidays during the visit: " + "; ".join(shown) + tail + "."


def warning_line(clash: Clash, *, year: bool = False) -> str:
    """'Holiday in Japan: Showa Day, Wednesday, April 29 (day off).'"""
    h = clash.holiday
    when = clash.when(year=year)
    if h.kind == PERIOD:
        approximate = " (dates approximate)" if h.approximate else ""
        return f"{h.name} in {clash.place}, {when}{approximate}: {h.note or 'not a day off'}."
    if h.national_day:
        what = f"National day of {clash.place}"
    elif clash.side == OURS:
        what = f"{clash.place} holiday"
    else:
        what = f"Holiday in {clash.place}"
    return f"{what}: {h.name}, {when} ({clash.status()})."


def warning_lines(clashes: Sequence[Clash], limit: int = 4) -> list[str]:
    """A line for each clash, the days off first, in date order, then the rest and the
    periods: what a visit's page warns of in its header."""
    ranked = sorted(clashes, key=lambda c: (not c.day_off, c.holiday.kind == PERIOD, c.days[0]))
    year = _with_year(clashes)
    lines = [warning_line(c, year=year) for c in ranked[:limit]]
    if len(ranked) > limit:
        more = len(ranked) - limit
        lines.append(f"And {more} more on the visit's days.")
    return lines


def clash_lines(
    db: Database, visit_id: int, limit: int = 4, today: dt.date | None = None
) -> list[str]:
    """The visit page's warnings: empty when nothing clashes, the visit has no dates or
    it is over (a warning would come too late, and a visit before the table's years
    would load the whole package on the window's thread to say it)."""
    row = db.execute(
        "SELECT max(coalesce(end_date, ''), coalesce(start_date, ''), coalesce(("
        "  SELECT max(substr(starts_at, 1, 10)) FROM itinerary_items WHERE visit_id = ?"
        "), '')) FROM visits WHERE id = ?",
        (visit_id, visit_id),
    ).fetchone()
    last = stored_date(row[0] if row and row[0] else None)
    if last is None or last < (today or dt.date.today()):
        return []
    return warning_lines(check(db, visit_id).clashes, limit)


def _main(argv: Sequence[str]) -> int:
    if list(argv) != ["--rebuild"]:
        print("usage: python -m desk.core.features.holidays --rebuild")
        return 2
    path = resource_path(*TABLE)
    count = build_table(path)
    print(f"{count} countries written to {path}")
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(_main(sys.argv[1:]))
