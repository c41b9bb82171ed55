"""A small locator map for a packet: the partner city's region, its country picked out,
a dot on the city, and an inset of the world showing where the view lies."""

from __future__ import annotations

import functools
from collections.abc import Callable

from reportlab.graphics.shapes import Circle, Drawing, Path, Rect, String
from reportlab.lib import colors

from desk.core.reference import geo
from desk.reports.writers.pdf import ACCENT, INK, MARKING_RED, RULE

# The `type: ignore[arg-type]` on Rect's keywords below: types-reportlab annotates its
# `**kw` as `_SolidShapeKwArgs` rather than `Unpack[_SolidShapeKwArgs]` (Circle and
# Path have it right), so every keyword is checked against the whole TypedDict.

SEA = colors.HexColor("#eaf1f8")
LAND = colors.HexColor("#d9dee5")
BORDER = colors.white
PICKED = colors.HexColor("#8fb0d6")
# Points closer than this on paper add nothing a reader can see.
_FINEST = 0.6


def locator_map(
    lat: float, lon: float, code: str | None, *, width: float, height: float
) -> Drawing:
    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=SEA, strokeColor=None))  # type: ignore[arg-type]
    view = geo.view_around(lat, lon, code, width / height)
    project = _projection(view, width, height)
    picked = (code or "").upper()
    for place, ring in geo.rings_in(view):
        points = _clip([project(x, y) for x, y in ring], width, height)
        if len(points) < 3:
            continue
        chosen = picked and place.code == picked
        drawing.add(
            _path(
                points,
                fill=PICKED if chosen else LAND,
                stroke=ACCENT if chosen else BORDER,
                width=0.6 if chosen else 0.35,
            )
        )
    x, y = project(lon, lat)
    drawing.add(Circle(x, y, 3.2, fillColor=MARKING_RED, strokeColor=colors.white, strokeWidth=1))
    _inset(drawing, view, width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=None, strokeColor=RULE, strokeWidth=0.6))  # type: ignore[arg-type]
    return drawing


def _projection(
    view: geo.Box, width: float, height: float
) -> Callable[[float, float], tuple[float, float]]:
    sx = width / (view.east - view.west)
    sy = height / (view.north - view.south)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (lon - view.west) * sx, (lat - view.south) * sy

    return project


def _path(
    points: list[tuple[float, float]], *, fill: colors.Color, stroke: colors.Color, width: float
) -> Path:
    path = Path(fillColor=fill, strokeColor=stroke, strokeWidth=width, strokeLineJoin=1)
    last = points[0]
    path.moveTo(*last)
    for point in points[1:]:
        if abs(point[0] - last[0]) + abs(point[1] - last[1]) >= _FINEST:
            path.lineTo(*point)
            last = point
    path.closePath()
    return path


def _clip(
    points: list[tuple[float, float]], width: float, height: float
) -> list[tuple[float, float]]:
    """Sutherland–Hodgman against the map's frame, so no shape spills onto the page."""
    edges = (
        (lambda p: p[0] >= 0, lambda a, b: _cross_x(a, b, 0)),
        (lambda p: p[0] <= width, lambda a, b: _cross_x(a, b, width)),
        (lambda p: p[1] >= 0, lambda a, b: _cross_y(a, b, 0)),
        (lambda p: p[1] <= height, lambda a, b: _cross_y(a, b, height)),
    )
    for inside, cross in edges:
        if not points:
            break
        kept = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    kept.append(cross(previous, point))
                kept.append(point)
            elif inside(previous):
                kept.append(cross(previous, point))
            previous = point
        points = kept
    return points


def _cross_x(a: tuple[float, float], b: tuple[float, float], x: float) -> tuple[float, float]:
    t = (x - a[0]) / (b[0] - a[0])
    return x, a[1] + t * (b[1] - a[1])


def _cross_y(a: tuple[float, float], b: tuple[float, float], y: float) -> tuple[float, float]:
    t = (y - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), y


_INSET_W, _INSET_H = 72.0, 36.0


@functools.cache
def _world_outline() -> tuple[tuple[tuple[float, float], ...], ...]:
    """The world at inset size, simplified once: a few thousand points, not 100,000."""
    rings = []
    for place in geo.countries():
        for ring, box in zip(place.rings, place.boxes, strict=True):
            if (box.east - box.west) * (box.north - box.south) < 10:
                continue  # islands too small to see at this size
            points = [((x + 180) / 360 * _INSET_W, (y + 60) / 150 * _INSET_H) for x, y in ring]
            kept = [points[0]]
            for point in points[1:]:
                if abs(point[0] - kept[-1][0]) + abs(point[1] - kept[-1][1]) >= 1.2:
                    kept.append(point)
            kept = _clip(kept, _INSET_W, _INSET_H)  # Chukotka runs on past 180°
            if len(kept) >= 3:
                rings.append(tuple(kept))
    return tuple(rings)


