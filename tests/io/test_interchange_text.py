"""Notes typed on Windows, with control bytes, or with vCard and iCalendar's own
separators come back through desk's exports as text: whole, on one kind of line break,
and readable by other parsers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import vobject
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from desk.core.store import records
from desk.core.store.db import Database, open_database
from desk.io.calendar import export_ics
from desk.io.vcard import export_vcards, read_vcards

NOTE = "First line\r\nsecond; with, separators\rthird\x1b[31m red\\end"
READ_BACK = "First line\nsecond; with, separators\nthird\u241b[31m red\\end"


def test_a_vcard_note_round_trips(db: Database, tmp_path: Path) -> None:
    records.create(db, "contact", {"family_name": "Sato", "notes": NOTE})
    path = tmp_path / "cards.vcf"
    export_vcards(db, path)
    raw = path.read_bytes()
    assert b"\x1b" not in raw
    assert all(line.endswith(b"\r") or not line for line in raw.split(b"\n")[:-1])
    assert b"\r" not in raw.replace(b"\r\n", b"")  # no bare CR anywhere
    (_row, values), *_ = read_vcards(path)
    assert values["notes"] == READ_BACK


def test_an_ics_description_reads_back_in_another_parser(db: Database, tmp_path: Path) -> None:
    visit = records.create(
        db,
        "visit",
        {"title": "Mission\x07 to Kobe", "direction": "outgoing", "start_date": "2027-05-11"},
    ).id
    records.create(
        db,
        "itinerary_item",
        {
            "visit_id": visit,
            "title": "Courtesy call",
            "starts_at": "2027-05-11T10:00",
            "time_zone": "Asia/Tokyo",
            "notes": NOTE,
        },
    )
    path = tmp_path / "desk.ics"
    export_ics(db, path, since=None)
    raw = path.read_bytes()
    assert b"\x1b" not in raw and b"\x07" not in raw
    calendar = Calendar.from_ical(raw)
    texts = {
        str(e.get("summary")): str(e.get("description") or "") for e in calendar.walk("VEVENT")
    }
    assert texts["Courtesy call (Mission\u2407 to Kobe)"] == READ_BACK


def _as_carried(typed: str) -> str:
    r"""A text as vCard and iCalendar carry it, written out here rather than taken from
    desk. Their text values have one line break, the escaped "\n" (RFC 6350 3.4, RFC 5545
    3.3.11), so Windows and old Mac line ends come back as "\n". Their grammars admit no
    C0 control but tab, nor DEL: those come back as their Unicode pictures (U+2400 +
    code, U+2421), the visible form desk gives them in every output. C1 controls have no
    pictures, and U+0085 among them ends a line for some readers (Python's splitlines):
    desk sends each as U+FFFD."""
    out: list[str] = []
    for ch in typed.replace("\r\n", "\n").replace("\r", "\n"):
        code = ord(ch)
        if ch in "\n\t":
            out.append(ch)
        elif code < 0x20:
            out.append(chr(0x2400 + code))
        elif code == 0x7F:
            out.append("\u2421")
        elif 0x80 <= code < 0xA0:
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def _one_line(typed: str) -> str:
    """A one-line field (a name, a title) as typed into desk: its ends trimmed, and where
    it was typed over several lines, each run of whitespace made one space."""
    text = typed.strip()
    return " ".join(text.split()) if "\n" in text or "\r" in text else text


# Any text a person could type or paste: every script, separators, controls, line ends
# (NUL is refused when stored, with the field named: tested with the bad values).
_TYPED = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"),
        st.sampled_from(list(",;:\\\r\n\t\x1b\x07\u202e\u200f")),
    ),
    max_size=300,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(family=_TYPED.filter(lambda t: t.strip()), notes=_TYPED)
# Every rule of _as_carried and _one_line, whatever the random draw holds.
@example(family=" Sato\r\n  Taro\x1b ", notes="a\r\nb\rc\n\td\x07\x7f\x85; e, f\\")
def test_any_typed_text_comes_back_through_desk_and_vobject(
    tmp_path_factory: pytest.TempPathFactory, family: str, notes: str
) -> None:
    db = open_database(":memory:")
    try:
        records.create(db, "contact", {"family_name": family, "notes": notes})
        path = tmp_path_factory.mktemp("cards") / "cards.vcf"
        export_vcards(db, path)
    finally:
        db.close()
    # Compared with what was typed, not with what desk stored or exported.
    expected_notes, expected_family = _as_carried(notes), _as_carried(_one_line(family))
    (_row, values), *_ = read_vcards(path)
    assert (values.get("notes") or "") == expected_notes
    assert values["family_name"] == expected_family
    card = vobject.readOne(path.read_text(encoding="utf-8"))
    read_notes = card.contents["note"][0].value if "note" in card.contents else ""
    assert read_notes == expected_notes
    assert card.n.value.family == expected_family


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_TYPED.filter(lambda t: t.strip()), notes=_TYPED)
@example(title=" Call\r\n  on\x1b ", notes="a\r\nb\rc\n\td\x07\x7f\x85; e, f\\")
def test_any_typed_text_comes_back_through_icalendar_and_vobject(
    tmp_path_factory: pytest.TempPathFactory, title: str, notes: str
) -> None:
    db = open_database(":memory:")
    try:
        visit = records.create(
            db, "visit", {"title": "Mission", "direction": "outgoing", "start_date": "2027-05-11"}
        ).id
        records.create(
            db,
            "itinerary_item",
            {
                "visit_id": visit,
                "title": title,
                "starts_at": "2027-05-11T10:00",
                "time_zone": "Asia/Tokyo",
                "notes": notes,
            },
        )
        path = tmp_path_factory.mktemp("ics") / "desk.ics"
        export_ics(db, path, since=None)
    finally:
        db.close()
    raw = path.read_bytes()
    # Compared with what was typed, not with what desk stored or exported.
    expected = _as_carried(notes)
    # The visit is an all-day event of its own; the item is the one that starts at 10.
    ours = [
        str(e.get("description") or "")
        for e in Calendar.from_ical(raw).walk("VEVENT")
        if "T" in e["dtstart"].to_ical().decode()
    ]
    assert ours == [expected]
    theirs = vobject.readOne(raw.decode("utf-8"))
    event = next(e for e in theirs.vevent_list if isinstance(e.dtstart.value, dt.datetime))
    described = event.contents["description"][0].value if "description" in event.contents else ""
    assert described == expected
    assert _as_carried(_one_line(title)) in event.summary.value
