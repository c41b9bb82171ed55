from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar
from python_calamine import CalamineWorkbook

from desk.cli.main import main
from desk.core.store import queries, records
from desk.core.store.db import Database, open_database
from desk.io import importer
from desk.io.calendar import export_ics
from desk.io.list_export import export_list
from desk.io.vcard import export_vcards, read_vcards

DATA = Path(__file__).parent.parent / "data"
FIELDS = (
    "honorific",
    "given_name",
    "family_name",
    "name_native",
    "job_title",
    "email",
    "phone",
    "mobile",
    "languages",
    "time_zone",
    "country",
    "dietary",
    "written_address",
    "spoken_address",
    "notes",
)


def _contacts(db: Database) -> list[tuple[object, ...]]:
    out = []
    for row in queries.list_records(db, queries.ListQuery("contact")):
        org = row["organisation_id"]
        out.append(
            (*(row[f] for f in FIELDS), records.title_of(db, "organisation", org) if org else None)
        )
    return sorted(out, key=repr)


def test_vcards_round_trip(demo_db: Database, tmp_path: Path) -> None:
    cards = tmp_path / "contacts.vcf"
    assert export_vcards(demo_db, cards) == 250
    text = cards.read_bytes().decode("utf-8")  # read_text would turn CRLF into LF
    assert "FN;ALTID=1;LANGUAGE=ja:" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    # Into the same desk: every card is recognised, nothing is duplicated.
    plan = importer.plan_rows(demo_db, "contact", read_vcards(cards), "contacts.vcf", "vCard")
    assert plan.counts() == {"new": 0, "match": 250, "problem": 0}
    # Into a new desk, and out again: the same contacts.
    fresh = open_database(tmp_path / "fresh.sqlite")
    importer.apply_plan(
        fresh, importer.plan_rows(fresh, "contact", read_vcards(cards), "contacts.vcf", "vCard")
    )
    assert _contacts(fresh) == _contacts(demo_db)
    again = tmp_path / "again.vcf"
    export_vcards(fresh, again)
    strip = [line for line in text.split("\r\n") if not line.startswith("UID:")]
    assert [
        line
        for line in again.read_bytes().decode("utf-8").split("\r\n")
        if not line.startswith("UID:")
    ] == strip


def test_address_book_vcard_30(db: Database) -> None:
    found = dict(read_vcards(DATA / "address_book_30.vcf"))
    helene, taro = found[1], found[2]
    assert (helene["family_name"], helene["given_name"], helene["honorific"]) == (
        "Lefèvre",
        "Hélène",
        "Mme",
    )
    assert helene["organisation_id"] == "Ville de Nantes"
    assert helene["email"] == "helene.lefevre@example.fr"
    assert helene["mobile"] == "+33 6 12 34 56 78" and helene["phone"] == "+33 2 40 41 90 00"
    assert helene["country"] == "France"
    assert helene["notes"] == "Prefers French in meetings, English in writing.\nVegetarian."
    assert (taro["family_name"], taro["given_name"]) == ("山田", "太郎")
    assert taro["notes"].endswith("seventy-five octets on one line.")
    plan = importer.plan_rows(db, "contact", list(found.items()), "book.vcf", "vCard")
    assert plan.counts() == {"new": 2, "match": 0, "problem": 0}
    importer.apply_plan(db, plan)
    assert queries.count(db, "organisation") == 1


