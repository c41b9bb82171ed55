"""No form traps the user: a bad value on Our city asks Save / Discard / Cancel like every
other page, and Discard always lets the window close."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from desk.core.store import records
from desk.core.store.db import Database


def test_a_bad_value_on_our_city_never_blocks_closing(
    make_window: Any, db: Database, db_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    window = make_window(db, db_path)
    window.show_page("city")
    city = window.page("city")
    assert not city.save_button.isEnabled() and not city.revert_button.isEnabled()
    city.form.editors["population"].line.setText("about 400k")
    city.form.editors["population"].edited.emit()
    assert city.save_button.isEnabled() and city.revert_button.isEnabled()

    asked: list[str] = []
    answers = [QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Discard]

    def question(_parent: Any, title: str, text: str, *_a: Any, **_k: Any) -> Any:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    window.close()  # Save is refused by the bad value: the window stays, the field says why
    assert window.isVisible() and "whole number" in city.form.error_text("population")
    window.close()  # Discard lets it go
    qtbot.waitUntil(lambda: not window.isVisible())
    assert asked == ["Save the changes to our city's profile?"] * 2
    assert records.get(db, "city", 1)["population"] is None


def test_revert_on_our_city_puts_back_what_is_stored(
    make_window: Any, db: Database, db_path: Path
) -> None:
    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    window = make_window(db, db_path)
    window.show_page("city")
    city = window.page("city")
    city.form.editors["name"].line.setText("Port Elsewhere")
    city.form.editors["name"].edited.emit()
    city.revert_button.click()
    assert city.form.editors["name"].line.text() == "Port Meridian"
    assert not city.form.dirty
    window.close()
