"""The document frame every desk PDF shares: styles, header and footer, a table of
contents with outline bookmarks, and "Page N of M".

"Page N of M" comes from a zero-size indexing flowable that multiBuild re-runs until the
page count is stable; the popular deferred-showPage canvas recipe would send every
bookmark to page 1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import (
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import BaseDocTemplate, IndexingFlowable
from reportlab.platypus.tableofcontents import TableOfContents

from desk.core.disk.files import check_output_path, safe_write, verify_pdf
from desk.core.domain import dates
from desk.reports.writers.fonts import SANS, SANS_BOLD, register
from desk.reports.writers.layout import BidiParagraph, chunks, is_cjk_prose, widest_token
from desk.reports.writers.text import RTL_LETTER, clean, has_cjk, markup, plain

INK = colors.HexColor("#1f2a37")
ACCENT = colors.HexColor("#1d4e89")
MARKING_RED = colors.HexColor("#a11d2b")
RULE = colors.HexColor("#c9d1db")
SHADE = colors.HexColor("#eef2f7")


def styles() -> dict[str, ParagraphStyle]:
    register()
    base = ParagraphStyle("body", fontName=SANS, fontSize=9.5, leading=12.5, textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "cell_head": ParagraphStyle(
            "cell_head",
            parent=base,
            fontName=SANS_BOLD,
            fontSize=8.5,
            leading=10.5,
            textColor=colors.white,
        ),
        # Headings and labels stay on the page of what they introduce.
        "label": ParagraphStyle(
            "label",
            parent=base,
            fontName=SANS_BOLD,
            fontSize=8.5,
            leading=10.5,
            textColor=ACCENT,
            keepWithNext=1,
        ),
        "H1": ParagraphStyle(
            "H1",
            parent=base,
            fontName=SANS_BOLD,
            fontSize=16,
            leading=20,
            spaceBefore=6,
            spaceAfter=8,
            textColor=ACCENT,
            keepWithNext=1,
        ),
        "H2": ParagraphStyle(
            "H2",
            parent=base,
            fontName=SANS_BOLD,
            fontSize=11.5,
            leading=14.5,
            spaceBefore=10,
            spaceAfter=4,
            textColor=INK,
            keepWithNext=1,
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=SANS_BOLD,
            fontSize=26,
            leading=32,
            alignment=TA_CENTER,
            textColor=ACCENT,
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=13, leading=18, alignment=TA_CENTER
        ),
        "marking": ParagraphStyle(
            "marking",
            parent=base,
            fontName=SANS_BOLD,
            fontSize=11,
            leading=14,
            alignment=TA_CENTER,
            textColor=MARKING_RED,
        ),
        "toc1": ParagraphStyle("toc1", parent=base, fontSize=10, leading=15, leftIndent=0),
        "toc2": ParagraphStyle("toc2", parent=base, fontSize=9, leading=12, leftIndent=16),
    }


def para(text: object, style: ParagraphStyle, *, bold: bool = False) -> Paragraph:
    """A paragraph of user text, always escaped, broken only at spaces (CJK prose
    anywhere, as it is written without them); right-to-left text is broken into lines
    before it is reordered. For text that may be long, use `paras`."""
    plain_text = clean(text)
    if RTL_LETTER.search(plain_text):
        return BidiParagraph(None, style, logical=plain_text, bold=bold)
    if has_cjk(plain_text) and is_cjk_prose(plain_text):
        style = ParagraphStyle(style.name + "-cjk", parent=style, wordWrap="CJK")
    return Paragraph(markup(plain_text, bold=bold), style)


def paras(text: object, style: ParagraphStyle, *, bold: bool = False) -> list[Flowable]:
    """Any length of user text as paragraphs a page can hold; the layout time grows
    with the text's length, not its square."""
    return [para(piece, style, bold=bold) for piece in chunks(clean(text))]


class Heading(Paragraph):
    """A section (level 0) or sub-section (level 1) heading: it goes in the table of
    contents and in the PDF outline."""

    def __init__(
        self, text: object, level: int, style: ParagraphStyle, *, in_contents: bool = True
    ) -> None:
        super().__init__(markup(text, bold=True), style)
        self.level = level
        self.in_contents = in_contents
        self.outline_text = plain(text)
        self.toc_markup = markup(text)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []  # a heading moves to the next page whole


