"""The schema's numbers: how many migrations a file of this desk has run (`PRAGMA
user_version`), the mark desk puts in a file's header, and the shape the migrations
make, read back for the checks that need it. The migrations themselves, frozen as they
shipped, are in `migrations`.

A file whose number is higher than `SCHEMA_VERSION` was written by a newer desk and is
refused. Never edit a migration that has shipped; append a new one.
"""

from __future__ import annotations

import functools
import sqlite3

from desk.core.store.migrations import MIGRATIONS

__all__ = ["APPLICATION_ID", "META_SINCE", "MIGRATIONS", "SCHEMA_VERSION", "not_null_columns"]

# `PRAGMA application_id`: "desk" in ASCII, marking the file as desk's in its header.
APPLICATION_ID = 0x6465736B

# From schema 9 on, `file_meta` repeats the version `PRAGMA user_version` holds.
META_SINCE = 9

SCHEMA_VERSION = len(MIGRATIONS)


@functools.cache
def not_null_columns() -> dict[str, frozenset[str]]:
    """Table -> its NOT NULL columns, read off the current schema built in memory."""
    conn = sqlite3.connect(":memory:")
    try:
        for _name, apply in MIGRATIONS:
            apply(conn)
        tables = [
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return {
            table: frozenset(
                row[1] for row in conn.execute(f"PRAGMA table_info({table})") if row[3]
            )
            for table in tables
        }
    finally:
        conn.close()
