"""Policy flags: the laws and office rules that touch a partnership, an agreement or a gift.

Since 2023 several U.S. states have restricted the ties their cities keep with
governments of certain countries, and cities keep their own gift-reporting thresholds.
The rules are data: the edition desk ships (`resources/policy/us-state-rules.json`, each
rule with its statute or bill, its dates and how sure the research is) and the office's
own file in the data folder (`policy-rules.json`), which adds rules, replaces a shipped
rule of the same id or turns one off. The city's state (the city profile's, or one asked
for) picks the state rules; the office's own rules apply wherever the city is.

A flag matches by the record's data: the partner's country (the record's own, else its
partnership's or visit's), whether the partner is a government (the partnership's level),
whether the tie still stands, and its dates against the rule's. Nothing here is legal
advice, and every surface that shows a flag says so once (`NOTICE`). Qt-free: the window,
the documents and `desk policy` read the same flags.

[Format](../../../docs/policy-rules.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from desk.core.domain import money
from desk.core.domain.dates import add_months, first_day, last_day, month_day_year, short_date
from desk.core.domain.kinds import KINDS
from desk.core.domain.vocab import PARTNER_LEVELS
from desk.core.errors import DeskError, ValidationError
from desk.core.reference.countries import all_countries, country_name, currency_codes
from desk.core.store.db import Database

NOTICE = "Check with your city attorney; this is not legal advice."
EDITION = ("policy", "us-state-rules.json")
OFFICE_FILE = "policy-rules.json"
FORMAT = 1

RULE_KINDS = {
    "ends_ties": "Existing ties must end, and no new ones may be made",
    "bars_new_ties": "No new ties may be made",
    "needs_review": "Ties made or renewed need someone's review or approval",
    "reports_gifts": "Gifts over an amount are reported within a number of days",
}
CONFIDENCE = ("high", "medium", "low")

# Statuses of partnerships and agreements (the two vocabularies share no code). A tie
# stands until it has lapsed, ended, expired or been terminated: a suspended or dormant
# sister city has not been ended, and a law against keeping one still reaches it.
_STANDING = frozenset({"friendship", "active", "dormant", "suspended", "signed", "in_force"})
_PENDING = frozenset({"proposed", "draft", "negotiating"})
_RESTING = frozenset({"dormant", "suspended"})
_TIES = sorted(_STANDING | _PENDING)
# When a tie was made: its signing, founding or start, whichever the record keeps first.
_MADE = ("signed_date", "established_date", "effective_date")
_HOME = "US"  # a partner here is no foreign government, whatever a linked record says
# The fields a rule reads, wherever a kind has them.
_READ = frozenset(
    {"kind", "status", "country", "partner_level", *_MADE, "expiry_date", "auto_renew"}
    | {"term_months", "renewal_term_months", "direction", "value_minor", "currency"}
    | {"disposition", "exchanged_on", "start_date"}
)


class PolicyFileError(DeskError):
    """A rules file that cannot be read: named with the rule and field at fault."""


# -- the rules -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    citation: str  # "Tex. Gov't Code ch. 795"
    bill: str = ""  # "H.B. 128, 89th Legislature, Regular Session"
    title: str = ""
    url: str = ""
    enacted: str = ""  # ISO, or a year or month alone

    def cited(self) -> str:
        """'Tex. Gov't Code ch. 795 (H.B. 128, ...), enacted June 20, 2025'."""
        text = self.citation + (f" ({self.bill})" if self.bill else "")
        return text + (f", enacted {month_day_year(self.enacted)}" if self.enacted else "")


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str  # a key of RULE_KINDS
    state: str | None  # postal code; None: the office's rule, wherever the city is
    title: str
    source: Source
    asks: str  # what the rule asks, in words
    effective: dt.date | None = None
    until: dt.date | None = None
    confidence: str = "high"
    confidence_note: str = ""
    # kind -> the values of its `kind` field the rule reaches (None: every one)
    touches: Mapping[str, frozenset[str] | None] = field(default_factory=dict)
    countries: frozenset[str] = frozenset()  # empty: any foreign country
    partners: frozenset[str] = frozenset()  # partner levels; empty: any
    end_by: dt.date | None = None  # ends_ties
    existing: str = "spared"  # bars_new_ties: "spared" or "review"
    review_by: str = ""  # needs_review
    direction: str = "received"  # reports_gifts: "received", "given" or "any"
    minor: int = 0  # reports_gifts: the threshold in the currency's minor units
    currency: str = "USD"
    or_more: bool = False
    within_days: int | None = None
    report_to: str = ""
    office: bool = False  # from the office's own file

    @property
    def threshold(self) -> str:
        """'$50,000.00 or more', 'over $100.00'."""
        amount = money.text(self.minor, self.currency)
        return f"{amount} or more" if self.or_more else f"over {amount}"

    def where(self) -> str:
        if self.state is None:
            return "the office's own rule"
        return US_STATES.get(self.state, self.state)

    def summary(self) -> str:
        """The rule in a sentence or two: what it asks and since when."""
        parts = [self.asks[:1].upper() + self.asks[1:] + "."]
        if self.effective:
            parts.append(f"In effect since {short_date(self.effective)}.")
        if self.until:
            parts.append(f"Until {short_date(self.until)}.")
        return " ".join(parts)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "state": self.state,
            "office": self.office,
            "title": self.title,
            "asks": self.asks,
            "citation": self.source.citation,
            "bill": self.source.bill,
            "source_title": self.source.title,
            "url": self.source.url,
            "enacted": self.source.enacted or None,
            "effective": self.effective.isoformat() if self.effective else None,
            "until": self.until.isoformat() if self.until else None,
            "confidence": self.confidence,
            "confidence_note": self.confidence_note,
        }


