"""The people's alphabet: names in the order a person looks for them in a directory.

A contact book of foreign names is sorted as the Unicode Collation Algorithm's root
order (CLDR's, which U.S. English uses unchanged) sorts them, in three levels:

1. letters, with accents and case set aside: "Gómez" sorts with "Gomez", before
   "Gross"; "Sören" before "Stefan"; "ß" as "ss", "æ" as "ae", "œ" as "oe", "þ" as
   "th"; "ø", "ł", "đ", "ð", "ħ", "ı" as the letter they are drawn from;
2. then accents, where the letters tie: "Gomez" before "Gómez";
3. then case and written forms, where those tie too: "gomez" before "Gomez", "ss"
   before "ß", hiragana before katakana.

Before the letters come spaces, then punctuation and symbols, then digits (digit by
digit: "10" before "9", as the root order has it). Other scripts follow the Latin
alphabet in the order Unicode encodes them (Greek, Cyrillic, Hebrew, Arabic, the Indic
scripts, Thai, Hangul, kana, Han): each in a stable order of its own.

`key()` turns text into a string whose plain code-point order is this order, so SQLite
compares it byte by byte (`BINARY`) and an index on it gives a list in order without
sorting. Lists keep such a key in a column beside each name they sort by (the store
fills it on every write). A stored key is only as good as its agreement with the keys
stored before it: a change here changes where existing records sort until they are
keyed again, so it goes with a migration that keys every row anew (see `KEY_VERSION`).

The key is plain Python (Unicode data from `unicodedata`), not ICU: ICU's keys change
with its version, and a file would then sort one way on one machine and another on the
next.
"""

from __future__ import annotations

import functools
import unicodedata

__all__ = ["KEY_VERSION", "key", "nullable_key"]

# Raised with any change to what `key` returns, together with a migration that keys
# every stored row anew (schema 11 keyed them with version 1).
KEY_VERSION = 1

# Every character of a key is printable (a dump or a JSON list shows keys as they are).
# The key's levels are parted by the lowest of them, the space, so a shorter level sorts
# first; nothing a level holds is a space.
_LEVEL = " "
# Between the parts of a key of several fields (family name, then given name): below
# what a space in a name weighs, so "Li" + "Wei" sorts before "Li Na" + anything.
_PART = "!"
# A letter's accents are its marks, each element's closed by this (the lowest after
# the level mark): no accent sorts before any accent.
_END = "!"
# Third level: small, then a small variant (a compatibility form, an expansion such as
# "ß", katakana), then capital, then a capital variant.
_SMALL, _SMALL_VARIANT, _CAPITAL, _CAPITAL_VARIANT = "!", '"', "#", "$"

# Spaces, punctuation and symbols, before digits and letters, in the root order's
# groups: _ - , ; : ! ? . ' " brackets, other punctuation, then symbols.
_SPACE = '"'
_PUNCTUATION = {
    "_": "#",
    ",": "%",
    ";": "&",
    ":": "'",
    "!": "(",
    "?": ")",
    ".": "*",
    "'": "+",
    "\u2019": "+",  # right single quotation mark, the usual apostrophe in names
    "\u2018": "+",
    "\u02bc": "+",  # modifier letter apostrophe (ŉ, Hawaiian and Arabic transliteration)
    "\u02bb": "+",  # ʻokina
    "\u02bf": "+",  # ʿ (ayin)
    "\u02be": "+",  # ʾ (hamza)
    '"': ",",
}
_DASH, _QUOTE, _BRACKET, _OTHER_PUNCTUATION, _SYMBOL = "$", ",", "-", ".", "/"

# Letters the root order reads as others, or as a letter with a mark of its own (the
# letter itself stands for that mark, at the second level).
_LETTERS: dict[str, tuple[str, str, bool]] = {
    # letter: (read as, its mark at the second level, a variant at the third)
    "æ": ("ae", "", True),
    "œ": ("oe", "", True),
    "þ": ("th", "", True),
    "ø": ("o", "ø", False),
    "ł": ("l", "ł", False),
    "đ": ("d", "đ", False),
    "ð": ("d", "ð", False),
    "ħ": ("h", "ħ", False),
    "ŧ": ("t", "ŧ", False),
    "ı": ("i", "ı", False),
    "ŀ": ("l", "ŀ", False),
    "ŋ": ("n", "ŋ", False),
    "ƒ": ("f", "ƒ", False),
    "ƀ": ("b", "ƀ", False),
    "ɨ": ("i", "ɨ", False),
    "ʉ": ("u", "ʉ", False),
    "ɗ": ("d", "ɗ", False),
    "ɓ": ("b", "ɓ", False),
    "ƙ": ("k", "ƙ", False),
    "ƴ": ("y", "ƴ", False),
}


def _ignored(char: str) -> bool:
    """Arabic's tatweel (it only stretches a word), the combining grapheme joiner and
    variation selectors (which pick a glyph, as Japanese names' ideographs may)."""
    return (
        char in "\u0640\u034f"
        or "\ufe00" <= char <= "\ufe0f"
        or "\U000e0100" <= char <= "\U000e01ef"
    )


_Element = tuple[str, str, str]  # first level (one character), accents, third level
# An accent with no letter before it in its character: it joins the letter before.
_JOINS = "\x00"


