"""Who each letter goes to and what its fields say, read from the records.

One letter or several from one template: an invitation to the partner's lead, visa
support for each member of the visiting delegation, thanks to each counterpart met and to
their delegation's principal, a national-day greeting to the partner's head. Who signs is
ours: the mayor (whoever holds our mayor's office on the letter's date) or the office's
director, as the city profile names the post. A letter that cannot be addressed is
refused with what is missing named, never written to nobody.

Only what a partner may read reaches a letter: names, titles, forms of address, the
visit's dates and places, the purpose stated in the request. The visit's own purpose,
objectives and notes are the office's and are not offered to a template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from desk.core.domain import dates
from desk.core.domain.vocab import PARTICIPANT_ROLES, PARTNERSHIP_KINDS, label
from desk.core.errors import DeskError
from desk.core.features import sides
from desk.core.reference import capitals, places
from desk.core.reference.countries import country_name
from desk.core.store import records
from desk.core.store.db import Database
from desk.core.store.queries import fetch, person_name
from desk.reports.letters import fields as f
from desk.reports.letters.templates import Template

Row = dict[str, Any]

SIGNERS = ("mayor", "director")

# The offices that lead a partner place, in the order a greeting prefers them.
_HEAD_WORDS = (
    "mayor",
    "lord mayor",
    "governor",
    "president",
    "chief executive",
    "prefect",
    "premier",
    "chair",
    "head",
)


_NOUNS = {
    "invitation": "Invitation",
    "visa": "Visa support",
    "thank-you": "Thank-you",
    "national-day": "National-day",
}


class LetterRefused(DeskError):
    """A letter that cannot be written as asked; the message names what is missing."""


@dataclass
class Letter:
    to: str  # who it goes to, as the result names them: "Mayor Daisuke Nakamura"
    context: dict[str, Any]


@dataclass
class Letters:
    template: Template
    owner_kind: str  # where a kept copy goes: "visit" or "partnership"
    owner_id: int
    owner_title: str
    day: dt.date  # the letters' date
    letters: list[Letter] = field(default_factory=list)
    # Who has no letter and why: a delegate known only by name, a counterpart typed as text.
    left_out: list[str] = field(default_factory=list)
    # What a reader would find odd, said before the letters go out: an invitation dated
    # after the visit began, thanks before it ended.
    notes: list[str] = field(default_factory=list)

    @property
    def description(self) -> str:
        """For the copy kept on the record: 'Thank-you letters to Mayor Daisuke Nakamura and
        Ms. Yumi Ito, dated December 18, 2026'."""
        names = [letter.to for letter in self.letters]
        shown = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        if len(names) > 4:
            shown = f"{', '.join(names[:3])} and {len(names) - 3} others"
        noun = "letter" if len(names) == 1 else "letters"
        what = _NOUNS[self.template.letter]
        return f"{what} {noun} to {shown}, dated {dates.month_day_year(self.day)}"


# -- reading -----------------------------------------------------------------------------------


@dataclass
class _Read:
    db: Database
    city: Row
    visit: Row
    partnership: Row
    participants: list[Row]
    itinerary: list[Row]
    contacts: dict[int, Row]
    organisations: dict[int, Row]
    postal: dict[int, str]  # a contact's postal address, where one is recorded


def _one(db: Database, sql: str, params: tuple[Any, ...]) -> Row:
    found = fetch(db, sql, params)
    return found[0] if found else {}


def _contacts(db: Database, ids: set[int], read: _Read) -> None:
    wanted = sorted(i for i in ids if i not in read.contacts)
    if not wanted:
        return
    marks = ", ".join("?" * len(wanted))
    for row in fetch(db, f"SELECT * FROM contacts WHERE id IN ({marks})", tuple(wanted)):
        read.contacts[row["id"]] = row
    orgs = sorted(
        {
            c["organisation_id"]
            for c in read.contacts.values()
            if c.get("organisation_id") and c["organisation_id"] not in read.organisations
        }
    )
    if orgs:
        marks = ", ".join("?" * len(orgs))
        for row in fetch(db, f"SELECT * FROM organisations WHERE id IN ({marks})", tuple(orgs)):
            read.organisations[row["id"]] = row
    for contact_id, value in db.execute(
        "SELECT contact_id, value FROM contact_details WHERE channel = 'address' "
        f"AND contact_id IN ({', '.join('?' * len(wanted))}) ORDER BY id",
        wanted,
    ).fetchall():
        read.postal.setdefault(contact_id, value or "")


