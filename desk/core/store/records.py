"""Creating, changing and deleting records: validated, in one transaction, with history.

Every write in desk ends here, whether it comes from the window, the command line or an
import, so the rules below hold for all of them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desk.core.domain.dates import on_date, stored_date
from desk.core.domain.kinds import KINDS, Kind, kind_of_table
from desk.core.domain.validate import clean, clean_values, is_plain_id
from desk.core.domain.vocab import PARTNERSHIP_STATUSES
from desk.core.errors import NotFound, ValidationError
from desk.core.store import index
from desk.core.store.db import Database
from desk.core.store.operations import Changes, current, mark_deleted, operation, quoted, record
from desk.core.store.operations import now as now

# Fields the database fills or that only their own operation may change.
_MANAGED = {"id", "uid", "created_at", "updated_at", "sort_name", "decision_deadline"}


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


def _check_refs(db: Database, spec: Kind, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        field_spec = spec.field_map.get(name)
        if field_spec is None or field_spec.type != "ref" or value is None:
            continue
        target = KINDS[field_spec.ref or ""]
        exists = db.execute(f"SELECT 1 FROM {target.table} WHERE id = ?", (value,)).fetchone()
        if not exists:
            raise ValidationError(
                f"'{field_spec.label}': there is no {target.label.lower()} {value}.", field=name
            )


def _check_outcome(row: dict[str, Any]) -> None:
    """A figure says what it counts: money for investment and exports, a number for the
    rest; and what it belongs to."""
    from desk.core.domain.vocab import MONEY_MEASURES, OUTCOME_MEASURES

    measure = row.get("measure")
    what = OUTCOME_MEASURES.get(measure or "", "This outcome")
    if measure in MONEY_MEASURES and row.get("value_minor") is None:
        raise ValidationError(f"'{what}' needs a value (with its currency).", field="value_minor")
    if measure not in MONEY_MEASURES and row.get("amount") is None:
        raise ValidationError(f"'{what}' needs a number ('How many').", field="amount")
    if not (row.get("partnership_id") or row.get("visit_id") or row.get("agreement_id")):
        raise ValidationError(
            "An outcome belongs to a partnership, a visit or an agreement: pick one.",
            field="partnership_id",
        )


def check_rules(db: Database, spec: Kind, row: dict[str, Any]) -> None:
    """Rules across fields of one record, checked on the record as it would be stored."""

    def order(first: str, second: str) -> None:
        a, b = row.get(first), row.get(second)
        if a and b and b < a:
            raise ValidationError(
                f"'{spec.field_map[second].label}' ({b}) is before "
                f"'{spec.field_map[first].label}' ({a}).",
                field=second,
            )

    if spec.name in ("visit",):
        order("start_date", "end_date")
    elif spec.name == "itinerary_item":
        order("starts_at", "ends_at")
    elif spec.name == "agreement":
        order("effective_date", "expiry_date")
        order("signed_date", "expiry_date")
    elif spec.name in ("office_term",):
        order("start_date", "end_date")
    elif spec.name == "network":
        order("joined_date", "left_date")
    elif spec.name == "signatory" and not (row.get("office_id") or row.get("office_title")):
        raise ValidationError(
            "A signatory needs an office: pick one or type its title.", field="office_title"
        )
    elif spec.name == "participant" and not (row.get("contact_id") or row.get("name")):
        raise ValidationError("A delegation member needs a contact or a name.", field="name")
    elif spec.name == "outcome":
        _check_outcome(row)
    for money_field in (f for f in spec.fields if f.type == "money"):
        if row.get(money_field.name) is not None and not row.get(money_field.currency_field or ""):
            currency = spec.field_map[money_field.currency_field or ""]
            raise ValidationError(
                f"'{money_field.label}' needs '{currency.label}'.", field=currency.name
            )


def derive(spec: Kind, row: dict[str, Any]) -> dict[str, Any]:
    """Stored values computed from others (kept only where lists sort by them)."""
    derived: dict[str, Any] = {}
    if spec.name == "contact":
        derived["sort_name"] = " ".join(
            part for part in (row.get("family_name"), row.get("given_name")) if part
        ).casefold()
    if (
        spec.name == "agreement"
        and not row.get("expiry_date")
        and row.get("term_months")
        and (row.get("effective_date") or row.get("signed_date"))
    ):
        # A signing known only to its year or month gives no day for the term to run
        # from: the expiry is left for the person to give, not guessed.
        start = stored_date(row.get("effective_date") or row["signed_date"])
        if start is not None:
            derived["expiry_date"] = add_months(start, int(row["term_months"])).isoformat()
    return derived


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def create(db: Database, kind_name: str, values: Mapping[str, Any]) -> Changes:
    """Store a new record, as one operation; `.id` is the new record's id."""
    spec = KINDS[kind_name]
    if spec.name == "status_change":
        # One way to change a status: a new status row also moves the partnership.
        changed = change_status(
            db,
            values.get("partnership_id") or "",
            str(values.get("status") or ""),
            values.get("changed_on") or "",
            str(values.get("reason") or ""),
        )
        made = [rid for kind, rid in changed.created if kind == "status_change"]
        return changed.about(made[-1] if made else changed.id)
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
    if spec.name == "city" and db.execute("SELECT id FROM city_profile").fetchone():
        raise ValidationError("There is already a city profile; edit it instead.")
    if spec.name == "attachment":
        raise ValidationError("Attach files with attach_file().")
    cleaned = clean_values(spec, values, partial=False)
    if spec.name == "partnership" and values.get("status") is None:
        cleaned["status"] = "proposed"
    _check_refs(db, spec, cleaned)
    cleaned.update(derive(spec, cleaned))
    check_rules(db, spec, cleaned)
    stamp = now()
    row = {"uid": new_uid(), "created_at": stamp, "updated_at": stamp, **cleaned}
    record_id = insert(db, spec, row)
    if spec.name == "partnership":
        _insert_status_change(
            db,
            record_id,
            cleaned["status"],
            cleaned.get("established_date") or dt.date.today().isoformat(),
            INITIAL_STATUS_REASON,
        )
    index.reindex(db, spec.name, {"id": record_id, **row})
    return record_id


