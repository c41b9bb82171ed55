"""The survey workbook: instructions, respondent, capacity, one sheet per engagement
table, and a summary, written from the records with openpyxl.

`desk survey --out FILE.xlsx`; the questionnaire's shape comes from the edition file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from desk.core import countries, money
from desk.core import vocab as v
from desk.core.db import Database
from desk.core.files import check_output_path, safe_write_path, verify_xlsx
from desk.reports.excel import iso_date, put
from desk.reports.survey_data import SurveyData, collect
from desk.reports.survey_edition import CHOICES, YES, Edition, Question, area_headers, load

Progress = Callable[[int, int, str], None]
HEAD_FONT = Font(bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor="1D4E89")
TITLE_FONT = Font(bold=True, size=14, color="1D4E89")
BANNER_FONT = Font(bold=True, color="A11D2B")
LISTS = "Lists"


def export_survey(
    db: Database,
    out: Path,
    *,
    edition: str | None = None,
    since: int | None = None,
    progress: Progress | None = None,
) -> SurveyData:
    spec = load(edition)
    data = collect(db, since or spec.default_since)
    write_workbook(spec, data, out, progress)
    return data


def write_workbook(
    spec: Edition, data: SurveyData, out: Path, progress: Progress | None = None
) -> None:
    steps = 4 + len(spec.tables)
    check_output_path(out)
    book = Workbook()
    instructions = book.active
    instructions.title = "Instructions"
    _instructions(instructions, spec, data)
    _questions(
        book.create_sheet(spec.respondent_sheet),
        spec.respondent,
        data.city,
        banner=spec.respondent_banner,
    )
    _questions(book.create_sheet(spec.capacity_sheet), spec.capacity, data.city)
    lists = _lists(book)
    for done, table in enumerate(spec.tables, start=3):
        if progress:
            progress(done, steps, f"Writing {table.sheet}")
        _table(book.create_sheet(table.sheet), table, data.engagements.get(table.key, []), lists)
    _summary(book.create_sheet(spec.summary_sheet), data)
    book.move_sheet(LISTS, offset=len(book.sheetnames))
    if progress:
        progress(steps - 1, steps, "Saving")
    safe_write_path(out, book.save, verify=verify_xlsx)
    if progress:
        progress(steps, steps, "Done")


def _instructions(sheet: Worksheet, spec: Edition, data: SurveyData) -> None:
    put(sheet, 1, 1, spec.title).font = TITLE_FONT
    put(sheet, 2, 1, spec.publisher)
    city = ", ".join(p for p in (data.city.get("name"), data.city.get("state")) if p)
    put(sheet, 3, 1, f"Respondent city: {city}" if city else "Respondent city: (not set)")
    put(sheet, 4, 1, f"Agreements and meetings since {data.since}; edition {spec.name}")
    for n, line in enumerate(spec.instructions, start=6):
        put(sheet, n, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 110


def _questions(
    sheet: Worksheet,
    questions: tuple[Question, ...],
    city: dict[str, Any],
    *,
    banner: str | None = None,
) -> None:
    top = 1
    if banner:
        put(sheet, 1, 1, banner).font = BANNER_FONT
        top = 3
    for column, header in enumerate(("Question", "Answer"), start=1):
        cell = put(sheet, top, column, header)
        cell.font, cell.fill = HEAD_FONT, HEAD_FILL
    yes_no = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True)
    sheet.add_data_validation(yes_no)
    for n, question in enumerate(questions, start=top + 1):
        put(sheet, n, 1, question.label + (" *" if question.required else ""))
        put(sheet, n, 2, _answer(question, city))
        if question.type == "yes_no":
            yes_no.add(f"B{n}")
    sheet.freeze_panes = sheet.cell(row=top + 1, column=1)
    sheet.column_dimensions["A"].width = 58
    sheet.column_dimensions["B"].width = 44


def _answer(question: Question, city: dict[str, Any]) -> Any:
    if question.source == "budget":
        amount = city.get("budget_minor")
        if amount is None:
            return None
        return float(money.amount(amount, city.get("budget_currency")))
    value = city.get(question.source)
    if question.type == "yes_no":
        return None if value is None else (YES if value else "No")
    return value


def _lists(book: Workbook) -> dict[str, str]:
    """Allowed answers live on a hidden sheet: a list typed into the validation itself is
    limited to 255 characters, too few for the countries."""
    sheet = book.create_sheet(LISTS)
    sheet.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    for column, (name, values) in enumerate(sorted(CHOICES.items()), start=1):
        items = values()
        put(sheet, 1, column, name)
        for row, item in enumerate(items, start=2):
            put(sheet, row, column, item)
        letter = get_column_letter(column)
        ranges[name] = f"{quote_sheetname(LISTS)}!${letter}$2:${letter}${len(items) + 1}"
    return ranges


def _cell_value(column_type: str, source: str, engagement: dict[str, Any]) -> Any:
    value = engagement.get(source)
    if column_type == "date":
        return iso_date(value)
    if column_type == "choice" and source == "country":
        return countries.country_name(value) if value else None
    if column_type == "choice" and source == "method":
        return v.ENGAGEMENT_METHODS[value]
    return value


def _table(sheet: Worksheet, table: Any, rows: list[dict[str, Any]], lists: dict[str, str]) -> None:
    headers = table.headers()
    for column, header in enumerate(headers, start=1):
        cell = put(sheet, 1, column, header)
        cell.font, cell.fill = HEAD_FONT, HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [len(h) + 2 for h in headers]
    area_codes = list(v.PRIORITY_AREAS)
    for row_number, engagement in enumerate(rows, start=2):
        position = 1
        for column in table.columns:
            if column.type == "areas":
                for code in area_codes:
                    put(
                        sheet,
                        row_number,
                        position,
                        YES if code in engagement["priority_areas"] else None,
                    )
                    position += 1
                continue
            value = _cell_value(column.type, column.source, engagement)
            put(sheet, row_number, position, value)
            if isinstance(value, str):
                widths[position - 1] = max(widths[position - 1], min(len(value), 60) + 2)
            position += 1
    last_row = max(2, len(rows) + 1)
    _validations(sheet, table, lists, last_row)
    position = 1
    for column in table.columns:
        span = len(area_codes) if column.type == "areas" else 1
        for offset in range(span):
            width = column.width or widths[position + offset - 1]
            if column.type == "date":
                width = 12
            sheet.column_dimensions[get_column_letter(position + offset)].width = min(width, 60)
        position += span
    sheet.freeze_panes = "A2"
    reference = f"A1:{get_column_letter(len(headers))}{last_row}"
    excel_table = Table(displayName=f"{table.key.capitalize()}Table", ref=reference)
    excel_table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    sheet.add_table(excel_table)


def _validations(sheet: Worksheet, table: Any, lists: dict[str, str], last_row: int) -> None:
    # Validation reaches past the last row, so rows added by hand are checked too.
    end = last_row + 200
    position = 1
    yes = DataValidation(type="list", formula1=f'"{YES}"', allow_blank=True)
    sheet.add_data_validation(yes)
    for column in table.columns:
        letter = get_column_letter(position)
        if column.type == "areas":
            first, last = letter, get_column_letter(position + len(area_headers()) - 1)
            yes.add(f"{first}2:{last}{end}")
            position += len(area_headers())
            continue
        if column.type == "choice" and column.choices:
            rule = DataValidation(
                type="list",
                formula1=lists[column.choices],
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle=column.header,
                error=f"Choose one of the allowed {column.header} answers.",
            )
            sheet.add_data_validation(rule)
            rule.add(f"{letter}2:{letter}{end}")
        elif column.type == "date":
            rule = DataValidation(
                type="date",
                operator="greaterThan",
                formula1="1",
                allow_blank=True,
                showErrorMessage=True,
                error="Enter a date.",
            )
            sheet.add_data_validation(rule)
            rule.add(f"{letter}2:{letter}{end}")
        position += 1


def _summary(sheet: Worksheet, data: SurveyData) -> None:
    counts = data.counts()
    total = len(data.all())
    put(sheet, 1, 1, f"Engagements since {data.since}: {total}").font = TITLE_FONT
    put(
        sheet,
        2,
        1,
        "Counts and shares as the conference publishes them. A priority area "
        "counts once for each engagement that names it, so its shares can add up to more "
        "than 100%.",
    )
    row = 4
    for key, title in (
        ("method", "By method"),
        ("priority_area", "By priority area"),
        ("country", "By partner country"),
    ):
        for column, header in enumerate((title, "Engagements", "Share"), start=1):
            cell = put(sheet, row, column, header)
            cell.font, cell.fill = HEAD_FONT, HEAD_FILL
        row += 1
        for name, count in sorted(counts[key].items(), key=lambda item: (-item[1], item[0])):
            put(sheet, row, 1, name)
            put(sheet, row, 2, count)
            share = put(sheet, row, 3, round(count / total, 4) if total else 0)
            share.number_format = "0.0%"
            row += 1
        row += 1
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 10
