"""The city's international work in numbers, as the dashboard draws it and the annual
report prints it: engagements year by year, the engagements of a period in the national
survey's own categories (with the national shares beside them), outcomes added up, the
Sustainable Development Goals advanced, and what comes next.

Qt-free and reportlab-free. Two kinds of figure, never mixed:

- Activity, record by record: a partnership with a partner place in the year it was
  established (joining a network is not a new partnership: the network memberships are
  listed apart, each by the year it was joined), an agreement in the year it was signed
  (once signed, whatever became of it since), a visit once it has taken place (not
  planned, requested, declined or called off).
- Engagements, as the national survey counts them: unique relationships with a partner
  place or network (`survey.data.collect`), however many agreements and visits each
  holds. Their methods, priority areas, countries and Development Goals are counted over
  those engagements, never over records, so no count of engagements exceeds their total.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from desk.core.domain.dates import first_day_sql
from desk.core.domain.money import short as money_short
from desk.core.domain.money import text as money_text
from desk.core.domain.vocab import MONEY_MEASURES, OUTCOME_MEASURES, SDGS
from desk.core.features.costs import Costs, of_visits, together
from desk.core.progress import Progress
from desk.core.store.db import Database

if TYPE_CHECKING:
    from desk.reports.survey.data import SurveyData

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
# An agreement that was signed, whatever became of it since: the survey's own list
# (`survey.data.SIGNED`; a test keeps the two the same).
SIGNED = ("signed", "in_force", "expired", "terminated")


def as_of(today: dt.date | None, last: int) -> dt.date:
    """The day figures of the years up to `last` are counted as of: the end of `last`, or
    today while that year runs. A report of a year gone by reads the same whenever it is
    made."""
    return min(today or dt.date.today(), dt.date(last, 12, 31))


@dataclass(frozen=True)
class Year:
    """A year's activity, record by record: not engagements, which are relationships."""

    year: int
    partnerships: int  # with partner places, established that year (not networks)
    agreements: int  # signed that year
    incoming: int  # delegations welcomed
    outgoing: int  # missions sent

    @property
    def activity(self) -> int:
        return self.partnerships + self.agreements + self.incoming + self.outgoing


