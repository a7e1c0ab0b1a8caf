"""`explain` says how each sheet was read; reading rules fix what detection cannot decide."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

import ntm_xl
from ntm_xl import load_criteria, notice_sections, summarize
from ntm_xl._cli import EXIT_INPUT_ERRORS, EXIT_OK, EXIT_USAGE, main
from ntm_xl._common._errors import UsageError
from ntm_xl._read import parse_rules, rules_from_rows
from tests.corpus import families
from tests.corpus.families import CommuneSheet, header, marks, write_book

CRITERIA = load_criteria()
N = len(CRITERIA)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_explain_names_roles_evidence_and_commune_sources(tmp_path: Path) -> None:
    reading = ntm_xl.explain(families.district_group_rows(tmp_path))
    lines = ntm_xl.explanation_text([reading], CRITERIA).splitlines()
    assert lines[:4] == [
        "Tệp district-groups.xlsx:",
        "  Trang 'Ba Bể': bảng thôn theo dòng (mỗi dòng một thôn, mỗi tiêu chí một cột); "
        "tiêu đề bảng ở dòng 2.",
        "    Tiêu đề: UBND HUYỆN BA BỂ",
        "    Cột A: số thứ tự; căn cứ: tiêu đề 'STT'.",
    ]
    assert "    Cột B: tên thôn; căn cứ: tiêu đề 'Đơn vị'." in lines
    assert (
        "    Cột I: tiêu chí số 7 (Cơ sở vật chất văn hoá), kết quả; căn cứ: số tiêu chí trong 'TC7'."
        in lines
    )
    assert (
        "    Dòng 3: dòng nhóm xã ('I. Xã Hà Hiệu (02 thôn)': xã Hà Hiệu), "
        "không tính: I | I. Xã Hà Hiệu (02 thôn)" in lines
    )
    assert "    Dòng 13: dòng cộng, tổng ('Tổng số'), không tính: Tổng số" in lines
    assert "    Thôn Pù Mắt (ô B7): xã Chu Hương, theo dòng nhóm ở ô B6." in lines
    assert lines[-1] == "  Cộng: 7 thôn."


def test_explain_shows_hidden_sheets_self_columns_and_file_name_communes(tmp_path: Path) -> None:
    text = ntm_xl.explanation_text(
        [
            ntm_xl.explain(families.hidden_sheet_and_struck_row(tmp_path)),
            ntm_xl.explain(families.two_verdicts(tmp_path)),
            ntm_xl.explain(families.commune_by_file_name(tmp_path)),
        ],
        CRITERIA,
    )
    lines = text.splitlines()
    assert "  Trang 'Năm 2023': đang bị ẩn, không đọc." in lines
    assert (
        "    Cột W: tiêu chí số 11 (Nghèo đa chiều), tự đánh giá (không tính, chỉ để đối chiếu); "
        "căn cứ: số tiêu chí trong 'TC11', cột con 'Thôn tự đánh giá'." in lines
    )
    assert (
        "    Cột X: tiêu chí số 11 (Nghèo đa chiều), kết quả, đánh giá của người thẩm định (được tính); "
        "căn cứ: số tiêu chí trong 'TC11', cột con 'UBND xã thẩm định'." in lines
    )
    assert "    Thôn Cốc Pái (ô B2): xã Tân Tú, theo tên tệp 'Xã Tân Tú.xlsx' (cần kiểm tra lại)." in lines


def test_explain_command_prints_and_writes_a_coloured_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = families.combined_district(tmp_path)
    before = _digest(source)
    out = tmp_path / "giai-thich.xlsx"
    assert main(["explain", str(source), "-o", str(out)]) == EXIT_OK
    printed = capsys.readouterr().out
    assert "  Trang 'Kỳ trước': đang bị ẩn, không đọc." in printed
    assert "    Dòng 15: phần ký tên ('Người lập biểu'), không tính:" in printed
    assert _digest(source) == before
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Tổng hợp", "Kỳ trước", "Chú giải"]
    table = book["Tổng hợp"]
    assert table["C6"].value == "Bản Mún" and table["C6"].fill.fgColor.rgb == "FFA9D08E"  # village
    assert table["B6"].fill.fgColor.rgb == "FF9BC2E6"  # commune
    assert table["AF6"].value == 86.5 and table["AF6"].fill.fgColor.rgb == "FFFFF2CC"  # indicator
    assert table["B8"].fill.fgColor.rgb == "FFBFBFBF"  # subtotal
    legend = [c.value for c in book["Chú giải"]["B"] if c.value]
    assert "Cột tên thôn" in legend and "Dòng phần ký tên" in legend
    assert "  Trang 'Kỳ trước': đang bị ẩn, không đọc." in legend


def test_explain_refuses_to_write_over_its_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = families.title_caption(tmp_path)
    before = _digest(source)
    assert main(["explain", str(source), "-o", str(source)]) == EXIT_USAGE
    assert "trùng với một tệp đầu vào" in capsys.readouterr().err
    assert _digest(source) == before


# --- reading rules -------------------------------------------------------------------------------


def _odd_table(folder: Path) -> Path:
    """A table detection cannot read: no village header word, criteria headed "ND 1"...,
    marks "Hoàn thành" / "Chưa hoàn thành", a row of last year's figures inside it."""
    rows: list[list[object]] = [
        ["BÁO CÁO NĂM 2024"],
        [],
        ["Số", "Địa bàn", *[f"ND {n}" for n in CRITERIA.numbers]],
        [1, "Nà Bó", *marks([10], met="Hoàn thành", miss="Chưa hoàn thành")],
        ["", "Năm 2023", *marks([10, 11], met="Hoàn thành", miss="Chưa hoàn thành")],
        [2, "Cốc Thử", *marks([10, 11], met="Hoàn thành", miss="Chưa hoàn thành")],
    ]
    other = CommuneSheet("Ghi chép", [["Thôn", *header("number")], ["Nháp", *marks([])]])
    return write_book(folder / "dong-lac-2024.xlsx", [other, CommuneSheet("Biểu 01", rows)])


