"""The annual report: a year of the city's international work, for the mayor, the council
or a transition team. Headline figures, the map, ten years of activity, the city's
engagements beside the national findings, partnerships proposed, started, renewed and
ended, the visits both ways with what they brought, agreements signed, agreements that
expired or came up for renewal, network memberships, outcomes, the Sustainable
Development Goals advanced, and what comes next. Same frame, typography and script handling as the
briefing packet; no personal details (phones, diets, notes) are in it.

Every count of engagements is the national survey's count of unique relationships; counts
of visits and agreements say so, and no figure is printed without what it counts.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from desk.core.domain import dates, money
from desk.core.domain.vocab import (
    AGREEMENT_STATUSES,
    ENGAGEMENT_METHODS,
    MONEY_MEASURES,
    NETWORK_STATUSES,
    OUTCOME_MEASURES,
    PARTNERSHIP_KINDS,
    PARTNERSHIP_STATUSES,
    PRIORITY_AREAS,
    SDGS,
    VISIT_DIRECTIONS,
    label,
)
from desk.core.domain.words import counted
from desk.core.features.costs import Costs, in_brief, of_visits, rounded, together
from desk.core.progress import Progress
from desk.core.reference.countries import country_name
from desk.core.store.db import Database
from desk.core.store.hooks.partnerships import INITIAL_STATUS_REASON
from desk.reports import figures
from desk.reports.annual.data import Annual, gather
from desk.reports.writers.fonts import SANS
from desk.reports.writers.locator import WORLD_VIEW, world_map
from desk.reports.writers.pdf import (
    INK,
    RULE,
    DeskDocument,
    Heading,
    data_table,
    make_pdf,
    para,
)
from desk.reports.writers.text import table_date

SERIES = tuple(colors.HexColor(hex) for hex in figures.SERIES_COLORS[:4])
KIND_COLORS = {code: colors.HexColor(hex) for code, hex in figures.KIND_COLORS.items()}


def build_annual(
    db: Database,
    year: int,
    out: Path | None = None,
    *,
    marking: str = "",
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> bytes:
    """Write the year's report to `out` (atomically) and return its bytes. `today` is the
    day it is made (the computer's by default): the report of a year gone by reads the
    same whatever it is, but for the date of printing in its footer."""
    return make_pdf(
        out,
        "report",
        lambda: _costed(db, gather(db, year, today)),
        lambda a: _layout(a, marking),
        progress,
    )


# The key under which each of the year's visits carries what it cost.
COSTS = "_costs"


def _costed(db: Database, a: Annual) -> Annual:
    """The year's visits, each with its costs (under `COSTS`), read in one pass."""
    found = of_visits(db, [v["id"] for v in a.visits])
    for v in a.visits:
        v[COSTS] = found.get(v["id"], Costs())
    return a


def spent(a: Annual) -> Costs:
    """What the visits held in the year cost, together (empty when none is recorded)."""
    return together(v[COSTS] for v in a.visits if COSTS in v)


def _layout(a: Annual, marking: str) -> bytes:
    buffer = io.BytesIO()
    office = " · ".join(p for p in (a.city.get("office_name"), a.city.get("name")) if p)
    title = f"International work in {a.year}"
    doc = DeskDocument(
        buffer,
        title=title,
        header=f"Annual report {a.year} · as of {dates.month_day_year(a.as_of)}",
        marking=marking,
        # The day the report is made, as `gather` was told it, not the clock's.
        footer=f"Generated {dates.month_day_year(a.today)}" + (f" · {office}" if office else ""),
    )
    story: list[Any] = _front(doc, a, title)
    for heading, build in SECTIONS:
        flowables = build(doc, a)
        if flowables:
            section = [Heading(heading, 0, doc.styles["H1"]), *flowables]
            story += _placed(section, doc)
            story.append(Spacer(1, 10))
    doc.render(story)
    return buffer.getvalue()


def _placed(section: list[Flowable], doc: DeskDocument) -> list[Flowable]:
    """A table that fits on a page is never split across two (its last rows alone on a
    page of their own): its section starts a page when it does not fit where it would.
    Charts and text, and a table longer than a page, start where they can, the heading
    with its first lines."""
    if not any(isinstance(f, Table) for f in section):
        return [CondPageBreak(1.8 * inch), *section]
    try:
        height = sum(
            f.wrap(doc.width, doc.height)[1] + f.getSpaceBefore() + f.getSpaceAfter()
            for f in section
        )
    except (AttributeError, TypeError):  # a flowable that measures only on a page
        height = doc.height + 1
    if height <= doc.height * 0.95:
        return [KeepTogether(section)]
    return [CondPageBreak(1.8 * inch), *section]


# -- the front page ----------------------------------------------------------------------

# How the front page names each method of engagement in running text: (one, many).
METHOD_NOUNS = {
    # The survey's sister-city method takes in friendship cities, which the map tells apart.
    "sister_city": ("sister or friendship city", "sister or friendship cities"),
    "sector_partnership": ("sector partnership or MOU", "sector partnerships or MOUs"),
    "city_network": ("city network", "city networks"),
    "delegation_welcomed": (
        "partner met through a delegation welcomed",
        "partners met through delegations welcomed",
    ),
    "mission_sent": ("partner met through a mission sent", "partners met through missions sent"),
    "other": ("other engagement", "other engagements"),
}


def headline(a: Annual) -> list[tuple[str, str]]:
    """(figure, what) for the front page: the year's activity, then its outcomes."""
    y = a.this_year
    out = [
        (f"{y.partnerships:,}", "new partnerships"),
        (f"{y.agreements:,}", "agreements signed"),
        (f"{y.incoming:,}", "delegations welcomed"),
        (f"{y.outgoing:,}", "missions sent"),
    ]
    # What the visits cost, beside what they brought; nothing when no cost is recorded.
    cost = spent(a)
    if cost.total_cents is not None:
        notes = ["some estimated"] if cost.status_cents("estimate") else []
        left_out = sum(apart.costs for apart in cost.apart)
        if left_out:
            notes.append(f"{counted(left_out, 'cost')} with no rate left out")
        what = "cost of the visits held" + (f" ({'; '.join(notes)})" if notes else "")
        out.append((rounded(cost.total_cents), what))
    for measure in ("jobs", "investment", "students", "people_exchanged", "participants"):
        total = a.outcomes.get(measure)
        if total is None:
            continue
        figure = total.text(rounded=True)
        if figure:
            what = OUTCOME_MEASURES[measure].lower() + (
                " (some estimated)" if total.estimated else ""
            )
            out.append((figure, what))
    return out


def _as_of(a: Annual) -> str:
    if a.year_over:
        return f"As of December 31, {a.year}"
    if a.as_of.year == a.year:
        return f"As of {dates.month_day_year(a.as_of)} (the year is not over)"
    return f"As of {dates.month_day_year(a.as_of)} (the year has not begun)"


def _in_all(parts: list[str]) -> str:
    if len(parts) < 3:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def lead(a: Annual) -> str:
    """The front page's first words: the engagements as of the report's date, and the
    year's activity, each named for what it counts."""
    n = a.shares.engagements
    city = a.city.get("name") or "The city"
    methods = [
        counted(count, *METHOD_NOUNS.get(code, (label(ENGAGEMENT_METHODS, code),) * 2))
        for code, count in a.shares.by_method.items()
        if count
    ]
    y = a.this_year
    if n:
        first = (
            f"{_as_of(a)}, {city} had {counted(n, 'engagement')} abroad {a.period}, counted "
            "the way the national survey counts them (each partner place or network once, "
            "however many agreements and visits it holds) but over this year alone"
            + _survey_aside(a)
            + f". By method: {_in_all(methods)}."
        )
    else:
        first = f"{_as_of(a)}, {city} had no engagement abroad on record."
    done = [
        f"welcomed {counted(y.incoming, 'delegation')}",
        f"sent {counted(y.outgoing, 'mission')}",
        f"signed {counted(y.agreements, 'agreement') if y.agreements else 'no agreement'}",
        "started "
        + (counted(y.partnerships, "new partnership") if y.partnerships else "no new partnership"),
    ]
    return f"{first} {_capital(a.period)} the city {_in_all(done)}."


def _survey_aside(a: Annual) -> str:
    """'; the survey workbook, whose window runs from January 1, 2016, counts 21'."""
    if a.survey_since >= a.year:
        return ""
    return (
        f"; the survey submission, whose window runs from January 1, {a.survey_since}, "
        f"counts {a.survey_count:,}"
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _front(doc: DeskDocument, a: Annual, title: str) -> list[Flowable]:
    s = doc.styles
    where = ", ".join(x for x in (a.city.get("name"), a.city.get("state")) if x)
    out: list[Flowable] = [
        para(f"{a.year} in review", s["subtitle"]),
        para(title, s["title"]),
        para(" · ".join(x for x in (where, a.city.get("office_name")) if x), s["subtitle"]),
        Spacer(1, 10),
        para(lead(a), s["body"]),
        Spacer(1, 8),
    ]
    y = a.this_year
    if not (y.activity or a.outcomes):
        out += [
            para(
                f"No partnership, agreement, visit or outcome is recorded for {a.year}.",
                s["body"],
            ),
            Spacer(1, 8),
        ]
    cells = [
        [para(figure, s["H1"], bold=True), para(what, s["small"])] for figure, what in headline(a)
    ]
    rows = [cells[n : n + 4] for n in range(0, len(cells), 4)]
    grid: list[list[Any]] = []
    for row in rows:
        grid.append([c[0] for c in row] + [""] * (4 - len(row)))
        grid.append([c[1] for c in row] + [""] * (4 - len(row)))
    table = Table(grid, colWidths=[doc.width / 4] * 4, hAlign="LEFT")
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)])
    )
    out += [table, Spacer(1, 12)]
    on = dates.month_day_year(a.as_of)
    out.append(
        para(
            f"Where the city is engaged: {counted(len(a.in_force), 'partner')} in force on {on}",
            s["H2"],
            bold=True,
        )
    )
    width, height = doc.width, doc.width * 0.45
    dots, legend = map_dots(a.places, width, height)
    out.append(world_map(a.home, dots, width=width, height=height, legend=legend))
    caption = (
        f"Sister-city, friendship and sector partnerships in force on {on}; networks are not "
        "places and are not on the map. A numbered dot is that many partners in one place, "
        "in their kind's color, or gray where they are of several kinds; a partner placed "
        "by its country alone sits at the country's middle."
    )
    elsewhere = [
        e["partner"]
        for e in a.engagements
        if e.get("partner_level") != "network"
        and e["method"] not in ("sister_city",)
        and not any(p["partner_name"] == e["partner"] for p in a.in_force)
    ]
    if elsewhere:
        caption += (
            f" Engaged through an agreement or a meeting, not a partnership in force, and so "
            f"not on the map: {_in_all(elsewhere)} (see {ENGAGEMENTS_HEADING}, at the end)."
        )
    unplaced = len(a.in_force) - len(a.places)
    if unplaced:
        caption += (
            f" {counted(unplaced, 'partner')} in force {'is' if unplaced == 1 else 'are'} "
            "not on the map: no place is known (set the partnership's Map position)."
        )
    out.append(para(caption, s["small"]))
    return out


