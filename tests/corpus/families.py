"""Workbooks in the layouts communes really send (domain.md, "What communes actually send"),
made by code: at least two per family, some combining several.

    python -m tests.corpus.families OUT_DIR

Each maker writes one file and returns its path; ``make`` writes them all.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

from ntm_xl import CriteriaSet, load_criteria

CRITERIA = load_criteria()
NUMBERS = CRITERIA.numbers
MET, NOT_MET = "Đạt", "Chưa đạt"
_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}

Merge = tuple[int, int, int, int]


@dataclass
class CommuneSheet:
    name: str
    rows: list[list[object]]
    merges: list[Merge] = field(default_factory=list)
    hidden: bool = False
    hidden_rows: tuple[int, ...] = ()
    struck_rows: tuple[int, ...] = ()


def write_book(path: Path, sheets: Sequence[CommuneSheet]) -> Path:
    """Values as given (strings stay text), merges, hidden sheets and rows, struck-through rows."""
    workbook = xlsxwriter.Workbook(str(path), _OPTIONS)
    struck = workbook.add_format({"font_strikeout": True})
    shown = [s for s in sheets if not s.hidden]
    for spec in sheets:
        sheet = workbook.add_worksheet(spec.name)
        merged_origins = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in spec.merges}
        covered = {
            (r, c)
            for r1, c1, r2, c2 in spec.merges
            for r in range(r1, r2 + 1)
            for c in range(c1, c2 + 1)
            if (r, c) != (r1, c1)
        }
        for r, row in enumerate(spec.rows):
            fmt = struck if r in spec.struck_rows else None
            for c, value in enumerate(row):
                if value is None or value == "" or (r, c) in covered:
                    continue
                if (r, c) in merged_origins:
                    r2, c2 = merged_origins[(r, c)]
                    sheet.merge_range(r, c, r2, c2, "")
                if isinstance(value, str):
                    sheet.write_string(r, c, value, fmt)
                else:
                    sheet.write(r, c, value, fmt)
        for r1, c1, r2, c2 in spec.merges:
            first = spec.rows[r1][c1] if r1 < len(spec.rows) and c1 < len(spec.rows[r1]) else ""
            if first in ("", None):
                sheet.merge_range(r1, c1, r2, c2, "")
        for r in spec.hidden_rows:
            sheet.set_row(r, None, None, {"hidden": True})
        if spec.hidden:
            sheet.hide()
    if shown:
        workbook.worksheets()[sheets.index(shown[0])].activate()
    workbook.close()
    return path


def marks(
    not_met: Iterable[int], criteria: CriteriaSet = CRITERIA, met: object = MET, miss: object = NOT_MET
) -> list[object]:
    bad = set(not_met)
    return [miss if n in bad else met for n in criteria.numbers]


def header(style: str = "number", criteria: CriteriaSet = CRITERIA) -> list[object]:
    out: list[object] = []
    for c in criteria.criteria:
        out.append(
            {
                "number": c.number,
                "TC": f"TC{c.number}",
                "TC space": f"TC {c.number}",
                "Tiêu chí": f"Tiêu chí {c.number}",
                "Tiêu chí số": f"Tiêu chí số {c.number:02d}",
                "short": c.short_name,
                "full": c.name.upper(),
            }[style]
        )
    return out


SIGNATURE = [
    [],
    [
        "",
        "Người lập biểu",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "Xuân Lạc, ngày 20 tháng 6 năm 2024",
    ],
    ["", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "TM. UBND XÃ"],
    ["", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "CHỦ TỊCH"],
    [],
    ["", "Hoàng Thị Mai", "", "", "", "", "", "", "", "", "", "", "", "", "", "Nông Văn Hùng"],
]


# --- titles ----------------------------------------------------------------------------------------


def title_decree30_rows(folder: Path) -> Path:
    """ "ỦY BAN NHÂN DÂN" over "XÃ XUÂN LẠC", the national title beside, a signature block below."""
    rows: list[list[object]] = [
        ["ỦY BAN NHÂN DÂN", "", "", "", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["XÃ XUÂN LẠC", "", "", "", "", "", "Độc lập - Tự do - Hạnh phúc"],
        [],
        ["BIỂU TỔNG HỢP KẾT QUẢ RÀ SOÁT TIÊU CHÍ THÔN NÔNG THÔN MỚI NĂM 2024"],
        ["STT", "Tên thôn", *header("TC")],
        [1, "Thôn Nà Phặc", *marks([7, 10])],
        [2, "Bản Khuổi Tẩu", *marks([10, 11, 17])],
        *SIGNATURE,
    ]
    return write_book(
        folder / "title-decree30-rows.xlsx", [CommuneSheet("Biểu 01", rows, [(0, 0, 0, 2), (1, 0, 1, 2)])]
    )


def title_decree30_side(folder: Path) -> Path:
    """ "ỦY BAN NHÂN DÂN" | "XÃ ĐỒNG XÁ" side by side; criteria headed "Tiêu chí số 01"."""
    rows: list[list[object]] = [
        ["ỦY BAN NHÂN DÂN", "XÃ ĐỒNG XÁ"],
        [],
        ["Thôn", *header("Tiêu chí số"), "Ghi chú"],
        ["Tổ dân phố 2", *marks([]), ""],
        ["Thôn 3", *marks([13]), "mới sáp nhập"],
    ]
    return write_book(folder / "title-decree30-side.xlsx", [CommuneSheet("Sheet1", rows)])


def title_caption(folder: Path) -> Path:
    """The commune only in the caption "(Kèm theo Báo cáo số 52/BC-UBND ngày ... của UBND xã Đồng Lạc)"."""
    rows: list[list[object]] = [
        ["BIỂU CHI TIẾT KẾT QUẢ TỰ ĐÁNH GIÁ"],
        ["(Kèm theo Báo cáo số 52/BC-UBND ngày 15/6/2024 của UBND xã Đồng Lạc)"],
        [],
        ["TT", "Thôn, bản", *header("short")],
        [1, "Nà Bó", *marks([10])],
        [2, "Cốc Thử", *marks([10, 11])],
    ]
    return write_book(folder / "title-caption.xlsx", [CommuneSheet("TH", rows)])


def title_label_next_cell(folder: Path) -> Path:
    """ "Xã:" | "Quang Thuận" and full criterion names in capitals as the decision prints them."""
    rows: list[list[object]] = [
        ["Xã:", "Quang Thuận"],
        ["STT", "Tên thôn, bản, tổ dân phố", *header("full")],
        [1, "Khuổi Slẻ", *marks([2])],
        [2, "Slam Vè", *marks([])],
    ]
    return write_book(folder / "title-label.xlsx", [CommuneSheet("Data", rows)])


def commune_by_tab(folder: Path) -> Path:
    """One sheet per commune, the commune named only by the sheet tab."""

    def sheet(tab: str, villages: list[tuple[str, set[int]]]) -> CommuneSheet:
        rows: list[list[object]] = [
            ["BIỂU TỰ ĐÁNH GIÁ"],
            ["STT", "Tên thôn", *header("number")],
            *[[i, v, *marks(bad)] for i, (v, bad) in enumerate(villages, 1)],
        ]
        return CommuneSheet(tab, rows)

    return write_book(
        folder / "communes-by-tab.xlsx",
        [sheet("Lục Bình", [("Bắc Lanh Chang", {10})]), sheet("Xã Mỹ Thanh", [("Bản Luông", {10, 11})])],
    )


def commune_by_file_name(folder: Path) -> Path:
    """Nothing in the sheet names the commune; the file is named "Xã Tân Tú.xlsx"."""
    rows: list[list[object]] = [["STT", "Thôn", *header("TC space")], [1, "Cốc Pái", *marks([10])]]
    return write_book(folder / "Xã Tân Tú.xlsx", [CommuneSheet("Sheet1", rows)])


def commune_nowhere(folder: Path) -> Path:
    """Nothing names the commune: the villages are listed as not counted, never guessed."""
    rows: list[list[object]] = [
        ["STT", "Thôn", *header("number")],
        [1, "Nà Lẹng", *marks([10])],
        [2, "Pác Cáp", *marks([])],
    ]
    return write_book(folder / "bieu-2024.xlsx", [CommuneSheet("Sheet1", rows)])


# --- district sheets --------------------------------------------------------------------------------


def district_merged_communes(folder: Path) -> Path:
    """A "Xã" column merged down over its villages, indicators before a result column for
    criterion 10, a "Cộng" row per commune, "Tổng cộng", a note and a signature block."""
    n = len(NUMBERS)
    head1: list[object] = ["STT", "Xã", "Thôn"]
    head2: list[object] = ["", "", ""]
    for number in NUMBERS:
        if number == 10:
            head1 += ["10", ""]
            head2 += ["Thu nhập (triệu đồng/người/năm)", "Đánh giá"]
        else:
            head1.append(number)
            head2.append("")
    head1.append("Số tiêu chí đạt")
    head2.append("")

    def village(i: int, commune: str, name: str, bad: set[int], income: float) -> list[object]:
        out: list[object] = [i, commune, name]
        for number in NUMBERS:
            if number == 10:
                out += [income, NOT_MET if 10 in bad else MET]
            else:
                out.append(NOT_MET if number in bad else MET)
        return [*out, n - len(bad)]

    rows: list[list[object]] = [
        ["UBND HUYỆN BẠCH THÔNG"],
        ["TỔNG HỢP KẾT QUẢ RÀ SOÁT TIÊU CHÍ THÔN NĂM 2024"],
        head1,
        head2,
        village(1, "Xã Ân Tình", "Nà Lằng", {7, 10}, 38.5),
        village(2, "", "Pác Ban", {10, 11}, 41),
        ["", "Cộng xã Ân Tình", "", *[""] * (n + 2)],
        village(3, "Cốc Đán", "Nà Mèo", {10}, 44.2),
        village(4, "", "Khuổi Khí", set(), 47),
        village(5, "", "Bản Cạu", {13}, 52),
        ["", "Cộng", "", *[""] * (n + 2)],
        ["", "Tổng cộng", "", *[""] * (n + 2)],
        ["Ghi chú: Thu nhập tính theo giá hiện hành."],
        *SIGNATURE,
    ]
    merges = [
        (2, 0, 3, 0),
        (2, 1, 3, 1),
        (2, 2, 3, 2),
        (2, 12, 2, 13),
        (2, n + 4, 3, n + 4),
        (4, 1, 5, 1),
        (7, 1, 9, 1),
    ]
    return write_book(folder / "district-merged.xlsx", [CommuneSheet("Tổng hợp", rows, merges)])


def district_merged_with_counts(folder: Path) -> Path:
    """A merged "Xã" cell that says how many villages follow: "Xã Hà Hiệu (02 thôn)",
    "XÃ CHU HƯƠNG - 01 thôn"; the commune is the clean name."""
    rows: list[list[object]] = [
        ["UBND HUYỆN BA BỂ"],
        ["STT", "Xã", "Thôn", *header("number")],
        [1, "Xã Hà Hiệu (02 thôn)", "Bản Hon", *marks([10])],
        [2, "", "Nà Hin", *marks([10, 11])],
        [3, "XÃ CHU HƯƠNG - 01 thôn", "Pù Mắt", *marks([])],
    ]
    return write_book(folder / "district-merged-counts.xlsx", [CommuneSheet("Ba Bể", rows, [(2, 1, 3, 1)])])


def district_group_rows(folder: Path) -> Path:
    """Group rows in three styles with extras ("(02 thôn)", ": 03 thôn", "- 02 thôn") and "Tổng số"."""
    rows: list[list[object]] = [
        ["UBND HUYỆN BA BỂ"],
        ["STT", "Đơn vị", *header("TC")],
        ["I", "I. Xã Hà Hiệu (02 thôn)"],
        [1, "Bản Hon", *marks([10])],
        [2, "Nà Hin", *marks([10, 11])],
        ["II", "II. XÃ CHU HƯƠNG: 03 thôn"],
        [1, "Pù Mắt", *marks([])],
        [2, "Bản Váng", *marks([7])],
        [3, "Khuổi Trả", *marks([7, 9])],
        ["", "Xã Mỹ Phương - 02 thôn"],
        [1, "Nà Hày", *marks([15])],
        [2, "Phiêng Phường", *marks([15, 17])],
        ["", "Tổng số"],
    ]
    return write_book(folder / "district-groups.xlsx", [CommuneSheet("Ba Bể", rows)])


def district_bare_and_totals(folder: Path) -> Path:
    """ "II | Khang Ninh" (a numeral, then the name), and group rows carrying the commune's totals."""
    n = len(NUMBERS)
    rows: list[list[object]] = [
        ["UBND HUYỆN BA BỂ"],
        ["TT", "Thôn", *header("number"), "Tổng số tiêu chí đạt"],
        ["I", "Xã Quảng Khê", *[2] * n, ""],
        [1, "Nà Khả", *marks([10]), n - 1],
        [2, "Bản Mới", *marks([10]), n - 1],
        ["II", "Khang Ninh", *[1] * n, ""],
        [1, "Nà Làng", *marks([19]), n - 1],
    ]
    return write_book(folder / "district-bare.xlsx", [CommuneSheet("Sheet1", rows)])


