from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from desk.core.disk import holder

HOLD = """
import sys, time
from desk.core.disk import holder
from desk.core.store import records
held = holder.acquire(sys.argv[1])
print("held" if held else "refused", flush=True)
time.sleep(60)
"""


@pytest.fixture
def holding_process(db_path: Path):
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "held"
    yield child
    if child.poll() is None:
        child.kill()
    child.wait()
    child.stdout.close()


def test_another_process_holding_the_file_is_named(db_path: Path, holding_process) -> None:
    info = holder.current(db_path)
    assert info is not None
    assert info["pid"] == holding_process.pid
    assert info["host"] == socket.gethostname()
    assert info["what"] == "window"
    assert dt.datetime.fromisoformat(info["since"]).tzinfo is not None
    assert holder.acquire(db_path) is None
    message = holder.describe(info)
    assert message.startswith(f"This database is open in desk on {info['host']} (process ")
    assert ", since " in message and message.endswith("M).")


@pytest.mark.skipif(os.name == "nt", reason="kill -9 is POSIX")
def test_a_killed_holder_holds_nothing(db_path: Path, holding_process) -> None:
    holding_process.send_signal(signal.SIGKILL)
    holding_process.wait()
    lock = holder.lock_path(db_path)
    assert lock.name == "desk.sqlite.lock"
    assert json.loads(lock.read_text())["pid"] == holding_process.pid  # the stale file
    assert holder.current(db_path) is None
    mine = holder.acquire(db_path)
    assert mine is not None
    assert holder.current(db_path)["pid"] == os.getpid()
    mine.release()
    assert holder.current(db_path) is None


def test_one_holder_per_file_within_a_process_too(db_path: Path) -> None:
    assert holder.current(db_path) is None
    with holder.acquire(db_path, what="window") as first:
        assert first is not None
        assert holder.acquire(db_path) is None
        assert holder.current(db_path)["pid"] == os.getpid()
    assert not holder.lock_path(db_path).exists()
    again = holder.acquire(db_path)
    assert again is not None
    again.release()
    again.release()  # twice is harmless


def test_describe_without_details() -> None:
    assert holder.describe({"host": None}) == ("This database is open in desk on another computer.")
    morning = dt.datetime.combine(dt.date.today(), dt.time(10, 2)).astimezone()
    text = holder.describe({"host": "LAPTOP", "pid": 42, "since": morning.isoformat()})
    assert text == "This database is open in desk on LAPTOP (process 42, since 10:02 AM)."
