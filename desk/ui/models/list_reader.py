"""A list's ids read on a thread of its own, so typing in a filter never waits.

One letter typed into the contacts filter at 100,000 contacts matches 94,000 of them:
a fifth of a second of SQLite, during which a window that asked on its own thread
would not take the next letter. Here the question goes to a thread with a read-only
connection of its own (SQLite lets the window's thread run meanwhile); a newer question
interrupts an older one still running, and only the answer to the latest is delivered.

The thread also keeps each list's whole order (all ids, as sorted) until the database
changes: a filter then needs only the set of ids whose words match, read from the search
index alone, kept in that order. One letter at 100,000 contacts: 30 ms of index and a
pass over the order, where asking SQLite to filter and sort took 110.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desk.core.store import queries
from desk.core.store.db import Database, open_database


class ListReader(QObject):
    # The query answered and its ids; emitted from the reading thread, delivered on the
    # window's (Qt queues signals across threads).
    read = Signal(object, object)
    failed = Signal(object, str)

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._path = path
        self._lock = threading.Lock()
        self._wanted: queries.ListQuery | None = None
        self._prepare: queries.ListQuery | None = None
        self._running: queries.ListQuery | None = None
        self._db: Database | None = None
        self._orders: dict[queries.ListQuery, list[int]] = {}
        self._version: int | None = None
        self._stopped = False
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="list reader", daemon=True)
        self._thread.start()

    def ask(self, query: queries.ListQuery) -> None:
        """Read this query's ids; an older question still running is given up."""
        with self._lock:
            self._wanted = query
            if self._running is not None and self._running != query and self._db is not None:
                self._db.conn.interrupt()
        self._wake.set()

    def prepare(self, query: queries.ListQuery) -> None:
        """Read this list's whole order ahead of its first filter (typing has begun;
        the filter itself waits for a pause), without answering."""
        with self._lock:
            self._prepare = replace(query, text="")
        self._wake.set()

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            if self._db is not None:
                self._db.conn.interrupt()
        self._wake.set()
        # Ended before the list lets go of it: no signal may be sent from this thread
        # once its receiver can be gone (a crash in the binding, not an exception).
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=5)

    def _warm(self, whole: queries.ListQuery) -> None:
        try:
            db = self._connection()
            self._current_version(db)
            if whole not in self._orders:
                self._orders[whole] = queries.ids(db, whole)
        except Exception:  # the filter that follows reads it, and says what is wrong
            pass
        finally:
            with self._lock:
                self._running = None

    def _connection(self) -> Database:
        if self._db is None:
            self._db = open_database(
                self._path, create=False, migrate=False, read_only="a list's filter"
            )
        return self._db

    def _current_version(self, db: Database) -> None:
        version = db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._version:  # another connection wrote: orders may be stale
            self._orders.clear()
            self._version = version

    def _ids(self, db: Database, query: queries.ListQuery) -> list[int]:
        # One read transaction: the version, the order and the matches are all of the
        # same moment, whatever another connection commits meanwhile.
        db.conn.execute("BEGIN")
        try:
            self._current_version(db)
            matching, params = query.matching_ids()
            if not matching:
                return queries.ids(db, query)
            whole = replace(query, text="")
            order = self._orders.get(whole)
            if order is None:
                order = self._orders[whole] = queries.ids(db, whole)
            found = set(db.column_in_one_step(matching, params))
            return [record_id for record_id in order if record_id in found]
        finally:
            if db.conn.in_transaction:
                db.conn.execute("COMMIT")

    def _serve(self) -> None:
        try:
            while True:
                self._wake.wait()
                with self._lock:
                    self._wake.clear()
                    if self._stopped:
                        return
                    query, self._wanted = self._wanted, None
                    prepare, self._prepare = self._prepare, None
                    self._running = query
                if query is None:
                    if prepare is not None:
                        self._warm(prepare)
                    continue
                try:
                    ids = self._ids(self._connection(), query)
                except sqlite3.OperationalError as exc:
                    if "interrupt" in str(exc):
                        continue  # a newer question is waiting
                    self._tell_failed(query, str(exc))
                    continue
                except Exception as exc:  # the list reads it itself, and says what failed
                    self._tell_failed(query, str(exc))
                    continue
                finally:
                    with self._lock:
                        self._running = None
                with self._lock:
                    # Sent under the lock: stop() then knows no answer is on its way.
                    if self._wanted is None and not self._stopped:
                        self.read.emit(query, ids)
        finally:
            with self._lock:
                # Taken away under the lock, so ask() and stop() never interrupt a
                # connection being closed.
                db, self._db = self._db, None
            if db is not None:
                db.close()

    def _tell_failed(self, query: queries.ListQuery, why: str) -> None:
        with self._lock:
            if not self._stopped:
                self.failed.emit(query, why)
