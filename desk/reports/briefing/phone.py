"""The trip pack for a phone: one PDF a delegate keeps offline for the trip, on pages of
a phone's size (90 x 160 mm) and read without zooming. Page 1 says where, when and the
hotel, and lists the days and sections, each a link within the file; then each day's
program as a list in local time with home time beside it, the places and their plain
addresses; who to call; and the travel plan with the delegation, each delegate's
arrival where it is recorded.

It is made from the packet's own data (`data.gather`) with the packet's options: the
partner's copy is made from `partner_view`, so it holds nothing internal. No link leaves
the file: an address is text, since a maps link would need the network.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch, mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from desk.core.domain import dates
from desk.core.domain.vocab import (
    DRESS_CODES,
    ITINERARY_KINDS,
    PARTICIPANT_ROLES,
    SIDES,
    VISIT_DIRECTIONS,
    label,
)
from desk.core.features import sides
from desk.core.progress import Progress
from desk.core.store.db import Database
from desk.core.store.queries import fetch, person_name
from desk.reports.briefing.data import Briefing, gather, partner_view
from desk.reports.briefing.meetings import hours, place_of
from desk.reports.briefing.options import BriefingOptions
from desk.reports.briefing.people import job_line, person_line
from desk.reports.writers.fonts import SANS, SANS_BOLD
from desk.reports.writers.layout import text_width
from desk.reports.writers.pdf import (
    ACCENT,
    INK,
    MARKING_RED,
    RULE,
    SHADE,
    CountedDocument,
    Heading,
    make_pdf,
    para,
    paras,
    styles,
)
from desk.reports.writers.text import RTL_LETTER, clean, markup, whole

# A phone held upright: about 3.5 by 6.3 inches, which a viewer fits to the screen's
# width, so 10-point type reads at about the size of a phone's own text.
PAGE = (90 * mm, 160 * mm)
SIDE_MARGIN = 4.5 * mm
TOP_MARGIN = 11 * mm
BOTTOM_MARGIN = 8.5 * mm
BODY_SIZE = 10.0
SMALL_SIZE = 8.0
HOME_SIZE = 8.5
MUTED = colors.HexColor("#4b5563")
# The home clock beside the local one: a step lighter, so the eye finds local time first.
BESIDE = colors.HexColor("#5b6675")


def build_phone_pack(
    db: Database,
    visit: int | str,
    out: Path | None = None,
    options: BriefingOptions | None = None,
    progress: Progress | None = None,
) -> bytes:
    """Write the trip pack to `out` (atomically) and return its bytes."""
    options = options or BriefingOptions()
    if options.shareable:
        options = options.for_partner()
    chosen = options

    def read() -> tuple[Briefing, Legs]:
        data = gather(db, visit)
        if chosen.shareable:
            # Flights, greeters and hotel rooms are internal: the partner's copy has none.
            return partner_view(data), {}
        return data, travel_legs(db, data)

    return make_pdf(out, "trip pack", read, lambda found: lay_out(*found, chosen), progress)


# A visit's travel legs by the participant who travels (None: the whole delegation).
Legs = dict[int | None, list[dict[str, Any]]]


def travel_legs(db: Database, b: Briefing) -> Legs:
    """Each delegate's own legs (how and when they arrive and leave, who meets them,
    where they stay), and the delegation's as a whole, in the order they happen."""
    rows = fetch(
        db,
        "SELECT * FROM travel_legs WHERE visit_id = ? "
        "ORDER BY coalesce(arrives_at, departs_at) IS NULL, coalesce(arrives_at, departs_at), id",
        (b.visit["id"],),
    )
    wanted = {row["met_by_contact_id"] for row in rows if row.get("met_by_contact_id")}
    greeters: dict[int, str] = {}
    if wanted:
        marks = ", ".join("?" * len(wanted))
        for contact in fetch(db, f"SELECT * FROM contacts WHERE id IN ({marks})", tuple(wanted)):
            greeters[contact["id"]] = person_line(contact, b)
    # In the order they happen: each time in its own zone (a flight east lands "before"
    # it leaves by the clock on the wall), not by the text of the time.
    rows.sort(key=_moment_of)
    legs: Legs = {}
    for row in rows:
        row["met_by"] = greeters.get(row.get("met_by_contact_id") or -1) or row.get("met_by")
        legs.setdefault(row.get("participant_id"), []).append(row)
    return legs


