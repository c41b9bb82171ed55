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


MISTAKES: dict[str, tuple[Callable[[Any], None], str]] = {
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
