"""Filling a Word template: each letter's fields into the template's Jinja fields (with
the Word template engine), the letters of one file joined as sections of one document, so
each starts on a page of its own under the template's own letterhead.

The template runs sandboxed, with every field it names required to exist: a typo in an
office's template ("{{ recipient.nmae }}") is refused with the field named, never printed
as nothing. Values are escaped by `fields.Text`, so record text is printed, never run.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Mapping
from typing import Any

from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import OpcError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.runtime import missing
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from desk.core.errors import DeskError
from desk.reports.letters.data import Letter, Letters
from desk.reports.letters.fields import Text
from desk.reports.letters.templates import Template


class Fields(dict[str, Any]):
    """A group of fields ('recipient', 'visit'...) that knows its own name, so a field the
    template asks for and desk does not fill is named in full ('recipient.fax')."""

    def __init__(self, path: str, values: Mapping[str, Any]) -> None:
        super().__init__(values)
        self.path = path


class _Missing(StrictUndefined):
    """A field desk does not fill: any use of it stops the letter, naming it."""

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:  # the sandbox's own word on what it refused
            return str(self._undefined_hint)
        owner = self._undefined_obj
        name = str(self._undefined_name)
        if isinstance(owner, Fields):
            return f"{owner.path}.{name}"
        if owner is missing:
            return name
        return f"{name} (of {type(owner).__name__})"


def prepared(value: Any, path: str = "") -> Any:
    """The fields as the template receives them: text as `Text`, groups as `Fields`."""
    if isinstance(value, bool) or value is None:
        return bool(value) if value is not None else Text("")
    if isinstance(value, Mapping):
        return Fields(
            path, {k: prepared(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
        )
    if isinstance(value, list | tuple):
        return [prepared(v, f"{path}[{n}]") for n, v in enumerate(value)]
    return value if isinstance(value, Text) else Text(value)


def environment() -> SandboxedEnvironment:
    # Sandboxed: a template file is a document from a folder, not code; it may print and
    # test fields but never reach into Python.
    return SandboxedEnvironment(autoescape=True, undefined=_Missing)


def _refusal(template: Template, exc: Exception) -> DeskError:
    where = f"The {'office' if template.office else 'shipped'} template {template.path}"
    if isinstance(exc, UndefinedError):
        field = str(exc.message or "")
        return DeskError(
            f"{where} uses the field '{field}', which desk does not fill. The fields a "
            "letter may use are listed in docs/letters.md."
        )
    if isinstance(exc, SecurityError):
        return DeskError(f"{where} asks for something a letter may not use: {exc.message}.")
    if isinstance(exc, TemplateSyntaxError):
        return DeskError(
            f"{where} has a field desk cannot read ({exc.message}). Check its {{{{ }}}} and "
            "{% %} marks: each opened, closed, and typed in one go."
        )
    return DeskError(f"{where} could not be filled: {exc}.")


def _open(template: Template) -> Any:
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]

    try:
        doc = DocxTemplate(str(template.path))
        doc.init_docx()
    # A file that is no Word document: not a zip, a zip without a document, or XML that
    # does not parse (lxml's error is a SyntaxError).
    except (zipfile.BadZipFile, OpcError, KeyError, ValueError, SyntaxError) as exc:
        raise DeskError(
            f"{template.path} is not a Word document desk can read ({exc}); save it from Word "
            "as a .docx document (not a .dotx template or an older .doc)."
        ) from None
    except OSError as exc:
        raise DeskError(f"{template.path} cannot be read: {exc.strerror or exc}.") from None
    return doc


def fill(letters: Letters) -> bytes:
    """The letters as one Word document: one section per letter."""
    if not letters.letters:
        raise DeskError("There are no letters to write.")
    filled = [_fill_one(letters.template, letter) for letter in letters.letters]
    _same_letterhead(letters.template, filled)
    document = _joined(filled)
    properties = document.core_properties
    properties.title = letters.description
    properties.subject = letters.owner_title
    office = str(letters.letters[0].context.get("city", {}).get("office") or "")
    properties.author = office
    properties.last_modified_by = office
    properties.comments = ""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _fill_one(template: Template, letter: Letter) -> WordDocument:
    doc = _open(template)
    try:
        doc.render(prepared(letter.context), jinja_env=environment(), autoescape=True)
    except TemplateError as exc:
        raise _refusal(template, exc) from None
    except SyntaxError as exc:  # the filled XML does not parse
        raise DeskError(
            f"The template {template.path} does not make a Word document once filled ({exc}): "
            "a {% %} mark probably splits a table or paragraph in two."
        ) from None
    document: WordDocument = doc.docx
    return document


def _parts(document: WordDocument) -> dict[str, bytes]:
    """The headers and footers, by relationship id."""
    found = {}
    for rel_id, rel in document.part.rels.items():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external:
            found[rel_id] = rel.target_part.blob
    return found


def _same_letterhead(template: Template, filled: list[WordDocument]) -> None:
    """Letters of one file share the first one's headers and footers: a template whose
    header or footer names the recipient cannot be joined."""
    first = _parts(filled[0])
    for other in filled[1:]:
        if _parts(other) != first:
            raise DeskError(
                f"The template {template.path} has a header or footer that changes from letter "
                "to letter (it names the recipient). For several letters in one file keep "
                "recipients' fields in the body, or write one letter at a time with --to."
            )


def tag_name(tag: str) -> str:
    """'w:type' for the qualified '{...wordprocessingml...}type'."""
    return "w:" + tag.rpartition("}")[2]


# The order of a section's properties, which Word requires.
_SECTION_ORDER = [
    qn(f"w:{name}")
    for name in (
        "headerReference",
        "footerReference",
        "footnotePr",
        "endnotePr",
        "type",
        "pgSz",
        "pgMar",
        "paperSrc",
        "pgBorders",
        "lnNumType",
        "pgNumType",
        "cols",
        "formProt",
        "vAlign",
        "noEndnote",
        "titlePg",
        "textDirection",
        "bidi",
        "rtlGutter",
        "docGrid",
        "printerSettings",
        "sectPrChange",
    )
]


def _set_child(section: Any, tag: str, attributes: dict[str, str]) -> None:
    """Set (or add, in its place) one property of a section."""
    existing = section.find(tag)
    if existing is None:
        existing = OxmlElement(tag_name(tag))
        section.append(existing)
        position = _SECTION_ORDER.index(tag)
        later = [c for c in section if c.tag in _SECTION_ORDER[position + 1 :]]
        if later:
            later[0].addprevious(existing)
    for key, value in attributes.items():
        existing.set(key, value)


def _letter_section(section: Any) -> Any:
    """A letter's section: on a new page, its pages numbered from 1."""
    _set_child(section, qn("w:type"), {qn("w:val"): "nextPage"})
    _set_child(section, qn("w:pgNumType"), {qn("w:start"): "1"})
    return section


