"""Reading a file into an import plan: every row checked as the record layer would check
it, matched against what desk has (by name and country, by any name of a network, by
the forms a place's name takes), and compared with the record it matches."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from desk.core.domain.kinds import KINDS, Kind
from desk.core.domain.names import normalise
from desk.core.domain.types import type_of
from desk.core.domain.validate import clean_values
from desk.core.errors import DeskError, ValidationError
from desk.core.store import records
from desk.core.store.db import Database
from desk.core.store.hooks import hooks_for
from desk.io.import_plan import ImportPlan, ImportRequest, RowPlan, match_keys
from desk.io.mapping import (
    SPREADSHEET_ERRORS,
    convert,
    guess_mapping,
    importable,
    remembered_values,
)
from desk.io.tabular import read_table
from desk.io.vcard import CARD, DETAILS, NOTES, PHOTOS, PROBLEMS

_EXTRAS = frozenset({CARD, DETAILS, NOTES, PHOTOS, PROBLEMS})  # a card's, not fields

_TOTAL = re.compile(r"(grand\s+|sub)?(total|totals|sum|count)\b", re.IGNORECASE)


def plan_request(db: Database, request: ImportRequest) -> ImportPlan:
    if request.vcard:
        from desk.io.vcard import read_vcards

        rows = read_vcards(request.path)
        return plan_rows(db, "contact", rows, request.path.name, "vCard")
    return plan_file(db, request.kind, request.path, request.mapping, request.fixed, request.values)


def _key(kind: str, values: dict[str, Any]) -> tuple[str, ...]:
    return hooks_for(kind).match_key(KINDS[kind], values)


def _existing(db: Database, kind: str) -> dict[tuple[str, ...], int]:
    spec = KINDS[kind]
    keys = match_keys(kind)
    found: dict[tuple[str, ...], int] = {}
    for row in db.execute(f"SELECT id, {', '.join(keys)} FROM {spec.table}").fetchall():
        found.setdefault(_key(kind, dict(zip(keys, row[1:], strict=True))), row[0])
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
    if kind not in importable():
        raise DeskError(f"desk imports {', '.join(importable())}; not {kind}.")
    spec = KINDS[kind]
    asked = {(name, normalise(text)): code for (name, text), code in (values or {}).items()}
    table = read_table(path)
    mapping = mapping if mapping is not None else guess_mapping(db, kind, table.headers)
    fixed = {**(spec.imports.defaults if spec.imports else {}), **(fixed or {})}
    unknown = sorted(set(fixed) - set(spec.field_map))
    if unknown:
        raise DeskError(f"{spec.label} has no field '{unknown[0]}'.")
    missing = [
        f.label
        for f in spec.fields
        if f.required and f.name not in mapping.values() and f.name not in fixed
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
    read_as: dict[tuple[str, str], tuple[str, int]] = {}
    written: dict[tuple[str, str], str] = {}  # the first spelling of each unknown value
    seen: set[tuple[str, ...]] = set()
    rows: list[RowPlan] = []
    for number, raw in raw_rows:
        row = RowPlan(
            number,
            {},
            details=list(raw.get(DETAILS) or []),
            label=raw.get(CARD),
            photos=list(raw.get(PHOTOS) or []),
            notes=list(raw.get(NOTES) or []),
        )
        # A value the card could not be read in keeps that card out, and no other.
        row.problems += [("", problem) for problem in raw.get(PROBLEMS) or []]
        if row.problems:
            row.status = "problem"
            rows.append(row)
            continue
        raw = {name: value for name, value in raw.items() if name not in _EXTRAS}
        named = raw.get(match_keys(kind)[0])
        total_rows = spec.imports is None or spec.imports.total_rows
        if total_rows and isinstance(named, str) and _TOTAL.match(named.strip()):
            # "Total: 8 partnerships" under the list is the sheet's sum, not a partner.
            row.problems.append(
                (
                    labels.get(match_keys(kind)[0], ""),
                    f"'{named.strip()[:40]}' reads as the sheet's total, not a "
                    f"{spec.label.lower()}; leave this row out",
                )
            )
            row.status = "problem"
            rows.append(row)
            continue
        raw, left_aside = hooks_for(kind).import_row(raw)
        # Currencies first: an amount is read in its row's currency (yen have no cents).
        for name, value in sorted(
            raw.items(), key=lambda item: spec.field_map[item[0]].currency_field is not None
        ):
            try:
                converted = convert(db, kind, name, value, values, row.values)
            except ValidationError as exc:
                if name in left_aside:
                    continue
                otherwise = spec.field_map[name].otherwise
                if otherwise and otherwise not in raw:
                    row.values[otherwise] = str(value).strip()
                    continue
                row.problems.append((labels.get(name, name), exc.bare_message))
                if (
                    type_of(spec.field_map[name]).choice
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
                if type_of(spec.field_map[name]).choice and isinstance(value, str):
                    _note_reading(spec.field_map[name], value, converted, read_as, written)
        if not row.problems:
            try:
                # A record named to be made on import is checked when it is made.
                probe = {k: v for k, v in row.values.items() if not _to_make(spec, k, v)}
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
                if row.photos:
                    row.notes.append(
                        "its photo was not kept: the contact is already in desk, and an "
                        "import adds photos only to the contacts it creates"
                        if key in existing
                        else "its photo was not kept: the same contact is on an earlier "
                        "card, and only that card's photo is kept"
                    )
                    row.photos = []
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
    look_alike = hooks_for(kind).look_alike(db)
    if look_alike is not None:
        for new_row in (r for r in rows if r.status == "new"):
            new_row.looks_like = look_alike(new_row.values)
    return ImportPlan(
        kind,
        source,
        description,
        headers or [],
        mapping or {},
        rows,
        unknown=unknown,
        read_as=read_as,
        labels=labels,
    )


def _note_reading(
    spec: Any,
    text: str,
    code: str,
    read_as: dict[tuple[str, str], tuple[str, int]],
    written: dict[tuple[str, str], str],
) -> None:
    """Count a value desk read as a code it does not spell ('Partner City' as a
    friendship city): the preview shows each, so a guess is never silent."""
    said = normalise(text)
    if said in (normalise(code), normalise((spec.vocab or {}).get(code, ""))):
        return
    shown = written.setdefault((spec.name, said), " ".join(text.split()))
    _code, rows = read_as.get((spec.name, shown), (code, 0))
    read_as[(spec.name, shown)] = (code, rows + 1)


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
            if name in match_keys(kind) or _to_make(spec, name, value) or value in (None, ""):
                continue
            if given is not None and name not in given:
                continue
            now = before.get(name)
            if spec.field_map[name].locked:
                # Set only by its own operation (a status moves with a date and a
                # reason), never as a cell's value: a file that differs says so, and the
                # person changes it on the page.
                if now != value:
                    row.status_differs = (now, value)
                continue
            if now in (None, ""):
                row.fills[name] = value
            elif type_of(spec.field_map[name]).agrees(spec.field_map[name], now, value):
                continue
            elif str(now) != str(value) and normalise(str(now)) != normalise(str(value)):
                row.changes[name] = (now, value)


def _to_make(spec: Kind, name: str, value: Any) -> bool:
    """Whether a value names a record the import makes (an organization by its name)."""
    field = spec.field_map.get(name)
    return field is not None and field.ref is not None and isinstance(value, str)
