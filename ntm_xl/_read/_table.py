"""Reading one sheet: villages as rows (the usual matrix, its "Đạt" | "Chưa đạt" and
indicator sub-columns, two verdicts, or only the list of unmet criteria), else criteria
as rows (one sheet per village, or villages as columns)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._common._a1 import cell_name
from .._common._text import clean, display_name, fold
from .._values._catalogue import problem
from .._values._criteria import CriteriaSet
from .._values._marks import MarkReading, read_mark
from .._values._model import (
    CellValue,
    IndicatorValue,
    InputSheet,
    Location,
    MarkCell,
    MarkSource,
    VillageEntry,
    plain_mark,
)
from .._values._problems import Problem
from ._columns import Columns, MarkSpec, classify_columns
from ._communes import commune_in_titles, fallback_commune
from ._grid import Grid
from ._reading import ColumnReading, ColumnRole, CommuneSource, RowReading, RowRole, SheetReading
from ._rows import RowContext, classify_row
from ._rules import SheetRule
from ._vocabulary import (
    RESULT_WORDS,
    SELF_WORDS,
    VILLAGE_TITLE,
    commune_in_cell,
    commune_in_group_row,
    criterion_label,
    is_blank,
    is_index_row,
    is_number,
    is_village_header,
    key,
    text_of,
    verdict_of,
    without_former_mark,
)

__all__ = ["HEADER_SCAN_ROWS", "read_sheet"]

HEADER_SCAN_ROWS = 40
MAX_HEADER_ROWS = 4
NO_COMMUNE = "không xác định được xã"


@dataclass
class _Found:
    """What reading a sheet gathers before it becomes a ``SheetReading``."""

    sheet: InputSheet
    path: Path
    problems: list[Problem] = field(default_factory=list)
    rows: list[RowReading] = field(default_factory=list)
    communes: list[CommuneSource] = field(default_factory=list)
    entries: list[VillageEntry] = field(default_factory=list)

    def at(self, code: str, row: int, col: int, /, **params: Any) -> None:
        self.problems.append(
            problem(code, self.path, sheet=self.sheet.name, cell=cell_name(row, col), **params)
        )

    def on_sheet(self, code: str, **params: Any) -> None:
        self.problems.append(problem(code, self.path, sheet=self.sheet.name, **params))


def read_sheet(
    sheet: InputSheet, path: Path, criteria: CriteriaSet, rule: SheetRule | None = None
) -> SheetReading:
    """How one sheet reads: its layout, roles, entries and problems."""
    reading = _read_matrix(sheet, path, criteria, rule)
    if reading.layout == "none" and (rule is None or not rule.fixes_columns):
        other = _read_criteria_rows(sheet, path, criteria, rule)
        if other is not None:
            return other
    return reading


# --- villages as rows ---------------------------------------------------------------------------


def _find_village_header(grid: Grid) -> tuple[int, int] | None:
    for r in range(min(len(grid.rows), HEADER_SCAN_ROWS)):
        for c, value in enumerate(grid.rows[r]):
            if isinstance(value, str) and value and is_village_header(value):
                return r, c
    return None


def _header_end(grid: Grid, row: int, village_col: int) -> int:
    """Last header row: continuation rows have an empty (or merged) village cell."""
    end = row
    for r in range(row + 1, min(row + MAX_HEADER_ROWS, len(grid.rows))):
        own = grid.raw(r, village_col)
        if not is_blank(own) and grid.merged_from(r, village_col) is None:
            break
        cells = [v for v in grid.rows[r] if not is_blank(v)]
        if len(cells) < 2:
            break  # a group row ("Xã Cao Sơn") or a blank row, not a header
        # "Xã tự đánh giá" under a criterion is a verdict's sub-header, not the group row "Xã ..."
        if any(isinstance(v, str) and commune_in_group_row(v) and verdict_of(v) is None for v in cells):
            break
        end = r
    return end


def _skip(sheet: InputSheet, path: Path, code: str, header: tuple[int, int] | None = None) -> SheetReading:
    return SheetReading(sheet.name, "none", header, problems=(problem(code, path, sheet=sheet.name),))


def _read_matrix(
    sheet: InputSheet, path: Path, criteria: CriteriaSet, rule: SheetRule | None
) -> SheetReading:
    grid = Grid(sheet, HEADER_SCAN_ROWS + MAX_HEADER_ROWS)
    found = _Found(sheet, path)
    if rule is not None and rule.header_rows is not None:
        top, bottom = rule.header_rows
        village_col = rule.village_column
        if village_col is None:
            hit = next(
                (
                    (r, c)
                    for r in range(top, bottom + 1)
                    for c in range(grid.width)
                    if isinstance(grid.value(r, c), str) and is_village_header(str(grid.value(r, c)))
                ),
                None,
            )
            if hit is None:
                return _rule_misfit(
                    sheet, path, rule, "không thấy cột tên thôn trong các dòng tiêu đề của quy tắc"
                )
            village_col = hit[1]
    else:
        header = _find_village_header(grid)
        if header is None and (rule is None or rule.village_column is None):
            return _skip(sheet, path, "R001")
        if header is None:
            return _rule_misfit(
                sheet, path, rule, "không thấy dòng tiêu đề ('Thôn', 'Tên thôn') để đặt cột thôn"
            )
        top, village_col = header
        if rule is not None and rule.village_column is not None:
            village_col = rule.village_column
        bottom = _header_end(grid, top, village_col)
    forced = rule.criterion_map(criteria, grid.width) if rule is not None else None
    columns = classify_columns(
        grid,
        top,
        bottom,
        village_col,
        criteria,
        forced=forced,
        verdict_counts=rule.verdict if rule else "review",
    )
    if rule is not None and rule.commune_column is not None:
        columns.commune = rule.commune_column
    if not columns.marks and columns.unmet is None and not columns.only_indicators:
        return _skip(sheet, path, "R002", (top, bottom))
    for code, r, c, params in columns.problems:
        found.at(code, r, c, **params)
    for number in columns.only_indicators:
        col = next(c for n, c, _ in columns.indicators if n == number)
        found.at("R017", bottom, col, number=number)
    unmet_layout = not columns.marks and columns.unmet is not None
    missing = [] if unmet_layout else [n for n in criteria.numbers if n not in columns.marks]
    if missing:
        found.at("R005", top, village_col, numbers=", ".join(map(str, missing)), size=len(criteria))
    complete = not missing and not columns.clash
    if forced is not None and rule is not None:
        _check_forced(grid, bottom, forced, criteria, rule, found)
    title = commune_in_titles(grid.rows[:top])
    titles = [(r, _row_text(grid.rows[r])) for r in range(top)]
    header_rows = [RowReading(r, RowRole.TITLE, text) for r, text in titles if text]
    header_rows += [RowReading(r, RowRole.HEADER) for r in range(top, bottom + 1)]
    found.rows.extend(header_rows)
    villages = _village_rows(grid, bottom, columns, found, rule)
    if not villages and not any(r.role is RowRole.VILLAGE for r in found.rows):
        found.on_sheet("R008")
    numeric = _numeric_columns(grid, villages, columns)
    _make_entries(grid, villages, columns, criteria, numeric, complete, unmet_layout, title, found, rule)
    return _finished(
        sheet, found, list(columns.readings), rule, "unmet-list" if unmet_layout else "rows", (top, bottom)
    )


def _row_text(row: tuple[CellValue, ...]) -> str:
    return " | ".join(filter(None, map(text_of, row)))


def _rule_misfit(sheet: InputSheet, path: Path, rule: SheetRule | None, why: str) -> SheetReading:
    name = rule.name if rule else ""
    return SheetReading(
        sheet.name, "none", problems=(problem("R019", path, sheet=sheet.name, rule=name, why=why),), rule=name
    )


def _check_forced(
    grid: Grid, bottom: int, forced: dict[int, int], criteria: CriteriaSet, rule: SheetRule, found: _Found
) -> None:
    """A rule's criterion column must hold something and must not be headed by another criterion."""
    for number, col in forced.items():
        if all(is_blank(grid.raw(r, col)) for r in range(bottom + 1, len(grid.rows))):
            found.at("R019", bottom, col, rule=rule.name, why=f"cột của tiêu chí số {number} trống")
            continue
        for r in range(bottom, -1, -1):
            label = criterion_label(grid.value(r, col), criteria)
            if label is not None:
                if label.how != "indicator" and label.number != number and label.number in criteria.numbers:
                    found.at(
                        "R019",
                        r,
                        col,
                        rule=rule.name,
                        why=f"quy tắc đặt tiêu chí số {number} ở cột này nhưng tiêu đề ghi "
                        f"'{text_of(grid.value(r, col))}' (tiêu chí số {label.number})",
                    )
                break


