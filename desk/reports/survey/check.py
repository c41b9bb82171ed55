"""Checking a survey workbook before it is sent: what the form would not accept, and what
the conference would not believe (dates outside the window, an expiry before its
signing, a repeated row, a Summary that no longer matches the rows). Each finding names
sheet, row and column."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

from desk.core.domain import vocab as v
from desk.reports.survey.edition import (
    CODES,
    VOCABULARIES,
    YES,
    Edition,
    Question,
    Table,
    area_headers,
    load,
)
from desk.reports.survey.read import Row, answers, as_date, first_year, open_book, table_rows, text

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
# Dates checked against the survey window: (sheet key, column header).
_DATED = {"agreements": "Signed", "meetings": "Start"}
# (sheet key, earlier column, later column, what it means when they are the wrong way).
_ORDER = (
    ("agreements", "Signed", "Expires", "expires before it was signed"),
    ("meetings", "Start", "End", "ends before it starts"),
)


def check(
    path: Path, edition: str | None = None, today: dt.date | None = None, book: Any = None
) -> list[str]:
    """Everything in the workbook to fix before sending it, one line each. `book`: the
    workbook already open, for a caller that goes on to read it."""
    spec = load(edition)
    book = book if book is not None else open_book(path)
    today = today or dt.date.today()
    problems: list[str] = []
    for sheet_name, questions in (
        (spec.respondent_sheet, spec.respondent),
        (spec.capacity_sheet, spec.capacity),
    ):
        if sheet_name not in book.sheetnames:
            problems.append(f"Sheet '{sheet_name}' is missing.")
            continue
        problems += _check_questions(book[sheet_name], sheet_name, questions)
    window = (dt.date(first_year(book, spec), 1, 1), today)
    rows: dict[str, list[Row]] = {}
    for table in spec.tables:
        if table.sheet not in book.sheetnames:
            problems.append(f"Sheet '{table.sheet}' is missing.")
            continue
        found, table_problems = _check_table(book[table.sheet], table, window)
        rows[table.key] = found
        problems += table_problems
    problems += _check_links(spec, rows)
    problems += _check_consistency(book, spec, rows)
    if spec.summary_sheet in book.sheetnames and "engagements" in rows:
        problems += _check_summary(book[spec.summary_sheet], spec, rows["engagements"])
    return problems


def _check_questions(sheet: Any, name: str, questions: tuple[Question, ...]) -> list[str]:
    given = answers(sheet, questions)
    problems = []
    for question in questions:
        answer = given.get(question.source)
        if answer is None:
            problems.append(f"Sheet '{name}': the question '{question.label}' is missing.")
            continue
        where = f"Sheet '{name}', row {answer.row}, '{question.label}'"
        value, shown = answer.value, text(answer.value)
        if question.required and shown == "":
            problems.append(f"{where}: an answer is needed.")
        elif value is None or shown == "":
            continue
        elif question.type in ("int", "money") and not isinstance(value, int | float):
            problems.append(f"{where}: must be a number, got '{shown}'.")
        elif question.type in ("int", "money") and value < 0:
            problems.append(f"{where}: cannot be negative, got {shown}.")
        elif question.type == "yes_no" and shown not in (YES, "No"):
            problems.append(f"{where}: must be Yes or No, got '{shown}'.")
        elif question.type == "email" and not _EMAIL.match(shown):
            problems.append(f"{where}: '{shown}' is not an email address.")
    return problems


def _check_table(
    sheet: Any, table: Table, window: tuple[dt.date, dt.date]
) -> tuple[list[Row], list[str]]:
    expected = table.headers()
    headers, rows = table_rows(sheet)
    found = headers[: len(expected)]
    if found != expected:
        padded = found + [""] * (len(expected) - len(found))
        wrong = next((i for i, h in enumerate(expected) if padded[i] != h), 0)
        seen = found[wrong] if wrong < len(found) else ""
        return [], [
            f"Sheet '{table.sheet}': column {wrong + 1} should be headed "
            f"'{expected[wrong]}', found '{seen}'."
        ]
    problems: list[str] = []
    first_seen: dict[tuple[str, ...], int] = {}
    for row in rows:
        where = f"Sheet '{table.sheet}', row {row.number}"
        problems += _check_cells(table, row, where)
        problems += _check_dates(table, row, where, window)
        key = tuple(row.get(h) for h in expected)
        if key in first_seen:
            problems.append(f"{where}: repeats row {first_seen[key]}.")
        first_seen.setdefault(key, row.number)
    return rows, problems


def _check_cells(table: Table, row: Row, where: str) -> list[str]:
    problems = []
    areas = area_headers()
    for column in table.columns:
        if column.type == "areas":
            marked = [h for h in areas if row.get(h) not in ("", YES)]
            problems += [
                f"{where}, column '{h}': mark with Yes or leave empty, got '{row.get(h)}'."
                for h in marked
            ]
            if column.required and not any(row.get(h) == YES for h in areas):
                problems.append(f"{where}: mark at least one priority area.")
            continue
        value, shown = row.values.get(column.header), row.get(column.header)
        at = f"{where}, column '{column.header}'"
        cell = row.cells.get(column.header)
        if cell is not None and cell.data_type == "f":
            problems.append(f"{at}: holds a formula, not an answer.")
        elif column.required and shown == "":
            problems.append(f"{at}: an answer is needed.")
        elif shown == "":
            continue
        elif column.type == "choice" and shown not in column.allowed():
            problems.append(f"{at}: '{shown}' is not one of the allowed answers.")
        elif column.type == "code" and column.choices:
            problems += _check_code(at, column.choices, shown)
        elif column.type == "area_codes":
            unknown = [c for c in shown.split(";") if c.strip() not in v.PRIORITY_AREAS]
            if unknown:
                problems.append(f"{at}: '{unknown[0].strip()}' is not a priority area code.")
        elif column.type == "date" and as_date(value) is None:
            problems.append(f"{at}: '{shown}' is not a date.")
        elif column.type in ("int", "number") and not isinstance(value, int | float):
            problems.append(f"{at}: must be a number, got '{shown}'.")
        elif column.type == "int" and isinstance(value, int | float) and value < 0:
            problems.append(f"{at}: cannot be negative, got {shown}.")
    return problems


def _check_code(at: str, choices: str, shown: str) -> list[str]:
    if shown in CODES[choices]():
        return []
    if choices == "countries" and shown.upper() == "US":
        return [f"{at}: 'US' is the United States itself, not a foreign partner's country."]
    return [f"{at}: '{shown}' is not one of the survey's codes."]


def _check_dates(table: Table, row: Row, where: str, window: tuple[dt.date, dt.date]) -> list[str]:
    problems = []
    header = _DATED.get(table.key)
    if header:
        day = as_date(row.values.get(header))
        if day is not None and day < window[0]:
            problems.append(
                f"{where}, column '{header}': {day:%m/%d/%Y} is before the survey's first "
                f"year ({window[0].year})."
            )
        elif day is not None and day > window[1]:
            problems.append(f"{where}, column '{header}': {day:%m/%d/%Y} is in the future.")
    for key, earlier, later, meaning in _ORDER:
        if key != table.key:
            continue
        first, second = as_date(row.values.get(earlier)), as_date(row.values.get(later))
        if first and second and second < first:
            problems.append(f"{where}, column '{later}': {meaning} ({second:%m/%d/%Y}).")
    return problems


def _check_links(spec: Edition, rows: dict[str, list[Row]]) -> list[str]:
    """Engagement IDs: unique on the Engagements sheet, and every detail row's known."""
    if "engagements" not in rows:
        return []
    problems = []
    sheet = spec.table("engagements").sheet
    seen: dict[str, int] = {}
    for row in rows["engagements"]:
        ident = row.get("Engagement ID")
        if ident in seen:
            problems.append(
                f"Sheet '{sheet}', row {row.number}, column 'Engagement ID': '{ident}' is "
                f"already used in row {seen[ident]}; each engagement is counted once."
            )
        seen.setdefault(ident, row.number)
    for table in spec.tables:
        if table.key == "engagements":
            continue
        for row in rows.get(table.key, []):
            ident = row.get("Engagement ID")
            if ident and ident not in seen:
                problems.append(
                    f"Sheet '{table.sheet}', row {row.number}, column 'Engagement ID': "
                    f"'{ident}' is not on the {sheet} sheet."
                )
    return problems


