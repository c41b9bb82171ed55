"""Notes typed on Windows, with control bytes, or with vCard and iCalendar's own
separators come back through desk's exports as text: whole, on one kind of line break,
and readable by other parsers."""

from __future__ import annotations

from pathlib import Path

from icalendar import Calendar

from desk.core import records
from desk.core.db import Database
from desk.io.calendar import export_ics
from desk.io.vcard import export_vcards, read_vcards

NOTE = "First line\r\nsecond; with, separators\rthird\x1b[31m red\\end"
READ_BACK = "First line\nsecond; with, separators\nthird\u241b[31m red\\end"


def test_a_vcard_note_round_trips(db: Database, tmp_path: Path) -> None:
    records.create(db, "contact", {"family_name": "Sato", "notes": NOTE})
    path = tmp_path / "cards.vcf"
    export_vcards(db, path)
    raw = path.read_bytes()
    assert b"\x1b" not in raw
    assert all(line.endswith(b"\r") or not line for line in raw.split(b"\n")[:-1])
    assert b"\r" not in raw.replace(b"\r\n", b"")  # no bare CR anywhere
    (_row, values), *_ = read_vcards(path)
    assert values["notes"] == READ_BACK


def test_an_ics_description_reads_back_in_another_parser(db: Database, tmp_path: Path) -> None:
    visit = records.create(
        db,
        "visit",
        {"title": "Mission\x07 to Kobe", "direction": "outgoing", "start_date": "2027-05-11"},
    ).id
    records.create(
        db,
        "itinerary_item",
        {
            "visit_id": visit,
            "title": "Courtesy call",
            "starts_at": "2027-05-11T10:00",
            "time_zone": "Asia/Tokyo",
            "notes": NOTE,
        },
    )
    path = tmp_path / "desk.ics"
    export_ics(db, path, since=None)
    raw = path.read_bytes()
    assert b"\x1b" not in raw and b"\x07" not in raw
    calendar = Calendar.from_ical(raw)
    texts = {
        str(e.get("summary")): str(e.get("description") or "") for e in calendar.walk("VEVENT")
    }
    assert texts["Courtesy call (Mission\u2407 to Kobe)"] == READ_BACK
