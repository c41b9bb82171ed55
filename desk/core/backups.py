"""Automatic backups of the one database file: taking, keeping, listing, restoring.

Backups go to a folder per database (`backup_folder`), named
`<stem>-YYYYMMDD-HHMMSS[-reason].sqlite` in local time, so the folder reads as a history
and rotation needs nothing but the names. Each is a consistent copy made through SQLite's
online backup API into a `.partial` file, checked with `PRAGMA integrity_check`, synced
to disk and only then renamed into place; earlier backups are not touched until the new
one is in place, so a crash or a pulled plug at any moment leaves every earlier backup as
it was.

Kept (`keep_set`): the newest 5, the newest of each of the last 7 days, of each of the
last 5 ISO weeks and of each of the last 12 months; copies taken before a restore for 30
days. Everything else in the folder for that database is deleted after each backup.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desk import paths
from desk.core import files, userconfig
from desk.core.db import connect_read_only
from desk.core.errors import DeskError
from desk.core.holder import try_lock, unlock

REASONS = ("auto", "manual", "before-restore")
# How each reason reads where a person sees it.
REASON_WORDS = {
    "auto": "Automatic",
    "manual": "Taken by hand",
    "before-restore": "Before a restore",
}
COUNTED = ("partnerships", "agreements", "visits", "contacts", "organisations")
KEEP_NEWEST = 5
KEEP_DAYS = 7
KEEP_WEEKS = 5
KEEP_MONTHS = 12
KEEP_BEFORE_RESTORE = dt.timedelta(days=30)
AUTO_INTERVAL = dt.timedelta(hours=24)
PAGES_PER_STEP = 256
PARTIAL = ".partial"
LOCK_NAME = ".desk-backups.lock"

_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<reason>manual|before-restore))?\.sqlite$"
)

Progress = Callable[[int, int], None]


class BackupError(DeskError):
    """A backup that could not be made; earlier backups are untouched."""


class RestoreRefused(DeskError):
    """A file that cannot be restored; the database has not been changed."""


@dataclass
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    reason: str
    size: int
    counts: dict[str, int] = field(default_factory=dict)
    schema_version: int | None = None
    damaged: str | None = None  # why the file cannot be read, when it cannot
    note: str | None = None  # e.g. the configured folder was missing

    def as_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "taken_at": self.taken_at.isoformat(timespec="seconds"),
            "reason": self.reason,
            "size": self.size,
            "counts": self.counts,
            "schema_version": self.schema_version,
            "damaged": self.damaged,
        }


@dataclass
class RestoreResult:
    database: Path
    restored: BackupInfo
    safety: BackupInfo | None  # the copy of the database as it was before the restore


# -- where ---------------------------------------------------------------------------


def default_backup_folder(db_path: str | Path) -> Path:
    resolved = Path(db_path).expanduser().resolve()
    digest = hashlib.sha1(str(resolved).encode("utf-8")).hexdigest()[:8]
    return paths.data_dir() / "backups" / f"{resolved.stem}-{digest}"


def folder_status(db_path: str | Path) -> tuple[Path, str | None]:
    """The folder backups of this database go to, and a note when the configured one is
    missing (a USB stick not plugged in) so the default is used instead."""
    chosen = userconfig.for_database(db_path).get("backup_folder")
    if isinstance(chosen, str) and chosen:
        folder = Path(chosen)
        if folder.is_dir():
            return folder, None
        fallback = default_backup_folder(db_path)
        return fallback, f"The backup folder {folder} is missing; using {fallback} instead."
    return default_backup_folder(db_path), None


def backup_folder(db_path: str | Path) -> Path:
    return folder_status(db_path)[0]


def set_backup_folder(db_path: str | Path, folder: str | Path | None) -> Path:
    """Choose where this database's backups go (None: back to the default)."""
    if folder is None:
        userconfig.update_database(db_path, backup_folder=None)
        return default_backup_folder(db_path)
    target = Path(folder).expanduser().resolve()
    if target.exists() and not target.is_dir():
        raise DeskError(f"{target} is a file, not a folder.")
    if target == Path(db_path).expanduser().resolve().parent:
        raise DeskError(
            "Keep backups in a folder of their own, not beside the database; "
            "choose or create another folder."
        )
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DeskError(f"Cannot create the folder {target}: {exc.strerror or exc}.") from exc
    if not os.access(target, os.W_OK):
        raise DeskError(f"desk cannot write to {target}.")
    userconfig.update_database(db_path, backup_folder=str(target))
    return target


