"""The city's relationships: partnerships with their status history and contacts,
memberships of city networks, and the outcomes they are judged by."""

from __future__ import annotations

from desk.core.domain import vocab as v
from desk.core.domain.kinds.shared import notes, priorities, sdgs, us_date_sql
from desk.core.domain.kinds.spec import SELF, Field, Importing, Kind, Link, OneOf

_OUTCOME_COLUMNS = ("year", "measure", "amount", "value_minor", "currency", "estimate")

PARTNERSHIP = Kind(
    "partnership",
    "partnerships",
    "Partnership",
    "Partnerships",
    (
        Field(
            "partner_name",
            "Partner",
            required=True,
            search="title",
            sort_key="partner_name_key",
            section="The partner",
            aliases=(
                "sister city",
                "partner city",
                "partner",
                "city",
                "partner name",
                "name",
                "sister cities",
                "municipality",
                "twin city",
            ),
        ),
        Field(
            "partner_name_native",
            "Partner in native script",
            search="body",
            sort_key="partner_name_native_key",
            aliases=(
                "native name",
                "name in native script",
                "local name",
                "native script",
                "original name",
            ),
        ),
        Field("partner_level", "Partner is a", "enum", vocab=v.PARTNER_LEVELS, default="city"),
        Field(
            "region",
            "Region / province",
            search="body",
            aliases=("region", "province", "state province", "prefecture", "state"),
        ),
        Field(
            "country",
            "Country",
            "country",
            search="body",
            aliases=("country", "nation", "partner country"),
        ),
        Field(
            "kind",
            "Kind",
            "enum",
            vocab=v.PARTNERSHIP_KINDS,
            required=True,
            search="body",
            section="The relationship",
            aliases=("type", "kind", "relationship", "partnership type", "relationship type"),
            synonyms=v.PARTNERSHIP_KIND_WORDS,
        ),
        Field(
            "status",
            "Status",
            "enum",
            vocab=v.PARTNERSHIP_STATUSES,
            default="proposed",
            help="change it with a date and a reason",
            aliases=("status", "state of relationship", "current status"),
            synonyms=v.PARTNERSHIP_STATUS_WORDS,
            locked="A partnership's status changes with a date and a reason: use "
            "'desk status' or the Change status button.",
        ),
        Field(
            "established_date",
            "Established",
            "date",
            partial=True,
            aliases=(
                "year established",
                "established",
                "since",
                "date established",
                "year",
                "founded",
                "date signed",
                "signed",
                "start",
            ),
        ),
        priorities("priority areas", "focus areas", "focus", "sectors", "areas"),
        sdgs(),
        Field(
            "lead_department",
            "Lead department",
            search="body",
            section="Who carries it",
            aliases=("lead department", "department", "lead"),
        ),
        Field(
            "local_committee",
            "Local committee",
            search="body",
            aliases=("committee", "local committee", "sister city committee", "association"),
        ),
        Field("partner_organisation_id", "Partner organization", "ref", ref="organisation"),
        Field(
            "contact_every_months",
            "Keep in touch every (months)",
            "int",
            minimum=1,
            maximum=120,
            help="empty: the usual rhythm for its kind and status",
            aliases=("contact every", "keep in touch every", "contact rhythm"),
        ),
        Field(
            "location",
            "Map position",
            "coordinates",
            help="latitude, longitude (35.468, 133.049): only where the map cannot "
            "find the place by its name",
        ),
        notes("description", section="Notes"),
    ),
    title_sql="partner_name",
    searched=1,
    list_columns=(
        "partner_name",
        "country",
        "kind",
        "status",
        "established_date",
        "partner_name_native",
    ),
    default_sort="partner_name",
    # Most offices' lists of partner cities are lists of sister cities, and a list an
    # office publishes is of partnerships in force (left 'proposed', none of them would
    # count in the survey or on the dashboard).
    imports=Importing(
        match=("partner_name", "country"),
        defaults={"kind": "sister_city", "status": "active"},
        every_row="kind",
    ),
    attachable=True,
    page=1,
    counted=True,
    links=(
        Link(
            "Agreements",
            "agreement",
            "partnership_id",
            ("title", "status", "signed_date", "expiry_date", "decision_deadline"),
            SELF,
        ),
        Link(
            "Visits",
            "visit",
            "partnership_id",
            ("title", "direction", "status", "start_date"),
            SELF,
        ),
        Link(
            "Contacts",
            "partnership_contact",
            "partnership_id",
            ("contact_id", "role"),
            "contact_id",
        ),
        Link(
            "Status history", "status_change", "partnership_id", ("changed_on", "status", "reason")
        ),
        Link("Interactions", "interaction", "partnership_id", ("occurred_on", "kind", "subject")),
        Link("Follow-ups", "follow_up", "partnership_id", ("title", "due_date", "done_on")),
        Link("Outcomes", "outcome", "partnership_id", _OUTCOME_COLUMNS),
    ),
    context=("country",),
)

