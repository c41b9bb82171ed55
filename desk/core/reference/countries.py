"""Countries by ISO 3166 alpha-2 code, named as CLDR names them (never ISO's official
names: ISO calls TW "Taiwan, Province of China", which a city office must not print)."""

from __future__ import annotations

import functools
import unicodedata
import zoneinfo
from typing import TYPE_CHECKING

# babel is read when a country's name, languages or currency is first asked for: its
# import is a tenth of what the window costs to start.
if TYPE_CHECKING:
    from babel import Locale

# Names offices actually write that CLDR does not list as the English name.
_ALIASES = {
    "korea": "KR",
    "republic of korea": "KR",
    "korea, republic of": "KR",
    "korea republic of": "KR",
    "korea (south)": "KR",
    "south korea": "KR",
    "rok": "KR",
    "north korea": "KP",
    "uk": "GB",
    "u.k.": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "united kingdom of great britain and northern ireland": "GB",
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "united states of america": "US",
    "america": "US",
    "czech republic": "CZ",
    "russian federation": "RU",
    "prc": "CN",
    "people's republic of china": "CN",
    "peoples republic of china": "CN",
    "mainland china": "CN",
    "republic of china": "TW",
    "taiwan, province of china": "TW",
    "viet nam": "VN",
    "holland": "NL",
    "the netherlands": "NL",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "turkey": "TR",
    "turkiye": "TR",
    "burma": "MM",
    "swaziland": "SZ",
    "macedonia": "MK",
    "cape verde": "CV",
    "east timor": "TL",
    "vatican": "VA",
    "holy see": "VA",
    "uae": "AE",
    "iran, islamic republic of": "IR",
    "syrian arab republic": "SY",
    "lao people's democratic republic": "LA",
    "laos": "LA",
    "bolivia, plurinational state of": "BO",
    "venezuela, bolivarian republic of": "VE",
    "tanzania, united republic of": "TZ",
    "moldova, republic of": "MD",
    "palestine, state of": "PS",
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@functools.cache
def _english() -> Locale:
    from babel import Locale

    return Locale("en")


@functools.cache
def all_countries() -> dict[str, str]:
    """Code -> English display name, for every two-letter CLDR territory, by name."""
    names = {
        code: name
        for code, name in _english().territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }
    return dict(sorted(names.items(), key=lambda item: _fold(item[1])))


# CLDR groupings and its test locales (XA "Pseudo-Accents", XB "Pseudo-Bidi") are not
# places anyone is from.
_NOT_COUNTRIES = {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"}
# Territories without a resident population: no city has a partner there.
_UNINHABITED = {"AQ", "BV", "HM", "GS", "TF", "UM", "CP", "DG"}
# CLDR territories that are parts of another country, not ISO 3166 countries (Ascension,
# Canary Islands, Ceuta & Melilla, Sark, Tristan da Cunha).
_NOT_ISO = {"AC", "IC", "EA", "CQ", "TA"}


@functools.cache
def partner_countries(home: str = "US") -> dict[str, str]:
    """Countries a foreign partner can be in: people live there, and it is not home."""
    return {
        code: name
        for code, name in all_countries().items()
        if code not in _UNINHABITED and code not in _NOT_ISO and code != home
    }


@functools.cache
def _lookup() -> dict[str, str]:
    table = {_fold(name): code for code, name in all_countries().items()}
    # CLDR's long forms carry a qualifier ("Hong Kong SAR China", "Myanmar (Burma)");
    # the bare name is what people type.
    for code, name in all_countries().items():
        bare = name.split(" (")[0].removesuffix(" SAR China")
        table.setdefault(_fold(bare), code)
    table.update({_fold(alias): code for alias, code in _ALIASES.items()})
    return table


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return all_countries().get(code.upper(), code)


def resolve_country(text: str) -> str | None:
    """An ISO alpha-2 code for a code, an English name or a common alias; None if unknown."""
    cleaned = text.strip()
    if not cleaned:
        return None
    if len(cleaned) == 2 and cleaned.upper() in all_countries():
        return cleaned.upper()
    folded = _fold(cleaned).removeprefix("the ")
    return _lookup().get(folded) or _lookup().get(_fold(cleaned))


def official_languages(code: str) -> tuple[str, ...]:
    """Languages with official status in law (CLDR), not those merely used: Ukraine's is
    Ukrainian alone, Senegal's French."""
    from babel.languages import get_official_languages

    return tuple(get_official_languages(code.upper(), de_facto=False))


def de_facto_languages(code: str) -> tuple[str, ...]:
    """Where no language is official in law (Mexico, the United States): the one in use."""
    from babel.languages import get_official_languages

    return tuple(
        c
        for c in get_official_languages(code.upper(), de_facto=True)
        if c not in official_languages(code)
    )


def currency_text(code: str) -> str:
    """'New Taiwan Dollar (NT$)': the currency by name and symbol."""
    from babel.numbers import get_currency_symbol

    names = []
    for currency in currencies(code):
        name = _us_style(_english().currencies.get(currency, currency))
        symbol = get_currency_symbol(currency, locale="en_US")
        names.append(f"{name} ({symbol})" if symbol and symbol != currency else name)
    return ", ".join(names)


def _us_style(name: str) -> str:
    """'U.S. dollar', 'Mexican peso', 'euro': a currency's name as U.S. style writes it
    (CLDR capitalizes it as a title: 'US Dollar', 'Mexican Peso')."""
    words = name.replace("US ", "U.S. ", 1).split(" ")
    words[-1] = words[-1].lower()
    return " ".join(words)


def currencies(code: str) -> list[str]:
    from babel.numbers import get_territory_currencies

    return list(get_territory_currencies(code.upper()))


@functools.cache
def language_names() -> dict[str, str]:
    return {
        code: name
        for code, name in _english().languages.items()
        if "_" not in code and len(code) in (2, 3)
    }


def language_name(code: str) -> str:
    """English name of a language, also for CLDR's script forms ('zh_Hant' -> 'Traditional
    Chinese', 'nan_Hant' -> 'Min Nan Chinese'); never the bare code when a name exists."""
    everything = _english().languages
    return (
        language_names().get(code)
        or everything.get(code)
        or everything.get(code.split("_")[0])
        or code
    )


def resolve_language(text: str) -> str | None:
    cleaned = text.strip()
    if not cleaned:
        return None
    if cleaned.lower() in language_names():
        return cleaned.lower()
    folded = _fold(cleaned)
    for code, name in language_names().items():
        if _fold(name) == folded:
            return code
    return None


@functools.cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def currency_codes() -> frozenset[str]:
    return frozenset(_english().currencies)
