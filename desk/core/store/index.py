"""The search index, kept in step with the records: what each searchable record puts
into it, and the upkeep every write does (`reindex`, `unindex`) or a repair does whole
(`rebuild`). Searching it is `features/search.py`.

One FTS5 table (`unicode61 remove_diacritics 2`) holds a title and a body per record.
Chinese, Japanese and Korean are written without spaces between words, so the index
stores each CJK character as its own token and a query becomes a phrase of characters:
any run of characters is found, two-character names included (trigrams cannot do that).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from desk.core.domain.kinds import KINDS, Field, derived
from desk.core.domain.types import Searched, type_of

if TYPE_CHECKING:
    from desk.core.store.connection import Database

# Hiragana, katakana, CJK ideographs (with extension A and compatibility forms), Hangul.
CJK = re.compile(
    "([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\U00020000-\U0002fa1f])"
)
# Letters that do not decompose into a base letter plus a mark, so unicode61 keeps them.
FOLD = str.maketrans(
    {
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
        "þ": "th",
        "ð": "d",
    }
)


def index_text(text: str | None) -> str:
    if not text:
        return ""
    return " ".join(CJK.sub(r" \1 ", text).split())


def folded_words(*texts: str) -> str:
    """Plain-letter forms of the words that hold letters unicode61 keeps as they are."""
    found: list[str] = []
    for text in texts:
        for word in text.split():
            plain = word.translate(FOLD)
            if plain != word and plain not in found:
                found.append(plain)
    return " ".join(found)


def _fields(*parts: object) -> str:
    """A record's searchable text, its fields set apart so a snippet that spans two
    reads "Professor · Japan", not "Professor Japan"."""
    return " · ".join(str(p) for p in parts if p)


_Parts = tuple[tuple[Field, Searched], ...]


@derived
def _documents() -> dict[str, tuple[_Parts, _Parts]]:
    """kind -> the fields its index entry's title and body are made of, in the order the
    kind declares them, each with how its type is searched."""
    documents: dict[str, tuple[_Parts, _Parts]] = {}
    for spec in KINDS.values():
        if not spec.searchable:
            continue
        parts: dict[str, list[tuple[Field, Searched]]] = {"title": [], "body": []}
        for field in spec.fields:
            searched = type_of(field).searched
            if field.search in parts and searched is not None:
                parts[field.search].append((field, searched))
        documents[spec.name] = (tuple(parts["title"]), tuple(parts["body"]))
    return documents


def searched_kinds() -> tuple[str, ...]:
    """The kinds in the index, in the order their entries are numbered."""
    return tuple(_documents())


def document(kind: str, row: dict[str, Any]) -> tuple[str, str]:
    """A record's index entry: its title (the words it is named by) and its body."""
    title_parts, body_parts = _documents()[kind]
    title = " ".join(
        text
        for field, searched in title_parts
        if row.get(field.name) not in (None, "")
        for text in [searched(field, row[field.name])]
        if text
    )
    body = _fields(
        *(
            searched(field, row[field.name])
            for field, searched in body_parts
            if row.get(field.name) not in (None, "")
        )
    )
    return title, body


# The index's design: what it holds (the columns below, and what each kind's fields put
# in each: their search roles) and how it tokenizes. Derived data, so it is never
# migrated: a file whose index was made by another design (`file_meta.search_index`) is
# indexed anew when it is opened. Raise the number with any change to either; a test
# keeps a fingerprint of the design and fails until it is raised.
INDEX_VERSION = 6

# Prefix indexes for one, two and three letters: a person typing "m" gets answers from
# an index of words that start with m, not from a merge of every such word's list.
# `folded` holds the plain-letter forms of words unicode61 cannot fold itself
# (Đặng -> Dang); `tag` holds "k<kind>" so a search can keep to one kind inside MATCH.
SEARCH_INDEX = """CREATE VIRTUAL TABLE search_index USING fts5(
    kind UNINDEXED, record_id UNINDEXED, title, body, folded, tag,
    prefix = '1 2 3',
    tokenize = 'unicode61 remove_diacritics 2'
)"""

