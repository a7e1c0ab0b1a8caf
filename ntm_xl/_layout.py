"""Finding the assessment table in a sheet: villages as rows, criteria as columns.

One reader serves both ntm_xl's own commune workbook and the tables communes
make themselves: title rows above, a header of one to three rows (merged cells
included) naming the village column and one column per criterion, then one
row per village, possibly with commune group rows ("I. Xã Cao Sơn") between.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell

from ._criteria import CriteriaSet
from ._model import CellValue, Location, MarkCell, Sheet, VillageEntry
from ._problems import Problem, Severity
from ._text import clean, display_name, fold

__all__ = ["HEADER_SCAN_ROWS", "commune_in_title", "find_entries"]

HEADER_SCAN_ROWS = 40
MAX_HEADER_ROWS = 3

_PUNCT = re.compile(r"[\s,;:./()\[\]\-–—_+*'\"]+")


@lru_cache(maxsize=1 << 16)  # headers and status words recur in every file
def _key(text: str) -> str:
    """Fold, then treat punctuation as spaces: "TC.7" -> "tc 7"."""
    return _PUNCT.sub(" ", fold(text)).strip()


def _keys(*words: str) -> frozenset[str]:
    return frozenset(_key(w) for w in words)


def _alt(*words: str) -> str:
    return "|".join(re.escape(_key(w)) for w in words)


_VILLAGE_WORDS = _keys("thôn", "bản", "xóm", "làng", "ấp", "buôn")
_VILLAGE_HEADER_WORDS = _VILLAGE_WORDS | _keys("tên", "xã", "tổ", "dân", "phố", "khu", "khối")
_COMMUNE_HEADERS = _keys("xã", "tên xã", "đơn vị xã")
_STT_HEADERS = _keys("stt", "tt", "số tt", "số thứ tự")
_NOTE_HEADERS = _keys("ghi chú")
_TOTAL_WORDS = _keys("tổng", "cộng", "tổng cộng", "tổng số", "toàn xã", "toàn huyện")
# A village may well be called "Tổng ..." ("Tổng Chản"): only these start a totals row.
_TOTAL_PREFIXES = tuple(k + " " for k in _keys("tổng cộng", "tổng số", "toàn xã", "toàn huyện"))
_CRITERION_WORDS = _alt("tiêu chí", "tieu chi", "tc")
_NUMBER_WORDS = _alt("số", "so")
_CRITERION_BY_NUMBER = re.compile(rf"^(?:{_CRITERION_WORDS}) ?(?:(?:{_NUMBER_WORDS}) ?)?(\d{{1,3}})(?: |$)")
_NUMBER_THEN_NAME = re.compile(r"^(\d{1,3})(?: (\D.*))?$")
_MET_KEY = _key("đạt")
_NOT_YET_KEYS = _keys("chưa", "không")
_TC_KEYS = _keys("tiêu chí", "tc")
_COUNT_WORDS = _keys("số", "tổng")
_NOTE_PREFIXES = tuple(
    _keys(
        "ghi chú",
        "người lập",
        "người lập biểu",
        "xác nhận",
        "ngày",
        "tm",
        "kt",
        "chủ tịch",
        "nơi nhận",
        "lưu",
    )
)

# Commune names in titles and group rows. Applied to cleaned (NFC) text.
_COMMUNE_TITLE = (
    re.compile(r"^(?:UBND|[UỦ][ỷyỶY]?\s*ban\s+nhân\s+dân)\s+xã\s+(.+)$", re.IGNORECASE),
    re.compile(r"^xã\s*[:\-–]\s*(.+)$", re.IGNORECASE),
)
_COMMUNE_GROUP = re.compile(
    r"^(?:(?:[IVXLCDM]+|\d+|[A-Za-z])\s*[.)\-/]\s*)?xã\s*[:\-–]?\s+(.+)$", re.IGNORECASE
)


def _text_of(value: CellValue) -> str:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    return ""


def _is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@lru_cache(maxsize=1 << 12)
def _is_village_header(text: str) -> bool:
    words = set(_key(text).split())
    return bool(words) and len(words) <= 5 and words <= _VILLAGE_HEADER_WORDS and bool(words & _VILLAGE_WORDS)


def commune_in_title(text: str) -> str | None:
    """ "UBND XÃ ĐÔN PHONG" or "Xã: Đôn Phong" -> "Đôn Phong"."""
    text = clean(text)
    for pattern in _COMMUNE_TITLE:
        match = pattern.match(text)
        if match:
            return display_name(match.group(1))
    return None


def _commune_in_titles(
    rows: Sequence[Sequence[CellValue]], named_in: Callable[[str], str | None] = commune_in_title
) -> str | None:
    """The commune named above the table: "Xã:" | "X" (label, then the name in a later
    cell), or a cell ``named_in`` recognises ("UBND XÃ X", "Xã: X")."""
    for row in rows:
        for c, value in enumerate(row):
            if not isinstance(value, str) or not value.strip():
                continue
            if _key(value) == _key("xã") and value.strip().endswith(":"):
                following = next((_text_of(v) for v in row[c + 1 :] if _text_of(v)), "")
                if following:
                    return display_name(following, ("xã",))
                continue
            found = named_in(value)
            if found:
                return found
    return None


def _commune_in_group_row(text: str) -> str | None:
    match = _COMMUNE_GROUP.match(clean(text))
    if match and len(match.group(1).split()) <= 6:
        return display_name(match.group(1))
    return None


@dataclass
class _Columns:
    village: int
    criteria: dict[int, int] = field(default_factory=dict)  # criterion number -> column
    commune: int | None = None
    count: int | None = None
    clash: bool = False  # some criterion has two columns
    problems: list[tuple[int, Severity, str]] = field(default_factory=list)


class _Grid:
    """A sheet's cells with merged ranges filled from their top-left cell."""

    def __init__(self, sheet: Sheet) -> None:
        self.rows = sheet.rows
        self.width = max((len(r) for r in sheet.rows), default=0)
        self._origin: dict[tuple[int, int], tuple[int, int]] = {}
        for r1, c1, r2, c2 in sheet.merged:
            if r1 > HEADER_SCAN_ROWS + MAX_HEADER_ROWS:
                continue  # merges below the header are reported, not filled
            for r in range(r1, min(r2, HEADER_SCAN_ROWS + MAX_HEADER_ROWS) + 1):
                for c in range(c1, min(c2, self.width - 1) + 1):
                    self._origin[(r, c)] = (r1, c1)

    def raw(self, row: int, col: int) -> CellValue:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return ""

    def value(self, row: int, col: int) -> CellValue:
        """The cell's value, or its merged range's value."""
        r, c = self._origin.get((row, col), (row, col))
        return self.raw(r, c)

    def merged_from(self, row: int, col: int) -> tuple[int, int] | None:
        origin = self._origin.get((row, col))
        return origin if origin and origin != (row, col) else None


