"""Units after the 2025 reform: a notice issued by a new commune, villages grouped by commune,
by former commune or not at all; the demo's second example (Xã Phủ Thông)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from python_calamine import CalamineWorkbook

from ntm_xl import CriteriaSet, Summary, UsageError, summarize, write_commune_form
from ntm_xl._cli import main
from ntm_xl._demo import REFORM_FOLDER, load_reform_demo, reform_notice_config, write_reform_sample
from ntm_xl._excel._master import CONFIG_FIELDS, read_config
from ntm_xl._notice._config import Grouping, NoticeConfig, load_notice_config, notice_config_from_mapping
from ntm_xl._notice._sections import notice_frame, notice_sections
from ntm_xl._notice._units import resolve_former_communes
from ntm_xl._render._summary import SHEET_NAMES, write_notice_text, write_summary_workbook
from ntm_xl._render._word import write_notice_document
from ntm_xl.excel import _notice_config as sheet_notice_keys

from ..conftest import GOLDEN, marks_row, write_table

REFORM_GOLDEN = "demo-phu-thong-thong-bao.txt"
GROUPINGS_GOLDEN = "reform-groupings.txt"
GROUPING_WORDS = {Grouping.COMMUNE: "xã", Grouping.FORMER: "xã cũ", Grouping.NONE: "không"}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_reform_sample(tmp_path_factory.mktemp("phu-thong"))


@pytest.fixture(scope="module")
def reform_summary(sample: Path) -> Summary:
    return summarize([sample], load_reform_demo().criteria)


def commune_config(grouping: Grouping) -> NoticeConfig:
    return notice_config_from_mapping(
        {"issuing_unit": "xã Phủ Thông", "grouping": GROUPING_WORDS[grouping], "date": "12/2025"}
    )


def groupings_text(summary: Summary) -> str:
    """The commune-issued notice's text for each grouping (the golden file's content)."""
    parts = []
    for grouping in Grouping:
        config = commune_config(grouping)
        parts.append(f"### grouping = {GROUPING_WORDS[grouping]}\n")
        parts.append(notice_frame(summary, config).text(notice_sections(summary, config)))
    return "\n".join(parts)


def test_the_new_communes_file_names_each_villages_former_commune(reform_summary: Summary) -> None:
    assert reform_summary.problems == ()
    assert [(v.commune, v.village, v.commune_source) for v in reform_summary.villages] == [
        ("Vi Hương", "Đon Bậy", "group"),
        ("Vi Hương", "Nà Ít", "group"),
        ("Vi Hương", "Bó Lịn", "group"),
        ("Tân Tú", "Cốc Pái", "group"),
        ("Lục Bình", "Bắc Lanh Chang", "group"),
    ]


@pytest.mark.parametrize("label", ["Xã {name} cũ", "I. XÃ {name} CŨ", "Xã {name} (cũ) - 03 thôn"])
def test_the_former_mark_of_a_group_row_is_no_part_of_the_name(tmp_path: Path, label: str) -> None:
    summary = summarize([write_reform_sample(tmp_path, group_label=label)])
    assert [v.commune for v in summary.villages] == ["Vi Hương"] * 3 + ["Tân Tú", "Lục Bình"]


def test_a_commune_column_names_the_former_commune(tmp_path: Path, criteria: CriteriaSet) -> None:
    rows = [
        ["ỦY BAN NHÂN DÂN"],
        ["XÃ PHỦ THÔNG"],
        [],
        ["STT", "Xã", "Thôn", *[str(c.number) for c in criteria.criteria]],
        [1, "Vi Hương (cũ)", "Đon Bậy", *marks_row(criteria, [10, 11])],
        [2, "Tân Tú (cũ)", "Cốc Pái", *marks_row(criteria, [7, 10, 15])],
    ]
    path = write_table(tmp_path / "phu-thong.xlsx", {"Tổng hợp": rows})
    summary = resolve_former_communes(summarize([path]), commune_config(Grouping.FORMER))
    assert [(v.commune, v.commune_source) for v in summary.villages] == [
        ("Vi Hương", "cell"),
        ("Tân Tú", "cell"),
    ]
    assert notice_sections(summary, commune_config(Grouping.FORMER)).count_lines == (
        "- Số thôn đạt 16 tiêu chí: 01 thôn (Cốc Pái xã Tân Tú cũ).",
        "- Số thôn đạt 17 tiêu chí: 01 thôn (Đon Bậy xã Vi Hương cũ).",
    )


def test_three_groupings_equal_their_golden_text(reform_summary: Summary) -> None:
    assert groupings_text(reform_summary) == (GOLDEN / GROUPINGS_GOLDEN).read_text(encoding="utf-8")


def test_groupings_word_the_lines_as_the_notice_does(reform_summary: Summary) -> None:
    def line(grouping: Grouping, count: int) -> str:
        lines = notice_sections(reform_summary, commune_config(grouping)).count_lines
        return next(x for x in lines if x.startswith(f"- Số thôn đạt {count} "))

    assert (
        line(Grouping.COMMUNE, 17)
        == "- Số thôn đạt 17 tiêu chí: 03 thôn (Đon Bậy, Nà Ít, Bó Lịn xã Vi Hương)."
    )
    assert (
        line(Grouping.FORMER, 17)
        == "- Số thôn đạt 17 tiêu chí: 03 thôn (Đon Bậy, Nà Ít, Bó Lịn xã Vi Hương cũ)."
    )
    assert line(Grouping.NONE, 17) == "- Số thôn đạt 17 tiêu chí: 03 thôn (Đon Bậy, Nà Ít, Bó Lịn)."
    # Without any configuration: by commune, as every district notice before.
    assert notice_sections(reform_summary) == notice_sections(
        reform_summary, commune_config(Grouping.COMMUNE)
    )


def test_not_grouped_with_two_villages_of_one_name_tells_them_apart(
    criteria: CriteriaSet, tmp_path: Path
) -> None:
    marks = {c.number: True for c in criteria.criteria}
    files = []
    for commune in ("Vi Hương", "Tân Tú"):
        path = tmp_path / f"{commune}.xlsx"
        write_commune_form(path, criteria, commune=commune, villages=["Nà Cà"], marks={"Nà Cà": marks})
        files.append(path)
    sections = notice_sections(summarize(files), commune_config(Grouping.NONE))
    assert sections.count_lines == (
        "- Số thôn đạt 19 tiêu chí: 02 thôn (Nà Cà (xã Vi Hương), Nà Cà (xã Tân Tú)).",
    )


def test_header_subject_and_caption_follow_the_issuing_unit(reform_summary: Summary) -> None:
    frame = notice_frame(reform_summary, commune_config(Grouping.FORMER))
    assert frame.issuer == ("ỦY BAN NHÂN DÂN", "XÃ PHỦ THÔNG")
    assert frame.place_date == "Phủ Thông, ngày ... tháng 12 năm 2025"
    assert frame.subject.endswith("trên địa bàn xã Phủ Thông")
    assert frame.caption == "(Kèm theo Thông báo số .../TB-UBND ngày .../12/2025 của UBND xã Phủ Thông)"


def test_keys_set_alone_win_over_the_issuing_unit() -> None:
    config = notice_config_from_mapping(
        {
            "issuing_unit": "XÃ PHỦ THÔNG",
            "issuer_short": "UBND xã Phủ Thông, tỉnh Thái Nguyên",
            "place": "Phủ Thông",
        }
    )
    assert config.issuing_unit == "xã Phủ Thông"
    assert config.issuer == ("ỦY BAN NHÂN DÂN", "XÃ PHỦ THÔNG")
    assert config.issuer_short == "UBND xã Phủ Thông, tỉnh Thái Nguyên"
    assert config.area == "xã Phủ Thông"


def test_word_notice_read_back(tmp_path: Path, reform_summary: Summary) -> None:
    path = write_notice_document(tmp_path / "tb.docx", reform_summary, reform_notice_config())
    document = docx.Document(str(path))
    header = document.tables[0]
    assert header.cell(0, 0).paragraphs[0].text == "ỦY BAN NHÂN DÂN\nXÃ PHỦ THÔNG"
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("Kết quả kiểm tra") and t.endswith("trên địa bàn xã Phủ Thông") for t in texts)
    assert "(Kèm theo Thông báo số .../TB-UBND ngày .../12/2025 của UBND xã Phủ Thông)" in texts
    golden = (GOLDEN / REFORM_GOLDEN).read_text(encoding="utf-8").splitlines()
    computed = re.compile(r"^- (Số thôn đạt \d+ tiêu chí|Tiêu chí số \d+ \()")
    expected = [line for line in golden if computed.match(line)]
    assert [t for t in texts if computed.match(t)] == expected
    # The attached table groups by former commune too.
    table = document.tables[-1]
    groups = [row.cells[1].text for row in table.rows if row.cells[0].text in ("I", "II", "III")]
    assert groups == ["Xã Vi Hương cũ", "Xã Tân Tú cũ", "Xã Lục Bình cũ"]


def test_not_grouped_table_has_no_group_rows(tmp_path: Path, reform_summary: Summary) -> None:
    path = write_notice_document(tmp_path / "tb.docx", reform_summary, commune_config(Grouping.NONE))
    table = docx.Document(str(path)).tables[-1]
    names = [row.cells[1].text for row in table.rows[3:-2]]
    assert names == ["Đon Bậy", "Nà Ít", "Bó Lịn", "Cốc Pái", "Bắc Lanh Chang"]


def test_summary_workbook_and_text_follow_the_configuration(tmp_path: Path, reform_summary: Summary) -> None:
    config = reform_notice_config()
    book = CalamineWorkbook.from_path(
        str(write_summary_workbook(tmp_path / "th.xlsx", reform_summary, notice=config))
    )
    notice = [row[0] for row in book.get_sheet_by_name(SHEET_NAMES[3]).to_python() if row and row[0]]
    assert notice[1:3] == ["ỦY BAN NHÂN DÂN", "XÃ PHỦ THÔNG"]
    assert notice[-1] == "(Kèm theo Thông báo số .../TB-UBND ngày .../12/2025 của UBND xã Phủ Thông)"
    detail = book.get_sheet_by_name(SHEET_NAMES[2]).to_python()
    assert detail[1][0] == notice[-1]
    assert [row[1] for row in detail if row and row[0] in ("I", "II", "III")] == [
        "Xã Vi Hương cũ",
        "Xã Tân Tú cũ",
        "Xã Lục Bình cũ",
    ]
    text = write_notice_text(tmp_path / "tb.txt", reform_summary, notice=config).read_text(encoding="utf-8")
    assert text == (GOLDEN / REFORM_GOLDEN).read_text(encoding="utf-8")


def test_summarize_with_the_configuration(tmp_path: Path, sample: Path) -> None:
    config = tmp_path / "cau-hinh.toml"
    config.write_text('issuing_unit = "xã Phủ Thông"\ngrouping = "không"\n', encoding="utf-8")
    text = tmp_path / "tb.txt"
    args = [
        "summarize",
        str(sample),
        "-o",
        str(tmp_path / "th.xlsx"),
        "--text",
        str(text),
        "--config",
        str(config),
    ]
    assert main([*args, "-q"]) == 0
    lines = text.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["ỦY BAN NHÂN DÂN", "XÃ PHỦ THÔNG"]
    assert "- Số thôn đạt 17 tiêu chí: 03 thôn (Đon Bậy, Nà Ít, Bó Lịn)." in lines
    assert lines[-1] == "(Kèm theo Thông báo số .../TB-UBND ngày ... của UBND xã Phủ Thông)"


def test_configuration_keys_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "cau-hinh.toml"
    path.write_text('issuing_unit = "xã Phủ Thông"\ngrouping = "Không"\n', encoding="utf-8")
    config = load_notice_config(path)
    assert (config.issuing_kind, config.issuing_name, config.grouping) == ("xã", "Phủ Thông", Grouping.NONE)
    assert reform_notice_config().grouping is Grouping.FORMER


def test_configuration_keys_from_the_master_sheet() -> None:
    labels = {key: label for key, label, _ in CONFIG_FIELDS}
    rows = [
        ("CẤU HÌNH",),
        ("Mục", "Giá trị", "Ghi chú"),
        ("Cơ quan ban hành", "ỦY BAN NHÂN DÂN\nHUYỆN ...", ""),  # as the sheet starts
        (labels["issuing_unit"], "xã Phủ Thông", ""),
        (labels["grouping"], "Xã cũ", ""),
        (labels["date"], "12/2025", ""),
    ]
    config = notice_config_from_mapping(sheet_notice_keys(read_config(rows)), "Cấu hình")
    assert config.grouping is Grouping.FORMER
    assert config.issuer == ("ỦY BAN NHÂN DÂN", "XÃ PHỦ THÔNG")
    assert config.issuer_short == "UBND xã Phủ Thông"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('grouping = "theo thôn"', "'grouping' không hợp lệ ('theo thôn')"),
        ('grouping = "xã cũ"', "cần 'issuing_unit' là tên xã mới"),
        ('issuing_unit = "Phủ Thông"', "'issuing_unit' không hợp lệ ('Phủ Thông')"),
    ],
)
def test_bad_value_is_exit_2_in_vietnamese(tmp_path: Path, sample: Path, content: str, message: str) -> None:
    config = tmp_path / "cau-hinh.toml"
    config.write_text(content + "\n", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ntm_xl",
            "notice",
            str(sample),
            "-o",
            str(tmp_path / "tb.docx"),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "tb.docx").exists()


def test_a_file_naming_only_the_new_commune_is_refused_where_it_is(
    tmp_path: Path, criteria: CriteriaSet
) -> None:
    path = tmp_path / "phu-thong.xlsx"
    marks = {c.number: True for c in criteria.criteria}
    write_commune_form(path, criteria, commune="Phủ Thông", villages=["Nà Pài"], marks={"Nà Pài": marks})
    summary = summarize([path])
    config = commune_config(Grouping.FORMER)
    # The library refuses to guess...
    with pytest.raises(UsageError, match=r"Nà Pài \(phu-thong.xlsx, trang 'Đánh giá', ô B10\)"):
        notice_sections(summary, config)
    # ... and the commands leave the village out with a located problem (exit 1).
    resolved = resolve_former_communes(summary, config)
    assert resolved.villages == ()
    assert [(p.code, p.file.name, p.sheet, p.cell) for p in resolved.problems] == [
        ("R030", "phu-thong.xlsx", "Đánh giá", "B10")
    ]
    config_file = tmp_path / "cau-hinh.toml"
    config_file.write_text('issuing_unit = "xã Phủ Thông"\ngrouping = "xã cũ"\n', encoding="utf-8")
    status = main(["notice", str(path), "-o", str(tmp_path / "tb.docx"), "--config", str(config_file), "-q"])
    assert status == 1
    assert (tmp_path / "tb.docx").exists()


def test_a_file_titled_by_a_former_commune_names_it(tmp_path: Path, criteria: CriteriaSet) -> None:
    # Last year's form of the former Vi Hương, reviewed by the new commune: the title says it.
    path = tmp_path / "vi-huong.xlsx"
    marks = {c.number: c.number not in (10, 11) for c in criteria.criteria}
    write_commune_form(path, criteria, commune="Vi Hương", villages=["Đon Bậy"], marks={"Đon Bậy": marks})
    config = commune_config(Grouping.FORMER)
    summary = resolve_former_communes(summarize([path]), config)
    assert summary.problems == ()
    assert notice_sections(summary, config).count_lines == (
        "- Số thôn đạt 17 tiêu chí: 01 thôn (Đon Bậy xã Vi Hương cũ).",
    )


def test_demo_writes_the_second_example_to_its_subfolder(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert main(["demo", "-o", str(out)]) == 0
    # What the README says the first command writes is still there...
    assert len(list((out / "xa").iterdir())) == 13
    for name in ("tong-hop.xlsx", "thong-bao.txt", "thong-bao.docx"):
        assert (out / name).is_file()
    # ... and the second example beside it.
    reform = out / REFORM_FOLDER
    assert [p.name for p in (reform / "xa").iterdir()] == ["01-phu-thong.xlsx"]
    assert (reform / "thong-bao.txt").read_text(encoding="utf-8") == (GOLDEN / REFORM_GOLDEN).read_text(
        encoding="utf-8"
    )
    assert (reform / "thong-bao.docx").is_file() and (reform / "tong-hop.xlsx").is_file()
