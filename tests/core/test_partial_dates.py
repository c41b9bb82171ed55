"""A founding, a signing or a term known only to its year or month stays so: stored,
shown, counted and remembered per year or month, never as a made-up January 1."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desk.core.domain import dates
from desk.core.features import agenda
from desk.core.store import records
from desk.core.store.db import Database
from desk.io.calendar import build_calendar
from desk.reports.annual.data import gather
from desk.reports.briefing.sections import next_anniversary
from desk.reports.survey.check import check
from desk.reports.survey.data import collect
from desk.reports.survey.workbook import export_survey


@pytest.mark.parametrize(
    ("stored", "long", "short"),
    [("1961", "1961", "1961"), ("1961-06", "June 1961", "6/1961")],
)
def test_a_partial_date_reads_as_what_is_known(stored: str, long: str, short: str) -> None:
    assert dates.month_day_year(stored) == long
    assert dates.long_date(stored) == long
    assert dates.short_date(stored) == short
    assert dates.readable(stored) == long
    assert dates.parse_partial(long) == stored  # and reads back the same


def test_the_span_a_partial_date_covers() -> None:
    assert (dates.first_day("1961"), dates.last_day("1961")) == (
        dt.date(1961, 1, 1),
        dt.date(1961, 12, 31),
    )
    assert dates.last_day("1960-02") == dt.date(1960, 2, 29)
    assert dates.last_day("1961-12") == dt.date(1961, 12, 31)


@pytest.mark.parametrize(
    ("stored", "on", "expected"),
    [
        ("1961", dt.date(2026, 12, 5), ("2026", 65)),
        ("1961-06", dt.date(2026, 3, 1), ("June 2026", 65)),
        ("1961-06", dt.date(2026, 7, 1), ("June 2027", 66)),
        ("1961-06-21", dt.date(2026, 6, 21), ("June 21, 2026", 65)),
        ("2026", dt.date(2026, 5, 1), None),
    ],
)
def test_anniversaries_are_per_year_or_month(
    stored: str, on: dt.date, expected: tuple[str, int] | None
) -> None:
    assert dates.anniversary(stored, on) == expected


def _partner(db: Database, name: str, established: str, **more: object) -> int:
    values = {"partner_name": name, "kind": "sister_city", "status": "active"}
    return records.create(db, "partnership", {**values, "established_date": established, **more}).id


def test_today_lists_a_round_year_only_anniversary_by_its_year(db: Database) -> None:
    _partner(db, "Kobe", "1976")  # 50 years in 2026
    _partner(db, "Matsue", "1980")  # 46: not round, and no month to come round in
    _partner(db, "Lyon", "1976-04")  # 50 years in April 2026
    _partner(db, "Bristol", "1983-03")  # 43, but this month
    today = dt.date(2026, 3, 10)
    items = [i for s in agenda.build(db, today).sections.values() for i in s]
    found = {i.title: i for i in items if i.what == "anniversary"}
    assert set(found) == {
        "Kobe: 50 years since 1976",
        "Lyon: 50 years since 1976",
        "Bristol: 43 years since 1983",
    }
    assert found["Kobe: 50 years since 1976"].when == "in 2026"
    assert found["Lyon: 50 years since 1976"].when == "in April 2026"
    assert found["Bristol: 43 years since 1983"].when == "in March 2026"
    # No made-up day: none of them is due on a January 1, or on any day; they are
    # listed by the last day they can fall on.
    assert all(i.due is None for i in found.values())
    later = [i.title.split(":")[0] for i in agenda.build(db, today).sections["later"]]
    assert [n for n in later if n in ("Kobe", "Lyon", "Bristol")] == ["Bristol", "Lyon", "Kobe"]


def test_the_record_summary_says_in_which_year(db: Database, qapp: object) -> None:
    from desk.ui.pages.partnership_page import PartnershipPage

    page = PartnershipPage(db)
    page.show_record(_partner(db, "Kobe", "1961"))
    year = dt.date.today().year
    assert page.subheading.text() == f"Established 1961; {year - 1961} years in {year}"


def test_the_packet_gives_the_year_of_the_next_anniversary() -> None:
    assert next_anniversary("1976", "2026-05-01") == "2026 (50 years)"
    assert next_anniversary("1976-04", "2026-05-01") == "April 2027 (51 years)"


def test_a_calendar_leaves_out_an_anniversary_without_a_day(db: Database) -> None:
    _partner(db, "Kobe", "1961")
    _partner(db, "Lyon", "1961-06-21")
    summaries = [str(e.get("summary")) for e in build_calendar(db).walk("VEVENT")]
    assert summaries == ["Anniversary: Lyon (since 1961)"]


def test_a_signing_known_to_its_year_counts_in_that_year(db: Database) -> None:
    kobe = _partner(db, "Kobe", "1961")
    records.create(
        db,
        "agreement",
        {"title": "Port MOU", "status": "signed", "signed_date": "2025", "partnership_id": kobe},
    )
    assert [a["title"] for a in gather(db, 2025, dt.date(2026, 2, 1)).agreements] == ["Port MOU"]
    assert gather(db, 2024, dt.date(2026, 2, 1)).agreements == []
    # Kobe turns 65 in 2026 (not round); a 1976 founding turns 50, dated by its year.
    _partner(db, "Lyon", "1976")
    assert gather(db, 2025, dt.date(2026, 2, 1)).anniversaries == [("2026", "Lyon", 50)]


def test_the_survey_writes_a_year_alone_and_checks_it_clean(db: Database, tmp_path: Path) -> None:
    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    kobe = _partner(db, "Kobe", "1961", country="JP")
    records.create(
        db,
        "agreement",
        {"title": "Port MOU", "status": "signed", "signed_date": "2019-06", "partnership_id": kobe},
    )
    signed = [a["signed_date"] for a in collect(db, 2016).engagements["agreements"]]
    assert signed == ["2019-06"]
    out = tmp_path / "survey.xlsx"
    export_survey(db, out, since=2016)
    # What is known and no more: a month alone as its words, never a made-up first day.
    sheet = load_workbook(out)["Agreements"]
    column = [c.value for c in sheet[1]].index("Signed") + 1
    cell = sheet.cell(row=2, column=column)
    assert (cell.value, cell.is_date) == ("June 2019", False)
    assert not [p for p in check(out) if "Signed" in p]


def test_titles_of_terms_and_status_changes_read_as_us_dates(db: Database) -> None:
    office = records.create(db, "office", {"title": "Mayor"}).id
    holder = records.create(db, "contact", {"family_name": "Sato", "given_name": "Ken"}).id
    titles = []
    for start, end in (("2021-05-01", "2025-04-30"), ("2021", None), (None, "June 2025")):
        term = records.create(
            db,
            "office_term",
            {"office_id": office, "contact_id": holder, "start_date": start, "end_date": end},
        ).id
        titles.append(records.title_of(db, "office_term", term))
    assert titles == ["5/1/2021 to 4/30/2025", "from 2021", "until 6/2025"]
    _partner(db, "Kobe", "1957-03")
    (change,) = db.execute("SELECT id FROM partnership_status_changes").fetchone()
    assert records.title_of(db, "status_change", change) == "Active, 3/1957"


def test_the_annual_reports_year_ahead_lists_only_anniversaries_still_to_come(
    db: Database,
) -> None:
    _partner(db, "Sharjah", "2021-01-09")  # 5 years on January 9, 2026: passed
    _partner(db, "Curitiba", "2002-01-09")  # 25 years on January 9, 2027: to come
    _partner(db, "Oldmonth", "2006-06")  # 20 years in June 2026: passed
    _partner(db, "Lateyear", "2006")  # 20 years in 2026: this year still runs
    found = gather(db, 2026, dt.date(2026, 12, 5)).anniversaries
    assert found == [("2026", "Lateyear", 20), ("2027-01-09", "Curitiba", 25)]


def test_a_status_dated_before_a_year_alone_says_in_that_year(db: Database) -> None:
    from desk.core.errors import ValidationError

    kobe = _partner(db, "Kobe", "1955")
    records.change_status(db, kobe, "dormant", "1961", "No exchanges")
    with pytest.raises(ValidationError, match=r"last status change, in 1961; date the change"):
        records.change_status(db, kobe, "active", "1960-05-01", "Revived")
