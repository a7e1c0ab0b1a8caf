"""One file per real-world or hostile case: the exact problem, and good files unharmed beside it."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from ntm_xl import Severity, Summary, summarize, write_notice_text, write_summary_workbook
from tests.corpus import make_corpus

GOOD_RESULT = [("Đôn Phong", "Bản Vén", 16), ("Đôn Phong", "Bản Đán", 16)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_corpus.make(tmp_path_factory.mktemp("corpus"))


def _villages(summary: Summary, file: str) -> list[tuple[str, str, int]]:
    return [(v.commune, v.village, v.met_count) for v in summary.villages if v.location.file.name == file]


def _beside_good(corpus: dict[str, Path], name: str) -> Summary:
    """The case read after the good file: the good file's villages must be untouched."""
    summary = summarize([corpus["good"], corpus[name]])
    assert _villages(summary, "good.xlsx") == GOOD_RESULT
    return summary


def _only(summary: Summary, file: str) -> list[tuple[str, str, str]]:
    return [(p.severity.name, p.cell, p.message) for p in summary.problems if p.file.name == file]


def test_good_file_alone_has_no_problem(corpus: dict[str, Path]) -> None:
    summary = summarize([corpus["good"]])
    assert summary.problems == ()
    assert _villages(summary, "good.xlsx") == GOOD_RESULT


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "per-village",
            [("Thuần Mang", "Nà Ngần", 18), ("Thuần Mang", "Khuổi Hóp", 17), ("Thuần Mang", "Nà Mực", 19)],
        ),
        ("transposed", [("Cao Sơn", "Thôm Khoan", 17), ("Cao Sơn", "Khau Cà", 17)]),
        ("names-only", [("Vi Hương", "Đon Bậy", 17), ("Vi Hương", "Nà Ít", 17), ("Vi Hương", "Bó Lịn", 17)]),
        ("tcvn3", [("Vũ Muộn", "Đông Bun", 13), ("Vũ Muộn", "Đon Quán", 16)]),
        ("vni", [("Vũ Muộn", "Đông Bun", 13), ("Vũ Muộn", "Đon Quán", 16)]),
    ],
)
def test_other_layouts_and_encodings_read_the_same_villages(
    corpus: dict[str, Path], name: str, expected: list[tuple[str, str, int]]
) -> None:
    summary = _beside_good(corpus, name)
    assert _villages(summary, corpus[name].name) == expected
    assert not [p for p in summary.problems if p.severity is Severity.ERROR]


def test_per_village_sheet_takes_village_from_title_or_sheet_name(corpus: dict[str, Path]) -> None:
    summary = summarize([corpus["per-village"]])
    assert [(v.location.sheet, v.location.cell) for v in summary.villages] == [
        ("Nà Ngần", "A2"),
        ("Khuổi Hóp", "A2"),
        ("Nà Mực", "A1"),
    ]


def test_hidden_rows_and_columns_are_read_with_a_warning(corpus: dict[str, Path]) -> None:
    summary = _beside_good(corpus, "names-only")
    assert _only(summary, "names-only.xlsx") == [
        (
            "WARNING",
            "",
            "Trang tính có 1 dòng bị ẩn (6) và 1 cột bị ẩn (W); dữ liệu trong đó vẫn được đọc và tính. "
            "Cần kiểm tra lại (bỏ ẩn: chọn cả trang, chuột phải, Unhide).",
        )
    ]


