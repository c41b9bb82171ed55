"""Undo, redo and the trash: operations replayed backwards or forwards from history.

Each history row of an operation is one step with a state before and after (a create:
nothing, then the row; a delete: the row, then nothing; an update: the fields' old and
new values). Undo walks the steps backwards from "after" to "before", redo forwards.
Before every step the record must be exactly in the state the step left it in; if a
later operation changed it, linked something to it, or took it away, the whole undo is
refused with the operation to undo first, never guessed at. Undo and redo are
operations themselves, so they are recorded, and a restart changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from desk.core.domain.kinds import KINDS, Kind, kind_of_table
from desk.core.errors import NotFound, UndoConflict
from desk.core.store.db import Database
from desk.core.store.operations import Changes, now, operation, quoted, record
from desk.core.store.rows import sort_keys

PURGED = {"purged": True}
# Trash entries stay until the trash is emptied; this is only what the window suggests.
TRASH_DAYS = 90


@dataclass(frozen=True)
class OperationInfo:
    id: int
    at: str
    label: str
    kind: str
    undone: bool

    @property
    def when(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.at)


@dataclass(frozen=True)
class TrashEntry:
    op_id: int
    kind: str
    title: str
    deleted_at: str
    linked: int  # records that went with it

    @property
    def label(self) -> str:
        return KINDS[self.kind].label


@dataclass(frozen=True)
class _Step:
    action: str
    kind: str
    record_id: int
    uid: str
    data: dict[str, Any]


# -- what can be undone and redone ---------------------------------------------------


def _info(row: tuple[Any, ...]) -> OperationInfo:
    op_id, at, label, kind, undone_by = row
    return OperationInfo(op_id, at, label, kind, undone_by is not None)


def undoable(db: Database, limit: int = 50) -> list[OperationInfo]:
    """Operations undo can take back, newest first."""
    return [
        _info(row)
        for row in db.execute(
            "SELECT id, at, label, kind, undone_by FROM operations WHERE kind = 'do' "
            "AND undone_by IS NULL AND purged_at IS NULL ORDER BY id DESC LIMIT ?",
            (limit,),
        ).fetchall()
    ]


def redoable(db: Database, limit: int = 50) -> list[OperationInfo]:
    """Operations redo can put back, the most recently undone first.

    Only those undone after the last new piece of work: new work ends the redo chain,
    as in every editor.
    """
    return [
        _info(row)
        for row in db.execute(
            "SELECT id, at, label, kind, undone_by FROM operations WHERE kind = 'do' "
            "AND undone_by IS NOT NULL AND purged_at IS NULL AND undone_by > "
            "(SELECT coalesce(max(id), 0) FROM operations WHERE kind = 'do' OR final = 1) "
            "ORDER BY undone_by DESC LIMIT ?",
            (limit,),
        ).fetchall()
    ]


def recent(db: Database, limit: int = 30) -> list[OperationInfo]:
    """The latest operations of every sort, newest first (for `desk undo --list`)."""
    return [
        _info(row)
        for row in db.execute(
            "SELECT id, at, label, kind, undone_by FROM operations ORDER BY id DESC LIMIT ?",
            (limit,),
        ).fetchall()
    ]


def _operation(db: Database, op_id: int) -> tuple[str, str, int | None, str | None]:
    row = db.execute(
        "SELECT label, kind, undone_by, purged_at FROM operations WHERE id = ?", (op_id,)
    ).fetchone()
    if row is None:
        raise NotFound(f"There is no operation {op_id}; 'desk undo --list' shows them.")
    return row[0], row[1], row[2], row[3]


# -- undo and redo -------------------------------------------------------------------


def next_undo(db: Database) -> OperationInfo | None:
    """What undo would take back now, or None when there is nothing.

    The newest operation still in force, whether undo can take it back or not: undo
    never passes over an operation that cannot be undone (a final one, or one retired
    when the trash was emptied) to reach older work. `undo` says why it stops there.
    """
    row = db.execute(
        "SELECT id, at, label, kind, undone_by FROM operations "
        "WHERE final = 1 OR (kind = 'do' AND undone_by IS NULL) ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return _info(row) if row else None


def blocked(db: Database, op_id: int) -> str | None:
    """Why the operation cannot be undone, in words, or None when it can be tried."""
    label, _kind, _undone_by, purged_at = _operation(db, op_id)
    final = db.execute("SELECT final FROM operations WHERE id = ?", (op_id,)).fetchone()[0]
    if final:
        if label == "Empty the trash":
            return (
                "Emptying the trash cannot be undone: what it removed is gone for good. "
                "Earlier work stays as it is; 'desk undo --list' shows it"
            )
        if label.startswith("Restore"):
            return (
                f"{label} cannot be undone: it replaced the records wholesale. To go back, "
                "restore the copy desk took just before it ('desk backups' lists it as "
                "'Before a restore')"
            )
        # An erasure or a retention run: pointing at a backup would point at the very
        # data that was to be gone.
        return f"{label} cannot be undone: what it removed is gone for good"
    if purged_at:
        return f"{label} cannot be undone: the trash it was in has been emptied"
    return None


def undo(db: Database, op_id: int | None = None) -> Changes:
    """Take back an operation (by default the latest one), as a new operation."""
    if op_id is None:
        latest = next_undo(db)
        if latest is None:
            raise UndoConflict("There is nothing to undo.")
        op_id = latest.id
    label, kind, undone_by, _purged_at = _operation(db, op_id)
    why = blocked(db, op_id)
    if why:
        raise UndoConflict(f"{why}.")
    if kind != "do":
        raise UndoConflict(f"{label} is itself an undo or a redo; use redo or undo instead.")
    if undone_by is not None:
        raise UndoConflict(f"{label} is already undone.")
    with operation(db, f"Undo {label}", kind="undo", target_id=op_id) as changes:
        for step in reversed(_steps(db, op_id)):
            _replay(db, op_id, label, step, backwards=True)
        db.execute("UPDATE operations SET undone_by = ? WHERE id = ?", (changes.op_id, op_id))
        db.execute(
            "UPDATE import_batches SET undone_at = ?, updated_at = ? WHERE op_id = ?",
            (now(), now(), op_id),
        )
        # Undoing a forced "undo import" puts the import back in force.
        db.execute(
            "UPDATE import_batches SET undone_at = NULL, undo_op_id = NULL, updated_at = ? "
            "WHERE undo_op_id = ?",
            (now(), op_id),
        )
    return changes


def redo(db: Database, op_id: int | None = None) -> Changes:
    """Put back what the latest undo took back, as a new operation."""
    chain = redoable(db)
    if op_id is None:
        if not chain:
            raise UndoConflict("There is nothing to redo.")
        op_id = chain[0].id
    elif op_id not in {info.id for info in chain}:
        label = _operation(db, op_id)[0]
        raise UndoConflict(
            f"{label} cannot be redone: it is not undone, or other work was done since."
        )
    label = _operation(db, op_id)[0]
    with operation(db, f"Redo {label}", kind="redo", target_id=op_id) as changes:
        for step in _steps(db, op_id):
            _replay(db, op_id, label, step, backwards=False)
        db.execute("UPDATE operations SET undone_by = NULL WHERE id = ?", (op_id,))
        db.execute(
            "UPDATE import_batches SET undone_at = NULL, updated_at = ? WHERE op_id = ?",
            (now(), op_id),
        )
    return changes


def _steps(db: Database, op_id: int) -> list[_Step]:
    return [
        _Step(action, kind, record_id, uid, json.loads(data))
        for action, kind, record_id, uid, data in db.execute(
            "SELECT action, kind, record_id, record_uid, changes FROM history "
            "WHERE op_id = ? ORDER BY id",
            (op_id,),
        ).fetchall()
    ]


def _replay(db: Database, op_id: int, label: str, step: _Step, *, backwards: bool) -> None:
    spec = KINDS[step.kind]
    if step.data == PURGED:
        raise UndoConflict(
            f"{label} cannot be replayed: the details of a record it touched "
            "were removed when the trash was emptied."
        )
    guard = _Guard(db, op_id, label, spec, step, "undo" if backwards else "redo")
    if step.action == "update":
        old = {name: pair[0] for name, pair in step.data.items()}
        new = {name: pair[1] for name, pair in step.data.items()}
        before, after = (new, old) if backwards else (old, new)
        _set_fields(db, guard, before, after)
    elif (step.action == "create") == backwards:
        _take_away(db, guard, step.data)
    else:
        _put_back(db, guard, step.data)


class _Guard:
    """Explains, in the user's words, why one step of an undo cannot go ahead."""

    def __init__(
        self, db: Database, op_id: int, label: str, spec: Kind, step: _Step, verb: str
    ) -> None:
        self.db, self.op_id, self.label, self.spec, self.step = db, op_id, label, spec, step
        self.verb = verb

    def name(self) -> str:
        from desk.core.store import records

        title = records.title_of(self.db, self.spec.name, self.step.record_id)
        return f"{self.spec.label.lower()} {quoted(title)}" if title else self.spec.label.lower()

    def refuse(self, why: str, uid: str | None = None) -> UndoConflict:
        # The later work still in force that touched the record (or the record linked to
        # it, `uid`) is what to undo first.
        later = self.db.execute(
            "SELECT o.label, o.id FROM history h JOIN operations o ON o.id = h.op_id "
            "WHERE h.record_uid = ? AND h.op_id > ? AND o.kind = 'do' "
            "AND o.undone_by IS NULL ORDER BY h.id DESC LIMIT 1",
            (uid or self.step.uid, self.op_id),
        ).fetchone()
        first = f" (by {later[0]}, #{later[1]}); undo that first" if later else ""
        return UndoConflict(f"Cannot {self.verb} {self.label}: {why}{first}.")


