"""Time to make the briefing packet for the demo city's busiest visit:
`python -m tests.benchmarks.briefing_speed [--contacts N]` (aim: under 1 s)."""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from desk.core.db import open_database
from desk.core.demo import build_demo, holds_records
from desk.reports.briefing import build_briefing


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
    db.close()


if __name__ == "__main__":
    main()
