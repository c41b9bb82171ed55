"""How backups are named and which are kept: plain rules over names and times, no files.

A backup's name says whose it is and when it was taken:
`<stem>-YYYYMMDD-HHMMSS[-reason].<owner>.sqlite`, the owner being the first eight hex
digits of the database's identity (`file_meta.database_uid`), so two databases that
share a file name (`desk.sqlite` on two laptops, one USB stick) never read each other's
backups as their own. Names from before identities (no owner) still parse.

Kept (`keep`): the newest 5, the newest of each of the last 7 days, of each of the last
5 ISO weeks and of each of the last 12 months; copies taken before a restore for 30
days. A backup dated in the future (a clock set back) is never deleted.
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

_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<reason>manual|before-restore))?"
    r"(?:\.(?P<owner>[0-9a-f]{8}))?\.sqlite$"
)


class Named(NamedTuple):
    """What a backup's file name says."""

    stem: str
    taken: dt.datetime
    reason: str
    owner: str | None  # None: named before databases carried an identity


def owner_of(uid: str | None) -> str | None:
    """The part of a database's identity that goes into its backups' names."""
    if not uid:
        return None
    digits = uid.replace("-", "").lower()[:OWNER_DIGITS]
    return digits if len(digits) == OWNER_DIGITS else None


def backup_name(stem: str, taken_at: dt.datetime, reason: str, owner: str | None = None) -> str:
    if reason not in REASONS:
        raise ValueError(reason)
    suffix = "" if reason == "auto" else f"-{reason}"
    mark = f".{owner}" if owner else ""
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
    return Named(match["stem"], taken, match["reason"] or "auto", match["owner"])


def _months_back(day: dt.date, count: int) -> set[tuple[int, int]]:
    months = set()
    year, month = day.year, day.month
    for _ in range(count):
        months.add((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


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
    today = now.date()
    wanted: list[tuple[Callable[[dt.datetime], object], set[object]]] = [
        (lambda t: t.date(), {today - dt.timedelta(days=n) for n in range(KEEP_DAYS)}),
        (
            lambda t: t.isocalendar()[:2],
            {(today - dt.timedelta(weeks=n)).isocalendar()[:2] for n in range(KEEP_WEEKS)},
        ),
        (lambda t: (t.year, t.month), set(_months_back(today, KEEP_MONTHS))),
    ]
    for bucket_of, buckets in wanted:
        for taken, position in ordinary:  # newest first: the first seen is a bucket's newest
            bucket = bucket_of(taken)
            if bucket in buckets:
                buckets.discard(bucket)
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
