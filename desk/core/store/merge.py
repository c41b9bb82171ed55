"""Duplicates: pairs of records that are likely one person, body or relationship
(suggested, each with why), and two records merged into one as a single operation.

Suggesting never compares every record with every other. The records are read in one
pass and put in blocks by keys (the name folded: accents, case, punctuation and word
order aside, and the words a body's name is written with or without, "City of",
"Government"; the name in its own script; an email; a phone's last digits), and pairs
are made only inside a block. (Grouped by SQLite instead, each key is a call back into
Python, made twice per row, and each key another pass: 1.6 s for the names alone of
100,000 contacts, 5.6 s for all keys in one statement, against 2 s for all of this.)
Namesakes are a pair only where nothing tells them apart (two countries; two emails and
two phone numbers), and a record alike in all that to more than a few others could be
any of them, so a directory with a few hundred "Wei Li"s suggests what is likely, not
every namesake.

Merging keeps one record (`keep`) and folds the other into it, as one operation that
undo takes back whole: every link to the other (every field that points at its kind,
as the declarations and the schema's foreign keys say, attachments' owners included)
moves to the one kept; where the move would link the same two records twice (a unique
link, such as a contact on a partnership), the other's link is merged into the kept
one and deleted, recorded like any delete; the kept record keeps its values, takes the
other's where its own are empty, and takes those the person chose; then the other is
deleted through the write path, so its history stays and undo brings it back.
"""

from __future__ import annotations

import functools
import re
import time
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from desk.core.domain.kinds import KINDS, Field, Kind, kind_of_table
from desk.core.domain.names import normalise, place_name
from desk.core.errors import ValidationError
from desk.core.progress import Progress
from desk.core.store import records
from desk.core.store.db import Database
from desk.core.store.hooks import hooks_for
from desk.core.store.operations import Changes, operation, quoted
from desk.core.store.queries import display

Side = Literal["keep", "other"]

# -- folding names ---------------------------------------------------------------------

# Letters that Unicode does not decompose into a plain letter and a mark, read as the
# letter a person would type without them ("Łódź" is "Lodz", "Ørsted" is "Orsted").
_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŀ": "l", "ŧ": "t"}
    | {"æ": "ae", "œ": "oe", "þ": "th"}
)
# Words a body's name is written with or without: "Kobe City Government", "City of
# Kobe" and "Kobe" name one place (the place words themselves are names.place_name's).
_BODY_WORDS = frozenset({"government", "gov", "govt", "municipal", "metropolitan", "hall"})


@functools.lru_cache(maxsize=1 << 16)
def _folded(word: str) -> tuple[str, ...]:
    # A directory repeats its words (family names, given names): each is folded once.
    return tuple(normalise(word.casefold().translate(_LETTERS)).split())