def test_calendar_reads_back_with_times_and_zones(demo_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "desk.ics"
    count = export_ics(demo_db, out, since=dt.date(2020, 1, 1))
    calendar = Calendar.from_ical(out.read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == count > 100
    zones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert {"Asia/Tokyo", "America/Los_Angeles"} <= zones
    item = demo_db.execute(
        "SELECT uid, starts_at, time_zone FROM itinerary_items WHERE time_zone = 'Asia/Tokyo' "
        "LIMIT 1"
    ).fetchone()
    event = next(e for e in events if str(e["UID"]) == f"{item[0]}@desk")
    start = event.decoded("DTSTART")
    expected = dt.datetime.fromisoformat(item[1]).replace(tzinfo=ZoneInfo("Asia/Tokyo"))
    assert start == expected and str(start.tzinfo) == "Asia/Tokyo"
    assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
    deadline = demo_db.execute(
        "SELECT uid, decision_deadline FROM agreements WHERE decision_deadline IS NOT NULL LIMIT 1"
    ).fetchone()
    due = next(e for e in events if str(e["UID"]) == f"{deadline[0]}-deadline@desk")
    assert due.decoded("DTSTART") == dt.date.fromisoformat(deadline[1])
    anniversaries = [e for e in events if str(e["SUMMARY"]).startswith("Anniversary")]
    assert anniversaries and all(e["RRULE"]["FREQ"] == ["YEARLY"] for e in anniversaries)


def test_list_export_keeps_formulas_out(db: Database, tmp_path: Path) -> None:
    for name in ('=HYPERLINK("http://x")', "+1 555 0100", "-dash", "@mention", "Kobe 神戸"):
        records.create(db, "organisation", {"name": name, "country": "JP"})
    csv_out = tmp_path / "orgs.csv"
    assert export_list(db, queries.ListQuery("organisation"), csv_out) == 5
    text = csv_out.read_text("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+1 555 0100" in text and "Kobe 神戸" in text
    xlsx_out = tmp_path / "orgs.xlsx"
    export_list(db, queries.ListQuery("organisation"), xlsx_out)
    with zipfile.ZipFile(xlsx_out) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    names = [
        row[1]
        for row in CalamineWorkbook.from_path(str(xlsx_out)).get_sheet_by_index(0).to_python()[1:]
    ]
    assert sorted(names) == sorted(
        ['=HYPERLINK("http://x")', "+1 555 0100", "-dash", "@mention", "Kobe 神戸"]
    )


def test_cli_exports(demo_db: Database, tmp_path: Path) -> None:
    path = Path(demo_db.conn.execute("PRAGMA database_list").fetchone()[2])
    for fmt, extra in (
        ("ics", []),
        ("vcard", []),
        ("csv", ["--kind", "partnerships"]),
        ("xlsx", ["--kind", "visits", "--filter", "Matsue"]),
    ):
        out = tmp_path / f"out.{fmt}"
        assert main(["--db", str(path), "export", fmt, "--out", str(out), *extra]) == 0
        assert out.stat().st_size > 0
    assert main(["--db", str(path), "export", "csv", "--out", str(tmp_path / "x.csv")]) == 1


BUSY_CARD = """BEGIN:VCARD
VERSION:3.0
N:Okafor;Grace;;Mayor;
FN:Grace Okafor
EMAIL;TYPE=INTERNET,WORK,PREF:grace.okafor@portmeridian.example.gov
EMAIL;TYPE=INTERNET,HOME:grace@example.org
EMAIL;TYPE=INTERNET:g.okafor@mayors.example.net
TEL;TYPE=WORK,VOICE:+1 503 555 0100
TEL;TYPE=CELL:+1 503 555 0199
TEL;TYPE=FAX:+1 503 555 0101
TEL;TYPE=HOME:+1 503 555 0142
ADR;TYPE=WORK:;;1 City Hall Plaza;Port Meridian;OR;97201;USA
ADR;TYPE=HOME:;Apt 4;22 Harbor Lane;Port Meridian;OR;97202;USA
URL;TYPE=WORK:https://portmeridian.example.gov/mayor
END:VCARD
"""


def test_a_vcard_keeps_every_email_phone_and_address_with_its_type(
    db: Database, tmp_path: Path
) -> None:
    source = tmp_path / "busy.vcf"
    source.write_text(BUSY_CARD, encoding="utf-8")
    plan = importer.plan_rows(db, "contact", read_vcards(source), "busy.vcf", "vCard")
    importer.apply_plan(db, plan)
    (contact,) = db.query("SELECT * FROM contacts")
    # The first of each kind fills the contact's own fields, as before...
    assert contact["email"] == "grace.okafor@portmeridian.example.gov"
    assert (contact["phone"], contact["mobile"]) == ("+1 503 555 0100", "+1 503 555 0199")
    # ...and none of the rest is dropped: each with its type.
    details = [
        (d["channel"], d["label"], d["value"])
        for d in db.query("SELECT * FROM contact_details ORDER BY id")
    ]
    assert details == [
        ("email", "home", "grace@example.org"),
        ("email", None, "g.okafor@mayors.example.net"),
        ("phone", "fax", "+1 503 555 0101"),
        ("phone", "home", "+1 503 555 0142"),
        ("address", "work", "1 City Hall Plaza, Port Meridian, OR, 97201, USA"),
        ("address", "home", "Apt 4, 22 Harbor Lane, Port Meridian, OR, 97202, USA"),
        ("website", "work", "https://portmeridian.example.gov/mayor"),
    ]
    # Out again and read by another parser: every email and number is there.
    out = tmp_path / "out.vcf"
    export_vcards(db, out)
    import vobject

    card = vobject.readOne(out.read_text(encoding="utf-8"))
    emails = sorted(e.value for e in card.contents["email"])
    assert emails == sorted(
        [
            "grace.okafor@portmeridian.example.gov",
            "grace@example.org",
            "g.okafor@mayors.example.net",
        ]
    )
    numbers = {t.value for t in card.contents["tel"]}
    assert {"+1 503 555 0100", "+1 503 555 0199", "+1 503 555 0101", "+1 503 555 0142"} <= numbers
    assert len(card.contents["adr"]) >= 2 and "url" in card.contents
    # The import is one batch: undone, the details go with their contact.
    importer.undo_batch(db, importer.batches(db)[0]["id"])
    assert list(db.query("SELECT * FROM contact_details")) == []
