"""How the window looks, as the person chose it: light, dark or the system's theme, and
the text size. Both are remembered in the settings and applied to the whole application."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from desk.ui.settings import settings

THEMES = {"system": "System", "light": "Light", "dark": "Dark"}
# Text size in steps of a tenth of the starting size, each way.
ZOOM_STEPS = (-3, 6)

_DARK = {
    QPalette.ColorRole.Window: "#202124",
    QPalette.ColorRole.WindowText: "#e8eaed",
    QPalette.ColorRole.Base: "#17181a",
    QPalette.ColorRole.AlternateBase: "#26282b",
    # Tinted, not grey: the notice bar and tooltips stand apart from the page.
    QPalette.ColorRole.ToolTipBase: "#2c3b52",
    QPalette.ColorRole.ToolTipText: "#e8eaed",
    QPalette.ColorRole.PlaceholderText: "#9aa0a6",
    QPalette.ColorRole.Text: "#e8eaed",
    QPalette.ColorRole.Button: "#2b2d30",
    QPalette.ColorRole.ButtonText: "#e8eaed",
    QPalette.ColorRole.BrightText: "#ff8a80",
    QPalette.ColorRole.Link: "#8ab4f8",
    QPalette.ColorRole.LinkVisited: "#c58af9",
    QPalette.ColorRole.Highlight: "#3d6fb4",
    QPalette.ColorRole.HighlightedText: "#ffffff",
}


def _state() -> dict[str, object]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    found = app.property("desk_appearance")
    if not isinstance(found, dict):
        # palette() and font() hand back copies already; QPalette's copy constructor
        # would cost 17 ms at startup resolving its overloads.
        found = {"palette": app.palette(), "font": app.font()}
        app.setProperty("desk_appearance", found)
    return found


def theme() -> str:
    chosen = str(settings().value("view/theme", "system"))
    return chosen if chosen in THEMES else "system"


def zoom() -> int:
    try:
        steps = int(str(settings().value("view/zoom", 0)))
    except (TypeError, ValueError):
        steps = 0
    return max(ZOOM_STEPS[0], min(ZOOM_STEPS[1], steps))


def apply(app: QApplication) -> None:
    """The remembered theme and text size, on the application."""
    state = _state()
    system_palette = state["palette"]
    assert isinstance(system_palette, QPalette)
    chosen = theme()
    if chosen == "system":
        app.setPalette(system_palette)
    else:
        # Fusion draws every widget from the palette, so a dark palette is dark throughout.
        app.setStyle(QStyleFactory.create("Fusion"))
        palette = QStyleFactory.create("Fusion").standardPalette()
        if chosen == "dark":
            # Greyed-out controls too: Fusion's own disabled colors are its light ones,
            # and a disabled button drawn pale beside a dark working one reads backwards.
            for group in (
                QPalette.ColorGroup.Active,
                QPalette.ColorGroup.Inactive,
                QPalette.ColorGroup.Disabled,
            ):
                for role, color in _DARK.items():
                    palette.setColor(group, role, QColor(color))
            for role in (
                QPalette.ColorRole.Text,
                QPalette.ColorRole.ButtonText,
                QPalette.ColorRole.WindowText,
            ):
                palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7f8388"))
        app.setPalette(palette)
    base = state["font"]
    assert isinstance(base, QFont)
    font = QFont(base)
    size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
    font.setPointSizeF(size * (1 + zoom() / 10))
    app.setFont(font)


def set_theme(app: QApplication, name: str) -> None:
    settings().setValue("view/theme", name if name in THEMES else "system")
    apply(app)


def change_zoom(app: QApplication, step: int) -> int:
    """One step larger (1), smaller (-1) or back to the start (0); the new steps."""
    steps = 0 if step == 0 else max(ZOOM_STEPS[0], min(ZOOM_STEPS[1], zoom() + step))
    settings().setValue("view/zoom", steps)
    apply(app)
    return steps
