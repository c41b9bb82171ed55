"""Briefing packet sections about the program, the place and the practicalities."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from desk.core.domain import dates, money
from desk.core.domain.vocab import (
    AGREEMENT_STATUSES,
    DRESS_CODES,
    GIFT_DIRECTIONS,
    GIFT_DISPOSITIONS,
    ITINERARY_KINDS,
    PARTNERSHIP_KINDS,
    PARTNERSHIP_STATUSES,
    label,
)
from desk.core.reference import places
from desk.reports.briefing.data import Briefing
from desk.reports.briefing.meetings import clock_span, hours, place_of
from desk.reports.briefing.people import job_line, named, person_line
from desk.reports.writers.pdf import DeskDocument, data_table, fact_table, para, paras
from desk.reports.writers.text import table_date, whole

if TYPE_CHECKING:
    from desk.reports.briefing.options import BriefingOptions


def pairs(doc: DeskDocument, facts: list[tuple[str, str]]) -> list[Flowable]:
    """Label and value rows; empty values are left out."""
    return fact_table(doc.styles, facts, 1.7 * inch, doc.width)


def moment(item: dict[str, Any], zone: str) -> str:
    """The item's start on another clock (named in the column's header), with the day
    when it differs."""
    # The stored offset of a repeated hour is kept: the second 1:30 AM is not the first.
    start = dates.wall_clock(item["starts_at"], item["time_zone"])
    there = start.astimezone(ZoneInfo(zone))
    day = "" if there.date() == start.date() else f" ({dates.weekday_month_day(there)})"
    return whole(dates.clock(there)) + day


def objectives(doc: DeskDocument, b: Briefing, _o: BriefingOptions) -> list[Flowable]:
    s = doc.styles
    out: list[Flowable] = []
    for caption, key in (
        ("Purpose", "purpose"),
        ("Objectives", "objectives"),
        ("The one thing to avoid", "avoid"),
        ("Purpose stated in the request", "request_purpose"),
        ("Background notes", "notes"),
    ):
        if b.visit.get(key):
            out += [para(caption, s["H2"], bold=True), *paras(b.visit[key], s["body"])]
    return out


def itinerary(doc: DeskDocument, b: Briefing, _o: BriefingOptions) -> list[Flowable]:
    if not b.itinerary:
        return []
    s = doc.styles
    # Outgoing: our clock at home beside theirs; incoming: their home clock beside ours,
    # when the gazetteer knows it (never a guess).
    beside_zone = b.their_zone if b.incoming else b.home_zone
    beside = "Their home time" if b.incoming else "Home time"
    by_day: dict[str, list[dict[str, Any]]] = {}
    for item in b.itinerary:
        by_day.setdefault(item["starts_at"][:10], []).append(item)
    out: list[Flowable] = []
    for day, items in by_day.items():
        noon = dt.datetime.fromisoformat(f"{day}T12:00")
        zones = {item["time_zone"] for item in items}
        # A day kept on one clock names it once, in the header, not in every row.
        one_zone = next(iter(zones)) if len(zones) == 1 else None
        local_head = "Local time"
        if one_zone:
            local_head += f", {dates.zone_label(one_zone, noon, place_of(b, one_zone))}"
        rows = []
        for item in items:
            counterpart = b.contacts.get(item.get("counterpart_contact_id") or -1)
            rows.append(
                [
                    whole(hours(item)) if one_zone else clock_span(item, b),
                    moment(item, beside_zone) if beside_zone else "",
                    f"{item['title']}\n({label(ITINERARY_KINDS, item['kind']).lower()})",
                    "\n".join(p for p in (item.get("place"), item.get("address")) if p),
                    person_line(counterpart, b) if counterpart else (item.get("counterpart") or ""),
                    label(DRESS_CODES, item.get("dress_code")),
                ]
            )
        heads = [local_head, "", "What", "Where", "With", "Dress"]
        widths = [1.15, 1.15, 1.5, 1.2, 1.2, 0.7]
        if beside_zone:
            heads[1] = f"{beside}, {dates.zone_label(beside_zone, noon, place_of(b, beside_zone))}"
        else:
            rows = [row[:1] + row[2:] for row in rows]
            del heads[1], widths[1]
            widths[1] += 1.15
        # A day's heading never ends a page, but a long day starts where the last one
        # ended and runs on: a whole-day block would strand a near-empty page before it.
        out += [
            CondPageBreak(1.3 * inch),
            para(dates.long_date(day), s["H2"], bold=True),
            *data_table(s, heads, rows, widths),
        ]
    return out


def profile(doc: DeskDocument, b: Briefing, _o: BriefingOptions) -> list[Flowable]:
    """Key facts about the partner city and country, and our ties there."""
    facts = b.country_profile()
    found = places.population_fact(b.place)
    if found:
        facts = {found[0]: found[1], **facts}
    if not facts:
        return []
    out: list[Flowable] = pairs(doc, list(facts.items()))
    own = b.partnership
    if own:
        row = (
            own["partner_name"]
            + (f" ({own['partner_name_native']})" if own.get("partner_name_native") else ""),
            label(PARTNERSHIP_KINDS, own["kind"]),
            label(PARTNERSHIP_STATUSES, own["status"]),
            table_date(own.get("established_date")),
            next_anniversary(own.get("established_date"), b.visit.get("start_date")),
        )
        heads = ("Partner", "Kind", "Status", "Established", "Next anniversary")
        out += [
            Spacer(1, 8),
            *data_table(doc.styles, heads, [row], [1.9, 1.2, 0.9, 1.2, 1.6]),
        ]
    return out


def next_anniversary(established: str | None, on: str | dt.date | None = None) -> str:
    """The first anniversary on or after `on` (the visit's start, else today):
    'June 21, 2026 (65 years)', or '2026 (65 years)' for a founding known to its year."""
    day = dates.stored_date(on) if isinstance(on, str) else on
    found = dates.anniversary(established, day or dt.date.today())
    return f"{found[0]} ({found[1]} years)" if found else ""


def gifts(doc: DeskDocument, b: Briefing, _o: BriefingOptions) -> list[Flowable]:
    s = doc.styles
    out: list[Flowable] = []
    dress = sorted(
        {label(DRESS_CODES, i["dress_code"]) for i in b.itinerary if i.get("dress_code")}
    )
    if dress:
        out.append(para("Dress codes in the program: " + ", ".join(dress), s["body"]))
    if b.gifts:
        rows = [
            (
                label(GIFT_DIRECTIONS, g["direction"]),
                g["description"],
                money.text(g.get("value_minor"), g.get("currency")),
                named(b, g.get("giver_contact_id"), g.get("giver")),
                named(b, g.get("recipient_contact_id"), g.get("recipient")),
                label(GIFT_DISPOSITIONS, g["disposition"]),
            )
            for g in b.gifts
        ]
        heads = ("Given or received", "Gift", "Value", "From", "To", "Disposition")
        out += [Spacer(1, 4), *data_table(s, heads, rows, [0.95, 1.85, 0.8, 1.2, 1.2, 0.9])]
    return out


def agreements(doc: DeskDocument, b: Briefing, _o: BriefingOptions) -> list[Flowable]:
    s = doc.styles
    out: list[Flowable] = []
    for a in b.to_sign:
        approval = ", ".join(
            p
            for p in (
                a.get("approving_body"),
                table_date(a.get("approval_date")),
                a.get("approval_reference"),
            )
            if p
        )
        block = [
            para(a["title"], s["H2"], bold=True),
            *pairs(
                doc,
                [
                    ("Status", label(AGREEMENT_STATUSES, a["status"])),
                    ("Parties", a.get("parties") or ""),
                    ("Term", f"{a['term_months']} months" if a.get("term_months") else ""),
                    ("Approved by", approval),
                ],
            ),
        ]
        out += [CondPageBreak(1.2 * inch), *block]
        if a.get("body_text"):
            out += paras(a["body_text"], s["body"])
    return out


def press(doc: DeskDocument, b: Briefing, _o: BriefingOptions) -> list[Flowable]:
    text = b.visit.get("press_line")
    return paras(text, doc.styles["body"]) if text else []


def logistics(doc: DeskDocument, b: Briefing, o: BriefingOptions) -> list[Flowable]:
    v = b.visit
    advance = b.contacts.get(v.get("advance_contact_id") or -1)
    reach = ""
    if advance:
        reach = person_line(advance, b)
        job = job_line(advance, b)
        reach += f", {job}" if job else ""
        if o.include_personal:
            ways = [whole(advance.get(k)) for k in ("mobile", "phone", "email") if advance.get(k)]
            reach += f" · {' · '.join(ways)}" if ways else ""
    facts = [
        ("Travel", v.get("travel") or ""),
        ("Hotel", v.get("lodging") or ""),
        ("Advance contact", reach),
    ]
    out = pairs(doc, facts)
    if b.travel is not None and not o.shareable:
        from desk.reports.briefing.pickups import travel_section

        out += travel_section(doc.styles, b.travel)
    return out


def contacts(doc: DeskDocument, b: Briefing, o: BriefingOptions) -> list[Flowable]:
    s = doc.styles
    out: list[Flowable] = []
    people = [b.contacts[p["contact_id"]] for p in b.participants if p.get("contact_id")]
    people += [c for c in b.contacts.values() if c not in people]
    if people:
        heads = ["Name", "Title and organization"] + (
            ["Phone", "Email"] if o.include_personal else []
        )
        rows = []
        for c in people:
            cells = [person_line(c, b), job_line(c, b)]
            if o.include_personal:
                cells += [
                    " / ".join(whole(p) for p in (c.get("phone"), c.get("mobile")) if p),
                    c.get("email") or "",
                ]
            rows.append(cells)
        widths = [1.9, 2.0, 1.3, 1.7] if o.include_personal else [2.8, 4.1]
        out += data_table(s, heads, rows, widths)
    out += emergency(doc, b)
    return out


def emergency(doc: DeskDocument, b: Briefing) -> list[Flowable]:
    """Numbers for this trip's direction: abroad, our embassy or consulate there and the
    numbers for our travelers; at home, local services and their consulate here."""
    s = doc.styles
    out: list[Flowable] = []
    if b.missions:
        title = "U.S. embassy and consulates" if not b.incoming else "Their consulate"
        rows = [
            (
                m["name"] + (f" ({m['name_native']})" if m.get("name_native") else ""),
                m.get("city") or "",
                whole(m.get("phone")),
                m.get("email") or m.get("website") or "",
            )
            for m in b.missions
        ]
        out += [
            CondPageBreak(1.2 * inch),
            para(title, s["H2"], bold=True),
            *data_table(
                s, ("Post", "City", "Phone", "Email or website"), rows, [2.6, 1.1, 1.4, 1.8]
            ),
        ]
    text = b.city.get("emergency_contacts" if b.incoming else "travel_emergency")
    if text:
        caption = "Local emergency numbers" if b.incoming else "Emergency numbers for our travelers"
        out += [CondPageBreak(1 * inch), para(caption, s["H2"], bold=True), *paras(text, s["body"])]
    return out


def follow_ups(doc: DeskDocument, b: Briefing, _o: BriefingOptions) -> list[Flowable]:
    if not b.follow_ups:
        return []
    rows = [(table_date(f.get("due_date")), f["title"], f.get("notes") or "") for f in b.follow_ups]
    return data_table(doc.styles, ("Due", "What", "Notes"), rows, [1.2, 2.7, 3.0])
