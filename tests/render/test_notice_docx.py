"""The notice as a Word document: read back with python-docx, as Word would show it."""

from __future__ import annotations

import ast
import inspect
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from ntm_xl import CriteriaSet, Summary, UsageError, notice_sections, summarize
from ntm_xl._cli import main
from ntm_xl._notice._config import (
    IssueDate,
    NoticeConfig,
    load_notice_config,
    notice_config_from_mapping,
)
from ntm_xl._render._word import (
    TEMPLATE_NAME,
    build_notice_template,
    write_notice_document,
    write_notice_template,
)

from ..conftest import GOLDEN, ROOT, marks_row, write_table

EXAMPLE_CONFIG = resources.files("ntm_xl") / "data" / "notice-bach-thong-2024.toml"
FONT = "Times New Roman"
# The demo's villages missing each criterion (sections I.3 of the Bạch Thông notice).
MISSED = (7, 9, 10, 11, 12, 13, 15, 17, 19)


@pytest.fixture(scope="module")
def summary(demo_files: list[Path]) -> Summary:
    return summarize(demo_files)


@pytest.fixture(scope="module")
def config() -> NoticeConfig:
    with resources.as_file(EXAMPLE_CONFIG) as path:
        return load_notice_config(path)


@pytest.fixture(scope="module")
def notice_path(tmp_path_factory: pytest.TempPathFactory, summary: Summary, config: NoticeConfig) -> Path:
    return write_notice_document(tmp_path_factory.mktemp("notice") / "thong-bao.docx", summary, config)


@pytest.fixture(scope="module")
def notice(notice_path: Path) -> Any:
    return docx.Document(str(notice_path))


def mm(length: int | None) -> float:
    assert length is not None
    return length / 36000


def body_blocks(document: Any) -> Iterator[tuple[int, Paragraph | Table]]:
    """Paragraphs and tables of the body with the index of the section they belong to."""
    section = 0
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, document._body)
            yield section, paragraph
            if element.find(qn("w:pPr") + "/" + qn("w:sectPr")) is not None:
                section += 1
        elif element.tag == qn("w:tbl"):
            yield section, Table(element, document._body)


def texts(document: Any, section: int | None = None) -> list[str]:
    return [
        block.text
        for index, block in body_blocks(document)
        if isinstance(block, Paragraph) and (section is None or index == section)
    ]


def tables(document: Any, section: int) -> list[Table]:
    return [block for index, block in body_blocks(document) if isinstance(block, Table) and index == section]


def paragraph(document: Any, text: str) -> Paragraph:
    found = [p for _, p in body_blocks(document) if isinstance(p, Paragraph) and p.text == text]
    assert len(found) == 1, text
    return found[0]


def effective(paragraph: Paragraph, attribute: str) -> Any:
    """A paragraph's font attribute as Word resolves it: run, then the style chain."""
    values = {getattr(run.font, attribute) for run in paragraph.runs if run.text}
    if len(values) == 1 and None not in values:
        return values.pop()
    style = paragraph.style
    while style is not None:
        value = getattr(style.font, attribute)
        if value is not None:
            return value
        style = style.base_style
    return None


# --- page and fonts ----------------------------------------------------------------------------


def test_a4_portrait_with_decree_30_margins(notice: Any) -> None:
    section = notice.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (round(mm(section.page_width)), round(mm(section.page_height))) == (210, 297)
    assert 20 <= round(mm(section.top_margin)) <= 25
    assert 20 <= round(mm(section.bottom_margin)) <= 25
    assert 30 <= round(mm(section.left_margin)) <= 35
    assert 15 <= round(mm(section.right_margin)) <= 20


