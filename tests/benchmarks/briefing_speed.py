"""Time to make the briefing packet for the demo city's busiest visit (aim: under 1 s),
and for a visit with 2 MB of notes (aim: under 10 s, growing linearly with the text):
`python -m tests.benchmarks.briefing_speed [--contacts N]`."""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from desk.core.demo import build_demo, holds_records
from desk.core.store.db import open_database
from desk.reports.briefing.packet import build_briefing
from tests.benchmarks.results import record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=250)
    args = parser.parse_args()
    path = Path(tempfile.gettempdir()) / f"desk-bench-{args.contacts}.sqlite"
    db = open_database(path)
    if not holds_records(db):
        build_demo(db, scale=args.contacts)
    for direction in ("outgoing", "incoming"):
        visit, items, people = db.execute(
            "SELECT id, items, people FROM (SELECT v.id, "
            "(SELECT count(*) FROM itinerary_items i WHERE i.visit_id = v.id) AS items, "
            "(SELECT count(*) FROM visit_participants p WHERE p.visit_id = v.id) AS people "
            "FROM visits v WHERE direction = ?) ORDER BY items + people DESC, id LIMIT 1",
            (direction,),
        ).fetchone()
        times: list[float] = []
        size = 0
        for _ in range(5):
            began = time.perf_counter()
            pdf = build_briefing(db, visit)
            times.append(time.perf_counter() - began)
            size = len(pdf)
        print(
            f"{direction} visit #{visit} ({items} itinerary items, {people} people): "
            f"median {statistics.median(times) * 1000:.0f} ms, best "
            f"{min(times) * 1000:.0f} ms (target 1000 ms); {size / 1024:.0f} KB"
        )
        record(
            "briefing packet",
            f"busiest {direction} visit ({items} items, {people} people), median",
            statistics.median(times) * 1000,
            "ms",
            goal=1000,
        )
    db.close()
    _long_text()


def _long_text() -> None:
    """Layout time against the length of one field: linear, or it is a defect."""
    from desk.core.store import records

    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "long.sqlite")
        line = "Cooperation on port logistics and youth exchange continues this year. "
        for size in (250_000, 500_000, 1_000_000, 2_000_000):
            notes = (line * (size // len(line) + 1))[:size]
            visit = records.create(
                db, "visit", {"title": "Long notes", "direction": "outgoing", "notes": notes}
            ).id
            began = time.perf_counter()
            pdf = build_briefing(db, visit)
            took = time.perf_counter() - began
            target = " (target 10 s)" if size == 2_000_000 else ""
            print(
                f"{size / 1e6:.2f} MB of notes: {took:.1f} s{target}, "
                f"{took / size * 1e6:.1f} µs per character; {len(pdf) / 1024:.0f} KB"
            )
            if size == 2_000_000:
                record("briefing packet", "2 MB of notes", took, "s", goal=10)
        db.close()


if __name__ == "__main__":
    main()
