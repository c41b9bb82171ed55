"""Colors that mean something (overdue, warning, fine, quiet), readable on the light
and the dark themes alike: each has a shade for a light background and one for a dark."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

# (on a light background, on a dark background)
_TONES = {
    "danger": ("#b3261e", "#ff8a80"),
    "warning": ("#8a5300", "#ffcc66"),
    "ok": ("#1b6e2e", "#8fd19e"),
    "info": ("#1a5fb4", "#99c1f1"),
    "muted": ("#5f6368", "#a8adb3"),
}

# A partnership's, agreement's or visit's status, as the tone it is shown in.
STATUS_TONES = {
    "active": "ok",
    "friendship": "ok",
    "in_force": "ok",
    "signed": "ok",
    "confirmed": "ok",
    "accepted": "ok",
    "completed": "muted",
    "proposed": "info",
    "draft": "info",
    "negotiating": "info",
    "requested": "info",
    "under_review": "info",
    "planned": "info",
    "dormant": "warning",
    "lapsed": "warning",
    "suspended": "danger",
    "ended": "muted",
    "expired": "muted",
    "terminated": "muted",
    "declined": "muted",
    "cancelled": "muted",
}


def dark_theme(palette: QPalette | None = None) -> bool:
    if palette is None:
        app = QApplication.instance()
        palette = app.palette() if isinstance(app, QApplication) else QPalette()
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def tone(name: str, palette: QPalette | None = None) -> QColor:
    light, dark = _TONES[name]
    return QColor(dark if dark_theme(palette) else light)


def status_color(status: str | None, palette: QPalette | None = None) -> QColor | None:
    found = STATUS_TONES.get(status or "")
    return tone(found, palette) if found else None
