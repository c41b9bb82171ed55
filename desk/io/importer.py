"""Moving in: records from an office's spreadsheet (or address book), previewed, written
in one transaction as a batch, and undoable in one step.

    plan = plan_file(db, "partnership", path)      # nothing written yet
    plan.counts()                                   # new / already in desk / problems
    batch = apply_plan(db, plan)                    # all or nothing
    undo_batch(db, batch)                           # and back
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desk.core import records, undo
from desk.core.dates import is_partial, month_day_year
from desk.core.db import Database
from desk.core.errors import DeskError, UndoConflict, ValidationError
from desk.core.kinds import KINDS
from desk.core.operations import mark_deleted, operation, quoted
from desk.core.validate import clean_values
from desk.core.words import counted
from desk.io.mapping import (
    IMPORTABLE,
    SPREADSHEET_ERRORS,
    convert,
    guess_mapping,
    names_a_network,
    network_named,
    normalise,
    remember_mapping,
    remember_values,
    remembered_values,
)
from desk.io.tabular import read_table
from desk.io.vcard import DETAILS

Progress = Callable[[int, int, str], None]

# What makes two records the same: normalised name (or title) and a second field.
MATCH_KEYS: dict[str, tuple[str, ...]] = {
    "partnership": ("partner_name", "country"),
    "organisation": ("name", "country"),
    "contact": ("family_name", "given_name", "email"),
    "agreement": ("title", "signed_date"),
    "visit": ("title", "start_date"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    kind: tuple(f.name for f in KINDS[kind].fields if f.required) for kind in IMPORTABLE
}
# What a whole file means when it has no column for it: most offices' lists of partner
# cities are lists of sister cities, and a list an office publishes is of partnerships in
# force (left 'proposed', none of them would count in the survey or on the dashboard).
DEFAULTS: dict[str, dict[str, Any]] = {"partnership": {"kind": "sister_city", "status": "active"}}


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
    labels: dict[str, str] = field(default_factory=dict)  # field -> the file's column

    def unknown_values(self) -> list[UnknownValue]:
        spec = KINDS[self.kind]
        return [
            UnknownValue(name, self.labels.get(name, spec.field_map[name].label), text, rows)
            for (name, text), rows in sorted(
                self.unknown.items(), key=lambda u: (-u[1], u[0][0], u[0][1].casefold())
            )
        ]

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
            title = " ".join(str(row.values.get(k) or "") for k in MATCH_KEYS[self.kind][:1])
            lines.append(f"Row {row.number}, {title}: " + "; ".join(parts))
        return lines

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
        return [
            f"Row {row.number}, column '{column}': {message}"
            for row in self.rows
            for column, message in row.problems
        ]

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


def _shown(spec: Any, value: Any) -> str:
    from desk.core.queries import display

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


PROBLEMS_SHOWN = 500
MATCHES_SHOWN = 500


def plan_request(db: Database, request: ImportRequest) -> ImportPlan:
    if request.vcard:
        from desk.io.vcard import read_vcards

        rows = read_vcards(request.path)
        return plan_rows(db, "contact", rows, request.path.name, "vCard")
    return plan_file(db, request.kind, request.path, request.mapping, request.fixed, request.values)


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
    )


def _key(kind: str, values: dict[str, Any]) -> tuple[str, ...]:
    if kind == "partnership" and (network := network_named(values.get("partner_name"))):
        # "ICLEI" in the file is the "ICLEI – Local Governments for Sustainability" in
        # desk: a network is one, whatever it is called and wherever it is based.
        return (f"network: {network}", "")
    key = tuple(normalise(str(values.get(name) or "")) for name in MATCH_KEYS[kind])
    if kind == "partnership":
        return (place_name(key[0]), *key[1:])
    return key


# Words a place's name carries in one list and not in another: "Da Nang City" is
# "Da Nang", "City of Kobe" is "Kobe", "St. Louis" is "Saint-Louis".
_PLACE_WORDS = frozenset(
    {"city", "of", "the", "municipality", "metropolitan", "prefecture", "county", "state"}
)
_SAINTS = {"st": "saint", "ste": "sainte", "sta": "santa", "sto": "santo"}


def place_name(normalised: str) -> str:
    """A place's name as lists of the same place agree on it (already normalised)."""
    words = [_SAINTS.get(w, w) for w in normalised.split()]
    kept = [w for w in words if w not in _PLACE_WORDS]
    return " ".join(kept or words)