RULES = """
[[quy_tac]]
ten = "Đồng Lạc"
tep = "dong-lac-*.xlsx"
trang = "Biểu 01"
dong_tieu_de = [3, 3]
cot_thon = "B"
xa = "Đồng Lạc"
cot_tieu_chi_dau = "C"
dat = ["Hoàn thành"]
chua_dat = ["Chưa hoàn thành"]
bo_dong = [5]
"""


def test_without_a_rule_the_odd_table_is_not_misread(tmp_path: Path) -> None:
    summary = summarize([_odd_table(tmp_path)], CRITERIA)
    assert [(v.village) for v in summary.villages] == []
    assert [(p.code, p.sheet, p.cell) for p in summary.problems] == [
        ("R007", "Ghi chép", "A2"),
        ("R001", "Biểu 01", ""),
    ]


def test_a_rule_reads_the_odd_table(tmp_path: Path) -> None:
    rules_file = tmp_path / "quy-tac.toml"
    rules_file.write_text(RULES, encoding="utf-8")
    summary = summarize([_odd_table(tmp_path)], CRITERIA, rules=rules_file)
    assert summary.problems == ()
    assert notice_sections(summary).count_lines == (
        "- Số thôn đạt 17 tiêu chí: 01 thôn (Cốc Thử xã Đồng Lạc).",
        "- Số thôn đạt 18 tiêu chí: 01 thôn (Nà Bó xã Đồng Lạc).",
    )
    reading = ntm_xl.explain(_odd_table(tmp_path), rules=rules_file)
    lines = ntm_xl.explanation_text([reading], CRITERIA).splitlines()
    assert lines[1] == "  Dùng quy tắc đọc 'Đồng Lạc'."
    ignored = "    Dòng 5: bỏ qua (theo quy tắc đọc), không tính: Năm 2023 | Hoàn thành | "
    assert next(line for line in lines if line.startswith("    Dòng 5:")).startswith(ignored)
    assert "    Cột C: tiêu chí số 1 (Ban phát triển thôn), kết quả; căn cứ: theo quy tắc đọc." in lines
    assert "    Thôn Nà Bó (ô B4): xã Đồng Lạc, theo quy tắc đọc 'Đồng Lạc'." in lines


