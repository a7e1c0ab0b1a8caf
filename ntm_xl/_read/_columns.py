"""Column roles of a villages-as-rows table, each with the header text that decided it.

A column's header is its stack of header cells (merged cells filled), top to bottom.
The lowest cell naming a criterion gives the criterion; cells below it say which part
of the criterion the column holds ("Đạt" | "Chưa đạt", an indicator such as "9.1" or
"Tỷ lệ (%)", or the result "Đánh giá"); cells anywhere in the stack may say whose
verdict it is ("Thôn tự đánh giá" against "UBND xã thẩm định").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xlsxwriter.utility import xl_rowcol_to_cell

from .._values._criteria import CriteriaSet
from ._grid import Grid
from ._reading import ColumnReading, ColumnRole
from ._vocabulary import (
    PAIR_MET,
    PAIR_NOT_MET,
    RESULT_WORDS,
    column_word_role,
    criterion_label,
    is_blank,
    key,
    text_of,
    verdict_of,
)

__all__ = ["Columns", "MarkSpec", "classify_columns"]

_WORD_ROLES = {
    "commune": ColumnRole.COMMUNE,
    "stt": ColumnRole.STT,
    "notes": ColumnRole.NOTES,
    "count": ColumnRole.COUNT,
    "unmet": ColumnRole.UNMET,
}


@dataclass(frozen=True)
class MarkSpec:
    """Where one criterion's verdict is: one column, or a "Đạt" | "Chưa đạt" pair."""

    col: int
    other_col: int = -1  # the "Chưa đạt" column of a pair


@dataclass
class Columns:
    village: int
    readings: list[ColumnReading] = field(default_factory=list)
    marks: dict[int, MarkSpec] = field(default_factory=dict)  # criterion -> the verdict that counts
    self_marks: dict[int, MarkSpec] = field(default_factory=dict)  # the other verdict, when two
    indicators: list[tuple[int, int, str]] = field(default_factory=list)  # criterion, col, label
    commune: int | None = None
    count: int | None = None
    unmet: int | None = None
    stt: int | None = None
    clash: bool = False  # some criterion has two columns for one verdict
    # (code, row, col, params) for problems found in the header
    problems: list[tuple[str, int, int, dict[str, object]]] = field(default_factory=list)
    only_indicators: list[int] = field(default_factory=list)  # criteria without a result column


def _stack(grid: Grid, top: int, bottom: int, col: int) -> list[tuple[int, str, object]]:
    """(row, text, value) of the column's header cells, top to bottom, one per merged range."""
    stack: list[tuple[int, str, object]] = []
    last_origin: tuple[int, int] | None = None
    for r in range(top, bottom + 1):
        value = grid.value(r, col)
        if is_blank(value):
            continue
        origin = grid.merged_from(r, col) or (r, col)
        if origin == last_origin:
            continue
        last_origin = origin
        stack.append((r, text_of(value), value))
    return stack


# Communes' files share their header: a header band read once is not read again.
# (criteria, the band's stacks and options) -> (criteria, its columns), checked by identity.
_SEEN: dict[tuple[object, ...], tuple[CriteriaSet, Columns]] = {}
_SEEN_MAX = 256


def classify_columns(
    grid: Grid,
    top: int,
    bottom: int,
    village_col: int,
    criteria: CriteriaSet,
    *,
    forced: dict[int, int] | None = None,
    verdict_counts: str = "review",
) -> Columns:
    """Every column's role; ``forced`` (criterion -> column, from a reading rule) replaces
    the header reading of criterion columns."""
    stacks = [_stack(grid, top, bottom, c) for c in range(grid.width)]
    # The stacks are all the grid gives the reading; a value's type is part of it (1 is not True).
    band = tuple(tuple((r, text, value.__class__, value) for r, text, value in stack) for stack in stacks)
    memo = (
        id(criteria),
        band,
        top,
        bottom,
        village_col,
        None if forced is None else tuple(sorted(forced.items())),
        verdict_counts,
    )
    try:
        seen = _SEEN.get(memo)
    except TypeError:  # a value that cannot be hashed: read it afresh
        return _classify_columns(stacks, bottom, village_col, criteria, forced, verdict_counts)
    if seen is None or seen[0] is not criteria:
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.clear()
        seen = criteria, _classify_columns(stacks, bottom, village_col, criteria, forced, verdict_counts)
        _SEEN[memo] = seen
    return _copy(seen[1])