def _set_fields(db: Database, guard: _Guard, before: dict[str, Any], after: dict[str, Any]) -> None:
    from desk.core.store import records

    spec = guard.spec
    current = records.stored_row(db, spec.table, guard.step.record_id)
    if current is None or current["uid"] != guard.step.uid:
        raise guard.refuse(f"the {spec.label.lower()} it changed no longer exists")
    # Sort keys are derived from the names beside them, which are compared, and worked
    # out anew from them; a key stored by an earlier desk is not a change since.
    keys = spec.derived_names
    for name, value in before.items():
        if name != "updated_at" and name not in keys and current.get(name) != value:
            label = spec.field_map[name].label if name in spec.field_map else name
            raise guard.refuse(f"{label} of the {guard.name()} was changed since")
    values = {name: value for name, value in after.items() if name != "updated_at"}
    records.set_fields(db, spec, current, values, after.get("updated_at") or now())
    _reindex(db, spec, guard.step.record_id)


def _take_away(db: Database, guard: _Guard, row: dict[str, Any]) -> None:
    from desk.core.store import index, records

    spec = guard.spec
    current = records.stored_row(db, spec.table, guard.step.record_id)
    if current is None or current["uid"] != guard.step.uid:
        raise guard.refuse(f"the {spec.label.lower()} is already gone")
    keys = spec.derived_names
    for name, value in row.items():
        if name in current and name not in {"updated_at", *keys} and current[name] != value:
            label = spec.field_map[name].label if name in spec.field_map else name
            raise guard.refuse(f"{label} of the {guard.name()} was changed since")
    for child, column, _on_delete in records._references(db, spec.table):
        linked = db.execute(
            f"SELECT count(*), max(uid) FROM {child} WHERE {column} = ?",
            (guard.step.record_id,),
        ).fetchone()
        if linked[0]:
            what = kind_of_table(child)
            noun = what.label.lower() if linked[0] == 1 else what.plural.lower()
            raise guard.refuse(
                f"{linked[0]} {noun} now linked to the {guard.name()} would be lost", linked[1]
            )
    record(db, "delete", spec.name, guard.step.record_id, guard.step.uid, current)
    index.unindex(db, spec.name, guard.step.record_id)
    db.execute(f"DELETE FROM {spec.table} WHERE id = ?", (guard.step.record_id,))


