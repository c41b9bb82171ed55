"""What each record kind holds: its table, fields, labels and links.

One description drives validation, the command line, the JSON dump, the search index
and the window's editors, so a field is declared once.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from desk.core.domain import vocab as v
from desk.core.errors import DeskError


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    # text, longtext, date, datetime, int, bool, enum, enum_list, country, time_zone,
    # ref, money, currency, email, languages, coordinates
    type: str = "text"
    required: bool = False
    vocab: Mapping[str, str] | None = None
    ref: str | None = None  # kind name, for type "ref"
    default: object = None
    minimum: int | None = None
    maximum: int | None = None
    currency_field: str | None = None  # for type "money"
    help: str = ""
    # For type "date": may be known only to its year or month ("1961", "June 1961"), as
    # foundings, signings and terms of office often are in an office's old papers.
    partial: bool = False


@dataclass(frozen=True)
class Kind:
    name: str
    table: str
    label: str
    plural: str
    fields: tuple[Field, ...]
    # SQL expression (over the table's columns) naming one record in lists and links.
    title_sql: str
    parent: str | None = None  # the field linking a child record to its owner
    searchable: bool = False
    list_columns: tuple[str, ...] = ()
    default_sort: str = "id"
    field_map: Mapping[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "field_map", MappingProxyType({f.name: f for f in self.fields}))

    def count(self, n: int) -> str:
        """'1 gift', '3 gifts', '2 itinerary items' (a tab says 'Itinerary', a count
        needs the noun)."""
        if n == 1:
            return f"1 {self.label.lower()}"
        plural = self.plural if self.plural.endswith("s") else self.label + "s"
        return f"{n:,} {plural.lower()}"


def _us_date_sql(column: str) -> str:
    """SQL showing a stored date the U.S. short way, as dates.short_date does: 4/8/2025,
    6/1961 or 1961. For titles, which are SQL so lists and links can sort by them."""
    month = f"ltrim(substr({column}, 6, 2), '0')"
    return (
        f"CASE length({column}) "
        f"WHEN 10 THEN {month} || '/' || ltrim(substr({column}, 9, 2), '0') || '/' || "
        f"substr({column}, 1, 4) "
        f"WHEN 7 THEN {month} || '/' || substr({column}, 1, 4) ELSE {column} END"
    )


def _span_sql(start: str, end: str) -> str:
    """'5/1/2021 to 4/30/2025', 'from 2021', 'until 4/30/2025'."""
    return (
        f"CASE WHEN {start} IS NULL AND {end} IS NULL THEN '' "
        f"WHEN {end} IS NULL THEN 'from ' || {_us_date_sql(start)} "
        f"WHEN {start} IS NULL THEN 'until ' || {_us_date_sql(end)} "
        f"ELSE {_us_date_sql(start)} || ' to ' || {_us_date_sql(end)} END"
    )


def _notes() -> Field:
    return Field("notes", "Notes", "longtext")


def _priorities() -> Field:
    return Field("priority_areas", "Priority areas", "enum_list", vocab=v.PRIORITY_AREAS)


def _sdgs() -> Field:
    return Field(
        "sdgs",
        "Sustainable Development Goals",
        "enum_list",
        vocab=v.SDGS,
        help="the UN goals this advances",
    )


# "Jobs announced: 120", "Investment committed" (the amount is shown beside it).
_OUTCOME_TITLE = (
    "CASE measure "
    + " ".join(f"WHEN '{code}' THEN '{text}'" for code, text in v.OUTCOME_MEASURES.items())
    + " ELSE measure END || coalesce(': ' || amount, '')"
)


_KINDS: tuple[Kind, ...] = (
    Kind(
        "city",
        "city_profile",
        "City profile",
        "City profile",
        (
            Field("name", "City", required=True),
            Field("state", "State"),
            Field("office_name", "Office"),
            Field("time_zone", "Home time zone", "time_zone", required=True),
            Field(
                "location",
                "Map position",
                "coordinates",
                help="latitude, longitude of the city hall (45.515, -122.679): only where "
                "the map cannot find the city by its name",
            ),
            Field("population", "Population", "int", minimum=0),
            Field("staff_international", "Staff with international duties", "int", minimum=0),
            Field("has_director", "Dedicated director or manager", "bool", default=False),
            Field("director_title", "Director's title"),
            Field("budget_minor", "Annual budget", "money", currency_field="budget_currency"),
            Field("budget_currency", "Budget currency", "currency", default="USD"),
            Field("budget_year", "Budget year", "int", minimum=1900, maximum=2200),
            Field("respondent_name", "Survey respondent"),
            Field("respondent_title", "Respondent's title"),
            Field("respondent_email", "Respondent's email", "email"),
            Field("respondent_phone", "Respondent's phone"),
            Field(
                "emergency_contacts",
                "Local emergency numbers",
                "longtext",
                help="for delegations visiting us: police, hospital, duty officer",
            ),
            Field(
                "travel_emergency",
                "Emergency numbers for our travelers",
                "longtext",
                help="for our missions abroad, e.g. the State Department's line",
            ),
            _notes(),
        ),
        title_sql="name",
    ),
    Kind(
        "organisation",
        "organisations",
        "Organization",
        "Organizations",
        (
            Field("name", "Name", required=True),
            Field("name_native", "Name in native script"),
            Field("kind", "Kind", "enum", vocab=v.ORGANISATION_KINDS, default="other"),
            Field("country", "Country", "country"),
            Field("city", "City"),
            Field("website", "Website"),
            Field("email", "Email", "email"),
            Field("phone", "Phone"),
            _notes(),
        ),
        title_sql="name",
        searchable=True,
        list_columns=("name", "kind", "country", "city", "name_native"),
        default_sort="name",
    ),
    Kind(
        "contact",
        "contacts",
        "Contact",
        "Contacts",
        (
            Field("honorific", "Honorific", help="e.g. H.E., Dr., Mayor"),
            Field("given_name", "Given name (romanized)"),
            Field("family_name", "Family name (romanized)", required=True),
            Field("name_native", "Name in native script"),
            Field("name_order", "Name order", "enum", vocab=v.NAME_ORDERS, default="given_first"),
            Field("written_address", "Written form of address", help="as on a letter"),
            Field("spoken_address", "Spoken form of address", help="as said in a meeting"),
            Field("job_title", "Job title"),
            Field("organisation_id", "Organization", "ref", ref="organisation"),
            Field("country", "Country", "country"),
            Field("languages", "Languages", "languages"),
            Field("dietary", "Dietary needs"),
            Field("time_zone", "Time zone", "time_zone"),
            Field("email", "Email", "email"),
            Field("phone", "Phone"),
            Field("mobile", "Mobile"),
            Field("bio", "Biography", "longtext", help="for briefing packets"),
            _notes(),
        ),
        title_sql=(
            "trim(CASE name_order WHEN 'family_first' "
            "THEN family_name || ' ' || coalesce(given_name, '') "
            "ELSE coalesce(given_name, '') || ' ' || family_name END)"
        ),
        searchable=True,
        list_columns=(
            "family_name",
            "given_name",
            "job_title",
            "organisation",
            "country",
            "name_native",
        ),
        default_sort="sort_name",
    ),
    Kind(
        "office",
        "offices",
        "Office",
        "Offices",
        (
            Field("title", "Office", required=True, help='e.g. "Mayor of Kobe"'),
            Field("title_native", "Office in native language"),
            Field("organisation_id", "Organization", "ref", ref="organisation"),
            Field("country", "Country", "country"),
            Field("side", "Side", "enum", vocab=v.SIDES, default="theirs"),
            _notes(),
        ),
        title_sql="title",
        list_columns=("title", "country", "side"),
        default_sort="title",
    ),
    Kind(
        "office_term",
        "office_terms",
        "Office held",
        "Offices held",
        (
            Field("office_id", "Office", "ref", ref="office", required=True),
            Field("contact_id", "Holder", "ref", ref="contact", required=True),
            Field("start_date", "From", "date", partial=True),
            Field("end_date", "Until", "date", partial=True),
            _notes(),
        ),
        title_sql=_span_sql("start_date", "end_date"),
        parent="office_id",
    ),
    Kind(
        "partnership",
        "partnerships",
        "Partnership",
        "Partnerships",
        (
            Field("partner_name", "Partner", required=True),
            Field("partner_name_native", "Partner in native script"),
            Field("partner_level", "Partner is a", "enum", vocab=v.PARTNER_LEVELS, default="city"),
            Field("region", "Region / province"),
            Field("country", "Country", "country"),
            Field("kind", "Kind", "enum", vocab=v.PARTNERSHIP_KINDS, required=True),
            Field(
                "status",
                "Status",
                "enum",
                vocab=v.PARTNERSHIP_STATUSES,
                default="proposed",
                help="change it with a date and a reason",
            ),
            Field("established_date", "Established", "date", partial=True),
            _priorities(),
            _sdgs(),
            Field("lead_department", "Lead department"),
            Field("local_committee", "Local committee"),
            Field("partner_organisation_id", "Partner organization", "ref", ref="organisation"),
            Field(
                "location",
                "Map position",
                "coordinates",
                help="latitude, longitude (35.468, 133.049): only where the map cannot "
                "find the place by its name",
            ),
            _notes(),
        ),
        title_sql="partner_name",
        searchable=True,
        list_columns=(
            "partner_name",
            "country",
            "kind",
            "status",
            "established_date",
            "partner_name_native",
        ),
        default_sort="partner_name",
    ),
    Kind(
        "status_change",
        "partnership_status_changes",
        "Status change",
        "Status history",
        (
            Field("partnership_id", "Partnership", "ref", ref="partnership", required=True),
            Field("status", "Status", "enum", vocab=v.PARTNERSHIP_STATUSES, required=True),
            Field("changed_on", "Date", "date", required=True, partial=True),
            Field("reason", "Reason", "longtext"),
        ),
        # 'Active, 3/1/1999': the status by its word, as lists show it.
        title_sql=(
            "upper(substr(status, 1, 1)) || substr(status, 2) || ', ' || "
            + _us_date_sql("changed_on")
        ),
        parent="partnership_id",
    ),
    Kind(
        "partnership_contact",
        "partnership_contacts",
        "Partnership contact",
        "Partnership contacts",
        (
            Field("partnership_id", "Partnership", "ref", ref="partnership", required=True),
            Field("contact_id", "Contact", "ref", ref="contact", required=True),
            Field("role", "Role"),
        ),
        title_sql="coalesce(role, '')",
        parent="partnership_id",
    ),
    Kind(
        "agreement",
        "agreements",
        "Agreement",
        "Agreements",
        (
            Field("title", "Title", required=True),
            Field("kind", "Kind", "enum", vocab=v.AGREEMENT_KINDS, default="mou"),
            Field("status", "Status", "enum", vocab=v.AGREEMENT_STATUSES, default="draft"),
            Field("partnership_id", "Partnership", "ref", ref="partnership"),
            Field("parties", "Parties", "longtext"),
            Field("country", "Partner country", "country"),
            Field("signed_date", "Signed", "date", partial=True),
            Field("effective_date", "Effective", "date"),
            Field("term_months", "Term (months)", "int", minimum=1, maximum=1200),
            Field("expiry_date", "Expires", "date"),
            Field("auto_renew", "Renews automatically", "bool", default=False),
            Field("renewal_term_months", "Renewal term (months)", "int", minimum=1, maximum=1200),
            Field("notice_days", "Notice period (days)", "int", minimum=0, maximum=3650),
            Field(
                "buffer_days",
                "Our preparation time (days)",
                "int",
                minimum=0,
                maximum=3650,
                default=30,
            ),
            Field("approving_body", "Approving body"),
            Field("approval_date", "Approved on", "date"),
            Field("approval_reference", "Resolution / reference"),
            Field("languages", "Languages", "languages"),
            _priorities(),
            _sdgs(),
            Field("body_text", "Agreement text", "longtext"),
            _notes(),
        ),
        title_sql="title",
        searchable=True,
        list_columns=(
            "partner",
            "kind",
            "status",
            "decision_deadline",
            "expiry_date",
            "title",
            "signed_date",
        ),
        default_sort="decision_deadline",
    ),
    Kind(
        "signatory",
        "agreement_signatories",
        "Signatory",
        "Signatories",
        (
            Field("agreement_id", "Agreement", "ref", ref="agreement", required=True),
            Field("side", "Side", "enum", vocab=v.SIDES, default="ours"),
            Field("office_id", "Office", "ref", ref="office"),
            Field("office_title", "Office (if not listed)"),
            Field("contact_id", "Signed by", "ref", ref="contact"),
            Field("signed_on", "Signed on", "date", partial=True),
        ),
        title_sql="coalesce(office_title, '')",
        parent="agreement_id",
    ),
    Kind(
        "network",
        "network_memberships",
        "Network membership",
        "Network memberships",
        (
            Field("network_name", "Network", required=True),
            Field("organisation_id", "Network organization", "ref", ref="organisation"),
            Field("partnership_id", "Partnership", "ref", ref="partnership"),
            Field("status", "Status", "enum", vocab=v.NETWORK_STATUSES, default="active"),
            Field("joined_date", "Joined", "date", partial=True),
            Field("left_date", "Left", "date", partial=True),
            Field("membership_level", "Membership level"),
            Field("fee_minor", "Annual fee", "money", currency_field="fee_currency"),
            Field("fee_currency", "Fee currency", "currency"),
            _priorities(),
            Field("website", "Website"),
            _notes(),
        ),
        title_sql="network_name",
        searchable=True,
        list_columns=("network_name", "status", "joined_date", "membership_level"),
        default_sort="network_name",
    ),
    Kind(
        "visit",
        "visits",
        "Visit",
        "Visits",
        (
            Field("title", "Title", required=True),
            Field("direction", "Direction", "enum", vocab=v.VISIT_DIRECTIONS, required=True),
            Field("mode", "Mode", "enum", vocab=v.VISIT_MODES, default="in_person"),
            Field("status", "Status", "enum", vocab=v.VISIT_STATUSES, default="requested"),
            Field("partnership_id", "Partnership", "ref", ref="partnership"),
            Field("country", "Country (destination or origin)", "country"),
            Field("city", "City (destination or origin)"),
            Field("time_zone", "Local time zone", "time_zone"),
            Field("start_date", "Starts", "date"),
            Field("end_date", "Ends", "date"),
            Field("principal", "Principal"),
            Field("requested_by", "Requested by"),
            Field("requester_contact_id", "Requester (contact)", "ref", ref="contact"),
            Field("request_date", "Request received", "date"),
            Field("request_purpose", "Purpose stated in request", "longtext"),
            Field("decision", "Decision", "enum", vocab=v.VISIT_DECISIONS, default="pending"),
            Field("decision_date", "Decided on", "date"),
            Field("decision_notes", "Decision notes", "longtext"),
            Field("purpose", "Purpose", "longtext"),
            Field(
                "objectives",
                "Objectives and desired outcomes",
                "longtext",
                help="one per line; the first three lead the packet",
            ),
            Field("avoid", "The one thing to avoid", "longtext"),
            _priorities(),
            _sdgs(),
            Field("significant", "Significant meeting (for the survey)", "bool", default=True),
            Field("press_line", "Press line", "longtext"),
            Field("outcomes", "Outcomes", "longtext"),
            Field("trip_report", "Trip report", "longtext"),
            Field("travel", "Travel arrangements", "longtext", help="flights, ground transport"),
            Field("lodging", "Hotel", "longtext"),
            Field("advance_contact_id", "Advance contact", "ref", ref="contact"),
            _notes(),
        ),
        title_sql="title",
        searchable=True,
        list_columns=(
            "start_date",
            "title",
            "direction",
            "status",
            "city",
            "country",
            "end_date",
            "partner",
        ),
        default_sort="start_date",
    ),
    Kind(
        "itinerary_item",
        "itinerary_items",
        "Itinerary item",
        "Itinerary",
        (
            Field("visit_id", "Visit", "ref", ref="visit", required=True),
            Field("kind", "Kind", "enum", vocab=v.ITINERARY_KINDS, default="meeting"),
            Field("title", "Title", required=True),
            Field("starts_at", "Starts (local time)", "datetime", required=True),
            Field("ends_at", "Ends (local time)", "datetime"),
            Field("time_zone", "Local time zone", "time_zone", required=True),
            Field("place", "Place"),
            Field("address", "Address"),
            Field("counterpart", "Counterpart"),
            Field("counterpart_contact_id", "Counterpart (contact)", "ref", ref="contact"),
            Field("dress_code", "Dress code", "enum", vocab=v.DRESS_CODES),
            Field("purpose", "Purpose", "longtext"),
            Field("our_attendees", "Attending for us"),
            Field("their_attendees", "Attending for them"),
            Field("run_of_show", "Run of show", "longtext"),
            Field("talking_points", "Talking points", "longtext"),
            Field("likely_asks", "Their likely asks", "longtext"),
            Field("sensitivities", "Sensitivities", "longtext"),
            _notes(),
        ),
        title_sql="title",
        parent="visit_id",
        searchable=True,
        default_sort="starts_at",
    ),
    Kind(
        "participant",
        "visit_participants",
        "Delegation member",
        "Delegation",
        (
            Field("visit_id", "Visit", "ref", ref="visit", required=True),
            Field("contact_id", "Contact", "ref", ref="contact"),
            Field("name", "Name (if not a contact)"),
            Field("side", "Side", "enum", vocab=v.SIDES, default="theirs"),
            Field("role", "Role", "enum", vocab=v.PARTICIPANT_ROLES, default="delegate"),
            _notes(),
        ),
        title_sql="coalesce(name, '')",
        parent="visit_id",
    ),
    Kind(
        "gift",
        "gifts",
        "Gift",
        "Gifts",
        (
            Field("visit_id", "Visit", "ref", ref="visit"),
            Field("direction", "Given or received", "enum", vocab=v.GIFT_DIRECTIONS, required=True),
            Field("description", "Description", required=True),
            Field("value_minor", "Value", "money", currency_field="currency"),
            Field("currency", "Currency", "currency"),
            Field("giver", "Giver"),
            Field("giver_contact_id", "Giver (contact)", "ref", ref="contact"),
            Field("recipient", "Recipient"),
            Field("recipient_contact_id", "Recipient (contact)", "ref", ref="contact"),
            Field("exchanged_on", "Date", "date"),
            Field(
                "disposition", "Disposition", "enum", vocab=v.GIFT_DISPOSITIONS, default="planned"
            ),
            _notes(),
        ),
        title_sql="description",
        parent="visit_id",
        searchable=True,
    ),
    Kind(
        "contact_detail",
        "contact_details",
        "Way to reach",
        "Ways to reach",
        (
            Field("contact_id", "Contact", "ref", ref="contact", required=True),
            Field("channel", "By", "enum", vocab=v.CONTACT_CHANNELS, required=True),
            Field("label", "Which", help="work, home, cell, fax, assistant…"),
            Field("value", "Address or number", required=True),
        ),
        title_sql="value",
        parent="contact_id",
        list_columns=("channel", "label", "value"),
    ),
    Kind(
        "outcome",
        "outcomes",
        "Outcome",
        "Outcomes",
        (
            Field("measure", "What", "enum", vocab=v.OUTCOME_MEASURES, required=True),
            Field("amount", "How many", "int", minimum=0, help="jobs, people, deals, mentions"),
            Field(
                "value_minor",
                "Value",
                "money",
                currency_field="currency",
                help="investment and exports",
            ),
            Field("currency", "Currency", "currency"),
            Field("year", "Year", "int", minimum=1900, maximum=2100, help="the year it counts for"),
            Field("estimate", "An estimate", "bool", default=False),
            Field("source", "Source", help="where the figure comes from"),
            Field("partnership_id", "Partnership", "ref", ref="partnership"),
            Field("visit_id", "Visit", "ref", ref="visit"),
            Field("agreement_id", "Agreement", "ref", ref="agreement"),
            _notes(),
        ),
        title_sql=_OUTCOME_TITLE,
        searchable=False,
        list_columns=("year", "measure", "amount", "value_minor", "currency", "estimate"),
        default_sort="year",
    ),
    Kind(
        "interaction",
        "interactions",
        "Interaction",
        "Interactions",
        (
            Field("occurred_on", "Date", "date", required=True),
            Field("kind", "Kind", "enum", vocab=v.INTERACTION_KINDS, default="meeting"),
            Field("subject", "Subject", required=True),
            Field("partnership_id", "Partnership", "ref", ref="partnership"),
            Field("visit_id", "Visit", "ref", ref="visit"),
            _notes(),
        ),
        title_sql="subject",
        searchable=True,
        list_columns=("occurred_on", "kind", "subject"),
        default_sort="occurred_on",
    ),
    Kind(
        "interaction_participant",
        "interaction_participants",
        "Interaction participant",
        "Interaction participants",
        (
            Field("interaction_id", "Interaction", "ref", ref="interaction", required=True),
            Field("contact_id", "Contact", "ref", ref="contact", required=True),
        ),
        title_sql="''",
        parent="interaction_id",
    ),
    Kind(
        "follow_up",
        "follow_ups",
        "Follow-up",
        "Follow-ups",
        (
            Field("title", "What", required=True),
            Field("due_date", "Due", "date"),
            Field("done_on", "Done on", "date"),
            Field("visit_id", "Visit", "ref", ref="visit"),
            Field("partnership_id", "Partnership", "ref", ref="partnership"),
            Field("agreement_id", "Agreement", "ref", ref="agreement"),
            Field("contact_id", "Contact", "ref", ref="contact"),
            _notes(),
        ),
        title_sql="title",
        searchable=True,
        list_columns=("title", "due_date", "done_on"),
        default_sort="due_date",
    ),
    Kind(
        "attachment",
        "attachments",
        "Attachment",
        "Attachments",
        (
            Field("filename", "File name", required=True),
            Field("media_type", "Type"),
            Field("description", "Description"),
        ),
        title_sql="filename",
    ),
)

KINDS: Mapping[str, Kind] = MappingProxyType({k.name: k for k in _KINDS})
_BY_TABLE = {k.table: k for k in _KINDS}

# Names the command line accepts beyond a kind's code, table, label and plural, in
# either number and spelling (see _names).
_ALIASES = {
    "networks": "network",
    "memberships": "network",
    "itinerary": "itinerary_item",
    "delegation": "participant",
    "followups": "follow_up",
    "follow-ups": "follow_up",
    "profile": "city",
}


def _key(name: str) -> str:
    """'Delegation members', 'delegation-member', 'organizations' -> one spelling."""
    key = "_".join(name.strip().lower().replace("-", " ").replace("_", " ").split())
    return key.replace("organization", "organisation")


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@functools.cache
def _names() -> dict[str, str]:
    """Every way a person names a kind: code, table, label and plural, singular or plural,
    British or U.S. spelling, with spaces, dashes or underscores."""
    names: dict[str, str] = {}
    for spec in _KINDS:
        for name in (spec.name, spec.table, spec.label, spec.plural):
            names[_key(name)] = spec.name
            names[_singular(_key(name))] = spec.name
            names[_key(name) + "s"] = spec.name
    for alias, target in _ALIASES.items():
        names[_key(alias)] = target
    names.update({"people": "contact", "person": "contact", "cities": "city"})
    return names


def kind(name: str) -> Kind:
    key = _key(name)
    found = KINDS.get(key) or KINDS.get(_names().get(key) or _names().get(_singular(key), ""))
    if found is None:
        known = ", ".join(sorted(name.replace("organisation", "organization") for name in KINDS))
        raise DeskError(f"Unknown record kind '{name}'. Known kinds: {known}.")
    return found


def kind_of_table(table: str) -> Kind:
    return _BY_TABLE[table]
