"""Picking a linked record as a person types its name, closest to the record at hand
first; and picking a time zone by any city or country name.

What is close is read from the declarations, never from a kind's name: the records the
one at hand links to (and what they link to, three links up), then the records of the
wanted kind tied to those, directly or through one record more. A visit's participant
thus finds this delegation, the partnership's contacts and the people of its earlier
delegations and of the partner's organization before anyone else; a visit finds the
partnerships of its requester before the others. Records in the same country come next,
then the rest, as the search index answers the typed words (each a prefix, accents
ignored). Nothing reads a whole table: the close records are a few index lookups, the
rest an index query with a limit.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from desk.core.domain.dates import utc_offset
from desk.core.domain.kinds import KINDS, Field, Kind
from desk.core.domain.types.cleaning import is_plain_id
from desk.core.reference import capitals, countries
from desk.core.store import index, queries
from desk.core.store.db import Database

# How far up the record at hand's links are followed, and how many close records each
# lookup and all of them together may bring: enough for a delegation, a partnership's
# people and its past visits, never a whole table.
_UP = 3
_EACH = 100
_CLOSE = 300
# How many matches of the typed words are read from the index before ranking.
_READ = 200
SHOWN = 40


@dataclass(frozen=True)
class AtHand:
    """The record being edited: its kind, what it holds so far (with its `id` once
    stored) and the field being picked (whose old value is no reason to rank)."""

    kind: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    picking: str | None = None


@dataclass(frozen=True)
class Choice:
    id: int
    title: str
    native: str = ""
    # What tells it from namesakes: "Professor · Kyoto University · Japan".
    context: str = ""
    # Why it is listed first: "Partnership: Matsue".
    why: str = ""
    close: bool = False


def _id(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and is_plain_id(value.strip()):
        return int(value)
    return None


def _refs(spec: Kind, target: str | None = None) -> list[Field]:
    return [f for f in spec.fields if f.ref and (target is None or f.ref == target)]


def _country_field(spec: Kind) -> Field | None:
    return next((f for f in spec.fields if f.type == "country"), None)


@dataclass
class _Anchors:
    """The records the one at hand links to, each with its distance from it, and the
    first country met on the way (the record's own, else its nearest link's)."""

    found: dict[tuple[str, int], int] = field(default_factory=dict)
    country: str | None = None
    # The field each was found through, by its label: "Advance contact".
    through: dict[tuple[str, int], str] = field(default_factory=dict)


def _anchors(db: Database, at_hand: AtHand, target: str | None = None) -> _Anchors:
    """What the record at hand links to, up to three links up. A record of the kind
    being picked is an answer, not a way further: a staff member on every visit would
    bring every delegation and every colleague."""
    out = _Anchors()
    if at_hand.kind is None:
        return out
    spec = KINDS[at_hand.kind]
    country = _country_field(spec)
    if country is not None and at_hand.values.get(country.name):
        out.country = str(at_hand.values[country.name])
    frontier: list[tuple[str, int]] = []
    own = _id(at_hand.values.get("id"))
    if own is not None:
        out.found[(spec.name, own)] = 0
    for f in _refs(spec):
        value = _id(at_hand.values.get(f.name))
        if f.name != at_hand.picking and value is not None and (f.ref or "") in KINDS:
            key = (f.ref or "", value)
            if key not in out.found:
                out.found[key] = 1
                out.through[key] = f.label.split(" (")[0]
                frontier.append(key)
    for depth in range(2, _UP + 1):
        following: list[tuple[str, int]] = []
        for kind, record_id in frontier:
            if kind == target:
                continue
            linked = KINDS[kind]
            refs = _refs(linked)
            place = _country_field(linked)
            columns = [f.name for f in refs] + ([place.name] if place else [])
            if not columns:
                continue
            row = db.execute(
                f"SELECT {', '.join(columns)} FROM {linked.table} WHERE id = ?", (record_id,)
            ).fetchone()
            if row is None:
                continue
            if place is not None and out.country is None and row[-1]:
                out.country = str(row[-1])
            for f, value in zip(refs, row, strict=False):
                key = (f.ref or "", value)
                if value is not None and key not in out.found:
                    out.found[key] = depth
                    out.through[key] = f.label.split(" (")[0]
                    following.append(key)
        frontier = following
    return out


def _close(
    db: Database, at_hand: AtHand, target: str, anchors: _Anchors
) -> dict[int, tuple[int, str]]:
    """Records of `target` tied to what the record at hand links to: id -> (distance,
    the record it was found through, as "Partnership: Matsue")."""
    found: dict[int, tuple[int, tuple[str, int]]] = {}

    def add(ids: Iterable[Any], distance: int, via: tuple[str, int]) -> None:
        for value in ids:
            if value is not None and (value not in found or found[value][0] > distance):
                found[value] = (distance, via)

    def column(sql: str, params: Sequence[Any]) -> list[Any]:
        return [r[0] for r in db.execute(sql + f" LIMIT {_EACH}", params).fetchall()]

    for (kind, record_id), depth in sorted(anchors.found.items(), key=lambda item: item[1]):
        via = (kind, record_id)
        if kind == target:
            add([record_id], depth, via)
            continue
        for linking in KINDS.values():
            if linking.name == kind:
                continue
            to_anchor = _refs(linking, kind)
            to_target = _refs(linking, target) if linking.name != target else []
            for up in to_anchor:
                if linking.name == target:
                    add(
                        column(f"SELECT id FROM {linking.table} WHERE {up.name} = ?", [record_id]),
                        depth + 1,
                        via,
                    )
                for down in to_target:
                    add(
                        column(
                            f"SELECT {down.name} FROM {linking.table} "
                            f"WHERE {up.name} = ? AND {down.name} IS NOT NULL",
                            [record_id],
                        ),
                        depth + 1,
                        via,
                    )
                if depth > _UP - 1 or linking.name == target:
                    continue
                # One record further: a partnership's visits' delegations.
                for second in KINDS.values():
                    if second.name in (linking.name, target):
                        continue
                    for back in _refs(second, linking.name):
                        for down in _refs(second, target):
                            add(
                                column(
                                    f"SELECT {down.name} FROM {second.table} "
                                    f"WHERE {back.name} IN (SELECT id FROM {linking.table} "
                                    f"WHERE {up.name} = ?) AND {down.name} IS NOT NULL",
                                    [record_id],
                                ),
                                depth + 2,
                                via,
                            )
        if len(found) >= _CLOSE:
            break
    own = _id(at_hand.values.get("id"))
    if at_hand.kind == target and own is not None:
        found.pop(own, None)
    for record_id in _siblings(db, at_hand, target):
        found.pop(record_id, None)
    names = _titles(db, {via for _distance, via in found.values()})

    def why(via: tuple[str, int]) -> str:
        # The one picked before through a field of its own says which ("Advance
        # contact"); others say the record they were found through.
        if via[0] == target and via in anchors.through:
            return anchors.through[via]
        return f"{KINDS[via[0]].label}: {names.get(via, '')}"

    return {
        record_id: (distance, why(via))
        for record_id, (distance, via) in list(found.items())[:_CLOSE]
    }


def _siblings(db: Database, at_hand: AtHand, target: str) -> list[int]:
    """What the records beside the one at hand already link to (this delegation's
    members, for a new member): listed already, so no reason to offer them first."""
    spec = KINDS[at_hand.kind] if at_hand.kind else None
    if spec is None or spec.parent is None or at_hand.picking is None:
        return []
    owner = _id(at_hand.values.get(spec.parent))
    picking = spec.field_map.get(at_hand.picking)
    if owner is None or picking is None or picking.ref != target:
        return []
    return [
        r[0]
        for r in db.execute(
            f"SELECT {picking.name} FROM {spec.table} WHERE {spec.parent} = ? "
            f"AND {picking.name} IS NOT NULL LIMIT {_CLOSE}",
            (owner,),
        )
    ]


def _titles(db: Database, records: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    by_kind: dict[str, list[int]] = {}
    for kind, record_id in records:
        by_kind.setdefault(kind, []).append(record_id)
    out: dict[tuple[str, int], str] = {}
    for kind, ids in by_kind.items():
        spec = KINDS[kind]
        marks = ", ".join("?" * len(ids))
        for record_id, title in db.execute(
            f"SELECT id, {spec.title_sql} FROM {spec.table} WHERE id IN ({marks})", ids
        ):
            out[(kind, record_id)] = title or ""
    return out


# -- matching the typed words -----------------------------------------------------------


def _matching(db: Database, spec: Kind, text: str, among: list[int] | None) -> dict[int, bool]:
    """Ids whose words match the text (each typed word a prefix of one of theirs, accents
    ignored), each with whether its name matched (else its other text): names first;
    `among` keeps to those ids."""
    expression = index.match_expression(text) if spec.searchable else None
    if expression is None:
        return _matching_by_title(db, spec, text, among)
    first, last = index.kind_rowids(spec.name)
    found: dict[int, bool] = {}
    for columns in ("{title folded}", "{title body folded}"):
        query = f"{columns} : ({expression})"
        if among is not None:
            if not among:
                break
            # Each close record's entry is looked up by its rowid: a few dozen seeks,
            # where a common prefix matches tens of thousands.
            marks = ", ".join("?" * len(among))
            rows = db.execute(
                f"SELECT rowid - ? FROM search_index WHERE search_index MATCH ? "
                f"AND rowid IN ({marks})",
                [first, query, *(first + i for i in among)],
            )
        else:
            if len(found) >= _READ:
                break
            rows = db.execute(
                "SELECT rowid - ? FROM search_index WHERE search_index MATCH ? "
                "AND rowid BETWEEN ? AND ? LIMIT ?",
                [first, query, first, last, _READ],
            )
        named = columns == "{title folded}"
        for (record_id,) in rows:
            found.setdefault(record_id, named)
    return found


def _matching_by_title(
    db: Database, spec: Kind, text: str, among: list[int] | None
) -> dict[int, bool]:
    """For kinds the search index does not hold (offices): few, so read by their title."""
    words = fold(text).split()
    if among is not None:
        marks = ", ".join("?" * len(among))
        rows = db.execute(
            f"SELECT id, {spec.title_sql} FROM {spec.table} WHERE id IN ({marks})", among
        ).fetchall()
    else:
        # SQLite narrows by each word as typed; the words are then matched as prefixes.
        likes = ["%" + w.replace("%", "").replace("_", "") + "%" for w in text.split()]
        where = " AND ".join(f"({spec.title_sql}) LIKE ?" for _w in likes) or "1"
        rows = db.execute(
            f"SELECT id, {spec.title_sql} FROM {spec.table} WHERE {where} LIMIT {_READ * 5}",
            likes,
        ).fetchall()
    return {record_id: True for record_id, title in rows if words_match(words, title or "")}


def fold(text: str) -> str:
    """Lower case without accents or the letters search folds (Đ, ß, ø), punctuation
    as spaces: how typed words and names are compared."""
    decomposed = unicodedata.normalize("NFKD", text.translate(index.FOLD).casefold())
    return _NOT_WORD.sub(" ", _MARKS.sub("", decomposed))


_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NOT_WORD = re.compile(r"[\W_]+")


def words_match(typed: list[str], name: str) -> bool:
    """Every typed word (folded) begins one of the name's words."""
    words = fold(name).split()
    return all(any(w.startswith(t) for w in words) for t in typed)


