"""What `desk check` looks at: integrity, links between records, the schema a file of
this desk should have, and the search index."""

from __future__ import annotations

import functools
import sqlite3
from dataclasses import dataclass, field

from desk.core.domain.words import counted
from desk.core.store.connection import Database, schema_version
from desk.core.store.schema import MIGRATIONS, SCHEMA_VERSION


@dataclass
class CheckReport:
    schema_version: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(db: Database) -> CheckReport:
    """Integrity, foreign keys, schema version and search index, as a list of problems."""
    report = CheckReport(schema_version=schema_version(db))
    if report.schema_version != SCHEMA_VERSION:
        report.problems.append(
            f"Schema version is {report.schema_version}; this desk expects {SCHEMA_VERSION}."
        )
    try:
        for (message,) in db.execute("PRAGMA integrity_check").fetchall():
            if message != "ok":
                report.problems.append(f"Integrity: {message}")
        for table, rowid, parent, _fk in db.execute("PRAGMA foreign_key_check").fetchall():
            report.problems.append(
                f"Table {table}, row {rowid}: refers to a missing record in {parent}."
            )
    except sqlite3.DatabaseError as exc:  # pages too damaged to walk: say so, go on
        report.problems.append(f"Integrity: the file cannot be read through ({exc}).")
    report.problems += schema_gaps(db)
    try:
        if db.read_only:
            # FTS5's own check is a write; read the index through instead.
            db.execute("SELECT count(*) FROM search_index WHERE search_index MATCH 'a*'")
        else:
            db.execute("INSERT INTO search_index(search_index) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"Search index: {exc}. Run 'desk check --repair'.")
    from desk.core.store.index import index_gaps

    try:
        missing = index_gaps(db)
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"Search index: cannot be compared ({exc}).")
        return report
    if missing:
        report.problems.append(
            f"Search index misses {counted(missing, 'record')}. Run 'desk check --repair'."
        )
    return report


@functools.cache
def _expected_columns() -> dict[str, tuple[str, ...]]:
    """Every table of this desk's schema and its columns, built once in memory."""
    conn = sqlite3.connect(":memory:")
    try:
        for _name, apply in MIGRATIONS:
            apply(conn)
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_index_%'"
            )
        ]
        return {t: tuple(r[1] for r in conn.execute(f'PRAGMA table_xinfo("{t}")')) for t in tables}
    finally:
        conn.close()


def schema_gaps(db: Database) -> list[str]:
    """Tables or columns this desk needs that the file lacks (dropped by a tool, or lost),
    in words; every edit would fail on them."""
    problems = []
    try:
        present = {
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            ).fetchall()
        }
        for table, columns in _expected_columns().items():
            if table not in present:
                problems.append(f"Table {table} is missing. Run 'desk check --repair'.")
                continue
            have = {r[1] for r in db.execute(f'PRAGMA table_xinfo("{table}")').fetchall()}
            lacking = [c for c in columns if c not in have]
            if lacking:
                problems.append(
                    f"Table {table} lacks {'column' if len(lacking) == 1 else 'columns'} "
                    f"{', '.join(lacking)}. "
                    "Run 'desk check --repair'."
                )
    except sqlite3.DatabaseError as exc:
        problems.append(f"Schema: cannot be read ({exc}).")
    return problems
