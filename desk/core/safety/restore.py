"""Putting a backup back, as one write like any other.

The backup is checked first (a sound desk database of this desk's schema or older, not
the live file under another name). Then, holding the write lock from start to end, so a
writer in another process waits for it (or is refused in words after the busy timeout)
and no acknowledged write can fall between two steps:

1. the database as it is now is copied to its backups ("before-restore");
2. every table's rows are replaced by the backup's (upgraded to this schema first, in a
   temporary copy), the search index is rebuilt, and the database keeps its own
   identity;
3. a final operation records the restore, so undo stops there and says why instead of
   reaching into history the backup replaced.

A live file too damaged for its rows to be replaced that way is overwritten page by page
through SQLite's backup API instead, right after the copy of it is taken.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from desk.core import paths
from desk.core.disk import live
from desk.core.errors import DatabaseDamaged, DatabaseTooNew, DeskError
from desk.core.progress import Progress
from desk.core.safety.backups import (
    COUNTED,
    BackupInfo,
    RestoreRefused,
    RestoreResult,
    _integrity,
    inspect,
    make_backup,
)
from desk.core.store.db import (
    Database,
    connect_read_only,
    database_uid,
    open_database,
    transaction,
    trust_header,
)

# Facts of the file itself, which the live database keeps whatever the backup says.
_KEPT_TABLES = ("file_meta",)


def verify(backup_path: str | Path, into: Database | None = None) -> BackupInfo:
    """A backup that can be restored (into `into`, when given), or RestoreRefused."""
    from desk.core.store.schema import SCHEMA_VERSION

    path = Path(backup_path)
    if not path.is_file():
        raise RestoreRefused(f"No backup at {path}; nothing was restored.")
    if into is not None and into.file is not None:
        _refuse_the_live_file(path, into.file)
    held = live.live_file(path)
    if held is not None or live.companion_of(path) is not None:
        raise RestoreRefused(
            f"{path} is {held or 'a companion file of a database'}, not a backup; "
            "nothing was restored."
        )
    info = inspect(path)
    try:
        conn = connect_read_only(path)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            trust_header(conn, path, version)
            verdict = _integrity(conn)
        finally:
            conn.close()
    except DatabaseTooNew as exc:
        raise RestoreRefused(
            f"{path} was written by a newer version of desk; nothing was restored. "
            "Update desk first."
        ) from exc
    except DatabaseDamaged as exc:
        raise RestoreRefused(f"{exc} Nothing was restored.") from exc
    except sqlite3.Error as exc:
        raise RestoreRefused(
            f"{path} is not a desk backup (SQLite says: {exc}); nothing was restored."
        ) from exc
    if verdict != ["ok"]:
        raise RestoreRefused(
            f"{path} is damaged (integrity check: {verdict[0]}); nothing was restored."
        )
    if version > SCHEMA_VERSION:  # pragma: no cover - trust_header refuses it first
        raise RestoreRefused(f"{path} was written by a newer desk; nothing was restored.")
    if version < 1 or info.damaged:
        raise RestoreRefused(f"{path} is not a desk database; nothing was restored.")
    return info


def _refuse_the_live_file(path: Path, database: Path) -> None:
    for suffix in ("", *live.COMPANIONS):
        with contextlib.suppress(OSError):
            if Path(f"{database}{suffix}").exists() and path.samefile(f"{database}{suffix}"):
                raise RestoreRefused(
                    f"{path} is the database itself, not a backup of it; nothing was "
                    "restored. 'desk backups' lists its backups."
                )


def other_database(chosen: BackupInfo, db: Database) -> bool:
    """Whether the backup is of another database (by identity) than `db`."""
    mine = database_uid(db)
    return bool(mine and chosen.database_uid and chosen.database_uid != mine)


def restore(
    db: Database, backup_path: str | Path, *, progress: Progress | None = None
) -> RestoreResult:
    """Put a backup's records back into the database open as `db` (see the module)."""
    chosen = verify(backup_path, db)
    if db.file is None:
        raise DeskError("An in-memory database has no backups to restore.")
    say = progress or (lambda _done, _total, _message: None)
    with _work_folder() as folder:
        say(0, 0, "Reading the backup")
        source = _upgraded_copy(chosen.path, folder)
        try:
            safety, replaced = _replace_rows(db, source, chosen, say)
        except sqlite3.DatabaseError as exc:
            if not _damaged(exc):
                raise
            replaced = counts(db)
            safety = _replace_pages(db, source, chosen, say)
    return RestoreResult(database=db.file, restored=chosen, safety=safety, replaced=replaced)


