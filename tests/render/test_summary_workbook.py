"""The summary workbook as a clerk opens and prints it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from ntm_xl import CriteriaSet, summarize, write_summary_workbook

from ..conftest import marks_row, write_table


@pytest.fixture(scope="module")
def demo_workbook(demo_files: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("summary") / "tong-hop.xlsx"
    return write_summary_workbook(path, summarize(demo_files), period="6 tháng đầu năm 2024")


def test_detailed_table_is_print_ready(demo_workbook: Path, criteria: CriteriaSet) -> None:
    sheet = openpyxl.load_workbook(demo_workbook)["Biểu chi tiết"]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.print_title_rows == "$4:$6"
    assert sheet.freeze_panes == "C7"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    fonts = {sheet.cell(r, c).font.name for r in range(1, 40) for c in range(1, 24)}
    assert fonts == {"Times New Roman"}
    assert sheet["C5"].value == 1 and sheet.cell(5, 2 + len(criteria)).value == len(criteria)
    assert sheet["B7"].value == "Xã Cao Sơn" and sheet["B7"].font.bold
    totals = [r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == "Tổng số thôn đạt"]
    (row,) = totals
    assert [sheet.cell(row, c).value for c in (9, 12, 21)] == [13, 1, 19]  # criteria 7, 10, 19
    assert sheet.cell(row + 1, 2).value == "Tổng số thôn chưa đạt"
    assert [sheet.cell(row + 1, c).value for c in (9, 12, 21)] == [8, 20, 2]


def test_overview_lists_counts_and_communes(demo_workbook: Path) -> None:
    sheet = openpyxl.load_workbook(demo_workbook)["Tổng hợp"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=6, max_row=11, max_col=3)]
    assert [r[:2] for r in rows] == [[13, 1], [15, 1], [16, 8], [17, 9], [18, 2], ["Tổng số", 21]]
    assert rows[0][2] == "Đông Bun xã Vũ Muộn"
    communes = [sheet.cell(r, 2).value for r in range(15, 28)]
    assert communes[0] == "Cao Sơn" and communes[-1] == "Mỹ Thanh" and len(set(communes)) == 13


def test_problem_sheet_says_when_there_is_nothing(demo_workbook: Path) -> None:
    sheet = openpyxl.load_workbook(demo_workbook)["Kiểm tra dữ liệu"]
    assert sheet["A3"].value == "Không phát hiện vấn đề nào trong dữ liệu đầu vào."


def test_excluded_villages_are_listed_with_their_reason(tmp_path: Path, criteria: CriteriaSet) -> None:
    marks = marks_row(criteria, [])
    marks[5] = ""
    rows = [
        ["Xã: Tân Tú"],
        ["Thôn", *criteria.numbers],
        ["Cốc Pái", *marks],
        ["Nà Bó", *marks_row(criteria, [])],
    ]
    summary = summarize([write_table(tmp_path / "t.xlsx", {"S": rows})], criteria)
    path = write_summary_workbook(tmp_path / "th.xlsx", summary)
    sheet = openpyxl.load_workbook(path)["Tổng hợp"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["1", "Tân Tú", "Cốc Pái", "thiếu hoặc sai đánh giá"] in [
        [str(v) if isinstance(v, int) else v for v in r[:4]] for r in values
    ]
    assert "Tổng hợp 1 thôn của 1 xã; 1 thôn chưa được tính do lỗi dữ liệu (xem 'Kiểm tra dữ liệu')." in (
        sheet["A3"].value
    )


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("target", ["ods", "xls"])
def test_other_formats_read_like_xlsx(tmp_path: Path, demo_files: list[Path], target: str) -> None:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", target, "--outdir", str(tmp_path), str(demo_files[1])],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = tmp_path / f"{demo_files[1].stem}.{target}"
    summary = summarize([converted])
    assert [p for p in summary.problems if p.severity.name != "INFO"] == []
    assert [(v.commune, v.village, v.not_met) for v in summary.villages] == [
        ("Đôn Phong", "Bản Vén", (7, 10, 13)),
        ("Đôn Phong", "Bản Đán", (10, 11, 13)),
    ]