# -- the list a picker shows ------------------------------------------------------------


def choices(
    db: Database,
    target: str,
    text: str = "",
    at_hand: AtHand | None = None,
    *,
    limit: int = SHOWN,
) -> list[Choice]:
    """Records of kind `target` for a picker, best first: those close to the record at
    hand, then those of its country, then the rest; with `text`, only those matching
    every typed word."""
    return Picker(db, target, at_hand).choices(text, limit=limit)


class Picker:
    """One picker's questions while a person types: what is close to the record at hand
    is worked out once, each keystroke then asks only for the words typed."""

    def __init__(self, db: Database, target: str, at_hand: AtHand | None = None) -> None:
        self.db = db
        self.spec = KINDS[target]
        self.at_hand = at_hand or AtHand()
        self._close: dict[int, tuple[int, str]] | None = None
        self._anchors: _Anchors | None = None

    def close(self) -> dict[int, tuple[int, str]]:
        """id -> (distance, why) of the records close to the one at hand."""
        if self._close is None:
            self._anchors = _anchors(self.db, self.at_hand, self.spec.name)
            self._close = (
                _close(self.db, self.at_hand, self.spec.name, self._anchors)
                if self.at_hand.kind
                else {}
            )
        return self._close

    def choices(self, text: str = "", *, limit: int = SHOWN) -> list[Choice]:
        db, spec = self.db, self.spec
        close = self.close()
        assert self._anchors is not None
        country_field = _country_field(spec)
        country = self._anchors.country if country_field is not None else None
        typed = text.strip()
        if typed:
            named = _matching(db, spec, typed, list(close))
            near = list(named)
            others = _matching(db, spec, typed, None)
            named.update(others)
            rest = [i for i in others if i not in close]
        else:
            named = {}
            near = list(close)
            rest = _first_in_order(db, spec, country_field, country, limit, set(close))
        # Ranked on names and countries alone; the rest of a row is read for those shown.
        brief = _brief(db, spec, country_field, [*near, *rest])
        words = " ".join(fold(typed).split())

        def starts(record_id: int) -> bool:
            # The name begins with what was typed ("Sato Ha" before "Haruki Sato").
            return bool(words) and brief[record_id][0].startswith(words)

        def same_country(record_id: int) -> bool:
            return bool(country) and brief[record_id][1] == country

        near = sorted(
            (i for i in near if i in brief),
            key=lambda i: (not named.get(i, True), close[i][0], not starts(i), brief[i][0]),
        )
        rest = sorted(
            (i for i in rest if i in brief),
            key=lambda i: (not named.get(i, True), not same_country(i), not starts(i), brief[i][0]),
        )
        shown = [*near, *rest][:limit]
        rows = _rows(db, spec, shown)
        out = []
        for record_id in shown:
            # Those of the same country need no saying: each row shows its own.
            why = close[record_id][1] if record_id in close else ""
            out.append(_choice(db, spec, rows[record_id], why, record_id in close))
        return _told_apart(spec, rows, out)