@contextlib.contextmanager
def _work_folder() -> Iterator[Path]:
    """A folder for the upgraded copy, in desk's data folder: named for this process, so
    the next restore clears what a restore that was stopped left behind (a whole copy
    of a database each), and never the folder of one still running."""
    root = paths.data_dir() / "restoring"
    root.mkdir(parents=True, exist_ok=True)
    for left in root.glob("*-*"):
        pid = left.name.split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(left, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # alive, but not ours to signal
    return True


def counts(db: Database) -> dict[str, int]:
    """The counted records the database holds now (those of a damaged table left out)."""
    counted = {}
    for table in COUNTED:
        with contextlib.suppress(sqlite3.DatabaseError):
            counted[table] = int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    return counted


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    text = str(exc).lower()
    return "malformed" in text or "corrupt" in text or "not a database" in text


def _upgraded_copy(backup: Path, folder: Path) -> Path:
    """The backup as a file of this desk's schema, in `folder`; the backup itself is
    only read."""
    copy = folder / "restoring.sqlite"
    source = connect_read_only(backup)
    try:
        target = sqlite3.connect(str(copy))
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    open_database(copy, create=False).close()  # upgrades an older backup's schema
    return copy


def _tables(db: Database) -> list[str]:
    return [
        name
        for (name,) in db.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_index%' ORDER BY name"
        ).fetchall()
        if name not in _KEPT_TABLES
    ]


def _replace_rows(
    db: Database, source: Path, chosen: BackupInfo, say: Progress
) -> tuple[BackupInfo, dict[str, int]]:
    from desk.core.store import index
    from desk.core.store.operations import record_final

    # ATTACH is refused inside a transaction, and foreign keys can only be switched
    # outside one: the backup's rows are whole and consistent, checked as one at the end.
    db.execute("ATTACH DATABASE ? AS restoring", (str(source),))
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        with transaction(db):
            replaced = counts(db)  # under the lock: exactly what the restore replaces
            say(0, 0, "Copying the database as it is now to its backups")
            safety = _safety_copy(db)
            tables = _tables(db)
            for number, table in enumerate(tables, start=1):
                say(number, len(tables) + 1, "Putting the backup's records back")
                columns = ", ".join(
                    f'"{row[1]}"' for row in db.execute(f'PRAGMA main.table_info("{table}")')
                )
                db.execute(f'DELETE FROM main."{table}"')
                db.execute(
                    f'INSERT INTO main."{table}" ({columns}) '
                    f'SELECT {columns} FROM restoring."{table}"'
                )
            db.execute("DELETE FROM main.sqlite_sequence")
            db.execute("INSERT INTO main.sqlite_sequence SELECT * FROM restoring.sqlite_sequence")
            say(len(tables), len(tables) + 1, "Rebuilding the search index")
            index.rebuild(db)
            broken = db.execute("PRAGMA main.foreign_key_check").fetchall()
            if broken:
                raise DeskError(
                    f"The backup's records do not fit together ({len(broken)} links to "
                    "missing records); nothing was restored."
                )
            record_final(db, _label(chosen))
    finally:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("DETACH DATABASE restoring")
    return safety, replaced


def _replace_pages(db: Database, source: Path, chosen: BackupInfo, say: Progress) -> BackupInfo:
    """For a live file whose rows cannot be replaced (its pages are damaged): every page
    overwritten by the backup's through SQLite's backup API, which holds the write lock
    while it copies. The copy of the damaged file is taken under the write lock just
    before, so the only writes that could fall between are those a damaged file would
    most likely have refused anyway."""
    from desk.core.store.operations import record_final

    with transaction(db):
        say(0, 0, "Copying the damaged database to its backups")
        safety = _safety_copy(db)
    say(0, 0, "Putting the backup back page by page")
    uid = database_uid(db)
    restored = sqlite3.connect(str(source))
    try:
        restored.backup(db.conn)
    except sqlite3.Error as exc:
        raise DeskError(
            f"Could not restore {chosen.path} into {db.file}: {exc}. The database as it "
            f"was is in {safety.path}."
        ) from exc
    finally:
        restored.close()
    verdict = _integrity(db.conn)
    if verdict != ["ok"]:
        raise DeskError(
            f"The restored database fails its integrity check ({verdict[0]}). Restore "
            f"{safety.path} to go back."
        )
    with transaction(db):
        if uid:  # the file keeps its own identity, not the backup's
            db.execute("UPDATE file_meta SET value = ? WHERE key = 'database_uid'", (uid,))
        record_final(db, _label(chosen))
    return safety


def _safety_copy(db: Database) -> BackupInfo:
    """The database as it stands, copied while `db` holds the write lock. Read through a
    connection of its own: SQLite's backup cannot read through a connection that is
    inside a write transaction, and with the lock held no other commit can come between
    what this copy reads and what the restore replaces."""
    assert db.file is not None
    return make_backup(db.file, reason="before-restore", rotate_after=False, keep_damaged=True)


def _label(chosen: BackupInfo) -> str:
    from desk.core.domain.dates import short_when

    return f"Restore the backup taken {short_when(chosen.taken_at)}"
