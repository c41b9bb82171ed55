"""What a letter's fields say, in words: people as a letter names them (the inside address,
the salutation, a name in running text), a visit's dates, our signatory's lines, a
country's national day. Qt-free, reportlab-free and Word-free: `data.py` reads the
records, `word.py` fills the template.

Every text value a template receives is a `Text`: a string that escapes itself for Word
when the template prints it, so what a person typed comes out as typed (markup, template
syntax and control characters included) and never becomes part of the template.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from desk.core.domain import dates
from desk.core.paths import resource_path
from desk.core.reference.countries import country_name
from desk.core.store.queries import person_name
from desk.reports.writers.text import clean

# Characters XML 1.0 cannot hold at all; `clean` has already made the C0 and C1 controls
# visible, these are what is left (lone surrogates, U+FFFE and U+FFFF).
_NOT_XML = {
    **{code: "\ufffd" for code in range(0xD800, 0xE000)},
    0xFFFE: "\ufffd",
    0xFFFF: "\ufffd",
}
# Word's XML as the template engine writes it: the three characters XML needs escaped,
# quotes for attributes, and the braces and percent sign of the template syntax as
# character references, so no value can close, open or resemble a field (the Word
# template engine turns a "{_{" it finds after filling into "{{").
_WORD_ESCAPES = {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord('"'): "&#34;",
    ord("'"): "&#39;",
    ord("{"): "&#123;",
    ord("}"): "&#125;",
    ord("%"): "&#37;",
}


class Text(str):
    """User text on its way into a Word template: printable (controls shown as their
    pictures, layout-steering marks dropped) and escaped when printed. Line breaks stay
    line breaks in Word; tabs stay tabs."""

    __slots__ = ()

    def __new__(cls, value: object = "") -> Text:
        return super().__new__(cls, clean(value).translate(_NOT_XML))

    def __html__(self) -> str:  # what the template engine prints under autoescape
        return str.translate(self, _WORD_ESCAPES)


def texts(values: Iterable[object]) -> list[Text]:
    """The non-empty ones, each once, in order."""
    return [Text(v) for v in dict.fromkeys(str(v).strip() for v in values if v) if v]


# -- dates -------------------------------------------------------------------------------------


def us_date(value: dt.date | str | None) -> str:
    """'March 11, 2027'; '' for no date."""
    return dates.month_day_year(value) if value else ""


def day_span(first: dt.date | None, last: dt.date | None) -> str:
    """'March 11–15, 2027', 'March 30 – April 2, 2027', 'December 30, 2026 – January 2,
    2027', 'March 11, 2027' for one day; '' for none."""
    first = first or last
    last = last or first
    if first is None or last is None:
        return ""
    if last < first:
        first, last = last, first
    if first == last:
        return dates.month_day_year(first)
    if first.year != last.year:
        return f"{dates.month_day_year(first)} – {dates.month_day_year(last)}"
    if first.month != last.month:
        return f"{dates.month_day(first)} – {dates.month_day(last)}, {last.year}"
    return f"{dates.month_day(first)}–{last.day}, {last.year}"


def from_to(first: dt.date | None, last: dt.date | None) -> str:
    """The span in running text: 'from March 11 to March 15, 2027', 'on March 11, 2027'."""
    first = first or last
    last = last or first
    if first is None or last is None:
        return ""
    if last < first:
        first, last = last, first
    if first == last:
        return f"on {dates.month_day_year(first)}"
    start = dates.month_day(first) if first.year == last.year else dates.month_day_year(first)
    return f"from {start} to {dates.month_day_year(last)}"


def days_phrase(days: Iterable[dt.date]) -> str:
    """'on March 11, 2027', 'on March 11 and 12, 2027', 'on March 11, 12 and 14, 2027',
    'on December 31, 2026 and January 2, 2027'."""
    found = sorted(set(days))
    if not found:
        return ""
    if len({d.year for d in found}) > 1:
        shown = [dates.month_day_year(d) for d in found]
        return "on " + _series(shown)
    parts: list[str] = []
    month = 0
    for d in found:
        parts.append(str(d.day) if d.month == month else dates.month_day(d))
        month = d.month
    return f"on {_series(parts)}, {found[0].year}"


