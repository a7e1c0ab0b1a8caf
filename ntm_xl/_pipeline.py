"""The whole path once: files -> sheets -> village rows -> judged villages -> summary."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ._checks import check_entries, communes_in_several_files, file_digest, is_empty
from ._criteria import CriteriaSet, load_criteria
from ._layout import find_entries
from ._layouts_extra import find_row_entries
from ._legacy import fix_sheets, legacy_warning
from ._model import ReadResult, Sheet, Summary, VillageEntry
from ._problems import Problem, Severity
from ._reader import expand_inputs, read_sheets
from ._registry import Registry, apply_registry, load_registry
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
    inputs: Iterable[str | Path], criteria: CriteriaSet, progress: Progress | None = None
) -> ReadResult:
    files, problems = expand_inputs(inputs)
    entries: list[VillageEntry] = []
    seen: set[Path] = set()
    contents: dict[str, Path] = {}
    for index, path in enumerate(files, 1):
        if progress is not None:
            progress(index, len(files), path)
        resolved = path.resolve()
        if resolved in seen:
            problems.append(Problem(Severity.WARNING, path, "Tệp này được đưa vào hai lần; chỉ đọc một lần."))
            continue
        seen.add(resolved)
        digest = file_digest(path)
        if digest is not None and digest in contents:
            problems.append(
                Problem(
                    Severity.WARNING,
                    path,
                    f"Tệp này giống hệt tệp {contents[digest].name} (cùng nội dung); chỉ đọc một lần.",
                )
            )
            continue
        if digest is not None:
            contents[digest] = path
        found, file_problems = read_file(path, criteria)
        entries.extend(found)
        problems.extend(file_problems)
    problems.extend(communes_in_several_files(entries))
    return ReadResult(tuple(entries), tuple(problems), tuple(files))


def summarize(
    inputs: Iterable[str | Path],
    criteria: CriteriaSet | str | Path | None = None,
    progress: Progress | None = None,
    registry: Registry | str | Path | None = None,
) -> Summary:
    """Read commune workbooks and compute everything the notice needs.

    ``registry`` (a ``Registry`` or the path of a workbook with a "Danh mục thôn"
    sheet) adds the completeness check against the registered villages.
    """
    if not isinstance(criteria, CriteriaSet):
        criteria = load_criteria(criteria)
    if registry is not None and not isinstance(registry, Registry):
        registry = load_registry(registry)
    read = read_inputs(inputs, criteria, progress)
    summary = summary_from_entries(read.entries, read.problems, criteria, read.files)
    return apply_registry(summary, registry) if registry is not None else summary


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
