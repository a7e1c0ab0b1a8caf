"""Native Excel charts in the summary workbook: present, editable, drawn from the right cells."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from ntm_xl import CriteriaSet, Summary, summarize, write_summary_workbook
from ntm_xl._render._spec import Chart
from ntm_xl._render._summary import deficiency_sheet, overview_sheet

from ..conftest import marks_row, write_table


@pytest.fixture(scope="module")
def summary(demo_files: list[Path]) -> Summary:
    return summarize(demo_files)


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory: pytest.TempPathFactory, summary: Summary) -> Path:
    return write_summary_workbook(tmp_path_factory.mktemp("charts") / "tong-hop.xlsx", summary)


def sheet_charts(path: Path) -> dict[str, list[str]]:
    """For each sheet, the chart parts its drawing holds, read from the package as Excel does."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        workbook = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
        targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels)) or {
            rid: target for target, rid in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', rels)
        }
        result: dict[str, list[str]] = {}
        for name, rid in re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"', workbook):
            sheet = targets[rid].removeprefix("/xl/").removeprefix("xl/")
            sheet_rels = f"xl/worksheets/_rels/{sheet.split('/')[-1]}.rels"
            charts: list[str] = []
            if sheet_rels in names:
                for drawing in re.findall(
                    r'Target="\.\./drawings/([^"]+)"', archive.read(sheet_rels).decode()
                ):
                    drawing_rels = f"xl/drawings/_rels/{drawing}.rels"
                    if drawing_rels in names:
                        found = re.findall(
                            r'Target="\.\./charts/([^"]+)"', archive.read(drawing_rels).decode()
                        )
                        charts += [archive.read(f"xl/charts/{c}").decode() for c in found]
            result[name] = charts
    return result


def series_refs(chart_xml: str) -> tuple[str, str]:
    categories = re.search(r"<c:cat>.*?<c:f>(.*?)</c:f>", chart_xml, re.S)
    values = re.search(r"<c:val>.*?<c:f>(.*?)</c:f>", chart_xml, re.S)
    assert categories and values
    return categories.group(1), values.group(1)


def cells(path: Path, reference: str) -> list[Any]:
    sheet, cell_range = reference.rsplit("!", 1)
    workbook = openpyxl.load_workbook(path)
    rows = workbook[sheet.strip("'")][cell_range.replace("$", "")]
    return [row[0].value for row in rows]


def test_overview_chart_counts_villages_by_criteria_met(workbook_path: Path, summary: Summary) -> None:
    charts = sheet_charts(workbook_path)
    assert len(charts["Tổng hợp"]) == 1
    chart = charts["Tổng hợp"][0]
    assert '<c:barDir val="col"/>' in chart
    assert "Số thôn theo số tiêu chí đạt" in chart
    categories, values = series_refs(chart)
    assert (categories, values) == ("'Tổng hợp'!$A$6:$A$10", "'Tổng hợp'!$B$6:$B$10")
    assert cells(workbook_path, categories) == [13, 15, 16, 17, 18]
    assert cells(workbook_path, values) == [1, 1, 8, 9, 2]
    assert sum(cells(workbook_path, values)) == len(summary.villages)


def test_deficiency_chart_counts_villages_missing_each_criterion(
    workbook_path: Path, criteria: CriteriaSet
) -> None:
    (chart,) = sheet_charts(workbook_path)["Tiêu chí chưa đạt"]
    assert '<c:barDir val="bar"/>' in chart
    categories, values = series_refs(chart)
    assert (categories, values) == ("'Tiêu chí chưa đạt'!$B$5:$B$23", "'Tiêu chí chưa đạt'!$C$5:$C$23")
    assert cells(workbook_path, categories) == [c.short_name for c in criteria.criteria]
    missing = dict(zip(criteria.numbers, cells(workbook_path, values), strict=True))
    assert {n: c for n, c in missing.items() if c} == {
        7: 8,
        9: 1,
        10: 20,
        11: 11,
        12: 1,
        13: 3,
        15: 2,
        17: 6,
        19: 2,
    }
    # Criterion 1 on top, as in the table: the category axis runs top to bottom.
    assert '<c:orientation val="maxMin"/>' in chart


def test_only_the_two_sheets_have_charts(workbook_path: Path) -> None:
    counts = {name: len(charts) for name, charts in sheet_charts(workbook_path).items()}
    assert counts == {"Tổng hợp": 1, "Tiêu chí chưa đạt": 1, "Biểu chi tiết": 0, "Thông báo": 0,
                      "Kiểm tra dữ liệu": 0, "Chênh lệch đánh giá": 0}  # fmt: skip


def test_openpyxl_reads_the_charts_below_their_tables(workbook_path: Path) -> None:
    workbook = openpyxl.load_workbook(workbook_path)
    for name, last_table_row in (("Tổng hợp", 0), ("Tiêu chí chưa đạt", 23)):
        sheet = workbook[name]
        (chart,) = sheet._charts
        anchor_row = chart.anchor._from.row  # 0-based
        last_row = last_table_row or max(
            r for r in range(1, sheet.max_row + 1) if any(c.value is not None for c in sheet[r])
        )
        assert anchor_row >= last_row, name  # the chart covers no cell of the table


def test_layouts_describe_the_charts_for_any_writer(summary: Summary) -> None:
    (overview,) = overview_sheet(summary).charts
    assert overview == Chart(
        "column",
        "Số thôn theo số tiêu chí đạt",
        categories=(5, 0, 9, 0),
        values=(5, 1, 9, 1),
        anchor=overview.anchor,
        size=overview.size,
        series_name="Số thôn",
        category_title="Số tiêu chí đạt",
        value_title="Số thôn",
    )
    (deficiency,) = deficiency_sheet(summary).charts
    assert (deficiency.kind, deficiency.categories, deficiency.values) == (
        "bar",
        (4, 1, 22, 1),
        (4, 2, 22, 2),
    )
    assert deficiency.anchor == (24, 0)


def test_no_overview_chart_without_villages(tmp_path: Path, criteria: CriteriaSet) -> None:
    marks = marks_row(criteria, [])
    marks[0] = ""
    empty = summarize([write_table(tmp_path / "xa.xlsx", {"S": [["Xã: A"], ["Thôn", *criteria.numbers],
                                                                ["Nà A", *marks]]})])  # fmt: skip
    assert not empty.villages
    assert overview_sheet(empty).charts == ()
    charts = sheet_charts(write_summary_workbook(tmp_path / "th.xlsx", empty))
    assert len(charts["Tổng hợp"]) == 0 and len(charts["Tiêu chí chưa đạt"]) == 1


def test_gridlines_step_in_whole_villages(workbook_path: Path) -> None:
    charts = sheet_charts(workbook_path)
    assert '<c:majorUnit val="1"/>' in charts["Tổng hợp"][0]  # at most 9 villages a bar
    assert '<c:majorUnit val="2"/>' in charts["Tiêu chí chưa đạt"][0]  # up to 20