class _Table(dict[int, str]):
    """A character's weights at one level, worked out the first time it is met (a
    translation table: `str.translate` weighs a whole name in one call)."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def __missing__(self, code: int) -> str:
        elements = _elements(chr(code))
        if self.level == 1:
            found = "".join(weight for weight, _marks, _case in elements if weight)
        elif self.level == 2:
            found = "".join(marks + _END for weight, marks, _case in elements if weight)
            if elements and not elements[0][0]:
                found = _JOINS + elements[0][1] + _END + found
        else:
            found = "".join(case for weight, _marks, case in elements if weight)
        self[code] = found
        return found


_FIRST, _SECOND, _THIRD = _Table(1), _Table(2), _Table(3)


def key(*parts: str | None) -> str:
    """Text (or several fields of it, compared field by field: a family name, then a
    given name) as a key whose code-point order is the people's alphabet; "" for none."""
    first, accents, third = [], [], []
    for part in parts:
        found = _weigh(part) if part else None
        if found is not None:
            first.append(found[0])
            accents.append(found[1])
            third.append(found[2])
    result = _PART.join(first)
    second = _END.join(accents).rstrip(_END)
    cases = _SMALL.join(third).rstrip(_SMALL)
    if cases:
        return f"{result}{_LEVEL}{second}{_LEVEL}{cases}"
    if second:
        return f"{result}{_LEVEL}{second}"
    return result


# A contact book repeats its words (family names, given names, titles): each is weighed
# once.
@functools.lru_cache(maxsize=16384)
def _weigh(part: str) -> tuple[str, str, str] | None:
    """One field's weights at each level (accents and cases in full, one element each),
    or None when nothing in it weighs."""
    text = " ".join(part.split())
    if text.isascii():  # most names: weighed byte by byte, with no accents
        ascii_text = text.encode("ascii")
        weights = ascii_text.translate(_ASCII_FIRST, _ASCII_IGNORED).decode("ascii")
        if not weights:
            return None
        cases = ascii_text.translate(_ASCII_THIRD, _ASCII_IGNORED).decode("ascii")
        return weights, _END * len(weights), cases
    text = unicodedata.normalize("NFC", text)
    weights = text.translate(_FIRST)
    if not weights:
        return None
    marks = text.translate(_SECOND).replace(_END + _JOINS, "")
    while marks.startswith(_JOINS):  # accents on nothing at all
        marks = marks[marks.index(_END) + 1 :]
    return weights, marks, text.translate(_THIRD)


def nullable_key(*parts: str | None) -> str | None:
    """A stored key: None where the field it sorts by is empty, so empty values sort
    last whichever way a list runs (as lists sort by their other columns)."""
    if parts and (parts[0] is None or not str(parts[0]).strip()):
        return None
    return key(*parts)


def _elements(char: str) -> tuple[_Element, ...]:
    """What one character (as NFC leaves it) weighs at each level."""
    if _ignored(char):
        return ()
    category = unicodedata.category(char)
    if category in ("Cc", "Cf", "Cs"):
        return ()  # controls, direction marks, joiners: not part of the name
    if char.isspace():
        return ((_SPACE, "", _SMALL),)
    if char in _PUNCTUATION:
        return ((_PUNCTUATION[char], "", _SMALL),)
    decomposed = unicodedata.normalize("NFKD", char)
    variant = decomposed != unicodedata.normalize("NFD", char)
    found: list[_Element] = []
    for piece in decomposed:
        if _ignored(piece):
            continue
        if unicodedata.combining(piece):
            if found:
                found[-1] = (found[-1][0], found[-1][1] + piece, found[-1][2])
            else:
                found.append(("", piece, ""))
            continue
        found += _base(piece, variant)
    return tuple(found)


def _base(piece: str, variant: bool) -> list[_Element]:
    category = unicodedata.category(piece)
    if piece.isspace():
        return [(_SPACE, "", _SMALL)]
    if piece in _PUNCTUATION:
        return [(_PUNCTUATION[piece], "", _SMALL)]
    if category[0] == "P":
        group = {"Pd": _DASH, "Pi": _QUOTE, "Pf": _QUOTE, "Ps": _BRACKET, "Pe": _BRACKET}
        weight = group.get(category, _PUNCTUATION["_"] if category == "Pc" else _OTHER_PUNCTUATION)
        return [(weight, "", _SMALL)]
    if category[0] == "S":
        return [(_SYMBOL, "", _SMALL)]
    if category == "Nd":
        digit = unicodedata.decimal(piece)
        return [(str(digit), "", _SMALL_VARIANT if variant or piece > "9" else _SMALL)]
    capital = piece.isupper() or category == "Lt"
    folded = piece.casefold()
    mark = ""
    if folded in _LETTERS:
        folded, mark, expanded = _LETTERS[folded]
        variant = variant or expanded
    elif len(folded) > 1 or folded != piece.lower():
        variant = True  # ß as "ss"
    elif "\u30a1" <= folded <= "\u30f6":
        folded = chr(ord(folded) - 0x60)  # katakana as the hiragana of the same sound
        variant = True
    if capital:
        case = _CAPITAL_VARIANT if variant else _CAPITAL
    else:
        case = _SMALL_VARIANT if variant else _SMALL
    elements = [(letter, "", case) for letter in folded]
    if elements:
        elements[0] = (elements[0][0], mark, case)
    return elements


def _ascii_tables() -> tuple[bytes, bytes, bytes]:
    """The weights of ASCII's characters as byte tables, from `_elements` itself."""
    first, third, ignored = bytearray(range(256)), bytearray(range(256)), bytearray()
    for code in range(128):
        elements = _elements(chr(code))
        if not elements:
            ignored.append(code)
            continue
        ((weight, _marks, case),) = elements
        first[code], third[code] = ord(weight), ord(case)
    return bytes(first), bytes(third), bytes(ignored)


_ASCII_FIRST, _ASCII_THIRD, _ASCII_IGNORED = _ascii_tables()
