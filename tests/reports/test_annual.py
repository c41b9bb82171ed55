"""The annual report: the year's work as the mayor or council reads it, read back."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from desk.cli.main import main
from desk.core.domain.vocab import (
    ENGAGEMENT_METHODS,
    MONEY_MEASURES,
    OUTCOME_MEASURES,
    PRIORITY_AREAS,
    SDGS,
)
from desk.core.store import records
from desk.core.store.db import Database
from desk.reports.annual.data import gather
from desk.reports.annual.document import build_annual, headline
from tests.conftest import DEMO_TODAY
from tests.reports.conftest import folded, pdftotext, qpdf_check
from tests.reports.test_figures import _city

YEAR = 2025
HEADLINE = ("new partnerships", "agreements signed", "delegations welcomed", "missions sent")


def _text(path: Path) -> str:
    assert path.read_bytes().startswith(b"%PDF-")
    return folded(pdftotext(path))


def _front_page_figures(layout: str) -> dict[str, str]:
    """The four headline figures of the front page by their labels. The page sets them
    as a row of figures over a row of labels, each figure starting in its label's
    column, and pdftotext -layout keeps those columns."""
    lines = layout.splitlines()
    (at,) = [n for n, line in enumerate(lines) if all(label in line for label in HEADLINE)]
    above = next(line for line in reversed(lines[:at]) if line.strip())
    found: dict[str, str] = {}
    for label in HEADLINE:
        column = lines[at].index(label)
        figure = re.match(r"\S+", above[column:])
        assert figure and above[column - 1 : column] in ("", " "), (label, above, lines[at])
        found[label] = figure.group()
    return found


def test_the_year_in_figures_matches_the_records(db: Database, tmp_path: Path) -> None:
    _city(db)
    records.create(
        db,
        "network",
        {"network_name": "ICLEI", "status": "active", "joined_date": "2019-03-01"},
    )
    a = gather(db, YEAR)
    assert headline(a)[:4] == [
        ("0", "new partnerships"),
        ("1", "agreements signed"),
        ("1", "delegations welcomed"),
        ("1", "missions sent"),
    ]
    assert ("42", "students exchanged (some estimated)") in headline(a)
    assert ("$1 million + 500,000 JPY", "investment committed") in headline(a)
    out = tmp_path / "annual.pdf"
    build_annual(db, YEAR, out)
    text = _text(out)
    for expected in (
        f"{YEAR} in review",
        "International work in 2025",
        "Port Meridian",
        "delegations welcomed",
        "Mission to Kobe",
        "Delegation from Kobe",
        "Port MOU",  # signed in 2025
        "ICLEI",
        "4 Quality education",
        "Students exchanged",
        "Coming next",
    ):
        assert folded(expected) in text, expected
    for not_held in ("Delegation called off", "Delegation asked for"):
        assert folded(not_held) not in text, not_held
    qpdf_check(out)


def test_a_year_with_nothing_recorded_still_has_a_report(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"
    build_annual(db, YEAR, out)
    text = _text(out)
    assert "International work in 2025" in text and "delegations welcomed" in text
    assert "No partnership, agreement, visit or outcome is recorded for 2025." in text
    qpdf_check(out)


def test_the_command_line_writes_the_annual_report(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _city(db)
    out = tmp_path / "cli.pdf"
    code = main(["--db", str(db_path), "report", "annual", "--year", "2025", "--out", str(out)])
    assert code == 0 and "Annual report for 2025 written to" in capsys.readouterr().out
    assert "Mission to Kobe" in pdftotext(out)
    with pytest.raises(SystemExit) as missing:
        main(["--db", str(db_path), "report", "annual", "--out", str(out)])
    assert missing.value.code == 2 and "--year" in capsys.readouterr().err


# -- every figure of the demo's reports, counted again from the records ------------------

SIGNED = "('signed', 'in_force', 'expired', 'terminated')"
HELD = "status NOT IN ('cancelled', 'declined', 'requested')"
# The demo's U.S. associations: members, but no international city network (DESIGN.md).
DOMESTIC = ("Sister Cities International", "Welcoming America")


def _first(column: str) -> str:
    """The first day a stored date, whole or known to its year or month, can mean."""
    return f"substr({column} || '-01-01', 1, 10)"


def _long(day: str | dt.date) -> str:
    """'April 8, 2025', written out here rather than asked of desk."""
    d = dt.date.fromisoformat(str(day)[:10])
    return f"{d:%B} {d.day}, {d.year}"


def _counted_by_hand(db: Database, year: int, as_of: dt.date) -> dict[str, Any]:
    """Every figure the report of `year` prints, counted from the records in plain SQL as
    DESIGN.md defines it: engagements are unique relationships (a partnership, else a
    partner place or network), each with one method by its standing on `as_of`."""
    window = {"start": f"{year}-01-01", "now": as_of.isoformat(), "year": str(year)}

    def one(sql: str) -> int:
        return int(db.execute(sql, window).fetchone()[0])

    activity = {
        # Partner places: joining a network is a membership, not a new partnership.
        "new partnerships": one(
            "SELECT count(*) FROM partnerships WHERE substr(established_date, 1, 4) = :year "
            f"AND kind != 'network_membership' AND {_first('established_date')} <= :now"
        ),
        "agreements signed": one(
            f"SELECT count(*) FROM agreements WHERE status IN {SIGNED} "
            f"AND {_first('signed_date')} BETWEEN :start AND :now"
        ),
        "delegations welcomed": one(
            f"SELECT count(*) FROM visits WHERE direction = 'incoming' AND {HELD} "
            "AND start_date BETWEEN :start AND :now"
        ),
        "missions sent": one(
            f"SELECT count(*) FROM visits WHERE direction = 'outgoing' AND {HELD} "
            "AND start_date BETWEEN :start AND :now"
        ),
    }
    # A partnership's standing on the day: its last dated change by then.
    partnerships = {
        row[0]: row
        for row in db.execute(
            "SELECT p.id, p.kind, p.priority_areas, p.sdgs, (SELECT s.status FROM "
            "partnership_status_changes s WHERE s.partnership_id = p.id "
            f"AND {_first('s.changed_on')} <= :now ORDER BY {_first('s.changed_on')} DESC, "
            "s.id DESC LIMIT 1) FROM partnerships p",
            window,
        )
    }
    found: dict[tuple[str, Any], dict[str, Any]] = {}

    def engagement(key: tuple[str, Any]) -> dict[str, Any]:
        e = found.setdefault(
            key,
            {"agreements": 0, "welcomed": 0, "sent": 0, "network": False, "areas": set()},
        )
        e.setdefault("goals", set())
        if key[0] == "p":
            _pid, kind, areas, goals, _standing = partnerships[key[1]]
            e["areas"] |= set(json.loads(areas or "[]"))
            e["goals"] |= set(json.loads(goals or "[]"))
            e["network"] = e["network"] or kind == "network_membership"
        return e

    for pid, row in partnerships.items():
        if row[4] in ("active", "friendship"):
            engagement(("p", pid))
    # Signed in the year, or in force on the day (an MOU signed earlier and running on);
    # a sister-city agreement stands with its partnership, not on its own.
    for pid, country, parties, areas, goals in db.execute(
        "SELECT partnership_id, country, parties, priority_areas, sdgs FROM agreements "
        f"WHERE status IN {SIGNED} AND ({_first('signed_date')} BETWEEN :start AND :now "
        f"OR ({_first('signed_date')} <= :now "
        "AND NOT (kind IN ('sister_city_agreement', 'friendship_agreement') "
        "AND partnership_id IS NOT NULL) "
        "AND ((status IN ('signed', 'in_force') AND (expiry_date IS NULL OR expiry_date >= :now "
        "OR (auto_renew = 1 AND status = 'in_force'))) "
        "OR (status = 'expired' AND expiry_date >= :now))))",
        window,
    ):
        e = engagement(("p", pid) if pid else ("place", country, (parties or "").lower()))
        e["agreements"] += 1
        e["areas"] |= set(json.loads(areas or "[]"))
        e["goals"] |= set(json.loads(goals or "[]"))
    for pid, country, city, direction, areas, goals in db.execute(
        "SELECT partnership_id, country, city, direction, priority_areas, sdgs FROM visits "
        "WHERE significant = 1 AND status = 'completed' AND start_date BETWEEN :start AND :now",
        window,
    ):
        e = engagement(("p", pid) if pid else ("place", country, (city or country).lower()))
        e["welcomed" if direction == "incoming" else "sent"] += 1
        e["areas"] |= set(json.loads(areas or "[]"))
        e["goals"] |= set(json.loads(goals or "[]"))
    members = db.execute(
        "SELECT id, partnership_id, network_name, priority_areas FROM network_memberships "
        "WHERE status = 'active' AND (joined_date IS NULL OR joined_date <= :now) "
        "AND (left_date IS NULL OR left_date > :now) "
        f"AND network_name NOT IN {DOMESTIC}",
        window,
    ).fetchall()
    for _mid, pid, name, areas in members:
        e = engagement(("p", pid) if pid else ("network", name.lower()))
        e["network"] = True
        e["areas"] |= set(json.loads(areas or "[]"))
    by_method: Counter[str] = Counter()
    for key, e in found.items():
        kind, standing = (
            (partnerships[key[1]][1], partnerships[key[1]][4]) if key[0] == "p" else ("", None)
        )
        in_force = standing in ("active", "friendship")
        if kind in ("sister_city", "friendship_city") and in_force:
            by_method["sister_city"] += 1
        elif (kind == "sector_partnership" and in_force) or e["agreements"]:
            by_method["sector_partnership"] += 1
        elif e["network"]:
            by_method["city_network"] += 1
        elif e["welcomed"]:
            by_method["delegation_welcomed"] += 1
        elif e["sent"]:
            by_method["mission_sent"] += 1
        else:
            by_method["other"] += 1
    places_in_force = [
        pid
        for pid, row in partnerships.items()
        if row[4] in ("active", "friendship") and row[1] != "network_membership"
    ]
    outcomes = {
        measure: (int(amount or 0), int(n))
        for measure, amount, n in db.execute(
            "SELECT measure, sum(amount), count(*) FROM outcomes WHERE year = :year "
            "GROUP BY measure",
            window,
        )
    }
    ten_years = [
        one(
            "SELECT (SELECT count(*) FROM partnerships "
            f"WHERE substr(established_date, 1, 4) = '{y}' AND kind != 'network_membership' "
            f"AND {_first('established_date')} <= :now) + (SELECT count(*) FROM agreements "
            f"WHERE status IN {SIGNED} AND substr(signed_date, 1, 4) = '{y}' "
            f"AND {_first('signed_date')} <= :now) + (SELECT count(*) FROM visits "
            f"WHERE {HELD} AND substr(start_date, 1, 4) = '{y}' AND start_date <= :now)"
        )
        for y in range(year - 9, year + 1)
    ]
    return {
        "ten_years": ten_years,
        "activity": activity,
        "engagements": len(found),
        "by_method": dict(by_method),
        "by_area": dict(Counter(area for e in found.values() for area in e["areas"])),
        "goals": dict(Counter(goal for e in found.values() for goal in e["goals"])),
        "in_force": len(places_in_force),
        "outcomes": outcomes,
        "networks_counted": sum(1 for _ in members),
        "visits": [
            title
            for (title,) in db.execute(
                f"SELECT title FROM visits WHERE {HELD} AND start_date BETWEEN :start AND :now",
                window,
            )
        ],
        "significant": one(
            "SELECT count(*) FROM visits WHERE significant = 1 AND status = 'completed' "
            "AND start_date BETWEEN :start AND :now"
        ),
        "due": db.execute(
            "SELECT title, decision_deadline, expiry_date FROM agreements "
            f"WHERE status IN {SIGNED} AND (expiry_date BETWEEN :start AND :year || '-12-31' "
            "OR decision_deadline BETWEEN :start AND :year || '-12-31')",
            window,
        ).fetchall(),
    }


def _between(layout: str, first: str, last: str) -> str:
    """The part of the text from the heading `first` to the heading `last`."""
    return layout.split(first, 1)[1].split(last, 1)[0]


def _line(text: str, label: str) -> str:
    """The one line of `text` that holds `label` as words of its own."""
    pattern = rf"(^|\s){re.escape(label)}(\s|$)"
    (found,) = [line for line in text.splitlines() if re.search(pattern, line)]
    return found


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_figure_of_the_demo_report_is_counted_from_the_records(
    demo_db: Database, tmp_path: Path, year: int
) -> None:
    as_of = min(DEMO_TODAY, dt.date(year, 12, 31))
    want = _counted_by_hand(demo_db, year, as_of)
    a = gather(demo_db, year, DEMO_TODAY)
    out = tmp_path / f"{year}.pdf"
    build_annual(demo_db, year, out, today=DEMO_TODAY)
    layout = pdftotext(out, layout=True)
    text = folded(pdftotext(out))

    # The year's activity, on the front page and beside the visits listed.
    assert _front_page_figures(pdftotext(out, layout=True, last=1)) == {
        label: str(n) for label, n in want["activity"].items()
    }
    assert sorted(v["title"] for v in a.visits) == sorted(want["visits"])
    welcomed, sent = want["activity"]["delegations welcomed"], want["activity"]["missions sent"]
    assert f"{len(want['visits'])} visits held in {year}" in text
    assert f"{welcomed} delegations welcomed and {sent} missions sent" in text
    assert f"({want['significant']} of {len(want['visits'])})" in text

    # Ten years of activity: each bar's total, counted again and printed over the bar.
    assert [y.activity for y in a.years] == want["ten_years"]
    assert want["ten_years"][-1] == sum(want["activity"].values())
    chart = Counter(_between(layout, "Ten years of activity", "Activity record by").split())
    assert not Counter(str(total) for total in want["ten_years"]) - chart

    # Engagements: one count, the same wherever it is printed.
    n = want["engagements"]
    assert (a.shares.engagements, a.shares.by_method) == (n, want["by_method"])
    assert a.shares.by_area == want["by_area"]
    assert dict(a.sdgs) == want["goals"] and max(want["goals"].values()) <= n
    on = _long(as_of)
    assert f"{n} engagements abroad" in text
    sisters = want["by_method"].get("sister_city", 0)
    assert f"By method: {sisters} sister or friendship cities, " in text
    assert f"{n} engagements {a.period}, counted the way the national survey" in text
    # How the year's count differs from the survey submission's, which counts from 2016.
    assert a.survey_since == 2016 and a.survey_count >= n
    made = f"made on {on} would count" if a.year_over else f"Made on {on}, the day of this"
    assert (
        made in text and f"count{'' if a.year_over else 's'} {a.survey_count} engagements" in text
    )
    assert f"these add up to {n}." in text
    assert f"Engagements advancing it, of {n}" in " ".join(layout.split())
    compared = _between(layout, "How the city compares", "Partnerships proposed")
    for part, vocab, counts in (
        (
            _between(compared, "By method", "By priority area"),
            ENGAGEMENT_METHODS,
            want["by_method"],
        ),
        (compared.split("By priority area", 1)[1], PRIORITY_AREAS, want["by_area"]),
    ):
        for code, count in counts.items():
            assert f"{count} ({count / n:.0%})" in _line(part, vocab[code]), code
    goals = _between(layout, "Sustainable Development Goals", "Coming next")
    for goal, count in want["goals"].items():
        assert _line(goals, SDGS[goal]).split()[-1] == str(count), goal

    # Partners in force on the report's date, on the map: each one of the engagements, a
    # sister city, a sector partnership or another tie (those counted through an agreement
    # alone are sector partnerships too).
    assert len(a.in_force) == want["in_force"]
    assert f"Where the city is engaged: {want['in_force']} partners in force on {on}" in text
    methods = want["by_method"]
    places = sum(methods.get(m, 0) for m in ("sister_city", "sector_partnership", "other"))
    assert methods.get("sister_city", 0) <= want["in_force"] <= places

    # Networks: the members the engagements count as city networks.
    assert len(a.counted_networks) == want["networks_counted"]
    assert f"({want['networks_counted']} of {len(a.networks)})" in text

    # Outcomes, by measure: what they add up to and how many figures.
    for measure, (amount, figures_recorded) in want["outcomes"].items():
        total = a.outcomes[measure]
        assert total.figures == figures_recorded
        row = _line(_between(layout, "Outcomes", "Sustainable"), OUTCOME_MEASURES[measure])
        assert row.split()[-1] == str(figures_recorded), measure
        if measure not in MONEY_MEASURES:
            assert total.count == amount and f"{amount:,}" in row, measure

    # Agreements that ran out or came up for their decision in the year, with dates.
    assert sorted(g["title"] for g in a.due) == sorted(title for title, *_ in want["due"])
    for title, deadline, expiry in want["due"]:
        assert folded(title) in text
        for day in (deadline, expiry):
            if day and day[:4] == str(year):
                assert _long(day) in text, (title, day)
    qpdf_check(out)


def test_the_reports_say_that_the_curitiba_mou_expired(demo_db: Database, tmp_path: Path) -> None:
    (title, expiry, deadline) = demo_db.execute(
        "SELECT title, expiry_date, decision_deadline FROM agreements "
        "WHERE title LIKE '%Curitiba%' AND status = 'expired'"
    ).fetchone()
    year = int(expiry[:4])
    out = tmp_path / "curitiba.pdf"
    build_annual(demo_db, year, out, today=DEMO_TODAY)
    section = (
        folded(pdftotext(out)).split("came up for renewal", 1)[1].split("Network memberships")[0]
    )
    assert folded(title) in section
    assert f"Expired {_long(expiry)}" in section and _long(deadline) in section


def test_an_agreement_up_for_decision_is_told_as_of_the_reports_date(
    db: Database, tmp_path: Path
) -> None:
    ids = _city(db)  # the Port MOU runs to February 1, 2027; decide by December 3, 2026
    records.create(
        db,
        "agreement",
        {
            "title": "Harbor letter",
            "status": "in_force",
            "partnership_id": ids["kobe"],
            "signed_date": "2024-01-10",
            "expiry_date": "2026-03-01",
            "auto_renew": True,
        },
    )

    def due(year: int, today: dt.date) -> str:
        out = tmp_path / f"{year}-{today}.pdf"
        build_annual(db, year, out, today=today)
        return _between(folded(pdftotext(out)), "came up for renewal", "Network memberships")

    in_2026 = due(2026, dt.date(2026, 12, 1))
    assert "Port MOU" in in_2026 and "December 3, 2026" in in_2026
    assert "Expires February 1, 2027" in in_2026
    assert "Renewed by itself March 1, 2026 unless notice was given" in in_2026
    in_2027 = due(2027, dt.date(2028, 1, 10))
    assert "Port MOU" in in_2027 and "Expired February 1, 2027" in in_2027
    assert "Harbor letter" not in in_2027
    assert "No agreement ran out" in due(2025, dt.date(2026, 12, 1))


def _coming_next(layout: str) -> list[tuple[str, str]]:
    """(when, what) of the 'Coming next' table, read back from the page."""
    rows = []
    body = layout.split("Coming next", 1)[1]
    for line in body.splitlines():
        found = re.match(r"\s+((?:[A-Z][a-z]+ \d{1,2}, )?\d{4})\s{2,}(\S.*)$", line)
        if found:
            rows.append((found.group(1), found.group(2).strip()))
    return rows


def test_a_year_gone_by_reads_the_same_whenever_it_is_made(
    demo_db: Database, tmp_path: Path
) -> None:
    texts = []
    for n, today in enumerate((dt.date(2026, 1, 15), DEMO_TODAY, dt.date(2031, 7, 4))):
        out = tmp_path / f"2025-{n}.pdf"
        build_annual(demo_db, 2025, out, today=today)
        text = pdftotext(out)
        # The footer says when it was printed, as it was told: that, and only that, moves.
        assert f"Generated {_long(today)}" in text
        texts.append(re.sub(r"Generated \w+ \d+, \d{4}", "Generated", text))
    assert texts[0] == texts[1] == texts[2]
    layout = pdftotext(out, layout=True)
    assert "As of December 31, 2025" in layout
    # What comes next is 2026, the year after the report's, whatever the day it is made.
    coming = _coming_next(layout)
    assert coming and all(when.endswith("2026") for when, _what in coming), coming
    # Visits of 2026 agreed to by the end of 2025 (held since or not), and none asked for
    # or agreed to only later.
    expected = {
        title
        for (title,) in demo_db.execute(
            "SELECT title FROM visits WHERE start_date BETWEEN '2026-01-01' AND '2026-12-31' "
            f"AND {HELD} AND (request_date IS NULL OR request_date < '2026-01-01') "
            "AND (decision_date IS NULL OR decision_date < '2026-01-01')"
        )
    }
    listed = {what for _when, what in coming}
    visits = {title for (title,) in demo_db.execute("SELECT title FROM visits")}
    assert expected and listed & visits == expected


def test_this_years_report_looks_ahead_from_its_own_date(demo_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "2026.pdf"
    build_annual(demo_db, 2026, out, today=DEMO_TODAY)
    layout = pdftotext(out, layout=True)
    assert f"As of {_long(DEMO_TODAY)} (the year is not over)" in folded(layout)
    coming = _coming_next(layout)
    days = [dt.datetime.strptime(when, "%B %d, %Y").date() for when, _ in coming if "," in when]
    overdue = [what for _when, what in coming if what.startswith("Overdue")]
    assert (days and min(days) >= DEMO_TODAY) or overdue
    assert max(days) <= dt.date(2027, 11, 22)


def test_a_long_year_lists_its_first_hundred_and_says_how_many_more(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.reports.annual import document as annual

    monkeypatch.setattr(annual, "MOST_ROWS", 2)
    ids = _city(db)
    for n in range(4):
        records.create(
            db,
            "visit",
            {
                "title": f"Delegation {n}",
                "direction": "incoming",
                "status": "completed",
                "start_date": f"2025-0{n + 1}-15",
                "partnership_id": ids["kobe"],
            },
        )
    out = tmp_path / "long.pdf"
    build_annual(db, YEAR, out)
    text = _text(out)
    # Six visits held in 2025: two listed in date order, and the rest said.
    assert "and 4 more visits held, 6 in all" in text
    assert text.index("January 15, 2025") < text.index("February 15, 2025")
    qpdf_check(out)


# -- the reader's review: the year's count beside the survey's, and the layout -----------


def test_a_years_engagements_include_the_agreements_in_force_and_say_how_the_survey_differs(
    demo_db: Database, tmp_path: Path
) -> None:
    """Irkutsk (its sister city suspended) and València (dormant) are engaged through
    MOUs in force all year: they count in the year's engagements and are listed with
    why, and the report says plainly why the survey submission counts more."""
    out = tmp_path / "2026.pdf"
    build_annual(demo_db, 2026, out, today=DEMO_TODAY)
    a = gather(demo_db, 2026, DEMO_TODAY)
    counted = {e["partner"]: e for e in a.engagements}
    for partner in ("Irkutsk", "València"):
        assert counted[partner]["method"] == "sector_partnership", partner
        assert "in force until" in counted[partner]["method_basis"], partner
    text = _text(out)
    listed = text.split("The engagements counted", 2)[-1]
    assert "Irkutsk, Russia" in listed and "València, Spain" in listed
    assert listed.count("in force until") >= 2
    assert a.survey_count > a.shares.engagements
    assert (
        f"the survey submission, whose window runs from January 1, 2016, counts "
        f"{a.survey_count}" in text
    )
    assert "How this differs from the survey submission" in text
    assert "national survey counts them: each partner" not in text  # no longer the same claim


def test_the_ten_years_count_no_network_as_a_new_partnership(demo_db: Database) -> None:
    a = gather(demo_db, 2026, DEMO_TODAY)
    years = {y.year: y for y in a.years}
    # 2017: Curitiba founded; the Global Covenant of Mayors joined, a membership.
    assert years[2017].partnerships == 1
    assert all(c["kind"] != "network_membership" for c in a.status_changes)


def test_a_network_not_counted_says_why(demo_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "2025.pdf"
    build_annual(demo_db, 2025, out, today=DEMO_TODAY)
    a = gather(demo_db, 2025, DEMO_TODAY)
    reasons = {n["network_name"]: a.network_reasons.get(n["id"]) for n in a.networks}
    assert (
        reasons["Welcoming America"]
        == reasons["Sister Cities International"]
        == ("a U.S. association")
    )
    assert str(reasons["Strong Cities Network"]).startswith("left ")
    section = folded(pdftotext(out, layout=True)).split("Network memberships", 1)[1]
    assert "No: a U.S. association" in section and "No: left " in section
    table = section.split("Members at some time", 1)[0]
    assert table.count("No:") == len(a.networks) - len(a.counted_networks) == 3


def test_the_star_stays_with_its_visit_and_no_table_leaves_rows_alone_on_a_page(
    demo_db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "2026.pdf"
    build_annual(demo_db, 2026, out, today=DEMO_TODAY)
    lines = pdftotext(out, layout=True).splitlines()
    # A no-break space ties the star to the last word of the visit's title.
    assert not [line for line in lines if line.strip() == "★"]
    assert not [line for line in lines if re.search(r"\s{3,}★\s{3,}", line)]
    # Each table that fits on a page is on one page: its header row is printed once.
    pages = pdftotext(out, layout=True).split("\f")
    for heading in ("Coming next", "Network memberships", "Visits both ways"):
        holding = [
            n for n, page in enumerate(pages) if heading in [x.strip() for x in page.splitlines()]
        ]
        assert holding, heading
        first = holding[0]
        header = {"Coming next": "When", "Network memberships": "Role or level"}.get(
            heading, "What it brought"
        )
        assert not any(header in page for page in pages[first + 1 :]), heading


def test_the_map_key_shows_only_what_is_drawn() -> None:
    from desk.reports.annual.document import KIND_COLORS, MIXED, map_dots

    # Guadalajara (a sister city) and Jalisco (a sector partnership, at its capital) share
    # one numbered dot; Matsue stands alone.
    places = [
        (20.677, -103.347, "sister_city"),
        (20.677, -103.348, "sector_partnership"),
        (35.483, 133.05, "sister_city"),
    ]
    dots, legend = map_dots(places, 500, 225)
    assert [color for _lat, _lon, color in dots] == [MIXED, MIXED, KIND_COLORS["sister_city"]]
    assert [name for name, _color in legend] == ["Sister city", "Several kinds"]