def _brief(
    db: Database, spec: Kind, country_field: Field | None, ids: list[int]
) -> dict[int, tuple[str, str | None]]:
    """id -> (its name folded, its country), what ranking needs."""
    country = country_field.name if country_field else "NULL"
    out: dict[int, tuple[str, str | None]] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for record_id, title, code in db.execute(
            f"SELECT id, {spec.title_sql}, {country} FROM {spec.table} "
            f"WHERE id IN ({', '.join('?' * len(chunk))})",
            chunk,
        ):
            out[record_id] = (" ".join(fold(title or "").split()), code)
    return out


def _first_in_order(
    db: Database,
    spec: Kind,
    country_field: Field | None,
    country: str | None,
    limit: int,
    skip: set[int],
) -> list[int]:
    """Before anything is typed: some of the same country, then the first of all in the
    kind's own order (read from its index)."""
    order = queries.ListQuery(spec.name).order()
    found: list[int] = []
    wanted = limit + len(skip)
    if country_field is not None and country:
        # From the country's index, in no order: walking the name index for the first
        # of one country read most of 100,000 contacts (120 ms).
        found += [
            r[0]
            for r in db.execute(
                f"SELECT id FROM {spec.table} WHERE {country_field.name} = ? LIMIT ?",
                (country, wanted),
            )
        ]
    found += [r[0] for r in db.execute(f"SELECT id FROM {spec.table}{order} LIMIT ?", (wanted,))]
    return [i for i in dict.fromkeys(found) if i not in skip]