@dataclass(frozen=True)
class Edition:
    """The shipped rules with the office's file over them."""

    rules: tuple[Rule, ...]
    researched: dt.date
    current_to: str  # how current the research is, in words
    office_file: Path | None  # the office's file, when there is one
    problems: tuple[str, ...] = ()  # what could not be read from the office's file

    @property
    def as_of(self) -> str:
        """'as researched on December 6, 2026'."""
        return f"as researched on {month_day_year(self.researched)}"


def office_file() -> Path:
    """Where the office keeps its own rules (created by hand; desk never writes it)."""
    from desk.core.paths import data_dir

    return data_dir() / OFFICE_FILE


def load(office: Path | None = None) -> Edition:
    """The shipped edition, with the office's file (default: `office_file()`) over it.

    A fault in the shipped file raises; a fault in the office's file is reported in
    `Edition.problems` and the shipped rules still apply, so a typo in a threshold
    never hides the state's laws. Read again only when either file changed: a record
    page asks for every record it shows."""
    from desk.core.paths import resource_path

    shipped_path = resource_path(*EDITION)
    path = office if office is not None else office_file()
    key = (str(shipped_path), _stamp(shipped_path), str(path), _stamp(path))
    if _LOADED.get("key") != key:
        _LOADED["key"], _LOADED["edition"] = key, _load(shipped_path, path)
    edition = _LOADED["edition"]
    assert isinstance(edition, Edition)
    return edition


_LOADED: dict[str, object] = {}


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_mtime_ns, found.st_size)


def _load(shipped_path: Path, path: Path) -> Edition:
    raw = _read(shipped_path)
    shipped = _rules(raw, shipped_path, office=False)
    researched = _date(raw.get("researched"), _Where(shipped_path.name, "(edition)"), "researched")
    if researched is None:
        raise PolicyFileError(f"{shipped_path.name}: 'researched' is missing.")
    try:
        present = path.is_file()
    except OSError:
        present = False
    if not present:
        return Edition(shipped, researched, str(raw.get("current_to", "")), None)
    try:
        own_raw = _read(path)
        own = _rules(own_raw, path, office=True, turned_off=True)
    except PolicyFileError as error:
        return Edition(shipped, researched, str(raw.get("current_to", "")), path, (str(error),))
    by_id = {rule.id: rule for rule in shipped}
    for rule in own:
        by_id[rule.id] = rule
    off = {str(r.get("id")) for r in own_raw.get("rules", []) if r.get("disabled") is True}
    merged = tuple(rule for rule in by_id.values() if rule.id not in off)
    return Edition(merged, researched, str(raw.get("current_to", "")), path)