class PageCount(IndexingFlowable):
    """Zero-size; remembers the last page of the previous pass for "Page N of M"."""

    def __init__(self) -> None:
        super().__init__()
        self.total: int | None = None  # what the footers of the next pass print
        self._used: int | None = None  # what the footers of this pass printed
        self._seen: int | None = None  # the last page this pass reached
        self.width = self.height = 0

    def isSatisfied(self) -> bool:
        return self._used is not None and self._used == self._seen

    def beforeBuild(self) -> None:
        self._used = self.total
        self._seen = None

    def afterBuild(self) -> None:
        self.total = self._seen

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self._seen = self.canv.getPageNumber()


class KeepWithStart(KeepTogether):
    """What a heading's keepWithNext builds: a small group moves to the next page whole
    when it does not fit, as reportlab's own does; a long one (a day of thirty program
    items) starts where there is room and splits, instead of leaving most of a page
    blank."""

    ROOM = 1.3 * inch  # less than this left, and even a long group starts a new page
    SMALL = 4 * inch
    # Set by reportlab's KeepTogether (its __init__ and wrap); private, so not in its stubs.
    _content: list[Flowable]
    _H: float

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (availWidth, availHeight):
            self.wrap(availWidth, availHeight)
        if (
            self._H > availHeight >= self.ROOM
            and self._H > self.SMALL
            and self._starts(availWidth, availHeight)
        ):
            return list(self._content)
        return super().split(availWidth, availHeight)

    def _starts(self, width: float, height: float) -> bool:
        """Whether the headings and a first piece of what they introduce fit here."""
        *heads, last = self._content
        used = sum(f.wrapOn(self.canv, width, height)[1] for f in heads)
        room = height - used
        if room <= 0:
            return False
        # splitOn, not split: a flowable that splits through the canvas (the contents
        # table of a busy packet) has none of its own outside a frame.
        fits = last.wrapOn(self.canv, width, room)[1] <= room
        return fits or bool(last.splitOn(self.canv, width, room))


class CountedDocument(BaseDocTemplate):
    """A document desk writes, of any page size: its title as the file's, desk as its
    author, its pages opened in desk's font, headings kept with what they introduce,
    and the page count that 'Page N of M' reads (`render` lays it out twice for it)."""

    def __init__(self, target: Any, *, title: str, **kwargs: Any) -> None:
        super().__init__(
            target,
            title=title,
            author="desk",
            creator="desk",
            subject=title,
            # Else reportlab opens each page in Helvetica, an unembedded standard font.
            initialFontName=SANS,
            initialFontSize=9,
            **kwargs,
        )
        self.keepTogetherClass = KeepWithStart
        self.page_count = PageCount()

    def render(self, story: list[Any]) -> None:
        self.multiBuild([*story, self.page_count])


