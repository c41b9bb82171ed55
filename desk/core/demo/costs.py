"""What the demo's visits cost, as an office records it: airfare and per diem in dollars,
hotels, meals, interpreters and cars abroad in the partner's currency at a rate the office
wrote down with its date, a partner's or a sponsor's share beside the city's, estimates
before a trip and actuals after it, and a budget for most. All figures are invented."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from desk.core.demo.base import BuilderBase
from desk.core.domain import money
from desk.core.reference.countries import currencies

# U.S. dollars for one unit, as a city's finance office would have noted them. West
# African CFA francs are missing on purpose: the partner reports its share in them, the
# office has no rate, and desk says so rather than guess one.
RATES = {
    "AED": "0.2723",
    "BRL": "0.18",
    "CNY": "0.138",
    "EGP": "0.0203",
    "EUR": "1.08",
    "JPY": "0.0067",
    "KRW": "0.00072",
    "MAD": "0.1",
    "MXN": "0.055",
    "RUB": "0.011",
    "TWD": "0.031",
    "UAH": "0.024",
    "VND": "0.000039",
}
# What the invented sums abroad are worked out at, CFA francs too (never recorded).
_MADE_AT = {**RATES, "XOF": "0.00165"}
# Round figures an invoice is written in: yen by the hundred, won by the thousand.
_STEP = {"JPY": 100, "KRW": 1000, "VND": 10000, "XOF": 1000}
SPONSORS = ("Port Meridian Sister Cities Association", "Port Meridian Chamber of Commerce")
_AIRFARE = {"JP": 1500, "CN": 1400, "KR": 1400, "TW": 1350, "VN": 1600, "MX": 650, "BR": 1300}


class CostsMixin(BuilderBase):
    def _costs(self) -> None:
        """Costs for every visit that happened or is planned (none for one declined),
        with budgets on most. A stream of its own, so the rest of the demo stays as it
        is whenever this runs."""
        rng = random.Random(f"costs-{self.scale}")
        ours: dict[int, int] = {}
        for row in self.rows["visit_participants"]:
            if row.get("side") == "ours":
                ours[row["visit_id"]] = ours.get(row["visit_id"], 0) + 1
        for visit in self.rows["visits"]:
            if visit["status"] in ("declined", "requested"):
                continue
            start = dt.date.fromisoformat(visit["start_date"])
            end = dt.date.fromisoformat(visit["end_date"])
            done = visit["status"] == "completed"
            lines = self._visit_costs(visit, start, end, ours.get(visit["id"], 2), done, rng)
            for values in lines:
                self.add("cost", visit_id=visit["id"], **values)
            city = sum(_usd(v) for v in lines if v["paid_by"] == "city")
            # Most visits get a budget before they happen, some of them too small.
            if city and visit["status"] != "cancelled" and rng.random() < 0.8:
                visit["budget_minor"] = int(round(city * rng.choice((0.85, 1.05, 1.1, 1.2)), -4))
                visit["budget_currency"] = "USD"

    def _visit_costs(
        self,
        visit: dict[str, Any],
        start: dt.date,
        end: dt.date,
        travelers: int,
        done: bool,
        rng: random.Random,
    ) -> list[dict[str, Any]]:
        status = "actual" if done else "estimate"
        nights = max(1, (end - start).days + 1)
        country = visit.get("country") or "US"
        local = (currencies(country) or ["USD"])[0]
        if local not in _MADE_AT:
            local = "USD"
        # The rate is written down when the trip is booked: a month ahead, or lately.
        rate_on = min(start - dt.timedelta(days=30), self.today - dt.timedelta(days=3))
        out: list[dict[str, Any]] = []

        def cost(category: str, what: str, amount: float, currency: str, **more: Any) -> None:
            step = _STEP.get(currency, 1)
            whole = max(step, round(amount / step) * step)
            minor = int(Decimal(whole).scaleb(money.places(currency)))
            rate = RATES.get(currency) if currency != "USD" else None
            out.append(
                {
                    "category": category,
                    "description": what,
                    "amount_minor": minor,
                    "currency": currency,
                    "paid_by": more.get("paid_by", "city"),
                    "sponsor": more.get("sponsor"),
                    "status": more.get("status", status),
                    "incurred_on": more.get("on", start).isoformat(),
                    "usd_rate": rate,
                    "rate_on": rate_on.isoformat() if rate else None,
                }
            )

        def abroad(dollars: float) -> float:
            """Dollars as a sum in the local currency, at the office's rate."""
            return dollars / float(_MADE_AT.get(local, "1")) if local in _MADE_AT else dollars

        if visit.get("mode") == "virtual":
            if visit["status"] == "cancelled":
                return out
            cost("interpretation", "Remote interpretation", rng.randrange(6, 14) * 100, "USD")
            return out
        if visit["direction"] == "outgoing":
            booked = start - dt.timedelta(days=45)
            fare = _AIRFARE.get(country, 1250) + rng.randrange(0, 900)
            cost(
                "airfare",
                f"Round-trip airfare, {travelers} travelers",
                fare * travelers,
                "USD",
                on=booked,
                status="actual",
            )
            if visit["status"] == "cancelled":
                return out  # the tickets were bought; nothing else was spent
            hotel = abroad(rng.randrange(160, 320))
            cost("lodging", f"Hotel, {nights} nights", hotel * nights * travelers, local)
            cost("meals", "Working meals", abroad(rng.randrange(60, 140)) * nights, local)
            cost(
                "ground",
                "Car and driver",
                abroad(rng.randrange(120, 260)) * nights,
                local,
                paid_by="partner",
            )
            cost("interpretation", "Interpreter", abroad(rng.randrange(400, 900)) * nights, local)
            cost("per_diem", "Per diem", 79 * nights * travelers, "USD")
            if rng.random() < 0.5:
                cost(
                    "venue",
                    "Business reception",
                    abroad(rng.randrange(1500, 4000)),
                    local,
                    paid_by="sponsor",
                    sponsor=SPONSORS[1],
                    status="estimate",
                )
        else:
            if visit["status"] == "cancelled":
                cost("venue", "Reception hall deposit", 750, "USD", status="actual")
                return out
            cost(
                "meals",
                "Welcome dinner hosted by the Mayor",
                rng.randrange(1800, 4200),
                "USD",
                paid_by="sponsor",
                sponsor=SPONSORS[rng.randrange(2)],
            )
            cost("venue", "City Hall reception", rng.randrange(400, 1200), "USD")
            cost("ground", "Van and driver", rng.randrange(150, 300) * nights, "USD")
            cost("interpretation", "Interpreter", rng.randrange(500, 900) * nights, "USD")
            # Their own hotel, as the partner reported it, in its currency.
            hotel = abroad(rng.randrange(140, 220))
            cost("lodging", "Delegation hotel", hotel * nights * 4, local, paid_by="partner")
        return out


def _usd(values: dict[str, Any]) -> int:
    """A cost in cents of a dollar, at its rate (none: not counted)."""
    minor, currency = values["amount_minor"], values["currency"]
    if currency == "USD":
        return int(minor)
    if not values.get("usd_rate"):
        return 0
    return int(money.amount(minor, currency) * Decimal(values["usd_rate"]) * 100)
