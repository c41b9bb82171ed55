"""Relationships that go quiet: how often each partnership should hear from us (its
rhythm), when it last did, and which have gone longer than that.

A contact is an interaction logged on the partnership or on one of its visits (a call, a
meeting, a letter or mail sent), or a visit of the partnership that was completed or is
under way; the latest one on or before the day asked about counts. A visit being
prepared with the partner (requested, accepted or confirmed, within the year) keeps a
relationship from going quiet. Qt-free: Today's
agenda warns of those gone quiet, the dashboard lists every relationship by how long it
has been quiet, and both read the same answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from desk.core.domain.dates import (
    add_months,
    is_partial,
    last_day,
    last_day_sql,
    month_year,
    readable,
    stored_date,
)
from desk.core.domain.vocab import PARTNERSHIP_KINDS, PARTNERSHIP_STATUSES
from desk.core.domain.words import counted
from desk.core.store.db import Database

# The usual rhythm, in months, when a partnership sets none of its own (its "Keep in
# touch every" field). The status speaks first: a proposal goes cold within a season, and
# a dormant tie is kept warm once a year. A suspended, lapsed or ended partnership is
# quiet on purpose and is never chased, whatever rhythm it once set: None.
BY_STATUS: dict[str, int | None] = {
    "proposed": 3,
    "dormant": 12,
    "suspended": None,
    "lapsed": None,
    "ended": None,
}
# A partnership in force (friendship or active) by its kind: a sister or friendship city
# and a sector partnership expect to hear from us twice a year; a network membership
# runs on the network's yearly cycle of meetings, and an "other" tie is a looser one.
BY_KIND: dict[str, int] = {
    "sister_city": 6,
    "friendship_city": 6,
    "sector_partnership": 6,
    "network_membership": 12,
    "other": 12,
}
OTHERWISE = 12  # a kind the vocabulary does not know (an old file's): the loosest rhythm
NOT_CHASED = tuple(status for status, months in BY_STATUS.items() if months is None)
LONGEST = 120  # the longest rhythm a partnership can set (its field's maximum)


def rhythm(kind: str | None, status: str | None, own: int | None = None) -> int | None:
    """Months between contacts for a partnership of this kind and status, or its `own`
    rhythm where it sets one; None when it is not chased at all."""
    if status in NOT_CHASED:
        return None
    if own and 1 <= own <= LONGEST:
        return int(own)
    if status in BY_STATUS:
        return BY_STATUS[status]
    return BY_KIND.get(kind or "", OTHERWISE)


def rhythm_words(kind: str | None, status: str | None, own: int | None = None) -> str:
    """'every 6 months (the usual for a sister city)', 'every 12 months (the usual while
    dormant)', 'every 4 months (set on the partnership)', 'not chased while suspended'."""
    months = rhythm(kind, status, own)
    status_label = PARTNERSHIP_STATUSES.get(status or "", status or "").lower()
    if months is None:
        return f"not chased while {status_label}"
    every = "every month" if months == 1 else f"every {counted(months, 'month')}"
    if own and 1 <= own <= LONGEST:
        return f"{every} (set on the partnership)"
    if status in BY_STATUS:
        return f"{every} (the usual while {status_label})"
    # In force (friendship or active), the kind alone decides.
    kind_label = PARTNERSHIP_KINDS.get(kind or "", kind or "partnership").lower()
    article = "an" if kind_label[:1] in "aeiou" else "a"
    return f"{every} (the usual for {article} {kind_label})"


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def cutoff(today: dt.date, months: int) -> dt.date:
    """The first day a clock can start on and not have run `months` out by `today`: one
    started earlier has (its day `months` on falls before today)."""
    try:
        day = add_months(today, -months)
    except ValueError:
        return dt.date.min  # before the first day there is: nothing has run out
    one = dt.timedelta(days=1)
    while day > dt.date.min and _ends(day - one, months) >= today:
        day -= one
    while _ends(day, months) < today:
        day += one
    return day


def _ends(since: dt.date, months: int) -> dt.date:
    try:
        return add_months(since, months)
    except ValueError:
        return dt.date.max