@dataclass(frozen=True)
class _VillageRow:
    row: int
    name: str
    commune: str
    source: str
    where: str


def _village_rows(
    grid: Grid, bottom: int, columns: Columns, found: _Found, rule: SheetRule | None
) -> list[_VillageRow]:
    mark_cols: list[int] = []
    for spec in (*columns.marks.values(), *columns.self_marks.values()):
        mark_cols.append(spec.col)
        if spec.other_col >= 0:
            mark_cols.append(spec.other_col)
    if columns.unmet is not None:
        mark_cols.append(columns.unmet)
    if columns.count is not None:
        mark_cols.append(columns.count)
    lead_end = max(columns.village, columns.stt if columns.stt is not None else 0)
    lead = tuple(c for c in range(lead_end + 1) if c != columns.commune)
    notes = next((r.col for r in columns.readings if r.role is ColumnRole.NOTES), None)
    context = RowContext(columns.village, lead, columns.stt, columns.commune, notes, tuple(mark_cols))
    ignored = rule.ignore_rows if rule is not None else frozenset()
    villages: list[_VillageRow] = []
    group: tuple[str, str] | None = None
    carried: tuple[str, str] | None = None
    after_signature = False
    first = bottom + 1
    for r in range(first, len(grid.rows)):
        row = grid.rows[r]
        if all(is_blank(v) for v in row):
            continue
        if r in ignored:
            found.rows.append(RowReading(r, RowRole.IGNORED, _row_text(row), "theo quy tắc đọc"))
            continue
        if r == first and is_index_row(row):
            found.rows.append(RowReading(r, RowRole.INDEX, _row_text(row)))
            continue
        verdict = classify_row(row, context, after_signature)
        shown = (
            display_name(verdict.name, ("thôn",))
            if verdict.role is RowRole.VILLAGE and verdict.name
            else _row_text(row)
        )
        found.rows.append(RowReading(r, verdict.role, shown, verdict.why))
        if verdict.role is RowRole.SIGNATURE:
            after_signature = True
        if verdict.role is RowRole.GROUP:
            group = (verdict.name, cell_name(r, columns.village))
            carried = None
            continue
        if verdict.role is RowRole.TOTAL:
            carried = None
            continue
        if verdict.role is not RowRole.VILLAGE:
            continue
        if not verdict.name:
            found.at("R006", r, columns.village, row=r + 1)
            continue
        commune, source, where = "", "", ""
        if columns.commune is not None:
            text = text_of(grid.raw(r, columns.commune))
            if text:
                carried = (
                    commune_in_cell(without_former_mark(text)),
                    cell_name(r, columns.commune),
                )
                commune, source, where = carried[0], "cell", carried[1]
            elif carried is not None:
                commune, source, where = carried[0], "above", carried[1]
        if not commune and group is not None:
            commune, source, where = group[0], "group", group[1]
        villages.append(_VillageRow(r, verdict.name, commune, source, where))
    return villages


