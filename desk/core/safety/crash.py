"""What happens when desk meets something it did not expect: the details go to a log
file, the person gets one sentence and the log's path. Nobody should read a traceback
and conclude their data is gone: every write is one transaction, so a failure mid-way
leaves the database as it was."""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import traceback
from pathlib import Path

from desk.core.paths import data_dir


def log_dir() -> Path:
    override = os.environ.get("DESK_LOG_DIR")
    return Path(override).expanduser() if override else data_dir() / "logs"


def write_log(error: BaseException) -> Path | None:
    """The traceback and the versions, in a new file; None if even that fails (a full
    disk), so the report never raises in its turn."""
    from desk import __version__

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"desk-error-{stamp}.log"
        details = "".join(traceback.format_exception(error))
        path.write_text(
            f"desk {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
            f"command: {' '.join(sys.argv)}\n\n{details}",
            encoding="utf-8",
        )
        return path
    except OSError:
        return None


def one_line(error: BaseException, log: Path | None) -> str:
    """'desk stopped on something it did not expect (ValueError). Nothing was half-
    written... Details for support: /path/to/log'."""
    where = f" Details for support are in {log}." if log else ""
    return (
        f"desk stopped on something it did not expect ({type(error).__name__}). "
        f"Nothing was half-written: the database is as it was before this command.{where}"
    )
