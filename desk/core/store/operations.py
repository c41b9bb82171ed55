"""Operations: the one path every write takes.

A write opens an operation (`with operation(db, label) as changes:`), which takes the
write lock, gets an id, and collects what the write touched. Each stored change is a
history row stamped with that id, holding enough to replay it either way: a create keeps
the row it inserted, a delete the row it removed, an update the fields' old and new
values. Undo and redo (core/undo.py) replay those rows; nothing else is needed.

Operations nest: a write called inside another joins it (an import is one operation,
however many records it creates), and the outermost decides the label.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from desk.core.store.db import Database, transaction

_CURRENT = "_desk_operation"


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass
class Changes:
    """What one operation did: its id and label, and the records it touched by kind.

    `id` is the record the operation was about (the one created, edited or deleted);
    `ids` the records a bulk create made; `fields` what an edit changed, old and new.
    """

    op_id: int | None = None
    label: str = ""
    created: list[tuple[str, int]] = field(default_factory=list)
    updated: list[tuple[str, int]] = field(default_factory=list)
    deleted: list[tuple[str, int]] = field(default_factory=list)
    id: int | None = None
    ids: list[int] = field(default_factory=list)
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    @property
    def kinds(self) -> set[str]:
        return {kind for kind, _ in (*self.created, *self.updated, *self.deleted)}

    def __bool__(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def about(self, record_id: int | None, ids: list[int] | None = None) -> Changes:
        """One call's view of the operation (which may be an outer one it joined)."""
        return Changes(
            op_id=self.op_id,
            label=self.label,
            created=self.created,
            updated=self.updated,
            deleted=self.deleted,
            id=record_id,
            ids=ids or [],
        )


def current(db: Database) -> Changes | None:
    return getattr(db, _CURRENT, None)


@contextmanager
def operation(
    db: Database,
    label: str,
    *,
    kind: str = "do",
    target_id: int | None = None,
    final: bool = False,
) -> Iterator[Changes]:
    """Run a write as one operation: one transaction, one id on its history, one label.

    Inside another operation this joins it (a savepoint, so a refused inner write rolls
    back alone and the outer one may go on). A `final` operation can never be taken
    back (emptying the trash): undo stops at it and says so.
    """
    outer = current(db)
    if outer is not None:
        # The inner write adds to the outer operation's changes; its own label (set on
        # this view) does not replace the outer one ("Undo import 3", not "Delete ...").
        view = outer.about(None)
        view.label = label
        with transaction(db):
            yield view
        return
    changes = Changes(label=label)
    with transaction(db):
        cursor = db.execute(
            "INSERT INTO operations(at, label, kind, target_id, final) VALUES (?, ?, ?, ?, ?)",
            (now(), label, kind, target_id, int(final)),
        )
        changes.op_id = int(cursor.lastrowid or 0)
        setattr(db, _CURRENT, changes)
        try:
            yield changes
        finally:
            setattr(db, _CURRENT, None)
        if changes or kind != "do" or final:
            db.execute(
                "UPDATE operations SET label = ? WHERE id = ?", (changes.label, changes.op_id)
            )
        else:
            # A write that changed nothing leaves nothing to undo.
            db.execute("DELETE FROM operations WHERE id = ?", (changes.op_id,))
            changes.op_id = None


def record_final(db: Database, label: str) -> int:
    """Record, inside the caller's transaction, a change that replaced records wholesale
    (a restore) and so can never be undone; returns its operation id."""
    cursor = db.execute(
        "INSERT INTO operations(at, label, kind, final) VALUES (?, ?, 'do', 1)", (now(), label)
    )
    return int(cursor.lastrowid or 0)


def require(db: Database) -> Changes:
    changes = current(db)
    if changes is None:
        raise RuntimeError("A write outside an operation: open one with operations.operation().")
    return changes


def record(db: Database, action: str, kind: str, record_id: int, uid: str, data: object) -> None:
    """One stored change, as a history row of the current operation."""
    changes = require(db)
    db.execute(
        "INSERT INTO history(at, action, kind, record_id, record_uid, changes, op_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (now(), action, kind, record_id, uid, json.dumps(data, ensure_ascii=False), changes.op_id),
    )
    {"create": changes.created, "update": changes.updated, "delete": changes.deleted}[
        action
    ].append((kind, record_id))


def mark_deleted(db: Database, kind: str, uid: str, title: str) -> None:
    """Name the record this operation deleted, so it shows in the trash."""
    changes = require(db)
    db.execute(
        "UPDATE operations SET deleted_kind = ?, deleted_uid = ?, deleted_title = ? "
        "WHERE id = ? AND deleted_kind IS NULL",
        (kind, uid, title, changes.op_id),
    )


def quoted(title: str, limit: int = 60) -> str:
    """A record's title as it appears inside an operation's label."""
    text = " ".join(title.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"“{text}”" if text else "(untitled)"


def load(db: Database, op_id: int) -> Changes:
    """The Changes of an operation done earlier (or on another connection)."""
    row = db.execute("SELECT label FROM operations WHERE id = ?", (op_id,)).fetchone()
    changes = Changes(op_id=op_id, label=row[0] if row else "")
    lists = {"create": changes.created, "update": changes.updated, "delete": changes.deleted}
    for action, kind, record_id in db.execute(
        "SELECT action, kind, record_id FROM history WHERE op_id = ? ORDER BY id", (op_id,)
    ):
        lists[action].append((kind, record_id))
    return changes


def touched(db: Database, op_id: int) -> Changes:
    """An operation as the views need to hear of it: its label and one record of each
    kind it created, changed or deleted. After an import of 100,000 rows that is a few
    rows read, not 100,000."""
    row = db.execute("SELECT label FROM operations WHERE id = ?", (op_id,)).fetchone()
    changes = Changes(op_id=op_id, label=row[0] if row else "")
    lists = {"create": changes.created, "update": changes.updated, "delete": changes.deleted}
    for action, kind, record_id in db.execute(
        "SELECT action, kind, min(record_id) FROM history WHERE op_id = ? GROUP BY 1, 2",
        (op_id,),
    ):
        lists[action].append((kind, record_id))
    return changes


def latest(db: Database) -> int | None:
    row = db.execute("SELECT max(id) FROM operations").fetchone()
    return None if row is None or row[0] is None else int(row[0])