def _read(db: Database, visit_id: int | None, partnership_id: int | None) -> _Read:
    city = _one(db, "SELECT * FROM city_profile ORDER BY id LIMIT 1", ())
    if not str(city.get("name") or "").strip():
        raise LetterRefused(
            "Letters are written for our city: fill in the city profile (Our city: its "
            "name and state) first."
        )
    visit = records.get(db, "visit", visit_id) if visit_id is not None else {}
    own = partnership_id if partnership_id is not None else visit.get("partnership_id")
    partnership = _one(db, "SELECT * FROM partnerships WHERE id = ?", (own,)) if own else {}
    read = _Read(db, city, visit, partnership, [], [], {}, {}, {})
    if visit_id is not None:
        read.participants = fetch(
            db,
            "SELECT * FROM visit_participants WHERE visit_id = ? ORDER BY CASE role "
            "WHEN 'principal' THEN 0 WHEN 'host' THEN 1 ELSE 2 END, id",
            (visit_id,),
        )
        read.itinerary = fetch(
            db,
            "SELECT * FROM itinerary_items WHERE visit_id = ? ORDER BY starts_at, id",
            (visit_id,),
        )
        ids = {p["contact_id"] for p in read.participants if p.get("contact_id")}
        ids |= {
            i["counterpart_contact_id"] for i in read.itinerary if i.get("counterpart_contact_id")
        }
        _contacts(db, ids, read)
    return read


def _holders(db: Database, office_id: int, day: dt.date) -> list[Row]:
    """Who holds the office on the day, the latest to take it first. A term known only to
    its year or month counts from its first day to its last."""
    held = []
    for term in fetch(
        db, "SELECT * FROM office_terms WHERE office_id = ? ORDER BY id", (office_id,)
    ):
        start, end = term.get("start_date"), term.get("end_date")
        if start and dates.first_day(str(start)) > day:
            continue
        if end and dates.last_day(str(end)) < day:
            continue
        held.append(term)
    held.sort(key=lambda t: str(t.get("start_date") or ""), reverse=True)
    ids = [t["contact_id"] for t in held]
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    rows = {
        r["id"]: r for r in fetch(db, f"SELECT * FROM contacts WHERE id IN ({marks})", tuple(ids))
    }
    return [rows[i] for i in ids if i in rows]


def _office_named(db: Database, title: str, side: str) -> Row:
    return _one(
        db,
        "SELECT * FROM offices WHERE title = ? COLLATE NOCASE AND coalesce(side, 'theirs') = ? "
        "ORDER BY id LIMIT 1",
        (title.strip(), side),
    )


# -- who signs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signer:
    fields: Row  # what the template's `signatory` says
    contact_id: int | None  # who signs, where they are a contact


