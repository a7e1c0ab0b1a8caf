"""The master workbook: the clerk's one workbook, with buttons that run ntm_xl through xlwings.

Its input sheets are described here once, as ``SheetSpec`` values, and
written by xlsxwriter into the .xlsm; the same module reads them back from
the open workbook (rows of cell values) for the buttons in ``excel``.

The .xlsm is built without Excel, the same bytes every time:

1. the VBA project comes from ``quickstart_standalone.xlsm`` shipped in the
   xlwings package (it carries xlwings' own ``RunPython`` module, so clerks
   install no add-in); pyopenvba removes its sample module, adds a document
   module per sheet and the modules of ``ntm_xl/macros/*.bas``, and saves it to a
   temporary copy, from which ``vbaProject.bin`` is taken;
2. xlsxwriter writes the workbook (sheets, buttons, defined names) with that
   project and fixed timestamps.

pyopenvba never writes the final file: it would keep an .xlsx content type
when giving a project to a workbook that has none. The versions that make
the bytes are pinned in ``BUILD_PINS`` (and in setup.cfg).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from importlib import metadata
from pathlib import Path

from .._common._errors import CriteriaError, UsageError
from .._common._text import clean, fold
from .._notice._config import CONFIG_KEYS
from .._read._rules import RULE_KEYS, RULES_SHEET, ReadingRules, rules_from_rows
from .._render._spec import Block, Merge, PageSetup, SheetSpec, Style
from .._render._summary import SHEET_NAMES as OUTPUT_SHEETS
from .._values._criteria import (
    DEFAULT_CRITERIA,
    CriteriaSet,
    builtin_criteria_names,
    criteria_from_mapping,
    load_criteria,
)
from .._values._marks import MET_WORD, NOT_MET_WORD

__all__ = [
    "BUILD_PINS",
    "BUTTONS",
    "CONFIG_FIELDS",
    "CONFIG_SHEET",
    "CRITERIA_SHEET",
    "DATA_SHEET",
    "GUIDE_SHEET",
    "KIT_HOME",
    "KIT_INTERPRETER",
    "KIT_TEMP",
    "MACROS_DIR",
    "MASTER_SHEETS",
    "PICKED_FILES_NAME",
    "REGISTRY_SHEET",
    "RULES_SHEET",
    "XLWINGS_CONF_SHEET",
    "Button",
    "DataRow",
    "build_master_workbook",
    "check_build_versions",
    "criteria_from_rows",
    "criteria_sheet",
    "data_rows",
    "data_sheet",
    "install_workbook",
    "main_install",
    "master_sheets",
    "point_to_home",
    "read_config",
    "read_macros",
    "reading_rules",
    "registry_rows",
]

GUIDE_SHEET = "Hướng dẫn"
CONFIG_SHEET = "Cấu hình"
CRITERIA_SHEET = "Bộ tiêu chí"
REGISTRY_SHEET = "Danh mục thôn"
DATA_SHEET = "Dữ liệu"
XLWINGS_CONF_SHEET = "xlwings.conf"
INPUT_SHEETS = (GUIDE_SHEET, CONFIG_SHEET, CRITERIA_SHEET, REGISTRY_SHEET, RULES_SHEET, DATA_SHEET)
MASTER_SHEETS = (*INPUT_SHEETS, *OUTPUT_SHEETS, XLWINGS_CONF_SHEET)

# The add-in's VBA, shipped with the package so `ntm-xl workbook` works from a wheel.
MACROS_DIR = Path(__file__).resolve().parent.parent / "macros"
# Everything that goes into the bytes of the built .xlsm.
BUILD_PINS = {"xlsxwriter": "3.3.1", "pyopenvba": "6.5.0", "xlwings": "0.37.8"}
CREATED = datetime(2024, 1, 1)

# Defined names the macros use: VBA source is ASCII, so it reaches cells by
# name, never by a Vietnamese sheet name.
FOLDER_NAME = "NTM_ThuMucXa"
PICKED_FILES_NAME = "NTM_TepChon"
PICKER_TITLE_NAME = "NTM_TieuDeChonTep"
PICKER_TITLE = "Chọn biểu của các xã (giữ Ctrl để chọn nhiều tệp)"
PICKED_FILES_MAX = 1000

_TITLE = Style(bold=True, size=14)
_NOTE = Style(italic=True, wrap=True, valign="top")
_TEXT = Style(wrap=True, valign="top")
_LABEL = Style(bold=True, border=True, valign="top", wrap=True)
_INPUT = Style(border=True, locked=False, color="#1F4E79", wrap=True, valign="top")
_HINT = Style(italic=True, color="#595959", wrap=True, valign="top")
_HEAD = Style(bold=True, align="center", wrap=True, border=True, fill="#DDEBF7")
_CELL = Style(border=True, locked=False, valign="top", wrap=True)
_CENTER = Style(border=True, locked=False, align="center", valign="top")
_HEADING = Style(bold=True)


@dataclass(frozen=True)
class Button:
    caption: str
    macro: str  # a Sub in ntm_xl/macros/*.bas
    function: str  # the Python entry point it runs


BUTTONS = (
    Button("Nhập dữ liệu xã", "NhapDuLieuXa", "nhap_du_lieu_xa"),
    Button("Tính toán", "TinhToan", "tinh_toan"),
    Button("Tạo thông báo", "TaoThongBao", "tao_thong_bao"),
)


# ---------------------------------------------------------------------------
# "Cấu hình"

# key, label, hint. Keys that name a notice fact are ``_notice_config`` keys.
# key, label, hint: the workbook's own keys around the notice's (declared with NoticeConfig).
CONFIG_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("province", "Tỉnh", "Ví dụ: Bắc Kạn"),
    *((k.key, k.label, k.hint) for k in CONFIG_KEYS),
    ("criteria", "Bộ tiêu chí", "Chỉ để ghi nhớ; nội dung bộ tiêu chí ở trang 'Bộ tiêu chí'"),
    ("folder", "Thư mục biểu của các xã", "Nơi hộp chọn tệp mở ra, ví dụ D:\\NTM\\2024\\Bieu xa"),
    (
        "previous",
        "Biểu tổng hợp kỳ trước",
        "Tệp tổng hợp kỳ trước do ntm-xl ghi (hoặc bảng tính chính kỳ trước), ví dụ tong-hop-2023.xlsx "
        "cạnh tệp này; có thì 'Tính toán' ghi thêm trang 'So sánh kỳ trước'",
    ),
)
_CONFIG_DEFAULTS = {k.key: k.default for k in CONFIG_KEYS if k.default}
_CONFIG_LINES = frozenset(k.key for k in CONFIG_KEYS if k.kind == "lines")
_CONFIG_FIRST = 4  # row of the first field
_PICKED_HEAD = _CONFIG_FIRST + len(CONFIG_FIELDS) + 1
_PICKED_FIRST = _PICKED_HEAD + 1


def _config_sheet(criteria: CriteriaSet) -> SheetSpec:
    defaults = {**_CONFIG_DEFAULTS, "criteria": criteria.title}
    return SheetSpec(
        name=CONFIG_SHEET,
        blocks=(
            Block(0, 0, (("CẤU HÌNH",),), _TITLE),
            Block(1, 0, (("Điền cột 'Giá trị' trước khi bấm các nút ở trang 'Hướng dẫn'.",),), _NOTE),
            Block(3, 0, (("Mục", "Giá trị", "Ghi chú"),), _HEAD),
            Block(_CONFIG_FIRST, 0, tuple((label,) for _, label, _ in CONFIG_FIELDS), _LABEL),
            Block(_CONFIG_FIRST, 1, tuple((defaults.get(key, ""),) for key, _, _ in CONFIG_FIELDS), _INPUT),
            Block(_CONFIG_FIRST, 2, tuple((hint,) for _, _, hint in CONFIG_FIELDS), _HINT),
            Block(
                _PICKED_HEAD,
                0,
                (
                    (
                        "Tệp đã chọn",
                        "Các tệp chọn ở lần 'Nhập dữ liệu xã' gần nhất (nút tự ghi, không cần sửa)",
                    ),
                ),
                _HEADING,
            ),
        ),
        column_widths=((0, 0, 24), (1, 1, 60), (2, 2, 50)),
        page=PageSetup(landscape=False),
    )


def read_config(rows: Sequence[Sequence[object]]) -> dict[str, str]:
    """Field key -> value from the sheet's rows, found by label (rows may have moved)."""
    by_label = {fold(label): key for key, label, _ in CONFIG_FIELDS}
    config = {key: "" for key, _, _ in CONFIG_FIELDS}
    for row in rows[: _PICKED_HEAD + 20]:
        if len(row) < 2 or not isinstance(row[0], str):
            continue
        key = by_label.get(fold(row[0]))
        if key is not None and not config[key]:
            value = row[1]
            if key == "date" and isinstance(value, (datetime, date)):
                config[key] = f"{value:%Y-%m-%d}"
            elif isinstance(value, str) and key in _CONFIG_LINES:
                config[key] = "\n".join(clean(line) for line in value.splitlines() if clean(line))
            else:
                config[key] = _text(value)
    return config


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y}" if value.time() == time(0) else f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value))


