"""Visits: everything on the record page, plus the briefing packet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from desk.core.features import story
from desk.core.store import records
from desk.core.store.db import Database
from desk.ui import documents, jobs, tasks
from desk.ui.pages.record_page import RecordPage


class VisitPage(RecordPage):
    packet_ready = Signal(Path)

    def __init__(self, db: Database, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(db, "visit", parent)
        self.db_path = db_path
        self.packet_button = QPushButton("Briefing packet…")
        self.packet_button.setAccessibleName("Make the briefing packet for this visit")
        self.packet_button.clicked.connect(self.make_packet)
        self.extra_buttons.addWidget(self.packet_button)
        self._task: tasks.Task | None = None
        self.record_shown(None)

    def headline(self, row: dict[str, Any]) -> list[str]:
        return story.visit_lines(self.db, row["id"])

    def record_shown(self, row: dict[str, Any] | None) -> None:
        if hasattr(self, "packet_button"):
            self.packet_button.setEnabled(row is not None)

    def make_packet(self) -> None:
        if self.current_id is None or not self.confirm_leave():
            return
        from desk.ui.dialogs.briefing_dialog import BriefingDialog

        visit = records.get(self.db, "visit", self.current_id)
        dialog = BriefingDialog(visit["direction"] == "incoming", self)
        if not dialog.exec():
            return
        target = documents.temporary_pdf("Briefing", visit["title"], f"visit-{visit['id']}")
        self._task = documents.make(
            self,
            "Briefing packet",
            jobs.make_packet,
            self.db_path,
            self.db.read_only,
            visit["id"],
            target,
            dialog.options(),
            ready=self.packet_ready.emit,
        )
