"""An agreement's renewal memo: one page for the mayor or the council, before the day
the agreement must be renewed, renegotiated or let lapse.

It says, in this order: what is to be decided and by when, and what happens if nothing
is done; any policy flag on the agreement or its partnership, with the notice that it is
no legal advice; the dates that bind; the three courses side by side, each with what it
takes (which one to take is the office's to say: the memo quotes a recommendation only
where the agreement's notes make one); the activity since the signing, with what the
visits cost and brought and the last contact; and the commitments still open.

It is one page whatever the records hold: lists show the most recent rows and say how
many more desk holds, and a memo that would run over is laid out again with fewer rows
and shorter texts until it fits.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from desk.core.domain import dates
from desk.core.domain.vocab import (
    AGREEMENT_KINDS,
    AGREEMENT_STATUSES,
    INTERACTION_KINDS,
    PARTNERSHIP_KINDS,
    VISIT_DIRECTIONS,
    label,
)
from desk.core.domain.words import ago, counted, due_in, plural
from desk.core.features import policy
from desk.core.features.costs import Costs, in_brief, rounded
from desk.core.progress import Progress
from desk.core.reference.countries import country_name
from desk.core.store.db import Database
from desk.reports.renewal.data import Memo, Terms, gather
from desk.reports.writers.pdf import (
    ACCENT,
    MARKING_RED,
    RULE,
    SHADE,
    DeskDocument,
    data_table,
    footer_line,
    make_pdf,
    para,
)

# A memo on a decision not yet taken is the office's advice in the making.
MARKING = "INTERNAL - PREDECISIONAL"
NOT_RECORDED = "not recorded"


@dataclass(frozen=True)
class Fit:
    """How much the page holds: rows of each list, and the length of any one text."""

    visits: int
    interactions: int
    commitments: int
    text: int
    flags: int


# Tried in order until the memo is one page: fewer rows first, then shorter texts; the
# last holds the facts and a row of each list.
_ROWS = ((8, 6, 6), (6, 5, 5), (5, 4, 4), (4, 3, 3), (3, 3, 3), (3, 2, 2), (2, 2, 2), (1, 1, 1))
FITS = (
    *(Fit(v, i, c, 240, 4) for v, i, c in _ROWS),
    Fit(1, 1, 1, 160, 3),
    Fit(1, 1, 1, 110, 2),
    Fit(1, 1, 1, 70, 1),
    Fit(1, 1, 1, 50, 1),
)


def build_memo(
    db: Database,
    agreement: int | str,
    out: Path | None = None,
    *,
    today: dt.date | None = None,
    marking: str = MARKING,
    progress: Progress | None = None,
) -> bytes:
    """Write the memo to `out` (atomically) and return its bytes; `today` is the day it
    speaks as of (default: today)."""
    return make_pdf(
        out,
        "renewal memo",
        lambda: gather(db, agreement, today),
        lambda memo: lay_out(memo, marking),
        progress,
    )


def lay_out(memo: Memo, marking: str = MARKING) -> bytes:
    """The first fit that keeps the memo to one page."""
    pdf = b""
    for fit in FITS:
        pdf, pages = _pass(memo, marking, fit)
        if pages == 1:
            break
    return pdf


def _pass(memo: Memo, marking: str, fit: Fit) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    title = memo.agreement["title"]
    office = " · ".join(p for p in (memo.city.get("office_name"), memo.city.get("name")) if p)
    doc = DeskDocument(
        buffer,
        title=f"Renewal memo: {_cut(title, 200)}",
        header=f"Renewal memo: {_cut(title, 90)}",
        marking=marking,
        footer=footer_line(office),
    )
    s = _styles(doc)
    story: list[Flowable] = [
        *_head(doc, s, memo, fit),
        *_decision(doc, s, memo),
        # A rule of the state can take a course off the table: said before the courses.
        *_flags(doc, s, memo, fit),
        *_dates(doc, s, memo, fit),
        *_options(doc, s, memo, fit),
        *_activity(doc, s, memo, fit),
        *_commitments(doc, s, memo, fit),
    ]
    doc.render(story)
    return buffer.getvalue(), doc.page


def _styles(doc: DeskDocument) -> dict[str, ParagraphStyle]:
    base = doc.styles
    return {
        **base,
        "kicker": ParagraphStyle("kicker", parent=base["label"], fontSize=9, keepWithNext=0),
        "title": ParagraphStyle(
            "memo_title", parent=base["H1"], fontSize=14, leading=17.5, spaceBefore=1,
            spaceAfter=2,
        ),
        "lede": ParagraphStyle("lede", parent=base["body"], fontSize=10, leading=13),
        "H2": ParagraphStyle(
            "memo_H2", parent=base["H2"], fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=2,
            textColor=ACCENT,
        ),
        "body": ParagraphStyle("memo_body", parent=base["body"], fontSize=9, leading=11.5),
        "flag": ParagraphStyle(
            "memo_flag", parent=base["body"], fontSize=9, leading=11.5, textColor=MARKING_RED
        ),
    }  # fmt: skip


def _cut(text: object, limit: int) -> str:
    """The start of a text, cut at a space, for a page that cannot grow."""
    words = " ".join(str(text or "").split())
    if len(words) <= limit:
        return words
    cut = words.rfind(" ", 0, limit)
    return words[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + "…"


def _day(value: str | dt.date | None) -> str:
    """'April 10, 2027'; 'March 2024' or '2024' for a date known only to that."""
    return dates.readable(value.isoformat() if isinstance(value, dt.date) else value)


def _short(value: str | None) -> str:
    """'4/10/2027' for a table; as stored when it cannot be read."""
    if not value:
        return ""
    try:
        return dates.short_date(value)
    except ValueError:
        return value


# -- the head ------------------------------------------------------------------------------


def _head(doc: DeskDocument, s: dict[str, ParagraphStyle], memo: Memo, fit: Fit) -> list[Flowable]:
    a = memo.agreement
    office = memo.city.get("office_name") or "The office of international affairs"
    memo_line = " · ".join(
        (
            "To: the Mayor and City Council",
            f"From: {_cut(office, fit.text // 2)}",
            f"As of {dates.month_day_year(memo.today)}",
        )
    )
    return [
        para("Renewal memo: renew, renegotiate or let lapse", s["kicker"], bold=True),
        para(_cut(a["title"], fit.text), s["title"], bold=True),
        para(_about(memo, fit), s["body"]),
        para(memo_line, s["body"]),
        Spacer(1, 5),
    ]


def _about(memo: Memo, fit: Fit) -> str:
    """'Memorandum of understanding, in force · with Irkutsk (Иркутск), Russia: sister
    city, suspended since March 2, 2022'."""
    a, p = memo.agreement, memo.partnership
    what = label(AGREEMENT_KINDS, a.get("kind"))
    status = label(AGREEMENT_STATUSES, a.get("status")).lower()
    head = ", ".join(x for x in (what, status) if x)
    country = country_name(a.get("country") or (p or {}).get("country"))
    if p is not None:
        name = p["partner_name"]
        native = p.get("partner_name_native")
        if native and native != name:
            name += f" ({native})"
        with_ = ", ".join(x for x in (name, country) if x)
        standing = memo.standing.lines()[0] if memo.standing else ""
        kind = label(PARTNERSHIP_KINDS, p.get("kind")).lower()
        tie = ", ".join(x for x in (kind, standing[:1].lower() + standing[1:]) if x)
        partner = f"with {with_}" + (f": {tie}" if tie else "")
    elif a.get("parties"):
        partner = "with " + ", ".join(x for x in (a["parties"], country) if x)
    else:
        partner = "no partnership or parties recorded"
    return _cut(f"{head} · {partner}", fit.text + 60)


