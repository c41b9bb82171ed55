"""A mail dropped on a record, logged as an interaction.

`read_mail` reads a saved mail (an `.eml` file, or Outlook's `.msg`) into a `MailPlan`:
its date, subject, sender and recipients, its text, its attachments, the people in it
matched to contacts by address (the new addresses offered as new contacts, never made
unasked), and the records it is likely about, guessed from those people. `log_mail`
writes it as one operation: the interaction, its participants, the contacts asked for,
the mail's attachments and the mail itself as a file, so one Undo takes it all back.

Mail comes from anyone, so reading is bounded. A mail's parts are found by their
boundaries in the bytes and decoded at C speed: the `email` package reads headers and
their parameters (RFC 2047 and 2231), never the bodies, because its parser builds every
line of a 30 MB attachment as a string (2.2 s and 230 MB where this takes a fraction).
Headers that lie about their character set, names in any script, a missing date, HTML
without a plain-text part (turned into text here; nothing in it is run or fetched),
hundreds of recipients and broken structure each have a rule below, and what a rule
decided is said in the plan's notes.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import datetime as dt
import email.utils
import functools
import hashlib
import html
import itertools
import json
import logging
import mimetypes
import re
import struct
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from desk.core.disk.files import input_file
from desk.core.domain import dates
from desk.core.domain.kinds import KINDS, Kind, kind
from desk.core.domain.types.cleaning import MAX_LINE
from desk.core.errors import DeskError, ValidationError
from desk.core.store import attachments, records
from desk.core.store.db import Database
from desk.core.store.operations import Changes, operation, quoted
from desk.core.store.queries import fetch

# A mail larger than this is refused before it is read: it would be kept twice (the mail
# and its attachments), and a mail server refuses a fifth of it.
MAX_MAIL_BYTES = 64 * 1024 * 1024
# The notes keep the start of a long mail; the whole of it is kept as a file.
NOTES_LIMIT = 20_000
# People read from the sender, To and Cc lines together; a list beyond this is cut.
MAX_PEOPLE = 2_000
# Parts of a mail walked, and multiparts inside multiparts, before the rest is left.
MAX_PARTS = 1_000
MAX_DEPTH = 20
# Characters of one header read (an address line of 2,000 people is about 100,000).
_HEADER_CHARS = 256 * 1024
# A header block longer than this has no end: the part is left out.
_HEAD_BYTES = 1024 * 1024
# HTML read to find the text (the notes keep far less); pictures inside it as data
# are taken out first, so they do not use it up.
_HTML_BYTES = 2 * 1024 * 1024
# Rich text (RTF) read for the text of an Outlook message that has no other (about a
# second's work: the library reads it at about 50 KB a second).
_RTF_BYTES = 48 * 1024
# Pictures the HTML shows under this size (logos, signature icons) stay inside the mail
# file rather than each being kept with the record.
SMALL_PICTURE = 16 * 1024
# How far before and after the mail's date a visit counts as the one it is about.
_VISIT_BEFORE = dt.timedelta(days=60)
_VISIT_AFTER = dt.timedelta(days=240)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADER_LINE = re.compile(rb"^(?:From |[!-9;-~]{1,76}:)")
_HEADER_FIELD = re.compile(rb"^[!-9;-~]+:")
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_ADDRESS = re.compile(r"^[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+\.[^@\s<>,;:\"()\[\]\\]+$")
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,990}>")
_CONTROLS = {
    **{code: None for code in range(0x20) if chr(code) not in "\n\t"},
    0x7F: None,
    **{code: None for code in range(0x80, 0xA0)},
}
# Names mail programs give a character set, and the set that reads what they really
# send under it: Windows' own sets are supersets of the standards they are named for.
_CHARSETS: dict[str, tuple[str, ...]] = {
    "us-ascii": ("cp1252",),
    "ascii": ("cp1252",),
    "iso-8859-1": ("cp1252",),
    "latin1": ("cp1252",),
    "latin-1": ("cp1252",),
    "iso-8859-9": ("cp1254",),
    "iso-8859-11": ("cp874",),
    "tis-620": ("cp874",),
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "x-gbk": ("gb18030",),
    "big5": ("big5hkscs", "cp950"),
    "shift_jis": ("cp932", "shift_jis_2004"),
    "shift-jis": ("cp932", "shift_jis_2004"),
    "sjis": ("cp932",),
    "x-sjis": ("cp932",),
    "euc-jp": ("euc_jp", "euc_jis_2004"),
    "iso-2022-jp": ("iso2022_jp", "iso2022_jp_2", "iso2022_jp_2004", "iso2022_jp_ext"),
    "euc-kr": ("cp949",),
    "ks_c_5601-1987": ("cp949",),
}
# Where many unrelated people have their address: an organization is never guessed
# from one of these.
_PUBLIC_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "yahoo.co.jp",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "mail.ru",
        "yandex.ru",
        "qq.com",
        "163.com",
        "126.com",
        "naver.com",
        "daum.net",
        "hanmail.net",
    }
)


class MailRefused(DeskError):
    """A file that cannot be read as a mail, or a mail that cannot be logged as asked."""


class AlreadyLogged(MailRefused):
    """The mail's Message-ID is on an interaction already."""

    def __init__(self, message: str, interaction_id: int) -> None:
        super().__init__(message)
        self.interaction_id = interaction_id


# -- what a plan holds -------------------------------------------------------------------


@dataclass
class MailFile:
    """A file inside the mail: its name, type and size (its bytes are read again when
    the mail is logged, so a plan of a 30 MB mail stays small)."""

    filename: str
    media_type: str
    size: int


@dataclass
class Person:
    """Someone in the mail: the sender, a recipient, or both (the roles in order)."""

    address: str
    name: str
    roles: list[str]
    contact_id: int | None = None
    contact_name: str = ""
    # Other contacts with the same address (a shared office mailbox): the first is used.
    others: int = 0
    organisation_id: int | None = None
    # What a new contact would hold, for an address no contact has.
    new_contact: dict[str, Any] = field(default_factory=dict)

    @property
    def known(self) -> bool:
        return self.contact_id is not None

    @property
    def shown(self) -> str:
        """'Kenji Sato <k.sato@city.kobe.jp>'; the address alone when no name is given."""
        name = self.contact_name or self.name
        return f"{name} <{self.address}>" if name else self.address


@dataclass
class Guess:
    """A record the mail is likely about, with why."""

    kind: str
    id: int
    title: str
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    # The record this one lies within (a visit's partnership): not a rival to it.
    within: tuple[str, int] | None = None

    @property
    def on(self) -> tuple[str, int]:
        return (self.kind, self.id)

    @property
    def label(self) -> str:
        return f"{KINDS[self.kind].label} {quoted(self.title)}"


