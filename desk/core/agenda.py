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
from dataclasses import dataclass, field
from typing import Any

from desk.core.dates import stored_date
from desk.core.db import Database
from desk.core.operations import Changes
from desk.core.vocab import PARTNERSHIP_STATUSES
from desk.core.words import counted, due_in

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
SHOWN_PER_SECTION = 200  # the counts stay whole; the lists stop somewhere readable


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


@dataclass
class Agenda:
    today: dt.date
    sections: dict[str, list[Item]] = field(default_factory=lambda: {s: [] for s in SECTIONS})
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTIONS, 0))

    def add(self, item: Item, *, counted: bool = True) -> None:
        section = section_of(item.due, self.today)
        if counted:
            self.counts[section] += 1
        self.sections[section].append(item)

    def finish(self) -> None:
        far = dt.date.max
        for section, items in self.sections.items():
            items.sort(key=lambda i: (i.due or far, i.what != "visit", i.title.casefold()))
            del items[SHOWN_PER_SECTION:]
            self.sections[section] = items

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


def build(db: Database, today: dt.date | None = None) -> Agenda:
    today = today or dt.date.today()
    agenda = Agenda(today)
    troubles = _troubled_partnerships(db)
    decisions = _decisions(db, today, troubles)
    # Follow-ups are the many: counted in SQL, and only the first of each section read.
    for section, number in _follow_up_counts(db, today).items():
        agenda.counts[section] += number
    for item in _follow_ups(db, today, troubles, decisions):
        agenda.add(item, counted=False)
    # A follow-up about an agreement is that agreement's decision, told once.
    covered = {
        aid
        for (aid,) in db.execute(
            "SELECT DISTINCT agreement_id FROM follow_ups "
            "WHERE done_on IS NULL AND agreement_id IS NOT NULL"
        )
    }
    for item in (
        *(item for aid, item in decisions.items() if aid not in covered),
        *_visits(db, today, troubles),
        *_anniversaries(db, today),
    ):
        agenda.add(item)
    agenda.finish()
    return agenda


def _when(due: dt.date | None, today: dt.date) -> str:
    return "no date set" if due is None else due_in((due - today).days)


def _troubled_partnerships(db: Database) -> dict[int, str]:
    """Partnerships whose standing should make anyone pause before routine business:
    'Partnership suspended since March 2, 2025'."""
    from desk.core.dates import month_day_year

    found = {}
    for pid, status, since in db.execute(
        "SELECT p.id, p.status, (SELECT max(changed_on) FROM partnership_status_changes s "
        "WHERE s.partnership_id = p.id AND s.status = p.status) FROM partnerships p "
        f"WHERE p.status IN ({', '.join('?' for _ in TROUBLED)})",
        TROUBLED,
    ):
        label = PARTNERSHIP_STATUSES[status].lower()
        day = stored_date(since)
        when = "" if day is None else f" {'on' if status == 'ended' else 'since'} "
        found[pid] = f"Partnership {label}" + (f"{when}{month_day_year(day)}" if day else "")
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
    return {"t": today.isoformat(), "w": (today + dt.timedelta(days=7)).isoformat()}


def _follow_up_counts(db: Database, today: dt.date) -> dict[str, int]:
    sums = ", ".join(f"coalesce(sum({cond}), 0)" for cond in _FOLLOW_UP_SECTIONS.values())
    row = db.execute(
        f"SELECT {sums} FROM follow_ups f WHERE f.done_on IS NULL", _days(today)
    ).fetchone()
    counts = {section: int(n) for section, n in zip(_FOLLOW_UP_SECTIONS, row, strict=True)}
    counts["later"] += counts.pop("undated")  # no date set: shown last under Later
    return counts


def _follow_ups(
    db: Database, today: dt.date, troubles: dict[int, str], decisions: dict[int, Item]
) -> list[Item]:
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
            f"ORDER BY f.due_date LIMIT {SHOWN_PER_SECTION}",
            _days(today),
        ).fetchall()
    items = []
    for fid, title, due_text, visit_id, visit, partnership_id, partner, agreement_id, agreement, (
        agreement_partnership
    ), visit_partnership, contact in rows:
        due = stored_date(due_text)
        if visit_id is not None:
            open_kind, open_id, parent = "visit", visit_id, f"Visit: {visit}"
        elif partnership_id is not None:
            open_kind, open_id, parent = "partnership", partnership_id, f"Partnership: {partner}"
        elif agreement_id is not None:
            open_kind, open_id, parent = "agreement", agreement_id, f"Agreement: {agreement}"
            decision = decisions.get(agreement_id)
            if decision is not None:
                # What the decision is about: "Expires April 4, 2027: renew or let it end".
                parent += " · " + decision.parent.rsplit(" · ", 1)[-1]
        else:
            open_kind, open_id, parent = "follow_up", fid, ""
        if contact and not parent:
            parent = f"With {contact}"
        owner = partnership_id or agreement_partnership or visit_partnership
        items.append(
            Item(
                "follow_up",
                title,
                due,
                open_kind,
                open_id,
                parent,
                _when(due, today),
                troubles.get(owner, "") if owner else "",
                follow_up_id=fid,
            )
        )
    return items


