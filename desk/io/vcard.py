"""Contacts as vCards (RFC 6350 4.0 out; 3.0 and 4.0 in, as address books export them).

Names in native script travel as a second FN/N with an ALTID and LANGUAGE, as RFC 6350
§5.4 describes, so a round trip keeps both the romanised and the native name.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import json
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

from desk.core.disk.files import input_file, safe_write
from desk.core.errors import DeskError
from desk.core.reference import countries
from desk.core.store.db import Database
from desk.core.store.queries import person_name
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
    # Why the value could not be read (a character set desk does not know), or None.
    problem: str | None = None


_FOLD = re.compile(r"(?:\r\n|\n|\r)[ \t]")
_LINE_END = re.compile(r"\r\n|\n|\r")


def _unfold(text: str) -> list[str]:
    """The logical lines: a line starting with a space or a tab continues the one before
    (RFC 6350 §3.2), and in a quoted-printable value (vCard 2.1, 3.0) a line ending in
    '=' goes on in the next. Folds are taken out of the whole text in one pass, and a
    quoted-printable line's pieces are joined once, when it ends: adding each piece of
    a 10 MB photo to the line so far copied the whole line again every time, which took
    time in the square of its length (91 s for 10 MB)."""
    lines: list[str] = []
    pieces: list[str] = []  # a quoted-printable line's, while it goes on
    for line in _LINE_END.split(_FOLD.sub("", text)):
        if pieces:
            pieces.append(line)
        elif _is_quoted(line):
            pieces = [line]
        else:
            lines.append(line)
            continue
        if pieces[-1].endswith("="):
            pieces[-1] = pieces[-1][:-1]  # a soft line break
        else:
            lines.append("".join(pieces))
            pieces = []
    if pieces:
        lines.append("".join(pieces))
    return lines


def _is_quoted(line: str) -> bool:
    """Whether a line's parameters (never its value, however long) say quoted-printable."""
    colon = line.find(":")
    return "QUOTED-PRINTABLE" in (line[:colon] if colon >= 0 else line).upper()


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


# A property's group, name and parameters up to the colon that starts its value; a
# quoted parameter may hold a colon (TYPE="work:main"). Each part of the pattern can
# match a character one way only, so a long line is matched in linear time.
_HEAD = re.compile(r'(?:[\w-]+\.)?([\w-]+)((?:;(?:"[^"]*"|[^";:])*)*):')
_LOOSE_HEAD = re.compile(r"(?:[\w-]+\.)?([\w-]+)((?:;[^:]*)?):")  # a quote never closed
_PARAM = re.compile(r';((?:"[^"]*"|[^";])*)')
# Values that are data (base64 or a link), ASCII however the card is written: not
# decoded as text, and never run through a text pattern.
_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
# What a property is called in a message about its value.
_SAID = {
    "N": "name",
    "FN": "full name",
    "ORG": "organization",
    "TITLE": "title",
    "NOTE": "note",
    "ADR": "address",
    "LABEL": "address label",
    "ROLE": "role",
    "NICKNAME": "nickname",
}


def _parse(line: str, raw: bool = False) -> Property | None:
    """One logical line as a property. `raw`: the line holds the file's bytes one
    character each (see cards), and each value is decoded by its own CHARSET."""
    if ":" not in line:  # no value: not a property (and no pattern need look at it)
        return None
    match = _HEAD.match(line) or _LOOSE_HEAD.match(line)
    if not match:
        return None
    name, raw_params = match.groups()
    name = name.upper()
    params: dict[str, str] = {}
    for part in _PARAM.findall(raw_params):
        if raw and not part.isascii():
            part = _as_text(part.encode("latin-1"))
        key, equals, val = part.partition("=")
        if not equals:
            params.setdefault("TYPE", "")
            params["TYPE"] += ("," if params["TYPE"] else "") + key  # 2.1/3.0 bare types
        else:
            # Repeated parameters (type=CELL;type=VOICE) add up, as in 3.0 address books.
            name_upper = key.upper()
            value_clean = val.strip('"')
            params[name_upper] = (
                f"{params[name_upper]},{value_clean}" if name_upper in params else value_clean
            )
    value = line[match.end() :]
    if name in _BINARY:
        return Property(name, params, value)
    value, problem = _decoded(name, params, value, raw)
    return Property(name, params, value, problem)


