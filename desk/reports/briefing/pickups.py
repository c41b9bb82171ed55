"""The pickup sheet: who arrives when, where, and who meets them, in the order of the day,
on a landscape page a protocol officer takes on the airport run; then the runs back.

For an incoming delegation it is our airport run; for an outgoing mission it says who
our hosts meet. Each line is one leg and everyone on it; what to check (a delegate who
lands after their first meeting, a time without a zone, a leg that belongs to other
dates) is in its own column, shaded. `travel_section` gives the packet the same travel
as a table per traveler.
"""

from __future__ import annotations

import io
from itertools import groupby
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Frame, PageTemplate, Spacer, Table

from desk.core.domain import dates
from desk.core.domain.words import counted
from desk.core.features import sides
from desk.core.features import travel as t
from desk.core.progress import Progress
from desk.core.store.db import Database
from desk.core.store.queries import fetch
from desk.reports.writers.pdf import DeskDocument, data_table, footer_line, make_pdf, para
from desk.reports.writers.text import whole

MARKING = "SENSITIVE - NOT FOR DISTRIBUTION"
# The shade of a cell that asks to be checked before the run.
CHECK_SHADE = colors.HexColor("#fbe3e4")

# Inches across a landscape letter page inside its margins (9.4).
_ARRIVAL_WIDTHS = [0.8, 1.8, 2.6, 1.75, 1.0, 1.45]
_DEPARTURE_WIDTHS = _ARRIVAL_WIDTHS
# Inches across the packet's portrait page (6.9).
_PACKET_WIDTHS = [1.45, 1.85, 1.6, 0.9, 1.1]


class LandscapeDocument(DeskDocument):
    """The house's frame (marking, header, "Page N of M") on a landscape letter page: a
    sheet of seven columns reads across, not down."""

    def __init__(self, target: Any, **kwargs: Any) -> None:
        super().__init__(target, **kwargs)
        self.pagesize = landscape(LETTER)
        self.width = self.pagesize[0] - self.leftMargin - self.rightMargin
        self.height = self.pagesize[1] - self.topMargin - self.bottomMargin
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.pageTemplates = []
        self.addPageTemplates(
            [PageTemplate(id="page", frames=[frame], onPage=self._decorate, pagesize=self.pagesize)]
        )


def build_pickups(
    db: Database,
    visit: int | str,
    out: Path | None = None,
    *,
    marking: str = MARKING,
    progress: Progress | None = None,
) -> bytes:
    """Write the visit's pickup sheet to `out` (atomically) and return its bytes."""

    def read() -> tuple[t.TravelPlan, dict[str, Any]]:
        city = fetch(db, "SELECT name, state, office_name FROM city_profile LIMIT 1")
        return t.read(db, visit), (city[0] if city else {})

    return make_pdf(
        out, "pickup sheet", read, lambda data: lay_out(*data, marking=marking), progress
    )


def title_of(plan: t.TravelPlan) -> str:
    title = str(plan.visit.get("title") or "Visit")
    return f"Airport pickups: {title}" if plan.incoming else f"Arrivals: {title}"


def lay_out(plan: t.TravelPlan, city: dict[str, Any], *, marking: str = MARKING) -> bytes:
    buffer = io.BytesIO()
    office = " · ".join(str(p) for p in (city.get("office_name"), city.get("name")) if p)
    title = title_of(plan)
    doc = LandscapeDocument(
        buffer,
        title=title,
        header=f"Pickup sheet: {plan.visit.get('title') or ''}",
        marking=marking,
        footer=footer_line(office),
    )
    doc.render(story(doc.styles, plan, city))
    return buffer.getvalue()


