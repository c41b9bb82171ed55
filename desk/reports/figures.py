"""The city's international work in numbers, as the dashboard draws it and the annual
report prints it: engagements year by year, the engagements of a period in the national
survey's own categories (with the national shares beside them), outcomes added up, the
Sustainable Development Goals advanced, and what comes next.

Qt-free and reportlab-free. Counted the way the survey counts: a visit counts once it has
taken place (not planned, requested, declined or called off), an agreement in the year
it was signed, a partnership in the year it was established; engagements by method,
area and country are the survey's unique engagements (`survey_data.collect`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from desk.core.domain.dates import first_day_sql
from desk.core.domain.money import short as money_short
from desk.core.domain.money import text as money_text
from desk.core.domain.vocab import MONEY_MEASURES, OUTCOME_MEASURES, SDGS
from desk.core.store.db import Database

Progress = Callable[[int, int, str], None]
# One palette for the window's charts and map and the printed report, so a series or a
# kind of partnership wears the same color on screen and on paper. They read on light
# and dark backgrounds alike, and apart for most color blindness (Tableau 10's first).
SERIES_COLORS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948")
# Networks are not places: the maps have no color for them.
KIND_COLORS = {
    "sister_city": SERIES_COLORS[0],
    "friendship_city": SERIES_COLORS[1],
    "sector_partnership": SERIES_COLORS[2],
    "other": SERIES_COLORS[3],
}

# Visits that took place, whatever they are called now.
HELD = "status NOT IN ('cancelled', 'declined', 'requested')"


@dataclass(frozen=True)
class Year:
    year: int
    partnerships: int  # established that year
    agreements: int  # signed that year
    incoming: int  # delegations welcomed
    outgoing: int  # missions sent

    @property
    def engagements(self) -> int:
        return self.partnerships + self.agreements + self.incoming + self.outgoing


def by_year(db: Database, first: int, last: int, today: dt.date | None = None) -> list[Year]:
    """One row per year from `first` to `last`, zeros included (a chart's gap is news)."""
    now = (today or dt.date.today()).isoformat()
    counts: dict[str, Counter[int]] = {}
    for name, sql in (
        ("partnerships", "SELECT established_date FROM partnerships"),
        ("agreements", "SELECT signed_date FROM agreements"),
        (
            "incoming",
            f"SELECT start_date FROM visits WHERE direction = 'incoming' AND {HELD} "
            "AND start_date <= :now",
        ),
        (
            "outgoing",
            f"SELECT start_date FROM visits WHERE direction = 'outgoing' AND {HELD} "
            "AND start_date <= :now",
        ),
    ):
        counts[name] = Counter(
            int(day[:4])
            for (day,) in db.execute(sql, {"now": now})
            if day and day[:4].isdigit() and first <= int(day[:4]) <= last
        )
    return [
        Year(
            year,
            counts["partnerships"][year],
            counts["agreements"][year],
            counts["incoming"][year],
            counts["outgoing"][year],
        )
        for year in range(first, last + 1)
    ]


@dataclass
class Total:
    """One measure added up: a count, or money in each currency apart."""

    measure: str
    count: int = 0
    money: dict[str, int] = field(default_factory=dict)  # currency -> minor units
    estimated: bool = False  # some figure in it is an estimate
    figures: int = 0

    @property
    def label(self) -> str:
        return OUTCOME_MEASURES.get(self.measure, self.measure)

    def text(self, *, rounded: bool = False) -> str:
        """The total as it reads: money per currency (sums of mixed currencies mean
        nothing), rounded as a headline says it when `rounded`; else the count."""
        if self.money:
            say = money_short if rounded else money_text
            return " + ".join(say(value, currency) for currency, value in self.money.items())
        return f"{self.count:,}"

    def add(self, other: Total) -> None:
        self.count += other.count
        self.figures += other.figures
        self.estimated = self.estimated or other.estimated
        for currency, value in other.money.items():
            self.money[currency] = self.money.get(currency, 0) + value


def over_years(found: dict[int, dict[str, Total]], measure: str) -> Total:
    """A measure added up over every year given."""
    whole = Total(measure)
    for totals in found.values():
        if measure in totals:
            whole.add(totals[measure])
    return whole


def outcomes(db: Database, first: int, last: int) -> dict[int, dict[str, Total]]:
    """Year -> measure -> its total, for figures with a year in the span."""
    out: dict[int, dict[str, Total]] = {year: {} for year in range(first, last + 1)}
    for year, measure, amount, value, currency, estimate in db.execute(
        "SELECT year, measure, amount, value_minor, currency, estimate FROM outcomes "
        "WHERE year BETWEEN ? AND ?",
        (first, last),
    ):
        total = out[year].setdefault(measure, Total(measure))
        total.figures += 1
        total.estimated = total.estimated or bool(estimate)
        if measure in MONEY_MEASURES or value is not None:
            if value is not None and currency:
                total.money[currency] = total.money.get(currency, 0) + int(value)
        else:
            total.count += int(amount or 0)
    return out


def sdgs(db: Database, first: int, last: int, today: dt.date | None = None) -> Counter[str]:
    """Goal -> how many engagements of the span advance it: partnerships in force,
    visits held and agreements signed in those years."""
    now = (today or dt.date.today()).isoformat()
    span = {"a": f"{first:04d}-01-01", "b": f"{last:04d}-12-31", "now": now}
    found: Counter[str] = Counter()
    for (stored,) in db.execute(
        "SELECT sdgs FROM partnerships WHERE sdgs IS NOT NULL "
        "AND status IN ('active', 'friendship') "
        "AND (established_date IS NULL OR established_date <= :b) "
        "UNION ALL SELECT sdgs FROM visits WHERE sdgs IS NOT NULL "
        f"AND {HELD} AND start_date BETWEEN :a AND :b AND start_date <= :now "
        "UNION ALL SELECT sdgs FROM agreements WHERE sdgs IS NOT NULL "
        f"AND {first_day_sql('signed_date')} BETWEEN :a AND :b",
        span,
    ):
        try:
            goals = json.loads(stored)
        except ValueError:
            continue
        found.update(goal for goal in goals if goal in SDGS)
    return found


@dataclass
class Shares:
    """Unique engagements of a period by the survey's categories, with the national
    findings' shares (0..1) from the survey edition beside them."""

    since: int
    engagements: int
    by_method: dict[str, int]
    by_area: dict[str, int]
    by_country: dict[str, int]
    national: dict[str, Any]

    def share(self, table: str, code: str) -> float:
        counts: dict[str, int] = getattr(self, table)
        return counts.get(code, 0) / self.engagements if self.engagements else 0.0


def shares(
    db: Database, since: int, today: dt.date | None = None, until: int | None = None
) -> Shares:
    """The survey's count of engagements from `since`; with `until`, of those years only:
    agreements and meetings up to its December 31 and partnerships established by then
    (a partnership's standing is today's; desk keeps no count of standing by year)."""
    from desk.reports.survey.data import collect
    from desk.reports.survey.edition import load

    today = today or dt.date.today()
    if until is not None:
        today = min(today, dt.date(until, 12, 31))
    summary = collect(db, since, today).summary()
    try:
        national = load().national
    except Exception:  # a damaged edition file: the city's own figures still stand
        national = {}
    return Shares(
        since,
        summary["engagements"],
        summary["by_method"],
        summary["by_area"],
        summary["by_country"],
        national,
    )


@dataclass(frozen=True)
class Coming:
    day: dt.date
    what: str  # "Decide on the Cultural MOU", "Mission to Kobe"
    kind: str  # decision, expiry, visit, anniversary
    open_kind: str
    open_id: int


def coming(db: Database, today: dt.date | None = None, days: int = 180) -> list[Coming]:
    """Deadlines and planned visits in the next `days`, soonest first; a renewal decision
    whose date has passed while its agreement is still in force leads, as overdue."""
    today = today or dt.date.today()
    end = (today + dt.timedelta(days=days)).isoformat()
    now = today.isoformat()
    found: list[Coming] = []
    for aid, title, deadline, expiry in db.execute(
        "SELECT id, title, decision_deadline, expiry_date FROM agreements "
        "WHERE status IN ('signed', 'in_force') AND (decision_deadline <= :e "
        "OR expiry_date BETWEEN :t AND :e) AND (expiry_date IS NULL OR expiry_date >= :t)",
        {"t": now, "e": end},
    ):
        if deadline and deadline < now:
            found.append(
                Coming(_day(deadline), f"Overdue: decide on {title}", "overdue", "agreement", aid)
            )
        elif deadline and deadline <= end:
            found.append(Coming(_day(deadline), f"Decide on {title}", "decision", "agreement", aid))
        if expiry and now <= expiry <= end:
            found.append(Coming(_day(expiry), f"{title} expires", "expiry", "agreement", aid))
    for vid, title, start in db.execute(
        # Requested and not yet decided: not coming until someone says yes.
        "SELECT id, title, start_date FROM visits WHERE start_date BETWEEN :t AND :e "
        "AND status NOT IN ('cancelled', 'declined', 'completed', 'requested')",
        {"t": now, "e": end},
    ):
        found.append(Coming(_day(start), title, "visit", "visit", vid))
    found.sort(key=lambda c: (c.day, c.what))
    return found


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


@dataclass
class Figures:
    """Everything the dashboard shows for a span of years, read at one moment."""

    first: int
    last: int
    years: list[Year]
    outcomes: dict[int, dict[str, Total]]
    sdgs: Counter[str]
    shares: Shares
    coming: list[Coming]


def read_all(
    db: Database,
    first: int,
    last: int,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Figures:
    today = today or dt.date.today()
    if progress:
        progress(0, 3, "Counting engagements by year")
    years = by_year(db, first, last, today)
    if progress:
        progress(1, 3, "Counting engagements as the national survey does")
    found_shares = shares(db, first, today, until=last)
    if progress:
        progress(2, 3, "Adding up outcomes")
    return Figures(
        first,
        last,
        years,
        outcomes(db, first, last),
        sdgs(db, first, last, today),
        found_shares,
        coming(db, today),
    )


def axis(value: float) -> tuple[float, float]:
    """(top of a chart's axis, step between its grid lines) for counts up to `value`: 1,
    2 or 5 times a power of ten and never less than one (no "0.5 visits"), four or five
    lines."""
    import math

    if value <= 0:
        return 1.0, 1.0
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    step = max(1.0, next(m * power for m in (1, 2, 5, 10) if m * power >= raw))
    return math.ceil(value / step) * step, step