def signatory(db: Database, city: Row, signed_by: str, day: dt.date) -> Signer:
    """Our mayor (the holder of our mayor's office on the day) or the office's director
    (the holder of the post the city profile names, else its survey respondent when that
    is the director)."""
    name = str(city.get("name") or "").strip()
    government = f"City of {name}"
    when = dates.month_day_year(day)
    if signed_by == "mayor":
        offices = fetch(
            db,
            "SELECT * FROM offices WHERE side = 'ours' AND title LIKE 'mayor%' "
            "ORDER BY title = ? COLLATE NOCASE DESC, id",
            (f"Mayor of {name}",),
        )
        if not offices:
            raise LetterRefused(
                f"desk has no office of our mayor: add one under Offices (side: Our city, "
                f"e.g. 'Mayor of {name}') and who holds it, or sign as the director "
                "(--signed-by director)."
            )
        for office in offices:
            holders = _holders(db, office["id"], day)
            if holders:
                return _signer(holders[0], str(office["title"]), name, government)
        raise LetterRefused(
            f"No one holds the office of {offices[0]['title']} on {when} in desk's records: "
            "add who holds it under Offices (Held by), or sign as the director "
            "(--signed-by director)."
        )
    if signed_by != "director":
        raise LetterRefused(f"A letter is signed by {' or '.join(SIGNERS)}, not {signed_by!r}.")
    title = str(city.get("director_title") or "").strip()
    if not title:
        raise LetterRefused(
            "The city profile names no director: fill in 'Director's title' under Our city, "
            "or sign as the mayor (--signed-by mayor)."
        )
    office = _office_named(db, title, "ours")
    if office:
        holders = _holders(db, office["id"], day)
        if holders:
            return _signer(holders[0], str(office["title"]), name, government)
    respondent = str(city.get("respondent_name") or "").strip()
    if (
        respondent
        and str(city.get("respondent_title") or "").strip().casefold() == title.casefold()
    ):
        fields = {
            "name": respondent,
            "name_native": "",
            "honorific": "",
            "title": title,
            "lines": [respondent, title, government],
        }
        return Signer(fields, None)
    raise LetterRefused(
        f"No one holds the post of {title} on {when} in desk's records: add the office "
        "(side: Our city) and who holds it under Offices, or sign as the mayor "
        "(--signed-by mayor)."
    )


def _signer(contact: Row, title: str, city_name: str, government: str) -> Signer:
    lines = [person_name(contact), title]
    if city_name.casefold() not in title.casefold():
        lines.append(government)
    fields = {
        "name": person_name(contact),
        "name_native": contact.get("name_native") or "",
        "honorific": f.honorific_of(contact),
        "title": title,
        "lines": lines,
    }
    return Signer(fields, int(contact["id"]))


# -- people ------------------------------------------------------------------------------------


def person(read: _Read, contact: Row) -> Row:
    """A contact as a letter's fields name them."""
    org = read.organisations.get(contact.get("organisation_id") or -1)
    return {
        "name": person_name(contact),
        "name_native": contact.get("name_native") or "",
        "honorific": f.honorific_of(contact),
        "full_name": f.full_name(contact),
        "written_address": contact.get("written_address") or f.addressed_name(contact),
        "spoken_address": contact.get("spoken_address") or "",
        "salutation": f.salutation(contact),
        "job_title": contact.get("job_title") or "",
        "organization": (org or {}).get("name") or "",
        "country": f.country_text(contact.get("country") or (org or {}).get("country")),
        "address_lines": f.address_lines(contact, org, read.postal.get(contact["id"], "")),
    }


def _their_lead(read: _Read, day: dt.date) -> tuple[Row | None, str]:
    """Their side's lead: the participant who leads it, else the holder of the office the
    visit names as its principal (a delegation) or host (a mission). With it, how the
    visit names the lead, for a refusal."""
    _ours, theirs = sides.sides(read.visit, read.participants)
    if theirs.lead and theirs.lead.get("contact_id") in read.contacts:
        return read.contacts[theirs.lead["contact_id"]], ""
    named = theirs.named_lead or (str(theirs.lead.get("name") or "") if theirs.lead else "")
    if named:
        office = _office_named(read.db, named, "theirs")
        if office:
            holders = _holders(read.db, office["id"], day)
            if holders:
                _contacts(read.db, {holders[0]["id"]}, read)
                return read.contacts[holders[0]["id"]], named
    return None, named


def _visit_day(read: _Read, fallback: dt.date) -> dt.date:
    return dates.stored_date(read.visit.get("start_date")) or fallback


# Where a country is represented by an office rather than an embassy.
_REPRESENTATION = {"TW": "Taipei Economic and Cultural Office"}


def _lead_refusal(read: _Read, named: str, letter: str) -> LetterRefused:
    visit = read.visit.get("title") or "the visit"
    role = "principal" if sides.incoming(read.visit) else "host"
    said = (
        f" The visit names its {role} as {named!r}, which is no contact, nor an office "
        "with a holder then."
        if named
        else ""
    )
    return LetterRefused(
        f"The {letter} goes to the partner's lead, and {visit!r} has none: its delegation "
        f"lists no {role} of theirs linked to a contact.{said} Add their {role} to the "
        "delegation (side: Partner, role "
        f"{label(PARTICIPANT_ROLES, role)}), or name who it goes to with --to CONTACT."
    )


