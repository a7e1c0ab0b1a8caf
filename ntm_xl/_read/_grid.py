"""A sheet's cells with merged ranges filled from their top-left cell (header band only:
merges lower down are status cells, reported by validation, or commune cells, carried
down by the reader)."""

from __future__ import annotations

from .._values._model import CellValue, InputSheet

__all__ = ["Grid"]


class Grid:
    def __init__(self, sheet: InputSheet, fill_until: int) -> None:
        self.sheet = sheet
        self.rows = sheet.rows
        self.width = max((len(r) for r in sheet.rows), default=0)
        self._origin: dict[tuple[int, int], tuple[int, int]] = {}
        for r1, c1, r2, c2 in sheet.merged:
            if r1 > fill_until or (r2 - r1 + 1) * (c2 - c1 + 1) > 10_000:
                continue
            for r in range(r1, min(r2, fill_until) + 1):
                for c in range(c1, min(c2, self.width - 1) + 1):
                    self._origin[(r, c)] = (r1, c1)

    def raw(self, row: int, col: int) -> CellValue:
        if 0 <= row < len(self.rows) and 0 <= col < len(self.rows[row]):
            return self.rows[row][col]
        return ""

    def value(self, row: int, col: int) -> CellValue:
        """The cell's value, or its merged range's value."""
        r, c = self._origin.get((row, col), (row, col))
        return self.raw(r, c)

    def merged_from(self, row: int, col: int) -> tuple[int, int] | None:
        origin = self._origin.get((row, col))
        return origin if origin and origin != (row, col) else None