def _existing(db: Database, kind: str) -> dict[tuple[str, ...], int]:
    spec = KINDS[kind]
    columns = ", ".join(MATCH_KEYS[kind])
    found: dict[tuple[str, ...], int] = {}
    for row in db.execute(f"SELECT id, {columns} FROM {spec.table}").fetchall():
        found.setdefault(_key(kind, dict(zip(MATCH_KEYS[kind], row[1:], strict=True))), row[0])
    return found


def plan_file(
    db: Database,
    kind: str,
    path: Path,
    mapping: dict[int, str | None] | None = None,
    fixed: dict[str, Any] | None = None,
    values: dict[tuple[str, str], str] | None = None,
) -> ImportPlan:
    """Read a spreadsheet and check every row. `fixed` gives a value to fields the file
    has no column for (e.g. kind=friendship_city for a list of friendship cities);
    `values` the code for a value the file writes its own way, and the remembered ones
    are used for the rest."""
    if kind not in IMPORTABLE:
        raise DeskError(f"desk imports {', '.join(IMPORTABLE)}; not {kind}.")
    asked = {(name, normalise(text)): code for (name, text), code in (values or {}).items()}
    table = read_table(path)
    mapping = mapping if mapping is not None else guess_mapping(db, kind, table.headers)
    fixed = {**DEFAULTS.get(kind, {}), **(fixed or {})}
    unknown = sorted(set(fixed) - set(KINDS[kind].field_map))
    if unknown:
        raise DeskError(f"{KINDS[kind].label} has no field '{unknown[0]}'.")
    missing = [
        KINDS[kind].field_map[f].label
        for f in REQUIRED[kind]
        if f not in mapping.values() and f not in fixed
    ]
    if missing:
        raise DeskError(
            f"No column of {path.name} gives '{missing[0]}'. Columns: "
            + ", ".join(f"'{h}'" for h in table.headers)
            + ". Rename that column, or choose it in the import window."
        )
    raw_rows = []
    for number, cells in table.rows:
        cell_of = {
            field: cells[index] for index, field in mapping.items() if field and index < len(cells)
        }
        for name, value in fixed.items():
            if cell_of.get(name) in (None, ""):
                cell_of[name] = value
        raw_rows.append((number, cell_of))
    labels = {field: table.headers[index] for index, field in mapping.items() if field}
    plan = plan_rows(
        db,
        kind,
        raw_rows,
        path.name,
        table.description,
        table.headers,
        mapping,
        labels,
        {**remembered_values(db, kind), **asked},
    )
    plan.values = asked
    return plan