# The last contact of every partnership that has one, on or before :t, in one grouped
# read of indexed columns: interactions by their partnership (or by their visit's, for
# one logged on a visit alone), and visits completed or under way from the index Today
# already reads visits by (`visits_agenda`, which holds every column asked for here).
LAST_CONTACTS = (
    "SELECT pid, max(day) AS day FROM ("
    "SELECT partnership_id AS pid, max(occurred_on) AS day FROM interactions "
    "WHERE partnership_id IS NOT NULL AND occurred_on <= :t GROUP BY partnership_id "
    "UNION ALL SELECT v.partnership_id, max(i.occurred_on) FROM interactions i "
    "JOIN visits v ON v.id = i.visit_id WHERE i.partnership_id IS NULL "
    "AND i.occurred_on <= :t GROUP BY v.partnership_id "
    "UNION ALL SELECT partnership_id, max(coalesce(end_date, start_date)) "
    "FROM visits INDEXED BY visits_agenda WHERE coalesce(end_date, start_date) <= :t "
    "AND status = 'completed' GROUP BY partnership_id "
    # Under way (or marked completed before its last day): in touch today.
    "UNION ALL SELECT partnership_id, :t FROM visits INDEXED BY visits_agenda "
    "WHERE coalesce(end_date, start_date) >= :t AND start_date <= :t "
    "AND status NOT IN ('cancelled', 'declined')"
    ") WHERE pid IS NOT NULL GROUP BY pid"
)

# Every rhythm a partnership can have, the usual ones first: SQLite tries a CASE's
# branches in order.
_RHYTHMS = tuple(
    dict.fromkeys(
        m for m in (*BY_KIND.values(), *BY_STATUS.values(), OTHERWISE, *range(1, LONGEST + 1)) if m
    )
)


def _rhythm_sql() -> str:
    """SQL for `rhythm` of the partnership aliased `p`, written from the tables above."""
    by_status = " ".join(
        f"WHEN '{status}' THEN {m}" for status, m in BY_STATUS.items() if m is not None
    )
    by_kind = " ".join(f"WHEN '{kind}' THEN {m}" for kind, m in BY_KIND.items())
    return (
        f"CASE WHEN p.status IN ({_quoted(NOT_CHASED)}) THEN NULL "
        f"WHEN p.contact_every_months BETWEEN 1 AND {LONGEST} THEN p.contact_every_months "
        f"ELSE CASE p.status {by_status} "
        f"ELSE CASE p.kind {by_kind} ELSE {OTHERWISE} END END END"
    )


def _judged(today: dt.date) -> tuple[str, dict[str, str]]:
    """SQL (a WITH clause) naming `judged`: every chased partnership (`id`) with its last
    contact (`last`), the day it began (`began`: its founding, the last day a founding
    known only to its year or month can mean, so none is chased early; else the day it
    was entered), `since` (the later of the two, where its clock runs from: one founded
    last month has not gone quiet, whatever came before), `quiet` (its rhythm ran out
    before `today`) and `due_key` (sorts by the day it ran out); with its parameters.

    Days are text that sorts ('1961-06' reads as '1961-06-31'), and the first day each
    rhythm has not run out from is worked out here, once per rhythm: SQLite's date
    functions, once per partnership, cost more than the rest of the reading."""
    founded = last_day_sql("p.established_date")
    began = f"coalesce({founded}, substr(p.created_at, 1, 10))"
    # With no founding date, the day it was entered counts only while no contact is
    # recorded: a partnership entered today with a contact last July went quiet in
    # July, whenever the office got round to typing it in.
    since = (
        f"CASE WHEN {founded} IS NULL THEN coalesce(l.day, {began}) "
        f"ELSE max(coalesce(l.day, ''), {began}) END"
    )
    cutoffs = " ".join(f"WHEN {m} THEN :c{m}" for m in _RHYTHMS)
    sql = (
        f"WITH last(pid, day) AS ({LAST_CONTACTS}), "
        "judged AS ("
        f"SELECT id, last, began, since, since < CASE every {cutoffs} END "
        # A visit being prepared with the partner (requested, accepted or confirmed,
        # starting within the year) is a relationship at work, however long since the
        # last call was logged; one only planned on our side is not.
        "AND id NOT IN (SELECT partnership_id FROM visits INDEXED BY visits_agenda "
        "WHERE coalesce(end_date, start_date) >= :t AND start_date <= :ahead "
        "AND status IN ('requested', 'under_review', 'accepted', 'confirmed') "
        "AND partnership_id IS NOT NULL) "
        "AS quiet, "
        # (months from year 0 + rhythm) * 32 + day: the day the rhythm runs out, in order.
        "(CAST(substr(since, 1, 4) AS INTEGER) * 12 + CAST(substr(since, 6, 2) AS INTEGER) "
        "+ every) * 32 + CAST(substr(since, 9, 2) AS INTEGER) AS due_key FROM ("
        f"SELECT id, last, began, since, every FROM ("
        f"SELECT p.id AS id, l.day AS last, {began} AS began, {since} AS since, "
        f"{_rhythm_sql()} AS every "
        # Read in the table's order: the status index would cost a lookup a row.
        "FROM partnerships p NOT INDEXED LEFT JOIN last l ON l.pid = p.id "
        f"WHERE p.status NOT IN ({_quoted(NOT_CHASED)}) "
        # OFFSET 0 keeps SQLite from copying each expression into every place the outer
        # query names it, where it would be worked out again each time.
        "LIMIT -1 OFFSET 0) LIMIT -1 OFFSET 0)) "
    )
    values = {f"c{m}": cutoff(today, m).isoformat() for m in _RHYTHMS}
    ahead = add_months(today, 12).isoformat()
    return sql, {"t": today.isoformat(), "ahead": ahead, **values}


