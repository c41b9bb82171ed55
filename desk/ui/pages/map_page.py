"""The map: where the city is engaged. Partners as markers colored by kind of
partnership, filled while the relationship is in force, hollow while it is proposed and
faded once it is suspended, dormant, lapsed or ended; lines from home; filters by kind,
status, priority area and founding years; hover for a summary, click to open.

Partners are placed by the position set on them by hand, else by their name in the
offline gazetteer, else at their country's middle (said so); the positions are worked
out in a process of their own, since the gazetteer takes most of a second to load.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain import dates
from desk.core.domain.vocab import PARTNERSHIP_KINDS, PARTNERSHIP_STATUSES, PRIORITY_AREAS, label
from desk.core.domain.words import counted
from desk.core.reference.countries import country_name
from desk.core.store.db import Database
from desk.reports.figures import KIND_COLORS
from desk.ui import tasks
from desk.ui.widgets.world_map import Marker, WorldMap

IN_FORCE = frozenset({"active", "friendship"})
LAPSED = frozenset({"suspended", "dormant", "lapsed", "ended"})
_ANY = ""


class MapPage(QWidget):
    navigate = Signal(str, int)
    kind = "map"

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.positions: dict[int, tuple[float, float, str]] | None = None
        self.home: tuple[float, float] | None = None
        self._task: tasks.Task | None = None
        self.map = WorldMap()
        self.map.partner_clicked.connect(lambda pid: self.navigate.emit("partnership", pid))
        self.map.describe = self.describe
        self._about: dict[int, tuple[Any, ...]] = {}

        places = {c: t for c, t in PARTNERSHIP_KINDS.items() if c != "network_membership"}
        self.kind_filter = self._choices("Kind", places, "Every kind")
        self.status_filter = self._choices(
            "Status", {"in_force": "In force", **PARTNERSHIP_STATUSES}, "Every status"
        )
        self.area_filter = self._choices("Priority area", PRIORITY_AREAS, "Every area")
        this_year = dt.date.today().year
        self.since = QSpinBox()
        self.since.setRange(1900, this_year)
        self.since.setValue(1900)
        self.since.setSpecialValueText("any year")
        self.since.setAccessibleName("Founded from the year")
        self.since.setKeyboardTracking(False)
        self.since.valueChanged.connect(self.show_markers)
        self.until = QSpinBox()
        self.until.setRange(1900, this_year)
        self.until.setValue(this_year)
        self.until.setAccessibleName("Founded up to the year")
        self.until.setKeyboardTracking(False)
        self.until.valueChanged.connect(self.show_markers)
        whole = QPushButton("Whole world")
        whole.setToolTip("Show the whole world again (or double-click the sea)")
        whole.clicked.connect(self._whole_world)
        save = QPushButton("Save map…")
        save.setToolTip("Save the map as a PNG image or an SVG drawing")
        save.clicked.connect(self.map.ask_to_save)

        filters = QHBoxLayout()
        for widget in (self.kind_filter, self.status_filter, self.area_filter):
            filters.addWidget(widget)
        filters.addWidget(QLabel("Founded"))
        filters.addWidget(self.since)
        filters.addWidget(QLabel("to"))
        filters.addWidget(self.until)
        filters.addStretch(1)
        filters.addWidget(whole)
        filters.addWidget(save)
        self.legend = QHBoxLayout()
        for code, text in PARTNERSHIP_KINDS.items():
            if code == "network_membership":
                continue
            swatch = QLabel()
            pixmap = QPixmap(12, 12)
            pixmap.fill(QColor(KIND_COLORS.get(code, KIND_COLORS["other"])))
            swatch.setPixmap(pixmap)
            self.legend.addWidget(swatch)
            self.legend.addWidget(QLabel(text))
        self.legend.addStretch(1)
        # Its own line, wrapped: on one line with the swatches it made the page (and the
        # window) wider than a 1280-pixel screen.
        key = QLabel(
            "Filled: in force · hollow: proposed · faded, dashed: suspended, dormant, "
            "lapsed or ended · ★ home · a number: that many partners in one place"
        )
        key.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Map status")
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(self.legend)
        layout.addWidget(key)
        layout.addWidget(self.map, 1)
        layout.addWidget(self.status)
        self.refresh()

    def _choices(self, name: str, vocab: Any, every: str) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(name)
        # Narrow enough for the row of filters to fit a small screen; the list opens wide.
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(10)
        box.addItem(every, _ANY)
        for code, text in vocab.items():
            box.addItem(text, code)
        box.currentIndexChanged.connect(self.show_markers)
        return box

    def _whole_world(self) -> None:
        from desk.ui.widgets.world_map import WORLD

        self.map.view = WORLD
        self.map.update()

    # -- reading -----------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the partners' positions again (a partner added or moved)."""
        path = self.db.file
        if path is None:  # in memory: nothing to start a process on, and little to place
            self._placed(self._positions_here())
            return
        if self._task is not None:
            self._task.cancel_event.set()
        from desk.ui import jobs

        self.status.setText("Placing the partners on the map…")
        work = tasks.in_child(jobs.map_positions, path, self.db.read_only)
        self._task = tasks.run(
            self, "Placing the partners", work, self._placed, self._failed, quiet=True
        )

    def _positions_here(self) -> Any:
        from desk.core.features.map import on_the_map

        return on_the_map(self.db)

    def _placed(self, found: Any) -> None:
        """The partners' positions and home's, worked out away from the window (the
        gazetteer's names of one country alone take half a second to index)."""
        self._task = None
        if self.db.closed:
            return  # the window closed while the partners were being placed
        self.positions, self.home = found
        self.show_markers()

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        if not isinstance(exc, tasks.Cancelled):
            self.status.setText(f"The partners could not be placed: {exc}")

    def describe(self, pid: int) -> str:
        """A partner's summary for the map's tooltip."""
        about = self._about.get(pid)
        return _tip(*about) if about else ""

    # -- showing -----------------------------------------------------------------------
    def show_markers(self) -> None:
        if self.positions is None:
            return
        kind = self.kind_filter.currentData()
        status = self.status_filter.currentData()
        area = self.area_filter.currentData()
        since, until = sorted((self.since.value(), self.until.value()))
        markers, unplaced, approximate = [], [], 0
        self._about = {}
        shown = 0
        for pid, name, native, kind_code, status_code, founded, country, areas in self.db.execute(
            "SELECT id, partner_name, partner_name_native, kind, status, established_date, "
            "country, priority_areas FROM partnerships ORDER BY partner_name"
        ):
            if kind_code == "network_membership":
                continue  # a network is a method, not a place (as the survey counts it)
            if kind and kind_code != kind:
                continue
            if status == "in_force" and status_code not in IN_FORCE:
                continue
            if status and status != "in_force" and status_code != status:
                continue
            if area and area not in _codes(areas):
                continue
            year = int(founded[:4]) if founded and founded[:4].isdigit() else None
            if since > 1900 and (year is None or year < since):
                continue
            if year is not None and year > until:
                continue
            shown += 1
            place = self.positions.get(pid)
            if place is None:
                unplaced.append(name)
                continue
            if place[2] not in ("by its name", "by hand"):
                approximate += 1
            self._about[pid] = (name, native, kind_code, status_code, founded, country, place[2])
            markers.append(
                Marker(
                    pid,
                    place[0],
                    place[1],
                    KIND_COLORS.get(kind_code, KIND_COLORS["other"]),
                    filled=status_code in IN_FORCE,
                    faded=status_code in LAPSED,
                    name=name,
                )
            )
        self.map.set_markers(self.home, markers)
        self.map.note = "" if self.home else "Home is not on the map: set the city's name."
        parts = [f"{len(markers):,} of {counted(shown, 'partner')} on the map"]
        if approximate:
            parts.append(f"{approximate:,} placed at their country's middle (approximate)")
        if unplaced:
            names = ", ".join(unplaced[:5]) + (
                f" and {len(unplaced) - 5:,} more" if len(unplaced) > 5 else ""
            )
            parts.append(f"not placed: {names} (set a Map position on the partnership)")
        if len(markers) > 400:
            parts.append("lines from home are drawn for 400 partners or fewer")
        self.status.setText("; ".join(parts) + ".")


def _codes(stored: str | None) -> list[str]:
    try:
        return list(json.loads(stored or "[]"))
    except ValueError:
        return []


def _tip(
    name: str,
    native: str | None,
    kind: str,
    status: str,
    founded: str | None,
    country: str | None,
    how: str,
) -> str:
    title = name + (f" ({native})" if native and native != name else "")
    lines = [
        title,
        ", ".join(x for x in (label(PARTNERSHIP_KINDS, kind), country_name(country)) if x),
        label(PARTNERSHIP_STATUSES, status)
        + (f", founded {dates.readable(founded)}" if founded else ""),
    ]
    if how != "by its name":
        lines.append(f"Placed {how}" + ("" if how == "by hand" else " (approximate)"))
    lines.append("Click to open")
    return "\n".join(lines)
