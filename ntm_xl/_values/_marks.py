"""Status words: what a cell says about one criterion of one village."""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .._common._text import clean, fold

__all__ = [
    "MET_SYMBOL",
    "MET_WORD",
    "NOT_MET_SYMBOL",
    "NOT_MET_WORD",
    "Mark",
    "MarkReading",
    "PairPart",
    "UnmetList",
    "parse_unmet_list",
    "read_mark",
    "read_numeric_mark",
    "read_pair_part",
    "read_word_marks",
]

MET_WORD = "Đạt"
NOT_MET_WORD = "Chưa đạt"
# Symbols in the summary's detailed table; both are status words the reader accepts, so the
# table can be read back (a previous period's summary is).
MET_SYMBOL = "x"
NOT_MET_SYMBOL = "-"


class Mark(enum.Enum):
    MET = "met"
    NOT_MET = "not_met"


class MarkReading(enum.Enum):
    """How a cell's content was understood."""

    MET = "met"
    NOT_MET = "not_met"
    BASICALLY_MET = "basically_met"  # "Cơ bản đạt": counts as not met, with a warning
    BLANK = "blank"
    UNKNOWN = "unknown"

    @property
    def mark(self) -> Mark | None:
        if self is MarkReading.MET:
            return Mark.MET
        if self in (MarkReading.NOT_MET, MarkReading.BASICALLY_MET):
            return Mark.NOT_MET
        return None


