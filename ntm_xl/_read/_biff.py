"""The size of each sheet of an old Excel (.xls) file, before any reader lays it out.

An .xls file is a compound document (OLE) holding a "Workbook" stream of BIFF
records. A reader lays each sheet out as a dense grid from its first to its last
cell, so one cell record at (65535, 255) costs a gigabyte. This module walks the
records, bounded by the file's size, and gives each sheet's extent: the farthest
cell record and the DIMENSIONS record, whichever is larger. Every damaged or
looping structure simply ends the walk; nothing here raises for a bad file.
"""

from __future__ import annotations

import contextlib
import struct
from dataclasses import dataclass

__all__ = ["SheetExtent", "xls_extents"]

_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END = 0xFFFFFFFA  # chain markers start here (end of chain, free, FAT sector, DIFAT sector)

_BOF, _BOUNDSHEET, _DIMENSIONS, _EOF = 0x0809, 0x0085, 0x0200, 0x000A
_MULRK, _MULBLANK = 0x00BD, 0x00BE
# Records that place one value at (row, column), both u16 at the start.
_CELLS = frozenset({0x0006, 0x00FD, 0x0203, 0x0204, 0x0205, 0x00D6, 0x027E, 0x0201, 0x0001, 0x0003})


@dataclass(frozen=True)
class SheetExtent:
    name: str
    rows: int
    cols: int
    last_cell: str = ""  # the farthest cell record, "IV65536"; "" when the size is DIMENSIONS'


def _u16(data: bytes, offset: int) -> int:
    return int(struct.unpack_from("<H", data, offset)[0])


def _u32(data: bytes, offset: int) -> int:
    return int(struct.unpack_from("<I", data, offset)[0])


