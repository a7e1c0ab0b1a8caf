"""Make the corpus of real-world and hostile commune files: one file per case.

    python tests/corpus/make_corpus.py OUT_DIR

The tests run this into a temporary folder; the script is the source of truth.
"""

from __future__ import annotations

import io
import shutil
import sys
import zipfile
import zlib
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import xlsxwriter

from ntm_xl import CriteriaSet, load_criteria
from ntm_xl._read._legacy import Encoding, encode

CRITERIA = load_criteria()
MET, NOT_MET = "Đạt", "Chưa đạt"
_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}

# (commune, village, criteria not met)
GOOD = ("Đôn Phong", (("Bản Vén", {7, 10, 13}), ("Bản Đán", {10, 11, 13})))
PER_VILLAGE = ("Thuần Mang", (("Nà Ngần", {10}), ("Khuổi Hóp", {10, 11}), ("Nà Mực", set())))
TRANSPOSED = ("Cao Sơn", (("Thôm Khoan", {10, 11}), ("Khau Cà", {10, 11})))
NAMES_ONLY = ("Vi Hương", (("Đon Bậy", {10, 11}), ("Nà Ít", {10, 11}), ("Bó Lịn", {10, 11})))
LEGACY = ("Vũ Muộn", (("Đông Bun", {7, 9, 10, 11, 15, 17}), ("Đon Quán", {7, 10, 17})))


def marks_of(not_met: set[int], criteria: CriteriaSet = CRITERIA) -> list[str]:
    return [NOT_MET if c.number in not_met else MET for c in criteria.criteria]


def write_matrix(
    path: Path,
    commune: str,
    villages: Sequence[tuple[str, set[int]]],
    *,
    headers: Sequence[object] | None = None,
    text: Callable[[str], str] = lambda s: s,
    cell: Callable[[int, int, object], object] | None = None,
    after: Callable[[object, int], None] | None = None,
) -> Path:
    """Villages as rows, criteria as columns; ``cell`` may replace any mark; ``after`` edits the sheet."""
    workbook = xlsxwriter.Workbook(str(path), _OPTIONS)
    sheet = workbook.add_worksheet("Biểu")
    sheet.write_string(0, 0, text(f"UBND XÃ {commune.upper()}"))
    sheet.write_string(1, 0, text("BIỂU TỰ ĐÁNH GIÁ TIÊU CHÍ THÔN NÔNG THÔN MỚI"))
    head = list(headers) if headers is not None else [c.number for c in CRITERIA.criteria]
    sheet.write_string(3, 0, "STT")
    sheet.write_string(3, 1, text("Tên thôn"))
    for c, value in enumerate(head, 2):
        if isinstance(value, str):
            sheet.write_string(3, c, text(value))
        else:
            sheet.write_number(3, c, value)  # type: ignore[arg-type]
    for i, (village, not_met) in enumerate(villages):
        r = 4 + i
        if not village:
            continue  # a blank separator row
        sheet.write_number(r, 0, i + 1)
        sheet.write_string(r, 1, text(village))
        for j, mark in enumerate(marks_of(not_met)):
            value = cell(i, j, mark) if cell else mark
            if isinstance(value, str):
                sheet.write_string(r, 2 + j, text(value))
            elif isinstance(value, date):
                sheet.write_datetime(r, 2 + j, value, workbook.add_format({"num_format": "dd/mm/yyyy"}))
            elif isinstance(value, (int, float)):
                sheet.write_number(r, 2 + j, value)
    if after is not None:
        after(sheet, 4 + len(villages))
    workbook.close()
    return path


