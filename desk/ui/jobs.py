"""Long work the window hands to a process of its own.

A packet, the survey workbook and an import of 100,000 rows are seconds of Python. Run
on a thread of the window's process they share its interpreter lock, and the window
stood still for up to half a second at a time while they ran; in a child process the
window's thread never waits. Each job opens its own connection to the database, takes
plain values (paths, ids, options) and returns a small result; `progress(done, total,
message)` reports back to the window's progress dialog.

`serve` is the child's side of the pipe: it runs one job after another, so a second
packet finds reportlab and its fonts already loaded. Nothing here imports Qt, so a child
starts with only what its jobs need.
"""

from __future__ import annotations

import importlib
import multiprocessing
import multiprocessing.connection
import os
import pickle
import threading
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from desk.core.errors import DeskError
from desk.core.progress import Progress
from desk.core.store.db import Database, open_database, transaction


class JobCancelled(DeskError):
    """The person cancelled: raised inside the job at its next progress report, so its
    transaction rolls back like any error's."""

    def __init__(self, message: str = "Canceled.") -> None:
        super().__init__(message)  # as pickle rebuilds it, across the pipe


def serve(conn: Connection) -> None:
    """Run jobs as they come, `(function, args)` each, until told to stop (None) or the
    window goes. Each job's messages: ("progress", (done, total, message)) as it goes,
    then ("done", result) or ("error", exception). "cancel" from the window stops the
    job at its next progress report, so what it had done is rolled back, or, if it had
    already finished, says so: the window is never told "cancelled" of work that was
    kept."""
    _exit_with_parent()

    def progress(done: int, total: int, message: str) -> None:
        while conn.poll():
            if conn.recv() == "cancel":
                raise JobCancelled()
        conn.send(("progress", (done, total, message)))

    try:
        while True:
            try:
                job = conn.recv()
            except EOFError:  # the window closed its end
                return
            if job is None:
                return
            if job == "cancel":
                continue  # for a job that had already ended
            function, args = job
            try:
                result = function(*args, progress=progress)
            except BaseException as exc:  # reported to the person, never lost
                conn.send(("error", _portable(exc)))
            else:
                _send_result(conn, result)
    finally:
        conn.close()


def _send_result(conn: Connection, result: Any) -> None:
    try:
        message = pickle.dumps(("done", result))
    except Exception as exc:  # a result that cannot cross: say so, do not die silently
        conn.send(("error", _portable(exc)))
    else:
        conn.send_bytes(message)


def _exit_with_parent() -> None:
    """End this process when the window's does (killed, crashed): a job left running
    would go on writing to a database no window is watching. Its open transaction, if
    any, is rolled back by SQLite as for any stopped process."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="parent watch", daemon=True).start()


def _portable(exc: BaseException) -> BaseException:
    """The error as the window can receive it: desk's own errors as they are when they
    can cross the pipe, anything else as words, with its traceback kept as a note for
    the report."""
    if isinstance(exc, DeskError):
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:
            return DeskError(str(exc))
        return exc
    plain = RuntimeError(f"{type(exc).__name__}: {exc}")
    plain.add_note("".join(traceback.format_exception(exc)))
    return plain


def _open(db_path: Path, read_only: str | None) -> Database:
    """A connection for a job that writes (an import, its undo, undo and redo)."""
    return open_database(db_path, create=False, read_only=read_only)


def _read(db_path: Path, read_only: str | None) -> Database:
    """A connection for a job that only reads. Read-only, so that closing it can never
    checkpoint the window's write-ahead log or remove it: only the window's own
    connection decides that."""
    return open_database(db_path, create=False, read_only=read_only or "a job that only reads")


def sample_table(path: Path, *, progress: Progress) -> Any:
    """The file's headers, first rows and description, for choosing columns."""
    from desk.io.tabular import TableFile, read_table

    progress(0, 0, f"Reading {path.name}")
    table = read_table(path)
    return TableFile(table.headers, table.rows[:20], table.description)


def preview_import(
    db_path: Path, read_only: str | None, request: Any, *, progress: Progress
) -> Any:
    """What an import would do: counts and the first problems, nothing written."""
    from desk.io.importer import plan_request, summarize

    progress(0, 0, f"Checking every row of {request.path.name}")
    with _read(db_path, read_only) as db:
        return summarize(plan_request(db, request))


def run_import(
    db_path: Path,
    read_only: str | None,
    request: Any,
    skip_problems: bool,
    expected: dict[str, int],
    *,
    progress: Progress,
) -> int:
    """Plan the import again from the file and write it as one batch; refused when the
    file no longer says what the preview showed."""
    from desk.io.importer import apply_plan, plan_request

    progress(0, 0, f"Reading {request.path.name}")
    with _open(db_path, read_only) as db, transaction(db):
        # Planned inside the write transaction: an import that ran meanwhile has either
        # committed (its rows are matches now, and the counts differ) or waits for this.
        plan = plan_request(db, request)
        if plan.counts() != expected:
            raise DeskError(
                f"{request.path.name}, or what desk holds, changed since the preview; "
                "nothing was imported. Import it again to see what it would do now."
            )
        return apply_plan(
            db, plan, skip_problems=skip_problems, progress=progress, matched=request.matched
        )


