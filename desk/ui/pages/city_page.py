"""Our own city: the profile the survey's capacity section and the packets read."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from desk.core.store import records
from desk.core.store.db import Database
from desk.core.store.operations import Changes
from desk.ui.leave import confirm_leave as ask_to_leave
from desk.ui.ops import operations_for
from desk.ui.widgets.form import RecordForm


class CityPage(QWidget):
    kind = "city"

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.form = RecordForm(db, "city")
        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.save_button = QPushButton("Save")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("Revert")
        self.revert_button.clicked.connect(self.revert)
        self.form.dirty_changed.connect(self._dirty_changed)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.save_button)
        top.addWidget(self.revert_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self.refresh()

    @property
    def dirty(self) -> bool:
        """Whether the form holds changes not saved (as every record page says it)."""
        return self.form.dirty

    def record_id(self) -> int | None:
        row = self.db.execute("SELECT id FROM city_profile LIMIT 1").fetchone()
        return row[0] if row else None

    def refresh(self) -> None:
        if self.form.dirty:
            return
        record_id = self.record_id()
        self.form.load(records.get(self.db, "city", record_id) if record_id else None)
        self.heading.setText(
            "Our city"
            if record_id
            else "Set up our city: name, home time zone, staffing and budget."
        )
        self._update_buttons()

    def save(self) -> bool:
        record_id = self.record_id()
        if record_id is None:
            values = self.form.values()

            def write(db: Database) -> Changes:
                return records.create(db, "city", values)
        else:
            values = self.form.changed_values()

            def write(db: Database) -> Changes:
                return records.update(db, "city", record_id, values)

        done = operations_for(self.db).run(
            self,
            write,
            initiator=self,
            on_invalid=self.form.show_error,
            on_done=lambda _changes: self.form.mark_clean(),
        )
        return done is not None

    def _update_buttons(self) -> None:
        dirty = self.form.dirty
        self.save_button.setEnabled(not self.form.locked and (dirty or self.record_id() is None))
        self.revert_button.setEnabled(dirty)

    def _dirty_changed(self, dirty: bool) -> None:
        self._update_buttons()
        window = self.window()
        if window is not None:
            window.setWindowModified(dirty)

    def revert(self) -> None:
        self.form.mark_clean()
        self.refresh()

    def confirm_leave(self) -> bool:
        return ask_to_leave(self, self.form, "our city's profile", self.save)