@dataclass
class MailPlan:
    """A mail as read, matched and guessed, before anything is written."""

    source: Path
    sha256: str
    size: int
    format: str  # "eml" or "msg"
    subject: str
    sent: dt.datetime | None  # as the mail says, with its zone
    day: dt.date  # the day it was sent, in the city's time zone
    day_from_file: bool  # no date in the mail: the file's own was used
    mail_from: str
    message_id: str | None
    people: list[Person]
    body: str  # the text, cut to NOTES_LIMIT
    body_cut: bool
    files: list[MailFile]
    guesses: list[Guess]
    sure: bool
    notes: list[str] = field(default_factory=list)
    # (interaction id, subject, day) when this Message-ID was logged already.
    logged: tuple[int, str, str] | None = None

    @property
    def guess(self) -> Guess | None:
        """The record it is about, when the people say so clearly enough to log it there."""
        return self.guesses[0] if self.sure and self.guesses else None

    @property
    def to(self) -> list[Person]:
        return [p for p in self.people if "to" in p.roles]

    @property
    def cc(self) -> list[Person]:
        return [p for p in self.people if "cc" in p.roles]

    @property
    def known_people(self) -> list[Person]:
        return [p for p in self.people if p.known]

    @property
    def new_people(self) -> list[Person]:
        return [p for p in self.people if not p.known]

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.source),
            "format": self.format,
            "subject": self.subject,
            "date": self.day.isoformat(),
            "date_from_file": self.day_from_file,
            "sent": self.sent.isoformat() if self.sent else None,
            "from": self.mail_from,
            "message_id": self.message_id,
            "people": [
                {
                    "address": p.address,
                    "name": p.name,
                    "roles": p.roles,
                    "contact_id": p.contact_id,
                    "contact": p.contact_name or None,
                }
                for p in self.people
            ],
            "attachments": [
                {"filename": f.filename, "media_type": f.media_type, "size": f.size}
                for f in self.files
            ],
            "guesses": [
                {"kind": g.kind, "id": g.id, "title": g.title, "reasons": g.reasons}
                for g in self.guesses
            ],
            "sure": self.sure,
            "notes_cut": self.body_cut,
            "notes": self.notes,
            "logged_as": self.logged[0] if self.logged else None,
        }


# -- reading -----------------------------------------------------------------------------


@dataclass
class _Attachment:
    filename: str
    media_type: str
    data: bytes


