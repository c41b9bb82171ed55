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
        assert sheet.freeze_panes == "C2"  # the header row, Engagement ID and the name
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
                # A day is a date cell; a year alone its number; never a made-up day.
                cell = sheet.cell(row=2, column=n + 1)
                assert (
                    cell.is_date
                    or cell.value is None
                    or (isinstance(cell.value, int) and cell.number_format == "0")
                ), (table.sheet, header, cell.value)
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
    assert "Page &P of &N" in book["Agreements"].oddFooter.right.text


def test_every_sheet_is_set_up_for_paper(demo_db: Database, tmp_path: Path) -> None:
    """Printed, a data sheet repeats its header row and key columns (Engagement ID and
    the row's name) on every page; the others fit a page's width. Every cell is
    top-aligned, codes never wrap and fit their column, right-to-left text stays right
    in its own column, and a number keeps its distance from the text beside it."""
    out = tmp_path / "survey.xlsx"
    export_survey(demo_db, out)
    spec = load()
    book = load_workbook(out)
    tables = {table.sheet: table for table in spec.tables}
    for sheet in book.worksheets:
        if sheet.title == "Lists":
            continue
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert "Page &P of &N" in sheet.oddFooter.right.text
        if sheet.title in tables:
            assert sheet.print_title_rows == "$1:$1", sheet.title
            assert sheet.print_title_cols == "$A:$B", sheet.title
            assert [c.value for c in sheet[1]][:2][0] == "Engagement ID"
            assert 60 <= int(sheet.page_setup.scale) <= 80
            assert not sheet.sheet_properties.pageSetUpPr.fitToPage
        else:
            assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
            assert sheet.page_setup.fitToWidth == 1, sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.alignment.vertical == "top", (sheet.title, cell.coordinate)
    for name, table in tables.items():
        sheet = book[name]
        head = [c.value for c in sheet[1]]
        for column in table.columns:
            if column.type not in ("code", "area_codes"):
                continue
            n = head.index(column.header)
            letter = sheet.cell(row=1, column=n + 1).column_letter
            width = sheet.column_dimensions[letter].width
            for (cell,) in sheet.iter_rows(min_row=2, min_col=n + 1, max_col=n + 1):
                if cell.value is None:
                    continue
                # A code is never broken: one code (a list wraps between them) fits.
                assert max(len(code) for code in str(cell.value).split()) + 2 <= width, (
                    name,
                    column.header,
                    cell.value,
                )
                if column.type == "code":
                    assert not cell.alignment.wrap_text
    natives = book["Engagements"]
    column = [c.value for c in natives[1]].index("Partner in native script") + 1
    arabic = [
        natives.cell(row=r, column=column)
        for r in range(2, natives.max_row + 1)
        if natives.cell(row=r, column=column).value in ("الإسكندرية", "فاس")
    ]
    assert arabic
    for cell in arabic:
        assert cell.alignment.horizontal == "right" and cell.alignment.readingOrder == 2
        assert cell.alignment.wrap_text
    capacity = book["Capacity"]
    for row in capacity.iter_rows(min_row=2):
        if isinstance(row[1].value, int | float):
            # Left in its column, so "412,000" never meets the "Yes" beside it.
            assert row[1].alignment.horizontal == "left" and row[1].alignment.indent
        if row[2].value == "Yes":
            assert row[2].alignment.horizontal == "center"
    numbers = book["Engagements"]
    column = [c.value for c in numbers[1]].index("Longitude") + 1
    longitude = numbers.cell(row=2, column=column).alignment
    assert longitude.horizontal == "left" and longitude.indent >= 1


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
        "SELECT count(*) FROM partnerships WHERE kind IN ('sister_city', 'friendship_city') "
        "AND status IN ('active', 'friendship')"
    ).fetchone()[0]
    assert sister_cities > 0
    assert {uid for uid, _ in in_force} <= set(ids)  # the 1972 and 1988 ones included
    methods = [row[head.index("Method code")] for row in rows]
    # Only partnerships in force are sister cities: not Fez or Saint-Louis (proposed),
    # Nantes (lapsed), Irkutsk (suspended) or Valencia (dormant).
    assert methods.count("sister_city") == sister_cities == 9
    by_partner = dict(zip(column_of(out, "Engagements", "Partner"), methods, strict=True))
    assert by_partner["Fez"] == by_partner["Nantes"] == "delegation_welcomed"
    assert by_partner["Irkutsk"] == by_partner["València"] == "sector_partnership"
    assert data.summary()["by_method"] == {
        "sister_city": 9,
        "sector_partnership": 6,
        "city_network": 3,
        "delegation_welcomed": 3,
    }

    # Active memberships of international networks: not Sister Cities International or
    # Welcoming America (U.S. associations), nor the Strong Cities Network (lapsed).
    networks = demo_db.execute(
        "SELECT count(*) FROM network_memberships WHERE status = 'active' AND left_date IS NULL "
        "AND network_name NOT IN ('Sister Cities International', 'Welcoming America')"
    ).fetchone()[0]
    assert methods.count("city_network") == networks == 3
    assert "Sister Cities International" not in column_of(out, "Engagements", "Partner")
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
    # Every method of the survey is a row, zero included.
    assert {c for c, n in by_method.items() if n} == set(data.summary()["by_method"])
    assert {c: n for c, n in by_method.items() if n} == data.summary()["by_method"]
    assert by_method["mission_sent"] == 0 and sum(by_method.values()) == len(ids)
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
        "since",
        "as_of",
        "by_method",
        "by_area",
        "with_country",
        "by_country",
        "staff_international",
        "has_director",
        "not_counted",
    }
    # What --out --json says was left out, --summary --json says too.
    assert {n["name"] for n in printed["not_counted"]} >= {
        "Kyoto University",
        "Strong Cities Network",
        "Sister Cities International",
        "Welcoming America",
    }
    assert printed["with_country"] == sum(printed["by_country"].values())
    assert printed["by_method"]["sister_city"] / printed["engagements"] > 0.4
    assert printed["has_director"] is True


