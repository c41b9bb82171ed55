"""Briefing packet sections about people, places and the relationship."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table

from desk.core import countries, dates, money
from desk.core.queries import person_name
from desk.core.vocab import (
    AGREEMENT_STATUSES,
    PARTNERSHIP_KINDS,
    PARTNERSHIP_STATUSES,
    VISIT_DIRECTIONS,
    VISIT_STATUSES,
    label,
)
from desk.reports.briefing_data import Briefing
from desk.reports.pdf import DeskDocument, Heading, data_table, grid, para

if TYPE_CHECKING:
    from desk.reports.briefing import BriefingOptions


def table(
    doc: DeskDocument,
    headers: Sequence[str],
    body: Iterable[Sequence[object]],
    widths_in_inches: list[float],
) -> Flowable:
    """A header row over rows of user text, each cell escaped and wrapped."""
    return data_table(doc.styles, headers, body, widths_in_inches)


def local_span(item: dict[str, Any]) -> str:
    """'10:00 AM–11:30 AM, Tokyo (UTC+9)': the item's own local time."""
    start = dt.datetime.fromisoformat(item["starts_at"])
    text = dates.clock(start)
    if item.get("ends_at"):
        text += f"–{dates.clock(dt.datetime.fromisoformat(item['ends_at']))}"
    return f"{text}, {dates.zone_label(item['time_zone'], start)}"


def moment(item: dict[str, Any], zone: str) -> str:
    """The item's start on another clock, with the day when it differs."""
    start = dt.datetime.fromisoformat(item["starts_at"]).replace(tzinfo=ZoneInfo(item["time_zone"]))
    there = start.astimezone(ZoneInfo(zone))
    same_day = there.date() == start.date()
    label = dates.zone_label(zone, there.replace(tzinfo=None))
    day = "" if same_day else f" ({there:%a}, {there:%b} {there.day})"
    return f"{dates.clock(there)}, {label}{day}"


def job_line(contact: dict[str, Any] | None, b: Briefing) -> str:
    if not contact:
        return ""
    org = b.organisations.get(contact.get("organisation_id") or -1, "")
    return ", ".join(p for p in (contact.get("job_title"), org) if p)


def languages(contact: dict[str, Any] | None) -> str:
    if not contact:
        return ""
    return ", ".join(countries.language_name(c) for c in contact.get("languages_list", []))


def person_line(contact: dict[str, Any], b: Briefing) -> str:
    name = person_name(contact)
    native = contact.get("name_native")
    return f"{name} ({native})" if native and native != name else name


def who(b: Briefing, contact_id: int | None, text: str | None) -> str:
    contact = b.contacts.get(contact_id or -1)
    return person_line(contact, b) if contact else (text or "")


def money_cell(row: dict[str, Any], amount: str = "value_minor", currency: str = "currency") -> str:
    return money.text(row.get(amount), row.get(currency))


def _pairs(doc: DeskDocument, pairs: list[tuple[str, str]]) -> Table:
    s = doc.styles
    rows = [[para(k, s["label"], bold=True), para(v, s["cell"])] for k, v in pairs if v]
    return grid(rows, [1.7 * inch, 5.1 * inch], header=False, zebra=False)


def _day(value: str | None) -> str:
    """A date in a table: '4/8/2025'; empty stays empty."""
    return dates.short_date(value) if value else ""


# Statuses a principal must know of before a word is said about the partnership.
_TROUBLED = {"dormant", "suspended", "lapsed", "ended"}


def relationship_flag(b: Briefing) -> str:
    """'The partnership with Irkutsk is SUSPENDED since March 3, 2022: reason.'"""
    own = next((p for p in b.partnerships if p.get("id") == b.visit.get("partnership_id")), None)
    if own is None or own.get("status") not in _TROUBLED:
        return ""
    change = next((h for h in reversed(b.status_history) if h["status"] == own["status"]), None)
    since = f" since {dates.month_day_year(change['changed_on'])}" if change else ""
    reason = f": {change['reason']}" if change and change.get("reason") else ""
    return f"The partnership with {own['partner_name']} is {own['status'].upper()}{since}{reason}"


