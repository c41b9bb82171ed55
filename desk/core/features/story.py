"""A partnership at a glance: where it stands (status and since when, the next deadline,
the last contact, open follow-ups) and its story, everything that happened newest first;
and the lines that say the same of a contact, a visit and an agreement.

Qt-free and reportlab-free: the partnership page shows it, `desk timeline` prints it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desk.core.domain.dates import (
    anniversary,
    is_partial,
    month_day_year,
    on_date,
    readable,
    stored_date,
)
from desk.core.domain.vocab import AGREEMENT_STATUSES, GIFT_DIRECTIONS, PARTNERSHIP_STATUSES, label
from desk.core.domain.words import ago, counted, due_in
from desk.core.store.db import Database
from desk.core.store.records import INITIAL_STATUS_REASON


@dataclass(frozen=True)
class Event:
    on: str  # ISO date; sorted on as text
    what: str
    open_kind: str
    open_id: int
    rank: tuple[int, int] = (0, 0)  # the order of events on the same day, oldest first


@dataclass(frozen=True)
class Standing:
    status: str
    status_label: str
    since: str | None  # stored: a day, or a year or month alone
    reason: str
    next_deadline: str  # "Decide on the Cultural MOU by February 3, 2027 (in 2 months)"
    last_contact: str  # "Call with the consul, 3 weeks ago"
    open_follow_ups: int
    overdue_follow_ups: int

    def lines(self) -> list[str]:
        if not self.since:
            since = ""
        elif self.status == "ended":
            since = f" {on_date(self.since)}"
        else:
            since = f" since {readable(self.since)}"
        why = f" ({self.reason})" if self.reason else ""
        follow = (
            f"{self.open_follow_ups:,} open, here and on its visits and agreements"
            if self.open_follow_ups
            else "none open"
        )
        if self.overdue_follow_ups:
            follow += f" ({self.overdue_follow_ups:,} overdue)"
        return [
            f"{self.status_label}{since}{why}",
            f"Next deadline: {self.next_deadline or 'none'}",
            f"Last contact: {self.last_contact or 'none recorded'}",
            f"Follow-ups: {follow}",
        ]


# A partnership's follow-ups: its own, and those on its visits and agreements (:p). Three
# lookups by index, joined: an OR of the three made SQLite scan every open follow-up.
# Queries using it write `+done_on`, which keeps SQLite off the index of open follow-ups
# (all of them) and on these few ids.
OF_PARTNERSHIP = (
    "id IN (SELECT id FROM follow_ups WHERE partnership_id = :p "
    "UNION SELECT f.id FROM follow_ups f JOIN visits v ON v.id = f.visit_id "
    "WHERE v.partnership_id = :p "
    "UNION SELECT f.id FROM follow_ups f JOIN agreements a ON a.id = f.agreement_id "
    "WHERE a.partnership_id = :p)"
)


def standing(db: Database, partnership_id: int, today: dt.date | None = None) -> Standing:
    today = today or dt.date.today()
    status, established = db.execute(
        "SELECT status, established_date FROM partnerships WHERE id = ?", (partnership_id,)
    ).fetchone()
    change = db.execute(
        # The change in effect today: a later one is planned, not yet its status. A date
        # known to its year or month alone counts from its first day.
        "SELECT changed_on, reason FROM partnership_status_changes WHERE partnership_id = ? "
        "AND changed_on <= ? ORDER BY changed_on DESC, id DESC LIMIT 1",
        (partnership_id, today.isoformat()),
    ).fetchone()
    since = change[0] if change else established
    reason = change[1] if change and change[1] != INITIAL_STATUS_REASON else ""
    deadline = db.execute(
        # A decision whose day has passed while the agreement is still in force is the
        # most pressing deadline of all, not one to leave out.
        "SELECT title, decision_deadline FROM agreements WHERE partnership_id = ? "
        "AND status IN ('signed', 'in_force') AND decision_deadline IS NOT NULL "
        "AND (expiry_date IS NULL OR expiry_date >= ?) "
        "ORDER BY decision_deadline LIMIT 1",
        (partnership_id, today.isoformat()),
    ).fetchone()
    of_it = {"p": partnership_id, "t": today.isoformat()}
    follow_up = db.execute(
        "SELECT title, due_date FROM follow_ups WHERE +done_on IS NULL AND due_date >= :t "
        f"AND {OF_PARTNERSHIP} ORDER BY due_date LIMIT 1",
        of_it,
    ).fetchone()
    # An agreement left "in force" past its expiry: nobody recorded what became of it.
    lapsed = db.execute(
        "SELECT title, expiry_date FROM agreements WHERE partnership_id = ? "
        "AND status IN ('signed', 'in_force') AND expiry_date < ? "
        "ORDER BY expiry_date LIMIT 1",
        (partnership_id, today.isoformat()),
    ).fetchone()
    # The nearest of the agreement decisions and the follow-ups still to come.
    choices = []
    if lapsed and stored_date(lapsed[1]):
        choices.append(
            (lapsed[1], f"Record what became of {lapsed[0]}: it expired with no decision")
        )
    if deadline and stored_date(deadline[1]):
        choices.append((deadline[1], f"Decide on {deadline[0]}"))
    if follow_up and stored_date(follow_up[1]):
        choices.append((follow_up[1], follow_up[0]))
    next_deadline = ""
    if choices:
        on, what = min(choices)
        day = stored_date(on)
        assert day is not None
        next_deadline = f"{what}, {month_day_year(day)} ({due_in((day - today).days)})"
    # A meeting noted, or a visit that took place, whichever was later.
    contact = db.execute(
        "SELECT subject, day FROM ("
        "SELECT subject, occurred_on AS day, id AS n FROM interactions "
        "WHERE partnership_id = :p AND occurred_on <= :t "
        "UNION ALL SELECT title, coalesce(end_date, start_date), id FROM visits "
        "WHERE partnership_id = :p AND status = 'completed' "
        "AND coalesce(end_date, start_date) <= :t) ORDER BY day DESC, n DESC LIMIT 1",
        of_it,
    ).fetchone()
    last_contact = ""
    if contact:
        day = stored_date(contact[1])
        last_contact = f"{contact[0]}, {ago((today - day).days)}" if day else contact[0]
    open_count, overdue = db.execute(
        "SELECT count(*), coalesce(sum(due_date < :t), 0) FROM follow_ups "
        f"WHERE +done_on IS NULL AND {OF_PARTNERSHIP}",
        of_it,
    ).fetchone()
    return Standing(
        status,
        PARTNERSHIP_STATUSES.get(status, status),
        since,
        reason or "",
        next_deadline,
        last_contact,
        int(open_count),
        int(overdue),
    )


def story(db: Database, partnership_id: int, today: dt.date | None = None) -> list[Event]:
    """Everything that happened in the relationship, newest first: the founding, each
    status change, agreements signed and ended, visits both ways, interactions, gifts
    and follow-ups done; visits still to come lead, marked as such."""
    pid = partnership_id
    now = (today or dt.date.today()).isoformat()
    events: list[Event] = []
    name, established = db.execute(
        "SELECT partner_name, established_date FROM partnerships WHERE id = ?", (pid,)
    ).fetchone()
    if established:
        events.append(
            Event(established, f"Relationship with {name} established", "partnership", pid)
        )
    for sid, on, status, reason in db.execute(
        "SELECT id, changed_on, status, reason FROM partnership_status_changes "
        "WHERE partnership_id = ?",
        (pid,),
    ):
        why = f" ({reason})" if reason and reason != INITIAL_STATUS_REASON else ""
        events.append(
            Event(
                on,
                f"Status: {PARTNERSHIP_STATUSES.get(status, status)}{why}",
                "partnership",
                pid,
                (1, sid),
            )
        )
    for aid, title, signed, expiry, status in db.execute(
        "SELECT id, title, signed_date, expiry_date, status FROM agreements "
        "WHERE partnership_id = ?",
        (pid,),
    ):
        if signed:
            events.append(Event(signed, f"Agreement signed: {title}", "agreement", aid, (2, aid)))
        if expiry and status in ("expired", "terminated"):
            ended = label(AGREEMENT_STATUSES, status)
            events.append(
                Event(expiry, f"Agreement {ended.lower()}: {title}", "agreement", aid, (2, aid))
            )
    for vid, title, start, direction, status in db.execute(
        "SELECT id, title, start_date, direction, status FROM visits WHERE partnership_id = ?",
        (pid,),
    ):
        if not start or status in ("cancelled", "declined"):
            continue
        # 'Mission to Matsue' says what it is; 'Spring talks' needs 'Mission: ' before it.
        word = "delegation" if direction == "incoming" else "mission"
        text = title if word in title.casefold() else f"{word.capitalize()}: {title}"
        if start > now:
            text = f"Coming up: {text}"
        events.append(Event(start, text, "visit", vid, (3, vid)))
    for iid, on, subject in db.execute(
        "SELECT id, occurred_on, subject FROM interactions WHERE partnership_id = ?", (pid,)
    ):
        events.append(Event(on, subject, "interaction", iid, (4, iid)))
    for gid, on, description, direction, start in db.execute(
        "SELECT g.id, g.exchanged_on, g.description, g.direction, v.start_date FROM gifts g "
        "JOIN visits v ON v.id = g.visit_id WHERE v.partnership_id = ?",
        (pid,),
    ):
        when = on or start
        if when and when <= now:
            way = label(GIFT_DIRECTIONS, direction)
            events.append(Event(when, f"Gift {way.lower()}: {description}", "gift", gid, (5, gid)))
    for fid, done_on, title in db.execute(
        "SELECT id, done_on, title FROM follow_ups "
        f"WHERE +done_on IS NOT NULL AND {OF_PARTNERSHIP}",
        {"p": pid},
    ):
        events.append(Event(done_on, f"Done: {title}", "follow_up", fid, (6, fid)))
    events.sort(key=lambda e: (e.on, e.rank), reverse=True)
    return events


def contact_lines(db: Database, contact_id: int, today: dt.date | None = None) -> list[str]:
    """A contact at a glance: who they are and how to reach them, the last time we met
    or spoke, the visits they were part of, and what we still owe them."""
    from desk.core.reference.countries import country_name, language_name

    today = today or dt.date.today()
    row = db.execute(
        "SELECT c.job_title, o.name, c.country, c.languages, c.dietary, c.email, c.phone, "
        "c.mobile FROM contacts c "
        "LEFT JOIN organisations o ON o.id = c.organisation_id WHERE c.id = ?",
        (contact_id,),
    ).fetchone()
    if row is None:
        return []
    job, organisation, country, languages, dietary, email, phone, mobile = row
    who = ", ".join(p for p in (job, organisation) if p)
    if country:
        who = f"{who} · {country_name(country)}" if who else country_name(country)
    lines = [who] if who else []
    reach = [p for p in (email, phone, f"mobile {mobile}" if mobile else None) if p]
    if reach:
        lines.append(" · ".join(reach))
    import json

    spoken = [language_name(code) for code in json.loads(languages or "[]")]
    needs = [f"Speaks {', '.join(spoken)}"] if spoken else []
    if dietary:
        needs.append(f"Diet: {dietary}")
    if needs:
        lines.append(" · ".join(needs))
    met = db.execute(
        "SELECT i.subject, i.occurred_on FROM interactions i JOIN interaction_participants p "
        "ON p.interaction_id = i.id WHERE p.contact_id = ? AND i.occurred_on <= ? "
        "ORDER BY i.occurred_on DESC LIMIT 1",
        (contact_id, today.isoformat()),
    ).fetchone()
    if met:
        day = stored_date(met[1])
        lines.append(f"Last contact: {met[0]}, {ago((today - day).days)}" if day else met[0])
    visits = db.execute(
        "SELECT count(DISTINCT visit_id) FROM visit_participants WHERE contact_id = ?",
        (contact_id,),
    ).fetchone()[0]
    open_count = db.execute(
        "SELECT count(*) FROM follow_ups WHERE contact_id = ? AND done_on IS NULL",
        (contact_id,),
    ).fetchone()[0]
    tallies = [counted(int(visits), "visit")] if visits else []
    if open_count:
        tallies.append(counted(int(open_count), "open follow-up"))
    if tallies:
        lines.append(" · ".join(tallies))
    return lines


def visit_lines(db: Database, visit_id: int, today: dt.date | None = None) -> list[str]:
    """A visit at a glance: which way, its standing, when (and how soon), where, who
    comes, how full the program is, and what is still open."""
    from desk.core.domain.vocab import VISIT_DIRECTIONS, VISIT_STATUSES
    from desk.core.features.sides import place_phrase

    today = today or dt.date.today()
    row = db.execute(
        "SELECT direction, status, start_date, end_date, city, country FROM visits WHERE id = ?",
        (visit_id,),
    ).fetchone()
    if row is None:
        return []
    direction, status, start, end, city, country = row
    first = [label(VISIT_DIRECTIONS, direction), label(VISIT_STATUSES, status)]
    begins, ends = stored_date(start), stored_date(end)
    if begins:
        span = month_day_year(begins)
        if ends and ends != begins:
            span += f" to {month_day_year(ends)}"
        if begins > today:
            span += f" ({due_in((begins - today).days)})"
        elif ends and begins <= today <= ends:
            span += " (under way)"
        first.append(span)
    # Which way, with the place: "from València, Spain" for a delegation here.
    place = place_phrase({"direction": direction, "city": city, "country": country})
    if place:
        first.append(place)
    lines = [" · ".join(p for p in first if p)]
    people, items, gifts, open_count = db.execute(
        "SELECT (SELECT count(*) FROM visit_participants WHERE visit_id = :v), "
        "(SELECT count(*) FROM itinerary_items WHERE visit_id = :v), "
        "(SELECT count(*) FROM gifts WHERE visit_id = :v), "
        "(SELECT count(*) FROM follow_ups WHERE visit_id = :v AND done_on IS NULL)",
        {"v": visit_id},
    ).fetchone()
    tallies = [
        counted(int(people), "delegation member"),
        counted(int(items), "program item"),
        counted(int(gifts), "gift"),
    ]
    if open_count:
        tallies.append(counted(int(open_count), "open follow-up"))
    lines.append(" · ".join(tallies))
    return lines


def agreement_line(row: Mapping[str, Any], today: dt.date | None = None) -> str:
    """An agreement at a glance: when its renewal must be decided, and when it expires."""
    today = today or dt.date.today()
    deadline = stored_date(row.get("decision_deadline"))
    expiry = stored_date(row.get("expiry_date"))
    if not (deadline and expiry):
        return ""
    if expiry < today:
        return f"Expired {month_day_year(expiry)}"
    when = due_in((deadline - today).days)
    return f"Decision due {month_day_year(deadline)} ({when}); expires {month_day_year(expiry)}"


def anniversary_line(row: Mapping[str, Any], today: dt.date | None = None) -> str:
    """A partnership's founding and its next round anniversary: 'Established June 21,
    1961; 65 years on June 21, 2026' ('65 years in 2026' for a founding known to its
    year)."""
    today = today or dt.date.today()
    established = row.get("established_date")
    coming = anniversary(established, today)
    if not coming:
        return ""
    when, years = coming
    on = "in" if is_partial(established) else "on"
    return f"Established {readable(established)}; {counted(years, 'year')} {on} {when}"
