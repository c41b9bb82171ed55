"""What a hostile tester found: outputs aimed at the live database, record numbers that
are not numbers, empty and unnamed database files, dropped tables and columns, and a
read-only check. Each ends in one line, a non-zero status and an unchanged database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desk import cli
from desk.core.store import attachments, records
from desk.core.store import db as dbmod
from tests.digests import file_digest


@pytest.fixture
def city(tmp_path: Path) -> Path:
    path = tmp_path / "city.sqlite"
    db = dbmod.open_database(path)
    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    kobe = records.create(db, "partnership", {"partner_name": "Kobe", "kind": "sister_city"}).id
    records.create(
        db, "visit", {"title": "Mission", "direction": "outgoing", "partnership_id": kobe}
    )
    records.create(db, "follow_up", {"title": "Send the photos"})
    attachments.attach_file(db, "partnership", kobe, b"scan", filename="mou.pdf")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


WRITERS = [
    ["save-attachment", "1", "--out"],
    ["briefing", "1", "--out"],
    ["export", "json", "--out"],
    ["export", "ics", "--out"],
    ["export", "vcard", "--out"],
    ["survey", "--anyway", "--out"],
    ["backup", "--out"],
]


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal", ".lock"])
@pytest.mark.parametrize("writer", WRITERS, ids=lambda w: " ".join(w[:2]))
def test_no_output_replaces_the_open_database(
    writer: list[str], suffix: str, city: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = file_digest(city)
    target = Path(f"{city}{suffix}")
    existed = target.read_bytes() if target.exists() else None
    code = cli.main(["--db", str(city), *writer, str(target)])
    out, err = capsys.readouterr()
    assert code == 1, (out, err)
    assert "open database" in err or "live database" in err, err
    assert "Traceback" not in out + err
    assert file_digest(city) == before
    if existed is not None and suffix not in ("-wal", "-shm"):  # SQLite's own may move
        assert target.read_bytes() == existed
    dbmod.open_database(city, create=False).close()  # still a desk database


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal", ".lock"])
def test_no_output_takes_the_name_of_another_databases_companion(
    suffix: str, city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A window on another database holds `other.sqlite.lock`: replacing it let a second
    window take that database. Any database's companions are refused, held or not."""
    other = tmp_path / "other.sqlite"
    dbmod.open_database(other).close()
    target = Path(f"{other}{suffix}")
    code = cli.main(["--db", str(city), "briefing", "1", "--out", str(target)])
    err = capsys.readouterr().err
    assert code == 1 and f"of the database {other.name}" in err, err
    assert not target.exists()


