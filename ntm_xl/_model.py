"""The small frozen values that flow between the pipeline's steps.

read (``_reader``) -> ``Sheet`` -> read the table (``_read``) -> ``VillageEntry``
-> validate (``_validate``) -> ``VillageAssessment`` -> compute (``_compute``)
-> ``Summary`` -> render (``_notice``, ``_report``, ``_xlsx``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from ._criteria import CriteriaSet
from ._errors import UsageError
from ._marks import Mark
from ._problems import Problem
from ._text import fold
from ._xmlchars import display_name

__all__ = [
    "CellValue",
    "CommuneTotals",
    "Disagreement",
    "ExcludedVillage",
    "IndicatorCheck",
    "IndicatorValue",
    "Location",
    "MarkCell",
    "MarkSource",
    "ReadResult",
    "Sheet",
    "Summary",
    "VillageAssessment",
    "VillageEntry",
]

# What python-calamine hands back for one cell: str, float, int, bool, or a
# date/time object; "" for an empty cell.
CellValue = object


@dataclass(frozen=True)
class Sheet:
    """One worksheet's cells as a rectangle starting at A1, merges 0-based."""

    name: str
    rows: tuple[tuple[CellValue, ...], ...]
    merged: tuple[tuple[int, int, int, int], ...] = ()  # first_row, first_col, last_row, last_col
    hidden: bool = False  # the workbook hides this sheet: it is not read, and a warning says so
    struck_cells: frozenset[tuple[int, int]] = frozenset()  # cells in a struck-through font (.xlsx)


@dataclass(frozen=True)
class Location:
    file: Path
    sheet: str
    cell: str

    def __str__(self) -> str:
        return f"{display_name(self.file)}, trang '{self.sheet}', ô {self.cell}"


class MarkSource(enum.Enum):
    """Where a criterion's status was read from."""

    CELL = "cell"  # one cell holds the status word (or a 1/0 in a column of 1/0 marks)
    PAIR = "pair"  # "Đạt" | "Chưa đạt" sub-columns: ``value`` is the "Đạt" cell, ``other`` the other
    UNMET_LIST = "list"  # a list of unmet criteria ("TC 7, 10, 11"): ``value`` is the status it implies


@dataclass(frozen=True)
class MarkCell:
    criterion: int
    value: CellValue
    row: int  # 0-based; the A1 name is only worked out when a message needs it
    col: int
    source: MarkSource = MarkSource.CELL
    other: CellValue = ""  # PAIR: the "Chưa đạt" sub-column's cell
    other_col: int = -1  # PAIR: its column
    numeric: bool = False  # CELL: the column holds 1/0 marks, so 1 is met and 0 not met

    @property
    def cell(self) -> str:
        return str(xl_rowcol_to_cell(self.row, self.col))


@dataclass(frozen=True)
class IndicatorValue:
    """An indicator's value as the file gives it ("45 triệu", "12,5%"), kept for threshold checks."""

    criterion: int
    label: str  # the header or row label that named it: "10.1", "Thu nhập (triệu đồng)"
    value: CellValue
    row: int
    col: int

    @property
    def cell(self) -> str:
        return str(xl_rowcol_to_cell(self.row, self.col))


@dataclass(frozen=True)
class VillageEntry:
    """A village row as found in a file, before its marks are judged."""

    commune: str
    village: str
    marks: tuple[MarkCell, ...]
    location: Location  # the cell holding the village name
    reported_count: CellValue = ""
    reported_count_cell: str = ""
    complete_columns: bool = True  # False when the sheet lacks some criterion column
    # When the file has two verdicts, ``marks`` is the reviewer's (it counts) and this the
    # village's or commune's own assessment, criterion by criterion.
    self_marks: tuple[MarkCell, ...] = ()
    indicators: tuple[IndicatorValue, ...] = ()
    # Non-empty when the reader found this village row but cannot use it (its commune is
    # unknown, its name is a note...): the village is listed as not counted, with this reason.
    excluded_reason: str = ""


@dataclass(frozen=True)
class VillageAssessment:
    """A village whose every mark was understood."""

    commune: str
    village: str
    met: tuple[int, ...]
    not_met: tuple[int, ...]
    location: Location
    # The indicator values its row carried (threshold checks and the sheet "Chỉ tiêu").
    indicators: tuple[IndicatorValue, ...] = ()

    @property
    def met_count(self) -> int:
        return len(self.met)


@dataclass(frozen=True)
class IndicatorCheck:
    """One village's indicator value against the criteria set's threshold for the period's year."""

    commune: str
    village: str
    criterion: int
    code: str  # "10.1"; "" when the value matches no declared indicator
    name: str
    unit: str
    value: IndicatorValue  # as read, with its cell
    number: float | None  # parsed, in the indicator's unit; None when unreadable
    threshold: str  # "≥ 45"; "" when none is known for the year (and group)
    result: str  # "Đạt", "Chưa đạt", "Chưa có ngưỡng", "Không đọc được"
    location: Location  # the village's name cell (file and sheet of the value)


@dataclass(frozen=True)
class ExcludedVillage:
    """A village left out of every count, and why."""

    commune: str
    village: str
    location: Location
    reason: str


