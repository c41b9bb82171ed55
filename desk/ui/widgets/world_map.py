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
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
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
from PySide6.QtWidgets import QToolTip, QWidget

from desk.core import geo
from desk.ui.widgets.charts import Chart

WORLD = geo.Box(-180.0, -58.0, 180.0, 84.0)  # Antarctica left out: no partner is there
LINES_UP_TO = 400  # beyond this many partners, lines from home are a tangle, not a map
HIT_PIXELS = 8
CLUSTER_PIXELS = 9  # partners nearer than this on screen are drawn as one numbered dot


@dataclass(frozen=True)
class Marker:
    key: int  # the partnership's id
    latitude: float
    longitude: float
    color: str
    filled: bool  # in force; hollow while proposed, faded when it has lapsed
    faded: bool
    tip: str


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


class WorldMap(Chart):
    partner_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Where the city is engaged", parent)
        self.view = WORLD
        self.home: tuple[float, float] | None = None
        self.markers: list[Marker] = []
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
        return f"{self.title}: {len(self.markers):,} partners on the map."

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
        cells: dict[tuple[int, int], list[tuple[QPointF, Marker]]] = {}
        for marker in self.markers:
            at = self.place(marker.latitude, marker.longitude, rect)
            key = (int(at.x() // CLUSTER_PIXELS), int(at.y() // CLUSTER_PIXELS))
            cells.setdefault(key, []).append((at, marker))
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, self.font().pointSizeF() * 0.8))
        small.setBold(True)
        for group in cells.values():
            if len(group) == 1:
                at, marker = group[0]
                self._shown.append((at, [marker]))
                color = QColor(marker.color)
                if marker.faded:
                    color.setAlpha(110)
                painter.setPen(QPen(color.darker(140), 1))
                painter.setBrush(QBrush(color) if marker.filled else Qt.BrushStyle.NoBrush)
                painter.drawEllipse(at, 4.0, 4.0)
                continue
            members = [m for _at, m in group]
            at = QPointF(
                sum(p.x() for p, _m in group) / len(group),
                sum(p.y() for p, _m in group) / len(group),
            )
            self._shown.append((at, members))
            colors = [m.color for m in members]
            color = QColor(max(set(colors), key=colors.count))
            radius = 6.0 + 2.2 * math.log2(len(members))
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
        """The partner under the pointer, or the several a numbered dot stands for."""
        best: list[Marker] = []
        best_distance = float(HIT_PIXELS)
        for at, members in self._shown:
            reach = best_distance + (0 if len(members) == 1 else 6 + 2.2 * math.log2(len(members)))
            distance = math.hypot(at.x() - point.x(), at.y() - point.y())
            if distance <= reach:
                best, best_distance = members, min(distance, best_distance)
        return best

    def marker_at(self, point: QPointF) -> Marker | None:
        found = self.markers_at(point)
        return found[0] if len(found) == 1 else None

    def _tip(self, members: list[Marker]) -> str:
        if len(members) == 1:
            return members[0].tip
        names = [m.tip.split("\n", 1)[0] for m in members[:8]]
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
            elif members:
                self.zoom(3.0, event.position())

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
        width = min(WORLD.east - WORLD.west, max(2.0, (view.east - view.west) / factor))
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
