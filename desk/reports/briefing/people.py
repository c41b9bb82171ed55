"""People in the packet: how a name is printed, the delegation, and the counterparts'
profiles with their photos."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.platypus import CondPageBreak, Flowable, Image, Spacer, Table, TableStyle

from desk.core.domain.vocab import PARTICIPANT_ROLES, SIDES, label
from desk.core.reference import countries
from desk.core.store.queries import person_name
from desk.reports.briefing.data import Briefing
from desk.reports.writers.pdf import DeskDocument, data_table, fact_table, para, paras
from desk.reports.writers.text import table_date

if TYPE_CHECKING:
    from desk.reports.briefing.options import BriefingOptions


def job_line(contact: dict[str, Any] | None, b: Briefing) -> str:
    if not contact:
        return ""
    org = b.organisations.get(contact.get("organisation_id") or -1, "")
    return ", ".join(p for p in (contact.get("job_title"), org) if p)


def languages(contact: dict[str, Any] | None) -> str:
    if not contact:
        return ""
    return ", ".join(countries.language_name(c) for c in contact.get("languages_list", []))


def person_line(contact: dict[str, Any], b: Briefing) -> str:
    name = person_name(contact)
    native = contact.get("name_native")
    return f"{name} ({native})" if native and native != name else name


def named(b: Briefing, contact_id: int | None, text: str | None) -> str:
    """A linked contact's name, else the name typed on the record."""
    contact = b.contacts.get(contact_id or -1)
    return person_line(contact, b) if contact else (text or "")


def delegation(doc: DeskDocument, b: Briefing, o: BriefingOptions) -> list[Flowable]:
    if not b.participants:
        return []
    heads = ["Name", "Native script", "Role", "Side", "Title and organization", "Languages"]
    if o.include_personal:
        heads.append("Diet")
    # Each side by its city's name: "Our city" reads wrong in the partner's copy.
    partner = b.partnership or {}
    side_names = {
        "ours": b.city.get("name") or label(SIDES, "ours"),
        "theirs": partner.get("partner_name") or b.visit.get("city") or label(SIDES, "theirs"),
    }
    rows = []
    for p in b.participants:
        contact = b.contacts.get(p.get("contact_id") or -1)
        name = person_name(contact) if contact else (p.get("name") or "")
        if contact and contact.get("honorific"):
            name = f"{contact['honorific']} {name}"
        cells = [
            name,
            (contact or {}).get("name_native") or "",
            label(PARTICIPANT_ROLES, p["role"]),
            side_names.get(p.get("side") or "theirs", ""),
            job_line(contact, b),
            languages(contact),
        ]
        if o.include_personal:
            cells.append((contact or {}).get("dietary") or "")
        rows.append(cells)
    widths = [1.25, 0.95, 0.85, 0.7, 1.4, 0.9]
    if o.include_personal:
        widths.append(0.85)
    else:  # the space of the diet column goes to titles
        widths[4] += 0.85
    return data_table(doc.styles, heads, rows, widths)


PHOTO_WIDTH = 1.0 * inch


def _photo(images: list[bytes]) -> Flowable | None:
    """The first readable photo at a fixed width, its proportions kept; a file that is not
    a readable image is passed over rather than stopping the packet."""
    for data in images:
        small = _small_copy(data)
        if small is None:
            continue
        width, height = ImageReader(io.BytesIO(small)).getSize()
        shown = min(PHOTO_WIDTH * height / width, 1.4 * inch)
        return Image(io.BytesIO(small), width=shown * width / height, height=shown)
    return None


def _small_copy(data: bytes) -> bytes | None:
    """A print-sized JPEG, upright as the camera meant: a 12-megapixel portrait would
    otherwise go into every packet whole."""
    from PIL import Image as Picture
    from PIL import ImageOps

    try:
        with Picture.open(io.BytesIO(data)) as picture:
            upright = ImageOps.exif_transpose(picture).convert("RGB")
    except Exception:  # any decoder error: not a picture we can print
        return None
    if not upright.width or not upright.height:
        return None
    upright.thumbnail((360, 500))
    out = io.BytesIO()
    upright.save(out, format="JPEG", quality=85)
    return out.getvalue()


def counterparts(doc: DeskDocument, b: Briefing, o: BriefingOptions) -> list[Flowable]:
    """Whom the principal meets: photo, name in both scripts, office, how to address
    them, languages, when we last met, and their biography."""
    s = doc.styles
    out: list[Flowable] = []
    for contact in b.counterparts:
        facts = [
            ("Title and organization", job_line(contact, b)),
            ("Written form of address", contact.get("written_address") or ""),
            ("Spoken form of address", contact.get("spoken_address") or ""),
            ("Languages", languages(contact)),
            ("Last met on", table_date(b.last_met.get(contact["id"]))),
        ]
        if o.include_personal:
            facts.append(("Dietary needs", contact.get("dietary") or ""))
        name = person_name(contact)
        if contact.get("honorific"):
            name = f"{contact['honorific']} {name}"
        heading: list[Flowable] = [para(name, s["H2"], bold=True)]
        native = contact.get("name_native") or ""
        native = "" if native == person_name(contact) else native
        if native:
            heading.append(para(native, s["body"]))
        table = fact_table(s, facts, 1.6 * inch, doc.width)
        photo = _photo(b.photos.get(contact["id"], []))
        if not table and not contact.get("bio") and not photo:
            continue  # a bare name says nothing the delegation list does not
        out.append(CondPageBreak(1.8 * inch))
        if photo:
            # The photo beside the name, in a row that cannot split: a name of thousands
            # of characters is cut there and printed whole in the delegation list.
            heading = [para(_short(name, 300), s["H2"], bold=True)]
            if native:
                heading.append(para(_short(native, 300), s["body"]))
            block = Table(
                [[photo, heading]],
                colWidths=[PHOTO_WIDTH + 0.2 * inch, doc.width - PHOTO_WIDTH - 0.2 * inch],
                hAlign="LEFT",
            )
            block.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ]
                )
            )
            out += [block, Spacer(1, 4)]
        else:
            out += heading
        out += table
        if contact.get("bio"):
            out += [Spacer(1, 4), *paras(contact["bio"], s["body"])]
        out.append(Spacer(1, 10))
    return out


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
