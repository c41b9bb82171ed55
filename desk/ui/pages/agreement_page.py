"""Agreements: the record page, headed by when the renewal must be decided, with the
one-page renewal memo for the mayor or council."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from desk.core.features import story
from desk.core.store.db import Database
from desk.ui import documents, jobs, tasks
from desk.ui.pages.record_page import RecordPage


class AgreementPage(RecordPage):
    memo_ready = Signal(Path)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, "agreement", parent)
        self._task: tasks.Task | None = None
        self.memo_button = QPushButton("Renewal memo…")
        self.memo_button.setToolTip(
            "One page for the mayor or council: renew, renegotiate or let lapse, with what "
            "the relationship did since signing and the dates that bind"
        )
        self.memo_button.clicked.connect(self.make_memo)
        self.extra_buttons.addWidget(self.memo_button)
        self.record_shown(None)

    def headline(self, row: dict[str, Any]) -> list[str]:
        line = story.agreement_line(row)
        return [line] if line else []

    def record_shown(self, row: dict[str, Any] | None) -> None:
        if hasattr(self, "memo_button"):
            # Made from the file in a process of its own: a database in memory has none.
            self.memo_button.setEnabled(row is not None and self.db.file is not None)

    def make_memo(self) -> None:
        if self.current_id is None or self.db.file is None or not self.confirm_leave():
            return
        from desk.core.store import records

        row = records.get(self.db, "agreement", self.current_id)
        target = documents.temporary_pdf("Renewal memo", row["title"], f"agreement-{row['id']}")
        self._task = documents.make(
            self,
            "Renewal memo",
            jobs.make_document,
            self.db.file,
            self.db.read_only,
            "renewal memo",
            row["id"],
            target,
            ready=self.memo_ready.emit,
        )