_INSERT = (
    "INSERT INTO search_index(rowid, kind, record_id, title, body, folded, tag) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)


# Each entry's rowid encodes its record, so replacing or dropping one entry is a lookup
# by rowid rather than a scan of the whole index (record_id is not an indexed column).
@derived
def _kind_numbers() -> dict[str, int]:
    return {kind: n for n, kind in enumerate(searched_kinds(), start=1)}


def _rowid(kind: str, record_id: int) -> int:
    return (_kind_numbers()[kind] << 40) | record_id


def kind_rowids(kind: str) -> tuple[int, int]:
    """The first and last rowid one kind's entries can have: a search kept to one kind
    by rowid reads a quarter of what keeping to it by `tag` does (the tag's own list of
    100,000 contacts need not be merged), and a record's id is the rowid less the first."""
    first = _kind_numbers()[kind] << 40
    return first, first + (1 << 40) - 1


def _entry(kind: str, row: dict[str, Any]) -> tuple[int, str, int, str, str, str, str]:
    title, body = document(kind, row)
    return (
        _rowid(kind, row["id"]),
        kind,
        row["id"],
        index_text(title),
        index_text(body),
        folded_words(title, body),
        f"k{kind}",
    )


def reindex(db: Database, kind: str, row: dict[str, Any]) -> None:
    """Replace the index entry of one record; call inside the write's transaction."""
    if kind not in _documents():
        return
    unindex(db, kind, row["id"])
    db.execute(_INSERT, _entry(kind, row))


def unindex(db: Database, kind: str, record_id: int) -> None:
    if kind in _documents():
        db.execute("DELETE FROM search_index WHERE rowid = ?", (_rowid(kind, record_id),))


def index_rows(db: Database, kind: str, rows: Iterable[dict[str, Any]]) -> None:
    """Bulk-add index entries for rows not yet indexed (used by bulk loads)."""
    db.conn.executemany(_INSERT, (_entry(kind, row) for row in rows))


def rebuild(db: Database) -> None:
    """Rebuild the whole index from the records (repair, a restore, a new design of the
    index): dropped and made anew, so an index that is out of step, damaged or gone
    comes back whole, and stamped with the design it was made by."""
    with db.utils.atomic():
        db.execute("DROP TABLE IF EXISTS search_index")
        db.execute(SEARCH_INDEX)
        for kind in searched_kinds():
            table = KINDS[kind].table
            index_rows(db, kind, db.query(f"SELECT * FROM {table}"))
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'file_meta'").fetchone():
            db.execute(
                "INSERT OR REPLACE INTO file_meta (key, value) VALUES ('search_index', ?)",
                (str(INDEX_VERSION),),
            )


def made_by_this_design(db: Database) -> bool:
    """Whether the file's index was made by this design (INDEX_VERSION)."""
    try:
        row = db.execute("SELECT value FROM file_meta WHERE key = 'search_index'").fetchone()
    except sqlite3.DatabaseError:
        return False
    return row is not None and row[0] == str(INDEX_VERSION)


def index_gaps(db: Database) -> int:
    """How many searchable records have no index entry (0 when sound)."""
    missing = 0
    for kind in searched_kinds():
        table = KINDS[kind].table
        records = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        indexed = db.execute(
            "SELECT count(*) FROM search_index WHERE kind = ?", (kind,)
        ).fetchone()[0]
        missing += abs(records - indexed)
    return missing


def match_expression(text: str) -> str | None:
    """An FTS5 query for what a person typed: every word must match, each as a prefix."""
    terms = []
    for word in index_text(text.translate(FOLD)).split():
        cleaned = word.replace('"', '""')
        if not re.search(r"\w", cleaned):
            continue
        # A lone CJK character is matched exactly; joining neighbours into a phrase
        # keeps their order ("山田" must not match "田山").
        terms.append(f'"{cleaned}"' if CJK.fullmatch(word) else f'"{cleaned}"*')
    if not terms:
        return None
    return _phrases(terms)


def _phrases(terms: list[str]) -> str:
    # Adjacent CJK characters become one phrase: "山" "田" -> "山 田".
    merged: list[str] = []
    run: list[str] = []
    for term in terms:
        if not term.endswith("*"):
            run.append(term.strip('"'))
            continue
        if run:
            merged.append('"' + " ".join(run) + '"')
            run = []
        merged.append(term)
    if run:
        merged.append('"' + " ".join(run) + '"')
    return " AND ".join(merged)
