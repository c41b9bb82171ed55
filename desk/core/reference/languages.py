"""Official languages as a protocol officer writes them, for a country and, where it has
languages of its own, the partner's region.

CLDR (through Babel) is the base, read with care: it lists scripts as if they were
languages ('zh_Hant' reads "Traditional Chinese", Serbia's 'sr_Cyrl' and 'sr_Latn' read
"Serbian, Serbian"), misses laws newer than its data (South Africa's other eleven
languages are "regional" there) and knows nothing of regions (València without
Valencian). The tables below are the corrections, written by hand.
"""

from __future__ import annotations

import functools

from desk.core.reference import countries, places

# Names where CLDR's English name is a script form or not the name U.S. offices use.
_NAMES = {
    "zh": "Chinese (Mandarin)",
    "yue": "Chinese (Cantonese)",
    "nan": "Taiwanese Hokkien",
    "hak": "Hakka",
    "bn": "Bengali",
    "nb": "Norwegian",
    "nn": "Norwegian",
    "no": "Norwegian",
    "tzm": "Amazigh (Berber)",
    "zgh": "Amazigh (Berber)",
    "fy": "West Frisian",
    "mni": "Meitei (Manipuri)",
    "kl": "Greenlandic",
    "na": "Nauruan",
    "tvl": "Tuvaluan",
}

# Countries whose languages in law CLDR gets wrong or incomplete.
_COUNTRIES: dict[str, tuple[str, ...]] = {
    # Executive Order 14224 (March 1, 2025) designated English the official language.
    "US": ("English",),
    "CN": ("Chinese (Mandarin)",),
    "TW": ("Chinese (Mandarin)", "Taiwanese Hokkien", "Hakka"),
    "HK": ("Chinese (Cantonese)", "English"),
    "MO": ("Chinese (Cantonese)", "Portuguese"),
    "SG": ("English", "Malay", "Chinese (Mandarin)", "Tamil"),
    # Eleven spoken languages since 1996 and South African Sign Language since 2023.
    "ZA": (
        "Afrikaans",
        "English",
        "Ndebele",
        "Northern Sotho",
        "Sotho",
        "Swati",
        "Tsonga",
        "Tswana",
        "Venda",
        "Xhosa",
        "Zulu",
        "South African Sign Language",
    ),
    "NZ": ("English", "Māori", "New Zealand Sign Language"),
    "NG": ("English",),
    "MA": ("Arabic", "Amazigh (Berber)"),
    "DZ": ("Arabic", "Amazigh (Berber)"),
    "KZ": ("Kazakh", "Russian"),
    "BY": ("Belarusian", "Russian"),
    "AF": ("Pashto", "Dari"),
    "ME": ("Montenegrin",),
    "BA": ("Bosnian", "Croatian", "Serbian"),
    "CH": ("German", "French", "Italian", "Romansh"),
    "IE": ("Irish", "English"),
    "LU": ("Luxembourgish", "French", "German"),
    "PH": ("Filipino", "English"),
    "IN": ("Hindi", "English"),
    "TN": ("Arabic",),
    "KM": ("Comorian", "Arabic", "French"),
    "RW": ("Kinyarwanda", "English", "French", "Swahili"),
    "GU": ("English", "Chamorro"),
    "AS": ("English", "Samoan"),
    # Sixteen in the 2013 constitution.
    "ZW": (
        "Chewa",
        "Chibarwe",
        "English",
        "Kalanga",
        "Koisan",
        "Nambya",
        "Ndau",
        "Ndebele",
        "Shangani",
        "Shona",
        "Zimbabwean Sign Language",
        "Sotho",
        "Tonga",
        "Tswana",
        "Venda",
        "Xhosa",
    ),
    # The 2018 Basic Law made Hebrew the state language and gave Arabic a special status.
    "IL": ("Hebrew", "Arabic (special status)"),
}

