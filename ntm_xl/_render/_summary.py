"""The summary workbook's sheets, described once for both writers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from functools import wraps
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec

from .._check._indicators import INDICATOR_SHEET, NOT_MET, period_year
from .._check._status import ReviewState, commune_statuses
from .._common._gc import gc_paused
from .._common._output import atomic_output
from .._common._xmlchars import NOT_XML_OR_CONTROL, display_name, xml_safe
from .._notice._config import NoticeConfig
from .._notice._sections import NoticeFrame, NoticeSections, grouped_names, notice_frame, notice_sections
from .._values._marks import MET_WORD, NOT_MET_SYMBOL, NOT_MET_WORD, Mark
from .._values._model import CellValue, Summary
from .._values._problems import Severity
from ._detail import detail_table
from ._spec import Block, Chart, Highlight, Merge, PageSetup, SheetSpec, Style, Value
from ._xlsx import write_workbook

if TYPE_CHECKING:
    # The comparison with last period and the crosswalk are loaded only by runs that use them.
    from .._check._compare import Comparison
    from .._check._crosswalk import Moved

P = ParamSpec("P")

CELL_CHARACTERS = 32_767  # the most one Excel cell holds
CONTINUED = " (còn tiếp ở dòng dưới)"
CONTINUATION = "(tiếp) "

__all__ = [
    "MOVED_SHEET",
    "SHEET_NAMES",
    "comparison_sheet",
    "crosswalk_sheet",
    "deficiency_sheet",
    "detail_sheet",
    "disagreement_sheet",
    "notice_sheet",
    "overview_sheet",
    "problems_sheet",
    "summary_sheets",
    "write_notice_text",
    "write_summary_workbook",
]

MOVED_SHEET = "Đơn vị sau sắp xếp"  # with a crosswalk: the villages counted under new names

SHEET_NAMES = (
    "Tổng hợp",
    "Tiêu chí chưa đạt",
    "Biểu chi tiết",
    "Thông báo",
    "Kiểm tra dữ liệu",
    "Chênh lệch đánh giá",
)


TITLE = Style(bold=True, size=14, align="center", wrap=True)
SUBTITLE = Style(italic=True, align="center", wrap=True)
PLAIN = Style(wrap=True)
NOTE = Style(italic=True)
NOTE_WRAPPED = Style(italic=True, wrap=True, valign="top")
HEAD = Style(bold=True, align="center", wrap=True, border=True, fill="#DDEBF7")
HEAD_VERTICAL = Style(bold=True, align="center", wrap=True, border=True, fill="#DDEBF7", rotation=90)
TEXT = Style(border=True, wrap=True, valign="top")
CENTER = Style(border=True, align="center", valign="top")
DECIMAL = Style(border=True, align="center", valign="top", num_format="0.0")
GROUP = Style(bold=True, border=True)
TOTAL = Style(bold=True, border=True, align="center")
TOTAL_TEXT = Style(bold=True, border=True)
HEADING = Style(bold=True, wrap=True)
SIGNED = Style(border=True, align="center", valign="top", num_format="+0;-0;0")
ERROR_FILL = "#F8CBAD"


def _finished(make: Callable[P, SheetSpec]) -> Callable[P, SheetSpec]:
    """Every sheet, for every writer: no character XML cannot hold, no text longer than a cell."""

    @wraps(make)
    def finished(*args: P.args, **kwargs: P.kwargs) -> SheetSpec:
        layout = make(*args, **kwargs)
        texts = _texts(layout)  # gathered once for both tests: a province's detail sheet holds 300,000
        safe = xml_safe_layout(layout, texts)
        return continue_long_texts(safe, texts if safe is layout else None)

    return finished


def _texts(layout: SheetSpec) -> list[str]:
    values = chain.from_iterable(chain.from_iterable(b.values for b in layout.blocks))
    return [v for v in chain(values, (m.value for m in layout.merges)) if v.__class__ is str]


def xml_safe_layout(layout: SheetSpec, texts: list[str] | None = None) -> SheetSpec:
    """The layout with characters XML cannot hold dropped (the same layout when there are none).

    Text read from commune files was cleaned, with a warning at its cell, when it was read;
    this catches the rest (configuration, criteria files, values built by a library caller).
    ``texts``: the layout's texts (``_texts``) when the caller has them already."""
    if NOT_XML_OR_CONTROL.search("".join(_texts(layout) if texts is None else texts)) is None:
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


