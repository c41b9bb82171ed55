"""Contacts as vCards (RFC 6350 4.0 out; 3.0 and 4.0 in, as address books export them).

Names in native script travel as a second FN/N with an ALTID and LANGUAGE, as RFC 6350
§5.4 describes, so a round trip keeps both the romanised and the native name.
"""

from __future__ import annotations

import json
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desk.core import countries
from desk.core.db import Database
from desk.core.errors import DeskError
from desk.core.files import input_file, safe_write
from desk.core.queries import person_name
from desk.io.text import interchange_text

_CRLF = "\r\n"


def _escape(text: str) -> str:
    """RFC 6350 escaping, after line ends and controls are made plain (a bare CR from a
    Windows note ended a card's line early for every reader, desk included)."""
    text = interchange_text(text)
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next, which starts with a space."""
    out: list[str] = []
    current = b""
    for ch in line:
        encoded = ch.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return (_CRLF + " ").join(out)


def _card(contact: dict[str, Any], organisation: str | None) -> list[str]:
    given, family = contact.get("given_name") or "", contact.get("family_name") or ""
    full = person_name(contact)
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"UID:urn:uuid:{contact['uid']}"]
    native = contact.get("name_native")
    language = (json.loads(contact.get("languages") or "[]") or [None])[0]
    if native:
        lines.append(f"FN;ALTID=1;LANGUAGE=en:{_escape(full)}")
        tag = f";LANGUAGE={language}" if language else ""
        lines.append(f"FN;ALTID=1{tag}:{_escape(native)}")
    else:
        lines.append(f"FN:{_escape(full)}")
    honorific = _escape(contact.get("honorific") or "")
    lines.append(f"N:{_escape(family)};{_escape(given)};;{honorific};")
    for name, prop in (("job_title", "TITLE"), ("email", "EMAIL"), ("notes", "NOTE")):
        if contact.get(name):
            lines.append(f"{prop}:{_escape(contact[name])}")
    if organisation:
        lines.append(f"ORG:{_escape(organisation)}")
    # Numbers go as text, exactly as written; a tel: URI would have to reformat them.
    if contact.get("phone"):
        lines.append(f"TEL;TYPE=work,voice;VALUE=text:{_escape(contact['phone'])}")
    if contact.get("mobile"):
        lines.append(f"TEL;TYPE=cell;VALUE=text:{_escape(contact['mobile'])}")
    for n, code in enumerate(json.loads(contact.get("languages") or "[]"), start=1):
        lines.append(f"LANG;PREF={n}:{code}")
    if contact.get("time_zone"):
        lines.append(f"TZ;VALUE=text:{contact['time_zone']}")
    if contact.get("country"):
        lines.append(f"ADR;TYPE=work:;;;;;;{_escape(countries.country_name(contact['country']))}")
    for name, prop in (
        ("written_address", "X-DESK-WRITTEN-ADDRESS"),
        ("spoken_address", "X-DESK-SPOKEN-ADDRESS"),
        ("dietary", "X-DESK-DIETARY"),
    ):
        if contact.get(name):
            lines.append(f"{prop}:{_escape(contact[name])}")
    written = {str(contact.get(k) or "") for k in ("email", "phone", "mobile")}
    lines += _detail_lines(contact.get(DETAILS) or [], written)
    lines.append("END:VCARD")
    return lines


def export_vcards(db: Database, path: Path, ids: list[int] | None = None) -> int:
    where = f" WHERE c.id IN ({', '.join('?' * len(ids))})" if ids else ""
    cursor = db.execute(
        "SELECT c.*, o.name AS organisation_name FROM contacts c LEFT JOIN organisations o "
        f"ON o.id = c.organisation_id{where} ORDER BY c.sort_name, c.id",
        ids or [],
    )
    names = [d[0] for d in cursor.description]
    details: dict[int, list[dict[str, Any]]] = {}
    for detail in db.query("SELECT * FROM contact_details ORDER BY contact_id, id"):
        details.setdefault(detail["contact_id"], []).append(detail)
    text: list[str] = []
    count = 0
    for row in cursor.fetchall():
        contact = dict(zip(names, row, strict=True))
        contact[DETAILS] = details.get(contact["id"], [])
        text += [_fold(line) for line in _card(contact, contact["organisation_name"])]
        count += 1
    safe_write(path, (_CRLF.join(text) + (_CRLF if text else "")).encode("utf-8"))
    return count


# -- reading ----------------------------------------------------------------------------


@dataclass
class Property:
    name: str
    params: dict[str, str] = field(default_factory=dict)
    value: str = ""


def _unfold(text: str) -> list[str]:
    lines: list[str] = []
    for line in re.split(r"\r\n|\n|\r", text):
        if line[:1] in (" ", "\t") and lines:
            lines[-1] += line[1:]
        elif lines and lines[-1].endswith("=") and "QUOTED-PRINTABLE" in lines[-1].upper():
            lines[-1] = lines[-1][:-1] + line  # quoted-printable soft line break (3.0)
        else:
            lines.append(line)
    return lines


def _unescape(text: str) -> str:
    return re.sub(r"\\([\\,;nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _split(value: str, sep: str) -> list[str]:
    """Components split at each unescaped `sep`; an escaped backslash before a separator
    ("\\\\;") ends a component, which a look-behind for one backslash gets wrong."""
    parts = [p for p in re.split(rf"((?:\\.)|{re.escape(sep)})", value) if p]
    fields, current = [], ""
    for part in parts:
        if part == sep:
            fields.append(current)
            current = ""
        else:
            current += part
    fields.append(current)
    return [_unescape(f) for f in fields]


def _parse(line: str) -> Property | None:
    match = re.match(r"^(?:[\w-]+\.)?([\w-]+)((?:;[^:]*)?):(.*)$", line)
    if not match:
        return None
    name, raw_params, value = match.groups()
    params: dict[str, str] = {}
    for part in filter(None, raw_params.split(";")):
        key, _, val = part.partition("=")
        if not _:
            params.setdefault("TYPE", "")
            params["TYPE"] += ("," if params["TYPE"] else "") + key  # 2.1/3.0 bare types
        else:
            # Repeated parameters (type=CELL;type=VOICE) add up, as in 3.0 address books.
            name_upper = key.upper()
            value_clean = val.strip('"')
            params[name_upper] = (
                f"{params[name_upper]},{value_clean}" if name_upper in params else value_clean
            )
    if params.get("ENCODING", "").upper() in ("QUOTED-PRINTABLE", "QP"):
        charset = params.get("CHARSET", "utf-8")
        value = quopri.decodestring(value.encode("latin-1", "replace")).decode(charset, "replace")
    return Property(name.upper(), params, value)


def cards(text: str) -> Iterator[list[Property]]:
    current: list[Property] | None = None
    for line in _unfold(text):
        prop = _parse(line)
        if prop is None:
            continue
        if prop.name == "BEGIN" and prop.value.upper() == "VCARD":
            current = []
        elif prop.name == "END" and prop.value.upper() == "VCARD":
            if current is not None:
                yield current
            current = None
        elif current is not None:
            current.append(prop)


def contact_values(card: list[Property]) -> dict[str, Any]:
    """One card as contact fields (raw, for the importer to validate)."""
    values: dict[str, Any] = {}
    names = [p for p in card if p.name == "FN"]
    latin = [p for p in names if p.params.get("LANGUAGE", "en").lower().startswith("en")]
    other = [p for p in names if p not in latin]
    n = next((p for p in card if p.name == "N" and "ALTID" not in p.params), None) or next(
        (p for p in card if p.name == "N"), None
    )
    if n is not None:
        parts = _split(n.value, ";") + [""] * 5
        values["family_name"], values["given_name"] = parts[0], parts[1]
        values["honorific"] = parts[3] or None
    if not values.get("family_name") and (latin or names):
        words = _unescape((latin or names)[0].value).split()
        values["family_name"], values["given_name"] = words[-1], " ".join(words[:-1])
    if other:
        values["name_native"] = _unescape(other[0].value)
    # A formatted name that leads with the family name tells the person's name order.
    shown = _unescape((latin or names)[0].value) if (latin or names) else ""
    family, given = values.get("family_name") or "", values.get("given_name") or ""
    if family and given and shown == f"{family} {given}":
        values["name_order"] = "family_first"
    details: list[dict[str, str]] = []
    for prop in card:
        value = _unescape(prop.value)
        detail = _detail(prop)
        if detail is not None:
            details.append(detail)
        if prop.name == "TITLE":
            values["job_title"] = value
        elif prop.name == "EMAIL" and "email" not in values:
            values["email"] = value
        elif prop.name == "NOTE":
            values["notes"] = value
        elif prop.name == "ORG":
            values["organisation_id"] = _split(prop.value, ";")[0] or None
        elif prop.name == "TEL":
            number = value.removeprefix("tel:")
            kind = "mobile" if "cell" in prop.params.get("TYPE", "").lower() else "phone"
            values.setdefault(kind, number)
        elif prop.name == "LANG":
            values.setdefault("languages", []).append(value)
        elif prop.name == "TZ" and "/" in value:
            values["time_zone"] = value
        elif prop.name == "ADR":
            country = _split(prop.value, ";")[-1]
            if country:
                values.setdefault("country", country)
        elif prop.name in ("X-DESK-WRITTEN-ADDRESS", "X-DESK-SPOKEN-ADDRESS", "X-DESK-DIETARY"):
            key = {
                "X-DESK-WRITTEN-ADDRESS": "written_address",
                "X-DESK-SPOKEN-ADDRESS": "spoken_address",
                "X-DESK-DIETARY": "dietary",
            }[prop.name]
            values[key] = value
    # Every email, number, address and website, each with its type, beyond the ones the
    # contact's own fields hold: nothing an address book kept is dropped.
    kept = {str(values.get(k) or "").strip() for k in ("email", "phone", "mobile")}
    extra = [d for d in details if d["value"].strip() and d["value"].strip() not in kept]
    if extra:
        values[DETAILS] = extra
    return values


DETAILS = "_details"  # a card's further ways to reach, created beside the contact
_CHANNELS = {"EMAIL": "email", "TEL": "phone", "ADR": "address", "URL": "website"}
_NOISE = {"pref", "internet", "voice", "x400", "x-internet"}


def _detail(prop: Property) -> dict[str, str] | None:
    channel = _CHANNELS.get(prop.name)
    if channel is None:
        return None
    types = [t.strip().lower() for t in prop.params.get("TYPE", "").split(",") if t.strip()]
    label = ", ".join(t for t in types if t not in _NOISE)
    if channel == "address":
        # PO box; extended; street; city; region; postal code; country
        parts = ([p.strip() for p in _split(prop.value, ";")] + [""] * 7)[:7]
        if not any(parts[:6]):
            return None  # a country alone is the contact's country, kept there
        value = ", ".join(p for p in parts if p)
    else:
        value = _unescape(prop.value).removeprefix("tel:").removeprefix("mailto:")
    return {"channel": channel, "label": label, "value": value}


def _detail_lines(details: list[dict[str, Any]], written: set[str]) -> list[str]:
    """A contact's further ways to reach as vCard lines, each with its type."""
    lines = []
    for d in details:
        value = str(d.get("value") or "")
        if not value or value in written:
            continue
        label = str(d.get("label") or "")
        types = ",".join(t.strip().replace(" ", "-") for t in label.split(",") if t.strip())
        kind = f";TYPE={types}" if types else ""
        if d["channel"] == "email":
            lines.append(f"EMAIL{kind}:{_escape(value)}")
        elif d["channel"] == "phone":
            lines.append(f"TEL{kind};VALUE=text:{_escape(value)}")
        elif d["channel"] == "address":
            lines.append(f"ADR{kind}:;;{_escape(value)};;;;")  # the whole address as written
        elif d["channel"] == "website":
            lines.append(f"URL{kind}:{_escape(value)}")
        else:
            lines.append(f"NOTE:{_escape(value)}")
    return lines


def read_vcards(path: Path) -> list[tuple[int, dict[str, Any]]]:
    raw = input_file(path, "a vCard file (.vcf)").read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    found = [(n, contact_values(card)) for n, card in enumerate(cards(text), start=1)]
    if not found:
        raise DeskError(f"{path.name} holds no vCards.")
    return found