def plan_rows(
    db: Database,
    kind: str,
    raw_rows: list[tuple[int, dict[str, Any]]],
    source: str,
    description: str,
    headers: list[str] | None = None,
    mapping: dict[int, str | None] | None = None,
    labels: dict[str, str] | None = None,
    values: dict[tuple[str, str], str] | None = None,
) -> ImportPlan:
    """Check every row as the record layer would, and sort them into new, already in
    desk, and with problems (each named by row and column). A partnership row that
    names an international network (ICLEI, C40...) is a network membership, and its
    country, a network's having none, is left aside rather than refused."""
    spec = KINDS[kind]
    labels = labels or {name: spec.field_map[name].label for name in spec.field_map}
    existing = _existing(db, kind)
    unknown: dict[tuple[str, str], int] = {}
    written: dict[tuple[str, str], str] = {}  # the first spelling of each unknown value
    seen: set[tuple[str, ...]] = set()
    rows: list[RowPlan] = []
    for number, raw in raw_rows:
        row = RowPlan(number, {}, details=list(raw.get(DETAILS) or []))
        raw = {name: value for name, value in raw.items() if name != DETAILS}
        named = raw.get(MATCH_KEYS[kind][0])
        if isinstance(named, str) and _TOTAL.match(named.strip()):
            # "Total: 8 partnerships" under the list is the sheet's sum, not a partner.
            row.problems.append(
                (
                    labels.get(MATCH_KEYS[kind][0], ""),
                    f"'{named.strip()[:40]}' reads as the sheet's total, not a "
                    f"{spec.label.lower()}; leave this row out",
                )
            )
            row.status = "problem"
            rows.append(row)
            continue
        network = kind == "partnership" and names_a_network(raw.get("partner_name"))
        if network:
            raw = {**raw, "kind": "network_membership"}
            if raw.get("partner_level") in (None, ""):
                raw["partner_level"] = "network"
        for name, value in raw.items():
            try:
                converted = convert(db, kind, name, value, values)
            except ValidationError as exc:
                if network and name == "country":
                    continue
                if kind == "agreement" and name == "partnership_id" and "parties" not in raw:
                    # A counterpart that is not a partnership in desk (a port, a
                    # university) is who the agreement is with, in its own words.
                    row.values["parties"] = str(value).strip()
                    continue
                row.problems.append((labels.get(name, name), exc.bare_message))
                if (
                    spec.field_map[name].type == "enum"
                    and isinstance(value, str | int)
                    and str(value).strip().upper() not in SPREADSHEET_ERRORS
                ):
                    text = written.setdefault(
                        (name, normalise(str(value))), " ".join(str(value).split())
                    )
                    unknown[(name, text)] = unknown.get((name, text), 0) + 1
                continue
            if converted is not None:
                row.values[name] = converted
        if not row.problems:
            try:
                probe = {
                    k: v
                    for k, v in row.values.items()
                    if not (k == "organisation_id" and isinstance(v, str))
                }
                cleaned = clean_values(spec, probe, partial=False)
                records.check_rules(db, spec, {**cleaned, **records.derive(spec, cleaned)})
            except ValidationError as exc:
                column = labels.get(
                    exc.field or "",
                    spec.field_map[exc.field].label
                    if exc.field is not None and exc.field in spec.field_map
                    else "",
                )
                row.problems.append((column, exc.bare_message))
        if row.problems:
            row.status = "problem"
        else:
            key = _key(kind, row.values)
            if key in existing or key in seen:
                row.status = "match"
                # The first row for a record already in desk may fill or change it; a
                # second row for it in the same file only repeats the first.
                if key in existing and key not in seen:
                    row.match_id = existing[key]
            seen.add(key)
        rows.append(row)
    # Only what the file says may fill or change a record: a default for a column it
    # lacks (every row a sister city, in force) is for new records alone.
    given = {f for f in mapping.values() if f} if mapping else None
    _compare(db, kind, [r for r in rows if r.match_id is not None], given)
    if kind == "partnership":
        _look_alikes(db, [r for r in rows if r.status == "new"])
    return ImportPlan(
        kind,
        source,
        description,
        headers or [],
        mapping or {},
        rows,
        unknown=unknown,
        labels=labels,
    )


def _compare(
    db: Database, kind: str, matched: list[RowPlan], given: set[str] | None = None
) -> None:
    """What each matched row would fill (a field empty in desk) or change (a field that
    differs), leaving aside the fields that match it and any organization named."""
    if not matched:
        return
    spec = KINDS[kind]
    stored = {
        row["id"]: row
        for row in db.query(
            f"SELECT * FROM {spec.table} WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps([r.match_id for r in matched]),),
        )
    }
    for row in matched:
        before = stored.get(row.match_id or -1, {})
        for name, value in row.values.items():
            if name in MATCH_KEYS[kind] or name == "organisation_id" or value in (None, ""):
                continue
            if given is not None and name not in given:
                continue
            now = before.get(name)
            if kind == "partnership" and name == "status":
                # A status moves with a date and a reason, never as a cell's value: a
                # file that differs says so, and the person changes it on the page.
                if now != value:
                    row.status_differs = (now, value)
                continue
            if now in (None, ""):
                row.fills[name] = value
            elif _agrees(spec.field_map[name], now, value):
                continue
            elif str(now) != str(value) and normalise(str(now)) != normalise(str(value)):
                row.changes[name] = (now, value)


