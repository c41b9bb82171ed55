"""Opening the window from the command line: refused in words where there is no display
to open it on, and Qt loaded only then."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from desk.core.errors import DeskError


def open_window(path: Path, read_only: bool = False) -> int:
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
        and not os.environ.get("QT_QPA_PLATFORM")
    ):
        # Else Qt aborts with its plugin message, which tells a person nothing.
        raise DeskError(
            "There is no display to open the window on. Start desk from a desktop session, "
            "or use the command line: 'desk --help'."
        )
    # Today is read on a thread of its own from here on, while Qt and the window load.
    from desk.ui.agenda_ahead import AgendaAhead

    ahead = AgendaAhead(path)
    from desk.ui.qt_loading import enter_modules_ahead

    enter_modules_ahead()
    from desk.ui.app import run

    return run(path, read_only="opened with --read-only" if read_only else None, ahead=ahead)