def test_page_numbers_top_centre_from_page_two(notice: Any) -> None:
    section = notice.sections[0]
    assert section.different_first_page_header_footer
    assert all(not p.text.strip() for p in section.first_page_header.paragraphs)
    header = section.header
    assert not header.is_linked_to_previous
    numbered = [p for p in header.paragraphs if "PAGE" in "".join(p._p.itertext())]
    assert len(numbered) == 1 and numbered[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    # The landscape section continues the same header (linked), numbered from its first page.
    landscape = notice.sections[1]
    assert landscape.header.is_linked_to_previous and not landscape.different_first_page_header_footer


def test_times_new_roman_throughout(notice_path: Path, notice: Any) -> None:
    with zipfile.ZipFile(notice_path) as archive:
        parts = {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("word/") and name.endswith(".xml")
        }
    defaults = notice.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert {fonts.get(qn(f"w:{s}")) for s in ("ascii", "hAnsi", "eastAsia", "cs")} == {FONT}
    assert not any("Theme" in name or "theme" in name for name in fonts)
    # No run, paragraph or style used by the document names any other font.
    for name in ("word/document.xml", *(n for n in parts if n.startswith("word/header"))):
        tree = docx.oxml.parse_xml(parts[name].encode("utf-8"))
        for element in tree.iter(qn("w:rFonts")):
            assert set(element.values()) <= {FONT}, name
    used = {p.style.name for _, p in body_blocks(notice) if isinstance(p, Paragraph)}
    for name in used:
        style = notice.styles[name]
        while style is not None:
            assert style.font.name in (None, FONT), name
            style = style.base_style
    assert notice.styles["Normal"].font.name == FONT


def test_body_is_justified_14pt_with_first_line_indent(notice: Any) -> None:
    first = paragraph(notice, "1. Công tác lãnh đạo, chỉ đạo")
    body = next(p for _, p in body_blocks(notice) if isinstance(p, Paragraph) and p.text.startswith("BCĐ"))
    for p in (first, body):
        assert effective(p, "size") == Pt(14)
    assert body.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert 9.5 <= mm(body.style.paragraph_format.first_line_indent) <= 12.7
    assert effective(first, "bold")


# --- the notice's blocks -----------------------------------------------------------------------


def test_header_block_title_and_date(notice: Any) -> None:
    header = notice.tables[0]
    assert header.cell(0, 0).paragraphs[0].text == "ỦY BAN NHÂN DÂN\nHUYỆN BẠCH THÔNG"
    assert effective(header.cell(0, 0).paragraphs[0], "bold")
    nation = [p for p in header.cell(0, 1).paragraphs if p.text]
    assert [p.text for p in nation] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert effective(nation[0], "size") == Pt(12) and effective(nation[1], "size") == Pt(13)
    assert all(effective(p, "bold") for p in nation)
    assert header.cell(1, 0).text == "Số: .../TB-UBND"
    place = header.cell(1, 1).paragraphs[0]
    assert place.text == "Bạch Thông, ngày ... tháng 7 năm 2024"
    assert effective(place, "italic")
    title = paragraph(notice, "THÔNG BÁO")
    assert effective(title, "bold") and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    subject = texts(notice)[texts(notice).index("THÔNG BÁO") + 1]
    assert subject == (
        "Kết quả kiểm tra, đánh giá tình hình thực hiện kế hoạch xây dựng thôn nông thôn mới 6 tháng "
        "đầu năm đối với các thôn đăng ký đạt chuẩn NTM năm 2024 trên địa bàn huyện Bạch Thông"
    )


def test_opening_paragraph_has_the_period_and_count(notice: Any) -> None:
    opening = next(t for t in texts(notice) if t.startswith("Thực hiện"))
    assert opening == (
        "Thực hiện Công văn số 1206/UBND-NN&PTNT ngày 04/6/2024 của UBND huyện Bạch Thông về việc Kiểm "
        "tra, rà soát, đánh giá tình hình thực hiện thôn nông thôn mới đối với các thôn đăng ký đạt chuẩn "
        "NTM năm 2024. Trong thời gian từ ngày 07/6/2024 đến ngày 25/6/2024. Đoàn kiểm tra do ông Hoàng "
        "Văn Kiệm - Phó Chủ tịch UBND huyện chủ trì đã tiến hành kiểm tra thực tế tại 21 thôn đăng ký đạt "
        "chuẩn NTM năm 2024, kết quả kiểm tra cụ thể như sau:"
    )


def test_computed_paragraphs_are_the_summarize_lines(notice: Any, summary: Summary) -> None:
    lines = list(notice_sections(summary).lines)
    body = texts(notice, 0)
    start = body.index(lines[0])
    assert body[start : start + len(lines)] == lines
    assert body[start + len(lines)] == "(Có biểu chi tiết kèm theo)"
    assert effective(paragraph(notice, lines[0]), "bold")


def test_every_tag_is_filled_in(notice_path: Path) -> None:
    for name, content in parts(notice_path.read_bytes()).items():
        text = content.decode("utf-8", errors="replace")
        assert "{{" not in text and "{%" not in text and "}}" not in text, name


def test_count_lines_equal_section_i2_of_the_reference_notice_to_the_letter(notice: Any) -> None:
    reference = (GOLDEN / "reference-notice-I2-I3.txt").read_text(encoding="utf-8").splitlines()
    expected = [line for line in reference if line.startswith("- Số thôn đạt")]
    assert len(expected) == 5
    assert [t for t in texts(notice) if t.startswith("- Số thôn đạt")] == expected


def test_section_ii_says_no_village_meets_every_criterion(notice: Any) -> None:
    first = next(t for t in texts(notice) if t.startswith("- Việc rà soát, đánh giá một số chỉ tiêu"))
    assert first.endswith("Chưa có thôn nào đạt 19/19 tiêu chí trên địa bàn huyện Bạch Thông.")


def test_section_iii_has_each_missed_criterion_with_its_measures(notice: Any, criteria: CriteriaSet) -> None:
    body = texts(notice, 0)
    start = body.index("2. Đối với các tiêu chí chưa đạt:") + 1
    end = next(
        i for i, t in enumerate(body) if t.startswith("- Đề nghị UBND các xã thực hiện chế độ báo cáo")
    )
    headings = [t for t in body[start:end] if t.startswith("- Tiêu chí số")]
    assert headings == [f"- Tiêu chí số {n} - {criteria.by_number(n).name}:" for n in MISSED]
    assert "- Tiêu chí số 7 - Cơ sở vật chất văn hoá:" in headings
    assert "- Tiêu chí số 17 - Môi trường và an toàn thực phẩm:" in headings
    assert effective(paragraph(notice, headings[0]), "italic")
    for number in MISSED:
        heading = body.index(f"- Tiêu chí số {number} - {criteria.by_number(number).name}:")
        following = []
        for text in body[heading + 1 : end]:
            if text.startswith("- Tiêu chí số"):
                break
            following.append(text)
        measures = criteria.by_number(number).measures.splitlines()
        assert following == (measures or ["+ ..."]), number
    # The reference notice's measures, kept in the criteria set.
    assert any("45 triệu đồng/người/năm 2024" in t for t in body[start:end])
    assert any("bảo hiểm y tế đạt ≥ 90%" in t for t in body[start:end])
    assert body[end].endswith(
        "đối với 21 thôn đăng ký về đích năm 2024 hàng tháng về UBND huyện Bạch Thông "
        "(qua Văn phòng điều phối NTM) tổng hợp, báo cáo."
    )


def test_recipients_and_signature_from_configuration(notice: Any, config: NoticeConfig) -> None:
    block = notice.tables[1]
    left = [p for p in block.cell(0, 0).paragraphs if p.text]
    assert left[0].text == "Nơi nhận:"
    assert (
        effective(left[0], "bold") and effective(left[0], "italic") and effective(left[0], "size") == Pt(12)
    )
    assert tuple(p.text for p in left[1:]) == config.recipients
    assert all(effective(p, "size") == Pt(11) for p in left[1:])
    groups = [p.text for p in left[1:] if effective(p, "italic")]
    assert groups == ["Gửi bản điện tử:", "Gửi bản giấy:"]
    right = [p.text for p in block.cell(0, 1).paragraphs if p.text]
    assert right == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Hoàng Văn Kiệt"]
    assert all(effective(p, "bold") for p in block.cell(0, 1).paragraphs if p.text)
    assert texts(notice, 0)[-2].endswith("trên địa bàn huyện Bạch Thông./.")


# --- the attached table ------------------------------------------------------------------------


def test_attached_table_is_a_landscape_section_on_its_own_page(notice: Any) -> None:
    assert len(notice.sections) == 2
    section = notice.sections[1]
    assert section.start_type == WD_SECTION.NEW_PAGE
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(mm(section.page_width)), round(mm(section.page_height))) == (297, 210)
    heading = [t for t in texts(notice, 1) if t]
    assert heading[:2] == [
        "BIỂU CHI TIẾT KẾT QUẢ RÀ SOÁT TIÊU CHÍ THÔN NÔNG THÔN MỚI",
        "(Kèm theo Thông báo số .../TB-UBND ngày .../7/2024 của UBND huyện Bạch Thông)",
    ]
    assert effective(paragraph(notice, heading[1]), "italic")
    assert len(tables(notice, 1)) == 1 and all(t not in tables(notice, 1) for t in tables(notice, 0))


