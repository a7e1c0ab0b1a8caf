"""Rendering ``SheetLayout`` descriptions to an .xlsx file with xlsxwriter.

Every string is written with ``write_string``: text from a commune file is
never turned into a formula, a number or a link. The file is written beside
its destination and renamed into place, so a crash never leaves half a file.
"""

from __future__ import annotations

import errno
import gc
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ._errors import OutputError
from ._sheet import FONT, Chart, Formula, SheetLayout, Style, Value, fit_row_heights

__all__ = ["atomic_output", "gc_paused", "output_error", "workbook_options", "write_workbook"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: for steps that make hundreds of thousands of
    small long-lived objects (reading a province, writing its summary), where every
    collection would walk them all again for little or nothing to free."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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


def _write(sheet: Worksheet, row: int, col: int, value: Value, fmt: Any) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, Formula):
        sheet.write_formula(row, col, value.text, fmt, value.cached)
    elif isinstance(value, str):
        sheet.write_string(row, col, value, fmt)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    else:
        sheet.write_number(row, col, value, fmt)


def _value_step(layout: SheetLayout, chart: Chart) -> int:
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


def _chart(workbook: Workbook, layout: SheetLayout, chart: Chart) -> Any:
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
    value_axis: dict[str, Any] = {"num_font": font, "min": 0, "major_unit": _value_step(layout, chart)}
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


def _render(workbook: Workbook, layout: SheetLayout, formats: _Formats) -> None:
    layout = fit_row_heights(layout)
    sheet = workbook.add_worksheet(layout.name)
    for first, last, width in layout.column_widths:
        sheet.set_column(first, last, width)
    for row, height in layout.row_heights:
        sheet.set_row(row, height)
    write_string = sheet.write_string
    for block in layout.blocks:
        fmt = formats(block.style)
        for r, values in enumerate(block.values, block.row):
            for c, value in enumerate(values, block.col):
                # Most cells are plain text: the same call _write makes, without the dispatch.
                if value.__class__ is str and value:
                    write_string(r, c, value, fmt)
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


def write_workbook(
    path: str | Path,
    layouts: Sequence[SheetLayout],
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
        formats = _Formats(workbook)
        for layout in layouts:
            _render(workbook, layout, formats)
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


TEMPORARY_PREFIX = ".~ntm-"
STALE_SECONDS = 24 * 3600  # where a writer's process cannot be asked whether it still runs


def output_error(path: Path, error: OSError) -> OutputError:
    """The message for an output that could not be written, by what the system said."""
    if error.errno == errno.ENOSPC:
        why = "ổ đĩa đã đầy; cần giải phóng chỗ trống rồi chạy lại"
    elif error.errno == errno.EFBIG:
        why = "tệp vượt giới hạn kích thước tệp của hệ thống"
    elif error.errno == errno.EDQUOT:
        why = "đã hết hạn mức dung lượng của người dùng"
    elif error.errno in (errno.EACCES, errno.EPERM):
        why = "không có quyền ghi vào đó"
    elif error.errno == errno.EROFS:
        why = "ổ đĩa chỉ cho đọc"
    else:
        why = error.strerror or str(error)
    return OutputError(f"Không ghi được tệp '{path}': {why}.")


def _os_error(exc: BaseException) -> OSError | None:
    """The system error behind ``exc`` (xlsxwriter wraps it in its own), if any."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError):
            return current
        inner = next((a for a in getattr(current, "args", ()) if isinstance(a, OSError)), None)
        current = inner or current.__cause__ or current.__context__
    return None


def _remove_stale_temporaries(folder: Path) -> None:
    """Temporary outputs a killed run left behind: removed when their writer is gone."""
    try:
        leftovers = list(folder.glob(TEMPORARY_PREFIX + "*"))
    except OSError:
        return
    now = time.time()
    for leftover in leftovers:
        pid_text = leftover.name[len(TEMPORARY_PREFIX) :].split("-", 1)[0]
        try:
            if pid_text.isdigit() and os.name == "posix":
                if _running(int(pid_text)):
                    continue
            elif now - leftover.stat().st_mtime < STALE_SECONDS:
                continue
            leftover.unlink()
        except OSError:
            continue


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


class atomic_output:
    """Context manager: yields a temporary path, renamed to ``path`` on success.

    The file is written beside its destination, flushed to disk, then renamed, so a
    crash never leaves half a file; a temporary a killed run left is removed by the
    next run. A full disk or a file-size limit becomes an ``OutputError``. If the
    destination cannot be replaced (open in Excel on Windows, say), the finished file
    is kept under another name and ``OutputError`` says where.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.temporary: Path | None = None

    def __enter__(self) -> Path:
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _remove_stale_temporaries(folder)
            handle, name = tempfile.mkstemp(
                prefix=f"{TEMPORARY_PREFIX}{os.getpid()}-", suffix=self.path.suffix, dir=folder
            )
        except OSError as exc:
            raise OutputError(f"Không tạo được tệp trong thư mục '{folder}': {exc.strerror or exc}.") from exc
        os.close(handle)
        self.temporary = Path(name)
        return self.temporary

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        assert self.temporary is not None
        if exc is not None:
            self.temporary.unlink(missing_ok=True)
            error = _os_error(exc)
            if error is not None and not isinstance(exc, OutputError):
                raise output_error(self.path, error) from exc
            return
        try:
            _flush_to_disk(self.temporary)
        except OSError as error:
            self.temporary.unlink(missing_ok=True)
            raise output_error(self.path, error) from error
        # mkstemp makes the file private; give it the permissions of any new file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.temporary, 0o666 & ~umask)
        try:
            os.replace(self.temporary, self.path)
        except OSError as error:
            kept = self.path.with_name(f"{self.path.stem} ({datetime.now():%Y%m%d-%H%M%S}){self.path.suffix}")
            try:
                os.replace(self.temporary, kept)
            except OSError:
                kept = self.temporary
            raise OutputError(
                f"Không ghi đè được tệp '{self.path}' (tệp có thể đang mở trong Excel): "
                f"{error.strerror or error}. Kết quả đã được ghi vào '{kept}'."
            ) from error
        _flush_folder(self.path.parent)


def _flush_to_disk(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _flush_folder(folder: Path) -> None:
    """The rename itself reaches the disk (POSIX; Windows has no handle on folders)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
