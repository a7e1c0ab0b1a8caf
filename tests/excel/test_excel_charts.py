"""Native charts drawn by "Tính toán" into the open workbook, through xlwings' remote engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from xlsxwriter.utility import xl_range, xl_rowcol_to_cell

import ntm_xl.excel as excel
from ntm_xl._excel._master import build_master_workbook
from ntm_xl._pipeline import summarize
from ntm_xl._render._spec import Chart
from ntm_xl._render._summary import SHEET_NAMES, summary_sheets

from ..excel_remote import ChartState, Workbook, load_workbook, press

OVERVIEW, DEFICIENCIES = SHEET_NAMES[:2]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, demo_files: list[Path]) -> Workbook:
    master = load_workbook(build_master_workbook(tmp_path_factory.mktemp("master") / "ntm-xl.xlsm"))
    state, _ = press(master, excel.nhap_du_lieu_xa, paths=demo_files)
    return state


@pytest.fixture(scope="module")
def computed(imported: Workbook) -> Workbook:
    state, _ = press(imported, excel.tinh_toan)
    return state


@pytest.fixture(scope="module")
def described(demo_files: list[Path]) -> dict[str, Chart]:
    """The chart each summary sheet's layout describes, by sheet name."""
    layouts = summary_sheets(summarize(demo_files))
    charts = {layout.name: layout.charts for layout in layouts if layout.charts}
    assert set(charts) == {OVERVIEW, DEFICIENCIES}
    return {name: chart for name, (chart,) in charts.items()}


def _cells(sheet: str, rect: tuple[int, int, int, int]) -> tuple[str, str]:
    return sheet, xl_range(*rect)


def test_each_summary_sheet_gets_its_chart_from_the_described_cells(
    computed: Workbook, described: dict[str, Chart]
) -> None:
    for name, kind in ((OVERVIEW, "ColumnClustered"), (DEFICIENCIES, "BarClustered")):
        chart = described[name]
        (drawn,) = computed.sheet(name).charts
        assert drawn.chart_type == kind, name
        assert drawn.source == _cells(name, chart.values), name
        assert drawn.series_by == "Columns", name
        assert drawn.x_values == _cells(name, chart.categories), name
        assert drawn.title == chart.title, name
        assert drawn.anchor == xl_rowcol_to_cell(*chart.anchor), name
        assert (drawn.width, drawn.height) == (chart.size[0] * 0.75, chart.size[1] * 0.75), name
        assert drawn.legend == {"visible": False}, name


def test_charts_sit_below_their_tables(computed: Workbook, described: dict[str, Chart]) -> None:
    for name, chart in described.items():
        sheet = computed.sheet(name)
        last_row = max(r for r, _ in sheet.values)
        assert chart.anchor[0] > last_row, name
        assert sheet.charts[0].anchor == xl_rowcol_to_cell(*chart.anchor), name


def test_overview_chart_counts_villages_by_criteria_met(computed: Workbook) -> None:
    sheet = computed.sheet(OVERVIEW)
    (drawn,) = sheet.charts
    assert drawn.title == "Số thôn theo số tiêu chí đạt"
    assert drawn.axes["category"] == {"title": "Số tiêu chí đạt"}
    value_axis = drawn.axes["value"]
    assert value_axis["title"] == "Số thôn"
    assert value_axis["minimum_scale"] == 0
    # Counts of villages: gridlines at whole numbers, and the bars add up to every village.
    assert float(str(value_axis["major_unit"])).is_integer()
    _, address = drawn.source
    first, last = address.split(":")
    column_rows = range(int(first[1:]) - 1, int(last[1:]))
    assert sum(int(str(sheet.values[(r, 1)])) for r in column_rows) == 21


def test_deficiency_chart_lists_criteria_top_down(computed: Workbook) -> None:
    sheet = computed.sheet(DEFICIENCIES)
    (drawn,) = sheet.charts
    assert drawn.title == "Số thôn chưa đạt theo từng tiêu chí"
    # Criterion 1 on top, as in the table: the category axis runs in reverse
    # and the value axis crosses at its end, under the bars.
    assert drawn.axes["category"] == {"reverse_order": True, "crosses": "maximum"}
    assert drawn.axes["value"]["title"] == "Số thôn"
    assert drawn.axes["value"]["minimum_scale"] == 0
    _, address = drawn.x_values or ("", "")
    assert address == "B5:B23"  # the 19 criteria's short names
    assert sheet.values[(4, 0)] == 1 and sheet.values[(22, 0)] == 19


def test_only_the_two_sheets_get_charts(computed: Workbook) -> None:
    counts = {s.name: len(s.charts) for s in computed.sheets if s.charts}
    assert counts == {OVERVIEW: 1, DEFICIENCIES: 1}


def test_compute_again_replaces_the_charts(computed: Workbook) -> None:
    again, actions = press(computed, excel.tinh_toan)
    assert again.alerts[-1][1] == "info"  # finished, no error on the way
    for name in (OVERVIEW, DEFICIENCIES):
        assert again.sheet(name).charts == computed.sheet(name).charts, name
        assert len(again.sheet(name).charts) == 1, name
    assert [a["func"] for a in actions].count("deleteChart") == 2
    third, _ = press(again, excel.tinh_toan)
    assert {s.name: len(s.charts) for s in third.sheets if s.charts} == {OVERVIEW: 1, DEFICIENCIES: 1}


def test_a_chart_drawn_by_hand_is_kept(computed: Workbook) -> None:
    edited = computed.apply([])
    mine = ChartState("Biểu đồ 1", "Pie", (OVERVIEW, "B6:B10"), None, "H2", 300, 200, 227)
    edited.sheet(OVERVIEW).charts.insert(0, mine)
    again, _ = press(edited, excel.tinh_toan)
    charts = again.sheet(OVERVIEW).charts
    assert [c.name for c in charts] == ["Biểu đồ 1", computed.sheet(OVERVIEW).charts[0].name]
    assert charts[0] == mine
    assert charts[1] == computed.sheet(OVERVIEW).charts[0]


def test_charts_are_drawn_on_summary_sheets_added_by_the_press(imported: Workbook) -> None:
    trimmed = Workbook(
        imported.name, [s for s in imported.sheets if s.name not in SHEET_NAMES], imported.names
    )
    computed, _ = press(trimmed, excel.tinh_toan)
    assert {s.name: len(s.charts) for s in computed.sheets if s.charts} == {OVERVIEW: 1, DEFICIENCIES: 1}
