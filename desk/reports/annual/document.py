"""The annual report: a year of the city's international work, for the mayor, the council
or a transition team. Headline figures, the map, ten years of engagement, the city beside
the national findings, partnerships started, renewed and ended, the visits both ways with
what they brought, agreements signed, network roles, outcomes, the Sustainable
Development Goals advanced, and what comes next year. Same frame, typography and script
handling as the briefing packet; no personal details (phones, diets, notes) are in it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table, TableStyle

from desk.core.domain import dates, money
from desk.core.domain.vocab import (
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
from desk.core.store.db import Database
from desk.reports import figures
from desk.reports.annual.data import Annual, gather
from desk.reports.writers.fonts import SANS
from desk.reports.writers.locator import world_map
from desk.reports.writers.pdf import (
    INK,
    RULE,
    DeskDocument,
    Heading,
    data_table,
    footer_line,
    make_pdf,
    para,
)
from desk.reports.writers.text import table_date

Progress = Callable[[int, int, str], None]
SERIES = tuple(colors.HexColor(hex) for hex in figures.SERIES_COLORS[:4])
KIND_COLORS = {code: colors.HexColor(hex) for code, hex in figures.KIND_COLORS.items()}


def build_annual(
    db: Database,
    year: int,
    out: Path | None = None,
    *,
    marking: str = "",
    progress: Progress | None = None,
) -> bytes:
    """Write the year's report to `out` (atomically) and return its bytes."""
    return make_pdf(
        out, "report", lambda: gather(db, year), lambda a: _layout(a, marking), progress
    )


def _layout(a: Annual, marking: str) -> bytes:
    buffer = io.BytesIO()
    office = " · ".join(p for p in (a.city.get("office_name"), a.city.get("name")) if p)
    title = f"International work in {a.year}"
    doc = DeskDocument(
        buffer,
        title=title,
        header=f"Annual report {a.year}",
        marking=marking,
        footer=footer_line(office),
    )
    story: list[Any] = _front(doc, a, title)
    for heading, build in SECTIONS:
        flowables = build(doc, a)
        if flowables:
            story += [CondPageBreak(1.8 * inch), Heading(heading, 0, doc.styles["H1"]), *flowables]
            story.append(Spacer(1, 10))
    doc.render(story)
    return buffer.getvalue()


# -- the front page ----------------------------------------------------------------------


def headline(a: Annual) -> list[tuple[str, str]]:
    """(figure, what) for the front page: the year's engagements, then its outcomes."""
    y = a.this_year
    out = [
        (f"{y.partnerships:,}", "new partnerships"),
        (f"{y.agreements:,}", "agreements signed"),
        (f"{y.incoming:,}", "delegations welcomed"),
        (f"{y.outgoing:,}", "missions sent"),
    ]
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


def _front(doc: DeskDocument, a: Annual, title: str) -> list[Flowable]:
    s = doc.styles
    where = ", ".join(x for x in (a.city.get("name"), a.city.get("state")) if x)
    out: list[Flowable] = [
        para(f"{a.year} in review", s["subtitle"]),
        para(title, s["title"]),
        para(" · ".join(x for x in (where, a.city.get("office_name")) if x), s["subtitle"]),
        Spacer(1, 14),
    ]
    y = a.this_year
    if not (y.engagements or a.outcomes):
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
    in_force = len(a.places)
    out.append(
        para(
            f"Where the city is engaged: {counted(in_force, 'partner')} in force",
            s["H2"],
            bold=True,
        )
    )
    kinds = [(t, KIND_COLORS[c]) for c, t in PARTNERSHIP_KINDS.items() if c in KIND_COLORS]
    other = KIND_COLORS["other"]
    out.append(
        world_map(
            a.home,
            [(lat, lon, KIND_COLORS.get(kind, other)) for lat, lon, kind in a.places],
            width=doc.width,
            height=doc.width * 0.45,
            legend=kinds,
        )
    )
    out.append(
        para(
            "Partners in force at the year's end; a numbered dot is that many partners in "
            "one place. A partner placed by its country alone sits at the country's middle.",
            s["small"],
        )
    )
    return out


# -- charts ------------------------------------------------------------------------------


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
    left, bottom, plot_h = 28.0, 16.0, height - 34.0
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


def _ten_years(doc: DeskDocument, a: Annual) -> list[Flowable]:
    return [
        _year_chart(a, doc.width, 2.4 * inch),
        para(
            "Partnerships by the year they were established, agreements by the year they "
            "were signed, visits once they took place.",
            doc.styles["small"],
        ),
    ]


def _compared(doc: DeskDocument, a: Annual) -> list[Flowable]:
    s = doc.styles
    if not a.shares.engagements:
        return []
    out: list[Flowable] = [
        para(
            f"{counted(a.shares.engagements, 'engagement')}, counted as the national survey of "
            "city international activities counts them (each partner place or network once, "
            f"with its agreements and meetings in {a.year}). Bars: this city's share; "
            "marks: the national share from the survey's findings. A visit to a partner "
            "counts under that partnership, as the survey counts it: delegations and "
            "missions count as a method of their own only where no partnership exists.",
            s["body"],
        ),
        para("By method", s["H2"], bold=True),
        _share_chart(_shares("by_method", ENGAGEMENT_METHODS, a), doc.width),
        para("By priority area", s["H2"], bold=True),
        _share_chart(_shares("by_area", PRIORITY_AREAS, a), doc.width),
    ]
    return out


