"""An offline world map drawn with Qt's own painting: the country shapes shipped in
resources/geo, the city at home, a marker for each partner and a line from home to it.

Plate carrée (longitude and latitude as x and y), the projection of the national
survey's own map: honest enough for "where are we engaged". The wheel zooms around the
pointer, a drag pans, a double-click on the sea shows the whole world again; hovering a
marker says what it is, a click opens it. Saved as PNG or SVG like any chart.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QMenu, QToolTip, QWidget

from desk.core.domain.words import counted
from desk.core.reference import geo
from desk.ui.widgets.charts import Chart

WORLD = geo.Box(-180.0, -58.0, 180.0, 84.0)  # Antarctica left out: no partner is there
LINES_UP_TO = 400  # beyond this many partners, lines from home are a tangle, not a map
HIT_PIXELS = 8
MOST_ZOOM_DEGREES = 2.0  # the narrowest view: a city and its neighbors
LISTED = 25  # partners a numbered dot lists when zooming cannot part them
CLUSTER_PIXELS = 14  # partners nearer than this on screen are drawn as one numbered dot


@dataclass(frozen=True)
class Marker:
    key: int  # the partnership's id
    latitude: float
    longitude: float
    color: str
    filled: bool  # in force; hollow while proposed, faded when it has lapsed
    faded: bool
    name: str  # what a numbered dot's list calls it; the full summary is asked on hover


@functools.cache
def land_paths() -> tuple[QPainterPath, ...]:
    """Each country as one path in degrees (x = longitude, y = -latitude), built once."""
    paths = []
    for place in geo.countries():
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        for ring in place.rings:
            if len(ring) < 3:
                continue
            path.moveTo(ring[0][0], -ring[0][1])
            for lon, lat in ring[1:]:
                path.lineTo(lon, -lat)
            path.closeSubpath()
        paths.append(path)
    return tuple(paths)


def cluster_radius(count: int) -> float:
    return min(14.0, 7.0 + 1.5 * math.log2(count))


def _clusters(placed: list[tuple[QPointF, Marker]]) -> list[tuple[QPointF, list[Marker]]]:
    """Markers within a few pixels of one another as groups, then groups whose circles
    would overlap merged, so no numbered dot hides another's number."""
    cells: dict[tuple[int, int], list[tuple[QPointF, Marker]]] = {}
    for at, marker in placed:
        cells.setdefault((int(at.x() // CLUSTER_PIXELS), int(at.y() // CLUSTER_PIXELS)), []).append(
            (at, marker)
        )
    groups: list[tuple[QPointF, list[Marker]]] = []
    for cell in cells.values():
        x = sum(p.x() for p, _m in cell) / len(cell)
        y = sum(p.y() for p, _m in cell) / len(cell)
        groups.append((QPointF(x, y), [m for _p, m in cell]))
    groups.sort(key=lambda g: -len(g[1]))
    kept: list[tuple[QPointF, list[Marker]]] = []
    for at, members in groups:
        for n, (there, others) in enumerate(kept):
            reach = cluster_radius(len(members)) + cluster_radius(len(others))
            if len(others) > 1 and math.hypot(at.x() - there.x(), at.y() - there.y()) < reach:
                total = len(members) + len(others)
                middle = QPointF(
                    (there.x() * len(others) + at.x() * len(members)) / total,
                    (there.y() * len(others) + at.y() * len(members)) / total,
                )
                kept[n] = (middle, others + members)
                break
        else:
            kept.append((at, members))
    return kept


class WorldMap(Chart):
    partner_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Where the city is engaged", parent)
        self.view = WORLD
        self.home: tuple[float, float] | None = None
        self.markers: list[Marker] = []
        # A marker's summary, written when it is pointed at: 7,600 written ahead took a
        # quarter of a second of the window's time.
        self.describe: Callable[[int], str] | None = None
        self._shown: list[tuple[QPointF, list[Marker]]] = []
        self._drag: QPointF | None = None
        self._dragged = False
        self.setMouseTracking(True)
        self.setMinimumSize(480, 300)

    def set_markers(self, home: tuple[float, float] | None, markers: Sequence[Marker]) -> None:
        self.home, self.markers = home, list(markers)
        self.setToolTip("")
        self.update()

    def summary(self) -> str:
        return f"{self.title}: {counted(len(self.markers), 'partner')} on the map."

    # -- projection ------------------------------------------------------------------
    def _transform(self, rect: QRectF) -> QTransform:
        """Degrees to pixels: the view fitted into the rectangle, centered, shape kept."""
        view = self.view
        width, height = view.east - view.west, view.north - view.south
        scale = min(rect.width() / width, rect.height() / height)
        left = rect.left() + (rect.width() - width * scale) / 2
        top = rect.top() + (rect.height() - height * scale) / 2
        return QTransform(scale, 0, 0, scale, left - view.west * scale, top + view.north * scale)

    def place(self, latitude: float, longitude: float, rect: QRectF | None = None) -> QPointF:
        """Where a point of the earth falls on the widget (or in `rect`)."""
        return self._transform(rect or self._body()).map(QPointF(longitude, -latitude))

    def _body(self) -> QRectF:
        line = self.fontMetrics().height()
        return QRectF(self.rect()).adjusted(8, line + 10, -8, -6 - (line + 4 if self.note else 0))

    # -- drawing ---------------------------------------------------------------------
    def draw(self, painter: QPainter, rect: QRectF) -> None:
        palette = self.palette()
        dark = palette.window().color().lightness() < 128
        sea = QColor("#1d2a38" if dark else "#eaf1f8")
        land = QColor("#3a4654" if dark else "#d9dee5")
        border = QColor("#2a3542" if dark else "#ffffff")
        transform = self._transform(rect)
        painter.save()
        painter.setClipRect(rect)
        painter.fillRect(rect, sea)
        painter.setTransform(transform, True)
        pen = QPen(border, 0.6)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(land)
        for path in land_paths():
            painter.drawPath(path)
        painter.restore()
        painter.save()
        painter.setClipRect(rect)
        self._shown = []
        home = self.place(*self.home, rect) if self.home else None
        if home is not None and len(self.markers) <= LINES_UP_TO:
            for marker in self.markers:
                to = self.place(marker.latitude, marker.longitude, rect)
                color = QColor(marker.color)
                color.setAlpha(70 if marker.faded else 140)
                line = QPen(color, 1)
                painter.setPen(line)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                bend = QPointF(
                    (home.x() + to.x()) / 2, min(home.y(), to.y()) - abs(to.x() - home.x()) / 6
                )
                curve = QPainterPath(home)
                curve.quadTo(bend, to)
                painter.drawPath(curve)
        # Partners closer than a few pixels are one dot with their number on it, so
        # thousands in one country read as a count, not as a blot; zooming parts them.
        groups = _clusters([(self.place(m.latitude, m.longitude, rect), m) for m in self.markers])
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, self.font().pointSizeF() * 0.8))
        small.setBold(True)
        for at, members in groups:
            self._shown.append((at, members))
            if len(members) == 1:
                marker = members[0]
                color = QColor(marker.color)
                # Faded and hollow keep their kind's color, with an outline that shows
                # on a light map and a dark one alike.
                outline = QPen(color.lighter(135) if dark else color.darker(135), 1.6)
                if marker.faded:
                    outline.setStyle(Qt.PenStyle.DashLine)
                    color.setAlpha(120)
                painter.setPen(outline)
                painter.setBrush(
                    QBrush(color) if marker.filled or marker.faded else Qt.BrushStyle.NoBrush
                )
                painter.drawEllipse(at, 4.5, 4.5)
                continue
            tones = [m.color for m in members]
            color = QColor(max(set(tones), key=tones.count))
            radius = cluster_radius(len(members))
            painter.setPen(QPen(color.darker(150), 1))
            painter.setBrush(color)
            painter.drawEllipse(at, radius, radius)
            painter.setFont(small)
            painter.setPen(QColor("#ffffff"))
            box = QRectF(at.x() - radius, at.y() - radius, 2 * radius, 2 * radius)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, f"{len(members):,}")
        if home is not None:
            ink = palette.windowText().color()
            painter.setPen(QPen(palette.window().color(), 1.5))
            painter.setBrush(ink)
            star = QPainterPath()
            for k in range(10):
                reach = 7.0 if k % 2 == 0 else 3.0
                angle = math.pi / 2 + k * math.pi / 5
                point = QPointF(
                    home.x() + reach * math.cos(angle), home.y() - reach * math.sin(angle)
                )
                star.moveTo(point) if k == 0 else star.lineTo(point)
            star.closeSubpath()
            painter.drawPath(star)
        painter.restore()

    # -- pointing --------------------------------------------------------------------
    def markers_at(self, point: QPointF) -> list[Marker]:
        """The partner under the pointer, or the several a numbered dot stands for: the
        nearest edge wins, so a lone dot beside a big one can still be pointed at."""
        best: list[Marker] = []
        best_gap = float(HIT_PIXELS)
        for at, members in self._shown:
            radius = 4.5 if len(members) == 1 else cluster_radius(len(members))
            gap = max(0.0, math.hypot(at.x() - point.x(), at.y() - point.y()) - radius)
            if gap < best_gap or (gap == best_gap == 0.0 and len(members) == 1):
                best, best_gap = members, gap
        return best

    def marker_at(self, point: QPointF) -> Marker | None:
        found = self.markers_at(point)
        return found[0] if len(found) == 1 else None

    def _tip(self, members: list[Marker]) -> str:
        if len(members) == 1:
            marker = members[0]
            return self.describe(marker.key) if self.describe else marker.name
        names = [m.name for m in members[:8]]
        more = f"\n…and {len(members) - 8:,} more" if len(members) > 8 else ""
        return f"{len(members):,} partners here:\n" + "\n".join(names) + more + "\nClick to zoom in"

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position()
        if self._drag is not None:
            self._pan(point - self._drag)
            self._drag = point
            self._dragged = True
            return
        members = self.markers_at(point)
        if members:
            QToolTip.showText(event.globalPosition().toPoint(), self._tip(members), self)
        else:
            QToolTip.hideText()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag = event.position()
            self._dragged = False

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self._drag = None
        if not self._dragged:
            members = self.markers_at(event.position())
            if len(members) == 1:
                self.partner_clicked.emit(members[0].key)
            elif members and (self._all_in_one_place(members) or self._nearest_possible()):
                self._choose(members, event.globalPosition().toPoint())
            elif members:
                self.zoom(3.0, event.position())

    @staticmethod
    def _all_in_one_place(members: list[Marker]) -> bool:
        first = members[0]
        return all(
            abs(m.latitude - first.latitude) < 1e-6 and abs(m.longitude - first.longitude) < 1e-6
            for m in members
        )

    def _nearest_possible(self) -> bool:
        return self.view.east - self.view.west <= MOST_ZOOM_DEGREES + 0.01

    def _choose(self, members: list[Marker], where: QPoint) -> None:
        """Partners zooming cannot part (placed at one spot): a list to open one from."""
        self.choices(members).exec(where)

    def choices(self, members: list[Marker]) -> QMenu:
        menu = QMenu(self)
        for marker in sorted(members, key=lambda m: m.name.casefold())[:LISTED]:
            menu.addAction(marker.name, functools.partial(self.partner_clicked.emit, marker.key))
        if len(members) > LISTED:
            more = menu.addAction(
                f"…and {len(members) - LISTED:,} more here: filter the Partnerships list"
            )
            more.setEnabled(False)
        return menu

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if not self.markers_at(event.position()):
            self.view = WORLD
            self.update()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom(1.25**steps, event.position())

    def zoom(self, factor: float, around: QPointF | None = None) -> None:
        """Nearer (factor > 1) or farther, keeping the point under the pointer still."""
        rect = self._body()
        inverse, _ok = self._transform(rect).inverted()
        anchor = inverse.map(around or rect.center())
        view = self.view
        width = min(
            WORLD.east - WORLD.west, max(MOST_ZOOM_DEGREES, (view.east - view.west) / factor)
        )
        height = min(WORLD.north - WORLD.south, max(1.0, (view.north - view.south) / factor))
        fx = (anchor.x() - view.west) / (view.east - view.west)
        fy = (-anchor.y() - view.south) / (view.north - view.south)
        west = anchor.x() - fx * width
        south = -anchor.y() - fy * height
        self.view = geo.Box(west, south, west + width, south + height)
        self.update()

    def _pan(self, moved: QPointF) -> None:
        scale = self._transform(self._body()).m11()
        dx, dy = moved.x() / scale, moved.y() / scale
        v = self.view
        self.view = geo.Box(v.west - dx, v.south + dy, v.east - dx, v.north + dy)
        self.update()
