"""What migrations are written with: a script run statement by statement inside the
caller's transaction, and columns added only where a table lacks them."""

from __future__ import annotations

import sqlite3


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Each statement in turn. (executescript() would COMMIT the migration's transaction;
    split on complete statements instead.)"""
    for statement in split(script):
        conn.execute(statement)


def split(script: str) -> list[str]:
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def add_columns(conn: sqlite3.Connection, table: str, columns: dict[str, str]) -> None:
    """Add the columns the table lacks, in the order given; a file whose version was set
    back keeps the ones it already has."""
    present = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
    for name, declaration in columns.items():
        if name not in present:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {declaration}")