def _workbook_stream(data: bytes) -> bytes:
    """The "Workbook" (or "Book") stream of a compound document, or b"" when there is none."""
    if len(data) < 512 or not data.startswith(_MAGIC):
        return b""
    shift = _u16(data, 0x1E)
    if not 7 <= shift <= 16:
        return b""
    size = 1 << shift
    count = max(0, (len(data) - size) // size) if size > 512 else max(0, (len(data) - 512) // size)
    base = max(512, size)

    def sector(index: int) -> bytes:
        start = base + index * size
        return data[start : start + size]

    fat_sectors = [_u32(data, 0x4C + 4 * i) for i in range(109)]
    difat, seen = _u32(data, 0x44), set()
    while difat < _END and difat < count and difat not in seen and len(fat_sectors) <= count + 109:
        seen.add(difat)
        block = sector(difat)
        fat_sectors += [_u32(block, 4 * i) for i in range(size // 4 - 1)]
        difat = _u32(block, size - 4)
    fat: list[int] = []
    for index in fat_sectors:
        if index < count:
            block = sector(index)
            fat += struct.unpack_from(f"<{len(block) // 4}I", block)

    def chain(start: int, table: list[int], limit: int) -> list[int]:
        found: list[int] = []
        visited: set[int] = set()
        while start < _END and start < limit and start < len(table) and start not in visited:
            visited.add(start)
            found.append(start)
            start = table[start]
        return found

    directory = b"".join(sector(i) for i in chain(_u32(data, 0x30), fat, count))
    entries = []
    for offset in range(0, len(directory) - 127, 128):
        entry = directory[offset : offset + 128]
        length = min(_u16(entry, 64), 64)
        name = entry[: max(0, length - 2)].decode("utf-16-le", "replace")
        entries.append((name, entry[66], _u32(entry, 116), _u32(entry, 120)))
    if not entries:
        return b""
    stream = next((e for e in entries if e[1] == 2 and e[0] in ("Workbook", "Book")), None)
    if stream is None:
        return b""
    _, _, start, length = stream
    if length < _u32(data, 0x38):  # a small stream lives in the mini stream
        mini_shift = _u16(data, 0x20)
        if not 2 <= mini_shift < shift:
            return b""
        mini_size = 1 << mini_shift
        mini_stream = b"".join(sector(i) for i in chain(entries[0][2], fat, count))
        mini_fat_bytes = b"".join(sector(i) for i in chain(_u32(data, 0x3C), fat, count))
        mini_fat = list(struct.unpack_from(f"<{len(mini_fat_bytes) // 4}I", mini_fat_bytes))
        mini_count = len(mini_stream) // mini_size
        blocks = chain(start, mini_fat, mini_count)
        small = b"".join(mini_stream[i * mini_size : (i + 1) * mini_size] for i in blocks)[:length]
        if len(small) == length:
            return small
        # A lying cutoff in the header: readers that take the stream from regular sectors still do.
    return b"".join(sector(i) for i in chain(start, fat, count))[:length]


def _col_name(col: int) -> str:
    name = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        name = chr(65 + rest) + name
    return name


def _span(first: int, last: int, bits: int) -> int:
    """Rows (or columns) a DIMENSIONS record makes a reader lay out: up to ``last``, or, when
    ``first`` lies past it, the count wrapped around as the reader's unsigned subtraction does."""
    return last if first <= last else (last - first) % (1 << bits)


def _grow(kind: int, length: int, body: bytes, extent: list[int]) -> None:
    """Widen ``extent`` (rows, cols, farthest row, farthest column) by one sheet record."""
    if kind == _DIMENSIONS and length >= 14:
        rows = _span(_u32(body, 0), _u32(body, 4), 32)
        extent[0], extent[1] = max(extent[0], rows), max(extent[1], _span(_u16(body, 8), _u16(body, 10), 16))
    elif kind == _DIMENSIONS and length >= 10:
        rows = _span(_u16(body, 0), _u16(body, 2), 16)
        extent[0], extent[1] = max(extent[0], rows), max(extent[1], _span(_u16(body, 4), _u16(body, 6), 16))
    elif kind in _CELLS and length >= 4:
        extent[2], extent[3] = max(extent[2], _u16(body, 0) + 1), max(extent[3], _u16(body, 2) + 1)
    elif kind in (_MULRK, _MULBLANK) and length >= 6:
        extent[2], extent[3] = max(extent[2], _u16(body, 0) + 1), max(extent[3], _u16(body, length - 2) + 1)


def _extent(name: str, extent: list[int]) -> SheetExtent:
    rows, cols, far_row, far_col = extent
    last = f"{_col_name(far_col - 1)}{far_row}" if far_row * far_col > rows * cols else ""
    return SheetExtent(name, max(rows, far_row), max(cols, far_col), last)


def xls_extents(data: bytes) -> list[SheetExtent]:
    """Each worksheet's (rows, columns) as a reader would lay it out; [] when unsure of nothing."""
    try:
        stream = _workbook_stream(data)
    except (struct.error, IndexError, ValueError, MemoryError):
        return []
    names: dict[int, str] = {}
    extents: list[SheetExtent] = []
    name = ""
    extent = [0, 0, 0, 0]
    position = 0
    in_sheet = False
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        body = stream[position + 4 : position + 4 + length]
        try:
            if kind == _BOUNDSHEET and length >= 8:
                characters = body[6]
                wide = body[7] & 1 if length > 7 else 0
                text = body[8 : 8 + characters * (2 if wide else 1)]
                names[_u32(body, 0)] = text.decode("utf-16-le" if wide else "latin-1", "replace")
            elif kind == _BOF and position in names:
                in_sheet, name = True, names[position]
                extent = [0, 0, 0, 0]
            elif in_sheet and kind == _EOF:
                extents.append(_extent(name, extent))
                in_sheet = False
            elif in_sheet:
                _grow(kind, length, body, extent)
        except (struct.error, IndexError):
            pass
        position += 4 + length
    if in_sheet:
        extents.append(_extent(name, extent))
    # A reader seeks to each sheet's declared offset and reads records from there, even where
    # damage upstream put that offset off the records the walk above followed: walked too.
    for offset, sheet in names.items():
        walked = _walk_from(stream, offset, sheet)
        if walked.rows * walked.cols > max((e.rows * e.cols for e in extents if e.name == sheet), default=0):
            extents = [e for e in extents if e.name != sheet] + [walked]
    return extents


def _walk_from(stream: bytes, position: int, name: str) -> SheetExtent:
    """The extent of the records from ``position`` to the first EOF, whatever comes first."""
    extent = [0, 0, 0, 0]
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        if kind == _EOF:
            break
        with contextlib.suppress(struct.error, IndexError):
            _grow(kind, length, stream[position + 4 : position + 4 + length], extent)
        position += 4 + length
    return _extent(name, extent)
