"""A link to another record, typed: its name with a list under it that follows each
keystroke, closest to the record at hand first (`core/features/pick.py` ranks), each row
with what tells namesakes apart. Picking a record that says where it is (a partnership:
its country and city) fills the form's empty place fields from it, and says so."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain.kinds import Field, Kind
from desk.core.features import pick
from desk.core.store import queries, records
from desk.core.store.db import Database
from desk.ui.colors import tone
from desk.ui.widgets.editors import Editor
from desk.ui.widgets.typeahead import Row, TypeAhead
from desk.ui.widgets.zone_picker import ZoneEditor, gazetteer


class _Form(Protocol):
    """The form an editor sits on (widgets/form.RecordForm), as far as a link needs it."""

    spec: Kind
    editors: dict[str, Editor]

    def values(self) -> dict[str, Any]: ...


def _form_of(parent: QWidget | None) -> _Form | None:
    if parent is not None and hasattr(parent, "editors") and hasattr(parent, "spec"):
        return parent  # type: ignore[return-value]
    return None


def choice_row(choice: pick.Choice) -> Row:
    return Row(choice.id, choice.title, detail=choice.context, why=choice.why, aside=choice.native)


def filled_palette(widget: QWidget) -> QPalette:
    """A field filled in from a pick, as it shows until it is typed into: tinted by its
    palette, not a style sheet, which would give a combo box another size and wrap its
    row of the form."""
    palette = widget.palette()  # a copy already; the copy constructor is slow to resolve
    base = palette.color(QPalette.ColorRole.Base)
    tint = tone("info", palette)
    mixed = QColor(
        (base.red() * 4 + tint.red()) // 5,
        (base.green() * 4 + tint.green()) // 5,
        (base.blue() * 4 + tint.blue()) // 5,
    )
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Button):
        palette.setColor(role, mixed)
    return palette


def is_filled(editor: Editor) -> bool:
    return bool(editor.focus_widget().property(_FILLED))


_FILLED = "deskFilledFromPick"


class RefEditor(Editor):
    def __init__(self, spec: Field, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.db = db
        self.target = spec.ref or ""
        self._form = _form_of(parent)
        # The record at hand as stored, and what a dialog fixes without showing it (the
        # visit a new delegation member belongs to).
        self._row: dict[str, Any] = {}
        self.fixed: dict[str, Any] = {}
        self._value: int | None = None
        self._picker: pick.Picker | None = None
        self._picker_for: pick.AtHand | None = None
        self._filled: list[tuple[Editor, QPalette]] = []
        self.line = TypeAhead(self._rows)
        self.line.setAccessibleName(spec.label)
        self.line.setPlaceholderText("type a name")
        self.line.picked.connect(self._picked)
        self.line.left.connect(self._left)
        self.list_button = QToolButton()
        self.list_button.setText("▾")
        self.list_button.setAccessibleName(f"List {spec.label}")
        self.list_button.setToolTip("The closest first (Down)")
        self.list_button.clicked.connect(self._open_list)
        self.clear = QToolButton()
        self.clear.setText("×")
        self.clear.setAccessibleName(f"Clear {spec.label}")
        self.clear.clicked.connect(self._clear_value)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.note.hide()
        line_row = QHBoxLayout()
        line_row.addWidget(self.line, 1)
        line_row.addWidget(self.list_button)
        line_row.addWidget(self.clear)
        # The line and its buttons over the note that says what a pick filled in.
        stack = QVBoxLayout()
        stack.setSpacing(2)
        stack.addLayout(line_row)
        stack.addWidget(self.note)
        self.layout_.addLayout(stack, 1)

    # -- the record at hand --------------------------------------------------------------
    def at_hand(self) -> pick.AtHand:
        values = dict(self._row)
        form = self._form
        if form is not None:
            values.update(form.values())
        values.update(self.fixed)
        return pick.AtHand(form.spec.name if form else None, values, self.spec.name)

    def _rows(self, text: str) -> list[Row]:
        at_hand = self.at_hand()
        if self._picker is None or at_hand != self._picker_for:
            self._picker = pick.Picker(self.db, self.target, at_hand)
            self._picker_for = at_hand
        return [choice_row(c) for c in self._picker.choices(text)]

    # -- picking -------------------------------------------------------------------------
    def _open_list(self) -> None:
        self.line.setFocus()
        self.line.open_list()

    def _picked(self, row: Row) -> None:
        self._set(int(row.key))
        self.edited.emit()
        self._fill_from(int(row.key))

    def _clear_value(self) -> None:
        self._set(None)
        self.edited.emit()

    def _left(self) -> None:
        """Focus left with typing pending: empty is no link; a name that only one record
        has is that record; anything else stays, said to be no pick yet."""
        typed = self.line.text().strip()
        if not typed:
            self._clear_value()
            return
        self._rows(typed)
        assert self._picker is not None
        found = self._picker.choices(typed, limit=2)
        same = [c for c in found if pick.fold(c.title).split() == pick.fold(typed).split()]
        if len(found) == 1 or len(same) == 1:
            self._picked(choice_row(same[0] if same else found[0]))
            return
        self._say(self.problem() or "", "danger")

    def problem(self) -> str | None:
        """Why the field cannot be saved as it is: a name typed and not picked."""
        if self.line.pending() and self.line.text().strip():
            what = self.spec.label.split(" (")[0].lower()
            return f"No {what} picked: choose one from the list (Down shows it), or clear it."
        return None

    def _set(self, record_id: int | None) -> None:
        self._value = record_id
        title = records.title_of(self.db, self.target, record_id) if record_id else ""
        self.line.show_text(title or ("(a deleted record)" if record_id else ""))
        self._clear_filled()
        self._say("")

    def _say(self, text: str, tone_name: str = "muted") -> None:
        self.note.setText(text)
        self.note.setStyleSheet(f"color: {tone(tone_name).name()};")
        self.note.setVisible(bool(text))

    # -- what a pick fills in ------------------------------------------------------------
    def _fill_from(self, record_id: int) -> None:
        """The form's empty place fields from where the picked record is: a visit's
        country, city and time zone from its partnership, never over what is there."""
        form = self._form
        if form is None:
            return
        place = pick.place_of(self.db, self.target, record_id)
        parts = place.parts()
        filled: list[str] = []
        zone_editor: ZoneEditor | None = None
        for name, editor in form.editors.items():
            field = form.spec.field_map[name]
            if editor is self or field.ref or editor.value() not in (None, ""):
                continue
            value: Any = None
            if field.type == "country":
                value = place.country
            elif field.name in parts:
                value = parts[field.name]  # a visit's city from its partner city
            elif isinstance(editor, ZoneEditor):
                zone_editor = editor
                value = pick.zone_for(place, gazetteer().cities)
            if value:
                self._fill(editor, value)
                filled.append(_said(field, value))
        if zone_editor is not None and zone_editor.value() in (None, "") and place.country:
            # Found through the gazetteer's cities: filled when they arrive.
            def later(cities: pick.Cities, editor: ZoneEditor = zone_editor) -> None:
                zone = pick.zone_for(place, cities)
                if zone and self._value == record_id and editor.value() in (None, ""):
                    self._fill(editor, zone)
                    filled.append(_said(editor.spec, zone))
                    self._say_filled(record_id, filled)

            gazetteer().load(later)
        self._say_filled(record_id, filled)

    def _fill(self, editor: Editor, value: Any) -> None:
        editor.set_value(value)
        editor.edited.emit()
        widget = editor.focus_widget()
        self._filled.append((editor, widget.palette()))
        widget.setPalette(filled_palette(widget))
        widget.setProperty(_FILLED, True)
        # Typed into afterwards: it is the person's own, and plain again.
        editor.edited.connect(self._unmark)

    def _unmark(self) -> None:
        editor = self.sender()
        for filled, old in list(self._filled):
            if filled is editor:
                self._plain(filled, old)
                self._filled.remove((filled, old))

    def _plain(self, editor: Editor, old: QPalette) -> None:
        widget = editor.focus_widget()
        widget.setPalette(old)
        widget.setProperty(_FILLED, False)
        editor.edited.disconnect(self._unmark)

    def _clear_filled(self) -> None:
        for editor, old in self._filled:
            self._plain(editor, old)
        self._filled = []

    def _say_filled(self, record_id: int, filled: list[str]) -> None:
        if filled:
            title = records.title_of(self.db, self.target, record_id)
            self._say(f"Filled in from {title}: {', '.join(filled)}.", "info")

    # -- the Editor interface ------------------------------------------------------------
    def value(self) -> Any:
        if self.line.pending() and not self.line.text().strip():
            return None  # the name erased: no link
        return self._value

    def set_value(self, value: Any, row: dict[str, Any] | None = None) -> None:
        if row is not None:
            self._row = dict(row)
        self._picker = None
        try:
            self._set(int(value) if value not in (None, "") else None)
        except (TypeError, ValueError):
            self._set(None)

    def focus_widget(self) -> QWidget:
        return self.line

    def set_read_only(self, read_only: bool) -> None:
        # Greyed out as every other field is, not a white box that only refuses typing.
        self.line.setEnabled(not read_only)
        self.list_button.setEnabled(not read_only)
        self.clear.setEnabled(not read_only)


def _said(field: Field, value: Any) -> str:
    """'Country (Japan)': a filled field as the note under the link names it."""
    label = field.label.split(" (")[0]
    return f"{label} ({queries.display(None, field, value)})"
