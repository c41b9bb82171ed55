from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog

from desk.core import queries
from desk.core.db import open_database
from desk.core.demo import build_demo
from tests.conftest import DEMO_TODAY


@pytest.mark.parametrize(
    ("action", "name", "starts"),
    [
        ("export_json", "dump.json", b'{\n "format": "desk-dump"'),
        ("export_calendar", "desk.ics", b"BEGIN:VCALENDAR"),
        ("export_cards", "cards.vcf", b"BEGIN:VCARD"),
        ("backup", "copy.sqlite", b"SQLite format 3"),
    ],
)
def test_file_menu_writes_in_the_background(
    make_window: Any,
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: Any,
    action: str,
    name: str,
    starts: bytes,
) -> None:
    path = tmp_path / "city.sqlite"
    db = open_database(path)
    build_demo(db, today=DEMO_TODAY)
    window = make_window(db, path)
    out = tmp_path / name
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    getattr(window, action)()
    qtbot.waitUntil(lambda: not window._tasks, timeout=20_000)
    assert out.read_bytes().startswith(starts)
    if action == "backup":
        assert queries.count(open_database(out), "contact") == 250
    window.close()
