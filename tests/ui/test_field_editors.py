"""Every field type has its editor, looked up by the type's name, and every editor gives
back what it was shown: a stored record opened and saved unchanged changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from desk.core.domain.kinds import KINDS, Field
from desk.core.domain.types import TYPES
from desk.core.domain.validate import clean
from desk.core.store import records
from desk.core.store.db import Database
from desk.ui.widgets.field_editors import EDITORS, make_editor

_SAMPLES: dict[str, Any] = {
    "text": "Sister-city committee",
    "longtext": "  Line one\nline two, kept as typed  ",
    "email": "sato@example.jp",
    "date": "2025-04-08",
    "datetime": "2025-04-08T09:30",
    "int": 412000,
    "year": 1961,
    "bool": 1,
    "languages": '["ja", "en"]',
    "country": "JP",
    "time_zone": "Asia/Tokyo",
    "currency": "JPY",
    "money": 48500,
    "coordinates": "35.4680, 133.0490",
}


def test_every_field_type_has_an_editor() -> None:
    assert set(TYPES) - set(EDITORS) == set()
    assert set(EDITORS) - set(TYPES) == set(), "an editor for a type that is not"


def _sample(db: Database, field: Field) -> Any:
    if field.type == "ref":
        return records.create(db, "organisation", {"name": "Kobe City Hall"}).id
    if field.type == "enum":
        return list(field.vocab or {})[-1]
    if field.type == "enum_list":
        return f'["{list(field.vocab or {})[-1]}"]'
    if field.type == "date" and field.partial:
        return "1961-06"
    if field.maximum is not None:
        return field.maximum  # 1,200 months reads with its comma, and comes back
    return _SAMPLES[field.type]


@pytest.mark.parametrize("type_name", sorted(TYPES))
def test_every_editor_gives_back_the_value_it_shows(
    db: Database, qtbot: Any, type_name: str
) -> None:
    fields = [
        f
        for spec in KINDS.values()
        for f in spec.fields
        if f.type == type_name and (f.ref in (None, "organisation"))
    ]
    assert fields, f"no field of type {type_name} to try"
    for field in fields[:3]:
        stored = _sample(db, field)
        row = {"currency": "JPY", "fee_currency": "JPY", "budget_currency": "JPY"}
        editor = make_editor(field, db)
        qtbot.addWidget(editor)
        editor.set_value(stored, {**row, field.name: stored})
        assert clean(field, editor.value(), row) == stored, field.name
