from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from desk.cli.main import main
from desk.core.store import records
from desk.core.store.db import Database
from desk.reports.briefing.packet import SECTIONS, BriefingOptions, build_briefing
from tests.reports.conftest import folded, pdftotext


def busiest_visit(db: Database, direction: str) -> int:
    return db.execute(
        "SELECT v.id FROM visits v WHERE direction = ? ORDER BY "
        "(SELECT count(*) FROM itinerary_items i WHERE i.visit_id = v.id) + "
        "(SELECT count(*) FROM visit_participants p WHERE p.visit_id = v.id) DESC, v.id LIMIT 1",
        (direction,),
    ).fetchone()[0]


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def outline(pdf: bytes) -> list[tuple[str, int]]:
    reader = PdfReader(io.BytesIO(pdf))
    found: list[tuple[str, int]] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((item.title, reader.get_destination_page_number(item)))

    walk(reader.outline)
    return found


@pytest.mark.parametrize("direction", ["outgoing", "incoming"])
def test_packet_structure(demo_db: Database, tmp_path: Path, direction: str) -> None:
    visit_id = busiest_visit(demo_db, direction)
    out = tmp_path / "packet.pdf"
    pdf = build_briefing(demo_db, visit_id, out)
    assert out.read_bytes() == pdf
    texts = page_texts(pdf)
    total = len(texts)
    assert total >= 5
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {total}" in text
        assert "SENSITIVE - NOT FOR DISTRIBUTION" in text
    # Every outline entry lands on the page where its heading is printed.
    entries = outline(pdf)
    titles = [title for title, _ in entries]
    wanted = [
        "Itinerary" if direction == "outgoing" else "Program",
        "Meeting briefs",
        "The relationship",
        "Partner city and country",
    ]
    assert all(w in titles for w in wanted), titles
    for title, page in entries:
        assert title.split(" — ")[0][:30] in " ".join(texts[page].split()), (title, page)
    # A packet of six pages or more has a contents page, listing the sections with the
    # same page numbers.
    assert titles[0] == "Contents" and total >= 6
    # Last, as it needs poppler: the contents page read in its columns.
    layout = pdftotext(out, layout=True, first=2, last=2)
    for title, page in entries[1:]:
        if " — " not in title:
            assert re.search(re.escape(title) + r"[ .]*" + str(page + 1) + r"\b", layout), title


def test_sections_follow_the_data(db: Database, tmp_path: Path) -> None:
    bare = records.create(db, "visit", {"title": "Quick call", "direction": "incoming"}).id
    texts = page_texts(build_briefing(db, bare))
    assert len(texts) == 1 and "Quick call" in texts[0]  # the cover alone
    records.update(db, "visit", bare, {"press_line": "A short statement."})
    texts = page_texts(build_briefing(db, bare))
    titles = [t for t, _ in outline(build_briefing(db, bare))]
    assert titles == ["Press line"] and len(texts) == 1  # runs on below the summary
    assert "Contents" not in " ".join(texts)


def test_options_marking_sections_and_personal_details(demo_db: Database) -> None:
    visit_id = busiest_visit(demo_db, "outgoing")
    phone = demo_db.execute(
        "SELECT c.phone FROM visit_participants p JOIN contacts c ON c.id = p.contact_id "
        "WHERE p.visit_id = ? AND c.phone IS NOT NULL LIMIT 1",
        (visit_id,),
    ).fetchone()[0]
    full = " ".join(page_texts(build_briefing(demo_db, visit_id)))
    assert phone in full
    options = BriefingOptions(
        sections=frozenset({"delegation", "contacts"}), marking="", shareable=True
    )
    pdf = build_briefing(demo_db, visit_id, options=options)
    shared = " ".join(page_texts(pdf))
    assert phone not in shared and "Diet" not in shared
    assert "SHAREABLE WITH PARTNER" in shared and "SENSITIVE" not in shared
    # Contacts and emergency numbers are internal: the partner's copy never has them.
    assert [t for t, _ in outline(pdf)] == [SECTIONS["delegation"][0]]
    marked = BriefingOptions(marking="SENSITIVE - NOT FOR DISTRIBUTION", shareable=True)
    assert "SENSITIVE" not in " ".join(
        page_texts(build_briefing(demo_db, visit_id, options=marked))
    )


