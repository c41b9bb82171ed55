"""Starting the window: the Qt application, fonts, the database, the main window."""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desk.core.errors import DeskError
from desk.core.store import db as dbmod
from desk.ui.fonts import load_fonts

if TYPE_CHECKING:
    from desk.ui.agenda_ahead import AgendaAhead
    from desk.ui.backup_service import BackupService

BACKUPS_AFTER_MS = 300


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("desk")
    app.setOrganizationName("desk")
    app.setDesktopFileName("desk")  # the menu entry's name, for Wayland's task bar
    from PySide6.QtCore import QLocale
    from PySide6.QtGui import QIcon

    # desk speaks U.S. English wherever Qt writes for it too (a file dialog's dates, a
    # number box), whatever the machine's own setting: one style everywhere.
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))

    from desk.core.paths import resource_path

    app.setWindowIcon(QIcon(str(resource_path("icons", "desk-256.png"))))
    load_fonts(app)
    from desk.ui import appearance

    appearance.apply(app)
    return app


def _report_unexpected(
    kind: type[BaseException], error: BaseException, tb: TracebackType | None
) -> None:
    """A failure inside an event handler: logged, said in one sentence; the window stays
    open, since every write is one transaction and nothing was half-done."""
    from desk.core.safety import crash

    if isinstance(error, KeyboardInterrupt):
        sys.__excepthook__(kind, error, tb)
        return
    message = crash.one_line(error, crash.write_log(error))
    print(f"desk: {message}", file=sys.stderr)
    if QApplication.instance() is not None:
        QMessageBox.warning(None, "Something went wrong", message)


def _collect_from_here() -> None:
    gc.freeze()
    gc.enable()


def open_for_window(path: Path, read_only: str | None = None) -> dbmod.Database:
    """Open the database for the window; an upgrade from an earlier desk runs on a
    thread of its own first, under a progress dialog (rebuilding the search index of
    100,000 contacts takes seconds), rather than before any window appears at all."""
    if read_only is None and dbmod.needs_upgrade(path):
        from desk.ui import tasks

        def upgrade(progress: tasks.Progress) -> None:
            progress(
                0,
                0,
                f"Upgrading {path.name} for this version of desk. This happens once; "
                "the file as it was is kept beside it.",
            )
            dbmod.open_database(path, create=False).close()

        tasks.wait_for(None, "Upgrading the database", upgrade, cancellable=False)
    return dbmod.open_database(path, read_only=read_only)


def run(path: Path, read_only: str | None = None, ahead: AgendaAhead | None = None) -> int:
    if ahead is None:
        from desk.ui.agenda_ahead import AgendaAhead

        ahead = AgendaAhead(path)  # read while the application and the window load
    app = application()
    sys.excepthook = _report_unexpected
    from desk.ui.holding import hold_or_ask

    owner = None
    if read_only is None:
        owner, go_on, read_only = hold_or_ask(path)  # one window per database; others read-only
        if not go_on:
            return 1
    try:
        database = open_for_window(path, read_only)
    except DeskError as exc:
        QMessageBox.critical(None, "desk cannot open the database", str(exc))
        return 1
    if ahead.any_due(database) and not database.read_only:
        from desk.core.store.hooks.partnerships import statuses_come_due

        statuses_come_due(database)  # planned status changes whose day has come
    from desk.ui.databases import remember
    from desk.ui.main_window import MainWindow

    remember(path)
    window = MainWindow(database, path, ahead)
    window.show()
    # Once the window is painted: what starting made stays for the window's life, so
    # the collector is told to leave it be, and goes back to work on what comes after.
    QTimer.singleShot(0, _collect_from_here)
    services: list[BackupService] = []
    if owner is not None:

        def start() -> None:
            from desk.ui.backup_service import start_backups

            services.append(start_backups(window, path, database))
            # Files attached since the text inside them was last read, read now, quietly.
            from desk.ui import jobs, tasks

            tasks.run(
                window,
                "Reading attached files",
                tasks.in_child(jobs.read_file_texts, path),
                lambda _count: None,
                lambda _exc: None,
                quiet=True,
            )

        # Once the window is up: its first paint need not wait for the backup code.
        QTimer.singleShot(BACKUPS_AFTER_MS, start)
    code = app.exec()
    for service in services:
        service.stop()
    database.close()
    if owner is not None:
        owner.release()
    from desk.ui.holding import REOPEN

    if app.property(REOPEN):
        from desk.ui.databases import open_window

        open_window(None, path)
    return code