def test_attached_table_has_one_row_per_village_and_a_repeated_header(
    notice: Any, criteria: CriteriaSet
) -> None:
    (table,) = tables(notice, 1)
    rows = table.rows
    repeated = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in rows]
    assert repeated[:3] == [True, True, True] and not any(repeated[3:])
    numbers = [str(c.number) for c in criteria.criteria]
    assert [cell.text for cell in rows[1].cells[2:21]] == numbers
    assert [cell.text for cell in rows[2].cells[2:21]] == [c.short_name for c in criteria.criteria]
    villages = [row for row in rows if row.cells[0].text.isdigit()]
    assert len(villages) == 21
    assert [row.cells[0].text for row in villages] == [str(i) for i in range(1, 22)]
    communes = [row.cells[1].text for row in rows if row.cells[1].text.startswith("Xã ")]
    assert communes[:3] == ["Xã Cao Sơn", "Xã Đôn Phong", "Xã Nguyên Phúc"] and len(communes) == 13
    dong_bun = next(row for row in villages if row.cells[1].text == "Đông Bun")
    marks = [cell.text for cell in dong_bun.cells[2:21]]
    assert marks.count("-") == 6 and marks.count("x") == 13
    assert [dong_bun.cells[21].text, dong_bun.cells[22].text] == ["13", "7, 9, 10, 11, 15, 17"]
    totals = [cell.text for cell in rows[-2].cells]
    assert totals[1] == "Tổng số thôn đạt" and totals[8] == "13" and totals[11] == "1"
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)