class DeskDocument(CountedDocument):
    """Letter pages with a marking header and a page-count footer."""

    def __init__(
        self, target: Any, *, title: str, header: str, marking: str, footer: str, **kwargs: Any
    ) -> None:
        super().__init__(
            target,
            title=title,
            pagesize=LETTER,
            leftMargin=0.8 * inch,
            rightMargin=0.8 * inch,
            topMargin=0.95 * inch,
            bottomMargin=0.8 * inch,
            **kwargs,
        )
        self.styles = styles()
        self.header_text = header
        self.marking = marking
        self.footer_text = footer
        self._bookmarks = 0
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    def _decorate(self, canvas: Any, doc: Any) -> None:
        canvas.saveState()
        width, height = self.pagesize
        top = height - 0.55 * inch
        if self.marking:
            mark = para(self.marking, self.styles["marking"], bold=True)
            _w, h = mark.wrap(width - 1.6 * inch, 0.5 * inch)
            mark.drawOn(canvas, 0.8 * inch, top - h + 12)
        header = para(self.header_text, self.styles["small"])
        _w, h = header.wrap(width - 1.6 * inch, 0.4 * inch)
        header.drawOn(canvas, 0.8 * inch, top - h - 6)
        canvas.setStrokeColor(RULE)
        canvas.line(0.8 * inch, top - h - 10, width - 0.8 * inch, top - h - 10)
        canvas.line(0.8 * inch, 0.62 * inch, width - 0.8 * inch, 0.62 * inch)
        small = self.styles["small"]
        footer = para(self.footer_text, small)
        footer.wrap(width - 3.2 * inch, 0.3 * inch)
        footer.drawOn(canvas, 0.8 * inch, 0.38 * inch)
        # The page count sits on the footer's (last) baseline, in the same size: a
        # paragraph's last line stands leading minus font size above its bottom.
        baseline = 0.38 * inch + small.leading - small.fontSize
        canvas.setFont(SANS, small.fontSize)
        canvas.setFillColor(INK)
        total = self.page_count.total
        canvas.drawRightString(
            width - 0.8 * inch, baseline, f"Page {doc.page} of {total if total else '…'}"
        )
        canvas.restoreState()

    def afterFlowable(self, flowable: Any) -> None:
        if isinstance(flowable, Heading):
            key = f"section-{self._bookmarks}"
            self._bookmarks += 1
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(
                flowable.outline_text, key, level=flowable.level, closed=False
            )
            if flowable.in_contents:
                self.notify("TOCEntry", (flowable.level, flowable.toc_markup, self.page, key))

    def beforeDocument(self) -> None:
        self._bookmarks = 0


def contents(doc: DeskDocument) -> TableOfContents:
    toc = TableOfContents()
    toc.levelStyles = [doc.styles["toc1"], doc.styles["toc2"]]
    toc.dotsMinLevel = 0
    toc.tableStyle = TableStyle(
        [("FONTNAME", (0, 0), (-1, -1), SANS), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    )
    return toc


def grid(
    rows: list[list[Any]], widths: list[float], *, header: bool = True, zebra: bool = True
) -> Flowable:
    """A table that splits across pages and repeats its header row; nothing at all when
    there is nothing to list (quick entry leaves most fields empty)."""
    if not rows or (header and len(rows) == 1):
        return Spacer(0, 0)
    # splitInRow: a cell taller than a page (800 characters of dietary needs) continues
    # on the next page instead of stopping the packet.
    table = Table(
        rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT", splitInRow=1
    )
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), SANS),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), ACCENT))
    if zebra:
        for n in range(1 if header else 0, len(rows), 2):
            commands.append(("BACKGROUND", (0, n), (-1, n), SHADE))
    table.setStyle(TableStyle(commands))
    return table


# A cell longer than this shows its start and continues in a note below the table: a
# row taller than a page is split again at every page, which grows with its square.
LONG_CELL = 1200
HEADER_CHARACTERS = 60
_CELL_PADDING = 12  # reportlab's default 6 pt either side
_SMALLEST_CELL_FONT = 6.5


