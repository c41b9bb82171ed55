"""The database files a process has open, kept its own for as long as it has them.

SQLite locks its files with POSIX advisory locks, and POSIX drops every lock a process
holds on a file the moment that process closes *any* descriptor of it. A file dialog
that reads `NAME.sqlite`, `-wal` or `-shm` to guess their type, or any code of ours that
opened one to read it, silently unlocks every connection of the process; another
process then believes it is alone, checkpoints, and deletes the write-ahead log and the
shared-memory file, and every later write of ours lands in deleted files (SQLite's "How
To Corrupt An SQLite Database File", section 2.2). Three defenses, from the outside in:

1. Nothing of ours opens these files: outputs and inputs refuse them
   (`files.check_output_path`, `files.input_file` ask `live_file` here) and the window's
   file dialogs never read them.
2. On Linux a process that writes also holds open-file-description locks: a read lock
   on the database's shared-lock bytes, where another connection must write-lock to
   checkpoint and delete the log at close, and one on the shared-memory file's "dead man
   switch" byte, where another connection must write-lock to reset it. Those locks belong
   to a descriptor of their own and survive the close of any other, so even a lock
   dropped in silence leaves no other process free to delete the files under us.
3. Before every write, `Hold.verify` compares the files on disk with the ones opened
   (device and inode of the database, its log and its shared memory); when they differ,
   the write is refused in words (`HoldLost`) before SQLite writes a byte.
"""

from __future__ import annotations

import contextlib
import os
import struct
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from desk.core.errors import HoldLost

# Companion files SQLite keeps beside a database, and the window's lock file.
JOURNALS = ("-wal", "-shm", "-journal")
COMPANIONS = (*JOURNALS, ".lock")

# SQLite's unix locking: the shared-lock range of the database file starts two bytes past
# the pending byte (1 GiB) and spans 510 bytes; the dead-man-switch byte of the
# shared-memory file is byte 128 (after 120 header bytes and 8 lock bytes).
_SHARED_FIRST = 0x40000000 + 2
_SHARED_SIZE = 510
_SHM_DMS = 128

try:
    import fcntl

    _OFD_SETLK: int | None = getattr(fcntl, "F_OFD_SETLK", None)
except ImportError:  # pragma: no cover - Windows, where locks are not dropped this way
    _OFD_SETLK = None


@dataclass
class Hold:
    """One database file as this process opened it, shared by its connections."""

    path: Path
    connections: int = 0
    writers: int = 0
    opened: dict[str, tuple[int, int] | None] = field(default_factory=dict)
    guards: list[int] = field(default_factory=list)

    def record(self) -> None:
        """Note which files were opened and guard them; once, by the first writer. The
        connection must have read once, so SQLite has opened its log and shared memory."""
        if self.opened:
            return
        self.opened = {suffix: _identity(self.path, suffix) for suffix in ("", "-wal", "-shm")}
        if guard_enabled():
            self.guards = _guard(self.path)

    def verify(self) -> None:
        """Raise HoldLost when the files on disk are no longer the ones opened."""
        if not self.opened:
            return
        now = {suffix: _identity(self.path, suffix) for suffix in self.opened}
        try:
            names = os.stat(self.path).st_nlink
        except OSError:
            names = 1
        if names > 1:
            raise HoldLost(
                f"{self.path} has been given a second name on this disk (a hard link) "
                "while desk had it open; nothing was written, since changes through two "
                "names would damage it. Remove the other name, or make a copy with 'desk "
                "backup --out FILE' and work in the copy."
            )
        if now[""] != self.opened[""]:
            raise HoldLost(
                f"{self.path} was replaced or removed on disk while desk had it open "
                "(another program moved, copied or synced a file over it); nothing was "
                "written. Close desk and open the file again to see what it holds now."
            )
        for suffix in ("-wal", "-shm"):
            if self.opened[suffix] is not None and now[suffix] != self.opened[suffix]:
                raise HoldLost(
                    f"desk lost its hold on {self.path.name}: another program removed or "
                    f"replaced its {suffix[1:]} file while desk had it open; nothing was "
                    "written, so nothing is lost. Close desk and open the file again, "
                    "then make the change again."
                )

    def drop_guards(self) -> None:
        guards, self.guards = self.guards, []
        for fd in guards:
            with contextlib.suppress(OSError):
                os.close(fd)


