"""The trip pack for a phone: phone-sized pages read without zooming, the program as a
list in local time with home time beside it, who to call, the travel plan and the
delegation; made from the packet's data with the packet's options."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from desk.core.store import records
from desk.core.store.db import Database
from desk.reports.briefing.data import gather
from desk.reports.briefing.options import BriefingOptions
from desk.reports.briefing.phone import build_phone_pack, keep_numbers
from tests.reports.conftest import folded, pdftotext, qpdf_check
from tests.reports.test_briefing import busiest_visit

WIDTH, HEIGHT = 90 * mm, 160 * mm


def _city(db: Database, **values: Any) -> None:
    records.create(
        db,
        "city",
        {
            "name": "Port Meridian",
            "office_name": "Office of International Affairs",
            "time_zone": "America/Los_Angeles",
            **values,
        },
    )


def _pages(pdf: bytes) -> list[Any]:
    return list(PdfReader(io.BytesIO(pdf)).pages)


def _assert_phone_pages(pdf: bytes) -> None:
    for page in _pages(pdf):
        box = page.mediabox
        assert float(box.width) == pytest.approx(WIDTH, abs=0.5)
        assert float(box.height) == pytest.approx(HEIGHT, abs=0.5)


def _words(path: Path) -> list[tuple[str, float, float, float]]:
    """Each word poppler finds: its text, left and right edges, and its height (about
    its type size)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    found = []
    for match in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
        html,
    ):
        x0, y0, x1, y1 = (float(match.group(n)) for n in range(1, 5))
        found.append((match.group(5), x0, x1, y1 - y0))
    return found


def _assert_within_the_page(path: Path) -> None:
    """Nothing runs past the page's side margins: no table or word is wider than a
    phone's page."""
    words = _words(path)
    assert words
    for text, left, right, _height in words:
        assert left >= 4 * mm and right <= WIDTH - 4 * mm, (text, left, right)


def _sizes(pdf: bytes) -> dict[str, float]:
    """The type size each piece of text is set in (the smallest where it repeats)."""
    sizes: dict[str, float] = {}
    for page in _pages(pdf):

        def seen(text: str, _cm: Any, tm: Any, _font: Any, size: float) -> None:
            text = text.strip()
            if text:
                printed = size * abs(tm[0]) if tm[0] else size
                sizes[text] = min(printed, sizes.get(text, printed))

        page.extract_text(visitor_text=seen)
    return sizes


def test_a_sparse_visit_is_one_page_that_says_so(db: Database, tmp_path: Path) -> None:
    visit = records.create(db, "visit", {"title": "Quick call", "direction": "outgoing"}).id
    out = tmp_path / "sparse.pdf"
    pdf = build_phone_pack(db, visit, out)
    assert out.read_bytes() == pdf
    _assert_phone_pages(pdf)
    assert len(_pages(pdf)) == 1
    text = " ".join(pdftotext(out).split())
    assert "Quick call" in text and "Trip pack" in text
    assert "No program items are recorded yet." in text
    assert "Page 1 of 1" in text
    assert "SENSITIVE - NOT FOR DISTRIBUTION" in text
    # Nothing to call and nobody listed: no empty sections, no links to them.
    assert "Who to call" not in text and "Delegation" not in text
    qpdf_check(out)


def _busy_visit(db: Database) -> tuple[int, list[str], list[str]]:
    """Eighty program items over ten days and 150 delegates, each with a number."""
    _city(db, travel_emergency="Overseas Citizens Services: +1 202 501 4444")
    visit = records.create(
        db,
        "visit",
        {
            "title": "Trade mission to Kobe",
            "direction": "outgoing",
            "country": "JP",
            "city": "Kobe",
            "time_zone": "Asia/Tokyo",
            "start_date": "2027-04-05",
            "end_date": "2027-04-14",
            "travel": "Group flight NH 175, Sunday, April 4, 2027.",
            "lodging": "Hotel Okura Kobe, 2-1 Hatoba-cho, Chuo-ku, Kobe",
        },
    ).id
    items = [
        {
            "visit_id": visit,
            "title": f"Program item {n:02d}",
            "starts_at": f"2027-04-{5 + n // 8:02d}T{8 + n % 8:02d}:00",
            "ends_at": f"2027-04-{5 + n // 8:02d}T{8 + n % 8:02d}:45",
            "time_zone": "Asia/Tokyo",
            "place": f"Venue {n:02d}",
            "address": f"{n + 1}-2 Kano-cho, Chuo-ku, Kobe",
            "kind": "meeting",
        }
        for n in range(80)
    ]
    records.create_many(db, "itinerary_item", items)
    people = [
        {"family_name": f"Delegate{n:03d}", "given_name": "Alex", "mobile": f"+1 503 555 {n:04d}"}
        for n in range(150)
    ]
    contacts = records.create_many(db, "contact", people).ids
    records.create_many(
        db,
        "participant",
        [
            {"visit_id": visit, "contact_id": c, "side": "ours", "role": "delegate"}
            for c in contacts
        ],
    )
    return visit, [i["title"] for i in items], [f"Alex {p['family_name']}" for p in people]


