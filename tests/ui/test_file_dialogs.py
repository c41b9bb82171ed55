"""The window's file dialogs never read the database's files, and a dialog that did
could not cost a write: the scenario of a person looking into the database's folder
from File > Export, then making a packet, then writing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeDatabase
from PySide6.QtWidgets import QFileDialog, QFileSystemModel

from desk.core.disk import holder, live
from desk.core.store import records
from desk.core.store.db import open_database
from desk.ui import file_dialogs

LINUX = sys.platform.startswith("linux")


@pytest.fixture
def city(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "office" / "city.sqlite"
    path.parent.mkdir()
    shutil.copyfile(demo_template, path)
    (path.parent / "notes.txt").write_text("minutes")
    return path


@pytest.fixture
def guard_off() -> Iterator[None]:
    live.set_guard(False)
    try:
        yield
    finally:
        live.set_guard(True)


def _classic_locks(path: Path) -> int:
    """POSIX record locks this process holds on `path`, as the kernel lists them."""
    inode, pid = os.stat(path).st_ino, os.getpid()
    return sum(
        1
        for line in Path("/proc/locks").read_text().splitlines()
        if " POSIX " in f" {line} " and f" {pid} " in line and f":{inode} " in line
    )


def _shown_names(dialog: QFileDialog) -> set[str]:
    model = dialog.findChild(QFileSystemModel)
    assert model is not None
    proxy = dialog.proxyModel()
    root = proxy.mapFromSource(model.index(str(dialog.directory().absolutePath())))
    return {proxy.index(row, 0, root).data() for row in range(proxy.rowCount(root))}


@pytest.mark.skipif(not LINUX, reason="/proc/locks is Linux's")
@pytest.mark.usefixtures("guard_off")
def test_looking_into_the_databases_folder_keeps_every_lock(qtbot: Any, city: Path) -> None:
    window = open_database(city)
    try:
        shm = Path(f"{city}-shm")
        assert _classic_locks(city) and _classic_locks(shm)
        dialog = file_dialogs.make_dialog(
            None, "Export calendar", city.parent / "desk.ics", "All files (*)", saving=True
        )
        dialog.setViewMode(QFileDialog.ViewMode.Detail)  # the Type column, too
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: "notes.txt" in _shown_names(dialog), timeout=10_000)
        qtbot.wait(500)  # icons and types are fetched on a thread of the model's
        shown = _shown_names(dialog)
        assert "city.sqlite" in shown
        assert not {"city.sqlite-wal", "city.sqlite-shm"} & shown
        assert _classic_locks(city) and _classic_locks(shm)
        dialog.close()
        # The check can fail: Qt's own way of telling a file's type drops the locks.
        QMimeDatabase().mimeTypeForFile(str(city))
        assert _classic_locks(city) == 0
    finally:
        window.close()


@pytest.mark.skipif(not LINUX, reason="the guard's locks are Linux's")
def test_a_dialog_that_reads_every_file_still_costs_no_write(city: Path, tmp_path: Path) -> None:
    """The issue as found: the window's process has Qt guess the type of every file in the
    folder, a packet is made in another process, and the window writes twice."""
    owner = holder.acquire(city)
    assert owner is not None
    window = open_database(city)
    written = []
    try:
        for round_ in (1, 2):
            for entry in city.parent.iterdir():
                QMimeDatabase().mimeTypeForFile(str(entry))
            for command in (
                ["briefing", "1", "--out", str(tmp_path / f"packet{round_}.pdf")],
                ["add", "follow_up", f"title=Call back {round_}", "due_date=1/5/2027"],
            ):
                done = subprocess.run(
                    [sys.executable, "-m", "desk", "--db", str(city), *command],
                    capture_output=True,
                    text=True,
                )
                assert done.returncode == 0, done.stderr
            for letter in "ab":
                name = f"Window {round_}{letter}"
                records.create(window, "organisation", {"name": name})
                written.append(name)
    finally:
        window.close()
        owner.release()
    check = open_database(city, read_only="checking")
    try:
        names = {row[0] for row in check.execute("SELECT name FROM organisations")}
        calls = {row[0] for row in check.execute("SELECT title FROM follow_ups")}
    finally:
        check.close()
    assert set(written) <= names
    assert {"Call back 1", "Call back 2"} <= calls


def test_every_file_dialog_of_the_window_is_desks_own() -> None:
    """No module of the window asks Qt for a file dialog but through file_dialogs: each
    one that did would read the database's files to show their icons."""
    ui = Path(file_dialogs.__file__).parent
    offenders = [
        str(path.relative_to(ui))
        for path in ui.rglob("*.py")
        if path.name != "file_dialogs.py"
        and any(
            name in path.read_text(encoding="utf-8")
            for name in ("getSaveFileName", "getOpenFileName", "getExistingDirectory")
        )
    ]
    assert offenders == []
