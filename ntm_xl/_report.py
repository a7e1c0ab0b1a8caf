"""The summary workbook's sheets, described once for both writers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from functools import wraps
from itertools import chain
from pathlib import Path
from typing import ParamSpec

from ._indicators import indicator_layout
from ._marks import MET_WORD, NOT_MET_WORD, Mark
from ._model import Summary
from ._notice import NoticeSections, grouped_names, notice_sections
from ._problems import Severity
from ._sheet import Block, Chart, Highlight, Merge, PageSetup, SheetLayout, Style, Value
from ._status import ReviewState, commune_statuses
from ._xlsx import atomic_output, gc_paused, write_workbook
from ._xmlchars import NOT_XML_OR_CONTROL, display_name, xml_safe

P = ParamSpec("P")

CELL_CHARACTERS = 32_767  # the most one Excel cell holds
CONTINUED = " (còn tiếp ở dòng dưới)"
CONTINUATION = "(tiếp) "

__all__ = [
    "MET_SYMBOL",
    "NOT_MET_SYMBOL",
    "SHEET_NAMES",
    "deficiency_layout",
    "detail_layout",
    "disagreement_layout",
    "notice_layout",
    "overview_layout",
    "problems_layout",
    "summary_layouts",
    "write_notice_text",
    "write_summary_workbook",
]

SHEET_NAMES = (
    "Tổng hợp",
    "Tiêu chí chưa đạt",
    "Biểu chi tiết",
    "Thông báo",
    "Kiểm tra dữ liệu",
    "Chênh lệch đánh giá",
)

# Symbols in the detailed table; both are status words the reader accepts,
# so the table can be read back.
MET_SYMBOL = "x"
NOT_MET_SYMBOL = "-"

TITLE = Style(bold=True, size=14, align="center", wrap=True)
SUBTITLE = Style(italic=True, align="center", wrap=True)
PLAIN = Style(wrap=True)
NOTE = Style(italic=True)
HEAD = Style(bold=True, align="center", wrap=True, border=True, fill="#DDEBF7")
HEAD_VERTICAL = Style(bold=True, align="center", wrap=True, border=True, fill="#DDEBF7", rotation=90)
TEXT = Style(border=True, wrap=True, valign="top")
CENTER = Style(border=True, align="center", valign="top")
DECIMAL = Style(border=True, align="center", valign="top", num_format="0.0")
GROUP = Style(bold=True, border=True)
TOTAL = Style(bold=True, border=True, align="center")
TOTAL_TEXT = Style(bold=True, border=True)
HEADING = Style(bold=True, wrap=True)
ERROR_FILL = "#F8CBAD"


def _finished(make: Callable[P, SheetLayout]) -> Callable[P, SheetLayout]:
    """Every sheet, for every writer: no character XML cannot hold, no text longer than a cell."""

    @wraps(make)
    def finished(*args: P.args, **kwargs: P.kwargs) -> SheetLayout:
        return continue_long_texts(xml_safe_layout(make(*args, **kwargs)))

    return finished


def _texts(layout: SheetLayout) -> list[str]:
    values = chain.from_iterable(chain.from_iterable(b.values for b in layout.blocks))
    return [v for v in chain(values, (m.value for m in layout.merges)) if v.__class__ is str]


def xml_safe_layout(layout: SheetLayout) -> SheetLayout:
    """The layout with characters XML cannot hold dropped (the same layout when there are none).

    Text read from commune files was cleaned, with a warning at its cell, when it was read;
    this catches the rest (configuration, criteria files, values built by a library caller)."""
    if NOT_XML_OR_CONTROL.search("".join(_texts(layout))) is None:
        return layout

    def clean(value: Value) -> Value:
        return xml_safe(value) if isinstance(value, str) else value

    blocks = tuple(
        replace(b, values=tuple(tuple(clean(v) for v in row) for row in b.values)) for b in layout.blocks
    )
    merges = tuple(replace(m, value=clean(m.value)) for m in layout.merges)
    return replace(layout, blocks=blocks, merges=merges)


def _pieces(text: str, size: int) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters, between names where it can."""
    pieces = []
    while len(text) > size:
        cut = max(text.rfind("; ", 0, size), text.rfind(", ", 0, size))
        cut = cut + 2 if cut > size // 2 else size
        pieces.append(text[:cut].rstrip())
        text = text[cut:]
    pieces.append(text)
    return pieces


