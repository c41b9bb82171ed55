"""Creating, changing and deleting records: validated, in one transaction, with history.

Every write in desk ends here, whether it comes from the window, the command line or an
import, so the rules below hold for all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desk.core.domain import dates
from desk.core.domain.kinds import KINDS, Kind, kind_of_table
from desk.core.domain.validate import clean, clean_values
from desk.core.errors import ValidationError
from desk.core.store import index
from desk.core.store.db import Database
from desk.core.store.hooks import INITIAL_STATUS_REASON, change_status, hooks_for
from desk.core.store.operations import Changes, current, mark_deleted, operation, quoted, record
from desk.core.store.operations import now as now
from desk.core.store.rows import (
    get,
    insert,
    new_uid,
    resolve_id,
    resolve_named,
    set_fields,
    stored_columns,
    stored_row,
    title_of,
)

# Reached through `records` by the rest of desk, as the whole of the write path.
__all__ = [
    "INITIAL_STATUS_REASON",
    "DeleteImpact",
    "cascade",
    "change_status",
    "check_rules",
    "create",
    "create_many",
    "delete",
    "delete_impact",
    "derive",
    "get",
    "insert",
    "new_uid",
    "now",
    "resolve_id",
    "resolve_named",
    "set_fields",
    "stored_columns",
    "stored_row",
    "title_of",
    "update",
]


def _check_refs(db: Database, spec: Kind, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        field_spec = spec.field_map.get(name)
        if field_spec is None or field_spec.ref is None or value is None:
            continue
        target = KINDS[field_spec.ref or ""]
        exists = db.execute(f"SELECT 1 FROM {target.table} WHERE id = ?", (value,)).fetchone()
        if not exists:
            raise ValidationError(
                f"'{field_spec.label}': there is no {target.label.lower()} {value}.", field=name
            )


def _moment(value: Any, zone: Any) -> Any:
    """A stored date or local time in the order the clock runs: times in a zone by the
    moment they name (inside a repeated hour, by their offset), not by their text."""
    text = str(value)
    if not zone or len(text) <= 10 or dates.is_partial(text):
        return text
    try:
        return dates.wall_clock(text, str(zone)).timestamp()
    except ValueError:
        return text


def check_rules(db: Database, spec: Kind, row: dict[str, Any]) -> None:
    """Rules across fields of one record, checked on the record as it would be stored."""

    zone = row.get("time_zone")

    def order(first: str, second: str) -> None:
        a, b = row.get(first), row.get(second)
        if a and b and _moment(b, zone) < _moment(a, zone):
            # Said as the person typed them, not as stored ("2027-04-13T12:00").
            raise ValidationError(
                f"'{spec.field_map[second].label}' ({dates.stored_text(b, zone)}) is before "
                f"'{spec.field_map[first].label}' ({dates.stored_text(a, zone)}).",
                field=second,
            )

    for first, second in spec.date_order:
        order(first, second)
    for rule in spec.needs_one_of:
        if not any(row.get(name) for name in rule.fields):
            raise ValidationError(rule.message, field=rule.at)
    hooks_for(spec.name).check(db, spec, row)
    for money_field in (f for f in spec.fields if f.currency_field):
        if row.get(money_field.name) is not None and not row.get(money_field.currency_field or ""):
            currency = spec.field_map[money_field.currency_field or ""]
            raise ValidationError(
                f"'{money_field.label}' needs '{currency.label}'.", field=currency.name
            )


def derive(spec: Kind, row: dict[str, Any]) -> dict[str, Any]:
    """Stored values computed from others (kept where lists sort by them, or given by
    default from others): the kind's hooks say which."""
    return hooks_for(spec.name).derive(spec, row)


def create(db: Database, kind_name: str, values: Mapping[str, Any]) -> Changes:
    """Store a new record, as one operation; `.id` is the new record's id."""
    spec = KINDS[kind_name]
    made_otherwise = hooks_for(spec.name).create(db, values)
    if made_otherwise is not None:
        return made_otherwise
    with operation(db, f"Add {spec.label.lower()}") as changes:
        record_id = _create(db, spec, values)
        changes.label = f"Add {spec.label.lower()} {quoted(title_of(db, spec.name, record_id))}"
    return changes.about(record_id)


