"""A filled letter as PDF: by LibreOffice where it is installed (the template's own
letterhead, fonts and layout, as Word would print it), else laid out by desk from the
same filled text (its paragraphs, their alignment and weight, the letterhead's lines)
with desk's shipped fonts and escaping. Nothing needs LibreOffice; the result says
which made the PDF."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from desk.core.errors import DeskError
from desk.core.paths import cache_dir, resource_path
from desk.reports.writers.layout import BidiParagraph
from desk.reports.writers.text import RTL_LETTER, clean

OFFICE = "LibreOffice"
DESK = "desk"
ENGINES = ("auto", "libreoffice", "desk")
# A conversion that takes longer has hung (a first start on a slow disk takes ~20 s).
TIMEOUT_SECONDS = 180


@dataclass(frozen=True)
class Pdf:
    data: bytes
    made_by: str  # OFFICE or DESK
    note: str = ""  # why LibreOffice was not used, where it was wanted


def soffice() -> Path | None:
    """LibreOffice's program, where it is installed with its word processor (a server's
    LibreOffice may hold the spreadsheet alone, and cannot read a Word file)."""
    candidates = [
        Path(found) for name in ("soffice", "libreoffice") if (found := shutil.which(name))
    ]
    candidates.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
    for root in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
        if root:
            candidates.append(Path(root) / "LibreOffice" / "program" / "soffice.exe")
    for candidate in candidates:
        if candidate.is_file() and _has_writer(candidate):
            return candidate
    return None


def _has_writer(program: Path) -> bool:
    """Whether Writer's library is beside the program (libswlo.so, libswlo.dylib,
    swlo.dll); on macOS the libraries are in the bundle's Frameworks folder."""
    real = program.resolve()
    for folder in (real.parent, real.parent.parent / "Frameworks"):
        try:
            if any(p.name.startswith(("libswlo.", "swlo.")) for p in folder.iterdir()):
                return True
        except OSError:
            continue
    return False


def to_pdf(docx: bytes, engine: str = "auto") -> Pdf:
    if engine not in ENGINES:
        raise DeskError(f"A PDF is made by {', '.join(ENGINES)}, not {engine!r}.")
    note = ""
    if engine in ("auto", "libreoffice"):
        program = soffice()
        if program is None:
            if engine == "libreoffice":
                raise DeskError(
                    "LibreOffice with its word processor (Writer) is not installed here; leave "
                    "out --pdf-with to have desk lay the PDF out."
                )
            note = "LibreOffice with its word processor is not installed"
        else:
            try:
                return Pdf(_by_office(program, docx), OFFICE)
            except DeskError as exc:
                if engine == "libreoffice":
                    raise
                note = str(exc)
    return Pdf(desk_pdf(docx), DESK, note)


def _fonts_config(folder: Path) -> Path:
    """A fontconfig file with the system's fonts and desk's own, so names in Chinese,
    Japanese, Korean and Arabic print on a machine that has no such fonts of its own
    (read on Linux; elsewhere LibreOffice uses the system's fonts)."""
    system = Path("/etc/fonts/fonts.conf")
    cache = cache_dir() / "fontconfig"
    cache.mkdir(parents=True, exist_ok=True)
    include = f'<include ignore_missing="yes">{system}</include>' if system.exists() else ""
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
        f"{include}<dir>{_xml(str(resource_path('fonts')))}</dir>"
        f"<cachedir>{_xml(str(cache))}</cachedir></fontconfig>\n",
        "utf-8",
    )
    return config