def _decisions(db: Database, today: dt.date, troubles: dict[int, str]) -> dict[int, Item]:
    """Agreements still in force whose renew-or-give-notice decision falls due within the
    horizon, or fell due and was not recorded (the agreement is still 'in force')."""
    from desk.core.dates import month_day_year

    items = {}
    horizon = (today + dt.timedelta(days=HORIZON_DAYS)).isoformat()
    for aid, title, deadline, expiry, auto_renew, partnership_id, partner in db.execute(
        "SELECT a.id, a.title, a.decision_deadline, a.expiry_date, a.auto_renew, "
        "a.partnership_id, p.partner_name FROM agreements a "
        "LEFT JOIN partnerships p ON p.id = a.partnership_id "
        "WHERE a.status IN ('signed', 'in_force') AND a.decision_deadline IS NOT NULL "
        "AND a.decision_deadline <= ?",
        (horizon,),
    ):
        due = stored_date(deadline)
        ends = stored_date(expiry)
        if ends is None:
            continue
        if ends < today:
            action = f"Expired {month_day_year(ends)}: record it as expired or renewed"
        elif auto_renew:
            action = f"Renews by itself {month_day_year(ends)} unless notice is given"
        else:
            action = f"Expires {month_day_year(ends)}: renew or let it end"
        items[aid] = Item(
            "decision",
            f"Decide on {title}",
            due,
            "agreement",
            aid,
            f"Partnership: {partner} · {action}" if partner else action,
            _when(due, today),
            troubles.get(partnership_id, "") if partnership_id else "",
        )
    return items


def _visits(db: Database, today: dt.date, troubles: dict[int, str]) -> list[Item]:
    items = []
    horizon = (today + dt.timedelta(days=HORIZON_DAYS)).isoformat()
    for vid, title, start_text, end_text, direction, _status, partnership_id, partner in db.execute(
        "SELECT v.id, v.title, v.start_date, v.end_date, v.direction, v.status, "
        "v.partnership_id, p.partner_name FROM visits v "
        "LEFT JOIN partnerships p ON p.id = v.partnership_id "
        "WHERE v.status NOT IN ('cancelled', 'declined', 'completed') "
        "AND v.start_date IS NOT NULL AND v.start_date <= ? "
        "AND coalesce(v.end_date, v.start_date) >= ?",
        (horizon, today.isoformat()),
    ):
        start = stored_date(start_text)
        end = stored_date(end_text) or start
        if start is None or end is None:
            continue
        if start <= today <= end:
            length = (end - start).days + 1
            when = (
                "under way"
                if length == 1
                else f"under way, day {(today - start).days + 1} of {length}"
            )
            due = today
        else:
            when, due = _when(start, today), start
        way = "Incoming delegation" if direction == "incoming" else "Outgoing mission"
        parent = f"{way} · Partnership: {partner}" if partner else way
        items.append(
            Item(
                "visit",
                title,
                due,
                "visit",
                vid,
                parent,
                when,
                troubles.get(partnership_id, "") if partnership_id else "",
            )
        )
    return items


def _anniversaries(db: Database, today: dt.date) -> list[Item]:
    items = []
    for pid, name, established in db.execute(
        "SELECT id, partner_name, established_date FROM partnerships "
        "WHERE established_date IS NOT NULL AND status IN ('active', 'friendship')"
    ):
        start = stored_date(established)
        if start is None:
            continue
        day = _next_anniversary(start, today)
        years = day.year - start.year
        if years <= 0:
            continue
        days = (day - today).days
        round_number = years in ROUND_YEARS
        if days > (ROUND_NOTICE_DAYS if round_number else PLAIN_NOTICE_DAYS):
            continue
        title = f"{name}: {counted(years, 'year')} since {start.year}"
        note = "A round anniversary: time to plan how to mark it" if round_number else ""
        items.append(Item("anniversary", title, day, "partnership", pid, note, _when(day, today)))
    return items


def _next_anniversary(start: dt.date, today: dt.date) -> dt.date:
    for year in (today.year, today.year + 1):
        try:
            day = start.replace(year=year)
        except ValueError:  # 29 February, kept on 28 February in common years
            day = dt.date(year, 2, 28)
        if day >= today:
            return day
    return dt.date(today.year + 1, start.month, min(start.day, 28))


def mark_done(db: Database, follow_up_id: int, on: dt.date | None = None) -> Changes:
    """Tick a follow-up done (today unless `on`), as one undoable operation."""
    from desk.core import records

    day = (on or dt.date.today()).isoformat()
    return records.update(db, "follow_up", follow_up_id, {"done_on": day}, verb="Mark done")


def snooze(db: Database, follow_up_id: int, until: dt.date) -> Changes:
    """Move a follow-up's due date to `until`, as one undoable operation."""
    from desk.core import records

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
