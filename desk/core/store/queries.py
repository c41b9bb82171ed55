"""Reading records: sorted and filtered lists, one record with what links to it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desk.core.domain import validate
from desk.core.domain.kinds import KINDS, Computed, Field, Kind, kind_of_table
from desk.core.domain.types import TYPES, type_of
from desk.core.errors import DeskError
from desk.core.store import index
from desk.core.store.attachments import owner_column
from desk.core.store.db import Database
from desk.core.store.records import get
from desk.core.store.schema import not_null_columns


def fetch(db: Database, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[dict[str, Any]]:
    """Rows of a query as dicts (column name -> value)."""
    return list(db.query(sql, params))


def person_name(contact: dict[str, Any] | None) -> str:
    """A contact's romanised name in the person's own order (the kinds' title_sql in SQL)."""
    if not contact:
        return ""
    given, family = contact.get("given_name") or "", contact.get("family_name") or ""
    parts = [family, given] if contact.get("name_order") == "family_first" else [given, family]
    return " ".join(p for p in parts if p)


def display(
    db: Database | None,
    spec: Field,
    value: Any,
    row: dict[str, Any] | None = None,
    *,
    with_id: bool = False,
) -> str:
    """How a stored value reads to a person: dates in the U.S. short style, choices by
    their label, a linked record by its name (and its number, where the reader types
    numbers back: the command line)."""
    if value is None or value == "":
        return ""
    if spec.ref and db is not None:
        target = KINDS[spec.ref]
        found = db.execute(
            f"SELECT {target.title_sql} FROM {target.table} WHERE id = ?", (value,)
        ).fetchone()
        if found is None:
            return f"#{value}" if with_id else "(missing)"
        return f"{found[0]} (#{value})" if with_id else str(found[0])
    return type_of(spec).shown(spec, value, row or {})


def _computed(spec: Kind, column: str) -> Computed | None:
    return next((c for c in spec.computed if c.name == column), None)


def column_label(spec: Kind, column: str) -> str:
    """A list's column heading: short ("Family name", not "Family name (romanized)")."""
    field = spec.field_map.get(column)
    if field is not None:
        return field.label.split(" (")[0]
    looked = spec.looked(column)
    if looked is not None:
        return looked.label
    computed = _computed(spec, column)
    if computed is not None and computed.label:
        return computed.label
    return column.replace("_", " ").capitalize()


def column_text(spec: Kind, column: str, row: dict[str, Any], db: Database | None = None) -> str:
    """A list cell as a person reads it, for any column a list shows; with `db`, a
    link to another record by that record's name rather than its number."""
    value = row.get(column)
    field = spec.field_map.get(column)
    if field is not None:
        return display(db, field, value, row)
    if value is None:
        return ""
    computed = _computed(spec, column)
    if computed is not None:
        return TYPES[computed.type].shown(Field(column, computed.label), value, row)
    return str(value)


def sortable_columns(spec: Kind) -> list[str]:
    return [
        "id",
        *[f.name for f in spec.fields],
        "created_at",
        "updated_at",
        *(c.name for c in spec.computed),
        *(c.name for c in spec.looked_up),
    ]


def _not_null(table: str) -> frozenset[str]:
    return not_null_columns().get(table, frozenset())


def prepare() -> None:
    """Work out once what every list's order needs (which columns can be empty, from the
    schema built in memory: 12 ms), before the first list is opened."""
    not_null_columns()


@dataclass(frozen=True)
class ListQuery:
    kind: str
    sort: str | None = None
    descending: bool = False
    text: str = ""
    equals: tuple[tuple[str, Any], ...] = ()

    def where(self) -> tuple[str, list[Any]]:
        spec = KINDS[self.kind]
        clauses: list[str] = []
        params: list[Any] = []
        for column, value in self.equals:
            if column not in sortable_columns(spec):
                raise DeskError(f"{spec.plural} cannot be filtered by '{column}'.")
            if value is None or value == "":
                clauses.append(f"{column} IS NULL")
                continue
            field = spec.field_map.get(column)
            # As typed for the field: 'Friendship City' is friendship_city, Japan is JP.
            clauses.append(f"{column} = ?")
            params.append(validate.clean(field, value) if field else value)
        if self.text.strip():
            clause, more = self._text_clause()
            clauses.append(clause)
            params += more
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def _text_clause(self) -> tuple[str, list[Any]]:
        spec = KINDS[self.kind]
        matching, params = self.matching_ids()
        if matching:
            return f"id IN ({matching})", params
        escaped = self.text.strip().replace("\\", "\\\\").replace("%", "\\%")
        return f"({spec.title_sql}) LIKE ? ESCAPE '\\'", ["%" + escaped.replace("_", "\\_") + "%"]

    def matching_ids(self) -> tuple[str, list[Any]]:
        """SQL for the ids of records whose words match the text, read from the search
        index alone (no row of the kind's table), in no particular order; empty when the
        kind is not in the index or the text has no word to look for."""
        spec = KINDS[self.kind]
        expression = index.match_expression(self.text) if spec.searchable else None
        if not expression:
            return "", []
        # Kept to the kind by rowid, not by tag: see index.kind_rowids.
        first, last = index.kind_rowids(spec.name)
        return (
            "SELECT rowid - ? FROM search_index WHERE search_index MATCH ? "
            "AND rowid BETWEEN ? AND ?",
            [first, f"{{title body folded}} : ({expression})", first, last],
        )

    def order(self) -> str:
        spec = KINDS[self.kind]
        column = self.sort or spec.default_sort
        if column not in sortable_columns(spec):
            raise DeskError(f"{spec.plural} cannot be sorted by '{column}'.")
        return " ORDER BY " + order_terms(spec, column, "DESC" if self.descending else "ASC")


def order_terms(spec: Kind, column: str, direction: str = "ASC") -> str:
    """The ORDER BY terms that sort a kind's records by one of its columns: a name by
    its sort key (the people's alphabet), ties by id so paging is stable, empty values
    last whichever way. The terms match the indexes in the schema exactly, so SQLite
    reads the order from an index instead of sorting."""
    if column == "id":
        return f"id {direction}"
    looked = spec.looked(column)
    if looked is not None:
        # As `Looked.ordered_ids` reads it: by name, then by parent, then by id.
        sql = looked.sql(spec.table, looked.sort_key)
        by = f"{sql} {direction}" if looked.sort_key else f"{sql} COLLATE NOCASE {direction}"
        return f"{sql} IS NULL, {by}, {looked.key} {direction}, id {direction}"
    field = spec.field_map.get(column)
    column = (field.sort_key if field else None) or column
    empty_last = "" if column in _not_null(spec.table) else f"{column} IS NULL, "
    # A key compares byte by byte; a column of codes, dates or numbers as SQLite's
    # NOCASE compares it, as its index does.
    keyed = any(key.name == column for key in spec.sort_keys)
    by = f"{column} {direction}" if keyed else f"{column} COLLATE NOCASE {direction}"
    return f"{empty_last}{by}, id {direction}"


def ids(db: Database, query: ListQuery) -> list[int]:
    """Every matching id in order: the database sorts, views fetch rows as they show them."""
    spec = KINDS[query.kind]
    where, params = query.where()
    order = query.order()  # refuses what cannot be sorted, as for any column
    looked = spec.looked(query.sort or spec.default_sort)
    if looked is not None and not where:
        # The whole list by a parent's name: read in order from two indexes. A filtered
        # list is smaller, and sorted as it is.
        sql = looked.ordered_ids(spec.table, "DESC" if query.descending else "ASC")
    else:
        sql = f"SELECT id FROM {spec.table}{where}{order}"
    # One step, not one a row: on a list's reading thread, one wait for the interpreter.
    return db.column_in_one_step(sql, params)


def rows_by_id(
    db: Database, kind_name: str, wanted: list[int], columns: list[str]
) -> dict[int, dict[str, Any]]:
    spec = KINDS[kind_name]
    if not wanted:
        return {}
    looked = {c.name: c.sql(spec.table) for c in spec.looked_up}
    selected = ", ".join(["id", *(f"{looked[c]} AS {c}" if c in looked else c for c in columns)])
    found: dict[int, dict[str, Any]] = {}
    # SQLite allows 32766 parameters; views ask for a page at a time anyway.
    for start in range(0, len(wanted), 900):
        chunk = wanted[start : start + 900]
        cursor = db.execute(
            f"SELECT {selected} FROM {spec.table} WHERE id IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
        names = [d[0] for d in cursor.description]
        for row in cursor.fetchall():
            found[row[0]] = dict(zip(names, row, strict=True))
    return found


def list_records(
    db: Database, query: ListQuery, *, limit: int | None = None
) -> list[dict[str, Any]]:
    spec = KINDS[query.kind]
    where, params = query.where()
    extra = "".join(f", {c.sql(spec.table)} AS {c.name}" for c in spec.looked_up)
    sql = f"SELECT *{extra} FROM {spec.table}{where}{query.order()}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def count(db: Database, kind_name: str) -> int:
    return int(db.execute(f"SELECT count(*) FROM {KINDS[kind_name].table}").fetchone()[0])


@dataclass
class LinkGroup:
    kind: str  # the linked records' kind
    via: str  # the field through which they link
    label: str
    rows: list[dict[str, Any]]
    files: bool = False  # the record's attached files, not records that link to it


def related(db: Database, kind_name: str, record_id: int) -> list[LinkGroup]:
    """Every record that points at this one, grouped by kind and linking field."""
    spec = KINDS[kind_name]
    groups: list[LinkGroup] = []
    for child in KINDS.values():
        for child_field in child.fields:
            if child_field.ref != spec.name:
                continue
            cursor = db.execute(
                f"SELECT *, {child.title_sql} AS _title FROM {child.table} "
                f"WHERE {child_field.name} = ? ORDER BY {order_terms(child, child.default_sort)}",
                (record_id,),
            )
            names = [d[0] for d in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            if not rows:
                continue
            links_here = [f for f in child.fields if f.ref == spec.name]
            label = (
                child.plural
                if len(links_here) == 1
                else (f"{child.plural} ({child_field.label.lower()})")
            )
            groups.append(LinkGroup(child.name, child_field.name, label, rows))
    if spec.attachable:
        column = owner_column(kind_name)
        cursor = db.execute(
            "SELECT id, uid, filename, filename AS _title, media_type, size, description "
            f"FROM attachments WHERE {column} = ? ORDER BY filename",
            (record_id,),
        )
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        if rows:
            groups.append(LinkGroup("attachment", column, "Attachments", rows, files=True))
    return groups


def describe(db: Database, kind_name: str, record_id: int | str) -> dict[str, Any]:
    """A record as a person reads it: labelled fields and its links, for `desk show`."""
    spec = KINDS[kind_name]
    row = get(db, kind_name, record_id)
    fields = {
        f.label: display(db, f, row.get(f.name), row, with_id=True)
        for f in spec.fields
        if row.get(f.name) not in (None, "", "[]")
    }
    for computed in spec.computed:
        if computed.label and row.get(computed.name) not in (None, ""):
            fields[computed.label] = column_text(spec, computed.name, row)
    links = {}
    for group in related(db, kind_name, row["id"]):
        links[group.label] = [_link_line(db, group, r) for r in group.rows]
    return {"kind": spec.name, "id": row["id"], "uid": row["uid"], "fields": fields, "links": links}


def _link_line(db: Database, group: LinkGroup, row: dict[str, Any]) -> str:
    if group.files:
        return f"#{row['id']} {row['filename']} ({row['size']:,} bytes)"
    child = kind_of_table(KINDS[group.kind].table)
    extras = [
        display(db, f, row[f.name], with_id=True)
        for f in child.fields
        if f.ref and f.name != group.via and row.get(f.name) is not None
    ]
    title = row.get("_title") or ""
    return " - ".join(part for part in [f"#{row['id']} {title}".strip(), *extras] if part)


def isolate(text: str) -> str:
    """Text of either direction set apart from what surrounds it (Unicode isolates), so
    an Arabic name does not pull the punctuation after it to its side."""
    return f"\u2068{text}\u2069" if text else ""


def context_of(db: Database, kind_name: str, row: dict[str, Any]) -> str:
    """What tells one record from others with the same name, in a few words: a
    contact's job and organization, a partnership's country, a visit's dates."""
    spec = KINDS[kind_name]
    parts: list[str] = []
    for column in spec.context:
        looked = spec.looked(column)
        if looked is not None:
            found = db.execute(
                f"SELECT {looked.sql(spec.table)} FROM {spec.table} WHERE id = ?", (row["id"],)
            ).fetchone()
            parts.append(str(found[0]) if found and found[0] else "")
        else:
            parts.append(column_text(spec, column, row, db))
    return " · ".join(isolate(p) for p in parts if p)
