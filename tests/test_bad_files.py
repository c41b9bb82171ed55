"""Every command that reads a file, given every kind of wrong file: refused in one line that
names the file, exit status 1, no traceback, and the database exactly as before."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from desk import cli
from desk.core.store import db as dbmod
from desk.core.store import records
from tests.digests import dump_digest


def _missing(folder: Path) -> Path:
    return folder / "missing.dat"


def _folder(folder: Path) -> Path:
    path = folder / "a-folder.xlsx"
    path.mkdir()
    return path


def _empty(folder: Path) -> Path:
    path = folder / "empty.xlsx"
    path.write_bytes(b"")
    return path


def _random(folder: Path) -> Path:
    path = folder / "noise.csv"
    path.write_bytes(bytes((i * 7919 + 13) % 256 for i in range(4096)))
    return path


def _zip_of_junk(folder: Path) -> Path:
    path = folder / "not-a-workbook.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    return path


def _truncated_zip(folder: Path) -> Path:
    path = folder / "cut.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"junk" * 10)
    return path


def _pdf_named_json(folder: Path) -> Path:
    path = folder / "dump.json"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
    return path


BAD_FILES: dict[str, Callable[[Path], Path]] = {
    "missing": _missing,
    "folder": _folder,
    "empty": _empty,
    "random bytes": _random,
    "zip of junk": _zip_of_junk,
    "truncated zip": _truncated_zip,
    "pdf named json": _pdf_named_json,
}

READERS: dict[str, Callable[[str], list[str]]] = {
    "import partnerships": lambda f: ["import", "partnerships", f],
    "import contacts": lambda f: ["import", "contacts", f],
    "import vcard": lambda f: ["import", "vcard", f],
    "import json": lambda f: ["import", "json", f, "--replace"],
    "attach": lambda f: ["attach", "partnership", "1", f],
    "survey check": lambda f: ["survey", "--check", f],
    "survey compare": lambda f: ["survey", "--compare", f, f],
    "survey aggregate": lambda f: ["survey", "--aggregate", f],
    "restore": lambda f: ["restore", f],
}

# `desk attach` keeps any file as it is: an empty one (a placeholder scan), bytes of no
# known format, a broken archive, a PDF named .json are all files someone may keep with a
# record. Only what is not a file at all is refused.
ATTACHABLE = ["empty", "random bytes", "zip of junk", "truncated zip", "pdf named json"]
REFUSED = [
    (reader, bad)
    for reader in READERS
    for bad in BAD_FILES
    if not (reader == "attach" and bad in ATTACHABLE)
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("files") / "city.sqlite"
    db = dbmod.open_database(path)
    records.create(db, "partnership", {"partner_name": "Kobe", "kind": "sister_city"})
    db.close()
    return path


@pytest.mark.parametrize(("reader", "bad"), REFUSED, ids=[f"{r}-{b}" for r, b in REFUSED])
def test_a_wrong_file_is_refused_in_one_line_naming_it(
    reader: str,
    bad: str,
    seeded: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    backup_home: Path,
) -> None:
    database = tmp_path / "city.sqlite"
    database.write_bytes(seeded.read_bytes())
    before = dump_digest(database)
    given = BAD_FILES[bad](tmp_path)
    code = cli.main(["--db", str(database), *READERS[reader](str(given))])
    out, err = capsys.readouterr()
    assert code == 1, (out, err)
    assert "Traceback" not in out + err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert given.name in lines[0], lines[0]
    assert "openpyxl" not in lines[0] and "zip" not in lines[0].split(given.name)[-1].lower()
    assert dump_digest(database) == before


@pytest.mark.parametrize("bad", ATTACHABLE)
def test_any_file_is_attached_whole_and_saved_back_as_it_was(
    bad: str, seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "city.sqlite"
    database.write_bytes(seeded.read_bytes())
    given = BAD_FILES[bad](tmp_path)
    kept = given.read_bytes()
    assert cli.main(["--db", str(database), *READERS["attach"](str(given))]) == 0
    out, err = capsys.readouterr()
    said = re.fullmatch(rf"Attached {re.escape(given.name)} as attachment #(\d+)\.\n", out)
    assert said is not None and err == "", (out, err)
    # Into a folder: the copy takes the name the attachment was stored under.
    back = tmp_path / "saved"
    back.mkdir()
    assert cli.main(["--db", str(database), "save-attachment", said[1], "--out", str(back)]) == 0
    capsys.readouterr()
    assert [p.name for p in back.iterdir()] == [given.name]
    assert (back / given.name).read_bytes() == kept


def test_a_quote_never_closed_is_refused_naming_its_line(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "list.csv"
    sheet.write_text(
        'Partner,Kind\nKobe,sister_city\n"unterminated,sister_city\nOsaka,sister_city\n',
        encoding="utf-8",
    )
    database = tmp_path / "city.sqlite"
    database.write_bytes(seeded.read_bytes())
    before = dump_digest(database)
    assert cli.main(["--db", str(database), "import", "partnerships", str(sheet)]) == 1
    err = capsys.readouterr().err
    assert "list.csv, line 3" in err and "never closed" in err
    assert dump_digest(database) == before