def _numeric_columns(grid: Grid, villages: list[_VillageRow], columns: Columns) -> frozenset[int]:
    """The mark columns, when every filled village cell of every one of them is the number 1 or 0:
    marks written as 1/0. Decided for the table as a whole: a lone 1 among columns of words is a
    number where a word was expected, not a mark."""
    specs = (*columns.marks.values(), *columns.self_marks.values())
    rows = grid.rows
    filled = False
    for spec in specs:
        col = spec.col
        for v in villages:
            row = rows[v.row]
            value = row[col] if 0 <= col < len(row) else ""
            if is_blank(value):
                continue
            if not (is_number(value) and float(value) in (0.0, 1.0)):  # type: ignore[arg-type]
                return frozenset()  # one word is enough to decide: most tables say "Đạt"
            filled = True
    return frozenset(spec.col for spec in specs) if filled else frozenset()


def _marks(
    grid: Grid,
    row: int,
    specs: list[tuple[int, MarkSpec, bool]],
    words: Callable[[CellValue], CellValue] | None,
) -> tuple[MarkCell, ...]:
    """The row's mark cells for (criterion, where, numeric) specs, in order."""
    values = grid.rows[row] if 0 <= row < len(grid.rows) else ()
    width = len(values)
    cells = []
    for number, spec, numeric in specs:
        col = spec.col
        value = values[col] if 0 <= col < width else ""
        if words is not None:
            value = words(value)
        other_col = spec.other_col
        if other_col >= 0:
            other = values[other_col] if other_col < width else ""
            if words is not None:
                other = words(other)
            cells.append(MarkCell(number, value, row, col, MarkSource.PAIR, other, other_col))
        else:
            cells.append(plain_mark(number, value, row, col, numeric))
    return tuple(cells)


