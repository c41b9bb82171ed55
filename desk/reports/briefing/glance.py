"""Page 1 of the packet: the visit at a glance, for a principal with two minutes.

Who, where, when and why; the three things to achieve and the one to avoid; and where
the relationship stands, flagged when it is suspended, dormant, lapsed or ended.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from desk.core.domain import dates
from desk.core.domain.vocab import (
    PARTICIPANT_ROLES,
    PARTNERSHIP_KINDS,
    PARTNERSHIP_STATUSES,
    VISIT_DIRECTIONS,
    label,
)
from desk.core.reference import capitals as reference
from desk.core.reference import countries
from desk.reports.briefing.data import Briefing
from desk.reports.briefing.people import job_line, person_line
from desk.reports.writers.pdf import ACCENT, MARKING_RED, RULE, SHADE, DeskDocument, grid, para
from desk.reports.writers.text import glimpse

if TYPE_CHECKING:
    from desk.reports.briefing.options import BriefingOptions

# Statuses a principal must know of before a word is said about the partnership.
TROUBLED = {"dormant", "suspended", "lapsed", "ended"}

_BULLET = re.compile(r"^\s*(?:[-•*·–]|\(?\d{1,2}[.)])\s*")


def three_things(objectives: str | None) -> list[str]:
    """The first three objectives: one per line as people write them ('1. ...', '- ...'),
    else the first three sentences of a paragraph."""
    if not objectives:
        return []
    lines = [_BULLET.sub("", line).strip() for line in objectives.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) == 1:
        lines = [s for s in re.split(r"(?<=[.!?])\s+", lines[0]) if s]
    return lines[:3]


def relationship_flag(b: Briefing) -> str:
    """'The partnership with Irkutsk is SUSPENDED since March 3, 2022: reason.'"""
    own = b.partnership
    if own is None or own.get("status") not in TROUBLED:
        return ""
    change = next((h for h in reversed(b.status_history) if h["status"] == own["status"]), None)
    since = f" since {dates.readable(change['changed_on'])}" if change else ""
    reason = f": {change['reason']}" if change and change.get("reason") else ""
    return f"The partnership with {own['partner_name']} is {own['status'].upper()}{since}{reason}"


def relationship_line(b: Briefing) -> str:
    """'Sister city with Matsue since 1972 (54 years); active; 11 visits between the
    cities, the last in May 2024.'"""
    own = b.partnership
    if own is None:
        return ""
    text = label(PARTNERSHIP_KINDS, own["kind"]) + f" with {own['partner_name']}"
    founded = own.get("established_date")
    if founded:
        on = dates.stored_date(b.visit.get("start_date")) or dt.date.today()
        years = dates.years_since(founded, on) or 0
        text += f" since {founded[:4]}" + (f" ({years} years)" if years > 0 else "")
    text += f"; {label(PARTNERSHIP_STATUSES, own['status']).lower()}"
    done = [
        v for v in b.timeline_visits if v["status"] == "completed" and v["id"] != b.visit.get("id")
    ]
    if done:
        last = dt.date.fromisoformat(done[-1]["start_date"])
        when = f"{dates.month_name(last)} {last.year}"
        text += (
            f"; one visit so far, in {when}"
            if len(done) == 1
            else f"; {len(done)} visits between the cities, the last in {when}"
        )
    return text + "."


def _people(b: Briefing, side: str) -> list[dict[str, Any]]:
    return [p for p in b.participants if p.get("side") == side]


def _name(b: Briefing, participant: dict[str, Any]) -> str:
    contact = b.contacts.get(participant.get("contact_id") or -1)
    if not contact:
        return participant.get("name") or ""
    job = job_line(contact, b)
    return person_line(contact, b) + (f", {job}" if job else "")


def _lead(b: Briefing, side: str) -> dict[str, Any] | None:
    people = _people(b, side)
    for role in ("principal", "host"):
        found = next((p for p in people if p.get("role") == role), None)
        if found:
            return found
    return people[0] if people else None


def who(b: Briefing) -> list[tuple[str, str]]:
    """Each side in one line: who leads and how many come."""
    out: list[tuple[str, str]] = []
    for side, caption in (("ours", "Our side"), ("theirs", "Their side")):
        people = _people(b, side)
        lead = _lead(b, side)
        text = _name(b, lead) if lead else ""
        if side == "ours" and b.visit.get("principal") and not text:
            text = b.visit["principal"]
        if lead and lead.get("role") in ("principal", "host"):
            text += f" ({label(PARTICIPANT_ROLES, lead['role']).lower()})"
        others = len(people) - (1 if lead else 0)
        if others > 0:
            text += f" and {others} other{'s' if others != 1 else ''}"
        out.append((caption, text.strip()))
    return out


def when(b: Briefing) -> str:
    v = b.visit
    days = [d for d in dict.fromkeys((v.get("start_date"), v.get("end_date"))) if d]
    text = " to ".join(dates.long_date(d) for d in days)
    if b.their_zone and b.their_zone != b.home_zone and days:
        hours = reference.hours_apart(b.their_zone, b.home_zone, dt.date.fromisoformat(days[0]))
        home = b.city.get("name") or "home"
        if hours:
            amount = f"{abs(hours):g} hour{'s' if abs(hours) != 1 else ''}"
            text += f" · their time is {amount} {'ahead of' if hours > 0 else 'behind'} {home}"
    return text


