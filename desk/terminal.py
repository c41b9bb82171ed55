"""What desk prints reaches a terminal as text only: a record holding ESC sequences must
not retitle the window, recolor it or hide lines, and bidi overrides must not reorder
what a person reads."""

from __future__ import annotations

from typing import Any, TextIO

_VISIBLE: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
del _VISIBLE[ord("\n")], _VISIBLE[ord("\t")]
_VISIBLE[0x7F] = "\u2421"
_VISIBLE.update({code: "\ufffd" for code in range(0x80, 0xA0)})
_VISIBLE.update({code: "\ufffd" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})


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
