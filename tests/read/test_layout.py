"""Commune-made tables: header styles, the three ways of naming the commune, several sheets."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from ntm_xl import CriteriaSet, Severity, summarize

from ..conftest import marks_row, write_table


def header_cells(criteria: CriteriaSet, style: str) -> list[object]:
    cells: list[object] = []
    for c in criteria.criteria:
        cells.append(
            {
                "number": c.number,
                "text_number": str(c.number),
                "TC": f"TC{c.number}",
                "TC space": f"TC {c.number}",
                "TC dot": f"TC.{c.number}",
                "Tiêu chí": f"Tiêu chí {c.number}",
                "Tiêu chí số": f"Tiêu chí số {c.number}",
                "number and name": f"{c.number}. {c.short_name}",
                "short name": c.short_name,
                "full name, decomposed": unicodedata.normalize("NFD", c.name.upper()),
                "other tone placement": swap_tone_placement(c.short_name),
            }[style]
        )
    return cells


STYLES = [
    "number",
    "text_number",
    "TC",
    "TC space",
    "TC dot",
    "Tiêu chí",
    "Tiêu chí số",
    "number and name",
    "short name",
    "full name, decomposed",
    "other tone placement",
]


def swap_tone_placement(text: str) -> str:
    """ "hoá" <-> "hóa", "Thủy" <-> "Thuỷ": the two spellings clerks use."""
    pairs = [("oá", "óa"), ("ủy", "uỷ"), ("oà", "òa"), ("uỳ", "ùy")]
    for old, new in pairs:
        if old in text:
            return text.replace(old, new)
        if new in text:
            return text.replace(new, old)
    return text


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("village_header", ["Thôn", "Tên thôn", "Thôn, bản", "TÊN THÔN (BẢN)"])
def test_one_row_header_styles(
    tmp_path: Path, criteria: CriteriaSet, style: str, village_header: str
) -> None:
    rows = [
        ["UBND XÃ ĐÔN PHONG"],
        ["BIỂU TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ"],
        [],
        ["STT", village_header, *header_cells(criteria, style), "Số tiêu chí đạt", "Ghi chú"],
        [1, "Bản Vén", *marks_row(criteria, [7, 10, 13]), 16, ""],
        [2, "Bản Đán", *marks_row(criteria, [10, 11, 13]), 16, "ghi chú bất kỳ"],
    ]
    summary = summarize([write_table(tmp_path / "don-phong.xlsx", {"Sheet1": rows})], criteria)
    assert [p for p in summary.problems if p.severity is not Severity.INFO] == []
    assert [(v.commune, v.village, v.met_count, v.not_met) for v in summary.villages] == [
        ("Đôn Phong", "Bản Vén", 16, (7, 10, 13)),
        ("Đôn Phong", "Bản Đán", 16, (10, 11, 13)),
    ]


def test_three_row_header_with_merged_criteria_group(tmp_path: Path, criteria: CriteriaSet) -> None:
    n = len(criteria)
    rows = [
        ["ỦY BAN NHÂN DÂN", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["XÃ: Nguyên Phúc"],
        [],
        ["TT", "Thôn", "Tiêu chí", *[""] * (n - 1), "Tổng số tiêu chí đạt"],
        ["", "", *[f"TC {c.number}" for c in criteria.criteria], ""],
        ["", "", *[c.short_name for c in criteria.criteria], ""],
        ["(1)", "(2)", *[f"({i})" for i in range(3, n + 3)], f"({n + 3})"],
        [1, "Nà Rào", *marks_row(criteria, [10, 17, 19]), 16],
        [2, "Thôn Nà Cà", *marks_row(criteria, [7, 10]), 17],
        ["", "Tổng cộng", *[""] * n, ""],
        [],
        ["", "Người lập biểu"],
    ]
    merges = {"Data": [(3, 0, 5, 0), (3, 1, 5, 1), (3, 2, 3, n + 1), (3, n + 2, 5, n + 2)]}
    summary = summarize([write_table(tmp_path / "np.xlsx", {"Data": rows}, merges)], criteria)
    assert [p for p in summary.problems if p.severity is not Severity.INFO] == []
    assert [(v.commune, v.village, v.met_count) for v in summary.villages] == [
        ("Nguyên Phúc", "Nà Rào", 16),
        ("Nguyên Phúc", "Nà Cà", 17),
    ]


def test_commune_from_a_commune_column(tmp_path: Path, criteria: CriteriaSet) -> None:
    rows = [
        ["BIỂU TỔNG HỢP"],
        ["STT", "Xã", "Thôn", *[str(c.number) for c in criteria.criteria]],
        [1, "Vi Hương", "Đon Bậy", *marks_row(criteria, [10, 11])],
        [2, "XÃ CAO SƠN", "Khau Cà", *marks_row(criteria, [10, 11])],
    ]
    summary = summarize([write_table(tmp_path / "t.xlsx", {"S": rows})], criteria)
    assert [(v.commune, v.village) for v in summary.villages] == [
        ("Vi Hương", "Đon Bậy"),
        ("Cao Sơn", "Khau Cà"),
    ]
    assert summary.communes == ("Vi Hương", "Cao Sơn")


@pytest.mark.parametrize("group_text", ["Xã Cao Sơn", "I. Xã Cao Sơn", "I. XÃ CAO SƠN", "1. Xã Cao Sơn"])
def test_commune_from_group_rows(tmp_path: Path, criteria: CriteriaSet, group_text: str) -> None:
    rows = [
        ["UBND HUYỆN BẠCH THÔNG"],
        ["STT", "Xã, thôn", *[f"TC{c.number}" for c in criteria.criteria]],
        ["", group_text],
        [1, "Thôm Khoan", *marks_row(criteria, [10, 11])],
        [2, "Khau Cà", *marks_row(criteria, [10, 11])],
        ["II", "Xã Vi Hương"],
        [3, "Nà Ít", *marks_row(criteria, [10, 11], met="x", missing="-")],
    ]
    summary = summarize([write_table(tmp_path / "t.xlsx", {"S": rows})], criteria)
    assert [(v.commune, v.village) for v in summary.villages] == [
        ("Cao Sơn", "Thôm Khoan"),
        ("Cao Sơn", "Khau Cà"),
        ("Vi Hương", "Nà Ít"),
    ]
    assert not summary.problems


def test_several_sheets_and_a_skipped_sheet(tmp_path: Path, criteria: CriteriaSet) -> None:
    def sheet(commune: str, village: str) -> list[list[object]]:
        return [[f"Xã: {commune}"], ["Thôn", *criteria.numbers], [village, *marks_row(criteria, [10])]]

    path = write_table(
        tmp_path / "t.xlsx",
        {
            "Ghi chú": [["Biểu này gồm hai xã"], ["Số liệu đến 30/6"]],
            "Lục Bình": sheet("Lục Bình", "Bắc Lanh Chang"),
            "Mỹ Thanh": sheet("Mỹ Thanh", "Bản Luông"),
        },
    )
    summary = summarize([path], criteria)
    assert [(v.commune, v.village) for v in summary.villages] == [
        ("Lục Bình", "Bắc Lanh Chang"),
        ("Mỹ Thanh", "Bản Luông"),
    ]
    (skipped,) = summary.problems
    assert skipped.severity is Severity.INFO and skipped.sheet == "Ghi chú"
    assert skipped.message.startswith("Bỏ qua trang này")


def test_a_file_without_any_table_is_an_error_for_that_file_only(
    tmp_path: Path, criteria: CriteriaSet, demo_files: list[Path]
) -> None:
    bad = write_table(tmp_path / "bad.xlsx", {"Sheet1": [["Danh sách cán bộ"], ["Họ tên", "Chức vụ"]]})
    summary = summarize([bad, demo_files[0]], criteria)
    errors = [p for p in summary.problems if p.severity is Severity.ERROR]
    assert len(errors) == 1 and errors[0].file == bad
    assert "Không tìm thấy bảng đánh giá" in errors[0].message
    assert [v.village for v in summary.villages] == ["Thôm Khoan", "Khau Cà"]


def test_missing_criterion_column_names_the_criteria(tmp_path: Path, criteria: CriteriaSet) -> None:
    numbers = [n for n in criteria.numbers if n not in (5, 6)]
    rows = [["Xã: Tân Tú"], ["Thôn", *numbers], ["Cốc Pái", *["Đạt"] * len(numbers)]]
    summary = summarize([write_table(tmp_path / "t.xlsx", {"S": rows})], criteria)
    (error,) = [p for p in summary.problems if p.severity is Severity.ERROR]
    assert error.cell == "A2"
    assert "thiếu cột của tiêu chí số 5, 6" in error.message
    assert summary.villages == () and [e.village for e in summary.excluded] == ["Cốc Pái"]


def test_village_without_commune_is_located(tmp_path: Path, criteria: CriteriaSet) -> None:
    rows = [["Thôn", *criteria.numbers], ["Cốc Pái", *marks_row(criteria, [])]]
    summary = summarize([write_table(tmp_path / "t.xlsx", {"S": rows})], criteria)
    (error,) = summary.problems
    assert (error.sheet, error.cell) == ("S", "A2")
    assert "Không xác định được xã của thôn 'Cốc Pái'" in error.message
