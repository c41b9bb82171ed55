"""`desk check`: say what is wrong with a database file; `--repair` mends what can be.

`desk check` only reads: it opens the file read-only and writes nothing, not even the
search index's own check. With `--repair`, a byte copy of the file as it is comes first
(taken before desk opens it, so no connection of ours is open while another read of its
files would drop our locks), then derived data (the search index) is rebuilt in place.
When the records themselves are damaged, what can still be read goes into a new file
beside the old one, and the lines printed say what could not be read; the damaged file
itself is never changed by the recovery. A repair waits for no window: it refuses while
one holds the file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from desk.core import db as dbmod
from desk.core import files, holder, salvage, search
from desk.core.errors import DeskError
from desk.core.words import counted


def add_check_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = sub.add_parser("check", help="check integrity; exit status 0 only when sound")
    check.add_argument(
        "--repair",
        action="store_true",
        help="take a copy, rebuild the search index, and recover damaged records into a new file",
    )


def run_check(args: argparse.Namespace, path: Path, read_only: str | None) -> int:
    if not path.is_file():
        raise DeskError(f"There is no database at {path}.")
    if not args.repair:
        return _check_only(path)
    if read_only:
        print(f"PROBLEM: the database is open read-only ({read_only}); a repair changes it.")
        return 1
    window = holder.current(path)
    if window is not None:
        raise DeskError(
            f"{holder.describe(window)} Close that window before repairing the file; "
            "nothing was changed."
        )
    _copy_first(path)
    try:
        db = dbmod.open_database(path, create=False)
    except dbmod.DatabaseDamaged as exc:
        print(f"PROBLEM: {exc}")
        return _recover(path)
    try:
        if db.read_only:
            print(f"PROBLEM: the database is open read-only ({db.read_only}); a repair changes it.")
            return 1
        try:
            search.rebuild(db)
            print("Search index rebuilt from the records.")
        except sqlite3.DatabaseError as exc:
            print(f"The search index could not be rebuilt in place ({exc}).")
        if _report(db, advise=False) == 0:
            return 0
    finally:
        db.close()
    return _recover(path)


def _check_only(path: Path) -> int:
    """Read-only from start to end: a file desk cannot trust is said to be damaged, and
    nothing is written to it, not even an upgrade."""
    try:
        db = dbmod.open_database(
            path, create=False, migrate=False, read_only="'desk check' only reads"
        )
    except (dbmod.DatabaseDamaged, dbmod.DatabaseTooNew) as exc:
        print(f"PROBLEM: {exc}")
        if isinstance(exc, dbmod.DatabaseDamaged):
            print("Run 'desk check --repair' to recover what can be read into a new file.")
        return 1
    try:
        return _report(db)
    finally:
        db.close()


def _report(db: dbmod.Database, *, advise: bool = True) -> int:
    report = dbmod.check(db)
    print(f"Schema version {report.schema_version}.")
    for problem in report.problems:
        print(f"PROBLEM: {problem}")
    if report.ok:
        print("The database is sound.")
        return 0
    print(f"{counted(len(report.problems), 'problem')}.")
    if advise:
        print("'desk check --repair' takes a copy, then mends what can be mended.")
    return 1


def _copy_first(path: Path) -> None:
    """The file exactly as it is, write-ahead log included: a repair that goes wrong
    must leave something to go back to. A byte copy, since a damaged file may not
    survive SQLite's own backup."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    copy = path.with_name(f"{path.stem}.before-repair-{stamp}{path.suffix or '.sqlite'}")
    wal = Path(f"{path}-wal")

    # Each through a temporary file renamed when whole: a repair stopped midway leaves no
    # half copy under a finished copy's name. The log first, while no file it would be
    # the log of exists yet.
    def copying(source: Path) -> Callable[[Path], None]:
        def write_to(temp: Path) -> None:
            shutil.copyfile(source, temp)

        return write_to

    if wal.exists() and wal.stat().st_size:
        files.safe_write_path(Path(f"{copy}-wal"), copying(wal))
    files.safe_write_path(copy, copying(path))
    print(f"Copy taken first: {copy}")


def _recover(path: Path) -> int:
    print("Recovering what can be read into a new file…")
    result = salvage.salvage(path, salvage.recovered_name(path))
    print(f"Recovered {counted(result.recovered(), 'row')} into {result.path}.")
    for note in result.notes:
        print(f"NOTE: {note}")
    losses = result.losses()
    for line in losses:
        print(f"LOST: {line}")
    if not losses:
        print("Nothing was lost.")
    recovered = dbmod.open_database(result.path, create=False)
    try:
        sound = _report(recovered) == 0
    finally:
        recovered.close()
    print(
        f"{path} is left as it was. To go on with the recovered records, close desk and "
        f"open the new file (desk --db {result.path}), or put it in the old one's place."
    )
    return 0 if sound and not losses else 1
