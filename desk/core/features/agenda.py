"""Today's agenda: what is overdue, due today, this week and later, for one person's desk.

Everything that asks for action by a date comes here: open follow-ups, agreements whose
renew-or-give-notice decision is due, visits about to start or under way, and partnership
anniversaries (round ones a year ahead, so a celebration can be planned). Each item says
what it belongs to and which record opens it, and carries a warning when its partnership
is suspended, dormant, lapsed or ended: renewing an MOU with a suspended partner is a
question for the mayor's office, not a routine reminder. Qt-free: the window and
`desk today` show the same agenda.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from desk.core.domain.dates import (
    anniversary_day,
    in_year,
    last_day,
    month_year,
    partial_parts,
    stored_date,
)
from desk.core.domain.vocab import PARTNERSHIP_STATUSES
from desk.core.domain.words import counted, due_in
from desk.core.store.db import Database
from desk.core.store.operations import Changes

SECTIONS = ("overdue", "today", "week", "later")
SECTION_TITLES = {
    "overdue": "Overdue",
    "today": "Today",
    "week": "This week",
    "later": "Later",
}
HORIZON_DAYS = 90  # visits and decisions further off than this wait for their turn
ROUND_YEARS = frozenset({5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 60, 70, 75, 80, 90, 100})
ROUND_NOTICE_DAYS = 365  # a round anniversary needs a year to plan a celebration
PLAIN_NOTICE_DAYS = 30
TROUBLED = ("suspended", "dormant", "lapsed", "ended")
# How many items each section lists at first; the counts stay whole, and the window asks
# for more when a person wants them.
SHOWN_PER_SECTION = 50


@dataclass(frozen=True)
class Item:
    what: str  # follow_up, decision, visit, anniversary
    title: str
    due: dt.date | None
    open_kind: str  # the record Enter opens: the item's parent where it has one
    open_id: int
    parent: str = ""  # "Visit: Mission to Matsue"; empty when the item is its own record
    when: str = ""  # "in 3 days", "2 weeks overdue", "under way, day 2 of 4"
    warning: str = ""
    follow_up_id: int | None = None  # can be ticked done or snoozed in place
    partnership_id: int | None = None  # whose standing may call for a warning
    agreement_id: int | None = None  # the agreement a follow-up of its own is about
    # An item with no day of its own (an anniversary known only to its year or month)
    # is listed by the last day it can fall on, not after everything dated.
    around: dt.date | None = None


@dataclass
class Agenda:
    today: dt.date
    shown: int = SHOWN_PER_SECTION  # items listed per section
    sections: dict[str, list[Item]] = field(default_factory=lambda: {s: [] for s in SECTIONS})
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTIONS, 0))
    _taken: dict[tuple[str, str], int] = field(default_factory=dict, repr=False)

    def add(self, item: Item) -> None:
        """An item already counted (in SQL) into its section."""
        self.sections[section_of(item.due, self.today)].append(item)

    def offer(self, what: str, due: dt.date | None, make: Callable[[], Item | None]) -> None:
        """Count an item in its section, and build it only while its section can still
        show one more of its kind. Callers offer earliest first, so at 100,000 records
        the agenda builds the few hundred items it shows, not the thousands it counts."""
        section = section_of(due, self.today)
        self.counts[section] += 1
        taken = self._taken.get((what, section), 0)
        if taken < self.shown:
            item = make()
            if item is not None:
                self._taken[(what, section)] = taken + 1
                self.sections[section].append(item)

    def finish(self, db: Database | None = None) -> None:
        far = dt.date.max
        for items in self.sections.values():
            items.sort(
                key=lambda i: (i.due or i.around or far, i.what != "visit", i.title.casefold())
            )
            del items[self.shown :]
        shown = [i for items in self.sections.values() for i in items]
        owners = {i.partnership_id for i in shown if i.partnership_id is not None}
        troubles = _troubled_partnerships(db, owners) if db is not None and owners else {}
        for section, items in self.sections.items():
            self.sections[section] = [
                replace(
                    item,
                    when=item.when or _when(item.due, self.today),
                    warning=item.warning or troubles.get(item.partnership_id or 0, ""),
                )
                for item in items
            ]

    def headline(self) -> str:
        """'3 overdue, 1 today, 5 this week, 12 later'."""
        return ", ".join(f"{self.counts[s]:,} {SECTION_TITLES[s].lower()}" for s in SECTIONS)


def section_of(due: dt.date | None, today: dt.date) -> str:
    if due is None:
        return "later"
    if due < today:
        return "overdue"
    if due == today:
        return "today"
    if due <= today + dt.timedelta(days=7):
        return "week"
    return "later"


def build(db: Database, today: dt.date | None = None, shown: int = SHOWN_PER_SECTION) -> Agenda:
    """The agenda as of `today`, each section counted whole and its first `shown` items
    listed."""
    today = today or dt.date.today()
    agenda = Agenda(today, shown)
    # Follow-ups, decisions and visits are counted in SQL and only the first of each
    # section read: at 100,000 contacts the agenda reads the few hundred rows it shows.
    for section, number in _follow_up_counts(db, today).items():
        agenda.counts[section] += number
    follow_ups = _follow_ups(db, today, shown)
    about = {i.agreement_id for i in follow_ups if i.agreement_id is not None}
    decided = {d.agreement_id: d for d in _decisions(db, agenda, about=about)}
    for item in follow_ups:
        decision = decided.get(item.agreement_id) if item.agreement_id is not None else None
        if decision is not None:
            # What the decision is about: "Expires April 4, 2027: renew or let it end".
            item = replace(item, parent=f"{item.parent} · {decision.action()}")
        agenda.add(item)
    for decision in _decisions(db, agenda):
        agenda.add(decision.item())
    _visits(db, agenda)
    _anniversaries(db, agenda)
    agenda.finish(db)
    return agenda


def _first_of_each_section(
    db: Database, agenda: Agenda, select: str, source: str, due: str, order: str
) -> Iterator[tuple[Any, ...]]:
    """Count the rows of `source` (FROM ... WHERE ...) in each section by their `due`
    expression, and yield the first `agenda.shown` of each in `order`."""
    conditions = {
        "overdue": f"{due} < :t",
        "today": f"{due} = :t",
        "week": f"{due} > :t AND {due} <= :w",
        "later": f"{due} > :w",
    }
    days = _days(agenda.today)
    sums = ", ".join(f"coalesce(sum({c}), 0)" for c in conditions.values())
    counts = db.execute(f"SELECT {sums} {source}", days).fetchone()
    for (section, condition), count in zip(conditions.items(), counts, strict=True):
        agenda.counts[section] += int(count)
        if count:
            yield from db.execute(
                f"SELECT {select} {source} AND {condition} "
                f"ORDER BY {order} LIMIT {int(agenda.shown)}",
                days,
            )


def _when(due: dt.date | None, today: dt.date) -> str:
    return "no date set" if due is None else due_in((due - today).days)


def _troubled_partnerships(db: Database, ids: Iterable[int]) -> dict[int, str]:
    """Of these partnerships, those whose standing should make anyone pause before
    routine business: 'Partnership suspended since March 2, 2025'."""
    from desk.core.domain.dates import on_date, readable

    found = {}
    for pid, status, since in db.execute(
        "SELECT p.id, p.status, (SELECT max(changed_on) FROM partnership_status_changes s "
        "WHERE s.partnership_id = p.id AND s.status = p.status) FROM partnerships p "
        "WHERE p.id IN (SELECT value FROM json_each(?)) "
        f"AND p.status IN ({', '.join('?' for _ in TROUBLED)})",
        (json.dumps(sorted(ids)), *TROUBLED),
    ):
        label = PARTNERSHIP_STATUSES[status].lower()
        when = f" {on_date(since) if status == 'ended' else 'since ' + readable(since)}"
        when = when if since else ""
        found[pid] = f"Partnership {label}{when}"
    return found


# Each section's condition on an open follow-up's due date: :t today, :w a week on.
_FOLLOW_UP_SECTIONS = {
    "overdue": "f.due_date < :t",
    "today": "f.due_date = :t",
    "week": "f.due_date > :t AND f.due_date <= :w",
    "later": "f.due_date > :w",
    "undated": "f.due_date IS NULL",
}


def _days(today: dt.date) -> dict[str, str]:
    return {
        "t": today.isoformat(),
        "w": (today + dt.timedelta(days=7)).isoformat(),
        "h": (today + dt.timedelta(days=HORIZON_DAYS)).isoformat(),
    }


def _follow_up_counts(db: Database, today: dt.date) -> dict[str, int]:
    sums = ", ".join(f"coalesce(sum({cond}), 0)" for cond in _FOLLOW_UP_SECTIONS.values())
    row = db.execute(
        f"SELECT {sums} FROM follow_ups f WHERE f.done_on IS NULL", _days(today)
    ).fetchone()
    counts = {section: int(n) for section, n in zip(_FOLLOW_UP_SECTIONS, row, strict=True)}
    counts["later"] += counts.pop("undated")  # no date set: shown last under Later
    return counts


def _follow_ups(db: Database, today: dt.date, shown: int) -> list[Item]:
    rows: list[tuple[Any, ...]] = []
    for condition in _FOLLOW_UP_SECTIONS.values():
        rows += db.execute(
            "SELECT f.id, f.title, f.due_date, f.visit_id, v.title, f.partnership_id, "
            "p.partner_name, f.agreement_id, a.title, a.partnership_id, v.partnership_id, "
            "trim(coalesce(c.given_name, '') || ' ' || coalesce(c.family_name, '')) "
            "FROM follow_ups f "
            "LEFT JOIN visits v ON v.id = f.visit_id "
            "LEFT JOIN partnerships p ON p.id = f.partnership_id "
            "LEFT JOIN agreements a ON a.id = f.agreement_id "
            "LEFT JOIN contacts c ON c.id = f.contact_id "
            f"WHERE f.done_on IS NULL AND {condition} "
            # In the order of the (done_on, due_date) index, so SQLite reads, not sorts.
            f"ORDER BY f.due_date LIMIT {int(shown)}",
            _days(today),
        ).fetchall()
    items = []
    for fid, title, due_text, visit_id, visit, partnership_id, partner, agreement_id, agreement, (
        agreement_partnership
    ), visit_partnership, contact in rows:
        about = None  # an agreement the follow-up belongs to alone
        if visit_id is not None:
            open_kind, open_id, parent = "visit", visit_id, f"Visit: {visit}"
        elif partnership_id is not None:
            open_kind, open_id, parent = "partnership", partnership_id, f"Partnership: {partner}"
        elif agreement_id is not None:
            open_kind, open_id, parent = "agreement", agreement_id, f"Agreement: {agreement}"
            about = agreement_id
        else:
            open_kind, open_id, parent = "follow_up", fid, ""
        if contact and not parent:
            parent = f"With {contact}"
        items.append(
            Item(
                "follow_up",
                title,
                stored_date(due_text),
                open_kind,
                open_id,
                parent,
                follow_up_id=fid,
                partnership_id=partnership_id or agreement_partnership or visit_partnership,
                agreement_id=about,
            )
        )
    return items


@dataclass(frozen=True)
class _Decision:
    """An agreement in force whose renew-or-give-notice decision falls due within the
    horizon, or fell due and was not recorded (the agreement is still 'in force')."""

    agreement_id: int
    title: str
    due: dt.date | None
    ends: dt.date
    auto_renew: bool
    partnership_id: int | None
    partner: str | None
    today: dt.date

    def action(self) -> str:
        from desk.core.domain.dates import month_day_year

        if self.ends < self.today:
            return f"Expired {month_day_year(self.ends)}: record it as expired or renewed"
        if self.auto_renew:
            return f"Renews by itself {month_day_year(self.ends)} unless notice is given"
        return f"Expires {month_day_year(self.ends)}: renew or let it end"

    def item(self) -> Item:
        action = self.action()
        return Item(
            "decision",
            f"Decide on {self.title}",
            self.due,
            "agreement",
            self.agreement_id,
            f"Partnership: {self.partner} · {action}" if self.partner else action,
            partnership_id=self.partnership_id,
        )


# The partner's name is read for the rows shown only, not joined into every row counted.
_DECISION_COLUMNS = (
    "a.id, a.title, a.decision_deadline, a.expiry_date, a.auto_renew, a.partnership_id, "
    "(SELECT partner_name FROM partnerships WHERE id = a.partnership_id)"
)
_DECISIONS_DUE = (
    "FROM agreements a "
    "WHERE a.status IN ('signed', 'in_force') AND a.decision_deadline IS NOT NULL "
    "AND a.expiry_date IS NOT NULL AND a.decision_deadline <= :h"
)


def _decisions(db: Database, agenda: Agenda, about: set[int] | None = None) -> list[_Decision]:
    """Decisions due within the horizon: those not already stood for by an open
    follow-up, counted into the agenda; or, given `about`, those of these agreements."""
    if about is None:
        rows: Iterable[tuple[Any, ...]] = _first_of_each_section(
            db,
            agenda,
            _DECISION_COLUMNS,
            # A follow-up about an agreement is that agreement's decision, told once.
            f"{_DECISIONS_DUE} AND NOT EXISTS (SELECT 1 FROM follow_ups f "
            "WHERE f.agreement_id = a.id AND f.done_on IS NULL)",
            "a.decision_deadline",
            "a.decision_deadline, a.title",
        )
    elif about:
        rows = db.execute(
            f"SELECT {_DECISION_COLUMNS} {_DECISIONS_DUE} "
            "AND a.id IN (SELECT value FROM json_each(:about))",
            {**_days(agenda.today), "about": json.dumps(sorted(about))},
        )
    else:
        rows = ()
    found = []
    for aid, title, deadline, expiry, auto_renew, partnership_id, partner in rows:
        ends = stored_date(expiry)
        if ends is not None:
            found.append(
                _Decision(
                    aid,
                    title,
                    stored_date(deadline),
                    ends,
                    bool(auto_renew),
                    partnership_id,
                    partner,
                    agenda.today,
                )
            )
    return found


def _visits(db: Database, agenda: Agenda) -> None:
    """Visits under way (due today) or starting within the horizon, earliest first."""
    today = agenda.today
    for (
        vid,
        title,
        start_text,
        end_text,
        direction,
        partnership_id,
        partner,
    ) in _first_of_each_section(
        db,
        agenda,
        "v.id, v.title, v.start_date, v.end_date, v.direction, v.partnership_id, "
        "(SELECT partner_name FROM partnerships WHERE id = v.partnership_id)",
        # Counted from the visits_agenda index alone: visits not yet over, by last day.
        "FROM visits v "
        "WHERE coalesce(v.end_date, v.start_date) >= :t AND v.start_date <= :h "
        "AND v.status NOT IN ('cancelled', 'declined', 'completed')",
        "max(v.start_date, :t)",
        "max(v.start_date, :t), v.title",
    ):
        start = stored_date(start_text)
        end = stored_date(end_text) or start
        if start is None or end is None:
            continue
        when = ""
        if start <= today <= end:
            length = (end - start).days + 1
            day = (today - start).days + 1
            when = "under way" if length == 1 else f"under way, day {day} of {length}"
        way = "Incoming delegation" if direction == "incoming" else "Outgoing mission"
        agenda.add(
            Item(
                "visit",
                title,
                max(start, today),
                "visit",
                vid,
                f"{way} · Partnership: {partner}" if partner else way,
                when,
                partnership_id=partnership_id,
            )
        )


def _anniversaries(db: Database, agenda: Agenda) -> None:
    """Anniversaries of active and friendship partnerships: round ones a year ahead,
    others a month ahead. SQL keeps only partnerships that can qualify (founded in a
    round year's distance, or on a day within the month), so at 7,000 partners the
    dates of a few hundred are worked out, not of all."""
    today = agenda.today
    # Founded a round number of years before this year, with the day still to come, or
    # before next year, with the day already past this year: within the year's notice.
    this_year = sorted({today.year - r for r in ROUND_YEARS if r <= today.year})
    next_year = sorted({today.year + 1 - r for r in ROUND_YEARS if r <= today.year + 1})
    soon = sorted(
        {(today + dt.timedelta(days=n)).strftime("%m-%d") for n in range(PLAIN_NOTICE_DAYS + 1)}
        | ({"02-29"} if _spans_leap_day(today) else set())
    )
    found = []
    for pid, name, established in db.execute(
        "SELECT id, partner_name, established_date FROM partnerships "
        "WHERE length(established_date) = 10 AND status IN ('active', 'friendship') "
        "AND ((CAST(substr(established_date, 1, 4) AS INTEGER) IN "
        "(SELECT value FROM json_each(:this_year)) AND substr(established_date, 6, 5) >= :md) "
        "OR (CAST(substr(established_date, 1, 4) AS INTEGER) IN "
        "(SELECT value FROM json_each(:next_year)) AND substr(established_date, 6, 5) <= :md) "
        "OR substr(established_date, 6, 5) IN (SELECT value FROM json_each(:soon)))",
        {
            "this_year": json.dumps(this_year),
            "next_year": json.dumps(next_year),
            "md": today.strftime("%m-%d"),
            "soon": json.dumps(soon),
        },
    ):
        start = stored_date(established)
        if start is None:
            continue
        day = _next_anniversary(start, today)
        count = day.year - start.year
        if count <= 0:
            continue
        round_number = count in ROUND_YEARS
        if (day - today).days > (ROUND_NOTICE_DAYS if round_number else PLAIN_NOTICE_DAYS):
            continue
        found.append((day, pid, name, start, count, round_number))
    for day, pid, name, start, count, round_number in sorted(found, key=lambda f: f[:2]):

        def make(
            day: dt.date = day,
            pid: int = pid,
            name: str = name,
            start: dt.date = start,
            count: int = count,
            round_number: bool = round_number,
        ) -> Item:
            title = f"{name}: {counted(count, 'year')} since {start.year}"
            note = "A round anniversary: time to plan how to mark it" if round_number else ""
            return Item("anniversary", title, day, "partnership", pid, note)

        agenda.offer("anniversary", day, make)
    _partial_anniversaries(db, agenda)


def _partial_anniversaries(db: Database, agenda: Agenda) -> None:
    """Anniversaries of foundings known only to their year or month: '65 years in 2026',
    never a made-up January 1. They have no day to fall due on, so they wait under Later
    with their year or month: round ones for this year and the next, and plain ones when
    their month is this one or the next."""
    today = agenda.today
    found = []
    for pid, name, established in db.execute(
        "SELECT id, partner_name, established_date FROM partnerships "
        "WHERE length(established_date) IN (4, 7) AND status IN ('active', 'friendship')"
    ):
        parts = partial_parts(established)
        if parts is None:
            continue
        year, month = parts
        if month is None:
            chances = [(today.year, str(today.year)), (today.year + 1, str(today.year + 1))]
        else:
            chances = []
            for ahead in range(13):
                index = today.month - 1 + ahead
                on_year, on_month = today.year + index // 12, index % 12 + 1
                if on_month == month:
                    chances.append((on_year, month_year(on_year, on_month)))
        for on_year, when in chances:
            count = on_year - year
            round_number = count in ROUND_YEARS
            soon = month is not None and (on_year, month) <= _month_after(today)
            if count > 0 and (round_number or soon):
                around = last_day(in_year(established, on_year) or str(on_year))
                found.append((around, pid, name, year, count, round_number, when))
                break
    for around, pid, name, year, count, round_number, when in sorted(found):

        def make(
            around: dt.date = around,
            pid: int = pid,
            name: str = name,
            year: int = year,
            count: int = count,
            round_number: bool = round_number,
            when: str = when,
        ) -> Item:
            title = f"{name}: {counted(count, 'year')} since {year}"
            note = "A round anniversary: time to plan how to mark it" if round_number else ""
            return Item(
                "anniversary",
                title,
                None,
                "partnership",
                pid,
                note,
                when=f"in {when}",
                around=around,
            )

        agenda.offer("anniversary", None, make)


def _month_after(today: dt.date) -> tuple[int, int]:
    return (today.year + today.month // 12, today.month % 12 + 1)


def _spans_leap_day(today: dt.date) -> bool:
    """Whether the coming month holds 28 February, where a 29 February founding is
    marked in common years."""
    return any(
        (today + dt.timedelta(days=n)).strftime("%m-%d") in ("02-28", "02-29")
        for n in range(PLAIN_NOTICE_DAYS + 1)
    )


def _next_anniversary(start: dt.date, today: dt.date) -> dt.date:
    day = anniversary_day(start, today.year)
    return day if day >= today else anniversary_day(start, today.year + 1)


def mark_done(db: Database, follow_up_id: int, on: dt.date | None = None) -> Changes:
    """Tick a follow-up done (today unless `on`), as one undoable operation."""
    from desk.core.store import records

    day = (on or dt.date.today()).isoformat()
    return records.update(db, "follow_up", follow_up_id, {"done_on": day}, verb="Mark done")


def snooze(db: Database, follow_up_id: int, until: dt.date) -> Changes:
    """Move a follow-up's due date to `until`, as one undoable operation."""
    from desk.core.store import records

    return records.update(
        db, "follow_up", follow_up_id, {"due_date": until.isoformat()}, verb="Snooze"
    )


def snooze_choices(today: dt.date) -> list[tuple[str, dt.date]]:
    """The usual ways to put something off: tomorrow, next Monday, in a week, a month."""
    monday = today + dt.timedelta(days=7 - today.weekday())
    return [
        ("Tomorrow", today + dt.timedelta(days=1)),
        ("Next Monday", monday),
        ("In a week", today + dt.timedelta(days=7)),
        ("In a month", today + dt.timedelta(days=30)),
    ]
