"""What an agreement's renewal memo says, read from the records in one pass.

Qt-free and reportlab-free: `document.py` lays it out on one page. Everything is read as
of the memo's day (`today`): the dates that bind and where the decision stands, the
activity with the partner since the agreement was signed (visits that took place both
ways, interactions, outcomes, what the visits cost in U.S. dollars), the last contact,
the commitments still open and the policy flags on the agreement and its partnership.

Activity runs from the signing (or, with no signing recorded, from the day it took
effect; with neither, everything recorded counts) to `today`. Outcomes are the
agreement's own, those of the visits counted, and the partnership's own figures for the
years from the signing's on (a figure with no year cannot be placed after the signing).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from desk.core.domain.dates import add_months, first_day, stored_date
from desk.core.domain.vocab import MONEY_MEASURES, OUTCOME_MEASURES
from desk.core.features import policy, story
from desk.core.features.costs import Costs, of_visits, together
from desk.core.store import records
from desk.core.store.db import Database
from desk.reports.figures import HELD, Total

Row = dict[str, Any]

# Read at most this many of the rows a page can list; the memo may show fewer, and says
# how many more desk holds.
MOST_INTERACTIONS = 12
MOST_COMMITMENTS = 12

# A sentence of the agreement's notes that recommends is the office's own word, and the
# memo quotes it; without one the memo sets out the facts and leaves the choice open.
_RECOMMENDS = re.compile(r"\brecommend", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class Terms:
    """The dates that bind an agreement, and where its decision stands on `today`."""

    today: dt.date
    signed: str | None  # stored: a day, or a year or month alone
    effective: str | None
    term_months: int | None
    expires: dt.date | None
    auto_renew: bool
    renewal_months: int | None
    notice_days: int | None
    buffer_days: int
    deadline: dt.date | None  # the decision deadline: expiry less notice less buffer

    @property
    def notice_by(self) -> dt.date | None:
        """The last day notice can reach the partner, by the agreement's notice period."""
        if self.expires is None or self.notice_days is None:
            return None
        return self.expires - dt.timedelta(days=self.notice_days)

    @property
    def next_term_months(self) -> int | None:
        """How long a renewal runs: its renewal term, else the first term again."""
        return self.renewal_months or self.term_months

    @property
    def renewed_to(self) -> dt.date | None:
        """Where one renewal would take it."""
        months = self.next_term_months
        if self.expires is None or not months:
            return None
        return add_months(self.expires, months)

    @property
    def stage(self) -> str:
        """'open' (no expiry: nothing to decide by a date), 'ahead' (the deadline is to
        come), 'late' (the deadline has passed; notice can still be given), 'closing'
        (even the notice date has passed; not yet expired), 'past' (expired)."""
        if self.expires is None:
            return "open"
        if self.expires < self.today:
            return "past"
        if self.deadline is not None and self.today <= self.deadline:
            return "ahead"
        last_notice = self.notice_by or self.expires
        return "late" if self.today <= last_notice else "closing"