# --- the template ------------------------------------------------------------------------------


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_committed_template_is_what_the_code_makes() -> None:
    committed = (ROOT / "workbooks" / TEMPLATE_NAME).read_bytes()
    made = build_notice_template()
    # Part by part first, for a readable failure; then byte for byte.
    assert parts(committed).keys() == parts(made).keys()
    for name, content in parts(made).items():
        assert parts(committed)[name] == content, (
            f"{name} differs: run python -m ntm_xl._render._word workbooks/{TEMPLATE_NAME}"
        )
    assert committed == made


def test_template_shows_its_tags_for_the_clerk(tmp_path: Path) -> None:
    template = docx.Document(str(write_notice_template(tmp_path / "mau.docx")))
    text = "\n".join(p.text for p in template.paragraphs)
    for tag in ("{{ muc_2_tieu_de }}", "{%p for dong in muc_2 %}", "{{ dong }}", "{{p bieu_chi_tiet }}"):
        assert tag in text
    assert template.sections[1].orientation == WD_ORIENT.LANDSCAPE


def edit_template(tmp_path: Path, edit: Any) -> Path:
    template = docx.Document(str(write_notice_template(tmp_path / "mau.docx")))
    edit(template)
    path = tmp_path / "mau-sua.docx"
    template.save(str(path))
    return path