def _read(path: Path) -> dict[str, Any]:
    stat = path.stat()
    return _parsed(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _parsed(path: str, _mtime: int, _size: int) -> dict[str, Any]:
    # Keyed by the file's time and size: an office that edits its file sees the edit on
    # the next look, without reading the file at every flag.
    name = os.path.basename(path)
    try:
        with open(path, encoding="utf-8") as handle:
            raw = json.load(handle)
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyFileError(f"{name}: cannot be read ({error}).") from error
    except json.JSONDecodeError as error:
        raise PolicyFileError(
            f"{name}: not JSON at line {error.lineno}, column {error.colno} ({error.msg})."
        ) from error
    if not isinstance(raw, dict):
        raise PolicyFileError(f"{name}: holds no object with 'rules'.")
    if raw.get("format", FORMAT) != FORMAT:
        raise PolicyFileError(
            f"{name}: format {raw.get('format')!r} is not one this desk reads ({FORMAT})."
        )
    if not isinstance(raw.get("rules"), list):
        raise PolicyFileError(f"{name}: 'rules' must be a list.")
    return raw


def _rules(
    raw: Mapping[str, Any], path: Path, *, office: bool, turned_off: bool = False
) -> tuple[Rule, ...]:
    found: list[Rule] = []
    seen: set[str] = set()
    for n, item in enumerate(raw["rules"], start=1):
        if not isinstance(item, dict):
            raise PolicyFileError(f"{path.name}: rule {n} is not an object.")
        rule_id = str(item.get("id") or "").strip()
        if not rule_id:
            raise PolicyFileError(f"{path.name}: rule {n} has no 'id'.")
        if rule_id in seen:
            raise PolicyFileError(f"{path.name}: two rules are named '{rule_id}'.")
        seen.add(rule_id)
        if turned_off and item.get("disabled") is True:
            continue
        found.append(_rule(item, _Where(path.name, rule_id), office=office))
    return tuple(found)


@dataclass(frozen=True)
class _Where:
    file: str
    rule: str

    def fault(self, key: str, message: str) -> PolicyFileError:
        return PolicyFileError(f"{self.file}, rule '{self.rule}': '{key}' {message}.")


def _rule(item: Mapping[str, Any], at: _Where, *, office: bool) -> Rule:
    def text(key: str, *, required: bool = False) -> str:
        value = item.get(key, "")
        if not isinstance(value, str):
            raise at.fault(key, "must be text")
        if required and not value.strip():
            raise at.fault(key, "is missing")
        return value.strip()

    kind = text("kind", required=True)
    if kind not in RULE_KINDS:
        raise at.fault("kind", f"must be one of {', '.join(RULE_KINDS)}, not '{kind}'")
    state_text = item.get("state")
    if state_text is None and not office:
        raise at.fault("state", "is missing (only the office's own rules may omit it)")
    state = None
    if state_text is not None:
        state = state_code(str(state_text))
        if state is None:
            raise at.fault("state", f"'{state_text}' is not a U.S. state or territory")
    source_raw = item.get("source")
    if not isinstance(source_raw, dict) or not str(source_raw.get("citation", "")).strip():
        raise at.fault("source", "must name at least its 'citation'")
    enacted = str(source_raw.get("enacted", "") or "")
    if enacted:
        _date(enacted, at, "source.enacted", partial=True)
    source = Source(
        str(source_raw["citation"]).strip(),
        str(source_raw.get("bill", "")).strip(),
        str(source_raw.get("title", "")).strip(),
        str(source_raw.get("url", "")).strip(),
        enacted,
    )
    confidence = text("confidence") or ("high" if office else "")
    if confidence not in CONFIDENCE:
        raise at.fault("confidence", f"must be one of {', '.join(CONFIDENCE)}")
    values: dict[str, Any] = {
        "id": at.rule,
        "kind": kind,
        "state": state,
        "title": text("title", required=True),
        "source": source,
        "asks": text("asks", required=True),
        "effective": _date(item.get("effective"), at, "effective"),
        "until": _date(item.get("until"), at, "until"),
        "confidence": confidence,
        "confidence_note": text("confidence_note"),
        "office": office,
    }
    touches = item.get("touches")
    if not isinstance(touches, dict) or not touches:
        raise at.fault("touches", "must name the kinds of record it reaches")
    # What each rule kind reads of a record: a tie's standing, a gift's value.
    reads = "value_minor" if kind == "reports_gifts" else "status"
    values["touches"] = _touches(touches, at, reads)
    if kind == "reports_gifts":
        values.update(_gift_terms(item, at))
    else:
        values.update(_tie_terms(item, kind, at))
    return Rule(**values)


def _tie_terms(item: Mapping[str, Any], kind: str, at: _Where) -> dict[str, Any]:
    terms: dict[str, Any] = {
        "countries": _countries(item.get("countries"), at, required=True),
        "partners": _levels(item.get("partners"), at),
    }
    if kind == "ends_ties":
        terms["end_by"] = _date(item.get("end_by"), at, "end_by")
    if kind == "bars_new_ties":
        existing = item.get("existing", "spared")
        if existing not in ("spared", "review"):
            raise at.fault("existing", "must be 'spared' or 'review'")
        terms["existing"] = existing
    if kind == "needs_review":
        review_by = item.get("review_by")
        if not isinstance(review_by, str) or not review_by.strip():
            raise at.fault("review_by", "must say whose review or approval it needs")
        terms["review_by"] = review_by.strip()
    return terms


def _gift_terms(item: Mapping[str, Any], at: _Where) -> dict[str, Any]:
    direction = item.get("direction", "received")
    if direction not in ("received", "given", "any"):
        raise at.fault("direction", "must be 'received', 'given' or 'any'")
    currency = str(item.get("currency", money.DEFAULT_CURRENCY)).upper()
    if currency not in currency_codes():
        raise at.fault("currency", f"'{currency}' is not a currency code")
    try:
        amount = Decimal(str(item.get("amount", "")).replace(",", "").strip())
    except InvalidOperation as error:
        raise at.fault("amount", 'must be an amount such as "100" or "49.99"') from error
    minor = amount.scaleb(money.places(currency))
    if not amount.is_finite() or amount < 0 or minor != minor.to_integral_value():
        raise at.fault("amount", 'must be an amount such as "100" or "49.99"')
    within = item.get("within_days")
    if within is not None and (
        not isinstance(within, int) or isinstance(within, bool) or within < 0
    ):
        raise at.fault("within_days", "must be a whole number of days")
    or_more = item.get("or_more", False)
    if not isinstance(or_more, bool):
        raise at.fault("or_more", "must be true or false")
    return {
        "direction": direction,
        "minor": int(minor),
        "currency": currency,
        "or_more": or_more,
        "within_days": within,
        "report_to": str(item.get("report_to", "")).strip(),
        "countries": _countries(item.get("countries"), at, required=False),
    }


def _touches(raw: Mapping[str, Any], at: _Where, reads: str) -> dict[str, frozenset[str] | None]:
    found: dict[str, frozenset[str] | None] = {}
    for name, sorts in raw.items():
        spec = KINDS.get(name)
        if spec is None:
            raise at.fault("touches", f"names '{name}', which is no kind of record")
        if reads not in spec.field_map:
            raise at.fault("touches", f"names '{name}', which has no '{reads}' to judge")
        if sorts == "*":
            found[name] = None
            continue
        own = spec.field_map.get("kind")
        choices = set(own.vocab or ()) if own is not None else set()
        if not isinstance(sorts, list) or not sorts:
            raise at.fault("touches", f"must give '{name}' a list of its kinds or \"*\"")
        wrong = [s for s in sorts if s not in choices]
        if wrong:
            raise at.fault("touches", f"gives '{name}' kinds it does not have: {wrong}")
        found[name] = frozenset(sorts)
    return found


def _countries(raw: Any, at: _Where, *, required: bool) -> frozenset[str]:
    if raw is None and not required:
        return frozenset()
    if not isinstance(raw, list) or (required and not raw):
        raise at.fault("countries", "must be a list of ISO country codes")
    codes = frozenset(str(c).upper() for c in raw)
    wrong = sorted(codes - set(all_countries()))
    if wrong:
        raise at.fault("countries", f"holds codes that are no country: {wrong}")
    return codes


def _levels(raw: Any, at: _Where) -> frozenset[str]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list):
        raise at.fault("partners", "must be a list of partner levels")
    wrong = [level for level in raw if level not in PARTNER_LEVELS]
    if wrong:
        raise at.fault("partners", f"must be levels among {', '.join(PARTNER_LEVELS)}: {wrong}")
    return frozenset(raw)