def continue_long_texts(layout: SheetLayout) -> SheetLayout:
    """Text longer than a cell holds goes on in the rows below, in the same columns; the
    cell says it continues and each following row says it is a continuation."""
    longest = max((len(t) for t in _texts(layout)), default=0)
    if longest <= CELL_CHARACTERS:
        return layout
    room = CELL_CHARACTERS - max(len(CONTINUED), len(CONTINUATION)) * 2
    long_cells: list[tuple[int, int]] = []  # (row, col), bottom first
    for block in layout.blocks:
        for r, values in enumerate(block.values, block.row):
            for c, value in enumerate(values, block.col):
                if isinstance(value, str) and len(value) > CELL_CHARACTERS:
                    long_cells.append((r, c))
    for merge in layout.merges:
        if isinstance(merge.value, str) and len(merge.value) > CELL_CHARACTERS:
            long_cells.append((merge.first_row, merge.first_col))
    for row, col in sorted(set(long_cells), reverse=True):
        layout = _continue_cell(layout, row, col, room)
    return layout


def _continue_cell(layout: SheetLayout, row: int, col: int, room: int) -> SheetLayout:
    merge = next((m for m in layout.merges if (m.first_row, m.first_col) == (row, col)), None)
    if merge is not None and isinstance(merge.value, str) and len(merge.value) > CELL_CHARACTERS:
        pieces = _pieces(merge.value, room)
        layout = insert_rows(layout, merge.last_row, len(pieces) - 1)
        merges = [replace(m, value=pieces[0] + CONTINUED) if m is merge else m for m in layout.merges]
        merges += [
            Merge(
                merge.last_row + i,
                merge.first_col,
                merge.last_row + i,
                merge.last_col,
                CONTINUATION + piece,
                merge.style,
            )
            for i, piece in enumerate(pieces[1:], 1)
        ]
        return replace(layout, merges=tuple(merges))
    for block in layout.blocks:
        if block.row <= row <= block.last_row and block.col <= col < block.col + len(
            block.values[row - block.row]
        ):
            value = block.values[row - block.row][col - block.col]
            if not isinstance(value, str) or len(value) <= CELL_CHARACTERS:
                continue
            pieces = _pieces(value, room)
            layout = insert_rows(layout, row, len(pieces) - 1)
            blocks = []
            for b in layout.blocks:
                if b.row <= row <= b.last_row and b.col <= col < b.col + len(b.values[row - b.row]):
                    values = [list(v) for v in b.values]
                    values[row - b.row][col - b.col] = pieces[0] + CONTINUED
                    b = replace(b, values=tuple(tuple(v) for v in values))
                blocks.append(b)
            blocks += [
                Block(row + i, col, ((CONTINUATION + piece,),), block.style)
                for i, piece in enumerate(pieces[1:], 1)
            ]
            return replace(layout, blocks=tuple(blocks))
    return layout


def insert_rows(layout: SheetLayout, after: int, count: int) -> SheetLayout:
    """Room for ``count`` new rows below row ``after``: everything below moves down, what spans it grows."""
    if count <= 0:
        return layout

    def moved(r: int) -> int:
        return r + count if r > after else r

    blocks: list[Block] = []
    for b in layout.blocks:
        if b.row > after:
            blocks.append(replace(b, row=b.row + count))
        elif b.last_row <= after:
            blocks.append(b)
        else:
            keep = after - b.row + 1
            blocks.append(replace(b, values=b.values[:keep]))
            blocks.append(replace(b, row=after + 1 + count, values=b.values[keep:]))
    merges = tuple(
        replace(m, first_row=moved(m.first_row), last_row=moved(m.last_row)) for m in layout.merges
    )
    charts = tuple(
        replace(
            c,
            categories=(moved(c.categories[0]), c.categories[1], moved(c.categories[2]), c.categories[3]),
            values=(moved(c.values[0]), c.values[1], moved(c.values[2]), c.values[3]),
            anchor=(moved(c.anchor[0]), c.anchor[1]),
        )
        for c in layout.charts
    )
    return replace(
        layout,
        blocks=tuple(blocks),
        merges=merges,
        charts=charts,
        row_heights=tuple((moved(r), h) for r, h in layout.row_heights),
        freeze=(moved(layout.freeze[0]), layout.freeze[1]) if layout.freeze else None,
        validations=tuple(
            replace(v, first_row=moved(v.first_row), last_row=moved(v.last_row)) for v in layout.validations
        ),
        highlights=tuple(
            replace(h, first_row=moved(h.first_row), last_row=moved(h.last_row)) for h in layout.highlights
        ),
    )