def test_a_clerks_edited_copy_is_used(tmp_path: Path, summary: Summary, config: NoticeConfig) -> None:
    def reword(template: Any) -> None:
        for p in template.paragraphs:
            if p.text == "I. KẾT QUẢ ĐẠT ĐƯỢC:":
                p.runs[0].text = "I. KẾT QUẢ KIỂM TRA:"
            if p.text.startswith("Thực hiện {{ can_cu }}"):
                # Word splits runs where a clerk types, even inside a tag.
                p.runs[0].text = "Căn cứ {{ can_"
                p.add_run("cu }}, đoàn đã kiểm tra {{ so_don")
                p.add_run("_vi }} {{ don_vi }}.")

    template = edit_template(tmp_path, reword)
    out = write_notice_document(tmp_path / "tb.docx", summary, config, template=template)
    body = texts(docx.Document(str(out)))
    assert "I. KẾT QUẢ KIỂM TRA:" in body and "I. KẾT QUẢ ĐẠT ĐƯỢC:" not in body
    assert f"Căn cứ {config.basis}, đoàn đã kiểm tra 21 thôn." in body
    assert [t for t in body if t.startswith("- Số thôn đạt")] == list(notice_sections(summary).count_lines)


def test_a_misspelt_tag_is_a_usage_error(tmp_path: Path, summary: Summary) -> None:
    def misspell(template: Any) -> None:
        template.add_paragraph("{{ so_thon_sai }}")

    template = edit_template(tmp_path, misspell)
    with pytest.raises(UsageError, match="so_thon_sai"):
        write_notice_document(tmp_path / "tb.docx", summary, template=template)
    assert not (tmp_path / "tb.docx").exists()


# --- configuration -----------------------------------------------------------------------------


def test_without_configuration_unknowns_are_placeholders(tmp_path: Path, summary: Summary) -> None:
    document = docx.Document(str(write_notice_document(tmp_path / "tb.docx", summary)))
    header = document.tables[0]
    assert header.cell(0, 0).paragraphs[0].text == "ỦY BAN NHÂN DÂN\n..."
    assert header.cell(1, 0).text == "Số: .../TB-UBND"
    assert header.cell(1, 1).text == "..., ngày ... tháng ... năm ..."
    assert "(Kèm theo Thông báo số .../TB-UBND ngày ... của UBND ...)" in texts(document, 1)


def test_issue_dates_in_the_decree_30_form() -> None:
    assert IssueDate(2024, 6, 25).long_form() == "ngày 25 tháng 6 năm 2024"
    assert IssueDate(2024, 2, 5).long_form() == "ngày 05 tháng 02 năm 2024"
    assert IssueDate(2024, 7).long_form() == "ngày ... tháng 7 năm 2024"
    assert IssueDate(2024, 6, 4).short_form() == "04/6/2024"
    assert IssueDate(2025, 1).short_form() == ".../01/2025"
    assert IssueDate().short_form() == "..."


def test_configuration_values_and_errors() -> None:
    config = notice_config_from_mapping(
        {
            "date": date(2024, 6, 25),
            "number": 125,
            "issuer": "ỦY BAN NHÂN DÂN\nXÃ BẠCH THÔNG",  # one worksheet cell with line breaks
            "period": "cả năm 2025",
        }
    )
    assert config.issuer == ("ỦY BAN NHÂN DÂN", "XÃ BẠCH THÔNG")
    assert (config.number, config.date, config.target_year) == ("125", IssueDate(2024, 6, 25), "2024")
    assert notice_config_from_mapping({"period": "cả năm 2025"}).target_year == "2025"
    assert notice_config_from_mapping({"number": "", "issuer_short": ""}) == NoticeConfig()
    assert notice_config_from_mapping({"date": "25/6/2024"}).date == IssueDate(2024, 6, 25)
    assert notice_config_from_mapping({"date": "07/2024"}).date == IssueDate(2024, 7)
    assert notice_config_from_mapping({"date": "2024-07"}).date == IssueDate(2024, 7)
    with pytest.raises(UsageError, match="không hiểu khoá 'so_van_ban'"):
        notice_config_from_mapping({"so_van_ban": "1"})
    with pytest.raises(UsageError, match="'date' không hợp lệ"):
        notice_config_from_mapping({"date": "2024-02-30"})
    for wrong in ("30/2/2024", "13/2024", "ngày 5"):
        with pytest.raises(UsageError, match="'date' không hợp lệ"):
            notice_config_from_mapping({"date": wrong})
    with pytest.raises(UsageError, match="'recipients' phải là một danh sách"):
        notice_config_from_mapping({"recipients": 3})


