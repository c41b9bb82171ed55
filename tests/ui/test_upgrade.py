"""A database from an earlier desk is upgraded under a progress dialog, on a thread of
its own, before the window opens on it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from desk.core.store import db as dbmod
from desk.core.store import schema
from desk.ui import app as app_module
from desk.ui import tasks


def _old_database(folder: Path, version: int) -> Path:
    """The file schema `version`'s release wrote (its demo city, and more)."""
    from tests.old_files import old_file

    return old_file(version, folder)


def _names(database: dbmod.Database) -> list[str]:
    return [row[0] for row in database.execute("SELECT name FROM organisations ORDER BY id")]


def test_an_older_database_is_upgraded_under_a_progress_dialog(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _old_database(tmp_path, 4)
    with sqlite3.connect(path) as conn:
        names = [row[0] for row in conn.execute("SELECT name FROM organisations ORDER BY id")]
    waited: list[tuple[str, bool]] = []
    real = tasks.wait_for

    def recorded(parent: Any, title: str, work: Any, *, cancellable: bool = True) -> Any:
        waited.append((title, cancellable))
        return real(parent, title, work, cancellable=cancellable)

    monkeypatch.setattr(tasks, "wait_for", recorded)
    assert dbmod.needs_upgrade(path)
    database = app_module.open_for_window(path)
    try:
        assert waited == [("Upgrading the database", False)]
        assert dbmod.schema_version(database) == schema.SCHEMA_VERSION
        assert _names(database) == names and "Ōsaka Chamber of Commerce" in names
    finally:
        database.close()
    assert not dbmod.needs_upgrade(path)
    app_module.open_for_window(path).close()
    assert len(waited) == 1  # once


def test_a_read_only_window_does_not_upgrade(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _old_database(tmp_path, 4)
    monkeypatch.setattr(tasks, "wait_for", lambda *a, **k: pytest.fail("upgraded"))
    with pytest.raises(dbmod.DeskError, match="upgrad"):
        app_module.open_for_window(path, "asked for")
    assert dbmod.needs_upgrade(path)
