"""The plain templates desk ships (`resources/letters/*.docx`), written from here so their
wording can be read and reviewed as text: `python -m desk.reports.letters.shipped` writes
them again. An office copies one, puts it on its letterhead in Word and saves it in its
own folder under the same name (docs/letters.md).

Each template is a U.S. business letter: the city's letterhead on the first page, a
short running head on the next, the date, the inside address, the salutation, the body,
the complimentary close and the signature block.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor
from docx.text.paragraph import Paragraph

from desk.core.disk.files import safe_write
from desk.reports.letters.templates import shipped_folder

FONT = "Times New Roman"
SIZE = Pt(12)
ACCENT = RGBColor(0x1D, 0x4E, 0x89)

# Parts of a letter every template shares.
DATE = "{{ date }}"
ADDRESS = ("{%p for line in recipient.address_lines %}", "{{ line }}", "{%p endfor %}")
SALUTATION = "{{ recipient.salutation }}"
SIGNATURE = ("{%p for line in signatory.lines %}", "{{ line }}", "{%p endfor %}")


def _base() -> WordDocument:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    section.left_margin = section.right_margin = Inches(1.1)
    section.top_margin, section.bottom_margin = Inches(0.9), Inches(0.9)
    section.header_distance = Inches(0.45)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = SIZE
    # The font for East Asian and right-to-left text is left to Word (and LibreOffice):
    # it picks one that has the script.
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    body = doc.styles.add_style("Letter Body", 1)
    body.base_style = normal
    body.paragraph_format.space_after = Pt(11)
    doc.core_properties.author = ""
    doc.core_properties.title = ""
    doc.core_properties.comments = ""
    _letterhead(doc)
    return doc


def _rule_below(paragraph: Paragraph) -> None:
    """A thin line under the letterhead."""
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "6"), ("w:color", "1D4E89")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    properties.append(borders)


def _page_number(paragraph: Paragraph) -> None:
    run = paragraph.add_run()
    begin, instruction, end = (
        OxmlElement("w:fldChar"),
        OxmlElement("w:instrText"),
        OxmlElement("w:fldChar"),
    )
    begin.set(qn("w:fldCharType"), "begin")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instruction)
    run._r.append(end)


def _letterhead(doc: WordDocument) -> None:
    """The city's name, office and place on the first page; a running head after it. Only
    the city's fields: the letters of one file share them."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    head = section.first_page_header
    lines = (
        ("{{ city.government }}", Pt(17), True),
        ("{{ city.office }}", Pt(11), False),
        ("{{ city.place }}", Pt(10), False),
    )
    paragraph = head.paragraphs[0]
    for n, (text, size, bold) in enumerate(lines):
        if n:
            paragraph = head.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.font.size, run.font.bold, run.font.color.rgb = size, bold, ACCENT
        run.font.small_caps = bold
    _rule_below(paragraph)
    later = section.header.paragraphs[0]
    later.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = later.add_run("{{ city.government }} · {{ date }} · Page ")
    run.font.size = Pt(9)
    _page_number(later)
    for run in later.runs:
        run.font.size = Pt(9)


def _line(
    doc: WordDocument, text: str = "", *, style: str = "Normal", bold: bool = False
) -> Paragraph:
    paragraph = doc.add_paragraph(style=style)
    if text:
        paragraph.add_run(text).bold = bold
    return paragraph


def _opening(doc: WordDocument, *, subject: str = "") -> None:
    _line(doc, DATE).paragraph_format.space_before = Pt(24)
    _line(doc)
    for text in ADDRESS:
        _line(doc, text)
    _line(doc)
    if subject:
        _line(doc, subject, style="Letter Body", bold=True)
    _line(doc, SALUTATION, style="Letter Body")


def _closing(doc: WordDocument, close: str = "Sincerely,") -> None:
    _line(doc, close)
    for _ in range(3):
        _line(doc)
    for text in SIGNATURE:
        _line(doc, text)


