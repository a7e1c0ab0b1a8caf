"""Status words: what a cell says about one criterion of one village."""

from __future__ import annotations

import enum
import re
from functools import lru_cache

from ._text import clean, fold

__all__ = ["MET_WORD", "NOT_MET_WORD", "Mark", "MarkReading", "read_mark"]

MET_WORD = "Đạt"
NOT_MET_WORD = "Chưa đạt"


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
    if key in _MET:
        return MarkReading.MET
    if key in _NOT_MET:
        return MarkReading.NOT_MET
    if key in _BASICALLY_MET:
        return MarkReading.BASICALLY_MET
    return MarkReading.UNKNOWN
