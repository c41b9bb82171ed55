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
from desk.core.store import db as dbmod
from desk.core.store import records
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
    assert "shorter than its header says" in out
    # The count the file held went with its pages: desk says it cannot tell what is
    # missing rather than guessing, and the exit status says the repair is not whole.
    assert "cannot tell whether any are missing" in out and "Contacts (" in out
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
    from desk.core.store import schema
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


@pytest.mark.parametrize("damage", ["a zeroed page", "a header byte", "a dropped column"])
def test_a_repair_leaves_a_file_with_damaged_records_exactly_as_it_was(
    city: Path, tmp_path: Path, damage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if damage == "a zeroed page":
        layout = _rows_by_leaf(city, "contacts")
        _zero_page(city, sorted(layout)[len(layout) // 2])
    elif damage == "a header byte":
        with city.open("r+b") as stream:
            stream.seek(64)  # the incremental-vacuum flag: SQLite reads it, then fails
            stream.write(b"\x6d")
    else:
        conn = sqlite3.connect(city)
        conn.execute("ALTER TABLE contacts DROP COLUMN email")
        conn.close()
    before = file_digest(city)
    cli.main(["--db", str(city), "check", "--repair"])
    out = capsys.readouterr().out
    assert file_digest(city) == before, damage
    assert "is left as it was" in out, (damage, out)
    assert list(tmp_path.glob("city.recovered-*.sqlite")), damage


def test_an_old_file_is_upgraded_in_place_and_a_stale_index_rebuilt(
    city: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with dbmod.open_database(city) as db:
        db.execute("DELETE FROM search_index WHERE kind = 'contact'")
    assert cli.main(["--db", str(city), "check"]) == 1
    assert "Search index misses" in capsys.readouterr().out
    assert cli.main(["--db", str(city), "check", "--repair"]) == 0
    out = capsys.readouterr().out
    assert "Mended in place: search index rebuilt" in out and "records were not touched" in out
    assert not list(city.parent.glob("city.recovered-*.sqlite"))


def test_two_repairs_never_run_at_once(city: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from desk.core.disk import holder

    first = holder.acquire(city, "repair")
    assert first is not None
    try:
        before = file_digest(city)
        assert cli.main(["--db", str(city), "check", "--repair"]) == 1
        assert "nothing was changed" in capsys.readouterr().err
        assert file_digest(city) == before
    finally:
        first.release()


def test_changes_past_a_damaged_frame_of_the_log_are_said_not_dropped_in_silence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "city.sqlite"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    with dbmod.open_database(path):
        pass  # desk's schema, checkpointed and closed
    writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for n in range(40):
        writer.execute(
            "INSERT INTO organisations (uid, created_at, updated_at, name) "
            "VALUES (?, '2025-01-01', '2025-01-01', ?)",
            (f"o-{n}", f"Organization {n}"),
        )
    shutil.copyfile(path, tmp_path / "copy.sqlite")
    shutil.copyfile(f"{path}-wal", tmp_path / "copy.sqlite-wal")
    writer.close()
    copy = tmp_path / "copy.sqlite"
    size = 4096
    with Path(f"{copy}-wal").open("r+b") as log:  # a frame in the middle goes bad
        log.seek(32 + 20 * (24 + size) + 24 + 100)
        log.write(b"\xde\xad\xbe\xef")
    before = file_digest(copy)
    assert cli.main(["--db", str(copy), "check"]) == 1
    out = capsys.readouterr().out
    assert "The write-ahead log (copy.sqlite-wal) is damaged" in out and "changes saved" in out
    assert file_digest(copy) == before
