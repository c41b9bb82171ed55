"""`desk backups` and `desk restore`, through `desk.cli.main` as a person types them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from desk.cli.main import main
from desk.core.safety import backups, userconfig
from desk.core.store import queries
from desk.core.store.db import open_database

pytestmark = pytest.mark.usefixtures("backup_home")


def run(capsys: pytest.CaptureFixture[str], db_path: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db_path), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def city(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "city.sqlite"
    shutil.copyfile(demo_template, path)
    return path


def test_listing_taking_and_json(city: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, city, "backups")
    assert code == 0 and out.startswith("No backups of city.sqlite yet in ")
    code, out, _ = run(capsys, city, "backups", "--now")
    assert code == 0 and out.startswith("Backed up to ") and "-manual." in out
    code, out, _ = run(capsys, city, "backups")
    lines = out.splitlines()
    assert lines[0].split() == [
        "#",
        "When",
        "Reason",
        "Size",
        "Partnerships",
        "Agreements",
        "Visits",
        "Contacts",
        "Organizations",
    ]
    assert lines[2].split()[0] == "1" and " Taken by hand " in lines[2]
    assert lines[2].split()[3] in ("AM", "PM")  # 1  4/8/2025 10:02 AM  manual
    assert lines[-1].startswith("1 backup in ")
    code, out, _ = run(capsys, city, "backups", "--json")
    data = json.loads(out)
    assert data["folder"] == str(backups.backup_folder(city)) and data["note"] is None
    (entry,) = data["backups"]
    assert entry["reason"] == "manual" and entry["damaged"] is None
    assert entry["counts"]["contacts"] == 250


def test_choosing_the_folder(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stick = tmp_path / "stick"
    code, out, _ = run(capsys, city, "backups", "--folder", str(stick), "--now")
    assert code == 0 and f"go to {stick.resolve()}" in out
    assert len(list(stick.glob("city-*.sqlite"))) == 1
    shutil.rmtree(stick)
    code, out, _ = run(capsys, city, "backups")
    assert out.splitlines()[0] == (
        f"The backup folder {stick.resolve()} is missing; using "
        f"{backups.default_backup_folder(city)} instead."
    )
    code, out, _ = run(capsys, city, "backups", "--folder", "default")
    assert code == 0 and str(backups.default_backup_folder(city)) in out
    assert userconfig.for_database(city) == {}


def test_restore_says_first_then_restores(city: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = open_database(city)
    organizations = queries.count(database, "organisation")
    database.close()
    run(capsys, city, "backups", "--now")
    code, out, _ = run(capsys, city, "add", "organisation", "name=After the backup")
    assert code == 0
    code, out, _ = run(capsys, city, "restore", "1")
    assert code == 1
    assert out.startswith(f"Would replace the records in {city} (now 21 partnerships")
    assert f"{organizations + 1} organizations) with the backup taken " in out
    assert "day, " in out and f"{organizations} organizations)" in out
    assert out.splitlines()[-1] == "Run again with --yes to restore."
    database = open_database(city)
    assert queries.count(database, "organisation") == organizations + 1
    database.close()

    newest = backups.list_backups(city)[0].path
    code, out, _ = run(capsys, city, "restore", newest.name, "--yes")
    assert code == 0 and out.startswith("Restored the backup taken ")
    assert "The database as it was is saved in " in out and "before-restore" in out
    database = open_database(city)
    assert queries.count(database, "organisation") == organizations
    database.close()
    code, out, _ = run(capsys, city, "backups", "--json")
    reasons = [b["reason"] for b in json.loads(out)["backups"]]
    assert reasons == ["before-restore", "manual"]


def test_errors_are_one_line(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, city, "restore", "3")
    assert code == 1 and err == "desk: There is no backup number 3; 'desk backups' lists 0.\n"
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"junk" * 1000)
    code, _, err = run(capsys, city, "restore", str(junk), "--yes")
    assert code == 1 and err.count("\n") == 1 and "is not a desk backup" in err
    missing = tmp_path / "nothing.sqlite"
    code, _, err = run(capsys, missing, "backups", "--now")
    assert code == 1 and err == f"desk: No database at {missing}.\n"
    assert not missing.exists()
    code, _, err = run(capsys, city, "backups", "--folder", str(city))
    assert code == 1 and "is a file, not a folder" in err


def _organisations(path: Path) -> set[str]:
    with open_database(path, read_only="looking") as database:
        return {row[0] for row in database.execute("SELECT name FROM organisations")}


def test_the_first_write_of_a_day_from_the_command_line_backs_up_first(
    city: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, city, "list", "contacts")[0] == 0
    assert run(capsys, city, "briefing", "1", "--out", str(city.parent / "p.pdf"))[0] == 0
    assert backups.list_backups(city) == []  # reading takes none
    code, _out, err = run(capsys, city, "add", "organisation", "name=First change")
    assert code == 0 and err == ""
    (taken,) = backups.list_backups(city)
    assert taken.reason == "auto"
    # The copy is of the file as it was before the day's first change.
    assert "First change" not in _organisations(taken.path)
    assert "First change" in _organisations(city)
    assert run(capsys, city, "add", "organisation", "name=Second change")[0] == 0
    assert len(backups.list_backups(city)) == 1  # one a day


@pytest.mark.permissions
def test_a_database_opened_only_for_reading_can_still_be_backed_up(
    city: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    city.chmod(0o444)
    try:
        code, out, err = run(capsys, city, "--read-only", "backups", "--now")
        assert code == 0 and out.startswith("Backed up to "), err
        (taken,) = backups.list_backups(city)
        assert taken.counts["contacts"] == 250
    finally:
        city.chmod(0o644)


def test_a_copy_beside_the_original_becomes_a_database_of_its_own(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`cp` to another folder under the same name, then both changed: two databases,
    each with its own backups, never one's rotation deleting the other's."""
    copy = tmp_path / "test" / "city.sqlite"
    copy.parent.mkdir()
    shutil.copyfile(city, copy)
    assert backups.identity_of(copy) == backups.identity_of(city)
    assert run(capsys, city, "add", "organisation", "name=In the original")[0] == 0
    code, _out, err = run(capsys, copy, "add", "organisation", "name=In the copy")
    assert code == 0 and "is a copy of" in err and "of its own" in err
    assert backups.identity_of(copy) != backups.identity_of(city)
    (mine,) = backups.list_backups(city)
    (theirs,) = backups.list_backups(copy)
    assert mine.path != theirs.path and mine.path.parent != theirs.path.parent
    # Moving the original elsewhere on the same machine keeps its identity.
    moved = tmp_path / "moved" / "city.sqlite"
    moved.parent.mkdir()
    city.rename(moved)
    uid = backups.identity_of(moved)
    assert run(capsys, moved, "add", "organisation", "name=After the move")[0] == 0
    assert backups.identity_of(moved) == uid
    assert [b.path for b in backups.list_backups(moved)] == [mine.path]


def test_a_large_database_is_backed_up_in_a_process_of_its_own(
    city: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    monkeypatch.setattr("desk.cli.commands.INLINE_BACKUP_BYTES", 0)  # every file is large
    began = time.monotonic()
    code, _out, err = run(capsys, city, "add", "organisation", "name=Large change")
    assert code == 0 and err == ""
    deadline = began + 60
    while not backups.list_backups(city) and time.monotonic() < deadline:
        time.sleep(0.1)
    (taken,) = backups.list_backups(city)
    assert taken.reason == "auto" and taken.counts["contacts"] == 250
