"""Hostile commune files: each one a way a small file once made the reader allocate,
hang or raise. Made by code from a good workbook of the corpus.

    python -m tests.corpus.hostile OUT_DIR
"""

from __future__ import annotations

import re
import struct
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.corpus import make_corpus

SHEET = "xl/worksheets/sheet1.xml"
_FAR_CELL = b'<c t="inlineStr" %s><is><t>.</t></is></c>'


def rewrite(good: Path, out: Path, edit: Callable[[str, bytes], bytes]) -> Path:
    """A copy of ``good`` with each zip member passed through ``edit(name, data)``."""
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, edit(info.filename, source.read(info)))
    return out


def _in_sheet(edit: Callable[[bytes], bytes]) -> Callable[[str, bytes], bytes]:
    return lambda name, data: edit(data) if name == SHEET else data


def _far_cell(attributes: bytes) -> Callable[[bytes], bytes]:
    """A cell at XFD1048576 (the last cell of a sheet) written with ``attributes``."""
    return lambda data: data.replace(
        b"</sheetData>", b'<row r="1048576">' + _FAR_CELL % attributes + b"</row></sheetData>"
    )


def _prefixed(data: bytes) -> bytes:
    """The whole sheet with a namespace prefix, "<x:c>", as some tools write it."""
    data = re.sub(rb"<(/?)([A-Za-z]\w*)(?=[\s/>])", rb"<\1x:\2", data)
    data = data.replace(b'xmlns="', b'xmlns:x="', 1)
    return _far_cell_prefixed(data)


def _far_cell_prefixed(data: bytes) -> bytes:
    return data.replace(
        b"</x:sheetData>",
        b'<x:row r="1048576"><x:c r="XFD1048576" t="inlineStr"><x:is><x:t>.</x:t></x:is></x:c></x:row>'
        b"</x:sheetData>",
    )


def _shared_strings(data: bytes) -> bytes:
    return re.sub(rb'uniqueCount="\d+"', b'uniqueCount="4294967295"', data)


def _merges(count: int) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        cells = b"".join(b'<mergeCell ref="A%d:B%d"/>' % (1000 + i, 1000 + i) for i in range(count))
        block = b'<mergeCells count="%d">%s</mergeCells>' % (count, cells)
        return data.replace(b"</sheetData>", b"</sheetData>" + block)

    return edit


def _bogus_encoding(encoding: bytes) -> Callable[[str, bytes], bytes]:
    def edit(name: str, data: bytes) -> bytes:
        if name != "xl/workbook.xml":
            return data
        return re.sub(rb'encoding="[^"]*"', b'encoding="' + encoding + b'"', data, count=1)

    return edit


_ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="Biểu">{rows}</table:table>
</office:spreadsheet></office:body></office:document-content>"""


def _ods_cell(text: str, repeated: int = 1) -> str:
    repeat = f' table:number-columns-repeated="{repeated}"' if repeated > 1 else ""
    return f'<table:table-cell office:value-type="string"{repeat}><text:p>{text}</text:p></table:table-cell>'


def write_ods(path: Path, rows: list[str]) -> Path:
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", _ODS_CONTENT.format(rows="".join(rows)))
        archive.writestr("META-INF/manifest.xml", manifest)
    return path


def write_ods_repeated(path: Path) -> Path:
    """About 1 KB: one text repeated over 6.000 rows × 16.384 columns (98 million cells)."""
    row = '<table:table-row table:number-rows-repeated="6000">' + _ods_cell("x", 16384) + "</table:table-row>"
    return write_ods(path, ["<table:table-row>" + _ods_cell("Thôn") + "</table:table-row>", row])


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _biff_workbook(cells: list[tuple[int, int]]) -> bytes:
    """A BIFF8 "Workbook" stream: one sheet "Biểu" whose cells all hold one shared text."""
    text = "Thôn " + "x" * 3000  # long enough for the stream to sit in regular sectors
    sst = struct.pack("<IIHB", len(cells), 1, len(text), 1) + text.encode("utf-16-le")
    name = "Biểu".encode("utf-16-le")
    bof = struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x0006)
    globals_ = _record(0x0809, bof) + _record(0x0042, struct.pack("<H", 1200))
    sheet_bof_at = len(globals_) + 4 + 8 + len(name) + 4 + len(sst) + 4
    globals_ += _record(0x0085, struct.pack("<IBBBB", sheet_bof_at, 0, 0, 4, 1) + name)
    globals_ += _record(0x00FC, sst) + _record(0x000A, b"")
    assert len(globals_) == sheet_bof_at
    last_row = max(r for r, _ in cells) + 1
    last_col = max(c for _, c in cells) + 1
    sheet = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0x0006))
    sheet += _record(0x0200, struct.pack("<IIHHH", 0, last_row, 0, last_col, 0))
    for row, col in cells:
        sheet += _record(0x00FD, struct.pack("<HHHI", row, col, 15, 0))
    return globals_ + sheet + _record(0x000A, b"")


def write_cfb(path: Path, stream: bytes, name: str = "Workbook") -> Path:
    """A compound document (version 3, 512-byte sectors) holding one stream."""
    stream += b"\0" * (-len(stream) % 512)
    data_sectors = len(stream) // 512
    fat = [0xFFFFFFFD, 0xFFFFFFFE, *range(3, 2 + data_sectors), 0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (128 - len(fat))

    def entry(label: str, kind: int, start: int, size: int, child: int = 0xFFFFFFFF) -> bytes:
        encoded = (label + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", 0xFFFFFFFF, 0xFFFFFFFF, child)
            + b"\0" * 36
            + struct.pack("<III", start, size, 0)
        )

    directory = entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1) + entry(name, 2, 2, len(stream))
    directory = directory.ljust(512, b"\0")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\0" * 10
        + struct.pack("<I", 1)  # FAT sectors
        + struct.pack("<I", 1)  # first directory sector
        + b"\0" * 4
        + struct.pack("<I", 4096)  # mini stream cutoff
        + struct.pack("<IIII", 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", 0xFFFFFFFF) * 108
    )
    assert len(header) == 512
    path.write_bytes(header + struct.pack("<128I", *fat) + directory + stream)
    return path


def repack(good: Path, out: Path, edit: Callable[[list[tuple[str, bytes]]], list[tuple[str, bytes]]]) -> Path:
    """A copy of ``good`` whose list of (name, data) members is passed through ``edit``."""
    with zipfile.ZipFile(good) as source:
        members = edit([(info.filename, source.read(info)) for info in source.infolist()])
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            target.writestr(name, data)
    return out


def _far_sheet(name: str, data: bytes) -> bytes:
    return _far_cell(b'r="XFD1048576"')(data) if name == SHEET else data


def _sheet_upper(members: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The sheet part named "XL/WORKSHEETS/SHEET1.XML": calamine still finds it."""
    return [(n.upper() if n == SHEET else n, _far_sheet(n, d)) for n, d in members]


def _rels_damaged(members: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """NUL bytes in the relationships' XML declaration: a strict parser gives up on the
    lists that lead to the (far) sheet part, calamine reads on."""

    def edit(name: str, data: bytes) -> bytes:
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"standalone", b"st\0\0\0\0lone", 1)
        return _far_sheet(name, data)

    return [(n, edit(n, d)) for n, d in members]


def write_xls_edited(path: Path, cells: list[tuple[int, int]], edit: Callable[[bytearray], None]) -> Path:
    data = bytearray(write_cfb(path, _biff_workbook(cells)).read_bytes())
    edit(data)
    path.write_bytes(bytes(data))
    return path


_STREAM = 3 * 512  # where write_cfb puts the Workbook stream
_SHEET_OFFSET = _STREAM + 20 + 6 + 4  # the BOUNDSHEET record's offset of the sheet's BOF


