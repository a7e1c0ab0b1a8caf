"""The whole path once: files -> sheets -> village rows -> judged villages -> summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Generator, Iterable
from pathlib import Path

from ._catalogue import problem
from ._checks import check_entries, communes_in_several_files, file_digest, is_empty
from ._criteria import CriteriaSet, load_criteria
from ._isolation import ReadLimits, can_isolate, read_isolated
from ._layout import find_entries
from ._layouts_extra import find_row_entries
from ._legacy import fix_sheets, legacy_warning
from ._model import ReadResult, Sheet, Summary, VillageEntry
from ._problems import Problem, Severity
from ._reader import display_name, expand_inputs, failure_problem, read_sheets
from ._registry import Registry, apply_registry, load_registry
from ._template import GUIDE_SHEET, GUIDE_TITLE
from ._validate import validate
from ._xlsx import gc_paused

__all__ = ["Progress", "ReadLimits", "read_inputs", "summarize"]

# Called before each file is read: (1-based index, total, path).
Progress = Callable[[int, int, Path], None]
FileResult = tuple[list[VillageEntry], list[Problem]]


def _is_our_guide(sheet: Sheet) -> bool:
    """The instructions sheet of ntm_xl's own commune workbook: not a table, not a problem."""
    return sheet.name == GUIDE_SHEET and bool(sheet.rows) and sheet.rows[0][:1] == (GUIDE_TITLE,)


def read_file(path: Path, criteria: CriteriaSet) -> tuple[list[VillageEntry], list[Problem]]:
    """The village rows of one workbook; never raises for a bad file."""
    sheets, problems = read_sheets(path)
    sheets, legacy = fix_sheets(sheets)
    if legacy is not None:
        problems.append(legacy_warning(path, legacy))
    if sheets and is_empty(sheets):
        problems.append(Problem(Severity.ERROR, path, "Tệp không có dữ liệu: mọi trang tính đều trống."))
        return [], problems
    entries: list[VillageEntry] = []
    tables = 0
    for sheet in sheets:
        if _is_our_guide(sheet):
            continue
        found, sheet_problems, has_table = find_entries(sheet, path, criteria)
        if not has_table:
            # Criteria as rows: one sheet per village, or villages as columns.
            other = find_row_entries(sheet, path, criteria)
            if other[2]:
                found, sheet_problems, has_table = other
        found, checked = check_entries(found, sheet, path)
        entries.extend(found)
        problems.extend(sheet_problems)
        problems.extend(checked)
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
    inputs: Iterable[str | Path],
    criteria: CriteriaSet,
    progress: Progress | None = None,
    limits: ReadLimits | None = None,
) -> ReadResult:
    """Every file's village rows and problems; each file is read in a worker process
    within ``limits`` (memory per worker, time per file), so no file can stop the others."""
    with gc_paused():
        return _read_inputs(inputs, criteria, progress, limits or ReadLimits())


def _read_inputs(
    inputs: Iterable[str | Path], criteria: CriteriaSet, progress: Progress | None, limits: ReadLimits
) -> ReadResult:
    files, problems = expand_inputs(inputs)
    skips = _skips(files)
    to_read = [path for path, skip in zip(files, skips, strict=True) if skip is None]
    results = _read_files(to_read, criteria, limits)
    entries: list[VillageEntry] = []
    try:
        for index, (path, skip) in enumerate(zip(files, skips, strict=True), 1):
            if progress is not None:
                progress(index, len(files), path)
            if skip is not None:
                problems.append(skip)
                continue
            found, file_problems = next(results)
            entries.extend(found)
            problems.extend(file_problems)
    finally:
        results.close()
    problems.extend(communes_in_several_files(entries))
    return ReadResult(tuple(entries), tuple(problems), tuple(files))


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _skips(files: list[Path]) -> list[Problem | None]:
    """For each file, in order: None to read it, or the warning saying why it is not read
    (given twice, or a copy of an earlier file)."""
    skips: list[Problem | None] = []
    seen: set[Path] = set()
    contents: dict[str, Path] = {}
    # Only files sharing a size can share content: the others are never hashed.
    sizes = Counter(_size(path) for path in {path.resolve() for path in files})
    for path in files:
        resolved = path.resolve()
        if resolved in seen:
            skips.append(problem("F003", path))
            continue
        seen.add(resolved)
        size = _size(resolved)
        digest = file_digest(path) if size is not None and sizes[size] > 1 else None
        if digest is not None and digest in contents:
            skips.append(problem("F004", path, other=display_name(contents[digest])))
            continue
        if digest is not None:
            contents[digest] = path
        skips.append(None)
    return skips


def _read_files(
    paths: list[Path], criteria: CriteriaSet, limits: ReadLimits
) -> Generator[FileResult, None, None]:
    """``read_file`` of each path, in order, each in a worker process that may die alone."""
    if not limits.isolated or not can_isolate():
        return (read_file(path, criteria) for path in paths)
    return _isolated(paths, criteria, limits)


def _isolated(
    paths: list[Path], criteria: CriteriaSet, limits: ReadLimits
) -> Generator[FileResult, None, None]:
    for path, outcome in zip(paths, read_isolated(paths, read_file, (criteria,), limits), strict=True):
        if outcome.failure is None:
            assert outcome.value is not None
            yield outcome.value
        else:
            yield [], [failure_problem(path, outcome.failure, limits)]


def summarize(
    inputs: Iterable[str | Path],
    criteria: CriteriaSet | str | Path | None = None,
    progress: Progress | None = None,
    registry: Registry | str | Path | None = None,
    limits: ReadLimits | None = None,
) -> Summary:
    """Read commune workbooks and compute everything the notice needs.

    ``registry`` (a ``Registry`` or the path of a workbook with a "Danh mục thôn"
    sheet) adds the completeness check against the registered villages. ``limits``
    bound what reading one file may take (``ReadLimits``: 1 GiB of memory per
    worker process and 30 s per file by default).
    """
    if not isinstance(criteria, CriteriaSet):
        criteria = load_criteria(criteria)
    if registry is not None and not isinstance(registry, Registry):
        registry = load_registry(registry)
    read = read_inputs(inputs, criteria, progress, limits)
    summary = summary_from_entries(read.entries, read.problems, criteria, read.files)
    return apply_registry(summary, registry) if registry is not None else summary


def summary_from_entries(
    entries: tuple[VillageEntry, ...],
    read_problems: tuple[Problem, ...],
    criteria: CriteriaSet,
    files: tuple[Path, ...] = (),
) -> Summary:
    with gc_paused():
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