def _look_alikes(db: Database, new_rows: list[RowPlan]) -> None:
    """A new partner whose name is the start of one desk has in the same country, or
    the other way round ('Freiburg' and 'Freiburg im Breisgau'): most likely the same
    place, which the person should see before it is added a second time."""
    if not new_rows:
        return
    by_first: dict[str, list[tuple[list[str], str | None, str]]] = {}
    for name, country in db.execute("SELECT partner_name, country FROM partnerships"):
        words = place_name(normalise(name or "")).split()
        if words:
            by_first.setdefault(words[0], []).append((words, country, name))
    for row in new_rows:
        words = place_name(normalise(str(row.values.get("partner_name") or ""))).split()
        for other, country, name in by_first.get(words[0] if words else "", []):
            same_country = (
                not country
                or not row.values.get("country")
                or (country == row.values.get("country"))
            )
            shorter = min(len(words), len(other))
            if same_country and words != other and words[:shorter] == other[:shorter]:
                row.looks_like = name
                break


def _agrees(spec: Any, stored: Any, given: Any) -> bool:
    """Whether a file's value says the same as desk's, only less exactly: '1972' agrees
    with 7/22/1972, and must not replace it."""
    return (
        spec.type == "date"
        and isinstance(stored, str)
        and isinstance(given, str)
        and is_partial(given)
        and stored.startswith(given)
    )


MATCHED = ("leave", "fill", "update")  # what an import does to records already in desk
_TOTAL = re.compile(r"(grand\s+|sub)?(total|totals|sum|count)\b", re.IGNORECASE)


def apply_plan(
    db: Database,
    plan: ImportPlan,
    *,
    skip_problems: bool = False,
    progress: Progress | None = None,
    matched: str = "leave",
) -> int:
    """Write the plan's new rows as one batch, in one transaction; and to the records
    already in desk, nothing ('leave'), their empty fields ('fill') or every value the
    file has otherwise ('update'), in the same batch, undone with it. Returns the batch
    id."""
    if matched not in MATCHED:
        raise DeskError(f"Matched records are left, filled or updated; not '{matched}'.")
    counts = plan.counts()
    if counts["problem"] and not skip_problems:
        raise DeskError(
            f"{counted(counts['problem'], 'row')} with problems; nothing was imported. "
            f"First: {plan.problems()[0]}"
        )
    new_rows = [row.values for row in plan.rows if row.status == "new"]
    spec = KINDS[plan.kind]
    label = f"Import {spec.count(len(new_rows))} from {quoted(Path(plan.source).name)}"
    with operation(db, label) as changes:
        stamp = records.now()
        batch = db.execute(
            "INSERT INTO import_batches(uid, created_at, updated_at, kind, source, rows_read, "
            "created, matched) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                records.new_uid(),
                stamp,
                stamp,
                plan.kind,
                plan.source,
                len(plan.rows),
                len(new_rows),
                counts["match"],
            ),
        ).lastrowid
        if plan.kind == "contact":
            organisations = {
                normalise(name): org_id
                for org_id, name in db.execute("SELECT id, name FROM organisations").fetchall()
            }
            new_rows = [_with_organisation(db, values, organisations) for values in new_rows]
        made = records.create_many(db, plan.kind, new_rows, progress)
        # Every further email, number and address of a card, on its new contact.
        details = [
            {**detail, "contact_id": contact_id}
            for row, contact_id in zip(
                (r for r in plan.rows if r.status == "new"), made.ids, strict=True
            )
            for detail in row.details
        ]
        if details:
            records.create_many(db, "contact_detail", details)
        if plan.kind == "partnership":
            _add_memberships(db, new_rows, made.ids)
        if matched != "leave":
            for row in plan.rows:
                if row.status != "match" or row.match_id is None:
                    continue
                values = dict(row.fills)
                if matched == "update":
                    values.update({name: new for name, (_old, new) in row.changes.items()})
                if values:
                    records.update(db, plan.kind, row.match_id, values, verb="Fill in")
        db.execute("UPDATE history SET batch_id = ? WHERE op_id = ?", (batch, changes.op_id))
        if changes:
            # Linked only when the import changed something: one that found every row
            # already there keeps its batch and leaves no operation to take back.
            db.execute("UPDATE import_batches SET op_id = ? WHERE id = ?", (changes.op_id, batch))
        if plan.headers:
            # A preference, not a record: kept with the import's transaction, not undone.
            remember_mapping(db, plan.kind, plan.headers, plan.mapping)
            remember_values(db, plan.kind, plan.values)
    return int(batch or 0)


