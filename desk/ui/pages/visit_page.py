"""Visits: everything on the record page, plus the briefing packet."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

from desk import jobs
from desk.core import records
from desk.core.db import Database
from desk.ui import tasks
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
        options = dialog.options()
        slug = re.sub(r"[^\w\- ]+", "", visit["title"]).strip() or f"visit-{visit['id']}"
        target = Path(tempfile.mkdtemp(prefix="desk-packet-")) / f"Briefing - {slug}.pdf"
        # Laid out in a process of its own (reportlab and its fonts load there, not in
        # the window), so the window never waits on the layout.
        work = tasks.in_child(
            jobs.make_packet,
            self.db_path,
            self.db.read_only,
            visit["id"],
            target,
            options,
            stay=True,
        )

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, tasks.Cancelled):
                QMessageBox.warning(self, "Briefing packet", str(exc))

        self._task = tasks.run(
            self,
            "Making the briefing packet",
            work,
            self._offer,
            failed,
        )

    def _offer(self, path: Path) -> None:
        self.packet_ready.emit(path)
        box = QMessageBox(self)
        box.setWindowTitle("Briefing packet ready")
        box.setText(f"The briefing packet is ready:\n{path.name}")
        open_button = box.addButton("Open", QMessageBox.ButtonRole.AcceptRole)
        save_button = box.addButton("Save as…", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if box.clickedButton() is open_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        elif box.clickedButton() is save_button:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Save briefing packet", path.name, "PDF (*.pdf)"
            )
            if chosen:
                shutil.copyfile(path, chosen)
