"""Which spreadsheet column feeds which field, and how office-written values are read.

Headers are matched the way offices write them ("Sister City", "Partner City", "Year
Established", "Type"), in any order and case; columns nobody asked for are left aside.
A mapping the person confirmed is remembered per header for next time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from desk.core.domain.kinds import KINDS, Field, derived
from desk.core.domain.names import normalise
from desk.core.domain.types import type_of
from desk.core.domain.types.cleaning import is_plain_id
from desk.core.domain.validate import clean
from desk.core.errors import NotFound, ValidationError
from desk.core.store import records
from desk.core.store.db import Database
from desk.core.store.hooks import hooks_for


@derived
def importable() -> tuple[str, ...]:
    """The kinds a spreadsheet can be imported as, in the order of the window's pages."""
    found = [spec for spec in KINDS.values() if spec.imports is not None]
    return tuple(spec.name for spec in sorted(found, key=lambda spec: spec.page or 99))


def importable_plurals() -> str:
    """'partnerships, agreements, visits, contacts or organizations'."""
    plurals = [KINDS[name].plural.lower() for name in importable()]
    return ", ".join(plurals[:-1]) + f" or {plurals[-1]}" if len(plurals) > 1 else plurals[0]


@derived
def _headers() -> dict[str, dict[str, str]]:
    """kind -> normalized header -> the field it names: each field's own label and the
    headers offices write for it. A field's own label comes first: it names that field
    even where another field lists the same words among its aliases."""
    headers: dict[str, dict[str, str]] = {}
    for name in importable():
        found: dict[str, str] = {}
        fields = KINDS[name].fields
        for spec in fields:
            found.setdefault(normalise(spec.label), spec.name)
        for spec in fields:
            for alias in spec.aliases:
                found.setdefault(normalise(alias), spec.name)
        headers[name] = found
    return headers


def guess_mapping(db: Database, kind: str, headers: list[str]) -> dict[int, str | None]:
    """Column index -> field (None: left aside). Remembered choices first, then aliases."""
    remembered = dict(
        db.execute("SELECT header, field FROM import_mappings WHERE kind = ?", (kind,)).fetchall()
    )
    mapping: dict[int, str | None] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        key = normalise(header)
        if key in remembered:
            field = remembered[key]
            mapping[index] = field if field not in used else None
            if field:
                used.add(field)
    for index, header in enumerate(headers):
        if index in mapping:
            continue
        key = normalise(header)
        field = _headers()[kind].get(key)
        field = field if field not in used else None
        mapping[index] = field
        if field:
            used.add(field)
    return mapping


def remember_mapping(
    db: Database, kind: str, headers: list[str], mapping: dict[int, str | None]
) -> None:
    stamp = records.now()
    for index, header in enumerate(headers):
        db.execute(
            "INSERT INTO import_mappings(kind, header, field, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(kind, header) DO UPDATE SET field = excluded.field, "
            "updated_at = excluded.updated_at",
            (kind, normalise(header), mapping.get(index), stamp),
        )


def remembered_values(db: Database, kind: str) -> dict[tuple[str, str], str]:
    """The codes chosen before for values a file wrote its own way, for this kind."""
    return {
        (field_name, text): code
        for field_name, text, code in db.execute(
            "SELECT field, text, code FROM import_values WHERE kind = ?", (kind,)
        )
    }


def remember_values(db: Database, kind: str, values: dict[tuple[str, str], str]) -> None:
    """Keep the person's choices for the next file, in the import's transaction."""
    stamp = records.now()
    for (field_name, text), code in values.items():
        db.execute(
            "INSERT INTO import_values(kind, field, text, code, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(kind, field, text) DO UPDATE SET "
            "code = excluded.code, updated_at = excluded.updated_at",
            (kind, field_name, normalise(text), code, stamp),
        )