# ---------------------------------------------------------------------------
# "Bộ tiêu chí"

_CRITERIA_META = (
    ("id", "Mã bộ tiêu chí"),
    ("title", "Tên bộ tiêu chí"),
    ("province", "Tỉnh"),
    ("period", "Giai đoạn"),
    ("unit", "Đơn vị được đánh giá"),
    ("group_unit", "Đơn vị tổng hợp"),
)
_CRITERIA_HEAD = (
    "Số",
    "Tên tiêu chí",
    "Tên ngắn (dùng trong thông báo)",
    "Nhóm",
    "Tên gọi khác (cách nhau bởi ;)",
    "Giải pháp (mục III.2 của thông báo; mỗi đoạn một dòng, Alt+Enter)",
)
_CRITERIA_HEAD_ROW = 3 + len(_CRITERIA_META) + 1


def criteria_sheet(criteria: CriteriaSet) -> SheetSpec:
    rows = tuple(
        (c.number, c.name, c.short_name, c.group, "; ".join(c.aliases), c.measures) for c in criteria.criteria
    )
    return SheetSpec(
        name=CRITERIA_SHEET,
        blocks=(
            Block(0, 0, (("BỘ TIÊU CHÍ ĐANG DÙNG",),), _TITLE),
            Block(
                1,
                0,
                (
                    (
                        "'Tính toán' đọc bộ tiêu chí ở trang này. Có thể sửa tên, thêm hoặc bớt tiêu chí "
                        "(mỗi tiêu chí một dòng, số không trùng nhau). Ngưỡng của các chỉ tiêu là của bộ "
                        "tiêu chí có sẵn mang mã ghi ở ô 'Mã bộ tiêu chí'.",
                    ),
                ),
                _NOTE,
            ),
            Block(3, 0, tuple((label,) for _, label in _CRITERIA_META), _LABEL),
            Block(_CRITERIA_HEAD_ROW, 0, (_CRITERIA_HEAD,), _HEAD),
            Block(_CRITERIA_HEAD_ROW + 1, 0, tuple((r[0],) for r in rows), _CENTER),
            Block(_CRITERIA_HEAD_ROW + 1, 1, tuple(r[1:] for r in rows), _CELL),
        ),
        merges=tuple(
            Merge(3 + i, 1, 3 + i, 4, getattr(criteria, key), _INPUT)
            for i, (key, _) in enumerate(_CRITERIA_META)
        ),
        column_widths=((0, 0, 22), (1, 1, 40), (2, 2, 30), (3, 3, 26), (4, 4, 30), (5, 5, 70)),
        freeze=(_CRITERIA_HEAD_ROW + 1, 0),
        page=PageSetup(landscape=True, repeat_rows=(_CRITERIA_HEAD_ROW, _CRITERIA_HEAD_ROW)),
    )


def _find_row(rows: Sequence[Sequence[object]], first: str, second: str) -> int | None:
    for index, row in enumerate(rows):
        if (
            len(row) >= 2
            and isinstance(row[0], str)
            and isinstance(row[1], str)
            and (fold(row[0]), fold(row[1])) == (fold(first), fold(second))
        ):
            return index
    return None