def undo_import(
    db_path: Path, read_only: str | None, batch_id: int, force: bool, *, progress: Progress
) -> int:
    """Take an import back in one step; returns the operation that did it."""
    from desk.core.store.operations import latest
    from desk.io.importer import undo_batch

    progress(0, 0, "Taking the import back")
    with _open(db_path, read_only) as db:
        undo_batch(db, batch_id, force=force)
        return latest(db) or 0


def replay(db_path: Path, read_only: str | None, which: str, *, progress: Progress) -> int:
    """Undo (or redo) the latest operation; returns the operation that did it."""
    from desk.core.store import undo

    progress(0, 0, "Undoing" if which == "undo" else "Redoing")
    with _open(db_path, read_only) as db:
        changes = undo.undo(db) if which == "undo" else undo.redo(db)
        return changes.op_id or 0


# The documents laid out away from the window, each by the builder its module names
# (imported in the child only, so the window never loads reportlab): called as
# builder(db, *args, progress=progress), and writing the path it is given.
DOCUMENTS = {
    "packet": ("desk.reports.briefing.packet", "build_briefing"),
    "phone pack": ("desk.reports.briefing.phone", "build_phone_pack"),
    "dossier": ("desk.reports.dossier.document", "build_dossier"),
    "annual report": ("desk.reports.annual.document", "build_annual"),
    "renewal memo": ("desk.reports.renewal.document", "build_memo"),
}


def make_document(
    db_path: Path,
    read_only: str | None,
    document: str,
    *args: Any,
    progress: Progress,
) -> Path:
    """One of `DOCUMENTS`, read from the file; the path it wrote (its args' second:
    the record or year it is about, then the path)."""
    module, name = DOCUMENTS[document]
    build = getattr(importlib.import_module(module), name)
    with _read(db_path, read_only) as db:
        build(db, *args, progress=progress)
    target = args[1]
    assert isinstance(target, Path)
    return target


def dashboard(
    db_path: Path, read_only: str | None, first: int, last: int, *, progress: Progress
) -> Any:
    from desk.reports.figures import read_all

    with _read(db_path, read_only) as db:
        return read_all(db, first, last, progress=progress)


def map_positions(
    db_path: Path, read_only: str | None, *, progress: Progress
) -> tuple[dict[int, tuple[float, float, str]], tuple[float, float] | None]:
    """For the map: partnership id -> (latitude, longitude, how it was placed), and
    home's position. The gazetteer takes most of a second to load, which the window
    must not wait for."""
    from desk.core.features.map import on_the_map

    progress(0, 0, "Placing the partners on the map")
    with _read(db_path, read_only) as db:
        return on_the_map(db)


@dataclass(frozen=True)
class SurveyPreview:
    """What the survey window shows before writing: the gaps to fill, and the counts
    the national findings use. Small, where the data behind it is megabytes."""

    since: int
    problems: list[Any]
    summary: dict[str, Any]
    counts: dict[str, int]  # engagements by table


def survey_preview(
    db_path: Path, read_only: str | None, since: int, *, progress: Progress
) -> SurveyPreview:
    from desk.reports.survey.data import collect, preflight

    progress(0, 0, "Reading the records")
    with _read(db_path, read_only) as db:
        data = collect(db, since)
    counts = {key: len(rows) for key, rows in data.engagements.items()}
    return SurveyPreview(data.since, preflight(data), data.summary(), counts)


def write_survey(
    db_path: Path,
    read_only: str | None,
    edition: str | None,
    since: int,
    target: Path,
    *,
    progress: Progress,
) -> Path:
    from desk.reports.survey.data import collect
    from desk.reports.survey.edition import load
    from desk.reports.survey.workbook import write_workbook

    with _read(db_path, read_only) as db:
        write_workbook(load(edition), collect(db, since), target, progress)
    return target


def make_letters(
    db_path: Path,
    read_only: str | None,
    template: str,
    visit_id: int,
    target: Path,
    *,
    progress: Progress,
) -> tuple[Path, list[str]]:
    """A visit's letters from one template, as a Word file (kept by the window itself,
    through its own write path, when it has it), with what the office should know before
    they go out: who has no letter and why, and what a reader would find odd."""
    from desk.reports.letters import make

    with _read(db_path, read_only) as db:
        made = make.write_letters(
            db, template, visit_id, out=target, keep_copy=False, progress=progress
        )
    remarks = [f"No letter: {note}." for note in made.letters.left_out]
    remarks += [f"Note: {note}." for note in made.letters.notes]
    return target, remarks


def read_file_texts(db_path: Path, *, progress: Progress) -> int:
    """The text inside attached files not read yet, for search (away from the window:
    a large PDF is seconds of Python)."""
    from desk.io.file_text import read_pending

    with _open(db_path, None) as db:
        return read_pending(db, progress)
