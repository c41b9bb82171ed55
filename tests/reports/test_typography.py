"""Line breaking and long text as a protocol office expects them: names, emails, dates and
words never split; Arabic lines in reading order; any length of text printed whole."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Paragraph

from desk.core.store import records
from desk.core.store.db import Database
from desk.reports.briefing.packet import build_briefing
from desk.reports.writers.layout import BidiParagraph, chunks
from desk.reports.writers.pdf import DeskDocument, Heading, data_table, para, paras
from tests.reports.conftest import folded, pdftotext


def _pdf(story: Callable[[DeskDocument], list[Flowable]], tmp_path: Path) -> str:
    """The story's text, read back from the PDF, without the page furniture."""
    buffer = io.BytesIO()
    doc = DeskDocument(buffer, title="t", header="HEADER", marking="", footer="FOOTER")
    doc.render(story(doc))
    path = tmp_path / "t.pdf"
    path.write_bytes(buffer.getvalue())
    return re.sub(r"\s*(FOOTER|HEADER|Page \d+ of \d+)\s*", " ", pdftotext(path))


def _lines(paragraph: Paragraph) -> list[str]:
    lines = paragraph.blPara.lines
    return ["".join(frag.text for frag in getattr(line, "words", [])) for line in lines]


ARABIC_WORDS = ["محمد", "بن", "راشد", "آل", "مكتوم", "حاكم", "دبي", "ونائب", "رئيس", "الدولة"]


def test_a_wrapped_arabic_paragraph_starts_with_its_first_words() -> None:
    doc = DeskDocument(io.BytesIO(), title="t", header="h", marking="", footer="f")
    text = " ".join(ARABIC_WORDS)
    paragraph = para(text, doc.styles["body"])
    assert isinstance(paragraph, BidiParagraph)
    paragraph.wrap(1.1 * inch, 1000)
    lines = _lines(paragraph)
    assert len(lines) >= 3
    # Each printed line, read right to left, holds the next words in reading order.
    read = [unicodedata.normalize("NFKC", line[::-1]).split() for line in lines]
    assert [word for line in read for word in line] == ARABIC_WORDS
    assert read[0][0] == "محمد"


def test_mixed_lines_keep_the_direction_of_their_first_words(tmp_path: Path) -> None:
    text = _pdf(
        lambda doc: [
            para("Meeting with فاطمة الزهراء & Co. on Monday", doc.styles["body"]),
            para("فاطمة الزهراء", doc.styles["body"]),
        ],
        tmp_path,
    )
    # (pdftotext regroups the neutral "&" with the Arabic when it reads the line back)
    assert "Meeting with" in text and "Co. on Monday" in text
    assert "فاطمة" in folded(text)


def test_names_emails_dates_and_words_stay_whole_in_narrow_columns(tmp_path: Path) -> None:
    row = ["渡辺 恵子", "lemaitre.48@example.org", "December 29, 2025", "Completed", "김민준"]
    heads = ["Name", "Email", "Date", "Status", "Korean"]

    def story(doc: DeskDocument) -> list:
        return data_table(doc.styles, heads, [row], [0.4, 0.4, 0.4, 0.4, 5.2])

    text = _pdf(story, tmp_path)
    for token in ("渡辺", "恵子", "lemaitre.48@example.org", "December", "Completed", "김민준"):
        assert token in text, token


def test_one_word_no_one_reads_as_a_word_does_not_shrink_the_table(tmp_path: Path) -> None:
    """A link pasted whole into a gift's description breaks where its line ends; the
    other rows keep the table's type size, and the text comes back whole."""
    from desk.reports.writers.pdf import fit_columns

    link = "https://example.org/" + "x" * 280
    rows = [["Gift", "Description"], ["Vase", link], ["Book", "A history of the port"]]
    _widths, size = fit_columns(rows, [1.5 * inch, 5.3 * inch], 9)
    assert size == 9
    # An email, however narrow its column, still keeps its line to itself.
    email = "international.affairs@portmeridian.gov"
    _widths, size = fit_columns([["Email"], [email]], [0.5 * inch], 9)
    assert size < 9

    def story(doc: DeskDocument) -> list:
        return data_table(doc.styles, rows[0], rows[1:], [1.5, 5.3])

    assert link in "".join(_pdf(story, tmp_path).split())


def test_cjk_prose_still_breaks_between_characters(tmp_path: Path) -> None:
    prose = "松江市との姉妹都市提携は一九七二年に始まり、文化と教育の交流が続いている。" * 4
    doc = DeskDocument(io.BytesIO(), title="t", header="h", marking="", footer="f")
    paragraph = para(prose, doc.styles["body"])
    _width, height = paragraph.wrap(2 * inch, 1000)
    assert height > 4 * doc.styles["body"].leading  # it wrapped instead of overflowing


