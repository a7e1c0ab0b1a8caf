"""A writer-neutral description of a formatted worksheet.

The summary sheets are described once, as ``SheetLayout`` values, and rendered
by two writers: xlsxwriter for files (``_xlsx``) and xlwings for the workbook
open in Excel. Values are written a rectangle at a time (``Block``) so a writer
talking to Excel can send each block in one call.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "FONT",
    "Block",
    "Formula",
    "Highlight",
    "ListValidation",
    "Merge",
    "PageSetup",
    "SheetLayout",
    "Style",
]

FONT = "Times New Roman"


@dataclass(frozen=True)
class Style:
    bold: bool = False
    italic: bool = False
    size: float = 12
    align: str = "left"  # left, center, right, justify
    valign: str = "vcenter"
    wrap: bool = False
    border: bool = False
    fill: str | None = None  # "#RRGGBB"
    color: str | None = None
    num_format: str | None = None
    rotation: int = 0
    locked: bool = True


@dataclass(frozen=True)
class Formula:
    """A live formula (written only by us, never from input text)."""

    text: str
    cached: str | int | float = 0  # the result stored for readers that don't recalculate


Value = str | int | float | Formula | None


@dataclass(frozen=True)
class Block:
    """A rectangle of values sharing one style; (row, col) is its top-left, 0-based."""

    row: int
    col: int
    values: tuple[tuple[Value, ...], ...]
    style: Style = Style()

    @property
    def last_row(self) -> int:
        return self.row + len(self.values) - 1

    @property
    def last_col(self) -> int:
        return self.col + max((len(r) for r in self.values), default=1) - 1


@dataclass(frozen=True)
class Merge:
    first_row: int
    first_col: int
    last_row: int
    last_col: int
    value: Value
    style: Style = Style()


@dataclass(frozen=True)
class ListValidation:
    """A dropdown over a range."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int
    choices: tuple[str, ...]
    title: str = ""
    message: str = ""
    error: str = ""


@dataclass(frozen=True)
class Highlight:
    """Fill cells of a range whose text equals ``text`` (conditional format)."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int
    text: str
    fill: str = "#F8CBAD"
    color: str | None = None


@dataclass(frozen=True)
class PageSetup:
    landscape: bool = False
    fit_width: bool = True
    repeat_rows: tuple[int, int] | None = None
    margins_mm: tuple[float, float, float, float] = (20, 15, 20, 20)  # top, right, bottom, left
    center_horizontally: bool = True
    footer: str = "Trang &P/&N"


@dataclass(frozen=True)
class SheetLayout:
    name: str
    blocks: tuple[Block, ...] = ()
    merges: tuple[Merge, ...] = ()
    column_widths: tuple[tuple[int, int, float], ...] = ()  # first_col, last_col, width (chars)
    row_heights: tuple[tuple[int, float], ...] = ()  # row, height (points)
    freeze: tuple[int, int] | None = None
    page: PageSetup = field(default_factory=PageSetup)
    validations: tuple[ListValidation, ...] = ()
    highlights: tuple[Highlight, ...] = ()
    protect: bool = False
    hidden: bool = False
