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

from desk.core.disk import files, holder
from desk.core.domain.words import counted
from desk.core.errors import DeskError
from desk.core.safety import salvage
from desk.core.store import db as dbmod
from desk.core.store import index


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
    # Held for the whole repair, as a window holds it: no window opens the file
    # meanwhile, and two repairs never run at once.
    owner = holder.acquire(path, "repair")
    if owner is None:
        who = holder.current(path)
        said = holder.describe(who) if who else "Another desk is working on this database."
        raise DeskError(
            f"{said} Close that window, or let the other repair finish, before repairing "
            "the file; nothing was changed."
        )
    try:
        return _repair(path)
    finally:
        owner.release()


def _repair(path: Path) -> int:
    """Mend in place only what is derived or due (the search index, a schema upgrade);
    records that cannot be read go to a new file, and the damaged one is left alone."""
    log = _log_damage(path)
    _copy_first(path)
    if log:
        print(f"LOST: {log}")
    try:
        report = _look(path)
    except dbmod.DatabaseDamaged as exc:
        print(f"PROBLEM: {exc}")
        return max(_recover(path, mended=[]), int(log is not None))
    if report.ok:
        print("The database is sound; nothing needed mending.")
        return int(log is not None)
    mended: list[str] = []
    if not _damage(report) and report.schema_version < dbmod.SCHEMA_VERSION:
        dbmod.open_database(path, create=False).close()  # the usual upgrade and its copy
        mended.append(f"upgraded from schema {report.schema_version}")
        report = _look(path)
    if not _damage(report) and not report.ok:
        try:
            with dbmod.open_database(path, create=False) as db:
                index.rebuild(db)
            mended.append("search index rebuilt from the records")
        except sqlite3.DatabaseError as exc:
            print(f"The search index could not be rebuilt in place ({exc}).")
        report = _look(path)
    for problem in report.problems:
        print(f"PROBLEM: {problem}")
    if report.ok:
        print(f"Mended in place: {'; '.join(mended)}. The records were not touched.")
        print("The database is sound.")
        return int(log is not None)
    return max(_recover(path, mended), int(log is not None))


def _damage(report: dbmod.CheckReport) -> list[str]:
    """The problems a repair does not mend in the file itself. Mended in place: the
    search index (derived from the records), and on a file from an earlier desk its
    schema number and the tables and columns an upgrade adds. Anything else means
    records are damaged: they are recovered into a new file instead, so the damaged one
    stays exactly as it was."""
    older = report.schema_version < dbmod.SCHEMA_VERSION
    return [
        problem
        for problem in report.problems
        if not problem.startswith(("Search index", "Table search_index "))
        and not (older and problem.startswith("Schema version is"))
        and not (
            older
            and problem.startswith("Table ")
            and ("missing." in problem or " lacks " in problem)
        )
    ]


def _look(path: Path) -> dbmod.CheckReport:
    with dbmod.open_database(
        path, create=False, migrate=False, read_only="a repair looks first"
    ) as db:
        return dbmod.check(db)


def _log_damage(path: Path) -> str | None:
    """The write-ahead log holds changes past a damaged frame, which SQLite silently
    stops reading at: said, since the file looks sound without them. Read before any
    connection of ours is open, and only when no window is writing to it."""
    from desk.core.safety.pagescan_records import commits_past_damage

    wal = Path(f"{path}-wal")
    if not wal.is_file() or wal.stat().st_size == 0 or holder.current(path) is not None:
        return None
    with wal.open("rb") as log:
        lost = commits_past_damage(log)
    if not lost:
        return None
    return (
        f"The write-ahead log ({wal.name}) is damaged: {counted(lost, 'change')} saved after "
        "the damage cannot be read, and the database reads as it was before them. Keep a "
        "copy of both files ('desk check --repair' takes one first) before anything else."
    )


def _check_only(path: Path) -> int:
    """Read-only from start to end: a file desk cannot trust is said to be damaged, and
    nothing is written to it, not even an upgrade."""
    log = _log_damage(path)
    if log:
        print(f"PROBLEM: {log}")
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
        return max(_report(db), int(log is not None))
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
    # half copy under a finished copy's name. The file, then its log, named as the log
    # of that copy (which no other output may take).
    def copying(source: Path) -> Callable[[Path], None]:
        def write_to(temp: Path) -> None:
            shutil.copyfile(source, temp)

        return write_to

    files.safe_write_path(copy, copying(path), database=True)
    if wal.exists() and wal.stat().st_size:
        files.safe_write_path(Path(f"{copy}-wal"), copying(wal), database=True, log_of=copy)
    print(f"Copy taken first: {copy}")


def _recover(path: Path, mended: list[str]) -> int:
    print("Recovering what can be read into a new file…")
    result = salvage.salvage(path, salvage.recovered_name(path))
    print(f"Recovered {counted(result.recovered(), 'row')} into {result.path}.")
    for note in result.notes:
        print(f"NOTE: {note}")
    losses = result.losses()
    for line in losses:
        print(f"LOST: {line}")
    uncertain = result.uncertain()
    if uncertain:
        print(f"NOTE: {uncertain}")
    if not losses and not uncertain:
        print("Nothing was lost.")
    recovered = dbmod.open_database(result.path, create=False)
    try:
        sound = _report(recovered) == 0
    finally:
        recovered.close()
    kept = (
        f"{path} had only this mended in place: {'; '.join(mended)}; its records were not touched."
        if mended
        else f"{path} is left as it was."
    )
    print(
        f"{kept} To go on with the recovered records, close desk and open the new file "
        f"(desk --db {result.path}), or put it in the old one's place."
    )
    return 0 if sound and result.complete else 1
