"""Undo, redo and the trash in the window, and every write told to the pages it touches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desk.core.store import queries, records, undo
from desk.core.store.db import Database
from desk.ui.dialogs.record_dialog import RecordDialog
from desk.ui.dialogs.trash_dialog import TrashDialog


def _tab_texts(panel: Any) -> list[str]:
    return [panel.tabText(n) for n in range(panel.count())]


def test_a_participant_added_inside_a_cancelled_dialog_still_reaches_every_page(
    make_window: Any, db: Database, db_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    partnership = records.create(
        db, "partnership", {"partner_name": "Kobe", "kind": "sister_city"}
    ).id
    contact = records.create(db, "contact", {"family_name": "Yamada", "given_name": "Taro"}).id
    records.create(
        db,
        "interaction",
        {"occurred_on": "2026-03-02", "subject": "Courtesy call", "partnership_id": partnership},
    )
    window = make_window(db, db_path)
    window.open_record("contact", contact)
    contacts = window.page("contact")
    assert "Interactions" in _tab_texts(contacts.links)

    def fake_exec(dialog: RecordDialog) -> int:
        if dialog.spec.name == "interaction":
            # Inside the interaction: add a participant, then cancel the interaction.
            dialog.links.tab("Participants").add()
            assert "Participants (1)" in _tab_texts(dialog.links)
            dialog.reject()
        else:
            dialog.form.editors["contact_id"].set_value(contact)
            dialog.save()
        return int(dialog.result())

    monkeypatch.setattr(RecordDialog, "exec", fake_exec)
    window.open_record("partnership", partnership)
    tab = window.page("partnership").links.tab("Interactions")
    tab.view.selectRow(0)
    tab.open()

    window.show_page("contact")
    assert "Interactions (1)" in _tab_texts(contacts.links)


def test_delete_then_undo_and_redo_from_the_edit_menu(
    make_window: Any, db: Database, db_path: Path, qtbot: Any, answer: list[str]
) -> None:
    kobe = records.create(db, "partnership", {"partner_name": "Kobe", "kind": "sister_city"}).id
    window = make_window(db, db_path)
    window.open_record("partnership", kobe)
    page = window.page("partnership")
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert "You can bring it back" in answer[-1]
    assert queries.count(db, "partnership") == 0 and page.model.rowCount() == 0

    assert window.undo_action.text() == "Undo Delete partnership “Kobe”"
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert queries.count(db, "partnership") == 1 and page.model.rowCount() == 1
    assert window.redo_action.text() == "Redo Delete partnership “Kobe”"

    window.redo_action.trigger()
    assert page.model.rowCount() == 0
    assert not window.redo_action.isEnabled()
    window.undo_action.trigger()
    assert page.model.rowCount() == 1
    assert records.get(db, "partnership", kobe)["partner_name"] == "Kobe"


def test_ctrl_z_in_a_text_box_undoes_typing_not_records(
    make_window: Any, db: Database, db_path: Path, qtbot: Any, answer: list[str]
) -> None:
    records.create(db, "organisation", {"name": "Consulate General of Japan"})
    window = make_window(db, db_path)
    window.show_page("organisation")
    page = window.page("organisation")
    page.table.selectRow(0)
    line = page.form.editors["name"].line
    line.setFocus()
    qtbot.keyClicks(line, " in Portland")
    qtbot.keyClick(line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert queries.count(db, "organisation") == 1
    assert line.text() != "Consulate General of Japan in Portland"


def test_trash_dialog_restores_a_record_with_what_went_with_it(
    db: Database, qtbot: Any, answer: list[str]
) -> None:
    visit = records.create(db, "visit", {"title": "Mission to Matsue", "direction": "outgoing"})
    records.create(
        db,
        "itinerary_item",
        {
            "visit_id": visit.id,
            "title": "Courtesy call on the mayor",
            "starts_at": "2026-04-08T10:00",
            "time_zone": "Asia/Tokyo",
        },
    )
    records.delete(db, "visit", visit.id)
    dialog = TrashDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.model.cells[0][1:] == ["Visit", "Mission to Matsue", "1 linked record"]
    dialog.restore()
    assert dialog.model.rowCount() == 0
    assert queries.count(db, "itinerary_item") == 1

    records.delete(db, "visit", visit.id)
    dialog.refresh()
    dialog.empty()
    assert "for good" in answer[-1]
    assert undo.trash(db) == [] and dialog.model.rowCount() == 0
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_the_window_picks_up_changes_made_outside_it(
    make_window: Any, db: Database, db_path: Path, qtbot: Any
) -> None:
    from desk.core.store.db import open_database

    window = make_window(db, db_path)
    window.show_page("organisation")
    page = window.page("organisation")
    assert page.model.rowCount() == 0
    other = open_database(db_path)  # a command line run while the window is open
    records.create(other, "organisation", {"name": "Japan Society of Oregon"})
    other.close()
    window._check_outside_changes()
    assert page.model.rowCount() == 1
    assert window.undo_action.text() == "Undo Add organization “Japan Society of Oregon”"
    assert "outside this window" in window.statusBar().currentMessage()


def test_undo_shows_what_came_back(
    make_window: Any, db: Database, db_path: Path, qtbot: Any, answer: list[str]
) -> None:
    kobe = records.create(db, "partnership", {"partner_name": "Kobe", "kind": "sister_city"}).id
    records.create(db, "partnership", {"partner_name": "Lyon", "kind": "sister_city"})
    window = make_window(db, db_path)
    window.open_record("partnership", kobe)
    page = window.page("partnership")
    page.delete_record()
    lyon = records.resolve_named(db, "partnership", "Lyon")
    assert page.current_id == lyon  # the row that took Kobe's place
    window.undo()
    assert page.current_id == kobe
    assert window.statusBar().currentMessage() == "Undone: Delete partnership “Kobe”"


def test_undoing_a_large_import_runs_away_from_the_window(
    make_window: Any, db_path: Path, monkeypatch: Any, qtbot: Any
) -> None:
    from desk.core.store import queries
    from desk.core.store.db import open_database
    from desk.io import importer
    from desk.ui import ops, tasks

    data = Path(__file__).parent.parent / "data" / "sister_cities.csv"
    db = open_database(db_path)
    importer.apply_plan(db, importer.plan_file(db, "partnership", data))
    window = make_window(db, db_path)
    children: list[str] = []
    real = tasks.in_child

    def counted(function: Any, *args: Any, **kwargs: Any) -> Any:
        children.append(function.__name__)
        return real(function, *args, **kwargs)

    monkeypatch.setattr(ops, "LARGE_OPERATION", 5)  # twelve rows count as large here
    monkeypatch.setattr(tasks, "in_child", counted)
    window.undo()
    assert queries.count(db, "partnership") == 0
    qtbot.waitUntil(lambda: window.redo_action.text().startswith("Redo Import 12"))
    window.redo()
    assert queries.count(db, "partnership") == 12
    qtbot.waitUntil(lambda: window.redo_action.text() == "Redo")  # the window was told
    assert children == ["replay", "replay"]
    db.close()
