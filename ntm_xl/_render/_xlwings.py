"""Rendering ``SheetSpec`` descriptions into a workbook open in Excel, through xlwings.

The same layouts ``_xlsx`` writes to files are drawn here into a live
workbook. Every call to Excel is slow (a round trip to another process, or an
action sent to a remote client), so a sheet is written with few calls:

- all values at once, as one rectangle;
- each format attribute once per rectangle of cells sharing it, after
  coalescing adjacent rectangles (so a table of 2,000 villages costs what a
  table of 20 does);
- runs of one-row merges over the same columns as one ``merge(across=True)``.

Every string is written with a leading apostrophe: Excel then stores it as
text, so a village called "=1+1", "1-2" or "- Số thôn..." is never turned
into a formula, a date or a number. The apostrophe is not part of the value.

Charts are drawn as native Excel charts, named ``NTM_BieuDo<n>`` so a second
run replaces them instead of adding more, in Excel's default style (older
Excel has no style 227, xlwings' default).

The values, formats and sheets are essential; frozen panes, print settings,
highlights, text rotation, charts and hiding a sheet are niceties. A nicety
an engine lacks (xlwings' Windows engine has no ``freeze_panes``, so panes
are frozen through Excel's own window there; the remote engine has no print
settings) is left out quietly, since the data is what matters; a nicety that
fails in Excel itself (a COM error) is left out and described in ``notes``,
so the button still finishes and says what it skipped.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from typing import Any

from ._spec import FONT, Chart, Formula, Highlight, SheetSpec, Style, Value, chart_value_step

__all__ = ["CHART_NAME_PREFIX", "DECLINED", "Rect", "coalesce", "nicety", "render_sheet", "sheet_grid"]

# The fields of a sheet description this writer does not render, each said in the notes
# when a sheet has it. Only the files xlsxwriter writes (the commune form, the master
# workbook's input sheets) use them; no sheet written into the open workbook does.
DECLINED = {"validations": "danh sách chọn", "protect": "khoá trang"}

# Excel's own unit for column widths is characters; Office.js (the remote
# engine's client) takes points. One character of the default font is about
# 7 pixels, plus 5 pixels of padding; a pixel is 0.75 points.
_POINTS_PER_PIXEL = 0.75

# Our charts' names: the prefix finds them again on the next run. Like the
# workbook's defined names (NTM_TepChon), an identifier rather than a label.
CHART_NAME_PREFIX = "NTM_BieuDo"
_CHART_TYPES = {"column": "column_clustered", "bar": "bar_clustered"}
# What an engine raises for a feature it lacks (NotImplementedError from
# xlwings' base classes, AttributeError or TypeError on xlwings before 0.37.3).
_MISSING_FEATURE = (NotImplementedError, AttributeError, TypeError)


def nicety(notes: list[str] | None, what: str, action: Callable[[], object]) -> None:
    """Run ``action``, something the sheet can do without; a failure never stops the caller.

    A feature the engine lacks is skipped silently; an error from Excel itself
    (a COM error on Windows, anything else) is skipped and described in ``notes``.
    """
    try:
        action()
    except _MISSING_FEATURE:
        return
    except Exception as error:  # pywintypes.com_error and the like: Excel refused
        if notes is not None:
            notes.append(f"{what}: {error}")


@dataclass(frozen=True, order=True)
class Rect:
    """Cells (first_row..last_row) x (first_col..last_col), 0-based, inclusive."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int


def coalesce(rects: Iterable[Rect]) -> list[Rect]:
    """Fewer, larger rectangles covering the same cells (for disjoint input).

    Rectangles stacked over the same columns are joined, then rectangles side
    by side over the same rows, until nothing changes.
    """
    current = sorted(set(rects))
    changed = True
    while changed:
        changed = False
        for vertical in (True, False):
            key = (
                (lambda r: (r.first_col, r.last_col, r.first_row))
                if vertical
                else (lambda r: (r.first_row, r.last_row, r.first_col))
            )
            joined: list[Rect] = []
            for rect in sorted(current, key=key):
                if joined:
                    last = joined[-1]
                    same_cols = (last.first_col, last.last_col) == (rect.first_col, rect.last_col)
                    same_rows = (last.first_row, last.last_row) == (rect.first_row, rect.last_row)
                    if vertical and same_cols and rect.first_row == last.last_row + 1:
                        joined[-1] = Rect(last.first_row, last.first_col, rect.last_row, last.last_col)
                        changed = True
                        continue
                    if not vertical and same_rows and rect.first_col == last.last_col + 1:
                        joined[-1] = Rect(last.first_row, last.first_col, last.last_row, rect.last_col)
                        changed = True
                        continue
                joined.append(rect)
            current = sorted(joined)
    return current


