"""A record as a page to read: its filled fields, grouped as the form groups them, each
as a person reads it. Empty fields are left out, so a quick entry reads as two lines and
a full one as a page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desk.core.domain import money
from desk.core.domain.dates import stored_date, utc_offset
from desk.core.domain.kinds import KINDS, Kind
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
            text = _zone_text(str(value), spec, row)
        if not text:
            continue
        link = (field.ref, int(value)) if field.ref and isinstance(value, int) else None
        lines.append(Line(field.name, field.label, text, field.type == "longtext", link))
    if lines:
        out.append(Section(title, lines))
    return out


def _zone_text(zone: str, spec: Kind, row: Mapping[str, Any]) -> str:
    """As the form's zone field says it ('Europe/Berlin — Berlin, Germany (UTC+2)'),
    with the offset on the record's own day (a June visit is in summer time, whatever
    the day it is read), else today's."""
    from desk.core.features.pick import zone_place
    from desk.core.reference.countries import time_zones

    if zone not in time_zones():
        return zone  # stored before zones were checked: as it is
    # The day the record happens on: the first of its declared spans (a visit's start,
    # an item's start), never a birthday or a passport's expiry.
    firsts = [first for first, _last in spec.date_order]
    day = next(
        (
            found
            for name in firsts
            if (found := stored_date(str(row.get(name) or "")[:10])) is not None
        ),
        None,
    )
    moment = dt.datetime.combine(day or dt.date.today(), dt.time(12))
    place = zone_place(zone)
    offset = utc_offset(zone, moment)
    return f"{zone} — {place} ({offset})" if place else f"{zone} ({offset})"
