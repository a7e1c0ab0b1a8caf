"""Each commune's review status, so a clerk sees whom to call.

"Đủ, không có lỗi": every village counted and nothing to say; "Có cảnh báo":
counted, with warnings in its files; "Có lỗi: N thôn chưa được tính": errors,
N villages left out (registered villages no file covers count too); "Chưa gửi
biểu": the registry lists the commune and no file came from it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from xlsxwriter.utility import xl_cell_to_rowcol

from .._common._text import fold
from .._values._model import Location, Summary
from .._values._problems import Problem, Severity

__all__ = ["CommuneStatus", "ReviewState", "commune_statuses"]


class ReviewState(enum.Enum):
    COMPLETE = "Đủ, không có lỗi"
    WARNINGS = "Có cảnh báo"
    ERRORS = "Có lỗi"
    NOT_SENT = "Chưa gửi biểu"


@dataclass(frozen=True)
class CommuneStatus:
    commune: str
    state: ReviewState
    not_counted: int  # villages left out: with errors, or registered and in no file
    errors: int
    warnings: int
    unit: str = "thôn"

    @property
    def label(self) -> str:
        """What the "Tình trạng" column shows."""
        if self.state is ReviewState.ERRORS and self.not_counted:
            return f"{self.state.value}: {self.not_counted} {self.unit} chưa được tính"
        return self.state.value


def _row(cell: str) -> int | None:
    try:
        return int(xl_cell_to_rowcol(cell)[0]) if cell else None
    except (AttributeError, TypeError, ValueError):
        return None


class _Owners:
    """Which communes a problem concerns: the village on its row, else every commune
    of its sheet, else every commune of its file."""

    def __init__(self, locations: Iterable[tuple[str, Location]]) -> None:
        self.by_row: dict[tuple[Path, str, int], set[str]] = {}
        self.by_sheet: dict[tuple[Path, str], set[str]] = {}
        self.by_file: dict[Path, set[str]] = {}
        for commune, where in locations:
            row = _row(where.cell)
            if row is not None:
                self.by_row.setdefault((where.file, where.sheet, row), set()).add(commune)
            self.by_sheet.setdefault((where.file, where.sheet), set()).add(commune)
            self.by_file.setdefault(where.file, set()).add(commune)

    def of(self, problem: Problem) -> set[str]:
        row = _row(problem.cell)
        if row is not None and (problem.file, problem.sheet, row) in self.by_row:
            return self.by_row[(problem.file, problem.sheet, row)]
        if problem.sheet and (problem.file, problem.sheet) in self.by_sheet:
            return self.by_sheet[(problem.file, problem.sheet)]
        return self.by_file.get(problem.file, set())


def commune_statuses(summary: Summary) -> tuple[CommuneStatus, ...]:
    """Every commune of the summary in order, then the registered communes that sent nothing."""
    unit = summary.criteria.unit
    errors: dict[str, int] = {}
    warnings: dict[str, int] = {}
    tallies = {Severity.ERROR: errors, Severity.WARNING: warnings}
    # Where each village is, only when some problem needs an owner.
    if any(problem.severity in tallies for problem in summary.problems):
        located = [(fold(v.commune), v.location) for v in summary.villages]
        located += [(fold(e.commune), e.location) for e in summary.excluded]
        owners = _Owners(located)
        for problem in summary.problems:
            tally = tallies.get(problem.severity)
            if tally is None:
                continue
            for commune in owners.of(problem):
                tally[commune] = tally.get(commune, 0) + 1
    not_counted: dict[str, int] = {}
    for e in summary.excluded:
        not_counted[fold(e.commune)] = not_counted.get(fold(e.commune), 0) + 1
    received = {(fold(v.commune), fold(v.village)) for v in summary.villages}
    received |= {(fold(e.commune), fold(e.village)) for e in summary.excluded}
    registered = {fold(commune): villages for commune, villages in summary.registered}
    for key, villages in registered.items():
        missing = sum(1 for v in villages if (key, fold(v)) not in received)
        if missing:
            not_counted[key] = not_counted.get(key, 0) + missing

    def status(commune: str) -> CommuneStatus:
        key = fold(commune)
        counts = (not_counted.get(key, 0), errors.get(key, 0), warnings.get(key, 0))
        if counts[0] or counts[1]:
            state = ReviewState.ERRORS
        elif counts[2]:
            state = ReviewState.WARNINGS
        else:
            state = ReviewState.COMPLETE
        return CommuneStatus(commune, state, *counts, unit=unit)

    statuses = [status(commune) for commune in summary.communes]
    sent = {fold(c) for c in summary.communes}
    for commune, villages in summary.registered:
        if fold(commune) not in sent:
            statuses.append(CommuneStatus(commune, ReviewState.NOT_SENT, len(villages), 0, 0, unit=unit))
    return tuple(statuses)