def test_no_output_replaces_a_database_a_window_holds(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desk.core.disk import holder

    other = tmp_path / "other.sqlite"
    dbmod.open_database(other).close()
    before = file_digest(other)
    owner = holder.acquire(other)
    assert owner is not None
    try:
        code = cli.main(["--db", str(city), "export", "json", "--out", str(other)])
        err = capsys.readouterr().err
        assert code == 1 and "open in a desk window" in err, err
        assert file_digest(other) == before
    finally:
        owner.release()


def test_no_output_replaces_a_file_the_same_command_reads(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for out in (first, second):
        assert cli.main(["--db", str(city), "survey", "--anyway", "--out", str(out)]) == 0
    capsys.readouterr()
    before = file_digest(first)
    code = cli.main(["survey", "--aggregate", str(first), str(second), "--out", str(first)])
    err = capsys.readouterr().err
    assert code == 1 and "a file this command reads" in err, err
    assert file_digest(first) == before


@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_no_input_is_the_open_database(
    suffix: str, city: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reading the database's own files as a spreadsheet or an attachment would drop
    this process's locks on it: refused by path, before anything opens them."""
    for command in (
        ["attach", "partnership", "1", f"{city}{suffix}"],
        ["import", "partnerships", f"{city}{suffix}"],
    ):
        code = cli.main(["--db", str(city), *command])
        err = capsys.readouterr().err
        assert code == 1 and "open database" in err, (command, err)


@pytest.mark.parametrize(
    "command",
    [
        ["done", "６"],
        ["done", "1234567890123456789012345"],
        ["snooze", "1", "--days", "99999999"],
        ["today", "--date", "9999-12-31"],
        ["list", "partnerships", "--limit", "1234567890123456789012345"],
        ["undo", "٣"],
        ["save-attachment", "1234567890123456789012345", "--out", "x.pdf"],
        ["export", "json", "--out", ""],
        ["survey", "--since", "-5", "--out", "s.xlsx"],
    ],
)
def test_numbers_dates_and_names_that_are_not_are_refused_up_front(
    command: list[str], city: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = file_digest(city)
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--db", str(city), *command])
    out, err = capsys.readouterr()
    assert stopped.value.code == 2 and "Traceback" not in out + err
    assert "error: argument" in err
    assert file_digest(city) == before


def test_an_empty_file_or_an_unmade_desk_db_path_is_never_turned_into_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    for command in (["today"], ["check"]):
        assert cli.main(["--db", str(empty), *command]) == 1
        out, err = capsys.readouterr()
        assert "empty file" in out + err
    assert empty.read_bytes() == b""
    monkeypatch.setenv("DESK_DB", str(tmp_path / "typo" / "city.sqlite"))
    assert cli.main(["today"]) == 1
    assert "There is no database" in capsys.readouterr().err
    assert not (tmp_path / "typo").exists()


def test_a_dropped_table_or_column_is_named_by_check_and_mended_by_repair(
    city: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(city)
    conn.execute("DROP TABLE operations")
    conn.execute("ALTER TABLE contacts DROP COLUMN email")
    conn.close()
    assert cli.main(["--db", str(city), "check"]) == 1
    out, _err = capsys.readouterr()
    assert "Table operations is missing" in out and "lacks column email" in out
    before = file_digest(city)
    assert cli.main(["--db", str(city), "add", "contact", "family_name=Sato"]) == 1
    err = capsys.readouterr().err
    assert "is damaged or incomplete" in err and "desk check --repair" in err
    assert len(err.strip().splitlines()) == 1 and file_digest(city) == before
    cli.main(["--db", str(city), "check", "--repair"])
    out, _err = capsys.readouterr()
    assert "LOST: undo steps: the table was missing" in out
    recovered = next(city.parent.glob("city.recovered-*.sqlite"))
    assert cli.main(["--db", str(recovered), "add", "contact", "family_name=Sato"]) == 0


def test_check_of_a_sound_read_only_database_says_sound(
    city: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--db", str(city), "--read-only", "check"]) == 0
    assert "The database is sound." in capsys.readouterr().out


def test_a_dump_nested_too_deeply_is_refused_in_words(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert cli.main(["--db", str(city), "import", "json", str(deep), "--replace"]) == 1
    assert "nested too deeply" in capsys.readouterr().err


def test_a_second_connection_closing_leaves_the_first_protected(city: Path) -> None:
    from desk.core.disk.files import check_output_path
    from desk.core.errors import OutputPathError

    window = dbmod.open_database(city)
    task = dbmod.open_database(city)  # a background job's own connection
    task.close()
    try:
        with pytest.raises(OutputPathError, match="open database"):
            check_output_path(city)
    finally:
        window.close()
    # No connection left: no longer the open database, though still a database, which
    # only another database (a backup of it) may replace.
    assert check_output_path(city, database=True) == city
    with pytest.raises(OutputPathError, match="is a database; choose another name"):
        check_output_path(city)


def test_no_output_replaces_a_database_with_its_log_beside_it(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database a stopped desk left with changes in its log, or one in use: any output
    over it would be mixed with that log the next time it opens."""
    other = tmp_path / "other.sqlite"
    with dbmod.open_database(other) as db:
        records.create(db, "organisation", {"name": "Only in the log"})
        db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        records.create(db, "organisation", {"name": "Also in the log"})
        Path(f"{other}-wal").write_bytes(Path(f"{other}-wal").read_bytes())  # keep it
        keep_log = Path(f"{other}-wal").read_bytes()
    Path(f"{other}-wal").write_bytes(keep_log)  # as a desk killed mid-work leaves it
    before = file_digest(other)
    for command in (
        ["backup", "--out", str(other)],
        ["export", "json", "--out", str(other)],
        ["briefing", "1", "--out", str(other)],
    ):
        code = cli.main(["--db", str(city), *command])
        err = capsys.readouterr().err
        assert code == 1 and "its wal file beside it" in err, (command, err)
    assert file_digest(other) == before


def test_a_document_never_replaces_a_database_and_a_backup_only_its_own(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.sqlite"
    dbmod.open_database(other).close()
    before = file_digest(other)
    assert cli.main(["--db", str(city), "export", "json", "--out", str(other)]) == 1
    assert "is a database; choose another name" in capsys.readouterr().err
    assert cli.main(["--db", str(city), "backup", "--out", str(other)]) == 1
    assert "is another database" in capsys.readouterr().err
    assert file_digest(other) == before
    copy = tmp_path / "copy.sqlite"
    for _ in range(2):  # a backup replaces an earlier backup of the same database
        assert cli.main(["--db", str(city), "backup", "--out", str(copy)]) == 0
    capsys.readouterr()


def test_a_hard_link_to_the_open_database_is_no_input(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    link = tmp_path / "looks-like.csv"
    os.link(city, link)
    code = cli.main(["--db", str(city), "import", "partnerships", str(link)])
    err = capsys.readouterr().err
    assert code == 1 and ("open database" in err or "names on this disk" in err), err
