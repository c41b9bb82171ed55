"""Demo visits both ways: itineraries in local time, delegations, gifts, follow-ups and
the interactions between them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from desk.core.demo.base import HOME_TZ, BuilderBase, areas

_TALKING_POINTS = [
    "Thank them for the warm welcome and for {years} years of partnership.",
    "Propose a youth exchange for next summer, hosted by our high schools.",
    "Follow up on the port-to-port logistics pilot discussed last spring.",
    "Invite their delegation to our climate week in September.",
    "Raise the direct-flight feasibility study and ask who leads on their side.",
    "Acknowledge their recent election and new council priorities.",
]
_ASKS = [
    "Support for a trade office in our downtown innovation district.",
    "Letters of support for their university's research grant.",
    "A reciprocal visit by our mayor before the end of the fiscal year.",
    "Help placing interns with local employers.",
]
_SENSITIVITIES = [
    "Avoid scheduling on their national holiday; confirm seating order with protocol.",
    "Gifts must stay under the city's $100 limit; no alcohol.",
    "Recent press coverage of the delayed sister-park project; stay positive.",
    "Their mayor prefers to speak through the interpreter in formal sessions.",
]
_GIFTS_GIVEN = [
    "Framed print of the Port Meridian waterfront",
    "Hand-turned myrtlewood bowl",
    "City key in presentation box",
    "Book of Oregon photography",
    "Local coffee and chocolate basket",
]
_GIFTS_RECEIVED = [
    "Lacquerware tray",
    "Silk scarf",
    "Porcelain vase",
    "Embroidered table runner",
    "Commemorative medal",
    "Framed calligraphy",
    "Ceramic tea set",
]
_DRESS = ["business", "business", "business_casual", "formal", "casual"]


class VisitsMixin(BuilderBase):
    def _visits(self) -> None:
        wanted = round(30 * self.factor)
        for n in range(wanted):
            partner = self.partners[(n * 7) % len(self.partners)]
            outgoing = n % 2 == 0
            offset = -700 + (n * 53) % 900 if n % 4 else 10 + (n * 11) % 120
            start = self.today + dt.timedelta(days=offset)
            days = 2 + n % 4
            end = start + dt.timedelta(days=days - 1)
            past = end < self.today
            status = "completed" if past else self.pick(["planned", "confirmed", "accepted"])
            if n % 9 == 4 and not past:
                status = "requested"
            if n % 13 == 6:
                status = "cancelled" if past else "declined"
            tz = partner["tz"] if outgoing else HOME_TZ
            title = (
                f"Mission to {partner['name']}"
                if outgoing
                else f"Delegation from {partner['name']}"
            )
            vid = self.add(
                "visit",
                title=title,
                direction="outgoing" if outgoing else "incoming",
                mode="virtual" if n % 10 == 9 else "in_person",
                status=status,
                partnership_id=partner["partnership"],
                country=partner["country"],
                city=partner["name"],
                time_zone=tz,
                start_date=start.isoformat(),
                end_date=end.isoformat(),
                principal="Mayor Grace Okafor" if outgoing else f"Mayor of {partner['name']}",
                requested_by=None if outgoing else f"Office of the Mayor of {partner['name']}",
                requester_contact_id=None if outgoing else partner["director"],
                request_date=(start - dt.timedelta(days=75)).isoformat(),
                request_purpose="Renew ties and explore cooperation in "
                + ", ".join(a.replace("_", " ") for a in partner["areas"])
                + ".",
                decision="declined"
                if status == "declined"
                else ("pending" if status == "requested" else "accepted"),
                decision_date=None
                if status == "requested"
                else (start - dt.timedelta(days=60)).isoformat(),
                purpose=f"Advance the {partner['name']} partnership's work plan.",
                objectives="1. Agree next year's exchange program.\n2. Meet new city "
                "leadership.\n3. Open doors for two local companies.",
                priority_areas=areas(partner["areas"]),
                significant=int(n % 6 != 5),
                press_line=f"Port Meridian and {partner['name']} deepen a partnership that "
                "brings jobs, students and ideas to both cities.",
                outcomes=(
                    "Agreed a youth exchange and a joint climate webinar series." if past else None
                ),
                trip_report=("Delegation met all objectives; see follow-ups." if past else None),
            )
            self._itinerary(vid, partner, start, days, tz, outgoing)
            self._delegation(vid, partner, outgoing)
            self._gifts(vid, partner, start, outgoing, past)
            for k in range(1 + n % 3):
                due = end + dt.timedelta(days=14 * (k + 1))
                self.add(
                    "follow_up",
                    title=self.pick(
                        [
                            "Send thank-you letters",
                            "Share photos with partner's press office",
                            "Draft MOU on youth exchange",
                            "Introduce trade contacts",
                            "File gift disclosure report",
                        ]
                    ),
                    due_date=due.isoformat(),
                    done_on=due.isoformat() if due < self.today - dt.timedelta(days=30) else None,
                    visit_id=vid,
                    partnership_id=partner["partnership"],
                    contact_id=self.our_director,
                )

    def _itinerary(
        self, vid: int, partner: dict[str, Any], start: dt.date, days: int, tz: str, outgoing: bool
    ) -> None:
        slots = [(9, 0, "meeting"), (12, 30, "meal"), (15, 0, "site_visit"), (19, 0, "meal")]
        for d in range(days):
            for hour, minute, kind in slots[: 2 + (d % 3)]:
                begins = dt.datetime.combine(start + dt.timedelta(days=d), dt.time(hour, minute))
                is_meeting = kind == "meeting"
                self.add(
                    "itinerary_item",
                    visit_id=vid,
                    kind=kind,
                    title={
                        "meeting": f"Courtesy call on the Mayor of {partner['name']}"
                        if outgoing
                        else f"Meeting with {partner['name']} delegation",
                        "meal": "Official lunch" if hour < 15 else "Welcome dinner",
                        "site_visit": self.pick(
                            [
                                "Port terminal tour",
                                "Innovation district",
                                "Riverfront climate project",
                                "University campus",
                            ]
                        ),
                    }[kind],
                    starts_at=begins.strftime("%Y-%m-%dT%H:%M"),
                    ends_at=(begins + dt.timedelta(minutes=90)).strftime("%Y-%m-%dT%H:%M"),
                    time_zone=tz,
                    place=f"{partner['name']} City Hall" if outgoing else "Port Meridian City Hall",
                    counterpart=None,
                    counterpart_contact_id=partner["mayor"] if is_meeting else None,
                    dress_code=self.pick(_DRESS),
                    talking_points="\n".join(
                        t.format(years=self.today.year - (partner["year"] or self.today.year))
                        for t in self.rng.sample(_TALKING_POINTS, 3)
                    )
                    if is_meeting
                    else None,
                    likely_asks=self.pick(_ASKS) if is_meeting else None,
                    sensitivities=self.pick(_SENSITIVITIES) if is_meeting else None,
                )

    def _delegation(self, vid: int, partner: dict[str, Any], outgoing: bool) -> None:
        ours = (
            [(self.our_mayor, "principal"), (self.our_director, "staff")]
            if outgoing
            else [(self.our_director, "host")]
        )
        theirs = [
            (partner["mayor"], "principal" if not outgoing else "host"),
            (partner["director"], "staff"),
        ]
        extra = self.contacts_by_culture[partner["culture"]]
        for _ in range(2):
            theirs.append((self.pick(extra), "delegate"))
        for contact_id, role in ours:
            self.add("participant", visit_id=vid, contact_id=contact_id, side="ours", role=role)
        for contact_id, role in dict(theirs).items():
            self.add("participant", visit_id=vid, contact_id=contact_id, side="theirs", role=role)
        self.add(
            "participant",
            visit_id=vid,
            name="Interpreter (agency booking)",
            side="ours" if outgoing else "theirs",
            role="interpreter",
        )

    def _gifts(
        self, vid: int, partner: dict[str, Any], start: dt.date, outgoing: bool, past: bool
    ) -> None:
        self.add(
            "gift",
            visit_id=vid,
            direction="given",
            description=self.pick(_GIFTS_GIVEN),
            value_minor=self.rng.choice([4500, 8000, 9500]),
            currency="USD",
            giver="Mayor Grace Okafor",
            giver_contact_id=self.our_mayor,
            recipient_contact_id=partner["mayor"],
            exchanged_on=start.isoformat() if past else None,
            disposition="delivered" if past else "planned",
        )
        if past:
            self.add(
                "gift",
                visit_id=vid,
                direction="received",
                description=self.pick(_GIFTS_RECEIVED),
                value_minor=self.rng.choice([6000, 12000, 30000]),
                currency="USD",
                giver_contact_id=partner["mayor"],
                recipient="City of Port Meridian",
                recipient_contact_id=self.our_mayor,
                exchanged_on=start.isoformat(),
                disposition=self.pick(["retained_by_city", "on_display", "reported"]),
            )

    def _interactions(self) -> None:
        wanted = round(60 * self.factor)
        for n in range(wanted):
            partner = self.partners[(n * 5) % len(self.partners)]
            iid = self.add(
                "interaction",
                occurred_on=self.day(-((n * 17) % 1400) - 1),
                kind=self.pick(["meeting", "call", "video", "email", "event"]),
                subject=self.pick(
                    [
                        "Anniversary planning",
                        "Student exchange logistics",
                        "Trade mission follow-up",
                        "Courtesy call",
                        "Climate webinar debrief",
                    ]
                )
                + f" ({partner['name']})",
                partnership_id=partner["partnership"],
                notes="Cordial; they asked for an update on next year's program.",
            )
            for contact_id in {
                partner["director"],
                self.our_director,
                self.pick(self.contacts_by_culture[partner["culture"]]),
            }:
                self.add("interaction_participant", interaction_id=iid, contact_id=contact_id)

    # -- writing -------------------------------------------------------------------------
