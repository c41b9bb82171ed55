"""Every controlled vocabulary in one place: codes stored in the database, labels shown.

The engagement methods and priority areas follow the national survey of city
international activities, so the survey workbook can code records without a mapping.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final


def _vocab(*pairs: tuple[str, str]) -> MappingProxyType[str, str]:
    return MappingProxyType(dict(pairs))


ENGAGEMENT_METHODS: Final = _vocab(
    ("sister_city", "Sister city"),
    ("sector_partnership", "Sector partnership / MOU"),
    ("city_network", "City network"),
    ("delegation_welcomed", "Foreign delegation welcomed"),
    ("mission_sent", "Mission sent abroad"),
    ("other", "Other"),
)

PRIORITY_AREAS: Final = _vocab(
    ("economic_development", "Economic development"),
    ("culture_education", "Culture & education"),
    ("climate_sustainability", "Climate & sustainability"),
    ("public_health", "Public health"),
    ("public_safety", "Public safety"),
    ("governance", "Governance"),
    ("migration", "Migration"),
    ("technology", "Technology"),
    ("tourism", "Tourism"),
    ("other", "Other"),
)

PARTNERSHIP_KINDS: Final = _vocab(
    ("sister_city", "Sister city"),
    ("friendship_city", "Friendship city"),
    ("sector_partnership", "Sector partnership"),
    ("network_membership", "Network membership"),
    ("other", "Other"),
)

# The lifecycle: proposed -> friendship -> active -> dormant / suspended -> lapsed / ended.
PARTNERSHIP_STATUSES: Final = _vocab(
    ("proposed", "Proposed"),
    ("friendship", "Friendship"),
    ("active", "Active"),
    ("dormant", "Dormant"),
    ("suspended", "Suspended"),
    ("lapsed", "Lapsed"),
    ("ended", "Ended"),
)

PARTNER_LEVELS: Final = _vocab(
    ("city", "City"),
    ("region", "Region / province / state"),
    ("country", "Country"),
    ("network", "Network"),
    ("other", "Other"),
)

AGREEMENT_KINDS: Final = _vocab(
    ("sister_city_agreement", "Sister-city agreement"),
    ("friendship_agreement", "Friendship agreement"),
    ("mou", "Memorandum of understanding"),
    ("letter_of_intent", "Letter of intent"),
    ("cooperation_agreement", "Cooperation agreement"),
    ("other", "Other"),
)

AGREEMENT_STATUSES: Final = _vocab(
    ("draft", "Draft"),
    ("negotiating", "Negotiating"),
    ("signed", "Signed"),
    ("in_force", "In force"),
    ("expired", "Expired"),
    ("terminated", "Terminated"),
)

SIDES: Final = _vocab(("ours", "Our city"), ("theirs", "Partner"))

ORGANISATION_KINDS: Final = _vocab(
    ("city_government", "City government"),
    ("regional_government", "Regional government"),
    ("national_government", "National government"),
    ("consulate", "Consulate / embassy"),
    ("business", "Business"),
    ("chamber", "Chamber of commerce"),
    ("university", "University / school"),
    ("ngo", "Non-profit"),
    ("network", "City network"),
    ("sister_city_committee", "Sister-city committee"),
    ("other", "Other"),
)

VISIT_DIRECTIONS: Final = _vocab(
    ("incoming", "Incoming delegation"),
    ("outgoing", "Outgoing mission"),
)

VISIT_MODES: Final = _vocab(
    ("in_person", "In person"),
    ("virtual", "Virtual"),
    ("hybrid", "Hybrid"),
)

VISIT_STATUSES: Final = _vocab(
    ("requested", "Requested"),
    ("under_review", "Under review"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("planned", "Planned"),
    ("confirmed", "Confirmed"),
    ("completed", "Completed"),
    ("cancelled", "Canceled"),  # U.S. spelling; the stored code keeps its double l
)

VISIT_DECISIONS: Final = _vocab(
    ("pending", "Pending"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("referred", "Referred elsewhere"),
)

ITINERARY_KINDS: Final = _vocab(
    ("meeting", "Meeting"),
    ("meal", "Meal"),
    ("ceremony", "Ceremony / signing"),
    ("site_visit", "Site visit"),
    ("press", "Press"),
    ("transit", "Travel"),
    ("free", "Free time"),
    ("other", "Other"),
)

DRESS_CODES: Final = _vocab(
    ("business", "Business"),
    ("business_casual", "Business casual"),
    ("formal", "Formal / black tie"),
    ("national", "National dress welcome"),
    ("casual", "Casual"),
)

PARTICIPANT_ROLES: Final = _vocab(
    ("principal", "Principal"),
    ("delegate", "Delegate"),
    ("staff", "Staff"),
    ("interpreter", "Interpreter"),
    ("security", "Security"),
    ("press", "Press"),
    ("host", "Host"),
    ("business", "Business representative"),
)

GIFT_DIRECTIONS: Final = _vocab(("given", "Given"), ("received", "Received"))

# A delegate's journey, leg by leg.
LEG_DIRECTIONS: Final = _vocab(
    ("arrival", "Arrival"),
    ("departure", "Departure"),
    ("transfer", "Between cities"),
)

TRAVEL_MODES: Final = _vocab(
    ("air", "Flight"),
    ("rail", "Train"),
    ("road", "Car or coach"),
    ("sea", "Ship"),
)

COST_CATEGORIES: Final = _vocab(
    ("airfare", "Airfare"),
    ("lodging", "Lodging"),
    ("meals", "Meals and hospitality"),
    ("ground", "Ground transport"),
    ("gifts", "Gifts"),
    ("venue", "Venues and events"),
    ("interpretation", "Interpretation and translation"),
    ("per_diem", "Per diem"),
    ("other", "Other"),
)

PAYERS: Final = _vocab(
    ("city", "The city"),
    ("partner", "The partner"),
    ("sponsor", "A sponsor"),
    ("participant", "The participant"),
)

COST_STATUSES: Final = _vocab(("estimate", "Estimate"), ("actual", "Actual"))

PLAYBOOK_ANCHORS: Final = _vocab(
    ("start", "The visit's first day"), ("end", "The visit's last day")
)

GIFT_DISPOSITIONS: Final = _vocab(
    ("planned", "Planned"),
    ("retained_by_city", "Retained by the city"),
    ("on_display", "On display"),
    ("archived", "Archived"),
    ("reported", "Reported under gift rules"),
    ("purchased_by_recipient", "Purchased by recipient"),
    ("returned", "Returned"),
    ("delivered", "Delivered"),
)

INTERACTION_KINDS: Final = _vocab(
    ("meeting", "Meeting"),
    ("call", "Call"),
    ("video", "Video call"),
    ("email", "Email / letter"),
    ("event", "Event"),
    ("other", "Other"),
)

NETWORK_STATUSES: Final = _vocab(
    ("active", "Active"),
    ("lapsed", "Lapsed"),
    ("ended", "Ended"),
)

# The ways to reach a contact beyond the main email and phones, as address books keep them.
CONTACT_CHANNELS: Final = _vocab(
    ("email", "Email"),
    ("phone", "Phone"),
    ("address", "Address"),
    ("website", "Website"),
    ("other", "Other"),
)

# What an engagement achieved, as figures a council or a transition team can add up.
OUTCOME_MEASURES: Final = _vocab(
    ("jobs", "Jobs announced"),
    ("investment", "Investment committed"),
    ("trade_deals", "Trade deals and export contracts"),
    ("exports", "Exports"),
    ("students", "Students exchanged"),
    ("people_exchanged", "People exchanged"),
    ("participants", "Participants"),
    ("virtual_attendees", "Virtual attendees"),
    ("views", "Online views"),
    ("media_mentions", "Media mentions"),
)
# Measures told in money (an amount with its currency); the others are counts.
MONEY_MEASURES: Final = frozenset({"investment", "exports"})

# The United Nations Sustainable Development Goals, by number.
SDGS: Final = _vocab(
    ("1", "1 No poverty"),
    ("2", "2 Zero hunger"),
    ("3", "3 Good health and well-being"),
    ("4", "4 Quality education"),
    ("5", "5 Gender equality"),
    ("6", "6 Clean water and sanitation"),
    ("7", "7 Affordable and clean energy"),
    ("8", "8 Decent work and economic growth"),
    ("9", "9 Industry, innovation and infrastructure"),
    ("10", "10 Reduced inequalities"),
    ("11", "11 Sustainable cities and communities"),
    ("12", "12 Responsible consumption and production"),
    ("13", "13 Climate action"),
    ("14", "14 Life below water"),
    ("15", "15 Life on land"),
    ("16", "16 Peace, justice and strong institutions"),
    ("17", "17 Partnerships for the goals"),
)

NAME_ORDERS: Final = _vocab(
    ("given_first", "Given name first"),
    ("family_first", "Family name first"),
)


def label(vocab: MappingProxyType[str, str], code: str | None) -> str:
    if code is None:
        return ""
    return vocab.get(code, code)


# Words offices write for the codes above, as real cities' published lists say them
# (compared normalized: lower case, punctuation as spaces).
PARTNERSHIP_KIND_WORDS: Final = MappingProxyType(
    {
        "sister": "sister_city",
        "sister city": "sister_city",
        "sister cities": "sister_city",
        "twin": "sister_city",
        "twin city": "sister_city",
        "friendship": "friendship_city",
        "friendship city": "friendship_city",
        "friendly city": "friendship_city",
        "sector": "sector_partnership",
        "mou": "sector_partnership",
        "memorandum": "sector_partnership",
        "sister port": "sector_partnership",
        "network": "network_membership",
        "twin town": "sister_city",
        "twinning": "sister_city",
        "sister state": "sister_city",
        "sister province": "sister_city",
        "sister prefecture": "sister_city",
        "sister county": "sister_city",
        "sister region": "sister_city",
        "partner city": "friendship_city",
        "partnership city": "friendship_city",
        "cooperation city": "friendship_city",
        "trade agreement": "sector_partnership",
        "economic mou": "sector_partnership",
        "economic partnership": "sector_partnership",
        "trade partnership": "sector_partnership",
        "cooperation agreement": "sector_partnership",
        "sector mou": "sector_partnership",
        "memorandum of understanding": "sector_partnership",
        "network membership": "network_membership",
        "city network": "network_membership",
        "member": "network_membership",
    }
)

PARTNERSHIP_STATUS_WORDS: Final = MappingProxyType(
    {
        "inactive": "dormant",
        "current": "active",
        "terminated": "ended",
        "expired": "lapsed",
        "pending": "proposed",
        "in progress": "proposed",
        "under discussion": "proposed",
        "exploratory": "proposed",
        "on hold": "suspended",
        "paused": "suspended",
        "former": "ended",
        "discontinued": "ended",
        "closed": "ended",
        "historic": "ended",
        "in force": "active",
    }
)

VISIT_DIRECTION_WORDS: Final = MappingProxyType(
    {
        "in": "incoming",
        "inbound": "incoming",
        "delegation": "incoming",
        "out": "outgoing",
        "outbound": "outgoing",
        "mission": "outgoing",
        "trade mission": "outgoing",
    }
)

AGREEMENT_KIND_WORDS: Final = MappingProxyType(
    {
        "memorandum of understanding": "mou",
        "loi": "letter_of_intent",
        "sister city": "sister_city_agreement",
    }
)
