"""The buttons read commune files as `ntm-xl summarize` does, on xlwings' remote engine cut
down to what its Windows engine has:

- by the rules of the sheet "Quy tắc đọc", as `--rules` does;
- what "Nhập dữ liệu xã" writes into "Dữ liệu" is enough for "Tính toán" to compute what the
  command computes from the same files: counts, disagreements between two verdicts,
  indicator checks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from xlsxwriter.utility import xl_cell_to_rowcol

import ntm_xl.excel as excel
from ntm_xl import load_criteria, notice_sections, summarize
from ntm_xl._check._indicators import INDICATOR_SHEET
from ntm_xl._excel._master import DATA_SHEET, RULES_SHEET, build_master_workbook
from ntm_xl._read import parse_rules
from ntm_xl._render._summary import SHEET_NAMES, disagreement_sheet, indicator_sheet
from ntm_xl._render._xlwings import sheet_grid
from tests.corpus import families
from tests.corpus.families import MET, NOT_MET, NUMBERS, CommuneSheet, Merge, write_book
from tests.excel.test_excel_remote import _cells, _plain
from tests.read.test_explain_and_rules import RULES, _odd_table

from ..excel_remote import WRITE_ACTIONS, Workbook, load_workbook, make_windows_shaped, press

NOTICE, PROBLEMS, DISAGREEMENTS = SHEET_NAMES[3], SHEET_NAMES[4], SHEET_NAMES[5]
CRITERIA = load_criteria()


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    return load_workbook(build_master_workbook(tmp_path_factory.mktemp("master") / "ntm-xl.xlsm"))


@pytest.fixture(autouse=True)
def windows_shaped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    make_windows_shaped(monkeypatch)
    monkeypatch.chdir(tmp_path)


def _with_rules(master: Workbook, *rules: dict[str, object]) -> Workbook:
    """The master workbook with ``rules`` typed below the sheet's row of keys, one a row."""
    state = master.apply([])
    sheet = state.sheet(RULES_SHEET)
    head = next(r for (r, c), v in sheet.values.items() if c == 0 and v == "ten")
    columns = {v: c for (r, c), v in sheet.values.items() if r == head}
    for offset, rule in enumerate(rules, 1):
        for key, value in rule.items():
            sheet.values[(head + offset, columns[key])] = value
    return state


# The TOML rule of the command-line tests, as a clerk types it into the sheet (numbers as numbers).
ODD_TABLE_RULE: dict[str, object] = {
    "ten": "Đồng Lạc",
    "tep": "dong-lac-*.xlsx",
    "trang": "Biểu 01",
    "dong_tieu_de": 3,
    "cot_thon": "B",
    "xa": "Đồng Lạc",
    "cot_tieu_chi_dau": "C",
    "dat": "Hoàn thành",
    "chua_dat": "Chưa hoàn thành",
    "bo_dong": 5,
}


def _data(state: Workbook) -> list[tuple[object, object]]:
    data = state.sheet(DATA_SHEET)
    return [
        (data.values.get((r, 0)), data.values.get((r, 1))) for r in range(4, 4 + 10) if (r, 1) in data.values
    ]


def _notice_lines(state: Workbook) -> list[str]:
    """The notice's lines as the sheet "Thông báo" holds them, its title rows aside."""
    lines = [str(row[0]) for row in state.sheet(NOTICE).grid()[2:]]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def test_the_sheet_is_there_with_its_keys_explained(master: Workbook) -> None:
    sheet = master.sheet(RULES_SHEET)
    head = next(r for (r, c), v in sheet.values.items() if c == 0 and v == "ten")
    keys = [sheet.values[(head, c)] for c in range(14)]
    assert keys[:3] == ["ten", "tep", "xa_ap_dung"] and keys[-1] == "danh_gia"
    assert str(sheet.values[(head - 1, 4)]).startswith("Ví dụ: ")  # dong_tieu_de
    assert not [key for (r, c), key in sheet.values.items() if r > head]  # no rule until the clerk types one


