"""Partnerships: the status walks its lifecycle through a dated, reasoned change."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPushButton, QWidget

from desk.core.db import Database
from desk.ui.dialogs.status_dialog import StatusDialog
from desk.ui.pages.record_page import RecordPage


class PartnershipPage(RecordPage):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, "partnership", parent)
        self.status_button = QPushButton("Change status…")
        self.status_button.clicked.connect(self.change_status)
        self.extra_buttons.addWidget(self.status_button)
        self.record_shown(None)

    def record_shown(self, row: dict[str, Any] | None) -> None:
        # A new partnership picks its first status; afterwards only a dated change may.
        self.form.set_read_only(["status"], row is not None)
        if hasattr(self, "status_button"):
            self.status_button.setEnabled(row is not None)

    def change_status(self) -> None:
        if self.current_id is None or not self.confirm_leave():
            return
        StatusDialog(self.db, self.current_id, self).exec()