# -- names and rotation ------------------------------------------------------------------


def backup_name(stem: str, taken_at: dt.datetime, reason: str) -> str:
    if reason not in REASONS:
        raise ValueError(reason)
    suffix = "" if reason == "auto" else f"-{reason}"
    return f"{stem}-{taken_at:%Y%m%d-%H%M%S}{suffix}.sqlite"


def parse_name(name: str) -> tuple[str, dt.datetime, str] | None:
    """(stem, taken at, reason) of a backup's file name; None for any other file."""
    match = _NAME.match(name)
    if not match:
        return None
    try:
        taken = dt.datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
    except ValueError:
        return None
    return match["stem"], taken, match["reason"] or "auto"


def _months_back(day: dt.date, count: int) -> set[tuple[int, int]]:
    months = set()
    year, month = day.year, day.month
    for _ in range(count):
        months.add((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def keep_set(names: Iterable[str], now: dt.datetime) -> set[str]:
    """Which of these backup names (one database's) to keep at `now`. Names that are not
    backups are kept: rotation only ever deletes what it understands."""
    keep: set[str] = set()
    ordinary: list[tuple[dt.datetime, str]] = []
    for name in names:
        parsed = parse_name(name)
        if parsed is None:
            keep.add(name)
            continue
        _stem, taken, reason = parsed
        if taken > now:
            keep.add(name)  # the clock went back: never delete what we cannot place
        elif reason == "before-restore":
            if now - taken <= KEEP_BEFORE_RESTORE:
                keep.add(name)
        else:
            ordinary.append((taken, name))
    ordinary.sort(reverse=True)
    keep.update(name for _taken, name in ordinary[:KEEP_NEWEST])
    today = now.date()
    wanted: list[tuple[Callable[[dt.datetime], object], set[object]]] = [
        (lambda t: t.date(), {today - dt.timedelta(days=n) for n in range(KEEP_DAYS)}),
        (
            lambda t: t.isocalendar()[:2],
            {(today - dt.timedelta(weeks=n)).isocalendar()[:2] for n in range(KEEP_WEEKS)},
        ),
        (lambda t: (t.year, t.month), set(_months_back(today, KEEP_MONTHS))),
    ]
    for bucket_of, buckets in wanted:
        for taken, name in ordinary:  # newest first: the first seen is a bucket's newest
            bucket = bucket_of(taken)
            if bucket in buckets:
                buckets.discard(bucket)
                keep.add(name)
    return keep


def _named(folder: Path) -> list[tuple[Path, tuple[str, dt.datetime, str]]]:
    """Every backup file in a folder with its parsed name; an unreadable folder has none."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    found = []
    for entry in entries:
        parsed = parse_name(entry.name)
        if parsed and entry.is_file():
            found.append((entry, parsed))
    return found


def _backups_in(folder: Path, stem: str) -> list[tuple[Path, dt.datetime, str]]:
    found = [(entry, p[1], p[2]) for entry, p in _named(folder) if p[0] == stem]
    found.sort(key=lambda item: (item[1], item[0].name), reverse=True)
    return found


def rotate(folder: str | Path, now: dt.datetime, stem: str | None = None) -> list[Path]:
    """Delete the backups `keep_set` does not keep (of `stem` only, or of each database
    whose backups share the folder); returns what was deleted."""
    folder = Path(folder)
    by_stem: dict[str, list[str]] = {}
    for entry, parsed in _named(folder):
        if stem is None or parsed[0] == stem:
            by_stem.setdefault(parsed[0], []).append(entry.name)
    deleted = []
    for names in by_stem.values():
        kept = keep_set(names, now)
        for name in sorted(set(names) - kept):
            with contextlib.suppress(FileNotFoundError):
                (folder / name).unlink()
                deleted.append(folder / name)
    return deleted


# -- taking one ------------------------------------------------------------------------


def _main_file(conn: sqlite3.Connection) -> Path:
    for _seq, name, file in conn.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file)
    raise BackupError("An in-memory database cannot be backed up.")


def _open_source(db_or_path: Any) -> tuple[sqlite3.Connection, Path, bool]:
    """(connection, database path, whether we opened it and must close it)."""
    if isinstance(db_or_path, (str, Path)):
        path = Path(db_or_path)
        if not path.is_file():
            raise BackupError(f"No database at {path}.")
        conn = sqlite3.connect(str(path), timeout=10.0)
        conn.execute("PRAGMA busy_timeout = 10000")
        return conn, path, True
    conn = getattr(db_or_path, "conn", db_or_path)
    if not isinstance(conn, sqlite3.Connection):
        raise TypeError(f"not a database: {db_or_path!r}")
    return conn, _main_file(conn), False


@contextlib.contextmanager
def _folder_lock(folder: Path, wait: float = 120.0) -> Iterator[None]:
    """One backup at a time into a folder (the window's timer and a `desk backups --now`
    may meet), which also makes any `.partial` found there a leftover of a killed run."""
    lock_file = folder / LOCK_NAME
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while not try_lock(fd):
            if time.monotonic() > deadline:
                raise BackupError(f"Another backup into {folder} has not finished; try again.")
            time.sleep(0.1)
        try:
            yield
        finally:
            unlock(fd)
    finally:
        os.close(fd)


def _remove_partials(folder: Path) -> None:
    for entry in folder.iterdir():
        if entry.name.endswith(tuple(PARTIAL + end for end in ("", "-journal", "-wal", "-shm"))):
            with contextlib.suppress(OSError):
                entry.unlink()


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR if os.name == "nt" else os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_backup(
    db_or_path: Any,
    *,
    reason: str = "auto",
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    rotate_after: bool = True,
    keep_damaged: bool = False,
) -> BackupInfo:
    """Take a verified backup of the database (a path, or an open connection used on
    this thread) into its backup folder, then rotate the folder.

    `keep_damaged` keeps a copy that fails the integrity check (marked `damaged`) rather
    than refusing it: for the copy taken before a restore, as damage is often the reason
    to restore and the person's last state should not be thrown away.
    """
    if reason not in REASONS:
        raise ValueError(f"reason must be one of {REASONS}")
    source, db_path, own = _open_source(db_or_path)
    try:
        folder, note = folder_status(db_path)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BackupError(
                f"Cannot create the backup folder {folder}: {exc.strerror or exc}."
            ) from exc
        with _folder_lock(folder):
            _remove_partials(folder)
            info = _copy_verified(source, db_path, folder, reason, now, progress, keep_damaged)
            info.note = note
            if rotate_after:
                rotate(folder, now or info.taken_at, db_path.stem)
        return info
    finally:
        if own:
            source.close()


def _copy_verified(
    source: sqlite3.Connection,
    db_path: Path,
    folder: Path,
    reason: str,
    now: dt.datetime | None,
    progress: Progress | None,
    keep_damaged: bool = False,
) -> BackupInfo:
    taken = (now or dt.datetime.now()).replace(microsecond=0)
    # Two backups within a second: the later one a second on, so names keep their order.
    while any((folder / backup_name(db_path.stem, taken, r)).exists() for r in REASONS):
        taken += dt.timedelta(seconds=1)
    final = folder / backup_name(db_path.stem, taken, reason)
    partial = final.with_name(final.name + PARTIAL)

    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    try:
        target = sqlite3.connect(str(partial))
        try:
            # Page by page, so a writer in another process is never held up for long.
            source.backup(target, pages=PAGES_PER_STEP, progress=step, sleep=0.05)
            # A copy that stands alone: no -wal or -shm beside it when it is opened.
            target.execute("PRAGMA journal_mode = DELETE")
            verdict = _integrity(target)
            counts, version = _counts(target) if verdict == ["ok"] else ({}, 0)
        finally:
            target.close()
        if verdict != ["ok"] and not keep_damaged:
            raise BackupError(
                f"The backup of {db_path} failed its integrity check ({verdict[0]}); "
                "it was not kept. Run 'desk check' on the database."
            )
        _fsync_file(partial)
        os.replace(partial, final)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        if isinstance(exc, sqlite3.Error):
            raise BackupError(f"Could not back up {db_path}: {exc}.") from exc
        if isinstance(exc, OSError):
            raise BackupError(
                f"Could not write the backup into {folder}: {exc.strerror or exc}."
            ) from exc
        raise
    files.sync_folder(folder)
    return BackupInfo(
        path=final,
        taken_at=taken,
        reason=reason,
        size=final.stat().st_size,
        counts=counts,
        schema_version=version,
        damaged=None if verdict == ["ok"] else f"failed its integrity check ({verdict[0]})",
    )


def _integrity(conn: sqlite3.Connection) -> list[str]:
    """PRAGMA integrity_check's lines (["ok"] when sound); damage SQLite raises on is one."""
    try:
        return [str(row[0]) for row in conn.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


def _counts(conn: sqlite3.Connection) -> tuple[dict[str, int], int]:
    """Rows in each counted table there is (a file that is not a desk database has none)."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    present = {
        name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    counts = {
        table: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        for table in COUNTED
        if table in present
    }
    return counts, version


# -- the automatic policy ----------------------------------------------------------------


def _changed_at(db_path: Path) -> dt.datetime | None:
    """When the database last changed on disk: the file, or its WAL when that holds
    anything (opening a database creates an empty WAL, which is no change)."""
    stamps = []
    for candidate in (db_path, db_path.with_name(db_path.name + "-wal")):
        try:
            stat = candidate.stat()
        except OSError:
            continue
        if candidate is db_path or stat.st_size > 0:
            stamps.append(stat.st_mtime)
    return dt.datetime.fromtimestamp(max(stamps)) if stamps else None


def backup_due(
    db_path: str | Path, now: dt.datetime | None = None, *, opening: bool = False
) -> bool:
    path = Path(db_path)
    now = now or dt.datetime.now()
    folder, _note = folder_status(path)
    newest = next(iter(_backups_in(folder, path.stem)), None)
    if newest is None or now - newest[1] >= AUTO_INTERVAL:
        return True
    if opening:
        changed = _changed_at(path)
        # Names keep whole seconds; a change in the same second as the backup counts.
        return changed is not None and changed >= newest[1] + dt.timedelta(seconds=1)
    return False


def maybe_backup(
    db_path: str | Path, now: dt.datetime | None = None, *, opening: bool = False
) -> BackupInfo | None:
    """The automatic policy: back up when there is no backup yet, when the newest is 24
    hours old, or (`opening`: the window just opened the file) when the database has
    changed since the newest. Returns the new backup, or None when none was due."""
    path = Path(db_path)
    if not path.is_file():
        return None
    if not backup_due(path, now, opening=opening):
        return None
    return make_backup(path, reason="auto", now=now)


# -- listing ---------------------------------------------------------------------------


def inspect(path: str | Path) -> BackupInfo:
    """What a backup file holds, read-only; an unreadable file comes back `damaged`."""
    path = Path(path)
    parsed = parse_name(path.name)
    try:
        size = path.stat().st_size
        mtime = dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
    except OSError as exc:
        return BackupInfo(path, dt.datetime.min, "unknown", 0, damaged=str(exc.strerror or exc))
    taken, reason = (parsed[1], parsed[2]) if parsed else (mtime, "manual")
    info = BackupInfo(path=path, taken_at=taken, reason=reason, size=size)
    try:
        conn = connect_read_only(path)
        try:
            info.counts, info.schema_version = _counts(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        info.damaged = f"cannot be read ({exc})"
    else:
        if info.schema_version == 0 or len(info.counts) < len(COUNTED):
            info.damaged = "not a desk database"
    return info


def list_backups(db_path: str | Path) -> list[BackupInfo]:
    """This database's backups, newest first, with what each holds."""
    path = Path(db_path)
    folder, note = folder_status(path)
    found = []
    for file, _taken, _reason in _backups_in(folder, path.stem):
        info = inspect(file)
        info.note = note
        found.append(info)
    return found


# -- words -----------------------------------------------------------------------------


def size_text(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{size:,} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError


def counts_text(counts: dict[str, int]) -> str:
    from desk.core.kinds import kind_of_table

    return ", ".join(kind_of_table(t).count(counts[t]) for t in COUNTED if t in counts)


def counted_headers() -> list[str]:
    """Column headings for the counted tables, as desk names those records."""
    from desk.core.kinds import kind_of_table

    return [kind_of_table(t).plural for t in COUNTED]
