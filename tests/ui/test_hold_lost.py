"""When the files on disk are no longer the ones the window opened, the window says so,
writes nothing, refuses every later write in words, and reopens the file on request."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from desk.core.errors import ReadOnlyDatabase
from desk.core.store import records
from desk.core.store.db import open_database
from desk.ui.holding import REOPEN
from desk.ui.ops import operations_for


@pytest.mark.parametrize("choice", ["Not now", "Reopen now"])
def test_a_swapped_file_is_said_and_the_window_offers_to_reopen(
    make_window: Any, demo_template: Path, tmp_path: Path, monkeypatch: Any, choice: str
) -> None:
    path = tmp_path / "city.sqlite"
    shutil.copyfile(demo_template, path)
    db = open_database(path)
    window = make_window(db, path)
    # Another program (a sync client, a copy) puts another file in its place.
    other = tmp_path / "other.sqlite"
    shutil.copyfile(path, other)
    os.replace(other, path)
    said: list[str] = []

    def answer(box: QMessageBox) -> int:
        said.append(f"{box.text()} {box.informativeText()}")
        (button,) = [b for b in box.buttons() if b.text() == choice]
        button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    app = QApplication.instance()
    assert app is not None
    app.setProperty(REOPEN, False)
    result = operations_for(db).run(
        window, lambda d: records.create(d, "organisation", {"name": "Into the old file"})
    )
    assert result is None
    (message,) = said
    assert "replaced or removed on disk" in message and "nothing was written" in message
    with pytest.raises(ReadOnlyDatabase, match="reopen it to make changes"):
        records.create(db, "organisation", {"name": "Later"})
    assert bool(app.property(REOPEN)) is (choice == "Reopen now")
    assert window.isVisible() is (choice == "Not now")
    app.setProperty(REOPEN, False)
    db.close()