def _moment_of(row: dict[str, Any]) -> tuple[int, float, int]:
    from desk.core.domain.dates import wall_clock

    for stored, zone in (
        (row.get("departs_at"), row.get("departs_zone")),
        (row.get("arrives_at"), row.get("time_zone")),
    ):
        if stored:
            try:
                moment = wall_clock(str(stored), str(zone) if zone else None)
            except (ValueError, KeyError):
                continue
            return (0, moment.timestamp(), int(row["id"]))
    return (1, 0.0, int(row["id"]))


def lay_out(data: Briefing, legs: Legs, options: BriefingOptions) -> bytes:
    """The pack's PDF for data already gathered (and already the partner's view, for the
    partner's copy), with the visit's travel legs where this copy shows them."""
    buffer = io.BytesIO()
    doc = PhoneDocument(
        buffer,
        title=str(data.visit.get("title") or ""),
        header=f"{pack_name(data, options)}: {clean(data.visit['title'])}",
        marking=options.marking,
    )
    doc.legs = legs
    parts = [
        (key, title, flowables)
        for key, title, build in _parts(doc, data, options)
        if (flowables := build(doc, data, options))
    ]
    story: list[Any] = cover(doc, data, options, [(key, title) for key, title, _ in parts])
    for key, title, flowables in parts:
        # Each section starts a page: a link on page 1 lands on its first line.
        while flowables and isinstance(flowables[0], CondPageBreak):
            flowables = flowables[1:]
        story += [PageBreak(), Mark(title, 0, doc.styles["H1"], key=key), *flowables]
    doc.render(story)
    return buffer.getvalue()


def pack_name(b: Briefing, o: BriefingOptions) -> str:
    """What the pack is called on its pages: the partner reads a program; our own people
    a trip pack, or a visit pack for a delegation they receive here."""
    if o.shareable:
        return "Program"
    return "Visit pack" if b.incoming else "Trip pack"


Part = Callable[["PhoneDocument", Briefing, BriefingOptions], list[Flowable]]


def _parts(
    doc: PhoneDocument, data: Briefing, options: BriefingOptions
) -> list[tuple[str, str, Part]]:
    """The pack's sections in the order a delegate reaches for them, each shown when the
    packet's matching section is chosen and has something to say."""
    chosen = options.sections
    out: list[tuple[str, str, Part]] = []
    if "itinerary" in chosen:
        out.append(("program", "Program", program))
    if chosen & {"contacts", "logistics"}:
        out.append(("call", "Who to call", who_to_call))
    if chosen & {"delegation", "logistics"}:
        title = "Travel and delegation" if _travel(doc, data, options) else "Delegation"
        out.append(("travel", title, travel))
    return out


# -- the document -------------------------------------------------------------------------