def _body(doc: WordDocument, *paragraphs: str) -> None:
    for text in paragraphs:
        if text.startswith("{%p"):
            _line(doc, text)
        else:
            _line(doc, text, style="Letter Body")


# Who leads our delegation, between commas: in the first person when they sign.
LED = (
    "{% if visit.lead_is_signatory %}, under my leadership,"
    "{% elif visit.lead %}, led by {{ visit.lead }},{% endif %}"
)


def invitation() -> WordDocument:
    doc = _base()
    _opening(doc)
    _body(
        doc,
        "{%p if visit.incoming %}",
        "On behalf of the people of {{ city.name }}, it is my great pleasure to invite you to "
        "lead a delegation from {{ partner.name }} to {{ city.name }}"
        "{% if visit.from_to %} {{ visit.from_to }}{% else %} at a time convenient to you"
        "{% endif %}.",
        "{% if partner.since %}{{ city.name }} and {{ partner.name }} have been "
        "{{ partner.tie }} since {{ partner.since }}, and your{% else %}Your{% endif %} visit "
        "would be a welcome opportunity to renew the ties between our cities and to explore "
        "new areas of cooperation.",
        "Our office will be glad to work with yours on the program, and to provide any letters "
        "your delegation needs for its travel. I look forward to welcoming you to "
        "{{ city.name }}.",
        "{%p else %}",
        "It is my pleasure to let you know that a delegation from {{ city.name }}"
        + LED
        + " plans to visit {{ visit.city or partner.name }}"
        "{% if visit.from_to %} {{ visit.from_to }}{% endif %}.",
        "{% if partner.since %}{{ city.name }} and {{ partner.name }} have been "
        "{{ partner.tie }} since {{ partner.since }}, and we{% else %}We{% endif %} would be "
        "honored to call on you during our stay. I warmly invite you and your colleagues to "
        "meet our delegation, at a time and place of your choosing.",
        "Our office will be in touch with yours about the program. I look forward to seeing "
        "you in {{ visit.city or partner.name }}.",
        "{%p endif %}",
    )
    _closing(doc)
    return doc


def visa() -> WordDocument:
    doc = _base()
    _opening(
        doc,
        subject="Re: Visa application of {{ delegate.name }}"
        "{% if delegate.passport_number %}, passport no. {{ delegate.passport_number }}"
        "{% endif %}",
    )
    _body(
        doc,
        "{%p if visit.incoming %}",
        "The {{ city.government }}{% if city.state %}, {{ city.state }},{% endif %} has "
        "invited an official delegation from {{ visit.city or partner.name }}"
        "{% if visit.lead %}, led by {{ visit.lead }},{% endif %} to visit our city"
        "{% if visit.from_to %} {{ visit.from_to }}{% endif %}. I am writing in support of "
        "the visa application of a member of that delegation:",
        "{%p else %}",
        "An official delegation of the {{ city.government }}{% if city.state %}, "
        "{{ city.state }}{% endif %}{% if visit.lead_is_signatory %}, under my leadership,"
        "{% elif visit.lead %}, led by {{ visit.lead }},{% elif city.state %},{% endif %} "
        "will visit {{ visit.city or partner.name }}{% if visit.from_to %} {{ visit.from_to }}"
        "{% if visit.host %},{% endif %}{% endif %}{% if visit.host %} at the invitation of "
        "{{ visit.host }}{% endif %}. I am writing in support of the visa application of a "
        "member of our delegation:",
        "{%p endif %}",
    )
    details = (
        ("Name", "{{ delegate.name }}", ""),
        ("Name in native script", "{{ delegate.name_native }}", "delegate.name_native"),
        (
            "Position",
            "{{ delegate.job_title }}{% if delegate.job_title and delegate.organization %}, "
            "{% endif %}{{ delegate.organization }}",
            "delegate.job_title or delegate.organization",
        ),
        ("Role in the delegation", "{{ delegate.role }}", "delegate.role"),
    )
    for label, value, shown_if in details:
        if shown_if:
            _line(doc, "{%p if " + shown_if + " %}")
        _detail(doc, f"{label}:\t{value}")
        if shown_if:
            _line(doc, "{%p endif %}")
    _line(doc, "{%p for detail in delegate.details %}")
    _detail(doc, "{{ detail.label }}:\t{{ detail.value }}")
    _line(doc, "{%p endfor %}")
    _line(doc)
    _body(
        doc,
        "The delegation's program consists of official meetings with "
        "{% if visit.incoming %}the {{ city.government }}{% else %}the city government of "
        "{{ visit.city or partner.name }}{% endif %} and its partners.",
        "We respectfully ask that you give this application your favorable consideration. "
        "Should you need further information, please contact "
        "{% if city.office %}the {{ city.office }} of {% endif %}the {{ city.government }}.",
    )
    _closing(doc)
    return doc


