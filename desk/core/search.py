"""Full-text search over every searchable record kind.

One FTS5 table (`unicode61 remove_diacritics 2`) holds a title and a body per record.
Chinese, Japanese and Korean are written without spaces between words, so the index
stores each CJK character as its own token and a query becomes a phrase of characters:
any run of characters is found, two-character names included (trigrams cannot do that).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from desk.core import vocab as v
from desk.core.countries import country_name, language_name
from desk.core.db import Database
from desk.core.kinds import KINDS

# Hiragana, katakana, CJK ideographs (with extension A and compatibility forms), Hangul.
_CJK = re.compile(
    "([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\U00020000-\U0002fa1f])"
)
# Letters that do not decompose into a base letter plus a mark, so unicode61 keeps them.
_FOLD = str.maketrans(
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
    return " ".join(_CJK.sub(r" \1 ", text).split())


def folded_words(*texts: str) -> str:
    """Plain-letter forms of the words that hold letters unicode61 keeps as they are."""
    found: list[str] = []
    for text in texts:
        for word in text.split():
            plain = word.translate(_FOLD)
            if plain != word and plain not in found:
                found.append(plain)
    return " ".join(found)


def _json_labels(raw: str | None, labeller: Callable[[str], str]) -> str:
    if not raw:
        return ""
    try:
        return " ".join(labeller(code) for code in json.loads(raw))
    except (ValueError, TypeError):
        return ""


def _join(*parts: object) -> str:
    return " ".join(str(p) for p in parts if p)


def _fields(*parts: object) -> str:
    """A record's searchable text, its fields set apart so a snippet that spans two
    reads "Professor · Japan", not "Professor Japan"."""
    return " · ".join(str(p) for p in parts if p)


def _contact(row: dict[str, Any]) -> tuple[str, str]:
    title = _join(row.get("honorific"), row.get("given_name"), row.get("family_name"))
    body = _fields(
        row.get("name_native"),
        row.get("job_title"),
        row.get("written_address"),
        row.get("spoken_address"),
        country_name(row.get("country")),
        row.get("email"),
        _json_labels(row.get("languages"), language_name),
        row.get("notes"),
    )
    return title, body


def _organisation(row: dict[str, Any]) -> tuple[str, str]:
    return row["name"], _fields(
        row.get("name_native"),
        row.get("city"),
        country_name(row.get("country")),
        v.label(v.ORGANISATION_KINDS, row.get("kind")),
        row.get("notes"),
    )


def _partnership(row: dict[str, Any]) -> tuple[str, str]:
    return row["partner_name"], _fields(
        row.get("partner_name_native"),
        row.get("region"),
        country_name(row.get("country")),
        v.label(v.PARTNERSHIP_KINDS, row.get("kind")),
        row.get("lead_department"),
        row.get("local_committee"),
        row.get("notes"),
    )


def _agreement(row: dict[str, Any]) -> tuple[str, str]:
    return row["title"], _fields(
        row.get("parties"),
        country_name(row.get("country")),
        row.get("approving_body"),
        row.get("approval_reference"),
        row.get("body_text"),
        row.get("notes"),
    )


def _network(row: dict[str, Any]) -> tuple[str, str]:
    return row["network_name"], _fields(row.get("membership_level"), row.get("notes"))


def _visit(row: dict[str, Any]) -> tuple[str, str]:
    return row["title"], _fields(
        row.get("city"),
        country_name(row.get("country")),
        row.get("principal"),
        row.get("requested_by"),
        row.get("purpose"),
        row.get("objectives"),
        row.get("outcomes"),
        row.get("trip_report"),
        row.get("notes"),
    )


def _itinerary_item(row: dict[str, Any]) -> tuple[str, str]:
    return row["title"], _fields(
        row.get("place"),
        row.get("address"),
        row.get("counterpart"),
        row.get("purpose"),
        row.get("our_attendees"),
        row.get("their_attendees"),
        row.get("run_of_show"),
        row.get("talking_points"),
        row.get("likely_asks"),
        row.get("sensitivities"),
        row.get("notes"),
    )


def _gift(row: dict[str, Any]) -> tuple[str, str]:
    return row["description"], _fields(row.get("giver"), row.get("recipient"), row.get("notes"))


def _interaction(row: dict[str, Any]) -> tuple[str, str]:
    return row["subject"], _fields(row.get("notes"))


def _follow_up(row: dict[str, Any]) -> tuple[str, str]:
    return row["title"], _fields(row.get("notes"))


# Order matters: each kind's number (its position) is part of its index entries' rowids,
# so new kinds are added at the end.
DOCUMENTS: dict[str, Callable[[dict[str, Any]], tuple[str, str]]] = {
    "contact": _contact,
    "organisation": _organisation,
    "partnership": _partnership,
    "agreement": _agreement,
    "network": _network,
    "visit": _visit,
    "itinerary_item": _itinerary_item,
    "interaction": _interaction,
    "follow_up": _follow_up,
    "gift": _gift,
}
# How search results are listed: the records people look for first, then what they hold.
SHOWN_ORDER = (
    "partnership",
    "contact",
    "organisation",
    "agreement",
    "visit",
    "network",
    "itinerary_item",
    "interaction",
    "follow_up",
    "gift",
)
assert set(DOCUMENTS) == {k.name for k in KINDS.values() if k.searchable}


_INSERT = (
    "INSERT INTO search_index(rowid, kind, record_id, title, body, folded, tag) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
# Each entry's rowid encodes its record, so replacing or dropping one entry is a lookup
# by rowid rather than a scan of the whole index (record_id is not an indexed column).
_KIND_NUMBERS = {kind: n for n, kind in enumerate(DOCUMENTS, start=1)}


def _rowid(kind: str, record_id: int) -> int:
    return (_KIND_NUMBERS[kind] << 40) | record_id


def kind_rowids(kind: str) -> tuple[int, int]:
    """The first and last rowid one kind's entries can have: a search kept to one kind
    by rowid reads a quarter of what keeping to it by `tag` does (the tag's own list of
    100,000 contacts need not be merged), and a record's id is the rowid less the first."""
    first = _KIND_NUMBERS[kind] << 40
    return first, first + (1 << 40) - 1


