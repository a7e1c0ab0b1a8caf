"""Every family of domain.md's "What communes actually send", read as a clerk expects:
the exact notice lines and the exact (code, sheet, cell) of every problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from ntm_xl import Summary, load_criteria, notice_sections, summarize
from ntm_xl._read import read_workbook
from ntm_xl._values._model import MarkSource
from tests.conftest import GOLDEN, write_table
from tests.corpus import families

CRITERIA = load_criteria()
N = len(CRITERIA)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return families.make(tmp_path_factory.mktemp("families"))


def _counts(summary: Summary) -> list[str]:
    """The notice's section I.2 lines and section I.3 lines, headings left out."""
    sections = notice_sections(summary)
    return [*sections.count_lines, *sections.deficiency_lines]


def _problems(summary: Summary) -> list[tuple[str, str, str]]:
    return [(p.code, p.sheet, p.cell) for p in summary.problems]


READ_AND_COUNTED = {
    "title-decree30-rows": (
        [
            "- Số thôn đạt 16 tiêu chí: 01 thôn (Bản Khuổi Tẩu xã Xuân Lạc).",
            "- Số thôn đạt 17 tiêu chí: 01 thôn (Nà Phặc xã Xuân Lạc).",
            "- Tiêu chí số 7 (Cơ sở vật chất văn hoá): 01 thôn (Nà Phặc).",
            "- Tiêu chí số 10 (Thu nhập): 02 thôn (Nà Phặc, Bản Khuổi Tẩu).",
            "- Tiêu chí số 11 (Nghèo đa chiều): 01 thôn (Bản Khuổi Tẩu).",
            "- Tiêu chí số 17 (Môi trường): 01 thôn (Bản Khuổi Tẩu).",
        ],
        [],
    ),
    "title-decree30-side": (
        [
            "- Số thôn đạt 18 tiêu chí: 01 thôn (Thôn 3 xã Đồng Xá).",
            "- Số thôn đạt 19 tiêu chí: 01 thôn (Tổ dân phố 2 xã Đồng Xá).",
            "- Tiêu chí số 13 (Tổ chức sản xuất): 01 thôn (Thôn 3).",
        ],
        [],
    ),
    "title-caption": (
        [
            "- Số thôn đạt 17 tiêu chí: 01 thôn (Cốc Thử xã Đồng Lạc).",
            "- Số thôn đạt 18 tiêu chí: 01 thôn (Nà Bó xã Đồng Lạc).",
            "- Tiêu chí số 10 (Thu nhập): 02 thôn (Nà Bó, Cốc Thử).",
            "- Tiêu chí số 11 (Nghèo đa chiều): 01 thôn (Cốc Thử).",
        ],
        [],
    ),
    "title-label": (
        [
            "- Số thôn đạt 18 tiêu chí: 01 thôn (Khuổi Slẻ xã Quang Thuận).",
            "- Số thôn đạt 19 tiêu chí: 01 thôn (Slam Vè xã Quang Thuận).",
            "- Tiêu chí số 2 (Hương ước, quy ước): 01 thôn (Khuổi Slẻ).",
        ],
        [],
    ),
    "communes-by-tab": (
        [
            "- Số thôn đạt 17 tiêu chí: 01 thôn (Bản Luông xã Mỹ Thanh).",
            "- Số thôn đạt 18 tiêu chí: 01 thôn (Bắc Lanh Chang xã Lục Bình).",
            "- Tiêu chí số 10 (Thu nhập): 02 thôn (Bắc Lanh Chang, Bản Luông).",
            "- Tiêu chí số 11 (Nghèo đa chiều): 01 thôn (Bản Luông).",
        ],
        [],
    ),
    "commune-by-file-name": (
        [
            "- Số thôn đạt 18 tiêu chí: 01 thôn (Cốc Pái xã Tân Tú).",
            "- Tiêu chí số 10 (Thu nhập): 01 thôn (Cốc Pái).",
        ],
        [("R016", "Sheet1", "")],
    ),
    "district-merged": (
        [
            "- Số thôn đạt 17 tiêu chí: 02 thôn (Nà Lằng, Pác Ban xã Ân Tình).",
            "- Số thôn đạt 18 tiêu chí: 02 thôn (Nà Mèo, Bản Cạu xã Cốc Đán).",
            "- Số thôn đạt 19 tiêu chí: 01 thôn (Khuổi Khí xã Cốc Đán).",
            "- Tiêu chí số 7 (Cơ sở vật chất văn hoá): 01 thôn (Nà Lằng).",
            "- Tiêu chí số 10 (Thu nhập): 03 thôn (Nà Lằng, Pác Ban, Nà Mèo).",
            "- Tiêu chí số 11 (Nghèo đa chiều): 01 thôn (Pác Ban).",
            "- Tiêu chí số 13 (Tổ chức sản xuất): 01 thôn (Bản Cạu).",
        ],
        [],
    ),
    "district-merged-counts": (
        [
            "- Số thôn đạt 17 tiêu chí: 01 thôn (Nà Hin xã Hà Hiệu).",
            "- Số thôn đạt 18 tiêu chí: 01 thôn (Bản Hon xã Hà Hiệu).",
            "- Số thôn đạt 19 tiêu chí: 01 thôn (Pù Mắt xã Chu Hương).",
            "- Tiêu chí số 10 (Thu nhập): 02 thôn (Bản Hon, Nà Hin).",
            "- Tiêu chí số 11 (Nghèo đa chiều): 01 thôn (Nà Hin).",
        ],
        [],
    ),
    "district-groups": (
        [
            "- Số thôn đạt 17 tiêu chí: 03 thôn (Nà Hin xã Hà Hiệu; Khuổi Trả xã Chu Hương; "
            "Phiêng Phường xã Mỹ Phương).",
            "- Số thôn đạt 18 tiêu chí: 03 thôn (Bản Hon xã Hà Hiệu; Bản Váng xã Chu Hương; "
            "Nà Hày xã Mỹ Phương).",
            "- Số thôn đạt 19 tiêu chí: 01 thôn (Pù Mắt xã Chu Hương).",
            "- Tiêu chí số 7 (Cơ sở vật chất văn hoá): 02 thôn (Bản Váng, Khuổi Trả).",
            "- Tiêu chí số 9 (Nhà ở): 01 thôn (Khuổi Trả).",
            "- Tiêu chí số 10 (Thu nhập): 02 thôn (Bản Hon, Nà Hin).",
            "- Tiêu chí số 11 (Nghèo đa chiều): 01 thôn (Nà Hin).",
            "- Tiêu chí số 15 (Y tế): 02 thôn (Nà Hày, Phiêng Phường).",
            "- Tiêu chí số 17 (Môi trường): 01 thôn (Phiêng Phường).",
        ],
        [],
    ),
    "district-bare": (
        [
            "- Số thôn đạt 18 tiêu chí: 03 thôn (Nà Khả, Bản Mới xã Quảng Khê; Nà Làng xã Khang Ninh).",
            "- Tiêu chí số 10 (Thu nhập): 02 thôn (Nà Khả, Bản Mới).",
            "- Tiêu chí số 19 (An ninh): 01 thôn (Nà Làng).",
        ],
        [],
    ),
    "two-verdicts": (
        [
            "- Số thôn đạt 17 tiêu chí: 01 thôn (Nà Pài xã Phủ Thông).",
            "- Số thôn đạt 18 tiêu chí: 01 thôn (Khuổi Lừa xã Phủ Thông).",
            "- Tiêu chí số 10 (Thu nhập): 01 thôn (Nà Pài).",
            "- Tiêu chí số 11 (Nghèo đa chiều): 01 thôn (Nà Pài).",
            "- Tiêu chí số 17 (Môi trường): 01 thôn (Khuổi Lừa).",
        ],
        [],
    ),
    "two-verdict-blocks": (
        [
            "- Số thôn đạt 18 tiêu chí: 02 thôn (Nà Dấu, Bản Chiêng xã Vi Hương).",
            "- Tiêu chí số 10 (Thu nhập): 01 thôn (Bản Chiêng).",
            "- Tiêu chí số 12 (Lao động): 01 thôn (Nà Dấu).",
        ],
        [],
    ),
    "two-verdicts-commune-self": (
        [
            "- Số thôn đạt 17 tiêu chí: 01 thôn (Nà Đăm xã Quảng Khê).",
            "- Số thôn đạt 18 tiêu chí: 01 thôn (Khau Bun xã Quảng Khê).",
            "- Tiêu chí số 7 (Cơ sở vật chất văn hoá): 01 thôn (Nà Đăm).",
            "- Tiêu chí số 10 (Thu nhập): 01 thôn (Khau Bun).",
            "- Tiêu chí số 11 (Nghèo đa chiều): 01 thôn (Nà Đăm).",
        ],
        [],
    ),
    "indicators": (
        [
            "- Số thôn đạt 18 tiêu chí: 02 thôn (Nà Rào, Nà Cà xã Nguyên Phúc).",
            "- Tiêu chí số 9 (Nhà ở): 01 thôn (Nà Cà).",
            "- Tiêu chí số 11 (Nghèo đa chiều): 01 thôn (Nà Rào).",
        ],
        # Indicator values, but no period to take the thresholds' year from.
        [("C005", "", "")],
    ),
    "per-village-verdicts": (
        [
            "- Số thôn đạt 17 tiêu chí: 01 thôn (Bản Chang xã Lục Bình).",
            "- Tiêu chí số 10 (Thu nhập): 01 thôn (Bản Chang).",
            "- Tiêu chí số 17 (Môi trường): 01 thôn (Bản Chang).",
        ],
        [],
    ),
    "per-village-kind-titles": (
        [
            "- Số thôn đạt 18 tiêu chí: 02 thôn (Bản Pù Mắt, Thôn 3 xã Chu Hương).",
            "- Tiêu chí số 7 (Cơ sở vật chất văn hoá): 01 thôn (Thôn 3).",
            "- Tiêu chí số 10 (Thu nhập): 01 thôn (Bản Pù Mắt).",
        ],
        # each village sheet repeats the summary sheet's row: counted once
        [("M015", "Pù Mắt", "A2"), ("M015", "Thôn 3", "A2")],
    ),
    "villages-as-columns": (
        [
            "- Số thôn đạt 17 tiêu chí: 01 thôn (Khau Cà xã Cao Sơn).",
            "- Số thôn đạt 18 tiêu chí: 02 thôn (Thôm Khoan xã Cao Sơn; Đon Bậy xã Vi Hương).",
            "- Tiêu chí số 10 (Thu nhập): 02 thôn (Thôm Khoan, Khau Cà).",
            "- Tiêu chí số 11 (Nghèo đa chiều): 01 thôn (Khau Cà).",
            "- Tiêu chí số 19 (An ninh): 01 thôn (Đon Bậy).",
        ],
        [],
    ),
    "hidden-sheet": (
        [
            "- Số thôn đạt 17 tiêu chí: 01 thôn (Nà Chè xã Đôn Phong).",
            "- Số thôn đạt 18 tiêu chí: 02 thôn (Bản Vén, Bản Đán xã Đôn Phong).",
            "- Tiêu chí số 7 (Cơ sở vật chất văn hoá): 01 thôn (Bản Vén).",
            "- Tiêu chí số 10 (Thu nhập): 02 thôn (Bản Đán, Nà Chè).",
            "- Tiêu chí số 11 (Nghèo đa chiều): 01 thôn (Nà Chè).",
        ],
        [("R018", "Năm 2024", "B5"), ("R015", "Năm 2023", "")],
    ),
    "hidden-lists": (
        [
            "- Số thôn đạt 17 tiêu chí: 01 thôn (Khuổi Cuồng xã Dương Phong).",
            "- Số thôn đạt 18 tiêu chí: 01 thôn (Nà Nọi xã Dương Phong).",
            "- Tiêu chí số 10 (Thu nhập): 02 thôn (Nà Nọi, Khuổi Cuồng).",
            "- Tiêu chí số 11 (Nghèo đa chiều): 01 thôn (Khuổi Cuồng).",
        ],
        # the hidden row's warning (not a reading problem: no R code) and the hidden sheet
        [("F023", "Biểu", ""), ("R015", "DS", "")],
    ),
}


