"""The crosswalk of units after the 2025 reform: former commune -> new commune, village renamed or merged.

A table a clerk edits in Excel (or saves as CSV), one change per row, under a header
row "Xã cũ" | "Thôn cũ" | "Xã mới" | "Thôn mới":

* a row with no village moves every village of the former commune into the new one,
  each keeping its name ("Vi Hương" -> "Phủ Thông");
* a row with a former village renames it ("Bản Rào" -> "Nà Rào"), or merges it into
  another village when several rows share the new one; a blank "Xã mới" keeps the
  commune (a commune row, if any, still moves it), a blank "Thôn mới" keeps the name.

Rows chain (a village row under the former commune, then the commune row), never loop.
Names match as the registry matches them (``fold``: case, tone placement) and with
the village's kind word dropped ("Thôn", "Bản"...), never by likeness. What is wrong
in the table (a row missing its units, a unit mapped twice, a loop) is a located
problem, and the rows concerned are not used.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from xlsxwriter.utility import xl_rowcol_to_cell

from .._common._cells import cell_text
from .._common._errors import UsageError
from .._common._text import display_name, fold, strip_prefix
from .._values._catalogue import problem
from .._values._model import (
    Disagreement,
    ExcludedVillage,
    IndicatorCheck,
    InputSheet,
    Location,
    Summary,
    VillageAssessment,
)
from .._values._problems import Problem

__all__ = [
    "CROSSWALK_SHEET",
    "Crosswalk",
    "CrosswalkRow",
    "Moved",
    "apply_crosswalk",
    "crosswalk_from_sheet",
    "load_crosswalk",
    "moved_units",
    "unused_rows",
    "village_key",
]

CROSSWALK_SHEET = "Chuyển đổi đơn vị"
# Words naming a village's kind, dropped before names are compared ("Bản Vén" == "Vén").
KIND_WORDS = ("thôn", "bản", "xóm", "ấp", "buôn", "làng", "tổ dân phố")
_HEADERS = {
    "former_commune": ("xã cũ", "xã trước", "tên xã cũ", "xã trước sắp xếp", "xã (cũ)"),
    "former_village": ("thôn cũ", "thôn trước", "tên thôn cũ", "thôn, bản cũ", "thôn (cũ)"),
    "commune": ("xã mới", "xã sau", "tên xã mới", "xã sau sắp xếp", "xã (mới)"),
    "village": ("thôn mới", "thôn sau", "tên thôn mới", "thôn, bản mới", "thôn (mới)"),
}
_HEADER_KEYS = {fold(word): role for role, words in _HEADERS.items() for word in words}
_SCAN_ROWS = 40

Unit = tuple[str, str]  # (commune, village) as shown


def village_key(name: str) -> str:
    """A village name's comparison key without its kind words: "Thôn Nà Rào", "nà rào" -> "nà rào";
    "Thôn Bản Rào", "Bản Rào" -> "rào". A name that is only kind words and a number stays whole."""
    while (shorter := strip_prefix(name, KIND_WORDS)) != name:
        name = shorter
    return fold(name)


def _commune(text: str) -> str:
    return display_name(text, ("xã",))


def _village(text: str) -> str:
    return display_name(text, ("thôn",))


@dataclass(frozen=True)
class CrosswalkRow:
    """One change as the table gives it; blank new parts already filled from the former ones."""

    former_commune: str
    former_village: str  # "" for a commune row
    commune: str
    village: str  # "" for a commune row
    sheet: str
    row: int  # 0-based

    @property
    def cell(self) -> str:
        return str(xl_rowcol_to_cell(self.row, 0))

    def describe(self, group_unit: str = "xã", unit: str = "thôn") -> str:
        if self.former_village:
            return f"{unit.capitalize()} {self.former_village} ({group_unit} {self.former_commune})"
        return f"{group_unit.capitalize()} {self.former_commune}"

    def target(self, group_unit: str = "xã", unit: str = "thôn") -> str:
        if self.former_village:
            return f"{unit} {self.village} ({group_unit} {self.commune})"
        return f"{group_unit} {self.commune}"


@dataclass(frozen=True)
class Crosswalk:
    """The rows in use (problem rows left out) and the problems of the table."""

    source: Path
    rows: tuple[CrosswalkRow, ...]
    problems: tuple[Problem, ...] = ()

    @cached_property
    def _communes(self) -> Mapping[str, int]:
        return {fold(r.former_commune): i for i, r in enumerate(self.rows) if not r.former_village}

    @cached_property
    def _villages(self) -> Mapping[tuple[str, str], int]:
        return {
            (fold(r.former_commune), village_key(r.former_village)): i
            for i, r in enumerate(self.rows)
            if r.former_village
        }

    def trace(self, commune: str, village: str) -> tuple[Unit, tuple[int, ...], bool]:
        """The unit's names this period, the rows applied (indices), and whether a village row
        renamed or merged it."""
        communes, villages = self._communes, self._villages
        used: list[int] = []
        renamed = False
        for _ in range(len(self.rows) + 1):  # rows never loop (refused when read)
            index = villages.get((fold(commune), village_key(village)))
            if index is None or index in used:
                index = communes.get(fold(commune))
                if index is None or index in used:
                    break
                commune = self.rows[index].commune
            else:
                row = self.rows[index]
                commune, village, renamed = row.commune, row.village, True
            used.append(index)
        return (commune, village), tuple(used), renamed

    def unit(self, commune: str, village: str) -> Unit:
        return self.trace(commune, village)[0]


def crosswalk_from_sheet(sheet: InputSheet, source: str | Path) -> Crosswalk:
    """The crosswalk a sheet's table gives; raises ``UsageError`` when it has no header row."""
    source = Path(source)
    header = _header(sheet)
    if header is None:
        raise UsageError(
            f"Bảng chuyển đổi '{source.name}', trang '{sheet.name}': không thấy dòng tiêu đề có các cột "
            "'Xã cũ', 'Thôn cũ', 'Xã mới', 'Thôn mới'."
        )
    first, columns = header
    problems: list[Problem] = []
    rows: list[CrosswalkRow] = []

    def at(r: int, role: str) -> str:
        return str(xl_rowcol_to_cell(r, columns[role])) if role in columns else ""

    def text(values: Sequence[object], role: str) -> str:
        col = columns.get(role)
        return cell_text(values[col]) if col is not None and col < len(values) else ""

    for r in range(first + 1, len(sheet.rows)):
        values = sheet.rows[r]
        former_commune = _commune(text(values, "former_commune"))
        former_village = _village(text(values, "former_village"))
        commune = _commune(text(values, "commune"))
        village = _village(text(values, "village"))
        if not (former_commune or former_village or commune or village):
            continue
        missing = ""
        if not former_commune:
            missing, cell, expected = "xã cũ", at(r, "former_commune"), "tên xã trước khi sắp xếp"
        elif not commune and not village:
            missing, cell, expected = "xã mới và thôn mới", at(r, "commune"), "xã mới, thôn mới hoặc cả hai"
        elif village and not former_village:
            missing, cell = "thôn cũ", at(r, "former_village") or at(r, "village")
            expected = "tên thôn trước khi đổi tên hoặc sáp nhập (bỏ trống thôn mới nếu cả xã chuyển sang)"
        if missing:
            problems.append(
                problem("C014", source, sheet=sheet.name, cell=cell, missing=missing, expected=expected)
            )
            continue
        rows.append(
            CrosswalkRow(
                former_commune=former_commune,
                former_village=former_village,
                commune=commune or former_commune,
                village=(village or former_village) if former_village else "",
                sheet=sheet.name,
                row=r,
            )
        )
    rows, twice = _mapped_once(rows, source)
    rows, loops = _without_loops(rows, source)
    # Problems in table order, whatever check found them.
    ordered = sorted((*problems, *twice, *loops), key=lambda p: _row_of(p.cell))
    return Crosswalk(source, tuple(rows), tuple(ordered))


