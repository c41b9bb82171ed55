"""The window's side of backups: quiet automatic backups, the sync-folder warning and
the restore dialog.

Automatic backups run on a thread of their own with no progress dialog (they are not
something the person asked for); the result shows in the status bar.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain import dates
from desk.core.errors import DeskError
from desk.core.safety import backups, sync_folders
from desk.core.safety import restore as restoring

CHECK_EVERY_MS = 60 * 60 * 1000


class _Job(QThread):
    done = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[], Any], parent: QObject) -> None:
        super().__init__(parent)
        self.work = work

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # shown in the status bar, never a traceback
            self.failed.emit(exc)
        else:
            self.done.emit(result)


class BackupService(QObject):
    """Backs the database up when the window opens it, then checks every hour."""

    finished = Signal(object)  # the BackupInfo, or None when none was due

    def __init__(self, window: QWidget, db_path: Path, interval_ms: int = CHECK_EVERY_MS):
        super().__init__(window)
        self.window = window
        self.db_path = Path(db_path)
        self.job: _Job | None = None
        self.checking = False  # until its answer arrives, not until its thread ends
        self.last: backups.BackupInfo | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(lambda: self.check(opening=False))
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    def start(self) -> BackupService:
        self.check(opening=True)
        self.timer.start()
        return self

    def check(self, *, opening: bool = False) -> None:
        # A check asked for as the last one's answer arrives runs: its thread may not
        # have ended yet, but its work has.
        if self.checking:
            return
        self.checking = True
        path = self.db_path
        self.job = _Job(lambda: backups.maybe_backup(path, opening=opening), self)
        self.job.done.connect(self._done)
        self.job.failed.connect(self._failed)
        self.job.start()

    def stop(self) -> None:
        self.timer.stop()
        if self.job is not None:
            self.job.wait()

    def _done(self, info: backups.BackupInfo | None) -> None:
        self.checking = False
        if info is not None:
            self.last = info
            message = f"Backed up at {dates.clock(info.taken_at)}"
            self._say(f"{message}. {info.note}" if info.note else message)
        self.finished.emit(info)

    def _failed(self, exc: BaseException) -> None:
        self.checking = False
        self._say(f"Automatic backup failed: {exc}")
        self.finished.emit(None)

    def _say(self, message: str) -> None:
        if isinstance(self.window, QMainWindow):
            self.window.statusBar().showMessage(message, 15000)


def start_backups(window: QWidget, db_path: Path, db: Any = None) -> BackupService:
    """Everything the window does about backups on opening a database it holds."""
    warn_if_synced(window, db_path)
    if db is not None:
        try:
            note = backups.claim_identity(db)
        except DeskError as exc:
            note = f"desk could not give this copy an identity of its own: {exc}"
        if note and isinstance(window, QMainWindow):
            window.statusBar().showMessage(note, 15000)
    return BackupService(window, db_path).start()


def warn_if_synced(parent: QWidget | None, db_path: Path) -> None:
    client = sync_folders.sync_warning_due(db_path)
    if client is None:
        return
    QMessageBox.warning(
        parent,
        "The database is in a synced folder",
        sync_folders.sync_warning_text(client, db_path),
    )
    with contextlib.suppress(DeskError):
        sync_folders.mark_sync_warning_shown(db_path)


# -- restore -----------------------------------------------------------------------------


class RestoreDialog(QDialog):
    def __init__(self, parent: QWidget | None, db_path: Path) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.setWindowTitle("Restore a backup")
        self.resize(760, 360)
        folder, note = backups.folder_status(self.db_path)
        self.found = backups.list_backups(self.db_path)
        layout = QVBoxLayout(self)
        intro = f"Backups of {self.db_path.name} in {folder}."
        if note:
            intro += f"\n{note}"
        others = backups.others_note(self.db_path)
        if others:
            intro += f"\n{others}"
        if not self.found:
            intro += "\nThere are no backups yet."
        label = QLabel(intro)
        label.setWordWrap(True)
        layout.addWidget(label)
        headers = ["When", "Reason", "Size", *backups.counted_headers()]
        self.table = QTableWidget(len(self.found), len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        for row, info in enumerate(self.found):
            reason = backups.REASON_WORDS.get(info.reason, info.reason)
            cells = [dates.short_when(info.taken_at), reason, backups.size_text(info.size)]
            if info.damaged:
                cells.append(f"damaged: {info.damaged}")
            else:
                cells += [f"{info.counts.get(t, 0):,}" for t in backups.COUNTED]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = QPushButton("Restore…")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.activated.connect(lambda _index: self.accept())
        if self.found:
            self.table.selectRow(0)
        self._selection_changed()

    def chosen(self) -> backups.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.found[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        info = self.chosen()
        self.restore_button.setEnabled(info is not None and not info.damaged)


def restore_dialog(parent: QWidget | None, db_path: Path) -> backups.RestoreResult | None:
    """Lists the backups and restores the chosen one after a confirmation (File >
    Restore). Returns what was done, or None when the person stopped."""
    dialog = RestoreDialog(parent, db_path)
    if not dialog.exec():
        return None
    info = dialog.chosen()
    if info is None:
        return None
    question = (
        f"Replace the records in {Path(db_path).name} with the backup taken "
        f"{dates.long_when(info.taken_at)} ({backups.counts_text(info.counts)})?\n\n"
        "A backup of the database as it is now is taken first; to go back, restore that "
        "one. Undo does not reach across a restore."
    )
    answer = QMessageBox.question(
        parent,
        "Restore a backup",
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    from desk.ui import tasks

    chosen = info.path

    def job(database: Any, progress: tasks.Progress) -> backups.RestoreResult:
        return restoring.restore(database, chosen, progress=progress)

    try:
        # On a connection of its own, off the window's thread: the window keeps painting
        # while a large database is put back, and every write of its own waits its turn.
        result: backups.RestoreResult = tasks.wait_for(
            parent, "Restoring the backup", tasks.on_own_connection(db_path, job)
        )
    except tasks.Cancelled:
        return None
    except DeskError as exc:
        QMessageBox.warning(parent, "desk could not restore the backup", str(exc))
        return None
    refresh = getattr(parent, "refresh_all", None)
    if callable(refresh):
        refresh()
    if isinstance(parent, QMainWindow):
        stamp = dates.clock(dt.datetime.now())
        parent.statusBar().showMessage(
            f"Restored the backup taken {dates.short_when(info.taken_at)} at {stamp}; it "
            f"replaced {backups.counts_text(result.replaced)}",
            15000,
        )
    return result