# Regions with languages of their own, by ISO 3166-2 code: the whole list there, the
# national language included where it is official there too (Quebec's is French alone).
_REGIONS: dict[str, tuple[str, ...]] = {
    "ES-CT": ("Spanish", "Catalan", "Occitan (Aranese)"),
    "ES-VC": ("Spanish", "Valencian (Catalan)"),
    "ES-IB": ("Spanish", "Catalan"),
    "ES-PV": ("Spanish", "Basque"),
    "ES-NC": ("Spanish", "Basque"),
    "ES-GA": ("Spanish", "Galician"),
    "GB-WLS": ("English", "Welsh"),
    "GB-SCT": ("English", "Scottish Gaelic"),
    "GB-NIR": ("English", "Irish"),
    "CA-QC": ("French",),
    "CA-NB": ("English", "French"),
    "CA-MB": ("English", "French"),
    "CA-YT": ("English", "French"),
    "CA-NU": ("Inuktitut", "Inuinnaqtun", "English", "French"),
    "CA-NT": (
        "Chipewyan",
        "Cree",
        "English",
        "French",
        "Gwich’in",
        "Inuinnaqtun",
        "Inuktitut",
        "Inuvialuktun",
        "North Slavey",
        "South Slavey",
        "Tłı̨chǫ",
    ),
    "CA-ON": ("English",),
    "CA-AB": ("English",),
    "CA-BC": ("English",),
    "CA-SK": ("English",),
    "CA-NS": ("English",),
    "CA-PE": ("English",),
    "CA-NL": ("English",),
    "IT-23": ("Italian", "French"),
    "IT-32": ("Italian", "German", "Ladin"),
    "CN-XZ": ("Chinese (Mandarin)", "Tibetan"),
    "CN-XJ": ("Chinese (Mandarin)", "Uyghur"),
    "CN-NM": ("Chinese (Mandarin)", "Mongolian"),
    "CN-GX": ("Chinese (Mandarin)", "Zhuang"),
    "BE-VLG": ("Dutch",),
    "BE-WAL": ("French", "German"),
    "BE-BRU": ("French", "Dutch"),
    "CH-ZH": ("German",),
    "CH-BE": ("German", "French"),
    "CH-GE": ("French",),
    "CH-VD": ("French",),
    "CH-TI": ("Italian",),
    "CH-GR": ("German", "Romansh", "Italian"),
    "CH-FR": ("French", "German"),
    "CH-VS": ("French", "German"),
    "CH-BS": ("German",),
    "NL-FR": ("Dutch", "West Frisian"),
    "RU-TA": ("Russian", "Tatar"),
    # Indian states write their own language first; Hindi where the state uses it too.
    "IN-MH": ("Marathi", "English"),
    "IN-TN": ("Tamil", "English"),
    "IN-KA": ("Kannada", "English"),
    "IN-KL": ("Malayalam", "English"),
    "IN-WB": ("Bengali", "English"),
    "IN-GJ": ("Gujarati", "Hindi", "English"),
    "IN-PB": ("Punjabi", "English"),
    "IN-TS": ("Telugu", "Urdu", "English"),
    "IN-AP": ("Telugu", "English"),
    "IN-OD": ("Odia", "English"),
    "IN-AS": ("Assamese", "Bengali", "Bodo", "English"),
    "IN-DL": ("Hindi", "English", "Punjabi", "Urdu"),
    "IN-UP": ("Hindi", "Urdu", "English"),
    "IN-GA": ("Konkani", "Marathi", "English"),
    "IN-JK": ("Kashmiri", "Dogri", "Urdu", "Hindi", "English"),
    "IN-MN": ("Meitei (Manipuri)", "English"),
}

_COUNTRIES_WITH_REGIONS = frozenset(code.split("-")[0] for code in _REGIONS)


def _name(code: str) -> str:
    """A language, not a script: 'sr_Latn' and 'sr_Cyrl' are both Serbian."""
    base = code.split("_")[0]
    return _NAMES.get(base) or countries.language_name(base)


@functools.cache
def _national(country: str) -> tuple[tuple[str, ...], bool]:
    """The country's languages and whether any is official in law (Mexico's Spanish and
    Australia's English are the languages of government without a law saying so)."""
    if country in _COUNTRIES:
        return _COUNTRIES[country], True
    in_law = countries.official_languages(country)
    codes = in_law or countries.de_facto_languages(country)
    return tuple(dict.fromkeys(_name(c) for c in codes)), bool(in_law)


def _division_code(country: str, region: str | None, place: str | None) -> str | None:
    for name in (region, place):
        found = places.division(name, country)
        if found is not None:
            return found.code
    if place:
        found = places.region_of(place, country)
        if found is not None:
            return found.code
    return None


def _lookup(
    country: str | None, region: str | None, place: str | None
) -> tuple[tuple[str, ...], bool]:
    if not country:
        return (), True
    code = country.upper()
    # The gazetteer is read only for countries whose regions have languages of their own.
    if code in _COUNTRIES_WITH_REGIONS:
        division = _division_code(code, region, place)
        if division in _REGIONS:
            return _REGIONS[division], True
    return _national(code)


def official(country: str | None, region: str | None = None, place: str | None = None) -> list[str]:
    """The official languages where the partner is, as a protocol officer lists them:
    languages rather than scripts, each once, with the region's own where it has them
    (a region by its name, or found from a city's). Where no language is official in
    law, the language of government."""
    return list(_lookup(country, region, place)[0])


def official_text(country: str | None, region: str | None = None, place: str | None = None) -> str:
    """The same as one line for a packet: 'Spanish, Valencian (Catalan)'; 'Spanish (in
    practice; none is official in law)' where no law names one."""
    names, in_law = _lookup(country, region, place)
    if in_law:
        return ", ".join(names)
    return ", ".join(f"{n} (in practice; none is official in law)" for n in names)
