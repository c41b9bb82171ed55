"""A person's data on request: everything desk holds about one contact, written out for
them (`export`); all of it removed for good (`erase`); and visitors' passport and
health details cleared a set time after their last visit (`retention`).

What desk holds about a person is found from the declarations, never from a list of
kinds: the contact; the records that go with it (every table whose link to contacts
cascades: ways to reach, offices held, files); the records that link to it and stay
(a delegation member, a gift's giver), some of which keep the linked name as text
(`Field.keeps_name`); that text typed without a link; the person's name in other
records' text; and the history rows of all of these.

Erasing is final, as emptying the trash is: the history's copies of the person's own
records are blanked and the operations that made them retired, their name is replaced
by "(erased)" wherever a record keeps it, and the file is rewritten so that no free
page, index segment or log frame still holds it (`PRAGMA secure_delete` during the
erase, the search index merged, then VACUUM and a checkpoint that empties the log).
Backups taken before the erase still hold the person: they are named, with a command
line that removes them, and left alone.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
import sqlite3
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desk.core.disk import files
from desk.core.domain import dates
from desk.core.domain.kinds import KINDS, Field, Kind, kind_of_table
from desk.core.domain.types import type_of
from desk.core.domain.words import counted
from desk.core.errors import DeskError
from desk.core.progress import Progress
from desk.core.safety import backups
from desk.core.store import attachments, index, records
from desk.core.store.db import Database, connect_read_only
from desk.core.store.operations import Changes, now, operation
from desk.core.store.queries import display
from desk.core.store.undo import PURGED

# What stands where a record needs a name that was erased (a delegation member, a gift's
# giver): the record still says someone was there.
ERASED = "(erased)"
ERASE_LABEL = "Erase a person's data"

# A visitor's details the retention rule clears: travel documents and health needs.
SENSITIVE = (
    "passport_number",
    "passport_country",
    "passport_expiry",
    "date_of_birth",
    "nationality",
    "dietary",
)
# A visit they took part in counts once it is over; one still ahead holds their details.
_DONE = "completed"
_CALLED_OFF = ("cancelled", "declined")
# Today says this many days ahead that details are about to be cleared.
NOTICE_DAYS = 14
# How long emptying the log waits for another desk's read to finish.
CHECKPOINT_WAIT_MS = 2000


def person_kind() -> Kind:
    """The kind a person's data is kept in."""
    return KINDS["contact"]


# -- how a record names them -----------------------------------------------------------

_SPACE = re.compile(r"[\s.,]+")


def _key(text: str) -> str:
    """A name as compared: compatibility forms folded, any case, without spaces, dots or
    commas ("Dr. Jane  DOE" and "dr jane doe" are one name)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).casefold())


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _other_script(text: str) -> bool:
    """Whether a name is written in a script other than Latin (Cyrillic, Arabic, CJK):
    a name of one word there is still a whole name, not a common word."""
    return any(ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN") for ch in text)


def _phrase(text: str) -> re.Pattern[str]:
    """A name inside running text: its words in order, any spacing, any case, not part of
    a longer word. A CJK name of three characters or more is found inside a sentence
    written without spaces; a shorter one only standing apart (it may begin another
    person's name)."""
    words = text.split()
    body = r"\s*".join(re.escape(word) for word in words)
    bare = "".join(words)
    if len(bare) >= 3 and all(index.CJK.fullmatch(ch) for ch in bare):
        return re.compile(body, re.IGNORECASE)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Names:
    """The ways records name one person: whole values (a gift's giver typed as text)
    and phrases found inside text (a visit's notes)."""

    title: str
    keys: frozenset[str]
    phrases: tuple[re.Pattern[str], ...]
    # A word every one of the names holds, folded: what a text must hold for a closer
    # look (asked of every history row, so a substring test, not a pattern).
    words: tuple[str, ...] = ()

    def is_name(self, value: object) -> bool:
        return isinstance(value, str) and bool(value.strip()) and _key(value) in self.keys

    def _near(self, text: str) -> bool:
        if not self.words:
            return True
        folded = (text if text.isascii() else unicodedata.normalize("NFKC", text)).casefold()
        return any(word in folded for word in self.words)

    def mentioned(self, text: object) -> bool:
        if not isinstance(text, str) or not text or not self.phrases or not self._near(text):
            return False
        plain = text if text.isascii() else _nfc(text)
        return any(p.search(plain) for p in self.phrases)

    def redact(self, text: str) -> str:
        plain = _nfc(text)
        out = plain
        for pattern in self.phrases:
            out = pattern.sub(ERASED, out)
        return text if out == plain else out

    def may_hold(self, text: object) -> bool:
        """A quick first look at a stored text (a history row's JSON): whether any of the
        names is in it at all. What it holds is then looked at value by value."""
        if not isinstance(text, str) or not text or not self._near(text):
            return False
        folded = _key(text)
        return any(key in folded for key in self.keys) or self.mentioned(text)


def names_of(row: Mapping[str, Any], emails: Iterable[str] = ()) -> Names:
    """How records may name the person of a contact row: given and family name in either
    order, with the honorific, the name in native script, and their email addresses."""
    given, family = (row.get("given_name") or "").strip(), (row.get("family_name") or "").strip()
    honorific, native = (row.get("honorific") or "").strip(), (row.get("name_native") or "").strip()
    if row.get("name_order") == "family_first":
        title = " ".join(p for p in (family, given) if p)
    else:
        title = " ".join(p for p in (given, family) if p)
    whole = [" ".join(p for p in parts if p) for parts in ((given, family), (family, given))]
    forms = [*whole, native, *(f"{honorific} {name}" for name in (*whole, family) if honorific)]
    addresses = [e.strip() for e in emails if e and e.strip()]
    keys = frozenset(_key(f) for f in [*forms, *addresses] if f and _key(f))
    # In running text only what cannot be a common word: a name of two words or more,
    # a name in another script, an address. "Lee" alone is left to the records linked.
    distinct = [
        f
        for f in dict.fromkeys([*whole, native])
        if f and (len(f.split()) > 1 or (_other_script(f) and len(f.replace(" ", "")) > 1))
    ]
    phrases = tuple(_phrase(_nfc(f)) for f in [*distinct, *dict.fromkeys(addresses)])
    # Every name above holds one of these: a word of the family name, a character or
    # word of the native name, or a whole address (the given name is never alone).
    parts = [
        *(w for w in re.split(r"[\s.,]+", family) if len(w) > 1 or len(family) == 1),
        *(list(native) if index.CJK.search(native) else native.split()),
        *addresses,
    ]
    words = tuple(
        dict.fromkeys(unicodedata.normalize("NFKC", w).casefold() for w in parts if w.strip())
    )
    return Names(title or native or ERASED, keys, phrases, words)


# -- where records point at a person ---------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A column of a kind's records that points at a contact."""

    kind: Kind
    column: str
    label: str
    # The text field that keeps the linked person's name when the link goes.
    keeps_name: str | None
    # The record goes with the contact (ON DELETE CASCADE): it is theirs.
    owned: bool


def links_to(db: Database, spec: Kind) -> list[Link]:
    """Every column that points at records of `spec`, read from the schema's foreign
    keys (so an attachment's owner column too), labelled from the declarations."""
    found = []
    for child in KINDS.values():
        for fk in db.execute(f"PRAGMA foreign_key_list({child.table})").fetchall():
            if fk[2] != spec.table:
                continue
            declared = child.field_map.get(fk[3])
            found.append(
                Link(
                    child,
                    fk[3],
                    declared.label if declared else spec.label,
                    declared.keeps_name if declared else None,
                    fk[6] == "CASCADE",
                )
            )
    return found


def _text_fields(spec: Kind) -> list[Field]:
    return [f for f in spec.fields if type_of(f).words]


def _searched_fields(spec: Kind, person: Kind) -> list[Field]:
    """The fields of a kind whose text may name a person. Of other contacts only what is
    written about them at length (notes, a biography): their names, addresses and titles
    are their own, and a namesake's must not be touched."""
    fields = _text_fields(spec)
    if spec.name == person.name:
        fields = [f for f in fields if type_of(f).multiline]
    return fields


# -- what desk holds about them --------------------------------------------------------


@dataclass
class Item:
    """One record that holds something of the person."""

    kind: Kind
    id: int
    uid: str
    title: str
    row: dict[str, Any]
    via: str = ""  # the label of the link it names them by
    keeps_name: str | None = None  # the field that says their name once the link goes

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind.name, self.id)


