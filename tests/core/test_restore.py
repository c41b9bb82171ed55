"""Restore is a write like any other: it holds the write lock from the copy of what is
there to the last row put back, so no acknowledged write is lost; it refuses the live
file as its source and a file a window holds; it says what it replaced."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desk.cli.main import main
from desk.core.disk import holder
from desk.core.safety import backups
from desk.core.safety import restore as restoring
from desk.core.store import records
from desk.core.store.db import open_database

# Paced, so the restore falls in the middle of the writes on a busy machine too.
WRITER = """
import sys, time
from desk.core.store import records
from desk.core.store.db import open_database
db = open_database(sys.argv[1])
for n in range(int(sys.argv[2])):
    name = f"Written during the restore {n}"
    records.create(db, "organisation", {"name": name})
    print(name, flush=True)
    time.sleep(0.02)
db.close()
"""


@pytest.fixture
def city(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "city.sqlite"
    shutil.copyfile(demo_template, path)
    return path


def _names(path: Path) -> set[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {row[0] for row in conn.execute("SELECT name FROM organisations")}
    finally:
        conn.close()


def test_a_writer_running_through_a_restore_loses_no_acknowledged_write(city: Path) -> None:
    backup = backups.make_backup(city, reason="manual")
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(city), "150"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    acknowledged = [writer.stdout.readline().strip() for _ in range(20)]
    assert writer.poll() is None  # still writing as the restore begins
    with open_database(city) as database:
        result = restoring.restore(database, backup.path)
    rest, _ = writer.communicate(timeout=120)
    assert writer.returncode == 0
    acknowledged += rest.split("\n")
    acknowledged = [name for name in acknowledged if name]
    assert len(acknowledged) == 150
    assert result.safety is not None
    before, after = _names(result.safety.path), _names(city)
    # Each write committed before the restore took the lock is in the copy taken before
    # it; each one after is in the restored file; none fell between.
    lost = [name for name in acknowledged if name not in before and name not in after]
    assert lost == []
    assert any(name in before for name in acknowledged)
    assert any(name in after for name in acknowledged)
    # And the restored file holds nothing written before the restore that the backup lacks.
    assert not any(name in after for name in acknowledged if name in before)


def test_the_command_line_refuses_while_a_window_holds_the_file(
    city: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backups.make_backup(city, reason="manual")
    owner = holder.acquire(city)
    assert owner is not None
    try:
        before = city.read_bytes()
        assert main(["--db", str(city), "restore", "1", "--yes"]) == 1
        err = capsys.readouterr().err
        assert "This database is open in desk" in err and "nothing was restored" in err
        assert city.read_bytes() == before
    finally:
        owner.release()


def test_the_live_file_is_not_a_backup_of_itself(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "same-file.sqlite"
    os.link(city, link)
    for source in (city, link):
        assert main(["--db", str(city), "restore", str(source), "--yes"]) == 1
        assert "is the database itself" in capsys.readouterr().err
    assert backups.list_backups(city) == []  # refused before any copy was taken


def test_restore_says_what_it_replaced_and_how_to_go_back(
    city: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backups.make_backup(city, reason="manual")
    with open_database(city) as database:
        records.create(database, "organisation", {"name": "After the backup"})
    assert main(["--db", str(city), "restore", "1", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "it held" in out and "it now holds" in out
    assert "Undo does not reach across a restore" in out
    assert "After the backup" not in _names(city)
    # The copy taken first is listed, and restoring it goes back.
    listed = backups.list_backups(city)
    assert listed[0].reason == "before-restore"
    assert main(["--db", str(city), "restore", "1", "--yes"]) == 0
    assert "After the backup" in _names(city)
    assert main(["--db", str(city), "undo"]) == 1
    assert "cannot be undone" in capsys.readouterr().err


def test_a_backup_of_another_database_is_named_as_such(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.sqlite"
    with open_database(other) as database:
        records.create(database, "organisation", {"name": "Elsewhere"})
    theirs = backups.make_backup(other, reason="manual")
    assert main(["--db", str(city), "restore", str(theirs.path)]) == 1
    out = capsys.readouterr().out
    assert "is a backup of another database" in out and "Would replace" in out
    mine = backups.identity_of(city)
    assert main(["--db", str(city), "restore", str(theirs.path), "--yes"]) == 0
    assert _names(city) == {"Elsewhere"}
    assert backups.identity_of(city) == mine  # the file stays the database it was


def test_an_older_backup_is_brought_up_to_this_schema_in_a_copy(city: Path, tmp_path: Path) -> None:
    from desk.core.store import schema
    from tests.old_files import old_file

    old = old_file(8, tmp_path)  # a backup taken by schema 8's release
    wanted = _names(old)
    before = old.read_bytes()
    with open_database(city) as database:
        restoring.restore(database, old)
        assert _names(city) == wanted and "Ōsaka Chamber of Commerce" in wanted
        assert database.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert old.read_bytes() == before  # the backup itself is only read


def test_a_busy_writer_is_waited_for_then_the_restore_goes_ahead(city: Path) -> None:
    backup = backups.make_backup(city, reason="manual")
    holding = sqlite3.connect(city, isolation_level=None, timeout=60, check_same_thread=False)
    holding.execute("BEGIN IMMEDIATE")
    holding.execute(
        "INSERT INTO organisations (uid, created_at, updated_at, name) "
        "VALUES ('w-1', '2025-01-01', '2025-01-01', 'Committed while waiting')"
    )
    released = time.monotonic() + 1.0

    def release_later() -> None:
        time.sleep(1.0)
        holding.execute("COMMIT")

    import threading

    thread = threading.Thread(target=release_later)
    thread.start()
    with open_database(city) as database:
        result = restoring.restore(database, backup.path)
    thread.join()
    holding.close()
    assert time.monotonic() >= released  # it waited for the writer
    assert result.safety is not None
    assert "Committed while waiting" in _names(result.safety.path)
