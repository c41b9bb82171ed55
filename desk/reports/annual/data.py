"""What the annual report says of one year, read from the records in one pass.

Qt-free and reportlab-free: `document.py` lays it out. Counted as the dashboard counts
(`figures.py`): activity record by record (a visit once it took place, an agreement in
the year it was signed, a partnership in the year it was established, outcomes by the
year they count for), engagements the way the national survey counts them but over the
year: the partnerships, agreements and memberships in force on the report's date, and the
partners signed with or met in the year (the survey submission's window runs from its
edition's first year, so it counts more; the report says how many).

A report speaks as of its own date: the end of its year, or the day it is made while the
year runs. Nothing in the report of a year gone by depends on the day it is made, but
the footer's date of printing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from desk.core.domain import dates
from desk.core.domain.kinds import kind_of_table
from desk.core.features.map import home_position
from desk.core.reference.places import position
from desk.core.store.db import Database
from desk.core.store.hooks.partnerships import INITIAL_STATUS_REASON
from desk.reports import figures

Row = dict[str, Any]


@dataclass
class Annual:
    year: int
    city: Row
    # The day the report is made: its footer's date. Of a year gone by, nothing else
    # printed depends on it; of the year running, it is the report's date (`as_of`).
    today: dt.date
    as_of: dt.date  # December 31 of the year, or `today` while the year runs
    years: list[figures.Year]  # ten years to this one, for the chart
    outcomes: dict[str, figures.Total]  # this year's, by measure
    shares: figures.Shares
    sdgs: Counter[str]  # goal -> engagements advancing it
    status_changes: list[Row] = field(default_factory=list)  # proposed, started, ended...
    visits: list[Row] = field(default_factory=list)  # held this year
    significant: set[int] = field(default_factory=set)  # visits the survey counts
    visit_outcomes: dict[int, list[Row]] = field(default_factory=dict)
    agreements: list[Row] = field(default_factory=list)  # signed this year
    due: list[Row] = field(default_factory=list)  # expired or up for decision this year
    networks: list[Row] = field(default_factory=list)  # members during the year
    counted_networks: set[int] = field(default_factory=set)  # among the engagements
    # Why a network membership of the year is not among the engagements, by its id.
    network_reasons: dict[int, str] = field(default_factory=dict)
    # The engagements counted, each with its method and the words that explain it.
    engagements: list[Row] = field(default_factory=list)
    # The survey workbook's count on the report's date: its window runs from January 1 of
    # the edition's first year, not from this year's.
    survey_since: int = 0
    survey_count: int = 0
    in_force: list[Row] = field(default_factory=list)  # partner places, as of `as_of`
    coming_from: dt.date = dt.date.min
    coming_to: dt.date = dt.date.min
    next_year: list[figures.Coming] = field(default_factory=list)
    anniversaries: list[tuple[str, str, int]] = field(default_factory=list)
    places: list[tuple[float, float, str]] = field(default_factory=list)  # lat, lon, kind
    home: tuple[float, float] | None = None

    @property
    def this_year(self) -> figures.Year:
        return self.years[-1]

    @property
    def year_over(self) -> bool:
        return self.today > dt.date(self.year, 12, 31)

    @property
    def period(self) -> str:
        """'in 2025', or 'in 2026 through December 6' while the year runs."""
        if self.year_over or self.as_of.year != self.year:
            return f"in {self.year}"
        return f"in {self.year} through {dates.month_day(self.as_of)}"


def coming_window(year: int, today: dt.date) -> tuple[dt.date, dt.date, bool]:
    """(first day, last day, looking back) of what the report of `year` lists as coming.

    A city council reading the 2025 report expects 'coming next' to be 2026, the year
    after the one reported, whenever the report was printed: it looks ahead from January
    1 of the next year, as things stood then, so the 2025 report printed in March 2026 and
    the one printed in December say the same. A report of the year still running can only
    look ahead from the day it is made. Either way, twelve months."""
    if today > dt.date(year, 12, 31):
        start, looking_back = dt.date(year + 1, 1, 1), True
    else:
        start, looking_back = today, False
    return start, _a_year_after(start) - dt.timedelta(days=1), looking_back


def _a_year_after(day: dt.date) -> dt.date:
    return dates.anniversary_day(day, day.year + 1)


def gather(db: Database, year: int, today: dt.date | None = None) -> Annual:
    today = today or dt.date.today()
    as_of = figures.as_of(today, year)
    start, end, now = f"{year:04d}-01-01", f"{year:04d}-12-31", as_of.isoformat()
    city = next(iter(db.query("SELECT * FROM city_profile LIMIT 1")), {})
    counted = figures.engagements(db, year, as_of)
    a = Annual(
        year,
        city,
        today,
        as_of,
        figures.by_year(db, year - 9, year, as_of),
        figures.outcomes(db, year, year)[year],
        figures.shares_of(counted),
        figures.goals(db, counted),
    )
    unique = {e["id"] for e in counted.unique}
    a.significant = {
        row["record_id"]
        for row in counted.engagements.get("meetings", [])
        if row.get("engagement_id") in unique
    }
    a.counted_networks = {
        row["record_id"]
        for row in counted.engagements.get("networks", [])
        if row.get("engagement_id") in unique
    }
    # The reasons memberships read in the network table were left out, by the record.
    memberships = kind_of_table("network_memberships").name
    a.network_reasons = {
        item.record_id: item.brief or item.why
        for item in counted.left_out
        if item.kind == memberships
    }
    a.engagements = counted.unique
    a.survey_since = _survey_since(year)
    a.survey_count = len(figures.engagements(db, a.survey_since, as_of).unique)
    # The status a partnership was entered with is dated the day it was entered: it held
    # from the founding (none known: no day to place it on), as the survey reads it.
    a.status_changes = list(
        db.query(
            "SELECT * FROM (SELECT CASE WHEN s.reason = :initial THEN p.established_date "
            "ELSE s.changed_on END AS changed_on, s.status, s.reason, p.partner_name, p.kind, "
            "p.id AS pid FROM partnership_status_changes s "
            # Network memberships have a section of their own (joined, left).
            "JOIN partnerships p ON p.id = s.partnership_id "
            "WHERE p.kind != 'network_membership') "
            f"WHERE {dates.first_day_sql('changed_on')} BETWEEN :start AND :now "
            "AND status IN ('proposed', 'active', 'friendship', 'suspended', 'dormant', 'lapsed', "
            "'ended') "
            "ORDER BY changed_on, partner_name",
            {"initial": INITIAL_STATUS_REASON, "start": start, "now": now},
        )
    )
    a.visits = list(
        db.query(
            "SELECT v.*, p.partner_name FROM visits v "
            "LEFT JOIN partnerships p ON p.id = v.partnership_id "
            f"WHERE v.start_date BETWEEN ? AND ? AND v.{figures.HELD} "
            "ORDER BY v.start_date, v.id",
            (start, now),
        )
    )
    for row in db.query(
        "SELECT * FROM outcomes WHERE visit_id IN "
        "(SELECT id FROM visits WHERE start_date BETWEEN ? AND ?) ORDER BY measure, id",
        (start, now),
    ):
        a.visit_outcomes.setdefault(row["visit_id"], []).append(row)
    a.agreements = list(
        db.query(
            "SELECT a.*, p.partner_name FROM agreements a "
            "LEFT JOIN partnerships p ON p.id = a.partnership_id "
            f"WHERE a.status IN {figures.SIGNED} "
            f"AND {dates.first_day_sql('a.signed_date')} BETWEEN ? AND ? "
            "ORDER BY a.signed_date, a.title",
            (start, now),
        )
    )
    # The whole year's, those still ahead of a running year's report too: the council
    # plans for them. Signed by the report's date: one signed later was no business then.
    a.due = list(
        db.query(
            "SELECT a.*, p.partner_name FROM agreements a "
            "LEFT JOIN partnerships p ON p.id = a.partnership_id "
            f"WHERE a.status IN {figures.SIGNED} "
            f"AND (a.signed_date IS NULL OR {dates.first_day_sql('a.signed_date')} <= :now) "
            "AND (a.expiry_date BETWEEN :start AND :end "
            "OR a.decision_deadline BETWEEN :start AND :end) "
            "ORDER BY coalesce(a.decision_deadline, a.expiry_date), a.title",
            {"start": start, "end": end, "now": now},
        )
    )
    # Members at some time in the year: joined by the report's date, and not gone before
    # it began. One ended with no date of leaving cannot be placed in any year.
    a.networks = list(
        db.query(
            "SELECT * FROM network_memberships "
            f"WHERE (joined_date IS NULL OR {dates.first_day_sql('joined_date')} <= :now) "
            f"AND (left_date IS NULL OR {dates.last_day_sql('left_date')} >= :start) "
            "AND NOT (status = 'ended' AND left_date IS NULL) "
            "ORDER BY network_name COLLATE NOCASE, id",
            {"start": start, "now": now},
        )
    )
    a.in_force = figures.in_force(db, as_of)
    a.coming_from, a.coming_to, looking_back = coming_window(year, today)
    a.next_year = figures.coming(db, a.coming_from, until=a.coming_to, looking_back=looking_back)
    a.anniversaries = _round_anniversaries(
        figures.in_force(db, as_of, networks=True), a.coming_from, a.coming_to
    )
    a.places = _places(a.in_force)
    a.home = home_position(db)
    return a


def _survey_since(year: int) -> int:
    """The first year of the survey's window, as the current edition asks it."""
    from desk.core.errors import DeskError
    from desk.reports.survey.edition import load

    try:
        return min(load().default_since, year)
    except DeskError:  # a damaged edition file: the survey's window is not known
        return year


def _round_anniversaries(
    partners: list[Row], first: dt.date, last: dt.date
) -> list[tuple[str, str, int]]:
    """Partnerships among `partners` (in force on the report's date) turning a round
    number of years old from `first` to `last`: (when, as a stored date: the day, or the
    year or month alone where the founding is known only to that; partner; years)."""
    from desk.core.features.agenda import ROUND_YEARS

    found = []
    for p in partners:
        established = p.get("established_date")
        founded = dates.year_of(established)
        if founded is None:
            continue
        for year in range(first.year, last.year + 1):
            when = dates.in_year(established, year)
            if when is None or year - founded not in ROUND_YEARS:
                continue
            # Within the span: a year or month alone counts while any of its days is.
            if dates.last_day(when) >= first and dates.first_day(when) <= last:
                found.append((when, p["partner_name"], year - founded))
    return sorted(found)


def _places(in_force: list[Row]) -> list[tuple[float, float, str]]:
    partners = []
    for p in in_force:
        where = position(
            p["partner_name"],
            p["country"],
            p["location"],
            level=p.get("partner_level"),
            region=p.get("region"),
        )
        if where is not None:
            partners.append((where.latitude, where.longitude, p["kind"]))
    return partners
