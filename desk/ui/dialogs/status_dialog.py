"""Changing a partnership's status: always dated, always with a reason. A change dated
after today is planned: the dialog says so, and the status stays until its day."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from desk.core.domain.dates import first_day, on_date
from desk.core.domain.kinds import KINDS
from desk.core.domain.validate import clean
from desk.core.domain.vocab import PARTNERSHIP_STATUSES
from desk.core.errors import ValidationError
from desk.core.store import records
from desk.core.store.db import Database
from desk.core.store.hooks.partnerships import planned_changes, planned_text
from desk.ui.ops import operations_for
from desk.ui.wheel import guard_wheel
from desk.ui.widgets.editors import DateEditor
from desk.ui.widgets.form import error_style


class StatusDialog(QDialog):
    def __init__(self, db: Database, partnership_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.partnership_id = partnership_id
        current = records.get(db, "partnership", partnership_id)
        self.setWindowTitle(f"Change status of {current['partner_name']}")
        self.current = PARTNERSHIP_STATUSES[current["status"]]
        layout = QFormLayout(self)
        layout.addRow("Now", QLabel(self.current))
        planned = planned_changes(db, partnership_id)
        if planned:
            layout.addRow("Planned", QLabel("\n".join(planned_text(c) for c in planned)))
        self.status = QComboBox()
        self.status.setAccessibleName("New status")
        for code, label in PARTNERSHIP_STATUSES.items():
            if code != current["status"]:
                self.status.addItem(label, code)
        self.date = DateEditor(KINDS["status_change"].field_map["changed_on"])
        self.date.set_value(dt.date.today().isoformat())
        self.date.edited.connect(self._say_when)
        self.when = QLabel()
        self.when.setWordWrap(True)
        self.when.hide()
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText("e.g. Council resolution 2026-14; no exchanges since 2023")
        self.error = QLabel()
        self.error.setStyleSheet(error_style())
        self.error.setWordWrap(True)
        layout.addRow("New status", self.status)
        layout.addRow("Date", self.date)
        layout.addRow(self.when)
        layout.addRow("Reason", self.reason)
        layout.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)
        guard_wheel(self)

    def _say_when(self) -> None:
        """A date after today makes the change planned: said before it is saved."""
        try:
            day = clean(self.date.spec, self.date.value())
        except ValidationError:
            day = None
        if not day or first_day(day) <= dt.date.today():
            self.when.hide()
            return
        self.when.setText(
            f"Planned: the status stays {self.current} until the change takes effect "
            f"{on_date(day)}."
        )
        self.when.show()

    def save(self) -> None:
        status, on = self.status.currentData(), self.date.value()
        reason = self.reason.toPlainText().strip()
        done = operations_for(self.db).run(
            self,
            lambda db: records.change_status(db, self.partnership_id, status, on, reason),
            initiator=self,
            on_invalid=lambda exc: self.error.setText(str(exc)),
        )
        if done is not None:
            self.accept()
