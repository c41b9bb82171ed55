"""The details that make the demo city read true: each country's telephone format, the
U.S. posts abroad, objectives that follow a partnership's priorities, dress that fits the
event, and a plan for each meeting. All people and numbers are invented."""

from __future__ import annotations

import random
import re

# Calling code, then the digit groups of a national number there.
PHONE_FORMATS: dict[str, tuple[str, tuple[int, ...]]] = {
    "US": ("1", (3, 3, 4)),
    "JP": ("81", (2, 4, 4)),
    "CN": ("86", (3, 4, 4)),
    "TW": ("886", (1, 4, 4)),
    "KR": ("82", (2, 4, 4)),
    "VN": ("84", (3, 3, 4)),
    "RU": ("7", (3, 3, 4)),
    "UA": ("380", (2, 3, 4)),
    "EG": ("20", (2, 4, 4)),
    "MA": ("212", (3, 2, 4)),
    "AE": ("971", (1, 3, 4)),
    "MX": ("52", (2, 4, 4)),
    "ES": ("34", (3, 3, 3)),
    "BR": ("55", (2, 4, 4)),
    "PT": ("351", (3, 3, 3)),
    "DE": ("49", (3, 4, 4)),
    "FR": ("33", (1, 2, 2, 2, 2)),
    "SN": ("221", (2, 3, 4)),
}


def phone(country: str | None, rng: random.Random) -> str:
    """A made-up number in the country's own format: '+81 52 5550 1234'."""
    code, groups = PHONE_FORMATS.get(country or "", PHONE_FORMATS["US"])
    if code == "1":  # 555-01xx is set aside for fiction in North America
        return f"+1 503 555 01{rng.randrange(100):02d}"
    digits = [str(rng.randrange(1, 10) if n == 0 else rng.randrange(10)) for n in range(20)]
    parts, at = [], 0
    for size in groups:
        parts.append("".join(digits[at : at + size]))
        at += size
    return f"+{code} " + " ".join(parts)


# The U.S. post nearest each partner: (name, city, phone); public switchboards.
US_POSTS: dict[str, list[tuple[str, str, str]]] = {
    "JP": [
        ("Embassy of the United States, Tokyo", "Tokyo", "+81 3 3224 5000"),
        ("U.S. Consulate General Osaka-Kobe", "Osaka", "+81 6 6315 5900"),
    ],
    "CN": [("U.S. Consulate General Shanghai", "Shanghai", "+86 21 8011 2400")],
    "KR": [("Embassy of the United States, Seoul", "Seoul", "+82 2 397 4114")],
    "TW": [
        ("American Institute in Taiwan, Kaohsiung Branch Office", "Kaohsiung", "+886 7 335 5006")
    ],
    "VN": [("U.S. Consulate General Ho Chi Minh City", "Ho Chi Minh City", "+84 28 3520 4200")],
    "RU": [("Embassy of the United States, Moscow", "Moscow", "+7 495 728 5000")],
    "UA": [("Embassy of the United States, Kyiv", "Kyiv", "+380 44 521 5000")],
    "EG": [("Embassy of the United States, Cairo", "Cairo", "+20 2 2797 3300")],
    "MA": [("U.S. Consulate General Casablanca", "Casablanca", "+212 522 642 099")],
    "AE": [("U.S. Consulate General Dubai", "Dubai", "+971 4 309 4000")],
    "MX": [("U.S. Consulate General Guadalajara", "Guadalajara", "+52 33 3268 2100")],
    "ES": [("Embassy of the United States, Madrid", "Madrid", "+34 91 587 2200")],
    "BR": [("U.S. Consulate General São Paulo", "São Paulo", "+55 11 3250 5000")],
    "PT": [("Embassy of the United States, Lisbon", "Lisbon", "+351 21 727 3300")],
    "DE": [("U.S. Consulate General Frankfurt", "Frankfurt am Main", "+49 69 7535 0")],
    "FR": [("Embassy of the United States, Paris", "Paris", "+33 1 43 12 22 22")],
    "SN": [("Embassy of the United States, Dakar", "Dakar", "+221 33 879 4000")],
}

