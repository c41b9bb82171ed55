"""Today, the cards, the timeline and every page on records with most fields empty, and on
records with every text as long as allowed, in several scripts, with odd characters:
nothing stops, and what is shown holds the record's own text."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest

from desk import cli
from desk.core.domain.types.cleaning import MAX_LINE
from desk.core.features import agenda, story
from desk.core.store import queries, records
from desk.core.store.db import Database

TODAY = dt.date.today()
SCRIPTS = ["Matsue 松江市", "الإسكندرية", "Львів", "Đà Nẵng", "a\u202eb\x1bc", "x"]


def _line(rng: random.Random, huge: bool) -> str:
    base = rng.choice(SCRIPTS)
    return (base * (MAX_LINE // len(base)))[:MAX_LINE] if huge else base


def _day(rng: random.Random) -> str:
    return (TODAY + dt.timedelta(days=rng.randint(-400, 400))).isoformat()


def _city(db: Database, seed: int, huge: bool) -> dict[str, int]:
    rng = random.Random(seed)
    maybe = (lambda value: value) if huge else (lambda value: value if rng.random() < 0.2 else None)
    pid = records.create(
        db,
        "partnership",
        {
            "partner_name": _line(rng, huge),
            "kind": "sister_city",
            "established_date": maybe(rng.choice([_day(rng), _day(rng)[:4], _day(rng)[:7]])),
        },
    ).id
    cid = records.create(
        db,
        "contact",
        {
            "family_name": _line(rng, huge),
            "job_title": maybe(_line(rng, huge)),
            "dietary": maybe("x"),
        },
    ).id
    vid = records.create(
        db,
        "visit",
        {
            "title": _line(rng, huge),
            "direction": rng.choice(["incoming", "outgoing"]),
            "partnership_id": maybe(pid),
            "start_date": maybe(_day(rng)),
            # 200,000 characters in paragraphs. (A single paragraph that long takes Qt's
            # text box seconds to lay out in mixed scripts: a known limit, not tested here.)
            "notes": maybe("\n".join([_line(rng, huge)] * 100)),
        },
    ).id
    aid = records.create(
        db,
        "agreement",
        {
            "title": _line(rng, huge),
            "status": "in_force",
            "partnership_id": maybe(pid),
            "expiry_date": maybe(_day(rng)),
        },
    ).id
    for link in ({"visit_id": vid}, {"partnership_id": pid}, {"agreement_id": aid}, {}):
        records.create(
            db,
            "follow_up",
            {
                "title": _line(rng, huge),
                "due_date": maybe(_day(rng)),
                "contact_id": maybe(cid),
                **link,
            },
        )
    records.create(
        db,
        "interaction",
        {"occurred_on": _day(rng), "subject": _line(rng, huge), "partnership_id": maybe(pid)},
    )
    records.create(
        db, "gift", {"visit_id": vid, "direction": "given", "description": _line(rng, huge)}
    )
    return {"partnership": pid, "contact": cid, "visit": vid, "agreement": aid}


@pytest.mark.parametrize("huge", [False, True], ids=["sparse", "huge"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_today_cards_timeline_and_pages_hold_up(
    make_window: Any,
    db: Database,
    db_path: Path,
    qtbot: Any,
    capsys: pytest.CaptureFixture[str],
    seed: int,
    huge: bool,
) -> None:
    ids = _city(db, seed, huge)
    found = agenda.build(db)
    assert sum(found.counts.values()) >= 1
    for items in found.sections.values():
        for item in items:
            assert item.title and item.when
    standing = story.standing(db, ids["partnership"])
    assert len(standing.lines()) == 4
    events = story.story(db, ids["partnership"])
    assert all(event.what for event in events)
    # The contact's card, line by line, from what the record holds: its job title (no
    # organization or country is given), its diet (no languages), and the follow-ups
    # still open on it; no meeting or visit lists the contact, so neither has a line.
    job, dietary = db.execute(
        "SELECT job_title, dietary FROM contacts WHERE id = ?", (ids["contact"],)
    ).fetchone()
    (open_count,) = db.execute(
        "SELECT count(*) FROM follow_ups WHERE contact_id = ? AND done_on IS NULL",
        (ids["contact"],),
    ).fetchone()
    card = [job] if job else []
    card += ["Diet: x"] if dietary else []
    card += [f"{open_count} open follow-up{'s' if open_count > 1 else ''}"] if open_count else []
    assert story.contact_lines(db, ids["contact"]) == card
    assert story.visit_lines(db, ids["visit"])[0]
    hits = [h for h in queries.list_records(db, queries.ListQuery("agreement"))]
    assert hits

    window = make_window(db, db_path)
    for kind, record_id in ids.items():
        window.open_record(kind, record_id)
        page = window.page(kind)
        assert page.current_id == record_id
        assert records.title_of(db, kind, record_id)[:40] in page.heading.text()
    window.show_page("today")
    assert window.page("today").tree.topLevelItemCount() == 4
    window.close()

    db.close()
    assert cli.main(["--db", str(db_path), "today"]) == 0
    assert cli.main(["--db", str(db_path), "timeline", str(ids["partnership"])]) == 0
    out = capsys.readouterr().out
    assert "Traceback" not in out


@pytest.mark.parametrize("kind", ["visit", "agreement", "partnership"])
def test_a_form_with_every_choice_made_fits_a_narrow_pane(
    qtbot: Any, db: Database, kind: str
) -> None:
    """Every goal and area chosen once widened the visit form past its pane, hiding the
    Choose… buttons and the end of every error behind a scroll bar."""
    from desk.core.domain.kinds import KINDS
    from desk.core.errors import ValidationError
    from desk.ui.widgets.form import RecordForm

    form = RecordForm(db, kind)
    qtbot.addWidget(form)
    for name in ("sdgs", "priority_areas"):
        if name in form.editors:
            form.editors[name].set_value(list(KINDS[kind].field_map[name].vocab or {}))
    assert form.minimumSizeHint().width() < 420
    # Beside the field, its label says which it is; the code name is for the command line.
    form.show_error(ValidationError("'Notes' (notes) is too long.", field="notes"))
    assert form.error_text("notes") == "'Notes' is too long."
