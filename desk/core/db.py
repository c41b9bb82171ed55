"""Opening, upgrading, backing up and checking the one database file."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desk.core import live
from desk.core.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseTooNew,
    DeskError,
    NotFound,
    ReadOnlyDatabase,
)
from desk.core.schema import APPLICATION_ID, META_SINCE, MIGRATIONS, SCHEMA_VERSION
from desk.core.words import counted

if TYPE_CHECKING:
    import sqlite_utils


class Database:
    """A desk database: one SQLite connection, spoken to in SQL.

    `execute` and `query` behave as sqlite-utils' own; `utils` is sqlite-utils' view of
    the same connection, for table-level work (listing tables, reading a table's shape).
    It is loaded on first use rather than at import: sqlite-utils brings click, dateutil
    and pluggy with it, about 55 ms that the window's first paint would otherwise wait on.
    `read_only` says why writes are refused, or is None.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.read_only: str | None = None
        self.file: Path | None = None  # None in memory
        self.hold: live.Hold | None = None  # the file as this process opened it
        # Called once, before this connection's first write (the command line's daily
        # backup), outside any transaction.
        self.before_first_write: Callable[[], None] | None = None
        self._utils: sqlite_utils.Database | None = None

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    def query(self, sql: str, params: Any = None) -> Iterator[dict[str, Any]]:
        """Each row of `sql` as a dict of column name to value."""
        cursor = self.execute(sql, params)
        keys = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(keys, row, strict=True))

    @property
    def utils(self) -> sqlite_utils.Database:
        if self._utils is None:
            import sqlite_utils

            # No plugins: a package installed beside desk must not change how its
            # connection behaves, and scanning every installed package takes time.
            self._utils = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._utils

    def close(self) -> None:
        held, self.hold = self.hold, None
        if held is not None:
            live.release(held, writer=not self.read_only)
        self.conn.close()

    def verify_hold(self) -> None:
        """Refuse (HoldLost) when the files on disk are not the ones opened."""
        if self.hold is not None:
            self.hold.verify()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def holds_records(db: Database) -> bool:
    """Whether anything was entered yet: a new file opens on the welcome choices."""
    return any(
        db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
        for table in ("city_profile", "contacts", "partnerships", "organisations", "visits")
    )


# SQLite keeps a database's log and locks by name: a second name for the same file (a
# hard link, as some backup tools make) gets a log of its own, and writes through both
# names corrupt it ("How To Corrupt An SQLite Database File", 2.5).
MORE_THAN_ONE_NAME = (
    "the file has {names} names on this disk (hard links), and changes made through "
    "two names would damage it; make a copy with 'desk backup --out FILE' and work in "
    "the copy"
)


# How long a write waits for another desk (a window, a command, an import) to finish its
# own before giving up with a message. Imports of 100,000 rows hold the lock for seconds.
BUSY_TIMEOUT_MS = 60_000


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


def connect_read_only(target: Path, *, past_damage: bool = False) -> sqlite3.Connection:
    """A connection that can only read `target` (a database, a backup, a damaged file).

    A WAL database in a folder we cannot write to is read as it stands on disk: SQLite
    cannot make the shared-memory file it reads through. With `past_damage`, so is a file
    the first read finds damaged (the write-ahead log may be the unreadable part);
    otherwise a damaged file is returned as it is, for the caller's checks to name.
    """
    uri = Path(target).resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
    except sqlite3.DatabaseError:
        if not past_damage:
            return conn
        conn.close()
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)


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


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """One transaction that takes the write lock up front (nested: a savepoint).

    A deferred transaction that reads first and writes later cannot wait for another
    writer: SQLite fails it at once with "database is locked". Taking the lock at BEGIN
    lets the busy timeout queue concurrent writers instead.
    """
    reason = getattr(db, "read_only", None)
    if reason:
        raise ReadOnlyDatabase(f"This database is open read-only ({reason}); nothing was changed.")
    if db.conn.in_transaction:
        with db.utils.atomic():
            yield db
        return
    first = getattr(db, "before_first_write", None)
    if first is not None:
        db.before_first_write = None
        first()
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise _busy_or_raise(exc) from None
    try:
        # With the write lock taken: files removed before it was granted are seen now.
        verify = getattr(db, "verify_hold", None)
        if verify is not None:
            verify()
        yield db
    except BaseException as exc:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.OperationalError) and "readonly" in str(exc):
            # The file or its folder turned read-only under us, or the permission check
            # could not see it (a read-only disk): said in words, nothing half-written.
            raise ReadOnlyDatabase(
                f"This database cannot be written to (SQLite says: {exc}); nothing was "
                "changed. Check that the disk and the file can be written to."
            ) from None
        raise
    try:
        db.conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise _busy_or_raise(exc) from None


