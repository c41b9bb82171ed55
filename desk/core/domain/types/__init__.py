"""Field types, one object each, looked up by the name a `Field` declares: how a value is
cleaned (from the window, the command line or a sheet), shown, searched, and which of
the window's editors edits it (ui/widgets/field_editors.EDITORS, by the same name).

A new type is one `FieldType` here and one editor there; a test fails while either is
missing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

from desk.core.domain.kinds import Field
from desk.core.domain.types import cleaning as c
from desk.core.domain.types import reading as r
from desk.core.errors import ValidationError

Cleaner = Callable[[Field, Any, Mapping[str, Any]], Any]
Shown = Callable[[Field, Any, Mapping[str, Any]], str]
Searched = Callable[[Field, Any], str]
FromSheet = Callable[[Field, Any], Any]
Agrees = Callable[[Field, Any, Any], bool]


def _nothing(_field: Field) -> Any:
    return None


@dataclass(frozen=True)
class FieldType:
    name: str
    clean: Cleaner
    shown: Shown = r.as_text
    # What the search index holds of a value; None: a value of this type is not searched.
    searched: Searched | None = None
    # A spreadsheet's cell as the cleaner takes it.
    from_sheet: FromSheet = r.as_given
    # Whether a value in a file says the same as the stored one, only less exactly.
    agrees: Agrees = r.never_agrees
    # The stored form of no value.
    empty: Callable[[Field], Any] = _nothing
    # Typed on many lines, kept as typed (leading spaces and line breaks too).
    multiline: bool = False
    # Holds words a person may look for: in a searched kind, its field must say whether
    # the index holds it.
    words: bool = False
    # A value a file may write its own way, which the person can say the meaning of.
    choice: bool = False


def _empty_list(_field: Field) -> str:
    return "[]"


def _default_or_no(field: Field) -> int:
    return 0 if field.default is None else int(bool(field.default))


# A rate no currency comes near in U.S. dollars per unit (a troy ounce of gold is some
# thousands): beyond it, the figure was typed wrong.
LARGEST_RATE = Decimal(1_000_000)
RATE_PLACES = 12


def _clean_rate(spec: Field, value: Any, _values: Mapping[str, Any]) -> str:
    """A positive decimal kept exactly as text ('0.0067'), so a rate an office recorded is
    never a binary fraction away from what it typed. A comma is refused rather than read:
    '0,0067' is a decimal comma to half the world and a thousands mark to the other."""
    need = "must be a number above zero with a decimal point, like 0.0067 or 1.08"
    if isinstance(value, bool):
        raise ValidationError(f"{c.named(spec)} {need}, got '{value}'.", field=spec.name)
    text = str(value).strip()
    shown = text if len(text) <= 60 else text[:57] + "..."
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = Decimal("NaN")
    if "," in text or not number.is_finite() or number <= 0:
        raise ValidationError(f"{c.named(spec)} {need}, got '{shown}'.", field=spec.name)
    if number > LARGEST_RATE:
        raise ValidationError(
            f"{c.named(spec)} must be at most {LARGEST_RATE:,}, got '{shown}'.", field=spec.name
        )
    exact = number.normalize()
    exponent = exact.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > RATE_PLACES:
        raise ValidationError(
            f"{c.named(spec)} has more than {RATE_PLACES} decimal places, got '{shown}'.",
            field=spec.name,
        )
    return f"{exact:f}"


def _amount_cell(_field: Field, raw: Any) -> Any:
    """A sheet's number is an amount in its currency's units (1250 is $1,250.00), never
    minor units; a float as the spreadsheet shows it (15 significant digits)."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        return format(raw, ".15g")
    return raw


_ALL = (
    FieldType("text", c.clean_line, searched=r.words, from_sheet=r.whole_cell, words=True),
    FieldType("longtext", c.clean_long_text, searched=r.words, multiline=True, words=True),
    FieldType("email", c.clean_email, searched=r.words, words=True),
    FieldType(
        "date", c.clean_date, shown=r.date_text, from_sheet=r.date_cell, agrees=r.date_agrees
    ),
    FieldType("datetime", c.clean_datetime, shown=r.date_text),
    FieldType("int", c.clean_int, shown=r.number_text, from_sheet=r.whole_cell),
    # A year reads 1961, never 1,961.
    FieldType("year", c.clean_int, from_sheet=r.whole_cell),
    FieldType("bool", c.clean_bool, shown=r.yes_no, empty=_default_or_no),
    FieldType(
        "enum",
        c.clean_enum,
        shown=r.choice_text,
        searched=r.choice_words,
        from_sheet=r.choice_cell,
        choice=True,
    ),
    FieldType(
        "enum_list",
        c.clean_enum_list,
        shown=r.choices_text,
        searched=r.choices_words,
        empty=_empty_list,
    ),
    FieldType(
        "languages",
        c.clean_languages,
        shown=r.languages_text,
        searched=r.language_words,
        empty=_empty_list,
    ),
    FieldType("country", c.clean_country, shown=r.country_text, searched=r.country_words),
    FieldType("time_zone", c.clean_time_zone),
    FieldType("currency", c.clean_currency),
    FieldType("money", c.clean_money, shown=r.money_text, from_sheet=_amount_cell),
    # An exchange rate: U.S. dollars for one unit of a cost's currency.
    FieldType("rate", _clean_rate),
    FieldType("ref", c.clean_ref),
    FieldType("coordinates", c.clean_coordinates),
)

TYPES: Mapping[str, FieldType] = MappingProxyType({t.name: t for t in _ALL})


def type_of(field: Field) -> FieldType:
    return TYPES[field.type]
