"""Which linked records each page shows under the selected record, and how."""

from __future__ import annotations

from dataclasses import dataclass

# "self": the linked record has a page of its own, open it there (and "Unlink" rather
# than delete it). A field name: open what that field points to. None: edit the linked
# row itself in a dialog.
SELF = "self"


@dataclass(frozen=True)
class LinkSpec:
    label: str
    kind: str
    via: str
    columns: tuple[str, ...]
    opens: str | None = None


LINKS: dict[str, tuple[LinkSpec, ...]] = {
    "partnership": (
        LinkSpec(
            "Agreements",
            "agreement",
            "partnership_id",
            ("title", "status", "signed_date", "expiry_date", "decision_deadline"),
            SELF,
        ),
        LinkSpec(
            "Visits",
            "visit",
            "partnership_id",
            ("title", "direction", "status", "start_date"),
            SELF,
        ),
        LinkSpec(
            "Contacts",
            "partnership_contact",
            "partnership_id",
            ("contact_id", "role"),
            "contact_id",
        ),
        LinkSpec(
            "Status history", "status_change", "partnership_id", ("changed_on", "status", "reason")
        ),
        LinkSpec(
            "Interactions", "interaction", "partnership_id", ("occurred_on", "kind", "subject")
        ),
        LinkSpec("Follow-ups", "follow_up", "partnership_id", ("title", "due_date", "done_on")),
        LinkSpec(
            "Outcomes",
            "outcome",
            "partnership_id",
            ("year", "measure", "amount", "value_minor", "currency", "estimate"),
        ),
    ),
    "agreement": (
        LinkSpec(
            "Signatories",
            "signatory",
            "agreement_id",
            ("side", "office_id", "office_title", "contact_id", "signed_on"),
        ),
        LinkSpec("Follow-ups", "follow_up", "agreement_id", ("title", "due_date", "done_on")),
        LinkSpec(
            "Outcomes",
            "outcome",
            "agreement_id",
            ("year", "measure", "amount", "value_minor", "currency", "estimate"),
        ),
    ),
    "visit": (
        LinkSpec(
            "Itinerary",
            "itinerary_item",
            "visit_id",
            (
                "_local_start",
                "_home_start",
                "title",
                "place",
                "counterpart_contact_id",
                "dress_code",
            ),
        ),
        LinkSpec("Delegation", "participant", "visit_id", ("contact_id", "name", "side", "role")),
        LinkSpec(
            "Gifts",
            "gift",
            "visit_id",
            ("direction", "description", "value_minor", "currency", "disposition"),
        ),
        LinkSpec("Follow-ups", "follow_up", "visit_id", ("title", "due_date", "done_on")),
        LinkSpec("Interactions", "interaction", "visit_id", ("occurred_on", "kind", "subject")),
        LinkSpec(
            "Outcomes",
            "outcome",
            "visit_id",
            ("year", "measure", "amount", "value_minor", "currency", "estimate"),
        ),
    ),
    "contact": (
        LinkSpec("Ways to reach", "contact_detail", "contact_id", ("channel", "label", "value")),
        LinkSpec(
            "Offices held", "office_term", "contact_id", ("office_id", "start_date", "end_date")
        ),
        LinkSpec(
            "Visits",
            "participant",
            "contact_id",
            ("_visit_start", "visit_id", "role", "side"),
            "visit_id",
        ),
        LinkSpec(
            "Interactions",
            "interaction_participant",
            "contact_id",
            ("_interaction_on", "interaction_id"),
            "interaction_id",
        ),
        LinkSpec(
            "Partnerships",
            "partnership_contact",
            "contact_id",
            ("partnership_id", "role"),
            "partnership_id",
        ),
        LinkSpec("Follow-ups", "follow_up", "contact_id", ("title", "due_date", "done_on")),
    ),
    "organisation": (
        LinkSpec(
            "People",
            "contact",
            "organisation_id",
            ("family_name", "given_name", "name_native", "job_title"),
            SELF,
        ),
        LinkSpec("Offices", "office", "organisation_id", ("title", "side")),
        LinkSpec(
            "Partnerships",
            "partnership",
            "partner_organisation_id",
            ("partner_name", "kind", "status"),
            SELF,
        ),
    ),
    "network": (),
    # Shown inside the record's dialog: these kinds have no page of their own.
    "interaction": (
        LinkSpec(
            "Participants",
            "interaction_participant",
            "interaction_id",
            ("contact_id",),
            "contact_id",
        ),
    ),
    "office": (
        LinkSpec("Held by", "office_term", "office_id", ("contact_id", "start_date", "end_date")),
    ),
}

# Kinds with files of their own.
WITH_ATTACHMENTS = {"partnership", "agreement", "visit", "contact", "organisation"}
