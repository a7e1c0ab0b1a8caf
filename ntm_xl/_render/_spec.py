"""A writer-neutral description of a formatted worksheet.

The summary sheets are described once, as ``SheetSpec`` values, and rendered
by two writers: xlsxwriter for files (``_xlsx``) and xlwings for the workbook
open in Excel. Values are written a rectangle at a time (``Block``) so a writer
talking to Excel can send each block in one call.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

__all__ = [
    "FONT",
    "Block",
    "Chart",
    "Formula",
    "Highlight",
    "ListValidation",
    "Merge",
    "PageSetup",
    "SheetSpec",
    "Style",
    "chart_value_step",
    "fit_row_heights",
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
class Chart:
    """A native chart of one series drawn from cells of its own sheet.

    Ranges are (first_row, first_col, last_row, last_col), 0-based, like ``Merge``.
    ``kind`` is "column" (vertical bars) or "bar" (horizontal bars, categories
    listed top to bottom in sheet order). ``anchor`` is the top-left cell (row, col);
    ``size`` is (width, height) in pixels.
    """

    kind: str
    title: str
    categories: tuple[int, int, int, int]
    values: tuple[int, int, int, int]
    anchor: tuple[int, int]
    size: tuple[int, int] = (640, 320)
    series_name: str = ""
    category_title: str = ""
    value_title: str = ""


@dataclass(frozen=True)
class SheetSpec:
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
    charts: tuple[Chart, ...] = ()


DEFAULT_WIDTH = 8.43  # Excel's default column width, in characters
MAX_ROW_HEIGHT = 409.0  # points: Excel refuses taller rows


def _per_line(width_chars: float, size: float) -> int:
    # A Times New Roman letter is a little narrower than Excel's width unit
    # (a digit of the default font); 0.95 keeps the estimate on the safe side.
    return int(max(1.0, width_chars / (0.95 * size / 12)))


def _line_count(text: str, width_chars: float, size: float) -> int:
    per_line = _per_line(width_chars, size)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def fit_row_heights(layout: SheetSpec) -> SheetSpec:
    """Give rows holding wrapped text the height the text needs.

    Neither Excel nor LibreOffice grows a row for wrapped text in merged cells,
    and not every viewer does it for plain cells either, so the layout says it.
    Heights set explicitly in the layout are kept.
    """
    widths: dict[int, float] = {}
    for first, last, width in layout.column_widths:
        for col in range(first, last + 1):
            widths[col] = width
    explicit = {row for row, _ in layout.row_heights}
    needed: dict[int, float] = {}

    def need(row: int, rows: int, text: str, width: float, style: Style) -> None:
        lines = _line_count(text, width, style.size)
        height = lines * style.size * 1.3 / rows + 2
        if lines > 1 and height > needed.get(row, 0):
            needed[row] = height

    for block in layout.blocks:
        if not block.style.wrap or block.style.rotation:
            continue
        size = block.style.size
        # Texts that fit one line of their column need nothing: most cells, told by length.
        fits = [_per_line(widths.get(c, DEFAULT_WIDTH), size) for c in range(block.col, block.last_col + 1)]
        for r, values in enumerate(block.values, block.row):
            for c, value in enumerate(values, block.col):
                if isinstance(value, str) and value:
                    if len(value) <= fits[c - block.col] and "\n" not in value:
                        continue
                    need(r, 1, value, widths.get(c, DEFAULT_WIDTH), block.style)
    for merge in layout.merges:
        if merge.style.wrap and not merge.style.rotation and isinstance(merge.value, str) and merge.value:
            width = sum(widths.get(c, DEFAULT_WIDTH) for c in range(merge.first_col, merge.last_col + 1))
            rows = merge.last_row - merge.first_row + 1
            for r in range(merge.first_row, merge.last_row + 1):
                need(r, rows, merge.value, width, merge.style)
    heights = layout.row_heights + tuple(
        (row, round(min(height, MAX_ROW_HEIGHT), 1))
        for row, height in sorted(needed.items())
        if row not in explicit
    )
    return replace(layout, row_heights=heights)


def chart_value_step(layout: SheetSpec, chart: Chart) -> int:
    """A whole-number gridline step for the chart's values: counts of villages have no halves."""
    first_row, first_col, last_row, last_col = chart.values
    numbers = [0.0]
    for block in layout.blocks:
        for r, values in enumerate(block.values, block.row):
            for c, value in enumerate(values, block.col):
                inside = first_row <= r <= last_row and first_col <= c <= last_col
                if inside and isinstance(value, (int, float)) and not isinstance(value, bool):
                    numbers.append(float(value))
    steps = (m * 10**e for e in range(12) for m in (1, 2, 5))
    return int(next(step for step in steps if max(numbers) / step <= 10))
