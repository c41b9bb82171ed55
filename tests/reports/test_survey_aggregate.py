"""The national view: three cities' workbooks added up give the sum of their summaries."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from desk.cli.main import main
from desk.core.store import records
from desk.core.store.db import open_database
from desk.reports.survey.data import collect
from desk.reports.survey.workbook import export_survey
from tests.conftest import DEMO_TODAY

CITIES: list[dict[str, Any]] = [
    {
        "city": ("Port Meridian", "Oregon", 3, True),
        "partners": [
            ("Matsue", "JP", "sister_city", ["culture_education", "tourism"]),
            ("Suzhou", "CN", "sister_city", ["economic_development"]),
        ],
        "network": "ICLEI – Local Governments for Sustainability",
    },
    {
        "city": ("Cedar Falls", "Iowa", 0, False),
        "partners": [
            ("Guadalajara", "MX", "sister_city", ["economic_development"]),
            ("Curitiba", "BR", "sector_partnership", ["climate_sustainability"]),
        ],
        "network": None,
    },
    {
        "city": ("=Lakeview", "Texas", 1, False),  # hostile: never a formula
        "partners": [("Kobe", "JP", "friendship_city", ["culture_education"])],
        "network": "C40 Cities",
    },
]


def _city(path: Path, spec: dict[str, Any]) -> Path:
    db = open_database(path)
    name, state, staff, director = spec["city"]
    records.create(
        db,
        "city",
        {
            "name": name,
            "state": state,
            "time_zone": "America/Chicago",
            "staff_international": staff,
            "has_director": director,
            "respondent_name": "Pat Lee",
            "respondent_email": "pat.lee@city.example.gov",
        },
    )
    for partner, country, kind, areas in spec["partners"]:
        pid = records.create(
            db,
            "partnership",
            {
                "partner_name": partner,
                "country": country,
                "kind": kind,
                "status": "active",
                "established_date": "1990-05-01",
                "priority_areas": areas,
            },
        ).id
        records.create(
            db,
            "visit",
            {
                "title": f"Mission to {partner}",
                "direction": "outgoing",
                "status": "completed",
                "country": country,
                "city": partner,
                "start_date": "2024-04-08",
                "partnership_id": pid,
                "priority_areas": ["tourism"],
            },
        )
    if spec["network"]:
        records.create(
            db,
            "network",
            {"network_name": spec["network"], "priority_areas": ["climate_sustainability"]},
        )
    out = path.with_suffix(".xlsx")
    export_survey(db, out, since=2016)
    db.close()
    return out


def test_aggregate_adds_up_three_cities(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    books = [_city(tmp_path / f"city{n}.sqlite", spec) for n, spec in enumerate(CITIES)]
    summaries = []
    for n in range(len(CITIES)):
        db = open_database(tmp_path / f"city{n}.sqlite")
        summaries.append(collect(db, 2016, today=DEMO_TODAY).summary())
        db.close()
    out = tmp_path / "national.xlsx"
    args = ["survey", "--aggregate", *map(str, books), "--out", str(out), "--json"]
    assert main(args) == 0
    national = json.loads(capsys.readouterr().out)

    assert national["cities"] == 3
    assert national["engagements"] == sum(s["engagements"] for s in summaries) == 7
    for key in ("by_method", "by_area", "by_country"):
        total: Counter[str] = Counter()
        for summary in summaries:
            total.update(summary[key])
        assert national[key] == dict(total), key
    assert national["by_country"]["JP"] == 2 and "" not in national["by_country"]
    # Shares from exact counts, rounded only where they are shown.
    assert national["staff_international_share"] == 2 / 3
    assert national["director_share"] == 1 / 3
    assert national["left_out"] == [] and national["counted_with_gaps"] == {}

    book = load_workbook(out)
    assert book.sheetnames == ["Findings", "Cities", "Engagements"]
    cities = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Cities").to_python()
    assert [row[0] for row in cities[1:]] == ["Port Meridian", "Cedar Falls", "=Lakeview"]
    for sheet in book.worksheets:
        assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    engagements = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Engagements")
    rows = engagements.to_python()
    matsue = next(r for r in rows if r[rows[0].index("Partner")] == "Matsue")
    assert round(float(matsue[rows[0].index("Latitude")]), 1) == 35.5


def test_a_workbook_with_gaps_is_counted_with_them_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One wrong code or one missing name no longer takes a city out of the national
    count: the workbook is counted and its gaps listed; --strict leaves it out, saying
    how to count it."""
    good = _city(tmp_path / "good.sqlite", CITIES[0])
    bad = _city(tmp_path / "bad.sqlite", CITIES[1])
    book = load_workbook(bad)
    sheet = book["Engagements"]
    column = [c.value for c in sheet[1]].index("Method code") + 1
    sheet.cell(row=2, column=column, value="twinning")
    for cells in book["Respondent"].iter_rows():
        if cells[3].value == "respondent_name":
            cells[1].value = None
    book.save(bad)
    assert main(["survey", "--aggregate", str(good), str(bad)]) == 0
    out = capsys.readouterr().out
    assert f"Counted with gaps {bad}: " in out and "--strict" in out
    assert "2 cities, 5 unique engagements" in out

    assert main(["survey", "--aggregate", str(good), str(bad), "--json"]) == 0
    national = json.loads(capsys.readouterr().out)
    assert national["cities"] == 2
    gaps = national["counted_with_gaps"][str(bad)]
    assert any("'twinning' is not one of the survey's codes" in g for g in gaps)
    assert any("'Respondent name': an answer is needed" in g for g in gaps)

    assert main(["survey", "--aggregate", str(good), str(bad), "--strict"]) == 1
    out = capsys.readouterr().out
    assert f"Left out {bad}: its check found " in out
    assert "To count it: fix them, or leave out --strict" in out
    assert "1 city, 3 unique engagements" in out


def test_a_copied_workbook_is_left_out_unless_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A city's file copied to start another's shares its Engagement IDs: left out as a
    likely copy, with the option that counts it (two cities) named."""
    first = _city(tmp_path / "first.sqlite", CITIES[0])
    second = tmp_path / "second.xlsx"
    book = load_workbook(first)
    for cells in book["Respondent"].iter_rows():
        if cells[3].value == "name":
            cells[1].value = "Cedar Falls"
    book.save(second)
    assert main(["survey", "--aggregate", str(first), str(second), "--json"]) == 1
    captured = capsys.readouterr()
    national = json.loads(captured.out)
    assert national["cities"] == 1
    (left,) = national["left_out"]
    assert "3 Engagement IDs of its 3 are also in" in left["reason"]
    assert left["to_count_it"].startswith("--keep-copies")
    assert f"Left out {left['workbook']}" in captured.err
    args = ["survey", "--aggregate", str(first), str(second), "--keep-copies", "--json"]
    assert main(args) == 0
    national = json.loads(capsys.readouterr().out)
    assert national["cities"] == 2 and national["engagements"] == 6


def test_a_city_sent_twice_is_counted_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os
    import shutil

    first = _city(tmp_path / "first.sqlite", CITIES[0])
    again = tmp_path / "resent-copy.xlsx"
    shutil.copyfile(first, again)
    os.utime(first, (1_700_000_000, 1_700_000_000))  # the copy is the newer file
    assert main(["survey", "--aggregate", str(first), str(again), "--json"]) == 1
    captured = capsys.readouterr()
    assert "another copy of Port Meridian, Oregon's workbook" in captured.err
    national = json.loads(captured.out)  # standard output holds the JSON alone
    assert national["cities"] == 1 and national["engagements"] == 3
    assert national["left_out"][0]["workbook"] == str(first)
