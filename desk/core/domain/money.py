"""Money is stored as integer minor units with its ISO 4217 currency; these turn it back
into amounts, with each currency's own number of decimal places (JPY has none)."""

from __future__ import annotations

from decimal import Decimal

DEFAULT_CURRENCY = "USD"


def places(currency: str | None) -> int:
    from babel.numbers import get_currency_precision

    return get_currency_precision((currency or DEFAULT_CURRENCY).upper())


def amount(minor: int, currency: str | None) -> Decimal:
    return Decimal(minor).scaleb(-places(currency))


def grouped(minor: int | None, currency: str | None) -> str:
    """The amount with thousands marked, beside a currency shown elsewhere: 485,000.00."""
    if minor is None:
        return ""
    return f"{amount(minor, currency):,.{places(currency)}f}"


def text(minor: int | None, currency: str | None) -> str:
    """The amount as printed: $1,250.00 for dollars, as a U.S. reader writes them;
    1,250.00 EUR for other currencies, whose symbols are ambiguous ($ is also the peso)."""
    if minor is None:
        return ""
    code = (currency or DEFAULT_CURRENCY).upper()
    figure = f"{amount(minor, code):,.{places(code)}f}"
    return f"${figure}" if code == "USD" else f"{figure} {code}"


def short(minor: int | None, currency: str | None) -> str:
    """The amount rounded as a headline says it: $30 million, $7.5 million, $12,400,
    1.2 billion JPY."""
    if minor is None:
        return ""
    code = (currency or DEFAULT_CURRENCY).upper()
    value = float(amount(minor, code))
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            figure = f"{value / size:,.1f}".removesuffix(".0") + f" {word}"
            break
    else:
        figure = f"{value:,.0f}"
    return f"${figure}" if code == "USD" else f"{figure} {code}"
