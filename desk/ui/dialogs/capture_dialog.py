"""Quick capture on Today: a follow-up in a line, due on a day typed as people say it
('friday', 'in 2 weeks', '12/15'), for the record of the item selected or on its own,
stored as one operation that Undo takes back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain import when
from desk.core.domain.dates import long_date
from desk.core.domain.words import due_in
from desk.core.errors import ValidationError
from desk.core.features import agenda
from desk.core.store.db import Database
from desk.core.store.operations import Changes
from desk.ui.colors import tone
from desk.ui.ops import operations_for
from desk.ui.screen import fit

DUE_EXAMPLES = "friday, next monday, in 2 weeks, next week, end of month, 12/15, December 15"


def read_due(text: str, today: dt.date) -> dt.date | None:
    """The due day typed, None when nothing was typed; ValueError, in words, when it
    cannot be read."""
    if not text.strip():
        return None
    try:
        return when.read_day(text, today=today)
    except when.Unreadable as exc:
        why = f": {exc.why}" if exc.why else ""
        raise ValueError(
            f"“{text.strip()}” is not a day desk can read{why}. Try {DUE_EXAMPLES}."
        ) from None


class CaptureDialog(QDialog):
    """What, when and for which record; Add stores it (Enter), Escape leaves nothing."""

    def __init__(
        self,
        db: Database,
        targets: list[agenda.Fact],
        parent: QWidget | None = None,
        *,
        on_done: Callable[[Changes], None] | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.today = today or dt.date.today()
        self.on_done = on_done
        self.changes: Changes | None = None
        self.setWindowTitle("New follow-up")
        self.what = QLineEdit()
        self.what.setPlaceholderText("What to do: Send the program to the consulate")
        self.what.setAccessibleName("What")
        self.due = QLineEdit()
        self.due.setPlaceholderText(f"{DUE_EXAMPLES}, or leave it undated")
        self.due.setAccessibleName("Due")
        self.due_words = QLabel()
        self.due_words.setWordWrap(True)
        self.due_words.setAccessibleName("Due, read as")
        self.about = QComboBox()
        self.about.setAccessibleName("For")
        for fact in targets:
            self.about.addItem(f"{fact.label}: {fact.text}", fact.opens)
        self.about.addItem("Nothing else: a follow-up of its own", None)
        self.about.setToolTip("The record this follow-up is for: the selected item's, or none")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {tone('danger', self.palette()).name()}")
        self.error.hide()

        form = QFormLayout()
        form.addRow("&What:", self.what)
        form.addRow("&Due:", self.due)
        form.addRow("", self.due_words)
        form.addRow("&For:", self.about)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.add_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add_button.setText("Add")
        self.add_button.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.due.textChanged.connect(self._read_due)
        self.what.textChanged.connect(lambda _text: self.error.hide())
        self._read_due()
        fit(self, 560, 240)
        self.what.setFocus(Qt.FocusReason.OtherFocusReason)

    def _read_due(self) -> None:
        """Say, as the day is typed, which day it is read as."""
        self.error.hide()
        mood = "muted"
        try:
            day = read_due(self.due.text(), self.today)
        except ValueError:
            self.due_words.setText(f"Not a day yet. Try {DUE_EXAMPLES}.")
        else:
            if day is None:
                self.due_words.setText("No due date: listed last under Later")
            else:
                relative = due_in((day - self.today).days)
                if day < self.today:
                    mood = "warning"
                    relative = f"{relative}: that day has passed"
                self.due_words.setText(f"{long_date(day)} ({relative})")
        self.due_words.setStyleSheet(f"color: {tone(mood, self.palette()).name()}")

    def _refuse(self, text: str, where: QWidget) -> None:
        self.error.setText(text)
        self.error.show()
        where.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        title = self.what.text().strip()
        if not title:
            self._refuse("Say what is to be done.", self.what)
            return
        try:
            due = read_due(self.due.text(), self.today)
        except ValueError as exc:
            self.due_words.setText("")  # the reason below says it all
            self._refuse(str(exc), self.due)
            return
        about = self.about.currentData()
        target = (str(about[0]), int(about[1])) if about else None

        def write(db: Database) -> Changes:
            return agenda.capture(db, title, due, target)

        def refused(exc: ValidationError) -> None:
            self._refuse(str(exc), self.what)

        def done(changes: Changes) -> None:
            self.changes = changes
            if self.on_done is not None:
                self.on_done(changes)

        if operations_for(self.db).run(
            self, write, initiator=self, title="Not added", on_invalid=refused, on_done=done
        ):
            self.accept()
