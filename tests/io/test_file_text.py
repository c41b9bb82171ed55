"""The text inside attached files is read once and found by search; a file with no text
to read says so."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from reportlab.pdfgen import canvas

from desk.cli.main import main
from desk.core.features import search
from desk.core.store import attachments, records
from desk.core.store.db import Database
from desk.io import file_text


def _pdf(words: str | None) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    if words:
        page.drawString(72, 720, words)
    else:
        page.rect(72, 600, 200, 100, fill=1)  # a "scan": marks, no text layer
    page.showPage()
    page.save()
    return buffer.getvalue()


def _docx(words: str) -> bytes:
    document = Document()
    document.add_paragraph(words)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _eml(words: str) -> bytes:
    return (
        "From: Aya Sato <sato@example.jp>\r\nTo: desk@example.gov\r\n"
        "Subject: Lantern festival\r\nMessage-ID: <1@example.jp>\r\n"
        "Date: Mon, 4 May 2026 09:00:00 +0900\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{words}\r\n"
    ).encode()


@pytest.fixture
def kobe(db: Database) -> int:
    return int(
        records.create(db, "partnership", {"partner_name": "Kobe", "kind": "sister_city"}).id or 0
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("minutes.pdf", _pdf("The harbor quarantine protocol was agreed")),
        ("minutes.docx", _docx("The harbor quarantine protocol was agreed")),
        ("minutes.eml", _eml("The harbor quarantine protocol was agreed")),
    ],
)
def test_words_inside_an_attached_file_are_found(
    db: Database, kobe: int, name: str, data: bytes
) -> None:
    made = attachments.attach_file(db, "partnership", kobe, data, name).id
    assert file_text.read_pending(db) == 1
    row = records.get(db, "attachment", made)
    assert "quarantine" in (row["content_text"] or "") and "characters read" in row["text_note"]
    hits = search.search(db, "quarantine")
    assert [(h.kind, h.record_id) for h in hits] == [("attachment", made)]
    assert file_text.read_pending(db) == 0  # read once


def test_a_scanned_pdf_says_it_has_no_text(db: Database, kobe: int) -> None:
    made = attachments.attach_file(db, "partnership", kobe, _pdf(None), "scan.pdf").id
    file_text.read_pending(db)
    row = records.get(db, "attachment", made)
    assert row["content_text"] is None
    assert row["text_note"] == "a scanned PDF: no text in it to search"


def test_reading_is_bounded_and_a_damaged_file_is_said(
    db: Database, kobe: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_text, "MOST_BYTES", 100)
    big = attachments.attach_file(db, "partnership", kobe, _pdf("big"), "big.pdf").id
    monkeypatch.setattr(file_text, "MOST_BYTES", 50 * 1024 * 1024)
    broken = attachments.attach_file(db, "partnership", kobe, b"%PDF-1.4 no", "bad.pdf").id
    photo = attachments.attach_file(db, "partnership", kobe, b"\x89PNG", "photo.png").id
    monkeypatch.setattr(file_text, "MOST_BYTES", 100)
    file_text.read_pending(db, limit=1)
    monkeypatch.setattr(file_text, "MOST_BYTES", 50 * 1024 * 1024)
    file_text.read_pending(db)
    notes = {i: records.get(db, "attachment", i)["text_note"] for i in (big, broken, photo)}
    assert notes[big].startswith("not read: over")
    assert notes[broken].startswith("could not be read")
    assert notes[photo] == "not a kind of file desk reads text from"


def test_undo_of_an_attachment_with_its_text_read(db: Database, kobe: int) -> None:
    from desk.core.store import undo

    attachments.attach_file(db, "partnership", kobe, _pdf("quarantine"), "a.pdf")
    file_text.read_pending(db)
    undo.undo(db)  # the text read since is desk's own, not a change that blocks it
    assert search.search(db, "quarantine") == []


def test_the_command_line_reads_the_files(
    db_path: Path, db: Database, kobe: int, capsys: pytest.CaptureFixture[str]
) -> None:
    attachments.attach_file(db, "partnership", kobe, _docx("quarantine"), "a.docx")
    db.close()
    assert main(["--db", str(db_path), "read-files"]) == 0
    assert "Read the text of 1 attached file." in capsys.readouterr().out