@dataclass(frozen=True)
class Disagreement:
    """One criterion where a village's (or commune's) own assessment and the reviewer's differ.

    The reviewer's verdict is the one counted; this records the other for the clerk.
    """

    commune: str
    village: str
    criterion: int
    self_value: Mark
    reviewer_value: Mark
    self_cell: str
    reviewer_cell: str
    location: Location  # the cell holding the village name


@dataclass(frozen=True)
class ReadResult:
    entries: tuple[VillageEntry, ...]
    problems: tuple[Problem, ...]
    files: tuple[Path, ...]


@dataclass(frozen=True)
class CommuneTotals:
    commune: str
    villages: int
    meeting_standard: int
    excluded: int
    average_met: float


@dataclass(frozen=True)
class Summary:
    """Everything the notice and the summary workbook show."""

    criteria: CriteriaSet
    villages: tuple[VillageAssessment, ...]  # communes in first-read order, rows in order
    excluded: tuple[ExcludedVillage, ...]
    problems: tuple[Problem, ...]
    communes: tuple[str, ...]
    # Where a file gives two verdicts: every criterion on which they differ, in village order.
    disagreements: tuple[Disagreement, ...] = ()
    # When a registry was applied: its communes, each with its registered villages, as it
    # spells them (the review status tells a commune that sent nothing from one that did).
    registered: tuple[tuple[str, tuple[str, ...]], ...] = ()
    indicator_checks: tuple[IndicatorCheck, ...] = ()
    # The review period whose year the indicator thresholds were taken for: the one given,
    # else the one the files name ("" when no file carried indicator values).
    period: str = ""

    def villages_by_met_count(self) -> dict[int, tuple[VillageAssessment, ...]]:
        """Counts that occur, ascending, each with its villages in order."""
        groups: dict[int, list[VillageAssessment]] = {}
        for village in self.villages:
            groups.setdefault(village.met_count, []).append(village)
        return {count: tuple(groups[count]) for count in sorted(groups)}

    def deficiencies_by_criterion(self) -> dict[int, tuple[VillageAssessment, ...]]:
        """For each criterion some village misses, in set order: those villages."""
        missing: dict[int, list[VillageAssessment]] = {c.number: [] for c in self.criteria.criteria}
        for village in self.villages:
            for number in village.not_met:
                missing[number].append(village)
        return {number: tuple(villages) for number, villages in missing.items() if villages}

    def villages_by_commune(self) -> dict[str, tuple[VillageAssessment, ...]]:
        """Every commune, in first-read order, with its counted villages (maybe none)."""
        groups: dict[str, list[VillageAssessment]] = {commune: [] for commune in self.communes}
        for village in self.villages:
            groups[village.commune].append(village)
        return {commune: tuple(villages) for commune, villages in groups.items()}

    def commune_totals(self) -> tuple[CommuneTotals, ...]:
        totals = []
        size = len(self.criteria)
        excluded_by_commune: dict[str, int] = {}
        for e in self.excluded:
            excluded_by_commune[e.commune] = excluded_by_commune.get(e.commune, 0) + 1
        for commune, villages in self.villages_by_commune().items():
            excluded = excluded_by_commune.get(commune, 0)
            average = sum(v.met_count for v in villages) / len(villages) if villages else 0.0
            totals.append(
                CommuneTotals(
                    commune=commune,
                    villages=len(villages),
                    meeting_standard=sum(1 for v in villages if v.met_count == size),
                    excluded=excluded,
                    average_met=average,
                )
            )
        return tuple(totals)

    @property
    def meeting_standard(self) -> tuple[VillageAssessment, ...]:
        return tuple(v for v in self.villages if v.met_count == len(self.criteria))

    def ambiguous_village_names(self) -> frozenset[str]:
        """Folded names shared by villages of different communes."""
        seen: dict[str, set[str]] = {}
        for village in self.villages:
            seen.setdefault(fold(village.village), set()).add(fold(village.commune))
        return frozenset(name for name, communes in seen.items() if len(communes) > 1)

    def to_dataframe(self) -> Any:
        """The counted villages as a ``pandas.DataFrame``, for analysts (``pip install ntm-xl[pandas]``).

        One row per village: commune, village, file, sheet, cell, number of
        criteria met, then one boolean column per criterion (its label), True
        when met. pandas is imported here only: the buttons and commands never
        pay for it.
        """
        try:
            import pandas
        except ImportError as exc:
            raise UsageError(
                'Summary.to_dataframe() cần thư viện pandas: cài bằng lệnh pip install "ntm-xl[pandas]".'
            ) from exc
        labels = [c.label for c in self.criteria.criteria]
        rows = [
            {
                "Xã": v.commune,
                "Thôn": v.village,
                "Tệp": str(v.location.file),
                "Trang": v.location.sheet,
                "Ô": v.location.cell,
                "Số tiêu chí đạt": v.met_count,
                **{label: c.number in v.met for label, c in zip(labels, self.criteria.criteria, strict=True)},
            }
            for v in self.villages
        ]
        columns = ["Xã", "Thôn", "Tệp", "Trang", "Ô", "Số tiêu chí đạt", *labels]
        return pandas.DataFrame(rows, columns=columns)