_HOLDS: dict[Path, Hold] = {}
_LOCK = threading.Lock()  # list filters and background work open connections too
_GUARD_OFF = False


def guard_enabled() -> bool:
    return _OFD_SETLK is not None and not _GUARD_OFF


def set_guard(enabled: bool) -> None:
    """Tests turn the Linux guard off to show what the check before each write does
    where the guard cannot be taken (macOS, file systems without these locks)."""
    global _GUARD_OFF
    _GUARD_OFF = not enabled


def _real(path: str | os.PathLike[str]) -> Path:
    return Path(os.path.realpath(path))


def hold(path: str | os.PathLike[str], *, writer: bool) -> Hold:
    """Count a connection to `path` in; the Hold is shared by every connection of this
    process to that file."""
    real = _real(path)
    with _LOCK:
        held = _HOLDS.get(real)
        if held is None:
            held = _HOLDS[real] = Hold(real)
        held.connections += 1
        held.writers += int(writer)
        return held


def release(held: Hold, *, writer: bool) -> None:
    """Count a connection out. The guard goes with the last connection, just before it
    closes: closing the guard's descriptors drops this process's locks on the files,
    which must not happen while another of its connections still relies on them."""
    with _LOCK:
        held.connections -= 1
        held.writers -= int(writer)
        if held.connections > 0:
            return
        _HOLDS.pop(held.path, None)
    held.drop_guards()
    held.opened = {}


def live_file(target: str | os.PathLike[str]) -> str | None:
    """'the open database' (or one of its companion files) when `target` is one held by
    this process, by any of its names (a symlink, a hard link), else None. By path and
    `stat`, never by opening anything."""
    real = str(_real(target))
    same = _identity(Path(real), "")
    with _LOCK:
        held = list(_HOLDS)
    for live in held:
        for suffix in ("", *COMPANIONS):
            if real == f"{live}{suffix}" or (same is not None and same == _identity(live, suffix)):
                if not suffix:
                    return "the open database"
                return f"the open database's {_COMPANION_WORDS[suffix]}"
    return None


_COMPANION_WORDS = {
    "-wal": "write-ahead log (-wal file)",
    "-shm": "shared-memory file (-shm)",
    "-journal": "journal (-journal file)",
    ".lock": "lock file (.lock)",
}


def companion_of(target: str | os.PathLike[str]) -> tuple[Path, str] | None:
    """(the database, what the file is to it) when `target` is named as a companion of a
    database file that exists: `city.sqlite-wal` beside `city.sqlite`, `city.sqlite.lock`.
    Such a name is never an output and never an input, whoever holds the database."""
    name = str(target)
    for suffix in COMPANIONS:
        if name.endswith(suffix):
            base = Path(name[: -len(suffix)])
            with contextlib.suppress(OSError):
                if base.is_file():
                    return base, _COMPANION_WORDS[suffix]
    return None


def _identity(path: Path, suffix: str) -> tuple[int, int] | None:
    try:
        info = os.stat(f"{path}{suffix}")
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _guard(path: Path) -> list[int]:
    """Take the open-file-description read locks described above; what cannot be taken
    (a file system without them) is left to the check before each write."""
    fds: list[int] = []
    if _OFD_SETLK is None:
        return fds
    for suffix, start, length in (("", _SHARED_FIRST, _SHARED_SIZE), ("-shm", _SHM_DMS, 1)):
        try:
            # Opened only to lock: the descriptor is never read, and it is closed only
            # with the last connection (see `release`).
            fd = os.open(f"{path}{suffix}", os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            continue
        try:
            fcntl.fcntl(fd, _OFD_SETLK, _flock(fcntl.F_RDLCK, start, length))
        except OSError:
            os.close(fd)
            continue
        fds.append(fd)
    return fds


def _flock(kind: int, start: int, length: int) -> bytes:
    """`struct flock` for Linux: l_type, l_whence (shorts), l_start, l_len (off_t),
    l_pid (int, which open-file-description locks require to be 0), padding."""
    if sys.maxsize > 2**32:
        return struct.pack("hhqqi4x", kind, os.SEEK_SET, start, length, 0)
    return struct.pack("hhqqi", kind, os.SEEK_SET, start, length, 0)  # pragma: no cover
