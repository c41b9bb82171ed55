from __future__ import annotations

import re

import pytest

from desk.core.reference import languages
from desk.core.reference.countries import partner_countries

# Written by hand from each country's constitution or language law, as a protocol
# officer would list them: (country, region, place) -> languages.
EXPECTED: list[tuple[str, str | None, str | None, list[str]]] = [
    ("TW", None, "Tainan", ["Chinese (Mandarin)", "Taiwanese Hokkien", "Hakka"]),
    ("HK", None, None, ["Chinese (Cantonese)", "English"]),
    ("MO", None, None, ["Chinese (Cantonese)", "Portuguese"]),
    ("CN", "Jiangsu", "Suzhou", ["Chinese (Mandarin)"]),
    ("CN", "Tibet", None, ["Chinese (Mandarin)", "Tibetan"]),
    ("CN", None, "Ürümqi", ["Chinese (Mandarin)", "Uyghur"]),
    ("SG", None, None, ["English", "Malay", "Chinese (Mandarin)", "Tamil"]),
    ("JP", "Shimane", "Matsue", ["Japanese"]),
    ("KR", "Jeollabuk-do", "Jeonju", ["Korean"]),
    ("VN", None, "Da Nang", ["Vietnamese"]),
    (
        "ZA",
        None,
        "Durban",
        [
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
        ],
    ),
    ("RS", None, "Belgrade", ["Serbian"]),
    ("BA", None, "Sarajevo", ["Bosnian", "Croatian", "Serbian"]),
    ("ES", None, "Madrid", ["Spanish"]),
    ("ES", "Comunitat Valenciana", "València", ["Spanish", "Valencian (Catalan)"]),
    ("ES", None, "València", ["Spanish", "Valencian (Catalan)"]),
    ("ES", None, "Alicante", ["Spanish", "Valencian (Catalan)"]),
    ("ES", "Catalonia", None, ["Spanish", "Catalan", "Occitan (Aranese)"]),
    ("ES", None, "Barcelona", ["Spanish", "Catalan", "Occitan (Aranese)"]),
    ("ES", None, "Palma", ["Spanish", "Catalan"]),
    ("ES", "País Vasco", None, ["Spanish", "Basque"]),
    ("ES", None, "Bilbao", ["Spanish", "Basque"]),
    ("ES", "Galicia", None, ["Spanish", "Galician"]),
    ("ES", None, "Seville", ["Spanish"]),
    ("GB", None, "Bristol", ["English"]),
    ("GB", "Wales", None, ["English", "Welsh"]),
    ("GB", None, "Cardiff", ["English", "Welsh"]),
    ("GB", None, "Glasgow", ["English", "Scottish Gaelic"]),
    ("GB", None, "Belfast", ["English", "Irish"]),
    ("IE", None, "Cork", ["Irish", "English"]),
    ("CA", None, None, ["English", "French"]),
    ("CA", "Quebec", None, ["French"]),
    ("CA", None, "Montreal", ["French"]),
    ("CA", None, "Moncton", ["English", "French"]),
    ("CA", None, "Toronto", ["English"]),
    ("BE", None, None, ["Dutch", "French", "German"]),
    ("BE", None, "Antwerp", ["Dutch"]),
    ("BE", None, "Liège", ["French", "German"]),
    ("BE", None, "Brussels", ["French", "Dutch"]),
    ("CH", None, None, ["German", "French", "Italian", "Romansh"]),
    ("CH", None, "Geneva", ["French"]),
    ("CH", None, "Zurich", ["German"]),
    ("CH", None, "Lugano", ["Italian"]),
    ("IT", None, "Rome", ["Italian"]),
    ("IT", None, "Aosta", ["Italian", "French"]),
    ("IT", None, "Bolzano", ["Italian", "German", "Ladin"]),
    ("NL", None, "Leeuwarden", ["Dutch", "West Frisian"]),
    ("NL", None, "Amsterdam", ["Dutch"]),
    ("DE", "Baden-Württemberg", "Freiburg im Breisgau", ["German"]),
    ("FR", "Pays de la Loire", "Nantes", ["French"]),
    ("PT", None, "Porto", ["Portuguese"]),
    ("IN", None, None, ["Hindi", "English"]),
    ("IN", None, "Mumbai", ["Marathi", "English"]),
    ("IN", "Tamil Nadu", None, ["Tamil", "English"]),
    ("IN", None, "Kolkata", ["Bengali", "English"]),
    ("IN", None, "Lucknow", ["Hindi", "Urdu", "English"]),
    ("IN", None, "Jaipur", ["Hindi", "English"]),
    ("RU", "Irkutsk Oblast", "Irkutsk", ["Russian"]),
    ("RU", None, "Kazan", ["Russian", "Tatar"]),
    ("UA", None, "Lviv", ["Ukrainian"]),
    ("BY", None, None, ["Belarusian", "Russian"]),
    ("KZ", None, None, ["Kazakh", "Russian"]),
    ("NO", None, "Bergen", ["Norwegian"]),
    ("FI", None, "Helsinki", ["Finnish", "Swedish"]),
    ("LU", None, None, ["Luxembourgish", "French", "German"]),
    ("EG", None, "Alexandria", ["Arabic"]),
    ("MA", "Fès-Meknès", "Fez", ["Arabic", "Amazigh (Berber)"]),
    ("TN", None, None, ["Arabic"]),
    ("AE", None, "Sharjah", ["Arabic"]),
    ("IL", None, None, ["Hebrew", "Arabic (special status)"]),
    ("SN", None, "Saint-Louis", ["French"]),
    ("NG", None, "Lagos", ["English"]),
    ("KE", None, "Nairobi", ["Swahili", "English"]),
    ("NZ", None, "Wellington", ["English", "Māori", "New Zealand Sign Language"]),
    ("AU", "New South Wales", "Sydney", ["English"]),
    ("MX", "Jalisco", "Guadalajara", ["Spanish"]),
    ("BR", "Paraná", "Curitiba", ["Portuguese"]),
    ("PE", None, "Lima", ["Spanish", "Quechua"]),
    ("BO", None, None, ["Spanish", "Quechua", "Aymara"]),
    ("PH", None, "Cebu City", ["Filipino", "English"]),
    ("PK", None, None, ["Urdu", "English"]),
    ("BD", None, None, ["Bengali"]),
    ("AF", None, None, ["Pashto", "Dari"]),
]


