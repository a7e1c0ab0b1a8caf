"""This period against the last, across the 2025 merger: what the sheet "So sánh kỳ trước" shows,
the warnings at their cells, a previous summary workbook read back, and the crosswalk's problems."""

from __future__ import annotations

import json
import unicodedata
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from ntm_xl import CriteriaSet, summarize
from ntm_xl._check._compare import Comparison, compare
from ntm_xl._check._crosswalk import load_crosswalk
from ntm_xl._cli import main
from ntm_xl._pipeline import load_previous

from ..conftest import GOLDEN, marks_row, write_table

COMPARISON_GOLDEN = GOLDEN / "so-sanh-ky-truoc.json"
SHEET = "So sánh kỳ trước"

# Last period, before the merger: four communes. (village, criteria not met)
PREVIOUS = {
    "vi-huong.xlsx": ("Vi Hương", [("Bản Rào", [7, 10]), ("Nà Lẹng", [10]), ("Khuổi Tích", [])]),
    "tan-tu.xlsx": ("Tân Tú", [("Cốc Pái", [7, 10, 11])]),
    "luc-binh.xlsx": ("Lục Bình", [("Pác Thiên", [10])]),
    "cao-son.xlsx": ("Cao Sơn", [("Thôm Khoan", [7]), ("Khau Cà", []), ("Nà Đon", [10]), ("Nà Hoà", [10])]),
}
# This period, after it: Xã Phủ Thông sends one file for the villages of the three former communes.
CURRENT = {
    "phu-thong.xlsx": (
        "Phủ Thông",
        [
            ("Nà Rào", [7]),  # Bản Rào renamed (crosswalk): gains 10
            ("THÔN NÀ LẸNG", [10, 15]),  # capitals and kind word; loses 15, keeps missing 10
            ("Bản Khuổi Tích", [10]),  # kind word "Bản": loses 10, no longer meets the standard
            ("Cốc Pái", [7, 10, 11]),
            ("Pác Thiên", []),  # gains 10: meets the standard
            ("Nà Khon", [10]),  # new this period
        ],
    ),
    "cao-son.xlsx": ("Cao Sơn", [("Thôm Khoan", []), ("Khau Cà", []), ("Nà Hòa", [10])]),  # Nà Đon is gone
}
CROSSWALK = [
    ["BẢNG CHUYỂN ĐỔI ĐƠN VỊ HÀNH CHÍNH (từ 01/7/2025)"],
    [],
    ["Xã cũ", "Thôn cũ", "Xã mới", "Thôn mới", "Ghi chú"],
    ["Vi Hương", "", "Phủ Thông", "", "Nghị quyết sắp xếp 2025"],
    ["Tân Tú", "", "Phủ Thông", ""],
    ["Xã Lục Bình", "", "Xã Phủ Thông", ""],
    ["Vi Hương", "Bản Rào", "", "Nà Rào", "đổi tên thôn"],
]


def _commune_file(
    path: Path, criteria: CriteriaSet, commune: str, villages: list[tuple[str, list[int]]]
) -> Path:
    rows: list[list[object]] = [[f"Xã: {commune}"], ["Thôn", *criteria.numbers]]
    rows += [[name, *marks_row(criteria, not_met)] for name, not_met in villages]
    return write_table(path, {"Biểu": rows})