def test_a_rule_that_does_not_fit_is_an_error_never_a_misread(tmp_path: Path) -> None:
    rules = parse_rules(RULES.replace('cot_tieu_chi_dau = "C"', 'cot_tieu_chi = { 1 = "C", 2 = "Z" }'))
    summary = summarize([_odd_table(tmp_path)], CRITERIA, rules=rules)
    assert [(p.code, p.sheet, p.cell) for p in summary.problems] == [
        ("R005", "Biểu 01", "B3"),
        ("R019", "Biểu 01", "Z3"),
    ]
    assert summary.villages == ()
    wrong_sheet = parse_rules(RULES.replace('trang = "Biểu 01"', 'trang = "Biểu 02"'))
    summary = summarize([_odd_table(tmp_path)], CRITERIA, rules=wrong_sheet)
    assert [(p.code, p.sheet) for p in summary.problems] == [("R019", "")]
    assert "tệp không có trang tính 'Biểu 02'" in summary.problems[0].message


def test_a_rule_whose_column_names_another_criterion_is_an_error(tmp_path: Path) -> None:
    source = families.title_caption(tmp_path)
    rules = parse_rules('[[quy_tac]]\ntep = "title-*"\ncot_tieu_chi = { 1 = "D" }\n')
    summary = summarize([source], CRITERIA, rules=rules)
    codes = [(p.code, p.cell) for p in summary.problems]
    assert ("R019", "D4") in codes and ("R005", "B4") in codes
    assert summary.villages == ()


def test_a_rule_chooses_which_verdict_counts_and_applies_by_commune(tmp_path: Path) -> None:
    rules = parse_rules('[[quy_tac]]\nxa_ap_dung = "Phủ Thông"\ndanh_gia = "tu_danh_gia"\n')
    summary = summarize([families.two_verdicts(tmp_path)], CRITERIA, rules=rules)
    assert notice_sections(summary).deficiency_lines == ("- Tiêu chí số 10 (Thu nhập): 01 thôn (Nà Pài).",)


def test_rules_from_a_sheet_of_rows() -> None:
    rules = rules_from_rows(
        [
            ("Quy tắc đọc biểu của xã",),
            ("ten", "tep", "cot_thon", "dong_tieu_de", "bo_dong", "cot_tieu_chi", "dat"),
            ("Đồng Lạc", "dong-lac-*.xlsx", "B", "3", "5; 6", "1=C; 2=D", "Hoàn thành"),
        ]
    )
    (rule,) = rules.rules
    assert (rule.name, rule.files, rule.village_column, rule.header_rows) == (
        "Đồng Lạc",
        "dong-lac-*.xlsx",
        1,
        (2, 2),
    )
    assert rule.ignore_rows == frozenset({4, 5}) and dict(rule.criterion_columns) == {1: 2, 2: 3}
    assert rule.met_words == ("Hoàn thành",)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("[[quy_tac]]\ncot_thon = 'B'\n", "Tệp quy tắc đọc 'r.toml', quy tắc thứ 1: cần 'tep'"),
        (
            "[[quy_tac]]\ntep = '*'\ncot_thon = 2\n",
            "Tệp quy tắc đọc 'r.toml', quy tắc thứ 1: cột phải ghi bằng chữ",
        ),
        (
            "[[quy_tac]]\ntep = '*'\nmau = 1\n",
            "Tệp quy tắc đọc 'r.toml', quy tắc thứ 1: không hiểu khóa 'mau'",
        ),
        ("[[quy_tac]\n", "Tệp quy tắc đọc 'r.toml' sai cú pháp TOML"),
    ],
)
def test_a_bad_rules_file_is_a_usage_error(text: str, start: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_rules(text, "r.toml")
    assert str(caught.value).startswith(start)


def test_rules_option_on_the_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules_file = tmp_path / "quy-tac.toml"
    rules_file.write_text(RULES, encoding="utf-8")
    source = _odd_table(tmp_path)
    assert main(["check", str(source), "--rules", str(rules_file)]) == EXIT_OK
    assert main(["check", str(source)]) == EXIT_INPUT_ERRORS
    out = tmp_path / "th.xlsx"
    assert main(["summarize", str(source), "-o", str(out), "--rules", str(rules_file)]) == EXIT_OK
    assert main(["explain", str(source), "--rules", str(rules_file)]) == EXIT_OK
    assert "Dùng quy tắc đọc 'Đồng Lạc'." in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text("[[quy_tac]]\n", encoding="utf-8")
    assert main(["check", str(source), "--rules", str(bad)]) == EXIT_USAGE