@dataclass
class Memo:
    agreement: Row
    terms: Terms
    city: Row
    today: dt.date
    partnership: Row | None = None
    standing: story.Standing | None = None  # the partnership's
    since: str | None = None  # stored date the activity counts from
    since_what: str = ""  # "was signed", "took effect", or "" when nothing dates it
    visits: list[Row] = field(default_factory=list)  # took place since, newest first
    costs: dict[int, Costs] = field(default_factory=dict)  # by visit id, where it has any
    interactions: list[Row] = field(default_factory=list)  # newest first
    interaction_count: int = 0
    outcomes: list[Row] = field(default_factory=list)
    last_contact: Row | None = None  # day, what, how
    commitments: list[Row] = field(default_factory=list)  # most pressing first
    commitment_count: int = 0
    overdue_count: int = 0
    flags: list[policy.Flag] = field(default_factory=list)
    recommendation: str = ""  # the sentences of the agreement's notes that recommend

    @property
    def incoming(self) -> int:
        return sum(1 for v in self.visits if v.get("direction") == "incoming")

    @property
    def outgoing(self) -> int:
        return sum(1 for v in self.visits if v.get("direction") == "outgoing")

    @property
    def spent(self) -> Costs:
        """The costs of every visit counted, as one set."""
        return together(self.costs[v["id"]] for v in self.visits if v["id"] in self.costs)

    @property
    def totals(self) -> list[Total]:
        """Each measure added up, in the vocabulary's order: money in each currency apart."""
        found: dict[str, Total] = {}
        for o in self.outcomes:
            total = found.setdefault(o["measure"], Total(o["measure"]))
            total.figures += 1
            total.estimated = total.estimated or bool(o.get("estimate"))
            if o["measure"] in MONEY_MEASURES or o.get("value_minor") is not None:
                if o.get("value_minor") is not None and o.get("currency"):
                    code = str(o["currency"]).upper()
                    total.money[code] = total.money.get(code, 0) + int(o["value_minor"])
            else:
                total.count += int(o.get("amount") or 0)
        order = list(OUTCOME_MEASURES)
        return sorted(
            found.values(), key=lambda t: order.index(t.measure) if t.measure in order else 99
        )


def gather(db: Database, agreement: int | str, today: dt.date | None = None) -> Memo:
    aid = records.resolve_id(db, "agreement", agreement)
    today = today or dt.date.today()
    a = records.get(db, "agreement", aid)
    city = next(iter(db.query("SELECT * FROM city_profile ORDER BY id LIMIT 1")), {})
    memo = Memo(a, _terms(a, today), city, today)
    pid = a.get("partnership_id")
    if pid is not None:
        memo.partnership = records.get(db, "partnership", pid)
        memo.standing = story.standing(db, pid, today)
    memo.since, memo.since_what = _since(a)
    now = today.isoformat()
    # The day activity counts from; '' lets every dated record through.
    start = first_day(memo.since).isoformat() if memo.since else ""
    of_it = {"a": aid, "p": pid, "t": now, "s": start}
    if pid is not None:
        memo.visits = list(
            db.query(
                "SELECT id, title, direction, status, start_date, end_date FROM visits "
                f"WHERE partnership_id = :p AND {HELD} AND start_date <= :t "
                "AND start_date >= :s ORDER BY start_date DESC, id DESC",
                of_it,
            )
        )
        memo.costs = of_visits(db, [v["id"] for v in memo.visits])
        memo.interactions = list(
            db.query(
                "SELECT id, occurred_on, kind, subject FROM interactions "
                "WHERE partnership_id = :p AND occurred_on <= :t AND occurred_on >= :s "
                "ORDER BY occurred_on DESC, id DESC LIMIT :n",
                {**of_it, "n": MOST_INTERACTIONS},
            )
        )
        (memo.interaction_count,) = db.execute(
            "SELECT count(*) FROM interactions WHERE partnership_id = :p "
            "AND occurred_on <= :t AND occurred_on >= :s",
            of_it,
        ).fetchone()
        memo.last_contact = _last_contact(db, of_it)
    memo.outcomes = _outcomes(db, of_it, memo)
    _commitments(db, memo, of_it)
    memo.flags = policy.flags_for(db, "agreement", aid, today=today)
    if pid is not None:
        memo.flags += policy.flags_for(db, "partnership", pid, today=today)
    memo.recommendation = recommendation(a.get("notes"))
    return memo


def _terms(a: Row, today: dt.date) -> Terms:
    def whole(name: str) -> int | None:
        value = a.get(name)
        return int(value) if value is not None else None

    return Terms(
        today=today,
        signed=a.get("signed_date"),
        effective=a.get("effective_date"),
        term_months=whole("term_months"),
        expires=stored_date(a.get("expiry_date")),
        auto_renew=bool(a.get("auto_renew")),
        renewal_months=whole("renewal_term_months"),
        notice_days=whole("notice_days"),
        buffer_days=whole("buffer_days") or 0,
        deadline=stored_date(a.get("decision_deadline")),
    )


