"""A record's row, read and written: found by its id, uid or name, titled, inserted
under an id never used before, and changed field by field, every write recorded in
the current operation's history. `records` builds the rules of a kind on these."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from desk.core.domain.kinds import KINDS, Kind
from desk.core.domain.types.cleaning import is_plain_id
from desk.core.errors import NotFound
from desk.core.store.db import Database
from desk.core.store.operations import record


def new_uid() -> str:
    return str(uuid.uuid4())


def resolve_id(db: Database, kind_name: str, ident: int | str) -> int:
    """The id of a record named by its id or its uid."""
    spec = KINDS[kind_name]
    text = str(ident).strip()
    if is_plain_id(text):
        row = db.execute(f"SELECT id FROM {spec.table} WHERE id = ?", (int(text),)).fetchone()
    else:
        row = db.execute(f"SELECT id FROM {spec.table} WHERE uid = ?", (text,)).fetchone()
    if row is None:
        raise NotFound(f"There is no {spec.label.lower()} {ident}.")
    return int(row[0])


def resolve_named(db: Database, kind_name: str, ident: int | str) -> int:
    """The id of a record named as a person types it on the command line: its id, its
    uid, or its name ('Matsue', 'Mission to Kobe'), any case; a name two records share is
    refused with both named, rather than one picked."""
    try:
        return resolve_id(db, kind_name, ident)
    except NotFound:
        pass
    spec = KINDS[kind_name]
    text = str(ident).strip()
    found = db.execute(
        f"SELECT id, {spec.title_sql} FROM {spec.table} "
        f"WHERE {spec.title_sql} = ? COLLATE NOCASE ORDER BY id LIMIT 6",
        (text,),
    ).fetchall()
    if len(found) == 1:
        return int(found[0][0])
    noun = spec.label.lower()
    if not found:
        raise NotFound(f"There is no {noun} {text!r}: no id, uid or name matches it.")
    which = ", ".join(f"#{rid}" for rid, _title in found)
    raise NotFound(f"{len(found)} records are named {text!r} ({which}); give the {noun}'s id.")


def get(db: Database, kind_name: str, record_id: int | str) -> dict[str, Any]:
    spec = KINDS[kind_name]
    rid = resolve_id(db, kind_name, record_id)
    cursor = db.execute(f"SELECT * FROM {spec.table} WHERE id = ?", (rid,))
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchone(), strict=True))


def title_of(db: Database, kind_name: str, record_id: int) -> str:
    spec = KINDS[kind_name]
    row = db.execute(
        f"SELECT {spec.title_sql} FROM {spec.table} WHERE id = ?", (record_id,)
    ).fetchone()
    return "" if row is None else str(row[0])


def stored_row(db: Database, table: str, record_id: int) -> dict[str, Any] | None:
    """A row as stored (generated columns left out: they are recomputed, never written)."""
    columns = stored_columns(db, table)
    found = db.execute(
        f"SELECT {', '.join(columns)} FROM {table} WHERE id = ?", (record_id,)
    ).fetchone()
    return None if found is None else dict(zip(columns, found, strict=True))


_COLUMNS: dict[str, list[str]] = {}


def stored_columns(db: Database, table: str) -> list[str]:
    columns = _COLUMNS.get(table)
    if columns is None:
        # table_info leaves generated columns out; the schema is fixed per desk version.
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})").fetchall()]
        _COLUMNS[table] = columns
    return columns


def insert(db: Database, spec: Kind, values: Mapping[str, Any]) -> int:
    """Insert one row with a fresh id, and record it in the current operation."""
    row = {"id": _next_id(db, spec), **values}
    columns = ", ".join(row)
    marks = ", ".join("?" * len(row))
    db.execute(f"INSERT INTO {spec.table} ({columns}) VALUES ({marks})", list(row.values()))
    full = stored_row(db, spec.table, row["id"])
    record(db, "create", spec.name, row["id"], row["uid"], full)
    return int(row["id"])


def _next_id(db: Database, spec: Kind) -> int:
    # Ids are never reused, not even the last one after its record is deleted: an undo
    # puts a deleted record back under its old id, and the history of one id is the
    # history of one record.
    in_table = db.execute(f"SELECT coalesce(max(id), 0) FROM {spec.table}").fetchone()[0]
    in_history = db.execute(
        "SELECT coalesce(max(record_id), 0) FROM history WHERE kind = ?", (spec.name,)
    ).fetchone()[0]
    return int(max(in_table, in_history)) + 1


def set_fields(
    db: Database, spec: Kind, old: Mapping[str, Any], values: Mapping[str, Any], stamp: str
) -> None:
    """Write new values into some fields of a stored row, recorded as one update."""
    assignments = ", ".join(f"{name} = ?" for name in values)
    db.execute(
        f"UPDATE {spec.table} SET {assignments}, updated_at = ? WHERE id = ?",
        [*values.values(), stamp, old["id"]],
    )
    step = {name: [old[name], new] for name, new in values.items()}
    step["updated_at"] = [old["updated_at"], stamp]
    record(db, "update", spec.name, old["id"], old["uid"], step)
