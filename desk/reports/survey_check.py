"""Reading a survey workbook back: check a hand-edited copy against its edition before
sending it, and compare last year's submission with this year's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from desk.core.errors import DeskError
from desk.reports.survey_edition import YES, Edition, Question, Table, area_headers, load


def _open(path: Path) -> Any:
    try:
        return load_workbook(path, data_only=False)
    except FileNotFoundError:
        raise DeskError(f"No file at {path}.") from None
    except (BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise DeskError(f"{path} is not an Excel workbook (.xlsx): {exc}") from None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def check(path: Path, edition: str | None = None) -> list[str]:
    """Everything in the workbook the conference's form would not accept, row by row."""
    spec = load(edition)
    book = _open(path)
    problems: list[str] = []
    for sheet_name, questions in (
        (spec.respondent_sheet, spec.respondent),
        (spec.capacity_sheet, spec.capacity),
    ):
        if sheet_name not in book.sheetnames:
            problems.append(f"Sheet '{sheet_name}' is missing.")
            continue
        problems += _check_questions(book[sheet_name], sheet_name, questions)
    for table in spec.tables:
        if table.sheet not in book.sheetnames:
            problems.append(f"Sheet '{table.sheet}' is missing.")
            continue
        problems += _check_table(book[table.sheet], table)
    return problems


def _check_questions(sheet: Any, name: str, questions: tuple[Question, ...]) -> list[str]:
    answers: dict[str, tuple[int, Any]] = {}
    for row in sheet.iter_rows(min_row=1):
        label = _text(row[0].value).removesuffix(" *")
        if label:
            answers[label] = (row[0].row, row[1].value if len(row) > 1 else None)
    problems = []
    for question in questions:
        if question.label not in answers:
            problems.append(f"Sheet '{name}': the question '{question.label}' is missing.")
            continue
        row, value = answers[question.label]
        if question.required and _text(value) == "":
            problems.append(f"Sheet '{name}', row {row}: '{question.label}' needs an answer.")
        elif (
            value is not None
            and question.type in ("int", "money")
            and not isinstance(value, int | float)
        ):
            problems.append(
                f"Sheet '{name}', row {row}: '{question.label}' must be a number, "
                f"got '{_text(value)}'."
            )
        elif value is not None and question.type == "yes_no" and _text(value) not in (YES, "No"):
            problems.append(
                f"Sheet '{name}', row {row}: '{question.label}' must be Yes or No, "
                f"got '{_text(value)}'."
            )
    return problems


def _check_table(sheet: Any, table: Table) -> list[str]:
    expected = table.headers()
    found = [_text(c.value) for c in sheet[1]][: len(expected)]
    if found != expected:
        wrong = next(
            (
                i
                for i, (a, b) in enumerate(
                    zip(found + [""] * len(expected), expected, strict=False)
                )
                if a != b
            ),
            0,
        )
        return [
            f"Sheet '{table.sheet}': column {wrong + 1} should be headed "
            f"'{expected[wrong]}', found '{found[wrong] if wrong < len(found) else ''}'."
        ]
    problems = []
    areas = set(area_headers())
    for row in sheet.iter_rows(min_row=2):
        cells = {expected[i]: row[i] for i in range(min(len(row), len(expected)))}
        values = {header: cell.value for header, cell in cells.items()}
        if all(_text(value) == "" for value in values.values()):
            continue
        where = f"Sheet '{table.sheet}', row {row[0].row}"
        for column in table.columns:
            if column.type == "areas":
                marked = [h for h in areas if _text(values.get(h)) not in ("", YES)]
                problems += [
                    f"{where}, column '{h}': mark with Yes or leave empty, got "
                    f"'{_text(values.get(h))}'."
                    for h in sorted(marked)
                ]
                if column.required and not any(_text(values.get(h)) == YES for h in areas):
                    problems.append(f"{where}: mark at least one priority area.")
                continue
            value = values.get(column.header)
            text = _text(value)
            if column.required and text == "":
                problems.append(f"{where}, column '{column.header}': an answer is needed.")
            elif text and column.type == "choice" and text not in column.allowed():
                problems.append(
                    f"{where}, column '{column.header}': '{text}' is not one of "
                    "the allowed answers."
                )
            elif text and column.type == "date" and not isinstance(value, dt.date):
                try:
                    dt.date.fromisoformat(text)
                except ValueError:
                    problems.append(f"{where}, column '{column.header}': '{text}' is not a date.")
            cell = cells.get(column.header)
            if cell is not None and cell.data_type == "f":
                problems.append(
                    f"{where}, column '{column.header}': holds a formula, not an answer."
                )
    return problems


@dataclass
class Comparison:
    added: dict[str, list[str]] = field(default_factory=dict)
    ended: dict[str, list[str]] = field(default_factory=dict)
    changed: dict[str, list[str]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = []
        for title, group in (
            ("Added", self.added),
            ("Gone", self.ended),
            ("Changed", self.changed),
        ):
            for sheet, entries in group.items():
                out += [f"{title} in {sheet}: {entry}" for entry in entries]
        return out or ["No differences."]


def _table_rows(book: Any, table: Table) -> dict[tuple[str, ...], dict[str, str]]:
    if table.sheet not in book.sheetnames:
        return {}
    sheet = book[table.sheet]
    headers = [_text(c.value) for c in sheet[1]]
    rows: dict[tuple[str, ...], dict[str, str]] = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        record = {h: _text(row[i]) for i, h in enumerate(headers) if h and i < len(row)}
        if not any(record.values()):
            continue
        rows[tuple(record.get(name, "") for name in table.match)] = record
    return rows


def compare(last: Path, this: Path, edition: str | None = None) -> Comparison:
    """What this year's submission adds, drops and changes against last year's."""
    spec: Edition = load(edition)
    before, after = _open(last), _open(this)
    result = Comparison()
    for table in spec.tables:
        old, new = _table_rows(before, table), _table_rows(after, table)
        label = table.sheet
        added = [" / ".join(k) for k in new if k not in old]
        ended = [" / ".join(k) for k in old if k not in new]
        changed = []
        for key in new.keys() & old.keys():
            diffs = [
                f"{h}: '{old[key].get(h, '')}' -> '{new[key].get(h, '')}'"
                for h in new[key]
                if old[key].get(h, "") != new[key].get(h, "")
            ]
            if diffs:
                changed.append(f"{' / '.join(key)} ({'; '.join(diffs)})")
        if added:
            result.added[label] = added
        if ended:
            result.ended[label] = ended
        if changed:
            result.changed[label] = sorted(changed)
    return result
