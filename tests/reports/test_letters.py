"""Letters from the office's templates: who each goes to, what it says, read back from the
Word file (python-docx) and the PDF (pdftotext), for the demo's delegation from València
(incoming) and mission to Matsue (outgoing)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from desk.cli.main import main
from desk.core.domain import dates
from desk.core.errors import DeskError, ReadOnlyDatabase
from desk.core.store import attachments, records
from desk.core.store.db import Database
from desk.reports.letters import fields, make, shipped, templates
from desk.reports.letters import pdf as pdfs
from desk.reports.letters.data import PASSPORT_FIELDS, LetterRefused
from tests.reports.conftest import folded, pdftotext, qpdf_check

VALENCIA = "Delegation from València"
MATSUE = "Mission to Matsue"
FEZ = "Delegation from Fez"
TODAY = dt.date(2026, 11, 23)
LETTERS = ("invitation", "visa", "thank-you", "national-day")


def sections(data: bytes) -> list[list[str]]:
    """Each letter of a Word file (a section) as its paragraphs' text."""
    document = Document(io.BytesIO(data))
    found: list[list[str]] = [[]]
    for paragraph in document.paragraphs:
        found[-1].append(paragraph.text)
        if paragraph._p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            found.append([])
    return [[line for line in letter if line.strip()] for letter in found if letter]


def letterhead(data: bytes) -> list[str]:
    section = Document(io.BytesIO(data)).sections[0]
    return [p.text for p in section.first_page_header.paragraphs if p.text.strip()]


def write(db: Database, template: str, visit: Any, out: Path, **options: Any) -> make.Made:
    options.setdefault("keep_copy", False)
    options.setdefault("today", TODAY)
    if out.suffix == ".pdf":
        options.setdefault("pdf_with", "desk")
    return make.write_letters(db, template, visit, out=out, **options)


def _visit(db: Database, title: str) -> dict[str, Any]:
    return records.get(db, "visit", records.resolve_named(db, "visit", title))


def _their_delegates(db: Database, visit: int) -> list[Any]:
    """The visiting delegation's members who are contacts: (id, given name, family)."""
    return db.execute(
        "SELECT p.contact_id, c.given_name, c.family_name FROM visit_participants p "
        "JOIN contacts c ON c.id = p.contact_id WHERE p.visit_id = ? AND p.side = 'theirs' "
        "ORDER BY p.id",
        (visit,),
    ).fetchall()


def _span(visit: dict[str, Any]) -> str:
    return fields.from_to(
        dates.stored_date(visit["start_date"]), dates.stored_date(visit["end_date"])
    )


# What each letter says for the two visits: who it goes to, the salutation, and words of
# its body that depend on the visit's direction.
EXPECTED = {
    (VALENCIA, "invitation"): (
        ["Dear Mayor Fernández:"],
        "invite you to lead a delegation from València",
    ),
    (VALENCIA, "visa"): (
        ["Dear Consular Officer:"] * 4,
        "has invited an official delegation from València",
    ),
    (VALENCIA, "thank-you"): (
        ["Dear Mayor Fernández:"],
        "Thank you for leading the delegation from València",
    ),
    (VALENCIA, "national-day"): (
        ["Dear Mayor Fernández:"],
        "on the occasion of the National Day of Spain, October 12.",
    ),
    (MATSUE, "invitation"): (["Dear Mayor Nakamura:"], "plans to visit Matsue"),
    (MATSUE, "visa"): (["Dear Consular Officer:"] * 2, "will visit Matsue"),
    (MATSUE, "thank-you"): (
        ["Dear Mayor Nakamura:"],
        "thank you for the warm welcome you gave us in Matsue",
    ),
    (MATSUE, "national-day"): (["Dear Mayor Nakamura:"], "the National Day of Japan, February 23."),
}