@dataclass
class _Read:
    """What a mail file says, before anything is looked up."""

    subject: str = ""
    sent: dt.datetime | None = None
    sender: tuple[str, str] | None = None  # (name, address)
    to: list[tuple[str, str]] = field(default_factory=list)
    cc: list[tuple[str, str]] = field(default_factory=list)
    message_id: str | None = None
    body: str = ""
    body_cut: bool = False
    files: list[_Attachment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_mail(db: Database, path: Path | str) -> MailPlan:
    """A mail file as a plan: read, its people matched to contacts, its record guessed."""
    source, raw, digest = _load(Path(path))
    got = _parse(source, raw)
    format_ = "msg" if raw.startswith(_OLE_MAGIC) else "eml"
    del raw
    zone = _city_zone(db)
    notes = list(dict.fromkeys(got.notes))
    sent = got.sent
    if sent is not None:
        day = sent.astimezone(ZoneInfo(zone)).date()
    else:
        stamp = dt.datetime.fromtimestamp(source.stat().st_mtime, tz=dt.UTC)
        day = stamp.astimezone(ZoneInfo(zone)).date()
        notes.insert(
            0,
            f"The mail has no date desk can read: it is logged on {dates.short_date(day)}, "
            "the file's own date.",
        )
    people = _people(got)
    if len(people) >= MAX_PEOPLE:
        notes.append(f"Only the first {MAX_PEOPLE:,} people in the mail were read.")
    _match(db, people)
    _offer(people)
    guesses, sure = _guess(db, people, day)
    sender = got.sender
    mail_from = _formatted(*sender) if sender else ""
    if got.message_id is None:
        notes.append("The mail has no Message-ID: desk cannot tell whether it was logged before.")
    plan = MailPlan(
        source=source,
        sha256=digest,
        size=source.stat().st_size,
        format=format_,
        subject=got.subject,
        sent=sent,
        day=day,
        day_from_file=sent is None,
        mail_from=mail_from,
        message_id=got.message_id,
        people=people,
        body=got.body,
        body_cut=got.body_cut,
        files=[MailFile(a.filename, a.media_type, len(a.data)) for a in got.files],
        guesses=guesses,
        sure=sure,
        notes=notes,
    )
    plan.logged = logged_as(db, plan.message_id)
    return plan


def _load(path: Path) -> tuple[Path, bytes, str]:
    """The file's bytes and their hash, refused by path and size before it is opened."""
    input_file(path, "a mail (.eml or .msg)", MailRefused)
    size = path.stat().st_size
    if size == 0:
        raise MailRefused(f"{path.name} is empty.")
    if size > MAX_MAIL_BYTES:
        raise MailRefused(
            f"{path.name} is {size / 1e6:,.0f} MB; desk logs mails up to "
            f"{MAX_MAIL_BYTES // 1024 // 1024} MB. Save its attachments and attach them "
            "to the record instead."
        )
    # As much as the file holds and a byte more (a read of the limit would set aside
    # the whole limit first), to see whether it grew meanwhile.
    with open(path, "rb") as source:
        raw = source.read(size + 1)
    if len(raw) != size:
        raise MailRefused(f"{path.name} changed while it was read; try again.")
    return path, raw, hashlib.sha256(raw).hexdigest()


def text_of(raw: bytes, name: str = "mail.eml") -> str:
    """A kept mail's subject, sender and body as plain text, for a search to find."""
    read = _parse(Path(name), raw)
    sender = " ".join(p for p in read.sender if p) if read.sender else ""
    return "\n".join(p for p in (read.subject, sender, read.body) if p)


def _parse(path: Path, raw: bytes) -> _Read:
    if raw.startswith(_OLE_MAGIC):
        return _read_msg(path, raw)
    head = raw[:4096].lstrip(b"\r\n\t ")
    if not _HEADER_LINE.match(head):
        raise MailRefused(
            f"{path.name} is not a saved mail: desk reads .eml files (as mail programs "
            "save them) and Outlook's .msg files."
        )
    try:
        return _read_eml(raw)
    except RecursionError:
        raise MailRefused(f"{path.name} nests its parts too deeply to be read.") from None


# -- .eml --------------------------------------------------------------------------------


@dataclass
class _Leaf:
    info: EmailMessage
    content_type: str
    start: int
    end: int
    related_resource: bool  # a part the HTML of a multipart/related shows


def _read_eml(raw: bytes) -> _Read:
    got = _Read()
    start, end = 0, len(raw)
    if raw.startswith(b"From "):
        # An mbox file: the envelope line, then the first mail, up to the next one's.
        start = raw.find(b"\n") + 1
        following = raw.find(b"\n\nFrom ", start)
        if following != -1:
            end = following + 1
            got.notes.append("The file holds several mails; the first was read.")
    head_end, body_start = _head_end(raw, start, end)
    if head_end is None:
        raise MailRefused("The mail's headers have no end; it cannot be read.")
    headers = _raw_headers(raw[start:head_end])
    got.subject = _cut_line(_header_text(_first(headers, "subject")))
    got.sent = _sent(_first(headers, "date"), got.notes)
    got.message_id = _message_id(_first(headers, "message-id"))
    senders = _addresses(headers.get("from", []), got.notes, "From")
    got.sender = senders[0] if senders else None
    if not senders:
        replying = _addresses(headers.get("sender", []), got.notes, "Sender")
        got.sender = replying[0] if replying else None
    got.to = _addresses(headers.get("to", []), got.notes, "To")
    got.cc = _addresses(headers.get("cc", []), got.notes, "Cc")
    leaves: list[_Leaf] = []
    _walk(raw, start, head_end, body_start, end, 0, "", False, leaves, got.notes)
    _body_and_files(raw, leaves, got)
    return got


def _head_end(raw: bytes, start: int, end: int) -> tuple[int | None, int]:
    """Where a part's headers end and its body starts; (None, end) when the headers run
    past `_HEAD_BYTES` with no blank line. A part that starts with a blank line has no
    headers; one with headers and no blank line has no body."""
    if raw.startswith(b"\r\n", start) or raw.startswith(b"\n", start):
        return start, start + (2 if raw.startswith(b"\r\n", start) else 1)
    limit = min(end, start + _HEAD_BYTES)
    found = _BLANK_LINE.search(raw, start, limit)
    if found is None:
        return (end, end) if limit == end else (None, end)
    return found.start(), found.end()


def _raw_headers(block: bytes) -> dict[str, list[bytes]]:
    """Each header's values as bytes, unfolded, by its name in lower case."""
    found: dict[str, list[bytes]] = {}
    unfolded = re.sub(rb"\r?\n(?=[ \t])", b"", block)
    for line in re.split(rb"\r?\n", unfolded):
        name, sep, value = line.partition(b":")
        if not sep or not name or b" " in name.strip() or name.startswith(b"From "):
            continue
        key = name.strip().decode("ascii", "replace").lower()
        found.setdefault(key, []).append(value.strip())
    return found


def _first(headers: dict[str, list[bytes]], name: str) -> bytes:
    values = headers.get(name)
    return values[0] if values else b""


def _mime(block: bytes) -> EmailMessage:
    """A part's headers read by the `email` package, for its type and parameters. Lines
    that are no header are left out first: the parser takes the first of them for the
    start of the body, and every header after it would be lost."""
    fields = [f for f in re.split(rb"\r?\n(?![ \t])", block) if _HEADER_FIELD.match(f)]
    parsed = BytesHeaderParser(policy=policy.default).parsebytes(b"\r\n".join(fields) + b"\r\n\r\n")
    assert isinstance(parsed, EmailMessage)
    return parsed


def _content_type(info: EmailMessage, default: str) -> str:
    try:
        if info.get("content-type") is None:
            return default
        return info.get_content_type()
    except Exception:  # a header the parser chokes on: the default type
        return default


def _param(info: EmailMessage, name: str) -> str | None:
    try:
        value = info.get_param(name)
    except Exception:  # as above: a parameter that cannot be read is none
        return None
    if isinstance(value, tuple):
        value = email.utils.collapse_rfc2231_value(value)
    return str(value) if value else None


def _disposition(info: EmailMessage) -> str | None:
    try:
        return info.get_content_disposition()
    except Exception:
        return None


def _filename(info: EmailMessage) -> str:
    try:
        name = info.get_filename() or _param(info, "name") or ""
    except Exception:
        name = ""
    # Outlook writes RFC 2047 words inside a quoted file name, which the standard
    # does not allow and the parser leaves encoded.
    return _decode_words(str(name)) if "=?" in str(name) else str(name)


def _walk(
    raw: bytes,
    start: int,
    head_end: int,
    body_start: int,
    end: int,
    depth: int,
    parent: str,
    resource: bool,
    leaves: list[_Leaf],
    notes: list[str],
) -> None:
    """The leaves of the part at `start`, in order, found by their boundaries."""
    if len(leaves) >= MAX_PARTS:
        if f"Only the first {MAX_PARTS:,} parts" not in " ".join(notes):
            notes.append(f"Only the first {MAX_PARTS:,} parts of the mail were read.")
        return
    info = _mime(raw[start:head_end])
    default = "message/rfc822" if parent == "multipart/digest" else "text/plain"
    content_type = _content_type(info, default)
    boundary = _param(info, "boundary") if content_type.startswith("multipart/") else None
    if boundary is None:
        leaves.append(_Leaf(info, content_type, body_start, end, resource))
        return
    if depth >= MAX_DEPTH:
        notes.append("Parts nested deeper than desk reads were left in the mail file.")
        return
    marker = boundary.encode("utf-8", "surrogateescape")
    pieces = list(itertools.islice(_pieces(raw, marker, body_start, end), MAX_PARTS))
    if not pieces:
        # A multipart without its boundaries: its text as plain text, as a reader shows it.
        notes.append("The mail's parts have no boundaries; its text was read as it is.")
        plain = _mime(b"Content-Type: text/plain")
        leaves.append(_Leaf(plain, "text/plain", body_start, end, resource))
        return
    for number, (piece_start, piece_end) in enumerate(pieces):
        head, body = _head_end(raw, piece_start, piece_end)
        if head is None:
            notes.append("A part of the mail whose headers never end was left out.")
            continue
        # In multipart/related the first part is the document; the others are what
        # it shows (pictures), unless a part says it is an attachment.
        shown_by_html = content_type == "multipart/related" and number > 0
        _walk(
            raw,
            piece_start,
            head,
            body,
            piece_end,
            depth + 1,
            content_type,
            resource or shown_by_html,
            leaves,
            notes,
        )


def _pieces(raw: bytes, boundary: bytes, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each part between `--boundary` lines, found with `bytes.find`
    (a regular expression anchored at line starts tried every byte of an attachment).
    The line break before a delimiter belongs to the delimiter (RFC 2046 5.1.1)."""
    marker = b"--" + boundary
    opened: int | None = None
    at = raw.find(marker, start, end)
    while at != -1:
        line_end = raw.find(b"\n", at, min(end, at + len(marker) + 200))
        after = raw[at + len(marker) : line_end if line_end != -1 else min(end, at + 200)]
        closing = after.startswith(b"--")
        rest = after[2:] if closing else after
        at_line_start = at == start or raw[at - 1] == 0x0A
        if at_line_start and not rest.strip(b" \t\r") and (line_end != -1 or closing):
            if opened is not None:
                stop = at - 1 if at > start else at
                if stop > opened and raw[stop - 1] == 0x0D:
                    stop -= 1
                yield opened, max(opened, stop)
            if closing:
                return
            opened = line_end + 1 if line_end != -1 else end
        at = raw.find(marker, at + len(marker), end)
    if opened is not None and opened < end:
        yield opened, end  # no closing delimiter: the last part runs to the end


def _transfer_decoded(info: EmailMessage, data: memoryview) -> bytes:
    """A part's bytes as they were before the mail encoded them; given a view into the
    mail, so a 30 MB attachment is not first copied out of it."""
    encoding = str(info.get("content-transfer-encoding", "") or "").strip().lower()
    if encoding == "base64":
        return _base64(data)
    if encoding == "quoted-printable":
        return binascii.a2b_qp(data)
    return bytes(data)


def _base64(data: memoryview) -> bytes:
    try:
        return binascii.a2b_base64(data)
    except binascii.Error:
        # Padding lost or a stray character: what can be read, read.
        cleaned = re.sub(rb"[^A-Za-z0-9+/]", b"", data)
        cleaned = cleaned[: len(cleaned) - len(cleaned) % 4]
        try:
            return binascii.a2b_base64(cleaned)
        except binascii.Error:
            return b""


def _body_and_files(raw: bytes, leaves: list[_Leaf], got: _Read) -> None:
    view = memoryview(raw)
    plain = next((leaf for leaf in leaves if _is_body(leaf, "text/plain")), None)
    rich = next((leaf for leaf in leaves if _is_body(leaf, "text/html")), None)
    chosen = plain or rich
    if chosen is not None:
        data = _transfer_decoded(chosen.info, view[chosen.start : chosen.end])
        charset = _param(chosen.info, "charset")
        if chosen is plain:
            text = _decode_text(data[: NOTES_LIMIT * 4 + 64], charset)
            if _param(chosen.info, "format") == "flowed":
                text = _unflowed(text, _param(chosen.info, "delsp") == "yes")
            cut = len(data) > NOTES_LIMIT * 4 + 64
        else:
            text, cut = _html_text(data, charset)
        got.body, more = _clean_body(text)
        got.body_cut = cut or more
    pictures = 0
    for leaf in leaves:
        if leaf is chosen or leaf.content_type in _SIGNATURES:
            continue
        disposition = _disposition(leaf.info)
        name = _filename(leaf.info)
        if _is_body(leaf, "text/plain") or _is_body(leaf, "text/html"):
            continue  # the other form of the text (its HTML beside the plain text)
        data = _transfer_decoded(leaf.info, view[leaf.start : leaf.end])
        if leaf.related_resource and disposition != "attachment" and len(data) < SMALL_PICTURE:
            pictures += 1
            continue
        got.files.append(
            _Attachment(
                _safe_name(name, len(got.files) + 1, leaf.content_type), leaf.content_type, data
            )
        )
    if pictures:
        got.notes.append(
            f"{_count(pictures, 'small picture')} shown inside the mail (logos, "
            "signatures) stay in the mail's own file."
        )


# Signatures and their kin: proof for a mail program, nothing a person opens.
_SIGNATURES = frozenset(
    {
        "application/pkcs7-signature",
        "application/x-pkcs7-signature",
        "application/pgp-signature",
    }
)


def _is_body(leaf: _Leaf, content_type: str) -> bool:
    if leaf.content_type != content_type or leaf.related_resource:
        return False
    return _disposition(leaf.info) != "attachment" and not _filename(leaf.info)


def _unflowed(text: str, delsp: bool) -> str:
    """format=flowed (RFC 3676): a line ending in a space goes on in the next."""
    out: list[str] = []
    joined = ""
    for line in text.split("\n"):
        line = line.rstrip("\r")
        if line.endswith(" ") and line != "-- ":
            joined += line[:-1] if delsp else line
            continue
        out.append(joined + line)
        joined = ""
    if joined:
        out.append(joined)
    return "\n".join(out)


# -- .msg --------------------------------------------------------------------------------


def _read_msg(path: Path, raw: bytes) -> _Read:
    """An Outlook message, read with extract-msg (imported only for one)."""
    try:
        import extract_msg
    except ImportError:  # pragma: no cover - a build without it
        raise MailRefused(
            f"{path.name} is an Outlook message, and this desk cannot read those; in "
            "Outlook, use File > Save As > Outlook Message Format - Unicode, or drag the "
            "mail out as .eml."
        ) from None
    quiet = logging.getLogger("extract_msg")
    quiet.propagate = False
    if not quiet.handlers:
        quiet.addHandler(logging.NullHandler())
    got = _Read()
    try:
        # From the bytes already read and checked, not the file again.
        msg = extract_msg.openMsg(
            raw, strict=False, delayAttachments=True, deencapsulationFunc=_deencapsulated
        )
    except Exception as exc:  # the library has many; each means unreadable
        raise MailRefused(f"{path.name} cannot be read as an Outlook message ({exc}).") from None
    try:
        _fill_from_msg(msg, got)
    except MailRefused:
        raise
    except Exception as exc:  # as above, for a file damaged inside
        raise MailRefused(f"{path.name} is damaged inside and cannot be read ({exc}).") from None
    finally:
        msg.close()
    return got


def _fill_from_msg(msg: Any, got: _Read) -> None:
    got.subject = _cut_line(_plain_line(str(getattr(msg, "subject", "") or "")))
    when = getattr(msg, "date", None)
    if isinstance(when, dt.datetime):
        got.sent = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
        if not 1990 <= got.sent.year <= dt.date.today().year + 1:
            got.sent = None
    elif when is not None:
        got.sent = _sent(str(when).encode("utf-8"), got.notes)
    got.message_id = _message_id(str(getattr(msg, "messageId", "") or "").encode("utf-8"))
    sender = str(getattr(msg, "sender", "") or "")
    found = _parse_addresses(sender, got.notes, "From")
    got.sender = found[0] if found else None
    for recipient in getattr(msg, "recipients", [])[:MAX_PEOPLE]:
        address = _clean_address(str(recipient.email or ""))
        if address is None:
            continue  # an Exchange directory name with no mail address
        pair = (_plain_line(str(recipient.name or "")), address)
        # 1 To, 2 Cc, 3 Bcc (MS-OXOMSG 2.2.3.1)
        if int(recipient.type or 1) == 2:
            got.cc.append(pair)
        elif int(recipient.type or 1) == 1:
            got.to.append(pair)
    text, cut = _msg_text(msg, got.notes)
    got.body, more = _clean_body(text)
    got.body_cut = cut or more
    pictures = 0
    for number, attachment in enumerate(getattr(msg, "attachments", []), start=1):
        data = attachment.data
        name = ""
        try:
            name = str(attachment.getFilename() or "")
        except Exception:  # a file name the library cannot make
            name = str(getattr(attachment, "longFilename", "") or "")
        if data is not None and not isinstance(data, bytes):
            # A mail inside the mail: kept as an Outlook message of its own.
            try:
                data = data.exportBytes()
            except Exception:
                got.notes.append(f"The attached mail {name or number} could not be kept.")
                continue
            name = name if name.lower().endswith(".msg") else f"{name or 'attached mail'}.msg"
        if not isinstance(data, bytes):
            got.notes.append(
                f"{name or f'Attachment {number}'} is a link to a file elsewhere, not a "
                "file in the mail."
            )
            continue
        media_type = str(getattr(attachment, "mimetype", "") or "") or _type_of(name)
        inline = bool(
            getattr(attachment, "hidden", False) or getattr(attachment, "contentId", None)
        )
        if inline and len(data) < SMALL_PICTURE:
            pictures += 1
            continue
        got.files.append(
            _Attachment(_safe_name(name, len(got.files) + 1, media_type), media_type, data)
        )
    if pictures:
        got.notes.append(
            f"{_count(pictures, 'small picture')} shown inside the mail (logos, "
            "signatures) stay in the mail's own file."
        )


@functools.lru_cache(maxsize=2)
def _unwrapped(rtf: bytes) -> Any:
    """Outlook's rich text unwrapped to the text or HTML inside it, as the library does
    it, for rich text up to `_RTF_BYTES` only (asked for twice, once for each form)."""
    if len(rtf) > _RTF_BYTES:
        return None
    import RTFDE
    from extract_msg.utils import stripRtf

    end = rtf.rfind(b"}")
    if end == -1:
        return None
    try:
        found = RTFDE.DeEncapsulator(stripRtf(rtf[: end + 1]))
        found.deencapsulate()
    except Exception:  # not encapsulated, or malformed: no text from it
        return None
    return found


def _deencapsulated(rtf: bytes, wanted: Any) -> Any:
    """The library's hook for the text inside rich text: bounded, see `_unwrapped`. The
    library asks for it when a message opens, before anything else can be checked."""
    from extract_msg.enums import DeencapType

    found = _unwrapped(rtf)
    if found is None:
        return None
    # As the library's own: bytes or text, which it makes text of itself.
    if wanted == DeencapType.PLAIN:
        return found.text if found.content_type == "text" else None
    return found.html if found.content_type == "html" else None


def _msg_text(msg: Any, notes: list[str]) -> tuple[str, bool]:
    """An Outlook message's text: its plain text, else its HTML, else its rich text
    (RTF), read from the streams themselves. Text made out of RTF takes the library
    seconds for every 100 KB (22 s for 1 MB): only rich text up to `_RTF_BYTES` is read
    that way, and a longer one is left in the mail's file, and said."""
    plain = msg.getStringStream("__substg1.0_1000")
    if isinstance(plain, str) and plain.strip():
        return plain[: NOTES_LIMIT * 2], len(plain) > NOTES_LIMIT * 2
    markup = msg.getStream("__substg1.0_10130102")
    if isinstance(markup, bytes) and markup.strip():
        return _html_text(markup, None)
    packed = msg.getStream("__substg1.0_10090102")
    if not isinstance(packed, bytes) or len(packed) < 16:
        return "", False
    # The header of compressed RTF (MS-OXRTFCP 2.2.3.1) says its size unpacked.
    (size,) = struct.unpack_from("<I", packed, 4)
    if size > _RTF_BYTES:
        notes.append(
            f"The mail's text is only in rich text ({_size(size)}), more than desk reads "
            "here: it is in the mail's own file."
        )
        return "", False
    body = msg.body
    if isinstance(body, str) and body.strip():
        return body[: NOTES_LIMIT * 2], len(body) > NOTES_LIMIT * 2
    markup = msg.htmlBody
    if isinstance(markup, bytes) and markup.strip():
        return _html_text(markup, None)
    return "", False


# -- headers -----------------------------------------------------------------------------


def _header_text(value: bytes) -> str:
    """A header as text: its bytes in the character set they are in (some programs
    write raw UTF-8, Windows-1252 or ISO-2022-JP where the standard wants ASCII), then
    its RFC 2047 encoded words, on one line."""
    return _plain_line(_decode_words(_raw_text(value)))


def _raw_text(value: bytes) -> str:
    if b"\x1b" in value:
        for codec in _CHARSETS["iso-2022-jp"]:
            try:
                return value.decode(codec)
            except UnicodeDecodeError:
                continue
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("cp1252", errors="replace")


def _plain_line(text: str) -> str:
    return " ".join(text.translate(_CONTROLS).split())


def _cut_line(text: str, limit: int = 500) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _codecs_for(charset: str | None) -> tuple[str, ...]:
    if not charset:
        return ()
    name = charset.strip().strip("\"'").lower().split("*")[0]
    found = []
    for candidate in _CHARSETS.get(name, (name,)):
        try:
            found.append(codecs.lookup(candidate).name)
        except LookupError:
            continue
    return tuple(found)


def _decode_words(text: str) -> str:
    """RFC 2047 encoded words decoded. Adjacent words in one character set are joined
    before decoding (programs split a character's bytes between two words), the space
    between encoded words goes (RFC 2047 6.2), and a word that does not decode is left
    as written rather than shown as garbage."""
    if "=?" not in text:
        return text
    out: list[str] = []
    pending: list[tuple[str, bytes, str]] = []  # (charset, bytes, as written)

    def flush() -> None:
        if not pending:
            return
        charset = pending[0][0]
        data = b"".join(p[1] for p in pending)
        decoded = None
        for codec in _codecs_for(charset) or ("utf-8",):
            try:
                decoded = data.decode(codec)
                break
            except UnicodeDecodeError:
                continue
        if decoded is None:
            try:
                decoded = data.decode("utf-8")
            except UnicodeDecodeError:
                decoded = "".join(p[2] for p in pending)
        out.append(decoded)
        pending.clear()

    position = 0
    for match in _ENCODED_WORD.finditer(text):
        between = text[position : match.start()]
        position = match.end()
        if between and not (pending and not between.strip()):
            flush()
            out.append(between)
        charset = match.group(1).split("*")[0].lower()
        encoded = match.group(3)
        try:
            if match.group(2) in "bB":
                data = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
            else:
                data = binascii.a2b_qp(encoded.encode("ascii"), header=True)
        except (binascii.Error, ValueError, UnicodeEncodeError):
            flush()
            out.append(match.group(0))
            continue
        if pending and pending[0][0] != charset:
            flush()
        pending.append((charset, data, match.group(0)))
    flush()
    out.append(text[position:])
    return "".join(out)


def _addresses(values: list[bytes], notes: list[str], line: str) -> list[tuple[str, str]]:
    text = ", ".join(_raw_text(v) for v in values)
    return _parse_addresses(text, notes, line)


def _parse_addresses(text: str, notes: list[str], line: str) -> list[tuple[str, str]]:
    """(name, address) pairs from an address line; names decoded after the line is
    split, so a decoded comma inside a name does not split it."""
    if len(text) > _HEADER_CHARS:
        cut = text.rfind(",", 0, _HEADER_CHARS)
        text = text[: cut if cut > 0 else _HEADER_CHARS]
        notes.append(f"The {line} line is longer than desk reads; its start was read.")
    found: list[tuple[str, str]] = []
    for name, address in email.utils.getaddresses([text]):
        clean = _clean_address(address)
        if clean is None:
            continue
        shown = _plain_line(_decode_words(name)).strip("\"' ")
        if shown.lower() == clean or ("@" in shown and _clean_address(shown) == clean):
            shown = ""
        found.append((_cut_line(shown, 200), clean))
        if len(found) >= MAX_PEOPLE:
            break
    return found


def _clean_address(address: str) -> str | None:
    text = address.strip().strip("<>").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if len(text) > 254 or not _ADDRESS.match(text):
        return None
    return _address_key(text)


def _address_key(address: str) -> str:
    """An address as compared: ASCII letters in lower case, as SQLite's lower() does."""
    return address.strip().encode("utf-8").lower().decode("utf-8")


def _formatted(name: str, address: str) -> str:
    if not name:
        return address
    return email.utils.formataddr((name, address)) if name.isascii() else f"{name} <{address}>"


def _sent(value: bytes, notes: list[str]) -> dt.datetime | None:
    if not value.strip():
        return None
    text = _plain_line(_raw_text(value))
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        notes.append(f"The mail's date ({_cut_line(text, 60)}) cannot be read.")
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)  # "-0000": the zone is not known, UTC is meant
    if not 1990 <= when.year <= dt.date.today().year + 1:
        notes.append(f"The mail's date ({_cut_line(text, 60)}) cannot be right.")
        return None
    return when


def _message_id(value: bytes) -> str | None:
    text = _raw_text(value).strip()
    if not text:
        return None
    match = _MESSAGE_ID.search(text)
    if match:
        return match.group(0)
    bare = text.split()[0] if text.split() else ""
    if "@" in bare and len(bare) <= 990:
        return f"<{bare.strip('<>')}>"
    return None


# -- text --------------------------------------------------------------------------------


def _decode_text(data: bytes, charset: str | None) -> str:
    """Body bytes as text, in the set declared when they are in it: a set declared as
    ASCII or Latin-1 is tried as UTF-8 first (programs send UTF-8 under it), an unknown
    or wrong one falls back to UTF-8, then Windows-1252, which reads almost any byte.
    Bytes cut at the end of a character (the notes read only the start of a long mail)
    are dropped."""
    declared = _codecs_for(charset)
    latin = (charset or "").strip().strip("\"'").lower() in ("us-ascii", "ascii", "iso-8859-1")
    order = ("utf_8", *declared) if latin else (*declared, "utf_8")
    if b"\x1b" in data and not declared:
        order = (*_codecs_for("iso-2022-jp"), *order)
    for codec in order:
        decoder = codecs.getincrementaldecoder(codec)(errors="strict")
        try:
            return decoder.decode(data, final=False)
        except UnicodeDecodeError:
            continue
    fallback = declared[0] if declared else "cp1252"
    return codecs.getincrementaldecoder(fallback)(errors="replace").decode(data, final=False)


def _clean_body(text: str) -> tuple[str, bool]:
    """The text as notes keep it: one kind of line end, no control characters, no runs
    of blank lines, cut at a line end near NOTES_LIMIT; and whether it was cut."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROLS)
    text = text.replace("\u00a0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if len(text) <= NOTES_LIMIT:
        return text, False
    cut = text.rfind("\n", NOTES_LIMIT // 2, NOTES_LIMIT)
    if cut == -1:
        cut = text.rfind(" ", NOTES_LIMIT // 2, NOTES_LIMIT)
    return text[: cut if cut != -1 else NOTES_LIMIT].rstrip(), True


def _html_text(data: bytes, charset: str | None) -> tuple[str, bool]:
    """An HTML body as text: what a reader sees, with paragraphs and list items on their
    own lines. Scripts, styles and the head are dropped; nothing is fetched or run (the
    standard library's parser only reads). Pictures kept inside the HTML as data are
    taken out before anything is read, and reading stops once the notes are full."""
    data = re.sub(rb"""data:[^"'\s>)]{64,}""", b"data:", data)
    if charset is None:
        sniffed = re.search(
            rb"""<meta[^>]{0,200}charset\s*=\s*["']?([\w.:-]+)""", data[:4096], re.I
        )
        charset = sniffed.group(1).decode("ascii") if sniffed else None
    cut = len(data) > _HTML_BYTES
    markup = _decode_text(data[:_HTML_BYTES], charset)
    reader = _HtmlText()
    try:
        for at in range(0, len(markup), 64 * 1024):
            reader.feed(markup[at : at + 64 * 1024])
            if reader.size > NOTES_LIMIT * 2:
                cut = True
                break
        reader.close()
    except Exception:  # markup the parser cannot follow: its words, bare
        return html.unescape(re.sub(r"<[^>]*>", " ", markup[: NOTES_LIMIT * 4])), cut
    return reader.text(), cut


class _HtmlText(HTMLParser):
    _SKIPPED = frozenset(
        {
            "script",
            "style",
            "head",
            "title",
            "template",
            "noscript",
            "svg",
            "math",
            "object",
            "iframe",
            "xml",
        }
    )
    _BLOCKS = frozenset(
        {
            "p",
            "div",
            "section",
            "article",
            "header",
            "footer",
            "blockquote",
            "table",
            "ul",
            "ol",
            "dl",
            "dt",
            "dd",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "pre",
            "address",
            "center",
            "form",
            "fieldset",
            "hr",
            "tr",
            "body",
            "main",
            "nav",
            "aside",
            "figure",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.size = 0
        self.skipping: dict[str, int] = {}
        self.preformatted = 0
        self.cells = 0

    def _emit(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.skipping.pop("head", None)  # a head never closed ends where the body starts
        if tag in self._SKIPPED:
            self.skipping[tag] = self.skipping.get(tag, 0) + 1
            return
        if self.skipping:
            return
        if tag == "br":
            self._emit("\n")
        elif tag == "li":
            self._emit("\n• ")
        elif tag in ("td", "th"):
            if self.cells:
                self._emit("\t")
            self.cells += 1
        elif tag == "img":
            alt = next((v for k, v in attrs if k == "alt" and v), None)
            if alt and alt.strip():
                self._emit(f"[{' '.join(alt.split())}]")
        elif tag in self._BLOCKS:
            self._emit("\n\n" if tag in ("p", "table", "blockquote", "ul", "ol") else "\n")
            if tag == "pre":
                self.preformatted += 1
            if tag == "tr":
                self.cells = 0

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIPPED:
            count = self.skipping.get(tag, 0) - 1
            if count > 0:
                self.skipping[tag] = count
            else:
                self.skipping.pop(tag, None)
            return
        if self.skipping:
            return
        if tag in self._BLOCKS:
            self._emit("\n\n" if tag in ("p", "table", "blockquote", "ul", "ol") else "\n")
            if tag == "pre":
                self.preformatted = max(0, self.preformatted - 1)

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        self._emit(data if self.preformatted else re.sub(r"\s+", " ", data))

    def text(self) -> str:
        lines = [line.strip(" ") for line in "".join(self.parts).split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# -- files -------------------------------------------------------------------------------


def _safe_name(name: str, number: int, media_type: str) -> str:
    """A file name to keep: no folders, no control characters, not over 150 characters
    (its extension kept); one made up from its type when the mail gives none."""
    name = _plain_line(name).replace("\\", "/").rsplit("/", 1)[-1].strip(" .")
    if not name:
        if media_type == "message/rfc822":
            return f"attached mail {number}.eml"
        extension = mimetypes.guess_extension(media_type) or ".bin"
        return f"attachment {number}{extension}"
    if len(name) > 150:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = f"{stem[: 149 - len(extension)]}.{extension}"
        else:
            name = name[:150]
    return name


def _type_of(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


# -- people ------------------------------------------------------------------------------


def _people(got: _Read) -> list[Person]:
    """Everyone in the mail once, by address, in the order sender, To, Cc."""
    people: dict[str, Person] = {}
    lines: list[tuple[str, list[tuple[str, str]]]] = [
        ("from", [got.sender] if got.sender else []),
        ("to", got.to),
        ("cc", got.cc),
    ]
    for role, pairs in lines:
        for name, address in pairs:
            person = people.get(address)
            if person is None:
                if len(people) >= MAX_PEOPLE:
                    break
                people[address] = Person(address=address, name=name, roles=[role])
            else:
                if role not in person.roles:
                    person.roles.append(role)
                person.name = person.name or name
    return list(people.values())


def _match(db: Database, people: list[Person]) -> None:
    """Each person's contact, by the contact's email or one of its ways to reach them by
    mail, in one read of each (lower case on both sides, as addresses are compared)."""
    if not people:
        return
    wanted = json.dumps([p.address for p in people])
    title = KINDS["contact"].title_sql
    found = db.execute(
        f"SELECT c.id, lower(trim(c.email)), {title}, c.organisation_id, 0 FROM contacts c "
        "WHERE lower(trim(c.email)) IN (SELECT value FROM json_each(?1)) "
        f"UNION ALL SELECT c.id, lower(trim(d.value)), {title}, c.organisation_id, 1 "
        "FROM contact_details d JOIN contacts c ON c.id = d.contact_id "
        "WHERE d.channel = 'email' AND lower(trim(d.value)) IN (SELECT value FROM json_each(?1)) "
        "ORDER BY 5, 1",
        (wanted,),
    ).fetchall()
    by_address: dict[str, list[tuple[int, str, int | None]]] = {}
    for contact_id, address, name, organisation, _detail in found:
        matches = by_address.setdefault(address, [])
        if all(m[0] != contact_id for m in matches):
            matches.append((contact_id, name, organisation))
    for person in people:
        matches = by_address.get(person.address, [])
        person.contact_id, person.contact_name, person.organisation_id = None, "", None
        if matches:
            person.contact_id, person.contact_name, person.organisation_id = matches[0]
            person.others = len(matches) - 1


def _offer(people: list[Person]) -> None:
    """What each new address would be as a contact: the name split as it is written,
    a name in another script kept as the native name too, and the organization of the
    known people at the same (non-public) domain when they all share one."""
    organisations: dict[str, set[int]] = {}
    for person in people:
        if person.known and person.organisation_id is not None:
            domain = person.address.rsplit("@", 1)[-1]
            organisations.setdefault(domain, set()).add(person.organisation_id)
    for person in people:
        if person.known:
            person.new_contact = {}
            continue
        values = contact_values(person.name, person.address)
        domain = person.address.rsplit("@", 1)[-1]
        shared = organisations.get(domain, set())
        if domain not in _PUBLIC_DOMAINS and len(shared) == 1:
            values["organisation_id"] = next(iter(shared))
        person.new_contact = values


def _script(name: str) -> str:
    """'latin', 'cjk' (family name first) or 'other', by the name's letters."""
    scripts = set()
    for char in name:
        if not char.isalpha():
            continue
        label = unicodedata.name(char, "")
        if label.startswith("LATIN"):
            scripts.add("latin")
        elif label.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL")):
            scripts.add("cjk")
        else:
            scripts.add("other")
    if not scripts or scripts == {"latin"}:
        return "latin"
    return "cjk" if "cjk" in scripts else "other"


def contact_values(name: str, address: str) -> dict[str, Any]:
    """A new contact's fields from a mail's display name and address. 'Doe, Jane' is
    family name first; 'Jane Doe' given first; a name in Chinese, Japanese or Korean is
    family first, and any name not in Latin letters is also kept as the native name
    (a romanized one cannot be made up here). No name: the address stands for it."""
    name = _plain_line(name).strip("\"' ")
    values: dict[str, Any] = {"email": address}
    if not name:
        values["family_name"] = address
        return values
    script = _script(name)
    if script != "latin":
        values["name_native"] = name
    if "," in name and script == "latin":
        family, _, given = name.partition(",")
        values["family_name"], values["given_name"] = family.strip(), given.strip() or None
        return values
    words = name.split()
    if script == "cjk":
        values["name_order"] = "family_first"
        values["family_name"] = words[0]
        values["given_name"] = " ".join(words[1:]) or None
    else:
        values["family_name"] = words[-1]
        values["given_name"] = " ".join(words[:-1]) or None
    return values


# -- guessing the record -----------------------------------------------------------------


def _guess(db: Database, people: list[Person], day: dt.date) -> tuple[list[Guess], bool]:
    """The records the mail is likely about, likeliest first, and whether the first is
    clear enough to log on unasked.

    Each known person gives one vote, shared among the relationships they belong to
    (someone on every partnership says little about any): a partnership with the
    visits under it is one relationship. Within it the vote weighs most for a visit
    near the mail's date the person is in, then for being a partnership's contact, then
    for working at its partner organization. The likeliest relationship is clear when
    it has twice the votes of the next; within it, the visit its people are in is the
    record (the partnership hears of it too), else the partnership itself."""
    known = {p.contact_id: p for p in people if p.contact_id is not None}
    if not known:
        return [], False
    links = _links(db, sorted(known), day)
    guesses: dict[tuple[str, int], Guess] = {}
    totals: dict[tuple[str, int], float] = {}  # by relationship
    for contact_id, found in links.items():
        best: dict[tuple[str, int], tuple[Guess, float, str]] = {}
        units: dict[tuple[str, int], float] = {}
        for guess, weight, how in found:
            if guess.on not in best or weight > best[guess.on][1]:
                best[guess.on] = (guess, weight, how)
            unit = guess.within or guess.on
            units[unit] = max(units.get(unit, 0.0), weight)
        if not units:
            continue
        share = 1.0 / len(units)
        person = known[contact_id]
        for guess, weight, how in best.values():
            kept = guesses.setdefault(guess.on, guess)
            kept.score += weight * share
            if len(kept.reasons) < 3:
                kept.reasons.append(f"{person.contact_name or person.address} {how}")
            elif len(kept.reasons) == 3:
                kept.reasons.append("and others")
        for unit, weight in units.items():
            totals[unit] = totals.get(unit, 0.0) + weight * share
    if not totals:
        return [], False
    ranked = sorted(totals, key=lambda unit: (-totals[unit], unit[1]))
    top = ranked[0]
    sure = len(ranked) == 1 or totals[top] >= 2 * totals[ranked[1]]
    inside = sorted(
        (g for g in guesses.values() if g.within == top),
        key=lambda g: (-g.score, g.id),
    )
    if inside and (len(inside) == 1 or inside[0].score >= 2 * inside[1].score):
        first = inside[0]
    else:
        first = guesses.get(top) or _relationship(db, top, guesses)
    order = {unit: n for n, unit in enumerate(ranked)}
    rest = sorted(
        (g for g in guesses.values() if g is not first),
        key=lambda g: (order.get(g.within or g.on, len(order)), g.within is not None, -g.score),
    )
    return [first, *rest][:8], sure


def _links(
    db: Database, contact_ids: list[int], day: dt.date
) -> dict[int, list[tuple[Guess, float, str]]]:
    """Each contact's ties to records a mail may be about: (the record, how much the tie
    says, the tie in words)."""
    ids = json.dumps(contact_ids)
    found: dict[int, list[tuple[Guess, float, str]]] = {cid: [] for cid in contact_ids}
    first, last = (day - _VISIT_BEFORE).isoformat(), (day + _VISIT_AFTER).isoformat()
    for row in fetch(
        db,
        "SELECT v.id, v.title, v.partnership_id, x.contact_id, x.how FROM ("
        "SELECT visit_id, contact_id, 'is in its delegation' AS how FROM visit_participants "
        "WHERE contact_id IN (SELECT value FROM json_each(?1)) "
        "UNION ALL SELECT id, requester_contact_id, 'asked for it' FROM visits "
        "WHERE requester_contact_id IN (SELECT value FROM json_each(?1)) "
        "UNION ALL SELECT id, advance_contact_id, 'is its advance contact' FROM visits "
        "WHERE advance_contact_id IN (SELECT value FROM json_each(?1))"
        ") x JOIN visits v ON v.id = x.visit_id "
        "WHERE coalesce(v.status, '') NOT IN ('declined', 'cancelled') AND ("
        "(v.start_date IS NULL AND coalesce(v.status, '') <> 'completed') OR "
        "(v.start_date <= ?3 AND coalesce(v.end_date, v.start_date) >= ?2))",
        (ids, first, last),
    ):
        within = None
        if row["partnership_id"] is not None:
            within = ("partnership", int(row["partnership_id"]))
        visit = Guess("visit", int(row["id"]), str(row["title"] or ""), within=within)
        found[int(row["contact_id"])].append((visit, 3.0, str(row["how"])))
    for row in fetch(
        db,
        "SELECT pc.partnership_id AS id, pc.contact_id, p.partner_name AS title, pc.role "
        "FROM partnership_contacts pc JOIN partnerships p ON p.id = pc.partnership_id "
        "WHERE pc.contact_id IN (SELECT value FROM json_each(?1))",
        (ids,),
    ):
        role = f" ({row['role']})" if row["role"] else ""
        partnership = Guess("partnership", int(row["id"]), str(row["title"] or ""))
        found[int(row["contact_id"])].append((partnership, 2.0, f"is one of its contacts{role}"))
    for row in fetch(
        db,
        "SELECT p.id, c.id AS contact_id, p.partner_name AS title, o.name AS organisation "
        "FROM contacts c JOIN partnerships p ON p.partner_organisation_id = c.organisation_id "
        "JOIN organisations o ON o.id = c.organisation_id "
        "WHERE c.id IN (SELECT value FROM json_each(?1))",
        (ids,),
    ):
        partnership = Guess("partnership", int(row["id"]), str(row["title"] or ""))
        how = f"works for its partner organization, {row['organisation']}"
        found[int(row["contact_id"])].append((partnership, 1.0, how))
    return found


def _relationship(
    db: Database, unit: tuple[str, int], guesses: dict[tuple[str, int], Guess]
) -> Guess:
    """The partnership over visits its people are in, when nobody is tied to it directly."""
    spec = KINDS[unit[0]]
    made = Guess(unit[0], unit[1], records.title_of(db, spec.name, unit[1]))
    made.reasons = ["its visit's people are in the mail"]
    guesses[unit] = made
    return made


# -- where a mail is logged --------------------------------------------------------------


@dataclass
class Placement:
    """What logging on a record sets: the interaction's links, and who takes part."""

    kind: str
    id: int
    title: str
    links: dict[str, int]
    people: list[int]

    @property
    def label(self) -> str:
        return f"{KINDS[self.kind].label.lower()} {quoted(self.title)}"


def placement(db: Database, on: tuple[str, int | str]) -> Placement:
    """Where a mail logged on `on` goes, read from the declarations: a record an
    interaction links to (a partnership, a visit) is linked, with the links it has
    itself of the same kinds (a visit's partnership, so the relationship hears of it);
    a record that holds such a link (an agreement's partnership) gives its own; a
    contact takes part. Anything else is refused, saying what a mail can go on."""
    spec = kind(on[0])
    record_id = records.resolve_named(db, spec.name, on[1])
    row = records.get(db, spec.name, record_id)
    interaction = KINDS["interaction"]
    links: dict[str, int] = {}
    for link in interaction.fields:
        if link.ref is None:
            continue
        if link.ref == spec.name:
            links[link.name] = record_id
        else:
            own = spec.field_map.get(link.name)
            if own is not None and own.ref == link.ref and row.get(link.name) is not None:
                links[link.name] = int(row[link.name])
    people = [record_id] if spec.name == _participant_kind() else []
    if not links and not people:
        raise MailRefused(
            f"A mail cannot be logged on {spec.label.lower()} "
            f"{quoted(records.title_of(db, spec.name, record_id))}: log it on "
            f"{_loggable_words()}."
        )
    return Placement(
        spec.name, record_id, records.title_of(db, spec.name, record_id), links, people
    )


def _participant_kind() -> str:
    """The kind that takes part in an interaction (contacts), as declared."""
    spec = KINDS["interaction_participant"]
    return next(f.ref for f in spec.fields if f.ref and f.name != spec.parent)


def _loggable_words() -> str:
    kinds = [f.ref for f in KINDS["interaction"].fields if f.ref] + [_participant_kind()]
    labels = [KINDS[k].label.lower() for k in dict.fromkeys(kinds) if k]
    return ", ".join(f"a {w}" for w in labels[:-1]) + f" or a {labels[-1]}"


def choices(db: Database, plan: MailPlan, page: tuple[str, int] | None = None) -> list[Guess]:
    """What the mail may be logged on, first the likeliest: the record of the page it
    was dropped on (or, for a record a mail cannot go on, such as an organization, the
    records that link to it), then the guesses from its people."""
    found: list[Guess] = []
    if page is not None:
        try:
            where = placement(db, page)
            found.append(Guess(where.kind, where.id, where.title, reasons=["dropped on it"]))
        except DeskError:
            found += _linking(db, page)
    for guess in plan.guesses:
        if all(g.on != guess.on for g in found):
            found.append(guess)
    return found


def _linking(db: Database, page: tuple[str, int]) -> list[Guess]:
    """Records a mail can go on that link to `page` (an organization's partnerships)."""
    target = kind(page[0])
    found: list[Guess] = []
    loggable = [f.ref for f in KINDS["interaction"].fields if f.ref]
    for name in dict.fromkeys(loggable):
        if name is None:
            continue
        spec = KINDS[name]
        for link in spec.fields:
            if link.ref != target.name:
                continue
            for row in fetch(
                db,
                f"SELECT id, {spec.title_sql} AS title FROM {spec.table} "
                f"WHERE {link.name} = ? ORDER BY id LIMIT 5",
                (page[1],),
            ):
                found.append(
                    Guess(
                        spec.name,
                        int(row["id"]),
                        str(row["title"] or ""),
                        reasons=[f"its {link.label.lower()} is the record dropped on"],
                    )
                )
    return found


def logged_as(db: Database, message_id: str | None) -> tuple[int, str, str] | None:
    """(id, subject, date) of the interaction that holds this Message-ID already."""
    if not message_id:
        return None
    row = db.execute(
        "SELECT id, subject, occurred_on FROM interactions WHERE message_id = ? ORDER BY id "
        "LIMIT 1",
        (message_id,),
    ).fetchone()
    return (int(row[0]), str(row[1] or ""), str(row[2] or "")) if row else None


def _already(found: tuple[int, str, str]) -> AlreadyLogged:
    interaction_id, subject, day = found
    when = f" of {dates.short_date(day)}" if dates.stored_date(day) else ""
    return AlreadyLogged(
        f"This mail was logged already: interaction #{interaction_id} {quoted(subject)}{when}.",
        interaction_id,
    )


# -- logging -----------------------------------------------------------------------------


def log_mail(
    db: Database,
    plan: MailPlan,
    on: tuple[str, int | str],
    make_contacts: Sequence[str] = (),
) -> Changes:
    """Log the mail on `on` as one operation; `.id` is the new interaction's id.

    Its known people take part, and the addresses in `make_contacts` become contacts
    first (an address a contact has by now is that contact, not a second one). The
    mail's attachments and the mail itself are kept as files with the interaction or,
    where interactions take no files, with the record it is logged on; the notes say
    where. A Message-ID logged before is refused, naming that interaction."""
    wanted = {_address_key(a) for a in make_contacts}
    unknown = wanted - {p.address for p in plan.people}
    if unknown:
        raise ValidationError(f"{', '.join(sorted(unknown))} is not in this mail.")
    where = placement(db, on)
    # The bytes are read again (a plan holds no attachments) and must be those planned.
    source, raw, digest = _load(plan.source)
    if digest != plan.sha256:
        raise MailRefused(f"{source.name} changed since it was read; drop it again.")
    got = _parse(source, raw)
    people = [Person(p.address, p.name, list(p.roles)) for p in plan.people]
    _match(db, people)
    keeper_kind, keeper_title = _keeper(where)
    subject = plan.subject or "(no subject)"
    with operation(db, f"Log mail {quoted(subject)}") as changes:
        found = logged_as(db, plan.message_id)
        if found is not None:
            raise _already(found)
        taking_part = list(where.people)
        by_address = {p.address: p for p in plan.people}
        for person in people:
            if person.known:
                assert person.contact_id is not None
                taking_part.append(person.contact_id)
            elif person.address in wanted:
                values = dict(by_address[person.address].new_contact) or contact_values(
                    person.name, person.address
                )
                made = records.create(db, "contact", values).id
                assert made is not None
                taking_part.append(made)
        interaction_id = records.create(
            db,
            "interaction",
            {
                "occurred_on": plan.day.isoformat(),
                "kind": "email",
                "subject": _cut_line(subject, MAX_LINE),
                "mail_from": _cut_line(plan.mail_from, MAX_LINE) or None,
                "message_id": plan.message_id,
                "notes": _notes(plan, source.name, got.files, keeper_kind, keeper_title),
                **where.links,
            },
        ).id
        assert interaction_id is not None
        participant = KINDS["interaction_participant"]
        contact_field = next(f.name for f in participant.fields if f.ref == _participant_kind())
        parent_field = participant.parent or "interaction_id"
        rows = [
            {parent_field: interaction_id, contact_field: contact_id}
            for contact_id in dict.fromkeys(taking_part)
        ]
        if rows:
            records.create_many(db, participant.name, rows)
        owner = (
            ("interaction", interaction_id)
            if KINDS["interaction"].attachable
            else (where.kind, where.id)
        )
        described = f"From the mail {quoted(subject)} of {dates.short_date(plan.day)}"
        attachments.attach_file(db, *owner, raw, source.name, described)
        for item in got.files:
            attachments.attach_file(db, *owner, item.data, item.filename, described)
        changes.label = f"Log mail {quoted(subject)} on {where.label}"
    return changes.about(interaction_id)


def _keeper(where: Placement) -> tuple[str, str]:
    """(the label of what keeps the files, its title): the interaction itself once
    interactions take files, else the record the mail is logged on."""
    if KINDS["interaction"].attachable:
        return "this interaction", ""
    return f"the {KINDS[where.kind].label.lower()}", where.title


def _notes(
    plan: MailPlan, mail_file: str, files: Iterable[_Attachment], keeper: str, title: str
) -> str:
    kept_with = f"{keeper} {quoted(title)}" if title else keeper
    names = [f"{mail_file} (the mail)"] + [f"{f.filename} ({_size(len(f.data))})" for f in files]
    lines = [plan.body] if plan.body else []
    if plan.body_cut:
        lines.append(f"[The mail goes on: the whole of it is in {mail_file}.]")
    lines.append(f"Files kept with {kept_with}: {', '.join(names)}.")
    if plan.day_from_file:
        lines.append("The mail has no date of its own: this is the date of its file.")
    return "\n\n".join(lines)


def _size(size: int) -> str:
    if size < 1000 * 1000:
        return f"{max(1, round(size / 1000)):,} KB"
    return f"{size / 1e6:,.1f} MB"


def _city_zone(db: Database) -> str:
    row = db.execute("SELECT time_zone FROM city_profile ORDER BY id LIMIT 1").fetchone()
    return str(row[0]) if row and row[0] else dates.local_zone()


def loggable(spec: Kind) -> bool:
    """Whether a record of this kind can hold a mail (its page accepts drops)."""
    if spec.name == _participant_kind():
        return True
    refs = {f.ref for f in KINDS["interaction"].fields if f.ref}
    return spec.name in refs or any(
        f.ref in refs and f.name in KINDS["interaction"].field_map for f in spec.fields
    )