@dataclass
class Mention:
    """The person's name in a field of another record's text."""

    kind: Kind
    id: int
    title: str
    field: Field
    text: str


@dataclass
class Step:
    """One history row that names them."""

    id: int
    at: str
    operation: str
    action: str
    kind: str
    record_id: int
    uid: str
    data: Any


@dataclass
class Holdings:
    """Everything desk holds about one person."""

    spec: Kind
    person: Item
    names: Names
    owned: list[Item] = field(default_factory=list)
    # The files kept with them: as listed (name, type, size) and as records.
    files: list[dict[str, Any]] = field(default_factory=list)
    file_items: list[Item] = field(default_factory=list)
    linked: list[Item] = field(default_factory=list)
    named: list[Mention] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    history: list[Step] = field(default_factory=list)
    # Uids of the person's own records, live or kept only in the history (a way to reach
    # deleted last year), whose every copy goes.
    own_uids: set[str] = field(default_factory=set)
    namesakes: list[tuple[int, str]] = field(default_factory=list)


def _row(db: Database, spec: Kind, record_id: int) -> dict[str, Any]:
    row = records.stored_row(db, spec.table, record_id)
    if row is None:
        raise DeskError(f"There is no {spec.label.lower()} {record_id}.")
    return row


def _item(db: Database, spec: Kind, record_id: int, via: str = "") -> Item:
    row = _row(db, spec, record_id)
    return Item(spec, record_id, row["uid"], records.title_of(db, spec.name, record_id), row, via)


def gather(
    db: Database, contact: int | str, *, history: bool = True, progress: Progress | None = None
) -> Holdings:
    """Everything desk holds about the person of a contact (by id, uid or name)."""
    spec = person_kind()
    person_id = records.resolve_named(db, spec.name, contact)
    person = _item(db, spec, person_id)
    links = links_to(db, spec)
    owned_links = [link for link in links if link.owned]
    owned = [
        _item(db, kind_of_table(table), row_id)
        for table, row_id in records.cascade(db, spec.table, [person_id])[1:]
    ]
    file_kind = KINDS["attachment"]
    emails = [person.row.get("email") or ""] + [
        str(value)
        for item in owned
        for name, value in item.row.items()
        if isinstance(value, str) and "@" in value and name in item.kind.field_map
    ]
    names = names_of(person.row, emails)
    found = Holdings(spec, person, names)
    found.owned = [item for item in owned if item.kind is not file_kind]
    found.file_items = [item for item in owned if item.kind is file_kind]
    found.own_uids = {person.uid, *(item.uid for item in owned)}
    for link in owned_links:
        # Theirs, live or long deleted (a way to reach removed last year).
        found.own_uids |= {uid for _hid, uid in _linked_in_history(db, link, person_id)}
    if spec.attachable:
        found.files = attachments.list_for(db, spec.name, person_id)
    taken = {person.key, *(item.key for item in owned)}
    for link in links:
        if link.owned:
            continue
        for (row_id,) in db.execute(
            f"SELECT id FROM {link.kind.table} WHERE {link.column} = ? ORDER BY id", (person_id,)
        ).fetchall():
            item = _item(db, link.kind, row_id, link.label)
            item.keeps_name = link.keeps_name
            found.linked.append(item)
    if progress:
        progress(1, 6, "Reading the records that name them")
    found.named = _named_only(db, links, names)
    found.mentions = [m for m in _mentions(db, spec, names) if (m.kind.name, m.id) not in taken]
    found.namesakes = _namesakes(db, spec, person_id, names)
    if history:
        if progress:
            progress(2, 6, "Reading the history")
        found.history = _history(db, found, links)
    return found


def _linked_in_history(db: Database, link: Link, person_id: int) -> list[tuple[int, str]]:
    """History rows (id, record uid) of a kind's records whose link pointed at the
    person, whether the row was added, changed to point at them or away, or deleted."""
    path = f"$.{link.column}"
    return [
        (int(hid), str(uid))
        for hid, uid in db.execute(
            "SELECT id, record_uid FROM history WHERE kind = ? AND changes != ? AND ("
            "json_extract(changes, ?) = ? OR json_extract(changes, ?) = ? "
            "OR json_extract(changes, ?) = ?)",
            (
                link.kind.name,
                json.dumps(PURGED),
                path,
                person_id,
                f"{path}[0]",
                person_id,
                f"{path}[1]",
                person_id,
            ),
        ).fetchall()
    ]


def _names_in(data: object, names: Names) -> bool:
    """Whether a history row's values name the person (a whole value or inside text)."""
    if isinstance(data, str):
        return names.is_name(data) or names.mentioned(data)
    if isinstance(data, dict):
        return any(_names_in(value, names) for value in data.values())
    if isinstance(data, list):
        return any(_names_in(value, names) for value in data)
    return False