def _close(last: Any, section: Any) -> Any:
    """End a letter with its section's properties on its last paragraph (where Word keeps
    a section that is not the document's last); a letter ending in a table gets an empty
    paragraph to hold them."""
    if (
        last is None
        or last.tag != qn("w:p")
        or last.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
    ):
        paragraph = OxmlElement("w:p")
        if last is not None:
            last.addnext(paragraph)
        last = paragraph
    properties = last.find(qn("w:pPr"))
    if properties is None:
        properties = OxmlElement("w:pPr")
        last.insert(0, properties)
    properties.append(_letter_section(copy.deepcopy(section)))
    return last


def _joined(filled: list[WordDocument]) -> WordDocument:
    first = filled[0]
    body = first.element.body
    final = body.find(qn("w:sectPr"))
    if final is None:
        final = OxmlElement("w:sectPr")
        body.append(final)
    _letter_section(final)
    if len(filled) == 1:
        return first
    for other in filled[1:]:
        _close(final.getprevious(), final)
        other_body = other.element.body
        for child in list(other_body):
            if child.tag != qn("w:sectPr"):
                final.addprevious(child)
    _renumber_drawings(body)
    return first


def _renumber_drawings(body: Any) -> None:
    """Each drawing's id once in the document (the letters repeat the template's)."""
    tag = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
    for n, drawing in enumerate(body.iter(tag), start=1):
        drawing.set("id", str(n))
