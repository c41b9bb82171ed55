"""Demo visits both ways: itineraries in local time, delegations, gifts, follow-ups and
the interactions between them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from desk.core.demo.base import HOME_TZ, BuilderBase, area_words, areas, head_of, sdg_codes
from desk.core.demo.details import (
    AVOID,
    AVOID_ANY,
    HOTELS,
    OBJECTIVES,
    OUR_HOTEL,
    RENEWAL,
    REVIVE,
    dress_for,
    run_of_show,
)
from desk.core.domain import dates

_THANKS = {
    "active": "Thank them for the warm welcome and for {years} years of partnership.",
    "friendship": "Thank them for the warm welcome and the friendship since {founded}.",
    "suspended": "Acknowledge the people of {partner} without reference to the suspended ties.",
    "dormant": "Say plainly that we want to bring the partnership back to life.",
    "lapsed": "Explain where the council stands on renewing the agreement.",
    "proposed": "Thank them for their interest in a formal partnership.",
    "ended": "Thank them for the years of cooperation that ended in {ended}.",
}
_TALKING_POINTS = [
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
_PURPOSES = {
    "active": "Advance the {partner} partnership's work plan for the coming year.",
    "friendship": "Deepen the friendship with {partner} toward concrete projects.",
    "suspended": "Keep people-to-people ties with {partner} alive while official ties rest.",
    "dormant": "Find out whether the partnership with {partner} can be revived.",
    "lapsed": "Prepare the council's decision on renewing the {partner} agreement.",
    "proposed": "Explore a formal partnership with {partner}.",
    "ended": "Close out the cooperation with {partner} on good terms.",
}
_ITEM_PURPOSE = {
    "meeting": "Agree on the year's joint projects with the leadership of {partner}.",
    "ceremony": "Mark the partnership in public, with the press present.",
}


def _day_plan(
    day: int, days: int, partner: str, head: str, outgoing: bool
) -> list[tuple[int, int, str, str]]:
    """(hour, minute, kind, title) for one day of a visit: a courtesy call to open, working
    sessions and site visits, a dinner on the first night and a farewell on the last."""
    meeting = (
        f"Courtesy call on the {head}"
        if outgoing
        else f"Courtesy call by the {partner} delegation on Mayor Okafor"
    )
    first = meeting if day == 0 else ("Working session: " + _SESSIONS[day % len(_SESSIONS)])
    plan = [(9, 0, "meeting", first), (12, 30, "meal", "Working lunch")]
    if day % 2 == 0:
        plan.append((15, 0, "site_visit", _SITES[day % len(_SITES)]))
    if day == 0:
        plan.append((19, 0, "meal", "Welcome dinner hosted by the Mayor"))
    elif day == days - 1:
        plan.append((18, 30, "ceremony", "Farewell reception and gift exchange"))
    return plan


OUR_MAYOR = "Mayor Grace Okafor"


def _their_seat_of_office(partner: dict[str, Any]) -> str:
    """Where their head receives guests: a city's city hall, a state's government house."""
    if partner.get("level") == "region":
        return f"{partner['name']} Government Palace"
    return f"{partner['name']} City Hall"


def _seat(partner: dict[str, Any]) -> str:
    if partner.get("level") != "region":
        return str(partner["name"])
    from desk.core.reference.places import find

    found = find(partner["name"], partner["country"], "region")
    return found.seat if found is not None and found.seat else str(partner["name"])


_HOTEL_TBC = "To be confirmed by their protocol office"
_HUBS = {"JP": "Tokyo", "CN": "Shanghai", "KR": "Seoul", "TW": "Taipei", "DE": "Frankfurt"}


def _travel(partner: dict[str, Any], start: dt.date, end: dt.date) -> str:
    hub = _HUBS.get(partner["country"], "San Francisco")
    leave = start - dt.timedelta(days=1)
    return (
        f"Out: Portland (PDX), {dates.long_date(leave)}, connecting in {hub} for "
        f"{partner['name']}.\nBack: {dates.long_date(end + dt.timedelta(days=1))}.\n"
        f"Ground: city car and driver arranged by the {partner['name']} protocol office."
    )


_SESSIONS = ["youth exchange", "port and trade", "climate plans", "tourism campaign"]
_SITES = [
    "Port terminal tour",
    "Innovation district",
    "Riverfront climate project",
    "University campus",
]


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
            goals = self._objectives(partner, outgoing, n)
            # Requests and decisions lie in the past, even for a visit months ahead.
            requested = min(start - dt.timedelta(days=75), self.today - dt.timedelta(days=20))
            decided = max(
                min(start - dt.timedelta(days=60), self.today - dt.timedelta(days=5)),
                requested + dt.timedelta(days=3),
            )
            their_head = head_of(partner)
            vid = self.add(
                "visit",
                title=title,
                direction="outgoing" if outgoing else "incoming",
                mode="virtual" if n % 10 == 9 else "in_person",
                status=status,
                partnership_id=partner["partnership"],
                country=partner["country"],
                # A region's visits happen in its seat (Guadalajara for Jalisco).
                city=_seat(partner),
                time_zone=tz,
                start_date=start.isoformat(),
                end_date=end.isoformat(),
                principal=OUR_MAYOR if outgoing else their_head,
                host=their_head if outgoing else OUR_MAYOR,
                requested_by=None if outgoing else f"Office of the {head_of(partner)}",
                requester_contact_id=None if outgoing else partner["director"],
                request_date=requested.isoformat(),
                request_purpose="Renew ties and explore cooperation in "
                + area_words(partner["areas"])
                + ".",
                decision="declined"
                if status == "declined"
                else ("pending" if status == "requested" else "accepted"),
                decision_date=None if status == "requested" else decided.isoformat(),
                purpose=_PURPOSES[partner["status"]].format(partner=partner["name"]),
                objectives="\n".join(f"{k}. {goal}" for k, goal in enumerate(goals, start=1)),
                avoid=AVOID.get(partner["status"]) or AVOID_ANY[n % len(AVOID_ANY)],
                travel=_travel(partner, start, end) if outgoing else None,
                lodging=(HOTELS.get(partner["country"], _HOTEL_TBC) if outgoing else OUR_HOTEL),
                advance_contact_id=partner["director"] if outgoing else self.our_protocol,
                priority_areas=areas(partner["areas"]),
                sdgs=sdg_codes(partner["areas"]),
                significant=int(n % 6 != 5),
                press_line=f"Port Meridian and {partner['name']} deepen a partnership that "
                "brings jobs, students and ideas to both cities.",
                # What a visit brought is written after one that took place.
                outcomes=(
                    f"{goals[0][:-1]}: agreed. {goals[1][:-1]}: under way."
                    if status == "completed"
                    else None
                ),
                trip_report=(
                    "Delegation met all objectives; see follow-ups."
                    if status == "completed"
                    else None
                ),
            )
            if status == "completed":
                self._outcomes(vid, partner, end.year, outgoing, virtual=n % 10 == 9)
            self._itinerary(vid, partner, start, days, tz, outgoing)
            self._delegation(vid, partner, outgoing)
            if status not in ("cancelled", "declined"):  # no gifts where nobody met
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

    def _outcomes(
        self, vid: int, partner: dict[str, Any], year: int, outgoing: bool, *, virtual: bool
    ) -> None:
        """What a completed visit brought, as a city would record it: some figures firm,
        some estimated, each with where it came from."""
        figures: list[tuple[str, dict[str, Any], str]] = [
            ("media_mentions", {"amount": self.rng.randrange(3, 40)}, "Press office clippings")
        ]
        if virtual:
            figures += [
                ("virtual_attendees", {"amount": self.rng.randrange(40, 400)}, "Webinar log"),
                ("views", {"amount": self.rng.randrange(200, 6000)}, "Video platform analytics"),
            ]
        elif not outgoing:
            figures.append(
                ("people_exchanged", {"amount": self.rng.randrange(6, 25)}, "Delegation list")
            )
        business = {"economic_development", "technology", "tourism"}
        if outgoing and business & set(partner["areas"]):
            millions = self.rng.randrange(2, 40)
            figures += [
                (
                    "investment",
                    {"value_minor": millions * 100_000_000, "currency": "USD"},
                    "Announcement by the investing company",
                ),
                ("jobs", {"amount": self.rng.randrange(20, 300)}, "Economic Development Office"),
            ]
        if "culture_education" in partner["areas"]:
            figures.append(
                (
                    "students",
                    {"amount": self.rng.randrange(8, 60)},
                    "School district exchange office",
                )
            )
        for k, (measure, value, source) in enumerate(figures):
            self.add(
                "outcome",
                measure=measure,
                year=year,
                estimate=int(k % 3 == 2 or measure == "jobs"),
                source=source,
                visit_id=vid,
                partnership_id=partner["partnership"],
                **value,
            )

    def _itinerary(
        self, vid: int, partner: dict[str, Any], start: dt.date, days: int, tz: str, outgoing: bool
    ) -> None:
        host, guest = (
            (head_of(partner), "Mayor Okafor")
            if outgoing
            else ("Mayor Okafor", f"the {partner['name']} delegation")
        )
        for d in range(days):
            for hour, minute, kind, title in _day_plan(
                d, days, partner["name"], head_of(partner), outgoing
            ):
                begins = dt.datetime.combine(start + dt.timedelta(days=d), dt.time(hour, minute))
                counterpart = partner["mayor"] if d == 0 and kind == "meeting" else None
                # The courtesy call and the ceremony have a plan; working sessions do not.
                planned = bool(counterpart) or kind == "ceremony"
                self.add(
                    "itinerary_item",
                    visit_id=vid,
                    kind=kind,
                    title=title,
                    starts_at=begins.strftime("%Y-%m-%dT%H:%M"),
                    ends_at=(begins + dt.timedelta(minutes=90)).strftime("%Y-%m-%dT%H:%M"),
                    time_zone=tz,
                    place=_their_seat_of_office(partner) if outgoing else "Port Meridian City Hall",
                    counterpart=(
                        f"{partner['name']} staff"
                        if kind == "meeting" and not counterpart
                        else None
                    ),
                    counterpart_contact_id=counterpart,
                    dress_code=dress_for(kind, title),
                    purpose=(
                        _ITEM_PURPOSE[kind].format(partner=partner["name"]) if planned else None
                    ),
                    our_attendees="Mayor Okafor, Director Carter" if planned else None,
                    their_attendees=(
                        f"{head_of(partner).split(' of ')[0]} and international relations "
                        f"director of {partner['name']}"
                        if planned
                        else None
                    ),
                    run_of_show=run_of_show(hour, minute, host, guest) if counterpart else None,
                    talking_points="\n".join(self._talking_points(partner))
                    if counterpart
                    else None,
                    likely_asks=self.pick(_ASKS) if counterpart else None,
                    sensitivities=self.pick(_SENSITIVITIES) if counterpart else None,
                )

    def _talking_points(self, partner: dict[str, Any]) -> list[str]:
        founded = partner.get("year") or self.today.year
        first = _THANKS.get(partner["status"], _THANKS["active"]).format(
            years=self.today.year - founded,
            founded=founded,
            partner=partner["name"],
            ended=founded + 10,
        )
        return [first, *self.rng.sample(_TALKING_POINTS[1:], 2)]

    def _objectives(self, partner: dict[str, Any], outgoing: bool, n: int) -> list[str]:
        pool = [goal for area in partner["areas"] for goal in OBJECTIVES.get(area, [])]
        start = n % max(len(pool), 1)
        goals = (pool[start:] + pool[:start])[:3]
        if partner["status"] in ("dormant", "lapsed", "suspended"):
            goals = [REVIVE, *goals[:2]]
        elif n % 3 == 0:
            goals = [*goals[:2], RENEWAL]
        if not outgoing:
            goals.append("Give the delegation a program their press can report at home.")
        return goals

    def _delegation(self, vid: int, partner: dict[str, Any], outgoing: bool) -> None:
        ours = (
            [(self.our_mayor, "principal"), (self.our_director, "staff")]
            if outgoing
            else [(self.our_mayor, "host"), (self.our_director, "staff")]
        )
        theirs = [
            (partner["mayor"], "principal" if not outgoing else "host"),
            (partner["director"], "staff"),
        ]
        # Delegates from the partner's own city hall and chamber, not a namesake country.
        extra = [
            c
            for org in partner["orgs"]
            for c in self.people_by_org.get(org, [])
            if c not in (partner["mayor"], partner["director"], partner["former_mayor"])
        ]
        for contact_id in self.rng.sample(extra, min(2, len(extra))):
            theirs.append((contact_id, "delegate"))
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
            giver=OUR_MAYOR,
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
