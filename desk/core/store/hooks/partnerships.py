"""A partnership's status walks its lifecycle by dated, reasoned changes, each a row of
its history; and a list of partners names networks and places its own ways."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from desk.core.domain.dates import first_day, first_day_sql, on_date
from desk.core.domain.kinds import KINDS, Kind
from desk.core.domain.names import network_named, normalise, place_name
from desk.core.domain.validate import clean_values
from desk.core.domain.vocab import PARTNERSHIP_STATUSES
from desk.core.errors import NotFound, ValidationError
from desk.core.store import index
from desk.core.store.db import Database
from desk.core.store.hooks.base import KindHooks, LookAlike, Writes
from desk.core.store.operations import Changes, now, operation, quoted
from desk.core.store.rows import get, insert, new_uid, resolve_named, set_fields

# The reason on the status row every new partnership starts with: not news in a timeline.
INITIAL_STATUS_REASON = "Recorded in desk"

# A partnership's standing as a network membership's.
_MEMBERSHIP_STATUS = {
    "active": "active",
    "friendship": "active",
    "dormant": "lapsed",
    "suspended": "lapsed",
    "lapsed": "lapsed",
    "ended": "ended",
}


class PartnershipHooks(KindHooks):
    def before_create(self, db: Database, values: Mapping[str, Any]) -> Mapping[str, Any]:
        # Its first status row is written with it, so it has one from the start.
        if values.get("status") is None:
            return {**values, "status": "proposed"}
        return values

    def after_create(self, db: Database, record_id: int, row: Mapping[str, Any]) -> None:
        _insert_status_change(
            db,
            record_id,
            row["status"],
            row.get("established_date") or dt.date.today().isoformat(),
            INITIAL_STATUS_REASON,
        )

    def import_row(self, raw: Mapping[str, Any]) -> tuple[dict[str, Any], frozenset[str]]:
        """A row that names an international network (ICLEI, C40...) is a network
        membership, and its country, a network's having none, is left aside."""
        row = dict(raw)
        if network_named(row.get("partner_name")) is None:
            return row, frozenset()
        row["kind"] = "network_membership"
        if row.get("partner_level") in (None, ""):
            row["partner_level"] = "network"
        return row, frozenset({"country"})

    def match_key(self, spec: Kind, values: Mapping[str, Any]) -> tuple[str, ...]:
        network = network_named(values.get("partner_name"))
        if network:
            # "ICLEI" in the file is the "ICLEI – Local Governments for Sustainability"
            # in desk: a network is one, whatever it is called and wherever it is based.
            return (f"network: {network}", "")
        name, *rest = super().match_key(spec, values)
        return (place_name(name), *rest)

    def look_alike(self, db: Database) -> LookAlike:
        """A new partner whose name is the start of one desk has in the same country, or
        the other way round ('Freiburg' and 'Freiburg im Breisgau'): most likely the same
        place, which the person should see before it is added a second time."""
        by_first: dict[str, list[tuple[list[str], str | None, str]]] = {}
        for name, country in db.execute("SELECT partner_name, country FROM partnerships"):
            words = place_name(normalise(name or "")).split()
            if words:
                by_first.setdefault(words[0], []).append((words, country, name))

        def find(values: Mapping[str, Any]) -> str | None:
            words = place_name(normalise(str(values.get("partner_name") or ""))).split()
            for other, country, name in by_first.get(words[0] if words else "", []):
                same_country = (
                    not country or not values.get("country") or country == values.get("country")
                )
                shorter = min(len(words), len(other))
                if same_country and words != other and words[:shorter] == other[:shorter]:
                    return name
            return None

        return find

    def named(self, db: Database, spec: Kind, name: str) -> int:
        """A partnership as a sheet names it ('Matsue', 'ICLEI'): the one desk has by
        that name, any case, or by any name of the same network."""
        try:
            return resolve_named(db, spec.name, name.strip())
        except NotFound:
            network = network_named(name)
            if network:
                for pid, partner in db.execute(
                    "SELECT id, partner_name FROM partnerships WHERE kind = 'network_membership'"
                ):
                    if network_named(partner) == network:
                        return int(pid)
            raise

    def after_import(
        self, db: Database, rows: list[dict[str, Any]], ids: list[int], write: Writes
    ) -> None:
        """A network taken in as a partnership is a membership too: the record the
        network pages, the annual report and the survey's networks count. One only
        proposed is not a membership yet."""
        # A membership desk already keeps (entered on the network pages, with no
        # partnership) is the same membership: linked to the new partnership, not repeated.
        kept: dict[str, tuple[int, int | None]] = {}
        for mid, name, linked in db.execute(
            "SELECT id, network_name, partnership_id FROM network_memberships ORDER BY id"
        ):
            kept.setdefault(network_named(name) or normalise(name), (mid, linked))
        memberships = []
        for values, pid in zip(rows, ids, strict=True):
            if values.get("kind") != "network_membership":
                continue
            key = network_named(values["partner_name"]) or normalise(values["partner_name"])
            if key in kept:
                mid, linked = kept[key]
                if linked is None:
                    write.update(db, "network", mid, {"partnership_id": pid}, verb="Link")
                continue
            if values.get("status") in _MEMBERSHIP_STATUS:
                memberships.append(
                    {
                        "network_name": values["partner_name"],
                        "partnership_id": pid,
                        "status": _MEMBERSHIP_STATUS[values["status"]],
                        "joined_date": values.get("established_date"),
                        "priority_areas": values.get("priority_areas"),
                    }
                )
        if memberships:
            write.create_many(db, "network", memberships)