@pytest.mark.parametrize(("country", "region", "place", "expected"), EXPECTED)
def test_languages_as_a_protocol_officer_writes_them(
    country: str, region: str | None, place: str | None, expected: list[str]
) -> None:
    assert languages.official(country, region, place) == expected


def test_the_table_covers_thirty_countries_and_their_regions() -> None:
    assert len({country for country, *_ in EXPECTED}) >= 30
    assert sum(1 for _c, region, place, _e in EXPECTED if region or place) >= 30


SCRIPTS = re.compile(r"Traditional|Simplified|Latin|Cyrillic|Hant|Hans|Arab\b")


def test_no_country_lists_a_script_a_code_or_a_language_twice() -> None:
    for code in partner_countries():
        names = languages.official(code)
        assert names, code
        assert len(names) == len(set(names)), (code, names)
        for name in names:
            assert not SCRIPTS.search(name), (code, name)
            assert name[0].isupper(), (code, name)  # a name, never a bare code ('zdj')


def test_a_country_without_a_language_in_law_says_so() -> None:
    assert languages.official_text("MX", "Jalisco") == (
        "Spanish (in practice; none is official in law)"
    )
    assert languages.official_text("ES", None, "València") == "Spanish, Valencian (Catalan)"
    assert languages.official_text(None) == ""
    assert languages.official("mx") == ["Spanish"]
