"""Edit a playbook's steps (what, how many days before or after the visit's start or
end, who does it), keep it as the office's own file, and apply it to a visit.

Also the window's part in moving a visit: `follow_dates` moves the visit's playbook
follow-ups with its new dates, asking first about those done or changed by hand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain.dates import short_date
from desk.core.errors import DeskError
from desk.core.features import playbooks
from desk.core.features.playbooks import Playbook, PlaybookError, Step
from desk.core.store import records
from desk.core.store.db import Database
from desk.core.store.operations import Changes
from desk.ui import ops
from desk.ui.ops import operations_for
from desk.ui.screen import fit
from desk.ui.widgets.form import error_style

Index = QModelIndex | QPersistentModelIndex

TITLE, DAYS, SIDE, ANCHOR, WHO, DUE = range(6)
_HEADERS = ("Step", "Days", "Before or after", "From", "Who does it", "Due for this visit")
_SIDES = (("before", "before"), ("after", "after"))
_ANCHORS = (("start", "the start"), ("end", "the end"))
_FIELD_COLUMNS = {
    "title": TITLE,
    "days": DAYS,
    "before": SIDE,
    "after": SIDE,
    "who": WHO,
    "key": TITLE,
}


class StepsModel(QAbstractTableModel):
    """A playbook's steps as a table to edit in place; `changed` on every edit."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.steps: list[Step] = []
        self.visit_span: playbooks.Span | None = None
        # Steps already among the visit's follow-ups: key -> (due date, done on).
        self.on_visit: dict[str, tuple[str | None, str | None]] = {}
        self.today = dt.date.today()

    def load(
        self,
        steps: list[Step],
        span: playbooks.Span | None = None,
        on_visit: dict[str, tuple[str | None, str | None]] | None = None,
    ) -> None:
        self.beginResetModel()
        self.steps = list(steps)
        self.visit_span = span
        self.on_visit = on_visit or {}
        self.today = dt.date.today()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.steps)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else (len(_HEADERS) if self.visit_span else DUE)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _HEADERS[section] if 0 <= section < len(_HEADERS) else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        found = super().flags(index)
        if index.isValid() and index.column() != DUE:
            found |= Qt.ItemFlag.ItemIsEditable
        return found

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.steps):
            return None
        step = self.steps[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.EditRole:
            return {
                TITLE: step.title,
                DAYS: step.days,
                SIDE: "after" if step.after else "before",
                ANCHOR: step.anchor,
                WHO: step.who,
            }.get(column)
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                TITLE: step.title,
                DAYS: str(step.days),
                SIDE: "after" if step.after else "before",
                ANCHOR: dict(_ANCHORS)[step.anchor],
                WHO: step.who,
                DUE: self._due(step),
            }.get(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == TITLE:
                return f"{step.title}\n{step.when()}; key: {step.key}"
            if column == DUE:
                return self._due(step)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == DAYS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _due(self, step: Step) -> str:
        if self.visit_span is None:
            return ""
        day = step.day(self.visit_span.start, self.visit_span.end)
        if step.key in self.on_visit:
            due, done = self.on_visit[step.key]
            if done:
                return f"done {short_date(done)}"
            return f"{short_date(due)} (on the visit)" if due else "on the visit"
        if day < self.today:
            return f"today ({short_date(day)} has passed)"
        return short_date(day)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        step = self.steps[index.row()]
        column = index.column()
        if column == TITLE:
            title = " ".join(str(value).split())
            changed = dataclasses.replace(step, title=title)
        elif column == DAYS:
            try:
                days = int(value)
            except (TypeError, ValueError):
                return False
            changed = dataclasses.replace(step, days=max(0, min(days, playbooks.MAX_DAYS)))
        elif column == SIDE:
            changed = dataclasses.replace(step, after=value == "after")
        elif column == ANCHOR:
            if value not in dict(_ANCHORS):
                return False
            changed = dataclasses.replace(step, anchor=str(value))
        elif column == WHO:
            changed = dataclasses.replace(step, who=" ".join(str(value).split()))
        else:
            return False
        if changed == step:
            return False
        self.steps[index.row()] = changed
        last = self.columnCount() - 1
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), last))
        self.changed.emit()
        return True

    def set_notes(self, row: int, notes: str) -> None:
        if 0 <= row < len(self.steps) and self.steps[row].notes != notes:
            self.steps[row] = dataclasses.replace(self.steps[row], notes=notes)
            self.changed.emit()

    def add(self, row: int) -> int:
        """A new step below `row` (at the end when none), a week before the start."""
        at = len(self.steps) if row < 0 else row + 1
        key = playbooks.new_key("new step", (s.key for s in self.steps))
        self.beginInsertRows(QModelIndex(), at, at)
        self.steps.insert(at, Step(key=key, title="New step", days=7))
        self.endInsertRows()
        self.changed.emit()
        return at

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.steps):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.steps[row]
            self.endRemoveRows()
            self.changed.emit()

    def move(self, row: int, by: int) -> int:
        to = row + by
        if not (0 <= row < len(self.steps) and 0 <= to < len(self.steps)):
            return row
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), to + (1 if by > 0 else 0))
        self.steps[row], self.steps[to] = self.steps[to], self.steps[row]
        self.endMoveRows()
        self.changed.emit()
        return to


