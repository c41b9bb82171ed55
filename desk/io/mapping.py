"""Which spreadsheet column feeds which field, and how office-written values are read.

Headers are matched the way offices write them ("Sister City", "Partner City", "Year
Established", "Type"), in any order and case; columns nobody asked for are left aside.
A mapping the person confirmed is remembered per header for next time.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from desk.core.domain.dates import is_partial, parse_partial
from desk.core.domain.kinds import KINDS
from desk.core.domain.validate import clean
from desk.core.errors import ValidationError
from desk.core.store import records
from desk.core.store.db import Database

# field -> headers people write for it (compared after normalise()).
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "partnership": {
        "partner_name": (
            "sister city",
            "partner city",
            "partner",
            "city",
            "partner name",
            "name",
            "sister cities",
            "municipality",
            "twin city",
        ),
        "partner_name_native": (
            "native name",
            "name in native script",
            "local name",
            "native script",
            "original name",
        ),
        "country": ("country", "nation", "partner country"),
        "region": ("region", "province", "state province", "prefecture", "state"),
        "kind": ("type", "kind", "relationship", "partnership type", "relationship type"),
        "status": ("status", "state of relationship", "current status"),
        "established_date": (
            "year established",
            "established",
            "since",
            "date established",
            "year",
            "founded",
            "date signed",
            "signed",
            "start",
        ),
        "priority_areas": ("priority areas", "focus areas", "focus", "sectors", "areas"),
        "lead_department": ("lead department", "department", "lead"),
        "local_committee": ("committee", "local committee", "sister city committee", "association"),
        "notes": ("notes", "comments", "remarks", "description"),
    },
    "agreement": {
        "title": ("title", "agreement", "name", "agreement title", "document"),
        "kind": ("type", "kind", "agreement type"),
        "status": ("status",),
        "partnership_id": ("partner", "partner city", "sister city", "partnership"),
        "parties": ("parties", "counterpart", "with", "signed with"),
        "country": ("country", "partner country"),
        "signed_date": ("signed", "date signed", "signing date", "signature date"),
        "effective_date": ("effective", "effective date", "start", "start date"),
        "expiry_date": ("expires", "expiry", "expiry date", "expiration", "end date", "end"),
        "term_months": ("term months", "term", "duration months"),
        "notice_days": ("notice days", "notice period", "notice"),
        "auto_renew": ("auto renew", "auto renewal", "renews automatically", "renewal"),
        "approving_body": ("approved by", "approving body", "approval"),
        "approval_date": ("approval date", "date approved"),
        "approval_reference": ("resolution", "resolution number", "reference"),
        "priority_areas": ("priority areas", "focus areas", "sectors"),
        "notes": ("notes", "comments", "remarks"),
    },
    "visit": {
        "title": ("title", "visit", "delegation", "mission", "event", "name"),
        "partnership_id": ("partnership", "partner", "partner city", "sister city"),
        "direction": ("direction", "incoming outgoing", "in out", "type"),
        "mode": ("mode", "format"),
        "status": ("status",),
        "country": ("country", "origin", "destination country", "origin country"),
        "city": ("city", "destination", "origin city", "destination city"),
        "start_date": ("start", "start date", "from", "arrival", "date", "dates from"),
        "end_date": ("end", "end date", "to", "departure", "until"),
        "principal": ("principal", "head of delegation", "led by", "leader"),
        "purpose": ("purpose", "objective", "reason"),
        "priority_areas": ("priority areas", "focus areas", "sectors"),
        "outcomes": ("outcomes", "results"),
        "notes": ("notes", "comments", "remarks"),
    },
    "contact": {
        "honorific": ("honorific", "title prefix", "salutation", "prefix"),
        "given_name": ("given name", "first name", "first", "forename"),
        "family_name": ("family name", "last name", "surname", "last"),
        "name_native": ("native name", "name in native script", "local name", "name native script"),
        "job_title": ("title", "job title", "position", "role", "office"),
        "organisation_id": (
            "organisation",
            "organization",
            "company",
            "agency",
            "institution",
            "employer",
        ),
        "country": ("country",),
        "email": ("email", "e mail", "email address"),
        "phone": ("phone", "telephone", "tel", "work phone", "office phone"),
        "mobile": ("mobile", "cell", "mobile phone", "cell phone"),
        "languages": ("languages", "language"),
        "dietary": ("dietary", "dietary needs", "diet", "dietary restrictions"),
        "notes": ("notes", "comments", "remarks"),
    },
    "organisation": {
        "name": ("name", "organisation", "organization", "company", "institution"),
        "name_native": ("native name", "name in native script", "local name"),
        "kind": ("type", "kind", "category"),
        "country": ("country",),
        "city": ("city",),
        "website": ("website", "web", "url"),
        "email": ("email", "e mail"),
        "phone": ("phone", "telephone"),
        "notes": ("notes", "comments", "remarks"),
    },
}

# Words offices use for our vocabulary codes.
SYNONYMS: dict[tuple[str, str], dict[str, str]] = {
    ("partnership", "kind"): {
        "sister": "sister_city",
        "sister city": "sister_city",
        "sister cities": "sister_city",
        "twin": "sister_city",
        "twin city": "sister_city",
        "friendship": "friendship_city",
        "friendship city": "friendship_city",
        "friendly city": "friendship_city",
        "sector": "sector_partnership",
        "mou": "sector_partnership",
        "memorandum": "sector_partnership",
        "sister port": "sector_partnership",
        "network": "network_membership",
        # As real cities' published lists say them.
        "twin town": "sister_city",
        "twinning": "sister_city",
        "sister state": "sister_city",
        "sister province": "sister_city",
        "sister prefecture": "sister_city",
        "sister county": "sister_city",
        "sister region": "sister_city",
        "partner city": "friendship_city",
        "partnership city": "friendship_city",
        "cooperation city": "friendship_city",
        "trade agreement": "sector_partnership",
        "economic mou": "sector_partnership",
        "economic partnership": "sector_partnership",
        "trade partnership": "sector_partnership",
        "cooperation agreement": "sector_partnership",
        "sector mou": "sector_partnership",
        "memorandum of understanding": "sector_partnership",
        "network membership": "network_membership",
        "city network": "network_membership",
        "member": "network_membership",
    },
    ("partnership", "status"): {
        "inactive": "dormant",
        "current": "active",
        "terminated": "ended",
        "expired": "lapsed",
        "pending": "proposed",
        "in progress": "proposed",
        "under discussion": "proposed",
        "exploratory": "proposed",
        "on hold": "suspended",
        "paused": "suspended",
        "former": "ended",
        "discontinued": "ended",
        "closed": "ended",
        "historic": "ended",
        "in force": "active",
    },
    ("visit", "direction"): {
        "in": "incoming",
        "inbound": "incoming",
        "delegation": "incoming",
        "out": "outgoing",
        "outbound": "outgoing",
        "mission": "outgoing",
        "trade mission": "outgoing",
    },
    ("agreement", "kind"): {
        "memorandum of understanding": "mou",
        "loi": "letter_of_intent",
        "sister city": "sister_city_agreement",
    },
}

IMPORTABLE = tuple(ALIASES)

# International city networks a list of partners may name where a place would be: such a
# row is a network membership, whatever its Country column says ("Global", "—").
NETWORKS = (
    "iclei",
    "c40",
    "uclg",
    "united cities and local governments",
    "mayors for peace",
    "global covenant of mayors",
    "strong cities network",
    "welcoming america",
    "sister cities international",
    "eurocities",
    "100 resilient cities",
    "resilient cities network",
    "cities alliance",
    "local governments for sustainability",
    "global parliament of mayors",
    "league of historical cities",
    "unesco creative cities",
    "creative cities network",
)


# Names that are the same network: "ICLEI" is "Local Governments for Sustainability".
_SAME_NETWORK = {
    "local governments for sustainability": "iclei",
    "united cities and local governments": "uclg",
    "100 resilient cities": "resilient cities network",
    "unesco creative cities": "creative cities network",
}


def network_named(text: str | None) -> str | None:
    """The international network a partner's name names (ICLEI, C40, UCLG...), as one
    key whichever of its names is written; None when it names none."""
    folded = f" {normalise(text or '')} "
    for name in NETWORKS:
        if f" {name} " in folded or folded.strip().startswith(name):
            return _SAME_NETWORK.get(name, name)
    return None


def names_a_network(text: str | None) -> bool:
    """Whether a partner's name is an international network's (ICLEI, C40, UCLG...)."""
    return network_named(text) is not None


def normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def guess_mapping(db: Database, kind: str, headers: list[str]) -> dict[int, str | None]:
    """Column index -> field (None: left aside). Remembered choices first, then aliases."""
    remembered = dict(
        db.execute("SELECT header, field FROM import_mappings WHERE kind = ?", (kind,)).fetchall()
    )
    mapping: dict[int, str | None] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        key = normalise(header)
        if key in remembered:
            field = remembered[key]
            mapping[index] = field if field not in used else None
            if field:
                used.add(field)
    for index, header in enumerate(headers):
        if index in mapping:
            continue
        key = normalise(header)
        field = next(
            (f for f, names in ALIASES[kind].items() if key in names and f not in used), None
        )
        mapping[index] = field
        if field:
            used.add(field)
    return mapping


def remember_mapping(
    db: Database, kind: str, headers: list[str], mapping: dict[int, str | None]
) -> None:
    stamp = records.now()
    for index, header in enumerate(headers):
        db.execute(
            "INSERT INTO import_mappings(kind, header, field, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(kind, header) DO UPDATE SET field = excluded.field, "
            "updated_at = excluded.updated_at",
            (kind, normalise(header), mapping.get(index), stamp),
        )


def remembered_values(db: Database, kind: str) -> dict[tuple[str, str], str]:
    """The codes chosen before for values a file wrote its own way, for this kind."""
    return {
        (field_name, text): code
        for field_name, text, code in db.execute(
            "SELECT field, text, code FROM import_values WHERE kind = ?", (kind,)
        )
    }


def remember_values(db: Database, kind: str, values: dict[tuple[str, str], str]) -> None:
    """Keep the person's choices for the next file, in the import's transaction."""
    stamp = records.now()
    for (field_name, text), code in values.items():
        db.execute(
            "INSERT INTO import_values(kind, field, text, code, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(kind, field, text) DO UPDATE SET "
            "code = excluded.code, updated_at = excluded.updated_at",
            (kind, field_name, normalise(text), code, stamp),
        )


def split_value_option(given: str, columns: Sequence[str] = ()) -> tuple[str, str, str] | None:
    """--value COLUMN:TEXT=CODE as (column, text, code); None when it is not written so.

    The code is after the last '=' (no code holds one), so a text may: "Type:A=B=x" is
    the text "A=B". The column is written in double quotes when its name holds ':'
    ('"Region: Asia":Pacific=x', a quote inside written twice); unquoted, it is the
    longest of `columns` (the file's) that the line starts with, followed by ':', so
    "Region: Asia:Pacific=x" is read right too, and else the part before the first ':'.
    """
    left, equals, code = given.rpartition("=")
    if not equals:
        return None
    if left.startswith('"'):
        column, end = _quoted(left)
        if column is None or left[end : end + 1] != ":":
            return None
        text = left[end + 1 :]
    else:
        known = [c for c in columns if c and left.startswith(f"{c}:")]
        if known:
            column = max(known, key=len)
        else:
            column, colon, _rest = left.partition(":")
            if not colon:
                return None
        text = left[len(column) + 1 :]
    return column, text, code


def _quoted(text: str) -> tuple[str | None, int]:
    """The name in double quotes at the start of `text` ('""' is a quote in it), and
    where the quotes end; None when they never close."""
    name: list[str] = []
    at = 1
    while at < len(text):
        if text[at] == '"':
            if text[at + 1 : at + 2] == '"':
                name.append('"')
                at += 2
                continue
            return "".join(name), at + 1
        name.append(text[at])
        at += 1
    return None, at


def value_option(column: str, text: str, code: str = "CODE", columns: Sequence[str] = ()) -> str:
    """The --value line that reads `text` in `column` as `code`, written so the shell
    passes it whole and split_value_option reads it back: the column in double quotes
    when its name holds ':', '=' or a quote, or a shorter column's name would be read
    in its place."""
    line = f"{column}:{text}={code}"
    meant = (column, text, code)
    if any(ch in column for ch in ':="') or split_value_option(line, columns) != meant:
        line = '"' + column.replace('"', '""') + f'":{text}={code}'
    if not any(ch in line for ch in '"$`\\!'):
        return f'--value "{line}"'
    return "--value '" + line.replace("'", "'\"'\"'") + "'"


# Beyond the whole dates a person types (dates.parse_typed): what spreadsheets hold.
_SHEET_DATE_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")


def parse_date(raw: Any, *, partial: bool = True) -> str:
    """A date as offices write it: 1961, June 1961, 6/21/1961, 21.06.1961, June 21, 1961...
    A year or month alone stays so ('1961', '1961-06') where the field allows it
    (`partial`); elsewhere it is refused, never turned into a made-up first of the month."""
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, int | float) and 1000 <= raw <= 9999 and float(raw).is_integer():
        raw = str(int(raw))
    text = " ".join(str(raw).replace(",", ", ").split()).replace(" ,", ",")
    for pattern in _SHEET_DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    stored = parse_partial(text)
    if not partial and is_partial(stored):
        raise ValueError(text)
    return stored


# What Excel and LibreOffice show in a cell whose formula failed: never a partner's name.
SPREADSHEET_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!"}
    | {"#GETTING_DATA", "ERR:502", "ERR:504", "#FIELD!", "#BLOCKED!", "#CONNECT!"}
)


def _partnership_named(db: Database, spec: Any, name: str) -> int:
    """A partnership as a sheet names it ('Matsue', 'ICLEI'): the one desk has by that
    name, any case, or by any name of the same network."""
    from desk.core.errors import NotFound
    from desk.core.store.records import resolve_named

    try:
        return resolve_named(db, "partnership", name.strip())
    except NotFound as exc:
        network = network_named(name)
        if network:
            for pid, partner in db.execute(
                "SELECT id, partner_name FROM partnerships WHERE kind = 'network_membership'"
            ):
                if network_named(partner) == network:
                    return int(pid)
        missing = str(exc).startswith("There is no")
        raise ValidationError(
            f"'{spec.label}': no partnership in desk is named '{name.strip()[:60]}'; add it "
            "first, or leave this column aside"
            if missing
            else f"'{spec.label}': {exc}",
            field=spec.name,
        ) from None


def convert(
    db: Database,
    kind: str,
    field: str,
    raw: Any,
    values: dict[tuple[str, str], str] | None = None,
) -> Any:
    """One cell into the value the record layer takes; ValidationError names the field.
    `values` maps (field, text as written) to the code the person chose for it."""
    spec = KINDS[kind].field_map[field]
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    chosen = (values or {}).get((field, normalise(str(raw))))
    if chosen is not None:
        return clean(spec, chosen)
    if isinstance(raw, str) and raw.strip().upper() in SPREADSHEET_ERRORS:
        raise ValidationError(
            f"holds the spreadsheet error {raw.strip()}, not a value; fix the formula or "
            "clear the cell",
            field=field,
        )
    if spec.type == "date":
        try:
            return parse_date(raw, partial=spec.partial)
        except ValueError:
            need = (
                "a date like 6/21/1961, June 21, 1961, June 1961 or 1961"
                if spec.partial
                else "a date with its day, like 6/21/2025 or June 21, 2025"
            )
            raise ValidationError(f"'{spec.label}' must be {need}, got '{raw}'.", field) from None
    if spec.type == "enum":
        synonym = SYNONYMS.get((kind, field), {}).get(normalise(str(raw)))
        if synonym:
            return synonym
    if spec.type == "ref" and spec.ref == "organisation" and not str(raw).strip().isdigit():
        return str(raw).strip()  # an organisation by name: found or created on import
    if spec.type == "ref" and spec.ref == "partnership" and not str(raw).strip().isdigit():
        return _partnership_named(db, spec, str(raw))
    if isinstance(raw, float) and raw.is_integer() and spec.type in ("int", "text"):
        raw = int(raw)
    return clean(spec, raw)