def _copy(columns: Columns) -> Columns:
    """A copy the caller may change (its parts are immutable values)."""
    return Columns(
        columns.village,
        list(columns.readings),
        dict(columns.marks),
        dict(columns.self_marks),
        list(columns.indicators),
        columns.commune,
        columns.count,
        columns.unmet,
        columns.stt,
        columns.clash,
        [(code, r, c, dict(params)) for code, r, c, params in columns.problems],
        list(columns.only_indicators),
    )


def _classify_columns(
    stacks: list[list[tuple[int, str, object]]],
    bottom: int,
    village_col: int,
    criteria: CriteriaSet,
    forced: dict[int, int] | None,
    verdict_counts: str,
) -> Columns:
    columns = Columns(village=village_col)
    numbers = set(criteria.numbers)
    # criterion -> verdict ("review", "self", "") -> list of (kind, col, header row)
    found: dict[int, dict[str, list[tuple[str, int, int]]]] = {}
    forced_cols = {c: n for n, c in (forced or {}).items()}
    for c, stack in enumerate(stacks):
        if c == village_col:
            text = stack[-1][1] if stack else ""
            why = f"tiêu đề '{text}'" if stack else "theo quy tắc đọc"
            columns.readings.append(ColumnReading(c, ColumnRole.VILLAGE, None, text, why))
            continue
        if c in forced_cols:
            number = forced_cols[c]
            text = stack[-1][1] if stack else ""
            found.setdefault(number, {}).setdefault("", []).append(("cell", c, bottom))
            columns.readings.append(ColumnReading(c, ColumnRole.RESULT, number, text, "theo quy tắc đọc"))
            continue
        reading = _classify(stack, criteria, numbers, columns, c, bottom, forced is not None)
        if reading is None:
            continue
        columns.readings.append(reading)
        if reading.criterion is None:
            continue
        if reading.role is ColumnRole.INDICATOR:
            columns.indicators.append((reading.criterion, c, reading.header))
            continue
        kind = {ColumnRole.PAIR_MET: "met", ColumnRole.PAIR_NOT_MET: "not"}.get(reading.role, "cell")
        found.setdefault(reading.criterion, {}).setdefault(reading.verdict, []).append((kind, c, bottom))

    indicator_of = {n for n, _, _ in columns.indicators}
    for number in criteria.numbers:
        by_verdict = found.get(number)
        if not by_verdict:
            if number in indicator_of:
                columns.only_indicators.append(number)
            continue
        specs: dict[str, MarkSpec] = {}
        for verdict, parts in by_verdict.items():
            spec = _spec(parts, number, columns)
            if spec is not None:
                specs[verdict] = spec
        if not specs:
            continue
        counted = _counted_verdict(specs, verdict_counts)
        columns.marks[number] = specs[counted]
        others = [v for v in ("self", "", "review") if v in specs and v != counted]
        if others:
            columns.self_marks[number] = specs[others[0]]
    _retag(columns)
    return columns


def _counted_verdict(specs: dict[str, MarkSpec], verdict_counts: str) -> str:
    order = ("self", "", "review") if verdict_counts == "self" else ("review", "", "self")
    return next(v for v in order if v in specs)


def _spec(parts: list[tuple[str, int, int]], number: int, columns: Columns) -> MarkSpec | None:
    cells = [c for kind, c, _ in parts if kind == "cell"]
    met = [c for kind, c, _ in parts if kind == "met"]
    not_met = [c for kind, c, _ in parts if kind == "not"]
    specs: list[MarkSpec] = [MarkSpec(c) for c in cells]
    if met and not_met:
        specs.append(MarkSpec(met[0], not_met[0]))
    elif met:
        specs.append(MarkSpec(met[0]))
    if len(specs) > 1 or len(met) > 1 or len(not_met) > 1:
        row = parts[0][2]
        first = xl_rowcol_to_cell(row, specs[0].col)
        second = next(c for _, c, _ in parts if c != specs[0].col)
        columns.problems.append(("R004", row, second, {"number": number, "first": first}))
        columns.clash = True
    return specs[0] if specs else None


