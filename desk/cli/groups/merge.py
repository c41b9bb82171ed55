"""`desk duplicates KIND`: records that are likely one, with why; `desk merge KIND KEEP
OTHER`: fold one into the other, keeping every link, as one operation `desk undo` takes
back."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from desk.cli.args import count

if TYPE_CHECKING:
    from desk.core.domain.kinds import Kind
    from desk.core.store import merge
    from desk.core.store.db import Database

COMMANDS = frozenset({"duplicates", "merge"})
READING = frozenset({"duplicates"})


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    found = sub.add_parser(
        "duplicates", help="records of a kind that are likely the same, each pair with why"
    )
    found.add_argument(
        "kind", help="contacts, organizations or partnerships (any kind with a page)"
    )
    found.add_argument(
        "--limit", type=count, default=50, help="at most this many pairs (default 50; 0: all)"
    )
    found.add_argument("--json", action="store_true", help="print JSON")

    merging = sub.add_parser(
        "merge",
        help="merge two records into one: every link moves to the one kept, the other goes",
    )
    merging.add_argument("kind", help="contact, organization, partnership...")
    merging.add_argument("keep", help="the record kept: id, uid or name")
    merging.add_argument("other", help="the record merged into it and deleted: id, uid or name")
    merging.add_argument(
        "--take",
        action="append",
        default=[],
        metavar="FIELD=other",
        help="take this field from the other record (FIELD=keep keeps the kept one's, even "
        "empty); without it the kept record keeps its values and fills its empty ones "
        "from the other (repeatable)",
    )
    merging.add_argument(
        "--yes", action="store_true", help="do it (without: only say what would happen)"
    )


def run(db: Database, args: argparse.Namespace) -> int:
    from desk.core.domain.kinds import kind

    spec = kind(args.kind)
    if args.command == "duplicates":
        return _duplicates(db, spec, args)
    return _merge(db, spec, args)


def _duplicates(db: Database, spec: Kind, args: argparse.Namespace) -> int:
    from desk.core.store import merge

    found = merge.suggest(db, spec.name, limit=args.limit or None)
    if args.json:
        document = {
            "kind": spec.name,
            "checked": found.checked,
            "pairs": [pair.as_dict() for pair in found.pairs],
            "more": found.more,
            "left_out": found.left_out,
        }
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    noun = spec.label.lower()
    for pair in found.pairs:
        print(f"#{pair.keep} {pair.keep_title}  and  #{pair.other} {pair.other_title}")
        print(f"    {'; '.join(pair.reasons)}")
        print(f"    desk merge {spec.name} {pair.keep} {pair.other}")
    if found.more:
        print(f"... and {found.more:,} more (--limit 0 shows them all).")
    for note in found.left_out:
        print(f"Left out: {note}")
    pairs = f"{len(found.pairs) + found.more:,} likely duplicate" + (
        "" if len(found.pairs) + found.more == 1 else "s"
    )
    print(f"{pairs} among {spec.count(found.checked)} ({found.seconds:.1f} s).")
    if not found.pairs:
        return 0
    print(f"Each line 'desk merge' keeps the first {noun} and merges the second into it.")
    return 0


def _choices(spec: Kind, taken: list[str]) -> dict[str, merge.Side]:
    from desk.core.errors import ValidationError

    # A field by its name, its label or its label's first part ("Given name").
    by_label = {f.label.split(" (")[0].casefold(): f.name for f in spec.fields}
    by_label.update({f.label.casefold(): f.name for f in spec.fields})
    choices: dict[str, merge.Side] = {}
    for item in taken:
        name, sep, side = item.partition("=")
        name = by_label.get(name.strip().casefold(), name.strip())
        side = side.strip().lower() if sep else "other"
        if side not in ("keep", "other"):
            raise ValidationError(f"--take {item}: say FIELD=other or FIELD=keep.")
        choices[name] = "other" if side == "other" else "keep"
    return choices


def _merge(db: Database, spec: Kind, args: argparse.Namespace) -> int:
    from desk.core.store import merge, records

    keep = records.resolve_named(db, spec.name, args.keep)
    other = records.resolve_named(db, spec.name, args.other)
    choices = _choices(spec, args.take)
    compared = merge.compare(db, spec.name, keep, other, choices)
    noun = spec.label.lower()
    said = f"{noun} #{other} “{compared.other_title}” into #{keep} “{compared.keep_title}”"
    if not args.yes:
        print(f"Would merge {said}:")
        for choice in compared.fields:
            if not choice.differs or (choice.chosen == "keep" and not choice.other_text):
                continue
            if choice.chosen == "other":
                was = f" (was {choice.keep_text!r})" if choice.keep_text else ""
                print(f"    {choice.label}: takes {choice.other_text!r}{was}")
            else:
                print(
                    f"    {choice.label}: keeps {choice.keep_text!r} (other: {choice.other_text!r})"
                )
        if compared.links:
            print(f"    moves to #{keep}: {_links(compared.links)}")
        print(f"Then #{other} is deleted; 'desk undo' takes the whole merge back.")
        print("Run again with --yes to merge (--take FIELD=other to take a field from it).")
        return 1
    done = merge.merge(db, spec.name, keep, other, choices)
    print(f"Merged {said}.")
    if done.moved:
        print(f"Moved: {', '.join(f'{label} ({n:,})' for label, n in done.moved.items())}.")
    if done.merged_links:
        twice = ", ".join(f"{label} ({n:,})" for label, n in done.merged_links.items())
        print(f"Merged into the links #{keep} had already: {twice}.")
    if done.taken:
        print(f"Took from #{other}: {', '.join(done.taken)}.")
    print("'desk undo' takes the whole merge back.")
    return 0


def _links(links: list[merge.Moving]) -> str:
    """ "Visits (3), Partnerships (2, 1 of them already linked to the kept one)"."""
    parts = []
    for moving in links:
        twice = f", {moving.duplicates:,} already linked to it" if moving.duplicates else ""
        parts.append(f"{moving.label} ({moving.count:,}{twice})")
    return ", ".join(parts)
