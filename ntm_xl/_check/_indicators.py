"""Indicators (chỉ tiêu) behind a criterion, their thresholds, and the check of each value.

A criteria set may declare, per criterion, indicators with a code ("10.1"), a
name, a unit, a comparison and thresholds that differ by year and by commune
group (``[[indicator]]`` tables of the set's TOML file; see
``criteria/bac-kan-thon-2022-2025.toml`` and ``criteria/vi-du-nguong-theo-nhom.toml``).
When a commune file carries indicator values (``VillageEntry.indicators``),
each value is parsed ("45 triệu", "12,5%", "0,125", "45.000.000 đồng"), compared
with the threshold of the period's year, and a mark that contradicts its
indicators ("Đạt" with an income of 38) is a warning naming both cells.
"""

from __future__ import annotations

import math
import operator
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .._common._errors import CriteriaError
from .._common._text import clean, fold, years_in
from .._values._catalogue import problem
from .._values._criteria import CriteriaSet
from .._values._model import (
    CellValue,
    IndicatorCheck,
    IndicatorValue,
    Location,
    MarkCell,
    Summary,
    VillageAssessment,
    VillageEntry,
)
from .._values._problems import Problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = [
    "Indicator",
    "IndicatorSet",
    "Threshold",
    "check_indicators",
    "criteria_file_bytes",
    "load_indicators",
    "parse_indicator_value",
    "period_year",
]

MET, NOT_MET, NO_THRESHOLD, UNREADABLE = "Đạt", "Chưa đạt", "Chưa có ngưỡng", "Không đọc được"
INDICATOR_SHEET = "Chỉ tiêu"

_COMPARISONS: dict[str, tuple[str, Callable[[float, float], bool]]] = {
    ">=": ("≥", operator.ge),
    ">": (">", operator.gt),
    "<=": ("≤", operator.le),
    "<": ("<", operator.lt),
    "=": ("=", math.isclose),
}


@dataclass(frozen=True)
class Threshold:
    value: float
    year: int | None = None  # applies from this year until the next threshold listed; None: any year
    group: str = ""  # commune group; "" for every group


@dataclass(frozen=True)
class Indicator:
    criterion: int
    code: str  # "10.1"
    name: str
    unit: str  # "triệu đồng/người/năm", "%"
    comparison: str  # one of ">=", ">", "<=", "<", "="
    thresholds: tuple[Threshold, ...] = ()  # none: the threshold is unknown
    aliases: tuple[str, ...] = ()
    certainty: str = ""

    @property
    def kind(self) -> str:
        """How values are read: "percent", "million" (money in millions of đồng) or "number"."""
        unit = fold(self.unit)
        if "%" in unit:
            return "percent"
        if "trieu" in unit:
            return "million"
        return "number"

    def threshold(self, year: int | None, group: str = "") -> Threshold | None:
        """The threshold in force in ``year`` for ``group``: the latest listed from a year not after it,
        a group's own before the one for every group."""
        if year is None:
            return None
        for wanted in ((fold(group),) if group else ()) + ("",):
            found = [
                t for t in self.thresholds if fold(t.group) == wanted and (t.year is None or t.year <= year)
            ]
            if found:
                return max(found, key=lambda t: t.year or 0)
        return None

    def shown(self, threshold: Threshold) -> str:
        symbol = _COMPARISONS[self.comparison][0]
        return f"{symbol} {_number(threshold.value)}"

    def meets(self, value: float, threshold: Threshold) -> bool:
        return bool(_COMPARISONS[self.comparison][1](value, threshold.value))


@dataclass(frozen=True)
class IndicatorSet:
    indicators: tuple[Indicator, ...] = ()
    commune_groups: Mapping[str, str] | None = None  # folded commune -> group
    default_group: str = ""

    def of(self, criterion: int) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.criterion == criterion)

    def group_of(self, commune: str) -> str:
        return (self.commune_groups or {}).get(fold(commune), self.default_group)