def _cell_name(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def criteria_from_rows(rows: Sequence[Sequence[object]]) -> CriteriaSet:
    """The criteria set as the clerk left it on the sheet; ``CriteriaError`` says which cell is wrong."""
    where = f"Trang '{CRITERIA_SHEET}'"
    head = _find_row(rows, _CRITERIA_HEAD[0], _CRITERIA_HEAD[1])
    if head is None:
        raise CriteriaError(
            f"{where} không có dòng tiêu đề 'Số' | 'Tên tiêu chí': cần giữ nguyên dòng này (xem tệp mẫu)."
        )
    meta = {fold(label): key for key, label in _CRITERIA_META}
    fields = {key: "" for key, _ in _CRITERIA_META}
    for row in rows[:head]:
        if len(row) >= 2 and isinstance(row[0], str) and fold(row[0]) in meta:
            fields[meta[fold(row[0])]] = _text(row[1])
    entries: list[dict[str, object]] = []
    seen: dict[int, str] = {}
    for index in range(head + 1, len(rows)):
        row = list(rows[index]) + [None] * len(_CRITERIA_HEAD)
        number, name = row[0], _text(row[1])
        if (number is None or number == "") and not name:
            if any(_text(v) for v in row[2 : len(_CRITERIA_HEAD)]):
                raise CriteriaError(f"{where}, ô {_cell_name(index, 0)}: thiếu số tiêu chí.")
            continue
        if isinstance(number, str) and number.strip().isdigit():
            number = int(number.strip())
        if isinstance(number, float) and number.is_integer():
            number = int(number)
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            raise CriteriaError(
                f"{where}, ô {_cell_name(index, 0)}: số tiêu chí phải là số nguyên dương, gặp "
                f"'{_text(number)}'."
            )
        if not name:
            raise CriteriaError(f"{where}, ô {_cell_name(index, 1)}: thiếu tên tiêu chí số {number}.")
        if number in seen:
            raise CriteriaError(
                f"{where}, ô {_cell_name(index, 0)}: tiêu chí số {number} bị trùng (đã có ở ô "
                f"{seen[number]})."
            )
        seen[number] = _cell_name(index, 0)
        measures = row[5] if isinstance(row[5], str) else _text(row[5])
        entries.append(
            {
                "number": number,
                "name": name,
                "short_name": _text(row[2]),
                "group": _text(row[3]),
                "aliases": [a for a in (clean(x) for x in _text(row[4]).split(";")) if a],
                # One paragraph a line, as in the TOML files.
                "measures": "\n".join(clean(line) for line in measures.splitlines() if clean(line)),
            }
        )
    if not entries:
        raise CriteriaError(f"{where} chưa có tiêu chí nào: cần ít nhất một dòng dưới dòng tiêu đề.")
    criteria = criteria_from_mapping(
        {
            "id": fields["id"] or CRITERIA_SHEET,
            **{k: v for k, v in fields.items() if k != "id"},
            "criterion": entries,
        },
        CRITERIA_SHEET,
    )
    if criteria.id in builtin_criteria_names():
        # The sheet has no room for indicators and their thresholds: those of the built-in
        # set it names apply, as they do for `ntm-xl summarize --criteria <id>`.
        criteria = replace(criteria, source=criteria.id)
    return criteria


# ---------------------------------------------------------------------------
# "Danh mục thôn"

_REGISTRY_HEAD_ROW = 3


def _registry_sheet() -> SheetSpec:
    return SheetSpec(
        name=REGISTRY_SHEET,
        blocks=(
            Block(0, 0, (("DANH MỤC THÔN ĐĂNG KÝ ĐẠT CHUẨN",),), _TITLE),
            Block(
                1,
                0,
                (
                    (
                        "Mỗi dòng một thôn. Không bắt buộc: khi có danh mục, 'Tính toán' báo thôn nào "
                        "chưa có "
                        "dữ liệu và thôn nào có dữ liệu nhưng không có trong danh mục.",
                    ),
                ),
                _NOTE,
            ),
            Block(_REGISTRY_HEAD_ROW, 0, (("STT", "Xã", "Thôn", "Ghi chú"),), _HEAD),
        ),
        merges=(Merge(1, 0, 1, 3, None, _NOTE),),
        column_widths=((0, 0, 6), (1, 2, 26), (3, 3, 40)),
        row_heights=((1, 32),),
        freeze=(_REGISTRY_HEAD_ROW + 1, 0),
        page=PageSetup(landscape=False, repeat_rows=(_REGISTRY_HEAD_ROW, _REGISTRY_HEAD_ROW)),
    )


def registry_rows(rows: Sequence[Sequence[object]]) -> list[tuple[str, str, str]]:
    """(commune, village, cell of the village) for every filled row."""
    head = _find_row(rows, "STT", "Xã")
    found = []
    for index in range(head + 1 if head is not None else _REGISTRY_HEAD_ROW + 1, len(rows)):
        row = list(rows[index]) + [None] * 3
        commune, village = _text(row[1]), _text(row[2])
        if commune and village:
            found.append((commune, village, _cell_name(index, 2)))
    return found


# ---------------------------------------------------------------------------
# "Quy tắc đọc": the reading rules of ``ntm-xl ... --rules FILE.toml``, one rule a row

# key -> (what it fixes, an example); the keys are those of the TOML file (``RULE_KEYS``).
_RULE_HELP: dict[str, tuple[str, str]] = {
    "ten": ("Tên quy tắc (để nhận ra trong thông báo lỗi và khi xem cách đọc)", "Đồng Lạc 2024"),
    "tep": ("Áp dụng cho tệp có tên khớp mẫu (* thay cho mọi chữ)", "*dong-lac*.xlsx"),
    "xa_ap_dung": ("... hoặc cho biểu của xã này (khi không ghi 'tep')", "Đồng Lạc"),
    "trang": ("Chỉ đọc trang tính này", "Biểu 01"),
    "dong_tieu_de": ("Dòng tiêu đề bảng: dòng đầu; dòng cuối", "5; 7"),
    "cot_thon": ("Cột tên thôn", "B"),
    "xa": ("Xã của mọi thôn trong tệp", "Đồng Lạc"),
    "cot_xa": ("... hoặc cột ghi tên xã", "A"),
    "cot_tieu_chi": ("Cột của từng tiêu chí: số=cột, cách nhau bởi ;", "1=D; 2=E"),
    "cot_tieu_chi_dau": ("... hoặc tiêu chí 1, 2, ... ở các cột liền nhau từ cột này", "D"),
    "dat": ("Thêm chữ có nghĩa là đạt (cách nhau bởi ;)", "Hoàn thành"),
    "chua_dat": ("Thêm chữ có nghĩa là chưa đạt", "Chưa hoàn thành"),
    "bo_dong": ("Các dòng không bao giờ là thôn (cách nhau bởi ;)", "30; 31"),
    "danh_gia": ("Kết quả được tính: tham_dinh (mặc định) hoặc tu_danh_gia", "tu_danh_gia"),
}
assert tuple(_RULE_HELP) == RULE_KEYS, "one help text per key of the reading rules"
_RULES_HEAD_ROW = 5


def _rules_sheet() -> SheetSpec:
    keys = tuple(_RULE_HELP)
    last = len(keys) - 1
    return SheetSpec(
        name=RULES_SHEET,
        blocks=(
            Block(0, 0, (("QUY TẮC ĐỌC BIỂU CỦA CÁC XÃ",),), _TITLE),
            Block(3, 0, (tuple(help for help, _ in _RULE_HELP.values()),), _HINT),
            Block(4, 0, (tuple(f"Ví dụ: {example}" for _, example in _RULE_HELP.values()),), _HINT),
            Block(_RULES_HEAD_ROW, 0, (keys,), _HEAD),
        ),
        merges=(
            Merge(
                1,
                0,
                1,
                last,
                "Không bắt buộc: chỉ dùng khi ntm-xl không tự đọc đúng biểu của một xã (xem trang "
                "'Kiểm tra dữ liệu'). Mỗi dòng dưới dòng tên khóa (dòng "
                f"{_RULES_HEAD_ROW + 1}) là một quy tắc, giống tệp quy tắc đọc của lệnh ntm-xl --rules; "
                "ô để trống là không quy định. Cột ghi bằng chữ như trong Excel (B, AA), dòng ghi bằng số. "
                "Nút 'Nhập dữ liệu xã' đọc biểu theo các quy tắc này. Không sửa dòng tên khóa; hai dòng "
                "ngay trên nó chỉ để giải thích và không được đọc.",
                _NOTE,
            ),
        ),
        column_widths=((0, last, 18),),
        row_heights=((1, 62), (3, 62)),
        freeze=(_RULES_HEAD_ROW + 1, 0),
        page=PageSetup(landscape=True, repeat_rows=(_RULES_HEAD_ROW, _RULES_HEAD_ROW)),
    )


def reading_rules(rows: Sequence[Sequence[object]]) -> ReadingRules:
    """The rules on the sheet (none on a workbook made before the sheet existed);
    ``UsageError`` names the cell of a rule that does not parse."""
    return rules_from_rows(rows, RULES_SHEET)


# ---------------------------------------------------------------------------
# "Dữ liệu"

DATA_HEAD_ROW = 3
_DATA_AFTER = ("Tệp nguồn", "Trang", "Ô", "Thời điểm nhập")
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,3})\b")