_FIXED = (
    "A status change keeps its status and partnership; correct its date or reason, or "
    "record a new change."
)

STATUS_CHANGE = Kind(
    "status_change",
    "partnership_status_changes",
    "Status change",
    "Status history",
    (
        Field(
            "partnership_id",
            "Partnership",
            "ref",
            ref="partnership",
            required=True,
            locked=_FIXED,
        ),
        Field(
            "status",
            "Status",
            "enum",
            vocab=v.PARTNERSHIP_STATUSES,
            required=True,
            locked=_FIXED,
        ),
        Field("changed_on", "Date", "date", required=True, partial=True),
        Field("reason", "Reason", "longtext"),
    ),
    # 'Active, 3/1/1999': the status by its word, as lists show it.
    title_sql=(
        "upper(substr(status, 1, 1)) || substr(status, 2) || ', ' || " + us_date_sql("changed_on")
    ),
    parent="partnership_id",
)

PARTNERSHIP_CONTACT = Kind(
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
)

NETWORK = Kind(
    "network",
    "network_memberships",
    "Network membership",
    "Network memberships",
    (
        Field(
            "network_name", "Network", required=True, search="title", sort_key="network_name_key"
        ),
        Field("organisation_id", "Network organization", "ref", ref="organisation"),
        Field("partnership_id", "Partnership", "ref", ref="partnership"),
        Field("status", "Status", "enum", vocab=v.NETWORK_STATUSES, default="active"),
        Field("joined_date", "Joined", "date", partial=True),
        Field("left_date", "Left", "date", partial=True),
        Field(
            "membership_level",
            "Membership level",
            search="body",
            sort_key="membership_level_key",
        ),
        Field("fee_minor", "Annual fee", "money", currency_field="fee_currency"),
        Field("fee_currency", "Fee currency", "currency"),
        priorities(),
        Field("website", "Website", search="body"),
        notes(),
    ),
    title_sql="network_name",
    aliases=("networks", "memberships"),
    searched=6,
    list_columns=("network_name", "status", "joined_date", "membership_level"),
    default_sort="network_name",
    date_order=(("joined_date", "left_date"),),
    page=6,
)

# "Jobs announced: 120", "Investment committed" (the amount is shown beside it).
_OUTCOME_TITLE = (
    "CASE measure "
    + " ".join(f"WHEN '{code}' THEN '{text}'" for code, text in v.OUTCOME_MEASURES.items())
    + " ELSE measure END || coalesce(': ' || amount, '')"
)

OUTCOME = Kind(
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
        Field("year", "Year", "year", minimum=1900, maximum=2100, help="the year it counts for"),
        Field("estimate", "An estimate", "bool", default=False),
        Field("source", "Source", help="where the figure comes from"),
        Field("partnership_id", "Partnership", "ref", ref="partnership"),
        Field("visit_id", "Visit", "ref", ref="visit"),
        Field("agreement_id", "Agreement", "ref", ref="agreement"),
        notes(search=None),
    ),
    title_sql=_OUTCOME_TITLE,
    list_columns=_OUTCOME_COLUMNS,
    default_sort="year",
    needs_one_of=(
        OneOf(
            ("partnership_id", "visit_id", "agreement_id"),
            "An outcome belongs to a partnership, a visit or an agreement: pick one.",
            at="partnership_id",
        ),
    ),
)