def story(
    styles: dict[str, ParagraphStyle], plan: t.TravelPlan, city: dict[str, Any]
) -> list[Flowable]:
    out: list[Flowable] = [para(title_of(plan), styles["H1"], bold=True)]
    out += [para(line, styles["body"]) for line in _summary(plan, city) if line]
    out += [para(note, styles["small"]) for note in plan.notes]
    out.append(Spacer(1, 4))
    arrivals = _by_day(styles, plan.arrivals, t.IN)
    if arrivals:
        out += arrivals
    else:
        out.append(para("No arrival is recorded for this visit yet.", styles["body"]))
    out += _missing(styles, plan, t.IN)
    departures = _by_day(styles, plan.departures, t.OUT)
    if departures or t.missing(plan, t.OUT):
        out += [Spacer(1, 6), para("Departures", styles["H1"], bold=True)]
        out += departures
        out += _missing(styles, plan, t.OUT)
    out += [Spacer(1, 6), para(t.LATE_RULE, styles["small"])]
    return out


def _summary(plan: t.TravelPlan, city: dict[str, Any]) -> list[str]:
    visit = plan.visit
    first = dates.stored_date(visit.get("start_date"))
    last = dates.stored_date(visit.get("end_date")) or first
    parts = []
    if first and last:
        parts.append(
            dates.long_date(first)
            if first == last
            else f"{dates.long_date(first)} to {dates.long_date(last)}"
        )
    where = sides.venue(visit, city)
    if where:
        parts.append(where)
    traveling = plan.traveling
    parts.append(
        f"{counted(len(traveling), 'traveler')} on {counted(len(plan.arrivals), 'arrival')}"
    )
    lines = [" · ".join(parts)]
    who = (
        "Who arrives when, where and who meets them, in the order of the day."
        if plan.incoming
        else "Who our hosts meet, when and where, in the order of the day."
    )
    if plan.items:
        item = plan.items[0]
        who += f" First program item: “{item.title}”, {item.starts.text()}."
    lines.append(who)
    lines.append(_to_check(plan))
    return lines


def _to_check(plan: t.TravelPlan) -> str:
    """'To check before the run: 2 flagged on arrival (shaded), 1 with no arrival
    recorded.'; empty when nothing is."""
    people = plan.travelers
    parts = []
    for about, noun in ((t.IN, "arrival"), (t.OUT, "departure")):
        flagged = sum(
            1 for p in people if any(c.code != f"no_{noun}" for c in p.checks_about(about))
        )
        missing = len(t.missing(plan, about))
        if flagged:
            parts.append(f"{counted(flagged, 'traveler')} flagged on {noun} (shaded)")
        if missing:
            parts.append(f"{counted(missing, 'traveler')} with no {noun} recorded")
    return f"To check before the run: {'; '.join(parts)}." if parts else ""


def _when_cell(leg: t.Leg, about: str) -> str:
    moment = leg.when
    if moment is not None:
        return f"{whole(dates.clock(moment.wall))}\n{_zone_words(moment)}"
    written = leg.departs_written if about == t.OUT else leg.arrives_written
    return f"{written}\n(cannot be read)" if written else "time not recorded"


def _zone_words(moment: t.LocalTime) -> str:
    if moment.zone is None:
        return "(time zone not recorded)"
    return f"({dates.utc_offset(moment.zone, moment.instant)})"


def _service_cell(row: t.Pickup, about: str) -> str:
    leg = row.leg
    lines = [leg.described + (" (between cities)" if leg.direction == t.TRANSFER else "")]
    route = " → ".join(p for p in (leg.from_place, leg.to_place) if p)
    if route:
        lines.append(route if leg.from_place else f"to {route}")
    if about == t.IN:
        for earlier in row.via:
            start = f" from {earlier.from_place}" if earlier.from_place else ""
            lines.append(f"via {earlier.service}{start}")
    else:
        if leg.arrives is not None:
            lines.append(f"lands {leg.arrives.text()}")
        for later in row.onward:
            end = f" to {later.to_place}" if later.to_place else ""
            lines.append(f"then {later.service}{end}")
    return "\n".join(lines)


