"""Reading workbooks with python-calamine: files in, ``InputSheet`` values out.

Input files are only ever opened for reading, and every failure becomes a
``Problem`` for that file so the other files are still read.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import python_calamine

from .._common._xmlchars import NOT_XML as _NOT_XML
from .._common._xmlchars import display_name
from .._values._catalogue import problem
from .._values._model import InputSheet
from .._values._problems import Problem
from ._precheck import apply_facts, inspect_file, sheet_too_big

if TYPE_CHECKING:
    from ._workers import Failure, ReadLimits

__all__ = ["WORKBOOK_SUFFIXES", "display_name", "expand_inputs", "failure_problem", "read_sheets"]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


def _is_workbook(path: Path) -> bool:
    # "~$name.xlsx" is the lock file Office leaves beside an open workbook.
    return path.suffix.lower() in WORKBOOK_SUFFIXES and not path.name.startswith(("~$", "."))


def expand_inputs(inputs: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Files as given, folders as their workbooks in name order."""
    files: list[Path] = []
    problems: list[Problem] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            try:
                found = sorted(
                    (p for p in path.iterdir() if p.is_file() and _is_workbook(p)),
                    key=lambda p: p.name.casefold(),
                )
            except OSError as exc:
                problems.append(problem("F032", path, reason=exc.strerror or str(exc)))
                continue
            if not found:
                problems.append(problem("F002", path))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(problem("F001", path))
    for path in files:
        shown = display_name(path)
        if shown != path.name:
            problems.append(problem("F031", path, shown=shown))
    return files, problems


def failure_problem(path: Path, failure: Failure, limits: ReadLimits) -> Problem:
    """The error for a file whose reading process died, ran out of memory or time."""
    if failure.kind == "memory":
        memory = limits.memory or 0
        return problem("F028", path, limit=f"{memory / 1024 / 1024:,.0f} MB".replace(",", "."))
    if failure.kind == "timeout":
        return problem("F029", path, seconds=failure.detail)
    if failure.kind == "abort":
        return problem("F027", path, detail=failure.detail)
    return problem("F030", path, detail=failure.detail.splitlines()[-1] if failure.detail else "")


def _open_workbook(path: Path) -> python_calamine.CalamineWorkbook:
    """calamine takes a path as UTF-8 text: a name whose bytes are not UTF-8 ("a\\xff.xlsx",
    as old archive tools leave) is found only through an open file."""
    name = str(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        with path.open("rb") as handle:
            return python_calamine.CalamineWorkbook.from_filelike(handle)
    return python_calamine.CalamineWorkbook.from_path(name)


def read_sheets(path: Path) -> tuple[list[InputSheet], list[Problem]]:
    """All worksheets of one workbook, or a problem saying why it can't be read."""
    inspection = inspect_file(path)
    if inspection.refused:
        return [], inspection.problems
    try:
        workbook = _open_workbook(path)
    except python_calamine.PasswordError:
        return [], [problem("F005", path)]
    except (python_calamine.CalamineError, OSError, ValueError, OverflowError) as exc:
        return [], [_unreadable(path, exc)]
    except BaseException as exc:
        if not _is_panic(exc):
            raise
        return [], [_unreadable(path, exc)]
    sheets: list[InputSheet] = []
    problems: list[Problem] = list(inspection.problems)
    try:
        for meta in workbook.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet or meta.name in inspection.refused_sheets:
                continue
            try:
                raw = workbook.get_sheet_by_name(meta.name)
                too_big = sheet_too_big(path, meta.name, raw.height, raw.width)
                if too_big is not None:
                    problems.append(too_big)
                    continue
                rows = raw.to_python(skip_empty_area=False)
                merged = tuple((r1, c1, r2, c2) for (r1, c1), (r2, c2) in (raw.merged_cell_ranges or ()))
            except (python_calamine.CalamineError, ValueError, OverflowError, TypeError) as exc:
                problems.append(problem("F007", path, sheet=meta.name, detail=str(exc)))
                continue
            except BaseException as exc:
                if not _is_panic(exc):
                    raise
                problems.append(problem("F007", path, sheet=meta.name, detail=str(exc)))
                continue
            table: tuple[tuple[object, ...], ...] = tuple(tuple(r) for r in rows)
            table = _without_non_xml(table, path, meta.name, problems)
            facts = inspection.sheets.get(meta.name)
            hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
            sheet = InputSheet(meta.name, table, merged, hidden=hidden)
            if facts is not None:
                sheet, fact_problems = apply_facts(sheet, facts, path)
                problems.extend(fact_problems)
            sheets.append(sheet)
    finally:
        workbook.close()
    if not sheets and not problems:
        problems.append(problem("F008", path))
    return sheets, problems


def _without_non_xml(
    rows: tuple[tuple[object, ...], ...], path: Path, sheet: str, problems: list[Problem]
) -> tuple[tuple[object, ...], ...]:
    """The rows with characters XML cannot hold dropped, and a warning at each cell that had them."""
    texts = [v for row in rows for v in row if v.__class__ is str]
    if not texts or _NOT_XML.search("".join(texts)) is None:
        return rows  # the common case: one search over the sheet's text
    from xlsxwriter.utility import xl_rowcol_to_cell

    cleaned = []
    for r, row in enumerate(rows):
        new_row = list(row)
        for c, value in enumerate(row):
            if isinstance(value, str) and _NOT_XML.search(value):
                found = _NOT_XML.findall(value)
                codes = ", ".join(sorted({f"U+{ord(ch):04X}" for ch in found}))
                problems.append(
                    problem(
                        "W001", path, sheet=sheet, cell=xl_rowcol_to_cell(r, c), count=len(found), codes=codes
                    )
                )
                new_row[c] = _NOT_XML.sub("", value)
        cleaned.append(tuple(new_row))
    return tuple(cleaned)


def _is_panic(exc: BaseException) -> bool:
    """calamine's Rust code panicking on a damaged file ("range start index 38070 out of range")
    comes out as pyo3's PanicException, a BaseException that ``except Exception`` misses and
    that python-calamine does not export: known by its name."""
    return type(exc).__name__ == "PanicException"


def _unreadable(path: Path, exc: BaseException) -> Problem:
    suffix = path.suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES:
        expected = "cần tệp Excel (.xlsx, .xlsm, .xls) hoặc .ods"
    else:
        expected = "tệp có thể bị hỏng, chưa tải về hết, hoặc không phải tệp Excel thật"
    return problem("F006", path, expected=expected, detail=f"{type(exc).__name__}: {exc}")
