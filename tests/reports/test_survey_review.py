"""The survey workbook as its administrator reads it: what it counts as of which day,
what it leaves out and why, a Summary whose every figure and word can be trusted (and a
check that says so when one cannot), partners placed at their level, and dates written
as what is known, never a made-up day."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from desk.cli.main import main
from desk.core.reference import places
from desk.core.store import records
from desk.core.store.db import Database
from desk.reports.survey.check import check
from desk.reports.survey.data import collect
from desk.reports.survey.edition import load
from desk.reports.survey.workbook import write_workbook
from tests.conftest import DEMO_TODAY


@pytest.fixture
def workbook(demo_db: Database, tmp_path: Path) -> Path:
    """The demo city's workbook, counted as of the demo's today."""
    out = tmp_path / "survey.xlsx"
    write_workbook(load(), collect(demo_db, 2016, DEMO_TODAY), out)
    return out


def _first_column(path: Path, sheet: str) -> list[str]:
    book = load_workbook(path)
    return [str(v) for (v,) in book[sheet].iter_rows(max_col=1, values_only=True) if v]


def _summary_rows(path: Path) -> dict[str, tuple[Any, ...]]:
    sheet = load_workbook(path)["Summary"]
    return {str(row[0]): row for row in sheet.iter_rows(values_only=True) if row[0]}


def _seeded(source: Path, target: Path, code: str, column: int, value: Any) -> Path:
    """A copy of the workbook with one Summary cell of `code`'s row changed."""
    shutil.copyfile(source, target)
    book = load_workbook(target)
    for cells in book["Summary"].iter_rows():
        if cells[0].value == code:
            cells[column].value = value
    book.save(target)
    return target


def test_every_partnership_and_membership_left_out_is_named_with_why(workbook: Path) -> None:
    """Not only the U.S. associations: a partnership ended before the window's end with
    nothing in it, and a membership of an international network left within the window
    (counted as a partnership is, by its standing on the day), one line each."""
    lines = _first_column(workbook, "Instructions")
    at = next(n for n, line in enumerate(lines) if line.startswith("Not counted:"))
    left_out = dict(line.split(": ", 1) for line in lines[at + 1 :])
    assert set(left_out) == {
        "Kyoto University",
        "Sister Cities International",
        "Strong Cities Network",
        "Welcoming America",
    }
    assert left_out["Kyoto University"].startswith("the partnership is ended (since 3/31/2019)")
    assert left_out["Strong Cities Network"].startswith("the city left it ")
    assert "a membership counts while it holds" in left_out["Strong Cities Network"]
    assert "not an international city network" in left_out["Welcoming America"]


def test_the_workbook_says_as_of_which_day_and_its_window(workbook: Path) -> None:
    said = "As of November 23, 2026; survey window January 1, 2016 – November 23, 2026"
    assert any(line.startswith(said) for line in _first_column(workbook, "Instructions"))
    assert said in _first_column(workbook, "Summary")
    assert check(workbook, today=DEMO_TODAY) == []


def test_the_summary_names_every_method_labels_its_columns_and_shares_countries_fairly(
    workbook: Path,
) -> None:
    rows = _summary_rows(workbook)
    # One label for a priority area everywhere: the vocabulary's, as the other sheets.
    assert rows["culture_education"][1] == "Culture & education"
    assert rows["climate_sustainability"][1] == "Climate & sustainability"
    # Every method of the survey is a row, a method no engagement used included.
    assert rows["mission_sent"][1:4] == ("Mission sent abroad", 0, 0)
    # The capacity lines say what each figure is.
    assert rows["Capacity"][1:5] == ("What the figures are", "This city", None, "Cities nationally")
    assert rows["Staff with international duties"][1].startswith("This city: how many people.")
    # A country's share is of the 18 engagements with a country, not of all 21: the
    # three networks have none, and the shares add up to 100%.
    country_rows = [r for code, r in rows.items() if len(code) == 2 and code.isupper()]
    assert round(rows["MX"][3], 4) == round(2 / 18, 4)
    assert round(sum(r[3] for r in country_rows), 9) == 1
    assert any("of the 18 that have a country" in str(r[0]) for r in rows.values())


