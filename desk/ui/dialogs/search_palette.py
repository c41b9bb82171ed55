"""Global search (Ctrl+K): every record kind as you type, grouped by kind."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.core import search
from desk.core.db import Database
from desk.core.kinds import KINDS


class SearchPalette(QDialog):
    chosen = Signal(str, int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Search everything")
        self.input = QLineEdit()
        self.input.setPlaceholderText("Names in any script, titles, notes, agreement text…")
        self.input.setAccessibleName("Search everything")
        self.results = QTreeWidget()
        self.results.setHeaderHidden(True)
        self.results.setAccessibleName("Search results")
        self.results.setRootIsDecorated(False)
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.input)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self.timer = QTimer(self, singleShot=True, interval=60)
        self.timer.timeout.connect(self.run_search)
        self.input.textChanged.connect(self.timer.start)
        self.input.returnPressed.connect(self.open_current)
        self.input.installEventFilter(self)
        self.results.itemActivated.connect(lambda _item, _col: self.open_current())
        self.resize(640, 480)

    def eventFilter(self, watched: object, event: object) -> bool:
        # Arrow keys in the search box move through the results.
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and (event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up))
        ):
            self._step(1 if event.key() == Qt.Key.Key_Down else -1)
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    def _hits(self) -> list[QTreeWidgetItem]:
        items = []
        for n in range(self.results.topLevelItemCount()):
            group = self.results.topLevelItem(n)
            items += [group.child(k) for k in range(group.childCount())]
        return items

    def _step(self, delta: int) -> None:
        hits = self._hits()
        if not hits:
            return
        current = self.results.currentItem()
        position = hits.index(current) if current in hits else -1
        self.results.setCurrentItem(hits[max(0, min(len(hits) - 1, position + delta))])

    def run_search(self) -> None:
        self.results.clear()
        text = self.input.text()
        hits = search.search(self.db, text, per_kind=25, marks=("", "")) if text.strip() else []
        groups: dict[str, QTreeWidgetItem] = {}
        order = list(search.DOCUMENTS)
        for hit in sorted(hits, key=lambda h: order.index(h.kind)):
            group = groups.get(hit.kind)
            if group is None:
                group = QTreeWidgetItem([KINDS[hit.kind].plural])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                self.results.addTopLevelItem(group)
                groups[hit.kind] = group
            item = QTreeWidgetItem([f"{hit.title}    {hit.snippet}"])
            item.setData(0, Qt.ItemDataRole.UserRole, (hit.kind, hit.record_id))
            item.setToolTip(0, hit.snippet)
            group.addChild(item)
        self.results.expandAll()
        hits_items = self._hits()
        if hits_items:
            self.results.setCurrentItem(hits_items[0])
        self.status.setText(f"{len(hits)} found" if text.strip() else "")

    def open_current(self) -> None:
        self.timer.stop()
        if not self._hits():
            self.run_search()
        item = self.results.currentItem()
        target = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        if target:
            self.chosen.emit(target[0], int(target[1]))
            self.accept()
