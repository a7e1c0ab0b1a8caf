"""Input problems as values: every one located in a file, sheet and cell."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Problem", "Severity", "has_errors"]


class Severity(enum.Enum):
    """How much a problem matters; ``label`` is what a clerk reads."""

    ERROR = "Lỗi"
    WARNING = "Cảnh báo"
    INFO = "Thông tin"

    @property
    def label(self) -> str:
        return self.value


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth knowing) about an input file.

    ``sheet`` and ``cell`` are empty when the problem concerns the whole file
    or sheet. ``message`` is Vietnamese and says what was found and what was
    expected.
    """

    severity: Severity
    file: Path
    message: str
    sheet: str = ""
    cell: str = ""

    @property
    def location(self) -> str:
        parts = [self.file.name]
        if self.sheet:
            parts.append(f"trang '{self.sheet}'")
        if self.cell:
            parts.append(f"ô {self.cell}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.severity.label}: {self.location}: {self.message}"


def has_errors(problems: list[Problem] | tuple[Problem, ...]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)
