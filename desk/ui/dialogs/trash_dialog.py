"""The trash: records deleted on their own, restorable with everything that went with
them until the trash is emptied."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain.dates import short_moment
from desk.core.store import undo
from desk.core.store.db import Database
from desk.ui import ops
from desk.ui.models.rows import Column, RowsModel
from desk.ui.ops import operations_for
from desk.ui.screen import fit
from desk.ui.widgets.views import row_table


def _with(entry: undo.TrashEntry) -> str:
    if not entry.linked:
        return ""
    return f"{entry.linked} linked record{'s' if entry.linked != 1 else ''}"


class TrashDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Trash")
        self.model = RowsModel(
            [
                Column("Deleted", lambda e: short_moment(e.deleted_at)),
                Column("Kind", lambda e: e.label),
                Column("Name", lambda e: e.title),
                Column("Went with it", _with),
            ]
        )
        self.view = row_table(self.model, "Deleted records")
        self.view.activated.connect(lambda _index: self.restore())
        self.note = QLabel(
            "Deleted records stay here, with everything that went with them, until you "
            "empty the trash."
        )
        self.note.setWordWrap(True)
        self.restore_button = QPushButton("Restore")
        self.restore_button.clicked.connect(self.restore)
        self.empty_button = QPushButton("Empty trash…")
        self.empty_button.clicked.connect(self.empty)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.empty_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.refresh()
        fit(self, 680, 380)

    def refresh(self) -> None:
        self.model.set_rows(undo.trash(self.db))
        has_entries = self.model.rowCount() > 0
        self.restore_button.setEnabled(has_entries)
        self.empty_button.setEnabled(has_entries)
        if has_entries:
            self.view.selectRow(0)
            self.view.resizeColumnsToContents()

    def restore(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            return
        entry: undo.TrashEntry = self.model.rows[index.row()]
        operations_for(self.db).run(
            self, lambda db: undo.restore(db, entry.op_id), title="Cannot restore"
        )
        self.refresh()

    def empty(self) -> None:
        count = self.model.rowCount()
        if ops.ask_destructive(
            self,
            "Empty trash",
            f"Remove the {count} deleted record{'s' if count != 1 else ''} for good?",
            "They can no longer be restored, nor their files opened.",
            "Empty Trash",
        ):
            undo.empty_trash(self.db)
            self.refresh()