def _make_entries(
    grid: Grid,
    villages: list[_VillageRow],
    columns: Columns,
    criteria: CriteriaSet,
    numeric: frozenset[int],
    complete: bool,
    unmet_layout: bool,
    title: tuple[str, str] | None,
    found: _Found,
    rule: SheetRule | None,
) -> None:
    words = rule.mark_words if rule is not None else None
    fallback = None if title is not None else fallback_commune(found.sheet.name, found.path)
    warned_file = False
    numbers = criteria.numbers
    counted = [(n, columns.marks[n], columns.marks[n].col in numeric) for n in numbers if n in columns.marks]
    other = [
        (n, columns.self_marks[n], columns.self_marks[n].col in numeric)
        for n in numbers
        if n in columns.self_marks
    ]
    # Most tables: one cell per criterion, all of words or all of 1/0 marks.
    plain = (
        not unmet_layout
        and all(spec.other_col < 0 for _, spec, _ in counted)
        and len({is_numeric for _, _, is_numeric in counted}) <= 1
    )
    plain_criteria = tuple(n for n, _, _ in counted)
    plain_columns = tuple(spec.col for _, spec, _ in counted)
    plain_numeric = bool(counted) and counted[0][2]
    for v in villages:
        commune, source, where = v.commune, v.source, v.where
        if rule is not None and rule.commune:
            commune, source, where = rule.commune, "rule", rule.name
        elif not commune and title is not None:
            commune, source, where = title[0], "title", title[1]
        elif not commune and fallback is not None:
            commune, source, where = fallback
            if source == "file" and not warned_file:
                found.on_sheet("R016", commune=commune, file_name=found.path.name)
                warned_file = True
        name = display_name(v.name, ("thôn",))
        found.communes.append(CommuneSource(name, commune, source, where, cell_name(v.row, columns.village)))
        marks: tuple[MarkCell, ...] = ()
        if unmet_layout:
            assert columns.unmet is not None
            raw = grid.raw(v.row, columns.unmet)
            marks = tuple(MarkCell(n, raw, v.row, columns.unmet, MarkSource.UNMET_LIST) for n in numbers)
            own: tuple[MarkCell, ...] = ()
        else:
            if not plain:
                marks = _marks(grid, v.row, counted, words)
            own = _marks(grid, v.row, other, words) if other else ()
        indicators = tuple(
            IndicatorValue(n, label, grid.raw(v.row, c), v.row, c)
            for n, c, label in columns.indicators
            if not is_blank(grid.raw(v.row, c))
        )
        count_value: CellValue = ""
        count_cell = ""
        if columns.count is not None:
            count_value = grid.raw(v.row, columns.count)
            count_cell = cell_name(v.row, columns.count)
        reason = ""
        if not commune:
            found.at("R007", v.row, columns.village, village=name)
            reason = NO_COMMUNE
        if (v.row, columns.village) in found.sheet.struck_cells:
            found.at("R018", v.row, columns.village, row=v.row + 1, village=name)
        entry = VillageEntry(
            commune=commune,
            village=name,
            marks=marks,
            location=Location(found.path, found.sheet.name, cell_name(v.row, columns.village)),
            reported_count=count_value,
            reported_count_cell=count_cell,
            complete_columns=complete,
            self_marks=own,
            indicators=indicators,
            excluded_reason=reason,
            commune_source=source,
        )
        if plain:
            values = _row_values(grid, v.row, plain_columns, words)
            entry = entry.with_plain_marks(plain_criteria, plain_columns, values, v.row, plain_numeric)
        found.entries.append(entry)