@pytest.mark.parametrize("name", sorted(READ_AND_COUNTED))
def test_each_family_gives_the_notice_lines_and_problems(corpus: dict[str, Path], name: str) -> None:
    lines, problems = READ_AND_COUNTED[name]
    summary = summarize([corpus[name]], CRITERIA)
    assert _counts(summary) == lines
    assert _problems(summary) == problems
    assert summary.excluded == ()


def test_the_commune_is_never_guessed(corpus: dict[str, Path]) -> None:
    summary = summarize([corpus["commune-nowhere"]], CRITERIA)
    assert _problems(summary) == [("R007", "Sheet1", "B2"), ("R007", "Sheet1", "B3")]
    assert summary.villages == ()
    assert [(e.village, e.location.cell, e.reason) for e in summary.excluded] == [
        ("Nà Lẹng", "B2", "không xác định được xã"),
        ("Pác Cáp", "B3", "không xác định được xã"),
    ]


def test_commune_sources_are_recorded(corpus: dict[str, Path]) -> None:
    def sources(name: str) -> list[tuple[str, str, str, str]]:
        reading = read_workbook(corpus[name], CRITERIA)
        return [(c.village, c.commune, c.source, c.where) for s in reading.sheets for c in s.communes]

    assert sources("district-merged") == [
        ("Nà Lằng", "Ân Tình", "cell", "B5"),
        ("Pác Ban", "Ân Tình", "above", "B5"),
        ("Nà Mèo", "Cốc Đán", "cell", "B8"),
        ("Khuổi Khí", "Cốc Đán", "above", "B8"),
        ("Bản Cạu", "Cốc Đán", "above", "B8"),
    ]
    assert sources("title-decree30-rows")[0] == ("Nà Phặc", "Xuân Lạc", "title", "A2")
    assert sources("title-decree30-side")[0] == ("Tổ dân phố 2", "Đồng Xá", "title", "B1")
    assert sources("title-caption")[0] == ("Nà Bó", "Đồng Lạc", "title", "A2")
    assert sources("communes-by-tab") == [
        ("Bắc Lanh Chang", "Lục Bình", "tab", "Lục Bình"),
        ("Bản Luông", "Mỹ Thanh", "tab", "Xã Mỹ Thanh"),
    ]
    assert sources("commune-by-file-name") == [("Cốc Pái", "Tân Tú", "file", "Xã Tân Tú.xlsx")]
    assert [s[1:3] for s in sources("district-groups")] == [("Hà Hiệu", "group")] * 2 + [
        ("Chu Hương", "group")
    ] * 3 + [("Mỹ Phương", "group")] * 2


