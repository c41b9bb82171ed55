"""Meeting briefs: per meeting its purpose, who attends on each side, the run of show and
what to say; meetings without a plan of their own share one compact table."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from desk.core.domain import dates
from desk.core.domain.vocab import ITINERARY_KINDS, label
from desk.reports.briefing.data import Briefing, has_plan
from desk.reports.briefing.people import job_line, person_line
from desk.reports.writers.pdf import DeskDocument, Heading, data_table, fact_table, para, paras

if TYPE_CHECKING:
    from desk.reports.briefing.options import BriefingOptions

# What to say and what to watch, each under its own label, in the order a principal reads.
_TEXTS = (
    ("Run of show", "run_of_show"),
    ("Talking points", "talking_points"),
    ("Their likely asks", "likely_asks"),
    ("Sensitivities", "sensitivities"),
    ("Notes", "notes"),
)


def hours(item: dict[str, Any]) -> str:
    """'10:00–11:30 AM', '11:00 AM–1:30 PM': the item's local time, as U.S. offices
    write a span."""
    start = dt.datetime.fromisoformat(item["starts_at"])
    if not item.get("ends_at"):
        return dates.clock(start)
    end = dt.datetime.fromisoformat(item["ends_at"])
    first, last = dates.clock(start), dates.clock(end)
    if first[-2:] == last[-2:] and end.date() == start.date():
        first = first[:-3]
    return f"{first}–{last}"


def place_of(b: Briefing, zone: str) -> str | None:
    """The name a reader knows a clock by: our city for home time, the partner city for
    theirs, else the zone's own city."""
    if zone == b.home_zone and b.city.get("name"):
        return str(b.city["name"])
    if zone == b.their_zone and b.visit.get("city"):
        return str(b.visit["city"])
    return None


def clock_span(item: dict[str, Any], b: Briefing) -> str:
    """'10:00–11:30 AM, Tokyo (UTC+9)': the item's own local time and where it is kept."""
    start = dt.datetime.fromisoformat(item["starts_at"])
    zone = item["time_zone"]
    return f"{hours(item)}, {dates.zone_label(zone, start, place_of(b, zone))}"


def _when(item: dict[str, Any], b: Briefing) -> str:
    return f"{dates.long_date(item['starts_at'])}, {clock_span(item, b)}"


def _counterpart(b: Briefing, item: dict[str, Any]) -> str:
    contact = b.contacts.get(item.get("counterpart_contact_id") or -1)
    if not contact:
        return item.get("counterpart") or ""
    job = job_line(contact, b)
    text = person_line(contact, b) + (f", {job}" if job else "")
    if contact.get("spoken_address"):
        text += f". Address as “{contact['spoken_address']}”"
    return text


def briefs(doc: DeskDocument, b: Briefing, _o: BriefingOptions) -> list[Flowable]:
    s = doc.styles
    planned = [i for i in b.meetings if has_plan(i)]
    plain = [i for i in b.meetings if not has_plan(i)]
    out: list[Flowable] = []
    for item in planned:
        facts = [
            ("When", _when(item, b)),
            ("Where", ", ".join(p for p in (item.get("place"), item.get("address")) if p)),
            ("Purpose", item.get("purpose") or ""),
            ("Counterpart", _counterpart(b, item)),
            ("Attending for us", item.get("our_attendees") or ""),
            ("Attending for them", item.get("their_attendees") or ""),
        ]
        out += [
            CondPageBreak(1.8 * inch),
            Heading(f"{item['title']}, {dates.weekday_month_day(item['starts_at'])}", 1, s["H2"]),
            *fact_table(s, facts, 1.5 * inch, doc.width),
        ]
        for caption, key in _TEXTS:
            if item.get(key):
                out += [
                    Spacer(1, 4),
                    para(caption, s["label"], bold=True),
                    *paras(item[key], s["body"]),
                ]
        out.append(Spacer(1, 12))
    if plain:
        rows = [
            (
                _when(item, b),
                f"{item['title']} ({label(ITINERARY_KINDS, item['kind']).lower()})",
                ", ".join(p for p in (item.get("place"), item.get("address")) if p),
                item.get("counterpart") or "",
            )
            for item in plain
        ]
        caption = "Other meetings" if planned else "Meetings"
        out += [
            CondPageBreak(1.4 * inch),
            Heading(caption, 1, s["H2"]),
            *data_table(s, ("When", "What", "Where", "With"), rows, [2.2, 1.8, 1.6, 1.3]),
        ]
    return out
