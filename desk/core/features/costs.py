"""What a visit cost: each cost in U.S. dollars at the rate the office recorded for it,
with that rate's date, added up by category, by who paid, estimate against actual, and
set against the visit's budget. The first question a council or a reporter asks about a
trip is what it cost; this is the one answer every surface gives.

Qt-free. A rate is the office's own (a cost's `usd_rate`: U.S. dollars for one unit of
its currency, as of `rate_on`), never looked up. A cost in another currency with no rate
is in no total in dollars: it is counted apart, in its own currency, and said.

Amounts stay exact (integer minor units in, `Decimal` within) until a figure is shown.
Each total is rounded to the cent once, from its exact sum, never from rounded lines; the
parts of a breakdown are rounded so that they add up to their total (the largest
remainders take the odd cents), each within a cent of its exact value.
"""

from __future__ import annotations

import decimal
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from desk.core.domain import money
from desk.core.domain.dates import short_date, stored_date
from desk.core.domain.vocab import COST_CATEGORIES, COST_STATUSES, PAYERS, label
from desk.core.domain.words import counted
from desk.core.store.db import Database

USD = "USD"
CENTS = 2  # U.S. dollars' decimal places

# Wide enough that no sum of amounts desk keeps (each under 10**15 minor units) times a
# rate (at most 10**6, to 12 places) is ever rounded; an inexact step raises instead.
_EXACT = decimal.Context(prec=120, traps=[decimal.Inexact, decimal.InvalidOperation])


@dataclass(frozen=True)
class Cost:
    """One cost as recorded, with its rate read."""

    id: int
    visit_id: int
    category: str
    description: str
    amount_minor: int
    currency: str
    paid_by: str
    sponsor: str
    status: str
    incurred_on: str | None
    # U.S. dollars for one unit: 1 for dollars; None where none is recorded or the one
    # stored cannot be read (`rate_text` keeps it as stored).
    rate: Decimal | None
    rate_on: str | None
    rate_text: str | None = None

    @property
    def dollars(self) -> Decimal | None:
        """The amount in U.S. dollars, exactly; None without a rate."""
        if self.rate is None:
            return None
        return _EXACT.multiply(money.amount(self.amount_minor, self.currency), self.rate)

    @property
    def unreadable_rate(self) -> bool:
        return self.rate is None and bool(self.rate_text)


@dataclass(frozen=True)
class Part:
    """One part of a breakdown: a category, a payer, estimate or actual, a sponsor."""

    key: str
    label: str
    cents: int
    costs: int


@dataclass(frozen=True)
class Apart:
    """Costs in one currency that have no rate: in no total in dollars."""

    currency: str
    minor: int
    costs: int

    def text(self) -> str:
        return money.text(self.minor, self.currency)


@dataclass(frozen=True)
class RateUsed:
    currency: str
    rate: Decimal
    rate_on: str | None
    costs: int

    def text(self) -> str:
        """'0.0067 USD per JPY as of 12/1/2026', or '..., no date recorded'."""
        when = f" as of {_day(self.rate_on)}" if self.rate_on else ", no date recorded"
        return f"{self.rate:f} USD per {self.currency}{when}"


@dataclass(frozen=True)
class Budget:
    """A visit's budget against what the city paid of its costs (a partner's or a
    sponsor's share is not spent from it)."""

    minor: int
    currency: str
    # The budget in cents of a dollar; None when it is in a currency no cost of the visit
    # has a rate for (then it is not compared, and says so).
    cents: int | None
    rate: RateUsed | None  # the rate it was put in dollars at (None for dollars)
    spent_cents: int  # the city's share of the costs counted in dollars
    city_apart: int  # the city's costs with no rate, not in `spent_cents`

    def text(self) -> str:
        return money.text(self.minor, self.currency)

    @property
    def left_cents(self) -> int | None:
        """What is left of it (below zero: how far over); None when not compared."""
        return None if self.cents is None else self.cents - self.spent_cents

    @property
    def standing(self) -> str:
        """'under', 'over', 'on' or 'not compared'."""
        left = self.left_cents
        if left is None:
            return "not compared"
        return "under" if left > 0 else ("over" if left < 0 else "on")


