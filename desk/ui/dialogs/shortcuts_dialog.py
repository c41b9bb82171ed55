"""Every keyboard shortcut on one sheet (F1 or Ctrl+/), read from the menus themselves so
the sheet never falls behind them, with the keys that work inside a page."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.ui.keys import SHEET_TEXT
from desk.ui.screen import fit

# Keys a page answers itself, not through a menu.
PAGE_KEYS = (
    ("In a record", "Edit the record shown", "E, or double-click it"),
    ("In a record", "Leave the form without saving (a new one: back to the record before)", "Esc"),
    ("In a list", "Open the record into its form", "Enter"),
    ("In a list", "Move between the list and the record", "Tab, Shift+Tab"),
)


def menu_shortcuts(bar: QMenuBar) -> list[tuple[str, str, str]]:
    """(menu, action, keys) for every menu action that has keys, in menu order."""
    found: list[tuple[str, str, str]] = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                sub = action.menu()
                assert isinstance(sub, QMenu)
                walk(sub, f"{path} > {sub.title().replace('&', '')}")
            elif action.shortcuts():
                keys = ", ".join(
                    s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()
                )
                found.append((path, _plain(action), keys))

    for action in bar.actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            walk(menu, menu.title().replace("&", ""))
    return found


def _plain(action: QAction) -> str:
    fixed = action.property(SHEET_TEXT)
    if isinstance(fixed, str) and fixed:
        return fixed
    return action.text().replace("&", "").rstrip("…").strip()


class ShortcutsDialog(QDialog):
    def __init__(self, bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        from desk.ui.pages.today_page import KEYS as TODAY_KEYS

        rows = [*menu_shortcuts(bar), *PAGE_KEYS, *(("On Today", *k) for k in TODAY_KEYS)]
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["Where", "What", "Keys"])
        for row, values in enumerate(rows):
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        # The keys whole, always; what they do takes the width that is left.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.table.setWordWrap(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        fit(self, 760, 620)
