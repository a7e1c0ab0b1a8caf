"""The notice as a Word document in the Decree 30/2020 form, with its attached table.

The document is rendered with docxtpl from a Word template holding Jinja tags
(``{{ so }}``, ``{%p for dong in muc_2 %}``...). A clerk copies the template,
rewords it in Word and passes the copy with ``--template``; the tags carry what
ntm_xl computes or reads from the configuration (``_notice_config``).

The shipped template, ``workbooks/mau-thong-bao.docx``, is made by
``build_notice_template`` and nothing else; without ``--template`` the same
template is built in memory. The attached table is generated as a whole (its
columns follow the criteria set) and replaces the ``{{p bieu_chi_tiet }}``
paragraph.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from .._common._errors import UsageError
from .._common._output import atomic_output
from .._common._xmlchars import xml_safe, xml_safe_values
from .._notice._config import PLACEHOLDER, NoticeConfig
from .._notice._sections import (
    CAPTION,
    SUBJECT,
    TABLE_TITLE,
    filled,
    frame_values,
    notice_sections,
)
from .._values._model import Summary
from ._detail import detail_table
from ._spec import FONT

__all__ = [
    "TEMPLATE_NAME",
    "build_notice_template",
    "detail_table_xml",
    "notice_context",
    "write_notice_document",
    "write_notice_template",
]

TEMPLATE_NAME = "mau-thong-bao.docx"

# Decree 30/2020: A4; margins top/bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
PAGE_MM = (210, 297)
MARGINS_MM = (20, 15, 20, 30)  # top, right, bottom, left (the order of _sheet.PageSetup)
# The attached table's landscape pages: as wide a table as the rules allow.
LANDSCAPE_MARGINS_MM = (20, 15, 15, 20)
HEADER_DISTANCE_MM = 10
BODY_PT = 14
FIRST_LINE_MM = 10
# A fixed time in the template's properties and zip entries: the same code makes the same bytes.
TEMPLATE_TIME = datetime(2024, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

BODY_STYLE = "Nội dung thông báo"
HEADING_STYLE = "Đề mục thông báo"
_STYLE_IDS = {BODY_STYLE: "NtmBody", HEADING_STYLE: "NtmHeading"}

_PORTRAIT_TEXT_MM = PAGE_MM[0] - MARGINS_MM[1] - MARGINS_MM[3]
_LANDSCAPE_TEXT_MM = PAGE_MM[1] - LANDSCAPE_MARGINS_MM[1] - LANDSCAPE_MARGINS_MM[3]

# Section I.1, II and III.1: the Bạch Thông notice's wording, for the clerk to edit in Word.
_LEADERSHIP = (
    "BCĐ các Chương trình MTQG các xã đã quan tâm lãnh đạo, chỉ đạo, tích cực tổ chức triển khai thực "
    "hiện các nhiệm vụ thuộc Chương trình MTQG xây dựng nông thôn mới nói chung và xây dựng thôn nông "
    "thôn mới nói riêng; ban hành đầy đủ các văn bản lãnh đạo, chỉ đạo; thực hiện khá tốt công tác tuyên "
    "truyền, nâng cao nhận thức cho cán bộ, nhân dân trong xây dựng nông thôn mới; Ban phát triển các "
    "thôn xác định rõ nhiệm vụ, xây dựng được kế hoạch để tổ chức triển khai thực hiện, qua đó đã đạt "
    "được nhiều kết quả đáng ghi nhận."
)
_SHORTCOMINGS = (
    "- Việc rà soát, đánh giá một số chỉ tiêu, tiêu chí chưa sâu, còn đánh giá chung chung, thiếu số "
    "liệu và tài liệu minh chứng. {{ cau_dat_chuan }}",
    "- Việc xây dựng kế hoạch thực hiện chưa thực sự cụ thể, đặc biệt là việc đề ra các giải pháp thực "
    "hiện các chỉ tiêu, tiêu chí chưa đạt; giải pháp đề ra chưa đảm bảo chủ động, sáng tạo, sát với thực "
    "tế và đảm bảo tính khả thi.",
    "- Phân công nhiệm vụ thực hiện chưa cụ thể, rõ việc, rõ người; lộ trình, thời gian thực hiện, thời "
    "gian hoàn thành chưa được xác định rõ.",
    "- Một số thôn chưa thực sự chủ động thực hiện các nhiệm vụ thuộc trách nhiệm của thôn; công tác "
    "tuyên truyền có lúc chưa thường xuyên, liên tục, chưa sâu, hình thức tuyên truyền chưa phong phú, "
    "hiệu quả.",
)
_COMMUNE_MEASURES = (
    "- UBND xã chủ trì, chỉ đạo các bộ phận chuyên môn, Ban Phát triển các thôn rà soát, đánh giá lại "
    "toàn bộ các chỉ tiêu, tiêu chí thôn nông thôn mới theo đúng hướng dẫn số 660/HD-UBND ngày "
    "18/10/2022 của UBND tỉnh hướng dẫn thực hiện bộ tiêu chí thôn nông thôn mới tỉnh Bắc Kạn giai đoạn "
    "2022 - 2025. Trên cơ sở kết quả rà soát, đánh giá tiến hành xây dựng, bổ sung các giải pháp phù hợp "
    "để tiếp tục, củng cố, nâng cao các tiêu chí đã đạt, thực hiện các tiêu chí chưa đạt nhằm phấn đấu "
    "thực hiện hoàn thành các tiêu chí thôn nông thôn mới trong năm {{ nam }}.",
    "- Tập trung tuyên truyền, vận động để nâng cao nhận thức của cán bộ, nhân dân, tạo sự đồng thuận và "
    "huy động tối đa nguồn lực của nhân dân vào xây dựng thôn nông thôn mới.",
    "- Phân công nhiệm vụ cụ thể cho từng thành viên BCĐ, Ban quản lý xã, Ban phát triển thôn phụ trách "
    "từng chỉ tiêu, tiêu chí; xác định rõ giải pháp, lộ trình, nguồn lực thực hiện.",
    "- Chủ động củng cố, hoàn thiện các số liệu, tài liệu minh chứng đối với các tiêu chí đã đạt.",
    "- Tăng cường kiểm tra, giám sát, đánh giá tiến độ, kết quả thực hiện theo từng tháng; chủ động giải "
    "quyết các vướng mắc phát sinh theo thẩm quyền; kịp thời báo cáo kết quả thực hiện về BCĐ huyện các "
    "khó khăn, vướng mắc, nhiệm vụ phát sinh vượt thẩm quyền.",
)
_CLOSING_MEASURES = (
    "- Đề nghị UBND các xã thực hiện chế độ báo cáo tiến độ thực hiện các tiêu chí, hồ sơ các tiêu chí xã "
    "nông thôn mới, thôn nông thôn mới đối với {{ so_don_vi }} {{ don_vi }} đăng ký về đích năm {{ nam }} "
    "hàng tháng về {{ co_quan_viet_tat }} (qua Văn phòng điều phối NTM) tổng hợp, báo cáo.",
    "- Các phòng chuyên môn được giao phụ trách các tiêu chí phối hợp với xã trong việc rà soát, đánh giá "
    "kết quả thực hiện các tiêu chí thôn nông thôn mới, cử cán bộ trực tiếp hướng dẫn xã thực hiện và "
    "hoàn thiện hồ sơ tiêu chí thôn nông thôn mới để xã có căn cứ thực hiện; liên hệ với các Sở, ban "
    "ngành của tỉnh để được hướng dẫn nếu cần thiết.",
)


# --- low-level formatting helpers -------------------------------------------------------------


def _names(text: str) -> list[str]:
    return text.split()


# Schema order (ECMA-376) of the property elements this module adds to: Word refuses a
# file whose property children are out of order, even where LibreOffice reads it.
_ORDER = {
    "pPr": _names(
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr "
        "shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
        "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
        "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr "
        "sectPr pPrChange"
    ),
    "rPr": _names(
        "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline "
        "shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w kern position sz "
        "szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish "
        "oMath"
    ),
    "tblPr": _names(
        "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
        "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription"
    ),
    "trPr": _names(
        "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader "
        "tblCellSpacing jc hidden ins del trPrChange"
    ),
    "tcPr": _names(
        "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign "
        "hideMark headers cellIns cellDel cellMerge tcPrChange"
    ),
}


def _local(element: Any) -> str:
    return str(etree.QName(element).localname)


def _set(element: Any, tag: str, **attributes: str) -> Any:
    """The child ``tag`` of ``element`` (made if missing, in schema order), with ``attributes`` set."""
    child = element.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        order = _ORDER.get(_local(element), [])
        name = tag.split(":", 1)[1]
        later = set(order[order.index(name) + 1 :]) if name in order else set()
        successor = next((c for c in element if isinstance(c.tag, str) and _local(c) in later), None)
        if successor is None:
            element.append(child)
        else:
            successor.addprevious(child)
    for name, value in attributes.items():
        child.set(qn(f"w:{name}"), value)
    return child


def _twips(mm: float) -> str:
    return str(round(mm / 25.4 * 1440))


def _fonts(rpr: Any) -> None:
    """Times New Roman for every script; no theme font may override it."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for name in list(fonts.attrib):
        del fonts.attrib[name]
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT)


