"""A partnership's hand-over dossier: what a successor needs on day one.

Offices of one person lose their memory when that person leaves; this is the memory. It
is written for the next person in the office (internal: forms of address, dietary needs,
phone numbers and notes are in it), and says, in this order: where the relationship
stands and why; its story; its agreements with their terms and deadlines; who is who on
both sides, with the last time each was seen; the visits both ways and what they
brought; the outcomes counted; the gifts exchanged, so none is repeated; the follow-ups
and promises still open; network roles; recent contact; and the files held. Sections
with nothing to say are left out.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer

from desk.core.domain import dates, money
from desk.core.domain.kinds import KINDS
from desk.core.domain.vocab import (
    AGREEMENT_KINDS,
    AGREEMENT_STATUSES,
    GIFT_DIRECTIONS,
    GIFT_DISPOSITIONS,
    INTERACTION_KINDS,
    MONEY_MEASURES,
    NETWORK_STATUSES,
    OUTCOME_MEASURES,
    PARTICIPANT_ROLES,
    PARTNERSHIP_KINDS,
    SIDES,
    VISIT_DIRECTIONS,
    VISIT_STATUSES,
    label,
)
from desk.core.domain.words import counted
from desk.core.features.costs import Costs, budget_text, in_brief, rounded, together
from desk.core.progress import Progress
from desk.core.reference.countries import country_name
from desk.core.store.db import Database
from desk.core.store.queries import display, person_name
from desk.reports.dossier.data import Dossier, gather
from desk.reports.writers.pdf import (
    DeskDocument,
    Heading,
    contents,
    data_table,
    fact_table,
    footer_line,
    make_pdf,
    para,
    paras,
)
from desk.reports.writers.text import glimpse, table_date

MARKING = "SENSITIVE - NOT FOR DISTRIBUTION"


def build_dossier(
    db: Database,
    partnership: int | str,
    out: Path | None = None,
    *,
    marking: str = MARKING,
    progress: Progress | None = None,
) -> bytes:
    """Write the dossier to `out` (atomically) and return its bytes."""
    return make_pdf(
        out,
        "dossier",
        lambda: gather(db, partnership),
        lambda d: _layout(d, marking),
        progress,
    )


def _layout(d: Dossier, marking: str) -> bytes:
    """Laid out without a contents list first; a dossier of four pages or more is laid
    out again with one (a short one is read straight through)."""
    pdf, pages = _pass(d, marking, with_contents=False)
    if pages >= CONTENTS_FROM_PAGES:
        pdf, _pages = _pass(d, marking, with_contents=True)
    return pdf


CONTENTS_FROM_PAGES = 4


def _pass(d: Dossier, marking: str, *, with_contents: bool) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    name = d.partnership["partner_name"]
    office = " · ".join(p for p in (d.city.get("office_name"), d.city.get("name")) if p)
    doc = DeskDocument(
        buffer,
        title=f"Hand-over dossier: {name}",
        header=f"Hand-over dossier: {glimpse(name, 90)}",
        marking=marking,
        footer=footer_line(office),
    )
    story: list[Any] = _front(doc, d)
    body: list[Any] = []
    for title, build in SECTIONS:
        flowables = build(doc, d)
        # The heading keeps with what follows it: a section's own "start a page when
        # little room is left" would come between them and strand the heading.
        while flowables and isinstance(flowables[0], CondPageBreak):
            flowables = flowables[1:]
        if flowables:
            body += [
                CondPageBreak(1.6 * inch),
                Heading(title, 0, doc.styles["H1"]),
                *flowables,
                Spacer(1, 10),
            ]
    if body and with_contents:
        story += [
            Spacer(1, 14),
            Heading("Contents", 0, doc.styles["H2"], in_contents=False),
            contents(doc),
            PageBreak(),
            *body,
        ]
    elif body:
        story += [Spacer(1, 14), *body]
    doc.render(story)
    return buffer.getvalue(), doc.page


def _front(doc: DeskDocument, d: Dossier) -> list[Flowable]:
    s = doc.styles
    p = d.partnership
    native = p.get("partner_name_native")
    title = p["partner_name"] + (f" ({native})" if native and native != p["partner_name"] else "")
    where = ", ".join(x for x in (p.get("region"), country_name(p.get("country"))) if x)
    kind = label(PARTNERSHIP_KINDS, p.get("kind"))
    since = f"since {dates.readable(p['established_date'])}" if p.get("established_date") else ""
    line = " · ".join(x for x in (kind, where, since) if x)
    out: list[Flowable] = [
        para("Hand-over dossier", s["subtitle"]),
        para(title, s["title"]),
        para(line, s["subtitle"]),
        Spacer(1, 10),
        para(f"As of {dates.long_date(d.today)}", s["subtitle"]),
        Spacer(1, 16),
        para("Where it stands", s["H2"], bold=True),
    ]
    out += [para(text, s["body"]) for text in d.standing.lines()]
    overdue = [f for f in d.follow_ups if f.get("due_date") and f["due_date"] < d.today.isoformat()]
    if overdue:
        first = overdue[0]
        more = f" and {counted(len(overdue) - 1, 'more')}" if len(overdue) > 1 else ""
        out.append(
            para(
                f"Overdue: {first['title']}, due {dates.month_day_year(first['due_date'])}{more}",
                s["body"],
                bold=True,
            )
        )
    if d.policy_flags:
        from desk.core.features.policy import NOTICE

        out += [Spacer(1, 6), para("What your state's rules ask", s["H2"], bold=True)]
        out += [para(text, s["body"]) for text in d.policy_flags]
        out.append(para(NOTICE, s["small"]))
    if d.partnership.get("notes"):
        out += [Spacer(1, 6), para("Notes for whoever carries it", s["H2"], bold=True)]
        out += paras(d.partnership["notes"], s["body"])
    out += [Spacer(1, 6), para("The partnership", s["H2"], bold=True)]
    out += fact_table(
        s,
        [
            ("Partner organization", d.partner_organisation),
            ("Lead department", p.get("lead_department") or ""),
            ("Local committee", p.get("local_committee") or ""),
            ("Priority areas", _shown("partnership", "priority_areas", p)),
            ("Sustainable Development Goals", _shown("partnership", "sdgs", p)),
            ("Records held", _holdings(d)),
        ],
        1.9 * inch,
        doc.width,
    )
    return out


def _shown(kind: str, name: str, row: dict[str, Any]) -> str:
    return display(None, KINDS[kind].field_map[name], row.get(name))


def _holdings(d: Dossier) -> str:
    parts = [
        counted(len(d.agreements), "agreement"),
        counted(len(d.visits), "visit"),
        counted(len(d.counterparts), "counterpart"),
        counted(len(d.follow_ups), "open follow-up"),
        counted(len(d.files), "file"),
    ]
    return ", ".join(parts)


# -- sections ----------------------------------------------------------------------------


def _story(doc: DeskDocument, d: Dossier) -> list[Flowable]:
    rows = [(table_date(e.on), e.what) for e in d.events]
    return data_table(doc.styles, ("Date", "What happened"), rows, [1.3, 5.6])


def _agreements(doc: DeskDocument, d: Dossier) -> list[Flowable]:
    s = doc.styles
    out: list[Flowable] = []
    for a in d.agreements:
        term = f"{a['term_months']} months" if a.get("term_months") else ""
        if a.get("auto_renew"):
            months = a.get("renewal_term_months")
            renews = f"for {months}-month terms" if months else ""
            term = ", ".join(x for x in (term, f"renews automatically {renews}".strip()) if x)
        elif a.get("expiry_date"):
            term = ", ".join(x for x in (term, "does not renew by itself") if x)
        signers = [
            f"{label(SIDES, x.get('side'))}: "
            + ", ".join(
                y
                for y in (
                    x.get("office_title") or x.get("office"),
                    _contact_name(d, x.get("contact_id")),
                    table_date(x.get("signed_on")),
                )
                if y
            )
            for x in d.signatories.get(a["id"], [])
        ]
        out += [
            CondPageBreak(1.4 * inch),
            para(a["title"], s["H2"], bold=True),
            *fact_table(
                s,
                [
                    ("Status", label(AGREEMENT_STATUSES, a.get("status"))),
                    ("Kind", label(AGREEMENT_KINDS, a.get("kind"))),
                    ("Signed", table_date(a.get("signed_date"))),
                    ("In effect from", table_date(a.get("effective_date"))),
                    ("Term", term),
                    ("Expires", table_date(a.get("expiry_date"))),
                    ("Notice", counted(a["notice_days"], "day") if a.get("notice_days") else ""),
                    ("Decide by", table_date(a.get("decision_deadline"))),
                    ("Signatories", "; ".join(signers)),
                    (
                        "Approved by",
                        ", ".join(
                            x
                            for x in (
                                a.get("approving_body"),
                                table_date(a.get("approval_date")),
                                a.get("approval_reference"),
                            )
                            if x
                        ),
                    ),
                    ("Languages", _shown("agreement", "languages", a)),
                    ("Notes", a.get("notes") or ""),
                ],
                1.6 * inch,
                doc.width,
            ),
        ]
    return out


def _last_contact(contact: dict[str, Any]) -> str:
    """'December 4, 2026: Anniversary planning (email)', or that none is recorded."""
    if not contact.get("last_seen"):
        return "none recorded"
    return f"{table_date(contact['last_seen'])}: {contact.get('last_seen_what') or ''}".rstrip(": ")


def _position(d: Dossier, person: dict[str, Any]) -> str:
    """'Director, Kobe City International Affairs Division'."""
    where = d.organisations.get(person.get("organisation_id") or -1)
    return ", ".join(x for x in (person.get("job_title"), where) if x)


def _contact_name(d: Dossier, contact_id: int | None) -> str:
    for row in d.counterparts:
        if row["id"] == contact_id:
            return person_name(row)
    return ""


def _people(doc: DeskDocument, d: Dossier) -> list[Flowable]:
    s = doc.styles
    out: list[Flowable] = []
    for c in d.counterparts:
        name = person_name(c)
        native = c.get("name_native")
        heading = " ".join(x for x in (c.get("honorific"), name) if x)
        if native and native != name:
            heading += f" ({native})"
        job = _position(d, c)
        out += [
            CondPageBreak(1.2 * inch),
            para(heading, s["H2"], bold=True),
            *fact_table(
                s,
                [
                    ("Role here", c.get("role") or ""),
                    ("Position", job),
                    ("Write to them as", c.get("written_address") or ""),
                    ("Address them as", c.get("spoken_address") or ""),
                    ("Languages", _shown("contact", "languages", c)),
                    ("Dietary needs", c.get("dietary") or ""),
                    ("Email", c.get("email") or ""),
                    ("Phone", " / ".join(x for x in (c.get("phone"), c.get("mobile")) if x)),
                    ("Last contact", _last_contact(c)),
                    ("About them", c.get("bio") or ""),
                    ("Notes", c.get("notes") or ""),
                ],
                1.6 * inch,
                doc.width,
            ),
        ]
    if d.others:
        rows = [
            (
                r["display"],
                _position(d, r),
                f"{table_date(r.get('start_date'))}, {r.get('visit')}",
                str(r["visits"]),
            )
            for r in d.others
        ]
        out += [para("Others met on its visits", s["H2"], bold=True)]
        out += data_table(s, ("Name", "Position", "Last met", "Visits"), rows, [1.8, 2.1, 2.4, 0.6])
        if d.others_more:
            out.append(para(f"…and {d.others_more:,} more in desk.", s["small"]))
    if d.ours:
        rows = [
            (
                r["display"],
                label(PARTICIPANT_ROLES, r.get("role")),
                table_date(r.get("start_date")),
                str(r["visits"]),
            )
            for r in d.ours
        ]
        out += [para("From our side", s["H2"], bold=True)]
        out += data_table(s, ("Name", "Role", "Last visit", "Visits"), rows, [2.4, 1.8, 1.9, 0.8])
    return out


def _visits(doc: DeskDocument, d: Dossier) -> list[Flowable]:
    s = doc.styles
    rows = [
        (
            table_date(v.get("start_date")),
            label(VISIT_DIRECTIONS, v.get("direction")),
            v["title"],
            label(VISIT_STATUSES, v.get("status")),
            v.get("principal") or "",
        )
        for v in d.visits
    ]
    out = data_table(
        s, ("Starts", "Direction", "Visit", "Status", "Led by"), rows, [1.1, 1.3, 2.4, 0.9, 1.2]
    )
    spent = together(d.costs[v["id"]] for v in d.visits if v["id"] in d.costs)
    if not spent.empty:
        out += [Spacer(1, 4), para(f"In all, its visits cost {in_brief(spent)}.", s["body"])]
    # A visit called off is said only for what it cost (tickets bought are spent).
    said = [
        v
        for v in d.visits
        if (
            any(v.get(k) for k in ("purpose", "avoid", "outcomes", "trip_report"))
            and v.get("status") not in ("cancelled", "declined")
        )
        or not d.costs.get(v["id"], Costs()).empty
    ]
    if said:
        out += [para("Why each went, what it cost and what it brought", s["H2"], bold=True)]
        for v in said:
            cost = d.costs.get(v["id"], Costs())
            budget = cost.budget
            out.append(para(f"{v['title']} ({table_date(v.get('start_date'))})", s["label"]))
            out += fact_table(
                s,
                [
                    ("Purpose", v.get("purpose") or ""),
                    ("To avoid", v.get("avoid") or ""),
                    ("Cost", in_brief(cost)),
                    # Said only beside a cost: a budget alone is a plan, not news.
                    (
                        "Budget",
                        budget_text(budget, say=rounded) if budget and not cost.empty else "",
                    ),
                    ("Brought", _brought(d, v["id"])),
                    ("Outcomes", v.get("outcomes") or ""),
                    ("Trip report", v.get("trip_report") or ""),
                ],
                1.3 * inch,
                doc.width,
            )
    return out


def _brought(d: Dossier, visit_id: int) -> str:
    """The figures recorded for a visit: 'Investment committed $23 million; jobs 120'."""
    found = [
        f"{label(OUTCOME_MEASURES, o['measure'])} {_figure(o)}"
        + (" (estimated)" if o.get("estimate") else "")
        for o in d.outcomes
        if o.get("visit_id") == visit_id
    ]
    return "; ".join(found)


def _outcomes(doc: DeskDocument, d: Dossier) -> list[Flowable]:
    s = doc.styles
    rows = [
        (
            str(o["year"]) if o.get("year") else "",
            label(OUTCOME_MEASURES, o["measure"]),
            _figure(o),
            "Yes" if o.get("estimate") else "",
            o.get("source") or "",
            o.get("visit") or o.get("agreement") or "The partnership",
        )
        for o in d.outcomes
    ]
    out = data_table(
        s,
        ("Year", "What", "Figure", "Estimated", "Source", "From"),
        rows,
        [0.5, 1.5, 1.1, 0.7, 1.5, 1.6],
    )
    totals = _totals(d)
    if totals:
        out += [Spacer(1, 4), para("In all: " + "; ".join(totals) + ".", s["body"])]
    return out


def _figure(o: dict[str, Any]) -> str:
    if o["measure"] in MONEY_MEASURES or o.get("value_minor") is not None:
        return money.text(o.get("value_minor"), o.get("currency"))
    return f"{o['amount']:,}" if o.get("amount") is not None else ""


def _totals(d: Dossier) -> list[str]:
    """'Students exchanged 214 (some estimated)', one per measure; money only where
    every figure is in one currency (sums of mixed currencies mean nothing)."""
    out = []
    for measure, text in OUTCOME_MEASURES.items():
        rows = [o for o in d.outcomes if o["measure"] == measure]
        if not rows:
            continue
        guess = " (some estimated)" if any(o.get("estimate") for o in rows) else ""
        if measure in MONEY_MEASURES:
            currencies = {o.get("currency") for o in rows}
            if len(currencies) != 1:
                continue
            total = sum(o.get("value_minor") or 0 for o in rows)
            out.append(f"{text.lower()} {money.text(total, currencies.pop())}{guess}")
        else:
            total = sum(o.get("amount") or 0 for o in rows)
            out.append(f"{text.lower()} {total:,}{guess}")
    if out:
        out[0] = out[0][0].upper() + out[0][1:]
    return out


def _gifts(doc: DeskDocument, d: Dossier) -> list[Flowable]:
    """Every gift, so that none is given twice: a planned one says so, and one like a gift
    already given says when that was."""
    given: dict[str, str] = {}
    rows = []
    for g in d.gifts:
        day = g.get("exchanged_on") or g.get("visit_start")
        planned = g.get("disposition") == "planned"
        direction = g.get("direction")
        if planned:
            way = "To give" if direction == "given" else "To receive"
        else:
            way = label(GIFT_DIRECTIONS, direction)
        what = g["description"]
        key = " ".join(what.casefold().split())
        if direction == "given" and key in given and planned:
            what += f" (given before, {given[key]})"
        if direction == "given" and not planned:
            given.setdefault(key, table_date(day))
        rows.append(
            (
                table_date(day),
                way,
                what,
                money.text(g.get("value_minor"), g.get("currency")),
                g.get("giver_name") or g.get("giver") or "",
                g.get("recipient_name") or g.get("recipient") or "",
                label(GIFT_DISPOSITIONS, g.get("disposition")),
            )
        )
    heads = ("Date", "Direction", "Gift", "Value", "From", "To", "Disposition")
    return data_table(doc.styles, heads, rows, [0.95, 0.75, 1.55, 0.7, 1.05, 1.05, 0.85])


def _follow_ups(doc: DeskDocument, d: Dossier) -> list[Flowable]:
    now = d.today.isoformat()
    rows = []
    for f in d.follow_ups:
        due = table_date(f.get("due_date")) or "no date"
        if f.get("due_date") and f["due_date"] < now:
            due += " (overdue)"
        what = f"Visit: {f['visit']}" if f.get("visit") else ""
        what = what or (f"Agreement: {f['agreement']}" if f.get("agreement") else "The partnership")
        rows.append((due, f["title"], what, f.get("with_name") or ""))
    heads = ("Due", "What was promised or is to do", "For", "Contact")
    return data_table(doc.styles, heads, rows, [1.2, 2.6, 1.9, 1.2])


def _networks(doc: DeskDocument, d: Dossier) -> list[Flowable]:
    rows = [
        (
            n["network_name"],
            label(NETWORK_STATUSES, n.get("status")),
            n.get("membership_level") or "",
            table_date(n.get("joined_date")),
            money.text(n.get("fee_minor"), n.get("fee_currency")),
        )
        for n in d.networks
    ]
    heads = ("Network", "Status", "Role or level", "Joined", "Annual fee")
    return data_table(doc.styles, heads, rows, [2.2, 0.9, 1.6, 1.2, 1.0])


def _contact(doc: DeskDocument, d: Dossier) -> list[Flowable]:
    rows = [
        (table_date(i.get("occurred_on")), label(INTERACTION_KINDS, i.get("kind")), i["subject"])
        for i in d.interactions
    ]
    out = data_table(doc.styles, ("Date", "Kind", "Subject"), rows, [1.2, 1.0, 4.7])
    if d.interactions_more:
        out.append(para(f"…and {d.interactions_more:,} earlier ones in desk.", doc.styles["small"]))
    return out


def _files(doc: DeskDocument, d: Dossier) -> list[Flowable]:
    rows = [
        (f["filename"], f.get("description") or "", f["held_on"], _size(f.get("size")))
        for f in d.files
    ]
    return data_table(doc.styles, ("File", "About", "Held on", "Size"), rows, [2.0, 2.3, 1.9, 0.7])


def _size(size: int | None) -> str:
    if not size:
        return ""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024)):,} KB"
    return f"{size / (1024 * 1024):,.1f} MB"


SECTIONS: tuple[tuple[str, Callable[[DeskDocument, Dossier], list[Flowable]]], ...] = (
    ("The story", _story),
    ("Agreements", _agreements),
    ("Who is who", _people),
    ("Visits", _visits),
    ("Outcomes", _outcomes),
    ("Gifts given, received and planned", _gifts),
    ("Open follow-ups and promises", _follow_ups),
    ("Networks", _networks),
    ("Recent contact", _contact),
    ("Files held", _files),
)
