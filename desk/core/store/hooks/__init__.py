"""Each kind's hooks, registered by the kind's name: the one place outside the kinds'
declarations where a kind is named to decide what desk does. A kind without an entry
has nothing procedural of its own."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from desk.core.store.hooks.base import KindHooks, LookAlike
from desk.core.store.hooks.partnerships import (
    INITIAL_STATUS_REASON,
    PartnershipHooks,
    StatusChangeHooks,
    change_status,
)
from desk.core.store.hooks.records import (
    AgreementHooks,
    AttachmentHooks,
    CityHooks,
    ContactHooks,
    OrganisationHooks,
    OutcomeHooks,
)

__all__ = [
    "HOOKS",
    "INITIAL_STATUS_REASON",
    "KindHooks",
    "LookAlike",
    "change_status",
    "hooks_for",
]

HOOKS: Mapping[str, KindHooks] = MappingProxyType(
    {
        "agreement": AgreementHooks(),
        "attachment": AttachmentHooks(),
        "city": CityHooks(),
        "contact": ContactHooks(),
        "organisation": OrganisationHooks(),
        "outcome": OutcomeHooks(),
        "partnership": PartnershipHooks(),
        "status_change": StatusChangeHooks(),
    }
)
_NONE = KindHooks()


def hooks_for(kind: str) -> KindHooks:
    return HOOKS.get(kind, _NONE)
