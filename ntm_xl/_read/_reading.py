"""What the reader understood, as values: the roles it gave columns and rows, where each
village's commune came from, and the entries it made. ``explain`` prints these."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from .._values._model import VillageEntry
from .._values._problems import Problem

__all__ = [
    "ColumnReading",
    "ColumnRole",
    "CommuneSource",
    "FileReading",
    "RowReading",
    "RowRole",
    "SheetReading",
]


class ColumnRole(enum.Enum):
    """What a column holds; ``label`` is how ``explain`` names it."""

    STT = "số thứ tự"
    VILLAGE = "tên thôn"
    COMMUNE = "tên xã"
    RESULT = "kết quả tiêu chí"
    PAIR_MET = "kết quả tiêu chí, cột 'Đạt'"
    PAIR_NOT_MET = "kết quả tiêu chí, cột 'Chưa đạt'"
    SELF = "tự đánh giá (không tính)"
    INDICATOR = "giá trị chỉ tiêu"
    COUNT = "số tiêu chí đạt"
    UNMET = "danh sách tiêu chí chưa đạt"
    NOTES = "ghi chú"
    CRITERION_LABEL = "tên tiêu chí"
    OTHER = "không dùng"

    @property
    def label(self) -> str:
        return self.value


class RowRole(enum.Enum):
    TITLE = "tiêu đề"
    HEADER = "dòng tiêu đề bảng"
    INDEX = "dòng đánh số cột"
    GROUP = "dòng nhóm xã"
    VILLAGE = "thôn"
    TOTAL = "dòng cộng, tổng"
    NOTE = "ghi chú"
    SIGNATURE = "phần ký tên"
    CRITERION = "dòng tiêu chí"
    INDICATOR = "dòng chỉ tiêu"
    IGNORED = "bỏ qua"

    @property
    def label(self) -> str:
        return self.value


@dataclass(frozen=True)
class ColumnReading:
    col: int
    role: ColumnRole
    criterion: int | None = None
    header: str = ""  # the header text that decided it
    evidence: str = ""  # why, in Vietnamese: "số '7' trong tiêu đề"
    verdict: str = ""  # "self", "review" or "" when the header names none


@dataclass(frozen=True)
class RowReading:
    row: int
    role: RowRole
    text: str = ""
    why: str = ""


@dataclass(frozen=True)
class CommuneSource:
    """Where one village's commune came from: "cell", "above" (a merged or blank cell
    carried down), "group", "title", "tab", "file", "rule", or "" when nothing said."""

    village: str
    commune: str
    source: str
    where: str  # a cell ("A7"), a sheet tab or a file name
    cell: str = ""  # the cell holding the village's name


@dataclass(frozen=True)
class SheetReading:
    name: str
    layout: str  # "rows", "unmet-list", "per-village", "columns", "none", "hidden"
    header: tuple[int, int] | None = None  # first and last header row, 0-based
    columns: tuple[ColumnReading, ...] = ()
    rows: tuple[RowReading, ...] = ()
    communes: tuple[CommuneSource, ...] = ()
    entries: tuple[VillageEntry, ...] = ()
    problems: tuple[Problem, ...] = ()
    rule: str = ""  # the reading rule applied, if any


@dataclass(frozen=True)
class FileReading:
    """How one workbook was read: each sheet, and the problems of the file."""

    path: Path
    sheets: tuple[SheetReading, ...]
    problems: tuple[Problem, ...]
    entries: tuple[VillageEntry, ...]
    rule: str = ""
