"""Every command that writes a file, pointed at a place it cannot or must not write.

Each must exit non-zero with one `desk: ...` line naming the path, leave no temp file,
and leave a good file already at the target exactly as it was.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from desk.cli.main import main
from desk.core.disk import files
from desk.core.store import attachments
from desk.core.store import db as dbmod

GOOD = b"the last good copy\n"
DEVICES = [d for d in ("/dev/null", "/dev/full") if Path(d).exists()]


@dataclass(frozen=True)
class City:
    db: Path
    visit: int
    attachment: int
    attachment_name: str


@pytest.fixture(scope="module")
def city(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> City:
    path = tmp_path_factory.mktemp("city") / "city.sqlite"
    shutil.copyfile(demo_template, path)
    database = dbmod.open_database(path)
    try:
        visit = database.execute("SELECT min(id) FROM visits").fetchone()[0]
        agreement = database.execute("SELECT min(id) FROM agreements").fetchone()[0]
        attachment = attachments.attach_file(
            database, "agreement", agreement, b"%PDF-1.4 signed MOU %%EOF", "signed-mou.pdf"
        ).id
        database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        database.close()
    return City(path, visit, attachment, "signed-mou.pdf")


@dataclass(frozen=True)
class Writer:
    name: str
    filename: str
    args: Callable[[City, str], list[str]]
    # --out FOLDER means "into that folder" for save-attachment; everyone else refuses it.
    into_folder: bool = False


WRITERS = [
    Writer("briefing", "packet.pdf", lambda c, out: ["briefing", str(c.visit), "--out", out]),
    Writer(
        "phone", "phone.pdf", lambda c, out: ["briefing", str(c.visit), "--phone", "--out", out]
    ),
    Writer(
        "pickups", "pickups.pdf", lambda c, out: ["report", "pickups", str(c.visit), "--out", out]
    ),
    Writer("renewal", "memo.pdf", lambda c, out: ["report", "renewal", "1", "--out", out]),
    Writer("person", "person.md", lambda c, out: ["person", "export", "1", "--out", out]),
    Writer(
        "letter",
        "letters.docx",
        lambda c, out: ["letter", "thank-you", str(c.visit), "--no-keep", "--out", out],
    ),
    Writer("survey", "survey.xlsx", lambda c, out: ["survey", "--anyway", "--out", out]),
    Writer("ics", "desk.ics", lambda c, out: ["export", "ics", "--out", out]),
    Writer("vcard", "cards.vcf", lambda c, out: ["export", "vcard", "--out", out]),
    Writer(
        "csv", "list.csv", lambda c, out: ["export", "csv", "--kind", "partnerships", "--out", out]
    ),
    Writer(
        "xlsx",
        "list.xlsx",
        lambda c, out: ["export", "xlsx", "--kind", "partnerships", "--out", out],
    ),
    Writer("json", "dump.json", lambda c, out: ["export", "json", "--out", out]),
    Writer(
        "save-attachment",
        "copy.pdf",
        lambda c, out: ["save-attachment", str(c.attachment), "--out", out],
        into_folder=True,
    ),
    Writer("backup", "copy.sqlite", lambda c, out: ["backup", "--out", out]),
]
each_writer = pytest.mark.parametrize("writer", WRITERS, ids=[w.name for w in WRITERS])


def run(
    capsys: pytest.CaptureFixture[str], city: City, writer: Writer, out: str | Path
) -> tuple[int, str, str]:
    code = main(["--db", str(city.db), *writer.args(city, str(out))])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_refused(code: int, err: str, *names: str | Path) -> str:
    assert code != 0
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("desk: "), err
    assert any(str(name) in lines[0] for name in names), (lines[0], names)
    return lines[0]


def assert_untouched(folder: Path, good: Path | None = None) -> None:
    """No temp or partial file; `good` (if given) still holds GOOD."""
    names = sorted(p.name for p in folder.iterdir())
    assert not [n for n in names if n.startswith(".") or "partial" in n], names
    if good is not None:
        assert good.read_bytes() == GOOD


@each_writer
def test_writes_and_leaves_nothing_else(
    writer: Writer, city: City, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / writer.filename
    out.write_bytes(GOOD)
    out.chmod(0o640)
    code, _out, err = run(capsys, city, writer, out)
    assert code == 0 and err == ""
    assert out.read_bytes() != GOOD and out.stat().st_size > 0
    if os.name == "posix":
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == [writer.filename]


@each_writer
def test_missing_folder(
    writer: Writer, city: City, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "no-such-folder"
    code, _out, err = run(capsys, city, writer, folder / writer.filename)
    line = assert_refused(code, err, folder)
    assert line == f"desk: Folder {folder} does not exist; create it or choose another."
    assert not folder.exists()
    assert_untouched(tmp_path)


@pytest.fixture
def lock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], None]]:
    """Makes a folder one we may not write in; as root, where chmod does not stop us, the
    refusals are simulated."""
    locked: list[Path] = []

    def chmod_lock(folder: Path) -> None:
        folder.chmod(0o555)
        locked.append(folder)

    def simulated_lock(folder: Path) -> None:
        real_access = os.access
        real_mkstemp = files.tempfile.mkstemp

        def access(path: Any, mode: int, **kwargs: Any) -> bool:
            if Path(path) == folder and mode & os.W_OK:
                return False
            return real_access(path, mode, **kwargs)

        def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
            if Path(kwargs.get("dir") or ".") == folder:
                raise PermissionError(errno.EACCES, "Permission denied", str(folder))
            return real_mkstemp(*args, **kwargs)

        monkeypatch.setattr(os, "access", access)
        monkeypatch.setattr(files.tempfile, "mkstemp", mkstemp)

    yield chmod_lock if os.name == "posix" and os.geteuid() != 0 else simulated_lock
    for folder in locked:
        folder.chmod(0o755)


@pytest.mark.permissions
@each_writer
def test_read_only_folder(
    writer: Writer,
    city: City,
    lock: Callable[[Path], None],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    good = folder / writer.filename
    good.write_bytes(GOOD)
    lock(folder)
    code, _out, err = run(capsys, city, writer, good)
    line = assert_refused(code, err, folder)
    assert line == f"desk: No permission to write in {folder}."
    assert_untouched(folder, good)


@each_writer
def test_out_names_a_folder(
    writer: Writer, city: City, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / writer.filename
    folder.mkdir()
    (folder / "keep.txt").write_bytes(GOOD)
    refused = folder
    if writer.into_folder:
        # It writes into the folder under the file's own name; refused when that name
        # is itself a folder.
        refused = folder / city.attachment_name
        refused.mkdir()
    code, _out, err = run(capsys, city, writer, folder)
    line = assert_refused(code, err, refused)
    assert line == f"desk: {refused} is a folder; give a file name to write."
    assert folder.is_dir() and (folder / "keep.txt").read_bytes() == GOOD
    assert_untouched(folder)
    assert_untouched(tmp_path)


def test_save_attachment_into_a_folder(
    city: City, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, city, WRITERS[-2], tmp_path)
    saved = tmp_path / city.attachment_name
    assert code == 0 and err == "" and str(saved) in out
    assert saved.read_bytes() == b"%PDF-1.4 signed MOU %%EOF"


@pytest.mark.skipif(not DEVICES, reason="no /dev/null or /dev/full")
@pytest.mark.parametrize("device", DEVICES)
@each_writer
def test_a_device_is_never_replaced(
    writer: Writer, device: str, city: City, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = os.stat(device)
    dev_before = set(os.listdir("/dev"))
    if writer.name in ("csv", "xlsx"):
        # `export csv --out /dev/null` appends .csv; point a name with the suffix at it.
        out = tmp_path / writer.filename
        out.symlink_to(device)
    else:
        out = Path(device)
    code, _out, err = run(capsys, city, writer, out)
    line = assert_refused(code, err, out)
    assert "is a device or other special file" in line
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert after.st_ino == before.st_ino
    assert set(os.listdir("/dev")) == dev_before
    assert_untouched(tmp_path)


@each_writer
def test_disk_full(
    writer: Writer,
    city: City,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    good = tmp_path / writer.filename
    good.write_bytes(GOOD)

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code, _out, err = run(capsys, city, writer, good)
    line = assert_refused(code, err, good)
    assert line == f"desk: Not enough disk space to write {good}; nothing was changed."
    assert_untouched(tmp_path, good)


def test_backup_disk_full_inside_sqlite(
    city: City, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """SQLite reports a full disk as its own error, not an OSError; same line, same cleanup."""
    good = tmp_path / "copy.sqlite"
    good.write_bytes(GOOD)
    real_connect = sqlite3.connect

    def connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real_connect(database, *args, **kwargs)
        if str(database).endswith(".partial"):
            conn.execute("PRAGMA max_page_count = 2")
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    code, _out, err = run(capsys, city, WRITERS[-1], good)
    line = assert_refused(code, err, good)
    assert line == f"desk: Not enough disk space to write {good}; nothing was changed."
    assert_untouched(tmp_path, good)


@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_backup_over_the_live_database_is_refused(
    suffix: str, city: City, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live = tmp_path / "live.sqlite"
    shutil.copyfile(city.db, live)
    before = live.read_bytes()
    # The same file by another name: through a symlinked folder.
    alias = tmp_path / "alias"
    alias.symlink_to(tmp_path, target_is_directory=True)
    for out in (live.with_name(live.name + suffix), alias / (live.name + suffix)):
        code = main(["--db", str(live), "backup", "--out", str(out)])
        err = capsys.readouterr().err
        line = assert_refused(code, err, out)
        assert "live database" in line and "Backup written" not in err
    assert live.read_bytes() == before
    assert_untouched(tmp_path)
