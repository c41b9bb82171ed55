"""Search as a person types: `python -m tests.benchmarks.search_typing [--contacts N]`.

Every prefix of real words in several scripts ("m", "ma", "mar"...), each run the way
the search palette runs it (every kind, 25 per kind, matched words marked), on a demo
city of N contacts (100,000 by default, shared with the other benchmarks). Prints p50,
p95 and the slowest keystroke with the goal (p95 within 20 ms). Not a test: it reports.
"""

from __future__ import annotations

import argparse
import statistics
import time

from tests.benchmarks.city import add_city_arguments, bench_city
from tests.benchmarks.results import record

WORDS = ["maria", "matsue", "yamada", "nguyễn", "müller", "consulate", "山田", "김민", "أحمد"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_city_arguments(parser)
    args = parser.parse_args()
    path, _built = bench_city(args)
    from desk.core.features import search
    from desk.core.store.db import open_database

    db = open_database(path)
    keystrokes: list[tuple[float, str]] = []
    for word in WORDS:
        for end in range(1, len(word) + 1):
            typed = word[:end]
            began = time.perf_counter()
            search.search(db, typed, per_kind=25, marks=("\x02", "\x03"))
            keystrokes.append((time.perf_counter() - began, typed))
    times = sorted(t for t, _typed in keystrokes)
    p50 = statistics.median(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    slowest, which = max(keystrokes)
    verdict = "ok" if p95 <= 0.020 else "SLOW"
    print(f"keystrokes                 {len(times)}")
    print(f"p50                        {p50 * 1000:7.1f} ms")
    print(f"p95                        {p95 * 1000:7.1f} ms   (goal <= 20 ms)  {verdict}")
    print(f"slowest                    {slowest * 1000:7.1f} ms   ('{which}')")
    record("search as typed", "p95 keystroke", p95 * 1000, "ms", goal=20)
    record("search as typed", "slowest keystroke", slowest * 1000, "ms", note=which)
    db.close()


if __name__ == "__main__":
    main()