def _check_consistency(book: Any, spec: Edition, rows: dict[str, list[Row]]) -> list[str]:
    """What each row says twice must agree: a code and its name, an engagement's counts
    and the rows behind them, the reporting city and the respondent's."""
    problems: list[str] = []
    names = VOCABULARIES["countries"]()
    for table in spec.tables:
        for row in rows.get(table.key, []):
            code, name = row.get("Country code"), row.get("Country")
            where = f"Sheet '{table.sheet}', row {row.number}"
            if code in names and name and names[code] != name:
                problems.append(
                    f"{where}, column 'Country': '{name}' does not match Country code "
                    f"'{code}' ({names[code]})."
                )
            for header, limit in (("Latitude", 90), ("Longitude", 180)):
                value = row.values.get(header)
                if isinstance(value, int | float) and abs(value) > limit:
                    problems.append(
                        f"{where}, column '{header}': {value:g} is outside -{limit} to {limit}."
                    )
    behind: dict[str, Counter[str]] = {
        "Agreements": Counter(r.get("Engagement ID") for r in rows.get("agreements", [])),
        "Meetings": Counter(r.get("Engagement ID") for r in rows.get("meetings", [])),
    }
    sheet = spec.table("engagements").sheet if "engagements" in rows else ""
    given = (
        answers(book[spec.respondent_sheet], spec.respondent)
        if (spec.respondent_sheet in book.sheetnames)
        else {}
    )
    city = text(given["name"].value) if "name" in given else ""
    for row in rows.get("engagements", []):
        where = f"Sheet '{sheet}', row {row.number}"
        for header, counts in behind.items():
            stated = row.values.get(header)
            actual = counts.get(row.get("Engagement ID"), 0)
            if isinstance(stated, int | float) and int(stated) != actual:
                problems.append(
                    f"{where}, column '{header}': says {int(stated)}; the {header} sheet has "
                    f"{actual} row{'' if actual == 1 else 's'} for this engagement."
                )
        if city and row.get("Reporting city") and row.get("Reporting city") != city:
            problems.append(
                f"{where}, column 'Reporting city': '{row.get('Reporting city')}' is not the "
                f"responding city ('{city}' on the Respondent sheet)."
            )
    return problems


