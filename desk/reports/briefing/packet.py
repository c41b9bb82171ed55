"""The briefing packet: a PDF a mayor can travel with, made from the records.

`build_briefing(db, visit, out)` writes it. Two variants follow the visit's direction:
an outgoing mission (our delegation abroad, times in local time with home time beside)
and an incoming delegation (their delegation here, with their home time beside ours).
Sections with nothing to say are left out.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, PageBreak, Spacer

from desk.core.progress import Progress
from desk.core.store.db import Database
from desk.reports.briefing import meetings, people, relationship, sections
from desk.reports.briefing.data import Briefing, gather, partner_view
from desk.reports.briefing.glance import glance
from desk.reports.briefing.options import (
    SECTIONS,
    BriefingOptions,
)
from desk.reports.writers.pdf import DeskDocument, Heading, contents, footer_line, make_pdf
from desk.reports.writers.text import glimpse


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
    chosen = options

    def read() -> Briefing:
        data = gather(db, visit)
        return partner_view(data) if chosen.shareable else data

    return make_pdf(out, "packet", read, lambda data: _lay_out(data, chosen), progress)


def _lay_out(data: Briefing, options: BriefingOptions) -> bytes:
    # A contents page only where it helps: laid out without one first, and again with
    # one when the packet reaches six pages; a packet with more text than six pages can
    # hold skips the first pass, which for megabytes of notes would double the wait.
    # Which way to start is a guess from the records; only a wrong guess costs a second
    # layout.
    guess = _characters(data) > CONTENTS_FROM_PAGES * MOST_CHARACTERS_PER_PAGE or (
        _rows(data) >= ROWS_FOR_SIX_PAGES
    )
    pdf, pages = _layout(data, options, with_contents=guess)
    if (pages - (1 if guess else 0) >= CONTENTS_FROM_PAGES) != guess:
        pdf, pages = _layout(data, options, with_contents=not guess)
    return pdf


CONTENTS_FROM_PAGES = 6
# More than a letter page holds in the packet's smallest type, tables included.
MOST_CHARACTERS_PER_PAGE = 12_000


# About as many table rows and blocks as fill six pages of a packet.
ROWS_FOR_SIX_PAGES = 25


def _rows(data: Briefing) -> int:
    return (
        len(data.itinerary)
        + len(data.participants)
        + 3 * len(data.meetings)
        + 2 * len(data.counterparts)
        + len(data.agreements)
        + len(data.timeline_visits)
        + len(data.contacts)
        + len(data.follow_ups)
    )


def _characters(data: Briefing) -> int:
    rows = [data.visit, *data.itinerary, *data.participants, *data.gifts, *data.agreements]
    rows += [*data.interactions, *data.follow_ups, *data.past_visits, *data.contacts.values()]
    return sum(len(value) for row in rows for value in row.values() if isinstance(value, str))


def _layout(data: Briefing, options: BriefingOptions, *, with_contents: bool) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    variant = 1 if data.incoming else 0
    title = data.visit["title"]
    office = " · ".join(p for p in (data.city.get("office_name"), data.city.get("name")) if p)
    doc = DeskDocument(
        buffer,
        title=title,
        # The header is one line on every page: a long title is cut there, whole on page 1.
        header=(
            f"Program: {glimpse(title, 90)}"
            if options.shareable
            else f"Briefing packet: {glimpse(title, 90)}"
        ),
        marking=options.marking,
        footer=footer_line(office),
    )
    story: list[Any] = glance(doc, data, options)
    body: list[Any] = []
    for key, titles in SECTIONS.items():
        if key not in options.sections:
            continue
        flowables = BUILDERS[key](doc, data, options)
        # The heading keeps with what follows it: a section's own "start a page when
        # little room is left" would come between them and strand the heading.
        while flowables and isinstance(flowables[0], CondPageBreak):
            flowables = flowables[1:]
        if flowables:
            body += [
                CondPageBreak(1.3 * inch),
                Heading(_title(key, titles[variant], data), 0, doc.styles["H1"]),
                *flowables,
                Spacer(1, 10),
            ]
    if body and with_contents:
        story += [
            PageBreak(),
            Heading("Contents", 0, doc.styles["H1"], in_contents=False),
            contents(doc),
        ]
    if body and with_contents:
        story += [PageBreak(), *body]
    elif body:
        # A short packet (quick entry) runs on below its summary rather than leave page 1
        # nearly empty and page 2 holding one line.
        story += [Spacer(1, 18), CondPageBreak(3.5 * inch), *body]
    doc.render(story)
    return buffer.getvalue(), doc.page


def _title(key: str, title: str, data: Briefing) -> str:
    """A section's title; the partner's place is named at its level ("Partner state and
    country" for a state)."""
    if key == "profile" and data.place is not None and data.place.level != "city":
        what = "country" if data.place.level == "country" else data.place.kind.split()[-1]
        return "Partner country" if what == "country" else f"Partner {what.lower()} and country"
    return title


BUILDERS: dict[str, Callable[[DeskDocument, Briefing, BriefingOptions], list[Any]]] = {
    "objectives": sections.objectives,
    "itinerary": sections.itinerary,
    "briefs": meetings.briefs,
    "counterparts": people.counterparts,
    "delegation": people.delegation,
    "profile": sections.profile,
    "history": relationship.history,
    "agreements": sections.agreements,
    "gifts": sections.gifts,
    "press": sections.press,
    "logistics": sections.logistics,
    "contacts": sections.contacts,
    "follow_ups": sections.follow_ups,
}
assert set(BUILDERS) == set(SECTIONS)