# ASCII's punctuation as spaces: most names are plain ASCII and are folded in one call.
_ASCII_BREAKS = str.maketrans(
    {chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")}
)


def words(text: object) -> list[str]:
    """A name's words as compared: case, accents and punctuation aside."""
    if text is None:
        return []
    plain = str(text)
    if plain.isascii():
        return plain.lower().translate(_ASCII_BREAKS).split()
    return [w for part in plain.split() for w in _folded(part)]


def _core(found: list[str]) -> list[str]:
    """The words that name it, less those a name is written with or without."""
    kept = place_name(" ".join(found)).split()
    return [w for w in kept if w not in _BODY_WORDS] or kept


# Directories repeat whole names too (the duplicates this looks for among them).
@functools.lru_cache(maxsize=1 << 17)
def name_key(text: object) -> str:
    """The key a name is blocked by: its core words in alphabetical order, so "García,
    José", "jose garcia" and "JOSÉ GARCÍA" share one, as do "City of Kobe" and "Kobe
    City Government"."""
    return " ".join(sorted(_core(words(text))))


_ONLY_DIGITS = str.maketrans("", "", "".join(chr(c) for c in range(128) if not chr(c).isdigit()))
_LETTER = re.compile(r"[A-Za-z]")
# A phone's last eight digits: "+81 78-331-8181" and "078-331-8181" are one number
# (the country code and the trunk zero aside, which a country's shortest numbers, of
# eight digits, leave no room for); seven or more, or it is no number.
_PHONE_DIGITS = 8
_PHONE_LEAST = 7


def phone_key(text: object) -> str | None:
    """The key a phone number is blocked by, or None for what cannot be one."""
    if not text:
        return None
    plain = str(text)
    # "x123", "ext. 4": an extension is not part of the number.
    letter = _LETTER.search(plain)
    if letter is not None:
        plain = plain[: letter.start()]
    if plain.isascii():
        digits = plain.translate(_ONLY_DIGITS)
    else:  # Arabic-Indic or full-width digits read as the digits they are
        digits = "".join(str(unicodedata.decimal(c)) for c in plain if c.isdecimal())
    if len(digits) < _PHONE_LEAST:
        return None
    return digits[-_PHONE_DIGITS:]


def _email_key(value: object) -> str:
    return value.strip().casefold() if isinstance(value, str) else ""


# -- what a kind is compared by, read from its declaration -----------------------------

_PHONE_WORDS = frozenset({"phone", "telephone", "tel", "mobile", "cell"})


@dataclass(frozen=True)
class _Signals:
    """The fields of a kind that say two records are one, or that they are not."""

    parts: tuple[Field, ...]  # the fields its name is made of (given and family name)
    native: tuple[Field, ...]  # its name in another script
    emails: tuple[Field, ...]
    phones: tuple[Field, ...]
    places: tuple[Field, ...]  # countries: two different ones tell records apart
    links: tuple[Field, ...]  # links that, shared, make a pair likelier

    # Every field above once, in the order a record's values are read.
    columns: tuple[str, ...] = ()

    def at(self, name: str) -> int:
        return self.columns.index(name)


def _signals(spec: Kind) -> _Signals:
    """What a kind is compared by, from its declaration alone: its name is made of its
    title fields that lists sort by (a contact's given and family names, not its
    honorific); a name in its own script is a text field imports take under a "native"
    heading; a phone a text field named or headed phone, telephone, mobile or cell;
    emails, countries and links are fields of those types."""

    def text(f: Field) -> bool:
        return f.type == "text"

    titles = tuple(f for f in spec.fields if text(f) and f.search == "title")
    parts = tuple(f for f in titles if f.sort_key) or titles
    native = tuple(
        f
        for f in spec.fields
        if text(f) and f not in parts and any("native" in a for a in f.aliases)
    )
    phones = tuple(
        f
        for f in spec.fields
        if text(f) and ({f.name, *f.aliases} & _PHONE_WORDS or f.name.endswith("_phone"))
    )
    emails = tuple(f for f in spec.fields if f.type == "email")
    places = tuple(f for f in spec.fields if f.type == "country")
    links = tuple(f for f in spec.fields if f.ref)
    chosen = (*parts, *native, *emails, *phones, *places, *links)
    return _Signals(
        parts, native, emails, phones, places, links, tuple(dict.fromkeys(f.name for f in chosen))
    )


def mergeable(spec: Kind) -> bool:
    """Records of a kind with a page of their own (people, bodies, relationships...):
    what a person finds twice. The rows under them are merged with them."""
    return spec.page > 0


# -- suggesting pairs -------------------------------------------------------------------

# An email or phone more records share is an office's, not a person's: not a signal.
SHARED = 6
# A block of one name up to this size is paired whole; in a larger one (a common name)
# only the records with no email can be the same as another.
_WHOLE_BLOCK = 40
# A record nothing tells apart from more namesakes than this could be any of them: its
# name alone suggests none (a shared link still does).
_AMBIGUOUS = 3

_WEIGHTS = {
    "email": 3.0,
    "phone": 2.0,
    "native": 2.0,
    "name": 2.0,
    "swapped": 2.0,
    "order": 1.5,
    "shorter": 1.0,
    "link": 1.0,
    "differing": -1.0,
}


@dataclass(frozen=True)
class Pair:
    """Two records likely one: `keep` is the fuller (then the older) of the two."""

    kind: str
    keep: int
    other: int
    keep_title: str
    other_title: str
    reasons: tuple[str, ...]
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "keep": {"id": self.keep, "title": self.keep_title},
            "other": {"id": self.other, "title": self.other_title},
            "reasons": list(self.reasons),
            "score": self.score,
        }


