"""The pickup sheet: a landscape page per day of arrivals, read back with poppler and
checked with qpdf; names in every script, user text printed as written, a time without
its zone said so, a delegation of 150 on pages that count themselves; and the packet's
travel table built from the same plan."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import LETTER, landscape

from desk.cli.main import main
from desk.core.features import travel
from desk.core.store import records
from desk.core.store.db import Database, open_database
from desk.reports.briefing.pickups import build_pickups, travel_section
from desk.reports.writers.pdf import DeskDocument
from tests.core.test_travel import _demo_with_travel
from tests.reports.conftest import folded, pdftotext, qpdf_check

LA = "America/Los_Angeles"


def _visit(db: Database) -> int:
    records.create(
        db,
        "city",
        {
            "name": "Port Meridian",
            "state": "Oregon",
            "office_name": "Office of International Affairs",
            "time_zone": LA,
        },
    )
    visit = records.create(
        db,
        "visit",
        {
            "title": "Delegation from Matsue",
            "direction": "incoming",
            "time_zone": LA,
            "start_date": "2027-03-11",
            "end_date": "2027-03-13",
        },
    ).id
    records.create(
        db,
        "itinerary_item",
        {
            "visit_id": visit,
            "title": "Courtesy call",
            "starts_at": "2027-03-11T09:00",
            "time_zone": LA,
        },
    )
    return visit


def _delegate(db: Database, visit: int, **contact: Any) -> int:
    person = records.create(db, "contact", contact).id
    return records.create(
        db, "participant", {"visit_id": visit, "contact_id": person, "side": "theirs"}
    ).id


def _arrival(db: Database, visit: int, who: int | None, at: str, **values: Any) -> None:
    records.create(
        db,
        "travel_leg",
        {
            "visit_id": visit,
            "participant_id": who,
            "direction": "arrival",
            "carrier": "Delta Air Lines",
            "number": "DL 166",
            "from_place": "Tokyo Haneda (HND)",
            "to_place": "Portland (PDX)",
            "departs_at": "2027-03-10 17:00",
            "departs_zone": "Asia/Tokyo",
            "arrives_at": at,
            "time_zone": LA,
            **values,
        },
    )


def _pages(pdf: bytes) -> list[Any]:
    return list(PdfReader(io.BytesIO(pdf)).pages)


def test_a_demo_delegations_sheet_reads_as_the_airport_run(tmp_path: Path) -> None:
    from tests.conftest import DEMO_TODAY

    db = _demo_with_travel(tmp_path / "demo.sqlite", DEMO_TODAY)
    # The delegation from Suzhou: a connection over the date line, a delegate who
    # leaves before the farewell, Chinese names.
    visit = db.execute("SELECT id FROM visits WHERE title = 'Delegation from Suzhou'").fetchone()[0]
    out = tmp_path / "pickups.pdf"
    pdf = build_pickups(db, visit, out)
    plan = travel.read(db, visit)
    db.close()
    pages = _pages(pdf)
    width, height = landscape(LETTER)
    assert all(
        float(p.mediabox.width) == pytest.approx(width)
        and float(p.mediabox.height) == pytest.approx(height)
        for p in pages
    )
    assert len(pages) <= 2
    text = folded(pdftotext(out))
    assert "Airport pickups: Delegation from Suzhou" in text
    assert "SENSITIVE - NOT FOR DISTRIBUTION" in text
    for traveler in plan.travelers:
        assert folded(traveler.name) in text
        if traveler.native:
            assert folded(traveler.native) in text
    first = plan.arrivals[0]
    assert first.when is not None
    assert f"{first.leg.number}, {first.leg.carrier}" in text
    assert "Met by" in text and "Meridian Waterfront Hotel" in text
    assert re.search(r"\(UTC-[78]\)", text)
    assert "leaves before the program ends" in text
    assert f"Page 1 of {len(pages)}" in text
    # Read in order: the arrivals come before the departures.
    assert text.index("Lands") < text.index("Departures") < text.index("Leaves")
    qpdf_check(out)


def test_an_outgoing_missions_sheet_says_who_the_hosts_meet(tmp_path: Path) -> None:
    from tests.conftest import DEMO_TODAY

    db = _demo_with_travel(tmp_path / "demo.sqlite", DEMO_TODAY)
    visit = db.execute("SELECT id FROM visits WHERE title = 'Mission to Tainan'").fetchone()[0]
    out = tmp_path / "tainan.pdf"
    build_pickups(db, visit, out)
    db.close()
    text = folded(pdftotext(out))
    assert "Arrivals: Mission to Tainan" in text
    assert "Who our hosts meet" in text
    assert "(UTC+8)" in text and "Grace Okafor" in text
    assert "Taiwan High Speed Rail" in text
    qpdf_check(out)


def test_every_script_and_any_markup_comes_back_as_written(db: Database, tmp_path: Path) -> None:
    visit = _visit(db)
    people = {
        "Fatima Al-Ali": _delegate(
            db, visit, given_name="Fatima", family_name="Al-Ali", name_native="فاطمة العلي"
        ),
        "Noa Levi": _delegate(db, visit, given_name="Noa", family_name="Levi"),
        "Nakamura Daisuke": _delegate(
            db,
            visit,
            given_name="Daisuke",
            family_name="Nakamura",
            name_native="中村大輔",
            name_order="family_first",
        ),
        "Kim Min-jun": _delegate(
            db,
            visit,
            given_name="Min-jun",
            family_name="Kim",
            name_native="김민준",
            name_order="family_first",
        ),
    }
    for n, who in enumerate(people.values()):
        _arrival(
            db,
            visit,
            who,
            "2027-03-10 09:50",
            transport="<b>van</b> & <img src='/etc/passwd'/> =SUM(A1)" if n == 0 else "Van",
            hotel="Hôtel <i>Ritz</i>",
            room="12\x07B",
        )
    out = tmp_path / "scripts.pdf"
    build_pickups(db, visit, out)
    text = folded(pdftotext(out))
    for name in people:
        assert name in text
    assert "中村大輔" in text and "김민준" in text
    arabic = folded("فاطمة العلي")
    assert arabic in text or all(w in text or w[::-1] in text for w in arabic.split())
    assert "<b>van</b> & <img src='/etc/passwd'/> =SUM(A1)" in text
    assert "Hôtel <i>Ritz</i>" in text
    assert "Wednesday, March 10, 2027" in text and "9:50 AM" in text
    qpdf_check(out)


def test_sparse_a_visit_with_nothing_recorded_and_a_leg_without_a_zone(
    db: Database, tmp_path: Path
) -> None:
    visit = _visit(db)
    nobody = _delegate(db, visit, given_name="Ken", family_name="Sato")
    out = tmp_path / "empty.pdf"
    build_pickups(db, visit, out)
    text = folded(pdftotext(out))
    assert "No arrival is recorded for this visit yet." in text
    assert "No arrival recorded (1 traveler)" in text and "Ken Sato" in text
    _arrival(db, visit, nobody, "2027-03-10 15:40", time_zone=None)
    build_pickups(db, visit, out)
    text = folded(pdftotext(out))
    assert "(time zone not recorded)" in text
    assert "put in order as Los Angeles time" in text
    qpdf_check(out)


def test_a_hundred_and_fifty_delegates_run_onto_counted_pages(db: Database, tmp_path: Path) -> None:
    visit = _visit(db)
    names = []
    for n in range(150):
        family = f"Delegate{n:03d}"
        names.append(f"Yuki {family}")
        who = _delegate(db, visit, given_name="Yuki", family_name=family)
        if n % 10 == 9:
            continue
        at = dt.datetime(2027, 3, 10, 8) + dt.timedelta(minutes=23 * n)
        _arrival(db, visit, who, at.strftime("%Y-%m-%d %H:%M"), number=f"UA {100 + n % 12}")
    out = tmp_path / "many.pdf"
    pdf = build_pickups(db, visit, out)
    pages = len(_pages(pdf))
    assert pages > 2
    text = folded(pdftotext(out))
    for name in names:
        assert name in text
    assert f"Page {pages} of {pages}" in text
    assert "No arrival recorded (15 travelers)" in text
    # The days in order, each under its own heading (after the summary, which names two).
    text = text[text.index("the order of the day") :]
    days = [
        d for d in ("Wednesday, March 10", "Thursday, March 11", "Friday, March 12") if d in text
    ]
    assert days and [text.index(d) for d in days] == sorted(text.index(d) for d in days)
    qpdf_check(out)


def test_the_packets_travel_table_comes_from_the_same_plan(db: Database, tmp_path: Path) -> None:
    visit = _visit(db)
    late = _delegate(db, visit, given_name="Ken", family_name="Sato")
    _delegate(db, visit, given_name="Noflight", family_name="Ito")
    _arrival(db, visit, late, "2027-03-11 10:45", hotel="Harbor Hotel", room="1204")
    plan = travel.read(db, visit)
    buffer = io.BytesIO()
    doc = DeskDocument(buffer, title="t", header="h", marking="", footer="f")
    flowables = travel_section(doc.styles, plan)
    assert flowables
    doc.render(flowables)
    out = tmp_path / "section.pdf"
    out.write_bytes(buffer.getvalue())
    text = folded(pdftotext(out))
    assert "Travel, by traveler" in text
    assert "Ken Sato" in text and "Harbor Hotel, room 1204" in text
    assert "lands 1 h 45 min after “Courtesy call” starts at 9:00 AM" in text
    assert "Noflight Ito" in text and "no arrival recorded" in text
    # Nobody travels and nothing is recorded: no table.
    records.update(db, "visit", visit, {"mode": "virtual"})
    db.execute("DELETE FROM travel_legs")
    assert travel_section(doc.styles, travel.read(db, visit)) == []


def test_the_command_writes_the_sheet_or_prints_it(
    db_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = open_database(db_path)
    visit = _visit(db)
    who = _delegate(db, visit, given_name="Ken", family_name="Sato")
    _arrival(db, visit, who, "2027-03-11 10:45", met_by="Tom Hayes")
    db.close()
    out = tmp_path / "sheet.pdf"
    assert main(["--db", str(db_path), "pickups", "Delegation from Matsue", "--out", str(out)]) == 0
    assert "Pickup sheet written to" in capsys.readouterr().out
    assert "Ken Sato" in pdftotext(out)
    assert main(["--db", str(db_path), "pickups", str(visit)]) == 0
    printed = capsys.readouterr().out
    assert "Airport pickups: Delegation from Matsue" in printed
    assert "Thursday, March 11, 2027" in printed
    assert "10:45 AM (UTC-8)  DL 166, Delta Air Lines" in printed
    assert "Met by Tom Hayes" in printed
    assert "CHECK: lands 1 h 45 min after “Courtesy call” starts at 9:00 AM" in printed
    assert main(["--db", str(db_path), "pickups", "No such visit"]) != 0