class StatusChangeHooks(KindHooks):
    def create(self, db: Database, values: Mapping[str, Any]) -> Changes:
        # One way to change a status: a new status row also moves the partnership.
        changed = change_status(
            db,
            values.get("partnership_id") or "",
            str(values.get("status") or ""),
            values.get("changed_on") or "",
            str(values.get("reason") or ""),
        )
        made = [rid for kind, rid in changed.created if kind == "status_change"]
        return changed.about(made[-1] if made else changed.id)

    def after_update(
        self, db: Database, row: Mapping[str, Any], changed: Mapping[str, tuple[Any, Any]]
    ) -> None:
        if "changed_on" in changed:
            status_from_history(db, int(row["partnership_id"]))

    def after_delete(self, db: Database, row: Mapping[str, Any], *, on_its_own: bool) -> None:
        # A status change removed on its own leaves the partnership at the status its
        # history now ends with; inside a larger operation (an import taken back) the
        # partnership goes too, or that operation sets it.
        if on_its_own and row.get("partnership_id") is not None:
            status_from_history(db, int(row["partnership_id"]))


# A change is in force from the first day its date can mean: '2026-12' from December 1.
_IN_FORCE = f"{first_day_sql('changed_on')} <= ?"


def status_from_history(db: Database, partnership_id: int, today: dt.date | None = None) -> None:
    """The current status is the latest change dated today or earlier; one dated later is
    planned and takes effect on its day. After a change is removed or re-dated (or a
    planned one comes due) the partnership takes the status its history says for today."""
    day = (today or dt.date.today()).isoformat()
    latest = (
        db.execute(
            "SELECT status FROM partnership_status_changes "
            f"WHERE partnership_id = ? AND {_IN_FORCE} ORDER BY changed_on DESC, id DESC LIMIT 1",
            (partnership_id, day),
        ).fetchone()
        or db.execute(
            # Every change still ahead (a partnership entered before its founding day): it
            # stands at the status it was entered with until then.
            "SELECT status FROM partnership_status_changes WHERE partnership_id = ? "
            "ORDER BY changed_on, id LIMIT 1",
            (partnership_id,),
        ).fetchone()
    )
    if latest is None:
        raise ValidationError(
            "A partnership keeps at least one status change: the one it was entered with. "
            "Change the status instead ('desk status' or the Change status button).",
            field="status",
        )
    old = get(db, "partnership", partnership_id)
    if old["status"] != latest[0]:
        set_fields(db, KINDS["partnership"], old, {"status": latest[0]}, now())
        index.reindex(db, "partnership", {**old, "status": latest[0]})