def test_rows_that_are_not_villages_are_never_villages(corpus: dict[str, Path]) -> None:
    reading = read_workbook(corpus["combined-district"], CRITERIA)
    (table, hidden) = reading.sheets
    assert hidden.layout == "hidden"
    roles = [(r.row + 1, r.role.name) for r in table.rows if r.role.name not in ("TITLE", "HEADER")]
    assert roles == [
        (6, "VILLAGE"),
        (7, "VILLAGE"),
        (8, "TOTAL"),
        (9, "VILLAGE"),
        (10, "VILLAGE"),
        (11, "TOTAL"),
        (12, "TOTAL"),
        (13, "NOTE"),
        (15, "SIGNATURE"),
        (16, "SIGNATURE"),
        (17, "SIGNATURE"),
        (19, "SIGNATURE"),
    ]
    assert [e.village for e in reading.entries] == ["Bản Mún", "Nà Pài", "Bản Luông", "Nà Dì"]


def _pairs(name: str, corpus: dict[str, Path]) -> list[list[tuple[int, object, str, object, int]]]:
    entries = read_workbook(corpus[name], CRITERIA).entries
    return [[(m.criterion, m.value, m.cell, m.other, m.other_col) for m in e.marks] for e in entries]


def test_pair_sub_columns_give_one_pair_mark_per_criterion(corpus: dict[str, Path]) -> None:
    entries = read_workbook(corpus["pairs"], CRITERIA).entries
    assert [(e.commune, e.village, e.location.cell) for e in entries] == [
        ("Cẩm Giàng", "Nà Vắc", "B6"),
        ("Cẩm Giàng", "Bản Pjạc", "B7"),
    ]
    first = entries[0].marks
    assert all(m.source is MarkSource.PAIR for e in entries for m in e.marks)
    assert [m.criterion for m in first] == list(CRITERIA.numbers)
    assert (first[0].cell, first[0].value, first[0].other, first[0].other_col) == ("C6", "x", "", 3)
    ten = first[9]
    assert (ten.criterion, ten.cell, ten.value, ten.other, ten.other_col) == (10, "U6", "", "x", 21)
    both = read_workbook(corpus["pairs-both"], CRITERIA).entries[0].marks[6]
    assert (both.criterion, both.cell, both.value, both.other) == (7, "O6", "x", "x")


