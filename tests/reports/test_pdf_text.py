"""Text in a desk PDF is text: what a PDF reader extracts (search, copy, pdftotext) is
what was typed, in every script, in reading order; the page still shows Arabic joined
and right-to-left text from the right."""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.platypus import Flowable

from desk.core.store import records
from desk.core.store.db import Database
from desk.reports.briefing.packet import build_briefing
from desk.reports.writers.fonts import read_back
from desk.reports.writers.pdf import DeskDocument, Heading, data_table, para
from tests.reports.conftest import pdftotext, qpdf_check

# Marks an extractor adds to say which way a run reads (poppler wraps each right-to-left
# run in RLE ... PDF) and the marks desk draws where one ends; none of them was typed.
_DIRECTION_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# What the finding was: Arabic extracted as shaped glyphs (U+FExx), not as letters.
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")

FES = "مدينة فاس"
NAMES = [
    FES,
    "ירושלים",
    "台南市",
    "松江市",
    "전주시",
    "Иркутск",
    "Đặng Văn Thành",
    "Zoë Müller",
    "Ødegård",
    "Nguyễn Thị Hương",
]
MIXED = (
    f"Sister cities {FES} and ירושלים meet 台南市, 松江市, 전주시 and Иркутск; "
    "Mayor Đặng Văn Thành greets Zoë Müller and Ødegård"
)
ARABIC_WORDS = "محمد بن راشد آل مكتوم حاكم دبي ونائب رئيس الدولة"


def _typed(text: str) -> str:
    """Text as compared: NFC, without direction marks, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", _DIRECTION_MARKS.sub("", text)).split())


def _extract(path: Path) -> str:
    """The PDF's text as a reader gets it: poppler's pdftotext, else pypdf."""
    if shutil.which("pdftotext"):
        return pdftotext(path)
    pypdf = pytest.importorskip("pypdf", reason="neither pdftotext nor pypdf is installed")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def _render(story: Callable[[DeskDocument], list[Flowable]], tmp_path: Path) -> Path:
    buffer = io.BytesIO()
    doc = DeskDocument(buffer, title="t", header="Header", marking="", footer="Footer")
    doc.render(story(doc))
    path = tmp_path / "t.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def _english(doc: DeskDocument) -> list[Flowable]:
    """Enough English for poppler to read the page left to right, as a packet's pages."""
    line = "The delegation discussed port logistics and youth exchange."
    return [para(line, doc.styles["body"]) for _ in range(12)]


def _story(doc: DeskDocument) -> list[Flowable]:
    body = doc.styles["body"]
    story: list[Flowable] = [
        Heading(f"Partners: {FES}", 0, doc.styles["H1"]),
        para(MIXED, body),
        *(para(name, body) for name in NAMES),
        # Wrapped over several lines: broken in reading order, each line reordered.
        para(" ".join([ARABIC_WORDS] * 3), body),
        *data_table(doc.styles, ["Name", "City"], [[name, FES] for name in NAMES], [3.4, 3.4]),
    ]
    return story + _english(doc)


def test_names_in_every_script_read_back_as_typed(tmp_path: Path) -> None:
    path = _render(_story, tmp_path)
    raw = _extract(path)
    assert not _PRESENTATION_FORMS.search(raw), "Arabic came back as shaped glyphs"
    text = _typed(raw)
    for name in NAMES:
        assert name in text, name
    assert MIXED in text  # the whole line, in the order it was typed
    assert f"Partners: {FES}" in text  # a heading, laid out run by run
    # The wrapped paragraph: every word, in reading order.
    words = text.split()
    start = words.index("محمد")
    assert words[start : start + 30] == ARABIC_WORDS.split() * 3
    qpdf_check(path)


def test_decomposed_accents_read_back_as_typed(tmp_path: Path) -> None:
    """A name typed with combining accents (as some keyboards and macOS file names
    give it) compares equal once both are composed."""
    decomposed = unicodedata.normalize("NFD", "Zoë Đặng Nguyễn")
    path = _render(
        lambda doc: [para(f"Guests: {decomposed} and others", doc.styles["body"])], tmp_path
    )
    assert "Guests: Zoë Đặng Nguyễn and others" in _typed(_extract(path))


def test_what_poppler_reads_keeps_brackets_ligatures_and_vowel_marks(tmp_path: Path) -> None:
    """poppler reverses each right-to-left run it finds together with the neutral
    characters after it, and spreads a ligature's letters left to right before it does:
    a name in brackets, lam-alef, the Allah ligature and vowel marks come back typed."""
    lines = [
        "Layla Al-Mansouri (ليلى المنصوري), Mayor, City of Fez",
        "Fez (فاس)",
        "Greeting: السلام عليكم and لا شكر على واجب",
        "Guest: عبد الله بن علي",
        "Vocalized: مُحَمَّد عَلِيّ and شكراً",
        "Hebrew: שָׁלוֹם ירושלים (Jerusalem)",
    ]
    # A line that starts right to left: where most of the page runs left to right,
    # poppler reads it left to right too, so only its words come back whole.
    rtl_first = "جداً شكراً (thanks) ليلى"
    path = _render(
        lambda doc: [para(line, doc.styles["body"]) for line in [*lines, rtl_first]], tmp_path
    )
    text = _typed(pdftotext(path))
    for line in lines:
        assert unicodedata.normalize("NFC", line) in text, line
    for word in ("جداً", "شكراً", "ليلى", "thanks"):
        assert word in text, word
    # Among a page of English too: poppler reads a page in the direction most of it runs.
    path = _render(
        lambda doc: [*(para(line, doc.styles["body"]) for line in lines), *_english(doc)],
        tmp_path,
    )
    text = _typed(pdftotext(path))
    for line in lines:
        assert unicodedata.normalize("NFC", line) in text, line


def test_a_packet_reads_back_native_names_as_typed(db: Database, tmp_path: Path) -> None:
    visit = records.create(
        db, "visit", {"title": "Delegation from Fez", "direction": "incoming"}
    ).id
    natives = {
        ("Al-Mansouri", "Layla"): "ليلى المنصوري",
        ("Levi", "Noa"): "נועה לוי",
        ("Chen", "Mei"): "陳美玲",
        ("Tanaka", "Yui"): "田中結衣",
        ("Kim", "Min-jun"): "김민준",
        ("Ivanova", "Olga"): "Ольга Иванова",
        ("Dang", "Thanh"): "Đặng Văn Thành",
    }
    for (family, given), native in natives.items():
        contact = records.create(
            db, "contact", {"family_name": family, "given_name": given, "name_native": native}
        ).id
        records.create(db, "participant", {"visit_id": visit, "contact_id": contact})
    out = tmp_path / "packet.pdf"
    build_briefing(db, visit, out)
    raw = _extract(out)
    assert not _PRESENTATION_FORMS.search(raw)
    text = _typed(raw)
    for native in natives.values():
        assert native in text, native
    qpdf_check(out)


def test_shaped_glyphs_read_back_as_their_letters() -> None:
    assert read_back(0xFEE3) == "\u0645"  # meem, initial form
    assert read_back(0xFE94) == "\u0629"  # teh marbuta, final form
    # One glyph for two letters, drawn in a right-to-left run: stored as the run is drawn.
    assert read_back(0xFEFB) == "\u0627\u0644"  # lam-alef
    assert read_back(0xFDF2) == "\u0647\u0644\u0644\u0627"  # the Allah ligature
    assert read_back(0xFE70) == "\ufe70"  # a spacing vowel mark stays itself
    assert read_back(ord("é")) == "é"
    assert read_back(0x1F600) == "😀"
