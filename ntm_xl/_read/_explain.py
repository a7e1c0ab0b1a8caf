"""How a workbook was read, said to a clerk: the text ``ntm-xl explain`` prints, and a
copy of the workbook's values with every cell coloured by the role the reader gave it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from .._common._errors import OutputError
from .._values._criteria import CriteriaSet
from .._values._model import CellValue
from ._calamine import read_sheets
from ._legacy import fix_sheets
from ._reading import ColumnReading, ColumnRole, CommuneSource, FileReading, RowRole, SheetReading

__all__ = ["LEGEND_SHEET", "explanation_lines", "explanation_text", "write_annotated"]

LEGEND_SHEET = "Chú giải"

_LAYOUTS = {
    "rows": "bảng thôn theo dòng (mỗi dòng một thôn, mỗi tiêu chí một cột)",
    "unmet-list": "bảng thôn theo dòng, chỉ ghi các tiêu chí chưa đạt",
    "per-village": "trang của một thôn (mỗi dòng một tiêu chí)",
    "columns": "bảng tiêu chí theo dòng, mỗi cột một thôn",
}
_SOURCES = {
    "cell": "ô {where} của cột Xã",
    "above": "ô gộp (hoặc ô phía trên) {where} của cột Xã",
    "group": "dòng nhóm ở ô {where}",
    "title": "tiêu đề ở ô {where}",
    "tab": "tên trang tính '{where}'",
    "file": "tên tệp '{where}' (cần kiểm tra lại)",
    "rule": "quy tắc đọc '{where}'",
    "": "không xác định được, thôn không được tính",
}

# Fill colour of each role in the annotated copy.
_COLUMN_COLOURS = {
    ColumnRole.STT: "#EDEDED",
    ColumnRole.VILLAGE: "#A9D08E",
    ColumnRole.COMMUNE: "#9BC2E6",
    ColumnRole.RESULT: "#E2EFDA",
    ColumnRole.PAIR_MET: "#C6E0B4",
    ColumnRole.PAIR_NOT_MET: "#F8CBAD",
    ColumnRole.SELF: "#FCE4D6",
    ColumnRole.INDICATOR: "#FFF2CC",
    ColumnRole.COUNT: "#D9D2E9",
    ColumnRole.UNMET: "#F4B6C2",
    ColumnRole.NOTES: "#F2F2F2",
    ColumnRole.CRITERION_LABEL: "#DDEBF7",
}
_ROW_COLOURS = {
    RowRole.TITLE: "#D9E1F2",
    RowRole.HEADER: "#8EA9DB",
    RowRole.INDEX: "#B4C6E7",
    RowRole.GROUP: "#B4A7D6",
    RowRole.TOTAL: "#BFBFBF",
    RowRole.NOTE: "#E7E6E6",
    RowRole.SIGNATURE: "#D0CECE",
    RowRole.IGNORED: "#FFFFFF",
}
_HIDDEN_COLOUR = "#808080"


_IN_CRITERION = {
    ColumnRole.RESULT: "kết quả",
    ColumnRole.PAIR_MET: "cột con 'Đạt'",
    ColumnRole.PAIR_NOT_MET: "cột con 'Chưa đạt'",
    ColumnRole.SELF: "tự đánh giá (không tính, chỉ để đối chiếu)",
    ColumnRole.INDICATOR: "giá trị chỉ tiêu (giữ lại để kiểm tra ngưỡng)",
}


def _column_line(column: ColumnReading, criteria: CriteriaSet) -> str:
    where = f"Cột {xl_col_to_name(column.col)}"
    role = column.role.label
    if column.criterion is not None and column.criterion in criteria.numbers:
        name = criteria.by_number(column.criterion).short_name
        role = f"tiêu chí số {column.criterion} ({name}), {_IN_CRITERION.get(column.role, role)}"
        if column.verdict == "review" and column.role is not ColumnRole.INDICATOR:
            role += ", đánh giá của người thẩm định (được tính)"
    why = f"; căn cứ: {column.evidence}" if column.evidence else ""
    return f"    {where}: {role}{why}."


def _commune_line(source: CommuneSource) -> str:
    how = _SOURCES.get(source.source, source.source).format(where=source.where)
    commune = f"xã {source.commune}" if source.commune else "chưa rõ xã"
    return f"    Thôn {source.village} (ô {source.cell}): {commune}, theo {how}."


def _rows_lines(sheet: SheetReading) -> list[str]:
    lines = []
    for row in sheet.rows:
        if row.role in (RowRole.TITLE, RowRole.HEADER, RowRole.CRITERION):
            continue
        text = row.text if len(row.text) <= 60 else row.text[:57] + "..."
        why = f" ({row.why})" if row.why else ""
        if row.role is RowRole.VILLAGE:
            lines.append(f"    Dòng {row.row + 1}: thôn {text}.")
        else:
            lines.append(f"    Dòng {row.row + 1}: {row.role.label}{why}, không tính: {text}")
    return lines


def _sheet_lines(sheet: SheetReading, criteria: CriteriaSet) -> list[str]:
    if sheet.layout == "hidden":
        return [f"  Trang '{sheet.name}': đang bị ẩn, không đọc."]
    if sheet.layout == "none":
        why = "không phải trang được chọn trong quy tắc đọc" if sheet.rule and not sheet.problems else ""
        lines = [f"  Trang '{sheet.name}': không có bảng đánh giá, bỏ qua{'; ' + why if why else ''}."]
        return lines + [f"    {p.code} {p.cell}: {p.message}".replace("  :", ":") for p in sheet.problems]
    head = f"  Trang '{sheet.name}': {_LAYOUTS.get(sheet.layout, sheet.layout)}"
    if sheet.header is not None:
        first, last = sheet.header
        rows = f"dòng {first + 1}" if first == last else f"dòng {first + 1}-{last + 1}"
        head += f"; tiêu đề bảng ở {rows}"
    if sheet.rule:
        head += f"; theo quy tắc đọc '{sheet.rule}'"
    lines = [head + "."]
    titles = [r for r in sheet.rows if r.role is RowRole.TITLE]
    if titles:
        lines.append("    Tiêu đề: " + " / ".join(r.text for r in titles[:4]))
    lines += [_column_line(c, criteria) for c in sheet.columns if c.role is not ColumnRole.OTHER or c.header]
    lines += _rows_lines(sheet)
    lines += [_commune_line(c) for c in sheet.communes]
    villages = len(sheet.entries)
    lines.append(f"    Tìm thấy {villages} thôn.")
    for p in sheet.problems:
        cell = f" ô {p.cell}" if p.cell else ""
        lines.append(f"    {p.severity.label} {p.code}{cell}: {p.message}")
    return lines


def explanation_lines(readings: Iterable[FileReading], criteria: CriteriaSet) -> list[str]:
    """How each file was read, in Vietnamese, one line per fact."""
    lines: list[str] = []
    for reading in readings:
        lines.append(f"Tệp {reading.path.name}:")
        if reading.rule:
            lines.append(f"  Dùng quy tắc đọc '{reading.rule}'.")
        for sheet in reading.sheets:
            lines += _sheet_lines(sheet, criteria)
        in_sheets = {id(p) for s in reading.sheets for p in s.problems}
        for p in reading.problems:
            if id(p) not in in_sheets:
                where = f" trang '{p.sheet}'" if p.sheet else ""
                lines.append(f"  {p.severity.label} {p.code}{where}: {p.message}")
        lines.append(f"  Cộng: {len(reading.entries)} thôn.")
    return lines


def explanation_text(readings: Iterable[FileReading], criteria: CriteriaSet) -> str:
    """How each of ``readings`` (from ``explain``) was read, in Vietnamese: header rows, each
    column's role and, for criteria of ``criteria``, why; the rows taken and ignored; each
    village's commune and where it came from.
    """
    return "\n".join(explanation_lines(readings, criteria)) + "\n"


def _cell_roles(sheet: SheetReading) -> tuple[dict[int, str], dict[int, str]]:
    """Row -> fill for whole rows, column -> fill for the table's columns."""
    rows = {r.row: _ROW_COLOURS[r.role] for r in sheet.rows if r.role in _ROW_COLOURS}
    columns = {c.col: _COLUMN_COLOURS[c.role] for c in sheet.columns if c.role in _COLUMN_COLOURS}
    return rows, columns


