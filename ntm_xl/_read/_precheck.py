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

import codecs
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from xlsxwriter.utility import xl_col_to_name

from .._common._cells import UncalculatedFormula
from .._values._catalogue import problem
from .._values._model import InputSheet
from .._values._problems import Problem

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
MAX_MERGES = 10_000  # merged ranges on one sheet; a commune form has a few dozen
MAX_SHARED_STRINGS = MAX_CELLS  # distinct texts declared by a workbook
_CHUNK = 1 << 20

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")

_ROW = re.compile(rb"<row\b([^>]*)>")
_ATTR_R = re.compile(rb'\br="(\d+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_COL = re.compile(rb"<col\b([^>]*)/?>")
_COL_SPAN = re.compile(rb'\bmin="(\d+)"[^>]*?\bmax="(\d+)"|\bmax="(\d+)"[^>]*?\bmin="(\d+)"')
_FORMULA_START = re.compile(rb"<f[ >/]")
_FORMULA_TEXT = re.compile(rb"<f\b[^>]*>(.*?)</f>", re.S)

# The size checks read references the way a tolerant XML reader does: any attribute
# order, either quote, spaces around "=", either case, any namespace prefix ("<x:c>").
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_R = rb"""(?<![\w:.-])r\s*=\s*(["'])\s*([A-Za-z]*)\s*(\d*)\s*\1"""
_REF = re.compile(_R)
# Any reference to row 100000 or beyond, or to column AA or beyond: without one, a
# sheet is at most 99.999 rows x 26 columns, within both limits.
# The "r" is matched before the look behind it, so the search runs on a literal first.
_FAR_REF = re.compile(rb"""r(?<![\w:.-]r)\s*=\s*["']\s*(?:[A-Za-z]{2}|[A-Za-z]*\s*\d{6})""")
# A "c" or "row" tag with a namespace prefix, or one of them after a colon anywhere.
_PREFIXED_TAG = re.compile(rb":(?:c|row)[\s/>]")
# A "c" or "row" tag that does not open with its reference, as spreadsheet writers make them.
_NOT_REFERENCED_FIRST = re.compile(rb"""<(?:c|row)(?=[\s/>])(?! r=")""")
# A row or cell without a reference: its place follows the one before, so it must be counted.
_UNREFERENCED = re.compile(rb"<" + _PREFIX + rb"""(?:c|row)(?=[\s/>])(?![^>]*(?<![\w:.-])r\s*=)""")
_TAG = re.compile(rb"<" + _PREFIX + rb"(row|c)(?=[\s/>])([^>]*?)(/?)>")
_MERGE = re.compile(rb"<" + _PREFIX + rb"""mergeCell(?=[\s/>])[^>]*?\bref\s*=\s*(["'])([^"']*)\1""")
# The same where no tag has a prefix (one search for ":mergeCell" says so): on a literal.
_MERGE_PLAIN = re.compile(rb"""<mergeCell(?=[\s/>])[^>]*?\bref\s*=\s*(["'])([^"']*)\1""")
_SST = re.compile(rb"<" + _PREFIX + rb"sst(?=[\s/>])([^>]*)>")
_COUNT_ATTR = re.compile(rb"""(?<![\w:.-])(count|uniqueCount)\s*=\s*(["'])\s*(\d+)\s*\2""")
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*(["'])([^"']*)\1""")
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


def _refuse(path: Path, code: str, **params: Any) -> Inspection:
    """Refuse the whole file, for the reason of kind ``code`` (``sheet`` names a sheet)."""
    return Inspection([problem(code, path, **params)], refused=True)


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
        return _refuse(path, "F009", reason=exc.strerror or str(exc))
    if size == 0:
        return _refuse(path, "F010")
    if head.startswith(_ZIP_MAGIC):
        return _inspect_zip(path, size)
    if head.startswith(_OLE_MAGIC):
        return _inspect_ole(path, size)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xlsb", ".ods", ".xls"):
        what = _what_is(head)
        if what is None:
            return _refuse(path, "F011", suffix=path.suffix.lower())
        return _refuse(path, "F012", what=what)
    return Inspection()


def _inspect_ole(path: Path, size: int) -> Inspection:
    """Old Excel (.xls) and password-protected workbooks share this container."""
    if size > MAX_OLE_BYTES:
        return _refuse(path, "F013", size=_mb(size), limit=_mb(MAX_OLE_BYTES))
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _refuse(path, "F009", reason=exc.strerror or str(exc))
    if _ENCRYPTED in data:
        return _refuse(path, "F014")
    from ._biff import SheetExtent, xls_extents

    extents: list[SheetExtent] = xls_extents(data)
    for extent in extents:
        if extent.rows > MAX_ROWS or extent.rows * extent.cols > MAX_CELLS:
            return _refuse(
                path,
                "F022",
                sheet=extent.name,
                name=extent.name,
                rows=_count(extent.rows),
                cols=_count(extent.cols),
                what=f"ô cuối ở {extent.last_cell}" if extent.last_cell else "bản ghi DIMENSIONS",
                limit=f"{_count(MAX_ROWS)} dòng hoặc {_count(MAX_CELLS)} ô",
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
        OverflowError,
    ) as exc:
        return _refuse(path, "F015", detail=type(exc).__name__)
    except (OSError, RuntimeError) as exc:
        return _refuse(path, "F015", detail=f"{type(exc).__name__}: {exc}")


def _inspect_archive(path: Path, size: int, archive: zipfile.ZipFile) -> Inspection:
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if "word/document.xml" in names:
        return _refuse(path, "F016")
    if "ppt/presentation.xml" in names:
        return _refuse(path, "F017")
    is_xlsx = "xl/workbook.xml" in names
    is_ods = "content.xml" in names and "mimetype" in names
    if not is_xlsx and not is_ods and "xl/workbook.bin" not in names:
        return _refuse(path, "F018")
    declared = sum(info.file_size for info in infos)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            detail = f"phần '{info.filename}' nén tỉ lệ 1:{ratio:.0f}"
            return _refuse_bomb(path, declared, size, detail)
    if declared > MAX_INFLATED_BYTES:
        return _refuse_bomb(path, declared, size, "")
    if size > SAFE_COMPRESSED_BYTES:
        # Headers can lie: count what really comes out, in bounded chunks.
        inflated = 0
        for info in infos:
            with archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    inflated += len(chunk)
                    if inflated > MAX_INFLATED_BYTES:
                        return _refuse_bomb(path, inflated, size, "kích thước khai báo sai")
    if is_ods:
        return _inspect_ods(path, archive)
    if not is_xlsx:
        return Inspection()
    refused = _shared_strings_refusal(path, archive, infos)
    return refused or _inspect_sheets(path, archive)


def _refuse_bomb(path: Path, inflated: int, size: int, detail: str) -> Inspection:
    extra = f"; {detail}" if detail else ""
    return _refuse(
        path, "F019", size=_mb(size), inflated=_mb(inflated), limit=_mb(MAX_INFLATED_BYTES), extra=extra
    )


def _shared_strings_refusal(
    path: Path, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]
) -> Inspection | None:
    """The reader reserves room for as many texts as the shared-string table declares."""
    for info in infos:
        if not info.filename.lower().endswith("sharedstrings.xml"):
            continue
        with archive.open(info) as member:
            head = member.read(4096)
        tag = _SST.search(head)
        if tag is None:
            continue
        declared = max((int(m.group(3)) for m in _COUNT_ATTR.finditer(tag.group(1))), default=0)
        if declared > MAX_SHARED_STRINGS:
            return _refuse(
                path, "F024", part=info.filename, count=_count(declared), limit=_count(MAX_SHARED_STRINGS)
            )
    return None


def _bad_encoding(path: Path, part: str, data: bytes) -> Inspection | None:
    """A part whose XML declaration names no text encoding (``encoding="base64"``)."""
    match = _XML_ENCODING.match(data)
    if match is None:
        return None
    name = match.group(2).decode("ascii", "replace")
    try:
        "".encode(name)
        b"".decode(name)
    except (LookupError, ValueError, TypeError):
        return _refuse(path, "F026", part=part, encoding=name)
    if codecs.lookup(name).name not in _TEXT_CODECS:
        return _refuse(path, "F026", part=part, encoding=name)
    return None


# Text encodings an XML declaration may honestly name here (codec names after lookup).
_TEXT_CODECS = frozenset(
    {"utf-8", "utf-16", "utf-16-le", "utf-16-be", "ascii", "latin-1", "iso8859-1", "cp1252", "utf-8-sig"}
)


_ODS_TAG = re.compile(rb"<(/?)table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*?)(/?)>")
_ROWS_REPEATED = re.compile(rb"""table:number-rows-repeated\s*=\s*["']\s*(\d+)""")
_COLUMNS_REPEATED = re.compile(rb"""table:number-columns-repeated\s*=\s*["']\s*(\d+)""")
_ODS_NAME = re.compile(rb"""table:name\s*=\s*(["'])(.*?)\1""")
_VALUE_TYPE = re.compile(rb"office:value-type\s*=")


def _inspect_ods(path: Path, archive: zipfile.ZipFile) -> Inspection:
    """Rows and cells repeated ("number-rows-repeated") are laid out one by one by the
    reader when they hold something: count them before it does."""
    try:
        data = archive.read("content.xml")
    except KeyError:
        return Inspection()
    bad = _bad_encoding(path, "content.xml", data[:200])
    if bad is not None:
        return bad
    for name, rows, cols in _ods_extents(data):
        if rows > MAX_ROWS or rows * cols > MAX_CELLS:
            return _refuse(
                path,
                "F022",
                sheet=name,
                name=name,
                rows=_count(rows),
                cols=_count(cols),
                what="dòng và ô lặp lại có dữ liệu",
                limit=f"{_count(MAX_ROWS)} dòng hoặc {_count(MAX_CELLS)} ô",
            )
    return Inspection()


def _ods_extents(data: bytes) -> list[tuple[str, int, int]]:
    """(sheet, rows, columns) up to the last row and column holding something."""
    extents: list[tuple[str, int, int]] = []
    name = ""
    row = col = rows = cols = repeat = 0
    row_has_value = False
    for match in _ODS_TAG.finditer(data):
        closing, tag, attributes, empty = match.groups()
        if tag == b"table":
            if closing:
                extents.append((name, rows, cols))
            else:
                found = _ODS_NAME.search(attributes)
                name = found.group(2).decode("utf-8", "replace") if found else ""
                row = col = rows = cols = 0
        elif tag == b"table-row":
            if closing:
                row += repeat
                if row_has_value:
                    rows = row
            else:
                found = _ROWS_REPEATED.search(attributes)
                repeat = int(found.group(1)) if found else 1
                col, row_has_value = 0, False
                if empty:
                    row += repeat
        elif not closing:
            found = _COLUMNS_REPEATED.search(attributes)
            col += int(found.group(1)) if found else 1
            if not empty or _VALUE_TYPE.search(attributes):
                row_has_value = True
                cols = max(cols, col)
    return extents


def _sheet_parts(archive: zipfile.ZipFile, read: dict[str, bytes] | None = None) -> list[tuple[str, str]]:
    """(sheet name, part path) of each worksheet, in workbook order (``read``: parts
    already inflated, by name)."""
    read = read or {}
    workbook_xml = read["xl/workbook.xml"] if "xl/workbook.xml" in read else archive.read("xl/workbook.xml")
    if len(workbook_xml) <= _CACHED_XML_BYTES:
        sheets = _sheets_listed(workbook_xml)
    else:
        sheets = _sheets_listed.__wrapped__(workbook_xml)
    try:
        rels_xml = read.get("xl/_rels/workbook.xml.rels") or archive.read("xl/_rels/workbook.xml.rels")
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
    read: dict[str, bytes] = {}  # each part inflated once
    for part in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        try:
            read[part] = archive.read(part)
        except KeyError:
            continue
        bad = _bad_encoding(path, part, read[part][:200])
        if bad is not None:
            return bad
    try:
        parts = _sheet_parts(archive, read)
    except (KeyError, ElementTree.ParseError, LookupError, ValueError, SyntaxError):
        parts = []  # calamine gives the precise message; the sheets are still scanned below
    names = set(archive.namelist())
    struck = _struck_styles(archive.read("xl/styles.xml")) if "xl/styles.xml" in names else frozenset()
    # calamine finds a part whatever its case or slashes, and a name may be in the zip twice:
    # every member that may be read as a sheet is scanned.
    members: dict[str, list[zipfile.ZipInfo]] = {}
    for info in archive.infolist():
        members.setdefault(_part_key(info.filename), []).append(info)
    for name, part in parts:
        for info in members.pop(_part_key(part), ()):
            data = archive.read(info)
            bad = _bad_encoding(path, part, data[:200])
            if bad is not None:
                return bad
            facts, refusal = _scan_sheet(data, path, name)
            if refusal is not None:
                refused.add(name)
                inspection.problems.append(refusal)
                break
            if struck:
                facts.struck_cells = _struck_cells(data, struck)
            inspection.sheets[name] = facts
    for key, infos in members.items():
        if not (key.startswith("xl/worksheets/") and key.endswith(".xml")):
            continue
        # A sheet part the workbook's lists do not lead to (renamed, duplicated, lists broken):
        # too big to be read means the whole file is refused, named by its part.
        for info in infos:
            data = archive.read(info)
            bad = _bad_encoding(path, info.filename, data[:200])
            if bad is not None:
                return bad
            refusal = _scan_sheet(data, path, info.filename)[1]
            if refusal is not None:
                return Inspection(problems=[refusal], refused=True)
    inspection.refused_sheets = frozenset(refused)
    return inspection


def _part_key(name: str) -> str:
    return name.replace("\\", "/").lstrip("/").lower()


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


def _ref_position(letters: bytes, digits: bytes) -> tuple[int, int]:
    """(row, column), 1-based, of a reference; 0 for a part it leaves out."""
    return (int(digits) if digits else 0), (_col_index(letters.upper()) + 1 if letters else 0)


def _extent(data: bytes) -> tuple[int, int, str]:
    """(rows, columns, last cell) the reader will lay out: every cell holding something,
    placed by its reference or, without one, right after the cell before it."""
    max_row = max_col = 0
    row = col = 0
    last = ""
    for match in _TAG.finditer(data):
        attributes = match.group(2)
        ref = _REF.search(attributes)
        if match.group(1) == b"row":
            row = int(ref.group(3)) if ref is not None and ref.group(3) else row + 1
            col = 0
            continue
        if ref is not None:
            ref_row, ref_col = _ref_position(ref.group(2), ref.group(3))
            row = ref_row or row
            col = ref_col or col + 1
        else:
            col += 1
        if match.group(3):
            continue  # "<c .../>": formatting only, no value
        if row > max_row:
            max_row, last = row, f"{xl_col_to_name(max(col - 1, 0))}{row}"
        max_col = max(max_col, col)
    return max_row, max_col, last


def _merge_refusal(data: bytes, path: Path, sheet: str) -> Problem | None:
    if b"mergeCell" not in data:
        return None
    count = 0
    cells = 0
    merges = _MERGE if b":mergeCell" in data else _MERGE_PLAIN
    for match in merges.finditer(data):
        count += 1
        if count > MAX_MERGES:
            break
        first, _, last = match.group(2).partition(b":")
        start, end = _REF_TEXT.match(first.strip()), _REF_TEXT.match((last or first).strip())
        if start is None or end is None:
            continue
        (r1, c1), (r2, c2) = _ref_position(*start.groups()), _ref_position(*end.groups())
        cells += (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)
    if count > MAX_MERGES or cells > MAX_CELLS:
        shown = f"hơn {_count(MAX_MERGES)}" if count > MAX_MERGES else _count(count)
        return problem("F025", path, sheet=sheet, count=shown, limit=_count(MAX_MERGES), cells=_count(cells))
    return None


_REF_TEXT = re.compile(rb"\$?([A-Za-z]{1,4})\$?(\d{1,8})$")


def _scan_sheet(data: bytes, path: Path, sheet: str) -> tuple[SheetFacts, Problem | None]:
    merges = _merge_refusal(data, path, sheet)
    if merges is not None:
        return SheetFacts(), merges
    hidden = b"hidden" in data
    if not hidden and _FAR_REF.search(data) is None and not _unreferenced_tag(data):
        # The common case, decided by two searches in C without counting every cell.
        return SheetFacts(uncalculated=_uncalculated(data)), None
    max_row, max_col, last_ref = _extent(data)
    refusal = sheet_too_big(path, sheet, max_row, max_col, last_ref)
    if refusal is not None:
        return SheetFacts(), refusal
    if not hidden:
        return SheetFacts(uncalculated=_uncalculated(data)), None
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
    return SheetFacts(hidden_rows, tuple(hidden_cols), _uncalculated(data)), None


def _unreferenced_tag(data: bytes) -> bool:
    """Whether some "c" or "row" tag has no reference (``_UNREFERENCED``). When every such
    tag opens with ``r="`` (one search on a literal), none lacks one; anything else is
    searched tag by tag."""
    if _PREFIXED_TAG.search(data) is None and _NOT_REFERENCED_FIRST.search(data) is None:
        return False
    return _UNREFERENCED.search(data) is not None


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
        if ref_match is None or not ref_match.group(2) or not ref_match.group(3):
            continue
        row, col = _ref_position(ref_match.group(2), ref_match.group(3))
        formula = _FORMULA_TEXT.search(body)
        text = formula.group(1).decode("utf-8", "replace") if formula else ""
        found[(row - 1, col - 1)] = _unescape(text)
    return found


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def _col_index(letters: bytes) -> int:
    index = 0
    for byte in letters:
        index = index * 26 + (byte - 64)
    return index - 1


def hidden_warning(facts: SheetFacts) -> str:
    """What is hidden in a sheet ("2 dòng bị ẩn (5, 6)"), for warning F023; "" when nothing is."""
    parts = []
    if facts.hidden_rows:
        rows = ", ".join(str(r + 1) for r in facts.hidden_rows[:10])
        more = f" và {len(facts.hidden_rows) - 10} dòng khác" if len(facts.hidden_rows) > 10 else ""
        parts.append(f"{len(facts.hidden_rows)} dòng bị ẩn ({rows}{more})")
    if facts.hidden_cols:
        cols = ", ".join(xl_col_to_name(c) for c in facts.hidden_cols[:10])
        more = f" và {len(facts.hidden_cols) - 10} cột khác" if len(facts.hidden_cols) > 10 else ""
        parts.append(f"{len(facts.hidden_cols)} cột bị ẩn ({cols}{more})")
    return " và ".join(parts)


def sheet_too_big(path: Path, sheet: str, height: int, width: int, last: str = "") -> Problem | None:
    """The refusal for a sheet of ``height`` rows × ``width`` columns (its last filled cell
    ``last``, else the corner cell), or None when it is within the limits."""
    if height <= MAX_ROWS and height * width <= MAX_CELLS:
        return None
    sizes = {
        "last": last or f"{xl_col_to_name(max(width - 1, 0))}{height}",
        "rows": _count(height),
        "cols": _count(width),
    }
    if height > MAX_ROWS:
        return problem("F020", path, sheet=sheet, limit=_count(MAX_ROWS), **sizes)
    return problem("F021", path, sheet=sheet, cells=_count(height * width), limit=_count(MAX_CELLS), **sizes)


def apply_facts(sheet: InputSheet, facts: SheetFacts, path: Path) -> tuple[InputSheet, list[Problem]]:
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
        problems.append(problem("F023", path, sheet=sheet.name, hidden=warning))
    if facts.struck_cells:
        sheet = replace(sheet, struck_cells=facts.struck_cells)
    if rows is sheet.rows:
        return sheet, problems
    return replace(sheet, rows=rows), problems


def _filled(value: object) -> bool:
    return not (value is None or (isinstance(value, str) and not value.strip()))