# -- the letters -------------------------------------------------------------------------------


@dataclass
class _Writing:
    """What every letter of one run shares, and how to change who signs one of them."""

    read: _Read
    result: Letters
    common: Row
    signer: Signer
    signed_by: str
    # The visiting side's lead, where a contact: a letter signed by them says so in the
    # first person rather than naming them.
    lead_id: int | None

    def letter(self, to: Row, *, signer: Signer | None = None, **extra: Any) -> Letter:
        signer = signer or self.signer
        visit = dict(self.common["visit"])
        visit["lead_is_signatory"] = self.lead_id is not None and signer.contact_id == self.lead_id
        # Built as keywords: a letter's field groups ("city", "visit") share names with
        # kinds of record, and are no table of them.
        context = dict(self.common)
        context.update(visit=visit, signatory=signer.fields, recipient=to, **extra)
        return Letter(str(to.get("full_name") or to.get("name") or ""), context)

    def other_signer(self) -> Signer | None:
        """The mayor for the director, the director for the mayor: who signs a visa letter
        about the one who would sign it."""
        other = "director" if self.signed_by == "mayor" else "mayor"
        try:
            return signatory(self.read.db, self.read.city, other, self.result.day)
        except LetterRefused:
            return None


def gather(
    db: Database,
    template: Template,
    visit: int | str | None = None,
    *,
    partnership: int | str | None = None,
    to: int | str | None = None,
    signed_by: str = "mayor",
    on: dt.date | None = None,
    today: dt.date | None = None,
) -> Letters:
    """The letters `template` writes for a visit (or, for a national-day greeting, a
    visit's partnership or a partnership), each with its fields."""
    today = today or dt.date.today()
    visit_id = records.resolve_named(db, "visit", visit) if visit is not None else None
    partnership_id = (
        records.resolve_named(db, "partnership", partnership) if partnership is not None else None
    )
    if visit_id is None and partnership_id is None:
        raise LetterRefused(f"A {template.letter} letter is written for a visit: name the visit.")
    if visit_id is None and template.letter != "national-day":
        raise LetterRefused(
            f"A {template.letter} letter is written for a visit, not a partnership: name the visit."
        )
    read = _read(db, visit_id, partnership_id)
    chosen = None
    if to is not None:
        contact_id = records.resolve_named(db, "contact", to)
        _contacts(db, {contact_id}, read)
        chosen = read.contacts[contact_id]
    if visit_id is not None:
        owner_kind, owner_id = "visit", visit_id
        owner_title = str(read.visit.get("title") or "")
    else:
        owner_kind, owner_id = "partnership", int(read.partnership["id"])
        owner_title = str(read.partnership.get("partner_name") or "")
    day = on or today
    if template.letter == "thank-you" and on is None and visit_id is not None:
        # Thanks are dated after the visit, never before it has happened.
        ends = dates.stored_date(read.visit.get("end_date") or read.visit.get("start_date"))
        if ends is not None and ends >= today:
            day = ends + dt.timedelta(days=1)
    found = None
    if template.letter == "national-day":
        # Dated on the coming national day, unless sent ahead on a date of its own.
        found = _national_day(read, on, today)
        day = on or found.day
    result = Letters(template, owner_kind, owner_id, owner_title, day)
    common, lead_id = _common(read, template, day)
    writing = _Writing(
        read, result, common, signatory(db, read.city, signed_by, day), signed_by, lead_id
    )
    _timing(read, result)
    if template.letter == "invitation":
        _invitation(writing, chosen)
    elif template.letter == "visa":
        _visa(writing, chosen)
    elif template.letter == "thank-you":
        _thanks(writing, chosen)
    else:
        assert found is not None
        _greeting(writing, chosen, found)
    return result


