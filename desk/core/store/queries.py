"""Reading records: sorted and filtered lists, one record with what links to it."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from desk.core.domain import money, validate
from desk.core.domain.kinds import KINDS, Field, Kind, kind_of_table
from desk.core.errors import DeskError
from desk.core.reference.countries import country_name, language_name
from desk.core.store import index
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
    if spec.type in ("date", "datetime") and isinstance(value, str):
        return _date_text(value, spec.type)
    if spec.type == "enum" and spec.vocab:
        return spec.vocab.get(value, value)
    if spec.type in ("enum_list", "languages"):
        try:
            codes = json.loads(value)
        except (TypeError, ValueError):  # a list damaged outside desk reads as it is stored
            codes = None
        if not isinstance(codes, list):
            return str(value)
        if spec.type == "languages":
            return ", ".join(language_name(code) for code in codes)
        if spec.vocab:
            return ", ".join(spec.vocab.get(code, code) for code in codes)
    if spec.type == "country":
        return country_name(value)
    if spec.type == "bool":
        return "Yes" if value else "No"
    if spec.type == "money":
        # Its currency is a column of its own beside it; the amount reads 485,000.00.
        return (
            money.grouped(value, (row or {}).get(spec.currency_field or ""))
            if isinstance(value, int)
            else str(value)
        )
    if spec.type == "int" and isinstance(value, int) and not spec.name.endswith("year"):
        return f"{value:,}"
    if spec.type == "ref" and db is not None and spec.ref:
        target = KINDS[spec.ref]
        found = db.execute(
            f"SELECT {target.title_sql} FROM {target.table} WHERE id = ?", (value,)
        ).fetchone()
        if found is None:
            return f"#{value}" if with_id else "(missing)"
        return f"{found[0]} (#{value})" if with_id else str(found[0])
    return str(value)


def _date_text(value: str, kind: str) -> str:
    from desk.core.domain.dates import short_date, short_when

    try:
        if kind == "date" or len(value) <= 10:
            return short_date(value)
        return short_when(dt.datetime.fromisoformat(value))
    except ValueError:
        return value  # a stored value from before validation was strict: shown as it is


@dataclass(frozen=True)
class Derived:
    """A list column that is not a field of the record but tells records apart: an
    agreement's partner, a contact's organization: `column` of the `parent` record the
    kind's `key` names. `sql` reads it over the kind's `table`."""

    label: str
    table: str
    column: str
    parent: str
    key: str

    @property
    def sql(self) -> str:
        parent = self.parent
        return f"(SELECT {self.column} FROM {parent} WHERE {parent}.id = {self.table}.{self.key})"

    def ordered_ids(self, direction: str) -> str:
        """Every id of the kind in this column's order, read from the parent's name
        index and the kind's key index rather than sorted: 30 ms for 100,000 contacts
        by organization, where sorting took 130. Records without a parent (or whose
        parent is gone) come last, as in `ListQuery.order`."""
        table, parent, key = self.table, self.parent, self.key
        return (
            f"SELECT id FROM (SELECT c.id AS id FROM {parent} p CROSS JOIN {table} c "
            f"ON c.{key} = p.id ORDER BY p.{self.column} COLLATE NOCASE {direction}, "
            f"p.id {direction}, c.id {direction}) "
            f"UNION ALL SELECT id FROM (SELECT id, {key} FROM {table} "
            f"WHERE {key} IS NULL OR {key} NOT IN (SELECT id FROM {parent}) "
            f"ORDER BY {key} {direction}, id {direction})"
        )


DERIVED: dict[str, dict[str, Derived]] = {
    "agreement": {
        "partner": Derived(
            "Partner", "agreements", "partner_name", "partnerships", "partnership_id"
        ),
    },
    "visit": {
        "partner": Derived("Partner", "visits", "partner_name", "partnerships", "partnership_id"),
    },
    "contact": {
        "organisation": Derived(
            "Organization", "contacts", "name", "organisations", "organisation_id"
        ),
    },
}


# Columns SQLite computes that hold dates (not fields, so not typed as dates).
_DATE_COLUMNS = frozenset({"decision_deadline"})


def column_label(spec: Kind, column: str) -> str:
    """A list's column heading: short ("Family name", not "Family name (romanized)")."""
    field = spec.field_map.get(column)
    if field is not None:
        return field.label.split(" (")[0]
    derived = DERIVED.get(spec.name, {}).get(column)
    if derived is not None:
        return derived.label
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
    if column in _DATE_COLUMNS and isinstance(value, str):
        return _date_text(value, "date")
    return str(value)


def sortable_columns(spec: Kind) -> list[str]:
    return [
        "id",
        *[f.name for f in spec.fields],
        "created_at",
        "updated_at",
        *(["decision_deadline"] if spec.name == "agreement" else []),
        *DERIVED.get(spec.name, {}),
    ]


