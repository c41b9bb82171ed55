from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from desk.core.disk import holder
from desk.core.domain import dates
from desk.core.safety import backups
from desk.core.store import queries, records
from desk.core.store.db import Database, open_database
from desk.ui import backup_service, holding
from desk.ui.backup_service import BackupService, RestoreDialog, restore_dialog

pytestmark = pytest.mark.usefixtures("backup_home")


def _path_of(db: Database) -> Path:
    return Path(db.execute("PRAGMA database_list").fetchone()[2])


def test_opening_backs_up_quietly_then_checks_hourly(
    qtbot: Any, demo_db: Database, make_window: Any
) -> None:
    path = _path_of(demo_db)
    window = make_window(demo_db, path)
    service = BackupService(window, path)
    # A generous wait: the copy goes page by page with pauses, slower on a busy machine.
    with qtbot.waitSignal(service.finished, timeout=30000) as blocker:
        service.start()
        assert not any(
            isinstance(w, QProgressDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
        )
    info = blocker.args[0]
    assert info is not None and info.reason == "auto" and info.path.exists()
    assert window.statusBar().currentMessage() == f"Backed up at {dates.clock(info.taken_at)}"
    assert service.timer.isActive() and service.timer.interval() == 60 * 60 * 1000
    with qtbot.waitSignal(service.finished, timeout=10000) as blocker:
        service.check()  # what the timer does: nothing within the day
    assert blocker.args[0] is None
    service.stop()
    assert not service.timer.isActive()
    assert len(backups.list_backups(path)) == 1


def test_a_failed_automatic_backup_is_told_in_the_status_bar(
    qtbot: Any, demo_db: Database, make_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _path_of(demo_db)
    window = make_window(demo_db, path)

    def fail(*_args: Any, **_kwargs: Any) -> None:
        raise backups.BackupError("The disk is full.")

    monkeypatch.setattr(backups, "maybe_backup", fail)
    service = BackupService(window, path)
    with qtbot.waitSignal(service.finished, timeout=10000):
        service.start()
    assert window.statusBar().currentMessage() == "Automatic backup failed: The disk is full."
    service.stop()


def test_restore_dialog_lists_and_restores_after_asking(
    qtbot: Any, demo_db: Database, make_window: Any, dialogs: Any, answer: list[str]
) -> None:
    path = _path_of(demo_db)
    window = make_window(demo_db, path)
    taken = backups.make_backup(demo_db, reason="manual")
    organisations = queries.count(demo_db, "organisation")
    records.create(demo_db, "organisation", {"name": "Added after the backup"})
    seen: list[RestoreDialog] = []

    def choose(dialog: RestoreDialog) -> None:
        seen.append(dialog)
        assert dialog.table.rowCount() == 1
        assert dialog.table.item(0, 1).text() == "Taken by hand"
        assert dialog.restore_button.isEnabled()

    dialogs(RestoreDialog, choose)
    result = restore_dialog(window, path)
    assert result is not None and result.restored.path == taken.path
    assert result.safety is not None and result.safety.path.exists()
    assert answer and answer[0].startswith("Restore a backup: Replace the records in demo.sqlite")
    assert queries.count(demo_db, "organisation") == organisations
    assert window.statusBar().currentMessage().startswith("Restored the backup taken ")


def test_restore_dialog_does_nothing_when_not_confirmed(
    qtbot: Any,
    demo_db: Database,
    make_window: Any,
    dialogs: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = _path_of(demo_db)
    window = make_window(demo_db, path)
    backups.make_backup(demo_db)
    records.create(demo_db, "organisation", {"name": "Stays"})
    count = queries.count(demo_db, "organisation")
    dialogs(RestoreDialog, lambda _dialog: None)
    monkeypatch.setattr(
        QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Cancel
    )
    assert restore_dialog(window, path) is None
    assert queries.count(demo_db, "organisation") == count
    assert len(backups.list_backups(path)) == 1


def test_sync_warning_shows_once(
    qtbot: Any, demo_template: Path, tmp_path: Path, answer: list[str]
) -> None:
    synced = tmp_path / "OneDrive - City of Port Meridian" / "desk.sqlite"
    synced.parent.mkdir()
    shutil.copyfile(demo_template, synced)
    backup_service.warn_if_synced(None, synced)
    backup_service.warn_if_synced(None, synced)
    assert len(answer) == 1 and answer[0].startswith("desk.sqlite is in a OneDrive folder.")


def test_a_held_database_asks_before_opening_read_only(
    qtbot: Any, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(db_path).close()
    asked: list[dict[str, Any]] = []
    monkeypatch.setattr(holding, "ask_read_only", lambda _parent, info: asked.append(info) or True)
    owner, go_on, why = holding.hold_or_ask(db_path)
    assert owner is not None and go_on and why is None and asked == []
    assert holding.hold_or_ask(db_path) == (None, True, "another desk window has it open")
    assert asked[0]["what"] == "window"
    owner.release()


def test_the_question_names_the_holder(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []

    def press_read_only(box: QMessageBox) -> int:
        shown.append(box.text())
        next(b for b in box.buttons() if b.text() == "Open read-only").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", press_read_only)
    info = {"pid": 4242, "host": "CITYHALL-LAPTOP", "since": None}
    assert holding.ask_read_only(None, info)
    assert shown == ["This database is open in desk on CITYHALL-LAPTOP (process 4242)."]
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: box.button(box.StandardButton.Cancel).click()
    )
    assert not holding.ask_read_only(None, info)


def test_the_window_holds_the_file_and_backs_it_up(
    qtbot: Any, demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.ui import app

    path = tmp_path / "city.sqlite"
    shutil.copyfile(demo_template, path)
    during: list[Any] = []

    def exec_(_app: QApplication) -> int:
        during.append(holder.current(path))
        # Backups begin once the window is up, not before its first paint.
        assert backups.list_backups(path) == []
        qtbot.waitUntil(lambda: len(backups.list_backups(path)) == 1, timeout=20_000)
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_)
    assert app.run(path) == 0
    assert during[0]["pid"] is not None  # held while the window was open
    assert holder.current(path) is None  # and let go after
    assert len(backups.list_backups(path)) == 1

    # A second window on a held file opens read-only, and takes no backups of its own.
    titles: list[str] = []
    monkeypatch.setattr(holding, "ask_read_only", lambda _parent, _info: True)
    monkeypatch.setattr(
        QApplication,
        "exec",
        lambda _app: (
            titles.extend(w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible())
            or 0
        ),
    )
    with holder.acquire(path):
        assert app.run(path) == 0
    assert "desk - city.sqlite (read-only)[*]" in titles
    monkeypatch.setattr(holding, "ask_read_only", lambda _parent, _info: False)
    with holder.acquire(path):
        assert app.run(path) == 1