def _cutoff(data: bytearray) -> None:
    """The header's mini-stream cutoff raised past the stream: it seems to be in the mini stream."""
    struct.pack_into("<I", data, 0x38, 0x7FFF)


def _shifted(data: bytearray) -> None:
    """29 bytes cut from the middle of the shared text: every record after it is off by 29."""
    del data[_STREAM + 3500 : _STREAM + 3529]


def _offset_past_end(data: bytearray) -> None:
    """The sheet's declared offset 32 KB past the end of the stream (calamine panicked)."""
    data[_SHEET_OFFSET + 1] |= 0x80


def _inverted_dimensions(data: bytearray) -> None:
    """DIMENSIONS says the first row is 65535 and the last 11: a reader's unsigned
    subtraction lays out four billion rows (calamine aborted)."""
    at = data.index(struct.pack("<HH", 0x0200, 14))
    struct.pack_into("<I", data, at + 4, 0xFFFF)


def make(out: Path) -> dict[str, Path]:
    """The hostile files, by case name; the good workbook they were made from is "good"."""
    out.mkdir(parents=True, exist_ok=True)
    good = make_corpus.write_matrix(out / "good.xlsx", *make_corpus.GOOD)
    files = {"good": good}
    for case, attributes in (
        ("far-attr-order", b's="0" r="XFD1048576"'),
        ("far-single-quotes", b"r='XFD1048576'"),
        ("far-spaces", b'r  =  "XFD1048576"'),
        ("far-lowercase", b'r="xfd1048576"'),
    ):
        files[case] = rewrite(good, out / f"{case}.xlsx", _in_sheet(_far_cell(attributes)))
    files["far-prefix"] = rewrite(good, out / "far-prefix.xlsx", _in_sheet(_prefixed))
    files["far-wide"] = rewrite(
        good,
        out / "far-wide.xlsx",
        _in_sheet(
            lambda d: d.replace(
                b"</sheetData>", b'<row r="400">' + _FAR_CELL % b'r="XFD400"' + b"</row></sheetData>"
            )
        ),
    )
    files["shared-strings"] = rewrite(
        good,
        out / "shared-strings.xlsx",
        lambda n, d: _shared_strings(d) if n == "xl/sharedStrings.xml" else d,
    )
    files["merges"] = rewrite(good, out / "merges.xlsx", _in_sheet(_merges(100_000)))
    files["encoding-str"] = rewrite(good, out / "encoding-str.xlsx", _bogus_encoding(b"str"))
    files["encoding-base64"] = rewrite(good, out / "encoding-base64.xlsx", _bogus_encoding(b"base64"))
    files["ods-repeated"] = write_ods_repeated(out / "ods-repeated.ods")
    files["xls-far"] = write_cfb(out / "xls-far.xls", _biff_workbook([(0, 0), (65535, 255)]))
    files["xls-good"] = write_cfb(out / "xls-good.xls", _biff_workbook([(0, 0), (3, 2)]))
    # Found by the fuzzer (bench/fuzz.py): each walked around a pre-check or crashed a reader.
    files["sheet-upper"] = repack(good, out / "sheet-upper.xlsx", _sheet_upper)
    files["rels-damaged"] = repack(good, out / "rels-damaged.xlsx", _rels_damaged)
    far = [(0, 0), (65535, 255)]
    for case, edit, cells in (
        ("xls-cutoff", _cutoff, far),
        ("xls-shifted", _shifted, far),
        ("xls-offset-past-end", _offset_past_end, [(0, 0), (3, 2)]),
        ("xls-inverted", _inverted_dimensions, [(0, 0), (10, 22)]),
    ):
        files[case] = write_xls_edited(out / f"{case}.xls", cells, edit)
    return files


if __name__ == "__main__":  # pragma: no cover
    for name, path in make(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")).items():
        print(f"{name}: {path}")
