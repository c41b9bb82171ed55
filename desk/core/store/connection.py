"""A connection to a desk database: SQL through `execute` and `query`, and every write
in one transaction that takes the write lock up front and checks the hold first."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desk.core.disk import live
from desk.core.errors import DatabaseBusy, ReadOnlyDatabase

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
        # Set once closed: work that finishes later (a child's answer) has nowhere to go.
        self.closed = False

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    def rows_in_one_step(self, sql: str, parameters: Any, width: int) -> list[list[Any]]:
        """The rows of `sql` (`width` columns each, in its order), handed over by SQLite
        as a single row and read back as lists. For a thread that reads while another
        runs Python: between two of SQLite's steps a thread waits its turn at the
        interpreter, so fifty rows fetched one by one wait fifty times (at 0.5 ms a
        turn, 25 ms, and each turn taken from the other thread); one step waits once.
        Values keep their types, except that a real number comes back to 15
        significant digits (as SQLite writes JSON) and a blob not at all: it is for
        reads of neither."""
        names = ", ".join(f"c{i}" for i in range(width))
        (found,) = self.execute(
            f"WITH r({names}) AS ({sql}) SELECT json_group_array(json_array({names})) FROM r",
            parameters,
        ).fetchone()
        rows: list[list[Any]] = json.loads(found)
        return rows

    def column_in_one_step(self, sql: str, parameters: Any = ()) -> list[Any]:
        """The first column of `sql`, in its order, handed over as one row as
        `rows_in_one_step` hands rows: at 100,000 ids, half the time of fetching them one
        by one (37 ms to 18). (SQLite never merges a subquery that sorts into an outer
        aggregate, so the order holds.)"""
        (found,) = self.execute(
            f"WITH r(c0) AS ({sql}) SELECT json_group_array(c0) FROM r", parameters
        ).fetchone()
        values: list[Any] = json.loads(found)
        return values

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
        self.closed = True
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
# How long a write waits for another desk (a window, a command, an import) to finish its
# own before giving up with a message. Imports of 100,000 rows hold the lock for seconds.
BUSY_TIMEOUT_MS = 60_000


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
