"""The list filter as a person types: `python -m tests.benchmarks.list_filter`.

Every prefix of the search benchmark's words ("m", "ma", "mar"...) applied to the
contacts list of a demo city of N contacts (100,000 by default) the way the page
applies it once typing pauses: the whole list of matches, in the list's order, ready to
scroll, read on the list's own thread. Reported: how long each took to arrive, and the
longest the window's thread stood still meanwhile (a 10 ms heartbeat). Then each list
sorted by each of its columns. Goal: 100 ms each. Not a test: it reports.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

from tests.benchmarks.city import add_city_arguments, bench_city
from tests.benchmarks.results import record
from tests.benchmarks.search_typing import WORDS

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
GOAL = 0.100


def _summary(name: str, timings: list[tuple[float, str]]) -> None:
    times = sorted(t for t, _what in timings)
    p50 = statistics.median(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    slowest, which = max(timings)
    verdict = "ok" if slowest <= GOAL else "SLOW"
    print(f"{name} ({len(times)})")
    print(f"  p50      {p50 * 1000:7.1f} ms")
    print(f"  p95      {p95 * 1000:7.1f} ms")
    print(f"  slowest  {slowest * 1000:7.1f} ms   ({which})   (goal <= 100 ms)  {verdict}")
    record("lists", f"{name}: slowest", slowest * 1000, "ms", goal=GOAL * 1000, note=which)


def _type_into_contacts(page: Any, beat: Any) -> tuple[list[tuple[float, str]], float]:
    """Each prefix applied as the page applies it, waiting until its matches show."""
    from PySide6.QtWidgets import QApplication

    from tests.benchmarks.heartbeat import _until

    typed: list[tuple[float, str]] = []
    stall = 0.0
    arrived: list[bool] = []
    page.model.filtered.connect(lambda: arrived.append(True))
    # The first letter typed starts the reading of the list's order; the filter itself
    # runs once typing pauses (150 ms).
    page.model.prepare_filter()
    settle = time.perf_counter() + 0.15
    while time.perf_counter() < settle:
        QApplication.processEvents()
        time.sleep(0.005)
    for word in WORDS:
        for end in range(1, len(word) + 1):
            text = word[:end]
            arrived.clear()
            beat.start()
            began = time.perf_counter()
            page.model.set_filter_soon(text)
            _until(lambda: bool(arrived))
            took = time.perf_counter() - began
            stall = max(stall, beat.stall_ms())
            typed.append((took, f"'{text}', {page.model.rowCount():,} rows"))
    page.model.set_filter("")
    return typed, stall


def _sort_each_column(app: Any, page: Any, kind: str) -> list[tuple[float, str]]:
    sorted_: list[tuple[float, str]] = []
    header = page.table.horizontalHeader()
    for column, name in enumerate(page.model.columns):
        began = time.perf_counter()
        page.table.sortByColumn(column, header.sortIndicatorOrder())
        app.processEvents()
        sorted_.append((time.perf_counter() - began, f"{kind} by {name}"))
    return sorted_


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_city_arguments(parser)
    args = parser.parse_args()
    path, _built = bench_city(args)
    os.environ["DESK_SETTINGS"] = str(path.with_suffix(".filter.ini"))
    from desk.core.store.db import open_database
    from desk.ui.app import application
    from desk.ui.pages.record_page import RecordPage
    from tests.benchmarks.heartbeat import Heartbeat

    app = application()
    db = open_database(path)
    typed: list[tuple[float, str]] = []
    stall = 0.0
    sorted_: list[tuple[float, str]] = []
    for kind in ("contact", "partnership", "agreement", "visit", "organisation"):
        page = RecordPage(db, kind)
        page.show()
        app.processEvents()
        if kind == "contact":
            typed, stall = _type_into_contacts(page, Heartbeat())
        sorted_ += _sort_each_column(app, page, kind)
        page.model.stop_reading()
        page.close()
    _summary("contacts filtered, keystroke by keystroke (until shown)", typed)
    verdict = "ok" if stall <= GOAL * 1000 else "FROZEN"
    print(f"  window's longest stall  {stall:5.0f} ms   (goal <= 100 ms)  {verdict}")
    record("lists", "window's longest stall while filtering", stall, "ms", goal=GOAL * 1000)
    _summary("lists sorted by each column", sorted_)
    db.close()


if __name__ == "__main__":
    main()
