"""Nothing changes under the mouse wheel: a choice, a number, a date or a slider takes
the wheel only when it has focus (the person clicked or tabbed into it, and means it);
over any other it scrolls what holds the control. Kept apart from the editors so the
window can guard every control from its start without loading them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QScrollBar,
    QWidget,
)


def _holds_value(widget: QObject) -> bool:
    """A control the wheel would change the value of: a choice, a number, a date, a
    slider; not a scroll bar, which the wheel is for."""
    return isinstance(widget, QComboBox | QAbstractSpinBox) or (
        isinstance(widget, QAbstractSlider) and not isinstance(widget, QScrollBar)
    )


class WheelGuard(QObject):
    """The mouse wheel changes a control's value only when the control has focus (the
    person clicked or tabbed into it, and means it); over any other it scrolls what
    holds the control, as over the form's labels. Such controls also stop taking focus
    from the wheel itself, which would otherwise make every wheel 'meant'.

    One filter for every editor (Editor guards its own controls when first shown) and
    for any other widget tree (`guard_wheel`), or the whole application
    (`install_wheel_guard`)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, QWidget) and _holds_value(watched):
            _no_wheel_focus(watched)
        elif kind == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            control = _value_control(watched)
            if control is not None and not control.hasFocus():
                _scroll_instead(control, event)
                return True
        return False


def _value_control(watched: QObject) -> QWidget | None:
    """The control a wheel event over `watched` would change: itself, or the control
    whose own line it is (an editable combo box's, a spin box's). Never a list open
    under a combo box, which the wheel scrolls."""
    if isinstance(watched, QLineEdit):
        watched = watched.parentWidget() or watched
    return watched if isinstance(watched, QWidget) and _holds_value(watched) else None


def _no_wheel_focus(control: QWidget) -> None:
    if control.focusPolicy() == Qt.FocusPolicy.WheelFocus:
        control.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


def _scroll_instead(control: QWidget, event: QWheelEvent) -> None:
    """Hand the wheel to the nearest scrolling area around the control (the form's), as
    if the pointer were over the form itself."""
    holder = control.parentWidget()
    while holder is not None and not isinstance(holder, QAbstractScrollArea):
        holder = holder.parentWidget()
    if holder is None:
        return
    target = holder.viewport()
    at = target.mapFromGlobal(event.globalPosition())
    passed = QWheelEvent(
        at,
        event.globalPosition(),
        event.pixelDelta(),
        event.angleDelta(),
        event.buttons(),
        event.modifiers(),
        event.phase(),
        event.inverted(),
    )
    QCoreApplication.sendEvent(target, passed)


_GUARD: WheelGuard | None = None


def wheel_guard() -> WheelGuard:
    global _GUARD
    if _GUARD is None:
        _GUARD = WheelGuard()
    return _GUARD


def guard_wheel(root: QWidget) -> None:
    """Keep the wheel from changing any value control in `root` (and root itself)
    unless it has focus."""
    for control in [root, *root.findChildren(QWidget)]:
        if _holds_value(control):
            _no_wheel_focus(control)
            control.installEventFilter(wheel_guard())


def install_wheel_guard(app: QCoreApplication) -> None:
    """The same for every window of the application: each control as it is polished."""
    app.installEventFilter(wheel_guard())