def _date(raw: Any, at: _Where, key: str, *, partial: bool = False) -> dt.date | None:
    if raw is None or raw == "":
        return None
    try:
        return first_day(str(raw)) if partial else dt.date.fromisoformat(str(raw))
    except ValueError as error:
        raise at.fault(key, f"must be a date written 2025-09-01, not '{raw}'") from error


# -- the city's state ----------------------------------------------------------------------

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas",
    "CA": "California", "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware",
    "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia", "HI": "Hawaii",
    "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
    "WY": "Wyoming", "AS": "American Samoa", "GU": "Guam",
    "MP": "Northern Mariana Islands", "PR": "Puerto Rico", "VI": "U.S. Virgin Islands",
}  # fmt: skip
_OTHER_NAMES = {"washington dc": "DC", "washington d c": "DC", "d c": "DC"}


def _fold(text: str) -> str:
    kept = "".join(c if c.isalnum() else " " for c in text.casefold())
    return " ".join(kept.split())


@functools.cache
def _by_name() -> dict[str, str]:
    table = {_fold(name): code for code, name in US_STATES.items()}
    table.update(_OTHER_NAMES)
    return table


def state_code(text: str | None) -> str | None:
    """'TX' for 'TX', 'tx', 'Texas' or 'State of Texas'; None for anything else."""
    if not text or not text.strip():
        return None
    bare = text.strip()
    if bare.upper() in US_STATES:
        return bare.upper()
    folded = _fold(bare).removeprefix("state of ").removeprefix("commonwealth of ")
    return _by_name().get(folded)


def profile_state(db: Database) -> str | None:
    """The state as the city profile writes it ('Oregon'), or None."""
    row = db.execute("SELECT state FROM city_profile ORDER BY id LIMIT 1").fetchone()
    if row is None or row[0] is None:
        return None
    return str(row[0]).strip() or None


