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

from desk.core import operations
from desk.core.db import Database
from desk.core.errors import DeskError
from desk.core.operations import Changes
from desk.io import importer
from desk.ui.models.rows import Column, RowsModel
from desk.ui.ops import operations_for
from desk.ui.screen import fit
from desk.ui.widgets.views import row_table


class UndoImportsDialog(QDialog):
    undone = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Imports")
        self.model = RowsModel(
            [
                Column("#", lambda b: str(b["id"])),
                Column("When", lambda b: b["created_at"][:16].replace("T", " ")),
                Column("File", lambda b: b["source"]),
                Column("Records", lambda b: b["kind"]),
                Column("Added", lambda b: str(b["created"])),
                Column(
                    "State",
                    lambda b: f"undone {b['undone_at'][:10]}" if b["undone_at"] else "in place",
                ),
            ]
        )
        self.view = row_table(self.model, "Past imports")
        self.undo_button = QPushButton("Undo this import…")
        self.undo_button.clicked.connect(self.undo)
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

    def undo(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            return
        batch = self.model.rows[index.row()]
        if (
            QMessageBox.question(
                self,
                "Undo import",
                f"Remove the {batch['created']} record(s) that import #{batch['id']} "
                f"({batch['source']}) added?",
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        runner = operations_for(self.db)
        try:
            importer.undo_batch(self.db, batch["id"])
        except DeskError as exc:
            if (
                QMessageBox.question(self, "Undo import", f"{exc}\n\nUndo it anyway?")
                != QMessageBox.StandardButton.Yes
            ):
                return
            forced = runner.run(
                self,
                lambda db: _forced(db, batch["id"]),
                title="Undo import",
            )
            if forced is None:
                return
        else:
            runner.announce(operations.load(self.db, operations.latest(self.db) or 0))
        self.refresh()
        self.undone.emit(batch["id"])


def _forced(db: Database, batch_id: int) -> Changes:
    importer.undo_batch(db, batch_id, force=True)
    return operations.load(db, operations.latest(db) or 0)