def _period(
    folder: Path, criteria: CriteriaSet, files: dict[str, tuple[str, list[tuple[str, list[int]]]]]
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [_commune_file(folder / name, criteria, *spec) for name, spec in files.items()]


def make_periods(folder: Path, criteria: CriteriaSet) -> tuple[list[Path], list[Path], Path]:
    """The two periods' commune files and the crosswalk, in ``folder``."""
    previous = _period(folder / "ky-truoc", criteria, PREVIOUS)
    current = _period(folder / "ky-nay", criteria, CURRENT)
    crosswalk = write_table(folder / "chuyen-doi.xlsx", {"Chuyển đổi đơn vị": CROSSWALK})
    return current, previous, crosswalk


def sheet_values(path: Path, name: str = SHEET) -> list[list[object]]:
    """A sheet's values as a clerk sees them, trailing blanks dropped, numbers as int where whole."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()
    out = []
    for row in rows:
        values = [int(v) if isinstance(v, float) and v.is_integer() else v for v in row]
        while values and values[-1] == "":
            values.pop()
        out.append(values)
    return out


def comparison_golden_values(folder: Path) -> list[list[object]]:
    """The sheet of the two periods across the merger, compared with the previous summary workbook."""
    from ntm_xl import load_criteria

    current, previous, crosswalk = make_periods(folder, load_criteria())
    assert main(["summarize", *map(str, previous), "-o", str(folder / "tong-hop-ky-truoc.xlsx"), "-q"]) == 0
    out = folder / "tong-hop.xlsx"
    args = ["summarize", *map(str, current), "-o", str(out), "-q"]
    args += ["--previous", str(folder / "tong-hop-ky-truoc.xlsx"), "--crosswalk", str(crosswalk)]
    main(args)
    return sheet_values(out)


@pytest.fixture(scope="module")
def periods(
    tmp_path_factory: pytest.TempPathFactory, criteria: CriteriaSet
) -> tuple[list[Path], list[Path], Path]:
    return make_periods(tmp_path_factory.mktemp("periods"), criteria)


def _problems(summary_problems: object) -> list[tuple[str, str, str, str]]:
    return [(p.code, p.file.name, p.sheet, p.cell) for p in summary_problems]  # type: ignore[attr-defined]


def test_villages_compare_across_the_merger_with_gains_losses_new_and_gone(
    periods: tuple[list[Path], list[Path], Path], criteria: CriteriaSet
) -> None:
    current_files, previous_files, crosswalk_file = periods
    crosswalk = load_crosswalk(crosswalk_file)
    assert crosswalk.problems == ()
    reads = []
    current = summarize(current_files, criteria, crosswalk=crosswalk, on_read=reads.append)
    previous, files = load_previous(previous_files, criteria)
    comparison = compare(current, previous, crosswalk, entries=reads[0].entries, previous_files=files)
    rows = {
        c.shown_village: (
            c.shown_commune(),
            c.previous.assessment.met_count,
            c.current.met_count,
            c.gained,
            c.lost,
        )
        for c in comparison.changes
    }
    assert rows == {
        "Nà Rào (trước: Bản Rào)": ("Phủ Thông (trước: xã Vi Hương)", 17, 18, (10,), ()),
        "Nà Lẹng": ("Phủ Thông (trước: xã Vi Hương)", 18, 17, (), (15,)),
        "Bản Khuổi Tích (trước: Khuổi Tích)": ("Phủ Thông (trước: xã Vi Hương)", 19, 18, (), (10,)),
        "Cốc Pái": ("Phủ Thông (trước: xã Tân Tú)", 16, 16, (), ()),
        "Pác Thiên": ("Phủ Thông (trước: xã Lục Bình)", 18, 19, (10,), ()),
        "Thôm Khoan": ("Cao Sơn", 18, 19, (7,), ()),
        "Khau Cà": ("Cao Sơn", 19, 19, (), ()),
        "Nà Hòa": ("Cao Sơn", 18, 18, (), ()),  # "Nà Hoà" last period: tone placement only
    }
    assert [(v.commune, v.village) for v in comparison.new] == [("Phủ Thông", "Nà Khon")]
    assert [(g.commune, g.village, g.assessment.location.cell) for g in comparison.gone] == [
        ("Cao Sơn", "Nà Đon", "A5")
    ]
    assert [
        (c.commune, c.former, c.villages_before, c.villages_now, c.standard_before, c.standard_now, c.change)
        for c in comparison.communes
    ] == [
        ("Phủ Thông", ("Vi Hương", "Tân Tú", "Lục Bình"), 5, 6, 1, 1, 0),
        ("Cao Sơn", (), 4, 3, 1, 2, 1),
    ]
    # Each lost criterion is a warning at this period's mark cell: criterion 15 is column P, 10 is K.
    assert _problems(comparison.problems) == [
        ("C010", "phu-thong.xlsx", "Biểu", "P4"),
        ("C010", "phu-thong.xlsx", "Biểu", "K5"),
    ]
    assert comparison.problems[1].message == (
        "Thôn Bản Khuổi Tích (xã Phủ Thông) đạt tiêu chí số 10 (Thu nhập) ở kỳ trước, kỳ này chưa đạt; "
        "cần xem lại kết quả hoặc ghi rõ lý do."
    )
    # Combined under the new commune everywhere in the summary.
    assert current.communes == ("Phủ Thông", "Cao Sơn")


def test_without_the_crosswalk_former_communes_are_gone_never_guessed(
    periods: tuple[list[Path], list[Path], Path], criteria: CriteriaSet
) -> None:
    current_files, previous_files, _ = periods
    comparison = compare(summarize(current_files, criteria), load_previous(previous_files, criteria)[0])
    assert [c.current.village for c in comparison.changes] == ["Thôm Khoan", "Khau Cà", "Nà Hòa"]
    assert len(comparison.new) == 6 and len(comparison.gone) == 6


def test_an_ambiguous_name_is_reported_not_matched(tmp_path: Path, criteria: CriteriaSet) -> None:
    def compared(before: list[str], now: list[str]) -> Comparison:
        previous = _commune_file(tmp_path / "truoc.xlsx", criteria, "Đôn Phong", [(n, [7]) for n in before])
        current = _commune_file(tmp_path / "nay.xlsx", criteria, "Đôn Phong", [(n, []) for n in now])
        return compare(summarize([current], criteria), load_previous([previous], criteria)[0])

    # Last period had "Bản Vén" and "Vén"; this period only "Vén": which one is it?
    comparison = compared(["Bản Vén", "Vén"], ["Bản Đán", "Vén"])
    assert comparison.changes == () and comparison.gone == ()
    assert _problems(comparison.problems) == [("C011", "nay.xlsx", "Biểu", "A4")]
    assert [v.village for v in comparison.unmatched] == ["Vén"]
    assert [v.village for v in comparison.new] == ["Bản Đán"]
    assert "cùng một tên có 1 thôn ở kỳ này và 2 thôn ở kỳ trước" in comparison.problems[0].message
    # Two this period for one last period.
    comparison = compared(["Vẻn"], ["Thôn Vẻn", "Bản Vẻn"])
    assert [(p.code, p.cell) for p in comparison.problems] == [("C011", "A3"), ("C011", "A4")]
    # The same two spellings in both periods pair off exactly.
    comparison = compared(["Bản Vén", "VÉN"], ["Vén", "Bản Vén"])
    assert [(c.current.village, c.previous.assessment.location.cell) for c in comparison.changes] == [
        ("Vén", "A4"),
        ("Bản Vén", "A3"),
    ]
    assert comparison.problems == ()


def test_previous_summary_workbook_compares_like_its_commune_files(
    tmp_path: Path, periods: tuple[list[Path], list[Path], Path]
) -> None:
    current, previous, crosswalk = periods
    written = tmp_path / "tong-hop-ky-truoc.xlsx"
    assert main(["summarize", *map(str, previous), "-o", str(written), "-q"]) == 0
    outputs = []
    for label, source in (("files", [str(p) for p in previous]), ("workbook", [str(written)])):
        out = tmp_path / f"{label}.xlsx"
        status = main(
            [
                "summarize",
                *map(str, current),
                "-o",
                str(out),
                "-q",
                "--previous",
                *source,
                "--crosswalk",
                str(crosswalk),
            ]
        )
        assert status == 0  # losses are warnings
        # Below the note naming the previous files; where a gone village was is the file's own.
        rows = sheet_values(out)[2:]
        outputs.append([[v for v in r if not (isinstance(v, str) and ", trang '" in v)] for r in rows])
    assert outputs[0] == outputs[1]
    sheet = openpyxl.load_workbook(tmp_path / "workbook.xlsx")["Kiểm tra dữ liệu"]
    found = [tuple(sheet.cell(r, c).value for c in (3, 4, 5, 6)) for r in range(5, sheet.max_row + 1)]
    assert found == [("C010", "phu-thong.xlsx", "Biểu", "P4"), ("C010", "phu-thong.xlsx", "Biểu", "K5")]


def test_the_comparison_sheet_equals_its_golden(tmp_path: Path) -> None:
    expected = json.loads(COMPARISON_GOLDEN.read_text(encoding="utf-8"))
    assert comparison_golden_values(tmp_path) == expected, "run: python -m tests.regenerate"


def test_the_cli_end_to_end_prints_the_warnings(
    tmp_path: Path, periods: tuple[list[Path], list[Path], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    current, previous, crosswalk = periods
    out = tmp_path / "th.xlsx"
    args = ["summarize", *map(str, current), "-o", str(out), "--previous", str(previous[0].parent)]
    assert main([*args, "--crosswalk", str(crosswalk)]) == 0
    err = capsys.readouterr().err
    assert "Cảnh báo C010: phu-thong.xlsx, trang 'Biểu', ô K5: Thôn Bản Khuổi Tích (xã Phủ Thông) đạt" in err
    values = sheet_values(out)
    assert values[0] == ["SO SÁNH KẾT QUẢ RÀ SOÁT TIÊU CHÍ THÔN VỚI KỲ TRƯỚC"]
    assert values[1][0].startswith(
        "Kỳ trước: cao-son.xlsx, luc-binh.xlsx, tan-tu.xlsx, vi-huong.xlsx. 8 thôn"
    )
    # The folder's files in name order: Lục Bình's village comes first.
    assert ["1", "Phủ Thông (trước: xã Lục Bình, xã Tân Tú, xã Vi Hương)", 5, 6, 1, 1, 0] in [
        [str(v) if i == 0 else v for i, v in enumerate(r)] for r in values
    ]
    # Without --previous there is no comparison sheet.
    assert main(["summarize", *map(str, current), "-o", str(tmp_path / "b.xlsx"), "-q"]) == 0
    assert SHEET not in CalamineWorkbook.from_path(str(tmp_path / "b.xlsx")).sheet_names


@pytest.fixture(scope="module")
def previous_workbook(
    tmp_path_factory: pytest.TempPathFactory, periods: tuple[list[Path], list[Path], Path]
) -> Path:
    """Last period's summary workbook, as ntm-xl writes it."""
    written = tmp_path_factory.mktemp("previous") / "tong-hop.xlsx"
    assert main(["summarize", *map(str, periods[1]), "-o", str(written), "-q"]) == 0
    return written


def _edited(source: Path, target: Path, cell: str, value: object) -> Path:
    book = openpyxl.load_workbook(source)
    book["Biểu chi tiết"][cell] = value
    book.save(target)
    return target


def test_a_summary_workbook_edited_by_hand_is_refused_at_its_cell(
    tmp_path: Path,
    periods: tuple[list[Path], list[Path], Path],
    criteria: CriteriaSet,
    previous_workbook: Path,
) -> None:
    current = periods[0]
    written = previous_workbook
    # Row 7 is the group row "I | Xã Vi Hương", row 8 its first village; E is criterion 3, V the count.
    mark = _edited(written, tmp_path / "mark.xlsx", "E8", "Đạt")
    count = _edited(written, tmp_path / "count.xlsx", "V8", 5)
    other_set = _edited(written, tmp_path / "set.xlsx", "U5", 30)
    for path, cell in ((mark, "E8"), (count, "V8"), (other_set, "C5")):
        summary, _ = load_previous([path], criteria)
        assert _problems(summary.problems) == [("C012", path.name, "Biểu chi tiết", cell)], path.name
        assert summary.villages == ()
    assert "hai kỳ phải dùng cùng bộ tiêu chí" in load_previous([other_set], criteria)[0].problems[0].message
    status = main(
        ["summarize", *map(str, current), "-o", str(tmp_path / "o.xlsx"), "-q", "--previous", str(mark)]
    )
    assert status == 1
    problems = sheet_values(tmp_path / "o.xlsx", "Kiểm tra dữ liệu")[4:]
    assert [r[2:6] for r in problems] == [
        ["C012", "mark.xlsx", "Biểu chi tiết", "E8"],
        ["C013", "mark.xlsx", "", ""],
    ]


def test_a_commune_sheet_named_like_the_detailed_table_is_read_as_a_commune_file(
    tmp_path: Path, criteria: CriteriaSet
) -> None:
    rows: list[list[object]] = [
        ["Xã: Cao Sơn"],
        ["Thôn", *criteria.numbers],
        ["Khau Cà", *marks_row(criteria, [])],
    ]
    path = write_table(tmp_path / "bieu.xlsx", {"Biểu chi tiết": rows})
    summary, _ = load_previous([path], criteria)
    assert [(v.commune, v.village, v.met_count) for v in summary.villages] == [("Cao Sơn", "Khau Cà", 19)]


def test_crosswalk_problems_are_located(tmp_path: Path, criteria: CriteriaSet) -> None:
    table = [
        ["Xã cũ", "Thôn cũ", "Xã mới", "Thôn mới"],
        ["Vi Hương", "", "Phủ Thông", ""],  # row 2: used
        ["", "Nà Lẹng", "Phủ Thông", ""],  # row 3: no former commune
        ["Tân Tú", "", "", ""],  # row 4: nothing to map to
        ["Vi Hương", "Bản Rào", "", "Nà Rào"],  # row 5
        ["Vi Hương", "Thôn Bản Rào", "", "Nà Rào 2"],  # row 6: Bản Rào mapped twice
        ["Lục Bình", "", "Cẩm Giàng", ""],  # rows 7-8: a loop
        ["Cẩm Giàng", "", "Lục Bình", ""],
        ["Không Có", "", "Phủ Thông", ""],  # row 9: no file names this commune
    ]
    path = write_table(tmp_path / "cw.xlsx", {"Chuyển đổi đơn vị": table})
    crosswalk = load_crosswalk(path)
    assert _problems(crosswalk.problems) == [
        ("C014", "cw.xlsx", "Chuyển đổi đơn vị", "A3"),
        ("C014", "cw.xlsx", "Chuyển đổi đơn vị", "C4"),
        ("C015", "cw.xlsx", "Chuyển đổi đơn vị", "A6"),
        ("C016", "cw.xlsx", "Chuyển đổi đơn vị", "A7"),
    ]
    assert "Thôn Bản Rào (xã Vi Hương) đã được chuyển đổi ở ô A5" in crosswalk.problems[2].message
    assert crosswalk.problems[3].params["chain"] == "Xã Lục Bình → Xã Cẩm Giàng → Xã Lục Bình"
    assert [(r.former_commune, r.commune) for r in crosswalk.rows] == [
        ("Vi Hương", "Phủ Thông"),
        ("Không Có", "Phủ Thông"),
    ]
    files = _period(tmp_path / "xa", criteria, {"vi-huong.xlsx": PREVIOUS["vi-huong.xlsx"]})
    out = tmp_path / "th.xlsx"
    assert main(["summarize", *map(str, files), "-o", str(out), "-q", "--crosswalk", str(path)]) == 1
    problems = sheet_values(out, "Kiểm tra dữ liệu")[4:]
    assert [tuple(r[2:6]) for r in problems] == [
        *_problems(crosswalk.problems),
        ("C017", "cw.xlsx", "Chuyển đổi đơn vị", "A9"),
    ]
    # The villages of Vi Hương are counted under Phủ Thông; Bản Rào was mapped twice, so it keeps its name.
    detail = sheet_values(out, "Biểu chi tiết")
    assert detail[6][:2] == ["I", "Xã Phủ Thông"]
    assert [r[1] for r in detail[7:10]] == ["Bản Rào", "Nà Lẹng", "Khuổi Tích"]


def _ansi(text: str) -> bytes:
    """Text as Excel's plain CSV saves it on a Vietnamese Windows: code page 1258, tones combining."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", char)
            tones = "".join(m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(m for m in marks if m not in tones))
            out += base.encode("cp1258") + tones.encode("cp1258")
    return out


def test_a_crosswalk_in_csv_as_excel_saves_it(tmp_path: Path, criteria: CriteriaSet) -> None:
    text = "Xã cũ;Thôn cũ;Xã mới;Thôn mới\r\nVi Hương;;Phủ Thông;\r\nVi Hương;Bản Rào;;Nà Rào\r\n"
    path = tmp_path / "chuyen-doi.csv"
    path.write_bytes(_ansi(text))
    crosswalk = load_crosswalk(path)
    assert crosswalk.problems == ()
    assert crosswalk.unit("Vi Hương", "Thôn Bản Rào") == ("Phủ Thông", "Nà Rào")
    assert crosswalk.unit("vi hương", "Nà Lẹng") == ("Phủ Thông", "Nà Lẹng")
    assert crosswalk.unit("Cao Sơn", "Khau Cà") == ("Cao Sơn", "Khau Cà")
    path.write_text(text.replace(";", ","), encoding="utf-8-sig")
    assert load_crosswalk(path).unit("Vi Hương", "Bản Rào") == ("Phủ Thông", "Nà Rào")


def test_a_crosswalk_without_its_header_stops_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_table(tmp_path / "cw.xlsx", {"S": [["Xã", "Thôn"], ["Vi Hương", "Bản Rào"]]})
    assert main(["summarize", str(path), "-o", str(tmp_path / "o.xlsx"), "--crosswalk", str(path)]) == 2
    assert (
        "không thấy dòng tiêu đề có các cột 'Xã cũ', 'Thôn cũ', 'Xã mới', 'Thôn mới'"
        in capsys.readouterr().err
    )
    assert not (tmp_path / "o.xlsx").exists()


def test_the_master_workbook_compares_with_a_configured_previous_summary(
    tmp_path: Path, demo_files: list[Path], criteria: CriteriaSet
) -> None:
    import ntm_xl.excel as excel
    from ntm_xl import write_summary_workbook
    from ntm_xl._excel._master import CONFIG_SHEET, build_master_workbook

    from ..excel_remote import load_workbook, press

    # Last period Thôm Khoan (Cao Sơn) met every criterion; this period it misses 10 and 11.
    summary = summarize(demo_files, criteria)
    first = summary.villages[0]
    better = replace(first, met=criteria.numbers, not_met=())
    previous = write_summary_workbook(
        tmp_path / "tong-hop-ky-truoc.xlsx", replace(summary, villages=(better, *summary.villages[1:]))
    )
    state, _ = press(
        load_workbook(build_master_workbook(tmp_path / "ntm-xl.xlsm")),
        excel.nhap_du_lieu_xa,
        paths=demo_files,
    )
    edited = state.apply([])
    config = edited.sheet(CONFIG_SHEET)
    rows = {v: r for (r, c), v in config.values.items() if c == 0}
    config.values[(rows["Biểu tổng hợp kỳ trước"], 1)] = str(previous)
    computed, _ = press(edited, excel.tinh_toan)
    grid = [[v for v in row if v != ""] for row in computed.sheet(SHEET).grid()]
    assert grid[0] == ["SO SÁNH KẾT QUẢ RÀ SOÁT TIÊU CHÍ THÔN VỚI KỲ TRƯỚC"]
    assert [1, "Cao Sơn", 2, 2, 1, 0, -1] in grid
    assert [1, "Cao Sơn", "Thôm Khoan", 19, 17, -2, "10, 11"] in grid
    problems = [row for row in computed.sheet("Kiểm tra dữ liệu").grid() if "C010" in row]
    assert [(r[2], r[4], r[5]) for r in problems] == [("C010", "Dữ liệu", "B5"), ("C010", "Dữ liệu", "B5")]
    # The detailed table as the button writes it reads back as a previous summary.
    from ntm_xl._check._compare import read_previous_summary
    from ntm_xl._values._model import InputSheet

    grid = computed.sheet("Biểu chi tiết").grid()
    rows = tuple(tuple(v[1:] if isinstance(v, str) and v.startswith("'") else v for v in row) for row in grid)
    villages, communes, refused = read_previous_summary(
        InputSheet("Biểu chi tiết", rows), tmp_path / "ntm-xl.xlsm", criteria
    )
    assert refused == () and len(villages) == 21 and len(communes) == 13
    assert [(v.village, v.met_count) for v in villages] == [
        (v.village, v.met_count) for v in summary.villages
    ]


def test_notice_takes_the_crosswalk_too(tmp_path: Path, periods: tuple[list[Path], list[Path], Path]) -> None:
    _, previous, crosswalk = periods
    out = tmp_path / "tb.docx"
    assert main(["notice", *map(str, previous), "-o", str(out), "-q", "--crosswalk", str(crosswalk)]) == 0
    with zipfile.ZipFile(out) as package:
        document = package.read("word/document.xml").decode("utf-8")
    assert "xã Phủ Thông" in document and "xã Vi Hương" not in document


def test_villages_merged_by_the_crosswalk_compare_each_with_the_new_village(
    tmp_path: Path, criteria: CriteriaSet
) -> None:
    table = [
        ["Xã cũ", "Thôn cũ", "Xã mới", "Thôn mới"],
        ["Vi Hương", "", "Phủ Thông", ""],
        ["Vi Hương", "Nà Lẹng", "", "Nà Lẹng Khuổi Tích"],
        ["Vi Hương", "Khuổi Tích", "", "Nà Lẹng Khuổi Tích"],
    ]
    crosswalk = load_crosswalk(write_table(tmp_path / "cw.xlsx", {"S": table}))
    previous = _commune_file(
        tmp_path / "truoc.xlsx", criteria, "Vi Hương", [("Nà Lẹng", [10]), ("Khuổi Tích", [])]
    )
    current = _commune_file(tmp_path / "nay.xlsx", criteria, "Phủ Thông", [("Nà Lẹng Khuổi Tích", [10, 11])])
    comparison = compare(summarize([current], criteria), load_previous([previous], criteria)[0], crosswalk)
    assert [(c.shown_village, c.lost) for c in comparison.changes] == [
        ("Nà Lẹng Khuổi Tích (trước: Nà Lẹng)", (11,)),
        ("Nà Lẹng Khuổi Tích (trước: Khuổi Tích)", (10, 11)),
    ]
    assert comparison.new == () and comparison.gone == ()
    assert [(c.villages_before, c.villages_now, c.change) for c in comparison.communes] == [(2, 1, -1)]
    # Without the village rows as read, the warnings are at the village's name cell.
    assert [(p.code, p.cell) for p in comparison.problems] == [("C010", "A3")] * 3


def test_a_summary_workbook_without_its_detailed_table_is_refused(
    tmp_path: Path, criteria: CriteriaSet, previous_workbook: Path
) -> None:
    book = openpyxl.load_workbook(previous_workbook)
    del book["Biểu chi tiết"]
    book.save(tmp_path / "cut.xlsx")
    summary, _ = load_previous([tmp_path / "cut.xlsx"], criteria)
    assert _problems(summary.problems) == [("C012", "cut.xlsx", "", "")]
    assert summary.villages == ()


def test_files_from_before_the_merger_combine_under_the_new_units(
    tmp_path: Path, periods: tuple[list[Path], list[Path], Path]
) -> None:
    current, previous, crosswalk = periods
    out = tmp_path / "th.xlsx"
    # Last period's files (before the merger) with this period's Cao Sơn: one summary, two communes.
    assert (
        main(
            [
                "summarize",
                *map(str, previous[:3]),
                str(current[1]),
                "-o",
                str(out),
                "-q",
                "--crosswalk",
                str(crosswalk),
            ]
        )
        == 0
    )
    assert sheet_values(out, "Đơn vị sau sắp xếp") == [
        ["CÁC THÔN ĐƯỢC TÍNH THEO ĐƠN VỊ SAU SẮP XẾP"],
        [
            "Bảng chuyển đổi: chuyen-doi.xlsx. 5 thôn trong các biểu được tính theo xã, thôn mới; "
            "tên cũ ghi trong ngoặc."
        ],
        [],
        ["STT", "Xã", "Thôn", "Vị trí trong biểu"],
        [1, "Phủ Thông (trước: xã Vi Hương)", "Nà Rào (trước: Bản Rào)", "vi-huong.xlsx, trang 'Biểu', ô A3"],
        [2, "Phủ Thông (trước: xã Vi Hương)", "Nà Lẹng", "vi-huong.xlsx, trang 'Biểu', ô A4"],
        [3, "Phủ Thông (trước: xã Vi Hương)", "Khuổi Tích", "vi-huong.xlsx, trang 'Biểu', ô A5"],
        [4, "Phủ Thông (trước: xã Tân Tú)", "Cốc Pái", "tan-tu.xlsx, trang 'Biểu', ô A3"],
        [5, "Phủ Thông (trước: xã Lục Bình)", "Pác Thiên", "luc-binh.xlsx, trang 'Biểu', ô A3"],
    ]
    overview = sheet_values(out, "Tổng hợp")
    assert [r[1] for r in overview if r and r[0] in (1, 2) and len(r) > 2 and isinstance(r[2], int)] == [
        "Phủ Thông",
        "Cao Sơn",
    ]
    lines = [v for row in sheet_values(out, "Thông báo") for v in row]
    assert (
        "- Số thôn đạt 19 tiêu chí: 03 thôn (Khuổi Tích xã Phủ Thông; Thôm Khoan, Khau Cà xã Cao Sơn)."
        in lines
    )


def test_check_reports_the_crosswalk_problems_and_no_output_overwrites_a_previous_file(
    tmp_path: Path, periods: tuple[list[Path], list[Path], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    current, previous, _ = periods
    table = [["Xã cũ", "Thôn cũ", "Xã mới", "Thôn mới"], ["Vi Hương", "", "", ""]]
    crosswalk = write_table(tmp_path / "cw.xlsx", {"S": table})
    assert main(["check", *map(str, previous), "-q", "--json", "--crosswalk", str(crosswalk)]) == 1
    found = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["code"], p["sheet"], p["cell"]) for p in found] == [("C014", "S", "C2")]
    before = previous[0].read_bytes()
    args = ["summarize", *map(str, current), "-o", str(previous[0]), "--previous", *map(str, previous)]
    assert main(args) == 2
    assert "trùng với một tệp đầu vào" in capsys.readouterr().err
    assert previous[0].read_bytes() == before


def test_a_village_not_counted_in_one_period_is_neither_new_nor_gone(
    tmp_path: Path, criteria: CriteriaSet
) -> None:
    blank = marks_row(criteria, [])
    blank[4] = ""  # criterion 5 left blank: the village is not counted
    rows: list[list[object]] = [["Xã: Cao Sơn"], ["Thôn", *criteria.numbers], ["Nà Đon", *blank]]
    rows.append(["Khau Cà", *marks_row(criteria, [])])
    current = write_table(tmp_path / "nay.xlsx", {"Biểu": rows})
    previous = _commune_file(
        tmp_path / "truoc.xlsx", criteria, "Cao Sơn", [("Nà Đon", [10]), ("Bản Mới", [])]
    )
    rows = [["Xã: Cao Sơn"], ["Thôn", *criteria.numbers], ["Bản Mới", *marks_row(criteria, [])]]
    rows += [["Khau Cà", *blank]]
    earlier = write_table(tmp_path / "truoc-nua.xlsx", {"Biểu": rows})
    summary = summarize([current], criteria)
    comparison = compare(summary, load_previous([previous], criteria)[0])
    assert comparison.gone[0].village == "Bản Mới" and len(comparison.gone) == 1
    assert [
        (c, v, period, where.file.name, where.cell) for c, v, period, where in comparison.not_counted
    ] == [("Cao Sơn", "Nà Đon", "kỳ này", "truoc.xlsx", "A3")]
    comparison = compare(summary, load_previous([earlier], criteria)[0])
    assert comparison.new == ()
    assert [(v, period) for _, v, period, _ in comparison.not_counted] == [("Khau Cà", "kỳ trước")]
    out = tmp_path / "th.xlsx"
    assert main(["summarize", str(current), "-o", str(out), "-q", "--previous", str(previous)]) == 1
    values = sheet_values(out)
    start = values.index(["5. Thôn có ở cả hai kỳ nhưng một kỳ chưa được tính do lỗi dữ liệu"])
    assert values[start + 1 : start + 3] == [
        ["STT", "Xã", "Thôn", "Kỳ chưa được tính", "Vị trí (kỳ được tính)"],
        [1, "Cao Sơn", "Nà Đon", "kỳ này", "truoc.xlsx, trang 'Biểu', ô A3"],
    ]


def test_the_registry_of_the_new_commune_applies_after_the_crosswalk(
    periods: tuple[list[Path], list[Path], Path], criteria: CriteriaSet
) -> None:
    from ntm_xl._check._registry import registry_from_pairs

    _, previous, crosswalk = periods
    names = ["Nà Rào", "Nà Lẹng", "Khuổi Tích", "Cốc Pái", "Pác Thiên"]
    registry = registry_from_pairs([("Phủ Thông", v) for v in names])
    # Last period's files, before the merger; Cao Sơn is not in this registry.
    summary = summarize(previous, criteria, registry=registry, crosswalk=crosswalk)
    assert [(p.code, p.file.name) for p in summary.problems if p.code.startswith("D")] == [
        ("D001", "cao-son.xlsx"),
        ("D004", "Danh mục thôn"),
    ]
    assert [v.village for v in summary.villages] == [
        "Nà Rào",
        "Nà Lẹng",
        "Khuổi Tích",
        "Cốc Pái",
        "Pác Thiên",
    ]
