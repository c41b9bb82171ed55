"""The editor for each type of field, looked up by the type's name: one table, so a new
field type gets its editor here and a test fails while one lacks it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from desk.core.domain.kinds import Field
from desk.core.store.db import Database
from desk.ui.widgets.editors import (
    LONG_LISTS,
    BoolEditor,
    ChoiceEditor,
    DateEditor,
    DateTimeEditor,
    Editor,
    LanguagesEditor,
    LineEditor,
    MoneyEditor,
    MultiChoiceEditor,
    NumberEditor,
    TextEditor,
)
from desk.ui.widgets.ref_picker import RefEditor
from desk.ui.widgets.zone_picker import ZoneEditor

Make = Callable[[Field, Database, QWidget | None], Editor]


def _choices(spec: Field, _db: Database, parent: QWidget | None) -> Editor:
    assert spec.vocab is not None
    return ChoiceEditor(spec, list(spec.vocab.items()), searchable=False, parent=parent)


def _long_list(kind: str) -> Make:
    def make(spec: Field, _db: Database, parent: QWidget | None) -> Editor:
        return ChoiceEditor(spec, LONG_LISTS[kind](), searchable=True, parent=parent)

    return make


def _plain(cls: Callable[[Field, QWidget | None], Editor]) -> Make:
    def make(spec: Field, _db: Database, parent: QWidget | None) -> Editor:
        return cls(spec, parent)

    return make


EDITORS: dict[str, Make] = {
    "text": _plain(LineEditor),
    "email": _plain(LineEditor),
    "int": _plain(NumberEditor),
    "year": _plain(LineEditor),
    "coordinates": _plain(LineEditor),
    "longtext": _plain(TextEditor),
    "date": _plain(DateEditor),
    "datetime": _plain(DateTimeEditor),
    "money": _plain(MoneyEditor),
    "rate": _plain(LineEditor),
    "bool": _plain(BoolEditor),
    "enum": _choices,
    "enum_list": _plain(MultiChoiceEditor),
    "country": _long_list("country"),
    # Typed as a city or a country, shown with its offset now.
    "time_zone": _plain(ZoneEditor),
    "currency": _long_list("currency"),
    "languages": _plain(LanguagesEditor),
    "ref": lambda spec, db, parent: RefEditor(spec, db, parent),
}


def make_editor(spec: Field, db: Database, parent: QWidget | None = None) -> Editor:
    return EDITORS[spec.type](spec, db, parent)
