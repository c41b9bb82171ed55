"""Spreadsheets in the encodings offices really have: read as the text they hold."""

from __future__ import annotations

from pathlib import Path

from desk.core.store.db import Database
from desk.io import importer
from desk.io.tabular import read_table

HEADER = "Partner City,Country,Notes\n"


def _cells(path: Path) -> list[str]:
    table = read_table(path)
    return [str(cell) for _number, cells in table.rows for cell in cells]


def test_rows_in_utf8_and_windows_1252_in_one_file(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        HEADER.encode()
        + "München,DE,from the new sheet\n".encode()
        + "Köln,DE,pasted from the old one\n".encode("cp1252")
    )
    cells = _cells(path)
    assert "München" in cells and "Köln" in cells
    assert not any("Ã" in cell for cell in cells)


def test_a_shift_jis_file(tmp_path: Path) -> None:
    path = tmp_path / "japan.csv"
    rows = [
        "松山市,JP,姉妹都市提携の記念式典を準備中です。",
        "松江市,JP,文化交流と教育交流が続いています。",
    ]
    path.write_bytes((HEADER + "\n".join(rows) + "\n").encode("shift_jis"))
    cells = _cells(path)
    assert "松山市" in cells and "松江市" in cells


def test_a_cell_as_long_as_the_notes_field_allows(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    notes = "word " * 60_000  # 300,000 characters
    path.write_text(HEADER + f'Kobe,JP,"{notes}"\n', encoding="utf-8")
    assert notes.strip() in [cell.strip() for cell in _cells(path)]


def test_spreadsheet_error_values_are_problems_not_names(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "errors.csv"
    path.write_text(
        "Partner City,Country,Kind\n#DIV/0!,JP,Sister city\n#NAME?,FR,Sister city\n"
        "Kobe,JP,Sister city\n",
        encoding="utf-8",
    )
    plan = importer.plan_file(db, "partnership", path)
    problems = [row for row in plan.rows if row.status == "problem"]
    assert len(problems) == 2
    assert "spreadsheet error #DIV/0!" in problems[0].problems[0][1]
    assert [row.values.get("partner_name") for row in plan.rows if row.status != "problem"] == [
        "Kobe"
    ]