def _named_only(db: Database, links: Sequence[Link], names: Names) -> list[Mention]:
    """Records whose kept-name field holds the person's name with no link: a gift's
    giver typed as text, a delegation member whose contact was deleted before."""
    found = []
    for link in links:
        if not link.keeps_name:
            continue
        kept = link.kind.field_map[link.keeps_name]
        for row_id, value in db.execute(
            f"SELECT id, {kept.name} FROM {link.kind.table} "
            f"WHERE {link.column} IS NULL AND {kept.name} IS NOT NULL ORDER BY id"
        ).fetchall():
            if names.is_name(value):
                title = records.title_of(db, link.kind.name, row_id)
                found.append(Mention(link.kind, row_id, title, kept, str(value)))
    return found


_FUNCTION = "desk_person_mentions"
_SLOT = "_desk_person_matcher"


class _Matcher:
    """`names.mentioned` as an SQL function for the length of a `with`, so a table is
    read once and only the rows that name the person come back to Python."""

    def __init__(self, db: Database, test: Callable[[object], bool]) -> None:
        self.db, self.test = db, test

    def __enter__(self) -> None:
        # Made once per connection and pointed at the test in hand: SQLite refuses to
        # replace or drop a function while any statement of the connection is open.
        slot: list[Callable[[object], bool] | None] | None = getattr(self.db, _SLOT, None)
        if slot is None:
            made: list[Callable[[object], bool] | None] = [None]

            def matches(text: object) -> int:
                test = made[0]
                return int(test is not None and test(text))

            self.db.conn.create_function(_FUNCTION, 1, matches)
            setattr(self.db, _SLOT, made)
            slot = made
        slot[0] = self.test

    def __exit__(self, *_exc: object) -> None:
        slot = getattr(self.db, _SLOT, None)
        if slot is not None:
            slot[0] = None


def _mentions(db: Database, person: Kind, names: Names) -> list[Mention]:
    """The person's name inside the text of any record."""
    if not names.phrases:
        return []
    found = []
    with _Matcher(db, names.mentioned):
        for spec in KINDS.values():
            fields = _searched_fields(spec, person)
            if not fields:
                continue
            joined = " || char(10) || ".join(f"coalesce({f.name}, '')" for f in fields)
            columns = ", ".join(f.name for f in fields)
            for row_id, *values in db.execute(
                f"SELECT id, {columns} FROM {spec.table} WHERE {_FUNCTION}({joined}) ORDER BY id"
            ).fetchall():
                title = records.title_of(db, spec.name, row_id)
                for f, value in zip(fields, values, strict=True):
                    if names.mentioned(value):
                        found.append(Mention(spec, row_id, title, f, str(value)))
    return found


def _namesakes(db: Database, spec: Kind, person_id: int, names: Names) -> list[tuple[int, str]]:
    """Other contacts named the same: text naming the person may mean one of them."""
    rows = db.execute(
        f"SELECT id, {spec.title_sql} FROM {spec.table} WHERE id != ? AND {spec.title_sql} = ? "
        "COLLATE NOCASE",
        (person_id, names.title),
    ).fetchall()
    return [(int(r[0]), str(r[1])) for r in rows]


def _history(db: Database, found: Holdings, links: Sequence[Link]) -> list[Step]:
    """Every history row of the person's own records, of records linked to them, and
    of any record whose stored values name them."""
    person_id = found.person.id
    ids: set[int] = set()
    uids = sorted(found.own_uids)
    for start in range(0, len(uids), 500):
        chunk = uids[start : start + 500]
        ids.update(
            r[0]
            for r in db.execute(
                f"SELECT id FROM history WHERE record_uid IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
        )
    for link in links:
        if not link.owned:
            ids.update(hid for hid, _uid in _linked_in_history(db, link, person_id))
    with _Matcher(db, found.names.may_hold):
        candidates = db.execute(
            f"SELECT id, changes FROM history WHERE {_FUNCTION}(changes)"
        ).fetchall()
    ids.update(hid for hid, text in candidates if _names_in(json.loads(text), found.names))
    steps = []
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        batch = ordered[start : start + 500]
        for hid, at, label, action, kind, record_id, uid, data in db.execute(
            "SELECT h.id, h.at, coalesce(o.label, ''), h.action, h.kind, h.record_id, "
            "h.record_uid, h.changes FROM history h LEFT JOIN operations o ON o.id = h.op_id "
            f"WHERE h.id IN ({', '.join('?' * len(batch))}) ORDER BY h.id",
            batch,
        ):
            steps.append(Step(hid, at, label, action, kind, record_id, uid, json.loads(data)))
    return steps


# -- writing it out for them -----------------------------------------------------------


@dataclass
class Exported:
    path: Path
    files: list[Path]
    holdings: Holdings


def export(
    db: Database,
    contact: int | str,
    out: Path,
    *,
    as_json: bool = False,
    files_to: Path | None = None,
    at: dt.datetime | None = None,
) -> Exported:
    """Write everything desk holds about a person to `out`: Markdown a person can read
    in any text editor (or as JSON), and, with `files_to`, their files' bytes into that
    folder."""
    found = gather(db, contact)
    moment = at or dt.datetime.now().astimezone()
    saved: list[Path] = []
    if files_to is not None:
        if not files_to.is_dir():
            raise DeskError(f"{files_to} is not a folder; give a folder for the files.")
        used: set[str] = set()
        for entry in found.files:
            name = _free_name(Path(entry["filename"]).name or f"file-{entry['id']}", used)
            _filename, data = attachments.content(db, entry["id"])
            saved.append(files.safe_write(files_to / name, data))
    if as_json:
        text = json.dumps(as_data(db, found, moment, saved), ensure_ascii=False, indent=2) + "\n"
    else:
        text = as_markdown(db, found, moment, saved)
    path = files.safe_write_text(out, text, newline="\n")
    return Exported(path, saved, found)


def _free_name(name: str, used: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    candidate, n = name, 1
    while candidate.casefold() in used:
        n += 1
        candidate = f"{stem} ({n}).{suffix}" if dot else f"{stem} ({n})"
    used.add(candidate.casefold())
    return candidate


def _fields_of(item: Item) -> dict[str, Any]:
    return {
        f.name: item.row.get(f.name) for f in item.kind.fields if item.row.get(f.name) is not None
    }


def _shown_fields(db: Database, item: Item) -> list[tuple[Field, str]]:
    out = []
    for f in item.kind.fields:
        value = item.row.get(f.name)
        if value in (None, "", "[]"):
            continue
        text = display(db, f, value, item.row)
        if text:
            out.append((f, text))
    return out


def as_data(
    db: Database, found: Holdings, at: dt.datetime, saved: Sequence[Path] = ()
) -> dict[str, Any]:
    """The export as JSON: stored values as desk keeps them, with labels to read them."""

    def record(item: Item) -> dict[str, Any]:
        return {
            "kind": item.kind.name,
            "kind_label": item.kind.label,
            "id": item.id,
            "uid": item.uid,
            "title": item.title,
            **({"linked_by": item.via} if item.via else {}),
            "fields": _fields_of(item),
            "labels": {
                f.name: f.label for f in item.kind.fields if item.row.get(f.name) is not None
            },
        }

    def mention(m: Mention) -> dict[str, Any]:
        return {
            "kind": m.kind.name,
            "kind_label": m.kind.label,
            "id": m.id,
            "title": m.title,
            "field": m.field.name,
            "field_label": m.field.label,
            "text": m.text,
        }

    return {
        "exported_at": at.isoformat(timespec="seconds"),
        "database": str(db.file) if db.file else None,
        "person": found.names.title,
        "contact": record(found.person),
        "their_records": [record(i) for i in found.owned],
        "files": [
            {
                "id": entry["id"],
                "uid": entry["uid"],
                "filename": entry["filename"],
                "media_type": entry["media_type"],
                "size": entry["size"],
                "description": entry["description"],
                "added": entry["created_at"],
            }
            for entry in found.files
        ],
        "files_saved_to": [str(p) for p in saved],
        "linked_records": [record(i) for i in found.linked],
        "named_as_text": [mention(m) for m in found.named],
        "mentioned_in_text": [mention(m) for m in found.mentions],
        "history": [
            {
                "at": step.at,
                "operation": step.operation,
                "action": step.action,
                "kind": step.kind,
                "record_id": step.record_id,
                "record_uid": step.uid,
                "changes": step.data,
            }
            for step in found.history
        ],
    }


# Markdown: what a person typed is shown as typed, never read as markup. Control
# characters show as their pictures and bidi controls as a replacement character (they
# would reorder the line); a right-to-left value is set apart so it cannot reorder the
# label beside it.
_PICTURES: dict[int, str] = {
    **{code: chr(0x2400 + code) for code in range(0x20) if chr(code) not in "\n\t"},
    0x7F: "\u2421",
    **{code: "\ufffd" for code in range(0x80, 0xA0)},
    **{code: "\ufffd" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
}
_INLINE = re.compile(r"[\\`*_\[\]<>|~&#]")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])")
_FSI, _PDI = "\u2068", "\u2069"


def _rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def md(text: object) -> str:
    """User text on one line of Markdown."""
    plain = str(text).replace("\r\n", "\n").replace("\r", "\n").translate(_PICTURES)
    plain = " ".join(plain.replace("\t", " ").split("\n"))
    out = _INLINE.sub(lambda m: "\\" + m.group(0), plain)
    return f"{_FSI}{out}{_PDI}" if _rtl(out) else out


def md_block(text: object) -> list[str]:
    """User text of many lines, quoted, each line read as text."""
    lines = []
    for line in str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        plain = line.translate(_PICTURES).replace("\t", "    ").strip()
        escaped = _INLINE.sub(lambda m: "\\" + m.group(0), plain)
        escaped = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)
        lines.append("> " + (f"{_FSI}{escaped}{_PDI}" if _rtl(escaped) else escaped))
    return lines


