"""The window's one way to write: run a core operation, handle its errors in one place,
and announce what it changed.

Every page, tab and dialog writes through `operations_for(db).run(...)`. The runner
emits `did_execute(changes, initiator)` after each write, so the main window can tell
each page whether the kinds it shows were touched, and a page can skip what it already
did itself. Undo and redo of the latest operation go through the same runner.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desk.core.errors import DeskError, HoldLost, ValidationError
from desk.core.store import undo
from desk.core.store.db import Database
from desk.core.store.operations import Changes

# Operations of more steps than this are undone and redone away from the window.
LARGE_OPERATION = 2_000


class Operations(QObject):
    did_execute = Signal(object, object)  # Changes, the object that started it (or None)

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db

    def run(
        self,
        parent: QWidget | None,
        write: Callable[[Database], Changes],
        *,
        initiator: Any = None,
        title: str = "Not saved",
        on_invalid: Callable[[ValidationError], None] | None = None,
        on_done: Callable[[Changes], None] | None = None,
    ) -> Changes | None:
        """Run one write. Returns its Changes, or None when it was refused: a refusal
        naming a field goes to `on_invalid` (the form shows it under the field), any
        other to a message box. `on_done` runs before the views hear of the change, so
        the one who asked for it is up to date first."""
        try:
            changes = write(self.db)
        except HoldLost as exc:
            from desk.ui.holding import hold_lost

            hold_lost(parent, self.db, str(exc))
            return None
        except ValidationError as exc:
            if on_invalid is not None:
                on_invalid(exc)
            else:
                QMessageBox.warning(parent, title, str(exc))
            return None
        except DeskError as exc:
            QMessageBox.warning(parent, title, str(exc))
            return None
        if on_done is not None:
            on_done(changes)
        self.announce(changes, initiator)
        return changes

    def announce(self, changes: Changes, initiator: Any = None) -> None:
        """Tell every view what an operation changed (also for work done elsewhere, such
        as an import on a background connection)."""
        if changes:
            self.did_execute.emit(changes, initiator)

    def undo_label(self) -> str | None:
        latest = undo.next_undo(self.db)
        return latest.label if latest else None

    def undo_blocked(self) -> bool:
        """The next undo would stop at work that cannot be undone (the menu says so)."""
        latest = undo.next_undo(self.db)
        return latest is not None and undo.blocked(self.db, latest.id) is not None

    def redo_label(self) -> str | None:
        latest = undo.redoable(self.db, 1)
        return latest[0].label if latest else None

    def undo(self, parent: QWidget | None) -> Changes | None:
        latest = undo.next_undo(self.db)
        if latest and undo.blocked(self.db, latest.id) is None and self._large(latest.id):
            return self._elsewhere(parent, "undo", "Cannot undo")
        return self.run(parent, undo.undo, title="Cannot undo")

    def redo(self, parent: QWidget | None) -> Changes | None:
        latest = undo.redoable(self.db, 1)
        if latest and self._large(latest[0].id):
            return self._elsewhere(parent, "redo", "Cannot redo")
        return self.run(parent, undo.redo, title="Cannot redo")

    def _large(self, op_id: int) -> bool:
        (steps,) = self.db.execute(
            "SELECT count(*) FROM history WHERE op_id = ?", (op_id,)
        ).fetchone()
        return self.db.file is not None and steps > LARGE_OPERATION

    def _elsewhere(self, parent: QWidget | None, which: str, title: str) -> Changes | None:
        """Undo or redo an import's worth of records in a process of its own, under a
        progress dialog: taking back 100,000 contacts is half a minute of work that
        would otherwise hold the window still."""
        from desk.core.store import operations
        from desk.ui import jobs, tasks

        assert self.db.file is not None
        words = "Undoing" if which == "undo" else "Redoing"
        try:
            op_id = tasks.wait_for(
                parent,
                words,
                tasks.in_child(jobs.replay, self.db.file, self.db.read_only, which),
            )
        except tasks.Cancelled:
            return None
        except DeskError as exc:
            QMessageBox.warning(parent, title, str(exc))
            return None
        changes = operations.touched(self.db, int(op_id))
        # Told on the next turn of the event loop, as after an import: the window
        # paints between reading what changed and refreshing the page on screen.
        QTimer.singleShot(0, lambda: self.announce(changes))
        return changes


def ask_destructive(
    parent: QWidget | None, title: str, question: str, detail: str, action: str
) -> bool:
    """Ask before something that removes: the button says what it does, Cancel is the
    default. Every such question in the window comes through here."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(question)
    box.setInformativeText(detail)
    go = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is go


def confirm_delete(parent: QWidget | None, noun: str, title: str, impact: str) -> bool:
    return ask_destructive(
        parent,
        f"Delete {noun}",
        f"Delete {noun} “{title}”?",
        f"{impact}\n\nYou can bring it back with Edit > Undo or from the Trash.",
        "Delete",
    )


_RUNNERS: weakref.WeakKeyDictionary[Database, Operations] = weakref.WeakKeyDictionary()


def operations_for(db: Database) -> Operations:
    """The runner of a database's window (one per open database)."""
    runner = _RUNNERS.get(db)
    if runner is None:
        runner = _RUNNERS[db] = Operations(db)
    return runner