def data_table(
    styles: dict[str, ParagraphStyle],
    headers: Sequence[str],
    body: Iterable[Sequence[object]],
    widths_in_inches: list[float],
) -> list[Flowable]:
    """A header row over rows of user text, each cell escaped and wrapped at spaces, then
    the notes that carry on cells too long for a table."""
    texts = [[clean(cell) for cell in row] for row in body]
    if not texts:
        return []
    notes: list[tuple[str, str, str]] = []
    for row in texts:
        # The note names its row by the row's first cell, shortened: "Diet, Sato Taro".
        row_name = " ".join(row[0].split()[:6])[:60] if row else ""
        for n, cell in enumerate(row):
            if len(cell) > LONG_CELL:
                cut = cell.rfind(" ", 0, LONG_CELL // 3)
                cut = cut if cut > LONG_CELL // 6 else LONG_CELL // 3
                notes.append((headers[n], row_name if n else "", cell))
                row[n] = f"{cell[:cut]} … (continued in note {len(notes)} below)"
    # A header repeats on every page and cannot split: user text in one (a place named
    # in a time column) is kept to a label's length.
    headers = [
        h if len(h) <= HEADER_CHARACTERS else h[: HEADER_CHARACTERS - 1] + "…" for h in headers
    ]
    cell_style, head_style = styles["cell"], styles["cell_head"]
    widths, size = fit_columns(
        [list(headers), *texts], [w * inch for w in widths_in_inches], cell_style.fontSize
    )
    if size < cell_style.fontSize:
        cell_style = ParagraphStyle(
            "cell-small", parent=cell_style, fontSize=size, leading=size * 1.25
        )
        head_style = ParagraphStyle(
            "cell_head-small", parent=head_style, fontSize=size, leading=size * 1.25
        )
    rows = [[para(h, head_style, bold=True) for h in headers]]
    rows += [[para(cell, cell_style) for cell in row] for row in texts]
    out: list[Flowable] = [grid(rows, widths)]
    for n, (column, row_name, text) in enumerate(notes, start=1):
        where = f"{column}, {row_name}" if row_name else column
        out += [Spacer(1, 4), para(f"Note {n} ({where})", styles["label"], bold=True)]
        out += paras(text, styles["body"])
    return out


def fact_table(
    styles: dict[str, ParagraphStyle],
    facts: Iterable[tuple[str, str]],
    label_width: float,
    width: float,
) -> list[Flowable]:
    """Label and value rows (empty values left out); a value too long for a table row
    starts there and continues in full below the table."""
    rows: list[list[Flowable]] = []
    after: list[Flowable] = []
    for caption, value in facts:
        text = clean(value)
        if not text:
            continue
        if len(text) > LONG_CELL:
            after += [Spacer(1, 4), para(caption, styles["label"], bold=True)]
            after += paras(text, styles["body"])
            text = f"{text[: LONG_CELL // 3]} … (continued below)"
        rows.append([para(caption, styles["label"], bold=True), para(text, styles["cell"])])
    if not rows:
        return []
    return [grid(rows, [label_width, width - label_width], header=False, zebra=False), *after]


def fit_columns(
    rows: list[list[str]], wanted: list[float], size: float
) -> tuple[list[float], float]:
    """Column widths (and a font size) at which no word, name, email or date has to
    break (the first row is the bold header): each column at least as wide as its widest
    token, the room taken from columns with some to spare; where even that cannot fit, a
    smaller font, down to 6.5 pt."""
    total = sum(wanted)
    while True:
        need = [
            max(
                (
                    widest_token(row[n], size, bold=index == 0)  # the header is bold
                    for index, row in enumerate(rows)
                    if n < len(row)
                ),
                default=0,
            )
            + _CELL_PADDING
            for n in range(len(wanted))
        ]
        if sum(need) <= total or size <= _SMALLEST_CELL_FONT:
            break
        size = max(_SMALLEST_CELL_FONT, size - 0.5)
    if sum(need) > total:  # some token is wider than a line: it will be split
        return wanted, size
    widths = list(wanted)
    short = [n for n in range(len(widths)) if widths[n] < need[n]]
    while short:
        deficit = sum(need[n] - widths[n] for n in short)
        for n in short:
            widths[n] = need[n]
        spare = {n: widths[n] - need[n] for n in range(len(widths)) if widths[n] > need[n]}
        pool = sum(spare.values())
        for n, room in spare.items():
            widths[n] -= deficit * room / pool
        short = [n for n in range(len(widths)) if widths[n] < need[n] - 0.01]
    return widths, size


def footer_line(office: str) -> str:
    """'Generated November 24, 2026 · Office of International Affairs · Port Meridian':
    one line beside the page count (page 1 says the time too)."""
    stamp = f"Generated {dates.month_day_year(dt.datetime.now())}"
    return stamp + (f" · {office}" if office else "")


T = TypeVar("T")


def make_pdf(
    out: Path | None,
    noun: str,
    read: Callable[[], T],
    lay_out: Callable[[T], bytes],
    progress: Callable[[int, int, str], None] | None = None,
) -> bytes:
    """A document's three steps, told to `progress`: read the records, lay them out,
    save atomically to `out` (checked first: the layout can take a while). Returns the
    PDF's bytes."""

    def step(done: int, message: str) -> None:
        if progress:
            progress(done, 3, message)

    if out is not None:
        check_output_path(out)
    step(0, "Reading the records")
    data = read()
    step(1, f"Laying out the {noun}")
    pdf = lay_out(data)
    step(2, "Saving")
    if out is not None:
        safe_write(out, pdf, verify=verify_pdf)
    step(3, "Done")
    return pdf
