"""A cheap look at a file before the workbook reader opens it.

python-calamine is fast and safe on honest files, but it trusts the file: a
zip bomb is inflated, and a stray cell at the bottom of a sheet makes it
build a dense grid of a million rows. So the file is checked first, in
bounded time and memory:

* what it is (zip, old Excel container, text, a Word file renamed .xlsx);
* for zip files: declared sizes, then, when the file is big enough for that
  to matter, the real inflated size, read in bounded chunks;
* for .xlsx: each sheet's used extent, hidden rows and columns, and formulas
  saved without their result. These come from one regex pass over the
  sheet's XML, which calamine does not expose.

Files under ``SAFE_COMPRESSED_BYTES`` cannot inflate past the limit whatever
their headers say (deflate expands at most about 1032 times), so the common
case, a commune workbook of a few dozen kilobytes, costs one small read.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

from xlsxwriter.utility import xl_col_to_name

from ._cells import UncalculatedFormula
from ._model import Sheet
from ._problems import Problem, Severity

__all__ = [
    "MAX_CELLS",
    "MAX_INFLATED_BYTES",
    "MAX_ROWS",
    "Inspection",
    "SheetFacts",
    "apply_facts",
    "hidden_warning",
    "inspect_file",
    "sheet_too_big",
]

MAX_ROWS = 100_000
MAX_CELLS = 5_000_000  # rows x columns of one sheet's used range
MAX_INFLATED_BYTES = 256 * 1024 * 1024
MAX_RATIO = 100  # inflated / compressed, for one member bigger than RATIO_FROM_BYTES
RATIO_FROM_BYTES = 16 * 1024 * 1024
SAFE_COMPRESSED_BYTES = MAX_INFLATED_BYTES // 1100
MAX_OLE_BYTES = 64 * 1024 * 1024
_CHUNK = 1 << 20

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")

_ROW = re.compile(rb"<row\b([^>]*)>")
_ATTR_R = re.compile(rb'\br="(\d+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_COL = re.compile(rb"<col\b([^>]*)/?>")
_COL_SPAN = re.compile(rb'\bmin="(\d+)"[^>]*?\bmax="(\d+)"|\bmax="(\d+)"[^>]*?\bmin="(\d+)"')
# A cell with content: "<c r="B7" ...>" (a self-closed "<c .../>" holds only formatting).
_CELL_OPEN = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})(\d+)"[^>]*?(/?)>')
_FORMULA_START = re.compile(rb"<f[ >/]")
_ROW_NUMBERS = re.compile(rb'<c r="[A-Z]{1,3}(\d+)"')
_CELL_COLUMNS = re.compile(rb'<c r="([A-Z]{1,3})\d')
# Any reference to row 100000 or beyond (six digits or more), or to column AA or beyond:
# without either, a sheet is at most 99.999 rows x 26 columns, within both limits.
_LONG_ROW = re.compile(rb'<c r="[A-Z]{1,3}\d{6}')
_WIDE_COLUMN = re.compile(rb'<c r="[A-Z]{2}')
_REF = re.compile(rb'\br="([A-Z]{1,3}\d+)"')
_FORMULA_TEXT = re.compile(rb"<f\b[^>]*>(.*?)</f>", re.S)
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass
class SheetFacts:
    """What the XML says about one .xlsx sheet (rows and columns 0-based)."""

    hidden_rows: tuple[int, ...] = ()
    hidden_cols: tuple[int, ...] = ()
    uncalculated: dict[tuple[int, int], str] = field(default_factory=dict)  # cell -> formula text
    struck_cells: frozenset[tuple[int, int]] = frozenset()  # cells whose font is struck through


@dataclass
class Inspection:
    problems: list[Problem] = field(default_factory=list)
    refused: bool = False  # the file must not be opened at all
    refused_sheets: frozenset[str] = frozenset()
    sheets: dict[str, SheetFacts] = field(default_factory=dict)


def _count(number: int) -> str:
    """1048576 -> "1.048.576", the Vietnamese way."""
    return f"{number:,}".replace(",", ".")


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


def _refuse(path: Path, why: str) -> Inspection:
    """Refuse the whole file; ``why`` continues "Không đọc được tệp: "."""
    return Inspection([Problem(Severity.ERROR, path, f"Không đọc được tệp: {why}")], refused=True)


def _what_is(head: bytes) -> str | None:
    """A name for content that is not a workbook, or None when unsure."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"%pdf"):
        return "tệp PDF"
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<head", b"<meta")):
        return "trang web (HTML) đổi đuôi thành tệp Excel, thường do phần mềm xuất ra"
    if text.startswith(b"<?xml"):
        return "tệp XML (có thể là dạng 'XML Spreadsheet 2003')"
    if text.startswith(b"{\\rtf"):
        return "văn bản RTF"
    if head[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1", b"GIF8"):
        return "tệp ảnh"
    if head[:4] == b"Rar!" or head[:2] == b"7z":
        return "tệp nén (RAR/7z), cần giải nén trước"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            decoded = head.decode("utf-16")
        except UnicodeDecodeError:
            return None
        return "văn bản thuần (text)" if decoded.isprintable() or "\n" in decoded else None
    return "văn bản thuần (text hoặc CSV)"


def inspect_file(path: Path) -> Inspection:
    """Checks that need no workbook parser; never raises for a bad file."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        return _refuse(path, f"không mở được tệp ({exc.strerror or exc}).")
    if size == 0:
        return _refuse(path, "tệp rỗng (0 byte), chưa được lưu hoặc chưa tải về hết.")
    if head.startswith(_ZIP_MAGIC):
        return _inspect_zip(path, size)
    if head.startswith(_OLE_MAGIC):
        return _inspect_ole(path, size)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xlsb", ".ods", ".xls"):
        what = _what_is(head)
        if what is None:
            return _refuse(
                path,
                "tệp không phải bảng tính Excel: nội dung không đúng định dạng "
                f"{path.suffix.lower()} (tệp hỏng hoặc đổi đuôi).",
            )
        return _refuse(
            path,
            f"tệp không phải bảng tính Excel mà là {what}. "
            "Cần mở bằng Excel và lưu lại dạng .xlsx, hoặc xin xã gửi lại đúng tệp.",
        )
    return Inspection()


def _inspect_ole(path: Path, size: int) -> Inspection:
    """Old Excel (.xls) and password-protected workbooks share this container."""
    if size > MAX_OLE_BYTES:
        return _refuse(path, f"tệp quá lớn ({_mb(size)}, giới hạn {_mb(MAX_OLE_BYTES)}).")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _refuse(path, f"không mở được tệp ({exc.strerror or exc}).")
    if _ENCRYPTED in data:
        return _refuse(
            path, "tệp được đặt mật khẩu; cần gỡ mật khẩu (File > Info > Protect Workbook) rồi gửi lại."
        )
    return Inspection()


def _inspect_zip(path: Path, size: int) -> Inspection:
    try:
        with zipfile.ZipFile(path) as archive:
            return _inspect_archive(path, size, archive)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        ValueError,
        NotImplementedError,
    ) as exc:
        return _refuse(
            path,
            "tệp bị hỏng hoặc chưa tải về hết (phần nén bên trong tệp không đầy đủ); "
            f"cần xin xã gửi lại tệp ({type(exc).__name__}).",
        )
    except (OSError, RuntimeError) as exc:
        return _refuse(path, f"{exc}.")


def _inspect_archive(path: Path, size: int, archive: zipfile.ZipFile) -> Inspection:
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if "word/document.xml" in names:
        return _refuse(
            path, "tệp là văn bản Word (.docx) bị đổi đuôi thành tệp Excel; cần gửi đúng biểu Excel."
        )
    if "ppt/presentation.xml" in names:
        return _refuse(path, "tệp là bài trình chiếu PowerPoint bị đổi đuôi thành tệp Excel.")
    is_xlsx = "xl/workbook.xml" in names
    is_ods = "content.xml" in names and "mimetype" in names
    if not is_xlsx and not is_ods and "xl/workbook.bin" not in names:
        return _refuse(path, "tệp nén (zip) này không chứa bảng tính Excel.")
    declared = sum(info.file_size for info in infos)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            detail = f"phần '{info.filename}' nén tỉ lệ 1:{ratio:.0f}"
            return _refuse(path, _bomb_message(declared, size, detail))
    if declared > MAX_INFLATED_BYTES:
        return _refuse(path, _bomb_message(declared, size, ""))
    if size > SAFE_COMPRESSED_BYTES:
        # Headers can lie: count what really comes out, in bounded chunks.
        inflated = 0
        for info in infos:
            with archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    inflated += len(chunk)
                    if inflated > MAX_INFLATED_BYTES:
                        return _refuse(path, _bomb_message(inflated, size, "kích thước khai báo sai"))
    if not is_xlsx:
        return Inspection()
    return _inspect_sheets(path, archive)


def _bomb_message(inflated: int, size: int, detail: str) -> str:
    extra = f"; {detail}" if detail else ""
    return (
        f"tệp nén {_mb(size)} nhưng giải nén ra hơn {_mb(inflated)} "
        f"(giới hạn {_mb(MAX_INFLATED_BYTES)}{extra}): "
        "có thể là tệp độc hại (zip bomb) hoặc bảng tính quá lớn."
    )


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path) of each worksheet, in workbook order."""
    workbook_xml = archive.read("xl/workbook.xml")
    if len(workbook_xml) <= _CACHED_XML_BYTES:
        sheets = _sheets_listed(workbook_xml)
    else:
        sheets = _sheets_listed.__wrapped__(workbook_xml)
    try:
        rels_xml = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return []
    if len(rels_xml) <= _CACHED_XML_BYTES:
        targets = _relationship_targets(rels_xml)
    else:
        targets = _relationship_targets.__wrapped__(rels_xml)
    parts = []
    for name, rel_id in sheets:
        part = targets.get(rel_id, "")
        if part.startswith("xl/worksheets/"):
            parts.append((name, part))
    return parts


# Files made from one template list the same sheets: each XML text is parsed once.
# Only small texts are kept: a hostile file's are not held in memory.
_CACHED_XML_BYTES = 64 * 1024


@lru_cache(maxsize=64)
def _sheets_listed(workbook_xml: bytes) -> tuple[tuple[str, str], ...]:
    """(sheet name, relationship id) of each sheet in xl/workbook.xml."""
    workbook = ElementTree.fromstring(workbook_xml)
    return tuple(
        (sheet.get("name", ""), sheet.get(f"{_NS_REL}id", "")) for sheet in workbook.iter(f"{_NS_MAIN}sheet")
    )


@lru_cache(maxsize=64)
def _relationship_targets(rels_xml: bytes) -> dict[str, str]:
    """Relationship id -> part path, from xl/_rels/workbook.xml.rels (never changed by callers)."""
    rels = ElementTree.fromstring(rels_xml)
    targets = {}
    for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        targets[rel.get("Id", "")] = part
    return targets


def _inspect_sheets(path: Path, archive: zipfile.ZipFile) -> Inspection:
    inspection = Inspection()
    refused: set[str] = set()
    try:
        parts = _sheet_parts(archive)
    except (KeyError, ElementTree.ParseError):
        return inspection  # calamine gives the precise message
    names = set(archive.namelist())
    struck = _struck_styles(archive.read("xl/styles.xml")) if "xl/styles.xml" in names else frozenset()
    for name, part in parts:
        if part not in names:
            continue
        data = archive.read(part)
        facts, extent_problem = _scan_sheet(data)
        if extent_problem:
            refused.add(name)
            inspection.problems.append(Problem(Severity.ERROR, path, extent_problem, sheet=name))
            continue
        if struck:
            facts.struck_cells = _struck_cells(data, struck)
        inspection.sheets[name] = facts
    inspection.refused_sheets = frozenset(refused)
    return inspection


_STYLED_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})(\d+)"[^>]*?\bs="(\d+)"')


