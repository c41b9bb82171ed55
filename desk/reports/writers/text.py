"""User text into reportlab markup: escaped, each run of script in a font that has it,
Arabic shaped and right-to-left text in visual order. Whatever a person typed comes out
as that text, on the page and when the PDF is searched or copied (fonts.py maps each
shaped glyph back to the letters it stands for)."""

from __future__ import annotations

import functools
import re
import unicodedata
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi.algorithm import get_display

from desk.core.domain import dates
from desk.core.text.printable import CONTROL_PICTURES
from desk.reports.writers.fonts import ARABIC, ARABIC_BOLD, CJK, SANS, SANS_BOLD, SYMBOLS, covers

CJK_CHAR = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3130-\u318f"
    "\u3190-\u31ff\u3200-\u32ff\u3300-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f"
    "\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002fa1f]"
)
ARABIC_CHAR = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# The blocks of the scripts written right to left: Hebrew, Arabic, Syriac, Thaana, N'Ko
# and their neighbors, the presentation forms, and those beyond the first plane.
RTL_LETTER = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
RTL_SCRIPTS = frozenset({"arabic", "rtl"})


@functools.cache
def _printable_table() -> dict[int, str | None]:
    """One translation table for str.translate: control characters become their visible
    Unicode pictures (␇ for BEL); characters that steer layout rather than show (bidi
    overrides, zero-width spaces...) are dropped, as desk lays out right-to-left text
    itself and a stray override must not scramble a line. Joiners stay: they shape."""
    table: dict[int, str | None] = dict(CONTROL_PICTURES)
    # Format characters live in the first two planes and among the plane-14 tags.
    for code in (*range(0x20000), *range(0xE0000, 0xE1000)):
        if code not in (0x200C, 0x200D) and unicodedata.category(chr(code)) == "Cf":
            table[code] = None
    return table


def clean(text: object) -> str:
    """Plain text fit to print: controls made visible, layout-steering marks dropped."""
    if text is None:
        return ""
    raw = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return raw.translate(_printable_table())


@functools.cache
def _reshaper() -> arabic_reshaper.ArabicReshaper:
    # The vowel marks stay: they are part of what was typed, and the Arabic font places
    # each over its letter in visual order.
    return arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False})


def shape(text: str) -> str:
    """Arabic letters in the forms they take where they stand (initial, medial, final,
    joined lam-alef); other text unchanged."""
    return _reshaper().reshape(text) if ARABIC_CHAR.search(text) else text


def _script(ch: str) -> str | None:
    if CJK_CHAR.match(ch):
        return "cjk"
    if ARABIC_CHAR.match(ch):
        return "arabic"
    if RTL_LETTER.match(ch):
        return "rtl"  # Hebrew and the rest: printed in the sans font, reordered like Arabic
    code = ord(ch)
    if code > 0x7F and not covers(SANS, code) and covers(SYMBOLS, code):
        return "symbol"
    if ch.isalpha():
        return "latin"
    return None  # spaces, digits, punctuation: they join the run they sit in


def font_for(script: str, *, bold: bool = False) -> str:
    """The shipped font a run of that script prints in."""
    if script == "arabic":
        return ARABIC_BOLD if bold else ARABIC
    if script == "cjk":
        return CJK
    if script == "symbol":
        return SYMBOLS
    return SANS_BOLD if bold else SANS


def _neutral(ch: str, current: str) -> str | None:
    """A space, digit or sign stays in the run it sits in when that run's font has it;
    else it goes to a font that does (an emoji after CJK text: the CJK font has none)."""
    code = ord(ch)
    if code < 0x80 or covers(font_for(current), code):
        return None
    if covers(SANS, code):
        return "latin"
    return "symbol" if covers(SYMBOLS, code) else None


def runs(text: str) -> list[tuple[str, str]]:
    """Split into (script, text) runs; neutral characters stay with their neighbors."""
    out: list[tuple[str, str]] = []
    current = "latin"
    buffer = ""
    for ch in text:
        script = _script(ch)
        if script is None:
            script = _neutral(ch, current)
        if script is not None and script != current:
            if buffer:
                out.append((current, buffer))
            buffer, current = "", script
        buffer += ch
    if buffer:
        out.append((current, buffer))
    return _trim_rtl(out)