@dataclass
class Suggestions:
    kind: str
    pairs: list[Pair] = field(default_factory=list)
    checked: int = 0  # records looked at
    # What was left out and why ("14 contacts share the email info@kobe.jp").
    left_out: list[str] = field(default_factory=list)
    seconds: float = 0.0
    more: int = 0  # pairs found beyond the limit


@dataclass(frozen=True, slots=True)
class _Row:
    """What pairing needs of one record, read once."""

    id: int
    title: str
    values: tuple[Any, ...]  # the signals' columns, in their order
    emails: frozenset[str]
    phones: frozenset[str]


def _read(
    db: Database, spec: Kind, signals: _Signals, progress: Progress | None
) -> dict[int, _Row]:
    """Every record's title and compared fields, in one pass over the table (the keys
    are folded in Python, which SQLite would call back into once per row and key)."""
    total = int(db.execute(f"SELECT count(*) FROM {spec.table}").fetchone()[0])
    columns = signals.columns
    emails = [signals.at(f.name) for f in signals.emails]
    phones = [signals.at(f.name) for f in signals.phones]
    cursor = db.execute(
        f"SELECT id, {spec.title_sql}, {', '.join(columns)} FROM {spec.table}"
        if columns
        else f"SELECT id, {spec.title_sql} FROM {spec.table}"
    )
    rows: dict[int, _Row] = {}
    none: frozenset[str] = frozenset()
    while batch := cursor.fetchmany(10_000):
        for record_id, title, *values in batch:
            found_emails = [e for i in emails if (e := _email_key(values[i]))]
            found_phones = [p for i in phones if values[i] and (p := phone_key(values[i]))]
            rows[record_id] = _Row(
                record_id,
                str(title or ""),
                tuple(values),
                frozenset(found_emails) if found_emails else none,
                frozenset(found_phones) if found_phones else none,
            )
        if progress is not None:
            progress(len(rows), total, f"Reading {spec.count(total)}")
    return rows


def _blocks(rows: Mapping[int, _Row], signals: _Signals) -> dict[tuple[str, str], list[int]]:
    """Records by what they share: a name's key, a name in its own script, an email, a
    phone number. Only blocks of two or more are kept."""
    blocks: dict[tuple[str, str], list[int]] = {}
    native = [signals.at(f.name) for f in signals.native]
    for row in rows.values():
        keys = {("name", name_key(row.title))}
        keys.update(("native", name_key(row.values[i])) for i in native if row.values[i])
        keys.update(("email", email) for email in row.emails)
        keys.update(("phone", phone) for phone in row.phones)
        for key in keys:
            if key[1]:
                blocks.setdefault(key, []).append(row.id)
    return {key: ids for key, ids in blocks.items() if len(ids) > 1}


# How far what two records of one name hold tells them apart.
_ALIKE, _DIFFERING, _APART = 0, 1, 2


def _apart(a: _Row, b: _Row, places: list[int]) -> int:
    """Two records of one name are two (_APART) when each has a country, not the
    same, or when both their emails and their phone numbers differ; only one of those
    differing (_DIFFERING: a person's work and home email) leaves them likely one only
    where nobody else has the name."""
    if any(a.values[i] and b.values[i] and a.values[i] != b.values[i] for i in places):
        return _APART
    emails = bool(a.emails and b.emails and not a.emails & b.emails)
    phones = bool(a.phones and b.phones and not a.phones & b.phones)
    return _APART if emails and phones else _DIFFERING if emails or phones else _ALIKE


def _short(label: str) -> str:
    """ "Given name (romanized)" -> "given name"."""
    return re.sub(r"\s*\(.*?\)", "", label).strip().lower()


