"""One window per database: the lock taken on opening, and the question asked when
another window holds it. Apart from backups, so the window's start does not wait for the
backup code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desk.core.disk import holder
from desk.core.errors import DeskError
from desk.core.store.db import Database

# Set on the application when the person asks to reopen the file: once the window has
# closed and let go of the file, `app.run` starts desk on it again.
REOPEN = "desk_reopen"


def ask_read_only(parent: QWidget | None, info: dict[str, Any]) -> bool:
    """Another window holds the database: open it read-only, or not at all."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle("desk")
    box.setText(holder.describe(info))
    box.setInformativeText("Changes can be made only in that window.")
    read_only = box.addButton("Open read-only", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is read_only


def hold_or_ask(path: Path) -> tuple[holder.Holder | None, bool, str | None]:
    """(the lock, whether to go on, why read-only). Going on without the lock means
    opening read-only, for the reason given."""
    for _attempt in range(3):
        try:
            owner = holder.acquire(path)
        except DeskError:
            # No lock file can be made beside it: a folder this user cannot write to.
            return None, True, "its folder cannot be written to"
        if owner is not None:
            return owner, True, None
        info = holder.current(path)
        if info is not None:
            return None, ask_read_only(None, info), "another desk window has it open"
    return None, False, None


def hold_lost(parent: QWidget | None, db: Database, message: str) -> None:
    """The files on disk are no longer the ones this window opened: nothing was
    written. Every later write is refused too, until the file is opened again, which
    the person can do from here in one step."""
    db.read_only = "desk lost its hold on this file; reopen it to make changes"
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Not saved")
    box.setText(message)
    box.setInformativeText("Reopen the file now? The window closes and opens again on it.")
    reopen = box.addButton("Reopen now", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(reopen)
    box.exec()
    if box.clickedButton() is not reopen:
        return
    app = QApplication.instance()
    window = parent.window() if parent is not None else None
    if app is None:
        return
    app.setProperty(REOPEN, True)
    if window is not None and not window.close():
        app.setProperty(REOPEN, False)  # the person kept the window (unsaved work)
