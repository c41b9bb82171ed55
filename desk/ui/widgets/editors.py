"""One editor per field type, all with the same small interface: value(), set_value(),
and an `edited` signal. No editor's value changes under the mouse wheel unless it has
focus (`WheelGuard`), and the date editors say back in words what they understood."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from desk.core.domain import money
from desk.core.domain.dates import in_words, parse_typed, short_date, stored_text
from desk.core.domain.kinds import Field
from desk.core.domain.validate import clean, named
from desk.core.errors import ValidationError
from desk.core.reference import countries
from desk.core.store.queries import display
from desk.ui.colors import tone
from desk.ui.wheel import guard_wheel

_COMMON_CURRENCIES = ["USD", "EUR", "JPY", "CNY", "KRW", "MXN", "GBP", "CAD", "TWD", "VND"]


class Editor(QWidget):
    edited = Signal()

    def __init__(self, spec: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        # A row of the editor's own controls, and below it room for a line about the
        # value (the date editors say what they understood).
        self.stack = QVBoxLayout(self)
        self.stack.setContentsMargins(0, 0, 0, 0)
        self.stack.setSpacing(2)
        self.layout_ = QHBoxLayout()
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.stack.addLayout(self.layout_)

    def showEvent(self, event: QShowEvent) -> None:
        # Shown, every control of the editor exists: none changes under a passing wheel.
        guard_wheel(self)
        super().showEvent(event)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any, row: dict[str, Any] | None = None) -> None:
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        return self

    def set_read_only(self, read_only: bool) -> None:
        self.focus_widget().setEnabled(not read_only)


class LineEditor(Editor):
    def __init__(self, spec: Field, parent: QWidget | None = None, placeholder: str = "") -> None:
        super().__init__(spec, parent)
        self.line = QLineEdit()
        self.line.setPlaceholderText(placeholder or spec.help)
        self.line.setAccessibleName(spec.label)
        self.line.textEdited.connect(self.edited)
        self.layout_.addWidget(self.line)

    def value(self) -> Any:
        return self.line.text()

    def set_value(self, value: Any, row: dict[str, Any] | None = None) -> None:
        self.line.setText("" if value is None else str(value))
        self.line.setCursorPosition(0)  # a long name shows its beginning, not its end

    def focus_widget(self) -> QWidget:
        return self.line


class NumberEditor(LineEditor):
    def set_value(self, value: Any, row: dict[str, Any] | None = None) -> None:
        if isinstance(value, int) and not isinstance(value, bool):
            value = f"{value:,}"  # 412,000 reads; the comma is taken back on save
        super().set_value(value, row)


class _Understood(LineEditor):
    """A line typed as people write dates and times, with a line under it saying what
    desk understood ('Friday, December 11, 2026, 3:00 PM') or why it cannot read it, as
    it is typed: before the record is saved, not after."""

    def __init__(self, spec: Field, parent: QWidget | None, placeholder: str) -> None:
        super().__init__(spec, parent, placeholder)
        self.zone: str | None = None
        self.echo = QLabel()
        self.echo.setWordWrap(True)
        self.echo.setAccessibleName(f"{spec.label}: understood as")
        # Wraps within the field's width rather than widen the form.
        self.echo.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.echo.hide()
        self.stack.addWidget(self.echo)
        self.line.textEdited.connect(self._say_understood)

    def set_zone(self, zone: str | None) -> None:
        """The zone the time is in (an itinerary item's), for a clock change's hours."""
        if zone != self.zone:
            self.zone = zone
            if not self.echo.isHidden():
                self._say_understood()

    def understood(self) -> tuple[bool, str]:
        """(True, the value in words) or (False, why it cannot be read); (True, '')
        for nothing typed."""
        text = self.line.text().strip()
        if not text:
            return True, ""
        context = {self.spec.zone_field: self.zone} if self.zone else {}
        try:
            stored = clean(self.spec, text, context)
        except ValidationError as exc:
            return False, _without_label(self.spec, exc.bare_message)
        return True, in_words(stored, self.zone)

    def _say_understood(self) -> None:
        readable, words = self.understood()
        if not words:
            self.echo.hide()
            return
        self.echo.setText(words)
        # What was understood reads quieter than what was typed; a refusal in red.
        color = tone("muted" if readable else "danger")
        self.echo.setStyleSheet(f"color: {color.name()};")
        self.echo.show()

    def _hide_echo(self) -> None:
        self.echo.hide()
        self.echo.clear()


def _without_label(spec: Field, message: str) -> str:
    """A refusal said under its own field: without the field's name before it."""
    rest = message.removeprefix(named(spec)).lstrip(":").strip()
    return rest[:1].upper() + rest[1:]


class DateEditor(_Understood):
    """Shown as 4/8/2025; typed as people write dates (4/8/2025, April 8 2025,
    2025-04-08, next friday, in 2 weeks), or picked from a calendar; may be empty."""

    def __init__(self, spec: Field, parent: QWidget | None = None) -> None:
        # Foundings and signings are often known only to their year or month.
        super().__init__(
            spec,
            parent,
            "M/D/YYYY, or a year or month alone" if spec.partial else "M/D/YYYY, or next friday",
        )
        button = QToolButton()
        button.setText("…")
        button.setAccessibleName(f"Pick {spec.label} from a calendar")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        self.calendar = QCalendarWidget()
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._sync_calendar)

        def picked(day: QDate) -> None:
            self._picked(day)
            menu.close()

        self.calendar.clicked.connect(picked)
        button.setMenu(menu)
        self.layout_.addWidget(button)

    def set_value(self, value: Any, row: dict[str, Any] | None = None) -> None:
        self._hide_echo()
        # A value stored before dates were checked is shown as it is.
        self.line.setText(stored_text(str(value)) if value else "")

    def _sync_calendar(self) -> None:
        try:
            day = parse_typed(self.line.text())
        except ValueError:
            return
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    def _picked(self, day: QDate) -> None:
        self.line.setText(short_date(dt.date(day.year(), day.month(), day.day())))
        self._say_understood()
        self.edited.emit()


