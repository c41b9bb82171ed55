"""Policy flags: the shipped rules, the office's own file, and which partnerships,
agreements and gifts each rule kind flags, by the records' own data."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from desk.cli.main import main
from desk.core.errors import ValidationError
from desk.core.features import policy
from desk.core.store import records
from desk.core.store.db import Database

TODAY = dt.date(2026, 12, 6)


def _flags(db: Database, state: str | None, **kw: Any) -> dict[tuple[str, str], policy.Flag]:
    found = policy.check(db, state, TODAY, **kw)
    return {(f.kind, f.title): f for f in found.flags}


def _office(rules: list[dict[str, Any]]) -> Path:
    path = policy.office_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"format": 1, "rules": rules}), "utf-8")
    return path


def _gift(db: Database, amount: str, **values: Any) -> int:
    fields = {
        "visit_id": 1,
        "direction": "received",
        "description": f"Gift worth {amount}",
        "value_minor": int(float(amount) * 100),
        "currency": "USD",
        "exchanged_on": "2026-11-20",
    }
    fields.update(values)
    made = records.create(db, "gift", fields).id
    assert made is not None
    return made


# -- the shipped edition -------------------------------------------------------------------


def test_the_shipped_rules_say_their_sources_dates_and_how_current_they_are() -> None:
    edition = policy.load()
    assert edition.as_of == "as researched on December 6, 2026"
    assert edition.current_to and edition.problems == ()
    assert {rule.state for rule in edition.rules} >= {"TX", "FL", "AR", "IN"}
    assert set(policy.RULE_KINDS) == {rule.kind for rule in edition.rules}
    for rule in edition.rules:
        assert rule.source.citation and rule.source.url and rule.source.enacted, rule.id
        assert rule.effective and rule.confidence in policy.CONFIDENCE, rule.id
        assert rule.confidence == "high" or rule.confidence_note, rule.id
        assert not rule.office and rule.touches, rule.id
    raw = json.loads(Path("resources/policy/us-state-rules.json").read_text("utf-8"))
    assert (
        raw["notice"] == policy.NOTICE == "Check with your city attorney; this is not legal advice."
    )
    assert "as researched on December 6, 2026" in raw["current_to"]


@pytest.mark.parametrize(
    ("text", "code"),
    [("TX", "TX"), ("tx", "TX"), ("Texas", "TX"), ("State of Texas", "TX"), ("Oregon", "OR"),
     ("Washington, D.C.", "DC"), ("Ontario", None), ("", None), (None, None)],
)  # fmt: skip
def test_a_state_is_read_by_code_or_name(text: str | None, code: str | None) -> None:
    assert policy.state_code(text) == code


# -- ties: ends_ties -------------------------------------------------------------------------


def test_texas_ends_ties_with_governments_of_the_countries_it_names(demo_db: Database) -> None:
    flags = _flags(demo_db, "TX")
    suzhou = flags[("partnership", "Suzhou")]
    assert suzhou.action == "End by 10/1/2025 (overdue)" and suzhou.overdue
    assert suzhou.due == dt.date(2025, 10, 1)
    assert suzhou.text.startswith(
        "End by 10/1/2025 (overdue): this sister city with a city in China"
    )
    assert "Tex. Gov't Code ch. 795" in suzhou.text and suzhou.line.endswith("ch. 795")
    # Suspended is not ended: the law against keeping a tie still reaches it.
    irkutsk = flags[("partnership", "Irkutsk")]
    assert "suspended, which has not ended it" in irkutsk.note
    assert {title for kind, title in flags if kind == "agreement"} == {
        "Sister City Agreement between Port Meridian and Suzhou",
        "Sister City Agreement between Port Meridian and Irkutsk",
    }  # the Irkutsk MOU is no sister-city agreement; Tainan (Taiwan) is not named
    assert ("partnership", "Tainan") not in flags and ("partnership", "Matsue") not in flags
    # The same flag when one record is asked for.
    one = policy.flags_for(demo_db, "partnership", suzhou.record_id, state="TX", today=TODAY)
    assert [f.text for f in one] == [suzhou.text]
    assert policy.flags_for(demo_db, "contact", 1, state="TX", today=TODAY) == []
    found = policy.check(demo_db, "TX", TODAY).by_record()
    assert len(found) == 4 and found[("partnership", suzhou.record_id)] == [suzhou]


def test_only_ties_that_stand_or_are_pending_and_with_governments_count(
    demo_db: Database,
) -> None:
    def tie(name: str, **values: Any) -> None:
        fields = {"partner_name": name, "country": "CN", "kind": "sister_city"}
        records.create(demo_db, "partnership", fields | values)

    tie("Harbin", status="proposed")
    tie("Dalian", status="ended")
    tie("Nanjing", status="lapsed")
    tie("Fudan University", status="active", partner_level="other")
    tie("Shenzhen", status="active", kind="sector_partnership")  # not a sister city
    records.create(
        demo_db,
        "agreement",
        {"title": "Port letter with Ningbo", "kind": "sister_city_agreement",
         "status": "in_force", "country": "CN", "parties": "Ningbo Port"},
    )  # fmt: skip
    flags = _flags(demo_db, "TX")
    assert flags[("partnership", "Harbin")].action == "Do not make it"
    for name in ("Dalian", "Nanjing", "Fudan University", "Shenzhen"):
        assert ("partnership", name) not in flags, name
    # No partnership says whether the counterpart is a government: flagged, to be checked.
    ningbo = flags[("agreement", "Port letter with Ningbo")]
    assert "Whether the partner is a government is not recorded" in ningbo.note


# -- ties: bars_new_ties and needs_review -------------------------------------------------------


def test_indiana_bars_new_ties_and_asks_for_a_review_of_older_ones(demo_db: Database) -> None:
    records.create(
        demo_db,
        "partnership",
        {"partner_name": "Wuhan", "country": "CN", "kind": "sister_city", "status": "active",
         "established_date": "2025-03-01"},
    )  # fmt: skip
    records.create(
        demo_db,
        "partnership",
        {"partner_name": "Xi'an", "country": "CN", "kind": "sister_city", "status": "active",
         "established_date": "2024"},
    )  # fmt: skip
    flags = _flags(demo_db, "IN")
    wuhan = flags[("partnership", "Wuhan")]
    assert wuhan.action == "Ask whether it must end"
    assert "Made 3/1/2025, on or after 7/1/2024" in wuhan.note
    # Known only to its year: it may have been made after the law.
    assert flags[("partnership", "Xi'an")].action == "Ask whether it must end"
    suzhou = flags[("partnership", "Suzhou")]  # 1988: before the law, whose reach is disputed
    assert suzhou.action == "Review it with your city attorney" and "disputed" in suzhou.note


def test_florida_asks_for_a_review_of_agreements_made_or_renewed(demo_db: Database) -> None:
    records.create(
        demo_db,
        "agreement",
        {"title": "Draft MOU with Irkutsk on schools", "kind": "mou", "status": "draft",
         "partnership_id": 6},
    )  # fmt: skip
    flags = _flags(demo_db, "FL")
    mou = flags[("agreement", "MOU on culture and education cooperation with Irkutsk")]
    assert mou.action == "Renewal on 3/28/2027 needs review by your city attorney"
    assert mou.due == dt.date(2027, 3, 28) and not mou.overdue
    assert "Made 3/14/2024, on or after 7/1/2021" in mou.note
    draft = flags[("agreement", "Draft MOU with Irkutsk on schools")]
    assert draft.action == "Needs review by your city attorney before it is made"
    assert draft.reason == "this memorandum of understanding with a city in Russia"
    # Made in 1988 and never renewed: the 2021 law has nothing to ask of it.
    assert ("agreement", "Sister City Agreement between Port Meridian and Suzhou") not in flags
    assert ("partnership", "Suzhou") not in flags


# -- gifts: reports_gifts ----------------------------------------------------------------------


def test_a_gift_over_the_threshold_is_flagged_and_one_under_it_is_not(demo_db: Database) -> None:
    over = _gift(demo_db, "60000")
    at = _gift(demo_db, "50000")
    under = _gift(demo_db, "49999.99")
    given = _gift(demo_db, "75000", direction="given")
    reported = _gift(demo_db, "80000", disposition="reported")
    euros = _gift(demo_db, "90000", currency="EUR")
    found = policy.check(demo_db, "FL", TODAY)
    flagged = {f.record_id: f for f in found.flags if f.kind == "gift"}
    assert set(flagged) == {over, at}  # $50,000 or more
    flag = flagged[over]
    assert flag.action == ("Report by 12/20/2026 to the Florida Department of Financial Services")
    assert flag.due == dt.date(2026, 12, 20) and not flag.overdue
    assert flag.reason == "this gift received, worth $60,000.00 ($50,000.00 or more)"
    for quiet in (under, given, reported, euros):
        assert policy.flags_for(demo_db, "gift", quiet, state="FL", today=TODAY) == []
    assert any("a value in EUR, not compared" in note for note in found.notes)


def test_the_office_keeps_its_own_gift_threshold(demo_db: Database) -> None:
    _office(
        [
            {
                "id": "pm-gifts",
                "kind": "reports_gifts",
                "title": "Gifts to the city",
                "asks": "gifts received over $100 are reported to the City Recorder within 30 days",
                "source": {"citation": "Port Meridian Administrative Policy 2.14"},
                "touches": {"gift": "*"},
                "amount": "100",
                "within_days": 30,
                "report_to": "the City Recorder",
            }
        ]
    )
    over = _gift(demo_db, "100.01", exchanged_on="2026-10-01")
    exactly = _gift(demo_db, "100")
    found = policy.check(demo_db, None, TODAY)  # Oregon: no state rules, the office's apply
    assert found.place.code == "OR" and [r.id for r in found.rules] == ["pm-gifts"]
    flagged = {f.record_id: f for f in found.flags}
    assert over in flagged and exactly not in flagged
    assert flagged[over].action == "Report by 10/31/2026 (overdue) to the City Recorder"
    assert flagged[over].overdue
    # The demo's own gifts over $100 received are flagged too; those given are not.
    demo = demo_db.execute(
        "SELECT count(*) FROM gifts WHERE direction = 'received' AND value_minor > 10000 "
        "AND currency = 'USD' AND coalesce(disposition, '') <> 'reported'"
    ).fetchone()[0]
    assert demo > 1 and len(flagged) == demo  # `over` among them


# -- the office's file over the shipped one --------------------------------------------------


def test_the_office_file_replaces_adds_and_turns_off_rules(demo_db: Database) -> None:
    _office(
        [
            {"id": "in-hea-1120-2024", "disabled": True},
            {
                "id": "pm-council",
                "kind": "needs_review",
                "title": "Council approval of international agreements",
                "asks": "a new or renewed agreement with a foreign government needs a resolution",
                "source": {"citation": "Port Meridian City Code § 2.60.040"},
                "touches": {"agreement": "*"},
                "countries": ["RU"],
                "review_by": "the City Council",
            },
        ]
    )
    found = policy.check(demo_db, "IN", TODAY)
    assert [rule.id for rule in found.rules] == ["pm-council"]
    (flag,) = found.flags
    assert flag.action == "Renewal on 3/28/2027 needs review by the City Council"


def test_a_fault_in_the_office_file_is_reported_and_the_state_rules_still_apply(
    demo_db: Database,
) -> None:
    path = _office(
        [{"id": "x", "kind": "ends_ties", "title": "t", "asks": "a", "touches": {"agreement": "*"},
          "source": {"citation": "c"}, "countries": ["XX"]}]
    )  # fmt: skip
    found = policy.check(demo_db, "TX", TODAY)
    assert found.edition.problems == (
        "policy-rules.json, rule 'x': 'countries' holds codes that are no country: ['XX'].",
    )
    assert [rule.id for rule in found.rules] == ["tx-gov-795"] and len(found.flags) == 4
    path.write_text("{not json", "utf-8")
    assert "not JSON at line 1" in policy.check(demo_db, "TX", TODAY).edition.problems[0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "bans"}, "'kind' must be one of"),
        ({"touches": {"visitor": "*"}}, "names 'visitor', which is no kind of record"),
        ({"touches": {"agreement": ["treaty"]}}, "kinds it does not have: ['treaty']"),
        ({"touches": {"contact": "*"}}, "has no 'status' to judge"),
        ({"effective": "7/1/2023"}, "'effective' must be a date written 2025-09-01"),
        ({"partners": ["council"]}, "'partners' must be levels among"),
        ({"state": "Ontario"}, "'Ontario' is not a U.S. state"),
        ({"source": {}}, "'source' must name at least its 'citation'"),
    ],
)
def test_a_rule_written_wrongly_is_named_with_its_field(
    change: dict[str, Any], message: str
) -> None:
    rule = {"id": "r", "kind": "ends_ties", "title": "t", "asks": "a", "countries": ["CN"],
            "touches": {"agreement": "*"}, "source": {"citation": "c"}} | change  # fmt: skip
    _office([rule])
    (problem,) = policy.load().problems
    assert problem.startswith("policy-rules.json, rule 'r': ") and message in problem


def test_a_rule_past_its_last_day_is_left_out(demo_db: Database) -> None:
    _office(
        [{"id": "tx-gov-795", "kind": "ends_ties", "state": "TX", "title": "t", "asks": "a",
          "source": {"citation": "c"}, "touches": {"partnership": "*"}, "countries": ["CN"],
          "until": "2026-12-05"}]
    )  # fmt: skip
    assert policy.check(demo_db, "TX", TODAY).rules == ()
    assert len(policy.check(demo_db, "TX", dt.date(2026, 12, 5)).flags) == 1


# -- whose rules -----------------------------------------------------------------------------


def test_no_state_an_unknown_state_and_a_state_without_rules(demo_db: Database) -> None:
    oregon = policy.check(demo_db, None, TODAY)
    assert oregon.place.name == "Oregon" and oregon.rules == () and oregon.flags == ()
    assert oregon.notes == (
        "No state rules are on file for Oregon (as researched on December 6, 2026).",
    )
    demo_db.execute("UPDATE city_profile SET state = NULL")
    none = policy.check(demo_db, None, TODAY)
    assert none.place.code is None and "names no state" in none.notes[0]
    demo_db.execute("UPDATE city_profile SET state = 'Ontario'")
    assert policy.check(demo_db, None, TODAY).notes == (
        "'Ontario' is not a U.S. state, so only the office's own rules apply.",
    )
    with pytest.raises(ValidationError, match=re.escape("'XY' is not a U.S. state or territory")):
        policy.check(demo_db, "XY", TODAY)
    assert policy.check(demo_db, "Texas", TODAY).place.code == "TX"


# -- desk policy -------------------------------------------------------------------------------


def test_desk_policy_json_is_json_only(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.sqlite"  # the demo_db fixture's copy
    code = main(["--db", str(path), "policy", "--state", "TX", "--date", "2026-12-06", "--json"])
    out, _ = capsys.readouterr()
    assert code == 0
    found = json.loads(out)  # the whole of stdout
    assert found["state"] == "TX" and found["notice"] == policy.NOTICE
    assert found["as_of"] == "as researched on December 6, 2026"
    assert len(found["flags"]) == 4 and found["flags"][0]["rule"] == "tx-gov-795"
    assert found["rules"][0]["url"].startswith("https://statutes.capitol.texas.gov/")


def test_desk_policy_says_it_is_no_legal_advice_once(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.sqlite"
    code = main(["--db", str(path), "policy", "--state", "FL", "--date", "2026-12-06"])
    out, _ = capsys.readouterr()
    assert code == 0 and out.count(policy.NOTICE) == 1
    assert out.startswith("Policy rules for Florida, as researched on December 6, 2026.\n")
    assert "Renewal on 3/28/2027 needs review by your city attorney" in out
    assert "Fla. Stat. § 286.101: Foreign gifts to a political subdivision" in out
    code = main(["--db", str(path), "policy", "--state", "XY"])
    _, err = capsys.readouterr()
    assert code != 0 and "'XY' is not a U.S. state" in err