def _timing(read: _Read, result: Letters) -> None:
    first = dates.stored_date(read.visit.get("start_date"))
    last = dates.stored_date(read.visit.get("end_date")) or first
    when = dates.month_day_year(result.day)
    letter = result.template.letter
    if letter in ("invitation", "visa") and first and first < result.day:
        result.notes.append(
            f"the visit began on {dates.month_day_year(first)}, before the letter's date "
            f"({when}); give the date it was sent with --date"
        )
    if letter == "thank-you" and last and last > result.day:
        result.notes.append(
            f"the visit ends on {dates.month_day_year(last)}, after the letter's date "
            f"({when}): thanks are sent when it is over; give their date with --date"
        )


# What two cities are to each other, in a sentence: "sister cities since 1972".
_TIES = {"sister_city": "sister cities", "friendship_city": "friendship cities"}


def _common(read: _Read, template: Template, day: dt.date) -> tuple[Row, int | None]:
    """The fields every letter of the run shares, and the visiting lead's contact id."""
    city, visit, partnership = read.city, read.visit, read.partnership
    first = dates.stored_date(visit.get("start_date"))
    last = dates.stored_date(visit.get("end_date"))
    incoming = sides.incoming(visit)
    lead, host, lead_id = "", "", None
    if visit:
        ours, theirs = sides.sides(visit, read.participants)
        visiting, hosting = (theirs, ours) if incoming else (ours, theirs)
        lead, lead_id = _side_name(read, visiting)
        host, _host_id = _side_name(read, hosting)
    established = partnership.get("established_date")
    country = partnership.get("country") or visit.get("country")
    kind = str(partnership.get("kind") or "")
    # Keywords, as in `_Writing.letter`.
    fields = dict(
        letter={"name": template.name, "kind": template.letter},
        date=f.us_date(day),
        city={
            "name": city.get("name") or "",
            "state": city.get("state") or "",
            "place": sides.home_place(city),
            "office": city.get("office_name") or "",
            "government": f"City of {city.get('name')}",
            "country": country_name(sides.HOME_COUNTRY),
        },
        visit={
            "title": visit.get("title") or "",
            "incoming": incoming,
            "outgoing": bool(visit) and not incoming,
            "virtual": visit.get("mode") == "virtual",
            "dates": f.day_span(first, last),
            "from_to": f.from_to(first, last),
            "start": f.us_date(first),
            "end": f.us_date(last),
            "place": sides.partner_place(visit) if visit else "",
            "city": visit.get("city") or "",
            "country": country_name(visit.get("country")) if visit.get("country") else "",
            "venue": sides.venue(visit, city) if visit else "",
            "origin": sides.origin(visit, city) if visit else "",
            "stated_purpose": visit.get("request_purpose") or "",
            "lead": lead,
            "host": host,
            "lead_is_signatory": False,
        },
        partner={
            "name": partnership.get("partner_name") or visit.get("city") or "",
            "name_native": partnership.get("partner_name_native") or "",
            "country": country_name(country) if country else "",
            "kind": label(PARTNERSHIP_KINDS, kind).lower() if kind else "",
            "since": str(dates.year_of(str(established)) or "") if established else "",
            "tie": _TIES.get(kind, "partners") if partnership else "",
        },
    )
    return fields, lead_id


def _side_name(read: _Read, side: sides.Side) -> tuple[str, int | None]:
    """A side's lead as running text names them: their written form of address ('the
    Honorable Ana Belén Fernández, Mayor of València'), else their name with its
    honorific, else as the visit names them ('Mayor of València'). With their contact id."""
    if side.lead and side.lead.get("contact_id") in read.contacts:
        contact = read.contacts[side.lead["contact_id"]]
        return f.in_running_text(contact), int(contact["id"])
    if side.lead and side.lead.get("name"):
        return str(side.lead["name"]), None
    return side.named_lead, None


def _invitation(w: _Writing, chosen: Row | None) -> None:
    if chosen is None:
        chosen, named = _their_lead(w.read, _visit_day(w.read, w.result.day))
        if chosen is None:
            raise _lead_refusal(w.read, named, "invitation")
    w.result.letters.append(w.letter(person(w.read, chosen)))


