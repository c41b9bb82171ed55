"""Our own city: the profile the survey's capacity section and the packets read."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from desk.core import records
from desk.core.db import Database
from desk.core.errors import DeskError, ValidationError
from desk.ui.widgets.form import RecordForm


class CityPage(QWidget):
    changed = Signal(set)
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
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self.refresh()

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

    def save(self) -> bool:
        record_id = self.record_id()
        try:
            if record_id is None:
                records.create(self.db, "city", self.form.values())
            else:
                records.update(self.db, "city", record_id, self.form.changed_values())
        except ValidationError as exc:
            self.form.show_error(exc)
            return False
        except DeskError as exc:
            self.heading.setText(str(exc))
            return False
        self.form.mark_clean()
        self.changed.emit({"city"})
        return True

    def confirm_leave(self) -> bool:
        return not self.form.dirty or self.save()
