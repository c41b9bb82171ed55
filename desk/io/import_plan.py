"""What an import would do, before anything is written: each row's plan (new, already
in desk, or with problems; what it would fill or change), the whole file's plan, the
request that makes it, and the plan in words for the window and the command line."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desk.core.domain.kinds import KINDS
from desk.core.domain.words import counted
from desk.core.errors import DeskError


def match_keys(kind: str) -> tuple[str, ...]:
    """What makes a row the same record as one in desk: a normalized name (or title)
    and what tells two of that name apart."""
    imports = KINDS[kind].imports
    if imports is None:
        raise DeskError(f"desk does not import {KINDS[kind].plural.lower()}.")
    return imports.match


@dataclass
class RowPlan:
    number: int
    values: dict[str, Any]
    status: str = "new"  # new, match, problem
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    # A card's further ways to reach (channel, label, value), made beside its contact.
    details: list[dict[str, str]] = field(default_factory=list)
    # A row already in desk: the record it matches, the empty fields the file would fill
    # and the values it would change (field -> (in desk, in the file)).
    match_id: int | None = None
    fills: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    status_differs: tuple[Any, Any] | None = None  # a partnership's (in desk, in the file)
    looks_like: str | None = None  # a new row's name for a partner desk may already have
    # How messages name a card: "Card 3 (Sato Yuki)"; None for a spreadsheet's row.
    label: str | None = None
    # A card's photos as (file name, bytes), kept as files of its new contact.
    photos: list[tuple[str, bytes]] = field(default_factory=list)
    # What of the row was not kept, in words ("its photo was not kept: ...").
    notes: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return self.label or f"Row {self.number}"


@dataclass
class ImportPlan:
    kind: str
    source: str
    description: str
    headers: list[str]
    mapping: dict[int, str | None]
    rows: list[RowPlan]
    # Codes the person chose for values written the file's own way, kept on import.
    values: dict[tuple[str, str], str] = field(default_factory=dict)
    # Values of a choice field desk could not read, as first written: (field, text) ->
    # the rows that write it so. The person can say what each means.
    unknown: dict[tuple[str, str], int] = field(default_factory=dict)
    # Values read as a code by an office's usual word or an earlier choice:
    # (field, text) -> (code, rows).
    read_as: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # field -> the file's column

    def unknown_values(self) -> list[UnknownValue]:
        """The values written the file's own way: first those desk could not read, then
        those it read as something (shown so the person can see and change it)."""
        spec = KINDS[self.kind]

        def order(item: tuple[tuple[str, str], Any]) -> tuple[Any, ...]:
            (name, text), counted_as = item
            rows = counted_as if isinstance(counted_as, int) else counted_as[1]
            return (-rows, name, text.casefold())

        def column(name: str) -> str:
            return self.labels.get(name, spec.field_map[name].label)

        found = [
            UnknownValue(name, column(name), text, rows)
            for (name, text), rows in sorted(self.unknown.items(), key=order)
        ]
        found += [
            UnknownValue(name, column(name), text, rows, code)
            for (name, text), (code, rows) in sorted(self.read_as.items(), key=order)
        ]
        return found

    def look_alikes(self) -> list[str]:
        """New rows that may be a partner desk already has under a longer or shorter
        name: "Row 5, Freiburg: looks like Freiburg im Breisgau, already in desk"."""
        return [
            f"Row {row.number}, {row.values.get('partner_name')}: looks like "
            f"{row.looks_like}, already in desk; it would be added as a new partnership"
            for row in self.rows
            if row.status == "new" and row.looks_like
        ]

    def matched_changes(self) -> list[str]:
        """Per record already in desk, what the file would fill and change in it:
        "Row 4, Kobe: would fill Region (Hyogo); would change Status from Dormant to
        Active"."""
        spec = KINDS[self.kind]
        lines = []
        for row in self.rows:
            if row.match_id is None or not (row.fills or row.changes or row.status_differs):
                continue
            parts = []
            if row.fills:
                parts.append(
                    "would fill "
                    + ", ".join(
                        f"{spec.field_map[n].label} ({_shown(spec.field_map[n], v)})"
                        for n, v in row.fills.items()
                    )
                )
            if row.changes:
                parts.append(
                    "would change "
                    + ", ".join(
                        f"{spec.field_map[n].label} from {_shown(spec.field_map[n], old)} "
                        f"to {_shown(spec.field_map[n], new)}"
                        for n, (old, new) in row.changes.items()
                    )
                )
            if row.status_differs:
                was, wants = (_shown(spec.field_map["status"], v) for v in row.status_differs)
                # A status moves with a date and a reason, on the partnership's page.
                parts.append(
                    f"its status stays {was} (the file says {wants}; a status changes with "
                    "a date and a reason)"
                )
            title = " ".join(str(row.values.get(k) or "") for k in match_keys(self.kind)[:1])
            lines.append(f"Row {row.number}, {title}: " + "; ".join(parts))
        return lines

    @property
    def unit(self) -> str:
        """What the file's entries are called in messages: cards in an address book."""
        return "card" if any(row.label for row in self.rows) else "row"

    def counts(self) -> dict[str, int]:
        found = {"new": 0, "match": 0, "problem": 0}
        for row in self.rows:
            found[row.status] += 1
        return found

    def gains(self) -> dict[str, int]:
        """How many matched records the file would add to, and how: {'fill': records
        with empty fields to fill, 'fields': those fields, 'change': records with values
        to change, 'changed': those values, 'touched': records with either}."""
        matched = [r for r in self.rows if r.status == "match" and r.match_id is not None]
        return {
            "fill": sum(1 for r in matched if r.fills),
            "fields": sum(len(r.fills) for r in matched),
            "change": sum(1 for r in matched if r.changes),
            "changed": sum(len(r.changes) for r in matched),
            "touched": sum(1 for r in matched if r.fills or r.changes),
        }

    def problems(self) -> list[str]:
        """Each problem by row and column ("Row 3, column 'Country': ..."), or by card
        ("Card 3 (Sato Yuki): ...", the message naming the field)."""
        return [
            f"{row.where}, column '{column}': {message}"
            if column and row.label is None
            else f"{row.where}: {message}"
            for row in self.rows
            for column, message in row.problems
        ]

    def notes(self) -> list[str]:
        """What the import leaves out of rows it takes, each by its row or card: "Card 3
        (Sato Yuki): its photo was not kept: ..."."""
        return [f"{row.where}: {note}" for row in self.rows for note in row.notes]

    def photos(self) -> int:
        """How many photos the new contacts bring with them."""
        return sum(len(row.photos) for row in self.rows if row.status == "new")

    def unmapped_columns(self) -> list[str]:
        return [h for i, h in enumerate(self.headers) if not self.mapping.get(i)]


