"""The text inside attached files, read once so a search finds what a file says.

PDFs (their text layer), Word files and mails are read; anything else is left as a file.
Reading is bounded: a file over `MOST_BYTES` is not opened, a PDF is read to `MOST_PAGES`
pages and the text kept to `MOST_CHARACTERS`, and each file says what the reading found
("a scanned PDF: no text in it to search") in its note, so nobody wonders why a word
in it is not found.
"""

from __future__ import annotations

import io

from desk.core.progress import Progress
from desk.core.store import attachments
from desk.core.store.db import Database

MOST_BYTES = 50 * 1024 * 1024
MOST_PAGES = 500
MOST_CHARACTERS = 1_000_000


def read_text(data: bytes, filename: str, media_type: str | None) -> tuple[str | None, str]:
    """(the text, what the reading found): the text is None where there is none."""
    name = filename.casefold()
    if len(data) > MOST_BYTES:
        return None, f"not read: over {MOST_BYTES // (1024 * 1024)} MB"
    try:
        if name.endswith(".pdf") or media_type == "application/pdf":
            return _pdf(data)
        if name.endswith(".docx"):
            return _docx(data)
        if name.endswith((".eml", ".msg")):
            return _mail(data, name)
    except Exception as exc:  # a damaged file is said, never a stop
        return None, f"could not be read ({type(exc).__name__})"
    return None, "not a kind of file desk reads text from"


def _kept(text: str, what: str) -> tuple[str | None, str]:
    text = " ".join(text.split())
    if not text:
        return None, f"{what}: no text in it to search"
    if len(text) > MOST_CHARACTERS:
        return text[:MOST_CHARACTERS], f"{what}: the first {MOST_CHARACTERS:,} characters kept"
    return text, f"{what}: {len(text):,} characters read"


def _pdf(data: bytes) -> tuple[str | None, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = reader.pages[:MOST_PAGES]
    text = " ".join(page.extract_text() or "" for page in pages)
    if not text.strip():
        return None, "a scanned PDF: no text in it to search"
    found = _kept(text, "PDF")
    if len(reader.pages) > MOST_PAGES:
        return found[0], f"{found[1]} from its first {MOST_PAGES} pages"
    return found


def _docx(data: bytes) -> tuple[str | None, str]:
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return _kept("\n".join(parts), "Word file")


def _mail(data: bytes, name: str) -> tuple[str | None, str]:
    from desk.io.mail import text_of

    return _kept(text_of(data, name), "Mail")


def read_pending(db: Database, progress: Progress | None = None, limit: int = 0) -> int:
    """Read the text of every attached file not read yet; the number read."""
    rows = db.execute(
        "SELECT a.id, a.filename, a.media_type FROM attachments a "
        "WHERE a.text_note IS NULL ORDER BY a.id" + (f" LIMIT {int(limit)}" if limit else "")
    ).fetchall()
    for n, (attachment_id, filename, media_type) in enumerate(rows):
        if progress is not None:
            progress(n, len(rows), f"Reading {filename}")
        found = db.execute(
            "SELECT b.content FROM attachments a JOIN blobs b ON b.sha256 = a.sha256 "
            "WHERE a.id = ?",
            (attachment_id,),
        ).fetchone()
        if found is None:
            attachments.keep_text(db, attachment_id, None, "its file is gone")
            continue
        text, note = read_text(bytes(found[0]), str(filename), media_type)
        attachments.keep_text(db, attachment_id, text, note)
    return len(rows)