def _as_text(data: bytes) -> str:
    """Bytes with no character set named: UTF-8, or else Windows-1252, as address books
    that are not UTF-8 write them."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _decoded(name: str, params: dict[str, str], value: str, raw: bool) -> tuple[str, str | None]:
    """A value as text, and what kept it from being read, if anything: one card's value
    in a character set desk does not know is that card's problem, not the file's."""
    quoted = params.get("ENCODING", "").upper() in ("QUOTED-PRINTABLE", "QP")
    if not quoted and not raw:
        return value, None
    data = value.encode("latin-1" if raw else "utf-8", "replace")
    if quoted:
        data = quopri.decodestring(data)
    charset = params.get("CHARSET", "").strip()
    if not charset:
        return _as_text(data), None
    said = _SAID.get(name, name)
    again = (
        "; export the card again in UTF-8 (vCard 3.0 or 4.0), or import the other cards without it"
    )
    try:
        # LookupError: a name Python does not know, or one that is no text encoding.
        return data.decode(charset), None
    except LookupError:
        if data.isascii():
            return data.decode("ascii"), None  # plain ASCII reads the same in any of them
        return "", (
            f"its {said} is written in the character set '{charset}', which desk does not "
            f"know{again}"
        )
    except UnicodeDecodeError:
        return "", f"its {said} is not valid {charset} text{again}"


def cards(source: str | bytes) -> Iterator[list[Property]]:
    """The cards of a file, each as its properties. Given bytes, the file is read one
    byte to a character (Latin-1 maps every byte to itself), so each value can be decoded
    by the CHARSET its own line names: a file may hold cards from several address books."""
    raw = isinstance(source, bytes)
    current: list[Property] | None = None
    for line in _unfold(source.decode("latin-1") if isinstance(source, bytes) else source):
        prop = _parse(line, raw)
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
    problems = list(dict.fromkeys(p.problem for p in card if p.problem))
    if problems:
        values[PROBLEMS] = problems
    names = [p for p in card if p.name == "FN" and p.value.strip()]
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
    values[NAME] = shown or " ".join(part for part in (given, family) if part)
    details: list[dict[str, str]] = []
    for prop in card:
        if prop.name in _BINARY:
            if prop.name == "PHOTO":
                photo = _photo(prop)
                if isinstance(photo, str):
                    values.setdefault(NOTES, []).append(photo)
                elif photo is not None:
                    values.setdefault(PHOTOS, []).append(photo)
            continue
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
# Further keys of a card's values, none of them a field: the card as messages name it
# ("Card 3 (Sato Yuki)"), its photos as (file name, bytes), notes on what of it was not
# kept, and problems that keep the card out (a value in an unknown character set).
CARD = "_card"
PHOTOS = "_photos"
NOTES = "_notes"
PROBLEMS = "_problems"
NAME = "_name"  # the name a card shows, for CARD and the photos' file names
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


_IMAGE_MAGIC = (
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"BM", "bmp"),
)
_IMAGE_TYPES = {"jpeg": "jpg", "jpg": "jpg", "png": "png", "gif": "gif", "bmp": "bmp"}
_IMAGE_TYPES |= {"webp": "webp", "heic": "heic", "heif": "heif", "tiff": "tif", "tif": "tif"}
_LINKS = ("http:", "https:", "ftp:", "file:", "cid:")


def _photo(prop: Property) -> tuple[str, bytes] | str | None:
    """A card's photo as (a file extension, its bytes); or, when it cannot be kept, the
    words that say so; None for an empty one. vCard 3.0 writes it as base64 with
    ENCODING=b, 4.0 as a data: URI, and either may link to it instead."""
    from desk.core.store.attachments import MAX_BYTES

    value = prop.value.strip()
    if not value:
        return None
    media = prop.params.get("MEDIATYPE") or prop.params.get("TYPE", "")
    if value[:5].lower() == "data:":
        header, comma, body = value.partition(",")
        media = header[5:].split(";")[0] or media
        if not comma:
            data = None
        elif ";base64" in header.lower():
            data = _base64(body)
        else:
            data = unquote_to_bytes(body)
    elif prop.params.get("ENCODING", "").upper() in ("B", "BASE64"):
        data = _base64(value)
    elif value.lower().startswith(_LINKS) or prop.params.get("VALUE", "").lower() == "uri":
        shown = value if len(value) <= 60 else value[:57] + "..."
        return (
            f"its photo was not kept: the card links to it ({shown}) instead of holding "
            "it; save the photo and attach it to the contact"
        )
    else:
        return "its photo was not kept: desk cannot tell how the card writes it"
    if data is None:
        return "its photo was not kept: the card's copy of it is damaged"
    if len(data) > MAX_BYTES:
        return (
            f"its photo was not kept: at {len(data) / 1e6:,.0f} MB it is larger than the "
            f"{MAX_BYTES // 1024 // 1024} MB desk keeps with a record"
        )
    found = next((ext for magic, ext in _IMAGE_MAGIC if data.startswith(magic)), None)
    if found is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        found = "webp"
    said = media.split(",")[0].strip().lower().removeprefix("image/")
    return found or _IMAGE_TYPES.get(said, ""), data


def _base64(text: str) -> bytes | None:
    """Base64 folded over many lines (2.1 cards indent them), padding left off or not."""
    compact = "".join(text.split()).rstrip("=")
    try:
        return base64.b64decode(compact + "=" * (-len(compact) % 4))
    except (binascii.Error, ValueError):
        return None


def _file_name(name: str, extension: str, number: int) -> str:
    """'Sato Yuki photo.jpg': what the photo is called among the contact's files."""
    plain = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]+', " ", name).strip()[:100] or "Contact"
    return f"{plain} photo{f' {number}' if number > 1 else ''}" + (
        f".{extension}" if extension else ""
    )


def read_vcards(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """Every card of a file as (its number, its values for the importer). A card that
    cannot be read whole is marked with its problems, and the others are read as ever."""
    raw = input_file(path, "a vCard file (.vcf)").read_bytes()
    source: str | bytes
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        source = raw.decode("utf-16", errors="replace")
    else:
        source = raw.removeprefix(codecs.BOM_UTF8)
    found = []
    for number, card in enumerate(cards(source), start=1):
        values = contact_values(card)
        name = values.pop(NAME, "")
        values[CARD] = f"Card {number} ({name or 'no name desk can read'})"
        photos = values.pop(PHOTOS, [])
        if photos:
            values[PHOTOS] = [
                (_file_name(name, extension, n), data)
                for n, (extension, data) in enumerate(photos, start=1)
            ]
        found.append((number, values))
    if not found:
        raise DeskError(f"{path.name} holds no vCards.")
    return found