def _entry(
    kind: str, row: dict[str, Any], make: Callable[[dict[str, Any]], tuple[str, str]]
) -> tuple[int, str, int, str, str, str, str]:
    title, body = make(row)
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
    make = DOCUMENTS.get(kind)
    if make is None:
        return
    unindex(db, kind, row["id"])
    db.execute(_INSERT, _entry(kind, row, make))


def unindex(db: Database, kind: str, record_id: int) -> None:
    if kind in DOCUMENTS:
        db.execute("DELETE FROM search_index WHERE rowid = ?", (_rowid(kind, record_id),))


def index_kind(conn: sqlite3.Connection, kind: str) -> None:
    """Index every record of one kind (a migration that makes a kind searchable)."""
    cursor = conn.execute(f"SELECT * FROM {KINDS[kind].table}")
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    conn.executemany(_INSERT, [_entry(kind, row, DOCUMENTS[kind]) for row in rows])


def index_rows(db: Database, kind: str, rows: Iterable[dict[str, Any]]) -> None:
    """Bulk-add index entries for rows not yet indexed (used by bulk loads)."""
    make = DOCUMENTS[kind]
    db.conn.executemany(_INSERT, (_entry(kind, row, make) for row in rows))


def rebuild(db: Database) -> None:
    """Rebuild the whole index from the records (repair, and after a bulk load): dropped
    and made anew, so an index that is out of step, damaged or gone comes back whole."""
    from desk.core.schema import SEARCH_INDEX

    with db.utils.atomic():
        db.execute("DROP TABLE IF EXISTS search_index")
        db.execute(SEARCH_INDEX)
        for kind in DOCUMENTS:
            table = KINDS[kind].table
            index_rows(db, kind, db.query(f"SELECT * FROM {table}"))


def index_gaps(db: Database) -> int:
    """How many searchable records have no index entry (0 when sound)."""
    missing = 0
    for kind in DOCUMENTS:
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
    for word in index_text(text.translate(_FOLD)).split():
        cleaned = word.replace('"', '""')
        if not re.search(r"\w", cleaned):
            continue
        # A lone CJK character is matched exactly; joining neighbours into a phrase
        # keeps their order ("山田" must not match "田山").
        terms.append(f'"{cleaned}"' if _CJK.fullmatch(word) else f'"{cleaned}"*')
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


@dataclass(frozen=True)
class Hit:
    kind: str
    record_id: int
    title: str
    snippet: str
    parent: str = ""  # "Visit: Mission to Matsue" for what lives inside another record
    marked_title: str = ""  # the title with the matched words between the marks