def cover(doc: DeskDocument, b: Briefing, o: BriefingOptions) -> list[Any]:
    s = doc.styles
    v = b.visit
    where = ", ".join(p for p in (v.get("city"), countries.country_name(v.get("country"))) if p)
    when = " – ".join(
        dates.long_date(d) for d in dict.fromkeys((v.get("start_date"), v.get("end_date"))) if d
    )
    # The marking is in every page's header, the cover's included: once is enough.
    lines: list[Any] = [Spacer(1, 1.3 * inch)]
    lines += [
        para("Program" if o.shareable else "Briefing packet", s["subtitle"]),
        Spacer(1, 10),
        para(v["title"], s["title"], bold=True),
        Spacer(1, 14),
        para(
            label(VISIT_DIRECTIONS, v["direction"]) + (f" · {where}" if where else ""),
            s["subtitle"],
        ),
        para(when, s["subtitle"]),
    ]
    if v.get("principal"):
        lines.append(para(f"Principal: {v['principal']}", s["subtitle"]))
    flag = relationship_flag(b)
    if flag and not o.shareable:
        lines += [Spacer(1, 14), para(flag, s["marking"], bold=True)]
    lines += [Spacer(1, 1.2 * inch)]
    office = ", ".join(p for p in (b.city.get("office_name"), b.city.get("name")) if p)
    if office:
        lines.append(para(f"Prepared by {office}", s["subtitle"]))
    now = dt.datetime.now()
    lines.append(para(f"Generated {dates.long_date(now)}, {dates.clock(now)}", s["subtitle"]))
    if not o.include_personal and not o.shareable:
        lines += [
            Spacer(1, 8),
            para(
                "Personal details (phone numbers, email, dietary needs) are left out of this copy.",
                s["subtitle"],
            ),
        ]
    return lines


def profile(doc: DeskDocument, b: Briefing, _o: BriefingOptions) -> list[Any]:
    facts = b.country_profile()
    if not facts:
        return []
    out: list[Any] = [_pairs(doc, list(facts.items()))]
    if b.partnerships:
        s = doc.styles
        out.append(para("Our ties with this country", s["H2"], bold=True))
        rows = [
            (
                p["partner_name"]
                + (f" ({p['partner_name_native']})" if p.get("partner_name_native") else ""),
                label(PARTNERSHIP_KINDS, p["kind"]),
                label(PARTNERSHIP_STATUSES, p["status"]),
                p.get("established_date") or "",
                next_anniversary(p.get("established_date")),
            )
            for p in b.partnerships
        ]
        heads = ("Partner", "Kind", "Status", "Established", "Next anniversary")
        out.append(table(doc, heads, rows, [2.0, 1.3, 0.9, 1.0, 1.6]))
    return out


def next_anniversary(established: str | None, today: dt.date | None = None) -> str:
    if not established:
        return ""
    start = dt.date.fromisoformat(established)
    today = today or dt.date.today()
    for year in (today.year, today.year + 1):
        try:
            day = start.replace(year=year)
        except ValueError:  # 29 February
            day = dt.date(year, 3, 1)
        if day >= today:
            return f"{dates.month_day_year(day)} ({year - start.year} years)"
    return ""


def history(doc: DeskDocument, b: Briefing, _o: BriefingOptions) -> list[Any]:
    s = doc.styles
    out: list[Any] = []
    if b.status_history:
        names = {p["id"]: p["partner_name"] for p in b.partnerships}
        rows = [
            (
                _day(h["changed_on"]),
                names.get(h["partnership_id"], ""),
                label(PARTNERSHIP_STATUSES, h["status"]),
                h.get("reason") or "",
            )
            for h in b.status_history
        ]
        out += [
            para("Partnership status", s["H2"], bold=True),
            table(doc, ("Date", "Partner", "Status", "Reason"), rows, [0.9, 1.6, 0.9, 3.4]),
        ]
    if b.agreements:
        rows = [
            (
                a["title"],
                label(AGREEMENT_STATUSES, a["status"]),
                _day(a.get("signed_date")),
                _day(a.get("expiry_date")),
                _day(a.get("decision_deadline")),
            )
            for a in b.agreements
        ]
        heads = ("Agreement", "Status", "Signed", "Expires", "Decision due")
        out += [
            para("Agreements and their deadlines", s["H2"], bold=True),
            table(doc, heads, rows, [2.8, 0.9, 0.9, 0.9, 1.3]),
        ]
    if b.past_visits:
        rows = [
            (
                _day(v.get("start_date")),
                v["title"],
                label(VISIT_DIRECTIONS, v["direction"]),
                label(VISIT_STATUSES, v["status"]),
                v.get("outcomes") or "",
            )
            for v in b.past_visits
        ]
        heads = ("When", "Visit", "Direction", "Status", "Outcomes")
        out += [
            para("Past visits, both ways", s["H2"], bold=True),
            table(doc, heads, rows, [0.85, 1.9, 1.2, 0.8, 2.05]),
        ]
        last = next((v["start_date"] for v in b.past_visits if v["status"] == "completed"), "")
        if last:
            out.append(para(f"Last met on {dates.month_day_year(last)}.", s["body"]))
    if b.interactions:
        rows = [
            (_day(i["occurred_on"]), i["subject"], i.get("notes") or "") for i in b.interactions
        ]
        out += [
            para("Recent contacts", s["H2"], bold=True),
            table(doc, ("Date", "Subject", "Notes"), rows, [0.9, 2.4, 3.5]),
        ]
    return out


