"""The three buttons' Python side, run against xlwings' remote engine on a copy of the master workbook."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import ntm_xl.excel as excel
from ntm_xl import load_criteria
from ntm_xl._demo import load_demo
from ntm_xl._excel._master import (
    CONFIG_FIELDS,
    CONFIG_SHEET,
    CRITERIA_SHEET,
    DATA_SHEET,
    INPUT_SHEETS,
    build_master_workbook,
    read_config,
)
from ntm_xl._notice._config import KEYS, notice_config_from_mapping
from ntm_xl._notice._sections import notice_sections
from ntm_xl._pipeline import summarize
from ntm_xl._render._summary import SHEET_NAMES, summary_sheets
from ntm_xl._render._xlwings import sheet_grid

from ..excel_remote import WRITE_ACTIONS, Workbook, load_workbook, press

OVERVIEW, DEFICIENCIES, DETAIL, NOTICE, PROBLEMS, DISAGREEMENTS = SHEET_NAMES


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    path = build_master_workbook(tmp_path_factory.mktemp("master") / "ntm-xl.xlsm")
    return load_workbook(path)


@pytest.fixture(scope="module")
def imported(master: Workbook, demo_files: list[Path]) -> tuple[Workbook, list[dict[str, object]]]:
    return press(master, excel.nhap_du_lieu_xa, paths=demo_files)


def _plain(grid: list[list[object]]) -> list[list[object]]:
    """A layout grid as the cells hold it: no apostrophes, no trailing blanks."""
    rows = [[v[1:] if isinstance(v, str) and v.startswith("'") else v for v in row] for row in grid]
    width = max((i + 1 for row in rows for i, v in enumerate(row) if v != ""), default=1)
    rows = [row[:width] + [""] * (width - len(row)) for row in rows]
    while len(rows) > 1 and all(v == "" for v in rows[-1]):
        rows.pop()
    return rows


def _cells(state: Workbook, name: str) -> list[list[object]]:
    return _plain(state.sheet(name).grid())


def test_import_writes_one_row_per_village_with_its_source(imported: tuple[Workbook, list]) -> None:
    state, _ = imported
    data = state.sheet(DATA_SHEET)
    demo = load_demo()
    villages = [(c.name, v) for c in demo.communes for v, _ in c.villages]
    rows = [(data.values.get((r, 0)), data.values.get((r, 1))) for r in range(4, 4 + len(villages) + 1)]
    assert rows == [*villages, (None, None)]
    # One mark per criterion, as written in the commune file; then file, sheet, cell.
    criteria = load_criteria()
    first = [data.values.get((4, 2 + i)) for i in range(len(criteria))]
    not_met = dict(demo.communes[0].villages)[villages[0][1]]
    assert first == ["Chưa đạt" if c.number in not_met else "Đạt" for c in criteria.criteria]
    n = len(criteria)
    assert Path(str(data.values[(4, 2 + n)])).name == "01-cao-son.xlsx"
    assert data.values[(4, 3 + n)] == "Đánh giá"
    assert data.values[(4, 4 + n)] == "B10"
    # Text is written as text: a leading apostrophe for Excel, never a formula.
    assert (4, 0) in data.text
    assert state.alerts[-1][1] == "info"
    assert "Đã nhập 21 thôn của 13 xã từ 13 tệp" in state.alerts[-1][0]


def test_import_again_replaces_a_commune_in_place(
    imported: tuple[Workbook, list], demo_files: list[Path]
) -> None:
    state, _ = imported
    again, _ = press(state, excel.nhap_du_lieu_xa, paths=[demo_files[1]])
    before, after = _cells(state, DATA_SHEET), _cells(again, DATA_SHEET)
    assert len(after) == len(before)
    # Same villages in the same order; only the import time column may differ.
    assert [row[:-1] for row in after] == [row[:-1] for row in before]
    assert "thay cho 2 dòng cũ" in again.alerts[-1][0]


def test_import_reports_problems_on_the_problems_sheet(master: Workbook, tmp_path: Path) -> None:
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"not a workbook")
    state, _ = press(master, excel.nhap_du_lieu_xa, paths=[broken])
    problems = _cells(state, PROBLEMS)
    assert any("hong.xlsx" in str(v) for row in problems for v in row)
    assert "xem trang 'Kiểm tra dữ liệu'" in state.alerts[-1][0]
    # Nothing to import: "Dữ liệu" keeps its (empty) table.
    assert _cells(state, DATA_SHEET) == _cells(master, DATA_SHEET)


def test_paths_come_from_the_cells_the_picker_fills(master: Workbook, demo_files: list[Path]) -> None:
    book_state = master
    config = book_state.sheet(CONFIG_SHEET)
    name = next(n for n in book_state.names if n["name"] == "NTM_TepChon")
    first_row = int(str(name["address"]).split(":")[0][1:]) - 1
    config.values[(first_row, 1)] = str(demo_files[0])
    config.values[(first_row + 1, 1)] = str(demo_files[2])
    state, _ = press(book_state, excel.nhap_du_lieu_xa)
    communes = {row[0] for row in _cells(state, DATA_SHEET)[4:]}
    assert communes == {"Cao Sơn", "Nguyên Phúc"}
    del config.values[(first_row, 1)], config.values[(first_row + 1, 1)]


def test_compute_writes_the_core_summary_sheets(
    imported: tuple[Workbook, list], demo_files: list[Path]
) -> None:
    state, _ = imported
    computed, actions = press(state, excel.tinh_toan)
    # The workbook always has a configuration sheet: its villages are grouped as it says.
    notice = notice_config_from_mapping(
        {k: v for k, v in read_config(state.sheet(CONFIG_SHEET).grid()).items() if k in KEYS and v}
    )
    expected = summary_sheets(summarize(demo_files), notice=notice, framed=False)
    for layout in expected:
        assert _cells(computed, layout.name) == _plain(sheet_grid(layout)), layout.name
    detail = computed.sheet(DETAIL)
    head = detail.fmt("C5")
    assert head["font_bold"] is True
    assert head["setRangeColor"] == "#DDEBF7"
    assert head["border_edge_top_line_style"] == "continuous"
    assert detail.fmt("A1")["font_size"] == 14
    assert detail.fmt("A1")["font_name"] == "Times New Roman"
    n = len(load_criteria())
    assert (0, 0, 0, n + 3) in detail.merges
    assert detail.freeze == "C7"
    assert detail.conditional and detail.conditional[0][1] == '="-"'
    assert "Đã tổng hợp 21 thôn của 13 xã; 0 thôn đạt chuẩn (19/19 tiêu chí)." in computed.alerts[-1][0]
    # The input sheets are only read.
    positions = {s.name: i for i, s in enumerate(state.sheets)}
    inputs = {positions[name] for name in INPUT_SHEETS}
    assert not [a for a in actions if a["func"] in WRITE_ACTIONS and a["sheet_position"] in inputs]


def test_compute_twice_gives_the_same_workbook(imported: tuple[Workbook, list]) -> None:
    state, _ = imported
    once, _ = press(state, excel.tinh_toan)
    twice, _ = press(once, excel.tinh_toan)
    assert [s.name for s in twice.sheets] == [s.name for s in once.sheets]
    for first, second in zip(once.sheets, twice.sheets, strict=True):
        assert first == second, first.name
    for name in INPUT_SHEETS:
        assert once.sheet(name) == state.sheet(name)


def test_compute_adds_missing_summary_sheets_after_the_data(imported: tuple[Workbook, list]) -> None:
    state, _ = imported
    trimmed = Workbook(state.name, [s for s in state.sheets if s.name not in SHEET_NAMES], state.names)
    computed, _ = press(trimmed, excel.tinh_toan)
    names = [s.name for s in computed.sheets]
    start = names.index(DATA_SHEET) + 1
    assert names[start : start + len(SHEET_NAMES)] == list(SHEET_NAMES)


def test_compute_reads_corrections_made_by_hand(imported: tuple[Workbook, list]) -> None:
    state, _ = imported
    edited = state.apply([])
    data = edited.sheet(DATA_SHEET)
    criteria = load_criteria()
    column = 2 + [c.number for c in criteria.criteria].index(10)
    data.values[(4, column)] = "Đạt"  # Thôm Khoan now meets criterion 10
    data.values.pop((5, 2))  # Khau Cà: criterion 1 left blank
    computed, _ = press(edited, excel.tinh_toan)
    lines = [row[0] for row in _cells(computed, NOTICE)]
    # 20 villages missed criterion 10: Thôm Khoan no longer, Khau Cà is left out of every count.
    assert any(str(line).startswith("- Tiêu chí số 10 (Thu nhập): 18 thôn") for line in lines)
    problems = _cells(computed, PROBLEMS)
    assert any("C6" in row for row in problems)
    assert "1 thôn chưa được tính do lỗi dữ liệu" in computed.alerts[-1][0]


def test_registry_reports_villages_without_data(imported: tuple[Workbook, list]) -> None:
    state, _ = imported
    edited = state.apply([])
    registry = edited.sheet("Danh mục thôn")
    registry.values.update({(4, 0): 1, (4, 1): "Cao Sơn", (4, 2): "Thôm Khoan"})
    registry.values.update({(5, 0): 2, (5, 1): "Cao Sơn", (5, 2): "Nà Mới"})
    computed, _ = press(edited, excel.tinh_toan)
    problems = " ".join(str(v) for row in _cells(computed, PROBLEMS) for v in row)
    assert "Nà Mới" in problems


def test_notice_writes_the_sections_and_a_word_draft(
    imported: tuple[Workbook, list], demo_files: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state, _ = imported
    edited = state.apply([])
    config = edited.sheet(CONFIG_SHEET)
    rows = {v: r for (r, c), v in config.values.items() if c == 0}
    config.values[(rows["Kỳ đánh giá"], 1)] = "6 tháng đầu năm 2024"
    config.values[(rows["Ngày thông báo"], 1)] = "25/06/2024"
    config.values[(rows["Người ký"], 1)] = "Hoàng Văn Kiệt"
    monkeypatch.chdir(tmp_path)  # a remote book has no folder: drafts go to the working folder
    noticed, _ = press(edited, excel.tao_thong_bao)
    lines = [row[0] for row in _cells(noticed, NOTICE)[2:]]
    sections = notice_sections(summarize(demo_files))
    assert lines == [*sections.lines, "(Có biểu chi tiết kèm theo)"]
    draft = tmp_path / "thong-bao-6-thang-dau-nam-2024.docx"
    with zipfile.ZipFile(draft) as package:
        document = package.read("word/document.xml").decode("utf-8")
    assert "Hoàng Văn Kiệt" in document
    assert "25 tháng 6 năm 2024" in document
    assert str(draft) in noticed.alerts[-1][0]


def test_bad_criteria_sheet_gives_a_vietnamese_alert(imported: tuple[Workbook, list]) -> None:
    state, _ = imported
    edited = state.apply([])
    sheet = edited.sheet(CRITERIA_SHEET)
    row = next(r for (r, c), v in sheet.values.items() if c == 0 and v == 7)
    sheet.values[(row, 0)] = "bảy"
    computed, actions = press(edited, excel.tinh_toan)
    prompt, mode = computed.alerts[-1]
    assert mode == "critical"
    assert f"Trang 'Bộ tiêu chí', ô A{row + 1}: số tiêu chí phải là số nguyên dương, gặp 'bảy'." == prompt
    assert not [a for a in actions if a["func"] in WRITE_ACTIONS]


def test_unexpected_error_is_logged_beside_the_workbook(
    imported: tuple[Workbook, list], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state, _ = imported

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("hỏng ở đây")

    monkeypatch.setattr(excel, "render_sheet", broken)
    monkeypatch.chdir(tmp_path)
    computed, _ = press(state, excel.tinh_toan)
    prompt, mode = computed.alerts[-1]
    assert mode == "critical"
    assert prompt.startswith("Đã xảy ra lỗi ngoài dự kiến")
    assert "Traceback" not in prompt
    log = (tmp_path / excel.LOG_FILE).read_text(encoding="utf-8")
    assert "RuntimeError: hỏng ở đây" in log


def _with_villages(master: Workbook, villages: int, communes: int = 10) -> Workbook:
    state = master.apply([])
    data = state.sheet(DATA_SHEET)
    criteria = load_criteria()
    for i in range(villages):
        row = 4 + i
        data.values[(row, 0)] = f"Xã {i % communes:02d}"
        data.values[(row, 1)] = f"Thôn {i:04d}"
        for j, c in enumerate(criteria.criteria):
            data.values[(row, 2 + j)] = "Chưa đạt" if (i + c.number) % 7 == 0 else "Đạt"
    return state


def test_write_calls_do_not_grow_with_the_number_of_villages(master: Workbook) -> None:
    counts = {}
    for villages in (20, 2000):
        state, actions = press(_with_villages(master, villages), excel.tinh_toan)
        assert f"Đã tổng hợp {villages} thôn của 10 xã" in state.alerts[-1][0]
        counts[villages] = sum(1 for a in actions if a["func"] in WRITE_ACTIONS)
    assert counts[20] == counts[2000]


def _paragraphs(path: Path) -> list[str]:
    """Every paragraph of a .docx body in order, those in tables included."""
    import docx

    body = docx.Document(str(path)).element.body
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in body.iter(f"{w}p")]


def test_notice_from_the_workbook_equals_the_command_line_notice(
    imported: tuple[Workbook, list], demo_files: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same data, criteria and configuration: the draft equals `ntm-xl notice`'s paragraph by paragraph."""
    import tomllib

    from ntm_xl._cli import main

    toml = Path(excel.__file__).parent / "data" / "notice-bach-thong-2024.toml"
    facts = tomllib.loads(toml.read_text(encoding="utf-8"))
    state, _ = imported
    edited = state.apply([])
    config = edited.sheet(CONFIG_SHEET)
    rows = {v: r for (r, c), v in config.values.items() if c == 0}
    for key, label, _ in CONFIG_FIELDS:
        value = facts.get(key, "")
        config.values[(rows[label], 1)] = "\n".join(value) if isinstance(value, list) else value
    config.values[(rows["Ngày thông báo"], 1)] = "07/2024"  # as a clerk types the TOML's "7/2024"
    monkeypatch.chdir(tmp_path)
    noticed, _ = press(edited, excel.tao_thong_bao)
    assert noticed.alerts[-1][1] == "info", noticed.alerts[-1][0]
    from_button = tmp_path / "thong-bao-6-thang-dau-nam.docx"
    from_command = tmp_path / "cli.docx"
    command_line = ["notice", *map(str, demo_files), "-o", str(from_command), "--config", str(toml), "-q"]
    assert main(command_line) == 0
    button, command = _paragraphs(from_button), _paragraphs(from_command)
    assert button == command
    # Section III.2 carries each criterion's measures from the sheet "Bộ tiêu chí", not "+ ...".
    measures = load_criteria().by_number(7).measures.splitlines()[0]
    assert measures in button
