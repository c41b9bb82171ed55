"""Counts and spans of time in words, the same way everywhere desk shows or prints them."""

from __future__ import annotations

# Nouns whose plural is not the noun plus "s".
_PLURALS = {
    "entry": "entries",
    "activity": "activities",
    "city": "cities",
    "party": "parties",
    "office held": "offices held",
    "person": "people",
    "follow-up": "follow-ups",
    "delegation member": "delegation members",
}


def plural(noun: str) -> str:
    if noun in _PLURALS:
        return _PLURALS[noun]
    if noun.endswith(("s", "sh", "ch", "x")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def counted(number: int, noun: str, many: str | None = None) -> str:
    """'1 visit', '2 visits', '1,204 contacts', '0 entries'."""
    if number == 1:
        return f"1 {noun}"
    return f"{number:,} {many or plural(noun)}"


def _span(days: int) -> str:
    if days < 14:
        return counted(days, "day")
    if days < 60:
        return counted(round(days / 7), "week")
    if 350 <= days <= 380:
        return "1 year"
    if days < 730:
        return counted(round(days / 30.44), "month")
    return counted(round(days / 365.25), "year")


def due_in(days: int) -> str:
    """How far off a due date is: 'today', 'tomorrow', 'in 3 days', 'in 2 weeks',
    'yesterday' for one day late, then '2 weeks overdue', '6 months overdue'."""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "1 day overdue"
    if days > 0:
        return f"in {_span(days)}"
    return f"{_span(-days)} overdue"


def ago(days: int) -> str:
    """How long ago something happened: 'today', 'yesterday', '3 weeks ago'."""
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{_span(days)} ago"