def test_a_busy_visit_reads_on_a_phone(db: Database, tmp_path: Path) -> None:
    visit, titles, names = _busy_visit(db)
    out = tmp_path / "busy.pdf"
    pdf = build_phone_pack(db, visit, out)
    _assert_phone_pages(pdf)
    pages = len(_pages(pdf))
    text = pdftotext(out)
    flat = " ".join(text.split())
    for title in titles:
        assert title in flat, title
    for name in names:
        assert name in flat, name
    for number in range(1, pages + 1):
        assert f"Page {number} of {pages}" in flat
    # Each day under its own date, U.S. style; local time, and home time beside it:
    # 8:00 AM in Kobe is 4:00 PM the day before in Port Meridian (UTC-7 in April).
    assert "Monday, April 5, 2027" in flat and "Wednesday, April 14, 2027" in flat
    assert "8:00–8:45 AM Port Meridian Sun 4:00–4:45 PM" in flat
    assert "+1 503 555 0149" in flat and "Hotel Okura Kobe" in flat
    # Read without zooming: names, titles and times at 10 points, home time at 8 or more.
    sizes = _sizes(pdf)
    assert sizes["Alex Delegate000"] >= 10
    assert sizes["Program item 00"] >= 10
    assert sizes["8:00–8:45 AM"] >= 10
    assert min(size for text, size in sizes.items() if "Port Meridian Sun" in text) >= 8
    _assert_within_the_page(out)
    qpdf_check(out)


def test_a_day_carried_onto_the_next_page_is_named_there(db: Database, tmp_path: Path) -> None:
    visit, _titles, _names = _busy_visit(db)
    pdf = build_phone_pack(db, visit)
    heads = [" ".join(page.extract_text().split()) for page in _pages(pdf)]
    carried = [text for text in heads if "(continued)" in text]
    assert any("Monday, April 5, 2027 (continued)" in text for text in carried)
    assert any("Who to call (continued)" in text for text in carried)


ODD = {
    "markup": 'x<y & <b>not bold</b> <img src="/etc/passwd"/>',
    "formula": '=HYPERLINK("http://evil")+1',
    "rtl": "مدينة الإسكندرية",
    "hebrew": "ירושלים",
    "cjk": "渡辺恵子",
    "korean": "김민준",
}


def test_odd_text_is_printed_as_typed(db: Database, tmp_path: Path) -> None:
    _city(db, travel_emergency="Duty officer " + ODD["markup"])
    contact = records.create(
        db,
        "contact",
        {
            "family_name": "Watanabe",
            "given_name": "Keiko",
            "name_native": ODD["cjk"],
            "job_title": ODD["formula"],
            "mobile": "+81 90 1234 5678",
        },
    ).id
    arab = records.create(
        db, "contact", {"family_name": "Al-Ali", "given_name": "Fatima", "name_native": ODD["rtl"]}
    ).id
    visit = records.create(
        db,
        "visit",
        {
            "title": "<font size=40>Mission</font> " + ODD["korean"],
            "direction": "outgoing",
            "time_zone": "Asia/Tokyo",
            "city": ODD["hebrew"],
            "start_date": "2027-04-05",
            "advance_contact_id": contact,
            "lodging": ODD["markup"],
        },
    ).id
    records.create(
        db,
        "itinerary_item",
        {
            "visit_id": visit,
            "title": ODD["formula"],
            "starts_at": "2027-04-05T10:00",
            "ends_at": "2027-04-05T11:30",
            "time_zone": "Asia/Tokyo",
            "place": ODD["rtl"],
            "address": ODD["markup"],
            "counterpart_contact_id": contact,
        },
    )
    for person in (contact, arab):
        records.create(db, "participant", {"visit_id": visit, "contact_id": person})
    out = tmp_path / "odd.pdf"
    build_phone_pack(db, visit, out)
    text = folded(pdftotext(out))
    assert ODD["markup"] in text
    assert ODD["formula"] in text
    assert "<font size=40>Mission</font>" in text
    for native in ("cjk", "korean"):
        assert folded(ODD[native]) in text, native
    for rtl in ("rtl", "hebrew"):  # laid out right to left: its letters, either way
        words = folded(ODD[rtl]).split()
        assert all(w in text or w[::-1] in text for w in words), rtl
    assert "10:00–11:30 AM" in text and "Keiko Watanabe" in text
    _assert_within_the_page(out)
    qpdf_check(out)