def _detail(doc: WordDocument, text: str) -> None:
    """'Label:<tab>value', the values in a column: a long one wraps under itself."""
    paragraph = _line(doc, text)
    paragraph.paragraph_format.left_indent = Inches(2.4)
    paragraph.paragraph_format.first_line_indent = Inches(-2.0)
    paragraph.paragraph_format.tab_stops.add_tab_stop(Inches(2.4), WD_TAB_ALIGNMENT.LEFT)


def thank_you() -> WordDocument:
    doc = _base()
    _opening(doc)
    met = "{% if met_on %} It was a pleasure to meet with you {{ met_on }}.{% endif %}"
    _body(
        doc,
        "{%p if visit.incoming %}",
        "{% if led %}Thank you for leading the delegation from {{ partner.name }} to "
        "{{ city.name }}{% else %}Thank you for visiting {{ city.name }} with the delegation "
        "from {{ partner.name }}{% endif %}{% if visit.from_to %} {{ visit.from_to }}"
        "{% endif %}." + met,
        "{%p else %}",
        "On behalf of our delegation, thank you for the warm welcome you gave us in "
        "{{ visit.city or partner.name }}{% if visit.from_to %} {{ visit.from_to }}"
        "{% endif %}." + met,
        "{%p endif %}",
        "Visits like this one are what keep the ties between {{ city.name }} and "
        "{{ partner.name }} strong. Our office will follow up with yours on what we "
        "discussed, and I look forward to our next meeting.",
    )
    _closing(doc)
    return doc


def national_day() -> WordDocument:
    doc = _base()
    _opening(doc)
    _body(
        doc,
        "On behalf of the people of {{ city.name }}, I extend my warmest congratulations to "
        "you and to the people of {{ partner.name }} on the occasion of "
        "{{ national_day.occasion }}, {{ national_day.day }}.",
        "{% if partner.since %}Since {{ partner.since }}, the friendship between "
        "{{ city.name }} and {{ partner.name }} has grown{% else %}The friendship between "
        "{{ city.name }} and {{ partner.name }} grows{% endif %} through the exchanges of our "
        "residents, students and businesses. I look forward to strengthening it further in "
        "the year ahead.",
        "Please accept my best wishes for the continued prosperity of {{ partner.name }} and "
        "the well-being of its people.",
    )
    _closing(doc, "With warm regards,")
    return doc


TEMPLATES: dict[str, Callable[[], WordDocument]] = {
    "invitation": invitation,
    "visa": visa,
    "thank-you": thank_you,
    "national-day": national_day,
}


def document_bytes(name: str) -> bytes:
    out = io.BytesIO()
    TEMPLATES[name]().save(out)
    return out.getvalue()


def write(folder: Path | None = None) -> list[Path]:
    target = folder or shipped_folder()
    written = []
    for name in TEMPLATES:
        path = target / f"{name}.docx"
        safe_write(path, document_bytes(name))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write():
        print(path)
