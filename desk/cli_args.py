"""Argument types shared by the command's parsers."""

from __future__ import annotations

import argparse


def count(text: str) -> int:
    """An argparse type: a whole number, zero or more (a limit, a number of days)."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{text} is below zero; give 0 or more")
    return number