def _xml(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


def _by_office(program: Path, docx: bytes) -> bytes:
    with tempfile.TemporaryDirectory(prefix="desk-letter-") as temporary:
        folder = Path(temporary)
        source = folder / "letter.docx"
        source.write_bytes(docx)
        out = folder / "out"
        environment = dict(os.environ)
        if sys.platform.startswith("linux"):
            environment["FONTCONFIG_FILE"] = str(_fonts_config(folder))
        command = [
            str(program),
            # A profile of its own: runs at once never collide, and a person's open
            # LibreOffice is left alone.
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out),
            str(source),
        ]
        try:
            ran = subprocess.run(
                command,
                capture_output=True,
                stdin=subprocess.DEVNULL,
                timeout=TIMEOUT_SECONDS,
                env=environment,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise DeskError(
                f"LibreOffice did not finish within {TIMEOUT_SECONDS} seconds"
            ) from None
        except OSError as exc:
            raise DeskError(f"LibreOffice could not be started ({exc})") from None
        made = out / "letter.pdf"
        if ran.returncode != 0 or not made.is_file() or made.stat().st_size == 0:
            said = (ran.stderr or ran.stdout or b"").decode("utf-8", "replace").strip()
            raise DeskError(f"LibreOffice made no PDF ({said[-300:] or f'exit {ran.returncode}'})")
        return made.read_bytes()


# -- desk's own layout -------------------------------------------------------------------------

_ALIGN: dict[str, Literal[0, 1, 2, 4]] = {
    "CENTER": 1,
    "RIGHT": 2,
    "JUSTIFY": 4,
    "BOTH": 4,
    "DISTRIBUTE": 4,
}
# desk's sans face runs wider than a letter's serif: a little smaller, the same lines.
_SCALE = 0.92


def desk_pdf(docx: bytes) -> bytes:
    """The filled document's text laid out on letter pages: each letter (a section) on a
    page of its own, under the lines of its first-page letterhead."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.table import Table as WordTable
    from docx.text.paragraph import Paragraph as WordParagraph
    from reportlab.lib.pagesizes import LETTER
    from reportlab.platypus import HRFlowable, PageBreak, SimpleDocTemplate

    from desk.reports.writers.fonts import SANS, register
    from desk.reports.writers.pdf import RULE

    register()
    document = Document(io.BytesIO(docx))
    section = document.sections[0]
    first_header = (
        section.first_page_header if section.different_first_page_header_footer else section.header
    )
    # A header "linked to the previous section" in the first section is none at all (and
    # asking for its paragraphs would make one).
    letterhead = (
        []
        if first_header.is_linked_to_previous
        else [p for p in first_header.paragraphs if p.text.strip()]
    )
    left = _points(section.left_margin, 72.0)
    # Less the frame's own padding (6 pt a side), which the page's paragraphs keep too.
    width = _points(section.page_width, LETTER[0]) - left - _points(section.right_margin, 72.0) - 12
    story: list[Any] = []

    def start_letter() -> None:
        story.extend(_flowable(p, width) for p in letterhead)
        if letterhead:
            story.append(HRFlowable(width="100%", thickness=0.6, color=RULE, spaceAfter=6))

    start_letter()
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            story.append(_flowable(WordParagraph(child, document._body), width))
            if child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
                story.append(PageBreak())
                start_letter()
        elif child.tag == qn("w:tbl"):
            story.append(_table(WordTable(child, document._body), width))
    out = io.BytesIO()
    pdf = SimpleDocTemplate(
        out,
        pagesize=LETTER,
        leftMargin=left,
        rightMargin=_points(section.right_margin, 72.0),
        # The letterhead is drawn in the page's text, where Word draws it in the header.
        topMargin=_points(section.header_distance, 36.0),
        bottomMargin=_points(section.bottom_margin, 72.0),
        title=document.core_properties.title or "Letter",
        author=document.core_properties.author or "",
        creator="desk",
        # Else reportlab opens each page in Helvetica, an unembedded standard font.
        initialFontName=SANS,
        initialFontSize=11,
    )
    pdf.build(story)
    return out.getvalue()


def _points(length: Any, default: float) -> float:
    return float(length.pt) if length is not None else default


def _inherited(paragraph: Any, name: str) -> Any:
    """A paragraph's format setting, else its style's, else the style it is based on."""
    value = getattr(paragraph.paragraph_format, name)
    style = paragraph.style
    while value is None and style is not None:
        value = getattr(style.paragraph_format, name)
        style = style.base_style
    return value


def _size(paragraph: Any) -> float:
    sizes = [r.font.size.pt for r in paragraph.runs if r.font.size is not None and r.text.strip()]
    if sizes:
        return float(max(sizes))
    style = paragraph.style
    while style is not None:
        if style.font.size is not None:
            return float(style.font.size.pt)
        style = style.base_style
    return 11.0


def _style(paragraph: Any, *, indent: float = 0.0) -> Any:
    from reportlab.lib.styles import ParagraphStyle

    from desk.reports.writers.fonts import SANS
    from desk.reports.writers.pdf import INK

    size = min(max(_size(paragraph) * _SCALE, 7.0), 20.0)
    alignment = paragraph.alignment
    return ParagraphStyle(
        "letter",
        fontName=SANS,
        fontSize=size,
        leading=size * 1.3,
        textColor=INK,
        alignment=_ALIGN.get(alignment.name if alignment is not None else "", 0),
        spaceBefore=_points(_inherited(paragraph, "space_before"), 0.0),
        spaceAfter=_points(_inherited(paragraph, "space_after"), 0.0),
        leftIndent=indent,
    )


def _bold(paragraph: Any) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    return bool(runs) and all(
        r.bold or (r.bold is None and r.style is not None and r.style.font.bold) for r in runs
    )


def _flowable(paragraph: Any, width: float) -> Any:
    """One paragraph: escaped, in desk's fonts; 'Label:<tab>value' set as two columns at
    the paragraph's tab stop, as Word sets it."""
    from reportlab.platypus import Spacer, Table, TableStyle

    from desk.reports.writers.pdf import para

    style = _style(paragraph)
    text = paragraph.text
    if not text.strip():
        return Spacer(1, style.leading + style.spaceBefore + style.spaceAfter)
    left = _points(_inherited(paragraph, "left_indent"), 0.0)
    first = left + _points(_inherited(paragraph, "first_line_indent"), 0.0)
    bold = _bold(paragraph)
    if "\t" not in text:
        style.leftIndent, style.firstLineIndent = left, first - left
        if RTL_LETTER.search(clean(text)) and not _right_to_left(paragraph):
            return _AlignedAsWritten(clean(text), style, bold=bold)
        return para(text, style, bold=bold)
    label, _tab, value = text.partition("\t")
    stops = [float(s.position.pt) for s in paragraph.paragraph_format.tab_stops]
    column = next((s for s in stops if s > first), left if left > first else first + 108.0)
    cells: list[Any] = [
        para(label, style, bold=bold),
        para(value.replace("\t", " "), style, bold=bold),
    ]
    widths = [column - first, max(width - column, 36.0)]
    if first > 0:
        cells, widths = ["", *cells], [first, *widths]
    table = Table([cells], colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), style.spaceAfter),
            ]
        )
    )
    return table


