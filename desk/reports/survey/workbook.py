"""The survey workbook: instructions, respondent, capacity, one sheet per engagement
table, and a summary, written from the records with openpyxl.

`desk survey --out FILE.xlsx`; the questionnaire's shape comes from the edition file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from desk.core.disk.files import check_output_path, safe_write_path, verify_xlsx
from desk.core.domain import dates, money
from desk.core.domain import vocab as v
from desk.core.reference import countries
from desk.core.store.db import Database
from desk.core.text.cells import iso_date, put
from desk.reports.survey.data import SurveyData, collect
from desk.reports.survey.edition import (
    CHOICES,
    CODES,
    VOCABULARIES,
    YES,
    Edition,
    Question,
    area_headers,
    load,
    plain,
)

Progress = Callable[[int, int, str], None]
HEAD_FONT = Font(bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor="1D4E89")
# Required columns and questions: marked by color, so no asterisk is part of the text.
REQUIRED_FILL = PatternFill("solid", fgColor="8B1A1A")
TITLE_FONT = Font(bold=True, size=14, color="1D4E89")
BANNER_FONT = Font(bold=True, color="A11D2B")
LISTS = "Lists"
WRAP = Alignment(wrap_text=True, vertical="top")


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


def _rows(data: SurveyData, key: str) -> list[dict[str, Any]]:
    return data.located() if key == "engagements" else data.engagements.get(key, [])


def write_workbook(
    spec: Edition, data: SurveyData, out: Path, progress: Progress | None = None
) -> None:
    steps = 4 + len(spec.tables)
    check_output_path(out)
    book = Workbook()
    instructions = book.active
    assert isinstance(instructions, Worksheet)  # a new workbook's one sheet
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
        _table(book.create_sheet(table.sheet), table, _rows(data, table.key), lists)
    _summary(book.create_sheet(spec.summary_sheet), data, spec)
    book.move_sheet(LISTS, offset=len(book.sheetnames))
    for sheet in book.worksheets:
        if sheet.title != LISTS:
            _page_setup(sheet, spec, data)
    if progress:
        progress(steps - 1, steps, "Saving")
    safe_write_path(out, book.save, verify=verify_xlsx)
    if progress:
        progress(steps, steps, "Done")


def _city(data: SurveyData) -> str:
    return ", ".join(p for p in (data.city.get("name"), data.city.get("state")) if p)


def _instructions(sheet: Worksheet, spec: Edition, data: SurveyData) -> None:
    put(sheet, 1, 1, spec.title).font = TITLE_FONT
    sheet.row_dimensions[1].height = 22
    put(sheet, 2, 1, spec.publisher)
    put(sheet, 3, 1, f"Responding city: {_city(data) or '(not set)'}")
    put(
        sheet,
        4,
        1,
        f"Agreements and meetings from January 1, {data.since}; survey edition {spec.name}",
    )
    width = 100
    for n, line in enumerate(spec.instructions, start=6):
        cell = put(sheet, n, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        # Row heights are set, not left to the reader: LibreOffice does not grow a row
        # for wrapped text it did not lay out itself, and lines would overlap.
        sheet.row_dimensions[n].height = 15 * (len(line) // (width - 10) + 1) + 3
    sheet.column_dimensions["A"].width = width


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
    for column, header in enumerate(("Question", "Answer", "Required", "Key"), start=1):
        cell = put(sheet, top, column, header)
        cell.font, cell.fill = HEAD_FONT, HEAD_FILL
    yes_no = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True)
    sheet.add_data_validation(yes_no)
    for n, question in enumerate(questions, start=top + 1):
        put(sheet, n, 1, question.label).font = Font(bold=question.required)
        put(sheet, n, 2, _answer(question, city))
        put(sheet, n, 3, YES if question.required else None)
        put(sheet, n, 4, question.source)
        if question.type == "yes_no":
            yes_no.add(f"B{n}")
    sheet.freeze_panes = sheet.cell(row=top + 1, column=1).coordinate
    for letter, width in zip("ABCD", (58, 44, 10, 22), strict=True):
        sheet.column_dimensions[letter].width = width


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
    lists = [(name, values) for name, values in sorted(CHOICES.items())]
    lists += [(f"{name}_codes", values) for name, values in sorted(CODES.items())]
    for column, (name, values) in enumerate(lists, start=1):
        items = values()
        put(sheet, 1, column, name)
        for row, item in enumerate(items, start=2):
            put(sheet, row, column, item)
        letter = get_column_letter(column)
        ranges[name] = f"{quote_sheetname(LISTS)}!${letter}$2:${letter}${len(items) + 1}"
    return ranges


def date_format(stored: str | None) -> str:
    """'m/d/yyyy'; 'yyyy' or 'mmmm yyyy' for a date known only to its year or month, so
    the cell reads '2019' or 'June 2019' and no day is made up."""
    parts = dates.partial_parts(stored)
    if parts is None:
        return "m/d/yyyy"
    return "yyyy" if parts[1] is None else "mmmm yyyy"


def _cell_value(column: Any, engagement: dict[str, Any]) -> Any:
    value = engagement.get(column.source)
    if column.type == "date":
        # A date known only to its year or month is still a date cell, which the column's
        # date rule and a reader's sorting need, shown as what is known (date_format).
        return (
            dates.first_day(value)
            if isinstance(value, str) and dates.is_partial(value)
            else iso_date(value)
        )
    if column.type == "area_codes":
        return ";".join(value or []) or None
    if column.type == "area_labels":
        return "; ".join(v.PRIORITY_AREAS[code] for code in value or []) or None
    if column.type == "choice" and column.choices and value is not None:
        labels = VOCABULARIES[column.choices]()
        if value in labels:
            return labels[value]
        if column.choices == "countries":
            return countries.country_name(value)
    return value


def _table(sheet: Worksheet, table: Any, rows: list[dict[str, Any]], lists: dict[str, str]) -> None:
    headers = table.headers()
    required = [
        c.required for c in table.columns for _ in (area_headers() if c.type == "areas" else [0])
    ]
    for column, header in enumerate(headers, start=1):
        cell = put(sheet, 1, column, header)
        cell.font = HEAD_FONT
        cell.fill = REQUIRED_FILL if required[column - 1] else HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [len(h) + 2 for h in headers]
    area_codes = list(v.PRIORITY_AREAS)
    wrapped: list[tuple[int, int, int]] = []  # row, column, length of long text
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
            value = _cell_value(column, engagement)
            cell = put(sheet, row_number, position, value)
            if column.type == "date" and value is not None:
                cell.number_format = date_format(engagement.get(column.source))
            if isinstance(value, str) and len(value) > 20:
                # Long text wraps in its column rather than run under the next one.
                cell.alignment = WRAP
                wrapped.append((row_number, position, len(value)))
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
    # Rows as tall as their longest wrapped text: LibreOffice keeps a row one line high
    # unless told, and the lines would overlap the next row.
    lines: dict[int, int] = {}
    for row_number, column_number, length in wrapped:
        width = sheet.column_dimensions[get_column_letter(column_number)].width or 10
        needed = -(-length // max(int(width) - 2, 1))
        lines[row_number] = max(lines.get(row_number, 1), needed)
    for row_number, count in lines.items():
        if count > 1:
            sheet.row_dimensions[row_number].height = 13 * count + 2
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
        if column.type in ("choice", "code") and column.choices:
            name = column.choices + ("_codes" if column.type == "code" else "")
            rule = DataValidation(
                type="list",
                formula1=lists[name],
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


def _summary(sheet: Worksheet, data: SurveyData, spec: Edition) -> None:
    """The counts the national findings publish, over unique engagements, with the
    national shares beside them. `desk survey --check` recomputes these from the rows."""
    summary = data.summary()
    total = summary["engagements"]
    national = spec.national
    put(sheet, 1, 1, f"Unique engagements: {total}").font = TITLE_FONT
    put(
        sheet,
        2,
        1,
        "Shares are of unique engagements. A priority area counts once for each "
        "engagement that names it, so its shares can add up to more than 100%. Networks "
        "are a method, not a country.",
    ).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells("A2:E2")
    sheet.row_dimensions[2].height = 32
    row = 4
    put(sheet, row, 1, "Staff with international duties").font = Font(bold=True)
    put(sheet, row, 3, summary["staff_international"])
    put(sheet, row + 1, 1, "Dedicated director or manager").font = Font(bold=True)
    put(sheet, row + 1, 3, YES if summary["has_director"] else "No")
    row += 3
    sections: tuple[tuple[str, str, Mapping[str, str] | None, Mapping[str, Any]], ...] = (
        ("by_method", "Method", v.ENGAGEMENT_METHODS, national.get("by_method", {})),
        ("by_area", "Priority area", v.PRIORITY_AREAS, national.get("by_area", {})),
        ("by_country", "Partner country", None, {}),
    )
    share_blocks(
        sheet,
        row,
        [(title, list(summary[key].items()), labels, ref) for key, title, labels, ref in sections],
        total,
    )
    for letter, width in zip("ABCDE", (24, 40, 13, 10, 15), strict=True):
        sheet.column_dimensions[letter].width = width


def share_blocks(
    sheet: Worksheet,
    row: int,
    blocks: list[tuple[str, list[tuple[str, int]], Mapping[str, str] | None, Mapping[str, Any]]],
    total: int,
    reference_header: str = "National share",
) -> int:
    """Counts and shares by code, one block per (title, counts, names, national shares);
    names None means country codes. Returns the row after the last block. The check
    reads these blocks back by their "Code" header."""
    for title, counts, names, reference in blocks:
        headers = ("Code", title, "Engagements", "Share", reference_header)
        for column, header in enumerate(headers, start=1):
            cell = put(sheet, row, column, header)
            cell.font, cell.fill = HEAD_FONT, HEAD_FILL
        row += 1
        for code, count in counts:
            put(sheet, row, 1, code)
            name = names.get(code, code) if names else countries.country_name(code)
            put(sheet, row, 2, plain(name))
            put(sheet, row, 3, count)
            share = put(sheet, row, 4, round(count / total, 4) if total else 0)
            share.number_format = "0.0%"
            if code in reference:
                put(sheet, row, 5, reference[code]).number_format = "0%"
            row += 1
        row += 1
    return row


def _page_setup(sheet: Worksheet, spec: Edition, data: SurveyData) -> None:
    """Printed, each sheet is landscape, one page wide, its header row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_LETTER
    # One page wide where that stays legible; a wide data sheet spans as many pages
    # across as keep its text at reading size (about 150 characters of columns a page).
    columns = (
        sum(  # by position: a merged cell in the row would have no column_letter
            (sheet.column_dimensions[get_column_letter(n)].width or 10)
            for n, _cell in enumerate(sheet[1], start=1)
        )
        if sheet.max_row
        else 0
    )
    sheet.page_setup.fitToWidth = max(1, round(columns / 150))
    sheet.page_setup.fitToHeight = 0
    # openpyxl makes the page setup properties and the footer with every sheet.
    page_setup = sheet.sheet_properties.pageSetUpPr
    assert page_setup is not None
    page_setup.fitToPage = True
    if sheet.max_row > 1 and sheet.title not in ("Instructions",):
        sheet.print_title_rows = "1:1"
    city = (_city(data) or "").replace("&", "&&")
    footer = sheet.oddFooter
    assert footer is not None
    footer.left.text = city
    footer.center.text = f"{spec.title.replace('&', '&&')}"
    footer.right.text = "Page &P of &N"
