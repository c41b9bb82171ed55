"""Keyboard all the way: find a contact, open their partnership, add a follow-up to it,
and go back, without touching the mouse. Tab moves between controls, never cell by cell."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QTabBar, QWidget

from desk.core.store import records
from desk.core.store.db import Database
from desk.ui.dialogs.record_dialog import RecordDialog
from desk.ui.dialogs.search_palette import SearchPalette


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def key(
    qtbot: Any, which: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(focused(), which, modifier)


def tab_until(qtbot: Any, found: Callable[[QWidget], bool], limit: int = 150) -> QWidget:
    """Press Tab until the focus lands where `found` says; a control Tab never reaches
    fails the test (so does a table that swallows Tab)."""
    for _ in range(limit):
        if found(focused()):
            return focused()
        key(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached it; stuck on {focused()!r}")


def choose_tab(qtbot: Any, bar: QTabBar, label: str) -> None:
    for _ in range(bar.count()):
        if bar.tabText(bar.currentIndex()).startswith(label):
            return
        qtbot.keyClick(bar, Qt.Key.Key_Right)
    raise AssertionError(f"no tab {label}")


def run_modal(monkeypatch: pytest.MonkeyPatch, cls: type, script: Callable[[Any], None]) -> None:
    """The next exec() of `cls` shows it and hands it to `script`, which works it with
    keys; exec returns what the keys made of it."""

    def fake_exec(self: QDialog) -> int:
        owner = self.window().parentWidget()
        self.show()
        self.activateWindow()
        QApplication.processEvents()
        script(self)
        self.hide()
        # As when a real dialog closes: its window is active again, focus where it was.
        main = owner.window() if owner is not None else None
        if main is not None:
            main.activateWindow()
            QApplication.processEvents()
        return self.result()

    monkeypatch.setattr(cls, "exec", fake_exec)


def test_find_a_contact_open_their_partnership_add_a_follow_up_by_keyboard(
    make_window: Any, db: Database, db_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    kobe = records.create(db, "partnership", {"partner_name": "Kobe", "kind": "sister_city"}).id
    records.create(db, "partnership", {"partner_name": "Matsue", "kind": "sister_city"})
    sato = records.create(db, "contact", {"family_name": "Sato", "given_name": "Hiroshi"}).id
    records.create(db, "partnership_contact", {"partnership_id": kobe, "contact_id": sato})
    window = make_window(db, db_path)

    def search(palette: SearchPalette) -> None:
        qtbot.keyClicks(palette.input, "Sato")
        qtbot.waitUntil(lambda: palette.results.topLevelItemCount() > 0)
        qtbot.keyClick(palette.input, Qt.Key.Key_Return)

    run_modal(monkeypatch, SearchPalette, search)
    # The keyboard starts in Today's list.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.page("today").tree)
    key(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    contacts = window.page("contact")
    assert window.current_page() is contacts and contacts.current_id == sato
    assert focused() is contacts.table  # focus lands on the record opened

    # Tab to the linked records, pick Partnerships, Enter on Kobe.
    bar = tab_until(qtbot, lambda w: isinstance(w, QTabBar) and w.parent() is contacts.links)
    assert isinstance(bar, QTabBar)
    choose_tab(qtbot, bar, "Partnerships")
    tab = contacts.links.tab("Partnerships")
    tab_until(qtbot, lambda w: w is tab.view)
    key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Return)
    partnerships = window.page("partnership")
    qtbot.waitUntil(lambda: window.current_page() is partnerships)
    assert partnerships.current_id == kobe and focused() is partnerships.table

    # Tab to Follow-ups, then to its Add button; the dialog takes the title and Enter saves.
    bar = tab_until(qtbot, lambda w: isinstance(w, QTabBar) and w.parent() is partnerships.links)
    choose_tab(qtbot, bar, "Follow-ups")
    follow_ups = partnerships.links.tab("Follow-ups")

    def add(dialog: RecordDialog) -> None:
        assert focused() is dialog.form.editors["title"].focus_widget()
        qtbot.keyClicks(focused(), "Send the photos")
        key(qtbot, Qt.Key.Key_Return)

    run_modal(monkeypatch, RecordDialog, add)
    tab_until(qtbot, lambda w: w is follow_ups.add_button)
    key(qtbot, Qt.Key.Key_Space)
    stored = db.execute("SELECT title, partnership_id FROM follow_ups").fetchall()
    assert stored == [("Send the photos", kobe)]
    assert follow_ups.model.rowCount() == 1

    # Escape goes back to the contact we came from.
    window.activateWindow()
    key(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.current_page() is contacts)
    assert contacts.current_id == sato
    window.close()
