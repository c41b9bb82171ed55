"""One window per database: the lock taken on opening, and the question asked when
another window holds it. Apart from backups, so the window's start does not wait for the
backup code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from desk.core import holder
from desk.core.errors import DeskError


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
