"""People and the bodies they belong to: organizations, contacts (and their ways to
reach them), and the offices they hold over time."""

from __future__ import annotations

from desk.core.domain import vocab as v
from desk.core.domain.kinds.shared import notes, span_sql
from desk.core.domain.kinds.spec import SELF, Computed, Field, Importing, Kind, Link, Looked

ORGANISATION = Kind(
    "organisation",
    "organisations",
    "Organization",
    "Organizations",
    (
        Field(
            "name",
            "Name",
            required=True,
            search="title",
            sort_key="name_key",
            section="The organization",
            aliases=("name", "organisation", "organization", "company", "institution"),
        ),
        Field(
            "name_native",
            "Name in native script",
            search="body",
            sort_key="name_native_key",
            aliases=("native name", "name in native script", "local name"),
        ),
        Field(
            "kind",
            "Kind",
            "enum",
            vocab=v.ORGANISATION_KINDS,
            default="other",
            search="body",
            aliases=("type", "kind", "category"),
        ),
        Field("country", "Country", "country", search="body", aliases=("country",)),
        Field("city", "City", search="body", sort_key="city_key", aliases=("city",)),
        Field(
            "website",
            "Website",
            search="body",
            section="Reaching it",
            aliases=("website", "web", "url"),
        ),
        Field("email", "Email", "email", search="body", aliases=("email", "e mail")),
        Field("phone", "Phone", search="body", aliases=("phone", "telephone")),
        notes(),
    ),
    title_sql="name",
    searched=3,
    list_columns=("name", "kind", "country", "city", "name_native"),
    default_sort="name",
    imports=Importing(match=("name", "country")),
    attachable=True,
    page=5,
    links=(
        Link(
            "People",
            "contact",
            "organisation_id",
            ("family_name", "given_name", "name_native", "job_title"),
            SELF,
        ),
        Link("Offices", "office", "organisation_id", ("title", "side")),
        Link(
            "Partnerships",
            "partnership",
            "partner_organisation_id",
            ("partner_name", "kind", "status"),
            SELF,
        ),
    ),
    context=("country",),
)

