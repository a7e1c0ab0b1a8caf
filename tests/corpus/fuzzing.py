"""Mutants of the project's own corpus, and a run of them through `ntm-xl summarize`.

Seeds are the sample workbooks, the code-made corpus (families, real-world and
hostile cases) and the same tables as .xlsm, .xls and .ods. A mutant is a seed
with one to three mutations: byte level (flip, insert, delete, truncate, overwrite
with a boundary value, splice), zip level (drop, duplicate, rename, swap, empty a
member, change its compression) and XML level (far references, huge counts and
numbers, repeated rows, merged ranges, encodings, deep nesting, characters XML
cannot hold, entities, long texts, .ods repeats and spans, BIFF record fields).

Mutants are summarized in batches, each batch a folder with one good file beside
them ("zz-doi-chung.xlsx", sorted last) whose results must not change. Each
mutant's outcome is read from the summary workbook: "clean" (read, or refused
with a message), "abort" (F027: the reader died), "memory" (F028), "timeout"
(F029), "traceback" (F030, or a traceback or an unexpected exit of the command).

Used by bench/fuzz.py (large runs) and tests/test_fuzz.py (a small seeded sample).
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import time
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

from tests.corpus import families, hostile, make_corpus

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLES = ROOT / "workbooks" / "samples"
OUTCOMES = ("clean", "traceback", "abort", "timeout", "memory")
GOOD_NAME = "zz-doi-chung.xlsx"
GOOD_TABLE = ("Đối Chứng", (("Nà Đối", {3, 10}), ("Bản Chứng", {5, 6, 17}), ("Khuổi Mới", set())))
_FAILURE_CODES = {"F027": "abort", "F028": "memory", "F029": "timeout", "F030": "traceback"}
_ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")
_MACRO_TYPE = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_SHEET_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"

Rows = list[list[str]]
Mutation = Callable[[bytes, random.Random], bytes]


# -- seeds ---------------------------------------------------------------------------------


def _rows_of(path: Path) -> Rows:
    """The first sheet's values as text (numbers without a trailing ".0")."""
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return [[_text(v) for v in row] for row in sheet.to_python()]


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def write_xls(path: Path, rows: Rows) -> Path:
    """A BIFF8 workbook of one sheet "Biểu" holding ``rows`` as shared strings."""
    strings: dict[str, int] = {}
    cells = [
        (r, c, strings.setdefault(v, len(strings)))
        for r, row in enumerate(rows)
        for c, v in enumerate(row)
        if v
    ]
    # A long unused string keeps the stream past the mini-stream cutoff of the container.
    strings.setdefault("x" * 2500, len(strings))
    body = b"".join(struct.pack("<HB", len(s), 1) + s.encode("utf-16-le") for s in strings)
    sst = struct.pack("<II", len(cells), len(strings)) + body
    assert len(sst) <= 8224, "one SST record, no CONTINUE"
    record = hostile._record
    name = "Biểu".encode("utf-16-le")
    globals_ = record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x0006))
    globals_ += record(0x0042, struct.pack("<H", 1200))
    sheet_at = len(globals_) + 4 + 8 + len(name) + 4 + len(sst) + 4
    globals_ += record(0x0085, struct.pack("<IBBBB", sheet_at, 0, 0, 4, 1) + name)
    globals_ += record(0x00FC, sst) + record(0x000A, b"")
    last_row = max((r for r, _, _ in cells), default=0) + 1
    last_col = max((c for _, c, _ in cells), default=0) + 1
    sheet = record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0x0006))
    sheet += record(0x0200, struct.pack("<IIHHH", 0, last_row, 0, last_col, 0))
    sheet += b"".join(record(0x00FD, struct.pack("<HHHI", r, c, 15, i)) for r, c, i in cells)
    return hostile.write_cfb(path, globals_ + sheet + record(0x000A, b""))


def write_ods(path: Path, rows: Rows) -> Path:
    """An OpenDocument spreadsheet of one table "Biểu" holding ``rows``."""

    def cell(value: str) -> str:
        if not value:
            return "<table:table-cell/>"
        escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return hostile._ods_cell(escaped)

    return hostile.write_ods(
        path, ["<table:table-row>" + "".join(map(cell, row)) + "</table:table-row>" for row in rows]
    )


