"""`desk costs VISIT`: what a visit cost, in U.S. dollars at the rates the office recorded,
by category, by who paid, estimate against actual, and against its budget."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from desk.core.store.db import Database

if TYPE_CHECKING:
    from desk.core.features.costs import Costs

COMMANDS = frozenset({"costs"})
READING = frozenset({"costs"})


def add_parsers(sub: Any) -> None:
    costs = sub.add_parser(
        "costs",
        help="what a visit cost, in U.S. dollars at the rates the office recorded",
        description="A visit's costs added up in U.S. dollars, each at the rate the office "
        "recorded with it (never one looked up): estimate and actual, by category, by who "
        "paid, and against the visit's budget. A cost in another currency with no rate is "
        "counted apart and said. Add costs with: desk add cost visit_id=ID "
        "amount_minor=AMOUNT currency=JPY usd_rate=0.0067 rate_on=DATE ...",
    )
    costs.add_argument("visit", help="the visit's id, uid or title")
    costs.add_argument("--json", action="store_true", help="the figures as JSON, and only that")


def run(db: Database, args: argparse.Namespace) -> int:
    from desk.core.features import costs
    from desk.core.store.records import get, resolve_named

    visit = get(db, "visit", resolve_named(db, "visit", args.visit))
    found = costs.of_visit(db, visit["id"])
    if args.json:
        about = {k: visit.get(k) for k in ("id", "uid", "title", "start_date", "end_date")}
        print(json.dumps(costs.as_json(found, about), ensure_ascii=False, indent=2))
        return 0
    for line in lines(found, visit):
        print(line)
    return 0


def lines(found: Costs, visit: dict[str, Any]) -> list[str]:
    """The figures as a person reads them in a terminal."""
    from desk.core.domain.dates import short_date
    from desk.core.domain.words import counted
    from desk.core.features import costs

    when = ""
    if visit.get("start_date"):
        when = f" ({short_date(visit['start_date'])})"
    out = [f"{visit['title']}{when}"]
    if found.empty:
        out.append("No costs are recorded for this visit.")
        if found.budget is not None:
            out.append(f"Budget {found.budget.text()}.")
        return out
    total = found.total_cents
    if total is None:
        out.append("No total in U.S. dollars: no cost has a rate recorded.")
    else:
        out.append(
            f"In all: {costs.dollars(total)} in U.S. dollars, from "
            f"{counted(len(found.counted), 'cost')}."
        )
    groups = (found.by_status, found.by_category, found.by_payer, found.by_sponsor)
    width = min(40, max((len(p.label) for group in groups for p in group), default=0))
    for heading, parts in (
        ("Estimate or actual", found.by_status),
        ("By category", found.by_category),
        ("Paid by", found.by_payer),
        ("Sponsors", found.by_sponsor),
    ):
        if not parts:
            continue
        out.append(f"{heading}:")
        for part in parts:
            figure = costs.dollars(part.cents)
            out.append(
                f"  {part.label.ljust(width)}  {figure:>16}  ({counted(part.costs, 'cost')})"
            )
    for apart in found.apart:
        out.append(
            f"Not in the total: {counted(apart.costs, 'cost')} in {apart.currency}, "
            f"{apart.text()}, with no rate recorded."
        )
    if found.unreadable:
        out.append(
            f"{counted(found.unreadable, 'rate')} as stored cannot be read as a number; "
            "give the rate again."
        )
    if found.rates:
        out.append(
            "Rates recorded: "
            + "; ".join(f"{r.text()} ({counted(r.costs, 'cost')})" for r in found.rates)
            + "."
        )
    if found.undated:
        out.append(f"{counted(found.undated, 'cost')} counted at a rate with no date recorded.")
    if found.budget is not None:
        out.append(f"Budget {costs.budget_text(found.budget)}")
    return out