def _number(value: float) -> str:
    """45 -> "45"; 12.5 -> "12,5" (Vietnamese decimal comma)."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def criteria_file_bytes(criteria: CriteriaSet) -> bytes | None:
    """The bytes of the file the criteria set was read from (built-in or the user's)."""
    if not criteria.source:
        return None
    builtin = resources.files("ntm_xl") / "criteria" / f"{criteria.source}.toml"
    try:
        if builtin.is_file():
            return builtin.read_bytes()
        return Path(criteria.source).read_bytes()
    except (OSError, ValueError):
        return None


def load_indicators(criteria: CriteriaSet) -> IndicatorSet:
    """The indicators the criteria set's file declares (none when it declares none)."""
    return _load_indicators(criteria.source, criteria_file_bytes(criteria) or b"")


@lru_cache(maxsize=8)
def _load_indicators(source: str, data: bytes) -> IndicatorSet:
    if not data:
        return IndicatorSet()
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return IndicatorSet()  # the criteria loader has already said what is wrong
    return parse_indicators(table, source)


def parse_indicators(table: Mapping[str, Any], source: str = "") -> IndicatorSet:
    entries = table.get("indicator", [])
    if not isinstance(entries, list):
        raise CriteriaError(f"Tệp bộ tiêu chí '{source}': 'indicator' phải là các mục [[indicator]].")
    indicators = tuple(_indicator(entry, i, source) for i, entry in enumerate(entries, 1))
    groups = table.get("commune_groups", {})
    if not isinstance(groups, dict):
        raise CriteriaError(f"Tệp bộ tiêu chí '{source}': 'commune_groups' phải là một bảng tên xã = nhóm.")
    return IndicatorSet(
        indicators,
        {fold(str(k)): clean(str(v)) for k, v in groups.items()},
        clean(str(table.get("default_group", ""))),
    )


def _indicator(entry: Any, index: int, source: str) -> Indicator:
    where = f"Tệp bộ tiêu chí '{source}', chỉ tiêu thứ {index}"
    if not isinstance(entry, dict):
        raise CriteriaError(f"{where}: cần một bảng [[indicator]].")
    criterion = entry.get("criterion")
    code = clean(str(entry.get("code", "")))
    if not isinstance(criterion, int) or isinstance(criterion, bool) or not code:
        raise CriteriaError(f"{where}: cần 'criterion' (số tiêu chí) và 'code' (mã chỉ tiêu, như \"10.1\").")
    comparison = str(entry.get("comparison", ">="))
    if comparison not in _COMPARISONS:
        raise CriteriaError(f"{where}: 'comparison' phải là một trong {', '.join(_COMPARISONS)}.")
    thresholds = []
    for item in entry.get("threshold", []):
        value = item.get("value") if isinstance(item, dict) else None
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise CriteriaError(f"{where}: mỗi ngưỡng cần 'value' là một số (và có thể 'year', 'group').")
        year = item.get("year")
        thresholds.append(
            Threshold(float(value), int(year) if year else None, clean(str(item.get("group", ""))))
        )
    return Indicator(
        criterion=criterion,
        code=code,
        name=clean(str(entry.get("name", code))),
        unit=clean(str(entry.get("unit", ""))),
        comparison=comparison,
        thresholds=tuple(thresholds),
        aliases=tuple(clean(str(a)) for a in entry.get("aliases", [])),
        certainty=clean(str(entry.get("certainty", ""))),
    )


# Values ------------------------------------------------------------------------------------

_NUMERIC = re.compile(r"[-+]?\d[\d.,\s]*")


def _plain_number(text: str) -> float | None:
    """ "45.000.000" -> 45000000; "12,5" -> 12.5; "12.5" -> 12.5; "1.234,5" -> 1234.5.

    Vietnamese writes a decimal comma and a thousands dot; a lone dot followed by
    exactly three digits is read as thousands, any other lone dot as a decimal point.
    """
    text = re.sub(r"\s+", "", text)
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif "," in text:
        text = text.replace(",", "")
    elif text.count(".") > 1 or re.fullmatch(r"[-+]?\d{1,3}\.\d{3}", text):
        text = text.replace(".", "")
    try:
        return float(text)
    except ValueError:
        return None


def parse_indicator_value(value: CellValue, kind: str) -> float | None:
    """A cell's indicator value in the indicator's unit, or None when it holds no number.

    ``kind`` "percent": "12,5%", "12.5" -> 12.5; a number of at most 1 is a rate: 0.125 -> 12.5.
    ``kind`` "million": "45 triệu", "45" -> 45; "45.000.000 đồng", 45000000 -> 45.
    """
    if isinstance(value, bool):
        return None
    text = ""
    if isinstance(value, (int, float)):
        number: float | None = float(value)
    elif isinstance(value, str):
        text = fold(value)
        match = _NUMERIC.search(value)
        number = _plain_number(match.group().strip(" .,")) if match else None
    else:
        return None
    if number is None or math.isnan(number):
        return None
    if kind == "percent":
        if "%" not in text and 0 <= number <= 1:
            number *= 100
    elif kind == "million":
        if "trieu" in text or "tr" in text.split():
            pass
        elif "nghin" in text or "ngan" in text:
            number /= 1_000
        elif "dong" in text or abs(number) >= 100_000:
            number /= 1_000_000
    return number


_EXAMPLES = {"percent": "'12,5%'", "million": "'45 triệu'", "number": "'45'"}


# Period ------------------------------------------------------------------------------------


def period_year(period: str) -> int | None:
    """The last year named in a period: "6 tháng đầu năm 2024" -> 2024."""
    years = years_in(period)
    return years[-1] if years else None


def periods_in_files(files: Iterable[Path]) -> list[str]:
    """Each file's "Kỳ đánh giá" (the cell after the label, or the label cell's own text),
    else a title line naming a period ("... 6 tháng đầu năm 2024")."""
    from .._read._calamine import read_sheets

    found = []
    for path in files:
        sheets, _ = read_sheets(path)
        period = next((p for sheet in sheets for p in (_sheet_period(sheet.rows),) if p), "")
        if period:
            found.append(period)
    return found


_TITLE_PERIOD = re.compile(r"((?:6|sáu|09|9) tháng (?:đầu |cuối )?năm \d{4}|năm \d{4})", re.IGNORECASE)


def _sheet_period(rows: tuple[tuple[CellValue, ...], ...]) -> str:
    title = ""
    for row in rows[:15]:
        for c, value in enumerate(row):
            if not isinstance(value, str) or not value.strip():
                continue
            key = fold(value)
            if key.startswith("ky danh gia"):
                rest = clean(value.split(":", 1)[1]) if ":" in value else ""
                if not rest:
                    rest = next((clean(str(v)) for v in row[c + 1 :] if isinstance(v, str) and v.strip()), "")
                if period_year(rest) is not None:
                    return rest
            elif not title and (match := _TITLE_PERIOD.search(clean(value))):
                title = match.group(1)
    return title


# Checks ------------------------------------------------------------------------------------


def _match(value: IndicatorValue, declared: tuple[Indicator, ...]) -> Indicator | None:
    """The declared indicator a value belongs to: by code in its label, else by name or alias,
    else the criterion's only indicator. Never by a near miss."""
    label = fold(value.label)
    for indicator in declared:
        if re.search(rf"(?<![\d.]){re.escape(indicator.code)}(?![\d])", label):
            return indicator
    for indicator in declared:
        names = (indicator.name, *indicator.aliases)
        if any(fold(n) and fold(n) in label for n in names):
            return indicator
    if _names_a_code(value.label):
        return None  # "9.2" where the set declares only 9.1: another indicator, not that one
    return declared[0] if len(declared) == 1 else None


_CODE = re.compile(r"(?<![\d.])\d{1,3}\.\d{1,2}(?![\d])")


def _names_a_code(label: str) -> bool:
    """The label is an indicator's code ("9.2", "Chỉ tiêu 9.2"), so it is no unclear name."""
    return _CODE.search(label) is not None


@dataclass(frozen=True)
class _Village:
    commune: str
    village: str
    location: Location
    marks: tuple[MarkCell, ...]
    indicators: tuple[IndicatorValue, ...]
    met: frozenset[int]
    not_met: frozenset[int]


def _who(village: _Village, criteria: CriteriaSet) -> str:
    return f"{criteria.unit} {village.village} ({criteria.group_unit} {village.commune})"


def _with_unit(value: float, unit: str) -> str:
    """ "38 triệu đồng/người/năm", "12,5%"."""
    return f"{_number(value)}{unit}" if unit == "%" else f"{_number(value)} {unit}".strip()


def _check_village(
    village: _Village, criteria: CriteriaSet, declared: IndicatorSet, year: int | None
) -> tuple[list[IndicatorCheck], list[Problem]]:
    checks: list[IndicatorCheck] = []
    problems: list[Problem] = []
    where = village.location
    group = declared.group_of(village.commune)
    who = _who(village, criteria)
    subject = who[0].upper() + who[1:]  # at the start of a message
    outcomes: dict[int, list[tuple[Indicator, IndicatorValue, float, Threshold, bool]]] = {}
    for value in village.indicators:
        if value.criterion not in criteria.numbers:
            continue
        options = declared.of(value.criterion)
        indicator = _match(value, options) if options else None
        if indicator is None:
            # A code the set does not declare has no threshold to check: listed, not a problem.
            if options and not _names_a_code(value.label):
                problems.append(
                    problem(
                        "C004",
                        where.file,
                        sheet=where.sheet,
                        cell=value.cell,
                        label=value.label,
                        who=who,
                        criterion=value.criterion,
                        codes=", ".join(i.code for i in options),
                    )
                )
            checks.append(
                IndicatorCheck(
                    village.commune,
                    village.village,
                    value.criterion,
                    "",
                    value.label,
                    "",
                    value,
                    None,
                    "",
                    NO_THRESHOLD,
                    where,
                )
            )
            continue
        number = parse_indicator_value(value.value, indicator.kind)
        threshold = indicator.threshold(year, group)
        if number is None:
            result, shown = UNREADABLE, ""
            if not (isinstance(value.value, str) and not value.value.strip()):
                problems.append(
                    problem(
                        "C003",
                        where.file,
                        sheet=where.sheet,
                        cell=value.cell,
                        indicator=indicator.code,
                        name=indicator.name,
                        who=who,
                        found=_describe(value.value),
                        example=_EXAMPLES[indicator.kind],
                    )
                )
        elif threshold is None:
            result, shown = NO_THRESHOLD, ""
        else:
            ok = indicator.meets(number, threshold)
            result, shown = (MET if ok else NOT_MET), indicator.shown(threshold)
            outcomes.setdefault(indicator.criterion, []).append((indicator, value, number, threshold, ok))
        checks.append(
            IndicatorCheck(
                village.commune,
                village.village,
                indicator.criterion,
                indicator.code,
                indicator.name,
                indicator.unit,
                value,
                number,
                shown,
                result,
                where,
            )
        )
    marks = {m.criterion: m for m in village.marks}
    for number, results in outcomes.items():
        mark = marks.get(number)
        if mark is None:
            continue
        criterion = criteria.by_number(number)
        if number in village.met:
            for indicator, value, parsed, threshold, ok in results:
                if not ok:
                    problems.append(
                        problem(
                            "C001",
                            where.file,
                            sheet=where.sheet,
                            cell=mark.cell,
                            who=subject,
                            criterion=number,
                            short_name=criterion.short_name,
                            mark_cell=mark.cell,
                            indicator=indicator.code,
                            name=indicator.name,
                            value_cell=value.cell,
                            value=_with_unit(parsed, indicator.unit),
                            threshold=indicator.shown(threshold),
                            year=year,
                        )
                    )
        elif (
            number in village.not_met
            and len(results) == len(declared.of(number))
            and all(ok for *_, ok in results)
        ):
            problems.append(
                problem(
                    "C002",
                    where.file,
                    sheet=where.sheet,
                    cell=mark.cell,
                    who=subject,
                    criterion=number,
                    short_name=criterion.short_name,
                    mark_cell=mark.cell,
                    year=year,
                    values="; ".join(
                        f"{i.code}: {_with_unit(p, i.unit)} ở ô {v.cell}" for i, v, p, _, _ in results
                    ),
                )
            )
    return checks, problems


def _describe(value: CellValue) -> str:
    from ._validate import describe_value

    return describe_value(value)


def check_indicators(
    summary: Summary,
    entries: Iterable[VillageEntry],
    *,
    period: str = "",
    files: Iterable[Path] = (),
    periods: Iterable[str] | None = None,
) -> Summary:
    """The summary with each counted village's indicator values checked against the thresholds.

    The year is ``period``'s, else the one the files' "Kỳ đánh giá" (or title) names
    (``periods``, one per file, when the caller knows them without reading ``files`` again).
    Villages keep their values (``VillageAssessment.indicators``); the checks go to
    ``Summary.indicator_checks`` and contradictions to ``Summary.problems``.
    """
    by_location = {(e.location.file, e.location.sheet, e.location.cell): e for e in entries if e.indicators}
    if not by_location:
        return summary
    criteria = summary.criteria
    declared = load_indicators(criteria)
    problems: list[Problem] = []
    found_period = ""
    year = period_year(period)
    if year is None and declared.indicators:
        periods = [p for p in periods if p] if periods is not None else periods_in_files(files)
        years = Counter(y for y in (period_year(p) for p in periods) if y is not None)
        if years:
            # The year most files name; on a tie, the latest.
            year = max(years, key=lambda y: (years[y], y))
            found_period = next(p for p in periods if period_year(p) == year)
            if len(years) > 1:
                first = next(iter(by_location.values())).location
                problems.append(
                    problem("C006", first.file, years=", ".join(map(str, sorted(years))), year=year)
                )
        else:
            first = next(iter(by_location.values())).location
            problems.append(problem("C005", first.file))
    checks: list[IndicatorCheck] = []
    villages: list[VillageAssessment] = []
    for assessed in summary.villages:
        where = assessed.location
        entry = by_location.get((where.file, where.sheet, where.cell))
        if entry is None:
            villages.append(assessed)
            continue
        village = _Village(
            assessed.commune,
            assessed.village,
            where,
            entry.marks,
            entry.indicators,
            frozenset(assessed.met),
            frozenset(assessed.not_met),
        )
        found, said = _check_village(village, criteria, declared, year)
        checks.extend(found)
        problems.extend(said)
        villages.append(replace(assessed, indicators=entry.indicators))
    return replace(
        summary,
        villages=tuple(villages),
        indicator_checks=tuple(checks),
        problems=summary.problems + tuple(problems),
        period=period or found_period or summary.period,
    )