# -- the decision --------------------------------------------------------------------------


def decision_lines(memo: Memo) -> list[str]:
    """What is to be decided by when, and what happens if nothing is done: the first
    line is the one a reader must not miss."""
    t = memo.terms
    today = memo.today
    if t.stage == "open":
        lines = [
            "No expiry is recorded, so no renewal decision falls due by a date.",
            "If it has an expiry, record it (or its term) to date the decision.",
        ]
    elif t.stage == "past":
        assert t.expires is not None
        since = ago((today - t.expires).days)
        if t.auto_renew:
            lines = [
                f"It reached its expiry on {_day(t.expires)} ({since}), and renewed by itself "
                "then unless notice was given.",
                "Record whether it renewed, and its new expiry, to date the next decision.",
            ]
        else:
            lines = [f"It expired on {_day(t.expires)} ({since}).", _to_renew_now(memo)]
    else:
        assert t.expires is not None
        if t.stage == "ahead":
            assert t.deadline is not None
            first = f"Decide by {_day(t.deadline)} ({due_in((t.deadline - today).days)})."
        elif t.deadline is not None:
            passed = ago((today - t.deadline).days)
            first = f"The decision deadline, {_day(t.deadline)}, passed {passed}."
        else:
            first = "No decision deadline is recorded."
        lines = [first, _if_nothing(t)]
        if t.notice_by is not None:
            notice = f"Notice is due {counted(t.notice_days or 0, 'day')} before it expires, "
            if t.stage == "closing":
                notice += f"by {_day(t.notice_by)}: that day has passed."
            elif t.stage == "late":
                notice += f"by {_day(t.notice_by)} ({due_in((t.notice_by - today).days)})."
            else:
                notice += (
                    f"by {_day(t.notice_by)}; the deadline leaves "
                    f"{counted(t.buffer_days, 'day')} to prepare it."
                )
            lines.append(notice)
        else:
            lines.append("No notice period is recorded.")
    if memo.agreement.get("status") in ("expired", "terminated") and t.stage != "past":
        lines.append(
            f"It is recorded as {label(AGREEMENT_STATUSES, memo.agreement['status']).lower()}."
        )
    return lines