def _run(
    paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False, size: float | None = None
) -> None:
    run = paragraph.add_run(text)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if size is not None:
        run.font.size = Pt(size)


def _paragraph_size(paragraph: Paragraph, size: float) -> None:
    """The size of the paragraph mark, so an empty paragraph is as tall as its text would be."""
    rpr = _set(paragraph._p.get_or_add_pPr(), "w:rPr")
    half_points = str(round(size * 2))
    _set(rpr, "w:sz", val=half_points)
    _set(rpr, "w:szCs", val=half_points)


def _plain(paragraph: Paragraph, *, align: Any = WD_ALIGN_PARAGRAPH.CENTER, before: float = 0) -> Paragraph:
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Mm(0)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(0)
    return paragraph


def _rule(container: Any, length_mm: float, width_mm: float) -> None:
    """A short centred line, as under the issuing body, the motto and the subject."""
    # Space above, so the line clears the descenders of the text it underlines.
    paragraph = _plain(container.add_paragraph(), before=3)
    indent = max((width_mm - length_mm) / 2, 0)
    paragraph.paragraph_format.left_indent = Mm(indent)
    paragraph.paragraph_format.right_indent = Mm(indent)
    _paragraph_size(paragraph, 2)
    borders = _set(paragraph._p.get_or_add_pPr(), "w:pBdr")
    _set(borders, "w:top", val="single", sz="6", space="1", color="auto")