# -- charts ------------------------------------------------------------------------------

# The locator map draws partners within this many points of one another as one numbered
# dot (writers.locator.world_map's cells); a dot of partners of several kinds is gray.
CLUSTER_POINTS = 9.0
MIXED = colors.HexColor("#8c8c8c")


def map_dots(
    places: list[tuple[float, float, str]], width: float, height: float
) -> tuple[list[tuple[float, float, colors.Color]], list[tuple[str, colors.Color]]]:
    """Each partner's dot, colored by its kind of partnership, and the legend of what is
    drawn: only kinds that have a dot, and 'Several kinds' where partners of different
    kinds share one numbered dot (its color would otherwise claim them all for one)."""
    view = WORLD_VIEW
    sx = width / (view.east - view.west)
    sy = height / (view.north - view.south)
    other = KIND_COLORS["other"]

    def cell(lat: float, lon: float) -> tuple[int, int]:
        x = ((lon if lon >= view.west else lon + 360) - view.west) * sx
        return int(x // CLUSTER_POINTS), int((lat - view.south) * sy // CLUSTER_POINTS)

    groups: dict[tuple[int, int], set[str]] = {}
    for lat, lon, kind in places:
        groups.setdefault(cell(lat, lon), set()).add(kind if kind in KIND_COLORS else "other")
    dots = []
    drawn: set[str] = set()
    for lat, lon, kind in places:
        kinds = groups[cell(lat, lon)]
        if len(kinds) > 1:
            dots.append((lat, lon, MIXED))
            drawn.add("mixed")
        else:
            dots.append((lat, lon, KIND_COLORS.get(kind, other)))
            drawn |= kinds
    legend = [(t, KIND_COLORS[c]) for c, t in PARTNERSHIP_KINDS.items() if c in drawn]
    if "mixed" in drawn:
        legend.append(("Several kinds", MIXED))
    return dots, legend


def _year_chart(a: Annual, width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    series = [
        ("New partnerships", [y.partnerships for y in a.years]),
        ("Agreements signed", [y.agreements for y in a.years]),
        ("Delegations welcomed", [y.incoming for y in a.years]),
        ("Missions sent", [y.outgoing for y in a.years]),
    ]
    x = 0.0
    for (name, _values), color in zip(series, SERIES, strict=True):
        drawing.add(Rect(x, height - 10, 8, 8, fillColor=color, strokeColor=None))  # type: ignore[arg-type]
        drawing.add(String(x + 11, height - 9, name, fontName=SANS, fontSize=8, fillColor=INK))
        x += 14 + len(name) * 4.4 + 10
    totals = [sum(values[n] for _name, values in series) for n in range(len(a.years))]
    top, step = figures.axis(max(totals, default=0))
    # Room above the tallest bar for its total, under the key.
    left, bottom, plot_h = 28.0, 16.0, height - 44.0
    plot_w = width - left
    lines = round(top / step)
    for k in range(lines + 1):
        y = bottom + plot_h * k / lines
        drawing.add(Line(left, y, width, y, strokeColor=RULE, strokeWidth=0.4))
        drawing.add(
            String(
                left - 4,
                y - 3,
                f"{int(k * step):,}",
                fontName=SANS,
                fontSize=7,
                fillColor=INK,
                textAnchor="end",
            )
        )
    slot = plot_w / len(a.years)
    for n, year in enumerate(a.years):
        x0 = left + slot * n + slot * 0.15
        y0 = bottom
        for (_name, values), color in zip(series, SERIES, strict=True):
            h = plot_h * values[n] / top
            if h > 0:
                drawing.add(Rect(x0, y0, slot * 0.7, h, fillColor=color, strokeColor=None))  # type: ignore[arg-type]
            y0 += h
        # Each bar's total, so the chart is read without a ruler.
        drawing.add(
            String(
                x0 + slot * 0.35,
                y0 + 3,
                f"{totals[n]:,}",
                fontName=SANS,
                fontSize=7,
                fillColor=INK,
                textAnchor="middle",
            )
        )
        drawing.add(
            String(
                x0 + slot * 0.35,
                4,
                str(year.year),
                fontName=SANS,
                fontSize=7,
                fillColor=INK,
                textAnchor="middle",
            )
        )
    return drawing


def _share_chart(bars: list[tuple[str, float, str, float | None]], width: float) -> Drawing:
    """Bars of this city's shares with a mark at the national share."""
    row = 15.0
    height = row * len(bars) + 4
    drawing = Drawing(width, height)
    label_w, text_w = 150.0, 130.0
    span = width - label_w - text_w
    biggest = max([b[1] for b in bars] + [b[3] or 0 for b in bars]) or 1
    for n, (name, value, text, reference) in enumerate(bars):
        y = height - row * (n + 1)
        drawing.add(
            String(
                label_w - 6, y + 4, name, fontName=SANS, fontSize=8, fillColor=INK, textAnchor="end"
            )
        )
        length = span * value / biggest
        drawing.add(Rect(label_w, y + 2, length, row - 5, fillColor=SERIES[0], strokeColor=None))  # type: ignore[arg-type]
        end = label_w + length
        if reference is not None:
            x = label_w + span * reference / biggest
            drawing.add(Line(x, y, x, y + row - 1, strokeColor=INK, strokeWidth=1.6))
            end = max(end, x)
        drawing.add(String(end + 4, y + 4, text, fontName=SANS, fontSize=8, fillColor=INK))
    return drawing


def _shares(table: str, vocab: Any, a: Annual) -> list[tuple[str, float, str, float | None]]:
    counts: dict[str, int] = getattr(a.shares, table)
    national: dict[str, float] = a.shares.national.get(table, {})
    codes = [c for c in vocab if counts.get(c) or c in national]
    codes.sort(key=lambda c: (-counts.get(c, 0), -national.get(c, 0)))
    out = []
    for code in codes:
        part = a.shares.share(table, code)
        reference = national.get(code)
        text = f"{counts.get(code, 0):,} ({part:.0%})"
        if reference is not None:
            text += f" · national {reference:.0%}"
        out.append((vocab[code], part, text, reference))
    return out


# -- sections ----------------------------------------------------------------------------


def _none(doc: DeskDocument, text: str) -> list[Flowable]:
    """An empty section says so: the council sees every topic answered."""
    return [para(text, doc.styles["body"])]


def _ten_years(doc: DeskDocument, a: Annual) -> list[Flowable]:
    last = (
        f"The last bar is {a.year}'s, as on the front page."
        if a.year_over
        else f"The last bar counts {a.period.removeprefix('in ')}, as the front page does."
    )
    return [
        _year_chart(a, doc.width, 2.4 * inch),
        para(
            "Activity record by record, not engagements: partnerships with partner places "
            "by the year they were established (joining a network is not a new partnership "
            "here: Network memberships lists each membership with the year it began), "
            "agreements by the year they were signed, visits once they took place; each bar "
            f"is topped with its total. {last}",
            doc.styles["small"],
        ),
    ]


def _compared(doc: DeskDocument, a: Annual) -> list[Flowable]:
    s = doc.styles
    n = a.shares.engagements
    on = dates.month_day_year(a.as_of)
    if not n:
        return _none(doc, f"No engagement abroad is on record as of {on}.")
    held = len(a.visits)
    out: list[Flowable] = [
        para(
            f"{counted(n, 'engagement')} {a.period}, counted the way the national survey of "
            "city international activities counts them, each partner place or network once "
            f"with one method: the partnerships, agreements and network memberships in force "
            f"on {on}, and the partners with whom an agreement was signed or a significant "
            f"meeting held {a.period}. A visit to a partner counts under that partner's "
            f"engagement, so the {counted(held, 'visit')} held {a.period} are not engagements "
            "of their own; delegations and missions are a method of their own only where no "
            "partnership or agreement is. Each engagement, with why it counts, is listed "
            f"under {ENGAGEMENTS_HEADING}, at the end. Bars: this city's share; marks: the "
            "national share from the survey's findings.",
            s["body"],
        ),
        *_differs(doc, a),
        para("By method", s["H2"], bold=True),
        _share_chart(_shares("by_method", ENGAGEMENT_METHODS, a), doc.width),
        para(f"Each engagement has one method; these add up to {n:,}.", s["small"]),
        para("By priority area", s["H2"], bold=True),
        _share_chart(_shares("by_area", PRIORITY_AREAS, a), doc.width),
        para(
            "An engagement counts under each of its priority areas, so these can add up to "
            f"more than {n:,} and their shares to more than 100%.",
            s["small"],
        ),
    ]
    return out


def _differs(doc: DeskDocument, a: Annual) -> list[Flowable]:
    """How this count differs from the survey submission's, and why."""
    if a.survey_since >= a.year:
        return []
    n, survey = a.shares.engagements, a.survey_count
    more = survey - n
    gap = (
        f", {more:,} more than this report's {n:,} {a.period}"
        if more > 0
        else (f", the same as this report's count {a.period}" if more == 0 else "")
    )
    on = dates.month_day_year(a.as_of)
    made = (
        f"A workbook made on {on} would count"
        if a.year_over
        else f"Made on {on}, the day of this report, it counts"
    )
    return [
        para(
            "How this differs from the survey submission: the survey workbook counts the "
            f"same way over its own window, from January 1, {a.survey_since} to the day it "
            "is made, so it also counts the partners met, and the agreements signed, in "
            f"earlier years. {made} {counted(survey, 'engagement')}{gap}.",
            doc.styles["body"],
        )
    ]


# The section that lists the engagements, named where the map points to it.
ENGAGEMENTS_HEADING = "The engagements counted"


def _engagements(doc: DeskDocument, a: Annual) -> list[Flowable]:
    """Every engagement of the year with its method and why: a partner counted through
    an agreement in force (a suspended sister city's MOU) is found here."""
    if not a.engagements:
        return []
    order = list(ENGAGEMENT_METHODS)
    rows = [
        (
            e["partner"]
            + (
                "" if e.get("partner_level") == "network" else f", {country_name(e.get('country'))}"
            ),
            label(ENGAGEMENT_METHODS, e["method"]),
            _why(e),
        )
        for e in sorted(
            a.engagements,
            key=lambda e: (order.index(e["method"]), (e["partner"] or "").casefold()),
        )[:MOST_ROWS]
    ]
    out = data_table(doc.styles, ("Partner", "Method", "Why it counts"), rows, [2.0, 1.5, 3.4])
    out += _more(doc, len(a.engagements), "engagements")
    out.append(
        para(
            f"The {counted(len(a.engagements), 'engagement')} above, by method: each with the "
            f"first of the survey's methods that holds on {dates.month_day_year(a.as_of)}.",
            doc.styles["small"],
        )
    )
    return out


def _why(engagement: dict[str, Any]) -> str:
    """The method's basis without the method's name, which its own column gives."""
    basis = str(engagement.get("method_basis") or "")
    method = label(ENGAGEMENT_METHODS, engagement["method"])
    text = basis.removeprefix(f"{method}: ")
    return text[:1].upper() + text[1:]


def _partnerships(doc: DeskDocument, a: Annual) -> list[Flowable]:
    if not a.status_changes:
        return _none(
            doc, f"No partnership was proposed, started, changed its standing or ended {a.period}."
        )
    rows = [
        (
            table_date(c["changed_on"]),
            c["partner_name"],
            label(PARTNERSHIP_KINDS, c["kind"]),
            label(PARTNERSHIP_STATUSES, c["status"]),
            "" if c.get("reason") == INITIAL_STATUS_REASON else c.get("reason") or "",
        )
        for c in a.status_changes[:MOST_ROWS]
    ]
    heads = ("Date", "Partner", "Kind", "Became", "Why")
    out = data_table(doc.styles, heads, rows, [1.2, 1.5, 1.2, 0.9, 2.1])
    return out + _more(doc, len(a.status_changes), "changes of standing")


def _visits(doc: DeskDocument, a: Annual) -> list[Flowable]:
    if not a.visits:
        return _none(doc, f"No visit was held {a.period}.")
    y = a.this_year
    starred = [v for v in a.visits if v["id"] in a.significant]
    # The significant ones first when there are more than a report should list, then
    # the rest; those listed in date order.
    shown = sorted(a.visits, key=lambda v: v["id"] not in a.significant)[:MOST_ROWS]
    shown.sort(key=lambda v: (v.get("start_date") or "", v["id"]))
    rows = []
    for v in shown:
        brought = "; ".join(
            f"{OUTCOME_MEASURES.get(o['measure'], o['measure'])} {_figure(o)}"
            for o in a.visit_outcomes.get(v["id"], [])
        )
        what = "the mission" if v.get("direction") == "outgoing" else "the visit"
        cost_text = in_brief(v.get(COSTS) or Costs(), what)
        rows.append(
            (
                table_date(v.get("start_date")),
                label(VISIT_DIRECTIONS, v.get("direction")),
                # A no-break space: the star never wraps onto a line of its own.
                v["title"] + ("\u00a0★" if v["id"] in a.significant else ""),
                v.get("principal") or "",
                "; ".join(x for x in (cost_text, brought or (v.get("outcomes") or "")) if x),
            )
        )
    out: list[Flowable] = [
        para(
            f"{counted(len(a.visits), 'visit')} held {a.period}: "
            f"{counted(y.incoming, 'delegation')} welcomed and "
            f"{counted(y.outgoing, 'mission')} sent, as on the front page.",
            doc.styles["body"],
        )
    ]
    heads = ("Date", "Direction", "Visit", "Led by", "What it cost and brought")
    out += data_table(doc.styles, heads, rows, [1.1, 1.1, 1.7, 1.1, 1.9])
    out += _more(doc, len(a.visits), "visits held")
    cost = spent(a)
    if not cost.empty:
        out.append(
            para(
                f"In all, the visits held {a.period} cost {in_brief(cost)}. Costs are in U.S. "
                "dollars at the rate the office recorded with each; one with no rate is not "
                "in them, and is said apart.",
                doc.styles["small"],
            )
        )
    if starred:
        out.append(
            para(
                f"★ a significant meeting the national survey counts ({len(starred):,} of "
                f"{len(a.visits):,}), under its partner's engagement.",
                doc.styles["small"],
            )
        )
    return out


# A year of a large city's work holds thousands of visits: a report lists the first
# hundred and says how many more there were.
MOST_ROWS = 100


def _more(doc: DeskDocument, total: int, what: str) -> list[Flowable]:
    if total <= MOST_ROWS:
        return []
    return [
        para(
            f"…and {total - MOST_ROWS:,} more {what}, {total:,} in all; "
            "desk's lists and the survey workbook give every one.",
            doc.styles["small"],
        )
    ]


def _figure(o: dict[str, Any]) -> str:
    if o["measure"] in MONEY_MEASURES:
        return money.short(o.get("value_minor"), o.get("currency"))
    return f"{o.get('amount') or 0:,}" + (" (estimate)" if o.get("estimate") else "")


def _partner(g: dict[str, Any]) -> str:
    return str(g.get("partner_name") or g.get("parties") or "")


def _agreements(doc: DeskDocument, a: Annual) -> list[Flowable]:
    if not a.agreements:
        return _none(doc, f"No agreement was signed {a.period}.")
    rows = [
        (
            table_date(g.get("signed_date")),
            g["title"],
            _partner(g),
            table_date(g.get("expiry_date")),
        )
        for g in a.agreements[:MOST_ROWS]
    ]
    heads = ("Signed", "Agreement", "Partner", "Runs to")
    out = data_table(doc.styles, heads, rows, [1.2, 3.0, 1.5, 1.2])
    return out + _more(doc, len(a.agreements), "agreements signed")


def runs_to(g: dict[str, Any], on: dt.date) -> str:
    """When an agreement runs out, told as of `on`: past or to come, by itself renewed or
    not."""
    expiry = g.get("expiry_date")
    if not expiry:
        return ""
    day = table_date(expiry)
    past = expiry <= on.isoformat()
    if g.get("auto_renew"):
        text = (
            f"Renewed by itself {day} unless notice was given"
            if past
            else f"Renews by itself {day} unless notice is given"
        )
    else:
        text = f"Expired {day}" if past else f"Expires {day}"
    if g.get("status") == "terminated":
        text += f" ({AGREEMENT_STATUSES['terminated'].lower()})"
    return text


def _due(doc: DeskDocument, a: Annual) -> list[Flowable]:
    if not a.due:
        return _none(doc, f"No agreement ran out or came up for its renewal decision in {a.year}.")
    rows = [
        (g["title"], _partner(g), table_date(g.get("decision_deadline")), runs_to(g, a.as_of))
        for g in a.due[:MOST_ROWS]
    ]
    heads = ("Agreement", "Partner", "Decision due", "Runs out")
    out = data_table(doc.styles, heads, rows, [2.6, 1.3, 1.3, 1.7])
    out += _more(doc, len(a.due), "agreements")
    out.append(
        para(
            f"Every agreement whose renewal decision or end falls in {a.year}, told as of "
            f"{dates.month_day_year(a.as_of)}. The decision (renew, or give notice) is due "
            "the agreement's notice period and the office's preparation time before it runs "
            "out.",
            doc.styles["small"],
        )
    )
    return out


def _networks(doc: DeskDocument, a: Annual) -> list[Flowable]:
    if not a.networks:
        return _none(doc, f"The city belonged to no network {a.period}.")

    def left(n: dict[str, Any]) -> str:
        if n.get("left_date"):
            return table_date(n["left_date"])
        if n.get("status") != "active":
            return f"{label(NETWORK_STATUSES, n.get('status'))}, date not recorded"
        return ""

    def counted_or_why(n: dict[str, Any]) -> str:
        if n["id"] in a.counted_networks:
            return "Yes"
        why = a.network_reasons.get(n["id"])
        return f"No: {why}" if why else "No"

    rows = [
        (
            n["network_name"],
            n.get("membership_level") or "",
            table_date(n.get("joined_date")),
            left(n),
            counted_or_why(n),
        )
        for n in a.networks[:MOST_ROWS]
    ]
    out = data_table(
        doc.styles,
        ("Network", "Role or level", "Member since", "Left", "Counted"),
        rows,
        [2.3, 1.1, 1.0, 1.2, 1.3],
    )
    out += _more(doc, len(a.networks), "networks")
    counted_here = sum(1 for n in a.networks if n["id"] in a.counted_networks)
    out.append(
        para(
            f"Members at some time {a.period}. Counted: among the engagements compared with "
            f"cities nationally, as the survey counts city networks ({counted_here:,} of "
            f"{len(a.networks):,}): an international network the city belonged to on "
            f"{dates.month_day_year(a.as_of)}. A U.S. association is not an international "
            "city network; a membership left before that day is not counted, as a "
            "partnership ended before it is not.",
            doc.styles["small"],
        )
    )
    return out


def _outcomes(doc: DeskDocument, a: Annual) -> list[Flowable]:
    rows = [
        (
            total.label,
            total.text(rounded=True),
            "Yes" if total.estimated else "",
            f"{total.figures:,}",
        )
        for measure in OUTCOME_MEASURES
        if (total := a.outcomes.get(measure)) is not None
    ]
    if not rows:
        return _none(doc, f"No outcome is recorded for {a.year}.")
    out = data_table(
        doc.styles,
        ("Outcome", "In all", "Estimated in part", "Figures recorded"),
        rows,
        [2.4, 1.9, 1.3, 1.3],
    )
    out.append(
        para(
            f"Every figure recorded for {a.year}: those of the visits above and those "
            "partners report for the year as a whole. Each is recorded with its source; "
            "money is added up within one currency.",
            doc.styles["small"],
        )
    )
    cost = spent(a)
    if not cost.empty:
        out.append(
            para(
                f"Beside them, what the visits held {a.period} cost: {in_brief(cost)}.",
                doc.styles["body"],
            )
        )
    return out


def _goals(doc: DeskDocument, a: Annual) -> list[Flowable]:
    n = a.shares.engagements
    rows = [
        (SDGS[goal], f"{count:,}")
        for goal, count in sorted(a.sdgs.items(), key=lambda g: (-g[1], int(g[0])))
    ]
    if not rows:
        return _none(doc, "No engagement names a Sustainable Development Goal.")
    out = data_table(doc.styles, ("Goal", f"Engagements advancing it, of {n:,}"), rows, [4.9, 2.0])
    out.append(
        para(
            f"Of the {counted(n, 'engagement')} compared with cities nationally: one advances "
            "a goal when its partnership, or an agreement or significant meeting counted for "
            f"it {a.period}, names the goal. One engagement can advance several goals, so "
            f"the column can add up to more than {n:,}.",
            doc.styles["small"],
        )
    )
    return out


def _next_year(doc: DeskDocument, a: Annual) -> list[Flowable]:
    dated = [(c.day, c.day.isoformat(), c.what) for c in a.next_year]
    # An anniversary of a founding known to its year or month is dated by that year or
    # month ('2027', 'June 2027') and listed after the days it spans.
    for when, name, age in a.anniversaries:
        since = int(when[:4]) - age
        dated.append((dates.last_day(when), when, f"{name}: {counted(age, 'year')} since {since}"))
    rows = [(table_date(when), what) for _, when, what in sorted(dated)]
    first, last = dates.month_day_year(a.coming_from), dates.month_day_year(a.coming_to)
    if a.year_over:
        intro = (
            f"What lay ahead in the year after this report's, from {first} to {last}, as "
            f"things stood at the end of {a.year}"
        )
    else:
        intro = f"What lies ahead from {first}, the day of this report, to {last}"
    intro += (
        ": renewal decisions and ends of agreements (an overdue decision first), visits "
        "planned (not those only asked for) and round anniversaries of partnerships in force."
    )
    out: list[Flowable] = [para(intro, doc.styles["body"])]
    if not rows:
        return out + _none(doc, "Nothing is due or planned in that time.")
    out += data_table(doc.styles, ("When", "What"), rows[:MOST_ROWS], [1.4, 5.5])
    return out + _more(doc, len(rows), "dates")


SECTIONS: tuple[tuple[str, Callable[[DeskDocument, Annual], list[Flowable]]], ...] = (
    ("Ten years of activity", _ten_years),
    ("How the city compares with cities nationally", _compared),
    ("Partnerships proposed, started, renewed and ended", _partnerships),
    ("Visits both ways", _visits),
    ("Agreements signed", _agreements),
    ("Agreements that ran out or came up for renewal", _due),
    ("Network memberships", _networks),
    ("Outcomes", _outcomes),
    ("Sustainable Development Goals", _goals),
    ("Coming next", _next_year),
    # Last, as a list to look a partner up in: the figures above are read first.
    (ENGAGEMENTS_HEADING, _engagements),
)