# The reason on the status row every new partnership starts with: not news in a timeline.
INITIAL_STATUS_REASON = "Recorded in desk"


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
    if spec.name == "partnership" and "status" in values:
        old_status = get(db, "partnership", record_id)["status"]
        if clean(spec.field_map["status"], values["status"]) != old_status:
            raise ValidationError(
                "A partnership's status changes with a date and a reason: use "
                "'desk status' or the Change status button.",
                field="status",
            )
        values = {k: val for k, val in values.items() if k != "status"}
    if spec.name == "status_change":
        fixed = [name for name in ("status", "partnership_id") if name in values]
        if fixed:
            raise ValidationError(
                "A status change keeps its status and partnership; correct its date or "
                "reason, or record a new change.",
                field=fixed[0],
            )
    with operation(db, f"Edit {spec.label.lower()}") as op:
        old = get(db, kind_name, record_id)
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
            if spec.name == "status_change" and "changed_on" in changes:
                _status_from_history(db, int(merged["partnership_id"]))
            doing = verb or f"Edit {spec.label.lower()}"
            op.label = f"{doing} {quoted(title_of(db, spec.name, old['id']))}"
    result = op.about(old["id"])
    result.fields = changes
    return result


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


# Links that keep the linked record's name as text when it is deleted, so a delegation
# list or a signatory still says who it was: (table, link column) -> text column.
_KEEP_NAME = {
    ("visit_participants", "contact_id"): "name",
    ("agreement_signatories", "office_id"): "office_title",
    ("gifts", "giver_contact_id"): "giver",
    ("gifts", "recipient_contact_id"): "recipient",
    ("itinerary_items", "counterpart_contact_id"): "counterpart",
    ("visits", "requester_contact_id"): "requested_by",
}


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
        status_owner = root.get("partnership_id")
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
        # A status change removed on its own leaves the partnership at the status its
        # history now ends with; inside a larger operation (an import taken back) the
        # partnership goes too, or that operation sets it.
        if spec.name == "status_change" and status_owner is not None and on_its_own:
            _status_from_history(db, int(status_owner))
        if on_its_own:
            mark_deleted(db, spec.name, root_uid, name)
        op.label = f"Delete {spec.label.lower()} {quoted(name)}"
    return op.about(rid)


