"""Agreements (MOUs, sister-city agreements, letters of intent) and who signed them."""

from __future__ import annotations

from desk.core.domain import vocab as v
from desk.core.domain.kinds.shared import notes, priorities, sdgs
from desk.core.domain.kinds.spec import Computed, Field, Importing, Kind, Link, Looked, OneOf

AGREEMENT = Kind(
    "agreement",
    "agreements",
    "Agreement",
    "Agreements",
    (
        Field(
            "title",
            "Title",
            required=True,
            search="title",
            sort_key="title_key",
            section="The agreement",
            aliases=("title", "agreement", "name", "agreement title", "document"),
        ),
        Field(
            "kind",
            "Kind",
            "enum",
            vocab=v.AGREEMENT_KINDS,
            default="mou",
            aliases=("type", "kind", "agreement type"),
            synonyms=v.AGREEMENT_KIND_WORDS,
        ),
        Field(
            "status",
            "Status",
            "enum",
            vocab=v.AGREEMENT_STATUSES,
            default="draft",
            aliases=("status",),
        ),
        Field(
            "partnership_id",
            "Partnership",
            "ref",
            ref="partnership",
            aliases=("partner", "partner city", "sister city", "partnership"),
            # A counterpart that is not a partnership in desk (a port, a university) is
            # who the agreement is with, in its own words.
            otherwise="parties",
        ),
        Field(
            "parties",
            "Parties",
            "longtext",
            search="body",
            aliases=("parties", "counterpart", "with", "signed with"),
        ),
        Field(
            "country",
            "Partner country",
            "country",
            search="body",
            aliases=("country", "partner country"),
        ),
        Field(
            "signed_date",
            "Signed",
            "date",
            partial=True,
            section="Term and renewal",
            aliases=("signed", "date signed", "signing date", "signature date"),
        ),
        Field(
            "effective_date",
            "Effective",
            "date",
            aliases=("effective", "effective date", "start", "start date"),
        ),
        Field(
            "term_months",
            "Term (months)",
            "int",
            aliases=("term months", "term", "duration months"),
            minimum=1,
            maximum=1200,
        ),
        Field(
            "expiry_date",
            "Expires",
            "date",
            aliases=("expires", "expiry", "expiry date", "expiration", "end date", "end"),
        ),
        Field(
            "auto_renew",
            "Renews automatically",
            "bool",
            default=False,
            aliases=("auto renew", "auto renewal", "renews automatically", "renewal"),
        ),
        Field("renewal_term_months", "Renewal term (months)", "int", minimum=1, maximum=1200),
        Field(
            "notice_days",
            "Notice period (days)",
            "int",
            aliases=("notice days", "notice period", "notice"),
            minimum=0,
            maximum=3650,
        ),
        Field(
            "buffer_days",
            "Our preparation time (days)",
            "int",
            minimum=0,
            maximum=3650,
            default=30,
        ),
        Field(
            "approving_body",
            "Approving body",
            search="body",
            section="Approval",
            aliases=("approved by", "approving body", "approval"),
        ),
        Field(
            "approval_date",
            "Approved on",
            "date",
            aliases=("approval date", "date approved"),
        ),
        Field(
            "approval_reference",
            "Resolution / reference",
            search="body",
            aliases=("resolution", "resolution number", "reference"),
        ),
        Field("languages", "Languages", "languages", section="Text"),
        priorities(),
        sdgs(),
        Field("body_text", "Agreement text", "longtext", search="body"),
        notes(),
    ),
    title_sql="title",
    searched=4,
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
    date_order=(("effective_date", "expiry_date"), ("signed_date", "expiry_date")),
    imports=Importing(match=("title", "signed_date")),
    attachable=True,
    page=2,
    counted=True,
    links=(
        Link(
            "Signatories",
            "signatory",
            "agreement_id",
            ("side", "office_id", "office_title", "contact_id", "signed_on"),
        ),
        Link("Follow-ups", "follow_up", "agreement_id", ("title", "due_date", "done_on")),
        Link(
            "Outcomes",
            "outcome",
            "agreement_id",
            ("year", "measure", "amount", "value_minor", "currency", "estimate"),
        ),
    ),
    looked_up=(
        Looked(
            "partner",
            "Partner",
            "partnerships",
            "partner_name",
            "partnership_id",
            sort_key="partner_name_key",
        ),
    ),
    # SQLite computes it (a generated column): the day notice must be given by.
    computed=(Computed("decision_deadline", "Decision deadline", "date"),),
    context=("partner", "signed_date"),
)

SIGNATORY = Kind(
    "signatory",
    "agreement_signatories",
    "Signatory",
    "Signatories",
    (
        Field("agreement_id", "Agreement", "ref", ref="agreement", required=True),
        Field("side", "Side", "enum", vocab=v.SIDES, default="ours"),
        Field("office_id", "Office", "ref", ref="office", keeps_name="office_title"),
        Field("office_title", "Office (if not listed)"),
        Field("contact_id", "Signed by", "ref", ref="contact"),
        Field("signed_on", "Signed on", "date", partial=True),
    ),
    title_sql="coalesce(office_title, '')",
    parent="agreement_id",
    needs_one_of=(
        OneOf(
            ("office_id", "office_title"),
            "A signatory needs an office: pick one or type its title.",
            at="office_title",
        ),
    ),
)
