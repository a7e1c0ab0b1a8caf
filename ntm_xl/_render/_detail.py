"""The detailed table attached to the notice, described once.

Villages grouped by commune × criteria, with the totals and the legend. The summary
workbook's "Biểu chi tiết" sheet and the Word notice's attachment are both rendered
from this one value, so their words, numbers and order cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from .._common._text import roman_numeral
from .._notice._config import Grouping, NoticeConfig
from .._notice._sections import group_title, notice_frame
from .._values._marks import MET_SYMBOL, NOT_MET_SYMBOL
from .._values._model import Summary

__all__ = ["DetailGroup", "DetailRow", "DetailTable", "detail_table"]


@dataclass(frozen=True)
class DetailRow:
    """One village: its number in the whole table, name, a symbol per criterion, the rest."""

    number: int
    name: str
    marks: tuple[str, ...]
    met_count: int
    missing: str  # the criteria not met, "7, 10, 11"


@dataclass(frozen=True)
class DetailGroup:
    numeral: str  # "I", "II", ...: the commune's place among all communes read
    heading: str | None  # "Xã Đôn Phong", "Xã Vi Hương cũ"; None: villages not grouped
    rows: tuple[DetailRow, ...]


@dataclass(frozen=True)
class DetailTotal:
    label: str
    counts: tuple[int, ...]  # per criterion
    standard: int | None  # villages meeting every criterion, on the "met" line only


@dataclass(frozen=True)
class DetailTable:
    title: str
    caption: str  # "(Kèm theo Thông báo số ... của ...)" when a notice configuration is given
    subtitle: str  # the criteria set and the period
    number_head: str
    name_head: str
    criteria_head: str
    count_head: str
    missing_head: str
    criteria: tuple[tuple[int, str], ...]  # number, short name
    groups: tuple[DetailGroup, ...]
    totals: tuple[DetailTotal, DetailTotal]  # met, not met
    legend: str

    @property
    def width(self) -> int:
        """Columns: number, name, one per criterion, count met, criteria missed."""
        return len(self.criteria) + 4


def _symbols(numbers: tuple[int, ...], met: frozenset[int]) -> tuple[str, ...]:
    return tuple([MET_SYMBOL if n in met else NOT_MET_SYMBOL for n in numbers])


def detail_table(
    summary: Summary, period: str = "", notice: NoticeConfig | None = None, *, framed: bool = True
) -> DetailTable:
    """The table for ``summary``; with a notice configuration, grouped as it says and, when
    ``framed``, captioned with the notice it is attached to."""
    grouping = notice.grouping if notice is not None else Grouping.COMMUNE
    criteria = summary.criteria
    unit, group_unit = criteria.unit, criteria.group_unit
    n = len(criteria)
    tallies = summary.tallies
    numbers = criteria.numbers
    groups = []
    number = 0
    for index, (commune, villages) in enumerate(tallies.by_commune.items(), 1):
        if not villages:
            continue  # keeps the numerals: a commune's numeral is its place among all communes
        rows = []
        for village in villages:
            number += 1
            rows.append(
                DetailRow(
                    number=number,
                    name=village.village,
                    marks=_symbols(numbers, frozenset(village.met)),
                    met_count=village.met_count,
                    missing=", ".join(str(x) for x in village.not_met),
                )
            )
        heading = group_title(commune, group_unit, grouping) if grouping is not Grouping.NONE else None
        groups.append(DetailGroup(roman_numeral(index), heading, tuple(rows)))
    met_label = f"Tổng số {unit} đạt"
    return DetailTable(
        title=f"BIỂU CHI TIẾT KẾT QUẢ RÀ SOÁT TIÊU CHÍ {unit.upper()} NÔNG THÔN MỚI",
        caption=notice_frame(summary, notice).caption if notice is not None and framed else "",
        subtitle=" - ".join(t for t in (criteria.title, period) if t),
        number_head="STT",
        name_head=f"{group_unit.capitalize()}, {unit}",
        criteria_head="Tiêu chí",
        count_head="Số tiêu chí đạt",
        missing_head="Tiêu chí chưa đạt",
        criteria=tuple((c.number, c.short_name) for c in criteria.criteria),
        groups=tuple(groups),
        totals=(
            DetailTotal(met_label, tuple(tallies.met_per_criterion.values()), len(tallies.meeting_standard)),
            DetailTotal(f"Tổng số {unit} chưa đạt", tuple(tallies.not_met_per_criterion.values()), None),
        ),
        legend=(
            f'Ghi chú: "{MET_SYMBOL}" là đạt; "{NOT_MET_SYMBOL}" là chưa đạt. Cột "Số tiêu chí đạt" ở dòng '
            f'"{met_label}" là số {unit} đạt chuẩn ({n}/{n} tiêu chí).'
        ),
    )
