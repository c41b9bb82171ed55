from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from desk.cli.main import main
from desk.core.store import records
from desk.core.store.db import Database
from desk.reports.survey.check import check
from desk.reports.survey.data import collect, preflight
from desk.reports.survey.edition import area_headers, load
from desk.reports.survey.workbook import export_survey
from tests.conftest import DEMO_TODAY

HOSTILE = [
    "=1+2",
    "+CMD|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "<b>bold</b> & co",
    "bell\x07 and _x0041_",
    "مدينة الإسكندرية",
    "山田 太郎 김민준",
]


def sheet_rows(path: Path, name: str) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def column_of(path: Path, sheet: str, header: str) -> list[object]:
    head, *rows = sheet_rows(path, sheet)
    return [row[head.index(header)] for row in rows]


def letter_of(sheet: object, header: str) -> str:
    return next(c.column_letter for c in sheet[1] if c.value == header)  # type: ignore[index]


def test_workbook_shape(demo_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "survey.xlsx"
    export_survey(demo_db, out)
    spec = load()
    book = load_workbook(out)
    assert book.sheetnames == [
        "Instructions",
        "Respondent",
        "Capacity",
        "Engagements",
        "Networks",
        "Agreements",
        "Meetings",
        "Summary",
        "Lists",
    ]
    assert book["Lists"].sheet_state == "hidden"
    assert "NOT FOR PUBLICATION" in book["Respondent"]["A1"].value
    for table in spec.tables:
        sheet = book[table.sheet]
        assert [c.value for c in sheet[1]] == table.headers()
        assert sheet.freeze_panes == "A2"
        assert len(sheet.tables) == 1
        rules = {
            str(rule.sqref).split(":")[0]: rule.formula1
            for rule in sheet.data_validations.dataValidation
        }
        for n, header in enumerate(table.headers()):
            column = (
                table.columns[[c.header for c in table.columns].index(header)]
                if (header not in area_headers())
                else None
            )
            letter = sheet.cell(row=1, column=n + 1).column_letter
            if column is not None and column.type in ("choice", "code"):
                assert "Lists" in rules[f"{letter}2"], header
            if column is not None and column.type == "date" and sheet.max_row > 1:
                assert (
                    sheet.cell(row=2, column=n + 1).is_date
                    or sheet.cell(row=2, column=n + 1).value is None
                )
        assert all(sheet.column_dimensions[c.column_letter].width for c in sheet[1])
    lists = sheet_rows(out, "Lists")
    countries = [r[lists[0].index("countries")] for r in lists[1:]]
    codes = [r[lists[0].index("countries_codes")] for r in lists[1:]]
    assert "Taiwan" in countries and "South Korea" in countries and "Côte d'Ivoire" in countries
    for absent in ("Pseudo-Accents", "Pseudo-Bidi", "Antarctica", "Bouvet Island", "United States"):
        assert absent not in countries
    assert "US" not in codes and "AQ" not in codes and "TW" in codes
    # Required is marked by the header's colour, never by an asterisk in the text.
    for row in sheet_rows(out, "Capacity") + sheet_rows(out, "Respondent"):
        assert not str(row[0]).endswith("*")
    assert book["Engagements"].page_setup.orientation == "landscape"
    assert book["Engagements"].print_title_rows == "$1:$1"
    assert "Page &P of &N" in book["Agreements"].oddFooter.right.text


def test_counts_match_the_database(demo_db: Database, tmp_path: Path) -> None:
    """Counted the way the national survey counts: unique engagements, every partnership
    in force among them whatever its founding year, networks a method and not a country."""
    out = tmp_path / "survey.xlsx"
    data = export_survey(demo_db, out, since=2016)
    engagements = sheet_rows(out, "Engagements")
    head, rows = engagements[0], engagements[1:]
    ids = [row[head.index("Engagement ID")] for row in rows]
    assert len(ids) == len(set(ids)) == data.summary()["engagements"]

    in_force = demo_db.execute(
        "SELECT uid, partner_name FROM partnerships WHERE status IN ('active', 'friendship')"
    ).fetchall()
    sister_cities = demo_db.execute(
        "SELECT count(*) FROM partnerships WHERE kind = 'sister_city' AND established_date < "
        "'2016-01-01' AND status = 'active'"
    ).fetchone()[0]
    assert sister_cities > 0
    assert {uid for uid, _ in in_force} <= set(ids)  # the 1972 and 1988 ones included
    methods = [row[head.index("Method code")] for row in rows]
    assert methods.count("sister_city") >= sister_cities

    networks = demo_db.execute(
        "SELECT count(*) FROM network_memberships WHERE status = 'active' AND left_date IS NULL"
    ).fetchone()[0]
    assert methods.count("city_network") == networks
    # The same partner is one engagement, however many agreements and meetings it holds.
    partners = [(row[head.index("Country code")], row[head.index("Partner")]) for row in rows]
    assert len(partners) == len(set(partners))
    for sheet in ("Agreements", "Meetings", "Networks"):
        assert set(column_of(out, sheet, "Engagement ID")) <= set(ids), sheet
    counted = sum(int(row[head.index("Agreements")] or 0) for row in rows)
    assert counted == len(sheet_rows(out, "Agreements")) - 1

    summary = sheet_rows(out, "Summary")
    assert summary[0][0] == f"Unique engagements: {len(ids)}"
    by_method = {}
    start = next(n for n, row in enumerate(summary) if row[:2] == ["Code", "Method"]) + 1
    for row in summary[start:]:
        if row[0] == "":
            break
        by_method[row[0]] = int(row[2])
    assert by_method == data.summary()["by_method"] and sum(by_method.values()) == len(ids)
    assert None not in data.summary()["by_country"] and "" not in data.summary()["by_country"]
    assert sum(data.summary()["by_country"].values()) == len(ids) - networks
    assert data.summary()["by_country"]["CN"] == 1  # Suzhou, a 1988 sister city


def test_summary_json_for_scripts(demo_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    path = Path(demo_db.conn.execute("PRAGMA database_list").fetchone()[2])
    assert main(["--db", str(path), "survey", "--summary", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {
        "engagements",
        "by_method",
        "by_area",
        "by_country",
        "staff_international",
        "has_director",
    }
    assert printed["by_method"]["sister_city"] / printed["engagements"] > 0.4
    assert printed["has_director"] is True


def _hostile_city(db: Database) -> None:
    records.create(
        db,
        "city",
        {
            "name": HOSTILE[0],
            "state": "Oregon",
            "time_zone": "UTC",
            "respondent_name": HOSTILE[5],
            "respondent_email": "a@b.org",
            "staff_international": 2,
        },
    )
    for n, text in enumerate(HOSTILE):
        partnership = records.create(
            db,
            "partnership",
            {
                "partner_name": text,
                "partner_name_native": HOSTILE[(n + 6) % len(HOSTILE)],
                "kind": "sister_city",
                "country": "JP",
                "priority_areas": ["tourism"],
            },
        ).id
        records.create(
            db,
            "agreement",
            {
                "title": text,
                "partnership_id": partnership,
                "status": "in_force",
                "signed_date": "2020-05-01",
            },
        )
        records.create(
            db,
            "visit",
            {
                "title": text,
                "direction": "incoming",
                "country": "EG",
                "status": "completed",
                "start_date": "2024-01-02",
                "purpose": text,
                "priority_areas": "governance",
                "partnership_id": partnership,
            },
        )
        records.create(db, "network", {"network_name": text, "priority_areas": "other"})


def test_text_comes_out_as_typed_never_a_formula(db: Database, tmp_path: Path) -> None:
    _hostile_city(db)
    out = tmp_path / "hostile.xlsx"
    export_survey(db, out)
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    book = load_workbook(out)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
    for name, header in (
        ("Agreements", "Agreement"),
        ("Meetings", "Meeting"),
        ("Networks", "Network"),
    ):
        assert sorted(column_of(out, name, header)) == sorted(HOSTILE), name
    titles = book["Agreements"][letter_of(book["Agreements"], "Agreement")][1:]
    quoted = next(c for c in titles if c.value == "=1+2")
    assert quoted.quotePrefix and quoted.data_type == "s"
    natives = column_of(out, "Agreements", "Partner in native script")
    assert "山田 太郎 김민준" in natives and "مدينة الإسكندرية" in natives
    assert sheet_rows(out, "Respondent")[3][1] == HOSTILE[0]


def test_preflight_lists_gaps_with_the_record_to_fix(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records.create(db, "city", {"name": "Port Meridian", "time_zone": "UTC"})
    agreement = records.create(
        db, "agreement", {"title": "MOU", "status": "signed", "signed_date": "2022-01-01"}
    ).id
    visit = records.create(
        db,
        "visit",
        {
            "title": "Mission",
            "direction": "outgoing",
            "status": "completed",
            "start_date": "2023-03-01",
        },
    ).id
    problems = {(p.kind, p.record_id, p.field) for p in preflight(collect(db, 2016))}
    assert problems == {
        ("agreement", agreement, "parties"),
        ("city", 1, "state"),
        ("city", 1, "respondent_name"),
        ("city", 1, "respondent_email"),
        ("city", 1, "staff_international"),
        ("agreement", agreement, "country"),
        ("agreement", agreement, "priority_areas"),
        ("visit", visit, "country"),
        ("visit", visit, "priority_areas"),
    }
    path = Path(db.conn.execute("PRAGMA database_list").fetchone()[2])
    out = tmp_path / "survey.xlsx"
    assert main(["--db", str(path), "survey", "--out", str(out)]) == 1
    assert "MOU: no partner country" in capsys.readouterr().out and not out.exists()
    records.update(
        db,
        "city",
        1,
        {
            "state": "Oregon",
            "respondent_name": "Dana",
            "respondent_email": "d@example.org",
            "staff_international": 3,
        },
    )
    records.update(
        db,
        "agreement",
        agreement,
        {"country": "KR", "priority_areas": "tourism", "parties": "City of Jeonju"},
    )
    records.update(db, "visit", visit, {"country": "KR", "priority_areas": "technology"})
    assert preflight(collect(db, 2016)) == []
    assert main(["--db", str(path), "survey", "--out", str(out)]) == 0
    assert check(out) == []


def test_check_finds_hand_edits(demo_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "survey.xlsx"
    export_survey(demo_db, out)
    assert check(out) == []
    book = load_workbook(out)
    sheet = book["Agreements"]
    sheet[f"{letter_of(sheet, 'Country')}2"] = "Atlantis"
    sheet[f"{letter_of(sheet, 'Partner')}3"] = None
    sheet[f"{letter_of(sheet, 'Expires')}2"] = "last spring"
    sheet[f"{letter_of(sheet, 'Agreement')}4"] = "=A1"
    book["Capacity"]["B3"] = "three"
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    problems = check(edited)
    assert (
        "Sheet 'Agreements', row 2, column 'Country': 'Atlantis' is not one of the "
        "allowed answers." in problems
    )
    assert "Sheet 'Agreements', row 3, column 'Partner': an answer is needed." in problems
    assert any("row 2, column 'Expires': 'last spring' is not a date" in p for p in problems)
    assert any("row 4, column 'Agreement': holds a formula" in p for p in problems)
    assert any("Sheet 'Capacity', row 3" in p and "must be a number" in p for p in problems)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    with pytest.raises(Exception, match="not a readable Excel workbook"):
        check(junk)


@pytest.mark.slow
def test_libreoffice_opens_every_sheet(db: Database, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    _hostile_city(db)
    out = tmp_path / "survey.xlsx"
    export_survey(db, out)
    profile = tmp_path / "lo-profile"  # a profile of its own: parallel runs collide
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr
    agreements = (tmp_path / "survey-Agreements.csv").read_text("utf-8")
    assert "山田 太郎 김민준" in agreements and "مدينة الإسكندرية" in agreements
    assert '"=1+2"' in agreements or ",=1+2," in agreements
    for sheet in ("Respondent", "Capacity", "Engagements", "Networks", "Meetings", "Summary"):
        assert (tmp_path / f"survey-{sheet}.csv").stat().st_size > 0


def test_cli_survey_commands(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Path(demo_db.conn.execute("PRAGMA database_list").fetchone()[2])
    out = tmp_path / "s.xlsx"
    assert main(["--db", str(path), "survey", "--out", str(out), "--since", "2020"]) == 0
    assert "Survey workbook written" in capsys.readouterr().out
    assert main(["survey", "--check", str(out)]) == 0
    assert "ready to send" in capsys.readouterr().out
    assert main(["survey", "--compare", str(out), str(out)]) == 0
    assert "No differences." in capsys.readouterr().out
    assert main(["--db", str(path), "survey", "--edition", "1999", "--out", str(out)]) == 1
    assert "No survey edition '1999'" in capsys.readouterr().err
    assert DEMO_TODAY.year == 2026
