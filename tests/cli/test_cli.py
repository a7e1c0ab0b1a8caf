"""The `ntm-xl` command as a clerk runs it: exit codes, messages, outputs, inputs untouched."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from ntm_xl import CriteriaSet
from ntm_xl._cli import main

from ..conftest import marks_row, write_table


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "ntm_xl", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        timeout=120,
    )


def digests(paths: list[Path]) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_summarize_clean_inputs_exit_0(tmp_path: Path, demo_files: list[Path]) -> None:
    before = digests(demo_files)
    mtimes = {p: p.stat().st_mtime_ns for p in demo_files}
    result = run(
        "summarize",
        *map(str, demo_files),
        "-o",
        str(tmp_path / "th.xlsx"),
        "--text",
        str(tmp_path / "tb.txt"),
    )
    assert result.returncode == 0, result.stderr
    assert "Đã tổng hợp 21 thôn của 13 xã" in result.stderr
    assert f"Biểu tổng hợp: {tmp_path / 'th.xlsx'}" in result.stdout
    assert (tmp_path / "tb.txt").read_text(encoding="utf-8").splitlines()[1] == (
        "- Số thôn đạt 13 tiêu chí: 01 thôn (Đông Bun xã Vũ Muộn)."
    )
    assert digests(demo_files) == before
    assert {p: p.stat().st_mtime_ns for p in demo_files} == mtimes


def test_summarize_a_folder_in_name_order_skipping_lock_files(tmp_path: Path, demo_files: list[Path]) -> None:
    folder = demo_files[0].parent
    (folder / "~$01-cao-son.xlsx").write_bytes(b"lock")
    try:
        assert main(["summarize", str(folder), "-o", str(tmp_path / "th.xlsx"), "-q"]) == 0
    finally:
        (folder / "~$01-cao-son.xlsx").unlink()
    sheet = openpyxl.load_workbook(tmp_path / "th.xlsx")["Biểu chi tiết"]
    groups = [
        sheet.cell(r, 2).value
        for r in range(1, sheet.max_row + 1)
        if str(sheet.cell(r, 2).value or "").startswith("Xã ")
    ]
    assert groups[:3] == ["Xã Cao Sơn", "Xã Đôn Phong", "Xã Nguyên Phúc"]


def test_summarize_with_bad_input_exit_1_and_still_writes(
    tmp_path: Path, demo_files: list[Path], criteria: CriteriaSet
) -> None:
    marks = marks_row(criteria, [])
    marks[2] = ""
    bad = write_table(
        tmp_path / "xa-loi.xlsx", {"S": [["Xã: Lỗi"], ["Thôn", *criteria.numbers], ["Nà Lỗi", *marks]]}
    )
    before = digests([bad])
    result = run("summarize", str(bad), str(demo_files[0]), "-o", str(tmp_path / "th.xlsx"))
    assert result.returncode == 1
    assert "Lỗi M002: xa-loi.xlsx, trang 'S', ô D3: " in result.stderr
    assert (tmp_path / "th.xlsx").exists()
    problems = openpyxl.load_workbook(tmp_path / "th.xlsx")["Kiểm tra dữ liệu"]
    assert [problems.cell(5, c).value for c in range(2, 7)] == ["Lỗi", "M002", "xa-loi.xlsx", "S", "D3"]
    assert digests([bad]) == before


def test_check_prints_every_problem_and_writes_nothing(tmp_path: Path, criteria: CriteriaSet) -> None:
    bad = write_table(
        tmp_path / "a.xlsx",
        {"S": [["Xã: A"], ["Thôn", *criteria.numbers], ["Nà A", *marks_row(criteria, [], met="Tốt")]]},
    )
    result = run("check", str(bad), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("Lỗi M003: a.xlsx, trang 'S', ô ") == 19
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx"]
    ok = run("check", str(bad.parent / "a.xlsx"), "--criteria", "bac-kan-thon-2022-2025")
    assert ok.returncode == 1


def test_check_clean_is_0(demo_files: list[Path]) -> None:
    assert main(["check", *map(str, demo_files)]) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "thiếu tham số bắt buộc"),
        (["summarize", "x.xlsx"], "thiếu tham số bắt buộc: -o/--output"),
        (["tong-hop"], "không có lựa chọn"),
        (
            ["summarize", "x.xlsx", "-o", "y.xlsx", "--criteria", "khong-co"],
            "Không tìm thấy bộ tiêu chí 'khong-co'",
        ),
        (["check", "x.xlsx", "--bogus"], "tham số không hiểu được: --bogus"),
    ],
)
def test_bad_usage_exit_2_in_vietnamese(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr


def test_help_is_vietnamese() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("Cách dùng: ntm-xl")
    assert "tổng hợp các biểu của xã" in result.stdout and "Mã thoát" in result.stdout


def test_formula_like_text_from_inputs_stays_text(tmp_path: Path, criteria: CriteriaSet) -> None:
    hostile = ['=HYPERLINK("http://x","Bấm")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"]
    rows = [
        ["Xã: =1+1"],
        ["Thôn", *criteria.numbers],
        *[[name, *marks_row(criteria, [7])] for name in hostile],
    ]
    source = write_table(tmp_path / "xa.xlsx", {"S": rows})
    assert (
        main(["summarize", str(source), "-o", str(tmp_path / "th.xlsx"), "--text", str(tmp_path / "t.txt")])
        == 0
    )
    workbook = openpyxl.load_workbook(tmp_path / "th.xlsx")
    cells = [c for s in workbook.worksheets for row in s.iter_rows() for c in row]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert set(hostile) <= texts
    for cell in cells:
        if isinstance(cell.value, str) and cell.value in hostile:
            assert cell.data_type == "s", cell.coordinate
    assert "Xã =1+1" in texts


def test_many_files_show_progress(tmp_path: Path, demo_files: list[Path]) -> None:
    result = run("check", *map(str, demo_files))
    assert "Đang đọc tệp 1/13: 01-cao-son.xlsx" in result.stderr
    assert "Đang đọc tệp 13/13: 13-my-thanh.xlsx" in result.stderr
    quiet = run("check", "-q", *map(str, demo_files))
    assert "Đang đọc" not in quiet.stderr


def test_template_command(tmp_path: Path) -> None:
    result = run(
        "template",
        str(tmp_path / "f.xlsx"),
        "--commune",
        "Đôn Phong",
        "--village",
        "Bản Vén",
        "--village",
        "Bản Đán",
        "--period",
        "Năm 2024",
    )
    assert result.returncode == 0, result.stderr
    sheet = openpyxl.load_workbook(tmp_path / "f.xlsx")["Đánh giá"]
    assert (sheet["C3"].value, sheet["B10"].value, sheet["B11"].value) == ("Đôn Phong", "Bản Vén", "Bản Đán")


def test_demo_command_prints_where_outputs_are(tmp_path: Path) -> None:
    result = run("demo", "-o", str(tmp_path / "d"))
    assert result.returncode == 0, result.stderr
    assert f"Biểu tổng hợp: {tmp_path / 'd' / 'tong-hop.xlsx'}" in result.stdout
    assert f"Dự thảo thông báo (Word): {tmp_path / 'd' / 'thong-bao.docx'}" in result.stdout
    assert (tmp_path / "d" / "thong-bao.docx").stat().st_size > 10_000
    assert (
        "- Số thôn đạt 18 tiêu chí: 02 thôn (Bắc Lanh Chang xã Lục Bình; Bản Luông xã Mỹ Thanh)."
        in result.stdout
    )


def test_unwritable_output_exit_3_and_says_why(tmp_path: Path, demo_files: list[Path]) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    result = run("summarize", str(demo_files[0]), "-o", str(blocker / "th.xlsx"))
    assert result.returncode == 3
    assert "Không tạo được tệp trong thư mục" in result.stderr


def test_output_may_not_overwrite_an_input(tmp_path: Path, demo_files: list[Path]) -> None:
    before = digests(demo_files)
    result = run("summarize", str(demo_files[0].parent), "-o", str(demo_files[3]))
    assert result.returncode == 2
    assert "trùng với một tệp đầu vào" in result.stderr
    assert digests(demo_files) == before
