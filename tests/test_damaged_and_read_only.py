"""Files desk may read but not change, and files that are damaged: read-only opening with a
clear refusal of every write, and `desk check --repair` recovering what can be read."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from desk import cli
from desk.core.errors import ReadOnlyDatabase
from desk.core.safety import salvage
from desk.core.store import db as dbmod
from desk.core.store import queries, records
from tests.digests import file_digest


@pytest.fixture
def city(tmp_path: Path) -> Path:
    path = tmp_path / "city.sqlite"
    db = dbmod.open_database(path)
    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    records.create(db, "partnership", {"partner_name": "Kobe", "kind": "sister_city"})
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


# -- read-only -------------------------------------------------------------------------


def test_a_read_only_database_reads_and_refuses_every_write_with_the_reason(city: Path) -> None:
    before = file_digest(city)
    db = dbmod.open_database(city, read_only="opened for a look")
    try:
        assert db.read_only == "opened for a look"
        assert queries.count(db, "partnership") == 1
        writes = [
            lambda: records.create(db, "contact", {"family_name": "Sato"}),
            lambda: records.update(db, "partnership", 1, {"partner_name": "Köbe"}),
            lambda: records.delete(db, "partnership", 1),
        ]
        for write in writes:
            with pytest.raises(ReadOnlyDatabase, match=r"read-only \(opened for a look\)"):
                write()
    finally:
        db.close()
    assert file_digest(city) == before


ROOT = os.name == "posix" and os.geteuid() == 0


@pytest.mark.permissions
@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_file_this_user_cannot_change_opens_read_only_by_itself(
    city: Path, monkeypatch: pytest.MonkeyPatch, what: str
) -> None:
    """Really read-only for an ordinary user (CI runs this as one); as root, where
    permissions do not stop anything, the refusal is simulated."""
    target = city if what == "file" else city.parent
    if ROOT:
        real_access = os.access
        monkeypatch.setattr(
            os,
            "access",
            lambda p, mode: (
                False if mode == os.W_OK and Path(p) == target else real_access(p, mode)
            ),
        )
    else:
        target.chmod(0o555 if what == "folder" else 0o444)
    before = file_digest(city)
    try:
        db = dbmod.open_database(city)
        try:
            assert db.read_only and "permission" in db.read_only
            assert queries.count(db, "partnership") == 1
            with pytest.raises(ReadOnlyDatabase, match="permission"):
                records.create(db, "contact", {"family_name": "Sato"})
        finally:
            db.close()
    finally:
        target.chmod(0o755 if what == "folder" else 0o644)
    assert file_digest(city) == before


def test_a_read_only_older_database_is_not_upgraded_and_says_why(tmp_path: Path) -> None:
    from tests.old_files import old_file

    old = old_file(3, tmp_path)
    before = file_digest(old)
    with pytest.raises(ReadOnlyDatabase, match="must be upgraded"):
        dbmod.open_database(old, read_only="opened for a look")
    assert file_digest(old) == before


def test_the_command_line_reads_a_read_only_database_and_refuses_writes(
    city: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = file_digest(city)
    assert cli.main(["--db", str(city), "--read-only", "list", "partnerships"]) == 0
    assert "Kobe" in capsys.readouterr().out
    refused = [
        ["add", "contact", "family_name=Sato"],
        ["edit", "partnership", "1", "partner_name=Osaka"],
        ["status", "1", "active", "--reason", "Council vote"],
        ["check", "--repair"],
        ["restore", "latest"],
        ["undo"],
    ]
    for command in refused:
        code = cli.main(["--db", str(city), "--read-only", *command])
        out, err = capsys.readouterr()
        assert code == 1, command
        assert "read-only" in out + err and "Traceback" not in out + err, command
    assert file_digest(city) == before


# -- damaged files -----------------------------------------------------------------------


def _pages_of(path: Path, table: str) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [
            row[0]
            for row in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
                (table,),
            )
        ]
    finally:
        conn.close()


def _damage_pages(path: Path, pages: list[int]) -> None:
    size = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    for page in pages:
        start = (page - 1) * size
        data[start : start + size] = b"\xde\xad\xbe\xef" * (size // 4)
    path.write_bytes(bytes(data))


def test_repair_recovers_the_readable_records_into_a_new_file_and_names_the_loss(
    demo_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "city.sqlite"
    shutil.copyfile(demo_template, path)
    db = dbmod.open_database(path)
    contacts_before = queries.count(db, "contact")
    partnerships_before = queries.count(db, "partnership")
    db.close()
    leaves = _pages_of(path, "contacts")
    assert len(leaves) >= 3, "the demo's contacts should span several pages"
    _damage_pages(path, [leaves[1]])
    damaged = file_digest(path)

    assert cli.main(["--db", str(path), "check"]) == 1
    out, err = capsys.readouterr()
    assert "PROBLEM" in out and "Traceback" not in out + err

    code = cli.main(["--db", str(path), "check", "--repair"])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in out + err  # something was lost: not 0
    assert "Copy taken first" in out and "LOST: Contacts:" in out
    assert file_digest(path) == damaged  # the damaged file itself is left as it was
    copies = list(tmp_path.glob("city.before-repair-*.sqlite"))
    assert copies and file_digest(copies[0]) == damaged
    recovered = list(tmp_path.glob("city.recovered-*.sqlite"))
    assert len(recovered) == 1
    assert "The database is sound." in out

    db = dbmod.open_database(recovered[0], create=False)
    try:
        assert dbmod.check(db).ok
        contacts = queries.count(db, "contact")
        assert contacts_before * 0.6 < contacts < contacts_before
        assert queries.count(db, "partnership") == partnerships_before
        # The index is whole again and new records never take a lost record's id.
        assert db.execute("SELECT count(*) FROM search_index").fetchone()[0] > contacts
        lost_high = db.execute("SELECT max(id) FROM contacts").fetchone()[0]
        new = records.create(db, "contact", {"family_name": "Nakamura"}).id
        assert new > lost_high
    finally:
        db.close()


def test_repair_of_an_index_too_damaged_to_rebuild_loses_nothing(
    city: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = dbmod.open_database(city)
    db.conn.execute("UPDATE search_index_data SET block = x'00ff00ff00ff' WHERE id > 1")
    db.close()
    code = cli.main(["--db", str(city), "check", "--repair"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code == 0 and "Nothing was lost." in out, out
    recovered = next(city.parent.glob("city.recovered-*.sqlite"))
    assert cli.main(["--db", str(recovered), "search", "Kobe"]) == 0
    assert "Kobe" in capsys.readouterr().out


def test_repair_of_a_file_too_damaged_to_open_recovers_what_it_can(
    city: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = bytearray(city.read_bytes())
    data[16:18] = b"\x00\x07"  # an impossible page size in the header
    city.write_bytes(bytes(data))
    code = cli.main(["--db", str(city), "check", "--repair"])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in out + err
    assert "PROBLEM" in out and "Copy taken first" in out


def test_salvage_says_every_table_it_could_not_read(tmp_path: Path, city: Path) -> None:
    result = salvage.salvage(city, tmp_path / "copy.sqlite")
    assert result.complete and result.losses() == []
    assert result.recovered() >= 2