def _who_cell(row: t.Pickup) -> str:
    lines = []
    for traveler in row.travelers:
        line = traveler.named_with_role
        extras = [whole(t.room_words(traveler.room))] if traveler.room else []
        extras += [whole(traveler.mobile)] if traveler.mobile else []
        lines.append(" · ".join([line, *extras]))
    if row.for_everyone:
        lines.append("(recorded for the whole delegation)")
    return "\n".join(lines)


def _meeting_cell(row: t.Pickup) -> str:
    greeters = [f"{name}\n{whole(phone)}" if phone else name for name, phone in row.greeters()]
    return "\n".join([*greeters, *row.shared("transport")])


def _hotel_cell(row: t.Pickup) -> str:
    hotels = row.shared("hotel")
    if not hotels:
        hotels = sorted({traveler.hotel for traveler in row.travelers if traveler.hotel})
    return "\n".join(hotels)


def _by_day(styles: dict[str, ParagraphStyle], rows: list[t.Pickup], about: str) -> list[Flowable]:
    out: list[Flowable] = []

    def day_of(row: t.Pickup) -> Any:
        return row.when.day if row.when else None

    # In the order of the day, by each place's own day; rows with no time come last.
    ordered = sorted(
        rows, key=lambda r: (day_of(r) is None, day_of(r) or 0, r.when.instant if r.when else 0)
    )
    for day, group in groupby(ordered, key=day_of):
        members = list(group)
        heading = dates.long_date(day) if day else "Time not recorded"
        first = "Lands" if about == t.IN else "Leaves"
        heads = [first, "Flight or train", "Who"]
        heads += ["Met by" if about == t.IN else "Taken by", "Hotel", "Check"]
        body = [
            [
                _when_cell(row.leg, about),
                _service_cell(row, about),
                _who_cell(row),
                _meeting_cell(row),
                _hotel_cell(row),
                "\n".join(row.checks),
            ]
            for row in members
        ]
        widths = _ARRIVAL_WIDTHS if about == t.IN else _DEPARTURE_WIDTHS
        table = data_table(styles, heads, body, widths)
        _shade_checks(table, [bool(row.checks) for row in members], column=5)
        out += [para(heading, styles["H2"], bold=True), *table]
    return out


def _shade_checks(flowables: list[Flowable], flagged: list[bool], *, column: int) -> None:
    """Shade the Check cell of each row that has something to check."""
    table = next((f for f in flowables if isinstance(f, Table)), None)
    if table is None:
        return
    table.setStyle(
        [
            ("BACKGROUND", (column, n), (column, n), CHECK_SHADE)
            for n, marked in enumerate(flagged, start=1)
            if marked
        ]
    )


def _missing(styles: dict[str, ParagraphStyle], plan: t.TravelPlan, about: str) -> list[Flowable]:
    people = t.missing(plan, about)
    if not people:
        return []
    what = "No arrival recorded" if about == t.IN else "No departure recorded"
    names = "; ".join(p.named_with_role for p in people)
    return [
        Spacer(1, 4),
        para(f"{what} ({counted(len(people), 'traveler')})", styles["label"], bold=True),
        para(names, styles["body"]),
    ]


# -- the packet ---------------------------------------------------------------------------------


def travel_section(styles: dict[str, ParagraphStyle], plan: t.TravelPlan) -> list[Flowable]:
    """The packet's travel table, one row per traveler (portrait page), with what to
    check; nothing when no leg is recorded and nobody is expected to travel."""
    rows = t.logistics_rows(plan)
    if not rows or not (plan.arrivals or plan.departures):
        return []
    body = [
        (
            f"{row.who}\n{row.role}" if row.role else row.who,
            row.arrives,
            row.departs,
            row.hotel,
            row.check,
        )
        for row in rows
    ]
    table = data_table(
        styles, ("Traveler", "Arrives", "Departs", "Hotel and room", "Check"), body, _PACKET_WIDTHS
    )
    _shade_checks(table, [bool(row.check) for row in rows], column=4)
    return [para("Travel, by traveler", styles["H2"], bold=True), *table]
