"""What the window's first page needs, read on a thread of its own while the window loads.

At 100,000 contacts, asking whether a planned status change has come due and reading
Today's agenda are some 90 ms of SQLite; creating the application and loading the
window's code is as much again of Python. SQLite lets other threads run while it reads,
so both reads begin on a read-only connection of their own as soon as the window is
asked for, before the file is even held.

What is read is used only while it is still the truth: the agenda only when read for the
same day with no write by the window's connection since it was begun (a planned change
taking effect is such a write). Anything else, a failure included, and the window asks
on its own connection as it always did.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
from pathlib import Path

from desk.core.features import agenda
from desk.core.store.db import Database, open_database
from desk.core.store.hooks.partnerships import statuses_due

# While both threads run, each takes the interpreter's lock back after every SQLite
# step; held the usual 5 ms by the other each time, they would wait on each other for
# longer than either works.
_SWITCH_SECONDS = 0.0005


class AgendaAhead:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._today = dt.date.today()
        self._due: list[int] | None = None
        self._due_read = threading.Event()
        self._found: agenda.Agenda | None = None
        self._db: Database | None = None
        self._changes = 0
        self._interval = sys.getswitchinterval()
        sys.setswitchinterval(_SWITCH_SECONDS)
        self._thread = threading.Thread(target=self._read, name="read ahead", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            # An older file is refused here (it is upgraded first, and read after).
            reader = open_database(self._path, create=False, read_only="read ahead")
        except Exception:  # the window asks itself, and says what is wrong
            self._due_read.set()
            sys.setswitchinterval(self._interval)
            return
        try:
            reader.conn.execute("BEGIN")  # both answers of one moment
            self._due = statuses_due(reader, self._today)
            self._due_read.set()
            self._found = agenda.build(reader, self._today)
        except Exception:
            self._found = None
        finally:
            self._due_read.set()
            reader.close()
            sys.setswitchinterval(self._interval)

    def any_due(self, db: Database) -> bool:
        """Whether a planned status change may have come due (True when the reading
        failed: the window then asks itself). From here on, a write by `db` sets the
        agenda read ahead aside."""
        self._db = db
        self._changes = db.conn.total_changes
        self._due_read.wait()
        return self._due is None or bool(self._due)

    def take(self) -> agenda.Agenda | None:
        """Today's agenda read ahead (every type, the usual number per section), once;
        None when it cannot be trusted or was already taken."""
        self._thread.join()
        found, self._found = self._found, None
        if found is None or self._db is None:
            return None
        if self._db.conn.total_changes != self._changes or dt.date.today() != self._today:
            return None
        return found
