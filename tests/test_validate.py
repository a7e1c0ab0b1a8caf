"""Every problem in a commune file is located (file, sheet, cell) and explained in Vietnamese."""

from __future__ import annotations

from pathlib import Path

from ntm_xl import CriteriaSet, Severity, summarize

from .conftest import marks_row, write_table


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
    assert [(p.file.name, p.sheet, p.cell) for p in errors] == [
        ("tan-tu.xlsx", "Xã Tân Tú", "C3"),
        ("tan-tu.xlsx", "Xã Tân Tú", "F3"),
    ]
    assert errors[0].message == (
        "Ô trống: thiếu đánh giá tiêu chí số 1 (Ban phát triển thôn) của thôn Cốc Pái (xã Tân Tú); "
        "cần 'Đạt' hoặc 'Chưa đạt'. Ô trống là thiếu số liệu, không được tính là chưa đạt."
    )
    assert errors[1].message == (
        "Không hiểu đánh giá 'Tốt' ở tiêu chí số 4 (Giao thông) của thôn Cốc Pái (xã Tân Tú); "
        "cần 'Đạt' hoặc 'Chưa đạt'."
    )
    assert [v.village for v in summary.villages] == ["Nà Bó"]
    assert [(e.village, e.reason) for e in summary.excluded] == [("Cốc Pái", "thiếu hoặc sai đánh giá")]
    assert str(errors[0]).startswith("Lỗi: tan-tu.xlsx, trang 'Xã Tân Tú', ô C3: Ô trống")


def test_numbers_and_dates_where_a_mark_is_expected(tmp_path: Path, criteria: CriteriaSet) -> None:
    marks: list[object] = list(marks_row(criteria, []))
    marks[9] = 45.5
    path = write_table(tmp_path / "t.xlsx", table(criteria, [1, "Cốc Pái", *marks]))
    (error,) = summarize([path], criteria).problems
    assert error.cell == "L3"
    assert "Không hiểu đánh giá số 45.5 ở tiêu chí số 10 (Thu nhập)" in error.message


def test_village_with_no_marks_at_all_is_one_error(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = write_table(
        tmp_path / "t.xlsx", table(criteria, [1, "Cốc Pái"], [2, "Nà Bó", *marks_row(criteria, [])])
    )
    summary = summarize([path], criteria)
    (error,) = summary.problems
    assert error.cell == "B3"
    assert error.message.startswith("Thôn Cốc Pái (xã Tân Tú) chưa có đánh giá nào (các ô C3:U3 trống)")


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
    assert (error.severity, error.cell) == (Severity.ERROR, "B5")
    assert "Thôn Cốc Pái (xã Tân Tú) có hai dòng: ở t.xlsx, trang 'Xã Tân Tú', ô B3 và ở đây" in error.message
    assert [v.village for v in summary.villages] == ["Nà Bó"]
    assert {e.reason for e in summary.excluded} == {"thôn có hai dòng"}


def test_reported_count_disagreeing_is_a_warning(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = write_table(
        tmp_path / "t.xlsx", table(criteria, [1, "Cốc Pái", *marks_row(criteria, [7, 10]), 18])
    )
    summary = summarize([path], criteria)
    (warning,) = summary.problems
    assert (warning.severity, warning.cell) == (Severity.WARNING, "V3")
    assert "ghi là số 18, nhưng đếm theo các ô đánh giá được 17" in warning.message
    assert [v.met_count for v in summary.villages] == [17]


def test_basically_met_is_counted_not_met_with_a_warning(tmp_path: Path, criteria: CriteriaSet) -> None:
    marks = marks_row(criteria, [])
    marks[16] = "Cơ bản đạt"
    path = write_table(tmp_path / "t.xlsx", table(criteria, [1, "Cốc Pái", *marks]))
    summary = summarize([path], criteria)
    (warning,) = summary.problems
    assert (warning.severity, warning.cell) == (Severity.WARNING, "S3")
    assert (
        "'Cơ bản đạt' ở tiêu chí số 17 (Môi trường) của thôn Cốc Pái (xã Tân Tú) được tính là chưa đạt"
        in (warning.message)
    )
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