@dataclass(frozen=True)
class Costs:
    """A set of costs (one visit's, or several visits' together) and what they add up to."""

    costs: tuple[Cost, ...] = ()
    budget: Budget | None = None  # one visit's only

    @property
    def empty(self) -> bool:
        return not self.costs

    @property
    def counted(self) -> tuple[Cost, ...]:
        """The costs in the totals in dollars: those with a rate (or in dollars)."""
        return tuple(c for c in self.costs if c.rate is not None)

    @property
    def total_cents(self) -> int | None:
        """Every cost with a rate, in cents, rounded once; None when none has one (a
        visit with no cost in dollars did not cost $0)."""
        counted_ = self.counted
        if not counted_:
            return None
        return _cents(_sum(c.dollars for c in counted_))

    def _parts(
        self, key: Callable[[Cost], str], names: Callable[[str], str], order: Iterable[str] = ()
    ) -> tuple[Part, ...]:
        groups: dict[str, list[Cost]] = {code: [] for code in order}
        for cost in self.counted:
            groups.setdefault(key(cost), []).append(cost)
        groups = {code: found for code, found in groups.items() if found}
        shares = _shares({code: _sum(c.dollars for c in found) for code, found in groups.items()})
        return tuple(
            Part(code, names(code), shares[code], len(found)) for code, found in groups.items()
        )

    @property
    def by_category(self) -> tuple[Part, ...]:
        return self._parts(
            lambda c: c.category, lambda k: label(COST_CATEGORIES, k), COST_CATEGORIES
        )

    @property
    def by_payer(self) -> tuple[Part, ...]:
        """The city, the partner, a sponsor, the participant: who paid how much."""
        return self._parts(lambda c: c.paid_by, lambda k: label(PAYERS, k), PAYERS)

    @property
    def by_status(self) -> tuple[Part, ...]:
        """Actual, then estimate."""
        return self._parts(
            lambda c: c.status, lambda k: label(COST_STATUSES, k), ("actual", "estimate")
        )

    @property
    def by_sponsor(self) -> tuple[Part, ...]:
        """What each named sponsor paid (of the costs a sponsor paid)."""
        sponsored = Costs(tuple(c for c in self.costs if c.paid_by == "sponsor"))
        return sponsored._parts(lambda c: c.sponsor or "", lambda k: k or "A sponsor not named")

    def paid_by(self, payer: str) -> int:
        """Cents of the counted costs this payer paid (0 when none)."""
        return next((p.cents for p in self.by_payer if p.key == payer), 0)

    def status_cents(self, status: str) -> int:
        return next((p.cents for p in self.by_status if p.key == status), 0)

    @property
    def apart(self) -> tuple[Apart, ...]:
        """Costs with no rate, added up in each currency: said, never guessed at."""
        found: dict[str, list[Cost]] = {}
        for cost in self.costs:
            if cost.rate is None:
                found.setdefault(cost.currency, []).append(cost)
        return tuple(
            Apart(code, sum(c.amount_minor for c in found[code]), len(found[code]))
            for code in sorted(found)
        )

    @property
    def rates(self) -> tuple[RateUsed, ...]:
        """Each rate the totals used (dollars need none), by currency, latest first."""
        found: dict[tuple[str, Decimal, str | None], int] = {}
        for cost in self.counted:
            if cost.currency != USD:
                assert cost.rate is not None
                key = (cost.currency, cost.rate, cost.rate_on)
                found[key] = found.get(key, 0) + 1
        # By currency; within one, the latest rate first.
        ordered = sorted(found, key=lambda k: k[2] or "", reverse=True)
        ordered.sort(key=lambda k: k[0])
        return tuple(
            RateUsed(code, rate, on, found[(code, rate, on)]) for code, rate, on in ordered
        )

    @property
    def undated(self) -> int:
        """Costs counted at a rate that has no date recorded."""
        return sum(1 for c in self.counted if c.currency != USD and not c.rate_on)

    @property
    def unreadable(self) -> int:
        """Costs whose stored rate cannot be read (kept before rates were checked)."""
        return sum(1 for c in self.costs if c.unreadable_rate)


def of_visit(db: Database, visit_id: int) -> Costs:
    """One visit's costs and its budget (empty when it has neither)."""
    return of_visits(db, [visit_id]).get(visit_id, Costs())


def of_visits(db: Database, visit_ids: Iterable[int]) -> dict[int, Costs]:
    """Visit id -> its costs and budget, for the visits given that have either: one
    read, however many visits."""
    ids = json.dumps(sorted({int(v) for v in visit_ids}))
    lines: dict[int, list[Cost]] = {}
    for row in db.query(
        "SELECT * FROM costs WHERE visit_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY visit_id, incurred_on IS NULL, incurred_on, id",
        (ids,),
    ):
        lines.setdefault(row["visit_id"], []).append(_cost(row))
    budgets = {
        vid: (minor, currency or USD)
        for vid, minor, currency in db.execute(
            "SELECT id, budget_minor, budget_currency FROM visits "
            "WHERE budget_minor IS NOT NULL AND id IN (SELECT value FROM json_each(?))",
            (ids,),
        )
    }
    found = {}
    for vid in sorted(set(lines) | set(budgets)):
        costs = Costs(tuple(lines.get(vid, ())))
        if vid in budgets:
            costs = Costs(costs.costs, _budget(costs, *budgets[vid]))
        found[vid] = costs
    return found


