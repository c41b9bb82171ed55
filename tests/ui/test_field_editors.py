"""Every field type has its editor, looked up by the type's name, and every editor gives
back what it was shown: a stored record opened and saved unchanged changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox

from desk.core.domain import dates
from desk.core.domain.kinds import KINDS, Field
from desk.core.domain.types import TYPES
from desk.core.domain.validate import clean
from desk.core.store import records
from desk.core.store.db import Database
from desk.core.store.queries import display
from desk.ui.widgets.field_editors import EDITORS, make_editor

_SAMPLES: dict[str, Any] = {
    "text": "Sister-city committee",
    "longtext": "  Line one\nline two, kept as typed  ",
    "email": "sato@example.jp",
    "rate": "0.0067",
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


# -- dates and times: said back as they are typed ------------------------------------------


def _typed(qtbot: Any, editor: Any, text: str) -> None:
    editor.line.clear()
    qtbot.keyClicks(editor.line, text)


def test_a_date_editor_says_what_it_understood_as_it_is_typed(db: Database, qtbot: Any) -> None:
    field = KINDS["follow_up"].field_map["due_date"]
    editor = make_editor(field, db)
    qtbot.addWidget(editor)
    editor.show()
    _typed(qtbot, editor, "next friday")
    day = dt.date.today() + dt.timedelta(days=(4 - dt.date.today().weekday()) % 7 or 7)
    assert not editor.echo.isHidden()
    assert editor.echo.text() == dates.long_date(day)  # 'Friday, December 11, 2026'
    _typed(qtbot, editor, "3/24/1972")
    assert editor.echo.text() == "Friday, March 24, 1972"
    _typed(qtbot, editor, "2/30/2027")
    assert editor.echo.text() == (
        "Must be a date like 5/31/2024, May 31, 2024 or 2024-05-31 (or today, next friday, "
        "in 2 weeks), got '2/30/2027' (February 2027 has no day 30)."
    )
    _typed(qtbot, editor, "x")
    qtbot.keyClick(editor.line, Qt.Key.Key_Backspace)
    assert editor.line.text() == "" and editor.echo.isHidden()
    # Loading a stored value shows it the U.S. way, without saying it over.
    editor.set_value("2027-04-13")
    assert editor.line.text() == "4/13/2027" and editor.echo.isHidden()


def test_a_partial_date_is_said_back_as_what_is_known(db: Database, qtbot: Any) -> None:
    editor = make_editor(KINDS["partnership"].field_map["established_date"], db)
    qtbot.addWidget(editor)
    _typed(qtbot, editor, "June 1961")
    assert editor.echo.text() == "June 1961"


def test_a_date_time_editor_says_the_time_and_a_clock_change_in_words(
    db: Database, qtbot: Any
) -> None:
    editor = make_editor(KINDS["itinerary_item"].field_map["starts_at"], db)
    qtbot.addWidget(editor)
    _typed(qtbot, editor, "12/11/2026 3pm")
    assert editor.echo.text() == "Friday, December 11, 2026, 3:00 PM"
    editor.set_zone("America/Los_Angeles")
    _typed(qtbot, editor, "3/14/2027 2:30 AM")
    assert editor.echo.text() == (
        "2:30 AM does not exist on March 14, 2027 in Los Angeles: clocks go forward from "
        "2:00 to 3:00 AM."
    )
    _typed(qtbot, editor, "11/1/2026 1:30 AM PST")
    assert editor.echo.text() == "Sunday, November 1, 2026, 1:30 AM PST"
    editor.set_value("2026-11-01T01:30-08:00", {"time_zone": "America/Los_Angeles"})
    assert editor.line.text() == "11/1/2026 1:30 AM PST"


# -- the itinerary dialog ------------------------------------------------------------------


def _la_visit(db: Database) -> int:
    return records.create(
        db,
        "visit",
        {
            "title": "Delegation from Kobe",
            "direction": "incoming",
            "time_zone": "America/Los_Angeles",
            "start_date": "2026-10-31",
        },
    ).id


def _itinerary_dialog(db: Database, qtbot: Any) -> Any:
    from desk.ui.dialogs.itinerary_dialog import ItineraryItemDialog

    dialog = ItineraryItemDialog(db, "itinerary_item", None, {"visit_id": _la_visit(db)})
    qtbot.addWidget(dialog)
    dialog.form.editors["title"].set_value("Breakfast")
    return dialog


def test_the_itinerary_dialog_starts_on_the_visits_first_day_the_us_way(
    db: Database, qtbot: Any
) -> None:
    dialog = _itinerary_dialog(db, qtbot)
    assert dialog.form.editors["starts_at"].line.text() == "10/31/2026 9:00 AM"


@pytest.mark.parametrize(("answer", "stored"), [("PDT", "-07:00"), ("PST", "-08:00")])
def test_the_itinerary_dialog_asks_which_of_a_repeated_hour(
    db: Database, qtbot: Any, monkeypatch: pytest.MonkeyPatch, answer: str, stored: str
) -> None:
    asked: list[str] = []

    def choose(box: QMessageBox) -> int:
        asked.append(box.text())
        asked.extend(button.text() for button in box.buttons())
        next(b for b in box.buttons() if answer in b.text()).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", choose)
    dialog = _itinerary_dialog(db, qtbot)
    _typed(qtbot, dialog.form.editors["starts_at"], "11/1/2026 1:30 AM")
    dialog.save()
    assert asked[0] == (
        "1:30 AM on Sunday, November 1, 2026 happens twice in Los Angeles: the clocks go "
        "back an hour that night. Which 1:30 AM is meant?"
    )
    assert "1:30 AM PDT (UTC-7), the first" in asked
    assert "1:30 AM PST (UTC-8), an hour later" in asked
    assert dialog.result() == QDialog.DialogCode.Accepted
    row = records.get(db, "itinerary_item", dialog.record_id)
    assert row["starts_at"] == f"2026-11-01T01:30{stored}"
    # Printed with that one offset wherever it is shown.
    field = KINDS["itinerary_item"].field_map["starts_at"]
    assert display(db, field, row["starts_at"], row) == f"11/1/2026 1:30 AM {answer}"


def test_the_itinerary_dialog_saves_nothing_when_the_question_is_cancelled(
    db: Database, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "exec", lambda _box: 0)
    dialog = _itinerary_dialog(db, qtbot)
    _typed(qtbot, dialog.form.editors["starts_at"], "11/1/2026 1:30 AM")
    dialog.save()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert db.execute("SELECT count(*) FROM itinerary_items").fetchone()[0] == 0


def test_the_itinerary_dialog_refuses_a_time_the_clock_skips_in_words(
    db: Database, qtbot: Any
) -> None:
    dialog = _itinerary_dialog(db, qtbot)
    _typed(qtbot, dialog.form.editors["starts_at"], "3/14/2027 2:30 AM")
    dialog.save()
    assert dialog.form.error_text("starts_at") == (
        "'Starts (local time)': 2:30 AM does not exist on March 14, 2027 in Los Angeles: "
        "clocks go forward from 2:00 to 3:00 AM."
    )
    assert db.execute("SELECT count(*) FROM itinerary_items").fetchone()[0] == 0


def test_the_itinerary_dialog_takes_a_time_as_people_type_it(db: Database, qtbot: Any) -> None:
    dialog = _itinerary_dialog(db, qtbot)
    _typed(qtbot, dialog.form.editors["starts_at"], "3/8/2027 1:00 PM")
    assert dialog.form.editors["starts_at"].echo.text() == "Monday, March 8, 2027, 1:00 PM"
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    row = records.get(db, "itinerary_item", dialog.record_id)
    assert row["starts_at"] == "2027-03-08T13:00"


# -- the status dialog ---------------------------------------------------------------------


def test_the_status_dialog_says_a_change_dated_later_is_planned(db: Database, qtbot: Any) -> None:
    from desk.ui.dialogs.status_dialog import StatusDialog

    kobe = records.create(
        db, "partnership", {"partner_name": "Kobe", "kind": "sister_city", "status": "active"}
    ).id
    dialog = StatusDialog(db, kobe)
    qtbot.addWidget(dialog)
    dialog.status.setCurrentIndex(dialog.status.findData("ended"))
    _typed(qtbot, dialog.date, "in 2 weeks")
    later = dt.date.today() + dt.timedelta(days=14)
    assert dialog.when.text() == (
        f"Planned: the status stays Active until the change takes effect on "
        f"{dates.month_day_year(later)}."
    )
    qtbot.keyClicks(dialog.reason, "Council ends the tie")
    dialog.save()
    assert records.get(db, "partnership", kobe)["status"] == "active"
    again = StatusDialog(db, kobe)
    qtbot.addWidget(again)
    labels = [w.text() for w in again.findChildren(QLabel)]
    assert f"Ended on {dates.month_day_year(later)} (planned)" in labels