# --- sub-columns and verdicts ------------------------------------------------------------------------


def pair_columns(folder: Path, name: str = "pairs.xlsx", both: tuple[str, int] | None = None) -> Path:
    """Each criterion split into "Đạt" | "Chưa đạt" sub-columns with an "x" in one."""
    top: list[object] = ["STT", "Tên thôn"]
    sub: list[object] = ["", ""]
    merges: list[Merge] = [(3, 0, 4, 0), (3, 1, 4, 1)]
    for i, number in enumerate(NUMBERS):
        top += [f"Tiêu chí {number}", ""]
        sub += ["Đạt", "Chưa đạt"]
        merges.append((3, 2 + 2 * i, 3, 3 + 2 * i))

    def row(i: int, village: str, bad: set[int]) -> list[object]:
        out: list[object] = [i, village]
        for number in NUMBERS:
            out += ["", "x"] if number in bad else ["x", ""]
        if both is not None and both[0] == village:
            k = 2 + 2 * NUMBERS.index(both[1])
            out[k], out[k + 1] = "x", "x"
        return out

    rows: list[list[object]] = [
        ["UBND XÃ CẨM GIÀNG"],
        ["KẾT QUẢ ĐÁNH GIÁ"],
        [],
        top,
        sub,
        row(1, "Nà Vắc", {10}),
        row(2, "Bản Pjạc", {10, 11}),
    ]
    return write_book(folder / name, [CommuneSheet("Biểu", rows, merges)])