def _fixed_table(table: Table, widths_mm: Sequence[float], *, borders: bool) -> None:
    """Fixed column widths (Word and LibreOffice both honour them) and borders on or off."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    _set(tbl_pr, "w:tblW", w=_twips(sum(widths_mm)), type="dxa")
    _set(tbl_pr, "w:tblLayout", type="fixed")
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        column.set(qn("w:w"), _twips(width))
    for row in table.rows:
        first = 0
        for cell in row._tr.tc_lst:
            # A merged cell is as wide as the columns it spans.
            cell.width = Mm(sum(widths_mm[first : first + cell.grid_span]))
            first += cell.grid_span
    edges = _set(tbl_pr, "w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if borders:
            _set(edges, f"w:{edge}", val="single", sz="4", space="0", color="auto")
        else:
            _set(edges, f"w:{edge}", val="nil")


def _cell_margins(table: Table, side_mm: float) -> None:
    margins = _set(table._tbl.tblPr, "w:tblCellMar")
    for side in ("left", "right"):
        _set(margins, f"w:{side}", w=_twips(side_mm), type="dxa")


def _repeat_header(row: Any) -> None:
    _set(row._tr.get_or_add_trPr(), "w:tblHeader")


def _cant_split(row: Any) -> None:
    _set(row._tr.get_or_add_trPr(), "w:cantSplit")


def _page_number(paragraph: Paragraph) -> None:
    """A PAGE field: Word and LibreOffice fill it in on every page."""
    for kind, text in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("text", "2"), ("end", "")):
        run = paragraph.add_run()
        if kind == "instr":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        elif kind == "text":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


# --- the template ------------------------------------------------------------------------------


def _styles(document: Any) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr)
    _set(rpr, "w:sz", val=str(BODY_PT * 2))
    _set(rpr, "w:szCs", val=str(BODY_PT * 2))
    _set(rpr, "w:lang", val="vi-VN", eastAsia="en-US", bidi="ar-SA")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _set(ppr, "w:spacing", after="0", line="240", lineRule="auto")

    normal = styles["Normal"]
    normal.font.name = FONT
    _fonts(normal.element.get_or_add_rPr())
    normal.font.size = Pt(BODY_PT)

    body = styles.add_style(BODY_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    # ASCII ids before anything refers to them; the names Word shows stay Vietnamese.
    body.element.set(qn("w:styleId"), _STYLE_IDS[BODY_STYLE])
    body.base_style = normal
    body.quick_style = True
    fmt = body.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Mm(FIRST_LINE_MM)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.widow_control = True

    heading = styles.add_style(HEADING_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    heading.element.set(qn("w:styleId"), _STYLE_IDS[HEADING_STYLE])
    heading.base_style = body
    heading.quick_style = True
    heading.font.bold = True
    heading.paragraph_format.keep_with_next = True
    body.next_paragraph_style = body
    heading.next_paragraph_style = body


def _page(section: Any, orientation: Any, size: tuple[float, float], margins: Sequence[float]) -> None:
    """A section's paper (width, height in mm), orientation and margins (top, right, bottom, left)."""
    section.orientation = orientation
    section.page_width, section.page_height = Mm(size[0]), Mm(size[1])
    top, right, bottom, left = margins
    section.top_margin, section.right_margin = Mm(top), Mm(right)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
    section.header_distance = section.footer_distance = Mm(HEADER_DISTANCE_MM)