class DateTimeEditor(_Understood):
    """A local date and time: shown as 4/8/2025 9:30 AM (with its zone's abbreviation
    for the hour a clock change repeats), typed any way a date is, with a time."""

    def __init__(self, spec: Field, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent, "M/D/YYYY h:mm AM, or tomorrow 3pm")

    def set_value(self, value: Any, row: dict[str, Any] | None = None) -> None:
        self._hide_echo()
        zone = (row or {}).get(self.spec.zone_field) or self.zone
        self.line.setText(stored_text(str(value), zone) if value else "")


class MoneyEditor(LineEditor):
    """Shown and typed as an amount (12.50); stored as minor units by the core."""

    def __init__(self, spec: Field, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent, "amount, e.g. 95.00")

    def set_value(self, value: Any, row: dict[str, Any] | None = None) -> None:
        if value is None:
            self.line.setText("")
            return
        self.line.setText(money.grouped(value, (row or {}).get(self.spec.currency_field or "")))


class TextEditor(Editor):
    def __init__(self, spec: Field, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setAccessibleName(spec.label)
        self.text.setFixedHeight(self.text.fontMetrics().lineSpacing() * 4 + 12)
        # Fixed, not expanding: otherwise the form hands every spare pixel to these rows
        # and the box floats in the middle of a tall row, away from its label.
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.text.textChanged.connect(self._changed)
        self._loading = False
        self.layout_.addWidget(self.text)

    def _changed(self) -> None:
        if not self._loading:
            self.edited.emit()

    def value(self) -> Any:
        return self.text.toPlainText()

    def set_value(self, value: Any, row: dict[str, Any] | None = None) -> None:
        self._loading = True
        self.text.setPlainText("" if value is None else str(value))
        self._loading = False

    def focus_widget(self) -> QWidget:
        return self.text


class BoolEditor(Editor):
    def __init__(self, spec: Field, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.box = QCheckBox()
        self.box.setAccessibleName(spec.label)
        self.box.toggled.connect(self.edited)
        self.layout_.addWidget(self.box)
        self.layout_.addStretch(1)

    def value(self) -> Any:
        return self.box.isChecked()

    def set_value(self, value: Any, row: dict[str, Any] | None = None) -> None:
        self.box.blockSignals(True)
        self.box.setChecked(bool(value))
        self.box.blockSignals(False)

    def focus_widget(self) -> QWidget:
        return self.box


_SHARED: dict[str, QStandardItemModel] = {}


def _shared_model(key: str, choices: list[tuple[str, str]]) -> QStandardItemModel:
    model = _SHARED.get(key)
    if model is None:
        model = QStandardItemModel()
        model.appendRow(QStandardItem(""))
        for code, label in choices:
            item = QStandardItem(label)
            item.setData(code, Qt.ItemDataRole.UserRole)
            model.appendRow(item)
        _SHARED[key] = model
    return model


class ChoiceEditor(Editor):
    """A closed list (vocabulary) or a long searchable one (countries, time zones)."""

    def __init__(
        self,
        spec: Field,
        choices: list[tuple[str, str]],
        *,
        searchable: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(spec, parent)
        self.combo = QComboBox()
        self.combo.setAccessibleName(spec.label)
        if searchable:
            # Long lists are built once and shared by every editor that offers them.
            self.combo.setModel(_shared_model(spec.type, choices))
        else:
            if not spec.required:
                self.combo.addItem("", None)
            for code, label in choices:
                self.combo.addItem(label, code)
        if searchable:
            self.combo.setEditable(True)
            self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            completer = self.combo.completer()
            assert completer is not None  # an editable combo box always has one
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.combo.currentIndexChanged.connect(self.edited)
        self.combo.activated.connect(self.edited)
        self.layout_.addWidget(self.combo)

    def value(self) -> Any:
        if self.combo.isEditable():
            typed = self.combo.currentText().strip()
            index = self.combo.findText(typed, Qt.MatchFlag.MatchFixedString)
            if index >= 0:
                return self.combo.itemData(index)
            return typed or None  # the core names the field if it is not a known value
        return self.combo.currentData()

    def set_value(self, value: Any, row: dict[str, Any] | None = None) -> None:
        self.combo.blockSignals(True)
        index = self.combo.findData(value) if value is not None else 0
        if index < 0:  # a stored value outside the list: show it as it is
            self.combo.setEditText(str(value)) if self.combo.isEditable() else None
        else:
            self.combo.setCurrentIndex(index)
        self.combo.blockSignals(False)

    def focus_widget(self) -> QWidget:
        return self.combo


class MultiChoiceEditor(Editor):
    """Several codes from a vocabulary, as a button with a menu of check boxes."""

    def __init__(self, spec: Field, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        assert spec.vocab is not None
        self.button = QToolButton()
        self.button.setAccessibleName(spec.label)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # As wide as the form gives it, however many choices it names: the whole list
        # is in its tooltip, and the form never grows past its pane for it.
        self.button.setSizePolicy(
            self.button.sizePolicy().horizontalPolicy().Ignored,
            self.button.sizePolicy().verticalPolicy(),
        )
        self.button.setMinimumWidth(120)
        menu = QMenu(self.button)
        self.actions_by_code = {}
        for code, label in spec.vocab.items():
            action = menu.addAction(label.replace("&", "&&"))
            action.setCheckable(True)
            action.toggled.connect(self._toggled)
            self.actions_by_code[code] = action
        self.button.setMenu(menu)
        self.layout_.addWidget(self.button, 1)
        self._update_text()

    def _toggled(self) -> None:
        self._update_text()
        self.edited.emit()

    def _update_text(self) -> None:
        chosen = [a.text() for a in self.actions_by_code.values() if a.isChecked()]
        # Action texts carry "&&" for a literal ampersand, as the button's text must too.
        self._full_text = ", ".join(chosen) if chosen else "(none)"
        self.button.setToolTip(self._full_text.replace("&&", "&") if chosen else "")
        self._elide()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = max(40, self.button.width() - 24)  # less the menu arrow
        self.button.setText(
            self.button.fontMetrics().elidedText(self._full_text, Qt.TextElideMode.ElideRight, room)
        )

    def value(self) -> Any:
        return [code for code, a in self.actions_by_code.items() if a.isChecked()]

    def set_value(self, value: Any, row: dict[str, Any] | None = None) -> None:
        codes = set(json.loads(value)) if isinstance(value, str) and value else set(value or [])
        for code, action in self.actions_by_code.items():
            action.blockSignals(True)
            action.setChecked(code in codes)
            action.blockSignals(False)
        self._update_text()

    def focus_widget(self) -> QWidget:
        return self.button


class LanguagesEditor(LineEditor):
    def __init__(self, spec: Field, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent, "e.g. Japanese, English")

    def set_value(self, value: Any, row: dict[str, Any] | None = None) -> None:
        codes = json.loads(value) if isinstance(value, str) and value else (value or [])
        self.line.setText(", ".join(countries.language_name(code) for code in codes))


def _currencies() -> list[tuple[str, str]]:
    rest = sorted(c for c in countries.currency_codes() if c not in _COMMON_CURRENCIES)
    return [(c, c) for c in [*_COMMON_CURRENCIES, *rest]]


# The long searchable lists, by field type: built once and shared by every form.
LONG_LISTS: dict[str, Callable[[], list[tuple[str, str]]]] = {
    "country": lambda: list(countries.all_countries().items()),
    "time_zone": lambda: [(z, z) for z in sorted(countries.time_zones())],
    "currency": _currencies,
}


def prepare_long_lists() -> None:
    """Build the shared country, time zone and currency lists ahead of the first form
    (the window does it once it is up), so opening a page does not wait for them."""
    for kind, choices in LONG_LISTS.items():
        _shared_model(kind, choices())


__all__ = ["Editor", "display"]