def _name_reason(a: _Row, b: _Row, signals: _Signals) -> tuple[str, str]:
    """How two names blocked together are alike: (signal, why in words)."""
    at = [signals.at(f.name) for f in signals.parts]
    parts_a = [words(a.values[i]) for i in at]
    parts_b = [words(b.values[i]) for i in at]
    if parts_a == parts_b:
        same = all((a.values[i] or "").strip() == (b.values[i] or "").strip() for i in at)
        return "name", "same name" if same else "same name, accents, case or punctuation aside"
    if len(at) == 2 and parts_a == parts_b[::-1] and parts_a[0] != parts_a[1]:
        first, second = (_short(f.label) for f in signals.parts)
        return "swapped", f"same name with {first} and {second} swapped"
    title_a, title_b = words(a.title), words(b.title)
    if sorted(title_a) == sorted(title_b):
        return "order", "same name, its words in another order"
    set_a, set_b = set(title_a), set(title_b)
    if set_a < set_b or set_b < set_a:
        shorter, longer = (a, b) if len(set_a) < len(set_b) else (b, a)
        return "shorter", f"“{shorter.title}” is a shorter form of “{longer.title}”"
    apart = sorted(set_a ^ set_b)
    return "shorter", "same name but for " + ", ".join(f"“{w}”" for w in apart)


def _names_meet(a: _Row, b: _Row, signals: _Signals) -> bool:
    """Whether two records that share an email or a phone may be one: the words of one
    name are all in the other ("Maria Garcia", "María José García"), their names in
    their own script are one, or their names are written in different scripts. Two
    people with different names share an office's line, not an identity."""
    words_a, words_b = set(_core(words(a.title))), set(_core(words(b.title)))
    if words_a and words_b and (words_a <= words_b or words_b <= words_a):
        return True
    for f in signals.native:
        i = signals.at(f.name)
        if a.values[i] and b.values[i] and name_key(a.values[i]) == name_key(b.values[i]):
            return True
    return all(w.isascii() for w in words_a) != all(w.isascii() for w in words_b)


def _shared_links(a: _Row, b: _Row, signals: _Signals) -> list[Field]:
    found = []
    for f in signals.links:
        i = signals.at(f.name)
        if a.values[i] is not None and a.values[i] == b.values[i]:
            found.append(f)
    return found


def _shared_value(row: _Row, signal: str, signals: _Signals) -> str:
    """The email or phone number a record shares, as it has it."""
    fields = signals.emails if signal == "email" else signals.phones
    values = (row.values[signals.at(f.name)] for f in fields)
    return str(next((v for v in values if v), "")).strip()


def _fullness(row: _Row) -> int:
    return sum(1 for value in row.values if value not in (None, "", "[]"))


def _name_pairs(
    ids: list[int], rows: Mapping[int, _Row], places: list[int]
) -> list[tuple[int, int, int]]:
    """The pairs of one name's block that nothing tells apart, each with how far they
    differ; two that differ only in their emails or phones are a pair only when they
    alone have the name. In a large block (a common name) only a record with no email
    can be one with another: two with emails are told apart by them, or already paired
    by a shared one."""
    if len(ids) <= _WHOLE_BLOCK:
        candidates: Iterable[tuple[int, int]] = (
            (a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]
        )
    else:
        loose = [i for i in ids if not rows[i].emails]
        candidates = {(min(a, b), max(a, b)) for a in loose for b in ids if a != b}
    found = []
    for a, b in candidates:
        apart = _apart(rows[a], rows[b], places)
        if apart == _ALIKE or (apart == _DIFFERING and len(ids) == 2):
            found.append((a, b, apart))
    return sorted(found)