def pair_columns_decided(folder: Path) -> Path:
    return pair_columns(folder, "pairs-both.xlsx", both=("Nà Vắc", 7))


def _verdict_pairs(
    path: Path,
    title: str,
    heads: tuple[str, str],
    villages: list[tuple[str, set[int], set[int]]],
    *,
    lead_merged: bool,
) -> Path:
    """Each criterion split into the village's (or commune's) own verdict and the reviewer's."""
    top: list[object] = ["STT" if lead_merged else "TT", "Tên thôn" if lead_merged else "Thôn"]
    sub: list[object] = ["", ""]
    merges: list[Merge] = [(2, 0, 3, 0), (2, 1, 3, 1)] if lead_merged else []
    for i, number in enumerate(NUMBERS):
        top += [f"TC{number}", ""]
        sub += list(heads)
        merges.append((2, 2 + 2 * i, 2, 3 + 2 * i))

    def row(i: int, village: str, own: set[int], review: set[int]) -> list[object]:
        out: list[object] = [i, village]
        for number in NUMBERS:
            out += [NOT_MET if number in own else MET, NOT_MET if number in review else MET]
        return out

    rows: list[list[object]] = [[title], [], top, sub]
    rows += [row(i, *village) for i, village in enumerate(villages, 1)]
    return write_book(path, [CommuneSheet("Biểu" if lead_merged else "Trang 1", rows, merges)])