# A partnership's standing as a network membership's.
_MEMBERSHIP_STATUS = {
    "active": "active",
    "friendship": "active",
    "dormant": "lapsed",
    "suspended": "lapsed",
    "lapsed": "lapsed",
    "ended": "ended",
}


def _add_memberships(db: Database, rows: list[dict[str, Any]], ids: list[int]) -> None:
    """A network taken in as a partnership is a membership too: the record the network
    pages, the annual report and the survey's networks count. One only proposed is not
    a membership yet."""
    # A membership desk already keeps (entered on the network pages, with no
    # partnership) is the same membership: linked to the new partnership, not repeated.
    kept: dict[str, tuple[int, int | None]] = {}
    for mid, name, linked in db.execute(
        "SELECT id, network_name, partnership_id FROM network_memberships ORDER BY id"
    ):
        kept.setdefault(network_named(name) or normalise(name), (mid, linked))
    memberships = []
    for values, pid in zip(rows, ids, strict=True):
        if values.get("kind") != "network_membership":
            continue
        key = network_named(values["partner_name"]) or normalise(values["partner_name"])
        if key in kept:
            mid, linked = kept[key]
            if linked is None:
                records.update(db, "network", mid, {"partnership_id": pid}, verb="Link")
            continue
        if values.get("status") in _MEMBERSHIP_STATUS:
            memberships.append(
                {
                    "network_name": values["partner_name"],
                    "partnership_id": pid,
                    "status": _MEMBERSHIP_STATUS[values["status"]],
                    "joined_date": values.get("established_date"),
                    "priority_areas": values.get("priority_areas"),
                }
            )
    if memberships:
        records.create_many(db, "network", memberships)


def _with_organisation(
    db: Database, values: dict[str, Any], known: dict[str, int]
) -> dict[str, Any]:
    """An organisation named in a contact row is found by name, or created (once)."""
    name = values.get("organisation_id")
    if not isinstance(name, str):
        return values
    key = normalise(name)
    if key not in known:
        made = records.create(
            db, "organisation", {"name": name, "country": values.get("country")}
        ).id
        assert made is not None  # create() reports the new record's id
        known[key] = made
    return {**values, "organisation_id": known[key]}


def batches(db: Database) -> list[dict[str, Any]]:
    cursor = db.execute("SELECT * FROM import_batches ORDER BY id DESC")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


class BuiltOn(DeskError):
    """An import whose records were edited or built on since: undone only when forced,
    which keeps the later edits and the records added under them."""


def undo_batch(db: Database, batch_id: int, *, force: bool = False) -> int:
    """Take an import back in one step, as an operation that can itself be redone.

    Refuses (unless forced) when its records were changed since, or have gained records
    of their own that would go with them; forced, it deletes what is left of them.
    """
    batch = db.execute(
        "SELECT undone_at, op_id, kind FROM import_batches WHERE id = ?", (batch_id,)
    ).fetchone()
    if batch is None:
        raise DeskError(f"There is no import {batch_id}; 'desk imports' lists them.")
    if batch[0]:
        raise DeskError(f"Import {batch_id} was already undone on {month_day_year(batch[0][:10])}.")
    created = db.execute(
        "SELECT kind, record_id FROM history WHERE batch_id = ? AND action = 'create' "
        "ORDER BY id DESC",
        (batch_id,),
    ).fetchall()
    if (
        batch[1] is None
        and not db.execute(
            "SELECT 1 FROM history WHERE batch_id = ? LIMIT 1", (batch_id,)
        ).fetchone()
    ):
        raise DeskError(f"Import {batch_id} added and changed nothing: there is nothing to undo.")
    if batch[1] is not None and not force:
        try:
            undo.undo(db, int(batch[1]))
        except UndoConflict as exc:
            raise BuiltOn(str(exc)) from None
        return sum(1 for kind, _ in created if kind == batch[2])
    if not force:
        _refuse_if_built_on(db, batch_id, created)
    removed = 0
    source = db.execute("SELECT kind, source FROM import_batches WHERE id = ?", (batch_id,))
    kind_name, source_name = source.fetchone()
    label = f"Undo import {batch_id} from {quoted(Path(source_name).name)}"
    with operation(db, label) as changes:
        _take_back_fills(db, batch_id)
        for kind, rid in created:
            spec = KINDS[kind]
            if db.execute(f"SELECT 1 FROM {spec.table} WHERE id = ?", (rid,)).fetchone():
                records.delete(db, kind, rid)
                removed += kind == kind_name
        db.execute(
            "UPDATE import_batches SET undone_at = ?, updated_at = ?, undo_op_id = ? WHERE id = ?",
            (records.now(), records.now(), changes.op_id, batch_id),
        )
        # What it removed waits in the trash like any deleted record.
        mark_deleted(
            db,
            kind_name,
            f"import-{batch_id}",
            f"{KINDS[kind_name].count(removed)} imported from {Path(source_name).name}",
        )
    return removed


