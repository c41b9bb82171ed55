"""The kinds of record desk keeps, each declared once (see spec.py for what a field and a
kind declare), and the lookups every surface uses: by name, by table, by any name a
person types.

Surfaces build their own views of the declarations (search documents, import aliases,
form sections) with `@derived`, which recomputes them when a kind is registered."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

from desk.core.domain.kinds.agreements import AGREEMENT, SIGNATORY
from desk.core.domain.kinds.city import ATTACHMENT, CITY
from desk.core.domain.kinds.partnerships import (
    NETWORK,
    OUTCOME,
    PARTNERSHIP,
    PARTNERSHIP_CONTACT,
    STATUS_CHANGE,
)
from desk.core.domain.kinds.people import (
    CONTACT,
    CONTACT_DETAIL,
    OFFICE,
    OFFICE_TERM,
    ORGANISATION,
)
from desk.core.domain.kinds.spec import (
    SELF,
    Computed,
    Field,
    Importing,
    Kind,
    Link,
    Looked,
    OneOf,
    SearchRole,
)
from desk.core.domain.kinds.travel import COST, TRAVEL_LEG
from desk.core.domain.kinds.visits import (
    FOLLOW_UP,
    GIFT,
    INTERACTION,
    INTERACTION_PARTICIPANT,
    ITINERARY_ITEM,
    PARTICIPANT,
    VISIT,
)
from desk.core.errors import DeskError

__all__ = [
    "KINDS",
    "SELF",
    "Computed",
    "Field",
    "Importing",
    "Kind",
    "Link",
    "Looked",
    "OneOf",
    "SearchRole",
    "derived",
    "kind",
    "kind_of_table",
    "register",
    "unregister",
]

# Parents before the records that link to them: a dump is loaded in this order.
_REGISTRY: dict[str, Kind] = {
    spec.name: spec
    for spec in (
        CITY,
        ORGANISATION,
        CONTACT,
        OFFICE,
        OFFICE_TERM,
        PARTNERSHIP,
        STATUS_CHANGE,
        PARTNERSHIP_CONTACT,
        AGREEMENT,
        SIGNATORY,
        NETWORK,
        VISIT,
        ITINERARY_ITEM,
        PARTICIPANT,
        GIFT,
        CONTACT_DETAIL,
        OUTCOME,
        INTERACTION,
        INTERACTION_PARTICIPANT,
        FOLLOW_UP,
        TRAVEL_LEG,
        COST,
        ATTACHMENT,
    )
}
KINDS: Mapping[str, Kind] = MappingProxyType(_REGISTRY)

_Result = TypeVar("_Result")
_DERIVED: list[Any] = []


def derived(build: Callable[[], _Result]) -> Callable[[], _Result]:
    """A view built from the declarations once, and again after `register`."""
    cached = functools.cache(build)
    _DERIVED.append(cached)
    return cached


def register(spec: Kind) -> None:
    """Add a kind (declared elsewhere: a test's, a later version's) to every surface."""
    if spec.name in _REGISTRY:
        raise DeskError(f"There is already a kind named '{spec.name}'.")
    _REGISTRY[spec.name] = spec
    _forget()


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)
    _forget()


def _forget() -> None:
    for cached in _DERIVED:
        cached.cache_clear()


@derived
def _by_table() -> dict[str, Kind]:
    return {spec.table: spec for spec in _REGISTRY.values()}


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


@derived
def _names() -> dict[str, str]:
    """Every way a person names a kind: code, table, label and plural, singular or plural,
    British or U.S. spelling, with spaces, dashes or underscores, and its aliases."""
    names: dict[str, str] = {}
    for spec in _REGISTRY.values():
        for name in (spec.name, spec.table, spec.label, spec.plural):
            names[_key(name)] = spec.name
            names[_singular(_key(name))] = spec.name
            names[_key(name) + "s"] = spec.name
    for spec in _REGISTRY.values():
        for alias in spec.aliases:
            names[_key(alias)] = spec.name
    return names


def kind(name: str) -> Kind:
    key = _key(name)
    found = KINDS.get(key) or KINDS.get(_names().get(key) or _names().get(_singular(key), ""))
    if found is None:
        known = ", ".join(sorted(name.replace("organisation", "organization") for name in KINDS))
        raise DeskError(f"Unknown record kind '{name}'. Known kinds: {known}.")
    return found


def kind_of_table(table: str) -> Kind:
    return _by_table()[table]
