"""Speed of the window on a large city: `python -m tests.benchmarks.ui_speed [--contacts N]`.

Measures, on a demo database of N contacts (100,000 by default, built once and kept):
launch to a usable window, opening each page, scrolling to the end of a list, sorting,
and global search. Prints one line per figure with the target beside it. Not a test:
timings on shared machines vary, so this reports rather than fails.
"""

from __future__ import annotations

import time

START = time.perf_counter()

import argparse  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
from collections.abc import Callable  # noqa: E402

from tests.benchmarks.city import add_city_arguments, bench_city  # noqa: E402
from tests.benchmarks.results import record  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def _report(name: str, seconds: float, target: float | None) -> None:
    verdict = "" if target is None else ("  ok" if seconds <= target else "  SLOW")
    goal = "" if target is None else f"  (target {target * 1000:.0f} ms)"
    print(f"{name:<44}{_ms(seconds)}{goal}{verdict}")
    record("window", name, seconds * 1000, "ms", goal=None if target is None else target * 1000)


def _median(work: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_city_arguments(parser)
    args = parser.parse_args()
    path, built = bench_city(args)
    if built is not None:
        _report(f"build demo city ({args.contacts:,} contacts)", built, None)
    os.environ["DESK_SETTINGS"] = str(path.with_suffix(".ini"))

    from desk.core.store.db import open_database

    launch_began = time.perf_counter()
    from PySide6.QtWidgets import QApplication

    from desk.ui.app import application
    from desk.ui.main_window import MainWindow

    app = application()
    db = open_database(path)
    window = MainWindow(db, path)
    window.show()
    app.processEvents()
    launched = time.perf_counter()
    _report("launch to usable window (in process)", launched - launch_began, 1.0)
    _report("  ... including interpreter start and imports", launched - START, None)
    # A person reads Today before going anywhere; the window loads the pages' code then.
    settle = time.perf_counter() + 1.5
    while time.perf_counter() < settle:
        app.processEvents()
        time.sleep(0.01)

    for key in window.factories:
        if key == "today":
            continue
        began = time.perf_counter()
        window.show_page(key)
        app.processEvents()
        page = window.page(key)
        # A long list is read on a thread: the page counts as open when its list shows.
        while getattr(page, "model", None) is not None and page.model.waiting():
            app.processEvents()
            time.sleep(0.001)
        _report(f"open page '{key}' (first time)", time.perf_counter() - began, 0.1)

        def reopen(k: str = key) -> None:
            window.show_page("today")
            window.stale = {k}  # as after an edit elsewhere: the list is read again
            window.show_page(k)
            app.processEvents()

        _report(f"open page '{key}' again after a change", _median(reopen), 0.1)

    contacts = window.page("contact")
    window.show_page("contact")

    def scroll_to_end() -> None:
        contacts.table.scrollToBottom()
        app.processEvents()
        contacts.table.scrollToTop()
        app.processEvents()

    _report("scroll contacts to the end and back", _median(scroll_to_end), 0.1)

    def sort_by(column: int) -> Callable[[], None]:
        def run() -> None:
            contacts.table.sortByColumn(
                column, contacts.table.horizontalHeader().sortIndicatorOrder()
            )
            app.processEvents()
            while contacts.model.waiting():  # read on a thread: until the list shows it
                app.processEvents()
                time.sleep(0.001)

        return run

    for column, name in enumerate(contacts.model.columns):
        _report(f"sort contacts by {name}", _median(sort_by(column), 3), 0.1)

    from desk.ui.dialogs.search_palette import SearchPalette

    palette = SearchPalette(db, window)
    for text in ("yamada", "山田", "nguyễn", "consulate", "ma"):

        def find(t: str = text) -> None:
            palette.input.setText(t)
            palette.run_search()
            app.processEvents()

        seconds = _median(find)
        hits = sum(
            palette.results.topLevelItem(n).childCount()
            for n in range(palette.results.topLevelItemCount())
        )
        _report(f"search '{text}' ({hits} shown)", seconds, 0.1)

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory (RSS)':<44}{rss_mb:8.0f} MB")
    record("window", "peak memory (RSS)", rss_mb, "MB")
    window.close()
    QApplication.processEvents()
    # As the application does as it quits: work still running in the background (a
    # page's figures read again) is stopped, never destroyed running.
    from desk.ui import tasks

    tasks.stop_all()
    db.close()


if __name__ == "__main__":
    main()
