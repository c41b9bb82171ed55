"""Past imports, each one undone in one step."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain.dates import stored_moment
from desk.core.domain.kinds import KINDS
from desk.core.domain.words import counted
from desk.core.errors import DeskError
from desk.core.store import operations
from desk.core.store.db import Database
from desk.io import importer
from desk.ui import tasks
from desk.ui.models.rows import Column, RowsModel
from desk.ui.ops import operations_for
from desk.ui.screen import fit
from desk.ui.widgets.views import row_table


class UndoImportsDialog(QDialog):
    undone = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Past imports")
        self.model = RowsModel(
            [
                Column("#", lambda b: str(b["id"])),
                Column("When", lambda b: stored_moment(b["created_at"])),
                Column("File", lambda b: b["source"]),
                Column("Records", lambda b: KINDS[b["kind"]].plural),
                Column("Added", lambda b: f"{b['created']:,}"),
                Column(
                    "State",
                    lambda b: (
                        f"undone {stored_moment(b['undone_at'])}" if b["undone_at"] else "in place"
                    ),
                ),
            ]
        )
        self.view = row_table(self.model, "Past imports")
        self.undo_button = QPushButton("Undo this import…")
        self.undo_button.clicked.connect(self.undo)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._enable())
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.refresh()
        fit(self, 720, 380)

    def refresh(self) -> None:
        self.model.set_rows(importer.batches(self.db))
        self._enable()

    def _enable(self) -> None:
        """Undo only an import still in place."""
        index = self.view.currentIndex()
        batch = self.model.rows[index.row()] if index.isValid() else None
        self.undo_button.setEnabled(batch is not None and not batch["undone_at"])

    def undo(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            return
        batch = self.model.rows[index.row()]
        if batch["undone_at"]:
            return
        # Say all it would do: the records it added go, and what it filled or changed in
        # records already in desk goes back as it was.
        filled = importer.records_filled(self.db, batch["id"])
        steps = []
        if batch["created"]:
            steps.append(f"remove the {counted(batch['created'], 'record')} it added")
        if filled:
            steps.append(f"put back what it filled or changed in {counted(filled, 'record')}")
        if not steps:
            QMessageBox.information(
                self, "Undo import", "This import added and changed nothing: nothing to undo."
            )
            return
        if (
            QMessageBox.question(
                self,
                "Undo import",
                f"Undo import #{batch['id']} ({batch['source']}): " + " and ".join(steps) + "?",
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        try:
            op_id = self._undo_batch(batch["id"], force=False)
        except tasks.Cancelled:
            return
        except importer.BuiltOn as exc:
            if (
                QMessageBox.question(
                    self,
                    "Undo import",
                    f"{exc}\n\nUndo it anyway? The later edits and the records added under "
                    "it stay.",
                )
                != QMessageBox.StandardButton.Yes
            ):
                return
            try:
                op_id = self._undo_batch(batch["id"], force=True)
            except tasks.Cancelled:
                return
            except DeskError as again:
                QMessageBox.warning(self, "Undo import", str(again))
                return
        except DeskError as exc:
            QMessageBox.warning(self, "Undo import", str(exc))
            return
        operations_for(self.db).announce(operations.touched(self.db, op_id))
        self.refresh()
        self.undone.emit(batch["id"])

    def _undo_batch(self, batch_id: int, *, force: bool) -> int:
        """Take the import back, in a process of its own for a database on disk (100,000
        records are seconds of work), and return the operation that did it."""
        if self.db.file is None:
            importer.undo_batch(self.db, batch_id, force=force)
            return operations.latest(self.db) or 0
        from desk.ui import jobs

        return int(
            tasks.wait_for(
                self,
                "Undoing the import",
                tasks.in_child(jobs.undo_import, self.db.file, self.db.read_only, batch_id, force),
            )
        )
