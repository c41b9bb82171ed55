"""Adding several linked records at once: a visit's delegation members, a partnership's
contacts, an office's holders. One dialog lists the people closest to the record first
(as every link field does), ticked or typed one after another, each with its side and
role; they are added in one operation, so one Undo takes them all back."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain.kinds import KINDS, SELF, Field, Link
from desk.core.domain.vocab import SIDES
from desk.core.errors import ValidationError
from desk.core.features import pick, sides
from desk.core.store import records
from desk.core.store.db import Database
from desk.core.store.operations import Changes
from desk.ui.colors import tone
from desk.ui.ops import operations_for
from desk.ui.screen import fit
from desk.ui.wheel import guard_wheel
from desk.ui.widgets.ref_picker import choice_row
from desk.ui.widgets.typeahead import (
    ASK_AFTER_MS,
    RowDelegate,
    row_data,
    row_detail,
    row_key,
    row_text,
    row_title,
    set_why,
)


def several_of(link: Link) -> Field | None:
    """The field a link's records point at besides their owner (a delegation member's
    contact), when the link lists records that only tie the two together: what the
    dialog adds several of. None for links that list records of their own."""
    spec = KINDS[link.kind]
    if link.opens == SELF:
        return None
    others = [f for f in spec.fields if f.ref and f.name != link.via]
    if len(others) != 1 or not link.columns or link.columns[0] != others[0].name:
        return None
    return others[0]


def _settings(link: Link, target: Field) -> list[Field]:
    """What each added record is given beside the link: the choices and short texts the
    link's list shows (a member's side and role)."""
    spec = KINDS[link.kind]
    kept = {f.keeps_name for f in spec.fields if f.keeps_name}
    return [
        spec.field_map[name]
        for name in link.columns
        if name in spec.field_map
        and name not in (target.name, link.via)
        and name not in kept
        and spec.field_map[name].type in ("enum", "text")
    ]


class _Setting(QWidget):
    """One setting of one chosen record: a choice or a short text."""

    def __init__(self, field: Field, value: Any) -> None:
        super().__init__()
        self.field = field
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo: QComboBox | None = None
        self.line: QLineEdit | None = None
        if field.vocab is not None:
            self.combo = QComboBox()
            self.combo.setAccessibleName(field.label)
            for code, label in field.vocab.items():
                self.combo.addItem(label, code)
            self.combo.setCurrentIndex(max(0, self.combo.findData(value)))
            layout.addWidget(self.combo)
        else:
            self.line = QLineEdit("" if value is None else str(value))
            self.line.setAccessibleName(field.label)
            layout.addWidget(self.line)

    def value(self) -> Any:
        if self.combo is not None:
            return self.combo.currentData()
        assert self.line is not None
        return self.line.text().strip() or None

    def set_value(self, value: Any) -> None:
        if self.combo is not None:
            self.combo.setCurrentIndex(max(0, self.combo.findData(value)))
        elif self.line is not None:
            self.line.setText("" if value is None else str(value))


class _SearchLine(QLineEdit):
    """Up and Down move in the list under it; Enter ticks the highlighted row."""

    def __init__(self, dialog: AddSeveralDialog) -> None:
        super().__init__()
        self.dialog = dialog

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        found = self.dialog.found
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and found.count():
            step = 1 if key == Qt.Key.Key_Down else -1
            found.setCurrentRow(max(0, min(found.count() - 1, found.currentRow() + step)))
            return
        if key in (Qt.Key.Key_Enter, Qt.Key.Key_Return) and self.text().strip():
            self.dialog.tick_current()
            return
        super().keyPressEvent(event)


class AddSeveralDialog(QDialog):
    def __init__(
        self, db: Database, link: Link, owner_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        target = several_of(link)
        assert target is not None and target.ref is not None
        self.db = db
        self.link = link
        self.owner_id = owner_id
        self.spec = KINDS[link.kind]
        self.target = target
        self.target_kind = KINDS[target.ref]
        self.settings = _settings(link, target)
        owner_kind = self.spec.field_map[link.via].ref or ""
        owner = records.title_of(db, owner_kind, owner_id) or KINDS[owner_kind].label
        self.setWindowTitle(f"Add to {link.label.lower()}: {owner}")
        self.picker = pick.Picker(
            db, target.ref, pick.AtHand(self.spec.name, {link.via: owner_id}, target.name)
        )
        self.already = {
            r[0]
            for r in db.execute(
                f"SELECT {target.name} FROM {self.spec.table} WHERE {link.via} = ? "
                f"AND {target.name} IS NOT NULL",
                (owner_id,),
            )
        }
        # Chosen so far, in the order chosen: a record's id, or a name typed for one
        # that is not a record (where the link keeps a name).
        self.chosen: list[tuple[int | str, str, list[_Setting], list[QWidget]]] = []

        self.search = _SearchLine(self)
        self.search.setAccessibleName(f"Find {self.target_kind.plural.lower()}")
        self.search.setPlaceholderText("Type a name; Enter ticks the highlighted one")
        self.found = QListWidget()
        self.found.setAccessibleName(f"{self.target_kind.plural} to add")
        self.found.setItemDelegate(RowDelegate(self.found))
        self.found.setUniformItemSizes(True)
        # Each row fits the list's width (its detail cut short), never a sideways scroll
        # that hides where a person works and why they cannot be ticked.
        self.found.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.found.itemChanged.connect(self._ticked)
        self.found.itemActivated.connect(self._activated)
        self.by_name = QPushButton()
        self.by_name.hide()
        self.by_name.clicked.connect(self._add_by_name)

        self.defaults: list[_Setting] = [_Setting(f, f.default) for f in self.settings]
        default_row = QHBoxLayout()
        if self.defaults:
            default_row.addWidget(QLabel("Those ticked next:"))
            for setting in self.defaults:
                default_row.addWidget(QLabel(setting.field.label))
                default_row.addWidget(setting, 1)

        self.grid_holder = QWidget()
        self.grid = QGridLayout(self.grid_holder)
        self.grid.setContentsMargins(4, 4, 4, 4)
        for column, field in enumerate(self.settings, start=1):
            heading = QLabel(field.label)
            heading.setStyleSheet("font-weight: bold;")
            self.grid.addWidget(heading, 0, column)
        self.grid.setColumnStretch(0, 1)
        self.grid.setRowStretch(999, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_holder)
        self.chosen_label = QLabel()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {tone('danger').name()};")
        self.error.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.addButton("Add", QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.found, 3)
        layout.addWidget(self.by_name, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(default_row)
        layout.addWidget(self.chosen_label)
        layout.addWidget(scroll, 2)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.timer = QTimer(self, singleShot=True, interval=ASK_AFTER_MS)
        self.timer.timeout.connect(self.refresh)
        self.search.textEdited.connect(lambda _t: self.timer.start())
        self.refresh()
        self._update()
        fit(self, 760, 640)
        self.search.setFocus()

    # -- the list to tick from -----------------------------------------------------------
    def refresh(self) -> None:
        self.timer.stop()
        typed = self.search.text().strip()
        choices = self.picker.choices(typed)
        rows = [choice_row(c) for c in choices]
        picked = {key for key, *_rest in self.chosen}
        self.found.blockSignals(True)
        self.found.clear()
        for row in rows:
            item = QListWidgetItem(row_text(row))
            for role, value in row_data(row):
                item.setData(role, value)
            if row.key in self.already:
                set_why(item, f"already in the {self.link.label.lower()}")
                item.setFlags(Qt.ItemFlag.ItemIsUserCheckable)  # shown, not enabled
                item.setCheckState(Qt.CheckState.Checked)
            else:
                item.setFlags(
                    Qt.ItemFlag.ItemIsUserCheckable
                    | Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                )
                checked = row.key in picked
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.found.addItem(item)
        self.found.blockSignals(False)
        enabled = Qt.ItemFlag.ItemIsEnabled
        first = next(
            (n for n in range(self.found.count()) if self.found.item(n).flags() & enabled), -1
        )
        self.found.setCurrentRow(first)
        keeps = self.target.keeps_name
        exact = any(pick.fold(c.title).split() == pick.fold(typed).split() for c in choices)
        if keeps and typed and not exact:
            what = self.spec.field_map[keeps].label.split(" (")[0].lower()
            self.by_name.setText(f"Add “{typed}” by {what} only (not a contact)")
            self.by_name.show()
        else:
            self.by_name.hide()

    def tick_current(self) -> None:
        """Enter in the search line: tick the highlighted row and start the next name.
        When nothing can be ticked (the one match is in the list already), say so and
        select what was typed, so the next name replaces it."""
        if self.timer.isActive():
            self.refresh()
        typed = pick.fold(self.search.text()).split()
        named = [
            self.found.item(n)
            for n in range(self.found.count())
            if pick.fold(row_title(self.found.indexFromItem(self.found.item(n)))).split() == typed
        ]
        enabled = Qt.ItemFlag.ItemIsEnabled
        there = [item for item in named if not item.flags() & enabled]
        if there:
            # The name typed is someone's already in the list: their namesake, ticked
            # in their place, would be the wrong person added without a word.
            who = row_title(self.found.indexFromItem(there[0]))
            also = (
                " Another of that name is listed: tick them if you mean them."
                if any(item.flags() & enabled for item in named)
                else ""
            )
            self._say(f"{who} is already in the {self.link.label.lower()}.{also}")
            self.search.selectAll()
            return
        item = self.found.currentItem()
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            first = self.found.item(0) if self.found.count() else None
            if first is not None and not first.flags() & Qt.ItemFlag.ItemIsEnabled:
                who = row_title(self.found.indexFromItem(first))
                self._say(f"{who} is already in the {self.link.label.lower()}.")
            else:
                words = self.search.text().strip()
                self._say(f"No {self.target_kind.label.lower()} matches “{words}”.")
            self.search.selectAll()
            return
        self.error.hide()
        if item.checkState() != Qt.CheckState.Checked:
            item.setCheckState(Qt.CheckState.Checked)
        self.search.clear()
        self.refresh()

    def _activated(self, item: QListWidgetItem) -> None:
        if item.flags() & Qt.ItemFlag.ItemIsEnabled:
            checked = item.checkState() == Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def _ticked(self, item: QListWidgetItem) -> None:
        key = int(row_key(self.found.indexFromItem(item)))
        if item.checkState() == Qt.CheckState.Checked:
            index = self.found.indexFromItem(item)
            self._choose(key, row_title(index), row_detail(index))
        else:
            self._unchoose(key)

    def _add_by_name(self) -> None:
        typed = " ".join(self.search.text().split())
        if typed:
            self._choose(typed, typed)
            self.search.clear()
            self.refresh()

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _side_of(self, key: int | str) -> str | None:
        """The side a chosen record is likely on (our city's staff are ours, whatever
        was set for those ticked next); None when nothing says."""
        fields = self.target_kind.field_map
        if not isinstance(key, int) or "country" not in fields:
            return None
        found = records.get(self.db, self.target_kind.name, key)
        body = fields.get("organisation_id")
        owner = None
        if body is not None and body.ref and found.get(body.name):
            owner = records.get(self.db, body.ref, found[body.name])
        return sides.side_of(found, owner)

    # -- the chosen ----------------------------------------------------------------------
    def _choose(self, key: int | str, title: str, detail: str = "") -> None:
        if any(k == key for k, *_rest in self.chosen):
            return
        row = len(self.chosen) + 1
        name = QLabel(title if isinstance(key, int) else f"{title} (by name)")
        if detail:
            # Which of five namesakes this is, without widening the dialog.
            name.setToolTip(detail)
            name.setText(f"{name.text()}  —  {detail}")
            name.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        settings = [_Setting(d.field, d.value()) for d in self.defaults]
        side = self._side_of(key)
        for setting in settings:
            if side is not None and setting.field.vocab is SIDES:
                setting.set_value(side)
        remove = QToolButton()
        remove.setText("×")
        remove.setAccessibleName(f"Remove {title}")
        remove.clicked.connect(lambda: self._unchoose(key))
        for setting in settings:
            guard_wheel(setting)  # made after the dialog was fitted
        widgets: list[QWidget] = [name, *settings, remove]
        for column, widget in enumerate(widgets):
            self.grid.addWidget(widget, row, column)
        self.chosen.append((key, title, settings, widgets))
        self._update()

    def _unchoose(self, key: int | str) -> None:
        kept = []
        for entry in self.chosen:
            if entry[0] == key:
                for widget in entry[3]:
                    self.grid.removeWidget(widget)
                    widget.deleteLater()
            else:
                kept.append(entry)
        self.chosen = kept
        # Back in order, without the gap.
        for row, (_key, _title, _settings, widgets) in enumerate(self.chosen, start=1):
            for column, widget in enumerate(widgets):
                self.grid.addWidget(widget, row, column)
        for n in range(self.found.count()):
            item = self.found.item(n)
            index = self.found.indexFromItem(item)
            if row_key(index) == key and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                self.found.blockSignals(True)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.found.blockSignals(False)
        self._update()

    def _update(self) -> None:
        count = len(self.chosen)
        self.chosen_label.setText(
            f"To add ({count}):" if count else "Tick or type the ones to add."
        )
        self.add_button.setText(f"Add {self.spec.count(count)}" if count else "Add")
        self.add_button.setEnabled(bool(count))

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for key, _title, settings, _widgets in self.chosen:
            values: dict[str, Any] = {self.link.via: self.owner_id}
            if isinstance(key, int):
                values[self.target.name] = key
            else:
                values[self.target.keeps_name or ""] = key
            values.update({s.field.name: s.value() for s in settings})
            out.append(values)
        return out

    def save(self) -> None:
        rows = self.rows()
        if not rows:
            return

        def write(db: Database) -> Changes:
            return records.create_many(db, self.spec.name, rows)

        def refused(error: ValidationError) -> None:
            self.error.setText(str(error))
            self.error.show()

        done = operations_for(self.db).run(
            self, write, initiator=self, on_invalid=refused, title="Not added"
        )
        if done is not None:
            self.accept()