def as_xlsm(source: Path, out: Path) -> Path:
    """The same workbook declared macro-enabled, as Excel saves an .xlsm."""
    return hostile.rewrite(
        source, out, lambda n, d: d.replace(_SHEET_TYPE, _MACRO_TYPE) if n == "[Content_Types].xml" else d
    )


def write_good(path: Path) -> Path:
    commune, villages = GOOD_TABLE
    return make_corpus.write_matrix(path, commune, villages)


def _libreoffice(sources: Sequence[Path], out: Path, suffix: str) -> list[Path]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or not sources:
        return []
    out.mkdir(parents=True, exist_ok=True)
    profile = out / "profile"
    try:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                suffix,
                "--outdir",
                str(out),
                *map(str, sources),
            ],
            capture_output=True,
            timeout=300,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    shutil.rmtree(profile, ignore_errors=True)
    return sorted(out.glob(f"*.{suffix}"))


def make_seeds(folder: Path, *, libreoffice: bool = False) -> list[Path]:
    """Every seed, written under ``folder``: xlsx, xlsm, xls and ods."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds: list[Path] = []
    samples = folder / "samples"
    samples.mkdir(exist_ok=True)
    for sample in sorted(SAMPLES.glob("*.xlsx")):
        seeds.append(Path(shutil.copy(sample, samples / sample.name)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seeds += [p for p in make_corpus.make(folder / "corpus").values() if p.is_file()]
        tables = list(families.make(folder / "families").values())
        seeds += tables
        seeds += [p for name, p in hostile.make(folder / "hostile").items() if name != "merges"]
    xlsx = [p for p in seeds if p.suffix == ".xlsx" and zipfile.is_zipfile(p)]
    made = folder / "made"
    made.mkdir(exist_ok=True)
    for source in xlsx[:: max(1, len(xlsx) // 8)]:
        seeds.append(as_xlsm(source, made / f"{source.stem}.xlsm"))
    # Tables known to read (never a hostile file: reading one here could abort this process).
    for source in [*sorted(samples.iterdir())[:6], *tables[:8]]:
        try:
            rows = _rows_of(source)
        except Exception:  # a corpus file that is meant not to read
            continue
        if not rows or sum(len(r) for r in rows) > 800:
            continue
        seeds.append(write_ods(made / f"{source.stem}-{source.parent.name}.ods", rows))
        with contextlib.suppress(AssertionError):
            seeds.append(write_xls(made / f"{source.stem}-{source.parent.name}.xls", rows))
    if libreoffice:
        chosen = sorted(samples.iterdir())
        seeds += _libreoffice(chosen, folder / "lo-xls", "xls")
        seeds += _libreoffice(chosen, folder / "lo-ods", "ods")
    return seeds


# -- byte level ----------------------------------------------------------------------------

_BOUNDARIES = (0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF)


def _flip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if out:
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def _insert(data: bytes, rng: random.Random) -> bytes:
    at = rng.randint(0, len(data))
    return data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at:]


def _delete(data: bytes, rng: random.Random) -> bytes:
    at = rng.randint(0, max(0, len(data) - 1))
    return data[:at] + data[at + rng.randint(1, 256) :]


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randint(0, max(0, len(data) - 1))]


def _overwrite(data: bytes, rng: random.Random) -> bytes:
    if len(data) < 4:
        return data
    width = rng.choice((2, 4))
    value = rng.choice(_BOUNDARIES) & ((1 << (8 * width)) - 1)
    at = rng.randrange(len(data) - width + 1)
    return data[:at] + value.to_bytes(width, "little") + data[at + width :]


def _splice(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    start = rng.randrange(len(data))
    chunk = data[start : start + rng.randint(1, 4096)]
    at = rng.randint(0, len(data))
    return data[:at] + chunk + data[at:]


BYTE_MUTATIONS: dict[str, Mutation] = {
    "flip": _flip,
    "insert": _insert,
    "delete": _delete,
    "truncate": _truncate,
    "overwrite": _overwrite,
    "splice": _splice,
}


# -- BIFF (.xls) level ---------------------------------------------------------------------

# DIMENSIONS, ROW, LABELSST, NUMBER, RK, SST, MERGEDCELLS, BOUNDSHEET, BOF, CONTINUE, FORMULA
_BIFF_RECORDS = (0x0200, 0x0208, 0x00FD, 0x0203, 0x027E, 0x00FC, 0x00E5, 0x0085, 0x0809, 0x003C, 0x0006)


def _biff_field(data: bytes, rng: random.Random) -> bytes:
    """A boundary value in a field of a record found by its type and a plausible length."""
    kind = rng.choice(_BIFF_RECORDS)
    found = [m.start() for m in re.finditer(re.escape(struct.pack("<H", kind)), data)]
    found = [at for at in found if at + 4 <= len(data) and struct.unpack_from("<H", data, at + 2)[0] < 8225]
    if not found:
        return _overwrite(data, rng)
    at = rng.choice(found)
    length = struct.unpack_from("<H", data, at + 2)[0]
    if rng.random() < 0.2:  # the record's length itself
        return data[: at + 2] + struct.pack("<H", rng.choice((0, 1, 0xFFFF, length * 2))) + data[at + 4 :]
    if length < 2:
        return data
    offset = at + 4 + 2 * rng.randrange(length // 2)
    width = 4 if offset + 4 <= at + 4 + length and rng.random() < 0.4 else 2
    value = rng.choice(_BOUNDARIES) & ((1 << (8 * width)) - 1)
    return data[:offset] + value.to_bytes(width, "little") + data[offset + width :]


# -- XML level -----------------------------------------------------------------------------

_FAR = (
    b"XFD1048576",
    b"xfd1048576",
    b"A1048577",
    b"XFE1",
    b"ZZZZZ99",
    b"A0",
    b"A-1",
    b"A99999999999",
    b"",
    b"1A",
)
_NUMBERS = (
    b"4294967295",
    b"4294967296",
    b"2147483648",
    b"-1",
    b"99999999999999999999",
    b"1e308",
    b"NaN",
    b"",
    b"0x10",
)
_ENCODINGS = (
    b"str",
    b"base64",
    b"utf-16",
    b"utf-32",
    b"latin-1",
    b"cp037",
    b"rot13",
    b"hex",
    b"zip",
    b"idna",
    b"utf-7",
    b"",
    b"x-bogus",
    b"utf-8-sig",
    b"windows-1258",
)
_ILLEGAL = (
    b"\x00",
    b"\x01",
    b"\x0b",
    b"&#0;",
    b"&#x1;",
    b"&#xFFFF;",
    b"&#xFFFE;",
    b"&#xD800;",
    b"\xef\xbf\xbf",
    b"\xef\xbf\xbe",
    b"\xed\xa0\x80",
    b"\xff\xfe",
    b"\xc3",
    b"&#x110000;",
    b"&bogus;",
    b"]]>",
    b"<",
    b"&",
)


def _sub_one(
    pattern: bytes, data: bytes, rng: random.Random, replace: Callable[[re.Match[bytes]], bytes]
) -> bytes:
    matches = list(re.finditer(pattern, data))
    if not matches:
        return data
    m = rng.choice(matches)
    return data[: m.start()] + replace(m) + data[m.end() :]


def _far_ref(data: bytes, rng: random.Random) -> bytes:
    return _sub_one(rb'\br="[A-Za-z]+\d+"', data, rng, lambda m: b'r="' + rng.choice(_FAR) + b'"')


def _huge_number(data: bytes, rng: random.Random) -> bytes:
    return _sub_one(rb'="\d+"', data, rng, lambda m: b'="' + rng.choice(_NUMBERS) + b'"')


def _dimension(data: bytes, rng: random.Random) -> bytes:
    ref = rng.choice((b"A1:XFD1048576", b"A1:B99999999", b"XFD1048576", b"A1:", b"::", b"A1:IV65536"))
    if b"<dimension" in data:
        return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="' + ref + b'"', data, count=1)
    return data.replace(b"<sheetData", b'<dimension ref="' + ref + b'"/><sheetData', 1)


def _repeat_row(data: bytes, rng: random.Random) -> bytes:
    rows = list(re.finditer(rb"<row\b.*?</row>", data, re.S))
    if not rows:
        return data
    m = rng.choice(rows)
    copies = rng.choice((2, 10, 1000, 5000))
    return data[: m.end()] + m.group(0) * copies + data[m.end() :]


def _merges(data: bytes, rng: random.Random) -> bytes:
    count = rng.choice((1, 10, 2000, 20000))
    huge = rng.random() < 0.3
    cells = b"".join(
        (
            b'<mergeCell ref="A1:XFD1048576"/>'
            if huge
            else b'<mergeCell ref="A%d:C%d"/>' % (i % 30 + 1, i % 30 + 2)
        )
        for i in range(count)
    )
    block = b'<mergeCells count="%d">%s</mergeCells>' % (count, cells)
    if b"</sheetData>" not in data:
        return data
    return data.replace(b"</sheetData>", b"</sheetData>" + block, 1)


def _encoding(data: bytes, rng: random.Random) -> bytes:
    encoding = rng.choice(_ENCODINGS)
    if re.search(rb'encoding="[^"]*"', data[:200]):
        return re.sub(rb'encoding="[^"]*"', b'encoding="' + encoding + b'"', data, count=1)
    return b'<?xml version="1.0" encoding="' + encoding + b'"?>' + data


def _deep(data: bytes, rng: random.Random) -> bytes:
    depth = rng.choice((100, 1000, 10000, 100000))
    tag = rng.choice((b"x", b"row", b"c", b"table:table-row"))
    nested = (b"<" + tag + b">") * depth + (b"</" + tag + b">") * depth
    at = _element_gap(data, rng)
    return data[:at] + nested + data[at:]


def _element_gap(data: bytes, rng: random.Random) -> int:
    gaps = [m.end() for m in re.finditer(rb">(?=<)", data)]
    return rng.choice(gaps) if gaps else len(data)


def _illegal(data: bytes, rng: random.Random) -> bytes:
    texts = [m.end() for m in re.finditer(rb"<(?:\w+:)?[tp]\b[^>]*>", data)]
    at = rng.choice(texts) if texts else rng.randint(0, len(data))
    return data[:at] + rng.choice(_ILLEGAL) * rng.choice((1, 3)) + data[at:]


def _entities(data: bytes, rng: random.Random) -> bytes:
    laughs = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY %c "%s">' % (ord("b") + i, (b"&" + bytes([ord("a") + i]) + b";") * 10) for i in range(8)
    )
    laughs += b'<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
    declaration = re.match(rb"<\?xml[^>]*\?>", data)
    at = declaration.end() if declaration else 0
    data = data[:at] + laughs + data[at:]
    return _sub_one(
        rb"<(?:\w+:)?[tp]\b[^>]*>", data, rng, lambda m: m.group(0) + rng.choice((b"&i;", b"&ext;"))
    )


def _long_text(data: bytes, rng: random.Random) -> bytes:
    text = "Thôn Nà ".encode() * rng.choice((100, 5000, 40000))
    return _sub_one(rb"(<(?:\w+:)?[tp]\b[^>]*>)[^<]*", data, rng, lambda m: m.group(1) + text)


def _ods_repeat(data: bytes, rng: random.Random) -> bytes:
    attribute = rng.choice(
        (
            b"table:number-rows-repeated",
            b"table:number-columns-repeated",
            b"table:number-columns-spanned",
            b"table:number-rows-spanned",
        )
    )
    value = rng.choice((b"1048576", b"16384", b"100000", b"2147483647", b"4294967295", b"-1", b"0", b"abc"))
    tag = b"table:table-row" if b"rows-repeated" in attribute else b"table:table-cell"
    return _sub_one(
        b"<" + tag + rb"\b", data, rng, lambda m: m.group(0) + b" " + attribute + b'="' + value + b'"'
    )


def _duplicate_attribute(data: bytes, rng: random.Random) -> bytes:
    return _sub_one(rb'<(?:\w+:)?c\b r="[^"]*"', data, rng, lambda m: m.group(0) + b' r="B2"')


def _prefix(data: bytes, rng: random.Random) -> bytes:
    data = re.sub(rb"<(/?)([A-Za-z]\w*)(?=[\s/>])", rb"<\1x:\2", data)
    return data.replace(b'xmlns="', b'xmlns:x="', 1)


XML_MUTATIONS: dict[str, Mutation] = {
    "far-ref": _far_ref,
    "huge-number": _huge_number,
    "dimension": _dimension,
    "repeat-row": _repeat_row,
    "merges": _merges,
    "encoding": _encoding,
    "deep": _deep,
    "illegal-chars": _illegal,
    "entities": _entities,
    "long-text": _long_text,
    "ods-repeat": _ods_repeat,
    "duplicate-attribute": _duplicate_attribute,
    "prefix": _prefix,
    **{f"xml-{name}": m for name, m in BYTE_MUTATIONS.items() if name != "truncate"},
}


# -- zip level -----------------------------------------------------------------------------


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(info, archive.read(info)) for info in archive.infolist()]
    except Exception:  # an earlier mutation broke the archive
        return None


def _pack(members: Sequence[tuple[zipfile.ZipInfo | str, bytes, int]]) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w") as archive:
        warnings.simplefilter("ignore")  # duplicate names are one of the mutations
        for info, body, compression in members:
            name = info if isinstance(info, str) else info.filename
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), body, compress_type=compression)
    return out.getvalue()


def _zip_mutation(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    members = _members(data)
    if not members:
        return _flip(data, rng), "flip"
    entries: list[tuple[zipfile.ZipInfo | str, bytes, int]] = [
        (i, b, zipfile.ZIP_DEFLATED) for i, b in members
    ]
    xml = [k for k, (info, _) in enumerate(members) if info.filename.endswith((".xml", ".rels"))]
    op = rng.choice(
        ("xml", "xml", "xml", "xml", "drop", "duplicate", "rename", "swap", "empty", "compression")
    )
    k = rng.randrange(len(entries))
    if op == "xml" and xml:
        k = rng.choice(xml)
        name, mutation = rng.choice(list(XML_MUTATIONS.items()))
        info, body, compression = entries[k]
        entries[k] = (info, mutation(body, rng), compression)
        return _pack(entries), name
    if op == "drop":
        del entries[k]
    elif op == "duplicate":
        info, body, _ = entries[k]
        twin = _flip(body, rng) if rng.random() < 0.5 else body
        entries.insert(rng.randint(0, len(entries)), (info, twin, zipfile.ZIP_STORED))
    elif op == "rename":
        info, body, compression = entries[k]
        name = info.filename if isinstance(info, zipfile.ZipInfo) else info
        new = rng.choice(
            (
                name.upper(),
                name + "x",
                "/" + name,
                name.replace("/", "\\"),
                "../" + name,
                name.replace(".xml", ".XML"),
                "a" * 300,
                name[:-1],
            )
        )
        entries[k] = (new, body, compression)
    elif op == "swap" and len(entries) > 1:
        j = rng.randrange(len(entries))
        (a, ab, ac), (b, bb, bc) = entries[k], entries[j]
        entries[k], entries[j] = (a, bb, ac), (b, ab, bc)
    elif op == "empty":
        info, _, compression = entries[k]
        entries[k] = (info, b"", compression)
    else:
        info, body, _ = entries[k]
        entries[k] = (info, body, rng.choice((zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)))
    return _pack(entries), f"zip-{op}"


# -- mutants -------------------------------------------------------------------------------


def mutate(data: bytes, suffix: str, rng: random.Random) -> tuple[bytes, list[str]]:
    """One to three stacked mutations of ``data`` (a file ending in ``suffix``), and their names."""
    names: list[str] = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        if suffix in _ZIP_SUFFIXES and rng.random() < 0.75:
            data, name = _zip_mutation(data, rng)
        elif suffix == ".xls" and rng.random() < 0.6:
            data, name = _biff_field(data, rng), "biff-field"
        else:
            name = rng.choice(list(BYTE_MUTATIONS))
            data = BYTE_MUTATIONS[name](data, rng)
        names.append(name)
    return data, names


@dataclass(frozen=True)
class Mutant:
    index: int
    seed: Path
    mutations: tuple[str, ...]
    path: Path

    @property
    def key(self) -> str:
        return f"{self.index:06d}-"


def write_mutants(
    seeds: Sequence[Path], folder: Path, rng: random.Random, first: int, count: int
) -> list[Mutant]:
    """``count`` mutants numbered from ``first``, written into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    mutants = []
    for index in range(first, first + count):
        seed = rng.choice(seeds)
        data, names = mutate(seed.read_bytes(), seed.suffix.lower(), rng)
        suffix = seed.suffix.lower()
        if rng.random() < 0.03:  # a file whose extension lies about its format
            suffix = rng.choice((".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"))
            names.append(f"as{suffix}")
        stem = re.sub(r"[^A-Za-z0-9-]", "", seed.stem)[:24]
        name = os.fsencode(f"{index:06d}-{stem}-{'+'.join(names)}"[:120])
        if rng.random() < 0.02:  # a name whose bytes are not UTF-8, as an old archive tool leaves
            name += b"-\xff\xe9"
            names.append("non-utf8-name")
        path = folder / os.fsdecode(name + suffix.encode())
        path.write_bytes(data)
        mutants.append(Mutant(index, seed, tuple(names), path))
    return mutants