@dataclass(frozen=True)
class DataRow:
    """One village as imported (or corrected by hand) on the "Dữ liệu" sheet."""

    commune: str
    village: str
    marks: Mapping[int, object]  # criterion number -> cell value as found
    file: str
    sheet: str
    cell: str
    imported: str
    row: int = -1  # 0-based row on the sheet, -1 before it is written
    mark_columns: Mapping[int, int] | None = None  # criterion number -> 0-based column on the sheet
    # The file's other verdict (the village's own assessment beside the reviewer's), criterion
    # number -> value; empty when the file gives one verdict.
    self_marks: Mapping[int, object] = field(default_factory=dict)
    self_columns: Mapping[int, int] | None = None  # as ``mark_columns``
    # Indicator values: (criterion, the label the file gave it, value), in the file's order.
    indicators: tuple[tuple[int, str, object], ...] = ()
    indicator_columns: tuple[int, ...] = ()  # 0-based column of each value on the sheet
    period: str = ""  # the review period the file names ("6 tháng đầu năm 2024"), for thresholds


# Optional columns after the fixed ones, present when some row needs them.
_PERIOD_HEAD = "Kỳ đánh giá (ghi trong biểu)"
_SELF_PREFIX = "Tự đánh giá: "
_INDICATOR_PREFIX = "Chỉ tiêu của TC "
_TRAILING_NUMBER = re.compile(r"(\d{1,3})\s*$")


def _self_head(label: str) -> str:
    return f"{_SELF_PREFIX}{label}"


def _indicator_head(criterion: int, label: str) -> str:
    return f"{_INDICATOR_PREFIX}{criterion}: {label}"


def _indicator_keys(rows: Sequence[DataRow]) -> list[tuple[int, str]]:
    """Every (criterion, label) some row has a value for, in first-seen order."""
    return list(dict.fromkeys((criterion, label) for r in rows for criterion, label, _ in r.indicators))