def phone_styles() -> dict[str, ParagraphStyle]:
    """The packet's styles at a phone's sizes: body text at 10 points, 8 for the home
    clock and small print, 7 for the page's own header and footer."""
    base = styles()
    body = ParagraphStyle(
        "phone_body", parent=base["body"], fontSize=BODY_SIZE, leading=BODY_SIZE * 1.35
    )
    return {
        "body": body,
        "bold": ParagraphStyle("phone_bold", parent=body, fontName=SANS_BOLD),
        "muted": ParagraphStyle("phone_muted", parent=body, fontSize=9.5, textColor=MUTED),
        "small": ParagraphStyle(
            "phone_small", parent=body, fontSize=SMALL_SIZE, leading=SMALL_SIZE * 1.3
        ),
        "time": ParagraphStyle(
            "phone_time", parent=body, fontName=SANS_BOLD, fontSize=10.5, textColor=ACCENT
        ),
        "label": ParagraphStyle(
            "phone_label",
            parent=body,
            fontName=SANS_BOLD,
            fontSize=9.5,
            textColor=ACCENT,
            spaceBefore=6,
            keepWithNext=1,
        ),
        "kicker": ParagraphStyle(
            "phone_kicker", parent=body, fontName=SANS_BOLD, fontSize=9.5, textColor=ACCENT
        ),
        "title": ParagraphStyle(
            "phone_title",
            parent=body,
            fontName=SANS_BOLD,
            fontSize=16,
            leading=20,
            textColor=ACCENT,
            spaceAfter=4,
        ),
        "H1": ParagraphStyle(
            "phone_H1",
            parent=body,
            fontName=SANS_BOLD,
            fontSize=14,
            leading=18,
            textColor=ACCENT,
            spaceBefore=2,
            spaceAfter=4,
            keepWithNext=1,
        ),
        # A day stands out as a band across the page, where a thumb scrolling stops.
        "day": ParagraphStyle(
            "phone_day",
            parent=body,
            fontName=SANS_BOLD,
            fontSize=11.5,
            leading=15,
            textColor=INK,
            backColor=SHADE,
            borderPadding=2.5,
            spaceBefore=8,
            spaceAfter=5,
            keepWithNext=1,
        ),
        "link": ParagraphStyle(
            "phone_link", parent=body, fontSize=10.5, leading=19, textColor=ACCENT
        ),
        "marking": ParagraphStyle(
            "phone_marking", parent=body, fontName=SANS_BOLD, fontSize=7, textColor=MARKING_RED
        ),
        "chrome": ParagraphStyle("phone_chrome", parent=body, fontSize=7, leading=8.5),
        "running": ParagraphStyle(
            "phone_running", parent=body, fontSize=8, leading=9.5, textColor=ACCENT
        ),
    }


class Rule(HRFlowable):
    """A thin line between two blocks of a list; none at the top of a page, where
    nothing is above it to set apart."""

    def __init__(self) -> None:
        super().__init__(width="100%", thickness=0.5, color=RULE, spaceBefore=4, spaceAfter=4)
        self._hidden = False

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # The frame says whether it is at its top when it places the rule; measured
        # with its block beforehand, the rule counts in full.
        frame = getattr(self, "_frame", None)
        self._hidden = bool(frame is not None and getattr(frame, "_atTop", False))
        if self._hidden:
            return availWidth, 0
        width, height = super().wrap(availWidth, availHeight)
        return float(width), float(height)

    def getSpaceAfter(self) -> float:
        return 0 if self._hidden else float(self.spaceAfter)

    def draw(self) -> None:
        if not self._hidden:
            super().draw()


class Mark(Heading):
    """A heading with a name of its own, for the outline and for the links on page 1."""

    def __init__(self, text: object, level: int, style: ParagraphStyle, *, key: str) -> None:
        super().__init__(text, level, style, in_contents=False)
        self.key = key


class PhoneDocument(CountedDocument):
    """Phone-sized pages, one column the width of the screen, with the marking and a
    running head on top and "Page N of M" below. The running head says where a page
    starts: the pack's title, or the day (or section) it carries on from, so a page
    opened in the middle of a day says which day it is."""

    def __init__(self, target: Any, *, title: str, header: str, marking: str) -> None:
        super().__init__(
            target,
            title=title,
            pagesize=PAGE,
            leftMargin=SIDE_MARGIN,
            rightMargin=SIDE_MARGIN,
            topMargin=TOP_MARGIN,
            bottomMargin=BOTTOM_MARGIN,
        )
        self.styles = phone_styles()
        self.header_text = header
        self.marking = marking
        self.stamp = dates.short_date(dt.date.today())
        self.legs: Legs = {}  # the travel legs this copy prints
        self._context = ""  # the day or section the last heading opened
        self._head: str | None = None  # what this page's running head says
        self._y_before = 0.0
        # No padding: the margins are the page's only white space, and a phone has none
        # to spare.
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [PageTemplate(id="page", frames=[frame], onPage=self._start, onPageEnd=self._decorate)]
        )

    def beforeDocument(self) -> None:
        self._context = ""

    def _start(self, canvas: Any, doc: Any) -> None:
        self._head = None

    def filterFlowables(self, flowables: list[Any]) -> None:
        # Where the frame stood before the next flowable: the first one that takes room
        # on a page tells the running head where the page starts.
        self._y_before = self._frame_y()

    def afterFlowable(self, flowable: Any) -> None:
        if self._head is None and self._frame_y() < self._y_before - 0.01:
            self._head = "" if isinstance(flowable, Mark) else self._context
        if isinstance(flowable, Mark):
            self._context = flowable.outline_text
            # The link lands on the heading itself, at the reader's own zoom.
            self.canv.bookmarkHorizontal(flowable.key, 0, self._y_before)
            self.canv.addOutlineEntry(
                flowable.outline_text, flowable.key, level=flowable.level, closed=False
            )

    def _frame_y(self) -> float:
        # Where the next flowable goes: reportlab's own mark, not in its stubs.
        return float(getattr(getattr(self, "frame", None), "_y", 0.0))

    def _decorate(self, canvas: Any, doc: Any) -> None:
        canvas.saveState()
        width, height = self.pagesize
        left, right = SIDE_MARGIN, width - SIDE_MARGIN
        s = self.styles
        if self.marking:
            mark = one_line(self.marking, s["marking"], right - left, bold=True)
            mark.wrap(right - left, 20)
            mark.drawOn(canvas, left, height - 4.2 * mm - mark.height + 2)
        if self._head:
            header = one_line(f"{self._head} (continued)", s["running"], right - left, bold=True)
        else:
            header = one_line(self.header_text, s["chrome"], right - left)
        header.wrap(right - left, 20)
        top = height - 7.6 * mm
        header.drawOn(canvas, left, top - header.height + 2)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(left, top - header.height, right, top - header.height)
        canvas.line(left, BOTTOM_MARGIN - 2.5 * mm, right, BOTTOM_MARGIN - 2.5 * mm)
        total = self.page_count.total
        canvas.setFont(SANS, 7)
        canvas.setFillColor(INK)
        baseline = 3.2 * mm
        canvas.drawString(left, baseline, self.stamp)
        canvas.drawRightString(right, baseline, f"Page {doc.page} of {total if total else '…'}")
        canvas.restoreState()


