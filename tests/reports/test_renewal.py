"""The renewal memo: one page for the mayor or the council before an agreement's decision
falls due, read back from the PDF and checked against the database."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from desk.cli.groups import renewal as renewal_group
from desk.cli.main import main
from desk.core.domain import dates
from desk.core.domain.words import due_in
from desk.core.features import policy
from desk.core.store import records
from desk.core.store.db import Database
from desk.reports.renewal import document as renewal_document
from desk.reports.renewal.data import gather
from desk.reports.renewal.document import build_memo, decision_lines, default_option, option_texts
from tests.reports.conftest import folded, pdftotext, qpdf_check

TODAY = dt.date(2026, 12, 6)


def _pages(path: Path) -> int:
    return len(PdfReader(str(path)).pages)


def _memo(db: Database, agreement: int, path: Path, **kw: Any) -> str:
    """The memo made, checked to be one sound page, and its text."""
    build_memo(db, agreement, path, today=kw.pop("today", TODAY), **kw)
    assert path.read_bytes().startswith(b"%PDF-")
    assert _pages(path) == 1
    return folded(pdftotext(path))


def _row(db: Database, sql: str, *params: Any) -> Any:
    return db.execute(sql, params).fetchone()


@pytest.fixture
def lisbon(db: Database) -> int:
    """An MOU with Lisbon with a little of everything, and records beside it that must
    not reach its memo: Porto's, a visit before the signing, one called off, one to come,
    a follow-up done and one of a visit."""
    records.create(
        db,
        "city",
        {
            "name": "Port Meridian",
            "office_name": "Office of International Affairs",
            "time_zone": "America/Los_Angeles",
        },
    )
    lisbon = records.create(
        db,
        "partnership",
        {"partner_name": "Lisbon", "kind": "sister_city", "country": "PT", "status": "active"},
    ).id
    porto = records.create(
        db, "partnership", {"partner_name": "Porto", "kind": "sister_city", "country": "PT"}
    ).id
    agreement = records.create(
        db,
        "agreement",
        {
            "title": "MOU on port logistics",
            "kind": "mou",
            "status": "in_force",
            "partnership_id": lisbon,
            "signed_date": "2024-03-14",
            "effective_date": "2024-06-01",
            "term_months": 36,
            "notice_days": 90,
            "approving_body": "City Council",
            "approval_date": "2024-02-20",
            "approval_reference": "Resolution 2024-17",
            "notes": "Signed at the port authority.",
        },
    ).id
    assert agreement is not None

    def visit(title: str, direction: str, start: str, status: str = "completed") -> int:
        made = records.create(
            db,
            "visit",
            {
                "title": title,
                "direction": direction,
                "status": status,
                "partnership_id": lisbon,
                "start_date": start,
                "end_date": start,
            },
        ).id
        assert made is not None
        return made

    before = visit("Scoping trip before signing", "outgoing", "2023-11-02")
    came = visit("Port delegation from Lisbon", "incoming", "2024-09-10")
    went = visit("Mission to Lisbon", "outgoing", "2025-05-20")
    came_again = visit("Harbor pilots' visit", "incoming", "2026-06-03")
    visit("Called-off mission", "outgoing", "2025-10-01", "cancelled")
    visit("Mission planned for spring", "outgoing", "2027-04-12", "planned")
    records.create(
        db,
        "visit",
        {"title": "Porto trade visit", "direction": "incoming", "status": "completed",
         "partnership_id": porto, "start_date": "2025-02-02"},
    )  # fmt: skip
    for visit_id, minor, currency, rate in (
        (came, 1_250_000, "USD", None),
        (went, 800_000, "EUR", "1.08"),
        (went, 310_000, "USD", None),
        (before, 999_900, "USD", None),
    ):
        records.create(
            db,
            "cost",
            {"visit_id": visit_id, "category": "airfare", "amount_minor": minor,
             "currency": currency, "usd_rate": rate, "rate_on": "2025-05-01" if rate else None,
             "status": "actual", "paid_by": "city"},
        )  # fmt: skip
    for day, kind, subject, pid in (
        ("2023-12-01", "email", "Draft text exchanged", lisbon),
        ("2025-01-15", "call", "Berth schedule call", lisbon),
        ("2026-10-30", "meeting", "Consul's courtesy meeting", lisbon),
        ("2026-11-02", "email", "Porto's fair invitation", porto),
    ):
        records.create(
            db,
            "interaction",
            {"occurred_on": day, "kind": kind, "subject": subject, "partnership_id": pid},
        )
    for values in (
        {"measure": "jobs", "amount": 40, "year": 2025, "agreement_id": agreement},
        {"measure": "jobs", "amount": 25, "year": 2026, "partnership_id": lisbon,
         "estimate": True},
        {"measure": "jobs", "amount": 500, "year": 2019, "partnership_id": lisbon},
        {"measure": "students", "amount": 12, "year": 2024, "visit_id": came},
        {"measure": "students", "amount": 77, "year": 2023, "visit_id": before},
        {"measure": "jobs", "amount": 9000, "year": 2025, "partnership_id": porto},
    ):  # fmt: skip
        records.create(db, "outcome", values)
    for values in (
        {"title": "Send the revised annex", "due_date": "2026-11-20", "agreement_id": agreement},
        {"title": "Propose a youth exchange", "due_date": "2027-01-15",
         "partnership_id": lisbon},
        {"title": "Thank the harbor pilots", "visit_id": came_again},
        {"title": "File the executed copy", "agreement_id": agreement, "done_on": "2024-04-02"},
        {"title": "Answer Porto's invitation", "partnership_id": porto},
    ):  # fmt: skip
        records.create(db, "follow_up", values)
    return agreement


def test_the_memo_says_the_facts_of_its_agreement_and_only_those(
    db: Database, lisbon: int, tmp_path: Path
) -> None:
    out = tmp_path / "memo.pdf"
    text = _memo(db, lisbon, out)
    a = records.get(db, "agreement", lisbon)
    expires = dt.date.fromisoformat(a["expiry_date"])
    deadline = dt.date.fromisoformat(a["decision_deadline"])
    notice_by = expires - dt.timedelta(days=a["notice_days"])
    # The expiry is worked out from the term; the deadline less notice and preparation.
    assert expires == dt.date(2027, 6, 1)
    assert deadline == notice_by - dt.timedelta(days=a["buffer_days"])
    for expected in (
        "Renewal memo",
        a["title"],
        "To: the Mayor and City Council",
        "From: Office of International Affairs",
        f"As of {dates.month_day_year(TODAY)}",
        "with Lisbon, Portugal",
        # The decision, and what happens if nothing is done.
        f"Decide by {dates.month_day_year(deadline)} ({due_in((deadline - TODAY).days)}).",
        f"if nothing is done, it lapses on {dates.month_day_year(expires)}",
        f"by {dates.month_day_year(notice_by)}",
        # The dates that bind.
        f"Signed {dates.month_day_year(a['signed_date'])}",
        f"Took effect {dates.month_day_year(a['effective_date'])}",
        f"Term {a['term_months']} months",
        "Auto-renewal No",
        f"Notice period {a['notice_days']} days",
        f"Expires {dates.month_day_year(expires)}",
        "City Council, February 20, 2024, Resolution 2024-17",
        # The three courses, the default marked, no recommendation made up.
        "Renew",
        "Renegotiate",
        "Let it lapse (if nothing is done)",
        "Recommendation: none is recorded",
    ):
        assert folded(expected) in text, expected

    # Visits both ways since the signing that took place, newest first, with their dates.
    since = a["signed_date"]
    held = db.execute(
        "SELECT title, direction, start_date FROM visits WHERE partnership_id = ? "
        "AND start_date >= ? AND start_date <= ? "
        "AND status NOT IN ('cancelled', 'declined', 'requested') ORDER BY start_date DESC",
        (a["partnership_id"], since, TODAY.isoformat()),
    ).fetchall()
    assert len(held) == 3
    positions = []
    for title, _direction, start in held:
        assert title in text
        positions.append(text.index(dates.short_date(start)))
    assert positions == sorted(positions)
    incoming = sum(1 for v in held if v[1] == "incoming")
    outgoing = len(held) - incoming
    assert f"{incoming} delegations welcomed here and {outgoing} mission sent" in text
    for absent in ("Scoping trip before signing", "Called-off mission", "Mission planned",
                   "Porto"):  # fmt: skip
        assert absent not in text, absent

    # Interactions since the signing; the last contact, as of the memo's day.
    (count,) = _row(
        db,
        "SELECT count(*) FROM interactions WHERE partnership_id = ? AND occurred_on >= ? "
        "AND occurred_on <= ?",
        a["partnership_id"],
        since,
        TODAY.isoformat(),
    )
    assert f"{count} interactions recorded" in text
    day, subject = _row(
        db,
        "SELECT occurred_on, subject FROM interactions WHERE partnership_id = ? "
        "ORDER BY occurred_on DESC LIMIT 1",
        a["partnership_id"],
    )
    assert f"Last contact: {dates.month_day_year(day)}, meeting: {subject}" in text
    assert "Draft text exchanged" not in text  # before the signing

    # What the visits counted cost, in U.S. dollars at the rates recorded.
    exact = Decimal(0)
    for minor, rate in db.execute(
        "SELECT amount_minor, usd_rate FROM costs WHERE visit_id IN "
        "(SELECT id FROM visits WHERE partnership_id = ? AND start_date >= ? "
        "AND status = 'completed')",
        (a["partnership_id"], since),
    ):
        exact += Decimal(minor) / 100 * (Decimal(rate) if rate else Decimal(1))
    cents = int((exact * 100).to_integral_value(ROUND_HALF_UP))
    assert f"What the visits cost, in U.S. dollars: ${round(cents / 100):,}" in text
    # Outcomes: the agreement's, its visits' and the partnership's own since the signing.
    (came,) = _row(db, "SELECT id FROM visits WHERE title = 'Port delegation from Lisbon'")
    jobs, students = (
        _row(
            db,
            "SELECT sum(amount) FROM outcomes WHERE measure = ? AND (agreement_id = ? "
            "OR (partnership_id = ? AND year >= 2024) OR visit_id = ?)",
            measure,
            lisbon,
            a["partnership_id"],
            came,
        )[0]
        for measure in ("jobs", "students")
    )
    assert (jobs, students) == (65, 12)
    assert f"jobs announced {jobs} (some estimated)" in text
    assert f"students exchanged {students}" in text

    # Open commitments of the agreement and its partnership, most pressing first.
    assert "Open commitments (1 overdue)" in text
    assert text.index("Send the revised annex") < text.index("Propose a youth exchange")
    assert "11/20/2026 (overdue)" in text
    for absent in ("File the executed copy", "Answer Porto's invitation",
                   "Thank the harbor pilots"):  # fmt: skip
        assert absent not in text, absent
    assert "2 open commitments to close or hand over" in text
    # No policy flag in a state without rules: no notice either.
    assert policy.NOTICE not in text
    qpdf_check(out)


def test_three_hundred_visits_and_five_hundred_interactions_still_make_one_page(
    db: Database, lisbon: int, tmp_path: Path
) -> None:
    pid = records.get(db, "agreement", lisbon)["partnership_id"]
    first = dt.date(2024, 4, 1)
    records.create_many(
        db,
        "visit",
        [
            {
                "title": f"Working visit {n:03d} on the container terminal and its rail link",
                "direction": "incoming" if n % 2 else "outgoing",
                "status": "completed",
                "partnership_id": pid,
                "start_date": (first + dt.timedelta(days=2 * n)).isoformat(),
            }
            for n in range(300)
        ],
    )
    records.create_many(
        db,
        "interaction",
        [
            {
                "occurred_on": (first + dt.timedelta(days=n)).isoformat(),
                "kind": "email",
                "subject": f"Note {n:03d} on the berth schedule and the pilots' rota",
                "partnership_id": pid,
            }
            for n in range(500)
        ],
    )
    records.create_many(
        db,
        "follow_up",
        [{"title": f"Promise {n:02d} to the port", "partnership_id": pid} for n in range(40)],
    )
    out = tmp_path / "busy.pdf"
    text = _memo(db, lisbon, out)
    memo = gather(db, lisbon, TODAY)
    for noun, total, rows in (
        ("visits", len(memo.visits), [v["title"] for v in memo.visits]),
        ("interactions", memo.interaction_count, [i["subject"] for i in memo.interactions]),
    ):
        found = re.search(rf"and ([\d,]+) more {noun} since", text)
        assert found, noun
        shown = total - int(found[1].replace(",", ""))
        assert 1 <= shown <= 8
        # The most recent are the ones shown, and the next one is not.
        assert all(r in text for r in rows[:shown]), noun
        assert rows[shown] not in text, noun
    assert len(memo.visits) == 303 and memo.interaction_count == 502
    assert (
        "303 delegations" not in text and "152 delegations welcomed here and 151 missions" in text
    )
    assert re.search(r"and 40 more open, in desk", text)
    qpdf_check(out)


def test_a_bare_agreement_says_what_is_not_recorded(db: Database, tmp_path: Path) -> None:
    bare = records.create(db, "agreement", {"title": "Letter of friendship"}).id
    assert bare is not None
    text = _memo(db, bare, tmp_path / "bare.pdf")
    for expected in (
        "Letter of friendship",
        "no partnership or parties recorded",
        "No expiry is recorded, so no renewal decision falls due by a date.",
        "Signed not recorded",
        "Expires not recorded",
        "Decision deadline not recorded",
        "Activity recorded (no signing date recorded)",
        "No partnership is recorded, so no visits or interactions are counted.",
        "No outcomes are recorded.",
        "None: no follow-up of the agreement or its partnership is open.",
        "Recommendation: none is recorded",
    ):
        assert folded(expected) in text, expected
    assert "if nothing is done" not in text


def _agreement(db: Database, **values: Any) -> int:
    made = records.create(db, "agreement", {"title": "MOU", "status": "in_force", **values}).id
    assert made is not None
    return made


def test_each_stage_of_the_decision_is_said_as_of_the_memo_day(db: Database) -> None:
    renews = _agreement(
        db,
        expiry_date="2027-07-30",
        auto_renew=True,
        renewal_term_months=12,
        notice_days=90,
        signed_date="2024-07",  # known to its month
    )
    memo = gather(db, renews, TODAY)
    lines = decision_lines(memo)
    assert lines[0] == "Decide by April 1, 2027 (in 4 months)."
    assert lines[1] == (
        "If nothing is done, it renews by itself on July 30, 2027 for 12 months, to July 30, 2028."
    )
    assert option_texts(memo)["Let it lapse"][0].startswith("Give written notice by May 1, 2027")
    assert default_option(memo) == "Renew"
    assert memo.since == "2024-07"
    # The deadline passed; notice can still be given.
    late = gather(db, renews, dt.date(2027, 4, 20))
    assert decision_lines(late)[0] == "The decision deadline, April 1, 2027, passed 3 weeks ago."
    assert "by May 1, 2027 (in 11 days)" in decision_lines(late)[2]
    # Even the notice date passed.
    closing = gather(db, renews, dt.date(2027, 6, 1))
    assert decision_lines(closing)[2].endswith("that day has passed.")
    assert "unless the partner agrees to end it" in option_texts(closing)["Let it lapse"][0]
    # Past its expiry: renewed by itself unless notice was given; nothing to decide by it.
    past = gather(db, renews, dt.date(2027, 9, 1))
    assert decision_lines(past)[0].startswith("It reached its expiry on July 30, 2027")
    assert default_option(past) is None  # nothing runs by itself past the expiry
    lapsed = _agreement(db, expiry_date="2026-01-31", notice_days=30)
    assert decision_lines(gather(db, lapsed, TODAY))[:2] == [
        "It expired on January 31, 2026 (10 months ago).",
        "It is still recorded as in force: record what became of it.",
    ]


def test_a_recommendation_is_quoted_only_from_the_agreements_notes(
    db: Database, tmp_path: Path
) -> None:
    said = _agreement(
        db,
        expiry_date="2027-06-30",
        notes="Met the consul in May.\nThe office recommends renewing for three years. "
        "Budget is tight.",
    )
    text = _memo(db, said, tmp_path / "said.pdf")
    assert (
        "Recommendation in the agreement's notes: “The office recommends renewing for three "
        "years.”" in text
    )
    assert "none is recorded" not in text and "Budget is tight" not in text


def test_policy_flags_of_the_agreement_and_its_partnership_with_one_notice(
    demo_db: Database, tmp_path: Path
) -> None:
    demo_db.execute("UPDATE city_profile SET state = 'Texas'")
    (irkutsk,) = _row(
        demo_db, "SELECT id FROM agreements WHERE title = ?",
        "MOU on culture and education cooperation with Irkutsk",
    )  # fmt: skip
    pid = records.get(demo_db, "agreement", irkutsk)["partnership_id"]
    flags = policy.flags_for(demo_db, "agreement", irkutsk, today=TODAY)
    flags += policy.flags_for(demo_db, "partnership", pid, today=TODAY)
    assert flags
    out = tmp_path / "irkutsk.pdf"
    text = _memo(demo_db, irkutsk, out)
    for flag in flags:
        assert folded(flag.text) in text
    assert text.count(policy.NOTICE) == 1
    qpdf_check(out)


def test_the_demo_memos_are_one_page_each(demo_db: Database, tmp_path: Path) -> None:
    demo_db.execute("UPDATE city_profile SET state = 'Florida'")
    for (aid,) in demo_db.execute("SELECT id FROM agreements").fetchall():
        out = tmp_path / f"memo-{aid}.pdf"
        text = _memo(demo_db, aid, out)
        assert folded(records.get(demo_db, "agreement", aid)["title"]) in text


ODD = (
    "x<y & <b>bold</b> <img src='/etc/passwd'/> =1+2",
    "اتفاقية التعاون مع الإسكندرية",
    "渡辺恵子 와 김민준",
    "bell\x07 and\nnew line",
)


def test_odd_and_huge_text_is_escaped_and_kept_to_one_page(db: Database, tmp_path: Path) -> None:
    pid = records.create(
        db, "partnership", {"partner_name": ODD[1], "kind": "sister_city", "country": "EG"}
    ).id
    aid = _agreement(
        db,
        title=ODD[0] + " \x07",
        partnership_id=pid,
        expiry_date="2027-06-30",
        approving_body="Council " * 240,
        notes="We recommend " + "renewal " * 800,
    )
    for n in range(30):
        records.create(
            db,
            "visit",
            {"title": ODD[n % 4] + " " + "long " * 300, "direction": "incoming",
             "status": "completed", "partnership_id": pid, "start_date": "2026-01-01"},
        )  # fmt: skip
        records.create(db, "follow_up", {"title": ODD[(n + 1) % 4] * 40, "agreement_id": aid})
    out = tmp_path / "odd.pdf"
    text = _memo(db, aid, out)
    assert folded("x<y & <b>bold</b>") in text
    assert "الإسكندرية" in text
    assert "␇" in text  # a control character shown, not acted on
    qpdf_check(out)


def test_desk_renewal_writes_the_memo(db_path: Path, db: Database, lisbon: int,
                                      tmp_path: Path) -> None:  # fmt: skip
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    out = tmp_path / "cli.pdf"
    code = main(
        ["--db", str(db_path), "renewal", str(lisbon), "--out", str(out), "--date", "12/6/2026",
         "--marking", "FOR COUNCIL"]
    )  # fmt: skip
    assert code == 0 and _pages(out) == 1
    text = folded(pdftotext(out))
    assert "FOR COUNCIL" in text and "As of December 6, 2026" in text
    by_name = tmp_path / "by-name.pdf"
    assert main(["--db", str(db_path), "renewal", "MOU on port logistics", "--out",
                 str(by_name)]) == 0  # fmt: skip
    assert _pages(by_name) == 1
    # The command's default marking is the document's own, said once in each.
    assert renewal_group.MARKING == renewal_document.MARKING
    assert renewal_document.MARKING in folded(pdftotext(by_name))


def test_a_suspended_partnership_is_said_before_renewing_it(db: Database) -> None:
    from desk.reports.renewal.document import option_texts

    irkutsk = records.create(
        db,
        "partnership",
        {"partner_name": "Irkutsk", "country": "RU", "kind": "sister_city", "status": "active"},
    ).id
    records.change_status(db, irkutsk, "suspended", "2022-03-02", "Council resolution 22-7")
    agreement = records.create(
        db,
        "agreement",
        {
            "title": "Memorandum on youth exchange",
            "partnership_id": irkutsk,
            "status": "in_force",
            "signed_date": "2024-04-10",
            "expiry_date": "2027-04-10",
        },
    ).id
    memo = gather(db, agreement, today=dt.date(2026, 12, 6))
    options = option_texts(memo)
    assert options["Renew"][0].startswith("The partnership is suspended")