def where(b: Briefing) -> str:
    v = b.visit
    return ", ".join(p for p in (v.get("city"), countries.country_name(v.get("country"))) if p)


def _styles(doc: DeskDocument) -> dict[str, ParagraphStyle]:
    base = doc.styles
    return {
        **base,
        "kicker": ParagraphStyle(
            "kicker", parent=base["label"], fontSize=10, leading=13, keepWithNext=0
        ),
        "title": ParagraphStyle(
            "glance_title", parent=base["title"], alignment=0, fontSize=22, leading=27
        ),
        "subtitle": ParagraphStyle("glance_sub", parent=base["body"], fontSize=11, leading=15),
        "flag": ParagraphStyle(
            "flag", parent=base["marking"], alignment=0, fontSize=10.5, leading=13.5
        ),
        "glance": ParagraphStyle("glance", parent=base["body"], fontSize=10.5, leading=14),
        "label_red": ParagraphStyle("label_red", parent=base["label"], textColor=MARKING_RED),
    }


def glance(doc: DeskDocument, b: Briefing, o: BriefingOptions) -> list[Flowable]:
    s = _styles(doc)
    v = b.visit
    out: list[Flowable] = [
        para("Program" if o.shareable else "Briefing packet", s["kicker"]),
        para(v["title"], s["title"], bold=True),
        para(
            label(VISIT_DIRECTIONS, v["direction"])
            + (f" · {glimpse(where(b), 200)}" if where(b) else "")
            + (f" · {dates.long_date(v['start_date'])}" if v.get("start_date") else ""),
            s["subtitle"],
        ),
        Spacer(1, 10),
    ]
    flag = relationship_flag(b)
    if flag and not o.shareable:
        out += [_box(doc, [para(glimpse(flag), s["flag"], bold=True)], MARKING_RED), Spacer(1, 8)]
    facts = [
        *who(b),
        ("Where", where(b)),
        ("When", when(b)),
        ("Why", "" if o.shareable else (v.get("purpose") or "")),
        ("Relationship", "" if o.shareable else relationship_line(b)),
    ]
    rows = [[para(k, s["label"], bold=True), para(glimpse(t), s["cell"])] for k, t in facts if t]
    out.append(grid(rows, [1.2 * inch, 5.7 * inch], header=False, zebra=False))
    place = _place_block(doc, b, s)
    if place is not None:
        out += [Spacer(1, 10), place]
    things = [] if o.shareable else three_things(v.get("objectives"))
    if things:
        numbered = [
            para(f"{n}.  {glimpse(thing, 240)}", s["glance"])
            for n, thing in enumerate(things, start=1)
        ]
        out += [
            Spacer(1, 10),
            _box(doc, [para("Three things to achieve", s["label"], bold=True), *numbered], ACCENT),
        ]
    if v.get("avoid") and not o.shareable:
        out += [
            Spacer(1, 8),
            _box(
                doc,
                [
                    para("The one thing to avoid", s["label_red"], bold=True),
                    para(glimpse(v["avoid"]), s["glance"]),
                ],
                MARKING_RED,
            ),
        ]
    office = ", ".join(p for p in (b.city.get("office_name"), b.city.get("name")) if p)
    now = dt.datetime.now()
    stamp = f"Generated {dates.long_date(now)}, {dates.clock(now)}"
    out += [
        Spacer(1, 16),
        para(f"Prepared by {office}. {stamp}." if office else f"{stamp}.", s["small"]),
    ]
    if not o.include_personal and not o.shareable:
        out.append(
            para(
                "Personal details (phone numbers, email, dietary needs) are left out of this copy.",
                s["small"],
            )
        )
    return out


def _place_block(doc: DeskDocument, b: Briefing, s: dict[str, ParagraphStyle]) -> Flowable | None:
    """Key facts of the partner city beside a locator map of it."""
    facts = b.country_profile()
    if b.place and b.place.population:
        facts["City population"] = f"{b.place.population:,}"
    keep = ("City population", "Time difference", "Official languages", "Currency")
    rows = [
        [para(k, s["label"], bold=True), para(glimpse(facts[k]), s["cell"])]
        for k in keep
        if facts.get(k)
    ]
    picture = locator(b, width=2.6 * inch, height=1.9 * inch)
    if not rows and picture is None:
        return None
    if picture is None:
        return grid(rows, [1.2 * inch, doc.width - 1.2 * inch], header=False, zebra=False)
    text_width = doc.width - 2.8 * inch
    table = Table(
        [[grid(rows, [1.2 * inch, text_width - 1.2 * inch], header=False, zebra=False), picture]],
        colWidths=[text_width, 2.8 * inch],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
            ]
        )
    )
    return table


def locator(b: Briefing, *, width: float, height: float) -> Flowable | None:
    """A small map of where the partner city is, when the gazetteer knows the place."""
    if b.place is None:
        return None
    from desk.reports.writers.locator import locator_map

    return locator_map(
        b.place.latitude, b.place.longitude, b.place.country, width=width, height=height
    )


def _box(doc: DeskDocument, content: list[Flowable], edge: colors.Color) -> Table:
    """Content in a shaded box with a colored left edge; splits when it must."""
    table = Table([[content]], colWidths=[doc.width], hAlign="LEFT", splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("LINEBEFORE", (0, 0), (0, -1), 3, edge),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table
