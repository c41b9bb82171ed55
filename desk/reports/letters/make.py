"""Making letters, in three steps the window can run apart: `gather` reads the records
(quick, on the open database), `render` fills the template and makes the PDF (no database;
LibreOffice can take seconds, so the window runs it off its thread), and `keep` files the
result with the visit (or partnership) as an attachment, as one undoable operation of its
own. `write_letters` does all three for the command line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desk.core.disk.files import check_output_path, safe_write, verify_pdf
from desk.core.domain.kinds import kind_of_table
from desk.core.errors import DeskError, ReadOnlyDatabase
from desk.core.store import attachments
from desk.core.store.db import Database
from desk.core.store.operations import Changes
from desk.reports.letters import data, templates, word
from desk.reports.letters import pdf as pdfs

FORMATS = (".docx", ".pdf")


@dataclass(frozen=True)
class Rendered:
    data: bytes
    suffix: str  # ".docx" or ".pdf"
    made_by: str  # "Word template" for .docx; pdfs.OFFICE or pdfs.DESK for .pdf
    note: str = ""  # why LibreOffice was not used, where it was wanted


@dataclass
class Made:
    letters: data.Letters
    rendered: Rendered
    path: Path | None
    attachment_id: int | None = None


def format_of(path: Path) -> str:
    # Where it may be written comes first (a device, the database, a missing folder are
    # refused by name as for every file desk writes), then what kind of file it is.
    from desk.core.disk.files import check_output_path

    check_output_path(path)
    suffix = path.suffix.casefold()
    if suffix not in FORMATS:
        raise DeskError(
            f"{path.name}: a letter is written as Word (.docx) or PDF (.pdf); name the file "
            "with one of those endings."
        )
    return suffix


def gather(
    db: Database,
    template: str | templates.Template,
    visit: int | str | None = None,
    *,
    partnership: int | str | None = None,
    to: int | str | None = None,
    signed_by: str = "mayor",
    on: dt.date | None = None,
    today: dt.date | None = None,
) -> data.Letters:
    chosen = template if isinstance(template, templates.Template) else templates.find(template)
    return data.gather(
        db,
        chosen,
        visit,
        partnership=partnership,
        to=to,
        signed_by=signed_by,
        on=on,
        today=today,
    )


def render(letters: data.Letters, suffix: str = ".docx", pdf_with: str = "auto") -> Rendered:
    filled = word.fill(letters)
    if suffix == ".docx":
        return Rendered(filled, ".docx", "Word template")
    made = pdfs.to_pdf(filled, pdf_with)
    return Rendered(made.data, ".pdf", made.made_by, made.note)


def keep(db: Database, letters: data.Letters, rendered: Rendered, filename: str) -> Changes:
    """The letters kept with their visit (or partnership), as one operation of their own
    (undone by itself), which also ticks the visit's playbook step for this letter;
    `.id` is the new attachment's."""
    from desk.core.features import playbooks
    from desk.core.store.operations import operation

    with operation(db, f"Keep {letters.description}"):
        kept = attachments.attach_file(
            db,
            letters.owner_kind,
            letters.owner_id,
            rendered.data,
            filename=Path(filename).stem + rendered.suffix,
            description=letters.description,
        )
        if letters.owner_kind == kind_of_table("visits").name:
            playbooks.tick(db, letters.owner_id, letters.template.letter)
    return kept


def write_letters(
    db: Database,
    template: str,
    visit: int | str | None = None,
    *,
    out: Path,
    partnership: int | str | None = None,
    to: int | str | None = None,
    signed_by: str = "mayor",
    on: dt.date | None = None,
    keep_copy: bool = True,
    pdf_with: str = "auto",
    today: dt.date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Made:
    """Write the letters to `out` (.docx or .pdf) and, unless told not to, keep them with
    the visit. A database open for reading only is refused before anything is written."""

    def step(done: int, message: str) -> None:
        if progress:
            progress(done, 4, message)

    suffix = format_of(out)
    if keep_copy and db.read_only:
        raise ReadOnlyDatabase(
            f"The letter is kept with the visit, which changes the database, and it was "
            f"opened for reading only ({db.read_only}). Add --no-keep to write the file alone."
        )
    check_output_path(out)
    step(0, "Reading the records")
    letters = gather(
        db, template, visit, partnership=partnership, to=to, signed_by=signed_by, on=on, today=today
    )
    step(1, "Filling the template")
    rendered = render(letters, suffix, pdf_with)
    step(2, "Saving")
    safe_write(out, rendered.data, verify=verify_pdf if suffix == ".pdf" else None)
    made = Made(letters, rendered, out)
    if keep_copy:
        step(3, "Keeping a copy with the visit")
        made.attachment_id = keep(db, letters, rendered, out.name).id
    step(4, "Done")
    return made
