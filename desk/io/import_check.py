"""Reading a file into an import plan: every row checked as the record layer would check
it, matched against what desk has (by name and country, by any name of a network, by
the forms a place's name takes), and compared with the record it matches."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from desk.core.domain.dates import is_partial
from desk.core.domain.kinds import KINDS
from desk.core.domain.validate import clean_values
from desk.core.errors import DeskError, ValidationError
from desk.core.store import records
from desk.core.store.db import Database
from desk.io.import_plan import MATCH_KEYS, ImportPlan, ImportRequest, RowPlan
from desk.io.mapping import (
    IMPORTABLE,
    SPREADSHEET_ERRORS,
    convert,
    guess_mapping,
    names_a_network,
    network_named,
    normalise,
    remembered_values,
)
from desk.io.tabular import read_table
from desk.io.vcard import CARD, DETAILS, NOTES, PHOTOS, PROBLEMS

_EXTRAS = frozenset({CARD, DETAILS, NOTES, PHOTOS, PROBLEMS})  # a card's, not fields

REQUIRED: dict[str, tuple[str, ...]] = {
    kind: tuple(f.name for f in KINDS[kind].fields if f.required) for kind in IMPORTABLE
}
# What a whole file means when it has no column for it: most offices' lists of partner
# cities are lists of sister cities, and a list an office publishes is of partnerships in
# force (left 'proposed', none of them would count in the survey or on the dashboard).
DEFAULTS: dict[str, dict[str, Any]] = {"partnership": {"kind": "sister_city", "status": "active"}}
_TOTAL = re.compile(r"(grand\s+|sub)?(total|totals|sum|count)\b", re.IGNORECASE)


def plan_request(db: Database, request: ImportRequest) -> ImportPlan:
    if request.vcard:
        from desk.io.vcard import read_vcards

        rows = read_vcards(request.path)
        return plan_rows(db, "contact", rows, request.path.name, "vCard")
    return plan_file(db, request.kind, request.path, request.mapping, request.fixed, request.values)


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
        named = raw.get(MATCH_KEYS[kind][0])
        # (A person may be called Count or Sum: only places and titles are checked.)
        if kind != "contact" and isinstance(named, str) and _TOTAL.match(named.strip()):
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
                if spec.field_map[name].type == "enum" and isinstance(value, str):
                    _note_reading(spec.field_map[name], value, converted, read_as, written)
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