@dataclass(frozen=True)
class Place:
    """Whose rules apply: the state's code, if known, and where that came from."""

    code: str | None
    given: str | None  # as typed or stored
    asked: bool  # given on the command line rather than read from the profile

    @property
    def name(self) -> str:
        return US_STATES.get(self.code or "", self.given or "")

    def note(self) -> str | None:
        """Why no state rules apply, when none can."""
        if self.code:
            return None
        if not self.given:
            return (
                "The city profile names no state, so only the office's own rules apply: "
                "set the state under Our city, or give --state."
            )
        return f"'{self.given}' is not a U.S. state, so only the office's own rules apply."


def place_of(db: Database, state: str | None = None) -> Place:
    """The state whose rules apply: `state` if given (refused when it is no U.S. state
    or territory), else the city profile's."""
    if state is not None:
        code = state_code(state)
        if code is None:
            raise ValidationError(
                f"'{state}' is not a U.S. state or territory: give its postal code (TX) "
                "or its name (Texas).",
                field="state",
            )
        return Place(code, state, True)
    given = profile_state(db)
    return Place(state_code(given), given, False)


def rules_for(edition: Edition, place: Place, today: dt.date | None = None) -> list[Rule]:
    """The rules that apply in that place (the office's own rules everywhere), in force
    on `today`: a rule past its `until` is left out."""
    day = today or dt.date.today()
    return [
        rule
        for rule in edition.rules
        if (rule.state is None or rule.state == place.code)
        and (rule.until is None or day <= rule.until)
    ]


# -- what a record says about itself -------------------------------------------------------


class _Subject:
    """What a record says about itself, read as a rule asks: its own fields first, the
    values it takes from linked records (a country, a partner's level) only when a rule
    gets that far, since most records are set aside on their own fields."""

    def __init__(self, reader: _Reader, kind: str, row: Mapping[str, Any]) -> None:
        self._reader = reader
        self._row = row
        self._fields = KINDS[kind].field_map
        self.kind = kind
        self.id = int(row["id"])
        self.title = str(row.get("title__") or "")
        self.sort: str | None = self._own("kind")  # sister_city, mou, ...
        self.status: str | None = self._own("status")
        self.direction: str | None = self._own("direction")
        value = self._own("value_minor")
        self.minor: int | None = int(value) if value is not None else None
        self.currency = str(self._own("currency") or money.DEFAULT_CURRENCY).upper()
        self.reported = self._own("disposition") == "reported"

    def _own(self, name: str) -> Any:
        return self._row.get(name) if name in self._fields else None

    @property
    def standing(self) -> bool:
        return self.status in _STANDING

    @property
    def pending(self) -> bool:
        return self.status in _PENDING

    @functools.cached_property
    def country(self) -> str | None:
        found = self._reader.linked(self.kind, self._row, "country")
        return str(found) if found else None

    @functools.cached_property
    def level(self) -> str | None:
        """The partner's level, own or the linked partnership's."""
        found = self._reader.linked(self.kind, self._row, "partner_level")
        return str(found) if found else None

    @functools.cached_property
    def made(self) -> str | None:
        """When it was made (a stored date, whole or partial)."""
        found = next((self._own(n) for n in _MADE if self._own(n)), None)
        return str(found) if found else None

    @functools.cached_property
    def expires(self) -> dt.date | None:
        return _day(self._own("expiry_date"))

    @functools.cached_property
    def renewed(self) -> dt.date | None:
        """The day its present renewal term began."""
        return _renewed(self._row, self.made, self.expires, bool(self._own("auto_renew")))

    @functools.cached_property
    def on(self) -> dt.date | None:
        """A gift's day: its own, else its visit's first."""
        own = _day(self._own("exchanged_on"))
        if own is not None or "exchanged_on" not in self._fields:
            return own
        return _day(self._reader.linked(self.kind, self._row, "start_date"))

    def what(self) -> str:
        """'this sister city', 'this memorandum of understanding', 'this gift'."""
        own = self._fields.get("kind")
        label = (own.vocab or {}).get(self.sort or "", "") if own else ""
        return f"this {(label or KINDS[self.kind].label).lower()}"

    def whom(self) -> str:
        """'a city in China', 'the national government of Russia', 'a partner in Iran'."""
        where = country_name(self.country)
        if self.level == "country":
            return f"the national government of {where}"
        if self.level == "other":
            return f"an organization in {where}"
        if self.level in ("city", "region", "network"):
            return f"a {self.level} in {where}"
        return f"a partner in {where}"


