"""User text made fit for a line-based interchange format (vCard, iCalendar): one kind
of line break, and no control characters, which those formats do not allow and which
make other readers reject a whole file."""

from __future__ import annotations

from desk.core.text.printable import CONTROL_PICTURES


def interchange_text(text: str | None) -> str:
    """Windows and old Mac line ends as '\\n'; other controls as their visible pictures."""
    if not text:
        return ""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(CONTROL_PICTURES)
