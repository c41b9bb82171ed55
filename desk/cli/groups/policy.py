"""`desk policy`: the state laws and office rules that apply to the city, and the
partnerships, agreements and gifts each one flags."""

from __future__ import annotations

import argparse
import json
from typing import Any

from desk.core.store.db import Database

COMMANDS = frozenset({"policy"})
READING = frozenset({"policy"})


def add_parsers(sub: Any) -> None:
    from desk.cli.args import day

    policy = sub.add_parser(
        "policy",
        help="the state laws and office rules that apply, and the records each flags",
        description="The rules that apply to the city (its state's, from the city "
        "profile or --state, and the office's own policy-rules.json in the data "
        "folder) and the partnerships, agreements and gifts each one flags. Check "
        "with your city attorney; this is not legal advice.",
    )
    policy.add_argument(
        "--state", default=None, help="a state's postal code or name (default: the city profile's)"
    )
    policy.add_argument("--date", type=day, default=None, help="as seen on this day")
    policy.add_argument("--json", action="store_true")


def run(db: Database, args: argparse.Namespace) -> int:
    from desk.core.features import policy

    found = policy.check(db, args.state, args.date)
    if args.json:
        print(json.dumps(found.as_json(), ensure_ascii=False, indent=2))
        return 0
    _show(found)
    return 0


def _show(found: Any) -> None:
    from desk.core.domain.dates import short_date
    from desk.core.domain.kinds import KINDS
    from desk.core.features import policy

    print(f"{found.headline()}.")
    print(policy.NOTICE)
    for problem in found.edition.problems:
        print(f"⚠ {problem} Its rules are not applied until it is mended.")
    for note in found.notes:
        print(note)
    if found.edition.office_file and not found.edition.problems:
        print(f"The office's own rules are read from {found.edition.office_file}.")
    for rule in found.rules:
        print()
        where = "Office rule" if rule.office else rule.where()
        print(f"{rule.source.citation}: {rule.title} ({where})")
        print(f"  {rule.summary()}")
        print(
            f"  Source: {rule.source.cited()}" + (f", {rule.source.url}" if rule.source.url else "")
        )
        sure = f"  Confidence: {rule.confidence}"
        print(sure + (f". {rule.confidence_note}" if rule.confidence_note else ""))
        flags = found.by_rule(rule)
        if not flags:
            print("  Flags no record.")
            continue
        print(f"  Flags {len(flags):,} record{'s' if len(flags) != 1 else ''}:")
        for flag in flags:
            label = KINDS[flag.kind].label
            print(f"    {label} #{flag.record_id} {flag.title}")
            print(f"      {flag.text}")
    if not found.rules:
        print()
        print("No rules apply.")
    else:
        print()
        print(f"Researched {short_date(found.edition.researched)}: {found.edition.current_to}")
