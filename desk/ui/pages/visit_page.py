"""Visits: everything on the record page, plus the briefing packet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QMenu, QMessageBox, QPushButton, QWidget

from desk.core.features import story
from desk.core.store import records
from desk.core.store.db import Database
from desk.core.store.operations import Changes
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
        # Letters from the office's templates (invitation, visa, thank-you, national
        # day): written as Word files and kept with the visit.
        self.letters_button = QPushButton("Letters")
        self.letters_button.setToolTip("Write letters for this visit from the office's templates")
        self.letters_menu = QMenu(self.letters_button)
        self.letters_menu.aboutToShow.connect(self._fill_letters)
        self.letters_button.setMenu(self.letters_menu)
        self.extra_buttons.addWidget(self.letters_button)
        # The steps of a visit of its kind (invitation 60 days before, thank-you letters
        # after...) as follow-ups with real due dates.
        self.playbook_button = QPushButton("Apply playbook…")
        self.playbook_button.setToolTip(
            "Make this visit's follow-ups from a playbook, or edit the office's playbooks"
        )
        self.playbook_button.clicked.connect(self.apply_playbook)
        self.extra_buttons.addWidget(self.playbook_button)
        self._task: tasks.Task | None = None
        self.record_shown(None)

    def headline(self, row: dict[str, Any]) -> list[str]:
        return story.visit_lines(self.db, row["id"])

    def _say_holidays(self, visit_id: int) -> None:
        """A holiday or national day on either side inside the visit, said before it is
        planned around: added just after the page is painted (the first look-up reads
        the holiday tables, tens of milliseconds the page need not wait for)."""
        if self.current_id != visit_id or self.db.closed:
            return
        from desk.core.features import holidays

        lines = holidays.clash_lines(self.db, visit_id, limit=4)
        if lines:
            shown = self.subheading.text()
            self.subheading.setText("\n".join([shown, *lines]) if shown else "\n".join(lines))
            self.subheading.setVisible(True)

    def record_shown(self, row: dict[str, Any] | None) -> None:
        if row is not None:
            QTimer.singleShot(0, lambda visit=row["id"]: self._say_holidays(visit))
        if hasattr(self, "packet_button"):
            self.packet_button.setEnabled(row is not None)
        if hasattr(self, "letters_button"):
            self.letters_button.setEnabled(row is not None and self.db.file is not None)
        if hasattr(self, "playbook_button"):
            self.playbook_button.setEnabled(row is not None and not self.locked)

    def apply_playbook(self) -> None:
        if self.current_id is None or not self.confirm_leave():
            return
        from desk.ui.dialogs.playbook_dialog import PlaybookDialog

        PlaybookDialog(self.db, self, visit_id=self.current_id).exec()

    def after_save(self, changes: Changes) -> None:
        """A visit whose dates moved takes its playbook steps with it (asking first about
        those done or changed by hand)."""
        from desk.ui.dialogs.playbook_dialog import follow_dates

        said = follow_dates(self, self.db, changes)
        window = self.window()
        if said and hasattr(window, "statusBar"):
            window.statusBar().showMessage(said, 8000)

    def _fill_letters(self) -> None:
        from desk.reports.letters.templates import templates

        self.letters_menu.clear()
        for template in templates():
            action = self.letters_menu.addAction(f"{template.name.replace('-', ' ').capitalize()}…")
            action.setToolTip(template.source)
            action.triggered.connect(lambda _=False, t=template.name: self.make_letters(t))

    def make_letters(self, template: str) -> None:
        """Write the visit's letters from a template in a process of their own, keep the
        file with the visit (one undoable step), then offer it to open or save."""
        if self.current_id is None or not self.confirm_leave():
            return
        visit = records.get(self.db, "visit", self.current_id)
        what = template.replace("-", " ").capitalize()
        target = documents.temporary_pdf(what, visit["title"], f"visit-{visit['id']}")
        target = target.with_suffix(".docx")
        visit_id = visit["id"]

        def keep(path: Path) -> None:
            if self.db.read_only:
                return
            from desk.core.store.attachments import attach_file
            from desk.ui.ops import operations_for

            def write(db: Database) -> Changes:
                from desk.core.features import playbooks
                from desk.core.store.operations import operation

                label = f"Keep {what.lower()} letters for “{visit['title']}”"
                with operation(db, label) as kept:
                    attach_file(
                        db,
                        "visit",
                        visit_id,
                        path.read_bytes(),
                        filename=path.name,
                        description=f"{what} letters for {visit['title']}",
                    )
                    # The playbook's step for this letter, if the visit has one, is done.
                    playbooks.tick(db, visit_id, template)
                return kept

            operations_for(self.db).run(self, write)

        if self.db.read_only:
            QMessageBox.information(
                self, "Letters", "This database is open read-only: the letters are not kept."
            )
        self._task = documents.make(
            self,
            f"{what} letters",
            jobs.make_letters,
            self.db_path,
            self.db.read_only,
            template,
            visit_id,
            target,
            ready=keep,
        )

    def make_packet(self) -> None:
        if self.current_id is None or not self.confirm_leave():
            return
        from desk.ui.dialogs.briefing_dialog import BriefingDialog

        visit = records.get(self.db, "visit", self.current_id)
        dialog = BriefingDialog(visit["direction"] == "incoming", self)
        if not dialog.exec():
            return
        phone = dialog.phone
        target = documents.temporary_pdf(
            "Trip pack" if phone else "Briefing", visit["title"], f"visit-{visit['id']}"
        )
        self._task = documents.make(
            self,
            "Trip pack" if phone else "Briefing packet",
            jobs.make_document,
            self.db_path,
            self.db.read_only,
            "phone pack" if phone else "packet",
            visit["id"],
            target,
            dialog.options(),
            ready=self.packet_ready.emit,
        )
