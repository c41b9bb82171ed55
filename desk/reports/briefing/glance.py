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
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from desk.core.domain import dates
from desk.core.domain.vocab import (
    PARTICIPANT_ROLES,
    PARTNERSHIP_KINDS,
    PARTNERSHIP_STATUSES,
    VISIT_DIRECTIONS,
    label,
)
from desk.core.features import sides
from desk.core.reference import places
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
    status = b.standing
    if own is None or status not in TROUBLED:
        return ""
    day = b.as_of.isoformat()
    change = next(
        (
            h
            for h in reversed(b.status_history)
            if h["status"] == status and (h.get("changed_on") or "") <= day
        ),
        None,
    )
    reason = f": {change['reason']}" if change and change.get("reason") else ""
    if status in ("lapsed", "ended"):
        # Over, on a day: "LAPSED on June 30, 2020"; a standing still in force: "has
        # been DORMANT since".
        on = f" on {dates.readable(change['changed_on'])}" if change else ""
        return f"The partnership with {own['partner_name']} {status.upper()}{on}{reason}"
    since = f" since {dates.readable(change['changed_on'])}" if change else ""
    return f"The partnership with {own['partner_name']} has been {status.upper()}{since}{reason}"


def relationship_line(b: Briefing) -> str:
    """'Sister city with Matsue since 1972 (54 years); active; 11 visits between the
    cities, the last in May 2024.'"""
    own = b.partnership
    if own is None:
        return ""
    text = label(PARTNERSHIP_KINDS, own["kind"]) + f" with {own['partner_name']}"
    founded = own.get("established_date")
    if founded:
        years = dates.years_since(founded, b.as_of) or 0
        text += f" since {founded[:4]}" + (f" ({years} years)" if years > 0 else "")
    standing = label(PARTNERSHIP_STATUSES, b.standing).lower()
    if standing not in text.lower():  # "Friendship city …; friendship" says it twice
        text += f"; {standing}"
    # Visits before this one: a packet speaks as of its own visit, not of today.
    done = [
        v
        for v in b.timeline_visits
        if v["status"] == "completed"
        and v["id"] != b.visit.get("id")
        and v["start_date"] < b.as_of.isoformat()
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


def _name(b: Briefing, participant: dict[str, Any]) -> str:
    contact = b.contacts.get(participant.get("contact_id") or -1)
    if not contact:
        return participant.get("name") or ""
    job = job_line(contact, b)
    return person_line(contact, b) + (f", {job}" if job else "")


def who(b: Briefing, *, shareable: bool = False) -> list[tuple[str, str]]:
    """Each side in one line: who leads it (the visiting side's principal, the hosting
    side's host) and how many come. A side's lead falls back to the name the visit gives
    for that role, never to the other side's."""
    out: list[tuple[str, str]] = []
    for side in sides.sides(b.visit, b.participants):
        caption = side_caption(b, side.key, shareable=shareable)
        text = _name(b, side.lead) if side.lead else side.named_lead
        if text:
            text += f" ({label(PARTICIPANT_ROLES, side.role).lower()})"
        elif side.people:
            text = _name(b, side.people[0])
        counted_lead = side.lead or (side.people[0] if text and not side.named_lead else None)
        others = len(side.people) - (1 if counted_lead else 0)
        if others > 0:
            text += f" and {others} other{'s' if others != 1 else ''}"
        out.append((caption, text.strip()))
    return out


def side_caption(b: Briefing, key: str, *, shareable: bool) -> str:
    """'Our side' and 'Their side' in our own packet; each city by its name in the
    partner's copy, which they read from their side."""
    if not shareable:
        return "Our side" if key == sides.OURS else "Their side"
    if key == sides.OURS:
        return str(b.city.get("name") or "Hosts" if b.incoming else b.city.get("name") or "Guests")
    partner = b.partnership or {}
    return str(partner.get("partner_name") or b.visit.get("city") or "Partner")


def when(b: Briefing) -> str:
    v = b.visit
    days = [d for d in dict.fromkeys((v.get("start_date"), v.get("end_date"))) if d]
    text = " to ".join(dates.long_date(d) for d in days)
    if b.their_zone and b.their_zone != b.home_zone and days:
        apart = b.time_difference(short=True)
        if apart and "same time" not in apart:
            text += f" · {apart}"
    return text


def _holidays(b: Briefing) -> str:
    """Public holidays and national days inside the visit, on either side, in a line."""
    from desk.core.features import holidays

    line = holidays.summary_line(
        holidays.during(
            b.visit,
            b.city,
            b.partnership,
            b.itinerary,
            region=b.place.region if b.place else None,
        )
    )
    return str(line or "").removeprefix("Holidays during the visit: ")


def where(b: Briefing) -> str:
    """Where the visit happens: our city for a delegation here, theirs for a mission."""
    return sides.venue(b.visit, b.city)


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
            + (f" {glimpse(sides.place_phrase(v), 200)}" if sides.place_phrase(v) else "")
            + (f" · {dates.long_date(v['start_date'])}" if v.get("start_date") else ""),
            s["subtitle"],
        ),
        Spacer(1, 10),
    ]
    flag = relationship_flag(b)
    if flag and not o.shareable:
        out += [_box(doc, [para(glimpse(flag), s["flag"], bold=True)], MARKING_RED), Spacer(1, 8)]
    facts = [
        *who(b, shareable=o.shareable),
        ("Where", where(b)),
        ("From", sides.origin(v, b.city) if b.incoming else ""),
        ("When", when(b)),
        ("Holidays", _holidays(b)),
        ("Why", "" if o.shareable else (v.get("purpose") or "")),
        ("Relationship", "" if o.shareable else relationship_line(b)),
    ]
    rows = [[para(k, s["label"], bold=True), para(glimpse(t), s["cell"])] for k, t in facts if t]
    out.append(grid(rows, [1.2 * inch, 5.7 * inch], header=False, zebra=False))
    place = _place_block(doc, b, s, o)
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


def _place_block(
    doc: DeskDocument, b: Briefing, s: dict[str, ParagraphStyle], o: BriefingOptions
) -> Flowable | None:
    """Key facts of the place the reader deals with, beside a locator map of it: the
    partner's for our own people; ours for guests coming here; none for a partner
    receiving our mission (they know their own city)."""
    if o.shareable and not b.incoming:
        return None
    if o.shareable:
        facts, name = b.home_profile(), sides.home_place(b.city)
    else:
        facts, name = b.country_profile(), sides.partner_place(b.visit)
        found = places.population_fact(b.place)
        if found:
            facts[found[0]] = found[1]
    counted = [k for k in facts if k.casefold().endswith("population")]
    keep = (*counted, "Time difference", "Official languages", "Currency")
    rows = [
        [para(k, s["label"], bold=True), para(glimpse(facts[k]), s["cell"])]
        for k in keep
        if facts.get(k)
    ]
    caption = para(glimpse(f"About {name}", 200), s["label"], bold=True) if name else Spacer(0, 0)
    picture = locator(b, width=2.6 * inch, height=1.9 * inch)
    if not rows and picture is None:
        return None
    if picture is None:
        return KeepTogether(
            [caption, grid(rows, [1.4 * inch, doc.width - 1.4 * inch], header=False, zebra=False)]
        )
    text_width = doc.width - 2.8 * inch
    table_of_facts = grid(rows, [1.4 * inch, text_width - 1.4 * inch], header=False, zebra=False)
    table = Table(
        [[[caption, table_of_facts], picture]],
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
