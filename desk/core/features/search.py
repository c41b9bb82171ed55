"""Searching the index: what a person typed becomes an FTS5 query; hits come back grouped
by kind, with the words that matched marked and what each belongs to. The index itself,
and how it is kept in step with the records, is `store/index.py`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from desk.core.domain.kinds import KINDS
from desk.core.store.db import Database
from desk.core.store.index import CJK, kind_rowids, match_expression, searched_kinds


def shown_order() -> tuple[str, ...]:
    """How search results are listed: the records people look for first (each kind's
    `searched` rank), then what they hold."""
    return tuple(sorted(searched_kinds(), key=lambda kind: KINDS[kind].searched))


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
    wanted = list(kinds) if kinds is not None else list(searched_kinds())
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
        links = [f for f in spec.fields if f.ref and f.name in _PARENTS]
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
        return bool(CJK.fullmatch(ch))

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