def _cell_value(value: Value) -> object:
    if value is None or value == "":
        return ""
    if isinstance(value, Formula):
        return value.text
    if isinstance(value, str):
        return "'" + value
    return value


def sheet_grid(layout: SheetSpec) -> list[list[object]]:
    """Every value of the sheet as one rectangle from A1, ready for one write."""
    rows, cols = 1, 1
    for block in layout.blocks:
        rows, cols = max(rows, block.last_row + 1), max(cols, block.last_col + 1)
    for merge in layout.merges:
        rows, cols = max(rows, merge.last_row + 1), max(cols, merge.last_col + 1)
    grid: list[list[object]] = [[""] * cols for _ in range(rows)]
    for block in layout.blocks:
        for r, values in enumerate(block.values, block.row):
            for c, value in enumerate(values, block.col):
                grid[r][c] = _cell_value(value)
    for merge in layout.merges:
        grid[merge.first_row][merge.first_col] = _cell_value(merge.value)
    return grid


def _styled_rects(layout: SheetSpec) -> Iterator[tuple[Style, Rect]]:
    for block in layout.blocks:
        if block.values:
            yield block.style, Rect(block.row, block.col, block.last_row, block.last_col)
    for merge in layout.merges:
        yield merge.style, Rect(merge.first_row, merge.first_col, merge.last_row, merge.last_col)


# Attribute name -> the value a cleared cell already has (None: always written).
_ATTRIBUTES: tuple[tuple[str, object], ...] = (
    ("size", None),
    ("bold", False),
    ("italic", False),
    ("align", None),
    ("valign", None),
    ("wrap", False),
    ("border", False),
    ("fill", None),
    ("color", None),
    ("num_format", None),
    ("rotation", 0),
)


def _format_plan(layout: SheetSpec) -> list[tuple[str, object, Rect]]:
    """(attribute, value, rectangle) to apply, in a fixed order."""
    by_value: dict[tuple[str, object], list[Rect]] = {}
    for style, rect in _styled_rects(layout):
        for attribute, cleared in _ATTRIBUTES:
            value = getattr(style, attribute)
            if value is None or (cleared is not None and value == cleared):
                continue
            by_value.setdefault((attribute, value), []).append(rect)
    order = {name: i for i, (name, _) in enumerate(_ATTRIBUTES)}
    plan: list[tuple[str, object, Rect]] = []
    for (attribute, value), rects in sorted(
        by_value.items(), key=lambda kv: (order[kv[0][0]], str(kv[0][1]))
    ):
        plan.extend((attribute, value, rect) for rect in coalesce(rects))
    return plan


def _merge_plan(layout: SheetSpec) -> list[tuple[Rect, bool]]:
    """Merged ranges, one-row runs over the same columns joined for ``merge(across=True)``."""
    single: list[Rect] = []
    plan: list[tuple[Rect, bool]] = []
    for merge in layout.merges:
        rect = Rect(merge.first_row, merge.first_col, merge.last_row, merge.last_col)
        if (rect.first_row, rect.first_col) == (rect.last_row, rect.last_col):
            continue
        if rect.first_row == rect.last_row:
            single.append(rect)
        else:
            plan.append((rect, False))
    runs: list[Rect] = []
    for rect in sorted(single, key=lambda r: (r.first_col, r.last_col, r.first_row)):
        if runs:
            last = runs[-1]
            if (last.first_col, last.last_col) == (rect.first_col, rect.last_col) and (
                rect.first_row == last.last_row + 1
            ):
                runs[-1] = Rect(last.first_row, last.first_col, rect.last_row, last.last_col)
                continue
        runs.append(rect)
    plan.extend((rect, rect.first_row != rect.last_row) for rect in runs)
    return sorted(plan)


def _range(sheet: Any, rect: Rect) -> Any:
    return sheet.range((rect.first_row + 1, rect.first_col + 1), (rect.last_row + 1, rect.last_col + 1))


def _is_remote(sheet: Any) -> bool:
    return bool(sheet.book.app.engine.name == "remote")


def _is_windows_excel(sheet: Any) -> bool:
    return sys.platform.startswith("win") and sheet.book.app.engine.name == "excel"


def _freeze(sheet: Any, cell: tuple[int, int] | None) -> None:
    """Freeze the rows above and the columns left of ``cell`` (0-based); None unfreezes."""
    try:
        panes = sheet.freeze_panes  # the remote engine (xlwings Server, Lite)
    except NotImplementedError:
        if _is_windows_excel(sheet):
            _freeze_in_window(sheet, cell)
        return  # an engine without frozen panes (xlwings on a Mac): the sheet works without
    if cell is None:
        panes.unfreeze()
    else:
        panes.freeze_at(_range(sheet, Rect(*cell, *cell)).address)