def search(
    db: Database,
    text: str,
    *,
    limit: int = 100,
    kinds: Iterable[str] | None = None,
    per_kind: int | None = None,
    marks: tuple[str, str] = ("[", "]"),
) -> list[Hit]:
    """Records matching every word typed, best first; with `per_kind`, the best few of
    each kind, so a common word in names cannot crowd out partnerships and visits."""
    expression = match_expression(text)
    if expression is None:
        return []
    wanted = list(kinds) if kinds is not None else list(DOCUMENTS)
    groups = [[kind] for kind in wanted] if per_kind else [wanted]
    found: list[tuple[str, int, str, str]] = []
    for group in groups:
        # The words typed are looked for in the text columns only, never in `tag`.
        within = " OR ".join(f"k{kind}" for kind in group)
        wanted_count = per_kind or limit
        rows: dict[tuple[str, int], tuple[str, int, str, str]] = {}
        # Best first, cheaply: records whose name or title matches, then those whose
        # other text does. Ranking every match with bm25 cost up to a second for a common
        # prefix at 100,000 contacts, for an order a person typing does not need.
        for columns in ("{title folded}", "{title body folded}"):
            if len(rows) >= wanted_count:
                break
            if len(group) == 1:
                query, bounds = f"{columns} : ({expression})", kind_rowids(group[0])
            else:
                query, bounds = f"tag : ({within}) AND {columns} : ({expression})", (0, 2**63 - 1)
            for row in db.execute(
                "SELECT kind, record_id, snippet(search_index, 3, ?, ?, '…', 12), "
                "highlight(search_index, 2, ?, ?) "
                "FROM search_index WHERE search_index MATCH ? AND rowid BETWEEN ? AND ? "
                "LIMIT ?",
                [*marks, *_OWN_MARKS, query, *bounds, wanted_count],
            ):
                rows.setdefault((row[0], row[1]), row)
        found += list(rows.values())[:wanted_count]
    parents = _parent_lines(db, [(kind, record_id) for kind, record_id, _s, _m in found])
    return [
        Hit(
            kind,
            record_id,
            # The index holds the title as stored: no second read of each record.
            _unsegment(marked.replace(_OWN_MARKS[0], "").replace(_OWN_MARKS[1], "")),
            _unsegment(snippet),
            parents.get((kind, record_id), ""),
            _unsegment(marked.replace(_OWN_MARKS[0], marks[0]).replace(_OWN_MARKS[1], marks[1])),
        )
        for kind, record_id, snippet, marked in found
    ]


# Marks of our own around matched words in titles, from Unicode's private use area: no
# title holds them, so taking them out leaves the title exactly as stored.
_OWN_MARKS = ("\ue000", "\ue001")

# What an itinerary item, interaction, follow-up or gift belongs to, first found first.
_PARENTS = ("visit_id", "partnership_id", "agreement_id", "contact_id")


def parent_line(db: Database, kind: str, record_id: int) -> str:
    """'Visit: Mission to Matsue': the record a found item lives in, to tell apart five
    follow-ups that all say 'Send thank-you letters'."""
    return _parent_lines(db, [(kind, record_id)]).get((kind, record_id), "")


def _parent_lines(db: Database, hits: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """Parent lines for many hits in a few queries: one per kind, one per parent kind."""
    owners: dict[tuple[str, int], tuple[str, int]] = {}
    by_kind: dict[str, list[int]] = {}
    for kind, record_id in hits:
        by_kind.setdefault(kind, []).append(record_id)
    for kind, ids in by_kind.items():
        spec = KINDS[kind]
        links = [f for f in spec.fields if f.type == "ref" and f.name in _PARENTS and f.ref]
        if not links:
            continue
        marks = ", ".join("?" * len(ids))
        for record_id, *values in db.execute(
            f"SELECT id, {', '.join(f.name for f in links)} FROM {spec.table} "
            f"WHERE id IN ({marks})",
            ids,
        ).fetchall():
            for link, value in zip(links, values, strict=True):
                if value is not None and link.ref:
                    owners[(kind, record_id)] = (link.ref, value)
                    break
    titles: dict[tuple[str, int], str] = {}
    wanted: dict[str, set[int]] = {}
    for parent_kind, parent_id in owners.values():
        wanted.setdefault(parent_kind, set()).add(parent_id)
    for parent_kind, parent_ids in wanted.items():
        spec = KINDS[parent_kind]
        ids = sorted(parent_ids)
        for parent_id, title in db.execute(
            f"SELECT id, {spec.title_sql} FROM {spec.table} "
            f"WHERE id IN ({', '.join('?' * len(ids))})",
            ids,
        ).fetchall():
            titles[(parent_kind, parent_id)] = title
    return {
        hit: f"{KINDS[owner[0]].label}: {titles.get(owner, '')}" for hit, owner in owners.items()
    }


def _unsegment(text: str) -> str:
    """Undo the spaces index_text() put between CJK characters, for display.

    The snippet's match markers sit next to the characters: "[山 田] 健" -> "[山田]健".
    """

    def cjk(ch: str) -> bool:
        return bool(_CJK.fullmatch(ch))

    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == " " and 0 < i < len(text) - 1:
            left, right = text[i - 1], text[i + 1]
            left_cjk = cjk(left) or (left == "]" and i > 1 and cjk(text[i - 2]))
            right_cjk = cjk(right) or (right == "[" and i + 2 < len(text) and cjk(text[i + 2]))
            if left_cjk and right_cjk:
                continue
        out.append(ch)
    return "".join(out)