def test_a_rule_in_the_sheet_changes_what_the_button_reads(master: Workbook, tmp_path: Path) -> None:
    odd = _odd_table(tmp_path)
    without, _ = press(master, excel.nhap_du_lieu_xa, paths=[odd])
    # Without the rule: the table is refused (R001), never misread.
    assert ("Đồng Lạc", "Nà Bó") not in _data(without)
    problems = without.sheet(PROBLEMS)
    assert any(
        problems.values.get((r, 2)) == "R001" and problems.values.get((r, 4)) == "Biểu 01"
        for r in range(4, 9)
    )
    state, _ = press(_with_rules(master, ODD_TABLE_RULE), excel.nhap_du_lieu_xa, paths=[odd])
    prompt, mode = state.alerts[-1]
    assert mode == "info", prompt
    assert prompt.startswith("Đã nhập 2 thôn của 1 xã từ 1 tệp vào trang 'Dữ liệu' theo 1 quy tắc ở trang")
    # The village column, the commune and the criteria columns are the rule's; row 5 is ignored.
    assert _data(state) == [("Đồng Lạc", "Nà Bó"), ("Đồng Lạc", "Cốc Thử")]
    computed, _ = press(state, excel.tinh_toan)
    assert computed.alerts[-1] == ("Đã tổng hợp 2 thôn của 1 xã; 0 thôn đạt chuẩn (19/19 tiêu chí).", "info")
    from_command = summarize([odd], CRITERIA, rules=parse_rules(RULES))
    assert _notice_lines(computed)[:-1] == list(notice_sections(from_command).lines)


def test_a_rule_can_choose_the_verdict_for_a_commune(master: Workbook, tmp_path: Path) -> None:
    """A file the reader reads on its own: the rule makes the self-assessment count, by commune."""
    two = families.two_verdicts(tmp_path)
    by_commune = {"ten": "Phủ Thông tự đánh giá", "xa_ap_dung": "Phủ Thông", "danh_gia": "tu_danh_gia"}
    reviewer_misses_17 = "- Tiêu chí số 17 (Môi trường): 01 thôn (Khuổi Lừa)."
    for rules in ((), (by_commune,)):
        state, _ = press(_with_rules(master, *rules), excel.nhap_du_lieu_xa, paths=[two])
        computed, _ = press(state, excel.tinh_toan)
        command = summarize([two], CRITERIA, rules=parse_rules(_toml(by_commune)) if rules else None)
        lines = _notice_lines(computed)
        assert lines[:-1] == list(notice_sections(command).lines)
        # The reviewer's verdict counts by default; the village's own once the rule says so.
        assert (reviewer_misses_17 in lines) is (not rules)
        assert "- Tiêu chí số 10 (Thu nhập): 01 thôn (Nà Pài)." in lines


def _toml(rule: dict[str, object]) -> str:
    return "[[quy_tac]]\n" + "".join(f'{key} = "{value}"\n' for key, value in rule.items())