def write_annotated(reading: FileReading, out: str | Path, criteria: CriteriaSet) -> Path:
    """A copy of the workbook's values (the input is never written), each cell filled with the
    colour of its role, and a legend sheet "Chú giải" holding the explanation too."""
    out = Path(out)
    if out.resolve() == reading.path.resolve():
        raise OutputError(f"Tệp chú giải '{out}' trùng với tệp đầu vào; cần chọn tên khác.")
    sheets, _ = read_sheets(reading.path)
    sheets, _ = fix_sheets(sheets)
    by_name = {s.name: s for s in reading.sheets}
    try:
        workbook = xlsxwriter.Workbook(
            str(out), {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
        )
        formats: dict[str, object] = {}

        def fmt(colour: str) -> object:
            if colour not in formats:
                formats[colour] = workbook.add_format(
                    {"bg_color": colour, "border": 1, "border_color": "#D9D9D9"}
                )
            return formats[colour]

        for sheet in sheets:
            target = workbook.add_worksheet(sheet.name[:31])
            seen = by_name.get(sheet.name)
            row_fill, col_fill = _cell_roles(seen) if seen is not None else ({}, {})
            village_rows = {r.row for r in seen.rows if r.role is RowRole.VILLAGE} if seen else set()
            header = seen.header if seen is not None else None
            hidden = seen is not None and seen.layout == "hidden"
            if hidden:
                target.set_tab_color(_HIDDEN_COLOUR)
            for r, values in enumerate(sheet.rows):
                for c, value in enumerate(values):
                    colour = (
                        _HIDDEN_COLOUR if hidden else _fill(r, c, row_fill, col_fill, village_rows, header)
                    )
                    _write(target, r, c, value, fmt(colour) if colour else None)
        _legend(workbook, fmt, explanation_lines([reading], criteria))
        workbook.close()
    except (OSError, xlsxwriter.exceptions.XlsxWriterException) as exc:
        raise OutputError(f"Không ghi được tệp chú giải '{out}': {exc}") from exc
    return out


def _fill(
    r: int,
    c: int,
    row_fill: dict[int, str],
    col_fill: dict[int, str],
    village_rows: set[int],
    header: tuple[int, int] | None,
) -> str | None:
    if r in village_rows:
        return col_fill.get(c)
    if header is not None and header[0] <= r <= header[1]:
        return col_fill.get(c, row_fill.get(r))
    return row_fill.get(r)


def _write(sheet: object, r: int, c: int, value: CellValue, cell_format: object) -> None:
    write = sheet.write_string if isinstance(value, str) else sheet.write  # type: ignore[attr-defined]
    if value is None or value == "":
        if cell_format is not None:
            sheet.write_blank(r, c, None, cell_format)  # type: ignore[attr-defined]
        return
    if isinstance(value, (bool, int, float)):
        sheet.write(r, c, value, cell_format)  # type: ignore[attr-defined]
        return
    if not isinstance(value, str):
        value = str(value)
        write = sheet.write_string  # type: ignore[attr-defined]
    write(r, c, value, cell_format)


def _legend(workbook: xlsxwriter.Workbook, fmt: object, lines: list[str]) -> None:
    legend = workbook.add_worksheet(LEGEND_SHEET)
    legend.set_column(0, 0, 6)
    legend.set_column(1, 1, 48)
    legend.write_string(0, 1, "Màu của ô cho biết ntm-xl hiểu ô đó là gì:")
    r = 1
    for role, colour in _COLUMN_COLOURS.items():
        legend.write_blank(r, 0, None, fmt(colour))  # type: ignore[operator]
        legend.write_string(r, 1, f"Cột {role.label}")
        r += 1
    for row_role, colour in _ROW_COLOURS.items():
        if row_role is RowRole.IGNORED:
            continue
        legend.write_blank(r, 0, None, fmt(colour))  # type: ignore[operator]
        legend.write_string(r, 1, f"Dòng {row_role.label}")
        r += 1
    legend.write_blank(r, 0, None, fmt(_HIDDEN_COLOUR))  # type: ignore[operator]
    legend.write_string(r, 1, "Trang tính bị ẩn, không đọc")
    r += 2
    legend.write_string(r, 1, "Cách đọc tệp:")
    for line in lines:
        r += 1
        legend.write_string(r, 1, line)