def _put_back(db: Database, guard: _Guard, row: dict[str, Any]) -> None:
    from desk.core.store import records

    spec = guard.spec
    taken = db.execute(
        f"SELECT 1 FROM {spec.table} WHERE id = ? OR uid = ?", (row["id"], row["uid"])
    ).fetchone()
    if taken:
        raise guard.refuse(f"the {spec.label.lower()} is already there")
    for field in spec.fields:
        target_id = row.get(field.name)
        if field.ref and target_id is not None:
            target = KINDS[field.ref or ""]
            if not db.execute(
                f"SELECT 1 FROM {target.table} WHERE id = ?", (target_id,)
            ).fetchone():
                raise guard.refuse(
                    f"the {target.label.lower()} it belongs to is gone; restore that first"
                )
    # A file's row keeps its bytes by their hash, in `blobs`.
    if (
        row.get("sha256")
        and not db.execute("SELECT 1 FROM blobs WHERE sha256 = ?", (row["sha256"],)).fetchone()
    ):
        raise guard.refuse("the file's contents were removed when the trash was emptied")
    # Keyed as this desk keys, whichever desk recorded the row.
    row = {**row, **sort_keys(spec, row)}
    columns = [c for c in records.stored_columns(db, spec.table) if c in row]
    try:
        db.execute(
            f"INSERT INTO {spec.table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})",
            [row[c] for c in columns],
        )
    except sqlite3.IntegrityError as exc:
        raise guard.refuse(f"the {spec.label.lower()} no longer fits ({exc})") from None
    record(db, "create", spec.name, row["id"], row["uid"], row)
    _reindex(db, spec, row["id"])


