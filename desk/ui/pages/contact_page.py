"""Contacts: the record page, headed by who they are, how to reach them, when we last
met and what we still owe them; and a person's data on request (everything desk holds
about them, or all of it erased), as `desk person` does it."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMenu, QMessageBox, QPushButton, QWidget

from desk.core.features import story
from desk.core.store.db import Database
from desk.ui.pages.record_page import RecordPage


class ContactPage(RecordPage):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, "contact", parent)
        self.person_button = QPushButton("Person's data")
        self.person_button.setToolTip(
            "Everything desk holds about this person, for a request to see it or to erase it"
        )
        menu = QMenu(self.person_button)
        self.export_action = menu.addAction("Export what desk holds about them…")
        self.export_action.triggered.connect(self.export_person)
        self.erase_action = menu.addAction("Erase them for good…")
        self.erase_action.triggered.connect(self.erase_person)
        self.person_button.setMenu(menu)
        self.extra_buttons.addWidget(self.person_button)
        self.record_shown(None)

    def headline(self, row: dict[str, Any]) -> list[str]:
        return story.contact_lines(self.db, row["id"])

    def record_shown(self, row: dict[str, Any] | None) -> None:
        if hasattr(self, "person_button"):
            self.person_button.setEnabled(row is not None)
            self.erase_action.setEnabled(row is not None and not self.locked)

    def export_person(self) -> None:
        """Markdown a person can read (or JSON), written where the person chooses."""
        if self.current_id is None or not self.confirm_leave():
            return
        from desk.core.errors import DeskError
        from desk.core.safety import person
        from desk.core.store import records
        from desk.ui import file_dialogs

        title = records.title_of(self.db, "contact", self.current_id)
        path, chosen = file_dialogs.save_path_and_filter(
            self,
            "Export a person's data",
            f"{title} - what desk holds.md",
            "Markdown, readable in any text editor (*.md);;JSON (*.json)",
        )
        if path is None:
            return
        as_json = path.suffix.lower() == ".json" or (chosen.startswith("JSON") and not path.suffix)
        if not path.suffix:
            path = path.with_suffix(".json" if as_json else ".md")
        try:
            done = person.export(self.db, self.current_id, path, as_json=as_json)
        except DeskError as exc:
            QMessageBox.warning(self, "Not exported", str(exc))
            return
        found = done.holdings
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(
                f"Wrote what desk holds about {found.names.title} to {done.path}", 10000
            )

    def erase_person(self) -> None:
        """Says first what goes and which backups still hold them; erases on Erase."""
        if self.current_id is None or self.locked or not self.confirm_leave():
            return
        from desk.core.safety import person

        plan = person.plan_erase(self.db, self.current_id)
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Erase a person for good")
        lines = person.plan_lines(plan)
        box.setText(lines[0])
        box.setInformativeText("\n".join(line.strip() for line in lines[1:]))
        erase = box.addButton("Erase for good", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is not erase:
            return
        self._erase(plan.person_id)

    def _erase(self, contact_id: int) -> None:
        """On a connection of its own, under a progress dialog: the file is compacted at
        the end, which takes seconds on a large file."""
        from desk.core.errors import DeskError
        from desk.core.safety import person
        from desk.ui import tasks
        from desk.ui.ops import operations_for

        def job(db: Database, progress: tasks.Progress) -> person.Erased:
            return person.erase(db, contact_id, progress=progress)

        try:
            if self.db.file is None:  # a database in memory: no file to open again
                done = person.erase(self.db, contact_id)
            else:
                work = tasks.on_own_connection(self.db.file, job, like=self.db)
                done = tasks.wait_for(self, "Erasing a person", work, cancellable=False)
        except DeskError as exc:
            QMessageBox.warning(self, "Not erased", str(exc))
            return
        operations_for(self.db).announce(done.changes)
        QMessageBox.information(
            self, "Erased", "\n".join(line.strip() for line in person.erased_lines(done))
        )
