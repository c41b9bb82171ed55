"""Changing a partnership's status: always dated, always with a reason."""

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

from desk.core.domain.kinds import KINDS
from desk.core.domain.vocab import PARTNERSHIP_STATUSES
from desk.core.store import records
from desk.core.store.db import Database
from desk.ui.ops import operations_for
from desk.ui.widgets.editors import DateEditor
from desk.ui.widgets.form import error_style


class StatusDialog(QDialog):
    def __init__(self, db: Database, partnership_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.partnership_id = partnership_id
        current = records.get(db, "partnership", partnership_id)
        self.setWindowTitle(f"Change status of {current['partner_name']}")
        layout = QFormLayout(self)
        layout.addRow("Now", QLabel(PARTNERSHIP_STATUSES[current["status"]]))
        self.status = QComboBox()
        self.status.setAccessibleName("New status")
        for code, label in PARTNERSHIP_STATUSES.items():
            if code != current["status"]:
                self.status.addItem(label, code)
        self.date = DateEditor(KINDS["status_change"].field_map["changed_on"])
        self.date.set_value(dt.date.today().isoformat())
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText("e.g. Council resolution 2026-14; no exchanges since 2023")
        self.error = QLabel()
        self.error.setStyleSheet(error_style())
        self.error.setWordWrap(True)
        layout.addRow("New status", self.status)
        layout.addRow("Date", self.date)
        layout.addRow("Reason", self.reason)
        layout.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

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
