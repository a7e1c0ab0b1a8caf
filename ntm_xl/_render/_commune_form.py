"""The standard commune workbook: the form a commune fills and sends back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell

from .._values._criteria import CriteriaSet
from .._values._form import FORM_SHEET, GUIDE_SHEET, GUIDE_TITLE
from .._values._marks import MET_WORD, NOT_MET_WORD
from ._spec import Block, Formula, Highlight, ListValidation, Merge, PageSetup, SheetSpec, Style
from ._xlsx import write_workbook

__all__ = ["BLANK_ROWS", "FORM_SHEET", "form_sheets", "write_commune_form"]

BLANK_ROWS = 15
# A fixed creation time: the same arguments always give the same bytes.
CREATED = datetime(2024, 1, 1)

_LABEL = Style(bold=True)
_INPUT = Style(locked=False, color="#1F4E79", bold=True)
_TITLE = Style(bold=True, size=14, align="center", wrap=True)
_SUBTITLE = Style(italic=True, align="center")
_HEAD = Style(bold=True, align="center", wrap=True, border=True, fill="#DDEBF7")
_HEAD_VERTICAL = Style(bold=True, align="center", wrap=True, border=True, fill="#DDEBF7", rotation=90)
_STT = Style(border=True, align="center")
_NAME = Style(border=True, locked=False, wrap=True)
_MARK = Style(border=True, align="center", locked=False, wrap=True, size=10)
_COUNT = Style(border=True, align="center", bold=True)
_NOTES = Style(border=True, locked=False, wrap=True)
_GUIDE = Style(wrap=True, valign="top")
_GUIDE_TITLE = Style(bold=True, size=14)


def _guide(criteria: CriteriaSet) -> SheetSpec:
    unit = criteria.unit
    lines = (
        f"1. Ghi tên xã và kỳ đánh giá ở đầu trang '{FORM_SHEET}' (các ô chữ xanh).",
        f"2. Mỗi dòng là một {unit} đăng ký đạt chuẩn: ghi tên {unit} ở cột 'Tên {unit}' "
        f"(chỉ ghi tên, không cần chữ '{unit.capitalize()}').",
        f"3. Ở mỗi cột tiêu chí, chọn '{MET_WORD}' hoặc '{NOT_MET_WORD}' trong danh sách. "
        "Không để trống: ô trống là thiếu số liệu, không được tính.",
        "4. 'Cơ bản đạt' được tính là chưa đạt.",
        "5. Cột 'Số tiêu chí đạt' tự tính, không cần ghi.",
        f"6. Không thêm, bớt hay đổi thứ tự các cột tiêu chí. Có thể xoá các dòng {unit} không dùng.",
        "7. Lưu tệp dạng Excel (.xlsx) và gửi về Văn phòng điều phối nông thôn mới.",
    )
    names = tuple((c.number, c.name) for c in criteria.criteria)
    return SheetSpec(
        name=GUIDE_SHEET,
        blocks=(
            Block(0, 0, ((GUIDE_TITLE,),), _GUIDE_TITLE),
            Block(2, 0, tuple((line,) for line in lines), _GUIDE),
            Block(3 + len(lines), 0, ((criteria.title or "Bộ tiêu chí",),), _LABEL),
            Block(4 + len(lines), 0, tuple((f"Tiêu chí số {n}: {name}",) for n, name in names), _GUIDE),
        ),
        column_widths=((0, 0, 110),),
        page=PageSetup(landscape=False),
    )


def form_sheets(
    criteria: CriteriaSet,
    *,
    commune: str = "",
    villages: Sequence[str] = (),
    province: str = "",
    district: str = "",
    period: str = "",
    marks: Mapping[str, Mapping[int, bool]] | None = None,
) -> tuple[SheetSpec, ...]:
    """The form's sheets; ``marks`` (village -> criterion -> met) pre-fills it."""
    unit, group_unit = criteria.unit, criteria.group_unit
    n = len(criteria)
    first_mark, count_col = 2, 2 + n
    notes_col = count_col + 1
    head = 7
    first_row = head + 2
    rows = list(villages) or [""] * BLANK_ROWS
    last_row = first_row + len(rows) - 1

    labels = (
        ("Tỉnh:", province),
        ("Huyện:", district),
        (f"{group_unit.capitalize()}:", commune),
        ("Kỳ đánh giá:", period),
    )
    blocks = [
        Block(0, 0, tuple((label, "") for label, _ in labels), _LABEL),
        Block(head + 1, first_mark, (tuple(c.label for c in criteria.criteria),), _HEAD_VERTICAL),
        Block(first_row, 0, tuple((i,) for i in range(1, len(rows) + 1)), _STT),
        Block(first_row, 1, tuple((name,) for name in rows), _NAME),
    ]
    filled = marks or {}
    blocks.append(
        Block(
            first_row,
            first_mark,
            tuple(
                tuple(
                    (MET_WORD if filled[name][c.number] else NOT_MET_WORD) if name in filled else ""
                    for c in criteria.criteria
                )
                for name in rows
            ),
            _MARK,
        )
    )
    counts = []
    for r, name in enumerate(rows, first_row):
        span = f"{xl_rowcol_to_cell(r, first_mark)}:{xl_rowcol_to_cell(r, count_col - 1)}"
        # The cached result is what readers without a calculation engine see.
        cached = sum(filled[name].values()) if name in filled else ""
        counts.append((Formula(f'=IF(COUNTA({span})=0,"",COUNTIF({span},"{MET_WORD}"))', cached),))
    blocks.append(Block(first_row, count_col, tuple(counts), _COUNT))
    blocks.append(Block(first_row, notes_col, tuple(("",) for _ in rows), _NOTES))
    merges = (
        Merge(0, 2, 0, 6, province, _INPUT),
        Merge(1, 2, 1, 6, district, _INPUT),
        Merge(2, 2, 2, 6, commune, _INPUT),
        Merge(3, 2, 3, 8, period, _INPUT),
        Merge(
            4,
            0,
            4,
            notes_col,
            f"BIỂU TỰ ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ {unit.upper()} NÔNG THÔN MỚI",
            _TITLE,
        ),
        Merge(5, 0, 5, notes_col, criteria.title, _SUBTITLE),
        Merge(head, 0, head + 1, 0, "STT", _HEAD),
        Merge(head, 1, head + 1, 1, f"Tên {unit}", _HEAD),
        Merge(
            head,
            first_mark,
            head,
            count_col - 1,
            f"Tiêu chí (chọn '{MET_WORD}' hoặc '{NOT_MET_WORD}')",
            _HEAD,
        ),
        Merge(head, count_col, head + 1, count_col, "Số tiêu chí đạt", _HEAD),
        Merge(head, notes_col, head + 1, notes_col, "Ghi chú", _HEAD),
    )
    form = SheetSpec(
        name=FORM_SHEET,
        blocks=tuple(blocks),
        merges=merges,
        column_widths=(
            (0, 0, 5),
            (1, 1, 22),
            (first_mark, count_col - 1, 6.5),
            (count_col, count_col, 9),
            (notes_col, notes_col, 18),
        ),
        row_heights=((4, 36), (head + 1, 150), *((r, 21) for r in range(first_row, last_row + 1))),
        freeze=(first_row, 2),
        validations=(
            ListValidation(
                first_row,
                first_mark,
                last_row,
                count_col - 1,
                (MET_WORD, NOT_MET_WORD),
                title="Đánh giá tiêu chí",
                message=f"Chọn '{MET_WORD}' hoặc '{NOT_MET_WORD}'.",
                error=f"Chỉ được ghi '{MET_WORD}' hoặc '{NOT_MET_WORD}'.",
            ),
        ),
        highlights=(Highlight(first_row, first_mark, last_row, count_col - 1, NOT_MET_WORD, "#F8CBAD"),),
        page=PageSetup(landscape=True, repeat_rows=(head, head + 1), margins_mm=(15, 10, 15, 15)),
        protect=True,
    )
    return form, _guide(criteria)


def write_commune_form(path: str | Path, criteria: CriteriaSet, **fields: object) -> Path:
    """Write the commune form; the same arguments give the same bytes.

    ``path`` is the .xlsx to write; ``criteria`` the set whose columns it has; ``fields`` fill
    the form's head and rows: ``commune``, ``villages`` (names), ``marks`` (village -> criterion
    number -> met), ``period``, ``province``, ``district``.
    """
    layouts = form_sheets(criteria, **fields)  # type: ignore[arg-type]
    title = f"Biểu tự đánh giá tiêu chí {criteria.unit} nông thôn mới"
    return write_workbook(path, layouts, title=title, created=CREATED)