def _record_lines(db: Database, item: Item) -> list[str]:
    lines = []
    longs = []
    for f, text in _shown_fields(db, item):
        if type_of(f).multiline:
            longs.append((f, item.row.get(f.name)))
        else:
            lines.append(f"- **{md(f.label)}:** {md(text)}")
    for f, value in longs:
        lines += ["", f"**{md(f.label)}:**", "", *md_block(value)]
    return lines


def _heading(item: Item) -> str:
    title = f": {md(item.title)}" if item.title else ""
    via = f" (linked to them as “{md(item.via)}”)" if item.via else ""
    return f"### {md(item.kind.label)} #{item.id}{title}{via}"


def _value_text(db: Database, spec: Kind | None, name: str, value: Any) -> str:
    f = spec.field_map.get(name) if spec else None
    if value is None or value == "":
        return "(empty)"
    if f is None:
        return md(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
    return md(display(db, f, value) or value)


def _step_lines(db: Database, step: Step) -> list[str]:
    spec = KINDS.get(step.kind)
    label = spec.label.lower() if spec else step.kind
    verb = {"create": "Added", "update": "Changed", "delete": "Deleted"}.get(step.action, "")
    what = md(step.operation) or "A change"
    head = f"- {dates.short_moment(step.at)}: {what}: {verb} {md(label)} #{step.record_id}"
    if step.data == PURGED:
        return [head + " (its details were removed earlier)"]
    parts = []
    if isinstance(step.data, dict):
        for name, value in step.data.items():
            if name in ("id", "uid", "created_at", "updated_at"):
                continue
            shown = spec.field_map[name].label if spec and name in spec.field_map else name
            if step.action == "update" and isinstance(value, list) and len(value) == 2:
                old, new = value
                parts.append(
                    f"**{md(shown)}:** {_value_text(db, spec, name, old)} → "
                    f"{_value_text(db, spec, name, new)}"
                )
            elif value not in (None, "", "[]"):
                parts.append(f"**{md(shown)}:** {_value_text(db, spec, name, value)}")
    return [head, *(f"  - {part}" for part in parts)]


def as_markdown(db: Database, found: Holdings, at: dt.datetime, saved: Sequence[Path] = ()) -> str:
    """The export as a document a person reads: sections left out when empty."""
    name = md(found.names.title)
    where = f" from {md(db.file.name)}" if db.file else ""
    their = found.owned
    lines = [
        f"# What desk holds about {name}",
        "",
        f"Written by desk on {dates.short_date(at.date())} at {dates.clock(at)}{where}. "
        "It holds the contact record, the records that go with it, every record that "
        "names them (by a link, or by their name typed as text), the files kept with "
        "them and every change to these that desk remembers. Records that name them may "
        "say things about others: read it through before you hand it over.",
        "",
        "In this file:",
        "",
        "- the contact record",
        f"- {counted(len(their), 'record')} of their own",
        f"- {counted(len(found.files), 'file')} kept with them",
        f"- {counted(len(found.linked), 'record')} linked to them",
        f"- {counted(len(found.named), 'record')} naming them as text, without a link",
        f"- {counted(len(found.mentions), 'mention')} of their name in other records' text",
        f"- {counted(len(found.history), 'change')} in the history",
        "",
        f"## {md(found.spec.label)} #{found.person.id}: {name}",
        "",
        *_record_lines(db, found.person),
    ]
    if their:
        lines += ["", "## Their own records", ""]
        for item in their:
            lines += [_heading(item), "", *_record_lines(db, item), ""]
    if found.files:
        lines += ["", "## Files kept with them", ""]
        for entry in found.files:
            added = dates.short_date(dates.local_moment(entry["created_at"]).date())
            described = f": {md(entry['description'])}" if entry.get("description") else ""
            lines.append(
                f"- **{md(entry['filename'])}** ({md(entry['media_type'])}, "
                f"{backups.size_text(int(entry['size']))}, added {added}){described}"
            )
        if saved:
            lines += ["", f"Saved with this file, in {md(saved[0].parent)}:", ""]
            lines += [f"- {md(p.name)}" for p in saved]
    if found.linked:
        lines += ["", "## Records linked to them", ""]
        for item in found.linked:
            lines += [_heading(item), "", *_record_lines(db, item), ""]
    if found.named:
        lines += ["", "## Their name typed as text, without a link", ""]
        lines += [
            f"- {md(m.kind.label)} #{m.id}: {md(m.title)}, **{md(m.field.label)}:** {md(m.text)}"
            for m in found.named
        ]
    if found.mentions:
        lines += ["", "## Their name in other records' text", ""]
        for m in found.mentions:
            lines.append(f"- {md(m.kind.label)} #{m.id}: {md(m.title)}, **{md(m.field.label)}:**")
            lines += ["", *("  " + line for line in md_block(m.text)), ""]
    if found.history:
        lines += ["", "## Changes desk remembers", ""]
        for step in found.history:
            lines += _step_lines(db, step)
    return "\n".join(lines).rstrip() + "\n"


# -- erasing them ----------------------------------------------------------------------


@dataclass(frozen=True)
class HeldCopy:
    """A copy of the database taken before now that holds (or may hold) the person."""

    path: Path
    taken: dt.datetime | None
    certain: bool  # read and found; False: could not be read, or is not attributed


@dataclass
class ErasePlan:
    holdings: Holdings
    copies: list[HeldCopy]

    @property
    def person_id(self) -> int:
        return self.holdings.person.id


@dataclass
class Swept:
    """What became of the file's free space and log after a change that removed data."""

    compacted: bool
    log_emptied: bool
    note: str = ""


@dataclass
class Erased:
    changes: Changes
    plan: ErasePlan
    swept: Swept
    history_blanked: int
    history_scrubbed: int
    copies: list[HeldCopy]


def plan_erase(db: Database, contact: int | str) -> ErasePlan:
    """What erasing a person would remove, and which earlier copies still hold them."""
    found = gather(db, contact, history=True)
    return ErasePlan(found, copies_holding(db, found))


def copies_holding(db: Database, found: Holdings) -> list[HeldCopy]:
    """The database's backups (and the copies taken before a schema upgrade) that hold
    the person: read to see, and named when they cannot be read or are not this
    installation's."""
    if db.file is None:
        return []
    spec = found.spec
    out: list[HeldCopy] = []
    candidates: list[tuple[Path, dt.datetime | None, bool]] = [
        (info.path, info.taken_at, not info.damaged) for info in backups.list_backups(db.file)
    ]
    candidates += [(p, None, False) for p in backups.made_elsewhere(db.file)]
    candidates += [(p, None, False) for p in backups.unattributed(db.file)]
    candidates += [
        (p, None, True)
        for p in sorted(db.file.parent.glob(f"{glob_escape(db.file.stem)}.before-schema-*.sqlite"))
    ]
    # The contact's own uid first: a copy from before their other records holds it alone.
    uids = [found.person.uid, *sorted(found.own_uids - {found.person.uid})][:900]
    for path, taken, readable in candidates:
        holds = _copy_holds(path, spec, uids) if readable else None
        if holds is False:
            continue
        out.append(HeldCopy(path, taken, holds is True))
    return out


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _copy_holds(path: Path, spec: Kind, uids: Sequence[str]) -> bool | None:
    """Whether a copy holds any of the records (None: it cannot be read)."""
    marks = ", ".join("?" * len(uids))
    try:
        conn = connect_read_only(path)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM {spec.table} WHERE uid IN ({marks})) "
            f"OR EXISTS (SELECT 1 FROM history WHERE record_uid IN ({marks}) AND changes != ?)",
            [*uids, *uids, json.dumps(PURGED)],
        ).fetchone()
        return bool(row[0])
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def purge_command(paths: Sequence[Path], platform: str | None = None) -> str:
    """A command line that deletes these files, for the person to run themselves."""
    if (platform or sys.platform) == "win32":
        return "del /f " + " ".join(f'"{p}"' for p in paths)
    return "rm -- " + " ".join(shlex.quote(str(p)) for p in paths)


