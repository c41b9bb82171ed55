"""One signal after every write, carrying the kinds of records it changed; each view
decides for itself whether to refresh."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class ChangeBus(QObject):
    changed = Signal(set)  # set[str] of kind names

    def announce(self, *kinds: str) -> None:
        self.changed.emit(set(kinds))
