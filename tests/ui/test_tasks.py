from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from desk.core import queries, records
from desk.core.db import Database, open_database
from desk.io.dump import export_json, import_json
from desk.ui import tasks


def test_background_work_reports_its_result(qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    results: list[Any] = []

    def work(progress: tasks.Progress) -> int:
        for n in range(5):
            progress(n, 5, f"step {n}")
        return 42

    task = tasks.run(parent, "Counting", work, results.append, results.append)
    with qtbot.waitSignal(task.done, timeout=5000):
        pass
    assert results == [42]


def test_cancelling_an_import_leaves_the_database_as_it_was(
    qtbot: Any, demo_db: Database, tmp_path: Path
) -> None:
    dump = export_json(demo_db, tmp_path / "dump.json")
    target_path = tmp_path / "target.sqlite"
    target = open_database(target_path)
    records.create(target, "organisation", {"name": "Still here"})
    parent = QWidget()
    qtbot.addWidget(parent)
    errors: list[BaseException] = []

    def work(progress: tasks.Progress) -> object:
        database = open_database(target_path)
        try:
            return import_json(database, dump, replace=True, progress=progress)
        finally:
            database.close()

    task = tasks.Task(parent, "Importing", work)
    task.error.connect(errors.append)
    task.cancel_event.set()  # as if Cancel were pressed before the first step reported
    with qtbot.waitSignal(task.error, timeout=10_000):
        task.start()
    assert isinstance(errors[0], tasks.Cancelled)
    assert queries.count(target, "contact") == 0
    assert [r["name"] for r in queries.list_records(target, queries.ListQuery("organisation"))] == [
        "Still here"
    ]
