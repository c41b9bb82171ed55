"""Several desks writing to one file at once: every write waits its turn, none is lost."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from desk.core.store import queries, records
from desk.core.store.db import open_database

DATA = Path(__file__).resolve().parent.parent / "data"

_ADDER = """
from desk.core.store.db import open_database
from desk.core.store import records
db = open_database({path!r})
for n in range(40):
    records.create(db, "contact", {{"family_name": "Writer{who}", "given_name": str(n)}})
"""
_EDITOR = """
from desk.core.store.db import open_database
from desk.core.store import records
db = open_database({path!r})
for n in range(40):
    records.update(db, "organisation", 1, {{"notes": f"edit {{n}}"}})
"""
_IMPORTER = """
from desk.core.store.db import open_database
from pathlib import Path
from desk.io import importer
db = open_database({path!r})
for n in range(5):
    plan = importer.plan_file(db, "partnership", Path({data!r}))
    importer.apply_plan(db, plan)
    importer.undo_batch(db, max(b["id"] for b in importer.batches(db)))
"""


def test_concurrent_writers_all_succeed(db_path: Path) -> None:
    db = open_database(db_path)
    records.create(db, "organisation", {"name": "Office of International Affairs"})
    db.close()
    scripts = [
        _ADDER.format(path=str(db_path), who="A"),
        _ADDER.format(path=str(db_path), who="B"),
        _EDITOR.format(path=str(db_path)),
        _IMPORTER.format(path=str(db_path), data=str(DATA / "sister_cities.csv")),
    ]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(script)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for script in scripts
    ]
    failures = [p.communicate(timeout=120)[1] for p in processes if p.wait(timeout=120)]
    assert failures == []

    db = open_database(db_path)
    assert queries.count(db, "contact") == 80
    assert records.get(db, "organisation", 1)["notes"] == "edit 39"
    assert queries.count(db, "partnership") == 0  # every import taken back again
    operations = db.execute("SELECT count(*) FROM operations").fetchone()[0]
    assert operations == 1 + 80 + 40 + 5 * 2
    db.close()


def test_a_write_that_reads_first_waits_instead_of_failing(db_path: Path) -> None:
    """A deferred transaction that reads, then writes after another writer committed,
    fails at once in SQLite ("database is locked"); desk's transactions take the write
    lock up front, so the other writer waits instead."""
    import threading
    import time

    from desk.core.store.db import transaction

    first = open_database(db_path)
    records.create(first, "organisation", {"name": "Port Meridian"})
    has_read = threading.Event()
    errors: list[BaseException] = []

    def other_writer() -> None:
        second = open_database(db_path)
        has_read.wait(5)
        try:
            records.create(second, "organisation", {"name": "Written meanwhile"})
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            second.close()

    thread = threading.Thread(target=other_writer)
    thread.start()
    with transaction(first):
        first.execute("SELECT count(*) FROM organisations").fetchone()
        has_read.set()
        time.sleep(0.3)
        first.execute("UPDATE organisations SET notes = 'read, then written' WHERE id = 1")
    thread.join(10)
    assert errors == []
    assert queries.count(first, "organisation") == 2
    first.close()