def write_per_village(path: Path) -> Path:
    commune, villages = PER_VILLAGE
    workbook = xlsxwriter.Workbook(str(path), _OPTIONS)
    titles = ("THÔN NÀ NGẦN", "Thôn: Khuổi Hóp", None)
    for (village, not_met), title in zip(villages, titles, strict=True):
        sheet = workbook.add_worksheet(village)
        sheet.write_string(0, 0, f"UBND XÃ {commune.upper()}")
        if title:
            sheet.write_string(1, 0, title)
        sheet.write_row(3, 0, ("TT", "Tên tiêu chí", "Nội dung", "Kết quả thực hiện", "Tự đánh giá"))
        r = 4
        for criterion, mark in zip(CRITERIA.criteria, marks_of(not_met), strict=True):
            sheet.write_number(r, 0, criterion.number)
            sheet.write_string(r, 1, criterion.name)
            sheet.write_string(r, 2, "Theo hướng dẫn")
            sheet.write_string(r, 4, mark)
            r += 1
            if criterion.number == 9:  # indicator rows are not criteria
                sheet.write_string(r, 0, "9.1")
                sheet.write_string(r, 1, "Tỷ lệ nhà ở đạt chuẩn")
                sheet.write_string(r, 4, MET)
                r += 1
        sheet.write_string(r + 1, 0, "Ghi chú: số liệu đến ngày 15/6.")
    workbook.close()
    return path


def write_transposed(path: Path) -> Path:
    commune, villages = TRANSPOSED
    workbook = xlsxwriter.Workbook(str(path), _OPTIONS)
    sheet = workbook.add_worksheet("Tổng hợp")
    sheet.write_string(0, 0, f"UBND XÃ {commune.upper()}")
    sheet.write_row(2, 0, ("TT", "Tiêu chí", *(v for v, _ in villages)))
    for i, criterion in enumerate(CRITERIA.criteria):
        sheet.write_string(3 + i, 0, f"Tiêu chí số {criterion.number}")
        sheet.write_string(3 + i, 1, criterion.short_name)
        for j, (_, not_met) in enumerate(villages):
            sheet.write_string(3 + i, 2 + j, NOT_MET if criterion.number in not_met else MET)
    last = 3 + len(CRITERIA.criteria)
    sheet.write_string(last, 1, "Số tiêu chí đạt")
    sheet.write_string(last + 2, 0, "Người lập biểu")
    workbook.close()
    return path


def write_names_only(path: Path) -> Path:
    commune, villages = NAMES_ONLY
    # Names only, some with the other tone placement ("Thuỷ lợi", "Văn hóa").
    names = [c.short_name.replace("Thủy", "Thuỷ").replace("hoá", "hóa") for c in CRITERIA.criteria]

    def extras(sheet: object, row: int) -> None:
        sheet.write_string(row + 1, 1, "Tổng cộng")  # type: ignore[attr-defined]
        sheet.write_string(row + 3, 0, "Ghi chú: thôn Nà Ít đã rà soát lại tiêu chí 11.")  # type: ignore[attr-defined]
        sheet.set_row(5, None, None, {"hidden": True})  # type: ignore[attr-defined]
        sheet.set_column(22, 22, None, None, {"hidden": True})  # type: ignore[attr-defined]
        sheet.write_string(3, 22, "Ghi chú")  # type: ignore[attr-defined]
        sheet.write_string(5, 22, "đã kiểm tra")  # type: ignore[attr-defined]

    rows = list(villages)
    rows.insert(1, ("", set()))  # a blank separator row
    return write_matrix(path, commune, rows, headers=names, after=extras)


def write_legacy(path: Path, encoding: Encoding) -> Path:
    commune, villages = LEGACY
    return write_matrix(path, commune, villages, text=lambda s: encode(s, encoding))


