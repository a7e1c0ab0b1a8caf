"""The whole path once: files -> sheets -> village rows -> judged villages -> summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Generator, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ._check._indicators import check_indicators
from ._check._validate import judge, validate
from ._common._gc import gc_paused
from ._read import ReadingRules, communes_in_several_files, file_digest, load_rules, read_workbook
from ._read._calamine import display_name, expand_inputs, failure_problem
from ._read._workers import ReadLimits, can_isolate, read_isolated
from ._values._catalogue import problem
from ._values._criteria import CriteriaSet, load_criteria
from ._values._model import Judgement, ReadResult, Summary, VillageEntry
from ._values._problems import Problem

if TYPE_CHECKING:
    # Imported where used: a run without a registry, a crosswalk or last period's files
    # (most runs) never loads them.
    from ._check._compare import PreviousFile
    from ._check._crosswalk import Crosswalk
    from ._check._registry import Registry

__all__ = ["Progress", "ReadLimits", "load_previous", "read_inputs", "summarize"]

# Called before each file is read: (1-based index, total, path).
Progress = Callable[[int, int, Path], None]
FileResult = tuple[list[VillageEntry], list[Problem], tuple[Judgement | None, ...]]


def read_file(
    path: Path, criteria: CriteriaSet, rules: ReadingRules | None = None
) -> tuple[list[VillageEntry], list[Problem]]:
    """The village rows of one workbook; never raises for a bad file."""
    reading = read_workbook(path, criteria, rules)
    return list(reading.entries), list(reading.problems)


def _read_and_judge(path: Path, criteria: CriteriaSet, rules: ReadingRules | None) -> FileResult:
    """``read_file``, and each village row judged on its own: in a worker process, that part
    of checking runs in parallel too."""
    entries, problems = read_file(path, criteria, rules)
    return entries, problems, judge(entries, criteria)


def read_inputs(
    inputs: Iterable[str | Path],
    criteria: CriteriaSet,
    progress: Progress | None = None,
    rules: ReadingRules | None = None,
    limits: ReadLimits | None = None,
) -> ReadResult:
    """Every file's village rows and problems; each file is read in a worker process
    within ``limits`` (memory per worker, time per file), so no file can stop the others."""
    with gc_paused():
        return _read_inputs(inputs, criteria, progress, rules, limits or ReadLimits())


def _read_inputs(
    inputs: Iterable[str | Path],
    criteria: CriteriaSet,
    progress: Progress | None,
    rules: ReadingRules | None,
    limits: ReadLimits,
) -> ReadResult:
    files, problems = expand_inputs(inputs)
    skips = _skips(files)
    to_read = [path for path, skip in zip(files, skips, strict=True) if skip is None]
    results = _read_files(to_read, criteria, rules, limits)
    entries: list[VillageEntry] = []
    judgements: list[Judgement | None] = []
    try:
        for index, (path, skip) in enumerate(zip(files, skips, strict=True), 1):
            if progress is not None:
                progress(index, len(files), path)
            if skip is not None:
                problems.append(skip)
                continue
            found, file_problems, judged = next(results)
            entries.extend(found)
            problems.extend(file_problems)
            judgements.extend(judged)
    finally:
        results.close()
    problems.extend(communes_in_several_files(entries))
    return ReadResult(tuple(entries), tuple(problems), tuple(files), tuple(judgements))


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
    paths: list[Path], criteria: CriteriaSet, rules: ReadingRules | None, limits: ReadLimits
) -> Generator[FileResult, None, None]:
    """``read_file`` of each path, in order, each in a worker process that may die alone."""
    if not limits.isolated or not can_isolate():
        return (_read_and_judge(path, criteria, rules) for path in paths)
    return _isolated(paths, criteria, rules, limits)


def _isolated(
    paths: list[Path], criteria: CriteriaSet, rules: ReadingRules | None, limits: ReadLimits
) -> Generator[FileResult, None, None]:
    outcomes = read_isolated(paths, _read_and_judge, (criteria, rules), limits)
    for path, outcome in zip(paths, outcomes, strict=True):
        if outcome.failure is None:
            assert outcome.value is not None
            yield outcome.value
        else:
            yield [], [failure_problem(path, outcome.failure, limits)], ()


def summarize(
    inputs: Iterable[str | Path],
    criteria: CriteriaSet | str | Path | None = None,
    progress: Progress | None = None,
    registry: Registry | str | Path | None = None,
    rules: ReadingRules | str | Path | None = None,
    limits: ReadLimits | None = None,
    on_read: Callable[[ReadResult], None] | None = None,
    period: str = "",
    crosswalk: Crosswalk | str | Path | None = None,
) -> Summary:
    """Read commune workbooks and compute everything the notice needs.

    ``registry`` (a ``Registry`` or the path of a workbook with a "Danh mục thôn"
    sheet) adds the completeness check against the registered villages. ``rules``
    (``ReadingRules`` or the path of a reading-rules TOML file) tells the reader what
    it cannot detect in some files. ``limits`` bound what reading one file may take
    (``ReadLimits``: 1 GiB of memory per worker process and 30 s per file by default).
    ``on_read`` is handed the village rows as read (the run record lists each
    sheet's layout from them). ``period`` gives the year whose indicator thresholds
    apply; without it, the year the files' "Kỳ đánh giá" names. ``crosswalk`` (a ``Crosswalk`` or
    the path of a crosswalk table) puts villages of files made before the 2025 merger under their
    units of this period, before the registry is applied.

    ``inputs`` are commune workbooks or folders of them; ``criteria`` the criteria set (a
    ``CriteriaSet``, a built-in name or a TOML path; the default set when omitted);
    ``progress`` is called as files are read (done, total, path).
    """
    if not isinstance(criteria, CriteriaSet):
        criteria = load_criteria(criteria)
    if registry is not None:
        from ._check._registry import Registry, load_registry

        if not isinstance(registry, Registry):
            registry = load_registry(registry)
    if rules is not None and not isinstance(rules, ReadingRules):
        rules = load_rules(rules)
    if crosswalk is not None:
        from ._check._crosswalk import Crosswalk, load_crosswalk

        if not isinstance(crosswalk, Crosswalk):
            crosswalk = load_crosswalk(crosswalk)
    read = read_inputs(inputs, criteria, progress, rules, limits)
    if on_read is not None:
        on_read(read)
    summary = summary_from_entries(read.entries, read.problems, criteria, read.files, read.judgements)
    if crosswalk is not None:
        from ._check._crosswalk import apply_crosswalk

        summary = apply_crosswalk(summary, crosswalk)
    if registry is not None:
        from ._check._registry import apply_registry

        summary = apply_registry(summary, registry)
    # The period is looked for again in this process, so only in files whose reading in a
    # worker gave villages: a file refused or whose worker died is never opened here.
    read_well = {entry.location.file for entry in read.entries}
    files = [path for path in read.files if path in read_well]
    return check_indicators(summary, read.entries, period=period, files=files)


def summary_from_entries(
    entries: tuple[VillageEntry, ...],
    read_problems: tuple[Problem, ...],
    criteria: CriteriaSet,
    files: tuple[Path, ...] = (),
    judgements: tuple[Judgement | None, ...] = (),
) -> Summary:
    """The summary of village rows as read; ``judgements``: theirs, when worked out already
    (``ReadResult.judgements``)."""
    with gc_paused():
        validated = validate(entries, criteria, judgements)
    order = {path: i for i, path in enumerate(files)}
    # Problems grouped by file, in the order files were given; stable within a file.
    problems = sorted(read_problems + validated.problems, key=lambda p: order.get(p.file, -1))
    return Summary(
        criteria=criteria,
        villages=validated.villages,
        excluded=validated.excluded,
        problems=tuple(problems),
        communes=validated.communes,
        disagreements=validated.disagreements,
    )


def load_previous(
    inputs: Iterable[str | Path],
    criteria: CriteriaSet,
    rules: ReadingRules | None = None,
    limits: ReadLimits | None = None,
) -> tuple[Summary, tuple[Path, ...]]:
    """Last period as a ``Summary`` (its files' problems included) and its files: commune files,
    or summary workbooks ntm-xl wrote (their "Biểu chi tiết"). Each file is read in a worker
    process within ``limits``, like this period's."""
    from ._check._compare import PreviousFile, read_previous_file

    limits = limits or ReadLimits()
    files, problems = expand_inputs(inputs)
    results: list[PreviousFile] = []
    if limits.isolated and can_isolate():
        outcomes = read_isolated(files, read_previous_file, (criteria, rules), limits)
        for path, outcome in zip(files, outcomes, strict=True):
            if outcome.failure is None:
                assert outcome.value is not None
                results.append(outcome.value)
            else:
                results.append(
                    PreviousFile((), (), (), (failure_problem(path, outcome.failure, limits),), False)
                )
    else:
        results = [read_previous_file(path, criteria, rules) for path in files]
    entries = tuple(e for r in results for e in r.entries)
    read_problems = tuple(problems) + tuple(p for r in results for p in r.problems)
    summary = summary_from_entries(entries, read_problems, criteria, tuple(files))
    tables = tuple(v for r in results for v in r.villages)
    if tables:
        communes = dict.fromkeys((*summary.communes, *(c for r in results for c in r.communes)))
        summary = replace(summary, villages=summary.villages + tables, communes=tuple(communes))
    return summary, tuple(files)
