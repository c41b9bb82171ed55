"""A record's row, read and written: found by its id, uid or name, titled, inserted
under an id never used before, and changed field by field, every write recorded in
the current operation's history, its sort keys kept with the names they sort.
`records` builds the rules of a kind on these."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from desk.core.domain import collation
from desk.core.domain.kinds import KINDS, Kind
from desk.core.domain.types.cleaning import is_plain_id
from desk.core.errors import NotFound
from desk.core.store.db import Database
from desk.core.store.operations import record
from desk.core.store.schema import not_null_columns


def new_uid() -> str:
    import uuid  # with `platform`, 3 ms of the window's start, for the first record made

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


def sort_keys(
    spec: Kind, row: Mapping[str, Any], changed: Collection[str] | None = None
) -> dict[str, str | None]:
    """The kind's sort keys (core/domain/collation) worked out from a row's values; with
    `changed`, only the keys made of one of those fields. A key is empty (NULL) where
    its name is, so empty names sort last; in a column that cannot be NULL it is ''."""
    keys: dict[str, str | None] = {}
    for column, parts, empty in _key_columns(spec):
        if changed is not None and not any(name in changed for name in parts):
            continue
        value = collation.nullable_key(*(row.get(name) for name in parts))
        keys[column] = empty if value is None else value
    return keys


_KeyColumns = tuple[tuple[str, tuple[str, ...], str | None], ...]
_KEY_COLUMNS: dict[str, tuple[Kind, _KeyColumns]] = {}


def _key_columns(spec: Kind) -> _KeyColumns:
    """Each sort key's column, its fields, and what it holds for an empty name."""
    cached = _KEY_COLUMNS.get(spec.name)
    if cached is not None and cached[0] is spec:
        return cached[1]
    not_null = not_null_columns().get(spec.table, frozenset())
    found = tuple(
        (key.name, key.key_of, "" if key.name in not_null else None) for key in spec.sort_keys
    )
    _KEY_COLUMNS[spec.name] = (spec, found)
    return found


def refresh_sort_keys(db: Database, kinds: Iterable[str] | None = None) -> int:
    """Key every row anew, where rows were written around the write path (a dump
    loaded, the demo city, a record put back by undo as an earlier desk kept it);
    not an operation of its own, as the keys are derived. Returns the rows keyed."""
    done = 0
    for spec in [KINDS[name] for name in kinds] if kinds is not None else list(KINDS.values()):
        keys = spec.sort_keys
        if not keys:
            continue
        sources = list(dict.fromkeys(name for computed in keys for name in computed.key_of))
        cursor = db.execute(f"SELECT id, {', '.join(sources)} FROM {spec.table}")
        updates = []
        for row in cursor.fetchall():
            found = sort_keys(spec, dict(zip(sources, row[1:], strict=True)))
            updates.append([*found.values(), row[0]])
        assignments = ", ".join(f"{computed.name} = ?" for computed in keys)
        db.conn.executemany(f"UPDATE {spec.table} SET {assignments} WHERE id = ?", updates)
        done += len(updates)
    return done


def insert(db: Database, spec: Kind, values: Mapping[str, Any]) -> int:
    """Insert one row with a fresh id, and record it in the current operation."""
    row = {"id": _next_id(db, spec), **values}
    row.update(sort_keys(spec, row))
    columns = ", ".join(row)
    marks = ", ".join("?" * len(row))
    db.execute(f"INSERT INTO {spec.table} ({columns}) VALUES ({marks})", list(row.values()))
    full = stored_row(db, spec.table, row["id"])
    assert full is not None  # just inserted
    # Sort keys are derived, as generated columns are: worked out anew wherever a row is
    # written, never replayed from the history.
    keys = {key.name for key in spec.sort_keys}
    kept = {name: value for name, value in full.items() if name not in keys}
    record(db, "create", spec.name, row["id"], row["uid"], kept)
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
    """Write new values into some fields of a stored row, recorded as one update; the
    sort keys of the names it changes are written with them (and, being derived, not
    recorded)."""
    derived = {key.name for key in spec.sort_keys}
    given = {name: value for name, value in values.items() if name not in derived}
    keys = sort_keys(spec, {**old, **given}, changed=given)
    written = {**given, **{name: key for name, key in keys.items() if key != old.get(name)}}
    assignments = "".join(f"{name} = ?, " for name in written)
    db.execute(
        f"UPDATE {spec.table} SET {assignments}updated_at = ? WHERE id = ?",
        [*written.values(), stamp, old["id"]],
    )
    step = {name: [old[name], new] for name, new in given.items()}
    step["updated_at"] = [old["updated_at"], stamp]
    record(db, "update", spec.name, old["id"], old["uid"], step)
