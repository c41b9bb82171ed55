"""Opening the one database file: refusing one desk cannot trust, upgrading an older
one (a copy first, each migration in its own transaction), holding it while open.

`Database`, `transaction` and the rest of a connection are in `connection`; the
consistent copy in `copies`; what `desk check` looks at in `checks`. They are named here
too, as every caller has always found them."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from desk.core.disk import live
from desk.core.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseTooNew,
    DeskError,
    NotFound,
    ReadOnlyDatabase,
)
from desk.core.store import index
from desk.core.store.checks import CheckReport, check, schema_gaps
from desk.core.store.connection import (
    BUSY_TIMEOUT_MS,
    Database,
    connect_read_only,
    database_uid,
    holds_records,
    schema_version,
    transaction,
)
from desk.core.store.copies import backup
from desk.core.store.schema import APPLICATION_ID, META_SINCE, MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "BUSY_TIMEOUT_MS",
    "CheckReport",
    "Database",
    "DatabaseBusy",
    "DatabaseDamaged",
    "DatabaseTooNew",
    "DeskError",
    "backup",
    "check",
    "connect_read_only",
    "database_uid",
    "holds_records",
    "needs_upgrade",
    "open_database",
    "schema_gaps",
    "schema_version",
    "transaction",
    "trust_header",
]


MORE_THAN_ONE_NAME = (
    "the file has {names} names on this disk (hard links), and changes made through "
    "two names would damage it; make a copy with 'desk backup --out FILE' and work in "
    "the copy"
)


def open_database(
    path: str | Path,
    *,
    migrate: bool = True,
    create: bool = True,
    read_only: str | None = None,
) -> Database:
    """Open (creating if need be, and if `create`) a desk database, upgraded to this
    desk's schema.

    Refuses a file that is not a desk database, is damaged, or was written by a newer
    desk, before changing anything in it; and a missing file when not `create` (a
    mistyped path must not become a new empty database).

    `read_only` opens it for reading only and gives the reason writes will be refused
    with; a file or folder this user cannot write to is opened that way without asking.
    """
    memory = str(path) == ":memory:"
    # The file itself, not a symlink's name: its log, its lock and its backups all live
    # beside the real file, whatever name it was opened by.
    target = Path(path) if memory else Path(os.path.realpath(Path(path).expanduser()))
    if not memory:
        if target.is_dir():
            raise DeskError(f"{target} is a folder; give the path of a desk database file.")
        if not target.exists() and (not create or read_only):
            raise NotFound(
                f"There is no database at {target}. Check the path; a new one is made by "
                "'desk demo', 'desk import json' or the window's File > New."
            )
        if target.exists() and not target.is_file():
            raise DeskError(f"{target} is not a regular file; give the path of a desk database.")
        if target.exists() and target.stat().st_size == 0 and not create:
            raise DatabaseDamaged(
                f"{target} is an empty file, not a desk database; it has not been changed."
            )
        read_only = read_only or _why_not_writable(target)
        if not read_only:
            target.parent.mkdir(parents=True, exist_ok=True)
    if read_only and not memory:
        conn = connect_read_only(target)
    else:
        # No implicit transactions: every write opens its own with BEGIN IMMEDIATE (see
        # `transaction`), so a writer never fails upgrading a read lock under contention.
        conn = sqlite3.connect(str(target), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        version = _read_version(conn, target)
        if not memory:
            trust_header(conn, target, version)
        if version == 0 and _has_foreign_tables(conn):
            raise DatabaseDamaged(
                f"{target} is an SQLite database but not a desk database; it has not been changed."
            )
        if read_only and migrate and version < SCHEMA_VERSION:
            raise ReadOnlyDatabase(
                f"{target} was written by an older desk and must be upgraded before this "
                f"desk can show it, but it is open read-only ({read_only}). Open it once "
                "where desk may change it (no other window on it, a folder you can write "
                "to, without --read-only); the file has not been changed."
            )
        if read_only:
            conn.execute("PRAGMA query_only = ON")
        else:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # As sqlite-utils sets it on every connection it makes, so a connection behaves
        # the same before and after its first use of db.utils.
        conn.execute("PRAGMA recursive_triggers = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseDamaged(
            f"{target} is damaged or is not a desk database ({exc}); it has not been changed."
        ) from exc
    except BaseException:
        conn.close()
        raise
    db = Database(conn)
    db.read_only = read_only
    if not memory:
        db.file = target
        db.hold = live.hold(target, writer=not read_only)
    try:
        if migrate and version < SCHEMA_VERSION:
            _migrate(db, target, version)
        if migrate and not read_only and not index.made_by_this_design(db):
            # Derived data follows the migrations: made anew by this desk's design.
            with transaction(db):
                index.rebuild(db)
        if db.hold is not None and not read_only:
            # A read opens the write-ahead log and shared memory, so the hold records
            # (and on Linux guards) the files this connection really uses.
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            db.hold.record()
    except BaseException:
        db.close()
        raise
    return db


def _why_not_writable(target: Path) -> str | None:
    """Why desk will not change the file (or the journal files beside it), if so."""
    if target.exists() and target.stat().st_nlink > 1:
        return MORE_THAN_ONE_NAME.format(names=target.stat().st_nlink)
    if target.exists() and not os.access(target, os.W_OK):
        return "you do not have permission to change this file"
    folder = target.parent if target.parent != Path("") else Path(".")
    if target.exists() and not os.access(folder, os.W_OK):
        return f"you do not have permission to change files in {folder}"
    return None


def _read_version(conn: sqlite3.Connection, target: Path) -> int:
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamaged(
            f"{target} is damaged or is not a desk database (SQLite says: {exc}); it has "
            "not been changed. If it is a desk database, 'desk check --repair' recovers "
            "what can be read."
        ) from exc


def trust_header(conn: sqlite3.Connection, target: Path, version: int) -> None:
    """Refuse a file whose header cannot be believed, before anything is written to it.

    A schema number beyond this desk's is believed only when the file's own `file_meta`
    says the same (every desk from schema 9 writes both); random bytes in the header
    make it "damaged", never "written by a newer desk". A header that counts more pages
    than the file and its log hold means the file was cut short.
    """
    damaged = f"{target} is damaged: its header"
    if version < 0:
        raise DatabaseDamaged(f"{damaged} holds a schema number desk never writes ({version}).")
    if version > SCHEMA_VERSION:
        if _meta_version(conn) != version:
            raise DatabaseDamaged(
                f"{damaged} claims schema {version}, which the file itself does not confirm; "
                "it has not been changed. 'desk check --repair' recovers what can be read."
            )
        raise DatabaseTooNew(
            f"{target} was written by a newer version of desk (schema {version}; this "
            f"desk understands up to {SCHEMA_VERSION}). Update desk to open it; the "
            "file has not been changed."
        )
    application = int(conn.execute("PRAGMA application_id").fetchone()[0])
    if application not in (0, APPLICATION_ID):
        raise DatabaseDamaged(
            f"{target} belongs to another program (application id {application:#x}), or its "
            "header is damaged; it has not been changed."
        )
    if version >= META_SINCE and (application != APPLICATION_ID or _meta_version(conn) != version):
        raise DatabaseDamaged(
            f"{damaged} does not match the file (schema {version}); it has not been changed. "
            "'desk check --repair' recovers what can be read."
        )
    page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    try:
        on_disk = target.stat().st_size + _size(Path(f"{target}-wal"))
    except OSError:
        return
    if pages * page_size > on_disk:
        present = target.stat().st_size // max(page_size, 1)
        raise DatabaseDamaged(
            f"{target} is damaged: it is shorter than its header says ({present:,} of "
            f"{pages:,} pages are there; the file was cut short); it has not been changed. "
            "'desk check --repair' recovers what can be read."
        )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _meta_version(conn: sqlite3.Connection) -> int | None:
    try:
        row = conn.execute("SELECT value FROM file_meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError:
        return None
    try:
        return int(row[0]) if row else None
    except (TypeError, ValueError):
        return None


def _has_foreign_tables(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchone()
    return bool(row[0])


def needs_upgrade(path: str | Path) -> bool:
    """Whether opening this desk database would first upgrade it: its schema, or its
    search index made by an earlier design (a file this desk cannot read, or one from a
    newer desk, is for `open_database` to refuse)."""
    target = Path(path)
    if not target.is_file():
        return False
    try:
        conn = connect_read_only(target)
    except sqlite3.Error:
        return False
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if not 0 < version <= SCHEMA_VERSION:
            return False
        return version < SCHEMA_VERSION or not index.made_by_this_design(Database(conn))
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _migrate(db: Database, target: Path, version: int) -> None:
    if version > 0 and str(target) != ":memory:":
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup(db, target.with_name(f"{target.stem}.before-schema-{version + 1}-{stamp}.sqlite"))
    for number, (_name, apply) in enumerate(MIGRATIONS[version:], start=version + 1):
        # Each migration and its version stamp commit together or not at all.
        with transaction(db):
            apply(db.conn)
            db.conn.execute(f"PRAGMA user_version = {number}")
            if number >= META_SINCE:
                db.conn.execute(
                    "INSERT OR REPLACE INTO file_meta (key, value) VALUES ('schema_version', ?)",
                    (str(number),),
                )
