"""A record as a page to read: its filled fields, grouped as the form groups them, each
as a person reads it. Empty fields are left out, so a quick entry reads as two lines and
a full one as a page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desk.core.domain import money
from desk.core.domain.dates import zone_label
from desk.core.domain.kinds import KINDS
from desk.core.store.db import Database
from desk.core.store.queries import display

EMPTY = (None, "", "[]")


@dataclass(frozen=True)
class Line:
    field: str
    label: str
    text: str
    # Typed on many lines (notes, biographies): shown under its label, not beside it.
    long: bool
    # The record it names, for a reader to follow: (kind, id).
    link: tuple[str, int] | None = None


@dataclass(frozen=True)
class Section:
    title: str
    lines: list[Line]


def sections(db: Database, kind_name: str, row: Mapping[str, Any]) -> list[Section]:
    """The record's filled fields in the form's sections and order."""
    spec = KINDS[kind_name]
    out: list[Section] = []
    title = ""
    lines: list[Line] = []
    # A money field reads with its currency ("$1,250.00", "1,250.00 EUR"), so the
    # currency does not need a line of its own.
    folded = {f.currency_field for f in spec.fields if f.type == "money" and f.currency_field}
    for field in spec.fields:
        if field.name in folded:
            continue
        if field.section and field.section != title:
            if lines:
                out.append(Section(title, lines))
            title, lines = field.section, []
        value = row.get(field.name)
        if value in EMPTY:
            continue
        text = display(db, field, value, dict(row))
        if field.type == "money" and isinstance(value, int):
            text = money.text(value, row.get(field.currency_field or ""))
        if field.type == "time_zone" and text:
            # As a person reads a clock: 'Casablanca (UTC+1)', the zone's name after it.
            label = zone_label(str(value))
            text = label if label == value else f"{label} · {value}"
        if not text:
            continue
        link = (field.ref, int(value)) if field.ref and isinstance(value, int) else None
        lines.append(Line(field.name, field.label, text, field.type == "longtext", link))
    if lines:
        out.append(Section(title, lines))
    return out
