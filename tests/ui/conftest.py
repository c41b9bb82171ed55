from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from desk.core.store.db import Database
from desk.ui.fonts import load_fonts


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: Any) -> None:
    monkeypatch.setenv("DESK_SETTINGS", str(tmp_path / "settings.ini"))
    load_fonts(qapp)


@pytest.fixture
def make_window(qtbot: Any) -> Iterator[Callable[[Database, Path], Any]]:
    from desk.ui.main_window import MainWindow

    def make(db: Database, path: Path) -> MainWindow:
        window = MainWindow(db, path)
        qtbot.addWidget(window)
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        return window

    yield make


@pytest.fixture
def answer(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """QMessageBox.question answers Yes (or Save) and records what it was asked."""
    asked: list[str] = []

    def question(_parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
        asked.append(f"{title}: {text}")
        buttons = args[0] if args else kwargs.get("buttons")
        if buttons is not None and buttons & QMessageBox.StandardButton.Save:
            return QMessageBox.StandardButton.Save
        return QMessageBox.StandardButton.Yes

    def destructive(_parent: Any, title: str, text: str, detail: str, _action: str) -> bool:
        asked.append(f"{title}: {text} {detail}")
        return True

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: asked.append(str(a[2])))
    monkeypatch.setattr("desk.ui.ops.ask_destructive", destructive)
    return asked


@pytest.fixture(autouse=True)
def no_unexpected_modals(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message box nobody answers would wait forever offscreen: fail instead."""

    def refuse(self: QMessageBox) -> int:
        raise AssertionError(f"Unexpected message box: {self.text()}")

    def refuse_static(*args: Any, **_kwargs: Any) -> Any:
        raise AssertionError(f"Unexpected message box: {args[1:3]}")

    monkeypatch.setattr(QMessageBox, "exec", refuse)
    for name in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, refuse_static)


@pytest.fixture
def choose_file(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], list[QFileDialog]]:
    """The next file dialogs desk shows (its own, from desk.ui.file_dialogs) pick `path`
    as a person would, by typing it; returns the dialogs shown, to look at."""
    shown: list[QFileDialog] = []

    def answer(path: Path) -> list[QFileDialog]:
        def fake_exec(self: QFileDialog) -> int:
            shown.append(self)
            self.selectFile(str(path))
            self.accept()
            return int(QDialog.DialogCode.Accepted)

        monkeypatch.setattr(QFileDialog, "exec", fake_exec)
        return shown

    return answer


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Callable[[type, Callable[[Any], None]], None]:
    """Make the next exec() of a dialog class run `fill` on it, then press its OK."""

    def script(cls: type, fill: Callable[[Any], None]) -> None:
        def fake_exec(self: QDialog) -> int:
            fill(self)
            if hasattr(self, "save"):
                self.save()
            else:
                self.accept()
            return self.result()

        monkeypatch.setattr(cls, "exec", fake_exec)

    return script
