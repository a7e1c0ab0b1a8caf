"""Cell values that stand for something the file did not say plainly.

The reader puts these where a plain value would mislead: a formula whose
result was never computed reads as an empty cell, and one status written once
across a merged range reads as blanks beside it. Validation names them
instead of calling the cell empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._text import clean

__all__ = ["MergedPart", "UncalculatedFormula", "cell_text", "describe_special"]


@dataclass(frozen=True)
class UncalculatedFormula:
    """A formula saved without its result (made by a program that does not calculate)."""

    formula: str

    def __str__(self) -> str:
        return f"={self.formula}" if self.formula else "(công thức)"


@dataclass(frozen=True)
class MergedPart:
    """A cell inside a merged range; ``value`` is the range's one value."""

    value: object
    span: str  # "C10:E10"

    def __str__(self) -> str:
        return str(self.value)


def describe_special(value: object) -> str | None:
    """How a message names one of these values; None for ordinary values."""
    if isinstance(value, UncalculatedFormula):
        shown = str(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        return (
            f"công thức '{shown}' chưa có kết quả (tệp chưa được tính lại; "
            "cần mở tệp trong Excel, lưu lại rồi gửi)"
        )
    if isinstance(value, MergedPart):
        inner = str(value.value).strip()
        what = f"'{inner[:40]}'" if inner else "ô trống"
        return f"vùng ô gộp {value.span} (ghi {what} một lần cho nhiều ô; cần bỏ gộp và ghi từng ô)"
    return None


def cell_text(value: object) -> str:
    """A cell as the text of a name or header: cleaned text, a whole number without ".0", else ""."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    return ""