@pytest.mark.parametrize(
    ("rule", "key", "message"),
    [
        ({"cot_thon": 2}, "cot_thon", "cột phải ghi bằng chữ như trong Excel ('B', 'AA'), gặp 2."),
        ({"dong_tieu_de": "ba"}, "dong_tieu_de", "dòng phải là số từ 1, gặp 'ba'."),
        ({"danh_gia": "huyện"}, "danh_gia", "'danh_gia' cần 'tham_dinh' hoặc 'tu_danh_gia', gặp 'huyện'."),
        ({"cot_tieu_chi": "1=C; 2"}, "cot_tieu_chi", "cột phải ghi bằng chữ như trong Excel"),
        ({"tep": None, "xa": "Đồng Lạc"}, "tep", "cần 'tep' (mẫu tên tệp) hoặc 'xa_ap_dung'"),
    ],
)
def test_a_rule_that_does_not_parse_is_named_by_its_cell(
    master: Workbook, tmp_path: Path, rule: dict[str, object], key: str, message: str
) -> None:
    bad = {**ODD_TABLE_RULE, **rule}
    state = _with_rules(master, ODD_TABLE_RULE, {k: v for k, v in bad.items() if v is not None})
    sheet = state.sheet(RULES_SHEET)
    head = next(r for (r, c), v in sheet.values.items() if c == 0 and v == "ten")
    column = next(c for (r, c), v in sheet.values.items() if r == head and v == key)
    cell = f"{chr(65 + column)}{head + 3}"  # the second rule's row
    pressed, actions = press(state, excel.nhap_du_lieu_xa, paths=[_odd_table(tmp_path)])
    prompt, mode = pressed.alerts[-1]
    assert mode == "critical"
    assert prompt.startswith(f"Trang 'Quy tắc đọc', ô {cell}: {message}")
    assert "Traceback" not in prompt and "lỗi ngoài dự kiến" not in prompt
    assert not [a for a in actions if a["func"] in WRITE_ACTIONS]  # nothing read, nothing written


def test_a_value_under_no_key_is_named_by_its_cell(master: Workbook, tmp_path: Path) -> None:
    state = _with_rules(master, ODD_TABLE_RULE)
    sheet = state.sheet(RULES_SHEET)
    head = next(r for (r, c), v in sheet.values.items() if c == 0 and v == "ten")
    sheet.values[(head + 1, 14)] = "cột O"  # right of the last key
    pressed, _ = press(state, excel.nhap_du_lieu_xa, paths=[_odd_table(tmp_path)])
    prompt, mode = pressed.alerts[-1]
    assert mode == "critical"
    assert prompt.startswith(f"Trang 'Quy tắc đọc', ô O{head + 2}: cột này không có tên khóa ở dòng tiêu đề")


def test_a_workbook_made_before_the_sheet_still_imports(master: Workbook, demo_files: list[Path]) -> None:
    older = Workbook(master.name, [s for s in master.sheets if s.name != RULES_SHEET], master.names)
    state, _ = press(older, excel.nhap_du_lieu_xa, paths=demo_files[:1])
    assert state.alerts[-1][1] == "info", state.alerts[-1][0]


# --- the round trip through "Dữ liệu" ---------------------------------------------------------


def _indicator_file(folder: Path) -> Path:
    """Income (10.1) and poverty rate (11.1) before their criterion's result; the period on top."""
    values = {10: "10.1 Thu nhập (triệu đồng)", 11: "Tỷ lệ hộ nghèo (%)"}
    top: list[object] = ["STT", "Tên thôn"]
    sub: list[object] = ["", ""]
    merges: list[Merge] = [(2, 0, 3, 0), (2, 1, 3, 1)]
    for number in NUMBERS:
        label, col = values.get(number), len(top)
        top += [f"Tiêu chí {number}", ""] if label else [f"Tiêu chí {number}"]
        sub += [label, "Kết quả"] if label else [""]
        merges.append((2, col, 2, col + 1) if label else (2, col, 3, col))

    def row(i: int, village: str, bad: set[int], income: object, poverty: object) -> list[object]:
        out: list[object] = [i, village]
        for number in NUMBERS:
            mark = NOT_MET if number in bad else MET
            out += [income, mark] if number == 10 else [poverty, mark] if number == 11 else [mark]
        return out

    rows: list[list[object]] = [
        ["UBND XÃ QUANG THUẬN"],
        ["Kỳ đánh giá: 6 tháng đầu năm 2024"],
        top,
        sub,
        row(1, "Nà Rào", set(), 38, "12,5%"),  # "Đạt" with an income under 45: C001
        row(2, "Khuổi Cuồng", {10, 11}, "46 triệu", "chưa điều tra"),  # C002 and C003
    ]
    return write_book(folder / "quang-thuan.xlsx", [CommuneSheet("Biểu", rows, merges)])


def _codes(state: Workbook) -> list[object]:
    return [row[2] for row in _cells(state, PROBLEMS)[4:] if str(row[2]).startswith("C")]


