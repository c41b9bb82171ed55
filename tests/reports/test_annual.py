"""The annual report: the year's work as the mayor or council reads it, read back."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from desk.cli.main import main
from desk.core.store import records
from desk.core.store.db import Database
from desk.reports.annual.data import gather
from desk.reports.annual.document import build_annual, headline
from tests.reports.conftest import folded, pdftotext, qpdf_check
from tests.reports.test_figures import _city

YEAR = 2025
HEADLINE = ("new partnerships", "agreements signed", "delegations welcomed", "missions sent")


def _text(path: Path) -> str:
    assert path.read_bytes().startswith(b"%PDF-")
    return folded(pdftotext(path))


def _front_page_figures(layout: str) -> dict[str, str]:
    """The four headline figures of the front page by their labels. The page sets them
    as a row of figures over a row of labels, each figure starting in its label's
    column, and pdftotext -layout keeps those columns."""
    lines = layout.splitlines()
    (at,) = [n for n, line in enumerate(lines) if all(label in line for label in HEADLINE)]
    above = next(line for line in reversed(lines[:at]) if line.strip())
    found: dict[str, str] = {}
    for label in HEADLINE:
        column = lines[at].index(label)
        figure = re.match(r"\S+", above[column:])
        assert figure and above[column - 1 : column] in ("", " "), (label, above, lines[at])
        found[label] = figure.group()
    return found


def test_the_year_in_figures_matches_the_records(db: Database, tmp_path: Path) -> None:
    _city(db)
    records.create(
        db,
        "network",
        {"network_name": "ICLEI", "status": "active", "joined_date": "2019-03-01"},
    )
    a = gather(db, YEAR)
    assert headline(a)[:4] == [
        ("0", "new partnerships"),
        ("1", "agreements signed"),
        ("1", "delegations welcomed"),
        ("1", "missions sent"),
    ]
    assert ("42", "students exchanged (some estimated)") in headline(a)
    assert ("$1 million + 500,000 JPY", "investment committed") in headline(a)
    out = tmp_path / "annual.pdf"
    build_annual(db, YEAR, out)
    text = _text(out)
    for expected in (
        f"{YEAR} in review",
        "International work in 2025",
        "Port Meridian",
        "delegations welcomed",
        "Mission to Kobe",
        "Delegation from Kobe",
        "Port MOU",  # signed in 2025
        "ICLEI",
        "4 Quality education",
        "Students exchanged",
        "Coming next",
    ):
        assert folded(expected) in text, expected
    for not_held in ("Delegation called off", "Delegation asked for"):
        assert folded(not_held) not in text, not_held
    qpdf_check(out)


def test_a_year_with_nothing_recorded_still_has_a_report(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"
    build_annual(db, YEAR, out)
    text = _text(out)
    assert "International work in 2025" in text and "delegations welcomed" in text
    assert "No partnership, agreement, visit or outcome is recorded for 2025." in text
    qpdf_check(out)


def test_the_command_line_writes_the_annual_report(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _city(db)
    out = tmp_path / "cli.pdf"
    code = main(["--db", str(db_path), "report", "annual", "--year", "2025", "--out", str(out)])
    assert code == 0 and "Annual report for 2025 written to" in capsys.readouterr().out
    assert "Mission to Kobe" in pdftotext(out)
    with pytest.raises(SystemExit) as missing:
        main(["--db", str(db_path), "report", "annual", "--out", str(out)])
    assert missing.value.code == 2 and "--year" in capsys.readouterr().err


def test_the_demo_years_report_is_sound(demo_db: Database, tmp_path: Path) -> None:
    today = dt.date.today()
    out = tmp_path / "demo.pdf"
    build_annual(demo_db, today.year, out)
    assert out.read_bytes().startswith(b"%PDF-")
    # The year's figures counted here, as the report says it counts them: a partnership
    # in the year it was established, an agreement in the year it was signed, a visit
    # once it has taken place (not called off, declined or only asked for).
    year = str(today.year)
    held = "status NOT IN ('cancelled', 'declined', 'requested') AND start_date <= ?"
    expected = {
        label: str(demo_db.execute(sql, args).fetchone()[0])
        for label, sql, args in (
            (
                "new partnerships",
                "SELECT count(*) FROM partnerships WHERE substr(established_date, 1, 4) = ?",
                (year,),
            ),
            (
                "agreements signed",
                "SELECT count(*) FROM agreements WHERE substr(signed_date, 1, 4) = ?",
                (year,),
            ),
            (
                "delegations welcomed",
                "SELECT count(*) FROM visits WHERE direction = 'incoming' "
                f"AND substr(start_date, 1, 4) = ? AND {held}",
                (year, today.isoformat()),
            ),
            (
                "missions sent",
                "SELECT count(*) FROM visits WHERE direction = 'outgoing' "
                f"AND substr(start_date, 1, 4) = ? AND {held}",
                (year, today.isoformat()),
            ),
        )
    }
    assert _front_page_figures(pdftotext(out, layout=True, last=1)) == expected
    qpdf_check(out)


def test_a_long_year_lists_its_first_hundred_and_says_how_many_more(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.reports.annual import document as annual

    monkeypatch.setattr(annual, "MOST_ROWS", 2)
    ids = _city(db)
    for n in range(4):
        records.create(
            db,
            "visit",
            {
                "title": f"Delegation {n}",
                "direction": "incoming",
                "status": "completed",
                "start_date": f"2025-0{n + 1}-15",
                "partnership_id": ids["kobe"],
            },
        )
    out = tmp_path / "long.pdf"
    build_annual(db, YEAR, out)
    text = _text(out)
    # Six visits held in 2025: two listed in date order, and the rest said.
    assert "and 4 more visits held, 6 in all" in text
    assert text.index("January 15, 2025") < text.index("February 15, 2025")
    qpdf_check(out)