@pytest.mark.parametrize("visit", [VALENCIA, MATSUE])
@pytest.mark.parametrize("letter", LETTERS)
def test_each_letter_for_a_delegation_and_a_mission(
    demo_db: Database, tmp_path: Path, visit: str, letter: str
) -> None:
    salutations, words = EXPECTED[(visit, letter)]
    made = write(demo_db, letter, visit, tmp_path / "letters.docx")
    letters = sections(made.rendered.data)
    assert [
        line for text in letters for line in text if line.startswith(("Dear ", "Excellency"))
    ] == salutations
    assert len(made.letters.letters) == len(salutations)
    assert letterhead(made.rendered.data) == [
        "City of Port Meridian",
        "Office of International Affairs",
        "Port Meridian, Oregon",
    ]
    record = _visit(demo_db, visit)
    for text in letters:
        body = " ".join(text)
        assert words in body
        # Dated in U.S. style; signed by the mayor, but for the visa letter about her.
        assert text[0] == dates.month_day_year(made.letters.day)
        assert text[-2:] == ["Grace Okafor", "Mayor of Port Meridian"] or text[-3:] == [
            "Dana Carter",
            "Director of International Affairs",
            "City of Port Meridian",
        ]
        if letter != "national-day":
            assert _span(record) in body
        assert "{{" not in body and "{%" not in body
    # The PDF says the same, laid out by desk.
    pdf = write(demo_db, letter, visit, tmp_path / "letters.pdf")
    assert pdf.rendered.made_by == pdfs.DESK
    text = folded(pdftotext(tmp_path / "letters.pdf"))
    assert words in text
    for salutation in set(salutations):
        assert text.count(salutation) == salutations.count(salutation)
    assert "Grace Okafor" in text and "Port Meridian, Oregon" in text


def test_who_signs_and_when(demo_db: Database, tmp_path: Path) -> None:
    """Nobody vouches for themselves: the mayor's own visa letter is signed by the
    director, and the mayor writes 'under my leadership' of the mission she leads."""
    made = write(demo_db, "visa", MATSUE, tmp_path / "visa.docx")
    mayor, director = sections(made.rendered.data)
    assert "Re: Visa application of Grace Okafor" in mayor
    assert mayor[-3:] == [
        "Dana Carter",
        "Director of International Affairs",
        "City of Port Meridian",
    ]
    assert "led by the Honorable Grace Okafor, Mayor of Port Meridian," in " ".join(mayor)
    assert "Re: Visa application of Dana Carter" in director
    assert director[-2:] == ["Grace Okafor", "Mayor of Port Meridian"]
    assert "Oregon, under my leadership, will visit Matsue" in " ".join(director)
    assert "at the invitation of the Honorable Daisuke Nakamura, Mayor of Matsue." in " ".join(
        director
    )
    # Signed by the director when asked; the date as given.
    made = write(
        demo_db,
        "invitation",
        VALENCIA,
        tmp_path / "i.docx",
        signed_by="director",
        on=dt.date(2027, 1, 15),
    )
    (letter,) = sections(made.rendered.data)
    assert letter[0] == "January 15, 2027"
    assert letter[-3:] == [
        "Dana Carter",
        "Director of International Affairs",
        "City of Port Meridian",
    ]


def test_visa_letters_show_passport_details_only_where_recorded(
    demo_db: Database, tmp_path: Path
) -> None:
    # Fields of a contact's travel documents: read where a file has them, left out
    # cleanly where a contact has none recorded.
    have = {row[1] for row in demo_db.execute("PRAGMA table_info(contacts)").fetchall()}
    for column in PASSPORT_FIELDS:
        if column not in have:
            demo_db.execute(f"ALTER TABLE contacts ADD COLUMN {column} TEXT")
    visit = _visit(demo_db, VALENCIA)
    members = _their_delegates(demo_db, visit["id"])
    with_passport, without = members[1], members[2]
    demo_db.execute(
        "UPDATE contacts SET passport_number = 'PAB123456', passport_country = 'ES', "
        "date_of_birth = '1975-03-04', nationality = 'ES', passport_expiry = '2031-06-30' "
        "WHERE id = ?",
        (with_passport[0],),
    )
    made = write(demo_db, "visa", VALENCIA, tmp_path / "visa.docx")
    letters = {
        next(line for line in text if line.startswith("Re: ")): text
        for text in sections(made.rendered.data)
    }
    shown = letters[
        f"Re: Visa application of {with_passport[1]} {with_passport[2]}, passport no. PAB123456"
    ]
    assert "Date of birth:\tMarch 4, 1975" in shown
    assert "Nationality:\tSpain" in shown
    assert "Passport valid until:\tJune 30, 2031" in shown
    assert "Passport number:\tPAB123456" in shown
    assert "Passport issued by:\tSpain" in shown
    bare = letters[f"Re: Visa application of {without[1]} {without[2]}"]
    assert not [
        line for line in bare if line.startswith(("Date of birth", "Nationality", "Passport"))
    ]
    assert f"Name:\t{without[1]} {without[2]}" in bare
    # A member known only by name has no letter, and is said to have none.
    assert any("Interpreter (agency booking)" in note for note in made.letters.left_out)
    pdf = folded(pdftotext(write(demo_db, "visa", VALENCIA, tmp_path / "visa.pdf").path or Path()))
    assert "PAB123456" in pdf and "March 4, 1975" in pdf
    assert pdf.count("Passport number") == 1


