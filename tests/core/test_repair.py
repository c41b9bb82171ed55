"""`desk check --repair` gives back what is still in the file: rows on leaf pages a
table's tree no longer reaches (a file cut short, a zeroed root page), never rows that
were deleted; it says what was lost. `desk check` alone never writes, and a header desk
cannot trust is called damaged, never "written by a newer desk"."""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from desk import cli
from desk.core import db as dbmod
from desk.core import records
from tests.digests import file_digest


@pytest.fixture
def city(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "city.sqlite"
    shutil.copyfile(demo_template, path)
    with dbmod.open_database(path) as db:
        gone = db.execute("SELECT id FROM contacts ORDER BY id DESC LIMIT 5").fetchall()
        for (contact_id,) in gone:  # deleted rows must stay deleted after a repair
            records.delete(db, "contact", contact_id)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _rows_by_leaf(path: Path, table: str) -> dict[int, set[int]]:
    """Leaf page -> the row ids on it, from SQLite's own layout: leaves in tree order
    (dbstat's path) hold the table's row ids in order, `ncell` of them each."""
    conn = sqlite3.connect(path)
    try:
        leaves = conn.execute(
            "SELECT pageno, ncell FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path",
            (table,),
        ).fetchall()
        rowids = [row[0] for row in conn.execute(f"SELECT rowid FROM {table} ORDER BY rowid")]
    finally:
        conn.close()
    layout, start = {}, 0
    for page, cells in leaves:
        layout[page] = set(rowids[start : start + cells])
        start += cells
    assert start == len(rowids)
    return layout


def _contacts(path: Path) -> set[int]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {row[0] for row in conn.execute("SELECT id FROM contacts")}
    finally:
        conn.close()


def _recovered(tmp_path: Path) -> Path:
    (found,) = tmp_path.glob("city.recovered-*.sqlite")
    return found


def _zero_page(path: Path, page: int) -> None:
    size = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    with path.open("r+b") as stream:
        stream.seek((page - 1) * size)
        stream.write(bytes(size))


def test_a_zeroed_root_page_loses_no_row(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live = _contacts(city)
    root = (
        sqlite3.connect(city)
        .execute("SELECT rootpage FROM sqlite_master WHERE name = 'contacts'")
        .fetchone()[0]
    )
    _zero_page(city, root)
    damaged = file_digest(city)
    assert cli.main(["--db", str(city), "check"]) == 1
    assert file_digest(city) == damaged  # a check only reads
    # Every row comes back, so the repair is whole: it says so and exits 0.
    assert cli.main(["--db", str(city), "check", "--repair"]) == 0
    out = capsys.readouterr().out
    assert f"The root page ({root}) of table contacts could not be read" in out
    assert "Nothing was lost." in out and "header is damaged" not in out
    assert file_digest(city) == damaged  # the damaged file is never changed
    recovered = _recovered(tmp_path)
    assert _contacts(recovered) == live  # every live row, and no deleted one
    with dbmod.open_database(recovered, create=False) as db:
        assert dbmod.check(db).ok


def test_a_file_cut_in_half_gives_back_the_rows_on_the_pages_that_are_left(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live = _contacts(city)
    layout = _rows_by_leaf(city, "contacts")
    conn = sqlite3.connect(city)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    kept = sorted(layout)[len(layout) // 2]  # cut through the middle of the contacts
    assert kept < pages // 2 * 2
    on_kept_pages = set().union(*(ids for page, ids in layout.items() if page <= kept))
    assert on_kept_pages and on_kept_pages != live  # the cut goes through the contacts
    with city.open("r+b") as stream:
        stream.truncate(kept * page_size)
    assert cli.main(["--db", str(city), "list", "contacts"]) == 1
    assert "damaged" in capsys.readouterr().err
    assert cli.main(["--db", str(city), "check", "--repair"]) == 1
    out = capsys.readouterr().out
    assert "LOST: Contacts" in out and "shorter than its header says" in out
    recovered = _contacts(_recovered(tmp_path))
    assert on_kept_pages <= recovered <= live


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_bytes_in_the_schema_number_are_damage_not_a_newer_desk(
    city: Path, seed: int, capsys: pytest.CaptureFixture[str]
) -> None:
    chance = random.Random(seed)
    with city.open("r+b") as stream:
        stream.seek(60)  # the user version: desk's schema number
        stream.write(chance.randbytes(4))
    before = file_digest(city)
    for command in (["list", "contacts"], ["check"], ["add", "organisation", "name=X"]):
        assert cli.main(["--db", str(city), *command]) == 1, f"seed={seed}"
        captured = capsys.readouterr()
        said = captured.out + captured.err
        assert "damaged" in said and "newer version" not in said, f"seed={seed}: {said}"
    assert file_digest(city) == before, f"seed={seed}"


def test_a_file_from_a_newer_desk_is_still_called_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desk.core import schema
    from tests.makers import newer_desk_file

    path = tmp_path / "newer.sqlite"
    newer_desk_file(path, schema.SCHEMA_VERSION + 1)
    assert cli.main(["--db", str(path), "check"]) == 1
    assert "newer version of desk" in capsys.readouterr().out


def test_check_writes_nothing_to_a_sound_file(city: Path) -> None:
    before = file_digest(city)
    assert cli.main(["--db", str(city), "check"]) == 0
    assert file_digest(city) == before


def test_a_file_missing_its_last_pages_is_called_damaged_and_left_alone(
    city: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(city)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    with city.open("r+b") as stream:
        stream.truncate((pages - 3) * page_size)
    before = file_digest(city)
    assert cli.main(["--db", str(city), "add", "organisation", "name=Into a cut file"]) == 1
    err = capsys.readouterr().err
    assert "is damaged" in err and "desk check --repair" in err, err
    assert file_digest(city) == before
