"""Survey editions: the questionnaire's shape, read from resources/surveys/*.json.

Next year's form is a new file there, not new code. An edition names its sheets, their
columns (header, which engagement field feeds it, type, allowed answers) and the
questions of the respondent and capacity sheets; docs/survey-editions.md describes the
format.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from desk.core.domain import vocab as v
from desk.core.errors import DeskError
from desk.core.paths import resource_path
from desk.core.reference import countries


def plain(text: str) -> str:
    """A country name as a form writes it: CLDR's curly apostrophe made straight and its
    ampersand spelled out ("Bosnia and Herzegovina")."""
    return text.replace("’", "'").replace(" & ", " and ")


@functools.cache
def _partner_countries() -> dict[str, str]:
    return {c: plain(n) for c, n in countries.partner_countries().items()}


# The answer lists an edition may name, code -> label: a "code" column holds the codes,
# a "choice" column the labels.
VOCABULARIES: dict[str, Any] = {
    "methods": lambda: dict(v.ENGAGEMENT_METHODS),
    "partner_levels": lambda: dict(v.PARTNER_LEVELS),
    "network_statuses": lambda: dict(v.NETWORK_STATUSES),
    "agreement_statuses": lambda: dict(v.AGREEMENT_STATUSES),
    "modes": lambda: dict(v.VISIT_MODES),
    "countries": lambda: _partner_countries(),
    "yes_no": lambda: {"yes": "Yes", "no": "No"},
    "areas": lambda: dict(v.PRIORITY_AREAS),
}
CHOICES: dict[str, Any] = {
    name: (lambda vocab=vocab: list(vocab().values())) for name, vocab in VOCABULARIES.items()
}
CODES: dict[str, Any] = {
    name: (lambda vocab=vocab: list(vocab())) for name, vocab in VOCABULARIES.items()
}
TYPES = {
    "text",
    "int",
    "number",
    "money",
    "date",
    "choice",
    "code",
    "areas",
    "area_codes",
    "area_labels",
    "yes_no",
    "email",
}
YES = "Yes"


@dataclass(frozen=True)
class Column:
    header: str
    source: str
    type: str = "text"
    choices: str | None = None
    required: bool = False
    width: int | None = None
    # Required unless another column of the row holds a value: (header, value) pairs
    # (a network has no country).
    required_unless: tuple[tuple[str, str], ...] = ()
    # Headers this column had in earlier releases of the edition: a workbook written
    # then is still read, checked and compared by its columns.
    formerly: tuple[str, ...] = ()

    def needed(self, row: Any) -> bool:
        """Whether this row must answer the column (`row.get(header)` gives its text)."""
        return self.required and not any(row.get(h) == value for h, value in self.required_unless)

    def allowed(self) -> list[str]:
        return list(CHOICES[self.choices]()) if self.choices else []


@dataclass(frozen=True)
class Question:
    label: str
    source: str
    type: str = "text"
    required: bool = False


@dataclass(frozen=True)
class Table:
    key: str
    sheet: str
    columns: tuple[Column, ...]
    match: tuple[str, ...]

    def headers(self) -> list[str]:
        """The header row as written: a priority-areas column becomes one column per area."""
        out: list[str] = []
        for column in self.columns:
            out += area_headers() if column.type == "areas" else [column.header]
        return out

    def renamed(self) -> dict[str, str]:
        """Earlier header -> today's, for reading a workbook written before a rename."""
        return {old: column.header for column in self.columns for old in column.formerly}


@dataclass(frozen=True)
class Edition:
    name: str
    title: str
    publisher: str
    default_since: int
    instructions: tuple[str, ...]
    respondent_sheet: str
    respondent_banner: str
    respondent: tuple[Question, ...]
    capacity_sheet: str
    capacity: tuple[Question, ...]
    tables: tuple[Table, ...]
    summary_sheet: str
    national: dict[str, Any]
    # How each engagement's method is decided, in words for the Instructions sheet.
    method_rule: tuple[str, ...] = ()
    # U.S. associations a city may belong to that are not international city networks.
    domestic_networks: tuple[str, ...] = ()

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)


def area_headers() -> list[str]:
    return list(v.PRIORITY_AREAS.values())


def available() -> list[str]:
    return sorted(p.stem for p in resource_path("surveys").glob("*.json"))


def current() -> str:
    return available()[-1]


@functools.cache
def load(name: str | None = None) -> Edition:
    name = name or current()
    path = resource_path("surveys", f"{name}.json")
    if not path.is_file():
        raise DeskError(f"No survey edition '{name}'. Editions: {', '.join(available())}.")
    try:
        raw = json.loads(path.read_text("utf-8"))
        return _parse(raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise DeskError(f"Survey edition '{name}' is malformed: {exc!r}") from exc


def _question(raw: dict[str, Any]) -> Question:
    question = Question(
        raw["label"], raw["source"], raw.get("type", "text"), bool(raw.get("required"))
    )
    if question.type not in TYPES:
        raise ValueError(f"unknown type {question.type!r} for {question.label!r}")
    return question


def _column(raw: dict[str, Any]) -> Column:
    column = Column(
        raw["header"],
        raw["source"],
        raw.get("type", "text"),
        raw.get("choices"),
        bool(raw.get("required")),
        raw.get("width"),
        tuple((str(h), str(value)) for h, value in raw.get("required_unless", {}).items()),
        tuple(str(old) for old in raw.get("formerly", ())),
    )
    if column.type not in TYPES:
        raise ValueError(f"unknown type {column.type!r} for {column.header!r}")
    if column.type in ("choice", "code") and column.choices not in CHOICES:
        raise ValueError(f"unknown answer list {column.choices!r} for {column.header!r}")
    return column


def _parse(raw: dict[str, Any]) -> Edition:
    tables = tuple(
        Table(
            t["key"], t["sheet"], tuple(_column(c) for c in t["columns"]), tuple(t.get("match", []))
        )
        for t in raw["tables"]
    )
    for table in tables:
        unknown = set(table.match) - {c.header for c in table.columns}
        if unknown:
            raise ValueError(f"{table.sheet}: match names unknown column {sorted(unknown)[0]!r}")
        headers = {c.header for c in table.columns}
        for column in table.columns:
            for header, _value in column.required_unless:
                if header not in headers:
                    raise ValueError(
                        f"{table.sheet}: {column.header!r} is required unless unknown "
                        f"column {header!r}"
                    )
    return Edition(
        name=raw["name"],
        title=raw["title"],
        publisher=raw["publisher"],
        default_since=int(raw["default_since"]),
        instructions=tuple(raw["instructions"]),
        respondent_sheet=raw["respondent"]["sheet"],
        respondent_banner=raw["respondent"]["banner"],
        respondent=tuple(_question(q) for q in raw["respondent"]["questions"]),
        capacity_sheet=raw["capacity"]["sheet"],
        capacity=tuple(_question(q) for q in raw["capacity"]["questions"]),
        tables=tables,
        summary_sheet=raw["summary"]["sheet"],
        national=dict(raw.get("national", {})),
        method_rule=tuple(raw.get("method_rule", ())),
        domestic_networks=tuple(raw.get("domestic_networks", ())),
    )