def _struck_styles(styles_xml: bytes) -> frozenset[int]:
    """Indexes of the cell formats whose font is struck through (most files have none)."""
    if b"<strike" not in styles_xml:
        return frozenset()
    try:
        styles = ElementTree.fromstring(styles_xml)
    except ElementTree.ParseError:
        return frozenset()
    fonts = styles.find(f"{_NS_MAIN}fonts")
    formats = styles.find(f"{_NS_MAIN}cellXfs")
    if fonts is None or formats is None:
        return frozenset()
    struck_fonts = set()
    for index, font in enumerate(fonts.iter(f"{_NS_MAIN}font")):
        strike = font.find(f"{_NS_MAIN}strike")
        if strike is not None and strike.get("val", "1") not in ("0", "false"):
            struck_fonts.add(str(index))
    return frozenset(
        i for i, xf in enumerate(formats.iter(f"{_NS_MAIN}xf")) if xf.get("fontId") in struck_fonts
    )


def _struck_cells(data: bytes, struck: frozenset[int]) -> frozenset[tuple[int, int]]:
    return frozenset(
        (int(m.group(2)) - 1, _col_index(m.group(1)))
        for m in _STYLED_CELL.finditer(data)
        if int(m.group(3)) in struck
    )


def _extent(data: bytes) -> tuple[int, int, bytes]:
    """(rows, columns, last cell) of the cells holding a value; cheap when the sheet is small."""
    # Fast bound first, in C: every cell reference, formatting-only cells included.
    rows = [int(r) for r in _ROW_NUMBERS.findall(data)]
    columns = set(_CELL_COLUMNS.findall(data))
    max_col = max((_col_index(c) + 1 for c in columns), default=0)
    max_row = max(rows, default=0)
    if max_row <= MAX_ROWS and max_row * max_col <= MAX_CELLS:
        return max_row, max_col, b""
    # Over the bound: count only cells that hold a value, as the reader does.
    max_row = max_col = 0
    last_ref = b""
    for match in _CELL_OPEN.finditer(data):
        if match.group(3):
            continue  # formatting only, no value
        row = int(match.group(2))
        if row > max_row:
            max_row, last_ref = row, match.group(1) + match.group(2)
        max_col = max(max_col, _col_index(match.group(1)) + 1)
    return max_row, max_col, last_ref