def split_value_option(given: str, columns: Sequence[str] = ()) -> tuple[str, str, str] | None:
    """--value COLUMN:TEXT=CODE as (column, text, code); None when it is not written so.

    The code is after the last '=' (no code holds one), so a text may: "Type:A=B=x" is
    the text "A=B". The column is written in double quotes when its name holds ':'
    ('"Region: Asia":Pacific=x', a quote inside written twice); unquoted, it is the
    longest of `columns` (the file's) that the line starts with, followed by ':', so
    "Region: Asia:Pacific=x" is read right too, and else the part before the first ':'.
    """
    left, equals, code = given.rpartition("=")
    if not equals:
        return None
    if left.startswith('"'):
        column, end = _quoted(left)
        if column is None or left[end : end + 1] != ":":
            return None
        text = left[end + 1 :]
    else:
        known = [c for c in columns if c and left.startswith(f"{c}:")]
        if known:
            column = max(known, key=len)
        else:
            column, colon, _rest = left.partition(":")
            if not colon:
                return None
        text = left[len(column) + 1 :]
    return column, text, code


def _quoted(text: str) -> tuple[str | None, int]:
    """The name in double quotes at the start of `text` ('""' is a quote in it), and
    where the quotes end; None when they never close."""
    name: list[str] = []
    at = 1
    while at < len(text):
        if text[at] == '"':
            if text[at + 1 : at + 2] == '"':
                name.append('"')
                at += 2
                continue
            return "".join(name), at + 1
        name.append(text[at])
        at += 1
    return None, at


def value_option(column: str, text: str, code: str = "CODE", columns: Sequence[str] = ()) -> str:
    """The --value line that reads `text` in `column` as `code`, written so the shell
    passes it whole and split_value_option reads it back: the column in double quotes
    when its name holds ':', '=' or a quote, or a shorter column's name would be read
    in its place."""
    line = f"{column}:{text}={code}"
    meant = (column, text, code)
    if any(ch in column for ch in ':="') or split_value_option(line, columns) != meant:
        line = '"' + column.replace('"', '""') + f'":{text}={code}'
    if not any(ch in line for ch in '"$`\\!'):
        return f'--value "{line}"'
    return "--value '" + line.replace("'", "'\"'\"'") + "'"


# What Excel and LibreOffice show in a cell whose formula failed: never a partner's name.
SPREADSHEET_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!"}
    | {"#GETTING_DATA", "ERR:502", "ERR:504", "#FIELD!", "#BLOCKED!", "#CONNECT!"}
)


def _named(db: Database, spec: Field, name: str) -> int:
    """A record a sheet names by its name ('Matsue', 'ICLEI'), as its kind finds it."""
    target = KINDS[spec.ref or ""]
    try:
        return hooks_for(target.name).named(db, target, name)
    except NotFound as exc:
        missing = str(exc).startswith("There is no")
        raise ValidationError(
            f"'{spec.label}': no {target.label.lower()} in desk is named "
            f"'{name.strip()[:60]}'; add it first, or leave this column aside"
            if missing
            else f"'{spec.label}': {exc}",
            field=spec.name,
        ) from None


def convert(
    db: Database,
    kind: str,
    field: str,
    raw: Any,
    values: dict[tuple[str, str], str] | None = None,
    row: Mapping[str, Any] | None = None,
) -> Any:
    """One cell into the value the record layer takes; ValidationError names the field.
    `values` maps (field, text as written) to the code the person chose for it; `row` is
    the row's values read so far, for a cell read by another (an amount by its currency)."""
    spec = KINDS[kind].field_map[field]
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    chosen = (values or {}).get((field, normalise(str(raw))))
    if chosen is not None:
        return clean(spec, chosen, row)
    if isinstance(raw, str) and raw.strip().upper() in SPREADSHEET_ERRORS:
        raise ValidationError(
            f"holds the spreadsheet error {raw.strip()}, not a value; fix the formula or "
            "clear the cell",
            field=field,
        )
    if spec.ref and not is_plain_id(str(raw).strip()):
        if hooks_for(spec.ref).makes_named:
            return str(raw).strip()  # by name: found, or made, when the import is written
        return _named(db, spec, str(raw))
    return clean(spec, type_of(spec).from_sheet(spec, raw), row)
