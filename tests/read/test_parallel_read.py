"""Many files are read by worker processes; the result is the same as reading them one by one here."""

from __future__ import annotations

from pathlib import Path

import pytest

from ntm_xl import CriteriaSet, _pipeline, summarize, write_commune_form
from ntm_xl._read._workers import ReadLimits

from ..conftest import marks_row, write_table

GOOD_FILES = 70


@pytest.fixture(scope="module")
def many_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("many")
    criteria = _pipeline.load_criteria()
    files = []
    for i in range(GOOD_FILES):
        marks = {
            f"Thôn {i}-{j}": {c.number: (i + j + c.number) % 5 != 0 for c in criteria.criteria}
            for j in range(3)
        }
        files.append(
            write_commune_form(
                folder / f"xa-{i:03d}.xlsx", criteria, commune=f"Xã {i}", villages=list(marks), marks=marks
            )
        )
    # Bad files among the good ones: problems must keep their place and their file.
    files.insert(
        10,
        write_table(
            folder / "loi.xlsx",
            {"S": [["Xã: Lỗi"], ["Thôn", *criteria.numbers], ["Nà Lỗi", *marks_row(criteria, [], met="?")]]},
        ),
    )
    broken = folder / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    files.insert(40, broken)
    files.append(files[3])  # the same file twice
    return files


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_parallel_read_equals_sequential_read(
    many_files: list[Path], criteria: CriteriaSet, workers: int
) -> None:
    parallel = summarize(many_files, criteria, limits=ReadLimits(workers=workers))
    sequential = summarize(many_files, criteria, limits=ReadLimits(isolated=False))
    assert parallel == sequential
    assert len(parallel.villages) == 3 * GOOD_FILES
    assert [p.file.name for p in parallel.problems if p.severity.name == "ERROR"][:2] == ["loi.xlsx"] * 2
    assert any(p.file.name == "hong.xlsx" for p in parallel.problems)


def test_progress_is_reported_in_order(many_files: list[Path], criteria: CriteriaSet) -> None:
    seen: list[int] = []
    summarize(many_files, criteria, progress=lambda index, total, path: seen.append(index))
    assert seen == list(range(1, len(many_files) + 1))
