"""Checking a survey workbook before it is sent: what the form would not accept, and what
the conference would not believe (dates outside the window, an expiry before its
signing, a repeated row, a Summary that no longer matches the rows). Each finding names
sheet, row and column."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desk.core.domain import vocab as v
from desk.core.reference import countries
from desk.reports.survey.edition import (
    CODES,
    VOCABULARIES,
    YES,
    Column,
    Edition,
    Question,
    Table,
    area_headers,
    load,
)
from desk.reports.survey.read import (
    Answer,
    Row,
    answers,
    as_date,
    as_of,
    as_span,
    first_year,
    open_book,
    table_rows,
    text,
)
from desk.reports.survey.workbook import CAPACITY_HEADERS, CAPACITY_LINES, code_name, percent

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
    window = Window(dt.date(first_year(book, spec), 1, 1), today, as_of(book) or today)
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
        capacity = (
            answers(book[spec.capacity_sheet], spec.capacity)
            if spec.capacity_sheet in book.sheetnames
            else {}
        )
        problems += _check_summary(book[spec.summary_sheet], spec, rows["engagements"], capacity)
    return problems


@dataclass(frozen=True)
class Window:
    """The survey window: its first day, today (nothing may lie beyond), and the day the
    workbook counted as of (an agreement signed before the window counts while in force
    on that day)."""

    first: dt.date
    today: dt.date
    as_of: dt.date


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


def _check_table(sheet: Any, table: Table, window: Window) -> tuple[list[Row], list[str]]:
    expected = table.headers()
    headers, rows = table_rows(sheet, table.renamed())
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
        elif shown == "" and column.needed(row):
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
        elif column.type == "date" and as_span(value) is None:
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


def _check_dates(table: Table, row: Row, where: str, window: Window) -> list[str]:
    """Dates inside the window and not in the future, read as what they say: a year or
    month alone spans its days. An agreement signed before the window belongs in it
    while it was in force on the day counted."""
    problems = []
    header = _DATED.get(table.key, "")
    span = as_span(row.values.get(header)) if header else None
    if span is not None:
        first, last = span
        shown = _shown_date(row.values.get(header))
        if last < window.first and not (table.key == "agreements" and _in_force(row, window)):
            problems.append(
                f"{where}, column '{header}': {shown} is before the survey's first year "
                f"({window.first.year})"
                + (
                    " and the agreement was not in force on the day counted."
                    if table.key == "agreements"
                    else "."
                )
            )
        elif first > window.today:
            problems.append(f"{where}, column '{header}': {shown} is in the future.")
    for key, earlier, later, meaning in _ORDER:
        if key != table.key:
            continue
        one, two = as_span(row.values.get(earlier)), as_span(row.values.get(later))
        if one and two and two[1] < one[0]:
            problems.append(
                f"{where}, column '{later}': {meaning} ({_shown_date(row.values.get(later))})."
            )
    return problems


def _shown_date(value: Any) -> str:
    day = as_date(value)
    return f"{day:%m/%d/%Y}" if day is not None else text(value)


def _in_force(row: Row, window: Window) -> bool:
    """An agreement's row says it was in force on the day counted: In force or Signed,
    with no expiry or one not before that day."""
    if row.get("Status") not in (
        v.AGREEMENT_STATUSES["in_force"],
        v.AGREEMENT_STATUSES["signed"],
    ):
        return False
    expires = as_span(row.values.get("Expires"))
    return expires is None or expires[1] >= window.as_of


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
    for table in spec.tables:
        pairs = _pairs(table)
        for row in rows.get(table.key, []):
            where = f"Sheet '{table.sheet}', row {row.number}"
            for code_column, label_column in pairs:
                problems += _check_pair(where, row, code_column, label_column)
            problems += _check_explained(where, row)
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


def _pairs(table: Table) -> list[tuple[Column, Column]]:
    """The columns that give one answer twice, as a code and in words: (code, words)."""
    codes = {c.source: c for c in table.columns if c.type in ("code", "area_codes")}
    pairs = []
    for column in table.columns:
        code = codes.get(column.source)
        if code is None:
            continue
        same_list = column.type == "choice" and code.type == "code"
        if (same_list and code.choices == column.choices) or (
            column.type == "area_labels" and code.type == "area_codes"
        ):
            pairs.append((code, column))
    return pairs


def _split(shown: str) -> list[str]:
    return [part.strip() for part in shown.split(";") if part.strip()]


def _check_pair(where: str, row: Row, code_column: Column, label_column: Column) -> list[str]:
    """A code and its words must say the same: a reader reads the words, a count the code."""
    code, words = row.get(code_column.header), row.get(label_column.header)
    if code_column.type == "area_codes":
        codes = _split(code)
        if any(c not in v.PRIORITY_AREAS for c in codes):
            return []  # reported as an unknown code
        expected = [v.PRIORITY_AREAS[c] for c in codes]
        if sorted(_split(words)) == sorted(expected):
            return []
        meant = "; ".join(expected) or "none"
        return [
            f"{where}, column '{label_column.header}': '{words}' does not match "
            f"{code_column.header} '{code}' ({meant})."
        ]
    names = VOCABULARIES[code_column.choices or ""]()
    if code and code not in names:
        return []  # reported as an unknown code
    if not code:
        if words and not code_column.needed(row):
            return [
                f"{where}, column '{code_column.header}': empty, but "
                f"{label_column.header} says '{words}'."
            ]
        return []
    if words != names[code]:
        shown = f"'{words}'" if words else "empty"
        return [
            f"{where}, column '{label_column.header}': {shown} does not match "
            f"{code_column.header} '{code}' ({names[code]})."
        ]
    return []


# Columns that explain another's answer in words that begin with it: the method's basis
# ("Sister city: sister-city partnership active since 7/22/1972") and the method code.
_EXPLAINED = (("Method basis", "Method code", "methods"),)


def _check_explained(where: str, row: Row) -> list[str]:
    problems = []
    for header, code_header, choices in _EXPLAINED:
        basis, code = row.get(header), row.get(code_header)
        names = VOCABULARIES[choices]()
        if basis and code in names and not basis.startswith(f"{names[code]}:"):
            said = basis.split(":")[0] if ":" in basis else basis[:40]
            problems.append(
                f"{where}, column '{header}': says '{said}', but {code_header} is "
                f"'{code}' ({names[code]})."
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
        for code in _split(row.get("Priority area codes")):
            counts["by_area"][code] += 1
        if row.get("Country code"):
            counts["by_country"][row.get("Country code")] += 1
    return counts


def _check_summary(
    sheet: Any, spec: Edition, rows: list[Row], capacity: dict[str, Answer]
) -> list[str]:
    """Every figure the Summary shows, recomputed: the total, each count and share (from
    exact counts, as shown at 0.0%: countries' over the engagements with a country), each
    row's words against its code, the national shares against the edition, and the
    capacity lines against the Capacity sheet. A figure must be a number: text that
    looks like one, or a formula, is not an answer the conference can read."""
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
    totals = {
        "by_method": (total, "engagements"),
        "by_area": (total, "engagements"),
        "by_country": (sum(counts["by_country"].values()), "engagements with a country"),
    }
    block, title = None, ""
    titles = {"Method": "by_method", "Priority area": "by_area", "Partner country": "by_country"}
    lines = {label: (key, reference) for label, key, reference, _meaning in CAPACITY_LINES}
    shown: dict[str, set[str]] = {key: set() for key in titles.values()}
    for cells in sheet.iter_rows(min_row=2):
        first = text(cells[0].value)
        second = text(cells[1].value) if len(cells) > 1 else ""
        row = cells[0].row
        count_cell = cells[2] if len(cells) > 2 else None
        value = count_cell.value if count_cell is not None else None
        share_cell = cells[3] if len(cells) > 3 else None
        national_cell = cells[4] if len(cells) > 4 else None
        national = national_cell.value if national_cell is not None else None
        if first == "Code" and second in titles:
            block, title = titles[second], second
        elif not first or first == CAPACITY_HEADERS[0]:
            block = None
        elif first in lines:
            key, reference = lines[first]
            at = f"Sheet '{name}', row {row}, column 'This city': {first}"
            not_a_figure = _not_a_figure(at, count_cell, number=key != "has_director")
            problems += not_a_figure or _check_capacity_line(
                name, row, first, value, capacity.get(key)
            )
            at = f"Sheet '{name}', row {row}, column 'Cities nationally': {first}"
            problems += _not_a_figure(at, national_cell) or _check_national(
                name, row, first, national, spec.national.get(reference), "Cities nationally"
            )
        elif block:
            shown[block].add(first)
            problems += _check_words(name, row, block, title, first, second)
            actual = counts[block].get(first, 0)
            of, noun = totals[block]
            at = f"Sheet '{name}', row {row}, column 'Engagements': {first}"
            wrong = _not_a_figure(at, count_cell, meant=str(actual))
            if not wrong and text(value) != str(actual):
                wrong = [
                    f"{at} shows {text(value) or 'nothing'}; the Engagements sheet has {actual}."
                ]
            problems += wrong
            at_share = share_cell.value if share_cell is not None else None
            at = f"Sheet '{name}', row {row}, column 'Share': {first}"
            wrong = _not_a_figure(at, share_cell, meant=percent(actual, of))
            if not wrong and (
                not isinstance(at_share, int | float) or percent(at_share) != percent(actual, of)
            ):
                said = percent(at_share) if isinstance(at_share, int | float) else text(at_share)
                wrong = [
                    f"{at} shows {said or 'nothing'}; {actual} of {of} {noun} is "
                    f"{percent(actual, of)}."
                ]
            problems += wrong
            reference = spec.national.get(block, {}).get(first)
            at = f"Sheet '{name}', row {row}, column 'National share': {first}"
            problems += _not_a_figure(at, national_cell) or _check_national(
                name, row, first, national, reference, "National share"
            )
    for key, figures in shown.items():
        for code, actual in counts[key].items():
            if code not in figures and code:
                problems.append(
                    f"Sheet '{name}': {code} is missing; the Engagements sheet has {actual}."
                )
    return problems


def _not_a_figure(at: str, cell: Any, *, meant: str = "", number: bool = True) -> list[str]:
    """A Summary figure that is a formula, or text where a number belongs: the
    conference reads the value, and a formula's value is whatever it last computed."""
    if cell is None or cell.value is None:
        return []
    value = cell.value
    hint = f" (type {meant})" if meant else ""
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
        shown = value if isinstance(value, str) else "a formula"
        return [f"{at} holds a formula ({shown}) where a number belongs{hint}."]
    if number and isinstance(value, str):
        return [f"{at} holds the text '{value}' where a number belongs{hint}."]
    return []


def _check_words(name: str, row: int, block: str, title: str, code: str, words: str) -> list[str]:
    """A Summary row's words must name its code: a reader reads the words, a count the
    code."""
    if block == "by_country":
        expected = code_name(code, None)
        also = {expected, countries.country_name(code) or expected}
    else:
        names = v.ENGAGEMENT_METHODS if block == "by_method" else v.PRIORITY_AREAS
        if code not in names:
            at = f"Sheet '{name}', row {row}, column 'Code'"
            return [f"{at}: '{code}' is not one of the survey's codes."]
        expected = names[code]
        also = {expected}
    if words in also:
        return []
    return [
        f"Sheet '{name}', row {row}, column '{title}': says '{words or 'nothing'}', but the "
        f"code {code} is '{expected}'."
    ]


def _check_capacity_line(
    name: str, row: int, label: str, value: Any, answer: Answer | None
) -> list[str]:
    said = text(value)
    given = text(answer.value) if answer is not None else ""
    if said == given:
        return []
    where = f"row {answer.row}" if answer is not None else "no answer"
    return [
        f"Sheet '{name}', row {row}, column 'This city': {label} shows "
        f"'{said or 'nothing'}'; the Capacity sheet ({where}) says '{given or 'nothing'}'."
    ]


def _check_national(
    name: str, row: int, code: str, value: Any, reference: Any, header: str
) -> list[str]:
    """A national share as the edition publishes it, or none where it publishes none."""
    if reference is None and text(value) == "":
        return []
    numbers = isinstance(value, int | float) and isinstance(reference, int | float)
    if numbers and abs(value - reference) < 1e-9:
        return []
    said = percent(value) if isinstance(value, int | float) else (text(value) or "nothing")
    meant = percent(reference) if isinstance(reference, int | float) else "none"
    return [
        f"Sheet '{name}', row {row}, column '{header}': {code} shows {said}; the national "
        f"findings give {meant}."
    ]
