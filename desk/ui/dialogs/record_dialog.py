"""Editing a record in a dialog: the rows under a detail (itinerary items, gifts, ...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain.kinds import KINDS
from desk.core.store import records
from desk.core.store.db import Database
from desk.core.store.operations import Changes
from desk.ui.ops import operations_for
from desk.ui.screen import fit
from desk.ui.widgets.form import RecordForm
from desk.ui.widgets.ref_picker import RefEditor

# Makes the panel of a record's linked records (widgets/links_panel.LinksPanel, which
# opens linked records in this dialog in its turn: given, not imported, so neither
# module imports the other).
LinksFactory = Callable[[Database, str], Any]


class RecordDialog(QDialog):
    """Create (record_id None) or edit one record. `preset` fields are fixed and hidden;
    `links` makes the panel of what links to an existing record."""

    def __init__(
        self,
        db: Database,
        kind_name: str,
        record_id: int | None = None,
        preset: dict[str, Any] | None = None,
        parent: QWidget | None = None,
        links: LinksFactory | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.spec = KINDS[kind_name]
        self.record_id = record_id
        self.preset = dict(preset or {})
        verb = "Edit" if record_id else "New"
        self.setWindowTitle(f"{verb} {self.spec.label.lower()}")
        layout = QVBoxLayout(self)
        self.form = RecordForm(db, kind_name, hidden=self.preset)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        layout.addWidget(scroll, 1)
        self.links = None
        if record_id and links is not None and KINDS[kind_name].links:
            self.links = links(db, kind_name)
            self.links.load(record_id)
            layout.addWidget(self.links, 1)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # Links ranked by closeness to this record also know what the dialog fixes
        # without showing it (the visit a new delegation member belongs to).
        for editor in self.form.editors.values():
            if isinstance(editor, RefEditor):
                editor.fixed = dict(self.preset)
        row = records.get(db, kind_name, record_id) if record_id else None
        self.form.load(row)
        if row is None:
            self._prefill()
        for editor in self.form.editors.values():
            editor.edited.connect(self._update_hint)
        self._update_hint()
        fit(self, 560, min(720, 140 + 44 * len(self.form.editors)))
        # Typing starts in the first field, not on a button or the scroll area.
        first = next(
            (e.focus_widget() for e in self.form.editors.values() if e.focus_widget().isEnabled()),
            None,
        )
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(first, QLineEdit) and first.text():
                # All of it selected, as focus does, but read from its beginning: a long
                # "What" opened showing only its last words.
                first.setSelection(len(first.text()), -len(first.text()))

    def _prefill(self) -> None:
        """Fill a new record's fields from where it is made (dialogs of kinds that can)."""

    def _update_hint(self) -> None:
        """A line under the form worked out from what is typed (dialogs that have one)."""
        self.hint.hide()

    def save(self) -> None:
        if not self.form.picked_all():
            return
        record_id = self.record_id
        if record_id is None:
            values = {**self.form.values(), **self.preset}

            def write(db: Database) -> Changes:
                return records.create(db, self.spec.name, values)
        else:
            values = self.form.changed_values()

            def write(db: Database) -> Changes:
                return records.update(db, self.spec.name, record_id, values)

        def saved(changes: Changes) -> None:
            self.record_id = changes.id

        done = operations_for(self.db).run(
            self, write, initiator=self, on_invalid=self.form.show_error, on_done=saved
        )
        if done is not None:
            self.accept()