def test_pairs_beside_an_indicator_in_a_combined_district_sheet(corpus: dict[str, Path]) -> None:
    entries = read_workbook(corpus["combined-district"], CRITERIA).entries
    fifteen = [next(m for m in e.marks if m.criterion == 15) for e in entries]
    assert [(m.source, m.cell, m.value, m.other) for m in fifteen] == [
        (MarkSource.PAIR, "AG6", "", "x"),
        (MarkSource.PAIR, "AG7", "x", ""),
        (MarkSource.PAIR, "AG9", "x", ""),
        (MarkSource.PAIR, "AG10", "", "x"),
    ]
    assert [[(i.criterion, i.label, i.value, i.cell) for i in e.indicators] for e in entries] == [
        [(15, "Tỷ lệ BHYT (%)", 86.5, "AF6")],
        [(15, "Tỷ lệ BHYT (%)", 93, "AF7")],
        [(15, "Tỷ lệ BHYT (%)", 95, "AF9")],
        [(15, "Tỷ lệ BHYT (%)", 88, "AF10")],
    ]
    assert [e.commune for e in entries] == ["Quân Hà", "Quân Hà", "Mỹ Thanh", "Mỹ Thanh"]


def test_indicator_columns_are_kept_and_the_result_counts(corpus: dict[str, Path]) -> None:
    entries = read_workbook(corpus["indicators"], CRITERIA).entries
    assert [[(i.criterion, i.label, i.value, i.cell) for i in e.indicators] for e in entries] == [
        [(9, "9.1", 80, "K4"), (9, "9.2", "Đạt", "L4"), (11, "Tỷ lệ (%)", 14.5, "O4")],
        [(9, "9.1", 60, "K5"), (9, "9.2", "Chưa đạt", "L5"), (11, "Tỷ lệ (%)", 8.2, "O5")],
    ]
    nine = next(m for m in entries[1].marks if m.criterion == 9)
    assert (nine.cell, nine.value) == ("M5", "Chưa đạt")
    district = read_workbook(corpus["district-merged"], CRITERIA).entries
    assert [(i.label, i.value, i.cell) for i in district[0].indicators] == [
        ("Thu nhập (triệu đồng/người/năm)", 38.5, "M5")
    ]