# -- running -------------------------------------------------------------------------------


@dataclass
class Result:
    mutant: Mutant
    outcome: str
    codes: tuple[str, ...] = ()
    seconds: float = 0.0
    detail: str = ""


@dataclass
class BatchRun:
    results: list[Result]
    good: tuple[object, ...] | None  # the good file's results, None when the run wrote nothing
    returncode: int
    peak_rss: int  # bytes: the command and its workers, the largest of them
    seconds: float
    stderr: str
    extra: dict[str, object] = field(default_factory=dict)


def _command(folder: Path, out: Path, limits: Sequence[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ntm_xl",
        "summarize",
        str(folder),
        "-o",
        str(out / "th.xlsx"),
        "--text",
        str(out / "tb.txt"),
        *limits,
    ]


# Runs the command and reports its exit status and peak memory. Started fresh for each run
# because a process's peak memory starts at that of the process it was executed from: this
# small one, not the fuzzer holding its mutants.
_LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def run_summarize(
    folder: Path, out: Path, limits: Sequence[str] = ()
) -> tuple[int, int, float, list[tuple[float, str]]]:
    """`ntm-xl summarize FOLDER`: exit status, peak memory, seconds and timed stderr lines."""
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-c", _LAUNCHER, *_command(folder, out, limits)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    assert process.stderr is not None and process.stdout is not None
    lines = []
    for raw in process.stderr:
        lines.append((time.monotonic() - started, raw.decode("utf-8", "replace").rstrip("\n")))
    code, peak = map(int, process.stdout.read().split())
    process.wait()
    seconds = time.monotonic() - started
    # ru_maxrss is in KiB on Linux, bytes on macOS; for a waited child it covers its own waited
    # children (the workers): the largest of them.
    return code, peak * (1 if sys.platform == "darwin" else 1024), seconds, lines


def summary_facts(workbook: Path, good: str = GOOD_NAME) -> tuple[dict[str, list[str]], tuple[object, ...]]:
    """Problem codes by file name, and the good file's rows (its villages and its problems)."""
    book = CalamineWorkbook.from_path(str(workbook))
    codes: dict[str, list[str]] = {}
    good_problems = []
    for row in book.get_sheet_by_name("Kiểm tra dữ liệu").to_python()[4:]:
        if len(row) >= 7 and row[2]:
            codes.setdefault(str(row[3]), []).append(str(row[2]))
            if row[3] == good:
                good_problems.append(tuple(row[1:]))
    commune = f"Xã {GOOD_TABLE[0]}"
    detail = book.get_sheet_by_name("Biểu chi tiết").to_python()
    villages: list[tuple[object, ...]] = []
    inside = False
    for row in detail:
        if len(row) > 1 and isinstance(row[1], str) and row[1].startswith("Xã "):
            inside = row[1] == commune
            continue
        if inside and isinstance(row[0], float) and row[1]:  # a village row, not the totals below
            villages.append(tuple(row[1:]))  # without the running number, which depends on the others
    return codes, (tuple(villages), tuple(good_problems))


def classify(mutant: Mutant, codes: dict[str, list[str]]) -> Result:
    found: list[str] = []
    for name, file_codes in codes.items():
        if name.startswith(mutant.key):
            found += file_codes
    outcome = next((_FAILURE_CODES[c] for c in found if c in _FAILURE_CODES), "clean")
    return Result(mutant, outcome, tuple(sorted(set(found))))


def _file_seconds(lines: list[tuple[float, str]], end: float) -> dict[str, float]:
    """Seconds spent on each file: between its progress line and the next one."""
    marks = [
        (t, line.split(": ", 1)[1]) for t, line in lines if line.startswith("Đang đọc tệp ") and ": " in line
    ]
    return {name: (marks[i + 1][0] if i + 1 < len(marks) else end) - t for i, (t, name) in enumerate(marks)}


def run_batch(
    mutants: Sequence[Mutant], folder: Path, good: Path, out: Path, limits: Sequence[str] = ()
) -> BatchRun:
    """Summarize ``folder`` (the mutants and a copy of ``good``) and classify each mutant."""
    shutil.copy(good, folder / GOOD_NAME)
    returncode, peak, seconds, lines = run_summarize(folder, out, limits)
    stderr = "\n".join(line for _, line in lines)
    workbook = out / "th.xlsx"
    broken = returncode not in (0, 1) or "Traceback" in stderr or not workbook.exists()
    if broken and len(mutants) > 1:
        # Which mutant broke the whole run: each one again, alone beside the good file.
        results = []
        for mutant in mutants:
            alone = folder / f"alone-{mutant.index}"
            alone.mkdir()
            moved = Mutant(mutant.index, mutant.seed, mutant.mutations, Path(shutil.move(mutant.path, alone)))
            results += run_batch([moved], alone, good, out / f"alone-{mutant.index}", limits).results
        return BatchRun(results, None, returncode, peak, seconds, stderr)
    if broken:
        last = stderr.strip().splitlines()[-1:] or [""]
        results = [
            Result(m, "abort" if returncode < 0 else "traceback", detail=f"exit {returncode}: {last[0]}")
            for m in mutants
        ]
        return BatchRun(results, None, returncode, peak, seconds, stderr)
    codes, good_facts = summary_facts(workbook)
    timing = _file_seconds(lines, seconds)
    results = []
    for mutant in mutants:
        result = classify(mutant, codes)
        result.seconds = next((s for name, s in timing.items() if name.startswith(mutant.key)), 0.0)
        results.append(result)
    return BatchRun(results, good_facts, returncode, peak, seconds, stderr)


def baseline(good: Path, folder: Path) -> tuple[object, ...]:
    """The good file's results when it is summarized alone."""
    alone = folder / "alone"
    alone.mkdir(parents=True, exist_ok=True)
    shutil.copy(good, alone / GOOD_NAME)
    returncode, _, _, lines = run_summarize(alone, folder / "alone-out")
    assert returncode == 0, lines
    return summary_facts(folder / "alone-out" / "th.xlsx")[1]


def batches(
    seeds: Sequence[Path], work: Path, seed: int, count: int, size: int
) -> Iterator[tuple[int, list[Mutant], Path]]:
    """Batches of mutants, each in its own folder, numbered; reproducible from ``seed``."""
    rng = random.Random(seed)
    for number, first in enumerate(range(0, count, size)):
        folder = work / f"batch-{number:05d}"
        yield number, write_mutants(seeds, folder, rng, first, min(size, count - first)), folder