def _section_setup(document: Any) -> None:
    section = document.sections[0]
    _page(section, WD_ORIENT.PORTRAIT, PAGE_MM, MARGINS_MM)
    # Page numbers top centre, none on the first page.
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(header)
    for run in header.runs:
        run.font.size = Pt(13)


def _header_block(document: Any) -> None:
    left, right = 62.0, _PORTRAIT_TEXT_MM - 62.0
    table = document.add_table(rows=2, cols=2)
    _fixed_table(table, (left, right), borders=False)
    _cell_margins(table, 0.5)
    issuer, nation = table.cell(0, 0), table.cell(0, 1)
    paragraph = _plain(issuer.paragraphs[0])
    _run(paragraph, "{{ co_quan }}", bold=True, size=13)
    _rule(issuer, 22, left)
    paragraph = _plain(nation.paragraphs[0])
    _run(paragraph, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    paragraph = _plain(nation.add_paragraph())
    _run(paragraph, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    _rule(nation, 60, right)
    number, place = table.cell(1, 0), table.cell(1, 1)
    paragraph = _plain(number.paragraphs[0], before=6)
    _run(paragraph, "Số: {{ so }}/{{ ky_hieu }}", size=13)
    paragraph = _plain(place.paragraphs[0], before=6)
    _run(paragraph, "{{ dia_danh }}, {{ ngay_thang }}", italic=True, size=14)


def _body(document: Any, text: str, *, italic: bool = False, style: str = BODY_STYLE) -> Paragraph:
    paragraph: Paragraph = document.add_paragraph(style=style)
    _run(paragraph, text, italic=italic)
    return paragraph


def _tag(container: Any, tag: str, style: str | None = BODY_STYLE) -> None:
    """A paragraph holding only a docxtpl paragraph tag; it disappears when rendered."""
    paragraph = container.add_paragraph(style=style) if style else container.add_paragraph()
    paragraph.add_run(tag)


def _signature_block(document: Any) -> None:
    left, right = 85.0, _PORTRAIT_TEXT_MM - 85.0
    table = document.add_table(rows=1, cols=2)
    _fixed_table(table, (left, right), borders=False)
    _cell_margins(table, 0.5)
    recipients, signer = table.cell(0, 0), table.cell(0, 1)
    paragraph = _plain(recipients.paragraphs[0], align=WD_ALIGN_PARAGRAPH.LEFT)
    _run(paragraph, "Nơi nhận:", bold=True, italic=True, size=12)
    _tag(recipients, "{%p for nn in noi_nhan %}", None)
    _tag(recipients, "{%p if nn.nhom %}", None)
    _run(
        _plain(recipients.add_paragraph(), align=WD_ALIGN_PARAGRAPH.LEFT),
        "{{ nn.chu }}",
        italic=True,
        size=11,
    )
    _tag(recipients, "{%p else %}", None)
    _run(_plain(recipients.add_paragraph(), align=WD_ALIGN_PARAGRAPH.LEFT), "{{ nn.chu }}", size=11)
    _tag(recipients, "{%p endif %}", None)
    _tag(recipients, "{%p endfor %}", None)

    _tag(signer, "{%p for dong in chuc_danh %}", None)
    _run(_plain(signer.add_paragraph()), "{{ dong }}", bold=True, size=14)
    _tag(signer, "{%p endfor %}", None)
    for _ in range(4):
        _paragraph_size(_plain(signer.add_paragraph()), 14)
    _run(_plain(signer.add_paragraph()), "{{ nguoi_ky }}", bold=True, size=14)
    # A new cell comes with an empty paragraph; the block starts with the tag instead.
    first = signer.paragraphs[0]._p
    first.getparent().remove(first)


def _landscape_section(document: Any) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, WD_ORIENT.LANDSCAPE, (PAGE_MM[1], PAGE_MM[0]), LANDSCAPE_MARGINS_MM)
    # The attached table's first page is not the document's first page: number it too.
    section.different_first_page_header_footer = False
    paragraph = _plain(document.add_paragraph())
    _run(paragraph, TABLE_TITLE, bold=True)
    paragraph = _plain(document.add_paragraph())
    _run(paragraph, CAPTION, italic=True)
    _paragraph_size(_plain(document.add_paragraph()), 8)
    _tag(document, "{{p bieu_chi_tiet }}", None)


def _template_document() -> Any:
    document = Document()
    # python-docx's starting document has one empty paragraph; the notice starts with its header.
    for paragraph in list(document.paragraphs):
        paragraph._p.getparent().remove(paragraph._p)
    _styles(document)
    _section_setup(document)
    _header_block(document)

    _run(_plain(document.add_paragraph(), before=18), "THÔNG BÁO", bold=True)
    _run(_plain(document.add_paragraph()), "Kết quả " + SUBJECT, bold=True)
    _rule(document, 40, _PORTRAIT_TEXT_MM)
    _paragraph_size(_plain(document.add_paragraph()), 6)

    _body(
        document,
        "Thực hiện {{ can_cu }}. Trong thời gian {{ thoi_gian_kiem_tra }}. Đoàn kiểm tra do "
        "{{ truong_doan }} chủ trì đã tiến hành kiểm tra thực tế tại {{ so_don_vi }} {{ don_vi }} đăng ký "
        "đạt chuẩn NTM năm {{ nam }}, kết quả kiểm tra cụ thể như sau:",
    )
    _body(document, "I. KẾT QUẢ ĐẠT ĐƯỢC:", style=HEADING_STYLE)
    _body(document, "1. Công tác lãnh đạo, chỉ đạo", style=HEADING_STYLE)
    _body(document, _LEADERSHIP)
    _body(document, "{{ muc_2_tieu_de }}", style=HEADING_STYLE)
    _tag(document, "{%p for dong in muc_2 %}")
    _body(document, "{{ dong }}")
    _tag(document, "{%p endfor %}")
    _body(document, "{{ muc_3_tieu_de }}", style=HEADING_STYLE)
    _tag(document, "{%p for dong in muc_3 %}")
    _body(document, "{{ dong }}")
    _tag(document, "{%p endfor %}")
    _body(document, "(Có biểu chi tiết kèm theo)", italic=True)

    _body(document, "II. TỒN TẠI, HẠN CHẾ:", style=HEADING_STYLE)
    for text in _SHORTCOMINGS:
        _body(document, text)

    _body(document, "III. GIẢI PHÁP CHỦ YẾU TRONG THỜI GIAN TIẾP THEO", style=HEADING_STYLE)
    _body(document, "1. Đối với UBND các xã và Ban Phát triển các thôn:", style=HEADING_STYLE)
    for text in _COMMUNE_MEASURES:
        _body(document, text)
    _body(document, "2. Đối với các tiêu chí chưa đạt:", style=HEADING_STYLE)
    _tag(document, "{%p for tc in tieu_chi_chua_dat %}")
    _body(document, "- {{ tc.tieu_de }}", italic=True).paragraph_format.keep_with_next = True
    _tag(document, "{%p for dong in tc.giai_phap %}")
    _body(document, "{{ dong }}")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p endfor %}")
    for text in _CLOSING_MEASURES:
        _body(document, text)
    _body(document, "Trên đây là thông báo kết quả " + SUBJECT + "./.")
    _signature_block(document)
    _landscape_section(document)

    properties = document.core_properties
    properties.title = "Mẫu thông báo kết quả rà soát tiêu chí thôn nông thôn mới"
    properties.subject = "Thông báo theo Nghị định 30/2020/NĐ-CP"
    properties.author = properties.last_modified_by = "ntm_xl"
    # docxtpl renders the properties too: no tag characters in them.
    properties.comments = (
        "Sửa câu chữ tuỳ ý; giữ nguyên các thẻ trong ngoặc nhọn (xem README, mục ntm-xl notice)."
    )
    properties.created = properties.modified = TEMPLATE_TIME
    properties.revision = 1
    return document