def briefs(doc: DeskDocument, b: Briefing, o: BriefingOptions) -> list[Any]:
    s = doc.styles
    out: list[Any] = []
    for n, item in enumerate(b.meetings):
        if n:
            out.append(PageBreak())
        start = dt.datetime.fromisoformat(item["starts_at"])
        when = f"{start:%a}, {dates.month_day_year(start)}, {local_span(item)}"
        out.append(Heading(f"{item['title']} — {when}", 1, s["H2"]))
        contact = b.contacts.get(item.get("counterpart_contact_id") or -1)
        pairs: list[tuple[str, str]] = [
            ("Where", ", ".join(p for p in (item.get("place"), item.get("address")) if p))
        ]
        if contact:
            pairs += [
                ("Counterpart", person_name(contact)),
                ("Native script", contact.get("name_native") or ""),
                ("Honorific", contact.get("honorific") or ""),
                ("Written form of address", contact.get("written_address") or ""),
                ("Spoken form of address", contact.get("spoken_address") or ""),
                ("Title and organization", job_line(contact, b)),
                ("Languages", languages(contact)),
                ("Last met on", _day(b.last_met.get(contact["id"]))),
            ]
            if o.include_personal:
                pairs.append(("Dietary needs", contact.get("dietary") or ""))
        elif item.get("counterpart"):
            pairs.append(("Counterpart", item["counterpart"]))
        out.append(_pairs(doc, pairs))
        for caption, key in (
            ("Talking points", "talking_points"),
            ("Their likely asks", "likely_asks"),
            ("Sensitivities", "sensitivities"),
            ("Notes", "notes"),
        ):
            if item.get(key):
                out += [
                    para(caption, s["label"], bold=True),
                    para(item[key], s["body"]),
                    Spacer(1, 4),
                ]
    return out


def agreements(doc: DeskDocument, b: Briefing, _o: BriefingOptions) -> list[Any]:
    s = doc.styles
    out: list[Any] = []
    for a in b.to_sign:
        block = [
            para(a["title"], s["H2"], bold=True),
            _pairs(
                doc,
                [
                    ("Status", label(AGREEMENT_STATUSES, a["status"])),
                    ("Parties", a.get("parties") or ""),
                    ("Term", f"{a['term_months']} months" if a.get("term_months") else ""),
                    (
                        "Approved by",
                        ", ".join(
                            p
                            for p in (
                                a.get("approving_body"),
                                a.get("approval_date"),
                                a.get("approval_reference"),
                            )
                            if p
                        ),
                    ),
                ],
            ),
        ]
        out.append(KeepTogether(block))
        if a.get("body_text"):
            out.append(para(a["body_text"], s["body"]))
    return out


def contacts(doc: DeskDocument, b: Briefing, o: BriefingOptions) -> list[Any]:
    s = doc.styles
    out: list[Any] = []
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
                    " / ".join(p for p in (c.get("phone"), c.get("mobile")) if p),
                    c.get("email") or "",
                ]
            rows.append(cells)
        widths = [2.0, 2.2, 1.2, 1.4] if o.include_personal else [2.8, 4.0]
        out.append(table(doc, heads, rows, widths))
    if b.city.get("emergency_contacts"):
        out += [
            para("Emergency numbers", s["H2"], bold=True),
            para(b.city["emergency_contacts"], s["body"]),
        ]
    return out


def follow_ups(doc: DeskDocument, b: Briefing, _o: BriefingOptions) -> list[Any]:
    if not b.follow_ups:
        return []
    rows = [(_day(f.get("due_date")), f["title"], f.get("notes") or "") for f in b.follow_ups]
    return [table(doc, ("Due", "What", "Notes"), rows, [0.9, 2.9, 3.0])]