def test_two_verdicts_the_reviewer_counts_and_the_own_is_kept(corpus: dict[str, Path]) -> None:
    first = read_workbook(corpus["two-verdicts"], CRITERIA).entries[0]
    ten, eleven = first.marks[9], first.marks[10]
    assert (ten.cell, ten.value, eleven.cell, eleven.value) == ("V5", "Chưa đạt", "X5", "Chưa đạt")
    own_eleven = first.self_marks[10]
    assert (own_eleven.criterion, own_eleven.cell, own_eleven.value) == (11, "W5", "Đạt")
    blocks = read_workbook(corpus["two-verdict-blocks"], CRITERIA).entries[0]
    twelve = blocks.marks[11]
    assert (twelve.cell, twelve.value, blocks.self_marks[11].cell, blocks.self_marks[11].value) == (
        "AG4",
        "Chưa đạt",
        "N4",
        "Đạt",
    )
    per_village = read_workbook(corpus["per-village-verdicts"], CRITERIA).entries[0]
    assert (per_village.marks[9].cell, per_village.self_marks[9].cell) == ("D14", "C14")


def test_marks_written_as_one_and_zero_are_numeric(corpus: dict[str, Path]) -> None:
    entries = read_workbook(corpus["numeric"], CRITERIA).entries
    assert all(m.numeric for e in entries for m in e.marks)
    assert [(m.cell, m.value) for m in entries[0].marks[8:11]] == [("K3", 1), ("L3", 0), ("M3", 1)]
    words = read_workbook(corpus["title-caption"], CRITERIA).entries
    assert not any(m.numeric for e in words for m in e.marks)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "unmet-list",
            [
                ("Nà Lào", "D3", "TC 7, 10, 11", 16, "C3"),
                ("Khuổi Đeng", "D4", "10; 11", 17, "C4"),
                ("Phja Đăm", "D5", "Không", 19, "C5"),
            ],
        ),
        (
            "unmet-list-2",
            [("Nà Mằm", "D4", "Tiêu chí 10, 11", 17, "C4"), ("Bản Khúa", "D5", "7, 10 và 11", 16, "C5")],
        ),
    ],
)
def test_unmet_lists_give_one_list_mark_per_criterion(
    corpus: dict[str, Path], name: str, expected: list[tuple[str, str, str, int, str]]
) -> None:
    reading = read_workbook(corpus[name], CRITERIA)
    assert reading.problems == ()
    got = []
    for e in reading.entries:
        assert [m.criterion for m in e.marks] == list(CRITERIA.numbers)
        assert {(m.source, m.cell, m.value) for m in e.marks} == {
            (MarkSource.UNMET_LIST, e.marks[0].cell, e.marks[0].value)
        }
        got.append((e.village, e.marks[0].cell, e.marks[0].value, e.reported_count, e.reported_count_cell))
    assert got == expected
    assert [r.role.name for s in reading.sheets for r in s.rows if r.role.name == "SIGNATURE"] == (
        ["SIGNATURE", "SIGNATURE"] if name == "unmet-list-2" else []
    )


