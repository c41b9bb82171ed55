"""How names are compared when two lists name the same thing their own ways: any case,
accents and punctuation aside ("São Paulo" is "sao paulo"), a place without the words
lists add to it ("City of Kobe" is "Kobe"), a network by any of its names ("ICLEI" is
"Local Governments for Sustainability")."""

from __future__ import annotations

import re
import unicodedata


def normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


# Words a place's name carries in one list and not in another: "Da Nang City" is
# "Da Nang", "City of Kobe" is "Kobe", "St. Louis" is "Saint-Louis".
_PLACE_WORDS = frozenset(
    {"city", "of", "the", "municipality", "metropolitan", "prefecture", "county", "state"}
)
_SAINTS = {"st": "saint", "ste": "sainte", "sta": "santa", "sto": "santo"}


def place_name(normalised: str) -> str:
    """A place's name as lists of the same place agree on it (already normalised)."""
    words = [_SAINTS.get(w, w) for w in normalised.split()]
    kept = [w for w in words if w not in _PLACE_WORDS]
    return " ".join(kept or words)


# City networks and associations a list of partners may name where a place would be: such
# a row is a network membership, whatever its Country column says ("Global", "—"). Some
# are U.S. associations (Sister Cities International), which the survey does not count as
# international: that is decided by the network's own country, not here.
NETWORKS = (
    "iclei",
    "c40",
    "uclg",
    "united cities and local governments",
    "mayors for peace",
    "global covenant of mayors",
    "strong cities network",
    "welcoming america",
    "sister cities international",
    "eurocities",
    "100 resilient cities",
    "resilient cities network",
    "cities alliance",
    "local governments for sustainability",
    "global parliament of mayors",
    "league of historical cities",
    "unesco creative cities",
    "creative cities network",
)


# Names that are the same network: "ICLEI" is "Local Governments for Sustainability".
_SAME_NETWORK = {
    "local governments for sustainability": "iclei",
    "united cities and local governments": "uclg",
    "100 resilient cities": "resilient cities network",
    "unesco creative cities": "creative cities network",
}


def network_named(text: str | None) -> str | None:
    """The international network a partner's name names (ICLEI, C40, UCLG...), as one
    key whichever of its names is written; None when it names none."""
    folded = f" {normalise(text or '')} "
    for name in NETWORKS:
        if f" {name} " in folded or folded.strip().startswith(name):
            return _SAME_NETWORK.get(name, name)
    return None


def names_a_network(text: str | None) -> bool:
    """Whether a partner's name is an international network's (ICLEI, C40, UCLG...)."""
    return network_named(text) is not None
