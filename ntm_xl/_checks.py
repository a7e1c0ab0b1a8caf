"""Checks on what was found in files, beyond one cell's mark.

* per sheet: status cells inside merged ranges, village names too long to be
  names, control characters in names;
* across files: two files with the same content, two files for one commune.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from xlsxwriter.utility import xl_cell_to_rowcol, xl_rowcol_to_cell

from ._cells import MergedPart
from ._model import Sheet, VillageEntry
from ._problems import Problem, Severity
from ._text import fold

__all__ = ["MAX_NAME_LENGTH", "check_entries", "communes_in_several_files", "file_digest", "is_empty"]

MAX_NAME_LENGTH = 100
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def is_empty(sheets: Iterable[Sheet]) -> bool:
    """No sheet has a single non-blank cell."""
    for sheet in sheets:
        for row in sheet.rows:
            for value in row:
                if not (value is None or (isinstance(value, str) and not value.strip())):
                    return False
    return True


def check_entries(
    entries: list[VillageEntry], sheet: Sheet, path: Path
) -> tuple[list[VillageEntry], list[Problem]]:
    """Entries of one sheet with merged status cells marked; unusable names reported."""
    problems: list[Problem] = []
    spans: dict[tuple[int, int], tuple[int, int, str]] = {}
    for r1, c1, r2, c2 in sheet.merged:
        if (r1, c1) == (r2, c2):
            continue
        span = f"{xl_rowcol_to_cell(r1, c1)}:{xl_rowcol_to_cell(r2, c2)}"
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 10_000:
            continue  # a whole-area merge is layout, never a status cell
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                spans[(r, c)] = (r1, c1, span)
    kept: list[VillageEntry] = []
    for entry in entries:
        raw = _raw_name(sheet, entry.location.cell)
        if len(entry.village) > MAX_NAME_LENGTH:
            problems.append(
                Problem(
                    Severity.ERROR,
                    path,
                    f"Tên thôn dài {len(entry.village)} ký tự (giới hạn {MAX_NAME_LENGTH}): ô này có lẽ là "
                    f"ghi chú hoặc nhiều tên dồn vào một ô ('{entry.village[:40]}...'); "
                    "thôn này không được tính.",
                    sheet=sheet.name,
                    cell=entry.location.cell,
                )
            )
            continue
        if _CONTROL.search(raw):
            problems.append(
                Problem(
                    Severity.WARNING,
                    path,
                    f"Tên thôn '{entry.village}' có ký tự điều khiển (không in được); đã bỏ các ký tự này.",
                    sheet=sheet.name,
                    cell=entry.location.cell,
                )
            )
        if spans and any((m.row, m.col) in spans for m in entry.marks):
            marks = []
            for mark in entry.marks:
                hit = spans.get((mark.row, mark.col))
                if hit is not None:
                    r1, c1, span = hit
                    origin = sheet.rows[r1][c1] if r1 < len(sheet.rows) and c1 < len(sheet.rows[r1]) else ""
                    mark = replace(mark, value=MergedPart(origin, span))
                marks.append(mark)
            entry = replace(entry, marks=tuple(marks))
        kept.append(entry)
    return kept, problems


def _raw_name(sheet: Sheet, cell: str) -> str:
    try:
        r, c = xl_cell_to_rowcol(cell)
    except (ValueError, AttributeError):
        return ""
    if r < len(sheet.rows) and c < len(sheet.rows[r]):
        value = sheet.rows[r][c]
        return value if isinstance(value, str) else ""
    return ""


def communes_in_several_files(entries: Iterable[VillageEntry]) -> list[Problem]:
    """A warning for each file after the first that claims a commune."""
    files: dict[str, list[tuple[Path, str]]] = {}
    for entry in entries:
        seen = files.setdefault(fold(entry.commune), [])
        if all(path != entry.location.file for path, _ in seen):
            seen.append((entry.location.file, entry.commune))
    problems: list[Problem] = []
    for claims in files.values():
        (first, _), *others = claims
        for path, commune in others:
            problems.append(
                Problem(
                    Severity.WARNING,
                    path,
                    f"Xã {commune} cũng có trong tệp {first.name}: hai tệp cùng báo cáo một xã. "
                    "Các thôn khác nhau của hai tệp đều được tính; cần kiểm tra tệp nào là bản đúng.",
                )
            )
    return problems


def file_digest(path: Path) -> str | None:
    """SHA-256 of the file's bytes, or None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()