def test_times_and_names_come_back_out(db: Database, tmp_path: Path) -> None:
    """A day on two clocks names each item's own; home time says the day where it
    differs, and nothing on the home clock when both read the same."""
    _city(db)
    visit = records.create(
        db,
        "visit",
        {
            "title": "Mission to Tokyo",
            "direction": "outgoing",
            "city": "Tokyo",
            "time_zone": "Asia/Tokyo",
            "start_date": "2027-04-04",
        },
    ).id
    for title, start, end, zone in (
        ("Departure from home", "2027-04-04T11:00", None, "America/Los_Angeles"),
        ("Welcome dinner", "2027-04-04T19:00", "2027-04-04T21:00", "Asia/Tokyo"),
        ("Breakfast briefing", "2027-04-06T07:30", "2027-04-06T08:15", "Asia/Tokyo"),
    ):
        values = {"visit_id": visit, "title": title, "starts_at": start, "time_zone": zone}
        records.create(db, "itinerary_item", {**values, **({"ends_at": end} if end else {})})
    out = tmp_path / "times.pdf"
    build_phone_pack(db, visit, out)
    flat = " ".join(pdftotext(out).split())
    assert "Sunday, April 4, 2027" in flat and "Tuesday, April 6, 2027" in flat
    assert "11:00 AM Port Meridian (UTC-7)" in flat  # two clocks that day: each named
    assert "7:00–9:00 PM Tokyo (UTC+9) Port Meridian 3:00–5:00 AM" in flat
    assert "7:30–8:15 AM Port Meridian Mon 3:30–4:15 PM" in flat
    assert "Times in Tokyo (UTC+9); Port Meridian (UTC-7) in gray." in flat
    assert "11:00 AM Port Meridian (UTC-7) Port Meridian" not in flat  # one clock, said once


def _internal_visit(db: Database) -> tuple[int, int]:
    _city(db, travel_emergency="SECRET-EMERGENCY call +1 202 501 4444")
    advance = records.create(
        db,
        "contact",
        {
            "family_name": "Hayes",
            "given_name": "Tom",
            "mobile": "+1 503 555 0115",
            "email": "hayes@example.gov",
        },
    ).id
    mayor = records.create(
        db, "contact", {"family_name": "Yamada", "given_name": "Taro", "job_title": "Mayor"}
    ).id
    visit = records.create(
        db,
        "visit",
        {
            "title": "Mission to Kobe",
            "direction": "outgoing",
            "city": "Kobe",
            "time_zone": "Asia/Tokyo",
            "start_date": "2027-04-05",
            "travel": "SECRET-TRAVEL flight NH 175",
            "lodging": "SECRET-HOTEL Okura",
            "purpose": "SECRET-PURPOSE",
            "advance_contact_id": advance,
        },
    ).id
    records.create(
        db,
        "itinerary_item",
        {
            "visit_id": visit,
            "title": "Courtesy call",
            "starts_at": "2027-04-05T10:00",
            "time_zone": "Asia/Tokyo",
            "place": "Kobe City Hall",
            "talking_points": "SECRET-TALKING",
            "counterpart_contact_id": mayor,
        },
    )
    records.create(db, "participant", {"visit_id": visit, "contact_id": advance, "side": "ours"})
    records.create(db, "participant", {"visit_id": visit, "contact_id": mayor, "side": "theirs"})
    return visit, advance


