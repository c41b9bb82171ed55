"""`desk renewal AGREEMENT --out FILE.pdf`: an agreement's renewal memo, one page for the
mayor or the council: renew, renegotiate or let lapse, with the dates that bind and the
activity since the signing."""

from __future__ import annotations

import argparse
from typing import Any

from desk.cli.args import day, out_path
from desk.core.store.db import Database

COMMANDS = frozenset({"renewal"})
READING = frozenset({"renewal"})
# As the document module says it; repeated here so building the parser loads no reportlab.
MARKING = "INTERNAL - PREDECISIONAL"


def add_parsers(sub: Any) -> None:
    memo = sub.add_parser(
        "renewal",
        help="an agreement's renewal memo (PDF, one page): renew, renegotiate or let lapse",
        description="One page for the mayor or the council before an agreement's decision "
        "deadline: what is to be decided by when and what happens if nothing is done, the "
        "dates that bind, the three courses side by side, any policy flag, the activity "
        "with the partner since the signing (visits both ways, interactions, outcomes, "
        "costs in U.S. dollars, the last contact) and the commitments still open. "
        "Also: desk report renewal AGREEMENT --out FILE.pdf.",
    )
    add_arguments(memo)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The memo's arguments, for `desk renewal` and `desk report renewal` alike."""
    parser.add_argument("agreement", help="the agreement's id, uid or title")
    parser.add_argument("--out", type=out_path, required=True, help="write the memo here (PDF)")
    parser.add_argument(
        "--marking", default=MARKING, help='handling marking for the header ("" for none)'
    )
    parser.add_argument(
        "--date", type=day, default=None, help="the day the memo speaks as of (default: today)"
    )


def run(db: Database, args: argparse.Namespace) -> int:
    from desk.core.store.records import resolve_named
    from desk.reports.renewal.document import build_memo

    agreement = resolve_named(db, "agreement", args.agreement)
    build_memo(db, agreement, args.out, today=args.date, marking=args.marking)
    print(f"Renewal memo written to {args.out}")
    return 0