NAMES = {
    "zh": ("Wang", "Wei", "王伟"),
    "ja": ("Yamada", "Taro", "山田太郎"),
    "ko": ("Kim", "Min-jun", "김민준"),
    "ar": ("Al-Ali", "Fatima", "فاطمة العلي"),
    "ru": ("Ivanova", "Olga", "Ольга Иванова"),
    "vi": ("Nguyen", "Van An", "Nguyễn Văn An"),
    "fr": ("Lefèvre", "Hélène", None),
    "de": ("Müller", "Jürgen", None),
}


def _visit_with_everyone(db: Database, note: str = "") -> int:
    visit = records.create(
        db,
        "visit",
        {
            "title": "Mission to everywhere",
            "direction": "outgoing",
            "time_zone": "Asia/Tokyo",
            "start_date": "2027-04-05",
            "notes": note,
        },
    ).id
    for family, given, native in NAMES.values():
        contact = records.create(
            db, "contact", {"family_name": family, "given_name": given, "name_native": native}
        ).id
        records.create(db, "participant", {"visit_id": visit, "contact_id": contact})
    return visit


def test_every_script_comes_back_out(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "names.pdf"
    build_briefing(db, _visit_with_everyone(db), out)
    text = folded(pdftotext(out))
    for family, given, native in NAMES.values():
        assert family in text and given in text
        if native is None:
            continue
        if native == "فاطمة العلي":  # laid out right to left: compare letters either way
            letters = folded(native)
            assert (
                letters in text
                or letters[::-1] in text
                or all(w[::-1] in text or w in text for w in letters.split())
            )
        else:
            assert folded(native) in text, native
    fonts = set()
    for page in PdfReader(out).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]  # embedded TrueType
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert {"DejaVuSans", "WenQuanYiMicroHei-0", "NotoSansArabic-Regular"} <= fonts


def test_hostile_text_is_printed_as_typed(db: Database, tmp_path: Path) -> None:
    long_note = ("Long note. " * 1818) + "END-OF-NOTE"
    assert len(long_note) > 20_000
    visit = _visit_with_everyone(db, long_note)
    hostile = 'x<y & z <b>not bold</b> <img src="/etc/passwd"/> 😀 bell\x07 tab\tend'
    records.update(db, "visit", visit, {"purpose": hostile, "title": "<font size=40>T</font>"})
    out = tmp_path / "hostile.pdf"
    build_briefing(db, visit, out)
    text = pdftotext(out)
    flat = " ".join(text.split())
    assert 'x<y & z <b>not bold</b> <img src="/etc/passwd"/>' in flat
    assert "<font size=40>T</font>" in flat
    assert "bell␇" in flat
    assert "END-OF-NOTE" in flat
    assert len(PdfReader(out).pages) >= 6  # the 20,000-character note runs on


@pytest.mark.slow
def test_qpdf_accepts_both_variants(demo_db: Database, tmp_path: Path) -> None:
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed")
    for direction in ("outgoing", "incoming"):
        out = tmp_path / f"{direction}.pdf"
        build_briefing(demo_db, busiest_visit(demo_db, direction), out)
        result = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No syntax or stream encoding errors" in result.stdout