def test_options_are_the_packets(db: Database, tmp_path: Path) -> None:
    visit, _advance = _internal_visit(db)
    internal = " ".join(pdftotext_of(build_phone_pack(db, visit), tmp_path).split())
    for shown in ("SECRET-EMERGENCY", "SECRET-TRAVEL", "SECRET-HOTEL", "+1 503 555 0115"):
        assert shown in internal, shown
    assert "Arrivals are not recorded person by person; the travel plan above is" in internal
    assert "With Taro Yamada, Mayor" in internal
    # Plans stay in the packet: the phone carries the program, not what to say.
    assert "SECRET-TALKING" not in internal and "SECRET-PURPOSE" not in internal

    shared = build_phone_pack(db, visit, options=BriefingOptions(shareable=True))
    text = " ".join(pdftotext_of(shared, tmp_path).split())
    assert "Courtesy call" in text and "Tom Hayes" in text and "SHAREABLE WITH PARTNER" in text
    assert "SECRET" not in text and "555 0115" not in text and "SENSITIVE" not in text
    # Made from the partner's view: "with" their own mayor says nothing to them.
    assert "With Taro Yamada" not in text and "Taro Yamada" in text
    assert "Who to call" not in text

    private = BriefingOptions(include_personal=False, marking="FOR OFFICIAL USE ONLY")
    text = " ".join(pdftotext_of(build_phone_pack(db, visit, options=private), tmp_path).split())
    assert "555 0115" not in text and "hayes@example.gov" not in text
    assert "SECRET-EMERGENCY call +1 202 501 4444" in text  # public numbers stay
    assert "left out of this copy" in text and "FOR OFFICIAL USE ONLY" in text

    program_only = BriefingOptions(sections=frozenset({"itinerary"}))
    text = " ".join(
        pdftotext_of(build_phone_pack(db, visit, options=program_only), tmp_path).split()
    )
    assert "Courtesy call" in text and "Who to call" not in text and "SECRET-TRAVEL" not in text


def pdftotext_of(pdf: bytes, folder: Path) -> str:
    path = folder / "pack.pdf"
    path.write_bytes(pdf)
    return pdftotext(path)


def test_each_delegates_travel_is_printed_with_them(db: Database, tmp_path: Path) -> None:
    """A delegate's own legs (arrival, who meets them, where they stay, departure) under
    their name; the delegation's own under the travel plan; none in the partner's copy."""
    visit, advance = _internal_visit(db)
    ours = db.execute(
        "SELECT id FROM visit_participants WHERE visit_id = ? AND contact_id = ?", (visit, advance)
    ).fetchone()[0]
    leg = {"visit_id": visit, "mode": "air", "carrier": "NH"}
    records.create(
        db,
        "travel_leg",
        {
            **leg,
            "participant_id": ours,
            "number": "175",
            "from_place": "San Francisco (SFO)",
            "to_place": "Kansai (KIX)",
            "arrives_at": "2027-04-05T15:05",
            "time_zone": "Asia/Tokyo",
            "met_by_contact_id": advance,
            "hotel": "Hotel Okura Kobe",
            "room": "1203",
        },
    )
    records.create(
        db,
        "travel_leg",
        {
            **leg,
            "participant_id": ours,
            "direction": "departure",
            "number": "176",
            "from_place": "Kansai (KIX)",
            "to_place": "San Francisco (SFO)",
            "departs_at": "2027-04-08T10:00",
            "departs_zone": "Asia/Tokyo",
        },
    )
    records.create(
        db,
        "travel_leg",
        {
            **leg,
            "number": "7",
            "from_place": "Seattle (SEA)",
            "to_place": "Narita (NRT)",
            "arrives_at": "2027-04-04T16:00",
            "time_zone": "Asia/Tokyo",
        },
    )
    out = tmp_path / "legs.pdf"
    build_phone_pack(db, visit, out)
    flat = " ".join(pdftotext(out).split())
    traveler = flat[flat.index("Delegation: Port Meridian") :]
    assert "Tom Hayes" in traveler
    assert "Arrives Mon 4/5/2027, 3:05 PM, Kansai (KIX)" in traveler
    assert "NH 175 from San Francisco (SFO) · met by Tom Hayes" in traveler
    assert "Stays at Hotel Okura Kobe, room 1203" in traveler
    assert "Leaves Thu 4/8/2027, 10:00 AM, Kansai (KIX) NH 176 to San Francisco (SFO)" in traveler
    assert "not recorded person by person" not in flat
    plan = flat[flat.index("Travel plan") : flat.index("Delegation: Port Meridian")]
    assert "Arrives Sun 4/4/2027, 4:00 PM, Narita (NRT) NH 7 from Seattle (SEA)" in plan

    shared = build_phone_pack(db, visit, options=BriefingOptions(shareable=True))
    text = pdftotext_of(shared, tmp_path)
    assert "Tom Hayes" in text and "NH 175" not in text and "1203" not in text