def _scan_sheet(data: bytes) -> tuple[SheetFacts, str]:
    if b'hidden="' not in data and _LONG_ROW.search(data) is None and _WIDE_COLUMN.search(data) is None:
        # The common case, decided by two searches in C without counting every cell.
        return SheetFacts(uncalculated=_uncalculated(data)), ""
    max_row, max_col, last_ref = _extent(data)
    if max_row > MAX_ROWS or max_row * max_col > MAX_CELLS:
        return SheetFacts(), (
            f"Trang tính có dữ liệu tới ô {last_ref.decode()} "
            f"({_count(max_row)} dòng × {_count(max_col)} cột), "
            f"vượt giới hạn {_count(MAX_ROWS)} dòng; trang này không được đọc. Nếu chỉ có vài ô lẻ ở cuối "
            "trang, cần xoá chúng (Ctrl+End để tìm) rồi lưu lại."
        )
    if b'hidden="' not in data:
        return SheetFacts(uncalculated=_uncalculated(data)), ""
    hidden_rows = tuple(
        int(r.group(1)) - 1
        for attrs in (m.group(1) for m in _ROW.finditer(data) if b"hidden" in m.group(1))
        if _HIDDEN.search(attrs) and (r := _ATTR_R.search(attrs)) and int(r.group(1)) <= max_row
    )
    hidden_cols: list[int] = []
    for match in _COL.finditer(data):
        attrs = match.group(1)
        span = _COL_SPAN.search(attrs)
        if span and _HIDDEN.search(attrs):
            first, last = (int(v) for v in (span.group(1, 2) if span.group(1) else span.group(4, 3)))
            hidden_cols.extend(c - 1 for c in range(first, min(last, max_col) + 1))
    return SheetFacts(hidden_rows, tuple(hidden_cols), _uncalculated(data)), ""


