"""The window on a database it may not change: a banner first, a refusal on Save."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox

from desk.core.store import db as dbmod
from desk.core.store import records


@pytest.fixture
def city(tmp_path: Path) -> Path:
    path = tmp_path / "city.sqlite"
    db = dbmod.open_database(path)
    records.create(db, "partnership", {"partner_name": "Kobe", "kind": "sister_city"})
    db.close()
    return path


def test_the_window_on_a_read_only_database_says_so_and_saves_nothing(
    make_window: Any, city: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, title, text, *a, **k: warned.append(text)
    )
    db = dbmod.open_database(city, read_only="another desk window has it open")
    window = make_window(db, city)
    banner = window.findChild(QLabel, "readOnlyBanner")
    assert banner is not None and banner.isVisible()
    assert "another desk window has it open" in banner.text()
    assert "(read-only)" in window.windowTitle()
    # A strip of its own lines across the top, whatever page shows: the pages keep the
    # height (on a 720-pixel screen it once took half the window).
    window.resize(1280, 720)
    for key in ("today", "dashboard", "partnership"):
        window.show_page(key)
        qtbot.wait(10)
        lines = banner.fontMetrics().lineSpacing()
        assert banner.height() <= 3 * lines + 2 * banner.margin() + 8, (key, banner.height())
    window.show_page("partnership")
    page = window.page("partnership")
    # Nothing can be typed, so nothing is lost when the window closes: every field
    # greyed alike, the pickers' too.
    assert not page.form.editors["partner_name"].line.isEnabled()
    assert not page.form.editors["partner_organisation_id"].focus_widget().isEnabled()
    # Linked records still open, but none is added or taken away.
    tabs = page.links.tabs
    assert all(tab.open_button.isEnabled() for tab in tabs if hasattr(tab, "open_button"))
    writing = [b for tab in tabs for b in tab.writing_buttons()]
    assert writing and not any(b.isEnabled() for b in writing)
    assert {b.text() for b in writing} >= {"Add interaction…", "Remove", "Add file…"}
    assert not page.save_button.isEnabled() and not page.new_button.isEnabled()
    # What can still be asked for is refused in words, and nothing changes.
    window.undo_action.trigger()
    assert warned and "read-only" in warned[-1]
    assert records.get(db, "partnership", 1)["partner_name"] == "Kobe"
    window.close()
    db.close()
