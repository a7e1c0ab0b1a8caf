"""Judging village rows: every mark understood, or the village set aside."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ._cells import describe_special
from ._criteria import CriteriaSet
from ._marks import MET_WORD, NOT_MET_WORD, MarkReading, read_mark
from ._model import CellValue, ExcludedVillage, VillageAssessment, VillageEntry
from ._problems import Problem, Severity
from ._text import fold

__all__ = ["Validated", "validate"]

_EXPECTED = f"cần '{MET_WORD}' hoặc '{NOT_MET_WORD}'"
_MET, _NOT_MET, _BLANK = MarkReading.MET, MarkReading.NOT_MET, MarkReading.BLANK


@dataclass(frozen=True)
class Validated:
    villages: tuple[VillageAssessment, ...]
    excluded: tuple[ExcludedVillage, ...]
    problems: tuple[Problem, ...]
    communes: tuple[str, ...]


def describe_value(value: CellValue) -> str:
    """How a cell's content is named in a message."""
    special = describe_special(value)
    if special is not None:
        return special
    if isinstance(value, bool):
        return f"giá trị logic {'TRUE' if value else 'FALSE'}"
    if isinstance(value, datetime):
        return f"ngày giờ {value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"ngày {value:%d/%m/%Y}"
    if isinstance(value, (time, timedelta)):
        return f"giờ {value}"
    if isinstance(value, float) and value.is_integer():
        return f"số {int(value)}"
    if isinstance(value, (int, float)):
        return f"số {value}"
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"'{text}'"


def _problem(severity: Severity, entry: VillageEntry, cell: str, message: str) -> Problem:
    return Problem(severity, entry.location.file, message, sheet=entry.location.sheet, cell=cell)


def _judge(entry: VillageEntry, criteria: CriteriaSet) -> tuple[VillageAssessment | None, list[Problem]]:
    who = f"thôn {entry.village} (xã {entry.commune})"
    readings = [(cell, read_mark(cell.value)) for cell in entry.marks]
    if readings and all(r is _BLANK for _, r in readings):
        first, last = entry.marks[0].cell, entry.marks[-1].cell
        return None, [
            _problem(
                Severity.ERROR,
                entry,
                entry.location.cell,
                f"{who[0].upper()}{who[1:]} chưa có đánh giá nào (các ô {first}:{last} trống); "
                f"{_EXPECTED} cho từng tiêu chí.",
            )
        ]
    problems: list[Problem] = []
    met: list[int] = []
    not_met: list[int] = []
    for cell, reading in readings:
        criterion = criteria.by_number(cell.criterion)
        # Most marks are plainly met or not met: nothing to say about them.
        if reading is _MET:
            met.append(cell.criterion)
            continue
        if reading is _NOT_MET:
            not_met.append(cell.criterion)
            continue
        what = f"tiêu chí số {criterion.number} ({criterion.short_name}) của {who}"
        if reading is MarkReading.BLANK:
            problems.append(
                _problem(
                    Severity.ERROR,
                    entry,
                    cell.cell,
                    f"Ô trống: thiếu đánh giá {what}; {_EXPECTED}. "
                    "Ô trống là thiếu số liệu, không được tính là chưa đạt.",
                )
            )
        elif reading is MarkReading.UNKNOWN:
            problems.append(
                _problem(
                    Severity.ERROR,
                    entry,
                    cell.cell,
                    f"Không hiểu đánh giá {describe_value(cell.value)} ở {what}; {_EXPECTED}.",
                )
            )
        elif reading is MarkReading.BASICALLY_MET:
            problems.append(
                _problem(
                    Severity.WARNING,
                    entry,
                    cell.cell,
                    f"'{describe_value(cell.value)[1:-1]}' ở {what} được tính là {NOT_MET_WORD.lower()}; "
                    f"nếu tiêu chí đã đạt, cần ghi '{MET_WORD}'.",
                )
            )
        mark = reading.mark
        if mark is not None:
            (met if reading is MarkReading.MET else not_met).append(cell.criterion)
    if any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    village = VillageAssessment(entry.commune, entry.village, tuple(met), tuple(not_met), entry.location)
    reported = _reported_count(entry.reported_count)
    if reported is not None and reported != village.met_count:
        problems.append(
            _problem(
                Severity.WARNING,
                entry,
                entry.reported_count_cell,
                f"Số tiêu chí đạt của {who} ghi là {describe_value(entry.reported_count)}, nhưng đếm theo "
                f"các ô đánh giá được {village.met_count}; kết quả dùng số đếm được ({village.met_count}).",
            )
        )
    return village, problems


def _reported_count(value: CellValue) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else -1
    if isinstance(value, str) and value.strip():
        text = value.strip().split("/")[0].strip()
        return int(text) if text.isdigit() else -1
    return None


def validate(entries: tuple[VillageEntry, ...] | list[VillageEntry], criteria: CriteriaSet) -> Validated:
    problems: list[Problem] = []
    communes: dict[str, str] = {}  # folded -> shown, in first-read order
    by_key: dict[tuple[str, str], list[VillageEntry]] = {}
    for entry in entries:
        if entry.excluded_reason:
            continue  # found but unusable: listed below as not counted, never judged
        communes.setdefault(fold(entry.commune), entry.commune)
        by_key.setdefault((fold(entry.commune), fold(entry.village)), []).append(entry)

    duplicated = {key for key, found in by_key.items() if len(found) > 1}
    for found in by_key.values():
        first, *others = found
        for other in others:
            problems.append(
                _problem(
                    Severity.ERROR,
                    other,
                    other.location.cell,
                    f"Thôn {other.village} (xã {other.commune}) có hai dòng: ở {first.location} và ở đây; "
                    "cần đúng một dòng cho mỗi thôn. Thôn này không được tính cho tới khi bỏ bớt một dòng.",
                )
            )

    villages: list[VillageAssessment] = []
    excluded: list[ExcludedVillage] = []
    for entry in entries:
        if entry.excluded_reason:
            excluded.append(
                ExcludedVillage(entry.commune, entry.village, entry.location, entry.excluded_reason)
            )
            continue
        commune = communes[fold(entry.commune)]
        entry_problems: list[Problem] = []
        reason = ""
        if not entry.complete_columns:
            reason = "bảng thiếu cột tiêu chí"
        elif (fold(entry.commune), fold(entry.village)) in duplicated:
            reason = "thôn có hai dòng"
        else:
            village, entry_problems = _judge(entry, criteria)
            if village is None:
                reason = "thiếu hoặc sai đánh giá"
            else:
                villages.append(
                    VillageAssessment(
                        commune, village.village, village.met, village.not_met, village.location
                    )
                )
        problems.extend(entry_problems)
        if reason:
            excluded.append(ExcludedVillage(commune, entry.village, entry.location, reason))
    # Villages keep the order of their commune's first appearance, then row order.
    rank = {key: i for i, key in enumerate(communes)}
    villages.sort(key=lambda v: rank[fold(v.commune)])
    excluded.sort(key=lambda v: rank.get(fold(v.commune), len(rank)))
    return Validated(tuple(villages), tuple(excluded), tuple(problems), tuple(communes.values()))
