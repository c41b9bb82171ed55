"""The survey on paper: the demo city's workbook printed by LibreOffice. Every page of a
data sheet carries the header row and the key columns, so each value can be matched to
its row; the whole prints in a reasonable number of pages."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from desk.core.store.db import Database
from desk.reports.survey.edition import load
from desk.reports.survey.workbook import export_survey
from tests.reports.conftest import pdftotext

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _soffice(tmp_path: Path, target: str, source: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path / target.split(":")[0]
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",  # its own profile
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(folder),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr
    return folder


@pytest.mark.slow
def test_every_printed_page_of_a_data_sheet_names_its_rows(
    demo_db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "survey.xlsx"
    export_survey(demo_db, out)
    pdf = _soffice(tmp_path, "pdf", out) / "survey.pdf"
    pages = pdftotext(pdf).split("\f")[:-1]
    assert 10 <= len(pages) <= 24, len(pages)
    keys = {table.sheet: table.headers()[1] for table in load().tables}
    data_pages = [page for page in pages if page.lstrip().startswith("Engagement ID")]
    # Engagements, Networks, Agreements and Meetings each span pages across.
    assert len(data_pages) >= 8
    for page in data_pages:
        # The repeated columns: their headers, and an Engagement ID on every row.
        assert any(f"Engagement ID {key}" in " ".join(page.split()) for key in keys.values())
        assert UUID.search(page), page[:200]
    # Codes are never broken across lines.
    text = "\n".join(pages)
    for code in ("culture_education", "climate_sustainability", "delegation_welcomed"):
        assert code in text
    assert "culture_educ\n" not in text and "climate_sustain\n" not in text
    summary = next(page for page in pages if "Unique engagements: 21" in page)
    assert "42.9%" in summary  # 9 of 21 sister cities, from the exact count


@pytest.mark.slow
def test_libreoffice_opens_the_workbook_without_repair(demo_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "survey.xlsx"
    export_survey(demo_db, out)
    folder = _soffice(
        tmp_path,
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
        out,
    )
    engagements = (folder / "survey-Engagements.csv").read_text("utf-8")
    assert "Sister city: sister-city partnership active since" in engagements
    assert "الإسكندرية" in engagements
