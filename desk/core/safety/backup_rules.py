"""How backups are named and which are kept: plain rules over names and times, no files.

A backup's name says whose it is, which desk made it and when:
`<stem>-YYYYMMDD-HHMMSS[-reason].<owner>-<maker>.sqlite`. The owner is the first eight hex
digits of the database's identity (`file_meta.database_uid`), so two databases that
share a file name (`desk.sqlite` on two laptops, one USB stick) never read each other's
backups as their own. The maker is the first four of this desk installation's own id:
two laptops that each go on using a copy of one file keep one database's identity, and
each rotates only the backups it made. Older names (no maker, or no owner) still parse.

Kept (`keep`): the newest 5; the newest of each of the last 7 days, 5 ISO weeks and 12
months that have backups (counted over the backups, not the calendar, so a file left
alone for a year, or a clock that jumped ahead, never loses its history at the next
backup); copies taken before a restore for 30 days. A backup dated in the future (a
clock set back since) is never deleted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

REASONS = ("auto", "manual", "before-restore")
# How each reason reads where a person sees it.
REASON_WORDS = {
    "auto": "Automatic",
    "manual": "Taken by hand",
    "before-restore": "Before a restore",
}
KEEP_NEWEST = 5
KEEP_DAYS = 7
KEEP_WEEKS = 5
KEEP_MONTHS = 12
KEEP_BEFORE_RESTORE = dt.timedelta(days=30)
OWNER_DIGITS = 8
MAKER_DIGITS = 4

_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<reason>manual|before-restore))?"
    r"(?:\.(?P<owner>[0-9a-f]{8})(?:-(?P<maker>[0-9a-f]{4}))?)?\.sqlite$"
)


class Named(NamedTuple):
    """What a backup's file name says."""

    stem: str
    taken: dt.datetime
    reason: str
    owner: str | None  # None: named before databases carried an identity
    maker: str | None = None  # the installation of desk that took it; None: not said


def owner_of(uid: str | None) -> str | None:
    """The part of a database's identity that goes into its backups' names."""
    if not uid:
        return None
    digits = uid.replace("-", "").lower()[:OWNER_DIGITS]
    return digits if len(digits) == OWNER_DIGITS else None


def maker_of(installation: str | None) -> str | None:
    if not installation:
        return None
    digits = installation.replace("-", "").lower()[:MAKER_DIGITS]
    return digits if len(digits) == MAKER_DIGITS else None


def backup_name(
    stem: str,
    taken_at: dt.datetime,
    reason: str,
    owner: str | None = None,
    maker: str | None = None,
) -> str:
    if reason not in REASONS:
        raise ValueError(reason)
    suffix = "" if reason == "auto" else f"-{reason}"
    mark = (f".{owner}-{maker}" if maker else f".{owner}") if owner else ""
    return f"{stem}-{taken_at:%Y%m%d-%H%M%S}{suffix}{mark}.sqlite"


def parse_name(name: str) -> Named | None:
    """What a backup's file name says; None for any other file."""
    match = _NAME.match(name)
    if not match:
        return None
    try:
        taken = dt.datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
    except ValueError:
        return None
    return Named(match["stem"], taken, match["reason"] or "auto", match["owner"], match["maker"])


def keep(entries: Sequence[Named], now: dt.datetime) -> set[int]:
    """Which of one database's backups to keep at `now`, as positions in `entries`."""
    kept: set[int] = set()
    ordinary: list[tuple[dt.datetime, int]] = []
    for position, entry in enumerate(entries):
        if entry.taken > now:
            kept.add(position)  # the clock went back: never delete what we cannot place
        elif entry.reason == "before-restore":
            if now - entry.taken <= KEEP_BEFORE_RESTORE:
                kept.add(position)
        else:
            ordinary.append((entry.taken, position))
    ordinary.sort(reverse=True)
    kept.update(position for _taken, position in ordinary[:KEEP_NEWEST])
    periods: list[tuple[Callable[[dt.datetime], object], int]] = [
        (lambda t: t.date(), KEEP_DAYS),
        (lambda t: tuple(t.isocalendar()[:2]), KEEP_WEEKS),
        (lambda t: (t.year, t.month), KEEP_MONTHS),
    ]
    for period_of, count in periods:
        seen: set[object] = set()
        for taken, position in ordinary:  # newest first: the first seen is a period's newest
            period = period_of(taken)
            if period not in seen:
                if len(seen) == count:
                    break
                seen.add(period)
                kept.add(position)
    return kept


def keep_set(names: Iterable[str], now: dt.datetime) -> set[str]:
    """`keep` over file names of one database's backups. Names that are not backups are
    kept: rotation only ever deletes what it understands."""
    listed = list(names)
    parsed = [parse_name(name) for name in listed]
    understood = [(name, entry) for name, entry in zip(listed, parsed, strict=True) if entry]
    positions = keep([entry for _name, entry in understood], now)
    return {name for name, entry in zip(listed, parsed, strict=True) if entry is None} | {
        understood[p][0] for p in positions
    }
