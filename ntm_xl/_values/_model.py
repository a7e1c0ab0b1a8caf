"""The small frozen values that flow between the pipeline's steps.

read (``_reader``) -> ``InputSheet`` -> read the table (``_read``) -> ``VillageEntry``
-> validate (``_validate``) -> ``VillageAssessment`` -> compute (``_compute``)
-> ``Summary`` -> render (``_notice``, ``_report``, ``_xlsx``).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import repeat
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .._common._a1 import cell_name
from .._common._errors import UsageError
from .._common._text import fold
from .._common._xmlchars import display_name
from ._criteria import CriteriaSet
from ._marks import Mark
from ._problems import Problem

__all__ = [
    "ROW_SOURCES",
    "SHEET_SOURCES",
    "CellValue",
    "CommuneTotals",
    "Disagreement",
    "ExcludedVillage",
    "IndicatorCheck",
    "IndicatorValue",
    "InputSheet",
    "Judgement",
    "Location",
    "MarkCell",
    "MarkSource",
    "ReadResult",
    "Summary",
    "VillageAssessment",
    "VillageEntry",
    "plain_mark",
]

# What python-calamine hands back for one cell: str, float, int, bool, or a
# date/time object; "" for an empty cell.
CellValue = object


@dataclass(frozen=True)
class InputSheet:
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
        return cell_name(self.row, self.col)


_new = object.__new__
_CELL = MarkSource.CELL


def plain_mark(criterion: int, value: CellValue, row: int, col: int, numeric: bool = False) -> MarkCell:
    """``MarkCell(criterion, value, row, col, numeric=numeric)``, at half the cost: a province
    has hundreds of thousands, and a frozen dataclass sets each field through a call."""
    if not _PLAIN_MARK_CELL:
        return MarkCell(criterion, value, row, col, _CELL, "", -1, numeric)
    mark: MarkCell = _new(MarkCell)
    mark.__dict__.update(
        criterion=criterion,
        value=value,
        row=row,
        col=col,
        source=_CELL,
        other="",
        other_col=-1,
        numeric=numeric,
    )
    return mark


# The shortcut holds while MarkCell stays a plain frozen dataclass with these fields.
_PLAIN_MARK_CELL = (
    not hasattr(MarkCell, "__post_init__")
    and "__slots__" not in MarkCell.__dict__
    and tuple(MarkCell.__dataclass_fields__)
    == ("criterion", "value", "row", "col", "source", "other", "other_col", "numeric")
)


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
        return cell_name(self.row, self.col)


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
    # Where the file named ``commune``: see ``VillageAssessment.commune_source``.
    commune_source: str = ""

    # Village rows travel from the processes that read files to the one that sums them up,
    # twelve thousand for a province: pickled plainly, their marks (one object each) cost
    # more to pickle and unpickle than reading the file. So a row of plain marks travels as
    # four tuples shared by the rows of its sheet and its values, and its ``MarkCell``
    # values are made only if something asks for them (most runs judge rows where they
    # were read and never do).
    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        state = self.__dict__
        marks = state.get("marks")
        packed = state.get("_packed_marks") if marks is None else _pack_marks(marks)
        location = self.location
        rest = tuple(state[name] for name in _ENTRY_REST)
        if packed is not None:
            return (_unpickle_entry, ((), packed, location.file, location.sheet, location.cell, rest))
        return (_unpickle_entry, (marks, None, location.file, location.sheet, location.cell, rest))

    if not TYPE_CHECKING:  # for the type checker, ``marks`` is a plain field

        def __getattr__(self, name: str) -> Any:
            if name == "marks":
                packed = self.__dict__.get("_packed_marks")
                if packed is not None:
                    marks = _unpack_marks(packed)
                    self.__dict__["marks"] = marks
                    return marks
            raise AttributeError(name)

    def with_plain_marks(
        self,
        criteria: tuple[int, ...],
        columns: tuple[int, ...],
        values: tuple[CellValue, ...],
        row: int,
        numeric: bool,
    ) -> VillageEntry:
        """This entry, just made with no marks, given marks that are one cell each, on ``row``,
        in ``columns``, of 1/0 marks (``numeric``) or not; their ``MarkCell`` values are made
        only if something asks. For the reader, before anyone else sees the entry."""
        state = self.__dict__
        if not _PLAIN_MARK_CELL or not criteria:
            state["marks"] = _unpack_marks((criteria, columns, values, row, numeric))
            return self
        del state["marks"]
        state["_packed_marks"] = (_shared(criteria), _shared(columns), values, row, numeric)
        return self

    def _packed(self) -> PackedMarks | None:
        """The packed marks when none was made yet."""
        state = self.__dict__
        return None if "marks" in state else state.get("_packed_marks")

    def plain_marks(self) -> tuple[tuple[int, ...], tuple[CellValue, ...]] | None:
        """(criteria, values) when each mark is one word cell of the row (not a 1/0 mark), as in
        most files and known without making the marks; else None."""
        packed = self._packed()
        return None if packed is None or packed[4] else (packed[0], packed[2])

    def mark_rows(self) -> frozenset[int]:
        """The rows its marks (its own assessment's too) lie on."""
        packed = self._packed()
        rows = frozenset((packed[3],)) if packed is not None else frozenset(m.row for m in self.marks)
        return rows | {m.row for m in self.self_marks} if self.self_marks else rows

    def mark_shape(self) -> tuple[bool, frozenset[MarkSource], bool]:
        """(marks on more than one row, where they were read from, some of them a 1/0 mark),
        without making the marks of a row that travelled packed."""
        packed = self._packed()
        if packed is not None:
            return False, frozenset((_CELL,)), bool(packed[4])
        marks = self.marks
        rows = {m.row for m in marks}
        return len(rows) > 1, frozenset(m.source for m in marks), any(m.numeric for m in marks)


# Criteria and column tuples shared by the rows of one sheet are pickled once per file.
_SHARED: dict[tuple[int, ...], tuple[int, ...]] = {}
_ENTRY_REST = tuple(name for name in VillageEntry.__dataclass_fields__ if name not in ("marks", "location"))
PackedMarks = tuple[tuple[int, ...], tuple[int, ...], tuple[CellValue, ...], int, bool]


def _shared(numbers: tuple[int, ...]) -> tuple[int, ...]:
    if len(_SHARED) > 1024:
        _SHARED.clear()
    return _SHARED.setdefault(numbers, numbers)


def _pack_marks(marks: tuple[MarkCell, ...]) -> PackedMarks | None:
    """A row's marks as (criteria, columns, values, row, numeric) when each is one cell of
    that row, all 1/0 marks or none (as in most files); else None."""
    if not marks or not _PLAIN_MARK_CELL:
        return None
    row, numeric = marks[0].row, marks[0].numeric
    for mark in marks:
        if mark.source is not _CELL or mark.row != row or mark.numeric is not numeric:
            return None
    criteria = _shared(tuple(m.criterion for m in marks))
    columns = _shared(tuple(m.col for m in marks))
    return criteria, columns, tuple(m.value for m in marks), row, numeric


def _unpack_marks(packed: PackedMarks) -> tuple[MarkCell, ...]:
    criteria, columns, values, row, numeric = packed
    return tuple(map(plain_mark, criteria, values, repeat(row), columns, repeat(numeric)))


def _unpickle_entry(
    marks: tuple[MarkCell, ...],
    packed: PackedMarks | None,
    file: Path,
    sheet: str,
    cell: str,
    rest: tuple[Any, ...],
) -> VillageEntry:
    location: Location = _new(Location)
    location.__dict__.update(file=file, sheet=sheet, cell=cell)
    entry: VillageEntry = _new(VillageEntry)
    state = entry.__dict__
    state.update(zip(_ENTRY_REST, rest, strict=True))
    state["location"] = location
    if packed is None:
        state["marks"] = marks
    else:
        state["_packed_marks"] = packed
    return entry


ROW_SOURCES = frozenset({"cell", "above", "group", "rule", ""})
SHEET_SOURCES = frozenset({"title", "tab", "file"})


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
    # Where the file named ``commune``. For this village alone (ROW_SOURCES: its own cell, a
    # merged or blank cell carried down, a group row above it, a reading rule) or for the
    # whole sheet or file (SHEET_SOURCES: a title, the sheet tab, the file name); "" when the
    # village came from a table with a commune column per village (the master workbook's data).
    # After the 2025 reform a new commune's file is titled by the new commune and lists its
    # villages under group rows of the former ones: only a row source names a former commune
    # for sure (``_units``).
    commune_source: str = ""

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
class Judgement:
    """One village row judged on its own: the village when every mark is understood, the
    problems of its marks, and where its two verdicts differ."""

    village: VillageAssessment | None
    problems: tuple[Problem, ...]
    disagreements: tuple[Disagreement, ...] = ()

    def statuses(self) -> dict[int, Mark]:
        if self.village is None:
            return {}
        return {
            **dict.fromkeys(self.village.met, Mark.MET),
            **dict.fromkeys(self.village.not_met, Mark.NOT_MET),
        }


@dataclass(frozen=True)
class ReadResult:
    entries: tuple[VillageEntry, ...]
    problems: tuple[Problem, ...]
    files: tuple[Path, ...]
    # Each entry judged on its own where its file was read (``_validate.judge``), or () when not.
    judgements: tuple[Judgement | None, ...] = ()


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

    @cached_property
    def tallies(self) -> Tallies:
        """The counts every renderer shows, computed once for this summary."""
        return Tallies.of(self)

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


@dataclass(frozen=True, eq=False)
class Tallies:
    """What the notice and the summary sheets count, computed once (``Summary.tallies``).

    Villages keep the summary's order everywhere: communes in first-read order, each
    commune's villages in the order its file lists them.
    """

    # Counts of criteria met that occur, ascending, each with its villages.
    by_met_count: Mapping[int, tuple[VillageAssessment, ...]]
    # For each criterion some village misses, in set order: those villages.
    deficiencies: Mapping[int, tuple[VillageAssessment, ...]]
    # Every commune, in first-read order, with its counted villages (maybe none).
    by_commune: Mapping[str, tuple[VillageAssessment, ...]]
    commune_totals: tuple[CommuneTotals, ...]
    meeting_standard: tuple[VillageAssessment, ...]
    # How many villages meet, and miss, each criterion (set order).
    met_per_criterion: Mapping[int, int]
    not_met_per_criterion: Mapping[int, int]
    # Folded names shared by villages of different communes: the notice names their commune.
    ambiguous_names: frozenset[str]

    @classmethod
    def of(cls, summary: Summary) -> Tallies:
        numbers = summary.criteria.numbers
        size = len(numbers)
        by_count: dict[int, list[VillageAssessment]] = {}
        missing: dict[int, list[VillageAssessment]] = {n: [] for n in numbers}
        by_commune: dict[str, list[VillageAssessment]] = {c: [] for c in summary.communes}
        communes_of_name: dict[str, set[str]] = {}
        met = dict.fromkeys(numbers, 0)
        for village in summary.villages:
            for number in village.met:
                met[number] += 1
            by_count.setdefault(village.met_count, []).append(village)
            for number in village.not_met:
                missing[number].append(village)
            by_commune.setdefault(village.commune, []).append(village)
            communes_of_name.setdefault(fold(village.village), set()).add(fold(village.commune))
        excluded: dict[str, int] = {}
        for e in summary.excluded:
            excluded[e.commune] = excluded.get(e.commune, 0) + 1
        totals = tuple(
            CommuneTotals(
                commune=commune,
                villages=len(villages),
                meeting_standard=sum(1 for v in villages if v.met_count == size),
                excluded=excluded.get(commune, 0),
                average_met=sum(v.met_count for v in villages) / len(villages) if villages else 0.0,
            )
            for commune, villages in by_commune.items()
        )
        return cls(
            by_met_count=MappingProxyType({n: tuple(by_count[n]) for n in sorted(by_count)}),
            deficiencies=MappingProxyType({n: tuple(v) for n, v in missing.items() if v}),
            by_commune=MappingProxyType({c: tuple(v) for c, v in by_commune.items()}),
            commune_totals=totals,
            meeting_standard=tuple(v for v in summary.villages if v.met_count == size),
            met_per_criterion=MappingProxyType(met),
            not_met_per_criterion=MappingProxyType({n: len(missing[n]) for n in numbers}),
            ambiguous_names=frozenset(name for name, c in communes_of_name.items() if len(c) > 1),
        )