def _reproducible_zip(data: bytes) -> bytes:
    """The same parts with fixed entry times, so the same content gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _saved(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return _reproducible_zip(buffer.getvalue())


def build_notice_template() -> bytes:
    """The shipped Word template (``workbooks/mau-thong-bao.docx``), as bytes."""
    return _saved(_template_document())


def write_notice_template(path: str | Path) -> Path:
    """Write the template for a clerk to copy and edit.

    ``path`` is the .docx to write.
    """
    path = Path(path)
    data = build_notice_template()
    with atomic_output(path) as temporary:
        temporary.write_bytes(data)
    return path


# --- the attached table ------------------------------------------------------------------------


def _cell_text(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    size: float = 12,
    align: Any = WD_ALIGN_PARAGRAPH.CENTER,
) -> None:
    paragraph = _plain(cell.paragraphs[0], align=align)
    _run(paragraph, text, bold=bold, size=size)
    _paragraph_size(paragraph, size)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _vertical(cell: _Cell) -> None:
    _set(cell._tc.get_or_add_tcPr(), "w:textDirection", val="btLr")


def _row_height(row: Any, mm: float) -> None:
    _set(row._tr.get_or_add_trPr(), "w:trHeight", val=_twips(mm), hRule="atLeast")


def detail_table_xml(summary: Summary, notice: NoticeConfig | None = None) -> str:
    """The attached table (villages by commune x criteria) and its legend, as WordprocessingML.

    Villages are grouped under a row per commune, per former commune, or not at all, as the
    notice configuration says (by commune without one)."""
    table_of = detail_table(summary, notice=notice)
    n = len(table_of.criteria)
    number_w, name_w, count_w, missing_w = 11.0, 36.0, 15.0, 36.0
    available = _LANDSCAPE_TEXT_MM - number_w - name_w - count_w - missing_w
    mark_w = min(12.0, available / n)
    name_w += available - mark_w * n
    widths = (number_w, name_w, *([mark_w] * n), count_w, missing_w)
    first_mark, count_col = 2, 2 + n
    last_col = count_col + 1

    scratch = Document()
    table = scratch.add_table(rows=3, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows
    for row in head:
        _repeat_header(row)
        _cant_split(row)
    for first, last, text in (
        (table.cell(0, 0), table.cell(2, 0), table_of.number_head),
        (table.cell(0, 1), table.cell(2, 1), table_of.name_head),
        (table.cell(0, first_mark), table.cell(0, count_col - 1), table_of.criteria_head),
        (table.cell(0, count_col), table.cell(2, count_col), table_of.count_head),
        (table.cell(0, last_col), table.cell(2, last_col), table_of.missing_head),
    ):
        _cell_text(first.merge(last), text, bold=True, size=11)
    for offset, (number, short_name) in enumerate(table_of.criteria):
        _cell_text(table.cell(1, first_mark + offset), str(number), bold=True, size=11)
        name_cell = table.cell(2, first_mark + offset)
        _cell_text(name_cell, short_name, size=10)
        _vertical(name_cell)
    _row_height(head[2], 42)

    def add_row(values: Sequence[str], *, bold: bool = False, left: Sequence[int] = (1,)) -> Any:
        row = table.add_row()
        _cant_split(row)
        for column, value in enumerate(values):
            align = WD_ALIGN_PARAGRAPH.LEFT if column in left else WD_ALIGN_PARAGRAPH.CENTER
            _cell_text(row.cells[column], value, bold=bold, align=align)
        return row

    for group in table_of.groups:
        if group.heading is not None:
            row = table.add_row()
            _cant_split(row)
            _cell_text(row.cells[0], group.numeral, bold=True, size=11)
            merged = row.cells[1].merge(row.cells[last_col])
            _cell_text(merged, group.heading, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
            # A commune's heading row never ends a page away from its villages.
            for cell in (row.cells[0], merged):
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
        for village in group.rows:
            add_row(
                (str(village.number), village.name, *village.marks, str(village.met_count), village.missing),
                left=(1, last_col),
            )
    for total in table_of.totals:
        standard = "" if total.standard is None else str(total.standard)
        row = add_row(("", total.label, *(str(c) for c in total.counts), standard, ""), bold=True)
        merged = row.cells[0].merge(row.cells[1])
        # merge() keeps both cells' paragraphs: drop the empty first one.
        first = merged.paragraphs[0]
        if not first.text and len(merged.paragraphs) > 1:
            first._p.getparent().remove(first._p)
    _fixed_table(table, widths, borders=True)
    _cell_margins(table, 0.8)

    legend = _plain(scratch.add_paragraph(), align=WD_ALIGN_PARAGRAPH.LEFT, before=6)
    _run(legend, table_of.legend, italic=True, size=12)
    return "".join(etree.tostring(element, encoding="unicode") for element in (table._tbl, legend._p))


# --- rendering ---------------------------------------------------------------------------------


def _recipients(lines: Sequence[str]) -> list[dict[str, object]]:
    # "- Lưu: VT." is a recipient; "Gửi bản điện tử:" heads a group and is printed in italics.
    return [{"chu": line, "nhom": not line.startswith(("-", "+"))} for line in lines]


def _standard_sentence(summary: Summary, config: NoticeConfig) -> str:
    unit, size = summary.criteria.unit, len(summary.criteria)
    meeting = len(summary.tallies.meeting_standard)
    if meeting == 0:
        return f"Chưa có {unit} nào đạt {size}/{size} tiêu chí trên địa bàn {config.area}."
    if meeting < len(summary.villages):
        return f"Mới có {meeting:02d} {unit} đạt {size}/{size} tiêu chí trên địa bàn {config.area}."
    return ""


def notice_context(summary: Summary, config: NoticeConfig) -> dict[str, object]:
    """What the template's tags stand for (the attached table aside)."""
    criteria = summary.criteria
    sections = notice_sections(summary, config)
    deficiencies = summary.tallies.deficiencies
    missed = []
    for number in deficiencies:
        criterion = criteria.by_number(number)
        measures = [line.strip() for line in criterion.measures.splitlines() if line.strip()]
        missed.append(
            {
                "tieu_de": f"Tiêu chí số {criterion.number} - {criterion.name}:",
                "giai_phap": measures or [f"+ {PLACEHOLDER}"],
            }
        )
    return {
        **frame_values(summary, config),
        "co_quan": "\n".join(config.issuer),
        "can_cu": config.basis,
        "thoi_gian_kiem_tra": config.inspection_time,
        "truong_doan": config.inspection_lead,
        "so_don_vi": str(len(summary.villages)),
        "so_tieu_chi": str(len(criteria)),
        "cau_dat_chuan": _standard_sentence(summary, config),
        "muc_2_tieu_de": sections.count_heading,
        "muc_2": list(sections.count_lines),
        "muc_3_tieu_de": sections.deficiency_heading,
        "muc_3": list(sections.deficiency_lines),
        "tieu_chi_chua_dat": missed,
        "noi_nhan": _recipients(config.recipients),
        "chuc_danh": list(config.signature),
        "nguoi_ky": config.signer,
    }