def _visa(w: _Writing, chosen: Row | None) -> None:
    read, result = w.read, w.result
    visiting = sides.visiting_side(read.visit)
    members = [p for p in read.participants if (p.get("side") or sides.THEIRS) == visiting]
    if chosen is not None:
        members = [p for p in members if p.get("contact_id") == chosen["id"]]
        if not members:
            raise LetterRefused(
                f"{person_name(chosen)} is not in the visiting delegation of "
                f"{read.visit.get('title')!r}: a visa letter is for one of its members. Add "
                "them to the delegation first."
            )
    post = _consular_post(read)
    for member in members:
        contact = read.contacts.get(member.get("contact_id") or -1)
        if contact is None:
            result.left_out.append(
                f"{member.get('name') or 'A delegation member'}: not a contact, so desk has "
                "no name, title or passport to write (link the delegation member to a contact)"
            )
            continue
        delegate = {
            **person(read, contact),
            "role": label(PARTICIPANT_ROLES, member.get("role")),
            **_passport(contact),
        }
        signer = w.signer
        if signer.contact_id == contact["id"]:
            # Nobody vouches for themselves: the letter about the mayor is signed by the
            # director, and the other way round.
            other = w.other_signer()
            if other is None:
                result.left_out.append(
                    f"{person_name(contact)}: would sign their own visa letter, and desk knows "
                    "no one else to sign it (name the director in the city profile and under "
                    "Offices)"
                )
                continue
            signer = other
        letter = w.letter(post, signer=signer, delegate=delegate)
        letter.to = delegate["full_name"]
        result.letters.append(letter)
        if sides.incoming(read.visit):
            _visa_free(contact, result)
    if not result.letters:
        side = "their" if visiting == sides.THEIRS else "our"
        raise LetterRefused(
            f"There is no one to write a visa letter for: the delegation of "
            f"{read.visit.get('title')!r} lists no member on {side} side (the visiting side) "
            "linked to a contact. Add the delegates under Delegation."
        )


def _visa_free(contact: Row, result: Letters) -> None:
    """A delegate whose passport is of a Visa Waiver Program country usually needs no
    visa (an approved ESTA, up to 90 days): said before the letter goes out, so nobody
    sends an embassy a letter for a visa no one asked for."""
    code = str(contact.get("passport_country") or contact.get("nationality") or "").upper()
    if code not in capitals.visa_waiver():
        return
    result.notes.append(
        f"{person_name(contact)} holds a passport of {f.country_text(code)}, a Visa Waiver "
        "Program country: they may visit for business or tourism for up to 90 days with an "
        "approved ESTA and no visa, so this letter is needed only if they apply for one "
        f"(the Program's countries as the Department of State listed them in "
        f"{capitals.visa_waiver_as_of()}; check travel.state.gov)"
    )


# Fields a contact may carry for travel documents; read with .get, so a letter says them
# where they are recorded and leaves them out where they are not.
PASSPORT_FIELDS = (
    "passport_number",
    "passport_country",
    "passport_expiry",
    "date_of_birth",
    "nationality",
)


def _date_text(value: object) -> str:
    typed = str(value or "").strip()
    try:
        return dates.month_day_year(typed) if typed else ""
    except ValueError:
        return typed  # kept as typed when it is not a date desk reads


def _passport(contact: Mapping[str, Any]) -> Row:
    number = str(contact.get("passport_number") or "").strip()
    issuer = f.country_text(contact.get("passport_country"))
    expires = _date_text(contact.get("passport_expiry"))
    born = _date_text(contact.get("date_of_birth"))
    nationality = f.country_text(contact.get("nationality"))
    details = [
        {"label": "Date of birth", "value": born},
        {"label": "Nationality", "value": nationality},
        {"label": "Passport number", "value": number},
        {"label": "Passport issued by", "value": issuer},
        {"label": "Passport valid until", "value": expires},
    ]
    return {
        "passport_number": number,
        "passport_country": issuer,
        "passport_expiry": expires,
        "date_of_birth": born,
        "nationality": nationality,
        "has_passport": bool(number),
        "details": [d for d in details if d["value"]],
    }