def _by_kind(items: Iterable[Item | Mention]) -> str:
    counts: dict[str, int] = {}
    kinds: dict[str, Kind] = {}
    for item in items:
        counts[item.kind.name] = counts.get(item.kind.name, 0) + 1
        kinds[item.kind.name] = item.kind
    return ", ".join(kinds[name].count(n) for name, n in counts.items())


def _where(found: Sequence[Mention], limit: int = 8) -> str:
    shown = [f"{m.kind.label.lower()} #{m.id} “{m.title}” ({m.field.label})" for m in found]
    more = f", and {len(shown) - limit:,} more" if len(shown) > limit else ""
    return "; ".join(shown[:limit]) + more


def copies_lines(copies: Sequence[HeldCopy]) -> list[str]:
    """Which earlier copies still hold the person, and the command line that removes
    them; desk itself never deletes a backup."""
    if not copies:
        return ["No backup desk knows of holds them."]
    lines = ["Copies taken before the erase that still hold them (desk leaves them alone):"]
    for copy in copies:
        when = f", taken {dates.short_when(copy.taken)}" if copy.taken else ""
        maybe = "" if copy.certain else " (may hold them: desk could not look inside)"
        lines.append(f"  {copy.path}{when}{maybe}")
    lines += [
        "To remove them too, first keep a backup taken after the erase "
        "('desk backups --now'), then run:",
        "  " + purge_command([c.path for c in copies]),
        "Copies made with 'desk backup --out', or outside desk, are not known to desk.",
    ]
    return lines