@dataclass(frozen=True)
class Silence:
    """A partnership and how long it has been since it heard from us."""

    partnership_id: int
    partner: str
    kind: str | None
    status: str | None
    own: int | None  # the rhythm it sets itself; None: the usual for its kind and status
    every: int  # months between contacts
    established: str | None  # as stored: a day, or a year or month alone
    began: dt.date  # its founding's last possible day, else the day it was entered
    last: dt.date | None  # its last contact; None: none recorded
    founded: bool = True  # `began` is its founding (not the day it was entered)
    # A visit being prepared keeps it from going quiet, its rhythm run out or not.
    preparing: bool = False

    @property
    def since(self) -> dt.date:
        """The day its clock runs from: its last contact, or its founding if later; the
        day it was entered counts only when no contact is recorded."""
        if self.last is None:
            return self.began
        return max(self.last, self.began) if self.founded else self.last

    @property
    def due(self) -> dt.date:
        """The day its rhythm runs out (a month after January 31 is February's last)."""
        return _ends(self.since, self.every)

    def overdue(self, today: dt.date) -> bool:
        return self.due < today and not self.preparing

    def quiet_for(self, today: dt.date) -> str:
        """How long since its last contact, or since it began: '14 months', 'over 2
        years'."""
        return span(months_between(self.last or self.began, today))

    def title(self, today: dt.date) -> str:
        """'Going quiet: no contact with Turku for 14 months', or for one never
        contacted, '... no contact with Turku recorded since it began in June 1961'."""
        if self.last is not None:
            return f"Going quiet: no contact with {self.partner} for {self.quiet_for(today)}"
        return f"Going quiet: no contact with {self.partner} recorded since {self.beginning()}"

    def beginning(self) -> str:
        """'it began in June 1961', 'it began in March 2002', or for a partnership with
        no founding date, 'it was entered in May 2025'."""
        if self.established and is_partial(self.established):
            return f"it began in {readable(self.established)}"
        when = month_year(self.began.year, self.began.month)
        return f"it began in {when}" if self.established else f"it was entered in {when}"

    def rhythm_words(self) -> str:
        return rhythm_words(self.kind, self.status, self.own)


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole months from one day to another: March 20 to May 19 is 1, to May 20 is 2."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return max(0, months - (later.day < earlier.day))


def span(months: int) -> str:
    """'1 month', '14 months', '2 years', 'over 2 years'."""
    if months < 24:
        return counted(months, "month")
    years, left = divmod(months, 12)
    return f"{'over ' if left else ''}{counted(years, 'year')}"


_PARTNERSHIP = (
    "SELECT id, partner_name, kind, status, contact_every_months, established_date, "
    "created_at FROM partnerships"
)


def _silence(row: Any, last: dt.date | None) -> Silence | None:
    pid, name, kind, status, own, established, created = row
    every = rhythm(kind, status, own)
    began: dt.date | None = None
    if established:
        try:
            began = last_day(established)
        except ValueError:
            began = None  # unreadable: counted from the day it was entered
    founded = began is not None
    began = began or stored_date(created)
    if every is None or began is None:
        return None
    own = int(own) if own and 1 <= own <= LONGEST else None
    return Silence(
        int(pid), name or "", kind, status, own, every, established, began, last, founded
    )


def _silences(db: Database, found: list[tuple[int, str | None]]) -> list[Silence]:
    """The partnerships of `found` (id, last contact), in its order."""
    import json

    rows = {
        row[0]: row
        for row in db.rows_in_one_step(
            f"{_PARTNERSHIP} WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps([pid for pid, _last in found]),),
            7,
        )
    }
    made = (_silence(rows[pid], stored_date(last)) for pid, last in found if pid in rows)
    return [s for s in made if s is not None]