def _since(a: Row) -> tuple[str | None, str]:
    """The stored date activity counts from, and what happened that day."""
    for name, what in (("signed_date", "was signed"), ("effective_date", "took effect")):
        value = a.get(name)
        if value:
            try:
                first_day(value)
            except ValueError:
                continue  # a value from before dates were checked: not a day to count from
            return value, what
    return None, ""


def _last_contact(db: Database, of_it: dict[str, Any]) -> Row | None:
    """A meeting noted, or a visit that took place, whichever was later (at any time:
    the last contact need not be since the signing)."""
    row = db.execute(
        "SELECT day, what, how FROM ("
        "SELECT occurred_on AS day, subject AS what, kind AS how, id AS n FROM interactions "
        "WHERE partnership_id = :p AND occurred_on <= :t "
        "UNION ALL SELECT coalesce(end_date, start_date), title, 'visit:' || direction, id "
        f"FROM visits WHERE partnership_id = :p AND {HELD} "
        "AND coalesce(end_date, start_date) <= :t) ORDER BY day DESC, n DESC LIMIT 1",
        of_it,
    ).fetchone()
    return None if row is None else {"day": row[0], "what": row[1], "how": row[2]}


def _outcomes(db: Database, of_it: dict[str, Any], memo: Memo) -> list[Row]:
    year = int(of_it["s"][:4]) if of_it["s"] else None
    return list(
        db.query(
            "SELECT o.*, v.title AS visit FROM outcomes o "
            "LEFT JOIN visits v ON v.id = o.visit_id "
            "WHERE o.id IN (SELECT id FROM outcomes WHERE agreement_id = :a "
            "UNION SELECT id FROM outcomes WHERE visit_id IN (SELECT value FROM json_each(:v)) "
            "UNION SELECT id FROM outcomes WHERE partnership_id = :p "
            "AND year <= :y_now AND (:y IS NULL OR year >= :y)) "
            "ORDER BY o.year IS NULL, o.year, o.measure, o.id",
            {
                **of_it,
                "v": json.dumps([v["id"] for v in memo.visits]),
                "y": year,
                "y_now": memo.today.year,
            },
        )
    )


def _commitments(db: Database, memo: Memo, of_it: dict[str, Any]) -> None:
    """Open follow-ups of the agreement and of its partnership itself (a visit's own, its
    preparation mostly, are the visit's business): the most pressing first (by due date,
    so the overdue lead, undated last)."""
    where = (
        "+f.done_on IS NULL AND f.id IN (SELECT id FROM follow_ups WHERE agreement_id = :a "
        "UNION SELECT id FROM follow_ups WHERE partnership_id = :p)"
    )
    memo.commitments = list(
        db.query(
            "SELECT f.id, f.title, f.due_date, f.agreement_id, f.visit_id, f.partnership_id, "
            "v.title AS visit, a.title AS agreement FROM follow_ups f "
            "LEFT JOIN visits v ON v.id = f.visit_id "
            "LEFT JOIN agreements a ON a.id = f.agreement_id "
            f"WHERE {where} ORDER BY f.due_date IS NULL, f.due_date, f.id LIMIT :n",
            {**of_it, "n": MOST_COMMITMENTS},
        )
    )
    count, overdue = db.execute(
        f"SELECT count(*), coalesce(sum(f.due_date < :t), 0) FROM follow_ups f WHERE {where}",
        of_it,
    ).fetchone()
    memo.commitment_count, memo.overdue_count = int(count), int(overdue)


def recommendation(notes: str | None) -> str:
    """The sentences of an agreement's notes that recommend a course, as written."""
    if not notes:
        return ""
    sentences = [s.strip() for s in _SENTENCE_END.split(notes) if s and s.strip()]
    return " ".join(s for s in sentences if _RECOMMENDS.search(s))