def _open_template(template: str | Path | None) -> Any:
    from docxtpl import DocxTemplate

    if template is None:
        return DocxTemplate(io.BytesIO(build_notice_template()))
    path = Path(template)
    if not path.is_file():
        raise UsageError(f"Không tìm thấy mẫu thông báo '{path}'.")
    if path.stat().st_size > MAX_TEMPLATE_BYTES:
        raise UsageError(
            f"Mẫu thông báo '{path}' quá lớn (giới hạn {MAX_TEMPLATE_BYTES // 1024 // 1024} MB)."
        )
    try:
        document = DocxTemplate(io.BytesIO(path.read_bytes()))
        document.init_docx()  # docxtpl opens the file lazily: open it now, to report it now
        return document
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise UsageError(f"Không đọc được mẫu thông báo '{path}': cần một tệp Word (.docx).") from exc
    except Exception as exc:  # whatever a clerk's file does, it is the template's fault
        raise UsageError(
            f"Không đọc được mẫu thông báo '{path}': tệp Word bị hỏng hoặc chứa nội dung không hợp lệ "
            f"({_reason(exc)})."
        ) from exc


MAX_TEMPLATE_BYTES = 32 * 1024 * 1024
MAX_TEMPLATE_TEXT = 16 * 1024 * 1024  # characters one expression of a template may make
MAX_TEMPLATE_LOOPS = 1_000_000  # items all range() calls of a template may give together


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _repeated_length(left: Any, right: Any) -> int:
    """How long ``left * right`` would be when it repeats a text or a list, else 0."""
    if isinstance(right, (str, list, tuple)):
        left, right = right, left
    if isinstance(left, (str, list, tuple)) and isinstance(right, int):
        return len(left) * right
    return 0