def _row_of(cell: str) -> int:
    digits = "".join(c for c in cell if c.isdigit())
    return int(digits) if digits else 0


def _header(sheet: InputSheet) -> tuple[int, dict[str, int]] | None:
    for r, values in enumerate(sheet.rows[:_SCAN_ROWS]):
        columns: dict[str, int] = {}
        for c, value in enumerate(values):
            role = _HEADER_KEYS.get(fold(cell_text(value)).strip(" :"))
            if role is not None and role not in columns:
                columns[role] = c
        if "former_commune" in columns and ("commune" in columns or "village" in columns):
            return r, columns
    return None


def _former(row: CrosswalkRow) -> tuple[str, str]:
    return fold(row.former_commune), village_key(row.former_village) if row.former_village else ""


def _mapped_once(rows: list[CrosswalkRow], source: Path) -> tuple[list[CrosswalkRow], list[Problem]]:
    """Rows whose former unit no other row maps: a unit mapped twice keeps neither row."""
    first: dict[tuple[str, str], CrosswalkRow] = {}
    twice: set[tuple[str, str]] = set()
    problems = []
    for row in rows:
        key = _former(row)
        if key in first:
            twice.add(key)
            earlier = first[key]
            problems.append(
                problem(
                    "C015",
                    source,
                    sheet=row.sheet,
                    cell=row.cell,
                    what=row.describe(),
                    first=earlier.cell,
                    first_target=earlier.target(),
                    target=row.target(),
                )
            )
        else:
            first[key] = row
    return [r for r in rows if _former(r) not in twice], problems