def plan_lines(plan: ErasePlan) -> list[str]:
    """What erasing would remove, said before it is done."""
    found = plan.holdings
    size = sum(int(entry["size"]) for entry in found.files)
    keeping = sum(1 for item in found.linked if item.keeps_name)
    job = str(found.person.row.get("job_title") or "").strip()
    which = f"{job}; " if job else ""  # which of two people of one name this is
    lines = [
        f"Erasing {found.names.title} ({which}{found.spec.label.lower()} #{found.person.id}) "
        "removes for good:",
        "  the contact record"
        + (f" and their own records: {_by_kind(found.owned)}" if found.owned else ""),
    ]
    if found.files:
        lines.append(
            f"  {counted(len(found.files), 'file')} kept with them ({backups.size_text(size)})"
        )
    if found.linked:
        lines.append(
            f"  their link from {counted(len(found.linked), 'record')}, which stay: "
            f"{_by_kind(found.linked)}"
            + (f"; {keeping:,} of them will name them as “{ERASED}”" if keeping else "")
        )
    if found.named:
        lines.append(
            f"  their name typed in {counted(len(found.named), 'record')}, "
            f"which will read “{ERASED}”: {_where(found.named)}"
        )
    if found.mentions:
        lines.append(
            f"  their name in the text of {counted(len(found.mentions), 'field')}, "
            f"replaced by “{ERASED}”: {_where(found.mentions)}"
        )
    history = (
        f"{counted(len(found.history), 'change')} in the history that hold them, the "
        if found.history
        else "the "
    )
    lines += [
        f"  {history}search index's entries, and any free space in the file that still holds them",
        "This cannot be undone: undo stops at the erase, and earlier work on their "
        "records can no longer be undone either.",
    ]
    if found.namesakes:
        others = ", ".join(f"#{rid}" for rid, _title in found.namesakes[:5])
        lines.append(
            f"Note: {counted(len(found.namesakes), 'other contact')} named the same "
            f"({others}): text that names them may mean that person; check the records above."
        )
    return lines + copies_lines(plan.copies)


def erased_lines(done: Erased) -> list[str]:
    """What the erase did, said after."""
    found = done.plan.holdings
    lines = [
        f"Erased {found.spec.label.lower()} #{found.person.id} and "
        f"{counted(len(found.owned) + len(found.file_items), 'record')} of their own; "
        f"emptied {counted(len(found.linked), 'link')}; replaced their name in "
        f"{counted(len(found.named) + len(found.mentions), 'field')}; blanked "
        f"{counted(done.history_blanked + done.history_scrubbed, 'history row')}. "
        "This cannot be undone.",
    ]
    if done.swept.compacted and done.swept.log_emptied:
        lines.append("The file was rewritten: no free page or log frame holds them.")
    if done.swept.note:
        lines.append(done.swept.note)
    return lines + copies_lines(done.copies)


def erase(db: Database, contact: int | str, *, progress: Progress | None = None) -> Erased:
    """Remove a person from the database for good, as one final operation.

    Their contact and their own records go, with every copy the history keeps of them;
    links to them are emptied and a name a record needs becomes "(erased)"; their name
    typed in other records is replaced the same way, in the records and in the history;
    operation labels that name them are rewritten. Then the file is compacted so that no
    free page holds them, and its log emptied."""
    previous = int(db.execute("PRAGMA secure_delete").fetchone()[0])
    db.execute("PRAGMA secure_delete = ON")
    try:
        with operation(db, ERASE_LABEL, final=True) as changes:
            # Read under the write lock: nothing links to them meanwhile unseen.
            found = gather(db, contact, progress=progress)
            blanked, scrubbed = _erase_within(db, found, changes, progress)
        if progress:
            progress(5, 6, "Clearing the file's free space")
        swept = sweep(db)
    finally:
        db.execute(f"PRAGMA secure_delete = {previous}")
    copies = copies_holding(db, found)
    return Erased(changes, ErasePlan(found, copies), swept, blanked, scrubbed, copies)


def _erase_within(
    db: Database, found: Holdings, changes: Changes, progress: Progress | None
) -> tuple[int, int]:
    spec, person_id, names = found.spec, found.person.id, found.names
    stamp = now()
    links = links_to(db, spec)
    if progress:
        progress(3, 6, "Erasing their records")
    # The links that stay lose the person; a name they keep becomes the placeholder.
    for link in links:
        if link.owned:
            continue
        for (row_id,) in db.execute(
            f"SELECT id FROM {link.kind.table} WHERE {link.column} = ?", (person_id,)
        ).fetchall():
            values: dict[str, Any] = {link.column: None}
            if link.keeps_name:
                values[link.keeps_name] = ERASED
            _set(db, link.kind, row_id, values, stamp)
    for m in found.named:
        _set(db, m.kind, m.id, {m.field.name: ERASED}, stamp)
    theirs = {found.person.key, *(i.key for i in (*found.owned, *found.file_items))}
    for m in _mentions(db, spec, names):
        if (m.kind.name, m.id) in theirs:
            continue  # goes whole, below
        current = records.stored_row(db, m.kind.table, m.id)
        if current is None or not isinstance(current.get(m.field.name), str):
            continue
        redacted = names.redact(current[m.field.name])
        if redacted != current[m.field.name]:
            _set(db, m.kind, m.id, {m.field.name: redacted}, stamp)
    shas = _file_hashes(db, found)
    records.delete(db, spec.name, person_id)
    for sha in shas:
        db.execute(
            "DELETE FROM blobs WHERE sha256 = ? AND NOT EXISTS "
            "(SELECT 1 FROM attachments WHERE sha256 = ?)",
            (sha, sha),
        )
    if progress:
        progress(4, 6, "Erasing them from the history")
    blanked = _blank_own_history(db, sorted(found.own_uids), changes.op_id)
    scrubbed = _scrub_history(db, spec, names, links)
    _scrub_labels(db, names, sorted(found.own_uids))
    # The search index keeps a deleted entry's words until its segments are merged.
    db.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")
    return blanked, scrubbed


def _set(db: Database, spec: Kind, row_id: int, values: Mapping[str, Any], stamp: str) -> None:
    """Change fields of a record in the erase: recorded in its history, reindexed; not
    checked against the kind's rules (an old record that would now fail one must not
    keep the person in it)."""
    old = records.stored_row(db, spec.table, row_id)
    if old is None:
        return
    changed = {name: value for name, value in values.items() if old.get(name) != value}
    if not changed:
        return
    records.set_fields(db, spec, old, changed, stamp)
    if spec.name in index.searched_kinds():
        index.reindex(db, spec.name, records.get(db, spec.name, row_id))