def _roman(number: int) -> str:
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


def _scope(summary: Summary) -> str:
    unit, group_unit = summary.criteria.unit, summary.criteria.group_unit
    text = f"Tổng hợp {len(summary.villages)} {unit} của {len(summary.communes)} {group_unit}"
    if summary.excluded:
        text += f"; {len(summary.excluded)} {unit} chưa được tính do lỗi dữ liệu (xem 'Kiểm tra dữ liệu')"
    return text + "."


@_finished
def overview_layout(summary: Summary, period: str = "") -> SheetLayout:
    criteria = summary.criteria
    unit, group_unit, size = criteria.unit, criteria.group_unit, len(criteria)
    last_col = 6
    highlights: list[Highlight] = []
    merges = [
        Merge(0, 0, 0, last_col, f"TỔNG HỢP KẾT QUẢ RÀ SOÁT TIÊU CHÍ {unit.upper()} NÔNG THÔN MỚI", TITLE),
        Merge(1, 0, 1, last_col, " - ".join(t for t in (criteria.title, period) if t), SUBTITLE),
        Merge(2, 0, 2, last_col, _scope(summary), NOTE),
    ]
    blocks = [Block(4, 0, (("Số tiêu chí đạt", f"Số {unit}"),), HEAD)]
    merges.append(Merge(4, 2, 4, last_col, f"Tên {unit}", HEAD))
    row = 5
    groups = summary.villages_by_met_count()
    if groups:
        blocks.append(Block(row, 0, tuple((count, len(v)) for count, v in groups.items()), CENTER))
        for villages in groups.values():
            merges.append(Merge(row, 2, row, last_col, grouped_names(villages, group_unit), TEXT))
            row += 1
    blocks.append(Block(row, 0, (("Tổng số", len(summary.villages)),), TOTAL))
    merges.append(
        Merge(
            row,
            2,
            row,
            last_col,
            f"Trong đó đạt chuẩn ({size}/{size} tiêu chí): {len(summary.meeting_standard)} {unit}",
            TOTAL_TEXT,
        )
    )
    row += 2

    merges.append(Merge(row, 0, row, last_col, f"Kết quả theo {group_unit}", HEADING))
    row += 1
    blocks.append(
        Block(
            row,
            0,
            (
                (
                    "STT",
                    group_unit.capitalize(),
                    f"Số {unit} được tính",
                    f"Số {unit} đạt chuẩn ({size}/{size})",
                    f"Bình quân số tiêu chí đạt/{unit}",
                    f"Số {unit} chưa tính (lỗi dữ liệu)",
                    "Tình trạng",
                ),
            ),
            HEAD,
        )
    )
    row += 1
    totals = summary.commune_totals()
    statuses = commune_statuses(summary)
    if totals:
        blocks.append(Block(row, 0, tuple((i,) for i in range(1, len(totals) + 1)), CENTER))
        blocks.append(Block(row, 1, tuple((t.commune,) for t in totals), TEXT))
        blocks.append(Block(row, 2, tuple((t.villages, t.meeting_standard) for t in totals), CENTER))
        blocks.append(Block(row, 4, tuple((round(t.average_met, 1),) for t in totals), DECIMAL))
        blocks.append(Block(row, 5, tuple((t.excluded,) for t in totals), CENTER))
    # Statuses follow the communes' order; registered communes that sent nothing come last.
    unsent = statuses[len(totals) :]
    if unsent:
        first = row + len(totals)
        blocks.append(Block(first, 0, tuple((len(totals) + i,) for i in range(1, len(unsent) + 1)), CENTER))
        blocks.append(Block(first, 1, tuple((s.commune,) for s in unsent), TEXT))
        blocks.append(Block(first, 2, tuple(("", "", "", "") for _ in unsent), CENTER))
    if statuses:
        blocks.append(Block(row, 6, tuple((s.label,) for s in statuses), TEXT))
        highlights.append(
            Highlight(row, 6, row + len(statuses) - 1, 6, ReviewState.NOT_SENT.value, ERROR_FILL)
        )
        row += len(statuses)

    if summary.excluded:
        row += 1
        merges.append(Merge(row, 0, row, last_col, f"Các {unit} chưa được tính do lỗi dữ liệu", HEADING))
        row += 1
        blocks.append(Block(row, 0, (("STT", group_unit.capitalize(), unit.capitalize(), "Lý do"),), HEAD))
        merges.append(Merge(row, 4, row, last_col, "Vị trí", HEAD))
        row += 1
        excluded = summary.excluded
        blocks.append(Block(row, 0, tuple((i,) for i in range(1, len(excluded) + 1)), CENTER))
        blocks.append(Block(row, 1, tuple((e.commune, e.village, e.reason) for e in excluded), TEXT))
        for i, e in enumerate(excluded):
            merges.append(Merge(row + i, 4, row + i, last_col, str(e.location), TEXT))
    charts: tuple[Chart, ...] = ()
    if groups:
        # Below everything else, so the sheet still prints one page wide.
        last_group = 5 + len(groups) - 1
        charts = (
            Chart(
                "column",
                f"Số {unit} theo số tiêu chí đạt",
                categories=(5, 0, last_group, 0),
                values=(5, 1, last_group, 1),
                anchor=(row + len(summary.excluded) + 1, 0),
                size=(640, 320),
                series_name=f"Số {unit}",
                category_title="Số tiêu chí đạt",
                value_title=f"Số {unit}",
            ),
        )
    return SheetLayout(
        name=SHEET_NAMES[0],
        blocks=tuple(blocks),
        merges=tuple(merges),
        column_widths=((0, 0, 12), (1, 1, 22), (2, 5, 16), (6, 6, 24)),
        row_heights=((0, 36),),
        page=PageSetup(landscape=False, repeat_rows=None),
        highlights=tuple(highlights),
        charts=charts,
    )


