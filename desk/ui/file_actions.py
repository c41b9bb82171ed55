"""The window's File menu: exports, imports of dumps, backups and the demo, each run in
the background on a connection of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMainWindow, QMessageBox

from desk.core.store import db as dbmod
from desk.core.store.db import Database
from desk.ui import tasks


class FileActions(QMainWindow):
    """Mixed into the main window, which provides `db`, `path`, `_tasks`,
    `_settle_page()` and `refresh_all()`."""

    db: Database
    path: Path
    _tasks: list[tasks.Task]

    def _settle_page(self) -> bool:
        raise NotImplementedError

    def refresh_all(self) -> None:
        raise NotImplementedError

    # -- background work ---------------------------------------------------------------
    def run_task(self, title: str, job: Any, on_done: Any) -> tasks.Task:
        """Run `job(database, progress)` in the background on its own connection."""

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, tasks.Cancelled):
                QMessageBox.warning(self, title, str(exc))

        task = tasks.run(
            self, title, tasks.on_own_connection(self.path, job, like=self.db), on_done, failed
        )
        self._tasks.append(task)
        task.done.connect(lambda _r: self._tasks.remove(task))
        task.error.connect(lambda _e: self._tasks.remove(task))
        return task

    def _export(
        self, title: str, default_name: str, file_filter: str, write: Any, what: str
    ) -> None:
        """Ask where, then write in the background: write(database, path, progress)."""
        from desk.ui import file_dialogs  # its Qt classes load when first asked for

        path = file_dialogs.save_path(self, title, default_name, file_filter)
        if path is None:
            return
        self.run_task(
            title,
            lambda database, progress: write(database, path, progress),
            lambda result: self.statusBar().showMessage(
                f"{what.format(result=result)} written to {path}", 8000
            ),
        )

    def export_calendar(self) -> None:
        from desk.io.calendar import export_ics

        self._export(
            "Export calendar",
            "desk.ics",
            "iCalendar (*.ics)",
            lambda db, path, _p: export_ics(db, path),
            "{result} events",
        )

    def export_cards(self) -> None:
        from desk.io.vcard import export_vcards

        self._export(
            "Export contacts",
            "desk-contacts.vcf",
            "vCard (*.vcf)",
            lambda db, path, _p: export_vcards(db, path),
            "{result} contacts",
        )

    def export_json(self) -> None:
        from desk.io.dump import export_json

        self._export(
            "Export everything", "desk-export.json", "JSON (*.json)", export_json, "Everything"
        )

    def backup(self) -> None:
        self._export(
            "Back up the database",
            f"{self.path.stem}-backup.sqlite",
            "SQLite (*.sqlite)",
            lambda db, path, _p: dbmod.backup(db, path),
            "A backup",
        )

    def restore_backup(self) -> None:
        if not self._settle_page():
            return
        from desk.ui.backup_service import restore_dialog

        if restore_dialog(self, self.path) is not None:
            # Every record may differ now, and so may what undo can take back.
            self.refresh_all()

    def import_json(self) -> None:
        from desk.ui import file_dialogs

        path = file_dialogs.open_path(self, "Import a dump", "JSON (*.json)")
        if path is None:
            return
        answer = QMessageBox.question(
            self,
            "Replace everything?",
            "Importing replaces every record in this database with the dump's. A backup "
            "of the database is written first. Go ahead?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        from desk.io.dump import import_json

        def job(database: Database, progress: tasks.Progress) -> dict[str, int]:
            dbmod.backup(database, self.path.with_name(self.path.stem + ".before-import.sqlite"))
            return import_json(database, path, replace=True, progress=progress)

        self.run_task("Importing", job, lambda _loaded: self.refresh_all())

    def load_demo(self) -> None:
        """The demo city in a file of its own, opened in its own window: fictional
        records never mix with the user's."""
        from desk.core.store.db import holds_records
        from desk.ui import databases

        path = databases.demo_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            database = dbmod.open_database(path, create=True)
            try:
                built = holds_records(database)
            finally:
                database.close()
        except (OSError, dbmod.DeskError) as exc:
            QMessageBox.warning(self, "The demo city", f"{path} could not be made: {exc}")
            return
        if built:
            databases.remember(path)
            databases.open_window(self, path)
            return

        def opened(_summary: object) -> None:
            databases.remember(path)
            databases.open_window(self, path)
            self.statusBar().showMessage(f"The demo city opens in its own window ({path})", 8000)

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, tasks.Cancelled):
                QMessageBox.warning(self, "The demo city", str(exc))

        task = tasks.run(
            self,
            "Writing the demo city",
            tasks.on_own_connection(path, _build_demo),
            opened,
            failed,
        )
        self._tasks.append(task)
        task.done.connect(lambda _r: self._tasks.remove(task))
        task.error.connect(lambda _e: self._tasks.remove(task))


def _build_demo(database: Database, progress: Any) -> Any:
    from desk.core.demo import build_demo

    return build_demo(database, progress=progress)