def test_the_buttons_and_the_command_agree_on_disagreements_and_indicators(
    master: Workbook, tmp_path: Path
) -> None:
    verdicts = [families.two_verdicts(tmp_path), families.two_verdict_blocks(tmp_path)]
    shapes = [
        families.pair_columns(tmp_path),
        families.numeric_marks(tmp_path),
        families.unmet_list(tmp_path),
    ]
    indicators = _indicator_file(tmp_path)
    files = [*verdicts, *shapes, indicators]
    # Two imports: the second keeps the first one's other verdicts on the sheet.
    state, _ = press(master, excel.nhap_du_lieu_xa, paths=[*verdicts, *shapes])
    state, _ = press(state, excel.nhap_du_lieu_xa, paths=[indicators])
    assert state.alerts[-1][1] == "info", state.alerts[-1][0]
    computed, _ = press(state, excel.tinh_toan)
    assert computed.alerts[-1][1] == "info", computed.alerts[-1][0]
    command = summarize(files, CRITERIA)
    assert command.disagreements and command.indicator_checks  # the files exercise both

    # Counts, whatever layout the marks came in (sub-columns, 1/0, lists of unmet criteria).
    notice = [row[0] for row in _cells(computed, NOTICE)[2:]]
    assert notice == [*notice_sections(command).lines, "(Có biểu chi tiết kèm theo)"]

    # Disagreements: the same rows; the cells they name are those of "Dữ liệu" holding each verdict.
    sheet = _cells(computed, DISAGREEMENTS)
    expected = _plain(sheet_grid(disagreement_sheet(command)))
    assert len(sheet) == len(expected) == 4 + len(command.disagreements)
    assert [row[:6] for row in sheet] == [row[:6] for row in expected]
    data = computed.sheet(DATA_SHEET)
    for row in sheet[4:]:
        own, reviewer = (
            data.values[xl_cell_to_rowcol(str(row[6]))],
            data.values[xl_cell_to_rowcol(str(row[7]))],
        )
        assert (own, reviewer) == (row[4], row[5])
        assert str(data.values[(xl_cell_to_rowcol(str(row[7]))[0], 1)]) == row[2]  # the village's own row

    # Indicator checks: the same values, thresholds and results ("Vị trí" is the sheet's own cell).
    checks = _cells(computed, INDICATOR_SHEET)
    expected = _plain(sheet_grid(indicator_sheet(command)))
    assert len(checks) == len(expected) == 4 + len(command.indicator_checks)
    assert [row[:11] for row in checks] == [row[:11] for row in expected]
    assert [row[10] for row in checks[4:]] == ["Chưa đạt", "Đạt", "Đạt", "Không đọc được"]
    # And the warnings they raise.
    assert _codes(computed) == [p.code for p in command.problems if p.code.startswith("C")]
    assert _codes(computed) == ["C001", "C003", "C002"]


def test_a_clerks_correction_of_a_self_assessment_is_counted(master: Workbook, tmp_path: Path) -> None:
    state, _ = press(master, excel.nhap_du_lieu_xa, paths=[families.two_verdicts(tmp_path)])
    before, _ = press(state, excel.tinh_toan)
    disagreements = _cells(before, DISAGREEMENTS)[4:]
    assert [(row[2], row[4], row[5]) for row in disagreements] == [
        ("Nà Pài", "Đạt", "Chưa đạt"),
        ("Khuổi Lừa", "Đạt", "Chưa đạt"),
    ]
    # The clerk learns Nà Pài's own assessment did say "Chưa đạt" for criterion 11.
    edited = state.apply([])
    edited.sheet(DATA_SHEET).values[xl_cell_to_rowcol(str(disagreements[0][6]))] = "Chưa đạt"
    after, _ = press(edited, excel.tinh_toan)
    assert [row[2] for row in _cells(after, DISAGREEMENTS)[4:]] == ["Khuổi Lừa"]
