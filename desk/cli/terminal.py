"""What desk prints reaches a terminal as text only: a record holding ESC sequences must
not retitle the window, recolor it or hide lines, and bidi overrides must not reorder
what a person reads."""

from __future__ import annotations

from typing import Any, TextIO

from desk.core.text.printable import BIDI_CONTROLS, CONTROL_PICTURES

_VISIBLE = {**CONTROL_PICTURES, **dict.fromkeys(BIDI_CONTROLS, "\ufffd")}


def printable(text: str) -> str:
    """Control characters as their visible pictures (␛ for ESC)."""
    return text.translate(_VISIBLE)


class PrintableStream:
    """A text stream that passes on only printable text."""

    def __init__(self, inner: TextIO) -> None:
        self._inner = inner

    def write(self, text: str) -> int:
        return self._inner.write(printable(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