def _consular_post(read: _Read) -> Row:
    """Where a visa letter is addressed: for a delegation coming here, the U.S. embassy or
    consulate in their country; for our mission abroad, their country's post that serves
    our city (desk files a post under the country it represents), else their embassy in
    Washington."""
    code = str(read.visit.get("country") or read.partnership.get("country") or "").upper()
    city = read.city
    if sides.incoming(read.visit):
        posts = fetch(
            read.db,
            "SELECT * FROM organisations WHERE kind = 'consulate' AND country = ? "
            "ORDER BY name NOT LIKE 'Embassy%', name",
            (sides.HOME_COUNTRY,),
        )
        name = country_name(code)
        there = [
            p
            for p in posts
            if code
            and (
                (name and name.casefold() in str(p.get("name") or "").casefold())
                or places.locate(p.get("city"), code) is not None
            )
        ]
        if there:
            post = there[0]
            place = ", ".join(x for x in (post.get("city"), name) if x)
            lines = ["Consular Section", post["name"], place]
        else:
            capital = capitals.capitals().get(code, "")
            lines = [
                "Consular Section",
                "Embassy of the United States of America",
                ", ".join(x for x in (capital, name) if x),
            ]
    else:
        posts = fetch(
            read.db,
            "SELECT * FROM organisations WHERE kind = 'consulate' AND country = ? "
            "ORDER BY city = ? COLLATE NOCASE DESC, name LIKE 'Embassy%', name",
            (code, city.get("name") or ""),
        )
        if posts:
            post = posts[0]
            place = post.get("city") or ""
            if place and place.casefold() == str(city.get("name") or "").casefold():
                place = sides.home_place(city)
            lines = ["Consular Section", post["name"], place]
        else:
            # No post on file: the office that serves the city, named by what it is, not
            # an embassy desk invents (Taiwan has none in Washington).
            lines = [
                "Consular Section",
                _REPRESENTATION.get(code, f"Embassy or consulate of {f.in_sentence(code)}"),
                f"serving {sides.home_place(city)}" if city.get("name") else "",
            ]
    return {
        "name": "Consular Officer",
        "name_native": "",
        "honorific": "",
        "full_name": "Consular Officer",
        "written_address": lines[1],
        "spoken_address": "",
        "salutation": "Dear Consular Officer:",
        "job_title": "",
        "organization": lines[1],
        "country": "",
        "address_lines": f.texts(lines),
    }


def _thanks(w: _Writing, chosen: Row | None) -> None:
    read, result = w.read, w.result
    # Our own people are never thanked for a meeting with us: our side of the delegation,
    # whoever signs, and anyone who has held one of our offices.
    ours = {p["contact_id"] for p in read.participants if p.get("side") == sides.OURS}
    ours |= {
        row[0]
        for row in read.db.execute(
            "SELECT t.contact_id FROM office_terms t JOIN offices o ON o.id = t.office_id "
            "WHERE o.side = 'ours'"
        ).fetchall()
    }
    if w.signer.contact_id is not None:
        ours.add(w.signer.contact_id)
    met: dict[int, list[dt.date]] = {}
    typed: dict[str, list[str]] = {}  # counterparts typed as text, with their items
    for item in read.itinerary:
        contact_id = item.get("counterpart_contact_id")
        day = dates.stored_date(str(item.get("starts_at") or "")[:10] or None)
        if contact_id and contact_id not in ours and contact_id in read.contacts:
            met.setdefault(contact_id, [])
            if day:
                met[contact_id].append(day)
        elif not contact_id and str(item.get("counterpart") or "").strip():
            typed.setdefault(str(item["counterpart"]).strip(), []).append(
                str(item.get("title") or "a program item")
            )
    for name, items in typed.items():
        where = items[0] if len(items) == 1 else f"{len(items)} program items"
        result.left_out.append(
            f"{name!r} ({where}): typed as text, not a contact, so desk has no one to address "
            "(link the counterpart to a contact)"
        )
    lead, named = _their_lead(read, _visit_day(read, result.day))
    if chosen is not None:
        people = [chosen]
    else:
        people = [read.contacts[c] for c in met]
        if lead is not None and lead["id"] not in met:
            people.append(lead)
    if not people:
        visit = read.visit.get("title") or "the visit"
        role = "principal" if sides.incoming(read.visit) else "host"
        lead_said = (
            f" its {role} is named {named!r}, which is no contact nor an office with a holder"
            if named
            else f" its delegation lists no {role} of theirs"
        )
        raise LetterRefused(
            f"There is no one to thank for {visit!r}: no item of its program names a "
            f"counterpart who is a contact, and{lead_said}. Link each meeting's counterpart "
            f"to a contact in the program, add their {role} to the delegation, or name who "
            "to thank with --to CONTACT."
        )
    for contact in people:
        result.letters.append(
            w.letter(
                person(read, contact),
                met_on=f.days_phrase(met.get(contact["id"], [])),
                led=lead is not None and lead["id"] == contact["id"],
            )
        )