SMALLEST_CHROME = 6.5


def one_line(text: str, style: ParagraphStyle, width: float, *, bold: bool = False) -> Paragraph:
    """Header text on one line: smaller type where it is long, then cut with an
    ellipsis, so the header never runs into the page below it."""
    text = " ".join(clean(text).split())
    size = style.fontSize
    while text_width(text, size, bold=bold) > width and size > SMALLEST_CHROME:
        size -= 0.5
    while len(text) > 1 and text_width(text, size, bold=bold) > width:
        text = text[: max(1, int(len(text) * 0.9)) - 1].rstrip() + "…"
    fitted = ParagraphStyle(style.name + "-fit", parent=style, fontSize=size, leading=size + 1.5)
    return para(text, fitted, bold=bold)


# -- page 1 --------------------------------------------------------------------------------


def cover(
    doc: PhoneDocument, b: Briefing, o: BriefingOptions, parts: list[tuple[str, str]]
) -> list[Flowable]:
    s = doc.styles
    v = b.visit
    out: list[Flowable] = [
        para(pack_name(b, o), s["kicker"], bold=True),
        para(v["title"], s["title"], bold=True),
    ]
    where = sides.place_phrase(v)
    out.append(
        para(label(VISIT_DIRECTIONS, v["direction"]) + (f" {where}" if where else ""), s["body"])
    )
    span = _dates(v.get("start_date"), v.get("end_date"))
    if span:
        out.append(para(span, s["body"]))
    apart = b.time_difference() if b.their_zone and b.their_zone != b.home_zone else ""
    if apart:
        # Said after a label: a sentence that opens with a right-to-left city name
        # would be laid out right to left.
        out.append(para(f"Time difference: {apart}.", s["muted"]))
    if v.get("lodging") and "logistics" in o.sections:
        out += [para("Hotel", s["label"], bold=True), *paras(keep_numbers(v["lodging"]), s["body"])]
    if "itinerary" in o.sections and not b.itinerary:
        out += [Spacer(1, 6), para("No program items are recorded yet.", s["body"])]
    links = _links(doc, b, parts)
    if links:
        out += [para("In this pack", s["label"], bold=True), *links]
    now = dt.datetime.now()
    office = ", ".join(str(p) for p in (b.city.get("office_name"), b.city.get("name")) if p)
    made = f"Generated {dates.long_date(now)}, {dates.clock(now)}"
    out += [Spacer(1, 8), para(f"{made} by {office}." if office else f"{made}.", s["small"])]
    if not o.include_personal and not o.shareable:
        out.append(para("Phone numbers and email are left out of this copy.", s["small"]))
    return out