def suggest(
    db: Database,
    kind_name: str,
    *,
    limit: int | None = None,
    progress: Progress | None = None,
) -> Suggestions:
    """Pairs of records of a kind that are likely one, likeliest first, each with why."""
    started = time.perf_counter()
    spec = KINDS[kind_name]
    signals = _signals(spec)
    result = Suggestions(spec.name)
    rows = _read(db, spec, signals, progress)
    result.checked = len(rows)
    blocks = _blocks(rows, signals)
    places = [signals.at(f.name) for f in signals.places]
    found: dict[tuple[int, int], dict[str, str]] = {}

    def add(a: int, b: int, signal: str, why: str) -> None:
        pair = (a, b) if a < b else (b, a)
        found.setdefault(pair, {}).setdefault(signal, why)

    named: list[tuple[str, list[tuple[int, int, int]]]] = []
    # Each record's namesakes that nothing tells it apart from (by name or native name).
    namesakes: dict[int, set[int]] = {}
    for (signal, _key), ids in sorted(blocks.items()):
        if signal in ("email", "phone"):
            if len(ids) > SHARED:
                what = "email" if signal == "email" else "phone number"
                value = _shared_value(rows[ids[0]], signal, signals)
                result.left_out.append(
                    f"{spec.count(len(ids))} share one {what} ({value}): an office's, not "
                    "a person's, so it pairs none of them."
                )
                continue
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    if _names_meet(rows[a], rows[b], signals):
                        add(a, b, signal, _reason(rows[a], signal, signals))
            continue
        pairs = _name_pairs(ids, rows, places)
        for a, b, _apart_by in pairs:
            namesakes.setdefault(a, set()).add(b)
            namesakes.setdefault(b, set()).add(a)
        named.append((signal, pairs))
    crowded: dict[str, int] = {}
    for signal, pairs in named:
        for a, b, apart in pairs:
            many = max(len(namesakes[a]), len(namesakes[b]))
            if many > _AMBIGUOUS and not _shared_links(rows[a], rows[b], signals):
                for one in (a, b):
                    if len(namesakes[one]) > _AMBIGUOUS:
                        crowded[rows[one].title] = len(namesakes[one]) + 1
                continue
            if signal == "native":
                add(a, b, "native", _reason(rows[a], "native", signals))
            else:
                add(a, b, *_name_reason(rows[a], rows[b], signals))
            if apart == _DIFFERING:
                add(a, b, "differing", "though their emails or phone numbers differ")
    if crowded:
        common = max(crowded, key=lambda title: crowded[title])
        result.left_out.append(
            f"Records of {len(crowded):,} names are alike in all desk can compare, with "
            f"more than {_AMBIGUOUS} others each (“{common}”: {crowded[common]:,}): "
            "their names alone suggest none of them."
        )
    ranked: list[Pair] = []
    for (a, b), signalled in found.items():
        row_a, row_b = rows[a], rows[b]
        reasons = dict(signalled)
        for link in _shared_links(row_a, row_b, signals):
            reasons.setdefault(f"link:{link.name}", f"same {_short(link.label)}")
        score = sum(_WEIGHTS["link" if s.startswith("link:") else s] for s in reasons)
        if _fullness(row_b) > _fullness(row_a):
            row_a, row_b = row_b, row_a
        ranked.append(
            Pair(
                spec.name,
                row_a.id,
                row_b.id,
                row_a.title,
                row_b.title,
                tuple(reasons.values()),
                score,
            )
        )
    ranked.sort(key=lambda p: (-p.score, name_key(p.keep_title), p.keep, p.other))
    if limit is not None and len(ranked) > limit:
        result.more = len(ranked) - limit
        ranked = ranked[:limit]
    result.pairs = ranked
    result.seconds = time.perf_counter() - started
    return result


def _reason(row: _Row, signal: str, signals: _Signals) -> str:
    if signal == "native":
        values = (row.values[signals.at(f.name)] for f in signals.native)
        return f"same name in its own script ({next((v for v in values if v), '')})"
    what = "email" if signal == "email" else "phone number"
    return f"same {what} ({_shared_value(row, signal, signals)})"


# -- comparing two records ---------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in ("", "[]"))


@dataclass(frozen=True)
class Choice:
    """One field of two records side by side, and which one the merge keeps."""

    name: str
    label: str
    keep: Any
    other: Any
    keep_text: str
    other_text: str
    chosen: Side
    # Why the other's value cannot be taken ("" when it can): set by its own operation.
    locked: str = ""

    @property
    def differs(self) -> bool:
        return self.keep != self.other

    @property
    def value(self) -> Any:
        return self.other if self.chosen == "other" else self.keep


@dataclass(frozen=True)
class LinkColumn:
    """A column of another kind's records that points at records of the merged kind."""

    kind: Kind
    column: str
    label: str
    # The other columns of each unique constraint the column is in: two rows alike in
    # them may not point at the same record.
    unique_with: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Moving:
    label: str
    count: int
    duplicates: int  # of those, links the kept record already has: merged into them


