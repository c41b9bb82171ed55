"""The window never loses hold of its file.

POSIX drops every lock a process holds on a file when the process closes any descriptor
of it. A file dialog that reads the database's files to guess their type does exactly
that; another desk process then believes it is alone, checkpoints, and removes the
write-ahead log, and the window's later writes would land in deleted files. These tests
play that scenario with real processes: the window's side here, the others as `desk`
commands, each run twice in a row, and count what reached the file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.core.disk import holder, live
from desk.core.errors import HoldLost
from desk.core.store import records
from desk.core.store.db import Database, open_database

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX locks only")
LINUX = sys.platform.startswith("linux")


def _desk(path: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "desk", "--db", str(path), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _peek_at_every_file(folder: Path) -> None:
    """What a file dialog does to learn a file's type: open it, read its start, close it."""
    for entry in folder.iterdir():
        if entry.is_file():
            with entry.open("rb") as handle:
                handle.read(64)


def _names_in_a_fresh_process(path: Path) -> set[str]:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "print('\\n'.join(r[0] for r in c.execute('SELECT name FROM organisations')))",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.splitlines())


@pytest.fixture
def city(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "office" / "city.sqlite"
    path.parent.mkdir()
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture
def guard_off() -> Iterator[None]:
    """As on macOS, or a file system without open-file-description locks."""
    live.set_guard(False)
    try:
        yield
    finally:
        live.set_guard(True)


def _window(path: Path) -> tuple[holder.Holder, Database]:
    owner = holder.acquire(path)
    assert owner is not None
    return owner, open_database(path)


@pytest.mark.skipif(not LINUX, reason="the guard's locks are Linux's")
def test_a_peek_then_a_packet_and_a_write_elsewhere_lose_no_write(city: Path) -> None:
    owner, window = _window(city)
    acknowledged = set()
    try:
        for round_ in (1, 2):
            _peek_at_every_file(city.parent)
            _desk(city, "briefing", "1", "--out", str(city.parent.parent / f"p{round_}.pdf"))
            _desk(city, "add", "organisation", f"name=Written elsewhere {round_}")
            acknowledged.add(f"Written elsewhere {round_}")
            for letter in "ab":
                records.create(window, "organisation", {"name": f"Window {round_}{letter}"})
                acknowledged.add(f"Window {round_}{letter}")
            # The log was never taken from under the window.
            assert Path(f"{city}-wal").exists()
    finally:
        window.close()
        owner.release()
    assert acknowledged <= _names_in_a_fresh_process(city)


@pytest.mark.usefixtures("guard_off")
def test_without_the_guard_a_removed_log_is_found_before_any_write(city: Path) -> None:
    owner, window = _window(city)
    acknowledged = set()
    try:
        for round_ in (1, 2):
            _peek_at_every_file(city.parent)
            _desk(city, "add", "organisation", f"name=Written elsewhere {round_}")
            acknowledged.add(f"Written elsewhere {round_}")
            # The other process, alone as far as it could tell, removed the log...
            assert not Path(f"{city}-wal").exists()
            # ...and the window refuses to write into the files it still has open.
            with pytest.raises(HoldLost, match="nothing was written"):
                records.create(window, "organisation", {"name": f"Lost {round_}"})
            # Opened again, as the window does, it writes where everyone reads.
            window.close()
            window = open_database(city)
            records.create(window, "organisation", {"name": f"Window {round_}"})
            acknowledged.add(f"Window {round_}")
    finally:
        window.close()
        owner.release()
    names = _names_in_a_fresh_process(city)
    assert acknowledged <= names
    assert not {"Lost 1", "Lost 2"} & names


@pytest.mark.usefixtures("guard_off")
def test_commands_that_only_read_never_take_the_log_away(city: Path) -> None:
    owner, window = _window(city)
    try:
        for round_ in (1, 2):
            _peek_at_every_file(city.parent)
            out = city.parent.parent
            _desk(city, "briefing", "1", "--out", str(out / f"p{round_}.pdf"))
            _desk(city, "report", "dossier", "1", "--out", str(out / f"d{round_}.pdf"))
            _desk(city, "list", "contacts")
            _desk(city, "export", "json", "--out", str(out / f"x{round_}.json"))
            assert Path(f"{city}-wal").exists()
            records.create(window, "organisation", {"name": f"Window {round_}"})
    finally:
        window.close()
        owner.release()
    assert {"Window 1", "Window 2"} <= _names_in_a_fresh_process(city)


@pytest.mark.usefixtures("guard_off")
def test_the_jobs_the_window_runs_in_child_processes_only_read(city: Path, tmp_path: Path) -> None:
    import multiprocessing

    from desk.reports.briefing.packet import BriefingOptions
    from desk.ui import jobs

    owner, window = _window(city)
    try:
        _peek_at_every_file(city.parent)
        spawn = multiprocessing.get_context("spawn")
        with spawn.Pool(1) as pool:
            pool.apply(
                jobs.make_document,
                (city, None, "packet", 1, tmp_path / "p.pdf", BriefingOptions()),
                {"progress": _no_progress},
            )
            pool.apply(jobs.dashboard, (city, None, 2016, 2026), {"progress": _no_progress})
        assert Path(f"{city}-wal").exists()
        records.create(window, "organisation", {"name": "After the jobs"})
    finally:
        window.close()
        owner.release()
    assert "After the jobs" in _names_in_a_fresh_process(city)


def _no_progress(_done: int, _total: int, _message: str) -> None:
    pass


def test_a_file_swapped_under_the_window_is_refused_in_words(city: Path, tmp_path: Path) -> None:
    window = open_database(city)
    try:
        # A sync client or a copy puts another file in its place.
        other = tmp_path / "other.sqlite"
        shutil.copyfile(city, other)
        os.replace(other, city)
        with pytest.raises(HoldLost, match="replaced or removed on disk"):
            records.create(window, "organisation", {"name": "Into the old file"})
    finally:
        window.close()


@pytest.mark.skipif(not LINUX, reason="/proc/locks is Linux's")
def test_the_guard_holds_while_any_connection_is_open_and_goes_with_the_last(
    city: Path,
) -> None:
    inode = os.stat(city).st_ino

    def guarded() -> int:
        text = Path("/proc/locks").read_text()
        return sum(1 for line in text.splitlines() if "OFDLCK" in line and f":{inode} " in line)

    first = open_database(city)
    second = open_database(city)
    assert guarded() == 1
    first.close()
    assert guarded() == 1  # the other connection still relies on it
    second.close()
    assert guarded() == 0


def test_a_database_with_two_names_is_only_read(city: Path, tmp_path: Path) -> None:
    """SQLite keeps a log per name: writes through two names of one file damage it, so a
    file with a second name (a hard link, as some backup tools make) is only read."""
    other = tmp_path / "elsewhere.sqlite"
    os.link(city, other)
    for name in (city, other):
        database = open_database(name)
        try:
            assert database.read_only and "2 names on this disk" in database.read_only
        finally:
            database.close()


def test_a_second_name_given_while_open_refuses_the_next_write(city: Path, tmp_path: Path) -> None:
    window = open_database(city)
    try:
        os.link(city, tmp_path / "snapshot.sqlite")
        with pytest.raises(HoldLost, match="second name on this disk"):
            records.create(window, "organisation", {"name": "Through one name"})
    finally:
        window.close()


def test_a_symlink_is_the_file_it_points_to(city: Path, tmp_path: Path) -> None:
    """Opened by a symlink's name, the log, the lock and the backups are the real
    file's: a window's unsaved log is no "file cut short", and its lock is found."""
    link = tmp_path / "link.sqlite"
    link.symlink_to(city)
    owner, window = _window(city)
    try:
        records.create(window, "organisation", {"name": "Still in the log"})
        assert Path(f"{city}-wal").stat().st_size > 0
        listed = _desk(link, "list", "organisations")
        assert "Still in the log" in listed
        done = subprocess.run(
            [sys.executable, "-m", "desk", "--db", str(link), "check", "--repair"],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 1 and "This database is open in desk" in done.stderr
    finally:
        window.close()
        owner.release()