def write_docx_renamed(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return path


def write_zip_bomb(path: Path, good: Path) -> Path:
    shutil.copy(good, path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("xl/worksheets/sheet9.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            block = b" " * (1 << 20)
            for _ in range(300):  # 300 MB of spaces, about 300 KB compressed
                member.write(block)
    return path


def strip_cached_values(path: Path) -> Path:
    """Remove formulas' cached results, as files written by non-calculating programs have."""
    data = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(data) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                import re

                content = re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1", content)
            target.writestr(info, content)
    return path


def write_password(path: Path, good: Path) -> Path | None:
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        return None
    with good.open("rb") as plain, path.open("wb") as out:
        office = OOXMLFile(plain)
        office.encrypt("matkhau", out)
    return path


def make(out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}

    def add(name: str, path: Path | None) -> None:
        if path is not None:
            files[name] = path

    commune, villages = GOOD
    add("good", write_matrix(out / "good.xlsx", commune, villages))
    add("per-village", write_per_village(out / "per-village.xlsx"))
    add("transposed", write_transposed(out / "transposed.xlsx"))
    add("names-only", write_names_only(out / "names-only.xlsx"))
    add("tcvn3", write_legacy(out / "tcvn3.xlsx", Encoding.TCVN3))
    add("vni", write_legacy(out / "vni.xlsx", Encoding.VNI))

    text = out / "text.xlsx"
    text.write_text("Báo cáo kết quả rà soát (gửi kèm bảng tính sau)\n", encoding="utf-8")
    add("text", text)
    add("docx", write_docx_renamed(out / "word.xlsx"))
    truncated = out / "truncated.xlsx"
    truncated.write_bytes(files["good"].read_bytes()[: files["good"].stat().st_size // 2])
    add("truncated", truncated)
    empty = xlsxwriter.Workbook(str(out / "empty.xlsx"))
    empty.add_worksheet()
    empty.close()
    add("empty", out / "empty.xlsx")
    add("password", write_password(out / "password.xlsx", files["good"]))
    add(
        "million-rows",
        write_matrix(
            out / "million-rows.xlsx",
            "Mỹ Thanh",
            (("Bản Luông", {10}),),
            after=lambda sheet, row: sheet.write_string(1_048_575, 0, "."),  # type: ignore[attr-defined]
        ),
    )
    add("zip-bomb", write_zip_bomb(out / "zip-bomb.xlsx", files["good"]))

    def formulas(sheet: object, row: int) -> None:
        sheet.write_formula(4, 8, '=IF(TRUE,"Đạt","")')  # type: ignore[attr-defined]

    uncalculated = write_matrix(
        out / "uncalculated.xlsx",
        "Nguyên Phúc",
        (("Nà Rào", {10, 17, 19}),),
        cell=lambda i, j, mark: None if j == 6 else mark,
        after=formulas,
    )
    add("uncalculated", strip_cached_values(uncalculated))

    def merge(sheet: object, row: int) -> None:
        sheet.merge_range(4, 2, 4, 4, MET)  # type: ignore[attr-defined]

    add(
        "merged",
        write_matrix(
            out / "merged.xlsx",
            "Quân Hà",
            (("Cốc Xả", {10, 17}),),
            cell=lambda i, j, mark: None if j < 3 else mark,
            after=merge,
        ),
    )
    add(
        "numbers-dates",
        write_matrix(
            out / "numbers-dates.xlsx",
            "Tân Tú",
            (("Cốc Pái", {7, 10, 15}),),
            headers=[str(c.number) for c in CRITERIA.criteria],  # criterion numbers stored as text
            cell=lambda i, j, mark: 1 if j == 0 else date(2024, 6, 1) if j == 1 else mark,
        ),
    )
    add(
        "long-control",
        write_matrix(
            out / "long-control.xlsx",
            "Sỹ Bình",
            (("Nà Lặng " * 40, {10, 11}), ("Lọ\x07 Cặp", {10, 11})),
        ),
    )
    add(
        "formula-text",
        write_matrix(
            out / "formula-text.xlsx",
            "Cẩm Giàng",
            (('=HYPERLINK("http://vi.du","Bấm")', {7}), ("+cmd|' /C calc'!A0", {10}), ("@SUM(1+1)", {17})),
        ),
    )
    copy = out / "good (1).xlsx"
    shutil.copy(files["good"], copy)
    add("copy", copy)
    add("same-commune", write_matrix(out / "same-commune.xlsx", GOOD[0], (("Nà Pài", {10}),)))
    add("same-village", write_matrix(out / "same-village.xlsx", GOOD[0], (("Bản Vén", {10}),)))
    return files


def checksum_all(folder: Path) -> dict[str, int]:
    return {p.name: zlib.crc32(p.read_bytes()) for p in sorted(folder.iterdir()) if p.is_file()}


if __name__ == "__main__":  # pragma: no cover
    for name, path in make(Path(sys.argv[1] if len(sys.argv) > 1 else "corpus")).items():
        print(f"{name}: {path}")
