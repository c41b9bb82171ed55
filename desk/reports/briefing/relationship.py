"""The relationship section: a timeline from the founding to this visit, the agreements
and their deadlines, and the latest contacts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.platypus import CondPageBreak, Flowable

from desk.core.domain.vocab import (
    AGREEMENT_STATUSES,
    PARTNERSHIP_KINDS,
    PARTNERSHIP_STATUSES,
    VISIT_DIRECTIONS,
    label,
)
from desk.core.store.records import INITIAL_STATUS_REASON
from desk.reports.briefing.data import Briefing
from desk.reports.writers.pdf import DeskDocument, data_table, para
from desk.reports.writers.text import table_date

if TYPE_CHECKING:
    from desk.reports.briefing.options import BriefingOptions


def timeline(b: Briefing) -> list[tuple[str, str]]:
    """(ISO date, what happened), oldest first: the founding, each status change, each
    agreement signed or ended, each visit both ways, and this visit."""
    own = b.partnership
    events: list[tuple[str, int, str]] = []
    if own and own.get("established_date"):
        kind = label(PARTNERSHIP_KINDS, own["kind"]).lower()
        events.append((own["established_date"], 0, f"Founded as a {kind}"))
    for change in b.status_history:
        if change.get("reason") == INITIAL_STATUS_REASON:
            continue
        text = f"Status: {label(PARTNERSHIP_STATUSES, change['status']).lower()}"
        if change.get("reason"):
            text += f" ({change['reason']})"
        events.append((change["changed_on"], 1, text))
    for a in b.agreements:
        if a.get("signed_date"):
            events.append((a["signed_date"], 2, f"Signed: {a['title']}"))
        if a.get("expiry_date") and a["status"] in ("expired", "terminated"):
            ended = label(AGREEMENT_STATUSES, a["status"]).lower()
            events.append((a["expiry_date"], 2, f"{ended.capitalize()}: {a['title']}"))
    for v in b.timeline_visits:
        if v["id"] == b.visit.get("id"):
            continue
        way = label(VISIT_DIRECTIONS, v["direction"]).lower()
        planned = "" if v["status"] == "completed" else " (planned)"
        events.append((v["start_date"], 3, f"{v['title']} ({way}){planned}"))
    if b.visit.get("start_date") and events:
        events.append((b.visit["start_date"], 4, f"This visit: {b.visit['title']}"))
    # As of the visit: what came after it is not part of its packet's story.
    events = [e for e in events if e[0] <= b.until]
    events.sort(key=lambda e: (e[0], e[1]))
    return [(day, text) for day, _order, text in events]


def history(doc: DeskDocument, b: Briefing, _o: BriefingOptions) -> list[Flowable]:
    s = doc.styles
    out: list[Flowable] = []
    events = timeline(b)
    if events:
        # Every table's rows, each with its own columns.
        rows: list[tuple[object, ...]] = [(table_date(day), text) for day, text in events]
        out += [
            para("Timeline", s["H2"], bold=True),
            *data_table(s, ("Date", "Event"), rows, [1.4, 5.4]),
        ]
    if b.agreements:
        rows = [
            (
                a["title"],
                label(AGREEMENT_STATUSES, a["status"]),
                table_date(a.get("signed_date")),
                table_date(a.get("expiry_date")),
                table_date(a.get("decision_deadline")),
            )
            for a in b.agreements
        ]
        heads = ("Agreement", "Status", "Signed", "Expires", "Decision due")
        out += [
            CondPageBreak(1.2 * 72),
            para("Agreements and their deadlines", s["H2"], bold=True),
            *data_table(s, heads, rows, [2.3, 0.9, 1.2, 1.2, 1.2]),
        ]
    achieved = [v for v in b.past_visits if v.get("outcomes")]
    if achieved:
        rows = [(table_date(v.get("start_date")), v["title"], v["outcomes"]) for v in achieved]
        out += [
            CondPageBreak(1.2 * 72),
            para("What past visits achieved", s["H2"], bold=True),
            *data_table(s, ("When", "Visit", "Outcomes"), rows, [1.2, 2.0, 3.6]),
        ]
    if b.interactions:
        rows = [
            (table_date(i["occurred_on"]), i["subject"], i.get("notes") or "")
            for i in b.interactions
        ]
        out += [
            CondPageBreak(1.2 * 72),
            para("Recent contacts", s["H2"], bold=True),
            *data_table(s, ("Date", "Subject", "Notes"), rows, [1.2, 2.3, 3.3]),
        ]
    return out
