"""Turning what a person typed into stored values, or a message naming the field: each
value by its field's type (types/), a record's values together here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desk.core.domain.kinds import Field, Kind
from desk.core.domain.types import type_of
from desk.core.domain.types.cleaning import named
from desk.core.errors import ValidationError

__all__ = ["clean", "clean_values", "named"]


def clean(spec: Field, value: Any, values: Mapping[str, Any] | None = None) -> Any:
    """The stored form of one field's value. Empty text becomes None (NULL)."""
    field_type = type_of(spec)
    if isinstance(value, str) and not field_type.multiline:
        value = value.strip()
    if value is None or value == "" or (isinstance(value, list | tuple) and not value):
        return field_type.empty(spec)
    return field_type.clean(spec, value, values or {})


def clean_values(
    kind: Kind,
    values: Mapping[str, Any],
    *,
    partial: bool,
    stored: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Clean every given field; for a new record (partial=False) fill defaults too.

    `stored` is the record as it stands, for values that depend on another field (an
    amount's decimal places on its currency).
    """
    unknown = [name for name in values if name not in kind.field_map]
    if unknown:
        known = ", ".join(kind.field_map)
        raise ValidationError(
            f"{kind.label} has no field '{unknown[0]}'. Fields: {known}.", field=unknown[0]
        )
    # Currencies first, so a money amount knows its number of decimal places.
    ordered = sorted(values, key=lambda name: kind.field_map[name].currency_field is not None)
    cleaned: dict[str, Any] = {}
    for name in ordered:
        context = {**(stored or {}), **values, **cleaned}
        cleaned[name] = clean(kind.field_map[name], values[name], context)
    if not partial:
        for spec in kind.fields:
            if spec.name not in cleaned:
                cleaned[spec.name] = clean(spec, spec.default)
    for spec in kind.fields:
        if spec.required and spec.name in cleaned and cleaned[spec.name] is None:
            raise ValidationError(f"{named(spec)} is required.", field=spec.name)
    return cleaned