def _inset(drawing: Drawing, view: geo.Box, width: float, height: float) -> None:
    left, bottom = width - _INSET_W - 3, 3
    drawing.add(
        Rect(
            left,
            bottom,
            _INSET_W,
            _INSET_H,
            fillColor=colors.white,  # type: ignore[arg-type]
            strokeColor=RULE,  # type: ignore[arg-type]
            strokeWidth=0.4,  # type: ignore[arg-type]
        )
    )
    world = Path(fillColor=LAND, strokeColor=None)  # one shape: a thousand are slow to write
    for ring in _world_outline():
        world.moveTo(left + ring[0][0], bottom + ring[0][1])
        for x, y in ring[1:]:
            world.lineTo(left + x, bottom + y)
        world.closePath()
    drawing.add(world)
    west = (view.west + 180) / 360 * _INSET_W
    east = (view.east + 180) / 360 * _INSET_W
    south = (max(view.south, -60) + 60) / 150 * _INSET_H
    north = (min(view.north, 90) + 60) / 150 * _INSET_H
    for shift in (0.0, -_INSET_W, _INSET_W):  # a view across the antimeridian wraps
        x0, x1 = max(west + shift, 0), min(east + shift, _INSET_W)
        if x1 > x0:
            drawing.add(
                Rect(
                    left + x0,
                    bottom + south,
                    max(x1 - x0, 1.5),
                    max(north - south, 1.5),
                    fillColor=None,  # type: ignore[arg-type]
                    strokeColor=MARKING_RED,  # type: ignore[arg-type]
                    strokeWidth=0.8,  # type: ignore[arg-type]
                )
            )


WORLD_VIEW = geo.Box(-170.0, -56.0, 190.0, 80.0)


def world_map(
    home: tuple[float, float] | None,
    partners: list[tuple[float, float, colors.Color]],
    *,
    width: float,
    height: float,
    legend: list[tuple[str, colors.Color]] | None = None,
) -> Drawing:
    """The world with a dot for each partner (latitude, longitude, color), partners that
    would overlap as one dot with their number on it, a square at home, and a key: the
    annual report's "where we are engaged"."""
    from math import log2

    from desk.reports.writers.fonts import SANS_BOLD

    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=SEA, strokeColor=None))  # type: ignore[arg-type]
    view = WORLD_VIEW
    project = _projection(view, width, height)
    for _place, ring in geo.rings_in(view):
        points = _clip([project(x, y) for x, y in ring], width, height)
        if len(points) >= 3:
            drawing.add(_path(points, fill=LAND, stroke=BORDER, width=0.25))
    cells: dict[tuple[int, int], list[tuple[float, float, colors.Color]]] = {}
    for lat, lon, color in partners:
        x, y = project(lon if lon >= view.west else lon + 360, lat)
        cells.setdefault((int(x // 9), int(y // 9)), []).append((x, y, color))
    for group in cells.values():
        x = sum(g[0] for g in group) / len(group)
        y = sum(g[1] for g in group) / len(group)
        tones = [g[2] for g in group]
        color = max(tones, key=tones.count)
        if len(group) == 1:
            drawing.add(
                Circle(x, y, 3.0, fillColor=color, strokeColor=colors.white, strokeWidth=0.5)
            )
            continue
        radius = 4.5 + 1.4 * log2(len(group))
        drawing.add(
            Circle(x, y, radius, fillColor=color, strokeColor=colors.white, strokeWidth=0.5)
        )
        drawing.add(
            String(
                x, y - 2.2, f"{len(group):,}", fontName=SANS_BOLD, fontSize=6,
                fillColor=colors.white, textAnchor="middle",
            )
        )  # fmt: skip
    if home is not None:
        x, y = project(home[1], home[0])
        drawing.add(Rect(x - 3.5, y - 3.5, 7, 7, fillColor=MARKING_RED, strokeColor=colors.white))  # type: ignore[arg-type]
    # The key, on the sea at the bottom left: each kind's color, and home.
    keys = [*(legend or []), ("Home", MARKING_RED)]
    x = 6.0
    for text, color in keys:
        drawing.add(Rect(x, 6, 7, 7, fillColor=color, strokeColor=colors.white, strokeWidth=0.4))  # type: ignore[arg-type]
        drawing.add(String(x + 10, 7, text, fontName=SANS_BOLD, fontSize=6.5, fillColor=INK))
        x += 10 + len(text) * 3.6 + 10
    drawing.add(Rect(0, 0, width, height, fillColor=None, strokeColor=RULE, strokeWidth=0.6))  # type: ignore[arg-type]
    return drawing
