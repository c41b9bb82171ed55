"""Who hosts whom, where a visit happens and as of when a packet speaks: each document
reads the sides from the visit, never the other side's lead for ours, and a packet of any
size prints."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desk.core.features import sides, story
from desk.core.store import records
from desk.core.store.db import Database
from desk.io.calendar import build_calendar
from desk.reports.briefing.data import gather, partner_view
from desk.reports.briefing.glance import who
from desk.reports.briefing.packet import BriefingOptions, build_briefing
from tests.reports.conftest import folded, pdftotext, qpdf_check


def _city(db: Database) -> None:
    records.create(
        db, "city", {"name": "Port Meridian", "state": "Oregon", "time_zone": "America/New_York"}
    )


def _delegation_here(db: Database, *, ours: bool) -> int:
    """A delegation from València led by their mayor, with or without our people listed."""
    _city(db)
    visit = records.create(
        db,
        "visit",
        {
            "title": "Delegation from València",
            "direction": "incoming",
            "country": "ES",
            "city": "València",
            "start_date": "2027-03-11",
            "end_date": "2027-03-15",
            "principal": "Mayor of València",
            **({"host": "Mayor Grace Okafor"} if ours else {}),
        },
    ).id
    records.create(
        db,
        "itinerary_item",
        {
            "visit_id": visit,
            "title": "Courtesy call",
            "starts_at": "2027-03-12T10:00",
            "time_zone": "America/New_York",
            "place": "City Hall",
        },
    )
    records.create(
        db,
        "participant",
        {"visit_id": visit, "name": "Ana Fernández", "side": "theirs", "role": "principal"},
    )
    if ours:
        records.create(
            db,
            "participant",
            {"visit_id": visit, "name": "Grace Okafor", "side": "ours", "role": "host"},
        )
    return visit


def _glance(db: Database, visit: int, tmp_path: Path, *, shareable: bool) -> str:
    out = tmp_path / f"packet-{shareable}.pdf"
    build_briefing(db, visit, out, BriefingOptions(shareable=shareable))
    qpdf_check(out)
    return folded(pdftotext(out, first=1, last=1))


@pytest.mark.parametrize("shareable", [False, True])
def test_our_side_never_falls_back_to_their_principal(
    db: Database, tmp_path: Path, shareable: bool
) -> None:
    visit = _delegation_here(db, ours=False)
    _glance(db, visit, tmp_path, shareable=shareable)  # made and sound
    b = gather(db, visit)
    lines = dict(who(partner_view(b) if shareable else b, shareable=shareable))
    ours, theirs = ("Port Meridian", "València") if shareable else ("Our side", "Their side")
    # With none of our people named, our side says nothing rather than their name.
    assert "València" not in lines[ours]
    assert "Ana Fernández" in lines[theirs]


@pytest.mark.parametrize("shareable", [False, True])
def test_a_delegation_here_happens_here_and_names_our_host(
    db: Database, tmp_path: Path, shareable: bool
) -> None:
    visit = _delegation_here(db, ours=True)
    page = _glance(db, visit, tmp_path, shareable=shareable)
    assert "Where Port Meridian, Oregon" in page
    assert "From València, Spain" in page
    assert "Incoming delegation from València, Spain" in page
    assert "Grace Okafor (host)" in page
    assert "Ana Fernández (principal)" in page


def test_the_partners_copy_lists_both_sides_and_facts_of_the_place_they_go_to(
    db: Database, tmp_path: Path
) -> None:
    visit = _delegation_here(db, ours=True)
    out = tmp_path / "shared.pdf"
    build_briefing(db, visit, out, BriefingOptions(shareable=True))
    text = folded(pdftotext(out))
    delegation = text.split("Delegation and hosts", 1)[1]
    assert "Grace Okafor" in delegation and "Ana Fernández" in delegation
    # The place they are going to is ours: its currency and language, not their own.
    assert "About Port Meridian, Oregon" in text
    assert "U.S. dollar" in text and "euro" not in text.lower()


def test_the_partners_copy_of_a_mission_does_not_describe_their_own_city(
    db: Database, tmp_path: Path
) -> None:
    _city(db)
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
            "host": "Mayor of Kobe",
        },
    ).id
    records.create(
        db,
        "participant",
        {"visit_id": visit, "name": "Grace Okafor", "side": "ours", "role": "principal"},
    )
    internal = _glance(db, visit, tmp_path, shareable=False)
    shared = _glance(db, visit, tmp_path, shareable=True)
    assert "About Kobe, Japan" in internal and "Japanese yen" in internal
    assert "About Kobe" not in shared and "yen" not in shared and "population" not in shared
    # Read from their side: each city by its name, not "our" and "their".
    assert "Port Meridian Grace Okafor (principal)" in shared
    assert "Kobe Mayor of Kobe (host)" in shared and "Our side" not in shared


def test_a_clock_change_inside_the_visit_is_said_where_it_happens(db: Database) -> None:
    visit = _delegation_here(db, ours=True)
    b = gather(db, visit)
    # Spain is 6 hours ahead of New York until the U.S. moves its clocks on March 14, 2027.
    assert b.time_difference() == (
        "València is 6 hours ahead of Port Meridian until March 13, 5 hours ahead from "
        "March 14 (clocks change in Port Meridian on March 14)"
    )
    assert b.time_difference(short=True) == (
        "València is 6 hours ahead of Port Meridian (5 from March 14)"
    )
    assert b.country_profile()["Time difference"] == b.time_difference()


def test_a_visit_without_a_clock_change_says_one_difference(db: Database) -> None:
    visit = _delegation_here(db, ours=True)
    records.update(db, "visit", visit, {"start_date": "2027-06-01", "end_date": "2027-06-04"})
    assert gather(db, visit).time_difference() == (
        "València is 6 hours ahead of Port Meridian (June)"
    )


def test_a_packet_speaks_as_of_its_own_visit(db: Database, tmp_path: Path) -> None:
    """A packet made again for a past visit says what was true then: the visits before
    it, the partnership's standing on its day."""
    _city(db)
    nantes = records.create(
        db,
        "partnership",
        {
            "partner_name": "Nantes",
            "country": "FR",
            "kind": "sister_city",
            "status": "active",
            "established_date": "1993",
        },
    ).id
    records.change_status(db, nantes, "lapsed", "2026-06-30", "Agreement expired")
    mission = records.create(
        db,
        "visit",
        {
            "title": "Mission to Nantes",
            "direction": "outgoing",
            "country": "FR",
            "city": "Nantes",
            "partnership_id": nantes,
            "start_date": "2025-04-21",
            "status": "completed",
        },
    ).id
    records.create(
        db,
        "visit",
        {
            "title": "Delegation from Nantes",
            "direction": "incoming",
            "partnership_id": nantes,
            "start_date": "2025-08-06",
            "status": "completed",
        },
    )
    page = _glance(db, mission, tmp_path, shareable=False)
    whole = folded(pdftotext(tmp_path / "packet-False.pdf"))
    assert "Delegation from Nantes" not in whole and "Agreement expired" not in whole
    assert "visit so far" not in page and "August 2025" not in page
    assert "LAPSED" not in page
    assert "Sister city with Nantes since 1993 (32 years); active." in page