def planned_changes(
    db: Database, partnership_id: int, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """A partnership's status changes dated after today, soonest first: planned, not yet
    its status."""
    day = (today or dt.date.today()).isoformat()
    rows = db.execute(
        "SELECT id, changed_on, status, reason FROM partnership_status_changes "
        f"WHERE partnership_id = ? AND NOT ({_IN_FORCE}) ORDER BY changed_on, id",
        (partnership_id, day),
    )
    return [dict(zip(("id", "changed_on", "status", "reason"), row, strict=True)) for row in rows]


def planned_text(change: Mapping[str, Any]) -> str:
    """'Ended on March 1, 2027 (planned)': a planned change as a page or a command says
    it."""
    status = PARTNERSHIP_STATUSES.get(change["status"], change["status"])
    return f"{status} {on_date(change['changed_on'])} (planned)"


def statuses_due(db: Database, today: dt.date | None = None) -> list[int]:
    """The partnerships whose status is not the one their history says for today (a
    planned change whose day has come): a read, and nothing more."""
    day = (today or dt.date.today()).isoformat()
    # Only those that differ come back: a row handed to Python costs more than SQLite's
    # reading of it, the more so while Today is read on another thread at start-up.
    # (A stored date on or before `day` as text is one whose first day is: '2026' and
    # '2026-12' sort before every day of theirs, so the index on the day serves.)
    return [
        pid
        for (pid,) in db.execute(
            "SELECT id FROM (SELECT p.id, p.status, (SELECT s.status "
            "FROM partnership_status_changes s WHERE s.partnership_id = p.id "
            "AND s.changed_on <= ? ORDER BY s.changed_on DESC, s.id DESC LIMIT 1) AS in_force "
            "FROM partnerships p LIMIT -1 OFFSET 0) "
            "WHERE in_force IS NOT NULL AND in_force != status",
            (day,),
        )
    ]


def statuses_come_due(db: Database, today: dt.date | None = None) -> Changes | None:
    """Planned status changes whose day has come take effect: each partnership whose
    status is not the one its history says for today takes that one, as one operation.
    None when none has come due (nothing is written). Called when a file is opened for
    writing, so a change planned for the first of the month is the status from the first
    of the month."""
    due = statuses_due(db, today)
    if not due:
        return None
    with operation(db, "Planned status changes take effect") as op:
        for pid in due:
            status_from_history(db, pid, today)
        if len(due) == 1:
            name = quoted(get(db, "partnership", due[0])["partner_name"])
            op.label = f"Planned status change of {name} takes effect"
    return op


def _predate_first_status(db: Database, partnership_id: int, day: str) -> None:
    """The row desk wrote when the partnership was entered says only 'recorded'; a real
    change dated earlier (its history typed in later) moves that row back to its day, so
    the latest change by date stays the current status."""
    spec = KINDS["status_change"]
    rows = db.execute(
        "SELECT id FROM partnership_status_changes WHERE partnership_id = ? AND reason = ? "
        "AND changed_on > ?",
        (partnership_id, INITIAL_STATUS_REASON, day),
    ).fetchall()
    for (row_id,) in rows:
        set_fields(db, spec, get(db, "status_change", row_id), {"changed_on": day}, now())


def _insert_status_change(
    db: Database, partnership_id: int, status: str, on: str, reason: str | None
) -> None:
    stamp = now()
    row = {
        "uid": new_uid(),
        "created_at": stamp,
        "updated_at": stamp,
        "partnership_id": partnership_id,
        "status": status,
        "changed_on": on,
        "reason": reason,
    }
    insert(db, KINDS["status_change"], row)


def change_status(
    db: Database, partnership_id: int | str, status: str, on: str | dt.date, reason: str
) -> Changes:
    """Move a partnership along its lifecycle, dated and with a reason. A change dated
    after today is planned: recorded now, the status from its day."""
    spec = KINDS["status_change"]
    cleaned = clean_values(
        spec,
        {"partnership_id": 0, "status": status, "changed_on": on, "reason": reason},
        partial=False,
    )
    day = cleaned["changed_on"]
    today = dt.date.today()
    with operation(db, "Change status") as op:
        try:
            old = get(db, "partnership", partnership_id)
        except NotFound:
            raise ValidationError(
                f"'Partnership' (partnership_id): there is no partnership {partnership_id}.",
                field="partnership_id",
            ) from None
        if not cleaned["reason"]:
            raise ValidationError(
                "'Reason' (reason) is required: say why the status changes.", field="reason"
            )
        current = db.execute(
            "SELECT max(changed_on) FROM partnership_status_changes "
            f"WHERE partnership_id = ? AND coalesce(reason, '') != ? AND {_IN_FORCE}",
            (old["id"], INITIAL_STATUS_REASON, today.isoformat()),
        ).fetchone()[0]
        _predate_first_status(db, old["id"], day)
        if current and day < current:
            # The current status is the latest change dated today or earlier: an earlier
            # date would record a change that is not the partnership's status.
            raise ValidationError(
                f"'Date' (changed_on) is before the last status change, {on_date(current)}; "
                "date the change on or after it.",
                field="changed_on",
            )
        before = db.execute(
            "SELECT status FROM partnership_status_changes WHERE partnership_id = ? "
            "AND changed_on <= ? ORDER BY changed_on DESC, id DESC LIMIT 1",
            (old["id"], day),
        ).fetchone()
        standing = before[0] if before else old["status"]
        planned = first_day(day) > today
        if standing == cleaned["status"]:
            said = PARTNERSHIP_STATUSES.get(cleaned["status"], cleaned["status"])
            raise ValidationError(
                f"The partnership will already be '{said}' {on_date(day)}."
                if planned
                else f"The partnership is already '{said}'.",
                field="status",
            )
        _insert_status_change(db, old["id"], cleaned["status"], day, cleaned["reason"])
        status_from_history(db, old["id"], today)
        label = PARTNERSHIP_STATUSES.get(cleaned["status"], cleaned["status"])
        op.label = (
            f"Plan status of {quoted(old['partner_name'])} to be {label} {on_date(day)}"
            if planned
            else f"Change status of {quoted(old['partner_name'])} to {label}"
        )
    return op.about(old["id"])
