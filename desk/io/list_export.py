"""Any list, as the window shows it (filter and order), out to CSV or Excel.

Both carry the same protection as the survey: a value that a spreadsheet would run as a
formula (= + - @ at the start) is written so that it stays text.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TextIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from desk.core.disk.files import check_output_path, safe_write_path, safe_write_text, verify_xlsx
from desk.core.domain.kinds import KINDS
from desk.core.errors import DeskError
from desk.core.store import queries
from desk.core.store.db import Database
from desk.core.text.cells import csv_safe, put


def _table(db: Database, query: queries.ListQuery) -> tuple[list[str], list[list[str]]]:
    spec = KINDS[query.kind]
    rows = queries.list_records(db, query)
    fields = list(spec.fields)
    headers = ["id", *[f.label for f in fields]]
    body = [
        [str(row["id"]), *[queries.display(db, f, row.get(f.name), row) for f in fields]]
        for row in rows
    ]
    return headers, body


def export_list(db: Database, query: queries.ListQuery, path: Path) -> int:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise DeskError(f"Export a list as .csv or .xlsx, not '{suffix or path.name}'.")
    check_output_path(path)
    headers, body = _table(db, query)
    if suffix == ".csv":

        def write(handle: TextIO) -> None:
            writer = csv.writer(handle)
            writer.writerow(headers)
            writer.writerows([[csv_safe(cell) for cell in row] for row in body])

        # UTF-8 with a byte-order mark: Excel then reads native scripts correctly.
        safe_write_text(path, write, encoding="utf-8-sig", newline="")
    else:
        book = Workbook()
        sheet = book.active
        assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
        sheet.title = KINDS[query.kind].plural[:31]
        for column, header in enumerate(headers, start=1):
            put(sheet, 1, column, header).font = Font(bold=True)
        for row_number, row in enumerate(body, start=2):
            for column, cell in enumerate(row, start=1):
                put(sheet, row_number, column, cell)
        for column, header in enumerate(headers, start=1):
            width = max([len(header), *(len(r[column - 1]) for r in body[:200])]) + 2
            sheet.column_dimensions[get_column_letter(column)].width = min(width, 50)
        sheet.freeze_panes = "A2"
        safe_write_path(path, book.save, verify=verify_xlsx)
    return len(body)
