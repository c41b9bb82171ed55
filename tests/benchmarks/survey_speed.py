"""Time to write the survey workbook for a large city:
`python -m tests.benchmarks.survey_speed [--contacts N]` (aim: 2,000 engagements in 1 s)."""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from desk.core.demo import build_demo, holds_records
from desk.core.store.db import open_database
from desk.reports.survey.data import collect, preflight
from desk.reports.survey.edition import load
from desk.reports.survey.workbook import write_workbook
from tests.benchmarks.results import record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--contacts",
        type=int,
        default=30_000,
        help="demo size; 30,000 contacts give about 2,000 engagements",
    )
    args = parser.parse_args()
    folder = Path(tempfile.gettempdir())
    db = open_database(folder / f"desk-bench-{args.contacts}.sqlite")
    if not holds_records(db):
        build_demo(db, scale=args.contacts)
    spec = load()
    out = folder / "desk-bench-survey.xlsx"
    times = []
    for _ in range(3):
        began = time.perf_counter()
        data = collect(db, spec.default_since)
        preflight(data)
        write_workbook(spec, data, out)
        times.append(time.perf_counter() - began)
    print(
        f"survey for {len(data.unique):,} unique engagements "
        + "(rows behind them: "
        + ", ".join(f"{len(r):,} {k}" for k, r in data.engagements.items())
        + "): "
        f"median {statistics.median(times) * 1000:.0f} ms, best {min(times) * 1000:.0f} ms "
        f"(target 1000 ms for 2,000); {out.stat().st_size / 1024:.0f} KB"
    )
    record(
        "survey workbook",
        f"{len(data.unique):,} engagements (median)",
        statistics.median(times) * 1000,
        "ms",
        goal=1000,
    )
    db.close()


if __name__ == "__main__":
    main()
