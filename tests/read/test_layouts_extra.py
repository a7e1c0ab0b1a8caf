"""Title labels with the name in the next cell, in the one-sheet-per-village layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from ntm_xl import CriteriaSet, summarize

from ..conftest import write_table


@pytest.mark.parametrize("village_label", ["Thôn:", "Bản:", "Tên thôn:"])
def test_labels_followed_by_names(tmp_path: Path, criteria: CriteriaSet, village_label: str) -> None:
    rows: list[list[object]] = [
        ["Xã:", "Thuần Mang"],
        [village_label, "Nà Ngần"],
        [],
        ["TT", "Tiêu chí", "Nội dung", "Tự đánh giá"],
        *[[c.number, c.short_name, "", "Chưa đạt" if c.number == 10 else "Đạt"] for c in criteria.criteria],
    ]
    summary = summarize([write_table(tmp_path / "na-ngan.xlsx", {"Trang 1": rows})], criteria)
    assert [(v.commune, v.village, v.not_met) for v in summary.villages] == [("Thuần Mang", "Nà Ngần", (10,))]
