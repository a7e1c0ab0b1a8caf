"""Shared fixtures: the demo's commune workbooks and a writer for hand-made tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
import xlsxwriter

from ntm_xl import CriteriaSet, load_criteria
from ntm_xl._demo import write_samples

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="session")
def criteria() -> CriteriaSet:
    return load_criteria()


@pytest.fixture(scope="session")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_samples(tmp_path_factory.mktemp("demo"))


Merge = tuple[int, int, int, int]


def write_table(
    path: Path,
    sheets: dict[str, Sequence[Sequence[object]]],
    merges: dict[str, Iterable[Merge]] | None = None,
) -> Path:
    """A workbook as a commune might make it: rows of values, strings kept as text."""
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write(r, c, value)
        for r1, c1, r2, c2 in (merges or {}).get(name, ()):
            first = rows[r1][c1] if r1 < len(rows) and c1 < len(rows[r1]) else ""
            sheet.merge_range(r1, c1, r2, c2, "")
            if first not in ("", None):
                sheet.write_string(r1, c1, str(first)) if isinstance(first, str) else sheet.write(
                    r1, c1, first
                )
    workbook.close()
    return path


def marks_row(
    criteria: CriteriaSet, not_met: Iterable[int], met: str = "Đạt", missing: str = "Chưa đạt"
) -> list[str]:
    """One village's marks in criteria order."""
    misses = set(not_met)
    return [missing if c.number in misses else met for c in criteria.criteria]
