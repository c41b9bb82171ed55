"""What a visit cost: every cost in U.S. dollars at the rate the office recorded with it,
rounded once, a cost with no rate said apart and never guessed at, against the budget;
and the command, the documents and the demo that say it."""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from desk.cli.main import main
from desk.core.domain.kinds import KINDS
from desk.core.domain.types.cleaning import LARGEST_NUMBER
from desk.core.domain.validate import clean
from desk.core.errors import ValidationError
from desk.core.features import costs
from desk.core.store import records
from desk.core.store.db import Database
from tests.reports.conftest import pdftotext

RATE = KINDS["cost"].field_map["usd_rate"]


def _visit(db: Database, title: str = "Mission to Matsue", **more: Any) -> int:
    values = {"title": title, "direction": "outgoing", "start_date": "2026-03-02", **more}
    made = records.create(db, "visit", values).id
    assert made is not None
    return made


def _cost(db: Database, visit: int, amount: str, currency: str = "USD", **more: Any) -> int:
    """A cost as a person types it: the amount in its currency's units, not minor units."""
    values = {"visit_id": visit, "amount_minor": amount, "currency": currency, **more}
    values.setdefault("description", f"{amount} {currency}")
    made = records.create(db, "cost", values).id
    assert made is not None
    return made


def _half_up(exact: Fraction) -> int:
    """A non-negative fraction of a cent to whole cents, half up: worked out apart from
    the module's decimals."""
    return int((exact * 2 + 1) // 2)


# -- the rate: a positive decimal, kept exactly ----------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0.0067", "0.0067"),
        (" 0.00670 ", "0.0067"),
        ("1.08", "1.08"),
        ("1e-3", "0.001"),
        ("3.2615", "3.2615"),
        (0.0067, "0.0067"),  # a spreadsheet's number
        (2, "2"),
        ("1000000", "1000000"),
        ("0.000000000001", "0.000000000001"),
    ],
)
def test_a_rate_is_kept_exactly_as_a_decimal(typed: Any, stored: str) -> None:
    assert clean(RATE, typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["abc", "-3", "0", "0.0", "1,08", "0,0067", "NaN", "Infinity", "1000001", "1e-13", True],
)
def test_a_rate_that_is_not_a_positive_decimal_is_refused(typed: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        clean(RATE, typed)
    assert caught.value.field == "usd_rate"
    assert "U.S. dollars per unit" in str(caught.value)


def test_a_cost_with_a_bad_rate_is_refused_on_the_command_line(
    db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visit = _visit(db)
    code = main(
        [
            "--db",
            str(db_path),
            "add",
            "cost",
            f"visit_id={visit}",
            "amount_minor=1250",
            "currency=EUR",
            "usd_rate=1,08",
            "description=Hotel",
        ]
    )
    assert code != 0
    assert "decimal point" in capsys.readouterr().err
    assert db.execute("SELECT count(*) FROM costs").fetchone()[0] == 0
    assert (
        main(
            [
                "--db",
                str(db_path),
                "add",
                "cost",
                f"visit_id={visit}",
                "amount_minor=12.50",
                "currency=EUR",
                "usd_rate=1.08",
                "rate_on=3/1/2026",
                "description=Taxi",
            ]
        )
        == 0
    )
    row = db.execute("SELECT amount_minor, usd_rate, rate_on FROM costs").fetchone()
    assert tuple(row) == (1250, "1.08", "2026-03-01")


# -- totals ------------------------------------------------------------------------------


def test_five_currencies_add_up_in_dollars_at_each_recorded_rate(db: Database) -> None:
    visit = _visit(db)
    _cost(db, visit, "1250.00", category="airfare", status="actual")
    _cost(db, visit, "250000", "JPY", usd_rate="0.0067", rate_on="2026-02-01", category="lodging")
    _cost(db, visit, "12.345", "KWD", usd_rate="3.2615", rate_on="2026-02-01", category="meals")
    _cost(db, visit, "99.50", "EUR", usd_rate="1.08", rate_on="2026-02-03", paid_by="partner")
    _cost(
        db,
        visit,
        "3000",
        "MXN",
        usd_rate="0.055",
        rate_on="2026-02-03",
        paid_by="sponsor",
        sponsor="Port Meridian Chamber of Commerce",
        category="venue",
    )
    found = costs.of_visit(db, visit)
    # 125,000 + 167,500 + 4,026.32175 + 10,746 + 16,500 cents
    exact = (
        Decimal("1250")
        + Decimal(250000) * Decimal("0.0067")
        + Decimal("12.345") * Decimal("3.2615")
        + Decimal("99.50") * Decimal("1.08")
        + Decimal(3000) * Decimal("0.055")
    )
    assert found.total_cents == int((exact * 100).to_integral_value(ROUND_HALF_UP)) == 323772
    assert costs.dollars(323772) == "$3,237.72"
    assert {p.key: p.cents for p in found.by_payer} == {
        "city": 125000 + 167500 + 4026,
        "partner": 10746,
        "sponsor": 16500,
    }
    assert [(p.label, p.cents) for p in found.by_sponsor] == [
        ("Port Meridian Chamber of Commerce", 16500)
    ]
    assert {p.key: p.cents for p in found.by_status} == {"actual": 125000, "estimate": 198772}
    assert [p.key for p in found.by_category] == ["airfare", "lodging", "meals", "venue", "other"]
    for parts in (found.by_category, found.by_payer, found.by_status):
        assert sum(p.cents for p in parts) == found.total_cents
    assert found.apart == () and found.undated == 0
    assert [(r.currency, f"{r.rate}", r.rate_on) for r in found.rates] == [
        ("EUR", "1.08", "2026-02-03"),
        ("JPY", "0.0067", "2026-02-01"),
        ("KWD", "3.2615", "2026-02-01"),
        ("MXN", "0.055", "2026-02-03"),
    ]


def test_zero_and_three_decimal_currencies_keep_their_own_places(db: Database) -> None:
    visit = _visit(db)
    yen = _cost(db, visit, "1500", "JPY", usd_rate="0.0067", rate_on="2026-02-01")
    dinar = _cost(db, visit, "1.005", "KWD", usd_rate="3.26", rate_on="2026-02-01")
    assert records.get(db, "cost", yen)["amount_minor"] == 1500  # no hundredths of a yen
    assert records.get(db, "cost", dinar)["amount_minor"] == 1005  # fils: thousandths
    with pytest.raises(ValidationError, match="decimal places"):
        _cost(db, visit, "1500.5", "JPY", usd_rate="0.0067")
    with pytest.raises(ValidationError, match="decimal places"):
        _cost(db, visit, "1.0005", "KWD", usd_rate="3.26")
    found = costs.of_visit(db, visit)
    # $10.05 + $3.2763 = $13.3263
    assert found.total_cents == 1333
    shown = costs.as_json(found)
    amounts = {line["amount"]["currency"]: line["amount"] for line in shown["lines"]}
    assert amounts["JPY"]["text"] == "1,500 JPY" and amounts["JPY"]["amount"] == "1500"
    assert amounts["KWD"]["text"] == "1.005 KWD" and amounts["KWD"]["amount"] == "1.005"


def test_a_total_is_rounded_once_from_the_exact_sum(db: Database) -> None:
    visit = _visit(db)
    for _ in range(3):
        _cost(db, visit, "1", "JPY", usd_rate="0.0067", rate_on="2026-02-01")
    found = costs.of_visit(db, visit)
    # 3 x $0.0067 = $0.0201: two cents. Rounding each line first would say three.
    assert found.total_cents == 2
    assert sum(line["usd"]["minor"] for line in costs.as_json(found)["lines"]) == 3
    # Half a cent goes up, once.
    other = _visit(db, "Mission to Kobe")
    _cost(db, other, "1", "JPY", usd_rate="0.005", rate_on="2026-02-01")
    assert costs.of_visit(db, other).total_cents == 1


def test_the_parts_of_a_breakdown_add_up_to_the_total(db: Database) -> None:
    """Random amounts, currencies, rates and categories: every part within a cent of its
    exact value, and the parts summing to the total rounded once."""
    rng = random.Random(7)
    visit = _visit(db)
    currencies = {"USD": 2, "JPY": 0, "KWD": 3, "EUR": 2, "KRW": 0}
    exact: dict[str, Fraction] = {}
    for _ in range(60):
        currency = rng.choice(list(currencies))
        places = currencies[currency]
        minor = rng.randrange(1, 10**7)
        rate = "1" if currency == "USD" else f"{rng.randrange(1, 10**6)}e-{rng.randrange(3, 9)}"
        category = rng.choice(["airfare", "lodging", "meals", "ground"])
        _cost(
            db,
            visit,
            f"{Decimal(minor).scaleb(-places)}",
            currency,
            usd_rate=None if currency == "USD" else rate,
            rate_on="2026-02-01",
            category=category,
        )
        value = Fraction(minor, 10**places) * Fraction(Decimal(rate)) * 100
        exact[category] = exact.get(category, Fraction(0)) + value
    found = costs.of_visit(db, visit)
    assert found.total_cents == _half_up(sum(exact.values(), Fraction(0)))
    parts = {p.key: p.cents for p in found.by_category}
    assert sum(parts.values()) == found.total_cents
    for key, cents in parts.items():
        assert abs(cents - exact[key]) < 1


def test_huge_amounts_stay_exact(db: Database) -> None:
    visit = _visit(db)
    largest = f"{Decimal(LARGEST_NUMBER).scaleb(-3)}"  # a trillion dinars, to the fils
    for _ in range(3):
        _cost(db, visit, largest, "KWD", usd_rate="999999.999999999999", rate_on="2026-02-01")
    _cost(db, visit, f"{Decimal(LARGEST_NUMBER).scaleb(-2)}")
    found = costs.of_visit(db, visit)
    expected = 3 * Fraction(LARGEST_NUMBER, 1000) * Fraction(Decimal("999999.999999999999"))
    # Worked out with fractions: no float, and no 28-digit context, in the way.
    assert found.total_cents == _half_up(expected * 100 + LARGEST_NUMBER)
    assert found.total_cents is not None and found.total_cents > 10**20
    # Three trillion dinars at a million dollars less a trillionth, and ten trillion dollars.
    assert costs.dollars(found.total_cents) == "$3,000,009,999,999,999,997.00"
    assert "$" in costs.in_brief(found)
    assert json.loads(json.dumps(costs.as_json(found)))["total_usd"]["minor"] == found.total_cents


# -- a cost with no rate: said, never guessed ---------------------------------------------


def test_a_currency_without_a_rate_is_counted_apart_and_said(db: Database) -> None:
    visit = _visit(db)
    _cost(db, visit, "100.00")
    _cost(db, visit, "500000", "VND", description="Tea ceremony")
    _cost(db, visit, "250000", "VND", paid_by="partner")
    # No rate recorded for euros on this one, though another cost has one.
    _cost(db, visit, "20.00", "EUR")
    _cost(db, visit, "10.00", "EUR", usd_rate="1.08", rate_on="2026-02-01")
    found = costs.of_visit(db, visit)
    assert found.total_cents == 10000 + 1080  # never 20 EUR at the other cost's rate
    assert [(a.currency, a.minor, a.costs) for a in found.apart] == [
        ("EUR", 2000, 1),
        ("VND", 750000, 2),
    ]
    said = costs.in_brief(found, "the mission")
    assert said == (
        "$111 for the mission (estimated; also 20.00 EUR and 750,000 VND with no rate recorded)"
    )
    only_apart = _visit(db, "Delegation from Da Nang")
    _cost(db, only_apart, "500000", "VND")
    nothing = costs.of_visit(db, only_apart)
    assert nothing.total_cents is None  # not $0
    assert costs.in_brief(nothing) == "500,000 VND with no rate recorded"
    assert costs.as_json(nothing)["total_usd"] is None


def test_a_rate_stored_before_rates_were_checked_is_not_read_as_a_number(db: Database) -> None:
    visit = _visit(db)
    made = _cost(db, visit, "1000", "JPY", usd_rate="0.0067")
    db.execute("UPDATE costs SET usd_rate = '0,0067' WHERE id = ?", (made,))
    found = costs.of_visit(db, visit)
    assert found.total_cents is None and found.unreadable == 1
    assert found.apart[0].currency == "JPY"
    line = costs.as_json(found)["lines"][0]
    assert line["rate_as_stored"] == "0,0067" and line["usd"] is None


def test_a_rate_without_its_date_is_used_and_said(db: Database) -> None:
    visit = _visit(db)
    _cost(db, visit, "1000", "JPY", usd_rate="0.0067")
    found = costs.of_visit(db, visit)
    assert found.total_cents == 670 and found.undated == 1
    assert found.rates[0].text() == "0.0067 USD per JPY, no date recorded"


# -- the budget --------------------------------------------------------------------------


def test_a_budget_over_and_under(db: Database) -> None:
    under = _visit(db, budget_minor="5000", budget_currency="USD")
    _cost(db, under, "3000.00")
    _cost(db, under, "2500.00", paid_by="partner")  # not from the city's budget
    budget = costs.of_visit(db, under).budget
    assert budget is not None
    assert (budget.cents, budget.spent_cents, budget.left_cents) == (500000, 300000, 200000)
    assert budget.standing == "under"
    assert costs.budget_text(budget) == (
        "$5,000.00: the city's share of the costs, $3,000.00, is $2,000.00 under it."
    )
    over = _visit(db, "Mission to Kobe", budget_minor="5000", budget_currency="USD")
    _cost(db, over, "5000.00")
    _cost(db, over, "1", "JPY", usd_rate="0.0067", rate_on="2026-02-01")
    _cost(db, over, "300000", "VND")  # the city's, with no rate
    budget = costs.of_visit(db, over).budget
    assert budget is not None and budget.standing == "over" and budget.left_cents == -1
    assert costs.budget_text(budget) == (
        "$5,000.00: the city's share of the costs, $5,000.01, is $0.01 over it, not counting "
        "1 cost of the city's with no rate recorded."
    )
    exact = _visit(db, "Mission to Lyon", budget_minor="10", budget_currency="USD")
    _cost(db, exact, "10")
    budget = costs.of_visit(db, exact).budget
    assert budget is not None and budget.standing == "on"


def test_a_budget_in_another_currency_uses_the_rate_recorded_on_the_visit(db: Database) -> None:
    visit = _visit(db, budget_minor="2000000", budget_currency="JPY")
    _cost(db, visit, "1000000", "JPY", usd_rate="0.0066", rate_on="2026-01-05")
    _cost(db, visit, "500000", "JPY", usd_rate="0.0067", rate_on="2026-02-01")
    budget = costs.of_visit(db, visit).budget
    assert budget is not None and budget.rate is not None
    assert (f"{budget.rate.rate}", budget.rate.rate_on) == ("0.0067", "2026-02-01")  # latest
    assert budget.cents == 1340000 and budget.spent_cents == 660000 + 335000
    assert costs.budget_text(budget).startswith(
        "2,000,000 JPY ($13,400.00 at 0.0067 USD per JPY as of 2/1/2026):"
    )
    unknown = _visit(db, "Mission to Seoul", budget_minor="1000000", budget_currency="KRW")
    _cost(db, unknown, "100.00")
    budget = costs.of_visit(db, unknown).budget
    assert budget is not None and budget.cents is None and budget.standing == "not compared"
    assert "not compared" in costs.budget_text(budget)


# -- a visit with no costs ---------------------------------------------------------------


def test_a_visit_with_no_costs_says_nothing(db: Database) -> None:
    visit = _visit(db)
    found = costs.of_visit(db, visit)
    assert found.empty and found.total_cents is None
    assert costs.in_brief(found, "the mission") == ""
    assert costs.of_visits(db, [visit]) == {}
    assert costs.in_brief(costs.together([found, found])) == ""


def test_several_visits_together_are_rounded_once(db: Database) -> None:
    first, second = _visit(db), _visit(db, "Mission to Kobe")
    _cost(db, first, "1", "JPY", usd_rate="0.0067", rate_on="2026-02-01")
    _cost(db, second, "1", "JPY", usd_rate="0.0067", rate_on="2026-02-01")
    each = costs.of_visits(db, [first, second])
    assert [c.total_cents for c in each.values()] == [1, 1]
    assert costs.together(each.values()).total_cents == 1  # $0.0134, not 1 + 1


# -- the command ---------------------------------------------------------------------------


def _matsue(db: Database) -> int:
    visit = _visit(db, budget_minor="3000", budget_currency="USD")
    _cost(db, visit, "1800.00", category="airfare", status="actual")
    _cost(db, visit, "90000", "JPY", usd_rate="0.0067", rate_on="2026-02-01", category="lodging")
    _cost(db, visit, "40000", "JPY", usd_rate="0.0067", rate_on="2026-02-01", paid_by="partner")
    _cost(db, visit, "2000000", "VND", category="gifts")
    return visit


def test_costs_json_is_json_only(
    db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visit = _matsue(db)
    capsys.readouterr()
    assert main(["--db", str(db_path), "costs", "Mission to Matsue", "--json"]) == 0
    out = capsys.readouterr().out
    found = json.loads(out)  # the whole of it, and nothing else
    assert found["visit"]["id"] == visit
    assert found["total_usd"] == {
        "minor": 180000 + 60300 + 26800,
        "currency": "USD",
        "amount": "2671.00",
        "text": "$2,671.00",
    }
    assert found["without_rate"] == [
        {
            "currency": "VND",
            "costs": 1,
            "amount": {
                "minor": 2000000,
                "currency": "VND",
                "amount": "2000000",
                "text": "2,000,000 VND",
            },
        }
    ]
    assert found["budget"]["standing"] == "under"
    assert found["budget"]["left_usd"]["minor"] == 300000 - 180000 - 60300
    assert found["rates"] == [
        {"currency": "JPY", "usd_per_unit": "0.0067", "as_of": "2026-02-01", "costs": 2}
    ]


def test_costs_in_words(db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _matsue(db)
    empty = _visit(db, "Delegation from Kobe", direction="incoming")
    capsys.readouterr()
    assert main(["--db", str(db_path), "costs", "Mission to Matsue"]) == 0
    out = capsys.readouterr().out
    assert "In all: $2,671.00 in U.S. dollars, from 3 costs." in out
    assert "Not in the total: 1 cost in VND, 2,000,000 VND, with no rate recorded." in out
    assert "0.0067 USD per JPY as of 2/1/2026 (2 costs)" in out
    assert "is $597.00 under it" in out
    assert main(["--db", str(db_path), "costs", str(empty)]) == 0
    assert "No costs are recorded for this visit." in capsys.readouterr().out
    assert main(["--db", str(db_path), "costs", "Nowhere"]) != 0


# -- the declaration: listed, searched, imported, dumped -----------------------------------


def test_costs_are_imported_from_a_sheet(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _visit(db)
    sheet = tmp_path / "costs.csv"
    sheet.write_text(
        "Visit,Category,What,Amount,Currency,Paid by,Estimate or actual,Rate,Rate as of\n"
        "Mission to Matsue,Lodging,Hotel,480.00,EUR,The city,Actual,1.08,2/1/2026\n"
        "Mission to Matsue,Airfare,Tickets,1250.00,USD,City,Estimate,,\n",
        encoding="utf-8",
    )
    assert main(["--db", str(db_path), "import", "costs", str(sheet)]) == 0
    rows = db.execute(
        "SELECT description, amount_minor, currency, usd_rate, rate_on, status FROM costs "
        "ORDER BY id"
    ).fetchall()
    assert [tuple(r) for r in rows] == [
        ("Hotel", 48000, "EUR", "1.08", "2026-02-01", "actual"),
        ("Tickets", 125000, "USD", None, None, "estimate"),
    ]
    capsys.readouterr()
    assert main(["--db", str(db_path), "search", "Tickets", "--json"]) == 0
    assert any(hit["kind"] == "cost" for hit in json.loads(capsys.readouterr().out))


def test_an_amount_in_yen_is_imported_as_yen(db: Database, db_path: Path, tmp_path: Path) -> None:
    _visit(db)
    sheet = tmp_path / "costs.csv"
    sheet.write_text(
        "Visit,What,Amount,Currency,Rate\nMission to Matsue,Dinner,30000,JPY,0.0067\n",
        encoding="utf-8",
    )
    assert main(["--db", str(db_path), "import", "costs", str(sheet)]) == 0
    assert db.execute("SELECT amount_minor FROM costs").fetchone()[0] == 30000


# -- the documents: cost beside what a visit brought, and nothing where none is recorded ---


def _partnership(db: Database) -> int:
    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    made = records.create(
        db,
        "partnership",
        {"partner_name": "Matsue", "kind": "sister_city", "country": "JP", "status": "active"},
    ).id
    assert made is not None
    return made


def test_the_dossier_sets_each_visits_cost_beside_what_it_brought(
    db: Database, tmp_path: Path
) -> None:
    from desk.reports.dossier.document import build_dossier

    pid = _partnership(db)
    mission = _visit(
        db,
        partnership_id=pid,
        status="completed",
        purpose="Open a trade office.",
        budget_minor="20000",
        budget_currency="USD",
    )
    _cost(db, mission, "12000.00", status="actual")
    _cost(db, mission, "900000", "JPY", usd_rate="0.0067", rate_on="2026-02-01", paid_by="partner")
    records.create(
        db,
        "outcome",
        {
            "visit_id": mission,
            "measure": "investment",
            "value_minor": "23000000",
            "currency": "USD",
            "year": 2026,
        },
    )
    _visit(
        db,
        "Delegation from Matsue",
        direction="incoming",
        partnership_id=pid,
        status="completed",
        purpose="See the port.",
    )
    out = tmp_path / "dossier.pdf"
    build_dossier(db, pid, out)
    text = " ".join(pdftotext(out).split())
    said = "$18,030 (the city paid $12,000; $6,030 of it estimated)"
    assert f"In all, its visits cost {said}." in text
    assert f"Cost {said}" in text
    assert "Budget $20,000: the city's share of the costs, $12,000, is $8,000 under it." in text
    assert "Brought Investment committed $23,000,000.00" in text
    # The delegation has no cost recorded: nothing is said of one, and no "$0".
    delegation = text[text.index("Delegation from Matsue (") :]
    assert "Cost" not in delegation.split("Outcomes")[0]
    assert "$0" not in text


def test_the_dossier_of_visits_without_costs_says_nothing_of_cost(
    db: Database, tmp_path: Path
) -> None:
    from desk.reports.dossier.document import build_dossier

    pid = _partnership(db)
    _visit(db, partnership_id=pid, status="completed", purpose="Open a trade office.")
    out = tmp_path / "dossier.pdf"
    build_dossier(db, pid, out)
    text = pdftotext(out)
    assert "cost" not in text.lower().replace("what it cost and", "")
    assert "$0" not in text


def test_the_annual_report_sets_a_years_cost_beside_its_outcomes(
    db: Database, tmp_path: Path
) -> None:
    from desk.reports.annual.data import gather
    from desk.reports.annual.document import build_annual, headline

    pid = _partnership(db)
    mission = _visit(db, partnership_id=pid, status="completed", start_date="2026-03-02")
    _cost(db, mission, "18400.00", status="actual")
    records.create(
        db,
        "outcome",
        {
            "visit_id": mission,
            "measure": "investment",
            "value_minor": "23000000",
            "currency": "USD",
            "year": 2026,
        },
    )
    held = _visit(
        db,
        "Delegation from Matsue",
        direction="incoming",
        status="completed",
        start_date="2026-05-02",
    )
    _cost(db, held, "60000", "XOF")
    out = tmp_path / "annual.pdf"
    build_annual(db, 2026, out, today=dt.date(2027, 2, 1))
    text = " ".join(pdftotext(out).split())
    # The front page's figures, a row of figures over a row of words: the cost first.
    assert "$18,400 $23 million cost of the visits held (1 cost with no rate left out)" in text
    assert "$18,400 for the mission; Investment committed $23 million" in text
    assert "60,000 XOF with no rate recorded for the visit" in text
    assert "Beside them, what the visits held in 2026 cost: $18,400 (also 60,000 XOF" in text
    # Without the costs read (the report's own gather alone), no cost is claimed.
    assert all("cost" not in what for _figure, what in headline(gather(db, 2026)))


def test_a_year_without_costs_prints_no_cost(db: Database, tmp_path: Path) -> None:
    from desk.reports.annual.document import build_annual

    pid = _partnership(db)
    _visit(db, partnership_id=pid, status="completed", start_date="2026-03-02")
    out = tmp_path / "annual.pdf"
    build_annual(db, 2026, out, today=dt.date(2027, 2, 1))
    text = " ".join(pdftotext(out).split())
    assert "cost of the visits" not in text and "$0" not in text
    assert "Beside them" not in text


def test_the_figures_add_up_the_visits_held_in_the_span(db: Database) -> None:
    from desk.reports import figures

    held = _visit(db, status="completed", start_date="2025-03-02")
    _cost(db, held, "100.00")
    called_off = _visit(db, "Mission to Kobe", status="cancelled", start_date="2025-04-02")
    _cost(db, called_off, "50.00")
    later = _visit(db, "Mission to Lyon", status="planned", start_date="2026-04-02")
    _cost(db, later, "70.00")
    found = figures.read_all(db, 2025, 2026, today=dt.date(2026, 1, 10))
    assert found.costs.total_cents == 10000


# -- the demo ------------------------------------------------------------------------------


def test_the_demo_costs_are_realistic(db: Database) -> None:
    from desk.core.demo import _Builder
    from desk.core.demo.costs import RATES

    builder = _Builder(db, 250, dt.date(2026, 11, 23))
    builder.build()
    builder.write(None)
    rows = [dict(r) for r in db.query("SELECT * FROM costs")]
    currencies = {r["currency"] for r in rows}
    assert len(currencies) >= 5 and {"USD", "JPY", "EUR"} <= currencies
    for row in rows:
        if row["currency"] in RATES:
            assert row["usd_rate"] == RATES[row["currency"]] and row["rate_on"]
        elif row["currency"] != "USD":
            assert row["usd_rate"] is None  # said apart, never guessed
    assert {"city", "partner", "sponsor"} <= {r["paid_by"] for r in rows}
    assert {"estimate", "actual"} <= {r["status"] for r in rows}
    per_visit = costs.of_visits(db, [v for (v,) in db.execute("SELECT id FROM visits")])
    standings = {c.budget.standing for c in per_visit.values() if c.budget is not None}
    assert {"over", "under"} <= standings
    assert any(c.apart for c in per_visit.values())
    # Every value is one desk itself would store.
    for row in rows[:40]:
        values = {k: row[k] for k in KINDS["cost"].field_map if row[k] is not None}
        for name, value in values.items():
            if name != "visit_id":
                spec = KINDS["cost"].field_map[name]
                assert clean(spec, value, values) == value, name