def test_an_emoji_after_cjk_text_prints(tmp_path: Path) -> None:
    text = _pdf(lambda doc: [para("中文 😀 D", doc.styles["body"])], tmp_path)
    assert "😀" in text and "中文" in text


def test_huge_cells_and_names_print_whole(tmp_path: Path) -> None:
    name = "Wolfeschlegelsteinhausenbergerdorff" * 57  # 1,995 characters, one word
    diet = "No shellfish, no pork, no alcohol in sauces; " * 111  # about 5,000 characters

    def story(doc: DeskDocument) -> list:
        return data_table(doc.styles, ["Name", "Diet"], [[name, diet]], [2.0, 4.8])

    text = "".join(_pdf(story, tmp_path).split())
    assert name in text
    assert "".join(diet.split()) in text
    assert "(continuedinnote1below)" in text and "Note2(Diet," in text


def test_long_text_is_cut_into_paragraphs_without_losing_a_character() -> None:
    text = ("word " * 5000) + "\n" + ("x" * 9000) + "\nlast line"
    pieces = chunks(text)
    assert len(pieces) > 3
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")
    doc = DeskDocument(io.BytesIO(), title="t", header="h", marking="", footer="f")
    assert len(paras(text, doc.styles["body"])) == len(pieces)


def test_hundreds_of_kilobytes_of_notes_print_whole(db: Database, tmp_path: Path) -> None:
    notes = "".join(f"Line {n}: port logistics and youth exchange.\n" for n in range(8000))
    visit = records.create(
        db, "visit", {"title": "Long notes", "direction": "outgoing", "notes": notes}
    ).id
    out = tmp_path / "long.pdf"
    build_briefing(db, visit, out)
    text = pdftotext(out)
    assert "Line 0:" in text and "Line 7999: port logistics" in text
    assert "Contents" in text  # long enough for a contents page, laid out in one pass


def _drawn(paragraph: Paragraph) -> list[list[tuple[str, str]]]:
    """Each line of a laid-out paragraph as (font, text) pieces, left to right."""
    laid = paragraph.blPara
    if laid.kind == 0:  # one font throughout: each line is (spare width, words)
        font = laid.fontName
        return [[(font, " ".join(words))] for _spare, words in laid.lines]
    return [[(frag.fontName, frag.text) for frag in line.words] for line in laid.lines]


def _text(paragraph: Paragraph) -> list[str]:
    return ["".join(text for _font, text in line) for line in _drawn(paragraph)]


def test_hebrew_is_laid_out_right_to_left() -> None:
    doc = DeskDocument(io.BytesIO(), title="t", header="h", marking="", footer="f")
    alone = para("ירושלים", doc.styles["body"])
    alone.wrap(3 * inch, 1000)
    assert _text(alone) == ["םילשורי"]  # drawn from the right: the first letter rightmost
    mixed = para("Visit ירושלים today", doc.styles["body"])
    mixed.wrap(5 * inch, 1000)
    assert _text(mixed)[0].replace("\u200e", "") == "Visit םילשורי today"


def test_arabic_is_still_shaped_with_its_vowel_marks() -> None:
    doc = DeskDocument(io.BytesIO(), title="t", header="h", marking="", footer="f")
    paragraph = para("مُحَمَّد مدينة", doc.styles["body"])
    paragraph.wrap(3 * inch, 1000)
    line = _text(paragraph)[0]
    assert "\ufee3" in line  # meem in its initial (joined) form
    assert "\u064f" in line and "\u0651" in line  # damma and shadda, as typed


def test_invisible_marks_print_in_a_font_that_shows_nothing() -> None:
    """The Arabic font draws a picture of a left-to-right mark; those desk adds where a
    right-to-left run ends print in the sans font, which draws nothing."""
    doc = DeskDocument(io.BytesIO(), title="t", header="h", marking="", footer="f")
    for paragraph in (
        para("Layla (ليلى), Fez and شكراً", doc.styles["body"]),
        Heading("Partners: مدينة فاس (Fez)", 0, doc.styles["H1"]),
    ):
        paragraph.wrap(6 * inch, 1000)
        pieces = [piece for line in _drawn(paragraph) for piece in line]
        marks = [font for font, text in pieces if re.search("[\u200e\u200f]", text)]
        assert marks, "no mark where a right-to-left run ends"
        for font, text in pieces:
            if font.startswith("DeskArabic"):
                assert not re.search("[\u200b-\u200f]", text), text
