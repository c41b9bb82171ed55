"""Putting a backup back: checked first, the current file copied aside, then swapped in
through SQLite's backup API so other connections see one consistent switch."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desk.core.backups import (
    BackupInfo,
    RestoreRefused,
    RestoreResult,
    _integrity,
    inspect,
    make_backup,
)
from desk.core.db import connect_read_only
from desk.core.errors import DeskError


def verify(backup_path: str | Path) -> BackupInfo:
    """A backup that can be restored, or RestoreRefused saying why not."""
    from desk.core.schema import SCHEMA_VERSION

    path = Path(backup_path)
    if not path.is_file():
        raise RestoreRefused(f"No backup at {path}; nothing was restored.")
    info = inspect(path)
    try:
        conn = connect_read_only(path)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            verdict = _integrity(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise RestoreRefused(
            f"{path} is not a desk backup (SQLite says: {exc}); nothing was restored."
        ) from exc
    if verdict != ["ok"]:
        raise RestoreRefused(
            f"{path} is damaged (integrity check: {verdict[0]}); nothing was restored."
        )
    if version > SCHEMA_VERSION:
        raise RestoreRefused(
            f"{path} was written by a newer version of desk (schema {version}; this desk "
            f"understands up to {SCHEMA_VERSION}); nothing was restored. Update desk first."
        )
    if version < 1 or info.damaged:
        raise RestoreRefused(f"{path} is not a desk database; nothing was restored.")
    return info


def restore(db_path: str | Path, backup_path: str | Path) -> RestoreResult:
    """Put a backup's records back into the live database.

    The backup is verified first, then the database as it is now is backed up
    ("before-restore"), then the backup is copied into the live file through SQLite's
    backup API in one step, so every other connection sees either the old database or
    the restored one, never a mixture.
    """
    path = Path(db_path)
    chosen = verify(backup_path)
    safety = None
    if path.is_file():
        # Not rotated now: rotation could take the very backup about to be restored.
        safety = make_backup(path, reason="before-restore", rotate_after=False, keep_damaged=True)
    source = connect_read_only(chosen.path)
    try:
        live = sqlite3.connect(str(path), timeout=30.0)
        try:
            live.execute("PRAGMA busy_timeout = 30000")
            source.backup(live)
            live.execute("PRAGMA journal_mode = WAL")
            verdict = _integrity(live)
        finally:
            live.close()
    except sqlite3.Error as exc:
        where = f" The database as it was is in {safety.path}." if safety else ""
        raise DeskError(f"Could not restore {chosen.path} into {path}: {exc}.{where}") from exc
    finally:
        source.close()
    if verdict != ["ok"]:
        where = f" Restore {safety.path} to go back." if safety else ""
        raise DeskError(f"The restored database fails its integrity check ({verdict[0]}).{where}")
    from desk.core.schema import SCHEMA_VERSION

    if chosen.schema_version is not None and chosen.schema_version < SCHEMA_VERSION:
        from desk.core.db import open_database

        open_database(path).close()  # brings an older backup up to this desk's schema
    return RestoreResult(database=path, restored=chosen, safety=safety)
