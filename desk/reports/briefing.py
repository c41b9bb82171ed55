"""The briefing packet: a PDF a mayor can travel with, made from the records.

`build_briefing(db, visit, out)` writes it. Two variants follow the visit's direction:
an outgoing mission (our delegation abroad, times in local time with home time beside)
and an incoming delegation (their delegation here, with their home time beside ours).
Sections with nothing to say are left out.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer

from desk.core.dates import long_date
from desk.core.db import Database
from desk.core.files import check_output_path, safe_write, verify_pdf
from desk.core.queries import person_name
from desk.core.vocab import (
    DRESS_CODES,
    GIFT_DIRECTIONS,
    GIFT_DISPOSITIONS,
    ITINERARY_KINDS,
    PARTICIPANT_ROLES,
    SIDES,
    label,
)
from desk.reports import sections
from desk.reports.briefing_data import Briefing, gather, partner_view
from desk.reports.pdf import DeskDocument, Heading, contents, footer_line, para

Progress = Callable[[int, int, str], None]

# Section keys in packet order, with their titles for each variant.
SECTIONS: dict[str, tuple[str, str]] = {
    "objectives": ("Objectives and desired outcomes", "Objectives and desired outcomes"),
    "itinerary": ("Itinerary", "Program"),
    "delegation": ("Delegation", "Delegation and hosts"),
    "profile": ("Country and city profile", "Country and city profile"),
    "history": ("Relationship history", "Relationship history"),
    "briefs": ("Meeting briefs", "Meeting briefs"),
    "gifts": ("Protocol and gift plan", "Protocol and gift plan"),
    "agreements": ("Agreements to sign", "Agreements to sign"),
    "press": ("Press line", "Press line"),
    "contacts": ("Contacts and emergency numbers", "Contacts and emergency numbers"),
    "follow_ups": ("Open follow-ups", "Open follow-ups"),
}
MARKINGS = (
    "",
    "SENSITIVE - NOT FOR DISTRIBUTION",
    "FOR OFFICIAL USE ONLY",
    "DRAFT",
    "SHAREABLE WITH PARTNER",
)


# The only sections a copy for the partner can hold.
SHAREABLE_SECTIONS = frozenset({"itinerary", "delegation"})
SHAREABLE_MARKING = "SHAREABLE WITH PARTNER"


@dataclass(frozen=True)
class BriefingOptions:
    sections: frozenset[str] = field(default_factory=lambda: frozenset(SECTIONS))
    marking: str = "SENSITIVE - NOT FOR DISTRIBUTION"
    # Phone numbers, emails and dietary needs in an internal copy.
    include_personal: bool = True
    # The copy for the partner, built from an allow-list (see partner_view): the program
    # and their delegation; no internal notes, plans, values, markings or personal details.
    shareable: bool = False

    def for_partner(self) -> BriefingOptions:
        return BriefingOptions(
            sections=self.sections & SHAREABLE_SECTIONS,
            marking=SHAREABLE_MARKING,
            include_personal=False,
            shareable=True,
        )


def build_briefing(
    db: Database,
    visit: int | str,
    out: Path | None = None,
    options: BriefingOptions | None = None,
    progress: Progress | None = None,
) -> bytes:
    """Write the packet to `out` (atomically) and return its bytes."""
    options = options or BriefingOptions()
    if options.shareable:
        options = options.for_partner()
    if out is not None:
        check_output_path(out)  # before the layout, which can take a while
    if progress:
        progress(0, 3, "Reading the records")
    data = gather(db, visit)
    if options.shareable:
        data = partner_view(data)
    if progress:
        progress(1, 3, "Laying out the packet")
    # A contents page only where it helps: laid out without one first, and again with
    # one when the packet reaches six pages.
    pdf, pages = _layout(data, options, with_contents=False)
    if pages >= CONTENTS_FROM_PAGES:
        pdf, pages = _layout(data, options, with_contents=True)
    if progress:
        progress(2, 3, "Saving")
    if out is not None:
        safe_write(out, pdf, verify=verify_pdf)
    if progress:
        progress(3, 3, "Done")
    return pdf


CONTENTS_FROM_PAGES = 6


def _layout(data: Briefing, options: BriefingOptions, *, with_contents: bool) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    variant = 1 if data.incoming else 0
    title = data.visit["title"]
    office = " · ".join(p for p in (data.city.get("office_name"), data.city.get("name")) if p)
    doc = DeskDocument(
        buffer,
        title=title,
        header=f"Program: {title}" if options.shareable else f"Briefing packet: {title}",
        marking=options.marking,
        footer=footer_line(office),
    )
    story = sections.cover(doc, data, options)
    body: list[Any] = []
    for key, titles in SECTIONS.items():
        if key not in options.sections:
            continue
        flowables = BUILDERS[key](doc, data, options)
        if flowables:
            body += [
                CondPageBreak(2 * inch),
                Heading(titles[variant], 0, doc.styles["H1"]),
                *flowables,
                Spacer(1, 10),
            ]
    if body and with_contents:
        story += [
            PageBreak(),
            Heading("Contents", 0, doc.styles["H1"], in_contents=False),
            contents(doc),
        ]
    if body:
        story += [PageBreak(), *body]
    doc.render(story)
    return buffer.getvalue(), doc.page


def _objectives(doc: DeskDocument, b: Briefing, _o: BriefingOptions) -> list[Any]:
    s = doc.styles
    out: list[Any] = []
    for caption, key in (
        ("Purpose", "purpose"),
        ("Objectives", "objectives"),
        ("Purpose stated in the request", "request_purpose"),
        ("Background notes", "notes"),
    ):
        if b.visit.get(key):
            out += [para(caption, s["H2"], bold=True), para(b.visit[key], s["body"])]
    return out


def _itinerary(doc: DeskDocument, b: Briefing, _o: BriefingOptions) -> list[Any]:
    if not b.itinerary:
        return []
    s = doc.styles
    beside_zone = b.home_zone if not b.incoming else (b.their_zone or b.home_zone)
    beside = "Home time" if not b.incoming else "Their home time"
    out: list[Any] = []
    by_day: dict[str, list[dict[str, Any]]] = {}
    for item in b.itinerary:
        by_day.setdefault(item["starts_at"][:10], []).append(item)
    for day, items in by_day.items():
        out.append(para(long_date(day), s["H2"], bold=True))
        rows = []
        for item in items:
            counterpart = b.contacts.get(item.get("counterpart_contact_id") or -1)
            who = (
                sections.person_line(counterpart, b)
                if counterpart
                else (item.get("counterpart") or "")
            )
            rows.append(
                [
                    sections.local_span(item),
                    sections.moment(item, beside_zone),
                    f"{item['title']}\n({label(ITINERARY_KINDS, item['kind'])})",
                    "\n".join(p for p in (item.get("place"), item.get("address")) if p),
                    who,
                    label(DRESS_CODES, item.get("dress_code")),
                ]
            )
        out.append(
            sections.table(
                doc,
                ("Local time", beside, "What", "Where", "With", "Dress"),
                rows,
                [0.95, 1.0, 1.6, 1.2, 1.35, 0.8],
            )
        )
    return out


def _delegation(doc: DeskDocument, b: Briefing, o: BriefingOptions) -> list[Any]:
    if not b.participants:
        return []
    heads = ["Name", "Native script", "Role", "Side", "Title and organization", "Languages"]
    if o.include_personal:
        heads.append("Diet")
    rows = []
    for p in b.participants:
        contact = b.contacts.get(p.get("contact_id") or -1)
        name = person_name(contact) if contact else (p.get("name") or "")
        if contact and contact.get("honorific"):
            name = f"{contact['honorific']} {name}"
        cells = [
            name,
            (contact or {}).get("name_native") or "",
            label(PARTICIPANT_ROLES, p["role"]),
            label(SIDES, p["side"]),
            sections.job_line(contact, b),
            sections.languages(contact),
        ]
        if o.include_personal:
            cells.append((contact or {}).get("dietary") or "")
        rows.append(cells)
    widths = [1.25, 0.95, 0.85, 0.7, 1.4, 0.9]
    if o.include_personal:
        widths.append(0.85)
    else:  # the space of the diet column goes to titles
        widths[4] += 0.85
    return [sections.table(doc, heads, rows, widths)]


def _gifts(doc: DeskDocument, b: Briefing, _o: BriefingOptions) -> list[Any]:
    s = doc.styles
    out: list[Any] = []
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
                sections.money_cell(g),
                sections.who(b, g.get("giver_contact_id"), g.get("giver")),
                sections.who(b, g.get("recipient_contact_id"), g.get("recipient")),
                label(GIFT_DISPOSITIONS, g["disposition"]),
            )
            for g in b.gifts
        ]
        heads = ("Given / received", "Gift", "Value", "From", "To", "Disposition")
        out += [Spacer(1, 4), sections.table(doc, heads, rows, [0.9, 1.9, 0.8, 1.2, 1.2, 0.9])]
    return out


def _press(doc: DeskDocument, b: Briefing, _o: BriefingOptions) -> list[Any]:
    text = b.visit.get("press_line")
    return [KeepTogether([para(text, doc.styles["body"])])] if text else []


BUILDERS: dict[str, Callable[[DeskDocument, Briefing, BriefingOptions], list[Any]]] = {
    "objectives": _objectives,
    "itinerary": _itinerary,
    "delegation": _delegation,
    "profile": sections.profile,
    "history": sections.history,
    "briefs": sections.briefs,
    "gifts": _gifts,
    "agreements": sections.agreements,
    "press": _press,
    "contacts": sections.contacts,
    "follow_ups": sections.follow_ups,
}
assert set(BUILDERS) == set(SECTIONS)