def test_summary_sheet_and_village_sheets_both_give_located_entries(corpus: dict[str, Path]) -> None:
    reading = read_workbook(corpus["per-village-summary"], CRITERIA)
    assert [(s.name, s.layout) for s in reading.sheets] == [
        ("Tổng hợp", "rows"),
        ("Nà Ngần", "per-village"),
        ("Khuổi Hóp", "per-village"),
    ]
    assert [(e.village, e.location.sheet, e.location.cell) for e in reading.entries] == [
        ("Nà Ngần", "Tổng hợp", "B3"),
        ("Khuổi Hóp", "Tổng hợp", "B4"),
        ("Nà Ngần", "Nà Ngần", "A2"),
        ("Khuổi Hóp", "Khuổi Hóp", "A2"),
    ]
    village = reading.entries[2]
    assert [(i.criterion, i.label, i.value, i.cell) for i in village.indicators] == [
        (10, "10.1", 41.5, "C15")
    ]
    assert [(m.criterion, m.cell, m.value) for m in village.marks if m.value != "Đạt"] == [
        (10, "D14", "Chưa đạt")
    ]


def test_combined_commune_table(corpus: dict[str, Path]) -> None:
    summary = summarize([corpus["combined-commune"]], CRITERIA)
    assert _counts(summary) == [
        "- Số thôn đạt 17 tiêu chí: 01 thôn (Bản Cuôn xã Cẩm Giàng).",
        "- Số thôn đạt 18 tiêu chí: 01 thôn (Nà Thác xã Cẩm Giàng).",
        "- Tiêu chí số 7 (Cơ sở vật chất văn hoá): 01 thôn (Nà Thác).",
        "- Tiêu chí số 10 (Thu nhập): 01 thôn (Bản Cuôn).",
        "- Tiêu chí số 11 (Nghèo đa chiều): 01 thôn (Bản Cuôn).",
    ]
    # the struck-through village is warned about; the village without marks is listed, not dropped
    assert [(p.code, p.cell) for p in summary.problems] == [("R018", "B9"), ("M001", "B10")]
    assert [(e.village, e.location.cell) for e in summary.excluded] == [("Khuổi Tổng", "B10")]


