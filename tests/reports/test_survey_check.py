"""Checking and comparing survey workbooks the way the conference reads them."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from desk.cli.main import main
from desk.core.store import records
from desk.core.store.db import Database
from desk.reports.survey.check import check
from desk.reports.survey.compare import compare
from desk.reports.survey.workbook import export_survey
from tests.conftest import DEMO_TODAY


@pytest.fixture
def clean(demo_db: Database, tmp_path: Path) -> Path:
    out = tmp_path / "clean.xlsx"
    export_survey(demo_db, out, since=2016)
    return out


def _column(sheet: Any, header: str) -> int:
    return next(c.column for c in sheet[1] if c.value == header)


def _seed(source: Path, target: Path, edit: Callable[[Any], None]) -> Path:
    shutil.copyfile(source, target)
    book = load_workbook(target)
    edit(book)
    book.save(target)
    return target


def _set(sheet_name: str, row: int, header: str, value: Any) -> Callable[[Any], None]:
    def edit(book: Any) -> None:
        sheet = book[sheet_name]
        sheet.cell(row=row, column=_column(sheet, header), value=value)

    return edit


def _answer(sheet_name: str, key: str, value: Any) -> Callable[[Any], None]:
    def edit(book: Any) -> None:
        sheet = book[sheet_name]
        for cells in sheet.iter_rows():
            if len(cells) > 3 and cells[3].value == key:
                cells[1].value = value

    return edit


def _duplicate_row(sheet_name: str) -> Callable[[Any], None]:
    def edit(book: Any) -> None:
        sheet = book[sheet_name]
        sheet.append([c.value for c in sheet[2]])

    return edit


# A signing five years past whichever is later, the demo's today or the real one: in the
# future for check(today=DEMO_TODAY) and for the command line, which takes the real
# today, on any day the suite runs.
FUTURE = dt.datetime(max(DEMO_TODAY, dt.date.today()).year + 5, 5, 1)


def _summary_999(book: Any) -> None:
    sheet = book["Summary"]
    for cells in sheet.iter_rows():
        if cells[0].value == "sister_city":
            cells[2].value = 999


def _summary_cell(code: str, column: int, value: Any) -> Callable[[Any], None]:
    def edit(book: Any) -> None:
        for cells in book["Summary"].iter_rows():
            if cells[0].value == code:
                cells[column].value = value

    return edit


def _words_kept(book: Any) -> None:
    """A method code changed by hand while its words still say 'Sister city'."""
    sheet = book["Engagements"]
    sheet.cell(row=2, column=_column(sheet, "Method code"), value="mission_sent")


MISTAKES: dict[str, tuple[Callable[[Any], None], str]] = {
    "a Summary share edited": (
        _summary_cell("sister_city", 3, 0.65),
        "column 'Share': sister_city shows 65.0%; 9 of 21 engagements is 42.9%",
    ),
    "a national share edited": (
        _summary_cell("sister_city", 4, 0.6),
        "column 'National share': sister_city shows 60.0%; the national findings give 54.0%",
    ),
    "a national share for a method the findings do not publish": (
        _summary_cell("climate_sustainability", 4, None),
        "column 'National share': climate_sustainability shows nothing; the national "
        "findings give 14.0%",
    ),
    "the Summary's staff figure edited": (
        _summary_cell("Staff with international duties", 2, 43),
        "Staff with international duties shows '43'; the Capacity sheet (row 3) says '3'",
    ),
    "the Summary's director answer edited": (
        _summary_cell("Dedicated director or manager", 2, "No"),
        "Dedicated director or manager shows 'No'; the Capacity sheet (row 4) says 'Yes'",
    ),
    "a method code changed, its words not": (
        _words_kept,
        "Sheet 'Engagements', row 2, column 'Method': 'Sister city' does not match Method "
        "code 'mission_sent'",
    ),
    "a method basis that says another method": (
        _words_kept,
        "Sheet 'Engagements', row 2, column 'Method basis': says 'Sister city', but Method "
        "code is 'mission_sent'",
    ),
    "priority areas in words that are not the codes'": (
        _set("Engagements", 2, "Priority areas", "Tourism"),
        "column 'Priority areas': 'Tourism' does not match Priority area codes",
    ),
    "a partner's country deleted": (
        _set("Engagements", 2, "Country code", ""),
        "Sheet 'Engagements', row 2, column 'Country code': an answer is needed.",
    ),
    "signed before the window": (
        _set("Agreements", 2, "Signed", dt.datetime(2009, 5, 1)),
        "Sheet 'Agreements', row 2, column 'Signed': 05/01/2009 is before the survey's first "
        "year (2016)",
    ),
    "signed in the future": (
        _set("Agreements", 3, "Signed", FUTURE),
        f"Sheet 'Agreements', row 3, column 'Signed': 05/01/{FUTURE.year} is in the future",
    ),
    "expiry before signing": (
        _set("Agreements", 2, "Expires", dt.datetime(2016, 2, 1)),
        "Sheet 'Agreements', row 2, column 'Expires': expires before it was signed",
    ),
    "meeting ends before it starts": (
        _set("Meetings", 2, "End", dt.datetime(2016, 1, 2)),
        "Sheet 'Meetings', row 2, column 'End': ends before it starts",
    ),
    "a duplicated row": (_duplicate_row("Meetings"), "repeats row 2"),
    "a duplicated engagement id": (
        _duplicate_row("Engagements"),
        "column 'Engagement ID'",
    ),
    "a Summary edited to 999": (
        _summary_999,
        "column 'Engagements': sister_city shows 999; the Engagements sheet has",
    ),
    "a malformed email": (
        _answer("Respondent", "respondent_email", "dana.carter@@example"),
        "'Respondent email': 'dana.carter@@example' is not an email address",
    ),
    "negative staff": (
        _answer("Capacity", "staff_international", -3),
        "'Staff with international duties (number of people)': cannot be negative",
    ),
    "negative budget": (
        _answer("Capacity", "budget", -485000),
        "'Annual budget for international affairs (USD)': cannot be negative",
    ),
    "an unknown method code": (
        _set("Engagements", 2, "Method code", "twinning"),
        "Sheet 'Engagements', row 2, column 'Method code': 'twinning' is not one of the "
        "survey's codes",
    ),
    "the United States as a partner": (
        _set("Engagements", 2, "Country code", "US"),
        "'US' is the United States itself",
    ),
    "a country name that does not match its code": (
        _set("Engagements", 2, "Country", "Morocco"),
        "column 'Country': 'Morocco' does not match Country code",
    ),
    "a latitude off the globe": (
        _set("Engagements", 2, "Latitude", 129.9),
        "column 'Latitude': 129.9 is outside -90 to 90",
    ),
    "a count that the rows do not bear out": (
        _set("Engagements", 2, "Meetings", 7),
        "column 'Meetings': says 7; the Meetings sheet has",
    ),
    "another city's name on a row": (
        _set("Engagements", 3, "Reporting city", "Portland"),
        "'Portland' is not the responding city",
    ),
    "an unknown priority area": (
        _set("Engagements", 2, "Priority area codes", "culture_education;space"),
        "'space' is not a priority area code",
    ),
}


def test_a_desk_made_workbook_checks_clean(clean: Path) -> None:
    assert check(clean, today=DEMO_TODAY) == []


@pytest.mark.parametrize("name", list(MISTAKES))
def test_check_names_each_mistake(
    clean: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    edit, expected = MISTAKES[name]
    seeded = _seed(clean, tmp_path / "seeded.xlsx", edit)
    problems = check(seeded, today=DEMO_TODAY)
    assert any(expected in p for p in problems), problems
    assert all(p.startswith(("Sheet '", "Sheet ")) for p in problems)
    # The command line names the same mistake, as of the real today.
    assert main(["survey", "--check", str(seeded)]) == 1
    out = capsys.readouterr().out
    assert any(expected in line for line in out.splitlines()), out
    assert out.rstrip().endswith("to fix.")


def test_a_missing_country_is_reported_on_its_row_whatever_the_summary_says(
    clean: Path, tmp_path: Path
) -> None:
    """Deleting a partner's country and then 'fixing' the Summary to match still leaves
    the row without a country: the check names the row."""

    def edit(book: Any) -> None:
        sheet = book["Engagements"]
        code = sheet.cell(row=2, column=_column(sheet, "Country code")).value
        sheet.cell(row=2, column=_column(sheet, "Country code")).value = None
        sheet.cell(row=2, column=_column(sheet, "Country")).value = None
        summary = book["Summary"]
        row = next(cells[0].row for cells in summary.iter_rows() if cells[0].value == code)
        summary.delete_rows(row)
        # Country shares are of the engagements with a country: one fewer now.
        head = next(c[0].row for c in summary.iter_rows() if c[1].value == "Partner country")
        rows = [c for c in summary.iter_rows(min_row=head + 1) if c[0].value]
        for cells in rows:
            cells[3].value = cells[2].value / (sum(c[2].value for c in rows))

    seeded = _seed(clean, tmp_path / "seeded.xlsx", edit)
    problems = check(seeded, today=DEMO_TODAY)
    assert problems == ["Sheet 'Engagements', row 2, column 'Country code': an answer is needed."]
    # A network has no country, and needs none.
    book = load_workbook(seeded)
    sheet = book["Engagements"]
    levels = [c.value for c in sheet[1]].index("Partner level code")
    networks = [r for r in sheet.iter_rows(min_row=2) if r[levels].value == "network"]
    assert networks and all(r[levels + 1].value is None for r in networks)


def test_compare_matches_by_engagement_id(demo_db: Database, clean: Path, tmp_path: Path) -> None:
    agreement = demo_db.execute(
        "SELECT id, title FROM agreements WHERE status = 'in_force' "
        "AND signed_date >= '2016-01-01' ORDER BY id LIMIT 1"
    ).fetchone()
    records.update(demo_db, "agreement", agreement[0], {"title": agreement[1] + " (corrected)"})
    city = demo_db.execute("SELECT id FROM city_profile").fetchone()[0]
    records.update(demo_db, "city", city, {"staff_international": 5})
    this = tmp_path / "this.xlsx"
    export_survey(demo_db, this, since=2016)
    lines = compare(clean, this).lines()
    retitled = [line for line in lines if "(corrected)" in line]
    assert len(retitled) == 1 and retitled[0].startswith("Changed in Agreements: ")
    assert not any(line.startswith(("Added", "Gone")) for line in lines), lines
    assert "Changed in Capacity: Staff with international duties (number of people): " in (
        "\n".join(lines)
    )
    assert "'3' -> '5'" in "\n".join(lines)
    assert compare(this, this).lines() == ["No differences."]


def test_bad_files_get_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    for target in (junk, tmp_path / "missing.xlsx", tmp_path):
        assert main(["survey", "--check", str(target)]) == 1
        err = capsys.readouterr().err
        assert err.startswith("desk: ") and err.count("\n") == 1 and "Traceback" not in err
