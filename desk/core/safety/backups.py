"""Automatic backups of the one database file: taking, keeping, listing.

Backups belong to a database, not to a file name: each database carries an identity in
the file (`file_meta.database_uid`, kept by a restore and by copying the file to a new
laptop), its backups carry it in their names (`backup_rules`), and listing, rotation
and restore look at those of this identity only. Two `desk.sqlite` files backing up to
one USB stick never see, rotate or restore each other's backups.

They go to the chosen folder (`desk backups --folder`), else to
`backups/<stem>-<identity>` in the user data folder. Each is a consistent copy made
through SQLite's online backup API into a `.partial` file, checked with
`PRAGMA integrity_check`, synced to disk and only then renamed into place; earlier
backups are not touched until the new one is in place, so a crash or a pulled plug at
any moment leaves every earlier backup as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desk.core import paths
from desk.core.disk import files, live
from desk.core.disk.holder import try_lock, unlock
from desk.core.domain.words import counted
from desk.core.errors import DeskError
from desk.core.safety import userconfig
from desk.core.safety.backup_rules import (
    REASON_WORDS,
    REASONS,
    Named,
    backup_name,
    keep,
    keep_set,
    maker_of,
    owner_of,
    parse_name,
)
from desk.core.store.db import connect_read_only, database_uid

__all__ = ["REASONS", "REASON_WORDS", "backup_name", "keep_set", "parse_name"]

COUNTED = ("partnerships", "agreements", "visits", "contacts", "organisations")
AUTO_INTERVAL = dt.timedelta(hours=24)
# A backup dated this far past the clock was taken while the clock was wrong (names of
# backups taken in one second are spread a second apart, so a little ahead is normal).
FUTURE_MARGIN = dt.timedelta(hours=1)
PAGES_PER_STEP = 256
PARTIAL = ".partial"
LOCK_NAME = ".desk-backups.lock"

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
    database_uid: str | None = None  # whose backup it is, read from inside the file

    def as_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "taken_at": self.taken_at.isoformat(timespec="seconds"),
            "reason": self.reason,
            "size": self.size,
            "counts": self.counts,
            "schema_version": self.schema_version,
            "damaged": self.damaged,
            "database_uid": self.database_uid,
        }


@dataclass
class RestoreResult:
    database: Path
    restored: BackupInfo
    safety: BackupInfo | None  # the copy of the database as it was before the restore
    replaced: dict[str, int] = field(default_factory=dict)  # what the database held


# -- whose, and where ----------------------------------------------------------------------


def identity_of(db_path: str | Path) -> str | None:
    """The identity the database file carries, read through SQLite; None for a file
    from before identities, or one that cannot be read."""
    path = _real(db_path)
    if not path.is_file():
        return None
    try:
        conn = connect_read_only(path)
    except sqlite3.Error:
        return None
    try:
        return database_uid(conn)
    finally:
        conn.close()


def legacy_folder(db_path: str | Path) -> Path:
    """Where backups went while they were kept per file path: one folder per path."""
    resolved = _real(db_path)
    digest = hashlib.sha1(str(resolved).encode("utf-8")).hexdigest()[:8]
    return paths.data_dir() / "backups" / f"{resolved.stem}-{digest}"


def default_backup_folder(db_path: str | Path, uid: str | None = None) -> Path:
    """One folder per database, named for its file and its identity: found again by the
    identity alone, so renaming or moving the file keeps its backups, and a namesake
    never shares them."""
    path = _real(db_path)
    owner = owner_of(uid if uid is not None else identity_of(path))
    if owner is None:
        return legacy_folder(path)
    root = paths.data_dir() / "backups"
    try:
        earlier = sorted(
            entry for entry in root.iterdir() if entry.is_dir() and entry.name.endswith(f"-{owner}")
        )
    except OSError:
        earlier = []
    return earlier[0] if earlier else root / f"{path.stem}-{owner}"


def _real(db_path: str | Path) -> Path:
    """The database file itself, whatever name (a symlink) it was given by."""
    return Path(os.path.realpath(Path(db_path).expanduser()))


def folder_status(db_path: str | Path, uid: str | None = None) -> tuple[Path, str | None]:
    """The folder backups of this database go to, and a note when the configured one is
    missing (a USB stick not plugged in) so the default is used instead."""
    chosen = userconfig.for_database(db_path).get("backup_folder")
    if isinstance(chosen, str) and chosen:
        folder = Path(chosen)
        if folder.is_dir():
            return folder, None
        fallback = default_backup_folder(db_path, uid)
        return fallback, f"The backup folder {folder} is missing; using {fallback} instead."
    return default_backup_folder(db_path, uid), None


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


def _named(folder: Path) -> list[tuple[Path, Named]]:
    """Every backup file in a folder with what its name says; an unreadable folder has
    none."""
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


def _ours(db_path: Path, uid: str | None, folder: Path) -> list[tuple[Path, Named]]:
    """This database's backups, newest first: those named with its identity, and those
    from before identities that sit in the folder kept for this very path. A file
    from before identities in a shared folder cannot be told apart and is left alone
    (`unattributed`)."""
    owner = owner_of(uid)
    mine = _maker()
    found = [
        (entry, named)
        for entry, named in _named(folder)
        if (
            named.owner == owner and named.maker in (mine, None)
            if owner
            else named.owner is None and named.stem == db_path.stem
        )
    ]
    legacy = legacy_folder(db_path)
    if owner and legacy.resolve() != folder.resolve():
        found += [
            (entry, named)
            for entry, named in _named(legacy)
            if named.owner is None and named.stem == db_path.stem
        ]
    # Newest first, those dated in the future (a clock set wrong once) after the rest.
    now = dt.datetime.now() + FUTURE_MARGIN
    found.sort(key=lambda item: (item[1].taken <= now, item[1].taken, item[0].name), reverse=True)
    return found


def _maker() -> str | None:
    return maker_of(userconfig.installation_id())


def made_elsewhere(db_path: str | Path) -> list[Path]:
    """Backups of this very database (its identity) in its folder that another desk
    installation took: a second laptop working on a copy of the file. Never rotated
    here; restored only by naming the file."""
    path = _real(db_path)
    uid = identity_of(path)
    owner = owner_of(uid)
    if owner is None:
        return []
    folder, _note = folder_status(path, uid)
    mine = _maker()
    return sorted(
        entry
        for entry, named in _named(folder)
        if named.owner == owner and named.maker is not None and named.maker != mine
    )


def unattributed(db_path: str | Path) -> list[Path]:
    """Backups in this database's folder named like its own but from before identities,
    in a folder other databases may share: never listed as its own, never rotated."""
    path = _real(db_path)
    uid = identity_of(path)
    folder, _note = folder_status(path, uid)
    if owner_of(uid) is None or folder.resolve() == legacy_folder(path).resolve():
        return []
    return sorted(
        entry for entry, named in _named(folder) if named.owner is None and named.stem == path.stem
    )


def claim_identity(db: Any) -> str | None:
    """Make sure the open database does not share its identity with another file on this
    machine; returns a sentence when it had to take a new one.

    Copying the file to a new laptop keeps its identity, as it should: it is the same
    database. A copy made beside the original (`cp city.sqlite test/city.sqlite`) and
    then changed is another database: if the identity was last seen at another path that
    still holds a file of that identity, this file takes a new one, so its backups never
    mix with the original's.
    """
    import uuid

    from desk.core.store.db import transaction

    path = getattr(db, "file", None)
    uid = database_uid(db)
    if path is None or uid is None or getattr(db, "read_only", None):
        return None
    seen = userconfig.identity_path(uid)
    here = userconfig.database_key(path)
    note = None
    if seen and seen != here and Path(seen).is_file() and identity_of(seen) == uid:
        uid = str(uuid.uuid4())
        with transaction(db):
            db.execute("UPDATE file_meta SET value = ? WHERE key = 'database_uid'", (uid,))
        note = (
            f"{Path(path).name} is a copy of {seen}; from now on it is a database of its own, "
            "with backups of its own."
        )
    userconfig.remember_identity(uid, path)
    return note


def rotate(db_path: str | Path, now: dt.datetime, uid: str | None = None) -> list[Path]:
    """Delete this database's backups that `keep` does not keep; returns what went.
    Another database's backups, and files that are not backups, are never touched."""
    path = _real(db_path)
    uid = uid if uid is not None else identity_of(path)
    folder, _note = folder_status(path, uid)
    ours = _ours(path, uid, folder)
    kept = keep([named for _entry, named in ours], now)
    deleted = []
    for position, (entry, _named_as) in enumerate(ours):
        if position not in kept and _only_a_backup(entry, uid):
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()
                deleted.append(entry)
    return deleted


