"""Each commune's review status in "Tổng hợp": whom the clerk has to call."""

from __future__ import annotations

from pathlib import Path

from python_calamine import CalamineWorkbook

from ntm_xl import CriteriaSet, summarize, write_summary_workbook
from ntm_xl._check._registry import registry_from_pairs
from ntm_xl._check._status import ReviewState, commune_statuses

from ..conftest import marks_row, write_table


def _commune_file(folder: Path, commune: str, rows: list[list[object]], criteria: CriteriaSet) -> Path:
    table = [[f"UBND XÃ {commune.upper()}"], ["STT", "Thôn", *[str(c.number) for c in criteria.criteria]]]
    table += [[i, *row] for i, row in enumerate(rows, 1)]
    return write_table(folder / f"{commune}.xlsx", {"Sheet1": table})


def _files(folder: Path, criteria: CriteriaSet) -> list[Path]:
    basically = marks_row(criteria, [])
    basically[6] = "Cơ bản đạt"  # criterion 7: counted as not met, with a warning
    blank = marks_row(criteria, [])
    blank[9] = ""  # criterion 10 missing: the village is not counted
    return [
        _commune_file(folder, "Cao Sơn", [["Thôm Khoan", *marks_row(criteria, [10])]], criteria),
        _commune_file(folder, "Đôn Phong", [["Bản Vén", *basically]], criteria),
        _commune_file(
            folder, "Vũ Muộn", [["Đông Bun", *marks_row(criteria, [7])], ["Đon Quán", *blank]], criteria
        ),
    ]


def _overview_statuses(path: Path) -> dict[str, str]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Tổng hợp").to_python()
    head = next(i for i, row in enumerate(rows) if "Tình trạng" in row)
    column = list(rows[head]).index("Tình trạng")
    statuses = {}
    for row in rows[head + 1 :]:
        if not row or row[0] == "":
            break
        statuses[str(row[1])] = str(row[column])
    return statuses


def test_status_per_commune_without_registry(tmp_path: Path, criteria: CriteriaSet) -> None:
    summary = summarize(_files(tmp_path, criteria), criteria)
    write_summary_workbook(tmp_path / "th.xlsx", summary)
    assert _overview_statuses(tmp_path / "th.xlsx") == {
        "Cao Sơn": "Đủ, không có lỗi",
        "Đôn Phong": "Có cảnh báo",
        "Vũ Muộn": "Có lỗi: 1 thôn chưa được tính",
    }


def test_status_with_registry_names_communes_that_sent_nothing(tmp_path: Path, criteria: CriteriaSet) -> None:
    registry = registry_from_pairs(
        [
            ("Cao Sơn", "Thôm Khoan"),
            ("Cao Sơn", "Khau Cà"),  # registered, in no file
            ("Đôn Phong", "Bản Vén"),
            ("Vũ Muộn", "Đông Bun"),
            ("Vũ Muộn", "Đon Quán"),
            ("Quân Hà", "Cốc Xả"),  # the whole commune sent nothing
        ]
    )
    summary = summarize(_files(tmp_path, criteria), criteria, registry=registry)
    statuses = {s.commune: s for s in commune_statuses(summary)}
    assert statuses["Quân Hà"].state is ReviewState.NOT_SENT
    assert statuses["Cao Sơn"].not_counted == 1
    write_summary_workbook(tmp_path / "th.xlsx", summary)
    assert _overview_statuses(tmp_path / "th.xlsx") == {
        "Cao Sơn": "Có lỗi: 1 thôn chưa được tính",
        "Đôn Phong": "Có cảnh báo",
        "Vũ Muộn": "Có lỗi: 1 thôn chưa được tính",
        "Quân Hà": "Chưa gửi biểu",
    }


def test_demo_communes_are_all_complete(demo_files: list[Path], criteria: CriteriaSet) -> None:
    statuses = commune_statuses(summarize(demo_files, criteria))
    assert len(statuses) == 13
    assert {s.label for s in statuses} == {"Đủ, không có lỗi"}
