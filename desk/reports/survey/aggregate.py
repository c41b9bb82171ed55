"""The national view: many cities' survey workbooks read back and added up the way the
national findings are published (cities, unique engagements, top partner countries,
shares by method and priority area, cities with international staff and with a
dedicated director), with every engagement and its coordinates for the map.

`desk survey --aggregate A.xlsx B.xlsx ... --out national.xlsx [--json]`.
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
from desk.core.errors import DeskError
from desk.core.text.cells import put
from desk.reports.survey.check import check, recount
from desk.reports.survey.edition import Edition, load
from desk.reports.survey.read import answers, open_book, table_rows, text
from desk.reports.survey.workbook import share_blocks

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
class National:
    cities: list[City] = field(default_factory=list)
    by_method: Counter[str] = field(default_factory=Counter)
    by_area: Counter[str] = field(default_factory=Counter)
    by_country: Counter[str] = field(default_factory=Counter)
    engagements: list[dict[str, Any]] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(city.engagements for city in self.cities)

    def share(self, count: int) -> float:
        return round(count / self.total, 4) if self.total else 0.0

    def as_json(self) -> dict[str, Any]:
        cities = len(self.cities) or 1
        staffed = sum(1 for c in self.cities if c.staff)
        return {
            "cities": len(self.cities),
            "engagements": self.total,
            "by_method": dict(self.by_method.most_common()),
            "by_area": dict(self.by_area.most_common()),
            "by_country": dict(self.by_country.most_common()),
            "staff_international_share": round(staffed / cities, 4),
            "director_share": round(sum(c.director for c in self.cities) / cities, 4),
        }


def aggregate(paths: list[Path], *, anyway: bool = False, edition: str | None = None) -> National:
    """Add up the workbooks; one that fails its check is left out (unless `anyway`)."""
    spec = load(edition)
    national = National()
    # A city that sent a corrected copy is counted once: the newest file wins.
    for path in sorted(paths, key=_modified, reverse=True):
        book = open_book(path)  # once: checked, then counted
        problems = check(path, edition, book=book)
        if problems and not anyway:
            national.skipped[str(path)] = problems
            continue
        _add(national, path, book, spec)
    national.cities.sort(key=lambda c: [str(p) for p in paths].index(c.path))
    return national


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _add(national: National, path: Path, book: Any, spec: Edition) -> None:
    table = spec.table("engagements")
    if table.sheet not in book.sheetnames:
        raise DeskError(f"{path}: there is no '{table.sheet}' sheet to count.")
    _headers, rows = table_rows(book[table.sheet])
    respondent = answers(book[spec.respondent_sheet], spec.respondent)
    name = text(respondent["name"].value) if "name" in respondent else ""
    state = text(respondent["state"].value) if "state" in respondent else ""
    same = next((c for c in national.cities if (c.name, c.state) == (name, state) and name), None)
    if same is not None:
        national.skipped[str(path)] = [
            f"another copy of {name}, {state}'s workbook; {same.source} (newer) is counted"
        ]
        return
    seen = {e.get("Engagement ID") for e in national.engagements}
    if any(row.get("Engagement ID") in seen for row in rows):
        national.skipped[str(path)] = [
            "its engagements were already counted from another workbook (a renamed copy?)"
        ]
        return
    counts = recount(rows)
    national.by_method.update(counts["by_method"])
    national.by_area.update(counts["by_area"])
    national.by_country.update(counts["by_country"])
    for row in rows:
        national.engagements.append({h: row.values.get(h) for h in row.values if h})
    capacity = answers(book[spec.capacity_sheet], spec.capacity)
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
    share_blocks(
        sheet,
        row + 1,
        [
            (
                "Method",
                national.by_method.most_common(),
                v.ENGAGEMENT_METHODS,
                reference.get("by_method", {}),
            ),
            (
                "Priority area",
                national.by_area.most_common(),
                v.PRIORITY_AREAS,
                reference.get("by_area", {}),
            ),
            ("Partner country", national.by_country.most_common(), None, {}),
        ],
        national.total,
        reference_header="National share (published)",
    )
    for letter, width in zip("ABCDE", (40, 34, 13, 10, 24), strict=True):
        sheet.column_dimensions[letter].width = width
