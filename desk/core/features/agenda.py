"""Today's agenda: what is overdue, due today, this week and later, for one person's desk.

Everything that asks for action by a date comes here: open follow-ups, agreements whose
renew-or-give-notice decision is due, visits about to start or under way, and partnership
anniversaries (round ones a year ahead, so a celebration can be planned), and
relationships going quiet (no contact for longer than their rhythm, see `quiet`). Each
item says what it belongs to and which record opens it, and carries a warning when its
partnership is suspended, dormant, lapsed or ended: renewing an MOU with a suspended
partner is a question for the mayor's office, not a routine reminder. Each item has a
type (follow-up, decision, visit, anniversary, going quiet) the agenda can be narrowed
to, and a detail that says what it is, when, for which records and what to do about it.
Qt-free: the window and `desk today` show the same agenda.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from desk.core.domain.dates import (
    in_year,
    last_day,
    month_year,
    partial_parts,
    stored_date,
)
from desk.core.domain.vocab import AGREEMENT_STATUSES, PARTNERSHIP_STATUSES
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
class ItemType:
    """A type of agenda item (an `Item.what`), as a row names it and a filter offers it."""

    key: str
    label: str  # "Follow-up"
    plural: str  # "Follow-ups"
    about: str  # what the filter lists
    none: str = ""  # what a section with none of them says, where "No follow-ups here." fails
    one: str = ""  # one of them in a sentence, where "a going quiet" fails

    @property
    def nothing(self) -> str:
        return self.none or f"No {self.plural.lower()} here."

    @property
    def a_one(self) -> str:
        """'a follow-up', 'an anniversary', 'a relationship going quiet'."""
        if self.one:
            return self.one
        noun = self.label.lower()
        return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


TYPES = (
    ItemType("follow_up", "Follow-up", "Follow-ups", "Open follow-ups, whatever they are for"),
    ItemType(
        "decision",
        "Decision",
        "Decisions",
        "Agreements whose renew-or-give-notice decision is due, and the follow-ups kept for them",
    ),
    ItemType("visit", "Visit", "Visits", "Visits about to start or under way"),
    ItemType(
        "anniversary",
        "Anniversary",
        "Anniversaries",
        "Partnership anniversaries: round ones a year ahead, others a month ahead",
    ),
    ItemType(
        "quiet",
        "Going quiet",
        "Going quiet",
        "Relationships with no contact for longer than their rhythm (a sister city every "
        "6 months, a network every 12, or what the partnership sets)",
        "No relationships going quiet here.",
        "a relationship going quiet",
    ),
)
_KEYS = tuple(t.key for t in TYPES)
_STOOD = "stood"  # tallied apart: follow-ups that stand for a due decision


def item_type(what: str) -> ItemType:
    for candidate in TYPES:
        if candidate.key == what:
            return candidate
    raise KeyError(what)


@dataclass(frozen=True)
class Item:
    what: str  # follow_up, decision, visit, anniversary, quiet
    title: str
    due: dt.date | None
    open_kind: str  # the record Enter opens: the item's parent where it has one
    open_id: int
    parent: str = ""  # "Visit: Mission to Matsue"; empty when the item is its own record
    when: str = ""  # "in 3 days", "2 weeks overdue", "under way, day 2 of 4"
    warning: str = ""
    follow_up_id: int | None = None  # can be ticked done or snoozed in place
    partnership_id: int | None = None  # whose standing may call for a warning
    agreement_id: int | None = None  # the agreement a follow-up is about
    # An item with no day of its own (an anniversary known only to its year or month)
    # is listed by the last day it can fall on, not after everything dated.
    around: dt.date | None = None
    # A follow-up kept for an agreement's due decision: that decision, in words
    # ("Expires April 4, 2027: renew or let it end"); it is told once, by the follow-up.
    decision: str = ""
    note: str = ""  # said in the item's detail: "A round anniversary: time to plan..."

    @property
    def type_label(self) -> str:
        return item_type(self.what).label

    def key(self) -> tuple[str, str, int, int | None]:
        """What tells this item from every other on the agenda, across reads."""
        return (self.what, self.open_kind, self.open_id, self.follow_up_id)


@dataclass
class Agenda:
    today: dt.date
    shown: int = SHOWN_PER_SECTION  # items listed per section
    only: str | None = None  # the one type listed (an ItemType key), or None for all
    # Follow-ups listed even past the first `shown` of their section (one just added).
    keep: frozenset[int] = frozenset()
    sections: dict[str, list[Item]] = field(default_factory=lambda: {s: [] for s in SECTIONS})
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTIONS, 0))
    # Per section, every type: what the headline says whatever is listed.
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTIONS, 0))
    # Per type, every section: what each filter would list.
    by_type: dict[str, int] = field(default_factory=dict)
    _tally: dict[str, dict[str, int]] = field(
        default_factory=lambda: {w: dict.fromkeys(SECTIONS, 0) for w in (*_KEYS, _STOOD)},
        repr=False,
    )
    _taken: dict[tuple[str, str], int] = field(default_factory=dict, repr=False)

    def lists(self, what: str) -> bool:
        """Whether items of this type are listed (all are counted)."""
        return self.only is None or self.only == what

    def count(self, what: str, section: str, number: int = 1) -> None:
        self._tally[what][section] += number

    def add(self, item: Item) -> None:
        """An item already counted (in SQL) into its section."""
        self.sections[section_of(item.due, self.today)].append(item)

    def offer(self, what: str, due: dt.date | None, make: Callable[[], Item | None]) -> None:
        """Count an item in its section, and build it only while its section can still
        show one more of its kind. Callers offer earliest first, so at 100,000 records
        the agenda builds the few hundred items it shows, not the thousands it counts."""
        section = section_of(due, self.today)
        self._tally[what][section] += 1
        if self.only is not None and self.only != what:
            return
        taken = self._taken.get((what, section), 0)
        if taken < self.shown:
            item = make()
            if item is not None:
                self._taken[(what, section)] = taken + 1
                self.sections[section].append(item)

    def _add_up(self) -> None:
        tally = self._tally.__getitem__
        for section in SECTIONS:
            self.totals[section] = sum(tally(key)[section] for key in _KEYS)
            if self.only is None:
                self.counts[section] = self.totals[section]
            else:
                stood = tally(_STOOD)[section] if self.only == "decision" else 0
                self.counts[section] = tally(self.only)[section] + stood
        self.by_type = {key: sum(tally(key).values()) for key in _KEYS}
        self.by_type["decision"] += sum(tally(_STOOD).values())

    def finish(self, db: Database | None = None) -> None:
        self._add_up()
        far = dt.date.max
        for items in self.sections.values():
            # What must be done comes before a relationship gone quiet, however long
            # ago it went quiet: a network never contacted since 2010 is no reason to
            # scroll past this week's overdue work.
            items.sort(
                key=lambda i: (
                    i.what == "quiet",
                    i.due or i.around or far,
                    i.what != "visit",
                    i.title.casefold(),
                )
            )
            # One just added stays listed even where it falls past the first few.
            items[:] = items[: self.shown] + [
                i for i in items[self.shown :] if i.follow_up_id in self.keep
            ]
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
        """'3 overdue, 1 today, 5 this week, 12 later': every type, whatever is listed."""
        return ", ".join(f"{self.totals[s]:,} {SECTION_TITLES[s].lower()}" for s in SECTIONS)


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


def build(
    db: Database,
    today: dt.date | None = None,
    shown: int = SHOWN_PER_SECTION,
    only: str | None = None,
    keep: Iterable[int] = (),
) -> Agenda:
    """The agenda as of `today`, each section counted whole and its first `shown` items
    listed: of every type, or `only` of one (an ItemType key). Every type is counted
    either way, for the filters to say what each would list. The follow-ups in `keep`
    are listed wherever they fall."""
    today = today or dt.date.today()
    if only is not None:
        item_type(only)  # a type that does not exist is a mistake, not an empty agenda
    agenda = Agenda(today, shown, only, frozenset(keep))
    # Follow-ups, decisions and visits are counted in SQL and only the first of each
    # section read: at 100,000 contacts the agenda reads the few hundred rows it shows.
    for section, number in _follow_up_counts(db, today).items():
        agenda.count("follow_up", section, number)
    for section, number in _follow_up_counts(db, today, _STANDING_FOR_DECISIONS).items():
        agenda.count(_STOOD, section, number)
    if agenda.lists("follow_up") or only == "decision":
        for item in _follow_ups(
            db,
            agenda,
            _STANDING_FOR_DECISIONS if only == "decision" else _OPEN_FOLLOW_UPS,
            agenda.keep if agenda.lists("follow_up") else frozenset(),
        ):
            agenda.add(item)
    for decision in _decisions(db, agenda):
        agenda.add(decision.item())
    _visits(db, agenda)
    _anniversaries(db, agenda)
    _going_quiet(db, agenda)
    agenda.finish(db)
    return agenda


def _first_of_each_section(
    db: Database,
    agenda: Agenda,
    what: str,
    select: tuple[str, ...],
    source: str,
    due: str,
    order: str,
) -> Iterator[list[Any]]:
    """Count the rows of `source` (FROM ... WHERE ...) in each section by their `due`
    expression as items of type `what`, and yield the first `agenda.shown` of each in
    `order` (the columns of `select`) when the agenda lists that type."""
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
        agenda.count(what, section, int(count))
        if count and agenda.lists(what):
            yield from db.rows_in_one_step(
                f"SELECT {', '.join(select)} {source} AND {condition} "
                f"ORDER BY {order} LIMIT {int(agenda.shown)}",
                days,
                len(select),
            )


def _when(due: dt.date | None, today: dt.date) -> str:
    return "no date set" if due is None else due_in((due - today).days)


def _troubled_partnerships(db: Database, ids: Iterable[int]) -> dict[int, str]:
    """Of these partnerships, those whose standing should make anyone pause before
    routine business: 'Partnership suspended since March 2, 2025'."""
    from desk.core.domain.dates import on_date, readable

    found = {}
    for pid, status, since in db.rows_in_one_step(
        "SELECT p.id, p.status, (SELECT max(changed_on) FROM partnership_status_changes s "
        "WHERE s.partnership_id = p.id AND s.status = p.status) FROM partnerships p "
        "WHERE p.id IN (SELECT value FROM json_each(?)) "
        f"AND p.status IN ({', '.join('?' for _ in TROUBLED)})",
        (json.dumps(sorted(ids)), *TROUBLED),
        3,
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


# Where open follow-ups are read from (FROM, then WHERE): all of them, or those that
# stand for a due decision, reached from the few agreements due (at 100,000 contacts,
# walking every open follow-up to test its agreement took ten times as long).
_OPEN_FOLLOW_UPS = ("FROM follow_ups f", "f.done_on IS NULL")


def _decision_due(a: str) -> str:
    """An agreement (by its alias) in force whose decision falls due within the horizon."""
    return (
        f"{a}.status IN ('signed', 'in_force') AND {a}.decision_deadline IS NOT NULL "
        f"AND {a}.expiry_date IS NOT NULL AND {a}.decision_deadline <= :h"
    )


# An open follow-up about an agreement whose decision is due stands for that decision.
_STANDING_FOR_DECISIONS = (
    "FROM agreements d CROSS JOIN follow_ups f INDEXED BY follow_ups_agreement "
    "ON f.agreement_id = d.id",
    f"f.done_on IS NULL AND {_decision_due('d')}",
)


def _follow_up_counts(
    db: Database, today: dt.date, source: tuple[str, str] = _OPEN_FOLLOW_UPS
) -> dict[str, int]:
    tables, where = source
    if source == _OPEN_FOLLOW_UPS:
        # Each section counted over its own range of the (done_on, due_date) index:
        # testing every open follow-up against each section took 21 ms of Today's
        # 45 at 100,000 contacts; the ranges take 3.
        sums = ", ".join(
            f"(SELECT count(*) {tables} WHERE {where} AND {cond})"
            for cond in _FOLLOW_UP_SECTIONS.values()
        )
        row = db.execute(f"SELECT {sums}", _days(today)).fetchone()
    else:
        sums = ", ".join(f"coalesce(sum({cond}), 0)" for cond in _FOLLOW_UP_SECTIONS.values())
        row = db.execute(f"SELECT {sums} {tables} WHERE {where}", _days(today)).fetchone()
    counts = {section: int(n) for section, n in zip(_FOLLOW_UP_SECTIONS, row, strict=True)}
    counts["later"] += counts.pop("undated")  # no date set: shown last under Later
    return counts


_FOLLOW_UP_COLUMNS = (
    "f.id",
    "f.title",
    "f.due_date",
    "f.visit_id",
    "v.title",
    "f.partnership_id",
    "p.partner_name",
    "f.agreement_id",
    "a.title",
    "a.partnership_id",
    "v.partnership_id",
    "trim(coalesce(c.given_name, '') || ' ' || coalesce(c.family_name, ''))",
    "a.status",
    "a.expiry_date",
)
_FOLLOW_UP_JOINS = (
    "LEFT JOIN visits v ON v.id = f.visit_id "
    "LEFT JOIN partnerships p ON p.id = f.partnership_id "
    "LEFT JOIN agreements a ON a.id = f.agreement_id "
    "LEFT JOIN contacts c ON c.id = f.contact_id "
)


def _follow_ups(
    db: Database,
    agenda: Agenda,
    source: tuple[str, str] = _OPEN_FOLLOW_UPS,
    keep: frozenset[int] = frozenset(),
) -> list[Item]:
    """The first open follow-ups of each section from `source`, and those in `keep`;
    each about an agreement whose decision is due carries that decision."""
    today, shown = agenda.today, agenda.shown
    rows: list[list[Any]] = []
    tables, where = source
    for section in _FOLLOW_UP_SECTIONS.values():
        # The first few ids in order (all open follow-ups in the order of the (done_on,
        # due_date) index, so SQLite reads, not sorts), then their rows joined.
        rows += db.rows_in_one_step(
            f"SELECT {', '.join(_FOLLOW_UP_COLUMNS)} FROM follow_ups f {_FOLLOW_UP_JOINS} "
            f"WHERE f.id IN (SELECT f.id {tables} WHERE {where} AND {section} "
            f"ORDER BY f.due_date LIMIT {int(shown)}) ORDER BY f.due_date, f.id",
            _days(today),
            len(_FOLLOW_UP_COLUMNS),
        )
    if keep:
        listed = {row[0] for row in rows}
        rows += [
            row
            for row in db.rows_in_one_step(
                f"SELECT {', '.join(_FOLLOW_UP_COLUMNS)} FROM follow_ups f {_FOLLOW_UP_JOINS} "
                "WHERE f.done_on IS NULL AND f.id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(keep)),),
                len(_FOLLOW_UP_COLUMNS),
            )
            if row[0] not in listed
        ]
    about = {row[7] for row in rows if row[7] is not None}
    decided = {d.agreement_id: d.action() for d in _decisions(db, agenda, about=about)}
    items = []
    for fid, title, due_text, visit_id, visit, partnership_id, partner, agreement_id, agreement, (
        agreement_partnership
    ), visit_partnership, contact, agreement_status, expiry in rows:
        decision = decided.get(agreement_id, "")
        if visit_id is not None:
            open_kind, open_id, parent = "visit", visit_id, f"Visit: {visit}"
        elif partnership_id is not None:
            open_kind, open_id, parent = "partnership", partnership_id, f"Partnership: {partner}"
        elif agreement_id is not None:
            open_kind, open_id, parent = "agreement", agreement_id, f"Agreement: {agreement}"
            if decision:
                # What the decision is about: "Expires April 4, 2027: renew or let it end".
                parent = f"{parent} · {decision}"
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
                agreement_id=agreement_id,
                decision=decision,
                warning=_agreement_over(agreement_status, expiry),
            )
        )
    return items


def _agreement_over(status: str | None, expiry: str | None) -> str:
    """'Agreement expired October 14, 2026': a follow-up about an agreement no longer in
    force (a renewal decision that was never made) says so, since it is no decision the
    agenda still counts."""
    if status not in ("expired", "terminated"):
        return ""
    from desk.core.domain.dates import on_date

    said = AGREEMENT_STATUSES.get(status, status).lower()
    return (
        f"Agreement {said} {on_date(expiry)}"
        if status == "expired" and expiry
        else (f"Agreement {said}")
    )


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
    "a.id",
    "a.title",
    "a.decision_deadline",
    "a.expiry_date",
    "a.auto_renew",
    "a.partnership_id",
    "(SELECT partner_name FROM partnerships WHERE id = a.partnership_id)",
)
_DECISIONS_DUE = f"FROM agreements a WHERE {_decision_due('a')}"


def _decisions(db: Database, agenda: Agenda, about: set[int] | None = None) -> list[_Decision]:
    """Decisions due within the horizon: those not already stood for by an open
    follow-up, counted into the agenda; or, given `about`, those of these agreements."""
    if about is None:
        rows: Iterable[list[Any]] = _first_of_each_section(
            db,
            agenda,
            "decision",
            _DECISION_COLUMNS,
            # A follow-up about an agreement is that agreement's decision, told once.
            f"{_DECISIONS_DUE} AND NOT EXISTS (SELECT 1 FROM follow_ups f "
            "WHERE f.agreement_id = a.id AND f.done_on IS NULL)",
            "a.decision_deadline",
            "a.decision_deadline, a.title",
        )
    elif about:
        rows = db.rows_in_one_step(
            f"SELECT {', '.join(_DECISION_COLUMNS)} {_DECISIONS_DUE} "
            "AND a.id IN (SELECT value FROM json_each(:about))",
            {**_days(agenda.today), "about": json.dumps(sorted(about))},
            len(_DECISION_COLUMNS),
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
        "visit",
        (
            "v.id",
            "v.title",
            "v.start_date",
            "v.end_date",
            "v.direction",
            "v.partnership_id",
            "(SELECT partner_name FROM partnerships WHERE id = v.partnership_id)",
        ),
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
    round year's distance, or on a day within the month), and hands them over as one
    row; their days are worked out as text, and only the names of those listed are
    read. At 7,000 partners some 1,500 qualify: read row by row, on the thread that
    reads Today ahead while the window starts, each row waited on the window's turn."""
    today = agenda.today
    # Founded a round number of years before this year, with the day still to come, or
    # before next year, with the day already past this year: within the year's notice.
    this_year = sorted({today.year - r for r in ROUND_YEARS if r <= today.year})
    next_year = sorted({today.year + 1 - r for r in ROUND_YEARS if r <= today.year + 1})
    soon = sorted(
        {(today + dt.timedelta(days=n)).strftime("%m-%d") for n in range(PLAIN_NOTICE_DAYS + 1)}
        | ({"02-29"} if _spans_leap_day(today) else set())
    )
    (found,) = db.execute(
        "SELECT json_group_array(json_array(id, established_date)) FROM partnerships "
        "WHERE length(established_date) = 10 AND status IN ('active', 'friendship') "
        "AND ((CAST(substr(established_date, 1, 4) AS INTEGER) IN "
        "(SELECT value FROM json_each(:this_year)) AND substr(established_date, 6, 5) >= :md) "
        "OR (CAST(substr(established_date, 1, 4) AS INTEGER) IN "
        "(SELECT value FROM json_each(:next_year)) AND substr(established_date, 6, 5) <= :md) "
        "OR substr(established_date, 6, 5) IN (SELECT value FROM json_each(:soon))) "
        # A day the calendar does not have is no founding.
        "AND date(established_date) = established_date",
        {
            "this_year": json.dumps(this_year),
            "next_year": json.dumps(next_year),
            "md": today.strftime("%m-%d"),
            "soon": json.dumps(soon),
        },
    ).fetchone()
    # Days as text ('2027-02-28') compare as days do.
    now, week = today.isoformat(), (today + dt.timedelta(days=7)).isoformat()
    round_ahead = (today + dt.timedelta(days=ROUND_NOTICE_DAYS)).isoformat()
    plain_ahead = (today + dt.timedelta(days=PLAIN_NOTICE_DAYS)).isoformat()
    leap_day = {year: _leap_day(year) for year in (today.year, today.year + 1)}
    coming = []
    for pid, established in json.loads(found):
        md = established[5:]
        day = f"{today.year:04d}-{leap_day[today.year] if md == '02-29' else md}"
        if day < now:
            day = f"{today.year + 1:04d}-{leap_day[today.year + 1] if md == '02-29' else md}"
        years = int(day[:4]) - int(established[:4])
        if years > 0 and day <= (round_ahead if years in ROUND_YEARS else plain_ahead):
            coming.append((day, pid, years, int(established[:4])))
    coming.sort()
    sections: dict[str, list[tuple[str, int, int, int]]] = {"today": [], "week": [], "later": []}
    for entry in coming:  # none is before today
        day = entry[0]
        sections["today" if day == now else "week" if day <= week else "later"].append(entry)
    listed: list[tuple[str, int, int, int]] = []
    for section, entries in sections.items():
        agenda.count("anniversary", section, len(entries))
        if agenda.lists("anniversary"):
            listed += entries[: agenda.shown]
    names = {
        pid: name
        for pid, name in db.rows_in_one_step(
            "SELECT id, partner_name FROM partnerships WHERE id IN "
            "(SELECT value FROM json_each(?))",
            (json.dumps([pid for _day, pid, _years, _since in listed]),),
            2,
        )
    }
    for day, pid, years, since in listed:
        title = f"{names.get(pid, '')}: {counted(years, 'year')} since {since}"
        note = "A round anniversary: time to plan how to mark it" if years in ROUND_YEARS else ""
        agenda.add(
            Item(
                "anniversary",
                title,
                dt.date.fromisoformat(day),
                "partnership",
                pid,
                f"Partnership: {names.get(pid, '')}",
                note=note,
            )
        )
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
                f"Partnership: {name}",
                when=f"in {when}",
                around=around,
                note=note,
            )

        agenda.offer("anniversary", None, make)


