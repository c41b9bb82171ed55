"""Last year's submission against this year's: rows matched by Engagement ID (names only
for workbooks without one), a changed field reported as a change, and the Capacity and
Respondent answers compared question by question."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desk.reports.survey.edition import Edition, Table, load
from desk.reports.survey.read import Row, answers, open_book, table_rows, text

# What names a row to a person, by sheet, in order of preference.
_NAMES = ("Partner", "Agreement", "Meeting", "Network")


@dataclass
class Comparison:
    added: dict[str, list[str]] = field(default_factory=dict)
    ended: dict[str, list[str]] = field(default_factory=dict)
    changed: dict[str, list[str]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = []
        for title, group in (
            ("Added", self.added),
            ("Gone", self.ended),
            ("Changed", self.changed),
        ):
            for sheet, entries in group.items():
                out += [f"{title} in {sheet}: {entry}" for entry in entries]
        return out or ["No differences."]


def _keyed(book: Any, table: Table) -> dict[tuple[str, ...], Row]:
    if table.sheet not in book.sheetnames:
        return {}
    headers, rows = table_rows(book[table.sheet], table.renamed())
    if "Engagement ID" in headers and table.key == "engagements":
        names: tuple[str, ...] = ("Engagement ID",)
    else:
        # Detail rows share their engagement's id; their own names tell them apart.
        names = tuple(m for m in table.match if m != "Engagement ID") or tuple(table.match)
    return {tuple(row.get(n) for n in names): row for row in rows}


def _name(row: Row) -> str:
    return next((row.get(n) for n in _NAMES if row.get(n)), row.get("Engagement ID"))


def compare(last: Path, this: Path, edition: str | None = None) -> Comparison:
    """What this year's submission adds, drops and changes against last year's."""
    spec: Edition = load(edition)
    before, after = open_book(last), open_book(this)
    result = Comparison()
    for sheet, questions in (
        (spec.respondent_sheet, spec.respondent),
        (spec.capacity_sheet, spec.capacity),
    ):
        if sheet in before.sheetnames and sheet in after.sheetnames:
            old, new = answers(before[sheet], questions), answers(after[sheet], questions)
            changed = [
                f"{new[key].label}: '{text(old[key].value)}' -> '{text(new[key].value)}'"
                for key in new
                if key in old and text(old[key].value) != text(new[key].value)
            ]
            if changed:
                result.changed[sheet] = changed
    for table in spec.tables:
        old_rows, new_rows = _keyed(before, table), _keyed(after, table)
        if table.key != "engagements" and _has_ids(old_rows, new_rows):
            old_rows, new_rows = _rematch(old_rows, new_rows)
        added = [_name(row) for key, row in new_rows.items() if key not in old_rows]
        ended = [_name(row) for key, row in old_rows.items() if key not in new_rows]
        changed = []
        for key in new_rows.keys() & old_rows.keys():
            old_row, new_row = old_rows[key], new_rows[key]
            diffs = [
                f"{h}: '{old_row.get(h)}' -> '{new_row.get(h)}'"
                for h in new_row.values
                if h and old_row.get(h) != new_row.get(h)
            ]
            if diffs:
                changed.append(f"{_name(new_row)}: {'; '.join(diffs)}")
        for group, entries in ((result.added, added), (result.ended, ended)):
            if entries:
                group[table.sheet] = sorted(entries)
        if changed:
            result.changed[table.sheet] = sorted(changed)
    return result


def _has_ids(*groups: dict[tuple[str, ...], Row]) -> bool:
    return all(all(row.get("Engagement ID") for row in g.values()) for g in groups if g)


def _rematch(
    old: dict[tuple[str, ...], Row], new: dict[tuple[str, ...], Row]
) -> tuple[dict[tuple[str, ...], Row], dict[tuple[str, ...], Row]]:
    """Detail rows: a row whose name changed but whose engagement holds only it on both
    sides is the same row, corrected (a retitled agreement is a change, not a swap)."""
    gone = {k: r for k, r in old.items() if k not in new}
    came = {k: r for k, r in new.items() if k not in old}
    for new_key, row in came.items():
        ident = row.get("Engagement ID")
        candidates = [k for k, r in gone.items() if r.get("Engagement ID") == ident]
        siblings = [r for k, r in came.items() if r.get("Engagement ID") == ident]
        if len(candidates) == 1 and len(siblings) == 1:
            old[new_key] = old.pop(candidates[0])
            gone.pop(candidates[0])
    return old, new