@pytest.mark.parametrize(("meetings", "delegates"), [(0, 0), (19, 3), (80, 150)])
def test_any_size_of_visit_prints(
    db: Database, tmp_path: Path, meetings: int, delegates: int
) -> None:
    """Busy missions: meetings with plans of their own (each one a contents line) and
    delegations of up to 150, so the contents run over several pages."""
    _city(db)
    visit = records.create(
        db,
        "visit",
        {
            "title": "Busy mission",
            "direction": "outgoing",
            "country": "JP",
            "city": "Kobe",
            "time_zone": "Asia/Tokyo",
            "start_date": "2026-05-10",
            "end_date": "2026-05-14",
        },
    ).id
    long_title = "A meeting whose title runs on about the ports, trade and youth " * 2
    records.create_many(
        db,
        "itinerary_item",
        [
            {
                "visit_id": visit,
                "title": f"{long_title if n % 7 == 0 else 'Meeting'} number {n}",
                "starts_at": f"2026-05-1{n % 5}T{7 + n % 12:02d}:{n % 60:02d}",
                "time_zone": "Asia/Tokyo",
                "talking_points": f"Points for meeting {n}.",
            }
            for n in range(meetings)
        ],
    )
    records.create_many(
        db,
        "participant",
        [
            {"visit_id": visit, "name": f"Delegate {n}", "side": "ours" if n % 2 else "theirs"}
            for n in range(delegates)
        ],
    )
    for shareable in (False, True):
        out = tmp_path / f"busy-{shareable}.pdf"
        build_briefing(db, visit, out, BriefingOptions(shareable=shareable))
        text = folded(pdftotext(out))
        for n in range(meetings):
            assert f"number {n}" in text, (n, shareable)
        if delegates:
            assert f"Delegate {delegates - 1}" in text
        qpdf_check(out)


def test_the_window_and_the_calendar_place_a_visit_by_its_sides(db: Database) -> None:
    visit = _delegation_here(db, ours=True)
    lines = story.visit_lines(db, visit, today=dt.date(2027, 1, 1))
    assert "from València, Spain" in lines[0]
    events = [
        e
        for e in build_calendar(db, dt.date(2027, 1, 1)).walk("VEVENT")
        if "València" in e["summary"]
    ]
    assert str(events[0]["location"]) == "Port Meridian, Oregon, United States"


def test_each_side_is_led_by_its_own_role() -> None:
    visit = {"direction": "outgoing", "principal": "Mayor Okafor", "host": "Mayor of Kobe"}
    people = [
        {"side": "theirs", "role": "delegate", "name": "A"},
        {"side": "theirs", "role": "host", "name": "B"},
        {"side": "ours", "role": "staff", "name": "C"},
    ]
    ours, theirs = sides.sides(visit, people)
    assert (ours.visiting, ours.lead, ours.named_lead, ours.role) == (
        True,
        None,
        "Mayor Okafor",
        "principal",
    )
    assert theirs.lead is not None and theirs.lead["name"] == "B" and theirs.role == "host"
    assert sides.venue(visit, {"name": "Port Meridian"}) == ""  # no city or country given
    assert sides.place_phrase({"direction": "incoming", "country": "ES"}) == "from Spain"


def test_page_one_names_the_holidays_inside_the_visit(db: Database, tmp_path: Path) -> None:
    _city(db)
    visit = records.create(
        db,
        "visit",
        {
            "title": "Mission to Kobe",
            "direction": "outgoing",
            "country": "JP",
            "city": "Kobe",
            "time_zone": "Asia/Tokyo",
            "start_date": "2026-04-28",
            "end_date": "2026-05-01",
        },
    ).id
    page = _glance(db, visit, tmp_path, shareable=False)
    assert "Holidays" in page and "Showa Day" in page
