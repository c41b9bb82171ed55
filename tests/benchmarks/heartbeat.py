"""Is the window ever frozen? `python -m tests.benchmarks.heartbeat [--contacts N]`.

A timer on the UI thread asks to tick every 10 ms while the window, on a copy of the
demo city of N contacts (100,000 by default), does what a person asks of it: open each
page for the first time, write a backup, make a briefing packet and the survey
workbook, and import a spreadsheet of --rows contacts (100,000 by default) through the
import window, Next by Next. The longest gap between two ticks, less the 10 ms asked
for, is the longest the window stood frozen; the goal is 100 ms for each. Not a test:
timings on shared machines vary, so this reports rather than fails.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.benchmarks.city import add_city_arguments, bench_city
from tests.benchmarks.results import record

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TICK_MS = 10
GOAL_MS = 100


class Heartbeat:
    """The longest the UI thread went without running its timer."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.longest = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def start(self) -> None:
        self.last = time.perf_counter()
        self.longest = 0.0
        self.timer.start()

    def stall_ms(self) -> float:
        self._tick()  # the stretch since the last tick counts too
        self.timer.stop()
        return max(0.0, self.longest * 1000 - TICK_MS)


def _report(name: str, seconds: float, stall: float) -> None:
    verdict = "ok" if stall <= GOAL_MS else "FROZEN"
    print(
        f"{name:<40}{seconds:8.2f} s   longest stall {stall:7.0f} ms  "
        f"(goal <= {GOAL_MS} ms)  {verdict}"
    )
    record("window stalls", f"{name}: longest stall", stall, "ms", goal=GOAL_MS)


def _until(done: Callable[[], bool], limit: float = 600.0) -> None:
    """Run the event loop, as the application would, until `done()` holds."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: loop.quit() if done() else None)
    poll.start(5)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    deadline.start(int(limit * 1000))
    loop.exec()
    poll.stop()
    if not done():
        raise SystemExit(f"gave up after {limit:.0f} s")


def _measure(beat: Heartbeat, name: str, work: Callable[[], Callable[[], bool]]) -> None:
    """`work()` starts the task on the UI thread and returns how to tell it ended."""
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    beat.start()
    began = time.perf_counter()
    finished = work()
    _until(finished)
    _report(name, time.perf_counter() - began, beat.stall_ms())


def _background(window: Any, title: str, job: Callable[[Any, Any], Any]) -> Callable[[], bool]:
    """Run `job(database, progress)` the way the window runs its exports and returns
    when it ended, on_done included."""
    ended: list[object] = []
    task = window.run_task(title, job, ended.append)
    task.error.connect(lambda exc: ended.append(exc))
    return lambda: bool(ended)


def _in_child(
    window: Any, title: str, function: Any, *args: Any, stay: bool = False
) -> Callable[[], bool]:
    """Run one of `desk.jobs` in a process of its own, as the window does."""
    from desk.ui import tasks

    ended: list[object] = []
    work = tasks.in_child(function, *args, stay=stay)
    task = tasks.run(window, title, work, ended.append, ended.append)
    window._keep = task  # alive until it reports
    return lambda: bool(ended)


def _write_contacts(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Given name", "Family name", "Job title", "Email", "Country"])
        for n in range(rows):
            writer.writerow(
                [f"Given{n}", f"Family{n}", "Trade officer", f"person{n}@example.org", "JP"]
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_city_arguments(parser)
    parser.add_argument("--rows", type=int, default=100_000, help="contacts to import")
    args = parser.parse_args()
    city, _built = bench_city(args)
    work = Path(tempfile.mkdtemp(prefix="desk-heartbeat-"))
    path = work / "city.sqlite"
    shutil.copyfile(city, path)  # the import writes; the kept city stays as built
    os.environ["DESK_SETTINGS"] = str(work / "settings.ini")

    from desk.core.store import db as dbmod
    from desk.ui.app import application
    from desk.ui.main_window import MainWindow

    app = application()
    db = dbmod.open_database(path)
    window = MainWindow(db, path)
    window.show()
    # A person reads Today before going anywhere; the window loads the pages' code then.
    settle = time.perf_counter() + 1.5
    while time.perf_counter() < settle:
        app.processEvents()
        time.sleep(0.01)
    beat = Heartbeat()
    print(f"{args.contacts:,} contacts; a tick every {TICK_MS} ms on the UI thread")

    for key in window.factories:
        if key != "today":
            _measure(beat, f"open page '{key}'", lambda k=key: _open(window, k))
    _measure(beat, "back to Today", lambda: _open(window, "today"))

    backup = work / "backup.sqlite"
    _measure(
        beat,
        "back up the database",
        lambda: _background(window, "Backup", lambda d, _p: dbmod.backup(d, backup)),
    )

    from desk.reports.briefing.packet import BriefingOptions
    from desk.ui import jobs

    (visit,) = db.execute(
        "SELECT visit_id FROM itinerary_items GROUP BY visit_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    for name in ("make the busiest visit's packet", "  ... and again"):
        _measure(
            beat,
            name,
            lambda: _in_child(
                window,
                "Packet",
                jobs.make_document,
                path,
                None,
                "packet",
                visit,
                work / "packet.pdf",
                BriefingOptions(),
                stay=True,  # as the visit page asks: the child stays warm for the next
            ),
        )
    _measure(
        beat,
        "read what the survey counts",
        lambda: _in_child(window, "Survey data", jobs.survey_preview, path, None, 2020),
    )
    _measure(
        beat,
        "write the survey workbook",
        lambda: _in_child(
            window, "Survey", jobs.write_survey, path, None, None, 2020, work / "survey.xlsx"
        ),
    )

    sheet = work / "contacts.csv"
    _write_contacts(sheet, args.rows)
    _measure(beat, f"import {args.rows:,} contacts", lambda: _import(window, sheet))
    _measure(beat, "Edit > Undo of that import", lambda: _undo(window))
    window.close()
    # As the application does as it quits: work still running in the background is
    # stopped, never destroyed running.
    from desk.ui import tasks

    tasks.stop_all()
    db.close()
    shutil.rmtree(work, ignore_errors=True)


def _undo(window: Any) -> Callable[[], bool]:
    window.undo()  # waits with the window alive, as the person does
    return lambda: True


def _open(window: Any, key: str) -> Callable[[], bool]:
    window.show_page(key)
    return lambda: True


def _import(window: Any, sheet: Path) -> Callable[[], bool]:
    """Through the import window as a person goes: choose contacts and the file, Next
    to the columns, Next to the preview, Next to import, Finish."""
    from desk.ui.dialogs.import_wizard import ImportWizard

    wizard = ImportWizard(window.db, window.path, window)
    wizard.imported.connect(window._imported)
    wizard.source.kind.setCurrentIndex(wizard.source.kind.findData("contact"))
    wizard.source.path.setText(str(sheet))
    wizard.show()
    steps = [wizard.next, wizard.next, wizard.next]

    def advance() -> bool:
        if steps:
            steps.pop(0)()
            return False
        if wizard.finish.batch is None:
            return False
        wizard.accept()
        return True

    return advance


if __name__ == "__main__":
    main()