def two_verdicts(folder: Path) -> Path:
    """ "Thôn tự đánh giá" beside "UBND xã thẩm định" for each criterion: the reviewer's counts."""
    return _verdict_pairs(
        folder / "two-verdicts.xlsx",
        "UBND XÃ PHỦ THÔNG",
        ("Thôn tự đánh giá", "UBND xã thẩm định"),
        [("Nà Pài", {10}, {10, 11}), ("Khuổi Lừa", set(), {17})],
        lead_merged=True,
    )


def two_verdicts_commune_self(folder: Path) -> Path:
    """ "Xã tự đánh giá" | "UBND xã thẩm định" under each criterion, the lead headers not merged
    down: the "Xã ..." sub-header is a verdict, not a commune's group row."""
    return _verdict_pairs(
        folder / "two-verdicts-commune-self.xlsx",
        "UBND XÃ QUẢNG KHÊ",
        ("Xã tự đánh giá", "UBND xã thẩm định"),
        [("Khau Bun", set(), {10}), ("Thôn Nà Đăm", {7}, {7, 11})],
        lead_merged=False,
    )


def two_verdict_blocks(folder: Path) -> Path:
    """Two blocks of criteria under merged "Xã tự đánh giá" and "Kết quả kiểm tra" headers."""
    n = len(NUMBERS)
    top: list[object] = [
        "STT",
        "Thôn",
        "Xã tự đánh giá",
        *[""] * (n - 1),
        "Kết quả kiểm tra",
        *[""] * (n - 1),
    ]
    sub: list[object] = ["", "", *header("number"), *header("number")]
    rows: list[list[object]] = [
        ["UBND XÃ VI HƯƠNG"],
        top,
        sub,
        [1, "Nà Dấu", *marks([]), *marks([12])],
        [2, "Bản Chiêng", *marks([10]), *marks([10])],
    ]
    merges = [(1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 1, n + 1), (1, n + 2, 1, 2 * n + 1)]
    return write_book(folder / "two-verdict-blocks.xlsx", [CommuneSheet("Biểu", rows, merges)])


