"""Windows and dialogs sized to the screen they open on: never taller than what is left
above the taskbar, so Save is always on screen on a 1280x720 laptop."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def fit(
    widget: QWidget, width: int, height: int, share: float = 0.92, *, guard: bool = True
) -> None:
    """Resize to `width` x `height`, or to `share` of the screen's free area if smaller.
    Every dialog is fitted once it is built, so its choices and numbers are kept from
    the wheel here too (see `wheel`); the main window guards its pages as it builds them."""
    if guard:
        from desk.ui.wheel import guard_wheel

        guard_wheel(widget)
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        widget.resize(width, height)
        return
    room = screen.availableGeometry()
    widget.resize(min(width, int(room.width() * share)), min(height, int(room.height() * share)))
