"""Leaving a form with unsaved changes: the same question everywhere, and never a trap.

Save, Discard or Cancel. A Save that is refused (a bad value) keeps the user where they
are with the field marked; Discard always lets them go, so a bad value never blocks
leaving a page or closing the window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from desk.ui.widgets.form import RecordForm


def confirm_leave(parent: QWidget, form: RecordForm, what: str, save: Callable[[], bool]) -> bool:
    """True when it is fine to leave: nothing unsaved, saved now, or discarded."""
    if not form.dirty:
        return True
    answer = QMessageBox.question(
        parent,
        "Unsaved changes",
        f"Save the changes to {what}?",
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Save,
    )
    if answer == QMessageBox.StandardButton.Save:
        return save()
    if answer == QMessageBox.StandardButton.Discard:
        form.mark_clean()
        return True
    return False