def indicators_under_criteria(folder: Path) -> Path:
    """Indicator sub-columns "9.1", "9.2" and "Tỷ lệ (%)" before each criterion's "Kết quả"."""
    top: list[object] = ["STT", "Thôn"]
    sub: list[object] = ["", ""]
    merges: list[Merge] = [(1, 0, 2, 0), (1, 1, 2, 1)]
    col = 2
    for number in NUMBERS:
        if number == 9:
            top += ["Tiêu chí 9", "", ""]
            sub += ["9.1", "9.2", "Kết quả"]
            merges.append((1, col, 1, col + 2))
            col += 3
        elif number == 11:
            top += ["Tiêu chí 11", ""]
            sub += ["Tỷ lệ (%)", "Kết quả"]
            merges.append((1, col, 1, col + 1))
            col += 2
        else:
            top.append(f"Tiêu chí {number}")
            sub.append("")
            merges.append((1, col, 2, col))
            col += 1

    def row(i: int, village: str, bad: set[int], values: tuple[object, object, object]) -> list[object]:
        out: list[object] = [i, village]
        for number in NUMBERS:
            mark = NOT_MET if number in bad else MET
            if number == 9:
                out += [values[0], values[1], mark]
            elif number == 11:
                out += [values[2], mark]
            else:
                out.append(mark)
        return out

    rows: list[list[object]] = [
        ["UBND XÃ NGUYÊN PHÚC"],
        top,
        sub,
        row(1, "Nà Rào", {11}, (80, "Đạt", 14.5)),
        row(2, "Thôn Nà Cà", {9}, (60, "Chưa đạt", 8.2)),
    ]
    return write_book(folder / "indicators.xlsx", [CommuneSheet("Biểu", rows, merges)])


def numeric_marks(folder: Path) -> Path:
    """Marks 1/0 in every criterion column."""
    rows: list[list[object]] = [
        ["UBND XÃ SĨ BÌNH"],
        ["STT", "Tên thôn", *header("number")],
        [1, "Bản Đồn", *marks([10], met=1, miss=0)],
        [2, "Nà Pán", *marks([], met=1, miss=0)],
    ]
    return write_book(folder / "numeric.xlsx", [CommuneSheet("Biểu", rows)])