@_finished
def deficiency_layout(summary: Summary) -> SheetLayout:
    criteria = summary.criteria
    unit, group_unit = criteria.unit, criteria.group_unit
    deficiencies = summary.deficiencies_by_criterion()
    blocks = [
        Block(3, 0, (("Tiêu chí số", "Tên tiêu chí", f"Số {unit} chưa đạt", f"Tên {unit} chưa đạt"),), HEAD)
    ]
    rows = [
        (
            c.number,
            c.short_name,
            len(deficiencies.get(c.number, ())),
            grouped_names(deficiencies.get(c.number, ()), group_unit),
        )
        for c in criteria.criteria
    ]
    blocks.append(Block(4, 0, tuple((r[0],) for r in rows), CENTER))
    blocks.append(Block(4, 1, tuple((r[1],) for r in rows), TEXT))
    blocks.append(Block(4, 2, tuple((r[2],) for r in rows), CENTER))
    blocks.append(Block(4, 3, tuple((r[3],) for r in rows), TEXT))
    return SheetLayout(
        name=SHEET_NAMES[1],
        blocks=tuple(blocks),
        merges=(
            Merge(
                0,
                0,
                0,
                3,
                f"KẾT QUẢ RÀ SOÁT TIÊU CHÍ CHƯA ĐẠT THEO BỘ TIÊU CHÍ {unit.upper()} NÔNG THÔN MỚI",
                TITLE,
            ),
            Merge(1, 0, 1, 3, _scope(summary), NOTE),
        ),
        column_widths=((0, 0, 10), (1, 1, 28), (2, 2, 12), (3, 3, 70)),
        row_heights=((0, 36),),
        freeze=(4, 0),
        page=PageSetup(landscape=False, repeat_rows=(3, 3)),
        charts=(
            Chart(
                "bar",
                f"Số {unit} chưa đạt theo từng tiêu chí",
                categories=(4, 1, 3 + len(rows), 1),
                values=(4, 2, 3 + len(rows), 2),
                anchor=(4 + len(rows) + 1, 0),
                size=(760, max(320, 22 * len(rows) + 100)),
                series_name=f"Số {unit} chưa đạt",
                value_title=f"Số {unit}",
            ),
        ),
    )