def create_many(
    db: Database,
    kind_name: str,
    rows: Sequence[Mapping[str, Any]],
    progress: Callable[[int, int, str], None] | None = None,
) -> Changes:
    """Store many records as one operation: all of them, or none if one is refused."""
    spec = KINDS[kind_name]
    ids = []
    with operation(db, f"Add {spec.count(len(rows))}") as changes:
        for done, values in enumerate(rows, start=1):
            ids.append(_create(db, spec, values))
            if progress and done % 500 == 0:
                progress(done, len(rows), f"{done:,} of {spec.count(len(rows))}")
    return changes.about(ids[0] if ids else None, ids)


def _create(db: Database, spec: Kind, values: Mapping[str, Any]) -> int:
    hooks = hooks_for(spec.name)
    values = hooks.before_create(db, values)
    cleaned = clean_values(spec, values, partial=False)
    _check_refs(db, spec, cleaned)
    cleaned.update(derive(spec, cleaned))
    check_rules(db, spec, cleaned)
    stamp = now()
    row = {"uid": new_uid(), "created_at": stamp, "updated_at": stamp, **cleaned}
    record_id = insert(db, spec, row)
    hooks.after_create(db, record_id, row)
    index.reindex(db, spec.name, {"id": record_id, **row})
    return record_id


def update(
    db: Database,
    kind_name: str,
    record_id: int | str,
    values: Mapping[str, Any],
    *,
    verb: str | None = None,
) -> Changes:
    """Change some fields of a record, as one operation; `.fields` holds {field: (old,
    new)} for what differed (empty, and no operation kept, when nothing did). `verb`
    names the operation for Undo ("Mark done"); by default "Edit <kind>"."""
    spec = KINDS[kind_name]
    with operation(db, f"Edit {spec.label.lower()}") as op:
        old = get(db, kind_name, record_id)
        values = _without_locked(spec, old, values)
        cleaned = clean_values(spec, values, partial=True, stored=old)
        _check_refs(db, spec, cleaned)
        merged = {**old, **cleaned}
        # Derived once: asked again after the merge, an expiry just derived would read
        # as given and never be stored.
        derived = derive(spec, merged)
        merged.update(derived)
        check_rules(db, spec, merged)
        changes = {
            name: (old[name], merged[name])
            for name in [*cleaned, *derived]
            if old.get(name) != merged[name]
        }
        if changes:
            stamp = now()
            set_fields(db, spec, old, {name: new for name, (_, new) in changes.items()}, stamp)
            index.reindex(db, spec.name, {**merged, "updated_at": stamp})
            hooks_for(spec.name).after_update(db, merged, changes)
            doing = verb or f"Edit {spec.label.lower()}"
            op.label = f"{doing} {quoted(title_of(db, spec.name, old['id']))}"
    result = op.about(old["id"])
    result.fields = changes
    return result


def _without_locked(
    spec: Kind, old: Mapping[str, Any], values: Mapping[str, Any]
) -> Mapping[str, Any]:
    """The values less the locked fields they leave as they are; one that would change a
    locked field (set only by its own operation) is refused with the reason."""
    for name in values:
        locked = spec.field_map[name].locked if name in spec.field_map else ""
        if locked and clean(spec.field_map[name], values[name]) != old.get(name):
            raise ValidationError(locked, field=name)
    return {
        name: value
        for name, value in values.items()
        if name not in spec.field_map or not spec.field_map[name].locked
    }


@dataclass
class DeleteImpact:
    """What deleting a record takes with it, and what it only unlinks."""

    removed: dict[str, int] = field(default_factory=dict)  # kind label -> count
    unlinked: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        def counted(counts: dict[str, int]) -> str:
            by_plural = {spec.plural: spec for spec in KINDS.values()}
            return ", ".join(by_plural[k].count(n) for k, n in counts.items())

        parts = []
        if self.removed:
            parts.append("Also deletes " + counted(self.removed))
        if self.unlinked:
            parts.append("Unlinks " + counted(self.unlinked))
        return ". ".join(parts) + ("." if parts else "Nothing else is affected.")


_REFERENCES: dict[str, list[tuple[str, str, str]]] = {}


