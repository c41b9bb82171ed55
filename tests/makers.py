"""Files made the way other programs, or other versions of desk, would leave them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desk.core.store import schema


def newer_desk_file(path: Path, version: int) -> None:
    """A database as a later desk would write it: its header and its own `file_meta`
    agree on a schema number this desk does not know."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE IF NOT EXISTS file_meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT OR REPLACE INTO file_meta VALUES ('schema_version', ?)", (str(version),))
    conn.execute("CREATE TABLE IF NOT EXISTS future (x)")
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
