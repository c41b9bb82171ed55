"""Office files as they come: totals under the list, a cover sheet before it, agreements
naming their partner, networks desk already keeps, and imports that change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from desk.cli.main import main
from desk.core.errors import DeskError
from desk.core.store import queries, records
from desk.core.store.db import Database
from desk.io import importer


def _csv(tmp_path: Path, text: str, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_total_under_the_list_is_not_a_partner(db: Database, tmp_path: Path) -> None:
    sheet = _csv(tmp_path, "Sister City;Country\nKobe;Japan\nLyon;France\nTotal: 2 cities;\n")
    plan = importer.plan_file(db, "partnership", sheet)
    assert plan.counts() == {"new": 2, "match": 0, "problem": 1}
    assert plan.problems() == [
        "Row 4, column 'Sister City': 'Total: 2 cities' reads as the sheet's total, not a "
        "partnership; leave this row out"
    ]
    importer.apply_plan(db, plan, skip_problems=True)
    assert queries.count(db, "partnership") == 2


def test_a_cover_sheet_before_the_table_is_passed_over(db: Database, tmp_path: Path) -> None:
    book = Workbook()
    cover = book.active
    cover.title = "Read me"
    cover.append(["This list is kept by the Office of International Affairs."])
    cover.append(["Updated every spring."])
    table = book.create_sheet("Partners")
    table.append(["Sister City", "Country", "Year Established"])
    table.append(["Kobe", "Japan", 1957])
    path = tmp_path / "partners.xlsx"
    book.save(path)
    plan = importer.plan_file(db, "partnership", path)
    assert plan.counts()["new"] == 1 and "sheet 'Partners'" in plan.description


def test_an_agreement_names_its_partnership_and_any_other_party_in_words(
    db: Database, tmp_path: Path
) -> None:
    matsue = records.create(
        db, "partnership", {"partner_name": "Matsue", "country": "JP", "kind": "sister_city"}
    ).id
    sheet = _csv(
        tmp_path,
        "Agreement,Partner,Signed\n"
        "Cultural MOU,matsue,2019\n"
        "Port MOU,Port of Rotterdam,June 2021\n",
    )
    importer.apply_plan(db, importer.plan_file(db, "agreement", sheet))
    rows = {r["title"]: r for r in db.query("SELECT * FROM agreements")}
    assert rows["Cultural MOU"]["partnership_id"] == matsue
    assert rows["Cultural MOU"]["signed_date"] == "2019"
    assert rows["Port MOU"]["partnership_id"] is None
    assert rows["Port MOU"]["parties"] == "Port of Rotterdam"


def test_a_network_desk_keeps_as_a_membership_is_linked_not_repeated(
    db: Database, tmp_path: Path
) -> None:
    kept = records.create(
        db, "network", {"network_name": "United Cities and Local Governments (UCLG)"}
    ).id
    importer.apply_plan(
        db, importer.plan_file(db, "partnership", _csv(tmp_path, "Partner\nUCLG\n"))
    )
    (membership,) = db.query("SELECT * FROM network_memberships")
    uclg = records.resolve_named(db, "partnership", "UCLG")
    assert (membership["id"], membership["partnership_id"]) == (kept, uclg)


def test_an_import_that_writes_nothing_leaves_no_batch_to_undo(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records.create(
        db, "partnership", {"partner_name": "Matsue", "country": "JP", "kind": "sister_city"}
    )
    sheet = _csv(tmp_path, "Partner,Country\nMatsue,Japan\n")
    assert main(["--db", str(db_path), "import", "partnerships", str(sheet)]) == 0
    assert "Nothing to import: every row is already in desk." in capsys.readouterr().out
    assert importer.batches(db) == []
    # A batch that wrote nothing (made before) is refused plainly, not as damage.
    empty = importer.apply_plan(db, importer.plan_file(db, "partnership", sheet))
    with pytest.raises(DeskError, match="added and changed nothing: there is nothing to undo"):
        importer.undo_batch(db, empty)


def test_undoing_an_import_says_how_to_bring_it_back(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = _csv(tmp_path, "Partner,Country\nKobe,Japan\nLyon,France\n")
    assert main(["--db", str(db_path), "import", "partnerships", str(sheet)]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "undo-import", "1"]) == 0
    said = capsys.readouterr().out
    assert said.strip() == "Import 1 undone: 2 records removed ('desk redo' brings it back)."
    assert main(["--db", str(db_path), "redo"]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "list", "partnerships"]) == 0
    assert "2 partnerships" in capsys.readouterr().out


def test_map_takes_a_field_by_its_label_and_names_a_wrong_one(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = _csv(tmp_path, "Partner,Sort\nKobe,Sister City\n")
    line = ["--db", str(db_path), "import", "partnerships", str(sheet), "--dry-run"]
    assert main([*line, "--map", "Sort=Kind"]) == 0
    assert "'Sort' as Kind" in capsys.readouterr().out
    assert main([*line, "--map", "Sort=Bogus"]) == 1
    assert "--map Sort=Bogus: partnership has no field 'Bogus'" in capsys.readouterr().err


def test_other_forms_of_a_name_match_and_a_shorter_one_is_pointed_out(
    db: Database, tmp_path: Path
) -> None:
    for name, country in (("Da Nang", "VN"), ("Saint-Louis", "SN"), ("Freiburg im Breisgau", "DE")):
        records.create(
            db, "partnership", {"partner_name": name, "country": country, "kind": "sister_city"}
        )
    sheet = _csv(
        tmp_path,
        "Sister City,Country\nDa Nang City,Viet Nam\nSt. Louis,Senegal\nFreiburg,Germany\n"
        "Freetown,Sierra Leone\n",
    )
    plan = importer.plan_file(db, "partnership", sheet)
    assert plan.counts() == {"new": 2, "match": 2, "problem": 0}
    assert plan.look_alikes() == [
        "Row 4, Freiburg: looks like Freiburg im Breisgau, already in desk; it would be added "
        "as a new partnership"
    ]