def _series(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# -- countries ---------------------------------------------------------------------------------

# Countries whose English name takes "the" in a sentence ("the Embassy of the Netherlands").
_WITH_THE = frozenset(
    {"AE", "BS", "CD", "CF", "CG", "CZ", "DO", "FM", "GB", "GM", "KM", "KY", "MH", "MV"}
    | {"NL", "PH", "SB", "SC", "TC", "US", "VA", "VG", "VI"}
)


def country_text(value: object) -> str:
    """A country as a letter writes it: an ISO code by its name, anything else as typed
    (a nationality recorded as 'Spanish' stays 'Spanish')."""
    typed = str(value or "").strip()
    if len(typed) == 2 and typed.isalpha() and typed.isupper():
        return country_name(typed)
    return typed


def in_sentence(code: str | None) -> str:
    """The country's name where a sentence names it: 'the Netherlands', 'Japan'."""
    name = country_name(code)
    return f"the {name}" if name and (code or "").upper() in _WITH_THE else name


@dataclass(frozen=True)
class NationalDay:
    country: str  # ISO code
    day: dt.date
    occasion: str  # as a letter names it after "on the occasion of"
    known: bool  # from desk's table, not given by hand


@functools.cache
def _national_days() -> dict[str, tuple[int, int, str]]:
    table: dict[str, tuple[int, int, str]] = {}
    for line in resource_path("letters", "national_days.tsv").read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("country\t"):
            continue
        code, day, occasion = line.split("\t")
        month, date = (int(part) for part in day.split("-"))
        table[code.strip().upper()] = (month, date, occasion.strip())
    return table


def national_day(code: str | None, on: dt.date | None, today: dt.date) -> NationalDay | None:
    """The country's national day: the next one on or after `on` (else today) when desk
    knows it; `on` itself, by name of the country, when desk does not; None when desk does
    not know it and no date was given."""
    country = (code or "").upper()
    found = _national_days().get(country)
    if found is None:
        if on is None:
            return None
        name = country_name(country)
        occasion = f"the National Day of {in_sentence(country)}" if name else "your National Day"
        return NationalDay(country, on, occasion, known=False)
    month, day, occasion = found
    start = on or today
    upcoming = dt.date(start.year, month, day)
    if upcoming < start:
        upcoming = dt.date(start.year + 1, month, day)
    return NationalDay(country, upcoming, occasion, known=True)


# -- people ------------------------------------------------------------------------------------

# Honorifics that a salutation leaves out: they are written, never said ("The Honorable").
_WRITTEN_ONLY = ("the honorable", "the hon.", "hon.", "the hon", "honorable")
_EXCELLENCY = ("h.e.", "he", "his excellency", "her excellency", "excellency")
# Honorifics said in full in a salutation: "Dear Professor Sato:".
_SPOKEN = {"prof.": "Professor", "prof": "Professor", "gov.": "Governor", "amb.": "Ambassador"}


def honorific_of(contact: Mapping[str, Any]) -> str:
    return " ".join(str(contact.get("honorific") or "").split())


def full_name(contact: Mapping[str, Any]) -> str:
    """The name in running text, with the honorific: 'Mayor Ana Belén Fernández' (an
    honorific only ever written, "The Honorable", stays on the envelope)."""
    name = person_name(dict(contact))
    title = honorific_of(contact)
    if title.casefold() in _WRITTEN_ONLY:
        return name
    return f"{title} {name}" if title and name else name or title


def in_running_text(contact: Mapping[str, Any]) -> str:
    """The person as a sentence names them the first time: their written form of address
    ('the Honorable Daisuke Nakamura, Mayor of Matsue'), else their name with its
    honorific. A sentence that goes on after it needs a comma of its own."""
    written = " ".join(str(contact.get("written_address") or "").split())
    if not written:
        return full_name(contact)
    return "the " + written[4:] if written.startswith("The ") else written


def addressed_name(contact: Mapping[str, Any]) -> str:
    """The name as an address writes it, with any honorific: 'The Honorable Ana Ruiz'."""
    name = person_name(dict(contact))
    title = honorific_of(contact)
    return f"{title} {name}" if title and name else name or title


def salutation(contact: Mapping[str, Any]) -> str:
    """'Dear Mayor Nakamura:' from the spoken form of address; else from the honorific
    and family name; 'Excellency:' for an ambassador or head of state; else the name."""
    spoken = " ".join(str(contact.get("spoken_address") or "").split())
    if spoken:
        if spoken.casefold().rstrip(":,") in ("excellency", "your excellency"):
            return "Excellency:"
        return f"Dear {spoken.rstrip(':,')}:"
    title = honorific_of(contact)
    folded = title.casefold()
    if folded in _EXCELLENCY:
        return "Excellency:"
    family = str(contact.get("family_name") or "").strip()
    if folded in _WRITTEN_ONLY or not title:
        name = person_name(dict(contact))
        return f"Dear {name}:" if name else "Dear Sir or Madam:"
    said = _SPOKEN.get(folded, title)
    return f"Dear {said} {family}:" if family else f"Dear {said}:"


def address_lines(
    contact: Mapping[str, Any], organisation: Mapping[str, Any] | None, postal: str = ""
) -> list[Text]:
    """The inside address: the written form of address (split at its first comma into name
    and title, as a letter sets it), the name in native script, the job title and
    organization where the written form does not say them, then the postal address
    recorded for the person, else the organization's city and country."""
    lines: list[str] = []
    written = " ".join(str(contact.get("written_address") or "").split())
    org_name = str((organisation or {}).get("name") or "").strip()
    job = str(contact.get("job_title") or "").strip()
    if written:
        head, _sep, rest = written.partition(", ")
        lines.append(head)
        rest = rest.strip()
    else:
        lines.append(addressed_name(contact))
        rest = ""
    native = str(contact.get("name_native") or "").strip()
    if native and native not in lines[0]:
        lines.append(native)
    if rest:
        lines.append(rest)
    elif job:
        lines.append(job)
    if org_name and not any(org_name.casefold() in line.casefold() for line in lines):
        lines.append(org_name)
    if postal.strip():
        lines += [line.strip() for line in postal.replace("\r", "\n").split("\n") if line.strip()]
    else:
        org = organisation or {}
        place = ", ".join(
            p for p in (str(org.get("city") or "").strip(), country_text(org.get("country"))) if p
        )
        if place and not any(place.casefold() in line.casefold() for line in lines):
            lines.append(place)
    return texts(lines)