# What a visit sets out to do, by the partnership's priority areas.
OBJECTIVES: dict[str, list[str]] = {
    "culture_education": [
        "Agree on the dates and host schools for next summer's youth exchange.",
        "Confirm the 50/50 cost share for the joint art exhibition.",
        "Sign the letter of intent for a university faculty exchange.",
    ],
    "economic_development": [
        "Introduce three Port Meridian exporters to the chamber of commerce.",
        "Scope a trade office in the downtown innovation district.",
        "Agree on a date for a reciprocal business delegation.",
    ],
    "tourism": [
        "Launch the joint tourism campaign with both visitors' bureaus.",
        "Secure airline interest in a seasonal direct route.",
    ],
    "technology": [
        "Set up a working group on smart-port data sharing.",
        "Match two start-ups with their incubator program.",
    ],
    "climate_sustainability": [
        "Agree on the indicators for the joint climate action report.",
        "Visit the district heating plant and invite its engineers to Oregon.",
    ],
    "governance": [
        "Share our participatory budgeting model with their council staff.",
        "Agree on a staff exchange between the two city halls.",
    ],
    "public_health": [
        "Confirm the shipment of donated ambulances and medical supplies.",
        "Pair our county health department with their municipal hospital.",
    ],
    "migration": ["Open a consular services day for their community in Port Meridian."],
}
RENEWAL = "Decide, with the partner, whether to renew the partnership's work plan."
REVIVE = "Test whether there is will on both sides to revive the partnership."

AVOID: dict[str, str] = {
    "suspended": "Any public statement that implies the suspension is lifted.",
    "dormant": "Promising funding the council has not approved.",
    "lapsed": "Signing anything before the council votes on renewal.",
    "ended": "Reopening the terms of the ended agreement.",
}
AVOID_ANY = [
    "Committing the mayor to a return visit before the budget is set.",
    "Photographs with the gift before it is declared.",
    "Discussing the port labor dispute on the record.",
    "Scheduling anything that runs into their evening prayers.",
    "Any comment on national politics.",
]

HOTELS: dict[str, str] = {
    "JP": "Hotel Ichibata, 30 Chidori-cho",
    "CN": "Pan Pacific, 259 Xinshi Road",
    "KR": "Ramada, 227 Girin-daero",
    "TW": "Silks Place, 1 Heyi Road",
    "MX": "Hotel Morales, Av. Ramón Corona 243",
    "ES": "Hotel Inglés, Carrer del Marqués de Dos Aigües 6",
    "FR": "Hôtel La Pérouse, 3 allée Duquesne",
    "DE": "Hotel Oberkirch, Münsterplatz 22",
}
OUR_HOTEL = "The Meridian Waterfront Hotel, 200 Harbor Drive"


def dress_for(kind: str, title: str) -> str:
    """What the event calls for: black tie for a gala, business for a working meeting,
    business casual on a site visit."""
    # Whole words: a working session on "tourism" is no "tour".
    words = set(re.findall(r"\w+", title.casefold()))
    lowered = " ".join(re.findall(r"\w+", title.casefold()))
    if "gala" in words or "state dinner" in lowered:
        return "formal"
    if kind == "ceremony" or "dinner" in words:
        return "business"
    if kind in ("site_visit", "travel") or "tour" in words:
        return "business_casual"
    if kind == "cultural" or words & {"festival", "reception"}:
        return "business_casual"
    return "business"


def run_of_show(hour: int, minute: int, host: str, guest: str) -> str:
    def at(offset: int) -> str:
        total = hour * 60 + minute + offset
        return f"{total // 60}:{total % 60:02d}"

    return "\n".join(
        [
            f"{at(0)} Arrival and greeting at the entrance ({host}'s protocol staff)",
            f"{at(10)} Opening remarks: {host}, then {guest}",
            f"{at(30)} Discussion of the agenda items",
            f"{at(70)} Exchange of gifts",
            f"{at(80)} Photo and departure",
        ]
    )
