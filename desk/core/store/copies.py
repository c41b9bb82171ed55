"""A consistent copy of the live database, through SQLite's backup API: `desk backup`,
the copy taken before a schema upgrade or an import that replaces everything."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desk.core.store.connection import Database, database_uid


def backup(db: Database, destination: str | Path) -> Path:
    """A consistent copy of the live database (WAL included) via SQLite's backup API.

    Written through core.files (temp file, fsync, rename) and checked with
    `PRAGMA integrity_check` before it replaces anything. Refuses to write over the live
    database or its -wal, -shm or -journal file.
    """
    from desk.core.disk.files import check_output_path, safe_write_path

    dest = Path(destination)
    _refuse_live_files(db, dest)
    check_output_path(dest, database=True)  # before anything reads what is there
    _refuse_another_database(db, dest)

    def write_to(temp: Path) -> None:
        target = sqlite3.connect(str(temp))
        try:
            db.conn.backup(target)
            # A copy that stands alone: no -wal or -shm is ever made beside it.
            target.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.Error as exc:
            raise _backup_error(exc, dest) from exc
        finally:
            target.close()

    return safe_write_path(dest, write_to, verify=_verify_backup, database=True)


def _refuse_another_database(db: Database, dest: Path) -> None:
    """A backup may replace an earlier copy of this database, never another database."""
    from desk.core.errors import OutputPathError

    if not dest.is_file() or dest.stat().st_size == 0:
        return
    try:
        # immutable: read as the bytes on disk, making no -wal or -shm beside a file
        # that is not ours.
        other = sqlite3.connect(f"{dest.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return  # not a database: the usual rules for replacing a file apply
    try:
        theirs = database_uid(other)
        tables = {name for (name,) in other.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error:
        return
    finally:
        other.close()
    if (theirs and theirs != database_uid(db)) or (not theirs and tables):
        raise OutputPathError(
            f"{dest} is another database; a backup only replaces an earlier copy of this "
            "one. Choose another file name."
        )


def _refuse_live_files(db: Database, dest: Path) -> None:
    from desk.core.errors import OutputPathError

    for _seq, name, main_file in db.conn.execute("PRAGMA database_list").fetchall():
        if name != "main" or not main_file:
            continue  # an in-memory or temporary database has no file to protect
        for suffix in ("", "-wal", "-shm", "-journal"):
            if _same_file(dest, Path(main_file + suffix)):
                what = "the live database" + (f"'s {suffix[1:]} file" if suffix else "")
                raise OutputPathError(f"{dest} is {what}; choose another file for the backup.")


def _same_file(a: Path, b: Path) -> bool:
    import os

    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): compare where they would be
        return Path(os.path.realpath(a)) == Path(os.path.realpath(b))


def _backup_error(exc: sqlite3.Error, dest: Path) -> Exception:
    import errno

    from desk.core.errors import OutputPathError

    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF  # primary result code
    if code == 13:  # SQLITE_FULL
        return OSError(errno.ENOSPC, "database or disk is full", str(dest))
    if code in (3, 8):  # SQLITE_PERM, SQLITE_READONLY
        return OSError(errno.EACCES, str(exc), str(dest))
    return OutputPathError(
        f"Could not back up to {dest} (SQLite says: {exc}); nothing was changed."
    )


def _verify_backup(temp: Path) -> None:
    # immutable=1: read it as a plain file, with no -wal or -shm files beside it.
    copy = sqlite3.connect(f"{temp.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        result = [row[0] for row in copy.execute("PRAGMA integrity_check").fetchall()]
    finally:
        copy.close()
    if result != ["ok"]:
        raise ValueError("the copy is damaged: " + " ".join(result[0].split())[:200])
