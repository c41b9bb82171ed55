"""What the annual report says of one year, read from the records in one pass.

Qt-free and reportlab-free: `annual.py` lays it out. Counted as the dashboard counts
(`figures.py`): a visit once it took place, an agreement in the year it was signed, a
partnership in the year it was established, outcomes by the year they count for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from desk.core.domain import dates
from desk.core.features.map import home_position
from desk.core.reference.places import position
from desk.core.store.db import Database
from desk.reports import figures

Row = dict[str, Any]


@dataclass
class Annual:
    year: int
    city: Row
    today: dt.date
    years: list[figures.Year]  # ten years to this one, for the chart
    outcomes: dict[str, figures.Total]  # this year's, by measure
    shares: figures.Shares
    sdgs: dict[str, int]
    status_changes: list[Row] = field(default_factory=list)  # started, renewed, ended
    visits: list[Row] = field(default_factory=list)  # held this year, significant first
    visit_outcomes: dict[int, list[Row]] = field(default_factory=dict)
    agreements: list[Row] = field(default_factory=list)  # signed this year
    networks: list[Row] = field(default_factory=list)  # members during the year
    next_year: list[figures.Coming] = field(default_factory=list)
    anniversaries: list[tuple[str, str, int]] = field(default_factory=list)
    places: list[tuple[float, float, str]] = field(default_factory=list)  # lat, lon, kind
    home: tuple[float, float] | None = None

    @property
    def this_year(self) -> figures.Year:
        return self.years[-1]


def gather(db: Database, year: int, today: dt.date | None = None) -> Annual:
    today = today or dt.date.today()
    start, end = f"{year:04d}-01-01", f"{year:04d}-12-31"
    city = next(iter(db.query("SELECT * FROM city_profile LIMIT 1")), {})
    a = Annual(
        year,
        city,
        today,
        figures.by_year(db, year - 9, year, today),
        figures.outcomes(db, year, year)[year],
        figures.shares(db, year, today, until=year),
        dict(figures.sdgs(db, year, year, today)),
    )
    a.status_changes = list(
        db.query(
            "SELECT s.changed_on, s.status, s.reason, p.partner_name, p.kind, p.id AS pid "
            "FROM partnership_status_changes s JOIN partnerships p ON p.id = s.partnership_id "
            f"WHERE {dates.first_day_sql('s.changed_on')} BETWEEN ? AND ? "
            "AND s.status IN ('active', 'friendship', 'suspended', 'dormant', 'lapsed', 'ended') "
            "ORDER BY s.changed_on, p.partner_name",
            (start, end),
        )
    )
    a.visits = list(
        db.query(
            "SELECT v.*, p.partner_name FROM visits v "
            "LEFT JOIN partnerships p ON p.id = v.partnership_id "
            f"WHERE v.start_date BETWEEN ? AND ? AND v.start_date <= ? AND v.{figures.HELD} "
            "ORDER BY v.start_date, v.id",
            (start, end, today.isoformat()),
        )
    )
    for row in db.query(
        "SELECT * FROM outcomes WHERE visit_id IN "
        "(SELECT id FROM visits WHERE start_date BETWEEN ? AND ?) ORDER BY measure, id",
        (start, end),
    ):
        a.visit_outcomes.setdefault(row["visit_id"], []).append(row)
    a.agreements = list(
        db.query(
            "SELECT a.*, p.partner_name FROM agreements a "
            "LEFT JOIN partnerships p ON p.id = a.partnership_id "
            f"WHERE {dates.first_day_sql('a.signed_date')} BETWEEN ? AND ? "
            "ORDER BY a.signed_date, a.title",
            (start, end),
        )
    )
    a.networks = list(
        db.query(
            "SELECT * FROM network_memberships WHERE (joined_date IS NULL OR joined_date <= ?) "
            f"AND (left_date IS NULL OR {dates.last_day_sql('left_date')} >= ?) "
            "AND status != 'ended' "
            "ORDER BY network_name",
            (end, start),
        )
    )
    # From the day the report is made: what is overdue first, then the year ahead.
    a.next_year = figures.coming(db, today, days=365)
    a.anniversaries = _round_anniversaries(db, today)
    a.places, a.home = _places(db, year)
    return a


def _round_anniversaries(db: Database, today: dt.date) -> list[tuple[str, str, int]]:
    """Partnerships in force turning a round number of years old in the year from
    `today`, as the report's 'year ahead' counts from the day it is made: (when, as a
    stored date: the day, or the year or month alone where the founding is known only to
    that; partner; years)."""
    from desk.core.features.agenda import ROUND_YEARS

    ahead = today + dt.timedelta(days=365)
    found = []
    for name, established in db.execute(
        "SELECT partner_name, established_date FROM partnerships "
        "WHERE status IN ('active', 'friendship') AND established_date IS NOT NULL"
    ):
        founded = dates.year_of(established)
        if founded is None:
            continue
        for year in (today.year, today.year + 1):
            when = dates.in_year(established, year)
            if when is None or year - founded not in ROUND_YEARS:
                continue
            # Still to come, and within the year: a year or month alone counts while any
            # of its days is.
            if dates.last_day(when) >= today and dates.first_day(when) <= ahead:
                found.append((when, name, year - founded))
    return sorted(found)


def _places(
    db: Database, year: int
) -> tuple[list[tuple[float, float, str]], tuple[float, float] | None]:
    partners = []
    for name, country, location, kind in db.execute(
        "SELECT partner_name, country, location, kind FROM partnerships "
        "WHERE status IN ('active', 'friendship') AND kind != 'network_membership' "
        "AND (established_date IS NULL OR established_date <= ?)",
        (f"{year:04d}-12-31",),
    ):
        where = position(name, country, location)
        if where is not None:
            partners.append((where.latitude, where.longitude, kind))
    return partners, home_position(db)
