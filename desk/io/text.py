"""User text made fit for a line-based interchange format (vCard, iCalendar): one kind
of line break, and no control characters, which those formats do not allow and which
make other readers reject a whole file."""

from __future__ import annotations

_PICTURES: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
del _PICTURES[ord("\n")], _PICTURES[ord("\t")]
_PICTURES[0x7F] = "\u2421"
_PICTURES.update({code: "\ufffd" for code in range(0x80, 0xA0)})


def interchange_text(text: str | None) -> str:
    """Windows and old Mac line ends as '\\n'; other controls as their visible pictures."""
    if not text:
        return ""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_PICTURES)