def _uncalculated(data: bytes) -> dict[tuple[int, int], str]:
    """Cells whose formula was saved without a result: (row, col) -> formula text."""
    found: dict[tuple[int, int], str] = {}
    for match in _FORMULA_START.finditer(data):
        start = data.rfind(b"<c ", 0, match.start())
        end = data.find(b"</c>", match.start())
        if start < 0 or end < 0:
            continue
        body = data[match.start() : end]
        if b"<v>" in body or b"<v " in body or b"<is>" in body:
            continue
        ref_match = _REF.search(data, start, match.start())
        if ref_match is None:
            continue
        ref = ref_match.group(1).decode()
        letters = ref.rstrip("0123456789")
        formula = _FORMULA_TEXT.search(body)
        text = formula.group(1).decode("utf-8", "replace") if formula else ""
        found[(int(ref[len(letters) :]) - 1, _col_index(letters.encode()))] = _unescape(text)
    return found


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def _col_index(letters: bytes) -> int:
    index = 0
    for byte in letters:
        index = index * 26 + (byte - 64)
    return index - 1


def hidden_warning(facts: SheetFacts) -> str:
    """The warning for a sheet with hidden rows or columns, or ""."""
    parts = []
    if facts.hidden_rows:
        rows = ", ".join(str(r + 1) for r in facts.hidden_rows[:10])
        more = f" và {len(facts.hidden_rows) - 10} dòng khác" if len(facts.hidden_rows) > 10 else ""
        parts.append(f"{len(facts.hidden_rows)} dòng bị ẩn ({rows}{more})")
    if facts.hidden_cols:
        cols = ", ".join(xl_col_to_name(c) for c in facts.hidden_cols[:10])
        more = f" và {len(facts.hidden_cols) - 10} cột khác" if len(facts.hidden_cols) > 10 else ""
        parts.append(f"{len(facts.hidden_cols)} cột bị ẩn ({cols}{more})")
    if not parts:
        return ""
    return (
        "Trang tính có " + " và ".join(parts) + "; dữ liệu trong đó vẫn được đọc và tính. "
        "Cần kiểm tra lại (bỏ ẩn: chọn cả trang, chuột phải, Unhide)."
    )


