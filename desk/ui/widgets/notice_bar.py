"""A strip that says what was just done, with an Undo for exactly that, right where the
person is looking (an inline bar, not a dialog, not a status line that scrolls away)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from desk.ui.colors import tone


class NoticeBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("What was just done")
        # The palette's tooltip colors stay readable in light and dark themes alike.
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setToolTip("Take back exactly this (Alt+U)")
        self.undo_button.clicked.connect(self._undo_clicked)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Dismiss")
        self.close_button.setAccessibleName("Dismiss")
        self.close_button.clicked.connect(self.dismiss)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.undo_button)
        row.addWidget(self.close_button)
        self._undo: Callable[[], None] | None = None
        self.hide()

    def say(self, text: str, undo: Callable[[], None] | None = None, mood: str = "") -> None:
        """Show `text`; with `undo`, an Undo button that calls it once. `mood` ('danger',
        'warning') colors the words when they report something not done."""
        self.label.setText(text)
        if mood:
            self.label.setStyleSheet(f"color: {tone(mood, self.palette()).name()}")
        else:
            self.label.setStyleSheet("")
        self._undo = undo
        self.undo_button.setVisible(undo is not None)
        self.undo_button.setEnabled(undo is not None)
        self.show()

    def text(self) -> str:
        return "" if self.isHidden() else self.label.text()

    def dismiss(self) -> None:
        self._undo = None
        self.hide()

    def _undo_clicked(self) -> None:
        undo, self._undo = self._undo, None
        self.undo_button.setEnabled(False)
        if undo is not None:
            undo()