def _dates(start: str | None, end: str | None) -> str:
    """'Monday, April 21 to Thursday, April 24, 2025': the year said once when the
    visit keeps to one."""
    first, last = dates.stored_date(start), dates.stored_date(end)
    if first is None or last is None or last <= first:
        known = first or last
        return dates.long_date(known) if known else ""
    if first.year == last.year:
        return f"{dates.weekday_month_day(first)} to {dates.long_date(last)}"
    return f"{dates.long_date(first)} to {dates.long_date(last)}"


# More days than this are listed two to a line, so a week or two of program leaves
# room on page 1 for the rest.
DAYS_IN_ONE_COLUMN = 5


def _links(doc: PhoneDocument, b: Briefing, parts: list[tuple[str, str]]) -> list[Flowable]:
    """Each section and day as a line to tap: the link moves within the pack only."""
    s = doc.styles
    day_style = ParagraphStyle("phone_day_link", parent=s["link"], leftIndent=12)
    out: list[Flowable] = []
    for key, title in parts:
        out.append(Paragraph(_link(key, title), s["link"]))
        if key != "program":
            continue
        found = _days(b)
        if len(found) <= DAYS_IN_ONE_COLUMN:
            out += [
                Paragraph(_link(f"day-{n}", dates.weekday_month_day(day)), day_style)
                for n, day in enumerate(found)
            ]
            continue
        days = [
            Paragraph(_link(f"day-{n}", f"{_weekday(day)}, {dates.month_day(day)}"), day_style)
            for n, day in enumerate(found)
        ]
        half = (len(days) + 1) // 2
        rows = [[days[n], days[n + half] if n + half < len(days) else ""] for n in range(half)]
        table = Table(rows, colWidths=[doc.width / 2] * 2, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        out.append(table)
    return out


def _weekday(day: dt.date | str) -> str:
    """'Wed': the U.S. short form, whatever language the computer is set to."""
    return dates.weekday_month_day(day).split(",")[0][:3]


def _link(key: str, text: str) -> str:
    # The key is the pack's own ("day-3"), never user text; the text is escaped by markup.
    return f'<a href="#{key}" color="#{ACCENT.hexval()[2:]}"><u>{markup(text)}</u></a>'


# -- the program ---------------------------------------------------------------------------


def _days(b: Briefing) -> list[str]:
    return list(dict.fromkeys(item["starts_at"][:10] for item in b.itinerary))


def program(doc: PhoneDocument, b: Briefing, _o: BriefingOptions) -> list[Flowable]:
    """Each day under its date, each item a short block: the local time first, home time
    beside it in gray, then what, where and with whom."""
    if not b.itinerary:
        return []
    s = doc.styles
    # Outgoing: our clock at home beside theirs; incoming: their home clock beside ours,
    # when the gazetteer knows it (never a guess).
    beside_zone = b.their_zone if b.incoming else b.home_zone
    by_day: dict[str, list[dict[str, Any]]] = {}
    for item in b.itinerary:
        by_day.setdefault(item["starts_at"][:10], []).append(item)
    out: list[Flowable] = []
    for n, (day, items) in enumerate(by_day.items()):
        noon = dt.datetime.fromisoformat(f"{day}T12:00")
        zones = {item["time_zone"] for item in items}
        one_zone = next(iter(zones)) if len(zones) == 1 else None
        out += [CondPageBreak(1.5 * inch), Mark(dates.long_date(day), 1, s["day"], key=f"day-{n}")]
        # Which clock is which, said once a day: a trip may cross a clock change.
        clocks = ""
        if one_zone:
            clocks = f"Times in {dates.zone_label(one_zone, noon, place_of(b, one_zone))}"
        if beside_zone and any(_beside(b, item, beside_zone) for item in items):
            other = dates.zone_label(beside_zone, noon, place_of(b, beside_zone))
            clocks += ("; " if clocks else "") + f"{other} in gray"
        if clocks:
            out.append(para(clocks + ".", s["muted"]))
        for number, item in enumerate(items):
            block = _item(doc, b, item, beside_zone, one_zone)
            if number:
                block.insert(0, Rule())
            out.append(KeepTogether(block))
    return out


def _item(
    doc: PhoneDocument,
    b: Briefing,
    item: dict[str, Any],
    beside_zone: str | None,
    one_zone: str | None,
) -> list[Flowable]:
    s = doc.styles
    local = whole(hours(item)) if one_zone else _clock_span(b, item)
    home = _beside(b, item, beside_zone) if beside_zone else ""
    out: list[Flowable] = []
    if home and not RTL_LETTER.search(home + local):
        line = (
            markup(local, bold=True)
            + "&nbsp;&nbsp; "
            + f'<font size="{HOME_SIZE:g}" color="#{BESIDE.hexval()[2:]}">'
            + markup(home)
            + "</font>"
        )
        out.append(Paragraph(line, s["time"]))
    else:
        # Right-to-left text is broken into lines before it is reordered, which only a
        # paragraph of its own does: the home time goes below.
        out.append(para(local, s["time"], bold=True))
        if home:
            out.append(para(home, s["small"]))
    out.append(para(item["title"], s["bold"], bold=True))
    what = [label(ITINERARY_KINDS, item.get("kind"))]
    if item.get("dress_code"):
        what.append(f"Dress: {label(DRESS_CODES, item['dress_code'])}")
    if any(what):
        out.append(para(" · ".join(w for w in what if w), s["muted"]))
    for key in ("place", "address"):
        if item.get(key):
            out += paras(keep_numbers(item[key]), s["body"])
    counterpart = b.contacts.get(item.get("counterpart_contact_id") or -1)
    if counterpart:
        job = job_line(counterpart, b)
        out.append(
            para(f"With {person_line(counterpart, b)}" + (f", {job}" if job else ""), s["body"])
        )
    elif item.get("counterpart"):
        out.append(para(f"With {item['counterpart']}", s["body"]))
    return out


def _clock_span(b: Briefing, item: dict[str, Any]) -> str:
    """'10:00–11:30 AM Tokyo (UTC+9)': a day kept on several clocks names each item's."""
    start = dates.wall_clock(item["starts_at"], item["time_zone"])
    zone = item["time_zone"]
    return f"{whole(hours(item))} {dates.zone_label(zone, start, place_of(b, zone))}"


def _beside(b: Briefing, item: dict[str, Any], zone: str) -> str:
    """The item's time on the other clock, 'Port Meridian 12:00–1:30 AM', with the day
    where it is not the local one ('Port Meridian Sun 11:00 PM'); empty where both
    clocks read the same."""
    start = dates.wall_clock(item["starts_at"], item["time_zone"])
    there = start.astimezone(ZoneInfo(zone))
    if there.utcoffset() == start.utcoffset():
        return ""
    first = dates.clock(there)
    span = first
    if item.get("ends_at"):
        end = dates.wall_clock(item["ends_at"], item["time_zone"]).astimezone(ZoneInfo(zone))
        last = dates.clock(end)
        if first[-2:] == last[-2:] and end.date() == there.date():
            first = first[:-3]
        span = f"{first}–{last}"
    if there.date() != start.date():
        span = f"{_weekday(there)} {span}"
    text = f"{place_of(b, zone) or dates.zone_city(zone)} {span}"
    # Kept on one line, moving below the local time whole where it does not fit beside
    # it; a place name too long for a line of its own may break.
    if text_width(text, HOME_SIZE) <= PAGE[0] - 2 * SIDE_MARGIN:
        return whole(text)
    return f"{text[: -len(span)]}{whole(span)}"


# -- who to call ---------------------------------------------------------------------------


def who_to_call(doc: PhoneDocument, b: Briefing, o: BriefingOptions) -> list[Flowable]:
    """The advance contact first, then the emergency numbers for this direction and our
    (or their) posts, then everyone the packet's contacts section lists, by side."""
    s = doc.styles
    out: list[Flowable] = []
    advance = b.contacts.get(b.visit.get("advance_contact_id") or -1)
    if advance:
        out += [para("Advance contact", s["label"], bold=True), *_person(doc, b, advance, o)]
    if "contacts" not in o.sections:
        return out
    text = b.city.get("emergency_contacts" if b.incoming else "travel_emergency")
    if text:
        caption = "Local emergency numbers" if b.incoming else "Emergency numbers for our travelers"
        out += [para(caption, s["label"], bold=True), *paras(keep_numbers(text), s["body"])]
    if b.missions:
        caption = "U.S. embassy and consulates" if not b.incoming else "Their consulate"
        out.append(para(caption, s["label"], bold=True))
        for n, post in enumerate(b.missions):
            block: list[Flowable] = [Rule()] if n else []
            name = post["name"] + (f" ({post['name_native']})" if post.get("name_native") else "")
            block.append(para(name, s["bold"], bold=True))
            if post.get("city"):
                block.append(para(post["city"], s["muted"]))
            if post.get("phone"):
                block.append(para(f"Phone {keep_numbers(post['phone'])}", s["body"]))
            for key in ("email", "website"):
                if post.get(key):
                    block.append(para(post[key], s["body"]))
            out.append(KeepTogether(block))
    for caption, people in _contact_groups(b):
        out.append(para(caption, s["label"], bold=True))
        for n, contact in enumerate(people):
            out.append(KeepTogether([*([Rule()] if n else []), *_person(doc, b, contact, o)]))
    if out and not o.include_personal:
        out.append(para("Phone numbers and email are left out of this copy.", s["small"]))
    return out


def _person(
    doc: PhoneDocument, b: Briefing, contact: dict[str, Any], o: BriefingOptions
) -> list[Flowable]:
    s = doc.styles
    out: list[Flowable] = [para(person_line(contact, b), s["bold"], bold=True)]
    job = job_line(contact, b)
    if job:
        out.append(para(job, s["muted"]))
    if o.include_personal:
        for caption, key in (("Mobile", "mobile"), ("Phone", "phone"), ("Email", "email")):
            if contact.get(key):
                out.append(para(f"{caption} {keep_numbers(contact[key])}", s["body"]))
    return out


def _contact_groups(b: Briefing) -> list[tuple[str, list[dict[str, Any]]]]:
    """The packet's contacts (the delegation's, then everyone else the packet names)
    without the advance contact, listed above: the hosts first, who are on the spot."""
    advance = b.visit.get("advance_contact_id")
    names = _side_names(b)
    hosting = sides.hosting_side(b.visit)
    groups: dict[str, list[dict[str, Any]]] = {hosting: [], sides.visiting_side(b.visit): []}
    seen: set[int] = {advance} if advance else set()
    for p in b.participants:
        contact = b.contacts.get(p.get("contact_id") or -1)
        if contact and contact["id"] not in seen:
            seen.add(contact["id"])
            groups[p.get("side") or sides.THEIRS].append(contact)
    others = [c for c in b.contacts.values() if c["id"] not in seen]
    out = [
        (f"{'Hosts' if side == hosting else 'Delegation'}: {names[side]}", people)
        for side, people in groups.items()
        if people
    ]
    if others:
        out.append(("Others in the program", others))
    return out


def _side_names(b: Briefing) -> dict[str, str]:
    partner = b.partnership or {}
    return {
        sides.OURS: str(b.city.get("name") or label(SIDES, "ours")),
        sides.THEIRS: str(
            partner.get("partner_name") or b.visit.get("city") or label(SIDES, "theirs")
        ),
    }


# -- travel and the delegation ---------------------------------------------------------------


_LEG_VERBS = {"arrival": "Arrives", "departure": "Leaves"}


def leg_lines(leg: dict[str, Any], b: Briefing) -> list[str]:
    """A travel leg as a traveler reads it: 'Arrives Mon 4/5/2027, 3:05 PM, Kansai
    (KIX)', then 'NH 175 from San Francisco · met by Céline Rousseau', then where they
    stay. A time kept on another clock than the visit's says which."""
    leaving = leg.get("direction") == "departure"
    stamp, zone = (
        (leg.get("departs_at"), leg.get("departs_zone"))
        if leaving
        else (leg.get("arrives_at"), leg.get("time_zone"))
    )
    place = leg.get("from_place") if leaving else leg.get("to_place")
    when = ""
    if stamp:
        moment = dates.wall_clock(stamp, zone)
        when = f"{_weekday(moment)} {dates.short_date(moment)}, {dates.clock(moment)}"
        local = b.home_zone if b.incoming else b.their_zone
        if zone and zone != local:
            when += f" ({dates.zone_label(zone, moment)})"
    verb = _LEG_VERBS.get(str(leg.get("direction")), "Travels")
    head = ", ".join(p for p in (whole(when), place or "") if p)
    lines = [f"{verb} {head}" if head else verb]
    number = " ".join(str(p) for p in (leg.get("carrier"), leg.get("number")) if p)
    other = leg.get("to_place") if leaving else leg.get("from_place")
    how = number + (f" {'to' if leaving else 'from'} {other}" if other else "")
    details = [
        how.strip(),
        f"met by {leg['met_by']}" if leg.get("met_by") and not leaving else "",
        leg.get("transport") or "",
    ]
    if any(details):
        lines.append(" · ".join(d for d in details if d))
    stay = ", ".join(
        p for p in (leg.get("hotel"), f"room {leg['room']}" if leg.get("room") else "") if p
    )
    if stay and not leaving:
        lines.append(f"Stays at {stay}")
    return lines


def _travel(doc: PhoneDocument, b: Briefing, o: BriefingOptions) -> bool:
    """Whether this copy has a plan for the delegation as a whole to print."""
    return "logistics" in o.sections and bool(b.visit.get("travel") or doc.legs.get(None))


def travel(doc: PhoneDocument, b: Briefing, o: BriefingOptions) -> list[Flowable]:
    s = doc.styles
    out: list[Flowable] = []
    if _travel(doc, b, o):
        out.append(para("Travel plan", s["label"], bold=True))
        if b.visit.get("travel"):
            out += paras(keep_numbers(b.visit["travel"]), s["body"])
        for leg in doc.legs.get(None, []):
            out.append(KeepTogether(_leg(doc, b, leg)))
    if "delegation" not in o.sections or not b.participants:
        return out
    names = _side_names(b)
    visiting = sides.visiting_side(b.visit)
    for side in (visiting, sides.hosting_side(b.visit)):
        people = [p for p in b.participants if (p.get("side") or sides.THEIRS) == side]
        if not people:
            continue
        group = "Delegation" if side == visiting else "Hosts"
        caption = f"{group}: {names[side]} ({len(people)})"
        out.append(para(caption, s["label"], bold=True))
        if side == visiting and not o.shareable and not any(doc.legs.get(p["id"]) for p in people):
            plan = "; the travel plan above is the group's" if _travel(doc, b, o) else ""
            out.append(para(f"Arrivals are not recorded person by person{plan}.", s["muted"]))
        for n, p in enumerate(people):
            block: list[Flowable] = [Rule()] if n else []
            block += _delegate(doc, b, p, show_arrival=side == visiting)
            out.append(KeepTogether(block))
    return out


def _delegate(
    doc: PhoneDocument, b: Briefing, p: dict[str, Any], *, show_arrival: bool
) -> list[Flowable]:
    s = doc.styles
    contact = b.contacts.get(p.get("contact_id") or -1)
    if contact:
        name = person_name(contact)
        if contact.get("honorific"):
            name = f"{contact['honorific']} {name}"
        native = contact.get("name_native")
        if native and native != person_name(contact):
            name += f" ({native})"
    else:
        name = p.get("name") or ""
    out: list[Flowable] = [para(name, s["bold"], bold=True)]
    role = label(PARTICIPANT_ROLES, p.get("role"))
    details = ", ".join(x for x in (role, job_line(contact, b)) if x)
    if details:
        out.append(para(details, s["muted"]))
    if show_arrival:
        for leg in doc.legs.get(p["id"], []):
            out += _leg(doc, b, leg)
    return out


def _leg(doc: PhoneDocument, b: Briefing, leg: dict[str, Any]) -> list[Flowable]:
    first, *rest = leg_lines(leg, b)
    s = doc.styles
    return [para(keep_numbers(first), s["body"]), *(para(line, s["muted"]) for line in rest)]


# A telephone number as offices write one: digits with spaces, dots, dashes or
# parentheses between them, perhaps after a plus.
_NUMBER = re.compile(r"\+?\(?\d[\d ().\-]{5,}\d")


def keep_numbers(text: object) -> str:
    """The text with each telephone number on one line: a number broken across two lines
    of a narrow page is misdialed."""
    return _NUMBER.sub(lambda found: whole(found.group()), clean(text))