def _partnerships(doc: DeskDocument, a: Annual) -> list[Flowable]:
    rows = [
        (
            table_date(c["changed_on"]),
            c["partner_name"],
            label(PARTNERSHIP_KINDS, c["kind"]),
            label(PARTNERSHIP_STATUSES, c["status"]),
            c.get("reason") or "",
        )
        for c in a.status_changes[:MOST_ROWS]
    ]
    heads = ("Date", "Partner", "Kind", "Now", "Why")
    out = data_table(doc.styles, heads, rows, [1.2, 1.5, 1.2, 0.9, 2.1])
    return out + _more(doc, len(a.status_changes), "changes of standing")


def _visits(doc: DeskDocument, a: Annual) -> list[Flowable]:
    # The significant ones first when there are more than a report should list, then
    # the rest; those listed in date order.
    shown = sorted(a.visits, key=lambda v: not v.get("significant"))[:MOST_ROWS]
    shown.sort(key=lambda v: (v.get("start_date") or "", v["id"]))
    rows = []
    for v in shown:
        brought = "; ".join(
            f"{OUTCOME_MEASURES.get(o['measure'], o['measure'])} {_figure(o)}"
            for o in a.visit_outcomes.get(v["id"], [])
        )
        rows.append(
            (
                table_date(v.get("start_date")),
                label(VISIT_DIRECTIONS, v.get("direction")),
                v["title"] + (" ★" if v.get("significant") else ""),
                v.get("principal") or "",
                brought or (v.get("outcomes") or ""),
            )
        )
    heads = ("Date", "Direction", "Visit", "Led by", "What it brought")
    out = data_table(doc.styles, heads, rows, [1.1, 1.1, 1.7, 1.1, 1.9])
    out += _more(doc, len(a.visits), "visits held")
    if any(v.get("significant") for v in shown):
        out.append(
            para(
                "★ a significant meeting, as the national survey counts them.", doc.styles["small"]
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


def _agreements(doc: DeskDocument, a: Annual) -> list[Flowable]:
    rows = [
        (
            table_date(g.get("signed_date")),
            g["title"],
            g.get("partner_name") or "",
            table_date(g.get("expiry_date")),
        )
        for g in a.agreements[:MOST_ROWS]
    ]
    heads = ("Signed", "Agreement", "Partner", "Runs to")
    out = data_table(doc.styles, heads, rows, [1.2, 3.0, 1.5, 1.2])
    return out + _more(doc, len(a.agreements), "agreements signed")


def _networks(doc: DeskDocument, a: Annual) -> list[Flowable]:
    rows = [
        (
            n["network_name"],
            n.get("membership_level") or "",
            label(NETWORK_STATUSES, n.get("status")),
            table_date(n.get("joined_date")),
        )
        for n in a.networks[:MOST_ROWS]
    ]
    return data_table(
        doc.styles,
        ("Network", "Role or level", "Status", "Member since"),
        rows,
        [2.6, 1.8, 1.0, 1.5],
    )


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
    out = data_table(
        doc.styles,
        ("Outcome", "In all", "Estimated in part", "Figures recorded"),
        rows,
        [2.4, 1.9, 1.3, 1.3],
    )
    if out:
        out.append(
            para(
                "Each figure is recorded with its source; money is added up within one currency.",
                doc.styles["small"],
            )
        )
    return out


def _goals(doc: DeskDocument, a: Annual) -> list[Flowable]:
    rows = [
        (SDGS[goal], f"{n:,}")
        for goal, n in sorted(a.sdgs.items(), key=lambda g: (-g[1], int(g[0])))
    ]
    out = data_table(doc.styles, ("Goal", "Engagements advancing it"), rows, [4.9, 2.0])
    if out:
        out.append(
            para(
                "Partnerships in force, visits held and agreements signed this year; one "
                "engagement can advance several goals, so these add up to more than the "
                "engagements.",
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
    heads = ("When", f"From {dates.month_day_year(a.today)}: overdue first, then the year ahead")
    return data_table(doc.styles, heads, rows[:MOST_ROWS], [1.4, 5.5]) + _more(
        doc, len(rows), "dates"
    )


SECTIONS: tuple[tuple[str, Callable[[DeskDocument, Annual], list[Flowable]]], ...] = (
    ("Ten years of engagement", _ten_years),
    ("How the city compares with cities nationally", _compared),
    ("Partnerships started, renewed and ended", _partnerships),
    ("Visits both ways", _visits),
    ("Agreements signed", _agreements),
    ("Network roles", _networks),
    ("Outcomes", _outcomes),
    ("Sustainable Development Goals", _goals),
    ("Coming next", _next_year),
)