def _freeze_in_window(sheet: Any, cell: tuple[int, int] | None) -> None:
    """Desktop Excel on Windows: freeze through the workbook's window (COM).

    A window freezes the sheet it shows, so the sheet is shown for the moment
    (the screen is not updated during a press). Split positions rather than a
    selected cell: they do not depend on where the window is scrolled.
    """
    book = sheet.book
    shown = book.sheets.active
    sheet.activate()
    try:
        window = book.api.Windows(1)
        window.FreezePanes = False
        window.SplitRow = 0
        window.SplitColumn = 0
        if cell is not None:
            window.ScrollRow = 1
            window.ScrollColumn = 1
            window.SplitRow, window.SplitColumn = cell
            window.FreezePanes = True
    finally:
        shown.activate()


def _apply(sheet: Any, attribute: str, value: object, rect: Rect) -> None:
    target = _range(sheet, rect)
    if attribute == "size":
        target.font.size = value
    elif attribute == "bold":
        target.font.bold = True
    elif attribute == "italic":
        target.font.italic = True
    elif attribute == "align":
        target.horizontal_alignment = value
    elif attribute == "valign":
        target.vertical_alignment = "center" if value == "vcenter" else value
    elif attribute == "wrap":
        target.wrap_text = True
    elif attribute == "border":
        target.borders.line_style = "continuous"
    elif attribute == "fill":
        target.color = value
    elif attribute == "color":
        target.font.color = value
    elif attribute == "num_format":
        target.number_format = value
    elif attribute == "rotation" and _is_windows_excel(sheet):
        # xlwings has no portable property for text orientation.
        target.api.Orientation = value


def _column_width(sheet: Any, width: float) -> float:
    if _is_remote(sheet):
        return round((width * 7 + 5) * _POINTS_PER_PIXEL, 2)
    return width


def _page_setup(sheet: Any, layout: SheetSpec, notes: list[str] | None, where: str) -> None:
    """Print settings: only Excel on Windows exposes them (through its own object model).

    Each is set on its own: without a printer Excel refuses the paper size,
    and the title rows and the footer are still worth having.
    """
    if not _is_windows_excel(sheet):
        return
    page = layout.page
    setup = sheet.api.PageSetup
    # PaperSize 9: A4.
    settings: list[tuple[str, object]] = [("PaperSize", 9), ("Orientation", 2 if page.landscape else 1)]
    if page.fit_width:
        settings += [("Zoom", False), ("FitToPagesWide", 1), ("FitToPagesTall", False)]
    if page.repeat_rows:
        first, last = page.repeat_rows
        settings.append(("PrintTitleRows", f"${first + 1}:${last + 1}"))
    settings.append(("CenterHorizontally", page.center_horizontally))
    top, right, bottom, left = (mm * 72 / 25.4 for mm in page.margins_mm)  # Excel wants points
    settings += [("TopMargin", top), ("RightMargin", right), ("BottomMargin", bottom), ("LeftMargin", left)]
    if page.footer:
        settings.append(("CenterFooter", f'&"{FONT}"&10{page.footer}'))
    for name, value in settings:
        nicety(notes, f"thiết lập trang in ({name}) ở {where}", partial(setattr, setup, name, value))


def _delete_charts(sheet: Any) -> None:
    """Remove the charts an earlier run drew on ``sheet``; charts drawn by hand stay."""
    try:
        names = [chart.name for chart in sheet.charts]
    except _MISSING_FEATURE:
        return
    for name in names:
        if name.startswith(CHART_NAME_PREFIX):
            # Looked up by name each time: deleting shifts the others' positions.
            sheet.charts[name].delete()