def unmet_list(folder: Path) -> Path:
    """STT | Thôn | Số tiêu chí đạt | Các tiêu chí chưa đạt."""
    rows: list[list[object]] = [
        ["UBND XÃ TÂN TIẾN"],
        ["STT", "Thôn", "Số tiêu chí đạt", "Các tiêu chí chưa đạt"],
        [1, "Nà Lào", 16, "TC 7, 10, 11"],
        [2, "Khuổi Đeng", 17, "10; 11"],
        [3, "Phja Đăm", 19, "Không"],
    ]
    return write_book(folder / "unmet-list.xlsx", [CommuneSheet("Biểu", rows)])


def unmet_list_with_signature(folder: Path) -> Path:
    rows: list[list[object]] = [
        ["ỦY BAN NHÂN DÂN"],
        ["XÃ THƯỢNG QUAN"],
        ["TT", "Tên thôn", "Tổng số tiêu chí đạt", "Tiêu chí chưa đạt"],
        [1, "Nà Mằm", 17, "Tiêu chí 10, 11"],
        [2, "Bản Khúa", 16, "7, 10 và 11"],
        [],
        ["", "Người lập biểu", "", "TM. UBND XÃ"],
        ["", "Lý Thị Hoa", "", "Hà Văn Sơn"],
    ]
    return write_book(folder / "unmet-list-2.xlsx", [CommuneSheet("Biểu", rows)])


# --- criteria as rows -----------------------------------------------------------------------------------


def per_village_with_summary(folder: Path) -> Path:
    """One sheet per village (indicator rows under criteria) beside a summary sheet."""
    villages = [("Nà Ngần", {10}), ("Khuổi Hóp", {10, 11})]
    sheets = [
        CommuneSheet(
            "Tổng hợp",
            [
                ["UBND XÃ THUẦN MANG"],
                ["STT", "Tên thôn", *header("number")],
                *[[i, v, *marks(bad)] for i, (v, bad) in enumerate(villages, 1)],
            ],
        )
    ]
    for village, bad in villages:
        rows: list[list[object]] = [
            ["UBND XÃ THUẦN MANG"],
            [f"THÔN {village.upper()}"],
            [],
            ["TT", "Tên tiêu chí", "Kết quả thực hiện", "Tự đánh giá"],
        ]
        for c in CRITERIA.criteria:
            rows.append([c.number, c.name, "", NOT_MET if c.number in bad else MET])
            if c.number == 10:
                rows.append(
                    ["10.1", "Thu nhập bình quân đầu người (triệu đồng)", 41.5 if 10 in bad else 46, ""]
                )
        sheets.append(CommuneSheet(village, rows))
    return write_book(folder / "per-village-summary.xlsx", sheets)


def per_village_kind_titles(folder: Path) -> Path:
    """Village sheets titled "BẢN PÙ MẮT" and "THÔN 3" beside a summary sheet naming them
    "Bản Pù Mắt" and "Thôn 3": the kind word stays part of the name, as in the table."""
    villages = [("Bản Pù Mắt", {10}), ("Thôn 3", {7})]
    sheets = [
        CommuneSheet(
            "Tổng hợp",
            [
                ["UBND XÃ CHU HƯƠNG"],
                ["STT", "Tên thôn", *header("number")],
                *[[i, v, *marks(bad)] for i, (v, bad) in enumerate(villages, 1)],
            ],
        )
    ]
    for (village, bad), tab in zip(villages, ("Pù Mắt", "Thôn 3"), strict=True):
        rows: list[list[object]] = [
            ["UBND XÃ CHU HƯƠNG"],
            [village.upper()],
            [],
            ["TT", "Tên tiêu chí", "Kết quả đánh giá"],
            *[[c.number, c.name, NOT_MET if c.number in bad else MET] for c in CRITERIA.criteria],
        ]
        sheets.append(CommuneSheet(tab, rows))
    return write_book(folder / "per-village-kind-titles.xlsx", sheets)