@dataclass(frozen=True)
class UnknownValue:
    """A value the file writes its own way in a choice column: 'Sister Arrangement' under
    'Type', on 3 rows."""

    field: str
    column: str
    text: str
    rows: int
    # What desk read it as (a code), by an office's usual word for it or a choice made
    # for an earlier file; None where desk could not tell.
    guess: str | None = None


def _shown(spec: Any, value: Any) -> str:
    from desk.core.store.queries import display

    text = display(None, spec, json.dumps(value) if isinstance(value, list) else value)
    return text if len(text) <= 40 else text[:39] + "…"


@dataclass(frozen=True)
class ImportRequest:
    """What the person chose: a file, what its rows are, and which column is which
    (None: as guessed). Enough to plan the import again wherever it runs."""

    kind: str
    path: Path
    mapping: dict[int, str | None] | None = None
    fixed: dict[str, Any] = field(default_factory=dict)
    vcard: bool = False
    # (field, text as the file writes it) -> the code chosen for it: "Trade agreement"
    # is a sector partnership.
    values: dict[tuple[str, str], str] = field(default_factory=dict)
    matched: str = "leave"  # what to do to records already in desk: leave, fill, update


@dataclass(frozen=True)
class PlanSummary:
    """A plan without its rows: what the preview shows of an import of any size."""

    kind: str
    source: str
    description: str
    counts: dict[str, int]
    problems: list[str]  # the first PROBLEMS_SHOWN
    more_problems: int  # and how many beyond those
    gains: dict[str, int] = field(default_factory=dict)  # ImportPlan.gains()
    matched_changes: list[str] = field(default_factory=list)  # the first MATCHES_SHOWN
    more_matched: int = 0
    unknown: list[UnknownValue] = field(default_factory=list)
    look_alikes: list[str] = field(default_factory=list)  # the first MATCHES_SHOWN
    notes: list[str] = field(default_factory=list)  # ImportPlan.notes(), the first PROBLEMS_SHOWN


PROBLEMS_SHOWN = 500
MATCHES_SHOWN = 500


def summarize(plan: ImportPlan) -> PlanSummary:
    problems = plan.problems()
    matched = plan.matched_changes()
    return PlanSummary(
        plan.kind,
        plan.source,
        plan.description,
        plan.counts(),
        problems[:PROBLEMS_SHOWN],
        max(0, len(problems) - PROBLEMS_SHOWN),
        plan.gains(),
        matched[:MATCHES_SHOWN],
        max(0, len(matched) - MATCHES_SHOWN),
        plan.unknown_values(),
        plan.look_alikes()[:MATCHES_SHOWN],
        plan.notes()[:PROBLEMS_SHOWN],
    )


def filled_note(gains: dict[str, int], matched: str) -> str:
    """'It filled 12 empty fields in 5 records already in desk.', or empty when the
    import left the records already in desk as they were."""
    if matched == "fill" and gains.get("fill"):
        return (
            f"It filled {counted(gains['fields'], 'empty field')} in "
            f"{counted(gains['fill'], 'record')} already in desk."
        )
    if matched == "update" and gains.get("touched"):
        changed = gains.get("fields", 0) + gains.get("changed", 0)
        return (
            f"It brought {counted(changed, 'value')} up to date in "
            f"{counted(gains['touched'], 'record')} already in desk."
        )
    return ""


def describe(plan: ImportPlan) -> str:
    """The preview in words, for the command line: the file, which column goes where,
    what is left aside, and the counts."""
    counts = plan.counts()
    spec = KINDS[plan.kind]
    lines = [f"{plan.source} ({plan.description})"]
    mapped = [
        f"'{plan.headers[i]}' as {spec.field_map[f].label}" for i, f in plan.mapping.items() if f
    ]
    if mapped:
        lines.append("Columns: " + ", ".join(mapped))
    aside = plan.unmapped_columns()
    if aside:
        lines.append("Left aside: " + ", ".join(f"'{h}'" for h in aside))
    lines.append(
        f"{spec.count(counts['new']).replace(' ', ' new ', 1)}, {counts['match']:,} already "
        f"in desk (not added again), {counted(counts['problem'], plan.unit)} with problems."
    )
    photos = plan.photos()
    if photos:
        lines.append(
            f"{counted(photos, 'photo')} from the cards, kept with the new contacts as "
            "attached files."
        )
    return "\n".join(lines)