def _status_from_history(db: Database, partnership_id: int) -> None:
    """The current status is the latest change by date: after a change is removed or
    re-dated, the partnership takes the status its history now ends with."""
    latest = db.execute(
        "SELECT status FROM partnership_status_changes WHERE partnership_id = ? "
        "ORDER BY changed_on DESC, id DESC LIMIT 1",
        (partnership_id,),
    ).fetchone()
    if latest is None:
        raise ValidationError(
            "A partnership keeps at least one status change: the one it was entered with. "
            "Change the status instead ('desk status' or the Change status button).",
            field="status",
        )
    old = get(db, "partnership", partnership_id)
    if old["status"] != latest[0]:
        set_fields(db, KINDS["partnership"], old, {"status": latest[0]}, now())
        index.reindex(db, "partnership", {**old, "status": latest[0]})


def _unlink_references(
    db: Database, table: str, row_id: int, doomed: Mapping[tuple[str, int], None], stamp: str
) -> None:
    """Empty the links that point at a row about to go (rather than leave it to ON DELETE
    SET NULL, so the change is recorded and undo can link them again)."""
    name: str | None = None
    for child, column, on_delete in _references(db, table):
        if on_delete != "SET NULL":
            continue
        keep = _KEEP_NAME.get((child, column))
        child_spec = kind_of_table(child)
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


def _predate_first_status(db: Database, partnership_id: int, day: str) -> None:
    """The row desk wrote when the partnership was entered says only 'recorded'; a real
    change dated earlier (its history typed in later) moves that row back to its day, so
    the latest change by date stays the current status."""
    spec = KINDS["status_change"]
    rows = db.execute(
        "SELECT id FROM partnership_status_changes WHERE partnership_id = ? AND reason = ? "
        "AND changed_on > ?",
        (partnership_id, INITIAL_STATUS_REASON, day),
    ).fetchall()
    for (row_id,) in rows:
        set_fields(db, spec, get(db, "status_change", row_id), {"changed_on": day}, now())


def _insert_status_change(
    db: Database, partnership_id: int, status: str, on: str, reason: str | None
) -> None:
    stamp = now()
    row = {
        "uid": new_uid(),
        "created_at": stamp,
        "updated_at": stamp,
        "partnership_id": partnership_id,
        "status": status,
        "changed_on": on,
        "reason": reason,
    }
    insert(db, KINDS["status_change"], row)


def change_status(
    db: Database, partnership_id: int | str, status: str, on: str | dt.date, reason: str
) -> Changes:
    """Move a partnership along its lifecycle, dated and with a reason."""
    spec = KINDS["status_change"]
    cleaned = clean_values(
        spec,
        {"partnership_id": 0, "status": status, "changed_on": on, "reason": reason},
        partial=False,
    )
    with operation(db, "Change status") as op:
        try:
            old = get(db, "partnership", partnership_id)
        except NotFound:
            raise ValidationError(
                f"'Partnership' (partnership_id): there is no partnership {partnership_id}.",
                field="partnership_id",
            ) from None
        if not cleaned["reason"]:
            raise ValidationError(
                "'Reason' (reason) is required: say why the status changes.", field="reason"
            )
        latest = db.execute(
            "SELECT max(changed_on) FROM partnership_status_changes "
            "WHERE partnership_id = ? AND coalesce(reason, '') != ?",
            (old["id"], INITIAL_STATUS_REASON),
        ).fetchone()[0]
        _predate_first_status(db, old["id"], cleaned["changed_on"])
        if latest and cleaned["changed_on"] < latest:
            # The current status is always the latest by date: an earlier date would
            # record a change that is not the partnership's status.
            raise ValidationError(
                f"'Date' (changed_on) is before the last status change, {on_date(latest)}; "
                "date the change on or after it.",
                field="changed_on",
            )
        if old["status"] == cleaned["status"]:
            raise ValidationError(
                f"The partnership is already "
                f"'{PARTNERSHIP_STATUSES.get(cleaned['status'], cleaned['status'])}'.",
                field="status",
            )
        _insert_status_change(
            db, old["id"], cleaned["status"], cleaned["changed_on"], cleaned["reason"]
        )
        set_fields(db, KINDS["partnership"], old, {"status": cleaned["status"]}, now())
        index.reindex(db, "partnership", {**old, "status": cleaned["status"]})
        label = KINDS["partnership"].field_map["status"].vocab or {}
        op.label = (
            f"Change status of {quoted(old['partner_name'])} to "
            f"{label.get(cleaned['status'], cleaned['status'])}"
        )
    return op.about(old["id"])