def data_sheet(criteria: CriteriaSet, rows: Sequence[DataRow] = ()) -> SheetSpec:
    n = len(criteria)
    head = ("Xã", "Thôn", *(c.label for c in criteria.criteria), *_DATA_AFTER)
    first = DATA_HEAD_ROW + 1
    blocks = [
        Block(0, 0, (("DỮ LIỆU ĐÃ NHẬP TỪ BIỂU CỦA CÁC XÃ",),), _TITLE),
        Block(DATA_HEAD_ROW, 0, (head,), _HEAD),
    ]
    if rows:
        blocks.append(Block(first, 0, tuple((r.commune, r.village) for r in rows), _CELL))
        blocks.append(
            Block(
                first,
                2,
                tuple(tuple(_mark_value(r.marks.get(c.number)) for c in criteria.criteria) for r in rows),
                _CENTER,
            )
        )
        blocks.append(Block(first, 2 + n, tuple((r.file, r.sheet, r.cell, r.imported) for r in rows), _CELL))
    extra = 2 + n + len(_DATA_AFTER)
    if any(r.period for r in rows):
        blocks.append(Block(DATA_HEAD_ROW, extra, ((_PERIOD_HEAD,),), _HEAD))
        blocks.append(Block(first, extra, tuple((r.period,) for r in rows), _CELL))
        extra += 1
    if any(r.self_marks for r in rows):
        blocks.append(
            Block(DATA_HEAD_ROW, extra, (tuple(_self_head(c.label) for c in criteria.criteria),), _HEAD)
        )
        values = tuple(
            tuple(_mark_value(r.self_marks.get(c.number)) for c in criteria.criteria) for r in rows
        )
        blocks.append(Block(first, extra, values, _CENTER))
        extra += n
    keys = _indicator_keys(rows)
    if keys:
        blocks.append(Block(DATA_HEAD_ROW, extra, (tuple(_indicator_head(*key) for key in keys),), _HEAD))
        by_row = [{(c, label): value for c, label, value in r.indicators} for r in rows]
        blocks.append(
            Block(
                first,
                extra,
                tuple(tuple(_mark_value(found.get(k)) for k in keys) for found in by_row),
                _CENTER,
            )
        )
        extra += len(keys)
    widths: tuple[tuple[int, int, float], ...] = (
        (0, 1, 18),
        (2, 1 + n, 9),
        (2 + n, 2 + n, 36),
        (3 + n, 3 + n, 16),
        (4 + n, 5 + n, 16),
    )
    if extra > 6 + n:
        widths = (*widths, (6 + n, extra - 1, 12))
    return SheetSpec(
        name=DATA_SHEET,
        blocks=tuple(blocks),
        merges=(
            Merge(
                1,
                0,
                1,
                min(1 + n, 12),
                f"Mỗi dòng một thôn, do nút 'Nhập dữ liệu xã' ghi; nhập lại một xã thì các dòng cũ của xã đó "
                f"được thay thế. Có thể sửa trực tiếp (ghi '{MET_WORD}' hoặc '{NOT_MET_WORD}'), "
                "rồi bấm 'Tính toán'.",
                _NOTE,
            ),
        ),
        column_widths=widths,
        row_heights=((1, 32), (DATA_HEAD_ROW, 90)),
        freeze=(first, 2),
        page=PageSetup(landscape=True, repeat_rows=(DATA_HEAD_ROW, DATA_HEAD_ROW)),
    )


def _mark_value(value: object) -> str | int | float | None:
    if value is None or isinstance(value, (str, int, float)):
        return value  # bool is an int: kept, so a TRUE in a commune file is reported as such
    return _text(value)


def data_rows(
    rows: Sequence[Sequence[object]], criteria: CriteriaSet, *, strict: bool = True
) -> list[DataRow]:
    """Village rows of the sheet.

    ``strict``: a criterion without a column is a ``UsageError``; otherwise
    its marks are read as blank (an import rewrites the columns anyway).
    """
    head_index = _find_row(rows, "Xã", "Thôn")
    if head_index is None:
        raise UsageError(
            f"Trang '{DATA_SHEET}' không có dòng tiêu đề 'Xã' | 'Thôn': cần giữ nguyên dòng này."
        )
    head = list(rows[head_index])
    columns: dict[int, int] = {}
    after: dict[str, int] = {}
    own: dict[int, int] = {}
    indicators: list[tuple[int, str, int]] = []  # criterion, label, column
    labels = {fold(label): label for label in (*_DATA_AFTER, _PERIOD_HEAD)}
    for col, value in enumerate(head[2:], 2):
        if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
            columns.setdefault(int(value), col)
        elif isinstance(value, str):
            match = _LEADING_NUMBER.match(value)
            left, _, right = value.partition(":")
            if match:
                columns.setdefault(int(match.group(1)), col)
            elif fold(value) in labels:
                after[labels[fold(value)]] = col
            elif fold(value).startswith(fold(_SELF_PREFIX)) and (number := _LEADING_NUMBER.match(right)):
                own.setdefault(int(number.group(1)), col)
            elif fold(value).startswith(fold(_INDICATOR_PREFIX)) and (
                number := _TRAILING_NUMBER.search(left)
            ):
                indicators.append((int(number.group(1)), right.strip(), col))
    missing = [c.number for c in criteria.criteria if c.number not in columns]
    if missing and strict:
        raise UsageError(
            f"Trang '{DATA_SHEET}' thiếu cột của tiêu chí số {', '.join(str(n) for n in missing)} "
            f"(bộ tiêu chí ở trang '{CRITERIA_SHEET}' đã đổi?). Hãy bấm 'Nhập dữ liệu xã' để nhập lại các xã."
        )
    found = []
    for index in range(head_index + 1, len(rows)):
        row = list(rows[index]) + [None] * (len(head) + 1)
        commune, village = _text(row[0]), _text(row[1])
        if not commune and not village:
            continue

        def at(label: str, row: list[object] = row) -> str:
            return _text(row[after[label]]) if label in after else ""

        self_columns = {c.number: own[c.number] for c in criteria.criteria if c.number in own}
        # A row from a file with one verdict has no self-assessment: all its cells are blank.
        has_own = any(not _is_blank(row[col]) for col in self_columns.values())
        values = [(n, label, row[col], col) for n, label, col in indicators if not _is_blank(row[col])]

        found.append(
            DataRow(
                commune=commune,
                village=village,
                marks={
                    c.number: row[columns[c.number]] if c.number in columns else None
                    for c in criteria.criteria
                },
                file=at("Tệp nguồn"),
                sheet=at("Trang"),
                cell=at("Ô"),
                imported=at("Thời điểm nhập"),
                row=index,
                mark_columns={c.number: columns[c.number] for c in criteria.criteria if c.number in columns},
                self_marks={n: row[col] for n, col in self_columns.items()} if has_own else {},
                self_columns=self_columns if has_own else None,
                indicators=tuple((n, label, value) for n, label, value, _ in values),
                indicator_columns=tuple(col for *_, col in values),
                period=at(_PERIOD_HEAD),
            )
        )
    return found


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ---------------------------------------------------------------------------
# "Hướng dẫn", the output placeholders and xlwings' configuration

