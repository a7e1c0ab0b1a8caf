"""A1 names of cells ("C10"), for the reader's hot paths: a province names hundreds of
thousands of cells, and xlsxwriter's helper spells each column out anew."""

from __future__ import annotations

from functools import lru_cache

from xlsxwriter.utility import xl_col_to_name

__all__ = ["cell_name", "column_name"]


@lru_cache(maxsize=1024)
def column_name(col: int) -> str:
    """0 -> "A", 26 -> "AA"; "" for a negative column."""
    return str(xl_col_to_name(col)) if col >= 0 else ""


def cell_name(row: int, col: int) -> str:
    """(9, 2) -> "C10", as ``xl_rowcol_to_cell`` names it; "" for a negative row or column."""
    if row < 0 or col < 0:
        return ""
    return f"{column_name(col)}{row + 1}"
