"""Playbooks: the shipped checklists, the office's own files over them, applying one to a
visit (once, with real due dates, undone in one step), moving its steps with the visit's
dates (asking about those done or changed by hand), letters ticking their step, and the
`desk playbook` commands."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from desk.cli.main import main
from desk.core.errors import DeskError, NotFound, ValidationError
from desk.core.features import agenda, playbooks
from desk.core.store import records, undo
from desk.core.store.db import Database
from desk.core.store.operations import operation

TODAY = dt.date.today()


def _day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def _visit(db: Database, start: int | None = 40, days: int = 4, **values: Any) -> int:
    fields: dict[str, Any] = {"title": "Delegation from Matsue", "direction": "incoming"}
    if start is not None:
        fields.update(start_date=_day(start), end_date=_day(start + days - 1))
    fields.update(values)
    made = records.create(db, "visit", fields).id
    assert made is not None
    return made


def _steps(db: Database, visit_id: int) -> dict[str, dict[str, Any]]:
    cursor = db.execute(
        "SELECT * FROM follow_ups WHERE visit_id = ? AND playbook_step IS NOT NULL",
        (visit_id,),
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return {row["playbook_step"]: row for row in rows}


def _office_file(name: str, content: str | dict[str, Any]) -> Path:
    folder = playbooks.office_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    text = content if isinstance(content, str) else json.dumps(content, indent=2)
    path.write_text(text, "utf-8")
    return path


# -- the shipped playbooks -----------------------------------------------------------------


def test_desk_ships_a_playbook_per_kind_of_visit_each_step_with_who_does_it() -> None:
    library = playbooks.load()
    assert library.names() == ["incoming-delegation", "outgoing-mission", "virtual-meeting"]
    assert library.problems == ()
    for playbook in library.playbooks:
        assert 12 <= len(playbook.steps) <= 20, playbook.name
        assert all(step.who for step in playbook.steps), playbook.name
        assert len({s.key for s in playbook.steps}) == len(playbook.steps)
        assert any("Department of State" in source for source in playbook.sources)
        assert not playbook.office
    incoming = library.get("incoming-delegation")
    # The issue's own examples, as the shipped file has them.
    expected = {"invitation": -60, "visa": -30, "packet": -7}
    assert {k: incoming.step(k).offset for k in expected} == expected  # type: ignore[union-attr]
    thanks = incoming.step("thank-you")
    assert thanks is not None and (thanks.anchor, thanks.offset) == ("end", 3)
    assert thanks.when() == "3 days after it ends"
    words = " ".join(s.title.lower() for s in incoming.steps)
    for duty in ("greeters", "gift", "airport", "escort", "thank-you"):
        assert duty in words, duty


def test_the_steps_letters_tick_are_named_as_the_letters() -> None:
    from desk.reports.letters.templates import LETTERS

    keys = {s.key for p in playbooks.load().playbooks for s in p.steps}
    assert {"invitation", "visa", "thank-you"} <= keys
    assert {"invitation", "visa", "thank-you"} <= set(LETTERS)


@pytest.mark.parametrize(
    ("direction", "mode", "expected"),
    [
        ("incoming", "in_person", "incoming-delegation"),
        ("incoming", "hybrid", "incoming-delegation"),
        ("outgoing", "in_person", "outgoing-mission"),
        ("outgoing", "virtual", "virtual-meeting"),
        ("incoming", "virtual", "virtual-meeting"),
    ],
)
def test_the_playbook_that_fits_a_visit_is_found(direction: str, mode: str, expected: str) -> None:
    visit = {"title": "A visit", "direction": direction, "mode": mode}
    assert playbooks.load().for_visit(visit).name == expected


def test_two_playbooks_that_fit_equally_are_refused_by_name() -> None:
    own = json.loads((playbooks.shipped_folder() / "virtual-meeting.json").read_text("utf-8"))
    own["title"] = "Video call"
    _office_file("video-call", own)
    with pytest.raises(DeskError, match="video-call, virtual-meeting all fit"):
        playbooks.load().for_visit({"title": "A call", "direction": "incoming", "mode": "virtual"})
    assert playbooks.load().get("video").name == "video-call"  # a name's start is enough
    with pytest.raises(NotFound, match="there are: incoming-delegation"):
        playbooks.load().get("school exchange")


# -- applying --------------------------------------------------------------------------------


def test_applying_makes_follow_ups_with_real_due_dates_and_says_which_passed(db: Database) -> None:
    visit = _visit(db, start=40)
    applied = playbooks.apply(db, visit)
    assert applied.playbook.name == "incoming-delegation"
    made = _steps(db, visit)
    assert len(made) == 19
    start, end = TODAY + dt.timedelta(days=40), TODAY + dt.timedelta(days=43)
    assert made["visa"]["due_date"] == (start - dt.timedelta(days=30)).isoformat()
    assert made["thank-you"]["due_date"] == (end + dt.timedelta(days=3)).isoformat()
    assert (made["visa"]["anchor"], made["visa"]["offset_days"]) == ("start", -30)
    assert made["visa"]["notes"].startswith("Who: Protocol officer.")
    # 75, 60 and 45 days before a visit 40 days away have passed: due today, and said.
    late = {p.step.key for p in applied.late}
    assert late == {"council-brief", "invitation", "delegation-list"}
    assert {made[k]["due_date"] for k in late} == {TODAY.isoformat()}
    assert "had passed" in made["invitation"]["notes"]
    lines = applied.lines()
    assert lines[0] == (
        "Made 19 follow-ups for “Delegation from Matsue” from the playbook “Incoming delegation”."
    )
    assert (
        "3 steps had a day already past" in lines[1] and "Send the Mayor's invitation" in lines[1]
    )
    # Today lists them like any other follow-up.
    today = agenda.build(db, TODAY, shown=200)
    titles = {item.title for items in today.sections.values() for item in items}
    assert "Send the Mayor's invitation letter" in titles
    assert "Send visa support letters for each delegate" in titles


def test_applying_twice_makes_nothing_and_leaves_no_operation(db: Database) -> None:
    visit = _visit(db)
    first = playbooks.apply(db, visit)
    assert first.changes is not None and len(first.changes.created) == 19
    (operations,) = db.execute("SELECT count(*) FROM operations").fetchone()
    again = playbooks.apply(db, visit, "incoming-delegation")
    assert again.changes is None and again.made == [] and len(again.already) == 19
    assert again.lines() == [
        "Every step of the playbook “Incoming delegation” is already on "
        "“Delegation from Matsue”: nothing made."
    ]
    assert db.execute("SELECT count(*) FROM operations").fetchone() == (operations,)
    assert len(_steps(db, visit)) == 19


def test_a_follow_up_made_by_hand_with_a_steps_title_becomes_that_step(db: Database) -> None:
    visit = _visit(db, mode="virtual")
    own = records.create(
        db,
        "follow_up",
        {"title": "send thank-you letters", "due_date": _day(90), "visit_id": visit},
    ).id
    applied = playbooks.apply(db, visit)
    assert applied.playbook.name == "virtual-meeting"
    assert [p.adopted for p in applied.adopted] == [own]
    step = _steps(db, visit)["thank-you"]
    assert step["id"] == own and step["due_date"] == _day(90)  # its own date is kept
    assert db.execute("SELECT count(*) FROM follow_ups WHERE visit_id = ?", (visit,)).fetchone()[
        0
    ] == len(applied.playbook.steps)


def test_one_undo_takes_back_an_apply_and_redo_brings_it_back(db: Database) -> None:
    visit = _visit(db)
    applied = playbooks.apply(db, visit)
    assert applied.changes is not None
    assert applied.changes.label == (
        "Apply playbook “Incoming delegation” to “Delegation from Matsue”"
    )
    undone = undo.undo(db)
    assert len(undone.deleted) == 19 and _steps(db, visit) == {}
    undo.redo(db)
    assert len(_steps(db, visit)) == 19


def test_a_visit_with_no_dates_is_refused_with_a_clear_message(db: Database) -> None:
    visit = _visit(db, start=None)
    with pytest.raises(ValidationError, match="has no dates: give it a start date first") as err:
        playbooks.apply(db, visit)
    assert err.value.field == "start_date"
    assert db.execute("SELECT count(*) FROM follow_ups").fetchone() == (0,)
    assert playbooks.follow_visit(db, visit).no_dates


def test_a_visit_with_no_end_counts_its_last_day_as_its_first(db: Database) -> None:
    visit = records.create(
        db,
        "visit",
        {"title": "Mission to Kobe", "direction": "outgoing", "start_date": _day(100)},
    ).id
    assert visit is not None
    applied = playbooks.apply(db, visit)
    assert applied.no_end and "no end date" in applied.lines()[-1]
    assert _steps(db, visit)["thank-you"]["due_date"] == _day(103)


def test_a_canceled_visit_gets_no_playbook(db: Database) -> None:
    visit = _visit(db, status="cancelled")
    with pytest.raises(DeskError, match="is canceled: a playbook is for visits that will"):
        playbooks.apply(db, visit)


# -- moving with the visit -------------------------------------------------------------------


def _move_visit(db: Database, visit: int, by: int) -> Any:
    row = records.get(db, "visit", visit)
    shifted = {
        name: (dt.date.fromisoformat(row[name]) + dt.timedelta(days=by)).isoformat()
        for name in ("start_date", "end_date")
    }
    return records.update(db, "visit", visit, shifted)


def test_moving_the_visit_moves_its_steps_but_asks_about_done_and_edited_ones(
    db: Database,
) -> None:
    visit = _visit(db, start=40)
    playbooks.apply(db, visit)
    before = _steps(db, visit)
    playbooks.tick(db, visit, "visa")  # done
    records.update(db, "follow_up", before["hotel"]["id"], {"due_date": _day(25)})  # by hand
    _move_visit(db, visit, 20)
    _move_visit(db, visit, 10)  # twice, before anyone follows

    plan = playbooks.follow_visit(db, visit, dry_run=True)
    held = {m.step: m.held for m in plan.moves if m.held}
    assert held == {"visa": "done", "hotel": "edited"}
    assert plan.changes is None
    assert _steps(db, visit)["program"]["due_date"] == before["program"]["due_date"]
    question = plan.question()
    assert question is not None and question.startswith(
        "2 of the playbook's steps for “Delegation from Matsue” are done or were changed by hand"
    )
    assert "changed by hand" in question and "Move them with the visit's dates too?" in question

    followed = playbooks.follow_visit(db, visit)
    after = _steps(db, visit)
    start = TODAY + dt.timedelta(days=70)
    assert after["program"]["due_date"] == (start - dt.timedelta(days=30)).isoformat()
    assert after["report"]["due_date"] == (start + dt.timedelta(days=3 + 30)).isoformat()
    # Made due today because its day had passed: it follows without being asked about.
    assert after["invitation"]["due_date"] == (start - dt.timedelta(days=60)).isoformat()
    # 75 days before is still past: already due, it stays due, not moved to another day.
    assert after["council-brief"]["due_date"] == TODAY.isoformat()
    assert after["visa"]["due_date"] == before["visa"]["due_date"]
    assert after["hotel"]["due_date"] == _day(25)
    assert followed.changes is not None and "Left where they are: 2 steps" in followed.lines()[-1]

    everything = playbooks.follow_visit(db, visit, move_edited=True)
    assert {m.step for m in everything.moving} == {"visa", "hotel"}
    moved = _steps(db, visit)
    assert moved["visa"]["due_date"] == (start - dt.timedelta(days=30)).isoformat()
    assert moved["visa"]["done_on"] == TODAY.isoformat()  # still done
    assert moved["hotel"]["due_date"] == (start - dt.timedelta(days=21)).isoformat()
    assert playbooks.follow_visit(db, visit, dry_run=True).moves == []


def test_a_move_is_one_undo(db: Database) -> None:
    visit = _visit(db, start=40)
    playbooks.apply(db, visit)
    before = _steps(db, visit)
    _move_visit(db, visit, 7)
    followed = playbooks.follow_visit(db, visit)
    assert followed.changes is not None
    assert followed.changes.label == "Move the playbook steps of “Delegation from Matsue”"
    undo.undo(db)
    assert {k: v["due_date"] for k, v in _steps(db, visit).items()} == {
        k: v["due_date"] for k, v in before.items()
    }


def test_a_visit_moved_earlier_makes_a_step_whose_day_passed_due_today(db: Database) -> None:
    visit = _visit(db, start=120)
    playbooks.apply(db, visit)
    _move_visit(db, visit, -100)  # now 20 days away: the visa letters' day has passed
    followed = playbooks.follow_visit(db, visit)
    visa = next(m for m in followed.moving if m.step == "visa")
    assert visa.late and visa.to == TODAY
    assert _steps(db, visit)["visa"]["due_date"] == TODAY.isoformat()


def test_after_an_edit_only_a_visits_dates_move_its_steps(db: Database) -> None:
    visit = _visit(db, start=40)
    renamed = records.update(db, "visit", visit, {"title": "Delegation from Matsue City"})
    assert playbooks.after_edit(db, renamed) is None  # no steps yet, and no dates moved
    playbooks.apply(db, visit)
    assert playbooks.after_edit(db, records.update(db, "visit", visit, {"purpose": "x"})) is None
    follow_up = _steps(db, visit)["visa"]["id"]
    other = records.update(db, "follow_up", follow_up, {"due_date": _day(11)})
    assert playbooks.after_edit(db, other) is None
    followed = playbooks.after_edit(db, _move_visit(db, visit, 5))
    assert followed is not None and followed.changes is not None
    assert [m.step for m in followed.held] == ["visa"]
    assert _steps(db, visit)["packet"]["due_date"] == _day(40 + 5 - 7)


def test_report_follow_prints_what_moved_and_how_to_move_the_rest(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    from desk.cli.groups.playbooks import report_follow

    visit = _visit(db, start=40)
    playbooks.apply(db, visit)
    playbooks.tick(db, visit, "thank-you")
    report_follow(db, _move_visit(db, visit, 3))
    out = capsys.readouterr().out
    # The three steps whose days are still past stay due today; the done one is asked about.
    assert "Moved 15 playbook steps of “Delegation from Matsue” with its dates" in out
    assert f"If so: desk playbook move {visit} --all" in out


# -- ticking -------------------------------------------------------------------------------


def test_a_letter_ticks_its_step_inside_its_own_operation(db: Database) -> None:
    visit = _visit(db)
    playbooks.apply(db, visit)
    assert playbooks.tick(db, visit, "no-such-step") is None
    with operation(db, "Write thank-you letters") as changes:
        playbooks.tick(db, visit, "thank-you", on=TODAY)
    assert changes.label == "Write thank-you letters"
    assert _steps(db, visit)["thank-you"]["done_on"] == TODAY.isoformat()
    assert playbooks.tick(db, visit, "thank-you") is None  # done already


# -- the files -------------------------------------------------------------------------------


def _shipped_text(name: str = "virtual-meeting") -> str:
    return (playbooks.shipped_folder() / f"{name}.json").read_text("utf-8")


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    ("change", "needle", "message", "step", "field"),
    [
        (
            ('"days": 10,', '"days": "ten",'),
            '"days": "ten"',
            "step 5 (“Book interpretation, and the platform's interpret…”): 'days' "
            'must be a whole number of days from 0 to 730 (not "ten")',
            5,
            "days",
        ),
        (
            ('"who": "IT support"', '"whom": "IT support"'),
            '"whom"',
            "'whom' is not part of a step",
            7,
            "whom",
        ),
        (
            ('"key": "agenda"', '"key": "invitation"'),
            '"key": "invitation",\n      "title": "Agree the agenda',
            "its key 'invitation' is step 1's too",
            3,
            "key",
        ),
        (
            ('"days": 3, "before": "start"', '"days": 3, "before": "begin"'),
            '"before": "begin"',
            '\'before\' must be "start" or "end"',
            7,
            "before",
        ),
        (
            ('"mode": ["virtual"]', '"mode": ["online"]'),
            '"mode"',
            '"online" is not one',
            None,
            None,
        ),
        (
            ('"title": "Agree the agenda and the order of speakers"', '"title": "  "'),
            '"title": "  "',
            "'title' is missing",
            3,
            "title",
        ),
    ],
)
def test_a_playbook_file_with_an_error_is_refused_naming_its_line_and_field(
    change: tuple[str, str], needle: str, message: str, step: int | None, field: str | None
) -> None:
    text = _shipped_text().replace(*change)
    assert text != _shipped_text()
    with pytest.raises(playbooks.PlaybookError) as err:
        playbooks.parse(text, "virtual-meeting")
    said = str(err.value)
    assert said.startswith(f"virtual-meeting.json, line {_line_of(text, needle)}: "), said
    assert message in said
    assert (err.value.step, err.value.field) == (step, field)


def test_a_file_that_is_not_json_is_refused_at_its_line() -> None:
    text = _shipped_text().replace('"key": "agenda",', '"key": "agenda"')
    with pytest.raises(playbooks.PlaybookError, match=r"virtual-meeting.json, line 26, column 7"):
        playbooks.parse(text, "virtual-meeting")


def test_the_offices_file_replaces_desks_and_a_broken_one_leaves_desks_serving() -> None:
    own = json.loads(_shipped_text("incoming-delegation"))
    own["steps"][0]["who"] = "Deputy Mayor"
    path = _office_file("incoming-delegation", own)
    found = playbooks.load().get("incoming-delegation")
    assert found.office and found.overrides and found.path == path
    assert found.source == "the office's, in place of desk's"
    assert found.steps[0].who == "Deputy Mayor"
    _office_file("incoming-delegation", '{"title": "Broken", "steps": [}')
    library = playbooks.load()
    assert not library.get("incoming-delegation").office
    (problem,) = library.problems
    assert problem.startswith("incoming-delegation.json, line 1, column")


def test_a_playbook_saved_and_forgotten_round_trips(tmp_path: Path) -> None:
    shipped = playbooks.load().get("outgoing-mission")
    edited = playbooks.Step(
        key="school-visit", title="Visit the sister school", days=0, anchor="start", after=True
    )
    kept = playbooks.save(
        playbooks.Playbook(name=shipped.name, title=shipped.title, steps=(*shipped.steps, edited))
    )
    assert kept.path == playbooks.office_folder() / "outgoing-mission.json" and kept.overrides
    again = playbooks.load().get("outgoing-mission")
    assert again.step("school-visit") == edited and edited.when() == "the day it starts"
    with pytest.raises(playbooks.PlaybookError, match="step 1"):
        playbooks.save(playbooks.Playbook("x", "X", (playbooks.Step("Bad!", "t", 1),)))
    assert playbooks.forget("outgoing-mission")
    assert not playbooks.load().get("outgoing-mission").office
    assert not playbooks.forget("outgoing-mission")


# -- the commands ----------------------------------------------------------------------------


def _run(capsys: pytest.CaptureFixture[str], db_path: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db_path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_playbook_commands(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visit = _visit(db, start=50, title="Mission to Kobe", direction="outgoing")
    db.close()
    code, out, _ = _run(capsys, db_path, "playbook", "list")
    assert code == 0 and "outgoing-mission     Outgoing mission: 19 steps" in out
    code, out, _ = _run(capsys, db_path, "playbook", "show", "incoming")
    assert code == 0 and "60 days before it starts  Send the Mayor's invitation letter" in out
    assert "Who: Protocol officer. Key: visa" in out
    code, out, _ = _run(capsys, db_path, "playbook", "apply", "Mission to Kobe", "--dry-run")
    assert code == 0 and out.startswith("Would make 19 follow-ups for “Mission to Kobe”")
    code, out, _ = _run(capsys, db_path, "playbook", "apply", str(visit))
    assert code == 0 and out.startswith("Made 19 follow-ups")
    code, out, _ = _run(capsys, db_path, "playbook", "apply", str(visit))
    assert code == 0 and "nothing made" in out
    code, out, _ = _run(
        capsys,
        db_path,
        "edit",
        "visit",
        str(visit),
        f"start_date={_day(60)}",
        f"end_date={_day(63)}",
    )
    # `desk edit` of the visit's dates takes its untouched steps with it...
    assert code == 0 and "playbook steps of “Mission to Kobe” with its dates" in out
    # ...so there is nothing left to move.
    code, out, _ = _run(capsys, db_path, "playbook", "move", str(visit), "--dry-run")
    assert code == 0 and "are where its dates put them" in out

    exported = tmp_path / "mission.json"
    code, out, _ = _run(capsys, db_path, "playbook", "export", "outgoing", "--out", str(exported))
    assert code == 0 and json.loads(exported.read_text("utf-8"))["title"] == "Outgoing mission"
    broken = tmp_path / "broken.json"
    broken.write_text(exported.read_text("utf-8").replace('"days": 90', '"days": -90'), "utf-8")
    code, _, err = _run(capsys, db_path, "playbook", "import", str(broken))
    line = _line_of(broken.read_text("utf-8"), '"days": -90')
    assert code == 1 and f"broken.json, line {line}: step 1" in err and "'days'" in err
    code, out, _ = _run(
        capsys, db_path, "playbook", "import", str(exported), "--name", "outgoing-mission"
    )
    assert code == 0 and "as the office's, in place of desk's" in out
    code, out, _ = _run(capsys, db_path, "playbook", "list", "--json")
    rows = {row["name"]: row for row in json.loads(out)["playbooks"]}
    assert rows["outgoing-mission"]["source"] == "the office's, in place of desk's"
    code, _, err = _run(capsys, db_path, "playbook", "apply", str(visit), "--playbook", "nope")
    assert code == 1 and "There is no playbook 'nope'" in err
