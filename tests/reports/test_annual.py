"""The annual report: the year's work as the mayor or council reads it, read back."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from desk.cli import main
from desk.core import records
from desk.core.db import Database
from desk.reports.annual import build_annual, headline
from desk.reports.annual_data import gather
from tests.reports.conftest import folded, pdftotext
from tests.reports.test_figures import _city

YEAR = 2025


def _sound(path: Path) -> str:
    assert path.read_bytes().startswith(b"%PDF-")
    if shutil.which("qpdf"):
        check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True)
        assert check.returncode == 0, check.stdout
    return folded(pdftotext(path))


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
    text = _sound(out)
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


def test_a_year_with_nothing_recorded_still_has_a_report(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"
    build_annual(db, YEAR, out)
    text = _sound(out)
    assert "International work in 2025" in text and "delegations welcomed" in text
    assert "No partnership, agreement, visit or outcome is recorded for 2025." in text


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
    this_year = dt.date.today().year
    out = tmp_path / "demo.pdf"
    build_annual(demo_db, this_year, out)
    text = _sound(out)
    (held,) = demo_db.execute(
        "SELECT count(*) FROM visits WHERE direction = 'incoming' AND start_date BETWEEN ? AND ? "
        "AND start_date <= ? AND status NOT IN ('cancelled', 'declined', 'requested')",
        (f"{this_year}-01-01", f"{this_year}-12-31", dt.date.today().isoformat()),
    ).fetchone()
    assert folded(f"{held} delegations welcomed") in text.replace("\n", " ") or (
        folded(f"{held}") in text and "delegations welcomed" in text
    )


def test_a_long_year_lists_its_first_hundred_and_says_how_many_more(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.reports import annual

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
    text = _sound(out)
    # Six visits held in 2025: two listed in date order, and the rest said.
    assert "and 4 more visits held, 6 in all" in text
    assert text.index("January 15, 2025") < text.index("February 15, 2025")
