"""Fields several kinds declare alike, and the SQL their titles are made of."""

from __future__ import annotations

from desk.core.domain import vocab as v
from desk.core.domain.kinds.spec import Field, SearchRole


def notes(*aliases: str, search: SearchRole | None = "body", section: str = "") -> Field:
    """Notes, searched in a searched kind (`search=None` in one that is not)."""
    return Field(
        "notes",
        "Notes",
        "longtext",
        search=search,
        section=section,
        aliases=("notes", "comments", "remarks", *aliases),
    )


def priorities(*aliases: str) -> Field:
    return Field(
        "priority_areas",
        "Priority areas",
        "enum_list",
        vocab=v.PRIORITY_AREAS,
        aliases=aliases or ("priority areas", "focus areas", "sectors"),
    )


def sdgs() -> Field:
    return Field(
        "sdgs",
        "Sustainable Development Goals",
        "enum_list",
        vocab=v.SDGS,
        help="the UN goals this advances",
    )


def us_date_sql(column: str) -> str:
    """SQL showing a stored date the U.S. short way, as dates.short_date does: 4/8/2025,
    6/1961 or 1961. For titles, which are SQL so lists and links can sort by them."""
    month = f"ltrim(substr({column}, 6, 2), '0')"
    return (
        f"CASE length({column}) "
        f"WHEN 10 THEN {month} || '/' || ltrim(substr({column}, 9, 2), '0') || '/' || "
        f"substr({column}, 1, 4) "
        f"WHEN 7 THEN {month} || '/' || substr({column}, 1, 4) ELSE {column} END"
    )


def span_sql(start: str, end: str) -> str:
    """'5/1/2021 to 4/30/2025', 'from 2021', 'until 4/30/2025'."""
    return (
        f"CASE WHEN {start} IS NULL AND {end} IS NULL THEN '' "
        f"WHEN {end} IS NULL THEN 'from ' || {us_date_sql(start)} "
        f"WHEN {start} IS NULL THEN 'until ' || {us_date_sql(end)} "
        f"ELSE {us_date_sql(start)} || ' to ' || {us_date_sql(end)} END"
    )