# Columns sorted by a stored key that sorts better (and is indexed).
SORT_KEYS = {("contact", "family_name"): "sort_name"}


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
        if column not in sortable_columns(spec) and column != "sort_name":
            raise DeskError(f"{spec.plural} cannot be sorted by '{column}'.")
        column = SORT_KEYS.get((self.kind, column), column)
        direction = "DESC" if self.descending else "ASC"
        if column == "id":
            return f" ORDER BY id {direction}"
        derived = DERIVED.get(self.kind, {}).get(column)
        if derived is not None:
            # As `Derived.ordered_ids` reads it: by name, then by parent, then by id.
            return (
                f" ORDER BY {derived.sql} IS NULL, {derived.sql} COLLATE NOCASE {direction}, "
                f"{derived.key} {direction}, id {direction}"
            )
        # Ties by id so paging is stable; empty values last whichever way the list is
        # sorted. The expressions match the indexes in schema.py exactly, so SQLite reads
        # the order from an index instead of sorting.
        empty_last = "" if column in _not_null(spec.table) else f"{column} IS NULL, "
        return f" ORDER BY {empty_last}{column} COLLATE NOCASE {direction}, id {direction}"


def ids(db: Database, query: ListQuery) -> list[int]:
    """Every matching id in order: the database sorts, views fetch rows as they show them."""
    spec = KINDS[query.kind]
    where, params = query.where()
    order = query.order()  # refuses what cannot be sorted, as for any column
    derived = DERIVED.get(spec.name, {}).get(query.sort or spec.default_sort)
    if derived is not None and not where:
        # The whole list by a parent's name: read in order from two indexes. A filtered
        # list is smaller, and sorted as it is.
        sql = derived.ordered_ids("DESC" if query.descending else "ASC")
    else:
        sql = f"SELECT id FROM {spec.table}{where}{order}"
    cursor = db.conn.cursor()
    # Building one int per row rather than a tuple halves the time at 100,000 rows.
    cursor.row_factory = _first_column
    return cursor.execute(sql, params).fetchall()


def _first_column(_cursor: object, row: tuple[Any, ...]) -> Any:
    return row[0]


def rows_by_id(
    db: Database, kind_name: str, wanted: list[int], columns: list[str]
) -> dict[int, dict[str, Any]]:
    spec = KINDS[kind_name]
    if not wanted:
        return {}
    derived = DERIVED.get(kind_name, {})
    selected = ", ".join(
        ["id", *(f"{derived[c].sql} AS {c}" if c in derived else c for c in columns)]
    )
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
    extra = "".join(f", {d.sql} AS {name}" for name, d in DERIVED.get(spec.name, {}).items())
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


def related(db: Database, kind_name: str, record_id: int) -> list[LinkGroup]:
    """Every record that points at this one, grouped by kind and linking field."""
    spec = KINDS[kind_name]
    groups: list[LinkGroup] = []
    for child in KINDS.values():
        for child_field in child.fields:
            if child_field.type != "ref" or child_field.ref != spec.name:
                continue
            cursor = db.execute(
                f"SELECT *, {child.title_sql} AS _title FROM {child.table} "
                f"WHERE {child_field.name} = ? ORDER BY {child.default_sort}, id",
                (record_id,),
            )
            names = [d[0] for d in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            if not rows:
                continue
            links_here = [f for f in child.fields if f.type == "ref" and f.ref == spec.name]
            label = (
                child.plural
                if len(links_here) == 1
                else (f"{child.plural} ({child_field.label.lower()})")
            )
            groups.append(LinkGroup(child.name, child_field.name, label, rows))
    for attachment_column in (
        "agreement_id",
        "partnership_id",
        "visit_id",
        "contact_id",
        "organisation_id",
    ):
        if attachment_column == f"{kind_name}_id":
            cursor = db.execute(
                "SELECT id, uid, filename, filename AS _title, media_type, size, description "
                f"FROM attachments WHERE {attachment_column} = ? ORDER BY filename",
                (record_id,),
            )
            names = [d[0] for d in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            if rows:
                groups.append(LinkGroup("attachment", attachment_column, "Attachments", rows))
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
    if spec.name == "agreement" and row.get("decision_deadline"):
        fields["Decision deadline"] = _date_text(row["decision_deadline"], "date")
    links = {}
    for group in related(db, kind_name, row["id"]):
        links[group.label] = [_link_line(db, group, r) for r in group.rows]
    return {"kind": spec.name, "id": row["id"], "uid": row["uid"], "fields": fields, "links": links}


def _link_line(db: Database, group: LinkGroup, row: dict[str, Any]) -> str:
    if group.kind == "attachment":
        return f"#{row['id']} {row['filename']} ({row['size']:,} bytes)"
    child = kind_of_table(KINDS[group.kind].table)
    extras = [
        display(db, f, row[f.name], with_id=True)
        for f in child.fields
        if f.type == "ref" and f.name != group.via and row.get(f.name) is not None
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
    parts: list[str] = []
    if kind_name == "contact":
        organisation = db.execute(
            "SELECT name FROM organisations WHERE id = ?", (row.get("organisation_id"),)
        ).fetchone()
        parts = [row.get("job_title") or "", organisation[0] if organisation else ""]
        parts.append(country_name(row["country"]) if row.get("country") else "")
    elif kind_name in ("partnership", "organisation", "network"):
        parts = [country_name(row["country"]) if row.get("country") else ""]
    elif kind_name == "visit" and row.get("start_date"):
        parts = [_date_text(row["start_date"], "date")]
    elif kind_name == "agreement":
        partner = db.execute(
            "SELECT partner_name FROM partnerships WHERE id = ?", (row.get("partnership_id"),)
        ).fetchone()
        parts = [partner[0] if partner else "", _date_text(row.get("signed_date") or "", "date")]
    return " · ".join(isolate(p) for p in parts if p)