@pytest.mark.parametrize(
    ("name", "label"), [("tcvn3", "TCVN3 (ABC, phông .VnTime)"), ("vni", "VNI (phông VNI-Times)")]
)
def test_legacy_encoding_gives_one_warning_naming_it(corpus: dict[str, Path], name: str, label: str) -> None:
    summary = _beside_good(corpus, name)
    (warning,) = [p for p in summary.problems if p.file.name == f"{name}.xlsx"]
    assert (warning.code, warning.severity, warning.sheet, warning.cell) == ("E001", Severity.WARNING, "", "")
    assert (warning.params["encoding"], warning.params["cells"]) == (label, 43)
    assert warning.params["after"] == "UBND XÃ VŨ MUỘN"


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("text", "Không đọc được tệp: tệp không phải bảng tính Excel mà là văn bản thuần (text hoặc CSV)."),
        ("docx", "Không đọc được tệp: tệp là văn bản Word (.docx) bị đổi đuôi thành tệp Excel"),
        ("truncated", "Không đọc được tệp: tệp bị hỏng hoặc chưa tải về hết"),
        ("empty", "Tệp không có dữ liệu: mọi trang tính đều trống."),
        ("password", "Không đọc được tệp: tệp được đặt mật khẩu; cần gỡ mật khẩu"),
        ("zip-bomb", "Không đọc được tệp: tệp nén 0,3 MB nhưng giải nén ra hơn 300,0 MB (giới hạn 256,0 MB"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(corpus: dict[str, Path], name: str, start: str) -> None:
    if name not in corpus:
        pytest.skip("msoffcrypto-tool is not installed: no password-protected sample")
    summary = _beside_good(corpus, name)
    (problem,) = _only(summary, corpus[name].name)
    assert problem[0] == "ERROR"
    assert problem[2].startswith(start)


def test_a_million_row_sheet_is_refused_before_it_is_loaded(corpus: dict[str, Path]) -> None:
    summary = _beside_good(corpus, "million-rows")
    assert _only(summary, "million-rows.xlsx")[0] == (
        "ERROR",
        "",
        "Trang tính có dữ liệu tới ô A1048576 (1.048.576 dòng × 21 cột), vượt giới hạn 100.000 dòng; trang "
        "này không được đọc. Nếu chỉ có vài ô lẻ ở cuối trang, cần xoá chúng (Ctrl+End để tìm) rồi lưu lại.",
    )


def _coded(summary: Summary, file: str) -> list[tuple[str, str, str]]:
    return [(p.code, p.sheet, p.cell) for p in summary.problems if p.file.name == file]


def test_a_formula_without_result_is_named(corpus: dict[str, Path]) -> None:
    summary = _beside_good(corpus, "uncalculated")
    assert _coded(summary, "uncalculated.xlsx") == [("M003", "Biểu", "I5")]
    (problem,) = [p for p in summary.problems if p.file.name == "uncalculated.xlsx"]
    assert problem.params["value"] == (
        'công thức \'=IF(TRUE,"Đạt","")\' chưa có kết quả (tệp chưa được tính lại; '
        "cần mở tệp trong Excel, lưu lại rồi gửi)"
    )


def test_merged_status_cells_are_named(corpus: dict[str, Path]) -> None:
    summary = _beside_good(corpus, "merged")
    assert _coded(summary, "merged.xlsx") == [
        ("M003", "Biểu", "C5"),
        ("M003", "Biểu", "D5"),
        ("M003", "Biểu", "E5"),
    ]
    first = next(p for p in summary.problems if p.file.name == "merged.xlsx")
    assert (
        first.params["value"] == "vùng ô gộp C5:E5 (ghi 'Đạt' một lần cho nhiều ô; cần bỏ gộp và ghi từng ô)"
    )


def test_numbers_and_dates_where_a_mark_is_expected(corpus: dict[str, Path]) -> None:
    summary = _beside_good(corpus, "numbers-dates")
    assert _coded(summary, "numbers-dates.xlsx") == [("M003", "Biểu", "C5"), ("M003", "Biểu", "D5")]
    values = [p.params["value"] for p in summary.problems if p.file.name == "numbers-dates.xlsx"]
    assert values == ["số 1", "ngày 01/06/2024"]


def test_long_names_and_control_characters(corpus: dict[str, Path]) -> None:
    summary = _beside_good(corpus, "long-control")
    problems = _only(summary, "long-control.xlsx")
    assert [(p[0], p[1]) for p in problems] == [("ERROR", "B5"), ("WARNING", "B6")]
    assert problems[0][2].startswith("Tên thôn dài 319 ký tự (giới hạn 100)")
    assert _villages(summary, "long-control.xlsx") == [("Sỹ Bình", "Lọ Cặp", 17)]


def test_formula_looking_text_stays_text_in_every_output(corpus: dict[str, Path], tmp_path: Path) -> None:
    summary = _beside_good(corpus, "formula-text")
    names = ['=HYPERLINK("http://vi.du","Bấm")', "+cmd|' /C calc'!A0", "@SUM(1+1)"]
    assert [v[1] for v in _villages(summary, "formula-text.xlsx")] == names
    workbook = write_summary_workbook(tmp_path / "tong-hop.xlsx", summary)
    book = openpyxl.load_workbook(workbook)
    seen = {c.value: c.data_type for ws in book.worksheets for row in ws.iter_rows() for c in row}
    for name in names:
        assert seen.get(name) == "s"
    assert all(not (isinstance(v, str) and v.startswith("=") and t == "f") for v, t in seen.items())
    text = write_notice_text(tmp_path / "thong-bao.txt", summary).read_text(encoding="utf-8")
    assert "@SUM(1+1)" in text


def test_same_file_twice_and_identical_copies(corpus: dict[str, Path]) -> None:
    summary = summarize([corpus["good"], corpus["good"], corpus["copy"]])
    assert [(p.file.name, p.message) for p in summary.problems] == [
        ("good.xlsx", "Tệp này được đưa vào hai lần; chỉ đọc một lần."),
        ("good (1).xlsx", "Tệp này giống hệt tệp good.xlsx (cùng nội dung); chỉ đọc một lần."),
    ]
    assert _villages(summary, "good.xlsx") == GOOD_RESULT


def test_two_files_for_one_commune(corpus: dict[str, Path]) -> None:
    summary = _beside_good(corpus, "same-commune")
    assert _only(summary, "same-commune.xlsx") == [
        (
            "WARNING",
            "",
            "Xã Đôn Phong cũng có trong tệp good.xlsx: hai tệp cùng báo cáo một xã. Các thôn khác nhau "
            "của hai tệp đều được tính; cần kiểm tra tệp nào là bản đúng.",
        )
    ]


def test_same_village_in_two_files(corpus: dict[str, Path]) -> None:
    summary = summarize([corpus["good"], corpus["same-village"]])
    errors = [p for p in summary.problems if p.severity is Severity.ERROR]
    assert [(p.code, p.file.name, p.sheet, p.cell) for p in errors] == [
        ("M006", "same-village.xlsx", "Biểu", "B5")
    ]
    assert errors[0].params["first"] == "good.xlsx, trang 'Biểu', ô B5"
    assert [v.village for v in summary.villages] == ["Bản Đán"]


def test_every_case_together_never_raises_and_inputs_are_not_modified(corpus: dict[str, Path]) -> None:
    files = sorted(set(corpus.values()))
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    mtimes = {p: p.stat().st_mtime_ns for p in files}
    summary = summarize(files)
    assert {v.commune for v in summary.villages} >= {"Đôn Phong", "Thuần Mang", "Cao Sơn", "Vi Hương"}
    # The TCVN3 and VNI files hold the same villages: once converted, they are duplicates.
    assert {(e.village, e.reason) for e in summary.excluded if e.commune == "Vũ Muộn"} == {
        ("Đông Bun", "thôn có hai dòng"),
        ("Đon Quán", "thôn có hai dòng"),
    }
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files} == before
    assert {p: p.stat().st_mtime_ns for p in files} == mtimes


def test_locked_output_keeps_results_elsewhere_and_says_where(
    corpus: dict[str, Path], tmp_path: Path
) -> None:
    # A destination that cannot be replaced (here a folder in its place; on Windows a file open in Excel).
    locked = tmp_path / "tong-hop.xlsx"
    locked.mkdir()
    (locked / "keep").write_text("x")
    result = subprocess.run(
        [sys.executable, "-m", "ntm_xl", "summarize", str(corpus["good"]), "-o", str(locked), "-q"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert f"Không ghi đè được tệp '{locked}'" in result.stderr
    kept = Path(result.stderr.split("Kết quả đã được ghi vào '")[1].split("'")[0])
    assert kept.is_file() and kept.parent == tmp_path
    book = openpyxl.load_workbook(kept)
    assert "Bản Vén" in {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}
