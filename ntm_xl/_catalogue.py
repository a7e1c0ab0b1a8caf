"""The catalogue of problems: every kind of problem ntm_xl reports, once.

A kind has a stable code, a severity, a Vietnamese message template (``str.format``
fields filled from the problem's parameters) and tags. Codes never change meaning
and are never reused; tests assert codes and locations, and
``tests/golden/problem-catalogue.txt`` holds the wording. Code letters by step:

    F  files: finding, opening, pre-checks, isolated reading
    R  reading a table: header, columns, rows, communes, reading rules
    M  marks and validation of each village
    D  the village registry (danh mục thôn)
    E  legacy encodings (TCVN3, VNI)
    C  indicators, thresholds and comparison with the previous period
    W  writing outputs
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from ._problems import Problem, Severity

__all__ = ["CATALOGUE", "ProblemKind", "problem"]

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class ProblemKind:
    code: str
    severity: Severity
    template: str
    tags: tuple[str, ...] = ()

    def render(self, params: Mapping[str, object]) -> str:
        return self.template.format_map(params)


def _kinds(*kinds: ProblemKind) -> dict[str, ProblemKind]:
    return {kind.code: kind for kind in kinds}


# Each step keeps its own block; new kinds go at the end of their block.

_FILES = _kinds(
    ProblemKind("F001", ERROR, "Không tìm thấy tệp hoặc thư mục này.", ("file",)),
)

_READING = _kinds()

_MARKS = _kinds()

_REGISTRY = _kinds()

_ENCODINGS = _kinds()

_INDICATORS = _kinds(
    ProblemKind(
        "C001",
        WARNING,
        "{who}: tiêu chí số {criterion} ({short_name}) ghi 'Đạt' ở ô {mark_cell}, nhưng chỉ tiêu {indicator} "
        "({name}) ở ô {value_cell} là {value}, chưa đạt ngưỡng {threshold} của năm {year}; cần xem lại "
        "đánh giá hoặc giá trị chỉ tiêu.",
        ("indicator", "threshold"),
    ),
    ProblemKind(
        "C002",
        INFO,
        "{who}: tiêu chí số {criterion} ({short_name}) ghi 'Chưa đạt' ở ô {mark_cell}, trong khi mọi chỉ "
        "tiêu đã khai báo của tiêu chí này đều đạt ngưỡng năm {year} ({values}); tiêu chí có thể còn yêu "
        "cầu khác, cần xem lại.",
        ("indicator", "threshold"),
    ),
    ProblemKind(
        "C003",
        WARNING,
        "Không đọc được giá trị chỉ tiêu {indicator} ({name}) của {who}: gặp {found}; cần một số, ví dụ "
        "{example}. Giá trị này không được so với ngưỡng.",
        ("indicator", "value"),
    ),
    ProblemKind(
        "C004",
        WARNING,
        "Không rõ giá trị '{label}' của {who} thuộc chỉ tiêu nào của tiêu chí số {criterion} (bộ tiêu chí "
        "khai báo: {codes}); giá trị này không được so với ngưỡng.",
        ("indicator",),
    ),
    ProblemKind(
        "C005",
        INFO,
        "Không xác định được năm của kỳ đánh giá (không có --period, các biểu không ghi 'Kỳ đánh giá' có "
        "năm); các giá trị chỉ tiêu không được so với ngưỡng.",
        ("indicator", "period"),
    ),
    ProblemKind(
        "C006",
        WARNING,
        "Các biểu ghi kỳ đánh giá của nhiều năm ({years}); các chỉ tiêu được so với ngưỡng năm {year}. "
        "Nếu không đúng, cần chỉ rõ kỳ bằng --period.",
        ("indicator", "period"),
    ),
)

_OUTPUTS = _kinds()


def _catalogue() -> Mapping[str, ProblemKind]:
    merged: dict[str, ProblemKind] = {}
    for block in (_FILES, _READING, _MARKS, _REGISTRY, _ENCODINGS, _INDICATORS, _OUTPUTS):
        for code, kind in block.items():
            if code in merged:
                raise AssertionError(f"problem code {code} defined twice")
            merged[code] = kind
    return MappingProxyType(merged)


CATALOGUE: Mapping[str, ProblemKind] = _catalogue()


def problem(code: str, file: Path, *, sheet: str = "", cell: str = "", **params: object) -> Problem:
    """The problem of kind ``code`` at (file, sheet, cell), its message rendered from the template."""
    kind = CATALOGUE[code]
    return Problem(kind.severity, file, kind.render(params), sheet=sheet, cell=cell, code=code, params=params)
