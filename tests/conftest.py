from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from desk.core.db import Database, open_database

DEMO_TODAY = dt.date(2026, 11, 23)


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
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))  # child processes
    monkeypatch.setattr("desk.paths.data_dir", lambda: home / "data")
    return home
