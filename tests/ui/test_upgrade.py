"""A database from an earlier desk is upgraded under a progress dialog, on a thread of
its own, before the window opens on it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from desk.core import db as dbmod
from desk.core import schema
from desk.ui import app as app_module
from desk.ui import tasks


def _old_database(path: Path, version: int) -> None:
    conn = sqlite3.connect(path)
    for number, (_name, apply) in enumerate(schema.MIGRATIONS[:version], start=1):
        apply(conn)
        conn.execute(f"PRAGMA user_version = {number}")
    conn.execute(
        "INSERT INTO organisations(uid, created_at, updated_at, name) "
        "VALUES ('u1', '2020-01-01', '2020-01-01', 'Kept')"
    )
    conn.commit()
    conn.close()


def test_an_older_database_is_upgraded_under_a_progress_dialog(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.sqlite"
    _old_database(path, 4)
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
        assert database.execute("SELECT name FROM organisations").fetchall() == [("Kept",)]
    finally:
        database.close()
    assert not dbmod.needs_upgrade(path)
    app_module.open_for_window(path).close()
    assert len(waited) == 1  # once


def test_a_read_only_window_does_not_upgrade(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.sqlite"
    _old_database(path, 4)
    monkeypatch.setattr(tasks, "wait_for", lambda *a, **k: pytest.fail("upgraded"))
    with pytest.raises(dbmod.DeskError, match="upgrad"):
        app_module.open_for_window(path, "asked for")
    assert dbmod.needs_upgrade(path)