def continue_long_texts(layout: SheetSpec, texts: list[str] | None = None) -> SheetSpec:
    """Text longer than a cell holds goes on in the rows below, in the same columns; the
    cell says it continues and each following row says it is a continuation. ``texts``:
    the layout's texts (``_texts``) when the caller has them already."""
    longest = max(map(len, _texts(layout) if texts is None else texts), default=0)
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


def _continue_cell(layout: SheetSpec, row: int, col: int, room: int) -> SheetSpec:
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


def insert_rows(layout: SheetSpec, after: int, count: int) -> SheetSpec:
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


def _scope(summary: Summary) -> str:
    unit, group_unit = summary.criteria.unit, summary.criteria.group_unit
    text = f"Tổng hợp {len(summary.villages)} {unit} của {len(summary.communes)} {group_unit}"
    if summary.excluded:
        text += f"; {len(summary.excluded)} {unit} chưa được tính do lỗi dữ liệu (xem 'Kiểm tra dữ liệu')"
    return text + "."


@_finished
def overview_sheet(summary: Summary, period: str = "") -> SheetSpec:
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
    groups = summary.tallies.by_met_count
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
            f"Trong đó đạt chuẩn ({size}/{size} tiêu chí): {len(summary.tallies.meeting_standard)} {unit}",
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
    totals = summary.tallies.commune_totals
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
    return SheetSpec(
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
def deficiency_sheet(summary: Summary) -> SheetSpec:
    criteria = summary.criteria
    unit, group_unit = criteria.unit, criteria.group_unit
    deficiencies = summary.tallies.deficiencies
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
    return SheetSpec(
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
def detail_sheet(
    summary: Summary, period: str = "", notice: NoticeConfig | None = None, *, framed: bool = True
) -> SheetSpec:
    """Villages grouped by commune x criteria: the table attached to the notice. With a notice
    configuration, the caption names the notice and the villages are grouped as it says."""
    table = detail_table(summary, period, notice, framed=framed)
    n = len(table.criteria)
    first_mark, count_col = 2, 2 + n
    last_col = count_col + 1
    head_top = 4 if table.caption else 3
    merges = [
        Merge(0, 0, 0, last_col, table.title, TITLE),
        *((Merge(1, 0, 1, last_col, table.caption, SUBTITLE),) if table.caption else ()),
        Merge(head_top - 2, 0, head_top - 2, last_col, table.subtitle, SUBTITLE),
        Merge(head_top, 0, head_top + 2, 0, table.number_head, HEAD),
        Merge(head_top, 1, head_top + 2, 1, table.name_head, HEAD),
        Merge(head_top, first_mark, head_top, count_col - 1, table.criteria_head, HEAD),
        Merge(head_top, count_col, head_top + 2, count_col, table.count_head, HEAD),
        Merge(head_top, last_col, head_top + 2, last_col, table.missing_head, HEAD),
    ]
    blocks = [
        Block(head_top + 1, first_mark, (tuple(number for number, _ in table.criteria),), HEAD),
        Block(head_top + 2, first_mark, (tuple(name for _, name in table.criteria),), HEAD_VERTICAL),
    ]
    row = head_top + 3
    for group in table.groups:
        if group.heading is not None:
            blocks.append(Block(row, 0, ((group.numeral, group.heading, *([""] * (n + 2))),), GROUP))
            row += 1
        rows = group.rows
        blocks.append(Block(row, 0, tuple((r.number,) for r in rows), CENTER))
        blocks.append(Block(row, 1, tuple((r.name,) for r in rows), TEXT))
        blocks.append(Block(row, first_mark, tuple(r.marks for r in rows), CENTER))
        blocks.append(Block(row, count_col, tuple((r.met_count,) for r in rows), CENTER))
        blocks.append(Block(row, last_col, tuple((r.missing,) for r in rows), TEXT))
        row += len(rows)
    first_data = head_top + 3
    totals = tuple(
        ("", total.label, *total.counts, "" if total.standard is None else total.standard, "")
        for total in table.totals
    )
    blocks.append(Block(row, 0, totals, TOTAL))
    legend_row = row + 3
    merges.append(Merge(legend_row, 0, legend_row, last_col, table.legend, NOTE))
    return SheetSpec(
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
def notice_sheet(sections: NoticeSections, frame: NoticeFrame | None = None) -> SheetSpec:
    """Sections I.2 and I.3; with the notice's ``frame``, its header and subject above them and
    the attached table's caption below."""
    head = frame.head if frame is not None else ()
    count_start = 2 + (len(head) + 1 if head else 0)
    deficiency_heading = count_start + 1 + len(sections.count_lines)
    after = deficiency_heading + 2 + len(sections.deficiency_lines)
    framing = (
        (
            Block(2, 0, tuple((line,) for line in head), PLAIN),
            Block(after + 1, 0, ((frame.foot[0],), (frame.foot[1],)), NOTE),
        )
        if frame is not None
        else ()
    )
    blocks = (
        *framing,
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
    return SheetSpec(
        name=SHEET_NAMES[3],
        blocks=blocks,
        merges=(Merge(0, 0, 0, 0, "CÁC MỤC TÍNH TOÁN CỦA THÔNG BÁO (MỤC I.2 VÀ I.3)", TITLE),),
        column_widths=((0, 0, 110),),
        page=PageSetup(landscape=False),
    )


@_finished
def problems_sheet(summary: Summary) -> SheetSpec:
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
    return SheetSpec(
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


def disagreement_sheet(summary: Summary) -> SheetSpec:
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
    return SheetSpec(
        name=SHEET_NAMES[5],
        blocks=blocks,
        merges=tuple(merges),
        column_widths=((0, 0, 6), (1, 2, 18), (3, 3, 28), (4, 5, 12), (6, 7, 10), (8, 8, 34)),
        freeze=(4, 0) if disagreements else None,
        page=PageSetup(landscape=True, repeat_rows=(3, 3) if disagreements else None),
    )


def _numbers(numbers: Sequence[int]) -> str:
    return ", ".join(str(n) for n in numbers)


@_finished
def comparison_sheet(comparison: Comparison) -> SheetSpec:
    """This period against the last: per commune, per village, new villages, villages gone."""
    from .._check._compare import COMPARISON_SHEET

    criteria = comparison.criteria
    unit, group_unit, size = criteria.unit, criteria.group_unit, len(criteria)
    Unit, Group = unit.capitalize(), group_unit.capitalize()
    last = 7
    files = ", ".join(display_name(p) for p in comparison.previous_files)
    note = (
        f"Kỳ trước: {files or 'không có tệp'}. {len(comparison.changes)} {unit} có ở cả hai kỳ, "
        f"{len(comparison.new)} {unit} mới, {len(comparison.gone)} {unit} không còn trong kỳ này; "
        f"{comparison.losses} tiêu chí đạt ở kỳ trước nay chưa đạt (cảnh báo C010 ở trang "
        "'Kiểm tra dữ liệu')."
    )
    if comparison.unmatched:
        note += f" {len(comparison.unmatched)} {unit} không đối chiếu được (cảnh báo C011)."
    merges = [
        Merge(0, 0, 0, last, f"SO SÁNH KẾT QUẢ RÀ SOÁT TIÊU CHÍ {unit.upper()} VỚI KỲ TRƯỚC", TITLE),
        Merge(1, 0, 1, last, note, NOTE_WRAPPED),
    ]
    blocks: list[Block] = []
    row = 3

    def heading(text: str) -> None:
        nonlocal row
        merges.append(Merge(row, 0, row, last, text, HEADING))
        row += 1

    def nothing() -> None:
        nonlocal row
        merges.append(Merge(row, 0, row, last, "Không có.", NOTE))
        row += 2

    def head(*titles: str) -> None:
        nonlocal row
        blocks.append(Block(row, 0, (titles,), HEAD))
        row += 1

    heading(f"1. Theo {group_unit}: số {unit} đạt chuẩn ({size}/{size} tiêu chí)")
    periods = ("kỳ trước", "kỳ này")
    head(
        "STT",
        Group,
        *(f"Số {unit} {p}" for p in periods),
        *(f"Số {unit} đạt chuẩn {p}" for p in periods),
        "Thay đổi",
    )

    def put(col: int, values: Sequence[tuple[Value, ...]], style: Style = CENTER) -> None:
        blocks.append(Block(row, col, tuple(values), style))

    communes = comparison.communes
    if communes:
        put(0, [(i,) for i in range(1, len(communes) + 1)])
        put(1, [(c.shown(group_unit),) for c in communes], TEXT)
        put(2, [(c.villages_before, c.villages_now, c.standard_before, c.standard_now) for c in communes])
        put(6, [(c.change,) for c in communes], SIGNED)
        row += len(communes) + 1
    else:
        nothing()

    heading(f"2. Theo {unit}: tiêu chí đạt ở kỳ trước và kỳ này")
    gained_lost = ("Tiêu chí mới đạt", "Tiêu chí không còn đạt")
    head("STT", Group, Unit, *(f"Số tiêu chí đạt {p}" for p in periods), "Thay đổi", *gained_lost)
    changes = comparison.changes
    if changes:
        put(0, [(i,) for i in range(1, len(changes) + 1)])
        put(1, [(c.shown_commune(group_unit), c.shown_village) for c in changes], TEXT)
        put(3, [(c.previous.assessment.met_count, c.current.met_count) for c in changes])
        put(5, [(c.change,) for c in changes], SIGNED)
        put(6, [(_numbers(c.gained), _numbers(c.lost)) for c in changes], TEXT)
        row += len(changes) + 1
    else:
        nothing()

    def listed(title: str, count_head: str, rows: Sequence[tuple[str, str, int, str]]) -> None:
        nonlocal row
        heading(title)
        merges.append(Merge(row, 4, row, last, "Vị trí", HEAD))
        head("STT", Group, Unit, count_head)
        if not rows:
            nothing()
            return
        put(0, [(i,) for i in range(1, len(rows) + 1)])
        put(1, [r[:2] for r in rows], TEXT)
        put(3, [(r[2],) for r in rows])
        for i, r in enumerate(rows):
            merges.append(Merge(row + i, 4, row + i, last, r[3], TEXT))
        row += len(rows) + 1

    listed(
        f"3. {Unit} mới trong kỳ này (không có ở kỳ trước)",
        "Số tiêu chí đạt kỳ này",
        [(v.commune, v.village, v.met_count, str(v.location)) for v in comparison.new],
    )
    listed(
        f"4. {Unit} của kỳ trước không còn trong kỳ này",
        "Số tiêu chí đạt kỳ trước",
        [
            (g.shown_commune(group_unit), g.shown_village, g.assessment.met_count, str(g.assessment.location))
            for g in comparison.gone
        ],
    )
    section = 5
    if comparison.not_counted:
        heading(f"{section}. {Unit} có ở cả hai kỳ nhưng một kỳ chưa được tính do lỗi dữ liệu")
        merges.append(Merge(row, 4, row, last, "Vị trí (kỳ được tính)", HEAD))
        head("STT", Group, Unit, "Kỳ chưa được tính")
        put(0, [(i,) for i in range(1, len(comparison.not_counted) + 1)])
        put(1, [(c, v, period) for c, v, period, _ in comparison.not_counted], TEXT)
        for i, (*_, where) in enumerate(comparison.not_counted):
            merges.append(Merge(row + i, 4, row + i, last, str(where), TEXT))
        row += len(comparison.not_counted) + 1
        section += 1
    if comparison.unmatched:
        listed(
            f"{section}. {Unit} không đối chiếu được với kỳ trước (trùng tên, xem cảnh báo C011)",
            "Số tiêu chí đạt kỳ này",
            [(v.commune, v.village, v.met_count, str(v.location)) for v in comparison.unmatched],
        )
    return SheetSpec(
        name=COMPARISON_SHEET,
        blocks=tuple(blocks),
        merges=tuple(merges),
        column_widths=((0, 0, 6), (1, 2, 24), (3, 5, 12), (6, 7, 18)),
        row_heights=((0, 22),),
        page=PageSetup(landscape=True),
    )


@_finished
def crosswalk_sheet(
    moved: Sequence[Moved], source: Path, unit: str = "thôn", group_unit: str = "xã"
) -> SheetSpec:
    """The villages of this period's files counted under their names after the 2025 merger."""
    last = 4
    note = (
        f"Bảng chuyển đổi: {display_name(source)}. {len(moved)} {unit} trong các biểu được tính theo "
        f"{group_unit}, {unit} mới; tên cũ ghi trong ngoặc."
    )
    merges = [
        Merge(0, 0, 0, last, f"CÁC {unit.upper()} ĐƯỢC TÍNH THEO ĐƠN VỊ SAU SẮP XẾP", TITLE),
        Merge(1, 0, 1, last, note, NOTE_WRAPPED),
    ]
    blocks = [Block(3, 0, (("STT", group_unit.capitalize(), unit.capitalize()),), HEAD)]
    merges.append(Merge(3, 3, 3, last, "Vị trí trong biểu", HEAD))
    if moved:
        blocks.append(Block(4, 0, tuple((i,) for i in range(1, len(moved) + 1)), CENTER))
        blocks.append(Block(4, 1, tuple((m.shown_commune(group_unit), m.shown_village) for m in moved), TEXT))
        merges += [Merge(4 + i, 3, 4 + i, last, str(m.location), TEXT) for i, m in enumerate(moved)]
    else:
        merges.append(Merge(4, 0, 4, last, f"Không có {unit} nào cần chuyển đổi.", NOTE))
    return SheetSpec(
        name=MOVED_SHEET,
        blocks=tuple(blocks),
        merges=tuple(merges),
        column_widths=((0, 0, 6), (1, 2, 34), (3, 4, 26)),
        row_heights=((0, 22),),
        freeze=(4, 0),
        page=PageSetup(landscape=False, repeat_rows=(3, 3)),
    )


def summary_sheets(
    summary: Summary,
    period: str = "",
    sections: NoticeSections | None = None,
    notice: NoticeConfig | None = None,
    *,
    framed: bool = True,
) -> tuple[SheetSpec, ...]:
    """The summary workbook's sheets; with a notice configuration, the detailed table and the
    sheet "Thông báo" follow it: villages grouped as it says and, when ``framed``, the
    notice's header, subject and the table's caption around them."""
    return (
        overview_sheet(summary, period),
        deficiency_sheet(summary),
        detail_sheet(summary, period, notice, framed=framed),
        notice_sheet(
            sections or notice_sections(summary, notice),
            notice_frame(summary, notice) if notice is not None and framed else None,
        ),
        problems_sheet(summary),
        disagreement_sheet(summary),
        # Only when some file carried indicator values.
        *((indicator_sheet(summary),) if summary.indicator_checks else ()),
    )


def write_summary_workbook(
    path: str | Path,
    summary: Summary,
    *,
    period: str = "",
    created: datetime | None = None,
    sections: NoticeSections | None = None,
    extra: Sequence[SheetSpec] = (),
    notice: NoticeConfig | None = None,
) -> Path:
    """The summary workbook: overview, deficiencies, detailed table, notice lines, problems,
    disagreements between two verdicts, then the ``extra`` sheets (the run record...).

    ``sections`` are the notice lines when the caller has them already (they are computed
    from the summary otherwise); ``notice`` is the notice configuration they follow.

    ``path`` is the .xlsx to write; ``summary`` what ``summarize`` returned; ``period`` names
    the review period in titles; ``created`` the file's creation time (fix it for
    reproducible bytes).
    """
    with gc_paused():
        layouts = (*summary_sheets(summary, period, sections, notice), *extra)
    return write_workbook(
        path,
        layouts,
        title="Tổng hợp kết quả rà soát tiêu chí nông thôn mới",
        created=created,
    )


def write_notice_text(
    path: str | Path,
    summary: Summary,
    *,
    sections: NoticeSections | None = None,
    notice: NoticeConfig | None = None,
) -> Path:
    """Sections I.2 and I.3 as UTF-8 text, one line each; with a notice configuration, framed by
    the header and subject line above and the attached table's caption below.

    ``path`` is the text file to write; ``summary`` what ``summarize`` returned; ``sections``
    the lines when the caller has them; ``notice`` the configuration.
    """
    path = Path(path)
    if sections is None:
        with gc_paused():
            sections = notice_sections(summary, notice)
    text = sections.text() if notice is None else notice_frame(summary, notice).text(sections)
    with atomic_output(path) as temporary:
        temporary.write_text(text, encoding="utf-8", newline="\n")
    return path


# The sheet "Chỉ tiêu" ----------------------------------------------------------------------


def indicator_sheet(summary: Summary) -> SheetSpec:
    """Every village's indicator values with the threshold and the result."""
    unit, group_unit = summary.criteria.unit, summary.criteria.group_unit
    checks = summary.indicator_checks
    year = period_year(summary.period)
    head = (
        "STT",
        group_unit.capitalize(),
        unit.capitalize(),
        "Tiêu chí số",
        "Chỉ tiêu",
        "Tên chỉ tiêu",
        "Giá trị trong biểu",
        "Giá trị",
        "Đơn vị",
        "Ngưỡng",
        "Kết quả",
        "Vị trí",
    )
    note = f"Ngưỡng của năm {year}." if year is not None else "Ngưỡng theo năm của kỳ đánh giá."
    blocks = [Block(3, 0, (head,), HEAD)]
    if checks:
        blocks.append(
            Block(4, 0, tuple((i, c.commune, c.village, c.criterion) for i, c in enumerate(checks, 1)), TEXT)
        )
        blocks.append(
            Block(
                4,
                4,
                tuple(
                    (
                        c.code,
                        c.name,
                        _raw_value(c.value.value),
                        round(c.number, 4) if c.number is not None else "",
                        c.unit,
                        c.threshold,
                        c.result,
                        f"{display_name(c.location.file)}, trang '{c.location.sheet}', ô {c.value.cell}",
                    )
                    for c in checks
                ),
                TEXT,
            )
        )
        blocks.append(Block(4, 3, tuple((c.criterion,) for c in checks), CENTER))
    last = 3 + max(len(checks), 1)
    return SheetSpec(
        name=INDICATOR_SHEET,
        blocks=tuple(blocks),
        merges=(
            Merge(0, 0, 0, len(head) - 1, f"GIÁ TRỊ CÁC CHỈ TIÊU CỦA TỪNG {unit.upper()}", TITLE),
            Merge(1, 0, 1, len(head) - 1, note, NOTE),
        ),
        column_widths=(
            (0, 0, 6),
            (1, 2, 18),
            (3, 4, 9),
            (5, 5, 30),
            (6, 6, 16),
            (7, 7, 10),
            (8, 8, 18),
            (9, 10, 12),
            (11, 11, 40),
        ),
        freeze=(4, 0),
        highlights=(Highlight(4, 10, last, 10, NOT_MET, ERROR_FILL),),
        page=PageSetup(landscape=True, repeat_rows=(3, 3)),
    )


def _raw_value(value: CellValue) -> str | float | int:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return value
    return str(value)