def per_village_two_verdicts(folder: Path) -> Path:
    rows: list[list[object]] = [
        ["UBND XÃ LỤC BÌNH"],
        ["Thôn:", "Bản Chang"],
        [],
        ["TT", "Tiêu chí", "Thôn tự đánh giá", "Xã thẩm định"],
        *[[c.number, c.short_name, MET, NOT_MET if c.number in (10, 17) else MET] for c in CRITERIA.criteria],
    ]
    return write_book(folder / "per-village-verdicts.xlsx", [CommuneSheet("Trang 1", rows)])


def villages_as_columns(folder: Path) -> Path:
    """Criteria as rows, villages as columns under merged "Xã ..." headers."""
    rows: list[list[object]] = [
        ["UBND HUYỆN BẠCH THÔNG"],
        ["TT", "Tiêu chí", "Xã Cao Sơn", "", "Xã Vi Hương"],
        ["", "", "Thôm Khoan", "Khau Cà", "Đon Bậy"],
        *[
            [c.number, c.short_name, *("CĐ" if c.number in bad else "x" for bad in ({10}, {10, 11}, {19}))]
            for c in CRITERIA.criteria
        ],
    ]
    return write_book(folder / "villages-as-columns.xlsx", [CommuneSheet("TH", rows, [(1, 2, 1, 3)])])


# --- hidden and struck --------------------------------------------------------------------------------------


def hidden_sheet_and_struck_row(folder: Path) -> Path:
    """Last period's results on a hidden sheet; a struck-through village row."""
    current = CommuneSheet(
        "Năm 2024",
        [
            ["UBND XÃ ĐÔN PHONG"],
            ["STT", "Tên thôn", *header("number")],
            [1, "Bản Vén", *marks([7])],
            [2, "Bản Đán", *marks([10])],
            [3, "Nà Chè", *marks([10, 11])],
        ],
        struck_rows=(4,),
    )
    last = CommuneSheet(
        "Năm 2023",
        [["UBND XÃ ĐÔN PHONG"], ["STT", "Tên thôn", *header("number")], [1, "Bản Vén", *marks([7, 10, 13])]],
        hidden=True,
    )
    return write_book(folder / "hidden-sheet.xlsx", [current, last])


def hidden_sheet_working_data(folder: Path) -> Path:
    """A hidden working sheet of lists, and a hidden row in the table."""
    table = CommuneSheet(
        "Biểu",
        [
            ["Xã: Dương Phong"],
            ["STT", "Thôn", *header("TC")],
            [1, "Nà Nọi", *marks([10])],
            [2, "Khuổi Cuồng", *marks([10, 11])],
        ],
        hidden_rows=(3,),
    )
    lists = CommuneSheet("DS", [["Đạt"], ["Chưa đạt"]], hidden=True)
    return write_book(folder / "hidden-lists.xlsx", [table, lists])


# --- combined -----------------------------------------------------------------------------------------------


