"""The large demo city the window benchmarks share: built once, kept in the temp folder."""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def add_city_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None, help="reuse this database file")


def bench_city(args: argparse.Namespace) -> tuple[Path, float | None]:
    """The city's path, and how long building it took (None when it was there)."""
    from desk.core.demo import build_demo, holds_records
    from desk.core.store.db import open_database

    path: Path = args.db or Path(tempfile.gettempdir()) / f"desk-bench-{args.contacts}.sqlite"
    db = open_database(path)
    try:
        if holds_records(db):
            return path, None
        began = time.perf_counter()
        build_demo(db, scale=args.contacts)
        return path, time.perf_counter() - began
    finally:
        db.close()
