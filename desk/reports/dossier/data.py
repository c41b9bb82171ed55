"""What a partnership's hand-over dossier says, read from the records in one pass.

Qt-free and reportlab-free: `dossier.py` lays it out. Everything is read for this one
partnership by `= ?` on its id (never `IS ?`, which would match every record with no
partnership at all), together with what belongs to it: its agreements, visits and their
gifts, delegations and costs, follow-ups, outcomes, network roles and files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from desk.core.domain.kinds import KINDS
from desk.core.domain.vocab import INTERACTION_KINDS
from desk.core.features import story
from desk.core.features.costs import Costs, of_visits
from desk.core.store import records
from desk.core.store.db import Database
from desk.core.store.queries import person_name

Row = dict[str, Any]

# A contact's name in SQL, in the person's own order (the contact kind's title); in a
# subquery on contacts its columns are the contact's.
_NAME = KINDS["contact"].title_sql

# An interaction's kind in words, in SQL: "Email / letter" reads better than "email".
_KIND_WORDS = (
    "CASE i.kind "
    + " ".join(f"WHEN '{code}' THEN '{text.lower()}'" for code, text in INTERACTION_KINDS.items())
    + " ELSE 'meeting' END"
)

# Beyond these a table stops and says how many more desk holds: a dossier is read on a
# successor's first day, not searched.
MOST_OTHERS = 40
MOST_INTERACTIONS = 25


@dataclass
class Dossier:
    partnership: Row
    city: Row
    today: dt.date
    standing: story.Standing
    partner_organisation: str = ""
    events: list[story.Event] = field(default_factory=list)  # oldest first
    agreements: list[Row] = field(default_factory=list)
    signatories: dict[int, list[Row]] = field(default_factory=dict)  # by agreement id
    counterparts: list[Row] = field(default_factory=list)  # contact fields + role, last
    others: list[Row] = field(default_factory=list)  # their side, met on visits
    others_more: int = 0
    ours: list[Row] = field(default_factory=list)  # our side, on visits
    # What the rules of the city's state ask of the partnership and its agreements.
    policy_flags: list[str] = field(default_factory=list)
    visits: list[Row] = field(default_factory=list)
    costs: dict[int, Costs] = field(default_factory=dict)  # by visit id, where it has any
    gifts: list[Row] = field(default_factory=list)
    follow_ups: list[Row] = field(default_factory=list)
    outcomes: list[Row] = field(default_factory=list)
    networks: list[Row] = field(default_factory=list)
    interactions: list[Row] = field(default_factory=list)
    interactions_more: int = 0
    files: list[Row] = field(default_factory=list)
    organisations: dict[int, str] = field(default_factory=dict)


def gather(db: Database, partnership: int | str, today: dt.date | None = None) -> Dossier:
    pid = records.resolve_id(db, "partnership", partnership)
    today = today or dt.date.today()
    own = records.get(db, "partnership", pid)
    city = next(iter(db.query("SELECT * FROM city_profile LIMIT 1")), {})
    d = Dossier(own, city, today, story.standing(db, pid, today))
    from desk.core.features import policy

    flags = policy.flags_for(db, "partnership", pid, today=today)
    for (agreement,) in db.execute("SELECT id FROM agreements WHERE partnership_id = ?", (pid,)):
        flags += policy.flags_for(db, "agreement", agreement, today=today)
    d.policy_flags = [f"{f.title}: {f.text}" for f in flags]
    d.organisations = dict(db.execute("SELECT id, name FROM organisations").fetchall())
    d.partner_organisation = d.organisations.get(own.get("partner_organisation_id") or -1, "")
    d.events = sorted(story.story(db, pid, today), key=lambda e: (e.on, e.rank))
    d.agreements = list(
        db.query(
            "SELECT * FROM agreements WHERE partnership_id = ? "
            "ORDER BY coalesce(signed_date, effective_date, '9999'), title, id",
            (pid,),
        )
    )
    for row in db.query(
        "SELECT s.*, o.title AS office FROM agreement_signatories s "
        "LEFT JOIN offices o ON o.id = s.office_id "
        "WHERE s.agreement_id IN (SELECT id FROM agreements WHERE partnership_id = ?) "
        "ORDER BY s.side = 'theirs', s.id",
        (pid,),
    ):
        d.signatories.setdefault(row["agreement_id"], []).append(row)
    _people(db, d, pid)
    d.visits = list(
        db.query(
            "SELECT * FROM visits WHERE partnership_id = ? "
            "ORDER BY start_date IS NULL, start_date, id",
            (pid,),
        )
    )
    d.costs = of_visits(db, [v["id"] for v in d.visits])
    d.gifts = list(
        db.query(
            "SELECT g.*, v.title AS visit, v.start_date AS visit_start, "
            f"(SELECT {_NAME} FROM contacts c WHERE c.id = g.giver_contact_id) AS giver_name, "
            f"(SELECT {_NAME} FROM contacts c WHERE c.id = g.recipient_contact_id) "
            "AS recipient_name FROM gifts g "
            "JOIN visits v ON v.id = g.visit_id WHERE v.partnership_id = ? "
            "ORDER BY coalesce(g.exchanged_on, v.start_date, '9999'), g.id",
            (pid,),
        )
    )
    d.follow_ups = list(
        db.query(
            "SELECT f.*, v.title AS visit, a.title AS agreement, "
            f"(SELECT {_NAME} FROM contacts c WHERE c.id = f.contact_id) AS with_name "
            "FROM follow_ups f "
            "LEFT JOIN visits v ON v.id = f.visit_id "
            "LEFT JOIN agreements a ON a.id = f.agreement_id "
            f"WHERE +f.done_on IS NULL AND f.{story.OF_PARTNERSHIP} "
            "ORDER BY f.due_date IS NULL, f.due_date, f.id",
            {"p": pid},
        )
    )
    d.outcomes = list(
        db.query(
            "SELECT o.*, v.title AS visit, a.title AS agreement FROM outcomes o "
            "LEFT JOIN visits v ON v.id = o.visit_id "
            "LEFT JOIN agreements a ON a.id = o.agreement_id "
            "WHERE o.id IN (SELECT id FROM outcomes WHERE partnership_id = :p "
            "UNION SELECT o2.id FROM outcomes o2 JOIN visits v2 ON v2.id = o2.visit_id "
            "WHERE v2.partnership_id = :p "
            "UNION SELECT o3.id FROM outcomes o3 JOIN agreements a3 ON a3.id = o3.agreement_id "
            "WHERE a3.partnership_id = :p) "
            "ORDER BY o.year IS NULL, o.year, o.measure, o.id",
            {"p": pid},
        )
    )
    d.networks = list(
        db.query(
            "SELECT * FROM network_memberships WHERE partnership_id = ? ORDER BY network_name",
            (pid,),
        )
    )
    d.interactions = list(
        db.query(
            "SELECT * FROM interactions WHERE partnership_id = ? "
            "ORDER BY occurred_on DESC, id DESC LIMIT ?",
            (pid, MOST_INTERACTIONS + 1),
        )
    )
    if len(d.interactions) > MOST_INTERACTIONS:
        (total,) = db.execute(
            "SELECT count(*) FROM interactions WHERE partnership_id = ?", (pid,)
        ).fetchone()
        d.interactions = d.interactions[:MOST_INTERACTIONS]
        d.interactions_more = total - MOST_INTERACTIONS
    d.files = list(
        db.query(
            "SELECT t.id, t.filename, t.description, t.size, t.media_type, "
            "coalesce('Agreement: ' || a.title, 'Visit: ' || v.title, 'The partnership') "
            "AS held_on FROM attachments t "
            "LEFT JOIN agreements a ON a.id = t.agreement_id "
            "LEFT JOIN visits v ON v.id = t.visit_id "
            "WHERE t.id IN (SELECT id FROM attachments WHERE partnership_id = :p "
            "UNION SELECT t2.id FROM attachments t2 JOIN agreements a2 "
            "ON a2.id = t2.agreement_id WHERE a2.partnership_id = :p "
            "UNION SELECT t3.id FROM attachments t3 JOIN visits v3 ON v3.id = t3.visit_id "
            "WHERE v3.partnership_id = :p) ORDER BY held_on, t.filename, t.id",
            {"p": pid},
        )
    )
    return d


def _people(db: Database, d: Dossier, pid: int) -> None:
    """The counterparts named on the partnership, each with the last time desk saw them
    (a meeting noted, a visit they were on); then the others met on its visits, and who
    went or hosted from our side."""
    # The latest meeting noted with them, or visit they were on, with what it was.
    latest = (
        "SELECT {column} FROM ("
        f"SELECT i.occurred_on AS day, i.subject || ' (' || {_KIND_WORDS} || ')' "
        "AS what FROM interaction_participants ip "
        "JOIN interactions i ON i.id = ip.interaction_id "
        "WHERE ip.contact_id = c.id AND i.occurred_on <= :t "
        "UNION ALL SELECT coalesce(v.end_date, v.start_date), v.title || ' (visit)' "
        "FROM visit_participants vp JOIN visits v ON v.id = vp.visit_id "
        "WHERE vp.contact_id = c.id AND v.status = 'completed' "
        "AND coalesce(v.end_date, v.start_date) <= :t) ORDER BY day DESC LIMIT 1"
    )
    for row in db.query(
        f"SELECT c.*, pc.role AS role, ({latest.format(column='day')}) AS last_seen, "
        f"({latest.format(column='what')}) AS last_seen_what "
        "FROM partnership_contacts pc JOIN contacts c ON c.id = pc.contact_id "
        "WHERE pc.partnership_id = :p ORDER BY pc.id",
        {"p": pid, "t": d.today.isoformat()},
    ):
        d.counterparts.append(row)
    named = {row["id"] for row in d.counterparts}
    met: dict[tuple[str, str], Row] = {}
    for row in db.query(
        "SELECT vp.side, vp.role, vp.name, vp.contact_id, c.given_name, c.family_name, "
        "c.name_order, c.name_native, c.job_title, c.organisation_id, "
        "v.start_date, v.title AS visit FROM visit_participants vp "
        "JOIN visits v ON v.id = vp.visit_id LEFT JOIN contacts c ON c.id = vp.contact_id "
        # Met: on a visit that took place, not one planned, requested or called off.
        "WHERE v.partnership_id = ? AND v.start_date <= ? "
        "AND v.status NOT IN ('cancelled', 'declined', 'requested') "
        "ORDER BY v.start_date DESC, vp.id",
        (pid, d.today.isoformat()),
    ):
        if row["contact_id"] in named:
            continue
        name = person_name(row) if row["contact_id"] else (row["name"] or "")
        if not name:
            continue
        key = (row["side"] or "theirs", name)
        if key in met:
            met[key]["visits"] += 1
            continue
        met[key] = {**row, "display": name, "visits": 1}
    theirs = [r for (side, _), r in met.items() if side != "ours"]
    d.others, d.others_more = theirs[:MOST_OTHERS], max(0, len(theirs) - MOST_OTHERS)
    d.ours = [r for (side, _), r in met.items() if side == "ours"][:MOST_OTHERS]