def _national_day(read: _Read, on: dt.date | None, today: dt.date) -> f.NationalDay:
    partnership = read.partnership
    if not partnership:
        raise LetterRefused(
            "A national-day greeting goes to a partner's head, and "
            f"{read.visit.get('title')!r} belongs to no partnership: link the visit to its "
            "partnership, or name the partnership with --partnership."
        )
    if partnership.get("partner_level") == "network" or (
        partnership.get("kind") == "network_membership"
    ):
        raise LetterRefused(
            f"{partnership.get('partner_name')} is a network; a national-day greeting goes to "
            "a partner place."
        )
    code = partnership.get("country") or read.visit.get("country")
    if not code:
        raise LetterRefused(
            f"The partnership with {partnership.get('partner_name')} records no country, so "
            "desk cannot tell whose national day it is: fill in its country."
        )
    found = f.national_day(str(code), on, today)
    if found is None:
        raise LetterRefused(
            f"desk does not know the national day of {country_name(str(code))} (it is not "
            "fixed in the calendar, or not in desk's list): give its date with --date."
        )
    return found


def _head(read: _Read, day: dt.date) -> Row | None:
    """The partner's head on the day: the holder of the leading office of the partner's
    organization (a mayor before a governor, a president...), else of an office that is
    'of' the partner ('Mayor of Matsue')."""
    partnership = read.partnership
    offices: list[Row] = []
    if partnership.get("partner_organisation_id"):
        offices = fetch(
            read.db,
            "SELECT * FROM offices WHERE organisation_id = ? "
            "AND coalesce(side, 'theirs') = 'theirs' ORDER BY id",
            (partnership["partner_organisation_id"],),
        )
    name = str(partnership.get("partner_name") or "").strip()
    if not offices and name:
        pattern = "%of " + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        offices = fetch(
            read.db,
            "SELECT * FROM offices WHERE coalesce(side, 'theirs') = 'theirs' "
            "AND title LIKE ? ESCAPE '\\' ORDER BY id",
            (pattern,),
        )

    def rank(office: Row) -> int:
        title = str(office.get("title") or "").casefold()
        return next(
            (n for n, word in enumerate(_HEAD_WORDS) if title.startswith(word)), len(_HEAD_WORDS)
        )

    for office in sorted(offices, key=rank):
        holders = _holders(read.db, office["id"], day)
        if holders:
            return holders[0]
    return None


def _greeting(w: _Writing, chosen: Row | None, found: f.NationalDay) -> None:
    read, result = w.read, w.result
    head = chosen or _head(read, result.day)
    if head is None:
        partner = read.partnership.get("partner_name") or "the partner"
        raise LetterRefused(
            f"The national-day greeting goes to the head of {partner}, and desk knows no one "
            f"who holds {partner}'s leading office on {dates.month_day_year(result.day)}: add "
            "the office (e.g. its mayor's) and who holds it under Offices, or name who it "
            "goes to with --to CONTACT."
        )
    _contacts(read.db, {head["id"]}, read)
    national = {
        "occasion": found.occasion,
        "date": f.us_date(found.day),
        "day": dates.month_day(found.day),
        "year": str(found.day.year),
        "country": country_name(found.country),
    }
    result.letters.append(w.letter(person(read, read.contacts[head["id"]]), national_day=national))