def test_links_stay_inside_the_file(db: Database) -> None:
    """Page 1 lists the sections and days, each a link that lands on its heading; no
    link leaves the file (an address is text: a maps link would need the network)."""
    visit, _titles, _names = _busy_visit(db)
    reader = PdfReader(io.BytesIO(build_phone_pack(db, visit)))
    numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    landings = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            assert "/A" not in link  # no action at all: no web address, no file, no script
            target = link["/Dest"]
            landings.append((numbers[target[0].idnum], float(target[3])))
    headings = ["Program"] + [_long(day) for day in range(5, 15)]
    headings += ["Who to call", "Travel and delegation"]
    reached = []
    for number, top in landings:
        lines = _baselines(reader.pages[number])
        # The heading just below where the link lands.
        reached += [h for h in headings if h in lines and 0 < top - lines[h] < 30]
    assert sorted(reached) == sorted(headings)
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles == ["Program", "Who to call", "Travel and delegation"]


def _long(day: int) -> str:
    from desk.core.domain import dates

    return dates.long_date(f"2027-04-{day:02d}")


def _baselines(page: Any) -> dict[str, float]:
    """Each line of text on a page and the height of its baseline."""
    found: dict[str, float] = {}

    def seen(text: str, cm: Any, tm: Any, _font: Any, _size: float) -> None:
        if text.strip():
            found.setdefault(text.strip(), cm[5] + tm[5])

    page.extract_text(visitor_text=seen)
    return found


def test_numbers_stay_on_one_line() -> None:
    kept = keep_numbers("Duty officer: +1 503 555 0100, hospital (503) 555-0160 at 1200 Harbor")
    assert "+1\u00a0503\u00a0555\u00a00100" in kept
    assert "(503)\u00a0555-0160" in kept
    assert "at 1200 Harbor" in kept  # a house number is not a telephone number


@pytest.mark.parametrize("direction", ["outgoing", "incoming"])
def test_the_demos_busiest_visit(demo_db: Database, tmp_path: Path, direction: str) -> None:
    visit = busiest_visit(demo_db, direction)
    out = tmp_path / f"{direction}.pdf"
    pdf = build_phone_pack(demo_db, visit, out)
    _assert_phone_pages(pdf)
    data = gather(demo_db, visit)
    flat = folded(pdftotext(out))
    for item in data.itinerary:
        assert folded(item["title"]) in flat, item["title"]
    pack = "Visit pack" if direction == "incoming" else "Trip pack"
    assert pack in flat and "Who to call" in flat
    _assert_within_the_page(out)
    qpdf_check(out)


def test_the_command_line_makes_the_phone_pack(tmp_path: Path, capsys: Any) -> None:
    from desk.cli.main import main

    path = tmp_path / "city.sqlite"
    assert main(["--db", str(path), "demo"]) == 0
    out = tmp_path / "phone.pdf"
    assert main(["--db", str(path), "briefing", "1", "--phone", "--out", str(out)]) == 0
    assert "Trip pack for a phone written" in capsys.readouterr().out
    width = float(PdfReader(out).pages[0].mediabox.width)
    assert width < 300  # a phone's page, not a letter's 612 points


def test_a_delegates_legs_come_in_the_order_they_happen() -> None:
    """Tokyo to Seattle lands at 7:25 AM by Seattle's clock, before the 1:30 PM it left
    Tokyo by Tokyo's: legs follow the moments, not the clock text."""
    from desk.reports.briefing.phone import _moment_of

    legs = [
        {"id": 1, "departs_at": "2026-12-14T13:30", "departs_zone": "Asia/Tokyo"},
        {"id": 2, "departs_at": "2026-12-14T10:15", "departs_zone": "Asia/Tokyo"},
        {"id": 3, "arrives_at": "2026-12-14T07:25", "time_zone": "America/Los_Angeles"},
    ]
    assert [leg["id"] for leg in sorted(legs, key=_moment_of)] == [2, 1, 3]