def _find_village_header(grid: _Grid) -> tuple[int, int] | None:
    for r in range(min(len(grid.rows), HEADER_SCAN_ROWS)):
        for c, value in enumerate(grid.rows[r]):
            if isinstance(value, str) and value and _is_village_header(value):
                return r, c
    return None


def _header_end(grid: _Grid, row: int, village_col: int) -> int:
    """Last header row: continuation rows have an empty (or merged) village cell."""
    end = row
    for r in range(row + 1, min(row + MAX_HEADER_ROWS, len(grid.rows))):
        own = grid.raw(r, village_col)
        if not _is_blank(own) and grid.merged_from(r, village_col) is None:
            break
        cells = [v for v in grid.rows[r] if not _is_blank(v)]
        if len(cells) < 2:
            break  # a group row ("Xã Cao Sơn") or a blank row, not a header
        if any(isinstance(v, str) and _commune_in_group_row(v) for v in cells):
            break
        end = r
    return end


def _criterion_in_header(value: CellValue, criteria: CriteriaSet) -> tuple[int | None, bool]:
    """(criterion number, explicit) for one header cell; explicit means "TC 7"-like."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= value <= 999:
            return int(value), False
        return None, False
    if not isinstance(value, str):
        return None, False
    key = _key(value)
    match = _CRITERION_BY_NUMBER.match(key)
    if match:
        return int(match.group(1)), True
    match = _NUMBER_THEN_NAME.match(key)
    if match:
        return int(match.group(1)), False
    found = criteria.by_name(value)
    if found is not None:
        return found.number, False
    return None, False


@lru_cache(maxsize=1 << 12)
def _column_role(key: str) -> str | None:
    words = set(key.split())
    if key in _COMMUNE_HEADERS:
        return "commune"
    if key in _STT_HEADERS:
        return "stt"
    if any(key.startswith(n) for n in _NOTE_HEADERS):
        return "notes"
    if words & _TC_KEYS or _key("tiêu chí") in key:
        if _MET_KEY in words and words & _NOT_YET_KEYS:
            return "unmet"
        if _MET_KEY in words and words & _COUNT_WORDS:
            return "count"
    return None


def _columns(grid: _Grid, top: int, bottom: int, village_col: int, criteria: CriteriaSet) -> _Columns:
    columns = _Columns(village=village_col)
    numbers = set(criteria.numbers)
    for c in range(grid.width):
        if c == village_col:
            continue
        for r in range(bottom, top - 1, -1):  # the lowest header cell is the most specific
            value = grid.value(r, c)
            if _is_blank(value):
                continue
            role = _column_role(_key(value)) if isinstance(value, str) else None
            if role == "commune" and columns.commune is None:
                columns.commune = c
            elif role == "count" and columns.count is None:
                columns.count = c
            if role is not None:
                break
            number, explicit = _criterion_in_header(value, criteria)
            if number is None:
                continue
            if number not in numbers:
                if explicit:
                    columns.problems.append(
                        (
                            c,
                            Severity.WARNING,
                            f"Cột '{_text_of(value)}' là tiêu chí số {number}, không có trong bộ "
                            f"tiêu chí đang dùng ({criteria.title or criteria.id}); cột này bị bỏ qua.",
                        )
                    )
                break
            if number in columns.criteria:
                first = xl_rowcol_to_cell(r, columns.criteria[number])
                columns.problems.append(
                    (
                        c,
                        Severity.ERROR,
                        f"Tiêu chí số {number} có hai cột (cột ở ô {first} và cột này); "
                        "cần đúng một cột cho mỗi tiêu chí.",
                    )
                )
                columns.clash = True
                break
            columns.criteria[number] = c
            break
    return columns


def _is_index_row(values: tuple[CellValue, ...]) -> bool:
    """A row of column numbers under the header: "(1) (2) (3) ..." or 1 2 3."""
    cells = [v for v in values if not _is_blank(v)]
    if len(cells) < 2:
        return False
    for value in cells:
        text = _text_of(value).strip("()[] ")
        if not (text.isdigit() or (len(text) == 1 and text.isalpha())):
            return False
    return True


def _looks_like_note(text: str) -> bool:
    key = _key(text)
    return len(text) > 80 or text.startswith(("*", "(", "-")) or key.startswith(_NOTE_PREFIXES)


def find_entries(
    sheet: Sheet, path: Path, criteria: CriteriaSet
) -> tuple[list[VillageEntry], list[Problem], bool]:
    """The village rows of one sheet, problems found, and whether a table was found."""
    grid = _Grid(sheet)
    problems: list[Problem] = []
    header = _find_village_header(grid)
    if header is None:
        return [], [_skipped(path, sheet, "không thấy cột tên thôn ('Thôn', 'Tên thôn', ...)")], False
    top, village_col = header
    bottom = _header_end(grid, top, village_col)
    columns = _columns(grid, top, bottom, village_col, criteria)
    if not columns.criteria:
        return [], [_skipped(path, sheet, "không thấy cột tiêu chí nào dưới dòng tiêu đề")], False

    def located(severity: Severity, row: int, col: int, message: str) -> Problem:
        return Problem(severity, path, message, sheet=sheet.name, cell=xl_rowcol_to_cell(row, col))

    for col, severity, message in columns.problems:
        problems.append(located(severity, bottom, col, message))
    missing = [n for n in criteria.numbers if n not in columns.criteria]
    if missing:
        problems.append(
            located(
                Severity.ERROR,
                top,
                village_col,
                "Bảng thiếu cột của tiêu chí số "
                + ", ".join(str(n) for n in missing)
                + f"; cần đủ {len(criteria)} cột tiêu chí. Các thôn trong trang này không được tính.",
            )
        )
    complete = not missing and not columns.clash

    title_commune = _commune_in_titles(grid.rows[:top])
    criterion_cols = [(n, columns.criteria[n]) for n in criteria.numbers if n in columns.criteria]
    lead_cols = range(0, max(village_col, columns.commune or 0) + 1)

    entries: list[VillageEntry] = []
    village_rows = 0
    group_commune: str | None = None
    first_data = bottom + 1
    for r in range(first_data, len(grid.rows)):
        row = grid.rows[r]
        if all(_is_blank(v) for v in row):
            continue
        if r == first_data and _is_index_row(row):
            continue
        name = _text_of(grid.raw(r, village_col))
        width = len(row)
        has_marks = any(c < width and not _is_blank(row[c]) for _, c in criterion_cols)
        name_key = _key(name) if name else ""
        if name and (name_key in _TOTAL_WORDS or name_key.startswith(_TOTAL_PREFIXES)):
            continue
        if not has_marks:
            group = next(
                (g for c in lead_cols if (g := _commune_in_group_row(_text_of(grid.raw(r, c))))), None
            )
            if group:
                group_commune = group
                continue
            if not name or _looks_like_note(name):
                continue
        village_rows += 1
        if not name:
            problems.append(
                located(
                    Severity.ERROR,
                    r,
                    village_col,
                    f"Dòng {r + 1} có đánh giá tiêu chí nhưng ô tên thôn để trống; cần ghi tên thôn.",
                )
            )
            continue
        commune = None
        if columns.commune is not None:
            commune_text = _text_of(grid.raw(r, columns.commune))
            commune = display_name(commune_text, ("xã",)) if commune_text else None
        commune = commune or group_commune or title_commune
        if commune is None:
            problems.append(
                located(
                    Severity.ERROR,
                    r,
                    village_col,
                    f"Không xác định được xã của thôn '{name}': cần tên xã ở tiêu đề "
                    "('UBND XÃ ...' hoặc 'Xã: ...'), ở một cột 'Xã', hoặc ở dòng nhóm ('Xã ...') phía trên.",
                )
            )
            continue
        marks = tuple([MarkCell(n, row[c] if c < width else "", r, c) for n, c in criterion_cols])
        count_value: CellValue = ""
        count_cell = ""
        if columns.count is not None:
            count_value = grid.raw(r, columns.count)
            count_cell = xl_rowcol_to_cell(r, columns.count)
        entries.append(
            VillageEntry(
                commune=commune,
                village=display_name(name, ("thôn",)),
                marks=marks,
                location=Location(path, sheet.name, xl_rowcol_to_cell(r, village_col)),
                reported_count=count_value,
                reported_count_cell=count_cell,
                complete_columns=complete,
            )
        )
    if not village_rows:
        problems.append(
            Problem(Severity.WARNING, path, "Bảng đánh giá không có dòng thôn nào.", sheet=sheet.name)
        )
    return entries, problems, True


def _skipped(path: Path, sheet: Sheet, why: str) -> Problem:
    return Problem(Severity.INFO, path, f"Bỏ qua trang này: {why}.", sheet=sheet.name)
