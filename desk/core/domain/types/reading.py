"""How each field type's stored value reads to a person, what the search index holds of
it, and how a spreadsheet's cell is taken before it is cleaned."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from desk.core.domain import money, when
from desk.core.domain.dates import is_partial, stored_text
from desk.core.domain.kinds import Field
from desk.core.domain.names import normalise
from desk.core.errors import ValidationError
from desk.core.reference.countries import country_name, language_name

# -- shown --------------------------------------------------------------------------------


def as_text(_field: Field, value: Any, _row: Mapping[str, Any]) -> str:
    return str(value)


def date_text(field: Field, value: Any, row: Mapping[str, Any]) -> str:
    """4/8/2025, 6/1961 or 1961; a date and time as 4/8/2025 9:30 AM, with its offset
    where a clock change repeats the hour (11/1/2026 1:30 AM PST)."""
    if not isinstance(value, str):
        return str(value)
    # A stored value from before validation was strict is shown as it is.
    return stored_text(value, row.get(field.zone_field))


def choice_text(field: Field, value: Any, _row: Mapping[str, Any]) -> str:
    return (field.vocab or {}).get(value, value)


def _codes(value: Any) -> list[Any] | None:
    try:
        codes = json.loads(value)
    except (TypeError, ValueError):  # a list damaged outside desk reads as it is stored
        return None
    return codes if isinstance(codes, list) else None


def choices_text(field: Field, value: Any, _row: Mapping[str, Any]) -> str:
    codes = _codes(value)
    if codes is None:
        return str(value)
    return ", ".join((field.vocab or {}).get(code, code) for code in codes)


def languages_text(_field: Field, value: Any, _row: Mapping[str, Any]) -> str:
    codes = _codes(value)
    return str(value) if codes is None else ", ".join(language_name(code) for code in codes)


def country_text(_field: Field, value: Any, _row: Mapping[str, Any]) -> str:
    return country_name(value)


def yes_no(_field: Field, value: Any, _row: Mapping[str, Any]) -> str:
    return "Yes" if value else "No"


def money_text(field: Field, value: Any, row: Mapping[str, Any]) -> str:
    # Its currency is a column of its own beside it; the amount reads 485,000.00.
    if not isinstance(value, int):
        return str(value)
    return money.grouped(value, row.get(field.currency_field or ""))


def number_text(_field: Field, value: Any, _row: Mapping[str, Any]) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


# -- searched -----------------------------------------------------------------------------


def words(_field: Field, value: Any) -> str:
    return str(value)


def country_words(_field: Field, value: Any) -> str:
    return country_name(value)


def choice_words(field: Field, value: Any) -> str:
    return (field.vocab or {}).get(value, value)


def choices_words(field: Field, value: Any) -> str:
    return " ".join((field.vocab or {}).get(code, code) for code in _codes(value) or [])


def language_words(_field: Field, value: Any) -> str:
    return " ".join(language_name(code) for code in _codes(value) or [])


# -- read from a sheet ------------------------------------------------------------------


def parse_date(raw: Any, *, partial: bool = True) -> str:
    """A date as offices write it: 1961, June 1961, 6/21/1961, 21.06.1961, June 21, 1961...
    A year or month alone stays so ('1961', '1961-06') where the field allows it
    (`partial`); elsewhere it is refused, never turned into a made-up first of the month.
    A cell that holds a time as well (2024-05-31 14:30:00) gives its day."""
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, int | float) and 1000 <= raw <= 9999 and float(raw).is_integer():
        raw = str(int(raw))
    return when.read(str(raw), partial=partial).stored_date


def date_cell(field: Field, raw: Any) -> Any:
    try:
        return parse_date(raw, partial=field.partial)
    except when.Unreadable as exc:
        need = (
            "a date like 6/21/1961, June 21, 1961, June 1961 or 1961"
            if field.partial
            else "a date with its day, like 6/21/2025 or June 21, 2025"
        )
        why = f" ({exc.why})" if exc.why else ""
        raise ValidationError(
            f"'{field.label}' must be {need}, got '{raw}'{why}.", field.name
        ) from None


def whole_cell(_field: Field, raw: Any) -> Any:
    """A spreadsheet keeps every number as a float: 1961.0 is the 1961 typed."""
    return int(raw) if isinstance(raw, float) and raw.is_integer() else raw


def choice_cell(field: Field, raw: Any) -> Any:
    """A choice as offices write it ('Twin town' for a sister city)."""
    return (field.synonyms or {}).get(normalise(str(raw))) or raw


def as_given(_field: Field, raw: Any) -> Any:
    return raw


def date_agrees(_field: Field, stored: Any, given: Any) -> bool:
    """'1972' in a file says what 7/22/1972 in desk says, only less exactly."""
    return (
        isinstance(stored, str)
        and isinstance(given, str)
        and is_partial(given)
        and stored.startswith(given)
    )


def never_agrees(_field: Field, _stored: Any, _given: Any) -> bool:
    return False
