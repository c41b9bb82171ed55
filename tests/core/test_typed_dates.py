"""Dates as people type them are taken everywhere a date is asked for; what is shown
back is the U.S. short style, one style everywhere."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from desk.cli.main import main
from desk.core.domain.kinds import KINDS
from desk.core.errors import ValidationError
from desk.core.store import queries, records
from desk.core.store.db import Database, open_database
from desk.io import importer


@pytest.mark.parametrize(
    "typed",
    [
        "1972-03-24",
        "3/24/1972",
        "03/24/1972",
        "3/24/72",
        "March 24, 1972",
        "March 24 1972",
        "Mar 24, 1972",
        "24 March 1972",
        "Friday, March 24, 1972",
        "24.03.1972",
        "  3/24/1972 ",
    ],
)
def test_a_date_typed_any_usual_way_is_stored_the_same(db: Database, typed: str) -> None:
    rid = records.create(
        db,
        "partnership",
        {"partner_name": "Kobe", "kind": "sister_city", "established_date": typed},
    ).id
    assert records.get(db, "partnership", rid)["established_date"] == "1972-03-24"


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("24/3/1972", " (slashes read the month first, as in 3/24/1972)."),
        ("the sixties", "."),
        ("next blursday", "."),
        ("March 1972", " (the day is needed here, not only the year or month)."),
        ("2/30/2024", " (February 2024 has no day 30)."),
        ("tomorrow 3pm", " (a date is asked for here, without a time)."),
    ],
)
def test_what_is_not_a_whole_date_is_refused_with_examples(
    db: Database, typed: str, why: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        records.create(db, "follow_up", {"title": "Send the letters", "due_date": typed})
    assert str(caught.value) == (
        "'Due' (due_date) must be a date like 5/31/2024, May 31, 2024 or 2024-05-31 "
        f"(or today, next friday, in 2 weeks), got '{typed}'{why}"
    )


@pytest.mark.parametrize(
    ("typed", "days"),
    [("today", 0), ("tomorrow", 1), ("yesterday", -1), ("in 2 weeks", 14), ("3 days ago", -3)],
)
def test_a_day_said_relative_to_today(db: Database, typed: str, days: int) -> None:
    rid = records.create(db, "follow_up", {"title": "Send the letters", "due_date": typed}).id
    expected = dt.date.today() + dt.timedelta(days=days)
    assert records.get(db, "follow_up", rid)["due_date"] == expected.isoformat()


def test_next_friday_is_a_friday_ahead(db: Database) -> None:
    rid = records.create(
        db, "follow_up", {"title": "Send the letters", "due_date": "next friday"}
    ).id
    day = dt.date.fromisoformat(records.get(db, "follow_up", rid)["due_date"])
    assert day.weekday() == 4 and 1 <= (day - dt.date.today()).days <= 7


def test_a_month_alone_where_a_day_is_needed_says_so(db: Database) -> None:
    with pytest.raises(ValidationError, match="the day is needed here"):
        records.create(db, "follow_up", {"title": "Send the letters", "due_date": "June 2026"})


# -- local dates and times: the itinerary ---------------------------------------------------

LA = "America/Los_Angeles"


def _visit(db: Database) -> int:
    return records.create(db, "visit", {"title": "Mission to Kobe", "direction": "outgoing"}).id


def _item(db: Database, starts_at: str, zone: str = LA) -> int:
    return records.create(
        db,
        "itinerary_item",
        {"visit_id": _visit(db), "title": "Call", "starts_at": starts_at, "time_zone": zone},
    ).id


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("3/8/2027 1:00 PM", "2027-03-08T13:00"),
        ("2027-03-08T13:00", "2027-03-08T13:00"),
        ("2027-03-08 13:00", "2027-03-08T13:00"),
        ("March 8, 2027 1 pm", "2027-03-08T13:00"),
        ("11/1/2026 1:30 AM PDT", "2026-11-01T01:30-07:00"),
        ("11/1/2026 1:30 AM PST", "2026-11-01T01:30-08:00"),
        ("2026-11-01T01:30-08:00", "2026-11-01T01:30-08:00"),
        ("2027-03-08T13:00-08:00", "2027-03-08T13:00"),  # one moment only: no offset kept
    ],
)
def test_a_local_time_typed_any_usual_way(db: Database, typed: str, stored: str) -> None:
    rid = _item(db, typed)
    assert records.get(db, "itinerary_item", rid)["starts_at"] == stored


def test_a_time_relative_to_today(db: Database) -> None:
    rid = _item(db, "tomorrow 3pm", "Asia/Tokyo")
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert records.get(db, "itinerary_item", rid)["starts_at"] == f"{tomorrow}T15:00"


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (
            "11/1/2026 1:30 AM",
            "'Starts (local time)' (starts_at): 1:30 AM on November 1, 2026 happens twice in "
            "Los Angeles: clocks go back from 2:00 to 1:00 AM. Say which: 1:30 AM PDT (-07:00) "
            "for the first, 1:30 AM PST (-08:00) for the second.",
        ),
        (
            "3/14/2027 2:30 AM",
            "'Starts (local time)' (starts_at): 2:30 AM does not exist on March 14, 2027 in "
            "Los Angeles: clocks go forward from 2:00 to 3:00 AM.",
        ),
        (
            "3/8/2027",
            "'Starts (local time)' (starts_at) needs a time as well as a day, like 3/8/2027 "
            "1:00 PM, 2027-03-08 13:00 or tomorrow 3pm, got '3/8/2027'.",
        ),
        (
            "3/8/2027 1:00 PM EST",
            "'Starts (local time)' (starts_at): 1:00 PM on March 8, 2027 in Los Angeles is PST "
            "(-08:00), not EST; give the time without it, or with the zone's own.",
        ),
    ],
)
def test_a_local_time_a_clock_change_leaves_unclear_is_refused(
    db: Database, typed: str, said: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        _item(db, typed)
    assert str(caught.value) == said
    assert not re.search(r"\dT\d", said)  # never an ISO time with its 'T'


def test_an_edit_of_the_time_alone_is_read_in_the_items_zone(db: Database) -> None:
    rid = _item(db, "3/8/2027 1:00 PM")
    with pytest.raises(ValidationError, match="happens twice in Los Angeles"):
        records.update(db, "itinerary_item", rid, {"starts_at": "11/1/2026 1:30 AM"})
    records.update(db, "itinerary_item", rid, {"starts_at": "11/1/2026 1:30 AM PST"})
    row = records.get(db, "itinerary_item", rid)
    assert row["starts_at"] == "2026-11-01T01:30-08:00"
    field = KINDS["itinerary_item"].field_map["starts_at"]
    assert queries.display(db, field, row["starts_at"], row) == "11/1/2026 1:30 AM PST"
    # The same time in Tokyo, which keeps no daylight time, is one moment.
    records.update(
        db, "itinerary_item", rid, {"starts_at": "11/1/2026 1:30 AM", "time_zone": "Asia/Tokyo"}
    )
    assert records.get(db, "itinerary_item", rid)["starts_at"] == "2026-11-01T01:30"


# -- the command line ----------------------------------------------------------------------


def _run(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_takes_dates_and_times_as_people_type_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "city.sqlite"
    db = open_database(path)
    visit = _visit(db)
    db.close()
    code, out, err = _run(
        capsys,
        path,
        "add",
        "itinerary_item",
        f"visit_id={visit}",
        "title=Courtesy call",
        "starts_at=3/8/2027 1:00 PM",
        f"time_zone={LA}",
        "--json",
    )
    assert (code, err) == (0, "")
    item = str(json.loads(out)["id"])
    assert json.loads(out)["starts_at"] == "2027-03-08T13:00"

    code, _, err = _run(capsys, path, "edit", "itinerary_item", item, "starts_at=11/1/2026 1:30 AM")
    assert code == 1
    assert "happens twice in Los Angeles" in err and "(-07:00)" in err and "(-08:00)" in err
    code, _, err = _run(capsys, path, "edit", "itinerary_item", item, "starts_at=3/14/2027 2:30 AM")
    assert code == 1 and "2:30 AM does not exist on March 14, 2027 in Los Angeles" in err

    code, _, err = _run(
        capsys, path, "edit", "itinerary_item", item, "starts_at=11/1/2026 1:30 AM PST"
    )
    assert (code, err) == (0, "")
    code, out, _ = _run(capsys, path, "show", "itinerary_item", item)
    assert code == 0 and "11/1/2026 1:30 AM PST" in out and "T01:30" not in out

    code, _, err = _run(
        capsys, path, "add", "follow_up", "title=Thank-you letters", "due_date=in 2 weeks"
    )
    assert code == 0, err
    code, _, err = _run(capsys, path, "add", "follow_up", "title=Letters", "due_date=someday")
    assert code == 1 and "'Due' (due_date) must be a date like 5/31/2024" in err
    db = open_database(path)
    due = db.execute("SELECT due_date FROM follow_ups").fetchone()[0]
    db.close()
    assert due == (dt.date.today() + dt.timedelta(days=14)).isoformat()


def test_imports_read_dates_with_the_same_reader(db: Database, tmp_path: Path) -> None:
    sheet = tmp_path / "partners.csv"
    sheet.write_text(
        'Partner City,Established,Type\nKobe,"March 24, 1972",Sister\n'
        "Lyon,2/30/1972,Sister\nTurku,June 1961,Sister\n",
        encoding="utf-8",
    )
    plan = importer.plan_file(db, "partnership", sheet)
    assert plan.problems() == [
        "Row 3, column 'Established': 'Established' must be a date like 6/21/1961, "
        "June 21, 1961, June 1961 or 1961, got '2/30/1972' (February 1972 has no day 30)."
    ]
    importer.apply_plan(db, plan, skip_problems=True)
    found = dict(db.execute("SELECT partner_name, established_date FROM partnerships"))
    assert found == {"Kobe": "1972-03-24", "Turku": "1961-06"}


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("1972", "1972", "1972"),
        ("March 1972", "1972-03", "3/1972"),
        ("Mar. 1972", "1972-03", "3/1972"),
        ("3/1972", "1972-03", "3/1972"),
        ("1972-03", "1972-03", "3/1972"),
    ],
)
def test_a_founding_known_to_its_year_or_month_stays_so(
    db: Database, typed: str, stored: str, shown: str
) -> None:
    rid = records.create(
        db,
        "partnership",
        {"partner_name": "Kobe", "kind": "sister_city", "established_date": typed},
    ).id
    assert records.get(db, "partnership", rid)["established_date"] == stored
    assert queries.describe(db, "partnership", rid)["fields"]["Established"] == shown
    # The founding status change takes the same date, not a made-up January 1.
    assert (
        db.execute(
            "SELECT changed_on FROM partnership_status_changes WHERE partnership_id = ?", (rid,)
        ).fetchone()[0]
        == stored
    )


@pytest.mark.parametrize("typed", ["the sixties", "13/1972", "1700", "spring 1972"])
def test_what_is_no_date_at_all_is_refused_where_a_year_would_do(db: Database, typed: str) -> None:
    with pytest.raises(ValidationError, match="Established"):
        records.create(
            db,
            "partnership",
            {"partner_name": "Kobe", "kind": "sister_city", "established_date": typed},
        )


def test_lists_and_records_show_dates_in_one_us_style(db: Database) -> None:
    records.create(
        db,
        "partnership",
        {"partner_name": "Kobe", "kind": "sister_city", "established_date": "1972-03-24"},
    )
    field = KINDS["partnership"].field_map["established_date"]
    assert queries.display(db, field, "1972-03-24") == "3/24/1972"
    assert queries.describe(db, "partnership", 1)["fields"]["Established"] == "3/24/1972"