def _trim_rtl(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Neutral characters after the last right-to-left letter belong to what follows, not
    to the right-to-left run (else "فاطمة & x" would carry "& " into the reordered run)."""
    out: list[tuple[str, str]] = []
    for script, run in found:
        if script in RTL_SCRIPTS:
            last = max(i for i, ch in enumerate(run) if RTL_LETTER.match(ch))
            run, tail = run[: last + 1], run[last + 1 :]
            out.append((script, run))
            if tail:
                out.append(("latin", tail))
        elif out and out[-1][0] == "latin" and script == "latin":
            out[-1] = ("latin", out[-1][1] + run)
        else:
            out.append((script, run))
    return out


# Zero-width marks that tell a reader of the PDF where a right-to-left run ends; see
# mark_rtl_ends.
LRM, RLM = "\u200e", "\u200f"
_STRONG = frozenset({"L", "R", "AL", "EN", "AN"})
# A right-to-left word or more, with its vowel marks (Arabic and Hebrew marks are in
# their blocks; the general combining accents are not).
_RTL_STRETCH = re.compile(f"{RTL_LETTER.pattern}[{RTL_LETTER.pattern[1:-1]}\u0300-\u036f]*")


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Me")


def mark_rtl_ends(line: str, *, ltr: bool) -> str:
    """The line with invisible marks where its right-to-left runs end, so that a reader
    of the PDF (poppler: pdftotext, and the viewers built on it) gets the text back as
    typed. poppler reverses each right-to-left run of the text drawn in visual order,
    taking a run from a right-to-left letter to the next letter or digit that is not.
    So a run ending in a vowel mark ("جداً"), whose mark is drawn first, lost the mark
    to the text before it: a right-to-left mark after the run is drawn first instead.
    And in a left-to-right line the neutral characters after a run went into it
    ("Layla (ليلى)" came back as "Layla ()ليلى"): a left-to-right mark after the run
    ends it. Laid out, nothing moves: each mark takes the direction its place already
    has."""
    out: list[str] = []
    done = 0
    for stretch in _RTL_STRETCH.finditer(line):
        end = stretch.end()
        ahead = end
        while ahead < len(line) and unicodedata.bidirectional(line[ahead]) not in _STRONG:
            ahead += 1
        follows = unicodedata.bidirectional(line[ahead]) if ahead < len(line) else ""
        if follows in ("R", "AL"):
            continue  # the run goes on
        out.append(line[done:end])
        done = end
        # (Not before a European digit after Arabic: the digit would read as European
        # rather than Arabic, and a % or $ beside it could move.)
        arabic = ARABIC_CHAR.match(stretch.group())
        if _is_mark(line[end - 1]) and not (follows == "EN" and arabic):
            out.append(RLM)
        if ltr and ahead > end and follows in ("L", ""):
            out.append(LRM)
    out.append(line[done:])
    return "".join(out)


def _rtl_visual(text: str) -> str:
    # Keep surrounding spaces where they were; shape and reorder the words themselves.
    core = text.strip(" ")
    lead = text[: len(text) - len(text.lstrip(" "))]
    trail = text[len(text.rstrip(" ")) :]
    return lead + get_display(shape(mark_rtl_ends(core, ltr=False)), base_dir="R") + trail


def markup(text: object, *, bold: bool = False) -> str:
    """Paragraph markup for user text: escaped, fonts per script, line breaks kept; each
    right-to-left run shaped and reordered on its own (for text that stays on one line:
    a paragraph that wraps is laid out by layout.BidiParagraph)."""
    return _markup(clean(text), bold=bold, reorder=True)


def visual_markup(text: str, *, bold: bool = False) -> str:
    """Markup for a line already shaped and in display order."""
    return _markup(text, bold=bold, reorder=False)


# Characters that steer layout and show nothing: the Arabic font draws pictures of them
# (an arrow for a left-to-right mark), the sans font draws them as nothing at all.
_INVISIBLE = re.compile("([\u200b-\u200f\u2060-\u2064]+)")


def _tagged(text: str, font: str, bold: bool) -> str:
    body = escape(text).replace("\n", "<br/>").replace("\t", "&nbsp;" * 4)
    if font not in (ARABIC, ARABIC_BOLD) or not _INVISIBLE.search(body):
        return f'<font face="{font}">{body}</font>'
    sans = SANS_BOLD if bold else SANS
    return "".join(
        f'<font face="{sans if n % 2 else font}">{piece}</font>'
        for n, piece in enumerate(_INVISIBLE.split(body))
        if piece
    )


def _markup(text: str, *, bold: bool, reorder: bool) -> str:
    pieces = []
    found = runs(text)
    for n, (script, run) in enumerate(found):
        shown = run
        if script in RTL_SCRIPTS and reorder:
            shown = _rtl_visual(run)
            after = found[n + 1][1][0] if n + 1 < len(found) else ""
            if after and not after.isalnum():
                shown += LRM  # see mark_rtl_ends
        pieces.append(_tagged(shown, font_for(script, bold=bold), bold))
    return "".join(pieces)


def has_cjk(text: object) -> bool:
    return bool(text) and bool(CJK_CHAR.search(str(text)))


def plain(text: object) -> str:
    """For the PDF outline, which viewers lay out themselves: logical order, no markup."""
    return " ".join(clean(text).split())


NO_BREAK = "\u00a0"


def whole(text: str | None) -> str:
    """Text that must not break across lines (a date, a phone number, a time): its
    spaces made non-breaking."""
    return (text or "").replace(" ", NO_BREAK)


def table_date(value: str | None) -> str:
    """'April 8, 2025' on one line, for a table cell; empty stays empty."""
    return whole(dates.month_day_year(value)) if value else ""


def glimpse(text: str, limit: int = 400) -> str:
    """The start of a long text, cut at a space: page 1 is read in two minutes, and the
    whole text is printed in its own section."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + " … (in full inside)"