def _row_values(
    grid: Grid, row: int, columns: tuple[int, ...], words: Callable[[CellValue], CellValue] | None
) -> tuple[CellValue, ...]:
    """The row's cells in ``columns`` ("" beyond its end), through ``words`` when a rule gives it."""
    cells = grid.rows[row] if 0 <= row < len(grid.rows) else ()
    width = len(cells)
    values = tuple(cells[c] if 0 <= c < width else "" for c in columns)
    return values if words is None else tuple(map(words, values))


def _same(value: CellValue) -> CellValue:
    return value


# --- criteria as rows -----------------------------------------------------------------------------

_SCAN_COLUMNS = 4  # criterion numbers and names sit in the first columns
_HEADER_ROWS = 4
_VILLAGE_LABELS = frozenset(key(w) for w in ("thôn", "bản", "tên thôn"))
# Assessment headers, best first: the commune's verdict on its village is what it reports.
_ASSESS = tuple(
    fold(w) for w in ("xã đánh giá", "kết quả đánh giá", "tự đánh giá", "đánh giá", "kết quả tự đánh giá")
)
_VALUE_HEADERS = tuple(
    fold(w) for w in ("kết quả thực hiện", "hiện trạng", "thực trạng", "số liệu", "kết quả đạt được")
)
_MARKS = (MarkReading.MET, MarkReading.NOT_MET, MarkReading.BASICALLY_MET)


def _criterion_rows(
    sheet: InputSheet, criteria: CriteriaSet
) -> tuple[dict[int, int], dict[int, tuple[int, str]], int]:
    """criterion -> row (first occurrence); indicator row -> (criterion, label); the label column."""
    found: dict[int, int] = {}
    indicators: dict[int, tuple[int, str]] = {}
    votes: dict[int, int] = {}
    numbers = set(criteria.numbers)
    current: int | None = None
    for r, row in enumerate(sheet.rows):
        for c in range(min(len(row), _SCAN_COLUMNS)):
            value = row[c]
            label = _row_label(value, criteria)
            if label is None:
                continue
            number, how = label
            if how == "indicator":
                if current == number:
                    indicators[r] = (number, text_of(value))
                break
            if number in numbers and number not in found:
                found[number] = r
                votes[c] = votes.get(c, 0) + 1
                current = number
            break
    column = max(votes, key=lambda c: votes[c]) if votes else 0
    return found, indicators, column


def _row_label(value: CellValue, criteria: CriteriaSet) -> tuple[int, str] | None:
    """A criterion row label: 7, "7", "Tiêu chí số 7: ...", "7. Cơ sở vật chất văn hoá", a name;
    or an indicator ("9.1"). A number followed by short text is not a criterion ("1 a")."""
    label = criterion_label(value, criteria)
    if label is None:
        return None
    if label.how == "number" and isinstance(value, str) and not label.explicit:
        match = re.match(r"^\s*0*\d{1,3}\W*(.*)$", clean(value))
        rest = match.group(1) if match else ""
        if rest and len(rest) <= 2 and criterion_label(rest, criteria) is None:
            return None
    return label.number, label.how


def _is_mark(value: CellValue) -> bool:
    return read_mark(value) in _MARKS


def _village_in_titles(grid: Grid, above: int) -> tuple[str, int, int] | None:
    for r in range(above):
        row = grid.rows[r]
        for c, value in enumerate(row):
            text = text_of(value)
            if not text:
                continue
            if key(text) in _VILLAGE_LABELS and text.endswith(":"):
                following = next((text_of(v) for v in row[c + 1 :] if text_of(v)), "")
                if following:
                    return display_name(following, ("thôn",)), r, c
                continue
            match = VILLAGE_TITLE.match(text)
            if match:
                name = re.split(r"\s*[,;(]\s*|\s+-\s+", match.group(2))[0]
                name = re.sub(r"\s+xã\s+.*$", "", name, flags=re.IGNORECASE)
                if name and len(name.split()) <= 6 and not fold(name).startswith("nông thôn"):
                    # The kind word as a table row keeps it: "Thôn 3", "Bản Khuổi Tẩu", but "Nà Ngần".
                    return display_name(f"{match.group(1)} {name}", ("thôn",)), r, c
    return None


def _assess_rank(header: str) -> int | None:
    k = fold(re.sub(r"\(.*?\)", "", header)).strip(" :")
    return next((i for i, word in enumerate(_ASSESS) if k == word or k.endswith(" " + word)), None)