def _references(db: Database, table: str) -> list[tuple[str, str, str]]:
    """(child table, column, on_delete) for every foreign key pointing at `table`.

    Read once per table: a delete or an undo asks for every row it touches, and the
    schema is fixed once the database is open (migrated to this desk's version)."""
    cached = _REFERENCES.get(table)
    if cached is not None:
        return cached
    found = []
    for (child,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'search_index%'"
    ).fetchall():
        for fk in db.execute(f"PRAGMA foreign_key_list({child})").fetchall():
            if fk[2] == table:
                found.append((child, fk[3], fk[6]))
    _REFERENCES[table] = found
    return found


def cascade(db: Database, table: str, ids: list[int]) -> list[tuple[str, int]]:
    """Every (table, id) that deleting `ids` from `table` removes, the roots included."""
    out = [(table, i) for i in ids]
    for child, column, on_delete in _references(db, table):
        if on_delete != "CASCADE" or not ids:
            continue
        marks = ", ".join("?" * len(ids))
        child_ids = [
            r[0] for r in db.execute(f"SELECT id FROM {child} WHERE {column} IN ({marks})", ids)
        ]
        if child_ids:
            out += cascade(db, child, child_ids)
    return out


def delete_impact(db: Database, kind_name: str, record_id: int | str) -> DeleteImpact:
    spec = KINDS[kind_name]
    rid = resolve_id(db, kind_name, record_id)
    impact = DeleteImpact()
    for table, _ in cascade(db, spec.table, [rid])[1:]:
        label = kind_of_table(table).plural
        impact.removed[label] = impact.removed.get(label, 0) + 1
    for child, column, on_delete in _references(db, spec.table):
        if on_delete == "SET NULL":
            count = db.execute(
                f"SELECT count(*) FROM {child} WHERE {column} = ?", (rid,)
            ).fetchone()[0]
            if count:
                label = kind_of_table(child).plural
                impact.unlinked[label] = impact.unlinked.get(label, 0) + count
    return impact


def delete(db: Database, kind_name: str, record_id: int | str) -> Changes:
    """Delete a record and what depends on it, as one operation that undo reverses.

    Every removed row and every link set empty is recorded, children before their
    parents, so replaying the history backwards puts parents back first.
    """
    spec = KINDS[kind_name]
    # Only a delete of its own is a trash entry; one inside a larger operation (an
    # import taken back) is undone with that operation.
    on_its_own = current(db) is None
    with operation(db, f"Delete {spec.label.lower()}") as op:
        rid = resolve_id(db, kind_name, record_id)
        name = title_of(db, kind_name, rid)
        root = get(db, kind_name, rid)
        root_uid = root["uid"]
        doomed: dict[tuple[str, int], None] = dict.fromkeys(cascade(db, spec.table, [rid]))
        stamp = now()
        for table, row_id in doomed:
            _unlink_references(db, table, row_id, doomed, stamp)
        for table, row_id in reversed(doomed):
            child_kind = kind_of_table(table)
            row = stored_row(db, table, row_id)
            if row is None:
                continue
            record(db, "delete", child_kind.name, row_id, row["uid"], row)
            index.unindex(db, child_kind.name, row_id)
            db.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
        hooks_for(spec.name).after_delete(db, root, on_its_own=on_its_own)
        if on_its_own:
            mark_deleted(db, spec.name, root_uid, name)
        op.label = f"Delete {spec.label.lower()} {quoted(name)}"
    return op.about(rid)


def _unlink_references(
    db: Database, table: str, row_id: int, doomed: Mapping[tuple[str, int], None], stamp: str
) -> None:
    """Empty the links that point at a row about to go (rather than leave it to ON DELETE
    SET NULL, so the change is recorded and undo can link them again)."""
    name: str | None = None
    for child, column, on_delete in _references(db, table):
        if on_delete != "SET NULL":
            continue
        child_spec = kind_of_table(child)
        link = child_spec.field_map.get(column)
        # A link that keeps the record's name as text, so a delegation list or a
        # signatory still says who it was.
        keep = link.keeps_name if link else None
        for (child_id,) in db.execute(
            f"SELECT id FROM {child} WHERE {column} = ?", (row_id,)
        ).fetchall():
            if (child, child_id) in doomed:
                continue
            old = stored_row(db, child, child_id)
            assert old is not None
            values: dict[str, Any] = {column: None}
            if keep and not old.get(keep):
                if name is None:
                    name = title_of(db, kind_of_table(table).name, row_id)
                values[keep] = name
            set_fields(db, child_spec, old, values, stamp)