@_finished
def detail_layout(summary: Summary, period: str = "") -> SheetLayout:
    """Villages grouped by commune x criteria: the table attached to the notice."""
    criteria = summary.criteria
    unit, group_unit = criteria.unit, criteria.group_unit
    n = len(criteria)
    first_mark, count_col = 2, 2 + n
    last_col = count_col + 1
    head_top = 3
    merges = [
        Merge(
            0, 0, 0, last_col, f"BIỂU CHI TIẾT KẾT QUẢ RÀ SOÁT TIÊU CHÍ {unit.upper()} NÔNG THÔN MỚI", TITLE
        ),
        Merge(1, 0, 1, last_col, " - ".join(t for t in (criteria.title, period) if t), SUBTITLE),
        Merge(head_top, 0, head_top + 2, 0, "STT", HEAD),
        Merge(head_top, 1, head_top + 2, 1, f"{group_unit.capitalize()}, {unit}", HEAD),
        Merge(head_top, first_mark, head_top, count_col - 1, "Tiêu chí", HEAD),
        Merge(head_top, count_col, head_top + 2, count_col, "Số tiêu chí đạt", HEAD),
        Merge(head_top, last_col, head_top + 2, last_col, "Tiêu chí chưa đạt", HEAD),
    ]
    blocks = [
        Block(head_top + 1, first_mark, (tuple(c.number for c in criteria.criteria),), HEAD),
        Block(head_top + 2, first_mark, (tuple(c.short_name for c in criteria.criteria),), HEAD_VERTICAL),
    ]
    row = head_top + 3
    number = 0
    for index, (commune, villages) in enumerate(summary.villages_by_commune().items(), 1):
        if not villages:
            continue
        blocks.append(
            Block(
                row, 0, ((_roman(index), f"{group_unit.capitalize()} {commune}", *([""] * (n + 2))),), GROUP
            )
        )
        row += 1
        blocks.append(Block(row, 0, tuple((number + i,) for i in range(1, len(villages) + 1)), CENTER))
        blocks.append(Block(row, 1, tuple((v.village,) for v in villages), TEXT))
        blocks.append(
            Block(
                row,
                first_mark,
                tuple(
                    tuple(MET_SYMBOL if c.number in v.met else NOT_MET_SYMBOL for c in criteria.criteria)
                    for v in villages
                ),
                CENTER,
            )
        )
        blocks.append(Block(row, count_col, tuple((v.met_count,) for v in villages), CENTER))
        blocks.append(
            Block(row, last_col, tuple((", ".join(str(x) for x in v.not_met),) for v in villages), TEXT)
        )
        number += len(villages)
        row += len(villages)
    first_data = head_top + 3
    blocks.append(
        Block(
            row,
            0,
            (
                (
                    "",
                    f"Tổng số {unit} đạt",
                    *(sum(1 for v in summary.villages if c.number in v.met) for c in criteria.criteria),
                    len(summary.meeting_standard),
                    "",
                ),
                (
                    "",
                    f"Tổng số {unit} chưa đạt",
                    *(sum(1 for v in summary.villages if c.number in v.not_met) for c in criteria.criteria),
                    "",
                    "",
                ),
            ),
            TOTAL,
        )
    )
    legend_row = row + 3
    merges.append(
        Merge(
            legend_row,
            0,
            legend_row,
            last_col,
            f'Ghi chú: "{MET_SYMBOL}" là đạt; "{NOT_MET_SYMBOL}" là chưa đạt. Cột "Số tiêu chí '
            f'đạt" ở dòng tổng là số {unit} đạt chuẩn ({n}/{n} tiêu chí).',
            NOTE,
        )
    )
    return SheetLayout(
        name=SHEET_NAMES[2],
        blocks=tuple(blocks),
        merges=tuple(merges),
        column_widths=(
            (0, 0, 5),
            (1, 1, 22),
            (first_mark, count_col - 1, 4.2),
            (count_col, count_col, 8),
            (last_col, last_col, 16),
        ),
        row_heights=((0, 22), (head_top + 2, 120)),
        freeze=(head_top + 3, 2),
        highlights=(
            Highlight(
                first_data, first_mark, max(row - 1, first_data), count_col - 1, NOT_MET_SYMBOL, ERROR_FILL
            ),
        ),
        page=PageSetup(landscape=True, repeat_rows=(head_top, head_top + 2), margins_mm=(15, 10, 15, 15)),
    )