def test_command_line(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Path(demo_db.conn.execute("PRAGMA database_list").fetchone()[2])
    out = tmp_path / "cli.pdf"
    visit = demo_db.execute("SELECT uid FROM visits LIMIT 1").fetchone()[0]
    assert main(["--db", str(path), "briefing", visit, "--out", str(out), "--shareable"]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert (
        main(["--db", str(path), "briefing", "1", "--out", str(out), "--sections", "gossip"]) == 1
    )
    assert "Unknown section 'gossip'" in capsys.readouterr().err


def test_only_this_visits_records(db: Database, tmp_path: Path) -> None:
    """A visit without a partnership pulls in nothing that belongs to no partnership, and
    nothing of another partner in the same country."""
    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    other = records.create(
        db, "partnership", {"partner_name": "Osaka", "country": "JP", "kind": "sister_city"}
    ).id
    records.create(
        db,
        "agreement",
        {
            "title": "OTHERPARTNERMOU",
            "partnership_id": other,
            "country": "JP",
            "status": "in_force",
            "signed_date": "2024-01-01",
            "expiry_date": "2027-01-01",
        },
    )
    records.create(
        db,
        "visit",
        {
            "title": "UNRELATEDREQUEST",
            "direction": "incoming",
            "country": "JP",
            "start_date": "2024-02-01",
        },
    )
    records.create(db, "follow_up", {"title": "UNRELATEDFOLLOWUP", "due_date": "2026-12-01"})
    records.create(db, "follow_up", {"title": "OTHERPARTNERFOLLOWUP", "partnership_id": other})
    visit = records.create(
        db,
        "visit",
        {
            "title": "Trade mission to Fukuoka",
            "direction": "outgoing",
            "country": "JP",
            "city": "Fukuoka",
            "start_date": "2026-05-10",
            "end_date": "2026-05-12",
        },
    ).id
    records.create(db, "follow_up", {"title": "OWNFOLLOWUP", "visit_id": visit})
    out = tmp_path / "packet.pdf"
    build_briefing(db, visit, out, BriefingOptions())
    text = folded(pdftotext(out))
    assert "Trade mission to Fukuoka" in text and "OWNFOLLOWUP" in text
    for stranger in (
        "OTHERPARTNERMOU",
        "UNRELATEDREQUEST",
        "UNRELATEDFOLLOWUP",
        "OTHERPARTNERFOLLOWUP",
        "Osaka",
    ):
        assert stranger not in text, stranger


def test_their_home_time_is_the_partner_citys_own(db: Database, tmp_path: Path) -> None:
    from desk.reports.briefing.data import gather

    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    irkutsk = records.create(
        db,
        "visit",
        {
            "title": "Delegation from Irkutsk",
            "direction": "incoming",
            "country": "RU",
            "city": "Irkutsk",
            "start_date": "2026-04-08",
        },
    ).id
    somewhere = records.create(
        db,
        "visit",
        {"title": "Delegation from Russia", "direction": "incoming", "country": "RU"},
    ).id
    curitiba = records.create(
        db,
        "visit",
        {
            "title": "Delegation from Curitiba",
            "direction": "incoming",
            "country": "BR",
            "city": "Curitiba",
        },
    ).id
    assert gather(db, irkutsk).their_zone == "Asia/Irkutsk"  # not Europe/Kaliningrad
    assert gather(db, somewhere).their_zone is None  # eleven zones: never guessed
    assert gather(db, curitiba).their_zone == "America/Sao_Paulo"
    out = tmp_path / "irkutsk.pdf"
    build_briefing(db, irkutsk, out, BriefingOptions())
    text = folded(pdftotext(out))
    assert "Irkutsk (UTC+8)" in text and "Irkutsk is 15 hours ahead of Port Meridian" in text


def test_the_partners_copy_holds_nothing_internal(db: Database, tmp_path: Path) -> None:
    """A unique marker in every internal field; the shareable PDF holds none of them."""
    markers: list[str] = []

    def secret(field: str) -> str:
        markers.append(f"SECRET{len(markers):03d}{field.upper()}")
        return markers[-1]

    records.create(
        db,
        "city",
        {
            "name": "Port Meridian",
            "time_zone": "America/Los_Angeles",
            "emergency_contacts": secret("emergency"),
            "notes": secret("citynotes"),
            "respondent_email": "secret.respondent@example.gov",
        },
    )
    partnership = records.create(
        db,
        "partnership",
        {
            "partner_name": "Kobe",
            "country": "JP",
            "kind": "sister_city",
            "notes": secret("pnotes"),
            "status": "suspended",
        },
    ).id
    records.create(
        db,
        "agreement",
        {
            "title": secret("agreement"),
            "partnership_id": partnership,
            "status": "draft",
            "expiry_date": "2027-03-01",
            "notice_days": 90,
            "notes": secret("anotes"),
        },
    )
    contact = records.create(
        db,
        "contact",
        {
            "family_name": "Yamada",
            "given_name": "Taro",
            "job_title": "Mayor of Kobe",
            "phone": "+81 78 555 0100",
            "email": "taro.yamada@kobe.example.jp",
            "mobile": "+81 90 555 0101",
            "dietary": secret("dietary"),
            "notes": secret("cnotes"),
        },
    ).id
    visit = records.create(
        db,
        "visit",
        {
            "title": "Mission to Kobe",
            "direction": "outgoing",
            "country": "JP",
            "city": "Kobe",
            "time_zone": "Asia/Tokyo",
            "start_date": "2026-05-10",
            "end_date": "2026-05-12",
            "partnership_id": partnership,
            "purpose": secret("purpose"),
            "objectives": secret("objectives"),
            "press_line": secret("press"),
            "notes": secret("vnotes"),
            "request_purpose": secret("request"),
            "decision_notes": secret("decision"),
            "outcomes": secret("outcomes"),
            "trip_report": secret("report"),
        },
    ).id
    records.create(
        db,
        "itinerary_item",
        {
            "visit_id": visit,
            "title": "Courtesy call on the mayor",
            "starts_at": "2026-05-11T10:00",
            "time_zone": "Asia/Tokyo",
            "place": "Kobe City Hall",
            "counterpart_contact_id": contact,
            "talking_points": secret("talking"),
            "likely_asks": secret("asks"),
            "sensitivities": secret("sensitive"),
            "notes": secret("inotes"),
        },
    )
    records.create(
        db,
        "participant",
        {
            "visit_id": visit,
            "contact_id": contact,
            "side": "theirs",
            "role": "host",
            "notes": secret("partnotes"),
        },
    )
    records.create(
        db,
        "participant",
        {
            "visit_id": visit,
            "name": "Grace Okafor",
            "side": "ours",
            "role": "principal",
            "notes": secret("ournotes"),
        },
    )
    records.create(
        db,
        "gift",
        {
            "visit_id": visit,
            "direction": "given",
            "description": secret("gift"),
            "value_minor": 12500,
            "currency": "USD",
            "recipient": "Mayor Yamada",
            "notes": secret("giftnotes"),
        },
    )
    records.create(db, "follow_up", {"title": secret("followup"), "visit_id": visit})
    records.create(
        db,
        "interaction",
        {
            "occurred_on": "2026-01-10",
            "subject": secret("interaction"),
            "partnership_id": partnership,
        },
    )

    out = tmp_path / "shared.pdf"
    build_briefing(db, visit, out, BriefingOptions(shareable=True))
    shared = folded(pdftotext(out))
    assert "Courtesy call on the mayor" in shared and "Kobe City Hall" in shared
    assert "Yamada" in shared and "Mayor of Kobe" in shared
    # Both sides' people, by public name: the partner must know who is coming.
    assert "Grace Okafor" in shared
    leaked = [m for m in markers if m in shared]
    assert leaked == []
    for private in (
        "+81 78 555 0100",
        "taro.yamada@kobe.example.jp",
        "125",
        "SENSITIVE",
        "Suspended",
        "2027",
    ):
        assert private not in shared, private
    build_briefing(db, visit, tmp_path / "internal.pdf")
    internal = folded(pdftotext(tmp_path / "internal.pdf"))
    assert sum(m in internal for m in markers) > 10  # the internal copy does have them


@pytest.mark.parametrize(
    ("country", "languages", "absent", "currency"),
    [
        ("UA", "Ukrainian", "Russian", "Ukrainian hryvnia"),
        (
            "TW",
            "Chinese (Mandarin), Taiwanese Hokkien, Hakka",
            "zh_Hant",
            "New Taiwan dollar (NT$)",
        ),
        ("SN", "French", "Wolof", "West African CFA franc"),
        ("MX", "Spanish (in practice; none is official in law)", "", "Mexican peso (MX$)"),
    ],
)
def test_country_facts_follow_official_status(
    db: Database, country: str, languages: str, absent: str, currency: str
) -> None:
    from desk.reports.briefing.data import gather

    visit = records.create(
        db, "visit", {"title": "Visit", "direction": "outgoing", "country": country}
    ).id
    profile = gather(db, visit).country_profile()
    assert profile["Official languages"] == languages
    assert not absent or absent not in profile["Official languages"]
    assert profile["Currency"].startswith(currency)


def test_a_suspended_partnership_is_flagged_on_the_cover(db: Database, tmp_path: Path) -> None:
    partnership = records.create(
        db,
        "partnership",
        {"partner_name": "Irkutsk", "country": "RU", "kind": "sister_city", "status": "active"},
    ).id
    records.change_status(db, partnership, "suspended", "2022-03-03", "Council resolution 22-7")
    visit = records.create(
        db,
        "visit",
        {
            "title": "Delegation from Irkutsk",
            "direction": "incoming",
            "country": "RU",
            "partnership_id": partnership,
        },
    ).id
    texts = page_texts(build_briefing(db, visit))
    assert (
        "The partnership with Irkutsk has been SUSPENDED since March 3, 2022: "
        "Council resolution 22-7" in " ".join(texts[0].split())
    )
    shared = page_texts(build_briefing(db, visit, options=BriefingOptions(shareable=True)))
    assert "SUSPENDED" not in " ".join(shared)


def test_page_count_sits_on_the_footers_baseline(db: Database, tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    visit = records.create(db, "visit", {"title": "Quick call", "direction": "incoming"}).id
    out = tmp_path / "packet.pdf"
    build_briefing(db, visit, out)
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    bottoms = {
        word: float(y) for y, word in re.findall(r'yMax="([\d.]+)">(Generated|Page)<', boxes)
    }
    assert set(bottoms) == {"Generated", "Page"}
    assert abs(bottoms["Generated"] - bottoms["Page"]) < 0.5