def _file_hashes(db: Database, found: Holdings) -> set[str]:
    """The contents' hashes of the person's files, kept now or only in the history."""
    shas = {str(i.row["sha256"]) for i in found.file_items if i.row.get("sha256")}
    uids = sorted(found.own_uids)
    for start in range(0, len(uids), 500):
        chunk = uids[start : start + 500]
        shas.update(
            str(r[0])
            for r in db.execute(
                "SELECT DISTINCT json_extract(changes, '$.sha256') FROM history "
                f"WHERE record_uid IN ({', '.join('?' * len(chunk))}) AND changes != ?",
                [*chunk, json.dumps(PURGED)],
            )
            if r[0]
        )
    return shas


def _blank_own_history(db: Database, uids: Sequence[str], op_id: int | None) -> int:
    """Every copy the history keeps of the person's own records goes, as emptying the
    trash does; the operations that made them can no longer be replayed."""
    done = 0
    for start in range(0, len(uids), 500):
        chunk = list(uids[start : start + 500])
        marks = ", ".join("?" * len(chunk))
        done += db.execute(
            f"UPDATE history SET changes = ? WHERE record_uid IN ({marks}) AND changes != ?",
            [json.dumps(PURGED), *chunk, json.dumps(PURGED)],
        ).rowcount
        db.execute(
            "UPDATE operations SET purged_at = ? WHERE purged_at IS NULL AND id != ? AND id IN "
            f"(SELECT op_id FROM history WHERE record_uid IN ({marks}))",
            [now(), op_id or 0, *chunk],
        )
    return done


def _scrub_history(db: Database, person: Kind, names: Names, links: Sequence[Link]) -> int:
    """The person's name in other records' history (a delegation member's kept name, a
    visit's notes that named them) becomes the placeholder there too."""
    keeps: dict[str, set[str]] = {}
    for link in links:
        if link.keeps_name:
            keeps.setdefault(link.kind.name, set()).add(link.keeps_name)
    with _Matcher(db, names.may_hold):
        found = db.execute(
            f"SELECT id, kind, action, changes FROM history WHERE {_FUNCTION}(changes)"
        ).fetchall()
    done = 0
    for hid, kind, action, text in found:
        data = json.loads(text)
        if not isinstance(data, dict) or data == PURGED:
            continue
        spec = KINDS.get(kind)
        if spec is None:
            continue
        searched = {f.name for f in _searched_fields(spec, person)}
        kept = keeps.get(kind, set())

        def fix(name: str, value: Any, kept: set[str] = kept, searched: set[str] = searched) -> Any:
            if not isinstance(value, str):
                return value
            if name in kept and names.is_name(value):
                return ERASED
            if name in searched or name in kept:
                return names.redact(value)
            return value

        if action == "update":
            new = {
                name: [fix(name, pair[0]), fix(name, pair[1])]
                if isinstance(pair, list) and len(pair) == 2
                else pair
                for name, pair in data.items()
            }
        else:
            new = {name: fix(name, value) for name, value in data.items()}
        if new != data:
            db.execute(
                "UPDATE history SET changes = ? WHERE id = ?",
                (json.dumps(new, ensure_ascii=False), hid),
            )
            done += 1
    return done


_QUOTED = re.compile(r"“([^”]*)”")


def _scrub_labels(db: Database, names: Names, uids: Sequence[str]) -> None:
    """Operation labels ("Edit contact “Jane Doe”"), trash titles and import sources
    that name the person. An operation on their own records names them by whatever
    they were called then (a name since corrected): every title it quotes goes."""

    def fix(text: str | None, whole: bool = False) -> str | None:
        if not text:
            return text
        out = _QUOTED.sub(
            lambda m: "“" + ERASED + "”" if whole or names.is_name(m.group(1)) else m.group(0),
            text,
        )
        return names.redact(out)

    for start in range(0, len(uids), 500):
        chunk = list(uids[start : start + 500])
        marks = ", ".join("?" * len(chunk))
        for op_id, label, title in db.execute(
            "SELECT id, label, deleted_title FROM operations WHERE deleted_uid IN "
            f"({marks}) OR id IN (SELECT op_id FROM history WHERE record_uid IN ({marks}))",
            [*chunk, *chunk],
        ).fetchall():
            db.execute(
                "UPDATE operations SET label = ?, deleted_title = ? WHERE id = ?",
                (fix(label, whole=True), ERASED if title else title, op_id),
            )

    with _Matcher(db, names.may_hold):
        rows = db.execute(
            f"SELECT id, label, deleted_title FROM operations WHERE {_FUNCTION}(label) "
            f"OR {_FUNCTION}(deleted_title)"
        ).fetchall()
        for op_id, label, title in rows:
            db.execute(
                "UPDATE operations SET label = ?, deleted_title = ? WHERE id = ?",
                (fix(label), fix(title), op_id),
            )
        for batch_id, source in db.execute(
            f"SELECT id, source FROM import_batches WHERE {_FUNCTION}(source)"
        ).fetchall():
            db.execute("UPDATE import_batches SET source = ? WHERE id = ?", (fix(source), batch_id))


def sweep(db: Database) -> Swept:
    """Rewrite the file so no free page keeps what was removed, and empty its log.

    Outside any transaction, after the change committed. Another desk reading the file
    at that moment keeps the rewritten pages from reaching the file (they wait in the
    log until its read ends); another writing keeps the file from being compacted now.
    Either is said in `note`, and `desk person compact` finishes the job later."""
    if db.conn.in_transaction:
        raise RuntimeError("sweep() runs after the change has committed")
    db.verify_hold()
    try:
        db.execute("VACUUM")
    except sqlite3.OperationalError as exc:
        return Swept(
            False,
            False,
            "The file's free space was not cleared now (another desk was writing: "
            f"{exc}); run 'desk person compact' when it has finished.",
        )
    # A reader keeps the log until it has finished; waiting the full minute a writer
    # would for it only holds the person up, and they are told instead.
    waited = int(db.execute("PRAGMA busy_timeout").fetchone()[0])
    db.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
    try:
        busy, _frames, _done = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        db.execute(f"PRAGMA busy_timeout = {waited}")
    if busy:
        return Swept(
            True,
            False,
            "Another desk was reading the file, so old pages that may still hold what was "
            "removed stay in it until that reading ends: run 'desk person compact' once "
            "that desk has finished (or is closed).",
        )
    return Swept(True, True)


# -- retention: visitors' details cleared after their last visit -----------------------


@dataclass(frozen=True)
class Retained:
    """A visitor whose sensitive details the retention rule clears."""

    contact_id: int
    name: str
    last_visit: dt.date
    clear_on: dt.date
    fields: tuple[str, ...]  # labels of the details held
    held_by: str = ""  # a visit not yet over that keeps them, by its title

    def due(self, today: dt.date) -> bool:
        return not self.held_by and self.clear_on <= today

    def as_json(self, today: dt.date) -> dict[str, Any]:
        return {
            "contact_id": self.contact_id,
            "name": self.name,
            "last_visit": self.last_visit.isoformat(),
            "clear_on": self.clear_on.isoformat(),
            "due": self.due(today),
            "held_by": self.held_by or None,
            "details": list(self.fields),
        }


