"""Global search (Ctrl+K): every record kind as you type, grouped by kind."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain.kinds import KINDS
from desk.core.features import search
from desk.core.store.db import Database
from desk.ui.colors import tone
from desk.ui.screen import fit

# Matched words come back between these two characters, which no typed text holds.
_MARKS = ("\x02", "\x03")
_HTML = Qt.ItemDataRole.UserRole + 1
_PER_KIND = 25


def _plain(hit: search.Hit) -> str:
    snippet = hit.snippet.replace(_MARKS[0], "").replace(_MARKS[1], "")
    parts = [hit.title, hit.parent, snippet if snippet != hit.title else ""]
    return "  ·  ".join(p for p in parts if p)


def _marked(hit: search.Hit) -> str:
    """The hit as rich text: the title bold, the record it belongs to, then the words
    around the match; the matched words underlined in both."""

    def marked(text: str) -> str:
        return escape(text).replace(_MARKS[0], "<u>").replace(_MARKS[1], "</u>")

    html = f"<b>{marked(hit.marked_title) if hit.marked_title else escape(hit.title)}</b>"
    if hit.parent:
        muted = tone("muted").name()
        html += f"&nbsp;&nbsp;<span style='color:{muted}'>{escape(hit.parent)}</span>"
    plain_snippet = hit.snippet.replace(_MARKS[0], "").replace(_MARKS[1], "")
    if plain_snippet and plain_snippet != hit.title:
        html += f"<br>{marked(hit.snippet)}"
    return html


class _RichText(QStyledItemDelegate):
    """Draws an item's HTML (the highlighted snippet) in place of its plain text."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        html = index.data(_HTML)
        if not html:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        text = option.text
        option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        option.text = text
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        color = option.palette.color(role).name()
        document = self._document(f"<div style='color:{color}'>{html}</div>", option)
        document.setTextWidth(option.rect.width())
        painter.save()
        painter.translate(option.rect.topLeft())
        document.drawContents(painter)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:
        html = index.data(_HTML)
        if not html:
            return super().sizeHint(option, index)
        document = self._document(html, option)
        view = self.parent()
        width = view.viewport().width() - 24 if isinstance(view, QTreeWidget) else 480
        document.setTextWidth(max(200, width))
        return QSize(int(document.idealWidth()), int(document.size().height()))

    @staticmethod
    def _document(html: str, option: QStyleOptionViewItem) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(2)
        document.setHtml(html)
        return document


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
        self.results.setItemDelegate(_RichText(self.results))
        self.results.setWordWrap(True)
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
        fit(self, 720, 520)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Arrow keys in the search box move through the results.
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and (event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up))
        ):
            self._step(1 if event.key() == Qt.Key.Key_Down else -1)
            return True
        return super().eventFilter(watched, event)

    def _hits(self) -> list[QTreeWidgetItem]:
        items: list[QTreeWidgetItem] = []
        for n in range(self.results.topLevelItemCount()):
            group = self.results.topLevelItem(n)
            assert group is not None  # n is below topLevelItemCount()
            items += [c for k in range(group.childCount()) if (c := group.child(k)) is not None]
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
        hits = (
            search.search(self.db, text, per_kind=_PER_KIND, marks=_MARKS) if text.strip() else []
        )
        groups: dict[str, QTreeWidgetItem] = {}
        order = list(search.shown_order())
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
            item = QTreeWidgetItem([_plain(hit)])
            item.setData(0, Qt.ItemDataRole.UserRole, (hit.kind, hit.record_id))
            item.setData(0, _HTML, _marked(hit))
            item.setToolTip(0, _plain(hit))
            group.addChild(item)
        self.results.expandAll()
        hits_items = self._hits()
        if hits_items:
            self.results.setCurrentItem(hits_items[0])
        full = {kind for kind in groups if sum(h.kind == kind for h in hits) >= _PER_KIND}
        note = ""
        if full:
            # Say when a kind has more than it shows, rather than leave them out unseen.
            names = ", ".join(KINDS[k].plural.lower() for k in sorted(full))
            note = f"; the first {_PER_KIND} {names} are shown, type more to narrow"
        self.status.setText(f"{len(hits)} found{note}" if text.strip() else "")

    def open_current(self) -> None:
        self.timer.stop()
        if not self._hits():
            self.run_search()
        item = self.results.currentItem()
        target = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        if target:
            self.chosen.emit(target[0], int(target[1]))
            self.accept()