def _busy_or_raise(exc: sqlite3.OperationalError) -> Exception:
    message = str(exc)
    if "locked" in message or "busy" in message:
        return DatabaseBusy(
            "Another desk has been writing to this database for over "
            f"{BUSY_TIMEOUT_MS // 1000} seconds; nothing was changed. Try again when it "
            "has finished."
        )
    if "readonly" in message or "read-only" in message:
        return ReadOnlyDatabase(
            f"This database cannot be written to (SQLite says: {message}); nothing was "
            "changed. Check that the disk and the file can be written to."
        )
    return exc


def needs_upgrade(path: str | Path) -> bool:
    """Whether opening this desk database would upgrade its schema first (a file this
    desk cannot read, or one from a newer desk, is for `open_database` to refuse)."""
    target = Path(path)
    if not target.is_file():
        return False
    try:
        conn = connect_read_only(target)
    except sqlite3.Error:
        return False
    try:
        return 0 < int(conn.execute("PRAGMA user_version").fetchone()[0]) < SCHEMA_VERSION
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def schema_version(db: Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def database_uid(db: Database | sqlite3.Connection) -> str | None:
    """The identity the file carries (schema 9 on); None for an older file."""
    conn = db.conn if isinstance(db, Database) else db
    try:
        row = conn.execute("SELECT value FROM file_meta WHERE key = 'database_uid'").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


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


def backup(db: Database, destination: str | Path) -> Path:
    """A consistent copy of the live database (WAL included) via SQLite's backup API.

    Written through core.files (temp file, fsync, rename) and checked with
    `PRAGMA integrity_check` before it replaces anything. Refuses to write over the live
    database or its -wal, -shm or -journal file.
    """
    from desk.core.files import check_output_path, safe_write_path

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


@dataclass
class CheckReport:
    schema_version: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(db: Database) -> CheckReport:
    """Integrity, foreign keys, schema version and search index, as a list of problems."""
    report = CheckReport(schema_version=schema_version(db))
    if report.schema_version != SCHEMA_VERSION:
        report.problems.append(
            f"Schema version is {report.schema_version}; this desk expects {SCHEMA_VERSION}."
        )
    try:
        for (message,) in db.execute("PRAGMA integrity_check").fetchall():
            if message != "ok":
                report.problems.append(f"Integrity: {message}")
        for table, rowid, parent, _fk in db.execute("PRAGMA foreign_key_check").fetchall():
            report.problems.append(
                f"Table {table}, row {rowid}: refers to a missing record in {parent}."
            )
    except sqlite3.DatabaseError as exc:  # pages too damaged to walk: say so, go on
        report.problems.append(f"Integrity: the file cannot be read through ({exc}).")
    report.problems += schema_gaps(db)
    try:
        if db.read_only:
            # FTS5's own check is a write; read the index through instead.
            db.execute("SELECT count(*) FROM search_index WHERE search_index MATCH 'a*'")
        else:
            db.execute("INSERT INTO search_index(search_index) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"Search index: {exc}. Run 'desk check --repair'.")
    from desk.core.index import index_gaps

    try:
        missing = index_gaps(db)
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"Search index: cannot be compared ({exc}).")
        return report
    if missing:
        report.problems.append(
            f"Search index misses {counted(missing, 'record')}. Run 'desk check --repair'."
        )
    return report


@functools.cache
def _expected_columns() -> dict[str, tuple[str, ...]]:
    """Every table of this desk's schema and its columns, built once in memory."""
    conn = sqlite3.connect(":memory:")
    try:
        for _name, apply in MIGRATIONS:
            apply(conn)
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_index_%'"
            )
        ]
        return {t: tuple(r[1] for r in conn.execute(f'PRAGMA table_xinfo("{t}")')) for t in tables}
    finally:
        conn.close()


def schema_gaps(db: Database) -> list[str]:
    """Tables or columns this desk needs that the file lacks (dropped by a tool, or lost),
    in words; every edit would fail on them."""
    problems = []
    try:
        present = {
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            ).fetchall()
        }
        for table, columns in _expected_columns().items():
            if table not in present:
                problems.append(f"Table {table} is missing. Run 'desk check --repair'.")
                continue
            have = {r[1] for r in db.execute(f'PRAGMA table_xinfo("{table}")').fetchall()}
            lacking = [c for c in columns if c not in have]
            if lacking:
                problems.append(
                    f"Table {table} lacks {'column' if len(lacking) == 1 else 'columns'} "
                    f"{', '.join(lacking)}. "
                    "Run 'desk check --repair'."
                )
    except sqlite3.DatabaseError as exc:
        problems.append(f"Schema: cannot be read ({exc}).")
    return problems