def test_text_from_inputs_and_configuration_stays_text(
    tmp_path: Path, criteria: CriteriaSet, summary: Summary
) -> None:
    names = ["Nà <Bó> & Cốc", "{{ so }}", "=1+1"]
    rows = [["Xã: A&B"], ["Thôn", *criteria.numbers], *[[n, *marks_row(criteria, [7])] for n in names]]
    hostile = summarize([write_table(tmp_path / "xa.xlsx", {"S": rows})])
    config = notice_config_from_mapping({"basis": "Văn bản <số 1> & {{ nam }}", "signer": "Lê Thị <A>"})
    document = docx.Document(str(write_notice_document(tmp_path / "tb.docx", hostile, config)))
    body = texts(document)
    assert any(t.startswith("Thực hiện Văn bản <số 1> & {{ nam }}.") for t in body)
    (table,) = tables(document, 1)
    assert [row.cells[1].text for row in table.rows if row.cells[0].text.isdigit()] == names
    assert "&" in hostile.communes[0] and f"Xã {hostile.communes[0]}" in [
        row.cells[1].text for row in table.rows
    ]
    assert document.tables[1].cell(0, 1).paragraphs[-1].text == "Lê Thị <A>"


# --- the command -------------------------------------------------------------------------------


def test_cli_notice_exit_0(
    tmp_path: Path, demo_files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tb.docx"
    with resources.as_file(EXAMPLE_CONFIG) as config:
        status = main(["notice", *map(str, demo_files), "-o", str(out), "--config", str(config), "-q"])
    assert status == 0
    assert f"Dự thảo thông báo: {out}" in capsys.readouterr().out
    assert [t for t in texts(docx.Document(str(out))) if t.startswith("- Số thôn đạt 13")] == [
        "- Số thôn đạt 13 tiêu chí: 01 thôn (Đông Bun xã Vũ Muộn)."
    ]


def test_cli_notice_with_bad_input_exit_1_and_still_writes(
    tmp_path: Path, demo_files: list[Path], criteria: CriteriaSet
) -> None:
    marks = marks_row(criteria, [])
    marks[2] = ""
    bad = write_table(
        tmp_path / "xa-loi.xlsx", {"S": [["Xã: Lỗi"], ["Thôn", *criteria.numbers], ["Nà Lỗi", *marks]]}
    )
    out = tmp_path / "tb.docx"
    assert main(["notice", str(bad), str(demo_files[0]), "-o", str(out), "-q"]) == 1
    assert [t for t in texts(docx.Document(str(out))) if t.startswith("- Số thôn đạt")] == [
        "- Số thôn đạt 17 tiêu chí: 02 thôn (Thôm Khoan, Khau Cà xã Cao Sơn)."
    ]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--config", "khong-co.toml"], "Không tìm thấy tệp cấu hình thông báo 'khong-co.toml'"),
        (["--template", "khong-co.docx"], "Không tìm thấy mẫu thông báo 'khong-co.docx'"),
        (["--config", "{bad}"], "không hiểu khoá 'so'"),
        (["--template", "{notdocx}"], "cần một tệp Word (.docx)"),
    ],
)
def test_cli_notice_bad_usage_exit_2(
    tmp_path: Path,
    demo_files: list[Path],
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    (tmp_path / "bad.toml").write_text('so = "12"\n', encoding="utf-8")
    (tmp_path / "not.docx").write_bytes(b"not a zip")
    extra = [
        e.replace("{bad}", str(tmp_path / "bad.toml")).replace("{notdocx}", str(tmp_path / "not.docx"))
        for e in extra
    ]
    out = tmp_path / "tb.docx"
    assert main(["notice", str(demo_files[0]), "-o", str(out), "-q", *extra]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_cli_notice_refuses_to_overwrite_an_input(demo_files: list[Path]) -> None:
    before = demo_files[0].read_bytes()
    assert main(["notice", str(demo_files[0]), "-o", str(demo_files[0]), "-q"]) == 2
    assert demo_files[0].read_bytes() == before


# --- as LibreOffice prints it ------------------------------------------------------------------


def test_libreoffice_prints_portrait_notice_then_landscape_table(tmp_path: Path, notice_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None:
        pytest.skip("cần LibreOffice (soffice) và poppler-utils (pdfinfo, pdftotext) để in thử thông báo")
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(notice_path)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = tmp_path / "thong-bao.pdf"
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True, check=True
    )
    sizes = [
        line.split(":", 1)[1].split("pts")[0].strip()
        for line in info.stdout.splitlines()
        if line.startswith("Page") and "size" in line
    ]
    portrait, landscape = "595.304 x 841.89", "841.89 x 595.304"
    assert sizes[0] == portrait and sizes[-1] == landscape
    assert sizes == sorted(sizes, key=lambda s: s == landscape)  # portrait pages, then landscape ones

    def page(number: int) -> list[str]:
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return [line.strip() for line in text.splitlines() if line.strip()]

    assert page(1)[0].startswith("ỦY BAN NHÂN DÂN")  # no number on the first page
    assert page(2)[0] == "2"
    first_table_page = sizes.index(landscape) + 1
    assert page(first_table_page)[1] == "BIỂU CHI TIẾT KẾT QUẢ RÀ SOÁT TIÊU CHÍ THÔN NÔNG THÔN MỚI"
    last = page(len(sizes))
    assert any(line.startswith("STT") for line in last)  # the header row is repeated
    assert any("Bản Luông" in line for line in last)


def test_a_notice_with_no_counted_village_is_still_a_draft(tmp_path: Path, criteria: CriteriaSet) -> None:
    marks = marks_row(criteria, [])
    marks[0] = ""
    rows = [["Xã: A"], ["Thôn", *criteria.numbers], ["Nà A", *marks]]
    empty = summarize([write_table(tmp_path / "xa.xlsx", {"S": rows})])
    document = docx.Document(str(write_notice_document(tmp_path / "tb.docx", empty)))
    body = texts(document, 0)
    assert "- Chưa có thôn nào có đủ số liệu để tổng hợp." in body
    assert not [t for t in body if t.startswith("- Tiêu chí số")]
    (table,) = tables(document, 1)
    assert not [row for row in table.rows if row.cells[0].text.isdigit()]


def schema_orders() -> dict[str, list[str]]:
    """The child order of property elements, as python-docx's element classes spell the schema."""
    from docx.oxml.table import CT_TblPr, CT_TcPr, CT_TrPr
    from docx.oxml.text.font import CT_RPr
    from docx.oxml.text.parfmt import CT_PPr

    orders = {}
    for name, cls in (
        ("pPr", CT_PPr),
        ("rPr", CT_RPr),
        ("tblPr", CT_TblPr),
        ("tcPr", CT_TcPr),
        ("trPr", CT_TrPr),
    ):
        source = inspect.getsource(cls)
        sequence = re.search(r"_tag_seq = (\(.*?\))\n", source, re.S)
        assert sequence, name
        orders[name] = [tag.split(":")[1] for tag in ast.literal_eval(sequence.group(1))]
    return orders


@pytest.mark.parametrize("which", ["notice", "template"])
def test_property_elements_are_in_schema_order_as_word_requires(notice_path: Path, which: str) -> None:
    data = notice_path.read_bytes() if which == "notice" else build_notice_template()
    orders = schema_orders()
    checked = 0
    for name, content in parts(data).items():
        if not (name.startswith("word/") and name.endswith(".xml")):
            continue
        for element in docx.oxml.parse_xml(content).iter():
            if not isinstance(element.tag, str):
                continue
            local = element.tag.split("}")[1]
            order = orders.get(local)
            if order is None:
                continue
            children = [c.tag.split("}")[1] for c in element if isinstance(c.tag, str)]
            known = [c for c in children if c in order]
            assert known == sorted(known, key=order.index), f"{name}: <{local}> {children}"
            checked += 1
    assert checked > 100
