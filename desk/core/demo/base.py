"""The shared part of the demo builder: pools, ids, dates and the bulk write."""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from desk.core.domain.kinds import KINDS
from desk.core.domain.vocab import PRIORITY_AREAS, SDGS
from desk.core.paths import resource_path
from desk.core.progress import Progress
from desk.core.store import index
from desk.core.store.db import Database
from desk.core.store.rows import sort_keys

BASE_CONTACTS = 250
HOME_TZ = "America/Los_Angeles"


def areas(codes: list[str]) -> str:
    """Priority areas stored as desk stores them: in the vocabulary's order."""
    return json.dumps([code for code in PRIORITY_AREAS if code in codes])


# The Sustainable Development Goals a priority area most often advances.
_GOALS_OF_AREA = {
    "economic_development": ("8", "9"),
    "culture_education": ("4",),
    "climate_sustainability": ("7", "11", "13"),
    "public_health": ("3",),
    "public_safety": ("16",),
    "governance": ("16", "17"),
    "migration": ("10",),
    "technology": ("9",),
    "tourism": ("8", "12"),
}


def sdg_codes(codes: list[str]) -> str:
    """The goals of these priority areas, as desk stores them (in number order)."""
    wanted = {goal for code in codes for goal in _GOALS_OF_AREA.get(code, ())} | {"17"}
    return json.dumps([goal for goal in SDGS if goal in wanted])


@dataclass
class DemoSummary:
    counts: dict[str, int] = field(default_factory=dict)


class BuilderBase:
    # Our own city's records, set as the build goes (the mixins read one another's).
    our_city_org: int
    our_mayor: int
    our_director: int
    our_protocol: int
    our_mayor_office: int
    our_terms: list[tuple[str, str, int]]  # (start, end, contact id), newest first

    def __init__(self, db: Database, scale: int, today: dt.date) -> None:
        self.db = db
        self.today = today
        self.rng = random.Random(20260101 + scale)
        self.scale = scale
        self.factor = max(1.0, scale / BASE_CONTACTS)
        self.stamp = f"{today.isoformat()}T09:00:00+00:00"
        self.rows: dict[str, list[dict[str, Any]]] = {k.table: [] for k in KINDS.values()}
        self.people = json.loads(resource_path("demo", "people.json").read_text("utf-8"))
        self.place = json.loads(resource_path("demo", "city.json").read_text("utf-8"))
        self.org_by_culture: dict[str, list[int]] = {}
        self.contacts_by_culture: dict[str, list[int]] = {}
        self.people_by_org: dict[int, list[int]] = {}
        self.partners: list[dict[str, Any]] = []
        self.blobs: dict[str, bytes] = {}

    # -- helpers ---------------------------------------------------------------------
    def add(self, record_kind: str, /, **values: Any) -> int:
        spec = KINDS[record_kind]
        rows = self.rows[spec.table]
        record_id = len(rows) + 1
        rows.append(
            {
                "id": record_id,
                "uid": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
                "created_at": self.stamp,
                "updated_at": self.stamp,
                **values,
                # Kept by the write path for every record: the demo writes around it.
                **sort_keys(spec, values),
            }
        )
        return record_id

    def day(self, offset: int) -> str:
        return (self.today + dt.timedelta(days=offset)).isoformat()

    def pick(self, items: list[Any]) -> Any:
        return items[self.rng.randrange(len(items))]

    def person(self, culture: str) -> dict[str, Any]:
        pool = self.people["cultures"][culture]
        family = self.pick(pool["family"])
        given_native, given_roman, gender = self.pick(pool["given"])
        family_native = family[2] if gender == "f" and len(family) > 2 else family[0]
        family_roman = (
            family[3]
            if gender == "f" and len(family) > 3
            else (family[1] if len(family) > 1 and family[1] else family[0])
        )
        courtesy = "Mr." if gender == "m" else "Ms."
        if len(family) == 1:  # Latin-script names: the romanised form is the name itself
            return {
                "given_name": given_native,
                "family_name": family_native,
                "name_native": None,
                "name_order": pool["order"],
                "honorific": courtesy,
            }
        joiner = pool["join"]
        native = (
            family_native + joiner + given_native
            if pool["order"] == "family_first"
            else given_native + joiner + family_native
        )
        return {
            "honorific": courtesy,
            "given_name": given_roman or given_native,
            "family_name": family_roman,
            "name_native": native,
            "name_order": pool["order"],
        }

    # -- the records -------------------------------------------------------------------
    def write(self, progress: Progress | None) -> DemoSummary:
        summary = DemoSummary()
        tables = [t for t, rows in self.rows.items() if rows]
        with self.db.utils.atomic():
            self.db.execute("PRAGMA defer_foreign_keys = ON")
            self.db.conn.executemany(
                "INSERT INTO blobs(sha256, size, content) VALUES (?, ?, ?)",
                [(sha, len(data), data) for sha, data in self.blobs.items()],
            )
            for done, table in enumerate(tables):
                rows = self.rows[table]
                if progress:
                    progress(done, len(tables) + 1, f"Writing {table}")
                columns = sorted({c for row in rows for c in row})
                self.db.conn.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' * len(columns))})",
                    ([row.get(c) for c in columns] for row in rows),
                )
                summary.counts[table] = len(rows)
            if progress:
                progress(len(tables), len(tables) + 1, "Indexing for search")
            for kind_name in index.searched_kinds():
                table = KINDS[kind_name].table
                index.index_rows(self.db, kind_name, self.rows[table])
        if progress:
            progress(len(tables) + 1, len(tables) + 1, "Done")
        return summary


def head_title(partner: dict[str, Any]) -> str:
    """What the partner's head is called: a city's Mayor, a state's Governor, and the
    President of anything else (a university)."""
    level = partner.get("level", "city")
    return {"city": "Mayor", "region": "Governor"}.get(level, "President")


def head_of(partner: dict[str, Any]) -> str:
    """Who leads the partner, by office: 'Governor of Jalisco', 'Mayor of Matsue'."""
    return f"{head_title(partner)} of {partner['name']}"


def area_words(codes: list[str]) -> str:
    """'culture and education, tourism and technology': priority areas in a sentence."""
    words = [PRIORITY_AREAS.get(c, c).lower().replace(" & ", " and ") for c in codes]
    if not words:
        return ""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
