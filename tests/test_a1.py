"""Cell names in messages are the ones Excel shows, whichever helper spells them."""

from __future__ import annotations

from xlsxwriter.utility import xl_rowcol_to_cell

from ntm_xl._common._a1 import cell_name


def test_cell_names_match_excel_spelling() -> None:
    for row in (0, 9, 99_999, 1_048_575):
        for col in (*range(0, 60), 701, 702, 16_383):
            assert cell_name(row, col) == xl_rowcol_to_cell(row, col)
    assert cell_name(-1, 0) == cell_name(0, -1) == ""
