from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from desk.core.store.db import Database, open_database

DEMO_TODAY = dt.date(2026, 11, 23)


# -- leaving no trace --------------------------------------------------------------------
#
# The whole run's temporary files go in one folder of its own (child processes and the
# test workers inherit TMPDIR), and the person's own desk folders are looked at before
# and after: at the end, anything a test left in the temporary folder, or wrote into the
# real user folders, fails the run, and the folder is removed.

_REAL_FOLDERS = (
    Path.home() / ".local" / "share" / "desk",
    Path.home() / ".config" / "desk",
    Path.home() / ".cache" / "desk",
)


def _real_state() -> dict[str, float]:
    state = {}
    for folder in _REAL_FOLDERS:
        if folder.exists():
            for entry in folder.rglob("*"):
                with contextlib.suppress(OSError):
                    state[str(entry)] = entry.stat().st_mtime
    return state


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        return  # a worker: the controller has set all this up, and checks it
    root = Path(tempfile.mkdtemp(prefix="desk-tests-"))
    (root / "tmp").mkdir()
    os.environ["TMPDIR"] = str(root / "tmp")
    tempfile.tempdir = None  # asked again, it now answers the folder above
    config.stash[_RUN_FOLDER] = root
    config.stash[_REAL_BEFORE] = _real_state()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if hasattr(config, "workerinput") or _RUN_FOLDER not in config.stash:
        return
    import shutil

    root = config.stash[_RUN_FOLDER]
    left = sorted(
        entry.name for entry in (root / "tmp").iterdir() if not entry.name.startswith("pytest-of-")
    )
    before, after = config.stash[_REAL_BEFORE], _real_state()
    written = sorted(path for path, stamp in after.items() if before.get(path) != stamp)
    shutil.rmtree(root, ignore_errors=True)
    problems = []
    if left:
        problems.append(f"left in the temporary folder: {', '.join(left[:10])}")
    if written:
        problems.append(f"written into the person's own folders: {', '.join(written[:10])}")
    if problems:
        print("\nThe tests left a trace: " + "; ".join(problems), file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_RUN_FOLDER = pytest.StashKey[Path]()
_REAL_BEFORE = pytest.StashKey[dict[str, float]]()


# Every place desk (or Qt, or a library) may keep something for the user.
_HOME_VARIABLES = {
    "HOME": "home",
    "XDG_DATA_HOME": "home/.local/share",
    "XDG_CONFIG_HOME": "home/.config",
    "XDG_CACHE_HOME": "home/.cache",
    "XDG_STATE_HOME": "home/.local/state",
    "DESK_CONFIG_DIR": "home/.config/desk",
    "DESK_DATA_DIR": "home/.local/share/desk",
    "DESK_CACHE_DIR": "home/.cache/desk",
    "DESK_LOG_DIR": "home/.local/share/desk/logs",
}


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's user folders are its own: backups, settings, logs and recent files
    go under its temporary folder, never the person's running the tests, and no test
    sees another's (child processes inherit the variables)."""
    for name, relative in _HOME_VARIABLES.items():
        monkeypatch.setenv(name, str(tmp_path / relative))
    monkeypatch.delenv("DESK_DB", raising=False)
    # Temporary files too, the test's own and its child processes' (SQLite's among them,
    # which a process killed on purpose leaves behind): removed with the test's folder.
    temporary = tmp_path.with_name(tmp_path.name + "-tmp")  # beside it: tests list tmp_path
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    return tmp_path / "home"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.sqlite"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo city, built once; tests copy it rather than rebuilding it."""
    from desk.core.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    database = open_database(path)
    build_demo(database, today=DEMO_TODAY)
    database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    import shutil

    target = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_template, target)
    database = open_database(target)
    yield database
    database.close()


@pytest.fixture
def backup_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Backups and per-user config in the test's own folder, never the person's."""
    home = tmp_path / "home"
    monkeypatch.setenv("DESK_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("DESK_DATA_DIR", str(home / "data"))  # child processes too
    return home
