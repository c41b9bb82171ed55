"""User text into reportlab markup: escaped, each run of script in a font that has it,
Arabic shaped and in visual order. Whatever a person typed comes out as that text."""

from __future__ import annotations

import re
import unicodedata
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi.algorithm import get_display

from desk.reports.fonts import ARABIC, ARABIC_BOLD, CJK, SANS, SANS_BOLD, SYMBOLS, covers

_CJK = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3130-\u318f"
    "\u3190-\u31ff\u3200-\u32ff\u3300-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f"
    "\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002fa1f]"
)
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# Characters that steer layout rather than show (bidi overrides, zero-width joiners...):
# desk lays out right-to-left text itself, so a stray override must not scramble a line.
_FORMAT = {"Cf"}


def _visible(ch: str) -> str:
    """Control characters become their visible Unicode pictures (␇ for BEL)."""
    code = ord(ch)
    if code < 0x20 and ch not in "\n\t":
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if 0x80 <= code < 0xA0:
        return "\ufffd"
    return ch


def clean(text: object) -> str:
    """Plain text fit to print: controls made visible, layout-steering marks dropped."""
    if text is None:
        return ""
    raw = str(text)
    return "".join(
        _visible(ch)
        for ch in raw.replace("\r\n", "\n").replace("\r", "\n")
        if unicodedata.category(ch) not in _FORMAT or ch in "\u200c\u200d"
    )


def _script(ch: str) -> str | None:
    if _CJK.match(ch):
        return "cjk"
    if _ARABIC.match(ch):
        return "arabic"
    code = ord(ch)
    if code > 0x7F and not covers(SANS, code) and covers(SYMBOLS, code):
        return "symbol"
    if ch.isalpha():
        return "latin"
    return None  # spaces, digits, punctuation: they join the run they sit in


def runs(text: str) -> list[tuple[str, str]]:
    """Split into (script, text) runs; neutral characters stay with their neighbours."""
    out: list[tuple[str, str]] = []
    current = "latin"
    buffer = ""
    for ch in text:
        script = _script(ch)
        if script is not None and script != current:
            if buffer:
                out.append((current, buffer))
            buffer, current = "", script
        buffer += ch
    if buffer:
        out.append((current, buffer))
    return _trim_arabic(out)


def _trim_arabic(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Neutral characters after the last Arabic letter belong to what follows, not to the
    right-to-left run (else "فاطمة & x" would carry "& " into the reordered run)."""
    out: list[tuple[str, str]] = []
    for script, run in found:
        if script == "arabic":
            last = max(i for i, ch in enumerate(run) if _ARABIC.match(ch))
            run, tail = run[: last + 1], run[last + 1 :]
            out.append(("arabic", run))
            if tail:
                out.append(("latin", tail))
        elif out and out[-1][0] == "latin" and script == "latin":
            out[-1] = ("latin", out[-1][1] + run)
        else:
            out.append((script, run))
    return out


def _arabic_visual(text: str) -> str:
    # Keep surrounding spaces where they were; shape and reorder the words themselves.
    core = text.strip(" ")
    lead = text[: len(text) - len(text.lstrip(" "))]
    trail = text[len(text.rstrip(" ")) :]
    return lead + get_display(arabic_reshaper.reshape(core)) + trail


def markup(text: object, *, bold: bool = False) -> str:
    """Paragraph markup for user text: escaped, fonts per script, line breaks kept."""
    pieces = []
    for script, run in runs(clean(text)):
        if script == "arabic":
            font = ARABIC_BOLD if bold else ARABIC
            body = escape(_arabic_visual(run))
        elif script == "cjk":
            font = CJK
            body = escape(run)
        elif script == "symbol":
            font = SYMBOLS
            body = escape(run)
        else:
            font = SANS_BOLD if bold else SANS
            body = escape(run)
        body = body.replace("\n", "<br/>").replace("\t", "&nbsp;" * 4)
        pieces.append(f'<font face="{font}">{body}</font>')
    return "".join(pieces)


def has_cjk(text: object) -> bool:
    return bool(text) and bool(_CJK.search(str(text)))


def plain(text: object) -> str:
    """For the PDF outline, which viewers lay out themselves: logical order, no markup."""
    return " ".join(clean(text).split())