_GUIDE_BUTTON_ROW = 2


def _guide_sheet() -> SheetSpec:
    steps = (
        "1. Điền trang 'Cấu hình': tỉnh, đơn vị ban hành, kỳ đánh giá, thư mục chứa biểu của các xã, "
        "số và ngày thông báo, người ký.",
        "2. Xem trang 'Bộ tiêu chí': đây là bộ tiêu chí mà 'Tính toán' dùng; sửa nếu tỉnh ban hành bộ khác.",
        "3. (Không bắt buộc) Ghi các thôn đăng ký đạt chuẩn vào trang 'Danh mục thôn' để biết thôn nào "
        "chưa có dữ liệu.",
        "4. Bấm 'Nhập dữ liệu xã' và chọn một hoặc nhiều biểu của xã (giữ Ctrl để chọn nhiều tệp). "
        "Mỗi thôn thành một dòng ở trang 'Dữ liệu'; nhập lại một xã thì các dòng cũ của xã đó được thay thế. "
        "Vấn đề tìm thấy trong biểu được ghi ở trang 'Kiểm tra dữ liệu'. Biểu nào không được đọc đúng: ghi "
        f"quy tắc đọc ở trang '{RULES_SHEET}' rồi nhập lại biểu đó.",
        f"5. Có thể sửa trực tiếp trang 'Dữ liệu', ví dụ ghi '{MET_WORD}' hoặc "
        f"'{NOT_MET_WORD}' vào ô còn trống.",
        "6. Bấm 'Tính toán': các trang 'Tổng hợp', 'Tiêu chí chưa đạt', 'Biểu chi tiết', 'Thông báo', "
        "'Kiểm tra dữ liệu' và 'Chênh lệch đánh giá' được ghi lại từ trang 'Dữ liệu'. Bấm lại bao nhiêu lần "
        "cũng cho cùng kết quả.",
        "7. Bấm 'Tạo thông báo': mục I.2 và I.3 của thông báo được ghi vào trang 'Thông báo' và bản thảo "
        "thông báo được lưu trong thư mục chứa tệp này.",
        "8. Khi có hộp thông báo: đọc nội dung và làm theo. Nếu là lỗi ngoài dự kiến, gửi tệp ntm-xl-loi.log "
        "(cùng thư mục với tệp này) cho người hỗ trợ.",
    )
    setup = (
        "Máy cần cài Python và ntm-xl bằng cai-dat.bat của bộ cài (xem HUONG-DAN.md kèm theo). Trang "
        "'xlwings.conf' ghi đường dẫn tới Python mà cai-dat.bat tạo ra (dòng Interpreter_Win).",
        "Khi Excel báo 'Macros have been blocked' (macro bị chặn): đóng tệp, bấm chuột phải vào tệp > "
        "Properties > đánh dấu Unblock > OK, rồi mở lại và bấm Enable Content.",
    )
    first = _GUIDE_BUTTON_ROW + 3
    return SheetSpec(
        name=GUIDE_SHEET,
        blocks=(
            Block(0, 0, (("TỔNG HỢP KẾT QUẢ RÀ SOÁT TIÊU CHÍ THÔN NÔNG THÔN MỚI",),), _TITLE),
            Block(1, 0, (("Các nút:",),), _HEADING),
            Block(first, 0, (("Các bước",),), _HEADING),
            Block(first + 1, 0, tuple((s,) for s in steps), _TEXT),
            Block(first + 2 + len(steps), 0, (("Cài đặt",),), _HEADING),
            Block(first + 3 + len(steps), 0, tuple((s,) for s in setup), _TEXT),
        ),
        column_widths=((0, 0, 120),),
        row_heights=((_GUIDE_BUTTON_ROW, 40),),
        page=PageSetup(landscape=False),
    )


def _placeholder_sheet(name: str) -> SheetSpec:
    return SheetSpec(
        name=name,
        blocks=(Block(0, 0, ((f"Trang này do nút 'Tính toán' ghi (xem trang '{GUIDE_SHEET}').",),), _NOTE),),
        column_widths=((0, 0, 70),),
    )


# Where the installer kit puts ntm-xl (see scripts/build_windows_kit.py): through an
# environment variable, which xlwings expands, so the one workbook fits every clerk.
KIT_HOME = "%LOCALAPPDATA%\\ntm-xl"
KIT_INTERPRETER = KIT_HOME + "\\venv\\Scripts\\pythonw.exe"
# xlwings' own log of a press goes there: cmd.exe and VBA must reach it in the
# ANSI code page, which a user name with Vietnamese letters in %TEMP% defeats.
KIT_TEMP = KIT_HOME + "\\tmp"


def _xlwings_conf_sheet() -> SheetSpec:
    # xlwings reads keys from A1 down to the first blank cell, values beside them;
    # a key on this sheet overrides the clerk's own xlwings configuration, even
    # blank, so only what the kit needs is here.
    keys = (("Interpreter_Win", KIT_INTERPRETER), ("TEMP DIR", KIT_TEMP))
    notes = (
        "Cấu hình của xlwings (phần chạy Python sau các nút). Tên trang phải giữ là 'xlwings.conf'.",
        "Interpreter_Win: pythonw.exe do cai-dat.bat của bộ cài ntm-xl tạo ra; "
        "xlwings thay %LOCALAPPDATA% bằng thư mục của người dùng.",
        "TEMP DIR: thư mục tạm có tên không dấu, nơi xlwings ghi nhật ký mỗi lần bấm nút.",
        "Không xoá hay chèn dòng trống giữa các dòng ở cột A. Dòng nào có ở đây thì thay cho "
        "cấu hình xlwings riêng của máy, kể cả khi để trống.",
    )
    return SheetSpec(
        name=XLWINGS_CONF_SHEET,
        blocks=(
            Block(0, 0, tuple((k,) for k, _ in keys), Style()),
            Block(0, 1, tuple((v,) for _, v in keys), Style(locked=False)),
            Block(0, 3, tuple((n,) for n in notes), _HINT),
        ),
        column_widths=((0, 0, 18), (1, 1, 50), (3, 3, 90)),
    )


