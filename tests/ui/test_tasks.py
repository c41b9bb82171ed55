from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from desk.core.store import queries, records
from desk.core.store.db import Database, open_database
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


def test_a_cancelled_child_job_rolls_back(qtbot: Any, db_path: Path) -> None:
    from tests.ui import child_jobs

    open_database(db_path).close()
    parent = QWidget()
    qtbot.addWidget(parent)
    errors: list[BaseException] = []
    task = tasks.run(
        parent,
        "Writing",
        tasks.in_child(child_jobs.write_then_report, db_path),
        errors.append,
        errors.append,
    )
    qtbot.wait(1500)  # well into the transaction
    task.cancel_event.set()
    qtbot.waitUntil(lambda: bool(errors), timeout=15_000)
    assert isinstance(errors[0], tasks.Cancelled)
    db = open_database(db_path)
    assert queries.count(db, "organisation") == 0
    db.close()


def test_work_that_ended_before_the_cancel_is_reported_done() -> None:
    from tests.ui import child_jobs

    def cancelled(_done: int, _total: int, _message: str) -> None:
        raise tasks.Cancelled()  # the person pressed Cancel at once

    work = tasks.in_child(child_jobs.finish_quietly, 1.0)
    assert work(cancelled) == "kept"


def test_closing_the_window_while_work_runs_leaves_the_application_running(
    qtbot: Any,
) -> None:
    from PySide6.QtCore import QThread

    parent = QWidget()
    started: list[bool] = []
    steps: list[int] = []

    def work(progress: tasks.Progress) -> None:
        started.append(True)
        # Ten seconds of work if nothing stops it: room for a busy machine to get
        # round to deleting the window long before it would end by itself.
        for step in range(1000):
            progress(step, 1000, "Working")
            steps.append(step)
            QThread.msleep(10)

    task = tasks.run(parent, "Working", work, lambda _r: None, lambda _e: None)
    thread = task.worker_thread
    qtbot.waitUntil(lambda: bool(started))
    parent.deleteLater()  # the window goes, and its task with it
    # The thread ends (cancelled with its window) instead of being destroyed running.
    qtbot.waitUntil(lambda: thread not in tasks._running, timeout=10_000)
    assert steps[-1] < 999
