"""A visit's travel and money: each delegate's legs (how and when they arrive and leave,
who meets them, where they stay) and what the visit costs, who pays and at what rate."""

from __future__ import annotations

from desk.core.domain import vocab as v
from desk.core.domain.kinds.shared import notes
from desk.core.domain.kinds.spec import Field, Importing, Kind, OneOf

TRAVEL_LEG = Kind(
    "travel_leg",
    "travel_legs",
    "Travel leg",
    "Travel",
    (
        Field("visit_id", "Visit", "ref", ref="visit", required=True),
        Field(
            "participant_id",
            "Traveler",
            "ref",
            ref="participant",
            help="the delegation member; empty for the whole delegation",
        ),
        Field(
            "direction",
            "Arrival or departure",
            "enum",
            vocab=v.LEG_DIRECTIONS,
            default="arrival",
            aliases=("direction", "arrival departure", "leg"),
        ),
        Field("mode", "By", "enum", vocab=v.TRAVEL_MODES, default="air"),
        Field("carrier", "Carrier", search="body", aliases=("airline", "carrier")),
        Field(
            "number",
            "Flight or train",
            search="title",
            aliases=("flight", "flight number", "train", "number"),
        ),
        Field(
            "from_place", "From", search="body", section="The journey", aliases=("from", "origin")
        ),
        Field("to_place", "To", search="body", aliases=("to", "destination")),
        Field(
            "departs_at",
            "Departs (local time)",
            "datetime",
            zone_field="departs_zone",
            aliases=("departs", "departure"),
        ),
        Field("departs_zone", "Departure time zone", "time_zone"),
        Field("arrives_at", "Arrives (local time)", "datetime", aliases=("arrives", "arrival")),
        Field("time_zone", "Arrival time zone", "time_zone"),
        Field(
            "met_by",
            "Met by",
            search="body",
            section="Meeting and lodging",
            aliases=("met by", "greeter"),
        ),
        Field("met_by_contact_id", "Met by (contact)", "ref", ref="contact", keeps_name="met_by"),
        Field("transport", "Ground transport", search="body", aliases=("car", "transport")),
        Field("hotel", "Hotel", search="body", aliases=("hotel",)),
        Field("room", "Room", search="body", aliases=("room",)),
        notes(),
    ),
    title_sql=(
        "trim(coalesce(carrier || ' ', '') || coalesce(number, '') || "
        "coalesce(' to ' || to_place, ''))"
    ),
    parent="visit_id",
    aliases=("travel", "flight", "flights", "leg", "legs"),
    searched=11,
    list_columns=(
        "visit_id",
        "participant_id",
        "direction",
        "number",
        "from_place",
        "to_place",
        "departs_at",
        "arrives_at",
    ),
    default_sort="arrives_at",
    # The service too: a connection is a second arrival of the same traveler (Tokyo to
    # Seattle, then Seattle to Portland), not the first one again.
    imports=Importing(match=("visit_id", "participant_id", "direction", "number")),
)

COST = Kind(
    "cost",
    "costs",
    "Cost",
    "Costs",
    (
        Field("visit_id", "Visit", "ref", ref="visit", required=True),
        Field(
            "category",
            "Category",
            "enum",
            vocab=v.COST_CATEGORIES,
            default="other",
            aliases=("category", "type"),
        ),
        Field("description", "What", search="title", aliases=("description", "item", "what")),
        Field(
            "amount_minor",
            "Amount",
            "money",
            currency_field="currency",
            required=True,
            aliases=("amount", "cost", "sum"),
        ),
        Field("currency", "Currency", "currency", default="USD"),
        Field(
            "paid_by",
            "Paid by",
            "enum",
            vocab=v.PAYERS,
            default="city",
            aliases=("payer", "who paid"),
        ),
        Field("sponsor", "Sponsor", search="body", aliases=("sponsor",)),
        Field(
            "status",
            "Estimate or actual",
            "enum",
            vocab=v.COST_STATUSES,
            default="estimate",
            aliases=("status",),
        ),
        Field("incurred_on", "Date", "date", aliases=("date", "incurred")),
        Field(
            "usd_rate",
            "U.S. dollars per unit",
            "rate",
            help="the rate the office recorded, e.g. 0.0067 for one yen",
            aliases=("rate", "exchange rate", "usd rate"),
        ),
        Field("rate_on", "Rate as of", "date", aliases=("rate date",)),
        notes(),
    ),
    title_sql="coalesce(description, category)",
    parent="visit_id",
    aliases=("costs", "expense", "expenses", "budget line"),
    searched=12,
    list_columns=(
        "incurred_on",
        "visit_id",
        "category",
        "description",
        "amount_minor",
        "currency",
        "paid_by",
        "status",
    ),
    default_sort="incurred_on",
    # An office's ledger line: the same visit, what it was for and its day.
    imports=Importing(match=("visit_id", "category", "description", "incurred_on")),
    needs_one_of=(
        OneOf(("description", "category"), "A cost needs what it was for.", at="description"),
    ),
)
