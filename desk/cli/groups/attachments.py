"""`desk read-files`: the text inside attached files, read once so a search finds it."""

from __future__ import annotations

import argparse
from typing import Any

from desk.core.store.db import Database

COMMANDS = frozenset({"read-files"})
READING: frozenset[str] = frozenset()


def add_parsers(sub: Any) -> None:
    read = sub.add_parser(
        "read-files",
        help="read the text inside attached PDFs, Word files and mails, for search",
        description="Reads every attached file not read yet (the window does this by "
        "itself in the background): a PDF's text layer, a Word file's paragraphs and "
        "tables, a mail's subject, sender and body. A scanned PDF says it has no text.",
    )
    read.add_argument("--limit", type=int, default=0, help="read at most this many files")


def run(db: Database, args: argparse.Namespace) -> int:
    from desk.io.file_text import read_pending

    done = read_pending(db, limit=args.limit)
    print(f"Read the text of {done:,} attached file{'s' if done != 1 else ''}.")
    return 0