def test_names_in_arabic_chinese_japanese_and_hebrew_come_back(
    demo_db: Database, tmp_path: Path
) -> None:
    fez = _visit(demo_db, FEZ)
    hebrew = records.create(
        demo_db,
        "contact",
        {
            "honorific": "Dr.",
            "given_name": "Miriam",
            "family_name": "Levi",
            "name_native": "מרים לוי",
        },
    ).id
    records.create(
        demo_db, "participant", {"visit_id": fez["id"], "contact_id": hebrew, "side": "theirs"}
    )
    made = write(demo_db, "visa", FEZ, tmp_path / "visa.docx")
    natives = [
        line.partition("\t")[2]
        for text in sections(made.rendered.data)
        for line in text
        if line.startswith("Name in native script:")
    ]
    assert "ليلى المنصوري" in natives and "מרים לוי" in natives
    pdf = folded(pdftotext(write(demo_db, "visa", FEZ, tmp_path / "visa.pdf").path or Path()))
    for name in natives:
        assert folded(name) in pdf
    made = write(demo_db, "thank-you", MATSUE, tmp_path / "thanks.pdf")
    assert "中村 大輔" in folded(pdftotext(tmp_path / "thanks.pdf"))
    # A native name that is the inside address's second line, left where Word sets it.
    assert (
        "中村 大輔"
        in sections(write(demo_db, "thank-you", MATSUE, tmp_path / "t.docx").rendered.data)[0][2]
    )


def test_a_letter_with_no_one_to_address_is_refused_saying_what_is_missing(
    demo_db: Database, tmp_path: Path
) -> None:
    bare = records.create(
        demo_db,
        "visit",
        {"title": "Delegation from Nowhere", "direction": "incoming", "start_date": "2027-05-03"},
    ).id
    with pytest.raises(LetterRefused) as refused:
        write(demo_db, "thank-you", bare, tmp_path / "t.docx")
    said = str(refused.value)
    assert "There is no one to thank for 'Delegation from Nowhere'" in said
    assert "counterpart" in said and "principal" in said and "--to CONTACT" in said
    with pytest.raises(LetterRefused, match="lists no principal of theirs"):
        write(demo_db, "invitation", bare, tmp_path / "i.docx")
    with pytest.raises(LetterRefused, match="lists no member on their side"):
        write(demo_db, "visa", bare, tmp_path / "v.docx")
    with pytest.raises(LetterRefused, match="belongs to no partnership"):
        write(demo_db, "national-day", bare, tmp_path / "n.docx")
    assert not list(tmp_path.glob("*.docx"))
    # Named with --to, the letter is written to that contact.
    sato = records.create(
        demo_db,
        "contact",
        {
            "honorific": "Prof.",
            "given_name": "Kenji",
            "family_name": "Sato",
            "name_order": "family_first",
        },
    ).id
    made = write(demo_db, "thank-you", bare, tmp_path / "t.docx", to=sato)
    assert "Dear Professor Sato:" in sections(made.rendered.data)[0]


def test_no_mayor_in_office_is_refused(demo_db: Database, tmp_path: Path) -> None:
    demo_db.execute("UPDATE office_terms SET end_date = '2026-01-01' WHERE end_date IS NULL")
    with pytest.raises(
        LetterRefused,
        match="No one holds the office of Mayor of Port Meridian on November 23, 2026",
    ):
        write(demo_db, "invitation", VALENCIA, tmp_path / "i.docx")