def _without_loops(rows: list[CrosswalkRow], source: Path) -> tuple[list[CrosswalkRow], list[Problem]]:
    """Rows that never lead back to where they started; each loop is reported once, at its first row."""
    problems: list[Problem] = []
    while True:
        crosswalk = Crosswalk(source, tuple(rows))
        loop = next((found for row in rows if (found := _loop(crosswalk, row))), None)
        if loop is None:
            return rows, problems
        chain = " → ".join([rows[i].describe() for i in loop] + [rows[loop[0]].describe()])
        head = rows[min(loop)]
        problems.append(problem("C016", source, sheet=head.sheet, cell=head.cell, chain=chain))
        rows = [r for i, r in enumerate(rows) if i not in loop]


def _loop(crosswalk: Crosswalk, start: CrosswalkRow) -> tuple[int, ...]:
    """The rows of a loop met when following ``start``'s unit (in order), or ()."""
    commune, village = start.former_commune, start.former_village
    communes, villages = crosswalk._communes, crosswalk._villages
    seen: list[int] = []
    for _ in range(len(crosswalk.rows) + 1):
        index = villages.get((fold(commune), village_key(village))) if village else None
        if index is None:
            index = communes.get(fold(commune))
        if index is None:
            return ()
        if index in seen:
            return tuple(seen[seen.index(index) :])
        seen.append(index)
        row = crosswalk.rows[index]
        if row.former_village:
            commune, village = row.commune, row.village
        else:
            commune = row.commune
        if (fold(commune), village_key(village)) == (
            fold(row.former_commune),
            village_key(row.former_village),
        ):
            return ()  # a row keeping its unit (a spelling fix) is no loop
    return ()