def _environment() -> Any:
    """A sandbox that also bounds what a template can make: long texts, long loops."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class Bounded(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "+"})

        def __init__(self) -> None:
            # Autoescape: names from commune files and configuration text stay text in the
            # XML; strict: a misspelt tag in the clerk's copy is reported, not left blank.
            super().__init__(autoescape=True, undefined=StrictUndefined)
            self.loops = 0
            self.globals["range"] = self._range

        def _range(self, *args: int) -> range:
            numbers = range(*args)
            self.loops += len(numbers)
            if self.loops > MAX_TEMPLATE_LOOPS:
                raise OverflowError(f"vòng lặp quá {MAX_TEMPLATE_LOOPS:,} lần".replace(",", "."))
            return numbers

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, (int, float)) and abs(right) > 64:
                raise OverflowError("lũy thừa quá lớn")
            if operator == "*" and _repeated_length(left, right) > MAX_TEMPLATE_TEXT:
                raise OverflowError("đoạn chữ quá dài")
            return super().call_binop(context, operator, left, right)

    return Bounded()


def _render(template: Any, context: dict[str, object], source: str) -> None:
    from jinja2 import TemplateError

    try:
        template.render(context, _environment())
    except TemplateError as exc:
        raise UsageError(f"Mẫu thông báo '{source}' có thẻ sai: {exc.message or exc}.") from exc
    except Exception as exc:  # any failure of a clerk's template is the template's
        raise UsageError(
            f"Mẫu thông báo '{source}' không dùng được: {_reason(exc)}. Cần sửa thẻ trong mẫu "
            "hoặc dùng mẫu có sẵn."
        ) from exc


def write_notice_document(
    path: str | Path,
    summary: Summary,
    config: NoticeConfig | None = None,
    *,
    template: str | Path | None = None,
    created: datetime | None = None,
) -> Path:
    """The notice draft (.docx): computed sections from ``summary``, facts from ``config``.

    ``path`` is the .docx to write; ``template`` a copy of ``write_notice_template``'s edited
    in Word (the built-in one when omitted); ``created`` the document's creation time (now
    when omitted; fix it for reproducible bytes).
    """
    from markupsafe import Markup

    config = config or NoticeConfig()
    document = _open_template(template)
    # Text XML cannot hold (U+FFFF in a name, say) would make Word refuse the file.
    context = xml_safe_values(notice_context(summary, config))
    context["bieu_chi_tiet"] = Markup(xml_safe(detail_table_xml(summary, config)))
    _render(document, context, str(template) if template else TEMPLATE_NAME)
    properties = document.docx.core_properties
    properties.title = "Thông báo kết quả " + _plain_subject(context)
    properties.created = properties.modified = created or datetime.now()
    path = Path(path)
    data = _saved(document)
    with atomic_output(path) as temporary:
        temporary.write_bytes(data)
    return path


def _plain_subject(context: dict[str, object]) -> str:
    return filled(SUBJECT, {key: str(value) for key, value in context.items()})


if __name__ == "__main__":  # pragma: no cover
    import sys

    target = sys.argv[1] if len(sys.argv) > 1 else str(Path("workbooks") / TEMPLATE_NAME)
    print(write_notice_template(target))
