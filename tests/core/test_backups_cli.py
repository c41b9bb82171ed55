"""`desk backups` and `desk restore`, through `desk.cli.main` as a person types them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from desk.cli import main
from desk.core import backups, queries, userconfig
from desk.core.db import open_database

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
