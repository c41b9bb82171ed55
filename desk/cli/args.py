"""Argument types shared by the command's parsers."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

# Larger than any count of records or days a person means; a typo beyond it is refused
# here rather than overflowing a date or SQLite's integers later.
LARGEST = 10**9


def _whole(text: str) -> int:
    # ASCII digits only: int() also reads full-width and Arabic-Indic digits, which
    # nobody types on purpose for a record number.
    plain = text.strip()
    if not (plain.isascii() and plain.lstrip("-").isdigit()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    return int(plain)


def count(text: str) -> int:
    """An argparse type: a whole number, zero or more (a limit, a number of days)."""
    number = _whole(text)
    if number < 0:
        raise argparse.ArgumentTypeError(f"{text} is below zero; give 0 or more")
    if number > LARGEST:
        raise argparse.ArgumentTypeError(f"{text} is too large; give at most {LARGEST:,}")
    return number


def number(text: str) -> int:
    """An argparse type: a record's, operation's or import's number (1 or more)."""
    value = _whole(text)
    if not 1 <= value <= 10**15:
        raise argparse.ArgumentTypeError(f"{text} is not a number desk gives (1 or more)")
    return value


def day(text: str) -> dt.date:
    """An argparse type: a date between 1800 and 2200, typed any usual way."""
    from desk.core.domain.dates import parse_typed
    from desk.core.domain.types.cleaning import FIRST_YEAR, LAST_YEAR

    try:
        found = dt.date.fromisoformat(text.strip())
    except ValueError:
        try:
            found = parse_typed(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a date like 12/5/2026 (or 2026-12-05, or next friday)"
            ) from None
    if not FIRST_YEAR <= found.year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(
            f"{text} is outside {FIRST_YEAR}-{LAST_YEAR}, the years desk keeps"
        )
    return found


def days_ahead(text: str) -> int:
    """An argparse type: days to put something off, up to about ten years."""
    value = count(text)
    if value > 3660:
        raise argparse.ArgumentTypeError(f"{text} days is more than ten years; give a date")
    return value


def year(text: str) -> int:
    """An argparse type: a year desk keeps (1800-2200)."""
    from desk.core.domain.types.cleaning import FIRST_YEAR, LAST_YEAR

    value = _whole(text)
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"{text} is not a year from {FIRST_YEAR} to {LAST_YEAR}")
    return value


def out_path(text: str) -> Path:
    """An argparse type: where to write; an empty name is refused here, not later."""
    if not text.strip():
        raise argparse.ArgumentTypeError("no file name given; say where to write")
    return Path(text)
