"""The shipped TrueType fonts, registered with reportlab once and embedded as subsets."""

from __future__ import annotations

import functools
import unicodedata

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from desk.core.paths import resource_path

SANS = "DeskSans"
SANS_BOLD = "DeskSans-Bold"
CJK = "DeskCJK"
ARABIC = "DeskArabic"
ARABIC_BOLD = "DeskArabic-Bold"
SYMBOLS = "DeskSymbols"

_FILES = {
    SANS: ("DejaVuSans.ttf", 0),
    SANS_BOLD: ("DejaVuSans-Bold.ttf", 0),
    CJK: ("wqy-microhei.ttc", 0),
    ARABIC: ("NotoSansArabic-Regular.ttf", 0),
    ARABIC_BOLD: ("NotoSansArabic-Bold.ttf", 0),
    SYMBOLS: ("Symbola.ttf", 0),
}


_SHAPED_FORMS = ("<initial>", "<medial>", "<final>", "<isolated>")


@functools.cache
def read_back(code: int) -> str:
    """The text a glyph stands for when the PDF is searched or copied. A shaped Arabic
    form (the initial meem, U+FEE3) is the letter it shapes (U+0645): extractors do not
    fold the forms, so "مدينة" typed into a viewer's search would never match. A
    ligature stands for its letters in reverse: it is drawn in a right-to-left run laid
    out in visual order, and an extractor (poppler) spreads one glyph's letters from
    left to right before it reverses the run, so lam-alef reads back as lam, alef."""
    char = chr(code)
    if not (0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF):
        return char
    if unicodedata.decomposition(char).partition(" ")[0] not in _SHAPED_FORMS:
        return char
    letters = unicodedata.normalize("NFKC", char)
    # The spacing forms of the vowel marks (a space and a mark) stay what they are.
    if not all(unicodedata.category(c).startswith("L") for c in letters):
        return char
    return letters[::-1]


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """Each glyph's text as `read_back` gives it, in UTF-16BE (reportlab writes each
    code point as four hex digits, so an emoji, U+1F600, would come back as U+1F60;
    the PDF wants surrogate pairs beyond the BMP)."""
    entries = []
    for index, code in enumerate(subset):
        hex_text = read_back(code).encode("utf-16-be", "surrogatepass").hex().upper()
        entries.append(f"<{index:02X}> <{hex_text}>")
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *entries,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


@functools.cache
def register() -> None:
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    for name, (filename, index) in _FILES.items():
        path = str(resource_path("fonts", filename))
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
    # <b> inside a run picks the bold face of the run's own family.
    for family, regular, bold in (
        (SANS, SANS, SANS_BOLD),
        (CJK, CJK, CJK),
        (ARABIC, ARABIC, ARABIC_BOLD),
    ):
        addMapping(family, 0, 0, regular)
        addMapping(family, 1, 0, bold)
        addMapping(family, 0, 1, regular)
        addMapping(family, 1, 1, bold)


@functools.cache
def covers(font: str, code_point: int) -> bool:
    register()
    face = pdfmetrics.getFont(font).face  # type: ignore[attr-defined]
    return code_point in face.charToGlyph