@pytest.mark.parametrize(
    ("code", "column", "value", "said"),
    [
        (
            "sister_city",
            1,
            "Sector partnership / MOU",
            "column 'Method': says 'Sector partnership / MOU', but the code sister_city is "
            "'Sister city'.",
        ),
        (
            "sister_city",
            2,
            "9",
            "column 'Engagements': sister_city holds the text '9' where a number belongs (type 9).",
        ),
        (
            "sister_city",
            2,
            "=9",
            "column 'Engagements': sister_city holds a formula (=9) where a number belongs "
            "(type 9).",
        ),
        (
            "sister_city",
            3,
            "=9/21",
            "column 'Share': sister_city holds a formula (=9/21) where a number belongs",
        ),
        (
            "Staff with international duties",
            2,
            "3",
            "column 'This city': Staff with international duties holds the text '3' where a "
            "number belongs.",
        ),
    ],
)
def test_the_check_reads_the_summary_as_the_conference_would(
    workbook: Path, tmp_path: Path, code: str, column: int, value: Any, said: str
) -> None:
    seeded = _seeded(workbook, tmp_path / "seeded.xlsx", code, column, value)
    problems = check(seeded, today=DEMO_TODAY)
    assert any(said in p for p in problems), problems
    assert not any(" shows =" in p for p in problems), problems


