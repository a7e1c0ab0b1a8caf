"""Reading workbooks with python-calamine: files in, ``Sheet`` values out.

Input files are only ever opened for reading, and every failure becomes a
``Problem`` for that file so the other files are still read.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import python_calamine

from ._catalogue import problem
from ._inspect import apply_facts, inspect_file, sheet_too_big
from ._model import Sheet
from ._problems import Problem, Severity

__all__ = ["WORKBOOK_SUFFIXES", "expand_inputs", "read_sheets"]

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
            found = sorted(
                (p for p in path.iterdir() if p.is_file() and _is_workbook(p)),
                key=lambda p: p.name.casefold(),
            )
            if not found:
                problems.append(
                    Problem(
                        Severity.WARNING, path, "Thư mục không có tệp Excel nào (.xlsx, .xlsm, .xls, .ods)."
                    )
                )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(problem("F001", path))
    return files, problems


def read_sheets(path: Path) -> tuple[list[Sheet], list[Problem]]:
    """All worksheets of one workbook, or a problem saying why it can't be read."""
    inspection = inspect_file(path)
    if inspection.refused:
        return [], inspection.problems
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        return [], [
            Problem(
                Severity.ERROR, path, "Tệp được đặt mật khẩu nên không đọc được; cần gỡ mật khẩu rồi gửi lại."
            )
        ]
    except (python_calamine.CalamineError, OSError, ValueError) as exc:
        return [], [_unreadable(path, exc)]
    sheets: list[Sheet] = []
    problems: list[Problem] = list(inspection.problems)
    try:
        for meta in workbook.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet or meta.name in inspection.refused_sheets:
                continue
            try:
                raw = workbook.get_sheet_by_name(meta.name)
                too_big = sheet_too_big(raw.height, raw.width)
                if too_big:
                    problems.append(Problem(Severity.ERROR, path, too_big, sheet=meta.name))
                    continue
                rows = raw.to_python(skip_empty_area=False)
                merged = tuple((r1, c1, r2, c2) for (r1, c1), (r2, c2) in (raw.merged_cell_ranges or ()))
            except (python_calamine.CalamineError, ValueError, OverflowError) as exc:
                problems.append(
                    Problem(Severity.ERROR, path, f"Không đọc được trang tính này: {exc}", sheet=meta.name)
                )
                continue
            facts = inspection.sheets.get(meta.name)
            hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
            sheet = Sheet(meta.name, tuple(tuple(r) for r in rows), merged, hidden=hidden)
            if facts is not None:
                sheet, fact_problems = apply_facts(sheet, facts, path)
                problems.extend(fact_problems)
            sheets.append(sheet)
    finally:
        workbook.close()
    if not sheets and not problems:
        problems.append(Problem(Severity.ERROR, path, "Tệp không có trang tính nào."))
    return sheets, problems


def _unreadable(path: Path, exc: Exception) -> Problem:
    suffix = path.suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES:
        expected = "cần tệp Excel (.xlsx, .xlsm, .xls) hoặc .ods"
    else:
        expected = "tệp có thể bị hỏng, chưa tải về hết, hoặc không phải tệp Excel thật"
    return Problem(Severity.ERROR, path, f"Không đọc được tệp: {expected} ({type(exc).__name__}: {exc}).")
