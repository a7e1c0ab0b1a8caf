"""Vietnamese text normalization: display forms and comparison keys.

Two separate ideas live here:

* ``clean`` gives the form we *show*: NFC, trimmed, spaces collapsed.
* ``fold`` gives the form we *compare*: case-insensitive and blind to where
  the tone mark sits ("hoá" == "hóa", "thuỷ" == "thủy"), but never blind to
  the tone itself or to the vowel shape ("Đông" != "Đâng").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "CONTROL",
    "clean",
    "display_name",
    "fold",
    "proper_case",
    "roman_numeral",
    "strip_prefix",
    "years_in",
]

# Combining tone marks (huyền, sắc, ngã, hỏi, nặng). Vowel-shape marks
# (circumflex, breve, horn) are not tones and stay where they are.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_SPACES = re.compile(r"\s+")
_SYLLABLE = re.compile(r"\w+")
# Control characters that no cell text means (tab, line feed and carriage return are text).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# The title-case letters (Unicode category Lt: "ǅ", "ᾈ", ...), the only ones besides
# lower-case letters that make str.isupper() false.
_TITLE_CASE = re.compile(
    "[\u01c5\u01c8\u01cb\u01f2\u1f88-\u1f8f\u1f98-\u1f9f\u1fa8-\u1faf\u1fbc\u1fcc\u1ffc]"
)


@lru_cache(maxsize=1 << 16)  # status words, headers and names recur in every file
def clean(text: str) -> str:
    """NFC, no control characters, trimmed, inner whitespace collapsed."""
    text = unicodedata.normalize("NFC", text)
    text = CONTROL.sub("", text).replace("\u00a0", " ")
    return _SPACES.sub(" ", text).strip()


def _fold_syllable(match: re.Match[str]) -> str:
    return _fold_word(match.group())


@lru_cache(maxsize=1 << 16)  # a language's syllables are few: names are made of the same ones
def _fold_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in _TONES]
    base = "".join(c for c in decomposed if c not in _TONES)
    # The tone is moved to the end of the syllable, so its position in the
    # source (old or new style) no longer matters.
    return unicodedata.normalize("NFC", base) + "".join(tones)


@lru_cache(maxsize=1 << 16)  # the same words (status marks, headers) recur in every file
def fold(text: str) -> str:
    """Comparison key: cleaned, case-folded, tone placement made canonical."""
    # NFC again at the end: a tone moved to the end of a syllable may now stand before a
    # combining mark outside it (a nukta), and only canonical order makes fold idempotent.
    return unicodedata.normalize("NFC", _SYLLABLE.sub(_fold_syllable, clean(text).casefold()))


def proper_case(text: str) -> str:
    """Title-case a name written in capitals ("ĐÔN PHONG" -> "Đôn Phong").

    Words holding a digit ("1A") are kept as they are; a name that already
    has lower-case letters is returned unchanged.
    """
    # str.isupper() decides it in C: some capital and no lower-case letter. Only a
    # title-case letter, which also makes it false, needs a look letter by letter.
    if not text.isupper() and (
        not _TITLE_CASE.search(text) or any(c.islower() for c in text) or not any(c.isupper() for c in text)
    ):
        return text
    words = []
    for word in text.split(" "):
        if any(c.isdigit() for c in word):
            words.append(word)
        else:
            words.append(word[:1].upper() + word[1:].lower())
    return " ".join(words)


def strip_prefix(text: str, prefixes: tuple[str, ...]) -> str:
    """Drop a leading unit word ("Thôn Nà Rào" -> "Nà Rào").

    The prefix is kept when what follows starts with a digit: "Thôn 1" is a
    name, not the village "1".
    """
    folded = fold(text)
    for prefix in prefixes:
        key = fold(prefix) + " "
        if folded.startswith(key):
            rest = text.split(" ", len(prefix.split(" ")))[-1].lstrip(" :.-")
            if rest and not rest[0].isdigit():
                return rest
    return text


@lru_cache(maxsize=1 << 16)  # every name is shown in several places
def display_name(text: str, prefixes: tuple[str, ...] = ()) -> str:
    """The form of a commune or village name shown in every output."""
    name = clean(text)
    if prefixes:
        name = strip_prefix(name, prefixes)
    return proper_case(name)


def roman_numeral(number: int) -> str:
    """The group numbers of the detailed table: I, II, III, ..."""
    numerals = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    out = []
    for value, numeral in numerals:
        while number >= value:
            out.append(numeral)
            number -= value
    return "".join(out)


def years_in(text: str) -> list[int]:
    """The years a period or title names, in order: "6 tháng đầu năm 2024" -> [2024]."""
    return [int(m.group()) for m in _YEAR.finditer(text)]