@dataclass
class Comparison:
    kind: str
    keep: int
    other: int
    keep_title: str
    other_title: str
    fields: list[Choice]
    links: list[Moving]

    def choices(self) -> dict[str, Side]:
        return {c.name: c.chosen for c in self.fields}


@dataclass
class Merged:
    changes: Changes
    moved: dict[str, int] = field(default_factory=dict)  # link label -> count
    merged_links: dict[str, int] = field(default_factory=dict)  # duplicates folded in
    taken: list[str] = field(default_factory=list)  # labels of fields taken from the other


_LINKS: dict[str, tuple[tuple[Kind, ...], tuple[LinkColumn, ...]]] = {}


def links_to(db: Database, spec: Kind) -> tuple[LinkColumn, ...]:
    """Every column that links a record to one of `spec`: each kind's fields that point
    at it, and the columns the schema links to its table that no field declares (an
    attachment's owner), so none is left pointing at a record merged away."""
    # Read once per set of kinds (a kind registered later may link to this one): a merge
    # asks for every link it moves, and the schema is fixed once the file is open.
    kinds = tuple(KINDS.values())
    cached = _LINKS.get(spec.name)
    if (
        cached is not None
        and len(cached[0]) == len(kinds)
        and all(a is b for a, b in zip(cached[0], kinds, strict=True))
    ):
        return cached[1]
    found: dict[tuple[str, str], Kind] = {}
    for child in KINDS.values():
        for f in child.fields:
            if f.ref == spec.name:
                found[(child.table, f.name)] = child
    tables = {child.table for child in KINDS.values()}
    for table in sorted(tables):
        for fk in db.execute(f"PRAGMA foreign_key_list({table})").fetchall():
            if fk[2] == spec.table:
                found.setdefault((table, fk[3]), kind_of_table(table))
    shown = {(link.kind, link.via): link.label for link in spec.links}
    per_kind: dict[str, int] = {}
    for child in found.values():
        per_kind[child.name] = per_kind.get(child.name, 0) + 1
    columns = []
    for (table, column), child in found.items():
        label = shown.get((child.name, column))
        if label is None:
            declared = child.field_map.get(column)
            label = child.plural
            if declared is not None and per_kind[child.name] > 1:
                label = f"{child.plural} ({_short(declared.label)})"
        columns.append(LinkColumn(child, column, label, _unique_with(db, table, column)))
    result = tuple(columns)
    _LINKS[spec.name] = (kinds, result)
    return result


def _unique_with(db: Database, table: str, column: str) -> tuple[tuple[str, ...], ...]:
    found = []
    for _seq, name, unique, *_rest in db.execute(f"PRAGMA index_list({table})").fetchall():
        if not unique:
            continue
        names = [row[2] for row in db.execute(f"PRAGMA index_info({name})").fetchall()]
        if column in names and len(names) > 1 and None not in names:
            found.append(tuple(n for n in names if n != column))
    return tuple(found)


def _twin_sql(link: LinkColumn, others: tuple[str, ...], alias: str) -> str:
    same = " AND ".join(f"t.{name} = {alias}.{name}" for name in others)
    return f"SELECT t.id FROM {link.kind.table} t WHERE t.{link.column} = ? AND {same}"


def _twin(db: Database, link: LinkColumn, row: Mapping[str, Any], keep_id: int) -> int | None:
    """The kept record's link that the other's would repeat, if any."""
    for others in link.unique_with:
        if any(row.get(name) is None for name in others):
            continue  # SQLite lets NULLs repeat in a unique constraint
        same = " AND ".join(f"{name} = ?" for name in others)
        found = db.execute(
            f"SELECT id FROM {link.kind.table} WHERE {link.column} = ? AND {same} "
            "AND id != ? LIMIT 1",
            [keep_id, *(row[name] for name in others), row["id"]],
        ).fetchone()
        if found:
            return int(found[0])
    # A row owned by one record (a delegation member of a visit) that would name the
    # kept record twice under the same owner is a twin too, where nothing dates it
    # apart (two terms in one office are two rows, not one).
    owner = link.kind.parent
    dated = any(f.type in ("date", "datetime") for f in link.kind.fields)
    if owner and owner != link.column and not dated and row.get(owner) is not None:
        found = db.execute(
            f"SELECT id FROM {link.kind.table} WHERE {link.column} = ? AND {owner} = ? "
            "AND id != ? LIMIT 1",
            [keep_id, row[owner], row["id"]],
        ).fetchone()
        if found:
            return int(found[0])
    return None