def _read_criteria_rows(
    sheet: InputSheet, path: Path, criteria: CriteriaSet, rule: SheetRule | None
) -> SheetReading | None:
    rows_of, indicator_rows, label_col = _criterion_rows(sheet, criteria)
    if len(rows_of) < max(3, (len(criteria) + 1) // 2):
        return None
    first = min(rows_of.values())
    header_top = max(0, first - _HEADER_ROWS)
    grid = Grid(sheet, first)
    found = _Found(sheet, path)

    def header_of(c: int) -> tuple[int, str]:
        for r in range(first - 1, header_top - 1, -1):
            text = text_of(grid.value(r, c))
            if text:
                return r, text
        return -1, ""

    readings: list[ColumnReading] = [
        ColumnReading(
            label_col,
            ColumnRole.CRITERION_LABEL,
            None,
            header_of(label_col)[1],
            "số hoặc tên tiêu chí ở đầu dòng",
        )
    ]
    assess: list[tuple[int, int, int, str]] = []  # (rank, col, header row, verdict)
    reviews: list[tuple[int, int, str]] = []  # (col, header row, header)
    value_col: int | None = None
    villages: list[tuple[int, str, int]] = []  # (col, name, header row)
    for c in range(label_col + 1, grid.width):
        header_row, header = header_of(c)
        verdict = verdict_of(header) if header else None
        rank = _assess_rank(header) if header else None
        if verdict == "review":
            reviews.append((c, header_row, header))
            readings.append(
                ColumnReading(
                    c, ColumnRole.RESULT, None, header, f"tiêu đề '{header}' (người thẩm định)", "review"
                )
            )
            continue
        if rank is not None:
            assess.append((rank, c, header_row, verdict or ""))
            readings.append(
                ColumnReading(c, ColumnRole.RESULT, None, header, f"tiêu đề '{header}'", verdict or "")
            )
            continue
        if header and fold(header).startswith(_VALUE_HEADERS) and value_col is None:
            value_col = c
            readings.append(ColumnReading(c, ColumnRole.INDICATOR, None, header, f"tiêu đề '{header}'"))
            continue
        marks = sum(1 for r in rows_of.values() if _is_mark(grid.raw(r, c)))
        if (
            header
            and marks
            and marks * 2 >= len(rows_of)
            and not any(w in key(header) for w in RESULT_WORDS | SELF_WORDS)
        ):
            villages.append((c, header, header_row))
            readings.append(
                ColumnReading(c, ColumnRole.RESULT, None, header, f"tên thôn '{header}' ở tiêu đề cột")
            )
        elif header:
            readings.append(ColumnReading(c, ColumnRole.OTHER, None, header, "không phải cột đánh giá"))
    if not assess and not villages and not reviews:
        return None

    numbers = [n for n in criteria.numbers if n in rows_of]
    missing = [n for n in criteria.numbers if n not in rows_of]
    complete = not missing
    if missing:
        found.at("R010", first, label_col, numbers=", ".join(map(str, missing)), size=len(criteria))
    for r in range(header_top):
        text = _row_text(grid.rows[r])
        if text:
            found.rows.append(RowReading(r, RowRole.TITLE, text))
    for number, r in rows_of.items():
        found.rows.append(RowReading(r, RowRole.CRITERION, _row_text(grid.rows[r]), f"tiêu chí số {number}"))
    for r, (number, label) in indicator_rows.items():
        found.rows.append(
            RowReading(
                r, RowRole.INDICATOR, _row_text(grid.rows[r]), f"chỉ tiêu {label} của tiêu chí số {number}"
            )
        )

    words = rule.mark_words if rule is not None else _same
    per_village = bool(assess or reviews)
    above = first if per_village else min(h for _, _, h in villages)
    title = commune_in_titles(grid.rows[: max(above, 0)], tails=True)
    # (mark column, self column or None, village, location of the name, commune source)
    columns: list[tuple[int, int | None, str, str]] = []
    commune_of: dict[int, tuple[str, str, str]] = {}
    if per_village:
        ranked = sorted(assess)
        selfs = [a[1] for a in ranked if a[3] == "self"]
        if reviews and (rule is None or rule.verdict != "self"):
            col, own = reviews[0][0], (ranked[0][1] if ranked else None)
            header_row = reviews[0][1]
        elif reviews and ranked:  # the rule says the village's own verdict counts
            col, own = (selfs or [ranked[0][1]])[0], reviews[0][0]
            header_row = next(a[2] for a in ranked if a[1] == col)
        elif reviews:
            col, own, header_row = reviews[0][0], None, reviews[0][1]
        else:
            col, header_row = ranked[0][1], ranked[0][2]
            own = next((c for c in selfs if c != col), None)
        village_found = _village_in_titles(grid, max(header_row, 0) if header_row >= 0 else first)
        if village_found is not None:
            village, vr, vc = village_found
            where = cell_name(vr, vc)
        else:
            village = display_name(sheet.name, ("thôn",))
            where = "A1"
            if re.fullmatch(r"(?i)(sheet|trang|bảng)\s*\d*", clean(sheet.name)):
                found.on_sheet("R011")
                return _criteria_reading(sheet, found, readings, rule)
        columns.append((col, own, village, where))
        fallback = (title and (title[0], "title", title[1])) or fallback_commune(sheet.name, path, tab=False)
        commune_of[col] = fallback or ("", "", "")
    else:
        fallback_all = fallback_commune(sheet.name, path)
        for col, name, header_row in villages:
            group = None
            for r in range(header_row - 1, header_top - 2, -1):
                text = text_of(grid.value(r, col))
                commune = commune_in_group_row(text) if text else None
                if commune:
                    group = (commune, "group", cell_name(r, col))
                    break
            columns.append((col, None, display_name(name, ("thôn",)), cell_name(header_row, col)))
            commune_of[col] = (
                group or (title and (title[0], "title", title[1])) or fallback_all or ("", "", "")
            )

    warned_file = False
    for col, own_col, village, where in columns:
        commune, source, source_at = commune_of[col]
        if rule is not None and rule.commune:
            commune, source, source_at = rule.commune, "rule", rule.name
        if source == "file" and not warned_file:
            found.on_sheet("R016", commune=commune, file_name=path.name)
            warned_file = True
        found.communes.append(CommuneSource(village, commune, source, source_at, where))
        reason = ""
        if not commune:
            found.problems.append(problem("R007", path, sheet=sheet.name, cell=where, village=village))
            reason = NO_COMMUNE
        cells = tuple(MarkCell(n, words(grid.raw(rows_of[n], col)), rows_of[n], col) for n in numbers)
        own_cells = (
            tuple(MarkCell(n, words(grid.raw(rows_of[n], own_col)), rows_of[n], own_col) for n in numbers)
            if own_col is not None
            else ()
        )
        indicators: tuple[IndicatorValue, ...] = ()
        if value_col is not None and per_village:
            indicators = tuple(
                IndicatorValue(n, label, grid.raw(r, value_col), r, value_col)
                for r, (n, label) in sorted(indicator_rows.items())
                if not is_blank(grid.raw(r, value_col))
            )
        found.entries.append(
            VillageEntry(
                commune,
                village,
                cells,
                Location(path, sheet.name, where),
                complete_columns=complete,
                self_marks=own_cells,
                indicators=indicators,
                excluded_reason=reason,
                commune_source=source,
            )
        )
    _retag_self(readings, [c[1] for c in columns if c[1] is not None])
    return _criteria_reading(sheet, found, readings, rule, "per-village" if per_village else "columns")


def _retag_self(readings: list[ColumnReading], own: list[int]) -> None:
    for i, reading in enumerate(readings):
        if reading.col in own:
            readings[i] = ColumnReading(
                reading.col, ColumnRole.SELF, None, reading.header, reading.evidence, reading.verdict
            )


def _criteria_reading(
    sheet: InputSheet,
    found: _Found,
    readings: list[ColumnReading],
    rule: SheetRule | None,
    layout: str = "per-village",
) -> SheetReading:
    return _finished(sheet, found, readings, rule, layout, None)


def _finished(
    sheet: InputSheet,
    found: _Found,
    readings: list[ColumnReading],
    rule: SheetRule | None,
    layout: str,
    header: tuple[int, int] | None,
) -> SheetReading:
    """How the sheet read, from what was found on it."""
    return SheetReading(
        sheet.name,
        layout,
        header,
        tuple(readings),
        tuple(sorted(found.rows, key=lambda r: r.row)),
        tuple(found.communes),
        tuple(found.entries),
        tuple(found.problems),
        rule.name if rule else "",
    )
