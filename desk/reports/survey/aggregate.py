"""The national view: many cities' survey workbooks read back and added up the way the
national findings are published (cities, unique engagements, top partner countries,
shares by method and priority area, cities with international staff and with a
dedicated director), with every engagement and its coordinates for the map.

`desk survey --aggregate A.xlsx B.xlsx ... --out national.xlsx [--json] [--strict]
[--keep-copies]`. A workbook whose check finds problems is counted, its gaps listed;
every workbook left out is named with the reason and the way to count it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from desk.core.disk.files import check_output_path, safe_write_path, verify_xlsx
from desk.core.domain import vocab as v
from desk.core.domain.words import counted
from desk.core.text.cells import put
from desk.reports.survey.check import check, recount
from desk.reports.survey.edition import Edition, load
from desk.reports.survey.read import answers, open_book, table_rows, text
from desk.reports.survey.workbook import every_code, share_blocks

_HEAD = (Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1D4E89"))


@dataclass
class City:
    source: str
    path: str
    name: str
    state: str
    engagements: int
    staff: float | None
    director: bool


@dataclass
class LeftOut:
    """A workbook not counted: why, what its check found, and how to count it anyway
    (the option to add, or what to do to the file)."""

    path: str
    reason: str
    to_count_it: str
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return f"Left out {self.path}: {self.reason}. To count it: {self.to_count_it}."

    def as_json(self) -> dict[str, Any]:
        return {
            "workbook": self.path,
            "reason": self.reason,
            "to_count_it": self.to_count_it,
            "problems": self.problems,
        }


@dataclass
class National:
    cities: list[City] = field(default_factory=list)
    by_method: Counter[str] = field(default_factory=Counter)
    by_area: Counter[str] = field(default_factory=Counter)
    by_country: Counter[str] = field(default_factory=Counter)
    engagements: list[dict[str, Any]] = field(default_factory=list)
    # Workbooks counted though their check found problems, with the problems.
    gaps: dict[str, list[str]] = field(default_factory=dict)
    left_out: list[LeftOut] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(city.engagements for city in self.cities)

    def share(self, count: int) -> float:
        return count / self.total if self.total else 0.0

    def notes(self) -> list[str]:
        """What a reader of the findings must know: each workbook left out, and each
        counted with gaps."""
        lines = [left.line() for left in self.left_out]
        for path, problems in self.gaps.items():
            first = problems[0].rstrip(".")
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            lines.append(
                f"Counted with gaps {path}: {first}{more}; 'desk survey --check' lists them, "
                "and --strict leaves such workbooks out."
            )
        return lines

    def as_json(self) -> dict[str, Any]:
        cities = len(self.cities)
        staffed = sum(1 for c in self.cities if c.staff)
        return {
            "cities": cities,
            "engagements": self.total,
            "by_method": dict(self.by_method.most_common()),
            "by_area": dict(self.by_area.most_common()),
            "by_country": dict(self.by_country.most_common()),
            "staff_international_share": staffed / cities if cities else 0.0,
            "director_share": sum(c.director for c in self.cities) / cities if cities else 0.0,
            "counted_with_gaps": self.gaps,
            "left_out": [left.as_json() for left in self.left_out],
        }


KEEP_COPIES = "--keep-copies"


def aggregate(
    paths: list[Path],
    *,
    strict: bool = False,
    keep_copies: bool = False,
    edition: str | None = None,
) -> National:
    """Add up the workbooks. One whose check finds problems is counted with them listed
    (left out with `strict`); one that is another copy of a city already counted (the
    same city and state, or the same Engagement IDs) is left out unless `keep_copies`.
    Each left out says why and how to count it. A file that is not a workbook is
    refused (DeskError), naming it."""
    spec = load(edition)
    national = National()
    # A city that sent a corrected copy is counted once: the newest file wins.
    for path in sorted(paths, key=_modified, reverse=True):
        # A file that is no workbook stops the count, named in one line, as every
        # command refuses a wrong file: it is a wrong argument, not a city to leave out.
        book = open_book(path)  # once: checked, then counted
        problems = check(path, edition, book=book)
        if problems and strict:
            national.left_out.append(
                LeftOut(
                    str(path),
                    f"its check found {counted(len(problems), 'problem')} "
                    f"({problems[0].rstrip('.')})",
                    "fix them, or leave out --strict to count it with its gaps",
                    problems,
                )
            )
            continue
        counted_it = _add(national, path, book, spec, keep_copies=keep_copies, problems=problems)
        if counted_it and problems:
            national.gaps[str(path)] = problems
    order = [str(p) for p in paths]
    national.cities.sort(key=lambda c: order.index(c.path))
    national.left_out.sort(key=lambda left: order.index(left.path))
    return national


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _add(
    national: National,
    path: Path,
    book: Any,
    spec: Edition,
    *,
    keep_copies: bool,
    problems: list[str],
) -> bool:
    """Count one workbook; False (and the reason noted) when it is left out."""
    table = spec.table("engagements")
    if table.sheet not in book.sheetnames:
        national.left_out.append(
            LeftOut(
                str(path),
                f"there is no '{table.sheet}' sheet to count",
                "add the sheet (desk survey --out writes it) and rerun",
                problems,
            )
        )
        return False
    _headers, rows = table_rows(book[table.sheet], table.renamed())
    respondent = (
        answers(book[spec.respondent_sheet], spec.respondent)
        if spec.respondent_sheet in book.sheetnames
        else {}
    )
    name = text(respondent["name"].value) if "name" in respondent else ""
    state = text(respondent["state"].value) if "state" in respondent else ""
    same = next((c for c in national.cities if (c.name, c.state) == (name, state) and name), None)
    if same is not None and not keep_copies:
        national.left_out.append(
            LeftOut(
                str(path),
                f"another copy of {name}, {state}'s workbook; {same.source} (newer) is counted",
                f"{KEEP_COPIES}, if they are two workbooks to count",
                problems,
            )
        )
        return False
    ids = {row.get("Engagement ID") for row in rows} - {""}
    if not keep_copies:
        for city in national.cities:
            shared = ids & city_ids(national, city)
            if shared:
                national.left_out.append(
                    LeftOut(
                        str(path),
                        f"{counted(len(shared), 'Engagement ID')} of its {len(ids)} "
                        f"{'is' if len(shared) == 1 else 'are'} also in {city.source} "
                        f"({city.name or 'no city named'}): a copy of that workbook?",
                        f"{KEEP_COPIES}, if they are two cities' workbooks",
                        problems,
                    )
                )
                return False
    counts = recount(rows)
    national.by_method.update({k: n for k, n in counts["by_method"].items() if k})
    national.by_area.update(counts["by_area"])
    national.by_country.update(counts["by_country"])
    for row in rows:
        national.engagements.append(
            {"_workbook": str(path)} | {h: row.values.get(h) for h in row.values if h}
        )
    capacity = (
        answers(book[spec.capacity_sheet], spec.capacity)
        if spec.capacity_sheet in book.sheetnames
        else {}
    )
    staff = capacity.get("staff_international")
    national.cities.append(
        City(
            source=path.name,
            path=str(path),
            name=name,
            state=state,
            engagements=len(rows),
            staff=staff.value if staff and isinstance(staff.value, int | float) else None,
            director=bool(
                capacity.get("has_director") and text(capacity["has_director"].value) == "Yes"
            ),
        )
    )
    return True


def city_ids(national: National, city: City) -> set[str]:
    return {
        text(e.get("Engagement ID"))
        for e in national.engagements
        if e.get("_workbook") == city.path
    } - {""}


def write_national(national: National, out: Path, edition: str | None = None) -> None:
    spec = load(edition)
    check_output_path(out)
    book = Workbook()
    findings = book.active
    assert isinstance(findings, Worksheet)  # a new workbook's one sheet
    findings.title = "Findings"
    _findings(findings, national, spec)
    cities = book.create_sheet("Cities")
    _rows(
        cities,
        [
            "City",
            "State",
            "Workbook",
            "Unique engagements",
            "Staff with international duties",
            "Dedicated director",
        ],
        [
            [c.name, c.state, c.source, c.engagements, c.staff, "Yes" if c.director else "No"]
            for c in national.cities
        ],
    )
    engagements = book.create_sheet("Engagements")
    headers = [c.header for c in spec.table("engagements").columns]
    _rows(engagements, headers, [[e.get(h) for h in headers] for e in national.engagements])
    safe_write_path(out, book.save, verify=verify_xlsx)


def _rows(sheet: Any, headers: list[str], rows: list[list[Any]]) -> None:
    for column, header in enumerate(headers, start=1):
        cell = put(sheet, 1, column, header)
        cell.font, cell.fill = _HEAD
        sheet.column_dimensions[cell.column_letter].width = max(12, min(40, len(header) + 4))
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            put(sheet, number, column, value)
    sheet.freeze_panes = "A2"


def _findings(sheet: Any, national: National, spec: Edition) -> None:
    summary = national.as_json()
    reference = spec.national
    put(sheet, 1, 1, "National findings").font = Font(bold=True, size=14)
    lines = [
        ("Cities", summary["cities"], None),
        ("Unique engagements", summary["engagements"], None),
        (
            "Cities with staff for international work",
            summary["staff_international_share"],
            reference.get("staff_international"),
        ),
        (
            "Cities with a dedicated director",
            summary["director_share"],
            reference.get("has_director"),
        ),
    ]
    row = 3
    for label, value, ref in lines:
        put(sheet, row, 1, label)
        cell = put(sheet, row, 2, value)
        if isinstance(value, float):
            cell.number_format = "0.0%"
        if ref is not None:
            put(sheet, row, 3, ref).number_format = "0%"
        row += 1
    row = share_blocks(
        sheet,
        row + 1,
        [
            (
                "Method",
                every_code(
                    national.by_method, v.ENGAGEMENT_METHODS, reference.get("by_method", {})
                ),
                v.ENGAGEMENT_METHODS,
                reference.get("by_method", {}),
                national.total,
            ),
            (
                "Priority area",
                every_code(national.by_area, v.PRIORITY_AREAS, reference.get("by_area", {})),
                v.PRIORITY_AREAS,
                reference.get("by_area", {}),
                national.total,
            ),
            # Of the engagements with a country: networks have none.
            (
                "Partner country",
                national.by_country.most_common(),
                None,
                {},
                sum(national.by_country.values()),
            ),
        ],
        reference_header="National share (published)",
    )
    # Which workbooks are not in these figures, or in them with gaps: a reader of the
    # findings must know what they stand on.
    for line in national.notes():
        put(sheet, row, 1, line)
        row += 1
    for letter, width in zip("ABCDE", (40, 34, 13, 10, 24), strict=True):
        sheet.column_dimensions[letter].width = width