class _StepEditors(QStyledItemDelegate):
    """A spin box for the days and choices for before/after and start/end."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        column = index.column()
        if column == DAYS:
            box = QSpinBox(parent)
            box.setRange(0, playbooks.MAX_DAYS)
            return box
        if column in (SIDE, ANCHOR):
            combo = QComboBox(parent)
            for value, label in _SIDES if column == SIDE else _ANCHORS:
                combo.addItem(label, value)
            return combo
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QSpinBox):
            editor.setValue(int(value or 0))
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if isinstance(editor, QSpinBox):
            model.setData(index, editor.value())
        elif isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
        else:
            super().setModelData(editor, model, index)


class PlaybookDialog(QDialog):
    """The office's playbooks, one at a time: its steps to edit, Save to keep them as the
    office's file, and, opened from a visit, Apply to make that visit's follow-ups."""

    def __init__(
        self,
        db: Database,
        parent: QWidget | None = None,
        *,
        visit_id: int | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.visit_id = visit_id
        self.dirty = False
        self._loading = False
        self.library = playbooks.load()
        self.playbook: Playbook = self.library.playbooks[0]
        visit = records.get(db, "visit", visit_id) if visit_id is not None else None
        self.setWindowTitle(
            f"Playbook for {visit['title']}[*]" if visit is not None else "Playbooks for visits[*]"
        )

        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Playbook")
        self.chooser.currentIndexChanged.connect(self._chosen)
        self.source_label = QLabel()
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Playbook title")
        self.title_edit.textEdited.connect(lambda _text: self._mark_dirty())
        self.fit_label = QLabel()
        self.fit_label.setWordWrap(True)

        self.model = StepsModel()
        self.model.changed.connect(self._mark_dirty)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Steps")
        self.table.setItemDelegate(_StepEditors(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

        self.add_button = QPushButton("Add step")
        self.add_button.clicked.connect(self.add_step)
        self.remove_button = QPushButton("Remove step")
        self.remove_button.clicked.connect(self.remove_step)
        self.up_button = QPushButton("Move up")
        self.up_button.clicked.connect(lambda: self.move_step(-1))
        self.down_button = QPushButton("Move down")
        self.down_button.clicked.connect(lambda: self.move_step(1))
        step_buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            step_buttons.addWidget(button)
        step_buttons.addStretch(1)

        self.notes_label = QLabel("Notes on this step:")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setAccessibleName("Notes on this step")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(self.notes_edit.fontMetrics().lineSpacing() * 3 + 14)
        self.notes_edit.textChanged.connect(self._notes_edited)
        self.notes_label.setBuddy(self.notes_edit)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.forget_button = QPushButton("Use desk's…")
        self.forget_button.clicked.connect(self.forget)
        self.copy_button = QPushButton("Save as new…")
        self.copy_button.clicked.connect(self.save_as_new)
        self.apply_button = QPushButton("Apply to this visit")
        self.apply_button.setVisible(visit_id is not None)
        self.apply_button.clicked.connect(self.apply_to_visit)
        self.save_button = QPushButton("Save")
        self.save_button.setToolTip("Keep this playbook as the office's own file")
        self.save_button.clicked.connect(self.save)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.forget_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)

        top = QHBoxLayout()
        chooser_label = QLabel("&Playbook:")
        chooser_label.setBuddy(self.chooser)
        top.addWidget(chooser_label)
        top.addWidget(self.chooser, 1)
        top.addWidget(self.source_label)
        title_row = QHBoxLayout()
        title_label = QLabel("&Title:")
        title_label.setBuddy(self.title_edit)
        title_row.addWidget(title_label)
        title_row.addWidget(self.title_edit, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(title_row)
        layout.addWidget(self.fit_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(step_buttons)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.notes_edit)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        first = self._first_choice(visit, name)
        self._fill_chooser(first)
        fit(self, 1040, 640)

    # -- which playbook ----------------------------------------------------------------------

    def _first_choice(self, visit: dict[str, Any] | None, name: str | None) -> str:
        try:
            if name:
                return self.library.get(name).name
            if visit is not None:
                return self.library.for_visit(visit).name
        except DeskError:
            pass
        return self.library.playbooks[0].name

    def _fill_chooser(self, name: str) -> None:
        self._loading = True
        self.chooser.clear()
        for playbook in self.library.playbooks:
            self.chooser.addItem(playbook.title, playbook.name)
        self.chooser.setCurrentIndex(max(0, self.chooser.findData(name)))
        self._loading = False
        self._show(self.library.get(str(self.chooser.currentData())))
        if self.library.problems:
            self._say(
                "Not read: " + " ".join(self.library.problems) + " desk's own serves meanwhile.",
                error=True,
            )

    def _chosen(self, _index: int) -> None:
        if self._loading:
            return
        wanted = str(self.chooser.currentData())
        if wanted == self.playbook.name:
            return
        if not self._settle():
            self._loading = True
            self.chooser.setCurrentIndex(self.chooser.findData(self.playbook.name))
            self._loading = False
            return
        self._show(self.library.get(wanted))

    def _show(self, playbook: Playbook) -> None:
        self._loading = True
        self.playbook = playbook
        self.title_edit.setText(playbook.title)
        self.source_label.setText(playbook.source[:1].upper() + playbook.source[1:])
        fit_text = f"For {playbook.fit_words()}."
        if playbook.description:
            fit_text += " " + playbook.description
        self.fit_label.setText(fit_text)
        self._load_steps(list(playbook.steps))
        if playbook.steps:
            self.table.selectRow(0)
        self._row_changed(self.table.currentIndex(), QModelIndex())
        self.forget_button.setVisible(playbook.office)
        self.forget_button.setText("Use desk's…" if playbook.overrides else "Remove…")
        self._loading = False
        self._set_dirty(False)

    def _load_steps(self, steps: list[Step]) -> None:
        """The steps into the table, with their days for the visit, if there is one."""
        span = None
        on_visit: dict[str, tuple[str | None, str | None]] = {}
        if self.visit_id is not None:
            span = playbooks.span(records.get(self.db, "visit", self.visit_id))
            on_visit = {
                str(key): (due, done)
                for key, due, done in self.db.execute(
                    "SELECT playbook_step, due_date, done_on FROM follow_ups "
                    "WHERE visit_id = ? AND playbook_step IS NOT NULL ORDER BY id DESC",
                    (self.visit_id,),
                )
            }
        self.model.load(steps, span, on_visit)
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            header.setSectionResizeMode(
                column,
                QHeaderView.ResizeMode.Stretch
                if column == TITLE
                else QHeaderView.ResizeMode.ResizeToContents,
            )

    # -- editing -----------------------------------------------------------------------------

    def _row_changed(self, current: Index, _previous: Index) -> None:
        row = current.row() if current.isValid() else -1
        has = 0 <= row < len(self.model.steps)
        was_loading = self._loading
        self._loading = True
        self.notes_edit.setPlainText(self.model.steps[row].notes if has else "")
        self._loading = was_loading
        self.notes_edit.setEnabled(has)
        self.remove_button.setEnabled(has)
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < len(self.model.steps) - 1)

    def _notes_edited(self) -> None:
        if self._loading:
            return
        self.model.set_notes(self.table.currentIndex().row(), self.notes_edit.toPlainText())

    def _mark_dirty(self) -> None:
        if not self._loading:
            self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        self.dirty = dirty
        self.save_button.setEnabled(dirty)
        self.setWindowModified(dirty)

    def add_step(self) -> None:
        row = self.model.add(self.table.currentIndex().row())
        self.table.selectRow(row)
        self.table.setFocus()
        self.table.edit(self.model.index(row, TITLE))

    def remove_step(self) -> None:
        row = self.table.currentIndex().row()
        self.model.remove(row)
        if self.model.steps:
            self.table.selectRow(min(row, len(self.model.steps) - 1))
        self._row_changed(self.table.currentIndex(), QModelIndex())

    def move_step(self, by: int) -> None:
        row = self.model.move(self.table.currentIndex().row(), by)
        self.table.selectRow(row)
        self._row_changed(self.table.currentIndex(), QModelIndex())

    def edited(self) -> Playbook:
        """The playbook as it stands in the dialog, checked (PlaybookError if it cannot
        be kept: the step and field are shown and selected)."""
        steps = []
        taken = {s.key for s in self.model.steps}
        for step in self.model.steps:
            # A step added here takes its key from its title, once it has one.
            if step.key.startswith("new-step") and step.title != "New step":
                taken.discard(step.key)
                step = dataclasses.replace(step, key=playbooks.new_key(step.title, taken))
                taken.add(step.key)
            steps.append(step)
        self.model.steps = steps
        candidate = dataclasses.replace(
            self.playbook, title=" ".join(self.title_edit.text().split()), steps=tuple(steps)
        )
        try:
            return playbooks.check(candidate)
        except PlaybookError as error:
            self._show_fault(error)
            raise

    def _show_fault(self, error: PlaybookError) -> None:
        # The message names the playbook's own file, which the office may not have yet.
        text = str(error).split(": ", 1)[-1]
        self._say(text[:1].upper() + text[1:], error=True)
        if error.step is not None:
            column = _FIELD_COLUMNS.get(error.field or "", TITLE)
            index = self.model.index(error.step - 1, column)
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)
            self.table.setFocus()
        elif error.field == "title" or "'title'" in text:
            self.title_edit.setFocus()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(error_style() if error else "")
        self.message.setText(text)

    # -- keeping it ----------------------------------------------------------------------------

    def save(self) -> bool:
        try:
            kept = playbooks.save(self.edited())
        except PlaybookError:
            return False
        except DeskError as error:
            self._say(str(error), error=True)
            return False
        self._reload(kept.name)
        self._say(f"Saved as the office's playbook: {kept.path}")
        return True

    def save_as_new(self) -> None:
        try:
            current = self.edited()
        except PlaybookError:
            return
        title, ok = QInputDialog.getText(
            self, "Save as a new playbook", "Title of the new playbook:", text=current.title
        )
        title = " ".join(title.split())
        if not ok or not title:
            return
        name = playbooks.new_key(title, self.library.names())
        try:
            kept = playbooks.save(dataclasses.replace(current, name=name, title=title))
        except DeskError as error:
            self._say(str(error), error=True)
            return
        self._reload(kept.name)
        self._say(f"Saved as the office's new playbook {kept.title!r}: {kept.path}")

    def forget(self) -> None:
        playbook = self.playbook
        if not playbook.office:
            return
        if playbook.overrides:
            question = f"Go back to desk's playbook “{playbook.title}”?"
            detail = "The office's own version of it is removed; desk's steps serve again."
            action = "Use desk's"
        else:
            question = f"Remove the office's playbook “{playbook.title}”?"
            detail = "Its file is removed. Follow-ups already made from it stay."
            action = "Remove"
        if not ops.ask_destructive(self, "Playbook", question, detail, action):
            return
        try:
            playbooks.forget(playbook.name)
        except DeskError as error:
            self._say(str(error), error=True)
            return
        self._reload(playbook.name if playbook.overrides else None)
        self._say(f"Removed {playbook.path}.")

    def _reload(self, name: str | None) -> None:
        self.library = playbooks.load()
        names = self.library.names()
        self._fill_chooser(name if name in names else names[0])

    def _settle(self) -> bool:
        """Unsaved edits: save them, throw them away, or stay (False)."""
        if not self.dirty:
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"Save the changes to the playbook “{self.playbook.title}”?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._settle():
            self._set_dirty(False)
            event.accept()
        else:
            event.ignore()

    def reject(self) -> None:
        # Escape asks about unsaved edits as Close does.
        if self._settle():
            self._set_dirty(False)
            super().reject()

    # -- the visit -----------------------------------------------------------------------------

    def apply_to_visit(self) -> None:
        if self.visit_id is None:
            return
        try:
            playbook = self.edited()
        except PlaybookError:
            return
        visit = records.get(self.db, "visit", self.visit_id)
        problem = playbooks.refusal(visit)
        if problem is not None:
            self._say(problem, error=True)
            return
        visit_id = self.visit_id
        done: dict[str, playbooks.Applied] = {}

        def write(db: Database) -> Changes:
            done["applied"] = playbooks.apply(db, visit_id, playbook)
            return done["applied"].changes or Changes()

        operations_for(self.db).run(self, write, initiator=self, title="Playbook not applied")
        applied = done.get("applied")
        if applied is None:
            return
        lines = applied.lines()
        if self.dirty:
            lines.append("The changes to the playbook itself are not saved yet.")
        self._say(" ".join(lines))
        row = self.table.currentIndex().row()
        self._load_steps(self.model.steps)
        if self.model.steps:
            self.table.selectRow(max(0, row))


def follow_dates(parent: QWidget | None, db: Database, changes: Changes) -> str | None:
    """After the window saved a visit: if its dates moved, its playbook steps move with
    them (asking first about those done or changed by hand); returns what was done, in
    words, for the status bar, or None when nothing followed."""
    found = playbooks.after_edit(db, changes, dry_run=True)
    if found is None:
        return None
    move_edited = False
    question = found.question()
    if question is not None:
        answer = QMessageBox.question(
            parent,
            "Move the playbook's steps?",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        move_edited = answer == QMessageBox.StandardButton.Yes
    if not found.moving and not move_edited:
        return " ".join(found.lines(done=False)[-1:])
    visit_id = found.visit_id
    result: dict[str, playbooks.Following] = {}

    def write(db: Database) -> Changes:
        result["followed"] = playbooks.follow_visit(db, visit_id, move_edited=move_edited)
        return result["followed"].changes or Changes()

    operations_for(db).run(parent, write, title="Steps not moved")
    followed = result.get("followed")
    return " ".join(followed.lines()) if followed is not None else None