def together(parts: Iterable[Costs]) -> Costs:
    """Several visits' costs as one set (budgets are each visit's own, and are left)."""
    return Costs(tuple(cost for part in parts for cost in part.costs))


def read_rate(stored: Any) -> Decimal | None:
    """A stored rate, or None when there is none or it cannot be read (one kept before
    rates were checked): such a cost is counted apart, never at a guessed rate."""
    if stored is None or isinstance(stored, bool):
        return None
    try:
        rate = Decimal(str(stored).strip())
    except decimal.InvalidOperation:
        return None
    if "," in str(stored) or not rate.is_finite() or rate <= 0:
        return None
    return rate


def _cost(row: Mapping[str, Any]) -> Cost:
    currency = str(row.get("currency") or USD).upper()
    stored = row.get("usd_rate")
    rate = Decimal(1) if currency == USD else read_rate(stored)
    return Cost(
        id=int(row["id"]),
        visit_id=int(row["visit_id"]),
        category=row.get("category") or "other",
        description=row.get("description") or "",
        amount_minor=int(row.get("amount_minor") or 0),
        currency=currency,
        paid_by=row.get("paid_by") or "city",
        sponsor=(row.get("sponsor") or "").strip(),
        status=row.get("status") or "estimate",
        incurred_on=row.get("incurred_on"),
        rate=rate,
        rate_on=None if currency == USD else row.get("rate_on"),
        rate_text=None if currency == USD or stored is None else str(stored),
    )


def _budget(costs: Costs, minor: int, currency: str) -> Budget:
    """The budget in dollars: as it is, or at the latest rate the office recorded for its
    currency on this visit's costs; with none, it is not compared."""
    currency = currency.upper()
    # The city's share as the breakdown by payer says it, so the two never differ by a cent.
    spent = costs.paid_by("city")
    city_apart = sum(1 for c in costs.costs if c.paid_by == "city" and c.rate is None)
    if currency == USD:
        return Budget(minor, currency, int(minor), None, spent, city_apart)
    recorded = [r for r in costs.rates if r.currency == currency]
    if not recorded:
        return Budget(minor, currency, None, None, spent, city_apart)
    rate = max(recorded, key=lambda r: (r.rate_on or "", r.costs))
    exact = _EXACT.multiply(money.amount(minor, currency), rate.rate)
    return Budget(minor, currency, _cents(exact), rate, spent, city_apart)


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    total = Decimal(0)
    for value in values:
        if value is not None:
            total = _EXACT.add(total, value)
    return total


def _cents(dollars: Decimal) -> int:
    """Dollars to whole cents: the one rounding, half a cent up."""
    return int(_EXACT.multiply(dollars, 100).to_integral_value(ROUND_HALF_UP))


def _shares(exact: Mapping[str, Decimal]) -> dict[str, int]:
    """Each part in cents, adding up to the whole rounded once: every part rounded down,
    then the cents left over to the parts with the largest remainders (the first of
    equal ones)."""
    hundredfold = {k: _EXACT.multiply(v, 100) for k, v in exact.items()}
    floors = {k: int(v.to_integral_value(ROUND_FLOOR)) for k, v in hundredfold.items()}
    left = _cents(_sum(exact.values())) - sum(floors.values())
    remainders = {k: _EXACT.subtract(v, floors[k]) for k, v in hundredfold.items()}
    # Largest first; a stable sort keeps equal ones in their order.
    by_remainder = sorted(remainders, key=lambda k: remainders[k], reverse=True)
    for k in by_remainder[:left]:
        floors[k] += 1
    return floors


def _day(stored: str | None) -> str:
    day = stored_date(stored)
    return short_date(day) if day else (stored or "")


# -- words -------------------------------------------------------------------------------


def dollars(cents: int) -> str:
    """'$18,432.17'."""
    return money.text(cents, USD)


def rounded(cents: int) -> str:
    """'$18,432', '$7.5 million': as a headline says it."""
    return money.short(cents, USD)


