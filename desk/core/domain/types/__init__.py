"""Field types, one object each, looked up by the name a `Field` declares: how a value is
cleaned (from the window, the command line or a sheet), shown, searched, and which of
the window's editors edits it (ui/widgets/field_editors.EDITORS, by the same name).

A new type is one `FieldType` here and one editor there; a test fails while either is
missing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from desk.core.domain.kinds import Field
from desk.core.domain.types import cleaning as c
from desk.core.domain.types import reading as r

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
    FieldType("money", c.clean_money, shown=r.money_text),
    FieldType("ref", c.clean_ref),
    FieldType("coordinates", c.clean_coordinates),
)

TYPES: Mapping[str, FieldType] = MappingProxyType({t.name: t for t in _ALL})


def type_of(field: Field) -> FieldType:
    return TYPES[field.type]
