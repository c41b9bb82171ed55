"""Every file desk writes goes through here, so none is ever left half written.

The new content goes to a hidden temp file in the target's own folder
(`.NAME.XXXX.partial`), is flushed and fsynced, optionally checked, and only then
renamed over the target; the folder is fsynced after the rename. On any failure (disk
full, no permission, a failed check, Ctrl+C) the temp file is removed and the old
target is left exactly as it was. Problems a person can fix are raised as
`OutputPathError`, one line that names the path.

Three front doors, one implementation (`_save`):

    safe_write(path, data_or_writer)        bytes, or a function given a binary stream
    safe_write_text(path, text_or_writer)   str, or a function given a text stream
    safe_write_path(path, write_to)         a function given the temp file's path, for
                                            libraries that want a file name (openpyxl,
                                            SQLite's backup API)

Standard library only; no Qt.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TextIO

from desk.core.disk import live
from desk.core.errors import DeskError, OutputPathError

Verify = Callable[[Path], None]
StrPath = str | os.PathLike[str]

_SUFFIX = ".partial"
_NAME_IN_TEMP = 80  # characters of the target's name kept in the temp name


def input_file(path: StrPath, what: str, error: type[DeskError] = DeskError) -> Path:
    """`path` as a file that can be read, or `error` naming the path and what is wrong
    with it: missing, a folder, not a regular file, or not readable by this user."""
    given = Path(path)
    if not given.exists():
        raise error(f"No file at {given}. Check the path.")
    if given.is_dir():
        raise error(f"{given} is a folder; give the path of {what}.")
    if not given.is_file():
        raise error(f"{given} is not a regular file; give the path of {what}.")
    held = live.live_file(given)
    if held is not None:
        raise error(
            f"{given} is {held}; desk does not read it as a file. For a copy of the "
            "database, use 'desk backup --out FILE' (File > Back up) and give that."
        )
    companion = live.companion_of(given)
    if companion is not None:
        raise error(f"{given} is the {companion[1]} of the database {companion[0].name}.")
    if not os.access(given, os.R_OK):
        raise error(f"{given} cannot be read: you do not have permission to open it.")
    if _INPUTS is not None:
        _INPUTS.add(Path(os.path.realpath(given)))
    return given


# Files the running command reads (None: not tracked, as in the window, where a file read
# for one action may rightly be written by a later one). An output must never replace one.
_INPUTS: set[Path] | None = None


def track_inputs() -> None:
    """From now on, remember every file read through `input_file` (one command's run)."""
    global _INPUTS
    _INPUTS = set()


def _refusal(target: Path, given: Path, database: bool, log_of: Path | None) -> str | None:
    """Why no output may replace `target`, or None: a database file held by this process
    or its companions, a companion of any database, a database with its log beside it,
    a database a window holds, any database at all unless the output is one (a backup),
    or a file this command reads. The held files only ever by path and `stat`: opening
    one would drop this process's locks on it."""
    what = live.live_file(target)
    if what is not None:
        return f"{given} is {what}; choose another file to write."
    companion = live.companion_of(target)
    if companion is not None and not (log_of is not None and _same(companion[0], log_of)):
        base, words = companion
        return f"{given} is the {words} of the database {base.name}; choose another file."

    if _INPUTS is not None:
        for read in _INPUTS:
            if _same(target, read):
                return f"{given} is a file this command reads; write to another file."
    from desk.core.disk import holder

    if holder.current(target) is not None:
        return f"{given} is a database open in a desk window; choose another file to write."
    for suffix in live.JOURNALS:
        if os.path.lexists(f"{target}{suffix}"):
            return (
                f"{given} is a database with its {suffix[1:]} file beside it: it is open "
                "somewhere, or a desk that stopped left changes there, and replacing it "
                "would damage it. Choose another file."
            )
    if not database and _is_database(target):
        return f"{given} is a database; choose another name for this file."
    return None


def _is_database(target: Path) -> bool:
    """Whether an existing file is an SQLite database (its first 16 bytes say so). Only
    a regular file is opened: reading a pipe would wait forever."""
    try:
        if not stat.S_ISREG(os.stat(target).st_mode):
            return False
        with open(target, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def check_output_path(path: StrPath, *, database: bool = False, log_of: Path | None = None) -> Path:
    """The file to write for `path` (a symlink's target), or OutputPathError if it cannot be.

    Refused: a missing folder, a folder we may not write in, a path that is a folder,
    and anything that exists but is not a regular file (a device such as /dev/null, a
    pipe, a socket), which must never be replaced.
    """
    if not str(path).strip():
        raise OutputPathError("No file name given; say where to write (--out FILE).")
    given = Path(os.path.abspath(path))
    try:
        target = Path(os.path.realpath(given)) if given.is_symlink() else given
    except OSError as exc:
        raise explain(exc, given) from exc
    refused = _refusal(target, given, database, log_of)
    if refused is not None:
        raise OutputPathError(refused)
    try:
        mode: int | None = os.stat(target).st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None
    except OSError as exc:
        raise explain(exc, given) from exc
    if mode is not None:
        if stat.S_ISDIR(mode):
            raise OutputPathError(f"{given} is a folder; give a file name to write.")
        if not stat.S_ISREG(mode):
            raise OutputPathError(
                f"{given} is a device or other special file, not a file desk can replace; "
                "choose a file name."
            )
    folder = target.parent
    if not folder.is_dir():
        if folder.exists():
            raise OutputPathError(f"{folder} is not a folder; choose another place to write.")
        raise OutputPathError(f"Folder {folder} does not exist; create it or choose another.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputPathError(f"No permission to write in {folder}.")
    return target


def safe_write(
    path: StrPath, write: Callable[[BinaryIO], None] | bytes, *, verify: Verify | None = None
) -> Path:
    """Write bytes, or whatever `write(stream)` writes, to `path` atomically."""

    def produce(fd: int, _temp: Path) -> None:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(write, bytes | bytearray | memoryview):
                handle.write(write)
            else:
                write(handle)

    return _save(path, produce, verify)


def safe_write_text(
    path: StrPath,
    write: Callable[[TextIO], None] | str,
    *,
    encoding: str = "utf-8",
    newline: str | None = None,
    verify: Verify | None = None,
) -> Path:
    """Write text, or whatever `write(stream)` writes, to `path` atomically.

    `newline` is as for open(): None writes the platform's line ending for each '\\n',
    '' and '\\n' write it untranslated.
    """

    def produce(fd: int, _temp: Path) -> None:
        with os.fdopen(fd, "wb") as raw:
            stream = io.TextIOWrapper(raw, encoding=encoding, newline=newline)
            try:
                if isinstance(write, str):
                    stream.write(write)
                else:
                    write(stream)
                stream.flush()
            finally:
                stream.detach()  # `raw` is closed by its own `with`

    return _save(path, produce, verify)


def safe_write_path(
    path: StrPath,
    write_to: Callable[[Path], None],
    *,
    verify: Verify | None = None,
    database: bool = False,
    log_of: Path | None = None,
) -> Path:
    """Call `write_to(temp_path)` to fill the temp file by name, then as safe_write.

    The temp file exists (empty) when `write_to` is called; `write_to` may open it, or
    truncate and rewrite it, but must leave it at that path.
    """

    def produce(fd: int, temp: Path) -> None:
        os.close(fd)
        write_to(temp)

    return _save(path, produce, verify, database, log_of)


def _save(
    path: StrPath,
    produce: Callable[[int, Path], None],
    verify: Verify | None,
    database: bool = False,
    log_of: Path | None = None,
) -> Path:
    target = check_output_path(path, database=database, log_of=log_of)
    folder = target.parent
    mode = _mode_for(target)
    temp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{target.name[:_NAME_IN_TEMP]}.", suffix=_SUFFIX, dir=folder
        )
        temp = Path(name)
        produce(fd, temp)
        _sync_file(temp, mode)
        if verify is not None:
            try:
                verify(temp)
            except (DeskError, OSError):
                raise
            except Exception as exc:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise OutputPathError(
                    f"The new {target} failed its check ({reason}); nothing was changed."
                ) from exc
        os.replace(temp, target)
        temp = None
    except BaseException as exc:
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise explain(exc, target) from exc
        raise
    sync_folder(folder)
    return target


def explain(exc: OSError, path: StrPath) -> OutputPathError:
    """One line a person can act on, naming the path, for an OSError while writing it."""
    target = Path(os.path.abspath(path))
    folder = target.parent
    code = exc.errno
    if code == errno.ENOSPC:
        return OutputPathError(f"Not enough disk space to write {target}; nothing was changed.")
    if code == getattr(errno, "EDQUOT", None):
        return OutputPathError(f"Disk quota exceeded writing {target}; nothing was changed.")
    if code in (errno.EACCES, errno.EPERM):
        if os.name == "nt":
            return OutputPathError(
                f"Could not write {target}: no permission, or the file is open in another "
                "program; nothing was changed."
            )
        return OutputPathError(f"No permission to write in {folder}.")
    if code == errno.EROFS:
        return OutputPathError(f"{folder} is on a read-only disk; choose another folder.")
    if code == errno.ENOENT:
        return OutputPathError(f"Folder {folder} does not exist; create it or choose another.")
    if code == errno.ENOTDIR:
        return OutputPathError(f"{folder} is not a folder; choose another place to write.")
    if code == errno.EISDIR:
        return OutputPathError(f"{target} is a folder; give a file name to write.")
    if code == errno.ENAMETOOLONG:
        return OutputPathError(f"The name {target} is too long; choose a shorter one.")
    reason = (exc.strerror or str(exc) or type(exc).__name__).splitlines()[0]
    return OutputPathError(f"Could not write {target} ({reason}); nothing was changed.")


# -- checks for the formats desk writes -------------------------------------------------


def verify_pdf(path: Path) -> None:
    """A whole PDF starts with %PDF- and ends with %%EOF (trailing whitespace allowed)."""
    with open(path, "rb") as handle:
        head = handle.read(5)
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, size - 1024))
        tail = handle.read()
    if head != b"%PDF-":
        raise ValueError("not a PDF")
    if not tail.rstrip().endswith(b"%%EOF"):
        raise ValueError("the PDF is cut short")


def verify_xlsx(path: Path) -> None:
    """An .xlsx is a zip whose members all read back, with its content-types part."""
    if not zipfile.is_zipfile(path):
        raise ValueError("not a zip file")
    with zipfile.ZipFile(path) as archive:
        bad = archive.testzip()
        if bad is not None:
            raise ValueError(f"{bad} is damaged")
        if "[Content_Types].xml" not in archive.namelist():
            raise ValueError("not an Excel workbook")


# -- helpers ------------------------------------------------------------------------------


def _mode_for(target: Path) -> int:
    """Permission bits for the new file: the old file's, else what open() would give."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    # Reading it without setting it keeps other threads' files safe from a brief 0 umask.
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sync_file(temp: Path, mode: int) -> None:
    with open(temp, "rb+") as handle:
        if os.name == "posix":
            os.fchmod(handle.fileno(), mode)
        os.fsync(handle.fileno())


def sync_folder(folder: Path) -> None:
    """Make the rename itself durable. POSIX only; best effort, as the file is in place."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
