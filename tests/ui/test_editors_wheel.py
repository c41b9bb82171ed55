"""Nothing changes under the wheel: scrolling a form over its fields scrolls the form, and
no choice, number or date moves unless its control has focus."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain.kinds import KINDS
from desk.core.store import records
from desk.core.store.db import Database
from desk.ui.wheel import install_wheel_guard, wheel_guard
from desk.ui.widgets.form import RecordForm


def _wheel(widget: QWidget, notches: int) -> None:
    """The wheel turned over the middle of `widget` (down for a positive count)."""
    middle = widget.rect().center()
    event = QWheelEvent(
        QPointF(middle),
        QPointF(widget.mapToGlobal(middle)),
        QPoint(0, 0),
        QPoint(0, -120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def _scrolled_form(qtbot: Any, db: Database, kind: str) -> tuple[QScrollArea, RecordForm]:
    form = RecordForm(db, kind)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(form)
    area.resize(520, 300)  # shorter than any form with a choice: it scrolls
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    return area, form


def _every_part(form: RecordForm) -> list[QWidget]:
    return [
        part
        for editor in form.editors.values()
        for part in [editor, *editor.findChildren(QWidget)]
        if part.isVisible()
    ]


def test_scrolling_down_a_contacts_form_leaves_its_choices_empty(qtbot: Any, db: Database) -> None:
    contact = records.create(db, "contact", {"family_name": "Sato"}).id
    area, form = _scrolled_form(qtbot, db, "contact")
    form.load(records.get(db, "contact", contact))
    empty = {
        name: editor.focus_widget()
        for name, editor in form.editors.items()
        if isinstance(editor.focus_widget(), QComboBox) and editor.value() is None
    }
    assert "country" in empty, "a contact's form has empty choices to scroll over"
    before = form.values()
    for combo in empty.values():
        for _ in range(5):
            _wheel(combo, 1)
    assert form.values() == before
    assert not form.dirty
    # The form scrolled instead, as over its labels.
    assert area.verticalScrollBar().value() > 0


@pytest.mark.parametrize("kind", sorted(k for k in KINDS if k != "attachment"))
def test_the_wheel_over_every_editor_of_every_form_changes_nothing(
    qtbot: Any, db: Database, kind: str
) -> None:
    _area, form = _scrolled_form(qtbot, db, kind)
    form.load(None)
    before = form.values()
    parts = _every_part(form)
    assert parts
    for part in parts:
        _wheel(part, 1)
        _wheel(part, 3)
        _wheel(part, -1)
    assert form.values() == before
    assert not form.dirty


def test_a_choice_with_focus_takes_the_wheel(qtbot: Any, db: Database) -> None:
    _area, form = _scrolled_form(qtbot, db, "partnership")
    combo = form.editors["kind"].focus_widget()
    assert isinstance(combo, QComboBox)
    # The wheel alone never gives it focus; a click or Tab does.
    assert combo.focusPolicy() == Qt.FocusPolicy.StrongFocus
    before = combo.currentIndex()
    form.window().activateWindow()
    combo.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(combo.hasFocus)
    _wheel(combo, 1)
    assert combo.currentIndex() != before
    assert form.dirty


def test_every_window_of_the_application_can_be_guarded(qtbot: Any) -> None:
    """Controls outside the record forms (a wizard's lists, a page's filters) are kept
    the same way once the application carries the guard."""
    app = QApplication.instance()
    assert app is not None
    install_wheel_guard(app)
    try:
        holder = QWidget()
        column = QVBoxLayout(holder)
        spin, day, choice = QSpinBox(), QDateEdit(), QComboBox()
        choice.addItems(["one", "two", "three"])
        for control in (spin, day, choice):
            column.addWidget(control)
        column.addSpacing(2000)
        area = QScrollArea()
        area.setWidget(holder)
        area.resize(300, 200)
        qtbot.addWidget(area)
        area.show()
        qtbot.waitExposed(area)
        values = (spin.value(), day.date(), choice.currentIndex())
        for control in (spin, day, choice):
            assert control.focusPolicy() == Qt.FocusPolicy.StrongFocus
            _wheel(control, -2)
        assert (spin.value(), day.date(), choice.currentIndex()) == values
        assert area.verticalScrollBar().value() == 0  # scrolled up at the top: nowhere
        _wheel(choice, 2)
        assert area.verticalScrollBar().value() > 0
    finally:
        app.removeEventFilter(wheel_guard())


def test_the_window_guards_its_pages_and_every_dialog_it_fits(
    qtbot: Any, db: Database, db_path: Any
) -> None:
    """Pages are guarded as the window builds them, dialogs as they are fitted to the
    screen: the dashboard's years, the map's choices and a wizard's list, outside any
    form, stay put under a wheel that passes over them."""
    from PySide6.QtWidgets import QDialog

    from desk.ui.main_window import MainWindow
    from desk.ui.screen import fit

    window = MainWindow(db, db_path)
    qtbot.addWidget(window)
    window.show()
    window.show_page("dashboard")
    dashboard = window.page("dashboard")
    window.show_page("map")
    kinds = window.page("map").findChildren(QComboBox)[0]
    window.show_page("dashboard")
    qtbot.waitExposed(window)
    window.nav.setFocus()
    years = dashboard.first_year.value()
    _wheel(dashboard.first_year, 2)
    assert dashboard.first_year.value() == years
    window.show_page("map")
    chosen = kinds.currentIndex()
    _wheel(kinds, -1)
    assert kinds.currentIndex() == chosen

    dialog = QDialog(window)
    choice = QComboBox(dialog)
    choice.addItems(["2020", "2021", "2022"])
    fit(dialog, 300, 200)
    dialog.show()
    qtbot.waitExposed(dialog)
    _wheel(choice, 1)
    assert choice.currentIndex() == 0
    dialog.close()