def combined_district(folder: Path) -> Path:
    """A district sheet with merged commune cells and group rows, pair sub-columns, an
    indicator, a subtotal per commune, a note and a signature block; a hidden sheet beside."""
    top: list[object] = ["STT", "Xã", "Tên thôn"]
    sub: list[object] = ["", "", ""]
    merges: list[Merge] = [(3, 0, 4, 0), (3, 1, 4, 1), (3, 2, 4, 2)]
    col = 3
    for number in NUMBERS:
        if number == 15:
            top += ["Tiêu chí 15", "", ""]
            sub += ["Tỷ lệ BHYT (%)", "Đạt", "Chưa đạt"]
            merges.append((3, col, 3, col + 2))
            col += 3
        else:
            top += [f"Tiêu chí {number}", ""]
            sub += ["Đạt", "Chưa đạt"]
            merges.append((3, col, 3, col + 1))
            col += 2

    def row(i: object, commune: str, village: str, bad: set[int], insurance: float) -> list[object]:
        out: list[object] = [i, commune, village]
        for number in NUMBERS:
            if number == 15:
                out.append(insurance)
            out += ["", "x"] if number in bad else ["x", ""]
        return out

    rows: list[list[object]] = [
        ["ỦY BAN NHÂN DÂN", "", "", "", "", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["HUYỆN BẠCH THÔNG"],
        ["BIỂU TỔNG HỢP KẾT QUẢ RÀ SOÁT TIÊU CHÍ THÔN 6 THÁNG ĐẦU NĂM 2024"],
        top,
        sub,
        row(1, "Quân Hà", "Bản Mún", {15}, 86.5),
        row(2, "", "Nà Pài", {10}, 93),
        ["", "Cộng xã Quân Hà"],
        row(3, "Mỹ Thanh", "Bản Luông", set(), 95),
        row(4, "", "Nà Dì", {10, 15}, 88),
        ["", "Cộng xã Mỹ Thanh"],
        ["", "Tổng cộng"],
        ["Ghi chú: đánh dấu x vào ô tương ứng."],
        *SIGNATURE,
    ]
    merges += [(5, 1, 6, 1), (8, 1, 9, 1)]
    last = CommuneSheet(
        "Kỳ trước",
        [["STT", "Xã", "Tên thôn", *header("number")], [1, "Quân Hà", "Bản Mún", *marks([])]],
        hidden=True,
    )
    return write_book(folder / "combined-district.xlsx", [CommuneSheet("Tổng hợp", rows, merges), last])


def combined_commune(folder: Path) -> Path:
    """A commune's table: Decree 30 heading, three-row header (group, number, name), an index
    row, a village row without marks, a struck-through village, "Cộng", note and signature."""
    n = len(NUMBERS)
    rows: list[list[object]] = [
        ["ỦY BAN NHÂN DÂN"],
        ["XÃ CẨM GIÀNG"],
        [],
        ["STT", "Tên thôn", "Các tiêu chí", *[""] * (n - 1), "Số tiêu chí đạt", "Ghi chú"],
        ["", "", *[f"TC {c}" for c in NUMBERS], "", ""],
        ["", "", *header("short"), "", ""],
        ["(1)", "(2)", *[f"({i})" for i in range(3, n + 3)], f"({n + 3})", f"({n + 4})"],
        [1, "Bản Cuôn", *marks([10, 11]), n - 2, ""],
        [2, "Nà Thác", *marks([7]), n - 1, "đã rút đăng ký"],
        [3, "Khuổi Tổng", *[""] * n, "", "chưa đánh giá"],
        ["", "Cộng", *[""] * n, "", ""],
        ["Ghi chú: Biểu gồm 03 thôn đăng ký."],
        *SIGNATURE,
    ]
    merges = [(3, 0, 5, 0), (3, 1, 5, 1), (3, 2, 3, n + 1), (3, n + 2, 5, n + 2), (3, n + 3, 5, n + 3)]
    return write_book(
        folder / "combined-commune.xlsx", [CommuneSheet("Biểu", rows, merges, struck_rows=(8,))]
    )


MAKERS: dict[str, Callable[[Path], Path]] = {
    "title-decree30-rows": title_decree30_rows,
    "title-decree30-side": title_decree30_side,
    "title-caption": title_caption,
    "title-label": title_label_next_cell,
    "communes-by-tab": commune_by_tab,
    "commune-by-file-name": commune_by_file_name,
    "commune-nowhere": commune_nowhere,
    "district-merged": district_merged_communes,
    "district-merged-counts": district_merged_with_counts,
    "district-groups": district_group_rows,
    "district-bare": district_bare_and_totals,
    "pairs": pair_columns,
    "pairs-both": pair_columns_decided,
    "two-verdicts": two_verdicts,
    "two-verdict-blocks": two_verdict_blocks,
    "two-verdicts-commune-self": two_verdicts_commune_self,
    "indicators": indicators_under_criteria,
    "numeric": numeric_marks,
    "unmet-list": unmet_list,
    "unmet-list-2": unmet_list_with_signature,
    "per-village-summary": per_village_with_summary,
    "per-village-verdicts": per_village_two_verdicts,
    "per-village-kind-titles": per_village_kind_titles,
    "villages-as-columns": villages_as_columns,
    "hidden-sheet": hidden_sheet_and_struck_row,
    "hidden-lists": hidden_sheet_working_data,
    "combined-district": combined_district,
    "combined-commune": combined_commune,
}


def make(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {name: maker(folder) for name, maker in MAKERS.items()}


if __name__ == "__main__":
    for name, path in make(Path(sys.argv[1])).items():
        print(f"{name}: {path}")
