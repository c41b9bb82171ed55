from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog

from desk.core.demo import build_demo
from desk.core.store import queries
from desk.core.store.db import open_database
from desk.ui.file_dialogs import NameOnlyIcons
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
    choose_file: Any,
    action: str,
    name: str,
    starts: bytes,
) -> None:
    path = tmp_path / "city.sqlite"
    db = open_database(path)
    build_demo(db, today=DEMO_TODAY)
    window = make_window(db, path)
    out = tmp_path / name
    shown = choose_file(out)
    getattr(window, action)()
    qtbot.waitUntil(lambda: not window._tasks, timeout=20_000)
    assert out.read_bytes().startswith(starts)
    # desk's own dialog, which never reads the database's files to guess their type.
    (dialog,) = shown
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    assert isinstance(dialog.iconProvider(), NameOnlyIcons)
    if action == "backup":
        assert queries.count(open_database(out), "contact") == 250
    window.close()


def test_open_recent_puts_the_file_first_and_writes_nothing_when_it_is_first(
    tmp_path: Path, qapp: Any
) -> None:
    from desk.ui import databases
    from desk.ui.settings import settings

    first, second = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    databases.remember(first)
    databases.remember(second)
    assert databases.recent_files() == [second.resolve(), first.resolve()]
    settings().sync()
    stored = Path(settings().fileName())
    stored.write_text(stored.read_text() + "\n; kept as it was\n")
    marked = stored.read_text()
    databases.remember(second)  # the file opened last, opened again: nothing to write
    settings().sync()
    assert stored.read_text() == marked
    databases.remember(first)
    assert databases.recent_files() == [first.resolve(), second.resolve()]