def _reindex(db: Database, spec: Kind, record_id: int) -> None:
    from desk.core.store import index, records

    if spec.name in index.searched_kinds():
        index.reindex(db, spec.name, records.get(db, spec.name, record_id))


# -- the trash -----------------------------------------------------------------------


def trash(db: Database) -> list[TrashEntry]:
    """Records deleted on their own and not restored, newest first."""
    return [
        TrashEntry(op_id, kind, title or "", at, max(0, count - 1))
        for op_id, kind, title, at, count in db.execute(
            "SELECT o.id, o.deleted_kind, o.deleted_title, o.at, "
            "(SELECT count(*) FROM history h WHERE h.op_id = o.id AND h.action = 'delete') "
            "FROM operations o WHERE o.deleted_kind IS NOT NULL AND o.kind = 'do' "
            "AND o.undone_by IS NULL AND o.purged_at IS NULL ORDER BY o.id DESC"
        ).fetchall()
    ]


def restore(db: Database, op_id: int) -> Changes:
    """Bring a deleted record back from the trash, with everything that went with it."""
    if op_id not in {entry.op_id for entry in trash(db)}:
        raise NotFound(f"There is nothing in the trash numbered {op_id}; 'desk trash' lists it.")
    return undo(db, op_id)


def empty_trash(db: Database, older_than_days: int | None = None) -> int:
    """Remove deleted records for good: their stored copies and their files' contents."""
    cutoff = (
        None
        if older_than_days is None
        else (dt.datetime.now(dt.UTC) - dt.timedelta(days=older_than_days)).isoformat()
    )
    entries = [e for e in trash(db) if cutoff is None or e.deleted_at < cutoff]
    if not entries:
        return 0
    with operation(db, "Empty the trash", kind="undo", final=True):
        for entry in entries:
            uids = [
                uid
                for (uid,) in db.execute(
                    "SELECT record_uid FROM history WHERE op_id = ? AND action = 'delete'",
                    (entry.op_id,),
                ).fetchall()
            ]
            marks = ", ".join("?" * len(uids))
            # Every copy of what these records held goes, not only the last one.
            db.execute(
                f"UPDATE history SET changes = ? WHERE record_uid IN ({marks})",
                [json.dumps(PURGED), *uids],
            )
            # Every operation that touched them can no longer be replayed: retire them
            # all, so undo and redo move on to the work that is still whole.
            db.execute(
                "UPDATE operations SET purged_at = ? WHERE purged_at IS NULL AND id IN "
                f"(SELECT op_id FROM history WHERE record_uid IN ({marks}))",
                [now(), *uids],
            )
            db.execute("UPDATE operations SET purged_at = ? WHERE id = ?", (now(), entry.op_id))
        db.execute("DELETE FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM attachments)")
    return len(entries)
