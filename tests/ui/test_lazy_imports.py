"""The window starts with what its first screen needs: documents, spreadsheets and
interchange formats load their libraries when first asked for, not at start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from desk.core.store import records
from desk.core.store.db import open_database

LATE = (
    "reportlab",
    "openpyxl",
    "icalendar",
    "PIL",
    "bidi",
    "arabic_reshaper",
    "charset_normalizer",
    "desk.reports.briefing.packet",
    "desk.reports.survey.workbook",
    "desk.io.importer",
    "desk.io.vcard",
    "desk.io.calendar",
    "desk.io.mail",
    "extract_msg",
    "desk.io.dump",
)

START_WINDOW = """
import json, sys
from pathlib import Path
from desk.ui.app import application
from desk.ui.main_window import MainWindow
from desk.core.store.db import open_database
app = application()
path = Path(sys.argv[1])
window = MainWindow(open_database(path), path)
window.show()
for key in ("today", "partnership", "visit", "contact"):
    window.show_page(key)
    app.processEvents()
print(json.dumps(sorted(m for m in sys.argv[2:] if m in sys.modules)))
"""


def test_the_window_starts_without_document_or_interchange_libraries(tmp_path: Path) -> None:
    path = tmp_path / "city.sqlite"
    db = open_database(path)
    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    records.create(db, "visit", {"title": "Mission", "direction": "outgoing"})
    db.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DESK_SETTINGS": str(tmp_path / "s.ini")}
    done = subprocess.run(
        [sys.executable, "-c", START_WINDOW, str(path), *LATE],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded == [], f"loaded at start-up: {loaded}"


# Starts desk as a person does, through the `desk` command, and replaces the event loop
# with one that paints the window, notes what is loaded, then idles until the warm-up ends.
FIRST_PAINT = """
import gc, json, sys, time
from PySide6.QtWidgets import QApplication

def paint_then_idle(*_args):
    from desk.ui.main_window import WARM_UP_MODULES
    wanted = sorted({m.partition(":")[0] for m in WARM_UP_MODULES})
    app = QApplication.instance()
    app.processEvents()
    for widget in app.topLevelWidgets():
        if widget.isVisible():
            widget.repaint()
    painted = sorted(m for m in wanted + NEVER_BEFORE_PAINT if m in sys.modules)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not all(m in sys.modules for m in wanted):
        app.processEvents()
        time.sleep(0.01)
    later = sorted(m for m in wanted if m in sys.modules)
    print(json.dumps([painted, later, gc.isenabled(), gc.get_freeze_count()]))
    return 0

NEVER_BEFORE_PAINT = sys.argv[2:]
QApplication.exec = paint_then_idle
from desk.cli.main import main
raise SystemExit(main(["--db", sys.argv[1]]))
"""

# What the first paint must not wait for besides the pages: the commands, the backup
# code (backups start once the window is up), the worker processes' machinery, the file
# dialogs, and the libraries of country names and currencies, of networking, of ids and
# of markup (a tenth of the start-up between them).
NEVER_BEFORE_PAINT = (
    "desk.cli.commands",
    "desk.core.safety.backups",
    "desk.ui.backup_service",
    "multiprocessing",
    "desk.ui.file_dialogs",
    "babel",
    "socket",
    "uuid",
    "html",
)


def test_the_first_paint_waits_for_todays_code_only_and_the_rest_loads_after(
    tmp_path: Path,
) -> None:
    from desk.ui.main_window import WARM_UP_MODULES

    path = tmp_path / "city.sqlite"
    db = open_database(path)
    records.create(db, "partnership", {"partner_name": "Matsue", "kind": "sister_city"})
    db.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DESK_SETTINGS": str(tmp_path / "s.ini")}
    done = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT, str(path), *NEVER_BEFORE_PAINT],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    painted, later, collecting, frozen = json.loads(done.stdout.strip().splitlines()[-1])
    # lists, forms, pickers' names, search, commands and backups wait for the paint
    assert painted == []
    # and then arrive before anyone asks
    assert later == sorted({m.partition(":")[0] for m in WARM_UP_MODULES})
    # Garbage is collected again once the window is up, the objects made to start it
    # (tens of thousands) set aside for good.
    assert collecting is True and frozen > 10_000