def point_to_home(path: str | Path, home: str) -> Path:
    """Make the workbook at ``path`` use ntm-xl installed in ``home`` instead of ``KIT_HOME``.

    The installer kit calls it when %LOCALAPPDATA% cannot be used (a user name
    with Vietnamese letters): only the xlwings.conf values change, in place.
    """
    path = Path(path)
    old = KIT_HOME.encode("utf-8")
    new = html.escape(home, quote=False).encode("utf-8")
    with zipfile.ZipFile(path) as package:
        parts = [(info, package.read(info)) for info in package.infolist()]
    with (
        tempfile.NamedTemporaryFile(dir=path.parent, suffix=".xlsm", delete=False) as temporary,
        zipfile.ZipFile(temporary, "w") as package,
    ):
        for info, data in parts:
            if info.filename.startswith("xl/") and info.filename.endswith(".xml"):
                data = data.replace(old, new)  # shared or inline strings alike
            package.writestr(info, data)
    Path(temporary.name).replace(path)
    return path


def _documents_folder() -> Path:
    """The clerk's Documents folder, wherever Windows keeps it (it may be redirected, e.g. to OneDrive)."""
    if sys.platform == "win32":
        import ctypes

        buffer = ctypes.create_unicode_buffer(1024)
        if ctypes.windll.shell32.SHGetFolderPathW(0, 5, 0, 0, buffer) == 0:  # 5: CSIDL_PERSONAL
            return Path(buffer.value)
    return Path.home() / "Documents"


def install_workbook(source: str | Path, home: str | Path, documents: str | Path | None = None) -> Path:
    """Copy the kit's master workbook into the clerk's Documents, for ntm-xl installed in ``home``.

    What the kit's cai-dat.bat runs once ntm-xl is installed. A workbook
    already there holds the clerk's data and is never overwritten: the new
    one gets the version in its name. When ``home`` is not the kit's usual
    folder (see ``KIT_HOME``), the copy is pointed at it.
    """
    from .. import __version__

    folder = Path(documents) if documents is not None else _documents_folder()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "ntm-xl.xlsm"
    number = 1
    while target.exists():
        target = folder / (
            f"ntm-xl-{__version__}.xlsm" if number == 1 else f"ntm-xl-{__version__} ({number}).xlsm"
        )
        number += 1
    shutil.copyfile(source, target)
    usual = Path(os.environ.get("LOCALAPPDATA", "")) / "ntm-xl"
    if Path(home) != usual:
        point_to_home(target, str(home))
    return target


def main_install(argv: Sequence[str]) -> int:
    """cai-dat.bat: ``main_install([KIT_WORKBOOK, HOME])``, ``install_workbook`` said in Vietnamese."""
    try:
        target = install_workbook(argv[0], argv[1])
    except (OSError, zipfile.BadZipFile, IndexError) as exc:
        print(f"Không chép được bảng tính ntm-xl.xlsm vào thư mục Documents: {exc}")
        return 1
    print(f"Đã chép bảng tính chính vào: {target}")
    if target.name != "ntm-xl.xlsm":
        print("(Thư mục Documents đã có ntm-xl.xlsm, chứa dữ liệu của bạn, nên tệp cũ được giữ nguyên.)")
    return 0


def master_sheets(criteria: CriteriaSet) -> tuple[SheetSpec, ...]:
    layouts = (
        _guide_sheet(),
        _config_sheet(criteria),
        criteria_sheet(criteria),
        _registry_sheet(),
        _rules_sheet(),
        data_sheet(criteria),
        *(_placeholder_sheet(name) for name in OUTPUT_SHEETS),
        _xlwings_conf_sheet(),
    )
    assert tuple(layout.name for layout in layouts) == MASTER_SHEETS
    return layouts


# ---------------------------------------------------------------------------
# Building the .xlsm

_DOCUMENT_SHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
_MODULE_NAME = re.compile(r'^Attribute VB_Name = "([A-Za-z][A-Za-z0-9_]*)"', re.MULTILINE)


def _document_module(name: str) -> str:
    """A worksheet's (empty) document module, as Excel writes it."""
    return (
        f'Attribute VB_Name = "{name}"\r\nAttribute VB_Base = "{_DOCUMENT_SHEET_BASE}"\r\n'
        "Attribute VB_GlobalNameSpace = False\r\nAttribute VB_Creatable = False\r\n"
        "Attribute VB_PredeclaredId = True\r\nAttribute VB_Exposed = True\r\n"
        "Attribute VB_TemplateDerived = False\r\nAttribute VB_Customizable = True\r\n"
    )


def read_macros(folder: str | Path = MACROS_DIR) -> dict[str, str]:
    """Module name -> source (CRLF line ends) of every ``*.bas`` in ``folder``, in name order."""
    folder = Path(folder)
    files = sorted(folder.glob("*.bas")) if folder.is_dir() else []
    if not files:
        raise UsageError(f"Không tìm thấy tệp macro (.bas) nào trong thư mục '{folder}'.")
    modules: dict[str, str] = {}
    for path in files:
        raw = path.read_bytes()
        try:
            text = raw.decode("ascii")
        except UnicodeDecodeError as exc:
            raise UsageError(
                f"Tệp macro '{path.name}' có ký tự ngoài bảng mã ASCII (byte {exc.start}): mã VBA chỉ được "
                "dùng chữ không dấu; chữ tiếng Việt để trong ô của bảng tính."
            ) from exc
        found = _MODULE_NAME.search(text)
        if found is None:
            raise UsageError(f"Tệp macro '{path.name}' thiếu dòng 'Attribute VB_Name = \"...\"'.")
        modules[found.group(1)] = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return modules


