"""The survey workbook: instructions, respondent, capacity, one sheet per engagement
table, and a summary, written from the records with openpyxl.

`desk survey --out FILE.xlsx`; the questionnaire's shape comes from the edition file.

Laid out for paper as much as for the screen: every cell top-aligned, text wrapped in its
own column (right-to-left text right-aligned and read right to left), codes never broken,
rows as tall as their text, and the data sheets printed landscape with their header row
and key columns (Engagement ID and the row's name) repeated on every page.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from copy import copy
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from desk.core.disk.files import check_output_path, safe_write_path, verify_xlsx
from desk.core.domain import dates, money
from desk.core.domain import vocab as v
from desk.core.progress import Progress
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

# Fonts are named: a font without a name is drawn in the reader's default, a serif in
# LibreOffice, wider than the widths here allow for.
FONT = "Calibri"
HEAD_FONT = Font(name=FONT, bold=True, color="FFFFFF")
# A priority area's column holds only "Yes": its header, a size smaller, sets its width.
AREA_HEAD_FONT = Font(name=FONT, bold=True, color="FFFFFF", size=9)
HEAD_FILL = PatternFill("solid", fgColor="1D4E89")
# Required columns and questions: marked by color, so no asterisk is part of the text.
REQUIRED_FILL = PatternFill("solid", fgColor="8B1A1A")
TITLE_FONT = Font(name=FONT, bold=True, size=14, color="1D4E89")
BANNER_FONT = Font(name=FONT, bold=True, color="A11D2B")
BOLD = Font(name=FONT, bold=True)
PLAIN = Font(name=FONT)
LISTS = "Lists"
# One vertical alignment everywhere, top: a wrapped cell grows downwards, and a cell
# beside it must stay level with its first line, or it reads as the row above's.
TOP = Alignment(vertical="top")
WRAP = Alignment(wrap_text=True, vertical="top")
LEFT = Alignment(horizontal="left", vertical="top", indent=1)
# Numbers and dates stand at the left of their column, a space in (LibreOffice indents
# only what is left-aligned), so they never meet the text of the column on either side.
NUMBER = Alignment(horizontal="left", vertical="top", indent=1)
CENTER = Alignment(horizontal="center", vertical="top")
# Right-to-left text stays in its own column: wrapped there, right-aligned, read right
# to left (left to the reader's program, it overflows into the next column on paper).
RTL = Alignment(wrap_text=True, vertical="top", horizontal="right", indent=1, readingOrder=2)
# A text column without a width of its own is at most this wide; longer text wraps.
TEXT_WIDTH = 18
# The Engagement ID, a 36-character code that every page repeats: a size smaller.
KEY_SOURCES = ("id", "engagement_id")
KEY_FONT = Font(name=FONT, size=9)
# Points a line of 11-point text takes, and a little room below the last.
LINE = 15
SHARE_FORMAT = "0.0%"
# Landscape Letter with these margins holds about 105 characters of columns at full
# size (drawn in DejaVu Sans, as LibreOffice does without Calibri; Excel fits more) and
# 7.3 inches of rows. A data sheet prints at the largest of these scales that needs the
# fewest pages (_print_scale): smaller than 60% is too small to read.
PAGE_COLUMNS = 105.0
PAGE_POINTS = 7.3 * 72 - 30  # the footer's line and its room
SCALES = (80, 75, 70, 65, 60)
MARGINS = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)


def export_survey(
    db: Database,
    out: Path,
    *,
    edition: str | None = None,
    since: int | None = None,
    progress: Progress | None = None,
) -> SurveyData:
    spec = load(edition)
    data = collect(db, since or spec.default_since, domestic_networks=spec.domestic_networks)
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
    tables = []
    for done, table in enumerate(spec.tables, start=3):
        if progress:
            progress(done, steps, f"Writing {table.sheet}")
        sheet = book.create_sheet(table.sheet)
        _table(sheet, table, _rows(data, table.key), lists)
        tables.append(sheet.title)
    _summary(book.create_sheet(spec.summary_sheet), data, spec)
    book.move_sheet(LISTS, offset=len(book.sheetnames))
    for sheet in book.worksheets:
        if sheet.title != LISTS:
            _page_setup(sheet, spec, data, table=sheet.title in tables)
    if progress:
        progress(steps - 1, steps, "Saving")
    safe_write_path(out, book.save, verify=verify_xlsx)
    if progress:
        progress(steps, steps, "Done")


def _city(data: SurveyData) -> str:
    return ", ".join(p for p in (data.city.get("name"), data.city.get("state")) if p)


def text_width(text: str) -> int:
    """Columns a text takes: a Chinese, Japanese or Korean character takes two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def lines_in(text: str, width: float) -> int:
    """Lines a text wraps to in a column `width` characters wide, breaking at spaces as a
    spreadsheet does (a word longer than the line takes lines of its own)."""
    # A column is as many characters wide as it holds zeros; text averages narrower.
    room = max((width - 1.5) * 1.1, 1.0)
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = 0.0
        for word in paragraph.split(" "):
            size = text_width(word)
            if used and used + 1 + size > room:
                count += 1
                used = 0.0
            if size > room:
                count += int(size // room)
                size = int(size % room)
            used += (1 if used else 0) + size
    return count


def right_to_left(text: str) -> bool:
    """Whether a text reads right to left: its first letter with a direction is Arabic
    or Hebrew script."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def _instructions(sheet: Worksheet, spec: Edition, data: SurveyData) -> None:
    put(sheet, 1, 1, spec.title).font = TITLE_FONT
    sheet.row_dimensions[1].height = 22
    put(sheet, 2, 1, spec.publisher)
    put(sheet, 3, 1, f"Responding city: {_city(data) or '(not set)'}")
    put(sheet, 4, 1, f"{as_of_line(data)}; survey edition {spec.name}")
    lines = list(spec.instructions)
    if spec.method_rule:
        lines += ["", *spec.method_rule]
    if data.left_out:
        lines += [
            "",
            "Not counted: each partnership and network membership that is not an "
            "engagement on the day counted, and why.",
            *(f"{item.name}: {item.why}." for item in data.left_out),
        ]
    width = 110
    for n, line in enumerate(lines, start=6):
        cell = put(sheet, n, 1, line or None)
        cell.alignment = WRAP
        if line:
            # Row heights are set, not left to the reader: LibreOffice does not grow a row
            # for wrapped text it did not lay out itself, and lines would overlap.
            sheet.row_dimensions[n].height = LINE * lines_in(line, width) + 3
    for row in sheet.iter_rows(min_row=1, max_row=4):
        row[0].alignment = TOP
    sheet.column_dimensions["A"].width = width


def as_of_line(data: SurveyData) -> str:
    """'As of December 6, 2026; survey window January 1, 2016 – December 6, 2026': the
    day counted and the window, as the Instructions and the Summary state them (the check
    reads the window's first year back from it)."""
    return f"As of {dates.month_day_year(data.as_of)}; survey window {data.window()}"


def _questions(
    sheet: Worksheet,
    questions: tuple[Question, ...],
    city: dict[str, Any],
    *,
    banner: str | None = None,
) -> None:
    top = 1
    if banner:
        cell = put(sheet, 1, 1, banner)
        cell.font, cell.alignment = BANNER_FONT, TOP
        top = 3
    for column, header in enumerate(("Question", "Answer", "Required", "Key"), start=1):
        cell = put(sheet, top, column, header)
        cell.font, cell.fill = HEAD_FONT, HEAD_FILL
        cell.alignment = CENTER if header == "Required" else TOP
    yes_no = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True)
    sheet.add_data_validation(yes_no)
    widths = (58, 44, 11, 22)
    for n, question in enumerate(questions, start=top + 1):
        label = put(sheet, n, 1, question.label)
        label.font, label.alignment = BOLD if question.required else PLAIN, WRAP
        # The answer sits at the left of its column, away from the Required column, so
        # a number and the "Yes" beside it never read as one ("3 Yes").
        answer = put(sheet, n, 2, _answer(question, city))
        answer.alignment = LEFT
        if question.type == "int" and question.source != "budget_year":
            answer.number_format = "#,##0"
        elif question.type == "money":
            answer.number_format = "$#,##0"
        put(sheet, n, 3, YES if question.required else None).alignment = CENTER
        put(sheet, n, 4, question.source).alignment = TOP
        if question.type == "yes_no":
            yes_no.add(f"B{n}")
        needed = max(lines_in(question.label, widths[0]), lines_in(str(answer.value or ""), 44))
        if needed > 1:
            sheet.row_dimensions[n].height = LINE * needed + 2
    sheet.freeze_panes = sheet.cell(row=top + 1, column=1).coordinate
    for letter, width in zip("ABCD", widths, strict=True):
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
    """'m/d/yyyy' for a day; a date known only to its year is the year, a number ('0'),
    and one known to its month the month as text ('@'): no cell holds a made-up day."""
    parts = dates.partial_parts(stored)
    if parts is None:
        return "m/d/yyyy"
    return "0" if parts[1] is None else "@"


def _date_width(stored: str | None) -> int:
    """Characters the date shows as (date_format): '12/31/2025', 'September 2019'."""
    parts = dates.partial_parts(stored)
    if parts is None:
        return 10
    return 4 if parts[1] is None else len(dates.month_year(parts[0], parts[1]))


def _cell_value(column: Any, engagement: dict[str, Any]) -> Any:
    value = engagement.get(column.source)
    if column.type == "date":
        # A date known only to its year is that year, a number; one known to its month,
        # the month in words ('June 2019'). A date cell would hold a made-up first day.
        parts = dates.partial_parts(value)
        if parts is not None:
            year, month = parts
            return year if month is None else dates.month_year(year, month)
        return iso_date(value)
    if column.type == "area_codes":
        # Separated by a space too, so a long list wraps between codes, never inside one.
        return "; ".join(value or []) or None
    if column.type == "area_labels":
        return "; ".join(v.PRIORITY_AREAS[code] for code in value or []) or None
    if column.type == "choice" and column.choices and value is not None:
        labels = VOCABULARIES[column.choices]()
        if value in labels:
            return labels[value]
        if column.choices == "countries":
            return countries.country_name(value)
    return value


class _Styles:
    """Each look (alignment, font, number format) a data cell takes, made once and
    copied after: openpyxl hashes a style object on every assignment, which over tens of
    thousands of cells was most of the time the workbook took to write."""

    def __init__(self) -> None:
        self.made: dict[tuple[Any, ...], StyleArray] = {}

    def apply(
        self,
        cell: Any,
        alignment: Alignment,
        font: Font | None = None,
        number_format: str | None = None,
    ) -> None:
        key = (tuple(cell._style or ()), id(alignment), id(font), number_format)
        found = self.made.get(key)
        if found is not None:
            cell._style = copy(found)
            return
        cell.alignment = alignment
        if font is not None:
            cell.font = font
        if number_format is not None:
            cell.number_format = number_format
        self.made[key] = copy(cell._style)


def _header_width(header: str, size: float = 1.0) -> float:
    """The width a header needs so that, wrapped, no word of it breaks (bold is wider);
    `size`: its font's size against the body's."""
    return max(text_width(word) for word in header.split()) * 1.15 * size + 2


def _longest_code(value: str) -> int:
    return max((text_width(code) for code in value.split()), default=0)


def _table(sheet: Worksheet, table: Any, rows: list[dict[str, Any]], lists: dict[str, str]) -> None:
    headers = table.headers()
    # The columns by position: an areas column is one column per priority area.
    kinds: list[Any] = [
        c for c in table.columns for _ in (area_headers() if c.type == "areas" else [0])
    ]
    for column, (kind, header) in enumerate(zip(kinds, headers, strict=True), start=1):
        cell = put(sheet, 1, column, header)
        cell.font = AREA_HEAD_FONT if kind.type == "areas" else HEAD_FONT
        cell.fill = REQUIRED_FILL if kind.required else HEAD_FILL
        cell.alignment = WRAP
    # The widest value each column shows, in characters (for a code column, the widest
    # single code: a list of codes wraps between them, never inside one).
    longest = [0] * len(headers)
    area_codes = list(v.PRIORITY_AREAS)
    texts: list[tuple[int, int, str]] = []  # row, column, text that wraps
    looks = _Styles()
    for row_number, engagement in enumerate(rows, start=2):
        position = 1
        for column in table.columns:
            if column.type == "areas":
                for code in area_codes:
                    marked = code in engagement["priority_areas"]
                    cell = put(sheet, row_number, position, YES if marked else None)
                    looks.apply(cell, CENTER)
                    position += 1
                continue
            value = _cell_value(column, engagement)
            cell = put(sheet, row_number, position, value)
            at = position - 1
            if column.source in KEY_SOURCES:
                looks.apply(cell, TOP, KEY_FONT)
            elif column.type == "date" and value is not None:
                stored = engagement.get(column.source)
                looks.apply(cell, NUMBER, number_format=date_format(stored))
                longest[at] = max(longest[at], _date_width(stored) + 3)
            elif column.type == "code" or not isinstance(value, str):
                # A code is never wrapped, so never broken; nor is a number.
                number = isinstance(value, int | float)
                looks.apply(cell, NUMBER if number else TOP)
                if value is not None:
                    longest[at] = max(longest[at], text_width(str(value)) + (3 if number else 0))
            else:
                # Text wraps in its own column rather than run under the next one.
                looks.apply(cell, RTL if right_to_left(value) else WRAP)
                texts.append((row_number, position, value))
                size = _longest_code(value) if column.type == "area_codes" else text_width(value)
                longest[at] = max(longest[at], size)
            position += 1
    last_row = max(2, len(rows) + 1)
    _validations(sheet, table, lists, last_row)
    for position, (column, header) in enumerate(zip(kinds, headers, strict=True), start=1):
        if column.type == "areas":
            width = _header_width(header, 9 / 11)
        elif column.type in ("code", "area_codes", "date", "int", "number"):
            width = max(_header_width(header), longest[position - 1] + 2)
        elif column.width:
            width = max(_header_width(header), column.width)
        else:
            width = max(_header_width(header), min(longest[position - 1], TEXT_WIDTH) + 2)
        sheet.column_dimensions[get_column_letter(position)].width = round(width, 1)
    # Rows as tall as their longest wrapped text: LibreOffice keeps a row one line high
    # unless told, and the lines would overlap the next row.
    lines: dict[int, int] = {}
    for row_number, column_number, text in texts:
        width = sheet.column_dimensions[get_column_letter(column_number)].width or 10
        needed = lines_in(text, width)
        if needed > lines.get(row_number, 1):
            lines[row_number] = needed
    for row_number, count in lines.items():
        if count > 1:
            sheet.row_dimensions[row_number].height = LINE * count + 2
    sheet.row_dimensions[1].height = (
        LINE
        * max(
            lines_in(h, (sheet.column_dimensions[get_column_letter(n)].width or 10) / 1.15)
            for n, h in enumerate(headers, start=1)
        )
        + 2
    )
    # The key columns (Engagement ID and the row's name) stay in view as the sheet
    # scrolls right, as they repeat on each printed page (_page_setup).
    sheet.freeze_panes = "C2"
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


# The Summary's capacity lines: (label, question key, national share key, what the two
# figures are: this city's answer, and the national share beside it).
CAPACITY_LINES = (
    (
        "Staff with international duties",
        "staff_international",
        "staff_international",
        "This city: how many people. Nationally: the share of cities with any.",
    ),
    (
        "Dedicated director or manager",
        "has_director",
        "has_director",
        "This city: Yes or No. Nationally: the share of cities with one.",
    ),
)
CAPACITY_HEADERS = ("Capacity", "What the figures are", "This city", "", "Cities nationally")
SUMMARY_HEADERS = ("Code", "", "Engagements", "Share", "National share")


def every_code(
    counts: Mapping[str, int], names: Mapping[str, str], national: Mapping[str, Any]
) -> list[tuple[str, int]]:
    """Every category of the survey, zero included (a method no engagement used is
    news), most engagements first; 'other' only where it is counted."""
    codes = [c for c in names if c != "other" or counts.get(c)]
    codes += [c for c in counts if c not in codes]
    codes.sort(key=lambda c: (-counts.get(c, 0), -national.get(c, 0), list(names).index(c)))
    return [(code, counts.get(code, 0)) for code in codes]


def _summary(sheet: Worksheet, data: SurveyData, spec: Edition) -> None:
    """The counts the national findings publish, over unique engagements, with the
    national shares beside them. `desk survey --check` recomputes every figure here from
    the rows, the Capacity sheet and the edition."""
    summary = data.summary()
    total, with_country = summary["engagements"], summary["with_country"]
    national = spec.national
    heading = put(sheet, 1, 1, f"Unique engagements: {total}")
    heading.font, heading.alignment = TITLE_FONT, TOP
    put(sheet, 2, 1, as_of_line(data)).alignment = TOP
    networks = total - with_country
    note = put(
        sheet,
        3,
        1,
        f"Shares of methods and priority areas are of the {total} unique engagements; "
        f"shares of partner countries are of the {with_country} that have a country"
        + (
            f" (the {networks} network{'' if networks == 1 else 's'} have none: networks "
            "are a method, not a country)"
            if networks
            else ""
        )
        + ". Each is computed from the exact counts. A priority area counts once for each "
        "engagement that names it, so its shares can add up to more than 100%.",
    )
    note.alignment = WRAP
    sheet.merge_cells("A3:E3")
    sheet.row_dimensions[3].height = LINE * 3 + 4
    row = 5
    for column, header in enumerate(CAPACITY_HEADERS, start=1):
        cell = put(sheet, row, column, header or None)
        cell.font, cell.fill, cell.alignment = HEAD_FONT, HEAD_FILL, WRAP
    for label, key, reference, meaning in CAPACITY_LINES:
        row += 1
        put(sheet, row, 1, label).alignment = WRAP
        sheet.cell(row=row, column=1).font = BOLD
        put(sheet, row, 2, meaning).alignment = WRAP
        sheet.row_dimensions[row].height = LINE * lines_in(meaning, 40) + 2
        value = summary[key]
        if key == "has_director":
            value = YES if value else "No"
        cell = put(sheet, row, 3, value)
        cell.alignment = LEFT
        if national.get(reference) is not None:
            cell = put(sheet, row, 5, national[reference])
            cell.number_format, cell.alignment = "0%", LEFT
    row += 2
    by_method, by_area = national.get("by_method", {}), national.get("by_area", {})
    share_blocks(
        sheet,
        row,
        [
            (
                "Method",
                every_code(summary["by_method"], v.ENGAGEMENT_METHODS, by_method),
                v.ENGAGEMENT_METHODS,
                by_method,
                total,
            ),
            (
                "Priority area",
                every_code(summary["by_area"], v.PRIORITY_AREAS, by_area),
                v.PRIORITY_AREAS,
                by_area,
                total,
            ),
            ("Partner country", list(summary["by_country"].items()), None, {}, with_country),
        ],
    )
    for letter, width in zip("ABCDE", (24, 40, 13, 10, 17), strict=True):
        sheet.column_dimensions[letter].width = width


def share(count: int, total: int) -> float:
    """A share as stored: the exact ratio of the counts, rounded only where it is shown
    (number format 0.0%), so the sheet and the command line show the same figure."""
    return count / total if total else 0.0


def percent(count: int | float, total: int | float = 1) -> str:
    """A share as a spreadsheet shows it at 0.0%: tenths of a percent, halves rounded
    away from zero ('4.3%' for 1 of 23, '6.3%' for 1 of 16)."""
    if not total:
        return "0.0%"
    exact = Fraction(Decimal(repr(count))) / Fraction(Decimal(repr(total))) * 1000
    tenths = Decimal(exact.numerator) / Decimal(exact.denominator)
    rounded = int(tenths.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    sign = "-" if rounded < 0 else ""
    return f"{sign}{abs(rounded) // 10}.{abs(rounded) % 10}%"


def share_blocks(
    sheet: Worksheet,
    row: int,
    blocks: list[
        tuple[str, list[tuple[str, int]], Mapping[str, str] | None, Mapping[str, Any], int]
    ],
    reference_header: str = "National share",
) -> int:
    """Counts and shares by code, one block per (title, counts, names, national shares,
    the count the shares are of); names None means country codes, named as the Country
    columns name them. Returns the row after the last block. The check reads these
    blocks back by their "Code" header."""
    for title, counts, names, reference, total in blocks:
        headers = ("Code", title, "Engagements", "Share", reference_header)
        for column, header in enumerate(headers, start=1):
            cell = put(sheet, row, column, header)
            cell.font, cell.fill, cell.alignment = HEAD_FONT, HEAD_FILL, WRAP
        row += 1
        for code, count in counts:
            put(sheet, row, 1, code).alignment = TOP
            put(sheet, row, 2, code_name(code, names)).alignment = WRAP
            put(sheet, row, 3, count).alignment = LEFT
            cell = put(sheet, row, 4, share(count, total))
            cell.number_format, cell.alignment = SHARE_FORMAT, LEFT
            if code in reference:
                cell = put(sheet, row, 5, reference[code])
                cell.number_format, cell.alignment = "0%", LEFT
            row += 1
        row += 1
    return row


def code_name(code: str, names: Mapping[str, str] | None) -> str:
    """A Summary row's words for its code: the survey's own label of a method or priority
    area ('Culture & education', as every sheet writes it), a country as the Country
    columns write it."""
    if names is not None:
        return names.get(code, code)
    return plain(countries.country_name(code) or code)


def _print_scale(sheet: Worksheet) -> int:
    """The largest of SCALES that prints the sheet on the fewest pages, with its first
    two columns and first row on every page. Pages break between columns, as a
    spreadsheet does, so the columns are packed as it packs them."""
    widths = [
        (sheet.column_dimensions[get_column_letter(n)].width or 10) + 0.7
        for n in range(1, sheet.max_column + 1)
    ]
    heights = [sheet.row_dimensions[n].height or LINE for n in range(1, sheet.max_row + 1)]
    key, rest = sum(widths[:2]), widths[2:]

    def pages(scale: int) -> int:
        room = PAGE_COLUMNS * 100 / scale - key
        across, used = 1, 0.0
        for width in rest:
            if used and used + width > room:
                across, used = across + 1, 0.0
            used += width
        tall = PAGE_POINTS * 100 / scale - heights[0]
        down, used = 1, 0.0
        for height in heights[1:]:
            if used and used + height > tall:
                down, used = down + 1, 0.0
            used += height
        return across * down

    fewest = min(pages(scale) for scale in SCALES)
    return next(scale for scale in SCALES if pages(scale) == fewest)


def _page_setup(sheet: Worksheet, spec: Edition, data: SurveyData, *, table: bool) -> None:
    """Printed landscape on Letter. A data sheet keeps its text at reading size, spans
    as many pages across as it needs, and repeats its header row and key columns
    (Engagement ID and the row's name) on each, so every value on a page can be matched
    to its row. The other sheets fit one page wide."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_LETTER
    sheet.page_margins = MARGINS
    # openpyxl makes the page setup properties and the footer with every sheet.
    page_setup = sheet.sheet_properties.pageSetUpPr
    assert page_setup is not None
    if table:
        page_setup.fitToPage = False
        sheet.page_setup.scale = _print_scale(sheet)
        sheet.print_title_rows = "1:1"
        sheet.print_title_cols = "A:B"
    else:
        page_setup.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        # A sheet that fits on one page at no less than the smallest scale a data sheet
        # takes does (a Summary's blocks apart, the second without its header, read as
        # figures of nothing); a long one runs on.
        rows = sum(sheet.row_dimensions[n].height or LINE for n in range(1, sheet.max_row + 1))
        sheet.page_setup.fitToHeight = 1 if rows * min(SCALES) / 100 <= PAGE_POINTS else 0
    city = (_city(data) or "").replace("&", "&&")
    footer = sheet.oddFooter
    assert footer is not None
    footer.left.text = city
    footer.center.text = f"{spec.title.replace('&', '&&')}"
    footer.right.text = "Page &P of &N"