def by_year(db: Database, first: int, last: int, today: dt.date | None = None) -> list[Year]:
    """One row per year from `first` to `last`, zeros included (a chart's gap is news),
    counting only what had happened by `today`."""
    now = (today or dt.date.today()).isoformat()
    counts: dict[str, Counter[int]] = {}
    for name, sql in (
        (
            "partnerships",
            # A network is not a partner place: joining one is a membership, counted
            # one way everywhere (the network memberships), never as a partnership.
            "SELECT established_date FROM partnerships WHERE kind != 'network_membership' "
            f"AND {first_day_sql('established_date')} <= :now",
        ),
        (
            "agreements",
            f"SELECT signed_date FROM agreements WHERE status IN {SIGNED} "
            f"AND {first_day_sql('signed_date')} <= :now",
        ),
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


def engagements(
    db: Database, since: int, today: dt.date | None = None, until: int | None = None
) -> SurveyData:
    """The survey's unique engagements from `since`; with `until`, of those years only:
    agreements signed and meetings held up to its December 31, and partnerships,
    agreements and memberships by their standing at that year's end (a partnership by its
    dated status history)."""
    from desk.reports.survey.data import collect

    today = today or dt.date.today()
    if until is not None:
        today = as_of(today, until)
    return collect(db, since, today)


def in_force(db: Database, day: dt.date, *, networks: bool = False) -> list[dict[str, Any]]:
    """The partnerships in force on `day`, by name: partner places only (networks are not
    places) unless `networks`. In force by the standing the partnership's dated history
    gives on that day, as the survey reads it (the status it was entered with holds from
    its founding; with no history, today's status from its founding on)."""
    from desk.core.store.hooks.partnerships import INITIAL_STATUS_REASON

    on = day.isoformat()
    history: dict[int, list[tuple[str, int, str]]] = {}
    for sid, pid, status, changed_on, reason, founded in db.execute(
        "SELECT s.id, s.partnership_id, s.status, s.changed_on, s.reason, p.established_date "
        "FROM partnership_status_changes s JOIN partnerships p ON p.id = s.partnership_id"
    ):
        when = (founded or "") if reason == INITIAL_STATUS_REASON else (changed_on or "")
        # A date known only to its year or month holds from its first day.
        if when <= on:
            history.setdefault(pid, []).append((when, sid, status))
    found = []
    for row in db.query(
        "SELECT id, partner_name, country, location, partner_level, region, kind, status, "
        "established_date, "
        "EXISTS (SELECT 1 FROM partnership_status_changes s WHERE s.partnership_id = p.id) "
        "AS has_history FROM partnerships p "
        + ("" if networks else "WHERE kind != 'network_membership' ")
        + "ORDER BY partner_name COLLATE NOCASE, id"
    ):
        if row["has_history"]:
            steps = history.get(row["id"])
            status = max(steps)[2] if steps else None
        else:
            founded = row["established_date"]
            status = row["status"] if not founded or founded <= on else None
        if status in ("active", "friendship"):
            found.append(row)
    return found


def goals(db: Database, counted: SurveyData) -> Counter[str]:
    """Goal -> how many of the engagements counted advance it: those whose partnership
    names it, or an agreement or meeting counted for them in the span. An engagement
    counts once under each of its goals, however many of its records name the goal."""
    by_uid = {
        uid: _goals_in(stored)
        for uid, stored in db.execute("SELECT uid, sdgs FROM partnerships WHERE sdgs IS NOT NULL")
    }
    named: dict[str, set[str]] = {e["id"]: set(by_uid.get(e["id"], ())) for e in counted.unique}
    for table, rows in (
        ("agreements", counted.engagements.get("agreements", [])),
        ("visits", counted.engagements.get("meetings", [])),
    ):
        ids = json.dumps(sorted({row["record_id"] for row in rows}))
        stored_goals = {
            record_id: _goals_in(stored)
            for record_id, stored in db.execute(
                f"SELECT id, sdgs FROM {table} WHERE sdgs IS NOT NULL "
                "AND id IN (SELECT value FROM json_each(?))",
                (ids,),
            )
        }
        for row in rows:
            if row.get("engagement_id") in named:
                named[row["engagement_id"]] |= stored_goals.get(row["record_id"], set())
    found: Counter[str] = Counter()
    for goal_set in named.values():
        found.update(goal_set)
    return found


def _goals_in(stored: str | None) -> set[str]:
    try:
        return {goal for goal in json.loads(stored or "[]") if goal in SDGS}
    except (TypeError, ValueError):
        return set()


def sdgs(db: Database, first: int, last: int, today: dt.date | None = None) -> Counter[str]:
    """Goal -> how many of the span's engagements (as `shares` counts them) advance it."""
    return goals(db, engagements(db, first, today, until=last))


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
    with_country: int = 0  # the engagements that have a country (networks have none)

    def share(self, table: str, code: str) -> float:
        """A code's share of the engagements; a country's of those with a country."""
        counts: dict[str, int] = getattr(self, table)
        total = self.with_country if table == "by_country" else self.engagements
        return counts.get(code, 0) / total if total else 0.0


def shares(
    db: Database, since: int, today: dt.date | None = None, until: int | None = None
) -> Shares:
    """The survey's count of engagements from `since` (to the end of `until`), by its
    categories."""
    return shares_of(engagements(db, since, today, until))


def shares_of(counted: SurveyData) -> Shares:
    from desk.reports.survey.edition import load

    summary = counted.summary()
    try:
        national = load().national
    except Exception:  # a damaged edition file: the city's own figures still stand
        national = {}
    return Shares(
        counted.since,
        summary["engagements"],
        summary["by_method"],
        summary["by_area"],
        summary["by_country"],
        national,
        summary["with_country"],
    )


@dataclass(frozen=True)
class Coming:
    day: dt.date
    what: str  # "Decide on the Cultural MOU", "Mission to Kobe"
    kind: str  # overdue, decision, expiry, renewal, visit
    open_kind: str
    open_id: int


def coming(
    db: Database,
    today: dt.date | None = None,
    days: int = 180,
    *,
    until: dt.date | None = None,
    looking_back: bool = False,
) -> list[Coming]:
    """Deadlines and planned visits from `today` to `until` (else the next `days`),
    soonest first; a renewal decision whose date has passed while its agreement is still
    in force leads, as overdue.

    `looking_back`: `today` is a day gone by (a past year's report looks ahead from the
    day after its year), so the list is what was ahead on that day: a visit since held or
    an agreement since expired still counts, and what came about only later (an
    agreement signed, a visit asked for or agreed to, from that day on) does not."""
    today = today or dt.date.today()
    end = (until or today + dt.timedelta(days=days)).isoformat()
    now = today.isoformat()
    standing = ("signed", "in_force", "expired") if looking_back else ("signed", "in_force")
    signed_before = (
        f"AND (signed_date IS NULL OR {first_day_sql('signed_date')} < :t)" if looking_back else ""
    )
    found: list[Coming] = []
    for aid, title, deadline, expiry, auto_renew in db.execute(
        "SELECT id, title, decision_deadline, expiry_date, auto_renew FROM agreements "
        f"WHERE status IN {standing} AND (decision_deadline <= :e "
        "OR expiry_date BETWEEN :t AND :e) AND (expiry_date IS NULL OR expiry_date >= :t) "
        + signed_before,
        {"t": now, "e": end},
    ):
        if deadline and deadline < now:
            found.append(
                Coming(_day(deadline), f"Overdue: decide on {title}", "overdue", "agreement", aid)
            )
        elif deadline and deadline <= end:
            found.append(Coming(_day(deadline), f"Decide on {title}", "decision", "agreement", aid))
        if expiry and now <= expiry <= end:
            if auto_renew:
                what = f"{title} renews by itself unless notice is given"
                found.append(Coming(_day(expiry), what, "renewal", "agreement", aid))
            else:
                found.append(Coming(_day(expiry), f"{title} expires", "expiry", "agreement", aid))
    # Requested and not yet decided: not coming until someone says yes.
    if looking_back:
        # Asked for and agreed to by then; one still awaiting its answer was not coming.
        then = (
            "AND (request_date IS NULL OR request_date < :t) "
            "AND (decision_date IS NULL OR decision_date < :t)"
        )
    else:
        then = "AND status != 'completed'"
    for vid, title, start in db.execute(
        "SELECT id, title, start_date FROM visits WHERE start_date BETWEEN :t AND :e "
        f"AND status NOT IN ('cancelled', 'declined', 'requested') {then}",
        {"t": now, "e": end},
    ):
        found.append(Coming(_day(start), title, "visit", "visit", vid))
    found.sort(key=lambda c: (c.day, c.what))
    return found


def visit_costs(db: Database, first: int, last: int, today: dt.date | None = None) -> Costs:
    """What the visits held from `first` to `last` cost, together: the visits `by_year`
    counts, by `today`."""
    now = min(today or dt.date.today(), dt.date(last, 12, 31)).isoformat()
    held = [
        vid
        for (vid,) in db.execute(
            f"SELECT id FROM visits WHERE {HELD} AND start_date BETWEEN ? AND ?",
            (f"{first:04d}-01-01", now),
        )
    ]
    return together(of_visits(db, held).values())


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
    # What the visits held in those years cost, beside what they brought.
    costs: Costs = field(default_factory=Costs)


def read_all(
    db: Database,
    first: int,
    last: int,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Figures:
    today = today or dt.date.today()
    if progress:
        progress(0, 3, "Counting activity by year")
    years = by_year(db, first, last, today)
    if progress:
        progress(1, 3, "Counting engagements as the national survey does")
    counted = engagements(db, first, today, until=last)
    if progress:
        progress(2, 3, "Adding up outcomes")
    return Figures(
        first,
        last,
        years,
        outcomes(db, first, last),
        goals(db, counted),
        shares_of(counted),
        coming(db, today),
        visit_costs(db, first, last, today),
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