def _take_back_fills(db: Database, batch_id: int) -> None:
    """What the import filled or changed in records already in desk goes back to what
    they held, field by field, wherever the field still holds the import's value: a
    value someone has typed since is theirs, and stays."""
    for kind, rid, stored in db.execute(
        "SELECT kind, record_id, changes FROM history WHERE batch_id = ? AND action = 'update' "
        "ORDER BY id DESC",
        (batch_id,),
    ).fetchall():
        spec = KINDS.get(kind)
        now = records.stored_row(db, spec.table, rid) if spec is not None else None
        if spec is None or now is None:
            continue
        back = {
            name: before
            for name, (before, after) in json.loads(stored).items()
            if name in spec.field_map and now.get(name) == after
        }
        if back:
            records.update(db, kind, rid, back, verb="Undo import")


def _refuse_if_built_on(db: Database, batch_id: int, created: list[tuple[str, int]]) -> None:
    """For imports from before operations existed: the same checks undo makes."""
    last = (
        db.execute("SELECT max(id) FROM history WHERE batch_id = ?", (batch_id,)).fetchone()[0] or 0
    )
    mine = {(kind, rid) for kind, rid in created}
    changed = db.execute(
        "SELECT count(*) FROM history h WHERE h.id > ? AND h.action = 'update' AND "
        "EXISTS (SELECT 1 FROM history c WHERE c.batch_id = ? AND c.action = 'create' "
        "AND c.kind = h.kind AND c.record_id = h.record_id)",
        (last, batch_id),
    ).fetchone()[0]
    added = db.execute(
        "SELECT count(*) FROM history WHERE id > ? AND action = 'create' AND "
        "(batch_id IS NULL OR batch_id != ?)",
        (last, batch_id),
    ).fetchone()[0]
    dependants = _dependants_outside(db, mine) if added else 0
    if changed or dependants:
        raise BuiltOn(
            f"Since import {batch_id}, {changed} of its records were edited and "
            f"{counted(dependants, 'record')} {'was' if dependants == 1 else 'were'} added "
            "under them; undoing would lose that work."
        )


def _dependants_outside(db: Database, mine: set[tuple[str, int]]) -> int:
    outside = 0
    for kind, rid in mine:
        spec = KINDS[kind]
        for table, child_id in records.cascade(db, spec.table, [rid])[1:]:
            child_kind = next(k.name for k in KINDS.values() if k.table == table)
            if (child_kind, child_id) not in mine:
                outside += 1
    return outside


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


def records_filled(db: Database, batch_id: int) -> int:
    """How many records already in desk an import filled or changed."""
    return int(
        db.execute(
            "SELECT count(DISTINCT kind || ':' || record_id) FROM history "
            "WHERE batch_id = ? AND action = 'update' AND kind IN "
            f"({', '.join(repr(k) for k in IMPORTABLE)})",
            (batch_id,),
        ).fetchone()[0]
    )


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
        f"in desk (not added again), {counted(counts['problem'], 'row')} with problems."
    )
    return "\n".join(lines)
