"""A backup killed at any moment (kill -9, a pulled plug) costs nothing already kept.

The kill times come from one seed, printed in every assertion message; replay a failure
with `DESK_TEST_SEED=<seed>`. The seed fixes the offsets, not the scheduler: a failure
that depends on where a kill landed to the millisecond may need a few runs to show again.
"""

from __future__ import annotations

import contextlib
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

from desk.core.safety import backups
from desk.core.store import attachments
from desk.core.store.db import open_database

pytestmark = [
    pytest.mark.usefixtures("backup_home"),
    pytest.mark.skipif(os.name == "nt", reason="kill -9 is POSIX"),
]

SEED = int(os.environ.get("DESK_TEST_SEED", "0")) or random.randrange(2**32)

START = dt.datetime(2025, 1, 15, 9, 0)
TRIALS = 10

# Monthly `now`s, so rotation keeps every backup these trials make (the last 12 months).
CHILD = """
import datetime as dt, sys
from desk.core.safety import backups
now = dt.datetime.fromisoformat(sys.argv[2])
print("ready", flush=True)
backups.make_backup(sys.argv[1], reason="auto", now=now)
print("done", flush=True)
"""


def _digest(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def _contents(conn: sqlite3.Connection) -> dict[str, object]:
    """Rows in every table, and which files the backup holds: a backup named finished
    must hold the whole database, and a copy killed early, rolled back to nothing by its
    journal, passes an integrity check all the same."""
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    found: dict[str, object] = {
        name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables
    }
    if "blobs" in found:  # a copy rolled back to nothing has no tables at all
        found["blobs held"] = conn.execute("SELECT sha256, size FROM blobs ORDER BY 1").fetchall()
    return found


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
    assert big_city.stat().st_size > 19 * 1024 * 1024, f"seed={SEED}"
    # Named in config.json, which the child reads too (DESK_CONFIG_DIR is inherited).
    backups.set_backup_folder(big_city, tmp_path / "backups")
    first = backups.make_backup(big_city, now=START)
    assert first.path.parent == (tmp_path / "backups").resolve(), f"seed={SEED}"
    folder = first.path.parent
    digests = {first.path.name: _digest(first.path)}
    with contextlib.closing(sqlite3.connect(big_city)) as live:
        whole = _contents(live)  # the children only read it: every backup holds this
    chance = random.Random(SEED)
    killed_midway = 0
    for trial in range(1, TRIALS + 1):
        before = _finished(folder)
        now = START + dt.timedelta(days=31 * trial)
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(big_city), now.isoformat()],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None, f"seed={SEED}"
        # The first kill lands at once, so at least one is sure to fall midway even on a
        # machine fast enough to finish a 20 MB backup between "ready" and a late kill.
        delay = 0 if trial == 1 else chance.uniform(0, 0.3)
        why = f"seed={SEED} trial={trial} kill={delay:.3f}s after ready"
        assert child.stdout.readline().strip() == "ready", why
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        if child.stdout.read().strip() != "done":
            killed_midway += 1
        child.stdout.close()

        after = _finished(folder)
        for name, stat in before.items():  # every earlier backup, untouched
            assert name in after, f"{why}: {name} is gone"
            assert (after[name].st_ino, after[name].st_size, after[name].st_mtime_ns) == (
                stat.st_ino,
                stat.st_size,
                stat.st_mtime_ns,
            ), f"{why}: {name} was touched"
        for name in set(after) - set(before):  # a finished name is a finished backup
            with contextlib.closing(sqlite3.connect(folder / name)) as copy:
                ok = copy.execute("PRAGMA integrity_check").fetchone()[0]
                assert ok == "ok", f"{why}: {name}: {ok}"
                assert _contents(copy) == whole, f"{why}: {name} is not the whole database"
            digests[name] = _digest(folder / name)
        live = sqlite3.connect(big_city)
        assert live.execute("PRAGMA integrity_check").fetchone()[0] == "ok", why
        live.close()

    # Or every kill came after the backup was whole, and the test proved nothing.
    assert killed_midway >= 1, f"seed={SEED}: no kill landed midway"
    for name, digest in digests.items():
        assert _digest(folder / name) == digest, f"seed={SEED}: {name} changed afterwards"
    backups.make_backup(big_city, now=START + dt.timedelta(days=31 * (TRIALS + 1)))
    partial = [p.name for p in folder.iterdir() if "partial" in p.name]
    assert partial == [], f"seed={SEED}: {partial}"
    assert set(digests) <= set(_finished(folder)), f"seed={SEED}"