def recount(rows: list[Row]) -> dict[str, Counter[str]]:
    """The Summary's figures, counted again from the Engagements sheet's rows."""
    counts: dict[str, Counter[str]] = {
        "total": Counter(),
        "by_method": Counter(),
        "by_area": Counter(),
        "by_country": Counter(),
    }
    for row in rows:
        counts["total"]["engagements"] += 1
        counts["by_method"][row.get("Method code")] += 1
        for code in filter(None, (c.strip() for c in row.get("Priority area codes").split(";"))):
            counts["by_area"][code] += 1
        if row.get("Country code"):
            counts["by_country"][row.get("Country code")] += 1
    return counts


def _check_summary(sheet: Any, spec: Edition, rows: list[Row]) -> list[str]:
    counts = recount(rows)
    problems = []
    name = spec.summary_sheet
    heading = text(sheet["A1"].value)
    stated = re.search(r"(\d+)\s*$", heading)
    total = counts["total"]["engagements"]
    if stated is None or int(stated.group(1)) != total:
        problems.append(
            f"Sheet '{name}', row 1: says '{heading}'; the Engagements sheet has {total}."
        )
    block = None
    titles = {"Method": "by_method", "Priority area": "by_area", "Partner country": "by_country"}
    shown: dict[str, dict[str, tuple[int, Any]]] = {key: {} for key in titles.values()}
    for cells in sheet.iter_rows(min_row=2):
        first = text(cells[0].value)
        second = text(cells[1].value) if len(cells) > 1 else ""
        if first == "Code" and second in titles:
            block = titles[second]
        elif not first:
            block = None
        elif block and len(cells) > 2:
            shown[block][first] = (cells[0].row, cells[2].value)
    for key, figures in shown.items():
        for code, (row, value) in figures.items():
            actual = counts[key].get(code, 0)
            if text(value) != str(actual):
                problems.append(
                    f"Sheet '{name}', row {row}, column 'Engagements': {code} shows "
                    f"{text(value) or 'nothing'}; the Engagements sheet has {actual}."
                )
        for code, actual in counts[key].items():
            if code not in figures and code:
                problems.append(
                    f"Sheet '{name}': {code} is missing; the Engagements sheet has {actual}."
                )
    return problems
