"""Jobs for the tests of work in a child process: module-level, so a child can import
them by name as it imports `desk.jobs`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from desk.core.store import records
from desk.core.store.db import open_database, transaction


def write_then_report(db_path: Path, *, progress: Any) -> int:
    """Adds an organization in a transaction that stays open while it reports progress
    for up to ten seconds: a cancel must roll it back."""
    db = open_database(db_path, create=False)
    try:
        with transaction(db):
            records.create(db, "organisation", {"name": "Half done"})
            for step in range(100):
                progress(step, 100, "Writing")
                time.sleep(0.1)
        return 1
    finally:
        db.close()


def finish_quietly(seconds: float, *, progress: Any) -> str:
    """Ends without a progress report on the way: a cancel asked meanwhile finds it
    done."""
    time.sleep(seconds)
    return "kept"
