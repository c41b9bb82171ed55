"""`desk log-mail FILE...`: saved mails (.eml, Outlook's .msg) logged as interactions on
the record they are about, each as one operation `desk undo` takes back."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desk.core.store.db import Database
    from desk.io.mail import MailPlan

COMMANDS = frozenset({"log-mail"})
READING = frozenset[str]()

# Exit status when nothing was logged because the record is not clear: say --on.
ASK = 2
# New addresses listed by name before the rest are only counted.
_LISTED = 10


def on_record(text: str) -> tuple[str, str]:
    """KIND:ID, as `--on partnership:3` or `--on visit:"Mission to Kobe"`."""
    kind_name, sep, ident = text.partition(":")
    if not sep or not kind_name.strip() or not ident.strip():
        raise argparse.ArgumentTypeError(
            f"'{text}': say KIND:ID, for example partnership:3 or visit:12"
        )
    return kind_name.strip(), ident.strip()


def add_parsers(sub: Any) -> None:
    logging = sub.add_parser(
        "log-mail",
        help="log saved mails (.eml, .msg) as interactions: people matched, record guessed",
        description="Each mail becomes an interaction (kind: email) dated the day it was "
        "sent in the city's time zone, with its subject, sender and text (the start of a "
        "long one), its known people as participants, and its attachments and the mail "
        "itself kept as files. Without --on, the record is guessed from the people in "
        "the mail and the mail is logged there when the guess is clear; otherwise the "
        f"guesses are printed and nothing is logged (exit status {ASK}). A mail already "
        "logged (the same Message-ID) is refused.",
    )
    logging.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a saved mail")
    logging.add_argument(
        "--on",
        type=on_record,
        metavar="KIND:ID",
        help="the record to log them on: partnership:3, visit:12, contact:40 (id, uid or name)",
    )
    logging.add_argument(
        "--add-contacts",
        action="store_true",
        help="make a contact of each address in the mails that no contact has",
    )
    logging.add_argument("--json", action="store_true", help="print JSON")


def run(db: Database, args: argparse.Namespace) -> int:
    from desk.core.errors import DeskError
    from desk.io import mail

    results: list[dict[str, Any]] = []
    status = 0
    for path in args.files:
        result: dict[str, Any] = {"file": str(path)}
        results.append(result)
        try:
            plan = mail.read_mail(db, path)
        except DeskError as exc:
            result["refused"] = str(exc)
            _say(args, f"{path.name}: {exc}", error=True)
            status = max(status, 1)
            continue
        result.update(plan.as_dict())
        _say(args, *_describe(plan))
        on = args.on or (plan.guess.on if plan.guess else None)
        if on is None:
            result["refused"] = "the record is not clear: say --on KIND:ID"
            _say(args, *_ask(plan), error=True)
            status = max(status, ASK)
            continue
        # Never the office's own mailboxes: our city's domains are not people to add.
        ours = _our_domains(db)
        made = (
            [p.address for p in plan.new_people if _domain(p.address) not in ours]
            if args.add_contacts
            else []
        )
        try:
            changes = mail.log_mail(db, plan, on, make_contacts=made)
        except DeskError as exc:
            result["refused"] = str(exc)
            _say(args, f"  Not logged: {exc}", error=True)
            status = max(status, 1)
            continue
        result["logged"] = {
            "interaction_id": changes.id,
            "on": list(on),
            "operation": changes.op_id,
            "contacts_made": made,
            "files_kept": 1 + len(plan.files),
        }
        _say(args, f"  {changes.label}: interaction #{changes.id}.")
        if made:
            _say(args, f"  Added contacts: {', '.join(made)}.")
        left = len(plan.new_people) - len(made)
        if left:
            _say(args, f"  {_people(left)} not in desk were left out (--add-contacts adds them).")
    if args.json:
        json.dump(results, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return status


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip().casefold()


def _our_domains(db: Database) -> set[str]:
    """The domains of our own city's mail: its profile's respondent and its own city
    government's website and staff addresses."""
    found: set[str] = set()
    for (value,) in db.execute(
        "SELECT respondent_email FROM city_profile UNION ALL "
        "SELECT website FROM organisations WHERE kind = 'city_government' AND country = 'US' "
        "UNION ALL SELECT c.email FROM contacts c JOIN organisations o "
        "ON o.id = c.organisation_id WHERE o.kind = 'city_government' AND o.country = 'US'"
    ):
        if value:
            text = str(value).casefold().removeprefix("https://").removeprefix("http://")
            found.add(_domain(text).split("/")[0].removeprefix("www."))
    return found


def _say(args: argparse.Namespace, *lines: str, error: bool = False) -> None:
    """Lines for a person; with --json they go to standard error, so the JSON on
    standard output stays whole."""
    stream = sys.stderr if error or args.json else sys.stdout
    for line in lines:
        print(line, file=stream)


def _describe(plan: MailPlan) -> list[str]:
    from desk.core.domain.dates import short_date

    lines = [f"{plan.source.name}: {plan.subject or '(no subject)'}"]
    sender = f" from {plan.mail_from}" if plan.mail_from else ""
    lines.append(f"  {short_date(plan.day)}{sender}")
    known = plan.known_people
    if known:
        names = ", ".join(f"{p.contact_name} (#{p.contact_id})" for p in known[:_LISTED])
        more = f" and {len(known) - _LISTED:,} more" if len(known) > _LISTED else ""
        lines.append(f"  Contacts in it: {names}{more}")
    new = plan.new_people
    if new:
        shown = ", ".join(p.shown for p in new[:_LISTED])
        more = f" and {len(new) - _LISTED:,} more" if len(new) > _LISTED else ""
        lines.append(f"  Not in desk: {shown}{more}")
    if plan.files:
        lines.append(f"  Attachments: {', '.join(f.filename for f in plan.files)}")
    lines += [f"  Note: {note}" for note in plan.notes]
    return lines


def _ask(plan: MailPlan) -> list[str]:
    if not plan.guesses:
        return [
            "  Nobody in this mail is linked to a partnership or a visit near its date: "
            "say which record it is about with --on KIND:ID."
        ]
    lines = ["  Which record is it about? Likely:"]
    for guess in plan.guesses[:5]:
        lines.append(f"    --on {guess.kind}:{guess.id}  {guess.label}: {'; '.join(guess.reasons)}")
    lines.append("  Nothing was logged: say --on with one of them (or another record).")
    return lines


def _people(count: int) -> str:
    return f"{count:,} address" + ("" if count == 1 else "es")
