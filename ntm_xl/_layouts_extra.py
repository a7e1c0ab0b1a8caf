"""Tables with criteria as rows: one sheet per village, or villages as columns.

Two layouts communes make besides the usual matrix (villages as rows):

* one sheet per village: a criterion column (number and/or name) and an
  assessment column ("Tự đánh giá", "Đánh giá", "Kết quả đánh giá",
  "Xã đánh giá"); other columns (content, target, result) are ignored. The
  village comes from a title row ("THÔN NÀ NGẦN", "Thôn: Nà Ngần") or the
  sheet name, the commune from the title ("UBND XÃ THUẦN MANG");
* the matrix turned the other way: criteria as rows, one column per village,
  villages named in the header row, communes in the title or in a group
  row above the names ("Xã Cao Sơn" merged across its villages).

Tried only on sheets where the usual finder (``_layout``) found no table.
"""

from __future__ import annotations

import re
from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell

from ._criteria import CriteriaSet
from ._layout import _PUNCT, _commune_in_titles, _key, commune_in_title
from ._layout import _text_of as _text
from ._marks import MarkReading, read_mark
from ._model import CellValue, Location, MarkCell, Sheet, VillageEntry
from ._problems import Problem, Severity
from ._text import clean, display_name, fold

__all__ = ["criterion_of", "find_row_entries"]

# Village title labels followed by the name in the next cell ("Thôn:" | "Nà Ngần"), as comparison keys.
_VILLAGE_LABELS = frozenset(_key(w) for w in ("thôn", "bản", "tên thôn"))
_INDICATOR = re.compile(r"^\s*\d{1,3}\s*[.,]\s*\d")  # "9.1": an indicator, not a criterion
_BY_NUMBER = re.compile(r"^(?:tiêu chí|tieu chi|tc)\s*(?:số|so)?\s*(\d{1,3})\b\s*(.*)$")
_NUMBER_FIRST = re.compile(r"^(\d{1,3})(?:\s+(\D.*))?$")
_NAME_PREFIX = re.compile(r"^(?:tiêu chí|tieu chi|tc)\s+(?:về\s+)?")
_VILLAGE_TITLE = re.compile(r"^(?:tên\s+)?(thôn|bản|xóm|làng|ấp|buôn)\s*[:\-–]?\s+(.+)$", re.IGNORECASE)
_COMMUNE_TAIL = re.compile(r"(?:^|[,;(–\-]\s*)xã\s*:?\s+([^,;()]+?)\s*\)?\s*$", re.IGNORECASE)
_COMMUNE_GROUP = re.compile(
    r"^(?:(?:[IVXLCDM]+|\d+|[A-Za-z])\s*[.)\-/]\s*)?xã\s*[:\-–]?\s+(.+)$", re.IGNORECASE
)
# Assessment headers, best first: the commune's own verdict is what it reports.
_ASSESS = tuple(
    fold(w) for w in ("xã đánh giá", "kết quả đánh giá", "tự đánh giá", "đánh giá", "kết quả tự đánh giá")
)
_SCAN_COLUMNS = 4  # criterion numbers and names sit in the first columns
_HEADER_ROWS = 4


def criterion_of(value: CellValue, criteria: CriteriaSet) -> int | None:
    """The criterion a row label names: 7, "7", "Tiêu chí số 7: ...", "7. Cơ sở vật chất văn hoá",
    or a name alone ("Cơ sở vật chất văn hóa", tone placement ignored); None for indicators ("7.1")."""
    numbers = set(criteria.numbers)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and int(value) in numbers:
            return int(value)
        return None
    if not isinstance(value, str):
        return None
    text = clean(value)
    if not text or _INDICATOR.match(text):
        return None
    folded = fold(text)
    match = _BY_NUMBER.match(folded)
    if match:
        number = int(match.group(1))
        return number if number in numbers else None
    match = _NUMBER_FIRST.match(_PUNCT.sub(" ", folded).strip())
    if match:
        number = int(match.group(1))
        if number in numbers:
            rest = match.group(2)
            if rest is None or criteria.by_name(rest) is not None or len(rest) > 2:
                return number
        return None
    for candidate in (text, _NAME_PREFIX.sub("", folded)):
        found = criteria.by_name(candidate)
        if found is not None:
            return found.number
    return None


class _Cells:
    """Rows with merged ranges filled from their top-left cell (header band only)."""

    def __init__(self, sheet: Sheet, until: int) -> None:
        self.rows = sheet.rows
        self.width = max((len(r) for r in sheet.rows), default=0)
        self._origin: dict[tuple[int, int], tuple[int, int]] = {}
        for r1, c1, r2, c2 in sheet.merged:
            if r1 > until:
                continue
            for r in range(r1, min(r2, until) + 1):
                for c in range(c1, min(c2, self.width - 1) + 1):
                    self._origin[(r, c)] = (r1, c1)

    def raw(self, row: int, col: int) -> CellValue:
        if 0 <= row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return ""

    def value(self, row: int, col: int) -> CellValue:
        r, c = self._origin.get((row, col), (row, col))
        return self.raw(r, c)


def _criterion_rows(sheet: Sheet, criteria: CriteriaSet) -> tuple[dict[int, int], int]:
    """criterion -> row (first occurrence), and the column most of them were named in."""
    found: dict[int, int] = {}
    votes: dict[int, int] = {}
    for r, row in enumerate(sheet.rows):
        for c in range(min(len(row), _SCAN_COLUMNS)):
            number = criterion_of(row[c], criteria)
            if number is not None:
                if number not in found:
                    found[number] = r
                    votes[c] = votes.get(c, 0) + 1
                break
    column = max(votes, key=lambda c: votes[c]) if votes else 0
    return found, column