def test_every_survey_command_prints_only_json_with_json(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    path = Path(demo_db.conn.execute("PRAGMA database_list").fetchone()[2])
    out, other = tmp_path / "s.xlsx", tmp_path / "t.xlsx"
    commands = [
        ["--db", str(path), "survey", "--json"],
        ["--db", str(path), "survey", "--summary", "--json"],
        ["--db", str(path), "survey", "--out", str(out), "--json"],
        ["--db", str(path), "survey", "--out", str(other), "--json"],
        ["survey", "--check", str(out), "--json"],
        ["survey", "--compare", str(out), str(other), "--json"],
        # A copy of the same city's workbook: left out, with a note.
        ["survey", "--aggregate", str(out), str(other), "--json"],
    ]
    printed = []
    for command in commands:
        main(command)
        captured = capsys.readouterr()
        printed.append(json.loads(captured.out))  # the whole of standard output
    assert printed[2]["written"] == str(out) and printed[2]["engagements"] == 21
    assert printed[4] == {"workbook": str(out), "ready": True, "problems": []}
    national = printed[6]
    assert national["cities"] == 1
    (copy,) = national["left_out"]
    assert copy["workbook"] in (str(out), str(other))
    assert copy["to_count_it"].startswith("--keep-copies")
    assert "Left out" in captured.err  # the notes, for the person, on standard error


def test_shares_are_computed_once_from_exact_counts(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """1 of 23 is 4.35%, which shows as 4.3%: stored rounded to 0.0435 it showed 4.4%."""
    from desk.reports.survey.workbook import percent

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
    for n in range(23):
        records.create(
            db,
            "partnership",
            {
                "partner_name": f"Partner {n}",
                "kind": "sister_city" if n else "sector_partnership",
                "status": "active",
                "established_date": "2001-01-01",
                "country": "JP",
                "priority_areas": ["tourism"],
            },
        )
    out = tmp_path / "survey.xlsx"
    export_survey(db, out)
    sheet = load_workbook(out)["Summary"]
    share = next(row[3] for row in sheet.iter_rows() if row[0].value == "sector_partnership")
    # The ratio itself (as exact as the file's 16 digits keep it), not 0.0435.
    assert share.value == pytest.approx(1 / 23, rel=1e-14) and share.number_format == "0.0%"
    assert percent(share.value) == percent(1, 23) == "4.3%"
    assert percent(0.0435) == "4.4%"  # what the rounded figure showed
    path = Path(db.conn.execute("PRAGMA database_list").fetchone()[2])
    assert main(["--db", str(path), "survey", "--summary"]) == 0
    printed = capsys.readouterr().out
    assert "Sector partnership / MOU" in printed and "4.3%" in printed
    assert "95.7%" in printed  # 22 of 23
    assert check(out) == []


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
