"""`desk --self-test`: an installed or frozen desk checks itself from the inside.

Each check says what it found in one line; the exit status is 0 only when every one
holds. It works in a temporary folder and touches no database of the person's: the
resources are found, the fonts load, a database is made and the demo written to it, a
briefing packet, a dossier, an annual report and the survey workbook are made and read
back, and the window is built offscreen with every page opened.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

Check = tuple[str, Callable[[Path], str]]


def _resources(_folder: Path) -> str:
    from desk.core.paths import resource_path

    needed = [
        resource_path("fonts", "DejaVuSans.ttf"),
        resource_path("fonts", "wqy-microhei.ttc"),
        resource_path("geo", "countries-50m.json"),
        resource_path("surveys"),
        resource_path("demo", "city.json"),
    ]
    missing = [str(p) for p in needed if not p.exists()]
    if missing:
        raise AssertionError("missing: " + ", ".join(missing))
    return f"found in {needed[0].parent.parent}"


def _fonts(_folder: Path) -> str:
    from desk.reports.writers.fonts import register

    register()
    from reportlab.pdfbase import pdfmetrics

    names = sorted(n for n in pdfmetrics.getRegisteredFontNames() if n.startswith("Desk"))
    return f"{len(names)} registered for documents"


def _database(folder: Path) -> str:
    from desk.core.demo import build_demo
    from desk.core.store.db import open_database

    db = open_database(folder / "self-test.sqlite")
    try:
        build_demo(db)
        counts = [
            f"{db.execute(f'SELECT count(*) FROM {table}').fetchone()[0]:,} {table}"
            for table in ("partnerships", "visits", "contacts")
        ]
        return "the demo city written: " + ", ".join(counts)
    finally:
        db.close()


def _documents(folder: Path) -> str:
    import datetime as dt

    from desk.core.store.db import open_database
    from desk.reports.annual.document import build_annual
    from desk.reports.briefing.packet import build_briefing
    from desk.reports.dossier.document import build_dossier

    db = open_database(folder / "self-test.sqlite", create=False)
    try:
        made = []
        build_briefing(db, 1, folder / "packet.pdf")
        made.append("packet")
        build_dossier(db, 1, folder / "dossier.pdf")
        made.append("dossier")
        build_annual(db, dt.date.today().year, folder / "annual.pdf")
        made.append("annual report")
    finally:
        db.close()
    for name in ("packet", "dossier", "annual"):
        data = (folder / f"{name}.pdf").read_bytes()
        if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
            raise AssertionError(f"the {name} PDF is not whole")
    return ", ".join(made) + " made and read back"


def _survey(folder: Path) -> str:
    from openpyxl import load_workbook

    from desk.core.store.db import open_database
    from desk.reports.survey.data import collect
    from desk.reports.survey.edition import load
    from desk.reports.survey.workbook import write_workbook

    db = open_database(folder / "self-test.sqlite", create=False)
    try:
        spec = load()
        write_workbook(spec, collect(db, spec.default_since), folder / "survey.xlsx")
    finally:
        db.close()
    book = load_workbook(folder / "survey.xlsx", read_only=True)
    sheets = book.sheetnames
    book.close()
    return f"{spec.name}: {len(sheets)} sheets read back"


def _window(folder: Path) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["DESK_SETTINGS"] = str(folder / "settings.ini")
    from PySide6.QtCore import qInstallMessageHandler

    from desk.ui.app import application

    # The offscreen platform says, once per window, that it cannot size windows as a
    # screen would: true, and no concern of a check whose lines should read as a list.
    def quiet(_kind: object, _context: object, message: str) -> None:
        if "propagateSizeHints" not in message:
            sys.stderr.write(message + "\n")

    qInstallMessageHandler(quiet)
    app = application()
    # A failure inside a page's code reaches Qt's event loop, not this function: kept
    # here so that it fails the check instead of scrolling past.
    failures: list[BaseException] = []
    previous = sys.excepthook
    sys.excepthook = lambda _kind, error, _tb: failures.append(error)
    try:
        said = _open_every_page(app, folder)
    finally:
        sys.excepthook = previous
    if failures:
        error = failures[0]
        raise AssertionError(f"a page failed: {type(error).__name__}: {error}")
    return said


def _open_every_page(app: Any, folder: Path) -> str:
    from desk.core.store.db import open_database
    from desk.ui.main_window import MainWindow

    path = folder / "self-test.sqlite"
    window = MainWindow(open_database(path, create=False), path)
    window.show()
    app.processEvents()
    for key in window.factories:
        window.show_page(key)
        app.processEvents()
    pages = len(window.factories)
    # Work the pages started in the background (the map placing its partners) finishes
    # before the window goes, as it would for a person.
    from desk.ui import tasks

    deadline = time.monotonic() + 30
    while tasks.busy() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    placed = window.page("map").positions
    window.close()
    tasks.stop_all()
    if placed is None:
        raise AssertionError("the map did not place its partners within 30 s")
    return f"built offscreen, {pages} pages opened, {len(placed):,} partners on the map"


CHECKS: tuple[Check, ...] = (
    ("resources", _resources),
    ("fonts", _fonts),
    ("database and demo", _database),
    ("documents", _documents),
    ("survey workbook", _survey),
    ("window", _window),
)


def run(out: Callable[[str], None] = print) -> int:
    """Run every check (a failed one does not stop the rest); 0 when all held."""
    failed = 0
    with tempfile.TemporaryDirectory(prefix="desk-self-test-") as name:
        folder = Path(name)
        for label, check in CHECKS:
            began = time.perf_counter()
            try:
                said = check(folder)
            except Exception as exc:
                failed += 1
                out(f"FAIL  {label}: {type(exc).__name__}: {exc}")
                if os.environ.get("DESK_SELF_TEST_TRACE"):
                    traceback.print_exc(file=sys.stderr)
                continue
            out(f"ok    {label}: {said} ({time.perf_counter() - began:.1f} s)")
    frozen = " (frozen build)" if getattr(sys, "frozen", False) else ""
    out(f"desk self-test{frozen}: {len(CHECKS) - failed} of {len(CHECKS)} checks held.")
    return 0 if not failed else 1
