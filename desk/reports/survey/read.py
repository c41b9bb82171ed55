"""Reading a survey workbook back, desk-made or edited by hand: its sheets as rows keyed
by header, its questions by key. Shared by the check, the comparison and the national
aggregate."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from desk.core.disk.files import input_file
from desk.core.domain.dates import first_day, is_partial, last_day, parse_partial
from desk.core.errors import DeskError
from desk.reports.survey.edition import Edition, Question


def open_book(path: Path) -> Any:
    input_file(path, "the survey workbook (.xlsx)")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise DeskError(
            f"{path} is not an Excel workbook (.xlsx); give the survey workbook desk wrote, "
            "or a copy saved from Excel as .xlsx."
        )
    try:
        return load_workbook(path, data_only=False)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise DeskError(
            f"{path} is not a readable Excel workbook (.xlsx): it is damaged or another "
            "kind of file. Open it in Excel or LibreOffice and save it as .xlsx again."
        ) from None


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(text(value)) if text(value) else None
    except ValueError:
        return None


def as_span(value: Any) -> tuple[dt.date, dt.date] | None:
    """The first and last day a date cell can mean: a day; a year alone (the number
    2019 or the text '2019'); a month alone ('June 2019', '2019-06'). None for anything
    else."""
    day = as_date(value)
    if day is not None:
        return day, day
    if isinstance(value, int | float) and float(value).is_integer() and 1000 <= value <= 9999:
        value = str(int(value))
    shown = text(value)
    if not shown:
        return None
    try:
        stored = parse_partial(shown)
    except ValueError:
        return None
    if not is_partial(stored):
        return None  # a whole day belongs in a date cell, not typed as text
    return first_day(stored), last_day(stored)


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    cells: dict[str, Any]

    def get(self, header: str) -> str:
        return text(self.values.get(header))


def table_rows(sheet: Any, renamed: dict[str, str] | None = None) -> tuple[list[str], list[Row]]:
    """The header row and every non-empty row below it; `renamed` (earlier header ->
    today's) reads a column by its present name."""
    headers = [(renamed or {}).get(text(c.value), text(c.value)) for c in sheet[1]]
    rows = []
    for cells in sheet.iter_rows(min_row=2):
        by_header = {h: cells[i] for i, h in enumerate(headers) if h and i < len(cells)}
        values = {h: c.value for h, c in by_header.items()}
        if any(text(v) for v in values.values()):
            rows.append(Row(cells[0].row, values, by_header))
    return headers, rows


@dataclass
class Answer:
    row: int
    label: str
    value: Any


def answers(sheet: Any, questions: tuple[Question, ...]) -> dict[str, Answer]:
    """Answers by question key: the Key column where there is one, else the label."""
    by_label = {q.label: q.source for q in questions}
    found: dict[str, Answer] = {}
    for cells in sheet.iter_rows(min_row=1):
        label = text(cells[0].value).removesuffix(" *")
        key = text(cells[3].value) if len(cells) > 3 else ""
        key = key if key in by_label.values() else by_label.get(label, "")
        if key:
            found[key] = Answer(cells[0].row, label, cells[1].value if len(cells) > 1 else None)
    return found


# "survey window January 1, 2016 – ..." (and "from January 1, 2016", as earlier releases
# wrote it).
_SINCE = re.compile(r"(?:from|window) January 1, (\d{4})")
_AS_OF = re.compile(r"As of ([A-Z][a-z]+ \d{1,2}, \d{4})")


def first_year(book: Any, spec: Edition) -> int:
    """The survey window's first year, as the workbook states it."""
    if "Instructions" in book.sheetnames:
        for (value,) in book["Instructions"].iter_rows(
            min_row=1, max_row=8, max_col=1, values_only=True
        ):
            found = _SINCE.search(text(value))
            if found:
                return int(found.group(1))
    return spec.default_since


def as_of(book: Any) -> dt.date | None:
    """The day the workbook counted as of, as its Instructions state it (None in a
    workbook from before desk wrote it)."""
    if "Instructions" in book.sheetnames:
        for (value,) in book["Instructions"].iter_rows(
            min_row=1, max_row=8, max_col=1, values_only=True
        ):
            found = _AS_OF.search(text(value))
            if found:
                return dt.datetime.strptime(found.group(1), "%B %d, %Y").date()
    return None