def retention_days(db: Database) -> int | None:
    city = KINDS["city"]
    row = db.execute(f"SELECT retention_days FROM {city.table} ORDER BY id LIMIT 1").fetchone()
    return int(row[0]) if row and row[0] else None


def retention(db: Database, today: dt.date) -> list[Retained]:
    """Every visitor with passport or health details who took part in a completed visit,
    with the day the rule clears them (empty when no period is set), soonest first."""
    days = retention_days(db)
    if days is None:
        return []
    spec, visit, member = person_kind(), KINDS["visit"], KINDS["participant"]
    held = [f for f in SENSITIVE if f in spec.field_map]
    if not held:
        return []
    any_held = " OR ".join(f"coalesce(c.{f}, '') != ''" for f in held)
    last_sql = "coalesce(v.end_date, v.start_date)"
    rows = db.execute(
        f"SELECT c.id, {_title(spec, 'c')}, max({last_sql}), "
        f"{', '.join(f'c.{f}' for f in held)} "
        f"FROM {spec.table} c JOIN {member.table} p ON p.contact_id = c.id "
        f"JOIN {visit.table} v ON v.id = p.visit_id "
        f"WHERE v.status = ? AND {last_sql} IS NOT NULL AND ({any_held}) "
        "GROUP BY c.id",
        (_DONE,),
    ).fetchall()
    ongoing = _ongoing(db, today)
    out = []
    for contact_id, name, last, *values in rows:
        last_day = dates.stored_date(str(last)[:10])
        if last_day is None:
            continue
        labels = tuple(spec.field_map[f].label for f, v in zip(held, values, strict=True) if v)
        out.append(
            Retained(
                int(contact_id),
                str(name),
                last_day,
                last_day + dt.timedelta(days=days),
                labels,
                ongoing.get(int(contact_id), ""),
            )
        )
    out.sort(key=lambda r: (r.clear_on, r.name.casefold(), r.contact_id))
    return out


def _title(spec: Kind, alias: str) -> str:
    """The kind's title SQL over a table alias (its columns are bare names)."""
    return f"(SELECT {spec.title_sql} FROM {spec.table} WHERE id = {alias}.id)"


def _ongoing(db: Database, today: dt.date) -> dict[int, str]:
    """Contacts on a visit not yet over (and not called off): its title, by contact."""
    visit, member = KINDS["visit"], KINDS["participant"]
    last_sql = "coalesce(v.end_date, v.start_date)"
    called_off = ", ".join("?" * len(_CALLED_OFF))
    return {
        int(contact_id): str(title)
        for contact_id, title in db.execute(
            f"SELECT p.contact_id, min(v.title) FROM {member.table} p "
            f"JOIN {visit.table} v ON v.id = p.visit_id WHERE p.contact_id IS NOT NULL "
            f"AND v.status != ? AND v.status NOT IN ({called_off}) "
            f"AND ({last_sql} IS NULL OR {last_sql} >= ?) GROUP BY p.contact_id",
            (_DONE, *_CALLED_OFF, today.isoformat()),
        ).fetchall()
    }


def retention_notice(db: Database, today: dt.date, ahead: int = NOTICE_DAYS) -> str | None:
    """Today's line before the rule clears anyone: who is due now and who within
    `ahead` days; None when nobody is."""
    found = [r for r in retention(db, today) if not r.held_by]
    due = [r for r in found if r.clear_on <= today]
    soon = [r for r in found if today < r.clear_on <= today + dt.timedelta(days=ahead)]
    if not due and not soon:
        return None
    kept = f"kept {counted(retention_days(db) or 0, 'day')} after their last visit"
    if due and soon:
        said = (
            f"of {counted(len(due), 'visitor')} are due to be cleared, and of "
            f"{len(soon):,} more by {dates.short_date(soon[-1].clear_on)}"
        )
    elif due:
        said = f"of {counted(len(due), 'visitor')} are due to be cleared"
    elif len(soon) == 1:
        said = f"of 1 visitor are cleared on {dates.short_date(soon[0].clear_on)}"
    else:
        said = (
            f"of {counted(len(soon), 'visitor')} are cleared from "
            f"{dates.short_date(soon[0].clear_on)} to {dates.short_date(soon[-1].clear_on)}"
        )
    return f"Passport and health details {said} ({kept}): 'desk person retention' lists them."


@dataclass
class Cleared:
    changes: Changes
    people: list[Retained]
    swept: Swept | None


def run_retention(db: Database, today: dt.date) -> Cleared:
    """Clear the details of every visitor due, as one operation that cannot be undone:
    the values go from the records and from every copy the history keeps of them."""
    due = [r for r in retention(db, today) if r.due(today)]
    spec = person_kind()
    held = [f for f in SENSITIVE if f in spec.field_map]
    days = retention_days(db)
    if not due:
        return Cleared(Changes(), [], None)
    label = f"Clear {counted(len(due), 'visitor')}' passport and health details ({days} days)"
    previous = int(db.execute("PRAGMA secure_delete").fetchone()[0])
    db.execute("PRAGMA secure_delete = ON")
    try:
        with operation(db, label, final=True) as changes:
            stamp = now()
            uids = []
            for person in due:
                row = records.stored_row(db, spec.table, person.contact_id)
                if row is None:
                    continue
                uids.append(row["uid"])
                _set(db, spec, person.contact_id, dict.fromkeys(held), stamp)
            _blank_fields(db, uids, held)
            db.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")
        swept = sweep(db)
    finally:
        db.execute(f"PRAGMA secure_delete = {previous}")
    return Cleared(changes, due, swept)


def _blank_fields(db: Database, uids: Sequence[str], names: Sequence[str]) -> None:
    """The given fields emptied in every history row of these records."""
    for start in range(0, len(uids), 500):
        chunk = list(uids[start : start + 500])
        for hid, action, text in db.execute(
            "SELECT id, action, changes FROM history "
            f"WHERE record_uid IN ({', '.join('?' * len(chunk))})",
            chunk,
        ).fetchall():
            data = json.loads(text)
            if not isinstance(data, dict):
                continue
            new = dict(data)
            for name in names:
                if name not in data:
                    continue
                new[name] = [None, None] if action == "update" else None
            if new != data:
                db.execute(
                    "UPDATE history SET changes = ? WHERE id = ?",
                    (json.dumps(new, ensure_ascii=False), hid),
                )
