"""Line breaking a protocol office would sign off: words, names, emails and dates kept
whole; right-to-left paragraphs broken into lines before they are reordered; long text
cut into paragraphs a page can hold, so laying it out takes time linear in its length.
"""

from __future__ import annotations

import re
from typing import Any

from bidi.algorithm import get_display
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from desk.reports.writers.fonts import SANS
from desk.reports.writers.text import (
    CJK_CHAR,
    RTL_LETTER,
    clean,
    font_for,
    mark_rtl_ends,
    runs,
    shape,
    visual_markup,
)

# A run of CJK characters this long without a space is prose, broken between any two
# characters as those scripts are; a shorter one is a name or a term, kept whole.
CJK_PROSE_RUN = 12
_CJK_RUN = re.compile(f"{CJK_CHAR.pattern}{{{CJK_PROSE_RUN + 1},}}")
# Paragraphs of at most this many characters: reportlab re-flows what is left of a
# paragraph at every page break, so one 2 MB paragraph would cost the square of its size.
CHUNK = 3000
# Where a line may break: ordinary spaces, not the no-break space that holds a date whole.
_BREAKS = re.compile("[ \t\n]+")


def is_cjk_prose(text: str) -> bool:
    return bool(_CJK_RUN.search(text))


def first_strong_is_rtl(text: str) -> bool:
    for ch in text:
        if RTL_LETTER.match(ch):
            return True
        if ch.isalpha():
            return False
    return False


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Printed width of plain text, each script in the font it prints in."""
    return sum(stringWidth(run, font_for(script, bold=bold), size) for script, run in runs(text))


# The longest piece kept whole on a line: an email or a web address of an office.
LONGEST_TOKEN = 45


def widest_token(text: str, size: float, *, bold: bool = False) -> float:
    """The widest piece a line may not break inside: a word, a name, an email, a date;
    CJK prose may break anywhere, so it asks for two characters at most."""
    widest = 0.0
    for token in _BREAKS.split(clean(text)):
        if is_cjk_prose(token):
            token = "中文"
        elif len(token) > LONGEST_TOKEN:
            # No one reads 300 characters without a space as one word (a pasted link, a
            # key held down): it breaks where the line ends, and the table keeps its
            # type size for every other row.
            continue
        widest = max(widest, text_width(token, size, bold=bold))
    return widest


def chunks(text: str) -> list[str]:
    """The text cut into pieces of about CHUNK characters, at line ends where it can,
    else at spaces; nothing is dropped."""
    if len(text) <= CHUNK:
        return [text]
    out: list[str] = []
    buffer: list[str] = []
    size = 0
    for line in text.split("\n"):
        while len(line) > CHUNK:
            cut = line.rfind(" ", 0, CHUNK)
            cut = cut + 1 if cut > CHUNK // 2 else CHUNK
            if buffer:
                out.append("\n".join(buffer))
                buffer, size = [], 0
            out.append(line[:cut])
            line = line[cut:]
        if size + len(line) > CHUNK and buffer:
            out.append("\n".join(buffer))
            buffer, size = [], 0
        buffer.append(line)
        size += len(line) + 1
    if buffer:
        out.append("\n".join(buffer))
    return out


class BidiParagraph(Paragraph):
    """A paragraph holding right-to-left text, broken into lines in logical order for the
    width it gets, then each line reordered for display; reportlab alone would reorder
    first and break after, so a wrapped Arabic name would start with its last word."""

    def __init__(
        self,
        text: Any,
        style: ParagraphStyle | None = None,
        bulletText: Any = None,
        frags: Any = None,
        *,
        logical: str | None = None,
        bold: bool = False,
        **kwargs: Any,
    ) -> None:
        self._logical = logical
        self._bold = bold
        self._laid_for: float | None = None
        if logical is not None:
            text = visual_markup(_visual_line(logical, first_strong_is_rtl(logical)), bold=bold)
        super().__init__(text, style, bulletText=bulletText, frags=frags, **kwargs)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._logical is not None and self._laid_for != availWidth:
            self._laid_for = availWidth
            rtl = first_strong_is_rtl(self._logical)
            style = self.style
            width = availWidth - style.leftIndent - style.rightIndent
            lines = [
                visual_markup(_visual_line(line, rtl), bold=self._bold)
                for paragraph in self._logical.split("\n")
                for line in _break(paragraph, width, style.fontSize, self._bold)
            ]
            if rtl and style.alignment == TA_LEFT:
                style = ParagraphStyle(style.name + "-rtl", parent=style, alignment=TA_RIGHT)
            logical, laid = self._logical, self._laid_for
            super().__init__("<br/>".join(lines), style)
            self._logical, self._laid_for = logical, laid
        return super().wrap(availWidth, availHeight)


def _visual_line(line: str, rtl: bool) -> str:
    marked = shape(mark_rtl_ends(line, ltr=not rtl))
    return get_display(marked, base_dir="R" if rtl else "L")


def _break(paragraph: str, width: float, size: float, bold: bool) -> list[str]:
    """Greedy breaking at spaces, measuring each word as it will print (shaped)."""
    words = paragraph.split(" ")  # a no-break space keeps its neighbors on one line
    space = stringWidth(" ", SANS, size)
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in words:
        need = text_width(shape(word), size, bold=bold)
        if current and used + space + need > width:
            lines.append(" ".join(current))
            current, used = [], 0.0
        used += (space if current else 0.0) + need
        current.append(word)
    lines.append(" ".join(current))
    return lines
