"""Opening the window from the command line: refused in words where there is no display
to open it on, and Qt loaded only then."""

from __future__ import annotations

import gc
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
    # Until the window is up, no garbage collection: starting makes some 30,000
    # objects that live as long as the window, and the collector walked them some 60
    # times (17 ms) while nothing could be garbage yet. `app.run` turns it back on
    # once the window is painted; here, whatever way the window ends.
    gc.disable()
    try:
        # Today is read on a thread of its own from here on, while Qt and the window load.
        from desk.ui.agenda_ahead import AgendaAhead

        ahead = AgendaAhead(path)
        from desk.ui.qt_loading import enter_modules_ahead

        enter_modules_ahead()
        from desk.ui.app import run

        return run(path, read_only="opened with --read-only" if read_only else None, ahead=ahead)
    finally:
        gc.enable()