def _retag(columns: Columns) -> None:
    """Columns of the verdict that does not count are shown as such."""
    not_counted = {s.col for s in columns.self_marks.values()} | {
        s.other_col for s in columns.self_marks.values() if s.other_col >= 0
    }
    for i, reading in enumerate(columns.readings):
        if reading.col in not_counted:
            columns.readings[i] = ColumnReading(
                reading.col,
                ColumnRole.SELF,
                reading.criterion,
                reading.header,
                reading.evidence,
                reading.verdict,
            )


def _word_role(columns: Columns, role: str, col: int, text: str) -> ColumnReading:
    kind = _WORD_ROLES[role]
    if kind is ColumnRole.COMMUNE and columns.commune is None:
        columns.commune = col
    elif kind is ColumnRole.COUNT and columns.count is None:
        columns.count = col
    elif kind is ColumnRole.UNMET and columns.unmet is None:
        columns.unmet = col
    elif kind is ColumnRole.STT and columns.stt is None:
        columns.stt = col
    return ColumnReading(col, kind, None, text, f"tiêu đề '{text}'")


def _classify(
    stack: list[tuple[int, str, object]],
    criteria: CriteriaSet,
    numbers: set[int],
    columns: Columns,
    col: int,
    bottom: int,
    criteria_forced: bool,
) -> ColumnReading | None:
    if not stack:
        return None
    at = -1
    label = None
    for i in range(len(stack) - 1, -1, -1):  # the lowest header cell is the most specific
        text = stack[i][1]
        role = column_word_role(key(text)) if text else None
        if role is not None:
            return _word_role(columns, role, col, text)
        if criteria_forced:
            continue
        label = criterion_label(stack[i][2], criteria)
        if label is not None:
            at = i
            break
    if criteria_forced:
        return ColumnReading(col, ColumnRole.OTHER, None, stack[-1][1], "không có trong quy tắc đọc")
    if label is None:
        return ColumnReading(col, ColumnRole.OTHER, None, stack[-1][1], "tiêu đề không nêu tiêu chí nào")
    text = stack[at][1]
    if label.number not in numbers:
        if label.explicit:
            columns.problems.append(
                (
                    "R003",
                    stack[at][0],
                    col,
                    {"header": text, "number": label.number, "criteria": criteria.title or criteria.id},
                )
            )
        return ColumnReading(
            col, ColumnRole.OTHER, None, text, f"số {label.number} không có trong bộ tiêu chí"
        )
    why = {
        "number": f"số tiêu chí trong '{text}'",
        "name": f"tên tiêu chí '{text}'",
        "indicator": f"chỉ tiêu '{text}'",
    }[label.how]
    below = [t for _, t, _ in stack[at + 1 :]]
    verdict = next((v for t in below + [t for _, t, _ in stack[:at]] if (v := verdict_of(t))), None) or ""
    if label.how == "indicator":
        return ColumnReading(col, ColumnRole.INDICATOR, label.number, text, why, verdict)
    for sub in below:
        k = key(sub)
        if k in PAIR_MET:
            return ColumnReading(
                col, ColumnRole.PAIR_MET, label.number, sub, f"{why}, cột con '{sub}'", verdict
            )
        if k in PAIR_NOT_MET:
            return ColumnReading(
                col, ColumnRole.PAIR_NOT_MET, label.number, sub, f"{why}, cột con '{sub}'", verdict
            )
    for sub in below:
        if key(sub) in RESULT_WORDS or verdict_of(sub):
            return ColumnReading(
                col, ColumnRole.RESULT, label.number, sub, f"{why}, cột con '{sub}'", verdict
            )
    if below:
        return ColumnReading(
            col, ColumnRole.INDICATOR, label.number, below[-1], f"{why}, cột con '{below[-1]}'", verdict
        )
    return ColumnReading(col, ColumnRole.RESULT, label.number, text, why, verdict)
