"""A line to type a name into, with a list under it that follows each keystroke: what
every link field and the time zone field are typed into.

Up and Down move in the list, Enter or a click picks, Tab picks the highlighted row and
moves on, Escape puts back what was there before typing. The list is asked for (`ask`)
a moment after the last keystroke, so a burst of typing asks once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desk.ui.colors import tone

# Long enough to let a word typed at speed ask once, short enough not to be seen.
ASK_AFTER_MS = 60
# The most rows the list shows at once (it scrolls for the rest).
VISIBLE_ROWS = 12
# Wide enough for a name, a job, an organization and a country on one line.
POPUP_WIDTH = 680

_KEY = Qt.ItemDataRole.UserRole + 1
_DETAIL = Qt.ItemDataRole.UserRole + 2
_WHY = Qt.ItemDataRole.UserRole + 3
_TITLE = Qt.ItemDataRole.UserRole + 4
_ASIDE = Qt.ItemDataRole.UserRole + 5


@dataclass(frozen=True)
class Row:
    key: Any  # what picking the row gives (a record's id, a zone's name)
    title: str  # the name, also what the line shows once picked
    detail: str = ""  # what tells it from namesakes
    aside: str = ""  # beside the name, as plain: the name in its own script
    why: str = ""  # why it is listed first ("Partnership: Matsue")


_Index = QModelIndex | QPersistentModelIndex
_NO_INDEX = QModelIndex()
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_ELIDE = Qt.TextElideMode.ElideRight


class RowDelegate(QStyledItemDelegate):
    """A row as a name, then what tells it apart in a quieter tone, and why it is listed
    first at the right."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget is not None else None
        text = option.text
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        option.text = text
        title = str(index.data(_TITLE) or "")
        aside = str(index.data(_ASIDE) or "")
        if aside:
            title = f"{title}   {aside}"
        detail = str(index.data(_DETAIL) or "")
        why = str(index.data(_WHY) or "")
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        main = palette.highlightedText().color() if selected else palette.text().color()
        quiet = main if selected else tone("muted", palette)
        # Beside a check box where the row has one (the list that adds several).
        rect = option.rect
        if style is not None:
            rect = style.subElementRect(
                QStyle.SubElement.SE_ItemViewItemText, option, option.widget
            )
        rect = rect.adjusted(4, 0, -6, 0)
        painter.save()
        metrics = option.fontMetrics
        right = 0
        if why:
            why_font = QFont(option.font)
            why_font.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.9))
            painter.setFont(why_font)
            painter.setPen(main if selected else tone("info", palette))
            shown = painter.fontMetrics().elidedText(why, _ELIDE, rect.width() // 3)
            right = painter.fontMetrics().horizontalAdvance(shown) + 12
            painter.drawText(rect, _RIGHT, shown)
        room = rect.adjusted(0, 0, -right, 0)
        painter.setFont(option.font)
        painter.setPen(main)
        name = metrics.elidedText(title, _ELIDE, room.width())
        painter.drawText(room, _LEFT, name)
        used = metrics.horizontalAdvance(name)
        if detail and used + 40 < room.width():
            painter.setPen(quiet)
            rest = QRect(room.left() + used, room.top(), room.width() - used, room.height())
            shown = metrics.elidedText("  —  " + detail, _ELIDE, rest.width())
            painter.drawText(rest, _LEFT, shown)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        # One line of text with room around it: every row as tall as the others.
        return QSize(option.rect.width(), option.fontMetrics.height() + 8)


def row_text(row: Row) -> str:
    """The whole row in words, for a screen reader and for tests."""
    name = f"{row.title} {row.aside}" if row.aside else row.title
    words = " — ".join(p for p in (name, row.detail) if p)
    return f"{words} ({row.why})" if row.why else words


def row_data(row: Row) -> list[tuple[int, Any]]:
    """(role, value) of what the delegate paints a row from."""
    return [
        (_KEY, row.key),
        (_TITLE, row.title),
        (_DETAIL, row.detail),
        (_WHY, row.why),
        (_ASIDE, row.aside),
    ]


class RowsList(QAbstractListModel):
    """The rows of a list, as the delegate paints them: replaced whole at each keystroke,
    which a list of its own does in one reset where items cost a call each."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row_text(row)
        if role == Qt.ItemDataRole.EditRole:
            return row.title
        return dict(row_data(row)).get(role)


def row_key(index: QModelIndex | QPersistentModelIndex) -> Any:
    return index.data(_KEY)


def row_title(index: QModelIndex | QPersistentModelIndex) -> str:
    return str(index.data(_TITLE) or "")


def row_detail(index: QModelIndex | QPersistentModelIndex) -> str:
    return str(index.data(_DETAIL) or "")


def set_why(item: Any, why: str) -> None:
    """Say why a row stands where it does (on an item of a list widget)."""
    item.setData(_WHY, why)


class TypeAhead(QLineEdit):
    """`ask(text)` gives the rows for what is typed; `picked` carries the row picked."""

    picked = Signal(object)
    # Typing ended without a pick (focus left): the owner decides what the text means.
    left = Signal()

    def __init__(self, ask: Callable[[str], list[Row]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ask = ask
        # What the line says for the value it holds: Escape puts it back.
        self.shown = ""
        self.rows: list[Row] = []
        self.model = RowsList(self)
        self.matches = QCompleter(self.model, self)
        # Driven by hand rather than set on the line: the rows come from the database,
        # already filtered and ranked, and the line keeps its text while the list moves.
        self.matches.setWidget(self)
        self.matches.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.matches.setMaxVisibleItems(VISIBLE_ROWS)
        self.popup = popup = QListView()
        self.matches.setPopup(popup)
        popup.setItemDelegate(RowDelegate(popup))
        popup.setUniformItemSizes(True)
        # Each row elides its own text: never a sideways scroll bar.
        popup.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        popup.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        popup.setAccessibleName("Matches")
        # The row by its index, not its text: namesakes share a text.
        self.matches.activated[QModelIndex].connect(self._activated)  # type: ignore[index]
        self.timer = QTimer(self, singleShot=True, interval=ASK_AFTER_MS)
        self.timer.timeout.connect(self.refresh)
        self.textEdited.connect(lambda _text: self.timer.start())

    # -- the list ------------------------------------------------------------------------
    def popup_visible(self) -> bool:
        return self.popup.isVisible()

    def refresh(self) -> None:
        """Ask for the rows of what is typed now and show them (or hide an empty list)."""
        self.timer.stop()
        if self.isReadOnly():
            return
        self.rows = self.ask(self.text())
        self.model.set_rows(self.rows)
        if not self.rows:
            self.popup.hide()
            return
        if self.isVisible():
            self._show()

    def open_list(self) -> None:
        """The list for what the line holds, typed or not (Down, or the list button)."""
        if self.isReadOnly():
            return
        if self.text() == self.shown:
            # Nothing typed: the closest first, not only the one already there.
            self.rows = self.ask("")
            self.model.set_rows(self.rows)
            if self.rows:
                self._show()
            return
        self.refresh()

    def _show(self) -> None:
        width = max(self.width(), POPUP_WIDTH)
        rect = QRect(0, 0, width, self.height())
        self.matches.complete(rect)
        self.popup.setCurrentIndex(self._shown_index(0))

    def _shown_index(self, row: int) -> QModelIndex:
        # The list shows the rows through a model of the completer's own.
        model = self.popup.model()
        return model.index(row, 0) if model is not None else QModelIndex()

    def _activated(self, index: QModelIndex) -> None:
        row = self.rows[index.row()] if 0 <= index.row() < len(self.rows) else None
        if row is not None:
            self.pick(row)

    def pick(self, row: Row) -> None:
        self.timer.stop()
        self.popup.hide()
        self.show_text(row.title)
        self.picked.emit(row)

    def show_text(self, text: str) -> None:
        """What the line says for the value it holds (no typing pending)."""
        self.shown = text
        self.setText(text)
        self.setCursorPosition(0)  # a long name shows its beginning

    def pending(self) -> bool:
        """Typed into, and not picked from the list."""
        return self.text() != self.shown

    def restore(self) -> None:
        self.timer.stop()
        self.setText(self.shown)
        self.setCursorPosition(0)

    def first_match(self) -> Row | None:
        """The top row for what is typed now (asked at once if a keystroke is waiting)."""
        if self.timer.isActive() or not self.rows:
            self.rows = self.ask(self.text())
            self.model.set_rows(self.rows)
        return self.rows[0] if self.rows else None

    # -- keys ----------------------------------------------------------------------------
    # While the list is open it has the keyboard, and passes the line each key first: a
    # key the line takes (accepts) is done with, one it leaves is the list's to handle.
    def event(self, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent):
            key = event.key()
            # Escape belongs to the line while it has something to undo or a list open,
            # not to the page or dialog around it (which would cancel the whole form).
            if (
                event.type() == QEvent.Type.ShortcutOverride
                and key == Qt.Key.Key_Escape
                and (self.pending() or self.popup_visible())
            ):
                event.accept()
                return True
            # Tab picks the highlighted row and moves on, as the person expects of a
            # list that follows their typing.
            if (
                event.type() == QEvent.Type.KeyPress
                and key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
                and self.popup_visible()
            ):
                self._pick_current()
        return super().event(event)

    def _pick_current(self) -> bool:
        if self.timer.isActive():
            self.refresh()  # a keystroke still waiting: pick from its rows
        index = self.popup.currentIndex()
        row = self.rows[index.row()] if index.isValid() and index.row() < len(self.rows) else None
        if row is None:
            return False
        self.pick(row)
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        enter = key in (Qt.Key.Key_Enter, Qt.Key.Key_Return)
        if self.popup_visible():
            if enter and self._pick_current():
                event.accept()
                return
            if key == Qt.Key.Key_Escape:
                self.restore()
                self.popup.hide()
                event.accept()
                return
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                step = 1 if key == Qt.Key.Key_Down else -1
                at = max(0, min(len(self.rows) - 1, self.popup.currentIndex().row() + step))
                self.popup.setCurrentIndex(self._shown_index(at))
                event.accept()
                return
        if key == Qt.Key.Key_Escape and self.pending():
            self.restore()
            event.accept()
            return
        if enter and self.pending() and self.text():
            row = self.first_match()
            if row is not None:
                self.pick(row)
                event.accept()
                return
        if key == Qt.Key.Key_Down:
            self.open_list()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: Any) -> None:
        super().focusOutEvent(event)
        # The list taking the keyboard is not the line being left, nor is its window
        # closing around it.
        if self.isVisible() and not self.popup_visible() and self.pending():
            self.timer.stop()
            self.left.emit()