def going_quiet(db: Database, today: dt.date, limit: int) -> tuple[int, list[Silence]]:
    """How many partnerships have gone longer than their rhythm without contact as of
    `today`, and the first `limit` of them by the day their rhythm ran out."""
    judged, values = _judged(today)
    if limit <= 0:
        (count,) = db.execute(
            f"{judged} SELECT count(*) FROM judged WHERE quiet", values
        ).fetchone()
        return int(count), []
    rows = db.rows_in_one_step(
        f"{judged} SELECT id, last, count(*) OVER () FROM judged WHERE quiet "
        "ORDER BY due_key, id LIMIT :n",
        {**values, "n": int(limit)},
        3,
    )
    return (int(rows[0][2]) if rows else 0), _silences(db, [(r[0], r[1]) for r in rows])


@dataclass(frozen=True)
class Roster:
    """The relationships kept in touch with, longest without contact first."""

    total: int  # every chased partnership
    overdue: int  # of those, how many have gone quiet
    listed: list[Silence]  # the first of them


def by_silence(db: Database, today: dt.date, limit: int) -> Roster:
    """Every chased partnership, longest without contact first (one never contacted
    counts from the day it began): how many, how many overdue, the first `limit`."""
    judged, values = _judged(today)
    rows = db.execute(
        f"{judged} SELECT id, last, count(*) OVER (), sum(quiet) OVER (), quiet FROM judged "
        "ORDER BY coalesce(last, began), id LIMIT :n",
        {**values, "n": int(limit)},
    ).fetchall()
    quiet_now = {r[0]: bool(r[4]) for r in rows}
    listed = [
        # Run out but not quiet: a visit is being prepared.
        replace(s, preparing=s.due < today and not quiet_now.get(s.partnership_id, False))
        for s in _silences(db, [(r[0], r[1]) for r in rows])
    ]
    if not rows:
        return Roster(0, 0, listed)
    return Roster(int(rows[0][2]), int(rows[0][3] or 0), listed)


def of_partnership(db: Database, partnership_id: int, today: dt.date) -> Silence | None:
    """One partnership's rhythm and last contact; None when it is not chased."""
    row = db.execute(f"{_PARTNERSHIP} WHERE id = ?", (partnership_id,)).fetchone()
    if row is None:
        return None
    contact = last_contact(db, partnership_id, today)
    return _silence(row, contact.on if contact is not None else None)


@dataclass(frozen=True)
class Contact:
    """The last contact with a partnership: what it was and when."""

    on: dt.date
    what: str  # "Call: Budget talk", "Visit: Mission to Turku"
    opens: tuple[str, int] | None  # the record to open, where it has a page


def last_contact(db: Database, partnership_id: int, today: dt.date) -> Contact | None:
    """What the last contact with one partnership was, by the rule above."""
    from desk.core.domain.vocab import INTERACTION_KINDS

    t = today.isoformat()
    # (day, a visit before an interaction of the same day, id, what it was)
    found: list[tuple[str, int, int, Contact]] = []
    for day, kind, subject, iid in db.execute(
        # Its own, and those logged on its visits alone, each by its own index.
        "SELECT occurred_on, kind, subject, id FROM interactions "
        "WHERE partnership_id = :p AND occurred_on <= :t "
        "UNION ALL SELECT i.occurred_on, i.kind, i.subject, i.id FROM visits v "
        "JOIN interactions i ON i.visit_id = v.id WHERE v.partnership_id = :p "
        "AND i.partnership_id IS NULL AND i.occurred_on <= :t "
        "ORDER BY 1 DESC, 4 DESC LIMIT 1",
        {"t": t, "p": partnership_id},
    ):
        on = stored_date(day)
        if on is not None:
            label = INTERACTION_KINDS.get(kind or "", "Interaction")
            found.append((day, 0, iid, Contact(on, f"{label}: {subject}", None)))
    for day, title, vid in db.execute(
        "SELECT min(coalesce(end_date, start_date), :t) AS day, title, id FROM visits "
        "WHERE partnership_id = :p AND start_date <= :t AND (status = 'completed' "
        "OR (coalesce(end_date, start_date) >= :t AND status NOT IN ('cancelled', "
        "'declined'))) ORDER BY day DESC, id DESC LIMIT 1",
        {"t": t, "p": partnership_id},
    ):
        on = stored_date(day)
        if on is not None:
            found.append((day, 1, vid, Contact(on, f"Visit: {title}", ("visit", int(vid)))))
    return max(found, key=lambda f: f[:3])[3] if found else None
