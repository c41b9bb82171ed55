"""Moving in: records from an office's spreadsheet (or address book), previewed, written
in one transaction as a batch, and undoable in one step.

    plan = plan_file(db, "partnership", path)      # nothing written yet
    plan.counts()                                   # new / already in desk / problems
    batch = apply_plan(db, plan)                    # all or nothing
    undo_batch(db, batch)                           # and back
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from desk.core.domain.dates import month_day_year
from desk.core.domain.kinds import KINDS, Kind
from desk.core.domain.names import normalise
from desk.core.domain.words import counted
from desk.core.errors import DeskError, UndoConflict
from desk.core.progress import Progress
from desk.core.store import attachments, records, undo
from desk.core.store.db import Database
from desk.core.store.hooks import hooks_for
from desk.core.store.operations import mark_deleted, operation, quoted
from desk.io.import_check import plan_file, plan_request, plan_rows
from desk.io.import_plan import (
    ImportPlan,
    ImportRequest,
    PlanSummary,
    RowPlan,
    UnknownValue,
    describe,
    filled_note,
    summarize,
)
from desk.io.mapping import importable, remember_mapping, remember_values

MATCHED = ("leave", "fill", "update")  # what an import does to records already in desk


def refuse_problems(plan: ImportPlan) -> None:
    """Refuse a plan with rows that have problems, naming the first."""
    problems = plan.counts()["problem"]
    if problems:
        raise DeskError(
            f"{counted(problems, plan.unit)} with problems; nothing was imported. "
            f"First: {plan.problems()[0]}"
        )


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
    if not skip_problems:
        refuse_problems(plan)
    counts = plan.counts()
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
        new_rows = _with_named_made(db, spec, new_rows)
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
        # A card's photo is kept as a file of its new contact, in the same batch, so
        # undoing the import takes it away with the contact.
        for row, contact_id in zip(
            (r for r in plan.rows if r.status == "new"), made.ids, strict=True
        ):
            for filename, data in row.photos:
                attachments.attach_file(
                    db, "contact", contact_id, data, filename, "Photo from the address card"
                )
        hooks_for(plan.kind).after_import(db, new_rows, made.ids, records)
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


def _with_named_made(db: Database, spec: Kind, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with each record they name by its name (an organization in a list of
    contacts) as its id: found by its name, or made, once for all the rows naming it."""
    named = [f for f in spec.fields if f.ref and hooks_for(f.ref).makes_named]
    if not named:
        return rows
    out = []
    known: dict[str, dict[str, int]] = {}
    for values in rows:
        values = dict(values)
        for field in named:
            name = values.get(field.name)
            if not isinstance(name, str):
                continue
            target = KINDS[field.ref or ""]
            ids = known.get(target.name)
            if ids is None:
                ids = known[target.name] = {
                    normalise(title or ""): rid
                    for rid, title in db.execute(
                        f"SELECT id, {target.title_sql} FROM {target.table} ORDER BY id"
                    )
                }
            key = normalise(name)
            if key not in ids:
                ids[key] = hooks_for(target.name).make_named(db, name, values, records)
            values[field.name] = ids[key]
        out.append(values)
    return out


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


def records_filled(db: Database, batch_id: int) -> int:
    """How many records already in desk an import filled or changed."""
    return int(
        db.execute(
            "SELECT count(DISTINCT kind || ':' || record_id) FROM history "
            "WHERE batch_id = ? AND action = 'update' "
            "AND kind IN (SELECT value FROM json_each(?))",
            (batch_id, json.dumps(importable())),
        ).fetchone()[0]
    )


__all__ = [
    "MATCHED",
    "BuiltOn",
    "ImportPlan",
    "ImportRequest",
    "PlanSummary",
    "RowPlan",
    "UnknownValue",
    "apply_plan",
    "batches",
    "describe",
    "filled_note",
    "plan_file",
    "plan_request",
    "plan_rows",
    "records_filled",
    "refuse_problems",
    "summarize",
    "undo_batch",
]