def _only_a_backup(entry: Path, uid: str | None) -> bool:
    """A file named as this database's backup that is still only that: never one
    somebody opened as a database since (its log or lock beside it, a window on it, or
    an identity of its own now). Rotation deletes nothing else."""
    from desk.core.disk import holder

    if any(os.path.lexists(f"{entry}{suffix}") for suffix in live.COMPANIONS):
        return False
    if holder.current(entry) is not None:
        return False
    if uid is not None:
        inside = inspect(entry).database_uid
        if inside is not None and inside != uid:
            return False
    return True


# -- taking one ------------------------------------------------------------------------


def _main_file(conn: sqlite3.Connection) -> Path:
    for _seq, name, file in conn.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file)
    raise BackupError("An in-memory database cannot be backed up.")


@contextlib.contextmanager
def _source(db_or_path: Any) -> Iterator[tuple[sqlite3.Connection, Path]]:
    """A connection to read the database from, and its path. A path is opened read-only:
    reading is all a backup needs, so a database this user may only read backs up too,
    and the connection can never checkpoint or remove the file's log when it closes."""
    if isinstance(db_or_path, (str, Path)):
        path = _real(db_or_path)
        if not path.is_file():
            raise BackupError(f"No database at {path}.")
        held = live.hold(path, writer=False)
        try:
            conn = connect_read_only(path)
        except sqlite3.Error as exc:
            live.release(held, writer=False)
            raise BackupError(f"Could not read {path}: {exc}.") from exc
        try:
            conn.execute("PRAGMA busy_timeout = 10000")
            yield conn, path
        finally:
            conn.close()
            live.release(held, writer=False)
        return
    conn = getattr(db_or_path, "conn", db_or_path)
    if not isinstance(conn, sqlite3.Connection):
        raise TypeError(f"not a database: {db_or_path!r}")
    yield conn, _main_file(conn)


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
    this thread, even inside its own transaction) into its backup folder, then rotate
    that database's backups.

    `keep_damaged` keeps a copy that fails the integrity check (marked `damaged`) rather
    than refusing it: for the copy taken before a restore, as damage is often the reason
    to restore and the person's last state should not be thrown away.
    """
    info = _take(db_or_path, reason, now, progress, rotate_after, keep_damaged, None)
    assert info is not None  # nothing asked it to stand back
    return info


def _take(
    db_or_path: Any,
    reason: str,
    now: dt.datetime | None,
    progress: Progress | None,
    rotate_after: bool,
    keep_damaged: bool,
    only_if: Callable[[], bool] | None,
) -> BackupInfo | None:
    if reason not in REASONS:
        raise ValueError(f"reason must be one of {REASONS}")
    with _source(db_or_path) as (source, db_path):
        uid = database_uid(source)
        folder, note = folder_status(db_path, uid)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BackupError(
                f"Cannot create the backup folder {folder}: {exc.strerror or exc}."
            ) from exc
        with _folder_lock(folder):
            if only_if is not None and not only_if():
                return None  # another process took it while this one waited
            _remove_partials(folder)
            info = _copy_verified(
                source, db_path, folder, reason, now, progress, keep_damaged, owner_of(uid)
            )
            info.note = note
            if rotate_after:
                rotate(db_path, now or info.taken_at, uid)
        return info


def _copy_verified(
    source: sqlite3.Connection,
    db_path: Path,
    folder: Path,
    reason: str,
    now: dt.datetime | None,
    progress: Progress | None,
    keep_damaged: bool,
    owner: str | None,
) -> BackupInfo:
    taken = (now or dt.datetime.now()).replace(microsecond=0)
    maker = _maker() if owner else None
    # Two backups within a second: the later one a second on, so names keep their order.
    while any(
        (folder / backup_name(db_path.stem, taken, r, owner, maker)).exists() for r in REASONS
    ):
        taken += dt.timedelta(seconds=1)
    final = folder / backup_name(db_path.stem, taken, reason, owner, maker)
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
            uid = database_uid(target) if verdict == ["ok"] else None
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
        database_uid=uid,
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


def newest(db_path: str | Path, now: dt.datetime | None = None) -> dt.datetime | None:
    """When this database's newest backup was taken, or None if it has none. One dated
    after `now` (a clock that was wrong) does not count: it must not stop the next."""
    path = _real(db_path)
    uid = identity_of(path)
    folder, _note = folder_status(path, uid)
    moment = (now or dt.datetime.now()) + FUTURE_MARGIN
    taken = [named.taken for _entry, named in _ours(path, uid, folder) if named.taken <= moment]
    return max(taken) if taken else None


def backup_due(
    db_path: str | Path, now: dt.datetime | None = None, *, opening: bool = False
) -> bool:
    path = Path(db_path)
    now = now or dt.datetime.now()
    last = newest(path, now)
    if last is None or now - last >= AUTO_INTERVAL:
        return True
    if opening:
        changed = _changed_at(path)
        # Names keep whole seconds; a change in the same second as the backup counts.
        return changed is not None and changed >= last + dt.timedelta(seconds=1)
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
    # Asked again under the folder's lock: two processes that both found it due take
    # one backup between them, not two.
    return _take(
        path, "auto", now, None, True, False, lambda: backup_due(path, now, opening=opening)
    )


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
    taken, reason = (parsed.taken, parsed.reason) if parsed else (mtime, "manual")
    info = BackupInfo(path=path, taken_at=taken, reason=reason, size=size)
    try:
        conn = connect_read_only(path)
        try:
            info.counts, info.schema_version = _counts(conn)
            info.database_uid = database_uid(conn)
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
    path = _real(db_path)
    uid = identity_of(path)
    folder, note = folder_status(path, uid)
    found = []
    for file, _named_as in _ours(path, uid, folder):
        info = inspect(file)
        info.note = note
        found.append(info)
    return found


# -- words -----------------------------------------------------------------------------


def others_note(db_path: str | Path) -> str | None:
    """A sentence on the backups in the folder that are not listed as this database's
    own, so none is thought lost."""
    elsewhere, unknown = made_elsewhere(db_path), unattributed(db_path)
    parts = []
    if elsewhere:
        parts.append(
            f"{counted(len(elsewhere), 'backup')} of this database taken by desk on another "
            "computer (restore one by its file name)"
        )
    if unknown:
        parts.append(
            f"{counted(len(unknown), 'older backup')} named like this file's, from before "
            "desk recorded which database a backup belongs to (check its counts with "
            "'desk restore FILE' before restoring it)"
        )
    if not parts:
        return None
    return "Also in the folder, left alone: " + "; ".join(parts) + "."


def size_text(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{size:,} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError


def counts_text(counts: dict[str, int]) -> str:
    from desk.core.domain.kinds import kind_of_table

    return ", ".join(kind_of_table(t).count(counts[t]) for t in COUNTED if t in counts)


def counted_headers() -> list[str]:
    """Column headings for the counted tables, as desk names those records."""
    from desk.core.domain.kinds import kind_of_table

    return [kind_of_table(t).plural for t in COUNTED]
