"""`desk letter`: letters from the office's templates (an invitation, visa support, thanks,
a national-day greeting) written for a visit as Word or PDF, and kept with the visit."""

from __future__ import annotations

import argparse
from typing import Any

from desk.cli.args import day, out_path

COMMANDS = frozenset({"letter"})
# It keeps what it writes with the visit (unless --no-keep), so it opens the file to write.
READING: frozenset[str] = frozenset()


def add_parsers(sub: Any) -> None:
    letter = sub.add_parser(
        "letter",
        help="write letters from the office's templates (invitation, visa, thank-you, "
        "national-day) for a visit, as Word or PDF",
        description="Write letters for a visit from a Word template: the office's own "
        "(<data folder>/letters/NAME.docx) or the plain one desk ships. Several letters "
        "(visa support for each delegate, thanks to each counterpart) go in one file, each "
        "on its own pages. The file is kept with the visit unless --no-keep.",
    )
    letter.add_argument(
        "template", nargs="?", help="invitation, visa, thank-you, national-day, or an office's own"
    )
    letter.add_argument("visit", nargs="?", help="the visit's id, uid or title")
    letter.add_argument(
        "--list", action="store_true", help="name the templates and where each comes from"
    )
    letter.add_argument("--out", type=out_path, help="the file to write: NAME.docx or NAME.pdf")
    letter.add_argument(
        "--to",
        metavar="CONTACT",
        help="one letter, to this contact (id, uid or name), instead of those the template "
        "writes to",
    )
    letter.add_argument(
        "--partnership",
        help="for a national-day greeting without a visit: the partnership (id, uid or name)",
    )
    letter.add_argument(
        "--signed-by",
        choices=("mayor", "director"),
        default="mayor",
        help="who signs: our mayor (the office's holder on the letter's date) or the "
        "office's director (default: mayor)",
    )
    letter.add_argument(
        "--date",
        type=day,
        default=None,
        help="the letter's date (default: today; a national-day greeting: the coming national day)",
    )
    letter.add_argument(
        "--keep",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="keep the file with the visit as an attachment (default: keep)",
    )
    letter.add_argument(
        "--pdf-with",
        choices=("auto", "libreoffice", "desk"),
        default="auto",
        help="what makes a PDF: LibreOffice where installed, else desk (default auto)",
    )


def run(db: Any, args: argparse.Namespace) -> int:
    from desk.core.errors import DeskError

    if args.list:
        return _list()
    if not args.template:
        raise DeskError("Name a template (desk letter --list names them), a visit and --out.")
    if args.visit is None and args.partnership is None:
        raise DeskError(
            f"Name the visit the {args.template} letter is for: desk letter {args.template} "
            "VISIT --out FILE.docx"
        )
    if args.out is None:
        raise DeskError("Say where to write the letters: --out FILE.docx or --out FILE.pdf.")
    from desk.reports.letters import make

    made = make.write_letters(
        db,
        args.template,
        args.visit,
        out=args.out,
        partnership=args.partnership,
        to=args.to,
        signed_by=args.signed_by,
        on=args.date,
        keep_copy=args.keep,
        pdf_with=args.pdf_with,
    )
    letters = made.letters
    count = len(letters.letters)
    noun = "letter" if count == 1 else "letters"
    how = {".docx": "Word"}.get(made.rendered.suffix, f"PDF, made by {made.rendered.made_by}")
    source = letters.template.source
    print(
        f"Wrote {count} {letters.template.name} {noun} to {made.path} ({how}), from the "
        f"template {source} ({letters.template.path}):"
    )
    for letter in letters.letters:
        print(f"  {letter.to}")
    if made.rendered.note:
        print(f"LibreOffice was not used: {made.rendered.note}.")
    for note in letters.left_out:
        print(f"No letter: {note}.")
    for note in letters.notes:
        print(f"Note: {note}.")
    if made.attachment_id is not None:
        from desk.core.domain.kinds import KINDS

        where = KINDS[letters.owner_kind].label.lower()
        print(
            f"Kept with the {where} {letters.owner_title!r} as attachment "
            f"#{made.attachment_id} ('desk undo' takes it back)."
        )
    return 0


def _list() -> int:
    from desk.reports.letters import templates

    found = templates.templates()
    width = max((len(t.name) for t in found), default=0)
    print(f"Letter templates (an office's own go in {templates.office_folder()}):")
    for template in found:
        print(f"  {template.name.ljust(width)}  {templates.LETTERS[template.letter]}")
        print(f"  {' ' * width}  {template.source}: {template.path}")
    strays = templates.not_templates()
    if strays:
        names = ", ".join(p.name for p in strays)
        print(
            f"Not used (a template's name starts with the letter it writes, e.g. "
            f"invitation-formal.docx): {names}"
        )
    return 0