def _right_to_left(paragraph: Any) -> bool:
    """Whether Word sets the paragraph right to left (its own w:bidi), as opposed to a
    left-to-right paragraph that holds right-to-left text (a name in Arabic in the
    address), which Word aligns as the paragraph says."""
    from docx.oxml.ns import qn

    found = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:bidi')}")
    return found is not None and found.get(qn("w:val"), "1") not in ("0", "false", "off")


class _AlignedAsWritten(BidiParagraph):
    """Right-to-left text in a left-to-right paragraph, kept at the paragraph's own
    alignment: desk's right-to-left paragraph turns a left-aligned one to the right, as a
    right-to-left document would, where Word leaves it where the paragraph says."""

    def __init__(self, text: str, style: Any, *, bold: bool) -> None:
        super().__init__(None, style, logical=text, bold=bold)
        self._kept = style.alignment

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        size = super().wrap(availWidth, availHeight)
        if self.style.alignment != self._kept:
            from reportlab.lib.styles import ParagraphStyle

            self.style = ParagraphStyle(
                self.style.name + "-as-written", parent=self.style, alignment=self._kept
            )
        return size


def _table(table: Any, width: float) -> Any:
    """A table of the template's (an office's layout of a delegate's details): its cells'
    text, row by row."""
    from reportlab.platypus import Spacer, Table, TableStyle

    rows = [
        [[_flowable(p, width) for p in cell.paragraphs if p.text.strip()] for cell in row.cells]
        for row in table.rows
    ]
    if not rows or not rows[0]:
        return Spacer(0, 0)
    columns = max(len(r) for r in rows)
    rows = [r + [[]] * (columns - len(r)) for r in rows]
    shown = Table(rows, colWidths=[width / columns] * columns, hAlign="LEFT")
    shown.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return shown
