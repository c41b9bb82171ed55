"""Duplicates in the window: the pairs desk finds likely to be one record (`Duplicates
Dialog`), and two records side by side, field by field, merged into one (`MergeDialog`)
as one operation Edit > Undo takes back whole."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain.kinds import KINDS, Field
from desk.core.errors import DeskError
from desk.core.store import merge, records
from desk.core.store.db import Database
from desk.ui import tasks
from desk.ui.colors import tone
from desk.ui.models.rows import Column, RowsModel
from desk.ui.ops import operations_for
from desk.ui.screen import fit
from desk.ui.widgets.ref_picker import RefEditor
from desk.ui.widgets.views import row_table

# A value longer than this shows its start on its line and the whole in its tooltip.
_SHOWN = 90


def _line(text: str) -> str:
    """A value on one line of the grid: "(empty)" for none, long text cut short."""
    if not text:
        return "(empty)"
    first = " ".join(text.split())
    return first if len(first) <= _SHOWN else first[: _SHOWN - 1].rstrip() + "…"


def _muted(label: QLabel) -> QLabel:
    label.setStyleSheet(f"color: {tone('muted').name()};")
    return label


class MergeDialog(QDialog):
    """Two records of one kind side by side: for each field where they differ, the
    value to keep; Merge folds the second into the first. Opened with no second record
    (a page's "Merge with…"), it asks for one first."""

    def __init__(
        self,
        db: Database,
        kind_name: str,
        keep_id: int,
        other_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.kind = KINDS[kind_name]
        self.keep_id = keep_id
        self.other_id = other_id
        self.comparison: merge.Comparison | None = None
        self.merged: merge.Merged | None = None
        # Per differing field: its buttons (the kept record's value, the other's).
        self.radios: dict[str, tuple[QRadioButton, QRadioButton]] = {}
        self._groups: list[QButtonGroup] = []
        noun = self.kind.label.lower()
        self.setWindowTitle(f"Merge {self.kind.plural.lower()}")

        intro = QLabel(
            f"Everything linked to the {noun} merged away moves to the one kept, and it is "
            "deleted. Where the two differ, pick the value to keep. Edit > Undo takes the "
            "whole merge back."
        )
        intro.setWordWrap(True)
        self.keep_label = QLabel()
        self.keep_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.swap_button = QPushButton("Keep the other one")
        self.swap_button.setToolTip(f"Keep the second {noun} and merge the first into it")
        self.swap_button.clicked.connect(self.swap)
        self.picker = RefEditor(
            Field("merged_away", f"{self.kind.label} to merge into it", "ref", ref=self.kind.name),
            db,
        )
        self.picker.edited.connect(self._picked)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {tone('danger').name()};")
        self.problem.hide()

        pair_rows = QGridLayout()
        pair_rows.addWidget(QLabel("Keep"), 0, 0)
        pair_rows.addWidget(self.keep_label, 0, 1)
        pair_rows.addWidget(self.swap_button, 0, 2)
        pair_rows.addWidget(QLabel("Merge into it"), 1, 0)
        pair_rows.addWidget(self.picker, 1, 1, 1, 2)
        pair_rows.setColumnStretch(1, 1)

        self.fields_area = QScrollArea()
        self.fields_area.setWidgetResizable(True)
        self.fields_area.setFrameShape(QFrame.Shape.StyledPanel)
        self.moving = QLabel()
        self.moving.setWordWrap(True)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.merge_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.merge_button.setText("Merge")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(pair_rows)
        layout.addWidget(self.problem)
        layout.addWidget(self.fields_area, 1)
        layout.addWidget(self.moving)
        layout.addWidget(self.buttons)
        if other_id is not None:
            self.picker.set_value(other_id)
        self.refresh()
        fit(self, 860, 640)

    # -- the two records -------------------------------------------------------------
    def _picked(self) -> None:
        value = self.picker.value()
        self.other_id = int(value) if value is not None else None
        self.refresh()

    def swap(self) -> None:
        if self.other_id is None:
            return
        self.keep_id, self.other_id = self.other_id, self.keep_id
        self.picker.set_value(self.other_id)
        self.refresh()

    def refresh(self) -> None:
        """Compare the two records anew (after a pick or a swap)."""
        title = records.title_of(self.db, self.kind.name, self.keep_id)
        self.keep_label.setText(f"{title} (#{self.keep_id})")
        self.comparison = None
        self._say("")
        if self.other_id is not None:
            try:
                self.comparison = merge.compare(
                    self.db, self.kind.name, self.keep_id, self.other_id
                )
            except DeskError as exc:
                self._say(str(exc))
        self.swap_button.setEnabled(self.comparison is not None)
        self.merge_button.setEnabled(self.comparison is not None)
        self._fill_fields()
        self._fill_moving()

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _fill_fields(self) -> None:
        self.radios = {}
        self._groups = []
        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        compared = self.comparison
        if compared is None:
            grid.addWidget(
                _muted(QLabel(f"Pick the {self.kind.label.lower()} to merge into this one.")),
                0,
                0,
            )
            self.fields_area.setWidget(grid_widget)
            return
        grid.addWidget(_muted(QLabel("Field")), 0, 0)
        grid.addWidget(_muted(QLabel(f"Kept (#{compared.keep})")), 0, 1)
        grid.addWidget(_muted(QLabel(f"Merged away (#{compared.other})")), 0, 2)
        row = 1
        for choice in compared.fields:
            if not choice.keep_text and not choice.other_text:
                continue
            label = QLabel(choice.label)
            grid.addWidget(label, row, 0)
            if not choice.differs:
                same = QLabel(_line(choice.keep_text))
                same.setToolTip(choice.keep_text)
                grid.addWidget(same, row, 1, 1, 2)
            else:
                self._choice_row(grid, row, choice)
            row += 1
        grid.setRowStretch(row, 1)
        self.fields_area.setWidget(grid_widget)

    def _choice_row(self, grid: QGridLayout, row: int, choice: merge.Choice) -> None:
        group = QButtonGroup(self)
        buttons = []
        for column, text in ((1, choice.keep_text), (2, choice.other_text)):
            button = QRadioButton(_line(text))
            button.setToolTip(text)
            button.setAccessibleName(f"{choice.label}: {text or 'empty'}")
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            group.addButton(button, column)
            grid.addWidget(button, row, column)
            buttons.append(button)
        keep_button, other_button = buttons
        (other_button if choice.chosen == "other" else keep_button).setChecked(True)
        if choice.locked:
            other_button.setEnabled(False)
            other_button.setToolTip(f"Kept as it is: {choice.locked}")
        self._groups.append(group)
        self.radios[choice.name] = (keep_button, other_button)

    def _fill_moving(self) -> None:
        compared = self.comparison
        if compared is None:
            self.moving.clear()
            return
        parts = []
        for moving in compared.links:
            twice = (
                f", {moving.duplicates:,} already linked to #{compared.keep}: merged into those"
                if moving.duplicates
                else ""
            )
            parts.append(f"{moving.label} ({moving.count:,}{twice})")
        self.moving.setText(
            f"Moves to #{compared.keep}: {', '.join(parts)}."
            if parts
            else f"Nothing is linked to #{compared.other}."
        )

    # -- merging -----------------------------------------------------------------------
    def choices(self) -> dict[str, merge.Side]:
        """The side chosen for each field where the two differ."""
        return {
            name: "other" if other.isChecked() else "keep"
            for name, (_keep, other) in self.radios.items()
        }

    def choose(self, field: str, side: merge.Side) -> None:
        keep, other = self.radios[field]
        (other if side == "other" else keep).setChecked(True)

    def save(self) -> None:
        """Merge, as one operation; the dialog closes once it is done."""
        compared = self.comparison
        if compared is None:
            return
        kind, keep, other, chosen = self.kind.name, compared.keep, compared.other, self.choices()

        def write(db: Database) -> Any:
            self.merged = merge.merge(db, kind, keep, other, chosen)
            return self.merged.changes

        if operations_for(self.db).run(self, write, initiator=self, title="Cannot merge"):
            self.accept()


class DuplicatesDialog(QDialog):
    """The pairs of records desk finds likely to be one, each with why; Merge… opens
    the two side by side."""

    def __init__(self, db: Database, kind_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.found: merge.Suggestions | None = None
        self.setWindowTitle("Find duplicates")
        self.kinds = QComboBox()
        self.kinds.setAccessibleName("Kind of record")
        for spec in sorted(KINDS.values(), key=lambda s: s.page):
            if merge.mergeable(spec) and spec.imports is not None:
                self.kinds.addItem(spec.plural, spec.name)
        at = self.kinds.findData(kind_name)
        self.kinds.setCurrentIndex(max(at, 0))
        self.kinds.currentIndexChanged.connect(lambda _i: self.search())
        self.model = RowsModel(
            [
                Column("Keep", lambda p: f"{p.keep_title} (#{p.keep})"),
                Column("Merge into it", lambda p: f"{p.other_title} (#{p.other})"),
                Column("Why", lambda p: "; ".join(p.reasons)),
            ]
        )
        self.view = row_table(self.model, "Likely duplicates")
        self.view.activated.connect(lambda _index: self.open_pair())
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.notes = _muted(QLabel())
        self.notes.setWordWrap(True)
        self.merge_button = QPushButton("Merge…")
        self.merge_button.clicked.connect(self.open_pair)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        top = QHBoxLayout()
        top.addWidget(QLabel("Look among"))
        top.addWidget(self.kinds)
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.merge_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.notes)
        layout.addLayout(buttons)
        self._task: tasks.Task | None = None
        fit(self, 900, 520)
        self.search()

    @property
    def kind_name(self) -> str:
        return str(self.kinds.currentData())

    def search(self) -> None:
        """Look for pairs, away from the window when the file is on disk (a directory of
        100,000 takes seconds)."""
        kind = self.kind_name
        self.status.setText(f"Looking for duplicate {KINDS[kind].plural.lower()}…")
        self.model.set_rows([])
        self.merge_button.setEnabled(False)

        def job(database: Database, progress: Any) -> merge.Suggestions:
            return merge.suggest(database, kind, progress=progress)

        if self.db.file is None:
            self._show(merge.suggest(self.db, kind))
            return

        def failed(exc: BaseException) -> None:
            self._task = None
            if not isinstance(exc, tasks.Cancelled):
                self.status.setText(str(exc))

        def done(result: Any) -> None:
            self._task = None
            if kind == self.kind_name:
                self._show(result)

        self._task = tasks.run(
            self,
            "Finding duplicates",
            tasks.on_own_connection(self.db.file, job, like=self.db),
            done,
            failed,
        )

    def _show(self, found: merge.Suggestions) -> None:
        self.found = found
        self.model.set_rows(found.pairs)
        spec = KINDS[found.kind]
        many = len(found.pairs) + found.more
        self.status.setText(
            f"{many:,} likely duplicate{'' if many == 1 else 's'} among "
            f"{spec.count(found.checked)}."
            if many
            else f"No likely duplicates among {spec.count(found.checked)}."
        )
        self.notes.setText("\n".join(found.left_out))
        self.notes.setVisible(bool(found.left_out))
        self.merge_button.setEnabled(bool(found.pairs))
        if found.pairs:
            self.view.selectRow(0)
            self.view.resizeColumnsToContents()

    def open_pair(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            return
        pair: merge.Pair = self.model.rows[index.row()]
        dialog = MergeDialog(self.db, pair.kind, pair.keep, pair.other, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.comparison is None:
            return
        # The record merged away is in no pair any more; the others stand.
        gone = dialog.comparison.other
        left = [p for p in self.model.rows if gone not in (p.keep, p.other)]
        self.model.set_rows(left)
        self.merge_button.setEnabled(bool(left))
        if left:
            self.view.selectRow(min(index.row(), len(left) - 1))