def test_every_village_row_is_counted_or_listed(corpus: dict[str, Path]) -> None:
    """Nothing dropped: the village rows the reader found are the counted plus the listed."""
    for name, path in corpus.items():
        reading = read_workbook(path, CRITERIA)
        rows = sum(1 for s in reading.sheets for r in s.rows if r.role.name == "VILLAGE")
        columns = sum(1 for s in reading.sheets if s.layout in ("per-village", "columns") for _ in s.communes)
        summary = summarize([path], CRITERIA)
        unnamed = sum(1 for p in summary.problems if p.code == "R006")
        # A village on a summary sheet and on its own sheet, agreeing, is counted once (M015).
        once = sum(1 for p in summary.problems if p.code == "M015")
        assert rows - once + columns == len(summary.villages) + len(summary.excluded) + unnamed, name


def test_place_date_line_under_a_criterion_column_is_not_a_village(tmp_path: Path) -> None:
    """Decree 30 title rows, "Thôn"/"Bản" names, a "Cộng" row, then the place-date line typed in a
    criterion column and the signature block: two villages, no problem."""
    numbers = [c.number for c in CRITERIA.criteria]
    rows: list[list[object]] = [
        ["ỦY BAN NHÂN DÂN", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["XÃ XUÂN LẠC"],
        [],
        ["TT", "Tên thôn, bản", *(f"TC {n}" for n in numbers), "Số TC đạt"],
        [1, "Thôn Nà Phặc", *("x" if n != 10 else "-" for n in numbers), 18],
        [2, "Bản Khuổi Tẩu", *("Chưa đạt" if n in (7, 10) else "Đạt" for n in numbers), 17],
        ["", "Cộng"],
        ["", "", "", "Xuân Lạc, ngày 20 tháng 6 năm 2024"],
        ["", "Người lập biểu", "", "", "TM. UBND XÃ"],
        ["", "Nguyễn Văn An", "", "", "Hoàng Thị Bình"],
    ]
    path = write_table(tmp_path / "xuan-lac.xlsx", {"Biểu": rows})
    summary = summarize([path], CRITERIA)
    assert [(p.code, p.cell) for p in summary.problems] == []
    assert notice_sections(summary).count_lines == (
        "- Số thôn đạt 17 tiêu chí: 01 thôn (Bản Khuổi Tẩu xã Xuân Lạc).",
        "- Số thôn đạt 18 tiêu chí: 01 thôn (Nà Phặc xã Xuân Lạc).",
    )


CORPUS_GOLDEN = "corpus-problems.txt"


def corpus_problems_text(corpus: dict[str, Path]) -> str:
    """Every family file's problems, one line each: code, severity, sheet, cell and message."""
    lines = []
    for name, path in sorted(corpus.items()):
        summary = summarize([path], CRITERIA)
        lines.append(f"# {name}: {len(summary.villages)} thôn, {len(summary.excluded)} không tính")
        lines += [f"{p.code} {p.severity.value} '{p.sheet}' {p.cell}: {p.message}" for p in summary.problems]
    return "\n".join(lines) + "\n"


def test_the_corpus_problems_are_golden(corpus: dict[str, Path]) -> None:
    """The whole corpus's problems with their wording: a change to any is seen in review."""
    golden = (GOLDEN / CORPUS_GOLDEN).read_text(encoding="utf-8")
    assert corpus_problems_text(corpus) == golden, "run: python -m tests.regenerate"
