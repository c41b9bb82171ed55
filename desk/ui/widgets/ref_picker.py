"""Choosing a linked record: type to search, as fast at 100,000 records as at ten."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain.kinds import KINDS, Field
from desk.core.store import queries, records
from desk.core.store.db import Database
from desk.ui.widgets.editors import Editor

LIMIT = 200


class PickDialog(QDialog):
    def __init__(self, db: Database, kind_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.spec = KINDS[kind_name]
        self.setWindowTitle(f"Choose {self.spec.label.lower()}")
        self.chosen: int | None = None
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Type to search…")
        self.search.setAccessibleName(f"Search {self.spec.plural.lower()}")
        self.results = QListWidget()
        self.results.setAccessibleName("Matches")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        layout.addWidget(buttons)
        self.timer = QTimer(self, singleShot=True, interval=120)
        self.timer.timeout.connect(self._fill)
        self.search.textChanged.connect(self.timer.start)
        self.search.returnPressed.connect(self._accept)
        self.results.itemActivated.connect(lambda _item: self._accept())
        self.resize(460, 420)
        self._fill()

    def _fill(self) -> None:
        query = queries.ListQuery(self.spec.name, text=self.search.text())
        self.results.clear()
        for row in queries.list_records(self.db, query, limit=LIMIT):
            item = QListWidgetItem(label_for(self.db, self.spec.name, row))
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def _accept(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self.chosen = int(item.data(Qt.ItemDataRole.UserRole))
            self.accept()


def label_for(db: Database, kind_name: str, row: dict[str, Any]) -> str:
    """A record as a person tells it apart: its name, its name in its own script, and
    what distinguishes it (a contact's job and organization), never a database number."""
    title = queries.isolate(records.title_of(db, kind_name, row["id"]))
    native = row.get("name_native") or row.get("partner_name_native")
    extra = f"  {queries.isolate(native)}" if native else ""
    context = queries.context_of(db, kind_name, row)
    return f"{title}{extra}" + (f"  —  {context}" if context else "")


class RefEditor(Editor):
    def __init__(self, spec: Field, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.db = db
        self.target = spec.ref or ""
        self._value: int | None = None
        self.line = QLineEdit()
        self.line.setReadOnly(True)
        self.line.setAccessibleName(spec.label)
        self.line.setPlaceholderText("(none)")
        self.pick = QToolButton()
        self.pick.setText("Choose…")
        self.pick.setAccessibleName(f"Choose {spec.label}")
        self.pick.clicked.connect(self._choose)
        self.clear = QToolButton()
        self.clear.setText("×")
        self.clear.setAccessibleName(f"Clear {spec.label}")
        self.clear.clicked.connect(self._clear_value)
        self.layout_.addWidget(self.line, 1)
        self.layout_.addWidget(self.pick)
        self.layout_.addWidget(self.clear)

    def _clear_value(self) -> None:
        self.set_value(None)
        self.edited.emit()

    def _choose(self) -> None:
        dialog = PickDialog(self.db, self.target, self)
        if dialog.exec() and dialog.chosen is not None:
            self.set_value(dialog.chosen)
            self.edited.emit()

    def value(self) -> Any:
        return self._value

    def set_value(self, value: Any, row: dict[str, Any] | None = None) -> None:
        self._value = int(value) if value not in (None, "") else None
        if self._value is None:
            self.line.setText("")
        else:
            self.line.setText(
                records.title_of(self.db, self.target, self._value) or "(a deleted record)"
            )
            self.line.setCursorPosition(0)

    def focus_widget(self) -> QWidget:
        return self.pick

    def set_read_only(self, read_only: bool) -> None:
        self.pick.setEnabled(not read_only)
        self.clear.setEnabled(not read_only)