def _check_pair(spec: Kind, keep_id: int, other_id: int) -> None:
    noun = spec.label.lower()
    if keep_id == other_id:
        raise ValidationError(f"A {noun} cannot be merged with itself: pick another {noun}.")
    if not mergeable(spec):
        raise ValidationError(f"{spec.plural} are merged with what they belong to, not one by one.")


def _choices(
    db: Database,
    spec: Kind,
    keep: Mapping[str, Any],
    other: Mapping[str, Any],
    choose: Mapping[str, Side],
) -> list[Choice]:
    unknown = [name for name in choose if name not in spec.field_map]
    if unknown:
        raise ValidationError(
            f"{spec.label} has no field '{unknown[0]}'. Fields: {', '.join(spec.field_map)}.",
            field=unknown[0],
        )
    for name, asked in choose.items():
        if asked not in ("keep", "other"):
            raise ValidationError(
                f"'{spec.field_map[name].label}': say 'keep' or 'other', not '{asked}'.",
                field=name,
            )
        locked = spec.field_map[name].locked
        if asked == "other" and locked and keep[name] != other[name]:
            raise ValidationError(f"'{spec.field_map[name].label}' is kept: {locked}", field=name)
    chosen: dict[str, Side] = {}
    for f in spec.fields:
        side = choose.get(f.name)
        if side is None:
            # The kept record's values; its empty ones filled from the other's.
            fill = _empty(keep[f.name]) and not _empty(other[f.name]) and not f.locked
            side = "other" if fill and f.type != "bool" else "keep"
        chosen[f.name] = side
    # An amount goes with its currency.
    for f in spec.fields:
        tied = f.currency_field
        if tied and tied in chosen and "other" in (chosen[f.name], chosen[tied]):
            chosen[f.name] = chosen[tied] = "other"
    return [
        Choice(
            f.name,
            f.label,
            keep[f.name],
            other[f.name],
            display(db, f, keep[f.name], dict(keep)),
            display(db, f, other[f.name], dict(other)),
            chosen[f.name],
            f.locked,
        )
        for f in spec.fields
    ]


def compare(
    db: Database,
    kind_name: str,
    keep: int | str,
    other: int | str,
    choose: Mapping[str, Side] | None = None,
) -> Comparison:
    """Two records field by field, with what the merge would keep of each and which
    links would move, without changing anything."""
    spec = KINDS[kind_name]
    if not mergeable(spec):
        raise ValidationError(f"{spec.plural} are merged with what they belong to, not one by one.")
    keep_id = records.resolve_id(db, spec.name, keep)
    other_id = records.resolve_id(db, spec.name, other)
    _check_pair(spec, keep_id, other_id)
    keep_row = records.get(db, spec.name, keep_id)
    other_row = records.get(db, spec.name, other_id)
    moving = []
    for link in links_to(db, spec):
        table, column = link.kind.table, link.column
        count = db.execute(
            f"SELECT count(*) FROM {table} WHERE {column} = ?", (other_id,)
        ).fetchone()[0]
        if not count:
            continue
        twins = 0
        for others in link.unique_with:
            twins += db.execute(
                f"SELECT count(*) FROM {table} o WHERE o.{column} = ? "
                f"AND EXISTS ({_twin_sql(link, others, 'o')})",
                (other_id, keep_id),
            ).fetchone()[0]
        moving.append(Moving(link.label, int(count), int(twins)))
    return Comparison(
        spec.name,
        keep_id,
        other_id,
        records.title_of(db, spec.name, keep_id),
        records.title_of(db, spec.name, other_id),
        _choices(db, spec, keep_row, other_row, choose or {}),
        moving,
    )


