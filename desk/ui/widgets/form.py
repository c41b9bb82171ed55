"""The editor of one record, built from its kind's field list, with each error shown
under the field at fault."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from desk.core.domain.kinds import KINDS
from desk.core.domain.validate import clean
from desk.core.errors import ValidationError
from desk.core.store.db import Database
from desk.ui.colors import tone
from desk.ui.widgets.editors import Editor
from desk.ui.widgets.field_editors import make_editor


def error_style() -> str:
    """Red that reads on a light or a dark background."""
    return f"color: {tone('danger').name()};"


class RecordForm(QWidget):
    dirty_changed = Signal(bool)

    def __init__(
        self,
        db: Database,
        kind_name: str,
        *,
        hidden: Iterable[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.spec = KINDS[kind_name]
        self.hidden = set(hidden)
        self.editors: dict[str, Editor] = {}
        # A database open read-only: nothing typed could be saved, so nothing is typed.
        self.locked = db.read_only is not None
        self.errors: dict[str, QLabel] = {}
        self._dirty = False
        self._loaded: dict[str, Any] = {}
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # In a narrow pane a long label goes above its field rather than push the form
        # wider than the pane.
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.record_error = QLabel()
        self.record_error.setStyleSheet(error_style())
        self.record_error.setWordWrap(True)
        self.record_error.hide()
        layout.addRow(self.record_error)
        for spec in self.spec.fields:
            if spec.name in self.hidden:
                continue
            if spec.section:
                heading = QLabel(spec.section)
                font = QFont(heading.font())
                font.setBold(True)
                heading.setFont(font)
                heading.setContentsMargins(0, 10 if self.editors else 0, 0, 2)
                layout.addRow(heading)
            editor = make_editor(spec, db, self)
            editor.edited.connect(self._edited)
            error = QLabel()
            error.setStyleSheet(error_style())
            error.setWordWrap(True)
            # A long message wraps within the field's width rather than widen the form
            # past the pane (and hide its own end behind a scroll bar).
            error.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            error.hide()
            holder = QWidget()
            stack = QVBoxLayout(holder)
            stack.setContentsMargins(0, 0, 0, 0)
            stack.setSpacing(2)
            stack.addWidget(editor)
            stack.addWidget(error)
            label = QLabel(spec.label + ("*" if spec.required else ""))
            label.setBuddy(editor.focus_widget())
            if spec.help:
                label.setToolTip(spec.help)
                editor.setToolTip(spec.help)
            layout.addRow(label, holder)
            self.editors[spec.name] = editor
            self.errors[spec.name] = error
        if self.locked:
            self.set_read_only(self.editors)

    # -- state -------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self._dirty

    def _edited(self) -> None:
        self.clear_errors()
        if not self._dirty:
            self._dirty = True
            self.dirty_changed.emit(True)

    def mark_clean(self) -> None:
        if self._dirty:
            self._dirty = False
            self.dirty_changed.emit(False)

    def load(self, row: dict[str, Any] | None) -> None:
        """Show a stored record (or the defaults of a new one)."""
        self.clear_errors()
        self._loaded = dict(row or {})
        for name, editor in self.editors.items():
            value = self._loaded.get(name) if row else self.spec.field_map[name].default
            editor.set_value(value, self._loaded)
        # A new record gives its locked fields a first value (a partnership's first
        # status); a stored one changes them only through their own operation.
        locked = [name for name in self.editors if self.spec.field_map[name].locked]
        if locked:
            self.set_read_only(locked, row is not None)
        self.mark_clean()

    def values(self) -> dict[str, Any]:
        """What the person typed, field by field, for the core to validate."""
        return {name: editor.value() for name, editor in self.editors.items()}

    def changed_values(self) -> dict[str, Any]:
        """Only the fields that differ from the loaded record (what an update sends)."""
        typed = self.values()
        if not self._loaded:
            return typed
        # Compared in stored form, so an untouched date or amount is not a change.
        context = {**self._loaded, **typed}
        changed = {}
        for name, value in typed.items():
            try:
                same = clean(self.spec.field_map[name], value, context) == self._loaded.get(name)
            except ValidationError:
                same = False
            if not same:
                changed[name] = value
        return changed

    def set_read_only(self, names: Iterable[str], read_only: bool = True) -> None:
        for name in names:
            if name in self.editors:
                self.editors[name].set_read_only(read_only or self.locked)

    # -- errors ------------------------------------------------------------------------
    def clear_errors(self) -> None:
        self.record_error.hide()
        for label in self.errors.values():
            label.hide()

    def picked_all(self) -> bool:
        """Whether every link typed into was picked; the first that was not says so
        under itself, rather than being saved as it was before the typing."""
        from desk.ui.widgets.ref_picker import RefEditor

        for name, editor in self.editors.items():
            problem = editor.problem() if isinstance(editor, RefEditor) else None
            if problem:
                self.show_error(ValidationError(problem, name))
                return False
        return True

    def show_error(self, error: ValidationError) -> None:
        self.clear_errors()
        target = self.errors.get(error.field or "")
        # The field's own name ('start_date') is for the command line; beside the field
        # its label says which it is.
        said = error.bare_message.replace(f" ({error.field})", "", 1)
        if target is None:
            self.record_error.setText(said)
            self.record_error.show()
            return
        target.setText(said)
        target.show()
        self.editors[error.field or ""].focus_widget().setFocus()

    def error_text(self, field: str) -> str:
        label = self.errors.get(field)
        return label.text() if label is not None and not label.isHidden() else ""