def load_crosswalk(path: str | Path) -> Crosswalk:
    """The crosswalk of an .xlsx/.xls/.ods workbook (sheet "Chuyển đổi đơn vị", else its first sheet
    with the header) or of a .csv file; raises ``UsageError`` when there is no table to read."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"Không tìm thấy bảng chuyển đổi '{path}'.")
    if path.suffix.lower() in (".csv", ".txt"):
        sheets = [_csv_sheet(path)]
    else:
        from .._read._calamine import read_sheets
        from .._read._legacy import fix_sheets

        found, problems = read_sheets(path)
        sheets, _ = fix_sheets(found)
        if not sheets:
            why = "; ".join(p.message for p in problems) or "tệp không có trang tính nào"
            raise UsageError(f"Không đọc được bảng chuyển đổi '{path.name}': {why}")
    named = [s for s in sheets if fold(s.name) == fold(CROSSWALK_SHEET)]
    candidates = named or [s for s in sheets if _header(s) is not None] or sheets
    return crosswalk_from_sheet(candidates[0], path)


def _csv_sheet(path: Path) -> InputSheet:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on a Vietnamese Windows is in the ANSI code page.
        text = data.decode("cp1258", errors="replace")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = tuple(tuple(row) for row in csv.reader(text.splitlines(), dialect))
    return InputSheet(path.stem, rows)


_Placed = TypeVar("_Placed", VillageAssessment, ExcludedVillage, Disagreement, IndicatorCheck)


def _moved(crosswalk: Crosswalk, items: Iterable[_Placed]) -> list[_Placed]:
    moved = []
    for item in items:
        commune, village = crosswalk.unit(item.commune, item.village)
        moved.append(replace(item, commune=commune, village=village))
    return moved


def apply_crosswalk(summary: Summary, crosswalk: Crosswalk) -> Summary:
    """The summary with every village under its unit of this period (after the crosswalk)."""
    if not crosswalk.rows:
        return replace(summary, problems=summary.problems + crosswalk.problems)

    villages = _moved(crosswalk, summary.villages)
    excluded = _moved(crosswalk, summary.excluded)
    disagreements = _moved(crosswalk, summary.disagreements)
    checks = _moved(crosswalk, summary.indicator_checks)
    # Communes in the order they were first read, each under its name of this period.
    communes: dict[str, str] = {}
    for commune in summary.communes:
        renamed = crosswalk.unit(commune, "")[0]
        communes.setdefault(fold(renamed), renamed)
    # A village a row moved to a commune no file names.
    for moved in [v.commune for v in villages] + [e.commune for e in excluded]:
        communes.setdefault(fold(moved), moved)
    rank = {key: i for i, key in enumerate(communes)}
    villages.sort(key=lambda v: rank[fold(v.commune)])
    return replace(
        summary,
        villages=tuple(villages),
        excluded=tuple(excluded),
        disagreements=tuple(disagreements),
        indicator_checks=tuple(checks),
        communes=tuple(communes.values()),
        problems=summary.problems + crosswalk.problems,
    )


def unused_rows(
    crosswalk: Crosswalk, units: Iterable[tuple[str, str]], group_unit: str = "xã", unit: str = "thôn"
) -> tuple[Problem, ...]:
    """A warning for each row no unit of ``units`` (names as the files spell them, both periods) needs."""
    used: set[int] = set()
    for commune, village in units:
        used.update(crosswalk.trace(commune, village)[1])
    return tuple(
        problem("C017", crosswalk.source, sheet=row.sheet, cell=row.cell, what=row.describe(group_unit, unit))
        for i, row in enumerate(crosswalk.rows)
        if i not in used
    )


@dataclass(frozen=True)
class Moved:
    """A village of a file counted under other names this period, as the crosswalk says."""

    commune: str
    village: str
    former_commune: str
    former_village: str
    location: Location  # its name cell in the file

    def shown_commune(self, group_unit: str = "xã") -> str:
        """ "Phủ Thông (trước: xã Vi Hương)"; the name alone where it did not change."""
        if fold(self.commune) == fold(self.former_commune):
            return self.commune
        return f"{self.commune} (trước: {group_unit} {self.former_commune})"

    @property
    def shown_village(self) -> str:
        """ "Nà Rào (trước: Bản Rào)"; the name alone where it did not change."""
        if fold(self.village) == fold(self.former_village):
            return self.village
        return f"{self.village} (trước: {self.former_village})"


def moved_units(crosswalk: Crosswalk, units: Iterable[tuple[str, str, Location]]) -> tuple[Moved, ...]:
    """Each (commune, village, name cell) as a file gives it that the crosswalk moves or renames,
    once per cell, in order."""
    moved: dict[tuple[Path, str, str], Moved] = {}
    for commune, village, location in units:
        new_commune, new_village = crosswalk.unit(commune, village)
        key = (location.file, location.sheet, location.cell)
        if key in moved or (fold(new_commune), fold(new_village)) == (fold(commune), fold(village)):
            continue
        moved[key] = Moved(new_commune, new_village, commune, village, location)
    return tuple(moved.values())