def _if_nothing(t: Terms) -> str:
    if t.auto_renew:
        months = t.next_term_months
        span = (
            f" for {counted(months, 'month')}, to {_day(t.renewed_to)}"
            if months and t.renewed_to
            else ""
        )
        return f"If nothing is done, it renews by itself on {_day(t.expires)}{span}."
    return f"It does not renew by itself: if nothing is done, it lapses on {_day(t.expires)}."


def _to_renew_now(memo: Memo) -> str:
    if memo.agreement.get("status") in ("signed", "in_force"):
        return "It is still recorded as in force: record what became of it."
    return "To go on, both sides would sign a new agreement."


def _decision(doc: DeskDocument, s: dict[str, ParagraphStyle], memo: Memo) -> list[Flowable]:
    first, *rest = decision_lines(memo)
    content = [para(first, s["lede"], bold=True), *(para(x, s["lede"]) for x in rest)]
    table = Table([[content]], colWidths=[doc.width], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("LINEBEFORE", (0, 0), (0, -1), 3, ACCENT),
                ("LEFTPADDING", (0, 0), (-1, -1), 9),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return [table]


# -- the dates that bind -------------------------------------------------------------------


def date_facts(memo: Memo) -> list[tuple[str, str]]:
    """The dates that bind, in the order they happen; what is not recorded says so."""
    t = memo.terms
    a = memo.agreement
    term = counted(t.term_months, "month") if t.term_months else NOT_RECORDED
    if t.auto_renew:
        renews = "Yes" + (
            f", for {counted(t.next_term_months, 'month')} at a time" if t.next_term_months else ""
        )
    else:
        renews = "No"
    notice = counted(t.notice_days, "day") if t.notice_days is not None else NOT_RECORDED
    if t.notice_by is not None:
        notice += f", by {_day(t.notice_by)}"
    deadline = _day(t.deadline) if t.deadline else NOT_RECORDED
    return [
        ("Signed", _day(a.get("signed_date")) or NOT_RECORDED),
        ("Took effect", _day(a.get("effective_date")) or NOT_RECORDED),
        ("Term", term),
        ("Auto-renewal", renews),
        ("Notice period", notice),
        ("Decision deadline", deadline),
        ("Expires", _day(t.expires) if t.expires else NOT_RECORDED),
        ("Approved", _approved(a) or NOT_RECORDED),
    ]


def _approved(a: dict[str, Any]) -> str:
    """'Port Meridian City Council, March 6, 2024, Resolution 2024-045'."""
    return ", ".join(
        x
        for x in (
            a.get("approving_body"),
            _day(a.get("approval_date")),
            a.get("approval_reference"),
        )
        if x
    )


def _dates(doc: DeskDocument, s: dict[str, ParagraphStyle], memo: Memo, fit: Fit) -> list[Flowable]:
    facts = [(k, _cut(v, fit.text)) for k, v in date_facts(memo)]
    # Two facts a row: label, value, label, value.
    rows = []
    for n in range(0, len(facts), 2):
        row: list[Flowable] = []
        for caption, value in facts[n : n + 2]:
            row += [para(caption, s["label"], bold=True), para(value, s["cell"])]
        rows.append(row)
    widths = [1.1 * inch, 2.25 * inch, 1.35 * inch, doc.width - 4.7 * inch]
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return [para("The dates that bind", s["H2"], bold=True), table]


# -- the options ---------------------------------------------------------------------------


OPTIONS = ("Renew", "Renegotiate", "Let it lapse")


def option_texts(memo: Memo) -> dict[str, list[str]]:
    """What each course takes, as the records date it; not which to take."""
    t = memo.terms
    e = _day(t.expires)
    running = t.stage in ("ahead", "late", "closing")
    body = memo.agreement.get("approving_body")
    renew: list[str]
    renegotiate: list[str]
    lapse: list[str]
    if t.stage == "open":
        renew = ["No expiry is recorded: nothing to renew."]
        renegotiate = ["New terms can be proposed to the partner at any time."]
        lapse = ["It ends as its text provides; no expiry is recorded."]
    elif t.stage == "past":
        renew = [f"Sign a renewal or a new agreement; its term ended {e}."]
        renegotiate = [f"Agree and sign new terms; its term ended {e}."]
        lapse = (
            [f"Give notice now, if none was given: it renewed by itself on {e}."]
            if t.auto_renew
            else [f"Nothing to do: it ended on {e}."]
        )
    else:
        span = ""
        if t.renewed_to and t.next_term_months:
            span = f" A {t.next_term_months}-month renewal runs to {_day(t.renewed_to)}."
        if t.auto_renew:
            renew = [f"Nothing to sign: it renews by itself on {e}.{span}"]
        else:
            renew = [f"Both sides sign a renewal before it expires on {e}.{span}"]
        if t.notice_by is not None and t.stage != "closing":
            renegotiate = [
                f"Tell the partner by {_day(t.notice_by)} that the terms should change; "
                f"sign new terms before {e}."
            ]
        else:
            renegotiate = [f"Agree and sign new terms with the partner before {e}."]
        renegotiate.append(
            "Without new terms by then, it " + ("renews unchanged." if t.auto_renew else "lapses.")
        )
        if not t.auto_renew:
            lapse = [f"Nothing to do: it ends on {e}."]
        elif t.notice_by is not None and t.stage != "closing":
            lapse = [
                f"Give written notice by {_day(t.notice_by)} "
                f"({counted(t.notice_days or 0, 'day')} before it expires); it then ends on {e}."
            ]
        elif t.notice_by is not None:
            lapse = [
                f"The notice date, {_day(t.notice_by)}, has passed: it renews on {e} "
                "unless the partner agrees to end it."
            ]
        else:
            lapse = [f"Give notice before it expires on {e}; no notice period is recorded."]
    if body and (running or t.stage == "past"):
        renegotiate.append(f"New terms go to {body}.")
    if memo.commitment_count:
        lapse.append(f"{counted(memo.commitment_count, 'open commitment')} to close or hand over.")
    status = (memo.partnership or {}).get("status")
    if status in ("suspended", "lapsed", "ended"):
        # A tie the council suspended (or that ended) is not renewed by a signature: the
        # standing comes first, and the memo says so where the choice is read.
        first = f"The partnership is {status}: renewing needs the council to restore it first."
        renew.insert(0, first)
        renegotiate.insert(0, first)
    return {"Renew": renew, "Renegotiate": renegotiate, "Let it lapse": lapse}


def default_option(memo: Memo) -> str | None:
    """The course the agreement takes if nobody acts, while it runs."""
    if memo.terms.stage not in ("ahead", "late", "closing"):
        return None
    return "Renew" if memo.terms.auto_renew else "Let it lapse"


def _options(
    doc: DeskDocument, s: dict[str, ParagraphStyle], memo: Memo, fit: Fit
) -> list[Flowable]:
    texts = option_texts(memo)
    default = default_option(memo)
    heads = [f"{o} (if nothing is done)" if o == default else o for o in OPTIONS]
    body = [" ".join(_cut(x, fit.text) for x in texts[o]) for o in OPTIONS]
    width = doc.width / 3 / inch
    out: list[Flowable] = [para("The options", s["H2"], bold=True)]
    out += data_table(s, heads, [body], [width] * 3)
    rec = memo.recommendation
    if rec:
        line = f"Recommendation in the agreement's notes: “{_cut(rec, fit.text + 100)}”"
    else:
        line = "Recommendation: none is recorded; the memo sets out the facts for the decision."
    out += [Spacer(1, 3), para(line, s["body"], bold=bool(rec))]
    return out


# -- policy --------------------------------------------------------------------------------


def _flags(doc: DeskDocument, s: dict[str, ParagraphStyle], memo: Memo, fit: Fit) -> list[Flowable]:
    if not memo.flags:
        return []
    out: list[Flowable] = [para("Policy", s["H2"], bold=True)]
    shown = memo.flags[: fit.flags]
    out += [para("⚑ " + _cut(f.text, fit.text + 60), s["flag"]) for f in shown]
    if len(memo.flags) > len(shown):
        out.append(para(f"…and {len(memo.flags) - len(shown):,} more in desk.", s["small"]))
    out.append(para(policy.NOTICE, s["small"], bold=True))
    return out


# -- activity ------------------------------------------------------------------------------


def activity_heading(memo: Memo) -> str:
    if memo.since is None:
        return "Activity recorded (no signing date recorded)"
    return f"Activity since it {memo.since_what} {dates.on_date(memo.since)}"


def activity_lines(memo: Memo) -> list[str]:
    """The activity in a few sentences: visits, interactions, last contact, costs,
    outcomes."""
    if memo.partnership is None:
        lines = ["No partnership is recorded, so no visits or interactions are counted."]
    else:
        visits = (
            f"{_none_or(memo.incoming, 'delegation')} welcomed here and "
            f"{_none_or(memo.outgoing, 'mission')} sent"
            if memo.visits
            else "no visits either way"
        )
        lines = [
            f"{visits}; {counted(memo.interaction_count, 'interaction')} recorded. "
            f"Last contact: {last_contact(memo)}."
        ]
        lines[0] = lines[0][:1].upper() + lines[0][1:]
    spent = memo.spent
    if not spent.empty:
        lines.append(f"What the visits cost, in U.S. dollars: {in_brief(spent)}.")
    elif memo.visits:
        lines.append("No costs are recorded for these visits.")
    totals = memo.totals
    if totals:
        parts = [
            f"{t.label.lower()} {t.text(rounded=True)}"
            + (" (some estimated)" if t.estimated else "")
            for t in totals
        ]
        lines.append("Outcomes: " + "; ".join(parts) + ".")
    else:
        lines.append("No outcomes are recorded.")
    return lines


def _none_or(number: int, noun: str) -> str:
    """'no missions', '1 mission', '2 missions'."""
    return counted(number, noun) if number else f"no {plural(noun)}"


def last_contact(memo: Memo) -> str:
    """'November 18, 2026, meeting: Anniversary planning, 3 weeks ago'."""
    c = memo.last_contact
    if not c:
        return "none recorded"
    how = str(c.get("how") or "")
    if how.startswith("visit:"):
        kind = label(VISIT_DIRECTIONS, how.removeprefix("visit:")).lower() or "visit"
    else:
        kind = label(INTERACTION_KINDS, how).lower()
    text = f"{_day(c['day'])}, {kind}: {c['what']}"
    day = dates.stored_date(c["day"])
    if day is not None:
        text += f", {ago((memo.today - day).days)}"
    return text


def _activity(
    doc: DeskDocument, s: dict[str, ParagraphStyle], memo: Memo, fit: Fit
) -> list[Flowable]:
    out: list[Flowable] = [para(activity_heading(memo), s["H2"], bold=True)]
    out += [para(_cut(line, fit.text + 120), s["body"]) for line in activity_lines(memo)]
    if memo.visits:
        shown = memo.visits[: fit.visits]
        rows = [
            (
                _short(v.get("start_date")),
                label(VISIT_DIRECTIONS, v.get("direction")).split(" ")[0],
                _cut(v["title"], fit.text // 2),
                _cost(memo.costs.get(v["id"])),
            )
            for v in shown
        ]
        out += [Spacer(1, 3)]
        out += data_table(s, ("Date", "Way", "Visit", "Cost (USD)"), rows, [0.85, 0.85, 4.0, 1.2])
        out += _more(s, len(memo.visits) - len(shown), "visit", memo)
    if memo.interactions:
        shown_i = memo.interactions[: fit.interactions]
        lines = [
            (
                _short(i.get("occurred_on")),
                label(INTERACTION_KINDS, i.get("kind")),
                _cut(i.get("subject"), fit.text // 2),
            )
            for i in shown_i
        ]
        out += [Spacer(1, 3)]
        out += data_table(s, ("Date", "Kind", "Interaction"), lines, [0.85, 1.1, 4.95])
        out += _more(s, memo.interaction_count - len(shown_i), "interaction", memo)
    return out


def _cost(costs: Costs | None) -> str:
    if costs is None or costs.empty:
        return "none recorded"
    total = costs.total_cents
    if total is None:
        return "no rate recorded"
    # A cost with no rate is in no total in dollars: said in its own currency beside it.
    return " + ".join([rounded(total), *(a.text() for a in costs.apart)])


def _more(s: dict[str, ParagraphStyle], more: int, noun: str, memo: Memo) -> list[Flowable]:
    if more <= 0:
        return []
    since = f" since {_day(memo.since)}" if memo.since else ""
    return [para(f"…and {more:,} more {noun}s{since}, in desk.", s["small"])]


# -- commitments ---------------------------------------------------------------------------


def _commitments(
    doc: DeskDocument, s: dict[str, ParagraphStyle], memo: Memo, fit: Fit
) -> list[Flowable]:
    heading = "Open commitments"
    if memo.overdue_count:
        heading += f" ({memo.overdue_count:,} overdue)"
    out: list[Flowable] = [para(heading, s["H2"], bold=True)]
    if not memo.commitment_count:
        return [
            *out,
            para("None: no follow-up of the agreement or its partnership is open.", s["body"]),
        ]
    now = memo.today.isoformat()
    rows = []
    for f in memo.commitments[: fit.commitments]:
        due = _short(f.get("due_date")) or "no date"
        if f.get("due_date") and f["due_date"] < now:
            due += " (overdue)"
        if f.get("agreement_id") == memo.agreement["id"]:
            on = "This agreement"
        elif f.get("visit"):
            on = f"Visit: {f['visit']}"
        elif f.get("agreement"):
            on = f"Agreement: {f['agreement']}"
        else:
            on = "The partnership"
        rows.append((due, _cut(f["title"], fit.text // 2), _cut(on, fit.text // 3)))
    out += data_table(s, ("Due", "Commitment", "On"), rows, [1.25, 3.65, 2.0])
    more = memo.commitment_count - len(rows)
    if more > 0:
        out.append(para(f"…and {more:,} more open, in desk.", s["small"]))
    return out
