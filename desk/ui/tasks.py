"""Long work off the UI thread: one small runner with late progress and cancel.

The work function gets `progress(done, total, message)`; once the person cancels, the
next progress call raises `Cancelled`, so core code needs no Qt and no cancel checks of
its own, and its transaction rolls back.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desk.core.errors import DeskError
from desk.core.progress import Progress
from desk.core.store.db import Database, open_database


class Cancelled(DeskError):
    def __init__(self, message: str = "Canceled.") -> None:
        super().__init__(message)


class _Worker(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[Progress], Any], cancel: threading.Event) -> None:
        super().__init__()
        self.work = work
        self.cancel = cancel

    def run(self) -> None:
        def progress(done: int, total: int, message: str) -> None:
            if self.cancel.is_set():
                raise Cancelled()
            self.progressed.emit(done, total, message)

        try:
            result = self.work(progress)
        except Exception as exc:  # reported to the person, never swallowed
            if not isinstance(exc, DeskError):
                exc.add_note(traceback.format_exc())
            self.failed.emit(exc)
        else:
            self.finished.emit(result)
        finally:
            # The thread ends with its work, whether or not its Task is still there to
            # end it (a window closed meanwhile).
            thread = QThread.currentThread()
            if thread is not None:
                thread.quit()


class Task(QObject):
    """One piece of background work; keep a reference until it reports."""

    done = Signal(object)
    error = Signal(object)

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        work: Callable[[Progress], Any],
        *,
        cancellable: bool = True,
        quiet: bool = False,
    ) -> None:
        super().__init__(parent)
        self.cancel_event = threading.Event()
        # The thread has no parent and is held until it ends: closing the window (and
        # with it this Task) while work runs must not destroy a running thread.
        self.worker_thread = QThread()
        self.worker = _Worker(work, self.cancel_event)
        self.worker.moveToThread(self.worker_thread)
        self.worker_thread.started.connect(self.worker.run)
        _hold(self.worker_thread, self.worker)
        # Gone with its window: the work is cancelled (a child process stops).
        cancel = self.cancel_event
        self.destroyed.connect(lambda *_: cancel.set())
        self.dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        # Quick work finishes before anything flashes on screen.
        # Quiet work (a page reading its own figures) says so on the page, not in a box.
        self.dialog.setMinimumDuration(2**31 - 1 if quiet else 500)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel_event.set)
        if not cancellable:  # work that must finish once begun, as a schema upgrade
            self.dialog.setCancelButton(None)
        self.worker.progressed.connect(self._progress)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)

    def start(self) -> Task:
        self.dialog.setValue(0)
        self.worker_thread.start()
        return self

    def _progress(self, done: int, total: int, message: str) -> None:
        if total <= 0:  # no known end: a busy bar, not a "0%" that never moves
            self.dialog.setRange(0, 0)
        else:
            self.dialog.setRange(0, total)
            self.dialog.setValue(min(done, total))
        self.dialog.setLabelText(message)

    def _stop(self) -> None:
        self.worker_thread.quit()
        self.worker_thread.wait()
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()

    def _finished(self, result: object) -> None:
        self._stop()
        self.done.emit(result)
        self.deleteLater()

    def _failed(self, exc: object) -> None:
        self._stop()
        self.error.emit(exc)
        self.deleteLater()


# Threads still running, with their workers, until each ends.
_running: dict[QThread, _Worker] = {}


def _hold(thread: QThread, worker: _Worker) -> None:
    _running[thread] = worker

    def forget() -> None:
        _running.pop(thread, None)
        thread.deleteLater()

    thread.finished.connect(forget)
    app = QCoreApplication.instance()
    if app is not None and not app.property("deskStopsTasks"):
        app.setProperty("deskStopsTasks", True)
        app.aboutToQuit.connect(stop_all)


def busy() -> bool:
    """Whether background work of this process is still running."""
    return bool(_running)


def stop_all(wait_ms: int = 8000) -> None:
    """Cancel whatever still runs and wait for it, as the application quits: a child
    process is asked to stop (and then stopped), and no thread is destroyed running."""
    for worker in list(_running.values()):
        worker.cancel.set()
    for thread in list(_running):
        thread.wait(wait_ms)


def run(
    parent: QWidget | None,
    title: str,
    work: Callable[[Progress], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    *,
    cancellable: bool = True,
    quiet: bool = False,
) -> Task:
    task = Task(parent, title, work, cancellable=cancellable, quiet=quiet)
    task.done.connect(on_done)
    task.error.connect(on_error)
    return task.start()


def on_own_connection(
    path: Path, job: Callable[[Database, Progress], Any], *, like: Database | None = None
) -> Callable[[Progress], Any]:
    """Work for the runner that reads and writes through a connection of its own: SQLite
    connections belong to the thread that opened them. Opened read-only when `like`
    (the window's connection) is, for the same reason."""
    read_only = like.read_only if like is not None else None

    def work(progress: Progress) -> Any:
        database = open_database(path, create=False, read_only=read_only)
        try:
            return job(database, progress)
        finally:
            database.close()

    return work


# How often a quiet child is asked whether the person cancelled, in seconds.
_CANCEL_POLL = 0.25


class _Child:
    """A process that runs `desk.jobs` one after another (see `desk.ui.jobs.serve`)."""

    def __init__(self) -> None:
        import multiprocessing  # here, not at start-up: the first paint never needs it

        from desk.ui.jobs import serve

        spawn = multiprocessing.get_context("spawn")
        self.conn, theirs = spawn.Pipe()
        self.process = spawn.Process(target=serve, args=(theirs,), daemon=True)
        self.process.start()
        theirs.close()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(5)
        self.conn.close()


# One warm child waits between packets: the second starts with its libraries loaded.
# Other work, and a packet asked for while it is busy, gets a child of its own.
_idle: list[_Child] = []
_idle_lock = threading.Lock()


def _take_child() -> _Child:
    with _idle_lock:
        while _idle:
            child = _idle.pop()
            if child.process.is_alive():
                return child
            child.stop()
    return _Child()


def _give_back(child: _Child) -> None:
    with _idle_lock:
        if not _idle:
            _idle.append(child)
            return
    child.stop()


def _stopped() -> DeskError:
    return DeskError("The work stopped unexpectedly; nothing it was doing was kept.")


# How long a cancelled child has to stop at its next progress report before it is
# stopped from outside (its transaction then rolls back all the same).
_CANCEL_GRACE = 5.0


def in_child(
    function: Callable[..., Any], *args: Any, stay: bool = False
) -> Callable[[Progress], Any]:
    """Work for the runner that runs `function(*args, progress=...)` (a module-level
    function of `desk.jobs`, with plain arguments) in a child process, so the window's
    thread never waits on it for the interpreter lock. Cancel asks the child to stop at
    its next progress report (its transaction rolls back) and stops it from outside if
    it does not; a job that had already finished is reported done, never cancelled.
    `stay` keeps the child for the next job (a packet's libraries and fonts stay
    loaded); others end with their job, so a survey's memory does not linger."""

    def work(progress: Progress) -> Any:
        from desk.ui.jobs import JobCancelled

        child = _take_child() if stay else _Child()
        finished = False
        cancelled_at: float | None = None
        try:
            last = (0, 0, "Working…")
            try:
                child.conn.send((function, args))
            except OSError:
                raise _stopped() from None
            while True:
                if child.conn.poll(_CANCEL_POLL):
                    try:
                        kind, payload = child.conn.recv()
                    except (EOFError, OSError):
                        raise _stopped() from None
                    if kind == "done":
                        finished = True
                        return payload
                    if kind == "error":
                        finished = True
                        if isinstance(payload, JobCancelled):
                            raise Cancelled()
                        raise payload
                    last = payload
                if cancelled_at is not None:
                    if time.monotonic() - cancelled_at > _CANCEL_GRACE:
                        raise Cancelled()
                    continue
                try:
                    progress(*last)  # raises Cancelled once the person cancels
                except Cancelled:
                    cancelled_at = time.monotonic()
                    try:
                        child.conn.send("cancel")
                    except OSError:
                        raise Cancelled() from None
        finally:
            if finished and stay:
                _give_back(child)
            else:
                child.stop()

    return work


def wait_for(
    parent: QWidget | None, title: str, work: Callable[[Progress], Any], *, cancellable: bool = True
) -> Any:
    """Run `work` in the background and return its result (or raise its error) once it
    ends, with the window alive meanwhile: a local event loop keeps it painting and the
    progress dialog's Cancel answering. For steps that must finish before the next
    (a wizard's Next), where calling the work directly would freeze the window."""
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def done(result: object) -> None:
        outcome["result"] = result
        loop.quit()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        loop.quit()

    task = run(parent, title, work, done, failed, cancellable=cancellable)
    if not outcome:
        loop.exec()
    if not outcome:  # the loop was ended from outside: the application is quitting
        task.cancel_event.set()
        raise Cancelled()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