def _draw_chart(sheet: Any, layout: SheetSpec, chart: Chart, name: str) -> None:
    """``chart`` as a native Excel chart, formatted like the one ``_xlsx`` writes where the engine can."""
    values = _range(sheet, Rect(*chart.values))
    anchor = _range(sheet, Rect(*chart.anchor, *chart.anchor))
    width, height = (round(pixels * _POINTS_PER_PIXEL, 2) for pixels in chart.size)
    try:
        drawn = sheet.charts.add(
            width=width,
            height=height,
            chart_type=_CHART_TYPES.get(chart.kind, "column_clustered"),
            source=values,
            plot_by="columns",
            name=name,
            anchor=anchor,
            style=None,  # Excel's default: Excel 2010 and 2013 have no style 227
        )
    except _MISSING_FEATURE:
        return
    # The categories go on the axis, not in the source: counts of criteria are
    # numbers, which Excel would otherwise plot as a second series.
    with suppress(*_MISSING_FEATURE):
        drawn.set_x_axis_values(_range(sheet, Rect(*chart.categories)))
    with suppress(*_MISSING_FEATURE):
        drawn.title = chart.title
    with suppress(*_MISSING_FEATURE):
        drawn.legend.visible = False
    with suppress(*_MISSING_FEATURE):
        drawn.series[0].set(name=chart.series_name or chart.title, fill_color="#4472C4")
    category_axis: dict[str, Any] = {}
    if chart.category_title:
        category_axis["title"] = chart.category_title
    if chart.kind == "bar":
        # Excel lists a bar chart's categories bottom up; reversed, the first is
        # on top as in the sheet, and the value axis crosses at the (now bottom) last.
        category_axis.update(reverse_order=True, crosses="maximum")
    if category_axis:
        with suppress(*_MISSING_FEATURE):
            drawn.category_axis.set(**category_axis)
    value_axis: dict[str, Any] = {"minimum_scale": 0, "major_unit": chart_value_step(layout, chart)}
    if chart.value_title:
        value_axis["title"] = chart.value_title
    with suppress(*_MISSING_FEATURE):
        drawn.value_axis.set(**value_axis)


def _highlight(sheet: Any, rect: Rect, highlight: Highlight) -> None:
    _range(sheet, rect).conditional_formats.add_cell_value(
        "equal_to", f'="{highlight.text}"', fill_color=highlight.fill, font_color=highlight.color
    )


def render_sheet(book: Any, layout: SheetSpec, *, after: Any = None, notes: list[str] | None = None) -> Any:
    """Write ``layout`` into ``book`` (an ``xlwings.Book``), replacing the sheet's content.

    An existing sheet of that name is cleared and kept in its place, and the
    charts an earlier run drew on it are deleted before the layout's are drawn;
    a missing one is added after ``after`` (a sheet), or at the end. Niceties
    Excel refused are described in ``notes`` (see ``nicety``).
    """
    where = f"trang '{layout.name}'"
    names = [s.name for s in book.sheets]
    existed = layout.name in names
    if existed:
        sheet = book.sheets[layout.name]
        sheet.clear()  # keeps charts: they are shapes, not cell content
        nicety(notes, f"xoá biểu đồ cũ ở {where}", lambda: _delete_charts(sheet))
    else:
        sheet = book.sheets.add(
            layout.name, after=after if after is not None else book.sheets[len(names) - 1]
        )
    grid = sheet_grid(layout)
    everything = Rect(0, 0, len(grid) - 1, len(grid[0]) - 1)
    # Formats first: text written into a cell already formatted as text stays as typed.
    _range(sheet, everything).font.name = FONT
    for attribute, value, rect in _format_plan(layout):
        if attribute == "rotation":
            nicety(notes, f"xoay chữ ở {where}", partial(_apply, sheet, attribute, value, rect))
        else:
            _apply(sheet, attribute, value, rect)
    _range(sheet, everything).value = grid
    for rect, across in _merge_plan(layout):
        _range(sheet, rect).merge(across)
    for first, last, width in layout.column_widths:
        _range(sheet, Rect(0, first, 0, last)).column_width = _column_width(sheet, width)
    for row, height in layout.row_heights:
        _range(sheet, Rect(row, 0, row, 0)).row_height = height
    if layout.freeze or existed:
        nicety(notes, f"cố định dòng tiêu đề ở {where}", lambda: _freeze(sheet, layout.freeze or None))
    for highlight in layout.highlights:
        rect = Rect(highlight.first_row, highlight.first_col, highlight.last_row, highlight.last_col)
        nicety(notes, f"tô màu ô ở {where}", partial(_highlight, sheet, rect, highlight))
    nicety(notes, f"thiết lập trang in ở {where}", lambda: _page_setup(sheet, layout, notes, where))
    for number, chart in enumerate(layout.charts, 1):
        name = f"{CHART_NAME_PREFIX}{number}"
        nicety(notes, f"vẽ biểu đồ ở {where}", partial(_draw_chart, sheet, layout, chart, name))
    if layout.hidden:
        nicety(notes, f"ẩn {where}", lambda: setattr(sheet, "visible", False))
    for name, what in DECLINED.items():
        if getattr(layout, name) and notes is not None:
            notes.append(f"{what} ở {where}: không ghi được vào bảng tính đang mở")
    return sheet