@_finished
def notice_layout(sections: NoticeSections) -> SheetLayout:
    count_start = 2
    deficiency_heading = count_start + 1 + len(sections.count_lines)
    blocks = (
        Block(count_start, 0, ((sections.count_heading,),), HEADING),
        Block(count_start + 1, 0, tuple((line,) for line in sections.count_lines), PLAIN),
        Block(deficiency_heading, 0, ((sections.deficiency_heading,),), HEADING),
        Block(deficiency_heading + 1, 0, tuple((line,) for line in sections.deficiency_lines), PLAIN),
        Block(
            deficiency_heading + 1 + len(sections.deficiency_lines),
            0,
            (("(Có biểu chi tiết kèm theo)",),),
            NOTE,
        ),
    )
    return SheetLayout(
        name=SHEET_NAMES[3],
        blocks=blocks,
        merges=(Merge(0, 0, 0, 0, "CÁC MỤC TÍNH TOÁN CỦA THÔNG BÁO (MỤC I.2 VÀ I.3)", TITLE),),
        column_widths=((0, 0, 110),),
        page=PageSetup(landscape=False),
    )


@_finished
def problems_layout(summary: Summary) -> SheetLayout:
    problems = summary.problems
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = sum(1 for p in problems if p.severity is Severity.WARNING)
    last = 6
    merges = [Merge(0, 0, 0, last, "KIỂM TRA DỮ LIỆU ĐẦU VÀO", TITLE)]
    if not problems:
        merges.append(Merge(2, 0, 2, last, "Không phát hiện vấn đề nào trong dữ liệu đầu vào.", NOTE))
        blocks: tuple[Block, ...] = ()
    else:
        merges.append(
            Merge(
                1,
                0,
                1,
                last,
                f"{errors} lỗi, {warnings} cảnh báo, "
                f"{len(problems) - errors - warnings} thông tin. Thôn có lỗi không được tính.",
                NOTE,
            )
        )
        # The code ("M003") stays the same whatever the wording: what a clerk quotes when asking.
        blocks = (
            Block(3, 0, (("STT", "Mức độ", "Mã", "Tệp", "Trang", "Ô", "Nội dung"),), HEAD),
            Block(4, 0, tuple((i,) for i in range(1, len(problems) + 1)), CENTER),
            Block(4, 1, tuple((p.severity.label,) for p in problems), TEXT),
            Block(4, 2, tuple((p.code,) for p in problems), CENTER),
            Block(4, 3, tuple((display_name(p.file), p.sheet) for p in problems), TEXT),
            Block(4, 5, tuple((p.cell,) for p in problems), CENTER),
            Block(4, 6, tuple((p.message,) for p in problems), TEXT),
        )
    return SheetLayout(
        name=SHEET_NAMES[4],
        blocks=blocks,
        merges=tuple(merges),
        column_widths=((0, 0, 6), (1, 1, 10), (2, 2, 7), (3, 3, 24), (4, 4, 14), (5, 5, 7), (6, 6, 76)),
        freeze=(4, 0) if problems else None,
        highlights=(Highlight(4, 1, 3 + len(problems), 1, Severity.ERROR.label, ERROR_FILL),)
        if problems
        else (),
        page=PageSetup(landscape=True, repeat_rows=(3, 3) if problems else None),
    )