def _going_quiet(db: Database, agenda: Agenda) -> None:
    """Partnerships whose rhythm ran out with no contact (see `quiet`), each due the day
    it ran out: counted whole, and the first of them listed, from one read."""
    from desk.core.features import quiet

    listed = agenda.shown if agenda.lists("quiet") else 0
    count, found = quiet.going_quiet(db, agenda.today, listed)
    agenda.count("quiet", "overdue", count)  # each ran out before today
    for silence in found:
        agenda.add(
            Item(
                "quiet",
                silence.title(agenda.today),
                silence.due,
                "partnership",
                silence.partnership_id,
                f"Partnership: {silence.partner}",  # its rhythm is in the item's detail
                partnership_id=silence.partnership_id,
            )
        )


def _leap_day(year: int) -> str:
    """Where 29 February comes round in `year`, as `anniversary_day` has it: on the
    28th in a common year. (The calendar module would cost the window's start 2 ms.)"""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return "02-29" if leap else "02-28"


def _month_after(today: dt.date) -> tuple[int, int]:
    return (today.year + today.month // 12, today.month % 12 + 1)


def _spans_leap_day(today: dt.date) -> bool:
    """Whether the coming month holds 28 February, where a 29 February founding is
    marked in common years."""
    return any(
        (today + dt.timedelta(days=n)).strftime("%m-%d") in ("02-28", "02-29")
        for n in range(PLAIN_NOTICE_DAYS + 1)
    )


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
    """The usual ways to put something off: tomorrow, next Monday, in a week, a month.
    On a Sunday, tomorrow is Monday: 'next Monday' is then the one after, so each choice
    is a day of its own."""
    monday = today + dt.timedelta(days=7 - today.weekday())
    if monday == today + dt.timedelta(days=1):
        monday += dt.timedelta(days=7)
    return [
        ("Tomorrow", today + dt.timedelta(days=1)),
        ("Next Monday", monday),
        ("In a week", today + dt.timedelta(days=7)),
        ("In a month", today + dt.timedelta(days=30)),
    ]


# -- one item, in full ------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """One line of an item's detail: 'Visit: Mission to Kobe', with the record it names
    when there is one to open."""

    label: str
    text: str
    opens: tuple[str, int] | None = None


@dataclass(frozen=True)
class Detail:
    """What an item is, when, for which records, and what to do about it."""

    type_label: str  # "Follow-up"
    title: str
    when: str  # "Friday, December 11, 2026 (in 6 days)"
    facts: tuple[Fact, ...]
    notes: str = ""
    warning: str = ""
    # For an item that is not ticked off on Today: why, and where it is dealt with.
    next_step: str = ""


def next_step(item: Item) -> str:
    """What settles an item that is not a follow-up (empty for a follow-up): what the
    window says when asked to mark one done, and what its detail ends with."""
    if item.what == "decision":
        return (
            "A decision is recorded on its agreement: open it (Enter) to record it "
            "renewed, or the notice given. A follow-up (Ctrl+N) can prepare it."
        )
    if item.what == "visit":
        return (
            "A visit leaves Today once its last day has passed: open it (Enter) for its "
            "program, delegation and briefing packet."
        )
    if item.what == "anniversary":
        return (
            "An anniversary leaves Today once its day has passed. A follow-up (Ctrl+N) "
            "can plan how to mark it."
        )
    if item.what == "quiet":
        return (
            "A relationship leaves Today once a contact is recorded: log a call, meeting or "
            "letter as an interaction on the partnership (open it, Enter), or change how "
            "often it should hear from us (its Keep in touch field). A follow-up (Ctrl+N) "
            "can plan the next contact."
        )
    return ""


def _due_words(item: Item, today: dt.date) -> str:
    from desk.core.domain.dates import long_date

    if item.due is None:
        return item.when or "No date set"
    relative = item.when or _when(item.due, today)
    return f"{long_date(item.due)} ({relative})"


def detail(db: Database, item: Item, today: dt.date | None = None) -> Detail:
    """An item in full, read afresh: a follow-up's records and notes, a decision's
    dates and terms, a visit's direction and days, an anniversary's founding."""
    from desk.core.domain.dates import month_day_year, readable
    from desk.core.domain.kinds import KINDS
    from desk.core.store.rows import title_of

    today = today or dt.date.today()
    facts: list[Fact] = []
    notes = ""

    def record(kind: str, record_id: int | None, label: str | None = None) -> None:
        if record_id is not None:
            title = title_of(db, kind, record_id)
            if title:
                facts.append(Fact(label or KINDS[kind].label, title, (kind, record_id)))

    if item.follow_up_id is not None:
        spec = KINDS["follow_up"]
        links = [f for f in spec.fields if f.ref]
        row = db.execute(
            f"SELECT notes, {', '.join(f.name for f in links)} FROM {spec.table} WHERE id = ?",
            (item.follow_up_id,),
        ).fetchone()
        if row is not None:
            notes = row[0] or ""
            for link, value in zip(links, row[1:], strict=True):
                record(link.ref or "", value, link.label)
        if item.decision:
            facts.append(Fact("Decision", item.decision))
    elif item.what == "decision":
        row = db.execute(
            "SELECT partnership_id, decision_deadline, expiry_date, notice_days, auto_renew "
            "FROM agreements WHERE id = ?",
            (item.open_id,),
        ).fetchone()
        record("agreement", item.open_id)
        if row is not None:
            partnership, deadline, expiry, notice, auto_renew = row
            record("partnership", partnership)
            facts.append(Fact("Decide by", readable(deadline)))
            facts.append(Fact("Expires", readable(expiry)))
            if notice:
                facts.append(Fact("Notice", f"{counted(int(notice), 'day')} before it expires"))
            facts.append(Fact("Renews by itself", "Yes" if auto_renew else "No"))
    elif item.what == "visit":
        row = db.execute(
            "SELECT direction, start_date, end_date, status, partnership_id, "
            "(SELECT count(*) FROM follow_ups WHERE visit_id = v.id AND done_on IS NULL) "
            "FROM visits v WHERE id = ?",
            (item.open_id,),
        ).fetchone()
        record("visit", item.open_id)
        if row is not None:
            from desk.core.domain.vocab import VISIT_DIRECTIONS, VISIT_STATUSES

            direction, start, end, status, partnership, open_follow_ups = row
            if direction:
                facts.append(Fact("Direction", VISIT_DIRECTIONS.get(direction, direction)))
            days = readable(start) if not end or end == start else f"{readable(start)} to "
            if end and end != start:
                days += readable(end)
            facts.append(Fact("Dates", days))
            if status:
                facts.append(Fact("Status", VISIT_STATUSES.get(status, status)))
            record("partnership", partnership)
            if open_follow_ups:
                facts.append(Fact("Follow-ups", f"{open_follow_ups:,} open"))
    elif item.what == "anniversary":
        row = db.execute(
            "SELECT established_date FROM partnerships WHERE id = ?", (item.open_id,)
        ).fetchone()
        record("partnership", item.open_id)
        if row is not None and row[0]:
            facts.append(Fact("Founded", readable(row[0])))
        if item.note:
            facts.append(Fact("Note", item.note))
    elif item.what == "quiet":
        from desk.core.domain.words import ago
        from desk.core.features import quiet

        record("partnership", item.open_id)
        silence = quiet.of_partnership(db, item.open_id, today)
        contact = quiet.last_contact(db, item.open_id, today)
        if contact is not None:
            when = f"{month_day_year(contact.on)} ({ago((today - contact.on).days)})"
            facts.append(Fact("Last contact", f"{contact.what}, {when}", contact.opens))
        elif silence is not None:
            facts.append(Fact("Last contact", f"None recorded since {silence.beginning()}"))
        if silence is not None:
            facts.append(Fact("Keep in touch", silence.rhythm_words().capitalize()))
            facts.append(Fact("Contact was due", month_day_year(silence.due)))
    return Detail(
        item.type_label,
        item.title,
        _due_words(item, today),
        tuple(facts),
        notes,
        item.warning,
        next_step(item),
    )


def capture(
    db: Database, title: str, due: dt.date | None, about: tuple[str, int] | None = None
) -> Changes:
    """A new follow-up, due on `due` (or undated), for the record `about` (a visit,
    partnership, agreement or contact) or on its own, as one undoable operation."""
    from desk.core.domain.kinds import KINDS
    from desk.core.store import records

    values: dict[str, Any] = {"title": title, "due_date": due.isoformat() if due else None}
    if about is not None:
        kind, record_id = about
        link = next((f for f in KINDS["follow_up"].fields if f.ref == kind), None)
        if link is None:
            raise ValueError(f"A follow-up cannot be for a {KINDS[kind].label.lower()}.")
        values[link.name] = record_id
    return records.create(db, "follow_up", values)


def capture_targets(db: Database, item: Item | None) -> list[Fact]:
    """The records a follow-up made beside this item can be for: the record the item
    opens, then its partnership (each a Fact naming it, as 'Visit: Mission to Kobe')."""
    from desk.core.domain.kinds import KINDS
    from desk.core.store.rows import title_of

    if item is None:
        return []
    takes = {f.ref for f in KINDS["follow_up"].fields if f.ref}
    found: list[Fact] = []
    for kind, record_id in ((item.open_kind, item.open_id), ("partnership", item.partnership_id)):
        if record_id is None or kind not in takes:
            continue
        if any(fact.opens == (kind, record_id) for fact in found):
            continue
        title = title_of(db, kind, record_id)
        if title:
            found.append(Fact(KINDS[kind].label, title, (kind, record_id)))
    return found
