"""The packet as a briefing book: page 1 at a glance, meeting plans, counterparts with
photos, the relationship's timeline, key facts, logistics and emergency numbers by
direction; and a partner's copy that holds nothing internal, whatever field is added."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from desk.core.domain.kinds import KINDS
from desk.core.store import records
from desk.core.store.attachments import attach_file
from desk.core.store.db import Database
from desk.reports.briefing import data as briefing_data
from desk.reports.briefing.glance import three_things
from desk.reports.briefing.packet import BriefingOptions, build_briefing
from tests.reports.conftest import folded, pdftotext
from tests.reports.test_briefing import outline, page_texts


def _city(db: Database, **extra: str) -> None:
    records.create(
        db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles", **extra}
    )


def _kobe(db: Database, status: str = "active") -> int:
    return records.create(
        db,
        "partnership",
        {
            "partner_name": "Kobe",
            "country": "JP",
            "kind": "sister_city",
            "status": status,
            "established_date": "1957-06-07",
        },
    ).id


def _visit(db: Database, direction: str = "outgoing", **extra: object) -> int:
    values = {
        "title": "Mission to Kobe" if direction == "outgoing" else "Delegation from Kobe",
        "direction": direction,
        "country": "JP",
        "city": "Kobe",
        "start_date": "2026-05-11",
        "end_date": "2026-05-12",
        **extra,
    }
    return records.create(db, "visit", values).id


def _text(pdf: bytes) -> str:
    return folded(" ".join(page_texts(pdf)))


def test_page_one_is_the_visit_at_a_glance(db: Database) -> None:
    _city(db)
    visit = _visit(
        db,
        partnership_id=_kobe(db),
        principal="Mayor Grace Okafor",
        purpose="Renew the port partnership.",
        objectives="1. Sign the port MOU.\n2. Meet the new mayor.\n3. Open a trade desk.\n"
        "4. Fourth goal stays off page one.",
        avoid="Any comment on the fisheries dispute.",
    )
    first = folded(page_texts(build_briefing(db, visit))[0])
    for text in (
        "Mission to Kobe",
        "Mayor Grace Okafor",
        "Kobe, Japan",
        "Monday, May 11, 2026 to Tuesday, May 12, 2026",
        "Kobe is 16 hours ahead of Port Meridian",
        "Renew the port partnership.",
        "Three things to achieve",
        "1. Sign the port MOU.",
        "3. Open a trade desk.",
        "The one thing to avoid",
        "Any comment on the fisheries dispute.",
        "Sister city with Kobe since 1957 (68 years); active.",
    ):
        assert text in first, text
    assert "Fourth goal" not in first


def test_three_things_from_lines_or_sentences() -> None:
    assert three_things("- One\n* Two\n(3) Three\n4) Four") == ["One", "Two", "Three"]
    assert three_things("Agree a plan. Meet people! Sign it? Rest.") == [
        "Agree a plan.",
        "Meet people!",
        "Sign it?",
    ]
    assert three_things(None) == [] and three_things("  \n ") == []


def test_meetings_without_a_plan_share_one_table(db: Database) -> None:
    """Fifteen bare working sessions make a few pages, not one page each."""
    _city(db)
    visit = _visit(db, time_zone="Asia/Tokyo")
    for n in range(15):
        records.create(
            db,
            "itinerary_item",
            {
                "visit_id": visit,
                "title": f"Working session {n + 1}",
                "starts_at": f"2026-05-{11 + n // 8}T{8 + n % 8:02d}:00",
                "time_zone": "Asia/Tokyo",
            },
        )
    pdf = build_briefing(db, visit)
    assert len(page_texts(pdf)) <= 5
    titles = [t for t, _page in outline(pdf)]
    assert "Meetings" in titles
    assert not any(t.startswith("Working session") for t in titles)
    assert "Working session 15" in _text(pdf)


def test_a_planned_meeting_has_its_own_brief(db: Database) -> None:
    _city(db)
    visit = _visit(db, time_zone="Asia/Tokyo")
    records.create(
        db,
        "itinerary_item",
        {
            "visit_id": visit,
            "title": "Courtesy call",
            "starts_at": "2026-05-11T10:00",
            "ends_at": "2026-05-11T10:45",
            "time_zone": "Asia/Tokyo",
            "purpose": "Thank the mayor for hosting.",
            "our_attendees": "Mayor Okafor, Director Carter",
            "their_attendees": "Mayor Hisamoto, Vice-Mayor Ono",
            "run_of_show": "10:00 Greeting at the entrance\n10:40 Photo",
        },
    )
    pdf = build_briefing(db, visit)
    titles = [t for t, _page in outline(pdf)]
    assert "Courtesy call, Monday, May 11" in titles
    text = _text(pdf)
    for part in (
        "Thank the mayor for hosting.",
        "Attending for us Mayor Okafor, Director Carter",
        "Attending for them Mayor Hisamoto, Vice-Mayor Ono",
        "Run of show",
        "10:00 Greeting at the entrance",
        "Monday, May 11, 2026, 10:00–10:45 AM, Kobe (UTC+9)",
    ):
        assert part in text, part


def _png() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (60, 80), (40, 90, 160))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_counterparts_show_biography_and_photo(db: Database) -> None:
    _city(db)
    visit = _visit(db, time_zone="Asia/Tokyo")
    mayor = records.create(
        db,
        "contact",
        {
            "family_name": "Hisamoto",
            "given_name": "Kizo",
            "name_native": "久元 喜造",
            "honorific": "Mayor",
            "bio": "Mayor of Kobe since 2013; before that a national official.",
        },
    ).id
    attach_file(db, "contact", mayor, b"not an image at all", "broken.png")
    attach_file(db, "contact", mayor, _png(), "portrait.png")
    records.create(
        db,
        "participant",
        {"visit_id": visit, "contact_id": mayor, "side": "theirs", "role": "host"},
    )
    pdf = build_briefing(db, visit)
    assert "Mayor of Kobe since 2013" in _text(pdf)
    images = [image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]
    assert len(images) == 1  # the readable photo, once; the broken file is left out


def test_the_timeline_runs_from_the_founding_to_this_visit(db: Database) -> None:
    _city(db)
    kobe = _kobe(db)
    records.create(
        db,
        "agreement",
        {
            "title": "Port MOU",
            "partnership_id": kobe,
            "status": "in_force",
            "signed_date": "2019-04-02",
        },
    )
    records.create(
        db,
        "visit",
        {
            "title": "Delegation from Kobe 2023",
            "direction": "incoming",
            "status": "completed",
            "partnership_id": kobe,
            "start_date": "2023-10-01",
        },
    )
    visit = _visit(db, partnership_id=kobe)
    events = [text for _day, text in briefing_data_timeline(db, visit)]
    assert events == [
        "Founded as a sister city",
        "Signed: Port MOU",
        "Delegation from Kobe 2023 (incoming delegation)",
        "This visit: Mission to Kobe",
    ]


def briefing_data_timeline(db: Database, visit: int) -> list[tuple[str, str]]:
    from desk.reports.briefing.relationship import timeline

    return timeline(briefing_data.gather(db, visit))


def test_emergency_numbers_follow_the_direction(db: Database) -> None:
    _city(
        db,
        emergency_contacts="Police, fire, ambulance: 911",
        travel_emergency="State Department, from abroad: +1 202 501 4444",
    )
    records.create(
        db,
        "organisation",
        {
            "name": "U.S. Consulate General Osaka-Kobe",
            "kind": "consulate",
            "country": "US",
            "city": "Osaka",
            "phone": "+81 6 6315 5900",
        },
    )
    records.create(
        db,
        "organisation",
        {"name": "U.S. Embassy Paris", "kind": "consulate", "country": "US", "city": "Paris"},
    )
    records.create(
        db,
        "organisation",
        {
            "name": "Consulate General of Japan in Portland",
            "kind": "consulate",
            "country": "JP",
            "city": "Portland",
        },
    )
    outgoing = _text(build_briefing(db, _visit(db, "outgoing")))
    assert "U.S. Consulate General Osaka-Kobe" in outgoing and "+81 6 6315 5900" in outgoing
    assert "State Department, from abroad" in outgoing
    assert "U.S. Embassy Paris" not in outgoing and "911" not in outgoing
    assert "Consulate General of Japan" not in outgoing
    incoming = _text(build_briefing(db, _visit(db, "incoming")))
    assert "Police, fire, ambulance: 911" in incoming
    assert "Consulate General of Japan in Portland" in incoming
    assert "State Department" not in incoming and "Osaka-Kobe" not in incoming


def test_partner_city_key_facts_and_logistics(db: Database) -> None:
    _city(db)
    advance = records.create(
        db, "contact", {"family_name": "Ono", "given_name": "Aya", "mobile": "+81 90 5555 0101"}
    ).id
    visit = _visit(
        db,
        partnership_id=_kobe(db),
        time_zone="Asia/Tokyo",
        travel="UA 875 SFO to HND, Monday 11:05 AM",
        lodging="Hotel Okura Kobe, 2-1 Hatoba-cho",
        advance_contact_id=advance,
    )
    text = _text(build_briefing(db, visit))
    assert "City population" in text
    assert "Kobe is 16 hours ahead of Port Meridian" in text
    assert "Japanese yen" in text
    assert "UA 875 SFO to HND" in text and "Hotel Okura Kobe" in text
    assert "Aya Ono" in text and "+81 90 5555 0101" in text
    lean = _text(build_briefing(db, visit, options=BriefingOptions(include_personal=False)))
    assert "Aya Ono" in lean and "+81 90 5555 0101" not in lean


# Fields a partner may read (see briefing_data.partner_view); every other text field of
# these kinds gets a unique marker, so a field added later is covered without a word here.
_PUBLIC = {
    "city": {"name", "state", "office_name"},
    "visit": {"title", "city", "principal", "host"},
    "itinerary_item": {"title", "place", "address", "counterpart"},
    "contact": {"given_name", "family_name", "name_native", "honorific", "job_title"},
    "participant": {"name"},
}


def _marked(kind_name: str, markers: list[str], **fixed: object) -> dict[str, object]:
    values: dict[str, object] = {}
    for spec in KINDS[kind_name].fields:
        public = _PUBLIC.get(kind_name, set())
        if spec.type in ("text", "longtext") and spec.name not in public:
            markers.append(f"INTERNAL{len(markers):03d}X")
            values[spec.name] = markers[-1]
    return {**values, **fixed}


def test_every_internal_text_field_stays_out_of_the_partners_copy(
    db: Database, tmp_path: Path
) -> None:
    markers: list[str] = []
    records.create(
        db, "city", _marked("city", markers, name="Port Meridian", time_zone="America/Los_Angeles")
    )
    kobe = records.create(
        db,
        "partnership",
        _marked(
            "partnership",
            markers,
            partner_name="Kobe",
            country="JP",
            kind="sister_city",
            status="active",
        ),
    ).id
    records.create(
        db, "agreement", _marked("agreement", markers, partnership_id=kobe, status="draft")
    )
    host = records.create(
        db, "contact", _marked("contact", markers, family_name="Yamada", email="yamada@example.jp")
    ).id
    ours = records.create(db, "contact", _marked("contact", markers, family_name="Okafor")).id
    visit = records.create(
        db,
        "visit",
        _marked(
            "visit",
            markers,
            title="Mission to Kobe",
            direction="outgoing",
            country="JP",
            city="Kobe",
            time_zone="Asia/Tokyo",
            partnership_id=kobe,
            start_date="2026-05-11",
            advance_contact_id=ours,
        ),
    ).id
    records.create(
        db,
        "itinerary_item",
        _marked(
            "itinerary_item",
            markers,
            visit_id=visit,
            title="Courtesy call",
            starts_at="2026-05-11T10:00",
            time_zone="Asia/Tokyo",
            counterpart_contact_id=host,
        ),
    )
    records.create(
        db,
        "participant",
        _marked("participant", markers, visit_id=visit, contact_id=host, side="theirs"),
    )
    records.create(
        db,
        "participant",
        _marked("participant", markers, visit_id=visit, contact_id=ours, side="ours"),
    )
    records.create(db, "gift", _marked("gift", markers, visit_id=visit, direction="given"))
    records.create(db, "follow_up", _marked("follow_up", markers, visit_id=visit))
    records.create(
        db,
        "interaction",
        _marked("interaction", markers, partnership_id=kobe, occurred_on="2026-01-10"),
    )
    records.create(
        db,
        "organisation",
        _marked("organisation", markers, kind="consulate", country="US", city="Osaka"),
    )
    shared = folded(
        pdftotext_bytes(
            build_briefing(db, visit, options=BriefingOptions(shareable=True)), tmp_path
        )
    )
    assert "Courtesy call" in shared and "Yamada" in shared
    assert [m for m in markers if m in shared] == []
    assert "Okafor" in shared  # both sides, by public name: who comes and who receives
    internal = folded(pdftotext_bytes(build_briefing(db, visit), tmp_path))
    assert sum(m in internal for m in markers) > 25


def pdftotext_bytes(pdf: bytes, folder: Path) -> str:
    path = folder / "packet.pdf"
    path.write_bytes(pdf)
    return pdftotext(path)


def test_one_date_style_and_american_spelling(demo_db: Database) -> None:
    """Every variant of the demo's packets writes dates one way and spells as a U.S.
    office does."""
    import re

    visits = [row[0] for row in demo_db.execute("SELECT id FROM visits ORDER BY id LIMIT 4")]
    for visit in visits:
        for options in (BriefingOptions(), BriefingOptions(shareable=True)):
            text = _text(build_briefing(demo_db, visit, options=options))
            assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", text), visit
            assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), visit
            assert not re.search(r"(?i)\b(programme|organisation|honour|colour)", text), visit


def test_a_counterpart_with_a_photo_and_the_longest_names_prints(db: Database) -> None:
    """The photo row cannot split: names of thousands of characters are cut there and
    print whole in the delegation list."""
    _city(db)
    visit = _visit(db, time_zone="Asia/Tokyo")
    huge = records.create(
        db,
        "contact",
        {
            "honorific": "H" * 1995,
            "given_name": "G" * 1995,
            "family_name": "F" * 1995 + "END",
            "name_native": "渡" * 1990,
            "bio": "Bio. " * 400,
        },
    ).id
    attach_file(db, "contact", huge, _png(), "portrait.png")
    records.create(db, "participant", {"visit_id": visit, "contact_id": huge, "side": "theirs"})
    text = "".join(_text(build_briefing(db, visit)).split())
    assert "F" * 1995 + "END" in text


def test_a_long_day_runs_on_from_where_the_last_section_ended(db: Database) -> None:
    """Its table starts under the day's heading and splits across pages; the day is never
    pushed whole to the next page, leaving most of this one blank."""
    _city(db)
    visit = _visit(db, time_zone="Asia/Tokyo", purpose="Renew the port partnership.")
    for n in range(30):
        records.create(
            db,
            "itinerary_item",
            {
                "visit_id": visit,
                "kind": "site_visit",
                "title": f"Stop {n:02d}",
                "starts_at": f"2026-05-11T{6 + n // 2:02d}:{(n % 2) * 30:02d}",
                "time_zone": "Asia/Tokyo",
                "place": "Port of Kobe, Pier 4",
            },
        )
    pages = page_texts(build_briefing(db, visit))
    first = next(n for n, text in enumerate(pages) if "Stop 00" in text)
    assert "Renew the port partnership." in pages[first]  # same page as the objectives
    assert "Stop 29" in " ".join(pages[first + 1 : first + 3])
