"""Input problems as values: every one located in a file, sheet and cell.

Each problem is an instance of one kind in the catalogue (``_catalogue``): a
stable code ("R012"), a severity, a Vietnamese message template and tags.
Tests assert codes and locations; the wording lives once, in the catalogue.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
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
    expected; it is rendered from the catalogue template of ``code`` with
    ``params`` (``_catalogue.problem`` builds problems this way).
    """

    severity: Severity
    file: Path
    message: str
    sheet: str = ""
    cell: str = ""
    code: str = ""
    params: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def location(self) -> str:
        parts = [self.file.name]
        if self.sheet:
            parts.append(f"trang '{self.sheet}'")
        if self.cell:
            parts.append(f"ô {self.cell}")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, object]:
        """The problem as plain data (for ``ntm-xl check --json``)."""
        return {
            "code": self.code,
            "severity": self.severity.name.lower(),
            "file": str(self.file),
            "sheet": self.sheet,
            "cell": self.cell,
            "message": self.message,
            "params": {k: _plain(v) for k, v in self.params.items()},
        }

    def __str__(self) -> str:
        code = f" {self.code}" if self.code else ""
        return f"{self.severity.label}{code}: {self.location}: {self.message}"


def _plain(value: object) -> object:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def has_errors(problems: list[Problem] | tuple[Problem, ...]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)
