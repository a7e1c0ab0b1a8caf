"""The whole path once: files -> sheets -> village rows -> judged villages -> summary."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ._criteria import CriteriaSet, load_criteria
from ._layout import find_entries
from ._model import ReadResult, Sheet, Summary, VillageEntry
from ._problems import Problem, Severity
from ._reader import expand_inputs, read_sheets
from ._template import GUIDE_SHEET, GUIDE_TITLE
from ._validate import validate

__all__ = ["Progress", "read_inputs", "summarize"]

# Called before each file is read: (1-based index, total, path).
Progress = Callable[[int, int, Path], None]


def _is_our_guide(sheet: Sheet) -> bool:
    """The instructions sheet of ntm_xl's own commune workbook: not a table, not a problem."""
    return sheet.name == GUIDE_SHEET and bool(sheet.rows) and sheet.rows[0][:1] == (GUIDE_TITLE,)


def read_file(path: Path, criteria: CriteriaSet) -> tuple[list[VillageEntry], list[Problem]]:
    """The village rows of one workbook; never raises for a bad file."""
    sheets, problems = read_sheets(path)
    entries: list[VillageEntry] = []
    tables = 0
    for sheet in sheets:
        if _is_our_guide(sheet):
            continue
        found, sheet_problems, has_table = find_entries(sheet, path, criteria)
        entries.extend(found)
        problems.extend(sheet_problems)
        tables += has_table
    if sheets and not tables:
        problems.append(
            Problem(
                Severity.ERROR,
                path,
                "Không tìm thấy bảng đánh giá trong tệp: cần một bảng có cột 'Thôn' (hoặc 'Tên thôn') "
                "và một cột cho mỗi tiêu chí ('1', 'TC1', 'Tiêu chí 1' hoặc tên tiêu chí).",
            )
        )
    return entries, problems


def read_inputs(
    inputs: Iterable[str | Path], criteria: CriteriaSet, progress: Progress | None = None
) -> ReadResult:
    files, problems = expand_inputs(inputs)
    entries: list[VillageEntry] = []
    seen: set[Path] = set()
    for index, path in enumerate(files, 1):
        if progress is not None:
            progress(index, len(files), path)
        resolved = path.resolve()
        if resolved in seen:
            problems.append(Problem(Severity.WARNING, path, "Tệp này được đưa vào hai lần; chỉ đọc một lần."))
            continue
        seen.add(resolved)
        found, file_problems = read_file(path, criteria)
        entries.extend(found)
        problems.extend(file_problems)
    return ReadResult(tuple(entries), tuple(problems), tuple(files))


def summarize(
    inputs: Iterable[str | Path],
    criteria: CriteriaSet | str | Path | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Read commune workbooks and compute everything the notice needs."""
    if not isinstance(criteria, CriteriaSet):
        criteria = load_criteria(criteria)
    read = read_inputs(inputs, criteria, progress)
    return summary_from_entries(read.entries, read.problems, criteria, read.files)


def summary_from_entries(
    entries: tuple[VillageEntry, ...],
    read_problems: tuple[Problem, ...],
    criteria: CriteriaSet,
    files: tuple[Path, ...] = (),
) -> Summary:
    validated = validate(entries, criteria)
    order = {path: i for i, path in enumerate(files)}
    # Problems grouped by file, in the order files were given; stable within a file.
    problems = sorted(read_problems + validated.problems, key=lambda p: order.get(p.file, -1))
    return Summary(
        criteria=criteria,
        villages=validated.villages,
        excluded=validated.excluded,
        problems=tuple(problems),
        communes=validated.communes,
    )