def sheet_too_big(height: int, width: int) -> str:
    """The refusal for a sheet calamine has measured (formats other than .xlsx), or ""."""
    if height > MAX_ROWS or height * width > MAX_CELLS:
        return (
            f"Trang tính có {_count(height)} dòng × {_count(width)} cột, vượt giới hạn {_count(MAX_ROWS)} "
            "dòng; trang này không được đọc."
        )
    return ""


def apply_facts(sheet: Sheet, facts: SheetFacts, path: Path) -> tuple[Sheet, list[Problem]]:
    """The sheet with uncomputed formulas marked, and a warning for hidden data."""
    problems: list[Problem] = []
    rows = sheet.rows
    if facts.uncalculated:
        changed = [list(row) for row in rows]
        for (r, c), formula in facts.uncalculated.items():
            if r < len(changed) and c < len(changed[r]) and changed[r][c] in ("", None):
                changed[r][c] = UncalculatedFormula(formula)
        rows = tuple(tuple(row) for row in changed)
    hidden_rows = tuple(r for r in facts.hidden_rows if r < len(rows) and any(_filled(v) for v in rows[r]))
    hidden_cols = tuple(c for c in facts.hidden_cols if any(c < len(row) and _filled(row[c]) for row in rows))
    warning = hidden_warning(SheetFacts(hidden_rows, hidden_cols))
    if warning:
        problems.append(Problem(Severity.WARNING, path, warning, sheet=sheet.name))
    if facts.struck_cells:
        sheet = replace(sheet, struck_cells=facts.struck_cells)
    if rows is sheet.rows:
        return sheet, problems
    return replace(sheet, rows=rows), problems


def _filled(value: object) -> bool:
    return not (value is None or (isinstance(value, str) and not value.strip()))
