"""The time zone field: typed as a city or a country ("Los Ang", "tokyo", "Japan",
"Valencia"), shown with its offset now ("Asia/Tokyo — Tokyo, Japan (UTC+9)").

Zones are found by their own names and their countries at once; cities need the
gazetteer, which takes most of a second to load, so a child process reads it the first
time a city is looked for (`prepare` does it ahead) and the list grows by the cities when
they arrive.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QToolButton, QWidget

from desk.core.domain.kinds import Field
from desk.core.features import pick
from desk.core.features.sides import HOME_COUNTRY
from desk.core.reference import countries
from desk.ui import tasks
from desk.ui.widgets.editors import Editor
from desk.ui.widgets.typeahead import Row, TypeAhead


class Gazetteer(QObject):
    """The gazetteer's cities for the zone pickers of this process, read once in a child
    process; `ready` when they are here."""

    ready = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.cities: pick.Cities | None = None
        self._task: tasks.Task | None = None
        self._waiting: list[Callable[[pick.Cities], None]] = []

    def load(self, then: Callable[[pick.Cities], None] | None = None) -> None:
        """Read the cities unless they are here or on their way; `then` runs with them."""
        if self.cities is not None:
            if then is not None:
                then(self.cities)
            return
        if then is not None:
            self._waiting.append(then)
        if self._task is not None:
            return
        self._task = tasks.run(
            None,
            "Reading the gazetteer",
            tasks.in_child(pick.city_lines),
            self._arrived,
            self._failed,
            cancellable=False,
            quiet=True,
        )

    def set(self, cities: pick.Cities) -> None:
        self.cities = cities
        waiting, self._waiting = self._waiting, []
        for then in waiting:
            then(cities)
        self.ready.emit()

    def _arrived(self, lines: Any) -> None:
        self._task = None
        self.set(pick.Cities(lines))

    def _failed(self, _error: BaseException) -> None:
        # Without the gazetteer zones are still found by their names and countries.
        self._task = None
        self._waiting = []


_GAZETTEER: Gazetteer | None = None


def gazetteer() -> Gazetteer:
    global _GAZETTEER
    if _GAZETTEER is None:
        _GAZETTEER = Gazetteer()
    return _GAZETTEER


def prepare() -> None:
    """Ready the zone pickers ahead of the first zone typed (the window may do it once
    it is up): the zones' words here (0.1 s), the gazetteer's cities in a child."""
    pick.prepare_zones()
    gazetteer().load()


def zone_row(choice: pick.ZoneChoice) -> Row:
    detail = f"{choice.place} ({choice.offset})" if choice.place else f"({choice.offset})"
    return Row(choice.zone, choice.zone, detail)


def zone_text(zone: str) -> str:
    """A stored zone as the field shows it: 'Asia/Tokyo — Tokyo, Japan (UTC+9)'."""
    if zone not in countries.time_zones():
        return zone  # stored before zones were checked: as it is
    return pick.zone_choice(zone).text


class ZoneEditor(Editor):
    def __init__(self, spec: Field, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        # The form this field is on: its country ranks that country's cities first.
        self._form: Any = parent if hasattr(parent, "editors") else None
        self._value: str | None = None
        self.line = TypeAhead(self._rows)
        self.line.setAccessibleName(spec.label)
        self.line.setPlaceholderText("a city, a country or a zone: Tokyo, Japan, Asia/Tokyo")
        self.line.picked.connect(self._picked)
        self.line.left.connect(self._left)
        self.list_button = QToolButton()
        self.list_button.setText("▾")
        self.list_button.setAccessibleName(f"List {spec.label}")
        self.list_button.setToolTip("The zones of the country, or of what is typed (Down)")
        self.list_button.clicked.connect(self._open_list)
        self.layout_.addWidget(self.line, 1)
        self.layout_.addWidget(self.list_button)
        gazetteer().ready.connect(self._cities_arrived)

    def _country(self) -> str | None:
        form = self._form
        if form is None:
            return None
        for name, editor in getattr(form, "editors", {}).items():
            if editor is not self and form.spec.field_map[name].type == "country":
                value = editor.value()
                return str(value) if value else None
        return None

    def _rows(self, text: str) -> list[Row]:
        words = pick.fold(text).split()
        source = gazetteer()
        if source.cities is None and words and len(max(words, key=len)) > 1:
            source.load()
        # Nothing typed and no country on the form: the zones at home, a U.S. city's.
        prefer = self._country() or (None if words else HOME_COUNTRY)
        found = pick.zones(text, source.cities, prefer=prefer)
        return [zone_row(choice) for choice in found]

    def _cities_arrived(self) -> None:
        if self.line.popup_visible() or (self.line.hasFocus() and self.line.pending()):
            self.line.refresh()

    def _open_list(self) -> None:
        self.line.setFocus()
        self.line.open_list()

    def _picked(self, row: Row) -> None:
        self._value = str(row.key)
        self.line.show_text(zone_text(self._value))
        self.edited.emit()

    def _left(self) -> None:
        typed = self.line.text().strip()
        if not typed:
            self._value = None
            self.line.show_text("")
            self.edited.emit()
            return
        exact = _zone_named(typed)
        if exact is not None:
            self._picked(Row(exact, exact))

    def value(self) -> Any:
        if self.line.pending():
            typed = self.line.text().strip()
            # A zone typed out in full is that zone; anything else the core names as
            # not a time zone, under the field.
            return _zone_named(typed) or typed or None
        return self._value

    def set_value(self, value: Any, row: dict[str, Any] | None = None) -> None:
        self._value = str(value) if value else None
        self.line.show_text(zone_text(self._value) if self._value else "")

    def fill(self, zone: str) -> None:
        """Set as if picked (from what a picked partnership says)."""
        self.set_value(zone)
        self.edited.emit()

    def focus_widget(self) -> QWidget:
        return self.line

    def set_read_only(self, read_only: bool) -> None:
        # Greyed out as every other field is, not a white box that only refuses typing.
        self.line.setEnabled(not read_only)
        self.list_button.setEnabled(not read_only)


def _zone_named(typed: str) -> str | None:
    folded = typed.replace(" ", "_").casefold()
    return next((z for z in countries.time_zones() if z.casefold() == folded), None)