class _Reader:
    """Rows by kind and id, read once per look, and the values a record takes from the
    records it links to (an agreement's partner country from its partnership)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._rows: dict[tuple[str, int], dict[str, Any] | None] = {}

    def _select(self, kind: str, where: str, args: tuple[Any, ...]) -> list[dict[str, Any]]:
        spec = KINDS[kind]
        # Only what a rule reads, and the links: an agreement's text stays on disk.
        names = ["id", *(f.name for f in spec.fields if f.name in _READ or f.type == "ref")]
        cursor = self.db.execute(
            f"SELECT {', '.join(names)}, {spec.title_sql} FROM {spec.table} {where}", args
        )
        names.append("title__")
        found = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        for row in found:
            self._rows[(kind, int(row["id"]))] = row
        return found

    def row(self, kind: str, record_id: int) -> dict[str, Any] | None:
        key = (kind, int(record_id))
        if key not in self._rows:
            found = self._select(kind, "WHERE id = ?", (int(record_id),))
            self._rows[key] = found[0] if found else None
        return self._rows[key]

    def rows(self, kind: str, rules: Iterable[Rule]) -> list[dict[str, Any]]:
        """The records of a kind that one of the rules may flag: those the rules set
        aside on the record's own fields are not read (the rest are judged in full)."""
        fields = KINDS[kind].field_map
        ors: list[str] = []
        args: list[Any] = []
        for rule in rules:
            ands: list[str] = []
            if rule.kind == "reports_gifts" and {"value_minor", "currency"} <= set(fields):
                # Unvalued gifts and other currencies are read, to be counted in a note.
                ands.append(
                    "(value_minor IS NULL OR coalesce(upper(currency), ?) <> ? "
                    f"OR value_minor {'>=' if rule.or_more else '>'} ?)"
                )
                args += [money.DEFAULT_CURRENCY, rule.currency, rule.minor]
            elif rule.kind != "reports_gifts":
                if "status" in fields:
                    ands.append(f"status IN ({', '.join('?' * len(_TIES))})")
                    args += _TIES
                if "country" in fields and rule.countries:
                    # No country of its own: it may take one from its partnership.
                    codes = sorted(rule.countries)
                    ands.append(
                        f"(coalesce(country, '') IN ('', ?) OR country IN "
                        f"({', '.join('?' * len(codes))}))"
                    )
                    args += [_HOME, *codes]
            ors.append(" AND ".join(ands) or "1")
        return self._select(kind, f"WHERE {' OR '.join(ors)} ORDER BY id", tuple(args))

    def linked(self, kind: str, row: Mapping[str, Any], name: str, depth: int = 0) -> Any:
        """The record's own value of `name`, else the first its links give (in the order
        its fields are declared), two links deep at most."""
        spec = KINDS[kind]
        own = row.get(name) if name in spec.field_map else None
        if own not in (None, "", _HOME):
            return own
        if depth >= 2:
            return None
        for link in spec.fields:
            if link.type != "ref" or not link.ref or not row.get(link.name):
                continue
            parent = self.row(link.ref, row[link.name])
            if parent is not None:
                found = self.linked(link.ref, parent, name, depth + 1)
                if found not in (None, "", _HOME):
                    return found
        return None

    def subject(self, kind: str, row: Mapping[str, Any]) -> _Subject:
        return _Subject(self, kind, row)


def _day(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return last_day(str(value))
    except ValueError:
        return None


def _renewed(
    row: Mapping[str, Any], made: Any, expires: dt.date | None, auto: bool
) -> dt.date | None:
    """When the renewal term now running began: an agreement past its first term, that
    renews by itself, began its present term one renewal term before it expires."""
    term = row.get("term_months")
    again = row.get("renewal_term_months") or term
    if not (auto and made and expires and term and again):
        return None
    try:
        first_end = add_months(first_day(str(made)), int(term))
    except ValueError:
        return None
    return add_months(expires, -int(again)) if expires > first_end else None


# -- flags ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """One rule touching one record, and what it asks of it."""

    rule: Rule
    kind: str
    record_id: int
    title: str  # the record's own title
    action: str  # "End by 10/1/2025", "Report by 8/4/2026 to ...", "Do not make it"
    reason: str  # "this sister city with a city in China"
    due: dt.date | None = None
    overdue: bool = False
    note: str = ""  # what else the person should know, a sentence

    @property
    def text(self) -> str:
        """The flag in full: 'End by 10/1/2025 (overdue): this sister city with a city in
        China, under Tex. Gov't Code ch. 795 (Sister-city agreements with foreign
        adversaries).'"""
        text = (
            f"{self.action}: {self.reason}, under {self.rule.source.citation} ({self.rule.title})."
        )
        return f"{text} {self.note}" if self.note else text

    @property
    def line(self) -> str:
        """The flag in a line, for Today and a page's header: 'End by 10/1/2025
        (overdue) — Tex. Gov't Code ch. 795'."""
        return f"{self.action} — {self.rule.source.citation}"

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule.id,
            "kind": self.kind,
            "id": self.record_id,
            "title": self.title,
            "action": self.action,
            "reason": self.reason,
            "text": self.text,
            "due": self.due.isoformat() if self.due else None,
            "overdue": self.overdue,
            "note": self.note,
        }


