"""Marks in every shape communes use: words with shares, 1/0 columns, "Đạt" | "Chưa đạt" pairs,
lists of unmet criteria, two verdicts, one village on a summary sheet and on its own sheet."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from ntm_xl import CriteriaSet, Location, Severity, Summary, summarize, write_summary_workbook
from ntm_xl._check._registry import apply_registry, registry_from_pairs
from ntm_xl._cli import summary_line
from ntm_xl._pipeline import summary_from_entries
from ntm_xl._values._marks import Mark, MarkReading, parse_unmet_list, read_mark
from ntm_xl._values._model import Disagreement, MarkCell, MarkSource, VillageEntry

from ..conftest import marks_row, write_table

FILE = Path("xa-thuan-mang.xlsx")
SHEET = "Biểu"


def entry(
    village: str,
    marks: list[MarkCell],
    *,
    row: int = 4,
    commune: str = "Thuần Mang",
    sheet: str = SHEET,
    file: Path = FILE,
    **extra: object,
) -> VillageEntry:
    return VillageEntry(commune, village, tuple(marks), Location(file, sheet, f"B{row + 1}"), **extra)  # type: ignore[arg-type]


def cells(
    criteria: CriteriaSet, values: list[object], *, row: int = 4, first_col: int = 2, **kw: object
) -> list[MarkCell]:
    return [
        MarkCell(c.number, value, row, first_col + i, **kw)  # type: ignore[arg-type]
        for i, (c, value) in enumerate(zip(criteria.criteria, values, strict=True))
    ]


def located(summary: Summary) -> list[tuple[str, str, str]]:
    return [(p.code, p.sheet, p.cell) for p in summary.problems]


def judged(criteria: CriteriaSet, *entries: VillageEntry) -> Summary:
    return summary_from_entries(entries, (), criteria)


# --- one cell per criterion -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("Đạt (100%)", MarkReading.MET),
        ("Chưa đạt (85%)", MarkReading.NOT_MET),
        ("Đạt ( 92,5 % )", MarkReading.MET),
        ("CHƯA ĐẠT (0%)", MarkReading.NOT_MET),
        ("(100%)", MarkReading.UNKNOWN),
    ],
)
def test_words_with_the_share_of_indicators_reached(text: str, reading: MarkReading) -> None:
    assert read_mark(text) is reading


def test_words_with_shares_read_from_a_file(tmp_path: Path, criteria: CriteriaSet) -> None:
    marks = marks_row(criteria, [7, 10], met="Đạt (100%)", missing="Chưa đạt (85%)")
    path = write_table(
        tmp_path / "ty-le.xlsx", {"S": [["Xã: Thuần Mang"], ["Thôn", *criteria.numbers], ["Nà Ngần", *marks]]}
    )
    summary = summarize([path], criteria)
    assert summary.problems == ()
    assert [(v.village, v.not_met) for v in summary.villages] == [("Nà Ngần", (7, 10))]


def test_a_column_of_one_and_zero_marks(criteria: CriteriaSet) -> None:
    values: list[object] = [1] * len(criteria)
    values[6], values[9] = 0, 0.0
    summary = judged(criteria, entry("Nà Ngần", cells(criteria, values, numeric=True)))
    assert summary.problems == ()
    (village,) = summary.villages
    assert village.not_met == (7, 10) and village.met_count == 17


def test_other_numbers_in_a_one_and_zero_column_are_errors(criteria: CriteriaSet) -> None:
    values: list[object] = [1] * len(criteria)
    values[3] = 2
    summary = judged(criteria, entry("Nà Ngần", cells(criteria, values, numeric=True)))
    assert located(summary) == [("M007", SHEET, "F5")]
    assert summary.villages == () and [e.reason for e in summary.excluded] == ["thiếu hoặc sai đánh giá"]


def test_a_number_in_a_column_of_words_stays_an_error(criteria: CriteriaSet) -> None:
    values: list[object] = list(marks_row(criteria, []))
    values[0] = 1
    summary = judged(criteria, entry("Nà Ngần", cells(criteria, values)))
    assert located(summary) == [("M003", SHEET, "C5")]


# --- "Đạt" | "Chưa đạt" pairs -----------------------------------------------------------------


def pair_cells(criteria: CriteriaSet, pairs: list[tuple[object, object]], row: int = 4) -> list[MarkCell]:
    """Criterion n in columns C+2(n-1) ("Đạt") and the one right of it ("Chưa đạt")."""
    return [
        MarkCell(c.number, met, row, 2 + 2 * i, MarkSource.PAIR, other, 3 + 2 * i)
        for i, (c, (met, other)) in enumerate(zip(criteria.criteria, pairs, strict=True))
    ]


def test_pair_columns_give_one_mark_per_criterion(criteria: CriteriaSet) -> None:
    pairs: list[tuple[object, object]] = [("x", "")] * len(criteria)
    pairs[6] = ("", "x")
    pairs[9] = ("-", "X")
    pairs[10] = (0, 1)
    pairs[11] = ("✓", "-")
    pairs[12] = ("", "Chưa đạt")
    summary = judged(criteria, entry("Khuổi Hóp", pair_cells(criteria, pairs)))
    assert summary.problems == ()
    assert summary.villages[0].not_met == (7, 10, 11, 13)


def test_pair_with_both_or_neither_marked_is_an_error_naming_both_cells(criteria: CriteriaSet) -> None:
    pairs: list[tuple[object, object]] = [("x", "")] * len(criteria)
    pairs[0] = ("x", "x")  # C5 and D5
    pairs[2] = ("", "")  # G5 and H5
    pairs[3] = ("Tốt", "")  # I5
    summary = judged(criteria, entry("Khuổi Hóp", pair_cells(criteria, pairs)))
    assert located(summary) == [("M008", SHEET, "C5"), ("M009", SHEET, "G5"), ("M010", SHEET, "I5")]
    both, neither, _ = summary.problems
    assert (both.params["met_cell"], both.params["not_met_cell"]) == ("C5", "D5")
    assert (neither.params["met_cell"], neither.params["not_met_cell"]) == ("G5", "H5")
    assert summary.villages == ()


def test_pair_columns_left_wholly_blank_are_one_error(criteria: CriteriaSet) -> None:
    summary = judged(criteria, entry("Khuổi Hóp", pair_cells(criteria, [("", "")] * len(criteria))))
    assert located(summary) == [("M001", SHEET, "B5")]


# --- the unmet-list layout ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("TC 7, 10, 11", (7, 10, 11)),
        ("7; 10; 11", (7, 10, 11)),
        ("Tiêu chí 10, 11", (10, 11)),
        ("7, 10 và 11", (7, 10, 11)),
        ("TC7, TC10", (7, 10)),
        ("Tiêu chí số 07, số 10.", (7, 10)),
        ("Các tiêu chí: 7, 10", (7, 10)),
        ("TC 7 (Cơ sở vật chất văn hoá), 10 (Thu nhập)", (7, 10)),
        ("Giao thông, Thu nhập", (4, 10)),
        ("Hương ước, quy ước; 7", (2, 7)),
        ("7-9", (7, 8, 9)),
        ("Không", ()),
        ("Không có", ()),
        ("KHÔNG.", ()),
        (10.0, (10,)),
    ],
)
def test_unmet_lists_as_communes_write_them(
    criteria: CriteriaSet, text: object, numbers: tuple[int, ...]
) -> None:
    names = [(c.number, (c.short_name, c.name, *c.aliases)) for c in criteria.criteria]
    parsed = parse_unmet_list(text, names)
    assert parsed.understood and parsed.numbers == numbers


def test_blank_and_unknown_items_in_an_unmet_list(criteria: CriteriaSet) -> None:
    names = [(c.number, (c.short_name,)) for c in criteria.criteria]
    assert parse_unmet_list("", names).blank
    assert parse_unmet_list(None, names).blank
    wrong = parse_unmet_list("TC 7, Tốt, 21", names)
    assert (wrong.numbers, wrong.unknown, wrong.outside) == ((7,), ("Tốt",), (21,))


def list_entry(
    criteria: CriteriaSet, village: str, text: object, count: object, row: int = 4
) -> VillageEntry:
    """STT | Thôn | Số tiêu chí đạt (C) | Các tiêu chí chưa đạt (D)."""
    marks = [MarkCell(c.number, text, row, 3, MarkSource.UNMET_LIST) for c in criteria.criteria]
    return entry(village, marks, row=row, reported_count=count, reported_count_cell=f"C{row + 1}")


def test_unmet_list_gives_the_village_its_marks(criteria: CriteriaSet) -> None:
    summary = judged(
        criteria,
        list_entry(criteria, "Nà Ngần", "TC 7, 10, 11", 16),
        list_entry(criteria, "Khuổi Hóp", "Không", "19/19", row=5),
        list_entry(criteria, "Nà Mực", "10", "", row=6),
    )
    assert summary.problems == ()
    assert [(v.village, v.met_count, v.not_met) for v in summary.villages] == [
        ("Nà Ngần", 16, (7, 10, 11)),
        ("Khuổi Hóp", 19, ()),
        ("Nà Mực", 18, (10,)),
    ]


def test_unmet_list_problems_are_at_the_list_cell(criteria: CriteriaSet) -> None:
    summary = judged(
        criteria,
        list_entry(criteria, "Nà Ngần", "TC 7, abc", 17),
        list_entry(criteria, "Khuổi Hóp", "TC 21", 18, row=5),
        list_entry(criteria, "Nà Mực", "", 19, row=6),
    )
    assert located(summary) == [("M011", SHEET, "D5"), ("M012", SHEET, "D6"), ("M013", SHEET, "D7")]
    assert summary.villages == ()
    assert [e.village for e in summary.excluded] == ["Nà Ngần", "Khuổi Hóp", "Nà Mực"]


def test_stated_count_disagreeing_with_the_list_is_an_error_naming_both_cells(criteria: CriteriaSet) -> None:
    # The count and the list are typed separately: which is the typo only the commune knows,
    # and either way the notice's lines would be wrong, so the village waits for the fix.
    summary = judged(criteria, list_entry(criteria, "Nà Ngần", "7, 10", 18))
    assert located(summary) == [("M014", SHEET, "C5")]
    (error,) = summary.problems
    assert (error.severity, error.params["count_cell"], error.params["list_cell"]) == (
        Severity.ERROR,
        "C5",
        "D5",
    )
    assert (error.params["counted"], summary.villages) == (17, ())


# --- two verdicts -----------------------------------------------------------------------------


def two_verdicts(
    criteria: CriteriaSet, village: str, own: set[int], reviewer: set[int], row: int = 4
) -> VillageEntry:
    """Criterion n's own assessment in column C+2(n-1), the reviewer's right of it."""
    own_marks = [
        MarkCell(c.number, "Chưa đạt" if c.number in own else "Đạt", row, 2 + 2 * i)
        for i, c in enumerate(criteria.criteria)
    ]
    reviewed = [
        MarkCell(c.number, "Chưa đạt" if c.number in reviewer else "Đạt", row, 3 + 2 * i)
        for i, c in enumerate(criteria.criteria)
    ]
    return entry(village, reviewed, row=row, self_marks=tuple(own_marks))


def test_the_reviewers_verdict_counts_and_every_disagreement_is_listed(
    tmp_path: Path, criteria: CriteriaSet
) -> None:
    summary = judged(
        criteria,
        two_verdicts(criteria, "Nà Ngần", own={10}, reviewer={7, 10, 11}),
        two_verdicts(criteria, "Khuổi Hóp", own={11}, reviewer={11}, row=5),
    )
    assert summary.problems == ()
    assert [(v.village, v.not_met) for v in summary.villages] == [
        ("Nà Ngần", (7, 10, 11)),
        ("Khuổi Hóp", (11,)),
    ]
    location = Location(FILE, SHEET, "B5")
    assert summary.disagreements == (
        Disagreement("Thuần Mang", "Nà Ngần", 7, Mark.MET, Mark.NOT_MET, "O5", "P5", location),
        Disagreement("Thuần Mang", "Nà Ngần", 11, Mark.MET, Mark.NOT_MET, "W5", "X5", location),
    )
    assert "; 2 tiêu chí ở 1 thôn có tự đánh giá khác kết quả thẩm định" in summary_line(summary)

    book = openpyxl.load_workbook(write_summary_workbook(tmp_path / "th.xlsx", summary))
    sheet = book["Chênh lệch đánh giá"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4, max_row=6)]
    assert rows == [
        [
            "STT",
            "Xã",
            "Thôn",
            "Tiêu chí",
            "Tự đánh giá",
            "Thẩm định",
            "Ô tự đánh giá",
            "Ô thẩm định",
            "Tệp, trang",
        ],
        [
            1,
            "Thuần Mang",
            "Nà Ngần",
            "7. Cơ sở vật chất văn hoá",
            "Đạt",
            "Chưa đạt",
            "O5",
            "P5",
            f"{FILE.name}, trang 'Biểu'",
        ],
        [
            2,
            "Thuần Mang",
            "Nà Ngần",
            "11. Nghèo đa chiều",
            "Đạt",
            "Chưa đạt",
            "W5",
            "X5",
            f"{FILE.name}, trang 'Biểu'",
        ],
    ]


def test_an_unreadable_self_assessment_is_a_warning_and_not_compared(criteria: CriteriaSet) -> None:
    village = two_verdicts(criteria, "Nà Ngần", own=set(), reviewer={7})
    own = list(village.self_marks)
    own[6] = MarkCell(7, "Tốt", 4, 14)
    own[9] = MarkCell(10, "", 4, 20)  # no self-assessment for this criterion: nothing to say
    from dataclasses import replace

    summary = judged(criteria, replace(village, self_marks=tuple(own)))
    assert located(summary) == [("M017", SHEET, "O5")]
    assert summary.disagreements == () and summary.villages[0].not_met == (7,)


def test_disagreements_follow_the_registry(criteria: CriteriaSet) -> None:
    summary = judged(
        criteria,
        two_verdicts(criteria, "NÀ NGẦN", own=set(), reviewer={7}),
        two_verdicts(criteria, "Nà Lạ", own=set(), reviewer={7}, row=5),
    )
    checked = apply_registry(summary, registry_from_pairs([("Thuần Mang", "Nà Ngần")]))
    assert [(d.village, d.criterion) for d in checked.disagreements] == [("Nà Ngần", 7)]


def test_cli_summary_line_counts_disagreements(tmp_path: Path, criteria: CriteriaSet) -> None:
    summary = judged(criteria, two_verdicts(criteria, "Nà Ngần", own=set(), reviewer={7, 10}))
    assert summary_line(summary) == (
        "Đã tổng hợp 1 thôn của 1 xã; 0 thôn chưa được tính do lỗi dữ liệu; 2 tiêu chí ở 1 thôn có tự "
        "đánh giá khác kết quả thẩm định (tính theo thẩm định, xem trang 'Chênh lệch đánh giá')."
    )


# --- one village on a summary sheet and on its own sheet -----------------------------------------


def village_sheet(criteria: CriteriaSet, village: str, not_met: list[int]) -> VillageEntry:
    """One sheet per village: its name in A2, criteria as rows from row 5, marks in column E."""
    marks = marks_row(criteria, not_met)
    return entry(
        village,
        [
            MarkCell(c.number, v, 4 + i, 4)
            for i, (c, v) in enumerate(zip(criteria.criteria, marks, strict=True))
        ],
        row=1,
        sheet=village,
    )


def test_same_village_on_two_sheets_of_one_file_counted_once_when_they_agree(criteria: CriteriaSet) -> None:
    summary_row = entry("Nà Ngần", cells(criteria, marks_row(criteria, [10])), sheet="Tổng hợp")
    own_sheet = village_sheet(criteria, "Nà Ngần", [10])
    summary = judged(criteria, summary_row, own_sheet)
    assert located(summary) == [("M015", "Nà Ngần", "B2")]
    assert summary.problems[0].severity is Severity.INFO
    assert [(v.village, v.location.sheet) for v in summary.villages] == [("Nà Ngần", "Tổng hợp")]
    assert summary.excluded == ()


def test_same_village_on_two_sheets_differing_is_an_error_naming_both_cells(criteria: CriteriaSet) -> None:
    summary_row = entry("Nà Ngần", cells(criteria, marks_row(criteria, [10])), sheet="Tổng hợp")
    own_sheet = village_sheet(criteria, "Nà Ngần", [7, 10])
    summary = judged(criteria, summary_row, own_sheet)
    assert located(summary) == [("M016", "Nà Ngần", "E11")]
    (error,) = summary.problems
    assert (error.params["first_cell"], error.params["first_sheet"], error.params["criterion"]) == (
        "I5",
        "Tổng hợp",
        7,
    )
    assert summary.villages == ()
    assert [(e.village, e.reason) for e in summary.excluded] == [
        ("Nà Ngần", "kết quả khác nhau giữa các trang")
    ]


def test_same_village_twice_on_one_sheet_or_in_two_files_stays_an_error(criteria: CriteriaSet) -> None:
    marks = marks_row(criteria, [])
    one_sheet = judged(
        criteria,
        entry("Nà Ngần", cells(criteria, marks)),
        entry("Nà Ngần", cells(criteria, marks, row=6), row=6),
    )
    assert located(one_sheet) == [("M006", SHEET, "B7")]
    two_files = judged(
        criteria,
        entry("Nà Ngần", cells(criteria, marks)),
        entry("Nà Ngần", cells(criteria, marks), file=Path("khac.xlsx"), sheet="Khác"),
    )
    assert located(two_files) == [("M006", "Khác", "B5")]


def _summary_beside_village_sheets(path: Path, criteria: CriteriaSet, village_not_met: set[int]) -> Path:
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    table = workbook.add_worksheet("Tổng hợp")
    table.write_string(0, 0, "UBND XÃ THUẦN MANG")
    table.write_row(2, 0, ["STT", "Tên thôn", *criteria.numbers])
    table.write_row(3, 0, [1, "Nà Ngần", *marks_row(criteria, [10])])
    table.write_row(4, 0, [2, "Khuổi Hóp", *marks_row(criteria, [10, 11])])
    sheet = workbook.add_worksheet("Nà Ngần")
    sheet.write_string(0, 0, "UBND XÃ THUẦN MANG")
    sheet.write_string(1, 0, "THÔN NÀ NGẦN")
    sheet.write_row(3, 0, ("TT", "Tên tiêu chí", "Nội dung", "Kết quả thực hiện", "Tự đánh giá"))
    for i, (c, mark) in enumerate(zip(criteria.criteria, marks_row(criteria, village_not_met), strict=True)):
        sheet.write_row(4 + i, 0, (c.number, c.name, "Theo hướng dẫn", "", mark))
    workbook.close()
    return path


def test_summary_sheet_beside_a_village_sheet_read_from_a_file(tmp_path: Path, criteria: CriteriaSet) -> None:
    agree = summarize([_summary_beside_village_sheets(tmp_path / "dong.xlsx", criteria, {10})], criteria)
    assert [(p.code, p.sheet, p.cell) for p in agree.problems] == [("M015", "Nà Ngần", "A2")]
    assert [(v.village, v.met_count) for v in agree.villages] == [("Nà Ngần", 18), ("Khuổi Hóp", 17)]
    differ = summarize([_summary_beside_village_sheets(tmp_path / "lech.xlsx", criteria, {7, 10})], criteria)
    assert [(p.code, p.sheet, p.cell) for p in differ.problems] == [("M016", "Nà Ngần", "E11")]
    assert [v.village for v in differ.villages] == ["Khuổi Hóp"]


# --- nothing dropped silently ------------------------------------------------------------------


def test_rows_the_reader_cannot_use_are_listed_and_every_count_agrees(
    tmp_path: Path, criteria: CriteriaSet
) -> None:
    marks = marks_row(criteria, [])
    entries = (
        entry("Nà Ngần", cells(criteria, marks)),
        entry("Ghi chú: số liệu đến 15/6", (), row=8, excluded_reason="dòng ghi chú, không phải thôn"),
        entry(
            "Khuổi Hóp",
            cells(criteria, marks, row=5),
            row=5,
            commune="",
            excluded_reason="không rõ thôn của xã nào",
        ),
        entry("Nà Mực", cells(criteria, [""] * len(criteria), row=6), row=6),
    )
    summary = judged(criteria, *entries)
    assert [(e.commune, e.village, e.reason) for e in summary.excluded] == [
        ("Thuần Mang", "Ghi chú: số liệu đến 15/6", "dòng ghi chú, không phải thôn"),
        ("Thuần Mang", "Nà Mực", "thiếu hoặc sai đánh giá"),
        ("(chưa rõ xã)", "Khuổi Hóp", "không rõ thôn của xã nào"),
    ]
    assert "; 3 thôn chưa được tính do lỗi dữ liệu." in summary_line(summary)
    assert sum(t.excluded for t in summary.tallies.commune_totals) == len(summary.excluded)

    book = openpyxl.load_workbook(write_summary_workbook(tmp_path / "th.xlsx", summary))
    rows = [[c.value for c in row] for row in book["Tổng hợp"].iter_rows()]
    head = next(i for i, r in enumerate(rows) if r[:2] == ["STT", "Xã"] and r[5] and "chưa tính" in r[5])
    per_commune = [r for r in rows[head + 1 :] if isinstance(r[0], int)][: len(summary.communes)]
    assert [(r[1], r[2], r[5]) for r in per_commune] == [("Thuần Mang", 1, 2), ("(chưa rõ xã)", 0, 1)]
    listed = next(i for i, r in enumerate(rows) if r[:4] == ["STT", "Xã", "Thôn", "Lý do"])
    assert [r[2] for r in rows[listed + 1 : listed + 4]] == [
        "Ghi chú: số liệu đến 15/6",
        "Nà Mực",
        "Khuổi Hóp",
    ]


# --- check --json ------------------------------------------------------------------------------


def test_check_json_prints_every_problem_as_one_document(tmp_path: Path, criteria: CriteriaSet) -> None:
    marks = marks_row(criteria, [])
    marks[2] = ""
    marks[4] = "Tốt"
    bad = write_table(
        tmp_path / "xa-loi.xlsx", {"S": [["Xã: Lỗi"], ["Thôn", *criteria.numbers], ["Nà Lỗi", *marks]]}
    )
    result = subprocess.run(
        [sys.executable, "-m", "ntm_xl", "check", str(bad), "--json", "-q"], capture_output=True
    )
    assert result.returncode == 1
    document = json.loads(result.stdout.decode("utf-8"))
    assert [
        (p["code"], p["severity"], Path(p["file"]).name, p["sheet"], p["cell"]) for p in document["problems"]
    ] == [
        ("M002", "error", "xa-loi.xlsx", "S", "D3"),
        ("M003", "error", "xa-loi.xlsx", "S", "F3"),
    ]
    assert document["problems"][1]["params"] == {
        "village": "Nà Lỗi",
        "commune": "Lỗi",
        "value": "'Tốt'",
        "criterion": 5,
        "criterion_name": "Thủy lợi",
    }
    assert all(p["message"] for p in document["problems"])
    assert (document["villages"], document["excluded"], document["disagreements"]) == (0, 1, 0)
    assert "Lỗi M002" not in result.stderr.decode("utf-8")  # problems go to stdout only, once
