"""Cells that hold exactly what was typed.

openpyxl turns any string starting with "=" into a formula and refuses control
characters outright. Text goes in as a string cell; text a spreadsheet would read as a
formula (= + - @) is also marked quoted, and control characters are written with the
_xHHHH_ escape that Excel, LibreOffice and the readers decode back to the character.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.worksheet.worksheet import Worksheet

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
# What makes a spreadsheet read a cell as a formula, as OWASP lists it: the four signs,
# and a tab or carriage return before them. One list for every cell desk writes, in a
# workbook or a CSV file.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL = 32_767


def excel_text(text: str) -> str:
    # A literal "_x0041_" must stay literal: its underscore is escaped first.
    escaped = _ESCAPE_LIKE.sub(r"_x005F_\1", text)
    escaped = _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", escaped)
    if len(escaped) > MAX_CELL:
        escaped = escaped[: MAX_CELL - 1] + "…"
    return escaped


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one value: text as text, numbers as numbers, dates as real dates."""
    cell = sheet.cell(row=row, column=column)
    assert isinstance(cell, Cell), "a merged cell takes no value"
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, bool):
        cell.value = "Yes" if value else "No"
        cell.data_type = "s"
    elif isinstance(value, int | float):
        cell.value = value
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, CellRichText):
        cell.value = value
    else:
        text = str(value)
        cell.value = excel_text(text)
        cell.data_type = "s"  # never a formula, whatever the first character
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True
    return cell


def iso_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def csv_safe(text: str) -> str:
    """A leading apostrophe keeps a spreadsheet from reading a CSV cell as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text