def _by(day: dt.date, today: dt.date) -> tuple[str, bool]:
    late = day < today
    return short_date(day) + (" (overdue)" if late else ""), late


def _tie_flags(rule: Rule, s: _Subject, today: dt.date) -> Iterator[Flag]:
    if s.kind not in rule.touches:
        return
    sorts = rule.touches[s.kind]
    if sorts is not None and s.sort not in sorts:
        return
    if not (s.standing or s.pending):
        return
    if not s.country or s.country not in rule.countries:
        return
    note = ""
    if rule.partners and s.level not in rule.partners:
        if s.level is not None:
            return
        note = "Whether the partner is a government is not recorded: check it."
    if s.status in _RESTING:
        note = f"{note} It is {s.status}, which has not ended it.".strip()
    if rule.effective and rule.effective > today:
        note = f"{note} The rule takes effect on {short_date(rule.effective)}.".strip()

    def flag(action: str, due: dt.date | None = None, late: bool = False, more: str = "") -> Flag:
        said = f"{note} {more}".strip()
        reason = f"{s.what()} with {s.whom()}"
        return Flag(rule, s.kind, s.id, s.title, action, reason, due, late, said)

    since = rule.effective
    made_after = since is not None and s.made is not None and last_day(s.made) >= since
    renewed_after = since is not None and s.renewed is not None and s.renewed >= since
    renewal = s.expires if (s.standing and s.expires and s.expires >= today) else None
    after = ""
    if since is not None and (made_after or renewed_after):
        day = s.renewed if renewed_after and s.renewed else first_day(s.made or "")
        verb = "Renewed" if renewed_after else "Made"
        after = (
            f"{verb} {short_date(day)}, on or after {short_date(since)}, when the rule took effect."
        )
    if s.pending:
        if rule.kind == "needs_review":
            yield flag(f"Needs review by {rule.review_by} before it is made")
        else:
            yield flag("Do not make it")
        return
    if rule.kind == "ends_ties":
        if rule.end_by:
            when, late = _by(rule.end_by, today)
            yield flag(f"End by {when}", rule.end_by, late)
        else:
            yield flag("End it")
        return
    if rule.kind == "bars_new_ties":
        if after:
            yield flag("Ask whether it must end", more=after)
        elif renewal is not None:
            yield flag(
                f"Do not renew on {short_date(renewal)} without advice",
                renewal,
                more="The rule bars making such ties; a renewal may be one.",
            )
        elif rule.existing == "review":
            before = short_date(since) if since else "the rule"
            yield flag(
                "Review it with your city attorney",
                more=f"Made before {before}; whether the rule reaches such ties is disputed.",
            )
        return
    # needs_review
    if renewal is not None:
        yield flag(
            f"Renewal on {short_date(renewal)} needs review by {rule.review_by}",
            renewal,
            more=after,
        )
    elif after:
        yield flag(f"Check it had review by {rule.review_by}", more=after)


def _gift_flags(rule: Rule, s: _Subject, today: dt.date, skipped: _Skipped) -> Iterator[Flag]:
    if s.kind not in rule.touches or s.reported:
        return
    if rule.direction != "any" and s.direction != rule.direction:
        return
    comparable = s.minor is not None and s.currency == rule.currency
    if comparable and not _reaches(s.minor or 0, rule):
        return
    if rule.countries and s.country not in rule.countries:
        return
    if rule.effective and s.on and s.on < rule.effective:
        return
    if s.minor is None:
        skipped.unvalued += 1
        return
    if s.currency != rule.currency:
        skipped.currencies.add(s.currency)
        skipped.other_currency += 1
        return
    to = f" to {rule.report_to}" if rule.report_to else ""
    if rule.within_days is not None and s.on is not None:
        due = s.on + dt.timedelta(days=rule.within_days)
        when, late = _by(due, today)
        action = f"Report by {when}{to}"
    else:
        due, late = None, False
        action = f"Report it{to}"
    worth = money.text(s.minor, s.currency)
    yield Flag(
        rule,
        s.kind,
        s.id,
        s.title,
        action,
        f"{s.what()} {s.direction or ''}, worth {worth} ({rule.threshold})".replace("  ", " "),
        due,
        late,
    )


def _reaches(minor: int, rule: Rule) -> bool:
    return minor > rule.minor or (minor == rule.minor and rule.or_more)


@dataclass
class _Skipped:
    """Gifts a threshold could not be compared with, counted for the person to know."""

    unvalued: int = 0
    other_currency: int = 0
    currencies: set[str] = field(default_factory=set)


