"""The whole path once: files -> sheets -> village rows -> judged villages -> summary."""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Callable, Generator, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ._checks import check_entries, communes_in_several_files, file_digest, is_empty
from ._criteria import CriteriaSet, load_criteria
from ._indicators import check_indicators
from ._layout import find_entries
from ._layouts_extra import find_row_entries
from ._legacy import fix_sheets, legacy_warning
from ._model import ReadResult, Sheet, Summary, VillageEntry
from ._problems import Problem, Severity
from ._reader import expand_inputs, read_sheets
from ._registry import Registry, apply_registry, load_registry
from ._template import GUIDE_SHEET, GUIDE_TITLE
from ._validate import validate
from ._xlsx import gc_paused

if TYPE_CHECKING:
    from concurrent.futures import Future
    from multiprocessing.context import BaseContext

__all__ = ["Progress", "read_inputs", "summarize"]

# Called before each file is read: (1-based index, total, path).
Progress = Callable[[int, int, Path], None]
FileResult = tuple[list[VillageEntry], list[Problem]]

# From this many files to read, other processes read a share of them. Fewer are
# read here alone: starting a process costs more than it would save. A process
# started fresh (Windows, macOS) must import the library first, which costs about
# as much as reading a few hundred files; a forked one (Linux) starts ready.
PARALLEL_FROM = 64
PARALLEL_FROM_FRESH = 512
MAX_PROCESSES = 8
_CHUNK = 16  # files per task handed to another process


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
    with gc_paused():
        return _read_inputs(inputs, criteria, progress)


def _read_inputs(
    inputs: Iterable[str | Path], criteria: CriteriaSet, progress: Progress | None
) -> ReadResult:
    files, problems = expand_inputs(inputs)
    skips = _skips(files)
    to_read = [path for path, skip in zip(files, skips, strict=True) if skip is None]
    results = _read_files(to_read, criteria)
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
            skips.append(Problem(Severity.WARNING, path, "Tệp này được đưa vào hai lần; chỉ đọc một lần."))
            continue
        seen.add(resolved)
        size = _size(resolved)
        digest = file_digest(path) if size is not None and sizes[size] > 1 else None
        if digest is not None and digest in contents:
            skips.append(
                Problem(
                    Severity.WARNING,
                    path,
                    f"Tệp này giống hệt tệp {contents[digest].name} (cùng nội dung); chỉ đọc một lần.",
                )
            )
            continue
        if digest is not None:
            contents[digest] = path
        skips.append(None)
    return skips


def _read_files(paths: list[Path], criteria: CriteriaSet) -> Generator[FileResult, None, None]:
    """``read_file`` of each path, in order; each file is read when its result is asked for,
    or earlier by another process when there are many."""
    if len(paths) >= PARALLEL_FROM:
        context = _pool_context()
        workers = _worker_count(len(paths), context)
        if workers:
            return _read_in_parallel(paths, criteria, workers, context)
    return (read_file(path, criteria) for path in paths)


def _worker_count(files: int, context: BaseContext) -> int:
    """How many other processes should help read ``files`` files (0: read them all here)."""
    least = PARALLEL_FROM if context.get_start_method() == "fork" else PARALLEL_FROM_FRESH
    if files < least or getattr(sys, "frozen", False) or not sys.executable:
        return 0
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(0, min(cpus, MAX_PROCESSES) - 1)


def _read_chunk(paths: list[Path], criteria: CriteriaSet) -> list[FileResult]:
    """What another process runs: ``read_file`` of each path."""
    with gc_paused():
        return [read_file(path, criteria) for path in paths]


def _pool_context() -> BaseContext:
    import multiprocessing  # here: most runs read too few files to need it
    import threading

    # Forking is much cheaper than starting a fresh interpreter, but only safe on Linux
    # and in a process with no other thread.
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _read_in_parallel(
    paths: list[Path], criteria: CriteriaSet, workers: int, context: BaseContext
) -> Generator[FileResult, None, None]:
    """Results in order: the first share read here, the rest by ``workers`` other processes.

    Any failure of the pool (it cannot start, a process dies, a result does not come
    back) only means the files it had not given back are read here, as without a pool.
    """
    from concurrent.futures import ProcessPoolExecutor

    own = len(paths) // (workers + 1)
    chunks = [paths[i : i + _CHUNK] for i in range(own, len(paths), _CHUNK)]
    executor: ProcessPoolExecutor | None = None
    futures: list[Future[list[FileResult]]] = []
    try:
        executor = ProcessPoolExecutor(workers, mp_context=context)
        futures = [executor.submit(_read_chunk, chunk, criteria) for chunk in chunks]
    except Exception:
        futures = []
    try:
        for path in paths[:own]:
            yield read_file(path, criteria)
        # Then take over the tasks the pool has not started, from the far end, while
        # it works on the near end: neither side waits long for the other.
        done_here: dict[int, list[FileResult]] = {}
        for index in reversed(range(len(futures))):
            if not futures[index].cancel():
                break
            done_here[index] = [read_file(path, criteria) for path in chunks[index]]
        for index, chunk in enumerate(chunks):
            results = done_here.pop(index, None)
            if results is None and index < len(futures):
                try:
                    results = futures[index].result()
                except Exception:
                    futures = []  # the pool failed: no more waiting for it
            if results is not None and len(results) == len(chunk):
                yield from results
            else:
                for path in chunk:
                    yield read_file(path, criteria)
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


def summarize(
    inputs: Iterable[str | Path],
    criteria: CriteriaSet | str | Path | None = None,
    progress: Progress | None = None,
    registry: Registry | str | Path | None = None,
    on_read: Callable[[ReadResult], None] | None = None,
    period: str = "",
) -> Summary:
    """Read commune workbooks and compute everything the notice needs.

    ``registry`` (a ``Registry`` or the path of a workbook with a "Danh mục thôn"
    sheet) adds the completeness check against the registered villages.
    ``on_read`` is handed the village rows as read (the run record lists each
    sheet's layout from them). ``period`` gives the year whose indicator thresholds
    apply; without it, the year the files' "Kỳ đánh giá" names.
    """
    if not isinstance(criteria, CriteriaSet):
        criteria = load_criteria(criteria)
    if registry is not None and not isinstance(registry, Registry):
        registry = load_registry(registry)
    read = read_inputs(inputs, criteria, progress)
    if on_read is not None:
        on_read(read)
    summary = summary_from_entries(read.entries, read.problems, criteria, read.files)
    if registry is not None:
        summary = apply_registry(summary, registry)
    return check_indicators(summary, read.entries, period=period, files=read.files)


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