def _is_mark(value: CellValue) -> bool:
    return read_mark(value) in (MarkReading.MET, MarkReading.NOT_MET, MarkReading.BASICALLY_MET)


def _village_in_titles(cells: _Cells, above: int) -> tuple[str, int, int] | None:
    for r in range(above):
        row = cells.rows[r]
        for c, value in enumerate(row):
            text = _text(value)
            if not text:
                continue
            if _key(text) in _VILLAGE_LABELS and text.endswith(":"):
                following = next((_text(v) for v in row[c + 1 :] if _text(v)), "")
                if following:
                    return display_name(following, ("thôn",)), r, c
                continue
            match = _VILLAGE_TITLE.match(text)
            if match:
                name = re.split(r"\s*[,;(]\s*|\s+-\s+", match.group(2))[0]
                name = re.sub(r"\s+xã\s+.*$", "", name, flags=re.IGNORECASE)
                if name and len(name.split()) <= 6 and not fold(name).startswith("nông thôn"):
                    return display_name(name), r, c
    return None


def _commune_in(text: str) -> str | None:
    found = commune_in_title(text)
    if found:
        return found
    match = _COMMUNE_TAIL.search(clean(text))
    if match and len(match.group(1).split()) <= 6:
        return display_name(match.group(1))
    return None


def find_row_entries(
    sheet: Sheet, path: Path, criteria: CriteriaSet
) -> tuple[list[VillageEntry], list[Problem], bool]:
    """Villages of a criteria-as-rows sheet, problems, and whether such a table was found."""
    rows_of, label_col = _criterion_rows(sheet, criteria)
    if len(rows_of) < max(3, (len(criteria) + 1) // 2):
        return [], [], False
    first = min(rows_of.values())
    header_top = max(0, first - _HEADER_ROWS)
    cells = _Cells(sheet, first)
    problems: list[Problem] = []

    def located(severity: Severity, row: int, col: int, message: str) -> Problem:
        return Problem(severity, path, message, sheet=sheet.name, cell=xl_rowcol_to_cell(row, col))

    # Each column right of the labels: its header (lowest non-blank header cell) and role.
    assess: list[tuple[int, int, int]] = []  # (rank, col, header row)
    villages: list[tuple[int, str, int]] = []  # (col, name, header row)
    for c in range(label_col + 1, cells.width):
        header_row, header = -1, ""
        for r in range(first - 1, header_top - 1, -1):
            text = _text(cells.value(r, c))
            if text:
                header_row, header = r, text
                break
        marks = sum(1 for r in rows_of.values() if _is_mark(cells.raw(r, c)))
        key = fold(re.sub(r"\(.*?\)", "", header)).strip(" :")
        rank = next((i for i, word in enumerate(_ASSESS) if key == word or key.endswith(" " + word)), None)
        if rank is not None:
            assess.append((rank, c, header_row))
        elif header and marks and marks * 2 >= len(rows_of):
            villages.append((c, header, header_row))
    if not assess and not villages:
        return [], [], False

    above = first if assess else min(h for _, _, h in villages)
    title_commune = _commune_in_titles(cells.rows[: max(above, 0)], _commune_in)
    numbers = [n for n in criteria.numbers if n in rows_of]
    missing = [n for n in criteria.numbers if n not in rows_of]
    complete = not missing
    if missing:
        problems.append(
            located(
                Severity.ERROR,
                first,
                label_col,
                "Bảng thiếu dòng của tiêu chí số "
                + ", ".join(str(n) for n in missing)
                + f"; cần đủ {len(criteria)} tiêu chí. Các thôn trong trang này không được tính.",
            )
        )

    entries: list[VillageEntry] = []
    if assess:
        _, col, header_row = min(assess)
        found = _village_in_titles(cells, max(header_row, 0) if header_row >= 0 else first)
        if found is not None:
            village, vr, vc = found
            where = xl_rowcol_to_cell(vr, vc)
        else:
            village = display_name(sheet.name, ("thôn",))
            where = "A1"
            if re.fullmatch(r"(?i)(sheet|trang|bảng)\s*\d*", clean(sheet.name)):
                problems.append(
                    Problem(
                        Severity.ERROR,
                        path,
                        "Không xác định được tên thôn của trang này: cần dòng tiêu đề 'THÔN ...' hoặc "
                        "'Thôn: ...', hoặc đặt tên trang tính là tên thôn.",
                        sheet=sheet.name,
                    )
                )
                return [], problems, True
        columns = [(col, village, Location(path, sheet.name, where), title_commune)]
    else:
        columns = []
        for col, name, header_row in villages:
            group = None
            for r in range(header_row - 1, header_top - 2, -1):
                text = _text(cells.value(r, col))
                match = _COMMUNE_GROUP.match(text) if text else None
                if match:
                    group = display_name(match.group(1))
                    break
            where = Location(path, sheet.name, xl_rowcol_to_cell(header_row, col))
            columns.append((col, display_name(name, ("thôn",)), where, group or title_commune))

    for col, village, location, commune in columns:
        if commune is None:
            problems.append(
                Problem(
                    Severity.ERROR,
                    path,
                    f"Không xác định được xã của thôn '{village}': cần tên xã ở tiêu đề "
                    "('UBND XÃ ...' hoặc 'Xã: ...').",
                    sheet=sheet.name,
                    cell=location.cell,
                )
            )
            continue
        cells_of = tuple(MarkCell(n, cells.raw(rows_of[n], col), rows_of[n], col) for n in numbers)
        entries.append(VillageEntry(commune, village, cells_of, location, complete_columns=complete))
    return entries, problems, True
