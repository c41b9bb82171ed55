from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desk.core.store.db import Database
from desk.ui.main_window import MainWindow


def test_window_opens_on_the_demo(qtbot: QtBot, demo_db: Database, tmp_path: Path) -> None:
    window = MainWindow(demo_db, tmp_path / "demo.sqlite")
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    assert "demo.sqlite" in window.windowTitle()
