"""Every problem in a commune file is located (file, sheet, cell) and explained in Vietnamese."""

from __future__ import annotations

from pathlib import Path

from ntm_xl import CriteriaSet, Problem, Severity, summarize

from ..conftest import marks_row, write_table


def located(problems: list[Problem] | tuple[Problem, ...]) -> list[tuple[str, str, str, str]]:
    """What a clerk needs to find each problem: its code and its place."""
    return [(p.code, p.file.name, p.sheet, p.cell) for p in problems]


def table(criteria: CriteriaSet, *villages: list[object]) -> dict[str, list[list[object]]]:
    return {
        "Xã Tân Tú": [
            ["UBND XÃ TÂN TÚ"],
            ["STT", "Tên thôn", *criteria.numbers, "Số tiêu chí đạt"],
            *villages,
        ]
    }


def test_blank_and_unknown_marks_are_errors_at_their_cells(tmp_path: Path, criteria: CriteriaSet) -> None:
    marks = marks_row(criteria, [7])
    marks[0] = ""  # criterion 1 in column C
    marks[3] = "Tốt"  # criterion 4 in column F
    path = write_table(
        tmp_path / "tan-tu.xlsx",
        table(criteria, [1, "Cốc Pái", *marks, ""], [2, "Nà Bó", *marks_row(criteria, []), 19]),
    )
    summary = summarize([path], criteria)
    errors = [p for p in summary.problems if p.severity is Severity.ERROR]
    assert located(errors) == [
        ("M002", "tan-tu.xlsx", "Xã Tân Tú", "C3"),
        ("M003", "tan-tu.xlsx", "Xã Tân Tú", "F3"),
    ]
    assert errors[0].params["criterion"] == 1
    assert errors[1].params["value"] == "'Tốt'"
    assert [v.village for v in summary.villages] == ["Nà Bó"]
    assert [(e.village, e.reason) for e in summary.excluded] == [("Cốc Pái", "thiếu hoặc sai đánh giá")]
    assert str(errors[0]).startswith("Lỗi M002: tan-tu.xlsx, trang 'Xã Tân Tú', ô C3: ")


def test_numbers_and_dates_where_a_mark_is_expected(tmp_path: Path, criteria: CriteriaSet) -> None:
    marks: list[object] = list(marks_row(criteria, []))
    marks[9] = 45.5
    path = write_table(tmp_path / "t.xlsx", table(criteria, [1, "Cốc Pái", *marks]))
    (error,) = summarize([path], criteria).problems
    assert located([error]) == [("M003", "t.xlsx", "Xã Tân Tú", "L3")]
    assert (error.params["value"], error.params["criterion"]) == ("số 45.5", 10)


def test_village_with_no_marks_at_all_is_one_error(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = write_table(
        tmp_path / "t.xlsx", table(criteria, [1, "Cốc Pái"], [2, "Nà Bó", *marks_row(criteria, [])])
    )
    summary = summarize([path], criteria)
    (error,) = summary.problems
    assert located([error]) == [("M001", "t.xlsx", "Xã Tân Tú", "B3")]
    assert (error.params["first"], error.params["last"]) == ("C3", "U3")


def test_village_listed_twice_is_an_error_and_left_out(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = write_table(
        tmp_path / "t.xlsx",
        table(
            criteria,
            [1, "Cốc Pái", *marks_row(criteria, [])],
            [2, "Nà Bó", *marks_row(criteria, [])],
            [3, "CỐC PÁI", *marks_row(criteria, [7])],
        ),
    )
    summary = summarize([path], criteria)
    (error,) = summary.problems
    assert located([error]) == [("M006", "t.xlsx", "Xã Tân Tú", "B5")]
    assert error.params["first"] == "t.xlsx, trang 'Xã Tân Tú', ô B3"
    assert [v.village for v in summary.villages] == ["Nà Bó"]
    assert {e.reason for e in summary.excluded} == {"thôn có hai dòng"}


def test_reported_count_disagreeing_is_a_warning(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = write_table(
        tmp_path / "t.xlsx", table(criteria, [1, "Cốc Pái", *marks_row(criteria, [7, 10]), 18])
    )
    summary = summarize([path], criteria)
    (warning,) = summary.problems
    assert located([warning]) == [("M005", "t.xlsx", "Xã Tân Tú", "V3")]
    assert (warning.params["reported"], warning.params["counted"]) == ("số 18", 17)
    assert [v.met_count for v in summary.villages] == [17]


def test_basically_met_is_counted_not_met_with_a_warning(tmp_path: Path, criteria: CriteriaSet) -> None:
    marks = marks_row(criteria, [])
    marks[16] = "Cơ bản đạt"
    path = write_table(tmp_path / "t.xlsx", table(criteria, [1, "Cốc Pái", *marks]))
    summary = summarize([path], criteria)
    (warning,) = summary.problems
    assert located([warning]) == [("M004", "t.xlsx", "Xã Tân Tú", "S3")]
    assert warning.severity is Severity.WARNING and warning.params["criterion"] == 17
    assert summary.villages[0].not_met == (17,)


def test_unreadable_file_does_not_stop_the_others(
    tmp_path: Path, criteria: CriteriaSet, demo_files: list[Path]
) -> None:
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a real workbook")
    text = tmp_path / "ghi-chu.xlsx"
    text.write_text("Báo cáo bằng chữ, không phải bảng tính", encoding="utf-8")
    summary = summarize([broken, demo_files[1], text], criteria)
    assert [p.file.name for p in summary.problems] == ["hong.xlsx", "ghi-chu.xlsx"]
    assert all(
        p.severity is Severity.ERROR and p.message.startswith("Không đọc được tệp") for p in summary.problems
    )
    assert [v.village for v in summary.villages] == ["Bản Vén", "Bản Đán"]


def test_missing_input_path_is_reported(tmp_path: Path, criteria: CriteriaSet) -> None:
    summary = summarize([tmp_path / "khong-co.xlsx"], criteria)
    (error,) = summary.problems
    assert error.message == "Không tìm thấy tệp hoặc thư mục này."