def _keys(*words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


# Words typed without Vietnamese input ("dat", "chua dat") are accepted too:
# they are unambiguous and common on machines without a Vietnamese keyboard.
_MET = _keys("đạt", "đ", "x", "✓", "✔", "☑", "dat", "có", "co", "yes")
_NOT_MET = _keys(
    "chưa đạt",
    "không đạt",
    "cđ",
    "kđ",
    "-",
    "–",
    "—",
    "✗",
    "✘",
    "☒",
    "chua dat",
    "khong dat",
    "cd",
    "kd",
    "không",
    "khong",
    "chưa",
    "chua",
)
_BASICALLY_MET = _keys("cơ bản đạt", "cbđ", "co ban dat", "cbd")
_TRAILING = re.compile(r"[\s.;,:!]+$")
# "Đạt (100%)", "Chưa đạt (85%)": the share of the criterion's indicators reached, after the word.
_SHARE = re.compile(r"\s*\(\s*\d{1,3}(?:[.,]\d+)?\s*%\s*\)$")


def read_mark(value: object) -> MarkReading:
    """Understand one status cell; numbers, dates and the like are UNKNOWN."""
    if value is None or value == "":
        return MarkReading.BLANK
    if not isinstance(value, str):
        return MarkReading.UNKNOWN
    return _read_text_mark(value)


@lru_cache(maxsize=4096)
def _read_text_mark(value: str) -> MarkReading:
    text = clean(value)
    if not text:
        return MarkReading.BLANK
    key = fold(_TRAILING.sub("", text)) or fold(text)
    share = _SHARE.search(key)
    if share is not None and share.start() > 0:
        key = key[: share.start()]
    if key in _MET:
        return MarkReading.MET
    if key in _NOT_MET:
        return MarkReading.NOT_MET
    if key in _BASICALLY_MET:
        return MarkReading.BASICALLY_MET
    return MarkReading.UNKNOWN


def read_word_marks(values: tuple[object, ...]) -> tuple[MarkReading, ...] | None:
    """``read_mark`` of each cell of a row whose cells are all text, in one pass at C speed
    (a province has hundreds of thousands); None when some cell is not text."""
    if set(map(type, values)) != {str}:
        return None
    return tuple(map(_read_text_mark, values))


def read_numeric_mark(value: object) -> MarkReading:
    """A cell of a column of 1/0 marks: 1 is met, 0 not met, text as ``read_mark``; other numbers UNKNOWN."""
    if isinstance(value, bool):
        return MarkReading.UNKNOWN
    if isinstance(value, (int, float)):
        if value == 1:
            return MarkReading.MET
        if value == 0:
            return MarkReading.NOT_MET
        return MarkReading.UNKNOWN
    if isinstance(value, str) and clean(value) in ("1", "0"):
        return MarkReading.MET if clean(value) == "1" else MarkReading.NOT_MET
    return read_mark(value)


class PairPart(enum.Enum):
    """What one sub-cell of a "Đạt" | "Chưa đạt" pair says."""

    MARKED = "marked"
    EMPTY = "empty"  # blank, or a dash or 0 written for "not this one"
    UNKNOWN = "unknown"


_TICKS = _keys("x", "✓", "✔", "☑", "v", "+", "có", "co")
_EMPTY_PART = _keys("-", "–", "—", "0", "không", "khong", "o")
_NOT_MET_NAMES = _keys(
    "chưa đạt", "không đạt", "cđ", "kđ", "chua dat", "khong dat", "cd", "kd", "✗", "✘", "☒"
)


def read_pair_part(value: object, *, met_column: bool) -> PairPart:
    """One sub-cell: a tick (or the column's own word, or 1) marks it; blank, "-" or 0 leaves it empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return PairPart.EMPTY
    if isinstance(value, bool):
        return PairPart.UNKNOWN
    if isinstance(value, (int, float)):
        return PairPart.MARKED if value == 1 else PairPart.EMPTY if value == 0 else PairPart.UNKNOWN
    if not isinstance(value, str):
        return PairPart.UNKNOWN
    key = fold(_TRAILING.sub("", clean(value))) or fold(value)
    if key in _TICKS or key == "1":
        return PairPart.MARKED
    if key in _EMPTY_PART:
        return PairPart.EMPTY
    reading = read_mark(value)
    if met_column and reading is MarkReading.MET:
        return PairPart.MARKED
    if not met_column and key in _NOT_MET_NAMES:
        return PairPart.MARKED
    return PairPart.UNKNOWN


@dataclass(frozen=True)
class UnmetList:
    """A list-of-unmet-criteria cell understood: which criteria it names, and what it could not read."""

    numbers: tuple[int, ...]  # criteria of the set it names, in the order written, once each
    outside: tuple[int, ...] = ()  # numbers that are not criteria of the set
    unknown: tuple[str, ...] = ()  # items that are not criterion numbers or names
    blank: bool = False  # nothing written: missing data, never "all met"

    @property
    def understood(self) -> bool:
        return not (self.blank or self.outside or self.unknown)


# Items are split on commas, semicolons, slashes, "+", "&", line breaks and the word "và" (and).
_LIST_SPLIT = re.compile(r"(\s*(?:[,;/+&\n]|(?<!\w)(?:và|va|VÀ|VA|Và|Va)(?!\w))\s*)")
# Items are then matched without accents, so "tiêu chí", "tieu chi" and "TIÊU CHÍ" are one word:
# "TC 7", "TC7", "tiêu chí 10", "tiêu chí số 10", "các tiêu chí", "số 7" are the words before a number.
_LIST_PREFIX = re.compile(r"^(?:cac\s+)?(?:(?:tieu\s*chi|tc)\.?\s*)?(?:so\s*)?")
_LIST_RANGE = re.compile(r"^(\d{1,3})\s*(?:-|–|den)\s*(\d{1,3})$")
_LIST_NONE = frozenset(("khong", "khong co", "khong co tieu chi nao", "dat du", "dat tat ca"))
_PARENTHESES = re.compile(r"\([^()]*\)")
_LONGEST_NAME = 4  # items a criterion's name may span ("Hương ước, quy ước": two)


def _plain(text: str) -> str:
    """Lower case without accents: "Tiêu chí số" -> "tieu chi so"."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _list_items(body: str, by_name: dict[str, int]) -> list[tuple[str, int | None]]:
    """The items of a list, each with the criterion it names when it is a name; a name holding a
    comma or "và" ("Hương ước, quy ước") is kept whole."""
    parts = _LIST_SPLIT.split(body)
    words, separators = parts[0::2], parts[1::2]
    items: list[tuple[str, int | None]] = []
    i = 0
    while i < len(words):
        for span in range(min(_LONGEST_NAME, len(words) - i), 0, -1):
            joined = "".join(
                w + (separators[i + k] if k < span - 1 else "") for k, w in enumerate(words[i : i + span])
            )
            named = by_name.get(fold(joined.strip(" .:-")))
            if named is not None or span == 1:
                items.append((joined.strip(" .:-"), named))
                i += span
                break
    return items


@lru_cache(maxsize=4096)
def _parse_unmet_text(text: str, numbers: tuple[int, ...], names: tuple[tuple[str, int], ...]) -> UnmetList:
    cleaned = clean(text)
    if not cleaned:
        return UnmetList((), blank=True)
    if _plain(_TRAILING.sub("", cleaned)) in _LIST_NONE:
        return UnmetList(())
    known = set(numbers)
    found: list[int] = []
    outside: list[int] = []
    unknown: list[str] = []
    # A name in brackets after a number ("TC 7 (Cơ sở vật chất văn hoá)") only repeats it.
    for raw, named in _list_items(_PARENTHESES.sub(" ", cleaned), dict(names)):
        item = _LIST_PREFIX.sub("", _plain(raw)).strip(" .:")
        if named is None and ":" in item:
            item = item.rsplit(":", 1)[1].strip()  # "Các tiêu chí chưa đạt: 7"
        if named is None and not item:
            continue  # a heading word alone, or an empty item between two commas
        spans: list[int] = []
        if named is not None:
            spans = [named]
        elif item.isdigit():
            spans = [int(item)]
        elif (span := _LIST_RANGE.match(item)) is not None and int(span[1]) < int(span[2]):
            spans = list(range(int(span[1]), int(span[2]) + 1))
        else:
            unknown.append(raw)
            continue
        for number in spans:
            if number not in known:
                outside.append(number)
            elif number not in found:
                found.append(number)
    return UnmetList(tuple(found), tuple(outside), tuple(unknown))


def parse_unmet_list(text: object, criteria: Iterable[tuple[int, Iterable[str]]]) -> UnmetList:
    """The criteria a list-of-unmet cell names ("TC 7, 10, 11", "7; 10; 11", "Tiêu chí 10, 11",
    "7, 10 và 11", "Không"); ``criteria`` gives each criterion's number and names (short name, full
    name, aliases), so "Giao thông, Thu nhập" is understood too."""
    pairs = [(number, tuple(names)) for number, names in criteria]
    numbers = tuple(number for number, _ in pairs)
    names = tuple((fold(name), number) for number, group in pairs for name in group)
    if text is None:
        return UnmetList((), blank=True)
    if isinstance(text, bool):
        return UnmetList((), unknown=(str(text),))
    if isinstance(text, (int, float)):
        if float(text).is_integer():
            number = int(text)
            return UnmetList((number,)) if number in numbers else UnmetList((), outside=(number,))
        return UnmetList((), unknown=(str(text),))
    return _parse_unmet_text(str(text), numbers, names)