CONTACT = Kind(
    "contact",
    "contacts",
    "Contact",
    "Contacts",
    (
        Field(
            "honorific",
            "Honorific",
            help="e.g. H.E., Dr., Mayor",
            search="title",
            section="Name",
            aliases=("honorific", "title prefix", "salutation", "prefix"),
        ),
        Field(
            "given_name",
            "Given name (romanized)",
            search="title",
            sort_key="given_name_key",
            aliases=("given name", "first name", "first", "forename"),
        ),
        Field(
            "family_name",
            "Family name (romanized)",
            required=True,
            search="title",
            sort_key="sort_name",
            aliases=("family name", "last name", "surname", "last"),
        ),
        Field(
            "name_native",
            "Name in native script",
            search="body",
            sort_key="name_native_key",
            aliases=("native name", "name in native script", "local name", "name native script"),
        ),
        Field("name_order", "Name order", "enum", vocab=v.NAME_ORDERS, default="given_first"),
        Field(
            "written_address",
            "Written form of address",
            help="as on a letter",
            search="body",
            section="Forms of address",
        ),
        Field(
            "spoken_address", "Spoken form of address", help="as said in a meeting", search="body"
        ),
        Field(
            "job_title",
            "Job title",
            search="body",
            sort_key="job_title_key",
            section="Work",
            aliases=("title", "job title", "position", "role", "office"),
        ),
        Field(
            "organisation_id",
            "Organization",
            "ref",
            ref="organisation",
            aliases=(
                "organisation",
                "organization",
                "company",
                "agency",
                "institution",
                "employer",
            ),
        ),
        Field("country", "Country", "country", search="body", aliases=("country",)),
        Field(
            "languages",
            "Languages",
            "languages",
            search="body",
            section="Languages and needs",
            aliases=("languages", "language"),
        ),
        Field(
            "dietary",
            "Dietary needs",
            search="body",
            aliases=("dietary", "dietary needs", "diet", "dietary restrictions"),
        ),
        Field("time_zone", "Time zone", "time_zone"),
        Field(
            "email",
            "Email",
            "email",
            search="body",
            section="Reaching them",
            aliases=("email", "e mail", "email address"),
        ),
        Field(
            "phone",
            "Phone",
            search="body",
            aliases=("phone", "telephone", "tel", "work phone", "office phone"),
        ),
        Field(
            "mobile",
            "Mobile",
            search="body",
            aliases=("mobile", "cell", "mobile phone", "cell phone"),
        ),
        Field(
            "bio",
            "Biography",
            "longtext",
            help="for briefing packets",
            search="body",
            section="About them",
        ),
        # For visa support letters; kept out of the search index and every shared copy.
        Field(
            "passport_number",
            "Passport number",
            search="never",
            section="Travel documents",
            aliases=("passport", "passport number", "passport no"),
        ),
        Field("passport_country", "Passport issued by", "country", aliases=("passport country",)),
        Field("passport_expiry", "Passport expires", "date", aliases=("passport expiry",)),
        Field("date_of_birth", "Date of birth", "date", aliases=("date of birth", "dob", "born")),
        Field("nationality", "Nationality", "country", aliases=("nationality", "citizenship")),
        notes(),
    ),
    title_sql=(
        "trim(CASE name_order WHEN 'family_first' "
        "THEN family_name || ' ' || coalesce(given_name, '') "
        "ELSE coalesce(given_name, '') || ' ' || family_name END)"
    ),
    aliases=("people", "person"),
    searched=2,
    list_columns=(
        "family_name",
        "given_name",
        "job_title",
        "organisation",
        "country",
        "name_native",
    ),
    default_sort="sort_name",
    # A person may be called Count or Sum: only places and titles are checked.
    imports=Importing(match=("family_name", "given_name", "email"), total_rows=False),
    attachable=True,
    page=4,
    counted=True,
    links=(
        Link("Ways to reach", "contact_detail", "contact_id", ("channel", "label", "value")),
        Link("Offices held", "office_term", "contact_id", ("office_id", "start_date", "end_date")),
        Link(
            "Visits",
            "participant",
            "contact_id",
            ("_visit_start", "visit_id", "role", "side"),
            "visit_id",
        ),
        Link(
            "Interactions",
            "interaction_participant",
            "contact_id",
            ("_interaction_on", "interaction_id"),
            "interaction_id",
        ),
        Link(
            "Partnerships",
            "partnership_contact",
            "contact_id",
            ("partnership_id", "role"),
            "partnership_id",
        ),
        Link("Follow-ups", "follow_up", "contact_id", ("title", "due_date", "done_on")),
    ),
    looked_up=(
        Looked(
            "organisation",
            "Organization",
            "organisations",
            "name",
            "organisation_id",
            sort_key="name_key",
        ),
    ),
    # A directory's order: by family name, then given name; by given name, then family.
    computed=(
        Computed("sort_name", key_of=("family_name", "given_name")),
        Computed("given_name_key", key_of=("given_name", "family_name")),
    ),
    context=("job_title", "organisation", "country"),
)

OFFICE = Kind(
    "office",
    "offices",
    "Office",
    "Offices",
    (
        Field("title", "Office", required=True, help='e.g. "Mayor of Kobe"', sort_key="title_key"),
        Field("title_native", "Office in native language"),
        Field("organisation_id", "Organization", "ref", ref="organisation"),
        Field("country", "Country", "country"),
        Field("side", "Side", "enum", vocab=v.SIDES, default="theirs"),
        notes(search=None),
    ),
    title_sql="title",
    list_columns=("title", "country", "side"),
    default_sort="title",
    links=(Link("Held by", "office_term", "office_id", ("contact_id", "start_date", "end_date")),),
)

OFFICE_TERM = Kind(
    "office_term",
    "office_terms",
    "Office held",
    "Offices held",
    (
        Field("office_id", "Office", "ref", ref="office", required=True),
        Field("contact_id", "Holder", "ref", ref="contact", required=True),
        Field("start_date", "From", "date", partial=True),
        Field("end_date", "Until", "date", partial=True),
        notes(search=None),
    ),
    title_sql=span_sql("start_date", "end_date"),
    parent="office_id",
    date_order=(("start_date", "end_date"),),
)

CONTACT_DETAIL = Kind(
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
)
