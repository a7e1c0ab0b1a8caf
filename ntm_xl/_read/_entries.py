"""Checks on the entries of one sheet, beyond one cell's mark: status cells inside merged
ranges, village names too long to be names, control characters in names."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from xlsxwriter.utility import xl_cell_to_rowcol

from .._common._a1 import cell_name
from .._common._cells import MergedPart
from .._common._text import CONTROL
from .._values._catalogue import problem
from .._values._model import InputSheet, MarkCell, VillageEntry
from .._values._problems import Problem

__all__ = ["MAX_NAME_LENGTH", "check_entries"]

MAX_NAME_LENGTH = 100


def check_entries(
    entries: tuple[VillageEntry, ...], sheet: InputSheet, path: Path
) -> tuple[list[VillageEntry], list[Problem]]:
    """Entries of one sheet with merged status cells marked; unusable names set aside."""
    problems: list[Problem] = []
    spans: dict[tuple[int, int], tuple[int, int, str]] = {}
    for r1, c1, r2, c2 in sheet.merged:
        if (r1, c1) == (r2, c2):
            continue
        span = f"{cell_name(r1, c1)}:{cell_name(r2, c2)}"
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 10_000:
            continue  # a whole-area merge is layout, never a status cell
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                spans[(r, c)] = (r1, c1, span)
    # The rows merged cells touch (most often the header's alone): an entry whose marks lie
    # on none of them has no merged mark, decided in C without a lookup per mark.
    span_rows = {r for r, _ in spans}
    kept: list[VillageEntry] = []
    for entry in entries:
        raw = _raw_name(sheet, entry.location.cell)
        if len(entry.village) > MAX_NAME_LENGTH:
            problems.append(
                problem(
                    "R012",
                    path,
                    sheet=sheet.name,
                    cell=entry.location.cell,
                    length=len(entry.village),
                    limit=MAX_NAME_LENGTH,
                    start=entry.village[:40],
                )
            )
            continue
        if CONTROL.search(raw):
            problems.append(
                problem("R013", path, sheet=sheet.name, cell=entry.location.cell, village=entry.village)
            )
        if (
            spans
            and not span_rows.isdisjoint(entry.mark_rows())
            and any((m.row, m.col) in spans for m in (*entry.marks, *entry.self_marks))
        ):
            entry = replace(
                entry,
                marks=_merged(entry.marks, spans, sheet),
                self_marks=_merged(entry.self_marks, spans, sheet),
            )
        kept.append(entry)
    return kept, problems


def _merged(
    marks: tuple[MarkCell, ...], spans: dict[tuple[int, int], tuple[int, int, str]], sheet: InputSheet
) -> tuple[MarkCell, ...]:
    out = []
    for mark in marks:
        hit = spans.get((mark.row, mark.col))
        if hit is not None:
            r1, c1, span = hit
            origin = sheet.rows[r1][c1] if r1 < len(sheet.rows) and c1 < len(sheet.rows[r1]) else ""
            mark = replace(mark, value=MergedPart(origin, span))
        out.append(mark)
    return tuple(out)


def _raw_name(sheet: InputSheet, cell: str) -> str:
    try:
        r, c = xl_cell_to_rowcol(cell)
    except (ValueError, AttributeError):
        return ""
    if r < len(sheet.rows) and c < len(sheet.rows[r]):
        value = sheet.rows[r][c]
        return value if isinstance(value, str) else ""
    return ""
