"""Files written by each earlier release open in this desk: upgraded to the schema a new
file gets, with every record kept, searchable and undoable, and each upgrade step
coming out exactly as it did when it shipped."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desk.core.features import search
from desk.core.store import db as dbmod
from desk.core.store import records, schema, undo
from tests.old_files import VERSIONS, frozen, old_file, upgrade_step_by_step


def _shape(path: Path) -> dict[str, list[tuple[str, str, int, object]]]:
    conn = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        shape = {
            table: [(r[1], r[2], r[3], r[4]) for r in conn.execute(f'PRAGMA table_info("{table}")')]
            for table in tables
        }
        shape["(indexes)"] = sorted(
            (name, " ".join((sql or "").split()))
            for name, sql in conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND name NOT LIKE 'sqlite_%'"
            )
        )
        return shape
    finally:
        conn.close()


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {
            name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_index%'"
            )
        }
    finally:
        conn.close()


@pytest.mark.parametrize("version", VERSIONS)
def test_a_file_from_each_earlier_release_upgrades_to_the_schema_of_a_new_file(
    version: int, tmp_path: Path
) -> None:
    fresh = tmp_path / "fresh.sqlite"
    dbmod.open_database(fresh).close()
    old = old_file(version, tmp_path)
    held = _counts(old)
    assert all(held.values()), f"schema {version}: every table of the old file holds rows"
    with dbmod.open_database(old) as database:
        assert dbmod.schema_version(database) == schema.SCHEMA_VERSION
        assert dbmod.check(database).ok, dbmod.check(database).problems
    assert _shape(old) == _shape(fresh)
    after = _counts(old)
    for table, count in held.items():
        assert after[table] >= count, f"schema {version}: {table} lost rows in the upgrade"
    # The copy desk took before upgrading is the file as it was.
    (kept,) = tmp_path.glob(f"schema-{version}.before-schema-*.sqlite")
    assert _counts(kept) == held


@pytest.mark.parametrize("version", VERSIONS)
def test_each_upgrade_step_comes_out_as_it_did_when_it_shipped(
    version: int, tmp_path: Path
) -> None:
    recorded = frozen()[f"schema-{version}"]
    levels = upgrade_step_by_step(old_file(version, tmp_path))
    for level, fingerprint in levels.items():
        if str(level) in recorded:
            assert fingerprint == recorded[str(level)], (
                f"schema-{version} upgraded to {level} comes out otherwise than when that "
                "migration shipped: a migration that has shipped was changed"
            )
    assert set(recorded) == {str(level) for level in levels}, (
        "upgraded.json lacks a level: after adding a migration, run "
        "'python -m tests.old_files --freeze'"
    )


@pytest.mark.parametrize("version", [1, 4, 8])
def test_an_upgraded_file_is_searched_written_and_undone_like_a_new_one(
    version: int, tmp_path: Path
) -> None:
    with dbmod.open_database(old_file(version, tmp_path)) as database:
        name = database.execute(
            "SELECT name FROM organisations WHERE name LIKE 'Ōsaka%'"
        ).fetchone()[0]
        assert [hit.title for hit in search.search(database, "osaka chamber")] == [name]
        follow_up = database.execute("SELECT title FROM follow_ups LIMIT 1").fetchone()[0]
        assert search.search(database, follow_up.split()[0], kinds=["follow_up"])
        made = records.create(database, "organisation", {"name": "After the upgrade"})
        assert undo.undo(database).label == "Undo Add organization “After the upgrade”"
        assert made.id is not None
        assert (
            database.execute(
                "SELECT count(*) FROM organisations WHERE id = ?", (made.id,)
            ).fetchone()[0]
            == 0
        )