def test_a_region_partner_is_placed_at_its_region(workbook: Path) -> None:
    sheet = load_workbook(workbook)["Engagements"]
    head = [c.value for c in sheet[1]]
    rows = {r[head.index("Partner")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    jalisco = rows["Jalisco"]
    region = places.find("Jalisco", "MX", "region")
    assert region is not None
    assert (jalisco[head.index("Latitude")], jalisco[head.index("Longitude")]) == (
        region.latitude,
        region.longitude,
    )
    # Networks are not places; every partner place is placed.
    for name, row in rows.items():
        placed = row[head.index("Latitude")] is not None
        assert placed == (row[head.index("Partner level code")] != "network"), name


def test_relationship_began_is_one_year_and_a_year_alone_is_written_as_a_year(
    workbook: Path,
) -> None:
    book = load_workbook(workbook)
    sheet = book["Engagements"]
    head = [c.value for c in sheet[1]]
    assert "Since" not in head and "Relationship began" in head
    began = {
        r[head.index("Partner")]: r[head.index("Relationship began")]
        for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    # The founding, however the engagement counts now; without one, the first meeting.
    assert began["Irkutsk"] == 1991 and began["Nantes"] == 1993 and began["Fez"] == 2025
    assert began["ICLEI – Local Governments for Sustainability"] == 2009
    networks = book["Networks"]
    joined = [c for c in next(networks.iter_cols(min_col=4, max_col=4, min_row=2))]
    assert {c.value for c in joined} == {2017, 2009, 2014}
    assert not any(c.is_date for c in joined)


def test_a_month_alone_is_the_month_and_an_older_workbook_still_checks(
    db: Database, tmp_path: Path
) -> None:
    records.create(
        db,
        "city",
        {
            "name": "Port Meridian",
            "state": "Oregon",
            "time_zone": "UTC",
            "respondent_name": "Dana Carter",
            "respondent_email": "dana@example.org",
            "staff_international": 3,
            "has_director": True,
        },
    )
    kobe = records.create(
        db,
        "partnership",
        {
            "partner_name": "Kobe",
            "kind": "sister_city",
            "status": "active",
            "country": "JP",
            "established_date": "1961",
            "priority_areas": ["tourism"],
        },
    ).id
    records.create(
        db,
        "agreement",
        {
            "title": "Port MOU",
            "kind": "mou",
            "status": "signed",
            "signed_date": "2019-06",
            "partnership_id": kobe,
            "priority_areas": ["tourism"],
        },
    )
    out = tmp_path / "survey.xlsx"
    write_workbook(load(), collect(db, 2016, DEMO_TODAY), out)
    sheet = load_workbook(out)["Agreements"]
    signed = sheet.cell(row=2, column=[c.value for c in sheet[1]].index("Signed") + 1)
    assert (signed.value, signed.is_date) == ("June 2019", False)
    assert check(out, today=DEMO_TODAY) == []
    # A workbook written while the column was headed "Since" is read by its columns.
    book = load_workbook(out)
    engagements = book["Engagements"]
    for cell in engagements[1]:
        if cell.value == "Relationship began":
            cell.value = "Since"
    book.save(out)
    assert check(out, today=DEMO_TODAY) == []


def test_an_agreement_in_force_counts_whenever_it_was_signed(db: Database, tmp_path: Path) -> None:
    """An MOU signed before the window and in force on the day is an engagement, as a
    partnership in force is whatever its founding year; the check takes its signing
    date, and flags one that had run out."""
    records.create(
        db,
        "city",
        {
            "name": "Port Meridian",
            "state": "Oregon",
            "time_zone": "UTC",
            "respondent_name": "Dana Carter",
            "respondent_email": "dana@example.org",
            "staff_international": 3,
        },
    )
    irkutsk = records.create(
        db,
        "partnership",
        {
            "partner_name": "Irkutsk",
            "kind": "sister_city",
            "status": "active",
            "country": "RU",
            "established_date": "1991-07-11",
            "priority_areas": ["culture_education"],
        },
    ).id
    records.change_status(db, irkutsk, "suspended", "2022-03-02", "Council resolution")
    for title, kind, expiry in (
        ("Sister City Agreement", "sister_city_agreement", None),
        ("MOU on culture", "mou", "2027-04-10"),
    ):
        records.create(
            db,
            "agreement",
            {
                "title": title,
                "kind": kind,
                "status": "in_force",
                "signed_date": "2012-03-27",
                "expiry_date": expiry,
                "partnership_id": irkutsk,
            },
        )
    data = collect(db, 2016, DEMO_TODAY)
    (engagement,) = data.unique
    assert engagement["method"] == "sector_partnership"
    assert engagement["method_basis"] == (
        "Sector partnership / MOU: “MOU on culture” signed 3/27/2012, in force until "
        "4/10/2027; the sister-city partnership is suspended (since 3/2/2022)"
    )
    # The sister-city agreement stands with its suspended partnership: not a row.
    assert [a["title"] for a in data.engagements["agreements"]] == ["MOU on culture"]
    out = tmp_path / "survey.xlsx"
    write_workbook(load(), data, out)
    assert check(out, today=DEMO_TODAY) == []
    book = load_workbook(out)
    sheet = book["Agreements"]
    head = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=head.index("Expires") + 1, value=dt.datetime(2015, 1, 1))
    sheet.cell(row=2, column=head.index("Status") + 1, value="Expired")
    book.save(out)
    assert any(
        "03/27/2012 is before the survey's first year (2016) and the agreement was not in "
        "force on the day counted" in p
        for p in check(out, today=DEMO_TODAY)
    )


def test_summary_json_names_what_was_left_out_as_the_workbook_does(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Path(demo_db.conn.execute("PRAGMA database_list").fetchone()[2])
    assert main(["--db", str(path), "survey", "--summary", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert main(["--db", str(path), "survey", "--json"]) == 0
    written = json.loads(capsys.readouterr().out)
    assert summary["not_counted"] == written["not_counted"]
    assert {n["name"] for n in summary["not_counted"]} >= {
        "Kyoto University",
        "Strong Cities Network",
    }
    assert summary["as_of"] == written["as_of"] and summary["since"] == 2016


@pytest.mark.parametrize(
    "command",
    [
        ["survey", "--check", "{missing}", "--json"],
        ["survey", "--compare", "{missing}", "{missing}", "--json"],
        ["survey", "--aggregate", "{missing}", "--json"],
    ],
)
def test_a_missing_file_still_answers_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    missing = str(tmp_path / "nowhere.xlsx")
    assert main([part.replace("{missing}", missing) for part in command]) == 1
    captured = capsys.readouterr()
    answer = json.loads(captured.out)
    assert set(answer) == {"error"} and "nowhere.xlsx" in answer["error"]
    assert "nowhere.xlsx" in captured.err
