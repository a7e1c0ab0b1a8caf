"""This period against the last: a pure step over two ``Summary`` values.

The previous period comes from last period's commune files or from a summary workbook
ntm-xl wrote (its sheet "Biểu chi tiết", read strictly: anything ntm-xl would not have
written there refuses the file with the cell that says why). Villages are matched
within their commune (after the crosswalk, when one is given) as the registry matches
names: case and tone placement first, then without the kind word ("Thôn", "Bản");
never by likeness. A name that fits more than one village is reported, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from xlsxwriter.utility import xl_rowcol_to_cell

from .._common._cells import cell_text
from .._common._text import display_name, fold
from .._read._vocabulary import is_roman
from .._values._catalogue import problem
from .._values._criteria import CriteriaSet
from .._values._marks import MET_SYMBOL, NOT_MET_SYMBOL
from .._values._model import InputSheet, Location, Summary, VillageAssessment, VillageEntry
from .._values._problems import Problem
from ._crosswalk import Crosswalk, village_key

if TYPE_CHECKING:
    from .._read import ReadingRules

__all__ = [
    "COMPARISON_SHEET",
    "CommuneChange",
    "Comparison",
    "PreviousFile",
    "PreviousVillage",
    "VillageChange",
    "compare",
    "read_previous_file",
    "read_previous_summary",
]

COMPARISON_SHEET = "So sánh kỳ trước"
DETAIL_SHEET = "Biểu chi tiết"  # as _report names it
_OTHER_SUMMARY_SHEETS = ("Tổng hợp", "Tiêu chí chưa đạt", "Kiểm tra dữ liệu")
_DETAIL_TITLE = "biểu chi tiết kết quả rà soát tiêu chí"


@dataclass(frozen=True)
class PreviousVillage:
    """A village of last period, under its names of this period (after the crosswalk)."""

    commune: str
    village: str
    assessment: VillageAssessment  # as last period's file gave it: its own names and cell
    renamed: bool = False  # a village row of the crosswalk renamed or merged it

    def shown_commune(self, group_unit: str = "xã") -> str:
        return _both(self.commune, self.assessment.commune, f"{group_unit} ")

    @property
    def shown_village(self) -> str:
        return _both(self.village, self.assessment.village)


def _both(name: str, former: str, unit: str = "") -> str:
    return name if fold(name) == fold(former) else f"{name} (trước: {unit}{former})"


@dataclass(frozen=True)
class VillageChange:
    """One village found in both periods: criteria met then and now."""

    current: VillageAssessment
    previous: PreviousVillage
    criteria_order: tuple[int, ...]

    def shown_commune(self, group_unit: str = "xã") -> str:
        """This period's commune, and last period's where it differs: "Phủ Thông (trước: xã Vi Hương)"."""
        return _both(self.current.commune, self.previous.assessment.commune, f"{group_unit} ")

    @property
    def shown_village(self) -> str:
        """This period's name, and last period's where it differs: "Nà Rào (trước: Bản Rào)"."""
        return _both(self.current.village, self.previous.assessment.village)

    @property
    def gained(self) -> tuple[int, ...]:
        before = set(self.previous.assessment.met)
        return tuple(n for n in self.criteria_order if n in self.current.met and n not in before)

    @property
    def lost(self) -> tuple[int, ...]:
        now = set(self.current.met)
        return tuple(n for n in self.criteria_order if n in self.previous.assessment.met and n not in now)

    @property
    def change(self) -> int:
        return self.current.met_count - self.previous.assessment.met_count


@dataclass(frozen=True)
class CommuneChange:
    commune: str
    former: tuple[str, ...]  # last period's communes now part of it, where their names differ
    villages_before: int
    villages_now: int
    standard_before: int  # villages meeting every criterion
    standard_now: int

    @property
    def change(self) -> int:
        return self.standard_now - self.standard_before

    def shown(self, group_unit: str = "xã") -> str:
        """ "Phủ Thông (trước: xã Vi Hương, xã Tân Tú)" where former communes differ."""
        if not self.former:
            return self.commune
        return f"{self.commune} (trước: {', '.join(f'{group_unit} {f}' for f in self.former)})"


@dataclass(frozen=True)
class Comparison:
    """Everything the sheet "So sánh kỳ trước" shows, and the problems found comparing."""

    criteria: CriteriaSet
    changes: tuple[VillageChange, ...]  # in this period's order
    new: tuple[VillageAssessment, ...]  # this period only
    gone: tuple[PreviousVillage, ...]  # last period only
    unmatched: tuple[VillageAssessment, ...]  # this period's villages whose name fits several
    communes: tuple[CommuneChange, ...]
    problems: tuple[Problem, ...]
    previous_files: tuple[Path, ...] = ()
    # In one period but not counted in the other (data errors there): neither new nor gone.
    # (commune, village, the period that did not count it, where the counted one is)
    not_counted: tuple[tuple[str, str, str, Location], ...] = ()

    @property
    def losses(self) -> int:
        return sum(len(c.lost) for c in self.changes)


def compare(
    current: Summary,
    previous: Summary,
    crosswalk: Crosswalk | None = None,
    entries: Sequence[VillageEntry] = (),
    previous_files: Sequence[Path] = (),
) -> Comparison:
    """``current`` against ``previous``. ``entries`` (this period's village rows as read) place each
    lost criterion's warning at its own mark cell, else at the village's name cell. The previous
    summary's problems come first in ``problems``."""
    criteria = current.criteria
    unit, group_unit = criteria.unit, criteria.group_unit

    def mapped(commune: str, village: str) -> tuple[str, str, bool]:
        if crosswalk is None:
            return commune, village, False
        (new_commune, new_village), _, renamed = crosswalk.trace(commune, village)
        return new_commune, new_village, renamed

    now = []
    for v in current.villages:
        commune, village, _ = mapped(v.commune, v.village)
        now.append(replace(v, commune=commune, village=village))
    before = []
    for v in previous.villages:
        commune, village, renamed = mapped(v.commune, v.village)
        before.append(PreviousVillage(commune, village, v, renamed))

    matches, ambiguous = _match(now, before)
    left_before = set(range(len(before))) - {j for found in matches.values() for j in found}
    left_before -= {j for _, theirs in ambiguous.values() for j in theirs}

    marks = _mark_cells(entries)
    problems: list[Problem] = list(previous.problems)
    if not previous.villages:
        files = ", ".join(p.name for p in previous_files) or "không có"
        problems.append(
            problem("C013", previous_files[0] if previous_files else Path(""), unit=unit, files=files)
        )
    order = criteria.numbers
    changes: list[VillageChange] = []
    for i, v in enumerate(now):
        if i in ambiguous:
            mine, theirs = ambiguous[i]
            names = "; ".join(
                [f"kỳ này: {now[k].village}, {now[k].location}" for k in mine]
                + [
                    f"kỳ trước: {before[j].assessment.village}, {before[j].assessment.location}"
                    for j in theirs
                ]
            )
            where = current.villages[i].location
            problems.append(
                problem(
                    "C011",
                    where.file,
                    sheet=where.sheet,
                    cell=where.cell,
                    unit=unit,
                    group_unit=group_unit,
                    village=v.village,
                    commune=v.commune,
                    now=len(mine),
                    before=len(theirs),
                    names=names,
                )
            )
        for j in matches.get(i, ()):
            change = VillageChange(v, before[j], order)
            changes.append(change)
            for number in change.lost:
                where = v.location
                problems.append(
                    problem(
                        "C010",
                        where.file,
                        sheet=where.sheet,
                        cell=marks.get((where.file, where.sheet, where.cell, number), where.cell),
                        Unit=unit.capitalize(),
                        unit=unit,
                        group_unit=group_unit,
                        village=v.village,
                        commune=v.commune,
                        criterion=number,
                        short_name=criteria.by_number(number).short_name,
                    )
                )
    excluded_now = {_key(*mapped(e.commune, e.village)[:2]) for e in current.excluded}
    excluded_before = {_key(*mapped(e.commune, e.village)[:2]) for e in previous.excluded}
    new_or_not = [v for i, v in enumerate(now) if i not in matches and i not in ambiguous]
    gone_or_not = [before[j] for j in sorted(left_before)]
    new = tuple(v for v in new_or_not if _key(v.commune, v.village) not in excluded_before)
    gone = tuple(p for p in gone_or_not if _key(p.commune, p.village) not in excluded_now)
    not_counted = tuple(
        (v.commune, v.village, "kỳ trước", v.location)
        for v in new_or_not
        if _key(v.commune, v.village) in excluded_before
    ) + tuple(
        (p.commune, p.village, "kỳ này", p.assessment.location)
        for p in gone_or_not
        if _key(p.commune, p.village) in excluded_now
    )
    unmatched = tuple(now[i] for i in sorted(ambiguous))
    return Comparison(
        criteria=criteria,
        changes=tuple(changes),
        new=new,
        gone=gone,
        unmatched=unmatched,
        communes=_communes(current, now, before, crosswalk),
        problems=tuple(problems),
        previous_files=tuple(previous_files),
        not_counted=not_counted,
    )


def _key(commune: str, village: str) -> tuple[str, str]:
    return fold(commune), village_key(village)


def _match(
    now: Sequence[VillageAssessment], before: Sequence[PreviousVillage]
) -> tuple[dict[int, list[int]], dict[int, tuple[list[int], list[int]]]]:
    """Current index -> the previous villages it is; and current index -> (current, previous) of
    each name that fits several villages on a side.

    Names are the same when equal without case, tone placement and kind word, within one
    commune. One name on each side is a match; several previous villages a crosswalk row merged
    into one are its past; several on a side match only when the exact spellings pair them all
    off one to one ("Vén" and "Bản Vén" in both periods). Anything else is ambiguous."""
    groups: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
    for i, v in enumerate(now):
        groups.setdefault((fold(v.commune), village_key(v.village)), ([], []))[0].append(i)
    for j, p in enumerate(before):
        groups.setdefault((fold(p.commune), village_key(p.village)), ([], []))[1].append(j)
    matches: dict[int, list[int]] = {}
    ambiguous: dict[int, tuple[list[int], list[int]]] = {}
    for mine, theirs in groups.values():
        if not mine or not theirs:
            continue
        if len(mine) == 1 and (len(theirs) == 1 or all(before[j].renamed for j in theirs)):
            matches[mine[0]] = theirs
            continue
        exact = {fold(now[i].village): i for i in mine}
        pairs = {exact.get(fold(before[j].village)): j for j in theirs}
        if len(exact) == len(mine) == len(theirs) == len(pairs) and None not in pairs:
            matches.update({i: [j] for i, j in pairs.items() if i is not None})
            continue
        for i in mine:
            ambiguous[i] = (mine, theirs)
    return matches, ambiguous


def _mark_cells(entries: Iterable[VillageEntry]) -> dict[tuple[Path, str, str, int], str]:
    cells: dict[tuple[Path, str, str, int], str] = {}
    for entry in entries:
        where = entry.location
        for mark in entry.marks:
            cells.setdefault((where.file, where.sheet, where.cell, mark.criterion), mark.cell)
    return cells


def _communes(
    current: Summary,
    now: Sequence[VillageAssessment],
    before: Sequence[PreviousVillage],
    crosswalk: Crosswalk | None,
) -> tuple[CommuneChange, ...]:
    size = len(current.criteria)
    names: dict[str, str] = {}
    for commune in current.communes:
        shown = crosswalk.unit(commune, "")[0] if crosswalk is not None else commune
        names.setdefault(fold(shown), shown)
    for v in now:
        names.setdefault(fold(v.commune), v.commune)
    for p in before:
        names.setdefault(fold(p.commune), p.commune)
    by_now: dict[str, list[VillageAssessment]] = {}
    for v in now:
        by_now.setdefault(fold(v.commune), []).append(v)
    by_before: dict[str, list[PreviousVillage]] = {}
    for p in before:
        by_before.setdefault(fold(p.commune), []).append(p)
    result = []
    for key, commune in names.items():
        mine, theirs = by_now.get(key, []), by_before.get(key, [])
        former = tuple(
            dict.fromkeys(p.assessment.commune for p in theirs if fold(p.assessment.commune) != key)
        )
        result.append(
            CommuneChange(
                commune=commune,
                former=former,
                villages_before=len(theirs),
                villages_now=len(mine),
                standard_before=sum(1 for p in theirs if p.assessment.met_count == size),
                standard_now=sum(1 for v in mine if v.met_count == size),
            )
        )
    return tuple(result)


# ---------------------------------------------------------------------------
# Reading the previous period


@dataclass(frozen=True)
class PreviousFile:
    entries: tuple[VillageEntry, ...]  # a commune file's village rows
    villages: tuple[VillageAssessment, ...]  # a summary workbook's villages
    communes: tuple[str, ...]
    problems: tuple[Problem, ...]
    summary_workbook: bool


def _is_summary_workbook(sheets: Sequence[InputSheet]) -> InputSheet | None:
    """The "Biểu chi tiết" sheet when the workbook is one ntm-xl wrote: that sheet with the title
    ntm-xl gives it, or that sheet beside the other summary sheets."""
    names = {fold(s.name): s for s in sheets}
    detail = names.get(fold(DETAIL_SHEET))
    if detail is None:
        return None
    title = cell_text(detail.rows[0][0]) if detail.rows and detail.rows[0] else ""
    if fold(title).startswith(_DETAIL_TITLE) or all(fold(n) in names for n in _OTHER_SUMMARY_SHEETS):
        return detail
    return None


class _Refused(Exception):
    def __init__(self, cell: str, reason: str) -> None:
        super().__init__(reason)
        self.cell = cell
        self.reason = reason


def read_previous_summary(
    sheet: InputSheet, path: Path, criteria: CriteriaSet
) -> tuple[tuple[VillageAssessment, ...], tuple[str, ...], tuple[Problem, ...]]:
    """The villages of a summary workbook's "Biểu chi tiết" sheet, or no village and the C012 error
    saying at which cell the sheet is not what ntm-xl writes."""
    try:
        villages, communes = _detail_villages(sheet, path, criteria)
    except _Refused as refused:
        return (), (), (problem("C012", path, sheet=sheet.name, cell=refused.cell, reason=refused.reason),)
    return villages, communes, ()


def _detail_villages(
    sheet: InputSheet, path: Path, criteria: CriteriaSet
) -> tuple[tuple[VillageAssessment, ...], tuple[str, ...]]:
    rows = sheet.rows
    unit, group_unit = criteria.unit, criteria.group_unit

    def value(r: int, c: int) -> object:
        return rows[r][c] if r < len(rows) and c < len(rows[r]) else ""

    def text(r: int, c: int) -> str:
        return cell_text(value(r, c))

    def cell(r: int, c: int) -> str:
        return str(xl_rowcol_to_cell(r, c))

    head = 3
    if fold(text(head, 0)) != "stt":
        raise _Refused(cell(head, 0), f"ô này cần tiêu đề 'STT', gặp '{text(head, 0)}'")
    numbers = criteria.numbers
    count_col = 2 + len(numbers)
    found = []
    for c in range(2, len(rows[head + 1]) if head + 1 < len(rows) else 2):
        v = value(head + 1, c)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer():
            found.append(int(v))
        else:
            break
    if tuple(found) != tuple(numbers):
        shown = ", ".join(str(n) for n in found) or "không có"
        raise _Refused(
            cell(head + 1, 2),
            f"các tiêu chí ở dòng {head + 2} là {shown}, bộ tiêu chí kỳ này ({criteria.title}) có "
            f"{', '.join(str(n) for n in numbers)}; hai kỳ phải dùng cùng bộ tiêu chí",
        )
    if fold(text(head, count_col)) != fold("Số tiêu chí đạt"):
        raise _Refused(
            cell(head, count_col), f"ô này cần tiêu đề 'Số tiêu chí đạt', gặp '{text(head, count_col)}'"
        )
    villages: list[VillageAssessment] = []
    communes: list[str] = []
    commune = ""
    total = fold(f"Tổng số {unit} đạt")
    for r in range(head + 3, len(rows)):
        first, name = value(r, 0), text(r, 1)
        if not name and cell_text(first) == "":
            continue
        if fold(name) == total:
            break
        if isinstance(first, str) and is_roman(first):
            if not fold(name).startswith(fold(group_unit) + " "):
                raise _Refused(cell(r, 1), f"dòng nhóm cần '{group_unit.capitalize()} <tên>', gặp '{name}'")
            commune = display_name(name, (group_unit,))
            communes.append(commune)
            continue
        if not (isinstance(first, (int, float)) and not isinstance(first, bool)) or not name:
            raise _Refused(
                cell(r, 0),
                f"cần một dòng {unit} (số thứ tự và tên), một dòng {group_unit} hoặc dòng tổng; "
                f"gặp '{cell_text(first)}' | '{name}'",
            )
        if not commune:
            raise _Refused(cell(r, 1), f"{unit} '{name}' nằm trước mọi dòng {group_unit}")
        met, not_met = [], []
        for offset, number in enumerate(numbers):
            mark = text(r, 2 + offset)
            if mark == MET_SYMBOL:
                met.append(number)
            elif mark == NOT_MET_SYMBOL:
                not_met.append(number)
            else:
                raise _Refused(
                    cell(r, 2 + offset),
                    f"ô đánh giá cần '{MET_SYMBOL}' (đạt) hoặc '{NOT_MET_SYMBOL}' (chưa đạt), gặp '{mark}'",
                )
        count = value(r, count_col)
        if not isinstance(count, (int, float)) or isinstance(count, bool) or count != len(met):
            raise _Refused(
                cell(r, count_col),
                f"số tiêu chí đạt ghi '{cell_text(count)}' nhưng dòng này có {len(met)} ô '{MET_SYMBOL}'",
            )
        village = display_name(name, ("thôn",))
        villages.append(
            VillageAssessment(
                commune, village, tuple(met), tuple(not_met), Location(path, sheet.name, cell(r, 1))
            )
        )
    return tuple(villages), tuple(dict.fromkeys(communes))


def read_previous_file(path: Path, criteria: CriteriaSet, rules: ReadingRules | None = None) -> PreviousFile:
    """One previous file: a summary workbook's detailed table, else a commune file's village rows."""
    from .._read import read_workbook
    from .._read._calamine import read_sheets
    from .._read._legacy import fix_sheets

    sheets, problems = read_sheets(path)
    if sheets:
        sheets = fix_sheets(sheets)[0]
        detail = _is_summary_workbook(sheets)
        if detail is not None:
            villages, communes, refused = read_previous_summary(detail, path, criteria)
            return PreviousFile((), villages, communes, refused, True)
        names = {fold(s.name) for s in sheets}
        if all(fold(n) in names for n in _OTHER_SUMMARY_SHEETS):
            # A summary workbook without its detailed table: its other sheets are no commune table.
            reason = f"tệp có các trang của biểu tổng hợp nhưng không có trang '{DETAIL_SHEET}'"
            return PreviousFile((), (), (), (problem("C012", path, reason=reason),), True)
    elif problems:
        return PreviousFile((), (), (), tuple(problems), False)
    reading = read_workbook(path, criteria, rules)
    return PreviousFile(tuple(reading.entries), (), (), tuple(reading.problems), False)
