"""Rendering ``SheetSpec`` descriptions to an .xlsx file with xlsxwriter.

Every string is written with ``write_string``: text from a commune file is
never turned into a formula, a number or a link. The file is written beside
its destination and renamed into place, so a crash never leaves half a file.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .._common._gc import gc_paused
from .._common._output import atomic_output
from ._spec import FONT, Chart, Formula, SheetSpec, Style, Value, chart_value_step, fit_row_heights

__all__ = ["DECLINED", "render_sheets", "workbook_options", "write_workbook"]

# Every field of a sheet description is rendered (tests/test_writer_fields.py holds both writers to this).
DECLINED: dict[str, str] = {}


def workbook_options() -> dict[str, Any]:
    """Options for a new xlsxwriter Workbook, fresh each time.

    xlsxwriter's own conversions are all off: input text stays text. The dict
    is new on every call because xlsxwriter adds keys to the one it is given,
    which would make the next file's styles differ.
    """
    return {
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
        "default_format_properties": {"font_name": FONT, "font_size": 12},
    }


class _Formats:
    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._cache: dict[Style, Any] = {}

    def __call__(self, style: Style) -> Any:
        if style not in self._cache:
            props: dict[str, Any] = {
                "font_name": FONT,
                "font_size": style.size,
                "bold": style.bold,
                "italic": style.italic,
                "align": style.align,
                "valign": style.valign,
                "text_wrap": style.wrap,
                "locked": style.locked,
            }
            if style.border:
                props["border"] = 1
            if style.fill:
                props["bg_color"] = style.fill
            if style.color:
                props["font_color"] = style.color
            if style.num_format:
                props["num_format"] = style.num_format
            if style.rotation:
                props["rotation"] = style.rotation
            self._cache[style] = self._workbook.add_format(props)
        return self._cache[style]


def _cell_writer(sheet: Worksheet, name: str) -> Any:
    """xlsxwriter's ``write_<name>`` without the wrapper that accepts "A1" references (we
    always pass numbers): the same cell stored, at a third less per cell. The public
    method where a version lacks the inner one."""
    return getattr(sheet, f"_write_{name}", None) or getattr(sheet, f"write_{name}")


def _write(sheet: Worksheet, row: int, col: int, value: Value, fmt: Any) -> None:
    if value is None or value == "":
        _cell_writer(sheet, "blank")(row, col, None, fmt)
    elif isinstance(value, Formula):
        _cell_writer(sheet, "formula")(row, col, value.text, fmt, value.cached)
    elif isinstance(value, str):
        _cell_writer(sheet, "string")(row, col, value, fmt)
    elif isinstance(value, bool):
        _cell_writer(sheet, "boolean")(row, col, value, fmt)
    else:
        _cell_writer(sheet, "number")(row, col, value, fmt)


def _chart(workbook: Workbook, layout: SheetSpec, chart: Chart) -> Any:
    """A native Excel chart, editable in Excel like one drawn by hand."""
    kind = "bar" if chart.kind == "bar" else "column"
    drawn = workbook.add_chart({"type": kind})
    assert drawn is not None
    font = {"name": FONT, "size": 11}
    drawn.add_series(
        {
            "name": chart.series_name or chart.title,
            "categories": [layout.name, *chart.categories],
            "values": [layout.name, *chart.values],
            "data_labels": {"value": True, "font": font},
            "fill": {"color": "#4472C4"},
            "gap": 60,
        }
    )
    drawn.set_title({"name": chart.title, "name_font": {"name": FONT, "size": 13, "bold": True}})
    drawn.set_legend({"none": True})
    category_axis: dict[str, Any] = {"num_font": font}
    value_axis: dict[str, Any] = {"num_font": font, "min": 0, "major_unit": chart_value_step(layout, chart)}
    if chart.category_title:
        category_axis.update(name=chart.category_title, name_font={**font, "bold": True})
    if chart.value_title:
        value_axis.update(name=chart.value_title, name_font={**font, "bold": True})
    if kind == "bar":
        # In a bar chart xlsxwriter's y axis holds the categories. Reversed, the
        # first category is on top as in the sheet; crossing at the (now bottom)
        # last category keeps the value axis under the bars.
        category_axis.update(reverse=True, crossing="max")
        drawn.set_y_axis(category_axis)
        drawn.set_x_axis(value_axis)
    else:
        drawn.set_x_axis(category_axis)
        drawn.set_y_axis(value_axis)
    drawn.set_size({"width": chart.size[0], "height": chart.size[1]})
    drawn.set_chartarea({"border": {"none": True}})
    return drawn


def _render(workbook: Workbook, layout: SheetSpec, formats: _Formats) -> None:
    layout = fit_row_heights(layout)
    sheet = workbook.add_worksheet(layout.name)
    for first, last, width in layout.column_widths:
        sheet.set_column(first, last, width)
    for row, height in layout.row_heights:
        sheet.set_row(row, height)
    write_string = _cell_writer(sheet, "string")
    write_number = _cell_writer(sheet, "number")
    for block in layout.blocks:
        fmt = formats(block.style)
        for r, values in enumerate(block.values, block.row):
            for c, value in enumerate(values, block.col):
                # Most cells are plain text or counts: the same calls _write makes, without the dispatch.
                kind = value.__class__
                if kind is str and value:
                    write_string(r, c, value, fmt)
                elif kind is int or kind is float:
                    write_number(r, c, value, fmt)
                else:
                    _write(sheet, r, c, value, fmt)
    for merge in layout.merges:
        fmt = formats(merge.style)
        if (merge.first_row, merge.first_col) == (merge.last_row, merge.last_col):
            _write(sheet, merge.first_row, merge.first_col, merge.value, fmt)
            continue
        # merge_range() writes its value through write(), which could turn
        # text into a formula: write the value again explicitly.
        sheet.merge_range(merge.first_row, merge.first_col, merge.last_row, merge.last_col, "", fmt)
        _write(sheet, merge.first_row, merge.first_col, merge.value, fmt)
    for v in layout.validations:
        sheet.data_validation(
            v.first_row,
            v.first_col,
            v.last_row,
            v.last_col,
            {
                "validate": "list",
                "source": list(v.choices),
                "input_title": v.title[:32],
                "input_message": v.message[:255],
                "error_title": v.title[:32],
                "error_message": v.error[:255],
            },
        )
    for h in layout.highlights:
        props: dict[str, Any] = {"bg_color": h.fill}
        if h.color:
            props["font_color"] = h.color
        sheet.conditional_format(
            h.first_row,
            h.first_col,
            h.last_row,
            h.last_col,
            {
                "type": "cell",
                "criteria": "==",
                "value": f'"{h.text}"',
                "format": workbook.add_format(props),
            },
        )
    for chart in layout.charts:
        drawn = _chart(workbook, layout, chart)
        sheet.insert_chart(*chart.anchor, drawn, {"x_offset": 4, "y_offset": 4})
    if layout.freeze:
        sheet.freeze_panes(*layout.freeze)
    page = layout.page
    sheet.set_paper(9)  # A4
    if page.landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    top, right, bottom, left = (mm / 25.4 for mm in page.margins_mm)
    sheet.set_margins(left=left, right=right, top=top, bottom=bottom)
    if page.fit_width:
        sheet.fit_to_pages(1, 0)
    if page.repeat_rows:
        sheet.repeat_rows(*page.repeat_rows)
    if page.center_horizontally:
        sheet.center_horizontally()
    if page.footer:
        sheet.set_footer(f'&C&"{FONT}"&10{page.footer}')
    if layout.protect:
        sheet.protect(
            "",
            {
                "format_columns": True,
                "format_rows": True,
                "select_locked_cells": True,
                "select_unlocked_cells": True,
            },
        )
    if layout.hidden:
        sheet.hide()


def render_sheets(workbook: Workbook, layouts: Sequence[SheetSpec]) -> None:
    """Render ``layouts`` into an open xlsxwriter workbook, sharing one format cache."""
    formats = _Formats(workbook)
    for layout in layouts:
        _render(workbook, layout, formats)


def write_workbook(
    path: str | Path,
    layouts: Sequence[SheetSpec],
    *,
    title: str = "",
    created: datetime | None = None,
    active: int = 0,
) -> Path:
    """Write the sheets to ``path`` atomically; returns the path written."""
    path = Path(path)
    with atomic_output(path) as temporary, gc_paused():
        workbook = xlsxwriter.Workbook(str(temporary), workbook_options())
        # A fixed creation time makes the file reproducible byte for byte.
        workbook.set_properties({"title": title, "author": "ntm_xl", "created": created or datetime.now()})
        render_sheets(workbook, layouts)
        workbook.worksheets()[active].activate()
        try:
            workbook.close()
        except Exception as exc:  # xlsxwriter wraps the OSError in its own FileCreateError
            _release_quietly(exc)
            raise
    return path


def _release_quietly(exc: BaseException) -> None:
    """Free what a failed write left open, now and silently. xlsxwriter's zip file is still
    open in the failed call's frame; when it is freed, its own close fails the same way (a
    full disk) and Python prints that as a traceback after our message."""
    import traceback

    hook = sys.unraisablehook
    sys.unraisablehook = lambda _: None
    try:
        seen: set[int] = set()
        current: BaseException | None = exc
        while current is not None and id(current) not in seen:  # the wrapped errors' frames too
            seen.add(id(current))
            traceback.clear_frames(current.__traceback__)
            current = current.__cause__ or current.__context__
        gc.collect()
    finally:
        sys.unraisablehook = hook