# -- merging -------------------------------------------------------------------------------


def merge(
    db: Database,
    kind_name: str,
    keep: int | str,
    other: int | str,
    choose: Mapping[str, Side] | None = None,
    *,
    other_kind: str | None = None,
) -> Merged:
    """Fold `other` into `keep`, as one operation (see the module's note). `choose`
    names fields to take from one side ({"email": "other"}); the rest keep the kept
    record's values, its empty ones filled from the other's. `other_kind`: the kind
    the other record was picked as, refused unless it is the same."""
    spec = KINDS[kind_name]
    if other_kind is not None and KINDS[other_kind].name != spec.name:
        raise ValidationError(
            f"A {spec.label.lower()} can only be merged with another "
            f"{spec.label.lower()}, not with a {KINDS[other_kind].label.lower()}."
        )
    with operation(db, f"Merge {spec.plural.lower()}") as op:
        compared = compare(db, spec.name, keep, other, choose)
        result = Merged(op)
        _move_links(db, spec, compared.other, compared.keep, result)
        values = {c.name: c.other for c in compared.fields if c.chosen == "other" and c.differs}
        # What the kept record keeps over the other's differing values is not lost: said
        # in its notes, where the kind has them ("Phone before the merge: ...").
        dropped = [
            c
            for c in compared.fields
            if c.differs and c.chosen != "other" and c.other_text and c.name != "notes"
        ]
        if dropped and "notes" in spec.field_map and "notes" not in values:
            kept_notes = records.get(db, spec.name, compared.keep).get("notes") or ""
            said = "; ".join(f"{c.label}: {c.other_text}" for c in dropped)
            line = f"From {compared.other_title}, merged into this record: {said}."
            values["notes"] = f"{kept_notes}\n{line}".strip()
        if values:
            records.update(db, spec.name, compared.keep, values)
            result.taken = [c.label for c in compared.fields if c.name in values]
        records.delete(db, spec.name, compared.other)
        op.label = (
            f"Merge {spec.label.lower()} {quoted(compared.other_title)} into "
            f"{quoted(compared.keep_title)}"
        )
    result.changes = op.about(compared.keep)
    return result


def _move_links(db: Database, spec: Kind, from_id: int, to_id: int, result: Merged) -> None:
    """Point every link at `from_id` to `to_id`; a link `to_id` already has is merged
    into the one it has."""
    stamp = records.now()
    for link in links_to(db, spec):
        child, column = link.kind, link.column
        for (row_id,) in db.execute(
            f"SELECT id FROM {child.table} WHERE {column} = ? ORDER BY id", (from_id,)
        ).fetchall():
            if child is spec and row_id == from_id:
                continue  # the record merged away: it goes as it is
            old = records.stored_row(db, child.table, row_id)
            if old is None or old[column] != from_id:
                continue  # merged away with a link before it
            twin = _twin(db, link, old, to_id)
            if twin is not None:
                _fold_row(db, child, twin, row_id, result)
                result.merged_links[link.label] = result.merged_links.get(link.label, 0) + 1
                continue
            # A record of the kind that pointed at the other now points at itself: no link.
            target = None if child is spec and row_id == to_id else to_id
            records.set_fields(db, child, old, {column: target}, stamp)
            hooks_for(child.name).after_update(
                db, {**old, column: target}, {column: (from_id, target)}
            )
            result.moved[link.label] = result.moved.get(link.label, 0) + 1


def _fold_row(db: Database, spec: Kind, keep_id: int, other_id: int, result: Merged) -> None:
    """Merge one linked row into its twin (a contact on a partnership twice over): its
    own links move to the twin, the twin's empty fields take its values, and it goes."""
    _move_links(db, spec, other_id, keep_id, result)
    keep = records.stored_row(db, spec.table, keep_id)
    other = records.stored_row(db, spec.table, other_id)
    assert keep is not None and other is not None
    fill = {
        f.name: other[f.name]
        for f in spec.fields
        if not f.locked and _empty(keep[f.name]) and not _empty(other[f.name])
    }
    if fill:
        records.update(db, spec.name, keep_id, fill)
    records.delete(db, spec.name, other_id)