def _rows(db: Database, spec: Kind, ids: list[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    looked = "".join(f", {c.sql(spec.table)} AS {c.name}" for c in spec.looked_up)
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        cursor = db.execute(
            f"SELECT *, {spec.title_sql} AS _title{looked} FROM {spec.table} "
            f"WHERE id IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
        names = [d[0] for d in cursor.description]
        for row in cursor.fetchall():
            out[row[0]] = dict(zip(names, row, strict=True))
    return out


def _native(spec: Kind, row: Mapping[str, Any]) -> str:
    return next(
        (
            str(row[f.name])
            for f in spec.fields
            if f.name.endswith("name_native") and row.get(f.name)
        ),
        "",
    )


def _choice(db: Database, spec: Kind, row: dict[str, Any], why: str, close: bool) -> Choice:
    parts = []
    for column in spec.context:
        looked = spec.looked(column)
        value = str(row.get(column) or "") if looked else queries.column_text(spec, column, row, db)
        if value:
            parts.append(value)
    return Choice(row["id"], row["_title"] or "", _native(spec, row), " · ".join(parts), why, close)


def _told_apart(spec: Kind, rows: Mapping[int, dict[str, Any]], out: list[Choice]) -> list[Choice]:
    """Namesakes with nothing else between them are told apart by their email."""
    seen: dict[tuple[str, str], int] = {}
    for choice in out:
        key = (choice.title, choice.context)
        seen[key] = seen.get(key, 0) + 1
    emails = [f.name for f in spec.fields if f.type == "email"]
    told = []
    for choice in out:
        if seen[(choice.title, choice.context)] > 1 and emails:
            extra = next((str(rows[choice.id][e]) for e in emails if rows[choice.id].get(e)), "")
            if extra:
                context = " · ".join(p for p in (choice.context, extra) if p)
                choice = dataclasses.replace(choice, context=context)
        told.append(choice)
    return told


def describe(db: Database, target: str, record_id: int) -> Choice | None:
    """One record as a picker shows it."""
    spec = KINDS[target]
    rows = _rows(db, spec, [record_id])
    return _choice(db, spec, rows[record_id], "", False) if record_id in rows else None


# -- what a picked record fills in -------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a record is, as far as its fields say: a partner city's name and country,
    a region, a country alone."""

    country: str | None = None
    city: str | None = None
    region: str | None = None
    level: str | None = None

    def parts(self) -> dict[str, str]:
        """Its parts a field of the same name takes (a visit's `city`), known ones only."""
        return {
            name: value
            for name, value in dataclasses.asdict(self).items()
            if name not in ("country", "level") and value
        }


def place_of(db: Database, kind: str, record_id: int) -> Place:
    spec = KINDS[kind]
    rows = _rows(db, spec, [record_id])
    row = rows.get(record_id)
    if row is None:
        return Place()
    country_field = _country_field(spec)
    country = row.get(country_field.name) if country_field else None
    level = row.get("partner_level")
    # A partner's name is a place when the partner is a city; an organization says its
    # city in a field of its own.
    city = row.get("city") or (row.get("partner_name") if level in (None, "city") else None)
    region = row.get("region") or (row.get("partner_name") if level == "region" else None)
    return Place(country, city, region, level)


# -- time zones -------------------------------------------------------------------------


@dataclass(frozen=True)
class ZoneChoice:
    zone: str
    place: str  # "Tokyo, Japan"
    offset: str  # "UTC+9", now

    @property
    def text(self) -> str:
        place = f" — {self.place}" if self.place else ""
        return f"{self.zone}{place} ({self.offset})"


@dataclass(frozen=True)
class City:
    name: str
    country: str
    zone: str
    population: int
    region: str


def city_lines(*, progress: Callable[[int, int, str], None] | None = None) -> tuple[str, str]:
    """Every city of the gazetteer as a zone picker searches them, most populous first,
    as two texts of one line per city: their names folded, and their names, countries,
    time zones, populations and regions, tab-separated. Loading the gazetteer takes most
    of a second, so the window asks a child process for this; two strings cross the
    pipe and are searched as they are (34,000 records would take a fifth of a second to
    unpickle, on the window's thread)."""
    from desk.core.reference import places

    if progress is not None:
        progress(0, 0, "Reading the gazetteer")
    regions = {(d.country, d.admin1): d.name for d in places.divisions()}
    names, details = [], []
    for city in places._cities():
        name = " ".join(str(city["name"]).split())
        region = regions.get((city["countrycode"], city.get("admin1code") or ""), "")
        names.append(" ".join(fold(name).split()))
        fields = (name, city["countrycode"], city["timezone"], str(city.get("population") or 0))
        details.append("\t".join(" ".join(f.split()) for f in (*fields, region)))
    return "\n".join(names), "\n".join(details)


class Cities:
    """The gazetteer's cities (`city_lines`), found by a prefix of any word of their
    name, most populous first."""

    def __init__(self, lines: tuple[str, str]) -> None:
        names, details = lines
        self.names = "\n" + names + "\n"
        self.details = details.split("\n")
        # Where each city's line begins in `names`, to tell a found word's city.
        self.starts = [m.end() for m in re.finditer("\n", self.names)]

    def city(self, n: int) -> City:
        name, country, zone, population, region = self.details[n].split("\t")
        return City(name, country, zone, int(population or 0), region)

    def _lines_with(self, word: str) -> set[int]:
        found: set[int] = set()
        for before in ("\n", " "):
            needle = before + word
            at = self.names.find(needle)
            while at >= 0:
                found.add(bisect.bisect_right(self.starts, at + len(before)) - 1)
                at = self.names.find(needle, at + 1)
        return found

    def _name(self, n: int) -> str:
        return self.names[self.starts[n] : self.starts[n + 1] - 1]

    def matching(self, typed: list[str], country: str | None = None) -> Iterator[City]:
        """Cities whose name has a word beginning with each typed word (folded), most
        populous first; with `country`, those of that country first."""
        if not typed:
            return
        lines = sorted(self._lines_with(max(typed, key=len)))
        lines = [
            n
            for n in lines
            if n + 1 < len(self.starts) and all(_begins_word(self._name(n), t) for t in typed)
        ]
        if country:
            mark = f"\t{country.upper()}\t"
            first = [n for n in lines if mark in self.details[n]]
            lines = first + [n for n in lines if mark not in self.details[n]]
        for n in lines:
            yield self.city(n)

    def zone_of(self, name: str | None, country: str | None) -> str | None:
        """The time zone of the most populous city of that name in that country."""
        if not name or not country:
            return None
        for candidate in (name, name.split(",")[0]):
            key = " ".join(fold(candidate).split())
            needle = "\n" + key + "\n"
            at = self.names.find(needle)
            while at >= 0:
                city = self.city(bisect.bisect_right(self.starts, at + 1) - 1)
                if city.country == country.upper():
                    return city.zone
                at = self.names.find(needle, at + 1)
        return None


def _begins_word(folded_name: str, typed: str) -> bool:
    return any(w.startswith(typed) for w in folded_name.split())


@functools.cache
def _zone_countries() -> dict[str, list[str]]:
    """Zone -> the countries it is listed under, in tzdata's order."""
    out: dict[str, list[str]] = {}
    for country, zones in capitals.country_zones().items():
        for zone in zones:
            out.setdefault(zone, []).append(country)
    return out


@functools.cache
def _zone_rank() -> dict[str, int]:
    """Zone -> its place in its country's list (0 for the most populous)."""
    return {zone: n for zones in capitals.country_zones().values() for n, zone in enumerate(zones)}


def _zone_city(zone: str) -> str:
    return zone.rsplit("/", 1)[-1].replace("_", " ")


@functools.cache
def _zone_words() -> list[tuple[str, str, str]]:
    """(zone, its words folded, its countries' names folded), tzdata's own zones first."""
    listed = _zone_countries()
    names = countries.all_countries()
    out = []
    for zone in sorted(countries.time_zones(), key=lambda z: (z not in listed, z)):
        own = fold(zone.replace("/", " ").replace("_", " "))
        where = " ".join(fold(names.get(c, "")) for c in listed.get(zone, []))
        out.append((zone, own, where))
    return out


def prepare_zones() -> None:
    """Work out the zones' words (a tenth of a second) ahead of the first zone typed."""
    _zone_words()


def zone_place(zone: str, city: str = "", country: str | None = None) -> str:
    """'Tokyo, Japan': a zone's city (or the city it was found by) and its country."""
    listed = _zone_countries().get(zone, [])
    code = country or (listed[0] if listed else None)
    if not city:
        city = _zone_city(zone) if listed else ""
    name = countries.country_name(code) if code else ""
    return ", ".join(p for p in (city, name) if p)


def zone_choice(
    zone: str, city: str = "", country: str | None = None, region: str = ""
) -> ZoneChoice:
    now = dt.datetime.now(dt.UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    place = zone_place(zone, ", ".join(p for p in (city, region) if p), country)
    return ZoneChoice(zone, place, utc_offset(zone, now))


def zones(
    text: str,
    cities: Cities | None = None,
    *,
    prefer: str | None = None,
    limit: int = SHOWN,
) -> list[ZoneChoice]:
    """Time zones for what was typed: by the zone's own name ("Los Ang", "Asia/Tok"),
    by a country ("Japan": its zones, most populous first), by any city of the
    gazetteer ("Valencia": Spain's and Venezuela's), cities of `prefer` (a country
    code) first, then the most populous. Empty text: the zones of `prefer`."""
    typed = fold(text.replace("/", " ").replace("_", " ")).split()
    out: dict[tuple[str, str], ZoneChoice] = {}
    if not typed:
        for zone in capitals.country_zones().get((prefer or "").upper(), []):
            out[(zone, "")] = zone_choice(zone, country=prefer)
        return list(out.values())[:limit]
    by_zone: list[tuple[int, int, str]] = []
    # A country named as offices name it ("Korea", "UAE", "UK"): its zones first.
    named = countries.resolve_country(text) if len(text.strip()) > 1 else None
    for n, zone in enumerate(capitals.country_zones().get(named or "", [])):
        by_zone.append((-1, n, zone))
    # Zones tzdata lists for a country ("Asia/Tokyo"); its old names ("Japan") only when
    # nothing else answers.
    unlisted: list[str] = []
    for zone, own, where in _zone_words():
        if all(_begins_word(own, t) for t in typed):
            if where:
                by_zone.append((0, 0, zone))
            else:
                unlisted.append(zone)
        elif where and all(_begins_word(where, t) or _begins_word(own, t) for t in typed):
            # A country's zones as tzdata lists them, most populous first.
            by_zone.append((1, _zone_rank().get(zone, 0), zone))
    seen_zones = set()
    for _tier, _rank, zone in sorted(by_zone, key=lambda item: item[:2]):
        if zone not in seen_zones:
            seen_zones.add(zone)
            out[(zone, "")] = zone_choice(zone)
    # A city is looked for from two letters on: one letter begins thousands of them.
    if cities is not None and len(max(typed, key=len)) > 1:
        for city in cities.matching(typed, prefer):
            if len(out) >= limit:
                break
            if city.zone not in countries.time_zones() or city.zone in seen_zones:
                continue  # one line a zone: "Paris" is Paris, not each arrondissement
            seen_zones.add(city.zone)
            # "Portland, Oregon" and "Portland, Maine"; not "Osaka, Osaka".
            region = city.region if fold(city.name) not in fold(city.region) else ""
            out[(city.zone, fold(city.name))] = zone_choice(
                city.zone, city.name, city.country, region
            )
    if not out:
        for zone in unlisted:
            out.setdefault((zone, ""), zone_choice(zone))
    return list(out.values())[:limit]


def zone_for(place: Place, cities: Cities | None) -> str | None:
    """The time zone of a place: its city's, else its region's, else its country's
    capital's, else the country's when it has only one. None when that needs the
    gazetteer's cities and they are not at hand (`cities` None), or nothing is known."""
    code = (place.country or "").upper()
    if not code:
        return None
    only = capitals.country_zones().get(code, [])
    if len(only) == 1:
        return only[0]
    if place.level == "region" and place.region:
        from desk.core.reference import places

        found = places.division(place.region, code)
        if found is not None and found.time_zone:
            return found.time_zone
    if cities is None:
        return None
    if place.city and place.level in (None, "city"):
        zone = cities.zone_of(place.city, code)
        if zone:
            return zone
    return cities.zone_of(capitals.capitals().get(code), code)