def _flags(rules: Iterable[Rule], s: _Subject, today: dt.date, skipped: _Skipped) -> Iterator[Flag]:
    for rule in rules:
        if rule.kind == "reports_gifts":
            yield from _gift_flags(rule, s, today, skipped)
        else:
            yield from _tie_flags(rule, s, today)


# -- what the surfaces call ----------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """The whole file looked over: the rules that apply and every flag they raise."""

    today: dt.date
    place: Place
    edition: Edition
    rules: tuple[Rule, ...]
    flags: tuple[Flag, ...]
    notes: tuple[str, ...] = ()

    @property
    def notice(self) -> str:
        return NOTICE

    def headline(self) -> str:
        """'Policy rules for Texas, as researched on December 6, 2026'."""
        where = f" for {self.place.name}" if self.place.code else ""
        return f"Policy rules{where}, {self.edition.as_of}"

    def for_record(self, kind: str, record_id: int) -> list[Flag]:
        return [f for f in self.flags if f.kind == kind and f.record_id == record_id]

    def by_rule(self, rule: Rule) -> list[Flag]:
        return [f for f in self.flags if f.rule.id == rule.id]

    def by_record(self) -> dict[tuple[str, int], list[Flag]]:
        """(kind, id) -> its flags, records in the order first flagged: one line each
        on Today."""
        found: dict[tuple[str, int], list[Flag]] = {}
        for flag in self.flags:
            found.setdefault((flag.kind, flag.record_id), []).append(flag)
        return found

    def as_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "state": self.place.code,
            "state_name": self.place.name or None,
            "state_given": self.place.given,
            "as_of": self.edition.as_of,
            "researched": self.edition.researched.isoformat(),
            "current_to": self.edition.current_to,
            "notice": NOTICE,
            "office_file": str(self.edition.office_file) if self.edition.office_file else None,
            "problems": list(self.edition.problems),
            "notes": list(self.notes),
            "rules": [rule.as_json() for rule in self.rules],
            "flags": [flag.as_json() for flag in self.flags],
        }


def check(
    db: Database,
    state: str | None = None,
    today: dt.date | None = None,
    edition: Edition | None = None,
) -> Checked:
    """Every flag in the file, for the city's state (or `state`, a postal code or name)."""
    day = today or dt.date.today()
    found_edition = edition or load()
    place = place_of(db, state)
    rules = rules_for(found_edition, place, day)
    reader = _Reader(db)
    skipped = _Skipped()
    flags: list[Flag] = []
    for kind in dict.fromkeys(k for rule in rules for k in rule.touches):
        for row in reader.rows(kind, [r for r in rules if kind in r.touches]):
            flags.extend(_flags(rules, reader.subject(kind, row), day, skipped))
    notes = [n for n in (place.note(),) if n]
    if place.code and not any(rule.state for rule in rules):
        notes.append(f"No state rules are on file for {place.name} ({found_edition.as_of}).")
    notes += _skipped_notes(skipped, rules)
    return Checked(day, place, found_edition, tuple(rules), tuple(flags), tuple(notes))


def _skipped_notes(skipped: _Skipped, rules: Iterable[Rule]) -> list[str]:
    notes = []
    if skipped.unvalued:
        notes.append(
            f"{_gifts(skipped.unvalued)} no value recorded, so no threshold was applied to "
            f"{'it' if skipped.unvalued == 1 else 'them'}."
        )
    if skipped.other_currency:
        held = ", ".join(sorted(skipped.currencies))
        thresholds = ", ".join(
            sorted({rule.currency for rule in rules if rule.kind == "reports_gifts"})
        )
        them = "it" if skipped.other_currency == 1 else "them"
        notes.append(
            f"{_gifts(skipped.other_currency)} a value in {held}, not compared with the "
            f"thresholds in {thresholds}: convert and check {them}."
        )
    return notes


def _gifts(n: int) -> str:
    return "1 gift has" if n == 1 else f"{n:,} gifts have"


def flags_for(
    db: Database,
    kind: str,
    record_id: int,
    *,
    state: str | None = None,
    today: dt.date | None = None,
    edition: Edition | None = None,
) -> list[Flag]:
    """The flags on one record (a partnership, an agreement, a gift; none for other
    kinds), for a page's header, the dossier or a memo: reads that record and those it
    links to, not the whole file."""
    day = today or dt.date.today()
    rules = [
        rule
        for rule in rules_for(edition or load(), place_of(db, state), day)
        if kind in rule.touches
    ]
    if not rules:
        return []
    reader = _Reader(db)
    row = reader.row(kind, record_id)
    if row is None:
        return []
    return list(_flags(rules, reader.subject(kind, row), day, _Skipped()))