def test_an_office_template_takes_the_place_of_the_shipped_one(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = templates.office_folder()
    folder.mkdir(parents=True)
    document = shipped.invitation()
    header = document.sections[0].first_page_header
    header.paragraphs[0].runs[0].text = "PORT MERIDIAN CITY HALL · 1 HARBOR PLAZA"
    document.add_paragraph("P.S. Office wording for {{ recipient.full_name }}.")
    document.save(str(folder / "invitation.docx"))
    shipped.thank_you().save(str(folder / "thank-you-donors.docx"))
    (folder / "Invitacion.docx").write_bytes((folder / "invitation.docx").read_bytes())
    (folder / "~$invitation.docx").write_bytes(b"Word's lock file")

    found = {t.name: t for t in templates.templates()}
    assert found["invitation"].office and found["invitation"].overrides
    assert (
        found["thank-you-donors"].letter == "thank-you" and not found["thank-you-donors"].overrides
    )
    assert not found["visa"].office
    made = write(demo_db, "invitation", VALENCIA, tmp_path / "i.docx")
    assert letterhead(made.rendered.data)[0] == "PORT MERIDIAN CITY HALL · 1 HARBOR PLAZA"
    assert "P.S. Office wording for Mayor Ana Belén Fernández." in sections(made.rendered.data)[0]

    path = tmp_path / "demo.sqlite"
    assert main(["--db", str(path), "letter", "--list"]) == 0
    listed = capsys.readouterr().out
    assert "the office's, in place of desk's" in listed and "shipped with desk" in listed
    assert "thank-you-donors" in listed and "Invitacion.docx" in listed and "~$" not in listed


def test_record_text_is_printed_as_typed_never_run(demo_db: Database, tmp_path: Path) -> None:
    lead = demo_db.execute(
        "SELECT contact_id FROM visit_participants p JOIN visits v ON v.id = p.visit_id "
        "WHERE v.title = ? AND p.role = 'principal'",
        (VALENCIA,),
    ).fetchone()[0]
    typed = "{{ secret }} {% for x in y %} <b>&amp;</b> {_{ z }_} 100% \x07"
    records.update(
        demo_db,
        "contact",
        lead,
        {
            "written_address": typed,
            "spoken_address": "Mayor {{ 7*7 }}",
            "job_title": "{{ ''.__class__ }}",
        },
    )
    made = write(demo_db, "invitation", VALENCIA, tmp_path / "i.docx")
    (letter,) = sections(made.rendered.data)
    shown = typed.replace("\x07", "\u2407")  # a control character shown, never obeyed
    assert shown in letter
    assert "Dear Mayor {{ 7*7 }}:" in letter and "{{ ''.__class__ }}" in letter
    pdf = folded(
        pdftotext(write(demo_db, "invitation", VALENCIA, tmp_path / "i.pdf").path or Path())
    )
    assert folded(shown) in pdf and "Dear Mayor {{ 7*7 }}:" in pdf


def _office_template(folder: Path, name: str, text: str, *, header: str = "") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    document = Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    document.add_paragraph(text)
    document.save(str(folder / name))


def test_an_office_template_that_asks_for_too_much_is_refused(
    demo_db: Database, tmp_path: Path
) -> None:
    folder = templates.office_folder()
    _office_template(folder, "invitation-fax.docx", "Fax: {{ recipient.fax }}")
    with pytest.raises(
        DeskError, match=r"uses the field 'recipient\.fax', which desk does not fill"
    ):
        write(demo_db, "invitation-fax", VALENCIA, tmp_path / "i.docx")
    _office_template(folder, "invitation-peek.docx", "{{ recipient.name.__class__.__mro__ }}")
    with pytest.raises(DeskError, match="asks for something a letter may not use"):
        write(demo_db, "invitation-peek", VALENCIA, tmp_path / "i.docx")
    _office_template(folder, "invitation-broken.docx", "{% if visit.incoming %}no end")
    with pytest.raises(DeskError, match="has a field desk cannot read"):
        write(demo_db, "invitation-broken", VALENCIA, tmp_path / "i.docx")
    (folder / "invitation-notword.docx").write_bytes(b"plain text")
    with pytest.raises(DeskError, match="is not a Word document desk can read"):
        write(demo_db, "invitation-notword", VALENCIA, tmp_path / "i.docx")
    # A header that names the recipient cannot be shared by several letters; one is fine.
    _office_template(
        folder, "visa-named.docx", "{{ delegate.name }}", header="For {{ delegate.name }}"
    )
    with pytest.raises(DeskError, match="header or footer that changes from letter to letter"):
        write(demo_db, "visa-named", VALENCIA, tmp_path / "v.docx")
    lead = demo_db.execute(
        "SELECT contact_id FROM visit_participants p JOIN visits v ON v.id = p.visit_id "
        "WHERE v.title = ? AND p.role = 'principal'",
        (VALENCIA,),
    ).fetchone()[0]
    made = write(demo_db, "visa-named", VALENCIA, tmp_path / "v.docx", to=lead)
    assert Document(io.BytesIO(made.rendered.data)).sections[0].header.paragraphs[0].text == (
        "For Ana Belén Fernández"
    )
    assert not (tmp_path / "i.docx").exists()


def test_national_day_greeting(demo_db: Database, tmp_path: Path) -> None:
    made = write(demo_db, "national-day", MATSUE, tmp_path / "n.docx")
    assert made.letters.day == dt.date(2027, 2, 23)  # the coming one, and dated on it
    (letter,) = sections(made.rendered.data)
    assert letter[0] == "February 23, 2027"
    assert "Since 1972, the friendship between Port Meridian and Matsue has grown" in " ".join(
        letter
    )
    assert letter[-3:] == ["With warm regards,", "Grace Okafor", "Mayor of Port Meridian"]
    # Sent ahead of the day, by partnership rather than visit; kept with the partnership.
    made = write(
        demo_db,
        "national-day",
        None,
        tmp_path / "n.docx",
        partnership="València",
        on=dt.date(2027, 10, 1),
    )
    assert made.letters.owner_kind == "partnership"
    (letter,) = sections(made.rendered.data)
    assert letter[0] == "October 1, 2027"
    assert "the National Day of Spain, October 12." in " ".join(letter)
    # A country without a fixed day in desk's list is given its date by hand.
    partnership = records.resolve_named(demo_db, "partnership", "València")
    demo_db.execute("UPDATE partnerships SET country = 'IL' WHERE id = ?", (partnership,))
    with pytest.raises(LetterRefused, match="does not know the national day of Israel"):
        write(demo_db, "national-day", None, tmp_path / "n.docx", partnership=partnership)
    made = write(
        demo_db,
        "national-day",
        None,
        tmp_path / "n.docx",
        partnership=partnership,
        on=dt.date(2027, 5, 12),
    )
    assert "on the occasion of the National Day of Israel, May 12." in " ".join(
        sections(made.rendered.data)[0]
    )


def test_the_command_keeps_the_letter_with_the_visit(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.sqlite"
    out = tmp_path / "thanks.pdf"
    code = main(
        [
            "--db",
            str(path),
            "letter",
            "thank-you",
            VALENCIA,
            "--out",
            str(out),
            "--pdf-with",
            "desk",
        ]
    )
    said = capsys.readouterr()
    assert code == 0, said.err
    assert "Wrote 1 thank-you letter" in said.out and "PDF, made by desk" in said.out
    assert "No letter: 'València staff' (4 program items)" in said.out
    visit = _visit(demo_db, VALENCIA)
    kept = attachments.list_for(demo_db, "visit", visit["id"])
    assert [(a["filename"], a["media_type"]) for a in kept] == [("thanks.pdf", "application/pdf")]
    assert kept[0]["description"].startswith(
        "Thank-you letter to Mayor Ana Belén Fernández, dated "
    )
    assert attachments.content(demo_db, kept[0]["id"])[1] == out.read_bytes()
    qpdf_check(out)
    # --no-keep writes the file alone; a read-only database is refused unless --no-keep.
    other = tmp_path / "visas.docx"
    assert (
        main(["--db", str(path), "letter", "visa", MATSUE, "--out", str(other), "--no-keep"]) == 0
    )
    matsue = _visit(demo_db, MATSUE)
    assert attachments.list_for(demo_db, "visit", matsue["id"]) == []
    assert len(sections(other.read_bytes())) == 2
    capsys.readouterr()
    code = main(
        [
            "--db",
            str(path),
            "--read-only",
            "letter",
            "visa",
            MATSUE,
            "--out",
            str(tmp_path / "r.docx"),
        ]
    )
    assert code == 1 and "--no-keep" in capsys.readouterr().err
    assert not (tmp_path / "r.docx").exists()
    assert (
        main(["--db", str(path), "letter", "visa", MATSUE, "--out", str(tmp_path / "v.txt")]) == 1
    )
    assert "Word (.docx) or PDF (.pdf)" in capsys.readouterr().err


def test_read_only_database_keeps_nothing(demo_db: Database, tmp_path: Path) -> None:
    demo_db.read_only = "for the test"
    with pytest.raises(ReadOnlyDatabase):
        write(demo_db, "invitation", VALENCIA, tmp_path / "i.docx", keep_copy=True)
    assert write(demo_db, "invitation", VALENCIA, tmp_path / "i.docx").path is not None


def test_letters_dated_before_or_after_their_visit_say_so(
    demo_db: Database, tmp_path: Path
) -> None:
    visit = _visit(demo_db, VALENCIA)
    # Unless told a date, thanks for a visit still to come are dated the day after it.
    thanks = write(demo_db, "thank-you", VALENCIA, tmp_path / "t.docx")
    ends = dates.stored_date(visit["end_date"])
    assert ends is not None and thanks.letters.day == ends + dt.timedelta(days=1)
    assert not thanks.letters.notes
    early = dates.stored_date(visit["start_date"])
    thanks = write(demo_db, "thank-you", VALENCIA, tmp_path / "t2.docx", on=early)
    assert any("after the letter's date" in note for note in thanks.letters.notes)
    late = dates.stored_date(visit["start_date"]) + dt.timedelta(days=1)
    invitation = write(demo_db, "invitation", VALENCIA, tmp_path / "i.docx", on=late)
    assert any("before the letter's date" in note for note in invitation.letters.notes)


def test_the_shipped_templates_are_what_their_source_writes() -> None:
    for name in shipped.TEMPLATES:
        path = templates.shipped_folder() / f"{name}.docx"
        on_disk, written = Document(str(path)), Document(io.BytesIO(shipped.document_bytes(name)))
        assert [p.text for p in on_disk.paragraphs] == [p.text for p in written.paragraphs], name
        assert [p.text for p in on_disk.sections[0].first_page_header.paragraphs] == [
            p.text for p in written.sections[0].first_page_header.paragraphs
        ]


def test_words_of_a_letter() -> None:
    first, last = dt.date(2027, 3, 11), dt.date(2027, 3, 15)
    assert fields.day_span(first, last) == "March 11–15, 2027"
    assert fields.day_span(dt.date(2027, 3, 30), dt.date(2027, 4, 2)) == "March 30 – April 2, 2027"
    assert fields.day_span(dt.date(2026, 12, 30), dt.date(2027, 1, 2)) == (
        "December 30, 2026 – January 2, 2027"
    )
    assert fields.from_to(first, last) == "from March 11 to March 15, 2027"
    assert fields.from_to(first, None) == "on March 11, 2027"
    assert fields.days_phrase([dt.date(2027, 3, 12), first, first]) == "on March 11 and 12, 2027"
    assert fields.days_phrase([first, dt.date(2027, 4, 2), dt.date(2027, 3, 14)]) == (
        "on March 11, 14 and April 2, 2027"
    )
    assert fields.salutation({"spoken_address": "Mayor Nakamura"}) == "Dear Mayor Nakamura:"
    assert fields.salutation({"honorific": "H.E.", "family_name": "Ruiz"}) == "Excellency:"
    assert (
        fields.salutation({"honorific": "Prof.", "family_name": "Sato"}) == "Dear Professor Sato:"
    )
    assert (
        fields.salutation(
            {"honorific": "The Honorable", "given_name": "Ana", "family_name": "Ruiz"}
        )
        == "Dear Ana Ruiz:"
    )
    assert fields.salutation({"given_name": "Ana", "family_name": "Ruiz"}) == "Dear Ana Ruiz:"
    assert (
        fields.in_running_text({"written_address": "The Honorable Ana Ruiz, Mayor of Lyon"})
        == "the Honorable Ana Ruiz, Mayor of Lyon"
    )
    assert fields.in_sentence("NL") == "the Netherlands" and fields.in_sentence("JP") == "Japan"
    escaped = fields.Text("{{ x }} <a> & 50% \x00").__html__()
    assert escaped == "&#123;&#123; x &#125;&#125; &lt;a&gt; &amp; 50&#37; \u2400"
    assert fields.national_day("ES", None, dt.date(2027, 10, 13)) == fields.NationalDay(
        "ES", dt.date(2028, 10, 12), "the National Day of Spain", known=True
    )


@pytest.mark.slow
def test_libreoffice_prints_the_template_as_word_would(demo_db: Database, tmp_path: Path) -> None:
    if pdfs.soffice() is None:
        pytest.skip("LibreOffice with its word processor (Writer) is not installed")
    made = write(demo_db, "visa", VALENCIA, tmp_path / "visa.pdf", pdf_with="auto")
    assert made.rendered.made_by == pdfs.OFFICE
    text = folded(pdftotext(tmp_path / "visa.pdf"))
    # Each letter on its own pages, under the letterhead (small capitals in the template).
    assert text.upper().count("CITY OF PORT MERIDIAN OFFICE OF INTERNATIONAL AFFAIRS") == 4
    assert text.count("Dear Consular Officer:") == 4
    made = write(demo_db, "thank-you", MATSUE, tmp_path / "thanks.pdf", pdf_with="libreoffice")
    assert made.rendered.made_by == pdfs.OFFICE
    assert "中村 大輔" in folded(pdftotext(tmp_path / "thanks.pdf"))
    qpdf_check(tmp_path / "visa.pdf", tmp_path / "thanks.pdf")


def test_without_libreoffice_desk_makes_the_pdf(
    demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdfs, "soffice", lambda: None)
    made = write(demo_db, "invitation", MATSUE, tmp_path / "i.pdf", pdf_with="auto")
    assert made.rendered.made_by == pdfs.DESK
    assert "not installed" in made.rendered.note
    with pytest.raises(DeskError, match="Writer"):
        write(demo_db, "invitation", MATSUE, tmp_path / "i.pdf", pdf_with="libreoffice")


def test_a_letter_kept_ticks_its_playbook_step(demo_db: Database, tmp_path: Path) -> None:
    from desk.core.features import playbooks

    visit = _visit(demo_db, "Delegation from València")
    step = demo_db.execute(
        "SELECT id, done_on FROM follow_ups WHERE visit_id = ? AND playbook_step = 'invitation'",
        (visit["id"],),
    ).fetchone()
    if step is None:  # the demo applies playbooks to visits still to come
        playbooks.apply(demo_db, visit["id"])
        step = demo_db.execute(
            "SELECT id, done_on FROM follow_ups WHERE visit_id = ? "
            "AND playbook_step = 'invitation'",
            (visit["id"],),
        ).fetchone()
    assert step is not None and step[1] is None
    write(demo_db, "invitation", visit["id"], tmp_path / "invitation.docx", keep_copy=True)
    done = demo_db.execute("SELECT done_on FROM follow_ups WHERE id = ?", (step[0],)).fetchone()
    assert done[0] is not None


def test_a_visa_letter_says_when_a_delegate_needs_no_visa(
    demo_db: Database, tmp_path: Path
) -> None:
    """A Spanish passport visits under the Visa Waiver Program: the letter is still
    written (they may apply anyway), and the office is told first. Nothing is said for
    a delegate whose passport is not recorded, nor for a Moroccan one."""
    visit = _visit(demo_db, VALENCIA)
    members = _their_delegates(demo_db, visit["id"])
    spanish, moroccan = members[1], members[2]
    demo_db.execute("UPDATE contacts SET passport_country = 'ES' WHERE id = ?", (spanish[0],))
    demo_db.execute("UPDATE contacts SET nationality = 'MA' WHERE id = ?", (moroccan[0],))
    made = write(demo_db, "visa", VALENCIA, tmp_path / "visa.docx")
    waived = [n for n in made.letters.notes if "Visa Waiver Program" in n]
    assert len(waived) == 1
    assert waived[0].startswith(f"{spanish[1]} {spanish[2]} holds a passport of Spain")
    assert "90 days" in waived[0] and "ESTA" in waived[0]
    # Still written: a delegate may apply for a visa all the same.
    assert any(spanish[2] in letter.to for letter in made.letters.letters)
    # Going the other way, our people's visas are for their country to decide: no note.
    mission = write(demo_db, "visa", MATSUE, tmp_path / "mission.docx")
    assert not [n for n in mission.letters.notes if "Visa Waiver" in n]
