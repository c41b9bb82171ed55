"""A backup killed at any moment (kill -9, a pulled plug) costs nothing already kept."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desk.core import attachments, backups
from desk.core.db import open_database

pytestmark = [
    pytest.mark.usefixtures("backup_home"),
    pytest.mark.skipif(os.name == "nt", reason="kill -9 is POSIX"),
]

START = dt.datetime(2025, 1, 15, 9, 0)
TRIALS = 10

# Monthly `now`s, so rotation keeps every backup these trials make (the last 12 months).
CHILD = """
import datetime as dt, sys
from desk.core import backups
now = dt.datetime.fromisoformat(sys.argv[2])
print("ready", flush=True)
backups.make_backup(sys.argv[1], reason="auto", now=now)
print("done", flush=True)
"""


def _digest(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def _finished(folder: Path) -> dict[str, os.stat_result]:
    return {p.name: p.stat() for p in folder.glob("*.sqlite")}


@pytest.fixture
def big_city(demo_template: Path, tmp_path: Path) -> Path:
    """The demo city with a scanned agreement: about 20 MB."""
    path = tmp_path / "big.sqlite"
    shutil.copyfile(demo_template, path)
    database = open_database(path)
    agreement = database.execute("SELECT id FROM agreements LIMIT 1").fetchone()[0]
    scan = random.Random(7).randbytes(19 * 1024 * 1024)
    attachments.attach_file(database, "agreement", agreement, scan, filename="executed.pdf")
    database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


def test_killing_a_backup_midway_leaves_earlier_backups_and_the_database_sound(
    big_city: Path, tmp_path: Path
) -> None:
    assert big_city.stat().st_size > 19 * 1024 * 1024
    # Named in config.json, which the child reads too (DESK_CONFIG_DIR is inherited).
    backups.set_backup_folder(big_city, tmp_path / "backups")
    first = backups.make_backup(big_city, now=START)
    assert first.path.parent == (tmp_path / "backups").resolve()
    folder = first.path.parent
    digests = {first.path.name: _digest(first.path)}
    chance = random.Random()
    killed_midway = 0
    for trial in range(1, TRIALS + 1):
        before = _finished(folder)
        now = START + dt.timedelta(days=31 * trial)
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(big_city), now.isoformat()],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        # The first kill lands at once, so at least one is sure to fall midway even on a
        # machine fast enough to finish a 20 MB backup between "ready" and a late kill.
        time.sleep(0 if trial == 1 else chance.uniform(0, 0.3))
        child.send_signal(signal.SIGKILL)
        child.wait()
        if child.stdout.read().strip() != "done":
            killed_midway += 1
        child.stdout.close()

        after = _finished(folder)
        for name, stat in before.items():  # every earlier backup, untouched
            assert name in after
            assert (after[name].st_ino, after[name].st_size, after[name].st_mtime_ns) == (
                stat.st_ino,
                stat.st_size,
                stat.st_mtime_ns,
            )
        for name in set(after) - set(before):  # a finished name is a finished backup
            copy = sqlite3.connect(folder / name)
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            copy.close()
            digests[name] = _digest(folder / name)
        live = sqlite3.connect(big_city)
        assert live.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        live.close()

    assert killed_midway >= 1  # or the test proved nothing
    for name, digest in digests.items():
        assert _digest(folder / name) == digest
    backups.make_backup(big_city, now=START + dt.timedelta(days=31 * (TRIALS + 1)))
    assert [p.name for p in folder.iterdir() if "partial" in p.name] == []
    assert set(digests) <= set(_finished(folder))
