"""The playbook window: a visit's playbook chosen for it, its steps edited in place and
kept as the office's file (a step that cannot be kept is shown, not saved), desk's own
brought back, applied to the visit once, and a visit's new dates followed after asking."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from desk.core.features import playbooks
from desk.core.store import records, undo
from desk.core.store.db import Database
from desk.ui.dialogs.playbook_dialog import (
    DAYS,
    DUE,
    SIDE,
    TITLE,
    WHO,
    PlaybookDialog,
    follow_dates,
)

TODAY = dt.date.today()


def _day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def _visit(db: Database, **values: Any) -> int:
    fields = {
        "title": "Mission to Kobe",
        "direction": "outgoing",
        "start_date": _day(50),
        "end_date": _day(53),
    }
    fields.update(values)
    made = records.create(db, "visit", fields).id
    assert made is not None
    return made


def _dialog(qtbot: Any, db: Database, **kw: Any) -> PlaybookDialog:
    dialog = PlaybookDialog(db, **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _follow_ups(db: Database, visit: int) -> dict[str, dict[str, Any]]:
    return {
        step["playbook_step"]: step
        for step in (
            records.get(db, "follow_up", fid)
            for (fid,) in db.execute("SELECT id FROM follow_ups WHERE visit_id = ?", (visit,))
        )
    }


def test_the_visits_playbook_is_shown_with_its_days_for_the_visit(qtbot: Any, db: Database) -> None:
    visit = _visit(db)
    dialog = _dialog(qtbot, db, visit_id=visit)
    assert dialog.chooser.currentText() == "Outgoing mission"
    assert dialog.source_label.text() == "Shipped with desk"
    assert not dialog.save_button.isEnabled() and not dialog.forget_button.isVisible()
    model = dialog.model
    assert model.rowCount() == 19 and model.columnCount() == 6
    first = [model.index(0, c).data() for c in (TITLE, DAYS, SIDE, WHO)]
    assert first == [
        "Get the Council's approval for the trip: purpose, itinerary, who goes, the cost "
        "and who pays",
        "90",
        "before",
        "International affairs director",
    ]
    # 90 days before a visit 50 days away has passed: it would be due today.
    assert model.index(0, DUE).data().startswith("today (")
    assert model.index(18, DUE).data() == playbooks.short_date(_day(53 + 30))
    assert dialog.notes_edit.toPlainText() == ""
    dialog.table.selectRow(5)
    assert dialog.notes_edit.toPlainText().startswith("The embassy can brief")


def test_edits_are_saved_as_the_offices_file_and_desks_own_comes_back(
    qtbot: Any, db: Database, answer: list[str]
) -> None:
    dialog = _dialog(qtbot, db, name="incoming-delegation")
    model = dialog.model
    assert dialog.model.columnCount() == DUE  # no visit: no due dates
    assert model.setData(model.index(3, DAYS), 40)  # visa letters 40 days ahead
    assert model.setData(model.index(3, WHO), "Visa desk")
    dialog.table.selectRow(3)
    dialog.notes_edit.setPlainText("Ask the consulate for its current wait.")
    assert dialog.dirty and dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    path = playbooks.office_folder() / "incoming-delegation.json"
    kept = json.loads(path.read_text("utf-8"))
    visa = kept["steps"][3]
    assert visa == {
        "key": "visa",
        "title": "Send visa support letters for each delegate",
        "days": 40,
        "before": "start",
        "who": "Visa desk",
        "notes": "Ask the consulate for its current wait.",
    }
    assert not dialog.dirty
    assert dialog.source_label.text() == "The office's, in place of desk's"
    assert dialog.forget_button.isVisible() and dialog.forget_button.text() == "Use desk's…"
    assert playbooks.load().get("incoming-delegation").step("visa").days == 40  # type: ignore[union-attr]

    qtbot.mouseClick(dialog.forget_button, Qt.MouseButton.LeftButton)
    assert answer and "Go back to desk's playbook “Incoming delegation”?" in answer[-1]
    assert not path.exists()
    assert dialog.source_label.text() == "Shipped with desk"
    assert dialog.model.index(3, DAYS).data() == "30"


def test_a_step_that_cannot_be_kept_is_shown_and_nothing_is_written(
    qtbot: Any, db: Database
) -> None:
    dialog = _dialog(qtbot, db, name="virtual-meeting")
    model = dialog.model
    assert model.setData(model.index(2, TITLE), "   ")
    assert not dialog.save()
    assert dialog.message.text().startswith("Step 3: 'title' is missing")
    assert dialog.table.currentIndex().row() == 2
    assert not (playbooks.office_folder() / "virtual-meeting.json").exists()
    dialog._set_dirty(False)  # left unsaved, and not asked about on the way out


def test_steps_are_added_moved_and_removed(qtbot: Any, db: Database) -> None:
    dialog = _dialog(qtbot, db, name="virtual-meeting")
    model = dialog.model
    dialog.table.selectRow(11)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert model.rowCount() == 13 and dialog.table.currentIndex().row() == 12
    dialog.table.closePersistentEditor(model.index(12, TITLE))
    model.setData(model.index(12, TITLE), "Post the recording for the public")
    model.setData(model.index(12, SIDE), "after")
    qtbot.mouseClick(dialog.up_button, Qt.MouseButton.LeftButton)
    assert model.index(11, TITLE).data() == "Post the recording for the public"
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert model.rowCount() == 12
    assert dialog.save()
    kept = playbooks.load().get("virtual-meeting")
    added = kept.steps[10]
    assert (added.key, added.days, added.after) == ("post-the-recording-for-the-public", 7, True)
    assert kept.steps[0].key == "time-platform"


def test_applying_to_the_visit_makes_its_follow_ups_once_and_one_undo_takes_them(
    qtbot: Any, db: Database
) -> None:
    visit = _visit(db)
    dialog = _dialog(qtbot, db, visit_id=visit)
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    made = _follow_ups(db, visit)
    assert len(made) == 19 and made["thank-you"]["due_date"] == _day(56)
    said = dialog.message.text()
    assert said.startswith("Made 19 follow-ups for “Mission to Kobe”")
    assert "had a day already past, so they are due today" in said
    assert dialog.model.index(18, DUE).data().endswith("(on the visit)")
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert "nothing made" in dialog.message.text() and len(_follow_ups(db, visit)) == 19
    undo.undo(db)
    assert _follow_ups(db, visit) == {}


def test_a_visit_with_no_dates_is_refused_in_the_window(qtbot: Any, db: Database) -> None:
    visit = _visit(db, start_date=None, end_date=None)
    dialog = _dialog(qtbot, db, visit_id=visit)
    assert dialog.model.columnCount() == DUE  # no dates: no due dates to show
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text().startswith("“Mission to Kobe” has no dates")
    assert _follow_ups(db, visit) == {}


def test_closing_with_unsaved_edits_asks_and_saves(
    qtbot: Any, db: Database, answer: list[str]
) -> None:
    dialog = _dialog(qtbot, db, name="outgoing-mission")
    dialog.title_edit.setText("Mission abroad")
    dialog.title_edit.textEdited.emit("Mission abroad")
    dialog.close()
    assert answer == ["Unsaved changes: Save the changes to the playbook “Outgoing mission”?"]
    assert playbooks.load().get("outgoing-mission").title == "Mission abroad"


def test_save_as_new_adds_a_playbook_of_the_offices(
    qtbot: Any, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot, db, name="incoming-delegation")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Student exchange group", True))
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    found = playbooks.load().get("student-exchange-group")
    assert found.office and not found.overrides and len(found.steps) == 19
    assert dialog.chooser.currentText() == "Student exchange group"
    assert dialog.forget_button.text() == "Remove…"


def test_a_visits_new_dates_move_its_steps_after_asking_about_the_done_one(
    qtbot: Any, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    visit = _visit(db)
    playbooks.apply(db, visit)
    playbooks.tick(db, visit, "packet")
    moved = records.update(db, "visit", visit, {"start_date": _day(60), "end_date": _day(63)})
    asked: list[str] = []

    def no(_parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", no)
    said = follow_dates(None, db, moved)
    assert asked and "“Mission to Kobe” is done or was changed by hand" in asked[0]
    assert said is not None and said.startswith("Moved")
    steps = _follow_ups(db, visit)
    assert steps["thank-you"]["due_date"] == _day(66)
    assert steps["packet"]["due_date"] == _day(43)  # done: left where it was
    renamed = records.update(db, "visit", visit, {"title": "Mission to Kobe and Osaka"})
    assert follow_dates(None, db, renamed) is None
