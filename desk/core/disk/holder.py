"""One window per database: who holds the file, told to anyone else who opens it.

The window holds an OS advisory lock on `NAME.sqlite.lock` beside the database for as
long as it has the file open, with who it is written inside as JSON. The lock, not the
file, is the truth: the OS drops it when the process ends however it ends, so a file left
behind by a killed process names nobody. Command-line writes take no lock; SQLite's own
locking serialises them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from desk.core.errors import DeskError

# sys.platform rather than os.name where msvcrt is used: type checkers follow it.
if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt
else:
    import fcntl

# Windows locks byte ranges, and a locked range cannot be read by anyone else; the lock
# sits far past the JSON so `current()` can still read who holds it.
_WINDOWS_LOCK_OFFSET = 1 << 30


def lock_path(db_path: str | Path) -> Path:
    """Beside the file itself, whatever name it is opened by: a window on `city.sqlite`
    and a command given a symlink to it must find the same lock."""
    path = Path(os.path.realpath(Path(db_path).expanduser()))
    return path.with_name(path.name + ".lock")


def try_lock(fd: int, *, shared: bool = False) -> bool:
    """Take the advisory lock on an open file without waiting; False if someone has it."""
    if sys.platform == "win32":  # pragma: no cover
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
        return True
    try:
        fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:  # a file system without locks: nobody can be told, so go on
        if exc.errno in (getattr(os, "ENOTSUP", -1), getattr(os, "ENOLCK", -1)):
            return True
        raise
    return True


def unlock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        os.lseek(fd, 0, os.SEEK_SET)
        return
    fcntl.flock(fd, fcntl.LOCK_UN)


def _same_file(fd: int, path: Path) -> bool:
    """Still the file at `path`? (A releasing holder unlinks it after we opened it.)"""
    if os.name == "nt":  # pragma: no cover - Windows never unlinks an open lock file
        return True
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)


class Holder:
    """The lock a window holds; `release()` (or leaving a `with` block) lets go."""

    def __init__(self, path: Path, fd: int, info: dict[str, Any]) -> None:
        self.path = path
        self.fd: int | None = fd
        self.info = info

    def release(self) -> None:
        fd, self.fd = self.fd, None
        if fd is None:
            return
        try:
            if os.name == "nt":  # pragma: no cover - an open file cannot be unlinked there
                os.ftruncate(fd, 0)
            else:
                # Unlinked while still locked, so nobody locks a file about to vanish
                # without noticing (acquire() checks it locked the file at the path).
                with contextlib.suppress(OSError):
                    self.path.unlink()
            unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> Holder:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.release()


def _who(what: str) -> dict[str, Any]:
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment: not worth refusing over
        user = ""
    return {
        "pid": os.getpid(),
        "host": _host(),
        "user": user,
        "what": what,
        "since": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def acquire(db_path: str | Path, what: str = "window") -> Holder | None:
    """Hold the database for this process; None when another process holds it."""
    path = lock_path(db_path)
    for _attempt in range(5):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise DeskError(f"Cannot create {path}: {exc.strerror or exc}.") from exc
        if not try_lock(fd):
            os.close(fd)
            return None
        if not _same_file(fd, path):
            unlock(fd)
            os.close(fd)
            continue
        info = _who(what)
        data = json.dumps(info).encode()
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, data)
        with contextlib.suppress(OSError):
            os.fsync(fd)
        return Holder(path, fd, info)
    return None


def current(db_path: str | Path) -> dict[str, Any] | None:
    """Who holds the database, or None. Read only while the lock is really held."""
    path = lock_path(db_path)
    if not path.is_file():  # nothing holds it (and a pipe by that name is never opened)
        return None
    try:
        fd = os.open(path, os.O_RDONLY if os.name != "nt" else os.O_RDWR)
    except OSError:
        return None
    try:
        if try_lock(fd, shared=True):
            unlock(fd)
            return None  # a file left by a process that is gone
        raw = b""
        while chunk := os.read(fd, 65536):
            raw += chunk
            if len(raw) > 1 << 20:
                break
    finally:
        os.close(fd)
    try:
        info = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        info = None
    if not isinstance(info, dict):
        # Locked, but the holder has not written its name yet (or wrote something else).
        return {"pid": None, "host": None, "user": None, "what": "unknown", "since": None}
    return info


def describe(info: dict[str, Any]) -> str:
    """'This database is open in desk on HOST (process PID, since 10:02 AM).'"""
    host = info.get("host") or "another computer"
    details = []
    if info.get("pid"):
        details.append(f"process {info['pid']}")
    since = _since_text(info.get("since"))
    if since:
        details.append(f"since {since}")
    tail = f" ({', '.join(details)})" if details else ""
    return f"This database is open in desk on {host}{tail}."


def _since_text(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    clock = f"{moment.hour % 12 or 12}:{moment:%M} {'AM' if moment.hour < 12 else 'PM'}"
    if moment.date() == dt.date.today():
        return clock
    return f"{moment.month}/{moment.day}/{moment.year} {clock}"


def _host() -> str:
    # The socket module is a twentieth of the window's start-up; the kernel's name for
    # the machine is the same one, where there is a uname.
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()
