"""The standard commune workbook: fillable, print-ready, and reproducible."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from ntm_xl import CriteriaSet, load_criteria, summarize, write_commune_form
from ntm_xl._demo import write_samples
from ntm_xl._values._form import FORM_SHEET, GUIDE_SHEET

from ..conftest import ROOT


@pytest.fixture(scope="module")
def form_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("form") / "xa.xlsx"
    return write_commune_form(
        path,
        load_criteria(),
        commune="Đôn Phong",
        villages=["Bản Vén", "Bản Đán"],
        province="Bắc Kạn",
        district="Bạch Thông",
        period="Năm 2024",
    )


def test_title_block_rows_and_criteria_headers(form_path: Path, criteria: CriteriaSet) -> None:
    sheet = openpyxl.load_workbook(form_path)[FORM_SHEET]
    assert [sheet.cell(r, 1).value for r in range(1, 5)] == ["Tỉnh:", "Huyện:", "Xã:", "Kỳ đánh giá:"]
    assert [sheet.cell(r, 3).value for r in range(1, 5)] == ["Bắc Kạn", "Bạch Thông", "Đôn Phong", "Năm 2024"]
    assert sheet["B8"].value == "Tên thôn"
    headers = [sheet.cell(9, 3 + i).value for i in range(len(criteria))]
    assert headers == [f"{c.number}. {c.short_name}" for c in criteria.criteria]
    assert [sheet["B10"].value, sheet["B11"].value] == ["Bản Vén", "Bản Đán"]
    assert sheet.cell(8, 3 + len(criteria)).value == "Số tiêu chí đạt"


def test_every_status_cell_has_the_dropdown(form_path: Path, criteria: CriteriaSet) -> None:
    sheet = openpyxl.load_workbook(form_path)[FORM_SHEET]
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"Đạt,Chưa đạt"'
    assert str(validation.sqref) == "C10:U11"


def test_count_column_is_a_live_formula(form_path: Path) -> None:
    sheet = openpyxl.load_workbook(form_path)[FORM_SHEET]
    assert sheet["V10"].value == '=IF(COUNTA(C10:U10)=0,"",COUNTIF(C10:U10,"Đạt"))'


def test_print_ready_and_protected(form_path: Path) -> None:
    workbook = openpyxl.load_workbook(form_path)
    sheet = workbook[FORM_SHEET]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    # fitToWidth is left out of the file when it has its OOXML default, 1 page.
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and (sheet.page_setup.fitToWidth or 1) == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$8:$9"
    assert sheet["A1"].font.name == "Times New Roman" and sheet["C10"].font.name == "Times New Roman"
    assert sheet.protection.sheet
    assert sheet["C9"].protection.locked and sheet["B8"].protection.locked
    assert not sheet["C10"].protection.locked and not sheet["B10"].protection.locked
    assert sheet["V10"].protection.locked
    assert workbook[GUIDE_SHEET]["A1"].value == "HƯỚNG DẪN ĐIỀN BIỂU TỰ ĐÁNH GIÁ"


def test_a_filled_form_reads_back(tmp_path: Path, criteria: CriteriaSet) -> None:
    marks = {"Bản Vén": {c.number: c.number != 7 for c in criteria.criteria}}
    path = write_commune_form(
        tmp_path / "f.xlsx", criteria, commune="ĐÔN PHONG", villages=["Bản Vén"], marks=marks
    )
    summary = summarize([path], criteria)
    assert summary.problems == ()
    assert [(v.commune, v.village, v.not_met) for v in summary.villages] == [("Đôn Phong", "Bản Vén", (7,))]


def test_an_unfilled_form_names_the_blank_cells(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = write_commune_form(tmp_path / "f.xlsx", criteria, commune="Tân Tú", villages=["Cốc Pái"])
    (error,) = summarize([path], criteria).problems
    assert (error.sheet, error.cell) == (FORM_SHEET, "B10")
    assert "chưa có đánh giá nào (các ô C10:U10 trống)" in error.message


def test_same_arguments_same_bytes(tmp_path: Path, criteria: CriteriaSet) -> None:
    a = write_commune_form(tmp_path / "a.xlsx", criteria, commune="X", villages=["Y"])
    b = write_commune_form(tmp_path / "b.xlsx", criteria, commune="X", villages=["Y"])
    assert a.read_bytes() == b.read_bytes()


def test_committed_blank_form_is_what_the_generator_makes(tmp_path: Path, criteria: CriteriaSet) -> None:
    fresh = write_commune_form(tmp_path / "mau.xlsx", criteria)
    assert fresh.read_bytes() == (ROOT / "workbooks" / "mau-bieu-xa.xlsx").read_bytes(), (
        "workbooks/mau-bieu-xa.xlsx is stale: run `python -m tests.regenerate`"
    )


def test_committed_samples_are_what_the_demo_makes(tmp_path: Path) -> None:
    fresh = write_samples(tmp_path)
    committed = sorted((ROOT / "workbooks" / "samples").glob("*.xlsx"))
    assert [p.name for p in committed] == [p.name for p in fresh]
    for new, old in zip(fresh, committed, strict=True):
        assert new.read_bytes() == old.read_bytes(), f"{old.name} is stale: run `python -m tests.regenerate`"
