"""What the command line's daily backup costs: a whole `desk add` process when the day's
backup is due (the first write of the day) against one when it is not, in alternating
pairs: `python -m tests.benchmarks.cli_backup [--contacts N] [--pairs N]`."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.city import add_city_arguments, bench_city
from tests.benchmarks.results import record


def _add(path: Path, env: dict[str, str], name: str) -> float:
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "desk", "--db", str(path), "add", "organisation", f"name={name}"],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_city_arguments(parser)
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    city, _built = bench_city(args)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder) / "city.sqlite"
        shutil.copyfile(city, work)
        env = {**os.environ, "XDG_DATA_HOME": str(Path(folder) / "data")}
        due, not_due = [], []
        for n in range(args.pairs):
            shutil.rmtree(Path(folder) / "data", ignore_errors=True)  # no backup yet today
            due.append(_add(work, env, f"First of the day {n}"))
            not_due.append(_add(work, env, f"Second of the day {n}"))
        size = work.stat().st_size / 1024 / 1024
    first, later = statistics.median(due), statistics.median(not_due)
    print(f"database: {size:.1f} MB ({args.contacts:,} contacts)")
    print(f"desk add, backup due:     median {first * 1000:.0f} ms")
    print(f"desk add, backup not due: median {later * 1000:.0f} ms")
    print(f"the backup adds:          {(first - later) * 1000:.0f} ms")
    record("command line", f"desk add, the day's backup due ({size:.0f} MB)", first * 1000, "ms")
    record("command line", "desk add, no backup due", later * 1000, "ms")


if __name__ == "__main__":
    main()
