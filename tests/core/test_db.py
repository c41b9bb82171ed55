from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from desk.core.errors import DatabaseDamaged, DatabaseTooNew
from desk.core.store import db as dbmod
from desk.core.store import records, schema
from tests.makers import newer_desk_file


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_open_sets_wal_foreign_keys_and_version(db: dbmod.Database) -> None:
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert dbmod.schema_version(db) == schema.SCHEMA_VERSION
    assert dbmod.check(db).ok


def test_newer_database_is_refused_untouched(db_path: Path) -> None:
    newer_desk_file(db_path, schema.SCHEMA_VERSION + 5)
    before = _digest(db_path)
    with pytest.raises(DatabaseTooNew, match="newer version of desk"):
        dbmod.open_database(db_path)
    assert _digest(db_path) == before


def test_foreign_sqlite_and_non_sqlite_files_are_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseDamaged, match="not a desk database"):
        dbmod.open_database(other)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"This is certainly not SQLite. " * 100)
    before = _digest(junk)
    with pytest.raises(DatabaseDamaged, match="not a desk database"):
        dbmod.open_database(junk)
    assert _digest(junk) == before


def test_a_new_file_gets_the_schema_and_its_version(tmp_path: Path) -> None:
    """Upgrades of real earlier files are in test_old_files; a new file is built by the
    same migrations from nothing."""
    fresh = tmp_path / "fresh.sqlite"
    dbmod.open_database(fresh).close()
    conn = sqlite3.connect(fresh)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
        assert conn.execute("SELECT value FROM file_meta WHERE key = 'schema_version'").fetchone()[
            0
        ] == str(schema.SCHEMA_VERSION)
    finally:
        conn.close()


def test_failed_migration_rolls_back_after_backup(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = dbmod.open_database(db_path)
    records.create(database, "organisation", {"name": "Kept"})
    database.close()

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE halfway (x)")
        raise sqlite3.OperationalError("simulated failure")

    migrations = [*schema.MIGRATIONS, ("broken", broken)]
    monkeypatch.setattr(dbmod, "MIGRATIONS", migrations)
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", len(migrations))
    with pytest.raises(sqlite3.OperationalError, match="simulated"):
        dbmod.open_database(db_path)
    backups = list(db_path.parent.glob("desk.before-schema-*.sqlite"))
    assert len(backups) == 1
    monkeypatch.undo()
    database = dbmod.open_database(db_path)
    assert dbmod.schema_version(database) == schema.SCHEMA_VERSION
    assert database.execute("SELECT name FROM organisations").fetchall() == [("Kept",)]
    assert not database.execute("SELECT 1 FROM sqlite_master WHERE name = 'halfway'").fetchone()
    saved = dbmod.open_database(backups[0])
    assert saved.execute("SELECT name FROM organisations").fetchall() == [("Kept",)]


def test_backup_is_a_consistent_copy(db: dbmod.Database, tmp_path: Path) -> None:
    records.create(db, "organisation", {"name": "Backed up"})
    copy = dbmod.backup(db, tmp_path / "copy.sqlite")
    other = dbmod.open_database(copy)
    assert other.execute("SELECT name FROM organisations").fetchone()[0] == "Backed up"


def test_check_reports_broken_references(db: dbmod.Database) -> None:
    db.execute("PRAGMA foreign_keys = OFF")
    stamp = records.now()
    db.execute(
        "INSERT INTO office_terms(uid, created_at, updated_at, office_id, contact_id) "
        "VALUES ('x', ?, ?, 999, 998)",
        (stamp, stamp),
    )
    db.conn.commit()
    report = dbmod.check(db)
    assert not report.ok
    assert any("office_terms" in p for p in report.problems)


def test_every_link_between_records_has_an_index(tmp_path: Path) -> None:
    """Deleting a record makes SQLite look up every link to it (foreign_keys=ON); an
    unindexed link column turns each lookup into a scan of its whole table."""
    database = dbmod.open_database(tmp_path / "fresh.sqlite")
    conn = database.conn
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    missing = []
    for table in tables:
        for link in conn.execute(f"PRAGMA foreign_key_list({table})").fetchall():
            column = link[3]
            leading = [
                conn.execute(f"PRAGMA index_info('{index[1]}')").fetchone()
                for index in conn.execute(f"PRAGMA index_list({table})").fetchall()
            ]
            if not any(first is not None and first[2] == column for first in leading):
                missing.append(f"{table}.{column}")
    database.close()
    assert missing == []


def test_rows_in_one_step_are_the_rows_in_their_order_with_their_types(db: dbmod.Database) -> None:
    db.conn.execute("CREATE TEMP TABLE t (n INTEGER, x REAL, s TEXT)")
    values = [(n, n / 4 if n % 2 else None, f'‮{n}\n"é"' if n % 3 else None) for n in range(60)]
    db.conn.executemany("INSERT INTO t VALUES (?, ?, ?)", reversed(values))
    found = db.rows_in_one_step("SELECT n, x, s FROM t ORDER BY n DESC LIMIT :k", {"k": 50}, 3)
    assert [tuple(row) for row in found] == sorted(values, reverse=True)[:50]
    assert db.rows_in_one_step("SELECT n FROM t WHERE n < 0", (), 1) == []
