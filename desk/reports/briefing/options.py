"""What a packet holds and how it is marked: the sections in packet order, the
handling markings, and the options one packet is made with. Apart from the packet, so
every section module can read them without importing the packet that imports them."""

from __future__ import annotations

from dataclasses import dataclass, field

# Section keys in packet order, with their titles for each variant.
SECTIONS: dict[str, tuple[str, str]] = {
    "objectives": ("Objectives and desired outcomes", "Objectives and desired outcomes"),
    "itinerary": ("Itinerary", "Program"),
    "briefs": ("Meeting briefs", "Meeting briefs"),
    "counterparts": ("Counterparts", "Our guests"),
    "delegation": ("Delegation and hosts", "Delegation and hosts"),
    "profile": ("Partner city and country", "Partner city and country"),
    "history": ("The relationship", "The relationship"),
    "agreements": ("Agreements to sign", "Agreements to sign"),
    "gifts": ("Protocol and gift plan", "Protocol and gift plan"),
    "press": ("Press line", "Press line"),
    "logistics": ("Logistics", "Logistics"),
    "contacts": ("Contacts and emergency numbers", "Contacts and emergency numbers"),
    "follow_ups": ("Open follow-ups", "Open follow-ups"),
}
MARKINGS = (
    "",
    "SENSITIVE - NOT FOR DISTRIBUTION",
    "FOR OFFICIAL USE ONLY",
    "DRAFT",
    "SHAREABLE WITH PARTNER",
)


# The only sections a copy for the partner can hold.
SHAREABLE_SECTIONS = frozenset({"itinerary", "delegation"})
SHAREABLE_MARKING = "SHAREABLE WITH PARTNER"


@dataclass(frozen=True)
class BriefingOptions:
    sections: frozenset[str] = field(default_factory=lambda: frozenset(SECTIONS))
    marking: str = "SENSITIVE - NOT FOR DISTRIBUTION"
    # Phone numbers, emails and dietary needs in an internal copy.
    include_personal: bool = True
    # The copy for the partner, built from an allow-list (see partner_view): the program
    # and their delegation; no internal notes, plans, values, markings or personal details.
    shareable: bool = False

    def for_partner(self) -> BriefingOptions:
        return BriefingOptions(
            sections=self.sections & SHAREABLE_SECTIONS,
            marking=SHAREABLE_MARKING,
            include_personal=False,
            shareable=True,
        )
