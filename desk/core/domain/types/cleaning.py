"""Each field type's cleaner: what a person typed (in the window, on the command line, in
a sheet's cell) into the value stored, or a message naming the field."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from desk.core.domain import when
from desk.core.domain.dates import (
    first_day,
    offset_text,
    place_in_zone,
    short_date,
    short_when,
)
from desk.core.domain.kinds import Field
from desk.core.errors import ValidationError
from desk.core.reference import countries

MAX_LINE = 2_000
MAX_TEXT = 2_000_000
_TRUE = {"1", "true", "yes", "y", "on", "x"}
_FALSE = {"0", "false", "no", "n", "off", ""}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _fail(spec: Field, problem: str, value: object, why: str = "") -> ValidationError:
    """'{label} {problem}, got '{value}' ({why}).', a date or time given as such shown the
    U.S. way, never as ISO."""
    if isinstance(value, dt.datetime):
        shown = short_when(value)
    elif isinstance(value, dt.date):
        shown = short_date(value)
    else:
        shown = str(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    said = f" ({why})" if why else ""
    return ValidationError(f"{named(spec)} {problem}, got '{shown}'{said}.", field=spec.name)


def named(spec: Field) -> str:
    """The label a person reads and the name they type: "'Partner' (partner_name)"."""
    return f"'{spec.label}'" + (f" ({spec.name})" if spec.name != spec.label.lower() else "")


def clean_line(spec: Field, value: Any, values: Mapping[str, Any]) -> str:
    """One line of text: a line break typed or pasted into it becomes a space."""
    return _text(spec, value, MAX_LINE, multiline=False)


def clean_long_text(spec: Field, value: Any, values: Mapping[str, Any]) -> str:
    return _text(spec, value, MAX_TEXT, multiline=True)


def _text(spec: Field, value: Any, limit: int, *, multiline: bool) -> str:
    if not isinstance(value, str):
        value = str(value)
    if "\x00" in value:
        raise ValidationError(
            f"'{spec.label}' contains a NUL character, which cannot be stored.", spec.name
        )
    if len(value) > limit:
        raise ValidationError(
            f"'{spec.label}' is {len(value):,} characters long; the limit is {limit:,}.",
            spec.name,
        )
    if not multiline and ("\n" in value or "\r" in value):
        value = " ".join(value.split())
    return value


# Years a city's international work can be dated in: a year outside is a typo, and years
# near 9999 break every calendar a date is exported to.
FIRST_YEAR, LAST_YEAR = 1800, 2200
# Plain integers SQLite holds exactly, and amounts no city budget comes near.
LARGEST_NUMBER = 10**15


def _in_years(spec: Field, day: dt.date, value: object) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise _fail(
            spec,
            f"must be between {FIRST_YEAR} and {LAST_YEAR} (a year outside is almost always "
            "a typo)",
            value,
        )


_DATE_EXAMPLES = "like 5/31/2024, May 31, 2024 or 2024-05-31 (or today, next friday, in 2 weeks)"
_DATETIME_EXAMPLES = "like 3/8/2027 1:00 PM, 2027-03-08 13:00 or tomorrow 3pm"


def clean_date(spec: Field, value: Any, _values: Mapping[str, Any]) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        _in_years(spec, value, value)
        return value.isoformat()
    text = str(value).strip()
    if spec.partial:
        problem = (
            "must be a date like 5/31/2024 or May 31, 2024, or a month or year alone "
            "(June 1961, 1961)"
        )
    else:
        problem = f"must be a date {_DATE_EXAMPLES}"
    try:
        reading = when.read(text, partial=spec.partial)
    except when.Unreadable as exc:
        raise _fail(spec, problem, value, exc.why) from None
    if reading.time not in (None, dt.time()):
        raise _fail(spec, problem, value, "a date is asked for here, without a time")
    stored = reading.stored_date
    _in_years(spec, first_day(stored), value)
    return stored


def _zone_of(values: Mapping[str, Any], field: str = "time_zone") -> str | None:
    """The zone a record's local time is in: the field its `zone_field` names (a
    record's `time_zone`, a flight's departure zone); None when it has none (yet) or one
    desk does not know, which its own field then refuses."""
    zone = str(values.get(field) or "").strip()
    return zone if zone in countries.time_zones() else None


def clean_datetime(spec: Field, value: Any, values: Mapping[str, Any]) -> str:
    """A local date and time, stored as the wall clock reads it ('2027-03-08T13:00') in
    the record's zone: refused when the clock skips it, and kept with its offset when a
    clock change repeats it and the value says which ('1:30 AM PST', '-08:00')."""
    mark: str | None
    if isinstance(value, dt.datetime):
        wall = value.replace(tzinfo=None)
        mark = offset_text(value.utcoffset()) if value.tzinfo is not None else None
    elif isinstance(value, dt.date):
        raise _fail(spec, f"needs a time as well as a day, {_DATETIME_EXAMPLES}", value)
    else:
        try:
            reading = when.read(str(value).strip(), partial=False)
        except when.Unreadable as exc:
            raise _fail(
                spec, f"must be a local date and time {_DATETIME_EXAMPLES}", value, exc.why
            ) from None
        if reading.time is None:
            raise _fail(spec, f"needs a time as well as a day, {_DATETIME_EXAMPLES}", value)
        wall, mark = reading.moment, reading.mark
    _in_years(spec, wall.date(), value)
    zone = _zone_of(values, spec.zone_field)
    if zone is None:
        # Nothing to check a mark against: an offset is kept as given, a zone's
        # abbreviation cannot be read without the zone.
        offset = when.offset_of(mark) if mark else None
        plain = wall.strftime("%Y-%m-%dT%H:%M")
        return plain if offset is None else plain + offset_text(offset)
    try:
        return place_in_zone(wall, zone, mark)
    except ValueError as exc:
        raise ValidationError(f"{named(spec)}: {exc}.", field=spec.name) from None


def clean_int(spec: Field, value: Any, _values: Mapping[str, Any]) -> int:
    if isinstance(value, bool):
        raise _fail(spec, "must be a whole number", value)
    text = str(value).replace(",", "").strip()
    if not isinstance(value, int) and not re.fullmatch(r"[+-]?[0-9]{1,16}", text):
        raise _fail(spec, "must be a whole number", value)
    number = value if isinstance(value, int) else int(text)
    if abs(number) > LARGEST_NUMBER:
        raise _fail(spec, f"must be at most {LARGEST_NUMBER:,}", value)
    if spec.minimum is not None and number < spec.minimum:
        raise _fail(spec, f"must be at least {spec.minimum}", value)
    if spec.maximum is not None and number > spec.maximum:
        raise _fail(spec, f"must be at most {spec.maximum}", value)
    return number


def clean_bool(spec: Field, value: Any, _values: Mapping[str, Any]) -> int:
    if isinstance(value, bool | int) and value in (0, 1):
        return int(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return 1
    if text in _FALSE:
        return 0
    raise _fail(spec, "must be yes or no", value)


def clean_enum(spec: Field, value: Any, _values: Mapping[str, Any]) -> str:
    assert spec.vocab is not None
    text = str(value).strip()
    if text in spec.vocab:
        return text
    folded = text.casefold().replace("-", "_").replace(" ", "_")
    for code, label in spec.vocab.items():
        if folded in (code, label.casefold().replace(" ", "_")):
            return code
    # Named as the person reads and may type them: "Sister city", not "sister_city".
    labels = list(spec.vocab.values())
    allowed = ", ".join(labels) if len(labels) <= 12 else ", ".join(labels[:3])
    if len(labels) > 12:
        allowed += f"… ({len(labels)} in all)"
    raise _fail(spec, f"must be one of: {allowed}", value)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                loaded = json.loads(stripped)
                if isinstance(loaded, list):
                    return [str(item) for item in loaded]
            except ValueError:
                pass
        return [part.strip() for part in re.split(r"[;,\n]", stripped) if part.strip()]
    return [str(item) for item in value]


def clean_enum_list(spec: Field, value: Any, values: Mapping[str, Any]) -> str:
    assert spec.vocab is not None
    chosen = {clean_enum(spec, item, values) for item in _as_list(value)}
    return json.dumps([code for code in spec.vocab if code in chosen])


def clean_languages(spec: Field, value: Any, _values: Mapping[str, Any]) -> str:
    codes: list[str] = []
    for item in _as_list(value):
        code = countries.resolve_language(item)
        if code is None:
            raise _fail(spec, "must list languages by name or code (e.g. ja, Japanese)", item)
        if code not in codes:
            codes.append(code)
    return json.dumps(codes)


def clean_country(spec: Field, value: Any, _values: Mapping[str, Any]) -> str:
    code = countries.resolve_country(str(value))
    if code is None:
        raise _fail(spec, "must be a country name or ISO code (e.g. JP, Japan)", value)
    return code


def clean_time_zone(spec: Field, value: Any, _values: Mapping[str, Any]) -> str:
    text = str(value).strip()
    if text in countries.time_zones():
        return text
    raise _fail(spec, "must be a time zone name like Asia/Tokyo", value)


def clean_currency(spec: Field, value: Any, _values: Mapping[str, Any]) -> str:
    text = str(value).strip().upper()
    if text in countries.currency_codes():
        return text
    raise _fail(spec, "must be a currency code like USD or JPY", value)


def clean_money(spec: Field, value: Any, values: Mapping[str, Any]) -> int:
    """Integer minor units. An int is taken as minor units already; text as an amount."""
    if isinstance(value, int) and not isinstance(value, bool):
        amount_minor = value
    else:
        currency = values.get(spec.currency_field or "") or "USD"
        try:
            amount = Decimal(str(value).replace(",", "").strip())
        except InvalidOperation:
            raise _fail(spec, "must be an amount like 1250.00", value) from None
        if not amount.is_finite() or abs(amount) > LARGEST_NUMBER:
            raise _fail(spec, "must be an amount like 1250.00", value)
        from babel.numbers import get_currency_precision

        places = get_currency_precision(str(currency).upper())
        scaled = amount.scaleb(places)
        if scaled != scaled.to_integral_value():
            raise _fail(spec, f"has more than {places} decimal places", value)
        amount_minor = int(scaled)
    if amount_minor < 0:
        raise _fail(spec, "cannot be negative", value)
    if amount_minor > LARGEST_NUMBER:
        raise _fail(spec, "is larger than any amount desk keeps", value)
    return amount_minor


def clean_email(spec: Field, value: Any, values: Mapping[str, Any]) -> str:
    text = clean_line(spec, value, values)
    if not _EMAIL.match(text):
        raise _fail(spec, "must be an email address like name@example.org", value)
    return text


def clean_ref(spec: Field, value: Any, _values: Mapping[str, Any]) -> int:
    # Existence is checked by records.py, which has the database.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if is_plain_id(text):
        return int(text)
    raise _fail(spec, "must be the number of an existing record", value)


def is_plain_id(text: str) -> bool:
    """Digits a record's id can be: ASCII ('²' is a digit to Python), and few enough for
    SQLite's integers."""
    return text.isascii() and text.isdigit() and len(text) <= 15


_COORDINATE = r"([+-]?\d{1,3}(?:\.\d+)?)\s*°?\s*([NSEW])?"


def clean_coordinates(spec: Field, value: Any, _values: Mapping[str, Any]) -> str:
    """'35.468, 133.049' (latitude, longitude), also with N/S/E/W; stored the first way."""
    text = str(value).strip()
    found = re.fullmatch(_COORDINATE + r"\s*[,;\s]\s*" + _COORDINATE, text, re.IGNORECASE)
    if not found:
        raise _fail(spec, "must be a latitude and a longitude, as 35.468, 133.049", value)
    lat, lat_hemisphere, lon, lon_hemisphere = found.groups()
    latitude, longitude = float(lat), float(lon)
    if (lat_hemisphere or "").upper() == "S":
        latitude = -abs(latitude)
    if (lon_hemisphere or "").upper() == "W":
        longitude = -abs(longitude)
    if not -90 <= latitude <= 90 or not -180 <= longitude <= 180:
        raise _fail(spec, "must have a latitude within ±90 and a longitude within ±180", value)
    return f"{latitude:.4f}, {longitude:.4f}"