def disagreement_layout(summary: Summary) -> SheetLayout:
    """Where a file gives the village's own assessment beside the reviewer's: each criterion they
    differ on. The reviewer's verdict is the one counted everywhere else."""
    criteria = summary.criteria
    unit, group_unit = criteria.unit, criteria.group_unit
    disagreements = summary.disagreements
    last = 8
    merges = [Merge(0, 0, 0, last, "CHÊNH LỆCH GIỮA TỰ ĐÁNH GIÁ VÀ KẾT QUẢ THẨM ĐỊNH", TITLE)]
    blocks: tuple[Block, ...] = ()
    if not disagreements:
        merges.append(
            Merge(
                2,
                0,
                2,
                last,
                "Không có chênh lệch: các biểu không có cột tự đánh giá bên cạnh kết quả thẩm định, "
                "hoặc hai kết quả trùng nhau.",
                NOTE,
            )
        )
    else:
        villages = len({(d.commune, d.village) for d in disagreements})
        merges.append(
            Merge(
                1,
                0,
                1,
                last,
                f"{len(disagreements)} tiêu chí ở {villages} {unit} có tự đánh giá khác kết quả thẩm định; "
                "kết quả thẩm định là kết quả được tính.",
                NOTE,
            )
        )
        word = {Mark.MET: MET_WORD, Mark.NOT_MET: NOT_MET_WORD}
        head = (
            "STT",
            group_unit.capitalize(),
            unit.capitalize(),
            "Tiêu chí",
            "Tự đánh giá",
            "Thẩm định",
            "Ô tự đánh giá",
            "Ô thẩm định",
            "Tệp, trang",
        )
        blocks = (
            Block(3, 0, (head,), HEAD),
            Block(4, 0, tuple((i,) for i in range(1, len(disagreements) + 1)), CENTER),
            Block(
                4,
                1,
                tuple((d.commune, d.village, criteria.by_number(d.criterion).label) for d in disagreements),
                TEXT,
            ),
            Block(
                4,
                4,
                tuple(
                    (word[d.self_value], word[d.reviewer_value], d.self_cell, d.reviewer_cell)
                    for d in disagreements
                ),
                CENTER,
            ),
            Block(
                4,
                8,
                tuple(
                    (f"{display_name(d.location.file)}, trang '{d.location.sheet}'",) for d in disagreements
                ),
                TEXT,
            ),
        )
    return SheetLayout(
        name=SHEET_NAMES[5],
        blocks=blocks,
        merges=tuple(merges),
        column_widths=((0, 0, 6), (1, 2, 18), (3, 3, 28), (4, 5, 12), (6, 7, 10), (8, 8, 34)),
        freeze=(4, 0) if disagreements else None,
        page=PageSetup(landscape=True, repeat_rows=(3, 3) if disagreements else None),
    )


def summary_layouts(
    summary: Summary, period: str = "", sections: NoticeSections | None = None
) -> tuple[SheetLayout, ...]:
    return (
        overview_layout(summary, period),
        deficiency_layout(summary),
        detail_layout(summary, period),
        notice_layout(sections or notice_sections(summary)),
        problems_layout(summary),
        disagreement_layout(summary),
        # Only when some file carried indicator values.
        *((indicator_layout(summary),) if summary.indicator_checks else ()),
    )


def write_summary_workbook(
    path: str | Path,
    summary: Summary,
    *,
    period: str = "",
    created: datetime | None = None,
    sections: NoticeSections | None = None,
    extra: Sequence[SheetLayout] = (),
) -> Path:
    """The summary workbook: overview, deficiencies, detailed table, notice lines, problems,
    disagreements between two verdicts, then the ``extra`` sheets (the run record...).

    ``sections`` are the notice lines when the caller has them already (they are computed
    from the summary otherwise)."""
    with gc_paused():
        layouts = (*summary_layouts(summary, period, sections), *extra)
    return write_workbook(
        path,
        layouts,
        title="Tổng hợp kết quả rà soát tiêu chí nông thôn mới",
        created=created,
    )


def write_notice_text(path: str | Path, summary: Summary, *, sections: NoticeSections | None = None) -> Path:
    """Sections I.2 and I.3 as UTF-8 text, one line each."""
    path = Path(path)
    if sections is None:
        with gc_paused():
            sections = notice_sections(summary)
    with atomic_output(path) as temporary:
        temporary.write_text(sections.text(), encoding="utf-8", newline="\n")
    return path