def check_build_versions() -> list[str]:
    """Differences between the installed build tools and ``BUILD_PINS`` (empty when they match)."""
    differences = []
    for package, pinned in BUILD_PINS.items():
        try:
            installed = metadata.version(package)
        except metadata.PackageNotFoundError:
            installed = "chưa cài"
        if installed != pinned:
            differences.append(f"{package} {installed} (cần {pinned})")
    return differences


def _vba_project(folder: Path, modules: Mapping[str, str], sheets: int) -> Path:
    """xlwings' standalone VBA project with our modules and one document module per sheet."""
    import xlwings
    from pyopenvba import ExcelFile, VBAModuleKind

    source = folder / "quickstart.xlsm"
    shutil.copyfile(Path(xlwings.__file__).parent / "quickstart_standalone.xlsm", source)
    edited = folder / "edited.xlsm"
    with ExcelFile(source) as workbook:
        project = workbook.vba_project()
        project.delete_module("Module1")  # xlwings' sample macro
        present = {name.casefold() for name in project.module_names()}
        for index in range(1, sheets + 1):
            name = f"Sheet{index}"
            if name.casefold() not in present:
                project.add_module(name, _document_module(name), kind=VBAModuleKind.other)
        for name, text in modules.items():
            if name.casefold() in present:
                workbook.set_module(name, text)
            else:
                project.add_module(name, text)
        workbook.save(edited)
    binary = folder / "vbaProject.bin"
    with zipfile.ZipFile(edited) as package:
        binary.write_bytes(_declare_documents(package.read("xl/vbaProject.bin"), sheets))
    return binary


def _declare_documents(binary: bytes, sheets: int) -> bytes:
    """The project with every sheet's module declared a document module in its PROJECT stream.

    pyopenvba declares ``Document=`` only the modules it created itself and
    ``Class=`` those added later, so Excel would take Sheet3 and on for class
    modules of no sheet. Documents are declared first, as Excel does; the
    blank line pyopenvba leaves in ``[Workspace]`` for a deleted module goes.
    """
    from pyopenvba.cfb import CFB

    cfb = CFB.from_bytes(binary)
    project, _, sections = cfb.get_stream("PROJECT").decode("cp1252").partition("\r\n\r\n")
    documents = {"thisworkbook", *(f"sheet{index}" for index in range(1, sheets + 1))}
    before: list[str] = []
    declared: list[str] = []
    others: list[str] = []
    after: list[str] = []
    for line in project.split("\r\n"):
        key, _, value = line.partition("=")
        name = value.partition("/")[0]
        if key in ("Document", "Module", "Class", "BaseClass", "Package"):
            if name.casefold() in documents:
                declared.append(f"Document={name}/&H00000000")
            else:
                others.append(line)
        else:
            (after if declared or others else before).append(line)
    # Each section ([Host Extender Info], [Workspace]) followed by one blank line, as Excel writes them.
    lines = [*before, *declared, *others, *after, ""]
    for line in sections.split("\r\n"):
        if line.startswith("[") and lines[-1] != "":
            lines.append("")
        if line:
            lines.append(line)
    text = "\r\n".join([*lines, ""]) + "\r\n"
    cfb.write_stream("PROJECT", text.encode("cp1252"))
    rewritten: bytes = cfb.to_bytes()
    return rewritten


def build_master_workbook(
    path: str | Path,
    *,
    criteria: CriteriaSet | None = None,
    macros: str | Path = MACROS_DIR,
    replace_modules: Mapping[str, str] | None = None,
) -> Path:
    """Write the master workbook (.xlsm); the same inputs and tool versions give the same bytes.

    ``replace_modules`` (module name -> VBA source) replaces or adds modules
    after ``macros``: tests use it to stub xlwings' ``RunPython``.
    """
    import xlsxwriter

    from .._common._output import atomic_output
    from .._render._xlsx import render_sheets, workbook_options

    path = Path(path)
    if path.suffix.lower() != ".xlsm":
        raise UsageError(f"Tệp bảng tính chính phải có đuôi .xlsm (có macro), không phải '{path.name}'.")
    criteria = criteria or load_criteria(DEFAULT_CRITERIA)
    modules = read_macros(macros)
    for name, text in (replace_modules or {}).items():
        modules[name] = text.replace("\r\n", "\n").replace("\n", "\r\n")
    layouts = master_sheets(criteria)
    with tempfile.TemporaryDirectory(prefix="ntm-xl-") as work, atomic_output(path) as temporary:
        project = _vba_project(Path(work), modules, len(layouts))
        workbook = xlsxwriter.Workbook(str(temporary), workbook_options())
        workbook.set_properties(
            {
                "title": "Tổng hợp kết quả rà soát tiêu chí thôn nông thôn mới",
                "author": "ntm_xl",
                "created": CREATED,
            }
        )
        workbook.set_vba_name("ThisWorkbook")
        render_sheets(workbook, layouts)
        for index, layout in enumerate(layouts, 1):
            sheet = workbook.get_worksheet_by_name(layout.name)
            assert sheet is not None
            sheet.set_vba_name(f"Sheet{index}")
        guide = workbook.get_worksheet_by_name(GUIDE_SHEET)
        assert guide is not None
        for index, button in enumerate(BUTTONS):
            guide.insert_button(
                _GUIDE_BUTTON_ROW,
                0,
                {
                    "macro": button.macro,
                    "caption": button.caption,
                    "width": 170,
                    "height": 44,
                    "x_offset": 8 + index * 190,
                    "y_offset": 4,
                },
            )
        folder_row = _CONFIG_FIRST + [key for key, _, _ in CONFIG_FIELDS].index("folder") + 1
        first, last = _PICKED_FIRST + 1, _PICKED_FIRST + PICKED_FILES_MAX
        workbook.define_name(FOLDER_NAME, f"='{CONFIG_SHEET}'!$B${folder_row}")
        workbook.define_name(PICKED_FILES_NAME, f"='{CONFIG_SHEET}'!$B${first}:$B${last}")
        workbook.define_name(PICKER_TITLE_NAME, f'="{PICKER_TITLE}"')
        workbook.add_vba_project(str(project))
        workbook.worksheets()[0].activate()
        workbook.close()
    return path