def in_brief(costs: Costs, what: str = "", *, say: Callable[[int], str] = rounded) -> str:
    """What a document prints of a set of costs, or nothing when there are none (a visit
    with no cost recorded did not cost $0):

    '$18,400 for the mission (the city paid $12,000; $3,000 of it estimated; also
    50,000 VND with no rate recorded)'."""
    if costs.empty:
        return ""
    total = costs.total_cents
    apart = " and ".join(a.text() for a in costs.apart)
    if total is None:
        return f"{apart} with no rate recorded" + (f" for {what}" if what else "")
    notes = []
    city = costs.paid_by("city")
    if city != total:
        notes.append(f"the city paid {say(city)}" if city else "the city paid none of it")
    estimated = costs.status_cents("estimate")
    if estimated and estimated == total:
        notes.append("estimated")
    elif estimated:
        notes.append(f"{say(estimated)} of it estimated")
    if apart:
        notes.append(f"also {apart} with no rate recorded")
    text = say(total) + (f" for {what}" if what else "")
    return text + (f" ({'; '.join(notes)})" if notes else "")


def budget_text(budget: Budget, *, say: Callable[[int], str] = dollars) -> str:
    """'$15,000.00: the city's share of the costs, $12,000.00, is $3,000.00 under it.'"""
    if budget.currency == USD:
        head = say(budget.minor)
    else:
        head = budget.text()
        if budget.rate is not None and budget.cents is not None:
            head += f" ({say(budget.cents)} at {budget.rate.text()})"
    if budget.cents is None:
        return (
            f"{head}: not compared, since no cost of the visit records a rate for "
            f"{budget.currency}."
        )
    spent = f"the city's share of the costs, {say(budget.spent_cents)},"
    left = budget.left_cents
    assert left is not None
    if left > 0:
        text = f"{head}: {spent} is {say(left)} under it"
    elif left < 0:
        text = f"{head}: {spent} is {say(-left)} over it"
    else:
        text = f"{head}: {spent} is exactly the budget"
    if budget.city_apart:
        text += (
            f", not counting {counted(budget.city_apart, 'cost')} of the city's "
            "with no rate recorded"
        )
    return text + "."


def _amount(minor: int | None, currency: str = USD) -> dict[str, Any] | None:
    """{'minor': 1843217, 'currency': 'USD', 'amount': '18432.17', 'text': '$18,432.17'}:
    exact figures as text, never a binary fraction."""
    if minor is None:
        return None
    return {
        "minor": minor,
        "currency": currency,
        "amount": f"{money.amount(minor, currency):f}",
        "text": money.text(minor, currency),
    }


def as_json(costs: Costs, visit: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Everything `desk costs VISIT --json` says: amounts in minor units and as exact
    text, rates as text."""

    def parts(found: tuple[Part, ...]) -> list[dict[str, Any]]:
        return [
            {"key": p.key, "label": p.label, "costs": p.costs, "usd": _amount(p.cents)}
            for p in found
        ]

    budget = costs.budget
    return {
        "visit": dict(visit) if visit is not None else None,
        "costs": len(costs.costs),
        "counted_in_usd": len(costs.counted),
        "total_usd": _amount(costs.total_cents),
        "by_status": parts(costs.by_status),
        "by_category": parts(costs.by_category),
        "by_payer": parts(costs.by_payer),
        "by_sponsor": parts(costs.by_sponsor),
        "without_rate": [
            {"currency": a.currency, "costs": a.costs, "amount": _amount(a.minor, a.currency)}
            for a in costs.apart
        ],
        "rates": [
            {
                "currency": r.currency,
                "usd_per_unit": f"{r.rate:f}",
                "as_of": r.rate_on,
                "costs": r.costs,
            }
            for r in costs.rates
        ],
        "rates_without_date": costs.undated,
        "rates_unreadable": costs.unreadable,
        "budget": None
        if budget is None
        else {
            "amount": _amount(budget.minor, budget.currency),
            "usd": _amount(budget.cents),
            "rate": None
            if budget.rate is None
            else {"usd_per_unit": f"{budget.rate.rate:f}", "as_of": budget.rate.rate_on},
            "city_share_usd": _amount(budget.spent_cents),
            "left_usd": _amount(budget.left_cents),
            "standing": budget.standing,
            "city_costs_without_rate": budget.city_apart,
        },
        "lines": [
            {
                "id": c.id,
                "category": c.category,
                "description": c.description,
                "amount": _amount(c.amount_minor, c.currency),
                "paid_by": c.paid_by,
                "sponsor": c.sponsor or None,
                "status": c.status,
                "incurred_on": c.incurred_on,
                "usd_per_unit": None if c.rate is None else f"{c.rate:f}",
                "rate_as_of": c.rate_on,
                "rate_as_stored": c.rate_text if c.unreadable_rate else None,
                # A line alone, rounded to the cent; the totals above are rounded from
                # the exact sums, not from these.
                "usd": None if c.dollars is None else _amount(_cents(c.dollars)),
            }
            for c in costs.costs
        ],
    }
