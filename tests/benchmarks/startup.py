"""Start-up against a bare Qt window: `python -m tests.benchmarks.startup [--contacts N]`.

Times whole processes, interpreter start to the first painted window and exit: desk
started as a person starts it (`desk --db FILE`, through the command line, the lock on
the file and the recent-files list) on a demo city of N contacts (100,000 by default,
built once and kept), and a bare PySide6 window of the same shape (a list beside a
table). The event loop is replaced by one that paints once and returns. The two run in
alternating pairs so that the machine's noise falls on both; the figure that counts is
the ratio of their medians (goal: desk within 2x the bare window). desk's code is
compiled to bytecode first, as an installed desk is. Not a test: it reports.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import desk as desk_package
from tests.benchmarks.city import add_city_arguments, bench_city
from tests.benchmarks.results import record

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QListWidget, QSplitter, QTableWidget
app = QApplication(sys.argv[:1])
split = QSplitter()
pages = QListWidget()
pages.addItems(["Today", "Partnerships", "Agreements", "Visits", "Contacts"])
table = QTableWidget(200, 6)
split.addWidget(pages)
split.addWidget(table)
split.resize(1280, 800)
split.show()
app.processEvents()
split.repaint()
"""

# Nothing is imported before desk's own command module, as when the `desk` launcher
# starts it: desk begins reading Today on a thread of its own before Qt loads, and
# PySide6 hooks every import made after it. So QApplication.exec is replaced, with one
# that paints once and returns, only as Qt's widgets module is loaded.
DESK = """
import sys
from desk.cli.main import main
import importlib.util

def paint_once(*_args):
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    app.processEvents()
    for widget in app.topLevelWidgets():
        if widget.isVisible():
            widget.repaint()
    return 0

class ReplaceExec:
    def find_spec(self, name, path, target=None):
        if name != "PySide6.QtWidgets":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            module.QApplication.exec = paint_once

        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, ReplaceExec())
raise SystemExit(main(["--db", sys.argv[1]]))
"""


def _run(code: str, *args: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    began = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code, *args], env=env)
    # A window whose event loop was not replaced would wait for ever: stopped after two
    # minutes. (Not by wait's own timeout: it polls, and would round every run up to
    # its next 50 ms.)
    watchdog = threading.Timer(120, process.kill)
    watchdog.start()
    try:
        code_returned = process.wait()
    finally:
        watchdog.cancel()
    ended = time.perf_counter()
    if code_returned != 0:
        raise SystemExit(f"a timed run failed (exit code {code_returned})")
    return ended - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_city_arguments(parser)
    parser.add_argument("--pairs", type=int, default=7)
    args = parser.parse_args()
    path, _built = bench_city(args)
    os.environ["DESK_SETTINGS"] = str(path.with_suffix(".startup.ini"))
    compileall.compile_dir(Path(desk_package.__file__).parent, quiet=1, legacy=False)

    _run(BARE)  # warm the file cache for both before anything is timed
    _run(DESK, str(path))
    bare: list[float] = []
    desk: list[float] = []
    for _ in range(args.pairs):
        bare.append(_run(BARE))
        desk.append(_run(DESK, str(path)))
    b, d = statistics.median(bare), statistics.median(desk)
    print(f"bare PySide6 window (median of {args.pairs})  {b * 1000:8.1f} ms")
    print(f"desk, {args.contacts:,} contacts (median)     {d * 1000:8.1f} ms")
    verdict = "ok" if d <= 2 * b else "SLOW"
    print(f"ratio desk / bare                      {d / b:8.2f} x   (goal <= 2.00 x)  {verdict}")
    record(
        "startup", f"whole process to a painted window, {args.contacts:,} contacts", d * 1000, "ms"
    )
    record("startup", "against a bare Qt window", d / b, "x", goal=2.0)


if __name__ == "__main__":
    main()
